//! Tracing as a node on which nothing is traced sees it: Enigma has no
//! tracer, so `trace_info/2` finds no flags, no tracer and no traced
//! function, `trace_delivered/1` is answered at once, a process's
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

/// `erlang:trace_info(PidPortFuncEvent, Item)`.
fn trace_info_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [what, item] = arity(args)?;
    // A function: no function is traced; `undefined` for one that does
    // not exist (any item, as BEAM answers).
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
        let value = if exists {
            Term::FALSE
        } else {
            Term::atom(Atom::UNDEFINED)
        };
        return answer(p, item, value);
    }
    if is_atom(what, "on_load") {
        return answer(p, item, Term::FALSE);
    }
    // A process, a port or the defaults for new ones: no flags, no tracer.
    let live = if what.as_local_pid().is_some() {
        enigma_interp::sched::is_alive(what)
    } else if what.as_local_port().is_some() {
        enigma_interp::port::info(what).is_some()
    } else if ["new", "new_processes", "new_ports"]
        .iter()
        .any(|n| is_atom(what, n))
    {
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
    answer(p, item, Term::NIL)
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
