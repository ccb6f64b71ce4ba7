//! Exceptions: raising, stack traces from the `Line` chunk, unwinding to
//! the nearest catch (`try`/`catch` markers on the stack), and the
//! instructions of `try`/`catch` clauses.
//!
//! A caught exception reaches its handler as BEAM passes it: x0 is the
//! non-value, x1 the class, x2 the reason, x3 the "raw" stack trace.
//! Enigma's raw stack trace is `{Class, Trace}`, Trace the list
//! `build_stacktrace` returns: like BEAM's internal one it carries the
//! class, which `raise/2` (re-raising from a `try` no clause of which
//! matched, or through `after`) reads back.

use enigma_vm::atom::Atom;
use enigma_vm::code::{Reg, Src, Target};
use enigma_vm::exception::{Class, Exception};
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Heap, Term};

use crate::code;
use crate::defaults::{Setting, BACKTRACE_DEPTH};
use crate::instr::fun::fun_arity;
use crate::run::{Outcome, Run, Step, Stop};

/// The non-value: x0 in a handler reached by an exception.
pub const NON_VALUE: Term = Term::from_raw(0b100);

/// How a stack trace starts, before the frames of the stack.
#[derive(Clone, Copy, Debug)]
pub enum Head {
    /// The function at the faulting instruction, then the stack.
    Current,
    /// Only the stack (the fault happened in a call just made: its
    /// continuation pointer is on the stack).
    Stack,
    /// This frame (`{M,F,Args,Loc}`), then the current function.
    FrameThenCurrent(Term),
    /// This frame, then the stack.
    FrameThenStack(Term),
    /// The calling function (the function of the current instruction or,
    /// after a non-tail call, of the continuation pointer on top of the
    /// stack), then the rest of the stack: where a BIF reached through a
    /// call reports its caller.
    Caller,
    /// This frame, then as [`Head::Caller`].
    FrameThenCaller(Term),
    /// As [`Head::Caller`] for `erlang:error/2,3`: the caller's arity
    /// replaced by these arguments when they are a list, and
    /// `{error_info, Map}` added to the caller's location when given.
    ErrorCaller {
        /// The arguments to show, if a list.
        args: Option<Term>,
        /// The `error_info` map of `erlang:error/3`'s options.
        info: Option<Term>,
    },
}

/// `{M, F, A, Loc}` for the instruction `pc` of code `id`, on `heap`;
/// `args` stands for the arity when given.
pub(crate) fn frame_term(heap: &mut Heap, id: u32, pc: Target, args: Option<Term>) -> Option<Term> {
    let m = code::module(id)?;
    let f = m.function_at(pc)?;
    let loc = match m.location(pc) {
        Some((file, line)) => {
            let file = heap.string(&file);
            let file = heap.tuple(&[Term::atom(Atom::FILE), file]);
            let line = heap.tuple(&[Term::atom(Atom::LINE), Term::small(line as i64)]);
            heap.list(&[file, line])
        }
        None => Term::NIL,
    };
    let a = args.unwrap_or(Term::small(f.arity as i64));
    Some(heap.tuple(&[Term::atom(m.name), Term::atom(f.name), a, loc]))
}

/// Adds to `frames`, up to `backtrace_depth` (BEAM's 8 unless
/// `system_flag/2` changed it), one frame per continuation pointer
/// of `stack` from its top down to the run's bottom; the first one's
/// arity replaced by `replace_args` when given. BEAM records a
/// continuation pointer only when it differs from the one recorded before
/// it: a recursion's identical return addresses show as one frame.
pub(crate) fn stack_frames(
    heap: &mut Heap,
    stack: &[Term],
    frames: &mut Vec<Term>,
    mut replace_args: Option<Option<Term>>,
) {
    let depth = Setting::BacktraceDepth.get();
    let mut prev = None;
    for &w in stack.iter().rev() {
        if frames.len() >= depth || w == code::EXIT_CP {
            break;
        }
        if let Some((id, pc)) = code::as_cp(w) {
            if prev == Some(w) || crate::call_trace::is_trace_return(id, pc) {
                continue;
            }
            prev = Some(w);
            let args = replace_args.take().flatten();
            if let Some(f) = frame_term(heap, id, pc.saturating_sub(1), args) {
                frames.push(f);
            }
        }
    }
}

