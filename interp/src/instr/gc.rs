//! Safe points: the instructions where the collector may run, and
//! `erlang:garbage_collect/0,1,2`.
//!
//! A safe point is an instruction that states how many X registers are
//! live (docs/RUNTIME.md): `test_heap`, `allocate_heap*`, `gc_bif1`,
//! `gc_bif2/3` when they call the BIF (not on the inline arithmetic fast
//! path), `put_map_*`, `bs_create_bin`, every call once it reaches its
//! target (live = its arity, plus a closure's free variables), and `wait`
//! (none live). `allocate` without a heap need is not one: the stack is
//! not on the heap, and the call that follows is a safe point anyway. On the fast path a safe point costs one comparison
//! ([`enigma_vm::process::Process::needs_gc`]); everything else is here,
//! out of line.
//!
//! The operands of `gc_bif*`, `put_map_*` and `bs_create_bin` may be X
//! registers at or above the live count (the compiler counts what is live
//! *after* the instruction): those are passed to the collector as extra
//! roots and written back, and the collection runs before the
//! instruction, so its own allocations wait for the next safe point.

use enigma_vm::atom::Atom;
use enigma_vm::code::instr::{BsCreateBin, PutMap};
use enigma_vm::code::{Src, SrcKind};
use enigma_vm::gc::MaxHeapReached;
use enigma_vm::process::Message;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};
use smallvec::SmallVec;

use crate::defaults::Setting;
use crate::run::Start;
use crate::sched::{Newborn, SpawnOpts};

use crate::info_request::{self, Asked};
use crate::proc_info::Answer;
use crate::run::Run;
use crate::sched;

