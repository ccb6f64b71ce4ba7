//! CACHE: compiled traces by number, and the abort counts that blacklist
//! an anchor.
//!
//! Trace numbers start at 1 (the interpreter stores them at the anchor,
//! where 0 means "none"); traces are never freed (no code purge yet), so
//! a trace is a `&'static Compiled`, and [`Table`] finds one by number
//! without a lock (entering a trace is on the interpreter's hot path).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::OnceLock;

use enigma_interp::seam::Anchor;

use crate::stats::TraceStats;

/// Recordings that may abort at one anchor (or exit) before it is
/// blacklisted.
pub const MAX_ABORTS: u32 = 3;

/// Recordings that may abort at one anchor because a function it calls
/// has no trace yet ([`NO_CALLEE_TRACE`]) before it is blacklisted: such
/// an abort does not count toward [`MAX_ABORTS`] (the callee's trace may
/// come later: nbody's `velocities/3` is recorded before `pull/4` has
/// one), but an anchor whose callee never gets a trace stops recording.
pub const MAX_WAITS: u32 = 8;

/// Entries after which a function trace whose recursive calls went, on
/// average, fewer than [`MIN_RECURSION`] frames deep is forgotten and its
/// anchor blacklisted: entering and leaving it, and pushing
/// its frames at each exit, costs more than interpreting that little
/// (bench_fib's, bench_tak's, bench_binary_trees' recursion).
pub const RECURSION_PROBATION: u64 = 64;

/// See [`RECURSION_PROBATION`].
pub const MIN_RECURSION: u64 = 4;

/// The abort of a recording that reached a call of a function without a
/// trace.
pub const NO_CALLEE_TRACE: &str = "call of a function without a trace";

/// The abort of a recording whose callee has a trace that the interpreter
/// did not enter: the call's countdown was not due, and runs out within a
/// threshold of calls. A wait, as [`NO_CALLEE_TRACE`] is: three at the
/// next arrivals blacklisted bench_nbody's `velocities/3` (its call of
/// `pull/4`, whose trace came first, counts down 200 calls) when the
/// run's first recording waited 16 thresholds (tried in session 18), and
/// the run took 2.5 times the instructions.
pub const NOT_ENTERED: &str = "callee's trace not entered";

/// The abort of a root recording that reached a `return`: the arrival it
/// started at was the loop's last iteration or the recursion's base case
/// (half of fib's calls), so the next one may well get a trace. Bounded
/// by [`MAX_RETURNS`].
pub const RETURNED: &str = "return (the last iteration or the recursion's end)";

/// Recordings that may abort at one anchor with [`RETURNED`] before it is
/// blacklisted. Such a recording stopped at the callee's base case, after
/// a few instructions, and the next arrival, often the base case's
/// sibling, may be a base case too: bench_tak's recursion, first recorded
/// at its 3,200th call, met eight base cases in a row (`--jit-threshold
/// 3200`, and 800 and 2,400 met four), and [`MAX_WAITS`] of them gave
/// its function trace up for good.
pub const MAX_RETURNS: u32 = 32;

/// Whether a root recording that aborted for `reason` would abort the
/// same way at every later arrival, so that its anchor is blacklisted at
/// once rather than after [`MAX_ABORTS`]: it met an instruction the
/// recorder does not record, other than a return (which ends the loop's
/// last iteration, and the next arrival may loop: bench_nbody's `pull/4`
/// first met a `deallocate_return`). OTP's compiler compiling `lists.erl`
/// had 488 anchors abort so, nearly all three times; 9 compiled later,
/// after a return or one unsupported abort, and none of those 9 traces
/// ran an iteration a few of its entries (docs/JIT.md, session 21).
pub fn recurs(reason: &str) -> bool {
    reason
        .strip_prefix("unsupported ")
        .is_some_and(|i| !matches!(i, "Return" | "MoveReturn" | "DeallocateReturn"))
}

/// Entries after which a loop trace whose entries ran too little of it
/// is forgotten and its anchor blacklisted: less than [`MIN_PAID`] IR
/// instructions an entry on average, counted as the reductions spent in
/// native code (one an iteration, and a call) times the trace's IR size.
/// Such entries mostly leave before the loop's first iteration closes
/// (OTP's compiler compiling `lists.erl`: `lists:umergel/3`, 0.17
/// reductions an entry over 21,440 entries), and an entry and its exit,
/// about 400 instructions there, cost more than interpreting that little.
/// Checked again at each power of two of entries after this.
pub const PAY_PROBATION: u64 = 64;

