//! The scheduler threads: each takes a runnable process from the run
//! queues (`crate::runq`), runs it for a slice of `SLICE` reductions or
//! until it waits or ends, and puts it back into the shared table
//! (`crate::sched`). A scheduler with nothing to run fires due timers and
//! sleeps on a condition variable until work is queued or the earliest
//! timer is due: an idle VM uses no CPU.
//!
//! No wake-up is lost: a scheduler looks for work and falls asleep under
//! the table's lock, and everything that makes a process runnable (a
//! message, an exit signal, a timer, a spawn) queues it under that lock
//! and wakes a sleeper (see `Sched::enqueue`). A process is in exactly one
//! of two places at any moment a lock holder can see: the table (`procs`),
//! or `running` while a scheduler runs it; the hand-over in both
//! directions happens inside one critical section.

use std::time::{Duration, Instant};

use enigma_vm::atom::Atom;
use enigma_vm::exception::{Class, Exception};
use enigma_vm::process::{Message, Process};
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::run::{self, Outcome, Registers, Start};
use crate::sched::{
    atom, lock, pid_number, Newborn, Proc, Running, Sched, SpawnOpts, State, SLICE,
};
use crate::timers::Action;
use parking_lot::MutexGuard;

/// Native stack of a scheduler thread: the main thread's (BIFs that
/// walk terms recurse).
const STACK_BYTES: usize = 8 << 20;

/// The number of schedulers `enigma run` starts by default: one per
/// online core, as BEAM.
pub fn default_schedulers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Schedulers started by [`run_until`] (before it runs: the default).
pub fn schedulers() -> usize {
    match lock().schedulers {
        0 => default_schedulers(),
        n => n,
    }
}

/// Runs processes on `n` scheduler threads (this one and `n - 1` more)
/// until `main` ends, `halt` is called or nothing can run again; returns
/// how it ended. Other schedulers stop at their next switch. A crash of a
/// process other than `main` is reported on standard error, as BEAM's
/// logger does. Runs once per OS process.
pub fn run_until(main: Term, regs: &mut Registers, n: usize) -> Outcome {
    let n = n.max(1);
    {
        let mut s = lock();
        if s.schedulers > 0 {
            // Schedulers run already (one `run_until` per OS process).
            return Outcome::Raised(Exception::badarg(), Term::NIL);
        }
        s.main = pid_number(main);
        s.schedulers = n;
    }
    for i in 1..n {
        let spawned = std::thread::Builder::new()
            .name(format!("scheduler {}", i + 1))
            .stack_size(STACK_BYTES)
            .spawn(|| {
                let mut regs = Box::<Registers>::default();
                let run = std::panic::AssertUnwindSafe(|| schedule(&mut regs));
                if std::panic::catch_unwind(run).is_err() {
                    // A panic is a VM bug, already reported by the hook;
                    // end the VM as the main thread's panic would, rather
                    // than leave the others waiting for this scheduler.
                    std::process::exit(101);
                }
            });
        if let Err(e) = spawned {
            log::warn!("scheduler thread not started: {e}");
            lock().schedulers -= 1;
        }
    }
    schedule(regs);
    let out = lock().outcome.take();
    out.unwrap_or(Outcome::Raised(Exception::badarg(), Term::NIL))
}

/// One scheduler's loop, until the VM ends. The lock is held but while
/// a process runs.
fn schedule(regs: &mut Registers) {
    crate::runq::register();
    let mut s = lock();
    while let Some((n, mut proc_)) = next(&mut s) {
        if crate::trace::active() {
            s.trace_schedule_in(n, &proc_.state);
        }
        let out = MutexGuard::unlocked(&mut s, || {
            let start = crate::sched_flags::slice_start();
            let out = run_slice(&mut proc_, regs);
            crate::sched_flags::slice_end(start);
            out
        });
        match out {
            Some(out) => s.after_slice(n, proc_, out, regs),
            None => s.put_back(n, proc_),
        }
    }
}

