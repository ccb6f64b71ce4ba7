//! BACKEND: the interface every architecture implements, and the driver
//! that walks an optimised, register-allocated trace and calls it.
//!
//! A root trace's code takes one argument, a `*mut Seam`
//! (`enigma_interp::seam`), runs the entry, then the body in a loop, and
//! returns after an exit stub has written its snapshot back. Every exit
//! stub writes the X registers and jumps through its slot in the trace's
//! exit table (plain data, never code): at first to the rest of the stub,
//! which records where and why it left and returns through the common
//! epilogue, or, once the exit is hot and has a side trace, to that side
//! trace (which records nothing of the exit). A side trace has
//! no prologue (it runs in its root's frame), loads what it reads from the
//! X registers its parent's exit wrote, and ends by moving the loop's
//! arguments into its root's phi registers and jumping to the root's loop
//! head (when the types agree and nothing else lives across that head),
//! else by writing them back and jumping to the root's entry. An
//! if-converted side trace (`opt/ifconv.rs`) has a loop of its own and
//! ends like a root trace; its path exits jump to a stub that tests the
//! predicate and leaves, or goes on after the instruction. Register
//! numbers in this interface are allocation indices (`0..REGS`, plus
//! [`Backend::SCRATCH`] for parallel moves); each backend maps them to
//! machine registers.

pub mod aarch64;
pub mod x86_64;

/// The backend of the machine this build runs on (x86-64's elsewhere,
/// where `crate::AVAILABLE` keeps the JIT from compiling).
#[cfg(target_arch = "aarch64")]
pub type Native = aarch64::A64;
/// The backend of the machine this build runs on (x86-64's elsewhere,
/// where `crate::AVAILABLE` keeps the JIT from compiling).
#[cfg(not(target_arch = "aarch64"))]
pub type Native = x86_64::X64;

use crate::ir::{CallSite, Cond, FOp, IntOp, Op, Trace, Ty};
use crate::regalloc::{self, Allocation};
use crate::snapshot::{Frame, Restore, F_SLOT};

/// A value's operand: a register, or an immediate machine word (an
/// untagged integer already shifted, a term word, or a float's bits).
/// Float values' registers are indices in the float register file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// An allocation index.
    Reg(u8),
    /// A constant word.
    Imm(i64),
}

/// One register written back by an exit.
#[derive(Clone, Copy, Debug)]
pub struct Store {
    /// The slot: an X register, or float register `slot - F_SLOT`
    /// ([`crate::snapshot::F_SLOT`]).
    pub slot: u16,
    /// Its value.
    pub value: Operand,
    /// The value's type: a term is stored as is, an integer retagged, a
    /// float as its bits (in an X register, below 64, with the register's
    /// bit set in the seam's `boxmask`: the interpreter boxes it).
    pub ty: Ty,
}

/// The registers (allocation indices, a bit each, per file) a call out
/// of the trace keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keep {
    /// General registers.
    pub gregs: u32,
    /// Float registers.
    pub fregs: u32,
}

/// What an architecture provides.
pub trait Backend {
    /// A code position to jump to.
    type Label: Copy;
    /// Allocatable registers.
    const REGS: u8;
    /// The register parallel moves use to break cycles.
    const SCRATCH: u8 = Self::REGS;
    /// Allocatable float registers.
    const FREGS: u8;
    /// The float register parallel moves use to break cycles.
    const FSCRATCH: u8 = Self::FREGS;

