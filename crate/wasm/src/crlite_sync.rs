//! The browser side of a CRLite sync (`Engine.syncCrlite`): the records and
//! attachments `crlite::sync::run` asks for, fetched by the host OneCRL's
//! sync uses; the set they make put in force; the new files, the index and
//! the collection handed back for the host to store.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::options::SyncOptions;
use super::sync::{BrowserHost, ReportError};
use super::{time_from_ms, to_js, Engine};
use revoscope::crlite::records::Skipped;
use revoscope::crlite::sync::{self as crlite_sync, StoredIndex, Synced};
use revoscope::remote_settings::sync::Fetched;
use revoscope::remote_settings::{Collection, Signer};

/// Filters are megabytes where OneCRL is kilobytes: a slow link gets longer.
const CRLITE_SYNC_TIMEOUT_MS: u32 = 180_000;

/// How a CRLite sync went (the plain part of what `syncCrlite` resolves to).
#[derive(Serialize)]
struct Report {
    /// "updated" (a new set is in force), "up-to-date" (the set in force is
    /// the server's), or "failed" (nothing changed).
    status: &'static str,
    error: Option<ReportError>,
    channel: String,
    /// The records' timestamp now in force, when there is a collection.
    timestamp: Option<u64>,
    /// Only the records' changes since the stored collection were fetched.
    incremental: bool,
    /// Records not used, and why.
    skipped: Vec<Skipped>,
    /// Who signed the records, when new ones were fetched.
    signer: Option<Signer>,
    requests: Vec<Fetched>,
    /// Stored state the sync could not use and did without, and why.
    ignored: Vec<String>,
}

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
        let SyncOptions {
            sync: options,
            channel,
        } = SyncOptions::from_js(options, CRLITE_SYNC_TIMEOUT_MS)?;
        let (onecrl, in_force) = {
            let state = self.state.borrow();
            (state.snapshot.clone(), state.crlite.is_some())
        };
        let held = held.clone();
        let state = std::rc::Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let mut report = Report {
                status: "failed",
                error: None,
                channel,
                timestamp: None,
                incremental: false,
                skipped: Vec::new(),
                signer: None,
                requests: Vec::new(),
                ignored: Vec::new(),
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
                    synced.map_err(|e| ReportError::from(&e))
                }
            };
            let mut index = None;
            let mut downloaded = Vec::new();
            let mut dump = None;
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
                        dump = Some(updated.verified.dump);
                    }
                    report.status = "up-to-date";
                    if let Some(installed) = installed {
                        report.status = "updated";
                        index = Some(installed.index.to_json());
                        downloaded = installed.downloaded;
                        state.borrow_mut().put_crlite(Some(installed.set));
                    }
                }
            }
            let info = state.borrow().crlite.as_ref().map(|set| set.info(now));
            let out = to_js(&report)?;
            let set = |name: &str, value: &JsValue| Reflect::set(&out, &name.into(), value);
            set("index", &index.map_or(JsValue::NULL, JsValue::from))?;
            let files: Array = downloaded
                .iter()
                .map(|(hash, bytes)| -> Result<JsValue, JsValue> {
                    let file = Object::new();
                    Reflect::set(&file, &"hash".into(), &JsValue::from_str(hash))?;
                    Reflect::set(&file, &"bytes".into(), &Uint8Array::from(bytes.as_slice()))?;
                    Ok(file.into())
                })
                .collect::<Result<_, _>>()?;
            set("downloaded", &files)?;
            set("dump", &dump.map_or(JsValue::NULL, JsValue::from))?;
            set("info", &to_js(&info)?)?;
            Ok(out)
        }))
    }
}
