//! The steps of a OneCRL sync, as Firefox takes them (services/settings/
//! remote-settings.sys.mjs `pollChanges`, RemoteSettingsClient.sys.mjs
//! `maybeSync`):
//!
//! 1. GET the monitor's list of collections ([`Sync::monitor_url`]) and read
//!    the collection's timestamp ([`latest_timestamp`]). Equal to the one in
//!    force: up to date. Older: a rollback, refused.
//! 2. GET the changeset, `_expected` naming that timestamp (it also busts
//!    CDN caches) and `_since` the one in force, for only what changed
//!    ([`Sync::changeset_url`]).
//! 3. GET each offered signature's `x5u` chain and [`verify_update`]: the
//!    changeset applied to the collection in force, under one signature.
//! 4. If an incremental update does not verify, fetch the whole collection
//!    (no `_since`) and verify that instead, as Firefox retries; if that
//!    fails too, nothing changes.
//!
//! [`run`] takes these steps for every host; a [`SyncHost`] makes its
//! requests and runs its signature backend (the CLI's blocking HTTP client
//! and RustCrypto, the browser's `fetch` and WebCrypto). The engine itself
//! still does no I/O.

use super::collection::{Changeset, Collection, SignatureRef};
use super::content_signature::{self, Signer, Trust};
use super::error::SyncError;
use crate::limits::MAX_SNAPSHOT_LEN;
use crate::onecrl::Snapshot;
use crate::time::UnixTime;
use crate::verify::SignatureVerifier;

/// The monitor lists every collection of the server: about 100 entries.
pub const MAX_MONITOR_LEN: usize = 1024 * 1024;

/// Mozilla's Remote Settings server (Firefox's `services.settings.server`).
pub const MOZILLA_SERVER: &str = "https://firefox.settings.services.mozilla.com/v1";
pub const ONECRL_BUCKET: &str = "security-state";
pub const ONECRL_COLLECTION: &str = "onecrl";

/// Largest signer chain accepted, in bytes: real x5u chains are three PEM
/// certificates, about 5 KB.
pub const MAX_CHAIN_PEM_LEN: usize = 64 * 1024;

/// SHA-256 of the DER of Mozilla's production content-signature roots,
/// both `CN=root-ca-production-amo` with one key, so intermediates chain to
/// either:
/// - the 2024 re-issue, valid 2024-02-01 to 2200-12-03, the root current
///   Firefox compiles in (gecko-dev security/manager/ssl/addons-public.pem,
///   commit b3461332; content-signature-prod.pem beside it);
/// - the original, valid 2015-03-17 to 2025-03-14, the old default of
///   Firefox's `security.content.signature.root_hash` pref (kept for
///   chains that still end in it; it has expired, so they fail on time).
pub const MOZILLA_ROOTS: &[[u8; 32]] = &[
    [
        0xc8, 0xa8, 0x0e, 0x9a, 0xfa, 0xef, 0x4e, 0x21, 0x9b, 0x6f, 0xb5, 0xd7, 0xa7, 0x1d, 0x0f,
        0x10, 0x12, 0x23, 0xba, 0xc5, 0x00, 0x1a, 0xc2, 0x8f, 0x9b, 0x0d, 0x43, 0xdc, 0x59, 0xa1,
        0x06, 0xdb,
    ],
    [
        0x97, 0xe8, 0xba, 0x9c, 0xf1, 0x2f, 0xb3, 0xde, 0x53, 0xcc, 0x42, 0xa4, 0xe6, 0x57, 0x7e,
        0xd6, 0x4d, 0xf4, 0x93, 0xc2, 0x47, 0xb4, 0x14, 0xfe, 0xa0, 0x36, 0x81, 0x8d, 0x38, 0x23,
        0x56, 0x0e,
    ],
];

/// Trust in Mozilla's roots for OneCRL's signer.
pub fn mozilla_onecrl_trust() -> Trust {
    Trust {
        roots: MOZILLA_ROOTS.to_vec(),
        signer_name: content_signature::ONECRL_SIGNER.into(),
    }
}

