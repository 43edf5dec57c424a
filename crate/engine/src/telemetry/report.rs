//! The daily report a user who opted in shares: one UTC day of local
//! telemetry as fixed-length vectors of clipped counts.
//!
//! What it leaves out is the point: no site host names, no client id (the
//! `id` is fresh random bytes per report, there only so a resent report is
//! counted once), no time finer than the day, the extension version only to
//! its minor number, and responder and CRL hosts only as one of the CA
//! domains in [`RESPONDER_DOMAINS`] or `other`.
//!
//! The counts are shaped for Prio3 (draft-irtf-cfrg-vdaf, `Prio3SumVec`):
//! [`ReportCounts::vector`] is one vector of [`REPORT_LEN`] integers, each
//! in `0..2^REPORT_BITS`, in the order of [`SECTIONS`]. A DAP task with
//! `length = REPORT_LEN, bits = REPORT_BITS` could carry it unchanged; the
//! day would be its batch interval, the schema, extension version and
//! browser its task, and DAP's own report id would replace `id`.
//!
//! **Schemas.** Schema 2 (written since CRLs were counted) is schema 1 with
//! six sections after its ten: a schema-1 vector is the first
//! [`REPORT_1_LEN`] cells of a schema-2 one, so a cell keeps its index
//! across schemas, and a schema-1 report reads as one with no CRL counts.
//! Both are read ([`REPORT_SCHEMAS`]); only schema 2 is written.

use serde::{Deserialize, Serialize};

use super::day::{bucket_floor_ms, Counts, DayStats, LATENCY_BUCKETS};
use super::event::{
    CrlClass, HardFail, LiveClass, Method, NotAsked, Path, RevocationInfo, OTHER_HOST,
};
use crate::crlite::CrliteStatus;
use crate::limits::MAX_REPORT_LEN;

use super::Day;

/// The schema this version writes.
pub const REPORT_SCHEMA: u32 = 2;

/// The schemas this version reads.
pub const REPORT_SCHEMAS: [u32; 2] = [1, REPORT_SCHEMA];

/// Bits per count: each cell is clipped to `0..=REPORT_CLIP`, so one
/// user's busy day weighs at most that much in any cell.
pub const REPORT_BITS: u32 = 10;
pub const REPORT_CLIP: u32 = (1 << REPORT_BITS) - 1;

/// A day with fewer page loads than this is not reported: too few to say
/// anything, and too few to hide among.
pub const MIN_REPORT_PAGES: u32 = 10;

/// The CA domains a report names; every other OCSP responder or CRL host
/// counts as `other`. A host counts under a domain when it is the domain or
/// ends in `.domain`. These are the domains of the CAs that issue most
/// WebPKI certificates (their AIA OCSP URLs: ocsp.digicert.com,
/// ocsp.sectigo.com, o.pki.goog, r10.o.lencr.org, ocsp.r2m01.amazontrust.com,
/// oneocsp.microsoft.com, ...; their CRL distribution points on the same
/// domains: crl3.digicert.com, crl.sectigo.com, c.pki.goog, r10.c.lencr.org,
/// crl.r2m01.amazontrust.com, www.microsoft.com/pkiops/crl/...). Changing
/// the list changes the vector: it takes a new schema.
pub const RESPONDER_DOMAINS: [&str; 24] = [
    "digicert.com",
    "geotrust.com",
    "thawte.com",
    "rapidssl.com",
    "sectigo.com",
    "usertrust.com",
    "comodoca.com",
    "lencr.org",
    "pki.goog",
    "globalsign.com",
    "amazontrust.com",
    "entrust.net",
    "godaddy.com",
    "starfieldtech.com",
    "microsoft.com",
    "msocsp.com",
    "apple.com",
    "certum.pl",
    "ssl.com",
    "harica.gr",
    "buypass.com",
    "actalis.it",
    "identrust.com",
    "swisssign.net",
];

/// Responder (and CRL host) slots: the domains, then `other`.
pub const RESPONDER_SLOTS: usize = RESPONDER_DOMAINS.len() + 1;

