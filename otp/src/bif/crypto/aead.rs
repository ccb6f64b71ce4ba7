//! The AEAD ciphers of `crypto_one_time_aead`: AES-GCM (NIST SP 800-38D,
//! any nonce length, as OpenSSL takes), AES-CCM (SP 800-38C) and
//! ChaCha20-Poly1305 (RFC 8439), each sealing in place and giving the
//! full tag, which the NIF cuts or compares as OpenSSL does.

use ghash::universal_hash::{KeyInit, UniversalHash};
use ghash::GHash;

use super::aes::{Aes, BLOCK};
use super::chacha;

/// An AEAD construction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Aead {
    Gcm,
    Ccm,
    ChaChaPoly,
}

/// Why OpenSSL would refuse the parameters.
#[derive(Debug, PartialEq, Eq)]
pub enum AeadError {
    /// `Bad IV length`.
    IvLength,
    /// `Can't set tag` (CCM's tag lengths: 4 to 16, even).
    TagLength,
    /// `Can't get Tag` (a requested tag longer than the cipher's or empty).
    GetTag,
}

impl Aead {
    /// Checks a nonce and tag length before any work, as OpenSSL's
    /// controls do.
    pub fn check(self, nonce: usize, tag: usize) -> Result<(), AeadError> {
        let nonce_ok = match self {
            Aead::Gcm => nonce > 0,
            Aead::Ccm => (7..=13).contains(&nonce),
            Aead::ChaChaPoly => nonce == 12,
        };
        if !nonce_ok {
            return Err(AeadError::IvLength);
        }
        if self == Aead::Ccm && !((4..=16).contains(&tag) && tag.is_multiple_of(2)) {
            return Err(AeadError::TagLength);
        }
        Ok(())
    }

    /// Encrypts `plain`: the ciphertext and a tag of `tag_len` bytes.
    pub fn encrypt(
        self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        plain: &[u8],
        tag_len: usize,
    ) -> Result<(Vec<u8>, Vec<u8>), AeadError> {
        self.check(nonce.len(), tag_len)?;
        if !(1..=16).contains(&tag_len) {
            return Err(AeadError::GetTag);
        }
        let mut text = plain.to_vec();
        let tag = match self {
            Aead::Gcm => gcm(key, nonce, aad, &mut text, true),
            Aead::Ccm => ccm(key, nonce, aad, &mut text, tag_len, true),
            Aead::ChaChaPoly => chacha::seal(key, nonce, aad, &mut text),
        }
        .ok_or(AeadError::GetTag)?;
        Ok((text, tag[..tag_len].to_vec()))
    }

    /// Decrypts `cipher`: the plaintext if `tag` authenticates it (a tag
    /// shorter than the cipher's is compared with the full tag's start,
    /// as OpenSSL does; an empty or over-long one never matches).
    pub fn decrypt(
        self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        cipher: &[u8],
        tag: &[u8],
    ) -> Result<Option<Vec<u8>>, AeadError> {
        self.check(nonce.len(), tag.len())?;
        let mut text = cipher.to_vec();
        let full = match self {
            Aead::Gcm => gcm(key, nonce, aad, &mut text, false),
            Aead::Ccm => ccm(key, nonce, aad, &mut text, tag.len(), false),
            Aead::ChaChaPoly => chacha::open(key, nonce, aad, &mut text),
        };
        let Some(full) = full else {
            return Ok(None);
        };
        let Some(expected) = full.get(..tag.len()).filter(|_| !tag.is_empty()) else {
            return Ok(None);
        };
        let diff = expected.iter().zip(tag).fold(0u8, |d, (a, b)| d | (a ^ b));
        Ok((diff == 0).then_some(text))
    }
}

/// GCM over `text` in place; the full tag over the ciphertext (the input
/// when decrypting, the output when encrypting).
fn gcm(key: &[u8], nonce: &[u8], aad: &[u8], text: &mut [u8], encrypt: bool) -> Option<[u8; 16]> {
    let aes = Aes::new(key)?;
    let mut h = [0u8; BLOCK];
    aes.encrypt(&mut h);
    let ghash = || GHash::new(&h.into());
    let j0: [u8; BLOCK] = if nonce.len() == 12 {
        let mut j = [0u8; BLOCK];
        j[..12].copy_from_slice(nonce);
        j[15] = 1;
        j
    } else {
        let mut g = ghash();
        g.update_padded(nonce);
        g.update_padded(&((nonce.len() as u128) * 8).to_be_bytes());
        g.finalize().into()
    };
    let mut g = ghash();
    g.update_padded(aad);
    if !encrypt {
        g.update_padded(text);
    }
    let mut counter = j0;
    for chunk in text.chunks_mut(BLOCK) {
        let low = u32::from_be_bytes([counter[12], counter[13], counter[14], counter[15]]);
        counter[12..].copy_from_slice(&low.wrapping_add(1).to_be_bytes());
        let mut ks = counter;
        aes.encrypt(&mut ks);
        chunk.iter_mut().zip(&ks).for_each(|(t, k)| *t ^= k);
    }
    if encrypt {
        g.update_padded(text);
    }
    let lengths = (((aad.len() as u128) * 8) << 64) | ((text.len() as u128) * 8);
    g.update_padded(&lengths.to_be_bytes());
    let s: [u8; BLOCK] = g.finalize().into();
    let mut tag = j0;
    aes.encrypt(&mut tag);
    tag.iter_mut().zip(&s).for_each(|(t, x)| *t ^= x);
    Some(tag)
}

