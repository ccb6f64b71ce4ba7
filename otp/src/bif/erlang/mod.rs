//! The `erlang` module's BIFs, one file per family, each with its own table.

pub mod arith;
pub mod binary;
pub mod checksum;
pub mod code_admin;
pub mod compare;
pub mod convert;
mod cpu_topology;
pub mod date;
pub mod dict;
pub mod display;
pub mod dist;
pub mod dtrace;
pub mod external;
pub mod id_text;
pub mod ids;
pub mod iovec;
pub mod list;
pub mod map;
pub mod memory;
pub mod packet;
pub mod prepared;
pub mod system;
pub mod system_flag;
pub mod time;
pub mod timer;
pub mod tuple;
pub mod types;
