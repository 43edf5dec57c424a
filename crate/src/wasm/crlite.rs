//! The CRLite filter set in the engine: the host (the extension's
//! background) stores the files and their index, and hands them over at
//! start and after each sync; evaluations then use the set in force.

use js_sys::{Array, Float64Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{time_from_ms, to_js, Engine};
use crate::crlite::sync::StoredIndex;
use crate::crlite::CrliteError;
use crate::sct::Sct;

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
                self.state.borrow_mut().crlite = Some(set);
                Ok(JsValue::NULL)
            }
            Err(e) => to_js(&load_error(e)),
        }
    }

    /// Drops the filter set: evaluations then see `no_filter`.
    #[wasm_bindgen(js_name = clearCrliteFilters)]
    pub fn clear_crlite_filters(&self) {
        self.state.borrow_mut().crlite = None;
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
    /// log ids (32 bytes each, concatenated) and timestamps (ms). Returns
    /// `{status, filter?}` with Firefox's `crlite_status` label.
    #[wasm_bindgen(js_name = crliteQuery)]
    pub fn crlite_query(
        &self,
        issuer_spki_sha256: &[u8],
        serial: &[u8],
        log_ids: &[u8],
        timestamps_ms: &Float64Array,
    ) -> Result<JsValue, JsError> {
        let issuer: [u8; 32] = issuer_spki_sha256
            .try_into()
            .map_err(|_| JsError::new("the issuer SPKI hash must be 32 bytes"))?;
        let timestamps = timestamps_ms.to_vec();
        if log_ids.len() != timestamps.len() * 32 {
            return Err(JsError::new(
                "give one 32-byte log id per timestamp, concatenated",
            ));
        }
        let scts: Vec<Sct> = log_ids
            .chunks_exact(32)
            .zip(timestamps)
            .map(|(id, ms)| Sct {
                version: 0,
                log_id: id.try_into().unwrap_or([0; 32]),
                timestamp_ms: ms as u64,
            })
            .collect();
        let state = self.state.borrow();
        let Some(set) = &state.crlite else {
            return to_js(&crate::crlite::Lookup {
                status: crate::crlite::CrliteStatus::NoFilter,
                filter: None,
            });
        };
        to_js(&set.query(&issuer, serial, &scts))
    }
}
