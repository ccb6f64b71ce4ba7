//! IR: the SSA form a trace is recorded into (DESIGN §6).
//!
//! A trace is one straight line of instructions, each defining at most one
//! value named by its index ([`Ref`]). It has two parts, split by
//! [`Op::Loop`]: the *entry* runs once when the trace is entered (it loads
//! the anchor's argument registers and checks their types); the *body*
//! runs once per loop iteration and ends with the back edge, which moves
//! [`Trace::back`]'s values into the body's [`Op::Phi`]s and jumps to the
//! loop head. Values defined in the entry are loop invariant.
//!
//! Three value types ([`Ty`]): a tagged term, a small integer kept
//! untagged, and a float kept unboxed (an `f64`, in a float register). An untagged integer `v` is held as `v << 4` (the tag bits
//! cleared): adding or subtracting two of them overflows the machine word
//! exactly when the result leaves the 60-bit small range, so the overflow
//! guard is the CPU's overflow flag; retagging is `| 0xF`.
//!
//! Guards carry the number of a [`Snapshot`]: when the condition fails,
//! the trace leaves through it.

use std::fmt;

use enigma_vm::code::Target;

use crate::snapshot::{Frame, Snapshot};

/// An IR value: the index of the instruction defining it.
pub type Ref = u32;

/// The type of an IR value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A tagged term.
    Term,
    /// A small integer, untagged (held as `v << 4`).
    Int,
    /// A float, unboxed (a finite `f64`).
    Float,
    /// Defines no value.
    None,
}

/// Integer operations on untagged small integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntOp {
    /// `+`, guarded for overflow.
    Add,
    /// `-`, guarded for overflow.
    Sub,
    /// `*`, guarded for overflow.
    Mul,
    /// `band`.
    And,
    /// `bor`.
    Or,
    /// `bxor`.
    Xor,
    /// `bsl` by a constant in 0..60, guarded for overflow.
    Shl(u8),
    /// `bsr` by a constant in 0..64.
    Sar(u8),
    /// `div`, guarded for a zero divisor and overflow.
    Div,
    /// `rem`, guarded for a zero divisor.
    Rem,
}

impl IntOp {
    /// Whether the operation can leave the small range or raise (it then
    /// needs a snapshot to exit through).
    pub fn can_overflow(self) -> bool {
        matches!(
            self,
            IntOp::Add | IntOp::Sub | IntOp::Mul | IntOp::Shl(_) | IntOp::Div | IntOp::Rem
        )
    }

    /// Whether the operation raises on some small integer operands (`div`
    /// and `rem` by zero raise `badarith`): its exit matters even when
    /// nobody reads its result (see [`Trace::must_stay`]).
    pub fn can_raise(self) -> bool {
        matches!(self, IntOp::Div | IntOp::Rem)
    }

    /// The result on small integers, `None` when it is not a small integer.
    pub fn eval(self, a: i64, b: i64) -> Option<i64> {
        let v = match self {
            IntOp::Add => a.checked_add(b)?,
            IntOp::Sub => a.checked_sub(b)?,
            IntOp::Mul => a.checked_mul(b)?,
            IntOp::And => a & b,
            IntOp::Or => a | b,
            IntOp::Xor => a ^ b,
            IntOp::Shl(k) => a.checked_shl(u32::from(k)).filter(|v| v >> k == a)?,
            IntOp::Sar(k) => a >> k,
            IntOp::Div => a.checked_div(b)?,
            IntOp::Rem => a.checked_rem(b)?,
        };
        enigma_vm::term::Term::fits_small(v).then_some(v)
    }
}

/// Float operations; every one is guarded for a finite result (the
/// interpreter raises `badarith` otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}

impl FOp {
    /// The result, `None` when it is not finite.
    pub fn eval(self, a: f64, b: f64) -> Option<f64> {
        let v = match self {
            FOp::Add => a + b,
            FOp::Sub => a - b,
            FOp::Mul => a * b,
            FOp::Div => a / b,
        };
        v.is_finite().then_some(v)
    }
}

/// Guard conditions: the trace goes on when the condition holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// Equal (integers, or identical term words).
    Eq,
    /// Not equal.
    Ne,
    /// Signed less than (integers).
    Lt,
    /// Signed greater or equal (integers).
    Ge,
}

