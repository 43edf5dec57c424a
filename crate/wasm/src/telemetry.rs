//! `Telemetry`: the day aggregates in the background's memory. The host
//! loads the stored days once, records each page load, and stores the one
//! day that changed (`record` hands it back as JSON).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{time_from_ms, to_js};
use revoscope::telemetry::report::{section_labels, Browser, Report};
use revoscope::telemetry::{export, Day, PageLoad, Summary, Telemetry as Days, TelemetryError};

fn telemetry_error(e: TelemetryError) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
pub struct Telemetry {
    days: Days,
}

/// A day as the host stores it.
#[derive(Serialize)]
struct StoredDay {
    day: String,
    json: String,
    /// The day was not held before: the host's index of days changes.
    new_day: bool,
}

/// Why a stored day was not loaded.
#[derive(Serialize)]
struct LoadError {
    code: &'static str,
    message: String,
}

#[wasm_bindgen]
impl Telemetry {
    /// Keeps `retentionDays` days (1 to 3660).
    #[wasm_bindgen(constructor)]
    pub fn new(retention_days: u32) -> Result<Telemetry, JsError> {
        Ok(Telemetry {
            days: Days::new(retention_days).map_err(telemetry_error)?,
        })
    }

    #[wasm_bindgen(js_name = setRetentionDays)]
    pub fn set_retention_days(&mut self, days: u32) -> Result<(), JsError> {
        self.days.set_retention_days(days).map_err(telemetry_error)
    }

    /// Loads one stored day (`key` is `YYYY-MM-DD`). Answers null, or
    /// `{code, message}` when the day does not load (nothing changes then,
    /// so the host can keep the stored text aside).
    #[wasm_bindgen(js_name = loadDay)]
    pub fn load_day(&mut self, key: &str, json: &str) -> Result<JsValue, JsError> {
        match self.days.load_day(key, json) {
            Ok(_) => Ok(JsValue::NULL),
            Err(e) => to_js(&LoadError {
                code: e.code(),
                message: e.to_string(),
            }),
        }
    }

    /// Records one page load at `timeMs`, given as JSON text (an
    /// `inspect` result's `page_load`, or a page-level `{"path": ...,
    /// "live": {"kind": "not-needed"}}`), and answers the day that changed:
    /// `{day, json, new_day}`. JSON text, not an object: serde_json refuses unknown
    /// fields, where reading an object would skip them unseen.
    pub fn record(&mut self, page_load_json: &str, time_ms: f64) -> Result<JsValue, JsError> {
        let load: PageLoad = serde_json::from_str(page_load_json)
            .map_err(|e| JsError::new(&format!("not a page load: {e}")))?;
        let time = time_from_ms(time_ms)?;
        let new_day = self.days.day(Day::of(time)).is_none();
        let stats = self.days.record(&load, time);
        to_js(&StoredDay {
            day: stats.day.to_string(),
            json: serde_json::to_string(stats).expect("counts always serialise"),
            new_day,
        })
    }

    /// A page counted as not inspected on `day` was inspected after all.
    /// Answers the changed day as `record` does, or null.
    #[wasm_bindgen(js_name = withdrawNotInspected)]
    pub fn withdraw_not_inspected(&mut self, day: &str) -> Result<JsValue, JsError> {
        let day = Day::parse(day).map_err(telemetry_error)?;
        if !self.days.withdraw_not_inspected(day) {
            return Ok(JsValue::NULL);
        }
        let stats = self.days.day(day).expect("the day just changed");
        to_js(&StoredDay {
            day: day.to_string(),
            json: serde_json::to_string(stats).expect("counts always serialise"),
            new_day: false,
        })
    }

    /// Drops the days outside the retention window; answers their keys.
    pub fn prune(&mut self, time_ms: f64) -> Result<Vec<String>, JsError> {
        let gone = self.days.prune(time_from_ms(time_ms)?);
        Ok(gone.iter().map(Day::to_string).collect())
    }

    /// The last `days` days up to `timeMs`'s day (cut to the retention).
    pub fn summary(&self, time_ms: f64, days: u32) -> Result<JsValue, JsError> {
        let to = Day::of(time_from_ms(time_ms)?);
        let span = days.clamp(1, u32::from(self.days.retention_days()));
        let from = Day(to.0.saturating_sub(span - 1));
        to_js(&Summary::of(&self.days, from, to))
    }

    /// Every stored day, one count per row (`day,metric,key,value`).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> String {
        export::to_csv(&self.days)
    }

    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, time_ms: f64) -> Result<String, JsError> {
        Ok(export::to_json(&self.days, time_from_ms(time_ms)?))
    }

    /// The keys of the days held.
    pub fn days(&self) -> Vec<String> {
        self.days.days().map(|d| d.day.to_string()).collect()
    }

    pub fn clear(&mut self) {
        self.days.clear();
    }

    /// The report to share for `day` (`YYYY-MM-DD`) as JSON text, or null
    /// when the day is not held or had too few page loads. `id` is 16 bytes
    /// from `crypto.getRandomValues`; `extensionVersion` the manifest's
    /// version; `browser` `firefox` or `chrome`.
    pub fn report(
        &self,
        day: &str,
        id: &[u8],
        extension_version: &str,
        browser: &str,
    ) -> Result<Option<String>, JsError> {
        let day = Day::parse(day).map_err(telemetry_error)?;
        let id: [u8; 16] = id
            .try_into()
            .map_err(|_| JsError::new("a report id is 16 random bytes"))?;
        let browser = Browser::parse(browser)
            .ok_or_else(|| JsError::new(&format!("{browser:?} is not firefox or chrome")))?;
        let Some(stats) = self.days.day(day) else {
            return Ok(None);
        };
        let report = Report::of_day(stats, id, extension_version, browser)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(report.map(|r| r.to_json()))
    }
}

/// The report's sections, in vector order: `[{name, labels}]`.
#[wasm_bindgen(js_name = reportLayout)]
pub fn report_layout() -> Result<JsValue, JsError> {
    to_js(&section_labels())
}
