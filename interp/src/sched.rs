//! Processes and their scheduling, minimal but in their final shape: a
//! process table, a mailbox per process, and one run queue served by one
//! thread with reduction-based switching (`SLICE` reductions per turn, as
//! BEAM). The SMP scheduler with stealing, timers in a wheel, links and
//! exit signals come with issue 5.
//!
//! A process that is not running lives in the table with its code
//! position and live X registers; the running one is taken out, so its
//! `Process` is borrowed by the interpreter alone. Messages to a process
//! are copied into a heap fragment by the sender ([`Message::copy`]).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::exception::Class;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::{Heap, Term};

use crate::run::{self, Outcome, Registers, Start};

/// Reductions per time slice.
pub const SLICE: i64 = 4000;

enum State {
    /// Not started: how to start, arguments in `x`.
    New(Start),
    /// Runnable at a code position.
    Ready { id: u32, pc: u32 },
    /// In `receive`.
    Waiting {
        id: u32,
        on_message: u32,
        on_timeout: u32,
        deadline: Option<Instant>,
    },
}

struct Proc {
    p: Process,
    x: Vec<Term>,
    state: State,
    /// `(reference, watcher)` of the monitors on this process.
    monitors: Vec<(Term, Term)>,
}

#[derive(Default)]
struct Sched {
    procs: AHashMap<u32, Proc>,
    queue: VecDeque<u32>,
    next_pid: u32,
    names: AHashMap<Atom, Term>,
    next_ref: u32,
}

thread_local! {
    static SCHED: RefCell<Sched> = RefCell::new(Sched::default());
}

fn pid_number(pid: Term) -> Option<u32> {
    pid.as_local_pid().map(|(n, _)| n)
}

/// A new process that will run `what` with `args`; returns its pid.
pub fn spawn(what: Start, args: &[Term], group_leader: Option<Term>) -> Term {
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        let n = s.next_pid;
        s.next_pid += 1;
        let pid = Term::pid(n, 0);
        let mut p = Process::new(pid);
        if let Some(gl) = group_leader {
            p.group_leader = gl;
        }
        let what = match what {
            Start::Fun(f) => match Message::copy(f) {
                Ok(m) => {
                    p.add_fragment(m.fragment);
                    Start::Fun(m.term)
                }
                Err(_) => what,
            },
            Start::Export(_) => what,
        };
        let x = args
            .iter()
            .map(|&a| match Message::copy(a) {
                Ok(m) => {
                    let t = m.term;
                    p.add_fragment(m.fragment);
                    t
                }
                Err(_) => Term::NIL,
            })
            .collect();
        s.procs.insert(
            n,
            Proc {
                p,
                x,
                state: State::New(what),
                monitors: Vec::new(),
            },
        );
        s.queue.push_back(n);
        pid
    })
}

/// Puts a message in `pid`'s mailbox and wakes it; a message to a process
/// that does not exist is dropped, as in Erlang.
pub fn deliver(pid: Term, m: Message) {
    let Some(n) = pid_number(pid) else { return };
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        let Some(proc_) = s.procs.get_mut(&n) else {
            return;
        };
        proc_.p.mailbox.push_back(m);
        if let State::Waiting { id, on_message, .. } = proc_.state {
            proc_.state = State::Ready { id, pc: on_message };
            s.queue.push_back(n);
        }
    });
}

/// The pid registered as `name`.
pub fn whereis(name: Atom) -> Option<Term> {
    SCHED.with(|s| s.borrow().names.get(&name).copied())
}

/// Registers `pid` as `name`; false if the name is taken.
pub fn register(name: Atom, pid: Term) -> bool {
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        if s.names.contains_key(&name) {
            return false;
        }
        s.names.insert(name, pid);
        true
    })
}

/// A fresh reference (monitors and receive markers).
pub fn make_ref(heap: &mut Heap) -> Term {
    let n = SCHED.with(|s| {
        let mut s = s.borrow_mut();
        s.next_ref += 1;
        s.next_ref
    });
    heap.local_ref(&[n, 0x454e_4947, 0])
}

/// Monitors `target` for `watcher`; `None` when `target` does not exist
/// (the caller sends the `noproc` `'DOWN'` itself).
pub fn monitor(target: Term, watcher: Term, reference: Term) -> Option<()> {
    let n = pid_number(target)?;
    let copy = Message::copy(reference).ok()?;
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        let proc_ = s.procs.get_mut(&n)?;
        proc_.monitors.push((copy.term, watcher));
        proc_.p.pinned.push(copy.fragment);
        Some(())
    })
}

/// Removes monitor `reference` wherever it is.
pub fn demonitor(reference: Term) {
    SCHED.with(|s| {
        for proc_ in s.borrow_mut().procs.values_mut() {
            proc_
                .monitors
                .retain(|&(r, _)| !enigma_vm::term::order::eq_exact(r, reference));
        }
    })
}

/// Collects `pid`'s heap where it waits (its live X registers are saved
/// in its entry); false when there is no such process. A process not yet
/// started has nothing to collect.
pub fn collect(pid: Term) -> bool {
    let Some(n) = pid_number(pid) else {
        return false;
    };
    SCHED.with(|s| match s.borrow_mut().procs.get_mut(&n) {
        Some(proc_) => {
            if !matches!(proc_.state, State::New(_)) {
                proc_.p.collect(&mut proc_.x, &mut []);
            }
            true
        }
        None => false,
    })
}