impl Run<'_> {
    /// `{M, F, A, Loc}` for the instruction `pc` of code `id`.
    fn frame_at(&mut self, id: u32, pc: Target, args: Option<Term>) -> Option<Term> {
        frame_term(&mut self.p.heap, id, pc, args)
    }

    /// The stack trace of an exception raised now.
    pub(crate) fn stacktrace(&mut self, head: Head) -> Term {
        self.sync_stack();
        let mut frames: Vec<Term> = Vec::with_capacity(BACKTRACE_DEPTH);
        let mut replace_args = None;
        let mut info = None;
        // A tail call leaves no continuation pointer: the caller is then
        // the function of the current instruction.
        let tail = self.id != 0 && self.p.stack.last() != Some(&code::cp(self.id, self.pc()));
        match head {
            Head::Caller if tail => frames.extend(self.current_frame()),
            Head::Caller => {}
            Head::FrameThenCaller(f) => {
                frames.push(f);
                if tail {
                    frames.extend(self.current_frame());
                }
            }
            Head::ErrorCaller { args, info: i } if tail => {
                info = i;
                frames.extend(self.frame_at(self.id, self.pc().saturating_sub(1), args))
            }
            Head::Current => frames.extend(self.current_frame()),
            Head::Stack => {}
            Head::FrameThenCurrent(f) => {
                frames.push(f);
                frames.extend(self.current_frame());
            }
            Head::FrameThenStack(f) => frames.push(f),
            Head::ErrorCaller { args, info: i } => {
                info = i;
                replace_args = Some(args);
            }
        }
        stack_frames(&mut self.p.heap, &self.p.stack, &mut frames, replace_args);
        if let (Some(info), Some(first)) = (info, frames.first_mut()) {
            *first = self.with_error_info(*first, info).unwrap_or(*first);
        }
        self.p.heap.list(&frames)
    }

    /// The current function's frame with `{error_info, info}` added to
    /// its location, as BEAM reports errors of instructions that carry
    /// error information (binary construction).
    pub(crate) fn current_frame_with_info(&mut self, info: Term) -> Option<Term> {
        let frame = self.current_frame()?;
        self.with_error_info(frame, info)
    }

    /// `frame` with `{error_info, info}` added to its location.
    fn with_error_info(&mut self, frame: Term, info: Term) -> Option<Term> {
        let t = frame.as_tuple()?;
        let tag = Atom::intern("error_info").ok()?;
        let item = self.p.heap.tuple(&[Term::atom(tag), info]);
        let mut loc: Vec<Term> = t.get(3)?.list_iter().collect();
        loc.push(item);
        let loc = self.p.heap.list(&loc);
        let (m, f, a) = (t.get(0)?, t.get(1)?, t.get(2)?);
        Some(self.p.heap.tuple(&[m, f, a, loc]))
    }

    /// Whether the current instruction is the native entry of `e`'s NIF
    /// stub (the loader's `native_stub`): the current function is `e`.
    pub(crate) fn in_native_entry(&self, e: &Export) -> bool {
        let Some(m) = code::module(self.id) else {
            return false;
        };
        m.name == e.module
            && m.function_at(self.pc().saturating_sub(1))
                .is_some_and(|f| f.name == e.function && f.arity == e.arity)
    }

    fn current_frame(&mut self) -> Option<Term> {
        if self.id == 0 {
            return None;
        }
        self.frame_at(self.id, self.pc().saturating_sub(1), None)
    }

    /// Unwinds to the nearest catch; `None` when one was found and the
    /// loop continues there.
    pub(crate) fn unwind(&mut self, e: Exception, trace: Term) -> Option<Outcome> {
        self.sync_stack();
        let mut frame_top = self.p.stack.len();
        let mut i = self.p.stack.len();
        while i > 0 {
            i -= 1;
            let w = self.p.stack[i];
            if w == code::EXIT_CP {
                self.truncate_stack(i + 1);
                return Some(Outcome::Raised(e, trace));
            }
            if w.is_catch() {
                let (id, pc) = code::catch_target(w);
                // The handler's code reads its Y registers unchecked: its
                // frame must be as large as the loader proved it for.
                let base = self.p.stack[..i]
                    .iter()
                    .rposition(|&w| code::as_cp(w).is_some())
                    .map_or(0, |at| at + 1);
                let needs = code::module(id).map_or(0, |m| m.handler_frame(pc));
                if frame_top - base < needs as usize {
                    self.truncate_stack(frame_top);
                    return Some(Outcome::Raised(e, trace));
                }
                self.truncate_stack(frame_top);
                self.x[0] = NON_VALUE;
                let class = Term::atom(e.class.atom());
                self.x[1] = class;
                self.x[2] = e.reason;
                self.x[3] = self.p.heap.tuple(&[class, trace]);
                return match self.jump_to(id, pc) {
                    Ok(()) => None,
                    Err(_) => Some(Outcome::Raised(e, trace)),
                };
            }
            if code::as_cp(w).is_some() {
                frame_top = i;
            }
        }
        Some(Outcome::Raised(e, trace))
    }

    /// `catch_end`: turns a caught exception into the `catch` value.
    pub(crate) fn catch_end(&mut self, y: Reg) {
        self.set(y, Term::NIL);
        if self.x[0] != NON_VALUE {
            return;
        }
        let reason = self.x[2];
        self.x[0] = match class_of(self.x[1]) {
            Some(Class::Throw) => reason,
            Some(Class::Error) => {
                let (_, trace) = split_raw_trace(self.x[3]);
                let inner = self.p.heap.tuple(&[reason, trace]);
                self.p.heap.tuple(&[Term::atom(Atom::EXIT), inner])
            }
            _ => self.p.heap.tuple(&[Term::atom(Atom::EXIT), reason]),
        };
    }

    /// `try_case`: class, reason and trace move to x0..x2.
    pub(crate) fn try_case(&mut self, y: Reg) {
        self.set(y, Term::NIL);
        self.x[0] = self.x[1];
        self.x[1] = self.x[2];
        self.x[2] = self.x[3];
    }

    /// `error:{Tag, Value}`.
    pub(crate) fn error_tuple(&mut self, tag: &str, src: Src) -> Step {
        let v = self.get(src);
        let tag = Term::atom(Atom::intern(tag).map_err(|_| Exception::system_limit())?);
        let reason = self.p.heap.tuple(&[tag, v]);
        Err(Exception::error(reason).into())
    }

    /// `func_info`: no clause matched the arguments in x0...
    pub(crate) fn func_info(&mut self, function: u32) -> Step {
        let m = self.m;
        let Some(f) = m.functions.get(function as usize) else {
            return Err(Exception::badarg().into());
        };
        let args = self.p.heap.list(&self.x[..f.arity as usize]);
        let frame = self.frame_at(self.id, self.pc() - 1, Some(args));
        let reason = Term::atom(Atom::FUNCTION_CLAUSE);
        let head = frame.map_or(Head::Stack, Head::FrameThenStack);
        Err(Stop::Raise(Exception::error(reason), head))
    }

    /// `raise RawTrace Value`: re-raise from a handler with the class
    /// and trace of the raw trace it received (class `error` for a term
    /// that is not a raw trace, as in BEAM).
    pub(crate) fn raise_instr(&mut self, trace: Src, value: Src) -> Step {
        let (raw, reason) = (self.get(trace), self.get(value));
        let (class, trace) = split_raw_trace(raw);
        let class = class.unwrap_or(Class::Error);
        Err(Stop::Reraise(Exception::new(class, reason), trace))
    }

    /// `build_stacktrace`: x0's raw trace becomes the stack trace list.
    pub(crate) fn build_stacktrace(&mut self) {
        self.x[0] = split_raw_trace(self.x[0]).1;
    }

    /// `raw_raise`: x0 class, x1 reason, x2 raw trace.
    pub(crate) fn raw_raise(&mut self) -> Step {
        match class_of(self.x[0]) {
            Some(class) => Err(Stop::Reraise(
                Exception::new(class, self.x[1]),
                split_raw_trace(self.x[2]).1,
            )),
            None => Err(Exception::badarg().into()),
        }
    }

    /// An instruction of a later issue: `error:{enigma_unsupported, Name}`.
    pub(crate) fn unsupported(&mut self, instr: &enigma_vm::code::Instr) -> Step {
        let dbg = format!("{instr:?}");
        let name: String = dbg
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let tag = Atom::intern("enigma_unsupported").map_err(|_| Exception::system_limit())?;
        let name = Atom::intern(&name).map_err(|_| Exception::system_limit())?;
        let reason = self.p.heap.tuple(&[Term::atom(tag), Term::atom(name)]);
        Err(Exception::error(reason).into())
    }

    /// A process started at `erlang:apply/2` whose fun could not be
    /// called (`badfun`, `badarity`) has BEAM's `{erlang,apply,2,[]}` frame
    /// on top of its stack trace (`spawn(fun(_) -> ok end)`).
    pub(crate) fn apply_frame(&mut self, e: &'static Export, stop: Stop) -> Stop {
        let is_apply2 = e.module == Atom::ERLANG && e.arity == 2 && e.function.name() == "apply";
        match stop {
            Stop::Raise(ex, Head::Stack) if is_apply2 => {
                let frame = self.p.heap.tuple(&[
                    Term::atom(e.module),
                    Term::atom(e.function),
                    Term::small(2),
                    Term::NIL,
                ]);
                Stop::Raise(ex, Head::FrameThenStack(frame))
            }
            other => other,
        }
    }

    /// A BIF's own frame `{M, F, Args, Info}` as BEAM reports BIF errors,
    /// with the `cause` of exception `ex` in its `error_info`.
    pub(crate) fn bif_frame(&mut self, e: &'static Export, args: &[Term], ex: &Exception) -> Term {
        // BEAM runs `init`'s functions as Erlang code, preloaded without
        // line numbers: their frames show the arity.
        let args = if e.module.name() == "init" {
            Term::small(i64::from(e.arity))
        } else {
            self.p.heap.list(args)
        };
        let info = match error_info_module(e.module) {
            Some(m) => error_info(self, m, ex.cause()),
            None => Term::NIL,
        };
        self.p
            .heap
            .tuple(&[Term::atom(e.module), Term::atom(e.function), args, info])
    }
}

