//! Call tracing (`erlang:trace_pattern/3`): which functions are traced,
//! with which match specification, and their call counters.
//!
//! Untraced code pays nothing: a module with a traced function runs as a
//! *traced copy* of its current version ([`copy`]), made current in its
//! place, whose traced functions have an entry of their own at its end
//! ([`enigma_vm::code::Instr::TraceCall`]). Exports of a traced function
//! lead there (`global`); with `local` (and for `call_count`) the copy's
//! local calls do too. Turning the last pattern of a module off makes its
//! original version current again. The JIT records no trace through a
//! traced entry (an instruction its recorder does not know).
//!
//! A module loaded again is not traced (its patterns are dropped, as
//! BEAM's new code has none) unless `on_load` patterns are set, which
//! apply to every module loaded from then on ([`loaded`]).
//!
//! What differs from BEAM, which patches the loaded code in place: a
//! process already running the module's code before the pattern was set
//! (a server's receive loop) keeps running its untraced original until it
//! next enters the module through an export.

mod bif;
mod copy;
mod on_load;
mod run;
mod time;

pub use on_load::{loaded, on_load_info, set_on_load, OnLoadChange, OnLoadInfo};

pub use bif::bifs_traced;
pub(crate) use bif::BifCall;

pub(crate) use run::is_trace_return;
pub use time::Counters;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ahash::AHashMap;
use enigma_vm::atom::Atom;
use enigma_vm::code::Target;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::code;

/// `{M, F, A}`.
pub type Mfa = (Atom, Atom, u32);

/// What the match specification of a traced call asked for.
#[derive(Clone, Copy, Debug)]
pub struct MsOutcome {
    /// `{message, X}`'s `X` (`true` without one): `false` sends no call
    /// message, `true` the plain one, another term is added to it.
    pub message: Term,
    /// `{return_trace}`.
    pub return_trace: bool,
    /// `{exception_trace}`.
    pub exception_trace: bool,
}

/// Runs a trace match specification on a call's argument list (on the
/// calling process): `None` when no clause matches.
pub type MsRunner = fn(&mut Process, Term, Term, Term) -> Option<MsOutcome>;

static MS_RUNNER: OnceLock<MsRunner> = OnceLock::new();

/// Installs the match specification runner (once, at start-up, by the
/// crate that owns match specifications).
pub fn set_match_spec_runner(f: MsRunner) {
    let _ = MS_RUNNER.set(f);
}

/// What the match specification `ms` (`None`: every call) of a traced
/// call with arguments `args` asks, run on the calling process `p`.
fn outcome(
    p: &mut Process,
    ms: &Option<Arc<Message>>,
    args: &[Term],
    caller: Term,
) -> Option<MsOutcome> {
    match ms {
        None => Some(MsOutcome {
            message: Term::TRUE,
            return_trace: false,
            exception_trace: false,
        }),
        Some(ms) => {
            let args = p.heap.list(args);
            MS_RUNNER
                .get()
                .and_then(|run| run(p, ms.term, args, caller))
        }
    }
}

/// A function's call tracing.
#[derive(Clone)]
struct Traced {
    /// The match specification (a private copy); `None` for `true`/`[]`.
    ms: Option<Arc<Message>>,
    /// Local calls are traced too.
    local: bool,
}

/// A function's call counter (`call_count`).
#[derive(Clone)]
struct Count {
    n: Arc<AtomicU64>,
    running: bool,
}

#[derive(Default, Clone)]
struct FnState {
    trace: Option<Traced>,
    count: Option<Count>,
    time: Option<time::Timed>,
}

impl FnState {
    fn is_empty(&self) -> bool {
        self.trace.is_none() && self.count.is_none() && self.time.is_none()
    }

    /// Whether its local calls lead to its traced entry.
    fn local(&self) -> bool {
        self.count.is_some() || self.time.is_some() || self.trace.as_ref().is_some_and(|t| t.local)
    }
}

/// The patterns of modules loaded from now on (`trace_pattern(on_load,
/// ...)`), as BEAM keeps them: either a global trace or a set of local
/// ("breakpoint") ones.
#[derive(Default, Clone)]
struct OnLoad {
    on: bool,
    /// Local breakpoints (else a global trace).
    breakpoint: bool,
    local: bool,
    count: bool,
    time: bool,
    /// The trace match specification (`None`: `true`).
    ms: Option<Arc<Message>>,
}

