//! Call tracing's BIFs: `erlang:trace_pattern/2,3` sets which functions
//! are traced and counted (`enigma_interp::call_trace` keeps them), and
//! `trace_info({M, F, A}, Item)` reads it back; the match specification
//! runner of traced calls (installed at start-up: [`install`]). Answers
//! and errors are BEAM's; `meta` and `call_time` are accepted and do
//! nothing, BIFs are not traced (a pattern on one matches it, as on
//! BEAM, but its calls raise no event).

use enigma_interp::call_trace::{self, CountOp, MsOutcome, Setting};
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
fn run_ms(p: &mut Process, ms: Term, args: Term) -> Option<MsOutcome> {
    let spec = MatchSpec::compile(ms, Kind::Trace).ok()?;
    let (_, actions) = spec.run_with_actions(p, args)?;
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

/// `erlang:trace_pattern(MFA, MatchSpec, Flags)`: the number of functions
/// matched.
fn trace_pattern_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [mfa, ms, flags] = arity(args)?;
    let (mut local, mut global, mut count, mut other) = (false, false, false, false);
    let mut rest = flags;
    while let Some((flag, tail)) = rest.as_cons() {
        rest = tail;
        match flag.as_atom().map(|a| a.name()) {
            Some("local") => local = true,
            Some("global") => global = true,
            Some("call_count") => count = true,
            Some("meta" | "call_time" | "call_memory") => other = true,
            _ => return Err(Exception::badarg_because("badopt")),
        }
    }
    if !rest.is_nil() || (local && global) {
        return Err(Exception::badarg_because("badopt"));
    }
    if is_atom(mfa, "on_load") {
        return Ok(Term::small(0));
    }
    let (m, f, a) = pattern(mfa).ok_or_else(|| Exception::badarg_because("none"))?;
    let setting = if count {
        Setting::Count(match ms.as_atom().map(|a| a.name()) {
            Some("true" | "restart") => CountOp::Start,
            Some("pause") => CountOp::Pause,
            Some("false") => CountOp::Stop,
            _ if ms.is_list() || ms.is_nil() => CountOp::Start,
            _ => return Err(Exception::badarg()),
        })
    } else if ms == Term::FALSE {
        Setting::Untrace { local }
    } else if ms == Term::TRUE || ms.is_nil() {
        Setting::Trace { ms: None, local }
    } else if ms.is_list() {
        if MatchSpec::compile(ms, Kind::Trace).is_err() {
            return Err(Exception::badarg_because("match_spec"));
        }
        Setting::Trace {
            ms: Some(ms),
            local,
        }
    } else if ["restart", "pause"].iter().any(|n| is_atom(ms, n)) {
        return Ok(Term::small(0));
    } else {
        return Err(Exception::badarg());
    };
    if other && !count {
        // `meta` and `call_time` patterns: matched, not acted on.
        return Ok(Term::small(count_matches(m, f, a) as i64));
    }
    let n = call_trace::set(m, f, a, setting);
    // Its slice ends at its next call, so that it goes on in the module
    // versions made current for the patterns (`call_trace::redirect`),
    // as BEAM's process goes on in code patched for them.
    p.charge(enigma_interp::sched::SLICE as usize);
    Ok(Term::small(n as i64))
}

/// How many loaded functions `{M, F, A}` matches (for the patterns that
/// set nothing).
fn count_matches(m: Option<Atom>, f: Option<Atom>, a: Option<u32>) -> usize {
    let names = match m {
        Some(m) => vec![m],
        None => enigma_interp::code::current_modules(),
    };
    names
        .into_iter()
        .filter_map(|m| enigma_interp::code::current(m).and_then(enigma_interp::code::module))
        .flat_map(|module| module.functions.iter())
        .filter(|func| f.is_none_or(|f| f == func.name) && a.is_none_or(|a| a == func.arity))
        .count()
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
            _ => Term::FALSE,
        })
    };
    let v = if name == "all" {
        if info.traced.is_none() && info.call_count.is_none() {
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
