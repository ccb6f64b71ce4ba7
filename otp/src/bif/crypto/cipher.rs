//! AES in the modes `crypto`'s cipher API offers most (ECB, CBC, CTR and
//! GCM), with crypto's padding rules (`api_ng.c`): the block modes by hand
//! over RustCrypto's block cipher, GCM by `aes-gcm`.

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes_gcm::aead::consts::{U12, U16, U8};
use aes_gcm::aead::AeadInPlace;
use aes_gcm::AesGcm;

/// AES's block bytes.
const BLOCK: usize = 16;

/// A cipher mode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Gcm,
}

/// A cipher `crypto` names: AES with a key size and a mode.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Its atom.
    pub name: &'static str,
    /// Key bytes.
    pub key_len: usize,
    /// The mode.
    pub mode: Mode,
    /// OpenSSL's NID (`cipher_info`'s `type`; CTR has none there).
    pub nid: Option<u32>,
}

/// Every cipher built in, in the order `supports(ciphers)` lists them.
pub const ALL: [Spec; 12] = [
    spec("aes_128_cbc", 16, Mode::Cbc, Some(419)),
    spec("aes_192_cbc", 24, Mode::Cbc, Some(423)),
    spec("aes_256_cbc", 32, Mode::Cbc, Some(427)),
    spec("aes_128_ctr", 16, Mode::Ctr, None),
    spec("aes_192_ctr", 24, Mode::Ctr, None),
    spec("aes_256_ctr", 32, Mode::Ctr, None),
    spec("aes_128_ecb", 16, Mode::Ecb, Some(418)),
    spec("aes_192_ecb", 24, Mode::Ecb, Some(422)),
    spec("aes_256_ecb", 32, Mode::Ecb, Some(426)),
    spec("aes_128_gcm", 16, Mode::Gcm, Some(895)),
    spec("aes_192_gcm", 24, Mode::Gcm, Some(898)),
    spec("aes_256_gcm", 32, Mode::Gcm, Some(901)),
];

const fn spec(name: &'static str, key_len: usize, mode: Mode, nid: Option<u32>) -> Spec {
    Spec {
        name,
        key_len,
        mode,
        nid,
    }
}

impl Spec {
    /// The cipher named `name`.
    pub fn named(name: &str) -> Option<Spec> {
        ALL.into_iter().find(|s| s.name == name)
    }

    /// IV bytes (`cipher_info`'s `iv_length`).
    pub fn iv_len(self) -> usize {
        match self.mode {
            Mode::Ecb => 0,
            Mode::Cbc | Mode::Ctr => BLOCK,
            Mode::Gcm => 12,
        }
    }

    /// Block bytes as `cipher_info` gives them (1 for the stream modes).
    pub fn block_size(self) -> usize {
        match self.mode {
            Mode::Ecb | Mode::Cbc => BLOCK,
            Mode::Ctr | Mode::Gcm => 1,
        }
    }
}

/// AES with a key of one of its three sizes.
#[derive(Clone)]
enum Aes {
    A128(aes::Aes128),
    A192(aes::Aes192),
    A256(aes::Aes256),
}

impl Aes {
    fn new(key: &[u8]) -> Option<Aes> {
        Some(match key.len() {
            16 => Aes::A128(aes::Aes128::new_from_slice(key).ok()?),
            24 => Aes::A192(aes::Aes192::new_from_slice(key).ok()?),
            32 => Aes::A256(aes::Aes256::new_from_slice(key).ok()?),
            _ => return None,
        })
    }

    fn encrypt(&self, block: &mut [u8; BLOCK]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::A128(c) => c.encrypt_block(b),
            Aes::A192(c) => c.encrypt_block(b),
            Aes::A256(c) => c.encrypt_block(b),
        }
    }

    fn decrypt(&self, block: &mut [u8; BLOCK]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::A128(c) => c.decrypt_block(b),
            Aes::A192(c) => c.decrypt_block(b),
            Aes::A256(c) => c.decrypt_block(b),
        }
    }
}

/// crypto's `padding` option.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Padding {
    /// No option given (a boolean, or a list without `padding`): a last
    /// partial block is dropped.
    Unset,
    /// `none`: a last partial block is an error at the end.
    None,
    /// `pkcs_padding`.
    Pkcs,
    /// `zero`: the last block filled with zeros when encrypting.
    Zero,
    /// `random`: filled with random bytes when encrypting.
    Random,
}

/// Why a stream could not be finished (crypto's `error` class).
#[derive(Debug, PartialEq, Eq)]
pub enum FinalError {
    /// `Padding 'none' but unfilled last block`.
    Unfilled,
    /// `Can't finalize` (bad padding, or a partial block to decrypt).
    CantFinalize,
}

