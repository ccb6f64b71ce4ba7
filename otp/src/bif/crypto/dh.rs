//! Modular exponentiation and finite-field Diffie-Hellman for `crypto`
//! (`mod_exp_nif`, `dh_generate_key_nif`, `dh_compute_key_nif`) over
//! `ibig`, with the checks OpenSSL 3 makes (a prime of at least 512 bits,
//! a peer key in `[2, p-2]`) and erl's error terms. Numbers travel as
//! unpadded big-endian binaries.

use ibig::modular::ModuloRing;
use ibig::UBig;

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::random::{below, random_bytes};
use super::{bad, c_error};
use crate::bif::helpers::is_atom;

/// OpenSSL 3's smallest DH modulus.
const MIN_BITS: usize = 512;

fn pow(base: &UBig, exp: &UBig, m: &UBig) -> UBig {
    ModuloRing::new(m).from(base).pow(exp).residue()
}

/// `mod_exp_nif(Base, Exponent, Modulus, BinHdr)`: `Base^Exponent mod
/// Modulus`, unpadded (empty for zero), after a 4-byte length when
/// `BinHdr` is 1. A zero modulus is a `badarg`.
pub(super) fn mod_exp_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let num = |t: Term| t.as_binary().map(UBig::from_be_bytes);
    let (Some(base), Some(exp), Some(m), Some(hdr)) =
        (num(args[0]), num(args[1]), num(args[2]), args[3].as_small())
    else {
        return Err(Exception::badarg());
    };
    if m == UBig::from(0u8) {
        return Err(Exception::badarg());
    }
    let bytes = pow(&base, &exp, &m).to_be_bytes();
    let out = if hdr == 0 {
        bytes
    } else {
        let len = u32::try_from(bytes.len()).map_err(|_| Exception::badarg())?;
        [&len.to_be_bytes()[..], &bytes].concat()
    };
    Ok(p.heap.binary(&out))
}

/// `[P, G | _]` with each a binary (`Bad value of 'p'` / `'g'` at the
/// lines given).
fn params(
    p: &mut Process,
    t: Term,
    lines: (i64, i64),
    arg: i64,
) -> Result<(UBig, UBig), Exception> {
    let items = t.proper_list().unwrap_or_default();
    let prime = items
        .first()
        .and_then(|x| x.as_binary())
        .ok_or_else(|| bad(p, "dh.c", lines.0, arg, "Bad value of 'p'"))?;
    let g = items
        .get(1)
        .and_then(|x| x.as_binary())
        .ok_or_else(|| bad(p, "dh.c", lines.1, arg, "Bad value of 'g'"))?;
    Ok((UBig::from_be_bytes(prime), UBig::from_be_bytes(g)))
}

/// `dh_generate_key_nif(PrivKey | undefined, [P, G], 0, Length)`:
/// `{Public, Private}`. A private key given is used (erl's OpenSSL 3
/// build draws a fresh one instead); drawn ones have `Length` bits when
/// it is non-zero.
pub(super) fn dh_generate_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let given = if is_atom(args[0], "undefined") {
        None
    } else {
        let key = args[0]
            .as_binary()
            .ok_or_else(|| bad(p, "dh.c", 57, 0, "PrivKeyIn"))?;
        Some(UBig::from_be_bytes(key))
    };
    let (prime, g) = params(p, args[1], (66, 71), 1)?;
    let len = args[3]
        .as_small()
        .and_then(|l| usize::try_from(l).ok())
        .ok_or_else(|| bad(p, "dh.c", 89, 3, "Bad value of length element"))?;
    let failed =
        |p: &mut Process| c_error(p, "error", "dh.c", 124, -1, "Can't generate DH key pair");
    if prime.bit_len() < MIN_BITS || g < UBig::from(2u8) || g >= prime {
        return Err(failed(p));
    }
    let two = UBig::from(2u8);
    let private = match given {
        Some(k) => k,
        None if len > 0 && len < prime.bit_len() => random_bits(len).ok_or_else(|| failed(p))?,
        None => below(&(&prime - UBig::from(3u8)))
            .map(|r| r + &two)
            .ok_or_else(|| failed(p))?,
    };
    if private < UBig::from(1u8) || private >= &prime - UBig::from(1u8) {
        return Err(failed(p));
    }
    let public = pow(&g, &private, &prime);
    let public = p.heap.binary(&public.to_be_bytes());
    let private = p.heap.binary(&private.to_be_bytes());
    Ok(p.heap.tuple(&[public, private]))
}

/// A random number of exactly `bits` bits.
fn random_bits(bits: usize) -> Option<UBig> {
    let mut bytes = random_bytes(bits.div_ceil(8))?;
    let extra = bytes.len() * 8 - bits;
    bytes[0] &= 0xff >> extra;
    bytes[0] |= 0x80 >> extra;
    Some(UBig::from_be_bytes(&bytes))
}

/// `dh_compute_key_nif(OthersPublic, MyPrivate, [P, G])`: the shared
/// secret, unpadded.
pub(super) fn dh_compute_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let text = "Bad peer public key; binary expected";
    let others = args[0]
        .as_binary()
        .ok_or_else(|| bad(p, "dh.c", 187, 0, text))?;
    let (prime, _) = params(p, args[2], (194, 197), 2)?;
    let mine = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, "dh.c", 215, 1, text))?;
    let others = UBig::from_be_bytes(others);
    if others < UBig::from(2u8) || others >= &prime - UBig::from(1u8) {
        return Err(c_error(
            p,
            "error",
            "dh.c",
            236,
            -1,
            "Can't get result size",
        ));
    }
    if prime.bit_len() < MIN_BITS {
        return Err(c_error(p, "error", "dh.c", 243, -1, "Can't get result"));
    }
    let secret = pow(&others, &UBig::from_be_bytes(mine), &prime);
    Ok(p.heap.binary(&secret.to_be_bytes()))
}
