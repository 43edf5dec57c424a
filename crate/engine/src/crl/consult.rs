//! Consulting the host's CRLs for one certificate: the answer of the list
//! held for its distribution point, the failure remembered for it, or the
//! fetch to make. The ladder's CRL rung and the hosts' "what the CA's CRL
//! says" view both go through here, so they cannot disagree.

use super::{
    judge, point_to_fetch, CachedCrl, CrlAnswer, CrlCache, CrlError, CrlFetch, CrlReport,
    CrlSummary,
};
use crate::cert::Cert;
use crate::limits::MAX_CRL_LEN;
use crate::ocsp::exchange::Offline;
use crate::time::UnixTime;

/// What consulting gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Consulted {
    /// The certificate names no CRL over HTTP.
    NoDistributionPoint,
    /// Nothing usable is held: fetch this (`why` says what is missing).
    Fetch { fetch: CrlFetch, why: String },
    /// The held list answered.
    Answered {
        report: CrlReport,
        answer: CrlAnswer,
    },
    /// No usable answer: a remembered failure, or the list's own error.
    Failed {
        report: CrlReport,
        offline: Offline,
        /// Why, in words, for the trace.
        detail: String,
    },
}

/// Consults `cache` for `cert` (issued by `issuer`) at `time`; a fetch it
/// asks for gets `timeout_ms`.
pub fn consult(
    cert: &Cert,
    issuer: &Cert,
    cache: Option<&CrlCache>,
    time: UnixTime,
    timeout_ms: u32,
) -> Consulted {
    let Some((point, url)) = point_to_fetch(cert) else {
        return Consulted::NoDistributionPoint;
    };
    let fetch = |why: String| Consulted::Fetch {
        fetch: CrlFetch {
            url: url.to_owned(),
            max_len: MAX_CRL_LEN,
            timeout_ms,
        },
        why,
    };
    let report =
        |list: Option<CrlSummary>, answer: Option<CrlAnswer>, offline: Option<Offline>| CrlReport {
            url: url.to_owned(),
            list,
            answer,
            offline,
        };
    let Some(held) = cache.and_then(|c| c.get(url)) else {
        return fetch(format!("needs the CRL {url} (GET)"));
    };
    // The list held before a failed fetch still answers for what it revoked
    // for good: judged stale, it says revoked or nothing, never good.
    if let CachedCrl::Failure {
        previous: Some(list),
        ..
    } = held
    {
        if let Ok(answer) = judge(list, cert, issuer, point, time) {
            return Consulted::Answered {
                report: report(Some(CrlSummary::of(list)), Some(answer.clone()), None),
                answer,
            };
        }
    }
    let recent = held.is_recent(time);
    match held {
        CachedCrl::Failure { offline, .. } if !recent => fetch(format!(
            "needs the CRL {url} again: the last fetch failed ({})",
            offline.class()
        )),
        CachedCrl::Failure {
            offline, failed_at, ..
        } => Consulted::Failed {
            report: report(None, None, Some(offline.clone())),
            offline: offline.clone(),
            detail: format!(
                "no usable CRL from {url}: {offline} (at {})",
                UnixTime(*failed_at)
            ),
        },
        CachedCrl::List { list, fetched_at } => {
            let summary = CrlSummary::of(list);
            match judge(list, cert, issuer, point, time) {
                Ok(answer) => Consulted::Answered {
                    report: report(Some(summary), Some(answer.clone()), None),
                    answer,
                },
                Err(CrlError::Stale { .. }) if !recent => fetch(format!(
                    "needs the CRL {url} again: the copy fetched at {} is stale",
                    UnixTime(*fetched_at)
                )),
                Err(e) => {
                    let offline = super::invalid(&e);
                    Consulted::Failed {
                        report: report(Some(summary), None, Some(offline.clone())),
                        offline,
                        detail: format!("the CRL {url} gives no usable answer: {e}"),
                    }
                }
            }
        }
    }
}
