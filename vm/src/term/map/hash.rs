//! BEAM's internal term hash (`make_internal_hash` in OTP 25's `utils.c`),
//! the hash that places keys in a hash-array-mapped trie and so decides the
//! iteration order of every map with more than 32 keys.
//!
//! It is Bob Jenkins' 32-bit mix fed with the term's words, seeded with
//! `salt ^ 3432918353`; trie levels `8 * L ..` (L > 0) rehash the key with
//! the salt [`map_salt`]`(L)`. What each term kind contributes:
//!
//! - immediates: their tagged 64-bit word as BEAM spells it. Small integers,
//!   `[]` and atoms have the same word in Enigma. An atom's word holds its
//!   index in the atom table, which starts as BEAM's does (`crate::atom`,
//!   docs/TERMS.md "Atom indices"), so atom keys iterate as on BEAM where
//!   the atoms have BEAM's indices ([`internal_hash_with`] takes another
//!   numbering; the unit tests use it with indices a BEAM reported). Local pids
//!   and ports are translated to BEAM's words, which hold a process (port)
//!   table slot and so match a BEAM run with the default `+P` and `+Q`;
//! - floats: their IEEE bits, `-0.0` hashed as `0.0` (`0.0 =:= -0.0` in
//!   OTP 25);
//! - bignums (64-bit digits), binaries and bitstrings (Jenkins' block hash of
//!   the whole bytes, then the trailing bits), tuples, lists (byte-sized
//!   elements packed four to a word), maps (flat: size, then keys and values
//!   in key order; tries: size, then leaves in reverse slot order), local
//!   references (their three id words), closures (free-variable count,
//!   module atom, index, old unique value, then the free variables; like
//!   atoms, they match BEAM where the module atom's index does);
//! - the two extra words of a pid-reference, as OTP 26 hashes them (not
//!   checked: Erlang code cannot build one to test with);
//! - what BEAM hashes by address and no other VM can match: external funs
//!   (the export entry) and pids, ports and references of other nodes (the
//!   node entry). Enigma uses its export entry's address and the node's atom
//!   word and creation, which keeps equal terms hashing equally.
//!
//! Checked against OTP 25.2.3 through the iteration order of real maps
//! (`vm/tests/maps/gen_order.erl`): every immediate kind, floats, bignums,
//! binaries, bitstrings, tuples, lists, maps as keys, local references,
//! closures, and the level-1 salt (with keys whose level-0 hashes collide). The salt of
//! deeper levels follows the same formula but is unobservable (it needs
//! keys agreeing on 64 hash bits).

use crate::atom::Atom;
use crate::term::boxed::Subtag;
use crate::term::jenkins::{self, block_hash, hconst, HCONST};
use crate::term::{Kind, Term};

/// Start value mixed into every internal hash (OTP 25, `INTERNAL_HASH_SALT`).
const INTERNAL_HASH_SALT: u32 = 3_432_918_353;
/// Bits of a local pid's number in BEAM's pid data (the serial is above).
const PID_NUMBER_BITS: u32 = 15;
/// Bits of pid or port data in the low half of BEAM's word.
const ID_DATA_BITS: u32 = 28;
/// log2 of OTP 25's default process limit (`+P 262144`).
const PROCESS_TABLE_BITS: u32 = 18;
/// log2 of OTP 25's default port limit (`+Q 65536`).
const PORT_TABLE_BITS: u32 = 16;
/// log2 of the table slots in one 64-byte cache line.
const CACHE_LINE_BITS: u32 = 3;

/// Jenkins' `mix(a, b, c)`; the new hash is the returned `c`.
#[inline]
fn mix(a: u32, b: u32, c: u32) -> u32 {
    jenkins::mix(a, b, c).2
}

/// `UINT32_HASH_2`: mixes two 32-bit values with a kind constant.
#[inline]
fn hash2(hash: u32, x: u32, y: u32, k: u32) -> u32 {
    mix(k.wrapping_add(x), k.wrapping_add(y), hash)
}

/// `CONST_HASH`: the light mixing of a constant between list cells.
#[inline]
fn const_hash(hash: u32, k: u32) -> u32 {
    (hash ^ k).rotate_left(17)
}

/// BEAM's internal hash of `term` with `salt` (`make_internal_hash`).
pub fn internal_hash(term: Term, salt: u32) -> u32 {
    internal_hash_with(term, salt, &|a| a.index())
}

/// The salt of trie levels `8 * salt_level ..`: BEAM rehashes a key every 8
/// levels (32 bits) with `make_map_hash(Key, Level >> 3)`.
pub fn map_salt(salt_level: u32) -> u32 {
    if salt_level == 0 {
        0
    } else {
        hash2(0, salt_level, 1, hconst(22))
    }
}

/// The hash that picks a key's slots at trie levels `8 * salt_level ..`.
pub fn map_hash(key: Term, salt_level: u32) -> u32 {
    internal_hash(key, map_salt(salt_level))
}

