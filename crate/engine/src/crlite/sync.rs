//! A CRLite sync, for both hosts: the `security-state/cert-revocations`
//! records by the Remote Settings sync (changeset, content signature under
//! the signer OneCRL uses, `onecrl.content-signature.mozilla.org`, as
//! Firefox's `CRLiteFilters` client configures it), then the attachments of
//! the selected chain that the host does not hold yet, each checked against
//! its signed record's size and SHA-256 before it is decoded.
//!
//! Nothing is installed unless the whole chain decodes: a failed or partial
//! download leaves the set in force as it was.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::CrliteError;
use super::filter::{Filter, FilterMeta};
use super::records::{self, FilterRecord, Selection};
use super::set::FilterSet;
use crate::limits::MAX_CRLITE_FILTER_LEN;
use crate::remote_settings::sync::{self, Sync, SyncHost, Updated, MAX_MONITOR_LEN};
use crate::remote_settings::{Collection, Signer, SyncError};
use crate::time::UnixTime;

/// The sync of the cert-revocations records on `server`.
pub fn plan(server: &str) -> Sync<'_> {
    Sync {
        server,
        bucket: sync::ONECRL_BUCKET,
        collection: records::COLLECTION,
    }
}

/// The server's root document, `GET {server}/`, names where attachments
/// are: `{"capabilities": {"attachments": {"base_url": "..."}}}`.
pub fn attachments_base(server_info: &[u8]) -> Result<String, SyncError> {
    let info: Value = serde_json::from_slice(server_info)
        .map_err(|e| SyncError::NotJson(format!("the server's root document: {e}")))?;
    info.pointer("/capabilities/attachments/base_url")
        .and_then(Value::as_str)
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .map(str::to_owned)
        .ok_or_else(|| {
            SyncError::NotChangeset(
                "the server's root document names no attachments base_url".into(),
            )
        })
}

/// What the host keeps beside the filter files (one per SHA-256): which
/// filters make the set, and when it was last installed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StoredIndex {
    pub version: u8,
    pub channel: String,
    /// When a filter was last installed (ms): the set's freshness.
    pub installed_at_ms: u64,
    /// The full filter, then its deltas.
    pub filters: Vec<StoredFilter>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct StoredFilter {
    pub meta: FilterMeta,
    /// SHA-256 of the file, lower-case hex: its name in the host's storage.
    pub hash: String,
    pub size: u64,
}

pub const STORED_INDEX_VERSION: u8 = 1;

impl StoredIndex {
    pub fn from_json(json: &[u8]) -> Result<Self, CrliteError> {
        let index: StoredIndex =
            serde_json::from_slice(json).map_err(|e| CrliteError::BadIndex(e.to_string()))?;
        if index.version != STORED_INDEX_VERSION {
            return Err(CrliteError::BadIndex(format!(
                "version {}, not {STORED_INDEX_VERSION}",
                index.version
            )));
        }
        Ok(index)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an index serialises")
    }

    pub fn hashes(&self) -> impl Iterator<Item = &str> {
        self.filters.iter().map(|f| f.hash.as_str())
    }

