//! Hash-array-mapped tries: maps of more than [`MAX_FLAT_MAP`] keys, shaped
//! as BEAM shapes them (erl_map.c), so they iterate in BEAM's order.
//!
//! ```text
//! root       [hdr(Map, 2 + k), size << 1 | 1, bitmap, slot 1 .. slot k]
//! node       [hdr(MapNode, 1 + k), bitmap, slot 1 .. slot k]
//! collision  [hdr(MapNode, 1 + k), COLLISION, leaf 1 .. leaf k]
//! slot       a leaf, the list term of a cons cell [Key | Value],
//!            or the boxed term of a deeper node
//! ```
//!
//! Level `l` of the trie indexes its 16 slots with bits `4 * (l % 8) ..` of
//! the key's hash salted for level `l / 8` ([`super::hash::map_hash`]): BEAM
//! rehashes every 8 levels. A node holds the slots its bitmap marks, in
//! index order; a key sits as a leaf at the first level where no other key
//! shares its slot, so the shape depends only on the keys. A root with all 16
//! slots is BEAM's "head array" (bitmap `0xFFFF`); the other nodes are its
//! bitmap nodes, whose bitmap BEAM keeps in the header word. The size, bitmap
//! and marker words are raw words, not terms.
//!
//! Keys whose salted hashes agree on all of [`MAX_DEPTH`] levels share a
//! collision node, its leaves in map-key order. OTP 25 has no such node (it
//! rehashes without end); with 256 hash bits in agreement it never arises.

use smallvec::SmallVec;

mod merge;
pub(super) use merge::merge;

use super::hash::map_hash;
use super::same_key;
use super::{flat, MAX_FLAT_MAP};
use crate::term::boxed::{Header, Subtag};
use crate::term::order::compare_exact;
use crate::term::{Heap, Term};

/// A node's slots while it is rebuilt: at most 16 outside collision
/// nodes, so an update walks down the trie without allocating.
type Slots = SmallVec<[Term; 16]>;

/// Depth at which equal hashes end in a collision node (8 salted hashes).
const MAX_DEPTH: u32 = 64;
/// The bitmap word of a collision node (bitmaps use 16 bits).
const COLLISION: u64 = 1 << 16;

/// The hash a trie places keys by.
pub(super) trait KeyHash {
    /// The 32-bit hash of `key` that indexes levels `8 * salt_level ..`.
    fn hash(&self, key: Term, salt_level: u32) -> u32;
}

/// BEAM's hash: the one every map uses.
pub(super) struct BeamHash;

impl KeyHash for BeamHash {
    fn hash(&self, key: Term, salt_level: u32) -> u32 {
        map_hash(key, salt_level)
    }
}

/// A key's way down the trie: its slot index at each level, hashing again
/// with a new salt every 8 levels.
#[derive(Clone, Copy)]
struct Path {
    key: Term,
    salt_level: u32,
    hash: u32,
}

impl Path {
    fn new(hasher: &impl KeyHash, key: Term) -> Path {
        Path::with_hash(key, hasher.hash(key, 0))
    }

    /// The path of a key whose level-0 hash is known.
    fn with_hash(key: Term, hash: u32) -> Path {
        Path {
            key,
            salt_level: 0,
            hash,
        }
    }

    /// The slot index of the key at `level`.
    fn index(&mut self, hasher: &impl KeyHash, level: u32) -> u32 {
        if level / 8 != self.salt_level {
            self.salt_level = level / 8;
            self.hash = hasher.hash(self.key, self.salt_level);
        }
        (self.hash >> (4 * (level % 8))) & 0xF
    }
}

/// Is this boxed term a trie root (rather than a flat map)?
pub(super) fn is_root(map: Term) -> bool {
    map.boxed_word(0) & 1 == 1
}

/// The bitmap and slots of a root or node.
pub(super) fn parts<'a>(node: Term) -> (u64, &'a [Term]) {
    let words = node.boxed_words();
    let skip = if is_map_node(node) { 1 } else { 2 };
    let slots = &words[skip..];
    // SAFETY: the words after the bitmap are terms, and Term is a
    // transparent u64.
    let slots = unsafe { std::slice::from_raw_parts(slots.as_ptr() as *const Term, slots.len()) };
    (words[skip - 1], slots)
}

fn is_map_node(node: Term) -> bool {
    matches!(node.header(), Some(h) if h.subtag() == Subtag::MapNode)
}