/// The slot of a responder or CRL host (`host[:port]`, lowercase, as
/// telemetry keeps it).
pub fn responder_slot(host: &str) -> usize {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    };
    RESPONDER_DOMAINS
        .iter()
        .position(|d| name == *d || name.strip_suffix(d).is_some_and(|head| head.ends_with('.')))
        .unwrap_or(RESPONDER_DOMAINS.len())
}

/// The browser the report comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    Firefox,
    Chrome,
}

impl Browser {
    pub fn as_str(self) -> &'static str {
        match self {
            Browser::Firefox => "firefox",
            Browser::Chrome => "chrome",
        }
    }

    pub fn parse(text: &str) -> Option<Browser> {
        match text {
            "firefox" => Some(Browser::Firefox),
            "chrome" => Some(Browser::Chrome),
            _ => None,
        }
    }
}

/// One section of the vector: its name and its cells' labels.
pub struct Section {
    pub name: &'static str,
    pub len: usize,
    /// The label of cell `i` of this section.
    pub label: fn(usize) -> String,
}

fn path_label(i: usize) -> String {
    Path::REPORTED[i].as_str().into()
}
fn not_asked_label(i: usize) -> String {
    NotAsked::ALL[i].as_str().into()
}
fn class_label(i: usize) -> String {
    LiveClass::ALL[i].as_str().into()
}
fn method_label(i: usize) -> String {
    METHODS[i].as_str().into()
}
fn latency_label(i: usize) -> String {
    format!("{}ms", bucket_floor_ms(i))
}
fn hard_fail_label(i: usize) -> String {
    HardFail::ALL[i].as_str().into()
}
fn crlite_label(i: usize) -> String {
    CrliteStatus::ALL[i].as_str().into()
}
fn browser_ocsp_label(i: usize) -> String {
    ["known", "used"][i].into()
}
fn responder_name(slot: usize) -> &'static str {
    RESPONDER_DOMAINS.get(slot).copied().unwrap_or(OTHER_HOST)
}
fn responder_outcome_label(i: usize) -> String {
    let classes = LiveClass::ALL.len();
    format!(
        "{}/{}",
        responder_name(i / classes),
        LiveClass::ALL[i % classes].as_str()
    )
}
fn more_paths_label(i: usize) -> String {
    Path::REPORTED_MORE[i].as_str().into()
}
fn revocation_info_label(i: usize) -> String {
    RevocationInfo::ALL[i].as_str().into()
}
fn crl_class_label(i: usize) -> String {
    CrlClass::ALL[i].as_str().into()
}
fn crl_cache_label(_: usize) -> String {
    "hit".into()
}
fn crl_host_outcome_label(i: usize) -> String {
    let classes = CrlClass::ALL.len();
    format!(
        "{}/{}",
        responder_name(i / classes),
        CrlClass::ALL[i % classes].as_str()
    )
}
fn responder_latency_label(i: usize) -> String {
    format!(
        "{}/{}",
        responder_name(i / LATENCY_BUCKETS),
        latency_label(i % LATENCY_BUCKETS)
    )
}

const METHODS: [Method; 2] = [Method::Get, Method::Post];

/// The sections of schema 2, in vector order; schema 1's are the first
/// [`SCHEMA_1_SECTIONS`]. The JSON form has one array per section of its
/// schema, under its name, of exactly `len` counts.
pub const SECTIONS: [Section; 16] = [
    Section {
        name: "paths",
        len: Path::REPORTED.len(),
        label: path_label,
    },
    Section {
        name: "live_not_asked",
        len: NotAsked::ALL.len(),
        label: not_asked_label,
    },
    Section {
        name: "live_outcomes",
        len: LiveClass::ALL.len(),
        label: class_label,
    },
    Section {
        name: "live_methods",
        len: METHODS.len(),
        label: method_label,
    },
    Section {
        name: "live_latency",
        len: LATENCY_BUCKETS,
        label: latency_label,
    },
    Section {
        name: "hard_fail",
        len: HardFail::ALL.len(),
        label: hard_fail_label,
    },
    Section {
        name: "crlite",
        len: CrliteStatus::ALL.len(),
        label: crlite_label,
    },
    Section {
        name: "browser_ocsp",
        len: 2,
        label: browser_ocsp_label,
    },
    Section {
        name: "responder_outcomes",
        len: RESPONDER_SLOTS * LiveClass::ALL.len(),
        label: responder_outcome_label,
    },
    Section {
        name: "responder_latency",
        len: RESPONDER_SLOTS * LATENCY_BUCKETS,
        label: responder_latency_label,
    },
    // Schema 2.
    Section {
        name: "more_paths",
        len: Path::REPORTED_MORE.len(),
        label: more_paths_label,
    },
    Section {
        name: "revocation_info",
        len: RevocationInfo::ALL.len(),
        label: revocation_info_label,
    },
    Section {
        name: "crl_outcomes",
        len: CrlClass::ALL.len(),
        label: crl_class_label,
    },
    Section {
        name: "crl_latency",
        len: LATENCY_BUCKETS,
        label: latency_label,
    },
    Section {
        name: "crl_cache",
        len: 1,
        label: crl_cache_label,
    },
    Section {
        name: "crl_host_outcomes",
        len: RESPONDER_SLOTS * CrlClass::ALL.len(),
        label: crl_host_outcome_label,
    },
];

