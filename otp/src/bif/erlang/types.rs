//! Type tests as BIFs: `is_atom/1` ... `is_function/2`, `is_record/2,3`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Kind, Term};

use crate::bif::arg::{arity, entry};

/// The type-test BIFs.
pub const TABLE: &[BifEntry] = &[
    e("is_atom", 1, is_atom),
    e("is_binary", 1, is_binary),
    e("is_bitstring", 1, is_bitstring),
    e("is_boolean", 1, is_boolean),
    e("is_float", 1, is_float),
    e("is_function", 1, is_function),
    e("is_function", 2, is_function_arity),
    e("is_integer", 1, is_integer),
    e("is_list", 1, is_list),
    e("is_map", 1, is_map),
    e("is_number", 1, is_number),
    e("is_pid", 1, is_pid),
    e("is_port", 1, is_port),
    e("is_reference", 1, is_reference),
    e("is_tuple", 1, is_tuple),
    e("is_record", 2, is_record),
    e("is_record", 3, is_record_sized),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

fn kind_test(args: &[Term], f: fn(Term) -> bool) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    Ok(Term::bool(f(a)))
}

fn is_atom(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_atom)
}

fn is_binary(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.as_binary().is_some())
}

fn is_bitstring(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_bitstring)
}

fn is_boolean(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t == Term::TRUE || t == Term::FALSE)
}

fn is_float(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_float)
}

fn is_function(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.kind() == Kind::Fun)
}

fn is_integer(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_integer)
}

fn is_list(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.is_list() || t.is_nil())
}

fn is_map(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.kind() == Kind::Map)
}

fn is_number(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_number)
}

fn is_pid(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.kind() == Kind::Pid)
}

fn is_port(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.kind() == Kind::Port)
}

fn is_reference(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, |t| t.kind() == Kind::Ref)
}

fn is_tuple(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    kind_test(args, Term::is_tuple)
}

/// The number of arguments a fun takes.
fn fun_arity(t: Term) -> Option<u32> {
    if let Some(c) = t.as_closure() {
        Some(c.entry().arity)
    } else {
        t.as_export().map(|e| e.arity)
    }
}

fn is_function_arity(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [f, n] = arity(args)?;
    let n = match n.as_int() {
        Some(n) if n.to_ibig() >= ibig::IBig::from(0u8) => n,
        _ => return Err(Exception::badarg()),
    };
    Ok(Term::bool(match fun_arity(f) {
        Some(a) => n.to_ibig() == ibig::IBig::from(a),
        None => false,
    }))
}

/// The tag of a tagged tuple and its size.
fn record_tag(t: Term) -> Option<(Term, usize)> {
    let tuple = t.as_tuple()?;
    Some((tuple.get(0)?, tuple.len()))
}

fn is_record(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, tag] = arity(args)?;
    if !tag.is_atom() {
        return Err(Exception::badarg());
    }
    Ok(Term::bool(
        matches!(record_tag(t), Some((x, _)) if x == tag),
    ))
}

fn is_record_sized(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t, tag, size] = arity(args)?;
    if !tag.is_atom() || !size.is_small() {
        return Err(Exception::badarg());
    }
    Ok(Term::bool(
        matches!(record_tag(t), Some((x, n)) if x == tag && size.as_small() == i64::try_from(n).ok()),
    ))
}
