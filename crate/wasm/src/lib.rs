//! The wasm-bindgen surface: one `Engine` holding the snapshot and policy,
//! chains in as `Uint8Array`s, verdicts out as plain JS objects shaped like
//! the CLI's `--json`. Every error leaves through [`js_error`].
//!
//! A thin layer over the `revoscope` engine: what is here is what needs the
//! browser (WebCrypto, `fetch`, JavaScript values). It runs in wasm32 only;
//! natively it compiles, for its TypeScript declarations (`contract`).

pub mod contract;
mod crl;
mod crl_store;
mod crlite;
mod crlite_sync;
mod crlset;
mod fetch;
mod handoff;
mod options;
mod sync;
pub mod tape;
mod telemetry;
mod webcrypto;

use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

use js_sys::{Array, Promise, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use contract::{CrlRequest, InspectResult, LiveOcspRequest};
use options::{InspectPlan, SyncPlan};
use revoscope::compare::{compare_beside, in_force_view, Comparison, View};
use revoscope::crl::{self as crl_lists, Consulted, CrlCache, CrlFetch, CrlReport};
use revoscope::crlite::FilterSet;
use revoscope::ocsp::exchange::fetch_for;
use revoscope::ocsp::request::{build_request_from_der, RequestOptions};
use revoscope::ocsp::response::DEFAULT_MAX_LIFETIME_DAYS;
use revoscope::ocsp::{validate, FetchOutcome, OcspCache};
use revoscope::telemetry::event::{CrlAccess, HostCrlFetch, HostFacts, HostRequest, PageLoad};
use revoscope::verify::ledger::{poll_once, Ledger};
use revoscope::{
    evaluate_cached, Cert, CertCache, Error, Input, Policy, Snapshot, UnixTime, Verdict,
};

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    tape::to_js(value)
        .map_err(|e| JsError::new(&format!("cannot hand the result to JavaScript: {e}")))
}

/// Milliseconds since the epoch, as JavaScript's `Date.now()` gives them.
fn time_from_ms(ms: f64) -> Result<UnixTime, JsError> {
    if !(0.0..=253_402_300_799_000.0).contains(&ms) {
        return Err(js_error(Error::InvalidTime(format!(
            "{ms} ms is not a time between 1970 and 9999"
        ))));
    }
    Ok(UnixTime::from_millis(ms as u64))
}

/// What the engine keeps between evaluations.
struct State {
    snapshot: Snapshot,
    /// The collection in force as its dump, the base of the next sync.
    onecrl_dump: Vec<u8>,
    policy: Policy,
    /// Parsed intermediates and roots, reused across page loads.
    ca_certs: CertCache,
    /// OCSP answers and failures; the host persists it (`ocspCache`,
    /// `setOcspCache`), the engine fills it from live answers.
    ocsp_cache: OcspCache,
    /// The CRLite filter set in force (`setCrliteFilters`); only
    /// `put_crlite` changes it.
    crlite: Option<FilterSet>,
    /// `crliteQuery`'s answers for that set.
    crlite_answers: crlite::Answers,
    /// Chrome's CRLSet in force (`setCrlset`).
    crlset: Option<revoscope::crlset::CrlSet>,
    /// Where `inspect` counts page loads when asked to (`setTelemetry`).
    telemetry: Option<Rc<RefCell<revoscope::telemetry::Telemetry>>>,
    /// The CRLs fetched, by URL, read and checked once; the host keeps
    /// them across restarts (`storedCrl`, `putStoredCrl`).
    crls: CrlCache,
}

/// One evaluation's inputs, owned: an evaluation may outlive the call
/// that started it while WebCrypto checks signatures.
struct Request {
    chain: Vec<Vec<u8>>,
    staple: Option<Vec<u8>>,
    /// The host could not see the staple (a browser capture).
    staple_hidden: bool,
    time: UnixTime,
    root_is_built_in: bool,
    live: Option<FetchOutcome>,
}

