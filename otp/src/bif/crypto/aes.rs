//! AES's block function for the three key sizes, and CMAC over it
//! (NIST SP 800-38B), the MAC `crypto:mac(cmac, Cipher, Key, Data)`
//! computes with an AES cipher. OpenSSL's CMAC leaves the chaining to the
//! cipher's mode: with CBC it is SP 800-38B's, with ECB no block is
//! chained to the next, so only the last block counts; both as erl.

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

/// AES's block bytes.
pub const BLOCK: usize = 16;

/// AES with a key of one of its three sizes.
#[derive(Clone)]
pub enum Aes {
    A128(aes::Aes128),
    A192(aes::Aes192),
    A256(aes::Aes256),
}

impl Aes {
    /// AES under `key`; `None` for a key that is not 16, 24 or 32 bytes.
    pub fn new(key: &[u8]) -> Option<Aes> {
        Some(match key.len() {
            16 => Aes::A128(aes::Aes128::new_from_slice(key).ok()?),
            24 => Aes::A192(aes::Aes192::new_from_slice(key).ok()?),
            32 => Aes::A256(aes::Aes256::new_from_slice(key).ok()?),
            _ => return None,
        })
    }

    /// Encrypts one block in place.
    pub fn encrypt(&self, block: &mut [u8; BLOCK]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::A128(c) => c.encrypt_block(b),
            Aes::A192(c) => c.encrypt_block(b),
            Aes::A256(c) => c.encrypt_block(b),
        }
    }

    /// Decrypts one block in place.
    pub fn decrypt(&self, block: &mut [u8; BLOCK]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Aes::A128(c) => c.decrypt_block(b),
            Aes::A192(c) => c.decrypt_block(b),
            Aes::A256(c) => c.decrypt_block(b),
        }
    }
}

/// A CMAC being computed (`mac_init(cmac, ...)`'s state): the data is
/// kept until the end, since the last block is treated differently and
/// only the end tells which block is last.
#[derive(Clone)]
pub struct Cmac {
    aes: Aes,
    /// CBC's chaining (false for ECB).
    chained: bool,
    /// The chaining value over the blocks known not to be last.
    state: [u8; BLOCK],
    /// Data not folded in yet: at most one block, kept back as maybe last.
    pending: Vec<u8>,
}

impl Cmac {
    /// A CMAC under `key` (an AES key size), over CBC (`chained`) or ECB.
    pub fn new(key: &[u8], chained: bool) -> Option<Cmac> {
        Some(Cmac {
            aes: Aes::new(key)?,
            chained,
            state: [0; BLOCK],
            pending: Vec::new(),
        })
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.pending.extend_from_slice(data);
        // Fold every block but the last one that may end the message.
        let keep = match self.pending.len() % BLOCK {
            0 => BLOCK.min(self.pending.len()),
            r => r,
        };
        let fold = self.pending.len() - keep;
        if self.chained {
            for chunk in self.pending[..fold].chunks_exact(BLOCK) {
                self.state.iter_mut().zip(chunk).for_each(|(s, c)| *s ^= c);
                self.aes.encrypt(&mut self.state);
            }
        }
        self.pending.drain(..fold);
    }

    /// The 16-byte MAC.
    pub fn finish(&self) -> [u8; BLOCK] {
        let mut l = [0u8; BLOCK];
        self.aes.encrypt(&mut l);
        let k1 = double(l);
        let mut last = [0u8; BLOCK];
        let key = if self.pending.len() == BLOCK {
            last.copy_from_slice(&self.pending);
            k1
        } else {
            last[..self.pending.len()].copy_from_slice(&self.pending);
            last[self.pending.len()] = 0x80;
            double(k1)
        };
        let mut x = self.state;
        x.iter_mut()
            .zip(last.iter().zip(&key))
            .for_each(|(s, (m, k))| *s ^= m ^ k);
        self.aes.encrypt(&mut x);
        x
    }
}

/// Doubling in GF(2^128), CMAC's subkey step.
fn double(b: [u8; BLOCK]) -> [u8; BLOCK] {
    let v = u128::from_be_bytes(b);
    let carry = if v >> 127 == 1 { 0x87 } else { 0 };
    ((v << 1) ^ carry).to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::unhex;

    #[test]
    fn cmac_sp800_38b_vectors() {
        // RFC 4493 section 4: AES-128, messages of 0, 16, 40 and 64 bytes.
        let key = unhex("2b7e151628aed2a6abf7158809cf4f3c");
        let msg = unhex(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51\
             30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
        );
        let cases = [
            (0, "bb1d6929e95937287fa37d129b756746"),
            (16, "070a16b46b4d4144f79bdd9dd04a287c"),
            (40, "dfa66747de9ae63030ca32611497c827"),
            (64, "51f0bebf7e3b9d92fc49741779363cfe"),
        ];
        for (len, want) in cases {
            // Whole, and fed a byte at a time.
            let mut whole = Cmac::new(&key, true).unwrap();
            whole.update(&msg[..len]);
            let mut bytes = Cmac::new(&key, true).unwrap();
            msg[..len].iter().for_each(|b| bytes.update(&[*b]));
            assert_eq!(whole.finish().to_vec(), unhex(want));
            assert_eq!(bytes.finish().to_vec(), unhex(want));
        }
    }
}
