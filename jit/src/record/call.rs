//! RECORD, local calls into nested loops: a loop whose body calls a
//! function that is itself a compiled loop (bench_collatz's `run/2`
//! calling `steps/2`) calls that loop's trace, as LuaJIT links an outer
//! loop to an inner one's trace.
//!
//! At the `call` the recorder stores the arguments to the X registers in
//! memory ([`Op::StoreX`]) and lets the interpreter enter the callee's
//! trace, as it does for any call to an anchor with a trace. That trace
//! runs the inner loop and exits where the loop ends; the interpreter
//! resumes there, and the recorder learns which position that is from the
//! JIT's entry (`crate::nested`). The trace then has an [`Op::CallTrace`]:
//! it writes the caller's trailer (`seam::trailer`, marked
//! `seam::CALLER`) after the caller's frame in the frame buffer and runs
//! the callee with the buffer's base past both, so that every exit of the
//! callee, or of a trace it calls in turn, has the interpreter push the
//! caller's frame and the call's continuation below its own (as it
//! pushes a function trace's frames). The caller goes on only when the
//! callee leaves at that same position (any other exit leaves the outer
//! trace too: the interpreter resumes where the callee left). From there
//! the recorder follows the rest of the callee with the X registers read
//! from memory ([`Op::Reload`]), its snapshots moving the buffer's base
//! past the caller's frame and trailer (`Frame::below`) so that the
//! interpreter pushes them, up to the `return` to the caller.

use enigma_interp::seam::{Anchor, EXIT_GUARD, EXIT_RETURN};
use enigma_vm::code::{Instr, Reg, Src, Target};
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::{CallSite, Op, Ty};
use crate::snapshot::Frame;

/// Finds the root trace compiled at an anchor that a trace may call (no
/// function trace): its number, the address of its code and the words of
/// the frame buffer it uses (with the traces it calls), or why there is
/// none
/// ([`crate::cache::NO_CALLEE_TRACE`] while the anchor has no trace at
/// all).
pub(crate) type Callee = fn(Anchor) -> Result<(u32, u64, u32), &'static str>;

/// A call recorded, waiting for its callee's trace to exit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    trace: u32,
    code: u64,
    depth: usize,
    frame: Frame,
    trailer: u64,
    words: u32,
    tail: bool,
}

/// Inside a called function, after its trace exited.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Inside {
    /// The call's continuation.
    pub cont: Target,
    /// The stack's depth at the call (the continuation is above it).
    depth: usize,
}

impl Recording {
    /// `call` of `target` at `pc`, with `depth` words on the stack: its
    /// arguments go to memory, and the interpreter is to enter the
    /// callee's trace.
    pub(super) fn call_local(
        &mut self,
        pc: Target,
        arity: u32,
        target: Target,
        depth: usize,
    ) -> Result<Step, Abort> {
        if self.side {
            return Err("nested call".into());
        }
        if self
            .trace
            .ins
            .iter()
            .any(|i| matches!(i.op, Op::GuardCtx(..)))
        {
            // The callee may move a match context's position.
            return Err("call in a trace matching binaries".into());
        }
        let anchor = Anchor {
            id: self.anchor.id,
            pc: target,
            arity,
        };
        let callee = match (self.callee)(anchor) {
            Err(e) if e == crate::cache::NO_CALLEE_TRACE && self.inlines(target) => {
                return self.inline(pc, depth);
            }
            found => found?,
        };
        let mut frame = self.frame_state().ok_or("call without a frame")?;
        frame.cont = pc + 1;
        self.call_trace(pc, arity, callee, frame, depth, false)
    }

