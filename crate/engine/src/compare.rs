//! The same chain under several policies: what Firefox, Chrome, Mozilla's
//! plan and hard-fail would make of it, beside the policy in force, each
//! view saying which of the data it needs the evaluation did not have, so
//! that a view without its data says so rather than passing for an answer.
//!
//! Pure like the ladder: nothing is fetched; a view that needs a live OCSP
//! answer or a CRL is `incomplete`, with that need in `missing`.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ladder::{evaluate, Input};
use crate::policy::{CrlSetUse, CrliteMode, OneCrlUse, Policy};
use crate::verdict::{Outcome, Status, Step, Verdict};

/// The presets every comparison shows, in this order; the policy in force
/// comes after them unless it is one of them.
pub const COMPARED_PRESETS: [&str; 4] =
    ["firefox-today", "chrome-today", "mozilla-plan", "hard-fail"];

/// Data a view needs and the evaluation did not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// The policy enforces the CRLSet and none is loaded.
    NoCrlset,
    /// The CRLSet is past its NotAfter: its "not listed" no longer counts.
    CrlsetExpired,
    /// The policy asks CRLite and no filter is loaded.
    NoCrliteFilter,
    /// The CRLite filters were last updated more than ten days ago, so
    /// they count as none (Firefox's `no_filter`).
    CrliteStale,
    /// The OneCRL snapshot is older than the policy's `onecrl_max_age_hours`.
    OnecrlStale,
    /// A certificate waits for a live OCSP answer.
    LiveOcspAnswer,
    /// A certificate waits for its CA's CRL.
    Crl,
    /// The leaf waits for its issuer certificate (AIA caIssuers).
    Issuer,
}

/// One policy's view of the chain. Read back too: a host that showed the
/// verdict first hands its view to [`compare_beside`] later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct View {
    /// The policy's name.
    pub name: String,
    /// This is the policy in force.
    pub in_force: bool,
    pub outcome: Outcome,
    pub leaf_status: Status,
    pub leaf_decided_by: Step,
    /// Empty when the view had all it needs.
    pub missing: Vec<Missing>,
}

/// The views, the presets first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Comparison {
    pub views: Vec<View>,
}

/// Evaluates `input` under each of [`COMPARED_PRESETS`] and under
/// `input.policy`, with the same chain and the same loaded data. Fails as
/// [`evaluate`] does, only when the chain itself is unusable.
pub fn compare(input: &Input<'_>) -> Result<Comparison, Error> {
    compare_with(input, &evaluate(input)?)
}

/// [`compare`], for a host that has evaluated `input` already: `in_force`
/// is that verdict, the view of `input.policy`, not evaluated again.
pub fn compare_with(input: &Input<'_>, in_force: &Verdict) -> Result<Comparison, Error> {
    compare_beside(input, in_force_view(input, in_force))
}

/// The view of `input.policy` that `verdict` (its evaluation) gives.
pub fn in_force_view(input: &Input<'_>, verdict: &Verdict) -> View {
    view(input, input.policy, verdict, true)
}

/// [`compare_with`] for a host that kept only the view of the policy in
/// force ([`in_force_view`]) and compares later, off the page's way: the
/// other presets are evaluated with `input`, `in_force` is shown as given.
pub fn compare_beside(input: &Input<'_>, in_force: View) -> Result<Comparison, Error> {
    let mut views = Vec::with_capacity(COMPARED_PRESETS.len() + 1);
    let mut in_force = Some(in_force);
    for name in COMPARED_PRESETS {
        let policy = Policy::preset(name)?;
        if policy == *input.policy {
            views.extend(in_force.take());
        } else {
            let verdict = evaluate(&Input {
                policy: &policy,
                ..*input
            })?;
            views.push(view(input, &policy, &verdict, false));
        }
    }
    views.extend(in_force);
    Ok(Comparison { views })
}

fn view(input: &Input<'_>, policy: &Policy, verdict: &Verdict, in_force: bool) -> View {
    let leaf = &verdict.certificates[0];
    View {
        name: policy.name.clone(),
        in_force,
        outcome: verdict.outcome,
        leaf_status: leaf.status,
        leaf_decided_by: leaf.decided_by,
        missing: missing(input, policy, verdict),
    }
}

/// What `policy` needed that `input` did not carry, in [`Missing`]'s order.
fn missing(input: &Input<'_>, policy: &Policy, verdict: &Verdict) -> Vec<Missing> {
    let mut missing = Vec::new();
    if policy.crlset == CrlSetUse::Enforce {
        match input.crlset {
            None => missing.push(Missing::NoCrlset),
            Some(set) if set.is_expired(input.time) => missing.push(Missing::CrlsetExpired),
            Some(_) => {}
        }
    }
    if policy.crlite != CrliteMode::Disabled {
        match input.crlite {
            None => missing.push(Missing::NoCrliteFilter),
            Some(set) if set.is_stale(input.time) => missing.push(Missing::CrliteStale),
            Some(_) => {}
        }
    }
    if policy.onecrl == OneCrlUse::Enforce && verdict.onecrl.stale {
        missing.push(Missing::OnecrlStale);
    }
    for (step, need) in [
        (Step::LiveOcsp, Missing::LiveOcspAnswer),
        (Step::Crl, Missing::Crl),
        (Step::Issuer, Missing::Issuer),
    ] {
        let waits = verdict
            .certificates
            .iter()
            .any(|c| c.status == Status::Pending && c.decided_by == step);
        if waits {
            missing.push(need);
        }
    }
    missing
}

impl Missing {
    /// The same token as the JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::NoCrlset => "no-crlset",
            Missing::CrlsetExpired => "crlset-expired",
            Missing::NoCrliteFilter => "no-crlite-filter",
            Missing::CrliteStale => "crlite-stale",
            Missing::OnecrlStale => "onecrl-stale",
            Missing::LiveOcspAnswer => "live-ocsp-answer",
            Missing::Crl => "crl",
            Missing::Issuer => "issuer",
        }
    }
}

impl core::fmt::Display for Missing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
