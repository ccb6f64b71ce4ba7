//! A table's objects: copies of the inserted tuples, each in its own
//! fragment off every process heap, grouped by key: in a B-tree for an
//! `ordered_set` (term order, `==`: `1` and `1.0` are one key), in BEAM's
//! hash buckets for the other kinds ([`HashTable`], `=:=` keys).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

use enigma_vm::process::Message;
use enigma_vm::term::beam_size::flat_size;
use enigma_vm::term::order::compare;
use enigma_vm::term::{Heap, Term};

use super::hash::HashTable;

/// A key as the B-tree compares it: a term, borrowed from the caller or
/// from a [`Key`]'s own fragment.
#[derive(Clone, Copy)]
pub struct Probe {
    /// The key.
    pub term: Term,
}

impl Ord for Probe {
    fn cmp(&self, other: &Probe) -> Ordering {
        // The same word is the same term (an immediate, or one object).
        if self.term.raw() == other.term.raw() {
            Ordering::Equal
        } else {
            compare(self.term, other.term)
        }
    }
}

impl PartialOrd for Probe {
    fn partial_cmp(&self, other: &Probe) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Probe {
    fn eq(&self, other: &Probe) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Probe {}

/// A stored key: its probe and the fragment its term lives in (none for
/// an immediate).
pub struct Key {
    probe: Probe,
    _fragment: Option<Heap>,
}

impl Borrow<Probe> for Key {
    fn borrow(&self) -> &Probe {
        &self.probe
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.probe.cmp(&other.probe)
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.probe == other.probe
    }
}

impl Eq for Key {}

/// Copies `term` off the caller's heap (`None` for a match state, which
/// no object holds).
pub fn copy(term: Term) -> Option<Message> {
    Message::copy(term).ok()
}

/// The objects of an `ordered_set`.
#[derive(Default)]
pub struct Tree {
    map: BTreeMap<Key, Vec<Message>>,
    /// The number of objects.
    count: usize,
}

impl Tree {
    /// The probe of `key` in this table.
    fn probe(&self, key: Term) -> Probe {
        Probe { term: key }
    }

    /// The number of objects.
    pub fn size(&self) -> usize {
        self.count
    }

    /// The objects stored under `key`.
    pub fn get(&self, key: Term) -> Option<&Vec<Message>> {
        self.map.get(&self.probe(key))
    }

    /// The objects stored under `key`, to change in place (not their
    /// number).
    pub fn get_mut(&mut self, key: Term) -> Option<&mut Vec<Message>> {
        let p = self.probe(key);
        self.map.get_mut(&p)
    }

    /// Replaces the objects under `key` (a copy is made of the key when it
    /// is new) with `objects`.
    pub fn put(&mut self, key: Term, objects: Vec<Message>) {
        let p = self.probe(key);
        let n = objects.len();
        if let Some(old) = self.map.get_mut(&p) {
            self.count = self.count - old.len() + n;
            *old = objects;
            return;
        }
        let Some(m) = copy(key) else { return };
        let probe = Probe { term: m.term };
        let fragment = (m.fragment.words_used() > 0).then_some(m.fragment);
        self.map.insert(
            Key {
                probe,
                _fragment: fragment,
            },
            objects,
        );
        self.count += n;
    }

    /// Takes out the objects under `key`.
    pub fn remove(&mut self, key: Term) -> Option<Vec<Message>> {
        let objs = self.map.remove(&self.probe(key))?;
        self.count -= objs.len();
        Some(objs)
    }

    /// Drops every object; how many there were.
    pub fn clear(&mut self) -> usize {
        self.map.clear();
        std::mem::take(&mut self.count)
    }

    /// Every key with its objects, in the table's order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Term, &Vec<Message>)> {
        self.map.iter().map(|(k, v)| (k.probe.term, v))
    }

    /// The keys with their objects after `key` (all of them for `None`),
    /// in order (`forward`) or reverse order (before `key`).
    pub fn from(
        &self,
        key: Option<Term>,
        forward: bool,
    ) -> Box<dyn Iterator<Item = (Term, &Vec<Message>)> + '_> {
        let p = key.map(|k| self.probe(k));
        let bounds = match (&p, forward) {
            (None, _) => (Bound::Unbounded, Bound::Unbounded),
            (Some(p), true) => (Bound::Excluded(p), Bound::Unbounded),
            (Some(p), false) => (Bound::Unbounded, Bound::Excluded(p)),
        };
        let r = self
            .map
            .range::<Probe, _>(bounds)
            .map(|(k, v)| (k.probe.term, v));
        if forward {
            Box::new(r)
        } else {
            Box::new(r.rev())
        }
    }

