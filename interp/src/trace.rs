//! Process tracing (`erlang:trace/3`): which processes are traced, with
//! which flags and to which tracer, and the trace messages their events
//! send it: `{trace, Pid, send, Msg, To}`, `{trace, Pid, 'receive', Msg}`
//! and the `procs` events (`spawn`, `spawned`, `exit`, `link`,
//! `getting_linked`, `unlink`, `getting_unlinked`, `register`,
//! `unregister`), as BEAM's `erl_trace.c` shapes them (`trace_ts` with a
//! timestamp last when a timestamp flag is set).
//!
//! The table has its own lock, taken after the scheduler's; events are
//! raised under the scheduler's lock, where the tracer's mailbox is. When
//! no process is traced every hook costs one relaxed load ([`active`]).
//! A trace message goes straight to the tracer's mailbox: it is not
//! itself traced, and nothing is ever in flight (`trace_delivered/1`
//! answers at once).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::process::Message;
use enigma_vm::term::{Heap, Term};

use enigma_vm::etf::{encode, EncodeOptions};

use crate::call_trace::Mfa;
use crate::port::trace_file;
use crate::run::Start;
use crate::sched::{atom, pid_number, Sched};

/// The trace flags in the order `trace_info(Pid, flags)` lists them; a
/// flag's bit is its index.
pub const FLAGS: [&str; 21] = [
    "running_procs",
    "running_ports",
    "ports",
    "scheduler_id",
    "silent",
    "return_to",
    "arity",
    "garbage_collection",
    "exiting",
    "running",
    "set_on_first_link",
    "set_on_link",
    "set_on_first_spawn",
    "procs",
    "call",
    "set_on_spawn",
    "receive",
    "send",
    "monotonic_timestamp",
    "strict_monotonic_timestamp",
    "timestamp",
];

const fn bit(i: usize) -> u32 {
    1 << i
}

/// `call`: calls of traced functions (`crate::call_trace`).
pub(crate) const CALL: u32 = bit(14);
/// `return_to`: returns into traced callers (`crate::call_trace`).
pub(crate) const RETURN_TO: u32 = bit(5);
/// `running`: a process's schedule-ins and -outs.
const RUNNING: u32 = bit(9);
/// `garbage_collection`: a process's collections.
pub(crate) const GARBAGE_COLLECTION: u32 = bit(7);
/// `exiting`: an exiting process's schedule-ins and -outs.
pub(crate) const EXITING: u32 = bit(8);
/// `arity`: call events name the arity, not the arguments.
pub(crate) const ARITY: u32 = bit(6);
const SET_ON_FIRST_LINK: u32 = bit(10);
const SET_ON_LINK: u32 = bit(11);
const SET_ON_FIRST_SPAWN: u32 = bit(12);
const PROCS: u32 = bit(13);
const SET_ON_SPAWN: u32 = bit(15);
const RECEIVE: u32 = bit(16);
const SEND: u32 = bit(17);
const MONOTONIC: u32 = bit(18);
const STRICT_MONOTONIC: u32 = bit(19);
const TIMESTAMP: u32 = bit(20);
const SILENT: u32 = bit(4);
/// What `all` sets: every flag.
const ALL: u32 = bit(FLAGS.len()) - 1;

/// The bits of flag `name` (`all` included); `None` for no flag.
pub fn flag_bits(name: &str) -> Option<u32> {
    if name == "all" {
        return Some(ALL);
    }
    FLAGS.iter().position(|&f| f == name).map(bit)
}

/// The names of the flags set in `flags`, in `trace_info`'s order.
pub fn flag_names(flags: u32) -> impl Iterator<Item = &'static str> {
    FLAGS
        .iter()
        .enumerate()
        .filter(move |&(i, _)| flags & bit(i) != 0)
        .map(|(_, &f)| f)
}

/// A traced process's flags and tracer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tracee {
    /// Bits of [`FLAGS`].
    pub flags: u32,
    /// The tracer's pid.
    pub tracer: Term,
}

#[derive(Default)]
struct Table {
    /// By process number.
    procs: AHashMap<u32, Tracee>,
    /// What processes spawned from now on get (`new`, `all`).
    new: Option<Tracee>,
}

impl Table {
    fn update_active(&self) {
        ACTIVE.store(
            !self.procs.is_empty() || self.new.is_some(),
            Ordering::Relaxed,
        );
    }
}

static ACTIVE: AtomicBool = AtomicBool::new(false);

