//! Garbage collection of a process: when to collect, what the roots are,
//! and how big the heap is afterwards (the copying itself is
//! [`crate::term::gc`]).
//!
//! A collection happens only at a *safe point*: an instruction that states
//! how many X registers are live (docs/RUNTIME.md lists them). Between
//! safe points, BIFs and builders allocate freely into the chunked heap,
//! whose chunks never move. At a safe point the interpreter asks
//! [`Process::needs_gc`] (one comparison: the heap's pressure against a
//! limit) and, if so, calls [`Process::collect`] with the live registers.
//!
//! Collections are generational (docs/RUNTIME.md): a minor collection
//! copies the young heap and the fragments of the messages the process
//! has received (`Process::fragments`), promoting what survived the
//! previous collection to the old heap; a full sweep, after
//! `fullsweep_after` minor ones or when the old heap fills, copies both
//! generations. Roots: the live X registers, any
//! extra terms the caller passes, the whole stack (continuation pointers
//! have the header tag and catch markers are immediates, so neither looks
//! like a pointer) and the process dictionary. Anything else that holds a
//! term pointing into a process heap must be one of those: terms kept
//! beside a process (monitors, timers, links) live in heaps of their own.
//!
//! Sizing follows BEAM's rules ([`sizing`]); the next collection comes
//! when `heap size − live − heap size / 8` more words (or virtual words
//! of new off-heap binaries, or received messages) have been added: the
//! eighth is room for what is allocated between the limit and the next
//! safe point, in the same chunk.

mod max_heap;
pub mod monitor;
mod reserve;
mod sizing;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::few::Few;
use crate::process::Process;
use crate::term::copy::{self, Uncopyable};
use crate::term::gc::Collector;
use crate::term::{Heap, Term};

pub use max_heap::{MaxHeapReached, MaxHeapSize};
use sizing::FIRST_CHUNK;
use sizing::{budget, AfterMajor, MIN_BIN_VHEAP};
pub use sizing::{next_heap_size, MIN_HEAP_SIZE};

static STRESS_SET: AtomicBool = AtomicBool::new(false);

/// Makes every process collect at every safe point (`--gc-stress`); a
/// debugging aid that shows a missing root at once.
pub fn set_stress(on: bool) {
    STRESS_SET.store(on, Ordering::Relaxed);
}

/// Whether GC stress is on: [`set_stress`], or `ENIGMA_GC_STRESS=1` in
/// the environment.
pub fn stress() -> bool {
    static ENV: OnceLock<bool> = OnceLock::new();
    STRESS_SET.load(Ordering::Relaxed)
        || *ENV.get_or_init(|| std::env::var("ENIGMA_GC_STRESS").is_ok_and(|v| v == "1"))
}

/// Under stress, one collection in this many is a full sweep (the others
/// minor): a full sweep copies all live data, so at every other safe point
/// (as until session 20) it made stress quadratic in a program's live size
/// and took most of CI's time; every safe point still collects, and minor
/// collections move every young term, so a missing root still shows.
const STRESS_MAJOR_EVERY: u64 = 8;

static MINORS: AtomicU64 = AtomicU64::new(0);
static MAJORS: AtomicU64 = AtomicU64::new(0);
static COPIED: AtomicU64 = AtomicU64::new(0);
static PROMOTED: AtomicU64 = AtomicU64::new(0);
static PEAK_WORDS: AtomicUsize = AtomicUsize::new(0);
static RECLAIMED: AtomicU64 = AtomicU64::new(0);

/// What every process's collections have done so far (`--gc-stats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GlobalStats {
    /// Minor collections (young heap only).
    pub minor: u64,
    /// Full sweeps (young and old heaps).
    pub major: u64,
    /// Words copied into young heaps.
    pub copied: u64,
    /// Words promoted into old heaps by minor collections.
    pub promoted: u64,
    /// The largest total heap (young, old and fragments, in words) a
    /// process had when it was collected.
    pub peak_words: usize,
    /// Words collections found dead (`statistics(garbage_collection)`).
    pub reclaimed: u64,
}

/// The collections of all processes so far.
pub fn global_stats() -> GlobalStats {
    GlobalStats {
        minor: MINORS.load(Ordering::Relaxed),
        major: MAJORS.load(Ordering::Relaxed),
        copied: COPIED.load(Ordering::Relaxed),
        promoted: PROMOTED.load(Ordering::Relaxed),
        peak_words: PEAK_WORDS.load(Ordering::Relaxed),
        reclaimed: RECLAIMED.load(Ordering::Relaxed),
    }
}