impl Cond {
    /// Whether `a cond b` holds for floats.
    pub fn eval_f(self, a: f64, b: f64) -> bool {
        match self {
            Cond::Eq => a == b,
            Cond::Ne => a != b,
            Cond::Lt => a < b,
            Cond::Ge => a >= b,
        }
    }
}

impl Cond {
    /// The opposite condition.
    pub fn negate(self) -> Cond {
        match self {
            Cond::Eq => Cond::Ne,
            Cond::Ne => Cond::Eq,
            Cond::Lt => Cond::Ge,
            Cond::Ge => Cond::Lt,
        }
    }

    /// Whether `a cond b` holds.
    pub fn eval(self, a: i64, b: i64) -> bool {
        match self {
            Cond::Eq => a == b,
            Cond::Ne => a != b,
            Cond::Lt => a < b,
            Cond::Ge => a >= b,
        }
    }
}

/// An IR instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// X register `n` at trace entry (a term).
    LoadX(u16),
    /// An integer constant (its value, not shifted).
    KInt(i64),
    /// A term constant (its raw word).
    KTerm(u64),
    /// A float constant (its bits).
    KFloat(u64),
    /// A value a side trace inherits from its parent's exit: it is in
    /// this register (an allocation index in the file of its type) when
    /// the parent's exit jumps to the side trace, which starts with the
    /// parent's registers and types as they are there (LuaJIT's way).
    Inherit(u8),
    /// Guard: the term is a float; the value is that float, unboxed.
    UnboxFloat(Ref, u32),
    /// The float a term known to box one holds (no check: see
    /// `opt/carried.rs`).
    FloatOf(Ref),
    /// The untagged integer as a float (exact for every small integer
    /// the way `i64 as f64` is, as the interpreter converts).
    IntToFloat(Ref),
    /// Float arithmetic, exiting through the snapshot when the result is
    /// not finite; without a snapshot a later [`Op::FCheck`] covers it
    /// (see `opt/fcheck.rs`).
    FArith(FOp, Ref, Ref, Option<u32>),
    /// Guard: the float is finite, else exit through the snapshot (the
    /// finiteness checks of a run of float arithmetic, done at its end).
    FCheck(Ref, u32),
    /// `0.0 - a`, BEAM's `fnegate` (never `-0.0`; never leaves the finite range).
    FNeg(Ref),
    /// Guard: `a cond b` holds for floats, else exit through the snapshot.
    FGuard(Cond, Ref, Ref, u32),
    /// Guard: the term is a small integer; the value is that integer.
    Unbox(Ref, u32),
    /// The integer as a tagged term.
    Box(Ref),
    /// Integer arithmetic; the snapshot is taken when the result overflows
    /// (only for [`IntOp::can_overflow`] operations).
    Arith(IntOp, Ref, Ref, Option<u32>),
    /// Guard: `a cond b` holds, else exit through the snapshot. Integers,
    /// or terms compared as words (`Eq`/`Ne` only).
    Guard(Cond, Ref, Ref, u32),
    /// Guard: the term is a cons (`true`) or is not (`false`).
    GuardList(Ref, bool, u32),
    /// The head of a cons (guarded before).
    Head(Ref),
    /// The tail of a cons (guarded before).
    Tail(Ref),
    /// Guard: the term is a tuple, of this arity if given.
    GuardTuple(Ref, Option<u32>, u32),
    /// Element `n` (from 0) of a tuple (guarded before).
    Element(Ref, u32),
    /// Guard: the heap has room for this many words (a `test_heap`),
    /// else exit through the snapshot, where the interpreter collects.
    HeapCheck(u32, u32),
    /// A new cons `[head | tail]` of two terms, on the heap.
    Cons(Ref, Ref),
    /// The float boxed on the heap.
    BoxFloat(Ref),
    /// A new tuple of this arity, its elements set by [`Op::SetElement`]
    /// before anything else reads it.
    AllocTuple(u32),
    /// Sets element `n` (from 0) of a tuple [`Op::AllocTuple`] made to a
    /// term.
    SetElement(Ref, u32, Ref),
    /// Guard: the term is a match context whose bytes are at a fixed
    /// address while the trace runs: its `start` word is set (an off-heap
    /// buffer at a byte boundary), or its bitstring is a heap binary.
    GuardCtx(Ref, u32),
    /// A match context's position (bits consumed), untagged.
    CtxPos(Ref),
    /// A match context's size in bits, untagged.
    CtxSize(Ref),
    /// Stores the untagged integer as the match context's position (the
    /// context lives on the heap: exits need no write-back).
    CtxSetPos(Ref, Ref),
    /// The unsigned big-endian integer in the 1, 2 or 4 bytes at the
    /// match context's bit position (a multiple of 8, guarded before,
    /// with the bytes there), untagged.
    CtxBytes(Ref, Ref, u8),
    /// The `n`-bit (1 to 57) big-endian integer at the match context's
    /// bit position, anywhere, signed if `true`, untagged: the segment is
    /// there and the bitstring is at least 8 bytes long (guarded before),
    /// so an 8-byte window holding it is within its bytes.
    CtxBits(Ref, Ref, u8, bool),
    /// The untagged `bits` bits at the untagged bit position `pos` of the
    /// match context's bitstring, cut out as `Heap::sub_binary` cuts them:
    /// at most 64 whole bytes copied into a heap binary, anything else a
    /// new sub-binary over the bitstring's original binary.
    SubBinary(Ref, Ref, Ref),
    /// Y register `n` of the frame the trace allocated (a term), read
    /// from the seam's frame buffer.
    LoadY(u16),
    /// Y register `n`, where the trace stored a float's raw bits.
    LoadYFloat(u16),
    /// Stores the value (a term, or a float as its raw bits) to Y register
    /// `n` of the frame buffer, where exits find it.
    StoreY(u16, Ref),
    /// `math:sqrt/1` of a float, exiting through the snapshot when the
    /// result is not a number (a negative operand: `badarith`).
    FSqrt(Ref, u32),
    /// `lists:reverse/1` of a term, by a call out to Rust
    /// (`crate::helper`) that writes the new list at the heap top; exits
    /// through the snapshot (a heap exit, at the `call_ext`) when the
    /// term is not a proper list or the heap has no room for it.
    ListReverse(Ref, u32),
    /// Stores the value (a term, or an integer retagged) to X register
    /// `n` in memory: an argument of a [`Op::CallTrace`].
    StoreX(u16, Ref),
    /// Calls the root trace of [`Trace::calls`]`[k]` (a nested loop the
    /// traced code calls), which reads its arguments from the X registers
    /// in memory and writes its exit state there. The trace goes on when
    /// that exit resumes where the recording went on; on any other exit it
    /// leaves too, pushing its frame and the call's continuation.
    CallTrace(u32),
    /// X register `n` as a callee's trace left it in memory (a term),
    /// read after a [`Op::CallTrace`].
    Reload(u16),
    /// X register `n` as a callee's trace left it in memory: a float's
    /// raw bits (its bit in the seam's `boxmask` set, see
    /// [`CallSite::boxmask`]).
    ReloadFloat(u16),
    /// Start of the loop body.
    Loop,
    /// A loop-carried value: its entry value; the value of the next
    /// iteration is in [`Trace::back`].
    Phi(Ref),
    /// Removed by a pass (dropped by [`Trace::compact`]).
    Nop,
    /// Whether `a cond b` holds: an integer that is not 0 when it does
    /// (the predicate of an if-converted loop, `opt/ifconv.rs`).
    Cmp(Cond, Ref, Ref),
    /// `x` when the integer `p` is not 0, else `y` (no branch: a value
    /// an if-converted loop takes from one of its two paths).
    Select(Ref, Ref, Ref),
    /// The recursive call that closes a function trace (see
    /// [`Trace::recursive`]) or a return trace's (`record/returns.rs`):
    /// the frame the iteration stored becomes one of the frames below the
    /// next iteration's, followed by the word `trailer` (its continuation
    /// and shape: `enigma_interp::seam::trailer`); the frame buffer's base
    /// moves up by the frame's words and the trailer's. Exits through the
    /// snapshot (at the call) when the buffer has no room for another
    /// frame after it.
    PushFrame(u64, u32),
    /// A call of a function whose trace the trace calls, or that
    /// function's `return` back to the trace's code: one reduction, as
    /// BEAM charges every call and `return`. Exits through the snapshot
    /// (at the call or `return`, the reduction given back: the
    /// interpreter counts it there, and yields) when it would spend the
    /// slice.
    Reduce(u32),
}

