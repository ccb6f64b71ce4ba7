//! BACKEND aarch64, written with `dynasm!` (AAPCS64), side by side with
//! `x86_64.rs`: the same [`Backend`] over the same driver.
//!
//! Fixed registers: `x19` holds the `*mut Seam` for the whole trace and
//! `x20` the reductions left (both callee-saved: a call out keeps them);
//! `x16`/`x17` (IP0/IP1, which no value lives in across a branch of ours)
//! are the backend's two temporaries, `x15` the parallel-move scratch;
//! `x18` (the platform register) is never touched. The allocatable
//! general registers are `x0`-`x14` and `x21`-`x28`; the prologue saves
//! the callee-saved ones (and `x29`/`x30`) and the common epilogue, where
//! every exit's way out ends, restores them. Floats live in `v0`-`v7` and
//! `v16`-`v30` (caller-saved: `d8`-`d15` are left alone, so nothing of
//! them needs saving); `v31` is the float temporary and parallel-move
//! scratch.
//!
//! Constants are built by `movz`/`movn` and `movk` (an immediate goes into
//! an instruction only where the Rust code checked it is encodable, so a
//! dynamic immediate never reaches `dynasmrt`'s panicking range check).
//!
//! An operation this backend does not implement yet records its name:
//! [`Backend::finish`] then fails with it, and the JIT gives the anchor up
//! as for any compile failure (`--jit-stats` names the reason), leaving it
//! to the interpreter.

use dynasmrt::aarch64::Aarch64Relocation;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler};
use enigma_interp::seam::{
    EXIT_GUARD, EXIT_RETURN, EXIT_YIELD, OFF_BOXMASK, OFF_EXIT, OFF_F, OFF_HLIMIT, OFF_HTOP,
    OFF_PC, OFF_REDS, OFF_SNAPSHOT, OFF_TRACE, OFF_X, OFF_Y, OFF_YFLOATS, OFF_YFRAME, OFF_YLIMIT,
    OFF_YSET,
};
use enigma_vm::term::boxed::Header;
use enigma_vm::term::Subtag;

use super::{Backend, Keep, Operand, Store};
use crate::ir::{CallSite, Cond, FOp, IntOp, Ty};
use crate::snapshot::{Frame, F_SLOT};

/// Machine register of each allocation index, then the scratch (`x15`).
const MACHINE: [u32; 24] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 21, 22, 23, 24, 25, 26, 27, 28, 15,
];
/// Vector register of each float allocation index, then the scratch
/// (`v31`, also the float temporary).
const FMACHINE: [u32; 24] = [
    0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
];

/// `x19`: the seam.
const SEAM: u32 = 19;
/// `x20`: the reductions left.
const REDS: u32 = 20;
/// `x16` (IP0).
const TMP: u32 = 16;
/// `x17` (IP1).
const TMP2: u32 = 17;
/// `x15`: the parallel-move scratch, free outside a run of moves: the
/// third temporary where an offset or constant fits no instruction.
const TMP3: u32 = 15;
/// `v31`.
const FTMP: u32 = 31;
/// A boxed float's header word.
const FLOAT_HEADER: u64 = Header::new(Subtag::Float, 1).0;
/// The prologue's frame: `x29`, `x30` and `x19`-`x28`, 16-byte aligned.
const FRAME_BYTES: u32 = 96;

fn m(r: u8) -> u32 {
    MACHINE[r as usize]
}

fn fm(r: u8) -> u32 {
    FMACHINE[r as usize]
}

/// `v` as an `add`/`sub` immediate (12 bits, unshifted), if it is one.
fn imm12(v: i64) -> Option<u32> {
    (0..4096).contains(&v).then_some(v as u32)
}

/// `v` as a logical (`and`/`orr`/`eor`/`tst`) immediate, if it is one.
fn logical(v: i64) -> Option<u64> {
    dynasmrt::aarch64::encode_logical_immediate_64bit(v as u64).map(|_| v as u64)
}

/// An addressing mode for a byte offset (see [`A64::addr`]).
enum Addr {
    /// `[base, #k]`, `k` a multiple of 8 below 32760.
    Scaled(u32),
    /// `[base, #k]` of `ldur`/`stur`, -256 to 255.
    Unscaled(i32),
    /// `[base, reg]`.
    Index(u32),
}

/// The aarch64 backend.
pub struct A64 {
    ops: VecAssembler<Aarch64Relocation>,
    trace: u32,
    exit_table: u64,
    epilogue: DynamicLabel,
    /// Bytes allocated in a row that the seam's `htop` does not count yet
    /// (see [`Backend::flush_alloc`]).
    alloc_pending: i32,
    /// Out-of-line code for a `return`'s reduction that would spend the
    /// slice: the label its branch takes and the exit it goes on to after
    /// giving the reduction back.
    undos: Vec<(DynamicLabel, DynamicLabel)>,
    /// The first operation met that this backend does not implement.
    missing: Option<&'static str>,
}

impl A64 {
    /// A backend for trace number `trace`, whose exits jump through the
    /// table of words at `exit_table`.
    pub fn new(trace: u32, exit_table: u64) -> A64 {
        let mut ops = VecAssembler::new(0);
        let epilogue = ops.new_dynamic_label();
        A64 {
            ops,
            trace,
            exit_table,
            epilogue,
            alloc_pending: 0,
            undos: Vec::new(),
            missing: None,
        }
    }

    /// Code entered with the frame buffer's address in a register (a
    /// return trace): this backend has no return traces yet, and keeps
    /// nothing there.
    pub fn entered_with_frame_base(self) -> A64 {
        self
    }

    /// Notes that the trace needs `what`, not implemented here yet.
    fn missing(&mut self, what: &'static str) {
        self.missing.get_or_insert(what);
    }

    /// Machine register `d` = the constant `v`: `movz` or `movn` of one
    /// 16-bit chunk, then `movk` of each other chunk that differs from the
    /// first instruction's filler.
    fn load_const(&mut self, d: u32, v: i64) {
        let u = v as u64;
        let chunk = |k: u32| ((u >> (16 * k)) & 0xFFFF) as u32;
        let ones = (0..4).filter(|&k| chunk(k) == 0xFFFF).count();
        let zeros = (0..4).filter(|&k| chunk(k) == 0).count();
        let (filler, inverted) = if ones > zeros {
            (0xFFFF, true)
        } else {
            (0, false)
        };
        let first = (0..4).find(|&k| chunk(k) != filler).unwrap_or(0);
        let c = if inverted {
            !chunk(first) & 0xFFFF
        } else {
            chunk(first)
        };
        match (inverted, first) {
            (false, 0) => dynasm!(self.ops ; .arch aarch64 ; movz X(d), c),
            (false, 1) => dynasm!(self.ops ; .arch aarch64 ; movz X(d), c, lsl 16),
            (false, 2) => dynasm!(self.ops ; .arch aarch64 ; movz X(d), c, lsl 32),
            (false, _) => dynasm!(self.ops ; .arch aarch64 ; movz X(d), c, lsl 48),
            (true, 0) => dynasm!(self.ops ; .arch aarch64 ; movn X(d), c),
            (true, 1) => dynasm!(self.ops ; .arch aarch64 ; movn X(d), c, lsl 16),
            (true, 2) => dynasm!(self.ops ; .arch aarch64 ; movn X(d), c, lsl 32),
            (true, _) => dynasm!(self.ops ; .arch aarch64 ; movn X(d), c, lsl 48),
        }
        for k in (first + 1)..4 {
            let c = chunk(k);
            if c == filler {
                continue;
            }
            match k {
                1 => dynasm!(self.ops ; .arch aarch64 ; movk X(d), c, lsl 16),
                2 => dynasm!(self.ops ; .arch aarch64 ; movk X(d), c, lsl 32),
                _ => dynasm!(self.ops ; .arch aarch64 ; movk X(d), c, lsl 48),
            }
        }
    }

    /// Machine register `d` = `src`.
    fn load(&mut self, d: u32, src: Operand) {
        match src {
            Operand::Reg(s) if m(s) == d => {}
            Operand::Reg(s) => dynasm!(self.ops ; .arch aarch64 ; mov X(d), X(m(s))),
            Operand::Imm(v) => self.load_const(d, v),
        }
    }

    /// The machine register holding `o`, loading an immediate into `tmp`.
    fn in_reg(&mut self, o: Operand, tmp: u32) -> u32 {
        match o {
            Operand::Reg(r) => m(r),
            Operand::Imm(v) => {
                self.load_const(tmp, v);
                tmp
            }
        }
    }

