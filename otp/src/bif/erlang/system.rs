//! System queries: `erlang:system_info/1` for the keys OTP's libraries
//! ask at run time, `statistics/1`, and `erlang:nif_error/1,2`.
//!
//! Enigma reports itself as the BEAM of OTP 25 (ERTS 13.1.5) on this
//! machine, as code that checks versions expects.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use enigma_interp::defaults::{self, Setting};
use enigma_vm::atom::{atom_count, Atom, MAX_ATOMS};
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

use crate::bif::helpers::{atom, int, is_atom};

/// The system BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "system_info",
        arity: 1,
        f: system_info_1,
    },
    BifEntry {
        module: "erlang",
        name: "statistics",
        arity: 1,
        f: statistics_1,
    },
    BifEntry {
        module: "erlang",
        name: "system_profile",
        arity: 0,
        f: no_profiler,
    },
    BifEntry {
        module: "erlang",
        name: "nif_error",
        arity: 1,
        f: nif_error,
    },
    BifEntry {
        module: "erlang",
        name: "nif_error",
        arity: 2,
        f: nif_error,
    },
];

/// The ERTS version BEAM of OTP 25 reports.
const ERTS_VERSION: &str = "13.1.5";

/// Logical processors, the number of schedulers BEAM would start.
fn cores() -> i64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as i64)
}