/// Where to sync from.
#[derive(Clone, Debug)]
pub struct Sync<'a> {
    /// The server's base URL, ending in `/v1`.
    pub server: &'a str,
    pub bucket: &'a str,
    pub collection: &'a str,
}

impl<'a> Sync<'a> {
    pub fn onecrl(server: &'a str) -> Self {
        Sync {
            server,
            bucket: ONECRL_BUCKET,
            collection: ONECRL_COLLECTION,
        }
    }

    fn base(&self) -> &str {
        self.server.trim_end_matches('/')
    }

    /// The monitor's changeset: every collection and its latest timestamp.
    pub fn monitor_url(&self) -> String {
        format!(
            "{}/buckets/monitor/collections/changes/changeset?_expected=0",
            self.base()
        )
    }

    /// The collection's changeset at `expected`, only the changes after
    /// `since` when given. `_since` is quoted, as Kinto compares ETags.
    pub fn changeset_url(&self, expected: u64, since: Option<u64>) -> String {
        let mut url = format!(
            "{}/buckets/{}/collections/{}/changeset?_expected={expected}",
            self.base(),
            self.bucket,
            self.collection
        );
        if let Some(since) = since {
            url.push_str(&format!("&_since=%22{since}%22"));
        }
        url
    }

    /// The collection's latest timestamp in the monitor's list.
    pub fn latest_timestamp(&self, monitor_json: &[u8]) -> Result<u64, SyncError> {
        let monitor = Changeset::from_json(monitor_json)?;
        monitor
            .changes
            .iter()
            .find(|entry| {
                entry.get("bucket").and_then(|v| v.as_str()) == Some(self.bucket)
                    && entry.get("collection").and_then(|v| v.as_str()) == Some(self.collection)
            })
            .and_then(|entry| entry.get("last_modified").and_then(|v| v.as_u64()))
            .ok_or_else(|| SyncError::NotInMonitor {
                bucket: self.bucket.into(),
                collection: self.collection.into(),
            })
    }
}

/// What to do after reading the monitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// The collection in force is the latest.
    UpToDate,
    /// Fetch the changeset at this timestamp.
    Fetch { expected: u64 },
}

/// Compares the server's latest timestamp with the one in force.
pub fn next_step(local: Option<u64>, remote: u64) -> Result<Next, SyncError> {
    match local {
        Some(local) if remote == local => Ok(Next::UpToDate),
        Some(local) if remote < local => Err(SyncError::TimestampWentBack { local, remote }),
        _ => Ok(Next::Fetch { expected: remote }),
    }
}

/// A verified update: the new collection and who signed it.
#[derive(Clone, Debug)]
pub struct Verified {
    pub collection: Collection,
    pub signer: Signer,
    /// The collection as a dump ([`Collection::to_dump_json`]): what hosts store.
    pub dump: String,
}

impl Verified {
    /// The OneCRL snapshot a verified `onecrl` collection makes.
    pub fn onecrl_snapshot(&self) -> Result<Snapshot, SyncError> {
        Snapshot::from_json(self.dump.as_bytes()).map_err(|e| SyncError::Snapshot(e.to_string()))
    }
}

/// One request of a sync, for the hosts' reports.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Fetched {
    pub url: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The body's size, when it was read.
    pub bytes: usize,
}

