//! The `erlang` BIFs that administer loaded code: `loaded/0`,
//! `delete_module/1`, `purge_module/1`, `check_old_code/1`,
//! `check_process_code/2,3` (prepared code and pending `on_load` functions
//! are in `prepared.rs`).
//!
//! Enigma keeps no old version of a module's code for purging (a process
//! running it keeps its `&'static` code); what it does keep is which
//! modules have been deleted and not yet purged, so that `delete_module`,
//! `purge_module` and `check_old_code` answer as BEAM's do.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use enigma_interp::{code, sched};
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::module::{is_preloaded, PRE_LOADED};
use enigma_vm::process::{Message, Process};
use enigma_vm::term::Term;

use crate::bif::arg::{arity, boolean, entry};
use crate::bif::helpers::is_atom;

/// The code administration BIFs.
pub const TABLE: &[BifEntry] = &[
    e("loaded", 0, loaded_0),
    e("delete_module", 1, delete_module_1),
    e("purge_module", 1, purge_module_1),
    e("check_old_code", 1, check_old_code_1),
    e("check_process_code", 2, check_process_code_2),
    e("check_process_code", 3, check_process_code_3),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Modules deleted and not purged since: they have old code.
fn old() -> &'static Mutex<HashSet<Atom>> {
    static OLD: OnceLock<Mutex<HashSet<Atom>>> = OnceLock::new();
    OLD.get_or_init(Mutex::default)
}

/// Whether `m` has old code.
pub fn has_old(m: Atom) -> bool {
    old().lock().map(|o| o.contains(&m)).unwrap_or(false)
}

/// Makes the current version of `m` old code (`erlang:delete_module/1`,
/// `code:delete/1`): whether `m` was loaded.
pub fn delete(m: Atom) -> bool {
    if is_preloaded(m) || !code::unload(m) {
        return false;
    }
    make_old(m);
    true
}

/// Makes the current version of `m` old code as a new one is installed
/// over it (`erlang:finish_loading/1`).
pub fn make_old(m: Atom) {
    if let Ok(mut o) = old().lock() {
        o.insert(m);
    }
}

/// Drops the old code of `m`: whether it had any.
pub fn purge(m: Atom) -> bool {
    old().lock().map(|mut o| o.remove(&m)).unwrap_or(false)
}

fn module(t: Term) -> Result<Atom, Exception> {
    t.as_atom().ok_or_else(Exception::badarg)
}

/// Every module with code loaded, current or old, and the preloaded ones.
fn loaded_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let mut names: Vec<Atom> = code::all()
        .map(|(_, m, _)| m.name)
        .filter(|&m| code::current(m).is_some() || has_old(m))
        .collect();
    for name in PRE_LOADED {
        names.push(Atom::intern(name).map_err(|_| Exception::system_limit())?);
    }
    names.sort_by_key(|m| m.index());
    names.dedup();
    let items: Vec<Term> = names.into_iter().map(Term::atom).collect();
    Ok(p.heap.list(&items))
}

/// `true` (the current code became old), `undefined` (not loaded), or
/// `badarg` if `m` still has old code.
fn delete_module_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    let m = module(m)?;
    if has_old(m) {
        return Err(Exception::badarg());
    }
    Ok(if delete(m) {
        Term::TRUE
    } else {
        Term::atom(Atom::UNDEFINED)
    })
}

fn purge_module_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    if purge(module(m)?) {
        Ok(Term::TRUE)
    } else {
        Err(Exception::badarg())
    }
}

fn check_old_code_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    Ok(Term::bool(has_old(module(m)?)))
}

/// No process runs old code that a purge would have to kill it for
/// (Enigma keeps every version a process runs): `false`.
fn check_process_code_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pid, m] = arity(args)?;
    if pid.as_local_pid().is_none() {
        return Err(Exception::badarg());
    }
    module(m)?;
    Ok(Term::FALSE)
}

/// As `check_process_code/2`; options `{allow_gc, Bool}` and
/// `{async, RequestId}` (the answer comes as the message
/// `{check_process_code, RequestId, false}` and the call returns `async`).
fn check_process_code_3(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [pid, m, opts] = arity(args)?;
    let opts = opts
        .proper_list()
        .ok_or_else(|| Exception::badarg_because("bad_option"))?;
    let mut request = None;
    for o in opts {
        match o.as_tuple().map(|t| t.elements()) {
            Some(&[k, v]) if is_atom(k, "allow_gc") && boolean(v).is_some() => {}
            Some(&[k, v]) if is_atom(k, "async") => request = Some(v),
            _ => return Err(Exception::badarg_because("bad_option")),
        }
    }
    check_process_code_2(p, &[pid, m])?;
    let Some(request) = request else {
        return Ok(Term::FALSE);
    };
    let tag = crate::bif::helpers::atom("check_process_code")?;
    let reply = p.heap.tuple(&[tag, request, Term::FALSE]);
    if let Ok(m) = Message::copy(reply) {
        sched::deliver(p.pid, m);
    }
    crate::bif::helpers::atom("async")
}
