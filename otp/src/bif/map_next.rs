//! `erts_internal:map_next(Path, Map, iterator)`, which `maps:next/1`
//! runs on an iterator `[Path | Map]`, as BEAM's `erl_map.c` walks it.
//!
//! For a flat map the path is only range-checked (`0..=size`) and every
//! association comes back. For a trie (shaped as BEAM's) the path names
//! the next leaf: four bits per level, the root's slot index lowest, 16
//! levels per 64-bit digit (a bignum beyond). BEAM returns a chunk of
//! associations whose last tail is the path to the leaf after them, or
//! `none`: 32 on the first call (path 0), then a number its reductions
//! left decide; Enigma takes [`LATER_CHUNK`], what a fresh slice gives.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::map;
use enigma_vm::term::Term;

/// Associations the first call of an iteration returns (BEAM's
/// `MAP_SMALL_MAP_LIMIT`).
const FIRST_CHUNK: usize = 32;
/// Associations a later call returns: BEAM's `fcalls / 4` for a whole
/// slice of 4,000 reductions.
const LATER_CHUNK: usize = 1000;
/// Path bits per trie level.
const LEVEL_BITS: u32 = 4;
/// Levels a 64-bit path digit holds.
const LEVELS_PER_DIGIT: usize = 16;

/// A node on the walk: its slots and the index of the next one to visit.
struct Level<'a> {
    slots: &'a [Term],
    next: usize,
}

/// The path's 64-bit digits, least significant first; `None` if it is not
/// a non-negative integer.
fn path_digits(path: Term) -> Option<Vec<u64>> {
    if let Some(v) = path.as_small() {
        return u64::try_from(v).ok().map(|v| vec![v]);
    }
    let big = path.as_bignum()?;
    let mag = ibig::UBig::try_from(big).ok()?;
    let bytes = mag.to_le_bytes();
    Some(
        bytes
            .chunks(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(w)
            })
            .collect(),
    )
}

/// The integer term for path `digits` (least significant first).
fn path_term(p: &mut Process, digits: &[u64]) -> Term {
    let mut v = ibig::UBig::from(0u8);
    for &d in digits.iter().rev() {
        v = (v << 64) + ibig::UBig::from(d);
    }
    match i64::try_from(&v) {
        Ok(small) => p.heap.int(small),
        Err(_) => p.heap.big(&ibig::IBig::from(v)),
    }
}

/// The iterator chain `{K1, V1, {K2, V2, ... Tail}}`.
fn chain(p: &mut Process, pairs: &[(Term, Term)], tail: Term) -> Term {
    pairs
        .iter()
        .rev()
        .fold(tail, |next, &(k, v)| p.heap.tuple(&[k, v, next]))
}

/// `erts_internal:map_next(Path, Map, iterator)`.
pub fn next(p: &mut Process, path: Term, m: Term) -> Result<Term, Exception> {
    let none = Term::atom(Atom::intern("none").map_err(|_| Exception::system_limit())?);
    let digits = path_digits(path).ok_or_else(Exception::badarg)?;
    let Some((_, root)) = map::trie_node(m) else {
        let size = m.map_size().unwrap_or(0) as u64;
        if path.as_small().is_none() || digits[0] > size {
            return Err(Exception::badarg());
        }
        let pairs: Vec<(Term, Term)> = map::iter(m).collect();
        return Ok(chain(p, &pairs, none));
    };
    let size = m.map_size().unwrap_or(0);
    let mut want = if path.as_small() == Some(0) {
        FIRST_CHUNK
    } else {
        LATER_CHUNK
    };
    want = want.min(size).max(1);
    let mut pairs = Vec::with_capacity(want);
    let mut stack: Vec<Level> = Vec::new();
    // Down the path to its leaf.
    let (mut digit, mut curr) = (0, digits[0]);
    let mut slots = root;
    let mut level = 1;
    loop {
        let idx = (curr & 0xF) as usize;
        if idx >= slots.len() {
            return Err(Exception::badarg());
        }
        stack.push(Level {
            slots,
            next: idx + 1,
        });
        let slot = slots[idx];
        if let Some((k, v)) = slot.as_cons() {
            pairs.push((k, v));
            break;
        }
        slots = map::trie_node(slot).ok_or_else(Exception::badarg)?.1;
        curr >>= LEVEL_BITS;
        if level == LEVELS_PER_DIGIT {
            level = 0;
            digit += 1;
            curr = digits.get(digit).copied().unwrap_or(0);
        }
        level += 1;
    }
    // On in trie order, depth first, until `want` leaves are taken.
    while let Some(mut top) = stack.pop() {
        while top.next < top.slots.len() && pairs.len() < want {
            let Some((k, v)) = top.slots[top.next].as_cons() else {
                break;
            };
            pairs.push((k, v));
            top.next += 1;
        }
        if pairs.len() == want {
            if top.next < top.slots.len() {
                top.next += 1;
                stack.push(top);
            } else {
                while let Some(mut up) = stack.pop() {
                    if up.next < up.slots.len() {
                        up.next += 1;
                        stack.push(up);
                        break;
                    }
                }
            }
            break;
        }
        if top.next < top.slots.len() {
            let child = top.slots[top.next];
            top.next += 1;
            stack.push(top);
            let slots = map::trie_node(child).ok_or_else(Exception::badarg)?.1;
            stack.push(Level { slots, next: 0 });
        }
    }
    if stack.is_empty() {
        return Ok(chain(p, &pairs, none));
    }
    // The path to the next leaf: each level's index (the one after the
    // last visited), the root's lowest.
    let mut out = vec![0u64; stack.len().div_ceil(LEVELS_PER_DIGIT)];
    for (depth, lv) in stack.iter().enumerate() {
        let nibble = (lv.next - 1) as u64;
        out[depth / LEVELS_PER_DIGIT] |=
            nibble << (LEVEL_BITS as usize * (depth % LEVELS_PER_DIGIT));
    }
    let path = path_term(p, &out);
    let rest = p.heap.cons(path, m);
    Ok(chain(p, &pairs, rest))
}
