//! `integer_to_list/1,2`, `integer_to_binary/1,2`, `list_to_integer/1,2`
//! and `binary_to_integer/1,2`.
//!
//! Text is an optional `+` or `-` followed by at least one digit of the
//! base; letters are accepted in either case and printed in upper case.
//! Nothing else is allowed: no whitespace, no underscores, no empty input.

use enigma_vm::term::bignum::Int;
use enigma_vm::term::Term;
use ibig::{IBig, UBig};

use super::BadArg;

/// The base argument of the `/2` BIFs: a small integer in 2..=36.
pub fn base_arg(base: Term) -> Result<u32, BadArg> {
    base.as_small()
        .and_then(|b| u32::try_from(b).ok())
        .filter(|b| (2..=36).contains(b))
        .ok_or(BadArg)
}

/// Prints `n` in `base` (2..=36), upper-case letters for digits above 9.
pub fn integer_to_text(n: &Int, base: u32) -> String {
    debug_assert!((2..=36).contains(&base));
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

/// The value of digit `b` in `base`, if it is one.
fn digit_value(b: u8, base: u32) -> Option<u32> {
    char::from(b).to_digit(base)
}

/// Parses the bytes of `list_to_integer` or `binary_to_integer` in `base`
/// (2..=36).
pub fn text_to_integer(bytes: &[u8], base: u32) -> Result<Int, BadArg> {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || !digits.iter().all(|&b| digit_value(b, base).is_some()) {
        return Err(BadArg);
    }
    // Up to 12 digits fit an i64 in any base (36^12 < 2^63).
    if digits.len() <= 12 {
        let mag = digits.iter().fold(0i64, |acc, &b| {
            acc * i64::from(base) + i64::from(digit_value(b, base).unwrap_or(0))
        });
        return Ok(Int::Small(if negative { -mag } else { mag }));
    }
    // Validated above: ASCII alphanumerics only.
    let text = std::str::from_utf8(digits).map_err(|_| BadArg)?;
    let mag = UBig::from_str_radix(text, base).map_err(|_| BadArg)?;
    let v = IBig::from(mag);
    Ok(int_from_ibig(if negative { -v } else { v }))
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
        assert_eq!(text_to_integer(b"+5", 10), Ok(Int::Small(5)));
        assert_eq!(text_to_integer(b"-Ff", 16), Ok(Int::Small(-255)));
        for bad in ["", "+", "-", "--5", "1_000", " 7", "7 ", "1.0"] {
            assert_eq!(text_to_integer(bad.as_bytes(), 10), Err(BadArg), "{bad}");
        }
        assert_eq!(text_to_integer(b"12", 2), Err(BadArg));
    }

    #[test]
    fn prints_as_beam() {
        assert_eq!(integer_to_text(&Int::Small(-255), 16), "-FF");
        assert_eq!(integer_to_text(&Int::Small(0), 2), "0");
        let big = IBig::from(1u8) << 100;
        assert_eq!(integer_to_text(&Int::Big(big), 36), "3EWFDNCA0N6LD1GGVFGG");
    }
}
