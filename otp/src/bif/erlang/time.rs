//! Erlang time: `monotonic_time/0,1`, `system_time/0,1`, `time_offset/0,1`,
//! `convert_time_unit/3`, `timestamp/0`, `now/0`, `erts_internal:time_unit/0` and the
//! OS clock of `os:system_time/0,1`, `os:timestamp/0`, `os:perf_counter/0`.
//!
//! The native unit is the nanosecond, as on BEAM for Linux. Monotonic time
//! starts near the smallest small integer, as BEAM's does, and the VM runs
//! in BEAM's default `no_time_warp` mode: the time offset is fixed at start,
//! so `system_time()` is `monotonic_time() + time_offset()`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Term, MIN_SMALL};
use ibig::IBig;

use crate::bif::helpers::{int, to_ibig};

/// The time BIFs of modules `erlang`, `erts_internal` and `os`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "monotonic_time",
        arity: 0,
        f: monotonic_time_0,
    },
    BifEntry {
        module: "erlang",
        name: "monotonic_time",
        arity: 1,
        f: monotonic_time_1,
    },
    BifEntry {
        module: "erlang",
        name: "system_time",
        arity: 0,
        f: system_time_0,
    },
    BifEntry {
        module: "erlang",
        name: "system_time",
        arity: 1,
        f: system_time_1,
    },
    BifEntry {
        module: "erlang",
        name: "time_offset",
        arity: 0,
        f: time_offset_0,
    },
    BifEntry {
        module: "erlang",
        name: "time_offset",
        arity: 1,
        f: time_offset_1,
    },
    BifEntry {
        module: "erlang",
        name: "convert_time_unit",
        arity: 3,
        f: convert_time_unit_3,
    },
    BifEntry {
        module: "erlang",
        name: "timestamp",
        arity: 0,
        f: timestamp_0,
    },
    BifEntry {
        module: "erlang",
        name: "now",
        arity: 0,
        f: now_0,
    },
    BifEntry {
        module: "erts_internal",
        name: "time_unit",
        arity: 0,
        f: time_unit_0,
    },
    BifEntry {
        module: "erts_internal",
        name: "perf_counter_unit",
        arity: 0,
        f: time_unit_0,
    },
    BifEntry {
        module: "os",
        name: "system_time",
        arity: 0,
        f: os_system_time_0,
    },
    BifEntry {
        module: "os",
        name: "system_time",
        arity: 1,
        f: os_system_time_1,
    },
    BifEntry {
        module: "os",
        name: "timestamp",
        arity: 0,
        f: os_timestamp_0,
    },
    BifEntry {
        module: "os",
        name: "perf_counter",
        arity: 0,
        f: os_perf_counter_0,
    },
];

/// Native time units per second.
const NATIVE: i128 = 1_000_000_000;

/// The start of the VM's clock: when it started and the OS time then.
fn start() -> &'static (Instant, i128) {
    static START: OnceLock<(Instant, i128)> = OnceLock::new();
    START.get_or_init(|| (Instant::now(), os_time_ns()))
}

fn os_time_ns() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Monotonic time in native units.
pub fn monotonic_ns() -> i128 {
    i128::from(MIN_SMALL) + start().0.elapsed().as_nanos() as i128
}

/// The instant at Erlang monotonic time `ns` (native units); `None` past
/// what the clock can represent.
pub fn instant_at(ns: i128) -> Option<Instant> {
    let since = u64::try_from((ns - i128::from(MIN_SMALL)).max(0)).ok()?;
    start()
        .0
        .checked_add(std::time::Duration::from_nanos(since))
}

/// The fixed offset from monotonic to Erlang system time, in native units.
fn offset_ns() -> i128 {
    start().1 - i128::from(MIN_SMALL)
}

/// Erlang system time in native units.
pub fn system_ns() -> i128 {
    monotonic_ns() + offset_ns()
}

