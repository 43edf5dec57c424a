//! The host's CRLs, by URL: each list read and checked once, kept as its
//! index (not its bytes) until the host replaces it; a failed fetch kept
//! for [`FAILURE_CACHE_SECS`] like a failed OCSP request, so a dead server
//! is not asked on every page load.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{CrlError, CrlList};
use crate::cert::Cert;
use crate::limits::MAX_CRL_LEN;
use crate::ocsp::cache::FAILURE_CACHE_SECS;
use crate::ocsp::exchange::{transport_body, FetchOutcome, Offline};
use crate::time::UnixTime;
use crate::verify::SignatureVerifier;

/// Most lists kept; the least recently fetched goes first. A browsing day
/// meets a few dozen CAs, each with a few shards.
pub const MAX_CACHED_CRLS: usize = 256;

/// What the cache holds for one URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CachedCrl {
    List { list: Arc<CrlList>, fetched_at: u64 },
    Failure { offline: Offline, failed_at: u64 },
}

impl CachedCrl {
    fn stamp(&self) -> u64 {
        match self {
            Self::List { fetched_at, .. } => *fetched_at,
            Self::Failure { failed_at, .. } => *failed_at,
        }
    }

    /// Recent enough that fetching again would be too soon: a failure, or
    /// a list whose server keeps serving it stale, is not asked again for
    /// [`FAILURE_CACHE_SECS`].
    pub fn is_recent(&self, now: UnixTime) -> bool {
        now.0 < self.stamp().saturating_add(FAILURE_CACHE_SECS)
    }
}

#[derive(Clone, Debug, Default)]
pub struct CrlCache {
    entries: BTreeMap<String, CachedCrl>,
}

impl CrlCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, url: &str) -> Option<&CachedCrl> {
        self.entries.get(url)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Stores what the host got from `url` for a certificate issued by
    /// `issuer`: the list, read and checked, or the failure. Returns the
    /// list, or the failure.
    pub fn ingest(
        &mut self,
        url: &str,
        outcome: &FetchOutcome,
        issuer: &Cert,
        now: UnixTime,
        verifier: &dyn SignatureVerifier,
    ) -> Result<Arc<CrlList>, Offline> {
        self.record(url, read_fetched(outcome, issuer, verifier), now)
    }

    /// Stores a list already read ([`read_fetched`]), or its failure; for
    /// hosts whose signature checks are asynchronous and happen between
    /// the reading and the storing.
    pub fn record(
        &mut self,
        url: &str,
        read: Result<CrlList, Offline>,
        now: UnixTime,
    ) -> Result<Arc<CrlList>, Offline> {
        match read {
            Ok(list) => {
                let list = Arc::new(list);
                self.insert(
                    url,
                    CachedCrl::List {
                        list: Arc::clone(&list),
                        fetched_at: now.0,
                    },
                );
                Ok(list)
            }
            Err(offline) => {
                self.insert(
                    url,
                    CachedCrl::Failure {
                        offline: offline.clone(),
                        failed_at: now.0,
                    },
                );
                Err(offline)
            }
        }
    }

    /// Stores a list read elsewhere (a file given on the command line).
    pub fn insert_list(&mut self, url: &str, list: Arc<CrlList>, now: UnixTime) {
        self.insert(
            url,
            CachedCrl::List {
                list,
                fetched_at: now.0,
            },
        );
    }

    fn insert(&mut self, url: &str, entry: CachedCrl) {
        if !self.entries.contains_key(url) && self.entries.len() >= MAX_CACHED_CRLS {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.stamp())
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(url.to_owned(), entry);
    }
}

/// Reads what the host got for a CRL: the list, checked against `issuer`,
/// or why there is none (a transport class, or the list's own error).
pub fn read_fetched(
    outcome: &FetchOutcome,
    issuer: &Cert,
    verifier: &dyn SignatureVerifier,
) -> Result<CrlList, Offline> {
    match outcome {
        // The host stopped reading: say it as the list's own limit.
        FetchOutcome::TooLarge { len, .. } => Err(invalid(&CrlError::TooLarge {
            len: *len,
            max: MAX_CRL_LEN,
        })),
        _ => transport_body(outcome)
            .and_then(|body| CrlList::read(body, issuer, verifier).map_err(|e| invalid(&e))),
    }
}

/// A CRL that arrived but cannot be used, as an [`Offline`] class.
pub fn invalid(e: &CrlError) -> Offline {
    Offline::InvalidResponse {
        code: e.class(),
        detail: e.to_string(),
    }
}
