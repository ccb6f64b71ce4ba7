//! Compact-term operands: the variable-length encoding of every operand in
//! the `Code` chunk (and of the items of the `Line` chunk).
//!
//! The low three bits of the first byte are the tag (`u i a x y f h z`).
//! Values below 16 sit in the top four bits; values below 2048 take three
//! more bits and a second byte; longer values give their byte count (2..8,
//! or a nested `u` plus 9) and follow big-endian, two's complement for `i`.
//! Tag `z` introduces the extended forms: float, list, float register,
//! allocation list, literal and typed register.

use ibig::{IBig, UBig};

use super::cursor::Cursor;
use super::error::{ErrorKind, LoadError};
use crate::atom::Atom;

/// The eight operand tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// Unsigned literal (counts, arities, indices).
    U = 0,
    /// Integer.
    I = 1,
    /// Atom (index 0 is `[]`).
    A = 2,
    /// X register.
    X = 3,
    /// Y register.
    Y = 4,
    /// Label.
    F = 5,
    /// Character.
    H = 6,
    /// Extended.
    Z = 7,
}

const TAGS: [Tag; 8] = [
    Tag::U,
    Tag::I,
    Tag::A,
    Tag::X,
    Tag::Y,
    Tag::F,
    Tag::H,
    Tag::Z,
];

/// What an allocation list counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    /// Heap words.
    Words,
    /// Floats.
    Floats,
    /// Funs.
    Funs,
}

/// A register a typed-register operand names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reg {
    /// `{x,N}`.
    X(u32),
    /// `{y,N}`.
    Y(u32),
}

/// One decoded operand of a generic instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `u`: an unsigned number.
    U(u64),
    /// `i` that fits in 64 bits.
    Int(i64),
    /// `i` that does not fit in 64 bits.
    BigInt(Box<IBig>),
    /// `a`: an atom.
    Atom(Atom),
    /// `a` with index 0: `[]`.
    Nil,
    /// `{x,N}`.
    X(u32),
    /// `{y,N}`.
    Y(u32),
    /// `{f,N}`; label 0 means "no label".
    Label(u32),
    /// `h`: a character.
    Char(u32),
    /// Extended 0: an inline float.
    Float(f64),
    /// Extended 1: a list of operands.
    List(Vec<Operand>),
    /// Extended 2: `{fr,N}`.
    FloatReg(u32),
    /// Extended 3: an allocation list.
    Alloc(Vec<(AllocKind, u64)>),
    /// Extended 4: index into the literal table.
    Literal(u32),
    /// Extended 5: a register with an index into the type table.
    TypedReg(Reg, u32),
}

/// What operands may refer to, for validating indices while decoding.
#[derive(Clone, Copy)]
pub struct Tables<'t> {
    /// The atom table; atom index `n` is `atoms[n - 1]`.
    pub atoms: &'t [Atom],
    /// Number of literals.
    pub literals: usize,
    /// Number of type entries, if the types can be checked.
    pub types: Option<usize>,
}

/// The value after a tag.
enum Value<'a> {
    /// A number that fits in 64 bits (every tag but `i` in long form).
    Num(u64),
    /// The big-endian two's complement bytes of a long `i`.
    Long(&'a [u8]),
}

/// Reads one tag and its value.
fn tagged_int<'a>(c: &mut Cursor<'a>) -> Result<(Tag, Value<'a>), LoadError> {
    let at = c.offset();
    let b = c.u8()?;
    let tag = TAGS[(b & 7) as usize];
    if b & 0x08 == 0 {
        return Ok((tag, Value::Num(u64::from(b >> 4))));
    }
    if tag == Tag::Z {
        return Err(c.error_at(
            at,
            ErrorKind::BadOperand(format!("bad extended tag byte {b:#04x}")),
        ));
    }
    if b & 0x10 == 0 {
        let lo = c.u8()?;
        return Ok((tag, Value::Num((u64::from(b & 0xE0) << 3) | u64::from(lo))));
    }
    let len = match b >> 5 {
        7 => {
            // The length is itself a short `u` (one level only: a chain of
            // nested lengths could recurse without bound).
            let len_at = c.offset();
            let lb = c.u8()?;
            if lb & 7 != Tag::U as u8 || lb & 0x18 == 0x18 {
                return Err(c.error_at(len_at, ErrorKind::BadOperand("bad integer length".into())));
            }
            let l = if lb & 0x08 == 0 {
                u64::from(lb >> 4)
            } else {
                (u64::from(lb & 0xE0) << 3) | u64::from(c.u8()?)
            };
            l as usize + 9
        }
        l => l as usize + 2,
    };
    let bytes = c.bytes(len)?;
    if tag == Tag::I {
        return Ok((tag, Value::Long(bytes)));
    }
    let significant = bytes.iter().skip_while(|&&b| b == 0).count();
    if significant > 8 {
        return Err(c.error_at(at, ErrorKind::BadOperand("number too large".into())));
    }
    let v = bytes.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
    Ok((tag, Value::Num(v)))
}

