//! FRESH: reads of what the trace itself just built. A tuple made by
//! [`Op::AllocTuple`] has the arity it was made with and the elements its
//! [`Op::SetElement`]s stored (terms are immutable), and a float boxed by
//! [`Op::BoxFloat`] holds that float; so a tuple guard on such a tuple
//! goes, an element read is the stored value, and an unboxing is the
//! float. bench_nbody's `velocities/3` follows `pull/4` to its
//! `{B, lists:reverse(Acc)}` and takes the pair apart at once: no guard
//! and no load remain (the tuple itself stays while a snapshot names it).
//!
//! Only values of one straight line: never through a phi, whose value may
//! come from a side trace jumping to the loop head.

use std::collections::HashMap;

use crate::ir::{Op, Ref, Trace};
use crate::opt::substitute;

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let mut subst: Vec<Ref> = (0..t.ins.len() as Ref).collect();
    let mut tuples: HashMap<Ref, Vec<Option<Ref>>> = HashMap::new();
    for i in 0..t.ins.len() {
        let mut op = t.ins[i].op;
        op.map_operands(|r| subst[r as usize]);
        t.ins[i].op = op;
        match op {
            Op::AllocTuple(arity) => {
                tuples.insert(i as Ref, vec![None; arity as usize]);
            }
            Op::SetElement(tuple, n, v) => {
                if let Some(slot) = tuples.get_mut(&tuple).and_then(|f| f.get_mut(n as usize)) {
                    *slot = Some(v);
                }
            }
            Op::GuardTuple(tuple, arity, _) => {
                let made = tuples.get(&tuple).map(|f| f.len() as u32);
                if made.is_some() && (arity.is_none() || arity == made) {
                    t.ins[i].op = Op::Nop;
                }
            }
            Op::Element(tuple, n) => {
                let stored = tuples
                    .get(&tuple)
                    .and_then(|f| f.get(n as usize).copied().flatten());
                if let Some(v) = stored {
                    subst[i] = v;
                    t.ins[i].op = Op::Nop;
                }
            }
            Op::UnboxFloat(term, _) => {
                if let Op::BoxFloat(f) = t.ins[term as usize].op {
                    subst[i] = f;
                    t.ins[i].op = Op::Nop;
                }
            }
            _ => {}
        }
    }
    substitute(t, &subst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ty;

    #[test]
    fn a_tuple_built_here_is_taken_apart_without_guards_or_loads() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let f = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        let boxed = t.push(Op::BoxFloat(f), Ty::Term);
        let tuple = t.push(Op::AllocTuple(2), Ty::Term);
        t.push(Op::SetElement(tuple, 0, x), Ty::None);
        t.push(Op::SetElement(tuple, 1, boxed), Ty::None);
        t.push(Op::GuardTuple(tuple, Some(2), 1), Ty::None);
        let first = t.push(Op::Element(tuple, 0), Ty::Term);
        let second = t.push(Op::Element(tuple, 1), Ty::Term);
        let g = t.push(Op::UnboxFloat(second, 2), Ty::Float);
        // Another arity always fails: it stays.
        let wrong = t.push(Op::GuardTuple(tuple, Some(3), 3), Ty::None);
        // A tuple from elsewhere keeps its guard and load.
        let other = t.push(Op::LoadX(1), Ty::Term);
        let og = t.push(Op::GuardTuple(other, Some(2), 4), Ty::None);
        let oe = t.push(Op::Element(other, 0), Ty::Term);
        t.push(Op::StoreX(0, first), Ty::None);
        t.push(Op::StoreX(1, oe), Ty::None);
        t.back = vec![(g, g)];
        run(&mut t);
        assert_eq!(t.ins[6].op, Op::Nop);
        assert_eq!(t.ins[first as usize].op, Op::Nop);
        assert_eq!(t.ins[second as usize].op, Op::Nop);
        assert_eq!(t.ins[g as usize].op, Op::Nop);
        assert_eq!(t.ins[wrong as usize].op, Op::GuardTuple(tuple, Some(3), 3));
        assert_eq!(t.ins[og as usize].op, Op::GuardTuple(other, Some(2), 4));
        assert_eq!(t.ins[oe as usize].op, Op::Element(other, 0));
        assert_eq!(t.ins[oe as usize + 1].op, Op::StoreX(0, x));
        assert_eq!(t.ins[oe as usize + 2].op, Op::StoreX(1, oe));
        assert_eq!(t.back, vec![(f, f)]);
    }
}
