//! The MAC NIFs of crypto's `mac.c` (`mac_nif`, `mac_init_nif`,
//! `mac_update_nif`, `mac_final_nif`): HMAC over the digests, CMAC over
//! AES and Poly1305, with mac.c's checks in its order and its error lines.

use std::sync::Arc;

use parking_lot::Mutex;
use poly1305::universal_hash::{KeyInit, UniversalHash};

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;

use super::block::{Block, Kind};
use super::cipher::{Mode, Spec};
use super::cmac::Cmac;
use super::digest::Hmac;
use super::{algorithm, bad, c_error, magic};
use crate::bif::helpers::iodata_bytes;

/// A MAC in progress (`mac_init`'s state, updated in place as OpenSSL's).
#[derive(Clone)]
enum Mac {
    Hmac(Box<Hmac>),
    Cmac(Box<Cmac>),
    Poly1305(Box<Poly1305>),
}

/// Poly1305 fed in pieces: whole blocks go in as they come, a partial one
/// waits.
#[derive(Clone)]
struct Poly1305 {
    mac: poly1305::Poly1305,
    partial: Vec<u8>,
}

impl Mac {
    fn update(&mut self, data: &[u8]) {
        match self {
            Mac::Hmac(m) => m.update(data),
            Mac::Cmac(m) => m.update(data),
            Mac::Poly1305(m) => {
                m.partial.extend_from_slice(data);
                let whole = m.partial.len() / 16 * 16;
                for block in m.partial[..whole].chunks_exact(16) {
                    m.mac.update(&[*poly1305::Block::from_slice(block)]);
                }
                m.partial.drain(..whole);
            }
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Mac::Hmac(m) => (*m).finish(),
            Mac::Cmac(m) => m.finish(),
            Mac::Poly1305(m) => m.mac.compute_unpadded(&m.partial).to_vec(),
        }
    }
}

/// The error lines of one NIF: unknown type, a key not a binary, HMAC's
/// digest, CMAC's cipher and key size, Poly1305's key length.
struct Lines {
    unknown: i64,
    key: i64,
    digest: i64,
    cipher: i64,
    cipher_key: i64,
    poly_key: i64,
    /// OpenSSL's refusal of a key for a cipher other than AES (which
    /// crypto checks itself): `error` class, line and text.
    setup: (i64, &'static str),
}

const MAC_NIF: Lines = Lines {
    unknown: 233,
    key: 170,
    digest: 263,
    cipher: 313,
    cipher_key: 316,
    poly_key: 235,
    setup: (387, "Couldn't get mac"),
};

const MAC_INIT_NIF: Lines = Lines {
    unknown: 587,
    key: 570,
    digest: 617,
    cipher: 658,
    cipher_key: 661,
    poly_key: 589,
    setup: (737, "Can't initialize EVP_MAC_CTX"),
};

/// A new MAC from `(Type, SubType, Key)`.
fn start(p: &mut Process, args: &[Term], lines: &Lines) -> Result<Mac, Exception> {
    let kind = args[0].as_atom().map(|a| a.name());
    if !matches!(kind, Some("hmac" | "cmac" | "poly1305")) {
        return Err(bad(p, "mac.c", lines.unknown, 0, "Unknown mac algorithm"));
    }
    let key = args[2]
        .as_binary()
        .ok_or_else(|| bad(p, "mac.c", lines.key, 2, "Bad key"))?;
    match kind {
        Some("hmac") => {
            let alg = algorithm(args[1])
                .ok_or_else(|| bad(p, "mac.c", lines.digest, 1, "Bad digest algorithm for HMAC"))?;
            Ok(Mac::Hmac(Box::new(Hmac::new(alg, key))))
        }
        Some("cmac") => {
            // CMAC over an AES block mode or a 64-bit cipher's CBC; crypto
            // also accepts the stream modes (OpenSSL then runs CMAC with
            // one-byte blocks) and the 64-bit ciphers' ECB, which are not
            // built in.
            let spec = args[1]
                .as_atom()
                .and_then(|a| Spec::named(a.name()))
                .filter(|s| s.mode == Mode::Cbc || (s.mode == Mode::Ecb && s.kind == Kind::Aes))
                .ok_or_else(|| bad(p, "mac.c", lines.cipher, 1, "Unknown cipher"))?;
            let cipher = Some(spec)
                .filter(|s| s.takes_key(key.len()))
                .and_then(|s| Block::new(s.kind, key));
            let Some(cipher) = cipher else {
                return Err(if spec.kind == Kind::Aes {
                    bad(p, "mac.c", lines.cipher_key, 2, "Bad key size")
                } else {
                    c_error(p, "error", "mac.c", lines.setup.0, -1, lines.setup.1)
                });
            };
            Ok(Mac::Cmac(Box::new(Cmac::new(
                cipher,
                spec.mode == Mode::Cbc,
            ))))
        }
        _ => {
            let key = <&[u8; 32]>::try_from(key)
                .map_err(|_| bad(p, "mac.c", lines.poly_key, 2, "Bad key length"))?;
            Ok(Mac::Poly1305(Box::new(Poly1305 {
                mac: poly1305::Poly1305::new(key.into()),
                partial: Vec::new(),
            })))
        }
    }
}

/// `mac_nif(Type, SubType, Key, Data)`.
pub fn mac_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let data = iodata_bytes(args[3]).ok_or_else(|| bad(p, "mac.c", 175, 3, "Bad text"))?;
    let mut m = start(p, args, &MAC_NIF)?;
    m.update(&data);
    Ok(p.heap.binary(&m.finish()))
}

/// `mac_init_nif(Type, SubType, Key)`.
pub fn mac_init_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let m = start(p, args, &MAC_INIT_NIF)?;
    Ok(magic(p, Mutex::new(m)))
}

/// The MAC state behind a reference.
fn mac_state(t: Term) -> Option<Arc<Magic>> {
    t.as_magic().filter(|m| m.get::<Mutex<Mac>>().is_some())
}

/// `mac_update_nif(State, Data)`: the same state, updated.
pub fn mac_update_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let data = iodata_bytes(args[1]).ok_or_else(|| bad(p, "mac.c", 794, 1, "Bad text"))?;
    let state = mac_state(args[0]).ok_or_else(|| bad(p, "mac.c", 817, 0, "Bad ref"))?;
    if let Some(m) = state.get::<Mutex<Mac>>() {
        m.lock().update(&data);
    }
    Ok(args[0])
}

/// `mac_final_nif(State)`.
pub fn mac_final_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let state = mac_state(args[0]).ok_or_else(|| bad(p, "mac.c", 847, 0, "Bad ref"))?;
    let mac = state.get::<Mutex<Mac>>().map(|m| m.lock().clone().finish());
    match mac {
        Some(mac) => Ok(p.heap.binary(&mac)),
        None => Err(c_error(p, "error", "mac.c", 387, -1, "Couldn't get mac")),
    }
}
