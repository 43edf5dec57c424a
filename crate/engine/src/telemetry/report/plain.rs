//! Reports in the plain form the extension sends, read without serde:
//! JSON with strings free of escapes and counts as plain integers
//! (compact or spaced). Anything else is `None`, for serde_json to read or
//! to say precisely why not. Whatever this reads, serde_json reads to the
//! same report: a test holds the two together over many altered reports.
//!
//! Why: serde_json reads the counts, hundreds of small integers a report,
//! through its general number path, and that was most of the collector's
//! own work per report (`perf`).

use super::{Browser, Report, ReportCounts, SCHEMA_1_SECTIONS, SECTIONS};
use crate::telemetry::Day;

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// The next byte after JSON whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.at) {
            self.at += 1;
        }
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.at;
        loop {
            match *self.text.get(self.at)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        self.at += 1;
        Some(text)
    }

    /// An integer that fits 32 bits, with no sign, fraction, exponent or
    /// leading zero (what follows it is checked by the caller, which
    /// expects `,`, `]` or `}`).
    fn count(&mut self) -> Option<u32> {
        let mut value: u64 = match self.peek()? {
            b'0' => {
                self.at += 1;
                return Some(0);
            }
            digit @ b'1'..=b'9' => u64::from(digit - b'0'),
            _ => return None,
        };
        self.at += 1;
        while let Some(digit @ b'0'..=b'9') = self.text.get(self.at) {
            value = value * 10 + u64::from(digit - b'0');
            if value > u64::from(u32::MAX) {
                return None;
            }
            self.at += 1;
        }
        Some(value as u32)
    }

    /// `[count, ...]`, with room for `len` from the start.
    fn cells(&mut self, len: usize) -> Option<Vec<u32>> {
        let mut cells = Vec::with_capacity(len);
        self.expect(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(cells);
        }
        loop {
            cells.push(self.count()?);
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(cells);
                }
                _ => return None,
            }
        }
    }

    /// `{"key": value, ...}`, each value read by `member`.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// Fills an empty slot: a field given twice is serde's error to name.
fn fill<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// The report in `json` when it is in the plain form; `None` otherwise.
/// Reads the fields only: [`Report::from_json`] checks them after.
pub(super) fn read(json: &[u8]) -> Option<Report> {
    let mut reader = Reader { text: json, at: 0 };
    let mut schema = None;
    let mut id = None;
    let mut day = None;
    let mut extension = None;
    let mut browser = None;
    let mut counts = None;
    reader.object(|r, key| match key {
        "schema" => fill(&mut schema, r.count()?),
        "id" => fill(&mut id, r.string()?.to_owned()),
        "day" => fill(&mut day, Day::parse(r.string()?).ok()?),
        "extension" => fill(&mut extension, r.string()?.to_owned()),
        "browser" => fill(&mut browser, Browser::parse(r.string()?)?),
        "counts" => fill(&mut counts, read_counts(r)?),
        _ => None,
    })?;
    if reader.peek().is_some() {
        return None;
    }
    Some(Report {
        schema: schema?,
        id: id?,
        day: day?,
        extension: extension?,
        browser: browser?,
        counts: counts?,
    })
}

fn read_counts(reader: &mut Reader<'_>) -> Option<ReportCounts> {
    let mut sections: [Option<Vec<u32>>; SECTIONS.len()] = Default::default();
    reader.object(|r, key| {
        let n = SECTIONS.iter().position(|s| s.name == key)?;
        fill(&mut sections[n], r.cells(SECTIONS[n].len)?)
    })?;
    // Every section of schema 1, each once: a missing one is serde's error
    // to name. The sections schema 2 added may be missing here, as for
    // serde; `ReportCounts::check` then holds them to the report's schema.
    if sections[..SCHEMA_1_SECTIONS].iter().any(Option::is_none) {
        return None;
    }
    Some(ReportCounts::from_sections(sections))
}
