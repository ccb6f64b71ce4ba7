//! Instructions fused with their plain copies: the loader emits the fused
//! instruction and then, unchanged, the plain instructions it stands for
//! (docs/LOADER.md, "Fused with copies"). Running the fused one at `pc` is
//! running the copies from `pc + 1`: the interpreter jumps past the copies
//! (or returns, or calls with a continuation after them), or, where its
//! fast path does not apply, simply goes on into the copies. So every
//! position a trace exit or a recording can stop at is a plain
//! instruction, and the JIT's recorder, which skips a fused instruction
//! and records the copies, needs to know none of them.

use super::countdown::Countdown;
use super::instr::Instr;
use super::operand::SrcKind;

/// Where a `return` after `deallocate words` finds its continuation
/// pointer, in words from the stack's top (`-(words + 1)`: the fused
/// returns' `under`), if that fits in 32 bits.
fn cp_under(words: u32) -> Option<i32> {
    i32::try_from(-i64::from(words) - 1).ok()
}

impl Instr {
    /// How many plain instructions follow this one as its copies (0 for
    /// an instruction that is not fused this way).
    pub fn copies(&self) -> usize {
        match self {
            Instr::ListAllocXYXCall { .. } => 4,
            Instr::ListAllocXYX { .. } => 3,
            Instr::PutListYXDeallocReturn { .. }
            | Instr::IsLtXIReturn { .. }
            | Instr::AddYXDeallocReturn { .. }
            | Instr::AddXIAllocate { .. }
            | Instr::MoveXXCall { .. }
            | Instr::TrimCall { .. }
            | Instr::MoveYXLoopLast { .. }
            | Instr::IsEqExactXIReturnX { .. } => 2,
            Instr::IsLtXXElseReturnX { .. } => 1,
            Instr::MovesXYXYXYXXCall { copies, .. }
            | Instr::MovesYXXYYXXXXXCall { copies, .. }
            | Instr::MovesYXXYYXXXXXYYTrimCall { copies, .. }
            | Instr::MovesYXYXYXLast { copies, .. }
            | Instr::MovesYXXXYXLast { copies, .. }
            | Instr::MovesXXYXYXLast { copies, .. }
            | Instr::MovesYXYXYXYXLast { copies, .. }
            | Instr::MovesYXYXYXYXYXLast { copies, .. }
            | Instr::AddXIAllocMovesXYXXCall { copies, .. }
            | Instr::AddXIAllocMovesXYXYXYXXCall { copies, .. }
            | Instr::AddYIMovesXYXXCall { copies, .. }
            | Instr::AddYIMovesYXXYYXXXXXCall { copies, .. }
            | Instr::AddYIMovesYXXYYXXXXXYYTrimCall { copies, .. } => usize::from(*copies),
            _ => 0,
        }
    }

    /// The fused instruction standing for `plain`, the loaded instructions
    /// of a sequence, if there is one (all but
    /// [`Instr::IsLtXXElseReturnX`], which also needs what its fail label
    /// holds: [`Instr::else_return`]).
    pub fn fuse(plain: &[Instr]) -> Option<Instr> {
        Some(match *plain {
            [Instr::IsNonemptyListX { fail, a }, Instr::Allocate { stack, .. }, Instr::GetListXYX { src, head, tail }]
                if a == src =>
            {
                Instr::ListAllocXYX {
                    fail,
                    src,
                    head: !head,
                    tail,
                    words: stack,
                }
            }
            [Instr::IsNonemptyListX { fail, a }, Instr::Allocate { stack, .. }, Instr::GetListXYX { src, head, tail }, Instr::Call { .. }]
                if a == src =>
            {
                Instr::ListAllocXYXCall {
                    fail,
                    src,
                    head: !head,
                    tail,
                    words: stack,
                }
            }
            [Instr::TestHeapPutListYX {
                live,
                head,
                tail,
                dst: 0,
                ..
            }, Instr::DeallocateReturn { words }] => match tail.kind() {
                SrcKind::X(t) => Instr::PutListYXDeallocReturn {
                    live,
                    head: !head,
                    tail: u16::try_from(t).ok()?,
                    under: cp_under(words)?,
                },
                _ => return None,
            },
            [Instr::IsLtXI { fail, a, imm }, Instr::Return] => Instr::IsLtXIReturn { fail, a, imm },
            [Instr::IsEqExactXI { a, imm, .. }, Instr::MoveReturnX { src }] => {
                Instr::IsEqExactXIReturnX { a, src, imm }
            }
            [Instr::AddYX { a, b, dst: 0, .. }, Instr::DeallocateReturn { words }] => {
                Instr::AddYXDeallocReturn {
                    a: !a,
                    b,
                    under: cp_under(words)?,
                }
            }
            [Instr::AddXI { a, delta, dst, .. }, Instr::Allocate { stack, .. }] if !dst.is_y() => {
                Instr::AddXIAllocate {
                    a,
                    dst: dst.index() as u16,
                    words: stack,
                    delta,
                }
            }
            [Instr::MoveXX { src, dst }, Instr::Call { target, cont, .. }] => Instr::MoveXXCall {
                src,
                dst,
                target,
                count: Countdown::new(),
                cont,
            },
            [Instr::Trim { words, .. }, Instr::Call { target, cont, .. }] => Instr::TrimCall {
                words,
                target,
                count: Countdown::new(),
                cont,
            },
            [Instr::MoveYX { src, dst }, Instr::LoopLast {
                arity,
                target,
                dealloc,
                ..
            }] => Instr::MoveYXLoopLast {
                src,
                dst,
                arity: u16::try_from(arity).ok()?,
                target,
                dealloc,
                count: Countdown::new(),
            },
            _ => return Instr::fuse_pre_run(plain).or_else(|| Instr::fuse_move_run(plain)),
        })
    }