impl State {
    /// Puts `set` in force, and drops the answers made for the one before.
    fn put_crlite(&mut self, set: Option<FilterSet>) {
        self.crlite = set;
        self.crlite_answers = crlite::Answers::default();
    }

    fn run(&mut self, request: &Request, verifier: &Ledger) -> Result<Verdict, Error> {
        // The parsed CA certificates are lent out for the call: the input
        // borrows the rest of the state.
        let mut ca_certs = std::mem::take(&mut self.ca_certs);
        let verdict = evaluate_cached(&self.input(request, verifier), &mut ca_certs);
        self.ca_certs = ca_certs;
        verdict
    }

    /// The same request under each browser's policy, beside `in_force`.
    fn compare(
        &self,
        request: &Request,
        in_force: View,
        verifier: &Ledger,
    ) -> Result<Comparison, Error> {
        compare_beside(&self.input(request, verifier), in_force)
    }

    fn input<'a>(&'a self, request: &'a Request, verifier: &'a Ledger) -> Input<'a> {
        Input {
            chain: &request.chain,
            stapled_ocsp: request.staple.as_deref(),
            staple_hidden: request.staple_hidden,
            time: request.time,
            policy: &self.policy,
            onecrl: &self.snapshot,
            root_is_built_in: request.root_is_built_in,
            crlite: self.crlite.as_ref(),
            crlset: self.crlset.as_ref(),
            ocsp_cache: Some(&self.ocsp_cache),
            crls: Some(&self.crls),
            live_ocsp: request.live.as_ref(),
            issuer_fetch: None,
            verifier,
        }
    }

    /// Keeps what the verdict asks the OCSP cache to keep.
    fn finish(&mut self, verdict: Result<Verdict, Error>) -> Result<Verdict, JsError> {
        let verdict = verdict.map_err(js_error)?;
        self.ocsp_cache.apply(&verdict);
        Ok(verdict)
    }
}

#[wasm_bindgen]
pub struct Engine {
    /// Shared with evaluations still waiting for WebCrypto; borrowed only
    /// between awaits, never across one.
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Engine {
    /// Loads a OneCRL collection (dump or changeset JSON, as bytes) and
    /// starts with the `mozilla-plan` policy.
    ///
    /// The bytes are taken, not borrowed: the glue copies them into the
    /// module's memory either way, and the engine keeps that copy as the
    /// dump rather than copying the megabyte again.
    #[wasm_bindgen(constructor)]
    pub fn new(onecrl_json: Vec<u8>) -> Result<Engine, JsError> {
        let state = State {
            snapshot: Snapshot::from_json(&onecrl_json).map_err(js_error)?,
            onecrl_dump: onecrl_json,
            policy: Policy::preset("mozilla-plan").map_err(js_error)?,
            ca_certs: CertCache::new(),
            ocsp_cache: OcspCache::new(),
            crlite: None,
            crlite_answers: crlite::Answers::default(),
            crlset: None,
            telemetry: None,
            crls: CrlCache::new(),
        };
        Ok(Engine {
            state: Rc::new(RefCell::new(state)),
        })
    }

    /// Sets the policy: a preset name, or a policy file's JSON text.
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(&self, policy: &str) -> Result<(), JsError> {
        self.state.borrow_mut().policy = Policy::from_name_or_json(policy).map_err(js_error)?;
        Ok(())
    }

    /// The policy in force, with every tunable.
    pub fn policy(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.borrow().policy)
    }

