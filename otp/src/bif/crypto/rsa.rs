//! RSA for `crypto`'s public-key NIFs: the raw operations over `ibig`,
//! the paddings OpenSSL applies (PKCS #1 v1.5 types 1 and 2, PSS, OAEP,
//! none) written out from RFC 8017, and key generation on the `rsa`
//! crate's prime search. Keys come as erl gives them: `[E, N]` public,
//! `[E, N, D]` or `[E, N, D, P1, P2, E1, E2, C]` private, big-endian
//! binaries.

use ibig::modular::ModuloRing;
use ibig::UBig;

use super::digest::Algorithm;
use super::random::random_bytes;

/// A public key: modulus and exponent, and the modulus's size in bytes.
pub(super) struct PublicKey {
    n: UBig,
    e: UBig,
    /// `k` of RFC 8017: the bytes of a signature or cipher text.
    pub size: usize,
}

/// A private key: the public half, the private exponent and, when the
/// key has them, its CRT parts.
pub(super) struct PrivateKey {
    public: PublicKey,
    d: UBig,
    crt: Option<Crt>,
}

/// The CRT parts of RFC 8017 §3.2: the primes, their exponents and `q`'s
/// inverse mod `p`, so that the private operation is two powers at half
/// the modulus's size (about three times fewer instructions at 2048 bits).
struct Crt {
    p: UBig,
    q: UBig,
    dp: UBig,
    dq: UBig,
    qinv: UBig,
}

impl PublicKey {
    /// From `E` and `N` (`None` for a modulus below 2 or an even one).
    pub fn new(e: &[u8], n: &[u8]) -> Option<PublicKey> {
        let n = UBig::from_be_bytes(n);
        let e = UBig::from_be_bytes(e);
        if n <= UBig::from(1u8) || e == UBig::from(0u8) {
            return None;
        }
        let size = n.bit_len().div_ceil(8);
        Some(PublicKey { n, e, size })
    }

    fn bits(&self) -> usize {
        self.n.bit_len()
    }

    /// `m^e mod n` as `size` bytes (`None` when `m >= n`).
    fn raw(&self, m: &[u8]) -> Option<Vec<u8>> {
        power(m, &self.e, &self.n, self.size)
    }
}

impl PrivateKey {
    /// From `E`, `N` and `D`.
    pub fn new(e: &[u8], n: &[u8], d: &[u8]) -> Option<PrivateKey> {
        let public = PublicKey::new(e, n)?;
        let d = UBig::from_be_bytes(d);
        Some(PrivateKey {
            public,
            d,
            crt: None,
        })
    }

    /// With the CRT parts `[P, Q, dP, dQ, qInv]` of an eight-element key;
    /// parts that cannot be used (a prime below 2, `qInv` not below `P`)
    /// are dropped, and `raw` then uses `D` alone.
    pub fn with_crt(mut self, parts: [&[u8]; 5]) -> PrivateKey {
        let [p, q, dp, dq, qinv] = parts.map(UBig::from_be_bytes);
        let two = UBig::from(2u8);
        if p >= two && q >= two && qinv < p {
            self.crt = Some(Crt { p, q, dp, dq, qinv });
        }
        self
    }

    /// Its public half.
    #[cfg(test)]
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// `c^d mod n` as `size` bytes (`None` when `c >= n`). With CRT
    /// parts the result is checked with the public exponent, as OpenSSL's
    /// `rsa_ossl_mod_exp` checks it, and a key whose parts do not match
    /// its `D` falls back on `D`: the answer is always `c^d mod n`.
    fn raw(&self, c: &[u8]) -> Option<Vec<u8>> {
        let PublicKey { n, e, size } = &self.public;
        let c = operand(c, n, *size)?;
        let by_crt = self.crt.as_ref().map(|crt| crt.power(&c));
        let m = match by_crt {
            Some(m) if &m < n && pow_mod(&m, e, n) == c => m,
            _ => pow_mod(&c, &self.d, n),
        };
        Some(left_pad(&m.to_be_bytes(), *size))
    }
}

