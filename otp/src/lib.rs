//! Enigma's runtime services above the interpreter: BIFs, OTP boot and the
//! command-line interface of the `enigma` binary.

pub mod cli;
pub mod disasm;
