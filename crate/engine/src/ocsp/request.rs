//! OCSP requests (RFC 6960 section 4.1) and their HTTP forms (appendix A.1).
//!
//! ```text
//! OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
//! TBSRequest  ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] ...,
//!                            requestList SEQUENCE OF Request, requestExtensions [2] ... }
//! Request     ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
//! CertID      ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
//!                            issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
//! ```
//!
//! Like Firefox (and most responders' expectations), requests carry one
//! CertID hashed with SHA-1, no extensions and no signature by default.
//! [`RequestOptions`] asks for a SHA-256 CertID or a nonce (RFC 8954)
//! instead, for a user probing a responder.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use der::asn1::{Null, OctetString};
use der::{Decode, Encode};
use serde::Serialize;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::{CertId, OcspRequest, Request, TbsRequest};

use crate::cert::{Cert, RequestParts};
use crate::error::Error;
use crate::ocsp::fetch::FetchOutcome;
use crate::oid::{ID_SHA1, ID_SHA256};
pub use crate::oid::ID_PKIX_OCSP_NONCE;
use crate::verify::Hash;

/// RFC 6960 appendix A.1: GET suits requests whose encoded form is short;
/// 255 bytes is the bound the RFC gives.
pub const MAX_GET_ENCODED_LEN: usize = 255;

/// How the host should send the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
pub struct OcspFetch {
    /// The responder URL from the certificate's AIA extension.
    pub responder: String,
    /// The preferred method: GET when the encoded request is short enough.
    pub method: FetchMethod,
    /// The full URL for GET (appendix A.1 form), when GET is possible.
    pub get_url: Option<String>,
    /// DER of the OCSPRequest, the POST body (`Content-Type: application/ocsp-request`).
    #[serde(serialize_with = "serialize_base64")]
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

/// The DER of an OCSPRequest for `cert`, issued by `issuer`, with a SHA-1 CertID.
pub fn build_request(cert: &Cert, issuer: &Cert) -> Result<Vec<u8>, Error> {
    build_request_with(cert, issuer, &RequestOptions::default())
}

/// RFC 8954 section 2.1: a nonce is 1 to 32 octets.
pub const MAX_NONCE_LEN: usize = 32;

/// How to build a request, beyond what Firefox sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// The CertID hash: SHA-1 (the default, what every responder knows) or SHA-256.
    pub cert_id_hash: CertIdHash,
    /// A nonce for the requestExtensions. The engine is pure, so the host
    /// draws it from its random source.
    pub nonce: Option<Vec<u8>>,
}

/// The CertID hashes a request may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CertIdHash {
    #[default]
    Sha1,
    Sha256,
}

/// [`build_request`] with a choice of CertID hash and an optional nonce.
pub fn build_request_with(
    cert: &Cert,
    issuer: &Cert,
    options: &RequestOptions,
) -> Result<Vec<u8>, Error> {
    let parts = RequestParts {
        serial: &cert.serial,
        issuer_der: &cert.issuer_der,
        public_key: &issuer.public_key,
    };
    // A cached CA certificate keeps the hashes of its key and Name: reuse them.
    let sha1 = (cert.issuer_name_sha1(issuer), *issuer.public_key_sha1());
    build_from_parts(&parts, Some(&sha1), options)
}

/// The request for the certificate `cert_der`, issued by `issuer_der`,
/// read from the DER without the rest of the certificate facts (a host
/// that only wants the request).
pub fn build_request_from_der(
    cert_der: &[u8],
    issuer_der: &[u8],
    options: &RequestOptions,
) -> Result<Vec<u8>, Error> {
    let cert = RequestParts::from_der(cert_der)?;
    let issuer = RequestParts::from_der(issuer_der)?;
    let parts = RequestParts {
        public_key: issuer.public_key,
        ..cert
    };
    build_from_parts(&parts, None, options)
}

/// `parts`: the certificate's serial and issuer Name, its issuer's key bits;
/// `sha1`: their SHA-1 hashes (name, key) when the caller has them.
fn build_from_parts(
    parts: &RequestParts<'_>,
    sha1: Option<&([u8; 20], [u8; 20])>,
    options: &RequestOptions,
) -> Result<Vec<u8>, Error> {
    // The serial as the INTEGER TLV, from the content octets as encoded.
    let serial_tlv = der::asn1::AnyRef::new(der::Tag::Integer, parts.serial)
        .and_then(|any| any.to_der())
        .map_err(Error::OcspRequestEncoding)?;
    // The issuer's Name is the certificate's issuer field, byte for byte;
    // the key hash covers the issuer's subjectPublicKey bits.
    let (oid, name_hash, key_hash) = match options.cert_id_hash {
        CertIdHash::Sha1 => match sha1 {
            Some((name, key)) => (ID_SHA1, name.to_vec(), key.to_vec()),
            None => (
                ID_SHA1,
                Hash::Sha1.digest(parts.issuer_der),
                Hash::Sha1.digest(parts.public_key),
            ),
        },
        CertIdHash::Sha256 => (
            ID_SHA256,
            Hash::Sha256.digest(parts.issuer_der),
            Hash::Sha256.digest(parts.public_key),
        ),
    };
    let cert_id = CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid,
            parameters: Some(Null.into()),
        },
        issuer_name_hash: OctetString::new(name_hash).map_err(Error::OcspRequestEncoding)?,
        issuer_key_hash: OctetString::new(key_hash).map_err(Error::OcspRequestEncoding)?,
        serial_number: SerialNumber::from_der(&serial_tlv).map_err(Error::OcspRequestEncoding)?,
    };
    let request_extensions = match &options.nonce {
        None => None,
        Some(nonce) if nonce.is_empty() || nonce.len() > MAX_NONCE_LEN => {
            return Err(Error::OcspRequestOption(format!(
                "a nonce of {} bytes; RFC 8954 allows 1 to {MAX_NONCE_LEN}",
                nonce.len()
            )))
        }
        Some(nonce) => {
            // The extension value is an OCTET STRING holding the nonce's OCTET STRING.
            let inner = OctetString::new(nonce.clone())
                .and_then(|o| o.to_der())
                .map_err(Error::OcspRequestEncoding)?;
            Some(vec![Extension {
                extn_id: ID_PKIX_OCSP_NONCE,
                critical: false,
                extn_value: OctetString::new(inner).map_err(Error::OcspRequestEncoding)?,
            }])
        }
    };
    OcspRequest {
        tbs_request: TbsRequest {
            request_list: vec![Request {
                req_cert: cert_id,
                single_request_extensions: None,
            }],
            request_extensions,
            ..Default::default()
        },
        optional_signature: None,
    }
    .to_der()
    .map_err(Error::OcspRequestEncoding)
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