    /// Decodes the stored files into the set they make. `read` gives a
    /// file's bytes by hash. Files were checked against their SHA-256 when
    /// downloaded; here only their size is (hashing megabytes at every
    /// start would cost more than the load itself).
    pub fn load(
        &self,
        read: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<FilterSet, CrliteError> {
        let mut filters = Vec::with_capacity(self.filters.len());
        for stored in &self.filters {
            let bytes = read(&stored.hash).ok_or_else(|| {
                CrliteError::BadIndex(format!("the file of filter {} is missing", stored.meta.id))
            })?;
            if bytes.len() as u64 != stored.size {
                return Err(CrliteError::BadIndex(format!(
                    "the file of filter {} is {} bytes, the index says {}",
                    stored.meta.id,
                    bytes.len(),
                    stored.size
                )));
            }
            filters.push(Filter::from_bytes(stored.meta.clone(), &bytes)?);
        }
        FilterSet::new(filters, UnixTime::from_millis(self.installed_at_ms))
    }
}

/// How a CRLite sync ended, when it did not fail.
pub struct Synced {
    /// The records' sync: `None` when the collection in force was current.
    pub records: Option<Updated>,
    /// The collection now in force (what the next sync starts from).
    pub collection: Collection,
    pub selection: Selection,
    /// `Some` when the set changed: the new set, its index, and the files
    /// downloaded for it (hash, bytes), for the host to store.
    pub installed: Option<Installed>,
}

pub struct Installed {
    pub set: FilterSet,
    pub index: StoredIndex,
    pub downloaded: Vec<(String, Vec<u8>)>,
}

impl Synced {
    pub fn signer(&self) -> Option<&Signer> {
        self.records.as_ref().map(|u| &u.verified.signer)
    }
}

/// Syncs the records onto `base`, selects the chain of `channel`, and
/// fetches what `current` (the index in force) lacks. `held` reads a file
/// the host already stores, by hash.
pub async fn run(
    host: &mut impl SyncHost,
    server: &str,
    channel: &str,
    base: Option<&Collection>,
    current: Option<&StoredIndex>,
    held: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    now: UnixTime,
) -> Result<Synced, SyncError> {
    let plan = plan(server);
    let records = sync::run(host, &plan, base).await?;
    let collection = match (&records, base) {
        (Some(updated), _) => updated.verified.collection.clone(),
        (None, Some(base)) => base.clone(),
        // A sync without a base always fetches; kept an error, not a panic.
        (None, None) => {
            return Err(SyncError::NotChangeset(
                "the sync returned no collection".into(),
            ))
        }
    };
    let selection = records::select(&collection, channel).map_err(SyncError::Crlite)?;
    let wanted: Vec<&str> = selection
        .chain
        .iter()
        .map(|r| r.attachment.hash.as_str())
        .collect();
    let unchanged = current
        .is_some_and(|index| index.channel == channel && index.hashes().eq(wanted.iter().copied()));
    if unchanged {
        return Ok(Synced {
            records,
            collection,
            selection,
            installed: None,
        });
    }
    let mut base_url = None;
    let mut downloaded = Vec::new();
    let mut filters = Vec::with_capacity(selection.chain.len());
    for record in &selection.chain {
        let (bytes, fetched) = match held(&record.attachment.hash) {
            Some(bytes) if record.check(&bytes).is_ok() => (bytes, false),
            _ => {
                if base_url.is_none() {
                    let info = host
                        .get(
                            &format!("{}/", plan.server.trim_end_matches('/')),
                            MAX_MONITOR_LEN,
                        )
                        .await?;
                    base_url = Some(attachments_base(&info)?);
                }
                let url = record.url(base_url.as_deref().unwrap_or_default());
                let bytes = host.get(&url, MAX_CRLITE_FILTER_LEN).await?;
                record.check(&bytes).map_err(SyncError::Crlite)?;
                (bytes, true)
            }
        };
        filters.push(Filter::from_bytes(record.meta.clone(), &bytes).map_err(SyncError::Crlite)?);
        // The decoded filter keeps no reference to the bytes: they move to
        // the host's list to store, not copied (a full filter is megabytes).
        if fetched {
            downloaded.push((record.attachment.hash.clone(), bytes));
        }
    }
    let set = FilterSet::new(filters, now).map_err(SyncError::Crlite)?;
    let index = StoredIndex {
        version: STORED_INDEX_VERSION,
        channel: channel.to_owned(),
        installed_at_ms: now.0.saturating_mul(1000),
        filters: selection.chain.iter().map(stored).collect(),
    };
    Ok(Synced {
        records,
        collection,
        selection,
        installed: Some(Installed {
            set,
            index,
            downloaded,
        }),
    })
}

fn stored(record: &FilterRecord) -> StoredFilter {
    StoredFilter {
        meta: record.meta.clone(),
        hash: record.attachment.hash.clone(),
        size: record.attachment.size,
    }
}