    /// The vector register holding the float `o`, loading an immediate's
    /// bits into `v31` (through `x16`).
    fn in_freg(&mut self, o: Operand) -> u32 {
        match o {
            Operand::Reg(r) => fm(r),
            Operand::Imm(bits) => {
                self.load_const(TMP, bits);
                dynasm!(self.ops ; .arch aarch64 ; fmov D(FTMP), X(TMP));
                FTMP
            }
        }
    }

    /// Machine register `d` = `a + v` (`tmp`, not `a`, holds `v` when no
    /// immediate form fits).
    fn add_const(&mut self, d: u32, a: u32, v: i64, tmp: u32) {
        if let Some(k) = imm12(v) {
            dynasm!(self.ops ; .arch aarch64 ; add XSP(d), XSP(a), k);
        } else if let Some(k) = v.checked_neg().and_then(imm12) {
            dynasm!(self.ops ; .arch aarch64 ; sub XSP(d), XSP(a), k);
        } else {
            self.load_const(tmp, v);
            dynasm!(self.ops ; .arch aarch64 ; add X(d), X(a), X(tmp));
        }
    }

    /// How to reach byte `off` from a base register: a scaled unsigned
    /// offset, a 9-bit signed one, or (`Index`) `off` loaded into `tmp`.
    fn addr(&mut self, off: i32, tmp: u32) -> Addr {
        if off % 8 == 0 && (0..32760).contains(&off) {
            Addr::Scaled(off as u32)
        } else if (-256..256).contains(&off) {
            Addr::Unscaled(off)
        } else {
            self.load_const(tmp, i64::from(off));
            Addr::Index(tmp)
        }
    }

    /// Machine register `d` = the word at byte `off` from machine register
    /// `base` (the offset goes through `d` when no offset form fits: `d`
    /// is never `base`, a result takes no operand's register).
    fn ldr(&mut self, d: u32, base: u32, off: i32) {
        match self.addr(off, d) {
            Addr::Scaled(k) => dynasm!(self.ops ; .arch aarch64 ; ldr X(d), [XSP(base), k]),
            Addr::Unscaled(k) => dynasm!(self.ops ; .arch aarch64 ; ldur X(d), [XSP(base), k]),
            Addr::Index(t) => dynasm!(self.ops ; .arch aarch64 ; ldr X(d), [XSP(base), X(t)]),
        }
    }

    /// The word at byte `off` from machine register `base` = machine
    /// register `s` (the offset through `tmp` when no offset form fits).
    fn str(&mut self, s: u32, base: u32, off: i32, tmp: u32) {
        match self.addr(off, tmp) {
            Addr::Scaled(k) => dynasm!(self.ops ; .arch aarch64 ; str X(s), [XSP(base), k]),
            Addr::Unscaled(k) => dynasm!(self.ops ; .arch aarch64 ; stur X(s), [XSP(base), k]),
            Addr::Index(t) => dynasm!(self.ops ; .arch aarch64 ; str X(s), [XSP(base), X(t)]),
        }
    }

    /// Vector register `d` = the float at byte `off` from `base`.
    fn fldr(&mut self, d: u32, base: u32, off: i32, tmp: u32) {
        match self.addr(off, tmp) {
            Addr::Scaled(k) => dynasm!(self.ops ; .arch aarch64 ; ldr D(d), [XSP(base), k]),
            Addr::Unscaled(k) => dynasm!(self.ops ; .arch aarch64 ; ldur D(d), [XSP(base), k]),
            Addr::Index(t) => dynasm!(self.ops ; .arch aarch64 ; ldr D(d), [XSP(base), X(t)]),
        }
    }

    /// The float at byte `off` from `base` = vector register `s`.
    fn fstr(&mut self, s: u32, base: u32, off: i32, tmp: u32) {
        match self.addr(off, tmp) {
            Addr::Scaled(k) => dynasm!(self.ops ; .arch aarch64 ; str D(s), [XSP(base), k]),
            Addr::Unscaled(k) => dynasm!(self.ops ; .arch aarch64 ; stur D(s), [XSP(base), k]),
            Addr::Index(t) => dynasm!(self.ops ; .arch aarch64 ; str D(s), [XSP(base), X(t)]),
        }
    }

    /// The seam's word at `off` = `w` (through `x16`).
    fn seam_word(&mut self, off: i32, w: u64) {
        if w == 0 {
            dynasm!(self.ops ; .arch aarch64 ; str xzr, [x19, off as u32]);
        } else {
            self.load_const(TMP, w as i64);
            self.str(TMP, SEAM, off, TMP2);
        }
    }

    /// The seam's 32-bit field at `off` = `w` (through `x16`).
    fn seam_u32(&mut self, off: i32, w: u32) {
        self.load_const(TMP, i64::from(w));
        dynasm!(self.ops ; .arch aarch64 ; str W(TMP), [x19, off as u32]);
    }

