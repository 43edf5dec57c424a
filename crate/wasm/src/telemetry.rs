//! `Telemetry`: the day aggregates in the background's memory. The host
//! loads the stored days once, and stores the one day that changed after
//! each page load. An `Engine` given the same `Telemetry`
//! (`Engine.setTelemetry`) counts the page loads it evaluates itself, in the
//! `inspect` call that makes the verdict.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::contract::{Counted, Problem, StoredDay};
use super::{time_from_ms, to_js};
use revoscope::telemetry::report::{section_labels, Browser, Report};
use revoscope::telemetry::{
    export, CrlAccess, Day, DayStats, PageLoad, Path, Summary, Telemetry as Days, TelemetryError,
};
use revoscope::UnixTime;

fn telemetry_error(e: TelemetryError) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
pub struct Telemetry {
    /// Shared with the `Engine` that counts page loads into it.
    days: Rc<RefCell<Days>>,
}

impl Telemetry {
    pub(crate) fn shared(&self) -> Rc<RefCell<Days>> {
        Rc::clone(&self.days)
    }
}

/// Counts `load` at `time` into `days`.
pub(crate) fn count(days: &RefCell<Days>, load: &PageLoad, time: UnixTime) -> Counted {
    counting(days, time, |days| days.record(load, time))
}

/// Counts one CRL access on its own at `time`, as [`count`] does a page.
pub(crate) fn count_crl(days: &RefCell<Days>, access: &CrlAccess, time: UnixTime) -> Counted {
    counting(days, time, |days| days.record_crl(access, time))
}

fn counting(
    days: &RefCell<Days>,
    time: UnixTime,
    record: impl FnOnce(&mut Days) -> &DayStats,
) -> Counted {
    let mut days = days.borrow_mut();
    let new_day = days.day(Day::of(time)).is_none();
    let stats = record(&mut days);
    Counted {
        day: stats.day.to_string(),
        new_day,
    }
}

#[wasm_bindgen]
impl Telemetry {
    /// Keeps `retentionDays` days (1 to 3660).
    #[wasm_bindgen(constructor)]
    pub fn new(retention_days: u32) -> Result<Telemetry, JsError> {
        Ok(Telemetry {
            days: Rc::new(RefCell::new(
                Days::new(retention_days).map_err(telemetry_error)?,
            )),
        })
    }

    #[wasm_bindgen(js_name = setRetentionDays)]
    pub fn set_retention_days(&self, days: u32) -> Result<(), JsError> {
        self.days
            .borrow_mut()
            .set_retention_days(days)
            .map_err(telemetry_error)
    }

    /// Loads one stored day (`key` is `YYYY-MM-DD`). Answers null, or
    /// `{code, message}` when the day does not load (nothing changes then,
    /// so the host can keep the stored text aside).
    #[wasm_bindgen(js_name = loadDay)]
    pub fn load_day(&self, key: &str, json: &str) -> Result<JsValue, JsError> {
        let loaded = self.days.borrow_mut().load_day(key, json);
        match loaded {
            Ok(_) => Ok(JsValue::NULL),
            Err(e) => to_js(&Problem {
                code: e.code(),
                message: e.to_string(),
            }),
        }
    }

    /// Records one page load at `timeMs`, given as JSON text (a page load
    /// made elsewhere, as the benchmarks' seeded ones), and answers the day
    /// that changed: `{day, json, new_day}`. JSON text, not an object:
    /// serde_json refuses unknown fields, where reading an object would skip
    /// them unseen. The extension's page loads are counted by
    /// `Engine.inspect` itself, and page-level ones by `recordPageLevel`.
    pub fn record(&self, page_load_json: &str, time_ms: f64) -> Result<JsValue, JsError> {
        let load: PageLoad = serde_json::from_str(page_load_json)
            .map_err(|e| JsError::new(&format!("not a page load: {e}")))?;
        self.count_and_store(&load, time_from_ms(time_ms)?)
    }

