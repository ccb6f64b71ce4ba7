//! KNOWN: a side trace's test of what its start already decides. The
//! parent's exit it starts at is that of one integer comparison guard
//! (`ir::Known`: fib's `N >= 2`, tak's `Y < X`), so there the comparison
//! is false, and a guard of the side trace testing it the other way
//! round on the same inherited values (the base case's clause, recorded
//! from the interpreter's own test) always passes: it goes.

use crate::ir::{Cond, KnownArg, Op, Ref, Trace, Ty};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let Some(k) = t.known else {
        return;
    };
    for g in 0..t.ins.len() {
        let Op::Guard(c, a, b, _) = t.ins[g].op else {
            continue;
        };
        let (Some(a), Some(b)) = (arg(t, a), arg(t, b)) else {
            continue;
        };
        let symmetric = matches!(c, Cond::Eq | Cond::Ne);
        if (c, a, b) == (k.cond, k.a, k.b) || symmetric && (c, b, a) == (k.cond, k.a, k.b) {
            t.ins[g].op = Op::Nop;
        }
    }
}

/// Value `r` as a [`Known`](crate::ir::Known) operand: an integer the
/// side trace inherits, or an integer constant.
fn arg(t: &Trace, r: Ref) -> Option<KnownArg> {
    match t.ins[r as usize].op {
        Op::Inherit(reg) if t.ty(r) == Ty::Int => Some(KnownArg::Reg(reg)),
        Op::KInt(k) => Some(KnownArg::Int(k)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Known;
    use crate::opt::tests::snap;

    #[test]
    fn a_side_trace_drops_its_test_of_what_its_parents_guard_found() {
        let mut t = Trace::default();
        let n = t.push(Op::Inherit(0), Ty::Int);
        let two = t.push(Op::KInt(2), Ty::Int);
        let s = snap(&mut t, vec![(0, n)]);
        t.push(Op::Guard(Cond::Lt, n, two, s), Ty::None);
        t.push(Op::Guard(Cond::Ge, n, two, s), Ty::None);
        t.push(Op::Guard(Cond::Lt, two, n, s), Ty::None);
        t.known = Some(Known {
            cond: Cond::Lt,
            a: KnownArg::Reg(0),
            b: KnownArg::Int(2),
        });
        run(&mut t);
        assert_eq!(t.ins[2].op, Op::Nop);
        assert!(matches!(t.ins[3].op, Op::Guard(Cond::Ge, ..)));
        assert!(matches!(t.ins[4].op, Op::Guard(Cond::Lt, ..)));
    }

    #[test]
    fn equality_holds_either_way_round_and_other_registers_stay() {
        let mut t = Trace::default();
        let x = t.push(Op::Inherit(0), Ty::Int);
        let y = t.push(Op::Inherit(1), Ty::Int);
        let z = t.push(Op::Inherit(2), Ty::Int);
        let s = snap(&mut t, vec![(0, x), (1, y)]);
        t.push(Op::Guard(Cond::Eq, y, x, s), Ty::None);
        t.push(Op::Guard(Cond::Eq, z, x, s), Ty::None);
        t.known = Some(Known {
            cond: Cond::Eq,
            a: KnownArg::Reg(0),
            b: KnownArg::Reg(1),
        });
        run(&mut t);
        assert_eq!(t.ins[3].op, Op::Nop);
        assert!(matches!(t.ins[4].op, Op::Guard(Cond::Eq, ..)));
    }
}
