//! `call_time`: per function and per call-traced process, the number of
//! calls and the time spent in the function's own code (what `eprof`
//! reads with `trace_info({M, F, A}, call_time)`).
//!
//! As BEAM's: a process's time goes to the timed function it runs last
//! entered or returned into. A timed call charges the time since then to
//! the function the process was in (if timed) and enters the callee; the
//! callee's trace frame, at its return or exception, charges it the time
//! since and goes back to the function it was called from. Unlike BEAM,
//! the time a process waits unscheduled is charged too, and a tail call
//! of a timed function keeps its caller's trace frame under its own (the
//! stack grows with a loop of timed tail calls while it is timed).

use std::time::Instant;

use ahash::AHashMap;

use super::Mfa;

/// A timed function's counters of one process.
#[derive(Clone, Copy, Default, Debug)]
pub struct Counters {
    /// Calls.
    pub calls: u64,
    /// Nanoseconds spent in the function's own code.
    pub nanos: u64,
}

/// A timed function's counters.
#[derive(Clone, Default)]
pub(super) struct Timed {
    /// Counting (not paused).
    pub(super) running: bool,
    /// By process number.
    pub(super) by_process: AHashMap<u32, Counters>,
}

/// Where a process's time goes.
struct Clock {
    /// The timed function it is in, if any.
    current: Option<Mfa>,
    since: Instant,
    /// The timed functions (or none) its trace frames return into.
    callers: Vec<Option<Mfa>>,
}

/// The clocks of the processes that called a timed function.
#[derive(Default)]
pub(super) struct Clocks(AHashMap<u32, Clock>);

impl Clocks {
    /// Process `pid` enters timed function `mfa`: the time the function it
    /// was in is to be charged.
    pub(super) fn call(&mut self, pid: u32, mfa: Mfa) -> Option<(Mfa, u64)> {
        let now = Instant::now();
        let clock = self.0.entry(pid).or_insert(Clock {
            current: None,
            since: now,
            callers: Vec::new(),
        });
        let charge = clock.current.map(|cur| (cur, elapsed(clock.since, now)));
        clock.callers.push(clock.current);
        clock.current = Some(mfa);
        clock.since = now;
        charge
    }

    /// Process `pid` leaves the timed function it is in through its trace
    /// frame: the time to charge that function.
    pub(super) fn leave(&mut self, pid: u32) -> Option<(Mfa, u64)> {
        let now = Instant::now();
        let clock = self.0.get_mut(&pid)?;
        let charge = clock.current.map(|cur| (cur, elapsed(clock.since, now)));
        clock.current = clock.callers.pop().flatten();
        clock.since = now;
        if clock.current.is_none() && clock.callers.is_empty() {
            self.0.remove(&pid);
        }
        charge
    }
}

fn elapsed(since: Instant, now: Instant) -> u64 {
    u64::try_from(now.saturating_duration_since(since).as_nanos()).unwrap_or(u64::MAX)
}

impl Timed {
    /// Counts a call by process `pid`, unless paused.
    pub(super) fn count(&mut self, pid: u32) {
        if self.running {
            self.by_process.entry(pid).or_default().calls += 1;
        }
    }

    /// Adds `nanos` to process `pid`'s time, unless paused.
    pub(super) fn charge(&mut self, pid: u32, nanos: u64) {
        if self.running {
            let c = self.by_process.entry(pid).or_default();
            c.nanos = c.nanos.saturating_add(nanos);
        }
    }
}