    /// A tail call (`call_last`, `call_only`) at `pc` of `target`, which
    /// has a trace, from inside a function the trace inlined or called
    /// (`self.call`): the callee returns to that call's continuation, in
    /// the trace's own frame below.
    pub(super) fn tail_call(
        &mut self,
        pc: Target,
        arity: u32,
        target: Target,
        dealloc: Option<u32>,
    ) -> Result<Step, Abort> {
        let inside = self.call.ok_or("tail call")?;
        if self.side {
            return Err("nested call".into());
        }
        if let Some(words) = dealloc {
            self.deallocate(words)?;
        }
        if self.outer.is_some() {
            return Err("tail call with the callee's frame live".into());
        }
        let anchor = Anchor {
            id: self.anchor.id,
            pc: target,
            arity,
        };
        let callee = (self.callee)(anchor)?;
        // Below the callee: the trace's own frame and the trailer the
        // call left after it, with its continuation.
        let frame = Frame {
            cont: inside.cont,
            ..self.own_frame().ok_or("call without a frame")?
        };
        self.call_trace(pc, arity, callee, frame, inside.depth, true)
    }

    /// The call at `pc` of the trace `callee` (its number, code and frame
    /// buffer words) with `frame` live below it: its arguments go to
    /// memory, and the interpreter is to enter the callee's trace. `tail`:
    /// a tail call from inside a function the trace called (see
    /// [`Recording::tail_call`]).
    fn call_trace(
        &mut self,
        pc: Target,
        arity: u32,
        (trace, code, words): (u32, u64, u32),
        frame: Frame,
        depth: usize,
        tail: bool,
    ) -> Result<Step, Abort> {
        // The callee's frames go above the caller's and its trailer in the
        // buffer.
        if (frame.below + frame.words + 1 + words) as usize > enigma_interp::seam::FRAME_WORDS {
            return Err("the called trace's frame does not fit".into());
        }
        let trailer =
            enigma_interp::seam::trailer(frame.cont, frame.words, frame.set, frame.floats)
                .ok_or("call with a frame too large")?
                | enigma_interp::seam::CALLER;
        // Floats the trace keeps unboxed are boxed for the callee: room
        // for them, or an exit to the call, where the interpreter boxes
        // them (as for any exit) and calls.
        let callee_words = words;
        let words = 2
            * (0..arity as usize)
                .filter_map(|i| self.slots.get(i).copied().flatten())
                .filter(|&v| {
                    self.trace.ty(v) == Ty::Float
                        && !matches!(self.trace.ins[v as usize].op, Op::UnboxFloat(..))
                })
                .count() as u32;
        if words > self.room {
            self.room_check = Some(self.heap_check_words(pc, words));
            self.room = words;
        }
        // The call's reduction (the callee's trace counts its tail calls).
        self.reduce(pc);
        for i in 0..arity as u16 {
            let v = self.term_operand(Src::reg(Reg::x(i)))?;
            self.trace.push(Op::StoreX(i, v), Ty::None);
        }
        crate::nested::watch();
        self.pending = Some(Pending {
            trace,
            code,
            depth,
            frame,
            trailer,
            words: callee_words,
            tail,
        });
        Ok(Step::Continue)
    }

    /// Whether a `call` of `target`, which has no trace, is followed into
    /// the callee (inlined): a function that neither loops nor calls
    /// itself (a loop's trace would come, and a recording following its
    /// iterations would unroll them), called from the trace's own frame.
    fn inlines(&self, target: Target) -> bool {
        if self.call.is_some() || self.outer.is_some() || self.returning || self.code.is_empty() {
            return false;
        }
        let Some(body) = self.code.get(target as usize..) else {
            return false;
        };
        let mut body = body
            .iter()
            .take_while(|i| !matches!(i, Instr::FuncInfo { .. }));
        !body.any(|i| match *i {
            Instr::LoopLast { .. }
            | Instr::LoopOnly { .. }
            | Instr::MoveLoopOnly { .. }
            | Instr::MoveYXLoopLast { .. } => true,
            Instr::Call { target: t, .. }
            | Instr::CallLast { target: t, .. }
            | Instr::CallOnly { target: t, .. }
            | Instr::MoveCallOnly { target: t, .. } => t == target,
            _ => false,
        })
    }

