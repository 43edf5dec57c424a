//! The leaf's issuer when the chain lacks it: who it is, where to fetch it
//! (the AIA caIssuers URL, RFC 5280 section 4.2.2.1), and whether what the
//! host fetched really is it.
//!
//! A certificate given alone is either a root (self-signed: the same
//! subject and issuer, and its signature verifies with its own key, as
//! Firefox's `CertIsSelfSigned` in SSLServerCertVerification.cpp and
//! Chromium's `X509Certificate::IsSelfSigned` decide) or a certificate whose
//! issuer is missing. Chrome completes such a chain from caIssuers while it
//! builds the path; Firefox does not fetch (it preloads intermediates from
//! Remote Settings). The engine stays pure: the ladder returns `pending`
//! with an [`IssuerFetch`], the host fetches, and the ladder, given the
//! host's [`FetchOutcome`], checks the body here before it uses it.
//!
//! ```text
//! -- RFC 5280 4.2.2.1: "a single DER encoded certificate" or "a collection of
//! -- certificates in a BER or DER encoded 'certs-only' CMS message".
//! ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER (id-signedData),
//!                            content [0] EXPLICIT SignedData }
//! SignedData  ::= SEQUENCE { version INTEGER, digestAlgorithms SET,
//!                            encapContentInfo SEQUENCE,
//!                            certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!                            crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//!                            signerInfos SET }          -- RFC 5652 section 5.1
//! ```
//!
//! Only DER is read: a BER message with indefinite lengths is `malformed`.

use der::asn1::ObjectIdentifier;
use der::{Decode, Header, Reader, SliceReader, Tag, TagNumber};
use serde::Serialize;

use crate::cert::Cert;
use crate::limits::{MAX_ISSUER_BUNDLE_CERTS, MAX_ISSUER_FETCH_LEN};
use crate::ocsp::FetchOutcome;
use crate::oid::ID_SIGNED_DATA;
use crate::verify::{signed_data, SignatureVerifier};

/// What the host should fetch to complete the chain: a plain GET of `url`,
/// body at most `max_len` bytes, under the live OCSP timeout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct IssuerFetch {
    pub url: String,
    pub max_len: usize,
}

impl IssuerFetch {
    /// The fetch for `cert`'s first http:// caIssuers URL (RFC 5280 section
    /// 4.2.2.1 names HTTP and LDAP; Chromium fetches http:// only).
    pub fn for_cert(cert: &Cert) -> Option<Self> {
        cert.ca_issuers_urls
            .iter()
            .find(|url| url.starts_with("http://"))
            .map(|url| IssuerFetch {
                url: url.clone(),
                max_len: MAX_ISSUER_FETCH_LEN,
            })
    }
}

/// How the fetched body carried the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    /// One DER certificate.
    Der,
    /// A PKCS#7 / CMS "certs-only" SignedData.
    Pkcs7,
}

impl BodyFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyFormat::Der => "DER",
            BodyFormat::Pkcs7 => "PKCS#7",
        }
    }
}

/// The issuer, fetched and checked.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub der: Vec<u8>,
    pub cert: Cert,
    pub format: BodyFormat,
    /// The body's length.
    pub len: usize,
    pub elapsed_ms: u32,
}

/// Why the fetched body gives no issuer. `code` is the trace token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssuerError {
    Timeout,
    Refused,
    Dns,
    Tls,
    Network {
        message: String,
    },
    HttpStatus {
        status: u16,
    },
    EmptyBody,
    /// Over [`MAX_ISSUER_FETCH_LEN`] (announced, or read).
    TooLarge {
        len: usize,
    },
    /// Neither a DER certificate nor a DER certs-only message.
    Malformed {
        cause: String,
    },
    /// A certs-only message with no certificate, or more than the limit.
    Certificates {
        count: usize,
    },
    /// No certificate in the body is the issuer: the most specific reason.
    NotTheIssuer {
        why: String,
    },
}

impl IssuerError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Refused => "refused",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::Network { .. } => "network",
            Self::HttpStatus { .. } => "http-status",
            Self::EmptyBody => "empty-body",
            Self::TooLarge { .. } => "oversize-body",
            Self::Malformed { .. } => "malformed",
            Self::Certificates { .. } => "certificate-count",
            Self::NotTheIssuer { .. } => "not-the-issuer",
        }
    }
}

