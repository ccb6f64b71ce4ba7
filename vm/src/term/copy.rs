//! Copying a term into another heap (a message, a spawned process's
//! arguments, a timer's message), as BEAM's `size_object` and
//! `copy_struct`: one pass counts the words, the other copies into one
//! block of exactly that size. Sharing within the term is not kept (a
//! subterm reached twice is copied twice), as on BEAM and as through the
//! external term format.
//!
//! Both passes keep their work list off the native stack: the size pass
//! in a vector, the copy pass in the block itself (Cheney's scan: objects
//! are copied whole, then the block is scanned in order and every term
//! word that still points at the source is replaced by a copy of what it
//! points at, appended to the block). Off-heap binaries and magic
//! references' objects are shared, the destination heap taking a count for
//! each copied object, as the collector does (`term::gc`); such a buffer
//! is marked shared ([`BinaryBuf::mark_shared`]), so bits a view may cover
//! are never written again.
//!
//! Messages and spawn arguments share the literals they hold (terms in the
//! literal region, [`super::literal`]) instead of copying them, as BEAM's
//! `size_object_litopt`/`copy_struct_litopt` do for `send` and `spawn`;
//! other copies (into ETS tables, timers, `persistent_term`) copy
//! everything, as BEAM's `size_object`/`copy_struct` do.

use smallvec::{smallvec, SmallVec};

use super::boxed::{Header, Subtag};
use super::gc::term_words;
use super::{Heap, Term, TAG_BOXED, TAG_HEADER, TAG_LIST};

/// A term holds a value that is not data (a binary match state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncopyable;

/// Whether `t` points at an object (a cons cell or a boxed object).
#[inline]
fn is_pointer(t: Term) -> bool {
    matches!(t.primary_tag(), TAG_LIST | TAG_BOXED)
}

/// The header of a boxed object and its first word, if any.
///
/// SAFETY (callers): `p` points at a boxed object's header (a boxed term's
/// pointer), followed by `arity` words.
unsafe fn header_at(p: *const u64) -> (Header, Option<u64>) {
    // SAFETY: see the function's contract.
    unsafe {
        let h = Header(*p);
        (h, (h.arity() > 0).then(|| *p.add(1)))
    }
}

/// Whether a copy made with `SHARE` leaves `t` where it is: an
/// immediate, or with `SHARE` a literal.
#[inline(always)]
fn stays<const SHARE: bool>(t: Term) -> bool {
    !is_pointer(t) || (SHARE && super::literal::contains(t.ptr()))
}

/// The number of heap words a copy of `t` takes (0 for an immediate).
pub fn size_of(t: Term) -> Result<usize, Uncopyable> {
    size_as::<false>(t)
}

/// The number of heap words a message's copy of `t` takes: what
/// [`size_of`] counts but literals.
pub fn message_size(t: Term) -> Result<usize, Uncopyable> {
    size_as::<true>(t)
}

fn size_as<const SHARE: bool>(t: Term) -> Result<usize, Uncopyable> {
    let mut words = 0usize;
    // Most messages are small: their work list needs no allocation.
    let mut todo: SmallVec<[Term; 32]> = smallvec![t];
    while let Some(t) = todo.pop() {
        if stays::<SHARE>(t) {
            continue;
        }
        let p = t.ptr();
        if t.primary_tag() == TAG_LIST {
            words += 2;
            // SAFETY: a list term points at a cons cell: two term words.
            unsafe { todo.extend([Term::from_raw(*p), Term::from_raw(*p.add(1))]) };
            continue;
        }
        // SAFETY: a boxed term points at a header and its `arity` words.
        let (h, first) = unsafe { header_at(p) };
        if h.subtag() == Subtag::MatchState {
            return Err(Uncopyable);
        }
        words += 1 + h.arity();
        for i in term_words(h, first) {
            // SAFETY: `i < arity` (term_words's ranges are within it).
            todo.push(Term::from_raw(unsafe { *p.add(1 + i) }));
        }
    }
    Ok(words)
}

/// Copies `t` into a fresh heap of exactly its size: the copy and the
/// heap. The binaries made by appending that it holds are no longer
/// appended to in place, as BEAM's are not once in another process.
pub fn copy_fresh(t: Term) -> Result<(Term, Heap), Uncopyable> {
    copy_fresh_as::<false>(t)
}

/// [`copy_fresh`] of a message to another process: its literals are
/// shared, not copied.
pub fn copy_message(t: Term) -> Result<(Term, Heap), Uncopyable> {
    copy_fresh_as::<true>(t)
}

fn copy_fresh_as<const SHARE: bool>(t: Term) -> Result<(Term, Heap), Uncopyable> {
    if stays::<SHARE>(t) {
        return Ok((t, Heap::with_capacity(1)));
    }
    let words = size_as::<SHARE>(t)?;
    let mut heap = Heap::with_capacity(words);
    let copy = copy_block::<SHARE>(t, words, &mut heap);
    Ok((copy, heap))
}

/// A copy of `t` on `heap` (another process's heap, read while that
/// process is stopped).
pub fn copy_onto(t: Term, heap: &mut Heap) -> Result<Term, Uncopyable> {
    let words = size_of(t)?;
    Ok(copy_block::<false>(t, words, heap))
}

/// [`copy_onto`] of a spawn argument, of `words` words (its
/// [`message_size`]): its literals are shared, not copied.
pub fn copy_message_onto(t: Term, words: usize, heap: &mut Heap) -> Term {
    copy_block::<true>(t, words, heap)
}