/// Units per second of a time unit term, as `erlang:convert_time_unit/3`
/// accepts them; `None` for anything else.
fn unit_per_second(unit: Term) -> Option<IBig> {
    if let Some(a) = unit.as_atom() {
        let v: i128 = match a.name() {
            "native" | "perf_counter" | "nanosecond" | "nano_seconds" => NATIVE,
            "microsecond" | "micro_seconds" => 1_000_000,
            "millisecond" | "milli_seconds" => 1_000,
            "second" | "seconds" => 1,
            _ => return None,
        };
        return Some(IBig::from(v));
    }
    to_ibig(unit).filter(|v| *v > IBig::from(0u8))
}

/// `ns` native units in `unit`, rounded towards negative infinity as BEAM
/// rounds.
fn in_unit(p: &mut Process, ns: i128, unit: Term) -> Result<Term, Exception> {
    let per_second = unit_per_second(unit).ok_or_else(Exception::badarg)?;
    Ok(p.heap
        .big(&floor_div(IBig::from(ns) * per_second, &IBig::from(NATIVE))))
}

fn floor_div(a: IBig, b: &IBig) -> IBig {
    let q = &a / b;
    if (&q * b) != a && (a < IBig::from(0u8)) != (*b < IBig::from(0u8)) {
        q - IBig::from(1u8)
    } else {
        q
    }
}

fn arg1(args: &[Term]) -> Result<Term, Exception> {
    match args {
        [a] => Ok(*a),
        _ => Err(Exception::badarg()),
    }
}

fn monotonic_time_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(int(&mut p.heap, monotonic_ns()))
}

fn monotonic_time_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    in_unit(p, monotonic_ns(), arg1(args)?)
}

fn system_time_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(int(&mut p.heap, system_ns()))
}

fn system_time_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    in_unit(p, system_ns(), arg1(args)?)
}

fn time_offset_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(int(&mut p.heap, offset_ns()))
}

fn time_offset_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    in_unit(p, offset_ns(), arg1(args)?)
}

fn time_unit_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::small(NATIVE as i64))
}

/// `erlang:convert_time_unit/3`, which `erlang.erl` computes as
/// `(TU * Time - (FU - 1)) div FU` for negative times and
/// `TU * Time div FU` otherwise (that is, rounding down).
fn convert_time_unit_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [time, from, to] = args else {
        return Err(Exception::badarg());
    };
    let time = to_ibig(*time).ok_or_else(Exception::badarg)?;
    let fu = unit_per_second(*from).ok_or_else(Exception::badarg)?;
    let tu = unit_per_second(*to).ok_or_else(Exception::badarg)?;
    let scaled = if time < IBig::from(0u8) {
        &tu * &time - (&fu - IBig::from(1u8))
    } else {
        &tu * &time
    };
    Ok(p.heap.big(&(scaled / fu)))
}

/// `{MegaSecs, Secs, MicroSecs}` of a time in nanoseconds.
fn timestamp_of(p: &mut Process, ns: i128) -> Term {
    let us = ns.div_euclid(1000);
    let (mega, rest) = (
        us.div_euclid(1_000_000_000_000),
        us.rem_euclid(1_000_000_000_000),
    );
    let mega = int(&mut p.heap, mega);
    let secs = Term::small((rest / 1_000_000) as i64);
    let micro = Term::small((rest % 1_000_000) as i64);
    p.heap.tuple(&[mega, secs, micro])
}

fn timestamp_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(timestamp_of(p, system_ns()))
}

/// `erlang:now/0`: system time as a timestamp, a microsecond later than
/// the one before at least (unique and increasing, as BEAM's).
fn now_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    static LAST: AtomicI64 = AtomicI64::new(i64::MIN);
    let us = (system_ns().div_euclid(1000)) as i64;
    let prev = LAST
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(us.max(last.saturating_add(1)))
        })
        .unwrap_or(i64::MIN);
    let us = us.max(prev.saturating_add(1));
    Ok(timestamp_of(p, i128::from(us) * 1000))
}

fn os_system_time_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(int(&mut p.heap, os_time_ns()))
}

fn os_system_time_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    in_unit(p, os_time_ns(), arg1(args)?)
}

fn os_timestamp_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(timestamp_of(p, os_time_ns()))
}

fn os_perf_counter_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(int(&mut p.heap, start().0.elapsed().as_nanos() as i128))
}
