//! CMAC (NIST SP 800-38B), the MAC `crypto:mac(cmac, Cipher, Key, Data)`
//! computes over a block cipher: AES, and DES, triple DES, Blowfish or
//! RC2 in CBC. OpenSSL's CMAC leaves the chaining to the cipher's mode:
//! with CBC it is SP 800-38B's, with ECB no block is chained to the next,
//! so only the last block counts; both as erl.

use super::block::{Block, MAX_BLOCK};

/// A CMAC being computed (`mac_init(cmac, ...)`'s state): the data is
/// kept until the end, since the last block is treated differently and
/// only the end tells which block is last.
#[derive(Clone)]
pub struct Cmac {
    cipher: Block,
    /// CBC's chaining (false for ECB).
    chained: bool,
    /// The chaining value over the blocks known not to be last.
    state: Vec<u8>,
    /// Data not folded in yet: at most one block, kept back as maybe last.
    pending: Vec<u8>,
}

impl Cmac {
    /// A CMAC over `cipher`, in CBC (`chained`) or ECB.
    pub fn new(cipher: Block, chained: bool) -> Cmac {
        let state = vec![0; cipher.size()];
        Cmac {
            cipher,
            chained,
            state,
            pending: Vec::new(),
        }
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        let bs = self.cipher.size();
        self.pending.extend_from_slice(data);
        // Fold every block but the last one that may end the message.
        let keep = match self.pending.len() % bs {
            0 => bs.min(self.pending.len()),
            r => r,
        };
        let fold = self.pending.len() - keep;
        if self.chained {
            for chunk in self.pending[..fold].chunks_exact(bs) {
                self.state.iter_mut().zip(chunk).for_each(|(s, c)| *s ^= c);
                self.cipher.encrypt(&mut self.state);
            }
        }
        self.pending.drain(..fold);
    }

    /// The MAC, one block.
    pub fn finish(&self) -> Vec<u8> {
        let bs = self.cipher.size();
        let mut l = vec![0u8; bs];
        self.cipher.encrypt(&mut l);
        let k1 = double(&l);
        let mut last = vec![0u8; bs];
        let key = if self.pending.len() == bs {
            last.copy_from_slice(&self.pending);
            k1
        } else {
            last[..self.pending.len()].copy_from_slice(&self.pending);
            last[self.pending.len()] = 0x80;
            double(&k1)
        };
        let mut x = self.state.clone();
        x.iter_mut()
            .zip(last.iter().zip(&key))
            .for_each(|(s, (m, k))| *s ^= m ^ k);
        self.cipher.encrypt(&mut x);
        x
    }
}

/// Doubling in GF(2^128) or GF(2^64), CMAC's subkey step.
fn double(b: &[u8]) -> Vec<u8> {
    if b.len() == MAX_BLOCK {
        let v = u128::from_be_bytes(b.try_into().unwrap_or_default());
        let carry = if v >> 127 == 1 { 0x87 } else { 0 };
        ((v << 1) ^ carry).to_be_bytes().to_vec()
    } else {
        let v = u64::from_be_bytes(b.try_into().unwrap_or_default());
        let carry = if v >> 63 == 1 { 0x1b } else { 0 };
        ((v << 1) ^ carry).to_be_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::block::Kind;
    use crate::bif::crypto::unhex;

    #[test]
    fn cmac_sp800_38b_vectors() {
        // RFC 4493 section 4: AES-128, messages of 0, 16, 40 and 64 bytes.
        let key = unhex("2b7e151628aed2a6abf7158809cf4f3c");
        let aes = || Block::new(Kind::Aes, &key).unwrap();
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
            let mut whole = Cmac::new(aes(), true);
            whole.update(&msg[..len]);
            let mut bytes = Cmac::new(aes(), true);
            msg[..len].iter().for_each(|b| bytes.update(&[*b]));
            assert_eq!(whole.finish(), unhex(want));
            assert_eq!(bytes.finish(), unhex(want));
        }
    }
}
