//! Content signatures: how Firefox decides that a Remote Settings collection
//! really comes from Mozilla (security/manager/ssl/ContentSignatureVerifier.cpp
//! with its trust domain CSTrustDomain.cpp, over mozpkix).
//!
//! - The signature is ECDSA on P-384 with SHA-384 over
//!   `"Content-Signature:\0"` followed by the signed bytes, given as the
//!   fixed-length `r || s` in base64url, after `p384ecdsa=`.
//! - The signer's certificate comes with its chain from the `x5u` URL, as
//!   PEM, end entity first. The chain must reach a pinned root, known by the
//!   SHA-256 of its DER (Firefox's `security.content.signature.root_hash`,
//!   and the built-in content-signature roots since).
//! - Every certificate on the path must be valid at the time of checking
//!   and not revoked by OneCRL (CSTrustDomain::GetCertTrust asks
//!   cert_storage); keys are P-384 or RSA of at least 2048 bits
//!   (CSTrustDomain::CheckECDSACurveIsAcceptable,
//!   CheckRSAPublicKeyModulusSizeInBits).
//! - The end entity is not a CA, has the codeSigning extended key usage and
//!   names the signer (`onecrl.content-signature.mozilla.org` for OneCRL) in
//!   a subjectAltName dNSName (mozpkix CheckCertHostname).
//!
//! Stricter than mozpkix in one place: an end entity without an extended
//! key usage extension is refused, where mozpkix would let it sign anything.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cert::Cert;
use crate::limits::MAX_CHAIN_LEN;
use crate::oid::ID_KP_CODE_SIGNING;
use crate::onecrl::Snapshot;
use crate::time::UnixTime;
use crate::verify::{
    self, Check, Hash, KeyKind, SignatureAlgorithm, SignatureError, SignatureVerifier,
};

/// What precedes the signed bytes (ContentSignatureVerifier.cpp,
/// `kPREFIX`).
pub const PREFIX: &[u8] = b"Content-Signature:\x00";

/// The signer name for OneCRL (Firefox's RemoteSecuritySettings.sys.mjs
/// creates the client with `signerName: "onecrl.content-signature.mozilla.org"`).
pub const ONECRL_SIGNER: &str = "onecrl.content-signature.mozilla.org";

/// keyUsage keyCertSign (RFC 5280 section 4.2.1.3, bit 5).
const KEY_CERT_SIGN: u16 = 1 << 5;
/// The smallest RSA modulus CSTrustDomain accepts.
const MIN_RSA_BITS: usize = 2048;

/// Whom a content signature must come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trust {
    /// SHA-256 of each acceptable root certificate's DER.
    pub roots: Vec<[u8; 32]>,
    /// The dNSName the signer's certificate must carry.
    pub signer_name: String,
}

/// Who signed, once a signature is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Signer {
    /// The end entity's subject (RFC 4514).
    pub subject: String,
    pub signer_name: String,
    pub not_before: u64,
    pub not_after: u64,
    /// The subjects along the path, end entity first, root last.
    pub path: Vec<String>,
    /// SHA-256 of the root's DER, lowercase hex.
    pub root_sha256: String,
}

/// Why a content signature was refused: one case per way it can fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentSignatureError {
    /// The signature text is not `p384ecdsa=<base64url>` (or the bare base64url).
    MalformedSignature(String),
    /// The chain file holds no certificate, or is not PEM.
    ChainUnreadable(String),
    /// A certificate of the chain does not parse.
    ChainCertificate { index: usize, why: String },
    /// More certificates than a path may hold.
    ChainTooLong { len: usize },
    /// The first certificate is a CA, not a signer.
    SignerIsCa { subject: String },
    /// The signer's key is not P-384 (a `p384ecdsa` signature needs one).
    SignerKeyNotP384 { subject: String },
    /// The signer's certificate lacks the codeSigning extended key usage.
    SignerNotForCodeSigning { subject: String },
    /// The signer's certificate does not name the expected signer.
    SignerNameMismatch {
        expected: String,
        found: Vec<String>,
    },
    /// A certificate on the path is not valid yet at the time of checking.
    CertNotYetValid { subject: String, not_before: u64 },
    /// A certificate on the path has expired.
    CertExpired { subject: String, not_after: u64 },
    /// OneCRL revokes a certificate on the path.
    CertRevoked { subject: String, record: String },
    /// A key on the path is one CSTrustDomain refuses (a curve other than
    /// P-384, RSA under 2048 bits) or cannot be read.
    CertKeyRefused { subject: String, why: String },
    /// An issuer on the path may not issue: not a CA, no keyCertSign, an
    /// extended key usage without codeSigning, or a path length exceeded.
    IssuerNotCa { subject: String, why: String },
    /// A certificate's signature by its issuer does not verify.
    CertSignatureInvalid {
        subject: String,
        why: SignatureError,
    },
    /// No certificate of the chain issued this one, and it is not a pinned root.
    IssuerNotFound { subject: String, issuer: String },
    /// The path ends at a root that is not pinned.
    UntrustedRoot { subject: String, sha256: String },
    /// The signature does not verify: the data was altered, or another key signed it.
    BadSignature,
    /// The signature arithmetic could not be run (the browser's WebCrypto
    /// refused the call); says nothing about the data.
    Backend(String),
}

