//! BIFs of module `file`.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::helpers::atom;

/// The `file` BIFs.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "file",
    name: "native_name_encoding",
    arity: 0,
    f: native_name_encoding_0,
}];

/// File names are UTF-8, as BEAM takes them on Linux with a UTF-8 locale.
fn native_name_encoding_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atom("utf8")
}
