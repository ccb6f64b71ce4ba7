//! The block ciphers under `cipher`'s ECB, CBC, CFB and OFB streams: AES
//! (`aes.rs`) and the legacy 64-bit ones erl's OpenSSL still offers, DES,
//! triple DES (EDE3), Blowfish and RC2, on RustCrypto's implementations
//! with OpenSSL's key rules (Blowfish and RC2 take any non-empty key,
//! using at most 72 and 128 bytes of it; RC2's effective key bits are
//! the key's, as OpenSSL sets them with the key length).

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

use super::aes::Aes;

/// The largest block, AES's.
pub const MAX_BLOCK: usize = 16;

/// A block cipher keyed.
#[derive(Clone)]
pub enum Block {
    Aes(Box<Aes>),
    Des(des::Des),
    Des3(Box<des::TdesEde3>),
    Blowfish(Box<blowfish::Blowfish>),
    Rc2(Box<rc2::Rc2>),
}

/// The block ciphers `crypto` names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Aes,
    Des,
    Des3,
    Blowfish,
    Rc2,
}

impl Kind {
    /// Whether any non-empty key length is taken (else one fixed size).
    pub fn variable_key(self) -> bool {
        matches!(self, Kind::Blowfish | Kind::Rc2)
    }
}

impl Block {
    /// `kind` under `key`; `None` for a key length it does not take.
    pub fn new(kind: Kind, key: &[u8]) -> Option<Block> {
        Some(match kind {
            Kind::Aes => Block::Aes(Box::new(Aes::new(key)?)),
            Kind::Des => Block::Des(des::Des::new_from_slice(key).ok()?),
            Kind::Des3 => Block::Des3(Box::new(des::TdesEde3::new_from_slice(key).ok()?)),
            Kind::Blowfish if !key.is_empty() => {
                let mut b = blowfish::Blowfish::bc_init_state();
                b.bc_expand_key(&key[..key.len().min(72)]);
                Block::Blowfish(Box::new(b))
            }
            Kind::Rc2 if !key.is_empty() => {
                let key = &key[..key.len().min(128)];
                Block::Rc2(Box::new(rc2::Rc2::new_with_eff_key_len(key, key.len() * 8)))
            }
            Kind::Blowfish | Kind::Rc2 => return None,
        })
    }

    /// Its block's bytes.
    pub fn size(&self) -> usize {
        match self {
            Block::Aes(_) => MAX_BLOCK,
            _ => 8,
        }
    }

    /// Encrypts one block (`size()` bytes) in place.
    pub fn encrypt(&self, block: &mut [u8]) {
        match self {
            Block::Aes(a) => {
                let mut b = [0u8; MAX_BLOCK];
                b.copy_from_slice(block);
                a.encrypt(&mut b);
                block.copy_from_slice(&b);
            }
            Block::Des(c) => c.encrypt_block(GenericArray::from_mut_slice(block)),
            Block::Des3(c) => c.encrypt_block(GenericArray::from_mut_slice(block)),
            Block::Blowfish(c) => c.encrypt_block(GenericArray::from_mut_slice(block)),
            Block::Rc2(c) => c.encrypt_block(GenericArray::from_mut_slice(block)),
        }
    }

    /// Decrypts one block (`size()` bytes) in place.
    pub fn decrypt(&self, block: &mut [u8]) {
        match self {
            Block::Aes(a) => {
                let mut b = [0u8; MAX_BLOCK];
                b.copy_from_slice(block);
                a.decrypt(&mut b);
                block.copy_from_slice(&b);
            }
            Block::Des(c) => c.decrypt_block(GenericArray::from_mut_slice(block)),
            Block::Des3(c) => c.decrypt_block(GenericArray::from_mut_slice(block)),
            Block::Blowfish(c) => c.decrypt_block(GenericArray::from_mut_slice(block)),
            Block::Rc2(c) => c.decrypt_block(GenericArray::from_mut_slice(block)),
        }
    }
}

/// RC4's state: the permutation and its two indices.
#[derive(Clone)]
pub struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// RC4 keyed with `key` (any non-empty length, used cyclically as
    /// OpenSSL's `RC4_set_key`); `None` for an empty key.
    pub fn new(key: &[u8]) -> Option<Rc4> {
        if key.is_empty() {
            return None;
        }
        let mut s = [0u8; 256];
        s.iter_mut().enumerate().for_each(|(i, x)| *x = i as u8);
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
            s.swap(i, usize::from(j));
        }
        Some(Rc4 { s, i: 0, j: 0 })
    }

    /// The next key-stream byte.
    pub fn next_byte(&mut self) -> u8 {
        self.i = self.i.wrapping_add(1);
        self.j = self.j.wrapping_add(self.s[usize::from(self.i)]);
        self.s.swap(usize::from(self.i), usize::from(self.j));
        let k = self.s[usize::from(self.i)].wrapping_add(self.s[usize::from(self.j)]);
        self.s[usize::from(k)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::hex;

    /// RFC 6229's first RC4 vector (40-bit key 0102030405), key stream at
    /// offset 0.
    #[test]
    fn rc4_rfc6229() {
        let mut r = Rc4::new(&[1, 2, 3, 4, 5]).unwrap();
        let ks: Vec<u8> = (0..16).map(|_| r.next_byte()).collect();
        assert_eq!(hex(&ks), "b2396305f03dc027ccc3524a0a1118a8");
    }

    /// FIPS 81's DES example: key 0123456789abcdef, "Now is t".
    #[test]
    fn des_fips81() {
        let key = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        let b = Block::new(Kind::Des, &key).unwrap();
        let mut block = *b"Now is t";
        b.encrypt(&mut block);
        assert_eq!(hex(&block), "3fa40e8a984d4815");
        b.decrypt(&mut block);
        assert_eq!(&block, b"Now is t");
    }
}
