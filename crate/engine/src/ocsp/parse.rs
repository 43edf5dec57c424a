//! Reading an OCSP response (RFC 6960 section 4.2.1) without validating it:
//! **what the response says, not whether to believe it.** No signature is
//! checked, no signer looked for, no time compared with a clock; for that,
//! [`super::validate`], which reads through this module first, so both
//! refuse the same bytes with the same [`OcspError`].
//!
//! ```text
//! OCSPResponse       ::= SEQUENCE { responseStatus OCSPResponseStatus,
//!                                   responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
//! OCSPResponseStatus ::= ENUMERATED { successful (0), malformedRequest (1), internalError (2),
//!                                     tryLater (3), sigRequired (5), unauthorized (6) }
//! ResponseBytes      ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
//! BasicOCSPResponse  ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm AlgorithmIdentifier,
//!                                   signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//! ResponseData       ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
//!                                   producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse,
//!                                   responseExtensions [1] EXPLICIT Extensions OPTIONAL }
//! ```
//!
//! The envelope is walked by hand, so that the signed ResponseData keeps its
//! bytes exactly as received; the ResponseData itself is decoded with
//! x509-ocsp's types, then turned into the owned types here. Bounds: the
//! response's size ([`MAX_OCSP_RESPONSE_LEN`]), its SingleResponses
//! ([`MAX_OCSP_SINGLE_RESPONSES`]) and its certificates
//! ([`MAX_OCSP_RESPONSE_CERTS`]).

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagMode, TagNumber};
use serde::Serialize;
use x509_ocsp::{CertStatus, OcspGeneralizedTime};

use super::error::{ErrorStatus, OcspError};
use crate::limits::{MAX_OCSP_RESPONSE_CERTS, MAX_OCSP_RESPONSE_LEN, MAX_OCSP_SINGLE_RESPONSES};
use crate::oid::{ID_PKIX_OCSP_BASIC, ID_PKIX_OCSP_NONCE, OCSP_SCT_LIST};
use crate::verify::{Hash, SignedData};

/// An OCSPResponse as read (RFC 6960 section 4.2.1): its responseStatus,
/// and for a successful one the ResponseData of its BasicOCSPResponse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "response_status", rename_all = "kebab-case")]
pub enum ResponseSummary {
    /// responseStatus successful (0), with an id-pkix-ocsp-basic response.
    Successful(ResponseData),
    /// Any other responseStatus: the responder gave no answer ("responseBytes
    /// ... absent", section 2.3). Whatever follows the status is not read.
    Unsuccessful { status: ErrorStatus },
}

/// ```text
/// ResponseData ::= SEQUENCE {                       -- RFC 6960 section 4.2.1
///    version              [0] EXPLICIT Version DEFAULT v1,
///    responderID              ResponderID,
///    producedAt               GeneralizedTime,
///    responses                SEQUENCE OF SingleResponse,
///    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
/// ```
/// The version is always v1 (any other is [`OcspError::UnsupportedVersion`]).
/// Of the responseExtensions, only the nonce is kept: a non-critical one is
/// ignored, a critical one unknown to us is [`OcspError::UnknownCriticalExtension`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponseData {
    pub responder_id: ResponderId,
    /// When the responder signed the response, in seconds since the epoch.
    pub produced_at: u64,
    /// In the order of the response; at most [`MAX_OCSP_SINGLE_RESPONSES`].
    pub responses: Vec<SingleResponse>,
    /// The id-pkix-ocsp-nonce extension's nonce (RFC 8954 section 2.1: an
    /// OCTET STRING, whose content is given; some responders put the bare
    /// nonce in the extension's value, which is given as is).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::hex::serialize_opt"
    )]
    pub nonce: Option<Vec<u8>>,
}

/// ```text
/// ResponderID ::= CHOICE {                          -- RFC 6960 section 4.2.1
///    byName   [1] Name,
///    byKey    [2] KeyHash }
/// KeyHash ::= OCTET STRING -- SHA-1 hash of responder's public key
///                          -- (i.e., the SHA-1 hash of the value of the
///                          -- BIT STRING subjectPublicKey [excluding the tag,
///                          -- length, and number of unused bits] in the
///                          -- responder's certificate)
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "by")]
pub enum ResponderId {
    #[serde(rename = "name")]
    ByName {
        /// The Name as RFC 4514 text, most specific RDN first.
        name: String,
        /// The Name's DER, what a signer's subject is matched against.
        #[serde(skip)]
        der: Vec<u8>,
    },
    #[serde(rename = "key")]
    ByKey {
        #[serde(serialize_with = "crate::hex::serialize")]
        key_hash: Vec<u8>,
    },
}

impl std::fmt::Display for ResponderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ByName { name, .. } => write!(f, "by name: {name}"),
            Self::ByKey { key_hash } => {
                write!(f, "by key hash: {}", crate::hex::encode(key_hash))
            }
        }
    }
}