    /// Writes `stores` to the X and float registers (clobbers both
    /// temporaries).
    fn store_x(&mut self, stores: &[Store]) {
        let (mut boxed, mut terms) = (0u64, 0u64);
        let mut in_tmp = None;
        for s in stores {
            let (base, off) = match s.slot.checked_sub(F_SLOT) {
                Some(n) => (OFF_F, i32::from(n) * 8),
                None => (OFF_X, i32::from(s.slot) * 8),
            };
            if in_tmp != Some(base) {
                self.ldr(TMP, SEAM, base);
                in_tmp = Some(base);
            }
            match (s.ty, s.value) {
                (Ty::Float, Operand::Reg(r)) => self.fstr(fm(r), TMP, off, TMP2),
                (Ty::Term | Ty::None, Operand::Reg(r)) => {
                    let r = m(r);
                    self.str(r, TMP, off, TMP2);
                }
                (Ty::Int, Operand::Reg(r)) => {
                    dynasm!(self.ops ; .arch aarch64 ; orr XSP(TMP2), X(m(r)), 0xF);
                    self.str(TMP2, TMP, off, TMP3);
                }
                (Ty::Int, Operand::Imm(v)) => {
                    self.load_const(TMP2, v | 0xF);
                    self.str(TMP2, TMP, off, TMP3);
                }
                (_, Operand::Imm(v)) => {
                    self.load_const(TMP2, v);
                    self.str(TMP2, TMP, off, TMP3);
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
        if terms != 0 || boxed != 0 {
            self.ldr(TMP, SEAM, OFF_BOXMASK);
            if terms != 0 {
                self.load_const(TMP2, !terms as i64);
                dynasm!(self.ops ; .arch aarch64 ; and X(TMP), X(TMP), X(TMP2));
            }
            if boxed != 0 {
                self.load_const(TMP2, boxed as i64);
                dynasm!(self.ops ; .arch aarch64 ; orr X(TMP), X(TMP), X(TMP2));
            }
            self.str(TMP, SEAM, OFF_BOXMASK, TMP2);
        }
    }

    /// Tells the interpreter to push frame `f` at this exit, with the
    /// frames below it.
    fn write_frame(&mut self, f: Frame) {
        if f.below != 0 {
            let bytes = i64::from(f.below) * 8;
            self.ldr(TMP, SEAM, OFF_Y);
            self.add_const(TMP, TMP, bytes, TMP2);
            self.str(TMP, SEAM, OFF_Y, TMP2);
        }
        self.seam_word(OFF_YFRAME, u64::from(f.words));
        self.seam_word(OFF_YSET, f.set);
        self.seam_word(OFF_YFLOATS, f.floats);
    }

    /// Sets the flags from `cmp a, b`.
    fn compare(&mut self, a: Operand, b: Operand) {
        let a = self.in_reg(a, TMP);
        match b {
            Operand::Imm(v) if imm12(v).is_some() => {
                let k = v as u32;
                dynasm!(self.ops ; .arch aarch64 ; cmp XSP(a), k);
            }
            Operand::Imm(v) if v.checked_neg().and_then(imm12).is_some() => {
                let k = (-v) as u32;
                dynasm!(self.ops ; .arch aarch64 ; cmn XSP(a), k);
            }
            _ => {
                let b = self.in_reg(b, TMP2);
                dynasm!(self.ops ; .arch aarch64 ; cmp X(a), X(b));
            }
        }
    }

    /// Sets the flags from `tst a, b` (as `cmp` of `a band b` with 0).
    fn test(&mut self, a: Operand, b: Operand) {
        let a = self.in_reg(a, TMP);
        match b {
            Operand::Imm(v) if logical(v).is_some() => {
                let k = v as u64;
                dynasm!(self.ops ; .arch aarch64 ; tst X(a), k);
            }
            _ => {
                let b = self.in_reg(b, TMP2);
                dynasm!(self.ops ; .arch aarch64 ; tst X(a), X(b));
            }
        }
    }

    /// Jumps to `exit` unless the flags of a signed comparison say `cond`.
    fn exit_unless(&mut self, cond: Cond, exit: DynamicLabel) {
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch aarch64 ; b.ne =>exit),
            Cond::Ne => dynasm!(self.ops ; .arch aarch64 ; b.eq =>exit),
            Cond::Lt => dynasm!(self.ops ; .arch aarch64 ; b.ge =>exit),
            Cond::Ge => dynasm!(self.ops ; .arch aarch64 ; b.lt =>exit),
        }
    }

    /// `fcmp a, b` and the exit unless `a cond b` (an unordered result
    /// exits too).
    fn fcompare(&mut self, cond: Cond, a: u32, b: u32, exit: DynamicLabel) {
        dynasm!(self.ops ; .arch aarch64 ; fcmp D(a), D(b));
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch aarch64 ; b.ne =>exit),
            Cond::Ne => dynasm!(self.ops ; .arch aarch64 ; b.eq =>exit),
            // `mi` is "less than" only when ordered; `pl` its negation.
            Cond::Lt => dynasm!(self.ops ; .arch aarch64 ; b.pl =>exit),
            // `lt` holds for "less than" and for unordered.
            Cond::Ge => dynasm!(self.ops ; .arch aarch64 ; b.lt =>exit),
        }
    }

    /// Jumps to `exit` unless every vector register of `fs` (not `v31`)
    /// is finite: `f - f` is 0 for a finite `f` and a NaN otherwise, and
    /// adding then subtracting each other keeps 0 or makes a NaN (see
    /// the x86-64 backend), so one comparison covers them all.
    fn all_finite_or_exit(&mut self, fs: &[u32], exit: DynamicLabel) {
        let Some((&first, rest)) = fs.split_first() else {
            return;
        };
        dynasm!(self.ops ; .arch aarch64 ; fsub D(FTMP), D(first), D(first));
        for &f in rest {
            dynasm!(self.ops
                ; .arch aarch64
                ; fadd D(FTMP), D(FTMP), D(f)
                ; fsub D(FTMP), D(FTMP), D(f)
            );
        }
        dynasm!(self.ops
            ; .arch aarch64
            ; fcmp D(FTMP), D(FTMP)
            ; b.vs =>exit
        );
    }

    /// Jumps to `exit` unless the term in machine register `s` is boxed
    /// with header word `header` (clobbers `x16` and `x15`).
    fn guard_header(&mut self, s: u32, header: u64, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch aarch64
            ; tst X(s), 1
            ; b.ne =>exit
            ; ldur X(TMP), [XSP(s), -2]
        );
        self.load_const(TMP3, header as i64);
        dynasm!(self.ops
            ; .arch aarch64
            ; cmp X(TMP), X(TMP3)
            ; b.ne =>exit
        );
    }

    /// `x16` = the seam's `htop`; the displacement of the next free word
    /// from it.
    fn alloc_base(&mut self) -> i32 {
        self.ldr(TMP, SEAM, OFF_HTOP);
        self.alloc_pending
    }

    /// Machine register `d` = `x16 + at + tag`, a new object's term.
    fn allocated(&mut self, d: u32, at: i32, tag: i32, bytes: i32) {
        self.add_const(d, TMP, i64::from(at + tag), TMP2);
        self.alloc_pending += bytes;
    }

    /// Machine register `d` = `a div b` or `a rem b` (untagged, both held
    /// times 16), exiting when `b` is zero or the quotient leaves the
    /// small range (`sdiv` traps on neither). `d` is neither operand's.
    fn divide(&mut self, rem: bool, d: u32, a: Operand, b: Operand, exit: DynamicLabel) {
        let b = self.in_reg(b, TMP2);
        dynasm!(self.ops ; .arch aarch64 ; cbz X(b), =>exit);
        let a = self.in_reg(a, TMP);
        dynasm!(self.ops ; .arch aarch64 ; sdiv X(d), X(a), X(b));
        if rem {
            dynasm!(self.ops ; .arch aarch64 ; msub X(d), X(d), X(b), X(a));
        } else {
            dynasm!(self.ops
                ; .arch aarch64
                ; lsl X(TMP), X(d), 4
                ; cmp X(d), X(TMP), asr 4
                ; b.ne =>exit
                ; mov X(d), X(TMP)
            );
        }
    }

    /// `d = a op b` for `+`, `-` (setting the flags), `band`, `bor`, `bxor`.
    fn alu(&mut self, op: IntOp, d: u32, a: u32, b: Operand) {
        if let Operand::Imm(v) = b {
            match op {
                IntOp::Add | IntOp::Sub => {
                    let v = if op == IntOp::Sub {
                        v.checked_neg()
                    } else {
                        Some(v)
                    };
                    if let Some(k) = v.and_then(imm12) {
                        dynasm!(self.ops ; .arch aarch64 ; adds X(d), XSP(a), k);
                        return;
                    }
                    if let Some(k) = v.and_then(i64::checked_neg).and_then(imm12) {
                        dynasm!(self.ops ; .arch aarch64 ; subs X(d), XSP(a), k);
                        return;
                    }
                }
                IntOp::And | IntOp::Or | IntOp::Xor if logical(v).is_some() => {
                    let k = v as u64;
                    match op {
                        IntOp::And => dynasm!(self.ops ; .arch aarch64 ; and XSP(d), X(a), k),
                        IntOp::Or => dynasm!(self.ops ; .arch aarch64 ; orr XSP(d), X(a), k),
                        _ => dynasm!(self.ops ; .arch aarch64 ; eor XSP(d), X(a), k),
                    }
                    return;
                }
                _ => {}
            }
        }
        let b = self.in_reg(b, TMP2);
        match op {
            IntOp::Add => dynasm!(self.ops ; .arch aarch64 ; adds X(d), X(a), X(b)),
            IntOp::Sub => dynasm!(self.ops ; .arch aarch64 ; subs X(d), X(a), X(b)),
            IntOp::And => dynasm!(self.ops ; .arch aarch64 ; and X(d), X(a), X(b)),
            IntOp::Or => dynasm!(self.ops ; .arch aarch64 ; orr X(d), X(a), X(b)),
            _ => dynasm!(self.ops ; .arch aarch64 ; eor X(d), X(a), X(b)),
        }
    }
}

impl Backend for A64 {
    type Label = DynamicLabel;
    const REGS: u8 = 23;
    const FREGS: u8 = 23;

    fn label(&mut self) -> DynamicLabel {
        self.ops.new_dynamic_label()
    }

    fn bind(&mut self, l: DynamicLabel) {
        dynasm!(self.ops ; .arch aarch64 ; =>l);
    }

    fn prologue(&mut self) {
        dynasm!(self.ops
            ; .arch aarch64
            ; stp x29, x30, [sp, -(FRAME_BYTES as i32)]!
            ; mov x29, sp
            ; stp x19, x20, [sp, 16]
            ; stp x21, x22, [sp, 32]
            ; stp x23, x24, [sp, 48]
            ; stp x25, x26, [sp, 64]
            ; stp x27, x28, [sp, 80]
            ; mov x19, x0
            ; ldr x20, [x19, OFF_REDS as u32]
        );
    }

    fn load_x(&mut self, dst: u8, x: u16) {
        self.ldr(TMP, SEAM, OFF_X);
        self.ldr(m(dst), TMP, i32::from(x) * 8);
    }

    fn unbox(&mut self, dst: u8, src: Operand, exit: DynamicLabel) {
        // A small integer's low four bits are all set: adding one clears
        // them, and subtracting 15 untags it.
        let s = self.in_reg(src, TMP2);
        dynasm!(self.ops
            ; .arch aarch64
            ; add XSP(TMP), XSP(s), 1
            ; tst X(TMP), 0xF
            ; b.ne =>exit
            ; sub XSP(m(dst)), XSP(s), 15
        );
    }

