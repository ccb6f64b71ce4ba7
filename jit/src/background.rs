//! BACKGROUND: compiling on a thread of its own while the interpreter
//! goes on.
//!
//! A recording ends on the interpreter's thread; optimising, generating
//! and installing its code (30-100 µs a trace, the first of a run the
//! slowest: its code is cold) runs on the compile thread, and the anchor
//! keeps interpreting until its trace is published (`docs/JIT.md`,
//! *Measurements*, session 16). While a compile is pending no new
//! recording starts: a recording made meanwhile would miss the pending
//! trace (a nested loop's, which it would call) or record it again.
//!
//! Eager mode (`--jit-threshold 1`) and `--jit-dump`/`--perf-map` compile
//! on the interpreter's thread: every trace is there before the anchor
//! runs again, as the tests expect.
//!
//! The compile thread is a batch thread (Linux's `SCHED_BATCH`): its
//! share of the CPU is a normal thread's, but waking it for a compile
//! does not preempt the interpreter that sent it. On a busy machine it
//! did: a scheduler put it on the sender's core and the interpreter
//! waited out the compile and more (bench_float 1000: 1 run in 4 took
//! 340-400 µs against 90-140).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A compile and what follows it (publishing the trace, or counting the
/// abort).
pub type Job = Box<dyn FnOnce() + Send>;

/// Where compiles run.
#[derive(Default)]
pub struct Compiler {
    /// The compile thread's queue; unset: compiles run where asked.
    queue: OnceLock<Sender<Job>>,
    /// Jobs sent and not yet done.
    pending: AtomicU32,
}

impl Compiler {
    /// Starts the compile thread (compiles stay on the caller's thread if
    /// it cannot be started).
    pub fn start(&'static self) {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("enigma-jit".into())
            .spawn(move || {
                batch();
                for job in rx {
                    // A compile that panics (a bug) loses its trace, not
                    // the JIT: the count must still come down.
                    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                        log::error!("jit: a compile panicked; its trace is lost");
                    }
                    self.pending.fetch_sub(1, Ordering::Release);
                }
            });
        match thread {
            Ok(_) => {
                let _ = self.queue.set(tx);
            }
            Err(e) => log::debug!("jit: no compile thread ({e}): compiling in place"),
        }
    }

    /// Whether compiles run on the compile thread.
    pub fn in_background(&self) -> bool {
        self.queue.get().is_some()
    }

    /// Runs `job` on the compile thread, or now where there is none.
    pub fn run(&self, job: Job) {
        let Some(queue) = self.queue.get() else {
            return job();
        };
        self.pending.fetch_add(1, Ordering::Relaxed);
        if let Err(mpsc::SendError(job)) = queue.send(job) {
            self.pending.fetch_sub(1, Ordering::Release);
            job();
        }
    }

    /// Whether a compile is queued or running.
    pub fn pending(&self) -> bool {
        self.pending.load(Ordering::Acquire) != 0
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
}