/// BEAM's default `fullsweep_after`.
pub const FULLSWEEP_AFTER: u64 = 65535;

/// A process's collection state (the limit itself is the heap's:
/// [`Heap::set_gc_limit`]).
pub struct GcState {
    /// The limit to restore when collection is allowed again.
    saved_limit: usize,
    /// Nesting depth of [`Process::block_gc`].
    blocked: u32,
    /// The young heap size, in words: the to-space of the next
    /// collection, and what live young data plus the allocation budget
    /// add up to.
    heap_size: usize,
    /// The smallest heap size (`spawn_opt`'s `min_heap_size`).
    min_heap_size: usize,
    /// Minor collections allowed between two full sweeps.
    fullsweep_after: u64,
    /// Minor collections since the last full sweep (BEAM's `minor_gcs`).
    minor_gcs: u64,
    /// Collections of this process, of either kind.
    collections: u64,
    /// The next collection must be a full sweep (`garbage_collect/0,1`).
    major_requested: bool,
    /// The old generation: what survived two collections. Created by the
    /// first minor collection that promotes anything; emptied by a full
    /// sweep. Boxed: an idle process without one pays one word.
    old: Option<Box<Heap>>,
    /// The old heap's size (BEAM's `OLD_HEND - OLD_HEAP`), set when a
    /// minor collection creates it: a minor collection that might fill it
    /// past this (promoting all aged words) is a full sweep instead.
    old_size: usize,
    /// The off-heap binary words the old heap may hold before a full
    /// sweep (BEAM's `bin_old_vheap_sz`).
    old_vheap_size: usize,
    /// The last full sweep left the young heap more than 75% full: the
    /// next one grows it a step (BEAM's `F_HEAP_GROW`).
    grow: bool,
    /// The young heap's words at the end of the last collection (BEAM's
    /// high-water mark): what the next minor collection promotes.
    aged: Few<(usize, usize)>,
    /// Words in `aged`.
    aged_words: usize,
    /// `max_heap_size`.
    max_heap: MaxHeapSize,
    /// The last collection found the heaps over `max_heap` (boxed: rare,
    /// and every process carries the field).
    max_heap_reached: Option<Box<MaxHeapReached>>,
}

impl Default for GcState {
    fn default() -> Self {
        GcState {
            saved_limit: 0,
            blocked: 0,
            heap_size: MIN_HEAP_SIZE,
            min_heap_size: MIN_HEAP_SIZE,
            fullsweep_after: FULLSWEEP_AFTER,
            minor_gcs: 0,
            collections: 0,
            major_requested: false,
            old: None,
            old_size: 0,
            old_vheap_size: MIN_BIN_VHEAP,
            grow: false,
            aged: Few::default(),
            aged_words: 0,
            max_heap: MaxHeapSize::default(),
            max_heap_reached: None,
        }
    }
}

impl GcState {
    /// Whether the next collection must be a full sweep.
    fn wants_major(&self) -> bool {
        let old_full = self.old.as_deref().is_some_and(|o| {
            o.words_used() + self.aged_words > self.old_size
                || o.pressure() - o.words_used() > self.old_vheap_size
        });
        self.major_requested
            || self.minor_gcs >= self.fullsweep_after
            || old_full
            || (stress() && self.collections % STRESS_MAJOR_EVERY == STRESS_MAJOR_EVERY - 1)
    }
}

