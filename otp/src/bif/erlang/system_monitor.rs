//! `erlang:system_monitor/0,1,2`: sets and reads the system monitor
//! (`enigma_vm::gc::monitor` keeps it; the collector raises its `long_gc`
//! and `large_heap` events). Options are checked as BEAM's (OTP 25):
//! `{long_gc, Ms}` and `{long_schedule, Ms}` at least 1, `{large_heap,
//! Words}` at least 16,384 ("16 Kword is not an unnatural heap size"),
//! `busy_port`, `busy_dist_port`; anything else, an improper list or a
//! monitor that is not a live local process is `badarg`.

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::gc::monitor::{self, Settings};
use enigma_vm::process::Process;
use enigma_vm::term::{Heap, Term};

use crate::bif::helpers::{atom, int, is_atom, to_ibig};

/// `erlang:system_monitor/0,1,2`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "system_monitor",
        arity: 0,
        f: system_monitor_0,
    },
    BifEntry {
        module: "erlang",
        name: "system_monitor",
        arity: 1,
        f: system_monitor_1,
    },
    BifEntry {
        module: "erlang",
        name: "system_monitor",
        arity: 2,
        f: system_monitor_2,
    },
];

/// BEAM's least `large_heap`, in words.
const LEAST_LARGE_HEAP: usize = 16_384;

fn system_monitor_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    current(&mut p.heap)
}

/// `system_monitor(undefined | {MonitorPid, Options})`.
fn system_monitor_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [spec] = args else {
        return Err(Exception::badarg());
    };
    if is_atom(*spec, "undefined") {
        return set(p, None);
    }
    match spec.as_tuple().map(|t| t.elements()) {
        Some(&[pid, options]) => set_to(p, pid, options),
        _ => Err(Exception::badarg()),
    }
}

fn system_monitor_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pid, options] = args else {
        return Err(Exception::badarg());
    };
    set_to(p, *pid, *options)
}

/// `system_monitor(MonitorPid, Options)`: `undefined` or `[]` clears it.
fn set_to(p: &mut Process, pid: Term, options: Term) -> Result<Term, Exception> {
    if is_atom(pid, "undefined") || options == Term::NIL {
        return set(p, None);
    }
    let list = options.proper_list().ok_or_else(Exception::badarg)?;
    if pid.as_local_pid().is_none() || !enigma_interp::sched::is_alive(pid) {
        return Err(Exception::badarg());
    }
    let mut s = Settings {
        pid,
        long_gc: 0,
        long_schedule: 0,
        large_heap: 0,
        busy_port: false,
        busy_dist_port: false,
    };
    for o in list {
        if is_atom(o, "busy_port") {
            s.busy_port = true;
            continue;
        }
        if is_atom(o, "busy_dist_port") {
            s.busy_dist_port = true;
            continue;
        }
        let Some(&[key, value]) = o.as_tuple().map(|t| t.elements()) else {
            return Err(Exception::badarg());
        };
        let n = to_ibig(value)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(Exception::badarg)?;
        match key.as_atom().map(Atom::name) {
            Some("long_gc") => s.long_gc = n.max(1),
            Some("long_schedule") => s.long_schedule = n.max(1),
            Some("large_heap") => s.large_heap = (n as usize).max(LEAST_LARGE_HEAP),
            _ => return Err(Exception::badarg()),
        }
    }
    set(p, Some(s))
}

/// Sets the system monitor; the previous one, as `system_monitor/0`
/// gives it.
fn set(p: &mut Process, new: Option<Settings>) -> Result<Term, Exception> {
    let old = current(&mut p.heap)?;
    monitor::set(new);
    Ok(old)
}

/// `undefined`, or `{MonitorPid, Options}` in BEAM's order. A monitor
/// that has exited is cleared first, as BEAM clears it when it exits.
fn current(heap: &mut Heap) -> Result<Term, Exception> {
    let Some(s) = monitor::settings() else {
        return atom("undefined");
    };
    if !enigma_interp::sched::is_alive(s.pid) {
        monitor::clear_if(s.pid);
        return atom("undefined");
    }
    let mut items = Vec::new();
    if s.busy_dist_port {
        items.push(atom("busy_dist_port")?);
    }
    if s.busy_port {
        items.push(atom("busy_port")?);
    }
    for (key, n) in [
        ("large_heap", s.large_heap as u64),
        ("long_schedule", s.long_schedule),
        ("long_gc", s.long_gc),
    ] {
        if n != 0 {
            let n = int(heap, i128::from(n));
            items.push(heap.tuple(&[atom(key)?, n]));
        }
    }
    let options = heap.list(&items);
    Ok(heap.tuple(&[s.pid, options]))
}
