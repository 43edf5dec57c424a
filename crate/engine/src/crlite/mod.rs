//! CRLite: the end-entity revocation data Firefox pushes to every browser
//! (clubcard filters over every CT-logged certificate), queried with
//! Mozilla's own `clubcard-crlite` decoder.
//!
//! A [`FilterSet`] is one full filter and the chain of deltas published
//! after it. The key of a certificate is the SHA-256 of its issuer's SPKI
//! DER and its serial number's content octets; the embedded SCTs (log id,
//! timestamp) say whether the filters cover it at all.
//!
//! Pure like the rest of the engine: the host downloads and stores the
//! filters ([`records`] says which), the engine reads them and answers.

pub mod error;
pub mod filter;
mod index;
pub mod records;
pub mod set;
pub mod sync;

use serde::{Deserialize, Serialize};

pub use error::CrliteError;
pub use filter::{Filter, FilterKind};
pub use set::{FilterSet, FilterSetInfo, Lookup};

pub use set::MAX_FILTER_AGE_SECS;

/// What CRLite says of one certificate, named as Firefox's
/// `cert_verifier.crlite_status` telemetry labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CrliteStatus {
    /// No filter is loaded, or the newest is too old to use.
    NoFilter,
    /// No embedded SCT falls in a log interval the filters cover.
    NotCovered,
    /// Covered, but the issuer is not enrolled in CRLite.
    NotEnrolled,
    /// Covered, enrolled, and in no filter's revoked set.
    NotRevoked,
    /// A filter lists it as revoked.
    RevokedInFilter,
}

impl CrliteStatus {
    pub const ALL: [CrliteStatus; 5] = [
        CrliteStatus::NoFilter,
        CrliteStatus::NotCovered,
        CrliteStatus::NotEnrolled,
        CrliteStatus::NotRevoked,
        CrliteStatus::RevokedInFilter,
    ];

    /// Firefox's label, the same token as the JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            CrliteStatus::NoFilter => "no_filter",
            CrliteStatus::NotCovered => "not_covered",
            CrliteStatus::NotEnrolled => "not_enrolled",
            CrliteStatus::NotRevoked => "not_revoked",
            CrliteStatus::RevokedInFilter => "revoked_in_filter",
        }
    }

    /// Covered and enrolled: the filters know this certificate's status.
    pub fn is_covered(self) -> bool {
        matches!(
            self,
            CrliteStatus::NotRevoked | CrliteStatus::RevokedInFilter
        )
    }
}

impl core::fmt::Display for CrliteStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
