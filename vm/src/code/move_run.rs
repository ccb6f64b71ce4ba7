//! Runs of register moves before a call, fused with their plain copies
//! (`super::fuse`, docs/LOADER.md "Move runs"): the argument shuffles
//! that OTP 25 emits before a body call (`tak`'s three) or a tail call
//! to a function's own head (a loop restoring its arguments from its
//! frame). Each supported shape (which operands are X and which Y
//! registers, move by move) is a variant of its own, so the interpreter
//! runs the moves with every register file fixed at compile time (one
//! load and one store each) and the call in the same dispatch; the call
//! itself is read from its plain copy (its target, countdown and
//! continuation), so the fused instruction holds only register numbers.

use super::instr::Instr;
use super::operand::Reg;

/// The most moves a run holds.
pub const MAX_MOVES: usize = 6;

/// The register numbers of a move run, `[src0, dst0, src1, dst1, ...]`
/// (each below 256, a Y register's as [`y_byte`] gives it); the variant
/// says how many there are and which are Y registers.
pub type MoveRun = [u8; 2 * MAX_MOVES];

/// Y register `i` as a fused instruction holds it (a move run's bytes,
/// [`AddPre::a`] of an `AddYI`, and the Y operands of `code::fuse`'s
/// forms in 16 bits): its complement, `!i`. The interpreter finds y`i`
/// `i + 1` words under the stack's top; from the complement that is the
/// top less `2^bits` words plus the number, one address with a constant
/// displacement, where `i` itself needed a negation first (a `not` per
/// Y operand: four per `tak` call).
pub const fn y_byte(i: u8) -> u8 {
    !i
}

/// The byte a fused move run or [`AddPre`] holds for register `r`
/// ([`y_byte`] for a Y register), if its number is below 256.
fn reg_byte(r: Reg) -> Option<u8> {
    let n = u8::try_from(r.index()).ok()?;
    Some(if r.is_y() { y_byte(n) } else { n })
}

/// A run's shape as a constant: for move `k`, bit `2k` is set when its
/// source is a Y register and bit `2k + 1` when its destination is;
/// bits 24 and up count the moves.
pub const fn shape(moves: &[(bool, bool)]) -> u32 {
    let mut s = (moves.len() as u32) << 24;
    let mut k = 0;
    while k < moves.len() {
        s |= (moves[k].0 as u32) << (2 * k);
        s |= (moves[k].1 as u32) << (2 * k + 1);
        k += 1;
    }
    s
}

const X: bool = false;
const Y: bool = true;

/// `tak`'s first body call: its arguments saved to the frame, then the
/// new first argument (`XY XY XY XX`).
pub const XY_XY_XY_XX: u32 = shape(&[(X, Y), (X, Y), (X, Y), (X, X)]);
/// `tak`'s second body call (`YX XY YX XX XX`).
pub const YX_XY_YX_XX_XX: u32 = shape(&[(Y, X), (X, Y), (Y, X), (X, X), (X, X)]);
/// `tak`'s third body call, before its `trim` (`YX XY YX XX XX YY`).
pub const YX_XY_YX_XX_XX_YY: u32 = shape(&[(Y, X), (X, Y), (Y, X), (X, X), (X, X), (Y, Y)]);
/// Three arguments restored from the frame before a tail call (OTP's
/// most frequent run before `call_last`).
pub const YX_YX_YX: u32 = shape(&[(Y, X), (Y, X), (Y, X)]);
/// `YX XX YX` before a tail call (`tak`'s last call; OTP's fourth).
pub const YX_XX_YX: u32 = shape(&[(Y, X), (X, X), (Y, X)]);
/// `XX YX YX` before a tail call (OTP's fifth).
pub const XX_YX_YX: u32 = shape(&[(X, X), (Y, X), (Y, X)]);
/// Four arguments restored from the frame before a tail call (OTP's
/// second most frequent run before `call_last`).
pub const YX_YX_YX_YX: u32 = shape(&[(Y, X), (Y, X), (Y, X), (Y, X)]);
/// Five arguments restored from the frame before a tail call (OTP's
/// third).
pub const YX_YX_YX_YX_YX: u32 = shape(&[(Y, X), (Y, X), (Y, X), (Y, X), (Y, X)]);