fn system_info_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [key] = args else {
        return Err(Exception::badarg());
    };
    if let Some(answer) = super::system_dump::answer(p, *key) {
        return answer;
    }
    if let Some(t) = key.as_tuple() {
        return match (t.len(), t.get(0), t.get(1)) {
            (2, Some(k), Some(v))
                if is_atom(k, "wordsize") && (is_atom(v, "internal") || is_atom(v, "external")) =>
            {
                Ok(Term::small(8))
            }
            // No topology is ever defined (`system_flag(cpu_topology, _)`
            // takes only `undefined`): the detected one is used.
            (2, Some(k), Some(v)) if is_atom(k, "cpu_topology") && is_atom(v, "defined") => {
                Ok(Term::atom(Atom::UNDEFINED))
            }
            (2, Some(k), Some(v))
                if is_atom(k, "cpu_topology") && (is_atom(v, "detected") || is_atom(v, "used")) =>
            {
                super::cpu_topology::term(&mut p.heap)
            }
            _ => Err(Exception::badarg()),
        };
    }
    let name = key.as_atom().ok_or_else(Exception::badarg)?.name();
    let n = cores();
    let schedulers = enigma_interp::smp::schedulers() as i64;
    let heap = &mut p.heap;
    Ok(match name {
        "otp_release" => heap.string("25"),
        "version" => heap.string(ERTS_VERSION),
        "system_version" => heap.string(&format!(
            "Erlang/OTP 25 [erts-{ERTS_VERSION}] [source] [64-bit] [smp:{schedulers}:{schedulers}] \
             [ds:{n}:{n}:10] [async-threads:1] [jit:ns]\n"
        )),
        "machine" => heap.string("BEAM"),
        "system_architecture" => heap.string(&format!("{}-pc-linux-gnu", std::env::consts::ARCH)),
        "nif_version" => heap.string("2.16"),
        "driver_version" => heap.string("3.3"),
        "wordsize" => Term::small(8),
        "smp_support" | "threads" | "kernel_poll" => Term::TRUE,
        "debug_compiled" | "break_ignored" => Term::FALSE,
        "schedulers" => Term::small(schedulers),
        "schedulers_online" => Term::small(defaults::schedulers_online(schedulers as usize) as i64),
        "logical_processors"
        | "logical_processors_available"
        | "logical_processors_online"
        | "dirty_cpu_schedulers"
        | "dirty_cpu_schedulers_online" => Term::small(n),
        "dirty_io_schedulers" => Term::small(10),
        "thread_pool_size" => Term::small(1),
        "process_count" => Term::small(enigma_interp::sched::process_count() as i64),
        "process_limit" => Term::small(262_144),
        "port_count" => Term::small(0),
        "port_limit" => Term::small(65_536),
        "ets_limit" => Term::small(8192),
        "atom_count" => Term::small(atom_count() as i64),
        "atom_limit" => Term::small(MAX_ATOMS as i64),
        "context_reductions" => Term::small(4000),
        "creation" => Term::small(0),
        "compat_rel" => Term::small(25),
        "endian" => atom("little")?,
        "emu_flavor" => atom("jit")?,
        "emu_type" | "build_type" => atom("opt")?,
        "heap_type" => atom("private")?,
        "time_warp_mode" => atom("no_time_warp")?,
        "hipe_architecture" => Term::atom(Atom::UNDEFINED),
        "start_time" => Term::small(enigma_vm::term::MIN_SMALL / 1_000_000_000 * 1_000_000_000),
        // The far end of the monotonic clock's range, as erl reports it.
        "end_time" => int(heap, 8_646_911_283_000_000_000),
        "dist_ctrl" | "taints" => Term::NIL,
        "lock_checking" | "lock_counting" | "dynamic_trace_probes" | "ets_always_compress" => {
            Term::FALSE
        }
        "time_correction" => Term::TRUE,
        "tolerant_timeofday" => atom("enabled")?,
        "delayed_node_table_gc" => Term::small(60),
        "dist_buf_busy_limit" => Term::small(1_048_576),
        "message_queue_data" => atom("on_heap")?,
        "time_offset" => atom("final")?,
        "dynamic_trace" => atom("none")?,
        "cpu_quota" => atom("unknown")?,
        "c_compiler_used" => {
            let version = heap.tuple(&[Term::small(12), Term::small(2), Term::small(0)]);
            heap.tuple(&[atom("gnuc")?, version])
        }
        "os_type" => {
            let (unix, os) = (atom("unix")?, atom(std::env::consts::OS)?);
            heap.tuple(&[unix, os])
        }
        "os_version" => {
            let [a, b, c] = os_version();
            heap.tuple(&[Term::small(a), Term::small(b), Term::small(c)])
        }
        "sequential_tracer" => heap.tuple(&[key.to_owned(), Term::FALSE]),
        "modified_timing_level" => Term::atom(Atom::UNDEFINED),
        "trace_control_word" => Term::small(super::system_flag::trace_control_word() as i64),
        "scheduler_id" => Term::small(1),
        "multi_scheduling" => atom(enigma_interp::sched_flags::multi_scheduling())?,
        "multi_scheduling_blockers" | "normal_multi_scheduling_blockers" => {
            let pids = enigma_interp::sched_flags::blockers(name.starts_with("normal"));
            heap.list(&pids)
        }
        "cpu_topology" => super::cpu_topology::term(heap)?,
        "update_cpu_info" => atom("unchanged")?,
        "scheduler_bind_type" => atom("unbound")?,
        "scheduler_bindings" => {
            let unbound = vec![atom("unbound")?; schedulers as usize];
            heap.tuple(&unbound)
        }
        "port_parallelism" => Term::FALSE,
        "eager_check_io" => Term::TRUE,
        "outstanding_system_requests_limit" => Term::small(2 * n),
        "ets_count" => Term::small(crate::bif::ets::store::count() as i64),
        "os_monotonic_time_source" | "os_system_time_source" => time_source(heap, name)?,
        "alloc_util_allocators" => {
            let names = ALLOC_UTIL_ALLOCATORS.iter().map(|a| atom(a));
            let names = names.collect::<Result<Vec<_>, _>>()?;
            heap.list(&names)
        }
        "schedulers_state" => {
            let s = Term::small(schedulers);
            heap.tuple(&[s, s, s])
        }
        "min_heap_size" | "min_bin_vheap_size" | "fullsweep_after" => {
            let v = match name {
                "min_heap_size" => Setting::MinHeapSize,
                "min_bin_vheap_size" => Setting::MinBinVheapSize,
                _ => Setting::FullsweepAfter,
            };
            heap.tuple(&[key.to_owned(), Term::small(v.get() as i64)])
        }
        "max_heap_size" => defaults::max_heap_size().to_term(heap),
        "heap_sizes" => heap_sizes(heap),
        // The system-wide defaults, `max_heap_size` as its size only.
        "garbage_collection" => {
            let items = [
                ("max_heap_size", defaults::max_heap_size().size),
                ("min_bin_vheap_size", Setting::MinBinVheapSize.get()),
                ("min_heap_size", Setting::MinHeapSize.get()),
                ("fullsweep_after", Setting::FullsweepAfter.get()),
            ];
            let mut pairs = Vec::with_capacity(items.len());
            for (k, v) in items {
                let v = int(heap, v as i128);
                pairs.push(heap.tuple(&[atom(k)?, v]));
            }
            heap.list(&pairs)
        }
        _ => return Err(Exception::badarg()),
    })
}

