//! The copying collector's engine: Cheney's algorithm over chunked heaps,
//! with an optional old generation to promote into.
//!
//! *From-space* is a set of heaps (a process's young heap and the
//! fragments of the messages it received, plus its old heap in a full
//! sweep); *to-space* is a fresh [`Heap`]. Each root is *evacuated*: an
//! object in from-space is copied once, and its old place is overwritten
//! with a forwarding pointer, so an object reached twice is copied once
//! (sharing is kept, as on BEAM). Then to-space is scanned in allocation
//! order, evacuating every term word of every copied object, until the
//! scan catches up with the allocation. The scan position is the only
//! work list: no native recursion, so a million-long list collects in
//! constant native stack.
//!
//! A *minor* collection ([`Collector::promoting`]) also names the *aged*
//! part of from-space (what survived the previous collection: BEAM's
//! high-water mark) and the old heap: aged objects, and everything an
//! object copied into the old heap reaches, are copied to the end of the
//! old heap instead of to-space, and that new part of the old heap is
//! scanned like to-space. So the old heap never points into the young
//! one after a collection, and is itself neither from-space nor scanned.
//!
//! Anything outside from-space (module literals, `persistent_term`
//! values, messages not yet received, the old heap in a minor collection,
//! atoms and other immediates) is left as is: "in from-space" is decided
//! by the address ranges of its chunks.
//!
//! Forwarding, in from-space only:
//! - a moved boxed object's header word becomes the boxed term of its new
//!   place (primary tag `10`; a real header has tag `00`);
//! - a moved cons cell's head becomes the raw address of its new place
//!   (primary tag `00`; a cons head is always a term, never tag `00`).
//!
//! The object layouts are those of docs/TERMS.md; [`term_words`] says,
//! for each kind, which words after the header are terms. An off-heap
//! binary reached by a copied `RefcBin` object is kept by the heap it is
//! copied to with one strong count per object (the old heap also counts
//! its size toward its own pressure, BEAM's old virtual binary heap), so
//! dropping from-space releases the buffers no live object references.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use super::binary::BinaryBuf;
use super::boxed::{Header, Subtag};
use super::magic::{Magic, MAGIC_FLAG};
use super::{Heap, Term, TAG_BOXED, TAG_HEADER, TAG_LIST};

/// Sorted, disjoint `[start, end)` byte address ranges.
type Ranges = Vec<(usize, usize)>;

/// Whether `addr` lies in one of `ranges`.
#[inline]
fn in_ranges(ranges: &[(usize, usize)], addr: usize) -> bool {
    if ranges.len() <= 4 {
        // Most collections have a chunk or two of from-space: a short
        // loop beats the search.
        return ranges
            .iter()
            .any(|&(start, end)| start <= addr && addr < end);
    }
    let i = ranges.partition_point(|&(start, _)| start <= addr);
    i > 0 && addr < ranges[i - 1].1
}

/// The address ranges of `heap`'s allocated words, in chunk order (sort
/// them for [`Collector::promoting`]): what is *aged* at the next minor
/// collection if `heap` is the young heap a collection just made.
pub fn used_ranges(heap: &Heap) -> impl Iterator<Item = (usize, usize)> + '_ {
    let full = heap.full.iter().map(|(c, used)| (c, *used));
    full.chain([(&heap.current, heap.top)])
        .filter(|&(_, used)| used > 0)
        .map(|(c, used)| {
            let start = c.as_ptr() as usize;
            (start, start + 8 * used)
        })
}

/// Where a scan of one to-space stands: a chunk index (the current chunk
/// is `full.len()`) and a word in it.
#[derive(Clone, Copy)]
struct Scan {
    chunk: usize,
    pos: usize,
}

/// One collection in progress: from-space borrowed (its objects are
/// overwritten with forwarding pointers), to-space being filled.
pub struct Collector<'a> {
    /// From-space chunks.
    ranges: Ranges,
    /// The aged part of from-space, sorted, copied to `old` (minor
    /// collections; empty otherwise).
    aged: &'a [(usize, usize)],
    to: Heap,
    /// The old heap promoted objects are appended to, and where its scan
    /// stands (it starts at the old heap's top).
    old: Option<(&'a mut Heap, Scan)>,
    /// How many off-heap binaries the old heap held before this collection.
    old_binaries: usize,
    _from: PhantomData<&'a mut Heap>,
}

