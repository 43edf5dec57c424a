//! The browser side of a Remote Settings sync: the requests that
//! `remote_settings::sync` plans, made with the global `fetch` (so it works
//! in a service worker), each body capped, all under one deadline. The
//! engine judges what comes back; the extension stores the result. OneCRL's
//! sync is here; CRLite's ([`super::crlite_sync`]) uses the same host.

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, RequestCache, RequestCredentials};

use super::contract::{OnecrlSyncReport, Problem, SyncStatus};
use super::fetch::{read_capped, Body};
use revoscope::remote_settings::sync::{self, Fetched, HttpGet, Sync, SyncHost, Updated, Verified};
use revoscope::remote_settings::{Changeset, Collection, SignatureRef, SyncError, Trust};
use revoscope::{Snapshot, UnixTime};

/// How a OneCRL sync went: the report for the host, and the snapshot of the
/// new collection when there is one ("updated" only; the report's `dump`
/// is its JSON).
pub struct Synced {
    pub report: OnecrlSyncReport,
    pub snapshot: Option<Snapshot>,
}

impl From<&SyncError> for Problem {
    fn from(e: &SyncError) -> Self {
        Problem {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// A sync's requests, made one after another under one deadline.
pub(super) struct Client {
    controller: AbortController,
    requests: Vec<Fetched>,
    /// Aborts every request still running when the sync's time is up;
    /// dropped (so cancelled) when the client is.
    _deadline: Timeout,
}

impl Client {
    /// Starts the sync's clock: `timeout_ms` for every request together.
    pub(super) fn start(timeout_ms: u32) -> Result<Self, Problem> {
        let controller = AbortController::new().map_err(|_| Problem {
            code: "network",
            message: "this JavaScript host has no AbortController".into(),
        })?;
        let deadline = {
            let controller = controller.clone();
            Timeout::new(timeout_ms, move || controller.abort())
        };
        Ok(Client {
            controller,
            requests: Vec::new(),
            _deadline: deadline,
        })
    }

    /// Stops the clock; the requests made, for the report.
    pub(super) fn finish(self) -> Vec<Fetched> {
        self.requests
    }

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
) -> Synced {
    let mut report = OnecrlSyncReport {
        status: SyncStatus::Failed,
        timestamp: onecrl.as_ref().map_or(0, |s| s.timestamp_ms),
        incremental: false,
        signer: None,
        error: None,
        requests: Vec::new(),
        dump: None,
    };
    let mut snapshot = None;
    let mut host = match BrowserHost::start(&options, onecrl.as_ref(), now) {
        Ok(host) => host,
        Err(e) => {
            report.error = Some(e);
            return Synced { report, snapshot };
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
        Ok(None) => report.status = SyncStatus::UpToDate,
        Ok(Some(Updated {
            verified,
            incremental,
        })) => match verified.onecrl_snapshot() {
            Ok(new) => {
                report.status = SyncStatus::Updated;
                report.timestamp = verified.collection.timestamp;
                report.incremental = incremental;
                report.dump = Some(verified.dump);
                report.signer = Some(verified.signer);
                snapshot = Some(new);
            }
            Err(e) => report.error = Some(Problem::from(&e)),
        },
        Err(e) => report.error = Some(Problem::from(&e)),
    }
    Synced { report, snapshot }
}

/// The browser's side of a sync: `fetch`, and WebCrypto for the signatures,
/// every request under the one deadline `start` sets. Shared by the OneCRL
/// and the CRLite syncs.
pub(super) struct BrowserHost<'a> {
    client: Client,
    onecrl: Option<&'a Snapshot>,
    trust: &'a Trust,
    now: UnixTime,
}

impl<'a> BrowserHost<'a> {
    /// Starts the sync's clock. `onecrl` is the snapshot in force, which
    /// the signer's chain must not be revoked by.
    pub(super) fn start(
        options: &'a Options,
        onecrl: Option<&'a Snapshot>,
        now: UnixTime,
    ) -> Result<Self, Problem> {
        Ok(BrowserHost {
            client: Client::start(options.timeout_ms)?,
            onecrl,
            trust: &options.trust,
            now,
        })
    }

    /// Stops the clock; the requests made, for the report.
    pub(super) fn finish(self) -> Vec<Fetched> {
        self.client.finish()
    }
}

impl HttpGet for Client {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        Client::get(self, url, max).await
    }
}

impl HttpGet for BrowserHost<'_> {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        self.client.get(url, max).await
    }
}

impl SyncHost for BrowserHost<'_> {
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
