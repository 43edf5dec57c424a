//! Chrome's CRLSet in the engine: the host stores the `crl-set` file and
//! hands it over at start and after each sync (`setCrlset`); evaluations
//! whose policy enforces it (`chrome-today`) and the side-by-side views
//! (`inspect`'s `compare`) use the set in force.

use wasm_bindgen::prelude::*;

use super::contract::CrlSetInForce;
use super::{time_from_ms, to_js, Engine};
use revoscope::crlset::CrlSet;
use revoscope::UnixTime;

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
}
