//! `process_info/1,2` and `process_flag/2`.
//!
//! `process_info` of another process reads its `Process` in the scheduler's
//! table and copies what lives on that process's heap (messages,
//! dictionary) onto the caller's; of the caller itself, it reads the
//! running process, whose terms are already on the caller's heap. A
//! process running on another scheduler is asked by a request signal
//! instead (`crate::info_request`).

use enigma_vm::atom::Atom;
use enigma_vm::exception::Exception;
use enigma_vm::gc::HeapStats;
use enigma_vm::process::Process;
use enigma_vm::term::{Heap, Term};

use crate::info_request::{self, Asked};
use crate::instr::except::{frame_term, stack_frames, Head};
use crate::run::{Run, Start};
use crate::sched::{self, atom, pid_number, Meta, Priority, Sched, State};

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

/// The items whose answer walks the process's stack.
const STACK_ITEMS: &[&str] = &["current_location", "current_stacktrace", "backtrace"];

/// `(name, default)` of the flags that `process_flag/2` sets and that
/// only read back here.
const FLAG_DEFAULTS: &[(&str, FlagValue)] = &[
    ("min_bin_vheap_size", FlagValue::Count(MIN_BIN_VHEAP_SIZE)),
    ("fullsweep_after", FlagValue::Count(65535)),
    ("message_queue_data", FlagValue::Atom("on_heap")),
    ("error_handler", FlagValue::Atom("error_handler")),
    ("save_calls", FlagValue::Count(0)),
    ("sensitive", FlagValue::Atom("false")),
];

/// BEAM's least `min_bin_vheap_size` for `process_flag/2`, in words.
const MIN_BIN_VHEAP_SIZE: i64 = crate::defaults::MIN_BIN_VHEAP_SIZE as i64;

#[derive(Clone, Copy)]
enum FlagValue {
    Count(i64),
    Atom(&'static str),
}

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
        }
    }
}

