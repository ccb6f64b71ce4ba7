//! The process table shared by the scheduler threads (`crate::smp`): a
//! mailbox per process, the run queues' bookkeeping (`crate::runq`), and
//! the timers (`crate::timers`) idle schedulers sleep on. Links, monitors
//! and exit signals are in `crate::signals`. One lock guards it all.
//!
//! A process that is not running lives in `procs` with its code position
//! and live X registers; a running one is taken out, so its `Process` is
//! owned by the scheduler thread that runs it, and has an entry in
//! `running` instead ([`Running`]: messages and signals that arrive while
//! it runs, acted on when its slice ends). What the scheduler knows of
//! every live process beside that (links, monitors, flags, name) is its
//! [`Meta`], which stays in the table while the process runs, so the
//! running process's own operations reach it. Messages to a process are
//! copied into a heap fragment by the sender ([`Message::copy`]); scheduler
//! structures that hold terms (timer messages, signal reasons) own them as
//! `Message`s, never in a process's heap.

use smallvec::SmallVec;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Term};
use parking_lot::{Condvar, Mutex, MutexGuard};

use crate::run::{Outcome, Start};
use crate::signals::{Monitor, Via};
use crate::timers::{Action, Timer, Timers};
use enigma_vm::few::Few;

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
    pub links: Few<Term>,
    /// Keys of the monitors watching this process.
    pub monitors: Few<u64>,
    /// Keys of the monitors this process holds on others.
    pub watching: Few<u64>,
    /// Keys of its active aliases.
    pub aliases: Few<u64>,
    /// Keys of timers sent to its pid (some may have fired).
    pub timers: Few<u64>,
    pub trap_exit: bool,
    pub priority: Priority,
    pub name: Option<Atom>,
    /// `{M, F, A}` it was spawned with.
    pub initial_call: (Atom, Atom, u32),
    /// Flags `process_flag/2` and `spawn_opt` set that only read back:
    /// `min_heap_size`, `fullsweep_after`... (immediate values).
    pub flags: Few<(Atom, Term)>,
    /// Suspensions on it (`crate::suspend`): not run while above 0.
    pub suspend_count: u32,
    /// Processes it suspended, and how many times.
    pub suspending: Few<(Term, u32)>,
    /// Its node monitors (`process_flag(monitor_nodes, _)`): how many
    /// times each kind (`crate::proc_info::flags::node_monitor_kind`) was
    /// turned on. No node ever comes or goes, so they only count.
    pub node_monitors: Few<(u8, u32)>,
    /// The number of the process that spawned it (`NO_PARENT`: none), a
    /// number rather than a pid so that it fits in the padding.
    pub parent: u32,
}

/// [`Meta::parent`] of the processes the VM starts itself.
pub(crate) const NO_PARENT: u32 = u32::MAX;

/// What the table holds for a process while a scheduler runs it: what
/// reaches it meanwhile, acted on when its slice ends.
#[derive(Default)]
pub(crate) struct Running {
    /// Messages sent to it; they join its mailbox when its slice ends
    /// (or when its own `exit/2` returns).
    pub inbox: Vec<Message>,
    /// The reason an exit signal gave it to exit.
    pub killed: Option<Message>,
    /// Set by its `erlang:hibernate/3`: what to start and the arguments
    /// (on its heap).
    pub hibernate: Option<(Start, Vec<Term>)>,
    /// A group leader another process gave it.
    pub group_leader: Option<Term>,
    /// The `noproc` DOWN messages (with their monitors' keys) that its
    /// own `monitor/2` of a dead pid sent it: signals, as on BEAM, that
    /// join its mailbox when its slice ends or it yields (a `receive`
    /// in the same slice does not see them) and that a `demonitor`
    /// before then takes back.
    pub own_downs: Vec<(u64, Message)>,
    /// Keys of the `noproc` DOWN messages in `inbox` that its own
    /// `monitor/2` of an unregistered name sent it: a `receive` sees
    /// those at once (as BEAM's), a `demonitor` before it takes them back.
    pub own_name_downs: Vec<u64>,
    /// `process_info` and `garbage_collect` requests of other
    /// processes, served when its slice ends (`crate::info_request`).
    pub requests: Vec<crate::info_request::Request>,
}

