//! `make_hash2`, the hash behind `erlang:phash2/1,2`: Bob Jenkins' `mix`
//! applied to 32-bit words of the term, with a constant per kind of word.
//!
//! The walk keeps one running 32-bit state. Containers push what is left of
//! them on a work stack and continue with their first part, exactly in
//! BEAM's order, so the state sequence (and hence the value) is the same.
//! A map hashes each key-value pair from a zero state and combines the pairs
//! with xor, so its value does not depend on the order of its entries.

use super::{atom_hash, big_limbs, float_bits, hash_bits, pid_number, port_number};
use super::{ref_first_id, HashBits, Term};
use crate::term::jenkins::{block_hash, mix, HCONST};
use crate::term::{map, Kind};

/// `HCONST * n` (mod 2^32) for the constants BEAM uses per kind of word.
const HCONST_2: u32 = 0x3c6e_f372;
const HCONST_3: u32 = 0xdaa6_6d2b;
const HCONST_4: u32 = 0x78dd_e6e4;
const HCONST_5: u32 = 0x1715_609d;
const HCONST_6: u32 = 0xb54c_da56;
const HCONST_7: u32 = 0x5384_540f;
const HCONST_9: u32 = 0x8ff3_4781;
const HCONST_10: u32 = 0x2e2a_c13a;
const HCONST_11: u32 = 0xcc62_3af3;
const HCONST_12: u32 = 0x6a99_b4ac;
const HCONST_13: u32 = 0x08d1_2e65;
const HCONST_14: u32 = 0xa708_a81e;
const HCONST_15: u32 = 0x4540_21d7;
const HCONST_16: u32 = 0xe377_9b90;
const HCONST_19: u32 = 0xbe1e_08bb;

/// What `[]` hashes to when it is the first thing hashed.
const NIL_FIRST: u32 = 3_468_870_702;
/// The number BEAM mixes in for `[]` elsewhere (its internal tag number).
const NIL_TAG: u32 = 2;

/// Work left for later on the explicit stack.
enum Work {
    /// A term still to hash.
    Term(Term),
    /// The end of one map pair: fold the pair's hash into the xor.
    MapPair,
    /// The end of a map: restore the enclosing state, mix in the xor.
    MapEnd { hash: u32, xor: u32 },
}

/// The walk's state.
struct Hasher {
    hash: u32,
    xor_pairs: u32,
    stack: Vec<Work>,
}

impl Hasher {
    /// Mixes two words into the state, each offset by `k`.
    fn words(&mut self, x: u32, y: u32, k: u32) {
        self.hash = mix(k.wrapping_add(x), k.wrapping_add(y), self.hash).2;
    }

    /// Mixes one word into the state.
    fn word(&mut self, x: u32, k: u32) {
        self.words(x, 0, k);
    }

    /// Hashes `t`; returns the term to continue with when `t` is a container
    /// whose rest went on the stack, `None` when `t` is done.
    fn step(&mut self, t: Term) -> Option<Term> {
        match t.kind() {
            Kind::List => return self.list(t),
            Kind::Nil => {
                if self.hash == 0 {
                    self.hash = NIL_FIRST;
                } else {
                    self.word(NIL_TAG, HCONST_2);
                }
            }
            Kind::Atom => {
                let h = t.as_atom().map_or(0, atom_hash);
                if self.hash == 0 {
                    self.hash = h;
                } else {
                    self.word(h, HCONST_3);
                }
            }
            Kind::Small => self.integer_i64(t.small_value()),
            Kind::Big => {
                if let Some((negative, limbs)) = big_limbs(t) {
                    self.limbs(negative, limbs);
                }
            }
            Kind::Float => {
                let bits = float_bits(t.as_float().unwrap_or(0.0));
                self.words((bits >> 32) as u32, bits as u32, HCONST_12);
            }
            Kind::Tuple => {
                let elems = t.as_tuple().map_or(&[][..], |tu| tu.elements());
                self.word(elems.len() as u32, HCONST_9);
                let (first, rest) = elems.split_first()?;
                self.stack.extend(rest.iter().rev().map(|&e| Work::Term(e)));
                return Some(*first);
            }
            Kind::Map => self.map(t),
            Kind::Binary => self.bitstring(t),
            Kind::Fun => return self.fun(t),
            Kind::Pid => self.word(pid_number(t).unwrap_or(0), HCONST_5),
            Kind::Port => {
                let n = port_number(t).unwrap_or(0);
                self.words(n as u32, (n >> 32) as u32, HCONST_6);
            }
            Kind::Ref => self.word(ref_first_id(t).unwrap_or(0), HCONST_7),
            // Not a term a program can hold; contributes nothing.
            Kind::Internal => {}
        }
        None
    }