/// Schema 1's sections: the first ten.
pub const SCHEMA_1_SECTIONS: usize = 10;

/// The sections of `schema`, in vector order; None for a schema this
/// version does not read.
pub fn sections_of(schema: u32) -> Option<&'static [Section]> {
    match schema {
        1 => Some(&SECTIONS[..SCHEMA_1_SECTIONS]),
        2 => Some(&SECTIONS),
        _ => None,
    }
}

const fn len_of(sections: usize) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < sections {
        len += SECTIONS[i].len;
        i += 1;
    }
    len
}

/// The length of the whole vector (schema 2).
pub const REPORT_LEN: usize = len_of(SECTIONS.len());

/// The length of a schema-1 vector: the first cells of a schema-2 one.
pub const REPORT_1_LEN: usize = len_of(SCHEMA_1_SECTIONS);

/// The length of the vector of `schema`.
pub fn report_len(schema: u32) -> Option<usize> {
    sections_of(schema).map(|s| s.iter().map(|s| s.len).sum())
}

/// A section's name and its cells' labels, as views and the collector's
/// aggregates show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SectionLabels {
    pub name: &'static str,
    pub labels: Vec<String>,
}

/// Every section's labels, in vector order (schema 2).
pub fn section_labels() -> Vec<SectionLabels> {
    SECTIONS
        .iter()
        .map(|s| SectionLabels {
            name: s.name,
            labels: (0..s.len).map(s.label).collect(),
        })
        .collect()
}

/// The cells' labels, `section.label`, in vector order (schema 2).
pub fn cell_names() -> Vec<String> {
    SECTIONS
        .iter()
        .flat_map(|s| (0..s.len).map(move |i| format!("{}.{}", s.name, (s.label)(i))))
        .collect()
}

