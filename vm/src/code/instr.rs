//! Enigma's loaded instructions: what the interpreter executes and the JIT's
//! recorder reads. `loader::transform` produces them from the generic
//! instruction stream; its rule table says which generic opcode becomes
//! which variant.
//!
//! Conventions: jumps are instruction indices ([`Target`], [`Fail`]);
//! registers are [`Reg`], sources that may be constants are [`Src`]; calls
//! to other modules hold their `&'static Export`; variable-length operand
//! lists live in [`super::Module::operands`] ([`Span`]) and rare,
//! many-operand instructions keep their operands in a `Box`, so that every
//! instruction fits in 32 bytes.

use super::arith::{ArithOp, FArith};
use super::countdown::Countdown;
use super::move_run::{AddPre, MoveRun};
use super::operand::{FReg, Fail, HeapNeed, Reg, Span, Src, Target};
use crate::term::fun::{Export, FunEntry};
use crate::term::Term;

/// How a `select_val`/`select_tuple_arity` finds its target
/// ([`super::Module::selects`]).
#[derive(Clone, Debug, PartialEq)]
pub enum SelectTable {
    /// Small integers `min..min + targets.len()`; `None` entries fail.
    Jump {
        /// The smallest key.
        min: i64,
        /// Target per key.
        targets: Box<[Option<Target>]>,
    },
    /// Immediate keys (atoms, small integers, `[]`, tuple arities as raw
    /// numbers) sorted by raw word, searched by bisection.
    Sorted {
        /// Raw key words, ascending.
        keys: Box<[u64]>,
        /// Target per key.
        targets: Box<[Target]>,
    },
    /// Boxed literal keys (floats, bignums): compared with `=:=` in order.
    Linear {
        /// The keys.
        keys: Box<[Term]>,
        /// Target per key.
        targets: Box<[Target]>,
    },
}

/// `bs_create_bin` segment kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BsKind {
    /// `integer`.
    Integer,
    /// `float`.
    Float,
    /// `binary`.
    Binary,
    /// `utf8`.
    Utf8,
    /// `utf16`.
    Utf16,
    /// `utf32`.
    Utf32,
    /// `string`: the value is a [`Span`] of the string table.
    String,
    /// `append`.
    Append,
    /// `private_append`.
    PrivateAppend,
}

/// One segment of `bs_create_bin`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BsSegment {
    /// The kind.
    pub kind: BsKind,
    /// The segment number (for error reports).
    pub segment: u32,
    /// Unit.
    pub unit: u32,
    /// `BSF_*` flags: 2 little, 4 signed, 16 native.
    pub flags: u32,
    /// The value.
    pub value: Src,
    /// The size; `None` for `all` or `undefined`.
    pub size: Option<Src>,
    /// For `string` segments, the bytes in the string table.
    pub string: Span,
}

/// Operands of `bs_create_bin`.
#[derive(Clone, Debug, PartialEq)]
pub struct BsCreateBin {
    /// Failure target.
    pub fail: Fail,
    /// Extra heap words to allocate.
    pub alloc: HeapNeed,
    /// Live X registers.
    pub live: u32,
    /// Unit of the result (for append).
    pub unit: u32,
    /// Destination.
    pub dst: Reg,
    /// The segments.
    pub segments: Box<[BsSegment]>,
}

/// Operands of `bs_append`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BsAppend {
    /// Failure target.
    pub fail: Fail,
    /// Bits to add.
    pub size: Src,
    /// Extra heap words.
    pub extra: u32,
    /// Live X registers.
    pub live: u32,
    /// Unit.
    pub unit: u32,
    /// The binary appended to.
    pub bin: Src,
    /// Flags.
    pub flags: u32,
    /// Destination.
    pub dst: Reg,
}

/// Operands of `put_map_assoc` / `put_map_exact`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PutMap {
    /// Failure target.
    pub fail: Fail,
    /// The map updated.
    pub src: Src,
    /// Destination.
    pub dst: Reg,
    /// Live X registers.
    pub live: u32,
    /// Keys and values, alternating.
    pub pairs: Span,
}

/// Operands of `bs_get_integer2`, `bs_get_float2`, `bs_get_binary2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BsGet {
    /// Failure target.
    pub fail: Fail,
    /// The match context.
    pub ctx: Reg,
    /// Destination.
    pub dst: Reg,
    /// Live X registers.
    pub live: u32,
    /// Unit.
    pub unit: u32,
    /// Flags.
    pub flags: u32,
    /// Size (`all` for binaries is the atom).
    pub size: Src,
}

/// Operands of [`Instr::BsStartU8Eq`] (`bs_start_match3/4 | bs_get_position
/// | bs_get_integer2 | is_eq_exact`); registers are X registers below
/// 256, and the struct lets the interpreter read each operand where it
/// needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StartU8Eq {
    /// The start's failure target (not a bitstring).
    pub fail: Fail,
    /// The term matched.
    pub src: u8,
    /// The context's register.
    pub ctx: u8,
    /// The register the position goes to.
    pub pos: u8,
    /// The byte's register.
    pub dst: u8,
    /// The get's failure target (no byte left).
    pub get_fail: Fail,
    /// Where a byte other than `byte` goes (see [`Instr::BsGetU8Eq`]).
    pub ne: Target,
    /// The fail label of the `bs_test_unit 8` at `ne`, or none (see
    /// [`Instr::BsGetU8Eq`]).
    pub unit: Fail,
    /// The byte tested for.
    pub byte: u8,
    /// Live X registers at the start.
    pub live: u8,
    /// Live X registers at `bs_get_position`.
    pub pos_live: u8,
}

/// Operands of [`Instr::AddBandLoop`]: `AddRR | BandXI | MoveLoopOnly`,
/// the tail of a loop that folds a value into a masked sum (a checksum, a
/// hash) before its back edge. Registers are X registers below 256; the
/// add's result register is neither of its operands (so an exit of a
/// trace in the band reruns the whole instruction correctly), and
/// neither operator has a fail label.
#[derive(Clone, Debug)]
pub struct AddBandLoop {
    /// `+` or `-`.
    pub op: ArithOp,
    /// The add's operands.
    pub a: u8,
    /// The add's second operand.
    pub b: u8,
    /// The add's result, the band's operand.
    pub sum: u8,
    /// Live X registers at the add.
    pub add_live: u8,
    /// The band's result.
    pub band_dst: u8,
    /// Live X registers at the band.
    pub band_live: u8,
    /// The move's source.
    pub src: u8,
    /// The move's destination.
    pub dst: u8,
    /// The call's arity.
    pub arity: u8,
    /// The band's immediate shifted to the small integers' tag, as
    /// [`Instr::BandXI`]'s `mask` (one that fits 32 bits).
    pub mask: i32,
    /// The loop anchor.
    pub target: Target,
    /// The back edge's profiling countdown.
    pub count: Countdown,
}

impl AddBandLoop {
    /// The band's `mask` as [`Instr::BandXI`]'s.
    #[inline(always)]
    pub fn tagged_mask(&self) -> i64 {
        i64::from(self.mask)
    }

    /// The three instructions it does, in order (for a reader that knows
    /// only those, as the JIT's recorder).
    pub fn unfused(&self) -> [Instr; 3] {
        let x = |r: u8| Reg::x(r.into());
        [
            Instr::AddRR {
                op: self.op,
                fail: Fail::NONE,
                live: self.add_live.into(),
                a: x(self.a),
                b: x(self.b),
                dst: x(self.sum),
            },
            Instr::BandXI {
                fail: Fail::NONE,
                live: self.band_live.into(),
                a: self.sum.into(),
                mask: self.tagged_mask(),
                dst: x(self.band_dst),
            },
            Instr::MoveLoopOnly {
                src: self.src.into(),
                dst: self.dst.into(),
                arity: self.arity.into(),
                target: self.target,
                count: self.count.clone(),
            },
        ]
    }
}

/// A loaded instruction.
#[derive(Clone, Debug)]
pub enum Instr {
    // ---- function boundaries ----
    /// Raises `function_clause` for [`super::Module::functions`]`[function]`.
    FuncInfo { function: u32 },
    /// Marks a function whose body a NIF may replace; does nothing.
    NifStart,
    /// The traced entry of function `function` in a traced copy of its
    /// module (call tracing: `interp::call_trace`), where calls to it
    /// go: raises the call's trace events and goes on at `entry`.
    TraceCall { function: u32, entry: Target },
    /// Where a traced function returns to when its match specification
    /// asked for `return_trace` or `exception_trace`: the return's trace
    /// event, then the return to the caller under the trace frame.
    TraceReturn,
    /// The handler of a trace frame's catch: an exception leaving a
    /// traced function raises its `exception_from` event and goes on.
    TraceCatch,
    /// The last instruction of every module (the loader's): code that runs
    /// off the end of its last function raises `badarg` here, and every
    /// label has an instruction to land on, so no position the loader
    /// resolves is past the end.
    CodeEnd,