impl Run<'_> {
    /// A safe point with x0..`live` live.
    #[inline(always)]
    pub(crate) fn safe_point(&mut self, live: u32) {
        if self.p.needs_gc() {
            self.collect(live, &[], &[]);
        }
    }

    /// [`Run::safe_point`] in the instruction loop's fast path, whose
    /// budget is `budget` (its local cursor's): a collection may end the
    /// slice ([`Run::max_heap_reached`]).
    #[inline(always)]
    pub(crate) fn safe_point_in(&mut self, budget: &mut i64, live: u32) {
        if self.p.needs_gc() {
            *budget = self.collect_with(*budget, live);
        }
    }

    /// A collection with x0..`live` live, the slice's budget `budget` in
    /// `Run` while it runs: the budget after it.
    #[cold]
    #[inline(never)]
    fn collect_with(&mut self, budget: i64, live: u32) -> i64 {
        self.cur.budget = budget;
        self.collect(live, &[], &[]);
        self.cur.budget
    }

    /// A safe point with x0..`live` live and then a cons of the two terms
    /// `parts` reads (`test_heap | put_list` and its fused forms). When
    /// no collection is due and the current chunk has room, the cons is
    /// made with one test for both ([`Heap::try_cons`]); otherwise the
    /// safe point runs first and `parts` is read again after it, since a
    /// collection moves what the registers point to.
    /// `budget` is the instruction loop's (as [`Run::safe_point_in`]).
    #[inline(always)]
    pub(crate) fn test_heap_cons(
        &mut self,
        budget: &mut i64,
        live: u32,
        parts: impl Fn(&Self) -> (Term, Term),
    ) -> Term {
        let (h, t) = parts(self);
        match self.p.heap.try_cons(h, t) {
            Some(c) => c,
            None => self.test_heap_then(budget, live, |r| {
                let (h, t) = parts(r);
                r.p.heap.cons(h, t)
            }),
        }
    }

    /// [`Run::test_heap_cons`] for a pair (`test_heap | put_tuple2`).
    #[inline(always)]
    pub(crate) fn test_heap_pair(
        &mut self,
        budget: &mut i64,
        live: u32,
        parts: impl Fn(&Self) -> [Term; 2],
    ) -> Term {
        match self.p.heap.try_tuple(&parts(self)) {
            Some(t) => t,
            None => self.test_heap_then(budget, live, |r| {
                let e = parts(r);
                r.p.heap.tuple(&e)
            }),
        }
    }

    /// [`Run::test_heap_cons`] for a float (`test_heap | fmove`).
    #[inline(always)]
    pub(crate) fn test_heap_float(&mut self, budget: &mut i64, live: u32, f: f64) -> Term {
        match self.p.heap.try_float(f) {
            Some(t) => t,
            None => self.test_heap_then(budget, live, |r| r.p.heap.float(f)),
        }
    }

    /// The safe point and then `build`: where a construction after a
    /// `test_heap` found no room within the collection limit.
    #[inline(always)]
    fn test_heap_then(
        &mut self,
        budget: &mut i64,
        live: u32,
        build: impl FnOnce(&mut Self) -> Term,
    ) -> Term {
        let (t, b) = self.test_heap_with(*budget, live, build);
        *budget = b;
        t
    }

    /// [`Run::test_heap_then`] out of line, the budget in `Run` while the
    /// safe point runs: the term built and the budget after it.
    #[cold]
    #[inline(never)]
    fn test_heap_with(
        &mut self,
        budget: i64,
        live: u32,
        build: impl FnOnce(&mut Self) -> Term,
    ) -> (Term, i64) {
        self.cur.budget = budget;
        self.safe_point(live);
        (build(self), self.cur.budget)
    }

    /// The safe point after a BIF that returned its result in x0, the
    /// heap's words in use having been `before` when it was called: a
    /// collection as BEAM's after a result that overflowed the heap
    /// ([`Process::bif_overflowed`]), else an ordinary safe point.
    pub(crate) fn after_bif(&mut self, before: usize) {
        let words = self.p.heap.words_used().saturating_sub(before);
        if words > 0 {
            self.sync_stack();
            if self.p.bif_overflowed(words) {
                self.p.collect_after_bif(&mut self.x[..1], words);
                if let Some(r) = self.p.take_max_heap_reached() {
                    self.max_heap_reached(r);
                }
                crate::system_monitor::send_pending();
                return;
            }
        }
        self.safe_point(1);
    }

    /// A safe point before a `gc_bif1` reading `a`.
    #[inline(always)]
    pub(crate) fn safe_point_bif1(&mut self, live: u16, a: Src) {
        if self.p.needs_gc() {
            self.collect(u32::from(live), &[a], &[]);
        }
    }

    /// A safe point before `put_map_assoc` / `put_map_exact`.
    #[inline(always)]
    pub(crate) fn safe_point_put_map(&mut self, op: &PutMap) {
        if self.p.needs_gc() {
            let m = self.m;
            self.collect(op.live, &[op.src], &m.operands[op.pairs.range()]);
        }
    }

    /// A safe point before `bs_create_bin`.
    #[inline(always)]
    pub(crate) fn safe_point_bs_create_bin(&mut self, op: &BsCreateBin) {
        if self.p.needs_gc() {
            let srcs: SmallVec<[Src; 16]> = op
                .segments
                .iter()
                .flat_map(|s| [Some(s.value), s.size])
                .flatten()
                .collect();
            self.collect(op.live, &srcs, &[]);
        }
    }

    /// Collects with x0..`live` and the X registers that `a` and `b` read
    /// as roots.
    #[cold]
    #[inline(never)]
    pub(crate) fn collect(&mut self, live: u32, a: &[Src], b: &[Src]) {
        let live = (live as usize).min(self.x.len());
        let mut above: SmallVec<[usize; 8]> = a
            .iter()
            .chain(b)
            .filter_map(|s| match s.kind() {
                SrcKind::X(i) if i >= live && i < self.x.len() => Some(i),
                _ => None,
            })
            .collect();
        above.sort_unstable();
        above.dedup();
        let mut extra: SmallVec<[Term; 8]> = above.iter().map(|&i| self.x[i]).collect();
        self.sync_stack();
        let traced = crate::trace::gc_start(self.p);
        self.p.collect(&mut self.x[..live], &mut extra);
        crate::trace::gc_end(self.p, traced);
        for (&i, t) in above.iter().zip(extra) {
            self.x[i] = t;
        }
        if let Some(r) = self.p.take_max_heap_reached() {
            self.max_heap_reached(r);
        }
        crate::system_monitor::send_pending();
    }

    /// A collection found the heaps over `max_heap_size`: BEAM's error
    /// report (on standard error here) when `error_logger` is set, and
    /// with `kill` the process exits with reason `killed` when its slice
    /// ends, which is at its next call (as an exit signal that reaches a
    /// running process).
    #[cold]
    pub(crate) fn max_heap_reached(&mut self, r: MaxHeapReached) {
        let me = self.p.pid;
        if let Some(born) = max_heap_report(&r, self.p) {
            sched::with(|s| s.admit(born));
        }
        if r.limit.kill {
            let Some(n) = sched::pid_number(me) else {
                return;
            };
            sched::with(|s| {
                if let Some(r) = s.running.get_mut(&n).filter(|r| r.killed.is_none()) {
                    r.killed = Some(sched::copy_term(Term::atom(Atom::KILLED)));
                }
            });
            self.set_budget(0);
        }
    }

    /// `erlang:garbage_collect/0,1,2` with its `arity` arguments in x0..:
    /// the value, or `None` for `badarg`. Another process is collected
    /// where it waits (its live registers are known there); one running
    /// on another scheduler is sent a request signal
    /// (`crate::info_request`): the answer is then the reference of the
    /// reply to wait for, or `async` at once with `{async, ReqId}`.
    pub(crate) fn garbage_collect(&mut self, arity: u32) -> Option<Answer> {
        let pid = if arity == 0 { self.p.pid } else { self.x[0] };
        pid.as_local_pid()?;
        let (request, major) = if arity == 2 {
            gc_options(self.x[1])?
        } else {
            (None, true)
        };
        let async_ = || Some(Answer::Now(Term::atom(Atom::intern("async").ok()?)));
        let done = if pid == self.p.pid {
            if major {
                self.p.request_major();
            }
            self.collect(arity, &[], &[]);
            if major && self.p.heap_oversized() {
                self.p.release_spare();
                self.p.request_major();
                self.collect(arity, &[], &[]);
            }
            true
        } else {
            let n = sched::pid_number(pid)?;
            let from = self.p.pid;
            let mut s = sched::lock();
            if info_request::runs_elsewhere(&s, n) {
                let request = match request {
                    Some(r) => Some(Message::copy(r).ok()?),
                    None => None,
                };
                let is_async = request.is_some();
                let key = info_request::ask(&mut s, n, from, Asked::Gc { major, request });
                drop(s);
                if is_async {
                    return async_();
                }
                return Some(Answer::Later(sched::ref_term(&mut self.p.heap, key)));
            }
            sched::collect_stopped(&mut s, n, major)
        };
        // Read after the collection: the request id may have moved.
        let request = if arity == 2 {
            gc_options(self.x[1])?.0
        } else {
            None
        };
        let Some(request) = request else {
            return Some(Answer::Now(Term::bool(done)));
        };
        let tag = Term::atom(Atom::intern("garbage_collect").ok()?);
        let reply = self.p.heap.tuple(&[tag, request, Term::bool(done)]);
        let m = Message::copy(reply).ok()?;
        sched::send_to_self(self.p, m);
        async_()
    }
}