/// The `erlang` functions that BEAM 25 runs as Erlang code (`erlang.erl`,
/// which raises their errors with their arguments) and Enigma natively.
const ERLANG_CODED: &[(&str, u32)] = &[
    ("atom_to_binary", 1),
    ("binary_to_atom", 1),
    ("binary_to_existing_atom", 1),
    ("check_process_code", 2),
    ("check_process_code", 3),
    ("convert_time_unit", 3),
    ("garbage_collect", 1),
    ("garbage_collect", 2),
    ("group_leader", 2),
    ("halt", 1),
    ("load_module", 2),
    ("localtime_to_universaltime", 1),
    ("memory", 1),
    ("port_call", 2),
    ("port_call", 3),
    ("port_close", 1),
    ("port_command", 2),
    ("port_command", 3),
    ("port_connect", 2),
    ("port_control", 3),
    ("port_info", 1),
    ("port_info", 2),
    ("prepare_loading", 2),
    ("process_display", 2),
    ("purge_module", 1),
    ("spawn", 1),
    ("suspend_process", 1),
    ("suspend_process", 2),
];

/// Where the stack trace of an error raised by the BIF (or interpreter
/// operation) `e` goes on after its own `frame`: to its caller, as BEAM
/// shows a BIF's errors, or, for a function BEAM runs as Erlang code
/// ([`ERLANG_CODED`]), to the stack, so that a tail call to it shows no
/// frame of the function that made it (`binary_to_atom/1` or `spawn/1`
/// called last), as BEAM's tail call left none.
pub(crate) fn bif_head(e: &Export, frame: Term) -> Head {
    let coded = e.module == Atom::ERLANG
        && ERLANG_CODED
            .iter()
            .any(|&(f, a)| a == e.arity && e.function.name() == f);
    if coded {
        Head::FrameThenStack(frame)
    } else {
        Head::FrameThenCaller(frame)
    }
}