/// Applies `changeset` to `base` and verifies the result under the first
/// offered signature that holds. `chain` gives the PEM fetched from each
/// signature's x5u (or why it could not be fetched). `onecrl` is the
/// snapshot in force, which the signer's chain must not be revoked by.
pub fn verify_update(
    base: Option<&Collection>,
    changeset: &Changeset,
    chain: &dyn Fn(&SignatureRef) -> Result<Vec<u8>, SyncError>,
    trust: &Trust,
    now: UnixTime,
    onecrl: Option<&Snapshot>,
    verifier: &dyn SignatureVerifier,
) -> Result<Verified, SyncError> {
    let collection = Collection::apply(base, changeset)?;
    if changeset.signatures.is_empty() {
        return Err(SyncError::Unsigned);
    }
    let signed = collection.signed_bytes();
    let mut first_error = None;
    for offered in &changeset.signatures {
        let attempt = chain(offered).and_then(|pem| {
            content_signature::verify(
                &signed,
                &offered.signature,
                &pem,
                trust,
                now,
                onecrl,
                verifier,
            )
            .map_err(|error| SyncError::Signature {
                x5u: offered.x5u.clone(),
                error,
            })
        });
        match attempt {
            Ok(signer) => {
                let dump = collection.to_dump_json();
                return Ok(Verified {
                    collection,
                    signer,
                    dump,
                });
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(SyncError::Unsigned))
}

/// A host's HTTP GETs, for every sync (Remote Settings, CRLite, the
/// CRLSet's `crlset::sync`).
#[allow(async_fn_in_trait)] // Used generically, never as a trait object.
pub trait HttpGet {
    /// GET `url`, 2xx only, at most `max` bytes of body.
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError>;
}

/// What a host does for [`run`]: the HTTP GETs and the signature checks.
#[allow(async_fn_in_trait)] // Used generically, never as a trait object.
pub trait SyncHost: HttpGet {
    /// [`verify_update`] with the host's signature backend.
    async fn verify(
        &mut self,
        base: Option<&Collection>,
        changeset: &Changeset,
        chain: &dyn Fn(&SignatureRef) -> Result<Vec<u8>, SyncError>,
    ) -> Result<Verified, SyncError>;
}

/// A sync that changed something: the update, and whether only the
/// changes since the base were fetched.
pub struct Updated {
    pub verified: Verified,
    pub incremental: bool,
}

/// Syncs onto `base` (the collection in force, if it is one changes can
/// apply to): `None` when it is up to date.
pub async fn run(
    host: &mut impl SyncHost,
    plan: &Sync<'_>,
    base: Option<&Collection>,
) -> Result<Option<Updated>, SyncError> {
    let monitor = host.get(&plan.monitor_url(), MAX_MONITOR_LEN).await?;
    let expected = match next_step(base.map(|b| b.timestamp), plan.latest_timestamp(&monitor)?)? {
        Next::UpToDate => return Ok(None),
        Next::Fetch { expected } => expected,
    };
    if let Some(base) = base {
        match fetch_and_verify(host, plan, expected, Some(base)).await {
            Ok(verified) => {
                return Ok(Some(Updated {
                    verified,
                    incremental: true,
                }))
            }
            // A rollback or a network failure is not cured by the whole collection.
            Err(e @ (SyncError::TimestampWentBack { .. } | SyncError::Network { .. })) => {
                return Err(e)
            }
            Err(_) => {}
        }
    }
    let verified = fetch_and_verify(host, plan, expected, None).await?;
    if let Some(base) = base {
        if verified.collection.timestamp < base.timestamp {
            return Err(SyncError::TimestampWentBack {
                local: base.timestamp,
                remote: verified.collection.timestamp,
            });
        }
    }
    Ok(Some(Updated {
        verified,
        incremental: false,
    }))
}

/// One changeset (the changes since `base`, or the whole collection), its
/// signers' chains, and the verification.
async fn fetch_and_verify(
    host: &mut impl SyncHost,
    plan: &Sync<'_>,
    expected: u64,
    base: Option<&Collection>,
) -> Result<Verified, SyncError> {
    let url = plan.changeset_url(expected, base.map(|b| b.timestamp));
    let changeset = Changeset::from_json(&host.get(&url, MAX_SNAPSHOT_LEN).await?)?;
    let mut chains: Vec<(SignatureRef, Result<Vec<u8>, SyncError>)> = Vec::new();
    for offered in &changeset.signatures {
        let pem = host
            .get(&offered.x5u, MAX_CHAIN_PEM_LEN)
            .await
            .map_err(|e| SyncError::ChainFetch {
                x5u: offered.x5u.clone(),
                why: e.to_string(),
            });
        chains.push((offered.clone(), pem));
    }
    let chain = |offered: &SignatureRef| {
        chains
            .iter()
            .find(|(o, _)| o == offered)
            .map_or(Err(SyncError::Unsigned), |(_, pem)| pem.clone())
    };
    host.verify(base, &changeset, &chain).await
}
