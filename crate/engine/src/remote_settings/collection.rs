//! A Remote Settings collection as the sync keeps it, the changesets that
//! update it, and the bytes its content signature covers.
//!
//! Firefox's RemoteSettingsClient.sys.mjs (`maybeSync`,
//! `_validateCollectionSignature`) applies a changeset to the local records
//! (a record replaces the one with its id; a tombstone, `"deleted": true`,
//! removes it), then checks the signature over the whole result:
//! `{"data": <records sorted by id>, "last_modified": "<timestamp>"}` in
//! canonical JSON. So does this module.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::canonical_json;
use super::error::SyncError;
use crate::limits::{MAX_SNAPSHOT_LEN, MAX_SNAPSHOT_RECORDS};

/// One signature a changeset's metadata offers (`metadata.signature`, or
/// each of `metadata.signatures` while Mozilla rotates roots).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SignatureRef {
    /// The base64url `r || s` (or the `p384ecdsa=` header form).
    pub signature: String,
    /// Where the signer's PEM chain is.
    pub x5u: String,
}

/// The changeset endpoint's answer: `{"changes": [...], "timestamp": N,
/// "metadata": {"signature": {...}, "signatures": [...]}}`.
#[derive(Clone, Debug)]
pub struct Changeset {
    pub timestamp: u64,
    pub changes: Vec<Map<String, Value>>,
    pub signatures: Vec<SignatureRef>,
}

#[derive(Deserialize)]
struct RawChangeset {
    changes: Option<Vec<Value>>,
    timestamp: Option<u64>,
    metadata: Option<RawMetadata>,
}

#[derive(Deserialize)]
struct RawMetadata {
    signature: Option<Value>,
    signatures: Option<Vec<Value>>,
}

fn read_json<'a, T: Deserialize<'a>>(json: &'a [u8], what: &'static str) -> Result<T, SyncError> {
    if json.len() > MAX_SNAPSHOT_LEN {
        return Err(SyncError::TooLarge {
            len: json.len() as u64,
            max: MAX_SNAPSHOT_LEN as u64,
        });
    }
    serde_json::from_slice(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => SyncError::NotChangeset(format!("{what}: {e}")),
        serde_json::error::Category::Eof => SyncError::Truncated(e.to_string()),
        _ => SyncError::NotJson(e.to_string()),
    })
}

/// Each change must be an object with a string id.
fn read_records(items: Vec<Value>) -> Result<Vec<Map<String, Value>>, SyncError> {
    if items.len() > MAX_SNAPSHOT_RECORDS {
        return Err(SyncError::TooManyRecords {
            count: items.len(),
            max: MAX_SNAPSHOT_RECORDS,
        });
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::Object(map) if map.get("id").is_some_and(Value::is_string) => Ok(map),
            _ => Err(SyncError::RecordWithoutId { index }),
        })
        .collect()
}

fn id_of(record: &Map<String, Value>) -> &str {
    record.get("id").and_then(Value::as_str).unwrap_or_default()
}

impl Changeset {
    pub fn from_json(json: &[u8]) -> Result<Self, SyncError> {
        let raw: RawChangeset = read_json(json, "not a changeset")?;
        let changes = raw
            .changes
            .ok_or_else(|| SyncError::NotChangeset("no \"changes\" array".into()))?;
        let timestamp = raw
            .timestamp
            .ok_or_else(|| SyncError::NotChangeset("no numeric \"timestamp\"".into()))?;
        let mut offered = Vec::new();
        if let Some(metadata) = raw.metadata {
            offered.extend(metadata.signatures.unwrap_or_default());
            offered.extend(metadata.signature);
        }
        let mut signatures: Vec<SignatureRef> = Vec::new();
        for value in offered {
            let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
            let (Some(signature), Some(x5u)) = (field("signature"), field("x5u")) else {
                continue;
            };
            let entry = SignatureRef { signature, x5u };
            if !signatures.contains(&entry) {
                signatures.push(entry);
            }
        }
        Ok(Changeset {
            timestamp,
            changes: read_records(changes)?,
            signatures,
        })
    }
}

