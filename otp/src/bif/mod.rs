//! Built-in functions, one registration table per Erlang module (BEAM's
//! `bif.tab`), and the pure conversions the `erlang` module's BIFs wrap.

pub mod enigma_io;
pub mod num_text;

use enigma_vm::atom::AtomError;
use enigma_vm::bif::{self, BifEntry};

/// Every BIF table, installed at start-up.
const TABLES: &[&[BifEntry]] = &[enigma_io::TABLE];

/// Installs every BIF table on its export entries.
pub fn install_all() -> Result<(), AtomError> {
    for t in TABLES {
        bif::install(t)?;
    }
    Ok(())
}
