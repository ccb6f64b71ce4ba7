//! Arithmetic operators as BIFs (`erlang:'+'/2` ... `bnot/1`) and the
//! number BIFs `abs/1`, `float/1`, `trunc/1`, `round/1`, `floor/1`,
//! `ceil/1`.
//!
//! Operators raise `badarith` on a non-number (or a non-integer for the
//! integer operators) and on a float result that is not finite; the named
//! number BIFs raise `badarg` on a non-number, as BEAM does.

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::Term;
use ibig::ops::UnsignedAbs;
use ibig::IBig;

use crate::bif::arg::{arity, big_term, entry, float_term, int_term, num, Num, MAX_INT_BITS};
use crate::bif::num_text::{ceil_float, floor_float, int_to_float, round_float, trunc_float};

/// The arithmetic BIFs.
pub const TABLE: &[BifEntry] = &[
    e("+", 2, plus),
    e("-", 2, minus),
    e("*", 2, times),
    e("/", 2, divide),
    e("div", 2, int_div),
    e("rem", 2, int_rem),
    e("band", 2, band),
    e("bor", 2, bor),
    e("bxor", 2, bxor),
    e("bsl", 2, bsl),
    e("bsr", 2, bsr),
    e("bnot", 1, bnot),
    e("+", 1, unary_plus),
    e("-", 1, negate),
    e("abs", 1, abs),
    e("float", 1, float),
    e("trunc", 1, trunc),
    e("round", 1, round),
    e("floor", 1, floor),
    e("ceil", 1, ceil),
];

const fn e(name: &'static str, arity: u32, f: enigma_vm::bif::BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// Both operands as floats, `badarith` when an integer is too large for one.
fn floats(a: &Num, b: &Num) -> Result<(f64, f64), Exception> {
    let f = |n: &Num| match n {
        Num::Float(f) => Ok(*f),
        Num::Int(i) => int_to_float(i).map_err(|_| Exception::badarith()),
    };
    Ok((f(a)?, f(b)?))
}

/// A mixed-type operator: small integers first, then bignums, then floats.
fn mixed(
    p: &mut Process,
    args: &[Term],
    small: fn(i64, i64) -> Option<i64>,
    big: fn(IBig, IBig) -> IBig,
    float: fn(f64, f64) -> f64,
) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if let Some(r) = small(x, y) {
            return Ok(p.heap.int(r));
        }
    }
    let (x, y) = match (num(a), num(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(Exception::badarith()),
    };
    match (&x, &y) {
        (Num::Int(i), Num::Int(j)) => big_term(&mut p.heap, &big(i.to_ibig(), j.to_ibig())),
        _ => {
            let (f, g) = floats(&x, &y)?;
            float_term(&mut p.heap, float(f, g))
        }
    }
}

fn plus(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    mixed(p, args, i64::checked_add, |a, b| a + b, |a, b| a + b)
}

fn minus(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    mixed(p, args, i64::checked_sub, |a, b| a - b, |a, b| a - b)
}

fn times(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    mixed(p, args, i64::checked_mul, |a, b| a * b, |a, b| a * b)
}

fn divide(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    let (x, y) = match (num(a), num(b)) {
        (Some(x), Some(y)) => floats(&x, &y)?,
        _ => return Err(Exception::badarith()),
    };
    if y == 0.0 {
        return Err(Exception::badarith());
    }
    float_term(&mut p.heap, x / y)
}

/// Both operands as integers, or `badarith`.
fn ints(args: &[Term]) -> Result<(Int, Int), Exception> {
    let [a, b] = arity(args)?;
    match (a.as_int(), b.as_int()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(Exception::badarith()),
    }
}

/// An integer-only operator.
fn integer(
    p: &mut Process,
    args: &[Term],
    small: fn(i64, i64) -> Option<i64>,
    big: fn(IBig, IBig) -> Option<IBig>,
) -> Result<Term, Exception> {
    let (x, y) = ints(args)?;
    if let (Int::Small(a), Int::Small(b)) = (&x, &y) {
        if let Some(r) = small(*a, *b) {
            return Ok(p.heap.int(r));
        }
    }
    match big(x.to_ibig(), y.to_ibig()) {
        Some(r) => big_term(&mut p.heap, &r),
        None => Err(Exception::badarith()),
    }
}

