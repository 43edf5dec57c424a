//! The user's copy of their telemetry: JSON (the stored days, whole) and CSV
//! in long form, one count per row, which spreadsheets and pandas read as is.

use core::fmt::Write;

use serde::Serialize;

use super::day::{bucket_floor_ms, Counts, DayStats};
use super::Telemetry;
use crate::time::UnixTime;

/// The JSON export's format name and version.
pub const EXPORT_FORMAT: &str = "revoscope-telemetry";
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
struct Export<'a> {
    format: &'static str,
    version: u32,
    exported_at: String,
    retention_days: u16,
    days: Vec<&'a DayStats>,
}

pub fn to_json(telemetry: &Telemetry, now: UnixTime) -> String {
    serde_json::to_string_pretty(&Export {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exported_at: now.to_string(),
        retention_days: telemetry.retention_days(),
        days: telemetry.days().collect(),
    })
    .expect("counts and labels always serialise")
}

/// The CSV header; each row is one count.
pub const CSV_HEADER: &str = "day,metric,key,value";

/// `day,metric,key,value` rows: `pages`, `evaluated`, `live_needed`,
/// `browser_ocsp_known` and `browser_ocsp_used` (empty key); `path`,
/// `ca_path`, `live_not_asked`, `live_outcome`, `live_method`, `hard_fail`,
/// `crlite` (key: the label); `live_latency_ms` (key: the bucket's lower bound);
/// `responder_attempts` (key: host), `responder_outcome` (key:
/// `host/class`), `responder_latency_ms` (key: `host/bound`);
/// `revocation_info`, `crl_outcome` (key: the label), `crl_held` (empty
/// key), `crl_latency_ms` (key: the bucket's lower bound), `crl_size_kib`
/// (key: the bucket's lower bound in KiB), `crl_host_outcome` (key:
/// `host/class`), `crl_host_latency_ms` (key: `host/bound`). Zero counts
/// are left out.
pub fn to_csv(telemetry: &Telemetry) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for d in telemetry.days() {
        let mut row = |metric: &str, key: &str, value: u32| {
            if value > 0 {
                let _ = writeln!(out, "{},{metric},{},{value}", d.day, csv_field(key));
            }
        };
        row("pages", "", d.pages);
        row("evaluated", "", d.evaluated);
        row("live_needed", "", d.live_needed);
        row("browser_ocsp_known", "", d.browser_ocsp_known);
        row("browser_ocsp_used", "", d.browser_ocsp_used);
        labelled(&mut row, "path", &d.paths, |p| p.as_str());
        labelled(&mut row, "ca_path", &d.ca_paths, |p| p.as_str());
        labelled(&mut row, "live_not_asked", &d.live_not_asked, |r| {
            r.as_str()
        });
        labelled(&mut row, "live_outcome", &d.live_outcomes, |c| c.as_str());
        labelled(&mut row, "live_method", &d.live_methods, |m| m.as_str());
        labelled(&mut row, "hard_fail", &d.hard_fail, |h| h.as_str());
        labelled(&mut row, "crlite", &d.crlite, |s| s.as_str());
        for (i, &n) in d.live_latency.0.iter().enumerate() {
            row("live_latency_ms", &bucket_floor_ms(i).to_string(), n);
        }
        labelled(&mut row, "revocation_info", &d.revocation_info, |r| {
            r.as_str()
        });
        row("crl_held", "", d.crl_held);
        labelled(&mut row, "crl_outcome", &d.crl_outcomes, |c| c.as_str());
        for (i, &n) in d.crl_latency.0.iter().enumerate() {
            row("crl_latency_ms", &bucket_floor_ms(i).to_string(), n);
        }
        for (i, &n) in d.crl_sizes.0.iter().enumerate() {
            row("crl_size_kib", &bucket_floor_ms(i).to_string(), n);
        }
        for (host, c) in &d.crl_hosts {
            for (class, &n) in &c.outcomes {
                row("crl_host_outcome", &format!("{host}/{}", class.as_str()), n);
            }
            for (i, &n) in c.latency.0.iter().enumerate() {
                row(
                    "crl_host_latency_ms",
                    &format!("{host}/{}", bucket_floor_ms(i)),
                    n,
                );
            }
        }
        for (host, r) in &d.responders {
            row("responder_attempts", host, r.attempts);
            for (class, &n) in &r.outcomes {
                row(
                    "responder_outcome",
                    &format!("{host}/{}", class.as_str()),
                    n,
                );
            }
            for (i, &n) in r.latency.0.iter().enumerate() {
                row(
                    "responder_latency_ms",
                    &format!("{host}/{}", bucket_floor_ms(i)),
                    n,
                );
            }
        }
    }
    out
}

fn labelled<K>(
    row: &mut impl FnMut(&str, &str, u32),
    metric: &str,
    counts: &Counts<K>,
    name: impl Fn(&K) -> &'static str,
) {
    for (k, &n) in counts {
        row(metric, name(k), n);
    }
}

/// Quotes a field that needs it (RFC 4180). Hosts are plain, but the
/// export must stay well-formed whatever a stored day holds.
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}
