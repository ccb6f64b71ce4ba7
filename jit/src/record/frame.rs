//! RECORD, stack frames and calls to BIFs: `allocate`/`deallocate` inside
//! one loop iteration, the Y registers of that frame, and `call_ext` of
//! `math:sqrt/1` (a `sqrtsd`).
//!
//! The frame lives in the seam's frame buffer (`Seam::y`), not on the
//! process stack: a store to a Y register is a store to the buffer and a
//! read is a load from it (the values do not occupy machine registers
//! across the iteration, and snapshots need not name them). An exit taken
//! while the frame is live tells the interpreter to push it
//! ([`Frame`]), so it finds the stack exactly as `allocate` and the stores
//! would have left it. The tail call that closes the loop drops the frame
//! (`call_last`'s deallocation), so none lives across the back edge.

use enigma_vm::code::operand::HeapNeed;
use enigma_vm::code::{Reg, Src, Target};
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use super::{Abort, Recording, Step};
use crate::ir::{Op, Ref, Ty};
use crate::snapshot::{Frame, MAX_FRAME};
use enigma_interp::seam::FRAME_WORDS;

/// The Y registers of a frame whose types are `ytys` that the trace
/// stored to, and those of them holding a float's raw bits.
fn masks(ytys: &[Option<Ty>]) -> (u64, u64) {
    let (mut set, mut floats) = (0, 0);
    for (i, ty) in ytys.iter().enumerate() {
        match ty {
            Some(Ty::Float) => {
                set |= 1 << i;
                floats |= 1 << i;
            }
            Some(_) => set |= 1 << i,
            None => {}
        }
    }
    (set, floats)
}

/// Whether `export` is `lists:reverse/1` (loaded code or a BIF: its
/// result is fixed by OTP), and not call traced (a traced call is never
/// recorded: `enigma_interp::call_trace`).
pub(super) fn is_reverse(export: &Export) -> bool {
    export.module.name() == "lists"
        && export.function.name() == "reverse"
        && export.arity == 1
        && !enigma_interp::call_trace::traced(export)
}

impl Recording {
    /// `test_heap` (and the heap part of `allocate_heap`): a heap check
    /// for its words (a float counts two), with a snapshot of its own
    /// (its exit is never a side trace's).
    pub(super) fn heap_check(&mut self, pc: Target, heap: HeapNeed) -> Result<Step, Abort> {
        if heap.funs != 0 {
            return Err("test_heap for funs".into());
        }
        // A boxed float takes two words.
        let words = heap.words.saturating_add(heap.floats.saturating_mul(2));
        self.room_check = Some(self.heap_check_words(pc, words));
        self.room = words;
        Ok(Step::Continue)
    }

    /// `allocate`: a frame of `words` Y registers, all `[]` until stored.
    /// Inside a function the trace called, that function's own frame (the
    /// inner one, above the caller's frame and its trailer in the buffer:
    /// see [`Frame::below`]).
    pub(super) fn allocate(&mut self, words: u32) -> Result<Step, Abort> {
        if self.side {
            return Err("nested stack frame".into());
        }
        if words > MAX_FRAME {
            return Err("stack frame too large".into());
        }
        match self.frame {
            None => {}
            Some(outer) if self.call.is_some() && self.outer.is_none() => {
                if (outer + 1 + words) as usize > FRAME_WORDS {
                    return Err("stack frames too large".into());
                }
                self.outer = Some((outer, std::mem::take(&mut self.ytys)));
            }
            Some(_) => return Err("nested stack frame".into()),
        }
        self.frame = Some(words);
        self.ytys = vec![None; words as usize];
        Ok(Step::Continue)
    }

    /// `deallocate` (also `call_last`'s): drops the frame the trace
    /// allocated (the inner one first).
    pub(super) fn deallocate(&mut self, words: u32) -> Result<Step, Abort> {
        if self.frame != Some(words) {
            return Err("deallocate of a frame the trace did not allocate".into());
        }
        match self.outer.take() {
            Some((outer, ytys)) => {
                self.frame = Some(outer);
                self.ytys = ytys;
            }
            None => {
                self.frame = None;
                self.ytys.clear();
            }
        }
        Ok(Step::Continue)
    }