    // ---- calls and returns ----
    /// Local call; `count` counts at the call anchor `target`. `cont` is
    /// the continuation pointer it pushes, whole: the loader writes its
    /// position's bits (`pc << 2`, [`Instr::cont_bits`]) and installing the
    /// code ORs in its code id's, so the call is one load and one store.
    Call {
        arity: u32,
        target: Target,
        count: Countdown,
        cont: u64,
    },
    /// Local tail call after dropping `dealloc` stack words; `count`
    /// counts down to a look for a trace at `target` (entered at a tail
    /// call as at a `call`).
    CallLast {
        arity: u32,
        target: Target,
        dealloc: u32,
        count: Countdown,
    },
    /// Local tail call without a frame (`count` as `CallLast`'s).
    CallOnly {
        arity: u32,
        target: Target,
        count: Countdown,
    },
    /// `move {x,Src} {x,Dst} | call_only`: a loop's last argument shuffle
    /// and its back edge in one dispatch.
    MoveCallOnly {
        src: u16,
        dst: u16,
        arity: u32,
        target: Target,
        count: Countdown,
    },
    /// [`Instr::CallLast`] to an earlier instruction (the loader's choice):
    /// a loop's back edge, counting at the loop anchor `target`.
    LoopLast {
        arity: u32,
        target: Target,
        dealloc: u32,
        count: Countdown,
    },
    /// [`Instr::CallOnly`] to an earlier instruction: a back edge.
    LoopOnly {
        arity: u32,
        target: Target,
        count: Countdown,
    },
    /// `move {x,A} {y,B} | move {x,C} {x,D} | call` ([`Instr::Move2XYXX`]
    /// and [`Instr::Call`]) in one dispatch. The loader puts the plain
    /// `Call` right after it, which the fused form skips (its
    /// continuation is the instruction after that): a position where a
    /// trace exit resumes with the moves already done (the JIT's recorder
    /// takes the call's snapshot there).
    Move2XYXXCall {
        moves: Move2Regs,
        arity: u16,
        target: Target,
        count: Countdown,
        cont: u64,
    },
    /// [`Instr::MoveCallOnly`] to an earlier instruction: a back edge.
    MoveLoopOnly {
        src: u16,
        dst: u16,
        arity: u32,
        target: Target,
        count: Countdown,
    },
    /// `AddRR | BandXI | MoveLoopOnly` in one dispatch (the loader's
    /// choice; see [`AddBandLoop`]).
    AddBandLoop(AddBandLoop),
    /// Remote call; `count` counts at the callee's call anchor when the
    /// export leads to code.
    CallExt {
        arity: u32,
        export: &'static Export,
        count: Countdown,
    },
    /// Remote tail call after dropping `dealloc` stack words.
    CallExtLast {
        arity: u32,
        export: &'static Export,
        dealloc: u32,
    },
    /// Remote tail call without a frame.
    CallExtOnly { arity: u32, export: &'static Export },
    /// `apply/3` with the arguments in x0..x(arity-1), module and function after.
    Apply { arity: u32 },
    /// Tail-call form of [`Instr::Apply`].
    ApplyLast { arity: u32, dealloc: u32 },
    /// Calls the fun in x(arity).
    CallFun { arity: u32 },
    /// Calls `fun`. `safe` is false for the `unsafe` tag (the fun is known
    /// to be a fun of the right arity); `lambda` is set when the compiler
    /// knows which lambda it is (a `FunT` index as the tag).
    CallFun2 {
        lambda: Option<&'static FunEntry>,
        safe: bool,
        arity: u32,
        fun: Src,
    },
    /// `call_fun`/`call_fun2` followed by `deallocate N | return` (BEAM's
    /// `i_call_fun_last`): a tail call of `fun` (x(arity) for `call_fun`)
    /// that drops the frame first. The loader keeps the
    /// `DeallocateReturn` after it, which a bad fun's error path (a plain
    /// call) returns to.
    CallFunLast { arity: u32, dealloc: u32, fun: Src },
    /// Return.
    Return,
    /// `move Src x0` followed by `return`.
    MoveReturn { src: Src },
    /// [`Instr::MoveReturn`] of X register `src` (the loader's choice: a
    /// function returning one of its arguments): no operand to decode.
    MoveReturnX { src: u16 },
    /// `deallocate N` followed by `return`.
    DeallocateReturn { words: u32 },

    // ---- BIFs ----
    /// A guard BIF of no arguments.
    Bif0 { bif: &'static Export, dst: Reg },
    /// A BIF of one argument that cannot GC.
    Bif1 {
        fail: Fail,
        bif: &'static Export,
        a: Src,
        dst: Reg,
    },
    /// A BIF of two arguments that cannot GC.
    Bif2 {
        fail: Fail,
        bif: &'static Export,
        a: Src,
        b: Src,
        dst: Reg,
    },
    /// A BIF of one argument that may GC.
    GcBif1 {
        fail: Fail,
        live: u16,
        bif: &'static Export,
        a: Src,
        dst: Reg,
    },
    /// An operator of [`ArithOp`] (from `bif2`/`gc_bif2` of `erlang:Op/2`):
    /// the interpreter does small integers inline and calls `op.export()`'s
    /// BIF otherwise. `live` is `gc_bif2`'s, or
    /// [`super::arith::NO_LIVE`] for a `bif2`.
    Op2 {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: Src,
        b: Src,
        dst: Reg,
    },
    /// [`Instr::Op2`] of X register `a` and the small integer `imm` (the
    /// loader's choice when `b` is one): neither operand to decode.
    Op2XI {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: u16,
        imm: i64,
        dst: Reg,
    },
    /// [`Instr::Op2XI`] of `+` or `-` (the loader's choice): on a small
    /// integer the result is one add of the tagged words, which overflows
    /// exactly when it is no small integer. `delta` is the immediate,
    /// negated for `-`, shifted to the small integers' tag
    /// ([`Instr::general`] gives the immediate back). `dst` is an X
    /// register (the loader makes no other: the interpreter writes it as
    /// one).
    AddXI {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: u16,
        delta: i64,
        dst: Reg,
    },
    /// [`Instr::Op2XI`] of `band` (the loader's choice): on a small integer
    /// the result is one `and` of the tagged word with `mask`, the
    /// immediate shifted to the small integers' tag ([`Instr::general`]
    /// gives the immediate back). `dst` is an X register, as
    /// [`Instr::AddXI`]'s.
    BandXI {
        fail: Fail,
        live: u16,
        a: u16,
        mask: i64,
        dst: Reg,
    },
    /// [`Instr::AddXI`] into Y register `dst`.
    AddXIY {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: u16,
        delta: i64,
        dst: Reg,
    },
    /// [`Instr::AddXI`] of Y register `a` (`dst` an X register).
    AddYI {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: u16,
        delta: i64,
        dst: Reg,
    },
    /// [`Instr::Op2`] of `+` or `-` on two registers (the loader's
    /// choice): on small integers one add or subtract of the tagged words
    /// (the second with its tag cleared), which overflows exactly when the
    /// result is no small integer.
    AddRR {
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: Reg,
        b: Reg,
        dst: Reg,
    },
    /// [`Instr::AddRR`] of `+` on two X registers into an X register
    /// (`Instr::shaped_add`): no register kind to test.
    AddXX {
        fail: Fail,
        live: u16,
        a: u16,
        b: u16,
        dst: u16,
    },
    /// [`Instr::AddRR`] of `+` on Y register `a` and X register `b` into
    /// an X register.
    AddYX {
        fail: Fail,
        live: u16,
        a: u16,
        b: u16,
        dst: u16,
    },
    /// A BIF of two or three arguments that may GC; arguments in `args`.
    GcBifN {
        fail: Fail,
        live: u16,
        bif: &'static Export,
        args: Span,
        dst: Reg,
    },

    // ---- stack and heap ----
    /// Push a frame of `stack` words.
    Allocate { stack: u32, live: u32 },
    /// Push a frame and ensure heap space.
    AllocateHeap {
        stack: u32,
        heap: HeapNeed,
        live: u32,
    },
    /// Push a frame with its slots cleared.
    AllocateZero { stack: u32, live: u32 },
    /// Push a frame with its slots cleared and ensure heap space.
    AllocateHeapZero {
        stack: u32,
        heap: HeapNeed,
        live: u32,
    },
    /// Ensure heap space.
    TestHeap { heap: HeapNeed, live: u32 },
    /// Clear one Y register.
    Init { dst: Reg },
    /// Clear the Y registers in `regs` (each a register [`Src`]).
    InitYregs { regs: Span },
    /// Pop a frame.
    Deallocate { words: u32 },
    /// Drop the `words` lowest stack slots of the frame.
    Trim { words: u32, remaining: u32 },

    // ---- messages ----
    /// Send x1 to x0; the result is x1 in x0.
    Send,
    /// Take the current message out of the queue.
    RemoveMessage,
    /// Reset the queue position after a timeout.
    Timeout,
    /// Current message into `dst`, or jump when the queue is exhausted.
    LoopRec { fail: Fail, dst: Reg },
    /// Advance to the next message and jump.
    LoopRecEnd { target: Target },
    /// Wait for a message, then jump.
    Wait { target: Target },
    /// Wait with a timeout, then jump.
    WaitTimeout { target: Target, timeout: Src },
    /// Mark the end of the message queue (pre-OTP 24 receive optimisation).
    RecvMark { target: Target },
    /// Start the receive loop at the mark made by [`Instr::RecvMark`].
    RecvSet { target: Target },
    /// Bind a receive marker to a reference.
    RecvMarkerBind { marker: Src, reference: Src },
    /// Clear a receive marker.
    RecvMarkerClear { reference: Src },
    /// Reserve a receive marker into `dst`.
    RecvMarkerReserve { dst: Reg },
    /// Use a receive marker.
    RecvMarkerUse { reference: Src },

    // ---- comparisons and type tests (jump to `fail` when false) ----
    /// `a < b`.
    IsLt { fail: Fail, a: Src, b: Src },
    /// `a >= b`.
    IsGe { fail: Fail, a: Src, b: Src },
    /// `x(a) < imm`, `imm` a small integer (the loader's choice): two
    /// small integers compare as their tagged words do.
    IsLtXI { fail: Fail, a: u16, imm: Term },
    /// `x(a) >= imm`, `imm` a small integer.
    IsGeXI { fail: Fail, a: u16, imm: Term },
    /// `imm < x(a)`, `imm` a small integer.
    IsLtIX { fail: Fail, imm: Term, a: u16 },
    /// `imm >= x(a)`, `imm` a small integer.
    IsGeIX { fail: Fail, imm: Term, a: u16 },
    /// `x(a) < x(b)` (the loader's choice): no operand to decode.
    IsLtXX { fail: Fail, a: u16, b: u16 },
    /// `x(a) >= x(b)`.
    IsGeXX { fail: Fail, a: u16, b: u16 },
    /// `a == b`.
    IsEq { fail: Fail, a: Src, b: Src },
    /// `a /= b`.
    IsNe { fail: Fail, a: Src, b: Src },
    /// `a =:= b`.
    IsEqExact { fail: Fail, a: Src, b: Src },
    /// `a =/= b`.
    IsNeExact { fail: Fail, a: Src, b: Src },
    /// `src =:= imm` where `imm` is an immediate: one word compare.
    IsEqExactImm { fail: Fail, src: Src, imm: Term },
    /// `src =/= imm` where `imm` is an immediate: one word compare.
    IsNeExactImm { fail: Fail, src: Src, imm: Term },
    /// [`Instr::IsEqExactImm`] of X register `a`.
    IsEqExactXI { fail: Fail, a: u16, imm: Term },
    /// [`Instr::IsNeExactImm`] of X register `a`.
    IsNeExactXI { fail: Fail, a: u16, imm: Term },
    /// [`Instr::IsNonemptyList`] of X register `a`.
    IsNonemptyListX { fail: Fail, a: u16 },
    /// `is_integer`.
    IsInteger { fail: Fail, src: Src },
    /// `is_float`.
    IsFloat { fail: Fail, src: Src },
    /// `is_number`.
    IsNumber { fail: Fail, src: Src },
    /// `is_atom`.
    IsAtom { fail: Fail, src: Src },
    /// `is_pid`.
    IsPid { fail: Fail, src: Src },
    /// `is_reference`.
    IsReference { fail: Fail, src: Src },
    /// `is_port`.
    IsPort { fail: Fail, src: Src },
    /// `src =:= []`.
    IsNil { fail: Fail, src: Src },
    /// `is_binary`.
    IsBinary { fail: Fail, src: Src },
    /// `is_bitstring` (generic `is_bitstr`).
    IsBitstring { fail: Fail, src: Src },
    /// `is_list`.
    IsList { fail: Fail, src: Src },
    /// A cons cell.
    IsNonemptyList { fail: Fail, src: Src },
    /// `is_tuple`.
    IsTuple { fail: Fail, src: Src },
    /// A tuple already known to be one has `arity` elements.
    TestArity { fail: Fail, src: Src, arity: u32 },
    /// `is_tuple` and `test_arity` on the same operand and label, fused.
    IsTupleOfArity { fail: Fail, src: Src, arity: u32 },
    /// A tuple of `arity` whose first element is `tag`.
    IsTaggedTuple {
        fail: Fail,
        src: Src,
        arity: u32,
        tag: Term,
    },
    /// `is_function`.
    IsFunction { fail: Fail, src: Src },
    /// `is_function(src, arity)`.
    IsFunction2 { fail: Fail, src: Src, arity: Src },
    /// `is_boolean`.
    IsBoolean { fail: Fail, src: Src },
    /// `is_map`.
    IsMap { fail: Fail, src: Src },
    /// The map has all the keys in `keys`.
    HasMapFields { fail: Fail, src: Src, keys: Span },

    // ---- control ----
    /// Jump through [`super::Module::selects`]`[table]` on `src`'s value.
    SelectVal { src: Src, fail: Fail, table: u32 },
    /// Jump through [`super::Module::selects`]`[table]` on `src`'s tuple arity.
    SelectTupleArity { src: Src, fail: Fail, table: u32 },
    /// Jump.
    Jump { target: Target },
    /// Old-style catch: the handler is `target`, the tag lives in `y`.
    Catch { y: Reg, target: Target },
    /// End of a catch.
    CatchEnd { y: Reg },
    /// `try`: the handler is `target`, the tag lives in `y`.
    Try { y: Reg, target: Target },
    /// Leaving a try body normally.
    TryEnd { y: Reg },
    /// Entering a try's catch clauses.
    TryCase { y: Reg },
    /// `try_clause` error.
    TryCaseEnd { src: Src },
    /// `erlang:raise/3` with the stack trace and value.
    Raise { trace: Src, value: Src },
    /// Turn x0's raw stack trace into a list.
    BuildStacktrace,
    /// Re-raise x0:x1 with trace x2.
    RawRaise,
    /// `badmatch` error.
    Badmatch { src: Src },
    /// `if_clause` error.
    IfEnd,
    /// `case_clause` error.
    CaseEnd { src: Src },
    /// `badrecord` error.
    Badrecord { src: Src },

    // ---- data movement and construction ----
    /// Copy (the shapes below excepted).
    Move { src: Src, dst: Reg },
    /// Two moves in a row (the first done first).
    Move2 {
        src1: Src,
        dst1: Reg,
        src2: Src,
        dst2: Reg,
    },
    /// [`Instr::Move2`] of two registers: no constant to tell apart.
    Move2R {
        src1: Reg,
        dst1: Reg,
        src2: Reg,
        dst2: Reg,
    },
    /// [`Instr::Move2R`] `{x,A} {x,B} | {x,C} {x,D}` (the register numbers
    /// of each shape below are in a [`Move2Regs`]; no test of which file
    /// each register is in, as BEAM's loader specialises `move` pairs).
    Move2XXXX(Move2Regs),
    /// [`Instr::Move2R`] `{x,A} {y,B} | {x,C} {y,D}`.
    Move2XYXY(Move2Regs),
    /// [`Instr::Move2R`] `{y,A} {x,B} | {y,C} {x,D}`.
    Move2YXYX(Move2Regs),
    /// [`Instr::Move2R`] `{x,A} {y,B} | {x,C} {x,D}`.
    Move2XYXX(Move2Regs),
    /// [`Instr::Move2R`] `{y,A} {x,B} | {x,C} {x,D}`.
    Move2YXXX(Move2Regs),
    /// [`Instr::Move2R`] `{x,A} {x,B} | {y,C} {x,D}`.
    Move2XXYX(Move2Regs),
    /// [`Instr::Move2R`] `{y,A} {x,B} | {x,C} {y,D}`.
    Move2YXXY(Move2Regs),
    /// [`Instr::Move2R`] `{x,A} {x,B} | {y,C} {y,D}`.
    Move2XXYY(Move2Regs),
    /// `move {x,S} {x,D}`.
    MoveXX { src: u16, dst: u16 },
    /// `move {x,S} {y,D}`.
    MoveXY { src: u16, dst: u16 },
    /// `move {y,S} {x,D}`.
    MoveYX { src: u16, dst: u16 },
    /// Exchange two registers.
    Swap { a: Reg, b: Reg },
    /// Head and tail of a cons.
    GetList { src: Src, head: Reg, tail: Reg },
    /// [`Instr::GetList`] of X register `src` (the loader's choice): no
    /// source operand to decode.
    GetListX { src: u16, head: Reg, tail: Reg },
    /// [`Instr::GetList`] of X register `src` into Y register `head` and
    /// X register `tail` (the loader's choice: a list taken apart before a
    /// body-recursive call, its head kept across the call): no register
    /// tested for which file it is in.
    GetListXYX { src: u16, head: u16, tail: u16 },
    /// Head of a cons.
    GetHd { src: Src, dst: Reg },
    /// Tail of a cons.
    GetTl { src: Src, dst: Reg },
    /// Element `index` (0-based) of a tuple.
    GetTupleElement { src: Src, index: u32, dst: Reg },
    /// `get_tuple_element {x,S} I {x,D0} | get_tuple_element {x,S} I+1
    /// {x,D1}` with `D0 != S` (the loader's choice: a tuple's elements
    /// taken apart after its match): one dispatch and one tuple check.
    GetPairXX {
        src: u16,
        index: u32,
        dst0: u16,
        dst1: u16,
    },
    /// Destructively set element `index` (0-based) of a fresh tuple.
    SetTupleElement { value: Src, tuple: Src, index: u32 },
    /// Build a cons.
    PutList { head: Src, tail: Src, dst: Reg },
    /// `test_heap | put_list` (the loader's choice, when the heap need is
    /// words only): one dispatch for the safe point and the cons.
    TestHeapPutList {
        words: u32,
        live: u32,
        head: Src,
        tail: Src,
        dst: Reg,
    },
    /// [`Instr::TestHeapPutList`] of Y register `head` into X register
    /// `dst` (the loader's choice: a list built after a body-recursive
    /// call, its head kept in the frame across it, as `[H | f(T)]`).
    TestHeapPutListYX {
        words: u32,
        live: u32,
        head: u16,
        tail: Src,
        dst: u16,
    },
    /// Build a tuple of `elements`.
    PutTuple2 { dst: Reg, elements: Span },
    /// `test_heap | put_tuple2` of a pair (the loader's choice, when the
    /// heap need is at most 65,535 words): one dispatch for the safe point
    /// and the tuple, whose elements `a` and `b` are in the instruction
    /// (`elements` is the `put_tuple2`'s operand span, for [`Instr::unfused`]).
    TestHeapPutPair {
        words: u16,
        live: u16,
        dst: Reg,
        a: Src,
        b: Src,
        elements: Span,
    },
    /// Build a closure over the free variables in `env`.
    MakeFun {
        fun: &'static FunEntry,
        dst: Reg,
        env: Span,
    },
    /// Insert or update keys.
    PutMapAssoc(Box<PutMap>),
    /// Update existing keys (fails if one is missing).
    PutMapExact(Box<PutMap>),
    /// Fetch values of keys into registers; `pairs` alternate key and
    /// destination register.
    GetMapElements { fail: Fail, src: Src, pairs: Span },

    // ---- floats ----
    /// Clear the float error state.
    Fclearerror,
    /// Raise `badarith` if a float operation failed.
    Fcheckerror,
    /// Load a float register from a term.
    FloadFr { src: Src, dst: FReg },
    /// Store a float register as a term.
    FstoreFr { src: FReg, dst: Reg },
    /// `test_heap | fmove {fr,S} Dst` (the loader's choice): one dispatch
    /// for the safe point and the boxing of a float.
    TestHeapFstore {
        heap: HeapNeed,
        live: u32,
        src: FReg,
        dst: Reg,
    },
    /// [`Instr::FloadFr`] of a float literal (the loader's choice): its
    /// value is in the instruction. `src` is the literal.
    FloadImm { src: Src, value: f64, dst: FReg },
    /// [`Instr::FloadFr`] of X register `src` (the loader's choice): no
    /// source operand to decode.
    FloadX { src: u16, dst: FReg },
    /// Copy between float registers.
    FmoveFr { src: FReg, dst: FReg },
    /// Convert a number to a float register.
    Fconv { src: Src, dst: FReg },
    /// [`Instr::Fconv`] of X register `src` (the loader's choice): no
    /// source operand to decode.
    FconvX { src: u16, dst: FReg },
    /// `a + b`.
    Fadd { a: FReg, b: FReg, dst: FReg },
    /// `a - b`.
    Fsub { a: FReg, b: FReg, dst: FReg },
    /// `a * b`.
    Fmul { a: FReg, b: FReg, dst: FReg },
    /// `a / b`.
    Fdiv { a: FReg, b: FReg, dst: FReg },
    /// `-a`.
    Fnegate { a: FReg, dst: FReg },
    /// [`Instr::FloadImm`], then [`Instr::Fadd`] (the loader's choice, as
    /// the seven after it: a float literal or an X register loaded for the
    /// operation after it, [`Instr::fload_arith`]): one dispatch, and the
    /// operation in the variant, not in an operand to dispatch on.
    FloadImmAdd(FloadImmOp),
    /// [`Instr::FloadImm`], then [`Instr::Fsub`].
    FloadImmSub(FloadImmOp),
    /// [`Instr::FloadImm`], then [`Instr::Fmul`].
    FloadImmMul(FloadImmOp),
    /// [`Instr::FloadImm`], then [`Instr::Fdiv`].
    FloadImmDiv(FloadImmOp),
    /// [`Instr::FloadX`], then [`Instr::Fadd`].
    FloadXAdd(FloadXOp),
    /// [`Instr::FloadX`], then [`Instr::Fsub`].
    FloadXSub(FloadXOp),
    /// [`Instr::FloadX`], then [`Instr::Fmul`].
    FloadXMul(FloadXOp),
    /// [`Instr::FloadX`], then [`Instr::Fdiv`].
    FloadXDiv(FloadXOp),

    // ---- binary construction (pre-OTP 25 forms and bs_create_bin) ----
    /// Build a binary from segments.
    BsCreateBin(Box<BsCreateBin>),
    /// Start a binary of `size` bytes.
    BsInit2 {
        fail: Fail,
        size: Src,
        words: u32,
        live: u32,
        flags: u32,
        dst: Reg,
    },
    /// Start a bitstring of `size` bits.
    BsInitBits {
        fail: Fail,
        size: Src,
        words: u32,
        live: u32,
        flags: u32,
        dst: Reg,
    },
    /// `dst = a + b * unit` for sizes.
    BsAdd {
        fail: Fail,
        a: Src,
        b: Src,
        unit: u32,
        dst: Reg,
    },
    /// Append to a binary.
    BsAppend(Box<BsAppend>),
    /// Append to a writable binary.
    BsPrivateAppend {
        fail: Fail,
        size: Src,
        unit: u32,
        bin: Src,
        flags: u32,
        dst: Reg,
    },
    /// Make the current binary writable.
    BsInitWritable,
    /// Put an integer.
    BsPutInteger {
        fail: Fail,
        size: Src,
        unit: u32,
        flags: u32,
        src: Src,
    },
    /// Put a binary.
    BsPutBinary {
        fail: Fail,
        size: Src,
        unit: u32,
        flags: u32,
        src: Src,
    },
    /// Put a float.
    BsPutFloat {
        fail: Fail,
        size: Src,
        unit: u32,
        flags: u32,
        src: Src,
    },
    /// Put bytes of the string table.
    BsPutString { string: Span },
    /// Put a UTF-8 character.
    BsPutUtf8 { fail: Fail, flags: u32, src: Src },
    /// Put a UTF-16 character.
    BsPutUtf16 { fail: Fail, flags: u32, src: Src },
    /// Put a UTF-32 character.
    BsPutUtf32 { fail: Fail, flags: u32, src: Src },
    /// Bytes a character takes in UTF-8.
    BsUtf8Size { fail: Fail, src: Src, dst: Reg },
    /// Bytes a character takes in UTF-16.
    BsUtf16Size { fail: Fail, src: Src, dst: Reg },

    // ---- binary matching ----
    /// Start matching (`bs_start_match3`, and `bs_start_match4` with a label).
    BsStartMatch {
        fail: Fail,
        src: Src,
        live: u32,
        dst: Reg,
    },
    /// `bs_start_match4` with `resume`: `src` is already a match context.
    BsStartMatchResume { src: Src, dst: Reg },
    /// `bs_start_match3/4 F Src Live Ctx | bs_get_position Ctx Pos Live`
    /// (the loader's choice): how OTP 25 starts a function that matches a
    /// binary in several clauses, saving the position each clause
    /// restores; one dispatch ([`Instr::unfused`] gives the two back).
    BsStartMatchPos {
        fail: Fail,
        src: Src,
        live: u16,
        dst: Reg,
        pos: Reg,
        pos_live: u16,
    },
    /// Get an integer.
    BsGetInteger2(Box<BsGet>),
    /// `bs_get_integer2` of a literal size of 1 to 59 bits, unsigned,
    /// big-endian (or at most 8 bits): always a small integer.
    BsGetUint {
        fail: Fail,
        ctx: Reg,
        bits: u32,
        dst: Reg,
    },
    /// [`Instr::BsGetUint`] of 8 bits (the loader's choice, as BEAM's
    /// `i_bs_get_integer_8`): one byte load when the context's bytes are
    /// in place and its position is at a byte boundary.
    BsGetU8 { fail: Fail, ctx: Reg, dst: Reg },
    /// `BsGetU8 F C D | is_eq_exact Ne D Byte` (the loader's choice: a
    /// clause head matching a literal first byte): the byte into `dst`,
    /// then to `ne` unless it is `byte`; one dispatch ([`Instr::unfused`]
    /// gives the two back). When `unit` is a label, the instruction at
    /// `ne` is `BsTestUnit8 unit C` (the next clause's `Rest/binary`), and
    /// a byte that is not `byte` does that test too: on to the instruction
    /// after it, or to `unit`.
    BsGetU8Eq {
        fail: Fail,
        ctx: Reg,
        dst: Reg,
        byte: u8,
        ne: Target,
        unit: Fail,
    },
    /// `BsGetU8 F C D | select_val D Sfail Table` (the loader's choice:
    /// `case` on a byte, a tokenizer's dispatch), with `D` not `C`; X
    /// registers only; one dispatch ([`Instr::unfused`] gives the two
    /// back).
    BsGetU8Select {
        fail: Fail,
        ctx: Reg,
        dst: Reg,
        sfail: Fail,
        table: u32,
    },
    /// `BsStartMatchPos | BsGetU8Eq` on the context it starts, all
    /// registers X (the loader's choice: how a function whose clauses
    /// match a literal first byte starts); one dispatch, one context check
    /// ([`Instr::unfused`] gives the two back).
    BsStartU8Eq(StartU8Eq),
    /// [`Instr::BsGetUint`] of 16 bits: one two-byte load when aligned.
    BsGetU16 { fail: Fail, ctx: Reg, dst: Reg },
    /// [`Instr::BsGetUint`] of 32 bits: one four-byte load when aligned.
    BsGetU32 { fail: Fail, ctx: Reg, dst: Reg },
    /// Get a float.
    BsGetFloat2(Box<BsGet>),
    /// Get a binary.
    BsGetBinary2(Box<BsGet>),
    /// Skip bits.
    BsSkipBits2 {
        fail: Fail,
        ctx: Reg,
        size: Src,
        unit: u32,
        flags: u32,
    },
    /// Test the remaining bit count.
    BsTestTail2 { fail: Fail, ctx: Reg, bits: u32 },
    /// Test the remaining bits are a multiple of `unit`.
    BsTestUnit { fail: Fail, ctx: Reg, unit: u32 },
    /// [`Instr::BsTestUnit`] of unit 8 (the loader's choice: what a
    /// `Rest/binary` tail tests), one mask of the bits left.
    BsTestUnit8 { fail: Fail, ctx: Reg },
    /// Match `bits` bits of the string table.
    BsMatchString {
        fail: Fail,
        ctx: Reg,
        bits: u32,
        string: Span,
    },
    /// Get a UTF-8 character.
    BsGetUtf8 {
        fail: Fail,
        ctx: Reg,
        flags: u32,
        dst: Reg,
    },
    /// Skip a UTF-8 character.
    BsSkipUtf8 { fail: Fail, ctx: Reg, flags: u32 },
    /// Get a UTF-16 character.
    BsGetUtf16 {
        fail: Fail,
        ctx: Reg,
        flags: u32,
        dst: Reg,
    },
    /// Skip a UTF-16 character.
    BsSkipUtf16 { fail: Fail, ctx: Reg, flags: u32 },
    /// Get a UTF-32 character.
    BsGetUtf32 {
        fail: Fail,
        ctx: Reg,
        flags: u32,
        dst: Reg,
    },
    /// Skip a UTF-32 character.
    BsSkipUtf32 { fail: Fail, ctx: Reg, flags: u32 },
    /// The rest of the binary.
    BsGetTail { ctx: Reg, dst: Reg, live: u32 },
    /// The current position.
    BsGetPosition { ctx: Reg, dst: Reg, live: u32 },
    /// Set the position.
    BsSetPosition { ctx: Reg, pos: Src },
    /// A back edge ([`Instr::LoopOnly`], [`Instr::MoveLoopOnly`] or
    /// [`Instr::AddBandLoop`]) that closes a byte loop (the loader's
    /// choice): its target starts matching a binary, and every instruction
    /// from there to here is one the interpreter can run over a context's
    /// bytes in place (reads of single bytes, small-integer arithmetic,
    /// moves, tests, jumps, back edges to the same target). The
    /// interpreter may run the loop through many back edges in this one
    /// dispatch (it checks again what its correctness rests on); to any
    /// other reader it is the back edge it holds.
    ByteLoop(Box<Instr>),

    // ---- fused, followed by their plain instructions (`code::fuse`) ----
    /// `IsNonemptyListX | Allocate | GetListXYX` of one X register (the
    /// head of a body-recursive list function). In this and the fused
    /// forms below a Y register is held as its complement (`head` is
    /// `!y`: `move_run::y_byte`, in 16 bits here).
    ListAllocXYX {
        fail: Fail,
        src: u16,
        head: u16,
        tail: u16,
        words: u32,
    },
    /// [`Instr::ListAllocXYX`]'s three and the `Call` after them (a
    /// `line` between is no instruction): the list taken apart and the
    /// recursive call in one dispatch. The call's target, countdown and
    /// continuation are the plain `Call`'s, its last copy.
    ListAllocXYXCall {
        fail: Fail,
        src: u16,
        head: u16,
        tail: u16,
        words: u32,
    },
    /// `TestHeapPutListYX | DeallocateReturn` of an X register tail
    /// into x0 (`[H | f(T)]` returned): the tail read with no operand
    /// decoding, the cons stored in the register the return passes on.
    /// `under` is where the continuation pointer is, in words from the
    /// stack's top: `-(words + 1)` for the `deallocate`'s `words` (an
    /// index with no negation first, as the Y registers' complements).
    PutListYXDeallocReturn {
        live: u32,
        head: u16,
        tail: u16,
        under: i32,
    },
    /// `IsLtXI | Return` (`f(N) when N < 2 -> N`).
    IsLtXIReturn { fail: Fail, a: u16, imm: Term },
    /// `IsLtXX` whose fail label holds `MoveReturnX src`: on failure the
    /// move and the return, in this dispatch.
    IsLtXXElseReturnX { a: u16, b: u16, src: u16 },
    /// `IsEqExactXI | MoveReturnX src` whose fail label is the instruction
    /// after the two (a loop's base case first: `f(0, Acc) -> Acc;`), so
    /// that the loop's usual path, the failing test, goes on past the
    /// copies with no target to load.
    IsEqExactXIReturnX { a: u16, src: u16, imm: Term },
    /// `AddYX | DeallocateReturn` into x0 (`a` the Y register's
    /// complement, `under` as [`Instr::PutListYXDeallocReturn`]'s).
    AddYXDeallocReturn { a: u16, b: u16, under: i32 },
    /// `AddXI | Allocate` (`N - 1` computed before the frame is pushed).
    AddXIAllocate {
        a: u16,
        dst: u16,
        words: u32,
        delta: i64,
    },
    /// `MoveXX | Call`.
    MoveXXCall {
        src: u16,
        dst: u16,
        target: Target,
        count: Countdown,
        cont: u64,
    },
    /// `Trim | Call`.
    TrimCall {
        words: u32,
        target: Target,
        count: Countdown,
        cont: u64,
    },
    /// `MoveYX | LoopLast`.
    MoveYXLoopLast {
        src: u16,
        dst: u16,
        arity: u16,
        target: Target,
        dealloc: u32,
        count: Countdown,
    },
    /// A run of register moves `XY XY XY XX` and the `Call` after it
    /// (`super::move_run`: `regs` the register numbers, `copies` how many
    /// plain instructions follow, the call the last of them).
    MovesXYXYXYXXCall { regs: MoveRun, copies: u8 },
    /// Moves `YX XY YX XX XX` and a `Call`.
    MovesYXXYYXXXXXCall { regs: MoveRun, copies: u8 },
    /// Moves `YX XY YX XX XX YY`, a `Trim` and a `Call`.
    MovesYXXYYXXXXXYYTrimCall { regs: MoveRun, copies: u8 },
    /// Moves `YX YX YX` and a `LoopLast` or `CallLast`.
    MovesYXYXYXLast { regs: MoveRun, copies: u8 },
    /// Moves `YX XX YX` and a `LoopLast` or `CallLast`.
    MovesYXXXYXLast { regs: MoveRun, copies: u8 },
    /// Moves `XX YX YX` and a `LoopLast` or `CallLast`.
    MovesXXYXYXLast { regs: MoveRun, copies: u8 },
    /// Moves `YX YX YX YX` and a `LoopLast` or `CallLast`.
    MovesYXYXYXYXLast { regs: MoveRun, copies: u8 },
    /// Moves `YX YX YX YX YX` and a `LoopLast` or `CallLast`.
    MovesYXYXYXYXYXLast { regs: MoveRun, copies: u8 },
    /// `AddXI | Allocate`, moves `XY XX` and a `Call` (`fib`'s first
    /// body call: `super::move_run::AddPre`), the call's target and
    /// continuation held here too (its countdown and arity are the plain
    /// copy's, the last of `copies`: only a call's cold path reads them).
    AddXIAllocMovesXYXXCall {
        moves: [u8; 4],
        pre: AddPre,
        copies: u8,
        target: Target,
        cont: u64,
    },
    /// `AddXI | Allocate`, moves `XY XY XY XX` and a `Call` (`tak`'s
    /// first).
    AddXIAllocMovesXYXYXYXXCall {
        regs: MoveRun,
        copies: u8,
        pre: AddPre,
    },
    /// `AddYI`, moves `XY XX` and a `Call` (`fib`'s second), held as
    /// [`Instr::AddXIAllocMovesXYXXCall`]'s.
    AddYIMovesXYXXCall {
        moves: [u8; 4],
        pre: AddPre,
        copies: u8,
        target: Target,
        cont: u64,
    },
    /// `AddYI`, moves `YX XY YX XX XX` and a `Call` (`tak`'s second).
    AddYIMovesYXXYYXXXXXCall {
        regs: MoveRun,
        copies: u8,
        pre: AddPre,
    },
    /// `AddYI`, moves `YX XY YX XX XX YY`, a `Trim` and a `Call`
    /// (`tak`'s third).
    AddYIMovesYXXYYXXXXXYYTrimCall {
        regs: MoveRun,
        copies: u8,
        pre: AddPre,
    },
}

/// The register numbers of a two-move instruction whose variant names
/// which are X and which Y registers ([`Instr::Move2XXXX`] and the like).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move2Regs {
    /// First source.
    pub src1: u16,
    /// First destination.
    pub dst1: u16,
    /// Second source.
    pub src2: u16,
    /// Second destination.
    pub dst2: u16,
}

/// The operands of a float literal's load into `k` and the float
/// operation after it (`FloadImmAdd` and the like).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloadImmOp {
    /// The float register loaded.
    pub k: FReg,
    /// The operation's operands and result.
    pub a: FReg,
    /// Second operand.
    pub b: FReg,
    /// Result.
    pub dst: FReg,
    /// The literal's value.
    pub value: f64,
    /// The literal.
    pub src: Src,
}

