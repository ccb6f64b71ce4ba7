//! `crypto`'s public-key NIFs of `pkey.c`: `pkey_sign_nif`,
//! `pkey_verify_nif` (RSA with PKCS #1 v1.5 or PSS, ECDSA, Ed25519, DSA) and
//! `pkey_crypt_nif` (RSA encryption with PKCS #1 v1.5, OAEP or no
//! padding), with the checks and error terms of erl's `crypto.so`. Keys
//! arrive as `crypto.erl`'s `format_pkey/2` leaves them.

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::digest::Algorithm;
use super::dsa;
use super::ec::Curve;
use super::edwards::{ed25519_sign, ed25519_verify};
use super::keys::curve_of;
use super::rsa::{self as rsa_alg, CryptPadding, PrivateKey, PublicKey, SignPadding};
use super::{bad, c_error};
use crate::bif::helpers::{atom, iodata_bytes};

const FILE: &str = "pkey.c";

/// A signature algorithm of `sign/5` and `verify/6`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Alg {
    Rsa,
    Ecdsa,
    Eddsa,
    Dss,
}

fn alg_of(p: &mut Process, t: Term) -> Result<Alg, Exception> {
    match t.as_atom().map(|a| a.name()) {
        Some("rsa") => Ok(Alg::Rsa),
        Some("ecdsa") => Ok(Alg::Ecdsa),
        Some("eddsa") => Ok(Alg::Eddsa),
        Some("dss") => Ok(Alg::Dss),
        _ => Err(bad(p, FILE, 112, 0, "Bad algorithm")),
    }
}

/// A digest option's value (`Bad digest type` otherwise).
fn digest_of(p: &mut Process, t: Term, arg: i64) -> Result<Algorithm, Exception> {
    t.as_atom()
        .and_then(|a| Algorithm::named(a.name()))
        .ok_or_else(|| bad(p, FILE, 138, arg, "Bad digest type"))
}

/// The digest type argument: a digest, or `none` (the message signed
/// as it is, RSA only); EdDSA ignores it.
fn sign_digest(p: &mut Process, alg: Alg, t: Term) -> Result<Option<Algorithm>, Exception> {
    let none = t.as_atom().is_some_and(|a| a.name() == "none");
    if alg == Alg::Eddsa || (alg == Alg::Rsa && none) {
        return Ok(None);
    }
    digest_of(p, t, 1).map(Some)
}

/// The bytes signed: the digest of the message, or the `{digest, D}`
/// given (its size checked against the digest's).
fn signed_bytes(
    p: &mut Process,
    alg: Alg,
    digest: Option<Algorithm>,
    t: Term,
) -> Result<Vec<u8>, Exception> {
    let line = if alg == Alg::Eddsa { 201 } else { 208 };
    if let Some(pair) = t.as_tuple().filter(|t| t.len() == 2) {
        let [tag, value] = [pair.elements()[0], pair.elements()[1]];
        if tag.as_atom().is_some_and(|a| a.name() == "digest") {
            let d = value
                .as_binary()
                .ok_or_else(|| bad(p, FILE, 188, 2, "Bad 2nd element in list"))?;
            if let (Some(a), false) = (digest, alg == Alg::Eddsa) {
                if d.len() != a.info().size {
                    return Err(bad(p, FILE, 193, 2, "Bad binary size for the algorithm"));
                }
            }
            return Ok(d.to_vec());
        }
    }
    let data =
        iodata_bytes(t).ok_or_else(|| bad(p, FILE, line, 2, "Expected a binary or a list"))?;
    Ok(match (alg, digest) {
        (Alg::Eddsa, _) | (_, None) => data,
        (_, Some(a)) => a.digest(&data),
    })
}

/// A padding of `sign`/`verify`'s `rsa_padding` option.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SignPad {
    Pkcs1,
    Pss,
    X931,
    NoPadding,
}

/// The options of `sign`/`verify`.
struct SignOptions {
    padding: SignPad,
    salt: Option<i64>,
    mgf1: Option<Algorithm>,
}

