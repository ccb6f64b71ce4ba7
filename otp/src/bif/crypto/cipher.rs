//! The ciphers `crypto` names and the non-AEAD streams over them (AES in
//! ECB, CBC, CTR, OFB, CFB8 and CFB128; DES, triple DES, Blowfish and RC2
//! in the modes erl offers them; ChaCha20 and RC4), with crypto's padding
//! rules (`api_ng.c`). The AEAD ciphers run in `aead`.

use super::aead::Aead;
use super::block::{Block, Kind, Rc4, MAX_BLOCK};
use super::chacha::{self, ChaCha20};

/// How a cipher runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb8,
    /// CFB over whole blocks: CFB128 for AES, CFB64 for the 64-bit
    /// ciphers.
    Cfb128,
    ChaCha20,
    Rc4,
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
    /// The block cipher under a block mode (AES for the others).
    pub kind: Kind,
    /// OpenSSL's NID (`cipher_info`'s `type`; CTR and ChaCha20 have none
    /// there, CFB8 gives CFB128's, as `EVP_CIPHER_type` does).
    pub nid: Option<u32>,
}

/// Every cipher built in, in the order `supports(ciphers)` lists them.
pub const ALL: [Spec; 37] = [
    spec("chacha20", 32, Mode::ChaCha20, None),
    spec("aes_256_ofb", 32, Mode::Ofb, Some(428)),
    spec("aes_192_ofb", 24, Mode::Ofb, Some(424)),
    spec("aes_128_ofb", 16, Mode::Ofb, Some(420)),
    legacy("blowfish_ecb", 16, Mode::Ecb, Kind::Blowfish, None),
    legacy("blowfish_ofb64", 16, Mode::Ofb, Kind::Blowfish, None),
    legacy("blowfish_cfb64", 16, Mode::Cfb128, Kind::Blowfish, None),
    legacy("blowfish_cbc", 16, Mode::Cbc, Kind::Blowfish, Some(91)),
    legacy("des_ede3_cfb", 24, Mode::Cfb128, Kind::Des3, Some(30)),
    legacy("des_ecb", 8, Mode::Ecb, Kind::Des, Some(29)),
    legacy("des_cfb", 8, Mode::Cfb128, Kind::Des, Some(30)),
    legacy("des_cbc", 8, Mode::Cbc, Kind::Des, Some(31)),
    spec("rc4", 16, Mode::Rc4, Some(5)),
    legacy("rc2_cbc", 16, Mode::Cbc, Kind::Rc2, Some(37)),
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
    legacy("des_ede3_cbc", 24, Mode::Cbc, Kind::Des3, Some(44)),
];

const fn spec(name: &'static str, key_len: usize, mode: Mode, nid: Option<u32>) -> Spec {
    legacy(name, key_len, mode, Kind::Aes, nid)
}

