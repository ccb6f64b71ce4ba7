//! IMPLIED: values a guard decides. `v band 2^k` compared with 0 is
//! either 0 or `2^k`, so once the guard has run the `band`'s value is a
//! constant on each side: snapshots taken after the guard passed name the
//! passing constant, and the guard's own snapshot (taken only by that
//! guard) the failing one. The `band` is then used by its guard alone,
//! which tests the bits without keeping the result in a register (the
//! backend's fused `test`), and a side trace starting at the guard's exit
//! inherits the constant, so its own test of the value folds away
//! (bench_collatz's `N band 1 =:= 0`).
//!
//! The yield snapshot is left alone (it names the next iteration's phis),
//! and so is a snapshot some instruction before the guard also exits
//! through.

use crate::ir::{Cond, IntOp, Op, Ref, Trace};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let n = t.ins.len();
    // The first and last instruction exiting through each snapshot.
    let mut users: Vec<Option<(usize, usize)>> = vec![None; t.snaps.len()];
    for (i, ins) in t.ins.iter().enumerate() {
        if let Some(s) = ins.op.snapshot() {
            let u = &mut users[s as usize];
            *u = Some(u.map_or((i, i), |(first, _)| (first, i)));
        }
    }
    for g in 0..n {
        let Op::Guard(c @ (Cond::Eq | Cond::Ne), a, zero, own) = t.ins[g].op else {
            continue;
        };
        if t.ins[zero as usize].op != Op::KInt(0) {
            continue;
        }
        let Op::Arith(IntOp::And, _, mask, _) = t.ins[a as usize].op else {
            continue;
        };
        if !matches!(t.ins[mask as usize].op, Op::KInt(k) if k > 0 && k & (k - 1) == 0) {
            continue;
        }
        let (pass, fail) = if c == Cond::Eq {
            (zero, mask)
        } else {
            (mask, zero)
        };
        for (s, u) in users.iter().enumerate() {
            let Some((first, last)) = *u else {
                continue;
            };
            let value: Ref = if first > g {
                pass
            } else if first == g && last == g && s == own as usize {
                fail
            } else {
                continue;
            };
            if s == t.yield_snap as usize {
                continue;
            }
            for e in &mut t.snaps[s].regs {
                if e.1 == a {
                    e.1 = value;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ty;
    use crate::snapshot::Snapshot;

    fn snap(regs: Vec<(u16, Ref)>) -> Snapshot {
        Snapshot {
            pc: 0,
            regs,
            frame: None,
        }
    }

    #[test]
    fn a_tested_bit_is_a_constant_on_each_side_of_its_guard() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let v = t.push(Op::Unbox(x, 0), Ty::Int);
        let one = t.push(Op::KInt(1), Ty::Int);
        let zero = t.push(Op::KInt(0), Ty::Int);
        let three = t.push(Op::KInt(3), Ty::Int);
        let bit = t.push(Op::Arith(IntOp::And, v, one, None), Ty::Int);
        let two_bits = t.push(Op::Arith(IntOp::And, v, three, None), Ty::Int);
        // Snapshot 1 is shared with an exit before the guard: left alone.
        t.push(Op::Guard(Cond::Ne, v, three, 1), Ty::None);
        t.push(Op::Guard(Cond::Eq, bit, zero, 2), Ty::None);
        t.push(Op::Guard(Cond::Eq, two_bits, zero, 3), Ty::None);
        t.push(Op::Guard(Cond::Lt, v, three, 1), Ty::None);
        t.push(Op::Guard(Cond::Lt, v, zero, 4), Ty::None);
        t.snaps = vec![
            snap(vec![]),
            snap(vec![(2, bit)]),
            snap(vec![(2, bit)]),
            snap(vec![(2, bit), (3, two_bits)]),
            snap(vec![(2, bit), (3, two_bits)]),
            snap(vec![(2, bit)]),
        ];
        t.yield_snap = 5;
        run(&mut t);
        assert_eq!(t.snaps[1].regs, vec![(2, bit)]);
        // The guard's own exit: the bit was set.
        assert_eq!(t.snaps[2].regs, vec![(2, one)]);
        // After it passed: clear. A mask of two bits decides nothing.
        assert_eq!(t.snaps[3].regs, vec![(2, zero), (3, two_bits)]);
        assert_eq!(t.snaps[4].regs, vec![(2, zero), (3, two_bits)]);
        assert_eq!(t.snaps[5].regs, vec![(2, bit)]);
    }

    #[test]
    fn a_guard_that_the_bit_is_set_swaps_the_sides() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let v = t.push(Op::Unbox(x, 2), Ty::Int);
        let four = t.push(Op::KInt(4), Ty::Int);
        let zero = t.push(Op::KInt(0), Ty::Int);
        let bit = t.push(Op::Arith(IntOp::And, v, four, None), Ty::Int);
        t.push(Op::Guard(Cond::Ne, bit, zero, 0), Ty::None);
        t.push(Op::Guard(Cond::Lt, v, zero, 1), Ty::None);
        t.snaps = vec![snap(vec![(1, bit)]), snap(vec![(1, bit)]), snap(vec![])];
        t.yield_snap = 9;
        run(&mut t);
        assert_eq!(t.snaps[0].regs, vec![(1, zero)]);
        assert_eq!(t.snaps[1].regs, vec![(1, four)]);
    }
}