/// The counts, one array per section (see [`SECTIONS`]). The sections
/// schema 2 added are None in a schema-1 report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReportCounts {
    /// The page's path (Firefox's revocation-mechanism labels, then ours).
    #[serde(deserialize_with = "section_cells::<_, 0>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub paths: Vec<u32>,
    /// Why the ladder needed live OCSP and no request went out.
    #[serde(deserialize_with = "section_cells::<_, 1>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub live_not_asked: Vec<u32>,
    /// The live requests' outcome classes.
    #[serde(deserialize_with = "section_cells::<_, 2>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub live_outcomes: Vec<u32>,
    /// GET, POST.
    #[serde(deserialize_with = "section_cells::<_, 3>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub live_methods: Vec<u32>,
    /// Live request latency, in power-of-two buckets from 0 ms.
    #[serde(deserialize_with = "section_cells::<_, 4>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub live_latency: Vec<u32>,
    /// What hard-fail would have done with the page.
    #[serde(deserialize_with = "section_cells::<_, 5>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub hard_fail: Vec<u32>,
    /// What CRLite said of the leaf (Firefox's `crlite_status` labels).
    #[serde(deserialize_with = "section_cells::<_, 6>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub crlite: Vec<u32>,
    /// Firefox: handshakes where it said whether it used OCSP; those where
    /// it did.
    #[serde(deserialize_with = "section_cells::<_, 7>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub browser_ocsp: Vec<u32>,
    /// Per responder slot, the outcome classes.
    #[serde(deserialize_with = "section_cells::<_, 8>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub responder_outcomes: Vec<u32>,
    /// Per responder slot, the latency buckets.
    #[serde(deserialize_with = "section_cells::<_, 9>")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub responder_latency: Vec<u32>,
    /// Schema 2: the paths added after schema 1's twelve (`CRL`).
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 10>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub more_paths: Option<Vec<u32>>,
    /// Schema 2: the evaluated leaves' revocation information.
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 11>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub revocation_info: Option<Vec<u32>>,
    /// Schema 2: the CRL fetches' classes.
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 12>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub crl_outcomes: Option<Vec<u32>>,
    /// Schema 2: CRL fetch latency, in live OCSP's buckets.
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 13>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub crl_latency: Option<Vec<u32>>,
    /// Schema 2: page loads answered from a CRL held.
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 14>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub crl_cache: Option<Vec<u32>>,
    /// Schema 2: per CA domain slot, the CRL fetches' classes.
    #[serde(
        default,
        deserialize_with = "added_section_cells::<_, 15>",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub crl_host_outcomes: Option<Vec<u32>>,
}

/// One section's cells, for reports not in the plain form ([`plain`]). A
/// wrong length is still read, for [`ReportCounts::check`] to name; a
/// count serde_json refuses is named with its section.
///
/// Reads through `&RawValue`: the counts deserialize from serde_json only,
/// as [`Report::from_json`] does.
fn section_cells<'de, D: serde::Deserializer<'de>, const S: usize>(
    deserializer: D,
) -> Result<Vec<u32>, D::Error> {
    let raw = <&serde_json::value::RawValue>::deserialize(deserializer)?;
    let mut read = serde_json::Deserializer::from_str(raw.get());
    Vec::<u32>::deserialize(&mut read).map_err(|e| {
        // The position inside the array says nothing: serde_json adds the
        // report's own.
        let text = e.to_string();
        let reason = text
            .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
            .unwrap_or(&text);
        serde::de::Error::custom(format_args!("counts.{}: {reason}", SECTIONS[S].name))
    })
}

/// A section schema 2 added: present, it reads as [`section_cells`].
fn added_section_cells<'de, D: serde::Deserializer<'de>, const S: usize>(
    deserializer: D,
) -> Result<Option<Vec<u32>>, D::Error> {
    section_cells::<D, S>(deserializer).map(Some)
}

impl ReportCounts {
    /// The sections' arrays, in [`SECTIONS`] order; a section the report's
    /// schema lacks is None.
    pub fn sections(&self) -> [Option<&[u32]>; SECTIONS.len()] {
        [
            Some(&self.paths),
            Some(&self.live_not_asked),
            Some(&self.live_outcomes),
            Some(&self.live_methods),
            Some(&self.live_latency),
            Some(&self.hard_fail),
            Some(&self.crlite),
            Some(&self.browser_ocsp),
            Some(&self.responder_outcomes),
            Some(&self.responder_latency),
            self.more_paths.as_deref(),
            self.revocation_info.as_deref(),
            self.crl_outcomes.as_deref(),
            self.crl_latency.as_deref(),
            self.crl_cache.as_deref(),
            self.crl_host_outcomes.as_deref(),
        ]
    }

    /// The Prio3 measurement: every section the report has, in order
    /// ([`REPORT_LEN`] cells in schema 2, [`REPORT_1_LEN`] in schema 1).
    pub fn vector(&self) -> Vec<u32> {
        self.sections()
            .into_iter()
            .flatten()
            .flatten()
            .copied()
            .collect()
    }

