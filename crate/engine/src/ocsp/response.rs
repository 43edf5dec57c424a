//! OCSP response validation (RFC 6960 section 4.2), as strict as mozpkix's
//! `pkixocsp.cpp`, with one error per way a response can fail.
//!
//! ```text
//! OCSPResponse      ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
//! ResponseBytes     ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
//! BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
//!                                  signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//! ```
//!
//! The signature is checked over the ResponseData bytes exactly as received;
//! the ResponseData itself is read with x509-ocsp's types.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagMode, TagNumber};
use serde::Serialize;
use x509_ocsp::{CertStatus, ResponderId, ResponseData, SingleResponse};

use crate::cert::Cert;
use crate::limits::{MAX_OCSP_RESPONSE_CERTS, MAX_OCSP_RESPONSE_LEN, MAX_OCSP_SINGLE_RESPONSES};
use crate::oid::{ID_PKIX_OCSP_BASIC, ID_PKIX_OCSP_NONCE, OCSP_SCT_LIST};
use crate::time::{UnixTime, ONE_DAY};
use crate::verify::{
    self, Hash, SignatureAlgorithm, SignatureError, SignatureVerifier, SignedData,
};

pub use crate::oid::ID_KP_OCSP_SIGNING;

/// mozpkix's clock slop for OCSP times: one day (`SLOP_SECONDS`, pkixocsp.cpp).
pub const OCSP_TIME_SLOP_SECS: u64 = ONE_DAY;

/// How long Firefox trusts an answer: nextUpdate, but never more than this
/// many days after thisUpdate (`maxOCSPLifetimeInDays`, a constant 10 in
/// NSSCertDBTrustDomain.cpp `CheckRevocationByOCSP`, not a pref).
pub const DEFAULT_MAX_LIFETIME_DAYS: u32 = 10;

/// Which CertID hash algorithms identify the certificate in a response
/// (RFC 6960 section 4.1.1: `CertID ::= SEQUENCE { hashAlgorithm, ... }`).
///
/// mozpkix matches only SHA-1 CertIDs: `MatchCertID` in pkixocsp.cpp skips a
/// SingleResponse hashed with anything else ("TODO: support SHA-2 hashes"),
/// so a response whose only answer has a SHA-256 CertID ends in
/// `ERROR_OCSP_RESPONSE_FOR_CERT_MISSING`. Other clients (OpenSSL, the
/// `ocsp` command) match SHA-2 CertIDs too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CertIdHashes {
    /// SHA-1 only, as Firefox (mozpkix).
    Sha1Only,
    /// SHA-1, SHA-256, SHA-384 or SHA-512.
    Any,
}

impl CertIdHashes {
    fn accepts(self, hash: Hash) -> bool {
        self == CertIdHashes::Any || hash == Hash::Sha1
    }
}

/// What the responder said, for our certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Answer {
    Good,
    Revoked {
        /// Seconds since the epoch.
        revocation_time: u64,
        /// The CRLReason's name, when the responder gave one.
        reason: Option<&'static str>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

impl Answer {
    /// `good`, `revoked` or `unknown`: the `status` token it serialises with.
    pub fn as_str(&self) -> &'static str {
        match self {
            Answer::Good => "good",
            Answer::Revoked { .. } => "revoked",
            Answer::Unknown => "unknown",
        }
    }
}

/// Who signed the response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "OcspSigner"))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Signer {
    /// The issuer of the certificate itself.
    Issuer,
    /// A responder certificate the issuer delegated to (RFC 6960 section 4.2.2.2).
    Delegated { subject: String, serial_hex: String },
}

