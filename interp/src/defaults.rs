//! System-wide settings that `erlang:system_flag/2` changes and
//! `erlang:system_info/1` reads: the heap options a new process starts
//! with (before its `spawn_opt` options), the depth of stack traces, and
//! the number of schedulers reported online.

use std::sync::atomic::{AtomicUsize, Ordering};

use enigma_vm::gc::MaxHeapSize;
use enigma_vm::process::Process;
use parking_lot::Mutex;

/// BEAM's default `min_heap_size`, in words.
pub const MIN_HEAP_SIZE: usize = 233;
/// BEAM's default `min_bin_vheap_size`, in words.
pub const MIN_BIN_VHEAP_SIZE: usize = 46_422;
/// BEAM's default `fullsweep_after`.
pub const FULLSWEEP_AFTER: usize = 65_535;
/// BEAM's default `backtrace_depth`: frames kept in a stack trace.
pub const BACKTRACE_DEPTH: usize = 8;

static MIN_HEAP: AtomicUsize = AtomicUsize::new(MIN_HEAP_SIZE);
static MIN_BIN_VHEAP: AtomicUsize = AtomicUsize::new(MIN_BIN_VHEAP_SIZE);
static FULLSWEEP: AtomicUsize = AtomicUsize::new(FULLSWEEP_AFTER);
static DEPTH: AtomicUsize = AtomicUsize::new(BACKTRACE_DEPTH);
/// 0 until `system_flag(schedulers_online, N)`: all of them.
static ONLINE: AtomicUsize = AtomicUsize::new(0);
static MAX_HEAP: Mutex<Option<MaxHeapSize>> = Mutex::new(None);

/// A system-wide count: `min_heap_size`, `min_bin_vheap_size`,
/// `fullsweep_after`, `backtrace_depth`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// A new process's `min_heap_size`.
    MinHeapSize,
    /// A new process's `min_bin_vheap_size`.
    MinBinVheapSize,
    /// A new process's `fullsweep_after`.
    FullsweepAfter,
    /// Frames kept in a stack trace.
    BacktraceDepth,
}

impl Setting {
    fn cell(self) -> &'static AtomicUsize {
        match self {
            Setting::MinHeapSize => &MIN_HEAP,
            Setting::MinBinVheapSize => &MIN_BIN_VHEAP,
            Setting::FullsweepAfter => &FULLSWEEP,
            Setting::BacktraceDepth => &DEPTH,
        }
    }

    /// The current value.
    pub fn get(self) -> usize {
        self.cell().load(Ordering::Relaxed)
    }

    /// Sets it; the old value.
    pub fn set(self, v: usize) -> usize {
        self.cell().swap(v, Ordering::Relaxed)
    }
}

/// A new process's `max_heap_size`.
pub fn max_heap_size() -> MaxHeapSize {
    MAX_HEAP.lock().unwrap_or_default()
}

/// Sets a new process's `max_heap_size`; the old one.
pub fn set_max_heap_size(m: MaxHeapSize) -> MaxHeapSize {
    MAX_HEAP.lock().replace(m).unwrap_or_default()
}

/// The schedulers reported online: `all` until set.
pub fn schedulers_online(all: usize) -> usize {
    match ONLINE.load(Ordering::Relaxed) {
        0 => all,
        n => n,
    }
}

/// Sets the schedulers reported online; the old count (of `all`).
pub fn set_schedulers_online(n: usize, all: usize) -> usize {
    match ONLINE.swap(n, Ordering::Relaxed) {
        0 => all,
        old => old,
    }
}

/// Gives a new process the system-wide heap options that differ from
/// BEAM's defaults (its `spawn_opt` options come after).
pub(crate) fn apply(p: &mut Process) {
    let min = Setting::MinHeapSize.get();
    if min != MIN_HEAP_SIZE {
        p.set_start_heap_size(min);
    }
    let fullsweep = Setting::FullsweepAfter.get();
    if fullsweep != FULLSWEEP_AFTER {
        p.set_gc_option(
            "fullsweep_after",
            enigma_vm::term::Term::small(fullsweep as i64),
        );
    }
    if let Some(m) = *MAX_HEAP.lock() {
        p.set_max_heap_size(m);
    }
}