/// The allocators BEAM 25 builds on `alloc_util`, in its order.
pub(super) const ALLOC_UTIL_ALLOCATORS: &[&str] = &[
    "temp_alloc",
    "sl_alloc",
    "std_alloc",
    "ll_alloc",
    "eheap_alloc",
    "ets_alloc",
    "fix_alloc",
    "literal_alloc",
    "binary_alloc",
    "driver_alloc",
];

/// `system_info(os_monotonic_time_source | os_system_time_source)`: the
/// clock BEAM reads on Linux (`clock_gettime`) and its time in
/// nanoseconds (the monotonic one counted from the VM's start).
fn time_source(heap: &mut enigma_vm::term::Heap, name: &str) -> Result<Term, Exception> {
    let monotonic = name == "os_monotonic_time_source";
    let (id, ns) = if monotonic {
        let since_start = super::time::monotonic_ns() - i128::from(enigma_vm::term::MIN_SMALL);
        ("CLOCK_MONOTONIC", since_start)
    } else {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        ("CLOCK_REALTIME", now.map_or(0, |d| d.as_nanos() as i128))
    };
    let mut pairs = vec![
        ("function", atom("clock_gettime")?),
        ("clock_id", atom(id)?),
        ("resolution", Term::small(1_000_000_000)),
    ];
    if monotonic {
        pairs.push(("extended", atom("no")?));
    }
    pairs.push(("parallel", atom("yes")?));
    pairs.push(("time", int(heap, ns)));
    let mut items = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        items.push(heap.tuple(&[atom(k)?, v]));
    }
    Ok(heap.list(&items))
}

/// BEAM's heap sizes, in words (`erts_next_heap_size`'s steps): Fibonacci
/// to 833,026, then +20% each, up to the largest a heap can be.
fn heap_sizes(heap: &mut enigma_vm::term::Heap) -> Term {
    let mut sizes = Vec::new();
    let mut s = 0;
    while let Some(next) = Some(enigma_vm::gc::next_heap_size(s + 1)).filter(|&n| n > s) {
        sizes.push(Term::small(next as i64));
        s = next;
        if s >= 885_767_171_276_247 {
            break;
        }
    }
    heap.list(&sizes)
}

/// The kernel release as BEAM reports it: the leading numbers of
/// `uname -r` (`6.18.44-fc` is `{6, 18, 44}`).
fn os_version() -> [i64; 3] {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut parts = release.trim().split(['.', '-']).map(|p| {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(0)
    });
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

/// The `{Total, SinceLastCall}` pairs of `statistics/1` keep their last
/// reading here.
static LAST_RUNTIME: AtomicU64 = AtomicU64::new(0);
static LAST_WALL: AtomicU64 = AtomicU64::new(0);
static LAST_REDS: AtomicU64 = AtomicU64::new(0);
static LAST_EXACT_REDS: AtomicU64 = AtomicU64::new(0);

fn vm_start() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// CPU time of this OS process in milliseconds, from `/proc/self/stat`
/// (user plus system ticks of 10 ms); wall time where that is unreadable.
fn cpu_ms() -> u64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the parenthesised command name; utime and stime are
            // the 14th and 15th fields of the line.
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        });
    ticks.map_or_else(|| vm_start().elapsed().as_millis() as u64, |t| t * 10)
}

fn since_last(p: &mut Process, total: u64, last: &AtomicU64) -> Term {
    let prev = last.swap(total, Ordering::Relaxed);
    let total_t = int(&mut p.heap, i128::from(total));
    let diff = int(&mut p.heap, i128::from(total.saturating_sub(prev)));
    p.heap.tuple(&[total_t, diff])
}

