//! Processes and their scheduling on one thread: a process table, a
//! mailbox per process, run queues by priority served with
//! reduction-based switching (`SLICE` reductions per turn, as BEAM), and
//! the timers (`crate::timers`) the scheduler sleeps on when nothing is
//! runnable. Links, monitors and exit signals are in `crate::signals`.
//! The SMP scheduler with stealing is issue 5's next piece.
//!
//! A process that is not running lives in `procs` with its code position
//! and live X registers; the running one is taken out, so its `Process`
//! is borrowed by the interpreter alone. What the scheduler knows of every
//! live process beside that (links, monitors, flags, name) is its
//! [`Meta`], which stays in the table while the process runs, so the
//! running process's own operations reach it. Messages to a process are
//! copied into a heap fragment by the sender ([`Message::copy`]); scheduler
//! structures that hold terms (timer messages, signal reasons) own them as
//! `Message`s, never in a process's heap.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::exception::{Class, Exception};
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Term};

use crate::run::{self, Outcome, Registers, Start};
use crate::signals::Monitor;
use crate::timers::{Action, Timer, Timers};

/// Reductions per time slice.
pub const SLICE: i64 = 4000;

/// A process's scheduling priority (`process_flag(priority, P)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// `low`: shares the `normal` queue, as on BEAM.
    Low,
    /// `normal`.
    Normal,
    /// `high`: runs before any `normal` process.
    High,
    /// `max`: runs before any other.
    Max,
}

