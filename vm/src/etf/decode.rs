//! Decoding (`binary_to_term/1,2`).
//!
//! One loop with an explicit stack of open containers: a tag either yields
//! a complete term or opens a container that collects the next terms it
//! needs. The decoder never recurses, and it never allocates for a length
//! field more than the bytes left can fill: every term takes at least one
//! byte, and the count of items all open containers still wait for is kept
//! below the bytes left.

use std::cmp::Ordering;

use ibig::{IBig, UBig};

use super::cursor::Cursor;
use super::{compress, tags, EtfError};
use crate::atom::{Atom, AtomError, MAX_ATOM_CHARS};
use crate::term::fun::FunEntry;
use crate::term::order::compare_exact;
use crate::term::{Heap, Term};

/// Longest bignum magnitude OTP 25 decodes: 2^19 - 1 64-bit digits.
const MAX_BIG_BYTES: usize = ((1 << 19) - 1) * 8;

/// Decodes the external term at the start of `bytes` (`binary_to_term/1`).
/// Like OTP 25, this ignores any bytes after the term: `<<131,97,1,2>>`
/// decodes to `1`. Use [`decode_prefix`] to learn where the term ended.
pub fn decode(bytes: &[u8], heap: &mut Heap) -> Result<Term, EtfError> {
    decode_top(bytes, heap, false).map(|(term, _)| term)
}

/// Decodes the external term at the start of `bytes` and returns it with the
/// number of bytes it used (`binary_to_term/2` with `used`; for a compressed
/// term, up to the end of its zlib stream). With `safe`, as OTP 25's `safe`
/// option, an atom or an export entry (`fun M:F/A`) that does not exist yet
/// is an error instead of being created.
pub fn decode_prefix(bytes: &[u8], heap: &mut Heap, safe: bool) -> Result<(Term, usize), EtfError> {
    decode_top(bytes, heap, safe)
}

fn decode_top(bytes: &[u8], heap: &mut Heap, safe: bool) -> Result<(Term, usize), EtfError> {
    let mut c = Cursor::new(bytes);
    let v = c.u8()?;
    if v != tags::VERSION {
        return Err(EtfError::BadVersion(v));
    }
    if bytes.get(1) == Some(&tags::COMPRESSED) {
        c.u8()?;
        let size = c.u32()? as usize;
        let (inflated, consumed) = compress::inflate(&bytes[c.pos()..], size)?;
        let mut inner = Cursor::new(&inflated);
        let term = Decoder::new(heap, safe).run(&mut inner)?;
        return Ok((term, c.pos() + consumed));
    }
    let term = Decoder::new(heap, safe).run(&mut c)?;
    Ok((term, c.pos()))
}

/// A container still collecting its items.
pub(super) enum Open {
    Tuple,
    /// `n` elements, then the tail.
    List(usize),
    /// Keys and values alternating.
    Map,
    /// The creator, then the free variables.
    Fun(&'static FunEntry),
}

struct Frame {
    open: Open,
    items: Vec<Term>,
    needed: usize,
}

/// What one tag gave.
pub(super) enum Step {
    Done(Term),
    Open(Open, usize),
}

pub(super) struct Decoder<'h> {
    pub(super) heap: &'h mut Heap,
    pub(super) safe: bool,
    stack: Vec<Frame>,
    /// Items all open containers still wait for, not counting the ones
    /// being decoded.
    pending: usize,
}

