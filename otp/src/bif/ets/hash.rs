//! The objects of a hash table (`set`, `bag`, `duplicate_bag`) laid out as
//! BEAM 25 lays them out (`erl_db_hash.c`), so that every traversal
//! (`first`/`next`, `select`, `match`, `tab2list`, `slot/2`) gives erl's
//! order.
//!
//! A linear hash table: `nactive` buckets, 256 at first, each a chain of
//! key groups. A key hashes as BEAM's `MAKE_HASH`: an atom by its atom-table
//! hash, anything else by the internal hash with salt 0; its bucket is the
//! hash masked by `szm` (by half of it for a bucket not yet split off). A new
//! key goes to the end of its chain; a new object of a bag key goes before
//! the key's other objects (a group keeps its objects in insertion order,
//! the reverse of BEAM's chain order). When the objects outnumber the
//! buckets, one bucket is split in two (keeping each chain's order); when a
//! table that grew past two extra segments (2048 buckets each) falls under
//! half their load, the top bucket is joined back, its chain first. Buckets
//! are visited `nlocks` apart (1 for a plain table, 64 with
//! `write_concurrency`), as BEAM's `next_slot` does. With decentralized
//! counters the grow and shrink decisions use one of 64 per-lock counts
//! times 64, as BEAM's estimate. While a table is fixed nothing is split
//! or joined and a deleted key keeps its place as an empty group (BEAM's
//! pseudo-deleted object), which a new insert of the key revives in place.

use enigma_vm::process::Message;
use enigma_vm::term::beam_size::flat_size;
use enigma_vm::term::map::hash::internal_hash;
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::phash::atom_hash;
use enigma_vm::term::{Heap, Term};

/// Buckets at first (`FIRST_SEGSZ`).
const FIRST_SEGSZ: usize = 256;
/// Buckets in each further segment (`EXT_SEGSZ`).
const EXT_SEGSZ: usize = 2048;
/// Per-lock item counters of a table with decentralized counters.
const COUNTERS: usize = 64;
/// Locks of a `write_concurrency` table (`DB_HASH_LOCK_CNT`).
pub const FINE_LOCKS: usize = 64;
/// Buckets a grow or shrink step moves at most (`loop_limit`).
const RESIZE_STEPS: usize = 5;

/// BEAM's `MAKE_HASH` of a key.
pub fn make_hash(key: Term) -> u32 {
    match key.as_atom() {
        Some(a) => atom_hash(a),
        None => internal_hash(key, 0),
    }
}

/// A key with its objects (none while it is deleted in a fixed table).
pub struct Group {
    hash: u32,
    key: Term,
    _fragment: Option<Heap>,
    /// The objects, oldest first.
    pub objs: Vec<Message>,
}

impl Group {
    /// The key.
    pub fn key(&self) -> Term {
        self.key
    }
}

/// The hash table.
pub struct HashTable {
    buckets: Vec<Vec<Group>>,
    szm: u32,
    nslots: usize,
    shrink_limit: usize,
    count: usize,
    nlocks: usize,
    counters: Option<Box<[i64; COUNTERS]>>,
    fixed: bool,
}

impl HashTable {
    /// An empty table; `nlocks` buckets apart are visited in turn,
    /// `decentralized` for per-lock counters.
    pub fn new(nlocks: usize, decentralized: bool) -> HashTable {
        let mut t = HashTable {
            buckets: Vec::new(),
            szm: 0,
            nslots: 0,
            shrink_limit: 0,
            count: 0,
            nlocks,
            counters: decentralized.then(|| Box::new([0; COUNTERS])),
            fixed: false,
        };
        t.reset();
        t
    }

    /// Back to a fresh table (`db_create_hash`).
    fn reset(&mut self) {
        self.buckets = (0..FIRST_SEGSZ).map(|_| Vec::new()).collect();
        self.szm = FIRST_SEGSZ as u32 - 1;
        self.nslots = FIRST_SEGSZ;
        self.shrink_limit = 0;
        self.count = 0;
        if let Some(c) = &mut self.counters {
            **c = [0; COUNTERS];
        }
    }