/// ```text
/// SingleResponse ::= SEQUENCE {                     -- RFC 6960 section 4.2.1
///    certID                       CertID,
///    certStatus                   CertStatus,
///    thisUpdate                   GeneralizedTime,
///    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
/// ```
/// Times are seconds since the epoch, as given: that nextUpdate is not
/// before thisUpdate is checked by [`super::validate`], for the answer it uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SingleResponse {
    pub cert_id: CertId,
    #[serde(flatten)]
    pub cert_status: Answer,
    pub this_update: u64,
    pub next_update: Option<u64>,
    /// The first critical singleExtension we do not understand, by OID (the
    /// embedded SCT list, RFC 6962 section 3.3, is the one understood, as by
    /// mozpkix). An answer carrying one is not to be used (the rule of RFC
    /// 5280 section 4.2 for critical extensions, which mozpkix applies to
    /// the SingleResponse it uses); it is kept here rather than refusing the
    /// whole response because mozpkix looks only at the answer about its
    /// certificate, and [`super::validate`] refuses that one answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_critical_extension: Option<String>,
}

/// ```text
/// CertID ::= SEQUENCE {                             -- RFC 6960 section 4.1.1
///    hashAlgorithm       AlgorithmIdentifier,
///    issuerNameHash      OCTET STRING, -- Hash of issuer's DN
///    issuerKeyHash       OCTET STRING, -- Hash of issuer's public key
///    serialNumber        CertificateSerialNumber }
/// ```
/// The hashes and the serial are the content octets as received (the
/// serial with any leading zero octet its DER INTEGER needs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertId {
    pub hash_algorithm: CertIdAlgorithm,
    #[serde(serialize_with = "crate::hex::serialize")]
    pub issuer_name_hash: Vec<u8>,
    #[serde(serialize_with = "crate::hex::serialize")]
    pub issuer_key_hash: Vec<u8>,
    #[serde(rename = "serial", serialize_with = "crate::hex::serialize")]
    pub serial_number: Vec<u8>,
}

impl CertId {
    /// The serial number's content octets in lower-case hex, as
    /// [`crate::Cert::serial_hex`] gives a certificate's.
    pub fn serial_hex(&self) -> String {
        crate::hex::encode(&self.serial_number)
    }
}

/// A CertID's hashAlgorithm: a hash we compute, or another, by OID (its
/// parameters, absent or NULL, are not kept). Serialises as the hash's
/// name (`SHA-1`) or the OID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertIdAlgorithm {
    Hash(Hash),
    /// Not SHA-1 or SHA-2: no certificate can be matched to this CertID.
    Other(String),
}

impl Serialize for CertIdAlgorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Hash(hash) => s.serialize_str(hash.name()),
            Self::Other(oid) => s.serialize_str(oid),
        }
    }
}

impl CertIdAlgorithm {
    fn from_oid(oid: &ObjectIdentifier) -> Self {
        Hash::from_digest_oid(oid).map_or_else(|| Self::Other(oid.to_string()), Self::Hash)
    }
}

/// The certStatus of a SingleResponse: what the responder said about one
/// certificate.
///
/// ```text
/// CertStatus ::= CHOICE {                           -- RFC 6960 section 4.2.1
///    good        [0]     IMPLICIT NULL,
///    revoked     [1]     IMPLICIT RevokedInfo,
///    unknown     [2]     IMPLICIT UnknownInfo }
/// RevokedInfo ::= SEQUENCE {
///    revocationTime              GeneralizedTime,
///    revocationReason    [0]     EXPLICIT CRLReason OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Answer {
    Good,
    Revoked {
        /// Seconds since the epoch.
        revocation_time: u64,
        /// The CRLReason's name (RFC 5280 section 5.3.1), when the responder gave one.
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

/// Reads `response`, an OCSPResponse's DER: what it says, **not whether to
/// believe it** (the signature is not checked, nor who made it, nor any
/// time; [`super::validate`] does). Refuses what `validate` refuses before
/// it looks at the signature, with the same error: empty or oversized
/// input, DER or structure errors, a successful status without
/// responseBytes, a response type other than id-pkix-ocsp-basic, a version
/// other than v1, an unknown critical response extension, too many
/// SingleResponses or certificates. An error status is an answer here
/// ([`ResponseSummary::Unsuccessful`]), not an error.
pub fn read(response: &[u8]) -> Result<ResponseSummary, OcspError> {
    Ok(match read_signed(response)? {
        Reading::Successful { data, .. } => ResponseSummary::Successful(data),
        Reading::Unsuccessful(status) => ResponseSummary::Unsuccessful { status },
    })
}

/// [`read`]'s result with what validation needs besides: the signed parts,
/// as slices of the received bytes.
pub(crate) enum Reading<'a> {
    Successful {
        data: ResponseData,
        signed: SignedResponse<'a>,
    },
    Unsuccessful(ErrorStatus),
}

/// The BasicOCSPResponse's signature and certificates.
pub(crate) struct SignedResponse<'a> {
    /// tbsResponseData (exactly as received), signatureAlgorithm, signature.
    pub(crate) signed: SignedData<'a>,
    /// DER of each certificate in `certs`.
    pub(crate) certs: Vec<&'a [u8]>,
}

