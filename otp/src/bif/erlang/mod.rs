//! The `erlang` module's BIFs, one file per family, each with its own table.

pub mod arith;
pub mod binary;
pub mod checksum;
pub mod compare;
pub mod convert;
pub mod external;
pub mod ids;
pub mod list;
pub mod map;
pub mod tuple;
pub mod types;
