//! Float registers and the `f*` instructions. Operations whose result is
//! not finite raise `badarith` at once (BEAM's `fcheckerror` point).

use enigma_vm::code::{operand::FReg, Reg, Src};
use enigma_vm::exception::Exception;

use crate::run::{Run, Step, NUM_REGS};

impl Run<'_> {
    /// `fmove` from a term to a float register (the term is a float).
    pub(crate) fn fload(&mut self, src: Src, dst: FReg) -> Step {
        let f = self.get(src).as_float().ok_or_else(Exception::badarith)?;
        self.f[dst as usize % NUM_REGS] = f;
        Ok(())
    }

    /// `fmove` from a float register to a term.
    #[inline(always)]
    pub(crate) fn fstore(&mut self, src: FReg, dst: Reg) {
        let t = self.p.heap.float(self.f[src as usize % NUM_REGS]);
        self.set(dst, t)
    }

    /// `fconv`: any number to a float register.
    pub(crate) fn fconv(&mut self, src: Src, dst: FReg) -> Step {
        let t = self.get(src);
        let f = if let Some(v) = t.as_small() {
            v as f64
        } else if let Some(f) = t.as_float() {
            f
        } else if let Some(i) = t.as_int() {
            i.to_f64()
        } else {
            return Err(Exception::badarith().into());
        };
        if !f.is_finite() {
            return Err(Exception::badarith().into());
        }
        self.f[dst as usize % NUM_REGS] = f;
        Ok(())
    }

    /// `fadd`, `fsub`, `fmul`, `fdiv`, `fnegate`.
    #[inline(always)]
    pub(crate) fn farith(&mut self, a: FReg, b: FReg, dst: FReg, op: fn(f64, f64) -> f64) -> Step {
        let r = op(self.f[a as usize % NUM_REGS], self.f[b as usize % NUM_REGS]);
        if !r.is_finite() {
            return Err(Exception::badarith().into());
        }
        self.f[dst as usize % NUM_REGS] = r;
        Ok(())
    }
}
