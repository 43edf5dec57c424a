//! The CRLs the engine holds, for a host that keeps them across restarts
//! (the extension, in IndexedDB): each list in its stored form
//! (`CrlList::to_bytes`: its metadata and serial index, not the CRL) out,
//! and back in. What is still usable is the engine's to say
//! (`CrlCache::stored`, `CrlCache::insert_stored`).

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::contract::StoredCrl;
use crate::{time_from_ms, to_js, Engine};

#[wasm_bindgen]
impl Engine {
    /// The list held for `url`, for the host to keep: a `StoredCrl`
    /// (`contract`) whose `bytes` go back through `putStoredCrl`; `null`
    /// when no list is held for `url` or it is stale at `time_ms`.
    #[wasm_bindgen(js_name = storedCrl)]
    pub fn stored_crl(&self, url: &str, time_ms: f64) -> Result<JsValue, JsError> {
        let now = time_from_ms(time_ms)?;
        let Some(stored) = self.state.borrow().crls.stored(url, now) else {
            return Ok(JsValue::NULL);
        };
        let out = to_js(&StoredCrl {
            url: url.to_owned(),
            fetched_at: stored.fetched_at.saturating_mul(1000),
            usable_until: stored.usable_until.saturating_mul(1000),
            bytes: Vec::new(),
        })?;
        // The bytes as a Uint8Array, which the tape does not make.
        Reflect::set(
            &out,
            &"bytes".into(),
            &Uint8Array::from(stored.bytes.as_slice()),
        )
        .map_err(|_| JsError::new("cannot hand the stored CRL to JavaScript"))?;
        Ok(out)
    }

    /// Puts back a list the host kept (`storedCrl`'s `bytes`), fetched at
    /// `fetched_at_ms`. `false` when it is not taken: the bytes do not
    /// read, `fetched_at_ms` is no time, or the list is not usable at
    /// `time_ms`; the host then deletes it. A list the engine holds from a
    /// later fetch stays, and this is `true`.
    #[wasm_bindgen(js_name = putStoredCrl)]
    pub fn put_stored_crl(
        &self,
        url: &str,
        bytes: &[u8],
        fetched_at_ms: f64,
        time_ms: f64,
    ) -> Result<bool, JsError> {
        let now = time_from_ms(time_ms)?;
        let Ok(fetched_at) = time_from_ms(fetched_at_ms) else {
            return Ok(false);
        };
        let put = self
            .state
            .borrow_mut()
            .crls
            .insert_stored(url, bytes, fetched_at, now);
        Ok(put.is_ok())
    }
}