    /// A new, unbound label.
    fn label(&mut self) -> Self::Label;
    /// Binds `l` here.
    fn bind(&mut self, l: Self::Label);
    /// Function entry: save what the calling convention needs saved.
    fn prologue(&mut self);
    /// `dst` = X register `x` (a term).
    fn load_x(&mut self, dst: u8, x: u16);
    /// `dst` = `src` untagged; jumps to `exit` unless `src` is a small
    /// integer.
    fn unbox(&mut self, dst: u8, src: Operand, exit: Self::Label);
    /// Jumps to `exit` unless the term in register `a` is a small
    /// integer (writing no allocatable register).
    fn guard_small(&mut self, a: u8, exit: Self::Label);
    /// Register `r`'s small integer (a term) untagged, in place.
    fn untag(&mut self, r: u8);
    /// `dst` = the integer `src` tagged.
    fn box_int(&mut self, dst: u8, src: Operand);
    /// `dst` = `src`.
    fn mov(&mut self, dst: u8, src: Operand);
    /// Float register `dst` = float `src`.
    fn fmov(&mut self, dst: u8, src: Operand);
    /// Float register `dst` = the float the term `src` boxes; jumps to
    /// `exit` unless `src` is a float.
    fn unbox_float(&mut self, dst: u8, src: Operand, exit: Self::Label);
    /// Float register `dst` = the float the term `src` boxes (known to).
    fn float_of(&mut self, dst: u8, src: Operand);
    /// `dst` = Y register `n` of the frame buffer (a term).
    fn load_y(&mut self, dst: u8, n: u16);
    /// Float register `dst` = the raw float bits in Y register `n`.
    fn load_y_float(&mut self, dst: u8, n: u16);
    /// Y register `n` of the frame buffer = `value` (a term as is, an
    /// integer retagged, a float as its raw bits).
    fn store_y(&mut self, n: u16, value: Operand, ty: Ty);
    /// Float register `dst` = the square root of `a`; jumps to `exit`
    /// when it is not a number.
    fn fsqrt(&mut self, dst: u8, a: Operand, exit: Self::Label);
    /// Float register `dst` = the untagged integer `src` as a float.
    fn int_to_float(&mut self, dst: u8, src: Operand);
    /// Float register `dst` = `a op b`; jumps to `exit` (if any) unless
    /// the result is finite.
    fn farith(&mut self, op: FOp, dst: u8, a: Operand, b: Operand, exit: Option<Self::Label>);
    /// Jumps to `exit` unless every float of `values` is finite.
    fn fcheck(&mut self, values: &[Operand], exit: Self::Label);
    /// Float register `dst` = `-a`.
    fn fneg(&mut self, dst: u8, a: Operand);
    /// Jumps to `exit` unless `a cond b` (floats).
    fn fguard(&mut self, cond: Cond, a: Operand, b: Operand, exit: Self::Label);
    /// Jumps to `exit` unless the heap has room for `words` words.
    fn heap_check(&mut self, words: u32, exit: Self::Label);
    /// `dst` = a new cons of the terms `head` and `tail`.
    fn cons(&mut self, dst: u8, head: Operand, tail: Operand);
    /// `dst` = the float `f` boxed.
    fn box_float(&mut self, dst: u8, f: Operand);
    /// `dst` = a new tuple of `arity` elements, not yet set.
    fn alloc_tuple(&mut self, dst: u8, arity: u32);
    /// Element `n` of the new tuple `tuple` = the term `value`.
    fn set_element(&mut self, tuple: Operand, n: u32, value: Operand);
    /// Makes the heap top count what the allocations since the last
    /// flush took (a backend may move it once per run of allocations; the
    /// driver flushes before anything that can leave the trace, jump or
    /// read the heap top: see [`keeps_alloc_pending`]).
    fn flush_alloc(&mut self);
    /// Jumps to the absolute address `target`.
    fn jump_to(&mut self, target: u64);
    /// `dst` = `a op b`; jumps to `exit` on overflow.
    fn arith(&mut self, op: IntOp, dst: u8, a: Operand, b: Operand, exit: Option<Self::Label>);
    /// `dst` = `3 * a + c` (`a` a register, the constant `c` held times
    /// 16 as `a` is); jumps to `exit` on any overflow (see
    /// [`fused_mul_adds`]). `direct`: `dst` may be written before the
    /// jumps (no exit reads its register).
    fn mul3_add(&mut self, dst: u8, a: u8, c: i32, direct: bool, exit: Self::Label);
    /// Jumps to `exit` unless the term `a` is a cons (`is_list`), or is
    /// not (`!is_list`).
    fn guard_list(&mut self, a: Operand, is_list: bool, exit: Self::Label);
    /// Jumps to `exit` unless the term `a` is a tuple (of `arity`).
    fn guard_tuple(&mut self, a: Operand, arity: Option<u32>, exit: Self::Label);
    /// `dst` = the word at byte `disp` from the term `src` (a pointer
    /// with its tag).
    fn load_word(&mut self, dst: u8, src: Operand, disp: i32);
    /// Jumps to `exit` unless the term `a` is a match context whose bytes
    /// are at a fixed address while the trace runs: its word at
    /// [`CTX_START`] is not 0, or its bitstring is a heap binary.
    fn guard_ctx(&mut self, a: Operand, exit: Self::Label);
    /// `dst` = the raw word at byte `disp` from the term `src`, as an
    /// untagged integer.
    fn load_untagged(&mut self, dst: u8, src: Operand, disp: i32);
    /// The raw word at byte `disp` from the term `base` = the untagged
    /// integer `value` (not negative).
    fn store_untagged(&mut self, base: Operand, disp: i32, value: Operand);
    /// `dst` = the unsigned big-endian integer (untagged) in the `n` (1, 2
    /// or 4) bytes at the untagged bit position `bits` (a multiple of 8)
    /// of the match context `ctx` (see [`Op::CtxBytes`]).
    fn load_be(&mut self, dst: u8, ctx: Operand, bits: Operand, n: u8);
    /// `dst` = the `n`-bit (1 to 57) big-endian integer (untagged, signed
    /// if `signed`) at the untagged bit position `bits` of the match
    /// context `ctx` (see [`Op::CtxBits`]).
    fn load_bits(&mut self, dst: u8, ctx: Operand, bits: Operand, n: u8, signed: bool);
    /// `dst` = the untagged `bits` bits at the untagged bit position `pos`
    /// of the match context `ctx`'s bitstring, cut out as
    /// [`Op::SubBinary`] says; a piece copied is made by
    /// `crate::helper::copy_piece`, keeping the registers of `keep`.
    fn sub_binary(&mut self, dst: u8, ctx: Operand, pos: Operand, bits: Operand, keep: Keep);
    /// Jumps to `exit` unless `a cond b` (signed words).
    fn guard(&mut self, cond: Cond, a: Operand, b: Operand, exit: Self::Label);
    /// Jumps to `exit` unless `a band mask` is 0 (`Eq`) or is not
    /// (`Ne`).
    fn guard_test(&mut self, cond: Cond, a: Operand, mask: Operand, exit: Self::Label);
    /// `dst` = an integer not 0 when `a cond b` holds (signed words).
    fn set_if(&mut self, cond: Cond, dst: u8, a: Operand, b: Operand);
    /// `dst` = `x` when the integer `p` is not 0, else `y`, without a
    /// branch; `dst` may be `y`'s register (never `p`'s or `x`'s).
    fn select(&mut self, dst: u8, p: Operand, x: Operand, y: Operand);
    /// Jumps to `to` when whether the integer `p` is not 0 is `nonzero`.
    fn branch_if(&mut self, p: Operand, nonzero: bool, to: Self::Label);
    /// Counts one reduction and jumps to `head` while some are left, else
    /// to `exit` (the back edge: one taken branch per iteration).
    fn loop_back(&mut self, head: Self::Label, exit: Self::Label);
    /// Counts one reduction; jumps to `exit` when none are left.
    fn count_reduction(&mut self, exit: Self::Label);
    /// Counts a `return`'s reduction; when that would leave none, jumps
    /// to `exit` with it not counted (the interpreter counts it there).
    fn count_return(&mut self, exit: Self::Label);
    /// Jumps to `l`.
    fn jump(&mut self, l: Self::Label);
    /// An exit stub: jumps through the exit table's slot `snapshot` (to a
    /// side trace, which takes the registers as they are). Then, at the
    /// offset it returns (the slot's first target), the way out to the
    /// interpreter: writes `stores` to the X and float registers, the
    /// `frame` the interpreter pushes (its Y registers are in the frame
    /// buffer already), records `pc`, `kind`, `snapshot` and the trace's
    /// number in the seam, and jumps to the epilogue.
    fn exit(
        &mut self,
        stores: &[Store],
        frame: Option<Frame>,
        pc: u32,
        kind: u32,
        snapshot: u32,
    ) -> usize;
    /// The X registers in memory = the values (terms as they are,
    /// integers retagged): a run of [`Op::StoreX`] in one.
    fn write_x(&mut self, stores: &[Store]);
    /// Calls the root trace of `site` (on the same seam), keeping the
    /// registers of `keep`; jumps to
    /// `elsewhere` unless it exited through a guard resuming at
    /// `site.resume` with the X registers of `site.reads` holding raw
    /// floats exactly where `site.boxmask` says. The callee runs with the
    /// frame buffer's base past the caller's frame and `site.trailer`
    /// (written after it); it is moved back when the callee left there,
    /// and stays when it left elsewhere (the interpreter pushes the
    /// caller's frame from its trailer).
    fn call_trace(&mut self, site: &CallSite, keep: Keep, elsewhere: Self::Label);
    /// `dst` = `lists:reverse/1` of the term `list`, made by
    /// `crate::helper::reverse` at the heap top, keeping the registers of
    /// `keep`; jumps to `exit` when it made
    /// none (not a proper list, or no room).
    fn call_reverse(&mut self, dst: u8, list: Operand, keep: Keep, exit: Self::Label);
    /// Float register `dst` = the raw float bits in X register `n`.
    fn load_x_float(&mut self, dst: u8, n: u16);
    /// The way out after a called trace exited elsewhere (see
    /// [`Backend::call_trace`]): the interpreter resumes where it left
    /// (with the frames below the buffer's base); a yield becomes a guard
    /// exit (the callee's code yields at its next call).
    fn leave_call(&mut self);
    /// A recursive call closing a function trace: writes `trailer` after
    /// the frame and moves the frame buffer's base up past both (the
    /// frame stays below), or jumps to `exit` when the buffer has no room
    /// for another such frame.
    fn push_frame(&mut self, trailer: u64, exit: Self::Label);
    /// The `return` ending a return trace (`crate::returns`): when the
    /// frame below the buffer's base has the trailer of one of the
    /// [`crate::returns::SITES`] sites at `sites`, counts the return's
    /// reduction, drops the frame (the base moves down to it) and jumps to
    /// that site's code with `x0` (tagged) in [`crate::returns::X0`]; else
    /// jumps to `exit` (the interpreter returns, counting the reduction:
    /// also when counting it here would spend the slice), or to `empty`
    /// when the buffer holds no frame (both write x0). `free`: a register
    /// neither exit reads, other than x0's (the code may use it), if any.
    fn ret(
        &mut self,
        sites: u64,
        free: Option<u8>,
        x0: Store,
        exit: Self::Label,
        empty: Self::Label,
    );
    /// The end of a side trace: writes `stores`, jumps to `target`.
    fn link(&mut self, stores: &[Store], target: u64);
    /// The current code offset.
    fn offset(&self) -> usize;
    /// The machine code.
    fn finish(self) -> Result<Vec<u8>, String>;
}

