//! Match contexts of the bit syntax (`bs_start_match3/4`).
//!
//! Layout: `[hdr MatchState arity 4, bitstring, position, start, size]`.
//! The bitstring is the term matched (any binary or sub-binary); the
//! position is the number of its bits already consumed. A context belongs
//! to one process and is updated in place as matching advances;
//! `bs_get_position` and `bs_set_position` save and restore the position
//! word. `size` is the bitstring's size in bits and `start` the address
//! of its first byte when that byte is at a byte boundary of an off-heap
//! buffer (else 0), both raw words: a matching loop then reads bytes
//! without resolving the bitstring at each step. The buffer never moves
//! and the bitstring (word 0, a term the collector follows) keeps it
//! alive; a heap binary moves when collected, so it is always read
//! through word 0.

use super::binary::Bits;
use super::boxed::{Header, Subtag};
use super::{Heap, Term};

/// A match context's header word.
const HEADER: Header = Header::new(Subtag::MatchState, 4);

/// A match context on the heap.
#[derive(Clone, Copy, Debug)]
pub struct MatchState(Term);

impl Heap {
    /// A new match context over the bitstring `bin`, at position 0.
    /// A binary made by appending stops being appended to in place.
    pub fn match_state(&mut self, bin: Term) -> Term {
        bin.seal_writable();
        let size = bin.bitstring_size().unwrap_or(0) as u64;
        self.boxed(
            Subtag::MatchState,
            &[bin.raw(), 0, bin.off_heap_start(), size],
        )
    }
}

impl Term {
    /// The match context, if this is one: one compare of the header word
    /// with a context's (no subtag table look-up), as every bit-syntax
    /// instruction checks its context register first.
    #[inline(always)]
    pub fn as_match_state(self) -> Option<MatchState> {
        (self.header() == Some(HEADER)).then_some(MatchState(self))
    }
}

impl MatchState {
    /// The bitstring matched.
    #[inline]
    pub fn binary(self) -> Term {
        Term::from_raw(self.0.boxed_word(0))
    }

    /// Its bits.
    #[inline]
    pub fn bits<'a>(self) -> Bits<'a> {
        let start = self.0.boxed_word(2) as *const u8;
        if !start.is_null() {
            let size = self.bit_size();
            // SAFETY: `start` is the first byte of the bitstring in word 0
            // (`Heap::match_state`), in an off-heap buffer that never moves
            // and that the bitstring keeps alive; it views `size` bits.
            let bytes = unsafe { std::slice::from_raw_parts(start, size.div_ceil(8)) };
            return Bits {
                bytes,
                bit_offset: 0,
                bit_size: size,
            };
        }
        self.binary().as_bits().unwrap_or(Bits {
            bytes: &[],
            bit_offset: 0,
            bit_size: 0,
        })
    }

    /// Whether its bits are read in place, from the `start` address (an
    /// off-heap buffer at a byte boundary): the JIT reads only those.
    #[inline]
    pub fn in_place(self) -> bool {
        self.0.boxed_word(2) != 0
    }

    /// The bitstring's whole bytes when they are read in place (see
    /// [`MatchState::in_place`]): a loop over them, which keeps its
    /// position itself, reads each from this slice.
    #[inline]
    pub fn bytes_in_place<'a>(self) -> Option<&'a [u8]> {
        if !self.in_place() {
            return None;
        }
        let b = self.bits();
        b.bytes.get(..b.bit_size / 8)
    }

    /// Bits consumed so far.
    #[inline]
    pub fn position(self) -> usize {
        self.0.boxed_word(1) as usize
    }

    /// The bitstring's size in bits.
    #[inline]
    pub fn bit_size(self) -> usize {
        self.0.boxed_word(3) as usize
    }

    /// Bits left.
    #[inline]
    pub fn remaining(self) -> usize {
        self.bit_size().saturating_sub(self.position())
    }

