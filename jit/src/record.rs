//! RECORD: interpreter instructions to IR, with the types the interpreter
//! actually saw (DESIGN §6).
//!
//! The recorder follows one iteration of a loop, from its anchor (a
//! function entry) to the self tail call that closes it. It keeps a *slot
//! map* from X registers to the IR values they hold, as LuaJIT's recorder
//! keeps its slots: a register written in the trace is read back from the
//! map, never from memory, so the loop's state lives in machine registers
//! (store-to-load forwarding happens here, at the source). Each guard gets
//! a snapshot of the map taken before its instruction.
//!
//! Anything outside the supported subset aborts with a reason.

use enigma_interp::instr::arith::small2;
use enigma_interp::seam::Anchor;
use enigma_vm::code::instr::{AddBandLoop, SelectTable};
use enigma_vm::code::{ArithOp, Fail, Instr, Reg, Src, SrcKind, Target};
use enigma_vm::term::Term;

use crate::backend::{Operand, Store};
use crate::ir::{Cond, FOp, IntOp, Op, Ref, Trace, Ty};
use crate::snapshot::{Snapshot, F_SLOT};

mod bifs;
mod bits;
mod call;
mod frame;
mod live;
pub mod returns;
mod types;

use types::Test;

/// Longest trace recorded, in interpreter instructions.
const MAX_INSTRS: usize = 400;

/// Most guards one `select_val` may become.
const MAX_SELECT_GUARDS: usize = 8;

/// Why a recording stopped without a trace.
pub type Abort = String;

/// What one instruction did to the recording.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Go on.
    Continue,
    /// The loop closed: the trace is complete.
    Closed,
}

/// A recording in progress.
pub struct Recording {
    anchor: Anchor,
    /// A side trace: it starts with the registers its parent's exit
    /// holds; X registers the parent never wrote are loaded from memory
    /// on first read.
    side: bool,
    /// The module's operand table (`put_tuple2`'s elements).
    operands: &'static [Src],
    /// The module's instructions, which say what registers an exit's
    /// snapshot need not name (`record/live.rs`; none known when empty).
    code: &'static [Instr],
    /// Words the last `test_heap` made room for that the trace has not
    /// allocated yet.
    room: u32,
    /// The heap check that made `room`, while nothing but allocations
    /// within its room took heap since: an allocation beyond the room
    /// widens it (see [`Recording::spend`]).
    room_check: Option<Ref>,
    selects: &'static [SelectTable],
    trace: Trace,
    slots: Vec<Option<Ref>>,
    /// The float registers written in the trace (or by a side trace's
    /// parent).
    fslots: Vec<Option<Ref>>,
    /// What the trace knows of the match contexts it reads (bit syntax).
    ctxs: bits::Ctxs,
    /// The words of the stack frame the trace allocated, while it lives.
    frame: Option<u32>,
    /// Per Y register of that frame: what the trace stored there (a term
    /// or a float's raw bits), `None` before it stores.
    ytys: Vec<Option<Ty>>,
    /// While a function the trace called has a frame of its own (then
    /// `frame` and `ytys`): the caller's frame, its words and Y types.
    outer: Option<(u32, Vec<Option<Ty>>)>,
    /// Finds the root trace of a local call's target (see
    /// [`call::Callee`]).
    callee: call::Callee,
    /// A local call recorded, whose callee's trace is running.
    pending: Option<call::Pending>,
    /// Inside a callee the trace called, after its trace's exit: the
    /// call's continuation and the stack depth at the call.
    call: Option<call::Inside>,
    /// Inside a library function the trace calls out to (see
    /// `Recording::call_ext`): the stack depth at the `call_ext` and its
    /// continuation, where the recording goes on.
    outside: Option<(usize, Target)>,
    /// A callee's trace ran: X registers not in the slot map are read
    /// from memory, where its exit wrote them.
    reload: bool,
    /// A call was inlined (`Recording::inline`): no function trace.
    inlined: bool,
    /// A return trace (`record/returns.rs`): it starts in a frame the
    /// function trace left, and may call the function again.
    returning: bool,
    /// A root recording started at a recursive call (a function trace's):
    /// a `return` on its way is the recursion's end, which the next
    /// recording may well not meet ([`crate::cache::RETURNED`]).
    recursion: bool,
    count: usize,
}

impl Recording {
    /// Starts recording at `anchor` with the X registers `x` as they are
    /// on arrival: the entry loads the arguments and checks the types seen
    /// now, and the body starts with one loop-carried value per argument.
    /// `selects` is the module's `select_val` tables.
    pub fn new(anchor: Anchor, selects: &'static [SelectTable], x: &[Term]) -> Recording {
        let mut t = Trace::default();
        let entry = t.snaps.len() as u32;
        t.snaps.push(Snapshot {
            pc: anchor.pc,
            regs: Vec::new(),
            frame: None,
        });
        let arity = anchor.arity as usize;
        let mut entry_values = Vec::with_capacity(arity);
        for (i, term) in x.iter().enumerate().take(arity) {
            let load = t.push(Op::LoadX(i as u16), Ty::Term);
            entry_values.push(if term.is_small() {
                t.push(Op::Unbox(load, entry), Ty::Int)
            } else if term.as_float().is_some() {
                t.push(Op::UnboxFloat(load, entry), Ty::Float)
            } else {
                load
            });
        }
        t.push(Op::Loop, Ty::None);
        let slots = entry_values
            .into_iter()
            .map(|v| {
                let ty = t.ty(v);
                Some(t.push(Op::Phi(v), ty))
            })
            .collect();
        Recording {
            anchor,
            side: false,
            operands: &[],
            code: &[],
            room: 0,
            room_check: None,
            selects,
            trace: t,
            slots,
            fslots: Vec::new(),
            ctxs: bits::Ctxs::default(),
            frame: None,
            ytys: Vec::new(),
            outer: None,
            callee: crate::callee,
            pending: None,
            call: None,
            outside: None,
            reload: false,
            inlined: false,
            returning: false,
            recursion: false,
            count: 0,
        }
    }

    /// Starts recording a side trace at `pc`, where a hot exit of a trace
    /// anchored at `anchor` resumes. It runs once per taken exit (no
    /// loop) and ends at the tail call back to the anchor, where it jumps
    /// to the root trace's loop head or entry. It starts with what the
    /// exit holds, `inherited` (its X and float registers: values in the
    /// parent's machine registers, with their types, or constants), as
    /// its slot maps: no reload, no type check.
    pub fn side(
        anchor: Anchor,
        selects: &'static [SelectTable],
        pc: Target,
        inherited: &[Store],
    ) -> Recording {
        let mut t = Trace::default();
        let mut slots = Vec::new();
        let mut fslots = Vec::new();
        let mut regs = Vec::with_capacity(inherited.len());
        let mut seen: Vec<(Operand, bool, Ref)> = Vec::new();
        for st in inherited {
            let float = st.ty == Ty::Float;
            let v = match (st.value, st.ty) {
                (Operand::Imm(w), Ty::Int) => t.push(Op::KInt(w >> 4), Ty::Int),
                (Operand::Imm(w), Ty::Float) => t.push(Op::KFloat(w as u64), Ty::Float),
                (Operand::Imm(w), _) => match Term::from_raw(w as u64).as_small() {
                    Some(n) => t.push(Op::KInt(n), Ty::Int),
                    None => t.push(Op::KTerm(w as u64), Ty::Term),
                },
                (Operand::Reg(r), ty) => {
                    match seen.iter().find(|&&(o, f, _)| o == st.value && f == float) {
                        Some(&(_, _, v)) => v,
                        None => {
                            let v = t.push(Op::Inherit(r), ty);
                            seen.push((st.value, float, v));
                            v
                        }
                    }
                }
            };
            let (map, i) = match st.slot.checked_sub(F_SLOT) {
                Some(n) => (&mut fslots, usize::from(n)),
                None => (&mut slots, usize::from(st.slot)),
            };
            if map.len() <= i {
                map.resize(i + 1, None);
            }
            map[i] = Some(v);
            regs.push((st.slot, v));
        }
        t.snaps.push(Snapshot {
            pc,
            regs,
            frame: None,
        });
        Recording {
            anchor,
            side: true,
            operands: &[],
            code: &[],
            room: 0,
            room_check: None,
            selects,
            trace: t,
            slots,
            fslots,
            ctxs: bits::Ctxs::default(),
            frame: None,
            ytys: Vec::new(),
            outer: None,
            callee: crate::callee,
            pending: None,
            call: None,
            outside: None,
            reload: false,
            inlined: false,
            returning: false,
            recursion: false,
            count: 0,
        }
    }

