//! Call tracing's BIFs: `erlang:trace_pattern/2,3` sets which functions
//! are traced, counted and timed (`enigma_interp::call_trace` keeps
//! them), also for modules loaded later (`on_load`), and
//! `trace_info({M, F, A} | on_load, Item)` reads it back; the match
//! specification runner of traced calls (installed at start-up:
//! [`install`]). Answers and errors are BEAM's; `meta` is accepted and
//! does nothing.

use enigma_interp::call_trace::{self, CountOp, MsOutcome, OnLoadChange, Setting};
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::ets::matchspec::{Action, Kind, MatchSpec};
use crate::bif::helpers::{atom, is_atom};

/// The call tracing BIFs.
pub const TABLE: &[BifEntry] = &[
    e("trace_pattern", 2, trace_pattern_2),
    e("trace_pattern", 3, trace_pattern_3),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Installs the runner of traced calls' match specifications.
pub fn install() {
    call_trace::set_match_spec_runner(run_ms);
}

/// Runs match specification `ms` on a traced call's arguments `args`.
fn run_ms(p: &mut Process, ms: Term, args: Term, caller: Term) -> Option<MsOutcome> {
    let spec = MatchSpec::compile(ms, Kind::Trace).ok()?;
    let (_, actions) = spec.run_traced(p, args, caller)?;
    let mut o = MsOutcome {
        message: Term::TRUE,
        return_trace: false,
        exception_trace: false,
    };
    for (a, v) in actions {
        match a {
            Action::Message => o.message = v,
            Action::ReturnTrace => o.return_trace = true,
            Action::ExceptionTrace => o.exception_trace = true,
        }
    }
    Some(o)
}

fn trace_pattern_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [mfa, ms] = arity(args)?;
    trace_pattern_3(p, &[mfa, ms, Term::NIL])
}

/// `{M, F, A}` with wildcards (`'_'`: `None`), each `'_'` only after a
/// `'_'`, as BEAM takes them.
type Pattern = (Option<Atom>, Option<Atom>, Option<u32>);

fn pattern(t: Term) -> Option<Pattern> {
    let t = t.as_tuple().filter(|t| t.len() == 3)?;
    let wild = |x: Term| is_atom(x, "_");
    let (m, f, a) = (t.get(0)?, t.get(1)?, t.get(2)?);
    let m = if wild(m) { None } else { Some(m.as_atom()?) };
    let f = if wild(f) { None } else { Some(f.as_atom()?) };
    let a = if wild(a) {
        None
    } else {
        Some(a.as_small().and_then(|a| u8::try_from(a).ok())? as u32)
    };
    let ordered = (m.is_some() || f.is_none()) && (f.is_some() || a.is_none());
    ordered.then_some((m, f, a))
}

/// The flags of `trace_pattern/3`.
#[derive(Default)]
struct Flags {
    local: bool,
    global: bool,
    meta: bool,
    count: bool,
    time: bool,
}

impl Flags {
    /// Any of BEAM's "breakpoint" flags (all but `global`).
    fn breakpoint(&self) -> bool {
        self.local || self.meta || self.count || self.time
    }
}

fn flags(list: Term) -> Result<Flags, Exception> {
    let mut fl = Flags::default();
    let mut rest = list;
    while let Some((flag, tail)) = rest.as_cons() {
        rest = tail;
        match flag.as_atom().map(|a| a.name()) {
            Some("local") => fl.local = true,
            Some("global") => fl.global = true,
            Some("meta") => fl.meta = true,
            Some("call_count") => fl.count = true,
            Some("call_time") => fl.time = true,
            // `call_memory` (OTP 26) and `{meta, Pid}`: not in OTP 25.
            _ => return Err(Exception::badarg_because("badopt")),
        }
    }
    if !rest.is_nil() || (fl.global && fl.breakpoint()) {
        return Err(Exception::badarg_because("badopt"));
    }
    Ok(fl)
}

