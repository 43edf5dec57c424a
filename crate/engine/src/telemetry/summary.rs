//! What the dashboard draws: per-day series and totals over a range of days,
//! with the rates worked out here so every view shows the same numbers.

use std::collections::BTreeMap;

use crate::crlite::CrliteStatus;
use serde::Serialize;

use super::day::{
    bucket_floor_ms, merge_counts, total, Counts, CrlHostStats, Day, DayStats, Histogram,
    ResponderStats,
};
use super::event::{CrlClass, HardFail, LiveClass, Method, NotAsked, Path, RevocationInfo};
use super::Telemetry;

/// A share, or None when nothing was counted under it.
fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// Live OCSP on one day or over the range.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LiveRates {
    /// Page loads with a verdict.
    pub evaluated: u32,
    /// Of those, the ones whose ladder needed live OCSP.
    pub needed: u32,
    /// Requests made.
    pub asked: u32,
    /// Requests without a usable answer.
    pub failures: u32,
    /// Requests answered "unknown" (an answer, not a failure).
    pub unknown: u32,
    /// needed / evaluated.
    pub usage_rate: Option<f64>,
    /// failures / asked.
    pub failure_rate: Option<f64>,
}

impl LiveRates {
    fn of(day: &DayStats) -> LiveRates {
        let asked = total(&day.live_outcomes, |_| true);
        let failures = total(&day.live_outcomes, |c| c.is_failure());
        LiveRates {
            evaluated: day.evaluated,
            needed: day.live_needed,
            asked,
            failures,
            unknown: total(&day.live_outcomes, |c| *c == LiveClass::Unknown),
            usage_rate: rate(day.live_needed, day.evaluated),
            failure_rate: rate(failures, asked),
        }
    }
}

/// The leaf's CRL on one day or over the range.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlRates {
    /// Fetches made.
    pub fetched: u32,
    /// Fetches without a usable answer for the leaf.
    pub failures: u32,
    /// Page loads answered from a list held (cache hits).
    pub held: u32,
    /// failures / fetched.
    pub failure_rate: Option<f64>,
    /// held / (held + fetched).
    pub hit_rate: Option<f64>,
}