    /// A side recording that starts where `known` holds (see
    /// [`crate::ir::Trace::known`]).
    pub fn with_known(mut self, known: Option<crate::ir::Known>) -> Recording {
        self.trace.known = known;
        self
    }

    /// The recording with the module's operand table, which `put_tuple2`
    /// reads its elements from.
    pub fn with_operands(self, operands: &'static [Src]) -> Recording {
        Recording { operands, ..self }
    }

    /// The recording with the module's instructions, from which its
    /// snapshots leave out the registers dead where they resume.
    pub fn with_code(self, code: &'static [Instr]) -> Recording {
        Recording { code, ..self }
    }

    /// Records `instr` at `pc`, about to run on registers `x` and an
    /// empty stack (see [`Recording::step`]).
    pub fn instr(&mut self, pc: Target, instr: &Instr, x: &[Term]) -> Result<Step, Abort> {
        self.step(pc, instr, x, &[])
    }

    /// Records `instr` at `pc`, about to run on registers `x` and the
    /// process stack `stack` (its last word is `y0`).
    pub fn step(
        &mut self,
        pc: Target,
        instr: &Instr,
        x: &[Term],
        stack: &[Term],
    ) -> Result<Step, Abort> {
        self.count += 1;
        if self.count > MAX_INSTRS {
            return Err("trace too long".into());
        }
        if let Some(p) = self.pending.take() {
            self.called(p, pc)?;
        }
        if let Some((depth, cont)) = self.outside {
            // Loaded code pushed the continuation above `depth`.
            if stack.len() > depth {
                return Ok(Step::Continue);
            }
            if pc != cont {
                return Err("call_ext returned elsewhere".into());
            }
            self.outside = None;
        }
        let seen = |s: Src| match s.kind() {
            SrcKind::X(i) => x.get(i).copied().unwrap_or(Term::NIL),
            SrcKind::Y(i) => stack
                .len()
                .checked_sub(i + 1)
                .map_or(Term::NIL, |k| stack[k]),
            SrcKind::Const(t) => t,
        };
        match *instr {
            Instr::Move { src, dst } => {
                let v = self.operand(src)?;
                self.write(dst, v)
            }
            Instr::MoveXX { src, dst } => {
                let v = self.operand(Src::reg(Reg::x(src)))?;
                self.write(Reg::x(dst), v)
            }
            Instr::AddXI { .. }
            | Instr::AddXIY { .. }
            | Instr::BandXI { .. }
            | Instr::AddYI { .. }
            | Instr::AddRR { .. }
            | Instr::AddXX { .. }
            | Instr::AddYX { .. }
            | Instr::IsEqExactXI { .. }
            | Instr::IsNeExactXI { .. }
            | Instr::IsNonemptyListX { .. }
            | Instr::IsLtXX { .. }
            | Instr::IsGeXX { .. }
            | Instr::FloadImm { .. }
            | Instr::FloadX { .. }
            | Instr::FconvX { .. }
            | Instr::GetListX { .. }
            | Instr::GetListXYX { .. }
            | Instr::MoveReturnX { .. }
            | Instr::IsLtXI { .. }
            | Instr::IsGeXI { .. }
            | Instr::IsLtIX { .. }
            | Instr::IsGeIX { .. } => {
                let general = instr.general().ok_or("not specialised")?;
                self.step(pc, &general, x, stack)
            }
            Instr::Bif1 { bif, a, dst, .. } | Instr::GcBif1 { bif, a, dst, .. } => {
                self.bif1(pc, bif, (a, seen(a)), dst)
            }
            Instr::GcBifN { bif, args, dst, .. } => {
                let srcs = self
                    .operands
                    .get(args.range())
                    .ok_or("gc_bif without its operands")?;
                let args: Vec<(Src, Term)> = srcs.iter().map(|&s| (s, seen(s))).collect();
                self.gc_bif(pc, bif, &args, dst)
            }
            Instr::Bif2 { bif, a, b, dst, .. } => {
                self.bif2(pc, bif, (a, seen(a)), (b, seen(b)), dst)
            }
            Instr::Swap { a, b } => {
                let va = self.operand(Src::reg(a))?;
                let vb = self.operand(Src::reg(b))?;
                self.write(a, vb)?;
                self.write(b, va)
            }
            Instr::MoveXY { src, dst } => {
                let v = self.operand(Src::reg(Reg::x(src)))?;
                self.write(Reg::y(dst), v)
            }
            Instr::MoveYX { src, dst } => {
                let v = self.operand(Src::reg(Reg::y(src)))?;
                self.write(Reg::x(dst), v)
            }
            Instr::Move2 { .. }
            | Instr::Move2R { .. }
            | Instr::Move2XXXX(_)
            | Instr::Move2XYXY(_)
            | Instr::Move2YXYX(_)
            | Instr::Move2XYXX(_)
            | Instr::Move2YXXX(_)
            | Instr::Move2XXYX(_)
            | Instr::Move2YXXY(_)
            | Instr::Move2XXYY(_)
            | Instr::MoveCallOnly { .. }
            | Instr::MoveLoopOnly { .. }
            | Instr::TestHeapPutList { .. }
            | Instr::TestHeapPutPair { .. }
            | Instr::GetPairXX { .. }
            | Instr::TestHeapFstore { .. }
            | Instr::TestHeapPutListYX { .. }
            | Instr::FloadImmAdd(_)
            | Instr::FloadImmSub(_)
            | Instr::FloadImmMul(_)
            | Instr::FloadImmDiv(_)
            | Instr::FloadXAdd(_)
            | Instr::FloadXSub(_)
            | Instr::FloadXMul(_)
            | Instr::FloadXDiv(_) => {
                let (first, second) = instr.unfused().ok_or("not fused")?;
                self.step(pc, &first, x, stack)?;
                self.step(pc, &second, x, stack)
            }
            Instr::Move2XYXXCall {
                moves,
                arity,
                target,
                ref count,
                cont,
            } => {
                // The call as the plain one after it (`pc + 1`), where an
                // exit taken at the call resumes with the moves done.
                self.step(pc, &Instr::Move2XYXX(moves), x, stack)?;
                let call = Instr::Call {
                    arity: arity.into(),
                    target,
                    count: count.clone(),
                    cont,
                };
                self.step(pc + 1, &call, x, stack)
            }
            Instr::AddBandLoop(ref op) => self.add_band_loop(pc, op, x, stack),
            Instr::ByteLoop(ref back) => self.step(pc, back, x, stack),
            Instr::TestHeap { heap, .. } => self.heap_check(pc, heap),
            Instr::Allocate { stack, .. } | Instr::AllocateZero { stack, .. } => {
                self.allocate(stack)
            }
            Instr::AllocateHeap { stack, heap, .. }
            | Instr::AllocateHeapZero { stack, heap, .. } => {
                self.heap_check(pc, heap)?;
                self.allocate(stack)
            }
            Instr::Deallocate { words } => self.deallocate(words),
            Instr::Trim { words, .. } => self.trim(words),
            Instr::Init { dst } => {
                let nil = self.trace.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
                self.write(dst, nil)
            }
            Instr::CallExt { arity, export, .. } => {
                self.call_ext(pc, arity, export, seen(Src::reg(Reg::x(0))), stack.len())
            }
            Instr::CallExtOnly { arity: 1, export } if frame::is_reverse(export) => {
                self.reverse_only(pc)
            }
            Instr::PutList { head, tail, dst } => {
                let h = self.term_operand(head)?;
                let t = self.term_operand(tail)?;
                self.spend(2)?;
                let c = self.trace.push(Op::Cons(h, t), Ty::Term);
                self.write(dst, c)
            }
            Instr::PutTuple2 { dst, elements } => {
                let srcs = self
                    .operands
                    .get(elements.range())
                    .ok_or("put_tuple2 without its operands")?;
                let n = srcs.len() as u32;
                if n == 0 || n >= 1 << 20 {
                    return Err("put_tuple2 of this size".into());
                }
                let mut values = Vec::with_capacity(srcs.len());
                for &src in srcs {
                    values.push(self.term_operand(src)?);
                }
                self.spend(n + 1)?;
                let t = self.trace.push(Op::AllocTuple(n), Ty::Term);
                for (i, v) in values.into_iter().enumerate() {
                    self.trace.push(Op::SetElement(t, i as u32, v), Ty::None);
                }
                self.write(dst, t)
            }
            Instr::Jump { .. } | Instr::Fclearerror | Instr::Fcheckerror => Ok(Step::Continue),
            Instr::FloadFr { src, dst } => {
                if seen(src).as_float().is_none() {
                    return Err("fmove of a non-float".into());
                }
                let v = self.float_operand(pc, src, seen(src))?;
                self.fwrite(dst, v)
            }
            Instr::Fconv { src, dst } => {
                let v = self.float_operand(pc, src, seen(src))?;
                self.fwrite(dst, v)
            }
            Instr::FstoreFr { src, dst } => {
                let v = self.fread(src)?;
                self.write(dst, v)
            }
            Instr::FmoveFr { src, dst } => {
                let v = self.fread(src)?;
                self.fwrite(dst, v)
            }
            Instr::Fadd { a, b, dst } => self.farith(pc, FOp::Add, a, b, dst),
            Instr::Fsub { a, b, dst } => self.farith(pc, FOp::Sub, a, b, dst),
            Instr::Fmul { a, b, dst } => self.farith(pc, FOp::Mul, a, b, dst),
            Instr::Fdiv { a, b, dst } => self.farith(pc, FOp::Div, a, b, dst),
            Instr::Fnegate { a, dst } => {
                let v = self.fread(a)?;
                let r = self.trace.push(Op::FNeg(v), Ty::Float);
                self.fwrite(dst, r)
            }
            Instr::IsFloat { src, .. } => self.type_test(pc, Test::Float, src, seen(src)),
            Instr::IsNumber { src, .. } => self.type_test(pc, Test::Number, src, seen(src)),
            Instr::IsAtom { src, .. } => self.type_test(pc, Test::Atom, src, seen(src)),
            Instr::Op2 { op, a, b, dst, .. } => self.op2(pc, op, (a, seen(a)), (b, seen(b)), dst),
            Instr::Op2XI {
                op, a, imm, dst, ..
            } => {
                let (a, b) = (Src::reg(Reg::x(a)), Term::small(imm));
                self.op2(pc, op, (a, seen(a)), (Src::constant(b), b), dst)
            }
            Instr::IsInteger { src, .. } => self.type_test(pc, Test::Integer, src, seen(src)),
            Instr::IsEqExactImm { src, imm, .. } | Instr::IsNeExactImm { src, imm, .. } => {
                let cond = if seen(src) == imm { Cond::Eq } else { Cond::Ne };
                self.guard_imm(pc, src, imm, cond)?;
                Ok(Step::Continue)
            }
            Instr::IsNonemptyList { src, .. } => {
                let v = self.operand(src)?;
                // An untagged integer is never a list.
                if self.trace.ty(v) == Ty::Term {
                    let snap = self.snapshot(pc);
                    let is = seen(src).is_list();
                    self.trace.push(Op::GuardList(v, is, snap), Ty::None);
                }
                Ok(Step::Continue)
            }
            Instr::IsList { src, .. } => self.type_test(pc, Test::List, src, seen(src)),
            Instr::IsNil { src, .. } => {
                let cond = if seen(src).is_nil() {
                    Cond::Eq
                } else {
                    Cond::Ne
                };
                self.guard_imm(pc, src, Term::NIL, cond)?;
                Ok(Step::Continue)
            }
            Instr::GetList { src, head, tail } => {
                let v = self.cons(pc, src, seen(src))?;
                let h = self.trace.push(Op::Head(v), Ty::Term);
                let t = self.trace.push(Op::Tail(v), Ty::Term);
                self.write(head, h)?;
                self.write(tail, t)
            }
            Instr::GetHd { src, dst } => {
                let v = self.cons(pc, src, seen(src))?;
                let h = self.trace.push(Op::Head(v), Ty::Term);
                self.write(dst, h)
            }
            Instr::GetTl { src, dst } => {
                let v = self.cons(pc, src, seen(src))?;
                let t = self.trace.push(Op::Tail(v), Ty::Term);
                self.write(dst, t)
            }
            Instr::IsTuple { src, .. } => self.type_test(pc, Test::Tuple, src, seen(src)),
            Instr::TestArity { src, arity, .. } | Instr::IsTupleOfArity { src, arity, .. } => {
                self.type_test(pc, Test::Arity(arity), src, seen(src))
            }
            Instr::GetTupleElement { src, index, dst } => {
                let n = seen(src).as_tuple().map_or(0, |t| t.len());
                if index as usize >= n {
                    return Err("get_tuple_element out of range".into());
                }
                let v = self.tuple(pc, src, seen(src), Some(n as u32))?;
                let e = self.trace.push(Op::Element(v, index), Ty::Term);
                self.write(dst, e)
            }
            Instr::SelectVal { src, table, fail } => {
                self.select_val(pc, src, seen(src), table, fail)?;
                Ok(Step::Continue)
            }
            Instr::IsLt { fail, a, b } => {
                self.compare(pc, fail, Cond::Lt, (a, seen(a)), (b, seen(b)))
            }
            Instr::IsGe { fail, a, b } => {
                self.compare(pc, fail, Cond::Ge, (a, seen(a)), (b, seen(b)))
            }
            Instr::IsEq { fail, a, b } => {
                self.compare(pc, fail, Cond::Eq, (a, seen(a)), (b, seen(b)))
            }
            Instr::IsNe { fail, a, b } => {
                self.compare(pc, fail, Cond::Ne, (a, seen(a)), (b, seen(b)))
            }
            Instr::IsEqExact { a, b, .. } | Instr::IsNeExact { a, b, .. }
                if seen(a).is_small() != seen(b).is_small()
                    && [seen(a), seen(b)]
                        .iter()
                        .all(|t| t.is_small() || t.as_float().is_some()) =>
            {
                // An integer is never exactly equal to a float: the types
                // decide.
                self.pin_type(pc, a, seen(a))?;
                self.pin_type(pc, b, seen(b))?;
                Ok(Step::Continue)
            }
            Instr::IsEqExact { fail, a, b } => {
                self.compare(pc, fail, Cond::Eq, (a, seen(a)), (b, seen(b)))
            }
            Instr::IsNeExact { fail, a, b } => {
                self.compare(pc, fail, Cond::Ne, (a, seen(a)), (b, seen(b)))
            }
            Instr::CallOnly { arity, target, .. }
            | Instr::LoopOnly { arity, target, .. }
            | Instr::CallLast {
                arity,
                target,
                dealloc: 0,
                ..
            }
            | Instr::LoopLast {
                arity,
                target,
                dealloc: 0,
                ..
            } if target == self.anchor.pc && arity == self.anchor.arity => {
                self.close(pc)?;
                Ok(Step::Closed)
            }
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ..
            }
            | Instr::LoopLast {
                arity,
                target,
                dealloc,
                ..
            } if target == self.anchor.pc && arity == self.anchor.arity => {
                self.deallocate(dealloc)?;
                self.close(pc)?;
                Ok(Step::Closed)
            }
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ..
            } if self.returning && self.call.is_none() => {
                self.tail_call_other(arity, target, dealloc)
            }
            Instr::CallOnly { arity, target, .. } if self.returning && self.call.is_none() => {
                self.tail_call_other(arity, target, 0)
            }
            Instr::CallLast {
                arity,
                target,
                dealloc,
                ..
            } if self.call.is_some() => self.tail_call(pc, arity, target, Some(dealloc)),
            Instr::CallOnly { arity, target, .. } if self.call.is_some() => {
                self.tail_call(pc, arity, target, None)
            }
            Instr::Call { arity, target, .. }
                if target == self.anchor.pc
                    && arity == self.anchor.arity
                    && self.call.is_none() =>
            {
                self.recurse(pc)
            }
            Instr::Call { arity, target, .. } => self.call_local(pc, arity, target, stack.len()),
            Instr::Return if self.returns_here() => self.return_to_frames(pc, 0, None),
            Instr::DeallocateReturn { words } if self.returns_here() => {
                self.return_to_frames(pc, words, None)
            }
            Instr::MoveReturn { src } if self.returns_here() => {
                self.return_to_frames(pc, 0, Some(src))
            }
            Instr::Return if self.call.is_some() => {
                self.reduce(pc);
                self.ret(stack)
            }
            Instr::Return | Instr::DeallocateReturn { .. } | Instr::MoveReturn { .. }
                if self.recursion && self.call.is_none() =>
            {
                Err(crate::cache::RETURNED.into())
            }
            Instr::DeallocateReturn { words } if self.call.is_some() => {
                self.reduce(pc);
                self.deallocate(words)?;
                let below = stack.len().saturating_sub(words as usize);
                self.ret(&stack[..below])
            }
            Instr::MoveReturn { src } if self.call.is_some() => {
                self.reduce(pc);
                let v = self.operand(src)?;
                self.write(Reg::x(0), v)?;
                self.ret(stack)
            }
            ref other if bits::is_match(other) => self.bits(pc, other, x),
            ref other => Err(format!("unsupported {}", name(other))),
        }
    }

    /// The finished trace, its snapshots naming only the registers live
    /// where they resume (`record/live.rs`: done once the recording is
    /// complete, so aborted recordings pay nothing for it).
    pub fn into_trace(mut self) -> Trace {
        let pcs = self.trace.snaps.iter().map(|s| s.pc);
        let (lo, hi) = (pcs.clone().min().unwrap_or(0), pcs.max().unwrap_or(0));
        let mut live = live::Liveness::new(self.code, self.operands, lo, hi);
        for s in &mut self.trace.snaps {
            live.prune(s.pc, &mut s.regs);
        }
        self.trace
    }

    /// A snapshot of the slot maps, resuming at `pc`.
    fn snapshot(&mut self, pc: Target) -> u32 {
        let xs = self.slots.iter().enumerate();
        let fs = self.fslots.iter().enumerate();
        // A float boxed in the trace is restored from the float (the
        // interpreter boxes it), so an exit does not keep the box alive.
        let unboxed = |i: usize, r: Ref| match self.trace.ins[r as usize].op {
            Op::BoxFloat(f) if i < 64 => f,
            _ => r,
        };
        let regs = xs
            .filter_map(|(i, s)| s.map(|r| (i as u16, unboxed(i, r))))
            .chain(fs.filter_map(|(i, s)| s.map(|r| (F_SLOT + i as u16, r))))
            .collect();
        let snap = Snapshot {
            pc,
            regs,
            frame: self.frame_state(),
        };
        let last = self.trace.snaps.len() as u32 - 1;
        // A heap check's or a reduction's exit is its own (see
        // `EXIT_HEAP`).
        let own =
            |i: &crate::ir::Ins| matches!(i.op, Op::HeapCheck(_, s) | Op::Reduce(s) if s == last);
        if self.trace.snaps.last() == Some(&snap) && !self.trace.ins.iter().any(own) {
            return last;
        }
        self.trace.snaps.push(snap);
        (self.trace.snaps.len() - 1) as u32
    }

    /// A snapshot resuming at `pc` that no other instruction exits
    /// through: the exit of a heap check or a reduction, never a side
    /// trace's.
    fn own_snapshot(&mut self, pc: Target) -> u32 {
        let snap = self.snapshot(pc);
        if self.shared(snap) {
            let copy = self.trace.snaps[snap as usize].clone();
            self.trace.snaps.push(copy);
            self.trace.snaps.len() as u32 - 1
        } else {
            snap
        }
    }

    /// A heap check for `words` words, exiting to the instruction at `pc`
    /// through a snapshot of its own.
    fn heap_check_words(&mut self, pc: Target, words: u32) -> Ref {
        let snap = self.own_snapshot(pc);
        self.trace.push(Op::HeapCheck(words, snap), Ty::None)
    }

    /// Whether an instruction already exits through snapshot `s`.
    fn shared(&self, s: u32) -> bool {
        self.trace.ins.iter().any(|i| i.op.snapshot() == Some(s))
    }

    /// The IR value of a source operand.
    fn operand(&mut self, s: Src) -> Result<Ref, Abort> {
        match s.kind() {
            SrcKind::X(i) => match self.slots.get(i).copied().flatten() {
                Some(r) => Ok(r),
                None if self.side => {
                    let r = self.trace.push(Op::LoadX(i as u16), Ty::Term);
                    self.write(Reg::x(i as u16), r)?;
                    Ok(r)
                }
                None if self.reload => {
                    let r = self.reload_x(i)?;
                    self.write(Reg::x(i as u16), r)?;
                    Ok(r)
                }
                None => Err(format!("x{i} read before written in the loop")),
            },
            SrcKind::Y(i) => self.read_y(i),
            SrcKind::Const(t) => Ok(match t.as_small() {
                Some(v) => self.trace.push(Op::KInt(v), Ty::Int),
                None => self.trace.push(Op::KTerm(t.raw()), Ty::Term),
            }),
        }
    }

    /// The operand as an untagged integer, guarding its type when it is a
    /// term (the caller saw a small integer there).
    fn int_operand(&mut self, pc: Target, s: Src) -> Result<Ref, Abort> {
        let v = self.operand(s)?;
        match self.trace.ty(v) {
            Ty::Int => Ok(v),
            Ty::Float => Err("integer operand holds a float".into()),
            _ => {
                let snap = self.snapshot(pc);
                let u = self.trace.push(Op::Unbox(v, snap), Ty::Int);
                if let Some(i) = s.as_reg().filter(|r| !r.is_y()).map(Reg::index) {
                    self.slots[i] = Some(u);
                }
                Ok(u)
            }
        }
    }

    /// The operand, a number the interpreter saw as `seen`, as a float:
    /// a small integer converted, a boxed float unboxed (its type guarded
    /// once: the slot then holds the unboxed value).
    fn float_operand(&mut self, pc: Target, s: Src, seen: Term) -> Result<Ref, Abort> {
        if seen.is_small() {
            let i = self.int_operand(pc, s)?;
            return Ok(self.trace.push(Op::IntToFloat(i), Ty::Float));
        }
        let Some(f) = seen.as_float() else {
            return Err("float operation on a non-number".into());
        };
        if let SrcKind::Const(_) = s.kind() {
            return Ok(self.trace.push(Op::KFloat(f.to_bits()), Ty::Float));
        }
        let v = self.operand(s)?;
        if let Op::BoxFloat(f) = self.trace.ins[v as usize].op {
            return Ok(f);
        }
        match self.trace.ty(v) {
            Ty::Float => Ok(v),
            Ty::Term => {
                let snap = self.snapshot(pc);
                let u = self.trace.push(Op::UnboxFloat(v, snap), Ty::Float);
                if let Some(i) = s.as_reg().filter(|r| !r.is_y()).map(Reg::index) {
                    self.slots[i] = Some(u);
                }
                Ok(u)
            }
            _ => Err("float operand holds an integer".into()),
        }
    }

    /// The operand as a term: an integer retagged, a float boxed on the
    /// heap (room the last `test_heap` made).
    fn term_operand(&mut self, s: Src) -> Result<Ref, Abort> {
        let v = self.operand(s)?;
        self.boxed(v)
    }

    /// `v` as a term (see [`Recording::term_operand`]).
    fn boxed(&mut self, v: Ref) -> Result<Ref, Abort> {
        // A float unboxed from a term is that term: no new box.
        if let Op::UnboxFloat(term, _) = self.trace.ins[v as usize].op {
            return Ok(term);
        }
        Ok(match self.trace.ty(v) {
            Ty::Int => self.trace.push(Op::Box(v), Ty::Term),
            Ty::Float => {
                self.spend(2)?;
                self.trace.push(Op::BoxFloat(v), Ty::Term)
            }
            _ => v,
        })
    }

    /// Takes `words` of the room the last `test_heap` made. Beyond it
    /// (a return trace boxing the raw floats of the frame it returns
    /// into, which the interpreter boxed at `fmove`s into Y registers,
    /// under an earlier heap check), that check is widened by the words
    /// missing: the trace runs straight from it to here, and a widened
    /// check failing only exits earlier, at its `test_heap`, where the
    /// interpreter collects if it must.
    fn spend(&mut self, words: u32) -> Result<(), Abort> {
        if let Some(missing) = words.checked_sub(self.room).filter(|&m| m > 0) {
            let check = self
                .room_check
                .ok_or("allocation beyond the last test_heap")?;
            let Op::HeapCheck(w, _) = &mut self.trace.ins[check as usize].op else {
                return Err("room_check names no heap check".into());
            };
            *w = w.checked_add(missing).ok_or("heap check too large")?;
            self.room = words;
        }
        self.room -= words;
        Ok(())
    }

    /// The value of float register `n`.
    fn fread(&mut self, n: u16) -> Result<Ref, Abort> {
        let n = usize::from(n);
        match self.fslots.get(n).copied().flatten() {
            Some(r) => Ok(r),
            None => Err(format!("fr{n} read before written in the trace")),
        }
    }

    fn fwrite(&mut self, n: u16, v: Ref) -> Result<Step, Abort> {
        let i = usize::from(n);
        if i >= usize::from(F_SLOT) {
            return Err("float register out of range".into());
        }
        if self.fslots.len() <= i {
            self.fslots.resize(i + 1, None);
        }
        self.fslots[i] = Some(v);
        Ok(Step::Continue)
    }

    /// `fadd`, `fsub`, `fmul`, `fdiv`: exits before the instruction when
    /// the result is not finite, where the interpreter raises `badarith`.
    fn farith(&mut self, pc: Target, op: FOp, a: u16, b: u16, dst: u16) -> Result<Step, Abort> {
        let va = self.fread(a)?;
        let vb = self.fread(b)?;
        let snap = self.snapshot(pc);
        let r = self
            .trace
            .push(Op::FArith(op, va, vb, Some(snap)), Ty::Float);
        self.fwrite(dst, r)
    }

    fn write(&mut self, dst: Reg, v: Ref) -> Result<Step, Abort> {
        if dst.is_y() {
            return self.write_y(dst.index(), v);
        }
        let i = dst.index();
        if self.slots.len() <= i {
            self.slots.resize(i + 1, None);
        }
        self.slots[i] = Some(v);
        Ok(Step::Continue)
    }

    /// `AddBandLoop` as its three instructions, each seeing the registers
    /// the ones before it wrote (their guards' exits run the whole
    /// instruction again, which the loader made safe: the add's result is
    /// neither of its operands).
    fn add_band_loop(
        &mut self,
        pc: Target,
        op: &AddBandLoop,
        x: &[Term],
        stack: &[Term],
    ) -> Result<Step, Abort> {
        let [add, band, tail] = op.unfused();
        let reg = |r: u8| usize::from(r);
        let mut seen = x.to_vec();
        let (a, b) = (seen.get(reg(op.a)), seen.get(reg(op.b)));
        let sum = a
            .zip(b)
            .and_then(|(&a, &b)| small2(op.op, a, b))
            .ok_or("fused add off small integers")?;
        let masked = Term::from_raw(sum.raw() & op.tagged_mask() as u64);
        self.step(pc, &add, &seen, stack)?;
        if let Some(s) = seen.get_mut(reg(op.sum)) {
            *s = sum;
        }
        self.step(pc, &band, &seen, stack)?;
        if let Some(d) = seen.get_mut(reg(op.band_dst)) {
            *d = masked;
        }
        self.step(pc, &tail, &seen, stack)
    }

    fn op2(
        &mut self,
        pc: Target,
        op: ArithOp,
        (a, ta): (Src, Term),
        (b, tb): (Src, Term),
        dst: Reg,
    ) -> Result<Step, Abort> {
        let number = |t: Term| t.is_small() || t.as_float().is_some();
        let fop = match op {
            ArithOp::Add => Some(FOp::Add),
            ArithOp::Sub => Some(FOp::Sub),
            ArithOp::Mul => Some(FOp::Mul),
            _ => None,
        };
        if let Some(fop) = fop.filter(|_| !(ta.is_small() && tb.is_small())) {
            if !(number(ta) && number(tb)) {
                return Err(format!("{op:?} not on small integers or floats"));
            }
            // Mixed operands: the interpreter converts the integer.
            let va = self.float_operand(pc, a, ta)?;
            let vb = self.float_operand(pc, b, tb)?;
            let snap = self.snapshot(pc);
            let r = self
                .trace
                .push(Op::FArith(fop, va, vb, Some(snap)), Ty::Float);
            return self.write(dst, r);
        }
        if small2(op, ta, tb).is_none_or(|r| !r.is_small()) {
            return Err(format!("{op:?} not on small integers"));
        }
        let k = || u8::try_from(tb.small_value()).ok();
        let iop = match op {
            ArithOp::Add => IntOp::Add,
            ArithOp::Sub => IntOp::Sub,
            ArithOp::Mul => IntOp::Mul,
            ArithOp::Band => IntOp::And,
            ArithOp::Bor => IntOp::Or,
            ArithOp::Bxor => IntOp::Xor,
            ArithOp::Div => IntOp::Div,
            ArithOp::Rem => IntOp::Rem,
            ArithOp::Bsl if !b.is_reg() => IntOp::Shl(k().filter(|&k| k < 60).ok_or("bsl")?),
            ArithOp::Bsr if !b.is_reg() => IntOp::Sar(k().filter(|&k| k < 64).ok_or("bsr")?),
            other => return Err(format!("operator {other:?}")),
        };
        let va = self.int_operand(pc, a)?;
        let vb = self.int_operand(pc, b)?;
        let snap = iop.can_overflow().then(|| self.snapshot(pc));
        let r = self.trace.push(Op::Arith(iop, va, vb, snap), Ty::Int);
        self.write(dst, r)
    }

    /// The operand, a cons the interpreter saw as `seen`, guarded to be
    /// one (the guard pass drops it after `is_nonempty_list`).
    fn cons(&mut self, pc: Target, src: Src, seen: Term) -> Result<Ref, Abort> {
        if !seen.is_list() {
            return Err("get_list on a non-list".into());
        }
        let v = self.operand(src)?;
        let snap = self.snapshot(pc);
        self.trace.push(Op::GuardList(v, true, snap), Ty::None);
        Ok(v)
    }

    /// The operand, guarded to be a tuple (of `arity`), which the
    /// interpreter saw it is.
    fn tuple(
        &mut self,
        pc: Target,
        src: Src,
        seen: Term,
        arity: Option<u32>,
    ) -> Result<Ref, Abort> {
        let fits = seen
            .as_tuple()
            .is_some_and(|t| arity.is_none_or(|a| t.len() == a as usize));
        if !fits {
            return Err("tuple test that fails".into());
        }
        if arity.is_some_and(|a| a >= 1 << 20) {
            return Err("tuple too large".into());
        }
        let v = self.operand(src)?;
        let snap = self.snapshot(pc);
        self.trace.push(Op::GuardTuple(v, arity, snap), Ty::None);
        Ok(v)
    }

    /// Guards `src cond imm` (`Eq` or `Ne`) for an immediate `imm`.
    fn guard_imm(&mut self, pc: Target, src: Src, imm: Term, cond: Cond) -> Result<(), Abort> {
        let v = self.operand(src)?;
        let k = match (self.trace.ty(v), imm.as_small()) {
            (Ty::Int, Some(n)) => self.trace.push(Op::KInt(n), Ty::Int),
            // An untagged integer is never an immediate of another kind, a
            // float never an immediate (the interpreter saw it differ).
            (Ty::Int, None) | (Ty::Float, _) => return Ok(()),
            _ => self.trace.push(Op::KTerm(imm.raw()), Ty::Term),
        };
        let snap = self.snapshot(pc);
        self.trace.push(Op::Guard(cond, v, k, snap), Ty::None);
        Ok(())
    }

    /// `select_val` on an immediate the interpreter saw as `v`: guards
    /// that the value is the key it matched, or none of the keys that lead
    /// elsewhere than `fail`.
    fn select_val(
        &mut self,
        pc: Target,
        src: Src,
        v: Term,
        table: u32,
        fail: Fail,
    ) -> Result<(), Abort> {
        let keys: Vec<(u64, Option<Target>)> = match self.selects.get(table as usize) {
            Some(SelectTable::Jump { min, targets }) => targets
                .iter()
                .enumerate()
                .map(|(i, t)| (Term::small(min + i as i64).raw(), *t))
                .collect(),
            Some(SelectTable::Sorted { keys, targets }) => keys
                .iter()
                .zip(targets.iter())
                .map(|(k, t)| (*k, Some(*t)))
                .collect(),
            // Boxed keys never equal a small integer.
            Some(SelectTable::Linear { .. }) if v.is_small() => Vec::new(),
            _ => return Err("select_val on boxed keys".into()),
        };
        if !(v.is_small() || v.is_atom() || v.is_nil()) {
            return Err("select_val on a boxed value".into());
        }
        let hit = keys.iter().any(|&(k, t)| k == v.raw() && t.is_some());
        let checks: Vec<(Cond, u64)> = if hit {
            vec![(Cond::Eq, v.raw())]
        } else {
            keys.iter()
                .filter(|&&(_, t)| t.is_some() && t != fail.target())
                .map(|&(k, _)| (Cond::Ne, k))
                .collect()
        };
        if checks.len() > MAX_SELECT_GUARDS {
            return Err("select_val with many keys".into());
        }
        for (cond, k) in checks {
            self.guard_imm(pc, src, Term::from_raw(k), cond)?;
        }
        Ok(())
    }

    /// A compare-and-branch of two small integers, or of two numbers one
    /// of which is a float (as doubles, the integer converted: guarded
    /// within ±2^53, where that is exact); the guard keeps the direction
    /// the interpreter takes now. (`=:=`/`=/=` of an integer and a float
    /// never come here.)
    fn compare(
        &mut self,
        pc: Target,
        fail: Fail,
        cond: Cond,
        (a, ta): (Src, Term),
        (b, tb): (Src, Term),
    ) -> Result<Step, Abort> {
        if fail.target().is_none() {
            return Err("test without a failure label".into());
        }
        let as_f64 = |t: Term| {
            t.as_float()
                .or_else(|| t.as_small().filter(|i| i.abs() < 1 << 53).map(|i| i as f64))
        };
        let float = ta.as_float().is_some() || tb.as_float().is_some();
        if let (Some(x), Some(y), true) = (as_f64(ta), as_f64(tb), float) {
            // Floats compare as IEEE doubles (never NaN; 0.0 and -0.0 are
            // equal, also exactly, in OTP 25).
            let va = self.exact_float(pc, a, ta)?;
            let vb = self.exact_float(pc, b, tb)?;
            let cond = if cond.eval_f(x, y) {
                cond
            } else {
                cond.negate()
            };
            let snap = self.snapshot(pc);
            self.trace.push(Op::FGuard(cond, va, vb, snap), Ty::None);
            return Ok(Step::Continue);
        }
        let (Some(x), Some(y)) = (ta.as_small(), tb.as_small()) else {
            return Err("comparison of non-small terms".into());
        };
        let va = self.int_operand(pc, a)?;
        let vb = self.int_operand(pc, b)?;
        let cond = if cond.eval(x, y) { cond } else { cond.negate() };
        let snap = self.snapshot(pc);
        self.trace.push(Op::Guard(cond, va, vb, snap), Ty::None);
        Ok(Step::Continue)
    }

    /// The operand as a float, for a comparison: a small integer (the
    /// interpreter saw one within ±2^53) guarded to stay within, so its
    /// conversion is exact.
    fn exact_float(&mut self, pc: Target, s: Src, seen: Term) -> Result<Ref, Abort> {
        if !seen.is_small() {
            return self.float_operand(pc, s, seen);
        }
        let i = self.int_operand(pc, s)?;
        for (cond, bound) in [(Cond::Lt, 1 << 53), (Cond::Ge, -(1 << 53))] {
            let k = self.trace.push(Op::KInt(bound), Ty::Int);
            let snap = self.snapshot(pc);
            self.trace.push(Op::Guard(cond, i, k, snap), Ty::None);
        }
        Ok(self.trace.push(Op::IntToFloat(i), Ty::Float))
    }

    /// The tail call back to the anchor: the arguments become the next
    /// iteration's loop-carried values, in the types the body expects.
    fn close(&mut self, pc: Target) -> Result<(), Abort> {
        if self.frame.is_some() {
            return Err("tail call with a frame live".into());
        }
        if self.side {
            return self.close_side();
        }
        self.back_edge(pc)?;
        self.yield_snapshot();
        Ok(())
    }

    /// The next iteration's loop-carried values: the arguments of the call
    /// at `pc` that closes the loop, in the types the body expects.
    fn back_edge(&mut self, pc: Target) -> Result<(), Abort> {
        let phis: Vec<Ref> = self
            .trace
            .ins
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.op, Op::Phi(_)))
            .map(|(r, _)| r as Ref)
            .collect();
        let mut back = Vec::with_capacity(phis.len());
        for (i, &phi) in phis.iter().enumerate() {
            let v = self
                .slots
                .get(i)
                .copied()
                .flatten()
                .ok_or("argument not set at the back edge")?;
            let v = match (self.trace.ty(phi), self.trace.ty(v)) {
                (Ty::Int, Ty::Term) => {
                    let snap = self.snapshot(pc);
                    self.trace.push(Op::Unbox(v, snap), Ty::Int)
                }
                (Ty::Float, Ty::Term) => {
                    let snap = self.snapshot(pc);
                    self.trace.push(Op::UnboxFloat(v, snap), Ty::Float)
                }
                (Ty::Term, Ty::Int | Ty::Float) => self.boxed(v)?,
                (p, n) if p == n => v,
                _ => return Err("argument type changes in the loop".into()),
            };
            back.push((phi, v));
        }
        self.trace.back = back;
        Ok(())
    }

    /// The snapshot the back edge leaves through when the reductions run
    /// out: at the anchor, with the loop-carried values.
    fn yield_snapshot(&mut self) {
        let phis = self
            .trace
            .ins
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.op, Op::Phi(_)))
            .map(|(r, _)| r as Ref);
        let regs = (0..self.anchor.arity as u16).zip(phis).collect();
        self.trace.snaps.push(Snapshot {
            pc: self.anchor.pc,
            regs,
            frame: None,
        });
        self.trace.yield_snap = (self.trace.snaps.len() - 1) as u32;
    }
}

