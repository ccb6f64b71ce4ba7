//! ChaCha20 (RFC 8439) as OpenSSL's `chacha20` cipher runs it: a 16-byte
//! IV whose first four bytes are the block counter (little-endian) and
//! whose other twelve are the nonce; the counter carries into the nonce's
//! words when it wraps, as OpenSSL's does.

/// A key stream block's bytes.
pub const BLOCK: usize = 64;

/// The ChaCha20 state for one key and IV.
#[derive(Clone)]
pub struct ChaCha20 {
    key: [u32; 8],
    /// Words 12-15: counter and nonce.
    counter: [u32; 4],
}

impl ChaCha20 {
    /// `None` unless the key is 32 bytes and the IV 16.
    pub fn new(key: &[u8], iv: &[u8]) -> Option<ChaCha20> {
        if key.len() != 32 || iv.len() != 16 {
            return None;
        }
        Some(ChaCha20 {
            key: std::array::from_fn(|i| le32(&key[4 * i..])),
            counter: std::array::from_fn(|i| le32(&iv[4 * i..])),
        })
    }

    /// The next key stream block; the counter moves on.
    pub fn next_block(&mut self) -> [u8; BLOCK] {
        let out = block(&self.key, &self.counter);
        for word in &mut self.counter {
            *word = word.wrapping_add(1);
            if *word != 0 {
                break;
            }
        }
        out
    }
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The block function.
fn block(key: &[u32; 8], counter: &[u32; 4]) -> [u8; BLOCK] {
    let mut input = [0u32; 16];
    input[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    input[4..12].copy_from_slice(key);
    input[12..].copy_from_slice(counter);
    let mut x = input;
    for _ in 0..10 {
        quarter(&mut x, 0, 4, 8, 12);
        quarter(&mut x, 1, 5, 9, 13);
        quarter(&mut x, 2, 6, 10, 14);
        quarter(&mut x, 3, 7, 11, 15);
        quarter(&mut x, 0, 5, 10, 15);
        quarter(&mut x, 1, 6, 11, 12);
        quarter(&mut x, 2, 7, 8, 13);
        quarter(&mut x, 3, 4, 9, 14);
    }
    let mut out = [0u8; BLOCK];
    for (i, (w, s)) in x.iter().zip(&input).enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&w.wrapping_add(*s).to_le_bytes());
    }
    out
}

fn quarter(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// XORs `text` with the key stream from `stream`'s current block on.
fn apply(stream: &mut ChaCha20, text: &mut [u8]) {
    for chunk in text.chunks_mut(BLOCK) {
        let ks = stream.next_block();
        chunk.iter_mut().zip(&ks).for_each(|(t, k)| *t ^= k);
    }
}

/// The Poly1305 tag of `data` under a 32-byte one-time key.
fn poly1305(key: &[u8; 32], data: &[u8]) -> [u8; 16] {
    use poly1305::universal_hash::KeyInit;
    let mac = poly1305::Poly1305::new(key.into());
    mac.compute_unpadded(data).into()
}

/// ChaCha20-Poly1305 (RFC 8439 section 2.8) sealing `text` in place; the
/// full tag. The key is 32 bytes, the nonce 12.
pub fn seal(key: &[u8], nonce: &[u8], aad: &[u8], text: &mut [u8]) -> Option<[u8; 16]> {
    let mut stream = aead_stream(key, nonce)?;
    let poly_key = stream.next_block();
    apply(&mut stream, text);
    Some(aead_tag(&poly_key, aad, text))
}

/// ChaCha20-Poly1305's opening: decrypts `text` in place and returns the
/// full tag the ciphertext should carry.
pub fn open(key: &[u8], nonce: &[u8], aad: &[u8], text: &mut [u8]) -> Option<[u8; 16]> {
    let mut stream = aead_stream(key, nonce)?;
    let poly_key = stream.next_block();
    let tag = aead_tag(&poly_key, aad, text);
    apply(&mut stream, text);
    Some(tag)
}

fn aead_stream(key: &[u8], nonce: &[u8]) -> Option<ChaCha20> {
    if nonce.len() != 12 {
        return None;
    }
    let mut iv = [0u8; 16];
    iv[4..].copy_from_slice(nonce);
    ChaCha20::new(key, &iv)
}

/// The tag over the padded AAD, the padded ciphertext and both lengths.
fn aead_tag(block0: &[u8; BLOCK], aad: &[u8], cipher: &[u8]) -> [u8; 16] {
    let pad = |n: usize| (16 - n % 16) % 16;
    let mut data = Vec::with_capacity(aad.len() + cipher.len() + 48);
    data.extend_from_slice(aad);
    data.resize(data.len() + pad(aad.len()), 0);
    data.extend_from_slice(cipher);
    data.resize(data.len() + pad(cipher.len()), 0);
    data.extend_from_slice(&(aad.len() as u64).to_le_bytes());
    data.extend_from_slice(&(cipher.len() as u64).to_le_bytes());
    let mut key = [0u8; 32];
    key.copy_from_slice(&block0[..32]);
    poly1305(&key, &data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::unhex;

    fn key() -> Vec<u8> {
        (0u8..32).collect()
    }

    #[test]
    fn rfc8439_block() {
        // Section 2.3.2: counter 1, nonce 000000090000004a00000000.
        let mut iv = vec![1, 0, 0, 0];
        iv.extend(unhex("000000090000004a00000000"));
        let mut c = ChaCha20::new(&key(), &iv).unwrap();
        let b = c.next_block();
        assert_eq!(b[..16].to_vec(), unhex("10f1e7e4d13b5915500fdd1fa32071c4"));
    }

    #[test]
    fn rfc8439_aead() {
        // Section 2.8.2.
        let key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        let nonce = unhex("070000004041424344454647");
        let aad = unhex("50515253c0c1c2c3c4c5c6c7");
        let plain = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let mut text = plain.to_vec();
        let tag = seal(&key, &nonce, &aad, &mut text).unwrap();
        assert_eq!(tag.to_vec(), unhex("1ae10b594f09e26a7e902ecbd0600691"));
        assert_eq!(text[..8].to_vec(), unhex("d31a8d34648e60db"));
        assert_eq!(open(&key, &nonce, &aad, &mut text), Some(tag));
        assert_eq!(text, plain.to_vec());
    }
}