impl Crt {
    /// Garner's recombination: `m1 = c^dP mod p`, `m2 = c^dQ mod q`,
    /// `h = qInv (m1 - m2) mod p`, `m = m2 + h q`.
    fn power(&self, c: &UBig) -> UBig {
        let (ring_p, ring_q) = (ModuloRing::new(&self.p), ModuloRing::new(&self.q));
        let m1 = ring_p.from(c).pow(&self.dp);
        let m2 = ring_q.from(c).pow(&self.dq).residue();
        let h = (m1 - ring_p.from(&m2)) * ring_p.from(&self.qinv);
        m2 + h.residue() * &self.q
    }
}

/// `base^exp mod m`, left-padded to `size` bytes; `None` when the base is
/// not below the modulus or longer than `size`.
fn power(base: &[u8], exp: &UBig, m: &UBig, size: usize) -> Option<Vec<u8>> {
    let b = operand(base, m, size)?;
    Some(left_pad(&pow_mod(&b, exp, m).to_be_bytes(), size))
}

/// `base` as a number, `None` when it is longer than `size` bytes or not
/// below the modulus `m`.
fn operand(base: &[u8], m: &UBig, size: usize) -> Option<UBig> {
    let b = UBig::from_be_bytes(base);
    (base.len() <= size && &b < m).then_some(b)
}

/// `base^exp mod m` (`m` at least 1).
fn pow_mod(base: &UBig, exp: &UBig, m: &UBig) -> UBig {
    ModuloRing::new(m).from(base).pow(exp).residue()
}

/// `bytes` with zeros in front up to `size` (`size` >= its length).
pub(super) fn left_pad(bytes: &[u8], size: usize) -> Vec<u8> {
    let mut out = vec![0u8; size.saturating_sub(bytes.len())];
    out.extend_from_slice(bytes);
    out
}

