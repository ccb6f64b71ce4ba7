//! Enigma's runtime services above the interpreter: BIFs, OTP boot and the
//! command-line interface of the `enigma` binary.

#![deny(unsafe_code)]

pub mod alloc;
pub mod bif;
pub mod cli;
pub mod disasm;
pub mod run;
