//! `crypto`'s NIFs (OTP's `crypto.so` over OpenSSL): digests, HMACs,
//! PBKDF2, strong random bytes and the helpers around them, done in Rust.
//! OTP's `crypto.erl` is loaded unchanged: its `on_load` finds the library
//! "loaded" (`erlang:load_nif/2`) and its stubs enter these functions
//! (the loader's native entries). Errors are raised as crypto's C code
//! raises them (`{badarg, #{c_file_name, c_file_line_num,
//! c_function_arg_num}, Text}`, which `crypto.erl` turns into its
//! documented `{badarg, {File, Line}, Text}`), with erl's file names and
//! line numbers. Ciphers: AES in ECB, CBC, CTR, OFB, CFB8, CFB128, GCM and
//! CCM, ChaCha20 and ChaCha20-Poly1305 (`cipher.rs`, `aead.rs`,
//! `api_ng.rs`), DES, triple DES, Blowfish, RC2 and RC4 (`block.rs`);
//! MACs: HMAC, CMAC (`cmac.rs`), Poly1305 (`mac.rs`). Public
//! keys (`pkey.rs`, `keys.rs`, `dh.rs`): RSA (`rsa.rs`), ECDSA and ECDH on
//! the prime curves of `ec.rs`, Ed25519 and X25519 (`edwards.rs`), DH and
//! `mod_pow`, DSA (`dsa.rs`). Not here: SRP, Ed448, X448,
//! the other curves; `supports/1` does not list them.

mod aead;
mod aes;
mod api_ng;
mod block;
mod chacha;
mod cipher;
mod cmac;
mod dh;
mod digest;
mod dsa;
mod ec;
mod edwards;
mod keys;
mod mac;
mod pkey;
mod random;
mod rsa;

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::ids::fresh_ref_ids;
use enigma_vm::term::magic::Magic;
use enigma_vm::term::Term;

use crate::bif::arg::entry;
use crate::bif::helpers::{atom, iodata_bytes};
use digest::{Algorithm, Hasher};

/// The `crypto` NIFs.
pub const TABLE: &[BifEntry] = &[
    e("hash_nif", 2, hash_nif),
    e("hash_init_nif", 1, hash_init_nif),
    e("hash_update_nif", 2, hash_update_nif),
    e("hash_final_nif", 1, hash_final_nif),
    e("hash_info", 1, hash_info),
    e("mac_nif", 4, mac::mac_nif),
    e("mac_init_nif", 3, mac::mac_init_nif),
    e("mac_update_nif", 2, mac::mac_update_nif),
    e("mac_final_nif", 1, mac::mac_final_nif),
    e("pbkdf2_hmac_nif", 5, pbkdf2_hmac_nif),
    e("do_exor", 2, do_exor),
    e("hash_equals_nif", 2, hash_equals_nif),
    e("hash_algorithms", 0, hash_algorithms),
    e("mac_algorithms", 0, mac_algorithms),
    e("cipher_algorithms", 0, api_ng::cipher_algorithms),
    e("pubkey_algorithms", 0, pubkey_algorithms),
    e("curve_algorithms", 0, curve_algorithms),
    e("rsa_opts_algorithms", 0, rsa_opts_algorithms),
    e("info_lib", 0, info_lib),
    e("info_nif", 0, info_nif),
    e("info_fips", 0, info_fips),
    e("enable_fips_mode_nif", 1, enable_fips_mode_nif),
    e("strong_rand_bytes_nif", 1, random::strong_rand_bytes_nif),
    e("strong_rand_range_nif", 1, random::strong_rand_range_nif),
    e("rand_uniform_nif", 2, random::rand_uniform_nif),
    e("rand_seed_nif", 1, random::rand_seed_nif),
    e("ng_crypto_init_nif", 4, api_ng::ng_crypto_init_nif),
    e("ng_crypto_update_nif", 2, api_ng::ng_crypto_update_nif),
    e("ng_crypto_final_nif", 1, api_ng::ng_crypto_final_nif),
    e("ng_crypto_one_time_nif", 5, api_ng::ng_crypto_one_time_nif),
    e("aead_cipher_nif", 7, api_ng::aead_cipher_nif),
    e("cipher_info_nif", 1, api_ng::cipher_info_nif),
    e("pkey_sign_nif", 5, pkey::pkey_sign_nif),
    e("pkey_verify_nif", 6, pkey::pkey_verify_nif),
    e("pkey_crypt_nif", 6, pkey::pkey_crypt_nif),
    e("rsa_generate_key_nif", 2, keys::rsa_generate_key_nif),
    e("ec_generate_key_nif", 2, keys::ec_generate_key_nif),
    e("ecdh_compute_key_nif", 3, keys::ecdh_compute_key_nif),
    e("evp_generate_key_nif", 2, keys::evp_generate_key_nif),
    e("evp_compute_key_nif", 3, keys::evp_compute_key_nif),
    e("dh_generate_key_nif", 4, dh::dh_generate_key_nif),
    e("dh_compute_key_nif", 3, dh::dh_compute_key_nif),
    e("mod_exp_nif", 4, dh::mod_exp_nif),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("crypto", name, arity, f)
}

