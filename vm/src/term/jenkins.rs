//! Bob Jenkins' 32-bit mixing, which BEAM's term hashes are built on: the
//! portable `phash2` (`term::phash`) and the internal hash that orders large
//! maps (`term::map::hash`). Shared here so both stay bit-identical to
//! `utils.c`.

/// The golden ratio, Jenkins' initial value (`HCONST` in `utils.c`).
pub const HCONST: u32 = 0x9e37_79b9;

/// `HCONST * n mod 2^32`: the constants that tell term kinds apart.
pub const fn hconst(n: u32) -> u32 {
    HCONST.wrapping_mul(n)
}

/// Jenkins' `mix(a, b, c)` of all three words.
#[inline]
pub fn mix(mut a: u32, mut b: u32, mut c: u32) -> (u32, u32, u32) {
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 13);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 8);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 13);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 12);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 16);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 5);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 3);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 10);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 15);
    (a, b, c)
}

/// Jenkins' lookup2 over a byte block continuing from `init`, as
/// `block_hash` in `utils.c`: bytes 0-3 of the tail go into `a`, 4-7 into
/// `b`, 8-10 into `c` above its lowest byte, which holds the length.
pub fn block_hash(bytes: &[u8], init: u32) -> u32 {
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let (mut a, mut b, mut c) = (HCONST, HCONST, init);
    let mut chunks = bytes.chunks_exact(12);
    for ch in chunks.by_ref() {
        a = a.wrapping_add(word(&ch[0..4]));
        b = b.wrapping_add(word(&ch[4..8]));
        c = c.wrapping_add(word(&ch[8..12]));
        (a, b, c) = mix(a, b, c);
    }
    let rest = chunks.remainder();
    c = c.wrapping_add(bytes.len() as u32);
    let mut padded = [0u8; 12];
    padded[..rest.len()].copy_from_slice(rest);
    a = a.wrapping_add(word(&padded[0..4]));
    b = b.wrapping_add(word(&padded[4..8]));
    c = c.wrapping_add(word(&padded[8..12]) << 8);
    mix(a, b, c).2
}
