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
use super::magic::{Magic, MAGIC_FLAG};
use super::{Heap, Term, TAG_BOXED, TAG_HEADER, TAG_LIST};

/// One collection in progress: from-space borrowed (its objects are
/// overwritten with forwarding pointers), to-space being filled.
pub struct Collector<'a> {
    /// Sorted, disjoint `[start, end)` byte addresses of from-space chunks.
    ranges: Vec<(usize, usize)>,
    to: Heap,
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
            to,
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
            if h.subtag() == Subtag::Ref && *p.add(1) & MAGIC_FLAG != 0 {
                // A magic reference: `[hdr, 3 | MAGIC_FLAG, ids, ids, object]`
                // (term::magic); from-space holds a count for its object.
                let object = *p.add(4) as *const Magic;
                Arc::increment_strong_count(object);
                self.to.magics.push(Arc::from_raw(object));
            }
            *p = new.raw();
            new
        }
    }

    /// Scans to-space until every copied object's terms are evacuated, and
    /// returns it: the collected heap.
    pub fn finish(mut self) -> Heap {
        let (mut chunk, mut pos) = (0, 0);
        loop {
            let (base, end) = self.chunk(chunk);
            if pos >= end {
                if chunk < self.to.full.len() {
                    (chunk, pos) = (chunk + 1, 0);
                    continue;
                }
                return self.to;
            }
            // SAFETY: `pos < end`, the used length of this to-space chunk.
            let word = unsafe { *base.add(pos) };
            if word & 0b11 != TAG_HEADER {
                // A cons cell's head or tail.
                self.scan_word(chunk, pos, word);
                pos += 1;
                continue;
            }
            let h = Header(word);
            // SAFETY: a header in to-space starts an object copied whole:
            // `arity` words follow it in this chunk.
            let first = (h.arity() > 0).then(|| unsafe { *base.add(pos + 1) });
            for i in term_words(h, first) {
                // SAFETY: as above, `i < arity`; the chunk's address is
                // taken afresh, as `scan_word` may have allocated.
                let w = unsafe { *self.chunk(chunk).0.add(pos + 1 + i) };
                self.scan_word(chunk, pos + 1 + i, w);
            }
            pos += 1 + h.arity();
        }
    }

    /// The address and used length of to-space chunk `chunk` (the current
    /// chunk is `to.full.len()`). Chunks never move as to-space grows, but
    /// the address is taken afresh after any allocation.
    #[inline(always)]
    fn chunk(&mut self, chunk: usize) -> (*mut u64, usize) {
        match self.to.full.get_mut(chunk) {
            Some((c, used)) => (c.as_mut_ptr(), *used),
            None => (self.to.current.as_mut_ptr(), self.to.top),
        }
    }

    /// Evacuates `word`, the term at word `pos` of to-space chunk `chunk`,
    /// and writes back its new place.
    #[inline(always)]
    fn scan_word(&mut self, chunk: usize, pos: usize, word: u64) {
        let tag = word & 0b11;
        if tag != TAG_LIST && tag != TAG_BOXED {
            return;
        }
        let t = self.evacuate(Term::from_raw(word));
        if t.raw() != word {
            // SAFETY: `pos` is below the chunk's used length (the caller
            // read it there).
            unsafe { *self.chunk(chunk).0.add(pos) = t.raw() };
        }
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