impl Priority {
    const ALL: [(Priority, &'static str); 4] = [
        (Priority::Low, "low"),
        (Priority::Normal, "normal"),
        (Priority::High, "high"),
        (Priority::Max, "max"),
    ];

    /// The priority an atom names.
    pub fn from_term(t: Term) -> Option<Priority> {
        let name = t.as_atom()?.name();
        Self::ALL.iter().find(|(_, n)| *n == name).map(|&(p, _)| p)
    }

    /// The atom naming it.
    pub fn term(self) -> Term {
        let name = Self::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("normal", |&(_, n)| n);
        atom(name)
    }

    fn queue(self) -> usize {
        match self {
            Priority::Max => 0,
            Priority::High => 1,
            Priority::Normal | Priority::Low => 2,
        }
    }
}

/// An atom term by name (`undefined` if the atom table is full).
pub(crate) fn atom(name: &str) -> Term {
    Term::atom(Atom::intern(name).unwrap_or(Atom::UNDEFINED))
}

pub(crate) enum State {
    /// Not started: how to start, arguments in `x`.
    New(Start),
    /// Runnable at a code position.
    Ready { id: u32, pc: u32 },
    /// In `receive` (the timer of its `after` is `Process::recv_timer`).
    Waiting {
        id: u32,
        on_message: u32,
        on_timeout: u32,
    },
    /// In `erlang:hibernate/3`: starts afresh (arguments in `x`) when a
    /// message arrives.
    Hibernating(Start),
}

pub(crate) struct Proc {
    pub p: Process,
    pub x: Vec<Term>,
    pub state: State,
}

/// What the scheduler knows of a live process beside its `Process`. It
/// holds no heap terms: pids and atoms are immediates, and monitors are
/// named by the key of their reference.
#[derive(Clone)]
pub(crate) struct Meta {
    pub pid: Term,
    /// Linked pids.
    pub links: Vec<Term>,
    /// Keys of the monitors watching this process.
    pub monitors: Vec<u64>,
    /// Keys of the monitors this process holds on others.
    pub watching: Vec<u64>,
    /// Keys of its active aliases.
    pub aliases: Vec<u64>,
    /// Keys of timers sent to its pid (some may have fired).
    pub timers: Vec<u64>,
    pub trap_exit: bool,
    pub priority: Priority,
    pub name: Option<Atom>,
    /// `{M, F, A}` it was spawned with.
    pub initial_call: (Atom, Atom, u32),
    /// Flags `process_flag/2` and `spawn_opt` set that only read back:
    /// `min_heap_size`, `fullsweep_after`... (immediate values).
    pub flags: Vec<(Atom, Term)>,
}

/// The scheduler's state.
#[derive(Default)]
pub(crate) struct Sched {
    pub procs: AHashMap<u32, Proc>,
    pub meta: AHashMap<u32, Meta>,
    pub monitors: AHashMap<u64, Monitor>,
    /// Active aliases: owner and mode, by reference key.
    pub aliases: AHashMap<u64, (Term, crate::signals::AliasMode)>,
    queues: [VecDeque<u32>; 3],
    pub names: AHashMap<Atom, Term>,
    next_pid: u32,
    next_ref: u64,
    pub timers: Timers,
    /// The process running now.
    pub running: Option<u32>,
    /// Messages sent to the running process by the scheduler (exit
    /// signals turned into messages, `'DOWN'`s); they join its mailbox
    /// when its operation or slice ends.
    pub inbox: Vec<Message>,
    /// The reason an exit signal gave the running process to exit.
    pub killed: Option<Message>,
    /// Set by `erlang:hibernate/3` for the running process: what to start
    /// and its arguments (on the process's heap).
    pub hibernate: Option<(Start, Vec<Term>)>,
    /// The process `run_until` waits for, and its exit reason if a signal
    /// ended it while it was not running.
    pub main: Option<u32>,
    pub main_exit: Option<Message>,
    /// Exit signals not yet acted on (see `crate::signals`).
    pub signals: VecDeque<crate::signals::Pending>,
}

thread_local! {
    static SCHED: RefCell<Sched> = RefCell::new(Sched::default());
}

/// Runs `f` on the scheduler's state.
pub(crate) fn with<R>(f: impl FnOnce(&mut Sched) -> R) -> R {
    SCHED.with(|s| f(&mut s.borrow_mut()))
}

/// The process number of a local pid: BEAM's 15-bit number and 13-bit
/// serial (the external term format's limits) side by side.
pub(crate) fn pid_number(pid: Term) -> Option<u32> {
    pid.as_local_pid().map(|(n, serial)| n | serial << 15)
}

/// The pid of process number `n`.
pub(crate) fn pid_of(n: u32) -> Term {
    Term::pid(n & 0x7fff, n >> 15)
}

/// A copy of `t` in its own fragment (`undefined` for a term that cannot
/// be copied, which no running program holds).
pub(crate) fn copy_term(t: Term) -> Message {
    Message::copy(t).unwrap_or(Message {
        term: Term::atom(Atom::UNDEFINED),
        fragment: Heap::with_capacity(1),
    })
}

/// Reference ids of a scheduler-made reference: the key, and a marker
/// word that no `make_ref/0` reference has in practice.
const REF_MARK: u32 = 0x454e_4947;

/// The reference term for key `key`.
pub(crate) fn ref_term(heap: &mut Heap, key: u64) -> Term {
    heap.local_ref(&[key as u32, REF_MARK, (key >> 32) as u32])
}

/// The key of a scheduler-made reference.
pub(crate) fn ref_key(r: Term) -> Option<u64> {
    let id = r.as_ref_id()?;
    match (id.node, id.ids.as_slice()) {
        (None, &[lo, REF_MARK, hi]) => Some(lo as u64 | (hi as u64) << 32),
        _ => None,
    }
}

/// How to spawn: the options of `spawn_opt` that matter here.
pub struct SpawnOpts {
    /// The group leader (the parent's).
    pub group_leader: Option<Term>,
    /// Its priority.
    pub priority: Priority,
    /// Flags that only read back (`min_heap_size`...).
    pub flags: Vec<(Atom, Term)>,
    /// Whether it starts trapping exits.
    pub trap_exit: bool,
}

impl Default for SpawnOpts {
    fn default() -> Self {
        SpawnOpts {
            group_leader: None,
            priority: Priority::Normal,
            flags: Vec::new(),
            trap_exit: false,
        }
    }
}

impl Sched {
    /// A fresh reference key.
    pub fn next_key(&mut self) -> u64 {
        self.next_ref += 1;
        self.next_ref
    }

