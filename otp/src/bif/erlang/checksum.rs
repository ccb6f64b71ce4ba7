//! Checksums over iodata: `erlang:md5/1`, `md5_init/0`, `md5_update/2`,
//! `md5_final/1`, `crc32/1,2`, `crc32_combine/3`, `adler32/1,2`,
//! `adler32_combine/3`.
//!
//! An MD5 context is a 92-byte binary laid out as BEAM's `MD5_CTX`: the
//! four state words, the bit count as two words, the 64-byte block buffer
//! and the number of bytes in it (all little-endian).

use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use crate::bif::helpers::{binary_bytes, iodata_bytes};

/// The checksum BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "md5",
        arity: 1,
        f: md5_1,
    },
    BifEntry {
        module: "erlang",
        name: "md5_init",
        arity: 0,
        f: md5_init_0,
    },
    BifEntry {
        module: "erlang",
        name: "md5_update",
        arity: 2,
        f: md5_update_2,
    },
    BifEntry {
        module: "erlang",
        name: "md5_final",
        arity: 1,
        f: md5_final_1,
    },
    BifEntry {
        module: "erlang",
        name: "crc32",
        arity: 1,
        f: crc32_1,
    },
    BifEntry {
        module: "erlang",
        name: "crc32",
        arity: 2,
        f: crc32_2,
    },
    BifEntry {
        module: "erlang",
        name: "adler32",
        arity: 1,
        f: adler32_1,
    },
    BifEntry {
        module: "erlang",
        name: "adler32",
        arity: 2,
        f: adler32_2,
    },
    BifEntry {
        module: "erlang",
        name: "crc32_combine",
        arity: 3,
        f: crc32_combine,
    },
    BifEntry {
        module: "erlang",
        name: "adler32_combine",
        arity: 3,
        f: adler32_combine,
    },
];

const CTX_SIZE: usize = 92;

/// An MD5 computation in progress.
struct Md5 {
    state: [u32; 4],
    bytes: u64,
    buffer: Vec<u8>,
}

const S: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
    21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

impl Md5 {
    fn new() -> Md5 {
        Md5 {
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            bytes: 0,
            buffer: Vec::with_capacity(64),
        }
    }

    fn block(&mut self, block: &[u8]) {
        let m: Vec<u32> = block
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = self.state;
        for (i, &shift) in S.iter().enumerate() {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            // The sine-derived constants of RFC 1321.
            let k = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
            let f = f.wrapping_add(a).wrapping_add(k).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(shift));
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.bytes = self.bytes.wrapping_add(data.len() as u64);
        if !self.buffer.is_empty() {
            let take = (64 - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() < 64 {
                return;
            }
            let block = std::mem::take(&mut self.buffer);
            self.block(&block);
        }
        let mut chunks = data.chunks_exact(64);
        for block in &mut chunks {
            self.block(block);
        }
        self.buffer.extend_from_slice(chunks.remainder());
    }

    fn finish(mut self) -> [u8; 16] {
        let bits = self.bytes.wrapping_mul(8);
        let pad = if self.buffer.len() < 56 {
            56 - self.buffer.len()
        } else {
            120 - self.buffer.len()
        };
        let mut tail = vec![0u8; pad];
        tail[0] = 0x80;
        tail.extend_from_slice(&bits.to_le_bytes());
        self.update(&tail);
        let mut out = [0u8; 16];
        for (o, s) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&s.to_le_bytes());
        }
        out
    }

    fn to_context(&self) -> Vec<u8> {
        let mut ctx = Vec::with_capacity(CTX_SIZE);
        for s in self.state {
            ctx.extend_from_slice(&s.to_le_bytes());
        }
        let bits = self.bytes.wrapping_mul(8);
        ctx.extend_from_slice(&(bits as u32).to_le_bytes());
        ctx.extend_from_slice(&((bits >> 32) as u32).to_le_bytes());
        let mut buf = self.buffer.clone();
        buf.resize(64, 0);
        ctx.extend_from_slice(&buf);
        ctx.extend_from_slice(&(self.buffer.len() as u32).to_le_bytes());
        ctx
    }

    fn from_context(ctx: &[u8]) -> Option<Md5> {
        if ctx.len() != CTX_SIZE {
            return None;
        }
        let word = |i: usize| u32::from_le_bytes([ctx[i], ctx[i + 1], ctx[i + 2], ctx[i + 3]]);
        let state = [word(0), word(4), word(8), word(12)];
        let bits = u64::from(word(16)) | (u64::from(word(20)) << 32);
        let n = (word(88) as usize).min(63);
        Some(Md5 {
            state,
            bytes: bits / 8,
            buffer: ctx[24..24 + n].to_vec(),
        })
    }
}

