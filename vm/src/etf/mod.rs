//! The external term format (`term_to_binary/1,2`, `binary_to_term/1,2`).
//!
//! Decoding accepts every tag OTP 25 accepts and rejects what it rejects
//! (with [`EtfError`], never a panic); encoding produces the bytes OTP 25's
//! `term_to_binary` produces. Both walk terms with an explicit stack, so a
//! list of ten million elements or a tuple nested a million deep is fine.
//!
//! This VM is the node `nonode@nohost` with creation 0, like a BEAM node that
//! is not distributed: pids, ports and references of that node and creation
//! decode to local terms, everything else to external ones.

mod compress;
mod cursor;
mod decode;
mod decode_ids;
mod encode;
pub mod tags;

use crate::atom::Atom;

pub use decode::{decode, decode_prefix};
pub use encode::{encode, encode_iovec, EncodeOptions};

/// The node name this VM's local pids, ports and references carry.
pub const LOCAL_NODE: Atom = Atom::NONODE;
/// The creation of [`LOCAL_NODE`] (0: not distributed).
pub const LOCAL_CREATION: u32 = 0;

/// Why a term could not be decoded or encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EtfError {
    /// The input ended inside a term, or a length field promises more data
    /// than there is.
    #[error("unexpected end of input at byte {0}")]
    Truncated(usize),
    /// The first byte is not the version byte 131.
    #[error("bad version byte {0} (expected 131)")]
    BadVersion(u8),
    /// A tag byte no OTP 25 decoder accepts here.
    #[error("unknown or unexpected tag {tag} at byte {offset}")]
    BadTag {
        /// The tag.
        tag: u8,
        /// Its position in the input.
        offset: usize,
    },
    /// An atom cache reference outside the distribution protocol.
    #[error("atom cache reference at byte {0} outside distribution")]
    AtomCacheRef(usize),
    /// A well-formed field with a value OTP 25 rejects.
    #[error("invalid {what} at byte {offset}")]
    Invalid {
        /// What was wrong.
        what: &'static str,
        /// Where the offending item starts.
        offset: usize,
    },
    /// Safe decoding met an atom that does not exist yet.
    #[error("atom at byte {0} does not exist (safe decoding)")]
    NotExistingAtom(usize),
    /// The atom table is full (`system_limit` in Erlang).
    #[error("atom table full")]
    AtomTableFull,
    /// The compressed payload does not inflate to the declared size.
    #[error("bad compressed term: {0}")]
    Compressed(&'static str),
    /// The term cannot be encoded (an internal value, or a size beyond the
    /// format's 32-bit fields).
    #[error("cannot encode {0}")]
    Unencodable(&'static str),
}

#[cfg(test)]
mod tests;
