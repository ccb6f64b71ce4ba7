//! Calls of BIFs through their export entries (`call_ext` of a BIF that
//! the compiler did not make an instruction, `apply`, `fun M:F/A`), as
//! BEAM traces them: counted (`call_count`), and with a trace pattern
//! (global or local) the `call` event before and `return_from` or
//! `exception_from` after, as the match specification asks. BIFs run as
//! instructions (`bif`, `gc_bif`: guards and operators, `length/1` in a
//! body) are not traced, on BEAM either. Only read once a pattern names
//! a BIF ([`bifs_traced`]): one relaxed load per BIF called through its
//! export until then.

use std::sync::atomic::{AtomicBool, Ordering};

use enigma_vm::exception::Exception;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use super::{outcome, table, Mfa, Table};
use crate::run::Run;
use crate::trace;

static BIFS: AtomicBool = AtomicBool::new(false);

/// Whether a BIF has a pattern.
#[inline]
pub fn bifs_traced() -> bool {
    BIFS.load(Ordering::Relaxed)
}

/// Notes whether any function with a pattern is a BIF (after a change).
pub(super) fn update(t: &Table) {
    let any = t.fns.keys().any(|&(m, f, a)| is_bif((m, f, a)));
    BIFS.store(any, Ordering::Relaxed);
}

fn is_bif((m, f, a): Mfa) -> bool {
    Export::lookup(m, f, a).is_some_and(|e| e.bif().is_some())
}

/// What is to be sent when a traced BIF call ends.
#[derive(Clone, Copy, Default)]
pub(crate) struct BifCall {
    returns: bool,
    exceptions: bool,
}

impl BifCall {
    /// Whether its end raises an event.
    #[inline]
    pub(crate) fn ends(self) -> bool {
        self.returns
    }
}

impl Run<'_> {
    /// BIF `e` is called through its export with its arguments in x0..:
    /// counts it and sends its `call` event as its pattern asks.
    #[cold]
    #[inline(never)]
    pub(crate) fn trace_bif_call(&mut self, e: &'static Export, arity: u32) -> BifCall {
        let mfa = (e.module, e.function, e.arity);
        let trace = {
            let t = table();
            let Some(st) = t.fns.get(&mfa) else {
                return BifCall::default();
            };
            if let Some(c) = st.count.as_ref().filter(|c| c.running) {
                c.n.fetch_add(1, Ordering::Relaxed);
            }
            st.trace.clone()
        };
        let (Some(tr), Some(flags)) = (trace, trace::call_flags(self.p.pid)) else {
            return BifCall::default();
        };
        let n = arity as usize;
        // A BIF's caller is the function calling it.
        let caller = match tr.ms {
            Some(_) => self.here_mfa(),
            None => Term::atom(enigma_vm::atom::Atom::UNDEFINED),
        };
        let Some(o) = outcome(self.p, &tr.ms, &self.x[..n], caller) else {
            return BifCall::default();
        };
        if o.message != Term::FALSE {
            let third = if flags & trace::ARITY == 0 {
                self.p.heap.list(&self.x[..n])
            } else {
                Term::small(arity as i64)
            };
            let mfa = self.bif_mfa(e, third);
            let mut items = vec![mfa];
            if o.message != Term::TRUE {
                items.push(o.message);
            }
            let pid = self.p.pid;
            crate::sched::with(|s| s.trace_event(pid, trace::CALL, "call", &items));
        }
        BifCall {
            returns: o.return_trace || o.exception_trace,
            exceptions: o.exception_trace,
        }
    }

    fn bif_mfa(&mut self, e: &Export, third: Term) -> Term {
        let (m, f) = (Term::atom(e.module), Term::atom(e.function));
        self.p.heap.tuple(&[m, f, third])
    }

    #[cold]
    #[inline(never)]
    /// A traced BIF call ended with `r`: its `return_from` or
    /// `exception_from` event, as its call asked.
    pub(crate) fn trace_bif_end(
        &mut self,
        e: &'static Export,
        call: BifCall,
        r: &Result<Term, Exception>,
    ) {
        let pid = self.p.pid;
        match r {
            Ok(v) if call.returns => {
                let mfa = self.bif_mfa(e, Term::small(e.arity as i64));
                crate::sched::with(|s| s.trace_event(pid, trace::CALL, "return_from", &[mfa, *v]));
            }
            Err(ex) if call.exceptions => {
                let mfa = self.bif_mfa(e, Term::small(e.arity as i64));
                let what = self.p.heap.tuple(&[Term::atom(ex.class.atom()), ex.reason]);
                crate::sched::with(|s| {
                    s.trace_event(pid, trace::CALL, "exception_from", &[mfa, what])
                });
            }
            _ => {}
        }
    }
}
