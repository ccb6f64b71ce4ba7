//! Run queues: one first-in first-out queue per priority level (`max`,
//! `high`, `normal` with `low`), shared by every scheduler
//! (`crossbeam-deque`'s `Injector`), served highest level first.
//!
//! Why shared queues and not a deque per scheduler with stealing: a
//! process queued on a scheduler waits for that scheduler, and the
//! operating system may deschedule its thread for a whole time slice
//! (milliseconds) while another scheduler runs processes queued after it.
//! With per-scheduler deques, processes woken in deadline order by timers
//! ran out of that order, and a process told to stop had not stopped 10
//! ms later (3 of 20 runs of `run_timers` on 2 cores shared with other
//! work; 0 of 20 with one queue). One queue keeps BEAM's fairness in
//! the order work was made runnable, whichever thread is late; a woken
//! process still runs on the scheduler that woke it when that one has
//! nothing else queued (it pops it next, and no sleeper is woken).
//!
//! Queues hold process numbers; the processes stay in the scheduler's
//! table, so a queued number is only a hint (the process may have died or
//! gone back to waiting since), checked under the table's lock when taken.

use std::sync::OnceLock;

use crossbeam_deque::{Injector, Steal};

/// Priority levels that have a queue of their own.
const LEVELS: usize = 3;

fn queues() -> &'static [Injector<u32>; LEVELS] {
    static Q: OnceLock<[Injector<u32>; LEVELS]> = OnceLock::new();
    Q.get_or_init(|| std::array::from_fn(|_| Injector::new()))
}

/// Queues process `n` at `level`; true when work was queued already, so
/// that another scheduler should be woken (what a scheduler queues while
/// the queues are empty it runs itself next).
pub(crate) fn push(level: usize, n: u32) -> bool {
    let q = queues();
    let backlog = q.iter().any(|l| !l.is_empty());
    q[level].push(n);
    backlog
}

/// The next queued process number, highest level first.
pub(crate) fn pop() -> Option<u32> {
    queues().iter().find_map(|q| loop {
        match q.steal() {
            Steal::Success(n) => break Some(n),
            Steal::Empty => break None,
            Steal::Retry => std::hint::spin_loop(),
        }
    })
}
