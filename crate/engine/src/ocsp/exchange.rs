//! One live OCSP exchange, from the engine's side: where and how the host
//! sends the request (the responder URL, GET or POST, the GET form of RFC
//! 6960 appendix A.1), what the host reports back ([`FetchOutcome`]), and
//! how that is classified: a valid answer (good, revoked or unknown) or no
//! usable answer, with the class of failure that says why ([`Offline`]).
//!
//! The host does the I/O; every host follows the same [`Plan`].

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Serialize;

use crate::cert::Cert;
use crate::limits::MAX_OCSP_RESPONSE_LEN;
use crate::ocsp::response::{validate_with, CertIdHashes, OcspError, ValidResponse};
use crate::time::UnixTime;
use crate::verify::SignatureVerifier;

/// RFC 6960 appendix A.1: GET suits requests whose encoded form is short;
/// 255 bytes is the bound the RFC gives.
pub const MAX_GET_ENCODED_LEN: usize = 255;

/// How the host should send the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "UPPERCASE")]
pub enum FetchMethod {
    Get,
    Post,
}

impl FetchMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            FetchMethod::Get => "GET",
            FetchMethod::Post => "POST",
        }
    }
}

/// Everything the host needs to make one live OCSP request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OcspFetch {
    /// The responder URL from the certificate's AIA extension.
    pub responder: String,
    /// The preferred method: GET when the encoded request is short enough.
    pub method: FetchMethod,
    /// The full URL for GET (appendix A.1 form), when GET is possible.
    pub get_url: Option<String>,
    /// DER of the OCSPRequest, the POST body (`Content-Type: application/ocsp-request`).
    #[serde(serialize_with = "serialize_base64")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub request_der: Vec<u8>,
}

/// Which method the user or host asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodChoice {
    /// GET when the request fits, else POST; POST again when GET gets an HTTP error.
    Auto,
    Get,
    Post,
}

impl MethodChoice {
    /// "auto", "get" or "post".
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "get" => Some(Self::Get),
            "post" => Some(Self::Post),
            _ => None,
        }
    }
}

/// One HTTP exchange of a live request: GET `url`, or POST `body` to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exchange<'a> {
    pub method: FetchMethod,
    pub url: &'a str,
    pub body: Option<&'a [u8]>,
}

/// The exchanges a host makes for one live request, the same in every host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan<'a> {
    pub first: Exchange<'a>,
    /// Tried when `first` gets an HTTP error: some responders refuse GET.
    fallback: Option<Exchange<'a>>,
}

impl<'a> Plan<'a> {
    /// The exchange to make after `first` gave `outcome`, if any. The host
    /// makes it only while its deadline leaves time.
    pub fn fallback_after(&self, outcome: &FetchOutcome) -> Option<Exchange<'a>> {
        match outcome {
            FetchOutcome::Response { http_status, .. } if *http_status != 200 => self.fallback,
            _ => None,
        }
    }
}

impl OcspFetch {
    /// How to send this request under `choice`; a GET that cannot be made
    /// (the request is too long for a URL) is the outcome itself.
    pub fn plan(&self, choice: MethodChoice) -> Result<Plan<'_>, FetchOutcome> {
        let post = Exchange {
            method: FetchMethod::Post,
            url: &self.responder,
            body: Some(&self.request_der),
        };
        let get = self.get_url.as_deref().map(|url| Exchange {
            method: FetchMethod::Get,
            url,
            body: None,
        });
        let only = |first| Plan {
            first,
            fallback: None,
        };
        // Auto follows the method the ladder chose: POST when the policy
        // asks for it (Firefox), else GET when it fits.
        let get = get.filter(|_| choice != MethodChoice::Auto || self.method == FetchMethod::Get);
        match (choice, get) {
            (MethodChoice::Post, _) | (MethodChoice::Auto, None) => Ok(only(post)),
            (MethodChoice::Get, Some(get)) => Ok(only(get)),
            (MethodChoice::Auto, Some(get)) => Ok(Plan {
                first: get,
                fallback: Some(post),
            }),
            (MethodChoice::Get, None) => Err(FetchOutcome::Network {
                message: format!(
                    "the request is too long for GET (over {MAX_GET_ENCODED_LEN} encoded bytes)"
                ),
                elapsed_ms: 0,
            }),
        }
    }
}

fn serialize_base64<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&BASE64.encode(bytes))
}

/// The fetch for one responder: GET when the appendix A.1 form fits, else POST.
pub fn fetch_for(responder: &str, request_der: Vec<u8>) -> OcspFetch {
    let encoded = percent_encode_base64(&BASE64.encode(&request_der));
    let get_url = (encoded.len() <= MAX_GET_ENCODED_LEN).then(|| {
        // Exactly one '/' between the responder URL and the request.
        let base = responder.strip_suffix('/').unwrap_or(responder);
        format!("{base}/{encoded}")
    });
    OcspFetch {
        responder: responder.to_owned(),
        method: if get_url.is_some() {
            FetchMethod::Get
        } else {
            FetchMethod::Post
        },
        get_url,
        request_der,
    }
}

