//! Maps.
//!
//! A flat map (up to [`MAX_FLAT_MAP`] keys) is laid out as BEAM lays it out:
//!
//! ```text
//! [hdr(2 + n), n << 1, keys tuple, value 1 .. value n]
//! ```
//!
//! with the keys in map-key order ([`super::order::compare_exact`]) in a tuple
//! of their own, so that maps built from one literal key set share it.
//! The low bit of the size word tells a flat map (0) from the root of a
//! hash-array-mapped trie (1).

use std::cmp::Ordering;
use std::fmt;

use super::boxed::Subtag;
use super::order::compare_exact;
use super::print::Item;
use super::{Heap, Term};

/// Most keys a flat map holds; larger maps are hash tries, as on BEAM.
pub const MAX_FLAT_MAP: usize = 32;

/// The empty map `#{}`.
pub fn empty_map(heap: &mut Heap) -> Term {
    let keys = heap.tuple(&[]);
    heap.boxed(Subtag::Map, &[0, keys.raw()])
}

impl Heap {
    /// A map of the given pairs; a later pair wins over an earlier one with
    /// an `=:=` key, as in `maps:from_list/1`.
    pub fn map_from_pairs(&mut self, pairs: &[(Term, Term)]) -> Term {
        let mut sorted: Vec<(Term, Term)> = Vec::with_capacity(pairs.len());
        // Stable sort keeps input order among equal keys; keep the last one.
        let mut v = pairs.to_vec();
        v.sort_by(|a, b| compare_exact(a.0, b.0));
        for p in v {
            match sorted.last_mut() {
                Some(last) if compare_exact(last.0, p.0) == Ordering::Equal => *last = p,
                _ => sorted.push(p),
            }
        }
        self.flat_map_sorted(&sorted)
    }

    /// A flat map from pairs already in map-key order without duplicates.
    pub fn flat_map_sorted(&mut self, pairs: &[(Term, Term)]) -> Term {
        let keys: Vec<Term> = pairs.iter().map(|p| p.0).collect();
        let keys = self.tuple(&keys);
        let mut payload = Vec::with_capacity(2 + pairs.len());
        payload.push((pairs.len() as u64) << 1);
        payload.push(keys.raw());
        payload.extend(pairs.iter().map(|p| p.1.raw()));
        self.boxed(Subtag::Map, &payload)
    }
}

impl Term {
    /// Is this a map?
    pub fn is_map(self) -> bool {
        matches!(self.header(), Some(h) if h.subtag() == Subtag::Map)
    }

    /// Number of keys, if this is a map.
    pub fn map_size(self) -> Option<usize> {
        self.is_map().then(|| (self.boxed_word(0) >> 1) as usize)
    }

    /// The value under `key` (compared with `=:=`), if this is a map holding it.
    pub fn map_get(self, key: Term) -> Option<Term> {
        sorted_entries(self)
            .into_iter()
            .find(|(k, _)| compare_exact(*k, key) == Ordering::Equal)
            .map(|(_, v)| v)
    }
}

/// The entries of a map in BEAM's internal iteration order, the order of
/// `maps:to_list/1` and of the external term format (empty for a non-map).
/// For a flat map this is map-key order.
pub fn entries(map: Term) -> Vec<(Term, Term)> {
    sorted_entries(map)
}

/// The entries of a map in map-key order (empty for a non-map).
pub fn sorted_entries(map: Term) -> Vec<(Term, Term)> {
    if !map.is_map() {
        return Vec::new();
    }
    let words = map.boxed_words();
    let keys = Term::from_raw(words[1])
        .as_tuple()
        .map_or(&[][..], |t| t.elements());
    keys.iter()
        .zip(&words[2..])
        .map(|(k, v)| (*k, Term::from_raw(*v)))
        .collect()
}

/// Prints a map as `~w` does: `#{K => V,...}` in map-key order.
pub(crate) fn write_map(
    out: &mut dyn fmt::Write,
    map: Term,
    schedule: impl FnOnce(Vec<Item>),
) -> fmt::Result {
    out.write_str("#{")?;
    let mut items = Vec::new();
    for (i, (k, v)) in sorted_entries(map).into_iter().enumerate() {
        if i > 0 {
            items.push(Item::Text(","));
        }
        items.push(Item::Term(k));
        items.push(Item::Text(" => "));
        items.push(Item::Term(v));
    }
    items.push(Item::Text("}"));
    schedule(items);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atom::Atom;

    #[test]
    fn maps_sort_keys_and_keep_the_last_duplicate() {
        let mut h = Heap::new();
        let a = Term::atom(Atom::intern("a").unwrap());
        let b = Term::atom(Atom::intern("b").unwrap());
        let f = h.float(1.0);
        let m = h.map_from_pairs(&[
            (a, Term::small(1)),
            (Term::small(1), Term::small(2)),
            (f, Term::small(3)),
            (b, Term::NIL),
            (a, Term::small(9)),
        ]);
        assert_eq!(m.map_size(), Some(4));
        // Printed by erl: #{1 => 2,1.0 => 3,a => 1,b => []} (with a => 9 here).
        assert_eq!(m.to_string(), "#{1 => 2,1.0 => 3,a => 9,b => []}");
        assert_eq!(m.map_get(f), Some(Term::small(3)));
        assert_eq!(m.map_get(Term::small(7)), None);
        assert_eq!(empty_map(&mut h).to_string(), "#{}");
    }
}
