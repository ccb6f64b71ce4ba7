//! The profiling counter a loop's back edge or a call carries inside its
//! loaded instruction (DESIGN §6, docs/RUNTIME.md "Profiling counters").
//!
//! The instruction loop reaches it through the instruction it executes, so
//! counting costs a load, a decrement, a store and a branch: no index, no
//! bounds check, no threshold to load. It counts *down*; when it reaches
//! zero the interpreter's cold path adds the arrivals it counted to the
//! anchor's totals and sets the next period (how many arrivals until it
//! looks again). A new counter is at zero with a period of zero, so the
//! first arrival takes the cold path, which chooses the period: the loader
//! needs to know neither the JIT's threshold nor whether a JIT runs.
//!
//! Relaxed loads and stores, not read-modify-writes: schedulers running
//! the same code may lose an arrival now and then, which a profile can
//! afford and an atomic add on every back edge could not.

use std::sync::atomic::{AtomicI32, Ordering::Relaxed};

/// A count-down counter in an instruction.
#[derive(Default)]
pub struct Countdown {
    /// Arrivals left until the cold path; zero or below when due.
    left: AtomicI32,
    /// What `left` was last set to.
    period: AtomicI32,
}

impl Countdown {
    /// The longest period: how often the cold path runs when nothing but
    /// the totals needs it.
    pub const MAX_PERIOD: u32 = 1 << 30;

    /// A counter whose first arrival takes the cold path.
    pub const fn new() -> Countdown {
        Countdown {
            left: AtomicI32::new(0),
            period: AtomicI32::new(0),
        }
    }

    /// Counts one arrival; true when the period has run out (take the cold
    /// path: [`Countdown::restart`]).
    #[inline(always)]
    pub fn tick(&self) -> bool {
        let n = self.left.load(Relaxed).wrapping_sub(1);
        self.left.store(n, Relaxed);
        n <= 0
    }

    /// Arrivals left until the cold path: the next `left() - 1` arrivals
    /// are not due (none when it is 1 or below).
    #[inline(always)]
    pub fn left(&self) -> i32 {
        self.left.load(Relaxed)
    }

    /// Counts `n` arrivals at once, none of them due (the caller checked
    /// that `n` is below [`Countdown::left`]): a loop run inside one
    /// instruction counts its back edges when it stops.
    #[inline(always)]
    pub fn tick_n(&self, n: i32) {
        let left = self.left.load(Relaxed).wrapping_sub(n);
        self.left.store(left, Relaxed);
    }

    /// Arrivals counted since the period was set and not yet taken by
    /// [`Countdown::restart`].
    pub fn pending(&self) -> u64 {
        let counted = i64::from(self.period.load(Relaxed)) - i64::from(self.left.load(Relaxed));
        counted.max(0) as u64
    }

    /// Starts a new period of `period` arrivals (at least 1, at most
    /// [`Countdown::MAX_PERIOD`]), after the cold path took
    /// [`Countdown::pending`] into the anchor's totals.
    pub fn restart(&self, period: u64) {
        let p = period.clamp(1, u64::from(Countdown::MAX_PERIOD)) as i32;
        self.period.store(p, Relaxed);
        self.left.store(p, Relaxed);
    }
}

/// A copy holds the same count (the JIT's recorder reads copies of fused
/// instructions, never counts through them).
impl Clone for Countdown {
    fn clone(&self) -> Countdown {
        Countdown {
            left: AtomicI32::new(self.left.load(Relaxed)),
            period: AtomicI32::new(self.period.load(Relaxed)),
        }
    }
}

impl std::fmt::Debug for Countdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}",
            self.left.load(Relaxed),
            self.period.load(Relaxed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_arrival_is_due_then_every_period() {
        let c = Countdown::new();
        assert!(c.tick());
        assert_eq!(c.pending(), 1);
        c.restart(3);
        assert!(!c.tick());
        assert!(!c.tick());
        assert_eq!(c.pending(), 2);
        assert!(c.tick());
        assert_eq!(c.pending(), 3);
        c.restart(0);
        assert!(c.tick());
        c.restart(u64::MAX);
        assert!(!c.tick());
        assert_eq!(c.pending(), 1);
    }

    #[test]
    fn arrivals_past_zero_are_counted() {
        let c = Countdown::new();
        c.restart(1);
        // Another scheduler ticked before this one restarted it.
        assert!(c.tick());
        assert!(c.tick());
        assert_eq!(c.pending(), 2);
        c.restart(5);
        assert_eq!(c.pending(), 0);
    }

    #[test]
    fn arrivals_counted_at_once_count_as_ticks() {
        let c = Countdown::new();
        c.restart(10);
        assert_eq!(c.left(), 10);
        c.tick_n(9);
        assert_eq!((c.left(), c.pending()), (1, 9));
        // The next arrival is due, as after nine ticks.
        assert!(c.tick());
        assert_eq!(c.pending(), 10);
    }
}