/// A cipher over a block cipher other than AES (`key_len` is
/// `cipher_info`'s for the variable-key ones).
const fn legacy(
    name: &'static str,
    key_len: usize,
    mode: Mode,
    kind: Kind,
    nid: Option<u32>,
) -> Spec {
    Spec {
        name,
        key_len,
        mode,
        kind,
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
            Mode::Ecb | Mode::Rc4 => 0,
            Mode::Aead(_) => 12,
            Mode::ChaCha20 => 16,
            _ => self.cipher_block(),
        }
    }

    /// The block cipher's block bytes.
    fn cipher_block(self) -> usize {
        match self.kind {
            Kind::Aes => MAX_BLOCK,
            _ => 8,
        }
    }

    /// Whether a key of `len` bytes is taken.
    pub fn takes_key(self, len: usize) -> bool {
        match self.mode {
            Mode::Rc4 => len > 0,
            _ if self.kind.variable_key() => len > 0,
            _ => len == self.key_len,
        }
    }

    /// Block bytes as `cipher_info` gives them (1 for the stream modes).
    pub fn block_size(self) -> usize {
        match self.mode {
            Mode::Ecb | Mode::Cbc => self.cipher_block(),
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
            Mode::ChaCha20 | Mode::Rc4 | Mode::Aead(Aead::ChaChaPoly) => "stream_cipher",
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
    Ecb(Block),
    Cbc(Block),
    Ctr(Block),
    Ofb(Block),
    Cfb8(Block),
    Cfb128(Block),
    ChaCha(ChaCha20),
    Rc4(Rc4),
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
    /// CBC's chaining block, CTR's counter, OFB's and CFB's register
    /// (the block cipher's block size of it).
    iv: [u8; MAX_BLOCK],
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
        let block = || Block::new(spec.kind, key);
        let engine = match spec.mode {
            Mode::ChaCha20 => Engine::ChaCha(ChaCha20::new(key, iv)?),
            Mode::Rc4 => Engine::Rc4(Rc4::new(key)?),
            Mode::Aead(_) => return None,
            Mode::Ecb => Engine::Ecb(block()?),
            Mode::Cbc => Engine::Cbc(block()?),
            Mode::Ctr => Engine::Ctr(block()?),
            Mode::Ofb => Engine::Ofb(block()?),
            Mode::Cfb8 => Engine::Cfb8(block()?),
            Mode::Cfb128 => Engine::Cfb128(block()?),
        };
        let mut block = [0u8; MAX_BLOCK];
        if iv.len() <= MAX_BLOCK {
            block[..iv.len()].copy_from_slice(iv);
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
        let (cipher, cbc) = match engine {
            Engine::Ecb(c) => (c, false),
            Engine::Cbc(c) => (c, true),
            Engine::Cfb8(c) => return data.iter().map(|&b| r.cfb8(c, b)).collect(),
            Engine::Cfb128(c) => return data.iter().map(|&b| r.cfb_block(c, b)).collect(),
            Engine::Ctr(c) => return data.iter().map(|b| b ^ r.block_key_byte(c, true)).collect(),
            Engine::Ofb(c) => {
                return data
                    .iter()
                    .map(|b| b ^ r.block_key_byte(c, false))
                    .collect()
            }
            Engine::ChaCha(c) => return data.iter().map(|b| b ^ r.chacha_key_byte(c)).collect(),
            Engine::Rc4(c) => return data.iter().map(|b| b ^ c.next_byte()).collect(),
        };
        let bs = cipher.size();
        pending.extend_from_slice(data);
        let mut whole = pending.len() / bs * bs;
        if !r.encrypt && *padding == Padding::Pkcs && whole == pending.len() {
            whole = whole.saturating_sub(bs);
        }
        let mut out = Vec::with_capacity(whole);
        for chunk in pending[..whole].chunks_exact(bs) {
            out.extend_from_slice(&r.block(cipher, cbc, chunk));
        }
        pending.drain(..whole);
        out
    }

    /// What is left at the end of the stream.
    pub fn finish(&mut self) -> Result<Vec<u8>, FinalError> {
        let (cipher, cbc) = match &self.engine {
            Engine::Ecb(c) => (c, false),
            Engine::Cbc(c) => (c, true),
            _ => return Ok(Vec::new()),
        };
        let bs = cipher.size();
        let r = &mut self.register;
        let rest = std::mem::take(&mut self.pending);
        if r.encrypt {
            let fill = bs - rest.len();
            let mut last = rest;
            match self.padding {
                Padding::Pkcs => last.resize(bs, fill as u8),
                Padding::Zero if !last.is_empty() => last.resize(bs, 0),
                Padding::Random if !last.is_empty() => {
                    let mut noise = vec![0u8; fill];
                    getrandom::fill(&mut noise).map_err(|_| FinalError::CantFinalize)?;
                    last.extend_from_slice(&noise);
                }
                Padding::None if !last.is_empty() => return Err(FinalError::Unfilled),
                _ => return Ok(Vec::new()),
            }
            return Ok(r.block(cipher, cbc, &last));
        }
        match self.padding {
            Padding::Pkcs => {
                if rest.len() != bs {
                    return Err(FinalError::CantFinalize);
                }
                let plain = r.block(cipher, cbc, &rest);
                let n = usize::from(plain[bs - 1]);
                let ok =
                    (1..=bs).contains(&n) && plain[bs - n..].iter().all(|&b| usize::from(b) == n);
                if !ok {
                    return Err(FinalError::CantFinalize);
                }
                Ok(plain[..bs - n].to_vec())
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
    fn block(&mut self, cipher: &Block, cbc: bool, chunk: &[u8]) -> Vec<u8> {
        let bs = cipher.size();
        let mut b = chunk.to_vec();
        let iv = &mut self.iv[..bs];
        match (cbc, self.encrypt) {
            (true, true) => {
                b.iter_mut().zip(iv.iter()).for_each(|(x, v)| *x ^= v);
                cipher.encrypt(&mut b);
                iv.copy_from_slice(&b);
            }
            (true, false) => {
                cipher.decrypt(&mut b);
                b.iter_mut().zip(iv.iter()).for_each(|(x, v)| *x ^= v);
                iv.copy_from_slice(chunk);
            }
            (false, true) => cipher.encrypt(&mut b),
            (false, false) => cipher.decrypt(&mut b),
        }
        b
    }

    /// CTR's next key byte (the counter is the whole 128-bit block,
    /// big-endian, as OpenSSL's; AES only) or OFB's.
    fn block_key_byte(&mut self, cipher: &Block, ctr: bool) -> u8 {
        let bs = cipher.size();
        if self.used >= bs {
            let mut ks = self.iv;
            cipher.encrypt(&mut ks[..bs]);
            if ctr {
                self.iv = u128::from_be_bytes(self.iv).wrapping_add(1).to_be_bytes();
            } else {
                self.iv = ks;
            }
            self.keystream[..bs].copy_from_slice(&ks[..bs]);
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

    /// One byte through CFB over whole blocks: the register is the last
    /// ciphertext block, encrypted at each block's start.
    fn cfb_block(&mut self, cipher: &Block, byte: u8) -> u8 {
        let bs = cipher.size();
        if self.used >= bs {
            let mut ks = self.iv;
            cipher.encrypt(&mut ks[..bs]);
            self.keystream[..bs].copy_from_slice(&ks[..bs]);
            self.used = 0;
        }
        let out = byte ^ self.keystream[self.used];
        self.iv[self.used] = if self.encrypt { out } else { byte };
        self.used += 1;
        out
    }

    /// One byte through CFB8: the register shifts a ciphertext byte in.
    fn cfb8(&mut self, cipher: &Block, byte: u8) -> u8 {
        let bs = cipher.size();
        let mut ks = self.iv;
        cipher.encrypt(&mut ks[..bs]);
        let out = byte ^ ks[0];
        self.iv.copy_within(1..bs, 0);
        self.iv[bs - 1] = if self.encrypt { out } else { byte };
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
