//! RECORD, return traces (`crate::returns`): the `return` that ends a
//! side trace of a function trace or a return trace, and the start and
//! recursive call of a return trace.

use enigma_interp::seam::{self, Anchor};
use enigma_vm::code::instr::SelectTable;
use enigma_vm::code::{Instr, Reg, Src, Target};
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::backend::{Operand, Store};
use crate::ir::{Op, Ref, Ty};
use crate::returns::{self, Ret};
use crate::snapshot::Snapshot;

impl Recording {
    /// Starts recording a return trace at `pc`, a recursive call's
    /// continuation of the function anchored at `anchor`, where the frame
    /// of shape `trailer` (`enigma_interp::seam::trailer`) is live in the
    /// frame buffer (a return dropped it there) and only x0 is defined,
    /// in the register [`returns::X0`] (not in memory: the trace's exits
    /// write it).
    pub fn returning(
        anchor: Anchor,
        selects: &'static [SelectTable],
        pc: Target,
        trailer: u64,
    ) -> Recording {
        let x0 = Store {
            slot: 0,
            value: Operand::Reg(returns::X0),
            ty: Ty::Term,
        };
        let mut r = Recording::side(anchor, selects, pc, &[x0]);
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
    /// `move_return` (of `src`) at `pc`, ending the trace: the trace
    /// returns into the return trace of the frame below, x0 passed in the
    /// register [`returns::X0`], or exits to the instruction (x0 written,
    /// its frame, if it still had one, pushed again).
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

    /// A tail call (`call_last` dropping `dealloc` words, `call_only`)
    /// in a return trace of `target`, another function of the
    /// module with a function trace (bench_nrev's `app(nrev(T), [H])`):
    /// the trace ends as a side trace does, its arguments at that trace's
    /// entry, and links there (`Trace::tail`). The callee's recursion
    /// pushes its frames above the ones below, and its last return finds
    /// this trace's frame shape among its region's sites
    /// (`returns::tail_called`), so that a whole `nrev/1` stays in
    /// machine code (before, the interpreter unwound `nrev/1`'s frames
    /// and entered `app/2`'s trace once per element).
    pub(super) fn tail_call_other(
        &mut self,
        arity: u32,
        target: Target,
        dealloc: u32,
    ) -> Result<Step, Abort> {
        if self.outer.is_some() {
            return Err("tail call inside a called function".into());
        }
        let anchor = Anchor {
            id: self.anchor.id,
            pc: target,
            arity,
        };
        if returns::region(anchor).is_none() {
            return Err("tail call of a function without a function trace".into());
        }
        let (trace, _, _) = (self.callee)(anchor)?;
        if dealloc != 0 {
            self.deallocate(dealloc)?;
        }
        if self.frame.is_some() {
            return Err("tail call with a frame live".into());
        }
        let mut regs = Vec::with_capacity(arity as usize);
        for i in 0..arity as u16 {
            regs.push((i, self.operand(Src::reg(Reg::x(i)))?));
        }
        // Where the link stores the arguments, and where the trace
        // leaves when the call's reduction would spend the slice.
        self.trace.snaps.push(Snapshot {
            pc: target,
            regs,
            frame: None,
        });
        self.trace.yield_snap = (self.trace.snaps.len() - 1) as u32;
        self.trace.tail = Some(trace);
        Ok(Step::Closed)
    }
}

impl Recording {
    /// `trim` of `words` in a return trace: the Y registers renumber from
    /// there, and the words kept move down to the frame's base (a store
    /// each, its value the last one the trace stored there, else a load;
    /// none when the word below already holds it), so the frame stays one
    /// block in the buffer that its trailer follows and the returns into
    /// it find nothing to skip (before session 14 the dropped words stayed
    /// as a frame without a continuation, which every return out of the
    /// frame above walked past: 8 instructions each in binary_trees'
    /// `check/1`). Stores since the last exit to the words now past the
    /// frame go: nothing reads them.
    pub(super) fn trim(&mut self, words: u32) -> Result<Step, Abort> {
        if !self.returning || self.outer.is_some() || self.call.is_some() {
            return Err("unsupported Trim".into());
        }
        let frame = self.frame.ok_or("trim without a frame")?;
        if words == 0 || words > frame {
            return Err("trim beyond the frame".into());
        }
        let end = (frame - words) as u16;
        let mut dead = Vec::new();
        for (k, x) in self.trace.ins.iter().enumerate().rev() {
            match x.op {
                Op::StoreY(n, _) if n >= end => dead.push(k),
                Op::LoadY(_) | Op::LoadYFloat(_) => break,
                op if op.snapshot().is_some() || base_moves(op) => break,
                _ => {}
            }
        }
        let mut kept: Vec<(usize, Ref)> = Vec::new();
        for i in words as usize..frame as usize {
            if self.ytys[i].is_some() {
                kept.push((i - words as usize, self.stored_y(i)?));
            }
        }
        for k in dead {
            self.trace.ins[k].op = Op::Nop;
        }
        self.ytys.drain(..words as usize);
        self.frame = Some(frame - words);
        // Loads first: a store may overwrite a word a later one reads.
        for (i, v) in kept {
            if self.last_store(i as u16) != Some(v) {
                self.write_y(i, v)?;
            }
        }
        Ok(Step::Continue)
    }

