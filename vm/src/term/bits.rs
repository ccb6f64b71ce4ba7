//! Bit-level writing and reading for the bit syntax: the segment encodings
//! of `<<...>>` (integers, floats, bitstrings, UTF-8/16/32) as BEAM lays
//! them out, independent of the instructions that use them.
//!
//! Integers of a size that is not a multiple of 8 follow BEAM: big-endian
//! puts the value's low `size` bits most significant first; little-endian
//! writes whole low bytes first and then the `size % 8` low bits of the
//! most significant byte.

use ibig::ops::UnsignedAbs;
use ibig::{IBig, UBig};
use smallvec::SmallVec;

use super::bignum::Int;
use super::binary::Bits;

/// Bytes a writer holds without allocating: most constructions (an
/// append's new segments, small binaries) fit.
const INLINE_BYTES: usize = 32;

/// A bitstring being built, bit by bit.
#[derive(Default, Debug)]
pub struct BitWriter {
    buf: SmallVec<[u8; INLINE_BYTES]>,
    len: usize,
}

impl BitWriter {
    /// An empty writer with room for `bits` bits, or `None` if that much
    /// memory cannot be had.
    pub fn with_capacity(bits: usize) -> Option<BitWriter> {
        let mut buf = SmallVec::new();
        buf.try_reserve_exact(bits.div_ceil(8)).ok()?;
        Some(BitWriter { buf, len: 0 })
    }

    /// Bits written so far.
    pub fn bit_len(&self) -> usize {
        self.len
    }

    /// What was written, as a bitstring.
    pub fn bits(&self) -> Bits<'_> {
        Bits {
            bytes: &self.buf,
            bit_offset: 0,
            bit_size: self.len,
        }
    }

    /// The bytes written, the last one padded with zero bits.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Appends the top `n` (at most 8) bits of `byte`.
    pub fn push_bits(&mut self, byte: u8, n: usize) {
        if n == 0 {
            return;
        }
        let byte = byte & (0xFFu8 << (8 - n.min(8)));
        let used = self.len % 8;
        match self.buf.last_mut() {
            Some(last) if used != 0 => {
                *last |= byte >> used;
                if used + n > 8 {
                    self.buf.push(byte << (8 - used));
                }
            }
            _ => self.buf.push(byte),
        }
        self.len += n.min(8);
    }

    /// Appends whole bytes.
    pub fn put_bytes(&mut self, bytes: &[u8]) {
        if self.len.is_multiple_of(8) {
            self.buf.extend_from_slice(bytes);
            self.len += 8 * bytes.len();
        } else {
            for &b in bytes {
                self.push_bits(b, 8);
            }
        }
    }

    /// Appends a bitstring.
    pub fn put_bits(&mut self, bits: Bits) {
        if let Some(b) = bits.as_bytes() {
            return self.put_bytes(b);
        }
        let full = bits.bit_size / 8;
        for i in 0..full {
            self.push_bits(bits.byte(i), 8);
        }
        let rest = bits.bit_size % 8;
        if rest > 0 {
            self.push_bits(bits.byte(full), rest);
        }
    }

    /// Appends `value` modulo 2^`size` in `size` bits.
    pub fn put_int(&mut self, value: &Int, size: usize, little: bool) {
        if size == 0 {
            return;
        }
        let n = size.div_ceil(8);
        match value {
            // A small integer is already its two's complement in 8 bytes.
            Int::Small(v) if n <= 8 => self.put_le(&(*v as u64).to_le_bytes()[..n], size, little),
            _ => self.put_le(&twos_complement_le(value, n), size, little),
        }
    }

    /// Appends the integer whose two's complement is `le` (little-endian,
    /// `size.div_ceil(8)` bytes) in `size` bits.
    fn put_le(&mut self, le: &[u8], size: usize, little: bool) {
        let n = le.len();
        let top = size - 8 * (n - 1);
        if top == 8 && self.len.is_multiple_of(8) {
            // Whole bytes at a byte boundary: the common case.
            if little {
                self.buf.extend_from_slice(le);
            } else {
                self.buf.extend(le.iter().rev().copied());
            }
            self.len += size;
        } else if little {
            self.put_bytes(&le[..n - 1]);
            self.push_bits(le[n - 1] << (8 - top), top);
        } else {
            self.push_bits(le[n - 1] << (8 - top), top);
            for &b in le[..n - 1].iter().rev() {
                self.push_bits(b, 8);
            }
        }
    }

    /// Appends a float of 16, 32 or 64 bits; `false` for another size.
    pub fn put_float(&mut self, f: f64, size: usize, little: bool) -> bool {
        let bytes = f.to_be_bytes();
        let be = match size {
            16 => &f64_to_f16(f).to_be_bytes()[..],
            32 => &(f as f32).to_be_bytes()[..],
            64 => &bytes[..],
            _ => return false,
        };
        self.put_ordered(be, little);
        true
    }

    /// Appends a code point in UTF-8 (the caller checked it is valid).
    pub fn put_utf8(&mut self, cp: u32) {
        let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut b = [0u8; 4];
        self.put_bytes(c.encode_utf8(&mut b).as_bytes());
    }

    /// Appends a code point in UTF-16 (the caller checked it is valid).
    pub fn put_utf16(&mut self, cp: u32, little: bool) {
        let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            self.put_ordered(&u.to_be_bytes(), little);
        }
    }

    /// Appends a code point in UTF-32.
    pub fn put_utf32(&mut self, cp: u32, little: bool) {
        self.put_ordered(&cp.to_be_bytes(), little);
    }

    fn put_ordered(&mut self, be: &[u8], little: bool) {
        if little {
            for &b in be.iter().rev() {
                self.push_bits(b, 8);
            }
        } else {
            self.put_bytes(be);
        }
    }
}

