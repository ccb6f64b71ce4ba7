//! The instruction cursor: a pointer to the next instruction of the running
//! module version, so that fetching an instruction is one load and one add
//! (no index to scale, no bounds check, no reload of the code slice).
//!
//! Soundness rests on what the loader guarantees about
//! [`enigma_vm::code::Module::code`]: its last instruction is
//! [`Instr::CodeEnd`], which raises instead of falling through, and every
//! position the loader stores (labels, fail targets, select tables,
//! function entries, exports, lambdas) is below its length. The cursor
//! points at an instruction of `code` at all times but one: right after
//! fetching `CodeEnd`, whose raise sets a new position (a handler) or ends
//! the run before anything is fetched again. Positions are set from the
//! loader's targets ([`Cursor::goto`], unchecked), from continuation
//! pointers the interpreter pushed one past a call (a call is never the
//! last instruction), or, for positions that come from elsewhere (another
//! module version, a yield, a trace exit), through [`Cursor::at`], which
//! checks them.
//!
//! The cursor also carries the slice's reduction budget: the instruction
//! loop keeps its cursor in a local (registers), so a call's decrement and
//! test of the budget touch no memory, and every place that writes the
//! loop's position back to `Run::cur` for code outside the loop (`synced!`
//! in `crate::run`, the calls' and returns' cold paths, every exit) writes
//! the budget with it.

use enigma_vm::code::{Countdown, Fail, Instr, Target};

/// A code position: the instructions of one module version and the next
/// one to execute, with the reductions left in the running slice.
#[derive(Clone, Copy)]
pub(crate) struct Cursor {
    code: &'static [Instr],
    ip: *const Instr,
    /// Reductions left in this slice (a call spends one; at 0 or below
    /// the next call yields).
    pub budget: i64,
}

impl Cursor {
    /// Instruction `pc` of `code`, if `code` is a loaded module's (it ends
    /// with [`Instr::CodeEnd`]) and `pc` is in it, with `budget`
    /// reductions left.
    pub fn at(code: &'static [Instr], pc: Target, budget: i64) -> Option<Cursor> {
        if !matches!(code.last(), Some(Instr::CodeEnd)) || pc as usize >= code.len() {
            return None;
        }
        Some(Cursor {
            code,
            ip: code.as_ptr().wrapping_add(pc as usize),
            budget,
        })
    }

    /// Spends one reduction.
    #[inline(always)]
    pub fn reduce(&mut self) {
        self.budget -= 1;
    }

