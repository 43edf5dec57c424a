//! Why an OCSP response cannot be used: [`OcspError`], one variant per
//! failure, shared by the reading ([`super::parse`]) and the validation
//! ([`super::response`]) of a response.

use crate::time::UnixTime;
use crate::verify::SignatureError;

/// A responseStatus other than successful (RFC 6960 section 4.2.1).
///
/// ```text
/// OCSPResponseStatus ::= ENUMERATED {
///     successful            (0),  -- Response has valid confirmations
///     malformedRequest      (1),  -- Illegal confirmation request
///     internalError         (2),  -- Internal error in issuer
///     tryLater              (3),  -- Try again later
///                                 -- (4) is not used
///     sigRequired           (5),  -- Must sign the request
///     unauthorized          (6)   -- Request unauthorized
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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
