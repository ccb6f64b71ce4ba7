//! The NIFs of OTP's `asn1` runtime (`asn1rt_nif`) that BER codecs call:
//! `decode_ber_tlv_raw/1` and `encode_ber_tlv/1`, on which every module
//! `asn1ct` compiles with `ber` runs (`public_key`'s certificate and key
//! decoding among them). They work on the TLV form `{Tag, Value}`: `Tag`
//! is the class shifted left by 16 (`0`, `16#10000`, `16#20000`,
//! `16#30000`) plus the tag number, `Value` a binary (primitive) or a
//! list of TLVs (constructed). Results and errors are those of the C
//! library (`asn1_erl_nif.c`): decoding answers `{Tlv, Rest}` or
//! `{error, {invalid_tag | invalid_length | invalid_value | unknown,
//! Position}}`, encoding a binary or `{error, -1}`.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::{Heap, Kind, Term};

use crate::bif::arg::{arity, entry};
use crate::bif::helpers::{atom, iodata_bytes};

/// The `asn1rt_nif` NIFs.
pub const TABLE: &[BifEntry] = &[
    e("decode_ber_tlv_raw", 1, decode_ber_tlv_raw_1),
    e("encode_ber_tlv", 1, encode_ber_tlv_1),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("asn1rt_nif", name, arity, f)
}

/// Why decoding failed (the C library's codes).
#[derive(Debug, Clone, Copy)]
enum DecodeError {
    Tag,
    Length,
    Value,
    /// Nesting deeper than the library's stack allows.
    Unknown,
}

impl DecodeError {
    fn name(self) -> &'static str {
        match self {
            DecodeError::Tag => "invalid_tag",
            DecodeError::Length => "invalid_length",
            DecodeError::Value => "invalid_value",
            DecodeError::Unknown => "unknown",
        }
    }
}

/// A decoded TLV.
enum Tlv<'a> {
    Primitive(u32, &'a [u8]),
    Constructed(u32, Vec<Tlv<'a>>),
}

/// The nesting level (0 outermost) whose value the decoder refuses: the C
/// decoder stops when its recursion has used 64 KB of stack, which OTP
/// 25's x86-64 build reaches at this level (`unknown`, at the value's
/// length octets).
const DECODE_DEPTH: usize = 585;

/// The deepest nesting encoded (the C encoder recurses without a bound).
const ENCODE_DEPTH: usize = 10_000;

/// A BER decoder over a buffer; `at` is where it reads, and where an error
/// is reported.
struct Decoder<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    /// One TLV from `at`, reading no further than `end`.
    fn tlv(&mut self, end: usize, depth: usize) -> Result<Tlv<'a>, DecodeError> {
        if self.at + 2 > end {
            return Err(DecodeError::Value);
        }
        let (tag, constructed) = self.tag(end)?;
        if self.at >= end {
            return Err(DecodeError::Tag);
        }
        self.value(tag, constructed, end, depth)
    }

    /// The identifier octets: the tag and whether the value is constructed.
    fn tag(&mut self, end: usize) -> Result<(u32, bool), DecodeError> {
        let first = self.buf[self.at];
        let class = u32::from(first & 0xc0) << 10;
        let constructed = first & 0x20 != 0;
        let low = u32::from(first & 0x1f);
        if low < 31 {
            self.at += 1;
            return Ok((class | low, constructed));
        }
        // A long tag number: at most two more octets (numbers below 2^14).
        if self.at + 3 > end {
            return Err(DecodeError::Value);
        }
        self.at += 1;
        let mut number = 0;
        if self.buf[self.at] >= 128 {
            number = u32::from(self.buf[self.at] & 0x7f) << 7;
            self.at += 1;
        }
        let last = self.buf[self.at];
        if last >= 128 {
            return Err(DecodeError::Tag);
        }
        self.at += 1;
        Ok((class | number | u32::from(last), constructed))
    }

    /// The length and contents octets of a TLV whose tag was read.
    fn value(
        &mut self,
        tag: u32,
        constructed: bool,
        end: usize,
        depth: usize,
    ) -> Result<Tlv<'a>, DecodeError> {
        if depth >= DECODE_DEPTH {
            return Err(DecodeError::Unknown);
        }
        let first = self.buf[self.at];
        let len = if first & 0x80 == 0 {
            usize::from(first)
        } else if first == 0x80 {
            return self.indefinite(tag, constructed, end, depth);
        } else {
            let octets = usize::from(first & 0x7f);
            if octets > end - (self.at + 1) {
                return Err(DecodeError::Length);
            }
            let mut len: usize = 0;
            for _ in 0..octets {
                self.at += 1;
                if len >= 1 << 24 {
                    return Err(DecodeError::Length);
                }
                len = (len << 8) + usize::from(self.buf[self.at]);
            }
            len
        };
        if len > end - (self.at + 1) {
            return Err(DecodeError::Value);
        }
        self.at += 1;
        let stop = self.at + len;
        if constructed {
            let mut items = Vec::new();
            while self.at < stop {
                items.push(self.tlv(stop, depth + 1)?);
            }
            Ok(Tlv::Constructed(tag, items))
        } else {
            self.at = stop;
            Ok(Tlv::Primitive(tag, &self.buf[stop - len..stop]))
        }
    }

    /// An indefinite length: TLVs up to two zero octets.
    fn indefinite(
        &mut self,
        tag: u32,
        constructed: bool,
        end: usize,
        depth: usize,
    ) -> Result<Tlv<'a>, DecodeError> {
        self.at += 1;
        if self.at + 1 >= end || !constructed {
            return Err(DecodeError::Length);
        }
        let mut items = Vec::new();
        while !(self.buf[self.at] == 0 && self.buf[self.at + 1] == 0) {
            items.push(self.tlv(end, depth + 1)?);
            if self.at + 1 >= end {
                return Err(DecodeError::Length);
            }
        }
        self.at += 2;
        Ok(Tlv::Constructed(tag, items))
    }
}

