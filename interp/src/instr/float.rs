//! Float registers and the `f*` instructions. Operations whose result is
//! not finite raise `badarith` at once (BEAM's `fcheckerror` point).

use enigma_vm::code::{operand::FReg, Reg, Src};

use crate::run::{Run, NUM_REGS};

impl Run<'_> {
    // The three that can fail return whether they did not (`badarith`
    // otherwise, raised by the instruction loop), not a `Step`: a result
    // the loop tests stays in a register.

    /// `fmove` from a term to a float register (the term is a float).
    #[inline(always)]
    pub(crate) fn fload(&mut self, src: Src, dst: FReg) -> bool {
        let Some(f) = self.get(src).as_float() else {
            return false;
        };
        self.f[dst as usize % NUM_REGS] = f;
        true
    }

    /// `fmove` from a float register to a term.
    #[inline(always)]
    pub(crate) fn fstore(&mut self, src: FReg, dst: Reg) {
        let t = self.p.heap.float(self.f[src as usize % NUM_REGS]);
        self.set(dst, t)
    }

    /// `fconv`: any number to a float register.
    pub(crate) fn fconv(&mut self, src: Src, dst: FReg) -> bool {
        let t = self.get(src);
        let f = if let Some(v) = t.as_small() {
            v as f64
        } else if let Some(f) = t.as_float() {
            f
        } else if let Some(i) = t.as_int() {
            i.to_f64()
        } else {
            return false;
        };
        if !f.is_finite() {
            return false;
        }
        self.f[dst as usize % NUM_REGS] = f;
        true
    }

    /// `fadd`, `fsub`, `fmul`, `fdiv`, `fnegate`.
    #[inline(always)]
    pub(crate) fn farith(&mut self, a: FReg, b: FReg, dst: FReg, op: fn(f64, f64) -> f64) -> bool {
        let r = op(self.f[a as usize % NUM_REGS], self.f[b as usize % NUM_REGS]);
        if !r.is_finite() {
            return false;
        }
        self.f[dst as usize % NUM_REGS] = r;
        true
    }
}
