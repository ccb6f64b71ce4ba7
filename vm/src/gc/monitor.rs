//! The system monitor (`erlang:system_monitor/0,1,2`): who it is, what it
//! watches, and what the collector reports to it.
//!
//! Of BEAM's events, the collector's two are raised here: `long_gc` (a
//! collection that took longer than the limit, in milliseconds) and
//! `large_heap` (a collection that left the young and old heaps at least
//! the limit, in words). The others are accepted and read back:
//! `long_schedule` (never raised: a slice is not timed), `busy_port`
//! (raised by a busy TCP socket's port, `interp`'s `port::tcp_busy`, not
//! here) and `busy_dist_port` (no distribution).
//!
//! A collection checks two atomics, which are zero while nothing is
//! watched; the events it raises wait in a queue ([`take_events`]) until
//! the scheduler's side, right after the collection, sends them to the
//! monitor as messages (the collector cannot send: the scheduler's table
//! may be locked around it).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use parking_lot::Mutex;

use super::HeapStats;
use crate::term::Term;

/// What the system monitor watches, as `system_monitor/2` set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The monitor: a local pid.
    pub pid: Term,
    /// `long_gc` in milliseconds (0: not watched).
    pub long_gc: u64,
    /// `long_schedule` in milliseconds (0: not watched).
    pub long_schedule: u64,
    /// `large_heap` in words (0: not watched).
    pub large_heap: usize,
    pub busy_port: bool,
    pub busy_dist_port: bool,
}

static SETTINGS: Mutex<Option<Settings>> = Mutex::new(None);
static LONG_GC: AtomicU64 = AtomicU64::new(0);
static LARGE_HEAP: AtomicUsize = AtomicUsize::new(0);
static PENDING: Mutex<Vec<(Term, GcEvent)>> = Mutex::new(Vec::new());
static HAS_PENDING: AtomicBool = AtomicBool::new(false);

/// The system monitor, if one is set.
pub fn settings() -> Option<Settings> {
    *SETTINGS.lock()
}

/// Sets (or with `None` clears) the system monitor; the previous one.
pub fn set(new: Option<Settings>) -> Option<Settings> {
    let mut s = SETTINGS.lock();
    LONG_GC.store(new.map_or(0, |n| n.long_gc), Ordering::Relaxed);
    LARGE_HEAP.store(new.map_or(0, |n| n.large_heap), Ordering::Relaxed);
    std::mem::replace(&mut *s, new)
}

/// Clears the system monitor if it is `pid` (it is gone: BEAM clears the
/// setting when the monitor process exits).
pub fn clear_if(pid: Term) {
    if settings().is_some_and(|s| s.pid == pid) {
        set(None);
    }
}

/// A collection the system monitor is told about: `{monitor, Pid,
/// long_gc | large_heap, Info}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GcEvent {
    /// The collection's time in milliseconds, when over `long_gc`.
    pub long_gc: Option<u64>,
    /// Whether the heaps were at least `large_heap` afterwards.
    pub large_heap: bool,
    /// BEAM's figures of the process after the collection, in its order.
    pub info: [(&'static str, usize); 6],
}

/// When a collection starts: the time, if collections are timed.
pub(super) fn started() -> Option<Instant> {
    (LONG_GC.load(Ordering::Relaxed) != 0).then(Instant::now)
}

/// Queues the event that a collection of process `pid` that `started`
/// and left its heaps as `stats()` raises, if any (BEAM's
/// `garbage_collect` after the collection: `monitor_long_gc`,
/// `monitor_large_heap`).
pub(super) fn check(pid: Term, started: Option<Instant>, stats: impl FnOnce() -> HeapStats) {
    let large = LARGE_HEAP.load(Ordering::Relaxed);
    if started.is_none() && large == 0 {
        return;
    }
    let s = stats();
    if let Some(e) = event(started, &s, large) {
        PENDING.lock().push((pid, e));
        HAS_PENDING.store(true, Ordering::Release);
    }
}

/// The events queued since the last call: `(pid of the process that
/// collected, event)`.
pub fn take_events() -> Vec<(Term, GcEvent)> {
    if !HAS_PENDING.swap(false, Ordering::Acquire) {
        return Vec::new();
    }
    std::mem::take(&mut *PENDING.lock())
}

fn event(started: Option<Instant>, s: &HeapStats, large: usize) -> Option<GcEvent> {
    let limit = LONG_GC.load(Ordering::Relaxed);
    let long_gc = started
        .map(|t| t.elapsed().as_millis() as u64)
        .filter(|&ms| limit != 0 && ms > limit);
    let large_heap = large != 0 && s.heap_size + s.old_heap_size >= large;
    if long_gc.is_none() && !large_heap {
        return None;
    }
    Some(GcEvent {
        long_gc,
        large_heap,
        info: [
            ("old_heap_block_size", s.old_heap_size),
            ("heap_block_size", s.heap_size),
            ("mbuf_size", s.fragment_words),
            ("stack_size", s.stack_size),
            ("old_heap_size", s.old_used),
            ("heap_size", s.young_used),
        ],
    })
}
