//! FCHECK: one finiteness check per run of float arithmetic instead of
//! one per operation. A `+`, `-` or `*` with an operand that is not
//! finite (an infinity or a NaN) has a result that is not finite either,
//! so in a run of such operations (and `-x`) with nothing else in between
//! that can exit or be seen (only constants, conversions, loads and
//! integer operations that cannot overflow), checking the values no later
//! operation of the run reads covers every result. Where one is not
//! finite, the trace leaves through the snapshot of the run's first
//! operation: nothing the interpreter can see happened since, so it
//! resumes there and raises `badarith` at the very operation that made
//! the value, as it would have. bench_mandel's `Zr*Zr + Zi*Zi` is checked
//! once, not three times.
//!
//! A type guard on a term (a float's unboxing, a tuple's or a list's
//! guard) does not end a run: it exits through the run's first snapshot
//! instead of its own. The interpreter then runs the run again from its
//! start and fails the same test (or raises at an operation before it),
//! so no exit sees a value the run made unchecked. bench_nbody's
//! `pull/4` reads each body's fields as it goes (an unboxing between
//! every two operations): its loop went from 17 checks to 9.
//!
//! The run's first snapshot names values that must then live to the
//! check, so a trace may need more registers: the compiler falls back to
//! the trace optimised without this pass ([`crate::opt::optimize`]).

use crate::ir::{FOp, Ins, Op, Ref, Trace, Ty};

/// The run being collected: the snapshot of its first operation, its
/// operations and the guards within it (their places in the new
/// instruction list), and the values no later operation reads.
#[derive(Default)]
struct Run {
    snap: Option<u32>,
    ops: Vec<usize>,
    guards: Vec<usize>,
    open: Vec<Ref>,
}

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let old = std::mem::take(&mut t.ins);
    // The new list holds old values' numbers until `remap` renumbers
    // them all at the end, the checks' operands too.
    let mut ins: Vec<Ins> = Vec::with_capacity(old.len());
    let mut remap: Vec<Ref> = Vec::with_capacity(old.len());
    let mut run = Run::default();
    for (i, x) in old.iter().enumerate() {
        match x.op {
            Op::FArith(FOp::Add | FOp::Sub | FOp::Mul, a, b, Some(s)) => {
                run.snap.get_or_insert(s);
                run.open.retain(|&v| v != a && v != b);
                run.open.push(i as Ref);
                run.ops.push(ins.len());
            }
            Op::FNeg(a) if run.open.contains(&a) => {
                run.open.retain(|&v| v != a);
                run.open.push(i as Ref);
            }
            Op::UnboxFloat(..) | Op::GuardTuple(..) | Op::GuardList(..) if run.snap.is_some() => {
                run.guards.push(ins.len());
            }
            Op::FNeg(_)
            | Op::KInt(_)
            | Op::KTerm(_)
            | Op::KFloat(_)
            | Op::Nop
            | Op::IntToFloat(_)
            | Op::FloatOf(_)
            | Op::Arith(_, _, _, None)
            | Op::Box(_)
            | Op::Element(..)
            | Op::Head(_)
            | Op::Tail(_)
            | Op::LoadY(_)
            | Op::LoadYFloat(_) => {}
            _ => end_run(&mut run, &mut ins),
        }
        remap.push(ins.len() as Ref);
        ins.push(*x);
    }
    end_run(&mut run, &mut ins);
    t.ins = ins;
    t.map_uses(|r| remap[r as usize]);
}