/// Memory figures of one process, for `process_info/2` and
/// `erlang:memory/0,1`. Sizes are in words unless named `_bytes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapStats {
    /// The young heap's chunks, used or not (`heap_size`).
    pub heap_size: usize,
    /// The old heap's chunks (`old_heap_size` of
    /// `garbage_collection_info`).
    pub old_heap_size: usize,
    /// Young and old heaps plus the fragments of received messages not
    /// yet absorbed by a collection (`total_heap_size`).
    pub total_heap_size: usize,
    /// Words in use on both heaps and in fragments.
    pub heap_used: usize,
    /// The Erlang stack (`stack_size`).
    pub stack_size: usize,
    /// The young heap size the next collection aims at.
    pub target_heap_size: usize,
    /// `min_heap_size`.
    pub min_heap_size: usize,
    /// `fullsweep_after`.
    pub fullsweep_after: u64,
    /// Minor collections since the last full sweep (`minor_gcs`).
    pub minor_gcs: u64,
    /// Collections so far, of either kind.
    pub collections: u64,
    /// Everything the process holds: its struct, heaps, fragments, stack,
    /// mailbox and dictionary (`memory`).
    pub memory_bytes: usize,
    /// Words in use on the young heap, on the old heap, and the size of
    /// received fragments (`heap_size`, `old_heap_size` and `mbuf_size`
    /// of `garbage_collection_info`).
    pub young_used: usize,
    pub old_used: usize,
    pub fragment_words: usize,
    /// Off-heap binary words held by the young and the old heap
    /// (`bin_vheap_size`, `bin_old_vheap_size`).
    pub young_binary_words: usize,
    pub old_binary_words: usize,
    /// `max_heap_size`.
    pub max_heap: MaxHeapSize,
}

impl Process {
    /// Whether the next safe point should collect: the heap's pressure has
    /// reached the limit. The one test on the interpreter's fast path.
    #[inline(always)]
    pub fn needs_gc(&self) -> bool {
        self.heap.needs_gc()
    }

    /// The heap of a new process, with its first collection limit: when
    /// its first chunk is full.
    pub(crate) fn initial_heap() -> Heap {
        let mut h = Heap::with_capacity(FIRST_CHUNK);
        h.set_gc_limit(if stress() { 0 } else { FIRST_CHUNK });
        h
    }

    /// Collects now: a minor collection, or a full sweep when one is due
    /// (`fullsweep_after` minor ones since the last, the old heap full,
    /// one requested; under GC stress every other collection). `x` are
    /// the live X registers and `extra` other terms the caller holds;
    /// both are rewritten to the terms' new places, as are the stack and
    /// the dictionary. Does nothing while collection is blocked (a nested
    /// run of Erlang code inside a BIF).
    pub fn collect(&mut self, x: &mut [Term], extra: &mut [Term]) {
        self.collect_sized(x, extra, false, 0);
    }

    /// Whether the `bif_words` a BIF just built (the last words on the
    /// heap) would not have fitted in BEAM's heap, whose room is what its
    /// young data (here: what was in use before the BIF, at most the heap
    /// less the stack) and the stack leave: BEAM builds such a result in
    /// a heap fragment and collects right after the BIF.
    pub fn bif_overflowed(&self, bif_words: usize) -> bool {
        let stack = self.stack.len();
        let room = self.gc.heap_size.saturating_sub(stack);
        let before = self.heap.words_used().saturating_sub(bif_words);
        bif_words > 0 && before.min(room) + bif_words > room
    }

    /// The collection BEAM makes after a BIF whose result went to a heap
    /// fragment ([`Process::bif_overflowed`]): the result's `bif_words`
    /// all count as young data in use, where [`Process::collect`] counts
    /// what was allocated past the heap as the allocation's need.
    pub fn collect_after_bif(&mut self, x: &mut [Term], bif_words: usize) {
        self.collect_sized(x, &mut [], false, bif_words);
    }