/// The slots of a root or node, in index order.
pub(super) fn slots<'a>(node: Term) -> &'a [Term] {
    parts(node).1
}

/// Allocates a node, or a root of `size` keys.
fn alloc(heap: &mut Heap, root_size: Option<usize>, bitmap: u64, slots: &[Term]) -> Term {
    let (words, node) = alloc_node(heap, root_size, bitmap, slots.len());
    for (w, s) in words.iter_mut().zip(slots) {
        *w = s.raw();
    }
    node
}

/// Allocates a node, or a root of `size` keys, with room for `k` slots:
/// the slot words (to fill) and the node.
fn alloc_node(
    heap: &mut Heap,
    root_size: Option<usize>,
    bitmap: u64,
    k: usize,
) -> (&mut [u64], Term) {
    let (subtag, head) = match root_size {
        Some(_) => (Subtag::Map, 2),
        None => (Subtag::MapNode, 1),
    };
    let words = heap.alloc(1 + head + k);
    words[0] = Header::new(subtag, head + k).0;
    if let Some(n) = root_size {
        words[1] = (n as u64) << 1 | 1;
    }
    words[head] = bitmap;
    let node = Term::boxed_ptr(words.as_ptr());
    (&mut words[head + 1..], node)
}

/// A copy of a node (or a root of `root_size` keys) whose `old` slots get
/// `slot` at `pos`, inserted there if `insert`, else in place of the
/// slot there: the slots are copied once, straight into the new node.
fn with_slot(
    heap: &mut Heap,
    (root_size, bitmap): (Option<usize>, u64),
    old: &[Term],
    (pos, slot, insert): (usize, Term, bool),
) -> Term {
    let (words, node) = alloc_node(heap, root_size, bitmap, old.len() + usize::from(insert));
    let (before, after) = words.split_at_mut(pos);
    for (w, s) in before.iter_mut().zip(old) {
        *w = s.raw();
    }
    after[0] = slot.raw();
    let rest = &old[pos + usize::from(!insert)..];
    for (w, s) in after[1..].iter_mut().zip(rest) {
        *w = s.raw();
    }
    node
}

/// A collision node over leaves.
fn collision(heap: &mut Heap, leaves: Vec<(Term, Term)>) -> Term {
    let slots = collision_slots(heap, leaves);
    alloc(heap, None, COLLISION, &slots)
}

/// The slots of a collision node: its leaves in map-key order.
fn collision_slots(heap: &mut Heap, mut leaves: Vec<(Term, Term)>) -> Vec<Term> {
    leaves.sort_by(|a, b| compare_exact(a.0, b.0));
    leaves.iter().map(|(k, v)| heap.cons(*k, *v)).collect()
}

/// A map (flat or trie) from pairs, the last of equal keys winning.
pub(super) fn from_pairs<H: KeyHash>(heap: &mut Heap, hasher: &H, pairs: &[(Term, Term)]) -> Term {
    // Equal keys hash equally: group by hash, then compare within groups.
    let mut hashed: Vec<(u32, usize)> = pairs
        .iter()
        .enumerate()
        .map(|(i, p)| (hasher.hash(p.0, 0), i))
        .collect();
    hashed.sort_unstable();
    let mut unique: Vec<Entry> = Vec::with_capacity(pairs.len());
    for group in hashed.chunk_by(|a, b| a.0 == b.0) {
        let start = unique.len();
        for &(hash, i) in group {
            let pair = pairs[i];
            match unique[start..]
                .iter_mut()
                .find(|e| same_key(e.pair.0, pair.0))
            {
                Some(e) => e.pair = pair,
                None => unique.push(Entry {
                    pair,
                    path: Path::with_hash(pair.0, hash),
                }),
            }
        }
    }
    if unique.len() > MAX_FLAT_MAP {
        root(heap, hasher, unique)
    } else {
        let mut sorted: Vec<(Term, Term)> = unique.iter().map(|e| e.pair).collect();
        sorted.sort_by(|a, b| compare_exact(a.0, b.0));
        flat::from_sorted(heap, &sorted)
    }
}

/// A key-value pair with its way down the trie.
struct Entry {
    pair: (Term, Term),
    path: Path,
}

/// A trie root from pairs with distinct keys.
pub(super) fn from_unique<H: KeyHash>(heap: &mut Heap, hasher: &H, pairs: &[(Term, Term)]) -> Term {
    let entries: Vec<Entry> = pairs
        .iter()
        .map(|&pair| Entry {
            pair,
            path: Path::new(hasher, pair.0),
        })
        .collect();
    root(heap, hasher, entries)
}

