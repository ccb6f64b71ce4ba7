//! Interpreter operations on processes (`crate::special` dispatches them
//! here): spawning, sending, links, monitors, exit signals, names, flags,
//! `yield` and `hibernate`. They are operations, not BIFs, because they
//! reach the scheduler, read the code position or end the caller.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::Message;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::instr::fun::fun_arity;
use crate::proc_info::Answer;
use crate::run::{Outcome, Run, Start, Step, Stop};
use crate::sched::{self, atom, pid_number, ref_key, ref_term, Priority, SpawnOpts};
use crate::signals::{down_message, AliasMode, Monitor, Via};
use crate::special::{bif_error, Op};

/// Runs process operation `op` with its arguments in x0..
pub(crate) fn call(run: &mut Run<'_>, op: Op, arity: u32) -> Step {
    let badarg = |run: &mut Run<'_>| Err(bif_error(run, op, arity, Exception::badarg()));
    let because = |run: &mut Run<'_>, cause: &str| {
        Err(bif_error(run, op, arity, Exception::badarg_because(cause)))
    };
    let x0 = run.x[0];
    let value = match op {
        Op::Spawn1 | Op::Spawn3 | Op::SpawnSystemProcess3 | Op::SpawnLink3 | Op::SpawnOpt4 => {
            match spawn(run, op) {
                Ok(v) => v,
                Err(e) => return Err(bif_error(run, op, arity, e)),
            }
        }
        Op::Send2 | Op::Bang => {
            run.send()?;
            run.x[0]
        }
        Op::Send3 => {
            // `nosuspend` and `noconnect` only concern distribution.
            let known = |o: Term| o == atom("nosuspend") || o == atom("noconnect");
            if !run.x[2]
                .proper_list()
                .is_some_and(|l| l.iter().all(|&o| known(o)))
            {
                return because(run, "badopt");
            }
            // A bad destination is reported by `send/3` itself.
            if sched::destination(x0).is_err() {
                return badarg(run);
            }
            // Another node is never connected: `noconnect` asks not to try.
            let noconnect = run.x[2].list_iter().any(|o| o == atom("noconnect"));
            if noconnect && on_other_node(x0) {
                atom("noconnect")
            } else {
                run.send()?;
                Term::atom(Atom::OK)
            }
        }
        // BEAM checks `monitor/3`'s options, then the type, then the item.
        Op::Monitor2 | Op::Monitor3 => {
            let o = if op == Op::Monitor3 {
                match monitor_options(run.x[2]) {
                    Some(o) => o,
                    None => return because(run, "badopt"),
                }
            } else {
                MonitorOptions::default()
            };
            if !matches!(
                x0.as_atom().map(|a| a.name()),
                Some("process" | "port" | "time_offset")
            ) {
                return because(run, "badtype");
            }
            match monitor(run, o.tag) {
                Some(r) => {
                    if let Some(k) = ref_key(r) {
                        add_monitor_alias(run.p.pid, k, o.alias);
                    }
                    r
                }
                None => return badarg(run),
            }
        }
        Op::Alias0 | Op::Alias1 => {
            let opts = if op == Op::Alias1 { x0 } else { Term::NIL };
            match alias_options(opts) {
                Some(mode) => {
                    let me = run.p.pid;
                    let k = sched::with(|s| {
                        let k = s.next_key();
                        s.add_alias(k, me, mode);
                        k
                    });
                    ref_term(&mut run.p.heap, k)
                }
                None => return badarg(run),
            }
        }
        Op::Unalias1 => match (x0.kind() == enigma_vm::term::Kind::Ref).then(|| ref_key(x0)) {
            Some(k) => {
                let me = run.p.pid;
                Term::bool(k.is_some_and(|k| {
                    sched::with(|s| {
                        let mine = s.aliases.get(&k).is_some_and(|&(o, _)| o == me);
                        mine && s.remove_alias(k)
                    })
                }))
            }
            None => return badarg(run),
        },
        Op::Demonitor1 | Op::Demonitor2 => match demonitor(run, op) {
            Some(v) => v,
            None => return badarg(run),
        },
        Op::GroupLeader0 => run.p.group_leader,
        Op::GroupLeader2 => match (x0.as_local_pid(), run.x[1]) {
            (Some(_), pid) if pid == run.p.pid => {
                run.p.group_leader = x0;
                Term::TRUE
            }
            (Some(_), pid) if set_group_leader(pid, x0) => Term::TRUE,
            _ => return badarg(run),
        },
        Op::Register2 => match (x0.as_atom(), run.x[1]) {
            (Some(name), t) if t.as_local_pid().is_some() || t.as_local_port().is_some() => {
                match sched::register(name, t) {
                    Ok(()) => Term::TRUE,
                    Err(cause) => return because(run, cause),
                }
            }
            _ => return because(run, "none"),
        },
        Op::Unregister1 => match x0.as_atom().filter(|&n| unregister(n)) {
            Some(_) => Term::TRUE,
            None => return badarg(run),
        },
        Op::Whereis1 => match x0.as_atom() {
            Some(name) => sched::whereis(name).unwrap_or(Term::atom(Atom::UNDEFINED)),
            None => return badarg(run),
        },
        Op::Registered0 => {
            let names: Vec<Term> =
                sched::with(|s| s.names.keys().map(|&a| Term::atom(a)).collect());
            run.p.heap.list(&names)
        }
        Op::Processes0 => {
            let mut ns: Vec<u32> =
                sched::with(|s| s.meta.keys().copied().filter(|&n| s.alive(n)).collect());
            ns.sort_unstable();
            let pids: Vec<Term> = ns.into_iter().map(sched::pid_of).collect();
            run.p.heap.list(&pids)
        }
        Op::IsProcessAlive => match x0.as_local_pid() {
            Some(_) => Term::bool(sched::is_alive(x0)),
            None => return badarg(run),
        },
        Op::Link1 => return link(run, op, arity),
        Op::Unlink1 => match x0
            .as_local_pid()
            .map(|_| ())
            .or(x0.as_local_port().map(|_| ()))
        {
            Some(()) => {
                let me = run.p.pid;
                sched::with(|s| s.unlink(me, x0));
                Term::TRUE
            }
            None if x0.kind() == enigma_vm::term::Kind::Port => Term::TRUE,
            None => return badarg(run),
        },
        Op::Exit2 => return exit2(run, op, arity),
        Op::ProcessFlag2 => match crate::proc_info::process_flag(run, x0, run.x[1]) {
            Ok(old) => old,
            Err(e) => return Err(bif_error(run, op, arity, e)),
        },
        Op::ProcessFlag3 => match crate::proc_info::process_flag_of(run, x0, run.x[1], run.x[2]) {
            Answer::Now(v) => v,
            Answer::Later(r) => return crate::info_request::await_reply(run, r),
        },
        Op::ProcessInfo1 | Op::ProcessInfo2 => {
            let item = (op == Op::ProcessInfo2).then_some(run.x[1]);
            match crate::proc_info::process_info(run, x0, item) {
                Some(Answer::Now(v)) => v,
                Some(Answer::Later(r)) => return crate::info_request::await_reply(run, r),
                None => return badarg(run),
            }
        }
        Op::ProcessDisplay2 => {
            if run.x[1].as_atom().map(|a| a.name()) != Some("backtrace") {
                return because(run, "badopt");
            }
            return process_display(run).unwrap_or_else(|| badarg(run));
        }
        Op::Yield0 => {
            run.set_budget(0);
            // Scheduled out: the signals that reached it are handled.
            if let Some(n) = pid_number(run.p.pid) {
                let arrived = sched::with(|s| s.take_arrived(n));
                run.p.mailbox.extend(arrived);
            }
            Term::TRUE
        }
        Op::Hibernate3 => return hibernate(run).unwrap_or_else(|| badarg(run)),
        Op::SuspendProcess1 | Op::SuspendProcess2 => match suspend(run, op) {
            Ok(v) => v,
            Err(Suspend::BadOpt) => return because(run, "badopt"),
            Err(Suspend::BadArg) => return badarg(run),
        },
        Op::SpawnRequest4 => crate::spawn_request::spawn_request(run),
        Op::SpawnRequestAbandon1 => match x0.kind() {
            // A local request is answered at once: none is outstanding.
            enigma_vm::term::Kind::Ref => Term::FALSE,
            _ => return badarg(run),
        },
        Op::ResumeProcess1 => {
            let me = run.p.pid;
            match x0.as_local_pid() {
                Some(_) if sched::with(|s| s.resume(me, x0)) => Term::TRUE,
                _ => return badarg(run),
            }
        }
        _ => return badarg(run),
    };
    run.x[0] = value;
    run.ret()
}