/// The module that explains a BIF's errors in BEAM's `error_info`: the
/// application's `*_errors` module, for the modules whose BIFs BEAM
/// annotates.
fn error_info_module(bif_module: Atom) -> Option<&'static str> {
    match bif_module.name() {
        "erlang" | "erts_internal" | "persistent_term" | "atomics" | "counters" => {
            Some("erl_erts_errors")
        }
        "binary" | "lists" | "maps" | "math" | "unicode" | "ets" | "re" => {
            Some("erl_stdlib_errors")
        }
        "os" => Some("erl_kernel_errors"),
        _ => None,
    }
}

/// `[{error_info, #{module => Mod}}]`, with `cause => Cause` when given.
fn error_info(run: &mut Run<'_>, module: &str, cause: Option<Atom>) -> Term {
    let (Ok(key), Ok(m), Ok(tag), Ok(cause_key)) = (
        Atom::intern("module"),
        Atom::intern(module),
        Atom::intern("error_info"),
        Atom::intern("cause"),
    ) else {
        return Term::NIL;
    };
    let mut pairs = vec![(Term::atom(key), Term::atom(m))];
    if let Some(c) = cause {
        pairs.insert(0, (Term::atom(cause_key), Term::atom(c)));
    }
    let map = run.p.heap.map_from_pairs(&pairs);
    let t = run.p.heap.tuple(&[Term::atom(tag), map]);
    run.p.heap.list(&[t])
}

