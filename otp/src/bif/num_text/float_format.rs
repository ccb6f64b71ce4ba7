//! `float_to_list/1,2` and `float_to_binary/1,2`.
//!
//! BEAM (`do_float_to_charbuf` in `bif.c`) reads the option list from left
//! to right: `{decimals, N}`, `{scientific, N}` and `short` each set the
//! format, so the last of them wins, while `compact` anywhere in the list
//! sets a flag that only the `decimals` format uses. Without a format option
//! it prints as `{scientific, 20}`. Any other element, a tuple whose count
//! is not a small integer, or an improper list is `badarg`.
//!
//! The text is built in a 256-byte buffer: output of 256 bytes or more is
//! `badarg` (this is why `float_to_list(1.0e300, [{decimals, 2}])` fails).

use enigma_vm::term::print;
use enigma_vm::term::Term;

use super::BadArg;

/// BEAM's buffer size; the text must be shorter.
const BUF_SIZE: usize = 256;

/// Floats above this (2^53) take C's `%.*f` path in the `decimals` format.
const MAX_FAST_FLOAT: f64 = 9007199254740992.0;

/// From this many decimals on the `decimals` format uses C's `%.*f`.
const MAX_FAST_DECIMALS: i32 = 19;

/// 10^n for the `decimals` format's fast path; all exact in a double.
const POW10: [f64; MAX_FAST_DECIMALS as usize] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// How `float_to_list/2` prints, resolved from its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatFormat {
    /// `{scientific, N}` and the default: C's `"%.*e"` with N digits after
    /// the point; a negative N prints as C's default precision, 6.
    Scientific(i32),
    /// `{decimals, N}`, with or without `compact`.
    Decimals {
        /// Digits after the point; negative is `badarg`.
        decimals: i32,
        /// Drop trailing zeros (BEAM's `find_first_trailing_zero`).
        compact: bool,
    },
    /// `short`: the shortest text that reads back to the same float.
    Short,
}

/// The default format, that of `float_to_list/1`.
pub const DEFAULT_FORMAT: FloatFormat = FloatFormat::Scientific(20);

/// Resolves a `float_to_list/2` option list.
pub fn float_options(opts: Term) -> Result<FloatFormat, BadArg> {
    let mut decimals = 20;
    let mut compact = false;
    enum Kind {
        Legacy,
        Short,
        Fixed,
        Scientific,
    }
    let mut kind = Kind::Legacy;
    let mut it = opts.list_iter();
    for opt in it.by_ref() {
        if let Some(name) = opt.as_atom().map(|a| a.name()) {
            match name {
                "compact" => compact = true,
                "short" => kind = Kind::Short,
                _ => return Err(BadArg),
            }
            continue;
        }
        let pair = opt
            .as_tuple()
            .map(|t| t.elements())
            .filter(|e| e.len() == 2)
            .ok_or(BadArg)?;
        // BEAM keeps the count in a C `int`: a small integer beyond 32 bits
        // wraps (2^59 - 1 reads as -1, -2^59 as 0).
        decimals = pair[1].as_small().ok_or(BadArg)? as i32;
        kind = match pair[0].as_atom().map(|a| a.name()) {
            Some("decimals") => Kind::Fixed,
            Some("scientific") => Kind::Scientific,
            _ => return Err(BadArg),
        };
    }
    if !it.tail().is_nil() {
        return Err(BadArg);
    }
    Ok(match kind {
        Kind::Short => FloatFormat::Short,
        Kind::Fixed => FloatFormat::Decimals { decimals, compact },
        Kind::Legacy | Kind::Scientific => FloatFormat::Scientific(decimals),
    })
}

/// `float_to_list(F, Opts)` as text (the list and binary BIFs share it);
/// `float_to_list/1` is `float_to_text(F, Term::NIL)`.
pub fn float_to_text(f: f64, opts: Term) -> Result<String, BadArg> {
    format_float(f, float_options(opts)?)
}