fn sign_options(p: &mut Process, t: Term, arg: i64) -> Result<SignOptions, Exception> {
    let items = t
        .proper_list()
        .ok_or_else(|| bad(p, FILE, 254, arg, "Expected a list"))?;
    let mut opts = SignOptions {
        padding: SignPad::Pkcs1,
        salt: None,
        mgf1: None,
    };
    for item in items {
        let pair = item.as_tuple().filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(bad(
                p,
                FILE,
                277,
                arg,
                "Expects only two-tuples in the list",
            ));
        };
        let [tag, value] = [pair.elements()[0], pair.elements()[1]];
        match tag.as_atom().map(|a| a.name()) {
            Some("rsa_padding") => {
                opts.padding = match value.as_atom().map(|a| a.name()) {
                    Some("rsa_pkcs1_padding") => SignPad::Pkcs1,
                    Some("rsa_pkcs1_pss_padding") => SignPad::Pss,
                    Some("rsa_x931_padding") => SignPad::X931,
                    Some("rsa_no_padding") => SignPad::NoPadding,
                    _ => return Err(bad(p, FILE, 310, arg, "Bad value in option rsa_padding")),
                }
            }
            Some("rsa_pss_saltlen") => match value.as_small() {
                Some(n) if n >= -2 => opts.salt = Some(n),
                _ => {
                    return Err(bad(
                        p,
                        FILE,
                        316,
                        arg,
                        "Bad value in option rsa_pss_saltlen",
                    ))
                }
            },
            Some("rsa_mgf1_md") => opts.mgf1 = Some(digest_of(p, value, arg)?),
            _ => return Err(bad(p, FILE, 319, arg, "Bad option")),
        }
    }
    Ok(opts)
}

/// The RSA signature padding the options ask for (erl's errors for the
/// ones it cannot sign with).
fn rsa_sign_padding(
    p: &mut Process,
    opts: &SignOptions,
    digest: Option<Algorithm>,
    lines: (i64, i64),
) -> Result<SignPadding, Exception> {
    if digest.is_some_and(|d| !rsa_alg::signs_with(d)) {
        let text = "Can't EVP_PKEY_CTX_set_signature_md";
        return Err(c_error(p, "error", FILE, lines.0, -1, text));
    }
    match opts.padding {
        SignPad::Pkcs1 => Ok(SignPadding::Pkcs1),
        SignPad::Pss => Ok(SignPadding::Pss {
            salt: opts.salt.unwrap_or(-2),
            mgf1: opts.mgf1,
        }),
        SignPad::NoPadding => {
            let text = "Can't EVP_PKEY_CTX_set_rsa_padding";
            Err(c_error(p, "error", FILE, lines.1, -1, text))
        }
        SignPad::X931 => Err(notsup(p, "X9.31 padding is not supported by Enigma")),
    }
}

/// DSA signs over SHA-1, SHA-2 and SHA-3 (OpenSSL's list).
fn dss_digest(p: &mut Process, digest: Option<Algorithm>, line: i64) -> Result<(), Exception> {
    let ok = digest.is_some_and(|d| {
        !matches!(
            d,
            Algorithm::Md4
                | Algorithm::Md5
                | Algorithm::Ripemd160
                | Algorithm::Blake2b
                | Algorithm::Blake2s
        )
    });
    if ok {
        return Ok(());
    }
    let text = "Can't EVP_PKEY_CTX_set_signature_md";
    Err(c_error(p, "error", FILE, line, -1, text))
}

fn notsup(p: &mut Process, text: &str) -> Exception {
    c_error(p, "notsup", FILE, 0, -1, text)
}

/// The binaries of a key list (`None` for anything else).
fn binaries<'a>(t: Term) -> Option<Vec<&'a [u8]>> {
    t.proper_list()?
        .into_iter()
        .map(|x| x.as_binary())
        .collect()
}

/// `[E, N]`.
fn rsa_public(t: Term) -> Option<PublicKey> {
    match binaries(t)?.as_slice() {
        [e, n] => PublicKey::new(e, n),
        _ => None,
    }
}

/// `[E, N, D]` or `[E, N, D, P1, P2, E1, E2, C]`.
fn rsa_private(t: Term) -> Option<PrivateKey> {
    match binaries(t)?.as_slice() {
        [e, n, d] => PrivateKey::new(e, n, d),
        [e, n, d, p, q, dp, dq, qinv] => {
            Some(PrivateKey::new(e, n, d)?.with_crt([p, q, dp, dq, qinv]))
        }
        _ => None,
    }
}