/// A response that passed every check, and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ValidResponse {
    #[serde(flatten)]
    pub answer: Answer,
    pub produced_at: u64,
    pub this_update: u64,
    pub next_update: Option<u64>,
    /// Until when the answer may be used: nextUpdate capped at thisUpdate
    /// plus the maximum lifetime, or thisUpdate plus one day without
    /// nextUpdate (mozpkix). Revoked answers are used past it.
    pub valid_until: u64,
    /// A revoked or unknown answer past `valid_until` (plus the slop). It
    /// still stands as an answer; Firefox defers an expired staple to live
    /// OCSP whatever it says.
    pub expired: bool,
    pub signer: Signer,
    pub signature_algorithm: SignatureAlgorithm,
    /// The hash of the CertID that matched.
    pub cert_id_hash: Hash,
    /// The response's nonce extension, if any (hex). Firefox sends none and
    /// ignores it; a user probing a responder compares it with the one sent.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "hex_opt")]
    #[cfg_attr(feature = "typescript", ts(optional, as = "Option<String>"))]
    pub nonce: Option<Vec<u8>>,
}

fn hex_opt<S: serde::Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => s.serialize_str(&crate::hex::encode(b)),
        None => s.serialize_none(),
    }
}

/// A responseStatus other than successful (RFC 6960 section 4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorStatus {
    MalformedRequest,
    InternalError,
    TryLater,
    SigRequired,
    Unauthorized,
    /// A value RFC 6960 does not define (4 is unused; 7 and up are not assigned).
    Other(u8),
}

impl std::fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MalformedRequest => f.write_str("malformedRequest (1)"),
            Self::InternalError => f.write_str("internalError (2)"),
            Self::TryLater => f.write_str("tryLater (3)"),
            Self::SigRequired => f.write_str("sigRequired (5)"),
            Self::Unauthorized => f.write_str("unauthorized (6)"),
            Self::Other(n) => write!(f, "undefined status {n}"),
        }
    }
}

/// Why a response cannot be used. One variant per failure; [`OcspError::code`]
/// gives a stable token for traces and measurements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcspError {
    /// No bytes at all.
    Empty,
    TooLarge {
        len: usize,
        max: usize,
    },
    /// Not DER, or not the RFC 6960 structure; `part` says where.
    Malformed {
        part: &'static str,
        cause: String,
    },
    /// The responder answered with an error status instead of a response.
    ResponderStatus(ErrorStatus),
    /// responseStatus successful, but no responseBytes.
    NoResponseBytes,
    /// A responseType other than id-pkix-ocsp-basic (mozpkix calls this
    /// malformed; the precise reason helps more).
    UnsupportedResponseType(String),
    /// A ResponseData version other than v1, the only one RFC 6960 section
    /// 4.2.1 defines; `version` is the INTEGER as encoded (1 is v2). mozpkix
    /// calls this malformed; the precise reason helps more.
    UnsupportedVersion {
        version: u64,
    },
    /// A critical extension we do not understand, in the response or in our SingleResponse.
    UnknownCriticalExtension {
        oid: String,
    },
    /// No certificate can have signed it: the ResponderID names neither the
    /// issuer nor a valid delegated responder certificate in the response.
    InvalidSigner(String),
    /// The signature does not verify, or cannot be checked.
    Signature(SignatureError),
    /// No SingleResponse is about our certificate.
    ResponseForCertMissing,
    /// thisUpdate is later than the evaluation time plus the slop.
    NotYetValid {
        this_update: u64,
    },
    /// nextUpdate is earlier than thisUpdate.
    NextUpdateBeforeThisUpdate,
    /// A good answer past its validity (mozpkix: ERROR_OCSP_OLD_RESPONSE).
    Expired {
        valid_until: u64,
    },
}

