//! REDUCEAT: a counted `return` exits at the heap check before it. A
//! called function's `return` counts a reduction in the caller's trace
//! ([`Op::Reduce`]), exiting at the `return` when that would spend the
//! slice, so its snapshot names what the function returns: bench_nbody's
//! `pull/4` returns `{B, lists:reverse(Acc)}`, which `velocities/3` takes
//! apart at once, and that exit alone kept the tuple built (3 words and
//! its stores an iteration). When only a heap check and then quiet
//! instructions (constants, loads, allocations in the check's room) lead
//! to the reduction, it exits through the check's snapshot instead: the
//! interpreter resumes at that `test_heap`, builds what the trace built
//! since (nothing it built is named, and nothing else happened since),
//! and counts the reduction at the `return` itself, where it yields. The
//! value the `return`'s snapshot named may then go (`dce.rs`, run next).
//! A heap check's exit and a reduction's are both heap exits (no side
//! trace), so they share the snapshot.

use crate::ir::{Op, Trace};

/// Whether `op` may stand between the heap check and the reduction: it
/// neither exits nor changes what an exit at the check gives the
/// interpreter (no stores to Y or X registers or contexts, no calls, no
/// reductions of its own). What it allocates stays unnamed garbage on an
/// exit, as a collection would find it.
fn quiet(op: &Op) -> bool {
    matches!(
        op,
        Op::KInt(_)
            | Op::KTerm(_)
            | Op::KFloat(_)
            | Op::FloatOf(_)
            | Op::Head(_)
            | Op::Tail(_)
            | Op::Element(..)
            | Op::LoadY(_)
            | Op::LoadYFloat(_)
            | Op::Cons(..)
            | Op::BoxFloat(_)
            | Op::AllocTuple(_)
            | Op::SetElement(..)
            | Op::Nop
    )
}

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let mut check: Option<u32> = None;
    for i in 0..t.ins.len() {
        match t.ins[i].op {
            Op::HeapCheck(_, s) => check = Some(s),
            Op::Reduce(ref mut s) => {
                if let Some(h) = check.take() {
                    *s = h;
                }
            }
            ref op if !quiet(op) => check = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ty;
    use crate::opt::tests::snap;

    /// `{B, Rest} = callee(...)` as `velocities/3` records it: a heap
    /// check, the pair built, the callee's counted `return` (its snapshot
    /// naming the pair), `between`, then the pair's elements read.
    fn pair_returned(between: impl FnOnce(&mut Trace)) -> (Trace, u32, u32) {
        let mut t = Trace::default();
        let b = t.push(Op::LoadX(0), Ty::Term);
        let rest = t.push(Op::LoadX(1), Ty::Term);
        let h = snap(&mut t, vec![(0, rest)]);
        t.push(Op::HeapCheck(5, h), Ty::None);
        let pair = t.push(Op::AllocTuple(2), Ty::Term);
        t.push(Op::SetElement(pair, 0, b), Ty::None);
        t.push(Op::SetElement(pair, 1, rest), Ty::None);
        between(&mut t);
        let r = snap(&mut t, vec![(0, pair)]);
        t.push(Op::Reduce(r), Ty::None);
        t.push(Op::Cons(b, rest), Ty::Term);
        (t, h, r)
    }

    fn reduce_snap(t: &Trace) -> u32 {
        t.ins
            .iter()
            .find_map(|i| match i.op {
                Op::Reduce(s) => Some(s),
                _ => None,
            })
            .expect("a reduction")
    }

    #[test]
    fn a_return_after_allocations_exits_at_the_heap_check() {
        let (mut t, h, _) = pair_returned(|t| {
            t.push(Op::LoadY(1), Ty::Term);
        });
        run(&mut t);
        assert_eq!(reduce_snap(&t), h);
        // Nothing names the pair now: it goes.
        crate::opt::dce::run(&mut t);
        assert!(!t.ins.iter().any(|i| matches!(i.op, Op::AllocTuple(_))));
    }

    #[test]
    fn stores_guards_and_other_reductions_keep_the_returns_exit() {
        let cases: [fn(&mut Trace); 3] = [
            |t| {
                let v = t.push(Op::LoadY(3), Ty::Term);
                t.push(Op::StoreY(0, v), Ty::None);
            },
            |t| {
                let v = t.push(Op::LoadY(3), Ty::Term);
                let s = snap(t, Vec::new());
                t.push(Op::GuardList(v, true, s), Ty::None);
            },
            |t| {
                let s = snap(t, Vec::new());
                t.push(Op::Reduce(s), Ty::None);
            },
        ];
        for between in cases {
            let (mut t, h, r) = pair_returned(between);
            run(&mut t);
            let last = t.ins.iter().rev().find_map(|i| match i.op {
                Op::Reduce(s) => Some(s),
                _ => None,
            });
            assert_eq!(last, Some(r));
            assert_ne!(last, Some(h));
        }
    }
}
