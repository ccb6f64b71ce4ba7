//! Maps, laid out as BEAM lays them out: a flat map up to [`MAX_FLAT_MAP`]
//! keys (`flat.rs`), a hash-array-mapped trie above (`hamt.rs`) keyed by
//! BEAM's internal hash ([`hash`]), so that tries iterate in BEAM's order.
//!
//! Both start with a size word, `n << 1` for a flat map and `n << 1 | 1` for
//! a trie root. Maps are persistent: [`Heap::map_put`], [`Heap::map_update`]
//! and [`Heap::map_remove`] return a new map that shares what did not change.
//! As on BEAM, the 33rd key turns a flat map into a trie and a trie that
//! shrinks to 32 keys becomes flat again.
//!
//! Three orders matter:
//! - [`iter`]: `maps:next/1` order, which `~w` and `~p` print in;
//! - [`entries`]: `maps:to_list/1` order, which the external term format
//!   writes in; for a trie it is [`iter`]'s order reversed;
//! - [`sorted_entries`]: map-key order, which term order compares by.

mod flat;
mod hamt;
pub mod hash;
mod iter;

#[cfg(test)]
mod tests;

use std::fmt;

use super::boxed::Subtag;
use super::order::{compare_exact, eq_exact};
use super::print::Item;
use super::{Heap, Term};
use hamt::BeamHash;
pub use iter::MapIter;

/// Most keys a flat map holds; larger maps are hash tries, as on BEAM.
pub const MAX_FLAT_MAP: usize = 32;

/// Why a map operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// The term is not a map (`{badmap, Term}` in Erlang).
    #[error("not a map")]
    BadMap,
    /// The map has no such key (`{badkey, Key}` in Erlang).
    #[error("no such key")]
    BadKey,
}

/// The empty map `#{}`.
pub fn empty_map(heap: &mut Heap) -> Term {
    flat::from_sorted(heap, &[])
}

/// Is this an immediate (a term whose word is its whole value)?
fn is_immediate(t: Term) -> bool {
    t.primary_tag() == super::TAG_IMMED1
}

/// `a =:= b` for map keys, without the general comparison when either is an
/// immediate (an immediate is only ever `=:=` to the same word).
fn same_key(a: Term, b: Term) -> bool {
    if a == b {
        return true;
    }
    if is_immediate(a) || is_immediate(b) {
        return false;
    }
    // Binary keys (the usual boxed ones) compare as bytes, without the
    // general term walk.
    let bytes = |t: Term| t.as_bits().and_then(|b| b.as_bytes());
    match (bytes(a), bytes(b)) {
        (Some(x), Some(y)) => x == y,
        _ => eq_exact(a, b),
    }
}

/// A flat map's keys tuple, keys and values (`None` for a trie).
pub(crate) fn flat_parts<'a>(map: Term) -> Option<(Term, &'a [Term], &'a [Term])> {
    if is_hamt(map) {
        return None;
    }
    Some((
        Term::from_raw(map.boxed_word(1)),
        flat::keys(map),
        flat::values(map),
    ))
}

/// Is this map a trie root (rather than a flat map)?
pub(crate) fn is_hamt(map: Term) -> bool {
    map.is_map() && hamt::is_root(map)
}

impl Heap {
    /// A map of the given pairs; a later pair wins over an earlier one with
    /// an `=:=` key, as in `maps:from_list/1`. Flat up to [`MAX_FLAT_MAP`]
    /// distinct keys, a trie above.
    pub fn map_from_pairs(&mut self, pairs: &[(Term, Term)]) -> Term {
        if pairs.len() <= MAX_FLAT_MAP {
            let sorted = flat::sort_dedup(pairs);
            return flat::from_sorted(self, &sorted);
        }
        hamt::from_pairs(self, &BeamHash, pairs)
    }

    /// A map from pairs already in map-key order without duplicates (flat
    /// unless there are more than [`MAX_FLAT_MAP`]).
    pub fn flat_map_sorted(&mut self, pairs: &[(Term, Term)]) -> Term {
        if pairs.len() > MAX_FLAT_MAP {
            return hamt::from_unique(self, &BeamHash, pairs);
        }
        flat::from_sorted(self, pairs)
    }

    /// `map` with `key` set to `value` (`maps:put/3`, `M#{K => V}`).
    pub fn map_put(&mut self, map: Term, key: Term, value: Term) -> Result<Term, MapError> {
        if !map.is_map() {
            return Err(MapError::BadMap);
        }
        Ok(if hamt::is_root(map) {
            hamt::put(self, &BeamHash, map, key, value)
        } else {
            flat::put(self, &BeamHash, map, key, value)
        })
    }

