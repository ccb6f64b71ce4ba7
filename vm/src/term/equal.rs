//! The two equalities, `==` and `=:=`, tested without term order.
//!
//! Equality is what `=:=`, `select_val` on compound terms, map keys and
//! the list BIFs ask most; term order's walk answered it by ordering,
//! which names atoms by their text, sorts both tries' keys to compare two
//! maps and compares tuples element by element even where they share
//! words. Here, as BEAM's `eq()` does, a pair of identical words is equal
//! at once (shared subterms are not entered), two different immediates
//! are unequal at once (except `1 == 1.0`), and maps compare key by key
//! as stored. Kinds equality has nothing faster for (funs, references,
//! external pids and ports, bit strings that are not whole bytes) go to
//! term order's layer comparison.

use std::cmp::Ordering;

use super::order::{class, compare_numbers, shallow, Mode, Pending};
use super::{Kind, Term, TAG_BOXED, TAG_IMMED1, TAG_LIST};

/// Whether `a` and `b` are equal under `mode` (`Arith` is `==`, `Exact` is
/// `=:=`).
pub(super) fn equal(a: Term, b: Term, mode: Mode) -> bool {
    let mut stack = Pending::new();
    let (mut a, mut b, mut mode) = (a, b, mode);
    loop {
        if a != b && !layer(a, b, mode, &mut stack) {
            return false;
        }
        match stack.pop() {
            Some(next) => (a, b, mode) = next,
            None => return true,
        }
    }
}

/// Compares the outer layer of two different words; pushes the children
/// still to compare when it is equal.
fn layer(a: Term, b: Term, mode: Mode, stack: &mut Pending) -> bool {
    let (ta, tb) = (a.primary_tag(), b.primary_tag());
    if ta == TAG_LIST && tb == TAG_LIST {
        let ((ha, xa), (hb, xb)) = (a.as_cons().expect("list"), b.as_cons().expect("list"));
        stack.push((xa, xb, mode));
        stack.push((ha, hb, mode));
        return true;
    }
    if ta != TAG_BOXED || tb != TAG_BOXED {
        // Two different immediates, or an immediate and a compound term:
        // only numbers can still be equal (`1 == 1.0`).
        return mode == Mode::Arith
            && a.is_number()
            && b.is_number()
            && compare_numbers(a, b, mode) == Ordering::Equal;
    }
    let (ka, kb) = (a.kind(), b.kind());
    match (ka, kb) {
        (Kind::Tuple, Kind::Tuple) => {
            let (x, y) = (a.as_tuple().expect("tuple"), b.as_tuple().expect("tuple"));
            x.len() == y.len() && children(stack, x.elements(), y.elements(), mode)
        }
        (Kind::Map, Kind::Map) => maps(a, b, mode, stack),
        (Kind::Binary, Kind::Binary) => {
            let (x, y) = (a.as_bits().expect("bits"), b.as_bits().expect("bits"));
            match (x.as_bytes(), y.as_bytes()) {
                (Some(x), Some(y)) => x == y,
                _ => shallow(a, b, mode, stack) == Ordering::Equal,
            }
        }
        _ if class(ka) != class(kb) => false,
        _ => shallow(a, b, mode, stack) == Ordering::Equal,
    }
}

/// Pushes the pairs of children still to compare; `false` at once when a
/// pair of different immediates shows the terms unequal (two immediates
/// are equal only as the same word, under either equality).
fn children(stack: &mut Pending, xs: &[Term], ys: &[Term], mode: Mode) -> bool {
    for (&x, &y) in xs.iter().zip(ys) {
        if x == y {
            continue;
        }
        if x.primary_tag() == TAG_IMMED1 && y.primary_tag() == TAG_IMMED1 {
            return false;
        }
        stack.push((x, y, mode));
    }
    true
}

