//! The operators the interpreter does inline, on small integers (and, for
//! comparisons, on any terms): everything else goes to the operator's BIF.

use std::sync::OnceLock;

use enigma_vm::atom::Atom;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};
use ibig::IBig;

use crate::instr::select::{equal, exact, less};

/// An operator with an inline fast path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `div`.
    Div,
    /// `rem`.
    Rem,
    /// `band`.
    Band,
    /// `bor`.
    Bor,
    /// `bxor`.
    Bxor,
    /// `bsl`.
    Bsl,
    /// `bsr`.
    Bsr,
    /// `<`.
    Lt,
    /// `>`.
    Gt,
    /// `=<`.
    Le,
    /// `>=`.
    Ge,
    /// `==`.
    Eq,
    /// `/=`.
    Ne,
    /// `=:=`.
    EqExact,
    /// `=/=`.
    NeExact,
}

const OPS: &[(&str, FastOp)] = &[
    ("+", FastOp::Add),
    ("-", FastOp::Sub),
    ("<", FastOp::Lt),
    (">=", FastOp::Ge),
    ("=:=", FastOp::EqExact),
    ("==", FastOp::Eq),
    ("*", FastOp::Mul),
    (">", FastOp::Gt),
    ("=<", FastOp::Le),
    ("band", FastOp::Band),
    ("bor", FastOp::Bor),
    ("bxor", FastOp::Bxor),
    ("bsl", FastOp::Bsl),
    ("bsr", FastOp::Bsr),
    ("div", FastOp::Div),
    ("rem", FastOp::Rem),
    ("=/=", FastOp::NeExact),
    ("/=", FastOp::Ne),
];

fn table() -> &'static [(usize, FastOp)] {
    static T: OnceLock<Vec<(usize, FastOp)>> = OnceLock::new();
    T.get_or_init(|| {
        OPS.iter()
            .filter_map(|&(name, op)| {
                let f = Atom::intern(name).ok()?;
                let e = Export::get_or_create(Atom::ERLANG, f, 2);
                Some((e as *const Export as usize, op))
            })
            .collect()
    })
}

/// The fast operator behind export `e`, if it is one (a pointer compare
/// per operator: no hashing).
#[inline]
pub fn fast_op(e: &'static Export) -> Option<FastOp> {
    if e.arity != 2 || e.module != Atom::ERLANG {
        return None;
    }
    let key = e as *const Export as usize;
    table().iter().find(|&&(p, _)| p == key).map(|&(_, op)| op)
}

/// `a op b` when the fast path applies; `None` sends the operation to the
/// BIF.
#[inline]
pub fn fast2(heap: &mut Heap, op: FastOp, a: Term, b: Term) -> Option<Term> {
    let cmp = match op {
        FastOp::Lt => Some(less(a, b)),
        FastOp::Ge => Some(!less(a, b)),
        FastOp::Gt => Some(less(b, a)),
        FastOp::Le => Some(!less(b, a)),
        FastOp::Eq => Some(equal(a, b)),
        FastOp::Ne => Some(!equal(a, b)),
        FastOp::EqExact => Some(exact(a, b)),
        FastOp::NeExact => Some(!exact(a, b)),
        _ => None,
    };
    if let Some(c) = cmp {
        return Some(Term::bool(c));
    }
    let (x, y) = (a.as_small()?, b.as_small()?);
    let v: i64 = match op {
        // Small integers have 60 bits: sums and differences fit in i64.
        FastOp::Add => x + y,
        FastOp::Sub => x - y,
        FastOp::Mul => match x.checked_mul(y) {
            Some(v) => v,
            None => return Some(heap.big(&(IBig::from(x) * IBig::from(y)))),
        },
        FastOp::Div if y != 0 => x / y,
        FastOp::Rem if y != 0 => x % y,
        FastOp::Band => x & y,
        FastOp::Bor => x | y,
        FastOp::Bxor => x ^ y,
        FastOp::Bsl if (0..64).contains(&y) => match x.checked_shl(y as u32) {
            Some(v) if v >> y == x => v,
            _ => return Some(heap.big(&(IBig::from(x) << y as usize))),
        },
        FastOp::Bsl if (-63..0).contains(&y) => x >> -y,
        FastOp::Bsr if (0..64).contains(&y) => x >> y,
        FastOp::Bsr if (-63..0).contains(&y) => match x.checked_shl(-y as u32) {
            Some(v) if v >> -y == x => v,
            _ => return Some(heap.big(&(IBig::from(x) << (-y) as usize))),
        },
        _ => return None,
    };
    Some(if Term::fits_small(v) {
        Term::small(v)
    } else {
        heap.int(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_paths_and_overflow_to_bignums() {
        let mut h = Heap::new();
        let s = Term::small;
        assert_eq!(fast2(&mut h, FastOp::Add, s(2), s(3)), Some(s(5)));
        assert_eq!(fast2(&mut h, FastOp::Div, s(-7), s(2)), Some(s(-3)));
        assert_eq!(fast2(&mut h, FastOp::Rem, s(-7), s(2)), Some(s(-1)));
        assert_eq!(fast2(&mut h, FastOp::Div, s(1), s(0)), None);
        assert_eq!(fast2(&mut h, FastOp::Bsr, s(-1), s(70)), None);
        let max = s(enigma_vm::term::MAX_SMALL);
        let big = fast2(&mut h, FastOp::Add, max, s(1)).unwrap();
        assert_eq!(
            big.as_bignum(),
            Some(IBig::from(enigma_vm::term::MAX_SMALL) + 1)
        );
        let sh = fast2(&mut h, FastOp::Bsl, s(1), s(63)).unwrap();
        assert_eq!(sh.as_bignum(), Some(IBig::from(1u8) << 63));
        assert_eq!(fast2(&mut h, FastOp::Lt, s(1), s(2)), Some(Term::TRUE));
    }
}