impl Op {
    /// The operands.
    pub fn operands(&self) -> Vec<Ref> {
        let mut out = Vec::with_capacity(2);
        let mut op = *self;
        op.map_operands(|r| {
            out.push(r);
            r
        });
        out
    }

    /// Rewrites every operand through `f`.
    pub fn map_operands(&mut self, mut f: impl FnMut(Ref) -> Ref) {
        match self {
            Op::Unbox(a, _)
            | Op::Box(a)
            | Op::Phi(a)
            | Op::GuardList(a, _, _)
            | Op::Head(a)
            | Op::Tail(a)
            | Op::GuardTuple(a, _, _)
            | Op::Element(a, _)
            | Op::UnboxFloat(a, _)
            | Op::FloatOf(a)
            | Op::IntToFloat(a)
            | Op::BoxFloat(a)
            | Op::GuardCtx(a, _)
            | Op::CtxPos(a)
            | Op::CtxSize(a)
            | Op::StoreY(_, a)
            | Op::StoreX(_, a)
            | Op::FSqrt(a, _)
            | Op::ListReverse(a, _)
            | Op::FCheck(a, _)
            | Op::FNeg(a) => *a = f(*a),
            Op::Arith(_, a, b, _)
            | Op::Guard(_, a, b, _)
            | Op::FArith(_, a, b, _)
            | Op::Cons(a, b)
            | Op::SetElement(a, _, b)
            | Op::CtxSetPos(a, b)
            | Op::CtxBytes(a, b, _)
            | Op::CtxBits(a, b, _, _)
            | Op::Cmp(_, a, b)
            | Op::FGuard(_, a, b, _) => {
                *a = f(*a);
                *b = f(*b);
            }
            Op::SubBinary(a, b, c) | Op::Select(a, b, c) => {
                *a = f(*a);
                *b = f(*b);
                *c = f(*c);
            }
            Op::LoadX(_)
            | Op::Reload(_)
            | Op::ReloadFloat(_)
            | Op::CallTrace(_)
            | Op::Inherit(_)
            | Op::LoadY(_)
            | Op::LoadYFloat(_)
            | Op::KInt(_)
            | Op::KTerm(_)
            | Op::KFloat(_)
            | Op::HeapCheck(..)
            | Op::AllocTuple(_)
            | Op::PushFrame(..)
            | Op::Reduce(_)
            | Op::Loop
            | Op::Nop => {}
        }
    }