    /// A list: runs of byte elements are packed four to a word; the first
    /// other element is continued with and the rest of the list stacked.
    fn list(&mut self, t: Term) -> Option<Term> {
        let mut packed: u32 = 0;
        let mut count = 0;
        let mut cell = t;
        let next = loop {
            let Some((head, tail)) = cell.as_cons() else {
                break cell;
            };
            match head.as_small().filter(|b| (0..=255).contains(b)) {
                Some(b) => {
                    packed = (packed << 8) + b as u32;
                    if count == 3 {
                        self.word(packed, HCONST_4);
                        packed = 0;
                        count = 0;
                    } else {
                        count += 1;
                    }
                    cell = tail;
                }
                None => {
                    self.stack.push(Work::Term(tail));
                    break head;
                }
            }
        };
        if count > 0 {
            self.word(packed, HCONST_4);
        }
        Some(next)
    }

    /// An integer given as an `i64`: 28-bit signed values directly (negative
    /// ones twice), others as the one-limb bignum BEAM would make of them.
    fn integer_i64(&mut self, v: i64) {
        if (-(1 << 27)..(1 << 27)).contains(&v) {
            let y = v as i32;
            if y < 0 {
                self.word(y.wrapping_neg() as u32, HCONST);
            }
            self.word(y as u32, HCONST);
        } else {
            self.limbs(v < 0, &[v.unsigned_abs()]);
        }
    }

    /// A bignum: each 64-bit magnitude limb as its low and high halves.
    fn limbs(&mut self, negative: bool, limbs: &[u64]) {
        let k = if negative { HCONST_10 } else { HCONST_11 };
        for &l in limbs {
            self.words(l as u32, (l >> 32) as u32, k);
        }
    }

    fn bitstring(&mut self, t: Term) {
        let Some(HashBits { bytes, tail }) = hash_bits(t) else {
            return;
        };
        let con = HCONST_13.wrapping_add(self.hash);
        if bytes.is_empty() && tail.is_none() {
            self.hash = con;
            return;
        }
        self.hash = block_hash(&bytes, con);
        if let Some((bits, count)) = tail {
            self.words(count, u32::from(bits), HCONST_15);
        }
    }

    /// A map: size, then each pair hashed from zero and xored together.
    fn map(&mut self, t: Term) {
        let entries = map::entries(t);
        self.word(entries.len() as u32, HCONST_16);
        if entries.is_empty() {
            return;
        }
        self.stack.push(Work::MapEnd {
            hash: self.hash,
            xor: self.xor_pairs,
        });
        self.hash = 0;
        self.xor_pairs = 0;
        for (k, v) in entries.into_iter().rev() {
            self.stack.push(Work::MapPair);
            self.stack.push(Work::Term(v));
            self.stack.push(Work::Term(k));
        }
    }

    fn fun(&mut self, t: Term) -> Option<Term> {
        if let Some(e) = t.as_export() {
            self.words(e.arity, atom_hash(e.module), HCONST);
            self.word(atom_hash(e.function), HCONST_14);
            return None;
        }
        let c = t.as_closure()?;
        let entry = c.entry();
        let env = c.free_vars();
        self.words(env.len() as u32, atom_hash(entry.module), HCONST);
        self.words(entry.old_index, entry.old_uniq, HCONST);
        let (first, rest) = env.split_first()?;
        self.stack.extend(rest.iter().rev().map(|&e| Work::Term(e)));
        Some(*first)
    }
}

/// BEAM's `make_hash2`: the full 32-bit portable hash of a term, the value
/// `erlang:phash2/2` reduces to its range.
pub fn make_hash2(t: Term) -> u32 {
    let mut h = Hasher {
        hash: 0,
        xor_pairs: 0,
        stack: Vec::new(),
    };
    let mut next = Some(t);
    loop {
        if let Some(t) = next {
            next = h.step(t);
            continue;
        }
        match h.stack.pop() {
            None => return h.hash,
            Some(Work::Term(t)) => next = Some(t),
            Some(Work::MapPair) => {
                h.xor_pairs ^= h.hash;
                h.hash = 0;
            }
            Some(Work::MapEnd { hash, xor }) => {
                h.hash = hash;
                h.word(h.xor_pairs, HCONST_19);
                h.xor_pairs = xor;
            }
        }
    }
}
