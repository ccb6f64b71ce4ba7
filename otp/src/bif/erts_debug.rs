//! Module `erts_debug`'s BIFs about terms: their flat size and identity.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::beam_size;
use enigma_vm::term::copy::size_of;
use enigma_vm::term::Term;

use crate::bif::arg::entry;

/// The `erts_debug` BIFs.
pub const TABLE: &[BifEntry] = &[
    entry("erts_debug", "flat_size", 1, flat_size),
    entry("erts_debug", "same", 2, same),
    entry("erts_debug", "size", 1, size),
];

/// The heap words BEAM's copy of the term takes (shared subterms counted
/// each time they occur, as a copy to another process makes them).
fn flat_size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    // A match state (never a term a program holds) cannot be sized.
    size_of(args[0]).map_err(|_| Exception::badarg())?;
    Ok(Term::small(beam_size::flat_size(args[0]) as i64))
}

/// The heap words the term takes on BEAM, shared subterms counted once
/// (BEAM runs `erts_debug.erl`'s walk, Erlang code, which needs internal
/// map nodes as terms; here a native walk counts the same).
fn size(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    Ok(Term::small(beam_size::shared_size(args[0]) as i64))
}

/// Whether two terms are the same object (one word, one pointer).
fn same(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    Ok(Term::bool(args[0].raw() == args[1].raw()))
}