/// The scheduler's state.
#[derive(Default)]
pub(crate) struct Sched {
    /// Boxed: a process moves in and out at every switch.
    pub procs: AHashMap<u32, Box<Proc>>,
    pub meta: AHashMap<u32, Meta>,
    pub monitors: AHashMap<u64, Monitor>,
    /// Active aliases: owner and mode, by reference key.
    pub aliases: AHashMap<u64, (Term, crate::signals::AliasMode)>,
    pub names: AHashMap<Atom, Term>,
    next_ref: u64,
    pub timers: Timers,
    /// The processes running now, one per busy scheduler.
    pub running: AHashMap<u32, Running>,
    /// Schedulers started, and how many sleep waiting for work.
    pub schedulers: usize,
    pub sleeping: usize,
    /// The deadline the one sleeper that waits for the timers sleeps
    /// until (the others sleep until woken).
    pub keeper: Option<Instant>,
    /// The process `run_until` waits for, and its exit reason if a signal
    /// ended it while it was not running.
    pub main: Option<u32>,
    pub main_exit: Option<Message>,
    /// Set when `init:stop/0,1` began stopping the system: the VM then
    /// ends at that stop's `halt`, not when the main process returns.
    pub stopping: bool,
    /// How the VM ended (the main process's outcome, `halt`, deadlock):
    /// once set, every scheduler stops at its next switch.
    pub outcome: Option<Outcome>,
    /// Exit signals and `'DOWN'` messages not yet acted on (see `crate::signals`).
    pub signals: VecDeque<crate::signals::Signal>,
    /// Set while timers fire: what they make runnable goes to the shared
    /// run queue (`crate::runq`), in deadline order.
    firing_timers: bool,
    /// Open ports (`crate::port`).
    pub ports: crate::port::Ports,
}

/// The table and the condition idle schedulers sleep on.
fn shared() -> &'static (Mutex<Sched>, Condvar) {
    static S: OnceLock<(Mutex<Sched>, Condvar)> = OnceLock::new();
    S.get_or_init(Default::default)
}

/// The scheduler's state, locked.
pub(crate) fn lock() -> MutexGuard<'static, Sched> {
    shared().0.lock()
}

/// Runs `f` on the scheduler's state.
pub(crate) fn with<R>(f: impl FnOnce(&mut Sched) -> R) -> R {
    f(&mut lock())
}

/// Sleeps on `s`'s lock until woken, or until the earliest timer is due
/// if no other sleeper waits for it already (or for a later one): one
/// scheduler fires the timers and runs what they wake, so processes woken
/// in deadline order run in that order rather than racing on several
/// threads.
pub(crate) fn sleep(s: &mut MutexGuard<'static, Sched>) {
    let deadline = s
        .timers
        .next_deadline()
        .filter(|&d| s.keeper.is_none_or(|k| d < k));
    s.sleeping += 1;
    match deadline {
        Some(d) => {
            s.keeper = Some(d);
            shared().1.wait_until(s, d);
            if s.keeper == Some(d) {
                s.keeper = None;
            }
        }
        None => shared().1.wait(s),
    }
    s.sleeping -= 1;
}

/// Wakes every sleeping scheduler (the VM stops, or a held process may
/// run again).
pub(crate) fn wake_all() {
    shared().1.notify_all();
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
    /// The process that spawned it (`process_info(P, parent)`).
    pub parent: Option<Term>,
    /// A process of the VM's own (a crash or heap report): it takes no
    /// defaults from `system_flag/2`, as BEAM's logger predates them (a
    /// system-wide `max_heap_size` would kill the report that prints
    /// another process's, and its own report would spawn the next).
    pub system: bool,
}

impl Default for SpawnOpts {
    fn default() -> Self {
        SpawnOpts {
            group_leader: None,
            priority: Priority::Normal,
            flags: Vec::new(),
            trap_exit: false,
            parent: None,
            system: false,
        }
    }
}

/// A process made outside the table's lock (its pid, heap and copied
/// arguments), for [`Sched::admit`]: spawning copies the arguments while
/// other schedulers go on.
pub(crate) struct Newborn {
    n: u32,
    proc_: Box<Proc>,
    meta: Meta,
}

/// The next process number (pids are never reused: BEAM's 28 bits of
/// number and serial wrap after 2^28 spawns).
static NEXT_PID: AtomicU32 = AtomicU32::new(0);