/// The stack trace `erlang:raise/3` raises with, `None` (the BIF then
/// returns `badarg`) unless `trace` is a proper list of `{M, F, Args, Loc}`,
/// `{M, F, Args}`, `{Fun, Args, Loc}` or `{Fun, Args}` with `Loc` a list:
/// as BEAM, 3-tuple `{M, F, Args}` and `{Fun, Args}` frames get an empty
/// location.
pub(crate) fn raise_trace(heap: &mut Heap, trace: Term) -> Option<Term> {
    let mut frames = trace.proper_list()?;
    for frame in &mut frames {
        let t = frame.as_tuple()?;
        let e = t.elements();
        let mfa = |m: Term, f: Term| m.is_atom() && f.is_atom();
        let is_fun = |f: Term| fun_arity(f).is_some();
        let loc = match *e {
            [f, args] if is_fun(f) => {
                *frame = heap.tuple(&[f, args, Term::NIL]);
                Term::NIL
            }
            [f, _, loc] if is_fun(f) => loc,
            [m, f, args] if mfa(m, f) => {
                *frame = heap.tuple(&[m, f, args, Term::NIL]);
                Term::NIL
            }
            [m, f, _, loc] if mfa(m, f) => loc,
            _ => return None,
        };
        if !(loc.is_list() || loc.is_nil()) {
            return None;
        }
    }
    Some(heap.list(&frames))
}

/// The class and the stack trace list of a raw trace `{Class, Trace}`;
/// no class and the term itself (`[]` if not a list) for anything else.
fn split_raw_trace(raw: Term) -> (Option<Class>, Term) {
    if let Some(t) = raw.as_tuple() {
        if let (2, Some(class), Some(trace)) = (t.len(), t.get(0).and_then(class_of), t.get(1)) {
            return (Some(class), trace);
        }
    }
    let trace = if raw.is_list() || raw.is_nil() {
        raw
    } else {
        Term::NIL
    };
    (None, trace)
}

/// The class an atom names.
pub fn class_of(t: Term) -> Option<Class> {
    match t.as_atom()? {
        Atom::ERROR => Some(Class::Error),
        Atom::EXIT_CLASS => Some(Class::Exit),
        Atom::THROW => Some(Class::Throw),
        _ => None,
    }
}
