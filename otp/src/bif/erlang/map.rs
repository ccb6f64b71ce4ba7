//! The `erlang` module's map BIFs: `map_size/1`, `map_get/2`,
//! `is_map_key/2`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry};
use crate::bif::maps::{badkey, badmap};

/// The map BIFs of `erlang`.
pub const TABLE: &[BifEntry] = &[
    e("map_size", 1, map_size),
    e("map_get", 2, map_get),
    e("is_map_key", 2, is_map_key),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

fn map_size(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    match m.map_size() {
        Some(n) => Ok(Term::small(n as i64)),
        None => Err(badmap(&mut p.heap, m)),
    }
}

fn map_get(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    if !m.is_map() {
        return Err(badmap(&mut p.heap, m));
    }
    m.map_get(k).ok_or_else(|| badkey(&mut p.heap, k))
}

fn is_map_key(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    if !m.is_map() {
        return Err(badmap(&mut p.heap, m));
    }
    Ok(Term::bool(m.map_get(k).is_some()))
}