impl ContentSignatureError {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        use ContentSignatureError::*;
        match self {
            MalformedSignature(_) => "malformed-signature",
            ChainUnreadable(_) => "chain-unreadable",
            ChainCertificate { .. } => "chain-certificate",
            ChainTooLong { .. } => "chain-too-long",
            SignerIsCa { .. } => "signer-is-ca",
            SignerKeyNotP384 { .. } => "signer-key-not-p384",
            SignerNotForCodeSigning { .. } => "signer-not-for-code-signing",
            SignerNameMismatch { .. } => "signer-name-mismatch",
            CertNotYetValid { .. } => "cert-not-yet-valid",
            CertExpired { .. } => "cert-expired",
            CertRevoked { .. } => "cert-revoked",
            CertKeyRefused { .. } => "cert-key-refused",
            IssuerNotCa { .. } => "issuer-not-ca",
            CertSignatureInvalid { .. } => "cert-signature-invalid",
            IssuerNotFound { .. } => "issuer-not-found",
            UntrustedRoot { .. } => "untrusted-root",
            BadSignature => "bad-signature",
            Backend(_) => "signature-backend",
        }
    }
}

impl fmt::Display for ContentSignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ContentSignatureError::*;
        let date = |t: &u64| UnixTime(*t).to_string();
        match self {
            MalformedSignature(why) => write!(f, "the content signature is malformed: {why}"),
            ChainUnreadable(why) => write!(f, "the signer's certificate chain cannot be read: {why}"),
            ChainCertificate { index, why } => {
                write!(f, "certificate {} of the signer's chain does not parse: {why}", index + 1)
            }
            ChainTooLong { len } => write!(
                f,
                "the signer's chain has {len} certificates, more than the {MAX_CHAIN_LEN} a path may hold"
            ),
            SignerIsCa { subject } => write!(f, "the signer certificate {subject} is a CA certificate"),
            SignerKeyNotP384 { subject } => {
                write!(f, "the signer certificate {subject} has no P-384 key")
            }
            SignerNotForCodeSigning { subject } => write!(
                f,
                "the signer certificate {subject} lacks the codeSigning extended key usage"
            ),
            SignerNameMismatch { expected, found } => write!(
                f,
                "the signer certificate is for {} instead of {expected}",
                if found.is_empty() { "no DNS name".into() } else { found.join(", ") }
            ),
            CertNotYetValid { subject, not_before } => {
                write!(f, "{subject} is not valid before {}", date(not_before))
            }
            CertExpired { subject, not_after } => {
                write!(f, "{subject} expired at {}", date(not_after))
            }
            CertRevoked { subject, record } => {
                write!(f, "{subject} is revoked by OneCRL (record {record})")
            }
            CertKeyRefused { subject, why } => write!(f, "the key of {subject} is refused: {why}"),
            IssuerNotCa { subject, why } => write!(f, "{subject} may not issue certificates: {why}"),
            CertSignatureInvalid { subject, why } => {
                write!(f, "the signature on {subject} is not valid: {why}")
            }
            IssuerNotFound { subject, issuer } => write!(
                f,
                "the chain has no issuer ({issuer}) for {subject}, which is not a pinned root"
            ),
            UntrustedRoot { subject, sha256 } => write!(
                f,
                "the chain ends at {subject} (SHA-256 {sha256}), which is not a pinned content-signature root"
            ),
            BadSignature => f.write_str(
                "the content signature does not verify: the data was altered, or another key signed it",
            ),
            Backend(why) => write!(f, "the content signature could not be checked: {why}"),
        }
    }
}

