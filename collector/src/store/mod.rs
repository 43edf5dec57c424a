//! Where accepted reports go: one synchronous trait, so the HTTP side does
//! not know the database. The writer thread calls [`Store::insert`] with a
//! batch; aggregate queries and health checks run on blocking threads.
//! k-anonymity is not the store's business: it answers exact totals and
//! [`crate::aggregate`] suppresses above it, the same for every store.

pub mod clickhouse;
pub mod sqlite;

use std::collections::BTreeMap;
use std::path::PathBuf;

use revoscope::telemetry::report::Report;
use revoscope::telemetry::Day;

use crate::args::{Args, StoreConfig};

/// What became of one report of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    Stored,
    /// Its id was already stored, or came earlier in the same batch:
    /// nothing was stored.
    Replay,
}

/// One cell of one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellTotal {
    /// The sum of the cell over the day's reports.
    pub sum: u64,
    /// How many of the day's reports had a nonzero count in the cell.
    pub contributors: u64,
}

/// One day's exact totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayTotals {
    pub day: Day,
    pub reports: u64,
    /// The day's reports by schema (schemas without reports absent). A
    /// schema-1 report has no cells past its own: the cells schema 2 added
    /// count only the schema-2 reports.
    pub schemas: BTreeMap<u32, u64>,
    /// [`revoscope::telemetry::report::REPORT_LEN`] cells, in vector order
    /// (schema 2's; a schema-1 report's cells are the first ones).
    pub cells: Vec<CellTotal>,
}

/// The most reports the writer commits in one transaction, unless the store
/// says otherwise ([`Store::batch_limit`]).
pub const MAX_BATCH: usize = 512;

pub trait Store: Send + Sync + 'static {
    /// Commits the batch durably before returning; says for each report
    /// whether it was new or a replay (an id already stored, or earlier in
    /// the same batch). Replays store nothing.
    fn insert(&self, batch: &[Report]) -> Result<Vec<Inserted>, StoreError>;
    /// Per day in from..=to that has reports, oldest first.
    fn aggregates(&self, from: Day, to: Day) -> Result<Vec<DayTotals>, StoreError>;
    /// The store answers.
    fn healthy(&self) -> Result<(), StoreError>;
    /// The most reports the writer hands over in one `insert`.
    fn batch_limit(&self) -> usize {
        MAX_BATCH
    }
}

/// Opens the store the command line names.
pub fn open(args: &Args) -> Result<Box<dyn Store>, StoreError> {
    match &args.store {
        StoreConfig::Sqlite { path } => Ok(Box::new(sqlite::SqliteStore::open(path)?)),
        StoreConfig::ClickHouse { url, database } => {
            Ok(Box::new(clickhouse::ClickHouseStore::open(url, database)?))
        }
    }
}

/// Why the store failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file could not be opened or set up.
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// SQLite would not put the file in WAL mode (a file system without
    /// shared memory, an in-memory database).
    NoWal { path: PathBuf, mode: String },
    /// The file has a layout version this collector does not know.
    UnknownLayout {
        path: PathBuf,
        version: i64,
        supported: i64,
    },
    /// The file holds tables, but not a collector's (no layout version).
    NotACollectorDatabase { path: PathBuf },
    /// A statement failed; `during` says what the store was doing.
    Sqlite {
        during: &'static str,
        source: rusqlite::Error,
    },
    /// The stored data contradicts the layout (a cell index out of range,
    /// a negative total, a counts blob of the wrong size).
    Corrupt(String),
    /// The lock around a connection was poisoned by a panic.
    Poisoned,
    /// The ClickHouse store: its server, its URL or its answer.
    ClickHouse(clickhouse::ClickHouseError),
}

impl core::fmt::Display for StoreError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Open { path, source } => {
                write!(f, "cannot open the database {}: {source}", path.display())
            }
            Self::NoWal { path, mode } => write!(
                f,
                "the database {} stays in journal mode {mode:?}, not WAL",
                path.display()
            ),
            Self::UnknownLayout {
                path,
                version,
                supported,
            } => write!(
                f,
                "the database {} has layout version {version}; this collector reads version {supported}",
                path.display()
            ),
            Self::NotACollectorDatabase { path } => write!(
                f,
                "{} holds tables but is not a revoscope collector database",
                path.display()
            ),
            Self::Sqlite { during, source } => write!(f, "SQLite failed {during}: {source}"),
            Self::Corrupt(why) => write!(f, "the stored data is inconsistent: {why}"),
            Self::Poisoned => f.write_str("a database connection was poisoned by a panic"),
            Self::ClickHouse(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } | Self::Sqlite { source, .. } => Some(source),
            Self::ClickHouse(e) => e.source(),
            _ => None,
        }
    }
}