    /// Queues process `n` to run.
    pub fn enqueue(&mut self, n: u32) {
        let q = self.meta.get(&n).map_or(2, |m| m.priority.queue());
        self.queues[q].push_back(n);
    }

    /// Puts `m` in process `n`'s mailbox and wakes it; false when there is
    /// no such process (the message is dropped, as in Erlang).
    pub fn deliver_to(&mut self, n: u32, m: Message) -> bool {
        if self.running == Some(n) {
            self.inbox.push(m);
            return true;
        }
        let Some(proc_) = self.procs.get_mut(&n) else {
            return false;
        };
        proc_.p.mailbox.push_back(m);
        match std::mem::replace(&mut proc_.state, State::New(Start::Fun(Term::NIL))) {
            State::Waiting { id, on_message, .. } => {
                proc_.state = State::Ready { id, pc: on_message };
                self.enqueue(n);
            }
            State::Hibernating(start) => {
                proc_.state = State::New(start);
                self.enqueue(n);
            }
            other => proc_.state = other,
        }
        true
    }

    fn spawn(&mut self, what: Start, args: &[Term], opts: SpawnOpts) -> Term {
        let n = self.next_pid;
        self.next_pid += 1;
        let pid = pid_of(n);
        let mut p = Process::new(pid);
        for &(key, value) in &opts.flags {
            p.set_gc_option(key.name(), value);
        }
        if let Some(gl) = opts.group_leader {
            p.group_leader = gl;
        }
        let initial_call = match what {
            Start::Export(e) => (e.module, e.function, e.arity),
            Start::Fun(_) => (
                Atom::ERLANG,
                Atom::intern("apply").unwrap_or(Atom::ERLANG),
                2,
            ),
        };
        let mut own = |t: Term| {
            let m = copy_term(t);
            p.add_fragment(m.fragment);
            m.term
        };
        let what = match what {
            Start::Fun(f) => Start::Fun(own(f)),
            Start::Export(_) => what,
        };
        let x = args.iter().map(|&a| own(a)).collect();
        self.procs.insert(
            n,
            Proc {
                p,
                x,
                state: State::New(what),
            },
        );
        self.meta.insert(
            n,
            Meta {
                pid,
                links: Vec::new(),
                monitors: Vec::new(),
                watching: Vec::new(),
                aliases: Vec::new(),
                timers: Vec::new(),
                trap_exit: opts.trap_exit,
                priority: opts.priority,
                name: None,
                initial_call,
                flags: opts.flags,
            },
        );
        self.enqueue(n);
        pid
    }

    fn take_next(&mut self) -> Option<(u32, Proc)> {
        for q in 0..self.queues.len() {
            while let Some(n) = self.queues[q].pop_front() {
                if let Some(p) = self.procs.remove(&n) {
                    if matches!(p.state, State::Waiting { .. } | State::Hibernating(_)) {
                        self.procs.insert(n, p);
                        continue;
                    }
                    return Some((n, p));
                }
            }
        }
        None
    }

    /// Acts on every timer due at `now`.
    fn fire_timers(&mut self, now: Instant) {
        while let Some(t) = self.timers.pop_due(now) {
            match t.action {
                Action::Receive { proc_ } => self.end_wait(proc_),
                Action::Send { dest, msg } => {
                    let to = match dest.as_atom() {
                        Some(name) => self.names.get(&name).copied(),
                        None => Some(dest),
                    };
                    if let Some(n) = to.and_then(pid_number) {
                        self.deliver_to(n, msg);
                    }
                }
            }
        }
    }

