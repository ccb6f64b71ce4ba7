//! BIFs of module `erts_internal` that OTP's libraries call at run time.

use std::cmp::Ordering;

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::order::compare_exact;
use enigma_vm::term::Term;

/// The `erts_internal` BIFs.
pub const TABLE: &[BifEntry] = &[BifEntry {
    module: "erts_internal",
    name: "cmp_term",
    arity: 2,
    f: cmp_term_2,
}];

/// `-1`, `0` or `1` by exact term order (`1` and `1.0` differ: integers
/// come first).
fn cmp_term_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = args else {
        return Err(Exception::badarg());
    };
    Ok(Term::small(match compare_exact(*a, *b) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}
