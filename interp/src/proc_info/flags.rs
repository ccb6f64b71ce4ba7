//! `process_flag/2,3` and the items that read a flag back: `trap_exit`,
//! `priority`, `error_handler`, `message_queue_data`,
//! `min_bin_vheap_size`, and the tracing items, which nothing sets here.

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::term::{Heap, Term};

use super::View;
use crate::run::Run;
use crate::sched::{self, atom, pid_number, Meta, Priority};

/// The value of flag item `name`; `None` if it is not one.
pub(super) fn value(_heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    Some(match name {
        "trap_exit" => Term::bool(v.meta.trap_exit),
        "priority" => v.meta.priority.term(),
        "error_handler" | "message_queue_data" | "min_bin_vheap_size" => flag(v.meta, name),
        // Calls are not saved (`save_calls` only reads back).
        "last_calls" => Term::FALSE,
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
    ("save_calls", FlagValue::Count(0)),
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
            let m = enigma_vm::gc::MaxHeapSize::from_term(value).ok_or_else(bad)?;
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
            "save_calls" => Some(set_flag(meta, name, Term::small(save_calls(value)?))),
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
/// process, `badarg` for another flag or a bad value.
pub(crate) fn process_flag_of(pid: Term, flag_: Term, value: Term) -> Term {
    let ok = flag_.as_atom().is_some_and(|a| a.name() == "save_calls");
    let Some(n) = pid_number(pid).filter(|_| pid.as_local_pid().is_some()) else {
        return atom("badtype");
    };
    sched::with(|s| {
        if !s.alive(n) {
            return atom("badtype");
        }
        match (s.meta.get_mut(&n), save_calls(value)) {
            (Some(meta), Some(v)) if ok => set_flag(meta, "save_calls", Term::small(v)),
            _ => atom("badarg"),
        }
    })
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