    /// The non-tail call at `pc` of the function the trace is anchored at,
    /// with a frame live: the trace becomes a function trace
    /// ([`crate::ir::Trace::recursive`]). The call's arguments are the
    /// next iteration's; the frame stays, below the next one, with the
    /// call's continuation above it ([`Op::PushFrame`], exiting to the
    /// call when the buffer is full).
    pub(super) fn recurse(&mut self, pc: Target) -> Result<Step, Abort> {
        if self.returning {
            return self.recurse_again(pc);
        }
        if self.side || self.outer.is_some() {
            return Err("recursive call in a side trace".into());
        }
        if self.inlined
            || self
                .trace
                .ins
                .iter()
                .any(|i| matches!(i.op, Op::CallTrace(_)))
        {
            return Err("recursive call in a trace calling a trace".into());
        }
        let mut f = self.frame_state().ok_or("recursive call without a frame")?;
        f.cont = pc + 1;
        let trailer = enigma_interp::seam::trailer(f.cont, f.words, f.set, f.floats)
            .ok_or("recursive call with a frame too large")?;
        self.back_edge(pc)?;
        let snap = self.snapshot(pc);
        self.trace.push(Op::PushFrame(trailer, snap), Ty::None);
        self.trace.recursive = Some(f);
        self.frame = None;
        self.ytys.clear();
        self.yield_snapshot();
        Ok(Step::Closed)
    }

    /// The frame buffer's word of the current frame's Y register 0: an
    /// inner frame's follow the caller's and its trailer.
    fn ybase(&self) -> usize {
        self.outer.as_ref().map_or(0, |o| o.0 as usize + 1)
    }

    /// The frames a snapshot taken now materialises: inside a function
    /// the trace called, its own frame (if any) above the caller's frame
    /// and trailer, which the call left in the buffer.
    pub(super) fn frame_state(&self) -> Option<Frame> {
        let words = self.frame?;
        let (set, floats) = masks(&self.ytys);
        Some(match (&self.outer, self.call) {
            (None, None) => Frame {
                words,
                set,
                floats,
                ..Frame::default()
            },
            (None, Some(_)) => Frame {
                below: words + 1,
                ..Frame::default()
            },
            (Some((outer, _)), _) => Frame {
                words,
                set,
                floats,
                below: outer + 1,
                ..Frame::default()
            },
        })
    }

    /// The trace's own frame (below any of a function it called).
    pub(super) fn own_frame(&self) -> Option<Frame> {
        let (words, ytys) = match &self.outer {
            Some((outer, ytys)) => (*outer, ytys),
            None => (self.frame?, &self.ytys),
        };
        let (set, floats) = masks(ytys);
        Some(Frame {
            words,
            set,
            floats,
            ..Frame::default()
        })
    }

    /// The value of Y register `i`, loaded from the frame buffer.
    pub(super) fn read_y(&mut self, i: usize) -> Result<Ref, Abort> {
        let n = (self.ybase() + i) as u16;
        match self.ytys.get(i) {
            None => Err("Y register outside the trace's frame".into()),
            Some(None) => Ok(self.trace.push(Op::KTerm(Term::NIL.raw()), Ty::Term)),
            Some(Some(Ty::Float)) => Ok(self.trace.push(Op::LoadYFloat(n), Ty::Float)),
            Some(Some(_)) => Ok(self.trace.push(Op::LoadY(n), Ty::Term)),
        }
    }

    /// Stores `v` to Y register `i`: a float unboxed from a term stores
    /// that term, another float its raw bits (boxed by the interpreter if
    /// an exit leaves it there), an integer retagged.
    pub(super) fn write_y(&mut self, i: usize, v: Ref) -> Result<Step, Abort> {
        if i >= self.ytys.len() {
            return Err("Y register outside the trace's frame".into());
        }
        let v = match self.trace.ins[v as usize].op {
            Op::UnboxFloat(term, _) => term,
            _ => v,
        };
        let ty = match self.trace.ty(v) {
            Ty::Float => Ty::Float,
            _ => Ty::Term,
        };
        let n = (self.ybase() + i) as u16;
        self.trace.push(Op::StoreY(n, v), Ty::None);
        self.ytys[i] = Some(ty);
        Ok(Step::Continue)
    }