    /// [`Process::collect`]; with `exact`, a full sweep into a young heap
    /// of exactly what the young and old heaps hold; the last `bif_words`
    /// on the heap are a BIF's result ([`Process::collect_after_bif`]).
    fn collect_sized(&mut self, x: &mut [Term], extra: &mut [Term], exact: bool, bif_words: usize) {
        if self.gc.blocked > 0 {
            return;
        }
        let started = monitor::started();
        let old_words = self.gc.old.as_ref().map_or(0, |o| o.capacity());
        let before = self.heap.capacity()
            + old_words
            + self.fragments.iter().map(Heap::capacity).sum::<usize>();
        PEAK_WORDS.fetch_max(before, Ordering::Relaxed);
        // What the young generation holds, live or not (BEAM's
        // `young_gen_usage`): it sizes to-space's memory.
        let fragments = self.fragments.iter().map(Heap::words_used).sum::<usize>();
        let usage = self.heap.words_used() + fragments;
        let major = self.gc.wants_major();
        let g = &self.gc;
        let old_used = g.old.as_ref().map_or(0, |o| o.words_used());
        // BEAM's heap holds the stack, and collects when the two meet: what
        // it would have found in use is at most the heap less the stack
        // (what was allocated past that, before the safe point or under
        // the allocation budget, stands for BEAM's `need`), plus received
        // fragments (its heap fragments).
        let stack = self.stack.len();
        let used = self.heap.words_used();
        let bif_words = bif_words.min(used);
        let young =
            (used - bif_words).min(g.heap_size.saturating_sub(stack)) + bif_words + fragments;
        let (to_space, size) = if exact {
            (usage + old_used, usage + old_used)
        } else if major {
            let size = sizing::major_to_space(
                young + old_used + stack,
                g.heap_size,
                g.grow,
                g.min_heap_size,
            );
            let words = usage + old_used;
            (size.max(sizing::next_heap_size(words)), size)
        } else {
            let size = sizing::minor_to_space(young + stack, g.min_heap_size);
            (size.max(sizing::next_heap_size(usage)), size)
        };
        let new_old = if major || g.aged.is_empty() {
            0
        } else {
            sizing::new_old_heap(young)
        };
        if major || exact || self.beam_sweeps_fully() {
            self.check_max_heap_major(size);
        } else {
            self.check_max_heap_minor(new_old);
        }
        let g = &mut self.gc;
        g.heap_size = size;
        let to = reserve::to_space(self.heap.take_reserve(), to_space);
        let young = std::iter::once(&mut self.heap).chain(self.fragments.iter_mut());
        let mut old = if major { g.old.take() } else { None };
        let mut c = if major {
            Collector::new(young.chain(old.as_deref_mut()), to)
        } else if g.aged.is_empty() {
            Collector::new(young, to)
        } else {
            if g.old.is_none() {
                g.old_size = new_old;
            }
            let o = g
                .old
                .get_or_insert_with(|| Box::new(Heap::with_capacity(g.aged_words)));
            Collector::new(young, to).promoting(&g.aged, o)
        };
        c.roots(x);
        c.roots(extra);
        c.roots(&mut self.stack);
        for t in self.dictionary.terms_mut() {
            c.root(t);
        }
        if self.own_messages > 0 {
            // Messages it sent itself hold terms of its heap; those others
            // sent (a fragment with words) are not in from-space.
            let mut own = 0;
            for m in self
                .mailbox
                .iter_mut()
                .filter(|m| m.fragment.words_used() == 0)
            {
                c.root(&mut m.term);
                own += 1;
            }
            self.own_messages = own;
        }
        let heap = c.finish();
        // Dropping from-space releases the off-heap binaries no live object
        // references; its chunks are kept for reuse.
        let mut freed = old.map_or_else(Vec::new, |o| (*o).into_chunks());
        let from = std::mem::replace(&mut self.heap, heap);
        freed.extend(from.into_chunks());
        for f in std::mem::take(&mut self.fragments) {
            freed.extend(f.into_chunks());
        }
        let live = self.heap.words_used();
        // BEAM's `need_after`: what the heap must hold now, its stack too.
        let needed = live + stack;
        let g = &mut self.gc;
        // Words that survived, of those collected.
        let (kept, collected);
        if major {
            (kept, collected) = (live, usage + old_used);
            g.minor_gcs = 0;
            g.major_requested = false;
            g.grow = false;
            if exact {
                g.heap_size = live;
            } else {
                match sizing::after_major(g.heap_size, needed, g.min_heap_size) {
                    AfterMajor::Size(s) => g.heap_size = s,
                    AfterMajor::GrowNext => g.grow = true,
                }
            }
            // Room for twice the binaries the next minor collection will
            // promote.
            g.old_vheap_size = (2 * self.heap.binary_words()).max(MIN_BIN_VHEAP);
            MAJORS.fetch_add(1, Ordering::Relaxed);
            RECLAIMED.fetch_add(collected.saturating_sub(kept) as u64, Ordering::Relaxed);
        } else {
            g.minor_gcs += 1;
            let promoted = g.old.as_ref().map_or(0, |o| o.words_used()) - old_used;
            g.heap_size = sizing::after_minor(g.heap_size, needed, g.old_size, g.min_heap_size);
            PROMOTED.fetch_add(promoted as u64, Ordering::Relaxed);
            MINORS.fetch_add(1, Ordering::Relaxed);
            (kept, collected) = (live + promoted, usage);
            RECLAIMED.fetch_add(collected.saturating_sub(kept) as u64, Ordering::Relaxed);
        }
        // Refilled in place: the ranges' vector is reused collection after
        // collection.
        g.aged.refill(crate::term::gc::used_ranges(&self.heap));
        g.aged.sort_unstable();
        g.aged_words = live;
        freed.extend(self.heap.take_reserve());
        self.heap.set_reserve(reserve::kept(freed, g.heap_size));
        let limit = if stress() {
            self.heap.pressure()
        } else {
            self.heap.pressure() + budget(g.heap_size, live + stack, kept * 2 > collected)
        };
        self.heap.set_gc_limit(limit);
        g.collections += 1;
        COPIED.fetch_add(live as u64, Ordering::Relaxed);
        monitor::check(self.pid, started, || self.heap_stats());
    }