fn table() -> MutexGuard<'static, Table> {
    static T: OnceLock<Mutex<Table>> = OnceLock::new();
    T.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Whether any process is traced or new ones will be: the hooks' one
/// check while nothing is.
#[inline]
pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// The monotonic clock of `monotonic_timestamp` (Erlang native units),
/// installed at start-up by the crate that owns `erlang:monotonic_time`.
static CLOCK: OnceLock<fn() -> i64> = OnceLock::new();

/// Installs the clock of the monotonic trace timestamps (once).
pub fn set_monotonic_clock(clock: fn() -> i64) {
    let _ = CLOCK.set(clock);
}

/// Which processes `erlang:trace/3` acts on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Spec {
    /// One process.
    Pid(Term),
    /// The live processes (`existing`, `existing_processes`).
    Existing,
    /// Those spawned from now on (`new`, `new_processes`).
    New,
    /// Both (`all`, `processes`).
    All,
}

/// Why `erlang:trace/3` refused a process (`badarg`).
#[derive(Debug)]
pub struct Refused;

/// `erlang:trace(Spec, On, Flags)` with `tracer` (the caller's pid unless
/// `{tracer, Pid}` named another): the number of processes whose flags
/// changed, or [`Refused`] for a process that is not alive or
/// that another live tracer traces. A tracer that is gone is accepted
/// and sets nothing, as BEAM's ends up.
pub fn set(spec: Spec, on: bool, flags: u32, tracer: Term) -> Result<usize, Refused> {
    crate::sched::with(|s| {
        let alive = |t: Term| match t.as_local_port() {
            Some(port) => trace_file::is_open(port),
            None => pid_number(t).is_some_and(|n| s.alive(n)),
        };
        // Traced by another tracer that is still alive.
        let taken = |t: &Table, n: u32| {
            t.procs
                .get(&n)
                .is_some_and(|e| e.tracer != tracer && alive(e.tracer))
        };
        // Flags given to a tracer that is gone are dropped at once.
        let flags = if on && !alive(tracer) { 0 } else { flags };
        let mut t = table();
        let count = match spec {
            Spec::Pid(pid) => {
                let n = pid_number(pid).filter(|&n| s.alive(n)).ok_or(Refused)?;
                if on && taken(&t, n) {
                    return Err(Refused);
                }
                change(&mut t.procs, n, on, flags, tracer);
                1
            }
            Spec::Existing | Spec::All => {
                let ns: Vec<u32> = s
                    .meta
                    .iter()
                    .filter(|&(&n, m)| s.alive(n) && m.pid != tracer)
                    .map(|(&n, _)| n)
                    .collect();
                for &n in &ns {
                    if !(on && taken(&t, n)) {
                        change(&mut t.procs, n, on, flags, tracer);
                    }
                }
                if flags == 0 {
                    0
                } else {
                    ns.len()
                }
            }
            Spec::New => 0,
        };
        if matches!(spec, Spec::New | Spec::All) {
            t.new = changed(t.new, on, flags, tracer);
        }
        t.update_active();
        Ok(count)
    })
}

/// Sets or clears `flags` of process `n`.
fn change(procs: &mut AHashMap<u32, Tracee>, n: u32, on: bool, flags: u32, tracer: Term) {
    match changed(procs.get(&n).copied(), on, flags, tracer) {
        Some(e) => procs.insert(n, e),
        None => procs.remove(&n),
    };
}

/// `old` with `flags` set (by `tracer`) or cleared; `None` once no flag
/// is left, which drops the tracer too.
fn changed(old: Option<Tracee>, on: bool, flags: u32, tracer: Term) -> Option<Tracee> {
    let old_flags = old.map_or(0, |e| e.flags);
    let e = if on {
        Tracee {
            flags: old_flags | flags,
            tracer,
        }
    } else {
        Tracee {
            flags: old_flags & !flags,
            tracer: old.map_or(tracer, |e| e.tracer),
        }
    };
    (e.flags != 0).then_some(e)
}

/// The flags and tracer of process `pid` (`None`: not traced), or of the
/// processes to come (`pid` `None`).
pub fn info(pid: Option<Term>) -> Option<Tracee> {
    let t = table();
    match pid {
        Some(pid) => pid_number(pid).and_then(|n| t.procs.get(&n).copied()),
        None => t.new,
    }
}

/// The trace flags of process `pid` if it is traced with `call`.
pub(crate) fn call_flags(pid: Term) -> Option<u32> {
    if !active() {
        return None;
    }
    let n = pid_number(pid)?;
    tracee(n).map(|e| e.flags).filter(|f| f & CALL != 0)
}