    /// The snapshot this instruction may exit through.
    pub fn snapshot(&self) -> Option<u32> {
        let mut op = *self;
        op.snapshot_mut().map(|s| *s)
    }

    /// The number of the snapshot this instruction may exit through, to
    /// rewrite.
    pub fn snapshot_mut(&mut self) -> Option<&mut u32> {
        match self {
            Op::Unbox(_, s)
            | Op::Guard(_, _, _, s)
            | Op::GuardList(_, _, s)
            | Op::GuardTuple(_, _, s)
            | Op::UnboxFloat(_, s)
            | Op::HeapCheck(_, s)
            | Op::GuardCtx(_, s)
            | Op::FCheck(_, s)
            | Op::FSqrt(_, s)
            | Op::ListReverse(_, s)
            | Op::PushFrame(_, s)
            | Op::Reduce(s)
            | Op::FGuard(_, _, _, s) => Some(s),
            Op::Arith(_, _, _, s) | Op::FArith(_, _, _, s) => s.as_mut(),
            _ => None,
        }
    }

    /// Whether the instruction takes heap words a heap check made room
    /// for (a [`Op::CallTrace`] boxes floats for its callee there).
    pub fn allocates(&self) -> bool {
        matches!(
            self,
            Op::Cons(..)
                | Op::BoxFloat(_)
                | Op::AllocTuple(_)
                | Op::SubBinary(..)
                | Op::CallTrace(_)
        )
    }

    /// Whether the instruction must stay even when its value is unused
    /// (it is a guard, a store, or a marker). Float arithmetic is one: a
    /// result that is not finite raises `badarith` even when nobody reads
    /// it. An allocation nobody reads may go (the heap check before it
    /// stays).
    pub fn is_effect(&self) -> bool {
        matches!(
            self,
            Op::Unbox(..)
                | Op::Guard(..)
                | Op::GuardList(..)
                | Op::GuardTuple(..)
                | Op::UnboxFloat(..)
                | Op::FArith(..)
                | Op::FCheck(..)
                | Op::FSqrt(..)
                | Op::ListReverse(..)
                | Op::StoreY(..)
                | Op::StoreX(..)
                | Op::CallTrace(_)
                | Op::FGuard(..)
                | Op::HeapCheck(..)
                | Op::SetElement(..)
                | Op::GuardCtx(..)
                | Op::CtxSetPos(..)
                | Op::PushFrame(..)
                | Op::Reduce(_)
                | Op::Loop
                | Op::Phi(_)
        )
    }
}