/// See [`PAY_PROBATION`]: an iteration of a 16-instruction trace. The
/// benchmarks' traces run far more (bench_nbody's `pull/4`, the least,
/// 1.35 iterations of 244 an entry).
pub const MIN_PAID: u64 = 16;

/// Aborts (other than waits) at one anchor per doubling of the arrivals
/// the interpreter lets pass before recording it again
/// ([`Cache::retry_after`]): the first two retry at the next arrival, the
/// next two after 2, then 4, ... Real code has many anchors whose every
/// recording aborts the same way (a list comprehension over short lists
/// returns at nearly every arrival; OTP's compiler compiling `lists.erl`
/// recorded about 3,550 times for 170 traces): growing intervals spread
/// an anchor's tries over more of its arrivals, so one that is rarely hot
/// is tried fewer times, while a run of base cases (bench_tak's eight,
/// see [`MAX_RETURNS`]) is still left behind within a few tries.
pub const BACKOFF_STEP: u32 = 2;

/// The longest backoff, as a power of two of arrivals.
pub const MAX_BACKOFF: u32 = 16;

/// A compiled trace.
pub struct Compiled {
    /// Its machine code.
    pub code: crate::exec::Code,
    /// Its counters.
    pub stats: TraceStats,
    /// Where each exit stub jumps (see `backend`): written only to link a
    /// side trace.
    pub exits: Box<[AtomicU64]>,
    /// Its root trace (itself for a root trace).
    pub root: u32,
    /// Where its side traces continue (its root's entry and loop head).
    pub link: crate::backend::Link,
    /// The anchor of its root.
    pub anchor: Anchor,
    /// Per exit, what a side trace starting there inherits (see
    /// `backend::Output::inherit`).
    pub inherit: Vec<Option<Vec<crate::backend::Store>>>,
    /// Per exit, the comparison a side trace starting there knows to hold
    /// (see `ir::Trace::known`).
    pub known: Vec<Option<crate::ir::Known>>,
    /// Words of the frame buffer it uses (its frame's Y registers, and
    /// the frames and trailers of the traces it calls): a trace calling
    /// it puts them above its own frame and trailer.
    pub frame_words: u32,
    /// For a function trace (non-tail recursion), the words of the frame
    /// each recursive call pushes, and how many it pushed in all (see
    /// [`RECURSION_PROBATION`]).
    pub recursion: Option<(u32, AtomicU64)>,
    /// The snapshot of the `return` it ends with, if it does, and the
    /// region it returns into (see `crate::returns`).
    pub ret: Option<(u32, &'static crate::returns::Region)>,
    /// For a function trace, its anchor's region: the return traces its
    /// recursion's returns go on into, whose frames the interpreter moves
    /// from the process stack into the frame buffer at an entry
    /// (`enigma_interp::seam::Jit::return_keys`).
    pub region: Option<&'static crate::returns::Region>,
    /// Set when the interpreter forgot it (its entry kept failing): no
    /// trace calls it any more.
    pub forgotten: std::sync::atomic::AtomicBool,
    /// Per exit, set once its side-trace recordings aborted too often:
    /// later hot exits resume without a lock.
    pub no_side: Box<[std::sync::atomic::AtomicBool]>,
}

/// Every trace, and the anchors that failed.
#[derive(Default)]
pub struct Cache {
    traces: Vec<&'static Compiled>,
    aborts: HashMap<(u32, u32), u32>,
    waits: HashMap<(u32, u32), u32>,
    returns: HashMap<(u32, u32), u32>,
    waiting: HashSet<(u32, u32)>,
    side_attempts: HashMap<(u32, u32), u32>,
}

impl Cache {
    /// The number the next trace gets.
    pub fn next(&self) -> u32 {
        self.traces.len() as u32 + 1
    }

    /// Adds a trace; returns it and its number.
    pub fn insert(&mut self, c: Compiled) -> (&'static Compiled, u32) {
        let c: &'static Compiled = Box::leak(Box::new(c));
        self.traces.push(c);
        (c, self.traces.len() as u32)
    }