impl<'a> Collector<'a> {
    /// A collection of the heaps `from` into `to`, an empty heap.
    pub fn new(from: impl IntoIterator<Item = &'a mut Heap>, to: Heap) -> Collector<'a> {
        let chunks = from.into_iter().flat_map(|h| {
            let h: &'a Heap = h;
            h.full.iter().map(|(c, _)| c).chain([&h.current])
        });
        let mut ranges: Ranges = chunks
            .map(|chunk| {
                let start = chunk.as_ptr() as usize;
                (start, start + 8 * chunk.len())
            })
            .collect();
        ranges.sort_unstable();
        Collector {
            ranges,
            aged: &[],
            to,
            old: None,
            old_binaries: 0,
            _from: PhantomData,
        }
    }

    /// Makes this a minor collection: objects in the `aged` address ranges
    /// (from [`used_ranges`] of the previous collection's result, sorted),
    /// and all they reach, are promoted to the end of `old`, which is not
    /// from-space.
    pub fn promoting(mut self, aged: &'a [(usize, usize)], old: &'a mut Heap) -> Collector<'a> {
        let scan = Scan {
            chunk: old.full.len(),
            pos: old.top,
        };
        self.aged = aged;
        self.old_binaries = old.binaries.len();
        self.old = Some((old, scan));
        self
    }

    /// Evacuates a root and rewrites it to the term's new place.
    #[inline]
    pub fn root(&mut self, t: &mut Term) {
        *t = Term::from_raw(self.evacuate::<false>(t.raw()));
    }

    /// Evacuates every root of a slice.
    pub fn roots(&mut self, ts: &mut [Term]) {
        for t in ts {
            self.root(t);
        }
    }

    /// The new place of the term `word` (copying its object on first sight:
    /// [`Collector::relocate`]); terms that are not pointers into
    /// from-space come back unchanged. `OLD`: the term is a word of an
    /// object in the old heap (else of a young object, or a root).
    #[inline(always)]
    fn evacuate<const OLD: bool>(&mut self, word: u64) -> u64 {
        let tag = word & 0b11;
        if tag != TAG_LIST && tag != TAG_BOXED {
            return word;
        }
        let p = Term::from_raw(word).ptr() as *mut u64;
        if !in_ranges(&self.ranges, p as usize) {
            return word;
        }
        // SAFETY: `p` points into a from-space chunk (checked above), at
        // the object the pointer term `word` names.
        unsafe { self.relocate::<OLD>(p, tag) }
    }

    /// Copies the object at `p` (a cons cell when `tag` is the list tag,
    /// else a boxed object) to the space [`Collector::alloc`] chooses,
    /// leaving a forwarding pointer, and returns the term of its new place;
    /// an object already moved returns where it went.
    ///
    /// SAFETY (callers): `p` is the address of an object in a from-space
    /// chunk, which the collector borrows mutably: a list term points at a
    /// two-word cons cell and a boxed term at a header followed by `arity`
    /// words (docs/TERMS.md), so every word read and written is in that
    /// chunk.
    #[inline(always)]
    unsafe fn relocate<const OLD: bool>(&mut self, p: *mut u64, tag: u64) -> u64 {
        // SAFETY: the function's contract.
        unsafe {
            let first = *p;
            if tag == TAG_LIST {
                if first & 0b11 == TAG_HEADER {
                    return Term::list_ptr(first as *const u64).raw();
                }
                let (new, _) = self.alloc::<OLD>(p as usize, 2);
                *new = first;
                *new.add(1) = *p.add(1);
                *p = new as u64;
                return Term::list_ptr(new).raw();
            }
            if first & 0b11 == TAG_BOXED {
                return first;
            }
            let size = 1 + Header(first).arity();
            let (new, promoted) = self.alloc::<OLD>(p as usize, size);
            copy_object(p, new, size);
            let subtag = (first >> 2) & 0xF;
            if subtag == Subtag::RefcBin as u64 || subtag == Subtag::Ref as u64 {
                self.keep_off_heap(p, promoted);
            }
            let moved = Term::boxed_ptr(new).raw();
            *p = moved;
            moved
        }
    }

