//! The copying collector's engine: Cheney's algorithm over chunked heaps.
//!
//! *From-space* is a set of heaps (a process heap and the fragments of the
//! messages it received); *to-space* is a fresh [`Heap`]. Each root is
//! *evacuated*: an object in from-space is copied to to-space once, and
//! its old place is overwritten with a forwarding pointer, so an object
//! reached twice is copied once (sharing is kept, as on BEAM). Then
//! to-space is scanned in allocation order, evacuating every term word of
//! every copied object, until the scan catches up with the allocation.
//! The scan position is the only work list: no native recursion, so a
//! million-long list collects in constant native stack.
//!
//! Anything outside from-space (module literals, `persistent_term`
//! values, messages not yet received, atoms and other immediates) is left
//! as is: "in from-space" is decided by the address ranges of its chunks.
//!
//! Forwarding, in from-space only:
//! - a moved boxed object's header word becomes the boxed term of its new
//!   place (primary tag `10`; a real header has tag `00`);
//! - a moved cons cell's head becomes the raw address of its new place
//!   (primary tag `00`; a cons head is always a term, never tag `00`).
//!
//! The object layouts are those of docs/TERMS.md; [`term_words`] says,
//! for each kind, which words after the header are terms. An off-heap
//! binary reached by a copied `RefcBin` object is kept by to-space with
//! one strong count per object, so dropping from-space releases the
//! buffers no live object references.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use super::binary::BinaryBuf;
use super::boxed::{Header, Subtag};
use super::{Heap, Term, TAG_BOXED, TAG_HEADER, TAG_LIST};

/// One collection in progress: from-space borrowed (its objects are
/// overwritten with forwarding pointers), to-space being filled.
pub struct Collector<'a> {
    /// Sorted, disjoint `[start, end)` byte addresses of from-space chunks.
    ranges: Vec<(usize, usize)>,
    to: Heap,
    /// Cheney scan position: chunk index in `to` (the current chunk is
    /// index `to.full.len()`) and word offset.
    scan: (usize, usize),
    _from: PhantomData<&'a mut Heap>,
}

impl<'a> Collector<'a> {
    /// A collection of the heaps `from` into a fresh heap whose first chunk
    /// holds `capacity` words.
    pub fn new(from: impl IntoIterator<Item = &'a mut Heap>, capacity: usize) -> Collector<'a> {
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
            to: Heap::with_capacity(capacity),
            scan: (0, 0),
            _from: PhantomData,
        }
    }

    /// Whether `addr` lies in from-space.
    #[inline]
    fn in_from_space(&self, addr: usize) -> bool {
        let i = self.ranges.partition_point(|&(start, _)| start <= addr);
        i > 0 && addr < self.ranges[i - 1].1
    }

    /// Evacuates a root and rewrites it to the term's new place.
    #[inline]
    pub fn root(&mut self, t: &mut Term) {
        *t = self.evacuate(*t);
    }

    /// Evacuates every root of a slice.
    pub fn roots(&mut self, ts: &mut [Term]) {
        for t in ts {
            self.root(t);
        }
    }

    /// The term's new place (copying it on first sight); terms that are not
    /// pointers into from-space come back unchanged.
    fn evacuate(&mut self, t: Term) -> Term {
        let tag = t.primary_tag();
        if tag != TAG_LIST && tag != TAG_BOXED {
            return t;
        }
        let p = t.ptr() as *mut u64;
        if !self.in_from_space(p as usize) {
            return t;
        }
        // SAFETY: `p` points into a from-space chunk (checked above), which
        // the collector borrows mutably; a list term points at a two-word
        // cons cell and a boxed term at a header followed by `arity` words
        // (docs/TERMS.md), so every word read and written is in that chunk.
        unsafe {
            let first = *p;
            if tag == TAG_LIST {
                if first & 0b11 == TAG_HEADER {
                    return Term::list_ptr(first as *const u64);
                }
                let slot = self.to.alloc(2);
                std::ptr::copy_nonoverlapping(p, slot.as_mut_ptr(), 2);
                let new = slot.as_ptr();
                *p = new as u64;
                return Term::list_ptr(new);
            }
            if first & 0b11 == TAG_BOXED {
                return Term::from_raw(first);
            }
            let h = Header(first);
            let size = 1 + h.arity();
            let slot = self.to.alloc(size);
            std::ptr::copy_nonoverlapping(p, slot.as_mut_ptr(), size);
            let new = Term::boxed_ptr(slot.as_ptr());
            if h.subtag() == Subtag::RefcBin {
                let buf = *p.add(2) as *const BinaryBuf;
                // The from-space heap holds a strong count for this object;
                // to-space takes its own.
                Arc::increment_strong_count(buf);
                self.to.binaries.push(Arc::from_raw(buf));
            }
            *p = new.raw();
            new
        }
    }

    /// Scans to-space until every copied object's terms are evacuated, and
    /// returns it: the collected heap.
    pub fn finish(mut self) -> Heap {
        loop {
            let (chunk, pos) = self.scan;
            let end = match self.to.full.get(chunk) {
                Some(&(_, used)) => used,
                None => self.to.top,
            };
            if pos >= end {
                if chunk < self.to.full.len() {
                    self.scan = (chunk + 1, 0);
                    continue;
                }
                return self.to;
            }
            let word = self.space_word(chunk, pos);
            if word & 0b11 != TAG_HEADER {
                // A cons cell's head or tail.
                self.scan_word(chunk, pos);
                self.scan = (chunk, pos + 1);
                continue;
            }
            let h = Header(word);
            let first = (h.arity() > 0).then(|| self.space_word(chunk, pos + 1));
            for i in term_words(h, first) {
                self.scan_word(chunk, pos + 1 + i);
            }
            self.scan = (chunk, pos + 1 + h.arity());
        }
    }

    /// The address of word `pos` of to-space chunk `chunk`, derived afresh
    /// (allocation may have retired the current chunk since).
    fn space_ptr(&mut self, chunk: usize, pos: usize) -> *mut u64 {
        let c = match self.to.full.get_mut(chunk) {
            Some((c, _)) => c,
            None => &mut self.to.current,
        };
        c[pos..].as_mut_ptr()
    }

    fn space_word(&mut self, chunk: usize, pos: usize) -> u64 {
        // SAFETY: `space_ptr` gives a valid, bounds-checked word address.
        unsafe { *self.space_ptr(chunk, pos) }
    }

    /// Evacuates the term in word `pos` of to-space chunk `chunk`.
    fn scan_word(&mut self, chunk: usize, pos: usize) {
        let word = self.space_word(chunk, pos);
        let t = self.evacuate(Term::from_raw(word));
        // SAFETY: as in `space_word`; chunks never move when to-space grows.
        unsafe { *self.space_ptr(chunk, pos) = t.raw() };
    }
}

/// Which words after a header are terms, for each object kind (`first` is
/// the word after the header, if any: a map's size word).
fn term_words(h: Header, first: Option<u64>) -> Range<usize> {
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
