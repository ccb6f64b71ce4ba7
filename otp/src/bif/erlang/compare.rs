//! Comparison and boolean operators as BIFs, and `min/2`, `max/2`.

use std::cmp::Ordering;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::order::{compare, eq, eq_exact};
use enigma_vm::term::Term;

use crate::bif::arg::{arity, boolean, entry};

/// The comparison and boolean BIFs.
pub const TABLE: &[BifEntry] = &[
    e("==", 2, equal),
    e("/=", 2, not_equal),
    e("=:=", 2, exact_equal),
    e("=/=", 2, exact_not_equal),
    e("<", 2, less),
    e(">", 2, greater),
    e("=<", 2, less_eq),
    e(">=", 2, greater_eq),
    e("and", 2, and),
    e("or", 2, or),
    e("xor", 2, xor),
    e("not", 1, not),
    e("min", 2, min),
    e("max", 2, max),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

fn test(args: &[Term], f: fn(Term, Term) -> bool) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    Ok(Term::bool(f(a, b)))
}

fn equal(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, eq)
}

fn not_equal(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| !eq(a, b))
}

fn exact_equal(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, eq_exact)
}

fn exact_not_equal(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| !eq_exact(a, b))
}

fn less(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| compare(a, b) == Ordering::Less)
}

fn greater(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| compare(a, b) == Ordering::Greater)
}

fn less_eq(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| compare(a, b) != Ordering::Greater)
}

fn greater_eq(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    test(args, |a, b| compare(a, b) != Ordering::Less)
}

/// A boolean operator: both operands must be booleans (no short cut: the
/// BIFs see both values).
fn logic(args: &[Term], f: fn(bool, bool) -> bool) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    match (boolean(a), boolean(b)) {
        (Some(x), Some(y)) => Ok(Term::bool(f(x, y))),
        _ => Err(Exception::badarg()),
    }
}

fn and(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    logic(args, |a, b| a && b)
}

fn or(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    logic(args, |a, b| a || b)
}

fn xor(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    logic(args, |a, b| a ^ b)
}

fn not(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    boolean(a)
        .map(|b| Term::bool(!b))
        .ok_or_else(Exception::badarg)
}

fn min(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    Ok(if compare(b, a) == Ordering::Less {
        b
    } else {
        a
    })
}

fn max(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    Ok(if compare(b, a) == Ordering::Greater {
        b
    } else {
        a
    })
}