    /// Where the copy of an object of `size` words at `addr` goes, and
    /// whether that is the old heap: in a minor collection, aged objects
    /// and all an object in the old heap reaches (`OLD`) are promoted;
    /// everything else goes to the fresh young heap.
    #[inline(always)]
    fn alloc<const OLD: bool>(&mut self, addr: usize, size: usize) -> (*mut u64, bool) {
        if OLD || (!self.aged.is_empty() && in_ranges(self.aged, addr)) {
            if let Some((old, _)) = &mut self.old {
                return (old.alloc_raw(size), true);
            }
        }
        (self.to.alloc_raw(size), false)
    }

    /// The copy of an object that holds a reference count (an off-heap
    /// binary's `RefcBin`, or a magic reference: `[hdr, 3 | MAGIC_FLAG,
    /// ids, ids, object]`, term::magic) takes a count of its own on the
    /// heap it went to: from-space's is dropped with it.
    ///
    /// SAFETY (callers): `p` is a from-space `RefcBin` or `Ref` object not
    /// yet overwritten by its forwarding pointer.
    #[cold]
    unsafe fn keep_off_heap(&mut self, p: *const u64, promoted: bool) {
        let dest = match (&mut self.old, promoted) {
            (Some((old, _)), true) => &mut **old,
            _ => &mut self.to,
        };
        // SAFETY: the function's contract: the object's words are read as
        // its layout (docs/TERMS.md) has them.
        unsafe {
            if Header(*p).subtag() == Subtag::RefcBin {
                let buf = *p.add(2) as *const BinaryBuf;
                Arc::increment_strong_count(buf);
                if promoted {
                    dest.count_virtual((*p.add(1) as usize).div_ceil(8));
                }
                dest.binaries.push(Arc::from_raw(buf));
            } else if *p.add(1) & MAGIC_FLAG != 0 {
                let object = *p.add(4) as *const Magic;
                Arc::increment_strong_count(object);
                dest.keep_magic(Arc::from_raw(object));
            }
        }
    }

    /// Scans to-space (and the promoted part of the old heap) until every
    /// copied object's terms are evacuated, and returns to-space: the
    /// collected young heap.
    pub fn finish(mut self) -> Heap {
        let mut young = Scan { chunk: 0, pos: 0 };
        loop {
            let mut progress = self.scan::<false>(&mut young);
            if let Some(mut old) = self.old.as_ref().map(|(_, s)| *s) {
                progress |= self.scan::<true>(&mut old);
                if let Some((_, s)) = &mut self.old {
                    *s = old;
                }
            }
            if !progress {
                // The binaries of the objects this collection kept.
                let promoted = self
                    .old
                    .as_ref()
                    .map(|(old, _)| old.binaries.iter().skip(self.old_binaries));
                BinaryBuf::sweep_writable(
                    self.to
                        .binaries
                        .iter()
                        .chain(promoted.into_iter().flatten()),
                );
                return self.to;
            }
        }
    }

