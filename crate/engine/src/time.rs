//! Time passed in, never read: the engine has no clock (there is none on
//! wasm32 anyway), so every evaluation takes the time from its caller.
//!
//! This module depends on nothing else in the engine. Reading a time from
//! text, which can fail with an [`crate::Error`], is `UnixTime::parse_rfc3339`,
//! in `rfc3339.rs`.

use core::fmt;

/// Seconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub u64);

pub const ONE_DAY: u64 = 24 * 60 * 60;

impl UnixTime {
    pub fn from_millis(ms: u64) -> Self {
        UnixTime(ms / 1000)
    }
}

impl fmt::Display for UnixTime {
    /// RFC 3339 in UTC, e.g. `2026-11-21T12:00:00Z`. Formatted by hand: this
    /// runs for every certificate on the page-load path, and the general
    /// formatting machinery cost more than the rest of a verdict's dates.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, secs) = (self.0 / ONE_DAY, self.0 % ONE_DAY);
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return write!(f, "@{}", self.0);
        }
        let mut buf = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, value: u64, width: usize| {
            let mut v = value;
            for i in (0..width).rev() {
                buf[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, year, 4);
        put(5, month, 2);
        put(8, day, 2);
        put(11, secs / 3600, 2);
        put(14, secs % 3600 / 60, 2);
        put(17, secs % 60, 2);
        f.write_str(core::str::from_utf8(&buf).expect("ASCII digits"))
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`, "chrono-Compatible
/// Low-Level Date Algorithms").
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A span of time in seconds, shown the way people read certificate lifetimes.
pub fn describe_duration(secs: u64) -> String {
    let days = secs / ONE_DAY;
    let hours = (secs % ONE_DAY) / 3600;
    let unit = if days == 1 { "day" } else { "days" };
    match (days, hours) {
        (0, h) => format!("{h} h {} min", (secs % 3600) / 60),
        (d, 0) => format!("{d} {unit}"),
        (d, h) => format!("{d} {unit} {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = UnixTime::parse_rfc3339("2026-11-21T12:00:00Z").unwrap();
        assert_eq!(t, UnixTime(1_795_262_400));
        assert_eq!(t.to_string(), "2026-11-21T12:00:00Z");
    }

    #[test]
    fn formatting_agrees_with_der_everywhere() {
        // Every day boundary from 1970 to 2100, and odd seconds across 10,000 years.
        let mut checked = 0;
        for t in (0..4_102_444_800u64)
            .step_by(86_400)
            .chain((0..253_402_300_799).step_by(77_777_777))
        {
            let dt = der::DateTime::from_unix_duration(core::time::Duration::from_secs(t)).unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minutes(),
                dt.seconds()
            );
            assert_eq!(UnixTime(t).to_string(), expected);
            checked += 1;
        }
        assert!(checked > 47_000);
        assert_eq!(UnixTime(253_402_300_800).to_string(), "@253402300800");
    }
}
