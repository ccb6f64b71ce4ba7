//! Timers: `receive ... after` timeouts and `erlang:send_after/start_timer`
//! messages, in one deadline-ordered binary heap with lazy cancellation.
//!
//! Why a heap and not BEAM's timer wheel (docs/RUNTIME.md): every timer
//! is in the one table the schedulers share (under its lock), so
//! insertion is O(log n), cancellation is O(1)
//! (the timer leaves the id map; its heap entry is skipped when it reaches
//! the top), the earliest deadline — what an idle scheduler sleeps until —
//! is the top, and timers fire in exact deadline order (ties in creation
//! order) with no slot granularity or cascading. Stale entries are
//! compacted away when they outnumber the live timers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use ahash::AHashMap;
use enigma_vm::process::Message;
use enigma_vm::term::Term;

/// What a timer does when it fires.
pub(crate) enum Action {
    /// Ends the `receive` of process `proc_` if it still waits with this
    /// timer.
    Receive { proc_: u32 },
    /// Sends `msg` to `dest`, a pid or a registered name looked up when
    /// the timer fires.
    Send { dest: Term, msg: Message },
}

/// A pending timer.
pub(crate) struct Timer {
    /// When it fires.
    pub deadline: Instant,
    /// What it does then.
    pub action: Action,
}

/// Every pending timer, by id (the key of its reference).
#[derive(Default)]
pub(crate) struct Timers {
    order: BinaryHeap<Reverse<(Instant, u64)>>,
    live: AHashMap<u64, Timer>,
}

impl Timers {
    /// Adds timer `id`.
    pub fn insert(&mut self, id: u64, timer: Timer) {
        self.order.push(Reverse((timer.deadline, id)));
        self.live.insert(id, timer);
    }

    /// Removes timer `id`, returning it if it had not fired.
    pub fn cancel(&mut self, id: u64) -> Option<Timer> {
        let t = self.live.remove(&id);
        if self.order.len() > 64 + 2 * self.live.len() {
            let live = &self.live;
            self.order.retain(|Reverse((_, id))| live.contains_key(id));
        }
        t
    }

    /// Timer `id`, if pending.
    pub fn get(&self, id: u64) -> Option<&Timer> {
        self.live.get(&id)
    }

    /// The earliest pending deadline.
    pub fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(&Reverse((deadline, id))) = self.order.peek() {
            if self.live.contains_key(&id) {
                return Some(deadline);
            }
            self.order.pop();
        }
        None
    }

    /// Takes out the earliest timer whose deadline is at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        while let Some(&Reverse((deadline, id))) = self.order.peek() {
            if deadline > now {
                return None;
            }
            self.order.pop();
            if let Some(t) = self.live.remove(&id) {
                return Some(t);
            }
        }
        None
    }

    /// Whether no timer is pending.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timer(at: Instant, n: u64) -> Timer {
        Timer {
            deadline: at,
            action: Action::Receive { proc_: n as u32 },
        }
    }

    fn proc_of(t: Timer) -> u32 {
        match t.action {
            Action::Receive { proc_ } => proc_,
            Action::Send { .. } => u32::MAX,
        }
    }

    #[test]
    fn fire_in_deadline_order_ties_in_creation_order() {
        let base = Instant::now();
        let mut t = Timers::default();
        t.insert(1, timer(base + Duration::from_millis(30), 1));
        t.insert(2, timer(base + Duration::from_millis(10), 2));
        t.insert(3, timer(base + Duration::from_millis(20), 3));
        t.insert(4, timer(base + Duration::from_millis(10), 4));
        assert_eq!(t.next_deadline(), Some(base + Duration::from_millis(10)));
        assert!(t.pop_due(base).is_none());
        let later = base + Duration::from_millis(100);
        let order: Vec<u32> = std::iter::from_fn(|| t.pop_due(later))
            .map(proc_of)
            .collect();
        assert_eq!(order, [2, 4, 3, 1]);
        assert!(t.is_empty());
    }

    #[test]
    fn cancelled_timers_never_fire_and_are_compacted() {
        let base = Instant::now();
        let mut t = Timers::default();
        for id in 0..1000u64 {
            t.insert(id, timer(base + Duration::from_millis(id), id));
        }
        for id in (0..1000u64).filter(|id| id % 10 != 0) {
            assert!(t.cancel(id).is_some());
        }
        assert!(t.cancel(1).is_none());
        assert!(t.get(5).is_none() && t.get(10).is_some());
        assert!(t.order.len() <= 64 + 2 * t.live.len());
        let later = base + Duration::from_secs(10);
        let fired: Vec<u32> = std::iter::from_fn(|| t.pop_due(later))
            .map(proc_of)
            .collect();
        assert_eq!(fired, (0..100).map(|i| i * 10).collect::<Vec<u32>>());
        assert_eq!(t.next_deadline(), None);
    }
}