    /// Makes the next collection a full sweep
    /// (`erlang:garbage_collect/0,1,2`).
    pub fn request_major(&mut self) {
        self.gc.major_requested = true;
    }

    /// Collects now with a full sweep.
    pub fn collect_major(&mut self, x: &mut [Term], extra: &mut [Term]) {
        self.request_major();
        self.collect(x, extra);
    }

    /// Shrinks the heap of a process going into `erlang:hibernate/3` (its
    /// stack dropped, `x` its live registers) to its live data, as BEAM's
    /// `erts_garbage_collect_hibernate`: a full sweep, then one more into
    /// a heap of exactly the words that survived, with nothing kept for
    /// the next collection.
    pub fn collect_hibernate(&mut self, x: &mut [Term]) {
        self.collect_major(x, &mut []);
        // To-space must be a fresh chunk of the exact size, not a kept one.
        self.release_spare();
        self.request_major();
        self.collect_sized(x, &mut [], true, 0);
        self.release_spare();
    }

    /// Whether, after a collection, the young heap is over twice the size
    /// the heap-size steps give its live data (to-space is sized before
    /// the live data is known). An asked-for collection
    /// (`erlang:garbage_collect`) then collects once more, without the
    /// reserve chunks, so that the heap shrinks at once, as BEAM's does.
    pub fn heap_oversized(&self) -> bool {
        self.heap.capacity() > 2 * self.gc.heap_size
    }

    /// A copy of `t`, a spawn argument, that this process owns: on its
    /// heap when it fits in the words left in the current chunk (as BEAM
    /// copies arguments onto the new heap; an idle process then holds no
    /// fragment, 160 bytes with its bookkeeping), else in a fragment of
    /// its own, so that a large argument does not leave the first chunk
    /// empty behind it.
    /// Its literals are shared, not copied, as BEAM's.
    pub fn own_copy(&mut self, t: Term) -> Result<Term, Uncopyable> {
        let words = copy::message_size(t)?;
        self.own_copy_sized(t, words)
    }

    /// [`Process::own_copy`] of `t`, whose [`copy::message_size`] is
    /// `words`.
    pub fn own_copy_sized(&mut self, t: Term, words: usize) -> Result<Term, Uncopyable> {
        if words <= self.heap.room() {
            return Ok(copy::copy_message_onto(t, words, &mut self.heap));
        }
        let (term, fragment) = copy::copy_message(t)?;
        self.add_fragment(fragment);
        Ok(term)
    }

    /// Takes in the heap fragment of a received message (or of spawn
    /// arguments): its terms become part of this process's from-space, and
    /// its size counts toward the next collection.
    pub fn add_fragment(&mut self, fragment: Heap) {
        let limit = self.heap.gc_limit();
        if self.gc.blocked == 0 {
            self.heap
                .set_gc_limit(limit.saturating_sub(fragment.pressure()));
        }
        self.fragments.push(fragment);
    }

    /// Drops the memory kept for the next collection (the heap's reserve):
    /// the process is going idle, and idle processes should be small.
    pub fn release_spare(&mut self) {
        drop(self.heap.take_reserve());
    }

    /// Forbids collection until the matching [`Process::unblock_gc`]: Rust
    /// code that runs Erlang code in the middle of a BIF holds terms the
    /// collector cannot see.
    pub fn block_gc(&mut self) {
        if self.gc.blocked == 0 {
            self.gc.saved_limit = self.heap.gc_limit();
            self.heap.set_gc_limit(usize::MAX);
        }
        self.gc.blocked += 1;
    }

    /// Ends a [`Process::block_gc`].
    pub fn unblock_gc(&mut self) {
        self.gc.blocked = self.gc.blocked.saturating_sub(1);
        if self.gc.blocked == 0 {
            self.heap.set_gc_limit(self.gc.saved_limit);
        }
    }

