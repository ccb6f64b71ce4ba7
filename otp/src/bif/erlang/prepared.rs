//! Loading prepared code, as OTP's `code:atomic_load/1`,
//! `prepare_loading/1` and `finish_loading/1` do it:
//! `erlang:prepare_loading/2` loads a `.beam` binary into a module that is
//! not installed, held by a magic reference; `finish_loading/1` installs a
//! list of them all at once or none (errors `duplicated`, `not_purged`, as
//! BEAM's `finish_loading_1` finds them); `has_prepared_code_on_load/1`.
//! A module with an `on_load` function is installed pending (not current,
//! `{on_load, [M]}`): `erlang:call_on_load_function/1` (an interpreter
//! operation) runs the function in the calling process and
//! `finish_after_on_load/2` makes the version current or drops it.

use std::sync::Arc;

use enigma_interp::code;
use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::code::Module;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;
use parking_lot::Mutex;

use crate::bif::arg::{arity, boolean, entry};
use crate::bif::erlang::code_admin;
use crate::bif::helpers::atom;

/// The prepared-code BIFs.
pub const TABLE: &[BifEntry] = &[
    e("prepare_loading", 2, prepare_loading_2),
    e("has_prepared_code_on_load", 1, has_prepared_code_on_load_1),
    e("finish_loading", 1, finish_loading_1),
    e("finish_after_on_load", 2, finish_after_on_load_2),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// The object of a prepared-code reference: the module until
/// `finish_loading/1` takes it.
struct Prepared {
    name: Atom,
    on_load: bool,
    module: Mutex<Option<Module>>,
}

/// The prepared code a term refers to (`None` for anything else).
fn prepared(t: Term) -> Option<Arc<Magic>> {
    t.as_magic().filter(|m| m.get::<Prepared>().is_some())
}

/// `{error, badfile}` for anything the loader refuses or a module of
/// another name; a compressed binary is inflated first, as `erlang.erl`'s
/// `prepare_loading/2` does.
fn prepare_loading_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [name, bin] = arity(args)?;
    let name = name.as_atom().ok_or_else(Exception::badarg)?;
    let bytes = bin.as_binary().ok_or_else(Exception::badarg)?;
    let inflated;
    let bytes = if bytes.starts_with(b"FOR1") {
        bytes
    } else {
        inflated = crate::bif::zlib::gunzip_bytes(bytes);
        inflated.as_deref().unwrap_or(bytes)
    };
    let module = match enigma_vm::loader::load(bytes) {
        Ok(m) if m.name == name => m,
        _ => {
            let why = atom("badfile")?;
            return Ok(p.heap.tuple(&[Term::atom(Atom::ERROR), why]));
        }
    };
    let object = Prepared {
        name,
        on_load: module.on_load.is_some(),
        module: Mutex::new(Some(module)),
    };
    Ok(p.heap.magic_ref(fresh_ref_ids(), Magic::new(object)))
}

/// Whether prepared code has an `on_load` function (`false` once loaded).
fn has_prepared_code_on_load_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    let object = prepared(t).ok_or_else(Exception::badarg)?;
    let Some(pc) = object.get::<Prepared>() else {
        return Err(Exception::badarg());
    };
    Ok(Term::bool(pc.on_load && pc.module.lock().is_some()))
}

/// `ok`, `{duplicated | not_purged | on_load, [M]}` (the modules in the
/// reverse order of the list, as BEAM conses them); `badarg` unless a
/// proper list of prepared code not loaded yet; `system_limit` for more
/// than one module when one has an `on_load` function.
fn finish_loading_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [list] = arity(args)?;
    let items = list.proper_list().ok_or_else(Exception::badarg)?;
    let objects = items
        .into_iter()
        .map(prepared)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(Exception::badarg)?;
    let pcs: Vec<&Prepared> = objects.iter().filter_map(|o| o.get()).collect();
    if pcs.iter().any(|pc| pc.module.lock().is_none()) {
        return Err(Exception::badarg());
    }
    if pcs.len() > 1 && pcs.iter().any(|pc| pc.on_load) {
        return Err(Exception::system_limit());
    }
    let mut seen = Vec::with_capacity(pcs.len());
    let duplicated: Vec<Atom> = pcs
        .iter()
        .filter(|pc| {
            let dup = seen.contains(&pc.name);
            seen.push(pc.name);
            dup
        })
        .map(|pc| pc.name)
        .collect();
    if !duplicated.is_empty() {
        return exceptions(p, "duplicated", &duplicated);
    }
    let not_purged: Vec<Atom> = seen
        .iter()
        .copied()
        .filter(|&m| code::current(m).is_some() && code_admin::has_old(m))
        .collect();
    if !not_purged.is_empty() {
        return exceptions(p, "not_purged", &not_purged);
    }
    let modules: Vec<Module> = pcs
        .iter()
        .filter_map(|pc| pc.module.lock().take())
        .collect();
    if let [pc] = pcs[..] {
        if pc.on_load {
            let m = modules.into_iter().next().ok_or_else(Exception::badarg)?;
            code::install_pending(m).map_err(|_| Exception::system_limit())?;
            return exceptions(p, "on_load", &[pc.name]);
        }
    }
    for &m in &seen {
        if code::current(m).is_some() {
            code_admin::make_old(m);
        }
    }
    code::install_all(modules).map_err(|_| Exception::system_limit())?;
    atom("ok")
}

/// `{Tag, Modules}` with the modules in reverse order.
fn exceptions(p: &mut Process, tag: &str, ms: &[Atom]) -> Result<Term, Exception> {
    let tag = atom(tag)?;
    let items: Vec<Term> = ms.iter().rev().map(|&m| Term::atom(m)).collect();
    let list = p.heap.list(&items);
    Ok(p.heap.tuple(&[tag, list]))
}

/// Ends a pending `on_load`: `true` makes the version current (the
/// previous one becomes old code), `false` drops it. `badarg` if `M` has
/// no version pending.
fn finish_after_on_load_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m, keep] = arity(args)?;
    let (Some(m), Some(keep)) = (m.as_atom(), boolean(keep)) else {
        return Err(Exception::badarg());
    };
    if code::pending(m).is_none() {
        return Err(Exception::badarg());
    }
    if keep && code::current(m).is_some() {
        code_admin::make_old(m);
    }
    Ok(Term::bool(code::finish_pending(m, keep)))
}
