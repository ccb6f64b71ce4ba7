//! Encoding (`term_to_binary/1,2`), byte for byte as OTP 25 writes it.
//!
//! What OTP 25 writes, per `minor_version` (1 is the default):
//! - atoms: `ATOM_EXT` when every character is Latin-1, else
//!   `SMALL_ATOM_UTF8_EXT`/`ATOM_UTF8_EXT`; with `minor_version` 2 always
//!   the UTF-8 tags;
//! - floats: `FLOAT_EXT` (`%.20e`) with `minor_version` 0, else `NEW_FLOAT_EXT`;
//! - pids `NEW_PID_EXT`, references `NEWER_REFERENCE_EXT`, ports
//!   `NEW_PORT_EXT` (`V4_PORT_EXT` for numbers beyond 28 bits), whatever the
//!   minor version;
//! - lists of at most 65535 bytes `STRING_EXT`, other lists `LIST_EXT`.
//!
//! The walk keeps its own stack; lists and tuples are walked through a
//! cursor on that stack, so a long list costs one stack entry.

use ibig::ops::UnsignedAbs;
use ibig::UBig;

use super::{compress, tags, EtfError, LOCAL_CREATION, LOCAL_NODE};
use crate::atom::Atom;
use crate::term::bignum::Int;
use crate::term::binary::HEAP_BIN_LIMIT;
use crate::term::order::compare_exact;
use crate::term::{map, Kind, Term};

/// Longest list `STRING_EXT` holds.
const MAX_STRING_LEN: usize = 0xFFFF;
/// Port numbers above this need `V4_PORT_EXT`.
const MAX_V3_PORT_NUMBER: u64 = (1 << 28) - 1;

/// Options of `term_to_binary/2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// zlib level 0..=9; 0 means not compressed (`{compressed, 0}`).
    pub compression: u32,
    /// `{minor_version, 0 | 1 | 2}`.
    pub minor_version: u8,
    /// `deterministic`: map entries in map-key order (the order of
    /// `erts_internal:cmp_term/2`) instead of the map's internal order.
    pub deterministic: bool,
}

impl Default for EncodeOptions {
    /// `term_to_binary/1`: uncompressed, minor version 1.
    fn default() -> Self {
        EncodeOptions {
            compression: 0,
            minor_version: 1,
            deterministic: false,
        }
    }
}

impl EncodeOptions {
    /// The level the bare `compressed` option stands for.
    pub const DEFAULT_COMPRESSION: u32 = 6;

    /// `[compressed]`.
    pub fn compressed() -> EncodeOptions {
        EncodeOptions {
            compression: Self::DEFAULT_COMPRESSION,
            ..Default::default()
        }
    }
}

/// Encodes `term` as `term_to_binary/2` does with `opts`.
pub fn encode(term: Term, opts: &EncodeOptions) -> Result<Vec<u8>, EtfError> {
    if opts.compression > 9 {
        return Err(EtfError::Unencodable("compression level above 9"));
    }
    if opts.minor_version > 2 {
        return Err(EtfError::Unencodable("minor version above 2"));
    }
    let mut out = vec![tags::VERSION];
    Encoder {
        out: &mut out,
        minor: opts.minor_version,
        deterministic: opts.deterministic,
        splits: None,
    }
    .run(term)?;
    if opts.compression == 0 {
        return Ok(out);
    }
    // BEAM keeps the compressed form only if it is no longer than the plain
    // one: the zlib stream may take the plain length less the six bytes of
    // version, tag and size.
    let limit = out.len().saturating_sub(6);
    match compress::deflate(&out[1..], opts.compression, limit) {
        Some(z) => {
            let size = u32::try_from(out.len() - 1)
                .map_err(|_| EtfError::Unencodable("term over 4 GiB"))?;
            let mut c = Vec::with_capacity(6 + z.len());
            c.push(tags::VERSION);
            c.push(tags::COMPRESSED);
            c.extend_from_slice(&size.to_be_bytes());
            c.extend_from_slice(&z);
            Ok(c)
        }
        None => Ok(out),
    }
}

/// Large binaries left out of an [`encode_iovec`] encoding: each with the
/// offset where its whole bytes belong.
pub type Splits = Vec<(usize, Term)>;

/// Encodes `term` uncompressed as `term_to_iovec/2` does: the bytes of
/// every byte-aligned bitstring in it of more than [`HEAP_BIN_LIMIT`] whole
/// bytes (an off-heap binary on BEAM) are left out of the encoding, and
/// each such bitstring is returned with the offset in the encoding where
/// its whole bytes belong.
pub fn encode_iovec(term: Term, opts: &EncodeOptions) -> Result<(Vec<u8>, Splits), EtfError> {
    if opts.minor_version > 2 {
        return Err(EtfError::Unencodable("minor version above 2"));
    }
    let mut out = vec![tags::VERSION];
    let mut splits = Vec::new();
    Encoder {
        out: &mut out,
        minor: opts.minor_version,
        deterministic: opts.deterministic,
        splits: Some(&mut splits),
    }
    .run(term)?;
    Ok((out, splits))
}