impl Newborn {
    /// A process that will run `what` with `args` (copied into fragments
    /// of its own).
    pub(crate) fn new(what: Start, args: &[Term], opts: SpawnOpts) -> Newborn {
        let n = NEXT_PID.fetch_add(1, Ordering::Relaxed);
        let pid = pid_of(n);
        let mut p = Process::new(pid);
        if !opts.system {
            crate::defaults::apply(&mut p);
        }
        let mut flags = opts.flags;
        let vheap = crate::defaults::Setting::MinBinVheapSize.get();
        if vheap != crate::defaults::MIN_BIN_VHEAP_SIZE {
            if let Ok(key) = Atom::intern("min_bin_vheap_size") {
                flags.insert(0, (key, Term::small(vheap as i64)));
            }
        }
        let least = crate::defaults::Setting::MinHeapSize.get() as i64;
        for &(key, value) in &flags {
            // No `min_heap_size` below the system's, as on BEAM.
            let value = match value.as_small() {
                Some(words) if key.name() == "min_heap_size" => Term::small(words.max(least)),
                _ => value,
            };
            p.set_gc_option(key.name(), value);
        }
        if let Some(gl) = opts.group_leader {
            p.group_leader = gl;
        }
        let initial_call = match what {
            Start::Export(e) => (e.module, e.function, e.arity),
            Start::Apply(m, f, arity) => (m, f, arity),
            Start::Fun(_) => (
                Atom::ERLANG,
                Atom::intern("apply").unwrap_or(Atom::ERLANG),
                2,
            ),
        };
        let size = |t: Term| enigma_vm::term::copy::message_size(t).ok();
        let fun_words = match what {
            Start::Fun(f) => size(f),
            Start::Export(_) | Start::Apply(..) => Some(0),
        };
        let arg_words: SmallVec<[Option<usize>; 4]> = args.iter().map(|&a| size(a)).collect();
        // BEAM copies the argument list too: two words a cons cell.
        let words = arg_words
            .iter()
            .chain([&fun_words])
            .flatten()
            .sum::<usize>();
        p.size_for_arguments(words + 2 * args.len());
        let mut own = |t: Term, words: Option<usize>| {
            words
                .and_then(|w| p.own_copy_sized(t, w).ok())
                .unwrap_or(Term::atom(Atom::UNDEFINED))
        };
        let what = match what {
            Start::Fun(f) => Start::Fun(own(f, fun_words)),
            Start::Export(_) | Start::Apply(..) => what,
        };
        let x = args
            .iter()
            .zip(arg_words)
            .map(|(&a, w)| own(a, w))
            .collect();
        Newborn {
            n,
            proc_: Box::new(Proc {
                p,
                x,
                state: State::New(what),
            }),
            meta: Meta {
                pid,
                links: Few::default(),
                monitors: Few::default(),
                watching: Few::default(),
                aliases: Few::default(),
                timers: Few::default(),
                trap_exit: opts.trap_exit,
                priority: opts.priority,
                name: None,
                initial_call,
                flags: flags.into(),
                suspend_count: 0,
                suspending: Few::default(),
                node_monitors: Few::default(),
                parent: opts.parent.and_then(pid_number).unwrap_or(NO_PARENT),
            },
        }
    }
}

/// Messages waiting in the inboxes of running processes, so that a
/// `receive` that finds its queue exhausted takes the lock to look at its
/// inbox only when some process has one (ring message passing reaches
/// waiting processes: their mailboxes).
static INBOX_MESSAGES: AtomicUsize = AtomicUsize::new(0);

impl Running {
    /// What reached it while it ran, for its mailbox when it is scheduled
    /// out: its inbox, then the DOWN messages it sent itself.
    pub(crate) fn take_arrived(&mut self) -> Vec<Message> {
        let mut arrived = self.take_inbox();
        arrived.extend(self.own_downs.drain(..).map(|(_, m)| m));
        arrived
    }

    /// Takes the messages of its inbox.
    pub(crate) fn take_inbox(&mut self) -> Vec<Message> {
        self.own_name_downs.clear();
        let inbox = std::mem::take(&mut self.inbox);
        INBOX_MESSAGES.fetch_sub(inbox.len(), Ordering::Relaxed);
        inbox
    }
}