impl std::fmt::Display for IssuerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("no answer in time"),
            Self::Refused => f.write_str("the connection was refused"),
            Self::Dns => f.write_str("the host name did not resolve"),
            Self::Tls => f.write_str("the TLS handshake failed"),
            Self::Network { message } => write!(f, "network error: {message}"),
            Self::HttpStatus { status } => write!(f, "the server answered HTTP {status}"),
            Self::EmptyBody => f.write_str("the server sent an empty body"),
            Self::TooLarge { len } => write!(
                f,
                "the server sent {len} bytes, over the {MAX_ISSUER_FETCH_LEN}-byte limit"
            ),
            Self::Malformed { cause } => write!(
                f,
                "the body is neither a DER certificate nor a DER PKCS#7 certs-only message: {cause}"
            ),
            Self::Certificates { count: 0 } => {
                f.write_str("the PKCS#7 message carries no certificate")
            }
            Self::Certificates { .. } => write!(
                f,
                "the PKCS#7 message carries more than {MAX_ISSUER_BUNDLE_CERTS} certificates"
            ),
            Self::NotTheIssuer { why } => f.write_str(why),
        }
    }
}

impl std::error::Error for IssuerError {}

/// Self-signed: subject and issuer are the same bytes and the signature
/// verifies with the certificate's own key (Firefox's `CertIsSelfSigned`,
/// Chromium's `X509Certificate::IsSelfSigned`). Names alone would take a
/// self-issued intermediate (a CA's key rollover certificate) for a root.
pub fn is_self_signed(cert: &Cert, der: &[u8], verifier: &dyn SignatureVerifier) -> bool {
    cert.is_self_issued() && signs(cert.spki.der(), der, verifier).is_ok()
}

/// The signature of the certificate `der` verifies with `spki_der`.
fn signs(spki_der: &[u8], der: &[u8], verifier: &dyn SignatureVerifier) -> Result<(), String> {
    let signed = signed_data(der).map_err(|e| e.to_string())?;
    signed
        .verify(spki_der, verifier)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks what the host fetched for `leaf` (whose DER is `leaf_der`) and
/// returns the certificate that issued it: its subject is the leaf's issuer
/// name (the same bytes, as mozpkix matches names when it builds a path)
/// and the leaf's signature verifies with its key.
pub fn check_fetched(
    leaf: &Cert,
    leaf_der: &[u8],
    outcome: &FetchOutcome,
    verifier: &dyn SignatureVerifier,
) -> Result<Fetched, IssuerError> {
    let body = match outcome {
        FetchOutcome::Timeout { .. } => return Err(IssuerError::Timeout),
        FetchOutcome::Refused { .. } => return Err(IssuerError::Refused),
        FetchOutcome::Dns { .. } => return Err(IssuerError::Dns),
        FetchOutcome::Tls { .. } => return Err(IssuerError::Tls),
        FetchOutcome::Network { message, .. } => {
            return Err(IssuerError::Network {
                message: message.clone(),
            })
        }
        FetchOutcome::TooLarge { len, .. } => return Err(IssuerError::TooLarge { len: *len }),
        FetchOutcome::Response { http_status, .. } if *http_status != 200 => {
            return Err(IssuerError::HttpStatus {
                status: *http_status,
            })
        }
        FetchOutcome::Response { body, .. } => body,
    };
    if body.is_empty() {
        return Err(IssuerError::EmptyBody);
    }
    if body.len() > MAX_ISSUER_FETCH_LEN {
        return Err(IssuerError::TooLarge { len: body.len() });
    }
    let (format, candidates) = certificates(body)?;
    // The leaf's signed parts, read once for every candidate key.
    let leaf_signed = signed_data(leaf_der).map_err(|e| e.to_string());
    let verifies_leaf = |spki_der: &[u8]| match &leaf_signed {
        Ok(signed) => signed
            .verify(spki_der, verifier)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.clone()),
    };
    let mut why_not: Option<(u8, String)> = None;
    for der in candidates {
        let rank_and_why = match Cert::from_der(der) {
            // A body that is one DER element but no certificate is what the
            // caIssuers URL should not serve at all.
            Err(e) if format == BodyFormat::Der => {
                return Err(IssuerError::Malformed {
                    cause: e.to_string(),
                })
            }
            Err(e) => (0, format!("a fetched certificate cannot be read: {e}")),
            Ok(cert) if cert.subject_der != leaf.issuer_der => (
                1,
                format!(
                    "the fetched certificate {} is not the certificate's issuer {}",
                    cert.subject, leaf.issuer
                ),
            ),
            Ok(cert) => match verifies_leaf(cert.spki.der()) {
                Ok(()) => {
                    return Ok(Fetched {
                        der: der.to_vec(),
                        cert,
                        format,
                        len: body.len(),
                        elapsed_ms: outcome.elapsed_ms(),
                    })
                }
                Err(e) => (
                    2,
                    format!(
                        "the fetched certificate {} has the issuer's name, but the certificate's signature does not verify with its key: {e}",
                        cert.subject
                    ),
                ),
            },
        };
        if why_not
            .as_ref()
            .is_none_or(|(rank, _)| rank_and_why.0 > *rank)
        {
            why_not = Some(rank_and_why);
        }
    }
    Err(IssuerError::NotTheIssuer {
        why: why_not.map(|(_, why)| why).unwrap_or_default(),
    })
}

