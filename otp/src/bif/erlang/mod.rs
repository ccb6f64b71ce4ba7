//! BIFs of module `erlang`, one file per family, each with its own table.

pub mod checksum;
pub mod date;
pub mod dict;
pub mod display;
pub mod ids;
pub mod iovec;
pub mod system;
pub mod time;