/// Byte offsets from a match context term (its header's address + 2) of
/// its position, `start` and size words (`enigma_vm::term::match_state`:
/// words 2, 3 and 4 counting the header as 0).
pub const CTX_POS: i32 = 2 * 8 - 2;
/// See [`CTX_POS`]: the bitstring matched.
pub const CTX_BIN: i32 = 8 - 2;
/// See [`CTX_POS`].
pub const CTX_START: i32 = 3 * 8 - 2;
/// See [`CTX_POS`].
pub const CTX_SIZE: i32 = 4 * 8 - 2;

/// Where a side trace continues: its root trace.
#[derive(Clone, Debug)]
pub struct Link {
    /// The root's entry (after its prologue).
    pub entry: u64,
    /// The root's loop head and its phis' registers and types, in argument
    /// order, when nothing but the phis lives across the head.
    pub head: Option<(u64, Vec<(u8, Ty)>)>,
}

/// A compiled trace, not yet in executable memory.
pub struct Output {
    /// Offset of a root trace's loop head, and its phis' registers and
    /// types, when side traces may jump there (see [`Link::head`]).
    pub head: Option<(usize, Vec<(u8, Ty)>)>,
    /// The machine code.
    pub bytes: Vec<u8>,
    /// Offset of a root trace's entry after its prologue (where side
    /// traces link to).
    pub entry: usize,
    /// Per snapshot, the initial target of its exit slot (the way out to
    /// the interpreter).
    pub exits: Vec<usize>,
    /// Per snapshot, what a side trace starting there inherits (`None`:
    /// no side trace starts there: a heap check's or the yield's exit, or
    /// one inside a frame).
    pub inherit: Vec<Option<Vec<Store>>>,
    /// Per snapshot, what holds where a side trace starts there (see
    /// [`crate::ir::Trace::known`]).
    pub known: Vec<Option<crate::ir::Known>>,
}

/// Whether `op` may run between an allocation and the heap top's update
/// (see [`Backend::flush_alloc`]): it cannot leave the trace, jump, or read
/// or move the heap top (allocations, stores into their objects, loads,
/// float arithmetic without a check, constants).
fn keeps_alloc_pending(op: &Op) -> bool {
    matches!(
        op,
        Op::BoxFloat(_)
            | Op::AllocTuple(_)
            | Op::Cons(..)
            | Op::SetElement(..)
            | Op::Element(..)
            | Op::Head(_)
            | Op::Tail(_)
            | Op::LoadY(_)
            | Op::LoadYFloat(_)
            | Op::StoreY(..)
            | Op::FloatOf(_)
            | Op::FArith(_, _, _, None)
            | Op::FNeg(_)
            | Op::KInt(_)
            | Op::KTerm(_)
            | Op::KFloat(_)
            | Op::Nop
    )
}

