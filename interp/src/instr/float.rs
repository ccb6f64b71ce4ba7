//! Float registers and the `f*` instructions. Operations whose result is
//! not finite raise `badarith` at once (BEAM's `fcheckerror` point).

use enigma_vm::code::{operand::FReg, Src};
use enigma_vm::exception::Exception;

use crate::run::{Run, Step};

impl Run<'_> {
    /// `fmove` from a term to a float register (the term is a float).
    pub(crate) fn fload(&mut self, src: Src, dst: FReg) -> Step {
        let f = self.get(src).as_float().ok_or_else(Exception::badarith)?;
        self.f[dst as usize] = f;
        Ok(())
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
        self.f[dst as usize] = f;
        Ok(())
    }

    /// `fadd`, `fsub`, `fmul`, `fdiv`, `fnegate`.
    #[inline(always)]
    pub(crate) fn farith(&mut self, a: FReg, b: FReg, dst: FReg, op: fn(f64, f64) -> f64) -> Step {
        let r = op(self.f[a as usize], self.f[b as usize]);
        if !r.is_finite() {
            return Err(Exception::badarith().into());
        }
        self.f[dst as usize] = r;
        Ok(())
    }
}