    /// The number of live objects.
    pub fn size(&self) -> usize {
        self.count
    }

    /// Whether the table has `write_concurrency` locks.
    pub fn is_fine_locked(&self) -> bool {
        self.nlocks > 1
    }

    /// The number of buckets (`nactive`).
    pub fn nactive(&self) -> usize {
        self.buckets.len()
    }

    fn index(&self, hash: u32) -> usize {
        let ix = (hash & self.szm) as usize;
        if ix >= self.buckets.len() {
            (hash & (self.szm >> 1)) as usize
        } else {
            ix
        }
    }

    /// Where `key`'s group is (live or deleted): its bucket and place.
    fn find(&self, key: Term, hash: u32) -> (usize, Option<usize>) {
        let ix = self.index(hash);
        let pos = self.buckets[ix]
            .iter()
            .position(|g| g.hash == hash && (g.key.raw() == key.raw() || eq_exact(g.key, key)));
        (ix, pos)
    }

    /// The objects under `key` (none for a missing or deleted key).
    pub fn get(&self, key: Term) -> Option<&Vec<Message>> {
        let h = make_hash(key);
        let (ix, pos) = self.find(key, h);
        let g = &self.buckets[ix][pos?];
        (!g.objs.is_empty()).then_some(&g.objs)
    }

    /// The objects under `key`, to change in place without changing how
    /// many there are.
    pub fn get_mut(&mut self, key: Term) -> Option<&mut Vec<Message>> {
        let h = make_hash(key);
        let (ix, pos) = self.find(key, h);
        let g = &mut self.buckets[ix][pos?];
        (!g.objs.is_empty()).then_some(&mut g.objs)
    }

    /// Adds `n` (may be negative) to the counts of `hash`'s objects.
    fn add_count(&mut self, hash: u32, n: isize) {
        self.count = self.count.wrapping_add_signed(n);
        if let Some(c) = &mut self.counters {
            c[hash as usize % COUNTERS] += n as i64;
        }
    }

    /// The item count BEAM's grow and shrink decisions see after a change
    /// to `hash`'s objects.
    fn estimate(&self, hash: u32) -> usize {
        match &self.counters {
            Some(c) => (c[hash as usize % COUNTERS].max(0) as usize) * COUNTERS,
            None => self.count,
        }
    }

    /// A new group for `key` at the end of its chain.
    fn new_group(&mut self, key: Term, hash: u32, objs: Vec<Message>) {
        let Some(m) = super::objects::copy(key) else {
            return;
        };
        let fragment = (m.fragment.words_used() > 0).then_some(m.fragment);
        let ix = self.index(hash);
        let n = objs.len() as isize;
        self.buckets[ix].push(Group {
            hash,
            key: m.term,
            _fragment: fragment,
            objs,
        });
        self.add_count(hash, n);
        self.try_grow(hash);
    }

    /// Replaces the objects under `key` with `objs` (a set's one object):
    /// in place for a present or deleted key, else as a new key.
    pub fn put(&mut self, key: Term, objs: Vec<Message>) {
        let h = make_hash(key);
        match self.find(key, h) {
            (ix, Some(pos)) => {
                let n = objs.len() as isize - self.buckets[ix][pos].objs.len() as isize;
                self.buckets[ix][pos].objs = objs;
                self.add_count(h, n);
            }
            (_, None) => self.new_group(key, h, objs),
        }
    }

    /// Adds one object to a bag key (before its other objects in BEAM's
    /// chain; a deleted key revives in its place).
    pub fn push(&mut self, key: Term, m: Message) {
        let h = make_hash(key);
        match self.find(key, h) {
            (ix, Some(pos)) => {
                self.buckets[ix][pos].objs.push(m);
                self.add_count(h, 1);
                self.try_grow(h);
            }
            (_, None) => self.new_group(key, h, vec![m]),
        }
    }