    /// Counts a side-trace recording for exit `snap` of trace `trace`;
    /// false when it was tried too often.
    pub fn try_side(&mut self, trace: u32, snap: u32) -> bool {
        let n = self.side_attempts.entry((trace, snap)).or_insert(0);
        *n += 1;
        *n <= MAX_ABORTS
    }

    /// Trace number `n`.
    pub fn get(&self, n: u32) -> Option<&'static Compiled> {
        self.traces.get((n as usize).checked_sub(1)?).copied()
    }

    /// Every trace, in number order.
    pub fn all(&self) -> &[&'static Compiled] {
        &self.traces
    }

    /// Counts an abort at `a` for `reason` (a wait for a callee's trace,
    /// [`NO_CALLEE_TRACE`] or [`NOT_ENTERED`], and an arrival that returned
    /// at once, [`RETURNED`], each against its own bound). Only the waits
    /// are [`Cache::waiting`]: a callee's trace takes time to come, while the
    /// next arrival after a [`RETURNED`] is likely not the last again.
    pub fn aborted(&mut self, a: Anchor, reason: &str) {
        let key = (a.id, a.pc);
        let wait = reason == NO_CALLEE_TRACE || reason == NOT_ENTERED;
        if wait {
            self.waiting.insert(key);
        } else {
            self.waiting.remove(&key);
        }
        let counts = match reason {
            _ if wait => &mut self.waits,
            RETURNED => &mut self.returns,
            _ => &mut self.aborts,
        };
        *counts.entry(key).or_insert(0) += 1;
    }

    /// Whether the last abort at `a` waited for a callee's trace.
    pub fn waiting(&self, a: Anchor) -> bool {
        self.waiting.contains(&(a.id, a.pc))
    }

    /// Arrivals at `a` before the interpreter records it again after an
    /// abort: `threshold` while it waits for a callee's trace, otherwise
    /// a backoff doubling every [`BACKOFF_STEP`] other aborts.
    pub fn retry_after(&self, a: Anchor, threshold: u64) -> u64 {
        let key = (a.id, a.pc);
        if self.waiting.contains(&key) {
            return threshold;
        }
        let count = |m: &HashMap<(u32, u32), u32>| m.get(&key).copied().unwrap_or(0);
        let n = count(&self.aborts) + count(&self.returns);
        1 << (n / BACKOFF_STEP).min(MAX_BACKOFF)
    }

    /// Blacklists `a` at once (its trace does not pay).
    pub fn give_up(&mut self, a: Anchor) {
        self.aborts.insert((a.id, a.pc), MAX_ABORTS);
    }

    /// Whether there is nothing to enter or record: no trace (or only
    /// forgotten ones), and every anchor recorded so far blacklisted.
    pub fn idle(&self) -> bool {
        let forgotten = |t: &&Compiled| {
            self.get(t.root)
                .is_some_and(|r| r.forgotten.load(std::sync::atomic::Ordering::Relaxed))
        };
        self.traces.iter().all(forgotten)
            && [&self.aborts, &self.waits, &self.returns]
                .iter()
                .flat_map(|m| m.keys())
                .all(|&(id, pc)| self.blacklisted(Anchor { id, pc, arity: 0 }))
    }

    /// Whether `a` aborted too often to try again.
    pub fn blacklisted(&self, a: Anchor) -> bool {
        let count = |m: &HashMap<(u32, u32), u32>| m.get(&(a.id, a.pc)).copied().unwrap_or(0);
        count(&self.aborts) >= MAX_ABORTS
            || count(&self.waits) >= MAX_WAITS
            || count(&self.returns) >= MAX_RETURNS
    }
}

/// Most traces a run compiles (the size of [`Table`]).
pub const MAX_TRACES: usize = 1 << 14;

