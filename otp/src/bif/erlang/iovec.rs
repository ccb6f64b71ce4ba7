//! `erlang:iolist_to_iovec/1`.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::helpers::iodata_bytes;

/// The I/O vector BIF of module `erlang`.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "erlang",
    name: "iolist_to_iovec",
    arity: 1,
    f: iolist_to_iovec_1,
}];

/// The iodata as a list of binaries: one binary holding every byte, or `[]`
/// when there are none. (BEAM keeps large reference-counted binaries as
/// separate elements; Enigma always joins them.)
fn iolist_to_iovec_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [d] = args else {
        return Err(Exception::badarg());
    };
    let bytes = iodata_bytes(*d).ok_or_else(Exception::badarg)?;
    if bytes.is_empty() {
        return Ok(Term::NIL);
    }
    let bin = p.heap.binary(&bytes);
    Ok(p.heap.list(&[bin]))
}