/// A match specification argument: off, on (with a specification or
/// none), `restart` or `pause`.
enum Ms {
    Off,
    On(Option<Term>),
    Restart,
    Pause,
}

/// `erlang:trace_pattern(MFA, MatchSpec, Flags)`: the number of functions
/// matched.
fn trace_pattern_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [mfa, ms, flag_list] = arity(args)?;
    let fl = flags(flag_list)?;
    let ms = if ms == Term::FALSE {
        Ms::Off
    } else if ms == Term::TRUE || ms.is_nil() {
        Ms::On(None)
    } else if is_atom(ms, "restart") {
        Ms::Restart
    } else if is_atom(ms, "pause") {
        Ms::Pause
    } else if ms.is_list() && MatchSpec::compile(ms, Kind::Trace).is_ok() {
        Ms::On(Some(ms))
    } else {
        return Err(Exception::badarg_because("match_spec"));
    };
    if matches!(ms, Ms::On(Some(_))) && !fl.local && !fl.meta && (fl.count || fl.time) {
        return Err(Exception::badarg_because("call_count"));
    }
    if is_atom(mfa, "on_load") {
        call_trace::set_on_load(OnLoadChange {
            on: !matches!(ms, Ms::Off),
            set: matches!(ms, Ms::On(_)),
            local: fl.local,
            meta: fl.meta,
            count: fl.count,
            time: fl.time,
            ms: match ms {
                Ms::On(m) => m,
                _ => None,
            },
        });
        return Ok(Term::small(0));
    }
    let (m, f, a) = pattern(mfa).ok_or_else(|| Exception::badarg_because("none"))?;
    if m.is_none_or(|m| m == Atom::ERLANG) {
        // Preloaded on BEAM, loaded when first needed here: its BIFs
        // are functions patterns match.
        let _ = enigma_interp::code::ensure_loaded(Atom::ERLANG);
    }
    let op = match ms {
        Ms::Off => CountOp::Stop,
        Ms::Pause => CountOp::Pause,
        Ms::On(_) | Ms::Restart => CountOp::Start,
    };
    let mut settings = Vec::new();
    // As on BEAM, `restart` and `pause` turn a trace on (with no match
    // specification).
    let trace = |local| match ms {
        Ms::Off => Setting::Untrace { local },
        Ms::On(ms) => Setting::Trace { ms, local },
        Ms::Restart | Ms::Pause => Setting::Trace { ms: None, local },
    };
    if !fl.breakpoint() {
        settings.push(trace(false));
    } else {
        if fl.local {
            settings.push(trace(true));
        }
        if fl.count {
            settings.push(Setting::Count(op));
        }
        if fl.time {
            settings.push(Setting::Time(op));
        }
    }
    let mut n = count_matches(m, f, a, !fl.breakpoint());
    for setting in settings {
        n = call_trace::set(m, f, a, setting);
    }
    // Its slice ends at its next call, so that it goes on in the module
    // versions made current for the patterns (`call_trace::redirect`),
    // as BEAM's process goes on in code patched for them.
    p.charge(enigma_interp::sched::SLICE as usize);
    Ok(Term::small(n as i64))
}

/// How many loaded functions `{M, F, A}` matches (exported ones only for
/// a `global` pattern), for the patterns that set nothing.
fn count_matches(m: Option<Atom>, f: Option<Atom>, a: Option<u32>, global: bool) -> usize {
    let names = match m {
        Some(m) => vec![m],
        None => enigma_interp::code::current_modules(),
    };
    names
        .into_iter()
        .filter_map(|m| enigma_interp::code::current(m).and_then(enigma_interp::code::module))
        .map(|module| {
            module
                .functions
                .iter()
                .filter(|func| {
                    f.is_none_or(|f| f == func.name) && a.is_none_or(|a| a == func.arity)
                })
                .filter(|func| {
                    !global
                        || module
                            .exports
                            .iter()
                            .any(|(e, _)| e.function == func.name && e.arity == func.arity)
                })
                .count()
        })
        .sum()
}

