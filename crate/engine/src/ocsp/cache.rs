//! The OCSP answer cache: a plain, serialisable structure the host keeps
//! and persists (the engine never stores anything itself).
//!
//! Rules, after Firefox's OCSPCache (security/certverifier/OCSPCache.cpp):
//! - a good or unknown answer is used until it expires (its `valid_until`
//!   plus mozpkix's one day of slop);
//! - a revoked answer never expires: a certificate does not come back;
//! - a failure is remembered for 5 minutes (`ServerFailureDelaySeconds` in
//!   NSSCertDBTrustDomain.cpp), so a dead responder is not asked on every
//!   page load.
//!
//! Entries are keyed by the CertID (issuer name and key hashes and serial),
//! never by site. The cache is bounded; the oldest entries go first.
//!
//! The cache knows nothing of verdicts: what a verdict asks it to store, it
//! stores through `OcspCache::apply`, defined beside the verdict in
//! [`crate::verdict`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cert::Cert;
use crate::hex;
use crate::ocsp::response::{Answer, OCSP_TIME_SLOP_SECS};
use crate::time::UnixTime;

/// How long a failed fetch is remembered: Firefox's `ServerFailureDelaySeconds`.
pub const FAILURE_CACHE_SECS: u64 = 5 * 60;

/// Most entries kept. Firefox's OCSPCache holds 1,024 (`MaxEntries`).
pub const MAX_CACHE_ENTRIES: usize = 1024;

/// What a cache entry remembers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Cached {
    Good,
    Revoked {
        revocation_time: u64,
        reason: Option<String>,
    },
    Unknown,
    /// No usable answer; `class` is the failure's class (timeout, http-status...).
    Failure {
        class: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CacheEntry {
    pub answer: Cached,
    /// When it was stored, seconds since the epoch.
    pub stored_at: u64,
    /// Until when it may be used; `None`: forever (revoked).
    pub use_until: Option<u64>,
}

impl CacheEntry {
    /// An entry for a validated answer that is usable until `valid_until`.
    pub fn answered(answer: &Answer, valid_until: u64, now: UnixTime) -> Self {
        let (answer, use_until) = match answer {
            Answer::Good => (
                Cached::Good,
                Some(valid_until.saturating_add(OCSP_TIME_SLOP_SECS)),
            ),
            Answer::Unknown => (
                Cached::Unknown,
                Some(valid_until.saturating_add(OCSP_TIME_SLOP_SECS)),
            ),
            Answer::Revoked {
                revocation_time,
                reason,
            } => (
                Cached::Revoked {
                    revocation_time: *revocation_time,
                    reason: reason.map(str::to_owned),
                },
                None,
            ),
        };
        CacheEntry {
            answer,
            stored_at: now.0,
            use_until,
        }
    }

    pub fn failure(class: &str, now: UnixTime) -> Self {
        CacheEntry {
            answer: Cached::Failure {
                class: class.to_owned(),
            },
            stored_at: now.0,
            use_until: Some(now.0.saturating_add(FAILURE_CACHE_SECS)),
        }
    }

    pub fn is_usable_at(&self, time: UnixTime) -> bool {
        // An entry from the future (the clock went back) is not trusted.
        self.stored_at <= time.0 && self.use_until.is_none_or(|until| time.0 <= until)
    }
}

/// The cache key of a certificate: hex of SHA-1(issuer name) ‖
/// SHA-1(issuer key) ‖ serial, the parts of its SHA-1 CertID.
pub fn cache_key(cert: &Cert, issuer: &Cert) -> String {
    let mut key = hex::encode(&cert.issuer_name_sha1(issuer));
    key.push_str(&hex::encode(issuer.public_key_sha1()));
    key.push(':');
    key.push_str(&hex::encode(&cert.serial));
    key
}

/// The host-kept cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OcspCache {
    entries: BTreeMap<String, CacheEntry>,
}

impl OcspCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A usable entry for `key` at `time`.
    pub fn get(&self, key: &str, time: UnixTime) -> Option<&CacheEntry> {
        self.entries.get(key).filter(|e| e.is_usable_at(time))
    }

    /// Stores an entry; a revoked entry is never replaced by anything else.
    pub fn insert(&mut self, key: String, entry: CacheEntry) {
        if let Some(existing) = self.entries.get(&key) {
            if matches!(existing.answer, Cached::Revoked { .. }) {
                return;
            }
        }
        if !self.entries.contains_key(&key) && self.entries.len() >= MAX_CACHE_ENTRIES {
            self.evict_oldest();
        }
        self.entries.insert(key, entry);
    }

    /// Drops entries that can no longer be used at `time`.
    pub fn prune(&mut self, time: UnixTime) {
        self.entries
            .retain(|_, e| e.use_until.is_none_or(|until| time.0 <= until));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn evict_oldest(&mut self) {
        // Revoked entries are kept longest: they are the ones that matter.
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| (matches!(e.answer, Cached::Revoked { .. }), e.stored_at))
            .map(|(k, _)| k.clone());
        if let Some(key) = oldest {
            self.entries.remove(&key);
        }
    }
}