/// Whether `dest` names a process on another node: `{Name, Node}` of a
/// node other than this one, or another node's pid.
fn on_other_node(dest: Term) -> bool {
    match dest.as_tuple() {
        Some(t) => t
            .get(1)
            .and_then(|n| n.as_atom())
            .is_some_and(|n| n != Atom::NONODE),
        None => dest.kind() == enigma_vm::term::Kind::Pid && dest.as_local_pid().is_none(),
    }
}

/// `spawn/1,3`, `spawn_link/3`, `spawn_opt/4`: the pid, or `{Pid, Ref}`
/// with the `monitor` option; `badarg` for bad arguments (with the cause
/// `badopt` for bad options, as BEAM's).
fn spawn(run: &mut Run<'_>, op: Op) -> Result<Term, Exception> {
    let badopt = || Exception::badarg_because("badopt");
    let mut opts = SpawnOpts {
        group_leader: Some(run.p.group_leader),
        ..SpawnOpts::default()
    };
    // BEAM's `spawn_opt/4` checks its options before its arguments.
    let (mut link, mut monitor) = (op == Op::SpawnLink3, None);
    if op == Op::SpawnOpt4 {
        for o in run.x[3].proper_list().ok_or_else(badopt)? {
            match spawn_option(o, &mut opts).ok_or_else(badopt)? {
                SpawnFlag::Link => link = true,
                SpawnFlag::Monitor(m) => monitor = Some(m),
                SpawnFlag::Other => {}
            }
        }
        heap_limits_agree(&opts).then_some(()).ok_or_else(badopt)?;
    }
    let (what, args) = if op == Op::Spawn1 {
        spawn1_start(run.x[0]).ok_or_else(Exception::badarg)?
    } else {
        let mfa = run.x[0]
            .as_atom()
            .zip(run.x[1].as_atom())
            .zip(run.x[2].proper_list());
        let ((m, f), args) = mfa.ok_or_else(Exception::badarg)?;
        (Start::Apply(m, f, args.len() as u32), args)
    };
    let monitored = monitor.is_some();
    let (pid, key) = spawn_with(run.p.pid, what, &args, opts, link, monitor);
    if !monitored {
        return Ok(pid);
    }
    let r = ref_term(&mut run.p.heap, key.ok_or_else(Exception::badarg)?);
    Ok(run.p.heap.tuple(&[pid, r]))
}

