//! OCSP response validation (RFC 6960 section 4.2), as strict as mozpkix's
//! `pkixocsp.cpp`, with one error per way a response can fail: whether to
//! believe what a response says about one certificate, at one time.
//!
//! The response is read by [`super::parse`] first (envelope, status,
//! ResponseData, bounds), so validation refuses whatever the parse-only
//! reading refuses, with the same error; here come the signer, the
//! signature (over the ResponseData bytes exactly as received), the CertID
//! match and the times.

use serde::Serialize;

pub use super::error::{ErrorStatus, OcspError};
pub use super::parse::Answer;
use super::parse::{
    read_signed, CertIdAlgorithm, Reading, ResponderId, SignedResponse, SingleResponse,
};
use crate::cert::Cert;
use crate::time::{UnixTime, ONE_DAY};
use crate::verify::{self, Hash, SignatureAlgorithm, SignatureVerifier};

use crate::oid::ID_KP_OCSP_SIGNING;

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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::hex::serialize_opt"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, as = "Option<String>"))]
    pub nonce: Option<Vec<u8>>,
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
    let (data, signed) = match read_signed(response)? {
        Reading::Successful { data, signed } => (data, signed),
        Reading::Unsuccessful(status) => return Err(OcspError::ResponderStatus(status)),
    };

    // Who signed it, and does the signature hold? Checked before anything
    // the response says is believed.
    let (signer, signature_algorithm) =
        check_signature(&data.responder_id, &signed, issuer, time, verifier)?;

    let produced_at = data.produced_at;
    // Several answers for one certificate: revoked beats good beats unknown.
    let rank = |a: &Answer| match a {
        Answer::Revoked { .. } => 2,
        Answer::Good => 1,
        Answer::Unknown => 0,
    };
    let mut found: Option<(&SingleResponse, Hash)> = None;
    for single in &data.responses {
        let Some(hash) =
            matching_cert_id(single, cert, issuer).filter(|hash| cert_id_hashes.accepts(*hash))
        else {
            continue;
        };
        if let Some(oid) = &single.unknown_critical_extension {
            return Err(OcspError::UnknownCriticalExtension { oid: oid.clone() });
        }
        if found.is_none_or(|(best, _)| rank(&single.cert_status) > rank(&best.cert_status)) {
            found = Some((single, hash));
        }
    }
    let Some((single, cert_id_hash)) = found else {
        return Err(OcspError::ResponseForCertMissing);
    };
    let answer = single.cert_status.clone();

    let this_update = single.this_update;
    let next_update = single.next_update;
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
        nonce: data.nonce,
    })
}

/// The ResponderID names this certificate: its subject bytes, or the SHA-1
/// of its key (RFC 6960 section 4.2.2.3).
fn responder_id_matches(id: &ResponderId, cert: &Cert) -> bool {
    match id {
        ResponderId::ByName { der, .. } => *der == cert.subject_der,
        ResponderId::ByKey { key_hash } => key_hash == cert.public_key_sha1(),
    }
}

/// Finds the signer as mozpkix does: the issuer if the ResponderID names
/// it, else a certificate in the response that the ResponderID names and
/// that passes the delegated-responder checks. Then checks the signature.
fn check_signature(
    id: &ResponderId,
    basic: &SignedResponse<'_>,
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
    if id.serial_number != cert.serial {
        return None;
    }
    let CertIdAlgorithm::Hash(hash) = id.hash_algorithm else {
        return None;
    };
    // The name hashed is the certificate's issuer field (mozpkix hashes the
    // child's issuer bytes); the key is the issuer's subjectPublicKey bits.
    let key_hash = match hash {
        Hash::Sha1 => issuer.public_key_sha1().to_vec(),
        other => other.digest(&issuer.public_key),
    };
    (id.issuer_name_hash == hash.digest(&cert.issuer_der) && id.issuer_key_hash == key_hash)
        .then_some(hash)
}