/// The operands of an X register's unboxing into `k` and the float
/// operation after it (`FloadXAdd` and the like).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloadXOp {
    /// The X register read.
    pub src: u16,
    /// The float register loaded.
    pub k: FReg,
    /// The operation's first operand.
    pub a: FReg,
    /// Second operand.
    pub b: FReg,
    /// Result.
    pub dst: FReg,
}

impl Move2Regs {
    /// The [`Instr::Move2R`] these registers make, `y` telling which of
    /// `src1`, `dst1`, `src2`, `dst2` are Y registers.
    pub fn general(self, y: [bool; 4]) -> Instr {
        let reg = |n: u16, y: bool| if y { Reg::y(n) } else { Reg::x(n) };
        Instr::Move2R {
            src1: reg(self.src1, y[0]),
            dst1: reg(self.dst1, y[1]),
            src2: reg(self.src2, y[2]),
            dst2: reg(self.dst2, y[3]),
        }
    }
}

impl Instr {
    /// The bits of a continuation pointer to position `pc` of its module
    /// that the loader knows (`pc << 2`; installing the module ORs in its
    /// code id's: [`Instr::cont_mut`]).
    pub const fn cont_bits(pc: Target) -> u64 {
        (pc as u64) << 2
    }

    /// The target of a local call or back edge (the callee's entry), for
    /// pointing the calls of a traced copy of a module at a traced entry
    /// (`interp::call_trace`). Fused instructions that read their call's
    /// target from their plain copies have none of their own.
    pub fn call_target_mut(&mut self) -> Option<&mut Target> {
        match self {
            Instr::Call { target, .. }
            | Instr::CallLast { target, .. }
            | Instr::CallOnly { target, .. }
            | Instr::MoveCallOnly { target, .. }
            | Instr::LoopLast { target, .. }
            | Instr::LoopOnly { target, .. }
            | Instr::Move2XYXXCall { target, .. }
            | Instr::MoveLoopOnly { target, .. }
            | Instr::MoveXXCall { target, .. }
            | Instr::TrimCall { target, .. }
            | Instr::MoveYXLoopLast { target, .. }
            | Instr::AddXIAllocMovesXYXXCall { target, .. }
            | Instr::AddYIMovesXYXXCall { target, .. } => Some(target),
            Instr::AddBandLoop(op) => Some(&mut op.target),
            Instr::ByteLoop(back) => back.call_target_mut(),
            _ => None,
        }
    }