/// What `spawn(F)` starts, as `erlang.erl`'s `spawn/1`: a fun of arity 0
/// itself; any other fun, or a `{Module, Function}` pair, through
/// `erlang:apply(F, [])`, so the new process dies with `badarity` or
/// `badfun` as on BEAM. `None` for anything else.
fn spawn1_start(f: Term) -> Option<(Start, Vec<Term>)> {
    match fun_arity(f) {
        Some(0) => return Some((Start::Fun(f), Vec::new())),
        Some(_) => {}
        None => {
            let t = f.as_tuple().filter(|t| t.len() == 2)?;
            t.get(0)?.as_atom()?;
            t.get(1)?.as_atom()?;
        }
    }
    let apply = Export::get_or_create(Atom::ERLANG, Atom::intern("apply").ok()?, 2);
    Some((Start::Export(apply), vec![f, Term::NIL]))
}

/// Spawns for `parent`, linked and monitored by it as asked: the pid
/// and the monitor's key.
pub(crate) fn spawn_with(
    parent: Term,
    what: Start,
    args: &[Term],
    opts: SpawnOpts,
    link: bool,
    monitor: Option<MonitorOptions>,
) -> (Term, Option<u64>) {
    let opts = SpawnOpts {
        parent: Some(parent),
        ..opts
    };
    let born = sched::Newborn::new(what, args, opts);
    // In one critical section: another scheduler may run the new process
    // (and see it end) as soon as the lock is released.
    sched::with(|s| {
        let pid = s.admit(born);
        if link {
            s.link(parent, pid);
        }
        let key = monitor.and_then(|m| {
            let k = s.add_monitor(parent, pid, None, m.tag)?;
            if let Some(mode) = m.alias {
                s.add_alias(k, parent, mode);
            }
            Some(k)
        });
        (pid, key)
    })
}

