//! The one-to-one rules: each generic instruction becomes the loaded
//! instruction of the same name with its operands shaped.

use super::{bad, Tx, R};
use crate::code::instr::PutMap;
use crate::code::operand::MAX_X_REGS;
use crate::code::{Countdown, Fail, Instr, Reg, Src, SrcKind};
use crate::loader::compact::Operand;
use crate::loader::generic::GenInstr;
use crate::loader::genop::GenOp;
use crate::term::Term;

impl Tx<'_> {
    /// One generic instruction to one loaded instruction, operands shaped.
    pub(super) fn simple(&mut self, ins: &GenInstr) -> R<Instr> {
        let a = ins.args.as_slice();
        use GenOp as G;
        Ok(match ins.op {
            G::Call => Instr::Call {
                arity: self.u(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
                count: Countdown::new(),
                cont: Instr::cont_bits(self.here() + 1),
            },
            G::CallLast => {
                let (arity, target) = (self.u(ins, &a[0])?, self.target(ins, &a[1])?);
                let dealloc = self.u(ins, &a[2])?;
                if target < self.here() {
                    Instr::LoopLast {
                        arity,
                        target,
                        dealloc,
                        count: Countdown::new(),
                    }
                } else {
                    Instr::CallLast {
                        arity,
                        target,
                        dealloc,
                        count: Countdown::new(),
                    }
                }
            }
            G::CallOnly => {
                let (arity, target) = (self.u(ins, &a[0])?, self.target(ins, &a[1])?);
                if target < self.here() {
                    Instr::LoopOnly {
                        arity,
                        target,
                        count: Countdown::new(),
                    }
                } else {
                    Instr::CallOnly {
                        arity,
                        target,
                        count: Countdown::new(),
                    }
                }
            }
            G::CallExt => Instr::CallExt {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
                count: Countdown::new(),
            },
            // OTP's compiler may leave the untrimmed frame size on a tail
            // call of a BIF that always raises (beam_trim's "safe labels",
            // beam_validator's "garbage values for Deallocate"), so the
            // frame is kept and the BIF called as BEAM's loader does.
            G::CallExtLast if self.is_exit_bif(self.import(ins, &a[1])?) => Instr::CallExt {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
                count: Countdown::new(),
            },
            G::CallExtLast => Instr::CallExtLast {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
                dealloc: self.u(ins, &a[2])?,
            },
            G::CallExtOnly => Instr::CallExtOnly {
                arity: self.u(ins, &a[0])?,
                export: self.import(ins, &a[1])?,
            },
            G::Bif0 => Instr::Bif0 {
                bif: self.import(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::Bif1 if self.is_old_guard_bif(ins, &a[1]) => {
                return Err(bad(
                    ins,
                    "too old compiler: please re-compile this module with an OTP 25 compiler",
                ));
            }
            G::Bif1 => Instr::Bif1 {
                fail: self.fail(ins, &a[0])?,
                bif: self.import(ins, &a[1])?,
                a: self.src(ins, &a[2])?,
                dst: self.reg(ins, &a[3])?,
            },
            G::Bif2 | G::GcBif2 if self.arith_op(ins).is_some() => self.op2(ins)?.shaped(),
            G::Bif2 => Instr::Bif2 {
                fail: self.fail(ins, &a[0])?,
                bif: self.import(ins, &a[1])?,
                a: self.src(ins, &a[2])?,
                b: self.src(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::GcBif1 => Instr::GcBif1 {
                fail: self.fail(ins, &a[0])?,
                live: self.live(ins, &a[1])? as u16,
                bif: self.import(ins, &a[2])?,
                a: self.src(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::GcBif2 | G::GcBif3 => {
                let n = a.len();
                Instr::GcBifN {
                    fail: self.fail(ins, &a[0])?,
                    live: self.live(ins, &a[1])? as u16,
                    bif: self.import(ins, &a[2])?,
                    args: self.src_span(ins, &a[3..n - 1])?,
                    dst: self.reg(ins, &a[n - 1])?,
                }
            }
            G::Allocate => Instr::Allocate {
                stack: self.u(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::AllocateHeap => Instr::AllocateHeap {
                stack: self.u(ins, &a[0])?,
                heap: self.heap_need(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
            },
            G::AllocateZero => Instr::AllocateZero {
                stack: self.u(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::AllocateHeapZero => Instr::AllocateHeapZero {
                stack: self.u(ins, &a[0])?,
                heap: self.heap_need(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
            },
            G::TestHeap => Instr::TestHeap {
                heap: self.heap_need(ins, &a[0])?,
                live: self.live(ins, &a[1])?,
            },
            G::Init => Instr::Init {
                dst: self.reg(ins, &a[0])?,
            },
            G::InitYregs => {
                let items = self.list(ins, &a[0])?;
                let regs = items
                    .iter()
                    .map(|o| self.reg(ins, o).map(Src::reg))
                    .collect::<R<Vec<_>>>()?;
                Instr::InitYregs {
                    regs: self.span_of(regs)?,
                }
            }
            G::Deallocate => Instr::Deallocate {
                words: self.u(ins, &a[0])?,
            },
            G::Return => Instr::Return,
            G::Send => Instr::Send,
            G::RemoveMessage => Instr::RemoveMessage,
            G::Timeout => Instr::Timeout,
            G::LoopRec => Instr::LoopRec {
                fail: self.fail(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::LoopRecEnd => Instr::LoopRecEnd {
                target: self.target(ins, &a[0])?,
            },
            G::Wait => Instr::Wait {
                target: self.target(ins, &a[0])?,
            },
            G::WaitTimeout => Instr::WaitTimeout {
                target: self.target(ins, &a[0])?,
                timeout: self.src(ins, &a[1])?,
            },
            G::IsLt | G::IsGe | G::IsEq | G::IsNe => {
                let fail = self.fail(ins, &a[0])?;
                let (x, y) = (self.src(ins, &a[1])?, self.src(ins, &a[2])?);
                let small = |s: Src| match s.kind() {
                    SrcKind::Const(t) if t.is_small() => Some(t),
                    _ => None,
                };
                let xreg = |s: Src| match s.kind() {
                    SrcKind::X(r) => Some(r as u16),
                    _ => None,
                };
                match (ins.op, xreg(x), small(y), small(x), xreg(y)) {
                    (G::IsLt, Some(a), Some(imm), ..) => Instr::IsLtXI { fail, a, imm },
                    (G::IsGe, Some(a), Some(imm), ..) => Instr::IsGeXI { fail, a, imm },
                    (G::IsLt, _, _, Some(imm), Some(a)) => Instr::IsLtIX { fail, imm, a },
                    (G::IsGe, _, _, Some(imm), Some(a)) => Instr::IsGeIX { fail, imm, a },
                    (G::IsLt, Some(a), None, None, Some(b)) => Instr::IsLtXX { fail, a, b },
                    (G::IsGe, Some(a), None, None, Some(b)) => Instr::IsGeXX { fail, a, b },
                    (G::IsLt, ..) => Instr::IsLt { fail, a: x, b: y },
                    (G::IsGe, ..) => Instr::IsGe { fail, a: x, b: y },
                    (G::IsEq, ..) => Instr::IsEq { fail, a: x, b: y },
                    _ => Instr::IsNe { fail, a: x, b: y },
                }
            }
            G::IsInteger
            | G::IsFloat
            | G::IsNumber
            | G::IsAtom
            | G::IsPid
            | G::IsReference
            | G::IsPort
            | G::IsNil
            | G::IsBinary
            | G::IsList
            | G::IsNonemptyList
            | G::IsTuple
            | G::IsFunction
            | G::IsBoolean
            | G::IsBitstr
            | G::IsMap => {
                let fail = self.fail(ins, &a[0])?;
                let src = self.src(ins, &a[1])?;
                type_test(ins.op, fail, src).shaped()
            }
            G::TestArity => Instr::TestArity {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.u(ins, &a[2])?,
            },
            G::IsTaggedTuple => Instr::IsTaggedTuple {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.u(ins, &a[2])?,
                tag: Term::atom(self.atom(ins, &a[3])?),
            },
            G::IsFunction2 => Instr::IsFunction2 {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                arity: self.src(ins, &a[2])?,
            },
            G::HasMapFields => {
                let keys = self.list(ins, &a[2])?;
                Instr::HasMapFields {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    keys: self.src_span(ins, keys)?,
                }
            }
            G::SelectVal => Instr::SelectVal {
                src: self.src(ins, &a[0])?,
                fail: self.fail(ins, &a[1])?,
                table: self.select(ins, &a[2], false)?,
            },
            G::SelectTupleArity => Instr::SelectTupleArity {
                src: self.src(ins, &a[0])?,
                fail: self.fail(ins, &a[1])?,
                table: self.select(ins, &a[2], true)?,
            },
            G::Jump => Instr::Jump {
                target: self.target(ins, &a[0])?,
            },
            G::Catch => Instr::Catch {
                y: self.reg(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::CatchEnd => Instr::CatchEnd {
                y: self.reg(ins, &a[0])?,
            },
            G::Try => Instr::Try {
                y: self.reg(ins, &a[0])?,
                target: self.target(ins, &a[1])?,
            },
            G::TryEnd => Instr::TryEnd {
                y: self.reg(ins, &a[0])?,
            },
            G::TryCase => Instr::TryCase {
                y: self.reg(ins, &a[0])?,
            },
            G::TryCaseEnd => Instr::TryCaseEnd {
                src: self.src(ins, &a[0])?,
            },
            G::Raise => Instr::Raise {
                trace: self.src(ins, &a[0])?,
                value: self.src(ins, &a[1])?,
            },
            G::BuildStacktrace => Instr::BuildStacktrace,
            G::RawRaise => Instr::RawRaise,
            G::Badmatch => Instr::Badmatch {
                src: self.src(ins, &a[0])?,
            },
            G::IfEnd => Instr::IfEnd,
            G::CaseEnd => Instr::CaseEnd {
                src: self.src(ins, &a[0])?,
            },
            G::Badrecord => Instr::Badrecord {
                src: self.src(ins, &a[0])?,
            },
            G::Move => {
                let (src, dst) = (self.src(ins, &a[0])?, self.reg(ins, &a[1])?);
                let (s, d) = (src.as_reg(), dst.index() as u16);
                match s.map(|s| (s.is_y(), s.index() as u16, dst.is_y())) {
                    Some((false, s, false)) => Instr::MoveXX { src: s, dst: d },
                    Some((false, s, true)) => Instr::MoveXY { src: s, dst: d },
                    Some((true, s, false)) => Instr::MoveYX { src: s, dst: d },
                    _ => Instr::Move { src, dst },
                }
            }
            G::Swap => Instr::Swap {
                a: self.reg(ins, &a[0])?,
                b: self.reg(ins, &a[1])?,
            },
            G::GetList => {
                let (src, head, tail) = (
                    self.src(ins, &a[0])?,
                    self.reg(ins, &a[1])?,
                    self.reg(ins, &a[2])?,
                );
                match src.kind() {
                    SrcKind::X(i) if head.is_y() && !tail.is_y() => Instr::GetListXYX {
                        src: i as u16,
                        head: head.index() as u16,
                        tail: tail.index() as u16,
                    },
                    SrcKind::X(i) => Instr::GetListX {
                        src: i as u16,
                        head,
                        tail,
                    },
                    _ => Instr::GetList { src, head, tail },
                }
            }
            G::GetHd => Instr::GetHd {
                src: self.src(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::GetTl => Instr::GetTl {
                src: self.src(ins, &a[0])?,
                dst: self.reg(ins, &a[1])?,
            },
            G::GetTupleElement => Instr::GetTupleElement {
                src: self.src(ins, &a[0])?,
                index: self.u(ins, &a[1])?,
                dst: self.reg(ins, &a[2])?,
            },
            G::SetTupleElement => Instr::SetTupleElement {
                value: self.src(ins, &a[0])?,
                tuple: self.src(ins, &a[1])?,
                index: self.u(ins, &a[2])?,
            },
            G::PutList => Instr::PutList {
                head: self.src(ins, &a[0])?,
                tail: self.src(ins, &a[1])?,
                dst: self.reg(ins, &a[2])?,
            },
            G::PutTuple2 => {
                let items = self.list(ins, &a[1])?;
                Instr::PutTuple2 {
                    dst: self.reg(ins, &a[0])?,
                    elements: self.src_span(ins, items)?,
                }
            }
            G::MakeFun2 => {
                let i = self.u(ins, &a[0])? as usize;
                let fun = *self
                    .lambdas
                    .get(i)
                    .ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?;
                let env = (0..fun.num_free.min(MAX_X_REGS))
                    .map(|n| Src::reg(Reg::x(n as u16)))
                    .collect();
                Instr::MakeFun {
                    fun,
                    dst: Reg::x(0),
                    env: self.span_of(env)?,
                }
            }
            G::MakeFun3 => {
                let i = self.u(ins, &a[0])? as usize;
                let fun = *self
                    .lambdas
                    .get(i)
                    .ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?;
                let items = self.list(ins, &a[2])?;
                if items.len() != fun.num_free as usize {
                    return Err(bad(ins, "environment size differs from the lambda's"));
                }
                Instr::MakeFun {
                    fun,
                    dst: self.reg(ins, &a[1])?,
                    env: self.src_span(ins, items)?,
                }
            }
            G::PutMapAssoc | G::PutMapExact => {
                let items = self.list(ins, &a[4])?;
                if items.len() % 2 != 0 {
                    return Err(bad(ins, "odd key/value list"));
                }
                let m = Box::new(PutMap {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    dst: self.reg(ins, &a[2])?,
                    live: self.live(ins, &a[3])?,
                    pairs: self.src_span(ins, items)?,
                });
                if ins.op == G::PutMapAssoc {
                    Instr::PutMapAssoc(m)
                } else {
                    Instr::PutMapExact(m)
                }
            }
            G::GetMapElements => {
                let items = self.list(ins, &a[2])?;
                if items.len() % 2 != 0 {
                    return Err(bad(ins, "odd key/destination list"));
                }
                let mut srcs = Vec::with_capacity(items.len());
                for p in items.chunks_exact(2) {
                    srcs.push(self.src(ins, &p[0])?);
                    srcs.push(Src::reg(self.reg(ins, &p[1])?));
                }
                Instr::GetMapElements {
                    fail: self.fail(ins, &a[0])?,
                    src: self.src(ins, &a[1])?,
                    pairs: self.span_of(srcs)?,
                }
            }
            G::CallFun => Instr::CallFun {
                arity: self.u(ins, &a[0])?,
            },
            G::CallFun2 => {
                let (lambda, safe) = match &a[0] {
                    Operand::Atom(t) if t.name() == "safe" => (None, true),
                    Operand::Atom(t) if t.name() == "unsafe" => (None, false),
                    Operand::U(i) => {
                        let l = usize::try_from(*i).ok().and_then(|i| self.lambdas.get(i));
                        (
                            Some(*l.ok_or_else(|| bad(ins, format!("lambda {i} out of range")))?),
                            true,
                        )
                    }
                    _ => return Err(bad(ins, "bad call_fun2 tag")),
                };
                Instr::CallFun2 {
                    lambda,
                    safe,
                    arity: self.u(ins, &a[1])?,
                    fun: self.src(ins, &a[2])?,
                }
            }
            G::Apply => Instr::Apply {
                arity: self.u(ins, &a[0])?,
            },
            G::ApplyLast => Instr::ApplyLast {
                arity: self.u(ins, &a[0])?,
                dealloc: self.u(ins, &a[1])?,
            },
            G::Trim => Instr::Trim {
                words: self.u(ins, &a[0])?,
                remaining: self.u(ins, &a[1])?,
            },
            G::NifStart => Instr::NifStart,
            G::RecvMarkerBind => Instr::RecvMarkerBind {
                marker: self.src(ins, &a[0])?,
                reference: self.src(ins, &a[1])?,
            },
            G::RecvMarkerClear => Instr::RecvMarkerClear {
                reference: self.src(ins, &a[0])?,
            },
            G::RecvMarkerReserve => Instr::RecvMarkerReserve {
                dst: self.reg(ins, &a[0])?,
            },
            G::RecvMarkerUse => Instr::RecvMarkerUse {
                reference: self.src(ins, &a[0])?,
            },
            G::RecvMark => Instr::RecvMark {
                target: self.target(ins, &a[0])?,
            },
            G::RecvSet => Instr::RecvSet {
                target: self.target(ins, &a[0])?,
            },
            G::Fclearerror => Instr::Fclearerror,
            G::Fcheckerror => Instr::Fcheckerror,
            G::Fmove => match (&a[0], &a[1]) {
                (Operand::FloatReg(_), Operand::FloatReg(_)) => Instr::FmoveFr {
                    src: self.freg(ins, &a[0])?,
                    dst: self.freg(ins, &a[1])?,
                },
                (Operand::FloatReg(_), _) => Instr::FstoreFr {
                    src: self.freg(ins, &a[0])?,
                    dst: self.reg(ins, &a[1])?,
                },
                _ => {
                    let (src, dst) = (self.src(ins, &a[0])?, self.freg(ins, &a[1])?);
                    match src.kind() {
                        SrcKind::Const(t) if t.is_float() => Instr::FloadImm {
                            src,
                            value: t.as_float().unwrap_or(0.0),
                            dst,
                        },
                        SrcKind::X(i) => Instr::FloadX { src: i as u16, dst },
                        _ => Instr::FloadFr { src, dst },
                    }
                }
            },
            G::Fconv => {
                let (src, dst) = (self.src(ins, &a[0])?, self.freg(ins, &a[1])?);
                match src.kind() {
                    SrcKind::X(i) => Instr::FconvX { src: i as u16, dst },
                    _ => Instr::Fconv { src, dst },
                }
            }
            G::Fadd | G::Fsub | G::Fmul | G::Fdiv => {
                let (x, y, d) = (
                    self.freg(ins, &a[1])?,
                    self.freg(ins, &a[2])?,
                    self.freg(ins, &a[3])?,
                );
                match ins.op {
                    G::Fadd => Instr::Fadd { a: x, b: y, dst: d },
                    G::Fsub => Instr::Fsub { a: x, b: y, dst: d },
                    G::Fmul => Instr::Fmul { a: x, b: y, dst: d },
                    _ => Instr::Fdiv { a: x, b: y, dst: d },
                }
            }
            G::Fnegate => Instr::Fnegate {
                a: self.freg(ins, &a[1])?,
                dst: self.freg(ins, &a[2])?,
            },
            _ => self.binary(ins)?,
        })
    }
}

pub(super) fn type_test(op: GenOp, fail: Fail, src: Src) -> Instr {
    use GenOp as G;
    match op {
        G::IsInteger => Instr::IsInteger { fail, src },
        G::IsFloat => Instr::IsFloat { fail, src },
        G::IsNumber => Instr::IsNumber { fail, src },
        G::IsAtom => Instr::IsAtom { fail, src },
        G::IsPid => Instr::IsPid { fail, src },
        G::IsReference => Instr::IsReference { fail, src },
        G::IsPort => Instr::IsPort { fail, src },
        G::IsNil => Instr::IsNil { fail, src },
        G::IsBinary => Instr::IsBinary { fail, src },
        G::IsList => Instr::IsList { fail, src },
        G::IsNonemptyList => Instr::IsNonemptyList { fail, src },
        G::IsTuple => Instr::IsTuple { fail, src },
        G::IsFunction => Instr::IsFunction { fail, src },
        G::IsBoolean => Instr::IsBoolean { fail, src },
        G::IsBitstr => Instr::IsBitstring { fail, src },
        _ => Instr::IsMap { fail, src },
    }
}
