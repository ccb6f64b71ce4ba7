//! BEAM's portable term hashes, bit for bit: `erlang:phash2/1,2` and the
//! deprecated `erlang:phash/2`.
//!
//! Both are defined by what BEAM computes (`make_hash2` and `make_hash` in
//! OTP's `erts/emulator/beam/utils.c`), not by the layout of terms: a small
//! integer hashes like the bignum of the same value would, a map hashes by
//! its entries whatever its representation, a sub-binary by its bits. The
//! values are stable across machines and ERTS versions, so programs store
//! them; [`make_hash2`] and [`make_hash`] must never change.
//!
//! What identifiers contribute: a pid only its number, a port only its
//! number, a reference only its first id word (`ids[0]`, the last number
//! printed in `#Ref<...>`). The node, the creation and a pid's serial never
//! enter the hash, so a local pid and a pid of another node with the same
//! number hash alike. A closure contributes its module, old index, old uniq
//! and captured values (not its creator); an external fun its module,
//! function and arity.
//!
//! Neither hash recurses on the native stack: each walks the term with an
//! explicit work stack, as BEAM does, so a list of millions of elements or a
//! tuple nested a million deep hashes in bounded native stack.

mod hash1;
mod hash2;

pub use hash1::make_hash;
pub use hash2::make_hash2;

use std::borrow::Cow;

use super::Term;
use crate::atom::Atom;

/// The largest range `phash2/2` and `phash/2` accept: 2^32.
pub const MAX_RANGE: u64 = 1 << 32;

/// A hash range outside `1..=2^32` (`badarg` in Erlang).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("hash range {0} is not in 1..=2^32")]
pub struct BadRange(pub u64);

/// `erlang:phash2/1`: the term's portable hash in `0..2^27`.
pub fn phash2(t: Term) -> u32 {
    make_hash2(t) & ((1 << 27) - 1)
}

/// `erlang:phash2/2`: the term's portable hash in `0..range`, for a range
/// in `1..=2^32` (the remainder of [`make_hash2`] by the range; all 32 bits
/// for 2^32).
pub fn phash2_range(t: Term, range: u64) -> Result<u32, BadRange> {
    check_range(range)?;
    Ok((u64::from(make_hash2(t)) % range) as u32)
}

/// `erlang:phash/2`: the term's old portable hash in `1..=range`, for a
/// range in `1..=2^32` (one more than the remainder of [`make_hash`] by the
/// range; with 2^32 the result can be 2^32 itself).
pub fn phash(t: Term, range: u64) -> Result<u64, BadRange> {
    check_range(range)?;
    Ok(u64::from(make_hash(t)) % range + 1)
}

fn check_range(range: u64) -> Result<(), BadRange> {
    if (1..=MAX_RANGE).contains(&range) {
        Ok(())
    } else {
        Err(BadRange(range))
    }
}

/// The hash BEAM keeps for an atom and that both portable hashes use:
/// hashpjw over the UTF-8 name, where a two-byte sequence for a character
/// in U+0080..U+00FF counts as its Latin-1 byte (so atoms hash as they did
/// when names were Latin-1).
pub fn atom_hash(a: Atom) -> u32 {
    let name = a.name().as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < name.len() {
        let mut v = name[i];
        i += 1;
        if i < name.len() && (v & 0xFE) == 0xC2 && (name[i] & 0xC0) == 0x80 {
            v = (v << 6) | (name[i] & 0x3F);
            i += 1;
        }
        h = (h << 4).wrapping_add(u32::from(v));
        let g = h & 0xF000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

/// A pid's number, which is all of a pid that the hashes use.
fn pid_number(t: Term) -> Option<u32> {
    match t.as_local_pid() {
        Some((number, _)) => Some(number),
        None => t.as_external_pid().map(|e| e.id as u32),
    }
}

/// A port's number, local or not.
fn port_number(t: Term) -> Option<u64> {
    t.as_local_port()
        .or_else(|| t.as_external_port().map(|e| e.id))
}

/// A reference's first id word, the only part of it the hashes use.
fn ref_first_id(t: Term) -> Option<u32> {
    t.as_ref_id().map(|r| r.ids.first().copied().unwrap_or(0))
}

/// A float's bits for hashing: `-0.0` hashes as `0.0`.
fn float_bits(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// A bitstring as both hashes read it.
struct HashBits<'a> {
    /// The whole bytes, realigned when the bitstring starts mid-byte.
    bytes: Cow<'a, [u8]>,
    /// The trailing bits (when the size is not a multiple of 8) as a number,
    /// with their count.
    tail: Option<(u8, u32)>,
}

fn hash_bits<'a>(t: Term) -> Option<HashBits<'a>> {
    let bits = t.as_bits()?;
    let whole = bits.bit_size / 8;
    let rest = (bits.bit_size % 8) as u32;
    let tail = (rest > 0).then(|| (bits.byte(whole) >> (8 - rest), rest));
    let bytes = if bits.bit_offset.is_multiple_of(8) {
        let start = bits.bit_offset / 8;
        Cow::Borrowed(&bits.bytes[start..start + whole])
    } else {
        Cow::Owned((0..whole).map(|i| bits.byte(i)).collect())
    };
    Some(HashBits { bytes, tail })
}

/// A bignum's sign and magnitude limbs (little-endian 64-bit words).
fn big_limbs<'a>(t: Term) -> Option<(bool, &'a [u64])> {
    let negative = match t.header()?.subtag() {
        super::Subtag::PosBig => false,
        super::Subtag::NegBig => true,
        _ => return None,
    };
    Some((negative, t.boxed_words()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_hash_folds_two_byte_latin1_sequences() {
        // Values from erl: erlang:phash2(a) = 97, erlang:phash2('é') = 233.
        assert_eq!(atom_hash(Atom::intern("a").unwrap()), 97);
        assert_eq!(atom_hash(Atom::intern("é").unwrap()), 233);
    }

    #[test]
    fn internal_words_contribute_nothing() {
        // A catch marker is no term a program can pass; it must not panic.
        assert_eq!(make_hash2(Term::catch(5)), 0);
        assert_eq!(make_hash(Term::catch(5)), 0);
    }

    #[test]
    fn ranges_outside_one_to_two_pow_32_are_rejected() {
        assert_eq!(phash2_range(Term::NIL, 0), Err(BadRange(0)));
        assert_eq!(phash(Term::NIL, 0), Err(BadRange(0)));
        assert_eq!(
            phash2_range(Term::NIL, MAX_RANGE + 1),
            Err(BadRange(MAX_RANGE + 1))
        );
        // From erl: erlang:phash2([], 1 bsl 32) = 3468870702 and
        // erlang:phash(0, 1 bsl 32) = 1.
        assert_eq!(phash2_range(Term::NIL, MAX_RANGE), Ok(3468870702));
        assert_eq!(phash(Term::small(0), MAX_RANGE), Ok(1));
    }
}
