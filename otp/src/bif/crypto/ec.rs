//! The named prime curves of `crypto`'s ECDSA and ECDH (secp256r1 with its
//! alias prime256v1, secp384r1, secp521r1, secp256k1) over RustCrypto's
//! `p256`, `p384`, `p521` and `k256`. Points travel as SEC1 octet strings
//! (uncompressed when made here, either form accepted), private keys as
//! big-endian scalars, signatures as DER, as OpenSSL gives them.

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::elliptic_curve::sec1::ToEncodedPoint;

/// A curve Enigma's crypto computes on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Curve {
    P256,
    P384,
    P521,
    K256,
}

/// The curve names `crypto:supports(curves)` lists, in erl's order.
pub(super) const NAMES: [&str; 5] = [
    "secp256k1",
    "secp384r1",
    "secp521r1",
    "secp256r1",
    "prime256v1",
];

/// Runs `$body` with `$m` naming the curve's crate.
macro_rules! on_curve {
    ($curve:expr, $m:ident => $body:expr) => {
        match $curve {
            Curve::P256 => {
                use p256 as $m;
                $body
            }
            Curve::P384 => {
                use p384 as $m;
                $body
            }
            Curve::P521 => {
                use p521 as $m;
                $body
            }
            Curve::K256 => {
                use k256 as $m;
                $body
            }
        }
    };
}

impl Curve {
    /// The curve an OpenSSL name stands for.
    pub fn named(name: &str) -> Option<Curve> {
        Some(match name {
            "secp256r1" | "prime256v1" => Curve::P256,
            "secp384r1" => Curve::P384,
            "secp521r1" => Curve::P521,
            "secp256k1" => Curve::K256,
            _ => return None,
        })
    }

    /// The curve explicit parameters describe (`crypto:ec_curve/1`'s
    /// tuple, which `public_key` passes): its prime, `a` and base point
    /// fix it.
    pub fn explicit(prime: &[u8], a: &[u8], base: &[u8]) -> Option<Curve> {
        let strip = |b: &[u8]| -> Vec<u8> { b.iter().copied().skip_while(|&x| x == 0).collect() };
        let (prime, a) = (strip(prime), strip(a));
        [Curve::P256, Curve::P384, Curve::P521, Curve::K256]
            .into_iter()
            .find(|c| {
                let p = c.prime();
                let a_ok = match c {
                    Curve::K256 => a.is_empty(),
                    _ => a == sub3(&p),
                };
                p == prime && a_ok && c.key_pair(&[1]).is_ok_and(|(g, _)| g == base)
            })
    }

    /// The field's prime, big-endian without leading zeros.
    fn prime(self) -> Vec<u8> {
        let ones = |n: usize| vec![0xffu8; n];
        match self {
            Curve::P256 => [
                &[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1][..],
                &[0; 12],
                &ones(12),
            ]
            .concat(),
            Curve::P384 => [ones(31), vec![0xfe], ones(4), vec![0; 8], ones(4)].concat(),
            Curve::P521 => [vec![1], ones(65)].concat(),
            Curve::K256 => [ones(27), vec![0xfe, 0xff, 0xff, 0xfc, 0x2f]].concat(),
        }
    }