/// Why `suspend_process/1,2` fails.
enum Suspend {
    /// A bad option (checked after the pid's type): cause `badopt`.
    BadOpt,
    /// A bad or dead pid, or the caller itself: `badarg`.
    BadArg,
}

/// `suspend_process/1,2`: whether a suspension was added. Options:
/// `unless_suspending`, `asynchronous` (the suspension is made at once
/// either way) and `{asynchronous, Tag}` (also sends `{Tag, suspended}`
/// to the caller).
fn suspend(run: &mut Run<'_>, op: Op) -> Result<Term, Suspend> {
    let target = run.x[0];
    // The pid is checked first: a non-pid or the caller itself.
    if target.as_local_pid().is_none() || target == run.p.pid {
        return Err(Suspend::BadArg);
    }
    let (mut unless, mut reply) = (false, None);
    if op == Op::SuspendProcess2 {
        for o in run.x[1].proper_list().ok_or(Suspend::BadOpt)? {
            match (o.as_atom().map(|a| a.name()), o.as_tuple()) {
                (Some("unless_suspending"), _) => unless = true,
                (Some("asynchronous"), _) => {}
                (None, Some(t)) if t.len() == 2 && t.get(0) == Some(atom("asynchronous")) => {
                    reply = t.get(1);
                }
                _ => return Err(Suspend::BadOpt),
            }
        }
    }
    let me = run.p.pid;
    let added = sched::with(|s| s.suspend(me, target, unless)).ok_or(Suspend::BadArg)?;
    if let Some(tag) = reply.filter(|_| added) {
        let m = run.p.heap.tuple(&[tag, atom("suspended")]);
        let m = enigma_vm::process::Message::copy(m).map_err(|_| Suspend::BadArg)?;
        sched::send_to_self(run.p, m);
    }
    Ok(Term::bool(added))
}

pub(crate) enum SpawnFlag {
    Link,
    Monitor(MonitorOptions),
    Other,
}

/// Whether a `max_heap_size` among `spawn_opt`'s options is no limit or
/// at least the `min_heap_size` (BEAM rejects the options otherwise).
fn heap_limits_agree(opts: &SpawnOpts) -> bool {
    let flag = |name: &str| opts.flags.iter().rev().find(|(k, _)| k.name() == name);
    let Some(max) = flag("max_heap_size").and_then(|&(_, v)| {
        enigma_vm::gc::MaxHeapSize::from_term(v, crate::defaults::max_heap_size())
    }) else {
        return true;
    };
    let min = flag("min_heap_size")
        .and_then(|(_, v)| v.as_small())
        .unwrap_or(0);
    let least = crate::defaults::Setting::MinHeapSize.get() as i64;
    max.size == 0 || max.size as i64 >= min.max(least)
}

/// One `spawn_opt` option; `None` if BEAM rejects it.
pub(crate) fn spawn_option(o: Term, opts: &mut SpawnOpts) -> Option<SpawnFlag> {
    if let Some(a) = o.as_atom() {
        return match a.name() {
            "link" => Some(SpawnFlag::Link),
            "monitor" => Some(SpawnFlag::Monitor(MonitorOptions::default())),
            _ => None,
        };
    }
    let t = o.as_tuple().filter(|t| t.len() == 2)?;
    let (key, v) = (t.get(0)?.as_atom()?, t.get(1)?);
    let count = || v.as_small().filter(|&n| n >= 0).map(|_| SpawnFlag::Other);
    match key.name() {
        "monitor" => monitor_options(v).map(SpawnFlag::Monitor),
        "priority" => {
            opts.priority = Priority::from_term(v)?;
            Some(SpawnFlag::Other)
        }
        "min_heap_size" => {
            let r = count()?;
            let words = crate::proc_info::heap_size_step(v.as_small()?);
            opts.flags.push((key, Term::small(words)));
            Some(r)
        }
        "fullsweep_after" => {
            let r = count()?;
            opts.flags.push((key, v));
            Some(r)
        }
        // Taken, but BEAM's `process_info` still reports its default.
        "min_bin_vheap_size" => count(),
        "max_heap_size" => {
            enigma_vm::gc::MaxHeapSize::from_term(v, crate::defaults::max_heap_size())?;
            opts.flags.push((key, v));
            Some(SpawnFlag::Other)
        }
        "message_queue_data" => {
            matches!(v.as_atom().map(|a| a.name()), Some("off_heap" | "on_heap")).then(|| {
                opts.flags.push((key, v));
                SpawnFlag::Other
            })
        }
        _ => None,
    }
}

