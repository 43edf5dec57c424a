//! Why a CRL gives no usable answer. One variant per failure, each with a
//! class token (`class()`) that the trace, the cache and telemetry share.

use crate::time::UnixTime;
use crate::verify::SignatureError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrlError {
    /// Larger than [`crate::limits::MAX_CRL_LEN`].
    TooLarge { len: usize, max: usize },
    /// More entries than [`crate::limits::MAX_CRL_ENTRIES`].
    TooManyEntries { max: usize },
    /// A part does not decode as RFC 5280 section 5.1 describes it.
    Malformed { part: &'static str, cause: String },
    /// A version other than v1 (absent) or v2 (1).
    UnsupportedVersion(u64),
    /// The signature AlgorithmIdentifier inside the TBSCertList differs from
    /// the outer one (RFC 5280 section 5.1.1.2).
    AlgorithmMismatch,
    /// The same extension twice, in the list or in one entry.
    DuplicateExtension { oid: String },
    /// A critical extension the engine does not process: RFC 5280 section
    /// 5.2 forbids using such a CRL. `serial` names the entry, if it is one.
    UnknownCriticalExtension { oid: String, serial: Option<String> },
    /// A delta CRL (deltaCRLIndicator): it says nothing alone.
    DeltaUnsupported,
    /// An indirect CRL (the IDP's indirectCRL, an entry's certificateIssuer,
    /// or the certificate's distribution point naming a cRLIssuer).
    IndirectUnsupported { why: &'static str },
    /// Not issued by the certificate's issuer, or by a key that may not sign CRLs.
    WrongIssuer { why: String },
    /// The signature does not verify, or cannot be checked.
    Signature(SignatureError),
    /// thisUpdate is in the future.
    NotYetValid { this_update: u64 },
    /// nextUpdate has passed, or, without one, the list is older than the
    /// policy's maximum.
    Stale {
        until: u64,
        without_next_update: bool,
    },
    /// The list's Issuing Distribution Point does not cover this certificate.
    ScopeMismatch { why: String },
    /// The list, or the certificate's distribution point, covers only some
    /// revocation reasons, so not being listed does not mean good.
    PartialReasons { why: &'static str },
}

impl CrlError {
    /// The class token, as the trace, the cache and telemetry write it.
    pub fn class(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } | Self::TooManyEntries { .. } => "too-large",
            Self::Malformed { .. }
            | Self::UnsupportedVersion(_)
            | Self::AlgorithmMismatch
            | Self::DuplicateExtension { .. } => "malformed",
            Self::UnknownCriticalExtension { .. } => "unknown-critical-extension",
            Self::DeltaUnsupported => "delta-unsupported",
            Self::IndirectUnsupported { .. } => "indirect-unsupported",
            Self::WrongIssuer { .. } => "wrong-issuer",
            Self::Signature(SignatureError::BadSignature | SignatureError::MalformedSignature) => {
                "bad-signature"
            }
            Self::Signature(SignatureError::Backend(_) | SignatureError::NotChecked) => {
                "signature-not-checked"
            }
            Self::Signature(_) => "unsupported-signature",
            Self::NotYetValid { .. } => "not-yet-valid",
            Self::Stale { .. } => "stale",
            Self::ScopeMismatch { .. } => "scope-mismatch",
            Self::PartialReasons { .. } => "partial-reasons",
        }
    }
}

impl std::fmt::Display for CrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { len, max } => {
                write!(f, "the CRL is {len} bytes, over the {max}-byte limit")
            }
            Self::TooManyEntries { max } => {
                write!(f, "the CRL lists more than {max} certificates, the limit")
            }
            Self::Malformed { part, cause } => write!(f, "malformed CRL ({part}): {cause}"),
            Self::UnsupportedVersion(v) => {
                write!(f, "unsupported CRL version {} (v1 and v2 are defined)", v + 1)
            }
            Self::AlgorithmMismatch => f.write_str(
                "the CRL's two signature algorithm fields differ (RFC 5280 section 5.1.1.2)",
            ),
            Self::DuplicateExtension { oid } => write!(f, "the CRL repeats the extension {oid}"),
            Self::UnknownCriticalExtension { oid, serial: None } => {
                write!(f, "the CRL carries the unknown critical extension {oid}")
            }
            Self::UnknownCriticalExtension {
                oid,
                serial: Some(serial),
            } => write!(
                f,
                "the CRL entry for serial {serial} carries the unknown critical extension {oid}"
            ),
            Self::DeltaUnsupported => {
                f.write_str("a delta CRL (deltaCRLIndicator), which cannot answer alone")
            }
            Self::IndirectUnsupported { why } => write!(f, "an indirect CRL ({why}): not supported"),
            Self::WrongIssuer { why } => write!(f, "not the certificate's issuer's CRL: {why}"),
            Self::Signature(e) => write!(f, "the CRL's signature: {e}"),
            Self::NotYetValid { this_update } => {
                write!(f, "the CRL's thisUpdate {} is in the future", UnixTime(*this_update))
            }
            Self::Stale {
                until,
                without_next_update: false,
            } => write!(f, "the CRL is stale: its nextUpdate {} has passed", UnixTime(*until)),
            Self::Stale {
                until,
                without_next_update: true,
            } => write!(
                f,
                "the CRL is stale: it has no nextUpdate, and the policy's maximum age ended {}",
                UnixTime(*until)
            ),
            Self::ScopeMismatch { why } => {
                write!(f, "the CRL does not cover this certificate: {why}")
            }
            Self::PartialReasons { why } => write!(
                f,
                "{why} covers only some revocation reasons, so a certificate it does not list may still be revoked"
            ),
        }
    }
}

impl std::error::Error for CrlError {}