    fn guard_small(&mut self, a: u8, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch aarch64
            ; add XSP(TMP), XSP(m(a)), 1
            ; tst X(TMP), 0xF
            ; b.ne =>exit
        );
    }

    fn untag(&mut self, r: u8) {
        dynasm!(self.ops ; .arch aarch64 ; sub XSP(m(r)), XSP(m(r)), 15);
    }

    fn box_int(&mut self, dst: u8, src: Operand) {
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops ; .arch aarch64 ; orr XSP(m(dst)), X(s), 0xF);
    }

    fn mov(&mut self, dst: u8, src: Operand) {
        self.load(m(dst), src);
    }

    fn fmov(&mut self, dst: u8, src: Operand) {
        let s = self.in_freg(src);
        if s != fm(dst) {
            dynasm!(self.ops ; .arch aarch64 ; fmov D(fm(dst)), D(s));
        }
    }

    fn unbox_float(&mut self, dst: u8, src: Operand, exit: DynamicLabel) {
        let s = self.in_reg(src, TMP2);
        self.guard_header(s, FLOAT_HEADER, exit);
        dynasm!(self.ops ; .arch aarch64 ; ldur D(fm(dst)), [XSP(s), 6]);
    }

    fn float_of(&mut self, dst: u8, src: Operand) {
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops ; .arch aarch64 ; ldur D(fm(dst)), [XSP(s), 6]);
    }

    fn load_y(&mut self, dst: u8, n: u16) {
        self.ldr(TMP2, SEAM, OFF_Y);
        self.ldr(m(dst), TMP2, i32::from(n) * 8);
    }

    fn load_y_float(&mut self, dst: u8, n: u16) {
        self.ldr(TMP2, SEAM, OFF_Y);
        self.fldr(fm(dst), TMP2, i32::from(n) * 8, TMP);
    }

    fn store_y(&mut self, n: u16, value: Operand, ty: Ty) {
        let off = i32::from(n) * 8;
        self.ldr(TMP2, SEAM, OFF_Y);
        match (ty, value) {
            (Ty::Float, Operand::Reg(r)) => self.fstr(fm(r), TMP2, off, TMP3),
            (Ty::Term | Ty::None, Operand::Reg(r)) => {
                let r = m(r);
                self.str(r, TMP2, off, TMP3);
            }
            (Ty::Int, Operand::Reg(r)) => {
                dynasm!(self.ops ; .arch aarch64 ; orr XSP(TMP), X(m(r)), 0xF);
                self.str(TMP, TMP2, off, TMP3);
            }
            (_, Operand::Imm(v)) => {
                let v = if ty == Ty::Int { v | 0xF } else { v };
                self.load_const(TMP, v);
                self.str(TMP, TMP2, off, TMP3);
            }
        }
    }

    fn fsqrt(&mut self, dst: u8, a: Operand, exit: DynamicLabel) {
        let a = self.in_freg(a);
        let d = fm(dst);
        dynasm!(self.ops
            ; .arch aarch64
            ; fsqrt D(d), D(a)
            ; fcmp D(d), D(d)
            ; b.vs =>exit
        );
    }

    fn int_to_float(&mut self, dst: u8, src: Operand) {
        let s = self.in_reg(src, TMP);
        dynasm!(self.ops
            ; .arch aarch64
            ; asr X(TMP), X(s), 4
            ; scvtf D(fm(dst)), X(TMP)
        );
    }

    fn farith(&mut self, op: FOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // At most one of them is a constant the fold pass kept, in `v31`;
        // two go through `x16` one at a time.
        let d = fm(dst);
        let (a, b) = match (a, b) {
            (Operand::Imm(_), Operand::Imm(_)) => {
                let a = self.in_freg(a);
                dynasm!(self.ops ; .arch aarch64 ; fmov D(d), D(a));
                (d, self.in_freg(b))
            }
            _ => (self.in_freg(a), self.in_freg(b)),
        };
        match op {
            FOp::Add => dynasm!(self.ops ; .arch aarch64 ; fadd D(d), D(a), D(b)),
            FOp::Sub => dynasm!(self.ops ; .arch aarch64 ; fsub D(d), D(a), D(b)),
            FOp::Mul => dynasm!(self.ops ; .arch aarch64 ; fmul D(d), D(a), D(b)),
            FOp::Div => dynasm!(self.ops ; .arch aarch64 ; fdiv D(d), D(a), D(b)),
        }
        if let Some(exit) = exit {
            self.all_finite_or_exit(&[d], exit);
        }
    }

    fn fcheck(&mut self, values: &[Operand], exit: DynamicLabel) {
        let mut regs = Vec::with_capacity(values.len());
        for &v in values {
            match v {
                Operand::Reg(r) => regs.push(fm(r)),
                // A constant the fold pass kept: checked here and now.
                Operand::Imm(bits) if f64::from_bits(bits as u64).is_finite() => {}
                Operand::Imm(_) => {
                    dynasm!(self.ops ; .arch aarch64 ; b =>exit);
                    return;
                }
            }
        }
        self.all_finite_or_exit(&regs, exit);
    }

    fn fneg(&mut self, dst: u8, a: Operand) {
        // BEAM's `fnegate` is `0.0 - a` (so `-(0.0)` is `0.0`).
        let a = match a {
            Operand::Reg(r) => fm(r),
            Operand::Imm(bits) => {
                let f = 0.0 - f64::from_bits(bits as u64);
                return self.fmov(dst, Operand::Imm(f.to_bits() as i64));
            }
        };
        let d = fm(dst);
        dynasm!(self.ops
            ; .arch aarch64
            ; fmov D(FTMP), xzr
            ; fsub D(d), D(FTMP), D(a)
        );
    }

    fn fguard(&mut self, cond: Cond, a: Operand, b: Operand, exit: DynamicLabel) {
        match (a, b) {
            // Two constants the fold pass kept: decided now.
            (Operand::Imm(x), Operand::Imm(y)) => {
                let (x, y) = (f64::from_bits(x as u64), f64::from_bits(y as u64));
                if !cond.eval_f(x, y) {
                    dynasm!(self.ops ; .arch aarch64 ; b =>exit);
                }
            }
            (Operand::Imm(_), Operand::Reg(b)) => {
                let a = self.in_freg(a);
                self.fcompare(cond, a, fm(b), exit);
            }
            (Operand::Reg(a), b) => {
                let b = self.in_freg(b);
                self.fcompare(cond, fm(a), b, exit);
            }
        }
    }

    fn heap_check(&mut self, words: u32, exit: DynamicLabel) {
        let bytes = i64::from(words) * 8;
        self.ldr(TMP, SEAM, OFF_HTOP);
        self.add_const(TMP, TMP, bytes, TMP2);
        self.ldr(TMP2, SEAM, OFF_HLIMIT);
        dynasm!(self.ops
            ; .arch aarch64
            ; cmp X(TMP), X(TMP2)
            ; b.hi =>exit
        );
    }

    fn cons(&mut self, dst: u8, head: Operand, tail: Operand) {
        let at = self.alloc_base();
        for (value, off) in [(head, at), (tail, at + 8)] {
            let v = self.in_reg(value, TMP2);
            self.str_free(v, off);
        }
        self.allocated(m(dst), at, 1, 16);
    }

    fn box_float(&mut self, dst: u8, f: Operand) {
        let at = self.alloc_base();
        self.load_const(TMP2, FLOAT_HEADER as i64);
        self.str_free(TMP2, at);
        match f {
            Operand::Reg(r) => self.fstr(fm(r), TMP, at + 8, TMP3),
            Operand::Imm(v) => {
                self.load_const(TMP2, v);
                self.str_free(TMP2, at + 8);
            }
        }
        self.allocated(m(dst), at, 2, 16);
    }

    fn alloc_tuple(&mut self, dst: u8, arity: u32) {
        let header = Header::new(Subtag::Tuple, arity as usize).0;
        let bytes = ((arity + 1) * 8) as i32;
        let at = self.alloc_base();
        self.load_const(TMP2, header as i64);
        self.str_free(TMP2, at);
        self.allocated(m(dst), at, 2, bytes);
    }

    fn set_element(&mut self, tuple: Operand, n: u32, value: Operand) {
        let t = self.in_reg(tuple, TMP);
        let v = self.in_reg(value, TMP2);
        self.str(v, t, (n as i32) * 8 + 6, TMP3);
    }

    fn flush_alloc(&mut self) {
        if self.alloc_pending != 0 {
            let bytes = i64::from(std::mem::take(&mut self.alloc_pending));
            self.ldr(TMP, SEAM, OFF_HTOP);
            self.add_const(TMP, TMP, bytes, TMP2);
            self.str(TMP, SEAM, OFF_HTOP, TMP2);
        }
    }

    fn jump_to(&mut self, target: u64) {
        self.load_const(TMP, target as i64);
        dynasm!(self.ops ; .arch aarch64 ; br X(TMP));
    }

    fn arith(&mut self, op: IntOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // `dst` is an operand's register only when it is `a`'s (then in
        // place); an exit's snapshot may name `a`, so with an exit the
        // result goes through `x16` and `dst` is written after the check.
        let d = m(dst);
        let in_place = matches!(a, Operand::Reg(r) if m(r) == d);
        match op {
            IntOp::Div | IntOp::Rem => match exit {
                Some(exit) if !in_place => self.divide(op == IntOp::Rem, d, a, b, exit),
                _ => self.missing("aarch64: an unguarded or in-place div/rem"),
            },
            IntOp::Mul => {
                // `a` is held times 16: shifted down, the product comes out
                // times 16; it overflowed unless its high word is its low
                // word's sign.
                let a = self.in_reg(a, TMP);
                dynasm!(self.ops ; .arch aarch64 ; asr X(TMP), X(a), 4);
                let b = self.in_reg(b, TMP2);
                match exit {
                    Some(exit) => dynasm!(self.ops
                        ; .arch aarch64
                        ; smulh X(TMP3), X(TMP), X(b)
                        ; mul X(TMP), X(TMP), X(b)
                        ; cmp X(TMP3), X(TMP), asr 63
                        ; b.ne =>exit
                        ; mov X(d), X(TMP)
                    ),
                    None => dynasm!(self.ops ; .arch aarch64 ; mul X(d), X(TMP), X(b)),
                }
            }
            IntOp::Sar(k) => {
                let a = self.in_reg(a, TMP);
                let k = u32::from(k.min(63));
                dynasm!(self.ops
                    ; .arch aarch64
                    ; asr X(d), X(a), k
                    ; and XSP(d), X(d), 0xFFFF_FFFF_FFFF_FFF0u64
                );
            }
            IntOp::Shl(k) => {
                let a = self.in_reg(a, TMP);
                let k = u32::from(k.min(63));
                match exit {
                    Some(exit) => dynasm!(self.ops
                        ; .arch aarch64
                        ; lsl X(TMP2), X(a), k
                        ; cmp X(a), X(TMP2), asr k
                        ; b.ne =>exit
                        ; mov X(d), X(TMP2)
                    ),
                    None => dynasm!(self.ops ; .arch aarch64 ; lsl X(d), X(a), k),
                }
            }
            IntOp::Add | IntOp::Sub => {
                let a = self.in_reg(a, TMP);
                match exit {
                    Some(exit) if in_place => {
                        self.alu(op, TMP, a, b);
                        dynasm!(self.ops
                            ; .arch aarch64
                            ; b.vs =>exit
                            ; mov X(d), X(TMP)
                        );
                    }
                    Some(exit) => {
                        self.alu(op, d, a, b);
                        dynasm!(self.ops ; .arch aarch64 ; b.vs =>exit);
                    }
                    None => self.alu(op, d, a, b),
                }
            }
            IntOp::And | IntOp::Or | IntOp::Xor => {
                let a = self.in_reg(a, TMP);
                self.alu(op, d, a, b);
            }
        }
    }

    fn mul3_add(&mut self, dst: u8, a: u8, c: i32, direct: bool, exit: DynamicLabel) {
        // `(a + c) + 2a`: `a + c` cannot overflow where `2a` does not.
        let (d, a) = (m(dst), m(a));
        let sum = if direct { d } else { TMP2 };
        self.add_const(sum, a, i64::from(c), TMP);
        dynasm!(self.ops
            ; .arch aarch64
            ; adds X(TMP), X(a), X(a)
            ; b.vs =>exit
            ; adds X(sum), X(sum), X(TMP)
            ; b.vs =>exit
        );
        if !direct {
            dynasm!(self.ops ; .arch aarch64 ; mov X(d), X(sum));
        }
    }

    fn guard_list(&mut self, a: Operand, is_list: bool, exit: DynamicLabel) {
        // A cons's tag is 1 exactly when `a - 1` has its low two bits
        // clear.
        let s = self.in_reg(a, TMP);
        dynasm!(self.ops
            ; .arch aarch64
            ; sub XSP(TMP), XSP(s), 1
            ; tst X(TMP), 3
        );
        if is_list {
            dynasm!(self.ops ; .arch aarch64 ; b.ne =>exit);
        } else {
            dynasm!(self.ops ; .arch aarch64 ; b.eq =>exit);
        }
    }

    fn guard_tuple(&mut self, a: Operand, arity: Option<u32>, exit: DynamicLabel) {
        // A tuple's header is `arity << 6` (subtag 0, header tag 0).
        let s = self.in_reg(a, TMP2);
        match arity {
            Some(n) => self.guard_header(s, u64::from(n) << 6, exit),
            None => dynasm!(self.ops
                ; .arch aarch64
                ; tst X(s), 1
                ; b.ne =>exit
                ; ldur X(TMP), [XSP(s), -2]
                ; tst X(TMP), 0x3F
                ; b.ne =>exit
            ),
        }
    }

    fn load_word(&mut self, dst: u8, src: Operand, disp: i32) {
        let s = self.in_reg(src, TMP);
        self.ldr(m(dst), s, disp);
    }

    fn guard_ctx(&mut self, _: Operand, _: DynamicLabel) {
        self.missing("aarch64: no binary matching yet");
    }

    fn load_untagged(&mut self, _: u8, _: Operand, _: i32) {
        self.missing("aarch64: no binary matching yet");
    }

    fn store_untagged(&mut self, _: Operand, _: i32, _: Operand) {
        self.missing("aarch64: no binary matching yet");
    }

    fn load_be(&mut self, _: u8, _: Operand, _: Operand, _: u8) {
        self.missing("aarch64: no binary matching yet");
    }

    fn load_bits(&mut self, _: u8, _: Operand, _: Operand, _: u8, _: bool) {
        self.missing("aarch64: no binary matching yet");
    }

    fn sub_binary(&mut self, _: u8, _: Operand, _: Operand, _: Operand, _: Keep) {
        self.missing("aarch64: no binary matching yet");
    }

    fn guard(&mut self, cond: Cond, a: Operand, b: Operand, exit: DynamicLabel) {
        self.compare(a, b);
        self.exit_unless(cond, exit);
    }

    fn guard_test(&mut self, cond: Cond, a: Operand, mask: Operand, exit: DynamicLabel) {
        self.test(a, mask);
        self.exit_unless(cond, exit);
    }

    fn set_if(&mut self, cond: Cond, dst: u8, a: Operand, b: Operand) {
        self.compare(a, b);
        let d = m(dst);
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch aarch64 ; cset X(d), eq),
            Cond::Ne => dynasm!(self.ops ; .arch aarch64 ; cset X(d), ne),
            Cond::Lt => dynasm!(self.ops ; .arch aarch64 ; cset X(d), lt),
            Cond::Ge => dynasm!(self.ops ; .arch aarch64 ; cset X(d), ge),
        }
    }

    fn select(&mut self, dst: u8, p: Operand, x: Operand, y: Operand) {
        let d = m(dst);
        if let Operand::Imm(p) = p {
            return self.load(d, if p != 0 { x } else { y });
        }
        let x = self.in_reg(x, TMP);
        let y = self.in_reg(y, TMP2);
        let p = self.in_reg(p, TMP3);
        dynasm!(self.ops
            ; .arch aarch64
            ; cmp XSP(p), 0
            ; csel X(d), X(x), X(y), ne
        );
    }

    fn branch_if(&mut self, p: Operand, nonzero: bool, to: DynamicLabel) {
        let p = self.in_reg(p, TMP);
        if nonzero {
            dynasm!(self.ops ; .arch aarch64 ; cbnz X(p), =>to);
        } else {
            dynasm!(self.ops ; .arch aarch64 ; cbz X(p), =>to);
        }
    }

    fn loop_back(&mut self, head: DynamicLabel, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch aarch64
            ; subs X(REDS), XSP(REDS), 1
            ; b.gt =>head
            ; b =>exit
        );
    }

    fn count_reduction(&mut self, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch aarch64
            ; subs X(REDS), XSP(REDS), 1
            ; b.le =>exit
        );
    }

    fn count_return(&mut self, exit: DynamicLabel) {
        let undo = self.ops.new_dynamic_label();
        dynasm!(self.ops
            ; .arch aarch64
            ; subs X(REDS), XSP(REDS), 1
            ; b.le =>undo
        );
        self.undos.push((undo, exit));
    }

    fn jump(&mut self, l: DynamicLabel) {
        dynasm!(self.ops ; .arch aarch64 ; b =>l);
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
        self.load_const(TMP, slot);
        dynasm!(self.ops
            ; .arch aarch64
            ; ldr X(TMP), [XSP(TMP), 0]
            ; br X(TMP)
        );
        let tail = self.offset();
        self.store_x(stores);
        if let Some(f) = frame {
            self.write_frame(f);
        }
        self.seam_word(OFF_PC, u64::from(pc));
        self.seam_u32(OFF_EXIT, kind);
        self.seam_u32(OFF_SNAPSHOT, snapshot);
        self.seam_u32(OFF_TRACE, self.trace);
        dynasm!(self.ops ; .arch aarch64 ; b =>self.epilogue);
        tail
    }

    fn write_x(&mut self, stores: &[Store]) {
        self.store_x(stores);
    }

    fn call_trace(&mut self, site: &CallSite, keep: Keep, elsewhere: DynamicLabel) {
        let saved = self.save_caller(keep);
        // The caller's trailer after its frame (above the frames below
        // it), and the callee's frames above both.
        let at = (site.frame.below + site.frame.words) as i32 * 8;
        let bytes = i64::from(at) + 8;
        self.ldr(TMP2, SEAM, OFF_Y);
        self.load_const(TMP, site.trailer as i64);
        self.str(TMP, TMP2, at, TMP3);
        self.add_const(TMP2, TMP2, bytes, TMP3);
        self.str(TMP2, SEAM, OFF_Y, TMP3);
        dynasm!(self.ops
            ; .arch aarch64
            ; str x20, [x19, OFF_REDS as u32]
            ; mov x0, x19
        );
        self.load_const(TMP, site.code as i64);
        dynasm!(self.ops
            ; .arch aarch64
            ; blr X(TMP)
            ; ldr x20, [x19, OFF_REDS as u32]
        );
        self.restore_caller(&saved);
        if site.returns {
            // Returned into this trace's frame: its trailer is right below
            // the buffer's base (no frame of the callee's is left).
            self.seam_exit_is(EXIT_RETURN, elsewhere);
            self.ldr(TMP2, SEAM, OFF_Y);
            dynasm!(self.ops ; .arch aarch64 ; ldur X(TMP), [XSP(TMP2), -8]);
            self.load_const(TMP3, site.trailer as i64);
        } else {
            self.seam_exit_is(EXIT_GUARD, elsewhere);
            self.ldr(TMP, SEAM, OFF_PC);
            self.load_const(TMP3, site.resume as i64);
        }
        dynasm!(self.ops
            ; .arch aarch64
            ; cmp X(TMP), X(TMP3)
            ; b.ne =>elsewhere
        );
        if site.reads != 0 {
            self.ldr(TMP, SEAM, OFF_BOXMASK);
            self.load_const(TMP2, site.boxmask as i64);
            self.load_const(TMP3, site.reads as i64);
            dynasm!(self.ops
                ; .arch aarch64
                ; eor X(TMP), X(TMP), X(TMP2)
                ; tst X(TMP), X(TMP3)
                ; b.ne =>elsewhere
            );
        }
        if site.returns {
            // The return's reduction; when it would spend the slice, out
            // as the callee left (the interpreter counts it and yields).
            dynasm!(self.ops
                ; .arch aarch64
                ; cmp x20, 1
                ; b.le =>elsewhere
                ; sub x20, x20, 1
            );
        }
        // Left where the caller goes on: its frame is its own again.
        self.ldr(TMP, SEAM, OFF_Y);
        self.add_const(TMP, TMP, -bytes, TMP3);
        self.str(TMP, SEAM, OFF_Y, TMP3);
    }

    fn call_reverse(&mut self, dst: u8, list: Operand, keep: Keep, exit: DynamicLabel) {
        let saved = self.save_caller(keep);
        // The list first: `x0` may hold it.
        self.load(1, list);
        dynasm!(self.ops ; .arch aarch64 ; mov x0, x19);
        self.call_out(crate::helper::reverse as *const () as i64);
        self.restore_caller(&saved);
        dynasm!(self.ops
            ; .arch aarch64
            ; cbz X(TMP2), =>exit
            ; mov X(m(dst)), X(TMP2)
        );
    }

    fn load_x_float(&mut self, dst: u8, n: u16) {
        self.ldr(TMP, SEAM, OFF_X);
        self.fldr(fm(dst), TMP, i32::from(n) * 8, TMP2);
    }

    fn leave_call(&mut self) {
        // The callee's exit left the buffer's base past this trace's
        // frame and trailer: the interpreter pushes them.
        let guard = self.ops.new_dynamic_label();
        self.seam_exit_is(EXIT_YIELD, guard);
        self.seam_u32(OFF_EXIT, EXIT_GUARD);
        dynasm!(self.ops
            ; .arch aarch64
            ; =>guard
            ; b =>self.epilogue
        );
    }

    fn push_frame(&mut self, trailer: u64, exit: DynamicLabel) {
        // Room for this frame and one more of the same size past its base.
        let step = (enigma_interp::seam::untrailer(trailer).1 as i64 + 1) * 8;
        self.ldr(TMP2, SEAM, OFF_Y);
        self.add_const(TMP, TMP2, 2 * step, TMP3);
        self.ldr(TMP3, SEAM, OFF_YLIMIT);
        dynasm!(self.ops
            ; .arch aarch64
            ; cmp X(TMP), X(TMP3)
            ; b.hi =>exit
        );
        self.load_const(TMP, trailer as i64);
        self.str(TMP, TMP2, step as i32 - 8, TMP3);
        self.add_const(TMP2, TMP2, step, TMP3);
        self.str(TMP2, SEAM, OFF_Y, TMP3);
    }

    fn ret(
        &mut self,
        sites: u64,
        _: Option<u8>,
        x0: Store,
        exit: DynamicLabel,
        empty: DynamicLabel,
    ) {
        use crate::returns::{SITES, SITE_BYTES, SITE_CODE, SITE_KEY, SITE_SIZE};
        // The frame buffer's top in `x17`, the trailer below it in `x16`,
        // the sites' address in `x15`; `x30` (the link register, which the
        // epilogue restores) takes each site's words. The buffer's bottom
        // mark below its first frame matches no site: only a miss tells an
        // empty buffer (or a calling trace's frame) from a frame without a
        // return trace.
        let out = self.ops.new_dynamic_label();
        let spent = self.ops.new_dynamic_label();
        self.ldr(TMP2, SEAM, OFF_Y);
        dynasm!(self.ops ; .arch aarch64 ; ldur X(TMP), [XSP(TMP2), -8]);
        self.load_const(TMP3, sites as i64);
        // Each site's hit drops the frame (its words and trailer: the
        // site's `bytes`) and counts the return's reduction; when that
        // would spend the slice, the exit at the `return` instead.
        for i in 0..SITES as i32 {
            let next = self.ops.new_dynamic_label();
            let at = i * SITE_SIZE;
            self.ldr(30, TMP3, at + SITE_KEY);
            dynasm!(self.ops
                ; .arch aarch64
                ; cmp X(TMP), x30
                ; b.ne =>next
            );
            self.ldr(30, TMP3, at + SITE_BYTES);
            dynasm!(self.ops ; .arch aarch64 ; sub X(TMP2), X(TMP2), x30);
            self.ldr(30, TMP3, at + SITE_CODE);
            dynasm!(self.ops
                ; .arch aarch64
                ; subs X(REDS), XSP(REDS), 1
                ; b.le =>spent
            );
            // x0 goes to its register only here: the exits may read
            // another value there.
            self.x0_for_return(x0);
            dynasm!(self.ops
                ; .arch aarch64
                ; str X(TMP2), [x19, OFF_Y as u32]
                ; br x30
                ; =>next
            );
        }
        // The bottom mark and a caller's trailer (a trace called this one)
        // both have the `CALLER` bit, no key has it: either way the return
        // goes out of the buffer, to the interpreter or to the caller.
        dynasm!(self.ops
            ; .arch aarch64
            ; b =>out
            ; =>spent
            ; add XSP(REDS), XSP(REDS), 1
            ; =>out
            ; tst X(TMP), enigma_interp::seam::CALLER
            ; b.ne =>empty
            ; b =>exit
        );
    }

    fn link(&mut self, stores: &[Store], target: u64) {
        self.store_x(stores);
        self.jump_to(target);
    }

    fn offset(&self) -> usize {
        self.ops.offset().0
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        if let Some(what) = self.missing {
            return Err(what.into());
        }
        for (undo, exit) in std::mem::take(&mut self.undos) {
            dynasm!(self.ops
                ; .arch aarch64
                ; =>undo
                ; add XSP(REDS), XSP(REDS), 1
                ; b =>exit
            );
        }
        dynasm!(self.ops
            ; .arch aarch64
            ; =>self.epilogue
            ; str x20, [x19, OFF_REDS as u32]
            ; ldp x27, x28, [sp, 80]
            ; ldp x25, x26, [sp, 64]
            ; ldp x23, x24, [sp, 48]
            ; ldp x21, x22, [sp, 32]
            ; ldp x19, x20, [sp, 16]
            ; ldp x29, x30, [sp], FRAME_BYTES as i32
            ; ret
        );
        self.ops.finalize().map_err(|e| format!("{e:?}"))
    }
}