/// `monitor(process, Pid | Name | {Name, Node})` or `monitor(time_offset,
/// clock_service)`, its `'DOWN'` message tagged `tag` if given; `None`
/// for bad arguments.
fn monitor(run: &mut Run<'_>, tag: Option<Term>) -> Option<Term> {
    if run.x[0] == atom("time_offset") && run.x[1] == atom("clock_service") {
        // Time never warps here (BEAM's default `no_time_warp` mode): the
        // monitor exists until `demonitor` and never fires.
        let me = run.p.pid;
        let k = sched::with(|s| s.add_time_offset_monitor(me, tag));
        return Some(ref_term(&mut run.p.heap, k));
    }
    let item = run.x[1];
    let port = run.x[0] == atom("port");
    if !port && run.x[0] != atom("process") {
        return None;
    }
    let name = if port && item.as_local_port().is_some() || !port && item.as_local_pid().is_some() {
        None
    } else if let Some(a) = item.as_atom() {
        Some(a)
    } else {
        let t = item.as_tuple().filter(|t| t.len() == 2)?;
        let (n, node) = (t.get(0)?.as_atom()?, t.get(1)?);
        if node != Term::atom(Atom::NONODE) {
            return None;
        }
        Some(n)
    };
    let target = match name {
        // No port is registered under a name.
        Some(_) if port => None,
        Some(n) => sched::whereis(n),
        None => Some(item),
    };
    let me = run.p.pid;
    if target == Some(me) {
        // BEAM gives a reference and sets no monitor.
        let k = sched::with(|s| s.next_key());
        return Some(ref_term(&mut run.p.heap, k));
    }
    let key = target.and_then(|t| sched::with(|s| s.add_monitor(me, t, name, tag)));
    if let Some(k) = key {
        return Some(ref_term(&mut run.p.heap, k));
    }
    let k = sched::with(|s| s.next_key());
    let mon = Monitor {
        watcher: me,
        target: item,
        name,
        tag: tag.map(sched::copy_term),
    };
    // A signal to itself, as on BEAM: it reaches the mailbox when the
    // process next looks at its inbox, and `demonitor` can take it back
    // before that.
    let down = down_message(k, &mon, Term::atom(Atom::NOPROC));
    match pid_number(me) {
        Some(n) => sched::with(|s| s.send_own_down(n, k, name.is_some(), down)),
        None => sched::send_to_self(run.p, down),
    }
    Some(ref_term(&mut run.p.heap, k))
}

/// What `monitor/3`'s options, and `spawn_opt`'s `{monitor, Options}`,
/// ask for.
#[derive(Default)]
pub(crate) struct MonitorOptions {
    /// `{alias, Mode}`: the reference is also an alias.
    alias: Option<AliasMode>,
    /// `{tag, Tag}`: the `'DOWN'` message starts with `Tag`.
    tag: Option<Term>,
}

/// The options of a monitor; `None` for a bad option. Later options
/// override earlier ones.
fn monitor_options(opts: Term) -> Option<MonitorOptions> {
    let mut o = MonitorOptions::default();
    for x in opts.proper_list()? {
        let t = x.as_tuple().filter(|t| t.len() == 2)?;
        let v = t.get(1)?;
        match t.get(0)?.as_atom()?.name() {
            "alias" => {
                o.alias = Some(match v.as_atom()?.name() {
                    "explicit_unalias" => AliasMode::Explicit,
                    "demonitor" => AliasMode::Demonitor,
                    "reply_demonitor" => AliasMode::ReplyDemonitor,
                    _ => return None,
                })
            }
            "tag" => o.tag = Some(v),
            _ => return None,
        }
    }
    Some(o)
}

