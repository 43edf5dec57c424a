//! The browser side of a Remote Settings sync: the requests that
//! `remote_settings::sync` plans, made with the global `fetch` (so it works
//! in a service worker), each body capped, all under one deadline. The
//! engine judges what comes back; the extension stores the result. OneCRL's
//! sync is here; CRLite's ([`super::crlite_sync`]) uses the same host.

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use serde::Serialize;
use web_sys::{AbortController, RequestCache, RequestCredentials};

use super::fetch::{read_capped, Body};
use revoscope::remote_settings::sync::{self, Fetched, Sync, SyncHost, Updated, Verified};
use revoscope::remote_settings::{Changeset, Collection, SignatureRef, Signer, SyncError, Trust};
use revoscope::{Snapshot, UnixTime};

/// How a sync went.
#[derive(Debug, Serialize)]
pub struct Report {
    /// "updated", "up-to-date" or "failed".
    pub status: &'static str,
    /// The timestamp now in force.
    pub timestamp: u64,
    pub incremental: bool,
    pub signer: Option<Signer>,
    pub error: Option<ReportError>,
    pub requests: Vec<Fetched>,
    /// The new collection as a dump, for the host to store, and the
    /// snapshot it makes ("updated" only).
    #[serde(skip)]
    pub update: Option<(String, Snapshot)>,
}

#[derive(Debug, Serialize)]
pub struct ReportError {
    pub code: &'static str,
    pub message: String,
}

impl From<&SyncError> for ReportError {
    fn from(e: &SyncError) -> Self {
        ReportError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// A sync's requests, made one after another under one deadline.
struct Client {
    controller: AbortController,
    requests: Vec<Fetched>,
}

impl Client {
    /// GET `url`, at most `max` bytes, 2xx only. No cookies, no cache (the
    /// `_expected` parameter does the cache busting).
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        let signal = self.controller.signal();
        let network = |why: String| SyncError::Network {
            url: url.into(),
            why: if signal.aborted() {
                "no answer before the sync's deadline".into()
            } else {
                why
            },
        };
        let mut record = Fetched {
            url: url.into(),
            status: None,
            bytes: 0,
        };
        let result = async {
            let response = Request::get(url)
                .abort_signal(Some(&signal))
                .cache(RequestCache::NoStore)
                .credentials(RequestCredentials::Omit)
                .send()
                .await
                .map_err(|e| network(e.to_string()))?;
            record.status = Some(response.status());
            if !response.ok() {
                return Err(SyncError::HttpStatus {
                    url: url.into(),
                    status: response.status(),
                });
            }
            let body = read_capped(&response, max).await.map_err(|e| match e {
                Body::TooLarge(len) => SyncError::TooLarge {
                    len: len as u64,
                    max: max as u64,
                },
                Body::Failed(why) => network(why),
                Body::Truncated { got, declared } => {
                    SyncError::Truncated(format!("{got} of the {declared} bytes announced"))
                }
            })?;
            record.bytes = body.len();
            Ok(body)
        }
        .await;
        self.requests.push(record);
        result
    }
}

/// Where to sync from and whom to trust.
pub struct Options {
    pub server: String,
    pub trust: Trust,
    pub timeout_ms: u32,
}

/// Syncs OneCRL onto `base` (the collection in force, as its dump, with
/// `onecrl` its snapshot). Never fails: a failure is in the report, and the
/// host keeps what it had.
pub async fn sync_onecrl(
    base_dump: Option<Vec<u8>>,
    onecrl: Option<Snapshot>,
    now: UnixTime,
    options: Options,
) -> Report {
    let mut report = Report {
        status: "failed",
        timestamp: onecrl.as_ref().map_or(0, |s| s.timestamp_ms),
        incremental: false,
        signer: None,
        error: None,
        requests: Vec::new(),
        update: None,
    };
    let mut host = match BrowserHost::start(&options, onecrl.as_ref(), now) {
        Ok(host) => host,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let outcome = match base_dump
        .map(|dump| Collection::from_dump_json(&dump))
        .transpose()
    {
        Ok(base) => sync::run(&mut host, &Sync::onecrl(&options.server), base.as_ref()).await,
        Err(e) => Err(e),
    };
    report.requests = host.finish();
    match outcome {
        Ok(None) => report.status = "up-to-date",
        Ok(Some(Updated {
            verified,
            incremental,
        })) => match verified.onecrl_snapshot() {
            Ok(snapshot) => {
                report.status = "updated";
                report.timestamp = verified.collection.timestamp;
                report.incremental = incremental;
                report.update = Some((verified.dump, snapshot));
                report.signer = Some(verified.signer);
            }
            Err(e) => report.error = Some(ReportError::from(&e)),
        },
        Err(e) => report.error = Some(ReportError::from(&e)),
    }
    report
}

/// The browser's side of a sync: `fetch`, and WebCrypto for the signatures,
/// every request under the one deadline `start` sets. Shared by the OneCRL
/// and the CRLite syncs.
pub(super) struct BrowserHost<'a> {
    client: Client,
    onecrl: Option<&'a Snapshot>,
    trust: &'a Trust,
    now: UnixTime,
    /// Aborts every request still running when the sync's time is up;
    /// dropped (so cancelled) when the host is.
    _deadline: Timeout,
}

impl<'a> BrowserHost<'a> {
    /// Starts the sync's clock. `onecrl` is the snapshot in force, which
    /// the signer's chain must not be revoked by.
    pub(super) fn start(
        options: &'a Options,
        onecrl: Option<&'a Snapshot>,
        now: UnixTime,
    ) -> Result<Self, ReportError> {
        let controller = AbortController::new().map_err(|_| ReportError {
            code: "network",
            message: "this JavaScript host has no AbortController".into(),
        })?;
        let deadline = {
            let controller = controller.clone();
            Timeout::new(options.timeout_ms, move || controller.abort())
        };
        Ok(BrowserHost {
            client: Client {
                controller,
                requests: Vec::new(),
            },
            onecrl,
            trust: &options.trust,
            now,
            _deadline: deadline,
        })
    }

    /// Stops the clock; the requests made, for the report.
    pub(super) fn finish(self) -> Vec<Fetched> {
        self.client.requests
    }
}

impl SyncHost for BrowserHost<'_> {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        self.client.get(url, max).await
    }

    async fn verify(
        &mut self,
        base: Option<&Collection>,
        changeset: &Changeset,
        chain: &dyn Fn(&SignatureRef) -> Result<Vec<u8>, SyncError>,
    ) -> Result<Verified, SyncError> {
        let (trust, now, onecrl) = (self.trust, self.now, self.onecrl);
        super::webcrypto::settle(|ledger| {
            sync::verify_update(base, changeset, chain, trust, now, onecrl, ledger)
        })
        .await
    }
}