/// crypto's C error: `{Class, #{c_file_name, c_file_line_num,
/// c_function_arg_num}, Text}` (the argument numbered from 0).
pub(super) fn c_error(
    p: &mut Process,
    class: &str,
    file: &str,
    line: i64,
    arg: i64,
    text: &str,
) -> Exception {
    let build = |p: &mut Process| -> Result<Term, Exception> {
        let file = p.heap.string(file);
        let info = [
            (atom("c_file_name")?, file),
            (atom("c_file_line_num")?, Term::small(line)),
            (atom("c_function_arg_num")?, Term::small(arg)),
        ];
        let info = p.heap.map_from_pairs(&info);
        let text = p.heap.string(text);
        Ok(p.heap.tuple(&[atom(class)?, info, text]))
    };
    match build(p) {
        Ok(reason) => Exception::error(reason),
        Err(e) => e,
    }
}

/// `{badarg, ...}` from `file`:`line` about argument `arg`.
pub(super) fn bad(p: &mut Process, file: &str, line: i64, arg: i64, text: &str) -> Exception {
    c_error(p, "badarg", file, line, arg, text)
}

/// The digest an atom names.
fn algorithm(t: Term) -> Option<Algorithm> {
    Algorithm::named(t.as_atom()?.name())
}

pub(super) fn magic<T: std::any::Any + Send + Sync>(p: &mut Process, object: T) -> Term {
    p.heap.magic_ref(fresh_ref_ids(), Magic::new(object))
}

fn hash_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let Some(alg) = algorithm(args[0]) else {
        return Err(bad(p, "hash.c", 108, 0, "Bad digest type"));
    };
    let data = iodata_bytes(args[1]).ok_or_else(|| bad(p, "hash.c", 111, 1, "Bad text"))?;
    Ok(p.heap.binary(&alg.digest(&data)))
}

fn hash_init_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let Some(alg) = algorithm(args[0]) else {
        return Err(bad(p, "hash.c", 142, 0, "Bad digest type"));
    };
    Ok(magic(p, alg.hasher()))
}

/// The hash state behind a reference.
fn hash_state(t: Term) -> Option<Hasher> {
    t.as_magic()?.get::<Hasher>().cloned()
}

fn hash_update_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let Some(mut h) = hash_state(args[0]) else {
        return Err(bad(p, "hash.c", 171, 0, "Bad state"));
    };
    let data = iodata_bytes(args[1]).ok_or_else(|| bad(p, "hash.c", 174, 1, "Bad text"))?;
    h.update(&data);
    Ok(magic(p, h))
}

fn hash_final_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let Some(h) = hash_state(args[0]) else {
        return Err(bad(p, "hash.c", 205, 0, "Bad state"));
    };
    Ok(p.heap.binary(&h.finish()))
}

/// `hash_info/1` itself is the NIF on BEAM (plain `badarg` for an
/// unknown digest).
fn hash_info(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let info = algorithm(args[0]).ok_or_else(Exception::badarg)?.info();
    let pairs = [
        (atom("type")?, Term::small(i64::from(info.nid))),
        (atom("size")?, Term::small(info.size as i64)),
        (atom("block_size")?, Term::small(info.block as i64)),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}

/// A positive integer argument of `pbkdf2_hmac_nif` (`Not integer` for a
/// bignum or a non-integer, `Must be > 0` below one).
fn positive(p: &mut Process, t: Term, lines: (i64, i64), arg: i64) -> Result<u64, Exception> {
    let n = t
        .as_small()
        .ok_or_else(|| bad(p, "pbkdf2_hmac.c", lines.0, arg, "Not integer"))?;
    u64::try_from(n)
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| bad(p, "pbkdf2_hmac.c", lines.1, arg, "Must be > 0"))
}