/// A trie root over entries with distinct keys.
fn root<H: KeyHash>(heap: &mut Heap, hasher: &H, entries: Vec<Entry>) -> Term {
    let size = entries.len();
    let (bitmap, slots) = build_slots(heap, hasher, entries, 0);
    alloc(heap, Some(size), bitmap, &slots)
}

/// The bitmap and slots of the node at `level` over at least two entries.
fn build_slots<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    entries: Vec<Entry>,
    level: u32,
) -> (u64, Vec<Term>) {
    let mut indexed: Vec<(u32, Entry)> = entries
        .into_iter()
        .map(|mut e| (e.path.index(hasher, level), e))
        .collect();
    indexed.sort_by_key(|(index, _)| *index);
    let mut bitmap = 0u64;
    let mut slots = Vec::new();
    let mut rest = indexed.into_iter().peekable();
    while let Some((index, first)) = rest.next() {
        bitmap |= 1 << index;
        if rest.peek().is_some_and(|(i, _)| *i == index) {
            let mut run = vec![first];
            while let Some((_, e)) = rest.next_if(|(i, _)| *i == index) {
                run.push(e);
            }
            slots.push(build_node(heap, hasher, run, level + 1));
        } else {
            slots.push(heap.cons(first.pair.0, first.pair.1));
        }
    }
    (bitmap, slots)
}

/// An inner node at `level` over at least two entries.
fn build_node<H: KeyHash>(heap: &mut Heap, hasher: &H, entries: Vec<Entry>, level: u32) -> Term {
    if level >= MAX_DEPTH {
        return collision(heap, entries.iter().map(|e| e.pair).collect());
    }
    let (bitmap, slots) = build_slots(heap, hasher, entries, level);
    alloc(heap, None, bitmap, &slots)
}

/// Where a key's slot is in a node: its bit, and its position among the
/// present slots.
fn locate(bitmap: u64, index: u32) -> (u64, usize) {
    let bit = 1u64 << index;
    (bit, (bitmap & (bit - 1)).count_ones() as usize)
}

/// The value under `key` in a trie.
pub(super) fn get<H: KeyHash>(hasher: &H, map: Term, key: Term) -> Option<Term> {
    get_hashed(hasher, map, key, hasher.hash(key, 0))
}

/// [`get`] for a key whose level-0 hash is known.
pub(super) fn get_hashed<H: KeyHash>(hasher: &H, map: Term, key: Term, hash: u32) -> Option<Term> {
    get_in(hasher, (map, 0), Path::with_hash(key, hash))
}

/// The value of `path`'s key in `node` (at `level`), if it is there.
fn get_in<H: KeyHash>(
    hasher: &H,
    (mut node, mut level): (Term, u32),
    mut path: Path,
) -> Option<Term> {
    loop {
        let (bitmap, slots) = parts(node);
        if bitmap == COLLISION {
            return slots
                .iter()
                .filter_map(|s| s.as_cons())
                .find(|(k, _)| same_key(*k, path.key))
                .map(|(_, v)| v);
        }
        let (bit, pos) = locate(bitmap, path.index(hasher, level));
        if bitmap & bit == 0 {
            return None;
        }
        let slot = slots[pos];
        if let Some((k, v)) = slot.as_cons() {
            return same_key(k, path.key).then_some(v);
        }
        node = slot;
        level += 1;
    }
}

/// A trie root with `key` set to `value`. The new key term replaces an equal
/// one (which matters only for `0.0` and `-0.0`), as on BEAM.
pub(super) fn put<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    map: Term,
    key: Term,
    value: Term,
) -> Term {
    let mut path = Path::new(hasher, key);
    let size = map.map_size().unwrap_or(0);
    put_in(heap, hasher, (map, 0), &mut path, value, size).map_or(map, |(root, _)| root)
}

/// [`put`] of a key the trie holds (`M#{K := V}`): `None` if it holds no
/// such key. One walk down the trie, not a lookup and then a put.
pub(super) fn update<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    map: Term,
    key: Term,
    value: Term,
) -> Option<Term> {
    let mut path = Path::new(hasher, key);
    let size = map.map_size().unwrap_or(0);
    match put_in(heap, hasher, (map, 0), &mut path, value, size) {
        None => Some(map),
        // The key was not there: what the put built is garbage.
        Some((_, true)) => None,
        Some((root, false)) => Some(root),
    }
}