    /// The instructions.
    #[inline(always)]
    pub fn code(&self) -> &'static [Instr] {
        self.code
    }

    /// The next instruction.
    #[inline(always)]
    pub fn peek(&self) -> &'static Instr {
        // SAFETY: `ip` points at an instruction of `code` (the module
        // docs: every position set is below the length, and the only
        // instruction that is last, `CodeEnd`, never lets a fetch follow
        // it); `code` is `'static`.
        unsafe { &*self.ip }
    }

    /// Fetches the next instruction and moves past it.
    #[inline(always)]
    pub fn fetch(&mut self) -> &'static Instr {
        let i = self.peek();
        self.ip = self.ip.wrapping_add(1);
        i
    }

    /// The index of the next instruction.
    #[inline(always)]
    pub fn pc(&self) -> Target {
        let bytes = self.ip as usize - self.code.as_ptr() as usize;
        (bytes / std::mem::size_of::<Instr>()) as Target
    }

    /// Continues at `t`, a position the loader resolved in this code (or a
    /// continuation pointer the interpreter pushed in it): below the
    /// length, by `Module::code`'s guarantee.
    #[inline(always)]
    pub fn goto(&mut self, t: Target) {
        debug_assert!((t as usize) < self.code.len());
        self.ip = self.code.as_ptr().wrapping_add(t as usize);
    }

    /// Instruction `t` of this code, a position the loader resolved (as
    /// [`Cursor::goto`]'s), without moving there.
    #[inline(always)]
    pub fn peek_at(&self, t: Target) -> &'static Instr {
        let mut at = *self;
        at.goto(t);
        at.peek()
    }

    /// Skips the next `n` instructions: the plain copies after a fused
    /// instruction (`enigma_vm::code::fuse`), which are followed by at
    /// least one more instruction (a copy that falls through is never
    /// last: `CodeEnd` is).
    #[inline(always)]
    pub fn skip(&mut self, n: usize) {
        self.ip = self.ip.wrapping_add(n);
    }

    /// The `n`th of the plain copies after `fused` (`n` at most their
    /// count, [`Instr::copies`]).
    #[inline(always)]
    pub fn copy(fused: &'static Instr, n: u8) -> &'static Instr {
        // SAFETY: a fused instruction's copies follow it inside its
        // module's code (the loader's guarantee, checked on every OTP
        // module by tests/tests/loaded.rs), and callers pass `n` up to
        // their count; the code is `'static`.
        unsafe { &*(fused as *const Instr).add(usize::from(n)) }
    }

    /// The `Call` that is the `n`th of the plain copies after `fused`, a
    /// fused call form (`ListAllocXYXCall`, `Moves*Call`, `AddXI*Call`,
    /// `AddYI*Call`, `n` its last copy): its target, arity, countdown and
    /// continuation pointer, with no test of the copy's variant (a test
    /// and a branch per call, which the fast paths paid to fall back on
    /// code no loader makes).
    #[inline(always)]
    pub fn call_copy(fused: &'static Instr, n: u8) -> (Target, u32, &'static Countdown, u64) {
        match Cursor::copy(fused, n) {
            Instr::Call {
                arity,
                target,
                count,
                cont,
            } => (*target, *arity, count, *cont),
            // SAFETY: a fused call form is made only by `Instr::fuse` (and
            // `Instr::fuse_move_run`, `Instr::fuse_pre_run`) from copies
            // that end in this `Call`, and the copies follow it unchanged
            // (the guarantee `Cursor::copy` relies on, checked on every
            // OTP module by tests/tests/loaded.rs).
            _ => unsafe { std::hint::unreachable_unchecked() },
        }
    }

    /// The words of the `Trim` that is the `n`th of the plain copies after
    /// `fused`, a fused form ending in a `Trim` and a `Call`
    /// (`*TrimCall`, `n` the copy before the last), with no test of its
    /// variant (as [`Cursor::call_copy`]).
    #[inline(always)]
    pub fn trim_copy(fused: &'static Instr, n: u8) -> u32 {
        match Cursor::copy(fused, n) {
            Instr::Trim { words, .. } => *words,
            // SAFETY: as `call_copy`'s: the fused form's copies end in
            // this `Trim` and a `Call`.
            _ => unsafe { std::hint::unreachable_unchecked() },
        }
    }

    /// Jumps to `fail` unless `ok` (a test instruction). The loader gives
    /// every test a target (`Instr::test_fail_mut`: a labelless one fails
    /// into `CodeEnd`), so there is no "no label" case to check first.
    #[inline(always)]
    pub fn test(&mut self, fail: Fail, ok: bool) {
        if !ok {
            self.goto(fail.raw());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_needs_the_end_marker_and_a_position_inside() {
        let code: &'static [Instr] = Box::leak(Box::new([Instr::Return, Instr::CodeEnd]));
        assert!(Cursor::at(code, 2, 0).is_none());
        assert!(Cursor::at(&code[..1], 0, 0).is_none());
        let mut c = Cursor::at(code, 0, 0).expect("inside");
        assert!(matches!(c.fetch(), Instr::Return));
        assert_eq!(c.pc(), 1);
        assert!(matches!(c.fetch(), Instr::CodeEnd));
        c.goto(0);
        assert_eq!(c.pc(), 0);
    }
}
