//! BACKGROUND: compiling root traces on a thread of their own while the
//! interpreter goes on.
//!
//! A root trace's recording ends on the interpreter's thread; optimising,
//! generating and installing its code (30-100 µs, the first of a run the
//! slowest: its code is cold) runs on the compile thread, and the anchor
//! keeps interpreting until its trace is published (`docs/JIT.md`,
//! *Measurements*, sessions 16 and 17). While a compile is pending no
//! root recording starts: one made meanwhile would miss the pending trace
//! (a nested loop's, which it would call) or record it again.
//!
//! Side and return traces compile in place, as do traces holding a term
//! constant a collection could move ([`movable`]): the heuristics that
//! watch a trace's first entries (the recursion probation, hot exits)
//! expect its side and return traces at once. Eager mode
//! (`--jit-threshold 1`) and `--jit-dump`/`--perf-map` compile everything
//! in place: every trace is there before the anchor runs again, as the
//! tests expect.
//!
//! The compile thread is a batch thread (Linux's `SCHED_BATCH`): its
//! share of the CPU is a normal thread's, but waking it for a compile
//! does not preempt the interpreter that sent it. On a busy machine it
//! did: a scheduler put it on the sender's core and the interpreter
//! waited out the compile and more (bench_float 1000: 1 run in 4 took
//! 340-400 µs against 90-140).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use enigma_vm::term::Term;

use crate::ir::{Op, Trace};

/// A compile and what follows it (publishing the trace, or counting the
/// abort).
pub type Job = Box<dyn FnOnce() + Send>;

/// How long a compile may wait in the queue before the interpreter that
/// next looks takes it back and compiles it in place ([`Compiler::steal`]):
/// about what a first compile takes. A compile still queued that long
/// found no free core (a loaded machine, or valgrind, which runs one
/// thread at a time), so the trace comes sooner in place, as before the
/// thread (bench_mandel 8 got its trace after its loops were done).
pub const STALE: Duration = Duration::from_micros(100);

/// Where compiles run.
#[derive(Default)]
pub struct Compiler {
    /// Whether the compile thread runs; unset: compiles run where asked.
    started: OnceLock<()>,
    /// Compiles not yet started, each with the time it was queued.
    queue: Mutex<VecDeque<(Instant, Job)>>,
    /// Signalled when a compile is queued.
    ready: Condvar,
    /// Jobs queued or running.
    pending: AtomicU32,
}

impl Compiler {
    /// Starts the compile thread (compiles stay on the caller's thread if
    /// it cannot be started).
    pub fn start(&'static self) {
        let thread = std::thread::Builder::new()
            .name("enigma-jit".into())
            .spawn(move || {
                batch();
                loop {
                    let job = self.next();
                    self.done(job);
                }
            });
        match thread {
            Ok(_) => {
                let _ = self.started.set(());
            }
            Err(e) => log::debug!("jit: no compile thread ({e}): compiling in place"),
        }
    }

    /// The next queued job, once there is one.
    fn next(&self) -> Job {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some((_, job)) = queue.pop_front() {
                return job;
            }
            queue = self.ready.wait(queue).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Runs a job taken from the queue.
    fn done(&self, job: Job) {
        // A compile that panics (a bug) loses its trace, not the JIT: the
        // count must still come down.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
            log::error!("jit: a compile panicked; its trace is lost");
        }
        self.pending.fetch_sub(1, Ordering::Release);
    }

    /// Whether compiles run on the compile thread.
    pub fn in_background(&self) -> bool {
        self.started.get().is_some()
    }

    /// Queues `job` for the compile thread, or runs it now where there is
    /// none.
    pub fn run(&self, job: Job) {
        if !self.in_background() {
            return job();
        }
        self.pending.fetch_add(1, Ordering::Relaxed);
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        queue.push_back((Instant::now(), job));
        drop(queue);
        self.ready.notify_one();
    }

