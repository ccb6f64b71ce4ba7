//! System flags about the schedulers that processes hold:
//! `system_flag(scheduler_wall_time, Bool)` (busy time measured while any
//! process that turned it on lives, `statistics(scheduler_wall_time)`)
//! and `system_flag(multi_scheduling, block | block_normal | unblock |
//! unblock_normal)`.
//!
//! As on BEAM, each process has a count per flag: turning it on adds one,
//! off takes one away, and the flag holds while some live process has a
//! count; a process's counts die with it (found when the flag is next
//! read: nothing else can see it meanwhile). Multi-scheduling blocks are
//! kept and reported as BEAM's, but the other schedulers go on running
//! (what a block guarantees, one scheduler running Erlang code, is not
//! enforced).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use enigma_vm::term::Term;
use parking_lot::Mutex;

/// Processes holding a flag, with their counts.
#[derive(Default)]
struct Holders(Vec<(Term, u64)>);

impl Holders {
    /// Drops the counts of processes that have died.
    fn prune(&mut self) {
        self.0.retain(|&(pid, _)| crate::sched::is_alive(pid));
    }

    /// Whether a live process holds the flag.
    fn held(&mut self) -> bool {
        self.prune();
        !self.0.is_empty()
    }

    fn add(&mut self, pid: Term) {
        match self.0.iter_mut().find(|(p, _)| *p == pid) {
            Some((_, n)) => *n += 1,
            None => self.0.push((pid, 1)),
        }
    }

    fn remove(&mut self, pid: Term) {
        if let Some(i) = self.0.iter().position(|(p, _)| *p == pid) {
            self.0[i].1 -= 1;
            if self.0[i].1 == 0 {
                self.0.remove(i);
            }
        }
    }

    fn pids(&mut self) -> Vec<Term> {
        self.prune();
        self.0.iter().map(|&(p, _)| p).collect()
    }
}

/// The most schedulers whose busy time is measured (`+S` beyond this
/// counts the rest as idle).
const MAX_SCHEDULERS: usize = 1024;

/// Whether slices are timed: the measurement may be on.
static TIMING: AtomicBool = AtomicBool::new(false);
/// Nanoseconds each scheduler (by index) has spent running processes
/// since the measurement began.
static BUSY: [AtomicU64; MAX_SCHEDULERS] = [const { AtomicU64::new(0) }; MAX_SCHEDULERS];

#[derive(Default)]
struct WallTime {
    holders: Holders,
    /// When the measurement began.
    since: Option<Instant>,
}

static WALL_TIME: Mutex<Option<WallTime>> = Mutex::new(None);

/// `system_flag(scheduler_wall_time, on)` for process `pid`; whether the
/// measurement was on before.
pub fn set_wall_time(pid: Term, on: bool) -> bool {
    let mut guard = WALL_TIME.lock();
    let w = guard.get_or_insert_with(WallTime::default);
    let was = w.holders.held();
    if on {
        w.holders.add(pid);
    } else {
        w.holders.remove(pid);
    }
    match (was, w.holders.held()) {
        (false, true) => {
            for b in &BUSY {
                b.store(0, Ordering::Relaxed);
            }
            w.since = Some(Instant::now());
            TIMING.store(true, Ordering::Relaxed);
        }
        (_, false) => {
            w.since = None;
            TIMING.store(false, Ordering::Relaxed);
        }
        (true, true) => {}
    }
    was
}

/// Nanoseconds since the measurement began and each of the first
/// `schedulers` schedulers' busy nanoseconds, or `None` while it is off
/// (`statistics(scheduler_wall_time)`).
pub fn wall_time(schedulers: usize) -> Option<(u64, Vec<u64>)> {
    let mut guard = WALL_TIME.lock();
    let w = guard.as_mut()?;
    if !w.holders.held() {
        w.since = None;
        TIMING.store(false, Ordering::Relaxed);
        return None;
    }
    let total = w.since?.elapsed().as_nanos() as u64;
    let busy = (0..schedulers)
        .map(|i| {
            BUSY.get(i)
                .map_or(0, |b| b.load(Ordering::Relaxed).min(total))
        })
        .collect();
    Some((total, busy))
}

/// The start of a slice, when slices are timed.
#[inline]
pub(crate) fn slice_start() -> Option<Instant> {
    TIMING.load(Ordering::Relaxed).then(Instant::now)
}

/// Counts a slice begun at `start` as the calling scheduler's busy time.
#[inline]
pub(crate) fn slice_end(start: Option<Instant>) {
    if let Some(t) = start {
        if let Some(b) = crate::runq::index().and_then(|i| BUSY.get(i)) {
            b.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
    }
}

/// Multi-scheduling blocks: of all schedulers, and of the normal ones.
#[derive(Default)]
struct Blocks {
    all: Holders,
    normal: Holders,
}

static BLOCKS: Mutex<Option<Blocks>> = Mutex::new(None);

/// What `system_info(multi_scheduling)` answers: `disabled` with one
/// scheduler, else `blocked`, `blocked_normal` or `enabled`.
pub fn multi_scheduling() -> &'static str {
    if crate::smp::schedulers() == 1 {
        return "disabled";
    }
    let mut guard = BLOCKS.lock();
    let b = guard.get_or_insert_with(Blocks::default);
    if b.all.held() {
        "blocked"
    } else if b.normal.held() {
        "blocked_normal"
    } else {
        "enabled"
    }
}

/// `system_flag(multi_scheduling, What)` for process `pid`: `block`,
/// `block_normal`, `unblock` or `unblock_normal`; the state after it
/// ([`multi_scheduling`]), or `None` for another `What`.
pub fn block(pid: Term, what: &str) -> Option<&'static str> {
    if !matches!(
        what,
        "block" | "block_normal" | "unblock" | "unblock_normal"
    ) {
        return None;
    }
    if crate::smp::schedulers() > 1 {
        let mut guard = BLOCKS.lock();
        let b = guard.get_or_insert_with(Blocks::default);
        match what {
            "block" => b.all.add(pid),
            "block_normal" => b.normal.add(pid),
            "unblock" => b.all.remove(pid),
            _ => b.normal.remove(pid),
        }
    }
    Some(multi_scheduling())
}

/// The processes blocking multi-scheduling (`normal`: of the normal
/// schedulers only), for `system_info(multi_scheduling_blockers)`.
pub fn blockers(normal: bool) -> Vec<Term> {
    let mut guard = BLOCKS.lock();
    let b = guard.get_or_insert_with(Blocks::default);
    if normal {
        b.normal.pids()
    } else {
        b.all.pids()
    }
}