    /// `call_ext`: only `math:sqrt/1` (a BIF, not loaded code) of a
    /// number, which exits before the call when the result is not a
    /// number (a negative operand: the interpreter raises `badarith`).
    /// The call leaves only x0 defined and no float register.
    pub(super) fn call_ext(
        &mut self,
        pc: Target,
        arity: u32,
        export: &'static Export,
        x0: Term,
        depth: usize,
    ) -> Result<Step, Abort> {
        let is = |m: &str, f: &str| {
            export.module.name() == m
                && export.function.name() == f
                && arity == 1
                && export.arity == 1
        };
        if is_reverse(export) && arity == 1 {
            return self.call_reverse(pc, depth);
        }
        // The interpreter calls the BIF only while no code is loaded there.
        let bif = export.address() == 0 && export.bif().is_some();
        if !(is("math", "sqrt") && bif) {
            return Err(format!(
                "call_ext {}:{}/{}",
                export.module.name(),
                export.function.name(),
                export.arity
            ));
        }
        self.slots.truncate(1);
        self.fslots.clear();
        let v = self.float_operand(pc, Src::reg(Reg::x(0)), x0)?;
        // The BIF boxes its result (no test_heap counts it): room for it,
        // or an exit to the interpreter, which calls the BIF.
        let need = HeapNeed {
            words: 0,
            floats: 1,
            funs: 0,
        };
        self.heap_check(pc, need)?;
        let snap = self.snapshot(pc);
        let r = self.trace.push(Op::FSqrt(v, snap), Ty::Float);
        let boxed = self.boxed(r)?;
        self.write(Reg::x(0), boxed)
    }

    /// `call_ext_only lists:reverse/1` at `pc` ending a side trace with
    /// no frame (bench_nbody's `velocities([], _, Acc) ->
    /// lists:reverse(Acc)`): the call out (`Op::ListReverse`, exiting to
    /// the `call_ext_only` when it makes nothing), then an exit with x0
    /// the result where the interpreter returns, as the function would
    /// have (`Trace::leave`). Not in a root trace (it would have no
    /// loop), nor inside a function the trace called or with a frame:
    /// the continuation on top of the stack is then the trace's caller's.
    pub(super) fn reverse_only(&mut self, pc: Target) -> Result<Step, Abort> {
        if !self.side || self.returning || self.frame.is_some() || self.call.is_some() {
            return Err("call_ext_only lists:reverse/1 outside a side trace".into());
        }
        let list = self.term_operand(Src::reg(Reg::x(0)))?;
        let snap = self.snapshot(pc);
        let r = self.trace.push(Op::ListReverse(list, snap), Ty::Term);
        self.slots.clear();
        self.fslots.clear();
        self.room = 0;
        self.room_check = None;
        self.write(Reg::x(0), r)?;
        let leave = self.snapshot(pc);
        self.trace.leave = Some(leave);
        // Its values live to the end (see `regalloc`); there is no
        // reduction to count.
        self.trace.yield_snap = leave;
        Ok(Step::Closed)
    }

    /// `call_ext lists:reverse/1` at `pc`, with `depth` words on the
    /// stack: a call out to Rust (`Op::ListReverse`), exiting to the
    /// `call_ext` (as a heap exit: no side trace) when x0 is not a proper
    /// list or the heap has no room, where the interpreter runs the call.
    /// The recording skips the library's code (loaded or a BIF) up to the
    /// continuation. Like the interpreter's call, it leaves only x0
    /// defined and no heap room.
    fn call_reverse(&mut self, pc: Target, depth: usize) -> Result<Step, Abort> {
        let list = self.term_operand(Src::reg(Reg::x(0)))?;
        let snap = self.snapshot(pc);
        let r = self.trace.push(Op::ListReverse(list, snap), Ty::Term);
        self.slots.truncate(1);
        self.fslots.clear();
        self.room = 0;
        self.room_check = None;
        self.outside = Some((depth, pc + 1));
        self.write(Reg::x(0), r)
    }
}

