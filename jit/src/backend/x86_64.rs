//! BACKEND x86-64, written with `dynasm!` (System V calling convention).
//!
//! Fixed registers: `rdi` holds the `*mut Seam` for the whole trace; `rbp`
//! the reductions left (loaded from the seam by the prologue, stored back
//! by the epilogue and around a call into another trace: a counter in
//! memory would put a store-to-load round trip on every iteration's
//! path); `r11` is the backend's temporary (and holds `htop` through a
//! run of allocations) and `r10` its second (the parallel-move scratch,
//! and the frame buffer's address between Y-register accesses: see
//! `X64::keep`). The other eleven general registers are allocatable; the
//! callee-saved ones among them are saved by the prologue and restored by
//! the common epilogue (where every exit's way out ends). Floats live in
//! `xmm0`-`xmm14` (all caller-saved: the trace is a function call);
//! `xmm15` is the float temporary and parallel-move scratch.

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler};
use enigma_interp::seam::{
    EXIT_GUARD, EXIT_RETURN, EXIT_YIELD, OFF_BOXMASK, OFF_EXIT, OFF_F, OFF_HLIMIT, OFF_HTOP,
    OFF_PC, OFF_REDS, OFF_SNAPSHOT, OFF_TRACE, OFF_X, OFF_Y, OFF_YFLOATS, OFF_YFRAME, OFF_YLIMIT,
    OFF_YSET,
};
use enigma_vm::term::binary::HEAP_BIN_LIMIT;
use enigma_vm::term::boxed::Header;
use enigma_vm::term::Subtag;

use super::{Backend, Keep, Operand, Store, CTX_BIN, CTX_SIZE, CTX_START};
use crate::ir::{CallSite, Cond, FOp, IntOp, Ty};
use crate::snapshot::{Frame, F_SLOT};

/// Machine register of each allocation index, then the scratch (`r10`).
const MACHINE: [u8; 12] = [0, 1, 2, 6, 8, 9, 3, 12, 13, 14, 15, 10];

/// The caller-saved general registers a trace keeps values in (`rax`,
/// `rcx`, `rdx`, `rsi`, `r8`, `r9`) and `rdi`, the seam: saved around a
/// call into another trace (which saves the callee-saved ones itself).
const CALLER_SAVED: [u8; 7] = [0, 1, 2, 6, 7, 8, 9];

/// `r11`.
const TMP: u8 = 11;
/// `r10`.
const TMP2: u8 = 10;
/// `xmm15`.
const FTMP: u8 = 15;
/// `rbp`: the reductions left.
const REDS: u8 = 5;
/// A boxed float's header word.
const FLOAT_HEADER: u64 = Header::new(Subtag::Float, 1).0;
/// A match context's header word.
const MATCH_STATE_HEADER: u64 = Header::new(Subtag::MatchState, 4).0;
/// A heap binary's header word (its subtag: the arity varies).
const HEAP_BIN_HEADER: u64 = Header::new(Subtag::HeapBin, 1).0;
/// A sub-binary's header word.
const SUB_BIN_HEADER: u64 = Header::new(Subtag::SubBin, 3).0;
/// The low bits of a header word (its tag and subtag).
const SUBTAG_MASK: i32 = 0x3F;

/// Whether `o` is in a register (no temporary needed to load it).
fn is_reg(o: Operand) -> bool {
    matches!(o, Operand::Reg(_))
}

/// See [`X64::undos`].
type Undo = (DynamicLabel, bool, u8, Result<i32, u8>, DynamicLabel);

/// The x86-64 backend.
pub struct X64 {
    ops: VecAssembler<X64Relocation>,
    trace: u32,
    exit_table: u64,
    epilogue: DynamicLabel,
    /// The code offset right after an instruction that left the flags as
    /// `cmp r, 0` would (a `band`/`bor`/`bxor`, or a `+`/`-` followed by
    /// its overflow exit), and the machine register `r`: a guard comparing
    /// `r` with 0 there needs no `cmp`.
    flags: Option<(usize, u8)>,
    /// The code offset right after a Y register's load or store, which
    /// left the frame buffer's address in `r10`: a Y access right there
    /// needs no load of its own (bench_nbody's `pull/4` stores fourteen in
    /// a row). Code that leaves `r10` alone carries it past itself
    /// ([`X64::keep`]): loads from terms, float arithmetic, guards on
    /// registers, allocations.
    y_base: Option<usize>,
    /// Bytes allocated in a row (boxes, tuples, conses) that the seam's
    /// `htop` does not count yet: each allocation stores at that
    /// displacement from `htop`, and [`Backend::flush_alloc`] adds them
    /// up in one instruction before anything that can leave or reads
    /// `htop` (an `add` to memory per allocation cost two of bench_nbody's
    /// `pull/4` instructions per box).
    alloc_pending: i32,
    /// The code offset right after an allocation, which left `htop` (as
    /// the seam holds it, without [`X64::alloc_pending`]) in `r11`; code
    /// that leaves `r11` alone carries it past itself ([`X64::keep`]), so
    /// Y-register loads between a box and its tuple load `htop` no more.
    htop_base: Option<usize>,
    /// The code offset right after a load from the X registers in
    /// memory, which left their address in `r11` (a trace's entry loads
    /// its arguments in a row; carried as `htop_base` is).
    x_base: Option<usize>,
    /// Whether the CPU has AVX: float arithmetic into a register other
    /// than its first operand's is one three-operand instruction
    /// (`vaddsd d, a, b`), not a copy and an operation.
    avx: bool,
    /// In-place `+`/`-` to undo before their exits (see
    /// [`X64::undo_then`]): the label their overflow jumps to, whether
    /// the undoing is a `sub`, the machine register, the operand (an
    /// immediate or a machine register) and the exit.
    undos: Vec<Undo>,
}

impl X64 {
    /// A backend for trace number `trace`, whose exits jump through the
    /// table of words at `exit_table`.
    pub fn new(trace: u32, exit_table: u64) -> X64 {
        let mut ops = VecAssembler::new(0);
        let epilogue = ops.new_dynamic_label();
        X64 {
            ops,
            trace,
            exit_table,
            epilogue,
            flags: None,
            y_base: None,
            alloc_pending: 0,
            htop_base: None,
            x_base: None,
            avx: has_avx(),
            undos: Vec::new(),
        }
    }

    /// Code entered with the frame buffer's address in `r10`: a return
    /// trace, which the return that dropped its frame jumps to with the
    /// buffer's new base there (`Backend::ret`).
    pub fn entered_with_frame_base(mut self) -> X64 {
        self.y_base = Some(self.here());
        self
    }

