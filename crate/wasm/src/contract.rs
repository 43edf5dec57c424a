//! The shapes that cross between the extension's JavaScript and the binding,
//! beside the engine's own types (verdicts, page loads, summaries...): the
//! options it takes in, and what its calls resolve to. Read and written with
//! serde; their TypeScript declarations are generated from here by ts-rs, as
//! the engine's are (tests/typescript.rs). An option may be absent, `null`
//! or `undefined`: serde reads all three as not given.

use revoscope::compare::View;
use revoscope::crl::CrlReport;
use revoscope::crlite::records::Skipped;
use revoscope::crlite::FilterSetInfo;
use revoscope::crlset::CrlSetInfo;
use revoscope::ocsp::FetchMethod;
use revoscope::remote_settings::sync::Fetched;
use revoscope::remote_settings::Signer;
use revoscope::telemetry::PageLoad;
use revoscope::Verdict;
use serde::{Deserialize, Serialize};

/// `Engine.inspect`'s options. Absent fields take their defaults.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InspectOptions {
    /// Make the live OCSP request the ladder asks for (default false).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub fetch: Option<bool>,
    /// "auto" (default), "get" or "post".
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub method: Option<String>,
    /// The live request's deadline, 1 to 120000 ms; the policy's by default.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub timeout_ms: Option<f64>,
    /// A responder URL to ask instead of the certificate's.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub responder: Option<String>,
    /// The host could not see whether the server stapled (a browser
    /// capture), so no staple is not "absent".
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub staple_hidden: Option<bool>,
    /// Count the page load in the telemetry given to `Engine.setTelemetry`.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub count: Option<CountOptions>,
    /// Fetch the CRL the policy's CRL step asks for (default false), and
    /// say beside the verdict, without changing it, what the CRLs held say
    /// of the leaf (`crl_check`). The side view fetches nothing itself: the
    /// verdict is not held back for it; `crl_check_due` tells the host to
    /// ask `Engine.checkCrl` afterwards.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub check_crl: Option<bool>,
}

/// What the browser said of the handshake, for the count.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CountOptions {
    /// Firefox's `usedOcsp`, where the browser says.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub browser_used_ocsp: Option<bool>,
}

/// The options of `Engine.syncOnecrl` and `Engine.syncCrlite`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SyncOptions {
    /// The Remote Settings server (default Mozilla's).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub server: Option<String>,
    /// Hex SHA-256 of the pinned roots (default Mozilla's).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub root_hashes: Option<Vec<String>>,
    /// The signer's name (default onecrl.content-signature.mozilla.org).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub signer: Option<String>,
    /// The whole sync's deadline, 1 to 600000 ms.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub timeout_ms: Option<f64>,
    /// CRLite's channel (default "default"); OneCRL has none.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub channel: Option<String>,
}

/// The options of `Engine.syncCrlset`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CrlsetSyncOptions {
    /// The update server, without its query (default Chrome's component
    /// updater, https://clients2.google.com/service/update2/crx).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub server: Option<String>,
    /// Hex SHA-256 of the publisher key's SubjectPublicKeyInfo that one of
    /// the package's proofs must be made with; the component id is derived
    /// from it (default Chrome's CRLSet key and component).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub key_sha256: Option<String>,
    /// The whole sync's deadline, 1 to 600000 ms (default 60000).
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub timeout_ms: Option<f64>,
}

/// The host's account of a live OCSP request it made: a response
/// (`httpStatus`, `body`), or an `error` ("timeout", "refused", "dns",
/// "tls", "network", with a `message`).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiveOutcome {
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub http_status: Option<f64>,
    #[serde(default, with = "serde_bytes")]
    #[cfg_attr(feature = "typescript", ts(optional = nullable, type = "Uint8Array"))]
    pub body: Option<Vec<u8>>,
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub elapsed_ms: Option<f64>,
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub error: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub message: Option<String>,
}

/// What `Engine.inspect` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct InspectResult {
    pub verdict: Verdict,
    /// The live OCSP request made, if one was.
    pub live_request: Option<LiveOcspRequest>,
    /// What telemetry records of the page (null when the chain did not
    /// evaluate).
    pub page_load: Option<PageLoad>,
    /// Where the page load was counted, when `count` asked for it.
    pub counted: Option<Counted>,
    /// The CRL fetches made, for the ladder's CRL step or for `crl_check`.
    pub crl_requests: Vec<CrlRequest>,
    /// What the CRLs held say of the leaf, when `checkCrl` asked and the
    /// leaf names a CRL (null otherwise). It does not change the verdict.
    pub crl_check: Option<CrlReport>,
    /// The leaf names a CRL and no OCSP responder (its CA publishes nothing
    /// else) and no list held answers: the host fetches it after the
    /// verdict with `Engine.checkCrl(chain, 0, time, {count})`.
    pub crl_check_due: bool,
    /// The policy in force's view of the chain, with the data it lacked:
    /// what `Engine.compare` puts beside the other browsers' views, after
    /// the verdict is out. Null when the chain could not be evaluated.
    pub view: Option<View>,
}

/// The CRLSet in force, as `Engine.setCrlset` and `crlsetInfo` show it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlSetInForce {
    pub info: CrlSetInfo,
    /// Past its NotAfter: its "not listed" no longer counts.
    pub expired: bool,
}