    /// Bytes of a field element (and of a private key as OpenSSL pads it).
    pub fn field_bytes(self) -> usize {
        match self {
            Curve::P256 | Curve::K256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// `scalar` as exactly `field_bytes` big-endian bytes (`None` if its
    /// value does not fit).
    fn pad(self, scalar: &[u8]) -> Option<Vec<u8>> {
        let size = self.field_bytes();
        let start = scalar.iter().position(|&b| b != 0).unwrap_or(scalar.len());
        let digits = &scalar[start..];
        (digits.len() <= size).then(|| super::rsa::left_pad(digits, size))
    }

    /// The uncompressed public point of private key `scalar` and the key
    /// padded to the field's size (`Err(Zero)` for 0, `Err(Invalid)` for
    /// one not below the group's order).
    pub fn key_pair(self, scalar: &[u8]) -> Result<(Vec<u8>, Vec<u8>), ScalarError> {
        let bytes = self.pad(scalar).ok_or(ScalarError::Invalid)?;
        if bytes.iter().all(|&b| b == 0) {
            return Err(ScalarError::Zero);
        }
        on_curve!(self, m => {
            let secret = m::SecretKey::from_slice(&bytes).map_err(|_| ScalarError::Invalid)?;
            let point = secret.public_key().to_encoded_point(false);
            Ok((point.as_bytes().to_vec(), bytes))
        })
    }

    /// A fresh key pair: `(public point, private scalar)`.
    pub fn generate(self) -> (Vec<u8>, Vec<u8>) {
        on_curve!(self, m => {
            let secret = m::SecretKey::random(&mut rand_core::OsRng);
            let point = secret.public_key().to_encoded_point(false);
            (point.as_bytes().to_vec(), secret.to_bytes().to_vec())
        })
    }

    /// The ECDH shared secret (the x coordinate) of `peer`'s point and
    /// private key `scalar` (`Err(BadPoint)` for a point not on the
    /// curve, `Err(BadScalar)` for an unusable private key).
    pub fn ecdh(self, peer: &[u8], scalar: &[u8]) -> Result<Vec<u8>, EcdhError> {
        let bytes = self.pad(scalar).ok_or(EcdhError::BadScalar)?;
        on_curve!(self, m => {
            let public = m::PublicKey::from_sec1_bytes(peer).map_err(|_| EcdhError::BadPoint)?;
            let secret = m::SecretKey::from_slice(&bytes).map_err(|_| EcdhError::BadScalar)?;
            let shared = m::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
            Ok(shared.raw_secret_bytes().to_vec())
        })
    }

    /// The message hash as the `ecdsa` crate takes it: one shorter than
    /// half the field is widened with leading zeros (the same integer,
    /// which OpenSSL signs as it is).
    fn prehash(self, hash: &[u8]) -> Vec<u8> {
        let min = self.field_bytes() / 2 + 1;
        if hash.len() < min {
            super::rsa::left_pad(hash, min)
        } else {
            hash.to_vec()
        }
    }

    /// A DER ECDSA signature of `hash` with private key `scalar` (`None`
    /// for a scalar that is no key).
    pub fn sign(self, scalar: &[u8], hash: &[u8]) -> Option<Vec<u8>> {
        let bytes = self.pad(scalar)?;
        let hash = self.prehash(hash);
        on_curve!(self, m => {
            let key = m::ecdsa::SigningKey::from_slice(&bytes).ok()?;
            let sig: m::ecdsa::Signature = key.sign_prehash(&hash).ok()?;
            Some(sig.to_der().as_bytes().to_vec())
        })
    }

    /// Whether DER `sig` is a signature of `hash` by `point` (`None` for a
    /// point that is no public key). High-S signatures verify, as in
    /// OpenSSL.
    pub fn verify(self, point: &[u8], hash: &[u8], sig: &[u8]) -> Option<bool> {
        let hash = self.prehash(hash);
        on_curve!(self, m => {
            let key = m::ecdsa::VerifyingKey::from_sec1_bytes(point).ok()?;
            let Ok(sig) = m::ecdsa::Signature::from_der(sig) else {
                return Some(false);
            };
            let sig = sig.normalize_s().unwrap_or(sig);
            Some(key.verify_prehash(&hash, &sig).is_ok())
        })
    }
}

/// `p - 3` for a big-endian `p` whose last byte is at least 3 (the `a`
/// of the NIST curves).
fn sub3(p: &[u8]) -> Vec<u8> {
    let mut out = p.to_vec();
    if let Some(last) = out.last_mut() {
        *last -= 3;
    }
    out
}

/// Why a private key makes no key pair.
pub(super) enum ScalarError {
    Zero,
    Invalid,
}

/// Why ECDH failed.
pub(super) enum EcdhError {
    BadPoint,
    BadScalar,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_the_public_key_of_one() {
        let (public, private) = Curve::P256.key_pair(&[1]).ok().unwrap();
        assert_eq!(private.len(), 32);
        assert_eq!(super::super::hex(&public[..9]), "046b17d1f2e12c4247");
    }

    #[test]
    fn explicit_parameters_name_their_curve() {
        for curve in [Curve::P256, Curve::P384, Curve::P521, Curve::K256] {
            let p = curve.prime();
            let a = if curve == Curve::K256 {
                vec![]
            } else {
                sub3(&p)
            };
            let (g, _) = curve.key_pair(&[1]).ok().unwrap();
            assert_eq!(Curve::explicit(&p, &a, &g), Some(curve));
        }
        assert_eq!(Curve::explicit(&[23], &[1], &[4, 1, 1]), None);
    }

    #[test]
    fn signatures_verify_on_every_curve() {
        for curve in [Curve::P256, Curve::P384, Curve::P521, Curve::K256] {
            let (public, private) = curve.generate();
            let hash = [7u8; 32];
            let sig = curve.sign(&private, &hash).unwrap();
            assert_eq!(curve.verify(&public, &hash, &sig), Some(true));
            assert_eq!(curve.verify(&public, &[8u8; 32], &sig), Some(false));
        }
    }
}
