//! Term order and the two equalities, as the Erlang reference manual and
//! BEAM define them:
//!
//! ```text
//! number < atom < reference < fun < port < pid < tuple < map < nil < list < bit string
//! ```
//!
//! - [`compare`] is the order of `<`, `==`, `lists:sort/1`: integers and floats
//!   compare by mathematical value (exactly, even beyond 2^53), so `1 == 1.0`.
//! - [`compare_exact`] is the order of map keys: numbers compare by value but an
//!   integer is always below a float, so `1 =/= 1.0`. [`eq_exact`] (`=:=`) is
//!   equality under it.
//! - Maps compare by size, then by their keys in map-key order (always exact,
//!   even under `==`), then by their values.
//!
//! The walk keeps pending pairs on an explicit stack, so deep terms never
//! recurse on the native stack.

use std::cmp::Ordering;

use ibig::IBig;
use smallvec::SmallVec;

use super::{Kind, Term};
use crate::atom::Atom;

/// How numbers of different types compare.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// By value: `1 == 1.0`.
    Arith,
    /// By value, but integers before floats: `1 < 1.0`.
    Exact,
}

/// Term order (`<`, `==`): `Equal` means `==`.
pub fn compare(a: Term, b: Term) -> Ordering {
    walk(a, b, Mode::Arith)
}

/// Map-key order: `Equal` means `=:=`.
pub fn compare_exact(a: Term, b: Term) -> Ordering {
    walk(a, b, Mode::Exact)
}

/// `a == b`.
pub fn eq(a: Term, b: Term) -> bool {
    a == b || super::equal::equal(a, b, Mode::Arith)
}

/// `a =:= b`.
pub fn eq_exact(a: Term, b: Term) -> bool {
    a == b || super::equal::equal(a, b, Mode::Exact)
}

/// The pairs a walk has still to compare, last pushed first. The first
/// sixteen live in place (uninitialised until pushed), so comparing terms
/// a few levels deep (record keys of maps, the tuples `=:=` meets)
/// allocates nothing.
pub(super) struct Pending(SmallVec<[(Term, Term, Mode); 16]>);

impl Pending {
    pub(super) fn new() -> Pending {
        Pending(SmallVec::new())
    }

    /// Adds a pair; an identical pair is already equal and is not kept.
    #[inline]
    pub(super) fn push(&mut self, pair: (Term, Term, Mode)) {
        if pair.0 != pair.1 {
            self.0.push(pair);
        }
    }

    /// The pair pushed last.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<(Term, Term, Mode)> {
        self.0.pop()
    }
}

/// Position of a kind in term order.
pub(super) fn class(k: Kind) -> u8 {
    match k {
        Kind::Small | Kind::Big | Kind::Float => 0,
        Kind::Atom => 1,
        Kind::Ref => 2,
        Kind::Fun => 3,
        Kind::Port => 4,
        Kind::Pid => 5,
        Kind::Tuple => 6,
        Kind::Map => 7,
        Kind::Nil => 8,
        Kind::List => 9,
        Kind::Binary => 10,
        Kind::Internal => 11,
    }
}

fn walk(a: Term, b: Term, outer: Mode) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let mut stack = Pending::new();
    let o = shallow(a, b, outer, &mut stack);
    if o != Ordering::Equal {
        return o;
    }
    while let Some((a, b, mode)) = stack.pop() {
        let o = shallow(a, b, mode, &mut stack);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Compares the outer layer of `a` and `b`; pushes the pairs of children
/// still to compare (rightmost first) when the outer layers are equal.
pub(super) fn shallow(a: Term, b: Term, mode: Mode, stack: &mut Pending) -> Ordering {
    // Two small integers or two atoms (most map keys, which a flat map's
    // put orders at each step of its binary search) without classifying.
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.as_atom(), b.as_atom()) {
        return x.name().as_bytes().cmp(y.name().as_bytes());
    }
    let (ka, kb) = (a.kind(), b.kind());
    let (ca, cb) = (class(ka), class(kb));
    if ca != cb {
        return ca.cmp(&cb);
    }
    match ka {
        Kind::Small | Kind::Big | Kind::Float => compare_numbers(a, b, mode),
        Kind::Atom => compare_atoms(a.as_atom(), b.as_atom()),
        Kind::Nil => Ordering::Equal,
        Kind::List => {
            let (ha, ta) = a.as_cons().expect("list");
            let (hb, tb) = b.as_cons().expect("list");
            stack.push((ta, tb, mode));
            stack.push((ha, hb, mode));
            Ordering::Equal
        }
        Kind::Tuple => {
            let (ta, tb) = (a.as_tuple().expect("tuple"), b.as_tuple().expect("tuple"));
            let o = ta.len().cmp(&tb.len());
            if o == Ordering::Equal {
                push_pairs(stack, ta.elements(), tb.elements(), mode);
            }
            o
        }
        Kind::Map => {
            let (ea, eb) = (super::map::sorted_entries(a), super::map::sorted_entries(b));
            let o = ea.len().cmp(&eb.len());
            if o == Ordering::Equal {
                // Values are compared after all keys, so push them first.
                for ((_, va), (_, vb)) in ea.iter().zip(&eb).rev() {
                    stack.push((*va, *vb, mode));
                }
                for ((ka, _), (kb, _)) in ea.iter().zip(&eb).rev() {
                    stack.push((*ka, *kb, Mode::Exact));
                }
            }
            o
        }
        Kind::Binary => {
            let (ba, bb) = (a.as_bits().expect("bits"), b.as_bits().expect("bits"));
            if let (Some(x), Some(y)) = (ba.as_bytes(), bb.as_bytes()) {
                return x.cmp(y);
            }
            let common = ba.bit_size.min(bb.bit_size);
            let whole = common / 8;
            for i in 0..whole {
                let o = ba.byte(i).cmp(&bb.byte(i));
                if o != Ordering::Equal {
                    return o;
                }
            }
            for i in whole * 8..common {
                let o = ba.bit(i).cmp(&bb.bit(i));
                if o != Ordering::Equal {
                    return o;
                }
            }
            ba.bit_size.cmp(&bb.bit_size)
        }
        Kind::Fun => compare_funs(a, b, mode, stack),
        Kind::Pid => pid_key(a).cmp(&pid_key(b)),
        Kind::Port => port_key(a).cmp(&port_key(b)),
        Kind::Ref => {
            let (ra, rb) = (a.as_ref_id().expect("ref"), b.as_ref_id().expect("ref"));
            let node = |n: Option<(Atom, u32)>| n.map_or((Atom::NONODE, 0), |x| x);
            let (na, nb) = (node(ra.node), node(rb.node));
            compare_atoms(Some(na.0), Some(nb.0))
                .then(ra.ids.len().cmp(&rb.ids.len()))
                .then_with(|| ra.ids.iter().rev().cmp(rb.ids.iter().rev()))
                .then(na.1.cmp(&nb.1))
        }
        Kind::Internal => a.raw().cmp(&b.raw()),
    }
}

