//! BIFs of module `io`.

use std::sync::atomic::{AtomicBool, Ordering};

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

/// Whether `+pc unicode` was given.
static UNICODE: AtomicBool = AtomicBool::new(false);

/// Sets the range of characters `io_lib` takes as printable (`+pc
/// unicode` or `+pc latin1`, BEAM's default).
pub fn set_printable_range(unicode: bool) {
    UNICODE.store(unicode, Ordering::Relaxed);
}

/// `io:printable_range()`: what `+pc` set.
fn printable_range_0(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atom(if UNICODE.load(Ordering::Relaxed) {
        "unicode"
    } else {
        "latin1"
    })
}