impl CrlRates {
    fn of(day: &DayStats) -> CrlRates {
        let fetched = total(&day.crl_outcomes, |_| true);
        let failures = total(&day.crl_outcomes, |c| c.is_failure());
        CrlRates {
            fetched,
            failures,
            held: day.crl_held,
            failure_rate: rate(failures, fetched),
            hit_rate: rate(day.crl_held, day.crl_held.saturating_add(fetched)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DayRow {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub day: Day,
    pub pages: u32,
    pub live: LiveRates,
    pub paths: Counts<Path>,
    pub hard_fail: Counts<HardFail>,
    /// The evaluated leaves' revocation information.
    pub revocation_info: Counts<RevocationInfo>,
    pub crl: CrlRates,
    pub crl_outcomes: Counts<CrlClass>,
}

/// The hard-fail breakage estimate.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Breakage {
    pub evaluated: u32,
    /// Page loads hard-fail would have blocked.
    pub would_block: u32,
    /// ... because a certificate is revoked: real blocks.
    pub revoked: u32,
    /// ... because a responder said unknown.
    pub unknown: u32,
    /// ... because live OCSP gave no answer: breakage.
    pub offline: u32,
    /// ... for another requirement (must-staple).
    pub error: u32,
    /// Page loads where it depends on a live answer not obtained.
    pub undetermined: u32,
    /// would_block / evaluated.
    pub block_rate: Option<f64>,
    /// offline / evaluated: the pages hard-fail would break.
    pub breakage_rate: Option<f64>,
}

impl Breakage {
    fn of(evaluated: u32, hard_fail: &Counts<HardFail>) -> Breakage {
        let n = |h: HardFail| hard_fail.get(&h).copied().unwrap_or(0);
        let would_block = total(hard_fail, |h| h.blocks());
        Breakage {
            evaluated,
            would_block,
            revoked: n(HardFail::BlockRevoked),
            unknown: n(HardFail::BlockUnknown),
            offline: n(HardFail::BlockOffline),
            error: n(HardFail::BlockError),
            undetermined: n(HardFail::Undetermined),
            block_rate: rate(would_block, evaluated),
            breakage_rate: rate(n(HardFail::BlockOffline), evaluated),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Totals {
    pub pages: u32,
    pub live: LiveRates,
    pub paths: Counts<Path>,
    pub ca_paths: Counts<Path>,
    pub live_outcomes: Counts<LiveClass>,
    pub live_not_asked: Counts<NotAsked>,
    pub live_methods: Counts<Method>,
    pub breakage: Breakage,
    /// Firefox: handshakes where Firefox itself went to live OCSP, of those
    /// where it said.
    pub browser_ocsp_known: u32,
    pub browser_ocsp_used: u32,
    pub browser_ocsp_rate: Option<f64>,
    /// CRLite's answers for the leaves it was asked about.
    pub crlite: Counts<CrliteStatus>,
    pub revocation_info: Counts<RevocationInfo>,
    pub crl: CrlRates,
    pub crl_outcomes: Counts<CrlClass>,
}

/// The latency distribution of live requests.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Latency {
    /// Each bucket's lower bound, in ms (the last is open-ended).
    pub floors_ms: Vec<u32>,
    pub counts: Vec<u32>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

impl Latency {
    fn of(h: &Histogram) -> Latency {
        Latency {
            floors_ms: (0..h.0.len()).map(bucket_floor_ms).collect(),
            counts: h.0.to_vec(),
            p50_ms: h.quantile(0.5),
            p95_ms: h.quantile(0.95),
        }
    }
}

/// The sizes of the CRLs fetched.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Sizes {
    /// Each bucket's lower bound, in KiB (the last is open-ended).
    pub floors_kib: Vec<u32>,
    pub counts: Vec<u32>,
    pub p50_kib: Option<f64>,
    pub p95_kib: Option<f64>,
}

impl Sizes {
    fn of(h: &Histogram) -> Sizes {
        let latency = Latency::of(h);
        Sizes {
            floors_kib: latency.floors_ms,
            counts: latency.counts,
            p50_kib: latency.p50_ms,
            p95_kib: latency.p95_ms,
        }
    }
}

/// CRL fetches from one host.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlHostRow {
    pub host: String,
    pub fetches: u32,
    pub failures: u32,
    pub failure_rate: Option<f64>,
    pub outcomes: Counts<CrlClass>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ResponderRow {
    pub host: String,
    pub attempts: u32,
    pub failures: u32,
    pub failure_rate: Option<f64>,
    pub outcomes: Counts<LiveClass>,
    /// Estimated from the latency buckets (see [`Histogram::quantile`]).
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Summary {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub from: Day,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub to: Day,
    pub retention_days: u16,
    /// Days in the range with any data.
    pub days_with_data: usize,
    /// One row per day of the range, oldest first, empty days included.
    pub days: Vec<DayRow>,
    pub totals: Totals,
    pub latency: Latency,
    /// Most attempts first.
    pub responders: Vec<ResponderRow>,
    /// The latency distribution of CRL fetches.
    pub crl_latency: Latency,
    pub crl_sizes: Sizes,
    /// Most fetches first.
    pub crl_hosts: Vec<CrlHostRow>,
}

impl Summary {
    /// The days `from` to `to`, both included; a range longer than the
    /// longest retention is cut to its last `MAX_TELEMETRY_RETENTION_DAYS`.
    pub fn of(telemetry: &Telemetry, from: Day, to: Day) -> Summary {
        let longest = u32::from(crate::limits::MAX_TELEMETRY_RETENTION_DAYS);
        let from = Day(from.0.max(to.0.saturating_sub(longest - 1)).min(to.0));
        let mut all = DayStats::new(to);
        let mut responders: BTreeMap<String, ResponderStats> = BTreeMap::new();
        let mut crl_hosts: BTreeMap<String, CrlHostStats> = BTreeMap::new();
        let mut rows = Vec::new();
        let mut with_data = 0;
        for d in from.0..=to.0 {
            let day = Day(d);
            let empty;
            let stats = match telemetry.day(day) {
                Some(s) => {
                    with_data += 1;
                    s
                }
                None => {
                    empty = DayStats::new(day);
                    &empty
                }
            };
            rows.push(DayRow {
                day,
                pages: stats.pages,
                live: LiveRates::of(stats),
                paths: stats.paths.clone(),
                hard_fail: stats.hard_fail.clone(),
                revocation_info: stats.revocation_info.clone(),
                crl: CrlRates::of(stats),
                crl_outcomes: stats.crl_outcomes.clone(),
            });
            merge_day(&mut all, stats);
            for (host, r) in &stats.responders {
                responders.entry(host.clone()).or_default().merge(r);
            }
            for (host, c) in &stats.crl_hosts {
                crl_hosts.entry(host.clone()).or_default().merge(c);
            }
        }
        let mut responders: Vec<ResponderRow> = responders
            .into_iter()
            .map(|(host, r)| {
                let failures = r.failures();
                ResponderRow {
                    host,
                    attempts: r.attempts,
                    failures,
                    failure_rate: rate(failures, r.attempts),
                    outcomes: r.outcomes.clone(),
                    p50_ms: r.latency.quantile(0.5),
                    p95_ms: r.latency.quantile(0.95),
                }
            })
            .collect();
        responders.sort_by(|a, b| {
            b.attempts
                .cmp(&a.attempts)
                .then_with(|| a.host.cmp(&b.host))
        });
        let mut crl_hosts: Vec<CrlHostRow> = crl_hosts
            .into_iter()
            .map(|(host, c)| {
                let (fetches, failures) = (c.fetches(), c.failures());
                CrlHostRow {
                    host,
                    fetches,
                    failures,
                    failure_rate: rate(failures, fetches),
                    outcomes: c.outcomes.clone(),
                    p50_ms: c.latency.quantile(0.5),
                    p95_ms: c.latency.quantile(0.95),
                }
            })
            .collect();
        crl_hosts.sort_by(|a, b| b.fetches.cmp(&a.fetches).then_with(|| a.host.cmp(&b.host)));
        let latency = Latency::of(&all.live_latency);
        Summary {
            from,
            to,
            retention_days: telemetry.retention_days(),
            days_with_data: with_data,
            days: rows,
            totals: Totals {
                pages: all.pages,
                live: LiveRates::of(&all),
                crl: CrlRates::of(&all),
                breakage: Breakage::of(all.evaluated, &all.hard_fail),
                browser_ocsp_rate: rate(all.browser_ocsp_used, all.browser_ocsp_known),
                browser_ocsp_known: all.browser_ocsp_known,
                browser_ocsp_used: all.browser_ocsp_used,
                paths: all.paths,
                ca_paths: all.ca_paths,
                live_outcomes: all.live_outcomes,
                live_not_asked: all.live_not_asked,
                live_methods: all.live_methods,
                crlite: all.crlite,
                revocation_info: all.revocation_info,
                crl_outcomes: all.crl_outcomes,
            },
            latency,
            responders,
            crl_latency: Latency::of(&all.crl_latency),
            crl_sizes: Sizes::of(&all.crl_sizes),
            crl_hosts,
        }
    }
}

/// Adds one day's counts into `into` (responder and CRL hosts aside: the
/// caller merges them by host without the per-day bound).
fn merge_day(into: &mut DayStats, day: &DayStats) {
    let add = |a: &mut u32, b: u32| *a = a.saturating_add(b);
    add(&mut into.pages, day.pages);
    add(&mut into.evaluated, day.evaluated);
    add(&mut into.live_needed, day.live_needed);
    add(&mut into.browser_ocsp_known, day.browser_ocsp_known);
    add(&mut into.browser_ocsp_used, day.browser_ocsp_used);
    merge_counts(&mut into.paths, &day.paths);
    merge_counts(&mut into.ca_paths, &day.ca_paths);
    merge_counts(&mut into.live_not_asked, &day.live_not_asked);
    merge_counts(&mut into.live_outcomes, &day.live_outcomes);
    merge_counts(&mut into.live_methods, &day.live_methods);
    merge_counts(&mut into.hard_fail, &day.hard_fail);
    merge_counts(&mut into.crlite, &day.crlite);
    into.live_latency.merge(&day.live_latency);
    add(&mut into.crl_held, day.crl_held);
    merge_counts(&mut into.revocation_info, &day.revocation_info);
    merge_counts(&mut into.crl_outcomes, &day.crl_outcomes);
    into.crl_latency.merge(&day.crl_latency);
    into.crl_sizes.merge(&day.crl_sizes);
}
