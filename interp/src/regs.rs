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

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use enigma_vm::term::Term;

use crate::run::{Run, NUM_REGS};

/// The X registers of a run ([`Run::x`]): the executor's array, held as a
/// pointer so that the instruction loop can keep its address in a local
/// ([`XRegs::base`]: a register, where the field was loaded again after
/// every store, which might have changed it as far as the compiler knew)
/// while everything else indexes the array through this one pointer.
pub(crate) struct XRegs<'a> {
    array: NonNull<[Term; NUM_REGS]>,
    _borrow: PhantomData<&'a mut [Term; NUM_REGS]>,
}

impl<'a> XRegs<'a> {
    /// The registers `x`, borrowed for the run.
    pub fn new(x: &'a mut [Term; NUM_REGS]) -> XRegs<'a> {
        XRegs {
            array: NonNull::from(x),
            _borrow: PhantomData,
        }
    }

    /// The array's address, for [`XBase`].
    #[inline(always)]
    pub fn base(&self) -> XBase {
        XBase(self.array.cast())
    }
}

impl Deref for XRegs<'_> {
    type Target = [Term; NUM_REGS];

    #[inline(always)]
    fn deref(&self) -> &[Term; NUM_REGS] {
        // SAFETY: the array is borrowed mutably for `'a` (`new`), and every
        // access goes through this pointer: a reference made here lives
        // no longer than the borrow of `self`, during which the loop's
        // [`XBase`] is not used (it reads and writes between
        // instructions' uses of `Run`).
        unsafe { self.array.as_ref() }
    }
}

impl DerefMut for XRegs<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Term; NUM_REGS] {
        // SAFETY: as `deref`.
        unsafe { self.array.as_mut() }
    }
}

/// The X registers' address as the instruction loop keeps it
/// ([`XRegs::base`]), read and written by a loaded instruction's index.
#[derive(Clone, Copy)]
pub(crate) struct XBase(NonNull<Term>);

impl XBase {
    /// X register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub fn get(self, i: usize) -> Term {
        debug_assert!(i < NUM_REGS);
        // SAFETY: `i < NUM_REGS` (module docs); the array lives for the
        // run (`XRegs`), and no reference into it is live between uses of
        // `Run` (see `XRegs::deref`).
        unsafe { *self.0.as_ptr().add(i) }
    }

    /// Writes X register `i`, `i` a loaded instruction's operand.
    #[inline(always)]
    pub fn set(self, i: usize, t: Term) {
        debug_assert!(i < NUM_REGS);
        // SAFETY: as `get`.
        unsafe { *self.0.as_ptr().add(i) = t }
    }
}

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
