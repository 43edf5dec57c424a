//! The `security-state/cert-revocations` collection: which of its records
//! make the filter set, and the checks on their attachments.
//!
//! A record (as mozilla/crlite's publisher writes it):
//!
//! ```json
//! { "id": "...", "incremental": false, "effectiveTimestamp": 1795000000000,
//!   "parent": "<id of the filter a delta follows>", "channel": "default",
//!   "details": {"name": "2026-11-20T12:00:00Z-full"},
//!   "attachment": {"hash": "<sha-256, lower-case hex>", "size": 123,
//!                  "filename": "...", "location": "security-state/...", "mimetype": "..."} }
//! ```
//!
//! The set is the newest full filter of the channel and the deltas chained
//! to it by `parent` (Firefox's client, security/manager/ssl/
//! RemoteSecuritySettings.sys.mjs `CRLiteFilters`, followed this chain
//! until it began to trust the server to publish exactly one full filter
//! and its deltas; following it also survives a server that does not).

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::CrliteError;
use super::filter::{FilterKind, FilterMeta};
use crate::hex;
use crate::limits::{MAX_CRLITE_DELTAS, MAX_CRLITE_FILTER_LEN, MAX_CRLITE_RECORDS};
use crate::remote_settings::Collection;

/// Where Firefox reads CRLite filters from.
pub const COLLECTION: &str = "cert-revocations";
/// Firefox's `security.pki.crlite_channel` on desktop ("compat", priority
/// revocations only, on Android).
pub const DEFAULT_CHANNEL: &str = "default";

/// A record's attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Attachment {
    /// SHA-256 of the file, lower-case hex.
    pub hash: String,
    pub size: u64,
    pub filename: String,
    /// Relative to the server's attachments base URL.
    pub location: String,
}

/// One filter record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FilterRecord {
    pub meta: FilterMeta,
    pub channel: Option<String>,
    pub attachment: Attachment,
}

/// What the records make: the chain to install, and what was left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Selection {
    /// The full filter, then its deltas in chain order.
    pub chain: Vec<FilterRecord>,
    /// Records not used, each with why (another channel, an older full
    /// filter, a delta off the chain, a record that does not read).
    pub skipped: Vec<Skipped>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Skipped {
    pub id: String,
    pub why: String,
}

impl FilterRecord {
    /// Reads one record.
    pub fn from_json(record: &Map<String, Value>) -> Result<Self, CrliteError> {
        let id = record
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let bad = |why: &str| CrliteError::BadRecord {
            id: id.clone(),
            why: why.to_owned(),
        };
        let kind = match record.get("incremental") {
            Some(Value::Bool(true)) => FilterKind::Delta,
            Some(Value::Bool(false)) | None => FilterKind::Full,
            Some(_) => return Err(bad("\"incremental\" is not a boolean")),
        };
        let effective_ms = record
            .get("effectiveTimestamp")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("no numeric \"effectiveTimestamp\""))?;
        let parent = match record.get("parent") {
            None | Some(Value::Null) => None,
            Some(Value::String(parent)) => Some(parent.clone()),
            Some(_) => return Err(bad("\"parent\" is not a string")),
        };
        let channel = match record.get("channel") {
            None | Some(Value::Null) => None,
            Some(Value::String(channel)) => Some(channel.clone()),
            Some(_) => return Err(bad("\"channel\" is not a string")),
        };
        let attachment = record
            .get("attachment")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no \"attachment\" object"))?;
        let text = |name: &str| {
            attachment
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| bad(&format!("the attachment has no string \"{name}\"")))
        };
        let hash = text("hash")?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("the attachment's hash is not 64 hex digits"));
        }
        let size = attachment
            .get("size")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("the attachment has no numeric \"size\""))?;
        if size > MAX_CRLITE_FILTER_LEN as u64 {
            return Err(CrliteError::FilterTooLarge {
                id,
                len: usize::try_from(size).unwrap_or(usize::MAX),
                max: MAX_CRLITE_FILTER_LEN,
            });
        }
        let location = text("location")?;
        if location.contains("..") || location.starts_with('/') || location.contains("://") {
            return Err(bad("the attachment's location is not a relative path"));
        }
        Ok(FilterRecord {
            meta: FilterMeta {
                id: id.clone(),
                kind,
                effective_ms,
                parent,
            },
            channel,
            attachment: Attachment {
                hash: hash.to_ascii_lowercase(),
                size,
                filename: text("filename")?,
                location,
            },
        })
    }

    /// The attachment's URL under the server's attachments base.
    pub fn url(&self, attachments_base: &str) -> String {
        format!(
            "{}/{}",
            attachments_base.trim_end_matches('/'),
            self.attachment.location
        )
    }

    /// The downloaded file is the one the signed record names: its size
    /// and SHA-256 (as Firefox's attachment downloader checks).
    pub fn check(&self, bytes: &[u8]) -> Result<(), CrliteError> {
        let mismatch = |why: String| CrliteError::AttachmentMismatch {
            id: self.meta.id.clone(),
            why,
        };
        if bytes.len() as u64 != self.attachment.size {
            return Err(mismatch(format!(
                "{} bytes, the record says {}",
                bytes.len(),
                self.attachment.size
            )));
        }
        let digest = hex::encode(&Sha256::digest(bytes));
        if digest != self.attachment.hash {
            return Err(mismatch(format!(
                "SHA-256 {digest}, the record says {}",
                self.attachment.hash
            )));
        }
        Ok(())
    }
}

