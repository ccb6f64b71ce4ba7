//! PEEL: loop peeling, so that loop-invariant guards run once.
//!
//! The body is copied once in front of the loop, as the first iteration
//! (its phis replaced by their entry values, its snapshots copied), and
//! the loop then starts from that iteration's back-edge values. In the
//! loop copy, an instruction whose operands are all defined before the
//! loop (the entry, constants or the peeled iteration) computes what its
//! twin in the peeled iteration computed, and a guard of that kind
//! already passed: it is dropped and its uses read the twin (LuaJIT's
//! LOOP pass does the same with CSE after copying).
//!
//! Peeling costs code size, and the loop then reads values defined before
//! it, so side traces cannot jump to its head (see `backend`): the pass
//! keeps the peeled trace only when it moves a guard out of the loop.

use crate::ir::{Op, Ref, Trace};
use crate::snapshot::Snapshot;

/// Peels `t` when that moves a guard out of its loop; returns whether it
/// did.
pub fn run(t: &mut Trace) -> bool {
    match peel(t) {
        Some(p) => {
            *t = p;
            true
        }
        None => false,
    }
}

/// Whether the loop copy of `op` may reuse its peeled twin when its
/// operands are invariant: pure values and guards (a load from a term is
/// pure: terms are immutable), not allocations, stores, frame loads,
/// match context positions (a context's position changes as the loop
/// matches) or markers.
fn reusable(op: &Op) -> bool {
    !matches!(
        op,
        Op::HeapCheck(..)
            | Op::Cons(..)
            | Op::BoxFloat(_)
            | Op::AllocTuple(_)
            | Op::SetElement(..)
            | Op::SubBinary(..)
            | Op::CtxPos(_)
            | Op::CtxSetPos(..)
            | Op::StoreY(..)
            | Op::LoadY(_)
            | Op::LoadYFloat(_)
            | Op::LoadX(_)
            | Op::StoreX(..)
            | Op::CallTrace(_)
            | Op::ListReverse(..)
            | Op::PushFrame(..)
            | Op::Reduce(_)
            | Op::Reload(_)
            | Op::ReloadFloat(_)
            | Op::Inherit(_)
            | Op::Loop
            | Op::Phi(_)
            | Op::Nop
    )
}

/// The peeled trace, if it moves a guard out of the loop.
fn peel(t: &Trace) -> Option<Trace> {
    let loop_at = t.loop_at()?;
    let n = t.ins.len();
    let phis: Vec<usize> = (loop_at + 1..n)
        .take_while(|&i| matches!(t.ins[i].op, Op::Phi(_)))
        .collect();
    let body = loop_at + 1 + phis.len()..n;
    let mut p = Trace {
        calls: t.calls.clone(),
        recursive: t.recursive,
        ..Trace::default()
    };
    // The entry as it is, with the snapshots it exits through (the body's
    // are copied per copy of the body).
    let mut entry_snaps: Vec<Option<u32>> = vec![None; t.snaps.len()];
    for ins in &t.ins[..loop_at] {
        let mut op = ins.op;
        if let Some(s) = op.snapshot_mut() {
            let new = match entry_snaps[*s as usize] {
                Some(new) => new,
                None => {
                    p.snaps.push(t.snaps[*s as usize].clone());
                    p.snaps.len() as u32 - 1
                }
            };
            entry_snaps[*s as usize] = Some(new);
            *s = new;
        }
        p.push(op, ins.ty);
    }
    // The peeled iteration: phis read their entry values.
    let mut first: Vec<Ref> = (0..n as Ref).collect();
    for &i in &phis {
        if let Op::Phi(entry) = t.ins[i].op {
            first[i] = entry;
        }
    }
    copy_body(t, &mut p, body.clone(), &mut first, None);
    // The peeled iteration ends with the call that closes the loop, as
    // each loop iteration does: it counts its reduction before the loop
    // (yielding at the anchor with that iteration's arguments: the yield
    // snapshot names the phis, which the back edge has set by then).
    let mut next = first.clone();
    for &(phi, v) in &t.back {
        next[phi as usize] = first[v as usize];
    }
    p.entry_yield = Some(copy_snap(&mut p, &t.snaps[t.yield_snap as usize], &next));
    let head = p.ins.len() as Ref;
    p.push(Op::Loop, crate::ir::Ty::None);
    // A phi the back edge leaves as it is keeps its entry value: it is
    // invariant, and no phi of the loop.
    let mut second = first.clone();
    for &i in &phis {
        let &(_, v) = t.back.iter().find(|&&(phi, _)| phi as usize == i)?;
        if v as usize != i {
            second[i] = p.push(Op::Phi(first[v as usize]), t.ins[i].ty);
        }
    }
    let moved = copy_body(t, &mut p, body, &mut second, Some((head, &first)));
    if moved == 0 {
        return None;
    }
    p.back = t
        .back
        .iter()
        .filter(|&&(phi, v)| phi != v)
        .map(|&(phi, v)| (second[phi as usize], second[v as usize]))
        .collect();
    p.yield_snap = copy_snap(&mut p, &t.snaps[t.yield_snap as usize], &second);
    fold_constant_phis(&mut p);
    Some(p)
}

/// A loop phi whose back-edge value is its entry value (a constant the
/// body stores again each time, now read from the peeled iteration) is
/// that value.
fn fold_constant_phis(p: &mut Trace) {
    let mut subst: Vec<Ref> = (0..p.ins.len() as Ref).collect();
    p.back.retain(|&(phi, v)| {
        let same = p.ins[phi as usize].op == Op::Phi(v);
        if same {
            subst[phi as usize] = v;
        }
        !same
    });
    for (i, ins) in p.ins.iter_mut().enumerate() {
        if subst[i] != i as Ref {
            ins.op = Op::Nop;
        }
    }
    super::substitute(p, &subst);
}