    /// The continuation pointer a local call pushes, for installing the
    /// code to complete with its code id's bits.
    pub fn cont_mut(&mut self) -> Option<&mut u64> {
        match self {
            Instr::Call { cont, .. }
            | Instr::Move2XYXXCall { cont, .. }
            | Instr::MoveXXCall { cont, .. }
            | Instr::TrimCall { cont, .. }
            | Instr::AddXIAllocMovesXYXXCall { cont, .. }
            | Instr::AddYIMovesXYXXCall { cont, .. } => Some(cont),
            _ => None,
        }
    }

    /// The fail label of a plain test instruction (one that jumps there
    /// when its condition is false and does nothing else), written: the
    /// loader points the labelless ones at the module's `CodeEnd`
    /// ([`Fail::target_or_end`]), so the interpreter jumps without
    /// checking for none.
    pub fn test_fail_mut(&mut self) -> Option<&mut Fail> {
        match self {
            Instr::IsLtXI { fail, .. }
            | Instr::IsGeXI { fail, .. }
            | Instr::IsLtIX { fail, .. }
            | Instr::IsGeIX { fail, .. }
            | Instr::IsLtXX { fail, .. }
            | Instr::IsGeXX { fail, .. }
            | Instr::IsEqExactImm { fail, .. }
            | Instr::IsNeExactImm { fail, .. }
            | Instr::IsEqExactXI { fail, .. }
            | Instr::IsNeExactXI { fail, .. }
            | Instr::IsInteger { fail, .. }
            | Instr::IsFloat { fail, .. }
            | Instr::IsNumber { fail, .. }
            | Instr::IsAtom { fail, .. }
            | Instr::IsNil { fail, .. }
            | Instr::IsNonemptyList { fail, .. }
            | Instr::IsNonemptyListX { fail, .. }
            | Instr::IsList { fail, .. }
            | Instr::IsTuple { fail, .. }
            | Instr::IsPid { fail, .. }
            | Instr::IsReference { fail, .. }
            | Instr::IsPort { fail, .. }
            | Instr::IsBinary { fail, .. }
            | Instr::IsBitstring { fail, .. }
            | Instr::IsFunction { fail, .. }
            | Instr::IsBoolean { fail, .. }
            | Instr::IsMap { fail, .. }
            | Instr::TestArity { fail, .. }
            | Instr::IsTupleOfArity { fail, .. }
            | Instr::ListAllocXYX { fail, .. }
            | Instr::ListAllocXYXCall { fail, .. }
            | Instr::IsLtXIReturn { fail, .. } => Some(fail),
            _ => None,
        }
    }

