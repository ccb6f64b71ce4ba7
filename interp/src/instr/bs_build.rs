//! Binary construction: `bs_create_bin`. Segments are checked and sized
//! first (BEAM raises before building anything), then written with
//! `enigma_vm::term::bits::BitWriter`. The checks run in BEAM's order, so
//! that the error cause names the segment BEAM's names when several are
//! bad: explicit sizes and `utf32` values first, then the values of
//! size-less `binary`/`bitstring` segments (from the last), then the rest
//! segment by segment ([`Run::early_checks`]).

use enigma_vm::atom::Atom;
use enigma_vm::code::instr::{BsCreateBin, BsKind, BsSegment};
use enigma_vm::exception::Exception;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::binary::{BinaryBuf, Bits};
use enigma_vm::term::bits::{valid_code_point, BitWriter};
use enigma_vm::term::Term;
use smallvec::SmallVec;

use crate::instr::except::Head;
use crate::run::{Run, Step, Stop};

/// Why a segment cannot be built: the exception and BEAM's error cause
/// `{Segment, Type, Error, Value}` (`erl_erts_errors:format_bs_fail/2`).
struct SegError {
    exc: Exception,
    segment: u32,
    ty: &'static str,
    error: &'static str,
    value: Term,
}

/// `BSF_LITTLE`.
pub const LITTLE: u32 = 2;
/// `BSF_SIGNED`.
pub const SIGNED: u32 = 4;
/// `BSF_NATIVE`.
pub const NATIVE: u32 = 16;