    /// Writes `stores` to the X and float registers (clobbers both
    /// temporaries): the array's address loaded once per run of stores
    /// to it, terms and floats stored straight from their registers.
    fn store_x(&mut self, stores: &[Store]) {
        let (mut boxed, mut terms) = (0u64, 0u64);
        let mut in_tmp = None;
        for s in stores {
            let (base, off) = match s.slot.checked_sub(F_SLOT) {
                Some(n) => (OFF_F, i32::from(n) * 8),
                None => (OFF_X, i32::from(s.slot) * 8),
            };
            if in_tmp != Some(base) {
                dynasm!(self.ops ; .arch x64 ; mov Rq(TMP), [rdi + base]);
                in_tmp = Some(base);
            }
            match (s.ty, s.value) {
                (Ty::Float, Operand::Reg(r)) => {
                    dynasm!(self.ops ; .arch x64 ; movsd QWORD [Rq(TMP) + off], Rx(r))
                }
                (Ty::Term, Operand::Reg(r)) => {
                    dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP) + off], Rq(m(r)))
                }
                (Ty::Term, Operand::Imm(v)) if i32::try_from(v).is_ok() => {
                    dynasm!(self.ops ; .arch x64 ; mov QWORD [Rq(TMP) + off], v as i32)
                }
                // An integer constant, tagged here (a base case's result).
                (Ty::Int, Operand::Imm(v)) if i32::try_from(v | 0xF).is_ok() => {
                    dynasm!(self.ops ; .arch x64 ; mov QWORD [Rq(TMP) + off], (v | 0xF) as i32)
                }
                (ty, value) => {
                    self.load(TMP2, value);
                    if ty == Ty::Int {
                        dynasm!(self.ops ; .arch x64 ; or Rq(TMP2), 0xF);
                    }
                    dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP) + off], Rq(TMP2));
                }
            }
            if s.slot < 64 {
                match s.ty {
                    Ty::Float => boxed |= 1 << s.slot,
                    _ => terms |= 1 << s.slot,
                }
            }
        }
        // A side trace's parent may have left a float's bits in a register
        // this exit now writes a term to.
        // (An immediate of 32 bits is sign-extended: the low slots' masks
        // fit.)
        if terms != 0 {
            match i32::try_from(!terms as i64) {
                Ok(k) => dynasm!(self.ops ; .arch x64 ; and QWORD [rdi + OFF_BOXMASK], k),
                Err(_) => dynasm!(self.ops
                    ; .arch x64
                    ; mov Rq(TMP), QWORD !terms as i64
                    ; and [rdi + OFF_BOXMASK], Rq(TMP)
                ),
            }
        }
        if boxed != 0 {
            match i32::try_from(boxed as i64) {
                Ok(k) => dynasm!(self.ops ; .arch x64 ; or QWORD [rdi + OFF_BOXMASK], k),
                Err(_) => dynasm!(self.ops
                    ; .arch x64
                    ; mov Rq(TMP), QWORD boxed as i64
                    ; or [rdi + OFF_BOXMASK], Rq(TMP)
                ),
            }
        }
    }

    /// x0 (`x0`'s value, tagged) in [`crate::returns::X0`], for the
    /// return trace a return jumps to.
    fn x0_for_return(&mut self, x0: Store) {
        let x = m(crate::returns::X0);
        match (x0.ty, x0.value) {
            (Ty::Int, Operand::Reg(r)) if m(r) == x => {
                dynasm!(self.ops ; .arch x64 ; or Rq(x), 0xF)
            }
            (Ty::Int, Operand::Reg(r)) => {
                dynasm!(self.ops ; .arch x64 ; lea Rq(x), [Rq(m(r)) + 0xF])
            }
            (Ty::Int, Operand::Imm(v)) => self.load(x, Operand::Imm(v | 0xF)),
            (_, v) => self.load(x, v),
        }
    }

    /// Tells the interpreter to push frame `f` at this exit, with the
    /// frames below it (`f.below`: the buffer's base moves past them).
    fn write_frame(&mut self, f: Frame) {
        if f.below != 0 {
            let bytes = f.below as i32 * 8;
            dynasm!(self.ops ; .arch x64 ; add QWORD [rdi + OFF_Y], bytes);
        }
        self.write_words(&[
            (OFF_YFRAME, u64::from(f.words)),
            (OFF_YSET, f.set),
            (OFF_YFLOATS, f.floats),
        ]);
    }

    /// Writes each `(offset, word)` to the seam.
    fn write_words(&mut self, words: &[(i32, u64)]) {
        for &(off, w) in words {
            match i32::try_from(w) {
                Ok(k) => dynasm!(self.ops ; .arch x64 ; mov QWORD [rdi + off], k),
                Err(_) => dynasm!(self.ops
                    ; .arch x64
                    ; mov Rq(TMP), QWORD w as i64
                    ; mov [rdi + off], Rq(TMP)
                ),
            }
        }
    }

    /// Float register `dst` = word `n` of the array at `base` in the seam.
    fn load_array_float(&mut self, dst: u8, base: i32, n: u16) {
        let off = i32::from(n) * 8;
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), [rdi + base]
            ; movsd Rx(dst), QWORD [Rq(TMP) + off]
        );
    }

    /// `r10` = the frame buffer's address, unless the code just emitted
    /// left it there (`y_base`). (Named for the register: until session
    /// 12 it was `r11`, and code written for that must not compile.)
    fn frame_base_in_r10(&mut self) {
        if self.y_base != Some(self.ops.offset().0) {
            dynasm!(self.ops ; .arch x64 ; mov Rq(TMP2), [rdi + OFF_Y]);
        }
    }

    /// The code offset now.
    fn here(&self) -> usize {
        self.ops.offset().0
    }

    /// Carries what `r10` (the frame buffer's address, when `r10` is
    /// true) and `r11` (`htop` or the X registers' address, when `r11`
    /// is true) held at `start` past
    /// the code emitted since, which the caller knows left that register
    /// alone.
    fn keep(&mut self, start: usize, r10: bool, r11: bool) {
        let now = self.here();
        if r10 && self.y_base == Some(start) {
            self.y_base = Some(now);
        }
        if r11 && self.htop_base == Some(start) {
            self.htop_base = Some(now);
        }
        if r11 && self.x_base == Some(start) {
            self.x_base = Some(now);
        }
    }

    /// `r11` = the seam's `htop`, unless the allocation just emitted left
    /// it there; the displacement of the next free word from it.
    fn alloc_base(&mut self) -> i32 {
        if self.htop_base != Some(self.ops.offset().0) {
            dynasm!(self.ops ; .arch x64 ; mov Rq(TMP), [rdi + OFF_HTOP]);
        }
        self.alloc_pending
    }

    /// Counts `bytes` more allocated past the seam's `htop`, which `r11`
    /// holds here.
    fn allocated(&mut self, bytes: i32) {
        self.alloc_pending += bytes;
        self.htop_base = Some(self.ops.offset().0);
    }

    /// [`Backend::farith`]'s code.
    fn farith_in(&mut self, op: FOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // `dst` is `b`'s register never, `a`'s only when no exit follows
        // (`regalloc::reuses_first_operand`).
        let in_place = a == Operand::Reg(dst);
        let constants = matches!((a, b), (Operand::Imm(_), Operand::Imm(_)));
        if self.avx && !in_place && !constants {
            // At most one of them is a constant, in `xmm15`.
            let (a, b) = (self.in_freg(a), self.in_freg(b));
            match op {
                FOp::Add => dynasm!(self.ops ; .arch x64 ; vaddsd Rx(dst), Rx(a), Rx(b)),
                FOp::Sub => dynasm!(self.ops ; .arch x64 ; vsubsd Rx(dst), Rx(a), Rx(b)),
                FOp::Mul => dynasm!(self.ops ; .arch x64 ; vmulsd Rx(dst), Rx(a), Rx(b)),
                FOp::Div => dynasm!(self.ops ; .arch x64 ; vdivsd Rx(dst), Rx(a), Rx(b)),
            }
            if let Some(exit) = exit {
                self.finite_or_exit(dst, exit);
            }
            return;
        }
        let a = self.in_freg(a);
        if a != dst {
            dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), Rx(a));
        }
        let b = self.in_freg(b);
        match op {
            FOp::Add => dynasm!(self.ops ; .arch x64 ; addsd Rx(dst), Rx(b)),
            FOp::Sub => dynasm!(self.ops ; .arch x64 ; subsd Rx(dst), Rx(b)),
            FOp::Mul => dynasm!(self.ops ; .arch x64 ; mulsd Rx(dst), Rx(b)),
            FOp::Div => dynasm!(self.ops ; .arch x64 ; divsd Rx(dst), Rx(b)),
        }
        if let Some(exit) = exit {
            self.finite_or_exit(dst, exit);
        }
    }

    /// [`Backend::fcheck`]'s code.
    fn fcheck_in(&mut self, values: &[Operand], exit: DynamicLabel) {
        let mut regs = Vec::with_capacity(values.len());
        for &v in values {
            match v {
                Operand::Reg(r) => regs.push(r),
                // A constant the fold pass kept: checked here and now.
                Operand::Imm(bits) if f64::from_bits(bits as u64).is_finite() => {}
                Operand::Imm(_) => {
                    dynasm!(self.ops ; .arch x64 ; jmp =>exit);
                    return;
                }
            }
        }
        self.all_finite_or_exit(&regs, exit);
    }

    /// [`Backend::box_float`]'s code.
    fn box_float_in(&mut self, dst: u8, f: Operand) {
        let at = self.alloc_base();
        dynasm!(self.ops ; .arch x64 ; mov QWORD [Rq(TMP) + at], FLOAT_HEADER as i32);
        match f {
            Operand::Reg(r) => {
                dynasm!(self.ops ; .arch x64 ; movsd QWORD [Rq(TMP) + at + 8], Rx(r))
            }
            Operand::Imm(_) => {
                self.load(TMP2, f);
                dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP) + at + 8], Rq(TMP2));
            }
        }
        dynasm!(self.ops ; .arch x64 ; lea Rq(m(dst)), [Rq(TMP) + at + 2]);
        self.allocated(16);
    }

    /// [`Backend::alloc_tuple`]'s code.
    fn alloc_tuple_in(&mut self, dst: u8, arity: u32) {
        // The recorder keeps arities below 2^20: the header and the size
        // fit in 32 bits.
        let header = Header::new(Subtag::Tuple, arity as usize).0 as i32;
        let bytes = ((arity + 1) * 8) as i32;
        let at = self.alloc_base();
        dynasm!(self.ops
            ; .arch x64
            ; mov QWORD [Rq(TMP) + at], header
            ; lea Rq(m(dst)), [Rq(TMP) + at + 2]
        );
        self.allocated(bytes);
    }

    /// The float register holding `o`, loading an immediate into `xmm15`.
    fn in_freg(&mut self, o: Operand) -> u8 {
        match o {
            Operand::Reg(r) => r,
            Operand::Imm(bits) => {
                self.load(TMP, Operand::Imm(bits));
                dynasm!(self.ops ; .arch x64 ; movq Rx(FTMP), Rq(TMP));
                FTMP
            }
        }
    }
}

/// Whether the CPU running the traces has AVX. The standard library asks
/// `cpuid` once per process and remembers; on a virtual machine each
/// `cpuid` traps to the hypervisor (5-30 µs on the development VM), so
/// [`crate::install`] asks at start-up rather than the first compile
/// (`docs/JIT.md`, *Measurements*, session 15).
pub fn has_avx() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn m(r: u8) -> u8 {
    MACHINE[r as usize]
}

impl X64 {
    /// Machine register `d` = `src`.
    fn load(&mut self, d: u8, src: Operand) {
        match src {
            Operand::Reg(s) if m(s) == d => {}
            Operand::Reg(s) => dynasm!(self.ops ; .arch x64 ; mov Rq(d), Rq(m(s))),
            Operand::Imm(v) => match i32::try_from(v) {
                Ok(v) => dynasm!(self.ops ; .arch x64 ; mov Rq(d), v),
                Err(_) => dynasm!(self.ops ; .arch x64 ; mov Rq(d), QWORD v),
            },
        }
    }

    /// The machine register holding `o`, loading an immediate into `tmp`.
    fn in_reg(&mut self, o: Operand, tmp: u8) -> u8 {
        match o {
            Operand::Reg(r) => m(r),
            Operand::Imm(_) => {
                self.load(tmp, o);
                tmp
            }
        }
    }