    /// The tagged addend of an [`Instr::AddXI`] for `a op imm`, if `op` is
    /// `+` or `-` and it fits.
    pub fn add_delta(op: ArithOp, imm: i64) -> Option<i64> {
        let d = match op {
            ArithOp::Add => imm,
            ArithOp::Sub => imm.checked_neg()?,
            _ => return None,
        };
        // A small integer `v` is the word `v << 4 | 0xF`.
        d.checked_mul(16)
    }

    /// `a op imm` for `+`/`-`, `delta` its [`Instr::add_delta`]:
    /// [`Instr::AddXI`] or [`Instr::AddYI`] by `a`'s kind.
    pub fn add_imm(op: ArithOp, fail: Fail, live: u16, a: Reg, delta: i64, dst: Reg) -> Instr {
        let r = a.index() as u16;
        if dst.is_y() && !a.is_y() {
            Instr::AddXIY {
                op,
                fail,
                live,
                a: r,
                delta,
                dst,
            }
        } else if a.is_y() {
            Instr::AddYI {
                op,
                fail,
                live,
                a: r,
                delta,
                dst,
            }
        } else {
            Instr::AddXI {
                op,
                fail,
                live,
                a: r,
                delta,
                dst,
            }
        }
    }

    /// `instr` in a shape of its own when it has one: an
    /// [`Instr::AddRR`] of `+` as [`Instr::AddXX`] or [`Instr::AddYX`],
    /// an [`Instr::IsEqExactImm`] / [`Instr::IsNeExactImm`] / [`Instr::IsNil`]
    /// of an X register as [`Instr::IsEqExactXI`] / [`Instr::IsNeExactXI`]
    /// (`[]` its immediate for `IsNil`), an [`Instr::IsNonemptyList`] of one
    /// as [`Instr::IsNonemptyListX`]; any other instruction as it is.
    pub fn shaped(self) -> Instr {
        let x = |r: Reg| (!r.is_y()).then(|| r.index() as u16);
        let xs = |s: Src| s.as_reg().and_then(x);
        match self {
            Instr::AddRR {
                op: ArithOp::Add,
                fail,
                live,
                a,
                b,
                dst,
            } => match (a.is_y(), x(b), x(dst)) {
                (false, Some(b), Some(dst)) => Instr::AddXX {
                    fail,
                    live,
                    a: a.index() as u16,
                    b,
                    dst,
                },
                (true, Some(b), Some(dst)) => Instr::AddYX {
                    fail,
                    live,
                    a: a.index() as u16,
                    b,
                    dst,
                },
                _ => self,
            },
            Instr::IsEqExactImm { fail, src, imm } => match xs(src) {
                Some(a) => Instr::IsEqExactXI { fail, a, imm },
                None => self,
            },
            Instr::IsNeExactImm { fail, src, imm } => match xs(src) {
                Some(a) => Instr::IsNeExactXI { fail, a, imm },
                None => self,
            },
            Instr::IsNil { fail, src } => match xs(src) {
                Some(a) => Instr::IsEqExactXI {
                    fail,
                    a,
                    imm: Term::NIL,
                },
                None => self,
            },
            Instr::IsNonemptyList { fail, src } => match xs(src) {
                Some(a) => Instr::IsNonemptyListX { fail, a },
                None => self,
            },
            other => other,
        }
    }

