//! Signature checks: the algorithms an OCSP response or a delegated
//! responder certificate may be signed with, as mozpkix accepts them
//! (`pkixverify.cpp`, `pkixder.cpp` `SignatureAlgorithmIdentifierValue`):
//! RSA PKCS#1 v1.5 with SHA-1/256/384/512, RSA-PSS with SHA-256/384/512
//! (MGF1 with the same hash, salt as long as the hash), and ECDSA on P-256
//! and P-384 with SHA-256/384/512.
//!
//! What can be decided without arithmetic (algorithm, key kind and size,
//! signature encoding) is decided here, the same for every backend
//! ([`prepare`]). The arithmetic is behind [`SignatureVerifier`]: pure Rust
//! ([`RustCrypto`], the `rustcrypto` feature) natively, and in the browser
//! build the browser's own WebCrypto, which is native code and about ten
//! times faster than RustCrypto's P-384 in wasm (9-10 ms per P-384 verify
//! in Node, measured on this project's 2-core machines). WebCrypto is asynchronous and the engine
//! is not, so the browser build runs the engine against a [`ledger::Ledger`]
//! of checks made beforehand.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, UintRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::limits::{MAX_RSA_MODULUS_BITS, MIN_RSA_MODULUS_BITS};
use crate::oid;

pub mod ledger;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;
#[cfg(feature = "rustcrypto")]
pub use rustcrypto::RustCrypto;

/// A digest a signature algorithm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// The name FIPS 180-4 and WebCrypto use.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The hash named by a bare digest AlgorithmIdentifier OID (as in an
    /// OCSP CertID), if it is one we compute.
    pub fn from_digest_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            oid::ID_SHA1 => Some(Hash::Sha1),
            oid::ID_SHA256 => Some(Hash::Sha256),
            oid::ID_SHA384 => Some(Hash::Sha384),
            oid::ID_SHA512 => Some(Hash::Sha512),
            _ => None,
        }
    }
}

/// A signature algorithm we verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "scheme", content = "hash", rename_all = "kebab-case")]
pub enum SignatureAlgorithm {
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ecdsa(Hash),
}

impl std::fmt::Display for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::RsaPkcs1(hash) => write!(f, "RSA PKCS#1 v1.5 with {hash}"),
            Self::RsaPss(hash) => write!(f, "RSA-PSS with {hash}"),
            Self::Ecdsa(hash) => write!(f, "ECDSA with {hash}"),
        }
    }
}

/// Why a signature could not be accepted. Each is its own case, so a user
/// sees whether the response was forged, broken or just unusual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The AlgorithmIdentifier is not DER, or its parameters are wrong.
    MalformedAlgorithm(String),
    /// A signature algorithm we (like mozpkix) do not accept.
    UnsupportedAlgorithm(String),
    /// The key is not one we verify with: an unsupported curve or key type.
    UnsupportedKey(String),
    /// The key cannot be read.
    MalformedKey(String),
    /// An RSA modulus outside the sizes Firefox accepts.
    RsaKeySize { bits: usize },
    /// The algorithm and the key's type disagree (ECDSA with an RSA key...).
    KeyAlgorithmMismatch,
    /// The signature bytes cannot be read (bad DER, wrong length).
    MalformedSignature,
    /// The signature does not verify: the signed data was altered, or another key signed it.
    BadSignature,
    /// The signature code failed (the browser's WebCrypto refused the key
    /// or the call); says nothing about the response's honesty.
    Backend(String),
    /// The signature was never checked (a check the host did not run).
    NotChecked,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MalformedAlgorithm(why) => write!(f, "malformed signature algorithm: {why}"),
            Self::UnsupportedAlgorithm(oid) => write!(f, "unsupported signature algorithm {oid}"),
            Self::UnsupportedKey(what) => write!(f, "unsupported public key: {what}"),
            Self::MalformedKey(why) => write!(f, "malformed public key: {why}"),
            Self::RsaKeySize { bits } => write!(
                f,
                "RSA key of {bits} bits; accepted are {MIN_RSA_MODULUS_BITS} to {MAX_RSA_MODULUS_BITS} bits"
            ),
            Self::KeyAlgorithmMismatch => f.write_str("the signature algorithm does not fit the key type"),
            Self::MalformedSignature => f.write_str("the signature value is malformed"),
            Self::BadSignature => f.write_str("the signature does not verify"),
            Self::Backend(why) => write!(f, "the signature could not be checked: {why}"),
            Self::NotChecked => f.write_str("the signature was not checked"),
        }
    }
}

