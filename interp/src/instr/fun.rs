//! Funs: building closures (`make_fun3`) and calling funs (`call_fun`,
//! `call_fun2`, `erlang:apply/2`).

use enigma_vm::atom::Atom;
use enigma_vm::code::{Instr, Reg, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::fun::FunEntry;
use enigma_vm::term::Term;
use smallvec::SmallVec;

use crate::code;
use crate::instr::except::Head;
use crate::run::{Run, Step, Stop, NUM_REGS};

/// The arity of a fun term, `None` for other terms.
pub fn fun_arity(f: Term) -> Option<u32> {
    if let Some(c) = f.as_closure() {
        return Some(c.entry().arity);
    }
    f.as_export().map(|e| e.arity)
}

impl Run<'_> {
    /// `make_fun3`.
    pub(crate) fn make_fun(&mut self, fun: &'static FunEntry, dst: Reg, env: Span) {
        let m = self.m;
        let free: SmallVec<[Term; 8]> = m.operands[env.range()]
            .iter()
            .map(|&s| self.get(s))
            .collect();
        let pid = self.p.pid;
        let c = self.p.heap.closure(fun, pid, &free);
        self.set(dst, c);
    }

    /// `call_fun Arity`: the fun is in x(arity).
    pub(crate) fn call_fun(&mut self, arity: u32) -> Step {
        let f = self.x[arity as usize];
        self.push_cp_for_fun();
        self.enter_fun(f, arity)
            .map_err(|stop| self.bad_call_head(stop))
    }

    /// `call_fun2 Tag Arity Fun`.
    pub(crate) fn call_fun2(&mut self, arity: u32, fun: Src) -> Step {
        let f = self.get(fun);
        self.push_cp_for_fun();
        self.enter_fun(f, arity)
            .map_err(|stop| self.bad_call_head(stop))
    }

    /// `CallFunLast`: a fun call in a tail position drops the caller's
    /// frame first, so a loop through funs runs in constant stack, as on
    /// BEAM. A fun that would fail (not a fun, a wrong arity, code not
    /// loaded) is called as a plain call instead, keeping the frame for
    /// the error's stack trace (the `DeallocateReturn` after this
    /// instruction ends the frame if the call returns).
    pub(crate) fn call_fun_last(&mut self, arity: u32, dealloc: u32, fun: Src) -> Step {
        let f = self.get(fun);
        let enters = match (f.as_closure(), f.as_export()) {
            (Some(c), _) => {
                let entry = c.entry();
                entry.arity == arity
                    && entry.address.load(std::sync::atomic::Ordering::Acquire) != 0
            }
            (None, Some(e)) => e.arity == arity,
            (None, None) => false,
        };
        if !enters {
            return self.call_fun2(arity, fun);
        }
        self.deallocate_clamped(dealloc);
        self.enter_fun(f, arity).map_err(|stop| match stop {
            // A BIF reached this way reports no caller: its frame, then
            // the stack (the caller's frame is gone), as BEAM's.
            Stop::Raise(ex, Head::FrameThenCaller(frame)) => {
                Stop::Raise(ex, Head::FrameThenStack(frame))
            }
            other => other,
        })
    }

    /// A bad fun or arity at a fun call that is not a tail call starts
    /// its stack trace with the calling function twice, as BEAM's: its
    /// instruction, then the continuation pointer it pushed (BEAM drops a
    /// continuation pointer equal to the faulting position, and a fun
    /// call's position is not its continuation). A tail call (`return`
    /// next: BEAM's loader makes it `i_call_fun2_last`, which pushes
    /// none) shows the caller once.
    #[cold]
    fn bad_call_head(&self, stop: Stop) -> Stop {
        let tail = matches!(
            self.m.code.get(self.pc() as usize),
            Some(Instr::Return | Instr::DeallocateReturn { .. })
        );
        match stop {
            Stop::Raise(ex, Head::Stack) if !tail => Stop::Raise(ex, Head::Current),
            other => other,
        }
    }

    fn push_cp_for_fun(&mut self) {
        let cp = code::cp(self.id, self.pc());
        self.push(cp);
    }

    /// Continues in fun `f` with `arity` arguments in x0.. (continuation
    /// pointer already pushed).
    pub(crate) fn enter_fun(&mut self, f: Term, arity: u32) -> Step {
        if let Some(c) = f.as_closure() {
            let entry = c.entry();
            if entry.arity != arity {
                return self.bad_arity(f, arity);
            }
            let free = c.free_vars();
            let n = arity as usize;
            if n + free.len() > NUM_REGS {
                return Err(Exception::system_limit().into());
            }
            self.x[n..n + free.len()].copy_from_slice(free);
            let mut addr = entry.address.load(std::sync::atomic::Ordering::Acquire);
            if addr == 0 {
                if let Ok(code::Loaded::New(_)) = code::ensure_loaded(entry.module) {
                    addr = entry.address.load(std::sync::atomic::Ordering::Acquire);
                }
            }
            if addr == 0 {
                let reason = self.p.heap.tuple(&[Term::atom(Atom::BADFUN), f]);
                return Err(Stop::Raise(Exception::error(reason), Head::Stack));
            }
            // Counted in the total, not taken from the budget.
            self.reds_mark = self.reds_mark.wrapping_add(1);
            let (id, pc) = code::split(addr);
            self.jump_to(id, pc)?;
            return self.check_budget(arity + free.len() as u32);
        }
        if let Some(e) = f.as_export() {
            if e.arity != arity {
                return self.bad_arity(f, arity);
            }
            return self.enter_export(e, arity);
        }
        let reason = self.p.heap.tuple(&[Term::atom(Atom::BADFUN), f]);
        Err(Stop::Raise(Exception::error(reason), Head::Stack))
    }

    fn bad_arity(&mut self, f: Term, arity: u32) -> Step {
        let args = self.p.heap.list(&self.x[..arity as usize]);
        let inner = self.p.heap.tuple(&[f, args]);
        let reason = self.p.heap.tuple(&[Term::atom(Atom::BADARITY), inner]);
        Err(Stop::Raise(Exception::error(reason), Head::Stack))
    }
}
