//! Why a CRLSet file cannot be used: one variant per way it can fail, in
//! the order Chromium's `CRLSet::Parse` (net/cert/crl_set.cc) meets them.
//! Every input Chromium refuses is one of these; an input Chromium accepts
//! reads (see the module documentation for what Chromium lets through).

use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrlSetError {
    /// Larger than [`crate::limits::MAX_CRLSET_LEN`].
    TooLarge { len: usize, max: usize },
    /// Fewer than the two bytes of the header's length.
    TruncatedHeaderLength { len: usize },
    /// The header's length runs past the end of the file.
    TruncatedHeader { declared: usize, available: usize },
    /// The header is not JSON (`cause` is the JSON reader's message).
    HeaderNotJson { cause: String },
    /// The header is JSON, but not an object.
    HeaderNotObject,
    /// `ContentType` absent, not a string, or not `"CRLSet"`. `found` is
    /// the JSON text of what was there.
    WrongContentType { found: Option<String> },
    /// `Version` absent, not an integer, or not 0, the only version.
    UnsupportedVersion { found: Option<String> },
    /// `Sequence` absent or not an integer that fits 32 signed bits.
    BadSequence { found: Option<String> },
    /// `NotAfter` below zero.
    NegativeNotAfter { found: String },
    /// More parents than [`crate::limits::MAX_CRLSET_PARENTS`].
    TooManyParents { max: usize },
    /// A parent declares more serials than
    /// [`crate::limits::MAX_CRLSET_SERIALS_PER_PARENT`].
    TooManySerials { parent: usize, count: u32, max: u32 },
    /// A parent block ends early: bytes after the last whole parent that do
    /// not make one (the format has no other trailer), or a count or length
    /// that runs past the end. `parent` counts from 0, `offset` is where in
    /// the file the missing `part` starts.
    Truncated {
        parent: usize,
        part: ParentPart,
        offset: usize,
        needed: usize,
        available: usize,
    },
    /// An entry of a hash list (`BlockedSPKIs`, `KnownInterceptionSPKIs`,
    /// `BlockedInterceptionSPKIs`) that is not a base64 string.
    BadHashList {
        key: &'static str,
        index: usize,
        why: &'static str,
    },
    /// A `LimitedSubjects` entry whose key is not base64, whose value is not
    /// a list, or whose list holds something other than base64 strings.
    BadLimitedSubject { subject: String, why: &'static str },
}

/// The parts of a parent block, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParentPart {
    /// The 32-byte SHA-256 of the parent's SubjectPublicKeyInfo.
    SpkiHash,
    /// The little-endian uint32 count of serials.
    SerialCount,
    /// A serial's length byte.
    SerialLength,
    /// A serial's bytes.
    Serial,
}

impl ParentPart {
    pub fn as_str(self) -> &'static str {
        match self {
            ParentPart::SpkiHash => "SPKI hash",
            ParentPart::SerialCount => "serial count",
            ParentPart::SerialLength => "serial length",
            ParentPart::Serial => "serial",
        }
    }
}

impl CrlSetError {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        match self {
            CrlSetError::TooLarge { .. } => "too-large",
            CrlSetError::TruncatedHeaderLength { .. } => "truncated-header-length",
            CrlSetError::TruncatedHeader { .. } => "truncated-header",
            CrlSetError::HeaderNotJson { .. } => "header-not-json",
            CrlSetError::HeaderNotObject => "header-not-object",
            CrlSetError::WrongContentType { .. } => "wrong-content-type",
            CrlSetError::UnsupportedVersion { .. } => "unsupported-version",
            CrlSetError::BadSequence { .. } => "bad-sequence",
            CrlSetError::NegativeNotAfter { .. } => "negative-not-after",
            CrlSetError::TooManyParents { .. } => "too-many-parents",
            CrlSetError::TooManySerials { .. } => "too-many-serials",
            CrlSetError::Truncated { .. } => "truncated",
            CrlSetError::BadHashList { .. } => "bad-hash-list",
            CrlSetError::BadLimitedSubject { .. } => "bad-limited-subject",
        }
    }
}

fn or_absent(found: &Option<String>) -> &str {
    found.as_deref().unwrap_or("absent")
}

impl fmt::Display for CrlSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CrlSetError::*;
        match self {
            TooLarge { len, max } => {
                write!(f, "the CRLSet is {len} bytes, more than the {max} accepted")
            }
            TruncatedHeaderLength { len } => write!(
                f,
                "the CRLSet is {len} bytes, too short for its 2-byte header length"
            ),
            TruncatedHeader {
                declared,
                available,
            } => write!(
                f,
                "the CRLSet header is declared {declared} bytes long, but only {available} follow"
            ),
            HeaderNotJson { cause } => write!(f, "the CRLSet header is not JSON: {cause}"),
            HeaderNotObject => f.write_str("the CRLSet header is JSON, but not an object"),
            WrongContentType { found } => write!(
                f,
                "the CRLSet header's ContentType is {}, not \"CRLSet\"",
                or_absent(found)
            ),
            UnsupportedVersion { found } => write!(
                f,
                "the CRLSet header's Version is {}; only version 0 is read",
                or_absent(found)
            ),
            BadSequence { found } => write!(
                f,
                "the CRLSet header's Sequence is {}, not a 32-bit integer",
                or_absent(found)
            ),
            NegativeNotAfter { found } => {
                write!(f, "the CRLSet header's NotAfter is {found}, below zero")
            }
            TooManyParents { max } => {
                write!(f, "the CRLSet lists more than {max} parents, the limit")
            }
            TooManySerials { parent, count, max } => write!(
                f,
                "parent {parent} of the CRLSet declares {count} serials, more than the {max} accepted"
            ),
            Truncated {
                parent,
                part,
                offset,
                needed,
                available,
            } => write!(
                f,
                "parent {parent} of the CRLSet is cut short: its {} at byte {offset} needs {needed} bytes, {available} remain",
                part.as_str()
            ),
            BadHashList { key, index, why } => {
                write!(f, "entry {index} of the CRLSet header's {key} {why}")
            }
            BadLimitedSubject { subject, why } => {
                write!(f, "LimitedSubjects entry {subject} of the CRLSet header {why}")
            }
        }
    }
}

impl std::error::Error for CrlSetError {}