    /// Counts of the snapshot in use.
    #[wasm_bindgen(js_name = snapshotStats)]
    pub fn snapshot_stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.borrow().snapshot.stats())
    }

    /// Syncs OneCRL from a Remote Settings server onto the collection in
    /// force, and puts the new one in force if its content signature holds.
    /// `options`: `{server?: string (default Mozilla's), rootHashes?: string[]
    /// (hex SHA-256 of the pinned roots; default Mozilla's), signer?: string
    /// (default onecrl.content-signature.mozilla.org), timeoutMs?: number}`.
    /// Resolves to an `OnecrlSyncReport` (`contract`), whose `dump` is the
    /// new collection's JSON for the host to store.
    #[wasm_bindgen(js_name = syncOnecrl)]
    pub fn sync_onecrl(&self, time_ms: f64, options: JsValue) -> Result<Promise, JsError> {
        let now = time_from_ms(time_ms)?;
        let options = SyncPlan::from_js(options, ONECRL_SYNC_TIMEOUT_MS)?.sync;
        let (base, onecrl) = {
            let state = self.state.borrow();
            // A changeset in force is no base for incremental changes.
            let base = (state.snapshot.shape == revoscope::onecrl::CollectionShape::Dump)
                .then(|| state.onecrl_dump.clone());
            (base, state.snapshot.clone())
        };
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let synced = sync::sync_onecrl(base, Some(onecrl), now, options).await;
            if let (Some(snapshot), Some(dump)) = (synced.snapshot, &synced.report.dump) {
                let mut state = state.borrow_mut();
                state.snapshot = snapshot;
                state.onecrl_dump = dump.clone().into_bytes();
            }
            Ok(to_js(&synced.report)?)
        }))
    }

    /// Where `inspect` counts the page loads it is asked to count: the
    /// host's `Telemetry`, shared (the host keeps using it).
    #[wasm_bindgen(js_name = setTelemetry)]
    pub fn set_telemetry(&self, telemetry: &telemetry::Telemetry) {
        self.state.borrow_mut().telemetry = Some(telemetry.shared());
    }

    /// Drops the parsed intermediates and roots kept between evaluations
    /// (memory back, or a cold-cache measurement).
    #[wasm_bindgen(js_name = clearCertificateCache)]
    pub fn clear_certificate_cache(&self) {
        self.state.borrow_mut().ca_certs = CertCache::new();
    }

    /// The OCSP cache as a plain object, for the host to persist.
    #[wasm_bindgen(js_name = ocspCache)]
    pub fn ocsp_cache(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.borrow().ocsp_cache)
    }

    /// Restores a persisted OCSP cache; entries unusable at `time_ms` are dropped.
    #[wasm_bindgen(js_name = setOcspCache)]
    pub fn set_ocsp_cache(&self, cache: JsValue, time_ms: f64) -> Result<(), JsError> {
        let mut cache: OcspCache = serde_wasm_bindgen::from_value(cache)
            .map_err(|e| JsError::new(&format!("not an OCSP cache: {e}")))?;
        cache.prune(time_from_ms(time_ms)?);
        self.state.borrow_mut().ocsp_cache = cache;
        Ok(())
    }

    /// Evaluates a chain (an array of `Uint8Array` DER certificates, leaf
    /// first) at `time_ms`, with the leaf's stapled OCSP response and the
    /// live OCSP result if any. Returns a Promise of the verdict: OCSP
    /// signatures are checked by WebCrypto, which is asynchronous. Without a
    /// response to check the Promise is already settled.
    pub fn evaluate(
        &self,
        chain: &Array,
        stapled_ocsp: Option<Uint8Array>,
        time_ms: f64,
        root_is_built_in: bool,
        live_ocsp: JsValue,
    ) -> Result<Promise, JsError> {
        let request = Request {
            chain: chain_from_js(chain)?,
            staple: stapled_ocsp.map(|s| s.to_vec()),
            staple_hidden: false,
            time: time_from_ms(time_ms)?,
            root_is_built_in,
            live: options::live_outcome(live_ocsp)?,
        };
        let state = Rc::clone(&self.state);
        let mut settling = Box::pin(async move {
            let verdict = settle(&state, &request).await;
            let finished = state.borrow_mut().finish(verdict);
            finished.and_then(|verdict| to_js(&verdict))
        });
        // Most page loads carry no OCSP response to check: the first poll
        // finishes, and errors in the input are thrown at once. Otherwise
        // WebCrypto is at work, and the same settling goes on in a Promise.
        match poll_once(settling.as_mut()) {
            Poll::Ready(verdict) => Ok(Promise::resolve(&verdict?)),
            Poll::Pending => Ok(future_to_promise(async move {
                settling.await.map_err(JsValue::from)
            })),
        }
    }

    /// The whole ladder for one page, live OCSP included: evaluates, and when
    /// the ladder asks for a live answer and `options.fetch` allows it, makes
    /// the request itself (`options.method`: "auto" (default), "get" or
    /// "post"; `options.timeoutMs`: default the policy's; `options.responder`:
    /// a URL to ask instead of the certificate's) and evaluates again.
    /// `options.stapleHidden: true` says the host could not see whether the
    /// server stapled (a browser capture), so no staple is not "absent".
    /// `options.count: {browserUsedOcsp?}` counts the page load in the
    /// telemetry given to `setTelemetry`, with what the browser said.
    /// Resolves to `{verdict, live_request, page_load, counted}`, where
    /// `live_request` is `{responder, method, elapsed_ms}` or null when no
    /// request was made, `page_load` is what telemetry records of the page,
    /// and `counted` is `{day, new_day}` when it was counted (the host then
    /// stores that day), else null.
    pub fn inspect(
        &self,
        chain: &Array,
        stapled_ocsp: Option<Uint8Array>,
        time_ms: f64,
        root_is_built_in: bool,
        options: JsValue,
    ) -> Result<Promise, JsError> {
        let options = InspectPlan::from_js(options)?;
        if options.count.is_some() && self.state.borrow().telemetry.is_none() {
            return Err(JsError::new(
                "options.count: no Telemetry to count in (Engine.setTelemetry)",
            ));
        }
        let request = Request {
            chain: chain_from_js(chain)?,
            staple: stapled_ocsp.map(|s| s.to_vec()),
            staple_hidden: options.staple_hidden,
            time: time_from_ms(time_ms)?,
            root_is_built_in,
            live: None,
        };
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            Ok(to_js(&inspection(&state, request, &options).await?)?)
        }))
    }

    /// What the CA's CRL says of certificate `index` of `chain` (leaf
    /// first; its issuer must follow it), asked for one certificate: the
    /// list held, else fetched whatever else the certificate names.
    /// `options.count: true` counts what the CRL took in the telemetry
    /// given to `setTelemetry` (the leaf's, after an `inspect` that said
    /// `crl_check_due`). Resolves to `{report, requests, counted}`: the
    /// `CrlReport` (null when the certificate names no CRL over HTTP), the
    /// fetch made, if any, and where it was counted.
    #[wasm_bindgen(js_name = checkCrl)]
    pub fn check_crl(
        &self,
        chain: &Array,
        index: usize,
        time_ms: f64,
        options: JsValue,
    ) -> Result<Promise, JsError> {
        let count = options::crl_check_counts(options)?;
        let days = self.state.borrow().telemetry.clone();
        let days = match (count, days) {
            (false, _) => None,
            (true, Some(days)) => Some(days),
            (true, None) => {
                return Err(JsError::new(
                    "options.count: no Telemetry to count in (Engine.setTelemetry)",
                ))
            }
        };
        let chain = chain_from_js(chain)?;
        let time = time_from_ms(time_ms)?;
        let (Some(cert), Some(issuer)) = (chain.get(index), chain.get(index + 1)) else {
            return Err(JsError::new(&format!(
                "certificate {index} has no issuer in a chain of {}",
                chain.len()
            )));
        };
        let pair = Cert::from_der(cert).ok().zip(Cert::from_der(issuer).ok());
        let issuer_der = issuer.clone();
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let mut requests = Vec::new();
            let report = match &pair {
                Some((cert, issuer)) => {
                    let (held, fetch) = crl_held(&state, cert, issuer, time);
                    match fetch {
                        Some(wanted) => {
                            requests.push(fetch_crl(&state, &wanted, &issuer_der, time).await);
                            crl_held(&state, cert, issuer, time).0
                        }
                        None => held,
                    }
                }
                None => None,
            };
            let counted = days.map(|days| {
                let fetched = requests.first().map(crl_for_telemetry);
                telemetry::count_crl(&days, &CrlAccess::of(fetched, report.as_ref()), time)
            });
            Ok(to_js(&contract::CrlCheck {
                report,
                requests,
                counted,
            })?)
        }))
    }

    /// What Firefox, Chrome, Mozilla's plan and hard-fail would make of a
    /// chain, beside the policy in force: `in_force` is the `view` an
    /// `inspect` of the same chain returned, shown as it is; the presets
    /// are evaluated with the lists held, the OCSP answers cached and
    /// nothing fetched. Asked after the verdict is out, so that the page's
    /// verdict never waits for them. Resolves to a `Comparison`; throws when
    /// the policy in force changed since `in_force` was made.
    pub fn compare(
        &self,
        chain: &Array,
        stapled_ocsp: Option<Uint8Array>,
        time_ms: f64,
        root_is_built_in: bool,
        staple_hidden: bool,
        in_force: JsValue,
    ) -> Result<Promise, JsError> {
        let in_force: View = serde_wasm_bindgen::from_value(in_force)
            .map_err(|e| JsError::new(&format!("in_force: not a view: {e}")))?;
        let policy = self.state.borrow().policy.name.clone();
        if in_force.name != policy {
            return Err(JsError::new(&format!(
                "in_force is the view of {}, and the policy in force is now {policy}: inspect again",
                in_force.name
            )));
        }
        let request = Request {
            chain: chain_from_js(chain)?,
            staple: stapled_ocsp.map(|s| s.to_vec()),
            staple_hidden,
            time: time_from_ms(time_ms)?,
            root_is_built_in,
            live: None,
        };
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let comparison = webcrypto::settle(|ledger| {
                state.borrow().compare(&request, in_force.clone(), ledger)
            })
            .await
            .map_err(js_error)?;
            Ok(to_js(&comparison)?)
        }))
    }
}

