//! `erlang:system_flag/2`: the system-wide settings a program changes at
//! run time (`enigma_interp::defaults` keeps them). Each call returns the
//! old value, as BEAM's; an unknown flag is `badarg` with the cause
//! `badopt`, a bad value plain `badarg`.
//!
//! `schedulers_online` is what `system_info(schedulers_online)` reports;
//! the scheduler threads themselves keep running (their count is fixed
//! at start, `+S N`). `scheduler_wall_time` and `multi_scheduling` are
//! held by processes (`enigma_interp::sched_flags`); `cpu_topology`
//! (deprecated) takes `undefined` only.

use std::sync::atomic::{AtomicU64, Ordering};

use enigma_interp::defaults::{self, Setting};
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::gc::MaxHeapSize;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

/// `erlang:system_flag/2`.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "erlang",
    name: "system_flag",
    arity: 2,
    f: system_flag_2,
}];

fn is_bool(t: Term) -> bool {
    t == Term::TRUE || t == Term::FALSE
}

/// `trace_control_word`: only read back (no tracing yet).
static TRACE_CONTROL_WORD: AtomicU64 = AtomicU64::new(0);

/// The flags `system_flag/2` takes.
const FLAGS: &[&str] = &[
    "backtrace_depth",
    "fullsweep_after",
    "min_heap_size",
    "min_bin_vheap_size",
    "max_heap_size",
    "schedulers_online",
    "trace_control_word",
    "scheduler_wall_time",
    "multi_scheduling",
    "cpu_topology",
    "reset_seq_trace",
    "microstate_accounting",
];

/// Whether microstate accounting is on (`msacc:start/0`). Enigma keeps no
/// such counters: they stay zero.
static MSACC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The smallest of BEAM's heap sizes that holds `words` (what
/// `min_heap_size` and `min_bin_vheap_size` become).
fn heap_step(words: usize) -> usize {
    enigma_vm::gc::next_heap_size(words)
}

fn system_flag_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [flag, value] = args else {
        return Err(Exception::badarg());
    };
    let name = flag
        .as_atom()
        .map(|a| a.name())
        .filter(|n| FLAGS.contains(n))
        .ok_or_else(|| Exception::badarg_because("badopt"))?;
    let count = value
        .as_small()
        .and_then(|v| usize::try_from(v).ok())
        .ok_or_else(Exception::badarg);
    let small = |n: usize| Term::small(n as i64);
    Ok(match name {
        // BEAM keeps at most 64 frames (`MAX_BACKTRACE_SIZE`).
        "backtrace_depth" => small(Setting::BacktraceDepth.set(count?.min(64))),
        "fullsweep_after" => small(Setting::FullsweepAfter.set(count?)),
        "min_heap_size" => small(Setting::MinHeapSize.set(heap_step(count?))),
        "min_bin_vheap_size" => small(Setting::MinBinVheapSize.set(heap_step(count?))),
        "max_heap_size" => {
            let m = MaxHeapSize::from_term(*value, defaults::max_heap_size())
                .filter(|m| m.size == 0 || m.size >= Setting::MinHeapSize.get())
                .ok_or_else(Exception::badarg)?;
            defaults::set_max_heap_size(m).to_term(&mut p.heap)
        }
        "schedulers_online" => {
            let all = enigma_interp::smp::schedulers();
            let n = count?;
            if n == 0 || n > all {
                return Err(Exception::badarg());
            }
            small(defaults::set_schedulers_online(n, all))
        }
        "trace_control_word" => {
            let word = value
                .as_small()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(Exception::badarg)?;
            Term::small(TRACE_CONTROL_WORD.swap(u64::from(word), Ordering::Relaxed) as i64)
        }
        "scheduler_wall_time" if is_bool(*value) => {
            let was = enigma_interp::sched_flags::set_wall_time(p.pid, *value == Term::TRUE);
            if was {
                Term::TRUE
            } else {
                Term::FALSE
            }
        }
        "multi_scheduling" => {
            let what = value.as_atom().ok_or_else(Exception::badarg)?.name();
            let state =
                enigma_interp::sched_flags::block(p.pid, what).ok_or_else(Exception::badarg)?;
            crate::bif::helpers::atom(state)?
        }
        // Deprecated on BEAM; only `undefined` (use the detected topology),
        // which returns the topology used.
        "cpu_topology" if value.as_atom() == Some(enigma_vm::atom::Atom::UNDEFINED) => {
            super::cpu_topology::term(&mut p.heap)?
        }
        // `reset` answers whether it is on, and zeroes counters (which are zero).
        "microstate_accounting"
            if is_bool(*value) || *value == crate::bif::helpers::atom("reset")? =>
        {
            let on = if *value == Term::TRUE {
                MSACC.swap(true, Ordering::Relaxed)
            } else if *value == Term::FALSE {
                MSACC.swap(false, Ordering::Relaxed)
            } else {
                MSACC.load(Ordering::Relaxed)
            };
            if on {
                Term::TRUE
            } else {
                Term::FALSE
            }
        }
        // No process has a sequential trace token to clear (any value).
        "reset_seq_trace" => Term::TRUE,
        "scheduler_wall_time" | "cpu_topology" | "microstate_accounting" => {
            return Err(Exception::badarg())
        }
        _ => return Err(Exception::badarg_because("badopt")),
    })
}

/// The `trace_control_word` last set (`system_info(trace_control_word)`).
pub fn trace_control_word() -> u64 {
    TRACE_CONTROL_WORD.load(Ordering::Relaxed)
}