    /// Jumps to `exit` unless the term in `s` is boxed, as far as the
    /// header word read right after needs: no term has the header tag
    /// (0; docs/TERMS.md), so bit 0 clear leaves only the boxed tag (2),
    /// where a list (1) and an immediate (3) have it set.
    fn guard_boxed(&mut self, s: u8, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; test Rb(s), 1
            ; jnz =>exit
        );
    }

    /// Jumps to `exit` unless the term `src` is boxed with header word
    /// `header`; returns the machine register holding it (`r10` for an
    /// immediate; clobbers `r11` for a header beyond 32 bits).
    fn guard_header(&mut self, src: Operand, header: u64, exit: DynamicLabel) -> u8 {
        let s = self.in_reg(src, TMP2);
        self.guard_boxed(s, exit);
        match i32::try_from(header) {
            Ok(h) => dynasm!(self.ops
                ; .arch x64
                ; cmp QWORD [Rq(s) - 2], h
                ; jne =>exit
            ),
            Err(_) => dynasm!(self.ops
                ; .arch x64
                ; mov Rq(TMP), QWORD header as i64
                ; cmp [Rq(s) - 2], Rq(TMP)
                ; jne =>exit
            ),
        }
        s
    }

    /// Machine register `r` = the address of the first byte of the match
    /// context in machine register `c` (not `r`): its `start`, or the
    /// bytes of its heap binary (`[hdr, byte size, bytes..]`), which no
    /// collection moves while the trace runs.
    fn ctx_bytes(&mut self, c: u8, r: u8) {
        let have = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(r), [Rq(c) + CTX_START]
            ; test Rq(r), Rq(r)
            ; jnz =>have
            ; mov Rq(r), [Rq(c) + CTX_BIN]
            ; add Rq(r), 14
            ; =>have
        );
    }

    /// Sets the flags from `cmp a, b`, or from `test a, b` (as `cmp` of
    /// `a band b` with 0).
    fn flags(&mut self, test: bool, a: Operand, b: Operand) {
        let a = self.in_reg(a, TMP);
        match (b, test) {
            (Operand::Imm(v), false) if i32::try_from(v).is_ok() => {
                dynasm!(self.ops ; .arch x64 ; cmp Rq(a), v as i32)
            }
            (Operand::Imm(v), true) if i32::try_from(v).is_ok() => {
                dynasm!(self.ops ; .arch x64 ; test Rq(a), v as i32)
            }
            _ => {
                let b = self.in_reg(b, TMP2);
                if test {
                    dynasm!(self.ops ; .arch x64 ; test Rq(a), Rq(b))
                } else {
                    dynasm!(self.ops ; .arch x64 ; cmp Rq(a), Rq(b))
                }
            }
        }
    }

    /// The word at byte `disp` from machine register `base` = `value`
    /// (through `r10` for an immediate that does not fit 32 bits).
    fn store_word(&mut self, base: u8, disp: i32, value: Operand) {
        match value {
            Operand::Reg(r) => dynasm!(self.ops ; .arch x64 ; mov [Rq(base) + disp], Rq(m(r))),
            Operand::Imm(v) => match i32::try_from(v) {
                Ok(v) => dynasm!(self.ops ; .arch x64 ; mov QWORD [Rq(base) + disp], v),
                Err(_) => {
                    self.load(TMP2, value);
                    dynasm!(self.ops ; .arch x64 ; mov [Rq(base) + disp], Rq(TMP2));
                }
            },
        }
    }

    /// Jumps to `exit` unless the flags of a signed comparison say `cond`.
    fn exit_unless(&mut self, cond: Cond, exit: DynamicLabel) {
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch x64 ; jne =>exit),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; je =>exit),
            Cond::Lt => dynasm!(self.ops ; .arch x64 ; jge =>exit),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; jl =>exit),
        }
    }

    /// `ucomisd a, b` and the exit unless `a cond b` (no NaNs).
    fn fcompare(&mut self, cond: Cond, a: u8, b: u8, exit: DynamicLabel) {
        dynasm!(self.ops ; .arch x64 ; ucomisd Rx(a), Rx(b));
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch x64 ; jne =>exit),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; je =>exit),
            Cond::Lt => dynasm!(self.ops ; .arch x64 ; jae =>exit),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; jb =>exit),
        }
    }

    /// `op d, b` for the two-operand ALU instructions.
    fn alu(&mut self, op: IntOp, d: u8, b: Operand) {
        if let Operand::Imm(v) = b {
            if let Ok(k) = i32::try_from(v) {
                match op {
                    IntOp::Add => dynasm!(self.ops ; .arch x64 ; add Rq(d), k),
                    IntOp::Sub => dynasm!(self.ops ; .arch x64 ; sub Rq(d), k),
                    IntOp::Mul => dynasm!(self.ops ; .arch x64 ; imul Rq(d), Rq(d), k),
                    IntOp::And => dynasm!(self.ops ; .arch x64 ; and Rq(d), k),
                    IntOp::Or => dynasm!(self.ops ; .arch x64 ; or Rq(d), k),
                    IntOp::Xor => dynasm!(self.ops ; .arch x64 ; xor Rq(d), k),
                    _ => {}
                }
                return;
            }
        }
        let b = self.in_reg(b, TMP2);
        match op {
            IntOp::Add => dynasm!(self.ops ; .arch x64 ; add Rq(d), Rq(b)),
            IntOp::Sub => dynasm!(self.ops ; .arch x64 ; sub Rq(d), Rq(b)),
            IntOp::Mul => dynasm!(self.ops ; .arch x64 ; imul Rq(d), Rq(b)),
            IntOp::And => dynasm!(self.ops ; .arch x64 ; and Rq(d), Rq(b)),
            IntOp::Or => dynasm!(self.ops ; .arch x64 ; or Rq(d), Rq(b)),
            IntOp::Xor => dynasm!(self.ops ; .arch x64 ; xor Rq(d), Rq(b)),
            _ => {}
        }
    }

    /// Jumps to `exit` unless float register `f` is finite.
    fn finite_or_exit(&mut self, f: u8, exit: DynamicLabel) {
        self.all_finite_or_exit(&[f], exit);
    }

    /// Jumps to `exit` unless every float register of `fs` (not `xmm15`)
    /// is finite. `f - f` is 0 for a finite `f` and a NaN otherwise;
    /// adding `g` to 0 gives `g` exactly and `g - g` is 0 again, where an
    /// infinite `g` gives infinity minus infinity: a NaN, which then
    /// stays. So one comparison covers them all.
    fn all_finite_or_exit(&mut self, fs: &[u8], exit: DynamicLabel) {
        let Some((&first, rest)) = fs.split_first() else {
            return;
        };
        if self.avx {
            dynasm!(self.ops ; .arch x64 ; vsubsd Rx(FTMP), Rx(first), Rx(first));
        } else {
            dynasm!(self.ops
                ; .arch x64
                ; movsd Rx(FTMP), Rx(first)
                ; subsd Rx(FTMP), Rx(first)
            );
        }
        for &f in rest {
            dynasm!(self.ops
                ; .arch x64
                ; addsd Rx(FTMP), Rx(f)
                ; subsd Rx(FTMP), Rx(f)
            );
        }
        dynasm!(self.ops
            ; .arch x64
            ; ucomisd Rx(FTMP), Rx(FTMP)
            ; jp =>exit
        );
    }

    /// A label for an in-place `d = d op b` (`+` or `-`) that overflowed:
    /// code emitted at the end undoes it (the word wraps around, so the
    /// inverse restores it exactly) and goes on to `exit`, whose snapshot
    /// reads `d`'s old value.
    fn undo_then(&mut self, op: IntOp, d: u8, b: Operand, exit: DynamicLabel) -> DynamicLabel {
        let undo = self.label();
        let inverse = if op == IntOp::Add {
            IntOp::Sub
        } else {
            IntOp::Add
        };
        // An operand not fitting an `add`'s immediate is loaded into TMP2
        // by `alu` and is still there when its `jo` lands here.
        let b = match b {
            Operand::Imm(v) => i32::try_from(v).map_err(|_| TMP2),
            Operand::Reg(r) => Err(m(r)),
        };
        self.undos.push((undo, inverse == IntOp::Sub, d, b, exit));
        undo
    }

    /// Machine register `d` = `a div b` or `a rem b` (untagged), exiting
    /// when `b` is zero or the quotient leaves the small range. `idiv`
    /// needs `rax` and `rdx`, which are saved around it. Both operands
    /// are held times 16: the quotient comes out unscaled (and is scaled
    /// with an overflow check), the remainder scaled.
    fn divide(&mut self, rem: bool, d: u8, a: Operand, b: Operand, exit: DynamicLabel) {
        self.load(TMP, b);
        dynasm!(self.ops
            ; .arch x64
            ; test Rq(TMP), Rq(TMP)
            ; jz =>exit
            ; push rdx
            ; push rax
        );
        self.load(0, a);
        dynasm!(self.ops ; .arch x64 ; cqo ; idiv Rq(TMP));
        if rem {
            dynasm!(self.ops ; .arch x64 ; mov Rq(TMP2), rdx);
        } else {
            dynasm!(self.ops ; .arch x64 ; mov Rq(TMP2), rax);
        }
        dynasm!(self.ops ; .arch x64 ; pop rax ; pop rdx);
        if rem {
            dynasm!(self.ops ; .arch x64 ; mov Rq(d), Rq(TMP2));
        } else {
            dynasm!(self.ops ; .arch x64 ; imul Rq(d), Rq(TMP2), 16 ; jo =>exit);
        }
    }

    /// Pushes `rdi` and the caller-saved registers of `keep` and stores
    /// its float registers below them, before a call out of the trace;
    /// returns the general registers pushed and the float registers
    /// stored.
    fn save_caller(&mut self, keep: Keep) -> (Vec<u8>, Vec<u8>) {
        let pushed: Vec<u8> = CALLER_SAVED
            .into_iter()
            .filter(|&r| r == 7 || (0..11u8).any(|k| keep.gregs & 1 << k != 0 && m(k) == r))
            .collect();
        for &r in &pushed {
            dynasm!(self.ops ; .arch x64 ; push Rq(r));
        }
        let saved: Vec<u8> = (0..15u8).filter(|r| keep.fregs & 1 << r != 0).collect();
        let bytes = Self::save_area(&pushed, &saved);
        if bytes != 0 {
            dynasm!(self.ops ; .arch x64 ; sub rsp, bytes);
        }
        for (k, &r) in saved.iter().enumerate() {
            let at = k as i32 * 8;
            dynasm!(self.ops ; .arch x64 ; movsd QWORD [rsp + at], Rx(r));
        }
        (pushed, saved)
    }

    /// The bytes [`X64::save_caller`] reserves below the general
    /// registers it pushes for the float registers it stores, with a pad
    /// word that leaves rsp 16-byte aligned, as the C ABI wants at a
    /// `call`. A trace is entered with rsp 8 past a multiple of 16 (by a
    /// `call`: from Rust, or from a calling trace, which aligns it in the
    /// same way) and its prologue pushes six words; side and return
    /// traces run in their root's frame, and no code that pushes a word
    /// around itself calls out or leaves through an exit. So rsp is 8
    /// past a multiple of 16 wherever a call out saves registers, and the
    /// pad is known when compiling (before session 16 every call aligned
    /// rsp at run time: five instructions).
    fn save_area(pushed: &[u8], saved: &[u8]) -> i32 {
        let words = pushed.len() + saved.len();
        (saved.len() + (1 - words % 2)) as i32 * 8
    }

    /// Calls the `extern "C"` helper at `f` (arguments in place, caller's
    /// registers saved by [`X64::save_caller`], which aligned rsp), its
    /// result in `TMP2`.
    fn call_out(&mut self, f: i64) {
        dynasm!(self.ops
            ; .arch x64
            ; mov rax, QWORD f
            ; call rax
            ; mov Rq(TMP2), rax
        );
    }

    /// Undoes [`X64::save_caller`] after the call.
    fn restore_caller(&mut self, (pushed, saved): &(Vec<u8>, Vec<u8>)) {
        for (k, &r) in saved.iter().enumerate() {
            let at = k as i32 * 8;
            dynasm!(self.ops ; .arch x64 ; movsd Rx(r), QWORD [rsp + at]);
        }
        let bytes = Self::save_area(pushed, saved);
        if bytes != 0 {
            dynasm!(self.ops ; .arch x64 ; add rsp, bytes);
        }
        for &r in pushed.iter().rev() {
            dynasm!(self.ops ; .arch x64 ; pop Rq(r));
        }
        self.flags = None;
    }
}