/// The next process to run, taken out of the table; sleeps while there is
/// none. `None` when the VM has ended.
fn next(s: &mut MutexGuard<'static, Sched>) -> Option<(u32, Box<Proc>)> {
    let mut spun = false;
    loop {
        if s.outcome.is_some() {
            return None;
        }
        if !s.timers.is_empty() {
            s.fire_timers(Instant::now());
        }
        if let Some(m) = s.main_exit.take() {
            s.finish(main_killed(m));
            return None;
        }
        while let Some(n) = crate::runq::pop() {
            if let Some(p) = s.take(n) {
                return Some((n, p));
            }
        }
        if s.timers.is_empty() && s.running.is_empty() && !crate::sched::external_sources() {
            // Nothing runs, nothing is queued, no timer is pending and no
            // other thread will send anything: nothing can ever run again.
            let reason = atom("enigma_deadlock");
            s.finish(Outcome::Raised(Exception::exit(reason), Term::NIL));
            return None;
        }
        if !spun && !s.running.is_empty() {
            // Then look again under the lock: what was queued meanwhile
            // may have woken no one.
            spun = true;
            spin(s);
            continue;
        }
        crate::sched::sleep(s);
        spun = false;
    }
}

/// How long a scheduler that found no work looks for some before it
/// sleeps, while other schedulers run processes that may make some: a
/// sleeper costs the scheduler that wakes it a system call and itself a
/// context switch, more than a spawned process's whole life (BEAM's
/// schedulers spin too before they sleep).
const SPIN: Duration = Duration::from_micros(50);

/// Waits up to `SPIN` for queued work, without the table's lock.
fn spin(s: &mut MutexGuard<'static, Sched>) {
    MutexGuard::unlocked(s, || {
        let start = Instant::now();
        while start.elapsed() < SPIN && !crate::runq::has_work() {
            std::hint::spin_loop();
        }
    });
}

/// Runs a process for one slice; `None` if it was not runnable.
fn run_slice(proc_: &mut Proc, regs: &mut Registers) -> Option<Outcome> {
    let live = proc_.x.len();
    regs.x[..live].copy_from_slice(&proc_.x);
    Some(match proc_.state {
        State::New(what) => run::start(regs, &mut proc_.p, what, live as u32, SLICE),
        State::Ready { id, pc } => run::resume(regs, &mut proc_.p, id, pc, SLICE),
        State::Waiting { .. } | State::Hibernating(_) => return None,
    })
}

impl Sched {
    /// Puts process `n` back after a slice that ended with `out` (or ends
    /// it), with what reached it meanwhile, and serves the requests
    /// (`process_info`, `garbage_collect`) it got.
    fn after_slice(&mut self, n: u32, proc_: Box<Proc>, out: Outcome, regs: &Registers) {
        let mut r = self.running.remove(&n).unwrap_or_default();
        let requests = std::mem::take(&mut r.requests);
        self.end_slice(n, proc_, out, r, regs);
        self.answer_requests(n, requests);
    }

