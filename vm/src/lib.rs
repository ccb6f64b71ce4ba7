//! Enigma's shared runtime model: terms and the atom table, heaps, the
//! external term format and the `.beam` loader. It knows nothing of how code
//! is executed; the interpreter and the JIT build on it (DESIGN §1).

#![deny(unsafe_code)]

pub mod atom;
pub mod bif;
pub mod code;
pub mod etf;
pub mod exception;
pub mod few;
pub mod gc;
pub mod loader;
pub mod module;
pub mod pdict;
pub mod process;
pub mod recv_marker;
pub mod saved_calls;
// Term access, heaps and binaries: the one place that reads raw heap words.
#[allow(unsafe_code)]
pub mod term;