/// fib's body calls (`XY XX`: the argument saved to the frame, the new
/// one moved into x0), after an [`AddPre`].
pub const XY_XX: u32 = shape(&[(X, Y), (X, X)]);

/// The small-integer add before a fused run (`N - 1` computed for the
/// call's argument, `Instr::AddXI` or `Instr::AddYI`), and for
/// `AddXI` the frame allocated between: x`dst` = (x or y)`a` + `delta`
/// (`delta` an immediate shifted to the small integers' tag, as
/// `Instr::AddXI`'s), then `allocate words`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddPre {
    /// The register added to (X for `AddXI`, Y for `AddYI`: then as
    /// [`y_byte`] gives it).
    pub a: u8,
    /// The X register written.
    pub dst: u8,
    /// The frame's words (`AddXI` forms only).
    pub words: u8,
    /// The tagged immediate added.
    pub delta: i32,
}

/// What ends a fused run (its plain copies after the moves' copies).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tail {
    /// `Call`.
    Call,
    /// `Trim`, `Call`.
    TrimCall,
    /// `LoopLast` or `CallLast`.
    Last,
}

/// The moves of `copies`' leading move instructions, in order, and how
/// many instructions they take (a `Move2XYXXCall` counts as moves: the
/// plain `Call` after it is the run's tail).
fn moves_of(copies: &[Instr]) -> (Vec<(Reg, Reg)>, usize) {
    let mut out = Vec::new();
    let x = Reg::x;
    let y = Reg::y;
    for (n, ins) in copies.iter().enumerate() {
        let pair = |m: &super::Move2Regs, k: [bool; 4]| {
            let r = |i: u16, is_y: bool| if is_y { y(i) } else { x(i) };
            [
                (r(m.src1, k[0]), r(m.dst1, k[1])),
                (r(m.src2, k[2]), r(m.dst2, k[3])),
            ]
        };
        let got = match ins {
            Instr::Move2XXXX(m) => pair(m, [X, X, X, X]).to_vec(),
            Instr::Move2XYXY(m) => pair(m, [X, Y, X, Y]).to_vec(),
            Instr::Move2YXYX(m) => pair(m, [Y, X, Y, X]).to_vec(),
            Instr::Move2XYXX(m) | Instr::Move2XYXXCall { moves: m, .. } => {
                pair(m, [X, Y, X, X]).to_vec()
            }
            Instr::Move2YXXX(m) => pair(m, [Y, X, X, X]).to_vec(),
            Instr::Move2XXYX(m) => pair(m, [X, X, Y, X]).to_vec(),
            Instr::Move2YXXY(m) => pair(m, [Y, X, X, Y]).to_vec(),
            Instr::Move2XXYY(m) => pair(m, [X, X, Y, Y]).to_vec(),
            Instr::Move2R {
                src1,
                dst1,
                src2,
                dst2,
            } => vec![(*src1, *dst1), (*src2, *dst2)],
            Instr::MoveXX { src, dst } => vec![(x(*src), x(*dst))],
            Instr::MoveXY { src, dst } => vec![(x(*src), y(*dst))],
            Instr::MoveYX { src, dst } => vec![(y(*src), x(*dst))],
            Instr::Move { src, dst } => match src.as_reg() {
                Some(s) => vec![(s, *dst)],
                None => return (out, n),
            },
            _ => return (out, n),
        };
        out.extend(got);
    }
    (out, copies.len())
}