/// Two maps: flat ones key by key in their stored (key) order, sharing a
/// keys tuple where they can; tries as BEAM compares them, each key of `a`
/// looked up in `b`. The same size means the same layout (a trie that
/// shrinks to 32 keys turns flat).
fn maps(a: Term, b: Term, mode: Mode, stack: &mut Pending) -> bool {
    if a.map_size() != b.map_size() {
        return false;
    }
    match (super::map::flat_parts(a), super::map::flat_parts(b)) {
        (Some((keys_a, ka, va)), Some((keys_b, kb, vb))) => {
            (keys_a == keys_b || children(stack, ka, kb, Mode::Exact))
                && children(stack, va, vb, mode)
        }
        (None, None) => super::map::iter(a).all(|(k, va)| match b.map_get(k) {
            Some(vb) => {
                stack.push((va, vb, mode));
                true
            }
            None => false,
        }),
        _ => shallow(a, b, mode, stack) == Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use crate::atom::Atom;
    use crate::term::fun::FunEntry;
    use crate::term::order::{compare, compare_exact, eq, eq_exact};
    use crate::term::{Heap, Term};
    use ibig::IBig;
    use std::cmp::Ordering;

    /// One of each kind and the pairs equality must tell apart, built
    /// afresh on each call so no two calls share a word.
    fn samples(h: &mut Heap) -> Vec<Term> {
        let a = |s: &str| Term::atom(Atom::intern(s).unwrap());
        let e = FunEntry::intern(a("eqt").as_atom().unwrap(), [0; 16], 0, 0, 1, 0, 0);
        let big = h.big(&(IBig::from(1u8) << 70));
        let two64 = h.big(&(IBig::from(1u8) << 64));
        let mut v = vec![
            Term::small(1),
            h.float(1.0),
            h.float(0.0),
            h.float(-0.0),
            big,
            two64,
            h.float(18446744073709551616.0),
            a("a"),
            a("b"),
            Term::NIL,
            h.local_ref(&[1, 2, 3]),
            h.local_ref(&[1, 2, 4]),
            Term::pid(1, 0),
            Term::port(1),
            h.binary(&[1, 2, 3]),
            h.binary(&[1, 2]),
            h.bitstring(&[0b1010_0000], 3),
            h.bitstring(&[0b1000_0000], 3),
        ];
        let one_f = h.float(1.0);
        v.push(h.closure(e, Term::pid(0, 0), &[Term::small(1)]));
        v.push(h.closure(e, Term::pid(0, 0), &[one_f]));
        v.push(h.tuple(&[Term::small(1), a("x")]));
        v.push(h.tuple(&[one_f, a("x")]));
        v.push(h.tuple(&[Term::small(1)]));
        v.push(h.list(&[Term::small(1), Term::small(2)]));
        v.push(h.list(&[Term::small(1), one_f]));
        v.push(h.list_with_tail(&[Term::small(1)], Term::small(2)));
        let k1 = h.tuple(&[a("var"), Term::small(7)]);
        v.push(h.map_from_pairs(&[(Term::small(1), a("v")), (k1, one_f)]));
        let k1 = h.tuple(&[a("var"), Term::small(7)]);
        v.push(h.map_from_pairs(&[(Term::small(1), a("v")), (k1, Term::small(1))]));
        v.push(h.map_from_pairs(&[(one_f, a("v"))]));
        v.push(h.map_from_pairs(&[(Term::small(1), a("v"))]));
        for last in [Term::small(1), one_f] {
            let pairs: Vec<(Term, Term)> = (0..40)
                .map(|i| (Term::small(i), if i == 39 { last } else { Term::small(i) }))
                .collect();
            v.push(h.map_from_pairs(&pairs));
        }
        v
    }

    #[test]
    fn equality_agrees_with_term_order_on_every_pair() {
        let mut h = Heap::new();
        let xs = samples(&mut h);
        let ys = samples(&mut h);
        for x in &xs {
            for y in &ys {
                let (x, y) = (*x, *y);
                assert_eq!(eq(x, y), compare(x, y) == Ordering::Equal, "{x} == {y}");
                assert_eq!(
                    eq_exact(x, y),
                    compare_exact(x, y) == Ordering::Equal,
                    "{x} =:= {y}"
                );
            }
        }
    }

    #[test]
    fn deep_and_wide_terms_compare_without_recursion() {
        let mut h = Heap::new();
        let wide: Vec<Term> = (0..100).map(|i| h.tuple(&[Term::small(i)])).collect();
        let wide2: Vec<Term> = (0..100).map(|i| h.tuple(&[Term::small(i)])).collect();
        let (x, y) = (h.tuple(&wide), h.tuple(&wide2));
        assert!(eq_exact(x, y));
        let (mut x, mut y) = (Term::NIL, Term::NIL);
        for i in 0..200_000 {
            x = h.tuple(&[x, Term::small(i)]);
            y = h.tuple(&[y, Term::small(i)]);
        }
        assert!(eq_exact(x, y));
        let z = h.tuple(&[y, Term::small(0)]);
        assert!(!eq(x, z));
    }
}