impl OcspError {
    /// A short stable token, like mozpkix's error names.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too-large",
            Self::Malformed { .. } => "malformed",
            Self::ResponderStatus(ErrorStatus::MalformedRequest) => "malformed-request",
            Self::ResponderStatus(ErrorStatus::InternalError) => "internal-error",
            Self::ResponderStatus(ErrorStatus::TryLater) => "try-later",
            Self::ResponderStatus(ErrorStatus::SigRequired) => "sig-required",
            Self::ResponderStatus(ErrorStatus::Unauthorized) => "unauthorized",
            Self::ResponderStatus(ErrorStatus::Other(_)) => "unknown-response-status",
            Self::NoResponseBytes => "no-response-bytes",
            Self::UnsupportedResponseType(_) => "unsupported-response-type",
            Self::UnsupportedVersion { .. } => "unsupported-version",
            Self::UnknownCriticalExtension { .. } => "unknown-critical-extension",
            Self::InvalidSigner(_) => "invalid-signer",
            Self::Signature(SignatureError::BadSignature) => "bad-signature",
            // Our side could not check (WebCrypto failed): not the responder's fault.
            Self::Signature(SignatureError::Backend(_) | SignatureError::NotChecked) => {
                "signature-not-checked"
            }
            Self::Signature(_) => "unsupported-signature",
            Self::ResponseForCertMissing => "response-for-cert-missing",
            Self::NotYetValid { .. } => "future-response",
            Self::NextUpdateBeforeThisUpdate => "malformed",
            Self::Expired { .. } => "expired",
        }
    }

    /// Firefox keeps these stapled-response failures aside and still tries
    /// live OCSP (NSSCertDBTrustDomain.cpp, `CheckRevocationByOCSP`: "allowed
    /// for compatibility"); any other stapled failure decides. An expired
    /// revoked or unknown staple is deferred too ([`ValidResponse::expired`]).
    pub fn stapled_failure_is_deferred(&self) -> bool {
        matches!(
            self,
            Self::Expired { .. }
                | Self::ResponderStatus(ErrorStatus::TryLater)
                | Self::InvalidSigner(_)
                | Self::ResponseForCertMissing
                // Not Firefox's (its signature code cannot fail this way):
                // a staple we could not check is no verdict on the server.
                | Self::Signature(SignatureError::Backend(_) | SignatureError::NotChecked)
        )
    }
}

impl std::fmt::Display for OcspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("the OCSP response is empty"),
            Self::TooLarge { len, max } => write!(
                f,
                "the OCSP response is {len} bytes, over the {max}-byte limit"
            ),
            Self::Malformed { part, cause } => {
                write!(f, "malformed OCSP response ({part}): {cause}")
            }
            Self::ResponderStatus(status) => {
                write!(f, "the responder answered {status} instead of a status")
            }
            Self::NoResponseBytes => {
                f.write_str("the response says successful but carries no response")
            }
            Self::UnsupportedResponseType(oid) => {
                write!(f, "response type {oid} is not id-pkix-ocsp-basic")
            }
            Self::UnsupportedVersion { version } => write!(
                f,
                "unsupported OCSP response version {}",
                u128::from(*version) + 1
            ),
            Self::UnknownCriticalExtension { oid } => {
                write!(f, "unknown critical extension {oid} in the OCSP response")
            }
            Self::InvalidSigner(why) => write!(f, "invalid OCSP signer: {why}"),
            Self::Signature(e) => write!(f, "OCSP response signature: {e}"),
            Self::ResponseForCertMissing => {
                f.write_str("the response has no answer for this certificate")
            }
            Self::NotYetValid { this_update } => write!(
                f,
                "the response's thisUpdate {} is in the future (beyond one day of clock slop)",
                UnixTime(*this_update)
            ),
            Self::NextUpdateBeforeThisUpdate => {
                f.write_str("the response's nextUpdate is before its thisUpdate")
            }
            Self::Expired { valid_until } => {
                write!(f, "the response expired at {}", UnixTime(*valid_until))
            }
        }
    }
}

impl std::error::Error for OcspError {}

fn malformed(part: &'static str) -> impl Fn(der::Error) -> OcspError {
    move |e| OcspError::Malformed {
        part,
        cause: e.to_string(),
    }
}

/// Validates `response` as an answer about `cert`, issued by `issuer`, at
/// `time`, matching CertIDs of any supported hash ([`CertIdHashes::Any`]).
pub fn validate(
    response: &[u8],
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
    verifier: &dyn SignatureVerifier,
) -> Result<ValidResponse, OcspError> {
    validate_with(
        response,
        cert,
        issuer,
        time,
        max_lifetime_days,
        CertIdHashes::Any,
        verifier,
    )
}