/// `{{Spec, CurveName}, Key}` of `format_pkey(ecdsa, ...)`.
fn ec_key<'a>(t: Term) -> Option<(Curve, &'a [u8])> {
    let pair = t.as_tuple().filter(|t| t.len() == 2)?;
    let [params, key] = [pair.elements()[0], pair.elements()[1]];
    Some((curve_of(params)?, key.as_binary()?))
}

/// `[Key, ed25519]` of `format_pkey(eddsa, ...)` (ed448 is not here).
fn ed_key<'a>(t: Term) -> Option<&'a [u8]> {
    match t.proper_list()?.as_slice() {
        [key, curve] if curve.as_atom()?.name() == "ed25519" => key.as_binary(),
        _ => None,
    }
}

fn sign_failed(p: &mut Process) -> Exception {
    c_error(p, "error", FILE, 601, -1, "Can't EVP_PKEY_sign")
}

/// `pkey_sign_nif(Algorithm, Type, Data, Key, Options)`.
pub(super) fn pkey_sign_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let alg = alg_of(p, args[0])?;
    let digest = sign_digest(p, alg, args[1])?;
    let data = signed_bytes(p, alg, digest, args[2])?;
    let opts = sign_options(p, args[4], 4)?;
    let sig = match alg {
        Alg::Rsa => {
            let key = rsa_private(args[3])
                .ok_or_else(|| bad(p, FILE, 357, 3, "Couldn't get RSA private key"))?;
            let padding = rsa_sign_padding(p, &opts, digest, (533, 539))?;
            rsa_alg::sign(&key, digest, &data, &padding).ok()
        }
        Alg::Ecdsa => {
            let (curve, scalar) = ec_key(args[3])
                .ok_or_else(|| bad(p, FILE, 362, 3, "Couldn't get ECDSA private key"))?;
            curve.sign(scalar, &data)
        }
        Alg::Eddsa => {
            let key = ed_key(args[3])
                .filter(|k| k.len() == 32)
                .ok_or_else(|| bad(p, FILE, 371, 3, "Couldn't get EDDSA private key"))?;
            ed25519_sign(key, &data)
        }
        Alg::Dss => {
            let key = binaries(args[3])
                .and_then(|parts| dsa::Key::new(&parts))
                .ok_or_else(|| bad(p, FILE, 381, 3, "Couldn't get DSA private key"))?;
            dss_digest(p, digest, 533)?;
            key.sign(&data)
        }
    };
    match sig {
        Some(sig) => Ok(p.heap.binary(&sig)),
        None => Err(sign_failed(p)),
    }
}

/// `pkey_verify_nif(Algorithm, Type, Data, Signature, Key, Options)`.
pub(super) fn pkey_verify_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let alg = alg_of(p, args[0])?;
    let digest = sign_digest(p, alg, args[1])?;
    let data = signed_bytes(p, alg, digest, args[2])?;
    let opts = sign_options(p, args[5], 5)?;
    let sig = args[3]
        .as_binary()
        .ok_or_else(|| bad(p, FILE, 758, 3, "Expected a binary"))?;
    let ok = match alg {
        Alg::Rsa => {
            let key = rsa_public(args[4])
                .ok_or_else(|| bad(p, FILE, 435, 4, "Couldn't get RSA public key"))?;
            let padding = rsa_sign_padding(p, &opts, digest, (774, 780))?;
            rsa_alg::verify(&key, digest, &data, sig, &padding)
        }
        Alg::Ecdsa => {
            let bad_key = |p: &mut Process| bad(p, FILE, 440, 4, "Couldn't get ECDSA public key");
            let Some((curve, point)) = ec_key(args[4]) else {
                return Err(bad_key(p));
            };
            match curve.verify(point, &data, sig) {
                Some(ok) => ok,
                None => return Err(bad_key(p)),
            }
        }
        Alg::Eddsa => {
            let verdict = ed_key(args[4]).and_then(|key| ed25519_verify(key, &data, sig));
            verdict.ok_or_else(|| bad(p, FILE, 449, 4, "Couldn't get EDDSA public key"))?
        }
        Alg::Dss => {
            let key = binaries(args[4])
                .and_then(|parts| dsa::Key::new(&parts))
                .ok_or_else(|| bad(p, FILE, 459, 4, "Couldn't get DSA public key"))?;
            dss_digest(p, digest, 774)?;
            key.verify(&data, sig)
        }
    };
    atom(if ok { "true" } else { "false" })
}