    /// `map` with the existing `key` set to `value` (`maps:update/3`,
    /// `M#{K := V}`).
    pub fn map_update(&mut self, map: Term, key: Term, value: Term) -> Result<Term, MapError> {
        if !map.is_map() {
            return Err(MapError::BadMap);
        }
        if hamt::is_root(map) {
            return hamt::update(self, &BeamHash, map, key, value).ok_or(MapError::BadKey);
        }
        map.map_get(key).ok_or(MapError::BadKey)?;
        self.map_put(map, key, value)
    }

    /// `map` without `key` (`maps:remove/2`); the same map when the key is
    /// absent.
    /// `maps:merge(a, b)`: the keys of both, `b`'s value for a key both
    /// have. Two tries merge node by node, sharing what only one has
    /// (`hamt::merge`); otherwise the flat map's keys (at most
    /// [`MAX_FLAT_MAP`]) go into the other one.
    pub fn map_merge(&mut self, a: Term, b: Term) -> Result<Term, MapError> {
        if !(a.is_map() && b.is_map()) {
            return Err(MapError::BadMap);
        }
        match (hamt::is_root(a), hamt::is_root(b)) {
            (true, true) => Ok(hamt::merge(self, &BeamHash, a, b)),
            (false, true) => iter(a)
                .filter(|&(k, _)| b.map_get(k).is_none())
                .try_fold(b, |m, (k, v)| self.map_put(m, k, v)),
            _ => iter(b).try_fold(a, |m, (k, v)| self.map_put(m, k, v)),
        }
    }

    pub fn map_remove(&mut self, map: Term, key: Term) -> Result<Term, MapError> {
        if !map.is_map() {
            return Err(MapError::BadMap);
        }
        Ok(if hamt::is_root(map) {
            hamt::remove(self, &BeamHash, map, key)
        } else {
            flat::remove(self, map, key)
        })
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

    /// The value under `key` (compared with `=:=`), if this is a map holding
    /// it: a binary search in a flat map, a walk down a trie.
    pub fn map_get(self, key: Term) -> Option<Term> {
        if !self.is_map() {
            None
        } else if hamt::is_root(self) {
            hamt::get(&BeamHash, self, key)
        } else {
            flat::get(self, key)
        }
    }

    /// [`Term::map_get`] with the key's [`key_hash`] already computed.
    pub fn map_get_hashed(self, key: Term, hash: u32) -> Option<Term> {
        if !self.is_map() {
            None
        } else if hamt::is_root(self) {
            hamt::get_hashed(&BeamHash, self, key, hash)
        } else {
            flat::get(self, key)
        }
    }
}

/// The hash that places `key` in a trie, for [`Term::map_get_hashed`]: a
/// loader can compute it once for a literal key, as BEAM's loader does.
pub fn key_hash(key: Term) -> u32 {
    hash::map_hash(key, 0)
}

/// The bitmap and slots of a trie root or inner node, for printers that
/// show a trie's shape as `erlang:display/1` does. A slot is a leaf (the
/// cons cell `[Key | Value]`) or a deeper node. `None` for anything else.
pub fn trie_node<'a>(node: Term) -> Option<(u64, &'a [Term])> {
    match node.header()?.subtag() {
        Subtag::Map if hamt::is_root(node) => Some(hamt::parts(node)),
        Subtag::MapNode => Some(hamt::parts(node)),
        _ => None,
    }
}

/// The entries of a map in `maps:next/1` order, without collecting them
/// (nothing for a non-map).
pub fn iter<'a>(map: Term) -> MapIter<'a> {
    MapIter::new(map)
}

/// The entries of a map in `maps:to_list/1` order, the order of the external
/// term format (empty for a non-map).
pub fn entries(map: Term) -> Vec<(Term, Term)> {
    let mut v: Vec<(Term, Term)> = iter(map).collect();
    if is_hamt(map) {
        v.reverse();
    }
    v
}

/// The entries of a map in map-key order (empty for a non-map).
pub fn sorted_entries(map: Term) -> Vec<(Term, Term)> {
    let mut v: Vec<(Term, Term)> = iter(map).collect();
    if is_hamt(map) {
        v.sort_by(|a, b| compare_exact(a.0, b.0));
    }
    v
}

/// Prints a map as `~w` does: `#{K => V,...}` in [`iter`] order.
pub(crate) fn write_map(
    out: &mut dyn fmt::Write,
    map: Term,
    schedule: impl FnOnce(Vec<Item>),
) -> fmt::Result {
    out.write_str("#{")?;
    let mut items = Vec::new();
    for (i, (k, v)) in iter(map).enumerate() {
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