/// The DER `DigestInfo` prefix of a PKCS #1 v1.5 signature over `alg`
/// (`None` for a digest without an RSA signature OID).
fn digest_info_prefix(alg: Algorithm) -> Option<Vec<u8>> {
    const SHA2: [u8; 8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    let nist = |n: u8| -> Vec<u8> { SHA2.iter().copied().chain([n]).collect() };
    let oid: Vec<u8> = match alg {
        Algorithm::Md5 => vec![0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05],
        Algorithm::Md4 => vec![0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x04],
        Algorithm::Sha => vec![0x2b, 0x0e, 0x03, 0x02, 0x1a],
        Algorithm::Ripemd160 => vec![0x2b, 0x24, 0x03, 0x02, 0x01],
        Algorithm::Sha256 => nist(1),
        Algorithm::Sha384 => nist(2),
        Algorithm::Sha512 => nist(3),
        Algorithm::Sha224 => nist(4),
        Algorithm::Sha3_224 => nist(7),
        Algorithm::Sha3_256 => nist(8),
        Algorithm::Sha3_384 => nist(9),
        Algorithm::Sha3_512 => nist(10),
        Algorithm::Blake2b | Algorithm::Blake2s => return None,
    };
    let hlen = alg.info().size as u8;
    let alg_id_len = oid.len() as u8 + 4;
    let mut out = vec![0x30, alg_id_len + 4 + hlen, 0x30, alg_id_len, 0x06];
    out.push(oid.len() as u8);
    out.extend_from_slice(&oid);
    out.extend_from_slice(&[0x05, 0x00, 0x04, hlen]);
    Some(out)
}

/// Whether RSA signs with `alg` (OpenSSL refuses BLAKE2 as an RSA
/// signature digest).
pub(super) fn signs_with(alg: Algorithm) -> bool {
    digest_info_prefix(alg).is_some()
}

/// A signature's padding, with its parameters.
pub(super) enum SignPadding {
    /// PKCS #1 v1.5 (type 1 over a `DigestInfo`).
    Pkcs1,
    /// PSS: salt length as OpenSSL takes it (-1 the digest's size, -2 the
    /// largest when signing and any when verifying) and the MGF1 digest.
    Pss { salt: i64, mgf1: Option<Algorithm> },
}

/// Why signing failed (erl's `Can't EVP_PKEY_sign`).
pub(super) struct SignFailed;

/// Signs `hash`, the digest of the message by `alg` (`None`: the message
/// itself, PKCS #1 v1.5 without a `DigestInfo`).
pub(super) fn sign(
    key: &PrivateKey,
    alg: Option<Algorithm>,
    hash: &[u8],
    padding: &SignPadding,
) -> Result<Vec<u8>, SignFailed> {
    let em = match (padding, alg) {
        (SignPadding::Pkcs1, _) => {
            let t = match alg {
                Some(a) => [digest_info_prefix(a).ok_or(SignFailed)?, hash.to_vec()].concat(),
                None => hash.to_vec(),
            };
            type1(&t, key.public.size).ok_or(SignFailed)?
        }
        (SignPadding::Pss { salt, mgf1 }, Some(a)) => {
            pss_encode(a, mgf1.unwrap_or(a), hash, *salt, key.public.bits() - 1)
                .ok_or(SignFailed)?
        }
        (SignPadding::Pss { .. }, None) => return Err(SignFailed),
    };
    key.raw(&em).ok_or(SignFailed)
}

/// Whether `sig` is a signature of `hash` by `key`.
pub(super) fn verify(
    key: &PublicKey,
    alg: Option<Algorithm>,
    hash: &[u8],
    sig: &[u8],
    padding: &SignPadding,
) -> bool {
    if sig.len() != key.size {
        return false;
    }
    let Some(em) = key.raw(sig) else {
        return false;
    };
    match (padding, alg) {
        (SignPadding::Pkcs1, _) => {
            let t = match alg {
                Some(a) => match digest_info_prefix(a) {
                    Some(prefix) => [prefix, hash.to_vec()].concat(),
                    None => return false,
                },
                None => hash.to_vec(),
            };
            type1(&t, key.size).is_some_and(|expected| expected == em)
        }
        (SignPadding::Pss { salt, mgf1 }, Some(a)) => {
            pss_verify(a, mgf1.unwrap_or(a), hash, &em, *salt, key.bits() - 1)
        }
        (SignPadding::Pss { .. }, None) => false,
    }
}

/// `00 01 FF..FF 00 T` of `size` bytes (at least eight `FF`).
fn type1(t: &[u8], size: usize) -> Option<Vec<u8>> {
    let ps = size.checked_sub(t.len() + 3).filter(|&n| n >= 8)?;
    let mut em = vec![0x00, 0x01];
    em.extend(std::iter::repeat_n(0xff, ps));
    em.push(0);
    em.extend_from_slice(t);
    Some(em)
}

/// The `T` inside a type-1 block (`None` if `em` is not one).
fn untype1(em: &[u8]) -> Option<Vec<u8>> {
    let rest = em.strip_prefix(&[0x00, 0x01])?;
    let ps = rest.iter().position(|&b| b != 0xff)?;
    (ps >= 8 && rest[ps] == 0).then(|| rest[ps + 1..].to_vec())
}

/// MGF1 over `alg`: `len` bytes from `seed`.
fn mgf1(alg: Algorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + alg.info().size);
    let mut counter = 0u32;
    while out.len() < len {
        let mut h = alg.hasher();
        h.update(seed);
        h.update(&counter.to_be_bytes());
        out.extend(h.finish());
        counter += 1;
    }
    out.truncate(len);
    out
}

fn xor_in(target: &mut [u8], mask: &[u8]) {
    target.iter_mut().zip(mask).for_each(|(t, m)| *t ^= m);
}

