//! The `string` functions BEAM implements in C: `list_to_integer/1` and
//! `list_to_float/1`, which read a number at the start of a list and
//! return it with the rest.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, int_term};
use crate::bif::num_text::{float_prefix, integer_prefix, Base, PrefixError};

/// The `string` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("list_to_integer", 1, list_to_integer),
    e("list_to_float", 1, list_to_float),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("string", name, arity, f)
}

/// `{error, Why}` for a failed prefix read.
fn error_tuple(p: &mut Process, e: PrefixError, none: &str) -> Result<Term, Exception> {
    let why = match e {
        PrefixError::NotAList => "not_a_list",
        PrefixError::NoNumber => none,
    };
    let why = Atom::intern(why).map_err(|_| Exception::system_limit())?;
    Ok(p.heap.tuple(&[Term::atom(Atom::ERROR), Term::atom(why)]))
}

fn list_to_integer(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    match integer_prefix(l, Base::DECIMAL) {
        Ok((n, rest)) => {
            let n = int_term(&mut p.heap, &n)?;
            Ok(p.heap.tuple(&[n, rest]))
        }
        Err(e) => error_tuple(p, e, "no_integer"),
    }
}

fn list_to_float(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [l] = arity(args)?;
    match float_prefix(l) {
        Ok((f, rest)) => {
            let f = p.heap.float(f);
            Ok(p.heap.tuple(&[f, rest]))
        }
        Err(e) => error_tuple(p, e, "no_float"),
    }
}
