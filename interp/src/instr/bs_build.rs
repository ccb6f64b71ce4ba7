//! Binary construction: `bs_create_bin`. Segments are checked and sized
//! first (BEAM raises before building anything), then written with
//! `enigma_vm::term::bits::BitWriter`.

use enigma_vm::code::instr::{BsCreateBin, BsKind, BsSegment};
use enigma_vm::exception::Exception;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::bits::{valid_code_point, BitWriter};
use enigma_vm::term::Term;

use crate::run::{Run, Step};

/// `BSF_LITTLE`.
pub const LITTLE: u32 = 2;
/// `BSF_SIGNED`.
pub const SIGNED: u32 = 4;
/// `BSF_NATIVE`.
pub const NATIVE: u32 = 16;

/// The largest bitstring built: 2^35 bits (4 GiB); beyond it
/// `system_limit` (BEAM tries to allocate and may abort).
pub const MAX_BITS: usize = 1 << 35;

/// Are segments with these flags little-endian?
pub fn little(flags: u32) -> bool {
    flags & LITTLE != 0 || (flags & NATIVE != 0 && cfg!(target_endian = "little"))
}

/// A segment's size in bits: `size * unit`; `badarg` for a size that is not
/// a non-negative integer, `system_limit` beyond [`MAX_BITS`].
pub fn seg_bits(size: Term, unit: u32) -> Result<usize, Exception> {
    match size.as_int() {
        Some(Int::Small(n)) if n >= 0 => (n as usize)
            .checked_mul(unit as usize)
            .filter(|&b| b <= MAX_BITS)
            .ok_or_else(Exception::system_limit),
        Some(Int::Big(_)) if !size.is_negative_big() => Err(Exception::system_limit()),
        _ => Err(Exception::badarg()),
    }
}

impl Run<'_> {
    /// `bs_create_bin`.
    pub(crate) fn bs_create_bin(&mut self, op: &BsCreateBin) -> Step {
        match self.build_binary(&op.segments) {
            Ok(t) => {
                self.set(op.dst, t);
                Ok(())
            }
            Err(e) => match op.fail.target() {
                Some(t) => {
                    self.pc = t;
                    Ok(())
                }
                None => Err(e.into()),
            },
        }
    }

    fn build_binary(&mut self, segs: &[BsSegment]) -> Result<Term, Exception> {
        let mut total = 0usize;
        let mut sizes = Vec::with_capacity(segs.len());
        for s in segs {
            let bits = self.segment_bits(s)?;
            total = total
                .checked_add(bits)
                .filter(|&t| t <= MAX_BITS)
                .ok_or_else(Exception::system_limit)?;
            sizes.push(bits);
        }
        let mut w = BitWriter::with_capacity(total).ok_or_else(Exception::system_limit)?;
        for (s, &bits) in segs.iter().zip(&sizes) {
            self.write_segment(&mut w, s, bits)?;
        }
        Ok(self.p.heap.bitstring(w.bytes(), w.bit_len()))
    }

    /// The bits segment `s` writes, checking its value as BEAM does.
    fn segment_bits(&self, s: &BsSegment) -> Result<usize, Exception> {
        let v = self.get(s.value);
        let size = s.size.map(|sz| self.get(sz));
        let cp = || match v.as_small() {
            Some(c) if valid_code_point(c) => Ok(c as u32),
            _ => Err(Exception::badarg()),
        };
        Ok(match s.kind {
            BsKind::Integer => {
                let bits = seg_bits(size.ok_or_else(Exception::badarg)?, s.unit)?;
                if !v.is_integer() {
                    return Err(Exception::badarg());
                }
                bits
            }
            BsKind::Float => {
                let bits = seg_bits(size.ok_or_else(Exception::badarg)?, s.unit)?;
                if !matches!(bits, 16 | 32 | 64) || float_value(v).is_none() {
                    return Err(Exception::badarg());
                }
                bits
            }
            BsKind::Binary | BsKind::Append | BsKind::PrivateAppend => {
                let have = v.as_bits().ok_or_else(Exception::badarg)?.bit_size;
                match size {
                    Some(sz) if s.kind == BsKind::Binary => {
                        let bits = seg_bits(sz, s.unit)?;
                        if bits > have {
                            return Err(Exception::badarg());
                        }
                        bits
                    }
                    _ if s.unit > 1 && !have.is_multiple_of(s.unit as usize) => {
                        return Err(Exception::badarg())
                    }
                    _ => have,
                }
            }
            BsKind::Utf8 => match cp()? {
                c if c < 0x80 => 8,
                c if c < 0x800 => 16,
                c if c < 0x10000 => 24,
                _ => 32,
            },
            BsKind::Utf16 => {
                if cp()? < 0x10000 {
                    16
                } else {
                    32
                }
            }
            BsKind::Utf32 => cp().map(|_| 32)?,
            BsKind::String => 8 * s.string.len as usize,
        })
    }

    fn write_segment(
        &self,
        w: &mut BitWriter,
        s: &BsSegment,
        bits: usize,
    ) -> Result<(), Exception> {
        let v = self.get(s.value);
        let le = little(s.flags);
        match s.kind {
            BsKind::Integer => {
                let i = v.as_int().ok_or_else(Exception::badarg)?;
                w.put_int(&i, bits, le);
            }
            BsKind::Float => {
                let f = float_value(v).ok_or_else(Exception::badarg)?;
                if !w.put_float(f, bits, le) {
                    return Err(Exception::badarg());
                }
            }
            BsKind::Binary | BsKind::Append | BsKind::PrivateAppend => {
                let b = v.as_bits().ok_or_else(Exception::badarg)?;
                w.put_bits(b.slice(0, bits).ok_or_else(Exception::badarg)?);
            }
            BsKind::Utf8 | BsKind::Utf16 | BsKind::Utf32 => {
                let c = v.as_small().ok_or_else(Exception::badarg)? as u32;
                match s.kind {
                    BsKind::Utf8 => w.put_utf8(c),
                    BsKind::Utf16 => w.put_utf16(c, le),
                    _ => w.put_utf32(c, le),
                }
            }
            BsKind::String => {
                let bytes = self
                    .m
                    .strings
                    .get(s.string.range())
                    .ok_or_else(Exception::badarg)?;
                w.put_bytes(bytes);
            }
        }
        Ok(())
    }
}

/// A float segment's value: a float, or an integer whose conversion is
/// finite.
fn float_value(v: Term) -> Option<f64> {
    if let Some(f) = v.as_float() {
        return Some(f);
    }
    let f = v.as_int()?.to_f64();
    f.is_finite().then_some(f)
}
