//! A list of pieces cut out of one binary, as `binary:split/2,3` returns
//! it: the cells and the pieces written side by side in one allocation,
//! each piece cut as BEAM cuts pieces ([`Heap::sub_binary`]): a heap
//! binary of its own when it is at most [`HEAP_BIN_LIMIT`] bytes, else a
//! sub-binary of the original. Splitting a large binary makes pieces by
//! the hundred thousand: one size computation, one allocation, and the
//! bytes of a short piece moved a word at a time (no `memcpy` call), rather
//! than an allocation, a slice and a copy per piece and a list built after.

use super::binary::{heap_binary_words, sub_binary_fields, HEAP_BIN_LIMIT, SUB_BINARY_WORDS};
use super::boxed::{Header, Subtag};
use super::{Heap, Term};

/// Words a piece of `len` bytes takes.
#[inline(always)]
fn piece_words(len: usize) -> usize {
    if len <= HEAP_BIN_LIMIT {
        heap_binary_words(len)
    } else {
        SUB_BINARY_WORDS
    }
}

impl Heap {
    /// The list of the pieces `ranges` (start and end byte offsets, in
    /// `bytes`) of the binary `orig`, whose whole bytes `bytes` are.
    pub fn piece_list(&mut self, orig: Term, bytes: &[u8], ranges: &[(usize, usize)]) -> Term {
        let words: usize = ranges
            .iter()
            .map(|&(a, b)| {
                assert!(a <= b && b <= bytes.len(), "a piece outside its binary");
                2 + piece_words(b - a)
            })
            .sum();
        if words == 0 {
            return Term::NIL;
        }
        let start = self.alloc(words).as_mut_ptr();
        let (mut cell, mut last) = (start, start);
        for &(a, b) in ranges {
            let len = b - a;
            // SAFETY: the pieces and their cells take `words` words from
            // `start`, laid out as `words` was summed: each cell is
            // followed by its piece, then the next cell; the range was
            // checked to lie in `bytes`.
            unsafe {
                let piece = cell.add(2);
                let next = piece.add(piece_words(len));
                if len <= HEAP_BIN_LIMIT {
                    write_bytes_piece(piece, bytes, a, len);
                } else {
                    *piece = Header::new(Subtag::SubBin, SUB_BINARY_WORDS - 1).0;
                    let fields = sub_binary_fields(orig, 8 * a, 8 * len);
                    std::ptr::copy_nonoverlapping(fields.as_ptr(), piece.add(1), fields.len());
                }
                *cell = Term::boxed_ptr(piece).raw();
                *cell.add(1) = Term::list_ptr(next).raw();
                last = cell;
                cell = next;
            }
        }
        // SAFETY: the last cell written above.
        unsafe { *last.add(1) = Term::NIL.raw() };
        Term::list_ptr(start)
    }
}

/// Writes at `dst` the heap binary of `bytes[a..a + len]` (at most
/// [`HEAP_BIN_LIMIT`] bytes): whole words read unaligned while they lie
/// inside `bytes`, the bytes after the piece's last one in its last word
/// zeroed, as [`super::binary`]'s heap binaries have them.
///
/// SAFETY (callers): `dst` is [`heap_binary_words`] of `len` writable
/// words; `a + len <= bytes.len()`.
#[inline(always)]
unsafe fn write_bytes_piece(dst: *mut u64, bytes: &[u8], a: usize, len: usize) {
    let words = len.div_ceil(8);
    // SAFETY: the function's contract; the reads are in `bytes`: whole
    // words only when `a + 8 * words <= bytes.len()`, else byte by byte.
    unsafe {
        *dst = Header::new(Subtag::HeapBin, 1 + words).0;
        *dst.add(1) = len as u64;
        if words == 0 {
            return;
        }
        let src = bytes.as_ptr().add(a);
        let out = dst.add(2);
        if a + 8 * words <= bytes.len() {
            for k in 0..words - 1 {
                *out.add(k) = std::ptr::read_unaligned(src.add(8 * k).cast::<u64>());
            }
            let last = std::ptr::read_unaligned(src.add(8 * (words - 1)).cast::<u64>());
            *out.add(words - 1) = keep_first(last, len - 8 * (words - 1));
        } else {
            // The piece ends within a word of the binary's end.
            for k in 0..words {
                let mut b = [0u8; 8];
                let n = (len - 8 * k).min(8);
                std::ptr::copy_nonoverlapping(src.add(8 * k), b.as_mut_ptr(), n);
                *out.add(k) = u64::from_ne_bytes(b);
            }
        }
    }
}

/// The word `raw` (eight bytes in memory order) with only its first `n`
/// bytes kept (1 to 8), the others zero.
#[inline(always)]
fn keep_first(raw: u64, n: usize) -> u64 {
    // In little-endian order the first bytes in memory are the low ones.
    (u64::from_le(raw) & (u64::MAX >> (64 - 8 * n))).to_le()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_objects(a: Term, b: Term) {
        let words = 1 + a.header().unwrap().arity();
        for i in 0..words {
            // SAFETY: both are boxed objects of `words` words (headers
            // compared first).
            let (x, y) = unsafe { (*a.ptr().add(i), *b.ptr().add(i)) };
            assert_eq!(x, y, "word {i}");
        }
    }

    #[test]
    fn pieces_are_heap_binaries_or_sub_binaries_as_beam_cuts_them() {
        let mut h = Heap::new();
        let data: Vec<u8> = (0..200u8).collect();
        let whole = h.binary(&data);
        // Also of a sub-binary at a bit offset: the bytes are a copy.
        let shifted = h.sub_view(whole, 3, 8 * 190);
        let shifted_bytes = shifted.as_bits().unwrap().to_vec();
        for (orig, data) in [(whole, data.clone()), (shifted, shifted_bytes)] {
            check(&mut h, orig, &data);
        }
    }

    fn check(h: &mut Heap, orig: Term, data: &[u8]) {
        let ranges = [(0, 0), (0, 5), (5, 69), (69, 134), (134, 187), (187, 190)];
        let list = h.piece_list(orig, data, &ranges);
        let pieces: Vec<Term> = list.list_iter().collect();
        assert_eq!(pieces.len(), ranges.len());
        for (t, &(a, b)) in pieces.iter().zip(&ranges) {
            assert_eq!(t.as_bits().unwrap().to_vec(), &data[a..b]);
            let sub = t.header().unwrap().subtag() == Subtag::SubBin;
            assert_eq!(sub, b - a > HEAP_BIN_LIMIT);
            // The same object `sub_binary` makes, word for word.
            same_objects(*t, h.sub_binary(orig, 8 * a, 8 * (b - a)));
        }
        assert!(h.piece_list(orig, data, &[]).is_nil());
    }
}