/// [`validate`], matching only CertIDs hashed as `cert_id_hashes` allows; a
/// response with no such answer is [`OcspError::ResponseForCertMissing`].
pub fn validate_with(
    response: &[u8],
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
    cert_id_hashes: CertIdHashes,
    verifier: &dyn SignatureVerifier,
) -> Result<ValidResponse, OcspError> {
    if response.is_empty() {
        return Err(OcspError::Empty);
    }
    if response.len() > MAX_OCSP_RESPONSE_LEN {
        return Err(OcspError::TooLarge {
            len: response.len(),
            max: MAX_OCSP_RESPONSE_LEN,
        });
    }
    let basic = response_bytes(response)?;
    let basic = BasicResponse::read(basic)?;
    check_version(basic.signed.data)?;
    let data = ResponseData::from_der(basic.signed.data).map_err(malformed("ResponseData"))?;
    let mut nonce = None;
    if let Some(exts) = &data.response_extensions {
        for ext in exts {
            if ext.extn_id == ID_PKIX_OCSP_NONCE {
                // The value holds an OCTET STRING (RFC 8954); some responders
                // put the bare nonce there instead, which is reported as is.
                let value = ext.extn_value.as_bytes();
                nonce = Some(
                    OctetString::from_der(value)
                        .map(|o| o.as_bytes().to_vec())
                        .unwrap_or_else(|_| value.to_vec()),
                );
            } else if ext.critical {
                return Err(OcspError::UnknownCriticalExtension {
                    oid: ext.extn_id.to_string(),
                });
            }
        }
    }
    if data.responses.len() > MAX_OCSP_SINGLE_RESPONSES {
        return Err(OcspError::Malformed {
            part: "responses",
            cause: format!(
                "{} SingleResponses, over the limit of {MAX_OCSP_SINGLE_RESPONSES}",
                data.responses.len()
            ),
        });
    }

    // Who signed it, and does the signature hold? Checked before anything
    // the response says is believed.
    let (signer, signature_algorithm) =
        check_signature(&data.responder_id, &basic, issuer, time, verifier)?;

    let produced_at = secs(&data.produced_at);
    let mut found: Option<(Answer, &SingleResponse, Hash)> = None;
    for single in &data.responses {
        let Some(hash) =
            matching_cert_id(single, cert, issuer).filter(|hash| cert_id_hashes.accepts(*hash))
        else {
            continue;
        };
        if let Some(exts) = &single.single_extensions {
            // The embedded SCT list is the one single extension mozpkix understands.
            if let Some(ext) = exts
                .iter()
                .find(|e| e.critical && e.extn_id != OCSP_SCT_LIST)
            {
                return Err(OcspError::UnknownCriticalExtension {
                    oid: ext.extn_id.to_string(),
                });
            }
        }
        let answer = match single.cert_status {
            CertStatus::Good(_) => Answer::Good,
            CertStatus::Revoked(info) => Answer::Revoked {
                revocation_time: secs(&info.revocation_time),
                reason: info.revocation_reason.map(reason_name),
            },
            CertStatus::Unknown(_) => Answer::Unknown,
        };
        // Several answers for one certificate: revoked beats good beats unknown.
        let rank = |a: &Answer| match a {
            Answer::Revoked { .. } => 2,
            Answer::Good => 1,
            Answer::Unknown => 0,
        };
        if found
            .as_ref()
            .is_none_or(|(best, _, _)| rank(&answer) > rank(best))
        {
            found = Some((answer, single, hash));
        }
    }
    let Some((answer, single, cert_id_hash)) = found else {
        return Err(OcspError::ResponseForCertMissing);
    };

    let this_update = secs(&single.this_update);
    let next_update = single.next_update.as_ref().map(secs);
    if this_update > time.0.saturating_add(OCSP_TIME_SLOP_SECS) {
        return Err(OcspError::NotYetValid { this_update });
    }
    let max_until = this_update.saturating_add(u64::from(max_lifetime_days) * ONE_DAY);
    let valid_until = match next_update {
        Some(next) if next < this_update => return Err(OcspError::NextUpdateBeforeThisUpdate),
        Some(next) => next.min(max_until),
        None => this_update.saturating_add(ONE_DAY),
    };
    // mozpkix: only a good answer fails for its age (ERROR_OCSP_OLD_RESPONSE);
    // revoked and unknown stand, marked expired.
    let expired = time.0 > valid_until.saturating_add(OCSP_TIME_SLOP_SECS);
    if expired && answer == Answer::Good {
        return Err(OcspError::Expired { valid_until });
    }
    Ok(ValidResponse {
        answer,
        produced_at,
        this_update,
        next_update,
        valid_until,
        expired,
        signer,
        signature_algorithm,
        cert_id_hash,
        nonce,
    })
}

