//! `integer_to_list/1,2`, `integer_to_binary/1,2`, `list_to_integer/1,2`
//! and `binary_to_integer/1,2`.
//!
//! Text is an optional `+` or `-` followed by at least one digit of the
//! base; letters are accepted in either case and printed in upper case.
//! Nothing else is allowed: no whitespace, no underscores, no empty input.

use enigma_vm::term::bignum::Int;
use enigma_vm::term::Term;
use ibig::{IBig, UBig};

use super::{BadArg, PrefixError};

/// A base for integer text: 2..=36, checked when made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Base(u32);

impl Base {
    /// Base 10, that of the `/1` BIFs.
    pub const DECIMAL: Base = Base(10);

    /// The base `b`, if it is in 2..=36.
    pub fn new(b: u32) -> Option<Base> {
        (2..=36).contains(&b).then_some(Base(b))
    }

    /// The base as a number.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// The base argument of the `/2` BIFs: a small integer in 2..=36.
pub fn base_arg(base: Term) -> Result<Base, BadArg> {
    base.as_small()
        .and_then(|b| u32::try_from(b).ok())
        .and_then(Base::new)
        .ok_or(BadArg)
}

/// Prints `n` in `base`, upper-case letters for digits above 9.
pub fn integer_to_text(n: &Int, base: Base) -> String {
    let base = base.get();
    match n {
        Int::Small(v) => {
            let mut digits = Vec::new();
            let mut m = v.unsigned_abs();
            loop {
                digits.push(digit_char((m % u64::from(base)) as u8));
                m /= u64::from(base);
                if m == 0 {
                    break;
                }
            }
            if *v < 0 {
                digits.push(b'-');
            }
            digits.reverse();
            digits.into_iter().map(char::from).collect()
        }
        // `{:#}` selects upper-case digits.
        Int::Big(b) => format!("{:#}", b.in_radix(base)),
    }
}

fn digit_char(d: u8) -> u8 {
    if d < 10 {
        b'0' + d
    } else {
        b'A' + d - 10
    }
}

/// The value of digit `b` in `base` (2..=36), if it is one.
fn digit_value(b: u8, base: u32) -> Option<u32> {
    char::from(b).to_digit(base)
}

/// Parses the bytes of `binary_to_integer/1,2` in `base`.
pub fn text_to_integer(bytes: &[u8], base: Base) -> Result<Int, BadArg> {
    let base = base.get();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || !digits.iter().all(|&b| digit_value(b, base).is_some()) {
        return Err(BadArg);
    }
    digits_to_int(negative, digits, base).ok_or(BadArg)
}

/// `list_to_integer(L, Base)` (`/1` is base 10): the whole list must be
/// the integer.
pub fn list_to_integer(list: Term, base: Base) -> Result<Int, BadArg> {
    match integer_prefix(list, base) {
        Ok((n, rest)) if rest.is_nil() => Ok(n),
        _ => Err(BadArg),
    }
}

/// The integer at the start of a list and the rest of the list, as BEAM's
/// `erts_list_to_integer` reads it (`string:list_to_integer/1` is base 10).
///
/// An optional sign, then digits for as long as the elements are small
/// integers whose low byte is a digit: BEAM keeps only that byte, so
/// `[$1, 256 + $5]` reads as 15. Improper tails are fine after a digit.
pub fn integer_prefix(list: Term, base: Base) -> Result<(Int, Term), PrefixError> {
    let base = base.get();
    let Some((first, after_first)) = list.as_cons() else {
        return Err(if list.is_nil() {
            PrefixError::NoNumber
        } else {
            PrefixError::NotAList
        });
    };
    let (negative, mut rest) = match first.as_small() {
        Some(c) if c == i64::from(b'-') => (true, after_first),
        Some(c) if c == i64::from(b'+') => (false, after_first),
        _ => (false, list),
    };
    let mut digits = Vec::new();
    while let Some((c, tail)) = rest.as_cons() {
        // The low byte, as BEAM's `byte ch = unsigned_val(...)` keeps it.
        match c.as_small().map(|v| v as u8) {
            Some(b) if digit_value(b, base).is_some() => digits.push(b),
            _ => break,
        }
        rest = tail;
    }
    if digits.is_empty() {
        return Err(PrefixError::NoNumber);
    }
    let n = digits_to_int(negative, &digits, base).ok_or(PrefixError::NoNumber)?;
    Ok((n, rest))
}

/// The value of `digits` in `base`, negated if `negative`; `None` if one
/// is not a digit (callers have checked).
fn digits_to_int(negative: bool, digits: &[u8], base: u32) -> Option<Int> {
    let value = |b: u8| digit_value(b, base).unwrap_or(0);
    // Up to 12 digits fit an i64 in any base (36^12 < 2^63).
    if digits.len() <= 12 {
        let mag = digits
            .iter()
            .fold(0i64, |acc, &b| acc * i64::from(base) + i64::from(value(b)));
        return Some(Int::Small(if negative { -mag } else { mag }));
    }
    let text = std::str::from_utf8(digits).ok()?;
    let v = IBig::from(UBig::from_str_radix(text, base).ok()?);
    Some(int_from_ibig(if negative { -v } else { v }))
}

/// `v` as an [`Int`]: `Small` when it fits an `i64`.
pub(super) fn int_from_ibig(v: IBig) -> Int {
    match i64::try_from(&v) {
        Ok(s) => Int::Small(s),
        Err(_) => Int::Big(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below were given by `erl` (OTP 25.2.3).
    #[test]
    fn parses_as_beam() {
        let hex = Base::new(16).unwrap();
        assert_eq!(text_to_integer(b"+5", Base::DECIMAL), Ok(Int::Small(5)));
        assert_eq!(text_to_integer(b"-Ff", hex), Ok(Int::Small(-255)));
        for bad in ["", "+", "-", "--5", "1_000", " 7", "7 ", "1.0"] {
            assert_eq!(
                text_to_integer(bad.as_bytes(), Base::DECIMAL),
                Err(BadArg),
                "{bad}"
            );
        }
        assert_eq!(text_to_integer(b"12", Base::new(2).unwrap()), Err(BadArg));
    }

    #[test]
    fn prints_as_beam() {
        let hex = Base::new(16).unwrap();
        assert_eq!(integer_to_text(&Int::Small(-255), hex), "-FF");
        assert_eq!(integer_to_text(&Int::Small(0), Base::new(2).unwrap()), "0");
        let big = IBig::from(1u8) << 100;
        assert_eq!(
            integer_to_text(&Int::Big(big), Base::new(36).unwrap()),
            "3EWFDNCA0N6LD1GGVFGG"
        );
    }
}
