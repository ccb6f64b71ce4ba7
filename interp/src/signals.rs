//! Links, monitors and exit signals, on the scheduler's state.
//!
//! A signal is acted on when it is sent, under the table's lock: an exit
//! signal kills a process that is not running at once (its own links and
//! monitors then signal in turn, through the `signals` queue rather than
//! recursion, so a chain of 100,000 links needs no native stack), and
//! signals between a pair of processes keep the order they were sent in.
//! A signal that must end a running process (on this scheduler or
//! another) is parked in its `Running::killed` and acted on when its
//! slice ends, or when its operation returns if it is the caller's
//! (`exit/2` is the only operation that can kill its caller). Messages to
//! a running process wait in its `Running::inbox`.

use enigma_vm::atom::Atom;
use enigma_vm::process::Message;
use enigma_vm::term::Term;

use crate::sched::{atom, copy_term, pid_number, ref_term, Sched};

/// A monitor: who watches, whom, the name it was set on (the `'DOWN'`
/// message then names `{Name, Node}`) and the `{tag, Tag}` option's tag
/// (a copy the message starts with instead of `'DOWN'`).
pub(crate) struct Monitor {
    pub watcher: Term,
    pub target: Term,
    pub name: Option<Atom>,
    pub tag: Option<Message>,
}

/// When an alias (a reference messages can be sent to) stops working.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AliasMode {
    /// At `unalias/1` only.
    Explicit,
    /// With its monitor (`demonitor`, or the `'DOWN'` message).
    Demonitor,
    /// With its monitor, or at the first message sent through it.
    ReplyDemonitor,
    /// At the first message sent through it.
    Reply,
}

/// Where an exit signal comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// A linked process ended.
    Link,
    /// `exit/2`.
    Exit2,
}

/// A signal not yet acted on: an exit signal, or the `'DOWN'` message of
/// a monitor whose target ended. An ending process queues its link exit
/// signals before its `'DOWN'` messages, the order BEAM sends them in (a
/// watcher that both links and monitors sees `'EXIT'` before `'DOWN'`).
pub(crate) enum Signal {
    Exit(Pending),
    Down(u32, Message),
}

/// An exit signal not yet acted on; the reason is owned by it.
pub(crate) struct Pending {
    to: Term,
    from: Term,
    reason: Message,
    via: Via,
}

/// What a process does with an exit signal.
enum Effect {
    Ignore,
    Message,
    Die(Term),
}

impl Sched {
    /// Links `a` and `b` (both sides); false when `b` is not alive.
    pub fn link(&mut self, a: Term, b: Term) -> bool {
        if let Some(port) = b.as_local_port() {
            return self.port_link(a, port);
        }
        let alive = |n: &u32| self.alive(*n);
        let Some(mb) = pid_number(b)
            .filter(alive)
            .and_then(|n| self.meta.get_mut(&n))
        else {
            return false;
        };
        if !mb.links.contains(&a) {
            mb.links.push(a);
        }
        if let Some(ma) = pid_number(a).and_then(|n| self.meta.get_mut(&n)) {
            if !ma.links.contains(&b) {
                ma.links.push(b);
            }
        }
        if crate::trace::active() {
            self.trace_link(a, b);
        }
        true
    }

    /// A `time_offset` monitor of `watcher` (its target the atom
    /// `clock_service`, which no process ending removes); its key.
    pub fn add_time_offset_monitor(&mut self, watcher: Term, tag: Option<Term>) -> u64 {
        let key = self.next_key();
        self.monitors.insert(
            key,
            Monitor {
                watcher,
                target: atom("clock_service"),
                name: None,
                tag: tag.map(copy_term),
            },
        );
        if let Some(m) = pid_number(watcher).and_then(|n| self.meta.get_mut(&n)) {
            m.watching.push(key);
        }
        key
    }

    /// Removes the link between `a` and `b`, if any.
    pub fn unlink(&mut self, a: Term, b: Term) {
        if let Some(port) = b.as_local_port() {
            return self.port_unlink(a, port);
        }
        let mut linked = false;
        for (x, y) in [(a, b), (b, a)] {
            if let Some(m) = pid_number(x).and_then(|n| self.meta.get_mut(&n)) {
                let before = m.links.len();
                m.links.retain(|&l| l != y);
                linked |= m.links.len() != before;
            }
        }
        if linked && crate::trace::active() {
            self.trace_unlink(a, b, true);
        }
    }

    /// A monitor of `watcher` on `target` (its `'DOWN'` message tagged
    /// `tag` if given); its key, or `None` when `target` is not alive.
    pub fn add_monitor(
        &mut self,
        watcher: Term,
        target: Term,
        name: Option<Atom>,
        tag: Option<Term>,
    ) -> Option<u64> {
        // A port is watched by its own entry, a process by its `Meta`.
        let process = match target.as_local_port() {
            Some(_) => None,
            None => Some(pid_number(target).filter(|&n| self.alive(n))?),
        };
        let key = self.next_key();
        if let Some(port) = target.as_local_port() {
            if !self.port_watch(port, key) {
                return None;
            }
        }
        self.monitors.insert(
            key,
            Monitor {
                watcher,
                target,
                name,
                tag: tag.map(copy_term),
            },
        );
        if let Some(m) = process.and_then(|tn| self.meta.get_mut(&tn)) {
            m.monitors.push(key);
        }
        if let Some(m) = pid_number(watcher).and_then(|n| self.meta.get_mut(&n)) {
            m.watching.push(key);
        }
        Some(key)
    }

