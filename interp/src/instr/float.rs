//! Float registers and the `f*` instructions. Operations whose result is
//! not finite raise `badarith` at once (BEAM's `fcheckerror` point).

use enigma_vm::code::{operand::FReg, FloadImmOp, FloadXOp, Reg, Src};
use enigma_vm::term::Term;

use crate::regs::{fr_in, set_fr_in};
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
        self.set_fr(dst as usize, f);
        true
    }

    /// `fmove` from a float register to a term.
    #[inline(always)]
    pub(crate) fn fstore(&mut self, src: FReg, dst: Reg) {
        let t = self.p.heap.float(self.fr(src as usize));
        self.set(dst, t)
    }

    /// `fconv` of `t`: any number to a float register. A small integer, the
    /// common case in loops, converts inline (always finite); other terms
    /// take a call to [`number_to_f64`].
    #[inline(always)]
    pub(crate) fn fconv(&mut self, t: Term, dst: FReg) -> bool {
        let f = match t.as_small() {
            Some(v) => v as f64,
            None => match number_to_f64(t) {
                Some(f) => f,
                None => return false,
            },
        };
        self.set_fr(dst as usize, f);
        true
    }

    /// `fadd`, `fsub`, `fmul`, `fdiv`, `fnegate`.
    #[inline(always)]
    pub(crate) fn farith(
        &mut self,
        a: FReg,
        b: FReg,
        dst: FReg,
        op: impl FnOnce(f64, f64) -> f64,
    ) -> bool {
        farith_in(self.f, a, b, dst, op)
    }
}

impl Run<'_> {
    /// A float literal's load and the operation `op` after it
    /// (`FloadImmAdd` and the like): whether the result is finite.
    #[inline(always)]
    pub(crate) fn fload_imm_arith(
        &mut self,
        f: &FloadImmOp,
        op: impl FnOnce(f64, f64) -> f64,
    ) -> bool {
        let regs = &mut *self.f;
        set_fr_in(regs, f.k as usize, f.value);
        farith_in(regs, f.a, f.b, f.dst, op)
    }

    /// An X register's unboxing and the operation `op` after it
    /// (`FloadXAdd` and the like): whether the register held a float and
    /// the result is finite (both `badarith` otherwise).
    #[inline(always)]
    pub(crate) fn fload_x_arith(&mut self, f: &FloadXOp, op: impl FnOnce(f64, f64) -> f64) -> bool {
        let Some(v) = self.xr(f.src as usize).as_float() else {
            return false;
        };
        let regs = &mut *self.f;
        set_fr_in(regs, f.k as usize, v);
        farith_in(regs, f.a, f.b, f.dst, op)
    }
}

/// `dst = op(a, b)` on the float registers `regs` when the result is
/// finite: whether it was. The registers' address stays in a local from
/// a fused load's store to the operation's (through `Run::f` each store
/// made the next access load it again).
#[inline(always)]
fn farith_in(
    regs: &mut [f64; NUM_REGS],
    a: FReg,
    b: FReg,
    dst: FReg,
    op: impl FnOnce(f64, f64) -> f64,
) -> bool {
    let r = op(fr_in(regs, a as usize), fr_in(regs, b as usize));
    // `is_finite` as one float compare (NaN compares false): 5 machine
    // instructions, where the test of the exponent bits took 6.
    let finite = r.abs() <= f64::MAX;
    if !finite {
        return false;
    }
    set_fr_in(regs, dst as usize, r);
    true
}

/// `fconv` of a term that is not a small integer: a float, or a big
/// integer whose value is finite as a float; `None` otherwise (`badarith`).
#[inline(never)]
fn number_to_f64(t: Term) -> Option<f64> {
    let f = match t.as_float() {
        Some(f) => f,
        None => t.as_int()?.to_f64(),
    };
    f.is_finite().then_some(f)
}
