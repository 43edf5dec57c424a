//! What the host reports after making a live OCSP request, and how the
//! engine classifies it. The four outcomes stay apart: the
//! responder said good, revoked or unknown, or there was no usable answer,
//! and then the class of failure says why.

use serde::Serialize;

use crate::cert::Cert;
use crate::limits::MAX_OCSP_RESPONSE_LEN;
use crate::ocsp::response::{validate, OcspError, ValidResponse};
use crate::time::UnixTime;
use crate::verify::SignatureVerifier;

/// The host's account of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchOutcome {
    /// An HTTP response arrived (any status).
    Response {
        http_status: u16,
        body: Vec<u8>,
        elapsed_ms: u32,
    },
    /// No answer within the policy's timeout.
    Timeout { elapsed_ms: u32 },
    /// The connection was refused or reset before an answer.
    Refused { elapsed_ms: u32 },
    /// The responder's name did not resolve.
    Dns { elapsed_ms: u32 },
    /// The TLS handshake failed (an https responder).
    Tls { elapsed_ms: u32 },
    /// Any other transport failure, in the host's words.
    Network { message: String, elapsed_ms: u32 },
    /// The responder announced a body over the size limit; it was not read.
    TooLarge { len: usize, elapsed_ms: u32 },
}

impl FetchOutcome {
    pub fn elapsed_ms(&self) -> u32 {
        match self {
            Self::Response { elapsed_ms, .. }
            | Self::Timeout { elapsed_ms }
            | Self::Refused { elapsed_ms }
            | Self::Dns { elapsed_ms }
            | Self::Tls { elapsed_ms }
            | Self::Network { elapsed_ms, .. }
            | Self::TooLarge { elapsed_ms, .. } => *elapsed_ms,
        }
    }
}

/// Why there is no usable answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum Offline {
    Timeout,
    Refused,
    Dns,
    Tls,
    Network {
        message: String,
    },
    /// HTTP status other than 200.
    HttpStatus {
        status: u16,
    },
    EmptyBody,
    OversizeBody {
        len: usize,
    },
    /// A body arrived but is not a usable response: `code` is
    /// [`OcspError::code`] (try-later, bad-signature, expired...).
    InvalidResponse {
        code: &'static str,
        detail: String,
    },
}

impl Offline {
    /// The class token, as serialised in `class` (and as the cache stores it).
    pub fn class(&self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Refused => "refused",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::Network { .. } => "network",
            Self::HttpStatus { .. } => "http-status",
            Self::EmptyBody => "empty-body",
            Self::OversizeBody { .. } => "oversize-body",
            Self::InvalidResponse { code, .. } => code,
        }
    }
}

impl std::fmt::Display for Offline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("the responder did not answer in time"),
            Self::Refused => f.write_str("the connection was refused"),
            Self::Dns => f.write_str("the responder's name did not resolve"),
            Self::Tls => f.write_str("the TLS handshake with the responder failed"),
            Self::Network { message } => write!(f, "network error: {message}"),
            Self::HttpStatus { status } => write!(f, "the responder answered HTTP {status}"),
            Self::EmptyBody => f.write_str("the responder sent an empty body"),
            Self::OversizeBody { len } => write!(
                f,
                "the responder sent {len} bytes, over the {MAX_OCSP_RESPONSE_LEN}-byte limit"
            ),
            Self::InvalidResponse { detail, .. } => f.write_str(detail),
        }
    }
}

/// A live answer, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveAnswer {
    /// The responder answered (good, revoked or unknown), validly.
    Answered(ValidResponse),
    Offline(Offline),
}

/// Classifies what the host got for `cert` (issued by `issuer`) at `time`.
pub fn classify(
    outcome: &FetchOutcome,
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
    verifier: &dyn SignatureVerifier,
) -> LiveAnswer {
    let body = match outcome {
        FetchOutcome::Timeout { .. } => return LiveAnswer::Offline(Offline::Timeout),
        FetchOutcome::Refused { .. } => return LiveAnswer::Offline(Offline::Refused),
        FetchOutcome::Dns { .. } => return LiveAnswer::Offline(Offline::Dns),
        FetchOutcome::Tls { .. } => return LiveAnswer::Offline(Offline::Tls),
        FetchOutcome::Network { message, .. } => {
            return LiveAnswer::Offline(Offline::Network {
                message: message.clone(),
            })
        }
        FetchOutcome::TooLarge { len, .. } => {
            return LiveAnswer::Offline(Offline::OversizeBody { len: *len })
        }
        FetchOutcome::Response { http_status, .. } if *http_status != 200 => {
            return LiveAnswer::Offline(Offline::HttpStatus {
                status: *http_status,
            })
        }
        FetchOutcome::Response { body, .. } => body,
    };
    if body.is_empty() {
        return LiveAnswer::Offline(Offline::EmptyBody);
    }
    if body.len() > MAX_OCSP_RESPONSE_LEN {
        return LiveAnswer::Offline(Offline::OversizeBody { len: body.len() });
    }
    // An expired good answer fails validation (no answer); an expired
    // revoked or unknown answer still stands, as in Firefox.
    match validate(body, cert, issuer, time, max_lifetime_days, verifier) {
        Ok(v) => LiveAnswer::Answered(v),
        Err(e) => LiveAnswer::Offline(invalid(&e)),
    }
}

fn invalid(e: &OcspError) -> Offline {
    Offline::InvalidResponse {
        code: e.code(),
        detail: e.to_string(),
    }
}
