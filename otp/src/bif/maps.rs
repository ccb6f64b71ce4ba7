//! The `maps` functions BEAM implements in C, and `erts_internal:map_next/3`
//! that `maps:to_list/1` and `maps:next/1` are written over (kept here
//! because only `maps` calls it).
//!
//! A map argument that is not a map raises `{badmap, Term}` and a missing
//! key `{badkey, Key}`, as on BEAM.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::map::{self, MapError};
use enigma_vm::term::{Heap, Term};

use crate::bif::arg::{arity, entry};

/// The `maps` BIFs and `erts_internal:map_next/3`.
pub const TABLE: &[BifEntry] = &[
    e("find", 2, find),
    e("get", 2, get),
    e("is_key", 2, is_key),
    e("put", 3, put),
    e("update", 3, update),
    e("remove", 2, remove),
    e("take", 2, take),
    e("from_list", 1, from_list),
    e("from_keys", 2, from_keys),
    e("keys", 1, keys),
    e("values", 1, values),
    e("merge", 2, merge),
    entry("erts_internal", "map_next", 3, map_next),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("maps", name, arity, f)
}

/// `error:{badmap, Term}`.
pub fn badmap(heap: &mut Heap, t: Term) -> Exception {
    Exception::error(heap.tuple(&[Term::atom(Atom::BADMAP), t]))
}

/// `error:{badkey, Key}`.
pub fn badkey(heap: &mut Heap, k: Term) -> Exception {
    Exception::error(heap.tuple(&[Term::atom(Atom::BADKEY), k]))
}

fn map_error(heap: &mut Heap, e: MapError, map: Term, key: Term) -> Exception {
    match e {
        MapError::BadMap => badmap(heap, map),
        MapError::BadKey => badkey(heap, key),
    }
}

/// The map argument, or `{badmap, T}`.
fn map_arg(p: &mut Process, t: Term) -> Result<Term, Exception> {
    if t.is_map() {
        Ok(t)
    } else {
        Err(badmap(&mut p.heap, t))
    }
}

fn find(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    match map_arg(p, m)?.map_get(k) {
        Some(v) => Ok(p.heap.tuple(&[Term::atom(Atom::OK), v])),
        None => Ok(Term::atom(Atom::ERROR)),
    }
}

fn get(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    match map_arg(p, m)?.map_get(k) {
        Some(v) => Ok(v),
        None => Err(badkey(&mut p.heap, k)),
    }
}

fn is_key(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    Ok(Term::bool(map_arg(p, m)?.map_get(k).is_some()))
}

fn put(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, v, m] = arity(args)?;
    p.heap
        .map_put(m, k, v)
        .map_err(|e| map_error(&mut p.heap, e, m, k))
}

fn update(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, v, m] = arity(args)?;
    p.heap
        .map_update(m, k, v)
        .map_err(|e| map_error(&mut p.heap, e, m, k))
}

fn remove(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    p.heap
        .map_remove(m, k)
        .map_err(|e| map_error(&mut p.heap, e, m, k))
}

fn take(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [k, m] = arity(args)?;
    let Some(v) = map_arg(p, m)?.map_get(k) else {
        return Ok(Term::atom(Atom::ERROR));
    };
    let rest = p
        .heap
        .map_remove(m, k)
        .map_err(|e| map_error(&mut p.heap, e, m, k))?;
    Ok(p.heap.tuple(&[v, rest]))
}

fn from_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let items = l.proper_list().ok_or_else(Exception::badarg)?;
    let pairs = items
        .iter()
        .map(|t| match t.as_tuple().map(|t| t.elements()) {
            Some(&[k, v]) => Ok((k, v)),
            _ => Err(Exception::badarg()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(p.heap.map_from_pairs(&pairs))
}

fn from_keys(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l, v] = arity(args)?;
    let keys = l.proper_list().ok_or_else(Exception::badarg)?;
    let pairs: Vec<(Term, Term)> = keys.into_iter().map(|k| (k, v)).collect();
    Ok(p.heap.map_from_pairs(&pairs))
}

fn keys(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    let keys: Vec<Term> = map::entries(map_arg(p, m)?)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(p.heap.list(&keys))
}

fn values(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [m] = arity(args)?;
    let values: Vec<Term> = map::entries(map_arg(p, m)?)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    Ok(p.heap.list(&values))
}

fn merge(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    let (a, b) = (map_arg(p, a)?, map_arg(p, b)?);
    p.heap
        .map_merge(a, b)
        .map_err(|e| map_error(&mut p.heap, e, a, Term::NIL))
}

/// `erts_internal:map_next(Path, Map, Acc)`. With a list `Acc`, the
/// entries from position `Path` on, as `{K, V}` tuples in `maps:to_list/1`
/// order, in front of `Acc`. With `iterator`, the entries from `Path` on as
/// nested `{K, V, Next}` ending in `none`, in `maps:next/1` order (BEAM
/// returns a flat map's entries that way in one batch; this does it for
/// every map). `Path` 0 is the start, and the only position handed out.
fn map_next(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [path, m, acc] = arity(args)?;
    if !m.is_map() {
        return Err(Exception::badarg());
    }
    if acc.as_atom().map(Atom::name) == Some("iterator") {
        return crate::bif::map_next::next(p, path, m);
    }
    let skip = match path.as_small().and_then(|v| usize::try_from(v).ok()) {
        Some(n) => n,
        None => return Err(Exception::badarg()),
    };
    if !(acc.is_list() || acc.is_nil()) {
        return Err(Exception::badarg());
    }
    let pairs: Vec<Term> = map::entries(m)
        .into_iter()
        .skip(skip)
        .map(|(k, v)| p.heap.tuple(&[k, v]))
        .collect();
    Ok(p.heap.list_with_tail(&pairs, acc))
}
