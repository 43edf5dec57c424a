//! Chrome's CRLSet in the engine: the host stores the `crl-set` file and
//! hands it over at start and after each sync (`setCrlset`); evaluations
//! whose policy enforces it (`chrome-today`) and the side-by-side views
//! (`inspect`'s `compare`) use the set in force. `syncCrlset` fetches a new
//! one as Chrome's component updater does (`crlset::sync` in the engine),
//! the package's signatures checked by WebCrypto.

use std::rc::Rc;

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::contract::{CrlSetInForce, CrlsetSyncReport, Problem, SyncStatus};
use super::options::CrlsetSyncPlan;
use super::sync::Client;
use super::{time_from_ms, to_js, Engine};
use revoscope::crlset::sync::{self as crlset_sync, Accepted, CrlSetSyncError};
use revoscope::crlset::CrlSet;
use revoscope::UnixTime;

/// The package is under a megabyte.
const CRLSET_SYNC_TIMEOUT_MS: u32 = 60_000;

impl From<&CrlSetSyncError> for Problem {
    fn from(e: &CrlSetSyncError) -> Self {
        Problem {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn in_force(set: &CrlSet, now: UnixTime) -> CrlSetInForce {
    CrlSetInForce {
        info: set.info(),
        expired: set.is_expired(now),
    }
}

#[wasm_bindgen]
impl Engine {
    /// Puts a `crl-set` file in force (the bytes Chrome's component keeps,
    /// as a sync hands them out). Throws `{code, message}`'s message with
    /// the CRLSet error's code in front when the file does not read; the set
    /// in force then stays. Returns the set's summary as `crlsetInfo` does.
    #[wasm_bindgen(js_name = setCrlset)]
    pub fn set_crlset(&self, bytes: &[u8], time_ms: f64) -> Result<JsValue, JsError> {
        let now = time_from_ms(time_ms)?;
        let set =
            CrlSet::from_bytes(bytes).map_err(|e| JsError::new(&format!("{}: {e}", e.code())))?;
        let shown = to_js(&in_force(&set, now))?;
        self.state.borrow_mut().crlset = Some(set);
        Ok(shown)
    }

    /// Drops the set in force: Chrome's view then says it has none.
    #[wasm_bindgen(js_name = clearCrlset)]
    pub fn clear_crlset(&self) {
        self.state.borrow_mut().crlset = None;
    }

    /// The set in force at `time_ms` (`{info: {sequence, not_after,
    /// parents, serials, blocked_spkis, ...}, expired}`), or `null`.
    #[wasm_bindgen(js_name = crlsetInfo)]
    pub fn crlset_info(&self, time_ms: f64) -> Result<JsValue, JsError> {
        let now = time_from_ms(time_ms)?;
        match &self.state.borrow().crlset {
            Some(set) => to_js(&in_force(set, now)),
            None => Ok(JsValue::NULL),
        }
    }

    /// Fetches Chrome's CRLSet from the component updater: the update
    /// check, the CRX3 package it offers (verified against the publisher
    /// key's pin, its signatures by WebCrypto once both requests are done),
    /// and its `crl-set`. A set whose Sequence is above the one in force is
    /// put in force; the same is up to date; below is a rollback, refused.
    /// A failed, tampered or partial download changes nothing.
    ///
    /// `options`: `{server?, keySha256?, timeoutMs?}` (Chrome's update
    /// server and CRLSet key, 60 s); throws when one is not valid, before
    /// any request. Resolves to `{status, error: {code, message}|null,
    /// version, sequence, bytes: Uint8Array|null, info, requests}`: `bytes`
    /// is the new `crl-set` for the host to store ("updated" only), `info`
    /// the set in force after, as `crlsetInfo` shows it.
    #[wasm_bindgen(js_name = syncCrlset)]
    pub fn sync_crlset(&self, time_ms: f64, options: JsValue) -> Result<Promise, JsError> {
        let now = time_from_ms(time_ms)?;
        let plan = CrlsetSyncPlan::from_js(options, CRLSET_SYNC_TIMEOUT_MS)?;
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let mut report = CrlsetSyncReport {
                status: SyncStatus::Failed,
                error: None,
                version: None,
                sequence: None,
                bytes: None,
                info: None,
                requests: Vec::new(),
            };
            let fetched = match Client::start(plan.timeout_ms) {
                Err(e) => Err(e),
                Ok(mut client) => {
                    let package = crlset_sync::fetch_package(
                        &mut client,
                        &plan.server,
                        &plan.expect.component_id,
                    )
                    .await;
                    report.requests = client.finish();
                    package.map_err(|e| Problem::from(&e))
                }
            };
            match fetched {
                Err(e) => report.error = Some(e),
                Ok(package) => {
                    report.version = package.offer.version;
                    // The set in force once the package is here: the kept
                    // set of the rollback rule.
                    let kept = state.borrow().crlset.clone();
                    let accepted = super::webcrypto::settle(|ledger| {
                        crlset_sync::accept(&package.crx, &plan.expect, kept.as_ref(), ledger)
                    })
                    .await;
                    match accepted {
                        Ok(Accepted::UpToDate) => {
                            report.status = SyncStatus::UpToDate;
                            report.sequence = kept.as_ref().map(CrlSet::sequence);
                        }
                        Ok(Accepted::New { bytes, set }) => {
                            report.sequence = Some(set.sequence());
                            // A set put in force while WebCrypto checked the
                            // package (the stored one at start) may be as new.
                            let mut state = state.borrow_mut();
                            if state
                                .crlset
                                .as_ref()
                                .is_some_and(|held| held.sequence() >= set.sequence())
                            {
                                report.status = SyncStatus::UpToDate;
                            } else {
                                report.status = SyncStatus::Updated;
                                report.bytes = Some(bytes);
                                state.crlset = Some(*set);
                            }
                        }
                        Err(e) => {
                            if let CrlSetSyncError::Rollback { offered, .. } = e {
                                report.sequence = Some(offered);
                            }
                            report.error = Some(Problem::from(&e));
                        }
                    }
                }
            }
            report.info = state.borrow().crlset.as_ref().map(|set| in_force(set, now));
            let out = to_js(&report)?;
            // The file as a Uint8Array, which the tape does not make.
            let bytes = report
                .bytes
                .as_deref()
                .map_or(JsValue::NULL, |b| Uint8Array::from(b).into());
            Reflect::set(&out, &"bytes".into(), &bytes)?;
            Ok(out)
        }))
    }
}