impl Sched {
    /// A fresh reference key.
    pub fn next_key(&mut self) -> u64 {
        self.next_ref += 1;
        self.next_ref
    }

    /// Queues process `n` to run (on this scheduler's run queue, or the
    /// shared one while timers fire), waking a sleeping scheduler when
    /// this one has other work (see `runq::push`). Called with the lock
    /// held, as every sleeper checks for work and falls asleep under it:
    /// no wake-up is lost.
    pub fn enqueue(&mut self, n: u32) {
        let level = self.meta.get(&n).map_or(2, |m| m.priority.queue());
        let origin = if self.firing_timers {
            crate::runq::Origin::Timer
        } else {
            crate::runq::Origin::Here
        };
        if crate::runq::push(level, n, origin) && self.sleeping > 0 {
            shared().1.notify_one();
        }
    }

    /// Whether process `n` is alive: in the table, and not running with
    /// an exit signal that will end it (to everyone but itself, it is
    /// dead already).
    pub fn alive(&self, n: u32) -> bool {
        self.meta.contains_key(&n) && self.running.get(&n).is_none_or(|r| r.killed.is_none())
    }

    /// Ends the VM with `out`: every scheduler stops at its next switch.
    pub fn finish(&mut self, out: Outcome) {
        if self.outcome.is_none() {
            self.outcome = Some(out);
        }
        wake_all();
    }

    /// Puts `m` in process `n`'s mailbox and wakes it; false when there is
    /// no such process (the message is dropped, as in Erlang).
    pub fn deliver_to(&mut self, n: u32, m: Message) -> bool {
        if crate::trace::active() {
            self.trace_receive(n, m.term);
        }
        self.deliver_quietly(n, m)
    }

