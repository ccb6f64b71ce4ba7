//! The X and float registers as the instruction loop reads them: by an
//! index taken from a loaded instruction, without a bounds test or mask.
//!
//! The `unsafe` here rests on what the loader guarantees: it stores no X
//! or float register index of [`NUM_REGS`] (`MAX_X_REGS`) or above
//! (`loader::transform::operands`: `Tx::reg`, `Tx::freg`), and the
//! loader's specialised instructions (`Move2Regs`, `AddXX`, ...) take
//! their bare register numbers from those. A mask (`% NUM_REGS`, an `and`
//! per access) kept the arrays' accesses safe at about 6 machine
//! instructions per fib call and 10 per bench_sum iteration. Indices
//! from anywhere else (live counts, arities, BIF arguments) still go
//! through the arrays' checked indexing.

use enigma_vm::term::Term;

use crate::run::{Run, NUM_REGS};

impl Run<'_> {
    /// X register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub(crate) fn xr(&self, i: usize) -> Term {
        debug_assert!(i < NUM_REGS);
        // SAFETY: `i < NUM_REGS`, a loaded operand (module docs).
        unsafe { *self.x.get_unchecked(i) }
    }

    /// Writes X register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub(crate) fn set_xr(&mut self, i: usize, t: Term) {
        debug_assert!(i < NUM_REGS);
        // SAFETY: `i < NUM_REGS`, a loaded operand (module docs).
        unsafe { *self.x.get_unchecked_mut(i) = t }
    }

    /// Float register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub(crate) fn fr(&self, i: usize) -> f64 {
        fr_in(self.f, i)
    }

    /// Writes float register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub(crate) fn set_fr(&mut self, i: usize, v: f64) {
        set_fr_in(self.f, i, v)
    }
}

/// Float register `i` of `f`, `i` a loaded instruction's operand: for an
/// arm that keeps the registers' address in a local across its stores
/// (through `Run::f` it is loaded again after each one).
#[inline(always)]
pub(crate) fn fr_in(f: &[f64; NUM_REGS], i: usize) -> f64 {
    debug_assert!(i < NUM_REGS);
    // SAFETY: `i < NUM_REGS`, a loaded operand (module docs).
    unsafe { *f.get_unchecked(i) }
}

/// Writes float register `i` of `f` (as [`fr_in`]).
#[inline(always)]
pub(crate) fn set_fr_in(f: &mut [f64; NUM_REGS], i: usize, v: f64) {
    debug_assert!(i < NUM_REGS);
    // SAFETY: `i < NUM_REGS`, a loaded operand (module docs).
    unsafe { *f.get_unchecked_mut(i) = v }
}
