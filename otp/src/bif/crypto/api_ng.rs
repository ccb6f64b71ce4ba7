//! The NIFs of `crypto`'s cipher API (`crypto_init`, `crypto_update`,
//! `crypto_final`, `crypto_one_time`, `crypto_one_time_aead`,
//! `cipher_info`) over `cipher`'s streams and `aead`'s constructions, with
//! the checks and error terms of crypto's `api_ng.c` and `aead.c`.

use std::sync::Arc;

use parking_lot::Mutex;

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::print::Printed;
use enigma_vm::term::Term;

use super::aead::AeadError;
use super::block::Kind;
use super::cipher::{FinalError, Padding, Spec, Stream, ALL};
use super::{bad, c_error, magic};
use crate::bif::helpers::{atom, iodata_bytes};

/// The cipher, key and IV checks of `api_ng.c` (arguments 0, 1, 2), then
/// the options, C's argument `options` (3 for `crypto_init`, 4 for
/// `crypto_one_time`).
fn stream(p: &mut Process, args: &[Term], options: usize) -> Result<Stream, Exception> {
    let spec = args[0]
        .as_atom()
        .and_then(|a| Spec::named(a.name()))
        .ok_or_else(|| bad(p, "api_ng.c", 242, 0, "Unknown cipher"))?;
    if spec.aead().is_some() {
        return Err(bad(
            p,
            "api_ng.c",
            250,
            0,
            "Missing arguments for this cipher",
        ));
    }
    let key = iodata_bytes(args[1]).ok_or_else(|| bad(p, "api_ng.c", 228, 1, "Bad key"))?;
    if !spec.takes_key(key.len()) {
        return Err(bad_key_size(p, spec));
    }
    // A cipher without an IV ignores the argument, whatever it is.
    let iv = if spec.iv_len() == 0 {
        &[][..]
    } else {
        let iv = args[2]
            .as_binary()
            .ok_or_else(|| bad(p, "api_ng.c", 304, 2, "Bad iv type"))?;
        if iv.len() != spec.iv_len() {
            return Err(bad(p, "api_ng.c", 310, 2, "Bad iv size"));
        }
        iv
    };
    let (encrypt, padding) = options_of(p, args[options], options as i64)?;
    Stream::new(spec, &key, iv, encrypt, padding).ok_or_else(|| bad_key_size(p, spec))
}

/// A key the cipher does not take: AES's size is checked by crypto
/// itself, the other ciphers' by OpenSSL when the context is set up.
fn bad_key_size(p: &mut Process, spec: Spec) -> Exception {
    if spec.kind == Kind::Aes {
        bad(p, "api_ng.c", 244, 1, "Bad key size")
    } else {
        let text = "Can't initialize context, key_length";
        c_error(p, "error", "api_ng.c", 363, -1, text)
    }
}

/// `true`/`false`, or a proper list of `{encrypt, Bool}` and `{padding,
/// Padding}`.
fn options_of(p: &mut Process, t: Term, arg: i64) -> Result<(bool, Padding), Exception> {
    if let Some(a) = t.as_atom() {
        return match a.name() {
            "true" => Ok((true, Padding::Unset)),
            "false" => Ok((false, Padding::Unset)),
            _ => Err(not_options(p, arg)),
        };
    }
    let Some(items) = t.proper_list() else {
        return Err(not_options(p, arg));
    };
    let (mut encrypt, mut padding) = (true, Padding::Unset);
    for item in items {
        let pair = item.as_tuple().filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(not_options(p, arg));
        };
        let (tag, value) = (pair.elements()[0], pair.elements()[1]);
        match tag.as_atom().map(|a| a.name()) {
            Some("encrypt") => match value.as_atom().map(|a| a.name()) {
                Some("true") => encrypt = true,
                Some("false") => encrypt = false,
                _ => {
                    let text = "The 'encrypt' option must be a boolean!";
                    return Err(bad(p, "api_ng.c", 152, arg, text));
                }
            },
            Some("padding") => {
                padding = match value.as_atom().map(|a| a.name()) {
                    Some("none") => Padding::None,
                    Some("pkcs_padding") => Padding::Pkcs,
                    Some("zero") => Padding::Zero,
                    Some("random") => Padding::Random,
                    _ => return Err(bad(p, "api_ng.c", 168, arg, "Bad 'padding' option value")),
                }
            }
            _ => {
                let text = format!("Bad tag in option: {}", Printed(tag));
                return Err(bad(p, "api_ng.c", 174, arg, &text));
            }
        }
    }
    Ok((encrypt, padding))
}

fn not_options(p: &mut Process, arg: i64) -> Exception {
    let text = "Options are not a boolean or a proper list";
    bad(p, "api_ng.c", 120, arg, text)
}

/// crypto's `error`-class ends of a stream (no argument to blame).
fn final_error(p: &mut Process, e: FinalError) -> Exception {
    match e {
        FinalError::Unfilled => c_error(
            p,
            "error",
            "api_ng.c",
            610,
            -1,
            "Padding 'none' but unfilled last block",
        ),
        FinalError::CantFinalize => c_error(p, "error", "api_ng.c", 638, -1, "Can't finalize"),
    }
}

/// `ng_crypto_init_nif(Cipher, Key, IV, Options)`.
pub fn ng_crypto_init_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let s = stream(p, args, 3)?;
    Ok(magic(p, Mutex::new(s)))
}

/// The stream behind a state reference (`Bad State` for anything else).
fn stream_state(p: &mut Process, t: Term) -> Result<Arc<Magic>, Exception> {
    t.as_magic()
        .filter(|m| m.get::<Mutex<Stream>>().is_some())
        .ok_or_else(|| bad(p, "api_ng.c", 731, 0, "Bad State"))
}

