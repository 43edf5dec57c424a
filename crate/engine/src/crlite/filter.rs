//! One CRLite filter: a clubcard and what its Remote Settings record says
//! of it (id, full or delta, when it took effect, the filter it follows).

use clubcard_crlite::{CRLiteClubcard, CRLiteKey, CRLiteStatus, IssuerSpkiHash, LogId, Timestamp};
use serde::{Deserialize, Serialize};

use super::error::CrliteError;
use super::CrliteStatus;
use crate::limits::MAX_CRLITE_FILTER_LEN;
use crate::sct::Sct;

/// A full filter covers every enrolled issuer; a delta lists what was
/// revoked since the filter it follows (the record's `incremental`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum FilterKind {
    Full,
    Delta,
}

/// What a filter's record says of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FilterMeta {
    pub id: String,
    pub kind: FilterKind,
    /// The record's `effectiveTimestamp`: when the revocations it lists were
    /// collected, in milliseconds.
    pub effective_ms: u64,
    /// The record's `parent`: the filter this delta follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub parent: Option<String>,
}

/// A decoded filter.
pub struct Filter {
    pub meta: FilterMeta,
    /// The encoding byte: 3 (bincode) or 4.
    pub encoding: u8,
    /// The file's size in bytes.
    pub len: usize,
    clubcard: CRLiteClubcard,
}

impl core::fmt::Debug for Filter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Filter")
            .field("meta", &self.meta)
            .field("encoding", &self.encoding)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl Filter {
    /// Decodes a filter file (either clubcard encoding).
    pub fn from_bytes(meta: FilterMeta, bytes: &[u8]) -> Result<Self, CrliteError> {
        if bytes.len() > MAX_CRLITE_FILTER_LEN {
            return Err(CrliteError::FilterTooLarge {
                id: meta.id,
                len: bytes.len(),
                max: MAX_CRLITE_FILTER_LEN,
            });
        }
        // The decoder's error type is private to clubcard-crlite, so the
        // encoding byte is judged here, where it can be named.
        let encoding = match bytes.first() {
            Some(&version @ (3 | 4)) => version,
            Some(&version) => {
                return Err(CrliteError::UnsupportedEncoding {
                    id: meta.id,
                    version,
                })
            }
            None => {
                return Err(CrliteError::Malformed {
                    id: meta.id,
                    why: "the file is empty".into(),
                })
            }
        };
        let clubcard = CRLiteClubcard::from_bytes(bytes).map_err(|e| CrliteError::Malformed {
            id: meta.id.clone(),
            why: describe(&e),
        })?;
        check_layout(&clubcard).map_err(|why| CrliteError::Malformed {
            id: meta.id.clone(),
            why,
        })?;
        Ok(Filter {
            meta,
            encoding,
            len: bytes.len(),
            clubcard,
        })
    }

    /// The clubcard's answer for one certificate. The SCTs are tried in
    /// order, as `CRLiteClubcard::contains` does: the first covered one
    /// decides.
    pub fn query(
        &self,
        issuer_spki_sha256: &[u8; 32],
        serial: &[u8],
        scts: &[Sct],
    ) -> CrliteStatus {
        let issuer = IssuerSpkiHash(*issuer_spki_sha256);
        self.status(&CRLiteKey::new(&issuer, serial), &timestamps(scts))
    }

    /// [`Filter::query`] with the key already hashed: a set hashes it once
    /// for all its filters (SHA-256 of issuer and serial, the bulk of a
    /// query's cost, as `npm run bench` showed with 31 filters).
    pub(crate) fn status(
        &self,
        key: &CRLiteKey<'_>,
        timestamps: &[(LogId, Timestamp)],
    ) -> CrliteStatus {
        match self.clubcard.contains(key, timestamps.iter().copied()) {
            CRLiteStatus::Good => CrliteStatus::NotRevoked,
            CRLiteStatus::Revoked => CrliteStatus::RevokedInFilter,
            CRLiteStatus::NotEnrolled => CrliteStatus::NotEnrolled,
            CRLiteStatus::NotCovered => CrliteStatus::NotCovered,
        }
    }

    /// How many issuers the filter has data for.
    pub(crate) fn clubcard(&self) -> &CRLiteClubcard {
        &self.clubcard
    }

    pub fn enrolled_issuers(&self) -> usize {
        self.clubcard.index().len()
    }

    /// The CT logs it covers, and the widest time span among them (ms).
    pub fn coverage(&self) -> Coverage {
        let mut coverage = Coverage::default();
        for (_, interval) in self.clubcard.universe().iter() {
            coverage.logs += 1;
            coverage.earliest_ms = Some(
                coverage
                    .earliest_ms
                    .map_or(interval.low.0, |e| e.min(interval.low.0)),
            );
            coverage.latest_ms = Some(
                coverage
                    .latest_ms
                    .map_or(interval.high.0, |l| l.max(interval.high.0)),
            );
        }
        coverage
    }
}

/// The decoder reads the index and the filter columns without relating
/// them, and the query indexes the columns by the index's rank: a damaged
/// filter would panic there (clubcard 0.3.4 `unchecked_contains`). Column
/// reads past the end are bounded by the query itself; the offsets and
/// sizes must fit in 32 bits, as encoding 4 stores them, so that adding
/// them cannot overflow (the bincode encoding stores 64-bit ones).
fn check_layout(clubcard: &CRLiteClubcard) -> Result<(), String> {
    let inner = clubcard.as_ref();
    let fits = |a: usize, b: usize| a.checked_add(b).is_some_and(|sum| sum <= u32::MAX as usize);
    for (block, entry) in &inner.index {
        let name = || crate::hex::encode(block);
        if entry.approx_filter_rank > inner.approx_filter.len() {
            return Err(format!(
                "issuer block {} needs {} approximate columns, the filter has {}",
                name(),
                entry.approx_filter_rank,
                inner.approx_filter.len()
            ));
        }
        if !fits(entry.approx_filter_offset, entry.approx_filter_m)
            || !fits(entry.exact_filter_offset, entry.exact_filter_m)
        {
            return Err(format!(
                "issuer block {} has offsets or sizes beyond 32 bits",
                name()
            ));
        }
    }
    Ok(())
}

/// The SCTs as the clubcard reads them: (log id, timestamp in ms).
pub(crate) fn timestamps(scts: &[Sct]) -> Vec<(LogId, Timestamp)> {
    scts.iter()
        .map(|sct| (LogId(sct.log_id), Timestamp(sct.timestamp_ms)))
        .collect()
}

/// A filter's CT coverage, in brief.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Coverage {
    pub logs: usize,
    pub earliest_ms: Option<u64>,
    pub latest_ms: Option<u64>,
}

/// The decoder's error with its cause (its `Display` alone says only
/// "failed to deserialize clubcard").
fn describe(error: &dyn std::error::Error) -> String {
    match error.source() {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}
