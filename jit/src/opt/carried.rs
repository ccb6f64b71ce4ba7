//! CARRIED: what a loop-carried tuple is known to hold. A phi whose
//! value on entry (from the peeled iteration) and on the back edge is a
//! tuple the trace built, of one arity, is that tuple in every iteration:
//! its tuple guard goes. Its element `k` is a boxed float in every
//! iteration when it was one on entry (boxed by the trace, or unboxed
//! with a guard before the loop) and the back edge stores there a float
//! the trace boxed, a value a guard in the loop unboxed, or element `j`
//! of the same tuple where that holds for `j` (by induction over the
//! iterations): its unboxing needs no check ([`Op::FloatOf`]).
//! bench_nbody's `pull/4` carries its body `{X, Y, Z, Vx, Vy, Vz, M}`:
//! three fields passed on, three boxed anew, the mass passed on.
//!
//! This holds only while the loop is entered from the peeled iteration
//! alone: a side trace may jump to the loop head with phis of its own
//! when nothing but the phis lives across the head
//! (`backend::alloc_phis`). So the pass runs last and only when the
//! loop reads a value from before the head that is no constant (which
//! then has a register, and closes the head to side traces); a loop it
//! rewrites is marked [`Trace::head_closed`], since the rewrites may
//! remove those reads.

use std::collections::{HashMap, HashSet};