impl Recording {
    /// The end of a side trace: the arguments are what the link to the
    /// root trace's entry stores (the yield snapshot, also taken when the
    /// reductions run out here).
    fn close_side(&mut self) -> Result<(), Abort> {
        let mut regs = Vec::new();
        for i in 0..self.anchor.arity as u16 {
            regs.push((i, self.operand(Src::reg(Reg::x(i)))?));
        }
        self.trace.snaps.push(Snapshot {
            pc: self.anchor.pc,
            regs,
            frame: None,
        });
        self.trace.yield_snap = (self.trace.snaps.len() - 1) as u32;
        Ok(())
    }
}

/// An instruction's name for abort reasons: its variant name, the start
/// of its `Debug` form. The formatting stops there: an instruction's
/// whole form can be thousands of characters (`bs_create_bin`'s
/// segments), which cost an aborted recording more than the recording.
fn name(i: &Instr) -> String {
    struct Head(String);
    impl std::fmt::Write for Head {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            match s.find([' ', '{', '(']) {
                Some(end) => {
                    self.0.push_str(&s[..end]);
                    Err(std::fmt::Error)
                }
                None => {
                    self.0.push_str(s);
                    Ok(())
                }
            }
        }
    }
    let mut head = Head(String::new());
    // The error is the writer's own stop at the name's end.
    let _ = std::fmt::write(&mut head, format_args!("{i:?}"));
    match head.0.is_empty() {
        true => "?".to_string(),
        false => head.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enigma_vm::code::Countdown;

    fn op2(op: ArithOp, a: Src, b: Src, dst: u16) -> Instr {
        Instr::Op2 {
            op,
            fail: Fail::NONE,
            live: 2,
            a,
            b,
            dst: Reg::x(dst),
        }
    }

    /// The anchor the recorder tests record at: pc 10, arity 2.
    pub(in crate::record) fn anchor() -> Anchor {
        Anchor {
            id: 1,
            pc: 10,
            arity: 2,
        }
    }

    #[test]
    fn sum_loop_records_guards_arith_and_the_back_edge() {
        let x = [Term::small(5), Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let zero = Term::small(0);
        let i = Instr::IsEqExactImm {
            fail: Fail::to(20),
            src: Src::reg(Reg::x(0)),
            imm: zero,
        };
        assert_eq!(r.instr(10, &i, &x), Ok(Step::Continue));
        let sub = op2(
            ArithOp::Sub,
            Src::reg(Reg::x(0)),
            Src::constant(Term::small(1)),
            2,
        );
        assert_eq!(r.instr(20, &sub, &x), Ok(Step::Continue));
        let mv = Instr::MoveXX { src: 2, dst: 0 };
        assert_eq!(r.instr(21, &mv, &x), Ok(Step::Continue));
        let call = Instr::LoopOnly {
            arity: 2,
            target: 10,
            count: Countdown::new(),
        };
        assert_eq!(r.instr(22, &call, &x), Ok(Step::Closed));
        let t = r.into_trace();
        assert_eq!(t.back.len(), 2);
        assert!(t
            .ins
            .iter()
            .any(|i| matches!(i.op, Op::Guard(Cond::Ne, ..))));
        assert!(t
            .ins
            .iter()
            .any(|i| matches!(i.op, Op::Arith(IntOp::Sub, _, _, Some(_)))));
        assert_eq!(t.snaps[t.yield_snap as usize].pc, 10);
    }

    #[test]
    fn list_traversal_guards_the_cons_once_and_loads_head_and_tail() {
        let mut heap = enigma_vm::term::Heap::new();
        let list = heap.cons(Term::small(1), Term::NIL);
        let x = [list, Term::small(0)];
        let mut r = Recording::new(anchor(), &[], &x);
        let src = Src::reg(Reg::x(0));
        let test = Instr::IsNonemptyList {
            fail: Fail::to(30),
            src,
        };
        assert_eq!(r.instr(10, &test, &x), Ok(Step::Continue));
        let get = Instr::GetList {
            src,
            head: Reg::x(2),
            tail: Reg::x(0),
        };
        assert_eq!(r.instr(11, &get, &x), Ok(Step::Continue));
        let mut t = r.into_trace();
        let count = |t: &Trace, f: fn(&Op) -> bool| t.ins.iter().filter(|i| f(&i.op)).count();
        assert_eq!(count(&t, |o| matches!(o, Op::Head(_))), 1);
        assert_eq!(count(&t, |o| matches!(o, Op::Tail(_))), 1);
        assert_eq!(count(&t, |o| matches!(o, Op::GuardList(_, true, _))), 2);
        crate::opt::guards::run(&mut t);
        assert_eq!(count(&t, |o| matches!(o, Op::GuardList(_, true, _))), 1);
    }

    #[test]
    fn unsupported_instructions_and_non_small_operands_abort() {
        let x = [Term::small(5), Term::NIL];
        let mut r = Recording::new(anchor(), &[], &x);
        let add = op2(ArithOp::Add, Src::reg(Reg::x(0)), Src::reg(Reg::x(1)), 2);
        assert!(r.instr(10, &add, &x).is_err());
        assert!(r.instr(11, &Instr::Return, &x).is_err());
        let rd = Instr::MoveXX { src: 7, dst: 0 };
        assert!(r.instr(12, &rd, &x).is_err());
    }

    #[test]
    fn abort_reasons_name_the_instruction() {
        assert_eq!(name(&Instr::Return), "Return");
        assert_eq!(name(&Instr::MoveXX { src: 7, dst: 0 }), "MoveXX");
    }

    #[test]
    fn float_loops_keep_floats_unboxed_and_snapshot_float_registers() {
        let mut heap = enigma_vm::term::Heap::new();
        let x = [Term::small(5), heap.float(0.5)];
        let mut r = Recording::new(anchor(), &[], &x);
        let conv = Instr::Fconv {
            src: Src::reg(Reg::x(0)),
            dst: 0,
        };
        assert_eq!(r.instr(10, &conv, &x), Ok(Step::Continue));
        let load = Instr::FloadFr {
            src: Src::reg(Reg::x(1)),
            dst: 1,
        };
        assert_eq!(r.instr(11, &load, &x), Ok(Step::Continue));
        let mul = Instr::Fmul { a: 0, b: 1, dst: 0 };
        assert_eq!(r.instr(12, &mul, &x), Ok(Step::Continue));
        let store = Instr::FstoreFr {
            src: 0,
            dst: Reg::x(1),
        };
        assert_eq!(r.instr(13, &store, &x), Ok(Step::Continue));
        let call = Instr::LoopOnly {
            arity: 2,
            target: 10,
            count: Countdown::new(),
        };
        assert_eq!(r.instr(14, &call, &x), Ok(Step::Closed));
        let t = r.into_trace();
        // The entry unboxes x1 once; the body converts x0 and multiplies.
        let count = |f: fn(&Op) -> bool| t.ins.iter().filter(|i| f(&i.op)).count();
        assert_eq!(count(|o| matches!(o, Op::UnboxFloat(..))), 1);
        assert_eq!(count(|o| matches!(o, Op::IntToFloat(_))), 1);
        assert_eq!(count(|o| matches!(o, Op::FArith(FOp::Mul, ..))), 1);
        // The multiplication's snapshot names both float registers.
        let Some(Op::FArith(_, _, _, Some(s))) = t
            .ins
            .iter()
            .map(|i| i.op)
            .find(|o| matches!(o, Op::FArith(..)))
        else {
            unreachable!()
        };
        let slots: Vec<u16> = t.snaps[s as usize].regs.iter().map(|e| e.0).collect();
        assert_eq!(slots, vec![0, 1, F_SLOT, F_SLOT + 1]);
        // The loop carries the float in a float phi.
        let (phi, v) = t.back[1];
        assert_eq!((t.ty(phi), t.ty(v)), (Ty::Float, Ty::Float));
    }

    #[test]
    fn side_traces_start_with_their_parents_registers_and_types() {
        let x = [Term::small(6), Term::small(0), Term::small(6)];
        let inherited = [
            Store {
                slot: 0,
                value: Operand::Reg(3),
                ty: Ty::Int,
            },
            Store {
                slot: 1,
                value: Operand::Imm(Term::small(0).raw() as i64),
                ty: Ty::Term,
            },
            Store {
                slot: 2,
                value: Operand::Reg(3),
                ty: Ty::Int,
            },
        ];
        let mut r = Recording::side(anchor(), &[], 30, &inherited);
        let add = op2(ArithOp::Add, Src::reg(Reg::x(0)), Src::reg(Reg::x(2)), 1);
        assert_eq!(r.instr(30, &add, &x), Ok(Step::Continue));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        // x0 and x2 are one inherited value; the constant is an integer;
        // nothing is loaded or unboxed.
        assert_eq!(ops[0], Op::Inherit(3));
        assert_eq!(ops[1], Op::KInt(0));
        assert_eq!(
            ops.iter().filter(|o| matches!(o, Op::Inherit(_))).count(),
            1
        );
        assert!(!ops
            .iter()
            .any(|o| matches!(o, Op::LoadX(_) | Op::Unbox(..))));
        assert!(ops.contains(&Op::Arith(IntOp::Add, 0, 0, Some(0))));
        assert_eq!(t.snaps[0].regs, vec![(0, 0), (1, 1), (2, 0)]);
    }

    #[test]
    fn an_argument_changing_type_in_the_loop_aborts() {
        let mut heap = enigma_vm::term::Heap::new();
        let x = [Term::small(5), heap.float(0.5)];
        let mut r = Recording::new(anchor(), &[], &x);
        let mv = Instr::MoveXX { src: 0, dst: 1 };
        assert_eq!(r.instr(10, &mv, &x), Ok(Step::Continue));
        let call = Instr::LoopOnly {
            arity: 2,
            target: 10,
            count: Countdown::new(),
        };
        assert!(r.instr(11, &call, &x).is_err());
    }

    #[test]
    fn allocation_needs_the_room_of_a_heap_check() {
        let x = [Term::small(5), Term::NIL];
        let put = Instr::PutList {
            head: Src::reg(Reg::x(0)),
            tail: Src::reg(Reg::x(1)),
            dst: Reg::x(1),
        };
        let mut r = Recording::new(anchor(), &[], &x);
        assert!(r.instr(10, &put, &x).is_err());
        let mut r = Recording::new(anchor(), &[], &x);
        let test = Instr::TestHeap {
            heap: enigma_vm::code::operand::HeapNeed {
                words: 2,
                floats: 0,
                funs: 0,
            },
            live: 2,
        };
        assert_eq!(r.instr(10, &test, &x), Ok(Step::Continue));
        assert_eq!(r.instr(11, &put, &x), Ok(Step::Continue));
        // The room is spent: a second cons widens the check that made it.
        assert_eq!(r.instr(12, &put, &x), Ok(Step::Continue));
        let t = r.into_trace();
        let ops: Vec<Op> = t.ins.iter().map(|i| i.op).collect();
        assert!(ops.iter().any(|o| matches!(o, Op::HeapCheck(4, _))));
        assert_eq!(
            ops.iter()
                .filter(|o| matches!(o, Op::HeapCheck(..)))
                .count(),
            1
        );
        // The head, an untagged integer, is retagged before it is stored.
        assert!(ops.iter().any(|o| matches!(o, Op::Box(_))));
        assert!(ops.iter().any(|o| matches!(o, Op::Cons(..))));
    }
}
