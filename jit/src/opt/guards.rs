//! GUARDS: redundant-guard elimination. A trace is one straight line in
//! which every instruction before another has run (and passed) by the time
//! the later one runs, on every iteration; so a second type check of the
//! same value reuses the first's result, and a second guard of the same
//! condition on the same values goes. Values are SSA, so "the same value"
//! is "the same [`Ref`]". The same goes for pure values (common
//! subexpressions): a second arithmetic operation on the same operands, a
//! conversion, a load from the same term (terms are immutable) is the
//! first one's value; a second overflow or finiteness check of it cannot
//! fail where the first passed (bench_mandel's `Zr * Zr` in the guard and
//! again in the body).

use std::collections::HashMap;

use crate::ir::{Op, Ref, Trace};

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let mut subst: Vec<Ref> = (0..t.ins.len() as Ref).collect();
    let mut unboxed: HashMap<(Ref, bool), Ref> = HashMap::new();
    let mut guarded = HashMap::new();
    let mut lists = HashMap::new();
    let mut tuples = HashMap::new();
    let mut ctxs = HashMap::new();
    let mut values: HashMap<Op, Ref> = HashMap::new();
    for i in 0..t.ins.len() {
        let mut op = t.ins[i].op;
        op.map_operands(|r| subst[r as usize]);
        t.ins[i].op = op;
        match op {
            Op::Unbox(a, _) | Op::UnboxFloat(a, _) => {
                let key = (a, matches!(op, Op::UnboxFloat(..)));
                reuse(&mut unboxed, key, i, t, &mut subst);
            }
            Op::Guard(c, a, b, _) | Op::FGuard(c, a, b, _)
                if guarded
                    .insert((c, a, b, matches!(op, Op::FGuard(..))), i)
                    .is_some() =>
            {
                t.ins[i].op = Op::Nop;
            }
            Op::GuardList(a, is, _) if lists.insert((a, is), i).is_some() => {
                t.ins[i].op = Op::Nop;
            }
            Op::GuardTuple(a, arity, _) if tuples.insert((a, arity), i).is_some() => {
                t.ins[i].op = Op::Nop;
            }
            Op::GuardCtx(a, _) if ctxs.insert(a, i).is_some() => {
                t.ins[i].op = Op::Nop;
            }
            Op::Arith(..)
            | Op::FArith(..)
            | Op::IntToFloat(_)
            | Op::FNeg(_)
            | Op::Element(..)
            | Op::Head(_)
            | Op::Tail(_) => {
                // The same computation whatever snapshot it exits through.
                let mut key = op;
                if let Some(s) = key.snapshot_mut() {
                    *s = 0;
                }
                reuse(&mut values, key, i, t, &mut subst);
            }
            _ => {}
        }
    }
    super::substitute(t, &subst);
}

/// Value `i` is the first one computed as `key`, if any (it goes),
/// otherwise it is that first one.
fn reuse<K: std::hash::Hash + Eq>(
    seen: &mut HashMap<K, Ref>,
    key: K,
    i: usize,
    t: &mut Trace,
    subst: &mut [Ref],
) {
    match seen.get(&key) {
        Some(&first) => {
            subst[i] = first;
            t.ins[i].op = Op::Nop;
        }
        None => {
            seen.insert(key, i as Ref);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Cond, IntOp, Ty};

    #[test]
    fn second_checks_of_the_same_value_go() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let u1 = t.push(Op::Unbox(x, 0), Ty::Int);
        let u2 = t.push(Op::Unbox(x, 1), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, u2, u2, Some(1)), Ty::Int);
        let g1 = t.push(Op::Guard(Cond::Lt, u1, s, 1), Ty::None);
        let g2 = t.push(Op::Guard(Cond::Lt, u1, s, 2), Ty::None);
        let g3 = t.push(Op::Guard(Cond::Ge, u1, s, 2), Ty::None);
        let l1 = t.push(Op::GuardList(x, true, 2), Ty::None);
        let l2 = t.push(Op::GuardList(x, true, 3), Ty::None);
        let c1 = t.push(Op::GuardCtx(x, 3), Ty::None);
        let c2 = t.push(Op::GuardCtx(x, 4), Ty::None);
        let s2 = t.push(Op::Arith(IntOp::Add, u1, u1, Some(5)), Ty::Int);
        let e1 = t.push(Op::Element(x, 1), Ty::Term);
        let e2 = t.push(Op::Element(x, 1), Ty::Term);
        let e3 = t.push(Op::Element(x, 2), Ty::Term);
        let g4 = t.push(Op::Guard(Cond::Lt, s2, e2, 2), Ty::None);
        run(&mut t);
        assert_eq!(t.ins[s2 as usize].op, Op::Nop);
        assert_eq!(t.ins[e2 as usize].op, Op::Nop);
        assert_eq!(t.ins[e3 as usize].op, Op::Element(x, 2));
        assert_eq!(t.ins[g4 as usize].op, Op::Guard(Cond::Lt, s, e1, 2));
        assert!(matches!(t.ins[c1 as usize].op, Op::GuardCtx(..)));
        assert_eq!(t.ins[c2 as usize].op, Op::Nop);
        assert!(matches!(t.ins[l1 as usize].op, Op::GuardList(..)));
        assert_eq!(t.ins[l2 as usize].op, Op::Nop);
        assert_eq!(t.ins[u2 as usize].op, Op::Nop);
        assert_eq!(t.ins[s as usize].op, Op::Arith(IntOp::Add, u1, u1, Some(1)));
        assert!(matches!(t.ins[g1 as usize].op, Op::Guard(..)));
        assert_eq!(t.ins[g2 as usize].op, Op::Nop);
        assert!(matches!(t.ins[g3 as usize].op, Op::Guard(..)));
    }
}