/// Makes monitor reference `k` an alias of `me`; one that goes with its
/// monitor is not made when the monitor is already gone (`noproc`).
fn add_monitor_alias(me: Term, k: u64, mode: Option<AliasMode>) {
    let Some(mode) = mode else {
        return;
    };
    sched::with(|s| {
        if mode == AliasMode::Explicit || s.monitors.contains_key(&k) {
            s.add_alias(k, me, mode);
        }
    });
}

/// The mode `alias/1`'s options ask for; `None` for a bad option.
fn alias_options(opts: Term) -> Option<AliasMode> {
    let mut mode = AliasMode::Explicit;
    for o in opts.proper_list()? {
        match o.as_atom()?.name() {
            "explicit_unalias" => mode = AliasMode::Explicit,
            "reply" => mode = AliasMode::Reply,
            _ => return None,
        }
    }
    Some(mode)
}

/// `demonitor/1,2`; `None` for bad arguments.
fn demonitor(run: &mut Run<'_>, op: Op) -> Option<Term> {
    let r = run.x[0];
    if r.kind() != enigma_vm::term::Kind::Ref {
        return None;
    }
    let (mut flush, mut info) = (false, false);
    if op == Op::Demonitor2 {
        for o in run.x[1].proper_list()? {
            match o.as_atom()?.name() {
                "flush" => flush = true,
                "info" => info = true,
                _ => return None,
            }
        }
    }
    let me = run.p.pid;
    let removed = ref_key(r).is_some_and(|k| {
        sched::with(|s| {
            let mine = s.monitors.get(&k).is_some_and(|m| m.watcher == me);
            (mine && s.remove_monitor(k))
                || pid_number(me)
                    .is_some_and(|n| s.take_own_down(n, k) || s.drop_inflight_down(n, k))
        })
    });
    if flush {
        flush_down(run, r);
    }
    Some(if info {
        Term::bool(removed)
    } else {
        Term::TRUE
    })
}

/// Removes `{_, Ref, _, _, _}` messages (`demonitor/2`'s `flush`; the
/// first element is `'DOWN'` or the monitor's tag).
fn flush_down(run: &mut Run<'_>, reference: Term) {
    run.p.mailbox.retain(|m| {
        !m.term.as_tuple().is_some_and(|t| {
            t.len() == 5
                && t.get(1)
                    .is_some_and(|r| enigma_vm::term::order::eq_exact(r, reference))
        })
    });
    run.p.recv_cursor = 0;
    run.p.recv_markers.forget();
}

/// Sets the group leader of another process; false if it is not alive.
fn set_group_leader(pid: Term, leader: Term) -> bool {
    let Some(n) = pid_number(pid) else {
        return false;
    };
    sched::with(|s| {
        if let Some(proc_) = s.procs.get_mut(&n) {
            proc_.p.group_leader = leader;
            return true;
        }
        // Running on another scheduler: it takes it when its slice ends.
        match s.running.get_mut(&n) {
            Some(r) => {
                r.group_leader = Some(leader);
                true
            }
            None => false,
        }
    })
}

/// `unregister/1`: false if `name` is not registered.
fn unregister(name: Atom) -> bool {
    sched::with(|s| {
        let Some(pid) = s.names.remove(&name) else {
            return false;
        };
        if let Some(m) = pid_number(pid).and_then(|n| s.meta.get_mut(&n)) {
            m.name = None;
        }
        if let Some(p) = pid.as_local_port().and_then(|n| s.ports.get_mut(&n)) {
            p.registered = None;
        }
        if crate::trace::active() {
            s.trace_register(pid, name, false);
        }
        true
    })
}

