//! The ciphers `crypto` names and the non-AEAD streams over them (AES in
//! ECB, CBC, CTR, OFB, CFB8 and CFB128; ChaCha20), with crypto's padding
//! rules (`api_ng.c`). The AEAD ciphers run in `aead`.

use super::aead::Aead;
use super::aes::{Aes, BLOCK};
use super::chacha::{self, ChaCha20};

/// How a cipher runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb8,
    Cfb128,
    ChaCha20,
    Aead(Aead),
}

/// A cipher `crypto` names.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Its atom.
    pub name: &'static str,
    /// Key bytes.
    pub key_len: usize,
    /// The mode.
    pub mode: Mode,
    /// OpenSSL's NID (`cipher_info`'s `type`; CTR and ChaCha20 have none
    /// there, CFB8 gives CFB128's, as `EVP_CIPHER_type` does).
    pub nid: Option<u32>,
}

/// Every cipher built in, in the order `supports(ciphers)` lists them.
pub const ALL: [Spec; 26] = [
    spec("chacha20", 32, Mode::ChaCha20, None),
    spec("aes_256_ofb", 32, Mode::Ofb, Some(428)),
    spec("aes_192_ofb", 24, Mode::Ofb, Some(424)),
    spec("aes_128_ofb", 16, Mode::Ofb, Some(420)),
    spec("aes_128_cbc", 16, Mode::Cbc, Some(419)),
    spec("aes_192_cbc", 24, Mode::Cbc, Some(423)),
    spec("aes_256_cbc", 32, Mode::Cbc, Some(427)),
    spec("aes_128_cfb128", 16, Mode::Cfb128, Some(421)),
    spec("aes_192_cfb128", 24, Mode::Cfb128, Some(425)),
    spec("aes_256_cfb128", 32, Mode::Cfb128, Some(429)),
    spec("aes_128_cfb8", 16, Mode::Cfb8, Some(421)),
    spec("aes_192_cfb8", 24, Mode::Cfb8, Some(425)),
    spec("aes_256_cfb8", 32, Mode::Cfb8, Some(429)),
    spec("aes_128_ecb", 16, Mode::Ecb, Some(418)),
    spec("aes_192_ecb", 24, Mode::Ecb, Some(422)),
    spec("aes_256_ecb", 32, Mode::Ecb, Some(426)),
    spec("chacha20_poly1305", 32, Mode::Aead(Aead::ChaChaPoly), None),
    spec("aes_256_gcm", 32, Mode::Aead(Aead::Gcm), Some(901)),
    spec("aes_256_ccm", 32, Mode::Aead(Aead::Ccm), Some(902)),
    spec("aes_192_gcm", 24, Mode::Aead(Aead::Gcm), Some(898)),
    spec("aes_192_ccm", 24, Mode::Aead(Aead::Ccm), Some(899)),
    spec("aes_128_gcm", 16, Mode::Aead(Aead::Gcm), Some(895)),
    spec("aes_128_ccm", 16, Mode::Aead(Aead::Ccm), Some(896)),
    spec("aes_256_ctr", 32, Mode::Ctr, None),
    spec("aes_192_ctr", 24, Mode::Ctr, None),
    spec("aes_128_ctr", 16, Mode::Ctr, None),
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
            Mode::Aead(_) => 12,
            _ => 16,
        }
    }

    /// Block bytes as `cipher_info` gives them (1 for the stream modes).
    pub fn block_size(self) -> usize {
        match self.mode {
            Mode::Ecb | Mode::Cbc => BLOCK,
            _ => 1,
        }
    }

    /// `cipher_info`'s `mode`.
    pub fn mode_name(self) -> &'static str {
        match self.mode {
            Mode::Ecb => "ecb_mode",
            Mode::Cbc => "cbc_mode",
            Mode::Ctr => "ctr_mode",
            Mode::Ofb => "ofb_mode",
            Mode::Cfb8 | Mode::Cfb128 => "cfb_mode",
            Mode::ChaCha20 | Mode::Aead(Aead::ChaChaPoly) => "stream_cipher",
            Mode::Aead(Aead::Gcm) => "gcm_mode",
            Mode::Aead(Aead::Ccm) => "ccm_mode",
        }
    }

    /// The AEAD construction, for an AEAD cipher.
    pub fn aead(self) -> Option<Aead> {
        match self.mode {
            Mode::Aead(a) => Some(a),
            _ => None,
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

/// The primitive and mode under a stream.
#[derive(Clone)]
enum Engine {
    Ecb(Aes),
    Cbc(Aes),
    Ctr(Aes),
    Ofb(Aes),
    Cfb8(Aes),
    Cfb128(Aes),
    ChaCha(ChaCha20),
}

/// A stream being encrypted or decrypted (`crypto_init`'s state).
#[derive(Clone)]
pub struct Stream {
    engine: Engine,
    padding: Padding,
    /// Bytes of a block not processed yet (block modes).
    pending: Vec<u8>,
    register: Register,
}

/// A stream's running state.
#[derive(Clone)]
struct Register {
    encrypt: bool,
    /// CBC's chaining block, CTR's counter, OFB's and CFB's register.
    iv: [u8; BLOCK],
    /// The key stream's current block and how much of it was used.
    keystream: [u8; chacha::BLOCK],
    used: usize,
}

impl Stream {
    /// A stream of `spec` (not AEAD); `None` for a key or IV of a wrong
    /// size.
    pub fn new(
        spec: Spec,
        key: &[u8],
        iv: &[u8],
        encrypt: bool,
        padding: Padding,
    ) -> Option<Stream> {
        let engine = match spec.mode {
            Mode::ChaCha20 => Engine::ChaCha(ChaCha20::new(key, iv)?),
            Mode::Aead(_) => return None,
            Mode::Ecb => Engine::Ecb(Aes::new(key)?),
            Mode::Cbc => Engine::Cbc(Aes::new(key)?),
            Mode::Ctr => Engine::Ctr(Aes::new(key)?),
            Mode::Ofb => Engine::Ofb(Aes::new(key)?),
            Mode::Cfb8 => Engine::Cfb8(Aes::new(key)?),
            Mode::Cfb128 => Engine::Cfb128(Aes::new(key)?),
        };
        let mut block = [0u8; BLOCK];
        if iv.len() == BLOCK {
            block.copy_from_slice(iv);
        }
        Some(Stream {
            engine,
            padding,
            pending: Vec::new(),
            register: Register {
                encrypt,
                iv: block,
                keystream: [0; chacha::BLOCK],
                used: usize::MAX,
            },
        })
    }

    /// Processes `data`: all of it in the stream modes, whole blocks in
    /// the block modes (decrypting with PKCS padding keeps the last whole
    /// block back, as OpenSSL does, for the padding to be checked at the
    /// end).
    pub fn update(&mut self, data: &[u8]) -> Vec<u8> {
        let Stream {
            engine,
            padding,
            pending,
            register: r,
        } = self;
        let (aes, cbc) = match engine {
            Engine::Ecb(aes) => (aes, false),
            Engine::Cbc(aes) => (aes, true),
            Engine::Cfb8(aes) => return data.iter().map(|&b| r.cfb8(aes, b)).collect(),
            Engine::Cfb128(aes) => return data.iter().map(|&b| r.cfb128(aes, b)).collect(),
            Engine::Ctr(aes) => {
                return data.iter().map(|b| b ^ r.aes_key_byte(aes, true)).collect()
            }
            Engine::Ofb(aes) => {
                return data
                    .iter()
                    .map(|b| b ^ r.aes_key_byte(aes, false))
                    .collect()
            }
            Engine::ChaCha(c) => return data.iter().map(|b| b ^ r.chacha_key_byte(c)).collect(),
        };
        pending.extend_from_slice(data);
        let mut whole = pending.len() / BLOCK * BLOCK;
        if !r.encrypt && *padding == Padding::Pkcs && whole == pending.len() {
            whole = whole.saturating_sub(BLOCK);
        }
        let mut out = Vec::with_capacity(whole);
        for chunk in pending[..whole].chunks_exact(BLOCK) {
            out.extend_from_slice(&r.block(aes, cbc, chunk));
        }
        pending.drain(..whole);
        out
    }

    /// What is left at the end of the stream.
    pub fn finish(&mut self) -> Result<Vec<u8>, FinalError> {
        let (aes, cbc) = match &self.engine {
            Engine::Ecb(aes) => (aes, false),
            Engine::Cbc(aes) => (aes, true),
            _ => return Ok(Vec::new()),
        };
        let r = &mut self.register;
        let rest = std::mem::take(&mut self.pending);
        if r.encrypt {
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
            return Ok(r.block(aes, cbc, &last).to_vec());
        }
        match self.padding {
            Padding::Pkcs => {
                if rest.len() != BLOCK {
                    return Err(FinalError::CantFinalize);
                }
                let plain = r.block(aes, cbc, &rest);
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
}

impl Register {
    /// One block through ECB or CBC.
    fn block(&mut self, aes: &Aes, cbc: bool, chunk: &[u8]) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        b.copy_from_slice(chunk);
        match (cbc, self.encrypt) {
            (true, true) => {
                b.iter_mut().zip(&self.iv).for_each(|(x, v)| *x ^= v);
                aes.encrypt(&mut b);
                self.iv = b;
            }
            (true, false) => {
                aes.decrypt(&mut b);
                b.iter_mut().zip(&self.iv).for_each(|(x, v)| *x ^= v);
                self.iv.copy_from_slice(chunk);
            }
            (false, true) => aes.encrypt(&mut b),
            (false, false) => aes.decrypt(&mut b),
        }
        b
    }

    /// CTR's next key byte (the counter is the whole 128-bit block,
    /// big-endian, as OpenSSL's) or OFB's.
    fn aes_key_byte(&mut self, aes: &Aes, ctr: bool) -> u8 {
        if self.used >= BLOCK {
            let mut ks = self.iv;
            aes.encrypt(&mut ks);
            self.iv = if ctr {
                u128::from_be_bytes(self.iv).wrapping_add(1).to_be_bytes()
            } else {
                ks
            };
            self.keystream[..BLOCK].copy_from_slice(&ks);
            self.used = 0;
        }
        self.used += 1;
        self.keystream[self.used - 1]
    }

    /// ChaCha20's next key byte.
    fn chacha_key_byte(&mut self, c: &mut ChaCha20) -> u8 {
        if self.used >= chacha::BLOCK {
            self.keystream = c.next_block();
            self.used = 0;
        }
        self.used += 1;
        self.keystream[self.used - 1]
    }

    /// One byte through CFB128: the register is the last ciphertext
    /// block, encrypted at each block's start.
    fn cfb128(&mut self, aes: &Aes, byte: u8) -> u8 {
        if self.used >= BLOCK {
            let mut ks = self.iv;
            aes.encrypt(&mut ks);
            self.keystream[..BLOCK].copy_from_slice(&ks);
            self.used = 0;
        }
        let out = byte ^ self.keystream[self.used];
        self.iv[self.used] = if self.encrypt { out } else { byte };
        self.used += 1;
        out
    }

    /// One byte through CFB8: the register shifts a ciphertext byte in.
    fn cfb8(&mut self, aes: &Aes, byte: u8) -> u8 {
        let mut ks = self.iv;
        aes.encrypt(&mut ks);
        let out = byte ^ ks[0];
        self.iv.copy_within(1.., 0);
        self.iv[BLOCK - 1] = if self.encrypt { out } else { byte };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::{hex, unhex};

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
    fn ofb_cfb_vectors() {
        // SP 800-38A F.4.1 (OFB), F.3.13 (CFB128), F.3.7 (CFB8): first
        // block or bytes, fed in pieces.
        let key = unhex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv = unhex("000102030405060708090a0b0c0d0e0f");
        let plain = unhex("6bc1bee22e409f96e93d7e117393172a");
        let cases = [
            ("aes_128_ofb", "3b3fd92eb72dad20333449f8e83cfb4a"),
            ("aes_128_cfb128", "3b3fd92eb72dad20333449f8e83cfb4a"),
            ("aes_128_cfb8", "3b79424c9c0dd436bace9e0ed4586a4f"),
        ];
        for (name, want) in cases {
            let spec = Spec::named(name).unwrap();
            let mut e = Stream::new(spec, &key, &iv, true, Padding::Unset).unwrap();
            let mut out = e.update(&plain[..3]);
            out.extend(e.update(&plain[3..]));
            assert_eq!(hex(&out), want, "{name}");
            let mut d = Stream::new(spec, &key, &iv, false, Padding::Unset).unwrap();
            assert_eq!(d.update(&out), plain, "{name}");
        }
    }
}