/// Appends the instructions of `body` to `p` with operands renamed
/// through `map` (which then maps them too) and snapshots copied. In the
/// loop copy (`reuse`: the loop head and the peeled iteration's names), an
/// instruction with invariant operands takes its twin's value instead;
/// returns how many guards went that way.
fn copy_body(
    t: &Trace,
    p: &mut Trace,
    body: std::ops::Range<usize>,
    map: &mut [Ref],
    reuse: Option<(Ref, &[Ref])>,
) -> usize {
    let mut moved = 0;
    for i in body {
        let ins = t.ins[i];
        if ins.op == Op::Nop {
            continue;
        }
        let mut op = ins.op;
        op.map_operands(|r| map[r as usize]);
        if let Some((head, twin)) = reuse {
            if reusable(&op) && op.operands().iter().all(|&r| r < head) {
                moved += usize::from(op.snapshot().is_some());
                map[i] = twin[i];
                continue;
            }
        }
        if let Some(s) = op.snapshot_mut() {
            *s = copy_snap(p, &t.snaps[*s as usize], map);
        }
        map[i] = p.push(op, ins.ty);
    }
    moved
}

/// Adds a copy of `s` with its values renamed through `map`; returns its
/// number.
fn copy_snap(p: &mut Trace, s: &Snapshot, map: &[Ref]) -> u32 {
    let mut c = s.clone();
    for e in &mut c.regs {
        e.1 = map[e.1 as usize];
    }
    p.snaps.push(c);
    p.snaps.len() as u32 - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Cond, IntOp, Ty};
    use crate::opt::tests::snap;

    /// `loop(N, T)`: N counts down, T is a tuple that never changes; the
    /// body checks T's shape and unboxes its first element each time.
    fn invariant_tuple_loop() -> Trace {
        let mut t = Trace::default();
        let entry = snap(&mut t, Vec::new());
        let n = t.push(Op::LoadX(0), Ty::Term);
        let n = t.push(Op::Unbox(n, entry), Ty::Int);
        let tup = t.push(Op::LoadX(1), Ty::Term);
        t.push(Op::Loop, Ty::None);
        let pn = t.push(Op::Phi(n), Ty::Int);
        let pt = t.push(Op::Phi(tup), Ty::Term);
        let s = snap(&mut t, vec![(0, pn), (1, pt)]);
        let zero = t.push(Op::KInt(0), Ty::Int);
        t.push(Op::Guard(Cond::Ne, pn, zero, s), Ty::None);
        t.push(Op::GuardTuple(pt, Some(2), s), Ty::None);
        let e = t.push(Op::Element(pt, 0), Ty::Term);
        let k = t.push(Op::Unbox(e, s), Ty::Int);
        let n1 = t.push(Op::Arith(IntOp::Sub, pn, k, Some(s)), Ty::Int);
        t.back = vec![(pn, n1), (pt, pt)];
        t.yield_snap = snap(&mut t, vec![(0, pn), (1, pt)]);
        t
    }

    fn count(t: &Trace, from: usize, f: fn(&Op) -> bool) -> usize {
        t.ins[from..].iter().filter(|i| f(&i.op)).count()
    }

    #[test]
    fn invariant_guards_leave_the_loop_and_variant_ones_stay() {
        let mut t = invariant_tuple_loop();
        assert!(run(&mut t));
        let head = t.loop_at().unwrap();
        // Peeled: the tuple guard and the unbox of its element run once.
        assert_eq!(count(&t, 0, |o| matches!(o, Op::GuardTuple(..))), 1);
        assert_eq!(count(&t, head, |o| matches!(o, Op::GuardTuple(..))), 0);
        assert_eq!(count(&t, head, |o| matches!(o, Op::Unbox(..))), 0);
        assert_eq!(count(&t, head, |o| matches!(o, Op::Element(..))), 0);
        // The counter's guard and subtraction run in both copies.
        assert_eq!(count(&t, 0, |o| matches!(o, Op::Guard(..))), 2);
        assert_eq!(count(&t, head, |o| matches!(o, Op::Arith(..))), 1);
        // The loop's phis start from the peeled iteration's values, and
        // every snapshot names values that exist.
        let Op::Phi(start) = t.ins[head + 1].op else {
            unreachable!()
        };
        assert!(matches!(t.ins[start as usize].op, Op::Arith(..)));
        for s in &t.snaps {
            assert!(s.regs.iter().all(|&(_, r)| (r as usize) < t.ins.len()));
        }
        // The tuple, unchanged by the back edge, is no phi of the loop.
        assert_eq!(t.back.len(), 1);
        assert!(t.back.iter().all(|&(phi, _)| phi as usize > head));
        // The peeled iteration counts its reduction before the loop,
        // yielding with its own next arguments (N - K, not the phi).
        let s = t.entry_yield.expect("a reduction for the peeled iteration");
        let regs = &t.snaps[s as usize].regs;
        assert!(regs.iter().all(|&(_, r)| (r as usize) < head));
        assert!(regs.iter().any(|&(x, r)| x == 0 && r == start));
    }

    #[test]
    fn a_loop_without_invariant_guards_is_left_alone() {
        let mut t = invariant_tuple_loop();
        // The tuple changes every iteration: nothing is invariant.
        let n1 = t.back[0].1;
        t.back[1].1 = t.push(Op::Box(n1), Ty::Term);
        let before = t.ins.len();
        assert!(!run(&mut t));
        assert_eq!(t.ins.len(), before);
    }
}
