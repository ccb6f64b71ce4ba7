//! The operators of `Instr::Op2`: small integers inline ([`small2`]), then
//! overflow into bignums, mixed float `+`/`-`/`*` and comparisons of any
//! terms ([`fast2`]);
//! everything else goes to the operator's BIF.

use enigma_vm::code::ArithOp;
use enigma_vm::term::{Heap, Term};
use ibig::IBig;

use crate::instr::select::{equal, exact, less};

/// `a op b` when both are small integers and so is the result: no
/// allocation, no call, so the instruction loop inlines it.
#[inline(always)]
pub fn small2(op: ArithOp, a: Term, b: Term) -> Option<Term> {
    if !(a.is_small() && b.is_small()) {
        return None;
    }
    small_op(op, a.small_value(), b.small_value())
}

/// `x op y` on the values of two small integers, if the result is one
/// (`Instr::Op2XI` knows its second operand is small at load time).
#[inline(always)]
pub fn small_op(op: ArithOp, x: i64, y: i64) -> Option<Term> {
    let v = match op {
        // Small integers have 60 bits: sums and differences fit in i64.
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x.checked_mul(y)?,
        ArithOp::Div if y != 0 => x / y,
        ArithOp::Rem if y != 0 => x % y,
        ArithOp::Band => x & y,
        ArithOp::Bor => x | y,
        ArithOp::Bxor => x ^ y,
        ArithOp::Bsl if (0..64).contains(&y) => x.checked_shl(y as u32).filter(|v| v >> y == x)?,
        ArithOp::Bsr if (0..64).contains(&y) => x >> y,
        ArithOp::Lt => return Some(Term::bool(x < y)),
        ArithOp::Gt => return Some(Term::bool(x > y)),
        ArithOp::Le => return Some(Term::bool(x <= y)),
        ArithOp::Ge => return Some(Term::bool(x >= y)),
        ArithOp::Eq | ArithOp::EqExact => return Some(Term::bool(x == y)),
        ArithOp::Ne | ArithOp::NeExact => return Some(Term::bool(x != y)),
        _ => return None,
    };
    Term::fits_small(v).then(|| Term::small(v))
}

/// `a op b` when the fast path applies; `None` sends the operation to the
/// BIF.
#[inline]
pub fn fast2(heap: &mut Heap, op: ArithOp, a: Term, b: Term) -> Option<Term> {
    let cmp = match op {
        ArithOp::Lt => Some(less(a, b)),
        ArithOp::Ge => Some(!less(a, b)),
        ArithOp::Gt => Some(less(b, a)),
        ArithOp::Le => Some(!less(b, a)),
        ArithOp::Eq => Some(equal(a, b)),
        ArithOp::Ne => Some(!equal(a, b)),
        ArithOp::EqExact => Some(exact(a, b)),
        ArithOp::NeExact => Some(!exact(a, b)),
        _ => None,
    };
    if let Some(c) = cmp {
        return Some(Term::bool(c));
    }
    if let Some(r) = float2(op, a, b) {
        return Some(heap.float(r));
    }
    let (x, y) = (a.as_small()?, b.as_small()?);
    let v: i64 = match op {
        // Small integers have 60 bits: sums and differences fit in i64.
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => match x.checked_mul(y) {
            Some(v) => v,
            None => return Some(heap.big(&(IBig::from(x) * IBig::from(y)))),
        },
        ArithOp::Div if y != 0 => x / y,
        ArithOp::Rem if y != 0 => x % y,
        ArithOp::Band => x & y,
        ArithOp::Bor => x | y,
        ArithOp::Bxor => x ^ y,
        ArithOp::Bsl if (0..64).contains(&y) => match x.checked_shl(y as u32) {
            Some(v) if v >> y == x => v,
            _ => return Some(heap.big(&(IBig::from(x) << y as usize))),
        },
        ArithOp::Bsl if (-63..0).contains(&y) => x >> -y,
        ArithOp::Bsr if (0..64).contains(&y) => x >> y,
        ArithOp::Bsr if (-63..0).contains(&y) => match x.checked_shl(-y as u32) {
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

/// `a op b` for `+`, `-` and `*` when one operand is a float and the
/// other a float or a small integer (converted as BEAM does), if the
/// result is finite: the float loops' mixed arithmetic without the BIF
/// call. Bignum operands and `badarith` go to the BIF.
fn float2(op: ArithOp, a: Term, b: Term) -> Option<f64> {
    let (fa, fb) = (a.as_float(), b.as_float());
    if fa.is_none() && fb.is_none() {
        return None;
    }
    let num = |f: Option<f64>, t: Term| f.or_else(|| t.as_small().map(|v| v as f64));
    let (x, y) = (num(fa, a)?, num(fb, b)?);
    let r = match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        _ => return None,
    };
    r.is_finite().then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_paths_and_overflow_to_bignums() {
        let mut h = Heap::new();
        let s = Term::small;
        assert_eq!(fast2(&mut h, ArithOp::Add, s(2), s(3)), Some(s(5)));
        assert_eq!(fast2(&mut h, ArithOp::Div, s(-7), s(2)), Some(s(-3)));
        assert_eq!(fast2(&mut h, ArithOp::Rem, s(-7), s(2)), Some(s(-1)));
        assert_eq!(fast2(&mut h, ArithOp::Div, s(1), s(0)), None);
        let f = h.float(1.5);
        let sum = fast2(&mut h, ArithOp::Sub, s(4), f).and_then(Term::as_float);
        assert_eq!(sum, Some(2.5));
        assert_eq!(fast2(&mut h, ArithOp::Div, f, s(1)), None);
        assert_eq!(fast2(&mut h, ArithOp::Bsr, s(-1), s(70)), None);
        let max = s(enigma_vm::term::MAX_SMALL);
        let big = fast2(&mut h, ArithOp::Add, max, s(1)).unwrap();
        assert_eq!(
            big.as_bignum(),
            Some(IBig::from(enigma_vm::term::MAX_SMALL) + 1)
        );
        let sh = fast2(&mut h, ArithOp::Bsl, s(1), s(63)).unwrap();
        assert_eq!(sh.as_bignum(), Some(IBig::from(1u8) << 63));
        assert_eq!(fast2(&mut h, ArithOp::Lt, s(1), s(2)), Some(Term::TRUE));
    }

    #[test]
    fn small_path_declines_what_needs_the_heap_or_the_bif() {
        let s = Term::small;
        let max = s(enigma_vm::term::MAX_SMALL);
        assert_eq!(small2(ArithOp::Add, s(2), s(3)), Some(s(5)));
        assert_eq!(small2(ArithOp::Add, max, s(1)), None);
        assert_eq!(small2(ArithOp::Mul, max, max), None);
        assert_eq!(small2(ArithOp::Bsl, s(1), s(59)), None);
        assert_eq!(small2(ArithOp::Bsl, s(3), s(4)), Some(s(48)));
        assert_eq!(small2(ArithOp::Bsr, s(-1), s(70)), None);
        assert_eq!(small2(ArithOp::Div, s(1), s(0)), None);
        assert_eq!(
            small2(ArithOp::Div, s(enigma_vm::term::MIN_SMALL), s(-1)),
            None
        );
        assert_eq!(small2(ArithOp::Ge, s(-1), s(-1)), Some(Term::TRUE));
        assert_eq!(small2(ArithOp::Add, Term::NIL, s(1)), None);
    }
}