    /// Takes out the objects under `key`.
    pub fn remove(&mut self, key: Term) -> Option<Vec<Message>> {
        let h = make_hash(key);
        let (ix, pos) = self.find(key, h);
        let pos = pos?;
        let objs = if self.fixed {
            std::mem::take(&mut self.buckets[ix][pos].objs)
        } else {
            self.buckets[ix].remove(pos).objs
        };
        if objs.is_empty() {
            return None;
        }
        self.add_count(h, -(objs.len() as isize));
        self.try_shrink(self.estimate(h));
        Some(objs)
    }

    /// Removes the objects of `key` that `gone` picks; how many went.
    pub fn remove_where(&mut self, key: Term, gone: impl Fn(&Message) -> bool) -> usize {
        let h = make_hash(key);
        let (ix, Some(pos)) = self.find(key, h) else {
            return 0;
        };
        let objs = &mut self.buckets[ix][pos].objs;
        let before = objs.len();
        objs.retain(|o| !gone(o));
        let n = before - objs.len();
        if objs.is_empty() && !self.fixed {
            self.buckets[ix].remove(pos);
        }
        if n > 0 {
            self.add_count(h, -(n as isize));
            self.try_shrink(self.estimate(h));
        }
        n
    }

    /// Drops every object (`delete_all_objects`); how many there were. A
    /// fixed table keeps its keys' places (and, as BEAM, its per-lock
    /// counts); else it starts afresh.
    pub fn clear(&mut self) -> usize {
        let n = self.count;
        if self.fixed {
            for g in self.buckets.iter_mut().flatten() {
                g.objs.clear();
            }
            self.count = 0;
        } else {
            self.reset();
        }
        n
    }

    /// Fixes or unfixes the table; unfixing drops deleted keys.
    pub fn set_fixed(&mut self, fixed: bool) {
        self.fixed = fixed;
        if !fixed {
            for b in &mut self.buckets {
                b.retain(|g| !g.objs.is_empty());
            }
        }
    }

    /// The bucket after `ix` in traversal order, `None` at the end
    /// (`next_slot`).
    pub fn next_slot(&self, ix: usize) -> Option<usize> {
        let ix = ix + self.nlocks;
        if ix < self.buckets.len() {
            return Some(ix);
        }
        let ix = (ix + 1) & (self.nlocks - 1);
        (ix != 0).then_some(ix)
    }

    /// Bucket `ix`'s groups in chain order (deleted keys included).
    pub fn bucket(&self, ix: usize) -> &[Group] {
        self.buckets.get(ix).map_or(&[], |b| b.as_slice())
    }

    /// Bucket `ix`'s groups, to change objects in place.
    pub fn bucket_mut(&mut self, ix: usize) -> &mut [Group] {
        self.buckets
            .get_mut(ix)
            .map_or(&mut [], |b| b.as_mut_slice())
    }

    /// The bucket `key` hashes to.
    pub fn bucket_of(&self, key: Term) -> usize {
        self.index(make_hash(key))
    }

    /// Every group with objects, in traversal order.
    pub fn iter(&self) -> impl Iterator<Item = &Group> {
        std::iter::successors(Some(0), |&ix| self.next_slot(ix))
            .flat_map(|ix| self.buckets[ix].iter())
            .filter(|g| !g.objs.is_empty())
    }

    /// The first key (`key` `None`), or the key after `key` (`Some(None)`
    /// at the end): `None` if `key` is not in the table (deleted keys of a
    /// fixed table are).
    pub fn step(&self, key: Option<Term>) -> Option<Option<Term>> {
        let (mut ix, mut pos) = match key {
            None => (0, 0),
            Some(k) => {
                let (ix, pos) = self.find(k, make_hash(k));
                (ix, pos? + 1)
            }
        };
        loop {
            if let Some(g) = self.buckets[ix][pos..].iter().find(|g| !g.objs.is_empty()) {
                return Some(Some(g.key));
            }
            match self.next_slot(ix) {
                Some(n) => (ix, pos) = (n, 0),
                None => return Some(None),
            }
        }
    }

