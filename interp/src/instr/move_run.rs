//! Fused runs of register moves and the call after them
//! (`enigma_vm::code::move_run`): the moves with their register files
//! fixed by the variant, then the call read from its plain copy, in one
//! dispatch.

use enigma_vm::code::move_run::{AddPre, MoveRun, MAX_MOVES};
use enigma_vm::code::{Countdown, Instr, Target};
use enigma_vm::term::Term;

use crate::cursor::Cursor;
use crate::instr::call::{callee_head, Callee};
use crate::regs::XBase;
use crate::run::{add_delta, Run, Step};
use crate::stack::{Sp, SMALL_FRAME};

/// The countdown of a fused call whose loop does not count
/// (`Run::pre_run_call` when not `P`), never ticked.
static NO_COUNT: Countdown = Countdown::new();

/// The moves of a run of shape `S` (as [`Run::move_run`]'s) under the
/// stack's top `sp`.
#[inline(always)]
fn moves_at<const S: u32, const N: usize>(xs: XBase, regs: &[u8; N], sp: Sp) {
    let n = (S >> 24) as usize;
    for k in 0..MAX_MOVES.min(n) {
        let (src, dst) = (regs[2 * k], regs[2 * k + 1]);
        let t = if S >> (2 * k) & 1 != 0 {
            sp.y8(src)
        } else {
            xs.get(usize::from(src))
        };
        if S >> (2 * k + 1) & 1 != 0 {
            sp.set_y8(dst, t)
        } else {
            xs.set(usize::from(dst), t)
        }
    }
}

/// How many of the moves of a run of shape `s` read a Y register
/// (`dst` false) or write one (`dst` true).
const fn y_moves(s: u32, dst: bool) -> u32 {
    let n = (s >> 24) as usize;
    let mut k = 0;
    let mut count = 0;
    while k < MAX_MOVES && k < n {
        count += s >> (2 * k + dst as usize) & 1;
        k += 1;
    }
    count
}

