//! The instructions of a traced copy ([`super::copy`]): a traced entry
//! raises the `call` event (as its match specification decides) and may
//! push a trace frame, whose return raises `return_from` and whose catch
//! raises `exception_from`.
//!
//! A trace frame, above the caller's continuation pointer: the traced
//! function's index with its [`Frame`] bits (a small integer), a catch
//! marker whose handler is [`Instr::TraceCatch`], and a continuation
//! pointer to [`Instr::TraceReturn`] (where the function's `return`
//! goes). Stack traces skip it, as BEAM's skip its return-trace frames.
//!
//! [`Instr::TraceCatch`]: enigma_vm::code::Instr::TraceCatch
//! [`Instr::TraceReturn`]: enigma_vm::code::Instr::TraceReturn

use enigma_vm::code::{Instr, Reg, Src, Target};
use enigma_vm::term::Term;

use super::{at_call, copy, leave_timed, outcome};
use crate::run::{Run, Step};
use crate::trace;

/// What a trace frame does when its function returns or raises.
#[derive(Clone, Copy)]
struct Frame {
    /// `return_from` at a return (`return_trace` or `exception_trace`).
    returns: bool,
    /// `exception_from` at an exception (`exception_trace`).
    exceptions: bool,
    /// Charges the function's `call_time`.
    timed: bool,
}

impl Frame {
    fn encode(self, function: u32) -> Term {
        let bits = self.returns as i64 | (self.exceptions as i64) << 1 | (self.timed as i64) << 2;
        Term::small((function as i64) << 3 | bits)
    }

    fn decode(data: i64) -> (u32, Frame) {
        let f = Frame {
            returns: data & 1 != 0,
            exceptions: data & 2 != 0,
            timed: data & 4 != 0,
        };
        ((data >> 3) as u32, f)
    }
}

impl Run<'_> {
    /// `{M, F, Args}` or, with the tracer's `arity` flag, `{M, F, A}` of
    /// function `function` of the running code.
    fn mfa_term(&mut self, function: u32, with_args: bool) -> Option<Term> {
        let f = *self.m.functions.get(function as usize)?;
        let third = if with_args {
            self.p.heap.list(&self.x[..f.arity as usize])
        } else {
            Term::small(f.arity as i64)
        };
        let m = Term::atom(self.m.name);
        Some(self.p.heap.tuple(&[m, Term::atom(f.name), third]))
    }

    /// [`Instr::TraceCall`]: the call of function `function`, whose code
    /// starts at `entry`.
    pub(crate) fn trace_call(&mut self, function: u32, entry: Target) -> Step {
        let Some(f) = self.m.functions.get(function as usize).copied() else {
            self.goto(entry);
            return Ok(());
        };
        let flags = trace::call_flags(self.p.pid);
        let at = at_call((self.m.name, f.name, f.arity), self.p.pid, flags.is_some());
        let mut frame = Frame {
            returns: false,
            exceptions: false,
            timed: at.timed,
        };
        if let (Some(tr), Some(flags)) = (at.trace, flags) {
            if let Some(o) = outcome(self.p, &tr.ms, &self.x[..f.arity as usize]) {
                if o.message != Term::FALSE {
                    let with_args = flags & trace::ARITY == 0;
                    if let Some(mfa) = self.mfa_term(function, with_args) {
                        let mut items = vec![mfa];
                        if o.message != Term::TRUE {
                            items.push(o.message);
                        }
                        let pid = self.p.pid;
                        crate::sched::with(|s| s.trace_event(pid, trace::CALL, "call", &items));
                    }
                }
                frame.returns = o.return_trace || o.exception_trace;
                frame.exceptions = o.exception_trace;
            }
        }
        if frame.returns || frame.timed {
            self.push(frame.encode(function));
            self.push(crate::code::catch_marker(self.id, copy::catch_pc(self.m)));
            self.push(crate::code::cp(self.id, copy::return_pc(self.m)));
        }
        self.goto(entry);
        Ok(())
    }

    /// Pops a trace frame's catch marker and data: the function and
    /// what the frame does; charges the function's time if timed.
    fn pop_trace_frame(&mut self) -> (u32, Frame) {
        self.pop();
        let data = self.pop().and_then(Term::as_small).unwrap_or(0);
        let (function, frame) = Frame::decode(data);
        if frame.timed {
            leave_timed(self.p.pid);
        }
        (function, frame)
    }

    /// [`Instr::TraceReturn`]: a traced function returned x0.
    pub(crate) fn trace_return(&mut self) -> Step {
        let (function, frame) = self.pop_trace_frame();
        if frame.returns && trace::call_flags(self.p.pid).is_some() {
            if let Some(mfa) = self.mfa_term(function, false) {
                let (pid, value) = (self.p.pid, self.x[0]);
                crate::sched::with(|s| {
                    s.trace_event(pid, trace::CALL, "return_from", &[mfa, value])
                });
            }
        }
        self.ret()
    }

    /// [`Instr::TraceCatch`]: an exception (class in x1, reason in x2,
    /// raw trace in x3) leaves a traced function; it goes on as raised.
    pub(crate) fn trace_catch(&mut self) -> Step {
        let (function, frame) = self.pop_trace_frame();
        if frame.exceptions && trace::call_flags(self.p.pid).is_some() {
            if let Some(mfa) = self.mfa_term(function, false) {
                let pid = self.p.pid;
                let what = self.p.heap.tuple(&[self.x[1], self.x[2]]);
                crate::sched::with(|s| {
                    s.trace_event(pid, trace::CALL, "exception_from", &[mfa, what])
                });
            }
        }
        self.raise_instr(Src::reg(Reg::x(3)), Src::reg(Reg::x(2)))
    }
}

/// Whether continuation pointer `(id, pc)` is a trace frame's (which
/// stack traces skip).
pub(crate) fn is_trace_return(id: u32, pc: Target) -> bool {
    super::ever()
        && crate::code::module(id)
            .and_then(|m| m.code.get(pc as usize))
            .is_some_and(|i| matches!(i, Instr::TraceReturn))
}