/// An instruction and the type of its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ins {
    /// The operation.
    pub op: Op,
    /// The type of the value it defines.
    pub ty: Ty,
}

/// A recorded trace.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// The instructions; a [`Ref`] indexes this.
    pub ins: Vec<Ins>,
    /// The snapshots guards refer to.
    pub snaps: Vec<Snapshot>,
    /// Back edge: `(phi, value of the next iteration)`.
    pub back: Vec<(Ref, Ref)>,
    /// The snapshot taken when the reductions run out at the back edge.
    pub yield_snap: u32,
    /// The traces [`Op::CallTrace`] calls.
    pub calls: Vec<CallSite>,
    /// The exits of an if-converted loop that depend on the path it took
    /// (`opt/ifconv.rs`).
    pub paths: Vec<PathExit>,
    /// A side trace with a loop of its own (`opt/ifconv.rs`): the
    /// snapshot of the reduction its first iteration, before the loop,
    /// counts (the yield of the tail call that ends it).
    pub entry_yield: Option<u32>,
    /// A function trace of non-tail recursion: each iteration ends with
    /// the function calling itself with this frame live (its words, the Y
    /// registers stored, those holding raw floats, the call's
    /// continuation), which stays on the stack below the next one
    /// ([`Op::PushFrame`]). An exit has the interpreter push every frame
    /// the trace pushed, each with its continuation, below the frame the
    /// snapshot names.
    pub recursive: Option<Frame>,
    /// A trace ending at a `return` into the frames a function trace
    /// left (`crate::returns`): no back edge; the end returns into a
    /// return trace or exits through this snapshot.
    pub ret: Option<crate::returns::Ret>,
    /// A side trace ending in a tail call of `lists:reverse/1` it made
    /// (`record/frame.rs`, `Recording::reverse_only`): no back edge; it
    /// exits through this snapshot (x0 the result) as
    /// [`enigma_interp::seam::EXIT_RETURN`], the interpreter returning to
    /// the continuation on the stack.
    pub leave: Option<u32>,
    /// A return trace ending in a tail call (`call_last`, `call_only`) of
    /// another function's function trace (bench_nrev's `app(nrev(T),
    /// [H])`): that root trace's number, whose entry (or loop head) the
    /// end links to rather than its own root's (`record/returns.rs`,
    /// `Recording::tail_call_other`).
    pub tail: Option<u32>,
    /// The loop's code assumes it is entered from the peeled iteration
    /// alone (`opt/carried.rs` removed guards on that ground): no side
    /// trace may jump to its head.
    pub head_closed: bool,
    /// A side trace's start: the comparison its parent's guard found
    /// false there, which holds the other way round (`opt/known.rs`).
    pub known: Option<Known>,
}

/// A comparison of integers known to hold where a side trace starts: its
/// parent's exit is that of one guard, `a cond b` negated (session 22:
/// fib's and tak's base cases tested `N < 2` and `Y >= X` again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known {
    /// The condition that holds.
    pub cond: Cond,
    /// Its left operand.
    pub a: KnownArg,
    /// Its right operand.
    pub b: KnownArg,
}

/// An operand of a [`Known`] comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnownArg {
    /// The parent's register the side trace inherits ([`Op::Inherit`]).
    Reg(u8),
    /// An integer constant (not shifted).
    Int(i64),
}

/// An exit of instruction `at` of an if-converted loop that belongs to
/// one of its two paths: it is taken when whether `pred` is not 0 is
/// `when`; on the other path the trace leaves through `other` (the
/// same operation on the other path, with its own snapshot) or, without
/// one, goes on after `at` (whose value only that path reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathExit {
    /// The instruction whose snapshot this is.
    pub at: Ref,
    /// The predicate: which path the iteration takes.
    pub pred: Ref,
    /// The predicate's truth on the path that exits through `at`'s
    /// snapshot.
    pub when: bool,
    /// The snapshot to exit through on the other path.
    pub other: Option<u32>,
}

