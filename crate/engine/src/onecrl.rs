//! OneCRL: Mozilla's centrally pushed revocation list, as a Remote Settings
//! collection (bucket `security-state`, collection `onecrl`).
//!
//! Records name a certificate in one of two ways, indexed the way Firefox's
//! cert_storage does (security/manager/ssl/cert_storage/src/lib.rs,
//! `make_key!` and `get_revocation_state`):
//! - `issuerName` (base64 DER Name, the whole TLV) + `serialNumber` (base64 of
//!   the INTEGER's content octets, exactly as encoded): key "is"‖issuer‖serial;
//! - `subject` (base64 DER Name) + `pubKeyHash` (base64 SHA-256 of the whole
//!   SubjectPublicKeyInfo DER): key "spk"‖subject‖hash.
//!
//! Both Names are self-delimiting TLVs, so the unseparated keys cannot collide.
//! The issuer+serial key is looked up first, as cert_storage does.
//!
//! `"enabled": false` records count as revoked. Firefox ignores the field:
//! RemoteSecuritySettings.sys.mjs `updateCertBlocklist` stores every created
//! or updated record as `STATE_ENFORCE` when it has issuerName+serialNumber
//! or subject+pubKeyHash, and the only record filter Remote Settings applies
//! (`jexlFilterFunc`) reads `filter_expression`, never `enabled`. The flag is
//! kept per record so that reports can show it.

use std::collections::{HashMap, HashSet};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::cert::Cert;
use crate::error::Error;
use crate::limits::{MAX_SNAPSHOT_LEN, MAX_SNAPSHOT_RECORDS};
use crate::time::UnixTime;

const KEY_ISSUER_SERIAL: &[u8] = b"is";
const KEY_SUBJECT_PUBKEY: &[u8] = b"spk";

/// How a record names the certificates it revokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    IssuerSerial,
    SubjectPubKeyHash,
}

/// What is kept of one record, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Record {
    pub id: String,
    pub kind: RecordKind,
    /// The record's `enabled` flag; false still revokes (see the module docs).
    pub enabled: bool,
    pub last_modified: Option<u64>,
    /// `details.bug`: the Bugzilla entry that asked for the revocation.
    pub bug: Option<String>,
    /// `details.why`.
    pub why: Option<String>,
}

/// A record that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RejectedRecord {
    /// Position in the collection's record array.
    pub index: usize,
    pub id: Option<String>,
    pub why: String,
}

/// Where the collection came from, as its JSON said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CollectionShape {
    /// `{"data": [...], "timestamp": N}`, as Firefox ships in omni.ja.
    Dump,
    /// `{"changes": [...], "timestamp": N, "metadata": {...}}`, the changeset endpoint.
    Changeset,
}

/// A loaded and indexed OneCRL snapshot.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The collection's timestamp, in milliseconds since the epoch.
    pub timestamp_ms: u64,
    pub shape: CollectionShape,
    records: Vec<Record>,
    index: HashMap<Box<[u8]>, u32>,
    /// Subjects named by subject+pubKeyHash records: only certificates with
    /// one of these subjects need their key hashed.
    key_subjects: HashSet<Box<[u8]>>,
    /// Tombstones (`"deleted": true`) in a changeset, which revoke nothing.
    pub deleted: usize,
    pub rejected: Vec<RejectedRecord>,
}

/// Counts a user can read at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SnapshotStats {
    pub timestamp: u64,
    pub shape: CollectionShape,
    /// Usable records, both kinds.
    pub records: usize,
    pub issuer_serial: usize,
    pub subject_pubkey_hash: usize,
    /// Records with `"enabled": false` (counted as revoked, as in Firefox).
    pub disabled: usize,
    pub deleted: usize,
    pub rejected: usize,
}

#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(borrow)]
    data: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    changes: Option<Vec<&'a RawValue>>,
    timestamp: Option<u64>,
}