impl Instr {
    /// The fused move run standing for `copies` (register moves, then a
    /// `Call`, a `Trim` and a `Call`, or a `LoopLast`/`CallLast`), if its
    /// shape is one with a variant.
    pub(super) fn fuse_move_run(copies: &[Instr]) -> Option<Instr> {
        let (moves, at) = moves_of(copies);
        let tail = match copies.get(at..)? {
            [Instr::Call { .. }] => Tail::Call,
            [Instr::Trim { words, .. }, Instr::Call { .. }] if *words <= u32::from(u16::MAX) => {
                Tail::TrimCall
            }
            [Instr::LoopLast { .. } | Instr::CallLast { .. }] => Tail::Last,
            _ => return None,
        };
        if moves.len() < 3 || moves.len() > MAX_MOVES {
            return None;
        }
        let (mut regs, mut kinds) = ([0; 2 * MAX_MOVES], [(false, false); MAX_MOVES]);
        for (k, (s, d)) in moves.iter().enumerate() {
            regs[2 * k] = reg_byte(*s)?;
            regs[2 * k + 1] = reg_byte(*d)?;
            kinds[k] = (s.is_y(), d.is_y());
        }
        let copies = u8::try_from(copies.len()).ok()?;
        Some(match (shape(&kinds[..moves.len()]), tail) {
            (XY_XY_XY_XX, Tail::Call) => Instr::MovesXYXYXYXXCall { regs, copies },
            (YX_XY_YX_XX_XX, Tail::Call) => Instr::MovesYXXYYXXXXXCall { regs, copies },
            (YX_XY_YX_XX_XX_YY, Tail::TrimCall) => {
                Instr::MovesYXXYYXXXXXYYTrimCall { regs, copies }
            }
            (YX_YX_YX, Tail::Last) => Instr::MovesYXYXYXLast { regs, copies },
            (YX_XX_YX, Tail::Last) => Instr::MovesYXXXYXLast { regs, copies },
            (XX_YX_YX, Tail::Last) => Instr::MovesXXYXYXLast { regs, copies },
            (YX_YX_YX_YX, Tail::Last) => Instr::MovesYXYXYXYXLast { regs, copies },
            (YX_YX_YX_YX_YX, Tail::Last) => Instr::MovesYXYXYXYXYXLast { regs, copies },
            _ => return None,
        })
    }

    /// The fused add, move run and body call standing for `copies`: an
    /// `AddXI` into an X register and an `Allocate`, or an `AddYI`, then
    /// moves and a `Call` (or `Trim`, `Call`) of a shape with a variant
    /// ([`Instr::pre_run_shape`]).
    pub(super) fn fuse_pre_run(copies: &[Instr]) -> Option<Instr> {
        let (alloc, pre, rest) = match *copies {
            [Instr::AddXI { a, delta, dst, .. }, Instr::Allocate { stack, .. }, ref rest @ ..]
                if !dst.is_y() =>
            {
                let words = u8::try_from(stack).ok()?;
                (true, (a, delta, dst, words), rest)
            }
            [Instr::AddYI { a, delta, dst, .. }, ref rest @ ..] if !dst.is_y() => {
                (false, (a, delta, dst, 0), rest)
            }
            _ => return None,
        };
        let (a, delta, dst, words) = pre;
        let a = u8::try_from(a).ok()?;
        let pre = AddPre {
            a: if alloc { a } else { y_byte(a) },
            dst: u8::try_from(dst.index()).ok()?,
            words,
            delta: i32::try_from(delta).ok()?,
        };
        let (moves, at) = moves_of(rest);
        let trim = match rest.get(at..)? {
            [Instr::Call { .. }] => false,
            [Instr::Trim { words, .. }, Instr::Call { .. }] if *words <= u32::from(u16::MAX) => {
                true
            }
            _ => return None,
        };
        if moves.len() > MAX_MOVES {
            return None;
        }
        let (mut regs, mut kinds) = ([0; 2 * MAX_MOVES], [(false, false); MAX_MOVES]);
        for (k, (s, d)) in moves.iter().enumerate() {
            regs[2 * k] = reg_byte(*s)?;
            regs[2 * k + 1] = reg_byte(*d)?;
            kinds[k] = (s.is_y(), d.is_y());
        }
        let Some(&Instr::Call { target, cont, .. }) = copies.last() else {
            return None;
        };
        let copies = u8::try_from(copies.len()).ok()?;
        let two = [regs[0], regs[1], regs[2], regs[3]];
        Some(match (alloc, shape(&kinds[..moves.len()]), trim) {
            (true, XY_XX, false) => Instr::AddXIAllocMovesXYXXCall {
                moves: two,
                pre,
                copies,
                target,
                cont,
            },
            (true, XY_XY_XY_XX, false) => Instr::AddXIAllocMovesXYXYXYXXCall { regs, copies, pre },
            (false, XY_XX, false) => Instr::AddYIMovesXYXXCall {
                moves: two,
                pre,
                copies,
                target,
                cont,
            },
            (false, YX_XY_YX_XX_XX, false) => Instr::AddYIMovesYXXYYXXXXXCall { regs, copies, pre },
            (false, YX_XY_YX_XX_XX_YY, true) => {
                Instr::AddYIMovesYXXYYXXXXXYYTrimCall { regs, copies, pre }
            }
            _ => return None,
        })
    }

