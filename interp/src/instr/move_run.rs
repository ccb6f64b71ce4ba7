//! Fused runs of register moves and the call after them
//! (`enigma_vm::code::move_run`): the moves with their register files
//! fixed by the variant, then the call read from its plain copy, in one
//! dispatch.

use enigma_vm::code::move_run::{MoveRun, MAX_MOVES};
use enigma_vm::code::Instr;
use enigma_vm::term::Term;

use crate::cursor::Cursor;
use crate::regs::XBase;
use crate::run::{Run, Step};

impl Run<'_> {
    /// The moves of a run of shape `S` (`enigma_vm::code::move_run::shape`:
    /// a constant, so the loop unrolls and every register file test
    /// folds away).
    #[inline(always)]
    pub(crate) fn move_run<const S: u32>(&mut self, xs: XBase, regs: &MoveRun) {
        let n = (S >> 24) as usize;
        for k in 0..MAX_MOVES.min(n) {
            let (src, dst) = (u16::from(regs[2 * k]), u16::from(regs[2 * k + 1]));
            let t = if S >> (2 * k) & 1 != 0 {
                self.reg_in::<true>(xs, src)
            } else {
                self.reg_in::<false>(xs, src)
            };
            if S >> (2 * k + 1) & 1 != 0 {
                self.set_in::<true>(xs, dst, t)
            } else {
                self.set_in::<false>(xs, dst, t)
            }
        }
    }

    /// The `Call` that is the last of the `copies` after `fused`.
    #[inline(always)]
    pub(crate) fn run_call<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        match *Cursor::copy(fused, copies) {
            Instr::Call {
                arity,
                target,
                ref count,
                cont,
            } => self.call_local::<P>(cur, target, arity, count, cont),
            // Not made by the loader; the moves are done, so the copies
            // from the call on are what is left.
            _ => {
                cur.skip(usize::from(copies) - 1);
                Ok(())
            }
        }
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
        match *Cursor::copy(fused, 4) {
            Instr::Call {
                arity,
                target,
                ref count,
                cont,
            } => {
                cur.reduce();
                self.allocate_and_push(&mut cur.budget, words, head, h, Term::from_raw(cont));
                self.enter_local::<P>(cur, target, arity, count)
            }
            // Not made by the loader; the list is taken apart, so the
            // frame and then the call's copy are what is left.
            _ => {
                self.allocate_in(&mut cur.budget, words);
                self.set_y(usize::from(head), h);
                cur.skip(3);
                Ok(())
            }
        }
    }

    /// The `Trim` and `Call` that end the `copies` after `fused`.
    #[inline(always)]
    pub(crate) fn run_trim_call<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        match *Cursor::copy(fused, copies - 1) {
            Instr::Trim { words, .. } => {
                self.deallocate(words);
                self.run_call::<P>(cur, fused, copies)
            }
            _ => {
                cur.skip(usize::from(copies) - 2);
                Ok(())
            }
        }
    }

    /// The `LoopLast` or `CallLast` that ends the `copies` after `fused`.
    #[inline(always)]
    pub(crate) fn run_last<const P: bool>(
        &mut self,
        cur: &mut Cursor,
        fused: &'static Instr,
        copies: u8,
    ) -> Step {
        match *Cursor::copy(fused, copies) {
            Instr::LoopLast {
                arity,
                target,
                dealloc,
                ref count,
            } => self.loop_last::<P>(cur, target, arity, dealloc, count),
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ref count,
            } => self.call_last::<P>(cur, target, arity, dealloc, count),
            _ => {
                cur.skip(usize::from(copies) - 1);
                Ok(())
            }
        }
    }
}