impl A64 {
    /// Jumps to `elsewhere` unless the seam's exit kind is `kind`.
    fn seam_exit_is(&mut self, kind: u32, elsewhere: DynamicLabel) {
        dynasm!(self.ops
            ; .arch aarch64
            ; ldr W(TMP), [x19, OFF_EXIT as u32]
            ; cmp WSP(TMP), kind
            ; b.ne =>elsewhere
        );
    }

    /// x0 (`x0`'s value, tagged) in [`crate::returns::X0`]'s register,
    /// for the return trace a return jumps to.
    fn x0_for_return(&mut self, x0: Store) {
        let x = m(crate::returns::X0);
        match (x0.ty, x0.value) {
            (Ty::Int, Operand::Reg(r)) => {
                dynasm!(self.ops ; .arch aarch64 ; orr XSP(x), X(m(r)), 0xF)
            }
            (Ty::Int, Operand::Imm(v)) => self.load_const(x, v | 0xF),
            (_, v) => self.load(x, v),
        }
    }

    /// Stores the caller-saved registers of `keep` (general `x0`-`x14`,
    /// every float register: `d8`-`d15` hold none) below the stack
    /// pointer, before a call out of the trace; returns them. The area
    /// is a multiple of 16 bytes: the prologue's frame is, so the stack
    /// stays aligned as AAPCS64 wants at a call.
    fn save_caller(&mut self, keep: Keep) -> (Vec<u32>, Vec<u32>) {
        let gregs: Vec<u32> = (0..Self::REGS)
            .filter(|&k| keep.gregs & 1 << k != 0 && m(k) < 15)
            .map(m)
            .collect();
        let fregs: Vec<u32> = (0..Self::FREGS)
            .filter(|&k| keep.fregs & 1 << k != 0)
            .map(fm)
            .collect();
        let bytes = Self::save_area(&gregs, &fregs);
        if bytes != 0 {
            dynasm!(self.ops ; .arch aarch64 ; sub sp, sp, bytes);
        }
        for (k, &r) in gregs.iter().enumerate() {
            let at = k as u32 * 8;
            dynasm!(self.ops ; .arch aarch64 ; str X(r), [sp, at]);
        }
        for (k, &r) in fregs.iter().enumerate() {
            let at = (gregs.len() + k) as u32 * 8;
            dynasm!(self.ops ; .arch aarch64 ; str D(r), [sp, at]);
        }
        (gregs, fregs)
    }