    /// The first key (`forward`) or last key after `key` (before it going
    /// backward).
    pub fn step(&self, key: Option<Term>, forward: bool) -> Option<Term> {
        self.from(key, forward).next().map(|(k, _)| k)
    }

    /// Keeps the objects `keep` says to keep; how many went.
    pub fn retain(&mut self, mut keep: impl FnMut(&Message) -> bool) -> usize {
        let before = self.count;
        let mut count = 0;
        self.map.retain(|_, objs| {
            objs.retain(&mut keep);
            count += objs.len();
            !objs.is_empty()
        });
        self.count = count;
        before - count
    }

    /// The words BEAM's tree gives its objects (`info(T, memory)`): each
    /// its flat size and a `TreeDbTerm`'s five words.
    pub fn words(&self) -> usize {
        self.map
            .values()
            .flatten()
            .map(|m| 5 + flat_size(m.term))
            .sum()
    }
}

/// The objects of one table, as its kind keeps them.
pub enum Objects {
    /// An `ordered_set`'s.
    Tree(Tree),
    /// A `set`'s, `bag`'s or `duplicate_bag`'s.
    Hash(HashTable),
}

impl Objects {
    /// The number of objects.
    pub fn size(&self) -> usize {
        match self {
            Objects::Tree(t) => t.size(),
            Objects::Hash(h) => h.size(),
        }
    }

    /// The objects stored under `key`.
    pub fn get(&self, key: Term) -> Option<&Vec<Message>> {
        match self {
            Objects::Tree(t) => t.get(key),
            Objects::Hash(h) => h.get(key),
        }
    }

    /// The objects stored under `key`, to change in place (not their
    /// number).
    pub fn get_mut(&mut self, key: Term) -> Option<&mut Vec<Message>> {
        match self {
            Objects::Tree(t) => t.get_mut(key),
            Objects::Hash(h) => h.get_mut(key),
        }
    }

    /// Replaces the objects under `key` with `objects`.
    pub fn put(&mut self, key: Term, objects: Vec<Message>) {
        match self {
            Objects::Tree(t) => t.put(key, objects),
            Objects::Hash(h) => h.put(key, objects),
        }
    }

    /// Adds one object to a bag key.
    pub fn push(&mut self, key: Term, m: Message) {
        match self {
            Objects::Tree(t) => match t.get_mut(key) {
                Some(v) => {
                    v.push(m);
                    t.count += 1;
                }
                None => t.put(key, vec![m]),
            },
            Objects::Hash(h) => h.push(key, m),
        }
    }

    /// Takes out the objects under `key`.
    pub fn remove(&mut self, key: Term) -> Option<Vec<Message>> {
        match self {
            Objects::Tree(t) => t.remove(key),
            Objects::Hash(h) => h.remove(key),
        }
    }

    /// Removes the objects of `key` that `gone` picks.
    pub fn remove_where(&mut self, key: Term, gone: impl Fn(&Message) -> bool) {
        match self {
            Objects::Tree(t) => {
                if let Some(v) = t.get_mut(key) {
                    let before = v.len();
                    v.retain(|o| !gone(o));
                    let n = before - v.len();
                    if v.is_empty() {
                        t.remove(key);
                    } else {
                        t.count -= n;
                    }
                }
            }
            Objects::Hash(h) => {
                h.remove_where(key, gone);
            }
        }
    }

    /// Drops every object; how many there were.
    pub fn clear(&mut self) -> usize {
        match self {
            Objects::Tree(t) => t.clear(),
            Objects::Hash(h) => h.clear(),
        }
    }

    /// Every key with its objects, in traversal order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (Term, &Vec<Message>)> + '_> {
        match self {
            Objects::Tree(t) => Box::new(t.iter()),
            Objects::Hash(h) => Box::new(h.iter().map(|g| (g.key(), &g.objs))),
        }
    }

    /// Keeps the objects `keep` says to keep; how many went
    /// (`select_delete`, by the table's `only_writer` or another process).
    pub fn retain(&mut self, only_writer: bool, mut keep: impl FnMut(&Message) -> bool) -> usize {
        match self {
            Objects::Tree(t) => t.retain(keep),
            Objects::Hash(h) => h.delete_matching(only_writer, |m| !keep(m)),
        }
    }

    /// The words BEAM's table gives its objects and buckets.
    pub fn words(&self) -> usize {
        match self {
            Objects::Tree(t) => t.words(),
            Objects::Hash(h) => h.words(),
        }
    }
}
