//! A certificate's validity period, read with our own time reading.
//!
//! ```text
//! Validity ::= SEQUENCE {                       -- RFC 5280 section 4.1.2.5
//!      notBefore      Time,
//!      notAfter       Time }
//! Time ::= CHOICE {
//!      utcTime        UTCTime,
//!      generalTime    GeneralizedTime }
//! ```
//!
//! Not the `der` crate's `UtcTime` and `GeneralizedTime`: they hold Unix
//! times and refuse any year before 1970, while RFC 5280 section 4.1.2.5.1
//! gives UTCTime the years 1950 to 2049 (PKITS 4.2.3's notBefore is in 1950;
//! mozpkix and OpenSSL read it). The forms read are the DER ones RFC 5280
//! requires: UTCTime `YYMMDDHHMMSSZ` (YY 50-99 is 19YY, 00-49 is 20YY),
//! GeneralizedTime `YYYYMMDDHHMMSSZ`, digits only, seconds present, `Z`, no
//! fraction of a second. Like mozpkix (and `der` before), either form is
//! read for any year: the rule that CAs use UTCTime through 2049 binds the
//! issuer, not the reader.

use der::asn1::AnyRef;
use der::{Decode, Reader, SliceReader, Tag, Tagged};

/// notBefore and notAfter in Unix seconds, a time before 1970 read as 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Validity {
    pub not_before: u64,
    pub not_after: u64,
}

impl Validity {
    /// Reads the Validity SEQUENCE, tag and length included. A malformed time
    /// fails as `der` would have: a value error naming UTCTime or
    /// GeneralizedTime.
    pub(crate) fn from_der(tlv: &[u8]) -> der::Result<Self> {
        AnyRef::from_der(tlv)?.sequence(|r| {
            Ok(Validity {
                not_before: time(r)?,
                not_after: time(r)?,
            })
        })
    }
}

/// Reads one Time into Unix seconds.
///
/// A time before 1970-01-01T00:00:00Z reads as 0, the earliest time the
/// engine counts. This changes no decision: a notBefore moved later to 1970
/// is still decades before any evaluation time, and a notAfter before 1970
/// stays in the past. (Two such times in the wrong order no longer show as
/// inverted; the certificate expired before 1970 all the same, and mozpkix
/// does not check the order at all.)
fn time(r: &mut SliceReader<'_>) -> der::Result<u64> {
    let any: AnyRef<'_> = r.decode()?;
    let tag = any.tag();
    let digits = |hi: u8, lo: u8| match (hi, lo) {
        (b'0'..=b'9', b'0'..=b'9') => Ok((hi - b'0') * 10 + (lo - b'0')),
        _ => Err(tag.value_error()),
    };
    let (year, rest) = match (tag, any.value()) {
        (Tag::UtcTime, &[y1, y2, ref rest @ ..]) => {
            let yy = u16::from(digits(y1, y2)?);
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, rest)
        }
        (Tag::GeneralizedTime, &[y1, y2, y3, y4, ref rest @ ..]) => (
            u16::from(digits(y1, y2)?) * 100 + u16::from(digits(y3, y4)?),
            rest,
        ),
        (Tag::UtcTime | Tag::GeneralizedTime, _) => return Err(tag.value_error()),
        _ => return Err(tag.unexpected_error(None)),
    };
    let &[mo1, mo2, d1, d2, h1, h2, mi1, mi2, s1, s2, b'Z'] = rest else {
        return Err(tag.value_error());
    };
    let (month, day) = (digits(mo1, mo2)?, digits(d1, d2)?);
    let (hour, minute, second) = (digits(h1, h2)?, digits(mi1, mi2)?, digits(s1, s2)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(tag.value_error());
    }
    if year < 1970 {
        return Ok(0);
    }
    der::DateTime::new(year, month, day, hour, minute, second)
        .map(|t| t.unix_duration().as_secs())
        .map_err(|_| tag.value_error())
}