/// The options of `garbage_collect/2`: `Some(RequestId)` for
/// `{async, RequestId}` (`None` for a synchronous call) and whether the
/// collection is a full sweep (`{type, major}`, the default); `None` when
/// an option is not one of `{async, _}` and `{type, major | minor}`.
fn gc_options(opts: Term) -> Option<(Option<Term>, bool)> {
    let mut request = None;
    let mut major = true;
    for o in opts.proper_list()? {
        let t = o.as_tuple().filter(|t| t.len() == 2)?;
        let (key, value) = (t.get(0)?.as_atom()?, t.get(1)?);
        match key.name() {
            "async" => request = Some(value),
            "type" => match value.as_atom().map(|a| a.name()) {
                Some("major") => major = true,
                Some("minor") => major = false,
                _ => return None,
            },
            _ => return None,
        }
    }
    Some((request, major))
}

/// BEAM's error report for process `p` over its `max_heap_size`, when
/// the setting asks for one: a process to admit (with `p`'s group
/// leader), which logs it (`enigma_boot:max_heap_report/3`, in erts'
/// layout with the collector's figures), after the fact as erts does.
pub(crate) fn max_heap_report(r: &MaxHeapReached, p: &Process) -> Option<Newborn> {
    if !r.limit.error_logger {
        return None;
    }
    let (boot, report) = (
        Atom::intern("enigma_boot").ok()?,
        Atom::intern("max_heap_report").ok()?,
    );
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64);
    // The arguments are copied onto the new process's heap.
    let mut scratch = Heap::new();
    let vheap = Setting::MinBinVheapSize.get() as i64;
    let info = crate::proc_info::gc_info(&mut scratch, &p.heap_stats(), Term::small(vheap));
    let figures = scratch.list(&[
        Term::small(r.limit.size as i64),
        Term::small(r.total as i64),
        Term::bool(r.limit.kill),
        Term::small(p.mailbox.len() as i64),
        info,
    ]);
    let what = Start::Export(Export::get_or_create(boot, report, 3));
    let args = [p.pid, Term::small(micros), figures];
    Some(Newborn::new(
        what,
        &args,
        SpawnOpts {
            system: true,
            group_leader: Some(p.group_leader),
            ..SpawnOpts::default()
        },
    ))
}