/// `trace_info({M, F, A}, Item)` of an existing function (`exists`).
pub fn function_info(
    p: &mut Process,
    (m, f, a): (Atom, Atom, u32),
    item: Term,
    exists: bool,
) -> Result<Term, Exception> {
    let name = item.as_atom().map(|a| a.name()).unwrap_or("");
    let items = [
        "traced",
        "match_spec",
        "meta",
        "meta_match_spec",
        "call_time",
        "call_count",
    ];
    if !exists {
        return Ok(p.heap.tuple(&[item, Term::atom(Atom::UNDEFINED)]));
    }
    let info = call_trace::info((m, f, a), &mut p.heap);
    let value = |p: &mut Process, name: &str| -> Result<Term, Exception> {
        Ok(match name {
            "traced" => match info.traced {
                Some(true) => atom("local")?,
                Some(false) => atom("global")?,
                None => Term::FALSE,
            },
            "match_spec" => match info.traced {
                Some(_) => info.ms.unwrap_or(Term::NIL),
                None => Term::FALSE,
            },
            "call_count" => match info.call_count {
                Some(n) => p.heap.int(n as i64),
                None => Term::FALSE,
            },
            "call_time" => match &info.call_time {
                Some(by_process) => {
                    let mut items = Vec::with_capacity(by_process.len());
                    for &(pid, c) in by_process {
                        let micros = c.nanos / 1000;
                        let calls = p.heap.int(c.calls as i64);
                        let s = p.heap.int((micros / 1_000_000) as i64);
                        let us = Term::small((micros % 1_000_000) as i64);
                        items.push(p.heap.tuple(&[pid, calls, s, us]));
                    }
                    p.heap.list(&items)
                }
                None => Term::FALSE,
            },
            _ => Term::FALSE,
        })
    };
    let v = if name == "all" {
        if info.traced.is_none() && info.call_count.is_none() && info.call_time.is_none() {
            Term::FALSE
        } else {
            let mut pairs = Vec::with_capacity(items.len());
            for n in items {
                let v = value(p, n)?;
                let k = atom(n)?;
                pairs.push(p.heap.tuple(&[k, v]));
            }
            p.heap.list(&pairs)
        }
    } else {
        value(p, name)?
    };
    Ok(p.heap.tuple(&[item, v]))
}

/// `trace_info(on_load, Item)`.
pub fn on_load_info(p: &mut Process, item: Term) -> Result<Term, Exception> {
    let Some(info) = call_trace::on_load_info(&mut p.heap) else {
        return Ok(p.heap.tuple(&[item, Term::FALSE]));
    };
    let traced = match info.traced {
        Some(true) => atom("local")?,
        Some(false) => atom("global")?,
        None => Term::FALSE,
    };
    let ms = match (info.ms, info.traces) {
        (Some(ms), _) => ms,
        (None, true) => Term::NIL,
        (None, false) => Term::FALSE,
    };
    let flag = |on: bool| if on { Term::TRUE } else { Term::FALSE };
    let v = match item.as_atom().map(|a| a.name()) {
        Some("traced") => traced,
        Some("match_spec") if info.traces => ms,
        Some("match_spec" | "meta" | "meta_match_spec") => Term::FALSE,
        Some("call_count") => flag(info.count),
        Some("call_time") => flag(info.time),
        Some("all") => {
            // OTP 25's list: no `call_time`.
            let pairs = [
                ("traced", traced),
                ("match_spec", ms),
                ("meta", Term::FALSE),
                ("meta_match_spec", Term::FALSE),
                ("call_count", flag(info.count)),
            ];
            let mut items = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let k = atom(k)?;
                items.push(p.heap.tuple(&[k, v]));
            }
            p.heap.list(&items)
        }
        _ => return Err(Exception::badarg()),
    };
    Ok(p.heap.tuple(&[item, v]))
}