    /// `a + {x,b}` into `{x,dst}` as an [`Instr::Op2`].
    fn add_x(fail: Fail, live: u16, a: Src, b: u16, dst: u16) -> Instr {
        Instr::Op2 {
            op: ArithOp::Add,
            fail,
            live,
            a,
            b: Src::reg(Reg::x(b)),
            dst: Reg::x(dst),
        }
    }

    /// The immediate of `a op imm` whose tagged addend is `delta`
    /// ([`Instr::add_delta`]'s inverse).
    fn delta_imm(op: ArithOp, delta: i64) -> i64 {
        let d = delta >> 4;
        if op == ArithOp::Sub {
            -d
        } else {
            d
        }
    }

    /// `load | arith`, a float register loaded from a literal or an X
    /// register and a float operation, as one instruction
    /// (`Instr::FloadImmAdd`, `Instr::FloadXAdd` and the like), if they are.
    pub fn fload_arith(load: &Instr, arith: &Instr) -> Option<Instr> {
        let (op, a, b, dst) = FArith::of(arith)?;
        match *load {
            Instr::FloadImm { src, value, dst: k } => {
                let f = FloadImmOp {
                    k,
                    a,
                    b,
                    dst,
                    value,
                    src,
                };
                Some(match op {
                    FArith::Add => Instr::FloadImmAdd(f),
                    FArith::Sub => Instr::FloadImmSub(f),
                    FArith::Mul => Instr::FloadImmMul(f),
                    FArith::Div => Instr::FloadImmDiv(f),
                })
            }
            Instr::FloadX { src, dst: k } => {
                let f = FloadXOp { src, k, a, b, dst };
                Some(match op {
                    FArith::Add => Instr::FloadXAdd(f),
                    FArith::Sub => Instr::FloadXSub(f),
                    FArith::Mul => Instr::FloadXMul(f),
                    FArith::Div => Instr::FloadXDiv(f),
                })
            }
            _ => None,
        }
    }

    /// The operation of a fused float load ([`Instr::fload_arith`]).
    fn fload_op(&self) -> Option<FArith> {
        match self {
            Instr::FloadImmAdd(_) | Instr::FloadXAdd(_) => Some(FArith::Add),
            Instr::FloadImmSub(_) | Instr::FloadXSub(_) => Some(FArith::Sub),
            Instr::FloadImmMul(_) | Instr::FloadXMul(_) => Some(FArith::Mul),
            Instr::FloadImmDiv(_) | Instr::FloadXDiv(_) => Some(FArith::Div),
            _ => None,
        }
    }

    /// `move S1 D1 | move S2 D2` of four registers: [`Instr::Move2R`], or
    /// the variant for its shape where there is one.
    pub fn move2(src1: Reg, dst1: Reg, src2: Reg, dst2: Reg) -> Instr {
        let r = Move2Regs {
            src1: src1.index() as u16,
            dst1: dst1.index() as u16,
            src2: src2.index() as u16,
            dst2: dst2.index() as u16,
        };
        match (src1.is_y(), dst1.is_y(), src2.is_y(), dst2.is_y()) {
            (false, false, false, false) => Instr::Move2XXXX(r),
            (false, true, false, true) => Instr::Move2XYXY(r),
            (true, false, true, false) => Instr::Move2YXYX(r),
            (false, true, false, false) => Instr::Move2XYXX(r),
            (true, false, false, false) => Instr::Move2YXXX(r),
            (false, false, true, false) => Instr::Move2XXYX(r),
            (true, false, false, true) => Instr::Move2YXXY(r),
            (false, false, true, true) => Instr::Move2XXYY(r),
            _ => Instr::Move2R {
                src1,
                dst1,
                src2,
                dst2,
            },
        }
    }

    /// The general instruction a specialised one is an instance of (for a
    /// reader that knows only that one, as the JIT's recorder).
    pub fn general(&self) -> Option<Instr> {
        let x = |a: u16| Src::reg(Reg::x(a));
        match *self {
            Instr::IsLtXI { fail, a, imm } => Some(Instr::IsLt {
                fail,
                a: x(a),
                b: Src::constant(imm),
            }),
            Instr::IsGeXI { fail, a, imm } => Some(Instr::IsGe {
                fail,
                a: x(a),
                b: Src::constant(imm),
            }),
            Instr::IsLtIX { fail, imm, a } => Some(Instr::IsLt {
                fail,
                a: Src::constant(imm),
                b: x(a),
            }),
            Instr::IsGeIX { fail, imm, a } => Some(Instr::IsGe {
                fail,
                a: Src::constant(imm),
                b: x(a),
            }),
            Instr::IsLtXX { fail, a, b } => Some(Instr::IsLt {
                fail,
                a: x(a),
                b: x(b),
            }),
            Instr::IsGeXX { fail, a, b } => Some(Instr::IsGe {
                fail,
                a: x(a),
                b: x(b),
            }),
            Instr::FloadImm { src, dst, .. } => Some(Instr::FloadFr { src, dst }),
            Instr::FloadX { src, dst } => Some(Instr::FloadFr { src: x(src), dst }),
            Instr::FconvX { src, dst } => Some(Instr::Fconv { src: x(src), dst }),
            Instr::GetListX { src, head, tail } => Some(Instr::GetList {
                src: x(src),
                head,
                tail,
            }),
            Instr::MoveReturnX { src } => Some(Instr::MoveReturn { src: x(src) }),
            Instr::GetListXYX { src, head, tail } => Some(Instr::GetList {
                src: x(src),
                head: Reg::y(head),
                tail: Reg::x(tail),
            }),
            Instr::AddXI {
                op,
                fail,
                live,
                a,
                delta,
                dst,
            }
            | Instr::AddXIY {
                op,
                fail,
                live,
                a,
                delta,
                dst,
            } => Some(Instr::Op2XI {
                op,
                fail,
                live,
                a,
                imm: Instr::delta_imm(op, delta),
                dst,
            }),
            Instr::AddYI {
                op,
                fail,
                live,
                a,
                delta,
                dst,
            } => Some(Instr::Op2 {
                op,
                fail,
                live,
                a: Src::reg(Reg::y(a)),
                b: Src::constant(Term::small(Instr::delta_imm(op, delta))),
                dst,
            }),
            Instr::AddRR {
                op,
                fail,
                live,
                a,
                b,
                dst,
            } => Some(Instr::Op2 {
                op,
                fail,
                live,
                a: Src::reg(a),
                b: Src::reg(b),
                dst,
            }),
            Instr::AddXX {
                fail,
                live,
                a,
                b,
                dst,
            } => Some(Instr::add_x(fail, live, x(a), b, dst)),
            Instr::AddYX {
                fail,
                live,
                a,
                b,
                dst,
            } => Some(Instr::add_x(fail, live, Src::reg(Reg::y(a)), b, dst)),
            Instr::IsEqExactXI { fail, a, imm } => Some(Instr::IsEqExactImm {
                fail,
                src: x(a),
                imm,
            }),
            Instr::IsNeExactXI { fail, a, imm } => Some(Instr::IsNeExactImm {
                fail,
                src: x(a),
                imm,
            }),
            Instr::IsNonemptyListX { fail, a } => Some(Instr::IsNonemptyList { fail, src: x(a) }),
            Instr::BandXI {
                fail,
                live,
                a,
                mask,
                dst,
            } => Some(Instr::Op2XI {
                op: ArithOp::Band,
                fail,
                live,
                a,
                imm: mask >> 4,
                dst,
            }),
            Instr::BsGetU8 { fail, ctx, dst } => Some(Instr::BsGetUint {
                fail,
                ctx,
                bits: 8,
                dst,
            }),
            Instr::BsGetU16 { fail, ctx, dst } => Some(Instr::BsGetUint {
                fail,
                ctx,
                bits: 16,
                dst,
            }),
            Instr::BsGetU32 { fail, ctx, dst } => Some(Instr::BsGetUint {
                fail,
                ctx,
                bits: 32,
                dst,
            }),
            Instr::BsTestUnit8 { fail, ctx } => Some(Instr::BsTestUnit { fail, ctx, unit: 8 }),
            _ => None,
        }
    }

