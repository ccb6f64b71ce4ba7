//! The message digests of `crypto` (`hash/2`, the `hash_init`
//! family, `hash_info/1`) and the HMACs built on them (`mac/4`, the
//! `mac_init` family, `pbkdf2_hmac/5`), on RustCrypto's implementations.
//! The digests are those OTP 25's crypto offers with OpenSSL 3 (erl's
//! `crypto:supports(hashs)`), listed in that order.

use digest::Digest;

/// A digest `crypto` names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
    Blake2s,
    Blake2b,
    Sha3_512,
    Sha3_384,
    Sha3_256,
    Sha3_224,
    Sha512,
    Sha384,
    Sha256,
    Sha224,
    Sha,
    Ripemd160,
    Md5,
    Md4,
}

/// What `hash_info/1` tells of a digest.
pub struct Info {
    /// The atom `crypto` names it by.
    pub name: &'static str,
    /// Digest bytes.
    pub size: usize,
    /// Input block bytes (HMAC pads its key to this).
    pub block: usize,
    /// OpenSSL's NID, `hash_info`'s `type`.
    pub nid: u32,
}

/// Every digest, in `crypto:supports(hashs)`'s order.
pub const ALL: [Algorithm; 14] = [
    Algorithm::Blake2s,
    Algorithm::Blake2b,
    Algorithm::Sha3_512,
    Algorithm::Sha3_384,
    Algorithm::Sha3_256,
    Algorithm::Sha3_224,
    Algorithm::Sha512,
    Algorithm::Sha384,
    Algorithm::Sha256,
    Algorithm::Sha224,
    Algorithm::Sha,
    Algorithm::Ripemd160,
    Algorithm::Md5,
    Algorithm::Md4,
];

impl Algorithm {
    /// The digest named `name`.
    pub fn named(name: &str) -> Option<Algorithm> {
        ALL.into_iter().find(|a| a.info().name == name)
    }

    /// Its name, sizes and NID.
    pub fn info(self) -> Info {
        let (name, size, block, nid) = match self {
            Algorithm::Blake2s => ("blake2s", 32, 64, 1057),
            Algorithm::Blake2b => ("blake2b", 64, 128, 1056),
            Algorithm::Sha3_512 => ("sha3_512", 64, 72, 1099),
            Algorithm::Sha3_384 => ("sha3_384", 48, 104, 1098),
            Algorithm::Sha3_256 => ("sha3_256", 32, 136, 1097),
            Algorithm::Sha3_224 => ("sha3_224", 28, 144, 1096),
            Algorithm::Sha512 => ("sha512", 64, 128, 674),
            Algorithm::Sha384 => ("sha384", 48, 128, 673),
            Algorithm::Sha256 => ("sha256", 32, 64, 672),
            Algorithm::Sha224 => ("sha224", 28, 64, 675),
            Algorithm::Sha => ("sha", 20, 64, 64),
            Algorithm::Ripemd160 => ("ripemd160", 20, 64, 117),
            Algorithm::Md5 => ("md5", 16, 64, 4),
            Algorithm::Md4 => ("md4", 16, 64, 257),
        };
        Info {
            name,
            size,
            block,
            nid,
        }
    }

    /// A fresh hasher.
    pub fn hasher(self) -> Hasher {
        Hasher::new(self)
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finish()
    }

    /// Whether `pbkdf2_hmac/5` takes it (OpenSSL's list in crypto's
    /// `pbkdf2_hmac.c`: SHA-1 and SHA-2).
    pub fn pbkdf2_eligible(self) -> bool {
        matches!(
            self,
            Algorithm::Sha
                | Algorithm::Sha224
                | Algorithm::Sha256
                | Algorithm::Sha384
                | Algorithm::Sha512
        )
    }
}

