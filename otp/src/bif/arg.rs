//! Argument and result helpers shared by the BIF tables.

use enigma_vm::exception::Exception;
use enigma_vm::term::bignum::Int;
use enigma_vm::term::{Heap, Term};
use ibig::ops::UnsignedAbs;
use ibig::IBig;

/// Most bits an integer's magnitude may have: BEAM's bignums hold at most
/// 2^19 - 1 64-bit digits; anything larger is `system_limit`.
pub const MAX_INT_BITS: usize = ((1 << 19) - 1) * 64;

/// The arguments as an array of the BIF's arity (`badarg` if the caller
/// passed another count, which a correct caller never does).
pub fn arity<const N: usize>(args: &[Term]) -> Result<[Term; N], Exception> {
    args.try_into().map_err(|_| Exception::badarg())
}

/// A number argument.
#[derive(Clone, Debug)]
pub enum Num {
    /// An integer.
    Int(Int),
    /// A float.
    Float(f64),
}

/// The term as a number, if it is one.
pub fn num(t: Term) -> Option<Num> {
    match t.as_float() {
        Some(f) => Some(Num::Float(f)),
        None => t.as_int().map(Num::Int),
    }
}

/// A small non-negative integer argument (an index, a count).
pub fn index(t: Term) -> Option<usize> {
    t.as_small().and_then(|v| usize::try_from(v).ok())
}

/// `true` or `false` as a Rust bool.
pub fn boolean(t: Term) -> Option<bool> {
    if t == Term::TRUE {
        Some(true)
    } else if t == Term::FALSE {
        Some(false)
    } else {
        None
    }
}

/// An integer result, `system_limit` beyond BEAM's largest bignum.
pub fn big_term(heap: &mut Heap, v: &IBig) -> Result<Term, Exception> {
    if v.unsigned_abs().bit_len() > MAX_INT_BITS {
        return Err(Exception::system_limit());
    }
    Ok(heap.big(v))
}

/// An integer result.
pub fn int_term(heap: &mut Heap, v: &Int) -> Result<Term, Exception> {
    match v {
        Int::Small(s) => Ok(heap.int(*s)),
        Int::Big(b) => big_term(heap, b),
    }
}

/// A float result of arithmetic: `badarith` when not finite.
pub fn float_term(heap: &mut Heap, f: f64) -> Result<Term, Exception> {
    if f.is_finite() {
        Ok(heap.float(f))
    } else {
        Err(Exception::badarith())
    }
}

/// Elements of a proper list, or `badarg`.
pub fn proper_list(t: Term) -> Result<Vec<Term>, Exception> {
    t.proper_list().ok_or_else(Exception::badarg)
}

/// A table line.
pub const fn entry(
    module: &'static str,
    name: &'static str,
    arity: u32,
    f: enigma_vm::bif::BifFn,
) -> enigma_vm::bif::BifEntry {
    enigma_vm::bif::BifEntry {
        module,
        name,
        arity,
        f,
    }
}