/// `Engine.inspect`'s steps: evaluate, fetch the CRL and make the live
/// request the ladder asks for when the plan allows it and evaluate again,
/// say what the CRLs held say of the leaf beside the verdict (`checkCrl`),
/// count the page load when asked to (with the leaf's revocation
/// information and what its CRL took), and keep what the verdict asks the
/// OCSP cache to keep.
async fn inspection(
    state: &Rc<RefCell<State>>,
    mut request: Request,
    options: &InspectPlan,
) -> Result<InspectResult, JsError> {
    let mut verdict = settle(state, &request).await;
    let mut crl_requests = Vec::new();
    // The ladder's CRL step comes before live OCSP: its list first. CRL
    // fetches are the `checkCrl` option's, as live OCSP is `fetch`'s.
    let crl_pending = match &verdict {
        Ok(v) if options.check_crl => v
            .certificates
            .first()
            .and_then(|leaf| leaf.crl_fetch.clone()),
        _ => None,
    };
    if let (Some(wanted), Some(issuer)) = (crl_pending, request.chain.get(1)) {
        crl_requests.push(fetch_crl(state, &wanted, issuer, request.time).await);
        verdict = settle(state, &request).await;
    }
    let mut live_request = None;
    let pending = match &verdict {
        Ok(v) if options.fetch => v.certificates.first().and_then(|leaf| leaf.fetch.clone()),
        _ => None,
    };
    if let Some(mut wanted) = pending {
        if let Some(url) = &options.responder {
            wanted = fetch_for(url, wanted.request_der);
        }
        let timeout_ms = options
            .timeout_ms
            .unwrap_or_else(|| state.borrow().policy.live_timeout_ms());
        let (method, outcome) = fetch::fetch_ocsp(&wanted, options.method, timeout_ms).await;
        live_request = Some(LiveOcspRequest {
            responder: wanted.responder,
            method,
            elapsed_ms: outcome.elapsed_ms(),
        });
        request.live = Some(outcome);
        verdict = settle(state, &request).await;
    }
    let leaf = request
        .chain
        .first()
        .and_then(|der| Cert::from_der(der).ok());
    let issuer = request
        .chain
        .get(1)
        .and_then(|der| Cert::from_der(der).ok());
    // The side view answers from the lists held; its fetch, when the leaf
    // names only a CRL, is the host's to make after the verdict is out.
    let (crl_check, crl_check_due) = match (&leaf, &issuer) {
        (Some(leaf), Some(issuer)) if options.check_crl && verdict.is_ok() => {
            let (report, fetch) = crl_held(state, leaf, issuer, request.time);
            (report, fetch.is_some() && leaf.ocsp_urls.is_empty())
        }
        _ => (None, false),
    };
    let host = HostFacts {
        leaf: leaf.as_ref(),
        live: live_request.as_ref().map(for_telemetry),
        // The ladder's step's fetch; the side view's is counted by
        // `checkCrl` when it ends.
        crl_fetch: crl_requests.first().map(crl_for_telemetry),
        crl_check: crl_check.as_ref(),
    };
    let page_load = verdict.as_ref().ok().map(|v| PageLoad {
        browser_used_ocsp: options.count.as_ref().and_then(|c| c.browser_used_ocsp),
        ..PageLoad::from_verdict(v, &host)
    });
    // Counted here, in the call that made the verdict: the page load never
    // crosses to JavaScript and back.
    let days = state.borrow().telemetry.clone();
    let counted = match (&options.count, &page_load, days) {
        (Some(_), Some(load), Some(days)) => Some(telemetry::count(&days, load, request.time)),
        _ => None,
    };
    // The policy in force's view, for `compare` after the verdict is out.
    let view = match &verdict {
        Ok(in_force) => Some(
            webcrypto::settle(|ledger| {
                in_force_view(&state.borrow().input(&request, ledger), in_force)
            })
            .await,
        ),
        Err(_) => None,
    };
    let verdict = state.borrow_mut().finish(verdict)?;
    Ok(InspectResult {
        verdict,
        live_request,
        page_load,
        counted,
        crl_requests,
        crl_check,
        crl_check_due,
        view,
    })
}