/// `H(00 x 8 || mHash || salt)` of EMSA-PSS.
fn pss_h(alg: Algorithm, hash: &[u8], salt: &[u8]) -> Vec<u8> {
    let mut h = alg.hasher();
    h.update(&[0u8; 8]);
    h.update(hash);
    h.update(salt);
    h.finish()
}

/// EMSA-PSS-ENCODE (RFC 8017 9.1.1) with `em_bits` = modulus bits - 1.
fn pss_encode(
    alg: Algorithm,
    mgf: Algorithm,
    hash: &[u8],
    salt: i64,
    em_bits: usize,
) -> Option<Vec<u8>> {
    let h_len = alg.info().size;
    let em_len = em_bits.div_ceil(8);
    let s_len = match salt {
        -1 => h_len,
        -2 => em_len.checked_sub(h_len + 2)?,
        s => usize::try_from(s).ok()?,
    };
    if hash.len() != h_len || em_len < h_len + s_len + 2 {
        return None;
    }
    let salt = random_bytes(s_len)?;
    let h = pss_h(alg, hash, &salt);
    let mut db = vec![0u8; em_len - s_len - h_len - 2];
    db.push(1);
    db.extend_from_slice(&salt);
    xor_in(&mut db, &mgf1(mgf, &h, em_len - h_len - 1));
    db[0] &= 0xff >> (8 * em_len - em_bits);
    db.extend_from_slice(&h);
    db.push(0xbc);
    Some(db)
}

/// EMSA-PSS-VERIFY (RFC 8017 9.1.2) of the `size`-byte `em`.
fn pss_verify(
    alg: Algorithm,
    mgf: Algorithm,
    hash: &[u8],
    em: &[u8],
    salt: i64,
    em_bits: usize,
) -> bool {
    let h_len = alg.info().size;
    let em_len = em_bits.div_ceil(8);
    // With modulus bits = 1 mod 8 the encoded message is one byte short.
    let (lead, em) = em.split_at(em.len() - em_len);
    if lead.iter().any(|&b| b != 0) || hash.len() != h_len || em_len < h_len + 2 {
        return false;
    }
    if em[em_len - 1] != 0xbc {
        return false;
    }
    let top = 0xffu8 >> (8 * em_len - em_bits);
    let (masked_db, h) = em[..em_len - 1].split_at(em_len - h_len - 1);
    if masked_db[0] & !top != 0 {
        return false;
    }
    let mut db = masked_db.to_vec();
    let mask = mgf1(mgf, h, db.len());
    xor_in(&mut db, &mask);
    db[0] &= top;
    let Some(one) = db.iter().position(|&b| b != 0) else {
        return false;
    };
    if db[one] != 1 {
        return false;
    }
    let found = &db[one + 1..];
    let wanted = match salt {
        -1 => Some(h_len),
        -2 => None,
        s => usize::try_from(s).ok(),
    };
    if wanted.is_some_and(|w| w != found.len()) {
        return false;
    }
    pss_h(alg, hash, found) == h
}

/// An encryption's padding, with its parameters.
pub(super) enum CryptPadding {
    /// PKCS #1 v1.5: type 2 with the public key, type 1 with the private.
    Pkcs1,
    /// OAEP: its digest, MGF1's digest and label.
    Oaep {
        md: Algorithm,
        mgf1: Algorithm,
        label: Vec<u8>,
    },
    /// None: the input is exactly the modulus's size.
    None,
}

/// Why an encryption or decryption failed (erl's `Couldn't get the
/// result`).
pub(super) struct CryptFailed;

