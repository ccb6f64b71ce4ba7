//! `crypto`'s key generation and agreement NIFs of `rsa.c`, `ec.c`,
//! `ecdh.c` and `evp.c`: `rsa_generate_key_nif`, `ec_generate_key_nif`,
//! `ecdh_compute_key_nif`, `evp_generate_key_nif` and
//! `evp_compute_key_nif`, with erl's error terms.

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::ec::{Curve, EcdhError, ScalarError};
use super::edwards::{key32, x25519, Evp};
use super::{bad, c_error};
use crate::bif::helpers::is_atom;

/// `rsa_generate_key_nif(Bits, PublicExponent)`: the private key list
/// `[E, N, D, P1, P2, E1, E2, C]`.
pub(super) fn rsa_generate_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let bits = args[0]
        .as_small()
        .and_then(|b| u32::try_from(b).ok())
        .ok_or_else(|| bad(p, "rsa.c", 461, 0, "Can't get unsigned int"))?;
    if bits < 256 {
        return Err(bad(p, "rsa.c", 465, 0, "Can't be < 256"));
    }
    let e = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, "rsa.c", 470, 1, "Can't get binary public exponent"))?;
    if bits < 512 {
        return Err(c_error(p, "error", "rsa.c", 487, -1, "Can't set params"));
    }
    // OpenSSL's largest modulus; an even exponent or one below 3 has no
    // key (the prime search would never end).
    let odd = e.last().is_some_and(|b| b & 1 == 1);
    let above_one = e.iter().rev().skip(1).any(|&b| b != 0) || e.last().is_some_and(|&b| b > 1);
    let key = (bits <= 16384 && odd && above_one)
        .then(|| super::rsa::generate(bits as usize, e))
        .flatten();
    let Some(key) = key else {
        return Err(c_error(
            p,
            "error",
            "rsa.c",
            492,
            -1,
            "Can't generate RSA key-pair",
        ));
    };
    let parts: Vec<Term> = key.iter().map(|b| p.heap.binary(b)).collect();
    Ok(p.heap.list(&parts))
}

/// The curve of `nif_curve_params/1`'s `{Spec, CurveName}`: by name, or
/// by the explicit parameters `{{prime_field, P}, {A, B, Seed}, Base,
/// Order, CoFactor}` with the name `undefined`.
pub(super) fn curve_of(t: Term) -> Option<Curve> {
    let pair = t.as_tuple().filter(|t| t.len() == 2)?;
    let [spec, name] = [pair.elements()[0], pair.elements()[1]];
    if let Some(curve) = name.as_atom().and_then(|a| Curve::named(a.name())) {
        return Some(curve);
    }
    let spec = spec.as_tuple().filter(|t| t.len() == 5)?.elements();
    let field = spec[0].as_tuple().filter(|t| t.len() == 2)?.elements();
    if !is_atom(field[0], "prime_field") {
        return None;
    }
    let shape = spec[1].as_tuple().filter(|t| t.len() == 3)?.elements();
    Curve::explicit(
        field[1].as_binary()?,
        shape[0].as_binary()?,
        spec[2].as_binary()?,
    )
}

/// `{Public, Private}` as binaries.
fn pair(p: &mut Process, public: &[u8], private: &[u8]) -> Term {
    let public = p.heap.binary(public);
    let private = p.heap.binary(private);
    p.heap.tuple(&[public, private])
}

/// `ec_generate_key_nif(CurveParams, PrivKey | undefined)`.
pub(super) fn ec_generate_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let curve =
        curve_of(args[0]).ok_or_else(|| bad(p, "ec.c", 355, 0, "Couldn't get Curve definition"))?;
    if is_atom(args[1], "undefined") {
        let (public, private) = curve.generate();
        return Ok(pair(p, &public, &private));
    }
    let scalar = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, "ec.c", 273, 1, "Bad private key"))?;
    match curve.key_pair(scalar) {
        Ok((public, private)) => Ok(pair(p, &public, &private)),
        Err(ScalarError::Zero) => Err(bad(p, "ec.c", 429, 1, "peer priv key must not be 0")),
        Err(ScalarError::Invalid) => {
            Err(c_error(p, "error", "ec.c", 413, -1, "Couldn't get EC key"))
        }
    }
}

/// `ecdh_compute_key_nif(Others, CurveParams, My)`.
pub(super) fn ecdh_compute_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let text = "Bad peer public key; binary expected";
    let peer = args[0]
        .as_binary()
        .ok_or_else(|| bad(p, "ecdh.c", 54, 0, text))?;
    let curve = curve_of(args[1])
        .ok_or_else(|| c_error(p, "error", "ec.c", 78, -1, "Bad curve def. Expect 5-tuple."))?;
    let mine = args[2]
        .as_binary()
        .ok_or_else(|| bad(p, "ecdh.c", 81, 2, text))?;
    match curve.ecdh(peer, mine) {
        Ok(secret) => Ok(p.heap.binary(&secret)),
        Err(EcdhError::BadPoint) => Err(c_error(p, "error", "ecdh.c", 70, -1, "Can't do fromdata")),
        Err(EcdhError::BadScalar) => {
            Err(c_error(p, "error", "ecdh.c", 113, -1, "Can't get result"))
        }
    }
}

/// The curve argument of the EVP NIFs (`notsup` for ed448 and x448).
fn evp_of(p: &mut Process, t: Term) -> Result<Evp, Exception> {
    t.as_atom()
        .and_then(|a| Evp::named(a.name()))
        .ok_or_else(|| c_error(p, "notsup", "evp.c", 0, 0, "Unsupported curve in Enigma"))
}

/// `evp_generate_key_nif(Curve, PrivKey | undefined)`.
pub(super) fn evp_generate_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let evp = evp_of(p, args[0])?;
    let private = if is_atom(args[1], "undefined") {
        Evp::random_private()
    } else {
        let Some(given) = args[1].as_binary() else {
            return Err(c_error(p, "error", "evp.c", 143, -1, "Can't get max size"));
        };
        Some(given.to_vec())
    };
    match private.and_then(|k| evp.key_pair(&k)) {
        Some((public, private)) => Ok(pair(p, &public, &private)),
        None => {
            let text = "Can't EVP_PKEY_new_raw_private_key";
            Err(c_error(p, "error", "evp.c", 145, -1, text))
        }
    }
}

/// `evp_compute_key_nif(Curve, OthersPublic, MyPrivate)`: X25519.
pub(super) fn evp_compute_key_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if evp_of(p, args[0])? != Evp::X25519 {
        return Err(c_error(
            p,
            "error",
            "evp.c",
            79,
            -1,
            "Can't EVP_PKEY_derive",
        ));
    }
    let mine = args[2]
        .as_binary()
        .and_then(key32)
        .ok_or_else(|| bad(p, "evp.c", 50, 2, "Not a valid raw private key"))?;
    let peer = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, "evp.c", 60, 1, "Binary expected"))?;
    let peer = key32(peer).ok_or_else(|| bad(p, "evp.c", 63, 1, "Not a raw public peer key"))?;
    match x25519(peer, mine) {
        Some(secret) => Ok(p.heap.binary(&secret)),
        None => Err(c_error(
            p,
            "error",
            "evp.c",
            79,
            -1,
            "Can't EVP_PKEY_derive",
        )),
    }
}