    /// Whether generic moves of these register shapes (as
    /// [`Instr::move_run_shape`]'s) after an add (with an `allocate` when
    /// `alloc`: `AddXI`; else `AddYI`) and before a body call (after a
    /// `trim` when `trim`) have a fused form ([`Instr::fuse_pre_run`]).
    pub fn pre_run_shape(alloc: bool, kinds: &[(bool, bool)], trim: bool) -> bool {
        matches!(
            (alloc, shape(kinds), trim),
            (true, XY_XX | XY_XY_XY_XX, false)
                | (false, XY_XX | YX_XY_YX_XX_XX, false)
                | (false, YX_XY_YX_XX_XX_YY, true)
        )
    }

    /// Whether a run of generic moves of these register shapes (`(source
    /// is Y, destination is Y)`, `None` for an operand that is no
    /// register) may fuse with the call after it: the loader's first
    /// test, before it translates anything.
    pub fn move_run_shape(kinds: &[(bool, bool)]) -> bool {
        matches!(
            shape(kinds),
            XY_XY_XY_XX
                | YX_XY_YX_XX_XX
                | YX_XY_YX_XX_XX_YY
                | YX_YX_YX
                | YX_XX_YX
                | XX_YX_YX
                | YX_YX_YX_YX
                | YX_YX_YX_YX_YX
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{Countdown, Move2Regs};

    fn call() -> Instr {
        Instr::Call {
            arity: 3,
            target: 8,
            count: Countdown::new(),
            cont: 40,
        }
    }

    #[test]
    fn a_run_takes_its_moves_from_pairs_and_fused_calls() {
        let m = |a, b, c, d| Move2Regs {
            src1: a,
            dst1: b,
            src2: c,
            dst2: d,
        };
        let plain = [
            Instr::Move2XYXY(m(2, 1, 1, 2)),
            Instr::Move2XYXXCall {
                moves: m(0, 3, 3, 0),
                arity: 3,
                target: 8,
                count: Countdown::new(),
                cont: 40,
            },
            call(),
        ];
        let fused = Instr::fuse_move_run(&plain).expect("fused");
        let Instr::MovesXYXYXYXXCall { regs, copies } = fused else {
            panic!("{fused:?}")
        };
        assert_eq!(copies, 3);
        assert_eq!(
            &regs[..8],
            &[2, !1, 1, !2, 0, !3, 3, 0],
            "Y numbers complemented"
        );
        assert_eq!(fused.copies(), 3);
    }

    #[test]
    fn unsupported_shapes_and_tails_do_not_fuse() {
        let three = [
            Instr::MoveXY { src: 0, dst: 0 },
            Instr::MoveXY { src: 1, dst: 1 },
            Instr::MoveXY { src: 2, dst: 2 },
        ];
        let mut plain = three.to_vec();
        plain.push(call());
        assert!(Instr::fuse_move_run(&plain).is_none(), "no XY XY XY shape");
        let restore = [
            Instr::MoveYX { src: 0, dst: 0 },
            Instr::MoveYX { src: 1, dst: 1 },
            Instr::MoveYX { src: 2, dst: 2 },
        ];
        let mut plain = restore.to_vec();
        plain.push(call());
        assert!(
            Instr::fuse_move_run(&plain).is_none(),
            "YX YX YX fuses before a last call only"
        );
        let mut plain = restore.to_vec();
        plain.push(Instr::LoopLast {
            arity: 3,
            target: 1,
            dealloc: 2,
            count: Countdown::new(),
        });
        assert!(matches!(
            Instr::fuse_move_run(&plain),
            Some(Instr::MovesYXYXYXLast { copies: 4, .. })
        ));
        let mut five = restore.to_vec();
        five.extend([
            Instr::MoveYX { src: 3, dst: 3 },
            Instr::MoveYX { src: 4, dst: 4 },
        ]);
        for n in [4, 5] {
            let mut run = five[..n].to_vec();
            run.push(plain[3].clone());
            let fused = Instr::fuse_move_run(&run).expect("fused");
            assert_eq!(fused.copies(), n + 1);
            let (Instr::MovesYXYXYXYXLast { regs, .. } | Instr::MovesYXYXYXYXYXLast { regs, .. }) =
                fused
            else {
                panic!("{fused:?}")
            };
            assert_eq!(regs[2 * n - 2], !(n as u8 - 1), "{fused:?}");
            assert_eq!(n == 5, matches!(fused, Instr::MovesYXYXYXYXYXLast { .. }));
        }
        let mut big = restore.to_vec();
        big[1] = Instr::MoveYX { src: 300, dst: 1 };
        big.push(plain[3].clone());
        assert!(Instr::fuse_move_run(&big).is_none(), "a register above 255");
    }

    #[test]
    fn an_add_fuses_with_the_moves_and_call_after_it() {
        use crate::code::{ArithOp, Fail, Reg};
        let m = |a, b, c, d| Move2Regs {
            src1: a,
            dst1: b,
            src2: c,
            dst2: d,
        };
        let add = |y: bool, delta: i64| {
            let (op, fail, live, a, dst) = (ArithOp::Sub, Fail::NONE, 1, 0, Reg::x(1));
            if y {
                Instr::AddYI {
                    op,
                    fail,
                    live,
                    a,
                    delta,
                    dst,
                }
            } else {
                Instr::AddXI {
                    op,
                    fail,
                    live,
                    a,
                    delta,
                    dst,
                }
            }
        };
        let fib_call = Instr::Move2XYXXCall {
            moves: m(0, 0, 1, 0),
            arity: 1,
            target: 5,
            count: Countdown::new(),
            cont: 44,
        };
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        // fib's first body call: `N - 1`, its frame, the moves, the call.
        let first = [add(false, -16), alloc.clone(), fib_call.clone(), call()];
        let fused = Instr::fuse(&first).expect("fused");
        let Instr::AddXIAllocMovesXYXXCall {
            moves,
            pre,
            copies,
            target,
            cont,
        } = fused
        else {
            panic!("{fused:?}")
        };
        assert_eq!(moves, [0, !0, 1, 0]);
        assert_eq!(
            pre,
            AddPre {
                a: 0,
                dst: 1,
                words: 1,
                delta: -16
            }
        );
        assert_eq!((copies, target, cont), (4, 8, 40), "the last copy's call");
        assert_eq!(fused.copies(), 4);
        // Its second: `N - 2` of a Y register, no frame.
        let second = [add(true, -32), fib_call.clone(), call()];
        assert!(
            matches!(
                Instr::fuse(&second),
                Some(Instr::AddYIMovesXYXXCall {
                    copies: 3,
                    pre: AddPre { a: 255, .. },
                    ..
                })
            ),
            "y0 held as its complement"
        );
        // A Y-register add with a frame, or an X one without, has none.
        assert!(Instr::fuse(&[add(true, -32), alloc.clone(), fib_call.clone(), call()]).is_none());
        assert!(Instr::fuse(&[add(false, -16), fib_call.clone(), call()]).is_none());
        // A delta beyond 32 bits has none.
        assert!(Instr::fuse(&[add(false, 1 << 40), alloc, fib_call, call()]).is_none());
        assert!(Instr::pre_run_shape(true, &[(X, Y), (X, X)], false));
        assert!(!Instr::pre_run_shape(true, &[(X, Y), (X, X)], true));
        assert!(Instr::pre_run_shape(
            false,
            &[(Y, X), (X, Y), (Y, X), (X, X), (X, X), (Y, Y)],
            true
        ));
    }
}