/// The newest full filter of `channel` and the deltas chained to it.
pub fn select(collection: &Collection, channel: &str) -> Result<Selection, CrliteError> {
    if collection.len() > MAX_CRLITE_RECORDS {
        return Err(CrliteError::TooManyRecords {
            count: collection.len(),
            max: MAX_CRLITE_RECORDS,
        });
    }
    let mut skipped = Vec::new();
    let mut records = Vec::new();
    for record in collection.records() {
        match FilterRecord::from_json(record) {
            Ok(r) if r.channel.as_deref().unwrap_or(DEFAULT_CHANNEL) != channel => {
                skipped.push(Skipped {
                    id: r.meta.id.clone(),
                    why: format!(
                        "channel {}, not {channel}",
                        r.channel.as_deref().unwrap_or(DEFAULT_CHANNEL)
                    ),
                });
            }
            Ok(r) => records.push(r),
            Err(e) => skipped.push(Skipped {
                id: record
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                why: e.to_string(),
            }),
        }
    }
    // Newest full filter; equal times break by id, so the choice is stable.
    let full = records
        .iter()
        .filter(|r| r.meta.kind == FilterKind::Full)
        .max_by(|a, b| (a.meta.effective_ms, &a.meta.id).cmp(&(b.meta.effective_ms, &b.meta.id)))
        .cloned()
        .ok_or(CrliteError::NoFullFilter)?;
    let mut chain = vec![full];
    loop {
        let tip = &chain[chain.len() - 1].meta;
        let next = records.iter().find(|r| {
            r.meta.kind == FilterKind::Delta && r.meta.parent.as_deref() == Some(tip.id.as_str())
        });
        match next {
            // A cycle cannot form: ids are unique, and each step adds one.
            Some(next) if chain.iter().all(|c| c.meta.id != next.meta.id) => {
                if chain.len() > MAX_CRLITE_DELTAS {
                    return Err(CrliteError::TooManyDeltas {
                        count: chain.len(),
                        max: MAX_CRLITE_DELTAS,
                    });
                }
                chain.push(next.clone());
            }
            _ => break,
        }
    }
    for r in &records {
        if chain.iter().all(|c| c.meta.id != r.meta.id) {
            skipped.push(Skipped {
                id: r.meta.id.clone(),
                why: match r.meta.kind {
                    FilterKind::Full => "an older full filter".into(),
                    FilterKind::Delta => format!(
                        "a delta not chained to the full filter {} (parent {})",
                        chain[0].meta.id,
                        r.meta.parent.as_deref().unwrap_or("none")
                    ),
                },
            });
        }
    }
    Ok(Selection { chain, skipped })
}
