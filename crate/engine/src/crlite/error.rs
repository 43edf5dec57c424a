//! Why CRLite data could not be used: one case per way it can fail.

use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrliteError {
    /// A filter file larger than [`crate::limits::MAX_CRLITE_FILTER_LEN`].
    FilterTooLarge { id: String, len: usize, max: usize },
    /// The first byte names an encoding the decoder does not read (0 to 2
    /// are the retired cascade filters; 3 and 4 are clubcards).
    UnsupportedEncoding { id: String, version: u8 },
    /// The bytes do not decode as a clubcard.
    Malformed { id: String, why: String },
    /// More deltas than [`crate::limits::MAX_CRLITE_DELTAS`].
    TooManyDeltas { count: usize, max: usize },
    /// A filter set must start with a full filter.
    NotFull { id: String },
    /// A delta where a full filter was expected, or the reverse.
    NotDelta { id: String },
    /// A delta whose `parent` is not the filter before it.
    BrokenChain {
        id: String,
        parent: Option<String>,
        expected: String,
    },
    /// A delta older than the filter it follows.
    OutOfOrder {
        id: String,
        effective_ms: u64,
        previous_ms: u64,
    },
    /// The Remote Settings records name no full filter.
    NoFullFilter,
    /// A record is not one the sync understands.
    BadRecord { id: String, why: String },
    /// More records than [`crate::limits::MAX_CRLITE_RECORDS`].
    TooManyRecords { count: usize, max: usize },
    /// An attachment whose SHA-256 or size differs from its record's.
    AttachmentMismatch { id: String, why: String },
    /// A stored filter set whose index does not describe its files.
    BadIndex(String),
}

impl CrliteError {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        match self {
            CrliteError::FilterTooLarge { .. } => "filter-too-large",
            CrliteError::UnsupportedEncoding { .. } => "unsupported-encoding",
            CrliteError::Malformed { .. } => "malformed-filter",
            CrliteError::TooManyDeltas { .. } => "too-many-deltas",
            CrliteError::NotFull { .. } => "not-full",
            CrliteError::NotDelta { .. } => "not-delta",
            CrliteError::BrokenChain { .. } => "broken-chain",
            CrliteError::OutOfOrder { .. } => "out-of-order",
            CrliteError::NoFullFilter => "no-full-filter",
            CrliteError::BadRecord { .. } => "bad-record",
            CrliteError::TooManyRecords { .. } => "too-many-records",
            CrliteError::AttachmentMismatch { .. } => "attachment-mismatch",
            CrliteError::BadIndex(_) => "bad-index",
        }
    }
}

impl fmt::Display for CrliteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CrliteError::*;
        match self {
            FilterTooLarge { id, len, max } => {
                write!(f, "filter {id} is {len} bytes, more than the {max} accepted")
            }
            UnsupportedEncoding { id, version } => write!(
                f,
                "filter {id} is in encoding {version}; only clubcard encodings 3 and 4 are read"
            ),
            Malformed { id, why } => write!(f, "filter {id} does not decode as a clubcard: {why}"),
            TooManyDeltas { count, max } => {
                write!(f, "{count} deltas, more than the {max} a filter set may chain")
            }
            NotFull { id } => write!(f, "filter {id} is a delta, but a set starts with a full filter"),
            NotDelta { id } => write!(f, "filter {id} is a full filter where a delta was expected"),
            BrokenChain {
                id,
                parent,
                expected,
            } => write!(
                f,
                "delta {id} names parent {}, not the filter before it ({expected})",
                parent.as_deref().unwrap_or("none")
            ),
            OutOfOrder {
                id,
                effective_ms,
                previous_ms,
            } => write!(
                f,
                "delta {id} is effective at {effective_ms} ms, before the filter it follows ({previous_ms} ms)"
            ),
            NoFullFilter => f.write_str("the collection offers no full CRLite filter"),
            BadRecord { id, why } => write!(f, "record {id}: {why}"),
            TooManyRecords { count, max } => {
                write!(f, "{count} records, more than the {max} accepted")
            }
            AttachmentMismatch { id, why } => write!(f, "attachment of {id}: {why}"),
            BadIndex(why) => write!(f, "the stored filter set's index is unusable: {why}"),
        }
    }
}

impl std::error::Error for CrliteError {}