/// ```text
/// ResponseData ::= SEQUENCE {                       -- RFC 6960 section 4.2.1
///    version              [0] EXPLICIT Version DEFAULT v1,
///    ... }
/// Version ::= INTEGER { v1(0) }
/// ```
/// A version that is a well-formed INTEGER but not v1 is refused as such;
/// anything that does not decode is left to the ResponseData decoder, which
/// says where.
fn check_version(response_data: &[u8]) -> Result<(), OcspError> {
    use der::Tagged;
    let version = der::asn1::AnyRef::from_der(response_data)
        .and_then(|data| data.tag().assert_eq(Tag::Sequence).map(|_| data.value()))
        .and_then(SliceReader::new)
        .and_then(|mut r| r.context_specific::<u64>(TagNumber::N0, TagMode::Explicit));
    match version {
        Ok(Some(version)) if version != 0 => Err(OcspError::UnsupportedVersion { version }),
        _ => Ok(()),
    }
}

/// Reads OCSPResponse and returns the BasicOCSPResponse bytes.
fn response_bytes(response: &[u8]) -> Result<&[u8], OcspError> {
    let body = exact_tlv(response, Tag::Sequence, "OCSPResponse")?;
    let mut r = SliceReader::new(body).map_err(malformed("OCSPResponse"))?;
    let status = read_tlv(&mut r, Tag::Enumerated, "responseStatus")?;
    match status {
        [0] => {}
        [1] => return Err(OcspError::ResponderStatus(ErrorStatus::MalformedRequest)),
        [2] => return Err(OcspError::ResponderStatus(ErrorStatus::InternalError)),
        [3] => return Err(OcspError::ResponderStatus(ErrorStatus::TryLater)),
        [5] => return Err(OcspError::ResponderStatus(ErrorStatus::SigRequired)),
        [6] => return Err(OcspError::ResponderStatus(ErrorStatus::Unauthorized)),
        [n] if *n < 0x80 => return Err(OcspError::ResponderStatus(ErrorStatus::Other(*n))),
        _ => {
            return Err(OcspError::Malformed {
                part: "responseStatus",
                cause: "not a one-octet ENUMERATED value".into(),
            })
        }
    }
    if r.is_finished() {
        return Err(OcspError::NoResponseBytes);
    }
    let explicit = read_tlv(
        &mut r,
        Tag::ContextSpecific {
            constructed: true,
            number: TagNumber::N0,
        },
        "responseBytes",
    )?;
    finished(&r, "OCSPResponse")?;
    let bytes = exact_tlv(explicit, Tag::Sequence, "responseBytes")?;
    let mut b = SliceReader::new(bytes).map_err(malformed("responseBytes"))?;
    let response_type: ObjectIdentifier = b.decode().map_err(malformed("responseType"))?;
    let basic = read_tlv(&mut b, Tag::OctetString, "response")?;
    finished(&b, "responseBytes")?;
    if response_type != ID_PKIX_OCSP_BASIC {
        return Err(OcspError::UnsupportedResponseType(
            response_type.to_string(),
        ));
    }
    Ok(basic)
}