/// The options of `pkey_crypt_nif`: `rsa_padding` (or the old
/// `rsa_pad`), the OAEP digests and label.
fn crypt_options(p: &mut Process, t: Term) -> Result<(Option<CryptPadding>, bool), Exception> {
    let items = t
        .proper_list()
        .ok_or_else(|| bad(p, FILE, 895, 3, "Expected a list"))?;
    let (mut pad, mut md, mut mgf1, mut label) = ("rsa_pkcs1_padding", None, None, Vec::new());
    for item in items {
        let pair = item.as_tuple().filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(bad(p, FILE, 924, 3, "Expect only two-tuples in the list"));
        };
        let [tag, value] = [pair.elements()[0], pair.elements()[1]];
        match tag.as_atom().map(|a| a.name()) {
            Some("rsa_padding" | "rsa_pad") => {
                pad = match value.as_atom().map(|a| a.name()) {
                    Some(
                        name @ ("rsa_pkcs1_padding"
                        | "rsa_pkcs1_oaep_padding"
                        | "rsa_no_padding"
                        | "rsa_x931_padding"),
                    ) => name,
                    _ => {
                        let text = "Bad padding type in option rsa_padding";
                        return Err(bad(p, FILE, 949, 3, text));
                    }
                }
            }
            Some("signature_md") => {
                digest_of(p, value, 3)?;
            }
            Some("rsa_mgf1_md") => mgf1 = Some(digest_of(p, value, 3)?),
            Some("rsa_oaep_md") => md = Some(digest_of(p, value, 3)?),
            Some("rsa_oaep_label") => {
                let text = "Binary expected for option rsa_oaep_label";
                label = value
                    .as_binary()
                    .ok_or_else(|| bad(p, FILE, 978, 3, text))?
                    .to_vec();
            }
            _ => return Err(bad(p, FILE, 997, 3, "Unknown option")),
        }
    }
    let md = md.unwrap_or(Algorithm::Sha);
    let padding = match pad {
        "rsa_pkcs1_padding" => Some(CryptPadding::Pkcs1),
        "rsa_pkcs1_oaep_padding" => Some(CryptPadding::Oaep {
            md,
            mgf1: mgf1.unwrap_or(md),
            label,
        }),
        "rsa_no_padding" => Some(CryptPadding::None),
        _ => None,
    };
    Ok((padding, pad == "rsa_pkcs1_oaep_padding"))
}

/// OAEP with the private key encrypting or the public one decrypting.
fn padding_refused(p: &mut Process) -> Exception {
    c_error(p, "error", FILE, 1120, -1, "Couldn't set rsa padding")
}

/// `pkey_crypt_nif(Algorithm, In, Key, Options, IsPrivate, IsEncrypt)`.
pub(super) fn pkey_crypt_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    if args[0].as_atom().is_none_or(|a| a.name() != "rsa") {
        return Err(bad(p, FILE, 112, 0, "Bad algorithm"));
    }
    let input = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, FILE, 1052, 1, "Binary expected"))?;
    let (padding, oaep) = crypt_options(p, args[3])?;
    let private = args[4].as_atom().is_some_and(|a| a.name() == "true");
    let encrypt = args[5].as_atom().is_some_and(|a| a.name() == "true");
    let failed = |p: &mut Process| c_error(p, "error", FILE, 1184, -1, "Couldn't get the result");
    let result = if private {
        let key = rsa_private(args[2])
            .ok_or_else(|| bad(p, FILE, 357, 2, "Couldn't get RSA private key"))?;
        if oaep && encrypt {
            return Err(padding_refused(p));
        }
        let Some(padding) = padding else {
            return Err(failed(p));
        };
        if encrypt {
            rsa_alg::private_encrypt(&key, input, &padding)
        } else {
            rsa_alg::private_decrypt(&key, input, &padding)
        }
    } else {
        let key = rsa_public(args[2])
            .ok_or_else(|| bad(p, FILE, 435, 2, "Couldn't get RSA public key"))?;
        if oaep && !encrypt {
            return Err(padding_refused(p));
        }
        let Some(padding) = padding else {
            return Err(failed(p));
        };
        if encrypt {
            rsa_alg::public_encrypt(&key, input, &padding)
        } else {
            rsa_alg::public_decrypt(&key, input, &padding)
        }
    };
    match result {
        Ok(out) => Ok(p.heap.binary(&out)),
        Err(_) => Err(failed(p)),
    }
}
