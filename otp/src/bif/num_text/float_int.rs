//! Between floats and integers: `round/1`, `trunc/1`, `floor/1` and
//! `ceil/1` of a float (exact, so a huge float gives a bignum), and
//! `float/1` of an integer.

use enigma_vm::term::bignum::{ibig_to_f64, Int};
use ibig::IBig;

use super::integer_text::int_from_ibig;
use super::BadArg;

/// `round(F)`: to the nearest integer, halves away from zero.
pub fn round_float(f: f64) -> Int {
    integral_to_int(f.round())
}

/// `trunc(F)`: towards zero.
pub fn trunc_float(f: f64) -> Int {
    integral_to_int(f.trunc())
}

/// `floor(F)`: towards negative infinity.
pub fn floor_float(f: f64) -> Int {
    integral_to_int(f.floor())
}

/// `ceil(F)`: towards positive infinity.
pub fn ceil_float(f: f64) -> Int {
    integral_to_int(f.ceil())
}

/// The exact value of a finite float that is already an integer.
fn integral_to_int(f: f64) -> Int {
    // 2^63: every float strictly inside ±2^63 converts to i64 exactly.
    const LIMIT: f64 = 9223372036854775808.0;
    if (-LIMIT..LIMIT).contains(&f) {
        return Int::Small(f as i64);
    }
    // |f| >= 2^63, so the exponent is large and there is no fraction:
    // value = (2^52 | fraction bits) * 2^(exponent - 1075).
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7FF) as usize;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let mag = IBig::from(mantissa) << exponent.saturating_sub(1075);
    int_from_ibig(if f < 0.0 { -mag } else { mag })
}

/// `float(N)` of an integer: BEAM's conversion (see
/// [`ibig_to_f64`]), and `badarg` when the result is not finite.
pub fn int_to_float(n: &Int) -> Result<f64, BadArg> {
    let f = match n {
        Int::Small(v) => *v as f64,
        Int::Big(b) => ibig_to_f64(b),
    };
    if f.is_finite() {
        Ok(f)
    } else {
        Err(BadArg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below were given by `erl` (OTP 25.2.3).
    #[test]
    fn rounding_is_beams() {
        assert_eq!(round_float(2.5), Int::Small(3));
        assert_eq!(round_float(-2.5), Int::Small(-3));
        assert_eq!(round_float(-0.4), Int::Small(0));
        let expected: IBig = "1000000000000000019884624838656".parse().unwrap();
        assert_eq!(trunc_float(1.0e30), Int::Big(expected));
    }
}