/// Fetches the CRL `wanted` names, reads it against `issuer_der` (its
/// signature through WebCrypto) and stores the list, or the failure.
async fn fetch_crl(
    state: &Rc<RefCell<State>>,
    wanted: &CrlFetch,
    issuer_der: &[u8],
    time: UnixTime,
) -> CrlRequest {
    let outcome = fetch::fetch_crl(wanted, wanted.timeout_ms).await;
    let bytes = match &outcome {
        FetchOutcome::Response { body, .. } => Some(body.len()),
        _ => None,
    };
    let read = match Cert::from_der(issuer_der) {
        Ok(issuer) => {
            // One reading up to the signature, then one with WebCrypto's
            // answer: a long list is indexed once, not once per round.
            crl::settle_probing(|verifier| crl_lists::read_fetched(&outcome, &issuer, verifier))
                .await
        }
        Err(e) => Err(revoscope::ocsp::exchange::Offline::Network {
            message: format!("the issuer certificate does not read: {e}"),
        }),
    };
    let stored = state.borrow_mut().crls.record(&wanted.url, read, time);
    CrlRequest {
        url: wanted.url.clone(),
        elapsed_ms: outcome.elapsed_ms(),
        bytes,
        failure: stored.err().map(|offline| offline.class().to_owned()),
    }
}