fn statistics_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [key] = args else {
        return Err(Exception::badarg());
    };
    if key.kind() != Kind::Atom {
        return Err(Exception::badarg());
    }
    let name = key.as_atom().map_or("", |a| a.name());
    Ok(match name {
        "runtime" => since_last(p, cpu_ms(), &LAST_RUNTIME),
        "wall_clock" => since_last(p, vm_start().elapsed().as_millis() as u64, &LAST_WALL),
        "reductions" => {
            let total = p.reductions;
            since_last(p, total, &LAST_REDS)
        }
        "exact_reductions" => {
            let total = p.reductions;
            since_last(p, total, &LAST_EXACT_REDS)
        }
        "run_queue" | "total_run_queue_lengths" | "total_run_queue_lengths_all" => Term::small(0),
        "total_active_tasks" | "total_active_tasks_all" => Term::small(1),
        // One queue per scheduler, and the dirty CPU schedulers' (and
        // dirty I/O's for `_all`), as BEAM's lists; the caller is the one
        // active task.
        "run_queue_lengths" | "run_queue_lengths_all" | "active_tasks" | "active_tasks_all" => {
            let n = enigma_interp::smp::schedulers() + 1 + usize::from(name.ends_with("_all"));
            let mut v = vec![Term::small(0); n];
            if name.starts_with("active") {
                v[0] = Term::small(1);
            }
            p.heap.list(&v)
        }
        // No ports: no bytes in or out.
        "io" => {
            let (input, output) = (atom("input")?, atom("output")?);
            let i = p.heap.tuple(&[input, Term::small(0)]);
            let o = p.heap.tuple(&[output, Term::small(0)]);
            p.heap.tuple(&[i, o])
        }
        // `{Collections, WordsReclaimed, 0}` of all processes so far.
        "garbage_collection" => {
            let g = enigma_vm::gc::global_stats();
            let n = int(&mut p.heap, i128::from(g.minor + g.major));
            let words = int(&mut p.heap, i128::from(g.reclaimed));
            p.heap.tuple(&[n, words, Term::small(0)])
        }
        "context_switches" => p.heap.tuple(&[Term::small(0), Term::small(0)]),
        "scheduler_wall_time" | "scheduler_wall_time_all" => scheduler_wall_time(p, name)?,
        "microstate_accounting" => microstate_accounting(p)?,
        _ => return Err(Exception::badarg()),
    })
}

/// `statistics(microstate_accounting)`: one map per thread BEAM would run
/// (the async and poll threads, the aux thread, each scheduler, each dirty
/// CPU and dirty I/O scheduler), each state's time zero: Enigma does not
/// account them.
fn microstate_accounting(p: &mut Process) -> Result<Term, Exception> {
    let states = [
        "aux", "check_io", "emulator", "gc", "other", "port", "sleep",
    ];
    let mut pairs = Vec::with_capacity(states.len());
    for s in states {
        pairs.push((atom(s)?, Term::small(0)));
    }
    let counters = p.heap.map_from_pairs(&pairs);
    let schedulers = enigma_interp::smp::schedulers();
    let mut threads = vec![("async", 0), ("poll", 0), ("aux", 1)];
    threads.extend((1..=schedulers).map(|i| ("scheduler", i)));
    threads.extend((1..=cores() as usize).map(|i| ("dirty_cpu_scheduler", i)));
    threads.extend((1..=10).map(|i| ("dirty_io_scheduler", i)));
    let (k_counters, k_id, k_type) = (atom("counters")?, atom("id")?, atom("type")?);
    let mut maps = Vec::with_capacity(threads.len());
    for (ty, id) in threads {
        let entry = [
            (k_counters, counters),
            (k_id, Term::small(id as i64)),
            (k_type, atom(ty)?),
        ];
        maps.push(p.heap.map_from_pairs(&entry));
    }
    Ok(p.heap.list(&maps))
}

/// `statistics(scheduler_wall_time | scheduler_wall_time_all)`: while the
/// measurement is on (`system_flag(scheduler_wall_time, true)`), one
/// `{Id, ActiveTime, TotalTime}` per normal scheduler (numbered from 1),
/// then per dirty CPU scheduler (and dirty I/O scheduler for `_all`), in
/// nanoseconds since it was turned on (BEAM's perf counter unit); dirty
/// schedulers, which Enigma has none of, are never active. `undefined`
/// while it is off.
fn scheduler_wall_time(p: &mut Process, name: &str) -> Result<Term, Exception> {
    let schedulers = enigma_interp::smp::schedulers();
    let Some((total, busy)) = enigma_interp::sched_flags::wall_time(schedulers) else {
        return Ok(Term::atom(Atom::UNDEFINED));
    };
    let dirty = cores() as usize + if name.ends_with("_all") { 10 } else { 0 };
    let total_t = int(&mut p.heap, i128::from(total));
    let entries: Vec<Term> = busy
        .into_iter()
        .chain(std::iter::repeat_n(0, dirty))
        .enumerate()
        .map(|(i, active)| {
            let active = int(&mut p.heap, i128::from(active));
            p.heap.tuple(&[Term::small(i as i64 + 1), active, total_t])
        })
        .collect();
    Ok(p.heap.list(&entries))
}

/// `erlang:system_profile/0`: no system profiler can be set yet, so none
/// is.
fn no_profiler(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::atom(Atom::UNDEFINED))
}

/// `erlang:nif_error/1,2`: the placeholder body of a NIF stub raises
/// `error:Reason`.
fn nif_error(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let reason = args.first().copied().ok_or_else(Exception::badarg)?;
    Err(Exception::error(reason))
}
