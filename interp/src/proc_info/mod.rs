//! `process_info/1,2` and `process_flag/2`.
//!
//! `process_info` of another process reads its `Process` in the scheduler's
//! table and copies what lives on that process's heap (messages,
//! dictionary) onto the caller's; of the caller itself, it reads the
//! running process, whose terms are already on the caller's heap. A
//! process running on another scheduler is asked by a request signal
//! instead (`crate::info_request`).
//!
//! The items are answered by concept: the process itself here, its code
//! position and stack in [`stack`], its heaps in [`memory`], its signals
//! in [`signals`], its flags (and `process_flag/2`) in [`flags`].

mod flags;
mod memory;
mod signals;
mod stack;

use enigma_vm::atom::Atom;
use enigma_vm::gc::HeapStats;
use enigma_vm::process::Process;
use enigma_vm::term::{Heap, Term};

use crate::info_request::{self, Asked};
use crate::instr::except::{frame_term, stack_frames, Head};
use crate::run::{Run, Start};
use crate::sched::{self, atom, pid_number, Meta, Sched, State};

pub(crate) use flags::{heap_size_step, process_flag, process_flag_of, save_calls_of_stopped};
pub(crate) use memory::gc_info;
use signals::{monitor_lists, MonitorLists};
use stack::{backtrace, code_function, STACK_ITEMS};

/// The items of `process_info/1`, in BEAM's order (`registered_name`
/// first, only when the process has a name).
const DEFAULT_ITEMS: &[&str] = &[
    "current_function",
    "initial_call",
    "status",
    "message_queue_len",
    "links",
    "dictionary",
    "trap_exit",
    "error_handler",
    "priority",
    "group_leader",
    "total_heap_size",
    "heap_size",
    "stack_size",
    "reductions",
    "garbage_collection",
    "suspending",
];

/// Every other item `process_info/2` knows (OTP 25's).
const ITEMS: &[&str] = &[
    "registered_name",
    "current_location",
    "current_stacktrace",
    "backtrace",
    "messages",
    "monitors",
    "monitored_by",
    "memory",
    "message_queue_data",
    "catchlevel",
    "garbage_collection_info",
    "max_heap_size",
    "min_heap_size",
    "min_bin_vheap_size",
    "fullsweep_after",
    "binary",
    "parent",
    "last_calls",
    "sequential_trace_token",
    "trace",
    "magic_ref",
];

/// A process as `process_info` sees it; its terms live on the heap of
/// the process it describes.
struct View<'a> {
    meta: &'a Meta,
    messages: Vec<Term>,
    dictionary: Vec<(Term, Term)>,
    group_leader: Term,
    /// Its collector's figures (`heap_size`, `memory`, `minor_gcs`...).
    stats: HeapStats,
    reductions: u64,
    status: &'static str,
    current: Option<(Atom, Atom, u32)>,
    /// Its stack trace: its current function's frame, then one per
    /// continuation pointer (`[]` when no item asked needs it).
    stacktrace: Term,
    /// Its code position and the continuation pointers on its stack, for
    /// `backtrace`.
    backtrace: Option<String>,
    /// `(pid, name)` of the monitors it holds, pids of its watchers.
    monitors: Vec<(Term, Option<Atom>)>,
    monitored_by: Vec<Term>,
    /// The catch markers on its stack.
    catches: usize,
    /// `(address, bytes, references)` of its off-heap binaries (empty
    /// unless `binary` is asked).
    binaries: Vec<(usize, usize, usize)>,
    /// Whether its terms must be copied onto the caller's heap.
    foreign: bool,
    /// Its saved calls, oldest first, if it saves them.
    last_calls: Option<Vec<enigma_vm::saved_calls::SavedCall>>,
}

impl<'a> View<'a> {
    fn new(p: &Process, meta: &'a Meta, q: &Query, lists: MonitorLists, foreign: bool) -> View<'a> {
        let (monitors, monitored_by) = lists;
        View {
            meta,
            messages: p.mailbox.iter().map(|m| m.term).collect(),
            dictionary: p.dictionary.entries(),
            group_leader: p.group_leader,
            stats: p.heap_stats(),
            reductions: p.reductions,
            status: "running",
            current: None,
            stacktrace: Term::NIL,
            backtrace: None,
            monitors,
            monitored_by,
            catches: p.stack.iter().filter(|w| w.is_catch()).count(),
            binaries: if q.asks("binary") {
                p.binaries()
            } else {
                Vec::new()
            },
            foreign,
            last_calls: p.saved_calls.as_ref().map(|c| c.calls().collect()),
        }
    }
}

fn mfa(heap: &mut Heap, (m, f, a): (Atom, Atom, u32)) -> Term {
    heap.tuple(&[Term::atom(m), Term::atom(f), Term::small(a as i64)])
}

fn copy(heap: &mut Heap, t: Term, foreign: bool) -> Term {
    if !foreign || t.raw() & 3 == 3 {
        return t;
    }
    enigma_vm::term::copy::copy_onto(t, heap).unwrap_or(Term::atom(Atom::UNDEFINED))
}

/// The value of item `name`; `None` for an unknown item. Each group of
/// items answers in its own module.
fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    let groups: [ItemGroup; 5] = [
        process_value,
        stack::value,
        memory::value,
        signals::value,
        flags::value,
    ];
    groups.iter().find_map(|group| group(heap, v, name))
}