    /// Records a page without a verdict at `timeMs`: `path` is
    /// `BrowserBlocked`, `NotInspected` or `EvaluationError`. Answers as
    /// `record` does.
    #[wasm_bindgen(js_name = recordPageLevel)]
    pub fn record_page_level(&self, path: &str, time_ms: f64) -> Result<JsValue, JsError> {
        let path = Path::ALL
            .into_iter()
            .find(|p| p.is_page_level() && p.as_str() == path)
            .ok_or_else(|| JsError::new(&format!("{path:?} is not a page-level path")))?;
        self.count_and_store(&PageLoad::page_level(path), time_from_ms(time_ms)?)
    }

    /// The stored form of `day` (`YYYY-MM-DD`) as it is now, or null when
    /// the day is not held.
    #[wasm_bindgen(js_name = dayJson)]
    pub fn day_json(&self, day: &str) -> Result<Option<String>, JsError> {
        let day = Day::parse(day).map_err(telemetry_error)?;
        Ok(self
            .days
            .borrow()
            .day(day)
            .map(|stats| serde_json::to_string(stats).expect("counts always serialise")))
    }

    /// A page counted as not inspected on `day` was inspected after all.
    /// Answers the changed day as `record` does, or null.
    #[wasm_bindgen(js_name = withdrawNotInspected)]
    pub fn withdraw_not_inspected(&self, day: &str) -> Result<JsValue, JsError> {
        let day = Day::parse(day).map_err(telemetry_error)?;
        let mut days = self.days.borrow_mut();
        if !days.withdraw_not_inspected(day) {
            return Ok(JsValue::NULL);
        }
        let stats = days.day(day).expect("the day just changed");
        to_js(&StoredDay {
            day: day.to_string(),
            json: serde_json::to_string(stats).expect("counts always serialise"),
            new_day: false,
        })
    }

    /// Drops the days outside the retention window; answers their keys.
    pub fn prune(&self, time_ms: f64) -> Result<Vec<String>, JsError> {
        let gone = self.days.borrow_mut().prune(time_from_ms(time_ms)?);
        Ok(gone.iter().map(Day::to_string).collect())
    }

    /// The last `days` days up to `timeMs`'s day (cut to the retention).
    pub fn summary(&self, time_ms: f64, days: u32) -> Result<JsValue, JsError> {
        let to = Day::of(time_from_ms(time_ms)?);
        let held = self.days.borrow();
        let span = days.clamp(1, u32::from(held.retention_days()));
        let from = Day(to.0.saturating_sub(span - 1));
        to_js(&Summary::of(&held, from, to))
    }

    /// Every stored day, one count per row (`day,metric,key,value`).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> String {
        export::to_csv(&self.days.borrow())
    }

    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, time_ms: f64) -> Result<String, JsError> {
        Ok(export::to_json(&self.days.borrow(), time_from_ms(time_ms)?))
    }

    /// The keys of the days held.
    pub fn days(&self) -> Vec<String> {
        self.days
            .borrow()
            .days()
            .map(|d| d.day.to_string())
            .collect()
    }

    pub fn clear(&self) {
        self.days.borrow_mut().clear();
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
        let held = self.days.borrow();
        let Some(stats) = held.day(day) else {
            return Ok(None);
        };
        let report = Report::of_day(stats, id, extension_version, browser)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(report.map(|r| r.to_json()))
    }
}

impl Telemetry {
    /// Counts `load` and answers the changed day with its stored form.
    fn count_and_store(&self, load: &PageLoad, time: UnixTime) -> Result<JsValue, JsError> {
        let Counted { day, new_day } = count(&self.days, load, time);
        let json = self.day_json(&day)?.expect("the day was just counted");
        to_js(&StoredDay { day, json, new_day })
    }
}

/// The report's sections, in vector order: `[{name, labels}]`.
#[wasm_bindgen(js_name = reportLayout)]
pub fn report_layout() -> Result<JsValue, JsError> {
    to_js(&section_labels())
}