/// What the CRLs held say of `cert` (issued by `issuer`), beside any
/// verdict, and the fetch that would answer when none does. No report when
/// the certificate names no CRL over HTTP.
fn crl_held(
    state: &Rc<RefCell<State>>,
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
) -> (Option<CrlReport>, Option<CrlFetch>) {
    let state = state.borrow();
    let timeout_ms = state.policy.live_timeout_ms();
    match crl_lists::consult(cert, issuer, Some(&state.crls), time, timeout_ms) {
        Consulted::Answered { report, .. } | Consulted::Failed { report, .. } => {
            (Some(report), None)
        }
        Consulted::Fetch { fetch, .. } => {
            let report = CrlReport {
                url: fetch.url.clone(),
                list: None,
                answer: None,
                offline: None,
            };
            (Some(report), Some(fetch))
        }
        Consulted::NoDistributionPoint => (None, None),
    }
}

/// Runs the ladder until WebCrypto has checked every signature it needs.
async fn settle(state: &Rc<RefCell<State>>, request: &Request) -> Result<Verdict, Error> {
    webcrypto::settle(|ledger| state.borrow_mut().run(request, ledger)).await
}

/// A OneCRL sync's default deadline: a few small JSON documents.
const ONECRL_SYNC_TIMEOUT_MS: u32 = 60_000;

