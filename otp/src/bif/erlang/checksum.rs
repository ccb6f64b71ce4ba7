//! Checksums over iodata: `crc32/1,2`, `crc32_combine/3`, `adler32/1,2`,
//! `adler32_combine/3`, `md5/1`; zlib's algorithms, as BEAM uses zlib.

use enigma_vm::bif::{BifEntry, BifFn};
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;
use md5::{Digest, Md5};

use crate::bif::arg::{arity, entry};
use crate::bif::erlang::binary::iodata_bytes;

/// The checksum BIFs.
pub const TABLE: &[BifEntry] = &[
    e("crc32", 1, crc32_1),
    e("crc32", 2, crc32_2),
    e("crc32_combine", 3, crc32_combine),
    e("adler32", 1, adler32_1),
    e("adler32", 2, adler32_2),
    e("adler32_combine", 3, adler32_combine),
    e("md5", 1, md5),
];

const fn e(name: &'static str, arity: u32, f: BifFn) -> BifEntry {
    entry("erlang", name, arity, f)
}

/// The reflected CRC-32 polynomial.
const POLY: u32 = 0xEDB8_8320;
/// Adler-32's modulus.
const BASE: u64 = 65521;

/// A checksum argument: an integer in `0..2^32`.
fn checksum_arg(t: Term) -> Result<u32, Exception> {
    t.as_small()
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(Exception::badarg)
}

/// A length argument: an integer in `0..2^32`.
fn size_arg(t: Term) -> Result<u64, Exception> {
    checksum_arg(t).map(u64::from)
}

fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
        }
    }
    !c
}

/// `a * b` modulo the CRC polynomial, in reflected bit order.
fn mult_mod_p(a: u32, mut b: u32) -> u32 {
    let mut m: u32 = 1 << 31;
    let mut p = 0;
    loop {
        if a & m != 0 {
            p ^= b;
            if a & (m - 1) == 0 {
                return p;
            }
        }
        m >>= 1;
        b = if b & 1 != 0 { (b >> 1) ^ POLY } else { b >> 1 };
    }
}

/// `x^(8 * n)` modulo the polynomial: the effect of `n` zero bytes.
fn x8n_mod_p(mut n: u64) -> u32 {
    // x^(2^k) for k = 3, 4, ...: starts at x^8.
    let mut power = 1u32 << 30; // x^1
    for _ in 0..3 {
        power = mult_mod_p(power, power);
    }
    let mut p = 1u32 << 31; // x^0
    while n != 0 {
        if n & 1 != 0 {
            p = mult_mod_p(power, p);
        }
        power = mult_mod_p(power, power);
        n >>= 1;
    }
    p
}

fn crc32_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    let bytes = iodata_bytes(data)?;
    Ok(p.heap.int(i64::from(crc32(0, &bytes))))
}

fn crc32_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [crc, data] = arity(args)?;
    let crc = checksum_arg(crc)?;
    let bytes = iodata_bytes(data)?;
    Ok(p.heap.int(i64::from(crc32(crc, &bytes))))
}

fn crc32_combine(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b, size] = arity(args)?;
    let (a, b, size) = (checksum_arg(a)?, checksum_arg(b)?, size_arg(size)?);
    Ok(p.heap.int(i64::from(mult_mod_p(x8n_mod_p(size), a) ^ b)))
}

fn adler32(adler: u32, bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (u64::from(adler & 0xFFFF), u64::from(adler >> 16));
    for chunk in bytes.chunks(5552) {
        for &x in chunk {
            a += u64::from(x);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    (b << 16 | a) as u32
}

fn adler32_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    let bytes = iodata_bytes(data)?;
    Ok(p.heap.int(i64::from(adler32(1, &bytes))))
}

fn adler32_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [adler, data] = arity(args)?;
    let adler = checksum_arg(adler)?;
    let bytes = iodata_bytes(data)?;
    Ok(p.heap.int(i64::from(adler32(adler, &bytes))))
}

/// zlib's `adler32_combine`; BEAM returns the first checksum as it is
/// when the second part is empty.
fn adler32_combine(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b, size] = arity(args)?;
    let (a, b, size) = (
        u64::from(checksum_arg(a)?),
        u64::from(checksum_arg(b)?),
        size_arg(size)?,
    );
    if size == 0 {
        return Ok(p.heap.int(a as i64));
    }
    let rem = size % BASE;
    let mut sum1 = a & 0xFFFF;
    let mut sum2 = (rem * sum1) % BASE;
    sum1 += (b & 0xFFFF) + BASE - 1;
    sum2 += ((a >> 16) & 0xFFFF) + ((b >> 16) & 0xFFFF) + BASE - rem;
    if sum1 >= BASE {
        sum1 -= BASE;
    }
    if sum1 >= BASE {
        sum1 -= BASE;
    }
    if sum2 >= BASE << 1 {
        sum2 -= BASE << 1;
    }
    if sum2 >= BASE {
        sum2 -= BASE;
    }
    Ok(p.heap.int((sum1 | (sum2 << 16)) as i64))
}

fn md5(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [data] = arity(args)?;
    let bytes = iodata_bytes(data)?;
    let digest = Md5::digest(&bytes);
    Ok(p.heap.binary(&digest))
}