/// `link/1`: a dead process gives a trapping caller `{'EXIT', Pid,
/// noproc}` and raises `noproc` in any other.
fn link(run: &mut Run<'_>, op: Op, arity: u32) -> Step {
    let (me, pid) = (run.p.pid, run.x[0]);
    if pid.as_local_pid().is_none() && pid.as_local_port().is_none() {
        if pid.kind() == enigma_vm::term::Kind::Port {
            run.x[0] = Term::TRUE;
            return run.ret();
        }
        return Err(bif_error(run, op, arity, Exception::badarg()));
    }
    if pid != me && !sched::with(|s| s.link(me, pid)) {
        let trapping = sched::with(|s| {
            pid_number(me)
                .and_then(|n| s.meta.get(&n))
                .is_some_and(|m| m.trap_exit)
        });
        if !trapping {
            let e = Exception::error(Term::atom(Atom::NOPROC));
            return Err(bif_error(run, op, arity, e));
        }
        let mut m = sched::copy_term(Term::atom(Atom::NOPROC));
        m.term = m.fragment.tuple(&[Term::atom(Atom::EXIT), pid, m.term]);
        sched::send_to_self(run.p, m);
    }
    run.x[0] = Term::TRUE;
    run.ret()
}

/// `exit/2`. The signal may end the caller (to itself, or back through a
/// chain of links), which then stops at once.
fn exit2(run: &mut Run<'_>, op: Op, arity: u32) -> Step {
    let (to, reason) = (run.x[0], run.x[1]);
    if to.as_local_pid().is_none() && to.as_local_port().is_none() {
        if to.kind() == enigma_vm::term::Kind::Port {
            run.x[0] = Term::TRUE;
            return run.ret();
        }
        return Err(bif_error(run, op, arity, Exception::badarg()));
    }
    let me = run.p.pid;
    let (inbox, killed) = sched::with(|s| {
        s.exit_signal(to, me, reason, Via::Exit2);
        let r = pid_number(me).and_then(|n| s.running.get_mut(&n));
        r.map(|r| (r.take_inbox(), r.killed.take()))
            .unwrap_or_default()
    });
    run.p.mailbox.extend(inbox);
    if let Some(why) = killed {
        let r = copy_onto(run, why);
        return Err(Stop::Done(Outcome::Raised(Exception::exit(r), Term::NIL)));
    }
    run.x[0] = Term::TRUE;
    run.ret()
}

/// A message's term, copied onto the running process's heap.
fn copy_onto(run: &mut Run<'_>, m: Message) -> Term {
    enigma_vm::term::copy::copy_onto(m.term, &mut run.p.heap).unwrap_or(Term::atom(Atom::KILLED))
}

/// `erlang:hibernate(M, F, Args)`: drops the stack and waits for a
/// message, then calls `M:F(Args...)` afresh.
fn hibernate(run: &mut Run<'_>) -> Option<Step> {
    let (m, f) = (run.x[0].as_atom()?, run.x[1].as_atom()?);
    let arity = run.x[2].proper_list()?.len();
    let e = Export::get_or_create(m, f, arity as u32);
    run.truncate_stack(0);
    // Its heap shrinks to what the arguments hold (they move).
    run.sync_stack();
    run.p.collect_hibernate(&mut run.x[2..3]);
    let args = run.x[2].proper_list()?;
    let me = pid_number(run.p.pid);
    sched::with(|s| {
        if let Some(r) = me.and_then(|n| s.running.get_mut(&n)) {
            r.hibernate = Some((Start::Export(e), args));
        }
    });
    Some(Err(Stop::Done(Outcome::Waiting {
        id: run.id,
        on_message: run.pc(),
        on_timeout: run.pc(),
        timeout_ms: None,
    })))
}

/// `erlang:process_display(Pid, backtrace)` (its type checked): the
/// backtrace of a live local process on standard error, as BEAM prints
/// it; continues in `enigma_boot:process_display/1`, which reads it
/// through `process_info(Pid, backtrace)` (another process may be running
/// on another scheduler) and answers `true`. `None`: `badarg`.
fn process_display(run: &mut Run<'_>) -> Option<Step> {
    let pid = run.x[0];
    if pid.as_local_pid().is_none() || !sched::is_alive(pid) {
        return None;
    }
    let (Ok(m), Ok(f)) = (Atom::intern("enigma_boot"), Atom::intern("process_display")) else {
        return Some(Err(Exception::system_limit().into()));
    };
    Some(run.enter_export(Export::get_or_create(m, f, 1), 1))
}