/// Compiles `t` (optimised) with backend `b`: a root trace, or with
/// `link` (its root) a side trace.
pub fn compile<B: Backend>(t: &Trace, mut b: B, link: Option<&Link>) -> Result<Output, String> {
    let alloc = regalloc::allocate(t, B::REGS, B::FREGS)?;
    let tests = fused_tests(t);
    let mul_adds = fused_mul_adds(t, &alloc);
    let exits: Vec<B::Label> = t.snaps.iter().map(|_| b.label()).collect();
    let head = b.label();
    // An if-converted loop's path exits (`opt/ifconv.rs`) jump to a stub
    // that picks the exit, or goes on right after the instruction.
    let mut exits_at = vec![None; t.ins.len()];
    let mut resumes = vec![None; t.ins.len()];
    for p in &t.paths {
        exits_at[p.at as usize] = Some(b.label());
        if p.other.is_none() {
            resumes[p.at as usize] = Some(b.label());
        }
    }
    let opnd = |r: u32| operand(t, &alloc, r);
    // A call out of the trace keeps only the registers of values live
    // across it (before session 12: every caller-saved one, and every
    // float register the trace used).
    let keep = |i: usize| {
        let (gregs, fregs) = alloc.live_at(t, i);
        Keep { gregs, fregs }
    };
    let mut calls = Vec::new();
    let mut xstores = Vec::new();
    if link.is_none() {
        b.prologue();
    }
    let entry = b.offset();
    let mut head_at = 0;
    for (i, ins) in t.ins.iter().enumerate() {
        if !keeps_alloc_pending(&ins.op) {
            b.flush_alloc();
        }
        let dst = alloc.reg[i];
        let d = || dst.ok_or_else(|| format!("no register for value {i}"));
        let ex = |s: u32| exits_at[i].unwrap_or(exits[s as usize]);
        match ins.op {
            Op::LoadX(x) | Op::Reload(x) => b.load_x(d()?, x),
            Op::ReloadFloat(x) => b.load_x_float(d()?, x),
            Op::StoreX(n, v) if t.ty(v) == Ty::Float => {
                return Err(format!("a float stored to x{n}"));
            }
            Op::StoreX(n, v) => {
                // The arguments of a call, stored in a row: written at
                // the last one (nothing is emitted in between).
                xstores.push(Store {
                    slot: n,
                    value: opnd(v)?,
                    ty: t.ty(v),
                });
                let more = matches!(t.ins.get(i + 1).map(|n| n.op),
                    Some(Op::StoreX(_, w)) if t.ty(w) != Ty::Float);
                if !more {
                    b.write_x(&std::mem::take(&mut xstores));
                }
            }
            Op::CallTrace(k) => {
                let site = t.calls.get(k as usize).ok_or("no such call")?;
                let elsewhere = b.label();
                b.call_trace(site, keep(i), elsewhere);
                calls.push(elsewhere);
            }
            Op::KInt(_) | Op::KTerm(_) | Op::KFloat(_) | Op::Nop | Op::Phi(_) => {}
            // The parent's exit left it there (see `regalloc`).
            Op::Inherit(r) if dst == Some(r) => {}
            Op::Inherit(_) => return Err("an inherited value moved".into()),
            Op::UnboxFloat(a, s) => b.unbox_float(d()?, opnd(a)?, ex(s)),
            Op::FloatOf(a) => b.float_of(d()?, opnd(a)?),
            Op::IntToFloat(a) => b.int_to_float(d()?, opnd(a)?),
            Op::LoadY(n) => b.load_y(d()?, n),
            Op::LoadYFloat(n) => b.load_y_float(d()?, n),
            Op::StoreY(n, v) => b.store_y(n, opnd(v)?, t.ty(v)),
            Op::FSqrt(a, s) => b.fsqrt(d()?, opnd(a)?, ex(s)),
            Op::ListReverse(a, s) => b.call_reverse(d()?, opnd(a)?, keep(i), ex(s)),
            Op::FArith(op, x, y, s) => b.farith(op, d()?, opnd(x)?, opnd(y)?, s.map(ex)),
            // Checks through one exit in a row are one check.
            Op::FCheck(_, s) if i > 0 && matches!(t.ins[i - 1].op, Op::FCheck(_, e) if e == s) => {}
            Op::FCheck(_, s) => {
                let values = t.ins[i..]
                    .iter()
                    .map_while(|n| match n.op {
                        Op::FCheck(x, e) if e == s => Some(opnd(x)),
                        _ => None,
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                b.fcheck(&values, ex(s));
            }
            Op::FNeg(a) => b.fneg(d()?, opnd(a)?),
            Op::FGuard(c, x, y, s) => b.fguard(c, opnd(x)?, opnd(y)?, ex(s)),
            Op::HeapCheck(words, s) => b.heap_check(words, ex(s)),
            Op::PushFrame(trailer, s) => b.push_frame(trailer, ex(s)),
            Op::Reduce(s) => b.count_return(ex(s)),
            Op::Cons(h, tl) => b.cons(d()?, opnd(h)?, opnd(tl)?),
            Op::BoxFloat(f) => b.box_float(d()?, opnd(f)?),
            Op::AllocTuple(n) => b.alloc_tuple(d()?, n),
            Op::SetElement(tu, n, v) => b.set_element(opnd(tu)?, n, opnd(v)?),
            Op::Cmp(c, x, y) => b.set_if(c, d()?, opnd(x)?, opnd(y)?),
            Op::Select(p, x, y) => b.select(d()?, opnd(p)?, opnd(x)?, opnd(y)?),
            Op::Unbox(a, s) => b.unbox(d()?, opnd(a)?, ex(s)),
            Op::Box(a) => b.box_int(d()?, opnd(a)?),
            Op::Arith(..) if tests.contains(&(i as u32)) => {}
            Op::Arith(IntOp::Mul, a, _, Some(s)) if mul_adds.iter().any(|m| m.0 == i) => {
                let &(_, add, c) = mul_adds.iter().find(|m| m.0 == i).ok_or("no add")?;
                let (Some(d), Operand::Reg(a)) = (alloc.reg[add], opnd(a)?) else {
                    return Err("a fused multiplication without registers".into());
                };
                // The exits' values: the multiplication's snapshot, or on
                // an if-converted loop's other path that path's.
                let other = t
                    .paths
                    .iter()
                    .find(|p| p.at == i as u32)
                    .and_then(|p| p.other);
                let read = [Some(s), other]
                    .into_iter()
                    .flatten()
                    .flat_map(|s| t.snaps[s as usize].regs.iter())
                    .any(|&(_, v)| alloc.reg[v as usize] == Some(d));
                b.mul3_add(d, a, c, d != a && !read, ex(s));
            }
            Op::Arith(..) if mul_adds.iter().any(|m| m.1 == i) => {}
            Op::Arith(op, x, y, s) => b.arith(op, d()?, opnd(x)?, opnd(y)?, s.map(ex)),
            Op::Guard(c, x, _, s) if tests.contains(&x) => {
                let Op::Arith(IntOp::And, v, mask, _) = t.ins[x as usize].op else {
                    return Err("a fused test without its band".into());
                };
                b.guard_test(c, opnd(v)?, opnd(mask)?, ex(s))
            }
            Op::Guard(c, x, y, s) => b.guard(c, opnd(x)?, opnd(y)?, ex(s)),
            Op::GuardList(x, is, s) => b.guard_list(opnd(x)?, is, ex(s)),
            // A list term is its cell's address + 1, a boxed one its
            // header's + 2; tuple elements follow the header.
            Op::Head(x) => b.load_word(d()?, opnd(x)?, -1),
            Op::Tail(x) => b.load_word(d()?, opnd(x)?, 7),
            Op::GuardTuple(x, arity, s) => b.guard_tuple(opnd(x)?, arity, ex(s)),
            Op::GuardCtx(x, s) => b.guard_ctx(opnd(x)?, ex(s)),
            Op::CtxPos(x) => b.load_untagged(d()?, opnd(x)?, CTX_POS),
            Op::CtxSize(x) => b.load_untagged(d()?, opnd(x)?, CTX_SIZE),
            Op::CtxSetPos(x, p) => b.store_untagged(opnd(x)?, CTX_POS, opnd(p)?),
            Op::CtxBytes(x, p, n) => b.load_be(d()?, opnd(x)?, opnd(p)?, n),
            Op::CtxBits(x, p, n, signed) => b.load_bits(d()?, opnd(x)?, opnd(p)?, n, signed),
            Op::SubBinary(x, p, n) => b.sub_binary(d()?, opnd(x)?, opnd(p)?, opnd(n)?, keep(i)),
            Op::Element(x, n) => {
                let disp = i32::try_from(n).map_err(|_| "tuple index")? * 8 + 6;
                b.load_word(d()?, opnd(x)?, disp)
            }
            Op::Loop => {
                if let Some(s) = t.entry_yield {
                    b.count_reduction(exits[s as usize]);
                }
                let mut moves = Vec::new();
                for (p, phi) in t.ins.iter().enumerate() {
                    if let Op::Phi(entry) = phi.op {
                        let r = alloc.reg[p].ok_or("phi without a register")?;
                        moves.push((r, opnd(entry)?, phi.ty));
                    }
                }
                parallel_moves(&mut b, moves);
                b.bind(head);
                head_at = b.offset();
            }
        }
        if let Some(l) = resumes[i] {
            b.flush_alloc();
            b.bind(l);
        }
    }
    b.flush_alloc();
    let stores = |s: usize| -> Result<Vec<Store>, String> {
        let mut out = Vec::new();
        for (slot, how) in t.snaps[s].restores(t) {
            let (value, ty) = match how {
                Restore::Const(w) if slot >= F_SLOT => (Operand::Imm(w as i64), Ty::Float),
                Restore::Const(w) => (Operand::Imm(w as i64), Ty::Term),
                Restore::Value(r, ty) => (opnd(r)?, ty),
            };
            if ty == Ty::Float && (64..F_SLOT).contains(&slot) {
                return Err("a float in a high X register at an exit".into());
            }
            out.push(Store { slot, value, ty });
        }
        Ok(out)
    };
    let yield_snap = t.yield_snap as usize;
    if let Some(r) = t.ret {
        // A return: into a return trace, or out to the interpreter.
        let read = [r.snap, r.empty]
            .iter()
            .map(|&s| stores(s as usize))
            .collect::<Result<Vec<_>, _>>()?;
        let x0 = *read[1]
            .iter()
            .find(|s| s.slot == 0)
            .ok_or("a return without x0")?;
        if x0.ty == Ty::Float {
            return Err("a float returned".into());
        }
        let free = (0..B::REGS).find(|&g| {
            g != crate::returns::X0
                && !read
                    .iter()
                    .flatten()
                    .any(|s| s.value == Operand::Reg(g) && s.ty != Ty::Float)
        });
        b.ret(
            r.sites,
            free,
            x0,
            exits[r.snap as usize],
            exits[r.empty as usize],
        );
    } else if let Some(s) = t.leave {
        // A tail call made: out to the interpreter, which returns.
        b.jump(exits[s as usize]);
    } else if let Some(l) = link.filter(|_| t.loop_at().is_none()) {
        // A side trace with a loop of its own ends like a root trace.
        b.count_reduction(exits[yield_snap]);
        match head_moves(t, l, &opnd)? {
            Some((target, moves)) => {
                parallel_moves(&mut b, moves);
                b.jump_to(target);
            }
            None => {
                let stores = stores(yield_snap)?;
                // The root's entry reads boxed terms: a float would need
                // boxing, which only the interpreter does.
                if stores.iter().any(|s| s.ty == Ty::Float) {
                    return Err("a float argument at a side trace's link".into());
                }
                if let Some(u) = untagging_head_moves(t, l, &opnd)? {
                    // Terms where the root's phis are integers (tak's
                    // return traces pass on two of their frame's words
                    // as loaded): checked here and untagged in the phis'
                    // registers, not stored and loaded again by the
                    // entry; one that is no small integer takes the way
                    // through the entry, whose check exits as before.
                    let entry = b.label();
                    for &r in &u.checks {
                        b.guard_small(r, entry);
                    }
                    parallel_moves(&mut b, u.moves);
                    for r in u.untag {
                        b.untag(r);
                    }
                    b.jump_to(u.target);
                    b.bind(entry);
                }
                b.link(&stores, l.entry)
            }
        }
    } else {
        let mut moves = Vec::new();
        for &(phi, v) in &t.back {
            let r = alloc.reg[phi as usize].ok_or("phi without a register")?;
            moves.push((r, opnd(v)?, t.ty(phi)));
        }
        parallel_moves(&mut b, moves);
        b.loop_back(head, exits[yield_snap]);
    }
    // Exits that resume without a side trace: heap checks, and returns
    // that would spend the slice (the interpreter yields there).
    let heap_snaps: Vec<u32> = t
        .ins
        .iter()
        .filter_map(|i| match i.op {
            Op::HeapCheck(_, s) | Op::ListReverse(_, s) | Op::Reduce(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut tails = Vec::with_capacity(t.snaps.len());
    let mut inherit = Vec::with_capacity(t.snaps.len());
    let mut known = Vec::with_capacity(t.snaps.len());
    for (s, snap) in t.snaps.iter().enumerate() {
        b.bind(exits[s]);
        let stores = stores(s)?;
        let ret = t.ret.is_some_and(|r| r.snap == s as u32);
        let kind = if ret {
            enigma_interp::seam::EXIT_GUARD
        } else if t.leave == Some(s as u32) || t.ret.is_some_and(|r| r.empty == s as u32) {
            enigma_interp::seam::EXIT_RETURN
        } else if s as u32 == t.yield_snap || Some(s as u32) == t.entry_yield {
            enigma_interp::seam::EXIT_YIELD
        } else if heap_snaps.contains(&(s as u32)) {
            enigma_interp::seam::EXIT_HEAP
        } else {
            enigma_interp::seam::EXIT_GUARD
        };
        tails.push(b.exit(&stores, snap.frame, snap.pc, kind, s as u32));
        // A function trace's exits outside its frame (the recursion's end)
        // may have side traces too; a return's exit has return traces.
        let side = kind == enigma_interp::seam::EXIT_GUARD && snap.frame.is_none() && !ret;
        known.push(side.then(|| failed_guard(t, s as u32, &opnd)).flatten());
        inherit.push(side.then(|| known_at_exit(t, s as u32, stores, &opnd)));
    }
    for p in &t.paths {
        let at = p.at as usize;
        let s = t.ins[at]
            .op
            .snapshot()
            .ok_or("a path exit without a snapshot")?;
        let stub = exits_at[at].ok_or("a path exit without a stub")?;
        b.bind(stub);
        b.branch_if(opnd(p.pred)?, p.when, exits[s as usize]);
        match p.other.map(|o| exits[o as usize]).or(resumes[at]) {
            Some(l) => b.jump(l),
            None => return Err("a path exit going nowhere".into()),
        }
    }
    for elsewhere in calls {
        b.bind(elsewhere);
        b.leave_call();
    }
    let head = match (link, alloc_phis(t, &alloc)) {
        (None, Some(phis)) => Some((head_at, phis)),
        _ => None,
    };
    let bytes = b.finish()?;
    Ok(Output {
        head,
        bytes,
        entry,
        exits: tails,
        inherit,
        known,
    })
}

/// What a side trace of exit `s` inherits: the exit's `stores` (the
/// registers holding each slot's value as the exit is taken), where a
/// value the exit's only guard compared unequal to a constant is that
/// constant (the guard failed: it is equal).
fn known_at_exit(
    t: &Trace,
    s: u32,
    mut stores: Vec<Store>,
    opnd: &dyn Fn(u32) -> Result<Operand, String>,
) -> Vec<Store> {
    let mut guards = t.ins.iter().filter(|i| i.op.snapshot() == Some(s));
    let (Some(only), None) = (guards.next(), guards.next()) else {
        return stores;
    };
    let Op::Guard(Cond::Ne, v, k, _) = only.op else {
        return stores;
    };
    let (Ok(Operand::Reg(r)), Ok(Operand::Imm(w))) = (opnd(v), opnd(k)) else {
        return stores;
    };
    for st in &mut stores {
        if st.value == Operand::Reg(r) && st.ty == t.ty(v) && st.ty != Ty::Float {
            st.value = Operand::Imm(w);
        }
    }
    stores
}

/// What a side trace of exit `s` knows to hold: when the exit is that of
/// one guard comparing integers, in registers or constants, the
/// comparison the other way round.
fn failed_guard(
    t: &Trace,
    s: u32,
    opnd: &dyn Fn(u32) -> Result<Operand, String>,
) -> Option<crate::ir::Known> {
    use crate::ir::{Known, KnownArg};
    let mut guards = t.ins.iter().filter(|i| i.op.snapshot() == Some(s));
    let (Some(only), None) = (guards.next(), guards.next()) else {
        return None;
    };
    let Op::Guard(cond, a, b, _) = only.op else {
        return None;
    };
    let arg = |v: u32| match (t.ty(v), opnd(v)) {
        (Ty::Int, Ok(Operand::Reg(r))) => Some(KnownArg::Reg(r)),
        (Ty::Int, Ok(Operand::Imm(w))) => Some(KnownArg::Int(w >> 4)),
        _ => None,
    };
    Some(Known {
        cond: cond.negate(),
        a: arg(a)?,
        b: arg(b)?,
    })
}

/// The `band`s whose only use is a guard comparing them with 0 (`Eq` or
/// `Ne`) right after them: the guard tests the bits instead (no snapshot
/// names the `band`, so it needs no register of its own).
fn fused_tests(t: &Trace) -> Vec<u32> {
    let mut uses = vec![0u32; t.ins.len()];
    let mut count = |r: u32| uses[r as usize] += 1;
    for ins in &t.ins {
        ins.op.operands().into_iter().for_each(&mut count);
    }
    for s in &t.snaps {
        s.regs.iter().for_each(|&(_, r)| count(r));
    }
    for &(p, v) in &t.back {
        count(p);
        count(v);
    }
    t.paths.iter().for_each(|p| count(p.pred));
    let mut out = Vec::new();
    for (i, ins) in t.ins.iter().enumerate() {
        let Op::Arith(IntOp::And, _, _, _) = ins.op else {
            continue;
        };
        let next = t.ins[i + 1..].iter().find(|n| !konst_op(&n.op));
        let fused = matches!(next.map(|n| n.op),
            Some(Op::Guard(Cond::Eq | Cond::Ne, x, z, _))
                if x == i as u32 && t.ins[z as usize].op == Op::KInt(0));
        if fused && uses[i] == 1 {
            out.push(i as u32);
        }
    }
    out
}

/// `3 * a` with an overflow exit whose only reader is an `+ c` right
/// after it (and that add's own snapshot, which the interpreter would
/// resume at with the product): `(the multiplication, the add, c times
/// 16)`. The two are computed as `(a + c) + 2a`, two additions deep
/// where `3 * a` then `+ c` is three (collatz's odd step, `3 * N + 1`, is
/// on its loop's carried chain, through the select), and any overflow
/// exits at the multiplication, where the interpreter computes both
/// again (the add's snapshot is never taken: nothing else may use it).
fn fused_mul_adds(t: &Trace, alloc: &Allocation) -> Vec<(usize, usize, i32)> {
    let mut out = Vec::new();
    for (i, ins) in t.ins.iter().enumerate() {
        let Op::Arith(IntOp::Mul, a, k, Some(_)) = ins.op else {
            continue;
        };
        if t.ins[k as usize].op != Op::KInt(3) || t.ty(a) != Ty::Int {
            continue;
        }
        let Some(j) = (i + 1..t.ins.len()).find(|&j| !konst_op(&t.ins[j].op)) else {
            continue;
        };
        let Op::Arith(IntOp::Add, x, c, Some(s2)) = t.ins[j].op else {
            continue;
        };
        let Op::KInt(cv) = t.ins[c as usize].op else {
            continue;
        };
        let Some(c16) = cv.checked_mul(16).and_then(|v| i32::try_from(v).ok()) else {
            continue;
        };
        if alloc.reg[j].is_none() || alloc.reg[a as usize].is_none() {
            continue;
        }
        if x != i as u32 || !only_read_by(t, i as u32, j, s2) {
            continue;
        }
        out.push((i, j, c16));
    }
    out
}

/// Whether value `v` is read only by instruction `j` and its snapshot
/// `s`, which no other instruction, path exit or end of the trace uses.
fn only_read_by(t: &Trace, v: u32, j: usize, s: u32) -> bool {
    let read_elsewhere =
        t.ins.iter().enumerate().any(|(n, ins)| {
            n != j && (ins.op.operands().contains(&v) || ins.op.snapshot() == Some(s))
        });
    let named = t
        .snaps
        .iter()
        .enumerate()
        .any(|(n, snap)| n != s as usize && snap.regs.iter().any(|&(_, r)| r == v));
    let ends = [Some(t.yield_snap), t.entry_yield, t.leave]
        .into_iter()
        .chain(t.ret.iter().flat_map(|r| [Some(r.snap), Some(r.empty)]))
        .chain(t.paths.iter().map(|p| p.other))
        .any(|e| e == Some(s));
    let carried = t.back.iter().any(|&(p, b)| p == v || b == v);
    let pred = t.paths.iter().any(|p| p.pred == v);
    !(read_elsewhere || named || ends || carried || pred)
}

/// Whether `op` is a constant (it emits no code).
fn konst_op(op: &Op) -> bool {
    matches!(op, Op::KInt(_) | Op::KTerm(_) | Op::KFloat(_) | Op::Nop)
}

/// Register moves to make at once: `(destination, source, type)`.
type Moves = Vec<(u8, Operand, Ty)>;

/// The moves that end a side trace at its root's loop head: the
/// arguments (the yield snapshot) into the root's phi registers, when
/// their types agree.
fn head_moves(
    t: &Trace,
    l: &Link,
    opnd: &dyn Fn(u32) -> Result<Operand, String>,
) -> Result<Option<(u64, Moves)>, String> {
    let Some((target, phis)) = &l.head else {
        return Ok(None);
    };
    let args = &t.snaps[t.yield_snap as usize].regs;
    if args.len() != phis.len() {
        return Ok(None);
    }
    let mut moves = Vec::new();
    for (&(x, v), &(reg, ty)) in args.iter().zip(phis) {
        if usize::from(x) != moves.len() || t.ty(v) != ty {
            return Ok(None);
        }
        moves.push((reg, opnd(v)?, ty));
    }
    Ok(Some((*target, moves)))
}

/// The link of a trace ending at its root's loop head (see
/// [`head_moves`]) where some of its arguments are terms in registers
/// and the root's phis there integers: the loop head, the registers to
/// check for small integers, and the moves into the phis' registers (a
/// term moved as [`Ty::Term`], to be untagged there; a small integer
/// constant as the integer). `None` when some argument is neither the
/// phi's type nor such a term.
fn untagging_head_moves(
    t: &Trace,
    l: &Link,
    opnd: &dyn Fn(u32) -> Result<Operand, String>,
) -> Result<Option<Untagging>, String> {
    let Some((target, phis)) = &l.head else {
        return Ok(None);
    };
    let args = &t.snaps[t.yield_snap as usize].regs;
    if args.len() != phis.len() {
        return Ok(None);
    }
    let (mut checks, mut moves, mut untag) = (Vec::new(), Vec::new(), Vec::new());
    for (&(x, v), &(reg, ty)) in args.iter().zip(phis) {
        if usize::from(x) != moves.len() {
            return Ok(None);
        }
        let o = opnd(v)?;
        match (t.ty(v), ty, o) {
            (a, b, _) if a == b => moves.push((reg, o, ty)),
            (Ty::Term, Ty::Int, Operand::Reg(r)) => {
                checks.push(r);
                untag.push(reg);
                moves.push((reg, o, Ty::Int));
            }
            (Ty::Term, Ty::Int, Operand::Imm(w)) if w & 0xF == 0xF => {
                moves.push((reg, Operand::Imm(w - 0xF), Ty::Int));
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(Untagging {
        target: *target,
        checks,
        moves,
        untag,
    }))
}

/// See [`untagging_head_moves`].
struct Untagging {
    /// The root's loop head.
    target: u64,
    /// Registers holding terms that must be small integers.
    checks: Vec<u8>,
    /// The moves into the phis' registers.
    moves: Moves,
    /// Phis' registers that then hold a term to untag.
    untag: Vec<u8>,
}

/// A root trace's phis (registers and types, in argument order), when
/// nothing else defined before the loop is used in it and no pass closed
/// its head ([`Trace::head_closed`]).
fn alloc_phis(t: &Trace, alloc: &Allocation) -> Option<Vec<(u8, Ty)>> {
    if t.head_closed {
        return None;
    }
    let loop_at = t.loop_at()?;
    for ins in &t.ins[loop_at..] {
        let mut used: Vec<u32> = match ins.op {
            Op::Phi(_) => Vec::new(),
            op => op.operands(),
        };
        if let Some(s) = ins.op.snapshot() {
            used.extend(t.snaps[s as usize].regs.iter().map(|&(_, r)| r));
        }
        if used
            .iter()
            .any(|&r| (r as usize) < loop_at && alloc.reg[r as usize].is_some())
        {
            return None;
        }
    }
    t.ins[loop_at..]
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.op, Op::Phi(_)))
        .map(|(k, i)| Some((alloc.reg[loop_at + k]?, i.ty)))
        .collect()
}

/// The operand for value `r`.
fn operand(t: &Trace, alloc: &Allocation, r: u32) -> Result<Operand, String> {
    match t.ins[r as usize].op {
        Op::KInt(v) => Ok(Operand::Imm(v << 4)),
        Op::KTerm(w) | Op::KFloat(w) => Ok(Operand::Imm(w as i64)),
        _ => alloc.reg[r as usize]
            .map(Operand::Reg)
            .ok_or_else(|| format!("value {r} has no register")),
    }
}

/// Performs `moves` (distinct destinations in each register file) as if
/// all at once.
fn parallel_moves<B: Backend>(b: &mut B, moves: Moves) {
    for float in [false, true] {
        let file = moves
            .iter()
            .filter(|m| (m.2 == Ty::Float) == float)
            .map(|&(d, s, _)| (d, s))
            .collect();
        parallel_move(b, file, float);
    }
}

/// Performs `moves` (distinct destinations) in one register file as if
/// all at once.
fn parallel_move<B: Backend>(b: &mut B, moves: Vec<(u8, Operand)>, float: bool) {
    let (scratch, mov): (u8, fn(&mut B, u8, Operand)) = if float {
        (B::FSCRATCH, B::fmov)
    } else {
        (B::SCRATCH, B::mov)
    };
    let mut pending: Vec<(u8, Operand)> = moves
        .into_iter()
        .filter(|&(d, s)| s != Operand::Reg(d))
        .collect();
    while !pending.is_empty() {
        let ready = (0..pending.len()).find(|&k| {
            let d = Operand::Reg(pending[k].0);
            !pending.iter().enumerate().any(|(j, m)| j != k && m.1 == d)
        });
        match ready {
            Some(k) => {
                let (d, s) = pending.remove(k);
                mov(b, d, s);
            }
            None => {
                let d = pending[0].0;
                mov(b, scratch, Operand::Reg(d));
                for m in &mut pending {
                    if m.1 == Operand::Reg(d) {
                        m.1 = Operand::Reg(scratch);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backend that runs moves on an array of registers.
    struct Moves {
        regs: [i64; 4],
    }

    impl Backend for Moves {
        type Label = ();
        const REGS: u8 = 3;
        const FREGS: u8 = 0;
        fn label(&mut self) {}
        fn bind(&mut self, _: ()) {}
        fn prologue(&mut self) {}
        fn load_x(&mut self, _: u8, _: u16) {}
        fn unbox(&mut self, _: u8, _: Operand, _: ()) {}
        fn guard_small(&mut self, _: u8, _: ()) {}
        fn untag(&mut self, _: u8) {}
        fn box_int(&mut self, _: u8, _: Operand) {}
        fn mov(&mut self, dst: u8, src: Operand) {
            self.regs[dst as usize] = match src {
                Operand::Reg(r) => self.regs[r as usize],
                Operand::Imm(v) => v,
            };
        }
        fn fmov(&mut self, _: u8, _: Operand) {}
        fn unbox_float(&mut self, _: u8, _: Operand, _: ()) {}
        fn float_of(&mut self, _: u8, _: Operand) {}
        fn int_to_float(&mut self, _: u8, _: Operand) {}
        fn farith(&mut self, _: FOp, _: u8, _: Operand, _: Operand, _: Option<()>) {}
        fn fcheck(&mut self, _: &[Operand], _: ()) {}
        fn fneg(&mut self, _: u8, _: Operand) {}
        fn fguard(&mut self, _: Cond, _: Operand, _: Operand, _: ()) {}
        fn heap_check(&mut self, _: u32, _: ()) {}
        fn cons(&mut self, _: u8, _: Operand, _: Operand) {}
        fn box_float(&mut self, _: u8, _: Operand) {}
        fn alloc_tuple(&mut self, _: u8, _: u32) {}
        fn set_element(&mut self, _: Operand, _: u32, _: Operand) {}
        fn flush_alloc(&mut self) {}
        fn arith(&mut self, _: IntOp, _: u8, _: Operand, _: Operand, _: Option<()>) {}
        fn mul3_add(&mut self, _: u8, _: u8, _: i32, _: bool, _: ()) {}
        fn guard(&mut self, _: Cond, _: Operand, _: Operand, _: ()) {}
        fn guard_test(&mut self, _: Cond, _: Operand, _: Operand, _: ()) {}
        fn guard_list(&mut self, _: Operand, _: bool, _: ()) {}
        fn guard_tuple(&mut self, _: Operand, _: Option<u32>, _: ()) {}
        fn load_word(&mut self, _: u8, _: Operand, _: i32) {}
        fn guard_ctx(&mut self, _: Operand, _: ()) {}
        fn load_untagged(&mut self, _: u8, _: Operand, _: i32) {}
        fn store_untagged(&mut self, _: Operand, _: i32, _: Operand) {}
        fn load_be(&mut self, _: u8, _: Operand, _: Operand, _: u8) {}
        fn load_bits(&mut self, _: u8, _: Operand, _: Operand, _: u8, _: bool) {}
        fn sub_binary(&mut self, _: u8, _: Operand, _: Operand, _: Operand, _: Keep) {}
        fn set_if(&mut self, _: Cond, _: u8, _: Operand, _: Operand) {}
        fn select(&mut self, _: u8, _: Operand, _: Operand, _: Operand) {}
        fn branch_if(&mut self, _: Operand, _: bool, _: ()) {}
        fn count_reduction(&mut self, _: ()) {}
        fn count_return(&mut self, _: ()) {}
        fn loop_back(&mut self, _: (), _: ()) {}
        fn jump(&mut self, _: ()) {}
        fn exit(&mut self, _: &[Store], _: Option<Frame>, _: u32, _: u32, _: u32) -> usize {
            0
        }
        fn load_y(&mut self, _: u8, _: u16) {}
        fn load_y_float(&mut self, _: u8, _: u16) {}
        fn store_y(&mut self, _: u16, _: Operand, _: Ty) {}
        fn fsqrt(&mut self, _: u8, _: Operand, _: ()) {}
        fn link(&mut self, _: &[Store], _: u64) {}
        fn write_x(&mut self, _: &[Store]) {}
        fn call_trace(&mut self, _: &CallSite, _: Keep, _: ()) {}
        fn push_frame(&mut self, _: u64, _: ()) {}
        fn ret(&mut self, _: u64, _: Option<u8>, _: Store, _: (), _: ()) {}
        fn call_reverse(&mut self, _: u8, _: Operand, _: Keep, _: ()) {}
        fn load_x_float(&mut self, _: u8, _: u16) {}
        fn leave_call(&mut self) {}
        fn jump_to(&mut self, _: u64) {}
        fn offset(&self) -> usize {
            0
        }
        fn finish(self) -> Result<Vec<u8>, String> {
            Ok(Vec::new())
        }
    }

    #[test]
    fn a_band_only_a_guard_against_zero_reads_becomes_a_bit_test() {
        let mut t = Trace::default();
        t.snaps.push(crate::snapshot::Snapshot {
            pc: 0,
            regs: Vec::new(),
            frame: None,
        });
        let x = t.push(Op::Inherit(0), Ty::Int);
        let one = t.push(Op::KInt(1), Ty::Int);
        let and = t.push(Op::Arith(IntOp::And, x, one, None), Ty::Int);
        let zero = t.push(Op::KInt(0), Ty::Int);
        t.push(Op::Guard(Cond::Ne, and, zero, 0), Ty::None);
        assert_eq!(fused_tests(&t), vec![and]);
        // An exit that writes the band's value needs it in a register.
        t.snaps[0].regs.push((2, and));
        assert_eq!(fused_tests(&t), Vec::<u32>::new());
    }

    /// `3 * N + 1` in a loop over `N`: the product's exit is snapshot 1,
    /// the add's (naming the product) snapshot 2.
    fn three_n_plus_one() -> (Trace, u32, u32) {
        let mut t = Trace::default();
        let snap = |regs| crate::snapshot::Snapshot {
            pc: 0,
            regs,
            frame: None,
        };
        t.snaps.push(snap(Vec::new()));
        let n0 = t.push(Op::Inherit(0), Ty::Int);
        t.push(Op::Loop, Ty::None);
        let n = t.push(Op::Phi(n0), Ty::Int);
        t.snaps.push(snap(vec![(0, n)]));
        let three = t.push(Op::KInt(3), Ty::Int);
        let mul = t.push(Op::Arith(IntOp::Mul, n, three, Some(1)), Ty::Int);
        t.snaps.push(snap(vec![(0, mul)]));
        let one = t.push(Op::KInt(1), Ty::Int);
        let add = t.push(Op::Arith(IntOp::Add, mul, one, Some(2)), Ty::Int);
        t.back = vec![(n, add)];
        (t, mul, add)
    }

    #[test]
    fn a_product_only_an_add_reads_is_computed_with_it() {
        let (t, mul, add) = three_n_plus_one();
        let alloc = regalloc::allocate(&t, 11, 15).expect("allocated");
        assert_eq!(
            fused_mul_adds(&t, &alloc),
            vec![(mul as usize, add as usize, 16)]
        );
        // Another exit names the product: it needs its own value.
        let (mut t, ..) = three_n_plus_one();
        t.snaps[0].regs.push((1, mul));
        let alloc = regalloc::allocate(&t, 11, 15).expect("allocated");
        assert!(fused_mul_adds(&t, &alloc).is_empty());
        // Another instruction exits through the add's snapshot.
        let (mut t, ..) = three_n_plus_one();
        let zero = t.push(Op::KInt(0), Ty::Int);
        t.push(Op::Guard(Cond::Ne, add, zero, 2), Ty::None);
        let alloc = regalloc::allocate(&t, 11, 15).expect("allocated");
        assert!(fused_mul_adds(&t, &alloc).is_empty());
        // By another factor: a plain multiplication.
        let (mut t, ..) = three_n_plus_one();
        t.ins[mul as usize - 1].op = Op::KInt(5);
        let alloc = regalloc::allocate(&t, 11, 15).expect("allocated");
        assert!(fused_mul_adds(&t, &alloc).is_empty());
    }

    #[test]
    fn parallel_moves_swap_rotate_and_load_constants() {
        let mut b = Moves {
            regs: [10, 11, 12, 0],
        };
        // r0 <- r1, r1 <- r2, r2 <- r0 (a cycle), then a constant.
        let rot = vec![
            (0, Operand::Reg(1)),
            (1, Operand::Reg(2)),
            (2, Operand::Reg(0)),
        ];
        parallel_move(&mut b, rot, false);
        assert_eq!(&b.regs[..3], &[11, 12, 10]);
        parallel_move(
            &mut b,
            vec![(1, Operand::Reg(0)), (0, Operand::Imm(7))],
            false,
        );
        assert_eq!(&b.regs[..2], &[7, 11]);
    }
}