    /// Whether a compile is queued or running.
    pub fn pending(&self) -> bool {
        self.pending.load(Ordering::Acquire) != 0
    }

    /// Runs here the oldest queued job if it waited `limit` or more (the
    /// compile thread found no core; see [`STALE`]). Never blocks: a
    /// queue the thread holds is left to it.
    pub fn steal(&self, limit: Duration) {
        let job = match self.queue.try_lock() {
            Ok(mut queue) => match queue.front() {
                Some((at, _)) if at.elapsed() >= limit => queue.pop_front(),
                _ => None,
            },
            Err(_) => None,
        };
        if let Some((_, job)) = job {
            self.done(job);
        }
    }

    /// Waits until no compile is pending, for at most `limit` (the
    /// `--jit-stats` report counts every trace recorded).
    pub fn settle(&self, limit: Duration) {
        let start = Instant::now();
        while self.pending() && start.elapsed() < limit {
            std::thread::sleep(Duration::from_micros(100));
        }
    }
}

/// Whether `trace` holds a term constant that points into memory: a boxed
/// term or a list. The recorder takes such constants only from the
/// module's literals, which no collection moves, but a word alone does not
/// tell a literal from a term on a process heap, which a collection
/// between the recording and a later compile would move; such a trace
/// compiles at once, in place, as every trace did before this thread.
pub fn movable(trace: &Trace) -> bool {
    trace.ins.iter().any(|i| match i.op {
        Op::KTerm(w) => {
            let t = Term::from_raw(w);
            t.is_boxed() || t.is_list()
        }
        _ => false,
    })
}

/// Makes the calling thread a batch thread, where the system has them
/// (without, it stays a normal one).
#[cfg(any(target_os = "linux", target_os = "android"))]
#[allow(unsafe_code)]
fn batch() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `param` is a valid `sched_param` for the call, which reads
    // it and changes only this thread's (pid 0) scheduling policy.
    if unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) } != 0 {
        log::debug!("jit: compile thread: {}", std::io::Error::last_os_error());
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn batch() {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn jobs_run_in_place_without_a_thread_and_on_it_with_one() {
        static DONE: AtomicBool = AtomicBool::new(false);
        let here: &'static Compiler = Box::leak(Box::default());
        let caller = std::thread::current().id();
        here.run(Box::new(move || {
            assert_eq!(std::thread::current().id(), caller);
        }));
        assert!(!here.pending());
        let there: &'static Compiler = Box::leak(Box::default());
        there.start();
        there.run(Box::new(move || {
            assert_ne!(std::thread::current().id(), caller);
            DONE.store(true, Ordering::Release);
        }));
        there.settle(Duration::from_secs(10));
        assert!(!there.pending() && DONE.load(Ordering::Acquire));
    }

    #[test]
    fn stale_jobs_are_taken_back() {
        static RAN: AtomicU32 = AtomicU32::new(0);
        // Queued, with no thread to take them: as if none found a core.
        let c: &'static Compiler = Box::leak(Box::default());
        let _ = c.started.set(());
        c.run(Box::new(|| {
            RAN.fetch_add(1, Ordering::Relaxed);
        }));
        c.steal(Duration::from_secs(3600));
        assert!(c.pending() && RAN.load(Ordering::Relaxed) == 0);
        c.steal(Duration::ZERO);
        assert!(!c.pending() && RAN.load(Ordering::Relaxed) == 1);
    }

    #[test]
    fn traces_holding_pointers_are_movable() {
        use crate::ir::Ty;
        let mut t = Trace::default();
        t.push(Op::KTerm(Term::NIL.raw()), Ty::Term);
        t.push(Op::KTerm(Term::small(7).raw()), Ty::Term);
        t.push(Op::KInt(1 << 40), Ty::Int);
        assert!(!movable(&t));
        let mut heap = enigma_vm::term::Heap::new();
        t.push(Op::KTerm(heap.float(1.5).raw()), Ty::Term);
        assert!(movable(&t));
    }
}
