//! Run queues: per scheduler, one first-in first-out deque per priority
//! level (`max`, `high`, `normal` with `low`; `crossbeam-deque`'s
//! `Worker`), plus one shared `Injector` per level; served highest level
//! first, and within a level: the shared queue, then the scheduler's own,
//! then stealing from the other schedulers' deques.
//!
//! What goes where. A process made runnable by the process a scheduler
//! runs (a message, a signal, a spawn) or by the end of its slice goes to
//! that scheduler's deque: it runs there next (ring message passing stays
//! on one thread, a spawned process starts where its parent's heap was
//! allocated), unless an idle scheduler steals it first. A process woken
//! by a timer, or by a thread that is no scheduler, goes to the shared
//! queue, which every scheduler serves before its own: processes woken in
//! deadline order start in that order, whichever thread fired the timers
//! and whichever thread the operating system has descheduled. (Deques
//! alone were tried first: a process queued on a scheduler whose thread
//! was descheduled for milliseconds waited while another scheduler ran
//! processes woken after it, and `run_timers` printed out of order in 3 of
//! 20 runs on a loaded machine.)
//!
//! Queues hold process numbers; the processes stay in the scheduler's
//! table, so a queued number is only a hint (the process may have died or
//! gone back to waiting since), checked under the table's lock when taken.
//! Pushes and pops happen under that lock too (so that no wake-up is lost:
//! see `crate::sched::sleep`), which [`has_work`] does not need.

use std::cell::RefCell;
use std::sync::OnceLock;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use parking_lot::RwLock;

/// Priority levels that have a queue of their own.
const LEVELS: usize = 3;

/// The queues every scheduler reaches.
struct Shared {
    injectors: [Injector<u32>; LEVELS],
    /// Each scheduler's deques, for stealing (in registration order).
    stealers: RwLock<Vec<[Stealer<u32>; LEVELS]>>,
}

fn shared() -> &'static Shared {
    static Q: OnceLock<Shared> = OnceLock::new();
    Q.get_or_init(|| Shared {
        injectors: std::array::from_fn(|_| Injector::new()),
        stealers: RwLock::new(Vec::new()),
    })
}

/// A scheduler thread's own deques and its index among the stealers.
struct Local {
    deques: [Worker<u32>; LEVELS],
    index: usize,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Gives the calling thread, a scheduler, deques of its own.
pub(crate) fn register() {
    let deques: [Worker<u32>; LEVELS] = std::array::from_fn(|_| Worker::new_fifo());
    let mut stealers = shared().stealers.write();
    let index = stealers.len();
    stealers.push(std::array::from_fn(|l| deques[l].stealer()));
    LOCAL.with(|l| *l.borrow_mut() = Some(Local { deques, index }));
}

/// The calling scheduler's index (0 for the first registered), or `None`
/// on a thread that is no scheduler.
pub(crate) fn index() -> Option<usize> {
    LOCAL.with(|l| l.borrow().as_ref().map(|local| local.index))
}

/// Where a process made runnable is queued.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// By what this scheduler runs: its own deque.
    Here,
    /// By a timer: the shared queue.
    Timer,
}

/// Queues process `n` at `level`; true when another scheduler should be
/// woken: work was queued already here (what a scheduler queues while it
/// has nothing queued it runs itself next), or the caller is no
/// scheduler.
pub(crate) fn push(level: usize, n: u32, origin: Origin) -> bool {
    let q = shared();
    let shared_backlog = q.injectors.iter().any(|l| !l.is_empty());
    LOCAL.with(|l| match l.borrow().as_ref() {
        Some(local) if origin == Origin::Here => {
            let backlog = shared_backlog || local.deques.iter().any(|d| !d.is_empty());
            local.deques[level].push(n);
            backlog
        }
        Some(local) => {
            let backlog = shared_backlog || local.deques.iter().any(|d| !d.is_empty());
            q.injectors[level].push(n);
            backlog
        }
        None => {
            q.injectors[level].push(n);
            true
        }
    })
}

/// Takes one item, retrying while the queue reports a concurrent change.
fn take(mut steal: impl FnMut() -> Steal<u32>) -> Option<u32> {
    loop {
        match steal() {
            Steal::Success(n) => return Some(n),
            Steal::Empty => return None,
            Steal::Retry => std::hint::spin_loop(),
        }
    }
}

/// The next queued process number: highest level first; within a level,
/// the shared queue, this scheduler's deque, then another's (stealing
/// half of it, so a scheduler that spawned many processes shares them out
/// in one go).
pub(crate) fn pop() -> Option<u32> {
    let q = shared();
    LOCAL.with(|l| {
        let l = l.borrow();
        (0..LEVELS).find_map(|level| {
            let injector = &q.injectors[level];
            // `is_empty` is a load or two, a failed steal a fence.
            if !injector.is_empty() {
                if let Some(n) = take(|| injector.steal()) {
                    return Some(n);
                }
            }
            let local = l.as_ref()?;
            if let Some(n) = local.deques[level].pop() {
                return Some(n);
            }
            let stealers = q.stealers.read();
            let others = stealers.len();
            (1..others).find_map(|k| {
                let victim = &stealers[(local.index + k) % others][level];
                take(|| victim.steal_batch_and_pop(&local.deques[level]))
            })
        })
    })
}

/// Whether any queue holds work (read without the table's lock: a hint
/// for a scheduler about to sleep).
pub(crate) fn has_work() -> bool {
    let q = shared();
    q.injectors.iter().any(|i| !i.is_empty())
        || q.stealers
            .read()
            .iter()
            .any(|s| s.iter().any(|d| !d.is_empty()))
}