#[derive(Default)]
struct Table {
    fns: AHashMap<Mfa, FnState>,
    /// Module name to its (original, traced copy) code ids.
    copies: AHashMap<Atom, (u32, u32)>,
    /// Module name to its original and every copy made of it, while it
    /// stays loaded: the versions [`redirect`] leads to the current one.
    versions: AHashMap<Atom, Vec<u32>>,
    /// `on_load` patterns.
    on_load: OnLoad,
    /// Where the call-traced processes' `call_time` goes.
    clocks: time::Clocks,
}

/// Where code that runs a version of a module which a copy of it
/// replaced goes on (the versions have the same code at the same
/// positions): by code id, the current version and its traced entries
/// by the entry positions of the functions traced `local`.
#[derive(Default)]
struct Redirects {
    to: AHashMap<u32, u32>,
    stubs: AHashMap<u32, AHashMap<Target, Target>>,
}

fn redirects() -> &'static parking_lot::RwLock<Redirects> {
    static R: OnceLock<parking_lot::RwLock<Redirects>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Where a process that is to run code `id` at `pc` runs it: in the
/// current version of the module if a copy replaced `id` (or the copy
/// was dropped), at the traced entry if `pc` is the entry of a function
/// traced `local` there (a yield at a call's arrival resumes there). Only
/// read once a pattern was ever set ([`ever`]): the process's resumption
/// and the interpreter's switch from one module version to another.
pub fn redirect(id: u32, pc: Target) -> (u32, Target) {
    let r = redirects().read();
    let Some(&to) = r.to.get(&id) else {
        return (id, pc);
    };
    let pc = r
        .stubs
        .get(&to)
        .and_then(|s| s.get(&pc))
        .copied()
        .unwrap_or(pc);
    (to, pc)
}

/// Module `name`'s version `current` (its original or a copy) replaced
/// the others of `versions`.
fn redirect_all(versions: &[u32], current: u32, stubs: AHashMap<Target, Target>) {
    let mut r = redirects().write();
    for &v in versions {
        if v == current {
            r.to.remove(&v);
        } else {
            r.to.insert(v, current);
        }
    }
    r.stubs.insert(current, stubs);
}

fn table() -> MutexGuard<'static, Table> {
    static T: OnceLock<Mutex<Table>> = OnceLock::new();
    T.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Whether any function has had a pattern: what the stack walks read
/// before looking for trace frames.
static EVER: AtomicBool = AtomicBool::new(false);

/// Whether a pattern was ever set (a trace frame may be on a stack).
#[inline]
pub fn ever() -> bool {
    EVER.load(Ordering::Relaxed)
}

/// What `trace_pattern/3` does to the functions it matches.
#[derive(Clone, Copy, Debug)]
pub enum Setting {
    /// Call tracing with match specification `ms` (`None`: every call),
    /// of local calls too when `local`.
    Trace { ms: Option<Term>, local: bool },
    /// Call tracing off (of the exported functions only unless `local`).
    Untrace { local: bool },
    /// `call_count` with `true` (start from 0), `pause` or `false`.
    Count(CountOp),
    /// `call_time` with `true` (start from 0), `pause` or `false`.
    Time(CountOp),
}

impl Setting {
    /// Whether it sets BEAM's export ("global") tracing rather than a
    /// breakpoint in the function's code.
    fn global(self) -> bool {
        matches!(
            self,
            Setting::Trace { local: false, .. } | Setting::Untrace { local: false }
        )
    }
}

/// A `call_count` change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountOp {
    /// Count from 0.
    Start,
    /// Keep the count, stop counting.
    Pause,
    /// No counter.
    Stop,
}

/// The module version whose functions patterns name: the original of a
/// traced copy.
fn original(t: &Table, name: Atom) -> Option<u32> {
    let cur = code::current(name)?;
    match t.copies.get(&name) {
        Some(&(orig, copy)) if copy == cur => Some(orig),
        _ => Some(cur),
    }
}

/// Drops what is kept for module `name` if it was loaded again since its
/// copy was made (its new version is not traced).
fn forget_reloaded(t: &mut Table, name: Atom) {
    if let Some(&(_, copy)) = t.copies.get(&name) {
        if code::current(name) != Some(copy) {
            t.copies.remove(&name);
            t.fns.retain(|k, _| k.0 != name);
        }
    }
}

