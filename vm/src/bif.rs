//! Built-in functions: the calling convention and the registration tables.
//!
//! A BIF is a Rust function over the calling process and its arguments. The
//! `otp` crate declares its BIFs in one [`BifEntry`] table per Erlang module
//! (as BEAM's `bif.tab` does) and [`install`]s them at start-up; each BIF is
//! then found through its [`Export`] entry, the same entry that calls to
//! `Module:Function/Arity` go through, so a remote call to a BIF and a
//! `bif`/`gc_bif` instruction reach the same function.

use std::sync::OnceLock;

use crate::atom::{Atom, AtomError};
use crate::exception::Exception;
use crate::process::Process;
use crate::term::fun::Export;
use crate::term::Term;

/// A BIF: the calling process and the arguments in, a term or an exception
/// out.
pub type BifFn = fn(&mut Process, &[Term]) -> Result<Term, Exception>;

/// One line of a BIF table.
#[derive(Clone, Copy)]
pub struct BifEntry {
    /// The Erlang module.
    pub module: &'static str,
    /// The function name.
    pub name: &'static str,
    /// The arity.
    pub arity: u32,
    /// The implementation.
    pub f: BifFn,
}

/// Where an export's BIF is kept, if it has one.
pub(crate) type BifSlot = OnceLock<BifFn>;

/// Registers every entry of `table` on its export entry. A function
/// registered twice keeps its first implementation.
pub fn install(table: &[BifEntry]) -> Result<(), AtomError> {
    for e in table {
        let export = Export::get_or_create(Atom::intern(e.module)?, Atom::intern(e.name)?, e.arity);
        let _ = export.bif.set(e.f);
    }
    Ok(())
}

impl Export {
    /// The BIF behind this entry, if it is one.
    #[inline]
    pub fn bif(&self) -> Option<BifFn> {
        self.bif.get().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
        args.first().copied().ok_or_else(Exception::badarg)
    }

    #[test]
    fn installed_bifs_are_found_through_their_export() {
        install(&[BifEntry {
            module: "bif_test_mod",
            name: "first",
            arity: 1,
            f: first,
        }])
        .unwrap();
        let m = Atom::intern("bif_test_mod").unwrap();
        let f = Atom::intern("first").unwrap();
        let bif = Export::get_or_create(m, f, 1).bif().expect("registered");
        let mut p = Process::new(Term::pid(0, 0));
        assert_eq!(bif(&mut p, &[Term::small(5)]), Ok(Term::small(5)));
        assert_eq!(bif(&mut p, &[]), Err(Exception::badarg()));
        assert!(Export::get_or_create(m, f, 2).bif().is_none());
    }
}
