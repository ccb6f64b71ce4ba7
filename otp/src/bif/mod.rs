//! Built-in functions, one registration table per Erlang module (or, for
//! `erlang`, per family of BIFs), and [`tables`], the one list of every
//! table (BEAM's `bif.tab`).

mod arg;
pub mod asn1;
pub mod atomics;
pub mod binary;
pub mod code;
pub mod code_path;
pub mod crypto;
pub mod enigma_io;
pub mod erlang;
pub mod erts_debug;
pub mod erts_internal;
pub mod ets;
pub mod file;
pub mod helpers;
pub mod init;
pub mod io;
pub mod lists;
pub mod map_next;
pub mod maps;
// Calls into the C math library, the one BEAM uses, for bit-exact results.
#[allow(unsafe_code)]
pub mod math;
pub mod net_kernel;
pub mod num_text;
pub mod os;
pub mod persistent_term;
pub mod prim_file;
pub mod prim_loader;
pub mod re;
pub mod socket;
pub mod string;
pub mod unicode;
pub mod zlib;

use enigma_vm::atom::AtomError;
use enigma_vm::bif::{self, BifEntry};

/// The data BIFs (numbers, operators, types, tuples, lists, maps,
/// conversions, binaries, external terms, `lists`, `maps`, `math`,
/// `string`): the ones `tests/bif_data.rs` checks case by case.
const DATA_TABLES: &[&[BifEntry]] = &[
    erlang::arith::TABLE,
    erlang::compare::TABLE,
    erlang::types::TABLE,
    erlang::tuple::TABLE,
    erlang::list::TABLE,
    erlang::map::TABLE,
    erlang::convert::TABLE,
    erlang::binary::TABLE,
    erlang::external::TABLE,
    erlang::id_text::TABLE,
    binary::TABLE,
    lists::TABLE,
    maps::TABLE,
    math::TABLE,
    string::TABLE,
];

/// The other BIFs: process, system, time, output, `unicode`, `os`, `re`.
const SYSTEM_TABLES: &[&[BifEntry]] = &[
    erlang::checksum::TABLE,
    erlang::code_admin::TABLE,
    erlang::prepared::TABLE,
    erlang::date::TABLE,
    erlang::dict::TABLE,
    erlang::display::TABLE,
    erlang::dist::TABLE,
    erlang::dtrace::TABLE,
    erlang::ids::TABLE,
    erlang::iovec::TABLE,
    erlang::memory::TABLE,
    erlang::nif::TABLE,
    erlang::packet::TABLE,
    erlang::port::TABLE,
    erlang::system::TABLE,
    erlang::system_flag::TABLE,
    erlang::system_monitor::TABLE,
    erlang::time::TABLE,
    erlang::timer::TABLE,
    erlang::trace::TABLE,
    erlang::trace_pattern::TABLE,
    erts_debug::TABLE,
    erts_internal::TABLE,
    file::TABLE,
    prim_file::TABLE,
    prim_file::handle::TABLE,
    prim_file::buffer::TABLE,
    init::TABLE,
    io::TABLE,
    net_kernel::TABLE,
    os::TABLE,
    persistent_term::TABLE,
    ets::TABLE,
    unicode::TABLE,
    enigma_io::TABLE,
    zlib::TABLE,
    crypto::TABLE,
    code::TABLE,
    code_path::TABLE,
    atomics::TABLE,
    asn1::TABLE,
    prim_loader::TABLE,
    re::TABLE,
    socket::TABLE,
    socket::net::TABLE,
];

/// Every BIF table, in one place (BEAM's `bif.tab`).
pub fn tables() -> impl Iterator<Item = &'static [BifEntry]> {
    DATA_TABLES.iter().chain(SYSTEM_TABLES).copied()
}

/// Registers every BIF on its export entry.
pub fn install_all() -> Result<(), AtomError> {
    tables().try_for_each(bif::install)
}

/// Every data BIF entry (see `DATA_TABLES`), for tests that walk them all.
pub fn all_entries() -> impl Iterator<Item = &'static BifEntry> {
    DATA_TABLES.iter().flat_map(|t| t.iter())
}