/// Copies `t`, of `words` words (its [`size_as`]), into `heap`, with
/// the buffers of binaries made by appending sealed
/// ([`super::binary::BinaryBuf::seal`]); with `SHARE`, literals stay
/// where they are.
fn copy_block<const SHARE: bool>(t: Term, words: usize, heap: &mut Heap) -> Term {
    if words == 0 {
        return t;
    }
    let block = heap.alloc(words).as_mut_ptr();
    let mut copier = Copier::<SHARE> {
        block,
        top: 0,
        heap,
    };
    // SAFETY: `block` has room for the whole term (`size_of`), which is
    // what `shallow` and the scan below write, and `heap` allocates
    // nothing else meanwhile (it only records binary counts).
    unsafe {
        let root = copier.shallow(t);
        let mut scan = 0;
        while scan < copier.top {
            let w = *block.add(scan);
            if w & 0b11 != TAG_HEADER {
                // A cons cell's head or tail.
                *block.add(scan) = copier.shallow(Term::from_raw(w)).raw();
                scan += 1;
                continue;
            }
            let (h, first) = header_at(block.add(scan));
            for i in term_words(h, first) {
                let at = block.add(scan + 1 + i);
                *at = copier.shallow(Term::from_raw(*at)).raw();
            }
            scan += 1 + h.arity();
        }
        root
    }
}

/// The block being filled and the heap it belongs to.
struct Copier<'a, const SHARE: bool> {
    block: *mut u64,
    top: usize,
    heap: &'a mut Heap,
}

impl<const SHARE: bool> Copier<'_, SHARE> {
    /// Copies the object `t` points at (its words as they are: the scan
    /// copies what they point at in turn) to the end of the block and
    /// returns the term of the copy; an immediate (and with `SHARE` a
    /// literal) comes back unchanged.
    ///
    /// SAFETY (callers): the block has room for the object (the size pass
    /// counted it), and `t` is a valid term.
    #[inline(always)]
    unsafe fn shallow(&mut self, t: Term) -> Term {
        if stays::<SHARE>(t) {
            return t;
        }
        let src = t.ptr();
        // SAFETY: see the function's contract; a cons cell is two words,
        // a boxed object a header and `arity` words.
        unsafe {
            let dst = self.block.add(self.top);
            if t.primary_tag() == TAG_LIST {
                std::ptr::copy_nonoverlapping(src, dst, 2);
                self.top += 2;
                return Term::list_ptr(dst);
            }
            let h = Header(*src);
            let size = 1 + h.arity();
            std::ptr::copy_nonoverlapping(src, dst, size);
            self.top += size;
            // The source heap holds a count on an off-heap binary's buffer
            // and a magic reference's object; the copy takes its own.
            if let Some((buf, _)) = t.as_refc_buf() {
                buf.mark_shared();
                buf.seal();
                self.heap.keep_binary(buf);
            } else if let Some(object) = t.as_magic() {
                self.heap.keep_magic(object);
            }
            Term::boxed_ptr(dst)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::etf;
    use std::sync::Arc;

    fn ext(t: Term) -> Vec<u8> {
        etf::encode(t, &etf::EncodeOptions::default()).unwrap()
    }

    #[test]
    fn off_heap_binaries_are_shared_not_copied() {
        let mut h = Heap::new();
        let bin = h.binary(&[1u8; 100]);
        let sub = h.sub_binary(bin, 3, 501);
        let t = h.tuple(&[bin, sub]);
        let (c, other) = copy_fresh(t).unwrap();
        let (a, _) = bin.as_refc_buf().unwrap();
        let (b, _) = Term::from_raw(c.boxed_words()[0]).as_refc_buf().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.is_shared());
        let want = ext(t);
        drop(h);
        assert_eq!(ext(c), want);
        drop(other);
    }

    #[test]
    fn a_long_list_and_a_deep_tuple_copy_without_recursion() {
        let mut h = Heap::new();
        let items: Vec<Term> = (0..1_000_000).map(Term::small).collect();
        let l = h.list(&items);
        let mut nested = Term::NIL;
        for _ in 0..100_000 {
            nested = h.tuple(&[nested]);
        }
        let t = h.tuple(&[l, nested]);
        let (c, _other) = copy_fresh(t).unwrap();
        assert_eq!(ext(c), ext(t));
        let mut onto = Heap::new();
        let c2 = copy_onto(t, &mut onto).unwrap();
        assert_eq!(ext(c2), ext(t));
    }

    #[test]
    fn match_states_are_refused() {
        let mut h = Heap::new();
        let bin = h.binary(b"xyz");
        let ms = h.match_state(bin);
        let t = h.tuple(&[ms]);
        assert_eq!(size_of(t), Err(Uncopyable));
        assert!(copy_fresh(t).is_err());
    }

    #[test]
    fn copies_nested_terms_exactly_sized() {
        let mut src = Heap::new();
        let f = src.float(1.5);
        let inner = src.tuple(&[Term::small(1), f]);
        let list = src.list(&[inner, Term::NIL, inner]);
        let t = src.tuple(&[list, Term::small(7)]);
        let words = size_of(t).unwrap();
        // 3 cons cells, two 2-tuples and two floats, one 2-tuple.
        assert_eq!(words, 6 + 2 * 3 + 2 * 2 + 3);
        let (copy, dst) = copy_fresh(t).unwrap();
        assert_eq!(copy.to_string(), t.to_string());
        assert_eq!(dst.words_used(), words);
        drop(src);
        assert_eq!(copy.to_string(), "{[{1,1.5},[],{1,1.5}],7}");
    }

    #[test]
    fn immediates_take_no_words() {
        assert_eq!(size_of(Term::small(3)), Ok(0));
        assert_eq!(copy_fresh(Term::NIL).map(|(t, _)| t), Ok(Term::NIL));
    }
}
