//! `bif0..2`, `gc_bif1..3` and the slow path of `Op2` (see `arith`): each
//! calls the BIF found through the export
//! entry (`Export::bif`), the same function a remote call reaches.

use enigma_vm::atom::Atom;
use enigma_vm::code::arith::NO_LIVE;
use enigma_vm::code::{ArithOp, Fail, Instr, Reg, Span, Src, SrcKind};
use enigma_vm::exception::Exception;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::instr::arith::fast2;
use crate::instr::except::Head;
use crate::run::{Run, Step, Stop};

impl Run<'_> {
    /// `bif0`.
    pub(crate) fn bif0(&mut self, e: &'static Export, dst: Reg) -> Step {
        self.call_bif(Fail::NONE, e, &[], dst)
    }

    /// `bif1` / `gc_bif1`.
    #[inline(always)]
    pub(crate) fn bif1(&mut self, fail: Fail, e: &'static Export, a: Src, dst: Reg) -> Step {
        let a = self.get(a);
        self.call_bif(fail, e, &[a], dst)
    }

    /// `bif2`.
    #[inline(always)]
    pub(crate) fn bif2(
        &mut self,
        fail: Fail,
        e: &'static Export,
        a: Src,
        b: Src,
        dst: Reg,
    ) -> Step {
        let (a, b) = (self.get(a), self.get(b));
        self.call_bif(fail, e, &[a, b], dst)
    }

    /// `gc_bif2` / `gc_bif3`: a safe point (x0..`live`) when the BIF is
    /// called, not on the inline fast path, which needs no collection.
    #[inline(always)]
    pub(crate) fn gc_bif_n(
        &mut self,
        fail: Fail,
        live: u16,
        e: &'static Export,
        args: Span,
        dst: Reg,
    ) -> Step {
        let m = self.m;
        let srcs = &m.operands[args.range()];
        let mut vals = [Term::NIL; 3];
        for (v, &s) in vals.iter_mut().zip(srcs) {
            *v = self.get(s);
        }
        let n = srcs.len().min(3);
        if self.p.needs_gc() {
            self.collect(u32::from(live), srcs, &[]);
            for (v, &s) in vals.iter_mut().zip(srcs) {
                *v = self.get(s);
            }
        }
        self.call_bif(fail, e, &vals[..n], dst)
    }

    /// `Op2` when [`small2`] declined: bignums, floats, comparisons of any
    /// terms, errors. A safe point first (x0..`live` and the operands),
    /// unless the instruction came from a `bif2` (`Op2::NO_LIVE`).
    #[inline(never)]
    pub(crate) fn op2_slow(
        &mut self,
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: Src,
        b: Src,
        dst: Reg,
    ) -> Step {
        if live != NO_LIVE && self.p.needs_gc() {
            self.collect(u32::from(live), &[a, b], &[]);
        }
        let (ta, tb) = (self.get(a), self.get(b));
        // An increment adds `-Int`: a float minus 0 is the float plus 0
        // (-0.0 - 0 is 0.0 in BEAM).
        let op = match op {
            ArithOp::Sub if tb == Term::small(0) && is_increment(op, live, a, b) => ArithOp::Add,
            op => op,
        };
        if let Some(v) = fast2(&mut self.p.heap, op, ta, tb) {
            self.set(dst, v);
            return Ok(());
        }
        match self.call_bif(fail, op.export(), &[ta, tb], dst) {
            Err(Stop::Raise(e, Head::FrameThenCurrent(_))) if is_increment(op, live, a, b) => {
                Err(Stop::Raise(e, Head::Current))
            }
            r => r,
        }
    }

    /// [`Instr::Op2XI`]'s slow path: x(`a`) `op` `imm`.
    pub(crate) fn op2_xi_slow(
        &mut self,
        op: ArithOp,
        fail: Fail,
        live: u16,
        a: u16,
        imm: i64,
        dst: Reg,
    ) -> Step {
        let (a, b) = (Src::reg(Reg::x(a)), Src::constant(Term::small(imm)));
        self.op2_slow(op, fail, live, a, b, dst)
    }

    /// The slow path of a specialised operator (`AddXI`, `AddYI`,
    /// `AddRR`, `BandXI`), as its general form.
    #[inline(never)]
    pub(crate) fn op2_general_slow(&mut self, instr: &Instr) -> Step {
        match instr.general() {
            Some(Instr::Op2XI {
                op,
                fail,
                live,
                a,
                imm,
                dst,
            }) => self.op2_xi_slow(op, fail, live, a, imm, dst),
            Some(Instr::Op2 {
                op,
                fail,
                live,
                a,
                b,
                dst,
            }) => self.op2_slow(op, fail, live, a, b, dst),
            _ => Err(Exception::badarg().into()),
        }
    }

    /// Calls the BIF of `e`; on failure jumps to `fail` or raises with the
    /// BIF's frame on top of the stack trace.
    fn call_bif(&mut self, fail: Fail, e: &'static Export, args: &[Term], dst: Reg) -> Step {
        let Some(f) = e.bif() else {
            // Not implemented yet: `undef` with the BIF's frame, never a
            // silent guard failure.
            let undef = Exception::error(Term::atom(Atom::UNDEF));
            let frame = self.bif_frame(e, args, &undef);
            return Err(Stop::Raise(undef, Head::FrameThenCurrent(frame)));
        };
        let r = f(self.p, args);
        self.take_bif_reductions();
        match r {
            Ok(v) => {
                self.set(dst, v);
                Ok(())
            }
            Err(ex) => match fail.target() {
                Some(t) => {
                    self.goto(t);
                    Ok(())
                }
                None => {
                    let frame = self.bif_frame(e, args, &ex);
                    Err(Stop::Raise(ex, Head::FrameThenCurrent(frame)))
                }
            },
        }
    }

    /// Takes the reductions the BIF just called charged for its work
    /// ([`enigma_vm::process::Process::charge`]) off the slice's budget:
    /// the next call switches the process out if it is spent.
    #[inline]
    pub(crate) fn take_bif_reductions(&mut self) {
        let n = std::mem::take(&mut self.p.bif_reductions);
        self.cur.budget = self.cur.budget.saturating_sub(n as i64);
    }
}

/// Whether BEAM's loader makes this operator an increment: a `gc_bif2` of
/// `Reg + Int`, or of `Reg - Int` with `Int` not negative (its
/// `negation_is_small` test), `Int` a small integer. An increment that
/// fails raises without the operator's BIF frame: the stack trace starts
/// at the current function.
fn is_increment(op: ArithOp, live: u16, a: Src, b: Src) -> bool {
    let k = match b.kind() {
        SrcKind::Const(t) => t.as_small(),
        _ => None,
    };
    live != NO_LIVE
        && a.is_reg()
        && k.is_some_and(|k| op == ArithOp::Add || (op == ArithOp::Sub && k >= 0))
}
