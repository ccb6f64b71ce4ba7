//! Tracing: `erlang:trace/3` sets the flags and tracer of processes
//! (`enigma_interp::trace` keeps them and raises their events);
//! `trace_info/2` reads them back (a function's tracing:
//! `trace_pattern.rs`), `trace_delivered/1` is answered at
//! once (trace messages are never in flight), a process's
//! sequential trace token is empty (`seq_trace_info/1`, `seq_trace_print/1,2`)
//! and resetting sequential tracing does nothing. The answers and errors
//! are BEAM's for such a node.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::{Message, Process};
use enigma_vm::term::fun::Export;
use enigma_vm::term::{Kind, Term};

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, is_atom};

/// The tracing BIFs.
pub const TABLE: &[BifEntry] = &[
    e("trace", 3, trace_3),
    e("trace_info", 2, trace_info_2),
    e("trace_delivered", 1, trace_delivered_1),
    e("seq_trace", 2, seq_trace_2),
    e("seq_trace_info", 1, seq_trace_info_1),
    e("seq_trace_print", 1, seq_trace_print),
    e("seq_trace_print", 2, seq_trace_print),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Whether `M:F/A` is a function of loaded code or a BIF.
fn function_exists(m: Atom, f: Atom, a: u32) -> bool {
    let local = enigma_interp::code::current(m)
        .and_then(enigma_interp::code::module)
        .is_some_and(|module| module.function_index.contains_key(&(f, a)));
    local || Export::lookup(m, f, a).is_some_and(|e| e.bif().is_some() || e.address() != 0)
}

/// `{Item, Value}`.
fn answer(p: &mut Process, item: Term, value: Term) -> Result<Term, Exception> {
    Ok(p.heap.tuple(&[item, value]))
}

/// `erlang:trace(PidPortSpec, How, FlagList)`: the number of processes
/// whose flags were set or cleared. Ports are never traced (a port or
/// the port specs count none).
fn trace_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    use enigma_interp::trace::{self, Spec};
    let [what, how, list] = arity(args)?;
    let spec = if what.as_local_pid().is_some() {
        Some(Spec::Pid(what))
    } else if what.as_local_port().is_some() {
        None
    } else {
        let name = what.as_atom().map(|a| a.name());
        match name {
            Some("all" | "processes") => Some(Spec::All),
            Some("existing" | "existing_processes") => Some(Spec::Existing),
            Some("new" | "new_processes") => Some(Spec::New),
            Some("ports" | "existing_ports" | "new_ports") => None,
            _ => return Err(Exception::badarg()),
        }
    };
    let on = match how {
        Term::TRUE => true,
        Term::FALSE => false,
        _ => return Err(Exception::badarg()),
    };
    let mut flags = 0;
    let mut tracer = p.pid;
    let mut rest = list;
    while let Some((item, tail)) = rest.as_cons() {
        rest = tail;
        if let Some(name) = item.as_atom() {
            flags |=
                trace::flag_bits(name.name()).ok_or_else(|| Exception::badarg_because("badopt"))?;
            continue;
        }
        let t = item.as_tuple().filter(|t| t.len() == 2);
        match t.map(|t| (t.get(0), t.get(1))) {
            Some((Some(k), Some(t)))
                if is_atom(k, "tracer")
                    && (t.as_local_pid().is_some() || t.as_local_port().is_some()) =>
            {
                tracer = t;
            }
            _ => return Err(Exception::badarg_because("badopt")),
        }
    }
    if rest != Term::NIL {
        return Err(Exception::badarg_because("badopt"));
    }
    let Some(spec) = spec else {
        return Ok(Term::small(0));
    };
    let n = trace::set(spec, on, flags, tracer).map_err(|_| Exception::badarg())?;
    Ok(Term::small(n as i64))
}

/// `{flags, Flags}` or `{tracer, Tracer}` of `t` (`None`: untraced).
fn traced_item(
    p: &mut Process,
    item: Term,
    t: Option<enigma_interp::trace::Tracee>,
) -> Result<Term, Exception> {
    if is_atom(item, "flags") {
        let names = t.map(|t| t.flags).unwrap_or(0);
        let names: Vec<Term> = enigma_interp::trace::flag_names(names)
            .map(atom)
            .collect::<Result<_, _>>()?;
        let list = p.heap.list(&names);
        return answer(p, item, list);
    }
    let tracer = t.map_or(Term::NIL, |t| t.tracer);
    answer(p, item, tracer)
}

