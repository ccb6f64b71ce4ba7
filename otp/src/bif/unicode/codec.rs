//! Encodings and the per-binary decoders of `unicode.erl`
//! (`do_i_utf8/1`, `do_i_utf16_big_chk/1`, ... and `cbv/2`).

use enigma_vm::term::Term;

use crate::bif::helpers::is_atom;

/// An encoding as `unicode` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `latin1`.
    Latin1,
    /// `unicode` or `utf8`.
    Utf8,
    /// `utf16` (big) or `{utf16, little | big}`.
    Utf16 { little: bool },
    /// `utf32` (big) or `{utf32, little | big}`.
    Utf32 { little: bool },
}

impl Encoding {
    /// The encoding a term names, if any.
    pub fn parse(t: Term) -> Option<Encoding> {
        if let Some(a) = t.as_atom() {
            return match a.name() {
                "latin1" => Some(Encoding::Latin1),
                "unicode" | "utf8" => Some(Encoding::Utf8),
                "utf16" => Some(Encoding::Utf16 { little: false }),
                "utf32" => Some(Encoding::Utf32 { little: false }),
                _ => None,
            };
        }
        let tu = t.as_tuple().filter(|tu| tu.len() == 2)?;
        let (kind, endian) = (tu.get(0)?, tu.get(1)?);
        let little = if is_atom(endian, "little") {
            true
        } else if is_atom(endian, "big") {
            false
        } else {
            return None;
        };
        if is_atom(kind, "utf16") {
            Some(Encoding::Utf16 { little })
        } else if is_atom(kind, "utf32") {
            Some(Encoding::Utf32 { little })
        } else {
            None
        }
    }
}

/// How decoding a binary ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Every byte decoded.
    Done,
    /// An invalid sequence at this byte offset.
    Error(usize),
    /// A sequence cut short at this offset, `missing` bytes short.
    Incomplete(usize, usize),
}

fn is_scalar(c: u32) -> bool {
    c <= 0x10FFFF && !(0xD800..=0xDFFF).contains(&c)
}

/// Erlang's `<<U/utf8, _/binary>>`: a char and its length.
pub fn utf8_char(b: &[u8]) -> Option<(u32, usize)> {
    let b0 = *b.first()?;
    let (len, min, init) = match b0 {
        0x00..=0x7F => return Some((u32::from(b0), 1)),
        0xC0..=0xDF => (2, 0x80, u32::from(b0 & 0x1F)),
        0xE0..=0xEF => (3, 0x800, u32::from(b0 & 0x0F)),
        0xF0..=0xF7 => (4, 0x10000, u32::from(b0 & 0x07)),
        _ => return None,
    };
    let cont = b.get(1..len)?;
    let mut c = init;
    for &x in cont {
        if x & 0xC0 != 0x80 {
            return None;
        }
        c = (c << 6) | u32::from(x & 0x3F);
    }
    (c >= min && is_scalar(c)).then_some((c, len))
}

fn unit16(b: &[u8], little: bool) -> Option<u32> {
    let w = [*b.first()?, *b.get(1)?];
    Some(u32::from(if little {
        u16::from_le_bytes(w)
    } else {
        u16::from_be_bytes(w)
    }))
}

fn utf16_char(b: &[u8], little: bool) -> Option<(u32, usize)> {
    let w1 = unit16(b, little)?;
    match w1 {
        0xD800..=0xDBFF => {
            let w2 = unit16(b.get(2..)?, little)?;
            (0xDC00..=0xDFFF)
                .contains(&w2)
                .then(|| (0x10000 + ((w1 - 0xD800) << 10) + (w2 - 0xDC00), 4))
        }
        0xDC00..=0xDFFF => None,
        _ => Some((w1, 2)),
    }
}

fn utf32_char(b: &[u8], little: bool) -> Option<(u32, usize)> {
    let w: [u8; 4] = b.get(..4)?.try_into().ok()?;
    let c = if little {
        u32::from_le_bytes(w)
    } else {
        u32::from_be_bytes(w)
    };
    is_scalar(c).then_some((c, 4))
}

/// One char of `b` in `enc`.
pub fn decode_char(enc: Encoding, b: &[u8]) -> Option<(u32, usize)> {
    match enc {
        Encoding::Latin1 => b.first().map(|&x| (u32::from(x), 1)),
        Encoding::Utf8 => utf8_char(b),
        Encoding::Utf16 { little } => utf16_char(b, little),
        Encoding::Utf32 { little } => utf32_char(b, little),
    }
}