/// `erlang:trace_pattern({M, F, A}, _, _)` for the functions of loaded
/// modules that `m`, `f`, `a` match (`None`: `'_'`); only exported ones
/// for a global trace. The number of functions matched.
pub fn set(m: Option<Atom>, f: Option<Atom>, a: Option<u32>, setting: Setting) -> usize {
    EVER.store(true, Ordering::Relaxed);
    let ms = match setting {
        Setting::Trace { ms: Some(ms), .. } => Message::copy(ms).ok().map(Arc::new),
        _ => None,
    };
    let _guard = code::loading_guard();
    let mut t = table();
    let names: Vec<Atom> = match m {
        Some(m) => vec![m],
        None => code::current_modules(),
    };
    let mut matched = 0;
    for name in names {
        forget_reloaded(&mut t, name);
        matched += set_in(&mut t, name, (f, a), setting, &ms);
    }
    bif::update(&t);
    matched
}

/// [`set`] on module `name`'s functions that `f`, `a` match: how many.
fn set_in(
    t: &mut Table,
    name: Atom,
    (f, a): (Option<Atom>, Option<u32>),
    setting: Setting,
    ms: &Option<Arc<Message>>,
) -> usize {
    let mut matched = 0;
    {
        let Some(module) = original(t, name).and_then(code::module) else {
            return 0;
        };
        let exported: Vec<(Atom, u32)> = module
            .exports
            .iter()
            .map(|(e, _)| (e.function, e.arity))
            .collect();
        let mut changed = false;
        for func in &module.functions {
            if f.is_some_and(|f| f != func.name) || a.is_some_and(|a| a != func.arity) {
                continue;
            }
            if setting.global() && !exported.contains(&(func.name, func.arity)) {
                continue;
            }
            matched += 1;
            let key = (name, func.name, func.arity);
            let st = t.fns.entry(key).or_default();
            let before = (st.is_empty(), st.local());
            apply(st, setting, ms);
            changed |= before != (st.is_empty(), st.local());
            if st.is_empty() {
                t.fns.remove(&key);
            }
        }
        if changed {
            rebuild(t, name);
        }
    }
    matched
}

/// `setting` applied to one function's state. As on BEAM, a global trace
/// and the local ones (a local trace, `call_count`, `call_time`) exclude
/// each other: turning one kind on turns the other off.
fn apply(st: &mut FnState, setting: Setting, ms: &Option<Arc<Message>>) {
    let global_on = matches!(setting, Setting::Trace { local: false, .. });
    let local_on = matches!(
        setting,
        Setting::Trace { local: true, .. }
            | Setting::Count(CountOp::Start | CountOp::Pause)
            | Setting::Time(CountOp::Start | CountOp::Pause)
    );
    if global_on {
        st.count = None;
        st.time = None;
    }
    if local_on && st.trace.as_ref().is_some_and(|t| !t.local) {
        st.trace = None;
    }
    match setting {
        Setting::Trace { local, .. } => {
            st.trace = Some(Traced {
                ms: ms.clone(),
                local,
            })
        }
        Setting::Untrace { local } => {
            if st.trace.as_ref().is_some_and(|t| t.local == local) {
                st.trace = None;
            }
        }
        Setting::Count(CountOp::Start) => {
            st.count = Some(Count {
                n: Arc::new(AtomicU64::new(0)),
                running: true,
            })
        }
        Setting::Count(CountOp::Pause) => {
            let c = st.count.get_or_insert_with(|| Count {
                n: Arc::new(AtomicU64::new(0)),
                running: false,
            });
            c.running = false;
        }
        Setting::Count(CountOp::Stop) => st.count = None,
        Setting::Time(CountOp::Start) => {
            st.time = Some(time::Timed {
                running: true,
                ..Default::default()
            })
        }
        Setting::Time(CountOp::Pause) => {
            st.time.get_or_insert_with(Default::default).running = false
        }
        Setting::Time(CountOp::Stop) => st.time = None,
    }
}

