//! One UTC day of telemetry: counts only, bounded in size.

use std::collections::BTreeMap;

use crate::crlite::CrliteStatus;
use serde::{Deserialize, Serialize};

use super::event::{
    is_plain_host, CrlAccess, CrlClass, HardFail, LiveClass, LiveUse, Method, NotAsked, PageLoad,
    Path, RevocationInfo, OTHER_HOST,
};
use super::TelemetryError;
use crate::limits::MAX_TELEMETRY_RESPONDERS;
use crate::time::{civil_from_days, UnixTime, ONE_DAY};

/// A UTC day, as days since 1970-01-01; written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub u32);

impl Day {
    pub fn of(time: UnixTime) -> Day {
        Day(u32::try_from(time.0 / ONE_DAY).unwrap_or(u32::MAX))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Day, TelemetryError> {
        let bad = || TelemetryError::BadDay(text.chars().take(40).collect());
        if text.len() != 10 {
            return Err(bad());
        }
        let time = UnixTime::parse_rfc3339(&format!("{text}T00:00:00Z")).map_err(|_| bad())?;
        let day = Day::of(time);
        // parse_rfc3339 accepts what der::DateTime accepts; insist on the
        // canonical spelling too, so one day has one key.
        (day.to_string() == text).then_some(day).ok_or_else(bad)
    }

    pub fn start(self) -> UnixTime {
        UnixTime(u64::from(self.0) * ONE_DAY)
    }
}

impl core::fmt::Display for Day {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (y, m, d) = civil_from_days(u64::from(self.0));
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Latency buckets: bucket 0 is under 1 ms, bucket i (1..=14) is
/// [2^(i-1), 2^i) ms, and the last is 16,384 ms and more. Powers of two keep
/// the relative error of a percentile read from them under a factor of two
/// across four orders of magnitude, in a fixed-length vector.
pub const LATENCY_BUCKETS: usize = 16;

/// The lower bound of each bucket, in ms.
pub fn bucket_floor_ms(i: usize) -> u32 {
    if i == 0 {
        0
    } else {
        1 << (i - 1)
    }
}

/// The bucket of `ms`.
pub fn bucket_of(ms: u32) -> usize {
    ((u32::BITS - ms.leading_zeros()) as usize).min(LATENCY_BUCKETS - 1)
}

/// A latency histogram: counts per bucket. CRL sizes use the same buckets
/// in KiB (see [`DayStats::crl_sizes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Histogram(pub [u32; LATENCY_BUCKETS]);

impl Histogram {
    pub fn add(&mut self, ms: u32) {
        bump(&mut self.0[bucket_of(ms)]);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = a.saturating_add(*b);
        }
    }

    pub fn count(&self) -> u64 {
        self.0.iter().map(|&c| u64::from(c)).sum()
    }

    /// The `q` quantile (0 < q <= 1) in ms, interpolated linearly inside
    /// its bucket as Prometheus's `histogram_quantile` does; None when
    /// empty. In the open last bucket it answers that bucket's floor: a
    /// lower bound.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = q.clamp(0.0, 1.0) * total as f64;
        let mut below = 0u64;
        for (i, &c) in self.0.iter().enumerate() {
            let c = u64::from(c);
            if c > 0 && (below + c) as f64 >= rank {
                let lo = f64::from(bucket_floor_ms(i));
                if i == LATENCY_BUCKETS - 1 {
                    return Some(lo);
                }
                let hi = f64::from(bucket_floor_ms(i + 1));
                return Some(lo + (hi - lo) * ((rank - below as f64) / c as f64).clamp(0.0, 1.0));
            }
            below += c;
        }
        Some(f64::from(bucket_floor_ms(LATENCY_BUCKETS - 1)))
    }
}

/// Counts by label; labels never seen are absent.
pub type Counts<K> = BTreeMap<K, u32>;

/// The sum of the counts whose label `keep`s, saturating as the counts do.
pub fn total<K>(counts: &Counts<K>, keep: impl Fn(&K) -> bool) -> u32 {
    counts
        .iter()
        .filter(|(k, _)| keep(k))
        .fold(0u32, |sum, (_, n)| sum.saturating_add(*n))
}

fn bump(n: &mut u32) {
    *n = n.saturating_add(1);
}

fn count<K: Ord>(map: &mut Counts<K>, key: K) {
    bump(map.entry(key).or_default());
}

/// Live requests to one responder host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ResponderStats {
    pub attempts: u32,
    /// Answers and failures by class.
    pub outcomes: Counts<LiveClass>,
    pub latency: Histogram,
}

impl ResponderStats {
    pub fn failures(&self) -> u32 {
        total(&self.outcomes, |c| c.is_failure())
    }

    pub fn merge(&mut self, other: &ResponderStats) {
        self.attempts = self.attempts.saturating_add(other.attempts);
        merge_counts(&mut self.outcomes, &other.outcomes);
        self.latency.merge(&other.latency);
    }
}

/// CRL fetches from one host: the same bound and the same `other` as
/// responder hosts (the report reduces both to the same CA domains).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CrlHostStats {
    /// Fetches by class: `ok` and the failures.
    pub outcomes: Counts<CrlClass>,
    pub latency: Histogram,
}

