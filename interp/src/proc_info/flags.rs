//! `process_flag/2,3` and the items that read a flag back: `trap_exit`,
//! `priority`, `error_handler`, `message_queue_data`,
//! `min_bin_vheap_size`, and the tracing items, which nothing sets here.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::saved_calls::{SavedCall, SavedCalls};
use enigma_vm::term::{Heap, Term};

use super::{Answer, View};
use crate::info_request::{self, Asked};
use crate::run::Run;
use crate::sched::{self, atom, pid_number, Meta, Priority, Sched};

/// The value of flag item `name`; `None` if it is not one.
pub(super) fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    Some(match name {
        "trap_exit" => Term::bool(v.meta.trap_exit),
        "priority" => v.meta.priority.term(),
        "error_handler" | "message_queue_data" | "min_bin_vheap_size" => flag(v.meta, name),
        "last_calls" => match &v.last_calls {
            None => Term::FALSE,
            Some(calls) => last_calls(heap, calls),
        },
        "sequential_trace_token" | "magic_ref" => Term::NIL,
        "trace" => Term::small(0),
        _ => return None,
    })
}

/// `(name, default)` of the flags that `process_flag/2` sets and that
/// only read back here.
const FLAG_DEFAULTS: &[(&str, FlagValue)] = &[
    ("min_bin_vheap_size", FlagValue::Count(MIN_BIN_VHEAP_SIZE)),
    ("fullsweep_after", FlagValue::Count(65535)),
    ("message_queue_data", FlagValue::Atom("on_heap")),
    ("error_handler", FlagValue::Atom("error_handler")),
    ("sensitive", FlagValue::Atom("false")),
];

/// BEAM's least `min_bin_vheap_size` for `process_flag/2`, in words.
const MIN_BIN_VHEAP_SIZE: i64 = crate::defaults::MIN_BIN_VHEAP_SIZE as i64;

