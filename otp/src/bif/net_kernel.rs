//! BIFs of module `net_kernel`.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

/// The `net_kernel` BIFs.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "net_kernel",
    name: "dflag_unicode_io",
    arity: 1,
    f: dflag_unicode_io_1,
}];

/// Whether the io server of a pid speaks the Unicode io protocol: every
/// local process does (`io` asks before each request).
fn dflag_unicode_io_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].as_local_pid().is_some() || args[0].as_external_pid().is_some() {
        Ok(Term::TRUE)
    } else {
        Err(Exception::badarg())
    }
}
