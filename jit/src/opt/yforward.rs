//! YFORWARD: store-to-load forwarding for the Y registers of the frame a
//! trace allocates. The recorder keeps Y registers in the seam's frame
//! buffer (`record/frame.rs`), so a value stored there and read back is a
//! new, unknown value to the other passes: bench_nbody's `pull/4` loads
//! its two body tuples from Y registers seven and five times, and each
//! load was guarded to be a 7-tuple and its floats unboxed again. Only the
//! trace writes its frames' words (a called trace's frame is above them,
//! and a called function's frame the trace records lives after the call),
//! and a frame lives within one iteration, so a load reads the value of the last store
//! to that register before it in the same part of the trace (entry or
//! body): the load becomes that value, and the guards' pass drops the
//! checks repeated on it. The stores stay (exits read them).
//!
//! Term loads are forwarded only where a guard reads them: any other
//! would only keep a value in a machine register for longer. Float loads
//! are forwarded too with `floats` (the arithmetic then reads the
//! register the value was stored from, one memory load less a use:
//! `pull/4` reads its four floats kept across `math:sqrt/1` eight times
//! an iteration), but not across a call out of the trace: the call would
//! save and restore the register, dearer than the load (mandel's
//! `cols/4` keeps a float across its call of `point/5`'s trace). Either
//! may make a trace need more registers than the backend has; it is then
//! compiled again with less forwarding ([`crate::opt::optimize`]).

use std::collections::{HashMap, HashSet};

use crate::ir::{Op, Ref, Trace, Ty};

/// Runs the pass.
pub fn run(t: &mut Trace, floats: bool) {
    // Only loads some guard checks again gain (the guard then goes); any
    // other forwarded load would only move a value from the frame buffer
    // into a machine register for longer.
    let mut guarded = vec![false; t.ins.len()];
    for x in &t.ins {
        if let Op::GuardTuple(a, ..)
        | Op::GuardList(a, ..)
        | Op::UnboxFloat(a, _)
        | Op::Unbox(a, _) = x.op
        {
            guarded[a as usize] = true;
        }
    }
    let mut subst: Vec<Ref> = (0..t.ins.len() as Ref).collect();
    let mut stored: HashMap<u16, Ref> = HashMap::new();
    // The Y registers stored since the last call out of the trace.
    let mut since_call: HashSet<u16> = HashSet::new();
    for i in 0..t.ins.len() {
        let mut op = t.ins[i].op;
        op.map_operands(|r| subst[r as usize]);
        t.ins[i].op = op;
        match op {
            // The frame buffer's base moves at a recursive call.
            Op::Loop | Op::PushFrame(..) => stored.clear(),
            Op::CallTrace(_) | Op::ListReverse(..) | Op::SubBinary(..) => since_call.clear(),
            Op::StoreY(n, v) => {
                stored.insert(n, v);
                since_call.insert(n);
            }
            Op::LoadY(n) | Op::LoadYFloat(n) => {
                let want = if matches!(op, Op::LoadY(_)) {
                    Ty::Term
                } else {
                    Ty::Float
                };
                let stored = stored.get(&n).filter(|&&v| t.ty(v) == want);
                let gains = guarded[i] || (floats && want == Ty::Float && since_call.contains(&n));
                if let Some(&v) = stored.filter(|_| gains) {
                    subst[i] = v;
                    t.ins[i].op = Op::Nop;
                }
            }
            _ => {}
        }
    }
    super::substitute(t, &subst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_loads_read_the_last_store_of_the_same_iteration() {
        let mut t = Trace::default();
        let x = t.push(Op::LoadX(0), Ty::Term);
        let f = t.push(Op::UnboxFloat(x, 0), Ty::Float);
        t.push(Op::StoreY(0, x), Ty::None);
        t.push(Op::StoreY(1, f), Ty::None);
        t.push(Op::StoreY(2, x), Ty::None);
        let l0 = t.push(Op::LoadY(0), Ty::Term);
        let g0 = t.push(Op::GuardTuple(l0, Some(2), 0), Ty::None);
        // A float load no guard reads stays in the buffer.
        let l1 = t.push(Op::LoadYFloat(1), Ty::Float);
        let e = t.push(Op::Element(l0, 1), Ty::Term);
        t.push(Op::StoreY(0, e), Ty::None);
        let l0b = t.push(Op::LoadY(0), Ty::Term);
        let g = t.push(Op::GuardTuple(l0b, Some(2), 0), Ty::None);
        // A term load no guard reads stays.
        let l2 = t.push(Op::LoadY(2), Ty::Term);
        let c = t.push(Op::Cons(l2, l1), Ty::Term);
        // A float stored before a call out of the trace is read back
        // from the frame after it.
        t.push(Op::StoreY(3, f), Ty::None);
        t.push(Op::ListReverse(x, 0), Ty::Term);
        let l4 = t.push(Op::LoadYFloat(3), Ty::Float);
        t.push(Op::FArith(crate::ir::FOp::Add, l4, f, None), Ty::Float);
        t.push(Op::Loop, Ty::None);
        // Nothing stored in this iteration yet.
        let l3 = t.push(Op::LoadY(0), Ty::Term);
        t.push(Op::GuardTuple(l3, Some(2), 0), Ty::None);
        let mut with_floats = t.clone();
        run(&mut t, false);
        assert_eq!(t.ins[l0 as usize].op, Op::Nop);
        assert_eq!(t.ins[g0 as usize].op, Op::GuardTuple(x, Some(2), 0));
        assert_eq!(t.ins[l1 as usize].op, Op::LoadYFloat(1));
        assert_eq!(t.ins[e as usize].op, Op::Element(x, 1));
        assert_eq!(t.ins[l0b as usize].op, Op::Nop);
        assert_eq!(t.ins[g as usize].op, Op::GuardTuple(e, Some(2), 0));
        assert_eq!(t.ins[c as usize].op, Op::Cons(l2, l1));
        assert_eq!(t.ins[l3 as usize].op, Op::LoadY(0));
        // With `floats`, the float load reads the stored value too; the
        // unguarded term load still stays.
        run(&mut with_floats, true);
        assert_eq!(with_floats.ins[l1 as usize].op, Op::Nop);
        assert_eq!(with_floats.ins[c as usize].op, Op::Cons(l2, f));
        assert_eq!(with_floats.ins[l4 as usize].op, Op::LoadYFloat(3));
    }
}