    /// `call` at `pc` (with `depth` words on the stack) of a function
    /// without a trace, inlined: the call's reduction, the trailer after
    /// the trace's frame (as a call of a trace writes it: the callee's
    /// exits push the frame and the continuation from it), and the
    /// recording goes on inside the callee, as inside a called trace's
    /// rest, up to its `return` or a tail call of a trace.
    fn inline(&mut self, pc: Target, depth: usize) -> Result<Step, Abort> {
        let f = self.frame_state().ok_or("call without a frame")?;
        let trailer = enigma_interp::seam::trailer(pc + 1, f.words, f.set, f.floats)
            .ok_or("call with a frame too large")?
            | enigma_interp::seam::CALLER;
        self.reduce(pc);
        let t = self.trace.push(Op::KTerm(trailer), Ty::Term);
        self.trace.push(Op::StoreY(f.words as u16, t), Ty::None);
        self.call = Some(Inside {
            cont: pc + 1,
            depth,
        });
        self.inlined = true;
        Ok(Step::Continue)
    }

    /// The interpreter resumed at `pc` after the call `p`: the callee's
    /// trace must have exited there, through a guard, or returned to the
    /// call's continuation (a function trace's last return, or a side
    /// trace's tail call of `lists:reverse/1`: an `EXIT_RETURN` with no
    /// frame of its own, the caller's below).
    pub(super) fn called(&mut self, p: Pending, pc: Target) -> Result<(), Abort> {
        let left = crate::nested::left().filter(|l| l.entered == p.trace);
        let Some(l) = left else {
            return Err(crate::cache::NOT_ENTERED.into());
        };
        // (The interpreter shows a fused instruction at the continuation
        // by its plain copies, which follow it.)
        let cont = p.frame.cont;
        let fused = pc == cont + 1 && self.code.get(cont as usize).is_some_and(|i| i.copies() > 0);
        let returned = l.exit == EXIT_RETURN && (pc == cont || fused);
        if !returned && (l.exit != EXIT_GUARD || l.pc != u64::from(pc)) {
            return Err("callee's trace left at a yield or heap check".into());
        }
        if l.inside {
            // Its exits there leave frames to the interpreter, which the
            // caller's code does not follow.
            return Err("callee's trace left inside its frame".into());
        }
        let k = self.trace.calls.len() as u32;
        self.trace.calls.push(CallSite {
            trace: p.trace,
            code: p.code,
            resume: pc,
            frame: p.frame,
            trailer: p.trailer,
            words: p.words,
            returns: returned,
            reads: 0,
            boxmask: l.boxmask,
        });
        self.trace.push(Op::CallTrace(k), Ty::None);
        // A call leaves no X register but what the callee wrote, no float
        // register and no heap room.
        self.slots.clear();
        self.fslots.clear();
        self.room = 0;
        self.room_check = None;
        self.reload = true;
        // After a return the trace goes on in the caller (the callee's
        // return counted its reduction: see `CallSite::returns`): its own
        // function after a tail call, else where it was. Otherwise in the
        // callee's rest, one level deep only.
        if p.tail {
            if !returned {
                return Err("tail call's callee left before its return".into());
            }
            self.call = None;
        } else if !returned {
            if self.call.is_some() {
                return Err("nested call".into());
            }
            self.call = Some(Inside {
                cont: p.frame.cont,
                depth: p.depth,
            });
        }
        Ok(())
    }

    /// X register `i` as the last callee's trace left it in memory: a
    /// float's raw bits where its exit left one when recorded (the call
    /// checks it still does), else a term.
    pub(super) fn reload_x(&mut self, i: usize) -> Result<crate::ir::Ref, Abort> {
        let site = self.trace.calls.last_mut().ok_or("no call")?;
        if i >= 64 {
            return Err("a high X register read after a call".into());
        }
        site.reads |= 1 << i;
        Ok(if site.boxmask & 1 << i != 0 {
            self.trace.push(Op::ReloadFloat(i as u16), Ty::Float)
        } else {
            self.trace.push(Op::Reload(i as u16), Ty::Term)
        })
    }

    /// The reduction of the call or the called function's `return` at
    /// `pc` (see [`Op::Reduce`]).
    pub(super) fn reduce(&mut self, pc: Target) {
        let snap = self.own_snapshot(pc);
        self.trace.push(Op::Reduce(snap), Ty::None);
    }

