//! The pre-OTP 25 construction instructions, which `.beam` files from
//! older compilers hold: `bs_init2`/`bs_init_bits` (or `bs_append`/
//! `bs_private_append`) make the result term, sized by `bs_add` and
//! `bs_utf8_size`/`bs_utf16_size`, and the `bs_put_*` instructions that
//! follow write its bits in place (`enigma_vm::term::construct`).
//! A segment is checked and encoded as `bs_create_bin` does
//! (`bs_build`); a failure jumps to the fail label or raises `badarg`.

use enigma_vm::code::instr::{BsKind, BsSegment};
use enigma_vm::code::{Fail, Instr, Reg, Span, Src};
use enigma_vm::exception::Exception;
use enigma_vm::term::binary::{BinaryBuf, Bits};
use enigma_vm::term::bits::BitWriter;
use enigma_vm::term::construct::Construction;
use enigma_vm::term::Term;

use super::bs_build::seg_bits;
use crate::run::{Run, Step};

/// A segment put by one `bs_put_*` instruction.
pub(crate) struct Put {
    pub fail: Fail,
    pub kind: BsKind,
    pub size: Option<Src>,
    pub unit: u32,
    pub flags: u32,
    pub src: Src,
    pub string: Span,
}

impl Run<'_> {
    /// Jumps to `fail` when it is a label, else raises `e`.
    fn old_fail(&mut self, fail: Fail, e: Exception) -> Step {
        match fail.target() {
            Some(t) => {
                self.goto(t);
                Ok(())
            }
            None => Err(e.into()),
        }
    }

    /// `bs_init2` (`unit` 8: the size is in bytes) and `bs_init_bits`
    /// (`unit` 1).
    pub(crate) fn bs_init(&mut self, fail: Fail, size: Src, unit: u32, dst: Reg) -> Step {
        let bits = match seg_bits(self.get(size), unit) {
            Ok(b) => b,
            Err(e) => return self.old_fail(fail, e),
        };
        match self.start_construction(&[], 0, None, bits, false) {
            Some(t) => {
                self.set(dst, t);
                Ok(())
            }
            None => self.old_fail(fail, Exception::system_limit()),
        }
    }

    /// The result term of a construction of `base` (`base_len` bytes of a
    /// new buffer, writable when `append`), then `prefix` (bits copied),
    /// then `bits` more bits; the
    /// construction becomes the process's current one.
    fn start_construction(
        &mut self,
        base: &[u8],
        prefix_bits: usize,
        prefix: Option<Bits>,
        bits: usize,
        append: bool,
    ) -> Option<Term> {
        let new_bytes = (prefix_bits + bits).div_ceil(8);
        let total = base.len() + new_bytes;
        // An append makes a writable buffer of BEAM's size (so appending in
        // a loop stays linear); `bs_init2` a binary of the bytes asked for.
        let capacity = if append {
            BinaryBuf::append_capacity(total)
        } else {
            total
        };
        let buf = BinaryBuf::with_capacity(base, capacity)
            .or_else(|| BinaryBuf::with_capacity(base, total))?;
        let claim = buf.claim(base.len(), new_bytes)?;
        if !append {
            buf.seal();
        }
        self.p.construction = Some(Box::new(Construction::new(
            claim,
            prefix,
            prefix_bits + bits,
        )));
        Some(self.construction_term(buf, base.len() * 8 + prefix_bits + bits))
    }

    /// A view of the first `bits` bits of `buf`.
    fn construction_term(&mut self, buf: std::sync::Arc<BinaryBuf>, bits: usize) -> Term {
        let whole = self.p.heap.refc_view(buf, bits.div_ceil(8));
        if bits.is_multiple_of(8) {
            whole
        } else {
            self.p.heap.sub_binary(whole, 0, bits)
        }
    }

    /// `bs_append` and `bs_private_append`: `bin` followed by `size` bits
    /// to be put; `bin`'s size must be a multiple of `unit`. Appended in
    /// place when `bin` ends its buffer's claimed bytes, as `bs_create_bin`
    /// appends.
    pub(crate) fn bs_append_old(
        &mut self,
        fail: Fail,
        size: Src,
        unit: u32,
        bin: Src,
        dst: Reg,
    ) -> Step {
        let bits = match seg_bits(self.get(size), 1) {
            Ok(b) => b,
            Err(e) => return self.old_fail(fail, e),
        };
        let b = self.get(bin);
        let Some(have) = b.as_bits() else {
            return self.old_fail(fail, Exception::badarg());
        };
        if unit > 1 && !have.bit_size.is_multiple_of(unit as usize) {
            return self.old_fail(fail, Exception::badarg());
        }
        let new_bytes = bits.div_ceil(8);
        if let (Some((buf, len)), true) = (b.as_refc_buf(), have.bit_size.is_multiple_of(8)) {
            if let Some(claim) = buf.claim(len, new_bytes) {
                self.p.construction = Some(Box::new(Construction::new(claim, None, bits)));
                let t = self.construction_term(buf, len * 8 + bits);
                self.set(dst, t);
                return Ok(());
            }
        }
        let whole = have.bit_size / 8 * 8;
        let base = have.slice(0, whole).map(|s| s.to_vec()).unwrap_or_default();
        let prefix = have.slice(whole, have.bit_size - whole);
        match self.start_construction(&base, have.bit_size - whole, prefix, bits, true) {
            Some(t) => {
                self.set(dst, t);
                Ok(())
            }
            None => self.old_fail(fail, Exception::system_limit()),
        }
    }

    /// `bs_put_integer/binary/float/string/utf8/utf16/utf32`.
    pub(crate) fn bs_put(&mut self, put: &Put) -> Step {
        let size = put
            .size
            .filter(|&s| self.get(s) != Term::atom(enigma_vm::atom::Atom::ALL));
        let seg = BsSegment {
            kind: put.kind,
            segment: 1,
            unit: put.unit,
            flags: put.flags,
            value: put.src,
            size,
            string: put.string,
        };
        let mut w = BitWriter::default();
        let written = self
            .segment_bits(&seg)
            .map_err(|(e, _, _)| e)
            .and_then(|bits| self.write_segment(&mut w, &seg, bits));
        if let Err(e) = written {
            return self.old_fail(put.fail, e);
        }
        let fits = match self.p.construction.as_mut() {
            Some(c) => c.put(w.bits()),
            None => false,
        };
        if fits {
            Ok(())
        } else {
            self.old_fail(put.fail, Exception::badarg())
        }
    }

    /// `bs_add`: `a + b * unit`, both non-negative integers.
    pub(crate) fn bs_add(&mut self, fail: Fail, a: Src, b: Src, unit: u32, dst: Reg) -> Step {
        let sum = seg_bits(self.get(a), 1).and_then(|a| {
            let b = seg_bits(self.get(b), unit)?;
            Ok(Term::small((a + b) as i64))
        });
        match sum {
            Ok(t) => {
                self.set(dst, t);
                Ok(())
            }
            Err(e) => self.old_fail(fail, e),
        }
    }

    /// `bs_utf8_size` (`utf16` false) and `bs_utf16_size`: the bytes the
    /// character takes; what is not a character gets 4, as on BEAM (the
    /// put that follows rejects it).
    pub(crate) fn bs_utf_size(&mut self, src: Src, utf16: bool, dst: Reg) {
        let n = match (self.get(src).as_small(), utf16) {
            (Some(0..0x80), false) => 1,
            (Some(0x80..0x800), false) => 2,
            (Some(0x800..0x10000), false) => 3,
            (Some(0..0x10000), true) => 2,
            _ => 4,
        };
        self.set(dst, Term::small(n));
    }
}

