//! The instruction families, each a set of methods on the running state
//! (`crate::run::Run`).

pub mod arith;
pub mod bif;
pub mod bs_build;
pub mod bs_match;
pub mod bs_old;
pub mod byte_loop;
pub mod call;
pub mod common;
pub mod except;
pub mod float;
pub mod fun;
pub mod gc;
pub mod loop_tail;
pub mod map;
pub mod move_run;
pub mod msg;
pub mod select;