/// A block or CTR stream being encrypted or decrypted
/// (`crypto_init`'s state).
#[derive(Clone)]
pub struct Stream {
    aes: Aes,
    mode: Mode,
    encrypt: bool,
    padding: Padding,
    /// CBC's chaining block, CTR's counter.
    iv: [u8; BLOCK],
    /// Bytes of a block not processed yet (block modes).
    pending: Vec<u8>,
    /// CTR's key stream block and how much of it was used.
    keystream: [u8; BLOCK],
    used: usize,
}

impl Stream {
    /// A stream of `spec` (not GCM); `None` for a key not of an AES size.
    pub fn new(
        spec: Spec,
        key: &[u8],
        iv: &[u8],
        encrypt: bool,
        padding: Padding,
    ) -> Option<Stream> {
        let mut block = [0u8; BLOCK];
        if iv.len() == BLOCK {
            block.copy_from_slice(iv);
        }
        Some(Stream {
            aes: Aes::new(key)?,
            mode: spec.mode,
            encrypt,
            padding,
            iv: block,
            pending: Vec::new(),
            keystream: [0; BLOCK],
            used: BLOCK,
        })
    }

    /// Processes `data`: all of it in CTR, whole blocks in the block modes
    /// (decrypting with PKCS padding keeps the last whole block back, as
    /// OpenSSL does, for the padding to be checked at the end).
    pub fn update(&mut self, data: &[u8]) -> Vec<u8> {
        if self.mode == Mode::Ctr {
            return data.iter().map(|b| b ^ self.next_key_byte()).collect();
        }
        self.pending.extend_from_slice(data);
        let mut whole = self.pending.len() / BLOCK * BLOCK;
        if !self.encrypt && self.padding == Padding::Pkcs && whole == self.pending.len() {
            whole = whole.saturating_sub(BLOCK);
        }
        let blocks: Vec<u8> = self.pending.drain(..whole).collect();
        let mut out = Vec::with_capacity(whole);
        for chunk in blocks.chunks_exact(BLOCK) {
            out.extend_from_slice(&self.block(chunk));
        }
        out
    }

    /// What is left at the end of the stream.
    pub fn finish(&mut self) -> Result<Vec<u8>, FinalError> {
        if self.mode == Mode::Ctr {
            return Ok(Vec::new());
        }
        let rest = std::mem::take(&mut self.pending);
        if self.encrypt {
            let fill = BLOCK - rest.len();
            let mut last = rest;
            match self.padding {
                Padding::Pkcs => last.resize(BLOCK, fill as u8),
                Padding::Zero if !last.is_empty() => last.resize(BLOCK, 0),
                Padding::Random if !last.is_empty() => {
                    let mut noise = vec![0u8; fill];
                    getrandom::fill(&mut noise).map_err(|_| FinalError::CantFinalize)?;
                    last.extend_from_slice(&noise);
                }
                Padding::None if !last.is_empty() => return Err(FinalError::Unfilled),
                _ => return Ok(Vec::new()),
            }
            return Ok(self.block(&last).to_vec());
        }
        match self.padding {
            Padding::Pkcs => {
                if rest.len() != BLOCK {
                    return Err(FinalError::CantFinalize);
                }
                let plain = self.block(&rest);
                let n = usize::from(plain[BLOCK - 1]);
                let ok = (1..=BLOCK).contains(&n)
                    && plain[BLOCK - n..].iter().all(|&b| usize::from(b) == n);
                if !ok {
                    return Err(FinalError::CantFinalize);
                }
                Ok(plain[..BLOCK - n].to_vec())
            }
            Padding::Unset => Ok(Vec::new()),
            Padding::None if rest.is_empty() => Ok(Vec::new()),
            Padding::None => Err(FinalError::Unfilled),
            _ if rest.is_empty() => Ok(Vec::new()),
            _ => Err(FinalError::CantFinalize),
        }
    }

    /// One block through ECB or CBC.
    fn block(&mut self, chunk: &[u8]) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(chunk);
        match (self.mode, self.encrypt) {
            (Mode::Cbc, true) => {
                b.iter_mut().zip(&self.iv).for_each(|(x, v)| *x ^= v);
                self.aes.encrypt(&mut b);
                self.iv = b;
            }
            (Mode::Cbc, false) => {
                self.aes.decrypt(&mut b);
                b.iter_mut().zip(&self.iv).for_each(|(x, v)| *x ^= v);
                self.iv.copy_from_slice(chunk);
            }
            (_, true) => self.aes.encrypt(&mut b),
            (_, false) => self.aes.decrypt(&mut b),
        }
        b
    }

    /// CTR's next key byte (the counter is the whole 128-bit block,
    /// big-endian, as OpenSSL's).
    fn next_key_byte(&mut self) -> u8 {
        if self.used == BLOCK {
            self.keystream = self.iv;
            self.aes.encrypt(&mut self.keystream);
            self.iv = u128::from_be_bytes(self.iv).wrapping_add(1).to_be_bytes();
            self.used = 0;
        }
        self.used += 1;
        self.keystream[self.used - 1]
    }
}