    /// [`Sched::after_slice`] but for the requests; `r` is what reached
    /// the process while it ran.
    fn end_slice(
        &mut self,
        n: u32,
        mut proc_: Box<Proc>,
        out: Outcome,
        mut r: Running,
        regs: &Registers,
    ) {
        let is_main = self.main == Some(n);
        // The reason a process that ended exits with, on its heap.
        let reason = match out {
            Outcome::Raised(e, trace) => {
                let class = e.class;
                let reason = exit_reason(&mut proc_.p, e, trace);
                // An exit signal that reached it while it ran ended it
                // first (what it raised after is not its exit reason).
                if !is_main && class != Class::Exit && r.killed.is_none() {
                    self.report_crash(proc_.p.pid, proc_.p.group_leader, reason);
                }
                reason
            }
            _ => Term::atom(Atom::NORMAL),
        };
        // Messages in the mailbox now were looked at by a `receive` that
        // ends in a wait; only the ones the inbox adds are new to it.
        let seen = proc_.p.mailbox.len();
        proc_.p.mailbox.extend(r.take_arrived());
        if let Some(gl) = r.group_leader {
            proc_.p.group_leader = gl;
        }
        if let Outcome::Halt(_) = out {
            return self.finish(out);
        }
        if let Some(why) = r.killed {
            // An exit signal ended it while it ran.
            self.procs.insert(n, proc_);
            self.terminate(n, why.term);
            return self.flush_signals();
        }
        match out {
            Outcome::Yielded { id, pc, live } => {
                if crate::trace::active() {
                    self.trace_schedule_out(n, id, pc);
                }
                proc_.x = regs.x[..live as usize].to_vec();
                proc_.state = State::Ready { id, pc };
                self.procs.insert(n, proc_);
                self.enqueue(n);
            }
            Outcome::Waiting { .. } if r.hibernate.is_some() => {
                let (start, args) = r.hibernate.unwrap_or((Start::Fun(Term::NIL), Vec::new()));
                proc_.x = args;
                proc_.p.recv_cursor = 0;
                let arrived = !proc_.p.mailbox.is_empty();
                proc_.state = if arrived {
                    State::New(start)
                } else {
                    State::Hibernating(start)
                };
                self.procs.insert(n, proc_);
                if arrived {
                    self.enqueue(n);
                }
            }
            Outcome::Waiting {
                id,
                on_message,
                on_timeout,
                timeout_ms,
            } => {
                if crate::trace::active() {
                    self.trace_schedule_out(n, id, on_message);
                }
                proc_.x.clear();
                let arrived = proc_.p.mailbox.len() > seen;
                // The receive's timer fired while the process was runnable
                // after a message it did not take.
                let expired = proc_
                    .p
                    .recv_timer
                    .is_some_and(|k| self.timers.get(k.get()).is_none());
                // The timer starts with the first wait, even when a message
                // arrived meanwhile: the `wait_timeout` run again for it
                // must find it set, as its operand (often X0, dead now) is
                // not read twice. A timeout past what the clock represents
                // never comes.
                let deadline =
                    timeout_ms.and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
                if let Some(d) = deadline {
                    let key = self.add_timer(d, Action::Receive { proc_: n });
                    proc_.p.recv_timer = std::num::NonZeroU64::new(key);
                }
                proc_.state = if arrived {
                    State::Ready { id, pc: on_message }
                } else if expired {
                    proc_.p.recv_cursor = 0;
                    State::Ready { id, pc: on_timeout }
                } else {
                    State::Waiting {
                        id,
                        on_message,
                        on_timeout,
                    }
                };
                let runnable = !matches!(proc_.state, State::Waiting { .. });
                self.procs.insert(n, proc_);
                if runnable {
                    self.enqueue(n);
                }
            }
            Outcome::Halt(_) => {}
            Outcome::Returned(_) | Outcome::Raised(..) if is_main && !self.stopping => {
                // The outcome's terms live on its heap, and the VM stops
                // after the main process.
                std::mem::forget(proc_);
                self.finish(out);
            }
            Outcome::Returned(_) | Outcome::Raised(..) => {
                // The reason lives on its heap: dropped after.
                self.terminate(n, reason);
                self.flush_signals();
                drop(proc_);
            }
        }
    }

    /// Has BEAM's crash report logged for process `pid`, ended with
    /// `reason` by an uncaught error or throw: a process with the crashed
    /// one's group leader `gl` runs `enigma_boot:crash_report/3`, which
    /// sends it to the `logger` process as erts does.
    fn report_crash(&mut self, pid: Term, gl: Term, reason: Term) {
        let (Ok(boot), Ok(report)) = (Atom::intern("enigma_boot"), Atom::intern("crash_report"))
        else {
            return;
        };
        // The time of the crash, not of the report (which may load
        // modules first).
        let micros = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as i64);
        let what = Start::Export(Export::get_or_create(boot, report, 3));
        let args = [pid, reason, Term::small(micros)];
        let born = Newborn::new(
            what,
            &args,
            SpawnOpts {
                system: true,
                group_leader: Some(gl),
                ..SpawnOpts::default()
            },
        );
        self.admit(born);
    }

    /// Puts back a process taken to run that was not runnable after all.
    fn put_back(&mut self, n: u32, proc_: Box<Proc>) {
        let requests = self.running.remove(&n).map(|r| r.requests);
        self.procs.insert(n, proc_);
        self.answer_requests(n, requests.unwrap_or_default());
    }
}

/// The exit reason of an uncaught exception, as BEAM builds it.
fn exit_reason(p: &mut Process, e: Exception, trace: Term) -> Term {
    match e.class {
        Class::Exit => e.reason,
        Class::Error => p.heap.tuple(&[e.reason, trace]),
        Class::Throw => {
            let nocatch = p.heap.tuple(&[atom("nocatch"), e.reason]);
            p.heap.tuple(&[nocatch, trace])
        }
    }
}

/// The outcome of a main process ended by an exit signal.
fn main_killed(reason: Message) -> Outcome {
    let out = Outcome::Raised(Exception::exit(reason.term), Term::NIL);
    // The reason lives in the message's fragment; the VM stops now.
    std::mem::forget(reason);
    out
}