    /// Makes reference `key` an alias of `owner`.
    pub fn add_alias(&mut self, key: u64, owner: Term, mode: AliasMode) {
        self.aliases.insert(key, (owner, mode));
        if let Some(m) = pid_number(owner).and_then(|n| self.meta.get_mut(&n)) {
            m.aliases.push(key);
        }
    }

    /// Deactivates alias `key`; false if it was not active.
    pub fn remove_alias(&mut self, key: u64) -> bool {
        let Some((owner, _)) = self.aliases.remove(&key) else {
            return false;
        };
        if let Some(m) = pid_number(owner).and_then(|n| self.meta.get_mut(&n)) {
            m.aliases.retain(|&k| k != key);
        }
        true
    }

    /// The process a message to alias `key` goes to, if the alias is
    /// active; a reply alias stops working with this message.
    pub fn alias_owner(&mut self, key: u64) -> Option<Term> {
        let &(owner, mode) = self.aliases.get(&key)?;
        match mode {
            AliasMode::Reply => {
                self.remove_alias(key);
            }
            AliasMode::ReplyDemonitor => {
                self.remove_alias(key);
                self.remove_monitor(key);
            }
            AliasMode::Explicit | AliasMode::Demonitor => {}
        }
        Some(owner)
    }

    /// The alias of monitor `key` goes with it, unless explicit.
    fn drop_monitor_alias(&mut self, key: u64) {
        if self
            .aliases
            .get(&key)
            .is_some_and(|&(_, mode)| mode != AliasMode::Explicit)
        {
            self.remove_alias(key);
        }
    }

    /// Removes monitor `key`; false if it was not active.
    pub fn remove_monitor(&mut self, key: u64) -> bool {
        self.drop_monitor_alias(key);
        let Some(mon) = self.monitors.remove(&key) else {
            return false;
        };
        if let Some(m) = pid_number(mon.target).and_then(|n| self.meta.get_mut(&n)) {
            m.monitors.retain(|&k| k != key);
        }
        if let Some(port) = mon.target.as_local_port() {
            self.port_unwatch(port, key);
        }
        if let Some(m) = pid_number(mon.watcher).and_then(|n| self.meta.get_mut(&n)) {
            m.watching.retain(|&k| k != key);
        }
        true
    }

    /// Sends an exit signal and acts on it and on every signal it causes.
    pub fn exit_signal(&mut self, to: Term, from: Term, reason: Term, via: Via) {
        self.signals.push_back(Signal::Exit(Pending {
            to,
            from,
            reason: copy_term(reason),
            via,
        }));
        self.flush_signals();
    }

    /// Queues an exit signal (acted on by [`Sched::flush_signals`]).
    pub(crate) fn queue_exit(&mut self, to: Term, from: Term, reason: Term, via: Via) {
        self.signals.push_back(Signal::Exit(Pending {
            to,
            from,
            reason: copy_term(reason),
            via,
        }));
    }

    /// Acts on the queued exit signals.
    pub fn flush_signals(&mut self) {
        while let Some(sig) = self.signals.pop_front() {
            match sig {
                Signal::Exit(sig) => self.act_on(sig),
                Signal::Down(to, down) => {
                    self.deliver_to(to, down);
                }
            }
        }
    }

    fn act_on(&mut self, sig: Pending) {
        if let Some(port) = sig.to.as_local_port() {
            return self.port_exit_signal(port, sig.from, sig.reason.term, sig.via);
        }
        let Some(n) = pid_number(sig.to) else { return };
        let Some(meta) = self.meta.get(&n) else {
            return;
        };
        let reason = sig.reason.term;
        let effect = if sig.via == Via::Exit2 && reason == Term::atom(Atom::KILL) {
            Effect::Die(Term::atom(Atom::KILLED))
        } else if meta.trap_exit {
            Effect::Message
        } else if reason != Term::atom(Atom::NORMAL)
            || (sig.via == Via::Exit2 && sig.from == sig.to)
        {
            // `exit(self(), normal)` ends a process that does not trap.
            Effect::Die(reason)
        } else {
            Effect::Ignore
        };
        match effect {
            Effect::Ignore => {}
            Effect::Message => {
                let mut m = sig.reason;
                m.term = m
                    .fragment
                    .tuple(&[Term::atom(Atom::EXIT), sig.from, m.term]);
                self.deliver_to(n, m);
            }
            Effect::Die(why) if self.running.contains_key(&n) => {
                if let Some(r) = self.running.get_mut(&n).filter(|r| r.killed.is_none()) {
                    r.killed = Some(copy_term(why));
                    // Dead to everyone else from now (`alive`): its name is
                    // free at once, as on BEAM once the signal is handled.
                    if let Some(name) = self.meta.get_mut(&n).and_then(|m| m.name.take()) {
                        self.names.remove(&name);
                    }
                }
            }
            Effect::Die(why) => {
                // `why` is an atom or lives in `sig.reason`, alive here.
                self.terminate(n, why);
                drop(sig);
            }
        }
    }

