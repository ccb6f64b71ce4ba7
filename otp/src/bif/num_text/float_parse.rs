//! `list_to_float/1` and `binary_to_float/1`.
//!
//! BEAM (`sys_chars_to_double`) accepts exactly
//! `[+-]? digit+ [.,] digit+ ([eE] [+-]? digit+)?`: both a fraction and an
//! integer part are required (`"1"`, `"1."`, `".5"` and `"1e10"` are
//! `badarg`), a comma works as the decimal point, and no whitespace is
//! allowed. The text is a C string, so it ends at the first NUL byte and
//! whatever follows is ignored. The value is correctly rounded (`strtod`);
//! overflow is `badarg`, underflow gives zero.

use super::BadArg;

/// Parses the bytes of `list_to_float/1` or `binary_to_float/1`.
pub fn text_to_float(bytes: &[u8]) -> Result<f64, BadArg> {
    let text = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
    let mut s = Scanner { text, pos: 0 };
    s.eat(|b| b == b'+' || b == b'-');
    s.digits()?;
    let point = s.pos;
    if !s.eat(|b| b == b'.' || b == b',') {
        return Err(BadArg);
    }
    s.digits()?;
    if s.eat(|b| b == b'e' || b == b'E') {
        s.eat(|b| b == b'+' || b == b'-');
        s.digits()?;
    }
    if s.pos != text.len() {
        return Err(BadArg);
    }
    let mut normal = text.to_vec();
    normal[point] = b'.';
    // Only ASCII digits, signs, '.' and 'e' remain, so this is valid UTF-8.
    let normal = String::from_utf8(normal).map_err(|_| BadArg)?;
    let f: f64 = normal.parse().map_err(|_| BadArg)?;
    if f.is_finite() {
        Ok(f)
    } else {
        Err(BadArg)
    }
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    /// Consumes one byte if it matches.
    fn eat(&mut self, ok: impl Fn(u8) -> bool) -> bool {
        match self.text.get(self.pos) {
            Some(&b) if ok(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// Consumes one or more decimal digits.
    fn digits(&mut self) -> Result<(), BadArg> {
        let start = self.pos;
        while self.eat(|b| b.is_ascii_digit()) {}
        if self.pos > start {
            Ok(())
        } else {
            Err(BadArg)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below were given by `erl` (OTP 25.2.3).
    #[test]
    fn syntax_is_beams() {
        for bad in ["1", "1.", ".5", "1e10", "1.5 ", " 1.5", "1.0e", "+-1.0", ""] {
            assert_eq!(text_to_float(bad.as_bytes()), Err(BadArg), "{bad}");
        }
        assert_eq!(text_to_float(b"1,5"), Ok(1.5));
        assert_eq!(text_to_float(b"1.0\0x"), Ok(1.0));
        assert_eq!(text_to_float(b"1.0e-400"), Ok(0.0));
        assert_eq!(text_to_float(b"1.0e400"), Err(BadArg));
    }
}