/// Pending work of the hash walk.
enum Work {
    /// A term still to hash.
    Term(Term),
    /// `HASH_CDR`: the end of a list whose tail is not a list.
    Cdr,
    /// The slots of a trie node, pushed in slot order.
    Node(Term),
}

/// [`internal_hash`] with atoms numbered by `atom_index` instead of by
/// Enigma's atom table (to check atom-keyed orders against a BEAM whose
/// atom indices are known).
pub fn internal_hash_with(term: Term, salt: u32, atom_index: &dyn Fn(Atom) -> u32) -> u32 {
    let mut hash = salt ^ INTERNAL_HASH_SALT;
    let mut stack: Vec<Work> = Vec::new();
    let mut next = Some(Work::Term(term));
    while let Some(work) = next.take().or_else(|| stack.pop()) {
        let t = match work {
            Work::Term(t) => t,
            Work::Cdr => {
                hash = const_hash(hash, hconst(18));
                continue;
            }
            Work::Node(node) => {
                push_slots(&mut stack, super::hamt::slots(node));
                continue;
            }
        };
        match t.kind() {
            Kind::Pid | Kind::Port if t.is_boxed() => hash = external_id(hash, t, atom_index),
            Kind::Small | Kind::Atom | Kind::Nil | Kind::Pid | Kind::Port | Kind::Internal => {
                let w = beam_immediate(t, atom_index);
                hash = hash2(hash, w as u32, (w >> 32) as u32, HCONST);
            }
            Kind::List => next = list(&mut hash, &mut stack, t),
            Kind::Tuple => {
                let el = t.as_tuple().map_or(&[][..], |tu| tu.elements());
                hash = hash2(hash, el.len() as u32, 0, hconst(9));
                stack.extend(el.iter().skip(1).rev().map(|e| Work::Term(*e)));
                next = el.first().map(|e| Work::Term(*e));
            }
            Kind::Map => {
                let size = t.map_size().unwrap_or(0);
                hash = hash2(hash, size as u32, 0, hconst(16));
                if super::is_hamt(t) {
                    push_slots(&mut stack, super::hamt::slots(t));
                } else {
                    for (k, v) in super::flat::pairs(t).rev() {
                        stack.push(Work::Term(v));
                        stack.push(Work::Term(k));
                    }
                }
            }
            Kind::Float => {
                let f = t.as_float().unwrap_or(0.0);
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash = hash2(hash, bits as u32, (bits >> 32) as u32, hconst(12));
            }
            Kind::Big => hash = bignum(hash, t),
            Kind::Binary => hash = bits(hash, t),
            Kind::Fun => next = fun(&mut hash, &mut stack, t, atom_index),
            Kind::Ref => hash = reference(hash, t, atom_index),
        }
    }
    hash
}

/// Pushes a trie node's slots in slot order: leaves as key then value (so
/// the key is hashed first), inner nodes whole.
fn push_slots(stack: &mut Vec<Work>, slots: &[Term]) {
    for s in slots {
        match s.as_cons() {
            Some((k, v)) => {
                stack.push(Work::Term(v));
                stack.push(Work::Term(k));
            }
            None => stack.push(Work::Node(*s)),
        }
    }
}

/// The word BEAM uses for an immediate.
fn beam_immediate(t: Term, atom_index: &dyn Fn(Atom) -> u32) -> u64 {
    if let Some(a) = t.as_atom() {
        return Term::atom(Atom::from_index_unchecked(atom_index(a))).raw();
    }
    if let Some((number, serial)) = t.as_local_pid() {
        let data = (serial as u64) << PID_NUMBER_BITS | number as u64;
        return table_id_word(data, PROCESS_TABLE_BITS, crate::term::TAG_PID);
    }
    if let Some(number) = t.as_local_port() {
        return table_id_word(number, PORT_TABLE_BITS, crate::term::TAG_PORT);
    }
    t.raw()
}

/// BEAM's word for a local pid or port (`erts_ptab_make_id`): the id's data
/// in the low half, and in the high half the slot of the process or port
/// table it maps to, which BEAM spreads over cache lines. The slot depends on
/// the table's size, so this is BEAM's word under the default limits.
fn table_id_word(data: u64, table_bits: u32, tag: u64) -> u64 {
    let n = data as u32;
    let line_mask = (1u32 << (table_bits - CACHE_LINE_BITS)) - 1;
    let slot = ((n & line_mask) << CACHE_LINE_BITS)
        + ((n >> (table_bits - CACHE_LINE_BITS)) & ((1 << CACHE_LINE_BITS) - 1));
    (slot as u64) << 32 | (data & ((1 << ID_DATA_BITS) - 1)) << 4 | tag
}