fn flag(meta: &Meta, name: &str) -> Term {
    let set = meta.flags.iter().find(|(a, _)| a.name() == name);
    if let Some(&(_, v)) = set {
        return v;
    }
    match FLAG_DEFAULTS.iter().find(|(n, _)| *n == name) {
        Some((_, FlagValue::Count(c))) => Term::small(*c),
        Some((_, FlagValue::Atom(a))) => atom(a),
        None => Term::atom(Atom::UNDEFINED),
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

/// The value of item `name`; `None` for an unknown item.
fn value(heap: &mut Heap, v: &View<'_>, name: &str) -> Option<Term> {
    let words = |n: usize| Term::small(n as i64);
    Some(match name {
        "registered_name" => v.meta.name.map_or(Term::NIL, Term::atom),
        "current_function" => match v.current {
            Some(c) => mfa(heap, c),
            None => Term::atom(Atom::UNDEFINED),
        },
        "initial_call" => mfa(heap, v.meta.initial_call),
        "current_stacktrace" => v.stacktrace,
        "current_location" => match (v.stacktrace.list_iter().next(), v.current) {
            (Some(top), _) => top,
            (None, Some((m, f, a))) => {
                let a = Term::small(a as i64);
                heap.tuple(&[Term::atom(m), Term::atom(f), a, Term::NIL])
            }
            (None, None) => Term::atom(Atom::UNDEFINED),
        },
        "backtrace" => heap.binary(v.backtrace.as_deref().unwrap_or("").as_bytes()),
        "min_heap_size" => words(v.stats.min_heap_size),
        "fullsweep_after" => Term::small(v.stats.fullsweep_after as i64),
        "min_bin_vheap_size" => flag(v.meta, name),
        "parent" => match v.meta.parent {
            sched::NO_PARENT => Term::atom(Atom::UNDEFINED),
            n => sched::pid_of(n),
        },
        // Calls are not saved (`save_calls` only reads back).
        "last_calls" => Term::FALSE,
        "binary" => {
            let items: Vec<Term> = v
                .binaries
                .iter()
                .map(|&(at, len, refs)| {
                    let id = heap.int(at as i64);
                    heap.tuple(&[id, words(len), words(refs)])
                })
                .collect();
            heap.list(&items)
        }
        "sequential_trace_token" | "magic_ref" => Term::NIL,
        "trace" => Term::small(0),
        "status" => atom(v.status),
        "message_queue_len" => words(v.messages.len()),
        "messages" => {
            let ms: Vec<Term> = v
                .messages
                .iter()
                .map(|&m| copy(heap, m, v.foreign))
                .collect();
            heap.list(&ms)
        }
        "links" => heap.list(&v.meta.links),
        "monitors" => {
            let process = atom("process");
            let items: Vec<Term> = v
                .monitors
                .iter()
                .map(|&(pid, name)| {
                    if pid.as_atom().is_some() {
                        // `monitor(time_offset, clock_service)`.
                        return heap.tuple(&[atom("time_offset"), pid]);
                    }
                    let object = match name {
                        Some(n) => heap.tuple(&[Term::atom(n), Term::atom(Atom::NONODE)]),
                        None => pid,
                    };
                    heap.tuple(&[process, object])
                })
                .collect();
            heap.list(&items)
        }
        "monitored_by" => heap.list(&v.monitored_by),
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
        "trap_exit" => Term::bool(v.meta.trap_exit),
        "error_handler" | "message_queue_data" => flag(v.meta, name),
        "priority" => v.meta.priority.term(),
        "group_leader" => v.group_leader,
        "heap_size" => words(v.stats.heap_size),
        "total_heap_size" => words(v.stats.total_heap_size),
        "stack_size" => words(v.stats.stack_size),
        "memory" => words(v.stats.memory_bytes),
        "max_heap_size" => v.stats.max_heap.to_term(heap),
        "reductions" => Term::small(v.reductions as i64),
        "garbage_collection" => {
            let mhs = v.stats.max_heap.to_term(heap);
            let mut items = vec![heap.tuple(&[atom("max_heap_size"), mhs])];
            let vheap = flag(v.meta, "min_bin_vheap_size");
            items.push(heap.tuple(&[atom("min_bin_vheap_size"), vheap]));
            for (key, n) in [
                ("min_heap_size", v.stats.min_heap_size as u64),
                ("fullsweep_after", v.stats.fullsweep_after),
                ("minor_gcs", v.stats.minor_gcs),
            ] {
                items.push(heap.tuple(&[atom(key), Term::small(n as i64)]));
            }
            heap.list(&items)
        }
        "garbage_collection_info" => gc_info(heap, &v.stats, flag(v.meta, "min_bin_vheap_size")),
        "suspending" => {
            // `{Suspendee, ActiveCount, OutstandingCount}`: every request
            // is granted at once here, none is outstanding.
            let items: Vec<Term> = v
                .meta
                .suspending
                .iter()
                .map(|&(p, n)| heap.tuple(&[p, Term::small(n as i64), Term::small(0)]))
                .collect();
            heap.list(&items)
        }
        "catchlevel" => words(v.catches),
        _ => return None,
    })
}

/// `garbage_collection_info`: BEAM's eleven items, in its order, with
/// `vheap_block` the binary heap's block size (`min_bin_vheap_size`).
/// `recent_size` (what survived the last collection) is not tracked: the
/// young heap's use stands for it.
pub(crate) fn gc_info(heap: &mut Heap, s: &HeapStats, vheap_block: Term) -> Term {
    let words = |n: usize| Term::small(n as i64);
    let items: Vec<Term> = [
        ("old_heap_block_size", words(s.old_heap_size)),
        ("heap_block_size", words(s.heap_size)),
        ("mbuf_size", words(s.fragment_words)),
        ("recent_size", words(s.young_used)),
        ("stack_size", words(s.stack_size)),
        ("old_heap_size", words(s.old_used)),
        ("heap_size", words(s.young_used)),
        ("bin_vheap_size", words(s.young_binary_words)),
        ("bin_vheap_block_size", vheap_block),
        ("bin_old_vheap_size", words(s.old_binary_words)),
        ("bin_old_vheap_block_size", vheap_block),
    ]
    .into_iter()
    .map(|(k, n)| heap.tuple(&[atom(k), n]))
    .collect();
    heap.list(&items)
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
        State::New(Start::Fun(_)) => ("runnable", Some(meta.initial_call)),
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
    let v = View {
        status,
        current,
        stacktrace,
        backtrace,
        ..View::new(&proc_.p, meta, q, monitor_lists(s, meta), true)
    };
    q.build(heap, &v)
}

/// `process_info(P, backtrace)`'s text, in the shape of BEAM's: the code
/// position (`Program counter`), then a `Return addr` line per
/// continuation pointer on the stack from its top, ending with
/// `<terminate process normally>`. Its addresses are Enigma's code
/// positions and stack slots, its offsets in instructions.
fn backtrace(at: Option<(u32, u32)>, stack: &[Term]) -> String {
    let place = |id: u32, pc: u32| match crate::code::module(id)
        .and_then(|m| Some((m.name, m.function_at(pc)?)))
    {
        Some((m, f)) => format!("{}:{}/{} + {}", m, f.name, f.arity, pc - f.func_info),
        None => "unknown function".to_string(),
    };
    let mut out = match at {
        Some((id, pc)) => format!(
            "Program counter: {:#018x} ({})\n",
            crate::code::cp(id, pc).raw(),
            place(id, pc)
        ),
        None => "Program counter: 0x0000000000000000 (unknown function)\n".to_string(),
    };
    out.push('\n');
    for (i, &w) in stack.iter().enumerate().rev() {
        let what = match crate::code::as_cp(w) {
            _ if w == crate::code::EXIT_CP => "<terminate process normally>".to_string(),
            Some((id, pc)) => place(id, pc.saturating_sub(1)),
            None => continue,
        };
        let slot = (i * 8) as u64;
        out.push_str(&format!(
            "{slot:#018x} Return addr {:#018x} ({what})\n",
            w.raw()
        ));
        if w == crate::code::EXIT_CP {
            break;
        }
    }
    out
}

fn code_function(id: u32, pc: u32) -> Option<(Atom, Atom, u32)> {
    let m = crate::code::module(id)?;
    let f = m.function_at(pc)?;
    Some((m.name, f.name, f.arity))
}

type MonitorLists = (Vec<(Term, Option<Atom>)>, Vec<Term>);

fn monitor_lists(s: &Sched, meta: &Meta) -> MonitorLists {
    let holds = meta
        .watching
        .iter()
        .filter_map(|k| s.monitors.get(k))
        .map(|m| (m.target, m.name))
        .collect();
    let by = meta
        .monitors
        .iter()
        .filter_map(|k| s.monitors.get(k))
        .map(|m| m.watcher)
        .collect();
    (holds, by)
}

/// `process_flag(Flag, Value)`: the old value. An unknown flag is
/// `badarg` with the cause `badopt`, a bad value plain `badarg` (`none`
/// for `save_calls`), as BEAM's.
pub(crate) fn process_flag(run: &mut Run<'_>, flag_: Term, value: Term) -> Result<Term, Exception> {
    let badopt = || Exception::badarg_because("badopt");
    let name = flag_.as_atom().ok_or_else(badopt)?.name();
    if !FLAGS.contains(&name) {
        return Err(badopt());
    }
    let bad = || {
        if name == "save_calls" {
            Exception::badarg_because("none")
        } else {
            Exception::badarg()
        }
    };
    let n = pid_number(run.p.pid).ok_or_else(bad)?;
    let is_bool = value == Term::TRUE || value == Term::FALSE;
    let count = value.as_small().filter(|&v| v >= 0);
    match name {
        "max_heap_size" => {
            let m = enigma_vm::gc::MaxHeapSize::from_term(value).ok_or_else(bad)?;
            let min = run.p.heap_stats().min_heap_size;
            if m.size != 0 && m.size < min {
                return Err(bad());
            }
            let old = run.p.set_max_heap_size(m);
            return Ok(old.to_term(&mut run.p.heap));
        }
        "min_heap_size" => {
            // Never below the system's (`system_flag/2`), as on BEAM.
            let least = crate::defaults::Setting::MinHeapSize.get();
            let words = (count.ok_or_else(bad)? as usize).max(least);
            let old = Term::small(run.p.heap_stats().min_heap_size as i64);
            run.p.set_min_heap_size(words);
            return Ok(old);
        }
        "fullsweep_after" => {
            count.ok_or_else(bad)?;
            let old = Term::small(run.p.heap_stats().fullsweep_after as i64);
            run.p.set_gc_option(name, value);
            return Ok(old);
        }
        _ => {}
    }
    sched::with(|s| {
        let meta = s.meta.get_mut(&n)?;
        match name {
            "trap_exit" if is_bool => {
                let old = Term::bool(meta.trap_exit);
                meta.trap_exit = value == Term::TRUE;
                Some(old)
            }
            "priority" => {
                let p = Priority::from_term(value)?;
                Some(std::mem::replace(&mut meta.priority, p).term())
            }
            "min_bin_vheap_size" => {
                let words = heap_size_step(count?).max(MIN_BIN_VHEAP_SIZE);
                Some(set_flag(meta, name, Term::small(words)))
            }
            "save_calls" => Some(set_flag(meta, name, Term::small(save_calls(value)?))),
            "sensitive" if is_bool => Some(set_flag(meta, name, value)),
            "error_handler" => {
                value.as_atom()?;
                Some(set_flag(meta, name, value))
            }
            "message_queue_data" => {
                matches!(value.as_atom()?.name(), "on_heap" | "off_heap").then_some(())?;
                Some(set_flag(meta, name, value))
            }
            _ => None,
        }
    })
    .ok_or_else(bad)
}

/// The flags `process_flag/2` takes.
const FLAGS: &[&str] = &[
    "trap_exit",
    "priority",
    "min_heap_size",
    "min_bin_vheap_size",
    "max_heap_size",
    "fullsweep_after",
    "save_calls",
    "sensitive",
    "error_handler",
    "message_queue_data",
];

/// A `save_calls` value: 0 to 10,000 (BEAM's limit).
fn save_calls(value: Term) -> Option<i64> {
    value.as_small().filter(|v| (0..=10_000).contains(v))
}

/// `erts_internal:process_flag(Pid, Flag, Value)`, as `erlang.erl`'s
/// `process_flag/3` calls it: only `save_calls` can be set on another
/// process; the old value, `badtype` for a pid that is not a live local
/// process, `badarg` for another flag or a bad value.
pub(crate) fn process_flag_of(pid: Term, flag_: Term, value: Term) -> Term {
    let ok = flag_.as_atom().is_some_and(|a| a.name() == "save_calls");
    let Some(n) = pid_number(pid).filter(|_| pid.as_local_pid().is_some()) else {
        return atom("badtype");
    };
    sched::with(|s| {
        if !s.alive(n) {
            return atom("badtype");
        }
        match (s.meta.get_mut(&n), save_calls(value)) {
            (Some(meta), Some(v)) if ok => set_flag(meta, "save_calls", Term::small(v)),
            _ => atom("badarg"),
        }
    })
}

/// The smallest of BEAM's heap sizes (`erl_gc.c`: 12, 38, then each the
/// sum of the two before plus one, 1/5 growth past the 23rd) that holds
/// `words`: what a `min_heap_size` becomes.
pub(crate) fn heap_size_step(words: i64) -> i64 {
    let (mut a, mut b, mut i) = (12i64, 38i64, 1);
    if words <= a {
        return a;
    }
    while b < words {
        let next = if i < 22 { a + b + 1 } else { b + b / 5 };
        (a, b, i) = (b, next, i + 1);
    }
    b
}

fn set_flag(meta: &mut Meta, name: &str, value: Term) -> Term {
    let old = flag(meta, name);
    let key = Atom::intern(name).unwrap_or(Atom::UNDEFINED);
    meta.flags.retain(|(a, _)| *a != key);
    meta.flags.push((key, value));
    old
}
