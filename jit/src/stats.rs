//! STATS: what `--jit-stats` reports: recordings, compilations, aborts
//! with their reasons and places, and per trace its anchor, sizes,
//! entries and the exits taken per snapshot.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counters of one trace.
pub struct TraceStats {
    /// `Mod:Fun/Arity` of the anchor.
    pub anchor: String,
    /// IR instructions after optimisation.
    pub ir_size: usize,
    /// Machine code bytes.
    pub code_bytes: usize,
    /// Times entered.
    pub entries: AtomicU64,
    /// Reductions spent in native code from its entries (one per loop
    /// iteration, including those of the side traces it runs into): with
    /// an exit's count, how often that exit's path is taken
    /// ([`TraceStats::share`]).
    pub reductions: AtomicU64,
    /// Times each snapshot was taken.
    pub exits: Box<[AtomicU64]>,
    /// The snapshot taken when the reductions run out.
    pub yield_snap: u32,
    /// Time spent optimising, generating and installing its code (on the
    /// compile thread, or the interpreter's: see `crate::background`).
    pub compile: Duration,
}

/// Adds `n` to `c` and returns the sum, without a locked instruction: a
/// trace entry counts three or four times (entries, reductions, the exit
/// taken, a recursion's frames), and a `lock xadd` costs about 20 cycles
/// where a load and a store cost one (nrev enters `app/2`'s trace 30
/// times a round). Two schedulers counting the same trace at the same
/// moment may lose one's count: these counts are statistics and
/// heuristics' estimates, never a correctness matter (the interpreter's
/// counters are kept the same way, `interp/src/counters.rs`).
#[inline]
pub fn bump(c: &AtomicU64, n: u64) -> u64 {
    let v = c.load(Ordering::Relaxed).wrapping_add(n);
    c.store(v, Ordering::Relaxed);
    v
}

impl TraceStats {
    /// Counts an exit through snapshot `snap`; returns how often it was
    /// taken.
    pub fn count_exit(&self, snap: u32) -> u64 {
        self.exits.get(snap as usize).map_or(0, |e| bump(e, 1))
    }

    /// The share of iterations that left through snapshot `snap`, as
    /// (times taken, iterations): every exit finishes its iteration in the
    /// interpreter, so iterations are the reductions spent in the trace
    /// plus the exits through `snap`.
    pub fn share(&self, snap: u32) -> (u64, u64) {
        let taken = self
            .exits
            .get(snap as usize)
            .map_or(0, |e| e.load(Ordering::Relaxed));
        (taken, self.reductions.load(Ordering::Relaxed) + taken)
    }
}

/// Totals of the whole run.
#[derive(Default)]
pub struct Totals {
    /// Recordings started.
    pub recorded: u64,
    /// Traces compiled.
    pub compiled: u64,
    /// Aborts by reason, each with the anchors where it happened.
    pub aborts: BTreeMap<String, (u64, BTreeMap<String, u64>)>,
    /// Time spent optimising and compiling.
    pub compile_time: Duration,
}

impl Totals {
    /// Counts an abort at `anchor`.
    pub fn abort(&mut self, reason: &str, anchor: &str) {
        let e = self.aborts.entry(reason.to_string()).or_default();
        e.0 += 1;
        *e.1.entry(anchor.to_string()).or_default() += 1;
    }
}

/// The report, one line per item.
pub fn report(t: &Totals, traces: &[&TraceStats]) -> Vec<String> {
    let aborted: u64 = t.aborts.values().map(|a| a.0).sum();
    let mut out = vec![format!(
        "jit: {} recorded, {} compiled, {} aborted, {:.3} ms compiling",
        t.recorded,
        t.compiled,
        aborted,
        t.compile_time.as_secs_f64() * 1000.0
    )];
    for (reason, (n, places)) in &t.aborts {
        let at: Vec<String> = places.iter().map(|(a, k)| format!("{a} x{k}")).collect();
        out.push(format!("  abort {n:>6}  {reason}  at {}", at.join(", ")));
    }
    for (i, s) in traces.iter().enumerate() {
        out.push(format!(
            "  trace {} {}: {} IR, {} bytes, {} entries, {} µs compiling, {} reductions",
            i + 1,
            s.anchor,
            s.ir_size,
            s.code_bytes,
            s.entries.load(Ordering::Relaxed),
            s.compile.as_micros(),
            s.reductions.load(Ordering::Relaxed)
        ));
        for (e, n) in s.exits.iter().enumerate() {
            let n = n.load(Ordering::Relaxed);
            if n > 0 {
                let what = if e as u32 == s.yield_snap {
                    " (reductions spent)"
                } else {
                    ""
                };
                out.push(format!("    exit {e:>3}: {n}{what}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_aborts_and_exits() {
        let mut t = Totals {
            recorded: 2,
            compiled: 1,
            ..Totals::default()
        };
        t.abort("unsupported Return", "m:f/1");
        let s = TraceStats {
            anchor: "m:g/2".into(),
            ir_size: 10,
            code_bytes: 100,
            entries: AtomicU64::new(0),
            reductions: AtomicU64::new(0),
            exits: (0..3).map(|_| AtomicU64::new(0)).collect(),
            yield_snap: 2,
            compile: Duration::from_micros(35),
        };
        s.entries.fetch_add(1, Ordering::Relaxed);
        assert_eq!(s.count_exit(2), 1);
        let r = report(&t, &[&s]);
        assert!(r[0].contains("2 recorded, 1 compiled, 1 aborted"));
        assert!(r[1].contains("unsupported Return") && r[1].contains("m:f/1 x1"));
        assert!(r[2].contains("m:g/2") && r[2].contains("1 entries, 35 µs compiling"));
        assert!(r[3].contains("exit   2: 1 (reductions spent)"));
        s.reductions.fetch_add(29, Ordering::Relaxed);
        assert_eq!(s.share(2), (1, 30));
        assert_eq!(s.share(7), (0, 29));
    }
}
