//! OPT: the passes run on a recorded trace before register allocation, in
//! order: constant folding, reads of tuples and boxes the trace built,
//! Y-register store-to-load forwarding,
//! redundant-guard and common subexpression elimination, guard-implied
//! constants in snapshots, loop peeling, one finiteness check per run of
//! float arithmetic, dead-code elimination, one heap check for two in a
//! row, a counted `return` exiting at the heap check before it, and last
//! what loop-carried tuples are known to hold. Each rewrites uses and turns
//! what it removes into [`Op::Nop`](crate::ir::Op::Nop); [`optimize`]
//! compacts at the end.
//!
//! (X-register store-to-load forwarding happens in the recorder's slot
//! map, see `record.rs`.)

pub mod carried;
pub mod dce;
pub mod fcheck;
pub mod fold;
pub mod fresh;
pub mod guards;
pub mod heapmerge;
pub mod ifconv;
pub mod implied;
pub mod known;
pub mod peel;
pub mod reduceat;
pub mod yforward;

use crate::ir::{Ref, Trace};

/// How far the passes that keep values in machine registers for longer
/// go: the compiler tries each level from the widest down until the
/// trace fits the backend's registers (there is no spilling yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// None of them.
    Narrow,
    /// Forwarding from tuples and guarded Y-register loads, the float
    /// checks moved to the end of their runs ([`fresh`], [`yforward`],
    /// [`fcheck`]) and what loop-carried tuples hold ([`carried`]).
    Wide,
    /// Also every float Y-register load forwarded from its store.
    Widest,
}

/// Runs every pass, those that lengthen values' lives as far as `reach`.
pub fn optimize(t: &mut Trace, reach: Reach) {
    let wide = reach >= Reach::Wide;
    known::run(t);
    fold::run(t);
    if wide {
        fresh::run(t);
        yforward::run(t, reach == Reach::Widest);
    }
    guards::run(t);
    implied::run(t);
    peel::run(t);
    if wide {
        fcheck::run(t);
    }
    dce::run(t);
    heapmerge::run(t);
    reduceat::run(t);
    // What only the dropped check's snapshot or the return's named
    // (velocities/3's `{B1, T1}`, taken apart at once) is dead now.
    dce::run(t);
    if wide {
        carried::run(t);
    }
    t.compact();
}

/// Replaces every use of `r` by `subst[r]` (the identity where unchanged).
pub(crate) fn substitute(t: &mut Trace, subst: &[Ref]) {
    t.map_uses(|r| subst[r as usize]);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ir::{Cond, IntOp, Op, Ty};
    use crate::snapshot::Snapshot;

    /// Adds a snapshot at a made-up instruction naming `regs`; returns its
    /// number.
    pub(crate) fn snap(t: &mut Trace, regs: Vec<(u16, Ref)>) -> u32 {
        t.snaps.push(Snapshot {
            pc: 5,
            regs,
            frame: None,
        });
        t.snaps.len() as u32 - 1
    }

    /// `d(N, B, K, A) -> d(N - 1, B - 1, K, A + begin _ = 7 op B, _ = 9 rem K, 0 end)`
    /// as recorded: B varies, K is loop invariant. Neither result is read;
    /// each raises for a zero divisor.
    fn dead_division_loop(op: IntOp) -> Trace {
        let mut t = Trace::default();
        let entry = snap(&mut t, Vec::new());
        let args: Vec<Ref> = (0..4)
            .map(|x| {
                let v = t.push(Op::LoadX(x), Ty::Term);
                t.push(Op::Unbox(v, entry), Ty::Int)
            })
            .collect();
        t.push(Op::Loop, Ty::None);
        let phis: Vec<Ref> = args.iter().map(|&a| t.push(Op::Phi(a), Ty::Int)).collect();
        let (n, b, k, a) = (phis[0], phis[1], phis[2], phis[3]);
        let s = snap(&mut t, vec![(0, n), (1, b), (2, k), (3, a)]);
        let zero = t.push(Op::KInt(0), Ty::Int);
        t.push(Op::Guard(Cond::Ne, n, zero, s), Ty::None);
        let one = t.push(Op::KInt(1), Ty::Int);
        let n1 = t.push(Op::Arith(IntOp::Sub, n, one, Some(s)), Ty::Int);
        let b1 = t.push(Op::Arith(IntOp::Sub, b, one, Some(s)), Ty::Int);
        let seven = t.push(Op::KInt(7), Ty::Int);
        t.push(Op::Arith(op, seven, b, Some(s)), Ty::Int);
        let nine = t.push(Op::KInt(9), Ty::Int);
        t.push(Op::Arith(IntOp::Rem, nine, k, Some(s)), Ty::Int);
        let a1 = t.push(Op::Arith(IntOp::Add, a, zero, Some(s)), Ty::Int);
        t.back = vec![(n, n1), (b, b1), (k, k), (a, a1)];
        t.yield_snap = snap(&mut t, vec![(0, n), (1, b), (2, k), (3, a)]);
        t
    }

    /// How many instructions from `from` on are `op` with the dividend `k`.
    fn divisions(t: &Trace, from: usize, op: IntOp, k: i64) -> usize {
        t.ins[from..]
            .iter()
            .filter(|i| match i.op {
                Op::Arith(o, a, _, Some(_)) => o == op && t.ins[a as usize].op == Op::KInt(k),
                _ => false,
            })
            .count()
    }

    #[test]
    fn unused_divisions_that_may_raise_survive_every_pass() {
        for op in [IntOp::Div, IntOp::Rem] {
            for reach in [Reach::Narrow, Reach::Wide, Reach::Widest] {
                let mut t = dead_division_loop(op);
                optimize(&mut t, reach);
                let head = t.loop_at().expect("a loop");
                // B's runs every iteration; K's, invariant, at least once
                // (peeling leaves it before the loop).
                assert_eq!(divisions(&t, head, op, 7), 1, "{op:?} {reach:?}");
                assert!(divisions(&t, 0, IntOp::Rem, 9) >= 1, "{op:?} {reach:?}");
            }
        }
    }
}