    /// Scans the young heap (`OLD`: the old heap's promoted part) from
    /// `at` until it catches up with its allocation; whether there was
    /// anything to scan.
    fn scan<const OLD: bool>(&mut self, at: &mut Scan) -> bool {
        let mut progress = false;
        loop {
            let (base, end, last) = self.chunk::<OLD>(at.chunk);
            if at.pos >= end {
                if !last {
                    (at.chunk, at.pos) = (at.chunk + 1, 0);
                    continue;
                }
                return progress;
            }
            progress = true;
            // Up to the used length as it was: what the evacuations below
            // append is scanned by the next round.
            let mut pos = at.pos;
            while pos < end {
                // SAFETY: `pos < end`, the chunk's used length; chunks never
                // move, and `base` is the chunk's own pointer, so it stays
                // valid while the heap allocates (term::chunk).
                let w = unsafe { base.add(pos) };
                // SAFETY: as above.
                let word = unsafe { *w };
                if word & 0b11 != TAG_HEADER {
                    // A cons cell's head or tail.
                    // SAFETY: as above.
                    unsafe { self.scan_word::<OLD>(w) };
                    pos += 1;
                    continue;
                }
                let h = Header(word);
                let n = h.arity();
                let terms = if h.subtag() == Subtag::Tuple {
                    0..n
                } else {
                    // SAFETY: a header in to-space starts an object copied
                    // whole: `n` words follow it in this chunk.
                    term_words(h, (n > 0).then(|| unsafe { *w.add(1) }))
                };
                for i in terms {
                    // SAFETY: as above, `i < n`.
                    unsafe { self.scan_word::<OLD>(w.add(1 + i)) };
                }
                pos += 1 + n;
            }
            at.pos = pos;
        }
    }

    /// The address and used length of chunk `chunk` of the young heap
    /// (`OLD`: of the old heap; the current chunk is `full.len()`), and
    /// whether it is the current one.
    #[inline(always)]
    fn chunk<const OLD: bool>(&mut self, chunk: usize) -> (*mut u64, usize, bool) {
        let heap = match &mut self.old {
            Some((old, _)) if OLD => &mut **old,
            _ => &mut self.to,
        };
        match heap.full.get(chunk) {
            Some((c, used)) => (c.as_ptr(), *used, false),
            None => (heap.current.as_ptr(), heap.top, true),
        }
    }

    /// Evacuates the term at `w`, a word of an object in the young heap
    /// (`OLD`: the old heap), and writes back its new place.
    ///
    /// SAFETY (callers): `w` is an allocated word of a chunk of that heap.
    #[inline(always)]
    unsafe fn scan_word<const OLD: bool>(&mut self, w: *mut u64) {
        // SAFETY: the function's contract.
        unsafe {
            let word = *w;
            let new = self.evacuate::<OLD>(word);
            if new != word {
                *w = new;
            }
        }
    }
}

/// Copies an object of `size` words: small ones (cons cells, floats,
/// small tuples: most of a heap) word by word, without a call to `memcpy`.
///
/// SAFETY (callers): `src` and `dst` hold `size` words and do not overlap.
#[inline(always)]
unsafe fn copy_object(src: *const u64, dst: *mut u64, size: usize) {
    // SAFETY: the function's contract.
    unsafe {
        if size <= 4 {
            for i in 0..size {
                *dst.add(i) = *src.add(i);
            }
        } else {
            std::ptr::copy_nonoverlapping(src, dst, size);
        }
    }
}

/// Which words after a header are terms, for each object kind (`first` is
/// the word after the header, if any: a map's size word).
pub(super) fn term_words(h: Header, first: Option<u64>) -> Range<usize> {
    let n = h.arity();
    match h.subtag() {
        Subtag::Tuple => 0..n,
        // [&FunEntry, creator pid, free vars..]
        Subtag::Fun => 1..n,
        // [bitstring, bit position]
        Subtag::MatchState => 0..n.min(1),
        // [bit size, bit offset, original]
        Subtag::SubBin => n.min(2)..n,
        // flat: [n << 1, keys tuple, values..]; trie root: [n << 1 | 1, bitmap, slots..]
        Subtag::Map => match first {
            Some(size) if size & 1 == 1 => n.min(2)..n,
            _ => n.min(1)..n,
        },
        // [bitmap, slots..]
        Subtag::MapNode => n.min(1)..n,
        // Raw words only (external ids hold an atom, which never moves).
        Subtag::PosBig
        | Subtag::NegBig
        | Subtag::Ref
        | Subtag::Float
        | Subtag::Export
        | Subtag::RefcBin
        | Subtag::HeapBin
        | Subtag::ExtPid
        | Subtag::ExtPort
        | Subtag::ExtRef => 0..0,
    }
}

#[cfg(test)]
mod tests;