/// [`read`], keeping the signed parts for [`super::validate`].
pub(crate) fn read_signed(response: &[u8]) -> Result<Reading<'_>, OcspError> {
    if response.is_empty() {
        return Err(OcspError::Empty);
    }
    if response.len() > MAX_OCSP_RESPONSE_LEN {
        return Err(OcspError::TooLarge {
            len: response.len(),
            max: MAX_OCSP_RESPONSE_LEN,
        });
    }
    let basic = match response_bytes(response)? {
        Body::Basic(basic) => basic,
        Body::Status(status) => return Ok(Reading::Unsuccessful(status)),
    };
    let signed = SignedResponse::read(basic)?;
    check_version(signed.signed.data)?;
    let raw =
        x509_ocsp::ResponseData::from_der(signed.signed.data).map_err(malformed("ResponseData"))?;
    let mut nonce = None;
    if let Some(exts) = &raw.response_extensions {
        for ext in exts {
            if ext.extn_id == ID_PKIX_OCSP_NONCE {
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
    if raw.responses.len() > MAX_OCSP_SINGLE_RESPONSES {
        return Err(OcspError::Malformed {
            part: "responses",
            cause: format!(
                "{} SingleResponses, over the limit of {MAX_OCSP_SINGLE_RESPONSES}",
                raw.responses.len()
            ),
        });
    }
    let responder_id = match &raw.responder_id {
        x509_ocsp::ResponderId::ByName(name) => {
            let der = name.to_der().map_err(malformed("responderID"))?;
            ResponderId::ByName {
                name: crate::name::to_rfc4514(&der),
                der,
            }
        }
        x509_ocsp::ResponderId::ByKey(hash) => ResponderId::ByKey {
            key_hash: hash.as_bytes().to_vec(),
        },
    };
    let responses = raw.responses.iter().map(single_response).collect();
    let data = ResponseData {
        responder_id,
        produced_at: secs(&raw.produced_at),
        responses,
        nonce,
    };
    Ok(Reading::Successful { data, signed })
}

fn single_response(single: &x509_ocsp::SingleResponse) -> SingleResponse {
    let id = &single.cert_id;
    let cert_status = match single.cert_status {
        CertStatus::Good(_) => Answer::Good,
        CertStatus::Revoked(info) => Answer::Revoked {
            revocation_time: secs(&info.revocation_time),
            reason: info.revocation_reason.map(reason_name),
        },
        CertStatus::Unknown(_) => Answer::Unknown,
    };
    let unknown_critical_extension = single.single_extensions.as_ref().and_then(|exts| {
        exts.iter()
            .find(|e| e.critical && e.extn_id != OCSP_SCT_LIST)
            .map(|e| e.extn_id.to_string())
    });
    SingleResponse {
        cert_id: CertId {
            hash_algorithm: CertIdAlgorithm::from_oid(&id.hash_algorithm.oid),
            issuer_name_hash: id.issuer_name_hash.as_bytes().to_vec(),
            issuer_key_hash: id.issuer_key_hash.as_bytes().to_vec(),
            serial_number: id.serial_number.as_bytes().to_vec(),
        },
        cert_status,
        this_update: secs(&single.this_update),
        next_update: single.next_update.as_ref().map(secs),
        unknown_critical_extension,
    }
}

fn malformed(part: &'static str) -> impl Fn(der::Error) -> OcspError {
    move |e| OcspError::Malformed {
        part,
        cause: e.to_string(),
    }
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

/// What an OCSPResponse carries: a BasicOCSPResponse, or an error status.
enum Body<'a> {
    /// The BasicOCSPResponse's DER.
    Basic(&'a [u8]),
    Status(ErrorStatus),
}

/// Reads OCSPResponse down to its BasicOCSPResponse bytes.
fn response_bytes(response: &[u8]) -> Result<Body<'_>, OcspError> {
    let body = exact_tlv(response, Tag::Sequence, "OCSPResponse")?;
    let mut r = SliceReader::new(body).map_err(malformed("OCSPResponse"))?;
    let status = read_tlv(&mut r, Tag::Enumerated, "responseStatus")?;
    let status = match status {
        [0] => None,
        [1] => Some(ErrorStatus::MalformedRequest),
        [2] => Some(ErrorStatus::InternalError),
        [3] => Some(ErrorStatus::TryLater),
        [5] => Some(ErrorStatus::SigRequired),
        [6] => Some(ErrorStatus::Unauthorized),
        [n] if *n < 0x80 => Some(ErrorStatus::Other(*n)),
        _ => {
            return Err(OcspError::Malformed {
                part: "responseStatus",
                cause: "not a one-octet ENUMERATED value".into(),
            })
        }
    };
    if let Some(status) = status {
        return Ok(Body::Status(status));
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
    Ok(Body::Basic(basic))
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

impl<'a> SignedResponse<'a> {
    /// Reads a BasicOCSPResponse's fields, keeping them as received.
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
        Ok(SignedResponse { signed, certs })
    }
}

fn secs(t: &OcspGeneralizedTime) -> u64 {
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
