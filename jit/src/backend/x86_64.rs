//! BACKEND x86-64, written with `dynasm!` (System V calling convention).
//!
//! Fixed registers: `rdi` holds the `*mut Seam` for the whole trace; `r11`
//! is the backend's temporary and `r10` its second (and the parallel-move
//! scratch). The other eleven general registers are allocatable; the
//! callee-saved ones among them are saved by the prologue and restored by
//! the common epilogue (every exit slot's first target).

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi, VecAssembler};
use enigma_interp::seam::{OFF_EXIT, OFF_PC, OFF_REDS, OFF_SNAPSHOT, OFF_TRACE, OFF_X};

use super::{Backend, Operand, Store};
use crate::ir::{Cond, IntOp};

/// Machine register of each allocation index, then the scratch (`r10`).
const MACHINE: [u8; 12] = [0, 1, 2, 6, 8, 9, 3, 12, 13, 14, 15, 10];

/// `r11`.
const TMP: u8 = 11;
/// `r10`.
const TMP2: u8 = 10;

/// The x86-64 backend.
pub struct X64 {
    ops: VecAssembler<X64Relocation>,
    trace: u32,
    exit_table: u64,
}

impl X64 {
    /// A backend for trace number `trace`, whose exits jump through the
    /// table of words at `exit_table`.
    pub fn new(trace: u32, exit_table: u64) -> X64 {
        X64 {
            ops: VecAssembler::new(0),
            trace,
            exit_table,
        }
    }

    /// Writes `stores` to the X registers (clobbers both temporaries).
    fn store_x(&mut self, stores: &[Store]) {
        dynasm!(self.ops ; .arch x64 ; mov Rq(TMP), [rdi + OFF_X]);
        for s in stores {
            let off = i32::from(s.x) * 8;
            self.load(TMP2, s.value);
            if s.retag {
                dynasm!(self.ops ; .arch x64 ; or Rq(TMP2), 0xF);
            }
            dynasm!(self.ops ; .arch x64 ; mov [Rq(TMP) + off], Rq(TMP2));
        }
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
                    IntOp::Shl(_) | IntOp::Sar(_) => {}
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
            IntOp::Shl(_) | IntOp::Sar(_) => {}
        }
    }
}

impl Backend for X64 {
    type Label = DynamicLabel;
    const REGS: u8 = 11;

    fn label(&mut self) -> DynamicLabel {
        self.ops.new_dynamic_label()
    }

    fn bind(&mut self, l: DynamicLabel) {
        dynasm!(self.ops ; .arch x64 ; =>l);
    }

    fn prologue(&mut self) {
        dynasm!(self.ops
            ; .arch x64
            ; push rbx
            ; push r12
            ; push r13
            ; push r14
            ; push r15
        );
    }

    fn load_x(&mut self, dst: u8, x: u16) {
        let off = i32::from(x) * 8;
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), [rdi + OFF_X]
            ; mov Rq(m(dst)), [Rq(TMP) + off]
        );
    }

    fn unbox(&mut self, dst: u8, src: Operand, exit: DynamicLabel) {
        let d = m(dst);
        self.load(d, src);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), Rq(d)
            ; not Rq(TMP)
            ; test Rb(TMP), 0xF
            ; jnz =>exit
            ; and Rq(d), -16
        );
    }

    fn box_int(&mut self, dst: u8, src: Operand) {
        self.load(m(dst), src);
        dynasm!(self.ops ; .arch x64 ; or Rq(m(dst)), 0xF);
    }

    fn mov(&mut self, dst: u8, src: Operand) {
        self.load(m(dst), src);
    }

    fn arith(&mut self, op: IntOp, dst: u8, a: Operand, b: Operand, exit: Option<DynamicLabel>) {
        // The allocator never gives `dst` an operand's register, and an
        // exit's snapshot never names `dst`: it may be written early.
        let d = m(dst);
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
    }

    fn guard(&mut self, cond: Cond, a: Operand, b: Operand, exit: DynamicLabel) {
        let a = self.in_reg(a, TMP);
        match b {
            Operand::Imm(v) if i32::try_from(v).is_ok() => {
                dynasm!(self.ops ; .arch x64 ; cmp Rq(a), v as i32)
            }
            _ => {
                let b = self.in_reg(b, TMP2);
                dynasm!(self.ops ; .arch x64 ; cmp Rq(a), Rq(b))
            }
        }
        match cond {
            Cond::Eq => dynasm!(self.ops ; .arch x64 ; jne =>exit),
            Cond::Ne => dynasm!(self.ops ; .arch x64 ; je =>exit),
            Cond::Lt => dynasm!(self.ops ; .arch x64 ; jge =>exit),
            Cond::Ge => dynasm!(self.ops ; .arch x64 ; jl =>exit),
        }
    }

    fn count_reduction(&mut self, exit: DynamicLabel) {
        dynasm!(self.ops
            ; .arch x64
            ; sub QWORD [rdi + OFF_REDS], 1
            ; jle =>exit
        );
    }

    fn jump(&mut self, l: DynamicLabel) {
        dynasm!(self.ops ; .arch x64 ; jmp =>l);
    }

    fn exit(&mut self, stores: &[Store], pc: u32, kind: u32, snapshot: u32) {
        self.store_x(stores);
        let slot = self.exit_table as i64 + i64::from(snapshot) * 8;
        dynasm!(self.ops
            ; .arch x64
            ; mov QWORD [rdi + OFF_PC], pc as i32
            ; mov DWORD [rdi + OFF_EXIT], kind as i32
            ; mov DWORD [rdi + OFF_SNAPSHOT], snapshot as i32
            ; mov DWORD [rdi + OFF_TRACE], self.trace as i32
            ; mov Rq(TMP), QWORD slot
            ; jmp QWORD [Rq(TMP)]
        );
    }

    fn link(&mut self, stores: &[Store], target: u64) {
        self.store_x(stores);
        dynasm!(self.ops
            ; .arch x64
            ; mov Rq(TMP), QWORD target as i64
            ; jmp Rq(TMP)
        );
    }

    fn offset(&self) -> usize {
        self.ops.offset().0
    }

    fn finish(mut self) -> Result<(Vec<u8>, usize), String> {
        let at = self.ops.offset().0;
        dynasm!(self.ops
            ; .arch x64
            ; pop r15
            ; pop r14
            ; pop r13
            ; pop r12
            ; pop rbx
            ; ret
        );
        let bytes = self.ops.finalize().map_err(|e| format!("{e:?}"))?;
        Ok((bytes, at))
    }
}
