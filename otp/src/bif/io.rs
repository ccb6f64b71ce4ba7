//! BIFs of module `io`.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::helpers::atom;

/// The `io` BIFs.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "io",
    name: "printable_range",
    arity: 0,
    f: printable_range_0,
}];

/// `latin1`, BEAM's default (`+pc latin1`).
fn printable_range_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atom("latin1")
}