    /// [`Sched::deliver_to`] with no `'receive'` trace event (trace
    /// messages to a tracer). Inlined: every message passes here.
    #[inline(always)]
    pub(crate) fn deliver_quietly(&mut self, n: u32, m: Message) -> bool {
        if let Some(r) = self.running.get_mut(&n) {
            r.inbox.push(m);
            INBOX_MESSAGES.fetch_add(1, Ordering::Relaxed);
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

    /// Sends process `n` the `noproc` DOWN message `m` of the monitor
    /// `key` it made of a dead pid or (`by_name`) of an unregistered name
    /// (see [`Running::own_downs`], [`Running::own_name_downs`]).
    pub fn send_own_down(&mut self, n: u32, key: u64, by_name: bool, m: Message) {
        match self.running.get_mut(&n) {
            Some(r) if by_name => r.own_name_downs.push(key),
            Some(r) => return r.own_downs.push((key, m)),
            None => {}
        }
        self.deliver_to(n, m);
    }

    /// Takes back the DOWN message of monitor `key` that the running
    /// process `n` sent itself and has not received; whether there was
    /// one (the monitor was still active, as BEAM sees it).
    pub fn take_own_down(&mut self, n: u32, key: u64) -> bool {
        let Some(r) = self.running.get_mut(&n) else {
            return false;
        };
        if let Some(i) = r.own_downs.iter().position(|(k, _)| *k == key) {
            r.own_downs.remove(i);
            return true;
        }
        let Some(i) = r.own_name_downs.iter().position(|&k| k == key) else {
            return false;
        };
        r.own_name_downs.swap_remove(i);
        // `'DOWN'` or the monitor's tag first.
        let is_it = |m: &Message| {
            m.term
                .as_tuple()
                .is_some_and(|t| t.len() == 5 && t.get(1).and_then(ref_key) == Some(key))
        };
        if let Some(j) = r.inbox.iter().position(is_it) {
            r.inbox.remove(j);
            INBOX_MESSAGES.fetch_sub(1, Ordering::Relaxed);
        }
        true
    }

    /// Drops the DOWN message of monitor `key` that reached the running
    /// process `n` but not yet its mailbox: on BEAM a DOWN signal still in
    /// transit when its monitor is demonitored is discarded, so
    /// `demonitor/1,2` guarantees that no DOWN for it arrives afterwards.
    pub fn drop_inflight_down(&mut self, n: u32, key: u64) -> bool {
        let Some(r) = self.running.get_mut(&n) else {
            return false;
        };
        let is_it = |m: &Message| {
            m.term
                .as_tuple()
                .is_some_and(|t| t.len() == 5 && t.get(1).and_then(ref_key) == Some(key))
        };
        let Some(j) = r.inbox.iter().position(is_it) else {
            return false;
        };
        r.inbox.remove(j);
        INBOX_MESSAGES.fetch_sub(1, Ordering::Relaxed);
        true
    }

    /// What reached the running process `n` so far, for its mailbox now
    /// that it yields (see [`Running::take_arrived`]).
    pub fn take_arrived(&mut self, n: u32) -> Vec<Message> {
        let r = self.running.get_mut(&n);
        r.map(Running::take_arrived).unwrap_or_default()
    }

    /// Puts a process made by [`Newborn::new`] in the table and queues
    /// it; its pid.
    pub(crate) fn admit(&mut self, born: Newborn) -> Term {
        let Newborn { n, proc_, meta } = born;
        let pid = meta.pid;
        if crate::trace::active() && meta.parent != NO_PARENT {
            if let State::New(what) = &proc_.state {
                let (what, args) = (*what, proc_.x.clone());
                self.trace_spawn(meta.parent, pid, &what, &args);
            }
        }
        self.procs.insert(n, proc_);
        self.meta.insert(n, meta);
        self.enqueue(n);
        pid
    }

    /// Takes process `n` out of the table to run it; `None` if it is
    /// not runnable (dead, suspended, or back to waiting since it was
    /// queued).
    pub fn take(&mut self, n: u32) -> Option<Box<Proc>> {
        if self.meta.get(&n).is_some_and(|m| m.suspend_count > 0) {
            // Queued again when resumed.
            return None;
        }
        let p = self.procs.remove(&n)?;
        if matches!(p.state, State::Waiting { .. } | State::Hibernating(_)) {
            self.procs.insert(n, p);
            return None;
        }
        self.running.insert(n, Running::default());
        Some(p)
    }

    /// Acts on every timer due at `now`.
    pub fn fire_timers(&mut self, now: Instant) {
        self.firing_timers = true;
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
        self.firing_timers = false;
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

/// Threads outside the schedulers that may still deliver messages (the
/// standard input reader): while one runs, processes that all wait are
/// not deadlocked.
static EXTERNAL_SOURCES: AtomicUsize = AtomicUsize::new(0);

/// A thread that delivers messages with [`deliver`] starts (`true`) or has
/// delivered its last (`false`).
pub fn external_source(running: bool) {
    if running {
        EXTERNAL_SOURCES.fetch_add(1, Ordering::SeqCst);
    } else {
        EXTERNAL_SOURCES.fetch_sub(1, Ordering::SeqCst);
        // A scheduler that found nothing to run may be asleep with no
        // timer: it looks again, and sees the deadlock if there is one.
        wake_all();
    }
}

/// Whether a thread outside the schedulers may still deliver messages.
pub(crate) fn external_sources() -> bool {
    EXTERNAL_SOURCES.load(Ordering::SeqCst) > 0
}

/// A new process that will run `what` with `args`; returns its pid.
pub fn spawn(what: Start, args: &[Term], opts: SpawnOpts) -> Term {
    let born = Newborn::new(what, args, opts);
    with(|s| s.admit(born))
}

/// Puts a message in `pid`'s mailbox and wakes it; a message to a process
/// that does not exist is dropped, as in Erlang.
pub fn deliver(pid: Term, m: Message) {
    if let Some(n) = pid_number(pid) {
        with(|s| s.deliver_to(n, m));
    }
}

/// The number of live processes (`system_info(process_count)`).
pub fn process_count() -> usize {
    with(|s| s.meta.keys().filter(|&&n| s.alive(n)).count())
}

/// The pid registered as `name`.
pub fn whereis(name: Atom) -> Option<Term> {
    with(|s| s.names.get(&name).copied())
}

/// Records that `init:stop/0,1` is stopping the system (see
/// [`Sched::stopping`]).
pub fn stop_pending() {
    with(|s| s.stopping = true);
}

/// Registers `pid` (a process or a port) as `name`.
///
/// # Errors
///
/// The `cause` BEAM's `error_info` gives when it cannot: `none` for the
/// name `undefined` or one already taken, or a closed port, `notalive`
/// for a process that is not alive, `registered_name` for one that has
/// a name already.
pub fn register(name: Atom, pid: Term) -> Result<(), &'static str> {
    with(|s| {
        if name == Atom::UNDEFINED {
            return Err("none");
        }
        if let Some(port) = pid.as_local_port() {
            let p = s.ports.get_mut(&port).ok_or("none")?;
            if p.registered.is_some() {
                return Err("registered_name");
            }
            if s.names.contains_key(&name) {
                return Err("none");
            }
            p.registered = Some(name);
            s.names.insert(name, pid);
            return Ok(());
        }
        let n = pid_number(pid).ok_or("none")?;
        let alive = s.alive(n);
        let Some(meta) = s.meta.get_mut(&n).filter(|_| alive) else {
            return Err("notalive");
        };
        if meta.name.is_some() {
            return Err("registered_name");
        }
        if s.names.contains_key(&name) {
            return Err("none");
        }
        meta.name = Some(name);
        s.names.insert(name, pid);
        if crate::trace::active() {
            s.trace_register(pid, name, true);
        }
        Ok(())
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

/// Collects process `n`'s heap where it waits or stopped at the end of a
/// slice (its live X registers are saved in its entry; one running on
/// another scheduler is asked by a signal instead:
/// `crate::info_request`). A full sweep when `major`, else a minor
/// collection; a process found over its `max_heap_size` is reported and,
/// with `kill`, killed. False when there is no such process. A process
/// not yet started has nothing to collect.
pub(crate) fn collect_stopped(s: &mut Sched, n: u32, major: bool) -> bool {
    let pid = pid_of(n);
    if !s.alive(n) {
        return false;
    }
    let Some(proc_) = s.procs.get_mut(&n) else {
        return false;
    };
    if matches!(proc_.state, State::New(_)) {
        return true;
    }
    let p = &mut proc_.p;
    if major {
        p.collect_major(&mut proc_.x, &mut []);
        if p.heap_oversized() {
            p.release_spare();
            p.collect_major(&mut proc_.x, &mut []);
        }
    } else {
        p.collect(&mut proc_.x, &mut []);
    }
    // Over `max_heap_size`, the process is reported and killed now, as
    // BEAM's is by the collection it runs for the request.
    if let Some(r) = p.take_max_heap_reached() {
        if let Some(born) = crate::instr::gc::max_heap_report(&r, p) {
            s.admit(born);
        }
        if r.limit.kill {
            s.exit_signal(pid, pid, Term::atom(Atom::KILL), Via::Exit2);
        }
    }
    crate::system_monitor::send(s, enigma_vm::gc::monitor::take_events());
    true
}

/// Moves the messages that reached the running process `p` since its
/// slice began (its `Running::inbox`) to the end of its mailbox, so a
/// `receive` that has looked at every message sees them before it waits
/// or times out; whether there were any.
pub fn absorb_inbox(p: &mut Process) -> bool {
    if INBOX_MESSAGES.load(Ordering::Relaxed) == 0 {
        return false;
    }
    let Some(n) = pid_number(p.pid) else {
        return false;
    };
    let inbox = with(|s| {
        s.running
            .get_mut(&n)
            .map(Running::take_inbox)
            .unwrap_or_default()
    });
    let arrived = !inbox.is_empty();
    p.mailbox.extend(inbox);
    arrived
}

/// Queues `m`, which the running process `p` sends itself, behind what
/// reached it earlier in its slice, as BEAM queues a message to oneself
/// behind those already sent to it (OTP's ssl sends itself `tcp_closed`
/// when `setopts` fails, and counts on the socket's data coming first).
pub fn send_to_self(p: &mut Process, m: Message) {
    absorb_inbox(p);
    p.mailbox.push_back(m);
}

/// The memory, in bytes, of every process that is not running (see
/// `Process::heap_stats`).
pub fn process_memory() -> usize {
    with(|s| {
        s.procs
            .values()
            .map(|proc_| proc_.p.heap_stats().memory_bytes)
            .sum()
    })
}

/// Whether `pid` is a live process.
pub fn is_alive(pid: Term) -> bool {
    pid_number(pid).is_some_and(|n| with(|s| s.alive(n)))
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
