//! A filter set: one full filter and the deltas chained to it, queried as
//! one.

use serde::Serialize;

use super::error::CrliteError;
use clubcard_crlite::{CRLiteKey, IssuerSpkiHash};

use super::filter::{timestamps, Coverage, Filter, FilterKind};
use super::index::SetIndex;
use super::CrliteStatus;
use crate::cert::Cert;
use crate::limits::MAX_CRLITE_DELTAS;
use crate::sct::Sct;
use crate::time::{UnixTime, ONE_DAY};

/// Ten days after the last filter was installed, the set counts as no
/// filter: Firefox's cert_storage (`SecurityState::is_crlite_fresh`, fresh
/// while `now < last_update + 60 * 60 * 24 * 10`, `last_update` being when
/// the client last installed a full filter or a delta; no pref changes it).
pub const MAX_FILTER_AGE_SECS: u64 = 10 * ONE_DAY;

/// The full filter and its deltas, oldest first, each delta's `parent` the
/// filter before it.
#[derive(Debug)]
pub struct FilterSet {
    filters: Vec<Filter>,
    /// When the host last installed a filter of the set.
    installed_at: UnixTime,
    /// What every query looks up, laid out once.
    index: SetIndex,
}

/// The set's answer for one certificate, and which filter gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Lookup {
    pub status: CrliteStatus,
    /// The filter that decided: the one that lists it revoked, else the
    /// first that knows it good.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub filter: Option<String>,
}

/// The set in brief, for traces, the panel and the CLI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FilterSetInfo {
    pub full_id: String,
    /// The full filter's effective time (RFC 3339).
    pub full_effective: String,
    pub deltas: usize,
    /// The newest filter's effective time (RFC 3339).
    pub newest_effective: String,
    /// When the host last installed a filter (RFC 3339), and how long ago
    /// that was at the evaluation's time.
    pub installed_at: String,
    pub age_secs: u64,
    /// Installed more than ten days ago: counts as no filter.
    pub stale: bool,
    pub bytes: usize,
    pub enrolled_issuers: usize,
    pub coverage: Coverage,
}

impl FilterSet {
    /// Checks the chain: a full filter first, then deltas, each naming the
    /// one before it as `parent` and taking effect no earlier.
    /// `installed_at` is when the host last installed one of them.
    pub fn new(filters: Vec<Filter>, installed_at: UnixTime) -> Result<Self, CrliteError> {
        let Some(full) = filters.first() else {
            return Err(CrliteError::NoFullFilter);
        };
        if full.meta.kind != FilterKind::Full {
            return Err(CrliteError::NotFull {
                id: full.meta.id.clone(),
            });
        }
        if filters.len() - 1 > MAX_CRLITE_DELTAS {
            return Err(CrliteError::TooManyDeltas {
                count: filters.len() - 1,
                max: MAX_CRLITE_DELTAS,
            });
        }
        for pair in filters.windows(2) {
            let (previous, delta) = (&pair[0].meta, &pair[1].meta);
            if delta.kind != FilterKind::Delta {
                return Err(CrliteError::NotDelta {
                    id: delta.id.clone(),
                });
            }
            if delta.parent.as_deref() != Some(previous.id.as_str()) {
                return Err(CrliteError::BrokenChain {
                    id: delta.id.clone(),
                    parent: delta.parent.clone(),
                    expected: previous.id.clone(),
                });
            }
            if delta.effective_ms < previous.effective_ms {
                return Err(CrliteError::OutOfOrder {
                    id: delta.id.clone(),
                    effective_ms: delta.effective_ms,
                    previous_ms: previous.effective_ms,
                });
            }
        }
        let index = SetIndex::new(&filters);
        Ok(FilterSet {
            filters,
            installed_at,
            index,
        })
    }

    pub fn full(&self) -> &Filter {
        &self.filters[0]
    }

    pub fn deltas(&self) -> &[Filter] {
        &self.filters[1..]
    }

