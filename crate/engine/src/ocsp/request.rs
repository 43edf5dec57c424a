//! The OCSPRequest (RFC 6960 section 4.1): its DER, and the CertID in it.
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
//! instead, for a user probing a responder. How the request travels (GET
//! or POST) is [`super::exchange`]'s.

use der::asn1::{Null, OctetString};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::{CertId, OcspRequest, Request, TbsRequest};

use crate::cert::{Cert, RequestParts};
use crate::error::Error;
use crate::oid::{ID_SHA1, ID_SHA256};
use crate::verify::Hash;

pub use crate::oid::ID_PKIX_OCSP_NONCE;

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
