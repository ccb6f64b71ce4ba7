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
use crate::snapshot::Snapshot;

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

    /// The root recording, started at a call the function made to itself
    /// when `recursion` (see [`crate::cache::RETURNED`]).
    pub fn with_recursion(self, recursion: bool) -> Recording {
        Recording { recursion, ..self }
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
        // After a return only x0 is live.
        self.trace.snaps.push(Snapshot {
            pc,
            regs: vec![(0, v)],
            frame: None,
        });
        let empty = (self.trace.snaps.len() - 1) as u32;
        self.trace.push(Op::StoreX(0, v), Ty::None);
        self.trace.ret = Some(Ret {
            snap,
            empty,
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
        Instr::Return | Instr::MoveReturn { .. } | Instr::MoveReturnX { .. } => 0,
        Instr::DeallocateReturn { words } => words as usize,
        _ => return None,
    };
    let at = stack.len().checked_sub(below + 1)?;
    enigma_interp::code::as_cp(stack[at])
}

#[cfg(test)]
mod tests {
    use enigma_interp::seam::{trailer, untrailer, Anchor};
    use enigma_vm::code::{ArithOp, Countdown, Fail, Instr, Reg, Src};
    use enigma_vm::term::Term;

    use crate::ir::Op;
    use crate::record::{Recording, Step};
    use crate::returns;

    /// fib's anchor (an id of these tests' own: the region is global).
    fn anchor() -> Anchor {
        Anchor {
            id: 7001,
            pc: 10,
            arity: 1,
        }
    }

    fn op2(op: ArithOp, a: Src, b: Src, dst: u16) -> Instr {
        Instr::Op2 {
            op,
            fail: Fail::NONE,
            live: 1,
            a,
            b,
            dst: Reg::x(dst),
        }
    }

    /// The function trace's frames: one Y register, returning to 14
    /// (after `fib(N - 1)`) or 18 (after `fib(N - 2)`).
    fn region() -> (u64, u64) {
        let c1 = trailer(14, 1, 1, 0).unwrap();
        let c2 = trailer(18, 1, 1, 0).unwrap();
        returns::compiled(anchor(), 1, true, &[c1, c2]);
        (c1, c2)
    }

    #[test]
    fn a_return_trace_adds_and_returns_into_the_frame_below() {
        let (_, c2) = region();
        let (x, stack) = ([Term::small(3)], [Term::small(5)]);
        let mut r = Recording::returning(anchor(), &[], 18, c2);
        let add = op2(ArithOp::Add, Src::reg(Reg::y(0)), Src::reg(Reg::x(0)), 0);
        assert_eq!(r.step(18, &add, &x, &stack), Ok(Step::Continue));
        let ret = Instr::DeallocateReturn { words: 1 };
        assert_eq!(r.step(19, &ret, &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        // y0 from the buffer, x0 from memory, the sum stored to x0.
        assert!(ops.contains(&Op::LoadY(0)));
        assert!(ops.contains(&Op::LoadX(0)));
        assert!(matches!(ops.last(), Some(Op::StoreX(0, _))));
        let ret = t.ret.expect("a return");
        assert_eq!(ret.sites, returns::region(anchor()).unwrap().addr());
        // Without a return trace below, the exit resumes at the
        // `deallocate_return` with the frame pushed again.
        let snap = &t.snaps[ret.snap as usize];
        assert_eq!(snap.pc, 19);
        assert_eq!(snap.frame.map(|f| (f.words, f.set)), Some((1, 1)));
        assert_eq!(t.yield_snap, ret.snap);
        // With none below (the caller interpreted), it returns from there
        // with the frame dropped.
        let empty = &t.snaps[ret.empty as usize];
        assert_eq!(empty.frame, None);
        assert_eq!(empty.regs.len(), 1);
        assert_eq!(empty.regs[0].0, 0);
    }

    #[test]
    fn a_return_trace_calls_again_pushing_its_frame_with_the_next_continuation() {
        let (c1, _) = region();
        let (x, stack) = ([Term::small(8)], [Term::small(10)]);
        let mut r = Recording::returning(anchor(), &[], 14, c1);
        let sub = op2(
            ArithOp::Sub,
            Src::reg(Reg::y(0)),
            Src::constant(Term::small(2)),
            1,
        );
        assert_eq!(r.step(14, &sub, &x, &stack), Ok(Step::Continue));
        let save = Instr::MoveXY { src: 0, dst: 0 };
        assert_eq!(r.step(15, &save, &x, &stack), Ok(Step::Continue));
        let arg = Instr::MoveXX { src: 1, dst: 0 };
        assert_eq!(r.step(16, &arg, &x, &stack), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 1,
            target: 10,
            count: Countdown::new(),
            cont: 0,
        };
        assert_eq!(r.step(17, &call, &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        let push = t.ins.iter().find_map(|i| match i.op {
            Op::PushFrame(trailer, s) => Some((trailer, s)),
            _ => None,
        });
        let (pushed, s) = push.expect("a recursive call");
        assert_eq!(untrailer(pushed), (18, 1, 1, 0));
        assert_eq!(t.snaps[s as usize].pc, 17);
        // It ends as a side trace does: the argument at the anchor.
        let y = &t.snaps[t.yield_snap as usize];
        assert_eq!((y.pc, y.regs.len(), y.frame), (10, 1, None));
        assert!(t.ret.is_none());
    }

    #[test]
    fn a_trim_leaves_its_words_as_a_frame_without_a_continuation() {
        let shape = trailer(30, 4, 0b1110, 0).unwrap();
        let stack = [Term::small(4), Term::small(3), Term::small(2), Term::NIL];
        let x = [Term::small(1)];
        let mut r = Recording::returning(anchor(), &[], 30, shape);
        let trim = Instr::Trim {
            words: 2,
            remaining: 2,
        };
        assert_eq!(r.step(30, &trim, &x, &stack), Ok(Step::Continue));
        let read = Instr::MoveYX { src: 1, dst: 0 };
        assert_eq!(r.step(31, &read, &x, &stack[..2]), Ok(Step::Continue));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        let filler = ops.iter().find_map(|o| match *o {
            Op::PushFrame(t, _) => Some(untrailer(t)),
            _ => None,
        });
        assert_eq!(filler, Some((0, 1, 0, 0)));
        // Old y3 is y1 now, at the new base.
        assert!(ops.contains(&Op::LoadY(1)));
        // Trimming is for return traces only.
        let mut root = Recording::new(anchor(), &[], &x);
        assert!(root.step(10, &trim, &x, &stack).is_err());
    }
}