impl std::error::Error for ContentSignatureError {}

/// Reads `p384ecdsa=<base64url>` (the Content-Signature header form,
/// whose other `;`-separated directives are ignored, as Firefox ignores
/// them) or the bare base64url of a collection's metadata: 96 bytes of
/// `r || s`.
pub fn parse_signature(text: &str) -> Result<[u8; 96], ContentSignatureError> {
    let malformed = |why: String| ContentSignatureError::MalformedSignature(why);
    let text = text.trim();
    // base64url has no ';' and '=' only as trailing padding: anything else
    // is the header form.
    let encoded = if text.contains(';') || text.trim_end_matches('=').contains('=') {
        text.split(';')
            .map(str::trim)
            .find_map(|directive| directive.strip_prefix("p384ecdsa="))
            .ok_or_else(|| malformed("no p384ecdsa= directive".into()))?
    } else {
        text
    };
    // Autograph emits no padding; Firefox ignores padding either way.
    let bytes = BASE64URL
        .decode(encoded.trim_end_matches('='))
        .map_err(|e| malformed(format!("not base64url: {e}")))?;
    let raw: [u8; 96] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| malformed(format!("{} bytes; a P-384 r || s has 96", bytes.len())))?;
    if raw[..48].iter().all(|&b| b == 0) || raw[48..].iter().all(|&b| b == 0) {
        return Err(malformed("r or s is zero".into()));
    }
    Ok(raw)
}

/// SHA-256 of a certificate's DER, lowercase hex.
pub fn fingerprint(der: &[u8]) -> String {
    crate::hex::encode(&Sha256::digest(der))
}