/// Data with a signature over it, as it appears in a certificate or a
/// BasicOCSPResponse: `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`.
#[derive(Clone, Copy, Debug)]
pub struct SignedData<'a> {
    /// The signed bytes: the whole TBS TLV, exactly as received.
    pub data: &'a [u8],
    /// The AlgorithmIdentifier TLV.
    pub algorithm: &'a [u8],
    /// The signature BIT STRING's bytes.
    pub signature: &'a [u8],
}

impl<'a> SignedData<'a> {
    /// Reads the three fields from a reader positioned at the TBS; any
    /// fields after the signature are left for the caller.
    pub fn read(r: &mut SliceReader<'a>) -> Result<Self, der::Error> {
        let data = r.tlv_bytes()?;
        let algorithm = r.tlv_bytes()?;
        let bits: BitStringRef<'a> = r.decode()?;
        let signature = bits.as_bytes().ok_or_else(|| {
            der::Error::from(der::ErrorKind::Value {
                tag: Tag::BitString,
            })
        })?;
        Ok(SignedData {
            data,
            algorithm,
            signature,
        })
    }

    /// Verifies the signature with the SubjectPublicKeyInfo `spki_der`.
    pub fn verify(
        &self,
        spki_der: &[u8],
        verifier: &dyn SignatureVerifier,
    ) -> Result<SignatureAlgorithm, SignatureError> {
        let algorithm = parse_algorithm(self.algorithm)?;
        verify(verifier, algorithm, spki_der, self.data, self.signature)?;
        Ok(algorithm)
    }
}

/// Reads a signature AlgorithmIdentifier.
pub fn parse_algorithm(tlv: &[u8]) -> Result<SignatureAlgorithm, SignatureError> {
    let malformed = |e: der::Error| SignatureError::MalformedAlgorithm(e.to_string());
    let id = spki::AlgorithmIdentifierRef::from_der(tlv).map_err(malformed)?;
    let no_params = |alg: SignatureAlgorithm| -> Result<SignatureAlgorithm, SignatureError> {
        // RFC 4055: RSA PKCS#1 v1.5 takes NULL (some encoders omit it); RFC 5758: ECDSA takes none.
        match (alg, id.parameters) {
            (_, None) => Ok(alg),
            (SignatureAlgorithm::RsaPkcs1(_), Some(p))
                if p.tag() == Tag::Null && p.value().is_empty() =>
            {
                Ok(alg)
            }
            _ => Err(SignatureError::MalformedAlgorithm(format!(
                "unexpected parameters for {}",
                id.oid
            ))),
        }
    };
    match id.oid {
        oid::SHA1_WITH_RSA_ENCRYPTION => no_params(SignatureAlgorithm::RsaPkcs1(Hash::Sha1)),
        oid::SHA256_WITH_RSA_ENCRYPTION => no_params(SignatureAlgorithm::RsaPkcs1(Hash::Sha256)),
        oid::SHA384_WITH_RSA_ENCRYPTION => no_params(SignatureAlgorithm::RsaPkcs1(Hash::Sha384)),
        oid::SHA512_WITH_RSA_ENCRYPTION => no_params(SignatureAlgorithm::RsaPkcs1(Hash::Sha512)),
        oid::ECDSA_WITH_SHA256 => no_params(SignatureAlgorithm::Ecdsa(Hash::Sha256)),
        oid::ECDSA_WITH_SHA384 => no_params(SignatureAlgorithm::Ecdsa(Hash::Sha384)),
        oid::ECDSA_WITH_SHA512 => no_params(SignatureAlgorithm::Ecdsa(Hash::Sha512)),
        oid::ID_RSASSA_PSS => parse_pss_params(id.parameters),
        other => Err(SignatureError::UnsupportedAlgorithm(other.to_string())),
    }
}

