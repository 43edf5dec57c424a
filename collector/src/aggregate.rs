//! What is published: per day, the sum of every cell, with k-anonymity.
//!
//! A day with fewer than k reports is left out. A cell is its sum when at
//! least k reports had a nonzero count in it, 0 when none had, and `null`
//! (suppressed) when 1 to k-1 had: a rare value seen by one user would
//! otherwise single that user out. The day's reports per schema are
//! published by the same rule: schema 1's reports carry no counts in the
//! cells schema 2 added, so those cells are read against the schema-2
//! reports, and a schema that 1 to k-1 reports of the day used is `null`.

use std::collections::BTreeMap;

use revoscope::telemetry::report::{section_labels, SectionLabels, REPORT_SCHEMA, SECTIONS};
use revoscope::telemetry::Day;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::store::{CellTotal, DayTotals};

/// The longest range one query may ask for, in days (from and to included).
pub const MAX_SPAN_DAYS: u32 = 366;

/// One cell as published.
pub fn publish_cell(total: CellTotal, k: u64) -> Option<u64> {
    match total.contributors {
        0 => Some(0),
        n if n >= k => Some(total.sum),
        _ => None,
    }
}

/// The published days: those with at least k reports, cells suppressed.
pub fn publish(totals: Vec<DayTotals>, k: u64) -> Vec<PublishedDay> {
    totals
        .into_iter()
        .filter(|t| t.reports >= k)
        .map(|t| PublishedDay {
            day: t.day,
            reports: t.reports,
            reports_by_schema: t
                .schemas
                .iter()
                .map(|(&schema, &reports)| {
                    let total = CellTotal {
                        sum: reports,
                        contributors: reports,
                    };
                    (schema, publish_cell(total, k))
                })
                .collect(),
            cells: t.cells.iter().map(|&c| publish_cell(c, k)).collect(),
        })
        .collect()
}

pub struct PublishedDay {
    pub day: Day,
    pub reports: u64,
    /// The reports by schema; None is suppressed.
    pub reports_by_schema: BTreeMap<u32, Option<u64>>,
    /// In vector order (schema 2's); None is suppressed.
    pub cells: Vec<Option<u64>>,
}

/// The section names and their cells' labels, worked out once.
pub struct Layout {
    sections: Vec<SectionLabels>,
}

impl Layout {
    pub fn new() -> Layout {
        Layout {
            sections: section_labels(),
        }
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout::new()
    }
}

/// The body of `GET /v1/aggregates`.
#[derive(Serialize)]
pub struct Aggregates<'a> {
    pub schema: u32,
    pub k: u64,
    pub from: Day,
    pub to: Day,
    pub sections: &'a [SectionLabels],
    pub days: Vec<DayBody>,
}

#[derive(Serialize)]
pub struct DayBody {
    day: Day,
    reports: u64,
    /// `{"1": n, "2": m}`: the reports of each schema.
    reports_by_schema: BTreeMap<u32, Option<u64>>,
    counts: Counts,
}

/// The cells of a day, one array per section under its name, in
/// [`SECTIONS`] order.
struct Counts(Vec<Option<u64>>);

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(SECTIONS.len()))?;
        let mut rest = self.0.as_slice();
        for section in &SECTIONS {
            let (head, tail) = rest.split_at(section.len.min(rest.len()));
            map.serialize_entry(section.name, head)?;
            rest = tail;
        }
        map.end()
    }
}