    /// The value of Y register `i`: the last value the trace stored to it
    /// since the frame's base last moved (through a load of another Y
    /// register, the value stored there), else a load from the buffer.
    fn stored_y(&mut self, i: usize) -> Result<Ref, Abort> {
        let Some(mut v) = self.last_store(i as u16) else {
            return self.read_y(i);
        };
        if let Op::LoadY(m) = self.trace.ins[v as usize].op {
            let before = &self.trace.ins[..v as usize];
            if let Some(w) = last_store_in(before, m).filter(|&w| self.trace.ty(w) != Ty::Float) {
                v = w;
            }
        }
        Ok(v)
    }

    /// The value of the last store to Y register `n` since the frame's
    /// base last moved.
    fn last_store(&self, n: u16) -> Option<Ref> {
        last_store_in(&self.trace.ins, n)
    }
}

/// The value of the last store to Y register `n` in `ins` since the
/// frame's base last moved.
fn last_store_in(ins: &[crate::ir::Ins], n: u16) -> Option<Ref> {
    ins.iter()
        .rev()
        .find_map(|x| match x.op {
            Op::StoreY(m, v) if m == n => Some(Some(v)),
            op if base_moves(op) => Some(None),
            _ => None,
        })
        .flatten()
}

/// Whether `op` moves the frame buffer's base (or lets a called trace
/// write above it).
fn base_moves(op: Op) -> bool {
    matches!(op, Op::PushFrame(..) | Op::Loop | Op::CallTrace(_))
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
        // y0 from the buffer, x0 from its register, the sum left for
        // the return (its exits write it).
        assert!(ops.contains(&Op::LoadY(0)));
        assert_eq!(ops[0], Op::Inherit(returns::X0));
        assert!(!ops
            .iter()
            .any(|o| matches!(o, Op::LoadX(_) | Op::StoreX(..))));
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

    /// `app/2`'s function trace: trace 5 at 40 (a region of its own).
    fn app_trace(a: Anchor) -> Result<(u32, u64, u32), &'static str> {
        if (a.id, a.pc, a.arity) == (7001, 40, 2) {
            Ok((5, 0x5000, 4))
        } else {
            Err(crate::cache::NO_CALLEE_TRACE)
        }
    }

    #[test]
    fn a_return_trace_tail_calling_another_function_trace_links_to_it() {
        let (_, c2) = region();
        let app = Anchor {
            id: 7001,
            pc: 40,
            arity: 2,
        };
        returns::compiled(app, 5, true, &[trailer(44, 1, 1, 0).unwrap()]);
        let (x, stack) = ([Term::NIL, Term::NIL], [Term::small(5)]);
        let last = |target| Instr::CallLast {
            arity: 2,
            target,
            dealloc: 1,
            count: Countdown::new(),
        };
        // `test_heap 2 1; put_list y0 [] x1; call_last 2 app/2 1`.
        let mut r = Recording::returning(anchor(), &[], 17, c2);
        r.callee = app_trace;
        let put = Instr::PutList {
            head: Src::reg(Reg::y(0)),
            tail: Src::constant(Term::NIL),
            dst: Reg::x(1),
        };
        let heap = Instr::TestHeap {
            heap: enigma_vm::code::operand::HeapNeed {
                words: 2,
                ..Default::default()
            },
            live: 1,
        };
        assert_eq!(r.step(17, &heap, &x, &stack), Ok(Step::Continue));
        assert_eq!(r.step(18, &put, &x, &stack), Ok(Step::Continue));
        assert_eq!(r.step(19, &last(40), &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        assert_eq!(t.tail, Some(5));
        assert!(t.ret.is_none());
        // It ends at app/2's entry with both arguments, its frame dropped.
        let y = &t.snaps[t.yield_snap as usize];
        assert_eq!((y.pc, y.regs.len(), y.frame), (40, 2, None));
        // A function with no function trace: no link.
        let mut r = Recording::returning(anchor(), &[], 18, c2);
        r.callee = app_trace;
        assert!(r.step(19, &last(60), &x, &stack).is_err());
    }

    #[test]
    fn a_trim_moves_the_words_it_keeps_down_to_the_frames_base() {
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
        assert!(!ops.iter().any(|o| matches!(o, Op::PushFrame(..))));
        // Old y2 and y3 are loaded, then stored as y0 and y1; old y3 is
        // y1 now.
        let at = |op: Op| ops.iter().position(|&o| o == op).expect("an op");
        let (l2, l3) = (at(Op::LoadY(2)), at(Op::LoadY(3)));
        assert_eq!(ops[l3 + 1], Op::StoreY(0, l2 as u32));
        assert_eq!(ops[l3 + 2], Op::StoreY(1, l3 as u32));
        assert_eq!(ops.last(), Some(&Op::LoadY(1)));
        // Trimming is for return traces only.
        let mut root = Recording::new(anchor(), &[], &x);
        assert!(root.step(10, &trim, &x, &stack).is_err());
    }
}