/// `Engine.checkCrl`'s options.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CrlCheckOptions {
    /// Count what the CRL took (a fetch, or a list held that answered) in
    /// the telemetry given to `Engine.setTelemetry`: the page load it
    /// belongs to was counted without it (`crl_check_due`). Default false.
    #[cfg_attr(feature = "typescript", ts(optional = nullable))]
    pub count: Option<bool>,
}

/// What `Engine.checkCrl` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlCheck {
    /// What the CRL says; null when the certificate names no CRL over HTTP.
    pub report: Option<CrlReport>,
    /// The fetch made, if one was.
    pub requests: Vec<CrlRequest>,
    /// Where it was counted, when `count` asked for it.
    pub counted: Option<Counted>,
}

/// A CRL fetch `Engine.inspect` made.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlRequest {
    pub url: String,
    pub elapsed_ms: u32,
    /// The body's size, when one arrived.
    pub bytes: Option<usize>,
    /// The failure's class (timeout, http-status, bad-signature...), or
    /// null when the list was read and stored.
    pub failure: Option<String>,
}

/// A CRL the engine holds, as `Engine.storedCrl` hands it to the host to
/// keep: `bytes` go back through `Engine.putStoredCrl`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StoredCrl {
    pub url: String,
    /// When the engine fetched it (ms since the epoch).
    pub fetched_at: u64,
    /// Its last usable moment (ms): its nextUpdate, or without one its
    /// thisUpdate plus the engine's maximum age. The host may delete it
    /// after that without asking.
    pub usable_until: u64,
    /// The list's stored form (a `Uint8Array` made apart from the rest,
    /// not serialised).
    #[serde(skip_serializing)]
    #[cfg_attr(feature = "typescript", ts(type = "Uint8Array"))]
    pub bytes: Vec<u8>,
}

/// The live request `Engine.inspect` made.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LiveOcspRequest {
    pub responder: String,
    pub method: FetchMethod,
    pub elapsed_ms: u32,
}

/// A page load `Engine.inspect` counted: the day it went to, and whether
/// that day was new (the host's index of days changes then). The host
/// stores the day's JSON (`Telemetry.dayJson`) when its turn to write comes.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Counted {
    pub day: String,
    pub new_day: bool,
}

/// A telemetry day as the host stores it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StoredDay {
    pub day: String,
    pub json: String,
    /// The day was not held before: the host's index of days changes.
    pub new_day: bool,
}

/// Why something the host handed in was not used: a code and a message.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

/// How a sync ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SyncStatus {
    /// A new collection (or filter set) is in force.
    Updated,
    /// What is in force is the server's.
    UpToDate,
    /// Nothing changed.
    Failed,
}

/// What `Engine.syncOnecrl` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OnecrlSyncReport {
    pub status: SyncStatus,
    /// The collection's timestamp now in force.
    pub timestamp: u64,
    pub incremental: bool,
    pub signer: Option<Signer>,
    pub error: Option<Problem>,
    pub requests: Vec<Fetched>,
    /// The new collection's JSON, for the host to store ("updated" only).
    pub dump: Option<String>,
}

/// What `Engine.syncCrlite` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrliteSyncReport {
    pub status: SyncStatus,
    pub error: Option<Problem>,
    pub channel: String,
    /// The records' timestamp now in force, when there is a collection.
    pub timestamp: Option<u64>,
    /// Only the records' changes since the stored collection were fetched.
    pub incremental: bool,
    /// Records not used, and why.
    pub skipped: Vec<Skipped>,
    /// Who signed the records, when new ones were fetched.
    pub signer: Option<Signer>,
    pub requests: Vec<Fetched>,
    /// Stored state the sync could not use and did without, and why.
    pub ignored: Vec<String>,
    /// The new set's index, when a new set is in force: store the
    /// `downloaded` files, then the index.
    pub index: Option<String>,
    /// The files the new set needs that were not held (`Uint8Array`s made
    /// apart from the rest, not serialised).
    #[serde(skip_serializing)]
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Array<{ hash: string, bytes: Uint8Array }>")
    )]
    pub downloaded: Vec<(String, Vec<u8>)>,
    /// The records' collection JSON, when it changed.
    pub dump: Option<String>,
    /// The set now in force, if any.
    pub info: Option<FilterSetInfo>,
}

/// What `Engine.syncCrlset` resolves to.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlsetSyncReport {
    pub status: SyncStatus,
    pub error: Option<Problem>,
    /// The component version the update server offered, when it offered one.
    pub version: Option<String>,
    /// The offered set's Sequence, when the package was read (on a
    /// rollback, the lower one refused).
    pub sequence: Option<u32>,
    /// The `crl-set` file now in force, for the host to store and hand back
    /// through `setCrlset` ("updated" only; a `Uint8Array` made apart from
    /// the rest, not serialised).
    #[serde(skip_serializing)]
    #[cfg_attr(feature = "typescript", ts(type = "Uint8Array | null"))]
    pub bytes: Option<Vec<u8>>,
    /// The set in force after the sync, as `crlsetInfo` shows it.
    pub info: Option<CrlSetInForce>,
    pub requests: Vec<Fetched>,
}