    /// `return` from the called function to the call's continuation.
    pub(super) fn ret(&mut self, stack: &[Term]) -> Result<Step, Abort> {
        if self.outer.is_some() {
            return Err("return with the callee's frame live".into());
        }
        let inside = self.call.take().ok_or("return")?;
        let cp = stack.last().and_then(|&t| enigma_interp::code::as_cp(t));
        if stack.len() != inside.depth + 1 || cp != Some((self.anchor.id, inside.cont)) {
            return Err("return elsewhere than the call".into());
        }
        Ok(Step::Continue)
    }
}

#[cfg(test)]
mod tests {
    use enigma_interp::seam::{Seam, EXIT_GUARD};
    use enigma_vm::code::{Countdown, Fail, Instr, Reg, Src};
    use enigma_vm::term::Term;

    use crate::ir::Op;
    use crate::record::tests::anchor;
    use crate::record::{Recording, Step};

    fn callee(a: enigma_interp::seam::Anchor) -> Result<(u32, u64, u32), &'static str> {
        (a.pc == 40)
            .then_some((7, 0x1000, 0))
            .ok_or(crate::cache::NO_CALLEE_TRACE)
    }

    fn left(trace: u32, pc: u64, boxmask: u64) {
        crate::nested::watch();
        let s = Seam {
            pc,
            exit: EXIT_GUARD,
            boxmask,
            ..crate::nested::tests::seam()
        };
        crate::nested::entered(trace, &s, s.y);
    }

    /// `allocate 1; move x1 y0; call 2 40;` (the callee's trace exits at
    /// 41) `is_eq_exact x0 1; move_return x1;` then `move y0 x1;
    /// call_last 2 10 1`.
    #[test]
    fn a_call_of_a_looping_function_calls_its_trace_and_follows_its_end() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let save = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(11, &save, &x, &[]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 40,
            count: Countdown::new(),
            cont: 0,
        };
        let stack = [x[1]];
        assert_eq!(r.step(12, &call, &x, &stack), Ok(Step::Continue));
        left(7, 41, 0);
        let inner = [stack[0], enigma_interp::code::cp(1, 13)];
        let x = [Term::small(1), Term::small(16)];
        let test = Instr::IsEqExactImm {
            fail: Fail::to(50),
            src: Src::reg(Reg::x(0)),
            imm: Term::small(1),
        };
        assert_eq!(r.step(41, &test, &x, &inner), Ok(Step::Continue));
        let ret = Instr::MoveReturn {
            src: Src::reg(Reg::x(1)),
        };
        assert_eq!(r.step(42, &ret, &x, &inner), Ok(Step::Continue));
        let x = [Term::small(16), Term::small(16)];
        let back = Instr::MoveYX { src: 0, dst: 1 };
        assert_eq!(r.step(13, &back, &x, &stack), Ok(Step::Continue));
        let close = Instr::CallLast {
            arity: 2,
            target: 10,
            count: Countdown::new(),
            dealloc: 1,
        };
        assert_eq!(r.step(14, &close, &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        let stores = ops.iter().filter(|o| matches!(o, Op::StoreX(..))).count();
        assert_eq!(stores, 2);
        assert!(ops.contains(&Op::CallTrace(0)));
        assert_eq!(t.calls[0].resume, 41);
        assert_eq!((t.calls[0].frame.words, t.calls[0].frame.cont), (1, 13));
        // The callee's registers come from memory; its guard's exit
        // pushes the frame and the continuation.
        assert!(ops.contains(&Op::Reload(0)) && ops.contains(&Op::Reload(1)));
        let s = ops
            .iter()
            .find_map(|o| match o {
                Op::Guard(_, _, _, s) => Some(*s),
                _ => None,
            })
            .filter(|&s| t.snaps[s as usize].pc == 41)
            .expect("the callee's guard");
        let f = t.snaps[s as usize].frame.map(|f| (f.words, f.below));
        assert_eq!(f, Some((0, 2)));
        let trailer = t.calls[0].trailer;
        assert_eq!(enigma_interp::seam::untrailer(trailer), (13, 1, 1, 0));
        assert_ne!(trailer & enigma_interp::seam::CALLER, 0);
        // The call and the callee's return count a reduction each, with
        // exits of their own at the call and at the return.
        let reds: Vec<u32> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Reduce(s) => Some(*s),
                _ => None,
            })
            .collect();
        let pcs: Vec<u32> = reds.iter().map(|&s| t.snaps[s as usize].pc).collect();
        assert_eq!(pcs, [12, 42]);
        for s in reds {
            let users = ops.iter().filter(|o| o.snapshot() == Some(s)).count();
            assert_eq!(users, 1);
        }
    }

    /// The callee's end allocates a frame of its own: its Y registers
    /// follow the caller's frame and trailer in the buffer, and exits
    /// inside it move the buffer's base past those (the interpreter pushes
    /// the caller's frame and the continuation from the trailer).
    #[test]
    fn the_callees_own_frame_goes_above_the_callers() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        let alloc = Instr::Allocate { stack: 2, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 40,
            count: Countdown::new(),
            cont: 0,
        };
        let stack = [Term::NIL, Term::NIL];
        assert_eq!(r.step(11, &call, &x, &stack), Ok(Step::Continue));
        left(7, 41, 0);
        let cp = enigma_interp::code::cp(1, 12);
        let inner = [stack[0], stack[1], cp];
        let own = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(41, &own, &x, &inner), Ok(Step::Continue));
        let save = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(42, &save, &x, &inner), Ok(Step::Continue));
        let framed = [stack[0], stack[1], cp, x[1]];
        let test = Instr::IsEqExactImm {
            fail: Fail::to(50),
            src: Src::reg(Reg::x(0)),
            imm: Term::small(5),
        };
        assert_eq!(r.step(43, &test, &x, &framed), Ok(Step::Continue));
        // A second frame inside the callee's does not nest further.
        assert!(r.allocate(1).is_err());
        let ret = Instr::DeallocateReturn { words: 1 };
        assert_eq!(r.step(44, &ret, &x, &framed), Ok(Step::Continue));
        let t = r.into_trace();
        assert!(t.ins.iter().any(|i| matches!(i.op, Op::StoreY(3, _))));
        let s = t
            .ins
            .iter()
            .find_map(|i| match i.op {
                Op::Guard(_, _, _, s) => Some(s),
                _ => None,
            })
            .expect("the callee's guard");
        let f = t.snaps[s as usize].frame.expect("frames");
        assert_eq!((f.words, f.set, f.floats, f.below), (1, 1, 0, 3));
        let trailer = enigma_interp::seam::untrailer(t.calls[0].trailer);
        assert_eq!(trailer, (12, 2, 0, 0));
    }

    #[test]
    fn a_float_the_callee_left_unboxed_is_read_as_one_and_checked() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 40,
            count: Countdown::new(),
            cont: 0,
        };
        assert_eq!(r.step(11, &call, &x, &[]), Ok(Step::Continue));
        // The callee's exit left x1 a raw float (boxed by the interpreter
        // before the recorder sees it).
        left(7, 41, 0b10);
        let mut heap = enigma_vm::term::Heap::new();
        let x = [Term::small(1), heap.float(2.5)];
        let fl = Instr::FloadFr {
            src: Src::reg(Reg::x(1)),
            dst: 0,
        };
        assert_eq!(r.step(41, &fl, &x, &[]), Ok(Step::Continue));
        let mv = Instr::MoveXX { src: 0, dst: 2 };
        assert_eq!(r.step(42, &mv, &x, &[]), Ok(Step::Continue));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        assert!(ops.contains(&Op::ReloadFloat(1)) && ops.contains(&Op::Reload(0)));
        assert!(!ops.iter().any(|o| matches!(o, Op::UnboxFloat(..))));
        assert_eq!((t.calls[0].reads, t.calls[0].boxmask), (0b11, 0b10));
    }

    #[test]
    fn a_callee_without_a_trace_or_not_entered_aborts() {
        let x = [Term::small(5), Term::small(0)];
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        let call = |target| Instr::Call {
            arity: 2,
            target,
            count: Countdown::new(),
            cont: 0,
        };
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let err = r.step(11, &call(30), &x, &[]).unwrap_err();
        assert_eq!(err, crate::cache::NO_CALLEE_TRACE);
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        assert_eq!(r.step(11, &call(40), &x, &[]), Ok(Step::Continue));
        // The interpreter ran the callee itself: its first instruction.
        let test = Instr::IsEqExactImm {
            fail: Fail::to(50),
            src: Src::reg(Reg::x(0)),
            imm: Term::small(1),
        };
        let err = r.step(40, &test, &x, &[]).unwrap_err();
        assert_eq!(err, crate::cache::NOT_ENTERED);
        // A call without a frame.
        let mut r = Recording::new(anchor(), &[], &x);
        r.callee = callee;
        assert!(r.step(10, &call(40), &x, &[]).is_err());
    }

    /// Code where the function at 50 neither loops nor calls itself
    /// (`is_eq_exact x0, 5; return`) and the one at 55 loops.
    fn plain_and_loop() -> &'static [Instr] {
        let mut code: Vec<Instr> = (0..60).map(|_| Instr::Return).collect();
        code[49] = Instr::FuncInfo { function: 1 };
        code[50] = Instr::IsEqExactImm {
            fail: Fail::to(30),
            src: Src::reg(Reg::x(0)),
            imm: Term::small(5),
        };
        code[54] = Instr::FuncInfo { function: 2 };
        code[56] = Instr::LoopOnly {
            arity: 2,
            target: 55,
            count: Countdown::new(),
        };
        Box::leak(code.into_boxed_slice())
    }

    /// `allocate 1; move x1 y0; call 2 50` of a function without a trace
    /// that does not loop: followed inside, its exits pushing the frame
    /// and the continuation from the trailer after the frame; its
    /// `return` goes back to the loop, which closes.
    #[test]
    fn a_call_of_a_function_that_does_not_loop_is_inlined() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x).with_code(plain_and_loop());
        r.callee = callee;
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let save = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(11, &save, &x, &[]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 50,
            count: Countdown::new(),
            cont: 0,
        };
        let stack = [x[1]];
        assert_eq!(r.step(12, &call, &x, &stack), Ok(Step::Continue));
        let inner = [stack[0], enigma_interp::code::cp(1, 13)];
        let test = plain_and_loop()[50].clone();
        assert_eq!(r.step(50, &test, &x, &inner), Ok(Step::Continue));
        assert_eq!(r.step(51, &Instr::Return, &x, &inner), Ok(Step::Continue));
        let back = Instr::MoveYX { src: 0, dst: 1 };
        assert_eq!(r.step(13, &back, &x, &stack), Ok(Step::Continue));
        let close = Instr::CallLast {
            arity: 2,
            target: 10,
            count: Countdown::new(),
            dealloc: 1,
        };
        assert_eq!(r.step(14, &close, &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        assert!(t.calls.is_empty());
        let trailer = t.ins.iter().find_map(|i| match i.op {
            Op::StoreY(1, v) => match t.ins[v as usize].op {
                Op::KTerm(w) => Some(w),
                _ => None,
            },
            _ => None,
        });
        let trailer = trailer.expect("the trailer after the frame");
        assert_eq!(enigma_interp::seam::untrailer(trailer), (13, 1, 1, 0));
        assert_ne!(trailer & enigma_interp::seam::CALLER, 0);
        let s = t
            .ins
            .iter()
            .find_map(|i| match i.op {
                Op::Guard(_, _, _, s) if t.snaps[s as usize].pc == 50 => Some(s),
                _ => None,
            })
            .expect("the callee's guard");
        let f = t.snaps[s as usize].frame.map(|f| (f.words, f.below));
        assert_eq!(f, Some((0, 2)));
    }

    #[test]
    fn a_call_of_a_looping_function_without_a_trace_waits() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x).with_code(plain_and_loop());
        r.callee = callee;
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 55,
            count: Countdown::new(),
            cont: 0,
        };
        let err = r.step(11, &call, &x, &[]).unwrap_err();
        assert_eq!(err, crate::cache::NO_CALLEE_TRACE);
    }
}
