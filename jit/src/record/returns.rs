//! RECORD, return traces (`crate::returns`): the `return` that ends a
//! side trace of a function trace or a return trace, and the start and
//! recursive call of a return trace.

use enigma_interp::seam::{self, Anchor};
use enigma_vm::code::instr::SelectTable;
use enigma_vm::code::{Instr, Reg, Src, Target};
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::{Op, Ty};
use crate::returns::{self, Ret};

impl Recording {
    /// Starts recording a return trace at `pc`, a recursive call's
    /// continuation of the function anchored at `anchor`, where the frame
    /// of shape `trailer` (`enigma_interp::seam::trailer`) is live in the
    /// frame buffer (a return dropped it there) and only x0 is defined,
    /// in memory.
    pub fn returning(
        anchor: Anchor,
        selects: &'static [SelectTable],
        pc: Target,
        trailer: u64,
    ) -> Recording {
        let mut r = Recording::side(anchor, selects, pc, &[]);
        let (_, words, set, floats) = seam::untrailer(trailer);
        let ty = |i: usize| match (set >> i & 1, floats >> i & 1) {
            (0, _) => None,
            (_, 1) => Some(Ty::Float),
            _ => Some(Ty::Term),
        };
        r.frame = Some(words as u32);
        r.ytys = (0..words).map(ty).collect();
        r.returning = true;
        r
    }

    /// Whether a `return` at this point ends the trace (see
    /// [`Recording::return_to_frames`]): a side trace or return trace of a function
    /// trace, not inside a function it called.
    pub(super) fn returns_here(&self) -> bool {
        self.side
            && self.call.is_none()
            && self.outer.is_none()
            && returns::region(self.anchor).is_some()
    }

    /// `return`, `deallocate_return` (dropping `dealloc` words) or
    /// `move_return` (of `src`) at `pc`, ending the trace: x0 is written
    /// and the trace returns into the return trace of the frame below, or
    /// exits to the instruction (its frame, if it still had one, pushed
    /// again).
    pub(super) fn return_to_frames(
        &mut self,
        pc: Target,
        dealloc: u32,
        src: Option<Src>,
    ) -> Result<Step, Abort> {
        let region = returns::region(self.anchor).ok_or("return without a function trace")?;
        let snap = self.snapshot(pc);
        if dealloc != 0 {
            self.deallocate(dealloc)?;
        }
        if self.frame.is_some() {
            return Err("return with a frame live".into());
        }
        if let Some(src) = src {
            let v = self.operand(src)?;
            self.write(Reg::x(0), v)?;
        }
        let v = self.operand(Src::reg(Reg::x(0)))?;
        let v = match self.trace.ty(v) {
            Ty::Float => self.boxed(v)?,
            _ => v,
        };
        self.trace.push(Op::StoreX(0, v), Ty::None);
        self.trace.ret = Some(Ret {
            snap,
            sites: region.addr(),
        });
        // Its values live to the end (see `regalloc`), where the return
        // exits; there is no reduction to count.
        self.trace.yield_snap = snap;
        Ok(Step::Closed)
    }

    /// The recursive call at `pc` in a return trace: its frame stays in
    /// the buffer with the call's trailer, and the trace jumps to the
    /// function trace with the call's arguments.
    pub(super) fn recurse_again(&mut self, pc: Target) -> Result<Step, Abort> {
        if self.outer.is_some() {
            return Err("recursive call inside a called function".into());
        }
        let f = self.frame_state().ok_or("recursive call without a frame")?;
        let trailer = seam::trailer(pc + 1, f.words, f.set, f.floats)
            .ok_or("recursive call with a frame too large")?;
        let snap = self.snapshot(pc);
        self.trace.push(Op::PushFrame(trailer, snap), Ty::None);
        self.frame = None;
        self.ytys.clear();
        self.close(pc)?;
        Ok(Step::Closed)
    }
}

impl Recording {
    /// `trim` of `words` in a return trace: the Y registers renumber from
    /// there. The dropped words stay in the buffer as a frame without a
    /// continuation, which exits and returns skip ([`Op::PushFrame`] of a
    /// trailer without one: no room exits before the `trim`).
    pub(super) fn trim(&mut self, pc: Target, words: u32) -> Result<Step, Abort> {
        if !self.returning || self.outer.is_some() || self.call.is_some() {
            return Err("unsupported Trim".into());
        }
        let frame = self.frame.ok_or("trim without a frame")?;
        if words == 0 || words > frame {
            return Err("trim beyond the frame".into());
        }
        let filler = seam::trailer(0, words - 1, 0, 0).ok_or("trim of too many words")?;
        let snap = self.snapshot(pc);
        self.trace.push(Op::PushFrame(filler, snap), Ty::None);
        self.ytys.drain(..words as usize);
        self.frame = Some(frame - words);
        Ok(Step::Continue)
    }
}

/// Where the return at `instr` goes, with the process stack `stack`: the
/// continuation on the stack (below the frame `deallocate_return` drops).
pub fn continuation(instr: &Instr, stack: &[Term]) -> Option<(u32, Target)> {
    let below = match *instr {
        Instr::Return | Instr::MoveReturn { .. } => 0,
        Instr::DeallocateReturn { words } => words as usize,
        _ => return None,
    };
    let at = stack.len().checked_sub(below + 1)?;
    enigma_interp::code::as_cp(stack[at])
}
