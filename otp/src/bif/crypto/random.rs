//! `crypto`'s strong random numbers: bytes from the kernel's generator
//! (`getrandom(2)`, as OpenSSL's default seeds from), and uniform integers
//! below a bound by rejection.

use ibig::UBig;

use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::helpers::atom;

/// `n` bytes from the kernel's generator (`None` if it fails).
pub(super) fn random_bytes(n: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; n];
    getrandom::fill(&mut out).ok()?;
    Some(out)
}

/// A uniform integer in `[0, range)` (`range` > 0).
pub(super) fn below(range: &UBig) -> Option<UBig> {
    let bits = range.bit_len();
    let bytes = bits.div_ceil(8);
    let top_mask = if bits.is_multiple_of(8) {
        0xff
    } else {
        (1u8 << (bits % 8)) - 1
    };
    loop {
        let mut b = random_bytes(bytes)?;
        if let Some(first) = b.first_mut() {
            *first &= top_mask;
        }
        let n = UBig::from_be_bytes(&b);
        if &n < range {
            return Some(n);
        }
    }
}

/// `strong_rand_bytes_nif(N)`: a binary of `N` random bytes, `false` when
/// the generator fails (crypto raises `low_entropy`).
pub fn strong_rand_bytes_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let n = args[0]
        .as_small()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(Exception::badarg)?;
    match random_bytes(n as usize) {
        Some(bytes) => Ok(p.heap.binary(&bytes)),
        None => atom("false"),
    }
}

/// `strong_rand_range_nif(BinRange)`: a uniform integer below the
/// big-endian `BinRange`, big-endian in as few bytes as it needs.
pub fn strong_rand_range_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let range = args[0].as_binary().ok_or_else(Exception::badarg)?;
    let range = UBig::from_be_bytes(range);
    if range == UBig::from(0u8) {
        return Err(Exception::badarg());
    }
    match below(&range) {
        Some(n) => Ok(p.heap.binary(&n.to_be_bytes())),
        None => atom("false"),
    }
}

/// The magnitude of an OpenSSL `mpi` (`<<Len:32, Bytes:Len/binary>>`,
/// non-negative here: crypto shifts the range first).
fn mpi(t: Term) -> Option<UBig> {
    let b = t.as_binary()?;
    let (len, rest) = b.split_first_chunk::<4>()?;
    (u32::from_be_bytes(*len) as usize == rest.len()).then(|| UBig::from_be_bytes(rest))
}

/// `rand_uniform_nif(From, To)`: a uniform integer in `[From, To)` as an
/// `mpi` (crypto adds the sign byte a set top bit needs).
pub fn rand_uniform_nif(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let (Some(from), Some(to)) = (mpi(args[0]), mpi(args[1])) else {
        return Err(Exception::badarg());
    };
    if to <= from {
        return Err(Exception::badarg());
    }
    let n = below(&(&to - &from)).ok_or_else(Exception::badarg)? + from;
    let mut bytes = n.to_be_bytes();
    if n == UBig::from(0u8) {
        bytes.clear();
    }
    let mut out = (bytes.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&bytes);
    Ok(p.heap.binary(&out))
}

/// `rand_seed_nif(Seed)`: the kernel's generator needs no seeding.
pub fn rand_seed_nif(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    args[0].as_binary().ok_or_else(Exception::badarg)?;
    atom("ok")
}
