//! The native backend: RustCrypto's RSA, P-256 and P-384. Deterministic and
//! synchronous; the CLI and the tests use it. The browser build leaves it
//! out (WebCrypto does the arithmetic there, and RustCrypto's RSA and curve
//! code would more than double the `.wasm`).

use der::Decode;
use sha1::Sha1;
use sha2::{Sha256, Sha384, Sha512};
use signature::hazmat::PrehashVerifier;

use super::{Check, Hash, KeyKind, SignatureAlgorithm, SignatureError, SignatureVerifier};
use crate::limits::MAX_RSA_MODULUS_BITS;

/// RustCrypto as a [`SignatureVerifier`].
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

impl SignatureVerifier for RustCrypto {
    fn check(&self, check: &Check<'_>) -> Result<(), SignatureError> {
        // `prepare` has already read the key; what fails here is arithmetic
        // (a point off the curve, a signature that does not verify).
        let spki = spki::SubjectPublicKeyInfoRef::from_der(check.spki)
            .map_err(|e| SignatureError::MalformedKey(e.to_string()))?;
        let key_bits = spki.subject_public_key.raw_bytes();
        let digest = |hash: Hash| hash.digest(check.message);
        match (check.algorithm, check.key) {
            (SignatureAlgorithm::RsaPkcs1(hash), KeyKind::Rsa { .. }) => {
                let scheme = match hash {
                    Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                    Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                    Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
                };
                rsa_key(key_bits)?
                    .verify(scheme, &digest(hash), &check.signature)
                    .map_err(|_| SignatureError::BadSignature)
            }
            (SignatureAlgorithm::RsaPss(hash), KeyKind::Rsa { .. }) => {
                let scheme = match hash {
                    Hash::Sha256 => rsa::Pss::new_with_salt::<Sha256>(32),
                    Hash::Sha384 => rsa::Pss::new_with_salt::<Sha384>(48),
                    Hash::Sha512 => rsa::Pss::new_with_salt::<Sha512>(64),
                    Hash::Sha1 => {
                        return Err(SignatureError::UnsupportedAlgorithm(
                            "RSA-PSS with SHA-1".into(),
                        ))
                    }
                };
                rsa_key(key_bits)?
                    .verify(scheme, &digest(hash), &check.signature)
                    .map_err(|_| SignatureError::BadSignature)
            }
            (SignatureAlgorithm::Ecdsa(hash), KeyKind::P256) => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|_| off_curve())?;
                // Out-of-range scalars cannot verify; WebCrypto says "false" for them too.
                let sig = p256::ecdsa::Signature::from_slice(&check.signature)
                    .map_err(|_| SignatureError::BadSignature)?;
                key.verify_prehash(&digest(hash), &sig)
                    .map_err(|_| SignatureError::BadSignature)
            }
            (SignatureAlgorithm::Ecdsa(hash), KeyKind::P384) => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|_| off_curve())?;
                let sig = p384::ecdsa::Signature::from_slice(&check.signature)
                    .map_err(|_| SignatureError::BadSignature)?;
                key.verify_prehash(&digest(hash), &sig)
                    .map_err(|_| SignatureError::BadSignature)
            }
            _ => Err(SignatureError::KeyAlgorithmMismatch),
        }
    }
}

fn off_curve() -> SignatureError {
    SignatureError::MalformedKey("the EC point is not on the curve".into())
}

fn rsa_key(key_bits: &[u8]) -> Result<rsa::RsaPublicKey, SignatureError> {
    let key = pkcs1::RsaPublicKey::from_der(key_bits)
        .map_err(|e| SignatureError::MalformedKey(e.to_string()))?;
    rsa::RsaPublicKey::new_with_max_size(
        rsa::BigUint::from_bytes_be(key.modulus.as_bytes()),
        rsa::BigUint::from_bytes_be(key.public_exponent.as_bytes()),
        MAX_RSA_MODULUS_BITS,
    )
    .map_err(|e| SignatureError::MalformedKey(e.to_string()))
}