/// Whether process `n` is traced with any of `flags`.
pub(crate) fn traced_with(n: u32, flags: u32) -> bool {
    active() && tracee(n).is_some_and(|e| e.flags & flags != 0)
}

/// What process `n` is traced with, if it is.
fn tracee(n: u32) -> Option<Tracee> {
    table().procs.get(&n).copied()
}

/// What tracee `p` passes on to a process it spawns or links to: all its
/// flags with `every` set; with `first` set, once (`first` is cleared
/// first, so neither keeps it).
fn passed_on(p: &mut Tracee, every: u32, first: u32) -> Option<Tracee> {
    if p.flags & every != 0 {
        return Some(*p);
    }
    if p.flags & first == 0 {
        return None;
    }
    p.flags &= !first;
    Some(*p)
}

/// The timestamp a trace message with `flags` ends with, if any.
fn timestamp(heap: &mut Heap, flags: u32) -> Option<Term> {
    static UNIQUE: AtomicU64 = AtomicU64::new(1);
    let mono = || CLOCK.get().map_or(0, |c| c());
    if flags & STRICT_MONOTONIC != 0 {
        let m = heap.int(mono());
        let u = heap.int(UNIQUE.fetch_add(1, Ordering::Relaxed) as i64);
        return Some(heap.tuple(&[m, u]));
    }
    if flags & MONOTONIC != 0 {
        return Some(heap.int(mono()));
    }
    if flags & TIMESTAMP == 0 {
        return None;
    }
    let us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64);
    Some(heap.tuple(&[
        Term::small(us / 1_000_000_000_000),
        Term::small(us / 1_000_000 % 1_000_000),
        Term::small(us % 1_000_000),
    ]))
}

/// Where a trace message goes.
enum To {
    /// A tracer process, by number.
    Process(u32),
    /// A trace port (`trace_file_drv`), by number.
    Port(u64),
}

impl Sched {
    /// Sends process `pid`'s tracer `{trace, Pid, What, Items...}` if it
    /// is traced with `flag`: into its mailbox, or written to a trace
    /// port's file. A tracer that is gone stops the tracing.
    pub(crate) fn trace_event(&mut self, pid: Term, flag: u32, what: &str, items: &[Term]) {
        let Some(n) = pid_number(pid) else { return };
        let Some(e) = tracee(n).filter(|e| e.flags & flag != 0 && e.flags & SILENT == 0) else {
            return;
        };
        if e.tracer == pid {
            // As on BEAM, a process that is its own tracer is sent none.
            return;
        }
        let to = match e.tracer.as_local_port() {
            Some(port) => Some(To::Port(port)),
            None => pid_number(e.tracer)
                .filter(|&t| self.alive(t))
                .map(To::Process),
        };
        let mut heap = Heap::new();
        let stamp = timestamp(&mut heap, e.flags);
        let tag = atom(if stamp.is_some() { "trace_ts" } else { "trace" });
        let mut all = vec![tag, pid, atom(what)];
        all.extend_from_slice(items);
        all.extend(stamp);
        let term = heap.tuple(&all);
        let sent = match to {
            Some(To::Process(to)) => {
                if let Ok(m) = Message::copy(term) {
                    self.deliver_quietly(to, m);
                }
                true
            }
            Some(To::Port(port)) => encode(term, &EncodeOptions::default())
                .map_or(true, |bytes| trace_file::write(port, &bytes)),
            None => false,
        };
        if !sent {
            let mut t = table();
            t.procs.remove(&n);
            t.update_active();
        }
    }

    /// The `'receive'` event of message `msg` reaching process `n`.
    pub(crate) fn trace_receive(&mut self, n: u32, msg: Term) {
        if let Some(pid) = self.meta.get(&n).map(|m| m.pid) {
            self.trace_event(pid, RECEIVE, "receive", &[msg]);
        }
    }

    /// The `send` event of `from` sending `msg` to `to` (as written:
    /// a pid or a name); `send_to_non_existing_process` when `delivered`
    /// is false.
    pub(crate) fn trace_send(&mut self, from: Term, msg: Term, to: Term, delivered: bool) {
        let what = if delivered {
            "send"
        } else {
            "send_to_non_existing_process"
        };
        self.trace_event(from, SEND, what, &[msg, to]);
    }