/// RSASSA-PSS-params (RFC 4055 section 3.1). Like mozpkix, only the forms
/// where one hash serves both the message and MGF1 and the salt is as long
/// as the hash.
fn parse_pss_params(params: Option<AnyRef<'_>>) -> Result<SignatureAlgorithm, SignatureError> {
    let params = params
        .ok_or_else(|| SignatureError::MalformedAlgorithm("RSA-PSS without parameters".into()))?;
    let params_der = params
        .to_der()
        .map_err(|e| SignatureError::MalformedAlgorithm(e.to_string()))?;
    let params = pkcs1::RsaPssParams::try_from(params_der.as_slice())
        .map_err(|e| SignatureError::MalformedAlgorithm(format!("RSA-PSS parameters: {e}")))?;
    let hash = match params.hash.oid {
        oid::ID_SHA256 => Hash::Sha256,
        oid::ID_SHA384 => Hash::Sha384,
        oid::ID_SHA512 => Hash::Sha512,
        other => {
            return Err(SignatureError::UnsupportedAlgorithm(format!(
                "RSA-PSS with hash {other}"
            )))
        }
    };
    let mgf_hash = params.mask_gen.parameters.map(|p| p.oid);
    if params.mask_gen.oid != oid::ID_MGF1 || mgf_hash != Some(params.hash.oid) {
        return Err(SignatureError::UnsupportedAlgorithm(
            "RSA-PSS with a mask generation other than MGF1 over the same hash".into(),
        ));
    }
    if usize::from(params.salt_len) != hash.output_len() {
        return Err(SignatureError::UnsupportedAlgorithm(format!(
            "RSA-PSS with a {}-byte salt (the hash is {} bytes)",
            params.salt_len,
            hash.output_len()
        )));
    }
    Ok(SignatureAlgorithm::RsaPss(hash))
}

/// What kind of key a SubjectPublicKeyInfo holds, after the checks every
/// backend shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa { modulus_bits: usize },
    P256,
    P384,
}

impl KeyKind {
    /// Bytes of one ECDSA scalar (r or s) for the curve.
    fn ec_field_len(self) -> Option<usize> {
        match self {
            KeyKind::P256 => Some(32),
            KeyKind::P384 => Some(48),
            KeyKind::Rsa { .. } => None,
        }
    }
}

/// One signature to check, with everything a backend must not decide for
/// itself already decided: the algorithm is one we accept, the key is of a
/// kind and size we accept and fits the algorithm, and an ECDSA signature
/// is well-formed DER, given here as the fixed-length `r || s` that
/// WebCrypto takes. Backends only do the arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check<'a> {
    pub algorithm: SignatureAlgorithm,
    pub key: KeyKind,
    /// The SubjectPublicKeyInfo DER.
    pub spki: &'a [u8],
    pub message: &'a [u8],
    /// RSA: the signature as signed. ECDSA: `r || s`, each padded to the field size.
    pub signature: std::borrow::Cow<'a, [u8]>,
}

/// Does the arithmetic of a [`Check`]. The engine is written against this
/// so that the host chooses the code: RustCrypto natively, the browser's
/// WebCrypto in the extension (see [`ledger`]).
pub trait SignatureVerifier: std::fmt::Debug {
    fn check(&self, check: &Check<'_>) -> Result<(), SignatureError>;
}

/// Reads the key's kind from a SubjectPublicKeyInfo, with mozpkix's limits:
/// RSA moduli of 1024 to 8192 bits, named curves P-256 and P-384 with
/// uncompressed points (`pkixcheck.cpp`, `CheckSubjectPublicKeyInfoContents`).
pub fn key_kind(spki_der: &[u8]) -> Result<KeyKind, SignatureError> {
    let malformed = |e: der::Error| SignatureError::MalformedKey(e.to_string());
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der).map_err(malformed)?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| SignatureError::MalformedKey("the key BIT STRING has unused bits".into()))?;
    match spki.algorithm.oid {
        oid::RSA_ENCRYPTION => {
            let key = pkcs1::RsaPublicKey::from_der(bits).map_err(malformed)?;
            let modulus_bits = uint_bits(key.modulus.as_bytes());
            if !(MIN_RSA_MODULUS_BITS..=MAX_RSA_MODULUS_BITS).contains(&modulus_bits) {
                return Err(SignatureError::RsaKeySize { bits: modulus_bits });
            }
            let exponent = key.public_exponent.as_bytes();
            if uint_bits(exponent) < 2 || exponent.last().is_some_and(|b| b & 1 == 0) {
                return Err(SignatureError::MalformedKey(
                    "the RSA public exponent must be odd and at least 3".into(),
                ));
            }
            Ok(KeyKind::Rsa { modulus_bits })
        }
        oid::ID_EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or_else(|| {
                    SignatureError::MalformedKey("EC key without a named curve".into())
                })?;
            let kind = match curve {
                oid::SECP256R1 => KeyKind::P256,
                oid::SECP384R1 => KeyKind::P384,
                other => {
                    return Err(SignatureError::UnsupportedKey(format!(
                        "elliptic curve {other}"
                    )))
                }
            };
            let field = kind.ec_field_len().unwrap_or_default();
            match bits.first() {
                Some(0x04) if bits.len() == 1 + 2 * field => Ok(kind),
                Some(0x02 | 0x03) => Err(SignatureError::UnsupportedKey(
                    "compressed EC point (only uncompressed points are accepted, as in mozpkix)"
                        .into(),
                )),
                _ => Err(SignatureError::MalformedKey(format!(
                    "an EC point of {} bytes; an uncompressed point on this curve has {}",
                    bits.len(),
                    1 + 2 * field
                ))),
            }
        }
        other => Err(SignatureError::UnsupportedKey(format!(
            "key algorithm {other}"
        ))),
    }
}