/// Runs `f` on a state reference's stream.
fn with_stream<R>(state: &Magic, f: impl FnOnce(&mut Stream) -> R) -> Option<R> {
    state.get::<Mutex<Stream>>().map(|s| f(&mut s.lock()))
}

/// `ng_crypto_update_nif(State, Data)`.
pub fn ng_crypto_update_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let state = stream_state(p, args[0])?;
    let data =
        iodata_bytes(args[1]).ok_or_else(|| bad(p, "api_ng.c", 860, 1, "expected binary"))?;
    let out = with_stream(&state, |s| s.update(&data)).unwrap_or_default();
    Ok(p.heap.binary(&out))
}

/// `ng_crypto_final_nif(State)`.
pub fn ng_crypto_final_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let state = stream_state(p, args[0])?;
    match with_stream(&state, Stream::finish).unwrap_or(Ok(Vec::new())) {
        Ok(out) => Ok(p.heap.binary(&out)),
        Err(e) => Err(final_error(p, e)),
    }
}

/// `ng_crypto_one_time_nif(Cipher, Key, IV, Data, Options)`.
pub fn ng_crypto_one_time_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let mut s = stream(p, args, 4)?;
    let data = iodata_bytes(args[3])
        .ok_or_else(|| bad(p, "api_ng.c", 966, 3, "expected binary as data"))?;
    let mut out = s.update(&data);
    match s.finish() {
        Ok(rest) => out.extend_from_slice(&rest),
        Err(e) => return Err(final_error(p, e)),
    }
    Ok(p.heap.binary(&out))
}

/// `aead_cipher_nif(Cipher, Key, IV, In, AAD, TagOrTagLength, Encrypt)`:
/// `{Cipher, Tag}` when encrypting; the plaintext or `error` when
/// decrypting.
pub fn aead_cipher_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let encrypt = match args[6].as_atom().map(|a| a.name()) {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(bad(p, "aead.c", 54, 6, "Bad enc flag")),
    };
    let key = iodata_bytes(args[1]).ok_or_else(|| bad(p, "aead.c", 63, 1, "non-binary key"))?;
    let iv = iodata_bytes(args[2]).ok_or_else(|| bad(p, "aead.c", 65, 2, "non-binary iv"))?;
    let text = iodata_bytes(args[3]).ok_or_else(|| bad(p, "aead.c", 67, 3, "non-binary text"))?;
    let aad = iodata_bytes(args[4]).ok_or_else(|| bad(p, "aead.c", 69, 4, "non-binary AAD"))?;
    let tag = if encrypt {
        let len = args[5].as_small().and_then(|n| u32::try_from(n).ok());
        TagArg::Length(len.ok_or_else(|| bad(p, "aead.c", 73, 5, "Bad Tag length"))? as usize)
    } else {
        let tag = iodata_bytes(args[5]).ok_or_else(|| bad(p, "aead.c", 77, 5, "non-binary Tag"))?;
        TagArg::Check(tag)
    };
    let spec = args[0]
        .as_atom()
        .and_then(|a| Spec::named(a.name()))
        .filter(|s| s.key_len == key.len())
        .ok_or_else(|| bad(p, "aead.c", 90, 0, "Unknown cipher or invalid key size"))?;
    let aead = spec
        .aead()
        .ok_or_else(|| bad(p, "aead.c", 94, 0, "Not aead cipher"))?;
    match tag {
        TagArg::Length(n) => match aead.encrypt(&key, &iv, &aad, &text, n) {
            Ok((c, t)) => {
                let c = p.heap.binary(&c);
                let t = p.heap.binary(&t);
                Ok(p.heap.tuple(&[c, t]))
            }
            Err(e) => Err(aead_error(p, e)),
        },
        TagArg::Check(t) => match aead.decrypt(&key, &iv, &aad, &text, &t) {
            Ok(Some(plain)) => Ok(p.heap.binary(&plain)),
            Ok(None) => atom("error"),
            Err(e) => Err(aead_error(p, e)),
        },
    }
}

/// `aead_cipher_nif`'s tag argument: the length of the tag to make when
/// encrypting, the tag to check when decrypting.
enum TagArg {
    Length(usize),
    Check(Vec<u8>),
}

/// The `aead.c` error for parameters OpenSSL refuses.
fn aead_error(p: &mut Process, e: AeadError) -> Exception {
    match e {
        AeadError::IvLength => bad(p, "aead.c", 111, 2, "Bad IV length"),
        AeadError::TagLength => bad(p, "aead.c", 116, 5, "Can't set tag"),
        AeadError::GetTag => c_error(p, "error", "aead.c", 156, -1, "Can't get Tag"),
    }
}

/// `cipher_info_nif(Cipher)`: its sizes, mode and NID.
pub fn cipher_info_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let spec = args[0]
        .as_atom()
        .and_then(|a| Spec::named(a.name()))
        .ok_or_else(Exception::badarg)?;
    let nid = match spec.nid {
        Some(n) => Term::small(i64::from(n)),
        None => atom("undefined")?,
    };
    let aead = if spec.aead().is_some() {
        "true"
    } else {
        "false"
    };
    let pairs = [
        (atom("block_size")?, Term::small(spec.block_size() as i64)),
        (atom("iv_length")?, Term::small(spec.iv_len() as i64)),
        (atom("key_length")?, Term::small(spec.key_len as i64)),
        (atom("mode")?, atom(spec.mode_name())?),
        (atom("prop_aead")?, atom(aead)?),
        (atom("type")?, nid),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}

/// `cipher_algorithms()`: the ciphers built in.
pub fn cipher_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let names = ALL
        .iter()
        .map(|s| atom(s.name))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(p.heap.list(&names))
}