    /// Process `child` was spawned by process number `parent` to run
    /// `what` with `args`: the new process takes the flags of `new` and
    /// those its parent passes on (`set_on_spawn`, `set_on_first_spawn`),
    /// then the `spawn` and `spawned` events.
    pub(crate) fn trace_spawn(&mut self, parent: u32, child: Term, what: &Start, args: &[Term]) {
        let Some(c) = pid_number(child) else { return };
        let parent_pid = self.meta.get(&parent).map(|m| m.pid);
        {
            let mut t = table();
            let from_parent = t
                .procs
                .get_mut(&parent)
                .and_then(|p| passed_on(p, SET_ON_SPAWN, SET_ON_FIRST_SPAWN));
            if let Some(e) = from_parent.or(t.new) {
                t.procs.insert(c, e);
                t.update_active();
            }
        }
        let Some(parent_pid) = parent_pid else { return };
        let mut heap = Heap::new();
        let arg_list = heap.list(args);
        let mfa = match *what {
            Start::Export(e) => {
                heap.tuple(&[Term::atom(e.module), Term::atom(e.function), arg_list])
            }
            Start::Apply(m, f, _) => heap.tuple(&[Term::atom(m), Term::atom(f), arg_list]),
            Start::Fun(f) => {
                let apply_args = heap.list(&[f, arg_list]);
                heap.tuple(&[Term::atom(Atom::ERLANG), atom("apply"), apply_args])
            }
        };
        self.trace_event(parent_pid, PROCS, "spawn", &[child, mfa]);
        self.trace_event(child, PROCS, "spawned", &[parent_pid, mfa]);
    }

    /// `a` linked itself to `b`: `a` passes its flags on to an untraced
    /// `b` (`set_on_link`, `set_on_first_link`), then the `link` and
    /// `getting_linked` events.
    pub(crate) fn trace_link(&mut self, a: Term, b: Term) {
        if let (Some(na), Some(nb)) = (pid_number(a), pid_number(b)) {
            let mut t = table();
            if !t.procs.contains_key(&nb) {
                let from_a = t
                    .procs
                    .get_mut(&na)
                    .and_then(|p| passed_on(p, SET_ON_LINK, SET_ON_FIRST_LINK));
                if let Some(e) = from_a {
                    t.procs.insert(nb, e);
                }
            }
        }
        self.trace_event(a, PROCS, "link", &[b]);
        self.trace_event(b, PROCS, "getting_linked", &[a]);
    }

    /// `a` removed its link to `b` (or `b`, ending, removed it): the
    /// `unlink` event of `a` (when `a` asked) and `getting_unlinked` of `b`.
    pub(crate) fn trace_unlink(&mut self, a: Term, b: Term, asked: bool) {
        if asked {
            self.trace_event(a, PROCS, "unlink", &[b]);
        }
        self.trace_event(b, PROCS, "getting_unlinked", &[a]);
    }

    /// `pid` was registered as (`on`) or unregistered from `name`.
    pub(crate) fn trace_register(&mut self, pid: Term, name: Atom, on: bool) {
        let what = if on { "register" } else { "unregister" };
        self.trace_event(pid, PROCS, what, &[Term::atom(name)]);
    }

    /// Process `pid` ends with `reason`: its `exit` event, then with
    /// `exiting` its last schedule-out (`out_exited`, BEAM's `0` for
    /// where).
    pub(crate) fn trace_exit_event(&mut self, pid: Term, reason: Term) {
        self.trace_event(pid, PROCS, "exit", &[reason]);
        self.trace_event(pid, EXITING, "out_exited", &[Term::small(0)]);
    }

    /// Process `n`, in `state`, is scheduled in: its `in` event with
    /// `running` (out of line: the scheduler's switch tests [`active`]).
    #[cold]
    #[inline(never)]
    pub(crate) fn trace_schedule_in(&mut self, n: u32, state: &crate::sched::State) {
        if traced_with(n, RUNNING) {
            self.trace_running(n, true, state.function());
        }
    }

    /// Process `n`'s slice ended in a yield or a wait, to go on at code
    /// position `(id, pc)`: its `out` event with `running` (none at its
    /// end).
    #[cold]
    #[inline(never)]
    pub(crate) fn trace_schedule_out(&mut self, n: u32, id: u32, pc: u32) {
        if traced_with(n, RUNNING) {
            self.trace_running(n, false, function_at(id, pc));
        }
    }