/// CCM over `text` in place with a `tag_len`-byte tag (the MAC computed
/// over the plaintext: the input when encrypting, the output when
/// decrypting); the tag, padded to 16 bytes.
fn ccm(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    text: &mut [u8],
    tag_len: usize,
    encrypt: bool,
) -> Option<[u8; 16]> {
    let aes = Aes::new(key)?;
    let l = 15 - nonce.len();
    if l < 8 && (text.len() as u64) >> (8 * l) != 0 {
        return None;
    }
    // The counter blocks: flags L-1, the nonce, the counter in L bytes.
    let ctr = |i: u64| -> [u8; BLOCK] {
        let mut a = [0u8; BLOCK];
        a[0] = (l - 1) as u8;
        a[1..1 + nonce.len()].copy_from_slice(nonce);
        a[1 + nonce.len()..].copy_from_slice(&i.to_be_bytes()[8 - l..]);
        let mut s = a;
        aes.encrypt(&mut s);
        s
    };
    let crypt = |text: &mut [u8]| {
        for (i, chunk) in text.chunks_mut(BLOCK).enumerate() {
            let ks = ctr(i as u64 + 1);
            chunk.iter_mut().zip(&ks).for_each(|(t, k)| *t ^= k);
        }
    };
    if !encrypt {
        crypt(text);
    }
    // CBC-MAC over B0, the encoded AAD and the plaintext, each padded.
    let mut b0 = [0u8; BLOCK];
    b0[0] = (u8::from(!aad.is_empty()) << 6) | (((tag_len - 2) / 2) as u8) << 3 | (l - 1) as u8;
    b0[1..1 + nonce.len()].copy_from_slice(nonce);
    b0[1 + nonce.len()..].copy_from_slice(&(text.len() as u64).to_be_bytes()[8 - l..]);
    let mut mac = [0u8; BLOCK];
    let mut absorb = |data: &[u8]| {
        for chunk in data.chunks(BLOCK) {
            mac.iter_mut().zip(chunk).for_each(|(m, c)| *m ^= c);
            aes.encrypt(&mut mac);
        }
    };
    absorb(&b0);
    if !aad.is_empty() {
        let mut a = Vec::with_capacity(aad.len() + 10);
        match aad.len() {
            n if n < 0xff00 => a.extend_from_slice(&(n as u16).to_be_bytes()),
            n if n <= u32::MAX as usize => {
                a.extend_from_slice(&[0xff, 0xfe]);
                a.extend_from_slice(&(n as u32).to_be_bytes());
            }
            n => {
                a.extend_from_slice(&[0xff, 0xff]);
                a.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        a.extend_from_slice(aad);
        absorb(&a);
    }
    absorb(text);
    if encrypt {
        crypt(text);
    }
    let s0 = ctr(0);
    mac.iter_mut().zip(&s0).for_each(|(m, s)| *m ^= s);
    Some(mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::unhex;

    #[test]
    fn gcm_test_cases() {
        // The GCM specification's test cases 2 (96-bit IV) and 6 (60-byte IV).
        let (c, t) = Aead::Gcm
            .encrypt(&[0; 16], &[0; 12], b"", &[0; 16], 16)
            .unwrap();
        assert_eq!(c, unhex("0388dace60b6a392f328c2b971b2fe78"));
        assert_eq!(t, unhex("ab6e47d42cec13bdf53a67b21257bddf"));
        let key = unhex("feffe9928665731c6d6a8f9467308308");
        let iv = unhex(
            "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728\
             c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
        );
        let plain = unhex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        );
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let (c, t) = Aead::Gcm.encrypt(&key, &iv, &aad, &plain, 16).unwrap();
        assert_eq!(t, unhex("619cc5aefffe0bfa462af43c1699d050"));
        assert_eq!(
            Aead::Gcm.decrypt(&key, &iv, &aad, &c, &t[..12]),
            Ok(Some(plain))
        );
    }

    #[test]
    fn ccm_sp800_38c_example() {
        // SP 800-38C appendix C.1: a 4-byte tag, 7-byte nonce, 8-byte AAD.
        let key = unhex("404142434445464748494a4b4c4d4e4f");
        let nonce = unhex("10111213141516");
        let aad = unhex("0001020304050607");
        let plain = unhex("20212223");
        let (c, t) = Aead::Ccm.encrypt(&key, &nonce, &aad, &plain, 4).unwrap();
        assert_eq!(c, unhex("7162015b"));
        assert_eq!(t, unhex("4dac255d"));
        assert_eq!(
            Aead::Ccm.decrypt(&key, &nonce, &aad, &c, &t),
            Ok(Some(plain))
        );
        assert_eq!(Aead::Ccm.decrypt(&key, &nonce, &aad, &c, &[0; 4]), Ok(None));
        assert_eq!(
            Aead::Ccm.encrypt(&key, &nonce, &aad, b"", 5),
            Err(AeadError::TagLength)
        );
    }
}