    /// Moves to `pos`, which the caller checked is within the bitstring
    /// (a segment it just read). Even a position beyond it would be safe:
    /// every read checks its bounds and `remaining` saturates.
    #[inline]
    pub fn advance_to(self, pos: usize) {
        debug_assert!(pos <= self.bit_size());
        // SAFETY: as in `set_position`.
        unsafe { *(self.0.ptr() as *mut u64).add(2) = pos as u64 };
    }

    /// Reads the unsigned big-endian integer in the next `N` bytes (1 to
    /// 7) and moves past it; `None` (not moved) if fewer bits are left.
    /// The loader's `BsGetU8/16/32`: when the bytes are in place and the
    /// position is at a byte boundary, one load of `N` bytes, no slice;
    /// otherwise [`MatchState::read_uint`].
    #[inline(always)]
    pub fn read_be<const N: usize>(self) -> Option<u64> {
        let pos = self.position();
        let start = self.0.boxed_word(2) as *const u8;
        // One test for both: in place (a non-null start) at a byte
        // boundary.
        if (pos & 7) | usize::from(start.is_null()) == 0 {
            if pos + 8 * N > self.bit_size() {
                return None;
            }
            // SAFETY: as in `bits`; bytes `pos / 8 .. pos / 8 + N` are
            // within the bitstring's `bit_size` bits (checked above).
            let bytes: [u8; N] = unsafe { std::ptr::read_unaligned(start.add(pos / 8).cast()) };
            self.advance_to(pos + 8 * N);
            return Some(bytes.iter().fold(0, |v, &b| v << 8 | u64::from(b)));
        }
        self.read_uint_cold(8 * N)
    }

    /// The next byte, the position before it and whether whole bytes are
    /// left after it, moving past the byte, when the bytes are in place,
    /// the position is at a byte boundary and a byte is left; `None` (not
    /// moved) otherwise, whether or not a byte is left: the fused byte
    /// tests' fast path, which leaves every other case to their general
    /// path.
    #[inline(always)]
    pub fn next_byte_in_place(self) -> Option<(u8, usize, bool)> {
        let start = self.0.boxed_word(2) as *const u8;
        if start.is_null() {
            return None;
        }
        let (pos, size) = (self.position(), self.bit_size());
        if pos & 7 != 0 || pos + 8 > size {
            return None;
        }
        // SAFETY: as in `bits`; byte `pos / 8` is within the bitstring's
        // `bit_size` bits (checked above).
        let byte = unsafe { *start.add(pos / 8) };
        self.advance_to(pos + 8);
        // From a byte boundary, whole bytes are left when the size is
        // whole bytes.
        Some((byte, pos, size & 7 == 0))
    }

    /// [`MatchState::read_uint`] out of line, for the fast paths' rare
    /// case.
    #[inline(never)]
    fn read_uint_cold(self, size: usize) -> Option<u64> {
        self.read_uint(size)
    }

    /// Whether the bits left are whole bytes (`bs_test_unit 8`).
    #[inline(always)]
    pub fn whole_bytes_left(self) -> bool {
        // The position never passes the size (`set_position` clamps it,
        // `advance_to` is given checked positions): no saturation needed.
        self.bit_size().wrapping_sub(self.position()) & 7 == 0
    }

    /// Reads the unsigned big-endian integer in the next `size` bits (1 to
    /// 63) and moves past it; `None` (not moved) if fewer bits are left.
    /// The loader's `BsGetUint`: one aligned byte is the common case.
    #[inline]
    pub fn read_uint(self, size: usize) -> Option<u64> {
        let pos = self.position();
        let start = self.0.boxed_word(2) as *const u8;
        if size == 8 && pos.is_multiple_of(8) && !start.is_null() {
            if pos + 8 > self.bit_size() {
                return None;
            }
            // SAFETY: as in `bits`; byte `pos / 8` is within the
            // bitstring's `bit_size` bits (checked above).
            let byte = unsafe { *start.add(pos / 8) };
            self.advance_to(pos + 8);
            return Some(u64::from(byte));
        }
        let s = self.bits().slice(pos, size)?;
        let v = if size == 8 && s.bit_offset.is_multiple_of(8) {
            u64::from(*s.bytes.get(s.bit_offset / 8)?)
        } else {
            s.read_small(false, false) as u64
        };
        self.advance_to(pos + size);
        Some(v)
    }

