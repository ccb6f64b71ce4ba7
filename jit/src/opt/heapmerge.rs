//! HEAPMERGE: one heap check for two in a row. A heap check whose next
//! heap check follows with nothing in between but instructions that
//! neither take heap outside the trace's own allocations nor end the
//! straight line (guards, loads, arithmetic, Y registers, allocations
//! within the first check's room, reductions counted for calls and
//! returns of called traces) is widened by the second's words, and the
//! second goes. The wider check failing only exits earlier, at the
//! first `test_heap`, where the interpreter collects if it must and then
//! runs the second `test_heap` itself (as `Recording::spend` widens a
//! check for a return trace). bench_nbody's `pull/4` builds its two
//! bodies under two checks of 16 words: one check of 32 a pair;
//! `velocities/3` builds `pull/4`'s `{B, lists:reverse(Acc)}` and its own
//! cons with `pull/4`'s `return` counted between them: one check of 5.

use crate::ir::{Op, Trace};

/// Whether `op` may stand between two heap checks that become one: it
/// takes no heap but the room the first check made (calls of traces and
/// out to Rust, sub-binaries and frames do), and is no loop head. A
/// reduction's exit (the slice spent) leaves like a guard's: the
/// interpreter runs the second `test_heap` itself after it.
fn within(op: &Op) -> bool {
    matches!(
        op,
        Op::KInt(_)
            | Op::KTerm(_)
            | Op::KFloat(_)
            | Op::UnboxFloat(..)
            | Op::FloatOf(_)
            | Op::IntToFloat(_)
            | Op::FArith(..)
            | Op::FCheck(..)
            | Op::FNeg(_)
            | Op::FGuard(..)
            | Op::Unbox(..)
            | Op::Box(_)
            | Op::Arith(..)
            | Op::Guard(..)
            | Op::GuardList(..)
            | Op::Head(_)
            | Op::Tail(_)
            | Op::GuardTuple(..)
            | Op::Element(..)
            | Op::Cons(..)
            | Op::BoxFloat(_)
            | Op::AllocTuple(_)
            | Op::SetElement(..)
            | Op::LoadY(_)
            | Op::LoadYFloat(_)
            | Op::StoreY(..)
            | Op::FSqrt(..)
            | Op::Cmp(..)
            | Op::Select(..)
            | Op::Reduce(_)
            | Op::Nop
    )
}

/// Runs the pass.
pub fn run(t: &mut Trace) {
    let mut open: Option<usize> = None;
    for i in 0..t.ins.len() {
        match t.ins[i].op {
            Op::HeapCheck(words, _) => match open {
                Some(first) => {
                    let Op::HeapCheck(w, _) = &mut t.ins[first].op else {
                        unreachable!("open names a heap check");
                    };
                    match w.checked_add(words) {
                        Some(sum) => {
                            *w = sum;
                            t.ins[i].op = Op::Nop;
                        }
                        None => open = Some(i),
                    }
                }
                None => open = Some(i),
            },
            ref op if !within(op) => open = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Ref, Ty};
    use crate::opt::tests::snap;

    fn checks(t: &Trace) -> Vec<u32> {
        t.ins
            .iter()
            .filter_map(|i| match i.op {
                Op::HeapCheck(w, _) => Some(w),
                _ => None,
            })
            .collect()
    }

    /// Two boxes under two checks with a float guard between them.
    fn two_boxes(between: impl FnOnce(&mut Trace, Ref, u32)) -> Trace {
        let mut t = Trace::default();
        let s = snap(&mut t, Vec::new());
        let x = t.push(Op::LoadX(0), Ty::Term);
        let f = t.push(Op::UnboxFloat(x, s), Ty::Float);
        t.push(Op::HeapCheck(2, s), Ty::None);
        t.push(Op::BoxFloat(f), Ty::Term);
        between(&mut t, x, s);
        t.push(Op::HeapCheck(3, s), Ty::None);
        t.push(Op::BoxFloat(f), Ty::Term);
        t
    }

    #[test]
    fn checks_in_a_straight_line_become_one() {
        let mut t = two_boxes(|t, x, s| {
            t.push(Op::GuardTuple(x, Some(2), s), Ty::None);
            t.push(Op::StoreY(0, x), Ty::None);
        });
        run(&mut t);
        assert_eq!(checks(&t), vec![5]);
    }

    #[test]
    fn a_counted_return_between_checks_keeps_one() {
        let mut t = two_boxes(|t, _, s| {
            t.push(Op::Reduce(s), Ty::None);
        });
        run(&mut t);
        assert_eq!(checks(&t), vec![5]);
    }

    #[test]
    fn calls_and_loop_heads_keep_both() {
        let mut t = two_boxes(|t, _, _| {
            t.push(Op::CallTrace(0), Ty::None);
        });
        run(&mut t);
        assert_eq!(checks(&t), vec![2, 3]);
        let mut t = two_boxes(|t, x, s| {
            t.push(Op::ListReverse(x, s), Ty::Term);
        });
        run(&mut t);
        assert_eq!(checks(&t), vec![2, 3]);
        let mut t = two_boxes(|t, _, _| {
            t.push(Op::Loop, Ty::None);
        });
        run(&mut t);
        assert_eq!(checks(&t), vec![2, 3]);
    }
}
