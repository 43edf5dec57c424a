//! For the benchmark only (feature `handoff-bench`, off by default, so none
//! of it ships): the verdict handed to JavaScript three ways, to weigh the
//! tape (`tape.rs`) against what it stands in for.
//!
//! - the tape ([`HandoffMode::Tape`]), `tape::to_js`, as every export does
//!   today;
//! - serde-wasm-bindgen ([`HandoffMode::Serde`]),
//!   `Serializer::json_compatible()`, which builds the value in JavaScript
//!   property by property
//!   (<https://docs.rs/serde-wasm-bindgen/0.6.5/serde_wasm_bindgen/struct.Serializer.html>);
//! - JSON ([`HandoffMode::Json`]), `serde_json::to_string` here, a
//!   JavaScript string across, and `JSON.parse` by the caller
//!   (<https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/JSON/parse>).
//!
//! `Engine.inspectHandoff` is `Engine.inspect` as the extension calls it on
//! a page load with live OCSP off (no staple seen, `stapleHidden`), through
//! the same steps (`inspection`), and its result (`contract::InspectResult`)
//! crosses as one value as `inspect`'s does, in the mode asked for.
//! `handoffAgain` hands the last such result over again, so the hand-off's
//! own cost can be measured apart from the evaluation.
#![cfg(feature = "handoff-bench")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::contract::InspectResult;
use crate::options::InspectPlan;
use crate::{chain_from_js, inspection, tape, time_from_ms, Engine, Request};
use revoscope::ocsp::MethodChoice;

/// How a result crosses to JavaScript.
#[wasm_bindgen]
#[derive(Clone, Copy, Debug)]
pub enum HandoffMode {
    /// `tape::to_js`: a plain object, built by `tape.js` in one call.
    Tape = 0,
    /// serde-wasm-bindgen, `json_compatible()`: a plain object.
    Serde = 1,
    /// `serde_json::to_string`: a string, for the caller's `JSON.parse`.
    Json = 2,
}

impl HandoffMode {
    fn hand_over<T: Serialize>(self, value: &T) -> Result<JsValue, JsError> {
        let crossed = match self {
            HandoffMode::Tape => tape::to_js(value).map_err(|e| e.to_string()),
            HandoffMode::Serde => value
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|e| e.to_string()),
            HandoffMode::Json => serde_json::to_string(value)
                .map(JsValue::from)
                .map_err(|e| e.to_string()),
        };
        crossed.map_err(|e| JsError::new(&format!("cannot hand the result over ({self:?}): {e}")))
    }
}

thread_local! {
    /// The last result of `inspectHandoff`, for `handoffAgain`.
    static LAST: RefCell<Option<InspectResult>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
impl Engine {
    /// `inspect(chain, undefined, time_ms, root_is_built_in, {fetch: false,
    /// stapleHidden: true})`, the result handed over in `mode` (for
    /// `HandoffMode.Json`, a string to `JSON.parse`).
    #[wasm_bindgen(js_name = inspectHandoff)]
    pub fn inspect_handoff(
        &self,
        chain: &Array,
        time_ms: f64,
        root_is_built_in: bool,
        mode: HandoffMode,
    ) -> Result<Promise, JsError> {
        let request = Request {
            chain: chain_from_js(chain)?,
            staple: None,
            staple_hidden: true,
            time: time_from_ms(time_ms)?,
            root_is_built_in,
            live: None,
        };
        // The extension's page path: no live request, the staple unseen.
        let plan = InspectPlan {
            fetch: false,
            method: MethodChoice::Auto,
            timeout_ms: None,
            responder: None,
            staple_hidden: true,
            count: None,
            check_crl: false,
        };
        let state = Rc::clone(&self.state);
        Ok(future_to_promise(async move {
            let inspection = inspection(&state, request, &plan).await?;
            let out = mode.hand_over(&inspection)?;
            LAST.with(|last| *last.borrow_mut() = Some(inspection));
            Ok(out)
        }))
    }
}

/// The last result of `Engine.inspectHandoff` handed over again, in `mode`.
#[wasm_bindgen(js_name = handoffAgain)]
pub fn handoff_again(mode: HandoffMode) -> Result<JsValue, JsError> {
    LAST.with(|last| match &*last.borrow() {
        Some(inspection) => mode.hand_over(inspection),
        None => Err(JsError::new(
            "no inspection yet: call Engine.inspectHandoff first",
        )),
    })
}