#[cfg(test)]
mod tests {
    use enigma_vm::code::{Countdown, Fail, Instr, Reg, Src};
    use enigma_vm::term::{Heap, Term};

    use crate::ir::{Op, Ty};
    use crate::record::tests::anchor;
    use crate::record::{Recording, Step};

    /// `allocate 2`, x1 to y0, x0 (a float) to y1, a guard, reading y1
    /// back, then `call_last` dropping the frame.
    #[test]
    fn a_frame_lives_in_the_buffer_and_exits_inside_it_materialise_it() {
        let mut heap = Heap::new();
        let x = [heap.float(2.5), Term::small(3)];
        let stack = [x[0], x[1]];
        let mut r = Recording::new(anchor(), &[], &x);
        let alloc = Instr::Allocate { stack: 2, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let to_y0 = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(11, &to_y0, &x, &[]), Ok(Step::Continue));
        let to_y1 = Instr::FloadFr {
            src: Src::reg(Reg::x(0)),
            dst: 0,
        };
        assert_eq!(r.step(12, &to_y1, &x, &[]), Ok(Step::Continue));
        let store = Instr::FstoreFr {
            src: 0,
            dst: Reg::y(1),
        };
        assert_eq!(r.step(13, &store, &x, &[]), Ok(Step::Continue));
        let test = Instr::IsLt {
            fail: Fail::to(30),
            a: Src::reg(Reg::y(0)),
            b: Src::constant(Term::small(9)),
        };
        assert_eq!(r.step(14, &test, &x, &stack), Ok(Step::Continue));
        let back = Instr::MoveYX { src: 1, dst: 0 };
        assert_eq!(r.step(15, &back, &x, &stack), Ok(Step::Continue));
        let call = Instr::CallLast {
            arity: 2,
            target: 10,
            count: Countdown::new(),
            dealloc: 2,
        };
        assert_eq!(r.step(16, &call, &x, &stack), Ok(Step::Closed));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        // y0 holds the untagged integer (retagged as stored), y1 the
        // loop-carried float's raw bits.
        let stores: Vec<(u16, Ty)> = ops
            .iter()
            .filter_map(|o| match *o {
                Op::StoreY(n, v) => Some((n, t.ty(v))),
                _ => None,
            })
            .collect();
        assert_eq!(stores, vec![(0, Ty::Int), (1, Ty::Float)]);
        assert!(ops.iter().any(|o| matches!(o, Op::LoadY(0))));
        assert!(ops.iter().any(|o| matches!(o, Op::LoadYFloat(1))));
        // The guard's snapshot pushes the frame, both slots set.
        let Some(s) = ops.iter().find_map(|o| match o {
            Op::Guard(_, _, _, s) => Some(*s),
            _ => None,
        }) else {
            unreachable!()
        };
        let f = t.snaps[s as usize].frame.expect("a frame");
        assert_eq!((f.words, f.set, f.floats), (2, 0b11, 0b10));
        // The back edge runs without a frame.
        assert_eq!(t.snaps[t.yield_snap as usize].frame, None);
    }