    pub fn filters(&self) -> &[Filter] {
        &self.filters
    }

    /// The newest filter's effective time, in milliseconds.
    pub fn newest_ms(&self) -> u64 {
        self.filters
            .last()
            .map_or(0, |filter| filter.meta.effective_ms)
    }

    pub fn installed_at(&self) -> UnixTime {
        self.installed_at
    }

    /// Time since the last install at `now`, in seconds (0 if in the future).
    pub fn age_secs(&self, now: UnixTime) -> u64 {
        now.0.saturating_sub(self.installed_at.0)
    }

    /// Too old to use at `now` (Firefox: not `now < last_update + 10 days`).
    pub fn is_stale(&self, now: UnixTime) -> bool {
        self.age_secs(now) >= MAX_FILTER_AGE_SECS
    }

    pub fn info(&self, now: UnixTime) -> FilterSetInfo {
        let full = self.full();
        FilterSetInfo {
            full_id: full.meta.id.clone(),
            full_effective: UnixTime(full.meta.effective_ms / 1000).to_string(),
            deltas: self.filters.len() - 1,
            newest_effective: UnixTime(self.newest_ms() / 1000).to_string(),
            installed_at: self.installed_at.to_string(),
            age_secs: self.age_secs(now),
            stale: self.is_stale(now),
            bytes: self.filters.iter().map(|f| f.len).sum(),
            enrolled_issuers: full.enrolled_issuers(),
            coverage: full.coverage(),
        }
    }

    /// Queries every filter: revoked in any wins, else not revoked in any,
    /// else not enrolled in any, else not covered.
    pub fn query(&self, issuer_spki_sha256: &[u8; 32], serial: &[u8], scts: &[Sct]) -> Lookup {
        let (status, filter) = self.decide(issuer_spki_sha256, serial, scts);
        Lookup {
            status,
            filter: filter.map(|n| self.filters[n].meta.id.clone()),
        }
    }

    /// [`FilterSet::query`]'s answer with the deciding filter as its place
    /// in [`FilterSet::filters`]: for hosts that keep something per filter.
    pub fn decide(
        &self,
        issuer_spki_sha256: &[u8; 32],
        serial: &[u8],
        scts: &[Sct],
    ) -> (CrliteStatus, Option<usize>) {
        self.index
            .ask(&self.filters, issuer_spki_sha256, serial, scts)
    }

    /// The same answer as [`FilterSet::query`], the plain way: every
    /// filter asked through clubcard-crlite's own `contains`. The tests
    /// hold the two to the same answers.
    pub fn query_each(&self, issuer_spki_sha256: &[u8; 32], serial: &[u8], scts: &[Sct]) -> Lookup {
        let mut best = Lookup {
            status: CrliteStatus::NotCovered,
            filter: None,
        };
        let issuer = IssuerSpkiHash(*issuer_spki_sha256);
        let key = CRLiteKey::new(&issuer, serial);
        let timestamps = timestamps(scts);
        for filter in &self.filters {
            let status = filter.status(&key, &timestamps);
            if rank(status) > rank(best.status) {
                best = Lookup {
                    status,
                    filter: Some(filter.meta.id.clone()),
                };
                if status == CrliteStatus::RevokedInFilter {
                    break;
                }
            }
        }
        if best.status == CrliteStatus::NotCovered {
            best.filter = None;
        }
        best
    }

    /// The set's answer for `leaf`, issued by `issuer`.
    pub fn lookup(&self, leaf: &Cert, issuer: &Cert) -> Lookup {
        self.query(issuer.spki.sha256(), &leaf.serial, &leaf.scts)
    }
}

/// Which answer wins when filters disagree.
fn rank(status: CrliteStatus) -> u8 {
    match status {
        CrliteStatus::NoFilter | CrliteStatus::NotCovered => 0,
        CrliteStatus::NotEnrolled => 1,
        CrliteStatus::NotRevoked => 2,
        CrliteStatus::RevokedInFilter => 3,
    }
}
