//! Curve25519 for `crypto`: Ed25519 signatures (`ed25519-dalek`) and
//! X25519 key agreement (`x25519-dalek`), keys as the 32 raw bytes OpenSSL
//! takes. Ed448 and X448 are not here.

/// A 32-byte key from a binary of that size.
pub(super) fn key32(bytes: &[u8]) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

/// An Edwards or Montgomery curve of `crypto`'s EVP NIFs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Evp {
    Ed25519,
    X25519,
}

impl Evp {
    /// The curve named `name` (`None` for ed448, x448 and the rest).
    pub fn named(name: &str) -> Option<Evp> {
        match name {
            "ed25519" => Some(Evp::Ed25519),
            "x25519" => Some(Evp::X25519),
            _ => None,
        }
    }

    /// `(public, private)` for private key `private` (`None` if it is not
    /// 32 bytes).
    pub fn key_pair(self, private: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let k = key32(private)?;
        let public = match self {
            Evp::Ed25519 => ed25519_dalek::SigningKey::from_bytes(&k)
                .verifying_key()
                .to_bytes(),
            Evp::X25519 => {
                x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(k)).to_bytes()
            }
        };
        Some((public.to_vec(), k.to_vec()))
    }

    /// The bytes of a fresh private key.
    pub fn random_private() -> Option<Vec<u8>> {
        super::random::random_bytes(32)
    }
}

/// The Ed25519 signature of `msg` by private key `private` (`None` for a
/// key not 32 bytes).
pub(super) fn ed25519_sign(private: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(&key32(private)?);
    Some(key.sign(msg).to_bytes().to_vec())
}

/// Whether `sig` is an Ed25519 signature of `msg` by `public` (which
/// must be 32 bytes: `None` otherwise).
pub(super) fn ed25519_verify(public: &[u8], msg: &[u8], sig: &[u8]) -> Option<bool> {
    let public = key32(public)?;
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&public) else {
        return Some(false);
    };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(sig) else {
        return Some(false);
    };
    Some(ed25519_dalek::Verifier::verify(&key, msg, &sig).is_ok())
}

/// X25519 of private key `private` and `peer`'s public key; `None` for an
/// all-zero result (a small-order point, which OpenSSL refuses).
pub(super) fn x25519(peer: [u8; 32], private: [u8; 32]) -> Option<Vec<u8>> {
    let secret = x25519_dalek::StaticSecret::from(private);
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
    shared
        .was_contributory()
        .then(|| shared.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::crypto::{hex, unhex};

    /// RFC 7748's X25519 test vector (Alice and Bob).
    #[test]
    fn x25519_rfc7748() {
        let alice = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let bob = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        let (bob_public, _) = Evp::X25519.key_pair(&bob).unwrap();
        let shared = x25519(key32(&bob_public).unwrap(), key32(&alice).unwrap()).unwrap();
        assert_eq!(
            hex(&shared),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        );
    }

    #[test]
    fn ed25519_round_trip() {
        let (public, private) = Evp::Ed25519.key_pair(&[9u8; 32]).unwrap();
        let sig = ed25519_sign(&private, b"m").unwrap();
        assert_eq!(ed25519_verify(&public, b"m", &sig), Some(true));
        assert_eq!(ed25519_verify(&public, b"n", &sig), Some(false));
    }
}
