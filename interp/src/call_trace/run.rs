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
    /// `return_to` at a return: the process is traced with `return_to`
    /// and the function `local`, as BEAM's `beam_return_to_trace` frame.
    return_to: bool,
}

impl Frame {
    fn encode(self, function: u32) -> Term {
        let bits = self.returns as i64
            | (self.exceptions as i64) << 1
            | (self.timed as i64) << 2
            | (self.return_to as i64) << 3;
        Term::small((function as i64) << 4 | bits)
    }

    fn decode(data: i64) -> (u32, Frame) {
        let f = Frame {
            returns: data & 1 != 0,
            exceptions: data & 2 != 0,
            timed: data & 4 != 0,
            return_to: data & 8 != 0,
        };
        ((data >> 4) as u32, f)
    }
}

/// `{M, F, A}` of the function holding continuation pointer `cp`, or
/// `undefined` (the end of a process, or no continuation pointer).
fn cp_mfa(heap: &mut enigma_vm::term::Heap, cp: Option<Term>) -> Term {
    let found = cp.and_then(crate::code::as_cp).and_then(|(id, pc)| {
        let m = crate::code::module(id)?;
        let f = m.function_at(pc)?;
        Some((m.name, f.name, f.arity))
    });
    match found {
        Some((m, f, a)) => heap.tuple(&[Term::atom(m), Term::atom(f), Term::small(a as i64)]),
        None => Term::atom(enigma_vm::atom::Atom::UNDEFINED),
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

    /// The continuation pointer a return from here would reach, through
    /// the trace frames on top of the stack, and whether the first of
    /// those frames sends `return_to`.
    fn real_cp(&mut self) -> (Option<Term>, bool) {
        self.sync_stack();
        let stack = &self.p.stack;
        let mut top = stack.len();
        let mut return_to = None;
        while top > 3 && is_trace_frame(stack[top - 1]) {
            let data = stack[top - 3].as_small().unwrap_or(0);
            return_to.get_or_insert(Frame::decode(data).1.return_to);
            top -= 3;
        }
        let cp = top.checked_sub(1).map(|i| stack[i]);
        (cp, return_to.unwrap_or(false))
    }

    /// `{caller}` of a traced call: the function its continuation
    /// pointer returns into, past trace frames, as BEAM's.
    fn caller_mfa(&mut self) -> Term {
        let (cp, _) = self.real_cp();
        cp_mfa(&mut self.p.heap, cp)
    }

    /// `{M, F, A}` of the function running now.
    pub(crate) fn here_mfa(&mut self) -> Term {
        let here = crate::code::cp(self.id, self.pc());
        cp_mfa(&mut self.p.heap, Some(here))
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
            return_to: false,
        };
        if let (Some(tr), Some(flags)) = (at.trace, flags) {
            if tr.local && flags & trace::RETURN_TO != 0 {
                // One return_to frame per real return: a tail call keeps
                // the one its caller's call pushed.
                frame.return_to = !self.real_cp().1;
            }
            let caller = if tr.ms.is_some() {
                self.caller_mfa()
            } else {
                Term::atom(enigma_vm::atom::Atom::UNDEFINED)
            };
            if let Some(o) = outcome(self.p, &tr.ms, &self.x[..f.arity as usize], caller) {
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
        if frame.returns || frame.timed || frame.return_to {
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
        if frame.return_to && trace::call_flags(self.p.pid).is_some() {
            let (cp, _) = self.real_cp();
            let to = cp_mfa(&mut self.p.heap, cp);
            let pid = self.p.pid;
            crate::sched::with(|s| s.trace_event(pid, trace::RETURN_TO, "return_to", &[to]));
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

/// Whether stack word `t` is a continuation pointer to a trace frame's
/// return.
fn is_trace_frame(t: Term) -> bool {
    crate::code::as_cp(t).is_some_and(|(id, pc)| is_trace_return(id, pc))
}

/// Whether continuation pointer `(id, pc)` is a trace frame's (which
/// stack traces skip).
pub(crate) fn is_trace_return(id: u32, pc: Target) -> bool {
    super::ever()
        && crate::code::module(id)
            .and_then(|m| m.code.get(pc as usize))
            .is_some_and(|i| matches!(i, Instr::TraceReturn))
}