impl<'a> Aggregates<'a> {
    pub fn new(layout: &'a Layout, k: u64, from: Day, to: Day, days: Vec<PublishedDay>) -> Self {
        Aggregates {
            schema: REPORT_SCHEMA,
            k,
            from,
            to,
            sections: &layout.sections,
            days: days
                .into_iter()
                .map(|d| DayBody {
                    day: d.day,
                    reports: d.reports,
                    reports_by_schema: d.reports_by_schema,
                    counts: Counts(d.cells),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use revoscope::telemetry::report::{REPORT_1_LEN, REPORT_LEN};

    fn cell(sum: u64, contributors: u64) -> CellTotal {
        CellTotal { sum, contributors }
    }

    #[test]
    fn cells_below_k_contributors_are_suppressed() {
        assert_eq!(publish_cell(cell(0, 0), 3), Some(0));
        assert_eq!(publish_cell(cell(900, 1), 3), None);
        assert_eq!(publish_cell(cell(900, 2), 3), None);
        assert_eq!(publish_cell(cell(900, 3), 3), Some(900));
        assert_eq!(publish_cell(cell(900, 1), 1), Some(900));
    }

    #[test]
    fn days_below_k_reports_are_left_out_and_the_body_has_the_sections_in_order() {
        let mut cells = vec![cell(0, 0); REPORT_LEN];
        cells[0] = cell(30, 3);
        cells[REPORT_1_LEN - 1] = cell(5, 1);
        cells[REPORT_LEN - 1] = cell(5, 1);
        let totals = vec![
            DayTotals {
                day: Day(100),
                reports: 2,
                schemas: BTreeMap::from([(2, 2)]),
                cells: cells.clone(),
            },
            DayTotals {
                day: Day(101),
                reports: 3,
                schemas: BTreeMap::from([(1, 1), (2, 2)]),
                cells,
            },
        ];
        let layout = Layout::new();
        let body = Aggregates::new(&layout, 3, Day(100), Day(101), publish(totals, 3));
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["schema"], 2);
        assert_eq!(json["k"], 3);
        assert_eq!(json["from"], "1970-04-11");
        assert_eq!(json["to"], "1970-04-12");
        assert_eq!(json["sections"][0]["name"], "paths");
        assert_eq!(json["sections"][0]["labels"][0], "OneCRL");
        let days = json["days"].as_array().unwrap();
        assert_eq!(days.len(), 1);
        assert_eq!(days[0]["day"], "1970-04-12");
        assert_eq!(days[0]["reports"], 3);
        // One schema-1 report of three: below k, suppressed.
        assert_eq!(
            days[0]["reports_by_schema"],
            serde_json::json!({"1": null, "2": null})
        );
        let k2 = Aggregates::new(&layout, 2, Day(100), Day(101), publish(totals_k2(), 2));
        let k2 = serde_json::to_value(&k2).unwrap();
        assert_eq!(
            k2["days"][0]["reports_by_schema"],
            serde_json::json!({"2": 2})
        );
        assert_eq!(
            k2["days"][1]["reports_by_schema"],
            serde_json::json!({"1": null, "2": 2})
        );
        assert_eq!(days[0]["counts"]["paths"][0], 30);
        assert_eq!(days[0]["counts"]["paths"][1], 0);
        let latency = days[0]["counts"]["responder_latency"].as_array().unwrap();
        assert_eq!(latency.last().unwrap(), &serde_json::Value::Null);
        let crl_hosts = days[0]["counts"]["crl_host_outcomes"].as_array().unwrap();
        assert_eq!(crl_hosts.last().unwrap(), &serde_json::Value::Null);
        let text = serde_json::to_string(&body).unwrap();
        let names: Vec<usize> = SECTIONS
            .iter()
            .map(|s| text.rfind(&format!("\"{}\":[", s.name)).unwrap())
            .collect();
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "sections out of order"
        );
        for (section, labels) in SECTIONS.iter().zip(json["sections"].as_array().unwrap()) {
            assert_eq!(labels["labels"].as_array().unwrap().len(), section.len);
            assert_eq!(
                days[0]["counts"][section.name].as_array().unwrap().len(),
                section.len
            );
        }
    }

    fn totals_k2() -> Vec<DayTotals> {
        [
            (100, BTreeMap::from([(2, 2)])),
            (101, BTreeMap::from([(1, 1), (2, 2)])),
        ]
        .into_iter()
        .map(|(day, schemas)| DayTotals {
            day: Day(day),
            reports: schemas.values().sum(),
            schemas,
            cells: vec![cell(0, 0); REPORT_LEN],
        })
        .collect()
    }
}