/// Makes the current version of module `name` a traced copy of its
/// original for its functions' patterns now, or the original when none
/// is left.
fn rebuild(t: &mut Table, name: Atom) {
    let Some(orig_id) = original(t, name) else {
        return;
    };
    let Some(orig) = code::module(orig_id) else {
        return;
    };
    let traced: Vec<(u32, bool)> = orig
        .functions
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let st = t.fns.get(&(name, f.name, f.arity))?;
            Some((i as u32, st.local()))
        })
        .collect();
    // With no function traced the module stays a copy (no traced entry
    // in use): a process that was at a traced entry or a trace frame's
    // landing, past the original's end, goes on in the next copy.
    let (copy, stubs) = copy::traced_copy(orig, &traced);
    match code::install_copy(copy) {
        Ok(id) => {
            t.copies.insert(name, (orig_id, id));
            let versions = t.versions.entry(name).or_default();
            if !versions.contains(&orig_id) {
                versions.clear();
                versions.push(orig_id);
            }
            versions.push(id);
            redirect_all(versions, id, stubs);
        }
        Err(e) => log::warn!("call tracing of {}: {e}", name.name()),
    }
}

/// What `trace_info({M, F, A}, Item)` reads of a function.
#[derive(Debug, Default)]
pub struct Info {
    /// Traced: `Some(local)`.
    pub traced: Option<bool>,
    /// The match specification (`None`: `true`), on the caller's heap.
    pub ms: Option<Term>,
    /// The call count, if counted.
    pub call_count: Option<u64>,
    /// `call_time`'s counters by process, if timed.
    pub call_time: Option<Vec<(Term, Counters)>>,
}

/// The tracing of `M:F/A` (the match specification copied to `heap`).
pub fn info(mfa: Mfa, heap: &mut enigma_vm::term::Heap) -> Info {
    let mut t = table();
    forget_reloaded(&mut t, mfa.0);
    let Some(st) = t.fns.get(&mfa) else {
        return Info::default();
    };
    let ms = st
        .trace
        .as_ref()
        .and_then(|tr| tr.ms.as_ref())
        .and_then(|m| enigma_vm::term::copy::copy_onto(m.term, heap).ok());
    Info {
        traced: st.trace.as_ref().map(|t| t.local),
        ms,
        call_count: st.count.as_ref().map(|c| c.n.load(Ordering::Relaxed)),
        call_time: st.time.as_ref().map(|t| {
            let mut v: Vec<(Term, Counters)> = t
                .by_process
                .iter()
                .map(|(&n, &c)| (crate::sched::pid_of(n), c))
                .collect();
            v.sort_by_key(|&(pid, _)| pid.as_local_pid());
            v
        }),
    }
}

/// Whether calls through `e` reach a traced entry: the JIT records none
/// through it.
pub fn traced(e: &Export) -> bool {
    ever() && table().fns.contains_key(&(e.module, e.function, e.arity))
}

/// What a traced entry needs to know of its function when called.
struct AtCall {
    trace: Option<Traced>,
    /// The call is timed: its trace frame must charge the time.
    timed: bool,
}

/// Counts a call of `mfa` by process `pid` (call traced: `call_traced`)
/// and answers its tracing.
fn at_call(mfa: Mfa, pid: Term, call_traced: bool) -> AtCall {
    let mut t = table();
    let Some(st) = t.fns.get(&mfa) else {
        return AtCall {
            trace: None,
            timed: false,
        };
    };
    if let Some(c) = st.count.as_ref().filter(|c| c.running) {
        c.n.fetch_add(1, Ordering::Relaxed);
    }
    let trace = st.trace.clone();
    let timed = call_traced && st.time.is_some();
    if timed {
        if let Some(n) = crate::sched::pid_number(pid) {
            let charge = t.clocks.call(n, mfa);
            charge_time(&mut t, n, charge);
            if let Some(tm) = t.fns.get_mut(&mfa).and_then(|s| s.time.as_mut()) {
                tm.count(n);
            }
        }
    }
    AtCall { trace, timed }
}

/// Charges `charge`'s time to its function, for process number `n`.
fn charge_time(t: &mut Table, n: u32, charge: Option<(Mfa, u64)>) {
    if let Some((mfa, nanos)) = charge {
        if let Some(tm) = t.fns.get_mut(&mfa).and_then(|s| s.time.as_mut()) {
            tm.charge(n, nanos);
        }
    }
}

/// Process `pid` leaves a timed function through its trace frame.
fn leave_timed(pid: Term) {
    if let Some(n) = crate::sched::pid_number(pid) {
        let mut t = table();
        let charge = t.clocks.leave(n);
        charge_time(&mut t, n, charge);
    }
}