fn nonzero(b: &IBig) -> bool {
    *b != IBig::from(0u8)
}

fn int_div(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    integer(p, args, i64::checked_div, |a, b| nonzero(&b).then(|| a / b))
}

fn int_rem(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    integer(p, args, i64::checked_rem, |a, b| nonzero(&b).then(|| a % b))
}

fn band(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    integer(p, args, |a, b| Some(a & b), |a, b| Some(a & b))
}

fn bor(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    integer(p, args, |a, b| Some(a | b), |a, b| Some(a | b))
}

fn bxor(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    integer(p, args, |a, b| Some(a ^ b), |a, b| Some(a ^ b))
}

fn bsl(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (x, n) = ints(args)?;
    shift(p, x, n, false)
}

fn bsr(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (x, n) = ints(args)?;
    shift(p, x, n, true)
}

/// `x bsl n` (or `x bsr n` when `right`); a negative count shifts the
/// other way. Right shifts round towards negative infinity.
fn shift(p: &mut Process, x: Int, n: Int, right: bool) -> Result<Term, Exception> {
    let x = x.to_ibig();
    let n = n.to_ibig();
    let zero = IBig::from(0u8);
    let left = (n > zero) != right;
    let count = n.unsigned_abs();
    if x == zero {
        return Ok(Term::small(0));
    }
    if left {
        let bits = (&x).unsigned_abs().bit_len();
        match usize::try_from(&count) {
            Ok(c) if c <= MAX_INT_BITS && bits + c <= MAX_INT_BITS => {
                big_term(&mut p.heap, &(x << c))
            }
            _ => Err(Exception::system_limit()),
        }
    } else {
        match usize::try_from(&count) {
            Ok(c) if c < (&x).unsigned_abs().bit_len() => big_term(&mut p.heap, &(x >> c)),
            _ => Ok(Term::small(if x < zero { -1 } else { 0 })),
        }
    }
}

fn bnot(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    match a.as_int() {
        Some(Int::Small(v)) => Ok(p.heap.int(!v)),
        Some(Int::Big(b)) => big_term(&mut p.heap, &(-b - IBig::from(1u8))),
        None => Err(Exception::badarith()),
    }
}

fn unary_plus(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    if a.is_number() {
        Ok(a)
    } else {
        Err(Exception::badarith())
    }
}

fn negate(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    match num(a) {
        Some(Num::Int(i)) => int_term(&mut p.heap, &neg_int(i)),
        Some(Num::Float(f)) => Ok(p.heap.float(-f)),
        None => Err(Exception::badarith()),
    }
}

fn neg_int(i: Int) -> Int {
    match i {
        Int::Small(v) => match v.checked_neg() {
            Some(n) => Int::Small(n),
            None => Int::Big(-IBig::from(v)),
        },
        Int::Big(b) => Int::Big(-b),
    }
}

fn abs(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    match num(a) {
        Some(Num::Int(i)) => {
            let negative = match &i {
                Int::Small(v) => *v < 0,
                Int::Big(b) => *b < IBig::from(0u8),
            };
            if negative {
                int_term(&mut p.heap, &neg_int(i))
            } else {
                Ok(a)
            }
        }
        // BEAM negates only below zero, so abs(-0.0) stays -0.0.
        Some(Num::Float(f)) if f < 0.0 => Ok(p.heap.float(-f)),
        Some(Num::Float(_)) => Ok(a),
        None => Err(Exception::badarg()),
    }
}

fn float(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    match num(a) {
        Some(Num::Int(i)) => {
            let f = int_to_float(&i).map_err(|_| Exception::badarg())?;
            Ok(p.heap.float(f))
        }
        Some(Num::Float(_)) => Ok(a),
        None => Err(Exception::badarg()),
    }
}

/// A float-to-integer BIF: integers are returned as they are.
fn to_integer(p: &mut Process, args: &[Term], f: fn(f64) -> Int) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    match num(a) {
        Some(Num::Int(_)) => Ok(a),
        Some(Num::Float(x)) => int_term(&mut p.heap, &f(x)),
        None => Err(Exception::badarg()),
    }
}

fn trunc(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_integer(p, args, trunc_float)
}

fn round(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_integer(p, args, round_float)
}

fn floor(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_integer(p, args, floor_float)
}

fn ceil(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    to_integer(p, args, ceil_float)
}