/// Ends the run: a run of one operation keeps its own check; a longer
/// one drops them and checks each open value, exiting through the first
/// operation's snapshot, as its guards do.
fn end_run(run: &mut Run, ins: &mut Vec<Ins>) {
    let r = std::mem::take(run);
    let Some(snap) = r.snap.filter(|_| r.ops.len() > 1) else {
        return;
    };
    for at in r.ops {
        if let Op::FArith(op, a, b, _) = ins[at].op {
            ins[at].op = Op::FArith(op, a, b, None);
        }
    }
    for at in r.guards {
        if let Some(s) = ins[at].op.snapshot_mut() {
            *s = snap;
        }
    }
    for v in r.open {
        ins.push(Ins {
            op: Op::FCheck(v, snap),
            ty: Ty::None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Cond, IntOp};

    #[test]
    fn a_run_of_float_arithmetic_is_checked_once_at_its_ends() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let a = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let b = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let aa = t.push(Op::FArith(FOp::Mul, a, a, Some(1)), Ty::Float);
        let bb = t.push(Op::FArith(FOp::Mul, b, b, Some(2)), Ty::Float);
        let k = t.push(Op::KFloat(4.0f64.to_bits()), Ty::Float);
        let sum = t.push(Op::FArith(FOp::Add, aa, bb, Some(3)), Ty::Float);
        let neg = t.push(Op::FNeg(aa), Ty::Float);
        // A guard ends the run: `sum` is open (`-aa` is not finite only
        // when `aa` is not, and then `sum` is not either).
        t.push(Op::FGuard(Cond::Lt, sum, k, 4), Ty::None);
        // A run of one keeps its check; a division ends a run.
        let one = t.push(Op::FArith(FOp::Sub, sum, k, Some(5)), Ty::Float);
        let q = t.push(Op::FArith(FOp::Div, one, k, Some(6)), Ty::Float);
        let i = t.push(Op::Unbox(x, 0), Ty::Int);
        let j = t.push(Op::Arith(IntOp::Add, i, i, Some(7)), Ty::Int);
        // Two at the end of the trace: checked after the last.
        let p = t.push(Op::FArith(FOp::Mul, q, q, Some(8)), Ty::Float);
        let p2 = t.push(Op::FArith(FOp::Add, p, neg, Some(9)), Ty::Float);
        t.back = vec![(p2, j)];
        run(&mut t);
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        let at = |op: Op| ops.iter().position(|&o| o == op).unwrap() as Ref;
        let aa = at(Op::FArith(FOp::Mul, a, a, None));
        let bb = at(Op::FArith(FOp::Mul, b, b, None));
        let sum = at(Op::FArith(FOp::Add, aa, bb, None));
        let neg = at(Op::FNeg(aa));
        let guard = at(Op::FGuard(Cond::Lt, sum, k, 4));
        assert_eq!(at(Op::FCheck(sum, 1)), guard - 1);
        assert_eq!(neg, sum + 1);
        let one = at(Op::FArith(FOp::Sub, sum, k, Some(5)));
        let q = at(Op::FArith(FOp::Div, one, k, Some(6)));
        let p = at(Op::FArith(FOp::Mul, q, q, None));
        let p2 = at(Op::FArith(FOp::Add, p, neg, None));
        assert_eq!(at(Op::FCheck(p2, 8)) as usize, ops.len() - 1);
        assert_eq!(
            ops.iter().filter(|o| matches!(o, Op::FCheck(..))).count(),
            2
        );
        let i = at(Op::Unbox(x, 0));
        let j = at(Op::Arith(IntOp::Add, i, i, Some(7)));
        assert_eq!(t.back, vec![(p2, j)]);
    }

    #[test]
    fn a_type_guard_within_a_run_exits_through_its_first_snapshot() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let tuple = t.push(Op::LoadX(1), Ty::Term);
        let list = t.push(Op::LoadX(2), Ty::Term);
        let a = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let aa = t.push(Op::FArith(FOp::Mul, a, a, Some(1)), Ty::Float);
        t.push(Op::GuardTuple(tuple, Some(2), 2), Ty::None);
        let e = t.push(Op::Element(tuple, 1), Ty::Term);
        let b = t.push(Op::UnboxFloat(e, 3), Ty::Float);
        let sum = t.push(Op::FArith(FOp::Add, aa, b, Some(4)), Ty::Float);
        // A guard after the run's last operation, before what ends it,
        // comes before the check too.
        t.push(Op::GuardList(list, true, 5), Ty::None);
        t.push(Op::StoreY(0, sum), Ty::None);
        run(&mut t);
        let snaps: Vec<(Op, Option<u32>)> = t.ins.iter().map(|i| (i.op, i.op.snapshot())).collect();
        let snap_of = |f: &dyn Fn(&Op) -> bool| snaps.iter().find(|(o, _)| f(o)).unwrap().1;
        assert_eq!(
            snap_of(&|o| matches!(o, Op::UnboxFloat(v, _) if *v == x)),
            Some(0)
        );
        assert_eq!(snap_of(&|o| matches!(o, Op::GuardTuple(..))), Some(1));
        assert_eq!(
            snap_of(&|o| matches!(o, Op::UnboxFloat(v, _) if *v == e)),
            Some(1)
        );
        assert_eq!(snap_of(&|o| matches!(o, Op::GuardList(..))), Some(1));
        let checks: Vec<usize> = snaps
            .iter()
            .enumerate()
            .filter(|(_, (o, _))| matches!(o, Op::FCheck(_, 1)))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(checks.len(), 1);
        assert!(matches!(snaps[checks[0] + 1].0, Op::StoreY(..)));
        assert!(matches!(snaps[checks[0] - 1].0, Op::GuardList(..)));
    }
}