/// A call from a trace into another root trace (see [`Op::CallTrace`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallSite {
    /// The callee trace's number.
    pub trace: u32,
    /// The address of its code (its prologue).
    pub code: u64,
    /// Where the exit it takes when the callee's loop ends resumes (the
    /// recording went on there): any other exit leaves this trace too
    /// (unless [`CallSite::returns`]).
    pub resume: Target,
    /// The caller's frame at the call, with the call's continuation, which
    /// the interpreter pushes when the trace leaves from inside the call.
    pub frame: Frame,
    /// That frame's trailer (marked `seam::CALLER`), written after it in
    /// the frame buffer: the callee runs with the buffer's base past both.
    pub trailer: u64,
    /// Words of the frame buffer the callee uses (with the traces it
    /// calls), above the caller's frame and trailer.
    pub words: u32,
    /// Whether the trace goes on when the callee returns to the call's
    /// continuation (an `EXIT_RETURN` with the caller's trailer right
    /// below the buffer's base: x0 is the result, and the return's
    /// reduction is counted here, or left to the interpreter, going out
    /// as the callee left, when it would spend the slice) rather than
    /// when it exits at [`CallSite::resume`].
    pub returns: bool,
    /// The X registers the trace reads from memory after the call: each
    /// must hold a float's raw bits (its bit in the seam's `boxmask`)
    /// exactly when its bit is set in [`CallSite::boxmask`], as it did
    /// when the trace was recorded.
    pub reads: u64,
    /// See [`CallSite::reads`].
    pub boxmask: u64,
}

impl Trace {
    /// Appends an instruction; returns its value.
    pub fn push(&mut self, op: Op, ty: Ty) -> Ref {
        self.ins.push(Ins { op, ty });
        (self.ins.len() - 1) as Ref
    }

    /// The type of `r`.
    pub fn ty(&self, r: Ref) -> Ty {
        self.ins[r as usize].ty
    }

    /// The index of [`Op::Loop`], if any.
    pub fn loop_at(&self) -> Option<usize> {
        self.ins.iter().position(|i| i.op == Op::Loop)
    }

    /// Whether instruction `r` must stay even when nobody reads its value:
    /// an effect ([`Op::is_effect`]), or a `div`/`rem` whose divisor is not
    /// a constant other than 0. Its exit is where the interpreter raises
    /// `badarith` for a zero divisor, which the compiler keeps the
    /// operation for even when the quotient is unused (`_ = 7 div B`,
    /// `0 * (7 div B)`, which erlc reduces to the same). An overflow (only
    /// `MIN div -1`) would just make a bignum nobody reads.
    pub fn must_stay(&self, r: Ref) -> bool {
        match self.ins[r as usize].op {
            Op::Arith(op, _, b, _) if op.can_raise() => {
                !matches!(self.ins[b as usize].op, Op::KInt(k) if k != 0)
            }
            op => op.is_effect(),
        }
    }

    /// Rewrites every use (operands, snapshots, back edge) through `f`.
    pub fn map_uses(&mut self, f: impl Fn(Ref) -> Ref) {
        for i in &mut self.ins {
            i.op.map_operands(&f);
        }
        for s in &mut self.snaps {
            for e in &mut s.regs {
                e.1 = f(e.1);
            }
        }
        for b in &mut self.back {
            *b = (f(b.0), f(b.1));
        }
    }

    /// Drops the [`Op::Nop`]s, renumbering the values.
    pub fn compact(&mut self) {
        let mut new = vec![0 as Ref; self.ins.len()];
        let mut kept = Vec::with_capacity(self.ins.len());
        for (i, ins) in self.ins.iter().enumerate() {
            if ins.op != Op::Nop {
                new[i] = kept.len() as Ref;
                kept.push(*ins);
            }
        }
        self.ins = kept;
        self.map_uses(|r| new[r as usize]);
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, ins) in self.ins.iter().enumerate() {
            writeln!(f, "{i:04} {:<4?} {:?}", ins.ty, ins.op)?;
        }
        writeln!(f, "back {:?}", self.back)?;
        for (i, s) in self.snaps.iter().enumerate() {
            writeln!(f, "snap {i}: pc {} {:?}", s.pc, s.regs)?;
        }
        for p in &self.paths {
            writeln!(f, "{p:?}")?;
        }
        Ok(())
    }
}
