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

use std::borrow::Cow;
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

/// The collection with its records kept as raw JSON, each then read on its
/// own: one malformed record is rejected, and the rest still load.
#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(borrow)]
    data: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    changes: Option<Vec<&'a RawValue>>,
    timestamp: Option<u64>,
}

/// The collection with its records read in the same pass: what
/// [`Snapshot::from_json`] tries first, as every record of a well-formed
/// collection reads. The same fields as [`Collection`], the same answers
/// (a struct reads the same from a stream as from its own text).
#[derive(Deserialize)]
struct ParsedCollection<'a> {
    #[serde(borrow)]
    data: Option<Vec<RawRecord<'a>>>,
    #[serde(borrow)]
    changes: Option<Vec<RawRecord<'a>>>,
    timestamp: Option<u64>,
}

/// The fields the index needs. Others are ignored, as Firefox ignores them.
/// Strings are borrowed from the JSON when they hold no escape.
#[derive(Deserialize)]
struct RawRecord<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(rename = "issuerName", borrow)]
    issuer_name: Option<Cow<'a, str>>,
    #[serde(rename = "serialNumber", borrow)]
    serial_number: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subject: Option<Cow<'a, str>>,
    #[serde(rename = "pubKeyHash", borrow)]
    pub_key_hash: Option<Cow<'a, str>>,
    enabled: Option<bool>,
    deleted: Option<bool>,
    last_modified: Option<u64>,
    #[serde(borrow)]
    details: Option<RawDetails<'a>>,
}

