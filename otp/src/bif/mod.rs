//! Built-in functions, one registration table per Erlang module (or, for
//! `erlang`, per family of BIFs), and [`install_all`], the one list of every
//! table (BEAM's `bif.tab`).

mod arg;
pub mod binary;
pub mod erlang;
pub mod lists;
pub mod maps;
pub mod math;
pub mod num_text;
pub mod string;

use enigma_vm::atom::AtomError;
use enigma_vm::bif::{self, BifEntry};

/// Every BIF table, in one place.
const TABLES: &[&[BifEntry]] = &[
    erlang::arith::TABLE,
    erlang::compare::TABLE,
    erlang::types::TABLE,
    erlang::tuple::TABLE,
    erlang::list::TABLE,
    erlang::map::TABLE,
    erlang::convert::TABLE,
    erlang::binary::TABLE,
    erlang::checksum::TABLE,
    erlang::external::TABLE,
    erlang::ids::TABLE,
    binary::TABLE,
    lists::TABLE,
    maps::TABLE,
    math::TABLE,
    string::TABLE,
];

/// Registers every BIF on its export entry.
pub fn install_all() -> Result<(), AtomError> {
    TABLES.iter().try_for_each(|t| bif::install(t))
}

/// Every registered BIF entry, for tests that walk them all.
pub fn all_entries() -> impl Iterator<Item = &'static BifEntry> {
    TABLES.iter().flat_map(|t| t.iter())
}
