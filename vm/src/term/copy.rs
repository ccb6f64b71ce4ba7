//! Copying a term from one heap into another, as BEAM's `size_object` and
//! `copy_struct` do for messages, spawn arguments and `persistent_term`.
//!
//! The term is measured first, so the destination gets one chunk of the
//! exact size, then copied object by object with an explicit work list (no
//! native recursion: a million-long list or a deeply nested tuple copies in
//! constant native stack). As on BEAM, a subterm reached twice is copied
//! twice, and off-heap binaries and magic objects are not copied: the
//! destination heap takes a reference to the same buffer (which is marked
//! shared, see [`BinaryBuf::mark_shared`]). Match states are not values a
//! program can send; a term holding one is refused (`None`).

use std::sync::Arc;

use super::binary::BinaryBuf;
use super::boxed::{Header, Subtag};
use super::gc::term_words;
use super::magic::{Magic, MAGIC_FLAG};
use super::{Heap, Term, TAG_BOXED, TAG_LIST};

/// Words the copy of `t` takes on a heap; `None` if `t` holds a match
/// state.
pub fn size_of(t: Term) -> Option<usize> {
    let mut words = 0;
    let mut todo = vec![t];
    while let Some(t) = todo.pop() {
        match t.primary_tag() {
            TAG_LIST => {
                words += 2;
                let (h, tl) = t.as_cons()?;
                todo.push(tl);
                todo.push(h);
            }
            TAG_BOXED => {
                let h = t.header()?;
                if h.subtag() == Subtag::MatchState {
                    return None;
                }
                words += 1 + h.arity();
                let payload = t.boxed_words();
                todo.extend(
                    term_words(h, payload.first().copied()).map(|i| Term::from_raw(payload[i])),
                );
            }
            _ => {}
        }
    }
    Some(words)
}

/// A copy of `t` on a new heap of exactly its size; `None` if `t` holds a
/// match state.
pub fn copy_to_new_heap(t: Term) -> Option<(Term, Heap)> {
    let words = size_of(t)?;
    let mut heap = Heap::with_capacity(words.max(1));
    let copy = copy_into(t, &mut heap);
    Some((copy, heap))
}

/// A copy of `t` on `heap` (another process's heap, read while that
/// process is stopped); `None` if `t` holds a match state.
pub fn copy_onto(t: Term, heap: &mut Heap) -> Option<Term> {
    size_of(t)?;
    Some(copy_into(t, heap))
}

/// Copies `t` onto `heap`; `t` must not hold a match state (check with
/// [`size_of`] first).
fn copy_into(t: Term, heap: &mut Heap) -> Term {
    let mut root = t;
    // Words to fill: the destination word and the source term it copies.
    let mut todo: Vec<(*mut u64, Term)> = vec![(&mut root as *mut Term as *mut u64, t)];
    while let Some((dst, t)) = todo.pop() {
        let new = match t.primary_tag() {
            TAG_LIST => {
                let (h, tl) = t.as_cons().unwrap_or((Term::NIL, Term::NIL));
                let cell = heap.alloc(2).as_mut_ptr();
                // SAFETY: `cell` is a fresh two-word allocation.
                let tail = unsafe { cell.add(1) };
                todo.push((tail, tl));
                todo.push((cell, h));
                Term::list_ptr(cell)
            }
            TAG_BOXED => copy_boxed(t, heap, &mut todo),
            _ => t,
        };
        // SAFETY: `dst` is `root` or a word of an object allocated on
        // `heap` by this loop; heap chunks never move, so it is still valid.
        unsafe { *dst = new.raw() };
    }
    root
}

/// Copies the boxed object of `t`: its raw words now, its term words later
/// (pushed on `todo`).
fn copy_boxed(t: Term, heap: &mut Heap, todo: &mut Vec<(*mut u64, Term)>) -> Term {
    let Some(h) = t.header() else {
        return t;
    };
    let payload = t.boxed_words();
    let n = payload.len();
    let slot = heap.alloc(1 + n);
    slot[0] = h.0;
    slot[1..].copy_from_slice(payload);
    let base = slot.as_mut_ptr();
    for i in term_words(h, payload.first().copied()) {
        // SAFETY: `i < n`: word `1 + i` of the `1 + n` just allocated.
        todo.push((unsafe { base.add(1 + i) }, Term::from_raw(payload[i])));
    }
    keep_off_heap(h, payload, heap);
    Term::boxed_ptr(base)
}

