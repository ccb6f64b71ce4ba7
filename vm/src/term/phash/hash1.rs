//! `make_hash`, the hash behind the deprecated `erlang:phash/2`:
//! `hash = hash * P + x (mod 2^32)` over the term's bytes and words, with a
//! prime just above 2^28 per kind of input.
//!
//! Integers hash by the bytes of their magnitude (least significant first,
//! a whole number of 32-bit words), so small integers and bignums of the same
//! value agree. Lists hash their elements in order, then their tail, then
//! multiply once by a list constant; byte elements take a shortcut.

use super::{atom_hash, big_limbs, float_bits, hash_bits, make_hash2, pid_number};
use super::{port_number, ref_first_id, HashBits, Term};
use crate::term::Kind;

// Primes just above 2^28, as BEAM numbers them.
const P1: u32 = 268_440_163;
const P2: u32 = 268_439_161;
const P3: u32 = 268_435_459;
const P4: u32 = 268_436_141;
const P5: u32 = 268_438_633;
const P6: u32 = 268_437_017;
const P8: u32 = 268_437_511;
const P9: u32 = 268_439_627;
const P10: u32 = 268_440_479;
const P11: u32 = 268_440_577;
const P12: u32 = 268_440_581;
const P13: u32 = 268_440_593;
const P14: u32 = 268_440_611;

/// Work left for later on the explicit stack.
enum Work {
    /// A term still to hash.
    Term(Term),
    /// The end of a tuple of this arity.
    TupleEnd(u32),
    /// The rest of a list whose head has just been hashed.
    ListRest(Term),
    /// The end of a list, after its tail.
    ListEnd,
}

struct Hasher {
    hash: u32,
    stack: Vec<Work>,
}

impl Hasher {
    /// `hash * p + x`.
    fn add(&mut self, x: u32, p: u32) {
        self.hash = self.hash.wrapping_mul(p).wrapping_add(x);
    }

    fn mul(&mut self, p: u32) {
        self.hash = self.hash.wrapping_mul(p);
    }

    /// The four bytes of `x`, least significant first.
    fn bytes32(&mut self, x: u32, p: u32) {
        for b in x.to_le_bytes() {
            self.add(u32::from(b), p);
        }
    }

    /// Hashes `t`; returns the term to continue with when `t` is a container
    /// whose rest went on the stack, `None` when `t` is done.
    fn step(&mut self, t: Term) -> Option<Term> {
        match t.kind() {
            Kind::Nil => self.add(1, P3),
            Kind::Atom => self.add(t.as_atom().map_or(0, atom_hash), P1),
            Kind::Small => {
                let v = t.small_value();
                let m = v.unsigned_abs();
                self.bytes32(m as u32, P2);
                if m >> 32 != 0 {
                    self.bytes32((m >> 32) as u32, P2);
                }
                self.mul(if v < 0 { P4 } else { P3 });
            }
            Kind::Big => {
                if let Some((negative, limbs)) = big_limbs(t) {
                    self.limbs(limbs);
                    self.mul(if negative { P4 } else { P3 });
                }
            }
            Kind::Float => {
                let bits = float_bits(t.as_float().unwrap_or(0.0));
                self.add((bits as u32) ^ ((bits >> 32) as u32), P6);
            }
            Kind::Binary => {
                if let Some(HashBits { bytes, tail }) = hash_bits(t) {
                    for &b in bytes.iter() {
                        self.add(u32::from(b), P1);
                    }
                    if let Some((bits, count)) = tail {
                        self.add(u32::from(bits), P1);
                        self.add(count, P12);
                    }
                    self.add(bytes.len() as u32, P4);
                }
            }
            Kind::Fun => return self.fun(t),
            Kind::Pid => {
                self.bytes32(pid_number(t).unwrap_or(0), P5);
                self.mul(P6);
            }
            Kind::Port => {
                let n = port_number(t).unwrap_or(0);
                if n >> 32 != 0 {
                    self.bytes32((n >> 32) as u32, P11);
                }
                self.bytes32(n as u32, P9);
                self.mul(P10);
            }
            Kind::Ref => {
                self.bytes32(ref_first_id(t).unwrap_or(0), P9);
                self.mul(P10);
            }
            Kind::List => return self.list(t),
            Kind::Map => {
                self.add(P14, P13);
                self.hash = self.hash.wrapping_add(make_hash2(t));
            }
            Kind::Tuple => {
                let elems = t.as_tuple().map_or(&[][..], |tu| tu.elements());
                self.stack.push(Work::TupleEnd(elems.len() as u32));
                self.stack
                    .extend(elems.iter().rev().map(|&e| Work::Term(e)));
            }
            // Not a term a program can hold; contributes nothing.
            Kind::Internal => {}
        }
        None
    }

    /// A bignum's magnitude bytes: every limb whole except the top one,
    /// which counts only its low half when its high half is zero.
    fn limbs(&mut self, limbs: &[u64]) {
        let Some((&top, low)) = limbs.split_last() else {
            return;
        };
        for &l in low {
            self.bytes32(l as u32, P2);
            self.bytes32((l >> 32) as u32, P2);
        }
        self.bytes32(top as u32, P2);
        if top >> 32 != 0 {
            self.bytes32((top >> 32) as u32, P2);
        }
    }

    /// A list from cell `t` on: byte elements inline, the first other one
    /// continued with and the rest stacked; at a non-list tail, the tail.
    fn list(&mut self, t: Term) -> Option<Term> {
        let mut cell = t;
        while let Some((head, tail)) = cell.as_cons() {
            match head.as_small().filter(|b| (0..=255).contains(b)) {
                Some(b) => self.add(b as u32, P2),
                None => {
                    self.stack.push(Work::ListRest(tail));
                    return Some(head);
                }
            }
            cell = tail;
        }
        self.stack.push(Work::ListEnd);
        Some(cell)
    }

    fn fun(&mut self, t: Term) -> Option<Term> {
        if let Some(e) = t.as_export() {
            self.add(e.arity, P11);
            self.add(atom_hash(e.module), P1);
            self.add(atom_hash(e.function), P1);
            return None;
        }
        let c = t.as_closure()?;
        let entry = c.entry();
        let env = c.free_vars();
        self.add(env.len() as u32, P10);
        self.add(atom_hash(entry.module), P1);
        self.add(entry.old_index, P2);
        self.add(entry.old_uniq, P2);
        let (first, rest) = env.split_first()?;
        self.stack.extend(rest.iter().rev().map(|&e| Work::Term(e)));
        Some(*first)
    }
}

/// BEAM's `make_hash`: the full 32-bit value behind `erlang:phash/2`.
pub fn make_hash(t: Term) -> u32 {
    let mut h = Hasher {
        hash: 0,
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
            Some(Work::TupleEnd(arity)) => h.add(arity, P9),
            Some(Work::ListRest(rest)) => {
                if !rest.is_list() {
                    h.stack.push(Work::ListEnd);
                }
                next = Some(rest);
            }
            Some(Work::ListEnd) => h.mul(P8),
        }
    }
}
