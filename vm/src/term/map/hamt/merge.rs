//! `maps:merge/2` of two tries, node by node: a slot only one side has is
//! shared as it is, two leaves of one slot meet in a new node, a leaf and
//! a node meet by one put, and two nodes merge slot by slot. A key's place
//! depends only on the keys (see the parent module), so the result has the
//! shape inserting the keys one by one would give, and iterates as BEAM's
//! merge does; untouched subtrees of both maps are shared.

use super::{
    alloc, build_node, collision_slots, get_in, locate, parts, put_in, same_key, Entry, KeyHash,
    Path, Slots, COLLISION,
};
use crate::term::{Heap, Term};

/// The trie root with the keys of roots `a` and `b`, `b`'s value for a
/// key both have.
pub(in crate::term::map) fn merge<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    a: Term,
    b: Term,
) -> Term {
    let size = a.map_size().unwrap_or(0) + b.map_size().unwrap_or(0);
    let mut common = 0;
    let (bitmap, slots) = merge_nodes(heap, hasher, (a, b, 0), &mut common);
    alloc(heap, Some(size - common), bitmap, &slots)
}

/// The bitmap and slots of nodes `a` and `b` (at `level`) merged; adds the
/// keys both hold to `common`.
fn merge_nodes<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    (a, b, level): (Term, Term, u32),
    common: &mut usize,
) -> (u64, Slots) {
    let ((bits_a, slots_a), (bits_b, slots_b)) = (parts(a), parts(b));
    if bits_a == COLLISION || bits_b == COLLISION {
        return merge_collisions(heap, (slots_a, slots_b), common);
    }
    let bitmap = bits_a | bits_b;
    let mut slots = Slots::new();
    let mut rest = bitmap;
    while rest != 0 {
        let index = rest.trailing_zeros();
        rest &= rest - 1;
        let (bit, pos_a) = locate(bits_a, index);
        let (_, pos_b) = locate(bits_b, index);
        let slot = match (bits_a & bit != 0, bits_b & bit != 0) {
            (true, false) => slots_a[pos_a],
            (false, true) => slots_b[pos_b],
            _ => merge_slots(
                heap,
                hasher,
                (slots_a[pos_a], slots_b[pos_b], level),
                common,
            ),
        };
        slots.push(slot);
    }
    (bitmap, slots)
}

/// One slot from slots `a` and `b` of the same index of nodes at `level`.
fn merge_slots<H: KeyHash>(
    heap: &mut Heap,
    hasher: &H,
    (a, b, level): (Term, Term, u32),
    common: &mut usize,
) -> Term {
    match (a.as_cons(), b.as_cons()) {
        (Some((ka, _)), Some((kb, _))) if same_key(ka, kb) => {
            *common += 1;
            b
        }
        (Some(pa), Some(pb)) => {
            let entry = |pair: (Term, Term)| Entry {
                pair,
                path: Path::new(hasher, pair.0),
            };
            build_node(heap, hasher, vec![entry(pa), entry(pb)], level + 1)
        }
        // `a`'s leaf goes in only if `b` has no such key.
        (Some((k, v)), None) => {
            let mut path = Path::new(hasher, k);
            if get_in(hasher, (b, level + 1), path).is_some() {
                *common += 1;
                return b;
            }
            put_in(heap, hasher, (b, level + 1), &mut path, v, 0).map_or(b, |(node, _)| node)
        }
        // `b`'s leaf goes in, replacing `a`'s value.
        (None, Some((k, v))) => {
            let mut path = Path::new(hasher, k);
            match put_in(heap, hasher, (a, level + 1), &mut path, v, 0) {
                None => {
                    *common += 1;
                    a
                }
                Some((node, added)) => {
                    *common += usize::from(!added);
                    node
                }
            }
        }
        (None, None) => {
            let (bitmap, slots) = merge_nodes(heap, hasher, (a, b, level + 1), common);
            alloc(heap, None, bitmap, &slots)
        }
    }
}

/// Two collision nodes' leaves merged (`b`'s value for a key both hold).
fn merge_collisions(
    heap: &mut Heap,
    (a, b): (&[Term], &[Term]),
    common: &mut usize,
) -> (u64, Slots) {
    let b_leaves: Vec<(Term, Term)> = b.iter().filter_map(|s| s.as_cons()).collect();
    let mut leaves = b_leaves.clone();
    for (k, v) in a.iter().filter_map(|s| s.as_cons()) {
        if b_leaves.iter().any(|(kb, _)| same_key(*kb, k)) {
            *common += 1;
        } else {
            leaves.push((k, v));
        }
    }
    (COLLISION, Slots::from_vec(collision_slots(heap, leaves)))
}
