//! The CRLite filter set in the engine: the host (the extension's
//! background) stores the files and their index, and hands them over at
//! start and after each sync; evaluations then use the set in force.

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{time_from_ms, to_js, Engine};
use revoscope::crlite::sync::StoredIndex;
use revoscope::crlite::{CrliteError, CrliteStatus};
use revoscope::sct::Sct;

/// Why a filter set was not put in force.
#[derive(Serialize)]
struct LoadError {
    code: &'static str,
    message: String,
}

fn load_error(e: CrliteError) -> LoadError {
    LoadError {
        code: e.code(),
        message: e.to_string(),
    }
}

/// `crliteQuery`'s answer objects, each built on first use and frozen: a
/// query hands back one that exists rather than building `{status,
/// filter}` and its two strings anew through serde-wasm-bindgen (about
/// 0.2 µs of a query in Node, measured with the bench's keys). Dropped
/// with the set whose filters they name.
#[derive(Default)]
pub(super) struct Answers(Vec<Option<JsValue>>);

impl Answers {
    /// The answer `status`, with the deciding filter's place in the set and
    /// its id.
    fn get(
        &mut self,
        status: CrliteStatus,
        filter: Option<(usize, &str)>,
    ) -> Result<JsValue, JsError> {
        let slot = filter.map_or(0, |(n, _)| n + 1) * CrliteStatus::ALL.len() + status as usize;
        if self.0.len() <= slot {
            self.0.resize(slot + 1, None);
        }
        if let Some(answer) = &self.0[slot] {
            return Ok(answer.clone());
        }
        let answer = Object::new();
        let set = |key: &str, value: &str| {
            Reflect::set(&answer, &JsValue::from_str(key), &JsValue::from_str(value))
                .map_err(|_| JsError::new("cannot build the CRLite answer object"))
        };
        set("status", status.as_str())?;
        if let Some((_, id)) = filter {
            set("filter", id)?;
        }
        let answer: JsValue = Object::freeze(&answer).into();
        self.0[slot] = Some(answer.clone());
        Ok(answer)
    }
}

#[wasm_bindgen]
impl Engine {
    /// Puts a stored filter set in force: `index` is the index's JSON (as
    /// `syncCrlite` hands it out), `files` the filter files in the index's
    /// order. Returns `null`, or `{code, message}` when the set is unusable,
    /// in which case the set in force stays.
    #[wasm_bindgen(js_name = setCrliteFilters)]
    pub fn set_crlite_filters(&self, index: &str, files: &Array) -> Result<JsValue, JsError> {
        let loaded = StoredIndex::from_json(index.as_bytes()).and_then(|index| {
            let mut files = files.iter();
            let mut read = |_: &str| {
                files
                    .next()
                    .and_then(|file| file.dyn_into::<Uint8Array>().ok())
                    .map(|file| file.to_vec())
            };
            index.load(&mut read)
        });
        match loaded {
            Ok(set) => {
                self.state.borrow_mut().put_crlite(Some(set));
                Ok(JsValue::NULL)
            }
            Err(e) => to_js(&load_error(e)),
        }
    }

    /// Drops the filter set: evaluations then see `no_filter`.
    #[wasm_bindgen(js_name = clearCrliteFilters)]
    pub fn clear_crlite_filters(&self) {
        self.state.borrow_mut().put_crlite(None);
    }

    /// The set in force at `time_ms` (full filter, deltas, age, coverage),
    /// or `null`.
    #[wasm_bindgen(js_name = crliteInfo)]
    pub fn crlite_info(&self, time_ms: f64) -> Result<JsValue, JsError> {
        let now = time_from_ms(time_ms)?;
        match &self.state.borrow().crlite {
            Some(set) => to_js(&set.info(now)),
            None => Ok(JsValue::NULL),
        }
    }

    /// Queries the set in force for one key: the SHA-256 of the issuer's
    /// SPKI, the serial's content octets, and the embedded SCTs as their
    /// log ids (32 bytes each, concatenated) and timestamps (ms; a
    /// `Float64Array` or an array of numbers, copied in one go). Returns
    /// `{status, filter?}` with Firefox's `crlite_status` label, frozen (the
    /// same object for the same answer).
    #[wasm_bindgen(js_name = crliteQuery)]
    pub fn crlite_query(
        &self,
        issuer_spki_sha256: &[u8],
        serial: &[u8],
        log_ids: &[u8],
        timestamps_ms: &[f64],
    ) -> Result<JsValue, JsError> {
        let issuer: [u8; 32] = issuer_spki_sha256
            .try_into()
            .map_err(|_| JsError::new("the issuer SPKI hash must be 32 bytes"))?;
        if log_ids.len() != timestamps_ms.len() * 32 {
            return Err(JsError::new(
                "give one 32-byte log id per timestamp, concatenated",
            ));
        }
        let scts: Vec<Sct> = log_ids
            .chunks_exact(32)
            .zip(timestamps_ms)
            .map(|(id, ms)| Sct {
                version: 0,
                log_id: id.try_into().unwrap_or([0; 32]),
                timestamp_ms: *ms as u64,
            })
            .collect();
        let state = &mut *self.state.borrow_mut();
        let Some(set) = &state.crlite else {
            return state.crlite_answers.get(CrliteStatus::NoFilter, None);
        };
        let (status, filter) = set.decide(&issuer, serial, &scts);
        let filter = filter.map(|n| (n, set.filters()[n].meta.id.as_str()));
        state.crlite_answers.get(status, filter)
    }
}