impl Backend for X64 {
    type Label = DynamicLabel;
    const REGS: u8 = 11;
    const FREGS: u8 = 15;

    fn label(&mut self) -> DynamicLabel {
        self.ops.new_dynamic_label()
    }

    fn bind(&mut self, l: DynamicLabel) {
        // Code jumping here brings flags (and `r11`) of its own.
        self.flags = None;
        self.y_base = None;
        dynasm!(self.ops ; .arch x64 ; =>l);
    }

    fn prologue(&mut self) {
        dynasm!(self.ops
            ; .arch x64
            ; push rbx
            ; push rbp
            ; push r12
            ; push r13
            ; push r14
            ; push r15
            ; mov rbp, [rdi + OFF_REDS]
        );
    }

    fn load_x(&mut self, dst: u8, x: u16) {
        let (off, start) = (i32::from(x) * 8, self.here());
        if self.x_base != Some(start) {
            dynasm!(self.ops ; .arch x64 ; mov Rq(TMP), [rdi + OFF_X]);
        }
        dynasm!(self.ops ; .arch x64 ; mov Rq(m(dst)), [Rq(TMP) + off]);
        self.keep(start, true, false);
        self.x_base = Some(self.here());
    }

    fn unbox(&mut self, dst: u8, src: Operand, exit: DynamicLabel) {
        let (d, start) = (m(dst), self.here());
        // A small integer's low four bits are all set: adding one clears
        // them, and subtracting 15 untags it.
        let s = self.in_reg(src, d);
        dynasm!(self.ops
            ; .arch x64
            ; lea Rq(TMP), [Rq(s) + 1]
            ; test Rb(TMP), 0xF
            ; jnz =>exit
            ; lea Rq(d), [Rq(s) - 15]
        );
        self.keep(start, true, false);
    }

    fn guard_small(&mut self, a: u8, exit: DynamicLabel) {
        let start = self.here();
        dynasm!(self.ops
            ; .arch x64
            ; lea Rq(TMP), [Rq(m(a)) + 1]
            ; test Rb(TMP), 0xF
            ; jnz =>exit
        );
        self.keep(start, true, false);
    }

    fn untag(&mut self, r: u8) {
        let start = self.here();
        dynasm!(self.ops ; .arch x64 ; sub Rq(m(r)), 15);
        self.keep(start, true, true);
    }

    fn box_int(&mut self, dst: u8, src: Operand) {
        self.load(m(dst), src);
        dynasm!(self.ops ; .arch x64 ; or Rq(m(dst)), 0xF);
    }

    fn mov(&mut self, dst: u8, src: Operand) {
        self.load(m(dst), src);
    }