/// Declares `Hasher`, one variant per algorithm, over the concrete
/// RustCrypto types (cloning forks a computation: `crypto`'s hash states
/// are values, updating one gives a new state).
macro_rules! hashers {
    ($($alg:ident => $ty:ty),* $(,)?) => {
        /// A digest in progress.
        #[derive(Clone)]
        pub enum Hasher {
            $(#[doc = stringify!($ty)] $alg($ty),)*
        }

        impl Hasher {
            fn new(a: Algorithm) -> Hasher {
                match a {
                    $(Algorithm::$alg => Hasher::$alg(<$ty>::default()),)*
                }
            }

            /// Adds `data`.
            pub fn update(&mut self, data: &[u8]) {
                match self {
                    $(Hasher::$alg(h) => Digest::update(h, data),)*
                }
            }

            /// The digest of what was added.
            pub fn finish(self) -> Vec<u8> {
                match self {
                    $(Hasher::$alg(h) => h.finalize().to_vec(),)*
                }
            }
        }
    };
}

hashers! {
    Blake2s => blake2::Blake2s256,
    Blake2b => blake2::Blake2b512,
    Sha3_512 => sha3::Sha3_512,
    Sha3_384 => sha3::Sha3_384,
    Sha3_256 => sha3::Sha3_256,
    Sha3_224 => sha3::Sha3_224,
    Sha512 => sha2::Sha512,
    Sha384 => sha2::Sha384,
    Sha256 => sha2::Sha256,
    Sha224 => sha2::Sha224,
    Sha => sha1::Sha1,
    Ripemd160 => ripemd::Ripemd160,
    Md5 => md5::Md5,
    Md4 => md4::Md4,
}

/// An HMAC in progress (RFC 2104 over any of the digests).
#[derive(Clone)]
pub struct Hmac {
    inner: Hasher,
    outer: Hasher,
}

impl Hmac {
    /// Starts an HMAC of `alg` keyed with `key`.
    pub fn new(alg: Algorithm, key: &[u8]) -> Hmac {
        let block = alg.info().block;
        let mut k = if key.len() > block {
            alg.digest(key)
        } else {
            key.to_vec()
        };
        k.resize(block, 0);
        let mut inner = alg.hasher();
        inner.update(&k.iter().map(|b| b ^ 0x36).collect::<Vec<u8>>());
        let mut outer = alg.hasher();
        outer.update(&k.iter().map(|b| b ^ 0x5c).collect::<Vec<u8>>());
        Hmac { inner, outer }
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The MAC of what was added.
    pub fn finish(self) -> Vec<u8> {
        let mut outer = self.outer;
        outer.update(&self.inner.finish());
        outer.finish()
    }
}

/// PBKDF2 (RFC 8018) with HMAC-`alg`: `len` bytes from `iterations`
/// rounds.
pub fn pbkdf2(alg: Algorithm, pass: &[u8], salt: &[u8], iterations: u64, len: usize) -> Vec<u8> {
    let keyed = Hmac::new(alg, pass);
    let mut out = Vec::with_capacity(len);
    let mut block: u32 = 1;
    while out.len() < len {
        let mut h = keyed.clone();
        h.update(salt);
        h.update(&block.to_be_bytes());
        let mut u = h.finish();
        let mut t = u.clone();
        for _ in 1..iterations {
            let mut h = keyed.clone();
            h.update(&u);
            u = h.finish();
            t.iter_mut().zip(&u).for_each(|(a, b)| *a ^= b);
        }
        let take = t.len().min(len - out.len());
        out.extend_from_slice(&t[..take]);
        block = block.wrapping_add(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::hex;

    #[test]
    fn rfc_vectors() {
        assert_eq!(
            hex(&Algorithm::Sha256.digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 4231 test case 2.
        let mut m = Hmac::new(Algorithm::Sha256, b"Jefe");
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&m.finish()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 6070 test case 2.
        assert_eq!(
            hex(&pbkdf2(Algorithm::Sha, b"password", b"salt", 2, 20)),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
        );
    }

    #[test]
    fn names_round_trip() {
        for a in ALL {
            assert_eq!(Algorithm::named(a.info().name), Some(a));
            assert_eq!(a.digest(b"").len(), a.info().size);
        }
        assert_eq!(Algorithm::named("sha1"), None);
    }
}