/// A signed integer from big-endian two's complement bytes.
fn signed(bytes: &[u8]) -> Operand {
    if bytes.len() <= 8 {
        let mut v: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
        for &b in bytes {
            v = (v << 8) | i64::from(b);
        }
        return Operand::Int(v);
    }
    let mut big = IBig::from(UBig::from_be_bytes(bytes));
    if bytes[0] & 0x80 != 0 {
        big -= IBig::from(1u8) << (8 * bytes.len());
    }
    match i64::try_from(&big) {
        Ok(v) => Operand::Int(v),
        Err(_) => Operand::BigInt(Box::new(big)),
    }
}

fn small<T: TryFrom<u64>>(c: &Cursor, at: usize, v: u64) -> Result<T, LoadError> {
    T::try_from(v)
        .map_err(|_| c.error_at(at, ErrorKind::BadOperand(format!("value {v} too large"))))
}

/// Reads an operand that must be a `u`.
pub fn read_u(c: &mut Cursor) -> Result<u64, LoadError> {
    let at = c.offset();
    match tagged_int(c)? {
        (Tag::U, Value::Num(v)) => Ok(v),
        _ => Err(c.error_at(
            at,
            ErrorKind::BadOperand("expected an unsigned operand".into()),
        )),
    }
}

/// Reads a tag and a non-negative value that fits in 64 bits (the items of
/// the `Line` chunk).
pub fn read_tagged_u64(c: &mut Cursor) -> Result<(Tag, u64), LoadError> {
    let at = c.offset();
    match tagged_int(c)? {
        (tag, Value::Num(v)) => Ok((tag, v)),
        (tag, Value::Long(bytes)) => match signed(bytes) {
            Operand::Int(v) if v >= 0 => Ok((tag, v as u64)),
            _ => Err(c.error_at(at, ErrorKind::BadOperand("number out of range".into()))),
        },
    }
}

/// Reads an operand that must be a `u` fitting in 32 bits.
fn read_u32(c: &mut Cursor) -> Result<u32, LoadError> {
    let at = c.offset();
    let v = read_u(c)?;
    small(c, at, v)
}

/// Reads one operand of a generic instruction.
pub fn read_operand(c: &mut Cursor, t: &Tables) -> Result<Operand, LoadError> {
    read(c, t, true)
}

fn read(c: &mut Cursor, t: &Tables, list_allowed: bool) -> Result<Operand, LoadError> {
    let at = c.offset();
    let (tag, value) = tagged_int(c)?;
    let v = match value {
        // Only `i` has long values.
        Value::Long(bytes) => return Ok(signed(bytes)),
        Value::Num(v) => v,
    };
    Ok(match tag {
        Tag::U => Operand::U(v),
        Tag::I => Operand::Int(v as i64),
        Tag::A if v == 0 => Operand::Nil,
        Tag::A => match usize::try_from(v - 1).ok().and_then(|i| t.atoms.get(i)) {
            Some(&a) => Operand::Atom(a),
            None => return Err(c.error_at(at, ErrorKind::BadAtomIndex(v))),
        },
        Tag::X => Operand::X(small(c, at, v)?),
        Tag::Y => Operand::Y(small(c, at, v)?),
        Tag::F => Operand::Label(small(c, at, v)?),
        Tag::H => Operand::Char(small(c, at, v)?),
        Tag::Z => extended(c, t, at, v, list_allowed)?,
    })
}

