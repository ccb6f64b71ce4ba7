//! FOLD: constant folding. Integer operations on two constants become a
//! constant (when the result is a small integer; otherwise the operation
//! stays and exits at run time, where the interpreter makes the bignum);
//! guards on two constants that hold disappear; `x + 0`, `x - 0`, `x * 1`,
//! `x bor 0` are `x`; boxing a constant is a term constant.

use crate::ir::{IntOp, Op, Ref, Trace, Ty};

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
                (_, Some(1)) if iop == IntOp::Mul => {
                    subst[i] = a;
                    Some(Op::Nop)
                }
                _ => None,
            },
            Op::Guard(c, a, b, _) if t.ty(a) == Ty::Int => match (k(a), k(b)) {
                (Some(x), Some(y)) if c.eval(x, y) => Some(Op::Nop),
                _ => None,
            },
            Op::Box(a) => k(a).map(|v| Op::KTerm(enigma_vm::term::Term::small(v).raw())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Cond;

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
}