    /// Sets `min_heap_size` (in words, rounded up to a heap size step) for
    /// the collections to come: the heap keeps its size until the next one,
    /// as `process_flag(min_heap_size, N)` on BEAM. Callers floor `words`
    /// at the system's `min_heap_size`.
    pub fn set_min_heap_size(&mut self, words: usize) {
        self.gc.min_heap_size = next_heap_size(words);
    }

    /// Sets the `min_heap_size` of a process that has not run yet
    /// (`spawn_opt`, or the system's default), and makes it its heap size,
    /// as BEAM gives a new process a heap of that size. A larger heap
    /// moves the first collection as far; a smaller one keeps the first
    /// chunk's (the chunk is allocated already) but is reported as that
    /// size until then ([`Process::heap_stats`]).
    pub fn set_start_heap_size(&mut self, words: usize) {
        let min = next_heap_size(words);
        let g = &mut self.gc;
        if min > g.heap_size && g.blocked == 0 {
            let limit = self.heap.gc_limit();
            self.heap
                .set_gc_limit(limit.saturating_add(min - g.heap_size));
        }
        g.heap_size = min;
        g.min_heap_size = min;
    }

    /// Sizes the heap of a process that has not run yet for its spawn
    /// arguments, `words` words in all (BEAM's argument list included):
    /// when they do not fit in its first chunk, the heap becomes the step
    /// at or above them (at least `min_heap_size`), as BEAM's
    /// `erl_create_process` sizes it, and they are copied onto it
    /// ([`Process::own_copy`]) rather than into a fragment.
    pub fn size_for_arguments(&mut self, words: usize) {
        if words <= self.heap.room() || self.gc.blocked != 0 {
            return;
        }
        let size = next_heap_size(words.max(self.gc.heap_size));
        self.heap = Heap::with_capacity(size);
        self.heap.set_gc_limit(if stress() { 0 } else { size });
        self.gc.heap_size = size;
    }

    /// Applies a `spawn_opt` option of the collector to a process that
    /// has not run yet: `min_heap_size` (words, [`Process::set_start_heap_size`]),
    /// `fullsweep_after` (a full sweep after that many minor
    /// collections; 0: every collection is one) or `max_heap_size` (as
    /// [`MaxHeapSize::from_term`] reads it). Others are not the
    /// collector's and are ignored.
    pub fn set_gc_option(&mut self, name: &str, value: Term) {
        if name == "max_heap_size" {
            if let Some(m) = MaxHeapSize::from_term(value, self.max_heap_size()) {
                self.set_max_heap_size(m);
            }
            return;
        }
        let Some(n) = value.as_small().and_then(|n| usize::try_from(n).ok()) else {
            return;
        };
        match name {
            "min_heap_size" => self.set_start_heap_size(n),
            "fullsweep_after" => self.gc.fullsweep_after = n as u64,
            _ => {}
        }
    }

    /// `(address, bytes, references)` of each off-heap binary the young
    /// and old heaps, the received fragments and the queued messages hold,
    /// as BEAM's `process_info(P, binary)` lists its heaps' refc binaries
    /// (dead ones too, until a collection drops them; a queued message's
    /// are on its heap once a collection moved it there, or when it was
    /// sent while the process was not running).
    pub fn binaries(&self) -> Vec<(usize, usize, usize)> {
        let heaps = std::iter::once(&self.heap)
            .chain(self.gc.old.as_deref())
            .chain(self.fragments.iter())
            .chain(self.mailbox.iter().map(|m| &m.fragment));
        heaps
            .flat_map(Heap::binaries)
            .map(|b| {
                (
                    Arc::as_ptr(b) as usize,
                    b.bytes().len(),
                    Arc::strong_count(b),
                )
            })
            .collect()
    }