enum Work {
    Term(Term),
    /// The remaining elements of a list, then its tail.
    ListRest(Term),
    /// Elements `next..` of a tuple.
    TupleRest(Term, usize),
    /// Write the size of the `NEW_FUN_EXT` whose size field is at this offset.
    FunSize(usize),
}

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    minor: u8,
    deterministic: bool,
    /// Large binaries left out of `out` ([`encode_iovec`]).
    splits: Option<&'a mut Splits>,
}

fn len32(n: usize, what: &'static str) -> Result<u32, EtfError> {
    u32::try_from(n).map_err(|_| EtfError::Unencodable(what))
}

impl Encoder<'_> {
    fn run(&mut self, term: Term) -> Result<(), EtfError> {
        let mut stack = vec![Work::Term(term)];
        while let Some(w) = stack.pop() {
            match w {
                Work::Term(t) => self.term(t, &mut stack)?,
                Work::ListRest(rest) => match rest.as_cons() {
                    Some((head, tail)) => {
                        stack.push(Work::ListRest(tail));
                        stack.push(Work::Term(head));
                    }
                    None => stack.push(Work::Term(rest)),
                },
                Work::TupleRest(tuple, next) => {
                    if let Some(e) = tuple.as_tuple().and_then(|t| t.get(next)) {
                        stack.push(Work::TupleRest(tuple, next + 1));
                        stack.push(Work::Term(e));
                    }
                }
                Work::FunSize(at) => {
                    let size = len32(self.out.len() - at, "fun over 4 GiB")?;
                    self.out[at..at + 4].copy_from_slice(&size.to_be_bytes());
                }
            }
        }
        Ok(())
    }

    fn u8(&mut self, b: u8) {
        self.out.push(b);
    }

    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes one term's tag and fixed part; nested terms go on the stack.
    fn term(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), EtfError> {
        match t.kind() {
            Kind::Small | Kind::Big => self.integer(t),
            Kind::Float => self.float(t.as_float().unwrap_or(0.0)),
            Kind::Atom => self.atom(t.as_atom().unwrap_or(Atom::EMPTY)),
            Kind::Nil => self.u8(tags::NIL),
            Kind::Tuple => {
                let n = t.as_tuple().map_or(0, |tu| tu.len());
                if n <= 255 {
                    self.u8(tags::SMALL_TUPLE);
                    self.u8(n as u8);
                } else {
                    self.u8(tags::LARGE_TUPLE);
                    self.u32(len32(n, "tuple over 2^32 elements")?);
                }
                stack.push(Work::TupleRest(t, 0));
            }
            Kind::List => self.list(t, stack)?,
            Kind::Binary => self.bits(t)?,
            Kind::Map => {
                let mut entries = map::entries(t);
                if self.deterministic {
                    entries.sort_by(|a, b| compare_exact(a.0, b.0));
                }
                self.u8(tags::MAP);
                self.u32(len32(entries.len(), "map over 2^32 keys")?);
                for (k, v) in entries.into_iter().rev() {
                    stack.push(Work::Term(v));
                    stack.push(Work::Term(k));
                }
            }
            Kind::Pid => self.pid(t),
            Kind::Port => self.port(t),
            Kind::Ref => self.reference(t),
            Kind::Fun => self.fun(t, stack)?,
            Kind::Internal => return Err(EtfError::Unencodable("an internal value")),
        }
        Ok(())
    }

    fn integer(&mut self, t: Term) {
        match t.as_int() {
            Some(Int::Small(v)) if (0..=255).contains(&v) => {
                self.u8(tags::SMALL_INTEGER);
                self.u8(v as u8);
            }
            Some(Int::Small(v)) if i32::try_from(v).is_ok() => {
                self.u8(tags::INTEGER);
                self.u32(v as i32 as u32);
            }
            Some(Int::Small(v)) => {
                let mag = v.unsigned_abs().to_le_bytes();
                let n = 8 - v.unsigned_abs().leading_zeros() as usize / 8;
                self.big(v < 0, &mag[..n]);
            }
            Some(Int::Big(b)) => {
                let mag: UBig = (&b).unsigned_abs();
                self.big(b < ibig::IBig::from(0u8), &mag.to_le_bytes());
            }
            None => {}
        }
    }

    fn big(&mut self, negative: bool, mag: &[u8]) {
        if mag.len() <= 255 {
            self.u8(tags::SMALL_BIG);
            self.u8(mag.len() as u8);
        } else {
            self.u8(tags::LARGE_BIG);
            // A bignum on the heap is far below 4 GiB of magnitude.
            self.u32(mag.len() as u32);
        }
        self.u8(negative as u8);
        self.out.extend_from_slice(mag);
    }

    fn float(&mut self, f: f64) {
        if self.minor == 0 {
            self.u8(tags::FLOAT);
            let mut s = c_exp_format(f).into_bytes();
            s.resize(31, 0);
            self.out.extend_from_slice(&s);
        } else {
            self.u8(tags::NEW_FLOAT);
            self.out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
    }

    fn atom(&mut self, a: Atom) {
        let name = a.name();
        if self.minor < 2 && name.chars().all(|c| (c as u32) < 256) {
            self.u8(tags::ATOM);
            self.u16(name.chars().count() as u16);
            self.out.extend(name.chars().map(|c| c as u8));
        } else if name.len() <= 255 {
            self.u8(tags::SMALL_ATOM_UTF8);
            self.u8(name.len() as u8);
            self.out.extend_from_slice(name.as_bytes());
        } else {
            self.u8(tags::ATOM_UTF8);
            // At most 255 characters of at most 4 bytes each.
            self.u16(name.len() as u16);
            self.out.extend_from_slice(name.as_bytes());
        }
    }

    fn list(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), EtfError> {
        let mut it = t.list_iter();
        let mut n = 0usize;
        let mut bytes = true;
        for e in it.by_ref() {
            n += 1;
            bytes &= matches!(e.as_small(), Some(0..=255));
        }
        if bytes && n <= MAX_STRING_LEN && it.tail().is_nil() {
            self.u8(tags::STRING);
            self.u16(n as u16);
            self.out
                .extend(t.list_iter().map(|e| e.small_value() as u8));
            return Ok(());
        }
        self.u8(tags::LIST);
        self.u32(len32(n, "list over 2^32 elements")?);
        stack.push(Work::ListRest(t));
        Ok(())
    }

    fn bits(&mut self, t: Term) -> Result<(), EtfError> {
        let Some(bits) = t.as_bits() else {
            return Ok(());
        };
        let bytes = bits.to_vec();
        let n = len32(bytes.len(), "binary over 4 GiB")?;
        let tail = (bits.bit_size % 8) as u8;
        if tail == 0 {
            self.u8(tags::BINARY);
            self.u32(n);
        } else {
            self.u8(tags::BIT_BINARY);
            self.u32(n);
            self.u8(tail);
        }
        let whole = bits.bit_size / 8;
        match &mut self.splits {
            Some(splits) if whole > HEAP_BIN_LIMIT && bits.bit_offset.is_multiple_of(8) => {
                splits.push((self.out.len(), t));
                self.out.extend_from_slice(&bytes[whole..]);
            }
            _ => self.out.extend_from_slice(&bytes),
        }
        Ok(())
    }

    fn pid(&mut self, t: Term) {
        let (node, id, serial, creation) = match (t.as_local_pid(), t.as_external_pid()) {
            (Some((id, serial)), _) => (LOCAL_NODE, id, serial, LOCAL_CREATION),
            (None, Some(e)) => (e.node, e.id as u32, e.serial, e.creation),
            (None, None) => return,
        };
        self.u8(tags::NEW_PID);
        self.atom(node);
        self.u32(id);
        self.u32(serial);
        self.u32(creation);
    }

    fn port(&mut self, t: Term) {
        let (node, id, creation) = match (t.as_local_port(), t.as_external_port()) {
            (Some(id), _) => (LOCAL_NODE, id, LOCAL_CREATION),
            (None, Some(e)) => (e.node, e.id, e.creation),
            (None, None) => return,
        };
        if id > MAX_V3_PORT_NUMBER {
            self.u8(tags::V4_PORT);
            self.atom(node);
            self.out.extend_from_slice(&id.to_be_bytes());
        } else {
            self.u8(tags::NEW_PORT);
            self.atom(node);
            self.u32(id as u32);
        }
        self.u32(creation);
    }

    fn reference(&mut self, t: Term) {
        let Some(r) = t.as_ref_id() else { return };
        crate::term::magic::save(t);
        let (node, creation) = r.node.unwrap_or((LOCAL_NODE, LOCAL_CREATION));
        self.u8(tags::NEWER_REFERENCE);
        // At most 5 id words (the decoder and `make_ref` never make more).
        self.u16(r.ids.len() as u16);
        self.atom(node);
        self.u32(creation);
        for id in r.ids {
            self.u32(id);
        }
    }

    fn fun(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), EtfError> {
        if let Some(e) = t.as_export() {
            self.u8(tags::EXPORT);
            self.atom(e.module);
            self.atom(e.function);
            self.integer(Term::small(e.arity as i64));
            return Ok(());
        }
        let Some(c) = t.as_closure() else {
            return Ok(());
        };
        let e = c.entry();
        let free = c.free_vars();
        self.u8(tags::NEW_FUN);
        let size_at = self.out.len();
        self.u32(0);
        self.u8(e.arity as u8);
        self.out.extend_from_slice(&e.uniq);
        self.u32(e.index);
        self.u32(len32(free.len(), "fun with 2^32 free variables")?);
        self.atom(e.module);
        // BEAM keeps both as signed 32-bit values.
        self.integer(Term::small(e.old_index as i32 as i64));
        self.integer(Term::small(e.old_uniq as i32 as i64));
        stack.push(Work::FunSize(size_at));
        for v in free.iter().rev() {
            stack.push(Work::Term(*v));
        }
        // The creator pid comes before the free variables.
        stack.push(Work::Term(c.creator()));
        Ok(())
    }
}

/// C's `%.20e`: one digit, a point, 20 digits, `e`, a sign and at least two
/// exponent digits.
fn c_exp_format(f: f64) -> String {
    let s = format!("{f:.20e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
}