#[derive(Deserialize)]
struct RawDetails<'a> {
    #[serde(borrow)]
    bug: Option<Cow<'a, str>>,
    #[serde(borrow)]
    why: Option<Cow<'a, str>>,
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
        // Records are first read in the same pass as the collection (one
        // walk over the JSON, strings borrowed from it); only when that
        // fails is the collection read again as raw records, each read on
        // its own, which finds every error and keeps the rest. The single
        // pass reads UTF-8-checked text, as the raw records would be: an
        // ignored field is then held to UTF-8 as a raw record holds it.
        if let Some(snapshot) = std::str::from_utf8(json)
            .ok()
            .and_then(|text| serde_json::from_str::<ParsedCollection<'_>>(text).ok())
            .and_then(Self::from_parsed)
        {
            return Ok(snapshot);
        }
        Self::from_raw_records(json)
    }

    /// [`Snapshot::from_json`]'s second way: the records read one by one.
    fn from_raw_records(json: &[u8]) -> Result<Self, Error> {
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

        let mut snapshot = Snapshot::empty(timestamp_ms, shape, items.len());
        for (index, item) in items.into_iter().enumerate() {
            match serde_json::from_str::<RawRecord<'_>>(item.get()) {
                Ok(raw) => snapshot.take(index, raw),
                Err(e) => snapshot.rejected.push(RejectedRecord {
                    index,
                    id: None,
                    why: format!("not a record: {e}"),
                }),
            }
        }
        Ok(snapshot)
    }

    /// The snapshot of a collection whose records all read, or `None`
    /// where the collection is not well-formed ([`Snapshot::from_json`]
    /// then says why).
    fn from_parsed(collection: ParsedCollection<'_>) -> Option<Self> {
        let (shape, records) = match (collection.data, collection.changes) {
            (Some(records), None) => (CollectionShape::Dump, records),
            (None, Some(records)) => (CollectionShape::Changeset, records),
            _ => return None,
        };
        let timestamp_ms = collection.timestamp?;
        if records.len() > MAX_SNAPSHOT_RECORDS {
            return None;
        }
        let mut snapshot = Snapshot::empty(timestamp_ms, shape, records.len());
        for (index, raw) in records.into_iter().enumerate() {
            snapshot.take(index, raw);
        }
        Some(snapshot)
    }

    fn empty(timestamp_ms: u64, shape: CollectionShape, records: usize) -> Self {
        Snapshot {
            timestamp_ms,
            shape,
            records: Vec::with_capacity(records),
            index: HashMap::with_capacity(records),
            key_subjects: HashSet::new(),
            deleted: 0,
            rejected: Vec::new(),
        }
    }

    /// Indexes record `index` of the collection, or counts it deleted or
    /// rejected.
    fn take(&mut self, index: usize, raw: RawRecord<'_>) {
        if raw.deleted == Some(true) {
            self.deleted += 1;
            return;
        }
        if let Err(why) = self.add(raw) {
            self.rejected.push(RejectedRecord {
                index,
                id: why.0,
                why: why.1,
            });
        }
    }

    fn add(&mut self, raw: RawRecord<'_>) -> Result<(), (Option<String>, String)> {
        let fail = |why: String| (raw.id.as_deref().map(str::to_owned), why);
        // The two fields are decoded straight into the key, one after the
        // other: one allocation per record rather than three.
        let key_of = |prefix: &[u8], first: (&str, &str), second: (&str, &str)| {
            let estimate = |text: &str| text.len() / 4 * 3 + 3;
            let mut key = Vec::with_capacity(prefix.len() + estimate(first.1) + estimate(second.1));
            key.extend_from_slice(prefix);
            let mut ends = [0; 2];
            for (end, (field, text)) in ends.iter_mut().zip([first, second]) {
                BASE64
                    .decode_vec(text.as_bytes(), &mut key)
                    .map_err(|e| fail(format!("{field} is not base64: {e}")))?;
                *end = key.len();
            }
            // Where the first field's bytes end, and the key.
            Ok((ends[0], ends[1] - ends[0], key))
        };
        let (kind, key) = match (
            &raw.issuer_name,
            &raw.serial_number,
            &raw.subject,
            &raw.pub_key_hash,
        ) {
            (Some(issuer), Some(serial), _, _) => {
                let (issuer_end, serial_len, key) = key_of(
                    KEY_ISSUER_SERIAL,
                    ("issuerName", issuer),
                    ("serialNumber", serial),
                )?;
                if issuer_end == KEY_ISSUER_SERIAL.len() || serial_len == 0 {
                    return Err(fail("empty issuerName or serialNumber".into()));
                }
                (RecordKind::IssuerSerial, key)
            }
            (_, _, Some(subject), Some(hash)) => {
                let (subject_end, hash_len, key) = key_of(
                    KEY_SUBJECT_PUBKEY,
                    ("subject", subject),
                    ("pubKeyHash", hash),
                )?;
                if subject_end == KEY_SUBJECT_PUBKEY.len() {
                    return Err(fail("empty subject".into()));
                }
                if hash_len != 32 {
                    return Err(fail(format!(
                        "pubKeyHash is {hash_len} bytes, not a SHA-256"
                    )));
                }
                self.key_subjects
                    .insert(key[KEY_SUBJECT_PUBKEY.len()..subject_end].into());
                (RecordKind::SubjectPubKeyHash, key)
            }
            _ => {
                return Err(fail(
                    "needs issuerName+serialNumber or subject+pubKeyHash".into(),
                ))
            }
        };
        let id = raw.id.map(Cow::into_owned).unwrap_or_default();
        let details = raw.details;
        let position = u32::try_from(self.records.len()).expect("bounded by MAX_SNAPSHOT_RECORDS");
        self.records.push(Record {
            id,
            kind,
            enabled: raw.enabled.unwrap_or(true),
            last_modified: raw.last_modified,
            bug: details
                .as_ref()
                .and_then(|d| d.bug.as_deref())
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            why: details
                .and_then(|d| d.why)
                .filter(|s| !s.is_empty())
                .map(Cow::into_owned),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a snapshot holds, to compare the two ways of reading one.
    fn contents(s: &Snapshot) -> impl PartialEq + core::fmt::Debug {
        let mut index: Vec<_> = s.index.iter().map(|(k, v)| (k.clone(), *v)).collect();
        index.sort();
        let mut subjects: Vec<_> = s.key_subjects.iter().cloned().collect();
        subjects.sort();
        (
            s.stats(),
            s.records.clone(),
            s.rejected.clone(),
            index,
            subjects,
        )
    }

    fn parsed(json: &str) -> Option<Snapshot> {
        Snapshot::from_parsed(serde_json::from_str(json).ok()?)
    }

    #[test]
    fn the_bundled_dump_loads_in_one_pass_as_record_by_record() {
        let json = include_str!("../../../fixtures/onecrl/onecrl.json");
        let one_pass = parsed(json).expect("every record of the dump reads");
        let by_record = Snapshot::from_raw_records(json.as_bytes()).unwrap();
        assert_eq!(contents(&one_pass), contents(&by_record));
        assert_eq!(one_pass.records.len(), 1918);
    }

    #[test]
    fn a_record_that_does_not_read_takes_the_record_by_record_way() {
        let json = r#"{"data": [{"id": "a", "issuerName": "MAA=", "serialNumber": "AQ=="},
            {"id": 7}, {"id": "c", "deleted": true}], "timestamp": 5}"#;
        assert!(parsed(json).is_none());
        let snapshot = Snapshot::from_json(json.as_bytes()).unwrap();
        assert_eq!(
            contents(&snapshot),
            contents(&Snapshot::from_raw_records(json.as_bytes()).unwrap())
        );
        assert_eq!(
            (
                snapshot.records.len(),
                snapshot.rejected.len(),
                snapshot.deleted
            ),
            (1, 1, 1)
        );
        assert_eq!(snapshot.rejected[0].index, 1);
    }

    #[test]
    fn escaped_strings_read_the_same_both_ways() {
        let json = r#"{"changes": [{"id": "\u0061", "issuerName": "MAA\u003d", "serialNumber": "AQ==",
            "details": {"bug": "b\"1", "why": "\u00e9"}, "other": "\ud83d\ude00"}], "timestamp": 5}"#;
        let one_pass = parsed(json).unwrap();
        assert_eq!(
            contents(&one_pass),
            contents(&Snapshot::from_raw_records(json.as_bytes()).unwrap())
        );
        let record = &one_pass.records()[0];
        assert_eq!(
            (
                record.id.as_str(),
                record.bug.as_deref(),
                record.why.as_deref()
            ),
            ("a", Some("b\"1"), Some("\u{e9}"))
        );
    }

    #[test]
    fn invalid_utf8_in_an_ignored_field_is_refused_as_before() {
        let mut json = br#"{"data": [{"id": "a", "issuerName": "MAA=", "serialNumber": "AQ==", "x": "?"}], "timestamp": 5}"#.to_vec();
        let at = json.iter().position(|&b| b == b'?').unwrap();
        json[at] = 0xff;
        assert!(matches!(
            Snapshot::from_json(&json),
            Err(Error::SnapshotNotJson(_))
        ));
    }
}