    /// The monitors `keys` on an ending process or port fire: their
    /// `'DOWN'` messages with `reason` are queued.
    pub(crate) fn fire_monitors(&mut self, keys: impl IntoIterator<Item = u64>, reason: Term) {
        for key in keys {
            self.drop_monitor_alias(key);
            let Some(mon) = self.monitors.remove(&key) else {
                continue;
            };
            if let Some(w) = pid_number(mon.watcher).and_then(|w| self.meta.get_mut(&w)) {
                w.watching.retain(|&k| k != key);
            }
            let down = down_message(key, &mon, reason);
            if let Some(w) = pid_number(mon.watcher) {
                self.signals.push_back(Signal::Down(w, down));
            }
        }
    }

    /// Process `n` ends with `reason` (alive while this runs): its
    /// monitors fire, its links get exit signals (queued), its name and
    /// receive timer go. Drops its `Proc` if it is in the table.
    pub fn terminate(&mut self, n: u32, reason: Term) {
        if crate::trace::active() {
            if let Some(m) = self.meta.get(&n) {
                let (pid, name) = (m.pid, m.name);
                self.trace_exit_event(pid, reason);
                if let Some(name) = name {
                    self.trace_register(pid, name, false);
                }
            }
        }
        let Some(meta) = self.meta.remove(&n) else {
            return;
        };
        if let Some(p) = self.procs.remove(&n) {
            if let Some(t) = p.p.recv_timer {
                self.timers.cancel(t.get());
            }
        }
        // While `init:stop` stops the system, its `halt` ends the VM.
        if self.main == Some(n) && !self.stopping {
            self.main_exit = Some(copy_term(reason));
        }
        if let Some(name) = meta.name {
            self.names.remove(&name);
        }
        self.release_suspendees(meta.suspending);
        for key in meta.aliases {
            self.aliases.remove(&key);
        }
        for key in meta.timers {
            self.timers.cancel(key);
        }
        for l in meta.links {
            if let Some(lm) = pid_number(l).and_then(|x| self.meta.get_mut(&x)) {
                lm.links.retain(|&x| x != meta.pid);
            }
            if crate::trace::active() {
                self.trace_unlink(meta.pid, l, false);
            }
            self.signals.push_back(Signal::Exit(Pending {
                to: l,
                from: meta.pid,
                reason: copy_term(reason),
                via: Via::Link,
            }));
        }
        if crate::trace::active() {
            self.trace_forget(n, meta.pid);
        }
        self.fire_monitors(meta.monitors, reason);
        for key in meta.watching {
            self.remove_monitor(key);
        }
        if let Some(hook) = OWNER_EXIT.get() {
            for (to, m) in hook(meta.pid, &|pid| {
                pid_number(pid).is_some_and(|x| self.alive(x))
            }) {
                if let Some(x) = pid_number(to) {
                    self.deliver_to(x, m);
                }
            }
        }
    }
}

/// What happens to the resources a dying process owns outside the
/// scheduler (ETS tables): given its pid and a liveness test, the
/// messages to send (`'ETS-TRANSFER'` to heirs). Runs under the
/// scheduler's lock.
pub type OwnerExit = fn(Term, &dyn Fn(Term) -> bool) -> Vec<(Term, Message)>;

static OWNER_EXIT: std::sync::OnceLock<OwnerExit> = std::sync::OnceLock::new();

/// Installs the owner-exit hook (once, at start-up).
pub fn set_owner_exit(hook: OwnerExit) {
    let _ = OWNER_EXIT.set(hook);
}

/// `{'DOWN', Ref, process, Object, Reason}` (`'DOWN'` replaced by the
/// monitor's tag if it has one) in its own fragment.
pub(crate) fn down_message(key: u64, mon: &Monitor, reason: Term) -> Message {
    let mut m = copy_term(reason);
    let h = &mut m.fragment;
    // The tag was copied once already, so it copies again.
    let tag = mon
        .tag
        .as_ref()
        .and_then(|t| enigma_vm::term::copy::copy_onto(t.term, h).ok())
        .unwrap_or_else(|| atom("DOWN"));
    let r = ref_term(h, key);
    let object = match mon.name {
        Some(name) => h.tuple(&[Term::atom(name), Term::atom(Atom::NONODE)]),
        None => mon.target,
    };
    // BEAM names a port's monitor `port` only when the reason is an
    // immediate; a port closed with a list or boxed reason sends `process`.
    let immediate = !(reason.is_list() || reason.is_boxed());
    let kind = if mon.target.as_local_port().is_some() && immediate {
        "port"
    } else {
        "process"
    };
    m.term = h.tuple(&[tag, r, atom(kind), object, m.term]);
    m
}