/// Prints `f` in the given format, or `badarg` when BEAM's buffer would
/// overflow.
pub fn format_float(f: f64, format: FloatFormat) -> Result<String, BadArg> {
    let s = match format {
        FloatFormat::Short => print::format_float(f),
        FloatFormat::Scientific(n) => scientific(f, n)?,
        FloatFormat::Decimals { decimals, compact } => fixed(f, decimals, compact)?,
    };
    if s.len() >= BUF_SIZE {
        Err(BadArg)
    } else {
        Ok(s)
    }
}

/// C's `"%.*e"`: exact digits rounded half to even, then `e`, the
/// exponent's sign and at least two exponent digits.
fn scientific(f: f64, precision: i32) -> Result<String, BadArg> {
    let precision = if precision < 0 { 6 } else { precision };
    // "d." + digits + "e+dd" is already too long: don't build it.
    if precision > BUF_SIZE as i32 {
        return Err(BadArg);
    }
    let rust = format!("{:.*e}", precision as usize, f);
    let (mantissa, exp) = rust.split_once('e').ok_or(BadArg)?;
    let exp: i32 = exp.parse().map_err(|_| BadArg)?;
    let sign = if exp < 0 { '-' } else { '+' };
    Ok(format!("{mantissa}e{sign}{:02}", exp.unsigned_abs()))
}

/// BEAM's `sys_double_to_chars_fast`: small floats with few decimals are
/// rounded in floating point (the fraction times 10^decimals, rounded half
/// away from zero), which is not always the correctly rounded result
/// (`0.35` with one decimal prints `0.4`); the rest go through C's `%.*f`.
fn fixed(f: f64, decimals: i32, compact: bool) -> Result<String, BadArg> {
    if decimals < 0 {
        return Err(BadArg);
    }
    let neg = f.is_sign_negative();
    let af = f.abs();
    if af > MAX_FAST_FLOAT || decimals >= MAX_FAST_DECIMALS {
        // At least "d." + decimals bytes: don't build what cannot fit.
        if decimals > BUF_SIZE as i32 {
            return Err(BadArg);
        }
        let mut s = format!("{:.*}", decimals as usize, f);
        // The length limit applies before trailing zeros are dropped.
        if s.len() >= BUF_SIZE {
            return Err(BadArg);
        }
        if compact {
            // BEAM strips here even without a decimal point: 1.0e20 with
            // `{decimals, 0}` and `compact` prints as "1".
            strip_trailing_zeros(&mut s);
        }
        return Ok(s);
    }
    let sign = if neg { "-" } else { "" };
    if decimals == 0 {
        return Ok(format!("{sign}{}", af.round() as u64));
    }
    let scale = POW10[decimals as usize];
    let int_f = af.floor();
    let frac_f = ((af - int_f) * scale).round();
    let (int_part, frac_part) = if frac_f >= scale {
        (int_f as u64 + 1, 0)
    } else {
        (int_f as u64, frac_f as u64)
    };
    let width = decimals as usize;
    let mut s = format!("{sign}{int_part}.{frac_part:0width$}");
    if compact {
        strip_trailing_zeros(&mut s);
    }
    Ok(s)
}

/// Drops trailing zeros but keeps one right after a decimal point.
fn strip_trailing_zeros(s: &mut String) {
    let kept = s.trim_end_matches('0').len();
    s.truncate(kept);
    if s.ends_with('.') {
        s.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected strings below were printed by `erl` (OTP 25.2.3).
    #[test]
    fn decimals_round_as_beam_does() {
        let d = |f: f64, n: i32| {
            format_float(
                f,
                FloatFormat::Decimals {
                    decimals: n,
                    compact: false,
                },
            )
        };
        assert_eq!(d(0.35, 1).unwrap(), "0.4");
        assert_eq!(d(0.125, 2).unwrap(), "0.13");
        assert_eq!(d(2.5, 0).unwrap(), "3");
        assert_eq!(d(-0.0, 3).unwrap(), "-0.000");
        assert_eq!(d(1.0e300, 2), Err(BadArg));
        assert_eq!(d(1.0, 254), Err(BadArg));
    }

    #[test]
    fn scientific_matches_c() {
        assert_eq!(scientific(1.0, -1).unwrap(), "1.000000e+00");
        assert_eq!(scientific(2.5, 0).unwrap(), "2e+00");
        assert_eq!(scientific(1.5, 3).unwrap(), "1.500e+00");
    }
}
