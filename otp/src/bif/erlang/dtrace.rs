//! The DTrace/SystemTap tag BIFs (`dt_*`) as a BEAM built without dynamic
//! tracing answers them: no tag is ever set. OTP's `file` and `prim_file`
//! call them around every request.

use enigma_vm::atom::Atom;
use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, boolean, entry};

/// The `dt_*` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("dt_get_tag", 0, undefined),
    e("dt_get_tag_data", 0, undefined),
    e("dt_put_tag", 1, undefined),
    e("dt_spread_tag", 1, dt_spread_tag_1),
    e("dt_restore_tag", 1, dt_restore_tag_1),
    e("dt_prepend_vm_tag_data", 1, same),
    e("dt_append_vm_tag_data", 1, same),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// The (absent) tag, or the previous one of `dt_put_tag/1`.
fn undefined(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(Term::atom(Atom::UNDEFINED))
}

/// The state `dt_restore_tag/1` takes back: `true`, as with no tag.
fn dt_spread_tag_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [spread] = arity(args)?;
    boolean(spread).ok_or_else(Exception::badarg)?;
    Ok(Term::TRUE)
}

fn dt_restore_tag_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [state] = arity(args)?;
    if state == Term::TRUE {
        Ok(Term::TRUE)
    } else {
        Err(Exception::badarg())
    }
}

/// The tag data given back unchanged.
fn same(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = arity(args)?;
    Ok(t)
}
