//! A table's objects: copies of the inserted tuples, each in its own
//! fragment off every process heap, grouped by key in a B-tree.
//!
//! An `ordered_set` orders its keys in term order (`==`: `1` and `1.0` are
//! one key). The hash kinds (`set`, `bag`, `duplicate_bag`) order their keys
//! by `erlang:phash2/1` and then exact term order, so `=:=` keys are one
//! key and traversal is deterministic; BEAM walks its hash buckets instead,
//! so their `first`/`next`/`tab2list` order differs from erl's
//! (docs/RUNTIME.md, "ETS").

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

use enigma_vm::process::Message;
use enigma_vm::term::order::{compare, compare_exact};
use enigma_vm::term::phash::phash2;
use enigma_vm::term::{Heap, Term};

/// A key as the B-tree compares it: a term, borrowed from the caller or
/// from a [`Key`]'s own fragment.
#[derive(Clone, Copy)]
pub struct Probe {
    /// `phash2` of the term for the hash kinds, 0 for `ordered_set`.
    hash: u32,
    /// Whether keys compare exactly (`=:=`, the hash kinds).
    exact: bool,
    /// The key.
    pub term: Term,
}

impl Probe {
    /// The probe of `term` in a table of the given kind.
    pub fn new(term: Term, exact: bool) -> Probe {
        let hash = if exact { phash2(term) } else { 0 };
        Probe { hash, exact, term }
    }
}

impl Ord for Probe {
    fn cmp(&self, other: &Probe) -> Ordering {
        // The same word is the same term (an immediate, or one object).
        let same = self.term.raw() == other.term.raw();
        if self.exact {
            self.hash.cmp(&other.hash).then_with(|| {
                if same {
                    Ordering::Equal
                } else {
                    compare_exact(self.term, other.term)
                }
            })
        } else if same {
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

/// The objects of one table.
pub struct Objects {
    map: BTreeMap<Key, Vec<Message>>,
    exact: bool,
    /// The number of objects (a bag keeps several per key).
    count: usize,
}

impl Objects {
    /// An empty store; `exact` for the hash kinds.
    pub fn new(exact: bool) -> Objects {
        Objects {
            map: BTreeMap::new(),
            exact,
            count: 0,
        }
    }

    /// The probe of `key` in this table.
    pub fn probe(&self, key: Term) -> Probe {
        Probe::new(key, self.exact)
    }

    /// The number of objects.
    pub fn size(&self) -> usize {
        self.count
    }

    /// The objects stored under `key`.
    pub fn get(&self, key: Term) -> Option<&Vec<Message>> {
        self.map.get(&self.probe(key))
    }

    /// The objects stored under `key`, to change in place; the caller
    /// keeps the count with [`Objects::adjust`].
    pub fn get_mut(&mut self, key: Term) -> Option<&mut Vec<Message>> {
        let p = self.probe(key);
        self.map.get_mut(&p)
    }

    /// Adds `n` (may be negative) to the object count after a change made
    /// through [`Objects::get_mut`].
    pub fn adjust(&mut self, n: isize) {
        self.count = self.count.wrapping_add_signed(n);
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
        let probe = Probe { term: m.term, ..p };
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

    /// The words of the objects' and keys' fragments (`info(T, memory)`).
    pub fn words(&self) -> usize {
        self.map
            .iter()
            .map(|(k, v)| {
                k._fragment.as_ref().map_or(0, Heap::words_used)
                    + v.iter().map(|m| m.fragment.words_used()).sum::<usize>()
            })
            .sum()
    }
}