    /// `allocate 1`, x1 to y0, a guard, then `call 2 10`: the anchor's
    /// own function, non-tail: a function trace whose frame stays below
    /// the next iteration's.
    #[test]
    fn a_recursive_call_with_a_frame_live_closes_a_function_trace() {
        let x = [Term::small(4), Term::small(7)];
        let mut r = Recording::new(anchor(), &[], &x);
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let save = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(11, &save, &x, &[]), Ok(Step::Continue));
        let test = Instr::IsEqExactImm {
            fail: Fail::to(30),
            src: Src::reg(Reg::x(0)),
            imm: Term::small(4),
        };
        assert_eq!(r.step(12, &test, &x, &[x[1]]), Ok(Step::Continue));
        let call = Instr::Call {
            arity: 2,
            target: 10,
            count: Countdown::new(),
            cont: 0,
        };
        assert_eq!(r.step(13, &call, &x, &[x[1]]), Ok(Step::Closed));
        let t = r.into_trace();
        let f = t.recursive.expect("a function trace");
        assert_eq!((f.words, f.set, f.floats, f.cont), (1, 1, 0, 14));
        let push = t.ins.iter().find_map(|i| match i.op {
            Op::PushFrame(w, s) => Some((w, s)),
            _ => None,
        });
        let (trailer, s) = push.expect("the push");
        // Its exit (no room for another frame) is at the call, inside the
        // frame; the yield at the anchor is outside it.
        assert_eq!(enigma_interp::seam::untrailer(trailer), (14, 1, 1, 0));
        assert_eq!(t.snaps[s as usize].pc, 13);
        assert_eq!(t.snaps[s as usize].frame.map(|f| f.words), Some(1));
        assert_eq!(t.snaps[t.yield_snap as usize].frame, None);
        assert_eq!(t.snaps[t.yield_snap as usize].pc, 10);
    }

    #[test]
    fn frames_must_be_dropped_by_the_closing_call_and_not_nest() {
        let x = [Term::small(1), Term::small(2)];
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        let mut r = Recording::new(anchor(), &[], &x);
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        assert!(r.step(11, &alloc, &x, &[]).is_err());
        let mut r = Recording::new(anchor(), &[], &x);
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let call = Instr::CallOnly {
            arity: 2,
            target: 10,
            count: Countdown::new(),
        };
        assert!(r.step(11, &call, &x, &[]).is_err());
        // A Y register outside the frame.
        let mut r = Recording::new(anchor(), &[], &x);
        let read = Instr::MoveYX { src: 0, dst: 1 };
        assert!(r.step(10, &read, &x, &[]).is_err());
    }

    /// `allocate`, x1 to y0, `call_ext lists:reverse/1` (the library's
    /// own instructions, above the continuation, are skipped), y0 back,
    /// and the `call_last`.
    fn reverse_loop(back_at: u32) -> Result<Step, String> {
        use enigma_vm::atom::Atom;
        use enigma_vm::term::fun::Export;
        let a = |s| Atom::intern(s).expect("atom");
        let mut heap = Heap::new();
        let x = [heap.list(&[Term::small(1), Term::small(2)]), Term::small(3)];
        let mut r = Recording::new(anchor(), &[], &x);
        let alloc = Instr::Allocate { stack: 1, live: 2 };
        assert_eq!(r.step(10, &alloc, &x, &[]), Ok(Step::Continue));
        let to_y0 = Instr::MoveXY { src: 1, dst: 0 };
        assert_eq!(r.step(11, &to_y0, &x, &[x[1]]), Ok(Step::Continue));
        let call = Instr::CallExt {
            arity: 1,
            export: Export::get_or_create(a("lists"), a("reverse"), 1),
            count: Countdown::new(),
        };
        assert_eq!(r.step(12, &call, &x, &[x[1]]), Ok(Step::Continue));
        // Inside lists: anything, even an instruction the JIT lacks.
        let inside = Instr::Return;
        let cp = Term::small(0);
        assert_eq!(r.step(500, &inside, &x, &[x[1], cp]), Ok(Step::Continue));
        let ops = r.trace.ins.len();
        let back = Instr::MoveYX { src: 0, dst: 1 };
        r.step(back_at, &back, &x, &[x[1]])?;
        assert!(r.trace.ins.len() > ops);
        let last = Instr::CallLast {
            arity: 2,
            target: 10,
            count: Countdown::new(),
            dealloc: 1,
        };
        let closed = r.step(back_at + 1, &last, &x, &[x[1]]);
        let t = r.into_trace();
        let s = t.ins.iter().find_map(|i| match i.op {
            Op::ListReverse(_, s) => Some(s),
            _ => None,
        });
        // Its exit resumes at the call, pushing the frame with y0 set.
        let snap = &t.snaps[s.expect("a call out") as usize];
        let f = snap.frame.expect("a frame");
        assert_eq!((snap.pc, f.words, f.set), (12, 1, 1));
        closed
    }

    #[test]
    fn lists_reverse_is_a_call_out_and_its_library_code_is_skipped() {
        assert_eq!(reverse_loop(13), Ok(Step::Closed));
    }

    #[test]
    fn a_call_ext_returning_elsewhere_aborts() {
        assert!(reverse_loop(14).is_err());
    }
}