/// Reads one TLV that must carry `tag`; returns its content octets.
fn read_tlv<'a>(
    r: &mut SliceReader<'a>,
    tag: Tag,
    part: &'static str,
) -> Result<&'a [u8], OcspError> {
    let header = der::Header::decode(r).map_err(malformed(part))?;
    if header.tag != tag {
        return Err(OcspError::Malformed {
            part,
            cause: format!("expected {tag}, found {}", header.tag),
        });
    }
    r.read_slice(header.length).map_err(malformed(part))
}

/// `der` is exactly one TLV carrying `tag`; returns its content octets.
fn exact_tlv<'a>(der: &'a [u8], tag: Tag, part: &'static str) -> Result<&'a [u8], OcspError> {
    let mut r = SliceReader::new(der).map_err(malformed(part))?;
    let content = read_tlv(&mut r, tag, part)?;
    finished(&r, part)?;
    Ok(content)
}

fn finished(r: &SliceReader<'_>, part: &'static str) -> Result<(), OcspError> {
    if r.is_finished() {
        Ok(())
    } else {
        Err(OcspError::Malformed {
            part,
            cause: format!("{} bytes of trailing data", u32::from(r.remaining_len())),
        })
    }
}

/// The parts of a BasicOCSPResponse, as slices of the received bytes.
struct BasicResponse<'a> {
    signed: SignedData<'a>,
    /// DER of each certificate in `certs`.
    certs: Vec<&'a [u8]>,
}

impl<'a> BasicResponse<'a> {
    fn read(der: &'a [u8]) -> Result<Self, OcspError> {
        let body = exact_tlv(der, Tag::Sequence, "BasicOCSPResponse")?;
        let mut r = SliceReader::new(body).map_err(malformed("BasicOCSPResponse"))?;
        let signed = SignedData::read(&mut r).map_err(malformed("BasicOCSPResponse"))?;
        let mut certs = Vec::new();
        if !r.is_finished() {
            let explicit = read_tlv(
                &mut r,
                Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber::N0,
                },
                "certs",
            )?;
            let list = exact_tlv(explicit, Tag::Sequence, "certs")?;
            let mut l = SliceReader::new(list).map_err(malformed("certs"))?;
            while !l.is_finished() {
                if certs.len() == MAX_OCSP_RESPONSE_CERTS {
                    return Err(OcspError::Malformed {
                        part: "certs",
                        cause: format!("more than {MAX_OCSP_RESPONSE_CERTS} certificates"),
                    });
                }
                certs.push(l.tlv_bytes().map_err(malformed("certs"))?);
            }
        }
        finished(&r, "BasicOCSPResponse")?;
        Ok(BasicResponse { signed, certs })
    }
}

/// The ResponderID names this certificate: its subject bytes, or the SHA-1
/// of its key (RFC 6960 section 4.2.2.3).
fn responder_id_matches(id: &ResponderId, cert: &Cert) -> bool {
    match id {
        ResponderId::ByName(name) => name.to_der().is_ok_and(|der| der == cert.subject_der),
        ResponderId::ByKey(hash) => hash.as_bytes() == cert.public_key_sha1(),
    }
}

/// Finds the signer as mozpkix does: the issuer if the ResponderID names
/// it, else a certificate in the response that the ResponderID names and
/// that passes the delegated-responder checks. Then checks the signature.
fn check_signature(
    id: &ResponderId,
    basic: &BasicResponse<'_>,
    issuer: &Cert,
    time: UnixTime,
    verifier: &dyn SignatureVerifier,
) -> Result<(Signer, SignatureAlgorithm), OcspError> {
    if responder_id_matches(id, issuer) {
        let algorithm = basic
            .signed
            .verify(issuer.spki.der(), verifier)
            .map_err(OcspError::Signature)?;
        return Ok((Signer::Issuer, algorithm));
    }
    let mut why_not = None;
    for der in &basic.certs {
        let candidate = Cert::from_der(der).map_err(|e| {
            OcspError::InvalidSigner(format!("a certificate in the response cannot be read: {e}"))
        })?;
        if !responder_id_matches(id, &candidate) {
            continue;
        }
        match check_delegated_signer(der, &candidate, issuer, time, verifier) {
            Ok(()) => {
                let algorithm = basic
                    .signed
                    .verify(candidate.spki.der(), verifier)
                    .map_err(OcspError::Signature)?;
                let signer = Signer::Delegated {
                    subject: candidate.subject.clone(),
                    serial_hex: candidate.serial_hex(),
                };
                return Ok((signer, algorithm));
            }
            Err(why) => why_not = Some(why),
        }
    }
    Err(OcspError::InvalidSigner(why_not.unwrap_or_else(|| {
        format!(
            "the responder ID names neither the issuer ({}) nor a certificate included in the response",
            issuer.subject
        )
    })))
}