    /// Whether this is a `bs_skip_bits2` of one byte (a literal size).
    pub fn skips_one_byte(&self) -> bool {
        match *self {
            Instr::BsSkipBits2 { size, unit, .. } if !size.is_reg() => {
                Term::from_raw(size.raw()).as_small() == Some(8 / i64::from(unit.max(1)))
                    && (unit == 1 || unit == 8)
            }
            _ => false,
        }
    }

    /// The two instructions a fused one does, in order (for a reader that
    /// knows only those, as the JIT's recorder).
    pub fn unfused(&self) -> Option<(Instr, Instr)> {
        match *self {
            Instr::MoveLoopOnly {
                src,
                dst,
                arity,
                target,
                ref count,
            } => Some((
                Instr::MoveXX { src, dst },
                Instr::LoopOnly {
                    arity,
                    target,
                    count: count.clone(),
                },
            )),
            Instr::Move2XXXX(r) => r.general([false; 4]).unfused(),
            Instr::Move2XYXY(r) => r.general([false, true, false, true]).unfused(),
            Instr::Move2YXYX(r) => r.general([true, false, true, false]).unfused(),
            Instr::Move2XYXX(r) => r.general([false, true, false, false]).unfused(),
            Instr::Move2YXXX(r) => r.general([true, false, false, false]).unfused(),
            Instr::Move2XXYX(r) => r.general([false, false, true, false]).unfused(),
            Instr::Move2YXXY(r) => r.general([true, false, false, true]).unfused(),
            Instr::Move2XXYY(r) => r.general([false, false, true, true]).unfused(),
            Instr::Move2R {
                src1,
                dst1,
                src2,
                dst2,
            } => Instr::Move2 {
                src1: Src::reg(src1),
                dst1,
                src2: Src::reg(src2),
                dst2,
            }
            .unfused(),
            Instr::Move2 {
                src1,
                dst1,
                src2,
                dst2,
            } => Some((
                Instr::Move {
                    src: src1,
                    dst: dst1,
                },
                Instr::Move {
                    src: src2,
                    dst: dst2,
                },
            )),
            Instr::MoveCallOnly {
                src,
                dst,
                arity,
                target,
                ref count,
            } => Some((
                Instr::MoveXX { src, dst },
                Instr::CallOnly {
                    arity,
                    target,
                    count: count.clone(),
                },
            )),
            Instr::BsStartMatchPos {
                fail,
                src,
                live,
                dst,
                pos,
                pos_live,
            } => Some((
                Instr::BsStartMatch {
                    fail,
                    src,
                    live: u32::from(live),
                    dst,
                },
                Instr::BsGetPosition {
                    ctx: dst,
                    dst: pos,
                    live: u32::from(pos_live),
                },
            )),
            Instr::TestHeapPutList {
                words,
                live,
                head,
                tail,
                dst,
            } => Some((
                Instr::TestHeap {
                    heap: HeapNeed {
                        words,
                        ..HeapNeed::default()
                    },
                    live,
                },
                Instr::PutList { head, tail, dst },
            )),
            Instr::TestHeapFstore {
                heap,
                live,
                src,
                dst,
            } => Some((Instr::TestHeap { heap, live }, Instr::FstoreFr { src, dst })),
            Instr::TestHeapPutListYX {
                words,
                live,
                head,
                tail,
                dst,
            } => Instr::TestHeapPutList {
                words,
                live,
                head: Src::reg(Reg::y(head)),
                tail,
                dst: Reg::x(dst),
            }
            .unfused(),
            Instr::FloadImmAdd(f)
            | Instr::FloadImmSub(f)
            | Instr::FloadImmMul(f)
            | Instr::FloadImmDiv(f) => {
                let load = Instr::FloadImm {
                    src: f.src,
                    value: f.value,
                    dst: f.k,
                };
                Some((load, self.fload_op()?.instr(f.a, f.b, f.dst)))
            }
            Instr::FloadXAdd(f)
            | Instr::FloadXSub(f)
            | Instr::FloadXMul(f)
            | Instr::FloadXDiv(f) => {
                let load = Instr::FloadX {
                    src: f.src,
                    dst: f.k,
                };
                Some((load, self.fload_op()?.instr(f.a, f.b, f.dst)))
            }
            Instr::GetPairXX {
                src,
                index,
                dst0,
                dst1,
            } => Some((
                Instr::GetTupleElement {
                    src: Src::reg(Reg::x(src)),
                    index,
                    dst: Reg::x(dst0),
                },
                Instr::GetTupleElement {
                    src: Src::reg(Reg::x(src)),
                    index: index + 1,
                    dst: Reg::x(dst1),
                },
            )),
            Instr::TestHeapPutPair {
                words,
                live,
                dst,
                elements,
                ..
            } => Some((
                Instr::TestHeap {
                    heap: HeapNeed {
                        words: u32::from(words),
                        ..HeapNeed::default()
                    },
                    live: u32::from(live),
                },
                Instr::PutTuple2 { dst, elements },
            )),
            Instr::BsStartU8Eq(op) => Some((
                Instr::BsStartMatchPos {
                    fail: op.fail,
                    src: Src::reg(Reg::x(op.src.into())),
                    live: op.live.into(),
                    dst: Reg::x(op.ctx.into()),
                    pos: Reg::x(op.pos.into()),
                    pos_live: op.pos_live.into(),
                },
                Instr::BsGetU8Eq {
                    fail: op.get_fail,
                    ctx: Reg::x(op.ctx.into()),
                    dst: Reg::x(op.dst.into()),
                    byte: op.byte,
                    ne: op.ne,
                    unit: op.unit,
                },
            )),
            Instr::BsGetU8Select {
                fail,
                ctx,
                dst,
                sfail,
                table,
            } => Some((
                Instr::BsGetU8 { fail, ctx, dst },
                Instr::SelectVal {
                    src: Src::reg(dst),
                    fail: sfail,
                    table,
                },
            )),
            Instr::BsGetU8Eq {
                fail,
                ctx,
                dst,
                byte,
                ne,
                ..
            } => Some((
                Instr::BsGetU8 { fail, ctx, dst },
                Instr::IsEqExactImm {
                    fail: Fail::to(ne),
                    src: Src::reg(dst),
                    imm: Term::small(i64::from(byte)),
                },
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sources and destinations of the two moves `pair` unfuses into.
    fn two_moves(pair: &Instr) -> (Src, Reg, Src, Reg) {
        match pair.unfused() {
            Some((Instr::Move { src, dst }, Instr::Move { src: s2, dst: d2 })) => {
                (src, dst, s2, d2)
            }
            other => panic!("not two moves: {other:?}"),
        }
    }

    #[test]
    fn fused_float_loads_unfuse_into_the_load_and_the_operation() {
        let arith = [
            Instr::Fadd { a: 0, b: 1, dst: 2 },
            Instr::Fsub { a: 0, b: 1, dst: 2 },
            Instr::Fmul { a: 0, b: 1, dst: 2 },
            Instr::Fdiv { a: 0, b: 1, dst: 2 },
        ];
        let loads = [
            Instr::FloadImm {
                src: Src::constant(Term::NIL),
                value: 0.5,
                dst: 1,
            },
            Instr::FloadX { src: 3, dst: 1 },
        ];
        let mut seen = Vec::new();
        for load in &loads {
            for op in &arith {
                let fused = Instr::fload_arith(load, op).expect("fused");
                let (l, o) = fused.unfused().expect("unfused");
                assert_eq!(format!("{l:?} {o:?}"), format!("{load:?} {op:?}"));
                let name = format!("{fused:?}");
                let variant = name.split('(').next().unwrap_or_default().to_string();
                assert!(!seen.contains(&variant), "{variant} twice");
                seen.push(variant);
            }
        }
        let other = Instr::Fnegate { a: 0, dst: 1 };
        assert!(Instr::fload_arith(&loads[0], &other).is_none());
        assert!(Instr::fload_arith(&Instr::FmoveFr { src: 0, dst: 1 }, &arith[0]).is_none());
    }

    #[test]
    fn register_shapes_give_back_their_general_instructions() {
        let put = Instr::TestHeapPutListYX {
            words: 2,
            live: 1,
            head: 3,
            tail: Src::constant(Term::NIL),
            dst: 1,
        };
        let Some((Instr::TestHeap { heap, live }, Instr::PutList { head, tail, dst })) =
            put.unfused()
        else {
            panic!("not a test_heap and a put_list");
        };
        assert_eq!(
            (heap.words, live, head, tail, dst),
            (
                2,
                1,
                Src::reg(Reg::y(3)),
                Src::constant(Term::NIL),
                Reg::x(1)
            )
        );
        let get = Instr::GetListXYX {
            src: 0,
            head: 2,
            tail: 0,
        };
        let Some(Instr::GetList { src, head, tail }) = get.general() else {
            panic!("not a get_list");
        };
        assert_eq!(
            (src, head, tail),
            (Src::reg(Reg::x(0)), Reg::y(2), Reg::x(0))
        );
        let Some(Instr::MoveReturn { src }) = (Instr::MoveReturnX { src: 2 }).general() else {
            panic!("not a move_return");
        };
        assert_eq!(src, Src::reg(Reg::x(2)));
        let Some(Instr::Fconv { src, dst }) = (Instr::FconvX { src: 4, dst: 1 }).general() else {
            panic!("not an fconv");
        };
        assert_eq!((src, dst), (Src::reg(Reg::x(4)), 1));
    }

    #[test]
    fn tuple_fusions_unfuse_into_their_instructions() {
        let (a, b) = (Src::reg(Reg::y(0)), Src::reg(Reg::x(0)));
        let elements = Span { start: 7, len: 2 };
        let fused = Instr::TestHeapPutPair {
            words: 3,
            live: 1,
            dst: Reg::x(0),
            a,
            b,
            elements,
        };
        let Some((Instr::TestHeap { heap, live }, Instr::PutTuple2 { dst, elements: e })) =
            fused.unfused()
        else {
            panic!("not a test_heap and a put_tuple2");
        };
        assert_eq!(
            (heap.words, heap.floats, live, dst, e),
            (3, 0, 1, Reg::x(0), elements)
        );
        let pair = Instr::GetPairXX {
            src: 0,
            index: 4,
            dst0: 1,
            dst1: 0,
        };
        let Some((
            Instr::GetTupleElement {
                src: s0,
                index: i0,
                dst: d0,
            },
            Instr::GetTupleElement {
                src: s1,
                index: i1,
                dst: d1,
            },
        )) = pair.unfused()
        else {
            panic!("not two get_tuple_elements");
        };
        assert_eq!((s0, i0, d0), (b, 4, Reg::x(1)));
        assert_eq!((s1, i1, d1), (b, 5, Reg::x(0)));
    }

    #[test]
    fn a_move_pair_unfuses_into_its_moves_in_order() {
        let (a, b) = (Reg::x(1), Reg::x(2));
        let pair = Instr::Move2 {
            src1: Src::reg(a),
            dst1: b,
            src2: Src::reg(b),
            dst2: a,
        };
        assert_eq!(two_moves(&pair), (Src::reg(a), b, Src::reg(b), a));
        assert!(Instr::Return.unfused().is_none());
    }

    #[test]
    fn a_register_move_pair_takes_its_shape_and_unfuses_into_its_moves() {
        let reg = |y: bool, n: u16| if y { Reg::y(n) } else { Reg::x(n) };
        for bits in 0..16u8 {
            let y = [0, 1, 2, 3].map(|i| bits & (1 << i) != 0);
            let regs = [reg(y[0], 3), reg(y[1], 5), reg(y[2], 7), reg(y[3], 1)];
            let pair = Instr::move2(regs[0], regs[1], regs[2], regs[3]);
            let shaped = !matches!(pair, Instr::Move2R { .. });
            let shapes = [
                [false; 4],
                [false, true, false, true],
                [true, false, true, false],
                [false, true, false, false],
                [true, false, false, false],
                [false, false, true, false],
                [true, false, false, true],
                [false, false, true, true],
            ];
            assert_eq!(shaped, shapes.contains(&y), "{y:?}");
            assert_eq!(
                two_moves(&pair),
                (Src::reg(regs[0]), regs[1], Src::reg(regs[2]), regs[3])
            );
        }
    }

    #[test]
    fn byte_tests_unfuse_into_the_read_and_the_test() {
        let (ctx, dst) = (Reg::x(3), Reg::x(4));
        let get = Instr::BsGetU8Eq {
            fail: Fail::to(7),
            ctx,
            dst,
            byte: b';',
            ne: 9,
            unit: Fail::to(5),
        };
        let Some((Instr::BsGetU8 { fail, .. }, Instr::IsEqExactImm { fail: ne, src, imm })) =
            get.unfused()
        else {
            panic!("not a read and a test");
        };
        assert_eq!((fail, ne, src), (Fail::to(7), Fail::to(9), Src::reg(dst)));
        assert_eq!(imm, Term::small(59));
        let start = Instr::BsStartU8Eq(StartU8Eq {
            fail: Fail::to(1),
            src: 0,
            live: 3,
            ctx: 3,
            pos: 0,
            pos_live: 4,
            get_fail: Fail::to(7),
            dst: 4,
            byte: b';',
            ne: 9,
            unit: Fail::NONE,
        });
        let Some((Instr::BsStartMatchPos { dst: c, pos, .. }, second)) = start.unfused() else {
            panic!("not a start and a byte test");
        };
        assert_eq!((c, pos), (ctx, Reg::x(0)));
        assert!(matches!(second, Instr::BsGetU8Eq { byte: b';', .. }));
    }

    #[test]
    fn a_loop_tail_unfuses_into_its_add_band_and_back_edge() {
        let tail = AddBandLoop {
            op: ArithOp::Sub,
            a: 2,
            b: 4,
            sum: 0,
            add_live: 5,
            band_dst: 2,
            band_live: 4,
            src: 3,
            dst: 0,
            arity: 3,
            mask: 0xFF_FFFF << 4 | 0xF,
            target: 6,
            count: Countdown::new(),
        };
        let [add, band, back] = tail.unfused();
        let Instr::AddRR {
            op: ArithOp::Sub,
            fail: Fail::NONE,
            live: 5,
            a,
            b,
            dst,
        } = add
        else {
            panic!("not the add: {add:?}");
        };
        assert_eq!((a, b, dst), (Reg::x(2), Reg::x(4), Reg::x(0)));
        let Some(Instr::Op2XI {
            op: ArithOp::Band,
            a: 0,
            imm: 0xFF_FFFF,
            dst,
            ..
        }) = band.general()
        else {
            panic!("not the band: {band:?}");
        };
        assert_eq!(dst, Reg::x(2));
        let Some((
            Instr::MoveXX { src: 3, dst: 0 },
            Instr::LoopOnly {
                arity: 3,
                target: 6,
                ..
            },
        )) = back.unfused()
        else {
            panic!("not the move and the back edge: {back:?}");
        };
    }

    #[test]
    fn specialised_instructions_give_their_general_form_back() {
        for (op, imm) in [(ArithOp::Add, 5), (ArithOp::Sub, 1), (ArithOp::Sub, -7)] {
            let delta = Instr::add_delta(op, imm).expect("fits");
            let add = Instr::AddXI {
                op,
                fail: Fail::NONE,
                live: 2,
                a: 1,
                delta,
                dst: Reg::x(0),
            };
            let Some(Instr::Op2XI { op: o, imm: i, .. }) = add.general() else {
                panic!("not an Op2XI");
            };
            assert_eq!((o, i), (op, imm));
        }
        let band = Instr::BandXI {
            fail: Fail::NONE,
            live: 1,
            a: 0,
            mask: -3 << 4 | 0xF,
            dst: Reg::x(0),
        };
        let Some(Instr::Op2XI { op, imm, .. }) = band.general() else {
            panic!("not an Op2XI");
        };
        assert_eq!((op, imm), (ArithOp::Band, -3));
        let y = Instr::AddYI {
            op: ArithOp::Sub,
            fail: Fail::NONE,
            live: 1,
            a: 2,
            delta: Instr::add_delta(ArithOp::Sub, 3).expect("fits"),
            dst: Reg::x(0),
        };
        let Some(Instr::Op2 { op, a, b, .. }) = y.general() else {
            panic!("not an Op2");
        };
        assert_eq!(
            (op, a, b),
            (
                ArithOp::Sub,
                Src::reg(Reg::y(2)),
                Src::constant(Term::small(3))
            )
        );
        // -MIN_SMALL is no small integer: that stays an Op2XI.
        assert_eq!(Instr::add_delta(ArithOp::Sub, crate::term::MIN_SMALL), None);
        assert_eq!(Instr::add_delta(ArithOp::Mul, 2), None);
        let two = Term::small(2);
        let Some(Instr::IsLt { a, b, .. }) = (Instr::IsLtIX {
            fail: Fail::NONE,
            imm: two,
            a: 3,
        })
        .general() else {
            panic!("not an IsLt");
        };
        assert_eq!((a, b), (Src::constant(two), Src::reg(Reg::x(3))));
    }

    #[test]
    fn register_shapes_are_picked_and_give_their_general_form_back() {
        let (fail, x, y) = (Fail::to(4), Src::reg(Reg::x(2)), Src::reg(Reg::y(1)));
        let add = |a: Reg, b: Reg, dst: Reg| Instr::AddRR {
            op: ArithOp::Add,
            fail: Fail::NONE,
            live: 3,
            a,
            b,
            dst,
        };
        let general = [
            add(Reg::x(1), Reg::x(2), Reg::x(0)),
            add(Reg::y(1), Reg::x(2), Reg::x(0)),
            Instr::IsEqExactImm {
                fail,
                src: x,
                imm: Term::NIL,
            },
            Instr::IsNeExactImm {
                fail,
                src: x,
                imm: Term::small(0),
            },
            Instr::IsNonemptyList { fail, src: x },
        ];
        for instr in general {
            let shaped = instr.clone().shaped();
            assert!(
                !matches!(
                    shaped,
                    Instr::AddRR { .. }
                        | Instr::IsEqExactImm { .. }
                        | Instr::IsNeExactImm { .. }
                        | Instr::IsNonemptyList { .. }
                ),
                "{instr:?} not shaped"
            );
            let back = shaped.general().expect("a general form");
            let same = match (&back, &instr) {
                (
                    Instr::Op2 { a, b, dst, .. },
                    Instr::AddRR {
                        a: a0,
                        b: b0,
                        dst: d0,
                        ..
                    },
                ) => (*a, *b, *dst) == (Src::reg(*a0), Src::reg(*b0), *d0),
                _ => format!("{back:?}") == format!("{instr:?}"),
            };
            assert!(same, "{instr:?} came back as {back:?}");
        }
        // `is_nil` of an X register is `=:= []`; a subtraction, a Y
        // destination and a Y source of a test keep the general form.
        let nil = Instr::IsNil { fail, src: x }.shaped();
        assert!(matches!(
            nil,
            Instr::IsEqExactXI {
                a: 2,
                imm: Term::NIL,
                ..
            }
        ));
        let sub = Instr::AddRR {
            op: ArithOp::Sub,
            fail: Fail::NONE,
            live: 2,
            a: Reg::x(0),
            b: Reg::x(1),
            dst: Reg::x(0),
        };
        assert!(matches!(sub.shaped(), Instr::AddRR { .. }));
        let to_y = add(Reg::x(1), Reg::x(2), Reg::y(0));
        assert!(matches!(to_y.shaped(), Instr::AddRR { .. }));
        let of_y = Instr::IsNonemptyList { fail, src: y };
        assert!(matches!(of_y.shaped(), Instr::IsNonemptyList { .. }));
    }

    #[test]
    fn instructions_stay_small() {
        assert!(
            std::mem::size_of::<Instr>() <= 32,
            "Instr is {} bytes",
            std::mem::size_of::<Instr>()
        );
        assert_eq!(std::mem::size_of::<Src>(), 8);
        assert_eq!(std::mem::size_of::<Reg>(), 2);
    }
}
