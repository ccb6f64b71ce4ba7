//! Tuple BIFs: `element/2`, `setelement/3`, `tuple_size/1`, `size/1`,
//! `make_tuple/2,3`, `append_element/2`, `insert_element/3`,
//! `delete_element/2`, `tuple_to_list/1`, `list_to_tuple/1`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{literal, Term};

use crate::bif::arg::{arity, entry, index};

/// The largest tuple BEAM makes; a bigger one is `badarg`.
pub const MAX_TUPLE_SIZE: usize = (1 << 24) - 1;

/// The tuple BIFs.
pub const TABLE: &[BifEntry] = &[
    e("element", 2, element),
    e("setelement", 3, setelement),
    e("tuple_size", 1, tuple_size),
    e("size", 1, size),
    e("make_tuple", 2, make_tuple),
    e("make_tuple", 3, make_tuple_init),
    e("append_element", 2, append_element),
    e("insert_element", 3, insert_element),
    e("delete_element", 2, delete_element),
    e("tuple_to_list", 1, tuple_to_list),
    e("list_to_tuple", 1, list_to_tuple),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// A tuple's elements, or `badarg`.
fn elements<'a>(t: Term) -> Result<&'a [Term], Exception> {
    t.as_tuple()
        .map(|t| t.elements())
        .ok_or_else(Exception::badarg)
}

/// A 1-based position within `1..=len`, as a 0-based index.
fn position(n: Term, len: usize) -> Result<usize, Exception> {
    match index(n) {
        Some(i) if (1..=len).contains(&i) => Ok(i - 1),
        _ => Err(Exception::badarg()),
    }
}

fn element(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, t] = arity(args)?;
    let els = elements(t)?;
    Ok(els[position(n, els.len())?])
}

fn setelement(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, t, v] = arity(args)?;
    let els = elements(t)?;
    let i = position(n, els.len())?;
    let copy = p.heap.tuple(els);
    p.heap.set_tuple_element(copy, i, v);
    Ok(copy)
}

fn tuple_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    Ok(Term::small(elements(t)?.len() as i64))
}

fn size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    if let Some(tuple) = t.as_tuple() {
        return Ok(Term::small(tuple.len() as i64));
    }
    match t.as_bits() {
        Some(bits) => Ok(Term::small((bits.bit_size / 8) as i64)),
        None => Err(Exception::badarg()),
    }
}

/// A size argument for a new tuple.
fn new_size(n: Term) -> Result<usize, Exception> {
    match index(n) {
        Some(n) if n <= MAX_TUPLE_SIZE => Ok(n),
        _ => Err(Exception::badarg()),
    }
}

fn make_tuple(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, v] = arity(args)?;
    let n = new_size(n)?;
    if n == 0 {
        return Ok(literal::empty_tuple());
    }
    Ok(p.heap.tuple_filled(n, v))
}

fn make_tuple_init(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, v, init] = arity(args)?;
    let n = new_size(n)?;
    let mut els = vec![v; n];
    let mut it = init.list_iter();
    for pair in it.by_ref() {
        match pair.as_tuple().map(|t| t.elements()) {
            Some(&[pos, value]) => els[position(pos, n)?] = value,
            _ => return Err(Exception::badarg()),
        }
    }
    if !it.tail().is_nil() {
        return Err(Exception::badarg());
    }
    Ok(tuple_of(p, &els))
}

/// A tuple of `els` built by a BIF that returns the global `{}` (BEAM's
/// `list_to_tuple/1`, `make_tuple/2,3`).
fn tuple_of(p: &mut Process, els: &[Term]) -> Term {
    if els.is_empty() {
        return literal::empty_tuple();
    }
    p.heap.tuple(els)
}

fn append_element(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, v] = arity(args)?;
    let els = elements(t)?;
    if els.len() >= MAX_TUPLE_SIZE {
        return Err(Exception::badarg());
    }
    let mut copy = Vec::with_capacity(els.len() + 1);
    copy.extend_from_slice(els);
    copy.push(v);
    Ok(p.heap.tuple(&copy))
}

fn insert_element(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, t, v] = arity(args)?;
    let els = elements(t)?;
    let i = position(n, els.len() + 1)?;
    if els.len() >= MAX_TUPLE_SIZE {
        return Err(Exception::badarg());
    }
    let mut copy = els.to_vec();
    copy.insert(i, v);
    Ok(p.heap.tuple(&copy))
}

fn delete_element(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [n, t] = arity(args)?;
    let els = elements(t)?;
    let i = position(n, els.len())?;
    let mut copy = els.to_vec();
    copy.remove(i);
    Ok(p.heap.tuple(&copy))
}

fn tuple_to_list(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    let els = elements(t)?;
    Ok(p.heap.list(els))
}

fn list_to_tuple(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    let mut els = Vec::new();
    let mut it = l.list_iter();
    for x in it.by_ref() {
        if els.len() >= MAX_TUPLE_SIZE {
            return Err(Exception::badarg());
        }
        els.push(x);
    }
    if !it.tail().is_nil() {
        return Err(Exception::badarg());
    }
    Ok(tuple_of(p, &els))
}
