//! Module `erts_debug`'s BIFs about terms: their flat size and identity.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::copy::size_of;
use enigma_vm::term::Term;

use crate::bif::arg::entry;

/// The `erts_debug` BIFs.
pub const TABLE: &[BifEntry] = &[
    entry("erts_debug", "flat_size", 1, flat_size),
    entry("erts_debug", "same", 2, same),
];

/// The heap words a copy of the term takes (shared subterms counted each
/// time they occur, as a copy to another process makes them).
fn flat_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let words = size_of(args[0]).map_err(|_| Exception::badarg())?;
    Ok(Term::small(words as i64))
}

/// Whether two terms are the same object (one word, one pointer).
fn same(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    Ok(Term::bool(args[0].raw() == args[1].raw()))
}
