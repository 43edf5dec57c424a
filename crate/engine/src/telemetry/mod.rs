//! Local measurement: how often each revocation path decides, how often live
//! OCSP is still needed and how often it fails, what revocation
//! information the leaves carry and what their CRLs took, per UTC day.
//!
//! Pure, like the rest of the engine: the host passes the time and stores
//! each day's JSON (the extension under `telemetry:YYYY-MM-DD` in
//! storage.local). Nothing here can name a site: events carry labels,
//! outcome classes and the hosts of OCSP responders and CRLs only.

pub mod day;
pub mod event;
pub mod export;
pub mod report;
pub mod summary;

use std::collections::BTreeMap;

pub use day::{Day, DayStats, Histogram};
pub use event::{
    CrlAccess, CrlClass, HardFail, HostFacts, LiveClass, LiveUse, NotAsked, PageLoad, Path,
    RevocationInfo,
};
pub use summary::Summary;

use crate::limits::MAX_TELEMETRY_RETENTION_DAYS;
use crate::time::UnixTime;

/// The default retention, in days.
pub const DEFAULT_RETENTION_DAYS: u16 = 90;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TelemetryError {
    /// Not a `YYYY-MM-DD` day.
    BadDay(String),
    /// The retention is outside 1 to `MAX_TELEMETRY_RETENTION_DAYS`.
    BadRetention(u32),
    /// A stored day is not the JSON this version writes.
    Malformed(String),
    /// A stored day of another format version.
    UnsupportedVersion(u32),
    /// A stored day over `MAX_TELEMETRY_DAY_LEN`.
    TooLarge { len: usize },
    /// A stored day whose numbers contradict each other.
    Inconsistent(String),
    /// A stored day under one key says it is another day.
    WrongDay { key: String, inside: String },
}

impl TelemetryError {
    /// A stable token for hosts and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadDay(_) => "bad-day",
            Self::BadRetention(_) => "bad-retention",
            Self::Malformed(_) => "malformed",
            Self::UnsupportedVersion(_) => "unsupported-version",
            Self::TooLarge { .. } => "too-large",
            Self::Inconsistent(_) => "inconsistent",
            Self::WrongDay { .. } => "wrong-day",
        }
    }
}

impl core::fmt::Display for TelemetryError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BadDay(text) => write!(f, "{text:?} is not a day written YYYY-MM-DD"),
            Self::BadRetention(days) => write!(
                f,
                "a retention of {days} days is outside 1 to {MAX_TELEMETRY_RETENTION_DAYS}"
            ),
            Self::Malformed(why) => write!(f, "the stored day does not read: {why}"),
            Self::UnsupportedVersion(v) => write!(
                f,
                "the stored day is in format {v}, and this version reads format {}",
                day::DAY_FORMAT
            ),
            Self::TooLarge { len } => write!(
                f,
                "the stored day is {len} bytes, over the {}-byte limit",
                crate::limits::MAX_TELEMETRY_DAY_LEN
            ),
            Self::Inconsistent(why) => write!(f, "the stored day is inconsistent: {why}"),
            Self::WrongDay { key, inside } => {
                write!(f, "the day stored as {key} says it is {inside}")
            }
        }
    }
}

impl std::error::Error for TelemetryError {}

/// The days kept, oldest first.
#[derive(Clone, Debug)]
pub struct Telemetry {
    days: BTreeMap<Day, DayStats>,
    retention_days: u16,
}

impl Telemetry {
    pub fn new(retention_days: u32) -> Result<Telemetry, TelemetryError> {
        let retention_days = u16::try_from(retention_days)
            .ok()
            .filter(|d| (1..=MAX_TELEMETRY_RETENTION_DAYS).contains(d))
            .ok_or(TelemetryError::BadRetention(retention_days))?;
        Ok(Telemetry {
            days: BTreeMap::new(),
            retention_days,
        })
    }

    pub fn retention_days(&self) -> u16 {
        self.retention_days
    }

    pub fn set_retention_days(&mut self, days: u32) -> Result<(), TelemetryError> {
        self.retention_days = Telemetry::new(days)?.retention_days;
        Ok(())
    }

    /// Loads a stored day (`key` is its `YYYY-MM-DD`). On error nothing
    /// changes, so the host can keep the stored text aside.
    pub fn load_day(&mut self, key: &str, json: &str) -> Result<Day, TelemetryError> {
        let day = Day::parse(key)?;
        let stats = DayStats::from_json(json)?;
        if stats.day != day {
            return Err(TelemetryError::WrongDay {
                key: key.into(),
                inside: stats.day.to_string(),
            });
        }
        self.days.insert(day, stats);
        Ok(day)
    }

    /// Records one page load at `time`; answers the day it went to.
    pub fn record(&mut self, load: &PageLoad, time: UnixTime) -> &DayStats {
        let stats = self.day_at(time);
        stats.record(load);
        stats
    }

    /// Records one CRL access on its own at `time` (a fetch made after its
    /// page load was counted); answers the day it went to.
    pub fn record_crl(&mut self, access: &CrlAccess, time: UnixTime) -> &DayStats {
        let stats = self.day_at(time);
        stats.record_crl(access);
        stats
    }

    /// The counts of `time`'s day, a new day when not held yet.
    fn day_at(&mut self, time: UnixTime) -> &mut DayStats {
        let day = Day::of(time);
        self.days.entry(day).or_insert_with(|| DayStats::new(day))
    }

    /// Takes back one not-inspected page of `day` (it was inspected after
    /// all, and recorded again as evaluated). False when there is none.
    pub fn withdraw_not_inspected(&mut self, day: Day) -> bool {
        self.days
            .get_mut(&day)
            .is_some_and(DayStats::withdraw_not_inspected)
    }

    /// Drops the days that fell out of the retention window ending with
    /// `now`'s day; answers them, so the host deletes them from storage.
    pub fn prune(&mut self, now: UnixTime) -> Vec<Day> {
        let first_kept = self.first_kept(now);
        let gone: Vec<Day> = self.days.range(..first_kept).map(|(d, _)| *d).collect();
        for d in &gone {
            self.days.remove(d);
        }
        gone
    }

    /// The oldest day the retention keeps on `now`'s day.
    pub fn first_kept(&self, now: UnixTime) -> Day {
        Day(Day::of(now)
            .0
            .saturating_sub(u32::from(self.retention_days) - 1))
    }

    pub fn day(&self, day: Day) -> Option<&DayStats> {
        self.days.get(&day)
    }

    pub fn days(&self) -> impl Iterator<Item = &DayStats> {
        self.days.values()
    }

    pub fn clear(&mut self) {
        self.days.clear();
    }
}

#[cfg(test)]
mod tests;