/// A list: runs of byte-sized heads are packed four to a word, as BEAM's
/// string optimisation does. Returns the term to hash next.
fn list(hash: &mut u32, stack: &mut Vec<Work>, mut t: Term) -> Option<Work> {
    let (mut c, mut sh) = (0u32, 0u32);
    let mut cell = t.as_cons();
    while let Some((head, tail)) = cell {
        match head.as_small() {
            Some(b @ 0..=255) => {
                sh = (sh << 8).wrapping_add(b as u32);
                if c == 3 {
                    *hash = hash2(*hash, sh, 0, hconst(4));
                    c = 0;
                    sh = 0;
                } else {
                    c += 1;
                }
                t = tail;
                cell = t.as_cons();
            }
            _ => break,
        }
    }
    if c > 0 {
        *hash = hash2(*hash, sh, c, hconst(22));
    }
    match cell {
        Some((head, tail)) => {
            *hash = const_hash(*hash, hconst(17));
            stack.push(Work::Term(tail));
            if !tail.is_list() {
                stack.push(Work::Cdr);
            }
            Some(Work::Term(head))
        }
        None => Some(Work::Term(t)),
    }
}

/// A bignum: its 64-bit digits, low 32 bits first, with a sign constant.
fn bignum(mut hash: u32, t: Term) -> u32 {
    let k = if t.is_negative_big() {
        hconst(10)
    } else {
        hconst(11)
    };
    for &digit in t.boxed_words() {
        hash = hash2(hash, digit as u32, (digit >> 32) as u32, k);
    }
    hash
}

/// A binary or bitstring: its whole bytes through Jenkins' block hash, then
/// the trailing bits.
fn bits(hash: u32, t: Term) -> u32 {
    let Some(b) = t.as_bits() else {
        return hash;
    };
    let con = hconst(13).wrapping_add(hash);
    let (whole, tail_bits) = (b.bit_size / 8, (b.bit_size % 8) as u32);
    if b.bit_size == 0 {
        return con;
    }
    let packed;
    let bytes = match b.as_bytes() {
        Some(bytes) => bytes,
        None if b.bit_offset % 8 == 0 => {
            let start = b.bit_offset / 8;
            &b.bytes[start..start + whole]
        }
        None => {
            packed = b.to_vec();
            &packed[..whole]
        }
    };
    let mut hash = block_hash(bytes, con);
    if tail_bits > 0 {
        let last = b.byte(whole) >> (8 - tail_bits);
        hash = hash2(hash, tail_bits, last as u32, hconst(15));
    }
    hash
}

/// A closure: free-variable count, module, index and old unique value, then
/// the free variables in order; an external fun: its export entry's address.
fn fun(
    hash: &mut u32,
    stack: &mut Vec<Work>,
    t: Term,
    atom_index: &dyn Fn(Atom) -> u32,
) -> Option<Work> {
    if let Some(e) = t.as_export() {
        let p = e as *const _ as u64;
        *hash = hash2(*hash, p as u32, (p >> 32) as u32, hconst(14));
        return None;
    }
    let c = t.as_closure()?;
    let (entry, free) = (c.entry(), c.free_vars());
    let module = beam_immediate(Term::atom(entry.module), atom_index);
    *hash = hash2(*hash, free.len() as u32, module as u32, hconst(20));
    *hash = hash2(*hash, entry.index, entry.old_uniq, hconst(21));
    stack.extend(free.iter().skip(1).rev().map(|e| Work::Term(*e)));
    free.first().map(|e| Work::Term(*e))
}

/// A reference: its id words (plus, for another node's, that node).
fn reference(mut hash: u32, t: Term, atom_index: &dyn Fn(Atom) -> u32) -> u32 {
    let Some(r) = t.as_ref_id() else {
        return hash;
    };
    let id = |i: usize| r.ids.get(i).copied().unwrap_or(0);
    if let Some((node, creation)) = r.node {
        hash = node_hash(hash, node, creation, hconst(7), atom_index);
    }
    hash = hash2(hash, id(0), 0, hconst(7));
    hash = hash2(hash, id(1), id(2), hconst(8));
    if r.ids.len() > 3 {
        hash = hash2(hash, id(3), id(4), hconst(9));
    }
    hash
}

/// A pid or port of another node: the node, then the id words.
fn external_id(hash: u32, t: Term, atom_index: &dyn Fn(Atom) -> u32) -> u32 {
    let (e, k) = match t.header().map(|h| h.subtag()) {
        Some(Subtag::ExtPid) => (t.as_external_pid(), hconst(5)),
        _ => (t.as_external_port(), hconst(6)),
    };
    let Some(e) = e else {
        return hash;
    };
    let hash = node_hash(hash, e.node, e.creation, k, atom_index);
    let data = e.id | (e.serial as u64) << 32;
    hash2(hash, data as u32, (data >> 32) as u32, k)
}

/// Stands in for BEAM's hash of a node entry's address.
fn node_hash(
    hash: u32,
    node: Atom,
    creation: u32,
    k: u32,
    atom_index: &dyn Fn(Atom) -> u32,
) -> u32 {
    let w = beam_immediate(Term::atom(node), atom_index);
    hash2(hash, w as u32, creation, k)
}