/// The destination heap's own count on what a copied object references
/// off the heap.
fn keep_off_heap(h: Header, payload: &[u64], heap: &mut Heap) {
    match h.subtag() {
        // [byte size, Arc<BinaryBuf>]
        Subtag::RefcBin => {
            let buf = payload[1] as *const BinaryBuf;
            // SAFETY: the source heap holds a strong count for this object's
            // buffer while the copy is made, so adding one is sound.
            let buf = unsafe {
                Arc::increment_strong_count(buf);
                Arc::from_raw(buf)
            };
            buf.mark_shared();
            heap.keep_binary(buf);
        }
        // [3 | MAGIC_FLAG, ids, ids, Arc<Magic>]
        Subtag::Ref if payload[0] & MAGIC_FLAG != 0 => {
            let object = payload[3] as *const Magic;
            // SAFETY: as above, the source heap holds a count on the object.
            let object = unsafe {
                Arc::increment_strong_count(object);
                Arc::from_raw(object)
            };
            heap.keep_magic(object);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::etf;

    fn ext(t: Term) -> Vec<u8> {
        etf::encode(t, &etf::EncodeOptions::default()).unwrap()
    }

    fn sample(h: &mut Heap) -> Term {
        let big = etf::decode(&ext_of_big(), h).unwrap();
        let bin = h.binary(&[7u8; 200]);
        let sub = h.sub_binary(bin, 3, 1001);
        let small = h.binary(b"abc");
        let f = h.float(1.5);
        let s = h.string("hello");
        let inner = h.tuple(&[Term::small(-4), f, s]);
        let map = h.map_from_pairs(&[(Term::small(1), inner), (Term::NIL, small)]);
        let l = h.list(&[big, bin, sub, map, inner]);
        h.tuple(&[l, l, Term::small(3)])
    }

    fn ext_of_big() -> Vec<u8> {
        let mut h = Heap::new();
        let t = etf::decode(&[131, 110, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], &mut h).unwrap();
        ext(t)
    }

    #[test]
    fn a_copy_equals_the_original() {
        let mut h = Heap::new();
        let t = sample(&mut h);
        let (c, other) = copy_to_new_heap(t).unwrap();
        drop(h);
        assert_eq!(ext(c), {
            let mut h2 = Heap::new();
            ext(sample(&mut h2))
        });
        assert_eq!(other.words_used(), size_of(c).unwrap());
    }

    #[test]
    fn off_heap_binaries_are_shared_not_copied() {
        let mut h = Heap::new();
        let bin = h.binary(&[1u8; 100]);
        let (c, other) = copy_to_new_heap(bin).unwrap();
        let (a, _) = bin.as_refc_buf().unwrap();
        let (b, _) = c.as_refc_buf().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.is_shared());
        drop(h);
        assert_eq!(c.as_binary(), Some(&[1u8; 100][..]));
        drop(other);
    }

    #[test]
    fn a_long_list_copies_without_recursion() {
        let mut h = Heap::new();
        let items: Vec<Term> = (0..1_000_000).map(Term::small).collect();
        let l = h.list(&items);
        let mut nested = Term::NIL;
        for _ in 0..100_000 {
            nested = h.tuple(&[nested]);
        }
        let t = h.tuple(&[l, nested]);
        let (c, _other) = copy_to_new_heap(t).unwrap();
        assert_eq!(ext(c), ext(t));
    }

    #[test]
    fn match_states_are_refused() {
        let mut h = Heap::new();
        let bin = h.binary(b"xyz");
        let ms = h.match_state(bin);
        let t = h.tuple(&[ms]);
        assert!(size_of(t).is_none());
        assert!(copy_to_new_heap(t).is_none());
    }
}