/// The certificates of a caIssuers body: one DER certificate, or those of a
/// certs-only SignedData (other CertificateChoices are skipped).
pub fn certificates(body: &[u8]) -> Result<(BodyFormat, Vec<&[u8]>), IssuerError> {
    let malformed = |e: der::Error| IssuerError::Malformed {
        cause: e.to_string(),
    };
    let (tag, outer) = whole_tlv(body).map_err(malformed)?;
    if tag != Tag::Sequence {
        return Err(IssuerError::Malformed {
            cause: format!("the outer element is {tag}, not a SEQUENCE"),
        });
    }
    let mut r = SliceReader::new(outer).map_err(malformed)?;
    let first = Header::decode(&mut r).map_err(malformed)?;
    if first.tag != Tag::ObjectIdentifier {
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... }
        return Ok((BodyFormat::Der, vec![body]));
    }
    let oid_bytes = r.read_slice(first.length).map_err(malformed)?;
    let oid = ObjectIdentifier::from_bytes(oid_bytes).map_err(|e| IssuerError::Malformed {
        cause: e.to_string(),
    })?;
    if oid != ID_SIGNED_DATA {
        return Err(IssuerError::Malformed {
            cause: format!("content type {oid}, not id-signedData"),
        });
    }
    let content = expect(&mut r, context(0)).map_err(malformed)?;
    r.finish(()).map_err(malformed)?;
    let (tag, signed) = whole_tlv(content).map_err(malformed)?;
    if tag != Tag::Sequence {
        return Err(IssuerError::Malformed {
            cause: format!("SignedData is {tag}, not a SEQUENCE"),
        });
    }
    let mut r = SliceReader::new(signed).map_err(malformed)?;
    expect(&mut r, Tag::Integer).map_err(malformed)?; // version
    expect(&mut r, Tag::Set).map_err(malformed)?; // digestAlgorithms
    expect(&mut r, Tag::Sequence).map_err(malformed)?; // encapContentInfo
    let mut certs = Vec::new();
    let header = Header::decode(&mut r).map_err(malformed)?;
    if header.tag == context(0) {
        let set = r.read_slice(header.length).map_err(malformed)?;
        let mut s = SliceReader::new(set).map_err(malformed)?;
        while !s.is_finished() {
            let tlv = s.tlv_bytes().map_err(malformed)?;
            // CertificateChoices: only `certificate` (a SEQUENCE) is one.
            if tlv.first() == Some(&0x30) {
                if certs.len() == MAX_ISSUER_BUNDLE_CERTS {
                    return Err(IssuerError::Certificates {
                        count: certs.len() + 1,
                    });
                }
                certs.push(tlv);
            }
        }
    }
    if certs.is_empty() {
        return Err(IssuerError::Certificates { count: 0 });
    }
    Ok((BodyFormat::Pkcs7, certs))
}

fn context(number: u8) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::new(number),
    }
}

/// `bytes` is exactly one TLV: its tag and contents.
fn whole_tlv(bytes: &[u8]) -> der::Result<(Tag, &[u8])> {
    let mut r = SliceReader::new(bytes)?;
    let header = Header::decode(&mut r)?;
    let value = r.read_slice(header.length)?;
    r.finish((header.tag, value))
}

/// Reads the next TLV, which must carry `tag`, and returns its contents.
fn expect<'a>(r: &mut SliceReader<'a>, tag: Tag) -> der::Result<&'a [u8]> {
    let header = Header::decode(r)?;
    if header.tag != tag {
        return Err(der::ErrorKind::TagUnexpected {
            expected: Some(tag),
            actual: header.tag,
        }
        .into());
    }
    r.read_slice(header.length)
}