    /// A receive timeout of process `n`.
    fn end_wait(&mut self, n: u32) {
        let Some(p) = self.procs.get_mut(&n) else {
            return;
        };
        if let State::Waiting { id, on_timeout, .. } = p.state {
            p.state = State::Ready { id, pc: on_timeout };
            p.p.recv_cursor = 0;
            self.enqueue(n);
        }
    }

    /// A timer that fires after `ms` milliseconds; its key.
    pub fn add_timer(&mut self, deadline: Instant, action: Action) -> u64 {
        let key = self.next_key();
        self.timers.insert(key, Timer { deadline, action });
        key
    }
}

/// A new process that will run `what` with `args`; returns its pid.
pub fn spawn(what: Start, args: &[Term], opts: SpawnOpts) -> Term {
    with(|s| s.spawn(what, args, opts))
}

/// Puts a message in `pid`'s mailbox and wakes it; a message to a process
/// that does not exist is dropped, as in Erlang.
pub fn deliver(pid: Term, m: Message) {
    if let Some(n) = pid_number(pid) {
        with(|s| s.deliver_to(n, m));
    }
}

/// The pid registered as `name`.
pub fn whereis(name: Atom) -> Option<Term> {
    with(|s| s.names.get(&name).copied())
}

/// Registers `pid` as `name`; false if the name is taken, the process is
/// dead or already has a name, or the name is `undefined`.
pub fn register(name: Atom, pid: Term) -> bool {
    with(|s| {
        let Some(meta) = pid_number(pid).and_then(|n| s.meta.get_mut(&n)) else {
            return false;
        };
        if name == Atom::UNDEFINED || meta.name.is_some() || s.names.contains_key(&name) {
            return false;
        }
        meta.name = Some(name);
        s.names.insert(name, pid);
        true
    })
}

/// A fresh reference (receive markers).
pub fn make_ref(heap: &mut Heap) -> Term {
    let key = with(|s| s.next_key());
    ref_term(heap, key)
}

/// Where a message sent to `to` goes: `Ok(Some(pid))`; `Ok(None)` when
/// it is dropped silently (an inactive alias, a name on this node nobody
/// holds, another node, a port); `Err(())` for a destination `!` rejects
/// (`badarg`).
pub(crate) fn destination(to: Term) -> Result<Option<Term>, ()> {
    use enigma_vm::term::Kind;
    if to.as_local_pid().is_some() {
        return Ok(Some(to));
    }
    if let Some(name) = to.as_atom() {
        return whereis(name).map(Some).ok_or(());
    }
    match to.kind() {
        Kind::Ref => return Ok(ref_key(to).and_then(|k| with(|s| s.alias_owner(k)))),
        Kind::Pid | Kind::Port => return Ok(None),
        _ => {}
    }
    let t = to.as_tuple().filter(|t| t.len() == 2).ok_or(())?;
    match (
        t.get(0).and_then(Term::as_atom),
        t.get(1).and_then(Term::as_atom),
    ) {
        (Some(name), Some(Atom::NONODE)) => Ok(whereis(name)),
        (Some(_), Some(_)) => Ok(None),
        _ => Err(()),
    }
}

/// Collects `pid`'s heap where it waits (its live X registers are saved
/// in its entry); false when there is no such process. A process not yet
/// started has nothing to collect.
pub fn collect(pid: Term) -> bool {
    let Some(n) = pid_number(pid) else {
        return false;
    };
    SCHED.with(|s| match s.borrow_mut().procs.get_mut(&n) {
        Some(proc_) => {
            if !matches!(proc_.state, State::New(_)) {
                proc_.p.collect_major(&mut proc_.x, &mut []);
            }
            true
        }
        None => false,
    })
}

/// The memory, in bytes, of every process but the running one (see
/// `Process::heap_stats`).
pub fn process_memory() -> usize {
    SCHED.with(|s| {
        s.borrow()
            .procs
            .values()
            .map(|proc_| proc_.p.heap_stats().memory_bytes)
            .sum()
    })
}

/// Whether `pid` is a live process.
pub fn is_alive(pid: Term) -> bool {
    pid_number(pid).is_some_and(|n| with(|s| s.meta.contains_key(&n)))
}

/// A fresh reference key (timers made outside the scheduler).
pub fn next_ref_key() -> u64 {
    with(|s| s.next_key())
}

/// The reference term of key `key`.
pub fn ref_of_key(heap: &mut Heap, key: u64) -> Term {
    ref_term(heap, key)
}

/// The key of a reference the scheduler made, if it is one.
pub fn key_of_ref(r: Term) -> Option<u64> {
    ref_key(r)
}

/// Timer `key` (from [`next_ref_key`]) sending `msg` to `dest` (a pid or
/// a registered name, looked up when it fires) at `deadline`. A timer to
/// a pid goes with that process, as on BEAM: one to a dead pid is no
/// timer at all.
pub fn send_after(key: u64, deadline: Instant, dest: Term, msg: Message) {
    with(|s| {
        if let Some(n) = pid_number(dest) {
            let Some(meta) = s.meta.get_mut(&n) else {
                return;
            };
            if meta.timers.len() >= 64 && meta.timers.len().is_power_of_two() {
                let live = &s.timers;
                meta.timers.retain(|&k| live.get(k).is_some());
            }
            meta.timers.push(key);
        }
        let action = Action::Send { dest, msg };
        s.timers.insert(key, Timer { deadline, action })
    })
}

/// Cancels timer `key`: the time left, or `None` if it is not pending.
pub fn cancel_timer(key: u64) -> Option<Duration> {
    with(|s| {
        let t = s.timers.cancel(key)?;
        Some(t.deadline.saturating_duration_since(Instant::now()))
    })
}

/// The time left on timer `key`, `None` if it is not pending.
pub fn read_timer(key: u64) -> Option<Duration> {
    with(|s| {
        let t = s.timers.get(key)?;
        Some(t.deadline.saturating_duration_since(Instant::now()))
    })
}

/// Sleeps until the earliest timer and fires what is due; false when no
/// timer is pending (a deadlock: nothing can ever run again).
fn wait_for_timer() -> bool {
    let Some(deadline) = with(|s| s.timers.next_deadline()) else {
        return false;
    };
    let now = Instant::now();
    if deadline > now {
        std::thread::sleep(deadline - now);
    }
    with(|s| s.fire_timers(Instant::now()));
    true
}

/// The exit reason of an uncaught exception, as BEAM builds it.
fn exit_reason(p: &mut Process, e: Exception, trace: Term) -> Term {
    match e.class {
        Class::Exit => e.reason,
        Class::Error => p.heap.tuple(&[e.reason, trace]),
        Class::Throw => {
            let nocatch = p.heap.tuple(&[atom("nocatch"), e.reason]);
            p.heap.tuple(&[nocatch, trace])
        }
    }
}

/// Runs processes until `main` ends; returns how it ended. A crash of
/// another process is reported on standard error, as BEAM's logger does.
pub fn run_until(main: Term, regs: &mut Registers) -> Outcome {
    let main_n = pid_number(main);
    with(|s| s.main = main_n);
    loop {
        let next = with(|s| {
            if !s.timers.is_empty() {
                s.fire_timers(Instant::now());
            }
            match s.main_exit.take() {
                Some(m) => Err(Box::new(m)),
                None => Ok(s.take_next()),
            }
        });
        let next = match next {
            Ok(next) => next,
            Err(reason) => return main_killed(*reason),
        };
        let Some((n, mut proc_)) = next else {
            if wait_for_timer() {
                continue;
            }
            let reason = atom("enigma_deadlock");
            return Outcome::Raised(Exception::exit(reason), Term::NIL);
        };
        let live = proc_.x.len();
        regs.x[..live].copy_from_slice(&proc_.x);
        with(|s| s.running = Some(n));
        let out = match proc_.state {
            State::New(what) => run::start(regs, &mut proc_.p, what, live as u32, SLICE),
            State::Ready { id, pc } => run::resume(regs, &mut proc_.p, id, pc, SLICE),
            State::Waiting { .. } | State::Hibernating(_) => continue,
        };
        // Messages in the mailbox now were looked at by a `receive` that
        // ends in a wait; only the ones the inbox adds are new to it.
        let seen = proc_.p.mailbox.len();
        let hibernate = with(|s| {
            s.running = None;
            proc_.p.mailbox.extend(s.inbox.drain(..));
            s.hibernate.take()
        });
        match out {
            Outcome::Yielded { id, pc, live } => {
                proc_.x = regs.x[..live as usize].to_vec();
                proc_.state = State::Ready { id, pc };
                with(|s| {
                    s.procs.insert(n, proc_);
                    s.enqueue(n);
                });
            }
            Outcome::Waiting { .. } if hibernate.is_some() => {
                let (start, args) = hibernate.unwrap_or((Start::Fun(Term::NIL), Vec::new()));
                proc_.x = args;
                proc_.p.recv_cursor = 0;
                let arrived = !proc_.p.mailbox.is_empty();
                proc_.state = if arrived {
                    State::New(start)
                } else {
                    State::Hibernating(start)
                };
                with(|s| {
                    s.procs.insert(n, proc_);
                    if arrived {
                        s.enqueue(n);
                    }
                });
            }
            Outcome::Waiting {
                id,
                on_message,
                on_timeout,
                timeout_ms,
            } => {
                proc_.x.clear();
                let arrived = proc_.p.mailbox.len() > seen;
                with(|s| {
                    // The receive's timer fired while the process was
                    // runnable after a message it did not take.
                    let expired = proc_
                        .p
                        .recv_timer
                        .is_some_and(|k| s.timers.get(k).is_none());
                    proc_.state = if arrived {
                        State::Ready { id, pc: on_message }
                    } else if expired {
                        proc_.p.recv_cursor = 0;
                        State::Ready { id, pc: on_timeout }
                    } else {
                        // A timeout past what the clock represents never
                        // comes.
                        let deadline = timeout_ms
                            .and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
                        if let Some(d) = deadline {
                            let key = s.add_timer(d, Action::Receive { proc_: n });
                            proc_.p.recv_timer = Some(key);
                        }
                        State::Waiting {
                            id,
                            on_message,
                            on_timeout,
                        }
                    };
                    let runnable = !matches!(proc_.state, State::Waiting { .. });
                    s.procs.insert(n, proc_);
                    if runnable {
                        s.enqueue(n);
                    }
                });
            }
            Outcome::Halt(_) => return out,
            Outcome::Returned(_) | Outcome::Raised(..) => {
                let reason = match out {
                    Outcome::Raised(e, trace) => {
                        if Some(n) != main_n {
                            report_crash(proc_.p.pid, e.class, e.reason, trace);
                        }
                        exit_reason(&mut proc_.p, e, trace)
                    }
                    _ => Term::atom(Atom::NORMAL),
                };
                if Some(n) == main_n {
                    // The outcome's terms live on its heap, and the VM
                    // stops after the main process.
                    std::mem::forget(proc_);
                    return out;
                }
                with(|s| {
                    s.terminate(n, reason);
                    s.flush_signals();
                });
            }
        }
    }
}

/// The outcome of a main process ended by an exit signal.
fn main_killed(reason: Message) -> Outcome {
    let out = Outcome::Raised(Exception::exit(reason.term), Term::NIL);
    // The reason lives in the message's fragment; the VM stops now.
    std::mem::forget(reason);
    out
}

fn report_crash(pid: Term, class: Class, reason: Term, trace: Term) {
    if class == Class::Exit {
        return;
    }
    let reason = match class {
        Class::Throw => format!("{{nocatch,{reason}}}"),
        _ => reason.to_string(),
    };
    eprintln!("=ERROR REPORT====\nError in process {pid} with exit value:\n{{{reason},{trace}}}");
}
