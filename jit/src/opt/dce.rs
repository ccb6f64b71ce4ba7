//! DCE: dead-code elimination. Guards, the loop marker and the
//! loop-carried values are roots, and so is every value a kept guard's
//! snapshot, the back edge or the yield snapshot names; a pure instruction (a load, a
//! constant, boxing, arithmetic) nobody uses goes. An unused arithmetic
//! operation may go even though it could overflow: the interpreter would
//! only have built a bignum nobody reads. An integer `div` or `rem` that
//! may have a zero divisor is a root ([`Trace::must_stay`]): its exit is
//! where the interpreter raises `badarith`, the only reason erlc kept it.
//!
//! A heap check whose room no allocation uses (every one after it, up to
//! the next heap check, went, or the floats it was for stay unboxed: the
//! tail call of bench_mandel's `point/5`) goes too: the trace allocates
//! nothing there, and an exit's floats are boxed by the interpreter, which
//! checks the heap itself.
//!
//! A tuple the trace builds that nothing reads (no instruction, no kept
//! snapshot) goes with the stores of its elements, which are effects
//! only for a tuple someone reads: bench_nbody's `velocities/3` takes
//! `pull/4`'s `{B1, T1}` apart as soon as it is built (`fresh.rs`), and
//! the snapshot that named it went with its heap check (`heapmerge.rs`).
//! Only for a tuple whose element stores follow it at once, so that
//! every read and every snapshot naming it comes after them.

use crate::ir::{Op, Ref, Trace};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let n = t.ins.len();
    let mut live = vec![false; n];
    for &(phi, v) in &t.back {
        live[phi as usize] = true;
        live[v as usize] = true;
    }
    // The yield snapshot is written at the end (by a side trace's link on
    // every pass), a peeled iteration's before the loop, and so is a
    // return's x0 (`returns::X0`, named by the snapshot of its exit when
    // the buffer holds no frame).
    let yields = [Some(t.yield_snap), t.entry_yield, t.ret.map(|r| r.empty)];
    for s in yields
        .into_iter()
        .flatten()
        .filter_map(|s| t.snaps.get(s as usize))
    {
        for &(_, r) in &s.regs {
            live[r as usize] = true;
        }
    }
    let built = built_in_a_row(t);
    for i in (0..n).rev() {
        let op = t.ins[i].op;
        if op == Op::Nop {
            continue;
        }
        if let Op::SetElement(tuple, _, _) = op {
            if built[tuple as usize] && !live[tuple as usize] {
                continue;
            }
        }
        if t.must_stay(i as Ref) {
            live[i] = true;
        }
        if !live[i] {
            continue;
        }
        if let Some(s) = op.snapshot() {
            for &(_, r) in &t.snaps[s as usize].regs {
                live[r as usize] = true;
            }
        }
        for r in op.operands() {
            live[r as usize] = true;
        }
    }
    for (i, ins) in t.ins.iter_mut().enumerate() {
        if !live[i] {
            ins.op = Op::Nop;
        }
    }
    for i in 0..n {
        if let Op::HeapCheck(..) = t.ins[i].op {
            let used = t.ins[i + 1..]
                .iter()
                .take_while(|x| !matches!(x.op, Op::HeapCheck(..)))
                .any(|x| x.op.allocates());
            if !used {
                t.ins[i].op = Op::Nop;
            }
        }
    }
}

