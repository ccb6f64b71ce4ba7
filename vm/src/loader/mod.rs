//! The `.beam` loader (DESIGN §4): container, chunks, compact-term operands,
//! the generic instruction stream, and its translation into Enigma's loaded
//! code.

pub mod chunks;
pub mod compact;
pub mod container;
pub mod cursor;
pub mod error;
pub mod generic;
pub mod genop;
pub mod literals;

pub use chunks::BeamFile;
pub use error::{ChunkId, ErrorKind, LoadError};
pub use genop::GenOp;

/// Parses and decodes a `.beam` file as far as the generic instruction
/// stream, checking everything the disassembler relies on.
pub fn load(bytes: &[u8]) -> Result<(), LoadError> {
    let file = BeamFile::parse(bytes)?;
    let code = generic::decode(&file)?;
    generic::functions(&file, &code)?;
    literals::LiteralArea::decode(&file.literals).map_err(|e| e.in_module(file.module.name()))?;
    Ok(())
}