impl CrlHostStats {
    pub fn fetches(&self) -> u32 {
        total(&self.outcomes, |_| true)
    }

    pub fn failures(&self) -> u32 {
        total(&self.outcomes, |c| c.is_failure())
    }

    pub fn merge(&mut self, other: &CrlHostStats) {
        merge_counts(&mut self.outcomes, &other.outcomes);
        self.latency.merge(&other.latency);
    }
}

/// The KiB bucket of a CRL of `bytes`: [`bucket_of`] of its size in whole
/// KiB, so bucket 0 is under 1 KiB and the last 16 MiB and more.
pub fn size_bucket_of(bytes: u64) -> usize {
    bucket_of(u32::try_from(bytes / 1024).unwrap_or(u32::MAX))
}

/// `host` when it may be kept as a key of `map` (a plain host name, known
/// already or within the day's bound), else `other`.
fn bounded_host<V>(map: &BTreeMap<String, V>, host: &str) -> String {
    let known = map.contains_key(host);
    if is_plain_host(host) && (known || map.len() < MAX_TELEMETRY_RESPONDERS) {
        host.to_string()
    } else {
        OTHER_HOST.to_string()
    }
}

pub fn merge_counts<K: Ord + Copy>(into: &mut Counts<K>, from: &Counts<K>) {
    for (k, n) in from {
        let slot = into.entry(*k).or_default();
        *slot = slot.saturating_add(*n);
    }
}

/// The stored form's version; a stored day of another version is kept
/// aside, not read.
pub const DAY_FORMAT: u32 = 1;

/// One UTC day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DayStats {
    pub v: u32,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub day: Day,
    /// Every page load recorded, whatever its label.
    pub pages: u32,
    /// Page loads with a verdict: the denominator of the usage rate.
    pub evaluated: u32,
    /// The page's path: the leaf's, or a page-level label.
    pub paths: Counts<Path>,
    /// The CA certificates' paths (one per certificate).
    pub ca_paths: Counts<Path>,
    /// Page loads whose ladder needed live OCSP (asked or not).
    pub live_needed: u32,
    pub live_not_asked: Counts<NotAsked>,
    /// The live requests' outcomes.
    pub live_outcomes: Counts<LiveClass>,
    pub live_methods: Counts<Method>,
    pub live_latency: Histogram,
    /// Per responder host; at most `MAX_TELEMETRY_RESPONDERS` plus `other`.
    pub responders: BTreeMap<String, ResponderStats>,
    pub hard_fail: Counts<HardFail>,
    /// Firefox: handshakes where the browser said whether it used OCSP, and
    /// those where it did.
    pub browser_ocsp_known: u32,
    pub browser_ocsp_used: u32,
    /// What CRLite said of the leaves it was asked about (Firefox's
    /// `crlite_status` labels). Days stored before CRLite lack it.
    #[serde(default)]
    pub crlite: Counts<CrliteStatus>,
    /// The evaluated leaves' revocation information. This and the CRL
    /// counts below are absent from days stored before they were counted,
    /// and read as zero.
    #[serde(default)]
    pub revocation_info: Counts<RevocationInfo>,
    /// Page loads whose leaf's CRL came from a list held: cache hits.
    #[serde(default)]
    pub crl_held: u32,
    /// CRL fetches by class (`ok` and the failures).
    #[serde(default)]
    pub crl_outcomes: Counts<CrlClass>,
    /// CRL fetch latency, in the buckets of live OCSP's.
    #[serde(default)]
    pub crl_latency: Histogram,
    /// The sizes of the CRLs fetched, in the latency buckets read as KiB
    /// (under 1 KiB, 1-2 KiB ... 16 MiB and more; [`size_bucket_of`]). A
    /// histogram rather than a sum: what a CRL costs is the question (a
    /// 1 KiB shard or a 20 MiB list?), and one large list would make a sum,
    /// or a mean, say nothing of the typical fetch; the buckets still bound
    /// the day's total within a factor of two.
    #[serde(default)]
    pub crl_sizes: Histogram,
    /// Per CRL host; at most `MAX_TELEMETRY_RESPONDERS` plus `other`.
    #[serde(default)]
    pub crl_hosts: BTreeMap<String, CrlHostStats>,
}

impl DayStats {
    pub fn new(day: Day) -> DayStats {
        DayStats {
            v: DAY_FORMAT,
            day,
            pages: 0,
            evaluated: 0,
            paths: Counts::new(),
            ca_paths: Counts::new(),
            live_needed: 0,
            live_not_asked: Counts::new(),
            live_outcomes: Counts::new(),
            live_methods: Counts::new(),
            live_latency: Histogram::default(),
            responders: BTreeMap::new(),
            hard_fail: Counts::new(),
            browser_ocsp_known: 0,
            browser_ocsp_used: 0,
            crlite: Counts::new(),
            revocation_info: Counts::new(),
            crl_held: 0,
            crl_outcomes: Counts::new(),
            crl_latency: Histogram::default(),
            crl_sizes: Histogram::default(),
            crl_hosts: BTreeMap::new(),
        }
    }

