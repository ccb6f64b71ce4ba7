//! Built-in functions, one table per Erlang module (or per family of the
//! `erlang` module), all installed by [`install_all`] as BEAM's `bif.tab`
//! lists them in one place.

pub mod erlang;
pub mod erts_internal;
pub mod file;
pub mod helpers;
pub mod io;
pub mod num_text;
pub mod os;
pub mod unicode;

use enigma_vm::atom::AtomError;
use enigma_vm::bif::{install, BifEntry};

/// Every BIF table.
pub const TABLES: &[&[BifEntry]] = &[
    erlang::checksum::TABLE,
    erlang::date::TABLE,
    erlang::dict::TABLE,
    erlang::display::TABLE,
    erlang::ids::TABLE,
    erlang::iovec::TABLE,
    erlang::system::TABLE,
    erlang::time::TABLE,
    erts_internal::TABLE,
    file::TABLE,
    io::TABLE,
    os::TABLE,
    unicode::TABLE,
];

/// Registers every BIF on its export entry.
pub fn install_all() -> Result<(), AtomError> {
    TABLES.iter().try_for_each(|t| install(t))
}