/// GCM with a nonce of `N` bytes and a 16-byte tag over AES `A`.
type Gcm<A, N> = AesGcm<A, N, U16>;

/// Seals `text` in place; the full 16-byte tag (`None` for a nonce size
/// not built in: 8, 12 and 16 bytes are).
fn seal(key: &[u8], nonce: &[u8], aad: &[u8], text: &mut [u8]) -> Option<[u8; 16]> {
    macro_rules! go {
        ($aes:ty) => {
            match nonce.len() {
                12 => seal_with::<Gcm<$aes, U12>>(key, nonce, aad, text),
                8 => seal_with::<Gcm<$aes, U8>>(key, nonce, aad, text),
                16 => seal_with::<Gcm<$aes, U16>>(key, nonce, aad, text),
                _ => None,
            }
        };
    }
    match key.len() {
        16 => go!(aes::Aes128),
        24 => go!(aes::Aes192),
        32 => go!(aes::Aes256),
        _ => None,
    }
}

fn seal_with<C: KeyInit + AeadInPlace>(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    text: &mut [u8],
) -> Option<[u8; 16]> {
    let c = C::new_from_slice(key).ok()?;
    let tag = c
        .encrypt_in_place_detached(GenericArray::from_slice(nonce), aad, text)
        .ok()?;
    tag.as_slice().try_into().ok()
}

/// GCM encryption: the ciphertext and the tag cut to `tag_len` bytes.
pub fn gcm_encrypt(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plain: &[u8],
    tag_len: usize,
) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut text = plain.to_vec();
    let tag = seal(key, nonce, aad, &mut text)?;
    Some((text, tag.get(..tag_len)?.to_vec()))
}

/// GCM decryption: the plaintext if `tag` (a prefix of the full tag, as
/// OpenSSL checks a shortened one) authenticates it.
pub fn gcm_decrypt(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    cipher: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    // CTR is its own inverse: sealing the ciphertext gives the plaintext;
    // sealing that again gives the tag the ciphertext should carry.
    let mut plain = cipher.to_vec();
    seal(key, nonce, aad, &mut plain)?;
    let mut again = plain.clone();
    let full = seal(key, nonce, aad, &mut again)?;
    let expected = full.get(..tag.len())?;
    let diff = expected.iter().zip(tag).fold(0u8, |d, (a, b)| d | (a ^ b));
    (!tag.is_empty() && diff == 0).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn nist_vectors() {
        // SP 800-38A F.2.1 (CBC-AES128.Encrypt), first block.
        let key = unhex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv = unhex("000102030405060708090a0b0c0d0e0f");
        let spec = Spec::named("aes_128_cbc").unwrap();
        let mut s = Stream::new(spec, &key, &iv, true, Padding::Unset).unwrap();
        let out = s.update(&unhex("6bc1bee22e409f96e93d7e117393172a"));
        assert_eq!(hex(&out), "7649abac8119b246cee98e9b12e9197d");
        // F.5.1 (CTR-AES128.Encrypt), first block, fed in two pieces.
        let iv = unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        let spec = Spec::named("aes_128_ctr").unwrap();
        let mut s = Stream::new(spec, &key, &iv, true, Padding::Unset).unwrap();
        let plain = unhex("6bc1bee22e409f96e93d7e117393172a");
        let mut out = s.update(&plain[..5]);
        out.extend(s.update(&plain[5..]));
        assert_eq!(hex(&out), "874d6191b620e3261bef6864990db6ce");
    }

    #[test]
    fn pkcs_round_trip_and_bad_padding() {
        let key = [7u8; 16];
        let spec = Spec::named("aes_128_cbc").unwrap();
        let mut e = Stream::new(spec, &key, &[1; 16], true, Padding::Pkcs).unwrap();
        let mut c = e.update(b"hello, world");
        c.extend(e.finish().unwrap());
        assert_eq!(c.len(), 16);
        let mut d = Stream::new(spec, &key, &[1; 16], false, Padding::Pkcs).unwrap();
        let mut p = d.update(&c);
        p.extend(d.finish().unwrap());
        assert_eq!(p, b"hello, world");
        let mut d = Stream::new(spec, &key, &[2; 16], false, Padding::Pkcs).unwrap();
        d.update(&c);
        assert_eq!(d.finish(), Err(FinalError::CantFinalize));
    }

    #[test]
    fn gcm_short_tags() {
        let key = [3u8; 32];
        let nonce = [9u8; 12];
        let (c, tag) = gcm_encrypt(&key, &nonce, b"aad", b"secret", 8).unwrap();
        assert_eq!(tag.len(), 8);
        assert_eq!(
            gcm_decrypt(&key, &nonce, b"aad", &c, &tag).as_deref(),
            Some(&b"secret"[..])
        );
        assert_eq!(gcm_decrypt(&key, &nonce, b"aaX", &c, &tag), None);
    }
}