/// Significant bits of a big-endian unsigned integer.
fn uint_bits(bytes: &[u8]) -> usize {
    let mut digits = bytes.iter().skip_while(|&&b| b == 0);
    match digits.next() {
        Some(&top) => 8 * digits.count() + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// ECDSA-Sig-Value (RFC 3279 section 2.2.3) as the fixed-length `r || s`:
/// strict DER, both scalars positive and no longer than the field.
fn ecdsa_fixed_signature(der_sig: &[u8], field: usize) -> Result<Vec<u8>, SignatureError> {
    let malformed = |_| SignatureError::MalformedSignature;
    let mut r = SliceReader::new(der_sig).map_err(malformed)?;
    let (sig_r, sig_s) = r
        .sequence(|seq| {
            let r: UintRef<'_> = seq.decode()?;
            let s: UintRef<'_> = seq.decode()?;
            Ok((r, s))
        })
        .map_err(malformed)?;
    r.finish(()).map_err(malformed)?;
    let mut fixed = vec![0u8; 2 * field];
    for (scalar, out) in [sig_r, sig_s].iter().zip(fixed.chunks_mut(field)) {
        let bytes = scalar.as_bytes();
        if bytes.len() > field || bytes.iter().all(|&b| b == 0) {
            return Err(SignatureError::MalformedSignature);
        }
        out[field - bytes.len()..].copy_from_slice(bytes);
    }
    Ok(fixed)
}

/// Everything about a signature that can be decided without arithmetic;
/// the same on every backend.
pub fn prepare<'a>(
    algorithm: SignatureAlgorithm,
    spki_der: &'a [u8],
    message: &'a [u8],
    signature: &'a [u8],
) -> Result<Check<'a>, SignatureError> {
    let key = key_kind(spki_der)?;
    let signature = match (algorithm, key) {
        (SignatureAlgorithm::RsaPss(Hash::Sha1), KeyKind::Rsa { .. }) => {
            return Err(SignatureError::UnsupportedAlgorithm(
                "RSA-PSS with SHA-1".into(),
            ))
        }
        (
            SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss(_),
            KeyKind::Rsa { modulus_bits },
        ) => {
            // RSA signatures are exactly as long as the modulus (RFC 8017 section 8.2.2).
            if signature.len() != modulus_bits.div_ceil(8) {
                return Err(SignatureError::MalformedSignature);
            }
            std::borrow::Cow::Borrowed(signature)
        }
        (SignatureAlgorithm::Ecdsa(_), KeyKind::P256 | KeyKind::P384) => {
            let field = key.ec_field_len().unwrap_or_default();
            std::borrow::Cow::Owned(ecdsa_fixed_signature(signature, field)?)
        }
        _ => return Err(SignatureError::KeyAlgorithmMismatch),
    };
    Ok(Check {
        algorithm,
        key,
        spki: spki_der,
        message,
        signature,
    })
}

/// Verifies `signature` over `message` with the key in `spki_der`.
pub fn verify(
    verifier: &dyn SignatureVerifier,
    algorithm: SignatureAlgorithm,
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    verifier.check(&prepare(algorithm, spki_der, message, signature)?)
}

/// Reads the outer `SEQUENCE { tbs, algorithm, signature }` of a signed
/// structure whose DER is exactly `der`.
pub fn signed_data(der: &[u8]) -> Result<SignedData<'_>, der::Error> {
    let mut outer = SliceReader::new(der)?;
    let body = outer.sequence(|r| {
        let body = r.read_slice(r.remaining_len())?;
        Ok(body)
    })?;
    outer.finish(())?;
    let mut r = SliceReader::new(body)?;
    let signed = SignedData::read(&mut r)?;
    r.finish(signed)
}