impl Run<'_> {
    /// The moves of a run of shape `S` (`enigma_vm::code::move_run::shape`:
    /// a constant, so the loop unrolls and every register file test
    /// folds away), Y registers held as their complements.
    #[inline(always)]
    pub(crate) fn move_run<const S: u32>(&mut self, xs: XBase, regs: &MoveRun) {
        let n = (S >> 24) as usize;
        for k in 0..MAX_MOVES.min(n) {
            let (src, dst) = (regs[2 * k], regs[2 * k + 1]);
            let t = if S >> (2 * k) & 1 != 0 {
                self.top().y8(src)
            } else {
                xs.get(usize::from(src))
            };
            if S >> (2 * k + 1) & 1 != 0 {
                self.top().set_y8(dst, t)
            } else {
                xs.set(usize::from(dst), t)
            }
        }
    }

    /// A fused add, moves and body call (`Instr::AddXIAllocMoves*Call`,
    /// `Instr::AddYIMoves*Call`): x`dst` = (y`a` when `Y`, else x`a`) +
    /// `delta`; when `ALLOC` the frame; the moves of shape `S` (`regs`);
    /// when `TRIM` the `Trim` before the call; then the call, `call`
    /// (target, continuation) when the fused instruction holds it,
    /// else read from the last of the `copies` (which hold its countdown
    /// in any case). The frame, the moves and the push go through one
    /// copy of the stack's top ([`Sp`]), stored once. When the sum is no
    /// small integer nothing is done, and the copies run.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn pre_run_call<
        const P: bool,
        const S: u32,
        const Y: bool,
        const ALLOC: bool,
        const TRIM: bool,
        const N: usize,
    >(
        &mut self,
        cur: &mut Cursor,
        xs: XBase,
        fused: &'static Instr,
        regs: &[u8; N],
        pre: &AddPre,
        copies: u8,
        call: Option<(Target, u64)>,
    ) -> Step {
        let (target, cont) = match call {
            Some(c) => c,
            None => {
                let (target, _, _, cont) = Cursor::call_copy(fused, copies);
                (target, cont)
            }
        };
        let trim = if TRIM {
            Cursor::trim_copy(fused, copies - 1)
        } else {
            0
        };
        let mut sp = self.top();
        let t = if Y {
            sp.y8(pre.a)
        } else {
            xs.get(usize::from(pre.a))
        };
        let Some(v) = add_delta(t, i64::from(pre.delta)) else {
            return Ok(());
        };
        xs.set(usize::from(pre.dst), v);
        cur.reduce();
        let entry = if ALLOC && y_moves(S, true) == 1 && y_moves(S, false) == 0 && pre.words == 1 {
            // The one move into a Y register writes the frame's one word
            // (its register is in the frame: `loader::frames`), and no
            // move reads the frame.
            sp = self.allocate_one_at(&mut cur.budget, sp);
            moves_at::<S, N>(xs, regs, sp);
            let Some(entry) = self.head_entry::<P>(cur, xs, target, sp, copies) else {
                return Ok(());
            };
            self.push_at(&mut cur.budget, sp, true, Term::from_raw(cont));
            entry
        } else if ALLOC && usize::from(pre.words) <= SMALL_FRAME {
            sp = self.allocate_small_at(&mut cur.budget, sp, u32::from(pre.words));
            moves_at::<S, N>(xs, regs, sp);
            let Some(entry) = self.head_entry::<P>(cur, xs, target, sp, copies) else {
                return Ok(());
            };
            self.push_at(&mut cur.budget, sp, true, Term::from_raw(cont));
            entry
        } else {
            if ALLOC {
                std::hint::cold_path();
                self.allocate_in(&mut cur.budget, u32::from(pre.words));
                sp = self.top();
            }
            moves_at::<S, N>(xs, regs, sp);
            if TRIM {
                sp = sp.trim(trim);
            }
            let Some(entry) = self.head_entry::<P>(cur, xs, target, sp, copies) else {
                return Ok(());
            };
            self.push_at(&mut cur.budget, sp, false, Term::from_raw(cont));
            entry
        };
        let count = if P {
            Cursor::call_copy(fused, copies).2
        } else {
            &NO_COUNT
        };
        self.enter_local::<P>(cur, entry, count)
    }

    /// Where a fused call enters its callee at `target`, its head test
    /// run here ([`callee_head`]) with the call's arguments in place;
    /// `None` when the callee returned at once (its result in x0). Only
    /// when the loop does not profile (the JIT counts and records the
    /// plain calls and returns; the callee's position is its anchor) and
    /// the budget is above `spend`, the reductions the caller still
    /// spends on the call and the return, so that none would have
    /// yielded between them.
    #[inline(always)]
    fn callee_entry<const P: bool>(
        cur: &Cursor,
        xs: XBase,
        target: Target,
        spend: i64,
    ) -> Option<Target> {
        if P || cur.budget <= spend {
            return Some(target);
        }
        match callee_head(cur, xs, target) {
            Callee::At(entry) => Some(entry),
            Callee::Returns => None,
        }
    }

    /// [`Run::callee_entry`] of a fused body call whose frame and moves
    /// are done at the top `sp` (not stored yet) and whose reduction is
    /// spent: when the callee returned at once, the top is stored with no
    /// continuation pushed, the return's reduction spent, and the cursor
    /// is past the `copies` (at the call's continuation).
    #[inline(always)]
    fn head_entry<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        xs: XBase,
        target: Target,
        sp: Sp,
        copies: u8,
    ) -> Option<Target> {
        let entry = Run::callee_entry::<P>(cur, xs, target, 1);
        if entry.is_none() {
            self.set_top(sp);
            cur.reduce();
            cur.skip(usize::from(copies));
        }
        entry
    }

    /// [`Run::callee_entry`] of a fused tail call: when the callee
    /// returned at once, the frame of `dealloc` words is dropped and the
    /// call's reduction spent, and the return is to make next
    /// ([`Run::ret_at`], which spends its own).
    #[inline(always)]
    fn last_head_entry<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        xs: XBase,
        target: Target,
        dealloc: u32,
    ) -> Option<Target> {
        let entry = Run::callee_entry::<P>(cur, xs, target, 2);
        if entry.is_none() {
            self.deallocate(dealloc);
            cur.reduce();
        }
        entry
    }

    /// The `Call` that is the last of the `copies` after `fused`.
    #[inline(always)]
    pub(crate) fn run_call<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        let (target, _, count, cont) = Cursor::call_copy(fused, copies);
        self.call_local::<P>(cur, target, count, cont)
    }

    /// `ListAllocXYXCall` (`fused`) once its list is taken apart (the
    /// tail stored, the head `h` still to store in its frame): the frame
    /// of `words` and the call read from the last of its four copies, its
    /// continuation pushed with the frame.
    #[inline(always)]
    pub(crate) fn run_framed_call<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        words: u32,
        head: u16,
        h: Term,
    ) -> Step {
        let (target, _, count, cont) = Cursor::call_copy(fused, 4);
        cur.reduce();
        self.allocate_and_push(&mut cur.budget, words, head, h, Term::from_raw(cont));
        self.enter_local::<P>(cur, target, count)
    }

    /// The `Trim` and `Call` that end the `copies` after `fused`.
    #[inline(always)]
    pub(crate) fn run_trim_call<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        self.deallocate(Cursor::trim_copy(fused, copies - 1));
        self.run_call::<P>(cur, fused, copies)
    }

    /// The `LoopLast` or `CallLast` that ends the `copies` after `fused`,
    /// the callee run here when it returns at once
    /// ([`Run::last_head_entry`]).
    #[inline(always)]
    pub(crate) fn run_last<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        xs: XBase,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        match *Cursor::copy(fused, copies) {
            Instr::LoopLast {
                arity,
                target,
                dealloc,
                ref count,
            } => {
                let Some(entry) = self.last_head_entry::<P>(cur, xs, target, dealloc) else {
                    return self.ret_at(cur);
                };
                self.loop_last::<P>(cur, entry, arity, dealloc, count)
            }
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ref count,
            } => {
                let Some(entry) = self.last_head_entry::<P>(cur, xs, target, dealloc) else {
                    return self.ret_at(cur);
                };
                self.call_last::<P>(cur, entry, arity, dealloc, count)
            }
            _ => {
                cur.skip(usize::from(copies) - 1);
                Ok(())
            }
        }
    }
}
