//! The `.beam` loader (DESIGN §4): container, chunks, compact-term operands,
//! the generic instruction stream, and its translation into Enigma's loaded
//! code.

pub mod chunks;
pub mod compact;
pub mod container;
pub mod cursor;
pub mod error;
pub mod frames;
pub mod generic;
pub mod genop;
pub mod literals;
pub mod transform;

pub use crate::code::Module;
pub use chunks::BeamFile;
pub use error::{ChunkId, ErrorKind, LoadError};
pub use genop::GenOp;

/// Loads a `.beam` file (gzip-compressed or not): parses every chunk,
/// decodes the literals and the instruction stream, and translates it into
/// a [`Module`] version.
pub fn load(bytes: &[u8]) -> Result<Module, LoadError> {
    let bytes = container::gunzip_if_compressed(bytes)?;
    let file = BeamFile::parse(&bytes)?;
    let code = generic::decode(&file)?;
    generic::functions(&file, &code)?;
    let literals = literals::LiteralArea::decode(&file.literals)
        .map_err(|e| e.in_module(file.module.name()))?;
    transform::translate(&file, &code, literals)
}
