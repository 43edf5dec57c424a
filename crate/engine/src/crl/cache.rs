//! The host's CRLs, by URL: each list read and checked once, kept as its
//! index (not its bytes) until the host replaces it; a failed fetch kept
//! for [`FAILURE_CACHE_SECS`] like a failed OCSP request, so a dead server
//! is not asked on every page load. A host that keeps lists across
//! restarts takes each in its stored form ([`CrlCache::stored`]) and puts
//! it back ([`CrlCache::insert_stored`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{check_time, CrlError, CrlList, StoredCrlError};
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
    List {
        list: Arc<CrlList>,
        fetched_at: u64,
    },
    Failure {
        offline: Offline,
        failed_at: u64,
        /// The list held before the fetch that failed (stale by then):
        /// kept, as the revocations it lists are final
        /// ([`super::judge`]).
        previous: Option<Arc<CrlList>>,
    },
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

/// A held list as the host keeps it ([`CrlCache::stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredList {
    /// The list's stored form ([`CrlList::to_bytes`]).
    pub bytes: Vec<u8>,
    /// When it was fetched (seconds since the epoch).
    pub fetched_at: u64,
    /// Its last usable second ([`CrlList::usable_until`]): the host may
    /// delete it after that without asking the engine.
    pub usable_until: u64,
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
                let previous = match self.entries.get(url) {
                    Some(CachedCrl::List { list, .. }) => Some(Arc::clone(list)),
                    Some(CachedCrl::Failure { previous, .. }) => previous.clone(),
                    None => None,
                };
                self.insert(
                    url,
                    CachedCrl::Failure {
                        offline: offline.clone(),
                        failed_at: now.0,
                        previous,
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

    /// The list held for `url` in its stored form ([`CrlList::to_bytes`]),
    /// for the host to keep across restarts: none when no list is held, or
    /// when it is not usable at `now` (stale: the host would only delete it).
    pub fn stored(&self, url: &str, now: UnixTime) -> Option<StoredList> {
        match self.entries.get(url)? {
            CachedCrl::List { list, fetched_at } if check_time(list, now).is_ok() => {
                Some(StoredList {
                    bytes: list.to_bytes(),
                    fetched_at: *fetched_at,
                    usable_until: list.usable_until(),
                })
            }
            _ => None,
        }
    }

    /// Puts back a list the host kept ([`CrlCache::stored`]), fetched at
    /// `fetched_at`. Refused when the bytes do not read, or when the list
    /// is not usable at `now` ([`StoredCrlError::Unusable`]): the host then
    /// deletes it. A list held from a later fetch stays; a failure held is
    /// replaced (a list still in date answers where a failed refetch
    /// cannot). A `fetched_at` after `now` (a clock set back) counts as
    /// `now`, so the list is not taken for recent for longer than it is.
    pub fn insert_stored(
        &mut self,
        url: &str,
        bytes: &[u8],
        fetched_at: UnixTime,
        now: UnixTime,
    ) -> Result<(), StoredCrlError> {
        let list = CrlList::from_bytes(bytes)?;
        check_time(&list, now).map_err(StoredCrlError::Unusable)?;
        let fetched_at = fetched_at.0.min(now.0);
        if let Some(CachedCrl::List {
            fetched_at: held, ..
        }) = self.entries.get(url)
        {
            if *held >= fetched_at {
                return Ok(());
            }
        }
        self.insert(
            url,
            CachedCrl::List {
                list: Arc::new(list),
                fetched_at,
            },
        );
        Ok(())
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
        _ => transport_body(outcome, MAX_CRL_LEN)
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