    /// The cells, in vector order, without collecting them.
    pub fn cells(&self) -> impl Iterator<Item = u32> + '_ {
        self.sections().into_iter().flatten().flatten().copied()
    }

    /// Takes a vector apart into its sections: [`REPORT_LEN`] cells are a
    /// schema-2 vector, [`REPORT_1_LEN`] a schema-1 one.
    pub fn from_vector(vector: &[u32]) -> Option<ReportCounts> {
        let sections = match vector.len() {
            REPORT_LEN => SECTIONS.len(),
            REPORT_1_LEN => SCHEMA_1_SECTIONS,
            _ => return None,
        };
        let mut rest = vector;
        Some(ReportCounts::from_sections(core::array::from_fn(|i| {
            (i < sections).then(|| {
                let (head, tail) = rest.split_at(SECTIONS[i].len);
                rest = tail;
                head.to_vec()
            })
        })))
    }

    /// The counts made of their sections' arrays, in [`SECTIONS`] order
    /// (the inverse of [`ReportCounts::sections`]); lengths unchecked. A
    /// missing section of schema 1 is empty, for [`ReportCounts::check`]
    /// to refuse.
    pub fn from_sections(sections: [Option<Vec<u32>>; SECTIONS.len()]) -> ReportCounts {
        let [paths, live_not_asked, live_outcomes, live_methods, live_latency, hard_fail, crlite, browser_ocsp, responder_outcomes, responder_latency, more_paths, revocation_info, crl_outcomes, crl_latency, crl_cache, crl_host_outcomes] =
            sections;
        ReportCounts {
            paths: paths.unwrap_or_default(),
            live_not_asked: live_not_asked.unwrap_or_default(),
            live_outcomes: live_outcomes.unwrap_or_default(),
            live_methods: live_methods.unwrap_or_default(),
            live_latency: live_latency.unwrap_or_default(),
            hard_fail: hard_fail.unwrap_or_default(),
            crlite: crlite.unwrap_or_default(),
            browser_ocsp: browser_ocsp.unwrap_or_default(),
            responder_outcomes: responder_outcomes.unwrap_or_default(),
            responder_latency: responder_latency.unwrap_or_default(),
            more_paths,
            revocation_info,
            crl_outcomes,
            crl_latency,
            crl_cache,
            crl_host_outcomes,
        }
    }

    /// The counts of one day (schema 2), each clipped to [`REPORT_CLIP`].
    pub fn of_day(day: &DayStats) -> ReportCounts {
        fn by<K: Ord>(counts: &Counts<K>, keys: &[K]) -> Vec<u32> {
            keys.iter()
                .map(|k| counts.get(k).copied().unwrap_or(0))
                .collect()
        }
        let classes = LiveClass::ALL.len();
        let mut responder_outcomes = vec![0u32; RESPONDER_SLOTS * classes];
        let mut responder_latency = vec![0u32; RESPONDER_SLOTS * LATENCY_BUCKETS];
        for (host, stats) in &day.responders {
            let slot = responder_slot(host);
            for (i, class) in LiveClass::ALL.iter().enumerate() {
                let cell = &mut responder_outcomes[slot * classes + i];
                *cell = cell.saturating_add(stats.outcomes.get(class).copied().unwrap_or(0));
            }
            for (i, n) in stats.latency.0.iter().enumerate() {
                let cell = &mut responder_latency[slot * LATENCY_BUCKETS + i];
                *cell = cell.saturating_add(*n);
            }
        }
        let crl_classes = CrlClass::ALL.len();
        let mut crl_host_outcomes = vec![0u32; RESPONDER_SLOTS * crl_classes];
        for (host, stats) in &day.crl_hosts {
            let slot = responder_slot(host);
            for (i, class) in CrlClass::ALL.iter().enumerate() {
                let cell = &mut crl_host_outcomes[slot * crl_classes + i];
                *cell = cell.saturating_add(stats.outcomes.get(class).copied().unwrap_or(0));
            }
        }
        let mut counts = ReportCounts {
            paths: by(&day.paths, &Path::REPORTED),
            live_not_asked: by(&day.live_not_asked, &NotAsked::ALL),
            live_outcomes: by(&day.live_outcomes, &LiveClass::ALL),
            live_methods: by(&day.live_methods, &METHODS),
            live_latency: day.live_latency.0.to_vec(),
            hard_fail: by(&day.hard_fail, &HardFail::ALL),
            crlite: by(&day.crlite, &CrliteStatus::ALL),
            browser_ocsp: vec![day.browser_ocsp_known, day.browser_ocsp_used],
            responder_outcomes,
            responder_latency,
            more_paths: Some(by(&day.paths, &Path::REPORTED_MORE)),
            revocation_info: Some(by(&day.revocation_info, &RevocationInfo::ALL)),
            crl_outcomes: Some(by(&day.crl_outcomes, &CrlClass::ALL)),
            crl_latency: Some(day.crl_latency.0.to_vec()),
            crl_cache: Some(vec![day.crl_held]),
            crl_host_outcomes: Some(crl_host_outcomes),
        };
        for cell in counts.cells_mut() {
            *cell = (*cell).min(REPORT_CLIP);
        }
        counts
    }

    fn cells_mut(&mut self) -> impl Iterator<Item = &mut u32> {
        self.sections_mut()
            .into_iter()
            .flatten()
            .flat_map(|s| s.iter_mut())
    }

    /// The sections' vectors, in [`SECTIONS`] order.
    fn sections_mut(&mut self) -> [Option<&mut Vec<u32>>; SECTIONS.len()] {
        [
            Some(&mut self.paths),
            Some(&mut self.live_not_asked),
            Some(&mut self.live_outcomes),
            Some(&mut self.live_methods),
            Some(&mut self.live_latency),
            Some(&mut self.hard_fail),
            Some(&mut self.crlite),
            Some(&mut self.browser_ocsp),
            Some(&mut self.responder_outcomes),
            Some(&mut self.responder_latency),
            self.more_paths.as_mut(),
            self.revocation_info.as_mut(),
            self.crl_outcomes.as_mut(),
            self.crl_latency.as_mut(),
            self.crl_cache.as_mut(),
            self.crl_host_outcomes.as_mut(),
        ]
    }

    /// The counts have exactly the sections of `schema`, each of its
    /// length, every count within the clip.
    pub fn check(&self, schema: u32) -> Result<(), ReportError> {
        let wanted = sections_of(schema)
            .ok_or(ReportError::UnsupportedSchema(schema.into()))?
            .len();
        for (i, (section, cells)) in SECTIONS.iter().zip(self.sections()).enumerate() {
            let cells = match (cells, i < wanted) {
                (Some(cells), true) => cells,
                (None, false) => continue,
                (None, true) => {
                    return Err(ReportError::Malformed(format!(
                        "missing field `counts.{}`, which schema {schema} has",
                        section.name
                    )))
                }
                (Some(_), false) => {
                    return Err(ReportError::Malformed(format!(
                        "unknown field `counts.{}`: schema {schema} has no such section",
                        section.name
                    )))
                }
            };
            if cells.len() != section.len {
                return Err(ReportError::WrongLength {
                    section: section.name,
                    len: cells.len(),
                    expected: section.len,
                });
            }
            if let Some((index, &value)) = cells.iter().enumerate().find(|(_, &v)| v > REPORT_CLIP)
            {
                return Err(ReportError::OverClip {
                    section: section.name,
                    index,
                    value,
                });
            }
        }
        Ok(())
    }
}