    /// Process `n` is scheduled in (`inward`) or out at function `at`
    /// (`None`: BEAM's `0`): its `in` / `out` event with `running`.
    fn trace_running(&mut self, n: u32, inward: bool, at: Option<Mfa>) {
        let Some(pid) = self.meta.get(&n).map(|m| m.pid) else {
            return;
        };
        let mut heap = Heap::with_capacity(4);
        let where_ = match at {
            Some((m, f, a)) => heap.tuple(&[Term::atom(m), Term::atom(f), Term::small(a as i64)]),
            None => Term::small(0),
        };
        let what = if inward { "in" } else { "out" };
        self.trace_event(pid, RUNNING, what, &[where_]);
    }

    /// Process `n` (`pid`) ended: it is traced no more, and the processes
    /// it traced neither.
    pub(crate) fn trace_forget(&mut self, n: u32, pid: Term) {
        let mut t = table();
        t.procs.remove(&n);
        t.procs.retain(|_, e| e.tracer != pid);
        if t.new.is_some_and(|e| e.tracer == pid) {
            t.new = None;
        }
        t.update_active();
    }
}

/// The function holding code position `(id, pc)`.
fn function_at(id: u32, pc: u32) -> Option<Mfa> {
    let m = crate::code::module(id)?;
    let f = m.function_at(pc)?;
    Some((m.name, f.name, f.arity))
}

impl crate::sched::State {
    /// The function a process in this state is in, as `running`'s events
    /// name it: where it waits or resumes; a new process's start (BEAM's
    /// `{erlang, apply, 2}` for a fun).
    pub(crate) fn function(&self) -> Option<Mfa> {
        use crate::sched::State;
        match *self {
            State::New(Start::Export(e)) => Some((e.module, e.function, e.arity)),
            State::New(Start::Apply(m, f, a)) => Some((m, f, a)),
            State::New(Start::Fun(_)) => Some((Atom::ERLANG, Atom::intern("apply").ok()?, 2)),
            State::Ready { id, pc } => function_at(id, pc),
            State::Waiting { id, on_message, .. } => function_at(id, on_message),
            State::Hibernating(_) => None,
        }
    }
}

/// A traced collection's start: its info list, on its own heap (where
/// the end's goes too), and the words in use before it.
pub(crate) struct GcStart {
    heap: Heap,
    info: Term,
    used: usize,
}

/// Before process `p` collects: with `garbage_collection`, what its
/// start event reports (`None`, after one relaxed load, while nothing is
/// traced).
#[inline]
pub(crate) fn gc_start(p: &enigma_vm::process::Process) -> Option<Box<GcStart>> {
    if !active() {
        return None;
    }
    gc_start_traced(p)
}

/// [`gc_start`] while something is traced.
#[cold]
#[inline(never)]
fn gc_start_traced(p: &enigma_vm::process::Process) -> Option<Box<GcStart>> {
    let n = pid_number(p.pid)?;
    if !traced_with(n, GARBAGE_COLLECTION) {
        return None;
    }
    let mut heap = Heap::new();
    // BEAM's start reports the words the collection must make room for;
    // not known here: 0, as BEAM's for a collection asked for.
    let info = gc_info(&mut heap, p, 0);
    let s = p.heap_stats();
    let used = s.young_used + s.old_used;
    Some(Box::new(GcStart { heap, info, used }))
}

/// BEAM's info list of a collection event (`{wordsize, Words}` first),
/// of `p`'s heaps now.
fn gc_info(heap: &mut Heap, p: &enigma_vm::process::Process, words: usize) -> Term {
    let vheap = crate::defaults::Setting::MinBinVheapSize.get() as i64;
    let items = crate::proc_info::gc_info(heap, &p.heap_stats(), Term::small(vheap));
    let first = heap.tuple(&[atom("wordsize"), Term::small(words as i64)]);
    heap.cons(first, items)
}

/// After process `p`'s collection that `start` began: its start and end
/// events (the end's `wordsize` the words it reclaimed), `gc_minor_*`
/// or, when the collection reset the count of minor ones, `gc_major_*`.
pub(crate) fn gc_end(p: &enigma_vm::process::Process, start: Option<Box<GcStart>>) {
    let Some(mut start) = start else { return };
    let s = p.heap_stats();
    let major = s.minor_gcs == 0;
    let reclaimed = start.used.saturating_sub(s.young_used + s.old_used);
    let end_info = gc_info(&mut start.heap, p, reclaimed);
    let (first, last) = if major {
        ("gc_major_start", "gc_major_end")
    } else {
        ("gc_minor_start", "gc_minor_end")
    };
    let pid = p.pid;
    crate::sched::with(|sc| {
        sc.trace_event(pid, GARBAGE_COLLECTION, first, &[start.info]);
        sc.trace_event(pid, GARBAGE_COLLECTION, last, &[end_info]);
    });
}