/// `public_encrypt`.
pub(super) fn public_encrypt(
    key: &PublicKey,
    msg: &[u8],
    padding: &CryptPadding,
) -> Result<Vec<u8>, CryptFailed> {
    let k = key.size;
    let em = match padding {
        CryptPadding::Pkcs1 => {
            let ps_len = k.checked_sub(msg.len() + 3).filter(|&n| n >= 8);
            let ps = nonzero_random(ps_len.ok_or(CryptFailed)?).ok_or(CryptFailed)?;
            [&[0u8, 2][..], &ps, &[0], msg].concat()
        }
        CryptPadding::Oaep {
            md,
            mgf1: mgf,
            label,
        } => {
            let h_len = md.info().size;
            let ps = k
                .checked_sub(msg.len() + 2 * h_len + 2)
                .ok_or(CryptFailed)?;
            let mut db = md.digest(label);
            db.extend(std::iter::repeat_n(0, ps));
            db.push(1);
            db.extend_from_slice(msg);
            let mut seed = random_bytes(h_len).ok_or(CryptFailed)?;
            let mask = mgf1(*mgf, &seed, db.len());
            xor_in(&mut db, &mask);
            xor_in(&mut seed, &mgf1(*mgf, &db, h_len));
            [&[0u8][..], &seed, &db].concat()
        }
        CryptPadding::None => exact(msg, k)?,
    };
    key.raw(&em).ok_or(CryptFailed)
}

/// `private_decrypt`.
pub(super) fn private_decrypt(
    key: &PrivateKey,
    cipher: &[u8],
    padding: &CryptPadding,
) -> Result<Vec<u8>, CryptFailed> {
    let em = key.raw(cipher).ok_or(CryptFailed)?;
    match padding {
        CryptPadding::Pkcs1 => {
            let rest = em.strip_prefix(&[0u8, 2]).ok_or(CryptFailed)?;
            let zero = rest.iter().position(|&b| b == 0).ok_or(CryptFailed)?;
            if zero < 8 {
                return Err(CryptFailed);
            }
            Ok(rest[zero + 1..].to_vec())
        }
        CryptPadding::Oaep {
            md,
            mgf1: mgf,
            label,
        } => {
            let h_len = md.info().size;
            if em.len() < 2 * h_len + 2 || em[0] != 0 {
                return Err(CryptFailed);
            }
            let (seed, db) = em[1..].split_at(h_len);
            let mut seed = seed.to_vec();
            let mut db = db.to_vec();
            xor_in(&mut seed, &mgf1(*mgf, &db, h_len));
            let mask = mgf1(*mgf, &seed, db.len());
            xor_in(&mut db, &mask);
            let (l_hash, rest) = db.split_at(h_len);
            if l_hash != md.digest(label).as_slice() {
                return Err(CryptFailed);
            }
            let one = rest.iter().position(|&b| b != 0).ok_or(CryptFailed)?;
            if rest[one] != 1 {
                return Err(CryptFailed);
            }
            Ok(rest[one + 1..].to_vec())
        }
        CryptPadding::None => Ok(em),
    }
}

/// `private_encrypt` (PKCS #1 v1.5 type 1 or none; OAEP is refused
/// earlier).
pub(super) fn private_encrypt(
    key: &PrivateKey,
    msg: &[u8],
    padding: &CryptPadding,
) -> Result<Vec<u8>, CryptFailed> {
    let em = match padding {
        CryptPadding::Pkcs1 => type1(msg, key.public.size).ok_or(CryptFailed)?,
        CryptPadding::None => exact(msg, key.public.size)?,
        CryptPadding::Oaep { .. } => return Err(CryptFailed),
    };
    key.raw(&em).ok_or(CryptFailed)
}

/// `public_decrypt` (PKCS #1 v1.5 type 1 or none).
pub(super) fn public_decrypt(
    key: &PublicKey,
    cipher: &[u8],
    padding: &CryptPadding,
) -> Result<Vec<u8>, CryptFailed> {
    let em = key.raw(cipher).ok_or(CryptFailed)?;
    match padding {
        CryptPadding::Pkcs1 => untype1(&em).ok_or(CryptFailed),
        CryptPadding::None => Ok(em),
        CryptPadding::Oaep { .. } => Err(CryptFailed),
    }
}

