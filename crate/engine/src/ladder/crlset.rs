//! The CRLSet step: Chrome's CRLSet asked of every certificate of the
//! chain, as Chromium's built-in verifier asks it
//! (net/cert/cert_verify_proc_builtin.cc `CheckPathAfterVerification`,
//! net/cert/internal/revocation_checker.cc
//! `CheckChainRevocationUsingCRLSet`; the walk is
//! [`CrlSet::check_chain`]).
//!
//! Each certificate takes its own answer from the walk: listed (a blocked
//! SPKI, a limited subject, its serial under its issuer's SPKI hash) is
//! `revoked`; covered and not listed is `good`; an issuer the set does not
//! cover, a negative serial, an expired set or no set at all gives no
//! answer and the ladder goes on. An expired set still revokes, as in
//! Chromium, where `IsExpired` only withholds the chain's GOOD.

use super::{decided, Decided, Input, Rung};
use crate::cert::Cert;
use crate::crlset::{CertStatus, ChainAnswer, CrlSet, GoodWhy, RevokedBy, UnknownWhy};
use crate::policy::CrlSetUse;
use crate::time::{describe_duration, UnixTime};
use crate::verdict::{Status, Step, StepOutcome};

/// The CRLSet's answers for one chain, asked once.
pub(super) enum CrlSetView<'a> {
    /// The policy does not consult the CRLSet: no step.
    Off,
    /// The policy enforces it and the host loaded none.
    Missing,
    Loaded {
        set: &'a CrlSet,
        answer: ChainAnswer,
        time: UnixTime,
    },
}

/// What the step leaves for the rest of the ladder.
pub(super) enum CrlSetSays {
    Revoked(Decided),
    /// Covered and not listed, by a set that has not expired.
    Good(Decided),
    /// No answer; `Some(why)` when the step ran.
    NoAnswer(Option<String>),
}

impl<'a> CrlSetView<'a> {
    pub(super) fn new(certs: &[&Cert], input: &Input<'a>) -> Self {
        match (input.policy.crlset, input.crlset) {
            (CrlSetUse::Disabled, _) => CrlSetView::Off,
            (CrlSetUse::Enforce, None) => CrlSetView::Missing,
            (CrlSetUse::Enforce, Some(set)) => CrlSetView::Loaded {
                set,
                answer: set.check_chain(certs, input.time),
                time: input.time,
            },
        }
    }

    /// The step for the certificate at `index` (0 the leaf).
    pub(super) fn step(&self, rung: &mut Rung<'_>, index: usize) -> CrlSetSays {
        let (set, answer, time) = match self {
            CrlSetView::Off => return CrlSetSays::NoAnswer(None),
            CrlSetView::Missing => {
                let why = "no CRLSet is loaded";
                rung.note(Step::Crlset, StepOutcome::NoCrlset, why);
                return CrlSetSays::NoAnswer(Some(why.into()));
            }
            CrlSetView::Loaded { set, answer, time } => (*set, answer, *time),
        };
        // The walk answers every certificate it was given; a shorter
        // answer would be a bug, said plainly rather than a panic.
        let Some(cert) = answer.certs.get(index) else {
            let why = format!("the CRLSet gave no answer for certificate #{index}");
            rung.note(Step::Crlset, StepOutcome::NotCovered, why.clone());
            return CrlSetSays::NoAnswer(Some(why));
        };
        let which = describe_set(set, time);
        let expired = set.is_expired(time);
        match cert.status {
            CertStatus::Revoked { by } => {
                let listed = match by {
                    RevokedBy::BlockedSpki => "its public key (SPKI SHA-256) is blocked",
                    RevokedBy::LimitedSubject => {
                        "its subject is limited to other public keys (LimitedSubjects)"
                    }
                    RevokedBy::Serial => "its serial is listed under its issuer's SPKI hash",
                };
                let still = if expired {
                    "; an expired set still revokes in Chromium"
                } else {
                    ""
                };
                let detail = format!("{which}: {listed}{still}");
                rung.note(Step::Crlset, StepOutcome::Listed, detail.clone());
                CrlSetSays::Revoked(decided(
                    Status::Revoked,
                    Step::Crlset,
                    format!("Revoked: {detail}."),
                ))
            }
            _ if expired => {
                let why = format!(
                    "{which}: past its NotAfter, what it does not list is no longer vouched for \
                     (Chromium answers unknown)"
                );
                rung.note(Step::Crlset, StepOutcome::CrlsetExpired, why.clone());
                CrlSetSays::NoAnswer(Some(why))
            }
            CertStatus::Unknown { why } => {
                let why = match why {
                    UnknownWhy::IssuerNotCovered => format!(
                        "{which} does not cover it: it lists no serials under its issuer's SPKI hash"
                    ),
                    UnknownWhy::NegativeSerial => format!(
                        "{which} does not cover it: its serial is negative, which the set's generator never lists"
                    ),
                };
                rung.note(Step::Crlset, StepOutcome::NotCovered, why.clone());
                CrlSetSays::NoAnswer(Some(why))
            }
            CertStatus::Good { why } => {
                let detail = match why {
                    GoodWhy::NotListed => format!(
                        "{which} covers its issuer and does not list it"
                    ),
                    GoodWhy::TopOfChain => format!(
                        "{which} blocks neither its public key nor its subject (the top of the chain: \
                         its issuer is not in it, so no serial is looked up)"
                    ),
                };
                rung.note(Step::Crlset, StepOutcome::NotListed, detail.clone());
                CrlSetSays::Good(decided(
                    Status::Good,
                    Step::Crlset,
                    format!("Good: {detail}; not revoked per the CRLSet."),
                ))
            }
        }
    }
}

/// "CRLSet sequence N (expires ...)": the set carries no issue date, so
/// its sequence and its NotAfter are what tell its age.
fn describe_set(set: &CrlSet, time: UnixTime) -> String {
    let expiry = match set.not_after() {
        None => "no NotAfter".to_owned(),
        Some(not_after) if time > not_after => format!(
            "expired at {not_after}, {} ago",
            describe_duration(time.0 - not_after.0)
        ),
        Some(not_after) => format!(
            "NotAfter {not_after}, in {}",
            describe_duration(not_after.0 - time.0)
        ),
    };
    format!("CRLSet sequence {} ({expiry})", set.sequence())
}