/// Standard base64 with `+`, `/` and `=` percent-encoded (RFC 6960 A.1;
/// responders such as `openssl ocsp` reject base64url).
fn percent_encode_base64(b64: &str) -> String {
    let mut out = String::with_capacity(b64.len() + 16);
    for c in b64.chars() {
        match c {
            '+' => out.push_str("%2B"),
            '/' => out.push_str("%2F"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
    out
}

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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
    /// A body over `limit` (the OCSP response or the CRL limit).
    OversizeBody {
        len: usize,
        limit: usize,
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

// "The server": the same failures befall an OCSP responder and a CRL's
// server.
impl std::fmt::Display for Offline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("the server did not answer in time"),
            Self::Refused => f.write_str("the connection was refused, or closed without an answer"),
            Self::Dns => f.write_str("the server's name did not resolve"),
            Self::Tls => f.write_str("the TLS handshake with the server failed"),
            Self::Network { message } => write!(f, "network error: {message}"),
            Self::HttpStatus { status } => write!(f, "the server answered HTTP {status}"),
            Self::EmptyBody => f.write_str("the server sent an empty body"),
            Self::OversizeBody { len, limit } => write!(
                f,
                "the server sent {len} bytes, over the {limit}-byte limit"
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

/// Classifies what the host got for `cert` (issued by `issuer`) at `time`,
/// matching CertIDs of any supported hash.
pub fn classify(
    outcome: &FetchOutcome,
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
    verifier: &dyn SignatureVerifier,
) -> LiveAnswer {
    classify_with(
        outcome,
        cert,
        issuer,
        time,
        max_lifetime_days,
        CertIdHashes::Any,
        verifier,
    )
}

/// [`classify`] under a policy's [`CertIdHashes`].
pub fn classify_with(
    outcome: &FetchOutcome,
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
    cert_id_hashes: CertIdHashes,
    verifier: &dyn SignatureVerifier,
) -> LiveAnswer {
    let body = match transport_body(outcome, MAX_OCSP_RESPONSE_LEN) {
        Ok(body) => body,
        Err(offline) => return LiveAnswer::Offline(offline),
    };
    if body.len() > MAX_OCSP_RESPONSE_LEN {
        return LiveAnswer::Offline(Offline::OversizeBody {
            len: body.len(),
            limit: MAX_OCSP_RESPONSE_LEN,
        });
    }
    // An expired good answer fails validation (no answer); an expired
    // revoked or unknown answer still stands, as in Firefox.
    match validate_with(
        body,
        cert,
        issuer,
        time,
        max_lifetime_days,
        cert_id_hashes,
        verifier,
    ) {
        Ok(v) => LiveAnswer::Answered(v),
        Err(e) => LiveAnswer::Offline(invalid(&e)),
    }
}

/// The body of a 200 response, or why there is none: the transport
/// classes shared by every fetch the engine asks for (OCSP, CRLs); `limit`
/// is the size the host was told to read at most.
pub fn transport_body(outcome: &FetchOutcome, limit: usize) -> Result<&[u8], Offline> {
    match outcome {
        FetchOutcome::Timeout { .. } => Err(Offline::Timeout),
        FetchOutcome::Refused { .. } => Err(Offline::Refused),
        FetchOutcome::Dns { .. } => Err(Offline::Dns),
        FetchOutcome::Tls { .. } => Err(Offline::Tls),
        FetchOutcome::Network { message, .. } => Err(Offline::Network {
            message: message.clone(),
        }),
        FetchOutcome::TooLarge { len, .. } => Err(Offline::OversizeBody { len: *len, limit }),
        FetchOutcome::Response { http_status, .. } if *http_status != 200 => {
            Err(Offline::HttpStatus {
                status: *http_status,
            })
        }
        FetchOutcome::Response { body, .. } if body.is_empty() => Err(Offline::EmptyBody),
        FetchOutcome::Response { body, .. } => Ok(body),
    }
}

fn invalid(e: &OcspError) -> Offline {
    Offline::InvalidResponse {
        code: e.code(),
        detail: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_url_has_exactly_one_slash_and_no_raw_base64_specials() {
        let der = vec![0xfb, 0xff, 0xfe, 0x00];
        for base in ["http://ocsp.example/", "http://ocsp.example"] {
            let fetch = fetch_for(base, der.clone());
            let url = fetch.get_url.unwrap();
            assert_eq!(url, "http://ocsp.example/%2B%2F%2F%2BAA%3D%3D");
            assert_eq!(fetch.method, FetchMethod::Get);
        }
    }

    #[test]
    fn long_requests_go_by_post() {
        let fetch = fetch_for("http://ocsp.example", vec![0xab; 200]);
        assert_eq!(fetch.method, FetchMethod::Post);
        assert!(fetch.get_url.is_none());
    }
}