/// Verifies `signature` over `data` by the signer whose chain is
/// `chain_pem`, at `now`. `onecrl` is the snapshot in force: a signer that
/// OneCRL revokes is refused, as in Firefox.
pub fn verify(
    data: &[u8],
    signature: &str,
    chain_pem: &[u8],
    trust: &Trust,
    now: UnixTime,
    onecrl: Option<&Snapshot>,
    verifier: &dyn SignatureVerifier,
) -> Result<Signer, ContentSignatureError> {
    let raw = parse_signature(signature)?;
    let ders = crate::pem::read_certificates(chain_pem)
        .map_err(|e| ContentSignatureError::ChainUnreadable(e.to_string()))?;
    if ders.len() > MAX_CHAIN_LEN {
        return Err(ContentSignatureError::ChainTooLong { len: ders.len() });
    }
    let certs = ders
        .iter()
        .enumerate()
        .map(|(index, der)| {
            Cert::from_der(der).map_err(|e| ContentSignatureError::ChainCertificate {
                index,
                why: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let chain: Vec<Link<'_>> = ders
        .iter()
        .zip(&certs)
        .map(|(der, cert)| Link { der, cert })
        .collect();
    let signer = &chain[0];
    let subject = || signer.cert.subject.clone();
    if signer.cert.is_ca {
        return Err(ContentSignatureError::SignerIsCa { subject: subject() });
    }
    if verify::key_kind(signer.cert.spki.der()) != Ok(KeyKind::P384) {
        return Err(ContentSignatureError::SignerKeyNotP384 { subject: subject() });
    }
    if !signer.cert.extended_key_usage.contains(&ID_KP_CODE_SIGNING) {
        return Err(ContentSignatureError::SignerNotForCodeSigning { subject: subject() });
    }
    let mut path = vec![0];
    let context = PathContext {
        chain: &chain,
        trust,
        now,
        onecrl,
        verifier,
    };
    context.check_cert(signer)?;
    let root = context.build(&mut path)?;
    if !signer
        .cert
        .dns_names
        .iter()
        .any(|name| name_matches(name, &trust.signer_name))
    {
        return Err(ContentSignatureError::SignerNameMismatch {
            expected: trust.signer_name.clone(),
            found: signer.cert.dns_names.clone(),
        });
    }
    let message = [PREFIX, data].concat();
    let check = Check {
        algorithm: SignatureAlgorithm::Ecdsa(Hash::Sha384),
        key: KeyKind::P384,
        spki: signer.cert.spki.der(),
        message: &message,
        signature: std::borrow::Cow::Borrowed(&raw),
    };
    match verifier.check(&check) {
        Ok(()) => {}
        Err(SignatureError::Backend(why)) => return Err(ContentSignatureError::Backend(why)),
        Err(_) => return Err(ContentSignatureError::BadSignature),
    }
    Ok(Signer {
        subject: subject(),
        signer_name: trust.signer_name.clone(),
        not_before: signer.cert.not_before,
        not_after: signer.cert.not_after,
        path: path
            .iter()
            .map(|&i| chain[i].cert.subject.clone())
            .collect(),
        root_sha256: fingerprint(root.der),
    })
}

/// mozpkix's reference-identifier matching for a dNSName: ASCII
/// case-insensitive, and a `*` as the whole leftmost label standing for one
/// label, only when at least two labels follow it.
fn name_matches(presented: &str, reference: &str) -> bool {
    let presented = presented.trim_end_matches('.');
    let reference = reference.trim_end_matches('.');
    if let Some(rest) = presented.strip_prefix("*.") {
        return rest.matches('.').count() >= 1
            && reference
                .split_once('.')
                .is_some_and(|(label, tail)| !label.is_empty() && tail.eq_ignore_ascii_case(rest));
    }
    presented.eq_ignore_ascii_case(reference)
}

#[derive(Clone, Copy)]
struct Link<'a> {
    der: &'a [u8],
    cert: &'a Cert,
}

struct PathContext<'a> {
    chain: &'a [Link<'a>],
    trust: &'a Trust,
    now: UnixTime,
    onecrl: Option<&'a Snapshot>,
    verifier: &'a dyn SignatureVerifier,
}

impl<'a> PathContext<'a> {
    /// What every certificate on the path must satisfy, the root included.
    fn check_cert(&self, link: &Link<'_>) -> Result<(), ContentSignatureError> {
        let cert = link.cert;
        let subject = || cert.subject.clone();
        if self.now.0 < cert.not_before {
            return Err(ContentSignatureError::CertNotYetValid {
                subject: subject(),
                not_before: cert.not_before,
            });
        }
        if self.now.0 > cert.not_after {
            return Err(ContentSignatureError::CertExpired {
                subject: subject(),
                not_after: cert.not_after,
            });
        }
        if let Some(record) = self.onecrl.and_then(|s| s.lookup(cert)) {
            return Err(ContentSignatureError::CertRevoked {
                subject: subject(),
                record: record.id.clone(),
            });
        }
        match verify::key_kind(cert.spki.der()) {
            Ok(KeyKind::P384) => Ok(()),
            Ok(KeyKind::Rsa { modulus_bits }) if modulus_bits >= MIN_RSA_BITS => Ok(()),
            Ok(KeyKind::Rsa { modulus_bits }) => Err(ContentSignatureError::CertKeyRefused {
                subject: subject(),
                why: format!("RSA of {modulus_bits} bits, under {MIN_RSA_BITS}"),
            }),
            Ok(KeyKind::P256) => Err(ContentSignatureError::CertKeyRefused {
                subject: subject(),
                why: "P-256; content signing accepts P-384 only".into(),
            }),
            Err(e) => Err(ContentSignatureError::CertKeyRefused {
                subject: subject(),
                why: e.to_string(),
            }),
        }
    }

    /// Extends `path` (indices into the chain, end entity first) to a
    /// pinned root, trying each candidate issuer in turn as mozpkix does.
    /// Returns the root.
    fn build(&self, path: &mut Vec<usize>) -> Result<Link<'a>, ContentSignatureError> {
        let current = self.chain[*path.last().expect("the path starts with the signer")];
        let sha256: [u8; 32] = Sha256::digest(current.der).into();
        if path.len() > 1 && self.trust.roots.contains(&sha256) {
            return Ok(current);
        }
        if path.len() >= MAX_CHAIN_LEN {
            return Err(ContentSignatureError::ChainTooLong {
                len: path.len() + 1,
            });
        }
        let mut first_error = None;
        for (index, issuer) in self.chain.iter().enumerate() {
            if path.contains(&index) || issuer.cert.subject_der != current.cert.issuer_der {
                continue;
            }
            let attempt = self
                .check_issuer(issuer, path.len() - 1)
                .and_then(|()| self.check_cert(issuer))
                .and_then(|()| self.check_signature(&current, issuer))
                .and_then(|()| {
                    path.push(index);
                    let found = self.build(path);
                    if found.is_err() {
                        path.pop();
                    }
                    found
                });
            match attempt {
                Ok(root) => return Ok(root),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| {
            if current.cert.is_self_issued() {
                ContentSignatureError::UntrustedRoot {
                    subject: current.cert.subject.clone(),
                    sha256: crate::hex::encode(&sha256),
                }
            } else {
                ContentSignatureError::IssuerNotFound {
                    subject: current.cert.subject.clone(),
                    issuer: current.cert.issuer.clone(),
                }
            }
        }))
    }

    /// An issuer's own constraints, `below` CA certificates beneath it on the path.
    fn check_issuer(&self, issuer: &Link<'_>, below: usize) -> Result<(), ContentSignatureError> {
        let cert = issuer.cert;
        let refuse = |why: &str| {
            Err(ContentSignatureError::IssuerNotCa {
                subject: cert.subject.clone(),
                why: why.into(),
            })
        };
        if !cert.is_ca {
            return refuse("basicConstraints does not make it a CA");
        }
        if cert.key_usage.is_some_and(|bits| bits & KEY_CERT_SIGN == 0) {
            return refuse("its keyUsage lacks keyCertSign");
        }
        if !cert.extended_key_usage.is_empty()
            && !cert.extended_key_usage.contains(&ID_KP_CODE_SIGNING)
        {
            return refuse("its extended key usage lacks codeSigning");
        }
        if cert.path_len.is_some_and(|max| below > usize::from(max)) {
            return refuse("its pathLenConstraint is exceeded");
        }
        Ok(())
    }

    fn check_signature(
        &self,
        subject: &Link<'_>,
        issuer: &Link<'_>,
    ) -> Result<(), ContentSignatureError> {
        let invalid = |why: SignatureError| ContentSignatureError::CertSignatureInvalid {
            subject: subject.cert.subject.clone(),
            why,
        };
        let signed = verify::signed_data(subject.der)
            .map_err(|e| invalid(SignatureError::MalformedAlgorithm(e.to_string())))?;
        if verify::parse_algorithm(signed.algorithm).map_err(invalid)?
            == SignatureAlgorithm::RsaPkcs1(Hash::Sha1)
        {
            return Err(invalid(SignatureError::UnsupportedAlgorithm(
                "SHA-1 signatures on a content signer's chain".into(),
            )));
        }
        signed
            .verify(issuer.cert.spki.der(), self.verifier)
            .map(|_| ())
            .map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_text_forms() {
        let raw = [7u8; 96];
        let b64 = BASE64URL.encode(raw);
        assert_eq!(parse_signature(&b64).unwrap(), raw);
        assert_eq!(parse_signature(&format!("p384ecdsa={b64}")).unwrap(), raw);
        assert_eq!(
            parse_signature(&format!("keyid=x; p384ecdsa={b64};")).unwrap(),
            raw
        );
        assert!(matches!(
            parse_signature(&format!("p256ecdsa={b64}")),
            Err(ContentSignatureError::MalformedSignature(_))
        ));
        assert!(parse_signature(&b64[..100]).is_err());
        assert!(parse_signature("!!!").is_err());
        let zero_r = BASE64URL.encode([[0u8; 48], [1u8; 48]].concat());
        assert!(parse_signature(&zero_r).is_err());
    }

    #[test]
    fn dns_name_matching() {
        assert!(name_matches(
            "onecrl.content-signature.mozilla.org",
            ONECRL_SIGNER
        ));
        assert!(name_matches(
            "ONECRL.content-signature.mozilla.org.",
            ONECRL_SIGNER
        ));
        assert!(name_matches(
            "*.content-signature.mozilla.org",
            ONECRL_SIGNER
        ));
        assert!(!name_matches("*.mozilla.org", ONECRL_SIGNER));
        assert!(!name_matches("*.org", "mozilla.org"));
        assert!(!name_matches(
            "remote-settings.content-signature.mozilla.org",
            ONECRL_SIGNER
        ));
        assert!(!name_matches(
            "onecrl.content-signature.mozilla.org.evil",
            ONECRL_SIGNER
        ));
    }
}