/// Is `cp` a code point the UTF segments accept (not a surrogate, at most
/// 0x10FFFF)?
pub fn valid_code_point(cp: i64) -> bool {
    (0..=0x10FFFF).contains(&cp) && !(0xD800..=0xDFFF).contains(&cp)
}

/// `value` modulo 2^(8n) as `n` little-endian bytes.
fn twos_complement_le(value: &Int, n: usize) -> SmallVec<[u8; 16]> {
    match value {
        Int::Small(v) => {
            let fill = if *v < 0 { 0xFF } else { 0 };
            let b = v.to_le_bytes();
            (0..n).map(|i| b.get(i).copied().unwrap_or(fill)).collect()
        }
        Int::Big(big) => {
            let negative = *big < IBig::from(0u8);
            let mag: UBig = big.unsigned_abs();
            let mut le: SmallVec<[u8; 16]> = mag.to_le_bytes().into();
            le.resize(n.max(le.len()), 0);
            le.truncate(n);
            if negative {
                // -m = !m + 1 in n bytes.
                let mut carry = true;
                for b in le.iter_mut() {
                    let (s, c) = (!*b).overflowing_add(carry as u8);
                    *b = s;
                    carry = c;
                }
            }
            le
        }
    }
}

/// `f` as an IEEE half-precision float, rounded to nearest even;
/// out-of-range values become infinities, as on BEAM.
fn f64_to_f16(f: f64) -> u16 {
    let bits = f.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7FF) as i32;
    let mant = bits & 0x000F_FFFF_FFFF_FFFF;
    if exp == 0x7FF {
        return sign | 0x7C00 | if mant != 0 { 0x200 } else { 0 };
    }
    let e = exp - 1023 + 15;
    if e >= 0x1F {
        return sign | 0x7C00;
    }
    // The significand with its implicit bit, and how far to shift it right
    // to get the 10 (normal) or fewer (subnormal) stored bits.
    let (sig, shift) = if e <= 0 {
        if e < -10 {
            return sign;
        }
        (mant | (1 << 52), (42 + 1 - e) as u32)
    } else {
        (mant, 42)
    };
    let kept = sig >> shift;
    let rem = sig & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let round = rem > half || (rem == half && kept & 1 == 1);
    let base = if e <= 0 {
        kept as u32
    } else {
        ((e as u32) << 10) | kept as u32
    };
    // A carry out of the significand correctly bumps the exponent (up to
    // infinity).
    sign | (base + round as u32) as u16
}

fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1F) as i32;
    let mant = (h & 0x3FF) as f64;
    sign * match exp {
        0 => mant * 2f64.powi(-24),
        0x1F if mant == 0.0 => f64::INFINITY,
        0x1F => f64::NAN,
        _ => (1.0 + mant / 1024.0) * 2f64.powi(exp - 15),
    }
}

/// Reading segments out of a bitstring; every read is bounds-checked and
/// returns `None` when the bits are not there or do not decode.
impl Bits<'_> {
    /// The `size` bits at bit `pos`, as a bitstring.
    pub fn slice(&self, pos: usize, size: usize) -> Option<Self> {
        (pos.checked_add(size)? <= self.bit_size).then_some(Bits {
            bytes: self.bytes,
            bit_offset: self.bit_offset + pos,
            bit_size: size,
        })
    }

    /// The integer in `size` bits at `pos`.
    #[inline]
    pub fn read_int(&self, pos: usize, size: usize, little: bool, signed: bool) -> Option<Int> {
        let s = self.slice(pos, size)?;
        if size == 8 && s.bit_offset.is_multiple_of(8) {
            // One aligned byte: the byte-by-byte parsing loop.
            let b = *s.bytes.get(s.bit_offset / 8)?;
            return Some(Int::Small(if signed { b as i8 as i64 } else { b as i64 }));
        }
        s.read_whole(little, signed)
    }

    /// The integer in all of these bits.
    fn read_whole(&self, little: bool, signed: bool) -> Option<Int> {
        let (s, size) = (self, self.bit_size);
        if size == 0 {
            return Some(Int::Small(0));
        }
        if size <= 63 {
            return Some(Int::Small(s.read_small(little, signed)));
        }
        let n = size.div_ceil(8);
        let top = size - 8 * (n - 1);
        let packed = s.to_vec();
        let le: Vec<u8> = if little {
            let mut v = packed[..n - 1].to_vec();
            v.push(packed[n - 1] >> (8 - top));
            v
        } else {
            // Shift the whole big-endian run right by 8 - top bits.
            let sh = 8 - top;
            let mut be = Vec::with_capacity(n);
            for i in 0..n {
                let hi = if i == 0 { 0 } else { packed[i - 1] };
                let lo = packed[i];
                be.push(if sh == 0 {
                    lo
                } else {
                    ((hi as u16) << (8 - sh) | (lo as u16) >> sh) as u8
                });
            }
            be.reverse();
            be
        };
        let negative = signed && le[n - 1] & (1 << (top - 1)) != 0;
        let mut v = IBig::from(UBig::from_le_bytes(&le));
        if negative {
            v -= IBig::from(UBig::from(1u8) << size);
        }
        Some(match i64::try_from(&v) {
            Ok(s) => Int::Small(s),
            Err(_) => Int::Big(v),
        })
    }

    /// The integer in all of these bits (1 to 63 of them), read without
    /// allocating: the matching loop's common case (`<<B:8, Rest/binary>>`).
    pub(crate) fn read_small(&self, little: bool, signed: bool) -> i64 {
        let size = self.bit_size;
        let first = self.bit_offset / 8;
        let skip = self.bit_offset % 8;
        let span = (skip + size).div_ceil(8);
        // At most 9 bytes (63 bits at offset 7): they fit a u128.
        let acc = self.bytes[first..first + span]
            .iter()
            .fold(0u128, |a, &b| a << 8 | u128::from(b));
        let be = (acc >> (span * 8 - skip - size)) as u64 & ((1u64 << size) - 1);
        let v = if little && size > 8 {
            // BEAM's little-endian layout: whole bytes first, least
            // significant first; the last, partial byte holds the top bits.
            let n = size.div_ceil(8);
            let top = size - 8 * (n - 1);
            let left = be << (8 * n - size);
            let byte = |i: usize| (left >> (8 * (n - 1 - i))) & 0xFF;
            let low = (0..n - 1).fold(0u64, |a, i| a | byte(i) << (8 * i));
            low | (byte(n - 1) >> (8 - top)) << (8 * (n - 1))
        } else {
            be
        };
        if signed && v >> (size - 1) & 1 == 1 {
            v as i64 - (1i64 << size)
        } else {
            v as i64
        }
    }

    /// The float in `size` (16, 32 or 64) bits at `pos`; `None` also for
    /// NaN and infinities, which do not match on BEAM. A float of 0 bits
    /// (a size given at run time) matches as 0.0, as BEAM's
    /// `erts_bs_get_float_2` does.
    pub fn read_float(&self, pos: usize, size: usize, little: bool) -> Option<f64> {
        if size == 0 {
            return (pos <= self.bit_size).then_some(0.0);
        }
        if !matches!(size, 16 | 32 | 64) {
            return None;
        }
        let s = self.slice(pos, size)?;
        let mut be = s.to_vec();
        if little {
            be.reverse();
        }
        let f = match size {
            16 => f16_to_f64(u16::from_be_bytes(be[..2].try_into().ok()?)),
            32 => f32::from_be_bytes(be[..4].try_into().ok()?) as f64,
            _ => f64::from_be_bytes(be[..8].try_into().ok()?),
        };
        f.is_finite().then_some(f)
    }

    /// The UTF-8 character at `pos` and its size in bits.
    pub fn read_utf8(&self, pos: usize) -> Option<(u32, usize)> {
        let rest = self.bit_size.checked_sub(pos)? / 8;
        let byte = |i: usize| self.slice(pos + 8 * i, 8).map(|b| b.byte(0));
        let b0 = byte(0)?;
        let n = match b0 {
            0x00..=0x7F => return Some((b0 as u32, 8)),
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return None,
        };
        if rest < n {
            return None;
        }
        let mut buf = [0u8; 4];
        for (i, b) in buf.iter_mut().enumerate().take(n) {
            *b = byte(i)?;
        }
        let c = std::str::from_utf8(&buf[..n]).ok()?.chars().next()?;
        Some((c as u32, 8 * n))
    }

    /// The UTF-16 character at `pos` and its size in bits.
    pub fn read_utf16(&self, pos: usize, little: bool) -> Option<(u32, usize)> {
        let unit = |p: usize| -> Option<u32> {
            let s = self.slice(p, 16)?;
            let (a, b) = (s.byte(0) as u32, s.byte(1) as u32);
            Some(if little { b << 8 | a } else { a << 8 | b })
        };
        let u0 = unit(pos)?;
        match u0 {
            0xD800..=0xDBFF => {
                let u1 = unit(pos + 16)?;
                (0xDC00..=0xDFFF)
                    .contains(&u1)
                    .then(|| (0x10000 + ((u0 - 0xD800) << 10) + (u1 - 0xDC00), 32))
            }
            0xDC00..=0xDFFF => None,
            _ => Some((u0, 16)),
        }
    }

    /// The UTF-32 character at `pos` and its size in bits.
    pub fn read_utf32(&self, pos: usize, little: bool) -> Option<(u32, usize)> {
        match self.read_int(pos, 32, little, false)? {
            Int::Small(v) if valid_code_point(v) => Some((v as u32, 32)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(w: &BitWriter) -> Bits<'_> {
        Bits {
            bytes: w.bytes(),
            bit_offset: 0,
            bit_size: w.bit_len(),
        }
    }

    #[test]
    fn integers_as_beam_lays_them_out() {
        // <<16#abc:12/little>> = <<188,10:4>>; <<-1:70/little>> on erl.
        let mut w = BitWriter::default();
        w.put_int(&Int::Small(0xabc), 12, true);
        assert_eq!((w.bytes(), w.bit_len()), (&[188, 0xa0][..], 12));
        let mut w = BitWriter::default();
        w.put_int(&Int::Small(-1), 70, true);
        assert_eq!(w.bytes(), &[255, 255, 255, 255, 255, 255, 255, 255, 0xFC]);
        let mut w = BitWriter::default();
        w.put_int(&Int::Small(5), 3, false);
        w.put_int(&Int::Small(0x1ff), 9, false);
        assert_eq!(w.bytes(), &[0b1011_1111, 0b1111_0000]);
        let b = bits(&w);
        assert_eq!(b.read_int(0, 3, false, true), Some(Int::Small(-3)));
        assert_eq!(b.read_int(3, 9, false, false), Some(Int::Small(0x1ff)));
        assert_eq!(b.read_int(3, 10, false, false), None);
    }

    #[test]
    fn big_integers_round_trip() {
        let v = -(IBig::from(1u8) << 100) + IBig::from(12345u32);
        for little in [false, true] {
            let mut w = BitWriter::default();
            w.push_bits(0x80, 1);
            w.put_int(&Int::Big(v.clone()), 107, little);
            let got = bits(&w).read_int(1, 107, little, true);
            assert_eq!(got, Some(Int::Big(v.clone())));
        }
    }

    #[test]
    fn small_integers_round_trip_at_every_offset() {
        for size in 1..=63usize {
            let half = 1i64 << (size - 1);
            for (k, little) in [(0, false), (1, true), (2, false), (3, true)] {
                let raw = (0x5A5A_1234_89AB_CDEFu64.rotate_left(k * 7) >> (64 - size)) as i64;
                for offset in 0..8 {
                    let mut w = BitWriter::default();
                    w.push_bits(0xFF, offset);
                    let signed = raw - half;
                    w.put_int(&Int::Small(signed), size, little);
                    w.put_int(&Int::Small(raw), size, little);
                    w.push_bits(0xFF, 8);
                    let b = bits(&w);
                    assert_eq!(
                        b.read_int(offset, size, little, true),
                        Some(Int::Small(signed)),
                        "{size} {offset} {little}"
                    );
                    assert_eq!(
                        b.read_int(offset + size, size, little, false),
                        Some(Int::Small(raw)),
                        "{size} {offset} {little}"
                    );
                }
            }
        }
    }

    #[test]
    fn half_floats_as_beam() {
        // erl: <<1.5:16/float>> = <<62,0>>, 1.0e10 -> <<124,0>>,
        // 65504.0 -> <<123,255>> (max), 65520.0 -> <<124,0>>, 1.0e-8 -> <<0,0>>.
        assert_eq!(f64_to_f16(1.5), 0x3E00);
        assert_eq!(f64_to_f16(1.0e10), 0x7C00);
        assert_eq!(f64_to_f16(65504.0), 0x7BFF);
        assert_eq!(f64_to_f16(65520.0), 0x7C00);
        assert_eq!(f64_to_f16(1.0e-8), 0);
        assert_eq!(f16_to_f64(0x3E00), 1.5);
        assert_eq!(f16_to_f64(1), 2f64.powi(-24));
        assert_eq!(f64_to_f16(2f64.powi(-24)), 1);
    }

    #[test]
    fn utf_decoding_rejects_bad_input() {
        let mk = |b: &'static [u8]| Bits {
            bytes: b,
            bit_offset: 0,
            bit_size: b.len() * 8,
        };
        assert_eq!(mk("é".as_bytes()).read_utf8(0), Some((0xE9, 16)));
        assert_eq!(mk(&[0xC0, 0x80]).read_utf8(0), None);
        assert_eq!(mk(&[0xED, 0xA0, 0x80]).read_utf8(0), None);
        assert_eq!(mk(&[0xE2, 0x82]).read_utf8(0), None);
        assert_eq!(
            mk(&[0xD8, 0x3D, 0xDE, 0x00]).read_utf16(0, false),
            Some((0x1F600, 32))
        );
        assert_eq!(mk(&[0xDC, 0x00]).read_utf16(0, false), None);
        assert_eq!(mk(&[0, 0x11, 0, 0]).read_utf32(0, false), None);
    }
}