    pub fn record(&mut self, load: &PageLoad) {
        bump(&mut self.pages);
        count(&mut self.paths, load.path);
        if !load.path.is_page_level() {
            bump(&mut self.evaluated);
        }
        for &p in &load.ca_paths {
            count(&mut self.ca_paths, p);
        }
        match &load.live {
            LiveUse::NotNeeded => {}
            LiveUse::NotAsked { reason } => {
                bump(&mut self.live_needed);
                count(&mut self.live_not_asked, *reason);
            }
            LiveUse::Asked(request) => {
                bump(&mut self.live_needed);
                count(&mut self.live_outcomes, request.class);
                count(&mut self.live_methods, request.method);
                self.live_latency.add(request.elapsed_ms);
                // Events from the host are checked too: only a plain host
                // name is kept, and only so many a day.
                let host = bounded_host(&self.responders, &request.host);
                let stats = self.responders.entry(host).or_default();
                bump(&mut stats.attempts);
                count(&mut stats.outcomes, request.class);
                stats.latency.add(request.elapsed_ms);
            }
        }
        if let Some(h) = load.hard_fail {
            count(&mut self.hard_fail, h);
        }
        if let Some(status) = load.crlite {
            count(&mut self.crlite, status);
        }
        // Counted for evaluated leaves only, as the usage rate is.
        if let (Some(info), false) = (load.revocation_info, load.path.is_page_level()) {
            count(&mut self.revocation_info, info);
        }
        self.record_crl(&load.crl);
        if let Some(used) = load.browser_used_ocsp {
            bump(&mut self.browser_ocsp_known);
            if used {
                bump(&mut self.browser_ocsp_used);
            }
        }
    }

    /// What one CRL access took: a list held that answered, or a fetch.
    /// Counted with its page load, or on its own when the host fetched the
    /// leaf's CRL after the page was counted (the side view is not waited
    /// for).
    pub fn record_crl(&mut self, access: &CrlAccess) {
        match access {
            CrlAccess::NotUsed => {}
            CrlAccess::Held => bump(&mut self.crl_held),
            CrlAccess::Fetched(fetch) => {
                count(&mut self.crl_outcomes, fetch.class);
                self.crl_latency.add(fetch.elapsed_ms);
                if fetch.bytes > 0 {
                    bump(&mut self.crl_sizes.0[size_bucket_of(fetch.bytes)]);
                }
                let host = bounded_host(&self.crl_hosts, &fetch.host);
                let stats = self.crl_hosts.entry(host).or_default();
                count(&mut stats.outcomes, fetch.class);
                stats.latency.add(fetch.elapsed_ms);
            }
        }
    }

    /// A page counted as not inspected was inspected after all: it is
    /// counted again, as evaluated, so it leaves the not-inspected count.
    pub fn withdraw_not_inspected(&mut self) -> bool {
        match self.paths.get_mut(&Path::NotInspected) {
            Some(n) if *n > 0 => {
                *n -= 1;
                if *n == 0 {
                    self.paths.remove(&Path::NotInspected);
                }
                self.pages = self.pages.saturating_sub(1);
                true
            }
            _ => false,
        }
    }

    /// Reads a stored day, checking what serde cannot: the version, the
    /// responder bound, and that the counts add up.
    pub fn from_json(json: &str) -> Result<DayStats, TelemetryError> {
        if json.len() > crate::limits::MAX_TELEMETRY_DAY_LEN {
            return Err(TelemetryError::TooLarge { len: json.len() });
        }
        #[derive(Deserialize)]
        struct Version {
            v: u32,
        }
        let version: Version =
            serde_json::from_str(json).map_err(|e| TelemetryError::Malformed(e.to_string()))?;
        if version.v != DAY_FORMAT {
            return Err(TelemetryError::UnsupportedVersion(version.v));
        }
        let day: DayStats =
            serde_json::from_str(json).map_err(|e| TelemetryError::Malformed(e.to_string()))?;
        check_hosts("responder", day.responders.keys())?;
        check_hosts("CRL", day.crl_hosts.keys())?;
        // Saturating, as `record` counts: a day it wrote always loads.
        if total(&day.paths, |_| true) != day.pages {
            return Err(TelemetryError::Inconsistent(
                "the path counts do not add up to the page count".into(),
            ));
        }
        Ok(day)
    }
}

/// The hosts of a stored day: within the bound (plus `other`), and plain.
fn check_hosts<'a>(
    what: &str,
    hosts: impl ExactSizeIterator<Item = &'a String>,
) -> Result<(), TelemetryError> {
    let len = hosts.len();
    if len > MAX_TELEMETRY_RESPONDERS + 1 {
        return Err(TelemetryError::Inconsistent(format!(
            "{len} {what} hosts, over the bound of {MAX_TELEMETRY_RESPONDERS}"
        )));
    }
    for host in hosts {
        if !is_plain_host(host) {
            return Err(TelemetryError::Inconsistent(format!(
                "the {what} host {:?} is not a plain host name",
                host.chars().take(64).collect::<String>()
            )));
        }
    }
    Ok(())
}
