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
use crate::few::Few;

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

/// The address ranges of `heap`'s allocated words: what is *aged* at the
/// next minor collection if `heap` is the young heap a collection just
/// made.
pub fn used_ranges(heap: &Heap) -> Vec<(usize, usize)> {
    let full = heap.full.iter().map(|(c, used)| (c, *used));
    let mut v: Ranges = full
        .chain([(&heap.current, heap.top)])
        .filter(|&(_, used)| used > 0)
        .map(|(c, used)| {
            let start = c.as_ptr() as usize;
            (start, start + 8 * used)
        })
        .collect();
    v.sort_unstable();
    v
}

/// Where a scan of one to-space stands: a chunk index (the current chunk
/// is `full.len()`) and a word in it.
#[derive(Clone, Copy)]
struct Scan {
    chunk: usize,
    pos: usize,
}

/// One of the two spaces objects are copied to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    /// The fresh young heap.
    Young,
    /// The end of the old heap (minor collections only).
    Old,
}

/// One collection in progress: from-space borrowed (its objects are
/// overwritten with forwarding pointers), to-space being filled.
pub struct Collector<'a> {
    /// From-space chunks.
    ranges: Ranges,
    /// The aged part of from-space, copied to `old` (minor collections).
    aged: Few<(usize, usize)>,
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
        let mut ranges = Vec::new();
        for h in from {
            for chunk in h.full.iter().map(|(c, _)| c).chain([&h.current]) {
                let start = chunk.as_ptr() as usize;
                ranges.push((start, start + 8 * chunk.len()));
            }
        }
        ranges.sort_unstable();
        Collector {
            ranges,
            aged: Few::default(),
            to,
            old: None,
            old_binaries: 0,
            _from: PhantomData,
        }
    }

    /// Makes this a minor collection: objects in the `aged` address ranges
    /// (from [`used_ranges`] of the previous collection's result), and all
    /// they reach, are promoted to the end of `old`, which is not
    /// from-space.
    pub fn promoting(mut self, aged: Few<(usize, usize)>, old: &'a mut Heap) -> Collector<'a> {
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
        *t = Term::from_raw(self.evacuate(t.raw(), Space::Young));
    }

    /// Evacuates every root of a slice.
    pub fn roots(&mut self, ts: &mut [Term]) {
        for t in ts {
            self.root(t);
        }
    }

    /// The new place of the term `word` (copying its object on first sight:
    /// [`Collector::relocate`]); terms that are not pointers into
    /// from-space come back unchanged. `from` is the space of the object
    /// holding the term (roots count as young).
    #[inline(always)]
    fn evacuate(&mut self, word: u64, from: Space) -> u64 {
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
        unsafe { self.relocate(p, tag, from) }
    }

    /// Copies the object at `p` (a cons cell when `tag` is the list tag,
    /// else a boxed object) to the space [`Collector::promotes`] chooses,
    /// leaving a forwarding pointer, and returns the term of its new place;
    /// an object already moved returns where it went.
    ///
    /// SAFETY (callers): `p` is the address of an object in a from-space
    /// chunk, which the collector borrows mutably: a list term points at a
    /// two-word cons cell and a boxed term at a header followed by `arity`
    /// words (docs/TERMS.md), so every word read and written is in that
    /// chunk.
    #[inline(always)]
    unsafe fn relocate(&mut self, p: *mut u64, tag: u64, from: Space) -> u64 {
        // SAFETY: the function's contract.
        unsafe {
            let first = *p;
            if tag == TAG_LIST {
                if first & 0b11 == TAG_HEADER {
                    return Term::list_ptr(first as *const u64).raw();
                }
                let old = self.promotes(from, p as usize);
                let new = self.space_mut(old).alloc_raw(2);
                *new = first;
                *new.add(1) = *p.add(1);
                *p = new as u64;
                return Term::list_ptr(new).raw();
            }
            if first & 0b11 == TAG_BOXED {
                return first;
            }
            let h = Header(first);
            let size = 1 + h.arity();
            let promoted = self.promotes(from, p as usize);
            let dest = self.space_mut(promoted);
            let new = dest.alloc_raw(size);
            copy_object(p, new, size);
            let moved = Term::boxed_ptr(new).raw();
            match h.subtag() {
                Subtag::RefcBin => {
                    let buf = *p.add(2) as *const BinaryBuf;
                    // The from-space heap holds a strong count for this
                    // object; its new heap takes its own.
                    Arc::increment_strong_count(buf);
                    if promoted == Space::Old {
                        dest.count_virtual((*p.add(1) as usize).div_ceil(8));
                    }
                    dest.binaries.push(Arc::from_raw(buf));
                }
                Subtag::Ref if *p.add(1) & MAGIC_FLAG != 0 => {
                    // A magic reference: `[hdr, 3 | MAGIC_FLAG, ids, ids,
                    // object]` (term::magic); from-space holds a count for
                    // its object.
                    let object = *p.add(4) as *const Magic;
                    Arc::increment_strong_count(object);
                    dest.keep_magic(Arc::from_raw(object));
                }
                _ => {}
            }
            *p = moved;
            moved
        }
    }

    /// Where an object at `addr`, reached from an object in `from`, goes:
    /// the old heap in a minor collection for aged objects and for all an
    /// object in the old heap reaches, else the young heap.
    #[inline(always)]
    fn promotes(&self, from: Space, addr: usize) -> Space {
        if self.old.is_some() && (from == Space::Old || in_ranges(&self.aged, addr)) {
            Space::Old
        } else {
            Space::Young
        }
    }

    /// The heap of `space`.
    #[inline(always)]
    fn space_mut(&mut self, space: Space) -> &mut Heap {
        match (space, &mut self.old) {
            (Space::Old, Some((old, _))) => old,
            _ => &mut self.to,
        }
    }

    /// Scans to-space (and the promoted part of the old heap) until every
    /// copied object's terms are evacuated, and returns to-space: the
    /// collected young heap.
    pub fn finish(mut self) -> Heap {
        let mut young = Scan { chunk: 0, pos: 0 };
        loop {
            let mut progress = self.scan(Space::Young, &mut young);
            if let Some(mut old) = self.old.as_ref().map(|(_, s)| *s) {
                progress |= self.scan(Space::Old, &mut old);
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

    /// Scans `space` from `at` until it catches up with its allocation;
    /// whether there was anything to scan.
    fn scan(&mut self, space: Space, at: &mut Scan) -> bool {
        let mut progress = false;
        loop {
            let (base, end, last) = self.chunk(space, at.chunk);
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
                let word = unsafe { *base.add(pos) };
                if word & 0b11 != TAG_HEADER {
                    // A cons cell's head or tail.
                    // SAFETY: as above.
                    unsafe { self.scan_word(space, base.add(pos)) };
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
                    term_words(h, (n > 0).then(|| unsafe { *base.add(pos + 1) }))
                };
                for i in terms {
                    // SAFETY: as above, `i < n`.
                    unsafe { self.scan_word(space, base.add(pos + 1 + i)) };
                }
                pos += 1 + n;
            }
            at.pos = pos;
        }
    }

    /// The address and used length of chunk `chunk` of `space` (the
    /// current chunk is `full.len()`), and whether it is the current one.
    #[inline(always)]
    fn chunk(&mut self, space: Space, chunk: usize) -> (*mut u64, usize, bool) {
        let heap = self.space_mut(space);
        match heap.full.get(chunk) {
            Some((c, used)) => (c.as_ptr(), *used, false),
            None => (heap.current.as_ptr(), heap.top, true),
        }
    }

    /// Evacuates the term at `w`, a word of an object in `space`, and
    /// writes back its new place.
    ///
    /// SAFETY (callers): `w` is an allocated word of a chunk of `space`.
    #[inline(always)]
    unsafe fn scan_word(&mut self, space: Space, w: *mut u64) {
        // SAFETY: the function's contract.
        unsafe {
            let word = *w;
            let new = self.evacuate(word, space);
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