impl<'h> Decoder<'h> {
    fn new(heap: &'h mut Heap, safe: bool) -> Decoder<'h> {
        Decoder {
            heap,
            safe,
            stack: Vec::new(),
            pending: 0,
        }
    }

    fn run(&mut self, c: &mut Cursor) -> Result<Term, EtfError> {
        loop {
            if !self.stack.is_empty() {
                // The item about to be read is no longer pending.
                self.pending -= 1;
            }
            let mut term = match self.step(c)? {
                Step::Done(t) => t,
                Step::Open(open, needed) => {
                    // Each item still pending needs at least a byte too.
                    if needed.saturating_add(self.pending) > c.remaining() {
                        return Err(EtfError::Truncated(c.pos() + c.remaining()));
                    }
                    if needed == 0 {
                        self.finish(open, Vec::new(), c.pos())?
                    } else {
                        self.pending += needed;
                        self.stack.push(Frame {
                            open,
                            items: Vec::with_capacity(needed),
                            needed,
                        });
                        continue;
                    }
                }
            };
            loop {
                let Some(top) = self.stack.last_mut() else {
                    return Ok(term);
                };
                top.items.push(term);
                if top.items.len() < top.needed {
                    break;
                }
                let Some(f) = self.stack.pop() else {
                    return Ok(term);
                };
                term = self.finish(f.open, f.items, c.pos())?;
            }
        }
    }

    fn finish(&mut self, open: Open, items: Vec<Term>, pos: usize) -> Result<Term, EtfError> {
        Ok(match open {
            // `{}` is the global literal, as BEAM 25 decodes it.
            Open::Tuple if items.is_empty() => crate::term::literal::empty_tuple(),
            Open::Tuple => self.heap.tuple(&items),
            Open::List(n) => self.heap.list_with_tail(&items[..n], items[n]),
            Open::Map => {
                let pairs: Vec<(Term, Term)> = items.chunks(2).map(|p| (p[0], p[1])).collect();
                let mut keys: Vec<Term> = pairs.iter().map(|p| p.0).collect();
                keys.sort_by(|a, b| compare_exact(*a, *b));
                if keys
                    .windows(2)
                    .any(|w| compare_exact(w[0], w[1]) == Ordering::Equal)
                {
                    return Err(EtfError::Invalid {
                        what: "map with duplicate keys",
                        offset: pos,
                    });
                }
                self.heap.map_from_pairs(&pairs)
            }
            Open::Fun(entry) => self.heap.closure(entry, items[0], &items[1..]),
        })
    }

    /// Reads one tag and what follows it up to the first nested term.
    fn step(&mut self, c: &mut Cursor) -> Result<Step, EtfError> {
        let at = c.pos();
        let tag = c.u8()?;
        let t = match tag {
            tags::SMALL_INTEGER => Term::small(c.u8()? as i64),
            tags::INTEGER => Term::small(c.u32()? as i32 as i64),
            tags::SMALL_BIG => {
                let n = c.u8()? as usize;
                self.big(c, n)?
            }
            tags::LARGE_BIG => {
                let n = c.u32()? as u64;
                let n = c.len(n, 1)?;
                self.big(c, n)?
            }
            tags::NEW_FLOAT => {
                let f = f64::from_bits(c.u64()?);
                if !f.is_finite() {
                    return Err(EtfError::Invalid {
                        what: "float",
                        offset: at,
                    });
                }
                self.heap.float(f)
            }
            tags::FLOAT => {
                let f = string_float(c.take(31)?).ok_or(EtfError::Invalid {
                    what: "float string",
                    offset: at,
                })?;
                self.heap.float(f)
            }
            tags::ATOM | tags::SMALL_ATOM | tags::ATOM_UTF8 | tags::SMALL_ATOM_UTF8 => {
                Term::atom(self.atom_after_tag(c, tag, at)?)
            }
            tags::NIL => Term::NIL,
            tags::STRING => {
                let n = c.u16()? as usize;
                let chars: Vec<Term> = c.take(n)?.iter().map(|&b| Term::small(b as i64)).collect();
                self.heap.list(&chars)
            }
            tags::BINARY => {
                let n = c.u32()? as u64;
                let n = c.len(n, 1)?;
                self.heap.binary(c.take(n)?)
            }
            tags::BIT_BINARY => self.bit_binary(c, at)?,
            tags::SMALL_TUPLE => return Ok(Step::Open(Open::Tuple, c.u8()? as usize)),
            tags::LARGE_TUPLE => {
                let n = c.u32()? as u64;
                return Ok(Step::Open(Open::Tuple, c.len(n, 1)?));
            }
            tags::LIST => {
                let n = c.u32()? as u64;
                let n = c.len(n, 1)?;
                return Ok(Step::Open(Open::List(n), n + 1));
            }
            tags::MAP => {
                let n = c.u32()? as u64;
                let n = c.len(n, 2)?;
                return Ok(Step::Open(Open::Map, 2 * n));
            }
            tags::PID | tags::NEW_PID => self.pid_after_tag(c, tag, at)?,
            tags::PORT | tags::NEW_PORT | tags::V4_PORT => self.port_after_tag(c, tag, at)?,
            tags::REFERENCE | tags::NEW_REFERENCE | tags::NEWER_REFERENCE => {
                self.ref_after_tag(c, tag, at)?
            }
            tags::EXPORT => self.export(c, at)?,
            tags::NEW_FUN => return self.new_fun(c, at),
            tags::ATOM_CACHE_REF => return Err(EtfError::AtomCacheRef(at)),
            _ => return Err(EtfError::BadTag { tag, offset: at }),
        };
        Ok(Step::Done(t))
    }

    fn big(&mut self, c: &mut Cursor, n: usize) -> Result<Term, EtfError> {
        if n > MAX_BIG_BYTES {
            return Err(EtfError::Invalid {
                what: "bignum beyond the size limit",
                offset: c.pos(),
            });
        }
        let sign = c.u8()?;
        let mag = IBig::from(UBig::from_le_bytes(c.take(n)?));
        Ok(self.heap.big(&if sign != 0 { -mag } else { mag }))
    }

    fn bit_binary(&mut self, c: &mut Cursor, at: usize) -> Result<Term, EtfError> {
        let n = c.u32()? as u64;
        let bits = c.u8()?;
        let n = c.len(n, 1)?;
        if (bits == 0) != (n == 0) || bits > 8 {
            return Err(EtfError::Invalid {
                what: "bitstring trailing bit count",
                offset: at,
            });
        }
        let bytes = c.take(n)?;
        if bits == 8 || n == 0 {
            return Ok(self.heap.binary(bytes));
        }
        let mut v = bytes.to_vec();
        v[n - 1] &= 0xFFu8 << (8 - bits);
        Ok(self.heap.bitstring(&v, (n - 1) * 8 + bits as usize))
    }

    /// An atom in any of the four atom encodings, tag included.
    pub(super) fn atom(&mut self, c: &mut Cursor) -> Result<Atom, EtfError> {
        let at = c.pos();
        let tag = c.u8()?;
        match tag {
            tags::ATOM | tags::SMALL_ATOM | tags::ATOM_UTF8 | tags::SMALL_ATOM_UTF8 => {
                self.atom_after_tag(c, tag, at)
            }
            tags::ATOM_CACHE_REF => Err(EtfError::AtomCacheRef(at)),
            _ => Err(EtfError::BadTag { tag, offset: at }),
        }
    }

    fn atom_after_tag(&mut self, c: &mut Cursor, tag: u8, at: usize) -> Result<Atom, EtfError> {
        let n = match tag {
            tags::SMALL_ATOM | tags::SMALL_ATOM_UTF8 => c.u8()? as usize,
            _ => c.u16()? as usize,
        };
        let bytes = c.take(n)?;
        let bad = |what| EtfError::Invalid { what, offset: at };
        let name: String = if tag == tags::ATOM || tag == tags::SMALL_ATOM {
            bytes.iter().map(|&b| b as char).collect()
        } else {
            std::str::from_utf8(bytes)
                .map_err(|_| bad("UTF-8 in atom"))?
                .to_owned()
        };
        if name.chars().count() > MAX_ATOM_CHARS {
            return Err(bad("atom longer than 255 characters"));
        }
        if self.safe {
            return Atom::existing(&name).ok_or(EtfError::NotExistingAtom(at));
        }
        Atom::intern(&name).map_err(|e| match e {
            AtomError::TableFull => EtfError::AtomTableFull,
            AtomError::TooLong => bad("atom longer than 255 characters"),
        })
    }
}

/// Parses `FLOAT_EXT`'s C string as OTP's `sys_chars_to_double` does:
/// `[+-]digits(.|,)digits[(e|E)[+-]digits]`, nothing else, up to the first
/// NUL; an overflow to infinity is an error, an underflow is not.
fn string_float(bytes: &[u8]) -> Option<f64> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let s = &bytes[..end];
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !digits(&mut i) || !matches!(s.get(i), Some(b'.' | b',')) {
        return None;
    }
    i += 1;
    if !digits(&mut i) {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    let text: String = s
        .iter()
        .map(|&b| if b == b',' { '.' } else { b as char })
        .collect();
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}
