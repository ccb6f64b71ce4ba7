//! Every position of any of one to three bytes in a binary, as
//! `binary:split/2,3` with `global` looks for separators: sixteen bytes
//! compared at a time (SSE2, part of every x86-64), each match taken from
//! the comparison's bit mask in a few instructions. `memchr`'s iterators
//! are made for sparse matches: each restarts its vector search from the
//! byte after the last match, 60 to 120 instructions a match where
//! separators are a few bytes apart (lines, fields).
//!
//! `unsafe` is allowed here for the SIMD intrinsics and unaligned loads.
#![allow(unsafe_code)]

/// Calls `f` with the position of every byte of `hay` that is one of
/// `set` (one to three bytes), left to right.
#[inline]
pub fn each(set: &[u8], hay: &[u8], mut f: impl FnMut(usize)) {
    scan(set, hay, |at, mut m| {
        while m != 0 {
            f(at + m.trailing_zeros() as usize);
            m &= m - 1;
        }
    });
}

/// How many bytes of `hay` are one of `set` (one to three bytes): what
/// [`each`] would find, to size the vector its finds go into.
pub fn count(set: &[u8], hay: &[u8]) -> usize {
    let mut n = 0;
    scan(set, hay, |_, m| n += m.count_ones() as usize);
    n
}

/// Calls `f` with the bit mask of the bytes of `hay` that are one of `set`
/// for each block of sixteen bytes (bit `i` for the byte at `at + i`),
/// then for each byte after the last whole block.
#[inline(always)]
fn scan(set: &[u8], hay: &[u8], mut f: impl FnMut(usize, u32)) {
    let Some(&first) = set.first() else {
        return;
    };
    let pick = |i: usize| set.get(i).copied().unwrap_or(first);
    let (a, b, c) = (first, pick(1), pick(2));
    let done = blocks(a, b, c, hay, &mut f);
    for (i, &x) in hay.iter().enumerate().skip(done) {
        if x == a || x == b || x == c {
            f(i, 1);
        }
    }
}

/// [`scan`] over the whole blocks of sixteen bytes of `hay`; returns how
/// many bytes it looked at.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn blocks(a: u8, b: u8, c: u8, hay: &[u8], f: &mut impl FnMut(usize, u32)) -> usize {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let blocks = hay.chunks_exact(16);
    let done = hay.len() - blocks.remainder().len();
    // SAFETY: SSE2 is part of the x86-64 baseline; each load reads the
    // sixteen bytes of one block of `hay`, unaligned loads allowed.
    unsafe {
        let (va, vb, vc) = (
            _mm_set1_epi8(a as i8),
            _mm_set1_epi8(b as i8),
            _mm_set1_epi8(c as i8),
        );
        for (k, block) in blocks.enumerate() {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let eq = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                _mm_cmpeq_epi8(v, vc),
            );
            let m = _mm_movemask_epi8(eq) as u32;
            if m != 0 {
                f(16 * k, m);
            }
        }
    }
    done
}

/// Elsewhere, [`scan`] looks at every byte itself.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn blocks(_: u8, _: u8, _: u8, _: &[u8], _: &mut impl FnMut(usize, u32)) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_byte_of_the_set_in_order() {
        let hay: Vec<u8> = (0..100u32).map(|i| (i * 7 % 13) as u8).collect();
        for set in [&[3u8][..], &[3, 5], &[3, 5, 12], &[200]] {
            let want: Vec<usize> = (0..hay.len()).filter(|&i| set.contains(&hay[i])).collect();
            for start in [0, 1, 15, 16, 17, 40] {
                let mut got = Vec::new();
                each(set, &hay[start..], |i| got.push(start + i));
                let want: Vec<usize> = want.iter().copied().filter(|&i| i >= start).collect();
                assert_eq!(got, want, "set {set:?} from {start}");
                assert_eq!(count(set, &hay[start..]), want.len());
            }
        }
    }
}