    fn fmov(&mut self, dst: u8, src: Operand) {
        let s = self.in_freg(src);
        if s != dst {
            dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), Rx(s));
        }
    }

    fn load_y(&mut self, dst: u8, n: u16) {
        let (off, start) = (i32::from(n) * 8, self.here());
        self.frame_base_in_r10();
        dynasm!(self.ops ; .arch x64 ; mov Rq(m(dst)), [Rq(TMP2) + off]);
        self.keep(start, false, true);
        self.y_base = Some(self.here());
    }

    fn load_y_float(&mut self, dst: u8, n: u16) {
        let (off, start) = (i32::from(n) * 8, self.here());
        self.frame_base_in_r10();
        dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), QWORD [Rq(TMP2) + off]);
        self.keep(start, false, true);
        self.y_base = Some(self.here());
    }

    fn store_y(&mut self, n: u16, value: Operand, ty: Ty) {
        let (off, start) = (i32::from(n) * 8, self.here());
        self.frame_base_in_r10();
        match (ty, value) {
            (Ty::Float, Operand::Reg(r)) => {
                dynasm!(self.ops ; .arch x64 ; movsd QWORD [Rq(TMP2) + off], Rx(r));
                self.keep(start, false, true);
            }
            (Ty::Term, Operand::Reg(r)) => {
                dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP2) + off], Rq(m(r)));
                self.keep(start, false, true);
            }
            (_, value) => {
                self.load(TMP, value);
                if ty == Ty::Int {
                    dynasm!(self.ops ; .arch x64 ; or Rq(TMP), 0xF);
                }
                dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP2) + off], Rq(TMP));
            }
        }
        self.y_base = Some(self.here());
    }

    fn fsqrt(&mut self, dst: u8, a: Operand, exit: DynamicLabel) {
        let (start, r11) = (self.here(), is_reg(a));
        let a = self.in_freg(a);
        dynasm!(self.ops
            ; .arch x64
            ; sqrtsd Rx(dst), Rx(a)
            ; ucomisd Rx(dst), Rx(dst)
            ; jp =>exit
        );
        self.keep(start, true, r11);
    }

    fn unbox_float(&mut self, dst: u8, src: Operand, exit: DynamicLabel) {
        let start = self.here();
        let s = self.guard_header(src, FLOAT_HEADER, exit);
        dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), QWORD [Rq(s) + 6]);
        // An immediate would be in `r10`; the header fits 32 bits.
        self.keep(start, is_reg(src), is_reg(src));
    }

    fn float_of(&mut self, dst: u8, src: Operand) {
        let start = self.here();
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), QWORD [Rq(s) + 6]);
        self.keep(start, true, is_reg(src));
    }

    fn int_to_float(&mut self, dst: u8, src: Operand) {
        self.load(TMP, src);
        dynasm!(self.ops
            ; .arch x64
            ; sar Rq(TMP), 4
            ; cvtsi2sd Rx(dst), Rq(TMP)
        );
    }

    fn farith(&mut self, op: FOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // An immediate operand goes through `r11` into `xmm15`.
        let (start, r11) = (self.here(), is_reg(a) && is_reg(b));
        self.farith_in(op, dst, a, b, exit);
        self.keep(start, true, r11);
    }

    fn fcheck(&mut self, values: &[Operand], exit: DynamicLabel) {
        let start = self.here();
        self.fcheck_in(values, exit);
        self.keep(start, true, true);
    }

    fn fneg(&mut self, dst: u8, a: Operand) {
        // BEAM's `fnegate` is `0.0 - a`: the sign flipped, then `+ 0.0`
        // turns the `-0.0` that flipping `0.0` gives into `0.0`.
        self.fmov(dst, a);
        dynasm!(self.ops
            ; .arch x64
            ; movq Rq(TMP), Rx(dst)
            ; btc Rq(TMP), 63
            ; movq Rx(dst), Rq(TMP)
            ; xorpd Rx(FTMP), Rx(FTMP)
            ; addsd Rx(dst), Rx(FTMP)
        );
    }

    fn fguard(&mut self, cond: Cond, a: Operand, b: Operand, exit: DynamicLabel) {
        match (a, b) {
            // Two constants the fold pass kept: a guard that always fails.
            (Operand::Imm(x), Operand::Imm(y)) => {
                let (x, y) = (f64::from_bits(x as u64), f64::from_bits(y as u64));
                if !cond.eval_f(x, y) {
                    dynasm!(self.ops ; .arch x64 ; jmp =>exit);
                }
            }
            (Operand::Imm(_), Operand::Reg(b)) => {
                let a = self.in_freg(a);
                self.fcompare(cond, a, b, exit);
            }
            (Operand::Reg(a), b) => {
                let b = self.in_freg(b);
                self.fcompare(cond, a, b, exit);
            }
        }
    }

    fn mul3_add(&mut self, dst: u8, a: u8, c: i32, direct: bool, exit: DynamicLabel) {
        let (d, a) = (m(dst), m(a));
        // Written before the overflow tests only when no exit reads its
        // register (the exit names `a`, and may name a value whose
        // register `dst` takes, its life ending at the multiplication).
        let sum = if direct { d } else { TMP2 };
        // `a + c` cannot overflow where `2a` does not (`c` fits 32 bits).
        dynasm!(self.ops
            ; .arch x64
            ; lea Rq(sum), [Rq(a) + c]
            ; mov Rq(TMP), Rq(a)
            ; add Rq(TMP), Rq(TMP)
            ; jo =>exit
            ; add Rq(sum), Rq(TMP)
            ; jo =>exit
        );
        if !direct {
            dynasm!(self.ops ; .arch x64 ; mov Rq(d), Rq(sum));
        }
    }

    fn arith(&mut self, op: IntOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // `dst` is an operand's register only when it is `a`'s, whose
        // life ends here (`regalloc::reuses_first_operand`): in place,
        // and for `+`/`-` undone before the exit, whose snapshot may name
        // `a`. Otherwise no exit names `dst`: it may be written early.
        let (d, start) = (m(dst), self.here());
        let exit = match (exit, a) {
            (Some(exit), Operand::Reg(r)) if m(r) == d => Some(self.undo_then(op, d, b, exit)),
            _ => exit,
        };
        if let (IntOp::Div | IntOp::Rem, Some(exit)) = (op, exit) {
            return self.divide(op == IntOp::Rem, d, a, b, exit);
        }
        if let (IntOp::Mul, Operand::Reg(a), Operand::Imm(v)) = (op, a, b) {
            // `a` is held times 16 and the constant is not: one `imul`.
            let k = i32::try_from(v >> 4).ok().filter(|_| v & 15 == 0);
            // By 2 or 3, additions: a cycle each where `imul` takes three
            // (collatz's `3 * N + 1` is on its loop's carried chain). The
            // sum overflows exactly when the product does (`2a` overflowing
            // makes `3a` overflow too), to the same exit.
            let a = m(a);
            if k == Some(2) || (k == Some(3) && a != d) {
                if a != d {
                    dynasm!(self.ops ; .arch x64 ; mov Rq(d), Rq(a));
                }
                dynasm!(self.ops ; .arch x64 ; add Rq(d), Rq(d));
                if let Some(exit) = exit {
                    dynasm!(self.ops ; .arch x64 ; jo =>exit);
                }
                if k == Some(3) {
                    dynasm!(self.ops ; .arch x64 ; add Rq(d), Rq(a));
                    if let Some(exit) = exit {
                        dynasm!(self.ops ; .arch x64 ; jo =>exit);
                    }
                }
                return;
            }
            if let Some(k) = k {
                dynasm!(self.ops ; .arch x64 ; imul Rq(d), Rq(a), k);
                if let Some(exit) = exit {
                    dynasm!(self.ops ; .arch x64 ; jo =>exit);
                }
                return;
            }
        }
        self.load(d, a);
        match op {
            IntOp::Mul => {
                dynasm!(self.ops ; .arch x64 ; sar Rq(d), 4);
                self.alu(op, d, b);
            }
            IntOp::Sar(k) => dynasm!(self.ops
                ; .arch x64
                ; sar Rq(d), k as i8
                ; and Rq(d), -16
            ),
            IntOp::Shl(k) => {
                dynasm!(self.ops
                    ; .arch x64
                    ; mov Rq(TMP2), Rq(d)
                    ; shl Rq(d), k as i8
                    ; mov Rq(TMP), Rq(d)
                    ; sar Rq(TMP), k as i8
                    ; cmp Rq(TMP), Rq(TMP2)
                );
                if let Some(exit) = exit {
                    dynasm!(self.ops ; .arch x64 ; jne =>exit);
                }
                return;
            }
            _ => self.alu(op, d, b),
        }
        if let Some(exit) = exit {
            dynasm!(self.ops ; .arch x64 ; jo =>exit);
        }
        let flags = match op {
            IntOp::And | IntOp::Or | IntOp::Xor => true,
            IntOp::Add | IntOp::Sub => exit.is_some(),
            _ => false,
        };
        if flags {
            self.flags = Some((self.offset(), d));
        }
        // `+`/`-` of a register or a 32-bit constant leaves both
        // temporaries alone (its undoing runs out of line).
        let small = match b {
            Operand::Reg(_) => true,
            Operand::Imm(v) => i32::try_from(v).is_ok(),
        };
        if matches!(op, IntOp::Add | IntOp::Sub) && small {
            self.keep(start, true, true);
        }
    }

    fn guard(&mut self, cond: Cond, a: Operand, b: Operand, exit: DynamicLabel) {
        let set = matches!((a, b, self.flags), (Operand::Reg(r), Operand::Imm(0), Some((at, f)))
            if at == self.offset() && f == m(r));
        if !set {
            self.flags(false, a, b);
        }
        self.exit_unless(cond, exit);
    }

    fn guard_test(&mut self, cond: Cond, a: Operand, mask: Operand, exit: DynamicLabel) {
        self.flags(true, a, mask);
        self.exit_unless(cond, exit);
    }

    fn guard_list(&mut self, a: Operand, is_list: bool, exit: DynamicLabel) {
        // A cons's tag is 1 exactly when `a - 1` has its low two bits
        // clear; a register operand keeps the frame buffer's address.
        let (start, r10) = (self.here(), is_reg(a));
        match a {
            Operand::Reg(r) => dynasm!(self.ops ; .arch x64 ; lea Rq(TMP), [Rq(m(r)) - 1]),
            Operand::Imm(_) => {
                self.load(TMP, a);
                dynasm!(self.ops ; .arch x64 ; sub Rq(TMP), 1);
            }
        }
        dynasm!(self.ops ; .arch x64 ; test Rq(TMP), 3);
        if is_list {
            dynasm!(self.ops ; .arch x64 ; jne =>exit);
        } else {
            dynasm!(self.ops ; .arch x64 ; je =>exit);
        }
        self.keep(start, r10, false);
    }

    fn guard_tuple(&mut self, a: Operand, arity: Option<u32>, exit: DynamicLabel) {
        // A tuple's header is `arity << 6` (subtag 0, header tag 0).
        if let Some(h) = arity.and_then(|a| i32::try_from(u64::from(a) << 6).ok()) {
            let start = self.here();
            self.guard_header(a, h as u64, exit);
            self.keep(start, is_reg(a), is_reg(a));
            return;
        }
        self.load(TMP, a);
        self.guard_boxed(TMP, exit);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), [Rq(TMP) - 2]
            ; test Rq(TMP), 0x3F
            ; jnz =>exit
        );
    }

    fn heap_check(&mut self, words: u32, exit: DynamicLabel) {
        let (start, bytes) = (
            self.here(),
            i32::try_from(u64::from(words) * 8).unwrap_or(i32::MAX),
        );
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), [rdi + OFF_HTOP]
            ; add Rq(TMP), bytes
            ; cmp Rq(TMP), [rdi + OFF_HLIMIT]
            ; ja =>exit
        );
        self.keep(start, true, false);
    }

    fn cons(&mut self, dst: u8, head: Operand, tail: Operand) {
        // A word that is no 32-bit immediate goes through `r10`.
        let (start, r10) = (self.here(), is_reg(head) && is_reg(tail));
        let at = self.alloc_base();
        self.store_word(TMP, at, head);
        self.store_word(TMP, at + 8, tail);
        dynasm!(self.ops ; .arch x64 ; lea Rq(m(dst)), [Rq(TMP) + at + 1]);
        self.allocated(16);
        self.keep(start, r10, false);
    }

    fn box_float(&mut self, dst: u8, f: Operand) {
        let start = self.here();
        self.box_float_in(dst, f);
        self.keep(start, is_reg(f), false);
    }

    fn alloc_tuple(&mut self, dst: u8, arity: u32) {
        let start = self.here();
        self.alloc_tuple_in(dst, arity);
        self.keep(start, true, false);
    }

    fn set_element(&mut self, tuple: Operand, n: u32, value: Operand) {
        // A tuple in a register keeps `r11` (`htop`) for the next
        // allocation: a box, its tuple and their cons in a row.
        let (start, r10) = (self.here(), is_reg(value));
        let t = self.in_reg(tuple, TMP);
        self.store_word(t, (n as i32) * 8 + 6, value);
        self.keep(start, r10, is_reg(tuple));
    }

    fn flush_alloc(&mut self) {
        if self.alloc_pending != 0 {
            let (start, bytes) = (self.here(), std::mem::take(&mut self.alloc_pending));
            dynasm!(self.ops ; .arch x64 ; add QWORD [rdi + OFF_HTOP], bytes);
            self.keep(start, true, false);
        }
    }

    fn load_word(&mut self, dst: u8, src: Operand, disp: i32) {
        let start = self.here();
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops ; .arch x64 ; mov Rq(m(dst)), [Rq(s) + disp]);
        self.keep(start, true, is_reg(src));
    }

    fn guard_ctx(&mut self, a: Operand, exit: DynamicLabel) {
        let s = self.guard_header(a, MATCH_STATE_HEADER, exit);
        let ok = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; cmp QWORD [Rq(s) + CTX_START], 0
            ; jne =>ok
            ; mov Rq(TMP), [Rq(s) + CTX_BIN]
            ; mov Rq(TMP), [Rq(TMP) - 2]
            ; and Rq(TMP), SUBTAG_MASK
            ; cmp Rq(TMP), (HEAP_BIN_HEADER as i32) & SUBTAG_MASK
            ; jne =>exit
            ; =>ok
        );
    }

    fn load_untagged(&mut self, dst: u8, src: Operand, disp: i32) {
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(m(dst)), [Rq(s) + disp]
            ; shl Rq(m(dst)), 4
        );
    }

    fn store_untagged(&mut self, base: Operand, disp: i32, value: Operand) {
        let b = self.in_reg(base, TMP2);
        self.load(TMP, value);
        dynasm!(self.ops
            ; .arch x64
            ; shr Rq(TMP), 4
            ; mov [Rq(b) + disp], Rq(TMP)
        );
    }

    fn load_bits(&mut self, dst: u8, ctx: Operand, bits: Operand, n: u8, signed: bool) {
        // The window is the 8 bytes from the segment's first byte, or the
        // bitstring's last 8 when those run past its end; a variable
        // shift needs `cl`, so `rcx` and `rdx` are saved around it (both
        // may hold the operands, which are read first).
        let c = self.in_reg(ctx, TMP2);
        dynasm!(self.ops ; .arch x64 ; push rcx ; push rdx);
        self.load(TMP, bits);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP2), [Rq(c) + CTX_SIZE]
            ; mov rcx, Rq(c)
        );
        self.ctx_bytes(1, 2);
        dynasm!(self.ops
            ; .arch x64
            ; shr Rq(TMP), 4
            ; add Rq(TMP2), 7
            ; shr Rq(TMP2), 3
            ; sub Rq(TMP2), 8
            ; mov rcx, Rq(TMP)
            ; shr rcx, 3
            ; cmp rcx, Rq(TMP2)
            ; cmovg rcx, Rq(TMP2)
            ; add rdx, rcx
            ; shl rcx, 3
            ; sub Rq(TMP), rcx
            ; mov Rq(TMP2), [rdx]
            ; bswap Rq(TMP2)
            ; mov rcx, Rq(TMP)
            ; shl Rq(TMP2), cl
        );
        let right = 64 - n as i8;
        if signed {
            dynasm!(self.ops ; .arch x64 ; sar Rq(TMP2), right);
        } else {
            dynasm!(self.ops ; .arch x64 ; shr Rq(TMP2), right);
        }
        dynasm!(self.ops
            ; .arch x64
            ; pop rdx
            ; pop rcx
            ; mov Rq(m(dst)), Rq(TMP2)
            ; shl Rq(m(dst)), 4
        );
    }

    fn sub_binary(&mut self, dst: u8, ctx: Operand, pos: Operand, bits: Operand, keep: Keep) {
        let d = m(dst);
        let (view, done) = (self.ops.new_dynamic_label(), self.ops.new_dynamic_label());
        // At most 64 whole bytes: copied by the helper.
        self.load(TMP2, bits);
        dynasm!(self.ops
            ; .arch x64
            ; shr Rq(TMP2), 4
            ; cmp Rq(TMP2), (HEAP_BIN_LIMIT * 8) as i32
            ; ja =>view
            ; test Rq(TMP2), 7
            ; jnz =>view
        );
        self.load(TMP, pos);
        dynasm!(self.ops ; .arch x64 ; shr Rq(TMP), 4);
        let saved = self.save_caller(keep);
        // rdi is the seam already; the other arguments are loaded from
        // registers the loads do not clobber (the context first).
        self.load(6, ctx);
        dynasm!(self.ops
            ; .arch x64
            ; mov rdx, Rq(TMP)
            ; mov rcx, Rq(TMP2)
        );
        self.call_out(crate::helper::copy_piece as *const () as i64);
        self.restore_caller(&saved);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(d), Rq(TMP2)
            ; jmp =>done
            ; =>view
        );
        // `[hdr, bit size, bit offset, original]`; a sub-binary's original
        // is never itself a sub-binary, so one being matched lends its own
        // original and offset.
        let (sub, join) = (self.ops.new_dynamic_label(), self.ops.new_dynamic_label());
        let c = self.in_reg(ctx, TMP2);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), [Rq(c) + CTX_BIN]
            ; mov Rq(TMP2), [Rq(TMP) - 2]
            ; and Rq(TMP2), SUBTAG_MASK
            ; cmp Rq(TMP2), (SUB_BIN_HEADER as i32) & SUBTAG_MASK
            ; je =>sub
            ; xor Rq(TMP2), Rq(TMP2)
            ; jmp =>join
            ; =>sub
            ; mov Rq(TMP2), [Rq(TMP) + 14]
            ; mov Rq(TMP), [Rq(TMP) + 22]
            ; =>join
            ; mov Rq(d), [rdi + OFF_HTOP]
            ; mov [Rq(d) + 24], Rq(TMP)
        );
        self.load(TMP, pos);
        dynasm!(self.ops
            ; .arch x64
            ; shr Rq(TMP), 4
            ; add Rq(TMP2), Rq(TMP)
            ; mov [Rq(d) + 16], Rq(TMP2)
        );
        self.load(TMP, bits);
        dynasm!(self.ops
            ; .arch x64
            ; shr Rq(TMP), 4
            ; mov [Rq(d) + 8], Rq(TMP)
            ; mov Rq(TMP), QWORD SUB_BIN_HEADER as i64
            ; mov [Rq(d)], Rq(TMP)
            ; add QWORD [rdi + OFF_HTOP], 32
            ; lea Rq(d), [Rq(d) + 2]
            ; =>done
        );
        self.flags = None;
    }

    fn load_be(&mut self, dst: u8, ctx: Operand, bits: Operand, n: u8) {
        let d = m(dst);
        let c = self.in_reg(ctx, TMP2);
        self.ctx_bytes(c, TMP2);
        self.load(TMP, bits);
        // The integer is held times 16: bits * 16 / 128 is the byte.
        dynasm!(self.ops ; .arch x64 ; shr Rq(TMP), 7);
        match n {
            1 => dynasm!(self.ops
                ; .arch x64
                ; movzx Rd(d), BYTE [Rq(TMP2) + Rq(TMP)]
            ),
            2 => dynasm!(self.ops
                ; .arch x64
                ; movzx Rd(d), WORD [Rq(TMP2) + Rq(TMP)]
                ; bswap Rd(d)
                ; shr Rd(d), 16
            ),
            _ => dynasm!(self.ops
                ; .arch x64
                ; mov Rd(d), DWORD [Rq(TMP2) + Rq(TMP)]
                ; bswap Rd(d)
            ),
        }
        dynasm!(self.ops ; .arch x64 ; shl Rq(d), 4);
    }

    fn set_if(&mut self, cond: Cond, dst: u8, a: Operand, b: Operand) {
        // `dst` is neither operand: cleared before the comparison.
        let d = m(dst);
        dynasm!(self.ops ; .arch x64 ; xor Rd(d), Rd(d));
        self.flags(false, a, b);
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch x64 ; sete Rb(d)),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; setne Rb(d)),
            Cond::Lt => dynasm!(self.ops ; .arch x64 ; setl Rb(d)),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; setge Rb(d)),
        }
    }

    fn select(&mut self, dst: u8, p: Operand, x: Operand, y: Operand) {
        let d = m(dst);
        self.load(d, y);
        let x = self.in_reg(x, TMP2);
        let p = self.in_reg(p, TMP);
        dynasm!(self.ops
            ; .arch x64
            ; test Rq(p), Rq(p)
            ; cmovnz Rq(d), Rq(x)
        );
    }

    fn branch_if(&mut self, p: Operand, nonzero: bool, to: DynamicLabel) {
        let p = self.in_reg(p, TMP);
        dynasm!(self.ops ; .arch x64 ; test Rq(p), Rq(p));
        if nonzero {
            dynasm!(self.ops ; .arch x64 ; jnz =>to);
        } else {
            dynasm!(self.ops ; .arch x64 ; jz =>to);
        }
    }

    fn count_reduction(&mut self, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; sub rbp, 1
            ; jle =>exit
        );
    }

    fn count_return(&mut self, exit: DynamicLabel) {
        let undo = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch x64
            ; sub rbp, 1
            ; jle =>undo
        );
        self.undos.push((undo, false, REDS, Ok(1), exit));
    }

    fn loop_back(&mut self, head: DynamicLabel, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; sub rbp, 1
            ; jg =>head
            ; jmp =>exit
        );
    }

    fn jump(&mut self, l: DynamicLabel) {
        dynasm!(self.ops ; .arch x64 ; jmp =>l);
    }

    fn exit(
        &mut self,
        stores: &[Store],
        frame: Option<Frame>,
        pc: u32,
        kind: u32,
        snapshot: u32,
    ) -> usize {
        let slot = self.exit_table as i64 + i64::from(snapshot) * 8;
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), QWORD slot
            ; jmp QWORD [Rq(TMP)]
        );
        let tail = self.offset();
        self.store_x(stores);
        if let Some(f) = frame {
            self.write_frame(f);
        }
        dynasm!(self.ops
            ; .arch x64
            ; mov QWORD [rdi + OFF_PC], pc as i32
            ; mov DWORD [rdi + OFF_EXIT], kind as i32
            ; mov DWORD [rdi + OFF_SNAPSHOT], snapshot as i32
            ; mov DWORD [rdi + OFF_TRACE], self.trace as i32
            ; jmp =>self.epilogue
        );
        tail
    }

    fn write_x(&mut self, stores: &[Store]) {
        self.store_x(stores);
    }

    fn load_x_float(&mut self, dst: u8, n: u16) {
        self.load_array_float(dst, OFF_X, n);
    }

    fn call_trace(&mut self, site: &CallSite, keep: Keep, elsewhere: DynamicLabel) {
        let saved = self.save_caller(keep);
        // The caller's trailer after its frame (above the frames below
        // it, when it is inside a function it called), and the callee's
        // frames above both.
        let at = (site.frame.below + site.frame.words) as i32 * 8;
        let bytes = at + 8;
        self.frame_base_in_r10();
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), QWORD site.trailer as i64
            ; mov [Rq(TMP2) + at], Rq(TMP)
            ; add Rq(TMP2), bytes
            ; mov [rdi + OFF_Y], Rq(TMP2)
            ; mov [rdi + OFF_REDS], rbp
            ; mov Rq(TMP), QWORD site.code as i64
            ; call Rq(TMP)
            ; mov rbp, [rdi + OFF_REDS]
        );
        self.restore_caller(&saved);
        if site.returns {
            // Returned into this trace's frame: its trailer is right below
            // the buffer's base (no frame of the callee's is left).
            dynasm!(self.ops
                ; .arch x64
                ; cmp DWORD [rdi + OFF_EXIT], EXIT_RETURN as i32
                ; jne =>elsewhere
                ; mov Rq(TMP2), [rdi + OFF_Y]
                ; mov Rq(TMP), QWORD site.trailer as i64
                ; cmp [Rq(TMP2) - 8], Rq(TMP)
                ; jne =>elsewhere
            );
        } else {
            dynasm!(self.ops
                ; .arch x64
                ; cmp DWORD [rdi + OFF_EXIT], EXIT_GUARD as i32
                ; jne =>elsewhere
                ; cmp QWORD [rdi + OFF_PC], site.resume as i32
                ; jne =>elsewhere
            );
        }
        if site.reads != 0 {
            dynasm!(self.ops
                ; .arch x64
                ; mov Rq(TMP), QWORD site.boxmask as i64
                ; xor Rq(TMP), [rdi + OFF_BOXMASK]
                ; mov Rq(TMP2), QWORD site.reads as i64
                ; test Rq(TMP), Rq(TMP2)
                ; jnz =>elsewhere
            );
        }
        if site.returns {
            // The return's reduction; when it would spend the slice, out
            // as the callee left (the interpreter counts it and yields).
            dynasm!(self.ops
                ; .arch x64
                ; cmp rbp, 1
                ; jle =>elsewhere
                ; sub rbp, 1
            );
        }
        // Left where the caller goes on: the caller's frame is its own
        // again.
        dynasm!(self.ops ; .arch x64 ; sub QWORD [rdi + OFF_Y], bytes);
    }

    fn call_reverse(&mut self, dst: u8, list: Operand, keep: Keep, exit: DynamicLabel) {
        let saved = self.save_caller(keep);
        // rdi is the seam already.
        self.load(6, list);
        self.call_out(crate::helper::reverse as *const () as i64);
        self.restore_caller(&saved);
        dynasm!(self.ops
            ; .arch x64
            ; test Rq(TMP2), Rq(TMP2)
            ; jz =>exit
            ; mov Rq(m(dst)), Rq(TMP2)
        );
    }

    fn leave_call(&mut self) {
        let guard = self.ops.new_dynamic_label();
        // The callee's exit left the buffer's base past this trace's
        // frame and trailer: the interpreter pushes them.
        dynasm!(self.ops
            ; .arch x64
            ; cmp DWORD [rdi + OFF_EXIT], EXIT_YIELD as i32
            ; jne =>guard
            ; mov DWORD [rdi + OFF_EXIT], EXIT_GUARD as i32
            ; =>guard
            ; jmp =>self.epilogue
        );
    }

    fn push_frame(&mut self, trailer: u64, exit: DynamicLabel) {
        // Room for this frame and one more of the same size past its base.
        let step = (enigma_interp::seam::untrailer(trailer).1 as i32 + 1) * 8;
        // Usually right after the frame's last `StoreY`, whose base `r10`
        // still holds; the new base is left there.
        self.frame_base_in_r10();
        dynasm!(self.ops
            ; .arch x64
            ; lea Rq(TMP), [Rq(TMP2) + 2 * step]
            ; cmp Rq(TMP), [rdi + OFF_YLIMIT]
            ; ja =>exit
        );
        let off = step - 8;
        match i32::try_from(trailer) {
            Ok(k) => dynasm!(self.ops ; .arch x64 ; mov QWORD [Rq(TMP2) + off], k),
            Err(_) => dynasm!(self.ops
                ; .arch x64
                ; mov Rq(TMP), QWORD trailer as i64
                ; mov [Rq(TMP2) + off], Rq(TMP)
            ),
        }
        dynasm!(self.ops
            ; .arch x64
            ; add Rq(TMP2), step
            ; mov [rdi + OFF_Y], Rq(TMP2)
        );
        self.y_base = Some(self.ops.offset().0);
    }

    fn ret(
        &mut self,
        sites: u64,
        free: Option<u8>,
        x0: Store,
        exit: DynamicLabel,
        empty_exit: DynamicLabel,
    ) {
        use crate::returns::{SITES, SITE_BYTES, SITE_CODE, SITE_KEY, SITE_SIZE};
        // The exits' snapshots read the allocatable registers: the sites'
        // address goes in one they leave alone, else in rcx (rdx when x0
        // is in rcx), saved on the machine stack until the jump. The
        // buffer's bottom mark below its first frame matches no site: only
        // a miss tells an empty buffer (or a calling trace's frame) from a
        // frame without a return trace.
        let out = self.ops.new_dynamic_label();
        let r = match free {
            Some(g) => m(g),
            None if x0.value == Operand::Reg(1) => m(2),
            None => m(1),
        };
        // The frame buffer's top in `r10`, the trailer below it in `r11`.
        self.frame_base_in_r10();
        dynasm!(self.ops ; .arch x64 ; mov Rq(TMP), [Rq(TMP2) - 8]);
        if free.is_none() {
            dynasm!(self.ops ; .arch x64 ; push Rq(r));
        }
        dynasm!(self.ops ; .arch x64 ; mov Rq(r), QWORD sites as i64);
        // Each site's hit drops the frame (its words and trailer: the
        // site's `bytes`) and counts the return's reduction; when that
        // would spend the slice, the exit at the `return` instead (the
        // interpreter counts it and yields).
        let spent = self.ops.new_dynamic_label();
        for i in 0..SITES as i32 {
            let next = self.ops.new_dynamic_label();
            let at = i * SITE_SIZE;
            dynasm!(self.ops
                ; .arch x64
                ; cmp Rq(TMP), [Rq(r) + at + SITE_KEY]
                ; jne =>next
                ; sub Rq(TMP2), [Rq(r) + at + SITE_BYTES]
                ; mov Rq(r), [Rq(r) + at + SITE_CODE]
                ; sub rbp, 1
                ; jle =>spent
            );
            if free.is_none() {
                dynasm!(self.ops ; .arch x64 ; add rsp, 8);
            }
            // x0 goes to its register only here: the exits may read
            // another value there.
            self.x0_for_return(x0);
            dynasm!(self.ops
                ; .arch x64
                ; mov [rdi + OFF_Y], Rq(TMP2)
                ; jmp Rq(r)
                ; =>next
            );
        }
        // The bottom mark and a caller's trailer (a trace called this one)
        // both have the `CALLER` bit, no key has it: either way the return
        // goes out of the buffer, to the interpreter or to the caller.
        let caller = enigma_interp::seam::CALLER.trailing_zeros() as i8;
        dynasm!(self.ops
            ; .arch x64
            ; jmp =>out
            ; =>spent
            ; add rbp, 1
            ; =>out
        );
        if free.is_none() {
            dynasm!(self.ops ; .arch x64 ; pop Rq(r));
        }
        dynasm!(self.ops
            ; .arch x64
            ; bt Rq(TMP), caller
            ; jc =>empty_exit
            ; jmp =>exit
        );
    }

    fn link(&mut self, stores: &[Store], target: u64) {
        self.store_x(stores);
        self.jump_to(target);
    }

    fn jump_to(&mut self, target: u64) {
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), QWORD target as i64
            ; jmp Rq(TMP)
        );
    }

    fn offset(&self) -> usize {
        self.ops.offset().0
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        for (undo, sub, d, b, exit) in std::mem::take(&mut self.undos) {
            self.bind(undo);
            match (sub, b) {
                (true, Ok(k)) => dynasm!(self.ops ; .arch x64 ; sub Rq(d), k),
                (true, Err(r)) => dynasm!(self.ops ; .arch x64 ; sub Rq(d), Rq(r)),
                (false, Ok(k)) => dynasm!(self.ops ; .arch x64 ; add Rq(d), k),
                (false, Err(r)) => dynasm!(self.ops ; .arch x64 ; add Rq(d), Rq(r)),
            }
            dynasm!(self.ops ; .arch x64 ; jmp =>exit);
        }
        dynasm!(self.ops
            ; .arch x64
            ; =>self.epilogue
            ; mov [rdi + OFF_REDS], rbp
            ; pop r15
            ; pop r14
            ; pop r13
            ; pop r12
            ; pop rbp
            ; pop rbx
            ; ret
        );
        self.ops.finalize().map_err(|e| format!("{e:?}"))
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use enigma_interp::seam::{Seam, EXIT_GUARD, EXIT_YIELD};
    use enigma_vm::term::Term;

    use crate::backend::compile;
    use crate::exec::Code;
    use crate::ir::{Cond, IntOp, Op, Trace, Ty};
    use crate::snapshot::Snapshot;

    /// `sum(N, Acc)`: exits at `N == 0` with both registers, and adds
    /// `N band 1023` per iteration.
    fn sum_trace() -> Trace {
        let mut t = Trace::default();
        let snap = |t: &mut Trace, pc, regs| {
            t.snaps.push(Snapshot {
                pc,
                regs,
                frame: None,
            });
            (t.snaps.len() - 1) as u32
        };
        let entry = snap(&mut t, 5, Vec::new());
        let n = t.push(Op::LoadX(0), Ty::Term);
        let n = t.push(Op::Unbox(n, entry), Ty::Int);
        let acc = t.push(Op::LoadX(1), Ty::Term);
        let acc = t.push(Op::Unbox(acc, entry), Ty::Int);
        t.push(Op::Loop, Ty::None);
        let pn = t.push(Op::Phi(n), Ty::Int);
        let pacc = t.push(Op::Phi(acc), Ty::Int);
        let done = snap(&mut t, 5, vec![(0, pn), (1, pacc)]);
        let zero = t.push(Op::KInt(0), Ty::Int);
        t.push(Op::Guard(Cond::Ne, pn, zero, done), Ty::None);
        let one = t.push(Op::KInt(1), Ty::Int);
        let over = snap(&mut t, 6, vec![(0, pn), (1, pacc)]);
        let n1 = t.push(Op::Arith(IntOp::Sub, pn, one, Some(over)), Ty::Int);
        let mask = t.push(Op::KInt(1023), Ty::Int);
        let low = t.push(Op::Arith(IntOp::And, pn, mask, None), Ty::Int);
        let acc1 = t.push(Op::Arith(IntOp::Add, pacc, low, Some(over)), Ty::Int);
        t.back = vec![(pn, n1), (pacc, acc1)];
        t.yield_snap = snap(&mut t, 5, vec![(0, pn), (1, pacc)]);
        t
    }

    fn run(code: &Code, x: &mut [Term], reds: i64) -> Seam {
        run_framed(code, x, reds, std::ptr::null_mut())
    }

    /// [`run`] with the frame buffer at `y`.
    fn run_framed(code: &Code, x: &mut [Term], reds: i64, y: *mut Term) -> Seam {
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds,
            exit: 9,
            snapshot: 9,
            y,
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        s
    }

    fn compiled(t: &Trace) -> (Code, Box<[std::sync::atomic::AtomicU64]>) {
        let table: Box<[std::sync::atomic::AtomicU64]> =
            t.snaps.iter().map(|_| Default::default()).collect();
        let b = super::X64::new(1, table.as_ptr() as u64);
        let out = compile(t, b, None).unwrap();
        let code = Code::new(&out.bytes).unwrap();
        for (e, &at) in table.iter().zip(&out.exits) {
            e.store(
                code.base() + at as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        (code, table)
    }

    #[test]
    fn a_compiled_loop_runs_to_its_exit_and_retags_registers() {
        let (code, _table) = compiled(&sum_trace());
        let mut x = [Term::small(100), Term::small(7), Term::NIL];
        let s = run(&code, &mut x, 1000);
        assert_eq!((s.exit, s.snapshot, s.pc, s.trace), (EXIT_GUARD, 1, 5, 1));
        assert_eq!(x[0], Term::small(0));
        assert_eq!(x[1], Term::small(7 + 5050));
        assert_eq!(s.reds, 1000 - 100);
    }

    #[test]
    fn type_overflow_and_reduction_exits() {
        let (code, _table) = compiled(&sum_trace());
        let mut x = [Term::NIL, Term::small(0)];
        let s = run(&code, &mut x, 1000);
        assert_eq!((s.snapshot, x[0]), (0, Term::NIL));
        let max = enigma_vm::term::MAX_SMALL;
        let mut x = [Term::small(3), Term::small(max - 4)];
        let s = run(&code, &mut x, 1000);
        // Adding 3 fits, adding 2 overflows: resume before the addition
        // with the registers as they were.
        assert_eq!((s.snapshot, s.pc), (2, 6));
        assert_eq!((x[0], x[1]), (Term::small(2), Term::small(max - 1)));
        let mut x = [Term::small(1000), Term::small(0)];
        let s = run(&code, &mut x, 10);
        assert_eq!((s.exit, s.reds, x[0]), (EXIT_YIELD, 0, Term::small(990)));
    }

    /// A trace that stores `x0 = 100, x1 = 7`, calls the sum loop's
    /// trace (code at `inner`), and then leaves with x2 = the x1 it left.
    fn caller(inner: u64) -> Trace {
        let mut t = Trace::default();
        t.push(Op::Loop, Ty::None);
        let n = t.push(Op::KInt(100), Ty::Int);
        let acc = t.push(Op::KTerm(Term::small(7).raw()), Ty::Term);
        t.push(Op::StoreX(0, n), Ty::None);
        t.push(Op::StoreX(1, acc), Ty::None);
        t.calls.push(crate::ir::CallSite {
            trace: 1,
            code: inner,
            resume: 5,
            frame: crate::snapshot::Frame {
                words: 1,
                set: 1,
                floats: 0,
                cont: 42,
                ..Default::default()
            },
            trailer: enigma_interp::seam::trailer(42, 1, 1, 0).unwrap()
                | enigma_interp::seam::CALLER,
            words: 0,
            returns: false,
            reads: 0b10,
            boxmask: 0,
        });
        t.push(Op::CallTrace(0), Ty::None);
        let r = t.push(Op::Reload(1), Ty::Term);
        let nil = t.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
        t.snaps.push(Snapshot {
            pc: 99,
            regs: vec![(2, r)],
            frame: None,
        });
        t.push(Op::Guard(Cond::Eq, r, nil, 0), Ty::None);
        t.snaps.push(Snapshot {
            pc: 98,
            regs: Vec::new(),
            frame: None,
        });
        t.yield_snap = 1;
        t
    }

    #[test]
    fn a_trace_calls_another_and_goes_on_or_leaves_inside_the_call() {
        let (inner, _t1) = compiled(&sum_trace());
        let (outer, _t2) = compiled(&caller(inner.base()));
        // The inner loop ends where the caller expects: it goes on with
        // what the callee left, and keeps its own registers.
        let mut buf = [Term::from_raw(enigma_interp::seam::BUFFER_BOTTOM); 8];
        let y = buf[1..].as_mut_ptr();
        let mut x = [Term::NIL; 3];
        let s = run_framed(&outer, &mut x, 1000, y);
        assert_eq!((s.pc, s.exit, s.y), (99, EXIT_GUARD, y));
        assert_eq!(x[2], Term::small(7 + 5050));
        // The reductions run out inside the callee: the caller leaves
        // where the callee left, with the buffer's base past its frame
        // and trailer (the interpreter pushes them); the yield becomes a
        // guard exit (the callee yields at its next call).
        let mut x = [Term::NIL; 3];
        let s = run_framed(&outer, &mut x, 10, y);
        assert_eq!((s.pc, s.exit, s.trace), (5, EXIT_GUARD, 1));
        assert_eq!((s.y, s.yframe), (y.wrapping_add(2), 0));
        let t = enigma_interp::seam::untrailer(buf[2].raw());
        assert_eq!(t, (42, 1, 1, 0));
        assert_eq!(x[0], Term::small(90));
    }

    /// x0 reversed by the call out, x1 an untagged integer kept in a
    /// register across it and incremented after; the guard that the
    /// result is `[]` exits with both.
    fn reverse_trace() -> Trace {
        let mut t = Trace::default();
        t.push(Op::Loop, Ty::None);
        let none = |pc| Snapshot {
            pc,
            regs: Vec::new(),
            frame: None,
        };
        t.snaps.push(none(7));
        let l = t.push(Op::LoadX(0), Ty::Term);
        let n = t.push(Op::LoadX(1), Ty::Term);
        let n = t.push(Op::Unbox(n, 0), Ty::Int);
        let r = t.push(Op::ListReverse(l, 0), Ty::Term);
        let one = t.push(Op::KInt(1), Ty::Int);
        let n1 = t.push(Op::Arith(IntOp::Add, n, one, None), Ty::Int);
        let nil = t.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
        t.snaps.push(Snapshot {
            pc: 8,
            regs: vec![(0, r), (1, n1)],
            frame: None,
        });
        t.push(Op::Guard(Cond::Eq, r, nil, 1), Ty::None);
        t.snaps.push(none(9));
        t.yield_snap = 2;
        t
    }

    #[test]
    fn a_call_out_keeps_registers_and_exits_to_the_call_without_room() {
        let (code, _table) = compiled(&reverse_trace());
        let mut heap = enigma_vm::term::Heap::new();
        let list = heap.list(&[Term::small(1), Term::small(2)]);
        let mut area = vec![0u64; 8];
        let mut x = [list, Term::small(41)];
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds: 10,
            htop: area.as_mut_ptr(),
            hlimit: area.as_mut_ptr().wrapping_add(8),
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        assert_eq!((s.exit, s.pc), (EXIT_GUARD, 8));
        assert_eq!(s.htop, area.as_mut_ptr().wrapping_add(4));
        let back = x[0].proper_list();
        assert_eq!(back, Some(vec![Term::small(2), Term::small(1)]));
        assert_eq!(x[1], Term::small(42));
        // No room: a heap exit before the call, the registers untouched.
        let mut x = [list, Term::small(41)];
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds: 10,
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        assert_eq!((s.exit, s.pc), (enigma_interp::seam::EXIT_HEAP, 7));
        assert_eq!((x[0], x[1]), (list, Term::small(41)));
    }
}
