//! The browser side of a CRLite sync (`Engine.syncCrlite`): the records and
//! attachments `crlite::sync::run` asks for, fetched by the host OneCRL's
//! sync uses; the set they make put in force; the new files, the index and
//! the collection handed back for the host to store.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::contract::{CrliteSyncReport, Problem, SyncStatus};
use super::options::SyncPlan;
use super::sync::BrowserHost;
use super::{time_from_ms, to_js, Engine};
use revoscope::crlite::sync::{self as crlite_sync, StoredIndex, Synced};
use revoscope::remote_settings::Collection;

/// Filters are megabytes where OneCRL is kilobytes: a slow link gets longer.
const CRLITE_SYNC_TIMEOUT_MS: u32 = 180_000;

/// Reads a held file through the host's callback: a `Uint8Array`, or
/// nothing (anything else, or a throw, counts as not held).
fn read_held(held: &Function, hash: &str) -> Option<Vec<u8>> {
    held.call1(&JsValue::NULL, &JsValue::from_str(hash))
        .ok()?
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|bytes| bytes.to_vec())
}

#[wasm_bindgen]
impl Engine {
    /// Syncs the CRLite filters from a Remote Settings server
    /// (`security-state/cert-revocations`, signed like OneCRL) and puts the
    /// new set in force when the whole chain downloads, matches its signed
    /// records and decodes; otherwise the set in force stays.
    ///
    /// `options`: as `syncOnecrl`'s (`server`, `rootHashes`, `signer`,
    /// `timeoutMs`, default 180 s) plus `channel` (default "default").
    /// `baseDump`: the collection JSON the last sync handed out, for an
    /// incremental sync. `currentIndex`: the index of the set in force
    /// (used only while one is; without it every file is checked again).
    /// `held(hash)`: the stored file with that SHA-256 as a `Uint8Array`,
    /// or `undefined`; it is called synchronously, so the host reads its
    /// files before the call.
    ///
    /// Resolves to `{status, error: {code, message}|null, channel,
    /// timestamp, incremental, skipped, signer, requests, ignored,
    /// index: string|null, downloaded: [{hash, bytes}], dump: string|null,
    /// info}`: `index` and `downloaded` when a new set is in force (store
    /// the files, then the index), `dump` when the records changed, `info`
    /// the set now in force (as `crliteInfo`) or null.
    #[wasm_bindgen(js_name = syncCrlite)]
    pub fn sync_crlite(
        &self,
        time_ms: f64,
        options: JsValue,
        base_dump: Option<String>,
        current_index: Option<String>,
        held: &Function,
    ) -> Result<Promise, JsError> {
        let now = time_from_ms(time_ms)?;
        let SyncPlan {
            sync: options,
            channel,
        } = SyncPlan::from_js(options, CRLITE_SYNC_TIMEOUT_MS)?;
        let (onecrl, in_force) = {
            let state = self.state.borrow();
            (state.snapshot.clone(), state.crlite.is_some())
        };
        let held = held.clone();
        let state = std::rc::Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let mut report = CrliteSyncReport {
                status: SyncStatus::Failed,
                error: None,
                channel,
                timestamp: None,
                incremental: false,
                skipped: Vec::new(),
                signer: None,
                requests: Vec::new(),
                ignored: Vec::new(),
                index: None,
                downloaded: Vec::new(),
                dump: None,
                info: None,
            };
            // A stored collection that no longer reads costs a whole
            // download, not the sync.
            let base = base_dump.and_then(|dump| {
                Collection::from_dump_json(dump.as_bytes())
                    .map_err(|e| {
                        report.ignored.push(format!(
                            "the stored collection ({e}): the whole collection was fetched"
                        ))
                    })
                    .ok()
            });
            report.timestamp = base.as_ref().map(|b| b.timestamp);
            let current = current_index.filter(|_| in_force).and_then(|json| {
                StoredIndex::from_json(json.as_bytes())
                    .map_err(|e| {
                        report.ignored.push(format!(
                            "the stored index ({e}): every file was checked again"
                        ))
                    })
                    .ok()
            });
            let mut read = |hash: &str| read_held(&held, hash);
            let outcome = match BrowserHost::start(&options, Some(&onecrl), now) {
                Err(e) => Err(e),
                Ok(mut host) => {
                    let synced = crlite_sync::run(
                        &mut host,
                        &options.server,
                        &report.channel,
                        base.as_ref(),
                        current.as_ref(),
                        &mut read,
                        now,
                    )
                    .await;
                    report.requests = host.finish();
                    synced.map_err(|e| Problem::from(&e))
                }
            };
            match outcome {
                Err(e) => report.error = Some(e),
                Ok(Synced {
                    records,
                    collection,
                    selection,
                    installed,
                }) => {
                    report.timestamp = Some(collection.timestamp);
                    report.skipped = selection.skipped;
                    if let Some(updated) = records {
                        report.incremental = updated.incremental;
                        report.signer = Some(updated.verified.signer);
                        report.dump = Some(updated.verified.dump);
                    }
                    report.status = SyncStatus::UpToDate;
                    if let Some(installed) = installed {
                        report.status = SyncStatus::Updated;
                        report.index = Some(installed.index.to_json());
                        report.downloaded = installed.downloaded;
                        state.borrow_mut().put_crlite(Some(installed.set));
                    }
                }
            }
            report.info = state.borrow().crlite.as_ref().map(|set| set.info(now));
            let out = to_js(&report)?;
            // The files as Uint8Arrays, which the tape does not make.
            let files: Array = report
                .downloaded
                .iter()
                .map(|(hash, bytes)| -> Result<JsValue, JsValue> {
                    let file = Object::new();
                    Reflect::set(&file, &"hash".into(), &JsValue::from_str(hash))?;
                    Reflect::set(&file, &"bytes".into(), &Uint8Array::from(bytes.as_slice()))?;
                    Ok(file.into())
                })
                .collect::<Result<_, _>>()?;
            Reflect::set(&out, &"downloaded".into(), &files)?;
            Ok(out)
        }))
    }
}