/// One day's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema: u32,
    /// 16 random bytes in lowercase hex, fresh for each report.
    pub id: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub day: Day,
    /// The extension's version to its minor number (`0.1`).
    pub extension: String,
    pub browser: Browser,
    pub counts: ReportCounts,
}

/// Why a report is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// Over [`MAX_REPORT_LEN`] bytes.
    TooLarge {
        len: usize,
    },
    /// Not JSON, a wrong type, a missing or unknown field, a negative or
    /// fractional count, a count beyond 32 bits, a bad day or browser.
    Malformed(String),
    UnsupportedSchema(u64),
    /// Not 32 lowercase hex digits.
    BadId,
    /// Not `MAJOR.MINOR`.
    BadExtensionVersion(String),
    WrongLength {
        section: &'static str,
        len: usize,
        expected: usize,
    },
    OverClip {
        section: &'static str,
        index: usize,
        value: u32,
    },
}

impl ReportError {
    /// A stable token for hosts and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::Malformed(_) => "malformed",
            Self::UnsupportedSchema(_) => "unsupported-schema",
            Self::BadId => "bad-id",
            Self::BadExtensionVersion(_) => "bad-extension-version",
            Self::WrongLength { .. } => "wrong-length",
            Self::OverClip { .. } => "over-clip",
        }
    }
}