    /// Deletes the objects `gone` picks, in traversal order, as
    /// `select_delete` does; how many went. A walk long enough for BEAM to
    /// yield in leaves the table unshrunk unless the caller is its
    /// `only_writer` (BEAM fixes the table to yield for other callers).
    pub fn delete_matching(
        &mut self,
        only_writer: bool,
        mut gone: impl FnMut(&Message) -> bool,
    ) -> usize {
        let mut n = 0;
        let mut last_hash = None;
        let mut visited = 0usize;
        let mut trapped = false;
        let mut ix = Some(0);
        while let Some(i) = ix {
            for g in &mut self.buckets[i] {
                let before = g.objs.len();
                visited += before;
                g.objs.retain(|o| !gone(o));
                let k = before - g.objs.len();
                if k > 0 {
                    n += k;
                    last_hash = Some(g.hash);
                    self.count -= k;
                    if let Some(c) = &mut self.counters {
                        c[g.hash as usize % COUNTERS] -= k as i64;
                    }
                }
            }
            if !self.fixed {
                self.buckets[i].retain(|g| !g.objs.is_empty());
            }
            ix = self.next_slot(i);
            if ix.is_some() && visited >= super::select::ITERATIONS {
                trapped = true;
                visited = 0;
            }
        }
        if let (Some(h), false) = (last_hash, trapped && !only_writer) {
            self.try_shrink(self.estimate(h));
        }
        n
    }

    /// The words BEAM's table gives its objects and buckets (`info(T,
    /// memory)`): each object its flat size and a `HashDbTerm`'s four
    /// words; past the first segment, a word a bucket and the extended
    /// segment table's 262.
    pub fn words(&self) -> usize {
        let objects: usize = self
            .buckets
            .iter()
            .flatten()
            .flat_map(|g| &g.objs)
            .map(|m| 4 + flat_size(m.term))
            .sum();
        let extended = match self.nslots - FIRST_SEGSZ {
            0 => 0,
            n => n + 262,
        };
        objects + extended
    }

    /// `calc_shrink_limit`: shrinking starts once a second extra segment
    /// was added (and, with decentralized counters, 100 buckets a counter).
    fn calc_shrink_limit(&mut self) {
        let enough = self.counters.is_none() || self.nslots >= 100 * COUNTERS;
        let min = (self.nlocks + EXT_SEGSZ).max(FIRST_SEGSZ + 2 * EXT_SEGSZ);
        self.shrink_limit = if enough && self.nslots >= min {
            (self.nslots - EXT_SEGSZ) / 2
        } else {
            0
        };
    }

    /// Grows after an insert of `hash`'s key when the objects outnumber
    /// the buckets.
    fn try_grow(&mut self, hash: u32) {
        let nitems = self.estimate(hash);
        if self.fixed || nitems <= self.buckets.len() {
            return;
        }
        for _ in 0..RESIZE_STEPS {
            if nitems <= self.buckets.len() {
                break;
            }
            let nactive = self.buckets.len();
            if nactive == self.nslots {
                self.nslots += EXT_SEGSZ;
                self.calc_shrink_limit();
            }
            let mut szm = self.szm;
            let from = if nactive as u32 <= szm {
                nactive & (szm >> 1) as usize
            } else {
                szm = (szm << 1) | 1;
                0
            };
            self.szm = szm;
            let (stay, go): (Vec<Group>, Vec<Group>) = std::mem::take(&mut self.buckets[from])
                .into_iter()
                .partition(|g| (g.hash & szm) as usize == from);
            self.buckets[from] = stay;
            self.buckets.push(go);
        }
    }

    /// Shrinks after a delete when the table is under its shrink limit.
    fn try_shrink(&mut self, nitems: usize) {
        if self.fixed {
            return;
        }
        for _ in 0..RESIZE_STEPS {
            if nitems >= self.shrink_limit {
                break;
            }
            let src = self.buckets.len() - 1;
            let low = self.szm >> 1;
            let dst = src & low as usize;
            let mut chain = self.buckets.pop().unwrap_or_default();
            if dst == 0 {
                self.szm = low;
            }
            if self.nslots - src >= EXT_SEGSZ {
                self.nslots -= EXT_SEGSZ;
                self.calc_shrink_limit();
            }
            chain.retain(|g| !g.objs.is_empty());
            chain.append(&mut self.buckets[dst]);
            self.buckets[dst] = chain;
        }
    }
}