/// Builds the term of a decoded TLV, children first (its nesting is
/// below `DECODE_DEPTH`).
fn build(heap: &mut Heap, tlv: &Tlv<'_>) -> Term {
    match tlv {
        Tlv::Primitive(tag, bytes) => {
            let value = heap.binary(bytes);
            heap.tuple(&[Term::small(i64::from(*tag)), value])
        }
        Tlv::Constructed(tag, items) => {
            let terms: Vec<Term> = items.iter().map(|t| build(heap, t)).collect();
            let value = heap.list(&terms);
            heap.tuple(&[Term::small(i64::from(*tag)), value])
        }
    }
}

/// `asn1rt_nif:decode_ber_tlv_raw(Bytes)`: the first TLV of an iolist and
/// the bytes after it.
fn decode_ber_tlv_raw_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [input] = arity(args)?;
    let bytes = iodata_bytes(input).ok_or_else(Exception::badarg)?;
    let mut d = Decoder { buf: &bytes, at: 0 };
    match d.tlv(bytes.len(), 0) {
        Ok(tlv) => {
            let term = build(&mut p.heap, &tlv);
            let rest = p.heap.binary(&bytes[d.at..]);
            Ok(p.heap.tuple(&[term, rest]))
        }
        Err(why) => {
            let pos = Term::small(d.at as i64);
            let reason = p.heap.tuple(&[atom(why.name())?, pos]);
            Ok(p.heap.tuple(&[atom("error")?, reason]))
        }
    }
}

/// Appends a BER length.
fn put_length(out: &mut Vec<u8>, len: usize) {
    if len < 128 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends the identifier octets of `tag` (class in bits 16-17, number in
/// the low 16 bits; other bits are ignored, as the C encoder does).
fn put_tag(out: &mut Vec<u8>, tag: u32, constructed: bool) {
    let head = (if constructed { 0x20 } else { 0 }) | ((tag & 0x30000) >> 10) as u8;
    let number = tag & 0xffff;
    if number <= 30 {
        out.push(head | number as u8);
        return;
    }
    out.push(head | 0x1f);
    let mut groups = Vec::new();
    let mut n = number;
    while n > 0 {
        groups.push((n & 0x7f) as u8);
        n >>= 7;
    }
    for (i, g) in groups.iter().enumerate().rev() {
        out.push(if i > 0 { g | 0x80 } else { *g });
    }
}

/// Encodes `{Tag, Value}` onto `out`; `None` for what is no TLV.
fn encode(out: &mut Vec<u8>, t: Term, depth: usize) -> Option<()> {
    if depth > ENCODE_DEPTH {
        return None;
    }
    let tuple = t.as_tuple().filter(|t| t.len() >= 2)?;
    let (tag, value) = (tuple.get(0)?, tuple.get(1)?);
    let tag = tag.as_small().and_then(|n| u32::try_from(n).ok())?;
    if value.is_nil() || value.kind() == Kind::List {
        let mut body = Vec::new();
        for item in value.proper_list()? {
            encode(&mut body, item, depth + 1)?;
        }
        put_tag(out, tag, true);
        put_length(out, body.len());
        out.extend_from_slice(&body);
    } else {
        let bytes = value.as_binary()?;
        put_tag(out, tag, false);
        put_length(out, bytes.len());
        out.extend_from_slice(bytes);
    }
    Some(())
}

/// `asn1rt_nif:encode_ber_tlv(Tlv)`: the BER encoding of a TLV, or
/// `{error, -1}`.
fn encode_ber_tlv_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [tlv] = arity(args)?;
    let mut out = Vec::new();
    match encode(&mut out, tlv, 0) {
        Some(()) => Ok(p.heap.binary(&out)),
        None => Ok(p.heap.tuple(&[atom("error")?, Term::small(-1)])),
    }
}