impl Run<'_> {
    /// Runs one of this module's instructions (`run.rs` hands them over).
    pub(crate) fn bs_old(&mut self, instr: &Instr) -> Step {
        let put = |fail, kind, size, unit, flags, src| Put {
            fail,
            kind,
            size,
            unit,
            flags,
            src,
            string: Span { start: 0, len: 0 },
        };
        let utf = |fail, kind, flags, src| put(fail, kind, None, 1, flags, src);
        match *instr {
            Instr::BsInit2 {
                fail, size, dst, ..
            } => self.bs_init(fail, size, 8, dst),
            Instr::BsInitBits {
                fail, size, dst, ..
            } => self.bs_init(fail, size, 1, dst),
            Instr::BsAdd {
                fail,
                a,
                b,
                unit,
                dst,
            } => self.bs_add(fail, a, b, unit, dst),
            Instr::BsAppend(ref op) => {
                self.bs_append_old(op.fail, op.size, op.unit, op.bin, op.dst)
            }
            Instr::BsPrivateAppend {
                fail,
                size,
                unit,
                bin,
                dst,
                ..
            } => self.bs_append_old(fail, size, unit, bin, dst),
            Instr::BsPutInteger {
                fail,
                size,
                unit,
                flags,
                src,
            } => self.bs_put(&put(fail, BsKind::Integer, Some(size), unit, flags, src)),
            Instr::BsPutBinary {
                fail,
                size,
                unit,
                flags,
                src,
            } => self.bs_put(&put(fail, BsKind::Binary, Some(size), unit, flags, src)),
            Instr::BsPutFloat {
                fail,
                size,
                unit,
                flags,
                src,
            } => self.bs_put(&put(fail, BsKind::Float, Some(size), unit, flags, src)),
            Instr::BsPutString { string } => self.bs_put(&Put {
                string,
                ..put(
                    Fail::NONE,
                    BsKind::String,
                    None,
                    8,
                    0,
                    Src::constant(Term::NIL),
                )
            }),
            Instr::BsPutUtf8 { fail, flags, src } => {
                self.bs_put(&utf(fail, BsKind::Utf8, flags, src))
            }
            Instr::BsPutUtf16 { fail, flags, src } => {
                self.bs_put(&utf(fail, BsKind::Utf16, flags, src))
            }
            Instr::BsPutUtf32 { fail, flags, src } => {
                self.bs_put(&utf(fail, BsKind::Utf32, flags, src))
            }
            Instr::BsUtf8Size { src, dst, .. } => {
                self.bs_utf_size(src, false, dst);
                Ok(())
            }
            Instr::BsUtf16Size { src, dst, .. } => {
                self.bs_utf_size(src, true, dst);
                Ok(())
            }
            _ => self.unsupported(instr),
        }
    }
}