    /// [`Instr::IsLtXXElseReturnX`] for `test`, an `IsLtXX` whose fail
    /// label holds `MoveReturnX { src }`.
    pub fn else_return(test: &Instr, src: u16) -> Option<Instr> {
        match *test {
            Instr::IsLtXX { a, b, .. } => Some(Instr::IsLtXXElseReturnX { a, b, src }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{Fail, Reg};
    use crate::term::Term;

    #[test]
    fn a_list_head_fuses_only_on_one_register() {
        let fail = Fail::to(9);
        let plain = [
            Instr::IsNonemptyListX { fail, a: 0 },
            Instr::Allocate { stack: 1, live: 2 },
            Instr::GetListXYX {
                src: 0,
                head: 0,
                tail: 0,
            },
        ];
        let fused = Instr::fuse(&plain).expect("fused");
        assert!(matches!(
            fused,
            Instr::ListAllocXYX {
                src: 0,
                head: u16::MAX,
                tail: 0,
                words: 1,
                ..
            }
        ));
        assert_eq!(fused.copies(), plain.len());
        let mut other = plain.clone();
        other[2] = Instr::GetListXYX {
            src: 1,
            head: 0,
            tail: 0,
        };
        assert!(Instr::fuse(&other).is_none());
        let mut with_call = plain.to_vec();
        with_call.push(Instr::Call {
            arity: 2,
            target: 4,
            count: Countdown::new(),
            cont: 40,
        });
        let fused = Instr::fuse(&with_call).expect("fused with its call");
        assert!(matches!(fused, Instr::ListAllocXYXCall { words: 1, .. }));
        assert_eq!(fused.copies(), with_call.len());
        with_call[3] = Instr::Return;
        assert!(Instr::fuse(&with_call).is_none());
    }

    #[test]
    fn fused_forms_count_their_copies() {
        let call = Instr::Call {
            arity: 3,
            target: 4,
            count: Countdown::new(),
            cont: 40,
        };
        let plain = [Instr::MoveXX { src: 3, dst: 1 }, call.clone()];
        let fused = Instr::fuse(&plain).expect("fused");
        assert!(matches!(fused, Instr::MoveXXCall { cont: 40, .. }));
        assert_eq!(fused.copies(), 2);
        let plain = [
            Instr::IsLtXI {
                fail: Fail::to(3),
                a: 0,
                imm: Term::small(2),
            },
            Instr::Return,
        ];
        assert_eq!(Instr::fuse(&plain).map(|f| f.copies()), Some(2));
        let add = Instr::AddXI {
            op: crate::code::ArithOp::Sub,
            fail: Fail::NONE,
            live: 1,
            a: 0,
            delta: -16,
            dst: Reg::y(0),
        };
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert!(Instr::fuse(&[add, alloc]).is_none(), "a Y destination");
        let test = Instr::IsLtXX {
            fail: Fail::to(3),
            a: 1,
            b: 0,
        };
        let fused = Instr::else_return(&test, 2).expect("fused");
        assert_eq!(fused.copies(), 1);
        let plain = [
            Instr::IsEqExactXI {
                fail: Fail::to(5),
                a: 0,
                imm: Term::small(0),
            },
            Instr::MoveReturnX { src: 1 },
        ];
        let fused = Instr::fuse(&plain).expect("fused");
        assert!(matches!(
            fused,
            Instr::IsEqExactXIReturnX { a: 0, src: 1, .. }
        ));
        assert_eq!(fused.copies(), 2);
        assert!(Instr::fuse(&[Instr::Return]).is_none());
    }
}