    /// The bytes [`A64::save_caller`] reserves (below 4096: at most 46
    /// words).
    fn save_area(gregs: &[u32], fregs: &[u32]) -> u32 {
        ((gregs.len() + fregs.len()) as u32 * 8).next_multiple_of(16)
    }

    /// Calls the `extern "C"` helper at `f` (arguments in place, caller's
    /// registers saved), its result in `x17`.
    fn call_out(&mut self, f: i64) {
        self.load_const(TMP, f);
        dynasm!(self.ops
            ; .arch aarch64
            ; blr X(TMP)
            ; mov X(TMP2), x0
        );
    }

    /// Undoes [`A64::save_caller`] after the call.
    fn restore_caller(&mut self, (gregs, fregs): &(Vec<u32>, Vec<u32>)) {
        for (k, &r) in gregs.iter().enumerate() {
            let at = k as u32 * 8;
            dynasm!(self.ops ; .arch aarch64 ; ldr X(r), [sp, at]);
        }
        for (k, &r) in fregs.iter().enumerate() {
            let at = (gregs.len() + k) as u32 * 8;
            dynasm!(self.ops ; .arch aarch64 ; ldr D(r), [sp, at]);
        }
        let bytes = Self::save_area(gregs, fregs);
        if bytes != 0 {
            dynasm!(self.ops ; .arch aarch64 ; add sp, sp, bytes);
        }
    }