/// The items of one concept: the value of item `name`, or `None` if it is
/// not one of them.
type ItemGroup = fn(&mut Heap, &View<'_>, &str) -> Option<Term>;

/// The items about the process itself: its name, origin, state and data.
fn process_value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    Some(match name {
        "registered_name" => v.meta.name.map_or(Term::NIL, Term::atom),
        "initial_call" => mfa(heap, v.meta.initial_call),
        "parent" => match v.meta.parent {
            sched::NO_PARENT => Term::atom(Atom::UNDEFINED),
            n => sched::pid_of(n),
        },
        "status" => atom(v.status),
        "group_leader" => v.group_leader,
        "reductions" => Term::small(v.reductions as i64),
        "dictionary" => {
            let items: Vec<Term> = v
                .dictionary
                .iter()
                .map(|&(k, val)| {
                    let (k, val) = (copy(heap, k, v.foreign), copy(heap, val, v.foreign));
                    heap.tuple(&[k, val])
                })
                .collect();
            heap.list(&items)
        }
        _ => return None,
    })
}

fn known(name: &str) -> bool {
    DEFAULT_ITEMS.contains(&name) || ITEMS.contains(&name)
}

/// What a `process_info` call asks for: the items, and the shape of the
/// answer. Holds no heap terms (items are atoms), so a request signal
/// carries it to another process.
#[derive(Clone)]
pub(crate) struct Query {
    asked: Vec<Atom>,
    /// `process_info/1`: the default items, `registered_name` first when
    /// the process has a name.
    default: bool,
    /// One item, not a list: the answer is its tuple.
    single: bool,
}

impl Query {
    /// The query of `process_info(Pid)` (`item` `None`) or
    /// `process_info(Pid, Item | Items)`; `None` if an item is unknown.
    fn parse(item: Option<Term>) -> Option<Query> {
        let Some(item) = item else {
            let asked = DEFAULT_ITEMS
                .iter()
                .filter_map(|s| Atom::intern(s).ok())
                .collect();
            return Some(Query {
                asked,
                default: true,
                single: false,
            });
        };
        if let Some(a) = item.as_atom() {
            return known(a.name()).then(|| Query {
                asked: vec![a],
                default: false,
                single: true,
            });
        }
        let list = item.proper_list()?;
        let asked: Option<Vec<Atom>> = list
            .iter()
            .map(|t| t.as_atom().filter(|a| known(a.name())))
            .collect();
        Some(Query {
            asked: asked?,
            default: false,
            single: false,
        })
    }

    /// Whether item `name` is asked.
    fn asks(&self, name: &str) -> bool {
        self.asked.iter().any(|a| a.name() == name)
    }

    /// Whether an item asked needs the process's stack walked.
    fn walks_stack(&self) -> bool {
        self.asked.iter().any(|a| STACK_ITEMS.contains(&a.name()))
    }

    /// The answer for the process `v` describes, built on `heap`.
    fn build(&self, heap: &mut Heap, v: &View<'_>) -> Term {
        let mut out = Vec::new();
        if self.default && v.meta.name.is_some() {
            let name = atom("registered_name");
            let val = value(heap, v, "registered_name").unwrap_or(Term::NIL);
            out.push(heap.tuple(&[name, val]));
        }
        for &a in &self.asked {
            let val = value(heap, v, a.name()).unwrap_or(Term::NIL);
            out.push(heap.tuple(&[Term::atom(a), val]));
        }
        match (self.single, out.first()) {
            // An unnamed process's `registered_name` alone is `[]`.
            (true, _)
                if self.asked.first().map(|a| a.name()) == Some("registered_name")
                    && v.meta.name.is_none() =>
            {
                Term::NIL
            }
            (true, Some(&one)) => one,
            _ => heap.list(&out),
        }
    }
}