/// The fields the index needs. Others are ignored, as Firefox ignores them.
#[derive(Deserialize)]
struct RawRecord {
    id: Option<String>,
    #[serde(rename = "issuerName")]
    issuer_name: Option<String>,
    #[serde(rename = "serialNumber")]
    serial_number: Option<String>,
    subject: Option<String>,
    #[serde(rename = "pubKeyHash")]
    pub_key_hash: Option<String>,
    enabled: Option<bool>,
    deleted: Option<bool>,
    last_modified: Option<u64>,
    details: Option<RawDetails>,
}

#[derive(Deserialize)]
struct RawDetails {
    bug: Option<String>,
    why: Option<String>,
}

impl Snapshot {
    /// Loads a collection in either shape. A record that cannot be used is
    /// counted in [`Snapshot::rejected`]; the rest of the snapshot still loads.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        if json.len() > MAX_SNAPSHOT_LEN {
            return Err(Error::SnapshotTooLarge {
                len: json.len(),
                max: MAX_SNAPSHOT_LEN,
            });
        }
        // One pass over the (megabyte-sized) collection; serde_json's error
        // category tells bad JSON from JSON of the wrong shape.
        if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            // Not an object (a struct would also accept an array): say why.
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(json) {
                    Ok(_) => Error::SnapshotNotCollection("expected a JSON object"),
                    Err(e) => Error::SnapshotNotJson(e.to_string()),
                },
            );
        }
        let collection: Collection<'_> =
            serde_json::from_slice(json).map_err(|e| match e.classify() {
                serde_json::error::Category::Data => Error::SnapshotNotCollection(
                    "\"data\" or \"changes\" must be an array and \"timestamp\" a number",
                ),
                _ => Error::SnapshotNotJson(e.to_string()),
            })?;
        let (shape, items) = match (collection.data, collection.changes) {
            (Some(items), None) => (CollectionShape::Dump, items),
            (None, Some(items)) => (CollectionShape::Changeset, items),
            (Some(_), Some(_)) => {
                return Err(Error::SnapshotNotCollection(
                    "has both \"data\" and \"changes\"",
                ))
            }
            (None, None) => {
                return Err(Error::SnapshotNotCollection(
                    "has neither \"data\" nor \"changes\"",
                ))
            }
        };
        let timestamp_ms = collection
            .timestamp
            .ok_or(Error::SnapshotNotCollection("no numeric \"timestamp\""))?;
        if items.len() > MAX_SNAPSHOT_RECORDS {
            return Err(Error::SnapshotTooManyRecords {
                count: items.len(),
                max: MAX_SNAPSHOT_RECORDS,
            });
        }

        let mut snapshot = Snapshot {
            timestamp_ms,
            shape,
            records: Vec::with_capacity(items.len()),
            index: HashMap::with_capacity(items.len()),
            key_subjects: HashSet::new(),
            deleted: 0,
            rejected: Vec::new(),
        };
        for (index, item) in items.into_iter().enumerate() {
            let raw: RawRecord = match serde_json::from_str(item.get()) {
                Ok(raw) => raw,
                Err(e) => {
                    snapshot.rejected.push(RejectedRecord {
                        index,
                        id: None,
                        why: format!("not a record: {e}"),
                    });
                    continue;
                }
            };
            if raw.deleted == Some(true) {
                snapshot.deleted += 1;
                continue;
            }
            if let Err(why) = snapshot.add(raw) {
                snapshot.rejected.push(RejectedRecord {
                    index,
                    id: why.0,
                    why: why.1,
                });
            }
        }
        Ok(snapshot)
    }

    fn add(&mut self, raw: RawRecord) -> Result<(), (Option<String>, String)> {
        let id = raw.id.clone();
        let fail = |why: String| (id.clone(), why);
        let decode = |field: &str, text: &str| {
            BASE64
                .decode(text)
                .map_err(|e| fail(format!("{field} is not base64: {e}")))
        };
        let (kind, key) = match (
            &raw.issuer_name,
            &raw.serial_number,
            &raw.subject,
            &raw.pub_key_hash,
        ) {
            (Some(issuer), Some(serial), _, _) => {
                let (issuer, serial) = (
                    decode("issuerName", issuer)?,
                    decode("serialNumber", serial)?,
                );
                if issuer.is_empty() || serial.is_empty() {
                    return Err(fail("empty issuerName or serialNumber".into()));
                }
                (
                    RecordKind::IssuerSerial,
                    [KEY_ISSUER_SERIAL, &issuer, &serial].concat(),
                )
            }
            (_, _, Some(subject), Some(hash)) => {
                let (subject, hash) = (decode("subject", subject)?, decode("pubKeyHash", hash)?);
                if subject.is_empty() {
                    return Err(fail("empty subject".into()));
                }
                if hash.len() != 32 {
                    return Err(fail(format!(
                        "pubKeyHash is {} bytes, not a SHA-256",
                        hash.len()
                    )));
                }
                let key = [KEY_SUBJECT_PUBKEY, &subject, &hash].concat();
                self.key_subjects.insert(subject.into_boxed_slice());
                (RecordKind::SubjectPubKeyHash, key)
            }
            _ => {
                return Err(fail(
                    "needs issuerName+serialNumber or subject+pubKeyHash".into(),
                ))
            }
        };
        let id = raw.id.unwrap_or_default();
        let details = raw.details;
        let position = u32::try_from(self.records.len()).expect("bounded by MAX_SNAPSHOT_RECORDS");
        self.records.push(Record {
            id,
            kind,
            enabled: raw.enabled.unwrap_or(true),
            last_modified: raw.last_modified,
            bug: details
                .as_ref()
                .and_then(|d| d.bug.clone())
                .filter(|s| !s.is_empty()),
            why: details.and_then(|d| d.why).filter(|s| !s.is_empty()),
        });
        // Two records for one certificate: the first one found reports it.
        self.index.entry(key.into_boxed_slice()).or_insert(position);
        Ok(())
    }

    /// The record that revokes this certificate, if any.
    pub fn lookup(&self, cert: &Cert) -> Option<&Record> {
        self.lookup_issuer_serial(&cert.issuer_der, &cert.serial)
            .or_else(|| {
                self.key_subjects
                    .contains(cert.subject_der.as_slice())
                    .then(|| self.lookup_subject_spki(&cert.subject_der, cert.spki.sha256()))
                    .flatten()
            })
    }

    pub fn lookup_issuer_serial(&self, issuer_der: &[u8], serial: &[u8]) -> Option<&Record> {
        self.get(&[KEY_ISSUER_SERIAL, issuer_der, serial].concat())
    }

    pub fn lookup_subject_spki(
        &self,
        subject_der: &[u8],
        spki_sha256: &[u8; 32],
    ) -> Option<&Record> {
        self.get(&[KEY_SUBJECT_PUBKEY, subject_der, spki_sha256].concat())
    }

    fn get(&self, key: &[u8]) -> Option<&Record> {
        self.index.get(key).map(|&i| &self.records[i as usize])
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Seconds from the snapshot's timestamp to `now` (0 if it is from the future).
    pub fn age_secs(&self, now: UnixTime) -> u64 {
        now.0.saturating_sub(self.timestamp_ms / 1000)
    }

    pub fn stats(&self) -> SnapshotStats {
        let count = |kind| self.records.iter().filter(|r| r.kind == kind).count();
        SnapshotStats {
            timestamp: self.timestamp_ms,
            shape: self.shape,
            records: self.records.len(),
            issuer_serial: count(RecordKind::IssuerSerial),
            subject_pubkey_hash: count(RecordKind::SubjectPubKeyHash),
            disabled: self.records.iter().filter(|r| !r.enabled).count(),
            deleted: self.deleted,
            rejected: self.rejected.len(),
        }
    }
}
