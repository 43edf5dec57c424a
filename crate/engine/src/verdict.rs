//! What the ladder answers: per certificate a status, the step that decided
//! it, a reason and the trace of every step consulted; per chain an outcome.
//!
//! The serialised form (kebab-case tokens) is the CLI's `--json` contract and
//! what the wasm build hands to the extension.

use serde::{Deserialize, Serialize};

use crate::cert::CrlDistributionPoint;
use crate::crl::{CrlFetch, CrlReport};
use crate::crlite::{FilterSetInfo, Lookup};
use crate::crlset::CrlSetInfo;
use crate::issuer::IssuerFetch;
use crate::ocsp::cache::{CacheEntry, OcspCache};
use crate::ocsp::exchange::Offline;
use crate::ocsp::{OcspFetch, ValidResponse};

/// The certificate's place in the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Leaf,
    Intermediate,
    Root,
}

/// The answer for one certificate. Unknown (a responder said so) and
/// offline (no usable answer) are never folded together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Good,
    Revoked,
    /// A responder answered "unknown".
    Unknown,
    /// No usable answer: timeout, network, HTTP or malformed response.
    Offline,
    /// Exempt from checking (short-lived).
    Exempt,
    /// Nothing decided it: the policy did not allow the step that was needed,
    /// or the certificate names no revocation source.
    NotChecked,
    /// Waiting for the host to fetch: an OCSP response (`fetch`) or the
    /// missing issuer certificate (`issuer_fetch`).
    Pending,
    /// The issuer is not in the chain and could not be obtained: nothing
    /// that needs it was decided. Incomplete input, not a revocation.
    Incomplete,
    /// A requirement failed (must-staple without a staple, say).
    Error,
}

/// The rung of the ladder that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Completing the chain: the leaf's issuer, from the chain or fetched
    /// from its AIA caIssuers URL.
    Issuer,
    Onecrl,
    /// Chrome's CRLSet.
    Crlset,
    Crlite,
    ShortLived,
    StapledOcsp,
    MustStaple,
    CachedOcsp,
    LiveOcsp,
    /// The CA's CRL (a step browsers do not take).
    Crl,
    NoRevocationInfo,
    Policy,
}

/// What one step found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    /// OneCRL lists the certificate.
    Listed,
    NotListed,
    /// No CRLite filter is loaded, or it is too old (Firefox's `no_filter`).
    NoFilter,
    /// CRLite: no embedded SCT is from a log and time the filters cover.
    /// CRLSet: the set lists nothing under the issuer's SPKI hash, or the
    /// serial is negative (never listed).
    NotCovered,
    /// The filters cover the certificate, but its issuer is not enrolled.
    NotEnrolled,
    /// The policy enforces the CRLSet and the host loaded none.
    NoCrlset,
    /// The CRLSet is past its `NotAfter`: what it does not list is no
    /// longer vouched for (what it lists is still revoked, as in Chromium).
    CrlsetExpired,
    Exempt,
    NotShortLived,
    /// No stapled response was given.
    Absent,
    /// The host could not see the stapled response (a browser capture).
    Hidden,
    /// A responder (stapled, cached or live) said good.
    Good,
    /// A responder said revoked.
    Revoked,
    /// A responder said unknown.
    Unknown,
    /// The stapled response failed in a way Firefox tolerates (expired,
    /// tryLater, invalid signer, no answer for this certificate): live OCSP
    /// is tried, and the staple decides only if that gives no answer.
    Deferred,
    /// The stapled response is invalid, and that decides.
    Invalid,
    /// The stapled response is neither a valid good nor revoked answer, and
    /// the policy (Chromium's rules) passes over it.
    Ignored,
    /// Live OCSP gave no usable answer; see the certificate's `offline`.
    Offline,
    /// The cache remembers a recent failure of this responder.
    CachedFailure,
    /// Nothing cached for this certificate.
    NotCached,
    /// The issuer carries a TLS Feature extension this certificate does not
    /// repeat (mozpkix `CheckTLSFeatures`).
    FeatureMissing,
    NotRequired,
    Satisfied,
    Missing,
    /// The host must fetch; see the certificate's `fetch` (OCSP) or
    /// `issuer_fetch` (the missing issuer).
    Pending,
    /// The missing issuer was fetched (AIA caIssuers) and verified.
    Fetched,
    /// The policy does not allow this step.
    NotAllowed,
    /// The policy skips live OCSP for chains to a built-in root.
    SkippedBuiltInRoot,
    /// The issuer is not in the chain, so no OCSP request can be built.
    NoIssuer,
    /// An issuer above is revoked (or failed), so the chain fails anyway and
    /// the leaf's responder is not asked.
    ChainRefused,
    /// The certificate's serial cannot be carried in an OCSP request.
    RequestUnencodable,
    /// The certificate names no OCSP responder.
    NoResponder,
    /// The certificate names no CRL to fetch over HTTP.
    NoDistributionPoint,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct TraceEntry {
    pub step: Step,
    pub outcome: StepOutcome,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertVerdict {
    pub index: usize,
    pub role: Role,
    pub subject: String,
    pub issuer: String,
    pub serial_hex: String,
    pub not_before: String,
    pub not_after: String,
    pub lifetime_secs: u64,
    pub status: Status,
    pub decided_by: Step,
    pub reason: String,
    pub trace: Vec<TraceEntry>,
    /// The live OCSP request to make, when `status` is `pending`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fetch: Option<OcspFetch>,
    /// The issuer certificate to fetch (AIA caIssuers), when `status` is
    /// `pending` because the chain lacks it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub issuer_fetch: Option<IssuerFetch>,
    /// The validated OCSP response (stapled or live) the decision rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub ocsp_response: Option<ValidResponse>,
    /// Why live OCSP gave no usable answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub offline: Option<Offline>,
    /// How long the live request took, as the host measured it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub elapsed_ms: Option<u32>,
    /// What the host should store in its OCSP cache ([`crate::ocsp::OcspCache::apply`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub cache_update: Option<CacheUpdate>,
    /// What CRLite said of the leaf, when the policy asked it (Firefox's
    /// `crlite_status` label, and the filter that decided).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crlite: Option<Lookup>,
    /// The CRL to fetch, when `status` is `pending` on the CRL step.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crl_fetch: Option<CrlFetch>,
    /// The CRL Distribution Points the certificate names (none: omitted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<CrlDistributionPoint>>", optional)
    )]
    pub crl_distribution_points: Vec<CrlDistributionPoint>,
    /// What the CRL step found, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crl: Option<CrlReport>,
}

