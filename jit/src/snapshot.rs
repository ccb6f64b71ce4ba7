//! Snapshots: what a trace exit writes back so the interpreter can resume
//! as if it had executed every instruction itself (DESIGN §6).
//!
//! A snapshot is taken *before* the instruction a guard stands for, so its
//! `pc` is that instruction: the interpreter re-executes it and takes
//! whatever path (an overflow into a bignum, a `badarith`, the other
//! branch) the trace did not record. It names the X registers the trace
//! wrote (or, in the body, the loop-carried arguments) with the IR values
//! they hold at that point; any other X register still holds its value
//! from trace entry or is dead there (at a loop anchor only the arguments
//! are live, as at any function entry).

use enigma_vm::code::Target;
use enigma_vm::term::Term;

use crate::ir::{Op, Ref, Trace, Ty};

/// Slot number of float register 0 in [`Snapshot::regs`]: float register
/// `n` is slot `F_SLOT + n`, below it are the X registers.
pub const F_SLOT: u16 = 0x8000;

/// One exit's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The instruction the interpreter resumes at.
    pub pc: Target,
    /// `(slot, value)`, each slot once, in slot order: X registers, then
    /// float registers from [`F_SLOT`].
    pub regs: Vec<(u16, Ref)>,
    /// The stack frame the trace allocated and has not yet dropped, which
    /// the interpreter pushes on exit (its Y registers are already in the
    /// seam's frame buffer).
    pub frame: Option<Frame>,
}

/// A frame an exit materialises (see [`Snapshot::frame`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Frame {
    /// Its size in words (at most [`MAX_FRAME`]).
    pub words: u32,
    /// Y registers the trace stored to; the others are `[]`, as
    /// `allocate` leaves them.
    pub set: u64,
    /// Y registers holding a float's raw bits, which the interpreter
    /// boxes.
    pub floats: u64,
    /// The continuation of the call made with this frame live: a
    /// function trace's recursive call ([`crate::ir::Trace::recursive`]),
    /// or a call of another trace ([`crate::ir::CallSite::frame`]); 0 in
    /// snapshots.
    pub cont: Target,
    /// Words of the frame buffer below this frame: inside a function the
    /// trace called (the rest of a called trace), the caller's frame and
    /// its trailer, which the exit moves the buffer's base past (the
    /// interpreter pushes them, with the call's continuation, before this
    /// frame); 0 otherwise.
    pub below: u32,
}

/// The largest frame a trace allocates (one bit per Y register in
/// [`Frame`]'s masks).
pub const MAX_FRAME: u32 = 64;

/// How an exit materialises one X register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restore {
    /// A constant term word.
    Const(u64),
    /// A value in the trace: a term as is, an integer to retag, or a float
    /// (raw bits for a float register, to box for an X register).
    Value(Ref, Ty),
}

impl Snapshot {
    /// How each register is written back, after the passes ran (constants
    /// become term words).
    pub fn restores(&self, t: &Trace) -> Vec<(u16, Restore)> {
        self.regs
            .iter()
            .map(|&(x, r)| {
                let ins = &t.ins[r as usize];
                let how = match ins.op {
                    Op::KInt(v) => Restore::Const(Term::small(v).raw()),
                    Op::KTerm(w) => Restore::Const(w),
                    Op::KFloat(b) if x >= F_SLOT => Restore::Const(b),
                    _ => Restore::Value(r, ins.ty),
                };
                (x, how)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_retagged_and_values_keep_their_type() {
        let mut t = Trace::default();
        let k = t.push(Op::KInt(-3), Ty::Int);
        let l = t.push(Op::LoadX(1), Ty::Term);
        let s = Snapshot {
            pc: 7,
            regs: vec![(0, k), (1, l)],
            frame: None,
        };
        assert_eq!(
            s.restores(&t),
            vec![
                (0, Restore::Const(Term::small(-3).raw())),
                (1, Restore::Value(l, Ty::Term))
            ]
        );
    }
}