    /// Memory figures for `process_info/2` and `erlang:memory/0,1`.
    pub fn heap_stats(&self) -> HeapStats {
        let frag_words: usize = self.fragments.iter().map(Heap::capacity).sum();
        // The sizes BEAM's rules give the heaps, which its collections
        // keep to: ours may take more memory between two collections
        // (the allocation budget, chunks) or less (an old heap fills
        // chunk by chunk); `memory` counts what they take.
        let heap_size = self.gc.heap_size;
        let old = self.gc.old.as_deref();
        let old_heap_size = old.map_or(0, |_| self.gc.old_size);
        let mailbox: usize = self.mailbox.iter().map(|m| m.fragment.capacity()).sum();
        let reserve = self.heap.reserve_words();
        let total_heap_size = heap_size + old_heap_size + frag_words;
        let words = self.heap.capacity()
            + old.map_or(0, Heap::capacity)
            + frag_words
            + reserve
            + self.stack.capacity()
            + mailbox;
        let dict = self.dictionary.len() * 2 * std::mem::size_of::<Term>();
        HeapStats {
            heap_size,
            old_heap_size,
            total_heap_size,
            heap_used: self.heap.words_used()
                + old.map_or(0, Heap::words_used)
                + self.fragments.iter().map(Heap::words_used).sum::<usize>(),
            stack_size: self.stack.len(),
            target_heap_size: self.gc.heap_size,
            min_heap_size: self.gc.min_heap_size,
            fullsweep_after: self.gc.fullsweep_after,
            minor_gcs: self.gc.minor_gcs,
            collections: self.gc.collections,
            memory_bytes: std::mem::size_of::<Process>() + 8 * words + dict,
            young_used: self.heap.words_used(),
            old_used: old.map_or(0, Heap::words_used),
            fragment_words: frag_words,
            young_binary_words: self.heap.binary_words(),
            old_binary_words: old.map_or(0, Heap::binary_words),
            max_heap: self.gc.max_heap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_collects_its_roots() {
        let mut p = Process::new(Term::pid(1, 0));
        let kept = p.heap.tuple(&[Term::small(1), Term::small(2)]);
        let in_dict = p.heap.list(&[Term::small(3)]);
        p.dictionary.put(Term::small(0), in_dict);
        // A continuation pointer (header tag) and a catch marker on the
        // stack are not pointers and stay as they are.
        let cp = Term::from_raw(5 << 34 | 7 << 2);
        p.stack.extend([cp, kept, Term::catch(9)]);
        let mut frag = Heap::new();
        let msg = frag.tuple(&[Term::small(4)]);
        p.add_fragment(frag);
        let mut x = [msg];
        for _ in 0..1000 {
            p.heap.tuple(&[Term::NIL; 4]);
        }
        assert!(p.needs_gc());
        p.collect(&mut x, &mut []);
        assert!(!p.needs_gc());
        assert!(p.fragments.is_empty());
        assert_eq!(p.stack[0], cp);
        assert_eq!(p.stack[2], Term::catch(9));
        assert_eq!(
            p.stack[1].as_tuple().unwrap().elements(),
            &[Term::small(1), Term::small(2)]
        );
        assert_eq!(x[0].as_tuple().unwrap().elements(), &[Term::small(4)]);
        let d = p.dictionary.get(Term::small(0)).unwrap();
        assert_eq!(d.as_cons(), Some((Term::small(3), Term::NIL)));
        let stats = p.heap_stats();
        assert_eq!(stats.heap_used, 3 + 2 + 2);
        assert_eq!(stats.collections, 1);
        assert!(stats.heap_size >= MIN_HEAP_SIZE);
    }

    #[test]
    fn blocked_processes_do_not_collect() {
        let mut p = Process::new(Term::pid(1, 0));
        p.block_gc();
        for _ in 0..1000 {
            p.heap.tuple(&[Term::NIL; 4]);
        }
        assert!(!p.needs_gc());
        p.collect(&mut [], &mut []);
        assert_eq!(p.heap_stats().collections, 0);
        p.unblock_gc();
        assert!(p.needs_gc());
    }

    #[test]
    fn min_heap_size_rounds_up_to_a_step() {
        let mut p = Process::new(Term::pid(1, 0));
        p.set_min_heap_size(1000);
        assert_eq!(p.heap_stats().min_heap_size, 1598);
        assert_eq!(p.heap_stats().target_heap_size, MIN_HEAP_SIZE);
        let mut q = Process::new(Term::pid(2, 0));
        q.set_start_heap_size(1000);
        assert_eq!(q.heap_stats().target_heap_size, 1598);
        let mut r = Process::new(Term::pid(3, 0));
        r.set_start_heap_size(20);
        assert_eq!(r.heap_stats().min_heap_size, 38);
        assert_eq!(r.heap_stats().heap_size, 38);
    }
}
