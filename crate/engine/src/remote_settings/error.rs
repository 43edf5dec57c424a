//! Why a sync changed nothing: one case per way it can fail.

use std::fmt;

use super::content_signature::ContentSignatureError;
use crate::crlite::CrliteError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncError {
    /// The server could not be reached, or the connection broke.
    Network { url: String, why: String },
    /// The server answered with an HTTP error.
    HttpStatus { url: String, status: u16 },
    /// A body larger than the sync accepts.
    TooLarge { len: u64, max: u64 },
    /// The body ended early.
    Truncated(String),
    /// The body is not JSON.
    NotJson(String),
    /// JSON, but not a changeset (or the monitor's list of collections).
    NotChangeset(String),
    /// More records than a snapshot may hold.
    TooManyRecords { count: usize, max: usize },
    /// A record that is not an object with a string id.
    RecordWithoutId { index: usize },
    /// The monitor's list does not mention the collection.
    NotInMonitor { bucket: String, collection: String },
    /// The server offers an older collection than the one in force (a
    /// rollback, or a server serving stale data).
    TimestampWentBack { local: u64, remote: u64 },
    /// The changeset carries no signature.
    Unsigned,
    /// The signer's chain could not be fetched.
    ChainFetch { x5u: String, why: String },
    /// The content signature was refused.
    Signature {
        x5u: String,
        error: ContentSignatureError,
    },
    /// The verified collection could not be loaded as a OneCRL snapshot.
    Snapshot(String),
    /// The verified cert-revocations records, or a filter they name, could
    /// not be used.
    Crlite(CrliteError),
}

impl SyncError {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Network { .. } => "network",
            SyncError::HttpStatus { .. } => "http-status",
            SyncError::TooLarge { .. } => "too-large",
            SyncError::Truncated(_) => "truncated",
            SyncError::NotJson(_) => "not-json",
            SyncError::NotChangeset(_) => "not-changeset",
            SyncError::TooManyRecords { .. } => "too-many-records",
            SyncError::RecordWithoutId { .. } => "record-without-id",
            SyncError::NotInMonitor { .. } => "not-in-monitor",
            SyncError::TimestampWentBack { .. } => "rollback",
            SyncError::Unsigned => "unsigned",
            SyncError::ChainFetch { .. } => "chain-fetch",
            SyncError::Signature { error, .. } => error.code(),
            SyncError::Snapshot(_) => "snapshot",
            SyncError::Crlite(error) => error.code(),
        }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SyncError::*;
        match self {
            Network { url, why } => write!(f, "{url} could not be fetched: {why}"),
            HttpStatus { url, status } => write!(f, "{url} answered HTTP {status}"),
            TooLarge { len, max } => {
                write!(f, "the answer is {len} bytes, more than the {max} accepted")
            }
            Truncated(why) => write!(f, "the answer ended early: {why}"),
            NotJson(why) => write!(f, "the answer is not JSON: {why}"),
            NotChangeset(why) => write!(f, "the answer is not a Remote Settings changeset: {why}"),
            TooManyRecords { count, max } => {
                write!(f, "{count} records, more than the {max} a snapshot may hold")
            }
            RecordWithoutId { index } => {
                write!(f, "change {index} is not a record with a string id")
            }
            NotInMonitor { bucket, collection } => write!(
                f,
                "the server's list of collections does not mention {bucket}/{collection}"
            ),
            TimestampWentBack { local, remote } => write!(
                f,
                "the server offers timestamp {remote}, older than the {local} in force: a rollback, refused"
            ),
            Unsigned => f.write_str("the changeset carries no content signature"),
            ChainFetch { x5u, why } => {
                write!(f, "the signer's chain at {x5u} could not be fetched: {why}")
            }
            Signature { error, .. } => error.fmt(f),
            Snapshot(why) => write!(f, "the verified collection is not a usable OneCRL snapshot: {why}"),
            Crlite(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SyncError {}