/// What `process_info` (or `garbage_collect`) answers now, or the
/// reference of the request signal it sent a process running on another
/// scheduler (the reply `{Ref, Answer}` comes as a message:
/// `crate::info_request`).
pub(crate) enum Answer {
    Now(Term),
    Later(Term),
}

/// `process_info(Pid)` (`item` `None`) or `process_info(Pid, Item |
/// Items)`; `None` for bad arguments. The caller's own information is
/// read from the running process; another process's from the table,
/// unless it runs on another scheduler: then it is asked by a signal,
/// which it answers when its slice ends (BEAM's target answers when it
/// handles its signals), after the messages the caller sent it before.
pub(crate) fn process_info(run: &mut Run<'_>, pid: Term, item: Option<Term>) -> Option<Answer> {
    let n = pid_number(pid)?;
    let q = Query::parse(item)?;
    if pid == run.p.pid {
        run.sync_stack();
        let current = run
            .m
            .function_at(run.pc())
            .map(|f| (run.m.name, f.name, f.arity));
        let (meta, lists) = sched::with(|s| {
            let meta = s.meta.get(&n)?.clone();
            let lists = monitor_lists(s, &meta);
            Some((meta, lists))
        })?;
        let (stacktrace, backtrace) = if q.walks_stack() {
            let bt = backtrace(Some((run.id, run.pc())), &run.p.stack);
            (run.stacktrace(Head::Caller), Some(bt))
        } else {
            (Term::NIL, None)
        };
        let v = View {
            current,
            stacktrace,
            backtrace,
            ..View::new(run.p, &meta, &q, lists, false)
        };
        return Some(Answer::Now(q.build(&mut run.p.heap, &v)));
    }
    let from = run.p.pid;
    let mut s = sched::lock();
    if info_request::runs_elsewhere(&s, n) {
        let key = info_request::ask(&mut s, n, from, Asked::Info(q));
        drop(s);
        return Some(Answer::Later(sched::ref_term(&mut run.p.heap, key)));
    }
    Some(Answer::Now(of_stopped(&s, n, &q, &mut run.p.heap)))
}

/// The answer to `q` about process `n`, which is not running (it waits,
/// is queued, or its slice just ended), built on `heap`: `undefined` if
/// it is dead.
pub(crate) fn of_stopped(s: &Sched, n: u32, q: &Query, heap: &mut Heap) -> Term {
    let meta = s.meta.get(&n).filter(|_| s.alive(n));
    let (Some(meta), Some(proc_)) = (meta, s.procs.get(&n)) else {
        return Term::atom(Atom::UNDEFINED);
    };
    let at = match proc_.state {
        State::Ready { id, pc } => Some((id, pc)),
        State::Waiting { id, on_message, .. } => Some((id, on_message)),
        State::New(_) | State::Hibernating(_) => None,
    };
    let (status, current) = match proc_.state {
        State::New(Start::Export(e)) => ("runnable", Some((e.module, e.function, e.arity))),
        State::New(Start::Fun(_) | Start::Apply(..)) => ("runnable", Some(meta.initial_call)),
        State::Ready { id, pc } => ("runnable", code_function(id, pc)),
        State::Waiting { id, on_message, .. } => ("waiting", code_function(id, on_message)),
        State::Hibernating(_) => (
            "waiting",
            Some((
                Atom::ERLANG,
                atom("hibernate").as_atom().unwrap_or(Atom::ERLANG),
                3,
            )),
        ),
    };
    let status = if meta.suspend_count > 0 {
        "suspended"
    } else {
        status
    };
    let (stacktrace, backtrace) = if q.walks_stack() {
        let stack = &proc_.p.stack;
        let mut frames = Vec::new();
        if let Some((id, pc)) = at {
            frames.extend(frame_term(heap, id, pc, None));
        }
        stack_frames(heap, stack, &mut frames, None);
        (heap.list(&frames), Some(backtrace(at, stack)))
    } else {
        (Term::NIL, None)
    };
    let mut v = View {
        status,
        current,
        stacktrace,
        backtrace,
        ..View::new(&proc_.p, meta, q, monitor_lists(s, meta), true)
    };
    if matches!(proc_.state, State::Hibernating(_)) {
        // BEAM's hibernated heap is one block: the live data, its
        // `S_RESERVED` 3 words and a stack of one word (the frame that
        // ends the process when the function it wakes in returns).
        v.stats.heap_size += 4;
        v.stats.total_heap_size += 4;
        v.stats.stack_size = 1;
    }
    q.build(heap, &v)
}
