//! The tag bytes of the external term format, as OTP 25 names them
//! (`erl_ext_dist`; the C names in `external.h`).

/// Version byte that starts every external term.
pub const VERSION: u8 = 131;

/// Compressed term: uncompressed size (u32), then a zlib stream.
pub const COMPRESSED: u8 = 80;
/// Distribution header (only inside the distribution protocol).
pub const DIST_HEADER: u8 = 68;
/// Fragmented distribution header (only inside the distribution protocol).
pub const DIST_FRAG_HEADER: u8 = 69;
/// Reference into the distribution atom cache.
pub const ATOM_CACHE_REF: u8 = 82;

/// Integer 0..=255 in one byte.
pub const SMALL_INTEGER: u8 = 97;
/// Signed 32-bit integer.
pub const INTEGER: u8 = 98;
/// Float as a 31-byte C string (read only; OTP 25 writes it for `minor_version` 0).
pub const FLOAT: u8 = 99;
/// Float as 8 IEEE 754 bytes, big-endian.
pub const NEW_FLOAT: u8 = 70;
/// Bignum with a one-byte length.
pub const SMALL_BIG: u8 = 110;
/// Bignum with a four-byte length.
pub const LARGE_BIG: u8 = 111;

/// Latin-1 atom, two-byte length.
pub const ATOM: u8 = 100;
/// Latin-1 atom, one-byte length.
pub const SMALL_ATOM: u8 = 115;
/// UTF-8 atom, two-byte length.
pub const ATOM_UTF8: u8 = 118;
/// UTF-8 atom, one-byte length.
pub const SMALL_ATOM_UTF8: u8 = 119;

/// Tuple with a one-byte arity.
pub const SMALL_TUPLE: u8 = 104;
/// Tuple with a four-byte arity.
pub const LARGE_TUPLE: u8 = 105;
/// The empty list.
pub const NIL: u8 = 106;
/// A list of bytes, two-byte length.
pub const STRING: u8 = 107;
/// A list: four-byte length, elements, tail.
pub const LIST: u8 = 108;
/// A binary.
pub const BINARY: u8 = 109;
/// A bitstring: byte length, bits used in the last byte, bytes.
pub const BIT_BINARY: u8 = 77;
/// A map: four-byte arity, then keys and values alternating.
pub const MAP: u8 = 116;

/// Old reference: node, one id word, one-byte creation.
pub const REFERENCE: u8 = 101;
/// Reference with up to 5 id words and a one-byte creation.
pub const NEW_REFERENCE: u8 = 114;
/// Reference with up to 5 id words and a four-byte creation.
pub const NEWER_REFERENCE: u8 = 90;
/// Port with a one-byte creation.
pub const PORT: u8 = 102;
/// Port with a four-byte creation.
pub const NEW_PORT: u8 = 89;
/// Port with a 64-bit id and a four-byte creation.
pub const V4_PORT: u8 = 120;
/// Pid with a one-byte creation.
pub const PID: u8 = 103;
/// Pid with a four-byte creation.
pub const NEW_PID: u8 = 88;

/// Old fun format; OTP 25 refuses it.
pub const FUN: u8 = 117;
/// Closure.
pub const NEW_FUN: u8 = 112;
/// External fun `fun M:F/A`.
pub const EXPORT: u8 = 113;