/// Traces by number, read without a lock: each entry is set once, when
/// its trace is compiled (under the [`Cache`]'s lock).
pub struct Table(Box<[OnceLock<&'static Compiled>]>);

impl Default for Table {
    fn default() -> Table {
        Table((0..MAX_TRACES).map(|_| OnceLock::new()).collect())
    }
}

impl Table {
    /// Trace number `n`, once compiled.
    pub fn get(&self, n: u32) -> Option<&'static Compiled> {
        self.0.get((n as usize).checked_sub(1)?)?.get().copied()
    }

    /// Publishes trace number `n`.
    pub fn set(&self, n: u32, c: &'static Compiled) {
        if let Some(e) = (n as usize).checked_sub(1).and_then(|i| self.0.get(i)) {
            let _ = e.set(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(pc: u32) -> Anchor {
        Anchor {
            id: 1,
            pc,
            arity: 2,
        }
    }

    #[test]
    fn anchors_are_blacklisted_after_repeated_aborts() {
        let mut c = Cache::default();
        let a = anchor(4);
        for _ in 0..MAX_ABORTS {
            assert!(!c.blacklisted(a));
            c.aborted(a, "unsupported Return");
        }
        assert!(c.blacklisted(a));
        assert!(c.get(1).is_none());
        assert_eq!(c.next(), 1);
        for _ in 0..MAX_ABORTS {
            assert!(c.try_side(1, 2));
        }
        assert!(!c.try_side(1, 2));
    }

    #[test]
    fn waits_for_a_callee_trace_are_bounded_apart() {
        let mut c = Cache::default();
        let a = anchor(4);
        for _ in 0..MAX_ABORTS - 1 {
            c.aborted(a, "unsupported Return");
        }
        for _ in 0..MAX_WAITS - 1 {
            c.aborted(a, NO_CALLEE_TRACE);
            assert!(c.waiting(a) && !c.blacklisted(a));
        }
        c.aborted(a, "unsupported Return");
        assert!(!c.waiting(a) && c.blacklisted(a));
        let b = anchor(8);
        for _ in 0..MAX_WAITS {
            assert!(!c.blacklisted(b));
            c.aborted(b, NO_CALLEE_TRACE);
        }
        assert!(c.blacklisted(b));
        // A callee's trace the interpreter did not enter is waited for.
        let n = anchor(16);
        for _ in 0..MAX_WAITS {
            assert!(!c.blacklisted(n));
            c.aborted(n, NOT_ENTERED);
            assert!(c.waiting(n));
        }
        assert!(c.blacklisted(n));
        // A recording that met a return has its own bound, and the next
        // arrival may try again.
        let r = anchor(12);
        for _ in 0..MAX_RETURNS {
            assert!(!c.blacklisted(r));
            c.aborted(r, RETURNED);
            assert!(!c.waiting(r));
        }
        assert!(c.blacklisted(r));
    }

    #[test]
    fn unsupported_instructions_recur_but_returns_do_not() {
        assert!(recurs("unsupported IsTaggedTuple"));
        assert!(recurs("unsupported BsCreateBin"));
        for r in ["Return", "MoveReturn", "DeallocateReturn"] {
            assert!(!recurs(&format!("unsupported {r}")));
        }
        assert!(!recurs(RETURNED) && !recurs(NO_CALLEE_TRACE) && !recurs("bif map_get/2"));
    }

    #[test]
    fn idle_once_every_recorded_anchor_is_blacklisted() {
        let mut c = Cache::default();
        assert!(c.idle());
        let (a, b) = (anchor(4), anchor(8));
        c.aborted(a, "unsupported IsTaggedTuple");
        c.give_up(a);
        assert!(c.idle());
        c.aborted(b, RETURNED);
        assert!(!c.idle(), "b may still compile");
        c.give_up(b);
        assert!(c.idle());
        c.aborted(anchor(12), NO_CALLEE_TRACE);
        assert!(!c.idle(), "a wait is not given up");
    }

    #[test]
    fn retries_back_off_except_waits() {
        let mut c = Cache::default();
        let a = anchor(4);
        assert_eq!(c.retry_after(a, 100), 1);
        let periods: Vec<u64> = (0..6)
            .map(|_| {
                c.aborted(a, RETURNED);
                c.retry_after(a, 100)
            })
            .collect();
        assert_eq!(periods, [1, 2, 2, 4, 4, 8]);
        c.aborted(a, NO_CALLEE_TRACE);
        assert_eq!(c.retry_after(a, 100), 100);
        for _ in 0..MAX_RETURNS {
            c.aborted(a, RETURNED);
        }
        assert_eq!(c.retry_after(a, 100), 1 << MAX_BACKOFF);
    }
}