/// The MD5 digest of `data`.
pub fn md5(data: &[u8]) -> [u8; 16] {
    let mut m = Md5::new();
    m.update(data);
    m.finish()
}

fn data_arg(t: Term) -> Result<Vec<u8>, Exception> {
    iodata_bytes(t).ok_or_else(Exception::badarg)
}

fn md5_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [d] = args else {
        return Err(Exception::badarg());
    };
    Ok(p.heap.binary(&md5(&data_arg(*d)?)))
}

fn md5_init_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.heap.binary(&Md5::new().to_context()))
}

fn context(t: Term) -> Result<Md5, Exception> {
    binary_bytes(t)
        .and_then(|b| Md5::from_context(&b))
        .ok_or_else(Exception::badarg)
}

fn md5_update_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [ctx, d] = args else {
        return Err(Exception::badarg());
    };
    let mut m = context(*ctx)?;
    m.update(&data_arg(*d)?);
    Ok(p.heap.binary(&m.to_context()))
}

fn md5_final_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [ctx] = args else {
        return Err(Exception::badarg());
    };
    Ok(p.heap.binary(&context(*ctx)?.finish()))
}

/// zlib's CRC-32 continued from `crc`.
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// zlib's Adler-32 continued from `adler`.
pub fn adler32(adler: u32, data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // Keep the sums in range; 5552 bytes is zlib's bound before overflow.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    // zlib reduces an out-of-range start even when there are no bytes.
    ((b % MOD) << 16) | (a % MOD)
}

fn u32_arg(t: Term) -> Result<u32, Exception> {
    t.as_small()
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(Exception::badarg)
}

fn crc32_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [d] = args else {
        return Err(Exception::badarg());
    };
    Ok(Term::small(i64::from(crc32(0, &data_arg(*d)?))))
}

fn crc32_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [old, d] = args else {
        return Err(Exception::badarg());
    };
    let old = u32_arg(*old)?;
    Ok(Term::small(i64::from(crc32(old, &data_arg(*d)?))))
}

fn adler32_1(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [d] = args else {
        return Err(Exception::badarg());
    };
    Ok(Term::small(i64::from(adler32(1, &data_arg(*d)?))))
}

fn adler32_2(_: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [old, d] = args else {
        return Err(Exception::badarg());
    };
    let old = u32_arg(*old)?;
    let bytes = data_arg(*d)?;
    // BEAM runs zlib once per binary or run of bytes; with neither, the
    // start value comes back unreduced.
    if bytes.is_empty() && !has_binary(*d) {
        return Ok(Term::small(i64::from(old)));
    }
    Ok(Term::small(i64::from(adler32(old, &bytes))))
}

/// Does the iodata hold a binary (possibly empty)?
fn has_binary(t: Term) -> bool {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if t.is_bitstring() {
            return true;
        }
        if let Some((h, tl)) = t.as_cons() {
            stack.push(h);
            stack.push(tl);
        }
    }
    false
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

fn crc32_combine(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b, size] = args else {
        return Err(Exception::badarg());
    };
    let (a, b, size) = (checksum_arg(*a)?, checksum_arg(*b)?, size_arg(*size)?);
    Ok(p.heap.int(i64::from(mult_mod_p(x8n_mod_p(size), a) ^ b)))
}

/// zlib's `adler32_combine`; BEAM returns the first checksum as it is
/// when the second part is empty.
fn adler32_combine(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [a, b, size] = args else {
        return Err(Exception::badarg());
    };
    let (a, b, size) = (
        u64::from(checksum_arg(*a)?),
        u64::from(checksum_arg(*b)?),
        size_arg(*size)?,
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