/// The live request as telemetry counts it.
fn for_telemetry(request: &LiveOcspRequest) -> HostRequest<'_> {
    HostRequest {
        responder: &request.responder,
        method: request.method.into(),
        elapsed_ms: request.elapsed_ms,
    }
}

/// A CRL fetch as telemetry counts it.
fn crl_for_telemetry(request: &CrlRequest) -> HostCrlFetch<'_> {
    HostCrlFetch {
        url: &request.url,
        elapsed_ms: request.elapsed_ms,
        bytes: request.bytes,
        failure: request.failure.as_deref(),
    }
}

/// Copies a JS array of `Uint8Array` DER certificates.
fn chain_from_js(chain: &Array) -> Result<Vec<Vec<u8>>, JsError> {
    chain
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .map_err(|_| JsError::new(&format!("chain[{i}] is not a Uint8Array")))
        })
        .collect()
}

/// Validates an OCSP response about `cert`, issued by `issuer`, at
/// `time_ms`, as the ladder does (signatures by WebCrypto). Resolves to
/// `{response: {...}}` when it is valid, or `{error: {code, message}}`.
#[wasm_bindgen(js_name = validateOcspResponse)]
pub fn validate_ocsp_response(
    response: Vec<u8>,
    cert: &[u8],
    issuer: &[u8],
    time_ms: f64,
) -> Result<Promise, JsError> {
    let cert = Cert::from_der(cert).map_err(js_error)?;
    let issuer = Cert::from_der(issuer).map_err(js_error)?;
    let time = time_from_ms(time_ms)?;
    Ok(future_to_promise(async move {
        let result = webcrypto::settle(|ledger| {
            validate(
                &response,
                &cert,
                &issuer,
                time,
                DEFAULT_MAX_LIFETIME_DAYS,
                ledger,
            )
        })
        .await;
        let out = match result {
            Ok(valid) => serde_json::json!({ "response": valid }),
            Err(e) => {
                serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } })
            }
        };
        to_js(&out).map_err(JsValue::from)
    }))
}

/// The DER of the OCSP request for `cert` (SHA-1 CertID, no extensions,
/// as Firefox sends it).
#[wasm_bindgen(js_name = ocspRequest)]
pub fn ocsp_request(cert: &[u8], issuer: &[u8]) -> Result<Vec<u8>, JsError> {
    build_request_from_der(cert, issuer, &RequestOptions::default()).map_err(js_error)
}

/// The facts of one certificate (serial, names, URLs, SCTs...).
#[wasm_bindgen(js_name = certificateFacts)]
pub fn certificate_facts(der: &[u8]) -> Result<JsValue, JsError> {
    to_js(&Cert::from_der(der).map_err(js_error)?)
}

/// The preset policies, with every tunable and description.
#[wasm_bindgen(js_name = policyPresets)]
pub fn policy_presets() -> Result<JsValue, JsError> {
    let presets = revoscope::policy::PRESET_NAMES
        .iter()
        .map(|name| Policy::preset(name))
        .collect::<Result<Vec<_>, _>>()
        .map_err(js_error)?;
    to_js(&presets)
}
