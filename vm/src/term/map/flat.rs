//! Flat maps: up to [`MAX_FLAT_MAP`] keys in map-key order.
//!
//! ```text
//! [hdr(Map, 2 + n), n << 1, keys tuple, value 1 .. value n]
//! ```
//!
//! The keys sit in a tuple of their own, so that maps built from one literal
//! key set, and updates of an existing key, share it.

use std::cmp::Ordering;

use super::{hamt, is_immediate, MAX_FLAT_MAP};
use crate::term::boxed::{Header, Subtag};
use crate::term::order::compare_exact;
use crate::term::{Heap, Term};

/// The keys of a flat map, in map-key order.
pub(super) fn keys<'a>(map: Term) -> &'a [Term] {
    Term::from_raw(map.boxed_word(1))
        .as_tuple()
        .map_or(&[][..], |t| t.elements())
}

/// The values of a flat map, in the order of their keys.
pub(super) fn values<'a>(map: Term) -> &'a [Term] {
    let words = &map.boxed_words()[2..];
    // SAFETY: a flat map's words after the keys tuple are terms, and Term is
    // a transparent u64.
    unsafe { std::slice::from_raw_parts(words.as_ptr() as *const Term, words.len()) }
}

/// The key-value pairs of a flat map, in map-key order.
pub(super) fn pairs(
    map: Term,
) -> impl DoubleEndedIterator<Item = (Term, Term)> + ExactSizeIterator {
    keys(map).iter().copied().zip(values(map).iter().copied())
}

/// Where `key` is (`Ok`) or would go (`Err`) among the keys.
fn position(map: Term, key: Term) -> Result<usize, usize> {
    keys(map).binary_search_by(|k| compare_exact(*k, key))
}

/// The value under `key`, found as BEAM finds it: an immediate key by its
/// word, others by equality, key after key (cheaper than a binary search
/// that orders compound keys at each step).
pub(super) fn get(map: Term, key: Term) -> Option<Term> {
    let i = if is_immediate(key) {
        keys(map).iter().position(|k| *k == key)
    } else {
        keys(map).iter().position(|k| super::same_key(*k, key))
    };
    i.map(|i| values(map)[i])
}

/// A flat map of pairs in map-key order without duplicates (at most
/// [`MAX_FLAT_MAP`]).
pub(super) fn from_sorted(heap: &mut Heap, pairs: &[(Term, Term)]) -> Term {
    let keys = keys_tuple(heap, pairs.iter().map(|p| p.0));
    with_keys(heap, keys, pairs.iter().map(|p| p.1))
}

/// A tuple of `keys`, written straight into the heap.
fn keys_tuple(heap: &mut Heap, keys: impl ExactSizeIterator<Item = Term>) -> Term {
    let slot = heap.alloc(1 + keys.len());
    slot[0] = Header::new(Subtag::Tuple, keys.len()).0;
    for (w, k) in slot[1..].iter_mut().zip(keys) {
        *w = k.raw();
    }
    Term::boxed_ptr(slot.as_ptr())
}

/// A flat map over an existing keys tuple, written straight into the heap.
fn with_keys(heap: &mut Heap, keys: Term, values: impl ExactSizeIterator<Item = Term>) -> Term {
    let n = values.len();
    let slot = heap.alloc(3 + n);
    slot[0] = Header::new(Subtag::Map, 2 + n).0;
    slot[1] = (n as u64) << 1;
    slot[2] = keys.raw();
    for (w, v) in slot[3..].iter_mut().zip(values) {
        *w = v.raw();
    }
    Term::boxed_ptr(slot.as_ptr())
}

/// Sorts pairs into map-key order, keeping the last pair of equal keys (as
/// `maps:from_list/1` does).
pub(super) fn sort_dedup(pairs: &[(Term, Term)]) -> Vec<(Term, Term)> {
    let mut v = pairs.to_vec();
    // Stable: equal keys keep their input order, so the last one wins.
    v.sort_by(|a, b| compare_exact(a.0, b.0));
    let mut out: Vec<(Term, Term)> = Vec::with_capacity(v.len());
    for p in v {
        match out.last_mut() {
            Some(last) if compare_exact(last.0, p.0) == Ordering::Equal => *last = p,
            _ => out.push(p),
        }
    }
    out
}

/// `map` with `key` set to `value`; an existing key keeps its term (which
/// matters only for `0.0` and `-0.0`), as on BEAM. The 33rd key turns the
/// map into a trie.
pub(super) fn put<H: hamt::KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    map: Term,
    key: Term,
    value: Term,
) -> Term {
    // An immediate key already there is found by its word; a binary
    // search orders keys (atoms by name) at each step.
    let known = is_immediate(key)
        .then(|| keys(map).iter().position(|k| *k == key))
        .flatten();
    match known.map_or_else(|| position(map, key), Ok) {
        Ok(i) => {
            if values(map)[i] == value {
                return map;
            }
            let vals = values(map).iter().enumerate();
            let new = vals.map(|(j, v)| if j == i { value } else { *v });
            with_keys(heap, Term::from_raw(map.boxed_word(1)), new)
        }
        Err(i) if keys(map).len() >= MAX_FLAT_MAP => {
            let mut all: Vec<(Term, Term)> = pairs(map).collect();
            all.insert(i, (key, value));
            hamt::from_unique(heap, hasher, &all)
        }
        Err(i) => {
            let (ks, vs) = (keys(map), values(map));
            let keys = keys_tuple(heap, Inserted::new(ks, i, key));
            with_keys(heap, keys, Inserted::new(vs, i, value))
        }
    }
}

/// The terms of a slice with one more at position `at`.
struct Inserted<'a> {
    terms: &'a [Term],
    at: usize,
    extra: Term,
    next: usize,
}

impl<'a> Inserted<'a> {
    fn new(terms: &'a [Term], at: usize, extra: Term) -> Inserted<'a> {
        Inserted {
            terms,
            at,
            extra,
            next: 0,
        }
    }
}

impl Iterator for Inserted<'_> {
    type Item = Term;

    fn next(&mut self) -> Option<Term> {
        let i = self.next;
        self.next += 1;
        match i.cmp(&self.at) {
            Ordering::Less => self.terms.get(i).copied(),
            Ordering::Equal => Some(self.extra),
            Ordering::Greater => self.terms.get(i - 1).copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.terms.len() + 1).saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Inserted<'_> {}

/// `map` without `key` (the same map when it has no such key).
pub(super) fn remove(heap: &mut Heap, map: Term, key: Term) -> Term {
    match position(map, key) {
        Ok(i) => {
            let mut all: Vec<(Term, Term)> = pairs(map).collect();
            all.remove(i);
            from_sorted(heap, &all)
        }
        Err(_) => map,
    }
}