/// The message itself, without padding: exactly the modulus's size.
fn exact(msg: &[u8], size: usize) -> Result<Vec<u8>, CryptFailed> {
    if msg.len() == size {
        Ok(msg.to_vec())
    } else {
        Err(CryptFailed)
    }
}

/// `n` random non-zero bytes.
fn nonzero_random(n: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        out.extend(random_bytes(n)?.into_iter().filter(|&b| b != 0));
    }
    out.truncate(n);
    Some(out)
}

/// A new key of `bits` bits with exponent `e`: `[E, N, D, P, Q, dP, dQ,
/// qInv]` as big-endian bytes, P the larger prime as OpenSSL orders them
/// (`None` when the `rsa` crate refuses the exponent).
pub(super) fn generate(bits: usize, e: &[u8]) -> Option<Vec<Vec<u8>>> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let exp = rsa::BigUint::from_bytes_be(e);
    let key = rsa::RsaPrivateKey::new_with_exp(&mut rand_core::OsRng, bits, &exp).ok()?;
    let to = |x: &rsa::BigUint| UBig::from_be_bytes(&x.to_bytes_be());
    let (n, e, d) = (to(key.n()), to(key.e()), to(key.d()));
    let (mut p, mut q) = (to(&key.primes()[0]), to(&key.primes()[1]));
    if p < q {
        std::mem::swap(&mut p, &mut q);
    }
    let one = UBig::from(1u8);
    let dp = &d % (&p - &one);
    let dq = &d % (&q - &one);
    let ring = ModuloRing::new(&p);
    let qinv = ring.from(&q).inverse()?.residue();
    Some(
        [e, n, d, p, q, dp, dq, qinv]
            .iter()
            .map(UBig::to_be_bytes)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_digest_info_is_the_rfc_prefix() {
        let p = digest_info_prefix(Algorithm::Sha256).unwrap();
        assert_eq!(
            super::super::hex(&p),
            "3031300d060960864801650304020105000420"
        );
        let p = digest_info_prefix(Algorithm::Sha).unwrap();
        assert_eq!(super::super::hex(&p), "3021300906052b0e03021a05000414");
    }

    #[test]
    fn pss_round_trip_with_any_salt() {
        let key = generate(1024, &[1, 0, 1]).unwrap();
        let private = PrivateKey::new(&key[0], &key[1], &key[2]).unwrap();
        let hash = Algorithm::Sha256.digest(b"m");
        for salt in [-2, -1, 0, 20] {
            let pad = SignPadding::Pss { salt, mgf1: None };
            let sig = sign(&private, Some(Algorithm::Sha256), &hash, &pad)
                .ok()
                .unwrap();
            let auto = SignPadding::Pss {
                salt: -2,
                mgf1: None,
            };
            assert!(verify(
                private.public(),
                Some(Algorithm::Sha256),
                &hash,
                &sig,
                &auto
            ));
        }
    }

    #[test]
    fn crt_gives_the_power_of_d_and_bad_parts_fall_back() {
        let key = generate(1024, &[1, 0, 1]).unwrap();
        let k: Vec<&[u8]> = key.iter().map(Vec::as_slice).collect();
        let plain = PrivateKey::new(k[0], k[1], k[2]).unwrap();
        let crt = PrivateKey::new(k[0], k[1], k[2])
            .unwrap()
            .with_crt([k[3], k[4], k[5], k[6], k[7]]);
        assert!(crt.crt.is_some());
        let wrong = PrivateKey::new(k[0], k[1], k[2])
            .unwrap()
            .with_crt([k[3], k[4], k[6], k[5], k[7]]);
        for c in [&[0u8][..], &[1], &[2, 3, 4], &k[1][1..]] {
            assert_eq!(crt.raw(c), plain.raw(c));
            assert_eq!(wrong.raw(c), plain.raw(c));
        }
        assert_eq!(crt.raw(k[1]), None);
    }
}
