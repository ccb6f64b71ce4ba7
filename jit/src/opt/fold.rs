//! FOLD: constant folding. Integer operations on two constants become a
//! constant (when the result is a small integer; otherwise the operation
//! stays and exits at run time, where the interpreter makes the bignum);
//! guards on two constants that hold disappear (an equality of one term
//! constant with itself too); `x + 0`, `x - 0`, `x * 1`, `x div 1`,
//! `x bor 0` are `x`; boxing a constant is a term constant. Float
//! operations on constants fold when the result is finite (otherwise the
//! guard stays and the trace exits where the interpreter raises
//! `badarith`); an integer constant converted to a float is a float
//! constant.

use crate::ir::{Cond, IntOp, Op, Ref, Trace, Ty};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let mut subst: Vec<Ref> = (0..t.ins.len() as Ref).collect();
    for i in 0..t.ins.len() {
        let mut op = t.ins[i].op;
        op.map_operands(|r| subst[r as usize]);
        t.ins[i].op = op;
        let k = |r: Ref| match t.ins[r as usize].op {
            Op::KInt(v) => Some(v),
            _ => None,
        };
        let new = match op {
            Op::Arith(iop, a, b, _) => match (k(a), k(b)) {
                (Some(x), Some(y)) => iop.eval(x, y).map(Op::KInt),
                (_, Some(0)) if matches!(iop, IntOp::Add | IntOp::Sub | IntOp::Or) => {
                    subst[i] = a;
                    Some(Op::Nop)
                }
                (_, Some(1)) if matches!(iop, IntOp::Mul | IntOp::Div) => {
                    subst[i] = a;
                    Some(Op::Nop)
                }
                _ => None,
            },
            Op::Guard(c, a, b, _) if t.ty(a) == Ty::Int => match (k(a), k(b)) {
                (Some(x), Some(y)) if c.eval(x, y) => Some(Op::Nop),
                _ => None,
            },
            // The same term word on both sides is the same term (a side
            // trace of a guard that failed re-tests what its exit knows).
            Op::Guard(Cond::Eq, a, b, _)
                if matches!((t.ins[a as usize].op, t.ins[b as usize].op),
                    (Op::KTerm(x), Op::KTerm(y)) if x == y) =>
            {
                Some(Op::Nop)
            }
            Op::Box(a) => k(a).map(|v| Op::KTerm(enigma_vm::term::Term::small(v).raw())),
            Op::IntToFloat(a) => k(a).map(|v| Op::KFloat((v as f64).to_bits())),
            Op::FNeg(a) => kf(t, a).map(|x| Op::KFloat((0.0 - x).to_bits())),
            Op::FArith(fop, a, b, _) => match (kf(t, a), kf(t, b)) {
                (Some(x), Some(y)) => fop.eval(x, y).map(|v| Op::KFloat(v.to_bits())),
                _ => None,
            },
            Op::FGuard(c, a, b, _) => match (kf(t, a), kf(t, b)) {
                (Some(x), Some(y)) if c.eval_f(x, y) => Some(Op::Nop),
                _ => None,
            },
            _ => None,
        };
        if let Some(op) = new {
            t.ins[i].op = op;
            if let Op::KTerm(_) = op {
                t.ins[i].ty = Ty::Term;
            }
        }
    }
    super::substitute(t, &subst);
}

