//! `bif0..2` and `gc_bif1..3`: operators with a fast path are done inline
//! (see `arith`), everything else calls the BIF found through the export
//! entry (`Export::bif`), the same function a remote call reaches.

use enigma_vm::atom::Atom;
use enigma_vm::code::{Fail, Reg, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::instr::arith::{fast2, fast_op};
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
        if let Some(op) = fast_op(e) {
            if let Some(v) = fast2(&mut self.p.heap, op, a, b) {
                self.set(dst, v);
                return Ok(());
            }
        }
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
        if n == 2 {
            if let Some(op) = fast_op(e) {
                if let Some(v) = fast2(&mut self.p.heap, op, vals[0], vals[1]) {
                    self.set(dst, v);
                    return Ok(());
                }
            }
        }
        if self.p.needs_gc() {
            self.collect(u32::from(live), srcs, &[]);
            for (v, &s) in vals.iter_mut().zip(srcs) {
                *v = self.get(s);
            }
        }
        self.call_bif(fail, e, &vals[..n], dst)
    }

    /// Calls the BIF of `e`; on failure jumps to `fail` or raises with the
    /// BIF's frame on top of the stack trace.
    fn call_bif(&mut self, fail: Fail, e: &'static Export, args: &[Term], dst: Reg) -> Step {
        let Some(f) = e.bif() else {
            // Not implemented yet: `undef` with the BIF's frame, never a
            // silent guard failure.
            let frame = self.bif_frame(e, args);
            let undef = Exception::error(Term::atom(Atom::UNDEF));
            return Err(Stop::Raise(undef, Head::FrameThenCurrent(frame)));
        };
        match f(self.p, args) {
            Ok(v) => {
                self.set(dst, v);
                Ok(())
            }
            Err(ex) => match fail.target() {
                Some(t) => {
                    self.pc = t;
                    Ok(())
                }
                None => {
                    let frame = self.bif_frame(e, args);
                    Err(Stop::Raise(ex, Head::FrameThenCurrent(frame)))
                }
            },
        }
    }
}