#[derive(Clone, Copy)]
enum FlagValue {
    Count(i64),
    Atom(&'static str),
}

/// The value of flag `name` of a process: set, or its default.
pub(super) fn flag(meta: &Meta, name: &str) -> Term {
    let set = meta.flags.iter().find(|(a, _)| a.name() == name);
    if let Some(&(_, v)) = set {
        return v;
    }
    match FLAG_DEFAULTS.iter().find(|(n, _)| *n == name) {
        Some((_, FlagValue::Count(c))) => Term::small(*c),
        Some((_, FlagValue::Atom(a))) => atom(a),
        None => Term::atom(Atom::UNDEFINED),
    }
}

/// `process_flag(Flag, Value)`: the old value. An unknown flag is
/// `badarg` with the cause `badopt`, a bad value plain `badarg` (`none`
/// for `save_calls`), as BEAM's.
pub(crate) fn process_flag(run: &mut Run<'_>, flag_: Term, value: Term) -> Result<Term, Exception> {
    if let Some(kind) = node_monitor_kind(flag_) {
        return node_monitors(run, kind.ok_or_else(Exception::badarg)?, value);
    }
    let badopt = || Exception::badarg_because("badopt");
    let name = flag_.as_atom().ok_or_else(badopt)?.name();
    if !FLAGS.contains(&name) {
        return Err(badopt());
    }
    let bad = || {
        if name == "save_calls" {
            Exception::badarg_because("none")
        } else {
            Exception::badarg()
        }
    };
    let n = pid_number(run.p.pid).ok_or_else(bad)?;
    let is_bool = value == Term::TRUE || value == Term::FALSE;
    let count = value.as_small().filter(|&v| v >= 0);
    match name {
        "max_heap_size" => {
            let m = enigma_vm::gc::MaxHeapSize::from_term(value, crate::defaults::max_heap_size())
                .ok_or_else(bad)?;
            let min = run.p.heap_stats().min_heap_size;
            if m.size != 0 && m.size < min {
                return Err(bad());
            }
            let old = run.p.set_max_heap_size(m);
            return Ok(old.to_term(&mut run.p.heap));
        }
        "min_heap_size" => {
            // Never below the system's (`system_flag/2`), as on BEAM.
            let least = crate::defaults::Setting::MinHeapSize.get();
            let words = (count.ok_or_else(bad)? as usize).max(least);
            let old = Term::small(run.p.heap_stats().min_heap_size as i64);
            run.p.set_min_heap_size(words);
            return Ok(old);
        }
        "save_calls" => {
            let old = set_save_calls(run.p, save_calls(value).ok_or_else(bad)?);
            saving_changed(run);
            return Ok(old);
        }
        "fullsweep_after" => {
            count.ok_or_else(bad)?;
            let old = Term::small(run.p.heap_stats().fullsweep_after as i64);
            run.p.set_gc_option(name, value);
            return Ok(old);
        }
        _ => {}
    }
    sched::with(|s| {
        let meta = s.meta.get_mut(&n)?;
        match name {
            "trap_exit" if is_bool => {
                let old = Term::bool(meta.trap_exit);
                meta.trap_exit = value == Term::TRUE;
                Some(old)
            }
            "priority" => {
                let p = Priority::from_term(value)?;
                Some(std::mem::replace(&mut meta.priority, p).term())
            }
            "min_bin_vheap_size" => {
                let words = heap_size_step(count?).max(MIN_BIN_VHEAP_SIZE);
                Some(set_flag(meta, name, Term::small(words)))
            }
            "sensitive" if is_bool => Some(set_flag(meta, name, value)),
            "error_handler" => {
                value.as_atom()?;
                Some(set_flag(meta, name, value))
            }
            "message_queue_data" => {
                matches!(value.as_atom()?.name(), "on_heap" | "off_heap").then_some(())?;
                Some(set_flag(meta, name, value))
            }
            _ => None,
        }
    })
    .ok_or_else(bad)
}

/// The kind of node monitor a `process_flag/2` flag names, `None` if it
/// names none: `monitor_nodes` (what `net_kernel:monitor_nodes/1` sets:
/// list-format messages), or `{monitor_nodes, Options}` with the map of
/// options `net_kernel:monitor_nodes/2` builds, `Some(None)` if those are
/// bad. As BEAM's `erts_monitor_nodes`, the options that change the
/// messages make the kind: `list`, `nodedown_reason`, `connection_id`
/// (bits 0-2) and `node_type` if given (`visible`, `hidden` or `all`:
/// bits 3-4, none when not given).
fn node_monitor_kind(flag: Term) -> Option<Option<u8>> {
    if flag.as_atom().is_some_and(|a| a.name() == "monitor_nodes") {
        return Some(Some(1));
    }
    let t = flag.as_tuple().filter(|t| t.len() == 2)?;
    let (tag, opts) = (t.get(0)?, t.get(1)?);
    if tag.as_atom().map(|a| a.name()) != Some("monitor_nodes") {
        return None;
    }
    if !opts.is_map() {
        return Some(None);
    }
    let mut kind = 0u8;
    for (k, v) in enigma_vm::term::map::entries(opts) {
        let on = v == Term::TRUE;
        let bit = match (k.as_atom().map(|a| a.name()), v.as_atom().map(|a| a.name())) {
            (Some("list"), Some("true" | "false")) => u8::from(on),
            (Some("nodedown_reason"), Some("true" | "false")) => u8::from(on) << 1,
            (Some("connection_id"), Some("true" | "false")) => u8::from(on) << 2,
            (Some("node_type"), Some("visible")) => 1 << 3,
            (Some("node_type"), Some("hidden")) => 2 << 3,
            (Some("node_type"), Some("all")) => 3 << 3,
            _ => return Some(None),
        };
        kind |= bit;
    }
    Some(Some(kind))
}

/// `process_flag(monitor_nodes, Bool)`: how many times the process had
/// turned on node monitors of `kind`; `true` adds one, `false` removes
/// them all, as on BEAM.
fn node_monitors(run: &mut Run<'_>, kind: u8, value: Term) -> Result<Term, Exception> {
    if value != Term::TRUE && value != Term::FALSE {
        return Err(Exception::badarg());
    }
    let n = pid_number(run.p.pid).ok_or_else(Exception::badarg)?;
    sched::with(|s| {
        let meta = s.meta.get_mut(&n)?;
        let at = meta.node_monitors.iter().position(|&(k, _)| k == kind);
        let old = at.map_or(0, |i| meta.node_monitors[i].1);
        match (at, value == Term::TRUE) {
            (Some(i), true) => meta.node_monitors[i].1 += 1,
            (None, true) => meta.node_monitors.push((kind, 1)),
            (Some(i), false) => {
                meta.node_monitors.swap_remove(i);
            }
            (None, false) => {}
        }
        Some(Term::small(i64::from(old)))
    })
    .ok_or_else(Exception::badarg)
}

/// The flags `process_flag/2` takes.
const FLAGS: &[&str] = &[
    "trap_exit",
    "priority",
    "min_heap_size",
    "min_bin_vheap_size",
    "max_heap_size",
    "fullsweep_after",
    "save_calls",
    "sensitive",
    "error_handler",
    "message_queue_data",
];

/// A `save_calls` value: 0 to 10,000 (BEAM's limit).
fn save_calls(value: Term) -> Option<i64> {
    value.as_small().filter(|v| (0..=10_000).contains(v))
}

/// `erts_internal:process_flag(Pid, Flag, Value)`, as `erlang.erl`'s
/// `process_flag/3` calls it: only `save_calls` can be set on another
/// process; the old value, `badtype` for a pid that is not a live local
/// process, `badarg` for another flag or a bad value. A process running
/// on another scheduler is asked by a signal (`crate::info_request`).
pub(crate) fn process_flag_of(run: &mut Run<'_>, pid: Term, flag_: Term, value: Term) -> Answer {
    let ok = flag_.as_atom().is_some_and(|a| a.name() == "save_calls");
    let Some(n) = pid_number(pid).filter(|_| pid.as_local_pid().is_some()) else {
        return Answer::Now(atom("badtype"));
    };
    let size = save_calls(value).filter(|_| ok);
    if pid == run.p.pid {
        let Some(size) = size else {
            return Answer::Now(atom("badarg"));
        };
        let old = set_save_calls(run.p, size);
        saving_changed(run);
        return Answer::Now(old);
    }
    let from = run.p.pid;
    let mut s = sched::lock();
    if !s.alive(n) {
        return Answer::Now(atom("badtype"));
    }
    let Some(size) = size else {
        return Answer::Now(atom("badarg"));
    };
    if info_request::runs_elsewhere(&s, n) {
        let key = info_request::ask(&mut s, n, from, Asked::SaveCalls(size));
        drop(s);
        return Answer::Later(sched::ref_term(&mut run.p.heap, key));
    }
    Answer::Now(save_calls_of_stopped(&mut s, n, size))
}

/// After `save_calls` was set on the running process: when it starts or
/// stops saving, its slice ends at the next call, as BEAM's does (whose
/// JIT saves calls from the next time the process is scheduled in: the
/// calls through export entries, `receive`s and timeouts until then are
/// not saved, its `send`s are).
fn saving_changed(run: &mut Run<'_>) {
    if (run.export_floor != 0) != run.p.saved_calls.is_some() {
        if run.p.saved_calls.is_none() {
            run.export_floor = 0;
        }
        run.set_budget(0);
    }
}

/// Sets the `save_calls` size of process `n`, not running: its old size.
pub(crate) fn save_calls_of_stopped(s: &mut Sched, n: u32, size: i64) -> Term {
    if !s.alive(n) {
        return atom("badtype");
    }
    match s.procs.get_mut(&n) {
        Some(proc_) => set_save_calls(&mut proc_.p, size),
        None => atom("badtype"),
    }
}

/// Starts saving the last `size` calls of `p` afresh (0: stops): the old
/// size.
fn set_save_calls(p: &mut Process, size: i64) -> Term {
    let old = p.saved_calls.as_ref().map_or(0, |c| c.size());
    p.saved_calls = (size > 0).then(|| Box::new(SavedCalls::new(size as usize)));
    Term::small(old as i64)
}

/// `last_calls`' list: `{M, F, A}`, `send`, `'receive'`, `timeout`.
fn last_calls(heap: &mut Heap, calls: &[SavedCall]) -> Term {
    let items: Vec<Term> = calls
        .iter()
        .map(|c| match *c {
            SavedCall::Export(e) => heap.tuple(&[
                Term::atom(e.module),
                Term::atom(e.function),
                Term::small(i64::from(e.arity)),
            ]),
            SavedCall::Send => atom("send"),
            SavedCall::Receive => atom("receive"),
            SavedCall::Timeout => atom("timeout"),
        })
        .collect();
    heap.list(&items)
}

/// The smallest of BEAM's heap sizes (`erl_gc.c`: 12, 38, then each the
/// sum of the two before plus one, 1/5 growth past the 23rd) that holds
/// `words`: what a `min_heap_size` becomes.
pub(crate) fn heap_size_step(words: i64) -> i64 {
    let (mut a, mut b, mut i) = (12i64, 38i64, 1);
    if words <= a {
        return a;
    }
    while b < words {
        let next = if i < 22 { a + b + 1 } else { b + b / 5 };
        (a, b, i) = (b, next, i + 1);
    }
    b
}

fn set_flag(meta: &mut Meta, name: &str, value: Term) -> Term {
    let old = flag(meta, name);
    let key = Atom::intern(name).unwrap_or(Atom::UNDEFINED);
    meta.flags.retain(|(a, _)| *a != key);
    meta.flags.push((key, value));
    old
}
