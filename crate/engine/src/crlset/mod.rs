//! CRLSets: the revocation lists Chrome pushes to every browser through its
//! component updater (component `hfnkpimlhhgieaddgfemjhofmfblmnib`), read
//! and checked as Chromium reads and checks them; the ladder's `crlset` step
//! (ladder/crlset.rs) asks it.
//!
//! **The file** (documented at the top of Chromium's net/cert/crl_set.cc):
//!
//! ```text
//! uint16le header_len
//! byte[header_len] header         JSON object
//! repeated until the end {         one block per parent (issuing CA)
//!   byte[32] parent_spki_sha256    SHA-256 of the parent's SubjectPublicKeyInfo DER
//!   uint32le num_serials
//!   num_serials times { uint8 serial_len; byte[serial_len] serial }
//! }
//! ```
//!
//! The header's keys, as `CRLSet::Parse` reads them: `ContentType`, the
//! string `"CRLSet"`; `Version`, the integer 0; `Sequence`, an integer of 32
//! signed bits (kept as unsigned); `NotAfter`, optional, seconds since the
//! epoch after which the set is expired (0, or anything not a number, means
//! no expiry; below zero refuses the file); `BlockedSPKIs`,
//! `KnownInterceptionSPKIs` and `BlockedInterceptionSPKIs`, lists of base64
//! SPKI SHA-256 hashes (the last is added to both others); `LimitedSubjects`,
//! an object from the base64 SHA-256 of a DER subject Name to the list of
//! SPKI hashes allowed for that subject. The JSON may carry one trailing
//! comma in an array or object (Chromium reads it with
//! `JSON_ALLOW_TRAILING_COMMAS`).
//!
//! **What Chromium lets through, and so do we:** `NumParents` (and the old
//! `DeltaFrom`) is written by the generators but never read: the parents
//! are the blocks up to the end of the file, whatever the header says (the
//! declared count is kept in [`CrlSetInfo::declared_parents`] for
//! inspection); a parent listed twice keeps its last block; a hash list or
//! `LimitedSubjects` of the wrong JSON type counts as absent; decoded
//! hashes of a length other than 32 are kept by Chromium but can never
//! match a SHA-256, so they are dropped here (counted in
//! [`CrlSetInfo::unmatchable_hashes`]); serials are compared exactly as
//! stored, of any length from 0 to 255 bytes. Not included: the SPKI block
//! list Chromium compiles in and adds to every set
//! (net/cert/cert_verify_proc_blocklist.inc).
//!
//! **The check** ([`CrlSet::check_chain`]) is Chromium's
//! `CheckChainRevocationUsingCRLSet` (net/cert/internal/revocation_checker.cc)
//! over `CheckSPKI`, `CheckSubject` and `CheckSerial` (crl_set.cc); see
//! check.rs and docs/ladder.md, "CRLSet".
//!
//! **The sync** ([`sync`]): the component updater's update check, the CRX3
//! package ([`crate::crx3`]) and the rollback rule, for the CLI and the
//! browser alike.

mod check;
mod error;
mod header;
mod parse;
pub mod sync;

use serde::Serialize;

pub use check::{
    CertAnswer, CertStatus, ChainAnswer, CrlSetResult, GoodWhy, Interception, RevokedBy, UnknownWhy,
};
pub use error::{CrlSetError, ParentPart};
pub use sync::CrlSetSyncError;

use crate::time::UnixTime;

/// A CRLSet, read and indexed: parents sorted by SPKI hash, each with its
/// serials sorted, the hash lists sorted, for binary search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrlSet {
    sequence: u32,
    not_after: Option<UnixTime>,
    declared_parents: Option<u64>,
    /// The parent blocks as read; `serials` point into it.
    body: Box<[u8]>,
    serials: Vec<SerialRef>,
    parents: Vec<Parent>,
    blocked_spkis: Vec<[u8; 32]>,
    known_interception_spkis: Vec<[u8; 32]>,
    limited_subjects: Vec<LimitedSubject>,
    unmatchable_hashes: usize,
}

/// One serial: `len` bytes at `at` in [`CrlSet::body`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SerialRef {
    at: u32,
    len: u8,
}

/// A parent and its serials, `serials` indexing [`CrlSet::serials`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct Parent {
    spki_sha256: [u8; 32],
    serials: core::ops::Range<u32>,
}

/// A subject limited to some SPKIs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LimitedSubject {
    subject_sha256: [u8; 32],
    allowed_spkis: Vec<[u8; 32]>,
}

/// What a set holds, for the inspector's views.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlSetInfo {
    pub sequence: u32,
    /// Seconds since the epoch; absent when the set never expires.
    pub not_after: Option<u64>,
    /// The header's `NumParents`, which nothing reads.
    pub declared_parents: Option<u64>,
    /// Distinct parents (a parent listed twice counts once).
    pub parents: usize,
    /// Serials under those parents.
    pub serials: usize,
    /// `BlockedSPKIs` and `BlockedInterceptionSPKIs`, distinct.
    pub blocked_spkis: usize,
    /// `KnownInterceptionSPKIs` and `BlockedInterceptionSPKIs`, distinct.
    pub known_interception_spkis: usize,
    pub limited_subjects: usize,
    /// Header hashes that decoded to other than 32 bytes: they match nothing.
    pub unmatchable_hashes: usize,
}

impl CrlSet {
    /// The monotonic sequence number of the set.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// When the set expires, if it does.
    pub fn not_after(&self) -> Option<UnixTime> {
        self.not_after
    }

    /// Chromium's `CRLSet::IsExpired`: past `NotAfter` (strictly later, in
    /// whole seconds); a set without one never expires.
    pub fn is_expired(&self, time: UnixTime) -> bool {
        self.not_after.is_some_and(|not_after| time > not_after)
    }

    /// The parents' SPKI hashes, sorted.
    pub fn parents(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.parents.iter().map(|p| &p.spki_sha256)
    }

    /// The serials listed under a parent, sorted; `None` when the set does
    /// not cover that parent.
    pub fn serials_of(&self, parent_spki_sha256: &[u8; 32]) -> Option<impl Iterator<Item = &[u8]>> {
        let parent = self.parent(parent_spki_sha256)?;
        Some(
            self.serials[parent.serials.start as usize..parent.serials.end as usize]
                .iter()
                .map(|s| self.serial_bytes(*s)),
        )
    }

    /// `BlockedSPKIs` and `BlockedInterceptionSPKIs`, sorted.
    pub fn blocked_spkis(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.blocked_spkis.iter()
    }

    pub fn info(&self) -> CrlSetInfo {
        CrlSetInfo {
            sequence: self.sequence,
            not_after: self.not_after.map(|t| t.0),
            declared_parents: self.declared_parents,
            parents: self.parents.len(),
            serials: self
                .parents
                .iter()
                .map(|p| (p.serials.end - p.serials.start) as usize)
                .sum(),
            blocked_spkis: self.blocked_spkis.len(),
            known_interception_spkis: self.known_interception_spkis.len(),
            limited_subjects: self.limited_subjects.len(),
            unmatchable_hashes: self.unmatchable_hashes,
        }
    }

    fn parent(&self, spki_sha256: &[u8; 32]) -> Option<&Parent> {
        self.parents
            .binary_search_by(|p| p.spki_sha256.cmp(spki_sha256))
            .ok()
            .map(|i| &self.parents[i])
    }

    fn serial_bytes(&self, serial: SerialRef) -> &[u8] {
        let at = serial.at as usize;
        &self.body[at..at + serial.len as usize]
    }
}