fn pbkdf2_hmac_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let alg = match args[0].as_atom().map(|a| Algorithm::named(a.name())) {
        Some(Some(a)) if a.pbkdf2_eligible() => a,
        Some(Some(_)) => return Err(bad(p, "pbkdf2_hmac.c", 38, 0, "Not eligible digest type")),
        _ => return Err(bad(p, "pbkdf2_hmac.c", 34, 0, "Bad digest type")),
    };
    let pass = args[1]
        .as_binary()
        .ok_or_else(|| bad(p, "pbkdf2_hmac.c", 41, 1, "Not binary"))?;
    let salt = args[2]
        .as_binary()
        .ok_or_else(|| bad(p, "pbkdf2_hmac.c", 44, 2, "Not binary"))?;
    let iterations = positive(p, args[3], (47, 49), 3)?;
    let len = positive(p, args[4], (52, 54), 4)?;
    let len = usize::try_from(len).map_err(|_| Exception::badarg())?;
    // OpenSSL's output length is an `int`.
    if len > i32::MAX as usize {
        return Err(bad(p, "pbkdf2_hmac.c", 54, 4, "Must be > 0"));
    }
    let key = digest::pbkdf2(alg, pass, salt, iterations, len);
    Ok(p.heap.binary(&key))
}

/// `do_exor/2`: byte-wise xor of two binaries of one size.
fn do_exor(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let a = iodata_bytes(args[0]).ok_or_else(Exception::badarg)?;
    let b = iodata_bytes(args[1]).ok_or_else(Exception::badarg)?;
    if a.len() != b.len() {
        return Err(Exception::badarg());
    }
    let x: Vec<u8> = a.iter().zip(&b).map(|(x, y)| x ^ y).collect();
    Ok(p.heap.binary(&x))
}

/// Constant-time comparison of two binaries of one size.
fn hash_equals_nif(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (Some(a), Some(b)) = (args[0].as_binary(), args[1].as_binary()) else {
        return Err(Exception::badarg());
    };
    if a.len() != b.len() {
        return Err(Exception::badarg());
    }
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    atom(if diff == 0 { "true" } else { "false" })
}

fn atoms(p: &mut Process, names: &[&str]) -> Result<Term, Exception> {
    let atoms = names
        .iter()
        .map(|n| atom(n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(p.heap.list(&atoms))
}

fn hash_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let names: Vec<&str> = digest::ALL.iter().map(|a| a.info().name).collect();
    atoms(p, &names)
}

fn mac_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atoms(p, &["cmac", "hmac", "poly1305"])
}

/// erl's list less `ec_gf2m` and SRP.
fn pubkey_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atoms(p, &["rsa", "dss", "dh", "ecdsa", "ecdh", "eddsa", "eddh"])
}

/// The prime curves of `ec.rs`, then Ed25519 and X25519, in erl's order.
fn curve_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let names: Vec<&str> = ec::NAMES
        .iter()
        .copied()
        .chain(["ed25519", "x25519"])
        .collect();
    atoms(p, &names)
}

/// erl's list less `rsa_x931_padding`.
fn rsa_opts_algorithms(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atoms(
        p,
        &[
            "rsa_pkcs1_pss_padding",
            "rsa_pss_saltlen",
            "rsa_mgf1_md",
            "rsa_pkcs1_oaep_padding",
            "rsa_oaep_label",
            "rsa_oaep_md",
            "signature_md",
            "rsa_pkcs1_padding",
            "rsa_no_padding",
        ],
    )
}

/// The library's name and version, as `[{Name, VerNum, VerStr}]`.
const LIBRARY: &str = "Enigma crypto (RustCrypto)";

fn info_lib(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let name = p.heap.binary(LIBRARY.as_bytes());
    let version = p.heap.binary(env!("CARGO_PKG_VERSION").as_bytes());
    let entry = p.heap.tuple(&[name, Term::small(0), version]);
    Ok(p.heap.list(&[entry]))
}

fn info_nif(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let linked = p.heap.string(LIBRARY);
    let compiled = p.heap.string(LIBRARY);
    let pairs = [
        (atom("compile_type")?, atom("normal")?),
        (atom("cryptolib_version_compiled")?, compiled),
        (atom("cryptolib_version_linked")?, linked),
        (atom("fips_provider_available")?, atom("false")?),
        (atom("link_type")?, atom("static")?),
    ];
    Ok(p.heap.map_from_pairs(&pairs))
}

fn info_fips(_: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    atom("not_supported")
}

/// FIPS mode cannot be entered: `true` (the mode asked for is the mode
/// in force) only for `false`.
fn enable_fips_mode_nif(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    match args[0].as_atom().map(|a| a.name()) {
        Some("true") => atom("false"),
        Some("false") => atom("true"),
        _ => Err(Exception::badarg()),
    }
}

/// Lower-case hex digits of `b`, for the test vectors.
#[cfg(test)]
fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Bytes from hex digits, for the test vectors.
#[cfg(test)]
fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