/// A whole collection: its records by id and its timestamp.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection {
    pub timestamp: u64,
    records: HashMap<String, Map<String, Value>>,
}

#[derive(Deserialize)]
struct RawDump {
    data: Option<Vec<Value>>,
    timestamp: Option<u64>,
}

impl Collection {
    /// Reads a collection kept as a dump, `{"data": [...], "timestamp": N}`
    /// (the shape Firefox ships and the sync stores).
    pub fn from_dump_json(json: &[u8]) -> Result<Self, SyncError> {
        let raw: RawDump = read_json(json, "not a collection dump")?;
        let data = raw
            .data
            .ok_or_else(|| SyncError::NotChangeset("no \"data\" array".into()))?;
        let timestamp = raw
            .timestamp
            .ok_or_else(|| SyncError::NotChangeset("no numeric \"timestamp\"".into()))?;
        let mut collection = Collection {
            timestamp,
            records: HashMap::new(),
        };
        for record in read_records(data)? {
            collection.records.insert(id_of(&record).to_owned(), record);
        }
        Ok(collection)
    }

    /// `base` with `changeset` applied; the whole changeset when there is
    /// no base. A changeset older than the base is a rollback and refused.
    pub fn apply(base: Option<&Collection>, changeset: &Changeset) -> Result<Self, SyncError> {
        let mut collection = match base {
            Some(base) if changeset.timestamp < base.timestamp => {
                return Err(SyncError::TimestampWentBack {
                    local: base.timestamp,
                    remote: changeset.timestamp,
                })
            }
            Some(base) => base.clone(),
            None => Collection {
                timestamp: changeset.timestamp,
                records: HashMap::new(),
            },
        };
        collection.timestamp = changeset.timestamp;
        for change in &changeset.changes {
            let id = id_of(change).to_owned();
            if change.get("deleted") == Some(&Value::Bool(true)) {
                collection.records.remove(&id);
            } else {
                collection.records.insert(id, change.clone());
            }
        }
        if collection.records.len() > MAX_SNAPSHOT_RECORDS {
            return Err(SyncError::TooManyRecords {
                count: collection.records.len(),
                max: MAX_SNAPSHOT_RECORDS,
            });
        }
        Ok(collection)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// The records, sorted by id.
    pub fn records(&self) -> impl Iterator<Item = &Map<String, Value>> {
        self.sorted().into_iter()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The records sorted by id as JavaScript sorts strings (UTF-16 code units).
    fn sorted(&self) -> Vec<&Map<String, Value>> {
        let mut records: Vec<_> = self.records.values().collect();
        records.sort_by(|a, b| id_of(a).encode_utf16().cmp(id_of(b).encode_utf16()));
        records
    }

    /// What the content signature covers (before its prefix).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let data: Vec<Value> = self
            .sorted()
            .into_iter()
            .map(|r| Value::Object(r.clone()))
            .collect();
        let mut payload = Map::new();
        payload.insert("data".into(), Value::Array(data));
        payload.insert(
            "last_modified".into(),
            Value::String(self.timestamp.to_string()),
        );
        canonical_json::to_string(&Value::Object(payload)).into_bytes()
    }

    /// The collection as a dump, `{"data": [...], "timestamp": N}`, records
    /// sorted by id: what is stored, and what [`crate::Snapshot::from_json`] reads.
    pub fn to_dump_json(&self) -> String {
        let mut dump = Map::new();
        dump.insert(
            "data".into(),
            Value::Array(
                self.sorted()
                    .into_iter()
                    .map(|r| Value::Object(r.clone()))
                    .collect(),
            ),
        );
        dump.insert("timestamp".into(), Value::from(self.timestamp));
        Value::Object(dump).to_string()
    }
}