use crate::ir::{Op, Ref, Trace, Ty};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let Some(lp) = t.loop_at() else {
        return;
    };
    if t.recursive.is_some() || !reads_from_before_head(t, lp) {
        return;
    }
    let n = t.ins.len();
    // Each value through the Y register it was stored to and loaded
    // from (only the trace writes its frame buffer).
    let mut resolved: Vec<Ref> = (0..n as Ref).collect();
    let mut stored: HashMap<u16, Ref> = HashMap::new();
    let mut fields: HashMap<Ref, Vec<Option<Ref>>> = HashMap::new();
    let (mut unboxed_before, mut unboxed_in) = (HashSet::new(), HashSet::new());
    for i in 0..n {
        match t.ins[i].op {
            Op::Loop | Op::PushFrame(..) => stored.clear(),
            Op::StoreY(y, v) => {
                stored.insert(y, resolved[v as usize]);
            }
            Op::LoadY(y) => {
                if let Some(&v) = stored.get(&y).filter(|&&v| t.ty(v) == Ty::Term) {
                    resolved[i] = v;
                }
            }
            Op::AllocTuple(arity) => {
                fields.insert(i as Ref, vec![None; arity as usize]);
            }
            Op::SetElement(tuple, k, v) => {
                let v = resolved[v as usize];
                if let Some(slot) = fields.get_mut(&tuple).and_then(|f| f.get_mut(k as usize)) {
                    *slot = Some(v);
                }
            }
            Op::UnboxFloat(a, _) if i < lp => {
                unboxed_before.insert(a);
            }
            Op::UnboxFloat(a, _) => {
                unboxed_in.insert(a);
            }
            _ => {}
        }
    }
    let boxed = |v: Ref| matches!(t.ins[v as usize].op, Op::BoxFloat(_));
    let mut rewrites = Vec::new();
    for &(phi, back) in &t.back {
        let Op::Phi(init) = t.ins[phi as usize].op else {
            continue;
        };
        let (Some(on_entry), Some(on_back)) = (fields.get(&init), fields.get(&back)) else {
            continue;
        };
        if on_entry.len() != on_back.len() {
            continue;
        }
        let arity = on_entry.len();
        let mut float: Vec<bool> = on_entry
            .iter()
            .map(|f| f.is_some_and(|v| boxed(v) || unboxed_before.contains(&v)))
            .collect();
        // The greatest set closed under the back edge.
        loop {
            let mut changed = false;
            for k in 0..arity {
                let holds = float[k]
                    && on_back[k].is_some_and(|v| match t.ins[v as usize].op {
                        Op::Element(p, j) if p == phi => float.get(j as usize) == Some(&true),
                        _ => boxed(v) || unboxed_in.contains(&v) || unboxed_before.contains(&v),
                    });
                if float[k] != holds {
                    float[k] = holds;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for i in lp..n {
            match t.ins[i].op {
                Op::GuardTuple(p, a, _) if p == phi && a.is_none_or(|a| a as usize == arity) => {
                    rewrites.push((i, Op::Nop));
                }
                Op::UnboxFloat(e, _) => {
                    if let Op::Element(p, k) = t.ins[e as usize].op {
                        if p == phi && float.get(k as usize) == Some(&true) {
                            rewrites.push((i, Op::FloatOf(e)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // The rewrites drop operands and snapshots, which may have been the
    // loop's only reads from before its head: close the head explicitly.
    t.head_closed |= !rewrites.is_empty();
    for (i, op) in rewrites {
        t.ins[i].op = op;
    }
}

/// Whether the loop (an instruction or a snapshot) reads a value from
/// before its head that is not a constant.
fn reads_from_before_head(t: &Trace, lp: usize) -> bool {
    let early = |r: Ref| {
        (r as usize) < lp
            && !matches!(
                t.ins[r as usize].op,
                Op::KInt(_) | Op::KTerm(_) | Op::KFloat(_) | Op::Nop
            )
    };
    t.ins[lp..].iter().any(|ins| {
        let mut used = match ins.op {
            Op::Phi(_) => Vec::new(),
            op => op.operands(),
        };
        if let Some(s) = ins.op.snapshot() {
            used.extend(t.snaps[s as usize].regs.iter().map(|&(_, r)| r));
        }
        used.into_iter().any(early)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::FOp;
    use crate::snapshot::Snapshot;

    /// A peeled loop carrying `{F, P, Q}`: F boxed anew, P passed on, Q
    /// swapped with P (not known: P's twin on entry was never unboxed).
    /// With `k` read in the loop from before its head, or without.
    fn carried(read_early: bool) -> (Trace, [Ref; 5]) {
        let mut t = Trace::default();
        for pc in [1, 2] {
            t.snaps.push(Snapshot {
                pc,
                regs: Vec::new(),
                frame: None,
            });
        }
        let x = t.push(Op::LoadX(0), Ty::Term);
        let k = t.push(Op::LoadX(1), Ty::Term);
        let kf = t.push(Op::UnboxFloat(k, 0), Ty::Float);
        let e0 = t.push(Op::Element(x, 0), Ty::Term);
        let f0 = t.push(Op::UnboxFloat(e0, 0), Ty::Float);
        let e1 = t.push(Op::Element(x, 1), Ty::Term);
        t.push(Op::UnboxFloat(e1, 0), Ty::Float);
        let e2 = t.push(Op::Element(x, 2), Ty::Term);
        let b0 = t.push(Op::BoxFloat(f0), Ty::Term);
        let init = t.push(Op::AllocTuple(3), Ty::Term);
        t.push(Op::SetElement(init, 0, b0), Ty::None);
        t.push(Op::SetElement(init, 1, e1), Ty::None);
        t.push(Op::SetElement(init, 2, e2), Ty::None);
        t.push(Op::Loop, Ty::None);
        let phi = t.push(Op::Phi(init), Ty::Term);
        let guard = t.push(Op::GuardTuple(phi, Some(3), 1), Ty::None);
        let l0 = t.push(Op::Element(phi, 0), Ty::Term);
        let u0 = t.push(Op::UnboxFloat(l0, 1), Ty::Float);
        let l1 = t.push(Op::Element(phi, 1), Ty::Term);
        let u1 = t.push(Op::UnboxFloat(l1, 1), Ty::Float);
        let l2 = t.push(Op::Element(phi, 2), Ty::Term);
        let u2 = t.push(Op::UnboxFloat(l2, 1), Ty::Float);
        let scale = if read_early { kf } else { u1 };
        let sum = t.push(Op::FArith(FOp::Mul, u0, scale, Some(1)), Ty::Float);
        let b = t.push(Op::BoxFloat(sum), Ty::Term);
        t.push(Op::StoreY(0, l1), Ty::None);
        let back_p = t.push(Op::LoadY(0), Ty::Term);
        let back = t.push(Op::AllocTuple(3), Ty::Term);
        t.push(Op::SetElement(back, 0, b), Ty::None);
        t.push(Op::SetElement(back, 1, back_p), Ty::None);
        t.push(Op::SetElement(back, 2, l1), Ty::None);
        t.back = vec![(phi, back)];
        (t, [guard, u0, u1, u2, l0])
    }

    #[test]
    fn a_carried_tuple_is_known_in_its_loop_when_the_head_is_closed() {
        let (mut t, [guard, u0, u1, u2, l0]) = carried(true);
        let l1 = l0 + 2;
        let l2 = l0 + 4;
        run(&mut t);
        assert_eq!(t.ins[guard as usize].op, Op::Nop);
        assert_eq!(t.ins[u0 as usize].op, Op::FloatOf(l0));
        // Passed on through a Y register: known from its entry's guard.
        assert_eq!(t.ins[u1 as usize].op, Op::FloatOf(l1));
        // Set from P on the back edge, but its entry value (x's third
        // element) was never unboxed: checked.
        assert_eq!(t.ins[u2 as usize].op, Op::UnboxFloat(l2, 1));
        assert!(t.head_closed);
    }

    #[test]
    fn a_loop_reading_nothing_from_before_its_head_is_left_alone() {
        let (mut t, _) = carried(false);
        let before = t.ins.clone();
        run(&mut t);
        assert_eq!(t.ins, before);
        assert!(!t.head_closed);
    }
}