/// `erlang:trace_info(PidPortFuncEvent, Item)`.
fn trace_info_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [what, item] = arity(args)?;
    // A function: its patterns; `undefined` for one that does not exist
    // (any item, as BEAM answers).
    if let Some(t) = what.as_tuple() {
        let mfa = (t.len() == 3)
            .then(|| Some((t.get(0)?.as_atom()?, t.get(1)?.as_atom()?, t.get(2)?)))
            .flatten();
        let Some((m, f, a)) =
            mfa.filter(|(m, f, a)| a.is_integer() && m.name() != "_" && f.name() != "_")
        else {
            return Err(Exception::badarg());
        };
        let exists = a
            .as_small()
            .and_then(|a| u32::try_from(a).ok())
            .is_some_and(|a| function_exists(m, f, a));
        return super::trace_pattern::function_info(
            p,
            (m, f, a.as_small().unwrap_or(0) as u32),
            item,
            exists,
        );
    }
    if is_atom(what, "on_load") {
        return super::trace_pattern::on_load_info(p, item);
    }
    // A process, a port (never traced) or the defaults for new ones.
    let mut traced = None;
    let live = if what.as_local_pid().is_some() {
        traced = enigma_interp::trace::info(Some(what));
        enigma_interp::sched::is_alive(what)
    } else if what.as_local_port().is_some() {
        enigma_interp::port::info(what).is_some()
    } else if ["new", "new_processes", "new_ports"]
        .iter()
        .any(|n| is_atom(what, n))
    {
        if !is_atom(what, "new_ports") {
            traced = enigma_interp::trace::info(None);
        }
        true
    } else {
        return Err(Exception::badarg_because("badopt"));
    };
    if !(is_atom(item, "flags") || is_atom(item, "tracer")) {
        return Err(Exception::badarg());
    }
    if !live {
        return Ok(Term::atom(Atom::UNDEFINED));
    }
    traced_item(p, item, traced)
}

/// `erlang:trace_delivered(Tracee)`: nothing is ever in flight, so
/// `{trace_delivered, Tracee, Ref}` is sent at once.
fn trace_delivered_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [tracee] = arity(args)?;
    if !(tracee.kind() == Kind::Pid || is_atom(tracee, "all")) {
        return Err(Exception::badarg());
    }
    let r = p.heap.local_ref(&enigma_vm::term::ids::fresh_ref_ids());
    let msg = p.heap.tuple(&[atom("trace_delivered")?, tracee, r]);
    let msg = Message::copy(msg).map_err(|_| Exception::badarg())?;
    enigma_interp::sched::deliver(p.pid, msg);
    Ok(r)
}

/// The flags of a sequential trace token.
const SEQ_FLAGS: [&str; 7] = [
    "send",
    "receive",
    "print",
    "timestamp",
    "monotonic_timestamp",
    "strict_monotonic_timestamp",
    "spawn",
];

/// `erlang:seq_trace(Key, Value)`: clearing the token (`seq_trace:set_token([])`),
/// which is empty, answers the empty token; setting one is not supported
/// (`notsup`): tokens are not carried by messages. A bad key or value is
/// `badarg`, as on BEAM.
fn seq_trace_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [key, value] = arity(args)?;
    let valid = if is_atom(key, "sequential_trace_token") {
        if value == Term::NIL {
            return Ok(Term::NIL);
        }
        value.as_tuple().is_some_and(|t| t.len() == 5)
    } else if SEQ_FLAGS.iter().any(|f| is_atom(key, f)) {
        value == Term::TRUE || value == Term::FALSE
    } else if is_atom(key, "label") {
        true
    } else if is_atom(key, "serial") {
        value.as_tuple().is_some_and(|t| {
            t.len() == 2
                && t.elements()
                    .iter()
                    .all(|n| n.as_small().is_some_and(|n| n >= 0))
        })
    } else {
        false
    };
    if valid {
        Err(Exception::error(atom("notsup")?))
    } else {
        Err(Exception::badarg())
    }
}

/// `erlang:seq_trace_info(Item)` of the empty token.
fn seq_trace_info_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [item] = arity(args)?;
    if SEQ_FLAGS.iter().any(|f| is_atom(item, f)) {
        return answer(p, item, Term::FALSE);
    }
    if is_atom(item, "label") || is_atom(item, "serial") {
        return Ok(Term::NIL);
    }
    Err(Exception::badarg())
}

/// `erlang:seq_trace_print/1,2`: with no token, nothing is printed.
fn seq_trace_print(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::FALSE)
}