pub(super) fn push_pairs(stack: &mut Pending, xs: &[Term], ys: &[Term], mode: Mode) {
    for (x, y) in xs.iter().zip(ys).rev() {
        stack.push((*x, *y, mode));
    }
}

fn compare_atoms(a: Option<Atom>, b: Option<Atom>) -> Ordering {
    let name = |a: Option<Atom>| a.map_or("", |a| a.name());
    name(a).as_bytes().cmp(name(b).as_bytes())
}

fn compare_funs(a: Term, b: Term, mode: Mode, stack: &mut Pending) -> Ordering {
    match (a.as_export(), b.as_export()) {
        (Some(x), Some(y)) => compare_atoms(Some(x.module), Some(y.module))
            .then_with(|| compare_atoms(Some(x.function), Some(y.function)))
            .then(x.arity.cmp(&y.arity)),
        // Closures sort before external funs.
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => {
            let (x, y) = (a.as_closure().expect("fun"), b.as_closure().expect("fun"));
            let (ex, ey) = (x.entry(), y.entry());
            let o = compare_atoms(Some(ex.module), Some(ey.module))
                .then(ex.old_index.cmp(&ey.old_index))
                .then(ex.old_uniq.cmp(&ey.old_uniq))
                .then(x.free_vars().len().cmp(&y.free_vars().len()));
            if o == Ordering::Equal {
                push_pairs(stack, x.free_vars(), y.free_vars(), mode);
            }
            o
        }
    }
}

/// Pids order by node, then serial, then number, then creation.
fn pid_key(t: Term) -> (&'static str, u32, u64, u32) {
    match t.as_local_pid() {
        Some((number, serial)) => (Atom::NONODE.name(), serial, number as u64, 0),
        None => {
            let e = t.as_external_pid().expect("pid");
            (e.node.name(), e.serial, e.id, e.creation)
        }
    }
}

fn port_key(t: Term) -> (&'static str, u64, u32) {
    match t.as_local_port() {
        Some(n) => (Atom::NONODE.name(), n, 0),
        None => {
            let e = t.as_external_port().expect("port");
            (e.node.name(), e.id, e.creation)
        }
    }
}

pub(super) fn compare_numbers(a: Term, b: Term, mode: Mode) -> Ordering {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    match (a.as_float(), b.as_float()) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Some(x), None) => match mode {
            Mode::Exact => Ordering::Greater,
            Mode::Arith => compare_int_float(&int_of(b), x).reverse(),
        },
        (None, Some(y)) => match mode {
            Mode::Exact => Ordering::Less,
            Mode::Arith => compare_int_float(&int_of(a), y),
        },
        // Two integers.
        (None, None) => a.cmp_int(b).unwrap_or(Ordering::Equal),
    }
}

fn int_of(t: Term) -> IBig {
    t.as_int().map(|i| i.to_ibig()).unwrap_or_default()
}

/// Compares an integer with a (finite) float by exact mathematical value.
pub fn compare_int_float(n: &IBig, f: f64) -> Ordering {
    let whole = f.trunc();
    let o = n.cmp(&float_to_ibig(whole));
    if o != Ordering::Equal {
        return o;
    }
    // Same integer part: the fraction decides.
    0f64.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal)
}