/// One entry for the host's OCSP cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CacheUpdate {
    pub key: String,
    pub entry: CacheEntry,
}

// Here rather than in ocsp/cache.rs, so that the cache does not depend on
// the verdict that refers to it.
impl OcspCache {
    /// Stores every update a verdict asks for.
    pub fn apply(&mut self, verdict: &Verdict) {
        for update in verdict
            .certificates
            .iter()
            .filter_map(|c| c.cache_update.as_ref())
        {
            self.insert(update.key.clone(), update.entry.clone());
        }
    }
}

/// The chain's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Accept,
    Block,
    /// Accepted only because live OCSP failed and the policy soft-fails.
    SoftFailAccept,
    /// Something is still needed: a live OCSP answer, or the issuer that
    /// the chain lacks (fetched, or not obtainable). Never a block.
    Incomplete,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OneCrlInfo {
    /// The collection's timestamp, in milliseconds.
    pub timestamp: u64,
    pub records: usize,
    pub age_secs: u64,
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Verdict {
    pub policy: String,
    pub evaluated_at: String,
    pub onecrl: OneCrlInfo,
    /// The CRLite filter set the evaluation had, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crlite: Option<FilterSetInfo>,
    /// The CRLSet the evaluation had, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crlset: Option<CrlSetInfo>,
    pub certificates: Vec<CertVerdict>,
    pub outcome: Outcome,
    /// Would a hard-fail policy block this page? `None` when that depends on
    /// a live OCSP answer that was not obtained.
    pub hard_fail_would_block: Option<bool>,
}

macro_rules! words {
    ($ty:ty { $($variant:ident => $text:expr),+ $(,)? }) => {
        impl $ty {
            /// The same token as the JSON form.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words!(Role { Leaf => "leaf", Intermediate => "intermediate", Root => "root" });
words!(Status {
    Good => "good", Revoked => "revoked", Unknown => "unknown", Offline => "offline", Exempt => "exempt",
    NotChecked => "not-checked", Pending => "pending", Incomplete => "incomplete", Error => "error",
});
words!(Step {
    Issuer => "issuer", Onecrl => "onecrl", Crlset => "crlset", Crlite => "crlite", ShortLived => "short-lived", StapledOcsp => "stapled-ocsp",
    MustStaple => "must-staple", CachedOcsp => "cached-ocsp", LiveOcsp => "live-ocsp", Crl => "crl",
    NoRevocationInfo => "no-revocation-info", Policy => "policy",
});
words!(StepOutcome {
    Listed => "listed", NotListed => "not-listed", NoFilter => "no-filter", NotCovered => "not-covered",
    NotEnrolled => "not-enrolled", NoCrlset => "no-crlset", CrlsetExpired => "crlset-expired", Exempt => "exempt",
    NotShortLived => "not-short-lived", Absent => "absent", Hidden => "hidden", Good => "good", Revoked => "revoked",
    Unknown => "unknown", Deferred => "deferred", Invalid => "invalid", Ignored => "ignored", Offline => "offline",
    CachedFailure => "cached-failure", NotCached => "not-cached", FeatureMissing => "feature-missing",
    NotRequired => "not-required", Satisfied => "satisfied", Missing => "missing", Pending => "pending",
    Fetched => "fetched", NotAllowed => "not-allowed", SkippedBuiltInRoot => "skipped-built-in-root", NoIssuer => "no-issuer", ChainRefused => "chain-refused", RequestUnencodable => "request-unencodable",
    NoResponder => "no-responder", NoDistributionPoint => "no-distribution-point",
});
words!(Outcome { Accept => "accept", Block => "block", SoftFailAccept => "soft-fail-accept", Incomplete => "incomplete" });

#[cfg(test)]
mod tests {
    use super::*;

    /// The readable tokens and the JSON tokens are one vocabulary.
    #[test]
    fn display_matches_json() {
        fn same<T: Serialize + core::fmt::Display>(v: T) {
            assert_eq!(
                serde_json::to_value(&v).unwrap(),
                serde_json::Value::String(v.to_string())
            );
        }
        same(Status::NotChecked);
        same(Step::NoRevocationInfo);
        same(Step::Crl);
        same(Step::Crlset);
        same(StepOutcome::NoCrlset);
        same(StepOutcome::CrlsetExpired);
        same(StepOutcome::NoDistributionPoint);
        same(StepOutcome::SkippedBuiltInRoot);
        same(Outcome::SoftFailAccept);
        same(Role::Intermediate);
    }
}