    /// The unsigned big-endian integer in the next `size` bits (1 to 63),
    /// without moving; `None` if fewer bits are left.
    pub fn peek_uint(self, size: usize) -> Option<u64> {
        let s = self.bits().slice(self.position(), size)?;
        Some(s.read_small(false, false) as u64)
    }

    /// Moves to `pos` (clamped to the bitstring's size).
    #[inline]
    pub fn set_position(self, pos: usize) {
        let pos = pos.min(self.bit_size()) as u64;
        // SAFETY: a match context has two words after its header (checked by
        // `as_match_state`), it is owned by the running process, and no
        // reference into it is held while it is written.
        unsafe { *(self.0.ptr() as *mut u64).add(2) = pos };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_move_in_place() {
        let mut h = Heap::new();
        let bin = h.binary(b"abc");
        let ms = h.match_state(bin).as_match_state().unwrap();
        assert_eq!((ms.position(), ms.remaining()), (0, 24));
        ms.set_position(8);
        assert_eq!((ms.position(), ms.remaining()), (8, 16));
        ms.set_position(100);
        assert_eq!(ms.remaining(), 0);
        assert!(bin.as_match_state().is_none());
    }

    #[test]
    fn off_heap_bytes_are_read_in_place() {
        let mut h = Heap::new();
        let data: Vec<u8> = (0..200).map(|i| i as u8).collect();
        let big = h.binary(&data);
        let aligned = h.sub_view(big, 16, 80);
        let odd = h.sub_view(big, 3, 80);
        for bin in [big, aligned, odd] {
            let ms = h.match_state(bin).as_match_state().unwrap();
            assert_eq!(ms.bits().to_vec(), bin.as_bits().unwrap().to_vec());
            assert_eq!(ms.bit_size(), bin.bitstring_size().unwrap());
        }
        let ms = h.match_state(aligned).as_match_state().unwrap();
        assert_eq!(ms.read_uint(8), Some(2));
        assert_eq!(ms.read_uint(16), Some(0x0304));
        assert_eq!(ms.remaining(), 56);
        assert_eq!(ms.read_be::<4>(), Some(0x0506_0708));
        assert_eq!(ms.read_be::<2>(), Some(0x090a));
        assert_eq!(ms.read_be::<2>(), None);
        assert_eq!(ms.read_be::<1>(), Some(0x0b));
        assert_eq!(ms.remaining(), 0);
        // Off a byte boundary, and over a sub-binary that is not in place.
        let ms = h.match_state(odd).as_match_state().unwrap();
        assert!(!ms.in_place());
        assert_eq!(ms.read_uint(3), Some(0));
        // Bits 6 to 21 of 00000000 00000001 00000010.
        assert_eq!(ms.read_be::<2>(), Some(0x0040));
    }

    #[test]
    fn unsigned_reads_advance() {
        let mut h = Heap::new();
        let bin = h.binary(&[0xAB, 0xCD, 0xEF]);
        let ms = h.match_state(bin).as_match_state().unwrap();
        assert_eq!(ms.peek_uint(8), Some(0xAB));
        assert_eq!(ms.read_uint(8), Some(0xAB));
        assert_eq!(ms.peek_uint(12), Some(0xCDE));
        assert_eq!(ms.read_uint(4), Some(0xC));
        assert_eq!(ms.read_uint(12), Some(0xDEF));
        assert_eq!(ms.read_uint(1), None);
        assert_eq!(ms.peek_uint(1), None);
        assert_eq!(ms.position(), 24);
    }
}