/// The memory, in bytes, of every process but the running one (see
/// `Process::heap_stats`).
pub fn process_memory() -> usize {
    SCHED.with(|s| {
        s.borrow()
            .procs
            .values()
            .map(|proc_| proc_.p.heap_stats().memory_bytes)
            .sum()
    })
}

/// Whether `pid` is a live process.
pub fn is_alive(pid: Term) -> bool {
    pid_number(pid).is_some_and(|n| SCHED.with(|s| s.borrow().procs.contains_key(&n)))
}

fn take_next() -> Option<(u32, Proc)> {
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        while let Some(n) = s.queue.pop_front() {
            if let Some(p) = s.procs.remove(&n) {
                if matches!(p.state, State::Waiting { .. }) {
                    s.procs.insert(n, p);
                    continue;
                }
                return Some((n, p));
            }
        }
        None
    })
}

/// Sleeps until the earliest receive timeout and readies that process;
/// false when no process waits with a timeout (a deadlock).
fn fire_timeout() -> bool {
    let earliest = SCHED.with(|s| {
        s.borrow()
            .procs
            .iter()
            .filter_map(|(&n, p)| match p.state {
                State::Waiting {
                    deadline: Some(d), ..
                } => Some((d, n)),
                _ => None,
            })
            .min()
    });
    let Some((deadline, n)) = earliest else {
        return false;
    };
    let now = Instant::now();
    if deadline > now {
        std::thread::sleep(deadline - now);
    }
    SCHED.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(p) = s.procs.get_mut(&n) {
            if let State::Waiting { id, on_timeout, .. } = p.state {
                p.state = State::Ready { id, pc: on_timeout };
                p.p.recv_cursor = 0;
                s.queue.push_back(n);
            }
        }
    });
    true
}

fn exit_process(mut proc_: Proc, reason: Term) {
    let pid = proc_.p.pid;
    let (Ok(down), Ok(process)) = (Atom::intern("DOWN"), Atom::intern("process")) else {
        return;
    };
    for &(reference, watcher) in &proc_.monitors {
        let msg = proc_.p.heap.tuple(&[
            Term::atom(down),
            reference,
            Term::atom(process),
            pid,
            reason,
        ]);
        if let Ok(m) = Message::copy(msg) {
            deliver(watcher, m);
        }
    }
    SCHED.with(|s| s.borrow_mut().names.retain(|_, p| *p != pid));
}

/// Runs processes until `main` ends; returns how it ended. A crash of
/// another process is reported on standard error, as BEAM's logger does.
pub fn run_until(main: Term, regs: &mut Registers) -> Outcome {
    let main_n = pid_number(main);
    loop {
        let Some((n, mut proc_)) = take_next() else {
            if fire_timeout() {
                continue;
            }
            let reason = Term::atom(Atom::intern("enigma_deadlock").unwrap_or(Atom::UNDEFINED));
            return Outcome::Raised(enigma_vm::exception::Exception::exit(reason), Term::NIL);
        };
        let live = proc_.x.len();
        regs.x[..live].copy_from_slice(&proc_.x);
        let out = match proc_.state {
            State::New(what) => run::start(regs, &mut proc_.p, what, live as u32, SLICE),
            State::Ready { id, pc } => run::resume(regs, &mut proc_.p, id, pc, SLICE),
            State::Waiting { .. } => continue,
        };
        match out {
            Outcome::Yielded { id, pc, live } => {
                proc_.x = regs.x[..live as usize].to_vec();
                proc_.state = State::Ready { id, pc };
                SCHED.with(|s| {
                    let mut s = s.borrow_mut();
                    s.procs.insert(n, proc_);
                    s.queue.push_back(n);
                });
            }
            Outcome::Waiting {
                id,
                on_message,
                on_timeout,
                timeout_ms,
            } => {
                proc_.x.clear();
                let arrived = proc_.p.recv_cursor < proc_.p.mailbox.len();
                proc_.state = if arrived {
                    State::Ready { id, pc: on_message }
                } else {
                    State::Waiting {
                        id,
                        on_message,
                        on_timeout,
                        deadline: timeout_ms.map(|ms| Instant::now() + Duration::from_millis(ms)),
                    }
                };
                SCHED.with(|s| {
                    let mut s = s.borrow_mut();
                    s.procs.insert(n, proc_);
                    if arrived {
                        s.queue.push_back(n);
                    }
                });
            }
            Outcome::Halt(_) => return out,
            Outcome::Returned(_) | Outcome::Raised(..) => {
                let reason = match out {
                    Outcome::Raised(e, trace) => {
                        if Some(n) != main_n {
                            report_crash(proc_.p.pid, e.class, e.reason, trace);
                        }
                        match e.class {
                            Class::Exit => e.reason,
                            _ => proc_.p.heap.tuple(&[e.reason, trace]),
                        }
                    }
                    _ => Term::atom(Atom::NORMAL),
                };
                if Some(n) == main_n {
                    // The outcome's terms live on its heap, and the VM
                    // stops after the main process.
                    std::mem::forget(proc_);
                    return out;
                }
                exit_process(proc_, reason);
            }
        }
    }
}

fn report_crash(pid: Term, class: Class, reason: Term, trace: Term) {
    if class == Class::Exit {
        return;
    }
    eprintln!("=ERROR REPORT====\nError in process {pid} with exit value:\n{{{reason},{trace}}}");
}
