//! The loader's one error type: what went wrong, in which module, chunk and
//! byte of the file.

use std::fmt;

use thiserror::Error;

/// A four-byte chunk id such as `Code` or `LitT`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChunkId(pub [u8; 4]);

impl ChunkId {
    /// The IFF header, before any chunk.
    pub const HEADER: ChunkId = ChunkId(*b"FOR1");
}

impl fmt::Display for ChunkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in &self.0 {
            if b.is_ascii_graphic() || b == b' ' {
                write!(f, "{}", b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for ChunkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChunkId({self})")
    }
}

/// Why a file could not be loaded.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ErrorKind {
    /// Not an IFF `FOR1 ... BEAM` file.
    #[error("not a BEAM file")]
    NotBeam,
    /// The data ends before a field or a declared size.
    #[error("unexpected end of data")]
    Truncated,
    /// A chunk the loader needs is absent.
    #[error("missing chunk {0}")]
    MissingChunk(ChunkId),
    /// A chunk appears twice.
    #[error("duplicate chunk")]
    DuplicateChunk,
    /// A chunk header or table is inconsistent.
    #[error("{0}")]
    Malformed(String),
    /// An atom name is not valid for its table.
    #[error("invalid atom name")]
    BadAtom,
    /// The atom table is full.
    #[error("system_limit: atom table full")]
    AtomLimit,
    /// An index into the atom table is out of range.
    #[error("atom index {0} out of range")]
    BadAtomIndex(u64),
    /// A compact-term operand cannot be decoded.
    #[error("bad compact term: {0}")]
    BadOperand(String),
    /// An opcode number OTP 25 does not define.
    #[error("unknown opcode {0}")]
    UnknownOpcode(u8),
    /// An opcode OTP 25's loader no longer accepts.
    #[error("obsolete instruction {0}; please re-compile this module with an OTP 25 compiler")]
    ObsoleteOpcode(&'static str),
    /// The code was compiled for a newer runtime.
    #[error("compiled for a later runtime (highest opcode {0})")]
    TooNew(u32),
    /// The literal table cannot be inflated or a literal does not decode.
    #[error("bad literal table: {0}")]
    BadLiteral(String),
    /// An instruction's operands do not have the shape the loader expects.
    #[error("{op}: bad operands: {why}")]
    BadInstruction {
        /// The opcode's name.
        op: &'static str,
        /// What is wrong.
        why: String,
    },
}

/// A load error, located as precisely as the loader knows.
#[derive(Debug, Clone, PartialEq, Error)]
pub struct LoadError {
    /// The module's name, once the atom table has been read.
    pub module: Option<String>,
    /// The chunk being read.
    pub chunk: ChunkId,
    /// Byte offset from the start of the file.
    pub offset: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl LoadError {
    /// An error in `chunk` at file offset `offset`; the module is filled in
    /// later by [`LoadError::in_module`].
    pub fn new(chunk: ChunkId, offset: usize, kind: ErrorKind) -> LoadError {
        LoadError {
            module: None,
            chunk,
            offset,
            kind,
        }
    }

    /// The same error, naming `module` if no module was named yet.
    pub fn in_module(mut self, module: &str) -> LoadError {
        self.module.get_or_insert_with(|| module.to_string());
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.module {
            Some(m) => write!(f, "module {m}: ")?,
            None => write!(f, "unknown module: ")?,
        }
        write!(
            f,
            "chunk {} at byte {}: {}",
            self.chunk, self.offset, self.kind
        )
    }
}
