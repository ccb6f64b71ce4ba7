//! Walking a map's entries in BEAM's iteration order without collecting them.

use smallvec::SmallVec;

use super::{flat, hamt};
use crate::term::Term;

/// The entries of a map in the order of `maps:next/1` (and of `~w`): a flat
/// map's in map-key order, a trie's depth first in slot order. Created by
/// [`super::iter`].
pub struct MapIter<'a> {
    walk: Walk<'a>,
}

enum Walk<'a> {
    Flat {
        keys: &'a [Term],
        values: &'a [Term],
        next: usize,
    },
    /// The slots still to visit at each level of the current path.
    Trie(SmallVec<[&'a [Term]; 8]>),
}

impl MapIter<'_> {
    pub(super) fn new(map: Term) -> Self {
        let walk = if !map.is_map() {
            Walk::Flat {
                keys: &[],
                values: &[],
                next: 0,
            }
        } else if hamt::is_root(map) {
            let mut stack = SmallVec::new();
            stack.push(hamt::slots(map));
            Walk::Trie(stack)
        } else {
            Walk::Flat {
                keys: flat::keys(map),
                values: flat::values(map),
                next: 0,
            }
        };
        MapIter { walk }
    }
}

impl Iterator for MapIter<'_> {
    type Item = (Term, Term);

    fn next(&mut self) -> Option<(Term, Term)> {
        match &mut self.walk {
            Walk::Flat { keys, values, next } => {
                let i = *next;
                *next += 1;
                Some((*keys.get(i)?, values[i]))
            }
            Walk::Trie(stack) => loop {
                let top = stack.last_mut()?;
                let Some((&slot, rest)) = top.split_first() else {
                    stack.pop();
                    continue;
                };
                *top = rest;
                match slot.as_cons() {
                    Some(leaf) => return Some(leaf),
                    None => stack.push(hamt::slots(slot)),
                }
            },
        }
    }
}