/// `node` (at `level`; the root, of `size` keys, at level 0) after the
/// put, and whether the key is new; `None` when nothing changes.
fn put_in<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    (node, level): (Term, u32),
    path: &mut Path,
    value: Term,
    size: usize,
) -> Option<(Term, bool)> {
    let key = path.key;
    let root = |added: bool| (level == 0).then(|| size + usize::from(added));
    let (bitmap, slots) = parts(node);
    if bitmap == COLLISION {
        let mut leaves: Vec<(Term, Term)> = slots.iter().filter_map(|s| s.as_cons()).collect();
        let added = match leaves.iter_mut().find(|l| same_key(l.0, key)) {
            Some(l) if l.0 == key && l.1 == value => return None,
            Some(l) => {
                *l = (key, value);
                false
            }
            None => {
                leaves.push((key, value));
                true
            }
        };
        let slots = collision_slots(heap, leaves);
        return Some((alloc(heap, root(added), COLLISION, &slots), added));
    }
    let (bit, pos) = locate(bitmap, path.index(hasher, level));
    if bitmap & bit == 0 {
        let leaf = heap.cons(key, value);
        let new = with_slot(heap, (root(true), bitmap | bit), slots, (pos, leaf, true));
        return Some((new, true));
    }
    let slot = slots[pos];
    let (new_slot, added) = match slot.as_cons() {
        Some((k, v)) if same_key(k, key) => {
            if k == key && v == value {
                return None;
            }
            (heap.cons(key, value), false)
        }
        Some((k, v)) => {
            let old = Entry {
                pair: (k, v),
                path: Path::new(hasher, k),
            };
            let added = Entry {
                pair: (key, value),
                path: *path,
            };
            (build_node(heap, hasher, vec![old, added], level + 1), true)
        }
        None => put_in(heap, hasher, (slot, level + 1), path, value, 0)?,
    };
    let new = with_slot(heap, (root(added), bitmap), slots, (pos, new_slot, false));
    Some((new, added))
}

/// A trie root without `key` (the same map when it has no such key); a
/// trie left with [`MAX_FLAT_MAP`] keys becomes a flat map, as on BEAM.
pub(super) fn remove<H: KeyHash>(heap: &mut Heap, hasher: &H, map: Term, key: Term) -> Term {
    let size = map.map_size().unwrap_or(0);
    if size <= MAX_FLAT_MAP + 1 {
        if get(hasher, map, key).is_none() {
            return map;
        }
        let mut rest: Vec<(Term, Term)> = super::iter(map)
            .filter(|(k, _)| !same_key(*k, key))
            .collect();
        rest.sort_by(|a, b| compare_exact(a.0, b.0));
        return flat::from_sorted(heap, &rest);
    }
    let mut path = Path::new(hasher, key);
    match remove_in(heap, hasher, map, 0, &mut path) {
        None => map,
        Some((bitmap, slots)) => alloc(heap, Some(size - 1), bitmap, &slots),
    }
}

/// The bitmap and slots of `node` (at `level`) without the key, or `None`
/// when it is not there. A child left with a single leaf is replaced by the
/// leaf, keeping the shape a fresh build would have.
fn remove_in<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    node: Term,
    level: u32,
    path: &mut Path,
) -> Option<(u64, Slots)> {
    let key = path.key;
    let (bitmap, slots) = parts(node);
    let is_key = |s: &Term| s.as_cons().is_some_and(|(k, _)| same_key(k, key));
    if bitmap == COLLISION {
        let pos = slots.iter().position(is_key)?;
        let mut new = Slots::from_slice(slots);
        new.remove(pos);
        return Some((COLLISION, new));
    }
    let (bit, pos) = locate(bitmap, path.index(hasher, level));
    if bitmap & bit == 0 {
        return None;
    }
    let slot = slots[pos];
    let mut new = Slots::from_slice(slots);
    if is_key(&slot) {
        new.remove(pos);
        return Some((bitmap & !bit, new));
    }
    if slot.is_list() {
        return None;
    }
    let (b, s) = remove_in(heap, hasher, slot, level + 1, path)?;
    new[pos] = match s.as_slice() {
        [leaf] if leaf.is_list() => *leaf,
        _ => alloc(heap, None, b, &s),
    };
    Some((bitmap, new))
}