/// The most bytes [`Run::append_whole_bytes`] appends at once (more take
/// the general path).
const APPEND_BYTES: usize = 64;

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
                    self.goto(t);
                    Ok(())
                }
                None => Err(self.seg_error(e)),
            },
        }
    }

    /// The exception for a failed construction, its stack trace headed by
    /// the current function with BEAM's `error_info`.
    fn seg_error(&mut self, e: SegError) -> Stop {
        let atoms = [
            "cause",
            "function",
            "module",
            "format_bs_fail",
            "erl_erts_errors",
            e.ty,
            e.error,
        ]
        .map(Atom::intern);
        let [Ok(cause), Ok(function), Ok(module), Ok(fmt), Ok(errs), Ok(ty), Ok(error)] = atoms
        else {
            return Stop::Raise(e.exc, Head::Current);
        };
        let c = self.p.heap.tuple(&[
            Term::small(e.segment as i64),
            Term::atom(ty),
            Term::atom(error),
            e.value,
        ]);
        let info = self.p.heap.map_from_pairs(&[
            (Term::atom(cause), c),
            (Term::atom(function), Term::atom(fmt)),
            (Term::atom(module), Term::atom(errs)),
        ]);
        match self.current_frame_with_info(info) {
            Some(f) => Stop::Raise(e.exc, Head::FrameThenStack(f)),
            None => Stop::Raise(e.exc, Head::Current),
        }
    }

    fn build_binary(&mut self, segs: &[BsSegment]) -> Result<Term, SegError> {
        if let Some(t) = self.append_whole_bytes(segs) {
            return Ok(t);
        }
        self.early_checks(segs)?;
        let mut total = 0usize;
        let mut sizes: SmallVec<[usize; 8]> = SmallVec::with_capacity(segs.len());
        for s in segs {
            let fail = |exc: Exception, error, value| seg_error(s, exc, error, value);
            let bits = self
                .segment_bits(s)
                .map_err(|(exc, error, value)| fail(exc, error, value))?;
            total = total
                .checked_add(bits)
                .filter(|&t| t <= MAX_BITS)
                .ok_or_else(|| fail(Exception::system_limit(), "size", self.get(s.value)))?;
            sizes.push(bits);
        }
        // `<<Bin/bitstring, ...>>`: append the rest in place when the
        // buffer allows (see `append_bytes` and `append_bits`).
        let base = segs
            .first()
            .filter(|s| matches!(s.kind, BsKind::Append | BsKind::PrivateAppend))
            .map(|s| self.get(s.value))
            .filter(|b| b.as_bits().is_some());
        let rest_bits = total - sizes.first().copied().unwrap_or(0);
        if let Some(base) = base {
            let w = self.write_segments(&segs[1..], &sizes[1..], rest_bits)?;
            let private = segs[0].kind == BsKind::PrivateAppend;
            let done = if rest_bits.is_multiple_of(8) && base.as_binary().is_some() {
                self.append_bytes(base, w.bytes(), private)
            } else {
                self.append_bits(base, w.bits(), private)
            };
            return done.ok_or_else(out_of_memory);
        }
        let w = self.write_segments(segs, &sizes, total)?;
        Ok(self.p.heap.bitstring(w.bytes(), w.bit_len()))
    }

    /// The checks BEAM makes while it sizes the binary, before it looks at
    /// other values: every explicit size and `utf32` value in segment
    /// order (with the total's `system_limit`), then the type of every
    /// size-less `binary`/`bitstring` value, last segment first (erl names
    /// the later of two such bad segments).
    fn early_checks(&self, segs: &[BsSegment]) -> Result<(), SegError> {
        let mut total = 0usize;
        for s in segs {
            let explicit = match s.kind {
                BsKind::Integer | BsKind::Float | BsKind::Binary => s.size,
                _ => None,
            };
            if let Some(sz) = explicit.map(|sz| self.get(sz)) {
                let bits = seg_bits(sz, s.unit).map_err(|exc| seg_error(s, exc, "size", sz))?;
                total = total
                    .checked_add(bits)
                    .filter(|&t| t <= MAX_BITS)
                    .ok_or_else(|| {
                        seg_error(s, Exception::system_limit(), "size", self.get(s.value))
                    })?;
            }
            let v = self.get(s.value);
            if s.kind == BsKind::Utf32 && !v.as_small().is_some_and(valid_code_point) {
                return Err(seg_error(s, Exception::badarg(), "type", v));
            }
        }
        for s in segs.iter().rev() {
            let sizeless = match s.kind {
                BsKind::Binary => s.size.is_none(),
                BsKind::Append | BsKind::PrivateAppend => true,
                _ => false,
            };
            let v = self.get(s.value);
            if sizeless && v.as_bits().is_none() {
                return Err(seg_error(s, Exception::badarg(), "type", v));
            }
        }
        Ok(())
    }

    /// The common append `<<Bin/binary, I:8, J:32/little, "str">>`: a
    /// binary followed by small integers of whole bytes and strings, which
    /// cannot fail, encoded straight into a small buffer. `None` for any
    /// other shape (the general path then checks and builds it).
    fn append_whole_bytes(&mut self, segs: &[BsSegment]) -> Option<Term> {
        let [first, rest @ ..] = segs else {
            return None;
        };
        if !matches!(first.kind, BsKind::Append | BsKind::PrivateAppend) {
            return None;
        }
        // `<<Bin/binary-unit:16, ...>>`: a base whose size is not a multiple
        // of the unit fails, which the general path reports.
        if first.unit > 1 {
            let have = self.get(first.value).as_bits()?.bit_size;
            if !have.is_multiple_of(first.unit as usize) {
                return None;
            }
        }
        // Each integer is stored as 8 bytes (one store), of which its `k`
        // count; the next segment overwrites the rest.
        let mut out = [0u8; APPEND_BYTES + 8];
        let mut n = 0;
        for s in rest {
            let bytes = match s.kind {
                BsKind::Integer => {
                    let bits = (self.get(s.size?).as_small()? as u64).checked_mul(s.unit as u64)?;
                    let k = bits as usize / 8;
                    if bits % 8 != 0 || k > 8 || n + k > APPEND_BYTES {
                        return None;
                    }
                    let v = self.get(s.value).as_small()?;
                    let word = if little(s.flags) {
                        v.to_le_bytes()
                    } else {
                        // The low `k` bytes, most significant first.
                        (v.checked_shl(64 - 8 * k as u32).unwrap_or(0)).to_be_bytes()
                    };
                    out[n..n + 8].copy_from_slice(&word);
                    k
                }
                BsKind::String => {
                    let string = self.m.strings.get(s.string.range())?;
                    out.get_mut(n..n + string.len())
                        .filter(|_| n + string.len() <= APPEND_BYTES)?
                        .copy_from_slice(string);
                    string.len()
                }
                _ => return None,
            };
            n += bytes;
        }
        let base = self.get(first.value);
        // In place first: the kind of append only matters for a new buffer.
        if let Some(t) = self.p.heap.append_in_place(base, &out[..n]) {
            return Some(t);
        }
        self.append_bytes(base, &out[..n], first.kind == BsKind::PrivateAppend)
    }

    fn write_segments(
        &self,
        segs: &[BsSegment],
        sizes: &[usize],
        total: usize,
    ) -> Result<BitWriter, SegError> {
        let mut w = BitWriter::with_capacity(total).ok_or_else(out_of_memory)?;
        for (s, &bits) in segs.iter().zip(sizes) {
            self.write_segment(&mut w, s, bits)
                .map_err(|exc| SegError {
                    exc,
                    segment: s.segment,
                    ty: type_name(s.kind),
                    error: "type",
                    value: self.get(s.value),
                })?;
        }
        Ok(w)
    }

    /// `base` (a binary) followed by `extra`. When `base` ends its buffer's
    /// claimed bytes and the buffer has room, `extra` is written in place
    /// (what makes building a binary by appending linear); otherwise the
    /// result gets a new buffer with room to grow (BEAM's size for it: see
    /// [`grown_capacity`]). `None` when memory runs out.
    fn append_bytes(&mut self, base: Term, extra: &[u8], private: bool) -> Option<Term> {
        if let Some(t) = self.p.heap.append_in_place(base, extra) {
            return Some(t);
        }
        if extra.is_empty() && base.as_binary().is_some() {
            // Nothing appended: BEAM returns the binary itself.
            return Some(base);
        }
        let old = base.as_binary()?;
        let n = old.len().checked_add(extra.len())?;
        let mut v = Vec::new();
        v.try_reserve_exact(n).ok()?;
        v.extend_from_slice(old);
        v.extend_from_slice(extra);
        // A writable buffer of BEAM's size, however small the result;
        // without the memory for it, at least the bytes themselves.
        let buf = BinaryBuf::with_capacity(&v, grown_capacity(n, private))
            .or_else(|| BinaryBuf::with_capacity(&v, n))?;
        Some(self.p.heap.refc_view(buf, n))
    }

    /// `base` (a bitstring) followed by `extra`, written in place when
    /// `base` is the claimed start of an off-heap buffer with room (see
    /// `BinaryBuf::try_append_bits`); otherwise the result gets a new
    /// buffer with room to grow, so appending bit by bit stays linear.
    /// `None` when memory runs out.
    fn append_bits(&mut self, base: Term, extra: Bits, private: bool) -> Option<Term> {
        if let Some((buf, at)) = base.as_refc_prefix() {
            if buf.try_append_bits(at, extra) {
                return Some(self.p.heap.refc_bits(buf, at + extra.bit_size));
            }
        }
        if extra.bit_size == 0 && base.is_bitstring() {
            return Some(base);
        }
        let old = base.as_bits()?;
        let total = old.bit_size.checked_add(extra.bit_size)?;
        let mut w = BitWriter::with_capacity(total)?;
        w.put_bits(old);
        w.put_bits(extra);
        let n = total.div_ceil(8);
        let buf = BinaryBuf::with_capacity_bits(w.bytes(), total, grown_capacity(n, private))
            .or_else(|| BinaryBuf::with_capacity_bits(w.bytes(), total, n))?;
        Some(self.p.heap.refc_bits(buf, total))
    }

    /// The bits segment `s` writes, checking its value as BEAM does; an
    /// error comes with BEAM's error kind and the offending value.
    pub(crate) fn segment_bits(
        &self,
        s: &BsSegment,
    ) -> Result<usize, (Exception, &'static str, Term)> {
        let v = self.get(s.value);
        let size = s.size.map(|sz| self.get(sz));
        let badarg = |error, t| (Exception::badarg(), error, t);
        let sized = |sz: Option<Term>| {
            let sz = sz.unwrap_or(Term::NIL);
            seg_bits(sz, s.unit).map_err(|e| (e, "size", sz))
        };
        let cp = || match v.as_small() {
            Some(c) if valid_code_point(c) => Ok(c as u32),
            _ => Err(badarg("type", v)),
        };
        Ok(match s.kind {
            BsKind::Integer => {
                let bits = sized(size)?;
                if !v.is_integer() {
                    return Err(badarg("type", v));
                }
                bits
            }
            BsKind::Float => {
                let bits = sized(size)?;
                if !matches!(bits, 16 | 32 | 64) {
                    return Err(badarg("invalid", Term::small(bits as i64)));
                }
                if !v.is_number() {
                    return Err(badarg("type", v));
                }
                if float_value(v).is_none() {
                    return Err(badarg("no_float", v));
                }
                bits
            }
            BsKind::Binary | BsKind::Append | BsKind::PrivateAppend => {
                let explicit = size.filter(|_| s.kind == BsKind::Binary);
                let bits = explicit.map(|sz| sized(Some(sz))).transpose()?;
                let have = v.as_bits().ok_or_else(|| badarg("type", v))?.bit_size;
                match bits {
                    Some(bits) if bits > have => return Err(badarg("short", v)),
                    Some(bits) => bits,
                    None if s.unit > 1 && !have.is_multiple_of(s.unit as usize) => {
                        return Err(badarg("unit", v))
                    }
                    None => have,
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

    pub(crate) fn write_segment(
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

/// The memory for the result cannot be had: `system_limit`, reported as
/// BEAM reports a binary too large to allocate.
fn out_of_memory() -> SegError {
    SegError {
        exc: Exception::system_limit(),
        segment: 1,
        ty: "binary",
        error: "size",
        value: Term::NIL,
    }
}

/// A failure of segment `s`.
fn seg_error(s: &BsSegment, exc: Exception, error: &'static str, value: Term) -> SegError {
    SegError {
        exc,
        segment: s.segment,
        ty: type_name(s.kind),
        error,
        value,
    }
}

/// A segment type's name in error causes.
fn type_name(kind: BsKind) -> &'static str {
    match kind {
        BsKind::Integer => "integer",
        BsKind::Float => "float",
        BsKind::Utf8 => "utf8",
        BsKind::Utf16 => "utf16",
        BsKind::Utf32 => "utf32",
        BsKind::String => "string",
        BsKind::Binary | BsKind::Append | BsKind::PrivateAppend => "binary",
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

/// The capacity BEAM gives the binary an append of `bytes` bytes in all
/// makes or grows to when the one appended to is not writable or full:
/// `private_append` (the buffer `bs_init_writable` made) grows it to twice
/// that, `append` makes a new one of twice that, at least 256
/// ([`BinaryBuf::append_capacity`]).
fn grown_capacity(bytes: usize, private: bool) -> usize {
    if private {
        bytes.saturating_mul(2)
    } else {
        BinaryBuf::append_capacity(bytes)
    }
}