/// Days in a month of the proleptic Gregorian calendar.
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::ErrorKind;

    /// A Validity of two times, each given by its tag and text.
    fn encode(times: &[(Tag, &str)]) -> Vec<u8> {
        let mut content = Vec::new();
        for (tag, text) in times {
            content.push(u8::from(*tag));
            content.push(text.len() as u8);
            content.extend_from_slice(text.as_bytes());
        }
        let mut tlv = vec![0x30, content.len() as u8];
        tlv.extend(content);
        tlv
    }

    /// Reads `text` as notBefore (notAfter far in the future).
    fn read(tag: Tag, text: &str) -> der::Result<u64> {
        let tlv = encode(&[(tag, text), (Tag::GeneralizedTime, "99991231235959Z")]);
        Validity::from_der(&tlv).map(|v| v.not_before)
    }

    fn utc(text: &str) -> der::Result<u64> {
        read(Tag::UtcTime, text)
    }

    fn generalized(text: &str) -> der::Result<u64> {
        read(Tag::GeneralizedTime, text)
    }

    fn refused(result: der::Result<u64>, tag: Tag) {
        assert_eq!(result.map_err(|e| e.kind()), Err(ErrorKind::Value { tag }));
    }

    #[test]
    fn before_1970_reads_as_0() {
        assert_eq!(utc("500101120100Z"), Ok(0)); // PKITS 4.2.3
        assert_eq!(utc("691231235959Z"), Ok(0));
        assert_eq!(generalized("19691231235959Z"), Ok(0));
        assert_eq!(generalized("00000101000000Z"), Ok(0));
        assert_eq!(utc("700101000000Z"), Ok(0));
        assert_eq!(utc("700101000001Z"), Ok(1));
    }

    #[test]
    fn the_two_digit_years_turn_at_2050() {
        assert_eq!(utc("491231235959Z"), Ok(2_524_607_999));
        assert_eq!(generalized("20500101000000Z"), Ok(2_524_608_000));
        assert_eq!(utc("991231235959Z"), Ok(946_684_799));
        assert_eq!(utc("000101000000Z"), Ok(946_684_800));
    }

    #[test]
    fn days_of_the_month() {
        assert_eq!(utc("240229000000Z"), Ok(1_709_164_800));
        refused(utc("230229000000Z"), Tag::UtcTime);
        assert_eq!(utc("680229000000Z"), Ok(0)); // a leap year before 1970
        refused(utc("690229000000Z"), Tag::UtcTime);
        refused(generalized("19000229000000Z"), Tag::GeneralizedTime);
        assert_eq!(generalized("20000229000000Z"), Ok(951_782_400));
        refused(utc("240431000000Z"), Tag::UtcTime);
        refused(utc("240100000000Z"), Tag::UtcTime);
        refused(utc("240132000000Z"), Tag::UtcTime);
    }

    #[test]
    fn out_of_range_fields_are_refused() {
        refused(utc("241301000000Z"), Tag::UtcTime);
        refused(utc("240001000000Z"), Tag::UtcTime);
        refused(utc("500101240000Z"), Tag::UtcTime);
        refused(utc("500101006000Z"), Tag::UtcTime);
        refused(utc("500101000060Z"), Tag::UtcTime); // no leap second
        refused(generalized("19501301000000Z"), Tag::GeneralizedTime);
    }

    #[test]
    fn only_the_der_forms_are_read() {
        refused(utc("240101000000"), Tag::UtcTime); // no Z
        refused(utc("2401010000000"), Tag::UtcTime);
        refused(utc("2401010000Z"), Tag::UtcTime); // no seconds
        refused(utc("240101000000+0000"), Tag::UtcTime);
        refused(utc("240101000000.5Z"), Tag::UtcTime);
        refused(utc("24O101000000Z"), Tag::UtcTime);
        refused(utc("24-101000000Z"), Tag::UtcTime);
        refused(utc("19240101000000Z"), Tag::UtcTime); // a 4-digit year
        refused(utc(""), Tag::UtcTime);
        refused(generalized("20240101000000.5Z"), Tag::GeneralizedTime);
        refused(generalized("20240101000000"), Tag::GeneralizedTime);
        refused(generalized("240101000000Z"), Tag::GeneralizedTime);
        refused(generalized("20240101000000z"), Tag::GeneralizedTime);
    }

    #[test]
    fn the_sequence_holds_two_times() {
        let ok = encode(&[
            (Tag::UtcTime, "240101000000Z"),
            (Tag::UtcTime, "250101000000Z"),
        ]);
        let v = Validity::from_der(&ok).unwrap();
        assert_eq!((v.not_before, v.not_after), (1_704_067_200, 1_735_689_600));

        let one = encode(&[(Tag::UtcTime, "240101000000Z")]);
        assert!(Validity::from_der(&one).is_err());
        let three = encode(&[(Tag::UtcTime, "240101000000Z"); 3]);
        assert!(matches!(
            Validity::from_der(&three).map_err(|e| e.kind()),
            Err(ErrorKind::TrailingData { .. })
        ));
        let wrong = encode(&[
            (Tag::Utf8String, "240101000000Z"),
            (Tag::UtcTime, "250101000000Z"),
        ]);
        assert!(matches!(
            Validity::from_der(&wrong).map_err(|e| e.kind()),
            Err(ErrorKind::TagUnexpected {
                actual: Tag::Utf8String,
                ..
            })
        ));
    }

    #[test]
    fn agrees_with_der_from_1970() {
        // der's own readings, every 77,777 seconds of UTCTime's range from 1970.
        for t in (0..2_524_608_000u64).step_by(77_777) {
            let dt = der::DateTime::from_unix_duration(core::time::Duration::from_secs(t)).unwrap();
            let utc_time = der::asn1::UtcTime::from_date_time(dt).unwrap();
            let generalized_time = der::asn1::GeneralizedTime::from_date_time(dt);
            let tlv = [
                vec![0x30, 32],
                der::Encode::to_der(&utc_time).unwrap(),
                der::Encode::to_der(&generalized_time).unwrap(),
            ]
            .concat();
            assert_eq!(
                Validity::from_der(&tlv),
                Ok(Validity {
                    not_before: t,
                    not_after: t
                })
            );
        }
    }
}