/// Per instruction, whether it is an [`Op::AllocTuple`] followed at
/// once by the [`Op::SetElement`]s of all its elements.
fn built_in_a_row(t: &Trace) -> Vec<bool> {
    let mut built = vec![false; t.ins.len()];
    for (i, ins) in t.ins.iter().enumerate() {
        if let Op::AllocTuple(arity) = ins.op {
            let stores = t.ins[i + 1..].iter().take(arity as usize);
            built[i] = stores.len() == arity as usize
                && stores
                    .enumerate()
                    .all(|(k, x)| matches!(x.op, Op::SetElement(tu, e, _) if tu as usize == i && e as usize == k));
        }
    }
    built
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{IntOp, Ty};
    use crate::snapshot::Snapshot;

    /// A trace with an empty snapshot 0 and x0 loaded: the trace and x0.
    fn loaded() -> (Trace, crate::ir::Ref) {
        let mut t = Trace::default();
        t.snaps.push(Snapshot {
            pc: 1,
            regs: Vec::new(),
            frame: None,
        });
        let x = t.push(Op::LoadX(0), Ty::Term);
        (t, x)
    }

    #[test]
    fn unused_pure_values_go_and_snapshot_values_stay() {
        let (mut t, x) = loaded();
        let u = t.push(Op::Unbox(x, 0), Ty::Int);
        let dead = t.push(Op::Arith(IntOp::Add, u, u, Some(0)), Ty::Int);
        let k = t.push(Op::KInt(4), Ty::Int);
        t.snaps.push(Snapshot {
            pc: 2,
            regs: vec![(1, k)],
            frame: None,
        });
        let g = t.push(Op::Guard(crate::ir::Cond::Lt, u, u, 1), Ty::None);
        t.yield_snap = 0;
        run(&mut t);
        assert_eq!(t.ins[dead as usize].op, Op::Nop);
        assert_eq!(t.ins[k as usize].op, Op::KInt(4));
        assert!(matches!(t.ins[g as usize].op, Op::Guard(..)));
        assert_eq!(t.ins[x as usize].op, Op::LoadX(0));
    }

    #[test]
    fn unused_div_and_rem_stay_unless_the_divisor_is_a_nonzero_constant() {
        let (mut t, x) = loaded();
        let u = t.push(Op::Unbox(x, 0), Ty::Int);
        let seven = t.push(Op::KInt(7), Ty::Int);
        // `_ = 7 div B`, `_ = 7 rem B`: a zero B raises badarith at the
        // exit, whose snapshot's values must stay too.
        let y = t.push(Op::LoadX(1), Ty::Term);
        t.snaps.push(Snapshot {
            pc: 2,
            regs: vec![(1, y)],
            frame: None,
        });
        let div = t.push(Op::Arith(IntOp::Div, seven, u, Some(1)), Ty::Int);
        let rem = t.push(Op::Arith(IntOp::Rem, seven, u, Some(1)), Ty::Int);
        // By a constant: nothing to raise (`MIN div -1` only overflows).
        let minus_one = t.push(Op::KInt(-1), Ty::Int);
        let by_k = t.push(Op::Arith(IntOp::Div, u, minus_one, Some(1)), Ty::Int);
        let zero = t.push(Op::KInt(0), Ty::Int);
        let by_zero = t.push(Op::Arith(IntOp::Rem, u, zero, Some(1)), Ty::Int);
        // Overflow only makes a bignum nobody reads.
        let mul = t.push(Op::Arith(IntOp::Mul, u, u, Some(1)), Ty::Int);
        t.yield_snap = 0;
        run(&mut t);
        assert!(matches!(t.ins[div as usize].op, Op::Arith(IntOp::Div, ..)));
        assert!(matches!(t.ins[rem as usize].op, Op::Arith(IntOp::Rem, ..)));
        assert!(matches!(
            t.ins[by_zero as usize].op,
            Op::Arith(IntOp::Rem, ..)
        ));
        assert_eq!(t.ins[zero as usize].op, Op::KInt(0));
        assert_eq!(t.ins[y as usize].op, Op::LoadX(1));
        assert_eq!(t.ins[by_k as usize].op, Op::Nop);
        assert_eq!(t.ins[minus_one as usize].op, Op::Nop);
        assert_eq!(t.ins[mul as usize].op, Op::Nop);
    }

    #[test]
    fn heap_checks_for_nothing_go() {
        let (mut t, x) = loaded();
        let unused = t.push(Op::HeapCheck(2, 0), Ty::None);
        let f = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let dead_box = t.push(Op::BoxFloat(f), Ty::Term);
        let used = t.push(Op::HeapCheck(5, 0), Ty::None);
        let b = t.push(Op::BoxFloat(f), Ty::Term);
        let c = t.push(Op::Cons(b, x), Ty::Term);
        let last = t.push(Op::HeapCheck(3, 0), Ty::None);
        t.back = vec![(x, c)];
        t.yield_snap = 0;
        run(&mut t);
        assert_eq!(t.ins[dead_box as usize].op, Op::Nop);
        assert_eq!(t.ins[unused as usize].op, Op::Nop);
        assert_eq!(t.ins[used as usize].op, Op::HeapCheck(5, 0));
        assert_eq!(t.ins[last as usize].op, Op::Nop);
    }

    #[test]
    fn operands_of_yield_snapshot_values_stay() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(1), Ty::Term);
        let k = t.push(Op::KInt(1), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, k, k, None), Ty::Int);
        t.snaps.push(Snapshot {
            pc: 3,
            regs: vec![(1, s)],
            frame: None,
        });
        t.yield_snap = 0;
        run(&mut t);
        assert_eq!(t.ins[x as usize].op, Op::Nop);
        assert_eq!(t.ins[k as usize].op, Op::KInt(1));
        assert!(matches!(t.ins[s as usize].op, Op::Arith(..)));
    }

    #[test]
    fn a_tuple_nobody_reads_goes_with_its_stores_and_a_read_one_stays() {
        let (mut t, x) = loaded();
        let f = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let b = t.push(Op::BoxFloat(f), Ty::Term);
        let dead = t.push(Op::AllocTuple(2), Ty::Term);
        let s0 = t.push(Op::SetElement(dead, 0, b), Ty::None);
        let s1 = t.push(Op::SetElement(dead, 1, x), Ty::None);
        let read = t.push(Op::AllocTuple(1), Ty::Term);
        let r0 = t.push(Op::SetElement(read, 0, x), Ty::None);
        // A tuple a guard's snapshot names stays too.
        let named = t.push(Op::AllocTuple(1), Ty::Term);
        let n0 = t.push(Op::SetElement(named, 0, x), Ty::None);
        t.snaps.push(Snapshot {
            pc: 2,
            regs: vec![(1, named)],
            frame: None,
        });
        t.push(Op::GuardList(x, true, 1), Ty::None);
        t.back = vec![(x, read)];
        t.yield_snap = 0;
        run(&mut t);
        for i in [b, dead, s0, s1] {
            assert_eq!(t.ins[i as usize].op, Op::Nop, "{i}");
        }
        assert_eq!(t.ins[r0 as usize].op, Op::SetElement(read, 0, x));
        assert_eq!(t.ins[n0 as usize].op, Op::SetElement(named, 0, x));
    }
}