/// The exact value of an integral, finite float.
pub fn float_to_ibig(f: f64) -> IBig {
    if f.abs() < 9.0e18 {
        return IBig::from(f as i64);
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as i64 - 1075;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let mag = IBig::from(mantissa) << (exp as usize);
    if f < 0.0 {
        -mag
    } else {
        mag
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::fun::{Export, FunEntry};
    use crate::term::Heap;

    fn a(s: &str) -> Term {
        Term::atom(Atom::intern(s).unwrap())
    }

    // Each expectation here was checked on `erl` (OTP 25).
    #[test]
    fn classes_order_as_in_the_reference_manual() {
        let mut h = Heap::new();
        let e = FunEntry::intern(Atom::intern("o").unwrap(), [0; 16], 0, 0, 1, 0, 0);
        let items = [
            Term::small(1),
            h.float(1.5),
            a("a"),
            h.local_ref(&[1, 2, 3]),
            h.closure(e, Term::pid(0, 0), &[]),
            Term::port(3),
            Term::pid(9, 0),
            h.tuple(&[Term::small(1)]),
            super::super::map::empty_map(&mut h),
            Term::NIL,
            h.list(&[a("a")]),
            h.binary(&[1]),
        ];
        for (i, x) in items.iter().enumerate() {
            for (j, y) in items.iter().enumerate() {
                assert_eq!(compare(*x, *y), i.cmp(&j), "{x} vs {y}");
            }
        }
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        let mut h = Heap::new();
        let big = h.int(9007199254740993);
        let f = h.float(9007199254740992.0);
        assert_eq!(compare(big, f), Ordering::Greater);
        let one_f = h.float(1.0);
        assert!(eq(Term::small(1), one_f));
        assert!(!eq_exact(Term::small(1), one_f));
        assert_eq!(compare_exact(Term::small(2), one_f), Ordering::Less);
        let two64: IBig = IBig::from(1u8) << 64;
        let b = h.big(&two64);
        let bf = h.float(18446744073709551616.0);
        assert!(eq(b, bf));
        let b1 = h.big(&(two64 + IBig::from(1u8)));
        assert_eq!(compare(b1, bf), Ordering::Greater);
        let negz = h.float(-0.0);
        let z = h.float(0.0);
        assert!(eq_exact(negz, z));
    }

    #[test]
    fn pids_funs_atoms_binaries() {
        let mut h = Heap::new();
        assert_eq!(compare(Term::pid(100, 0), Term::pid(5, 1)), Ordering::Less);
        assert_eq!(compare(Term::pid(5, 0), Term::pid(100, 0)), Ordering::Less);
        let ex1 = h.export_fun(Export::get_or_create(
            Atom::intern("lists").unwrap(),
            Atom::intern("map").unwrap(),
            2,
        ));
        let ex2 = h.export_fun(Export::get_or_create(
            Atom::intern("o").unwrap(),
            Atom::intern("f").unwrap(),
            0,
        ));
        assert_eq!(compare(ex1, ex2), Ordering::Less);
        assert_eq!(compare(a("B"), a("a")), Ordering::Less);
        assert_eq!(compare(a("z"), a("é")), Ordering::Less);
        let b13 = h.bitstring(&[0b0010_0000], 3);
        let b1 = h.binary(&[1]);
        assert_eq!(compare(b13, b1), Ordering::Greater);
        let b12 = h.binary(&[1, 2]);
        let b120 = h.binary(&[1, 2, 0]);
        assert_eq!(compare(b12, b120), Ordering::Less);
        let b2 = h.binary(&[2]);
        let b123 = h.binary(&[1, 2, 3]);
        assert_eq!(compare(b2, b123), Ordering::Greater);
    }

    #[test]
    fn tuples_and_lists() {
        let mut h = Heap::new();
        let t2 = h.tuple(&[Term::small(1), Term::small(2)]);
        let t3 = h.tuple(&[Term::small(0), Term::small(0), Term::small(0)]);
        assert_eq!(compare(t2, t3), Ordering::Less);
        let ta = h.tuple(&[a("a")]);
        let t1 = h.tuple(&[Term::small(1)]);
        assert_eq!(compare(ta, t1), Ordering::Greater);
        let improper = h.list_with_tail(&[Term::small(1)], Term::small(2));
        let proper = h.list(&[Term::small(1), Term::small(2)]);
        assert_eq!(compare(improper, proper), Ordering::Less);
    }

    #[test]
    fn deep_terms_compare_without_recursion() {
        let mut h = Heap::new();
        let (mut x, mut y) = (Term::NIL, Term::NIL);
        for _ in 0..1_000_000 {
            x = h.tuple(&[x]);
            y = h.tuple(&[y]);
        }
        assert!(eq_exact(x, y));
        let long: Vec<Term> = (0..1_000_000).map(Term::small).collect();
        let l1 = h.list(&long);
        let l2 = h.list(&long);
        assert!(eq(l1, l2));
    }
}
