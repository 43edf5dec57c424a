//! Times as hosts give them in text (the CLI's `--at`, the browser
//! binding's evaluation time): RFC 3339 section 5.6, read into a
//! [`UnixTime`].
//!
//! Apart from `time.rs` because a time that does not read is an
//! [`Error::InvalidTime`]: the time type stays below the error type, which
//! shows times in its messages.

use crate::error::Error;
use crate::time::UnixTime;

impl UnixTime {
    /// Parses RFC 3339 (`2026-11-21T12:00:00Z`, fractions and offsets allowed).
    pub fn parse_rfc3339(s: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::InvalidTime(format!("{s:?}: {why}"));
        if !s.is_ascii() {
            return Err(bad("not ASCII"));
        }
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad(
                "expected YYYY-MM-DDTHH:MM:SS followed by Z or an offset",
            ));
        }
        let num = |range: core::ops::Range<usize>| -> Result<u32, Error> {
            s.get(range)
                .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| bad("expected digits"))
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad("empty fraction of a second"));
            }
            rest = &frac[digits..];
        }
        let offset_secs: i64 = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6
                && (rest.starts_with('+') || rest.starts_with('-'))
                && &rest[3..4] == ":" =>
            {
                let h: i64 = rest[1..3].parse().map_err(|_| bad("bad offset"))?;
                let m: i64 = rest[4..6].parse().map_err(|_| bad("bad offset"))?;
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
            _ => return Err(bad("expected Z or +HH:MM after the time")),
        };
        let dt = der::DateTime::new(
            u16::try_from(year).map_err(|_| bad("year out of range"))?,
            month as u8,
            day as u8,
            hour as u8,
            minute as u8,
            second as u8,
        )
        .map_err(|_| bad("no such date or time, or before 1970"))?;
        let local = dt.unix_duration().as_secs() as i64;
        u64::try_from(local - offset_secs)
            .map(UnixTime)
            .map_err(|_| bad("before 1970"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_offsets_and_fractions() {
        let z = UnixTime::parse_rfc3339("2026-11-21T12:00:00Z").unwrap();
        assert_eq!(
            UnixTime::parse_rfc3339("2026-11-21T13:30:00.250+01:30").unwrap(),
            z
        );
        assert_eq!(
            UnixTime::parse_rfc3339("2026-11-21T10:00:00-02:00").unwrap(),
            z
        );
    }

    #[test]
    fn rfc3339_rejects_garbage() {
        for bad in [
            "",
            "2026-11-21",
            "2026-13-01T00:00:00Z",
            "2026-11-21T12:00:00",
            "1969-12-31T23:59:59Z",
            "2026-11-21T12:00:00.Z",
            "2026-11-21T12:00:00+0100",
            "２０２6-11-21T12:00:00Z",
        ] {
            assert!(
                matches!(UnixTime::parse_rfc3339(bad), Err(Error::InvalidTime(_))),
                "{bad}"
            );
        }
    }
}