fn extended(
    c: &mut Cursor,
    t: &Tables,
    at: usize,
    ext: u64,
    list_allowed: bool,
) -> Result<Operand, LoadError> {
    let bad = |c: &Cursor, why: &str| c.error_at(at, ErrorKind::BadOperand(why.into()));
    Ok(match ext {
        0 => Operand::Float(f64::from_bits(c.u64()?)),
        1 => {
            if !list_allowed {
                return Err(bad(c, "nested list"));
            }
            let len_at = c.offset();
            let len = read_u(c)?;
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            c.check_count(len, 1, len_at)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(read(c, t, false)?);
            }
            Operand::List(items)
        }
        2 => Operand::FloatReg(read_u32(c)?),
        3 => {
            let len_at = c.offset();
            let len = read_u(c)?;
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            c.check_count(len, 2, len_at)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                let kind_at = c.offset();
                let kind = match read_u(c)? {
                    0 => AllocKind::Words,
                    1 => AllocKind::Floats,
                    2 => AllocKind::Funs,
                    k => {
                        return Err(c.error_at(
                            kind_at,
                            ErrorKind::BadOperand(format!("allocation kind {k}")),
                        ))
                    }
                };
                items.push((kind, read_u(c)?));
            }
            Operand::Alloc(items)
        }
        4 => {
            let i = read_u32(c)?;
            if i as usize >= t.literals {
                return Err(bad(c, &format!("literal index {i} out of range")));
            }
            Operand::Literal(i)
        }
        5 => {
            let reg_at = c.offset();
            let reg = match read(c, t, false)? {
                Operand::X(n) => Reg::X(n),
                Operand::Y(n) => Reg::Y(n),
                _ => {
                    return Err(c.error_at(
                        reg_at,
                        ErrorKind::BadOperand("typed register is not a register".into()),
                    ))
                }
            };
            let ty = read_u32(c)?;
            if t.types.is_some_and(|n| ty as usize >= n) {
                return Err(bad(c, &format!("type index {ty} out of range")));
            }
            Operand::TypedReg(reg, ty)
        }
        n => return Err(bad(c, &format!("unknown extended tag {n}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::error::ChunkId;

    fn decode(bytes: &[u8]) -> Result<Operand, LoadError> {
        let atoms = [Atom::intern("compact_test").unwrap()];
        let t = Tables {
            atoms: &atoms,
            literals: 2,
            types: Some(1),
        };
        let mut c = Cursor::new(ChunkId(*b"Code"), bytes, 100);
        let op = read_operand(&mut c, &t)?;
        assert!(c.is_empty(), "all bytes consumed");
        Ok(op)
    }

    // The byte sequences are from beam_asm:encode/2 on OTP 25 (quoted in
    // beam_disasm.erl's decode_int comment).
    #[test]
    fn integers() {
        assert_eq!(decode(&[81]).unwrap(), Operand::Int(5));
        assert_eq!(decode(&[105, 232]).unwrap(), Operand::Int(1000));
        assert_eq!(decode(&[233, 255]).unwrap(), Operand::Int(2047));
        assert_eq!(decode(&[25, 8, 0]).unwrap(), Operand::Int(2048));
        assert_eq!(decode(&[25, 255, 255]).unwrap(), Operand::Int(-1));
        assert_eq!(
            decode(&[121, 255, 0, 0, 0, 1]).unwrap(),
            Operand::Int(-4294967295)
        );
        assert_eq!(
            decode(&[121, 0, 255, 255, 255, 255]).unwrap(),
            Operand::Int(4294967295)
        );
        assert_eq!(
            decode(&[121, 99, 255, 255, 255, 157]).unwrap(),
            Operand::Int(429496729501)
        );
    }

    #[test]
    fn bignums_and_nested_lengths() {
        // 2^80: length 11 = nested u(2) + 9.
        let mut b = vec![0xF9, 0x20, 0x01];
        b.extend_from_slice(&[0; 10]);
        let big = IBig::from(1u8) << 80;
        assert_eq!(decode(&b).unwrap(), Operand::BigInt(Box::new(big)));
    }

    #[test]
    fn registers_atoms_lists() {
        assert_eq!(decode(&[0x13]).unwrap(), Operand::X(1));
        assert_eq!(decode(&[0x24]).unwrap(), Operand::Y(2));
        assert_eq!(decode(&[0x02]).unwrap(), Operand::Nil);
        assert_eq!(
            decode(&[0x12]).unwrap(),
            Operand::Atom(Atom::intern("compact_test").unwrap())
        );
        assert_eq!(
            decode(&[0x17, 0x20, 0x03, 0x55]).unwrap(),
            Operand::List(vec![Operand::X(0), Operand::Label(5)])
        );
        assert_eq!(decode(&[0x27, 0x30]).unwrap(), Operand::FloatReg(3));
        assert_eq!(
            decode(&[0x37, 0x20, 0x00, 0x30, 0x10, 0x10]).unwrap(),
            Operand::Alloc(vec![(AllocKind::Words, 3), (AllocKind::Floats, 1)])
        );
        assert_eq!(decode(&[0x47, 0x10]).unwrap(), Operand::Literal(1));
        assert_eq!(
            decode(&[0x57, 0x03, 0x00]).unwrap(),
            Operand::TypedReg(Reg::X(0), 0)
        );
    }

    #[test]
    fn bad_operands() {
        let e = decode(&[0x22]).unwrap_err();
        assert_eq!((e.offset, e.kind), (100, ErrorKind::BadAtomIndex(2)));
        assert!(matches!(
            decode(&[0x47, 0x20]).unwrap_err().kind,
            ErrorKind::BadOperand(_)
        ));
        assert!(matches!(
            decode(&[0x67]).unwrap_err().kind,
            ErrorKind::BadOperand(_)
        ));
        assert!(matches!(
            decode(&[0x0F]).unwrap_err().kind,
            ErrorKind::BadOperand(_)
        ));
        // A list claiming more elements than there are bytes.
        assert!(matches!(
            decode(&[0x17, 0xF0]).unwrap_err().kind,
            ErrorKind::Malformed(_)
        ));
        assert_eq!(decode(&[0x19]).unwrap_err().kind, ErrorKind::Truncated);
        assert!(matches!(
            decode(&[0x17, 0x10, 0x17, 0x00]).unwrap_err().kind,
            ErrorKind::BadOperand(_)
        ));
    }
}