impl core::fmt::Display for ReportError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::TooLarge { len } => write!(
                f,
                "the report is {len} bytes, over the {MAX_REPORT_LEN}-byte limit"
            ),
            Self::Malformed(why) => write!(f, "the report does not read: {why}"),
            Self::UnsupportedSchema(v) => write!(
                f,
                "the report is in schema {v}, and this version reads schemas 1 and 2"
            ),
            Self::BadId => write!(f, "the report id is not 32 lowercase hex digits"),
            Self::BadExtensionVersion(v) => write!(
                f,
                "the extension version {:?} is not MAJOR.MINOR",
                v.chars().take(40).collect::<String>()
            ),
            Self::WrongLength {
                section,
                len,
                expected,
            } => write!(
                f,
                "the section {section} has {len} counts, and the schema has {expected}"
            ),
            Self::OverClip {
                section,
                index,
                value,
            } => write!(
                f,
                "the count {value} at {section}[{index}] is over the clip of {REPORT_CLIP}"
            ),
        }
    }
}

impl std::error::Error for ReportError {}

/// `0.1.0` → `0.1`; None for anything but digits and dots with a minor.
pub fn minor_version(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    let number = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    (number(major) && number(minor)).then(|| format!("{major}.{minor}"))
}

fn is_report_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Report {
    /// The report of `day`, or None when the day had fewer than
    /// [`MIN_REPORT_PAGES`] page loads. `id` is 16 random bytes the host
    /// drew; `extension_version` is the full version (`0.1.0`).
    pub fn of_day(
        day: &DayStats,
        id: [u8; 16],
        extension_version: &str,
        browser: Browser,
    ) -> Result<Option<Report>, ReportError> {
        let extension = minor_version(extension_version)
            .ok_or_else(|| ReportError::BadExtensionVersion(extension_version.into()))?;
        if day.pages < MIN_REPORT_PAGES {
            return Ok(None);
        }
        Ok(Some(Report {
            schema: REPORT_SCHEMA,
            id: crate::hex::encode(&id),
            day: day.day,
            extension,
            browser,
            counts: ReportCounts::of_day(day),
        }))
    }

    /// Reads a report strictly: the size first, then the schema (1 or 2),
    /// then every field, the sections of its schema, their lengths and the
    /// clip.
    pub fn from_json(json: &[u8]) -> Result<Report, ReportError> {
        if json.len() > MAX_REPORT_LEN {
            return Err(ReportError::TooLarge { len: json.len() });
        }
        #[derive(Deserialize)]
        struct Schema {
            schema: u64,
        }
        let malformed = |e: serde_json::Error| ReportError::Malformed(e.to_string());
        // One pass for a report that reads; the schema alone is read only to
        // name why one does not (a newer schema is not "malformed"). Reading
        // the schema first, always, was a third of the collector's JSON work.
        // The extension's plain form first, without serde (see [`plain`]).
        let read = plain::read(json).map_or_else(|| serde_json::from_slice(json), Ok);
        let report: Report = match read {
            Ok(report) => report,
            Err(e) => {
                let schema: Schema = serde_json::from_slice(json).map_err(malformed)?;
                let known = REPORT_SCHEMAS
                    .iter()
                    .any(|&s| u64::from(s) == schema.schema);
                return Err(if !known {
                    ReportError::UnsupportedSchema(schema.schema)
                } else {
                    malformed(e)
                });
            }
        };
        if !REPORT_SCHEMAS.contains(&report.schema) {
            return Err(ReportError::UnsupportedSchema(report.schema.into()));
        }
        if !is_report_id(&report.id) {
            return Err(ReportError::BadId);
        }
        if minor_version(&report.extension).as_deref() != Some(report.extension.as_str()) {
            return Err(ReportError::BadExtensionVersion(report.extension));
        }
        report.counts.check(report.schema)?;
        Ok(report)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report always serialises")
    }
}

mod plain;

#[cfg(test)]
mod tests;