/// RFC 6960 section 4.2.2.2, as mozpkix's `CheckOCSPResponseSignerCert`
/// applies it: issued and signed by the certificate's issuer, an end entity,
/// valid now, with the id-kp-OCSPSigning extended key usage.
fn check_delegated_signer(
    der: &[u8],
    candidate: &Cert,
    issuer: &Cert,
    time: UnixTime,
    verifier: &dyn SignatureVerifier,
) -> Result<(), String> {
    let name = &candidate.subject;
    if candidate.issuer_der != issuer.subject_der {
        return Err(format!(
            "responder certificate {name} was issued by {}, not by {}",
            candidate.issuer, issuer.subject
        ));
    }
    if !candidate.extended_key_usage.contains(&ID_KP_OCSP_SIGNING) {
        return Err(format!(
            "responder certificate {name} lacks the id-kp-OCSPSigning extended key usage"
        ));
    }
    if candidate.is_ca {
        return Err(format!("responder certificate {name} is a CA certificate"));
    }
    if time.0 < candidate.not_before || time.0 > candidate.not_after {
        return Err(format!(
            "responder certificate {name} is not valid at {time} (valid {} to {})",
            UnixTime(candidate.not_before),
            UnixTime(candidate.not_after)
        ));
    }
    let signed = verify::signed_data(der)
        .map_err(|e| format!("responder certificate {name} is malformed: {e}"))?;
    signed.verify(issuer.spki.der(), verifier).map_err(|e| {
        format!(
            "responder certificate {name} is not signed by {}: {e}",
            issuer.subject
        )
    })?;
    Ok(())
}

/// The CertID is about `cert`: same serial, and the issuer's name and key
/// hashed with the CertID's own algorithm. Returns that algorithm.
fn matching_cert_id(single: &SingleResponse, cert: &Cert, issuer: &Cert) -> Option<Hash> {
    let id = &single.cert_id;
    if id.serial_number.as_bytes() != cert.serial.as_slice() {
        return None;
    }
    let hash = Hash::from_digest_oid(&id.hash_algorithm.oid)?;
    // The name hashed is the certificate's issuer field (mozpkix hashes the
    // child's issuer bytes); the key is the issuer's subjectPublicKey bits.
    let key_hash = match hash {
        Hash::Sha1 => issuer.public_key_sha1().to_vec(),
        other => other.digest(&issuer.public_key),
    };
    (id.issuer_name_hash.as_bytes() == hash.digest(&cert.issuer_der).as_slice()
        && id.issuer_key_hash.as_bytes() == key_hash.as_slice())
    .then_some(hash)
}

fn secs(t: &x509_ocsp::OcspGeneralizedTime) -> u64 {
    t.0.to_unix_duration().as_secs()
}

fn reason_name(reason: x509_cert::ext::pkix::CrlReason) -> &'static str {
    use x509_cert::ext::pkix::CrlReason::*;
    match reason {
        Unspecified => "unspecified",
        KeyCompromise => "keyCompromise",
        CaCompromise => "cACompromise",
        AffiliationChanged => "affiliationChanged",
        Superseded => "superseded",
        CessationOfOperation => "cessationOfOperation",
        CertificateHold => "certificateHold",
        RemoveFromCRL => "removeFromCRL",
        PrivilegeWithdrawn => "privilegeWithdrawn",
        AaCompromise => "aACompromise",
    }
}