    /// The word at `off` from the heap top in `x16` = machine register
    /// `v` (`x17` or a value's).
    fn str_free(&mut self, v: u32, off: i32) {
        self.str(v, TMP, off, TMP3);
    }
}

#[cfg(all(test, target_arch = "aarch64"))]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use enigma_interp::seam::{Seam, EXIT_GUARD, EXIT_HEAP, EXIT_YIELD};
    use enigma_vm::term::{Heap, Term, MAX_SMALL};

    use crate::backend::compile;
    use crate::exec::Code;
    use crate::ir::{Cond, FOp, IntOp, Op, Trace, Ty};
    use crate::snapshot::{Snapshot, F_SLOT};

    fn snap(t: &mut Trace, pc: u32, regs: Vec<(u16, u32)>) -> u32 {
        t.snaps.push(Snapshot {
            pc,
            regs,
            frame: None,
        });
        (t.snaps.len() - 1) as u32
    }

    /// A loop over `N` (x0) and `Acc` (x1) until `N` is 0:
    /// `S = Acc div 3 + (N rem 7) * 5 + 2^40 - 2^40`, then `Acc' = S bsl 2`
    /// when `N` is odd, else `S bsr 1`; `N' = N - 1`. Any overflow exits
    /// at snapshot 2 (pc 6) with both as they were.
    fn mixed_trace() -> Trace {
        let mut t = Trace::default();
        let entry = snap(&mut t, 5, Vec::new());
        let n = t.push(Op::LoadX(0), Ty::Term);
        let n = t.push(Op::Unbox(n, entry), Ty::Int);
        let acc = t.push(Op::LoadX(1), Ty::Term);
        let acc = t.push(Op::Unbox(acc, entry), Ty::Int);
        t.push(Op::Loop, Ty::None);
        let pn = t.push(Op::Phi(n), Ty::Int);
        let pacc = t.push(Op::Phi(acc), Ty::Int);
        let done = snap(&mut t, 5, vec![(0, pn), (1, pacc)]);
        let over = snap(&mut t, 6, vec![(0, pn), (1, pacc)]);
        let k = |t: &mut Trace, v| t.push(Op::KInt(v), Ty::Int);
        let zero = k(&mut t, 0);
        t.push(Op::Guard(Cond::Ne, pn, zero, done), Ty::None);
        let three = k(&mut t, 3);
        let q = t.push(Op::Arith(IntOp::Div, pacc, three, Some(over)), Ty::Int);
        let seven = k(&mut t, 7);
        let r = t.push(Op::Arith(IntOp::Rem, pn, seven, Some(over)), Ty::Int);
        let five = k(&mut t, 5);
        let p = t.push(Op::Arith(IntOp::Mul, r, five, Some(over)), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Add, q, p, Some(over)), Ty::Int);
        let big = k(&mut t, 1 << 40);
        let s = t.push(Op::Arith(IntOp::Add, s, big, Some(over)), Ty::Int);
        let s = t.push(Op::Arith(IntOp::Sub, s, big, Some(over)), Ty::Int);
        let one = k(&mut t, 1);
        let low = t.push(Op::Arith(IntOp::And, pn, one, None), Ty::Int);
        let odd = t.push(Op::Cmp(Cond::Ne, low, zero), Ty::Int);
        let two = k(&mut t, 2);
        let up = t.push(Op::Arith(IntOp::Shl(2), s, two, Some(over)), Ty::Int);
        let down = t.push(Op::Arith(IntOp::Sar(1), s, one, None), Ty::Int);
        let acc1 = t.push(Op::Select(odd, up, down), Ty::Int);
        let n1 = t.push(Op::Arith(IntOp::Sub, pn, one, Some(over)), Ty::Int);
        t.back = vec![(pn, n1), (pacc, acc1)];
        t.yield_snap = snap(&mut t, 5, vec![(0, pn), (1, pacc)]);
        t
    }

    /// [`mixed_trace`]'s loop in Rust: `(N, Acc)` where it exits.
    fn mixed(mut n: i64, mut acc: i64) -> (i64, i64) {
        while n != 0 {
            let s = acc / 3 + (n % 7) * 5;
            acc = if n & 1 != 0 { s << 2 } else { s >> 1 };
            n -= 1;
        }
        (n, acc)
    }

    fn compiled(t: &Trace) -> (Code, Box<[AtomicU64]>) {
        let table: Box<[AtomicU64]> = t.snaps.iter().map(|_| Default::default()).collect();
        let b = super::A64::new(1, table.as_ptr() as u64);
        let out = compile(t, b, None).unwrap();
        let code = Code::new(&out.bytes).unwrap();
        for (e, &at) in table.iter().zip(&out.exits) {
            e.store(code.base() + at as u64, Ordering::Relaxed);
        }
        (code, table)
    }

    fn run(code: &Code, x: &mut [Term], reds: i64) -> Seam {
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds,
            exit: 9,
            snapshot: 9,
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        s
    }

    #[test]
    fn integer_arithmetic_compares_and_selects_run_as_the_interpreter_would() {
        let (code, _table) = compiled(&mixed_trace());
        for (n, acc) in [(10, 1000), (25, -77), (1, 5)] {
            let mut x = [Term::small(n), Term::small(acc), Term::NIL];
            let s = run(&code, &mut x, 1000);
            assert_eq!((s.exit, s.snapshot, s.pc, s.trace), (EXIT_GUARD, 1, 5, 1));
            let (n1, acc1) = mixed(n, acc);
            assert_eq!((x[0], x[1]), (Term::small(n1), Term::small(acc1)));
            assert_eq!(s.reds, 1000 - n);
        }
    }

    #[test]
    fn type_overflow_and_reduction_exits_restore_the_registers() {
        let (code, _table) = compiled(&mixed_trace());
        let mut x = [Term::NIL, Term::small(0)];
        let s = run(&code, &mut x, 1000);
        assert_eq!((s.snapshot, x[0]), (0, Term::NIL));
        // `S bsl 2` leaves the small range on the first (odd) step.
        let mut x = [Term::small(3), Term::small(MAX_SMALL)];
        let s = run(&code, &mut x, 1000);
        assert_eq!((s.exit, s.snapshot, s.pc), (EXIT_GUARD, 2, 6));
        assert_eq!((x[0], x[1]), (Term::small(3), Term::small(MAX_SMALL)));
        let mut x = [Term::small(1000), Term::small(0)];
        let s = run(&code, &mut x, 10);
        assert_eq!((s.exit, s.reds, x[0]), (EXIT_YIELD, 0, Term::small(990)));
    }

    /// `{sqrt(F * F + 1.5), X1}` consed onto x2, F the float in x0; the
    /// guard that it is `[]` exits with it in x0 and `-N` (the integer in
    /// x3) in float register 0; `-N < F` is guarded first.
    fn float_trace() -> Trace {
        let mut t = Trace::default();
        t.push(Op::Loop, Ty::None);
        let s0 = snap(&mut t, 7, Vec::new());
        let f = t.push(Op::LoadX(0), Ty::Term);
        let f = t.push(Op::UnboxFloat(f, s0), Ty::Float);
        let sq = t.push(Op::FArith(FOp::Mul, f, f, None), Ty::Float);
        let half = t.push(Op::KFloat(1.5f64.to_bits()), Ty::Float);
        let sum = t.push(Op::FArith(FOp::Add, sq, half, Some(s0)), Ty::Float);
        let root = t.push(Op::FSqrt(sum, s0), Ty::Float);
        let n = t.push(Op::LoadX(3), Ty::Term);
        let n = t.push(Op::Unbox(n, s0), Ty::Int);
        let nf = t.push(Op::IntToFloat(n), Ty::Float);
        let neg = t.push(Op::FNeg(nf), Ty::Float);
        t.push(Op::FGuard(Cond::Lt, neg, f, s0), Ty::None);
        let heap = snap(&mut t, 8, Vec::new());
        t.push(Op::HeapCheck(7, heap), Ty::None);
        let boxed = t.push(Op::BoxFloat(root), Ty::Term);
        let tup = t.push(Op::AllocTuple(2), Ty::Term);
        t.push(Op::SetElement(tup, 0, boxed), Ty::None);
        let x1 = t.push(Op::LoadX(1), Ty::Term);
        t.push(Op::SetElement(tup, 1, x1), Ty::None);
        let x2 = t.push(Op::LoadX(2), Ty::Term);
        let c = t.push(Op::Cons(tup, x2), Ty::Term);
        let out = snap(&mut t, 9, vec![(0, c), (F_SLOT, neg)]);
        let nil = t.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
        t.push(Op::Guard(Cond::Eq, c, nil, out), Ty::None);
        t.yield_snap = snap(&mut t, 7, Vec::new());
        t
    }

    #[test]
    fn floats_are_unboxed_computed_boxed_and_stored() {
        let (code, _table) = compiled(&float_trace());
        let mut heap = Heap::new();
        let f = heap.float(2.0);
        let tail = heap.list(&[Term::small(9)]);
        let mut area = vec![0u64; 16];
        let mut floats = [0f64; 2];
        let mut x = [f, Term::small(5), tail, Term::small(3)];
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds: 10,
            f: floats.as_mut_ptr(),
            htop: area.as_mut_ptr(),
            hlimit: area.as_mut_ptr().wrapping_add(16),
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        assert_eq!((s.exit, s.pc), (EXIT_GUARD, 9));
        assert_eq!(s.htop, area.as_mut_ptr().wrapping_add(7));
        let (head, rest) = x[0].as_cons().expect("a cons");
        assert_eq!(rest, tail);
        let tuple = head.as_tuple().expect("a tuple").elements();
        assert_eq!(tuple[0].as_float(), Some(5.5f64.sqrt()));
        assert_eq!(tuple[1], Term::small(5));
        assert_eq!((floats[0], s.boxmask), (-3.0, 0));
        // No room: the heap exit, nothing allocated.
        let mut x = [f, Term::small(5), tail, Term::small(3)];
        let mut s = Seam {
            x: x.as_mut_ptr(),
            reds: 10,
            htop: area.as_mut_ptr(),
            hlimit: area.as_mut_ptr().wrapping_add(6),
            ..crate::nested::tests::seam()
        };
        code.enter(&mut s);
        assert_eq!((s.exit, s.pc, s.htop), (EXIT_HEAP, 8, area.as_mut_ptr()));
        // Not a float, or `-N < F` false: the first exit.
        for (a, n) in [(Term::small(1), 3), (f, -7)] {
            let mut x = [a, Term::small(5), tail, Term::small(n)];
            let s = run(&code, &mut x, 10);
            assert_eq!((s.exit, s.pc), (EXIT_GUARD, 7));
        }
    }

    #[test]
    fn constants_of_every_shape_load_exactly() {
        let values: [i64; 9] = [
            0,
            0xFFFF,
            -1,
            -0x10000,
            1 << 40,
            0x1234_5678_9ABC_DEF0,
            i64::MIN,
            i64::MAX,
            -0x1234_0000_5678,
        ];
        // An exit writing each as a constant term.
        let mut t = Trace::default();
        t.push(Op::Loop, Ty::None);
        let regs = values
            .iter()
            .enumerate()
            .map(|(k, &v)| (k as u16 + 1, t.push(Op::KTerm(v as u64), Ty::Term)))
            .collect();
        let out = snap(&mut t, 3, regs);
        let x0 = t.push(Op::LoadX(0), Ty::Term);
        let nil = t.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
        t.push(Op::Guard(Cond::Eq, x0, nil, out), Ty::None);
        t.yield_snap = snap(&mut t, 3, Vec::new());
        let (code, _table) = compiled(&t);
        let mut x = [Term::small(1); 10];
        let s = run(&code, &mut x, 10);
        assert_eq!((s.exit, s.pc), (EXIT_GUARD, 3));
        let words: Vec<i64> = x[1..].iter().map(|w| w.raw() as i64).collect();
        assert_eq!(words, values);
    }
}