/// The value of `r` when it is a float constant.
fn kf(t: &Trace, r: Ref) -> Option<f64> {
    match t.ins[r as usize].op {
        Op::KFloat(b) => Some(f64::from_bits(b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::FOp;

    #[test]
    fn folds_constants_identities_and_true_guards() {
        let mut t = Trace::default();
        let a = t.push(Op::KInt(2), Ty::Int);
        let b = t.push(Op::KInt(3), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, a, b, Some(0)), Ty::Int);
        let g = t.push(Op::Guard(Cond::Lt, a, s, 0), Ty::None);
        let x = t.push(Op::LoadX(0), Ty::Term);
        let u = t.push(Op::Unbox(x, 0), Ty::Int);
        let z = t.push(Op::KInt(0), Ty::Int);
        let id = t.push(Op::Arith(IntOp::Add, u, z, Some(0)), Ty::Int);
        let bx = t.push(Op::Box(id), Ty::Term);
        run(&mut t);
        assert_eq!(t.ins[s as usize].op, Op::KInt(5));
        assert_eq!(t.ins[g as usize].op, Op::Nop);
        assert_eq!(t.ins[id as usize].op, Op::Nop);
        assert_eq!(t.ins[bx as usize].op, Op::Box(u));
    }

    #[test]
    fn an_equality_of_a_term_constant_with_itself_holds() {
        let mut t = Trace::default();
        let a = t.push(Op::KTerm(0x1B2CB), Ty::Term);
        let b = t.push(Op::KTerm(0x1B2CB), Ty::Term);
        let c = t.push(Op::KTerm(0x3B), Ty::Term);
        let same = t.push(Op::Guard(Cond::Eq, a, b, 0), Ty::None);
        let other = t.push(Op::Guard(Cond::Eq, a, c, 0), Ty::None);
        let unequal = t.push(Op::Guard(Cond::Ne, a, b, 0), Ty::None);
        run(&mut t);
        assert_eq!(t.ins[same as usize].op, Op::Nop);
        assert!(matches!(t.ins[other as usize].op, Op::Guard(..)));
        assert!(matches!(t.ins[unequal as usize].op, Op::Guard(..)));
    }

    #[test]
    fn keeps_overflowing_operations_and_failing_guards() {
        let mut t = Trace::default();
        let a = t.push(Op::KInt(enigma_vm::term::MAX_SMALL), Ty::Int);
        let b = t.push(Op::KInt(1), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, a, b, Some(0)), Ty::Int);
        let g = t.push(Op::Guard(Cond::Eq, a, b, 0), Ty::None);
        run(&mut t);
        assert!(matches!(t.ins[s as usize].op, Op::Arith(..)));
        assert!(matches!(t.ins[g as usize].op, Op::Guard(..)));
    }

    #[test]
    fn folds_finite_float_constants_and_keeps_the_others() {
        let mut t = Trace::default();
        let two = t.push(Op::KInt(2), Ty::Int);
        let f = t.push(Op::IntToFloat(two), Ty::Float);
        let h = t.push(Op::KFloat(0.5f64.to_bits()), Ty::Float);
        let m = t.push(Op::FArith(FOp::Mul, f, h, Some(0)), Ty::Float);
        let n = t.push(Op::FNeg(m), Ty::Float);
        let g = t.push(Op::FGuard(Cond::Lt, n, h, 0), Ty::None);
        let z = t.push(Op::KFloat(0.0f64.to_bits()), Ty::Float);
        let inf = t.push(Op::FArith(FOp::Div, h, z, Some(0)), Ty::Float);
        run(&mut t);
        assert_eq!(t.ins[f as usize].op, Op::KFloat(2.0f64.to_bits()));
        assert_eq!(t.ins[m as usize].op, Op::KFloat(1.0f64.to_bits()));
        assert_eq!(t.ins[n as usize].op, Op::KFloat((-1.0f64).to_bits()));
        assert_eq!(t.ins[g as usize].op, Op::Nop);
        assert!(matches!(t.ins[inf as usize].op, Op::FArith(FOp::Div, ..)));
    }

    #[test]
    fn division_by_a_zero_constant_stays_and_by_one_goes() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let u = t.push(Op::Unbox(x, 0), Ty::Int);
        let seven = t.push(Op::KInt(-7), Ty::Int);
        let two = t.push(Op::KInt(2), Ty::Int);
        let q = t.push(Op::Arith(IntOp::Div, seven, two, Some(0)), Ty::Int);
        let r = t.push(Op::Arith(IntOp::Rem, seven, two, Some(0)), Ty::Int);
        let zero = t.push(Op::KInt(0), Ty::Int);
        let z = t.push(Op::Arith(IntOp::Rem, u, zero, Some(0)), Ty::Int);
        let one = t.push(Op::KInt(1), Ty::Int);
        let id = t.push(Op::Arith(IntOp::Div, u, one, Some(0)), Ty::Int);
        let bx = t.push(Op::Box(id), Ty::Term);
        run(&mut t);
        assert_eq!(t.ins[q as usize].op, Op::KInt(-3));
        assert_eq!(t.ins[r as usize].op, Op::KInt(-1));
        assert!(matches!(t.ins[z as usize].op, Op::Arith(IntOp::Rem, ..)));
        assert_eq!(t.ins[bx as usize].op, Op::Box(u));
    }
}
