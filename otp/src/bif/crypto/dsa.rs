//! DSA (`crypto`'s `dss`) over `ibig`, from FIPS 186-4 section 4: keys in
//! erl's shapes (`[P, Q, G, X]` private, `[P, Q, G, Y]` public),
//! signatures as DER `SEQUENCE { r, s }` as OpenSSL writes them, with a
//! random `k` per signature as OpenSSL draws one.

use ibig::modular::ModuloRing;
use ibig::UBig;

use super::random::below;

/// A DSA domain and one key (`x` or `y`).
pub(super) struct Key {
    p: UBig,
    q: UBig,
    g: UBig,
    key: UBig,
}

impl Key {
    /// From the four binaries of a key list (`None` for another shape or
    /// a degenerate domain).
    pub fn new(parts: &[&[u8]]) -> Option<Key> {
        let [p, q, g, key] = parts else {
            return None;
        };
        let [p, q, g, key] = [p, q, g, key].map(|b| UBig::from_be_bytes(b));
        let two = UBig::from(2u8);
        (p > two && q >= two && g > UBig::from(1u8) && g < p).then_some(Key { p, q, g, key })
    }

    /// The leftmost bits of `hash` that fit the size of `q` (FIPS 186-4's
    /// `z`).
    fn z(&self, hash: &[u8]) -> UBig {
        let n = self.q.bit_len();
        let len = hash.len() * 8;
        UBig::from_be_bytes(hash) >> len.saturating_sub(n)
    }

    /// A signature of `hash` with the private key `x`.
    pub fn sign(&self, hash: &[u8]) -> Option<Vec<u8>> {
        let (p, q) = (&self.p, &self.q);
        let ring_q = ModuloRing::new(q);
        let ring_p = ModuloRing::new(p);
        let z = self.z(hash);
        for _ in 0..64 {
            let k = below(&(q - UBig::from(1u8)))? + UBig::from(1u8);
            let r = ring_p.from(&self.g).pow(&k).residue() % q;
            let k_inv = ring_q.from(&k).inverse()?;
            let s =
                (k_inv * (ring_q.from(&z) + ring_q.from(&self.key) * ring_q.from(&r))).residue();
            if r != UBig::from(0u8) && s != UBig::from(0u8) {
                return Some(der_pair(&r, &s));
            }
        }
        None
    }

    /// Whether DER `sig` is a signature of `hash` by the public key `y`.
    pub fn verify(&self, hash: &[u8], sig: &[u8]) -> bool {
        let Some((r, s)) = parse_der_pair(sig) else {
            return false;
        };
        let (p, q) = (&self.p, &self.q);
        let zero = UBig::from(0u8);
        if r == zero || s == zero || &r >= q || &s >= q {
            return false;
        }
        let ring_q = ModuloRing::new(q);
        let Some(w) = ring_q.from(&s).inverse() else {
            return false;
        };
        let u1 = (ring_q.from(self.z(hash)) * &w).residue();
        let u2 = (ring_q.from(&r) * &w).residue();
        let ring_p = ModuloRing::new(p);
        let v = ring_p.from(&self.g).pow(&u1) * ring_p.from(&self.key).pow(&u2);
        v.residue() % q == r
    }
}

/// DER of a non-negative INTEGER.
fn der_int(n: &UBig) -> Vec<u8> {
    let mut bytes = n.to_be_bytes();
    if bytes.first().is_none_or(|&b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    [der_len(0x02, bytes.len()), bytes].concat()
}

/// A DER tag and length header.
fn der_len(tag: u8, len: usize) -> Vec<u8> {
    match len {
        0..=127 => vec![tag, len as u8],
        128..=255 => vec![tag, 0x81, len as u8],
        _ => vec![tag, 0x82, (len >> 8) as u8, len as u8],
    }
}

/// `SEQUENCE { INTEGER r, INTEGER s }`.
fn der_pair(r: &UBig, s: &UBig) -> Vec<u8> {
    let body = [der_int(r), der_int(s)].concat();
    [der_len(0x30, body.len()), body].concat()
}

/// One DER element of `tag` at the start of `b`: its contents and the
/// rest.
fn der_take(b: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = b.split_first()?;
    let (&l, rest) = rest.split_first()?;
    if t != tag {
        return None;
    }
    let (len, rest) = match l {
        0..=127 => (usize::from(l), rest),
        0x81 => (usize::from(*rest.first()?), &rest[1..]),
        0x82 => (
            usize::from(*rest.first()?) << 8 | usize::from(*rest.get(1)?),
            rest.get(2..)?,
        ),
        _ => return None,
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// `(r, s)` from a DER signature (positive integers, nothing after).
fn parse_der_pair(sig: &[u8]) -> Option<(UBig, UBig)> {
    let (body, tail) = der_take(sig, 0x30)?;
    let (r, body) = der_take(body, 0x02)?;
    let (s, body) = der_take(body, 0x02)?;
    let positive = |i: &[u8]| i.first().is_some_and(|&b| b & 0x80 == 0);
    (tail.is_empty() && body.is_empty() && positive(r) && positive(s))
        .then(|| (UBig::from_be_bytes(r), UBig::from_be_bytes(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 186's 1024/160 example domain: a signature verifies for its
    /// message only.
    #[test]
    fn sign_verify() {
        use crate::bif::crypto::unhex;
        let p = unhex(
            "86f5ca03dcfeb225063ff830a0c769b9dd9d6153ad91d7ce27f787c43278b447\
             e6533b86b18bed6e8a48b784a14c252c5be0dbf60b86d6385bd2f12fb763ed88\
             73abfd3f5ba2e0a8c0a59082eac056935e529daf7c610467899c77adedfc846c\
             881870b7b19b2b58f9be0521a17002e3bdd6b86685ee90b3d9a1b02b782b1779",
        );
        let q = unhex("996f967f6c8e388d9e28d01e205fba957a5698b1");
        let g = unhex(
            "07b0f92546150b62514bb771e2a0c0ce387f03bda6c56b505209ff25fd3c133d\
             89bbcd97e904e09114d9a7defdeadfc9078ea544d2e401aeecc40bb9fbbf78fd\
             87995a10a1c27cb7789b594ba7efb5c4326a9fe59a070e136db77175464adca4\
             17be5dce2f40d10a46a3a3943f26ab7fd9c0398ff8c76ee0a56826a8a88f1dbd",
        );
        let x = unhex("411602cb19a6ccc34494d79d98ef1e7ed5af25f7");
        let ring = ModuloRing::new(&UBig::from_be_bytes(&p));
        let y = ring
            .from(UBig::from_be_bytes(&g))
            .pow(&UBig::from_be_bytes(&x))
            .residue()
            .to_be_bytes();
        let private = Key::new(&[&p, &q, &g, &x]).unwrap();
        let public = Key::new(&[&p, &q, &g, &y]).unwrap();
        let hash = [0x5au8; 20];
        let sig = private.sign(&hash).unwrap();
        assert!(public.verify(&hash, &sig));
        assert!(!public.verify(&[0x5b; 20], &sig));
    }

    #[test]
    fn der_round_trip() {
        let (r, s) = (UBig::from(0x80u8), UBig::from(5u8));
        assert_eq!(parse_der_pair(&der_pair(&r, &s)), Some((r, s)));
    }
}
