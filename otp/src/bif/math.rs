//! The `math` module: every function OTP 25 has.
//!
//! As BEAM's `math_call_1`/`math_call_2`: an argument that is not a number,
//! or a bignum too large for a float, is `badarg`; a result that is not
//! finite (a domain or range error) is `badarith`, as is a bignum too
//! large for a float.
//!
//! BEAM calls the C library for every function; results must match it to
//! the last bit, so the functions Rust's `f64` computes in Rust (the
//! inverse hyperbolics) and those it lacks (`erf`, `erfc`) come from the C
//! library too, the one `std` already links.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::arg::{arity, entry, float_term, num, Num};
use crate::bif::num_text::int_to_float;

/// The `math` BIFs.
pub const TABLE: &[BifEntry] = &[
    e("pi", 0, pi),
    e("sin", 1, sin),
    e("cos", 1, cos),
    e("tan", 1, tan),
    e("asin", 1, asin),
    e("acos", 1, acos),
    e("atan", 1, atan),
    e("atan2", 2, atan2),
    e("sinh", 1, sinh),
    e("cosh", 1, cosh),
    e("tanh", 1, tanh),
    e("asinh", 1, asinh),
    e("acosh", 1, acosh),
    e("atanh", 1, atanh),
    e("exp", 1, exp),
    e("log", 1, log),
    e("log2", 1, log2),
    e("log10", 1, log10),
    e("pow", 2, pow),
    e("sqrt", 1, sqrt),
    e("erf", 1, erf),
    e("erfc", 1, erfc),
    e("ceil", 1, ceil),
    e("floor", 1, floor),
    e("fmod", 2, fmod),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("math", name, arity, f)
}

/// A number argument as a float.
fn float_arg(t: Term) -> Result<f64, Exception> {
    match num(t) {
        Some(Num::Float(f)) => Ok(f),
        Some(Num::Int(i)) => int_to_float(&i).map_err(|_| Exception::badarith()),
        None => Err(Exception::badarg()),
    }
}

fn call1(p: &mut Process, args: &[Term], f: fn(f64) -> f64) -> Result<Term, Exception> {
    let [a] = arity(args)?;
    let x = float_arg(a)?;
    float_term(&mut p.heap, f(x))
}

fn call2(p: &mut Process, args: &[Term], f: fn(f64, f64) -> f64) -> Result<Term, Exception> {
    let [a, b] = arity(args)?;
    let (x, y) = (float_arg(a)?, float_arg(b)?);
    float_term(&mut p.heap, f(x, y))
}

fn pi(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [] = arity(args)?;
    Ok(p.heap.float(std::f64::consts::PI))
}

macro_rules! unary {
    ($($name:ident => $f:expr),* $(,)?) => {
        $(fn $name(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
            call1(p, args, $f)
        })*
    };
}

unary! {
    sin => f64::sin,
    cos => f64::cos,
    tan => f64::tan,
    asin => f64::asin,
    acos => f64::acos,
    atan => f64::atan,
    sinh => f64::sinh,
    cosh => f64::cosh,
    tanh => f64::tanh,
    asinh => cmath::asinh,
    acosh => cmath::acosh,
    atanh => cmath::atanh,
    exp => f64::exp,
    log => f64::ln,
    log2 => f64::log2,
    log10 => f64::log10,
    sqrt => f64::sqrt,
    erf => cmath::erf,
    erfc => cmath::erfc,
    ceil => f64::ceil,
    floor => f64::floor,
}

fn atan2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    call2(p, args, f64::atan2)
}

fn pow(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    call2(p, args, f64::powf)
}

fn fmod(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    call2(p, args, |x, y| x % y)
}

/// The C library's functions, for bit-exact agreement with BEAM.
mod cmath {
    mod ffi {
        extern "C" {
            pub fn asinh(x: f64) -> f64;
            pub fn acosh(x: f64) -> f64;
            pub fn atanh(x: f64) -> f64;
            pub fn erf(x: f64) -> f64;
            pub fn erfc(x: f64) -> f64;
        }
    }

    macro_rules! wrap {
        ($($name:ident),*) => {
            $(pub fn $name(x: f64) -> f64 {
                // SAFETY: a pure C math function of one double; any input is defined.
                unsafe { ffi::$name(x) }
            })*
        };
    }

    wrap!(asinh, acosh, atanh, erf, erfc);
}