/// `cbv/2`: how many bytes would complete the tail `b`, or `None` if no
/// bytes can.
fn cbv(enc: Encoding, b: &[u8]) -> Option<usize> {
    let cont = |x: u8| x & 0xC0 == 0x80;
    match enc {
        Encoding::Latin1 => None,
        Encoding::Utf8 => match *b {
            [a] if a & 0xE0 == 0xC0 => Some(1),
            [a] if a & 0xF0 == 0xE0 => Some(2),
            [a, x] if a & 0xF0 == 0xE0 && cont(x) => Some(1),
            [a] if a & 0xF8 == 0xF0 => Some(3),
            [a, x] if a & 0xF8 == 0xF0 && cont(x) => Some(2),
            [a, x, y] if a & 0xF8 == 0xF0 && cont(x) && cont(y) => Some(1),
            _ => None,
        },
        Encoding::Utf16 { little: false } => match *b {
            [a] if a <= 215 || a >= 224 => Some(1),
            [a] if a >> 2 == 54 => Some(3),
            [a, _] if a >> 2 == 54 => Some(2),
            [a, _, c] if a >> 2 == 54 && c >> 2 == 55 => Some(1),
            _ => None,
        },
        Encoding::Utf16 { little: true } => match *b {
            [_] => Some(1),
            [_, b1] if b1 >> 2 == 54 => Some(2),
            [_, b1, _] if b1 >> 2 == 54 => Some(1),
            _ => None,
        },
        Encoding::Utf32 { little: false } => match *b {
            [0] => Some(3),
            [0, x] if x <= 16 => Some(2),
            [0, x, y] if x <= 16 && (x > 0 || y <= 215 || y >= 224) => Some(1),
            _ => None,
        },
        Encoding::Utf32 { little: true } => match *b {
            [_] => Some(3),
            [_, _] => Some(2),
            [x, 255, 0] if x == 254 || x == 255 => None,
            [_, y, x] if x <= 16 && (x > 0 || y <= 215 || y >= 224) => Some(1),
            _ => None,
        },
    }
}

/// Why a decoder of `unicode.erl` raised instead of returning.
#[derive(Debug)]
pub struct Raised;

/// `do_i_<enc>[_chk]/1` over one binary: the chars decoded and how it
/// ended. With `latin1_only` (the `_chk` variants) a char above 255 ends
/// decoding with an error. The `_chk` UTF-32 decoders have no clause for
/// an incomplete tail after a decoded char and so raise.
pub fn decode(enc: Encoding, b: &[u8], latin1_only: bool) -> Result<(Vec<u32>, End), Raised> {
    let mut chars = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match decode_char(enc, &b[i..]) {
            Some((c, n)) if !latin1_only || c <= 255 => {
                chars.push(c);
                i += n;
            }
            Some(_) => return Ok((chars, End::Error(i))),
            None => {
                return match cbv(enc, &b[i..]) {
                    Some(missing) => {
                        let utf32 = matches!(enc, Encoding::Utf32 { .. });
                        if latin1_only && utf32 && !chars.is_empty() {
                            return Err(Raised);
                        }
                        Ok((chars, End::Incomplete(i, missing)))
                    }
                    None => Ok((chars, End::Error(i))),
                };
            }
        }
    }
    Ok((chars, End::Done))
}

/// `<<C/utf8>>`, `<<C/utf16>>`... (`None` where Erlang's construction
/// fails: surrogates, out of range).
pub fn encode_char(enc: Encoding, c: i128, out: &mut Vec<u8>) -> Option<()> {
    let c = u32::try_from(c).ok()?;
    match enc {
        Encoding::Latin1 => out.push(u8::try_from(c).ok()?),
        Encoding::Utf8 => {
            let ch = char::from_u32(c)?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
        Encoding::Utf16 { little } => {
            let ch = char::from_u32(c)?;
            let mut buf = [0u16; 2];
            for u in ch.encode_utf16(&mut buf) {
                out.extend_from_slice(&if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
        }
        Encoding::Utf32 { little } => {
            char::from_u32(c)?;
            out.extend_from_slice(&if little {
                c.to_le_bytes()
            } else {
                c.to_be_bytes()
            });
        }
    }
    Some(())
}
