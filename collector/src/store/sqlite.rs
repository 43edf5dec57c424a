//! The SQLite store: one file, WAL, `synchronous=FULL` (a committed batch
//! survives a power cut, so an acknowledged report is a durable one).
//!
//! Layout version 2 (`PRAGMA user_version`):
//!
//! ```sql
//! -- Every accepted report as sent, and nothing about its sender: no
//! -- address, no receive time. id: the report's 16 random bytes.
//! -- counts: the cells of its schema (758 in schema 1, REPORT_LEN in
//! -- schema 2), little-endian u16 each.
//! reports(id BLOB PRIMARY KEY, day INTEGER, schema INTEGER,
//!         extension TEXT, browser TEXT, counts BLOB)
//! -- Rollups, updated in the transaction that inserts the reports:
//! -- per day and cell, the sum and the number of reports with a nonzero
//! -- count there (nonzero cells only); per day, the number of reports;
//! -- per day and schema, the number of reports.
//! cells(day INTEGER, cell INTEGER, total INTEGER, contributors INTEGER,
//!       PRIMARY KEY (day, cell)) WITHOUT ROWID
//! days(day INTEGER PRIMARY KEY, reports INTEGER)
//! day_schemas(day INTEGER, schema INTEGER, reports INTEGER,
//!             PRIMARY KEY (day, schema)) WITHOUT ROWID
//! ```
//!
//! A cell's index is its place in schema 2's vector, which begins with
//! schema 1's: a schema-1 report's cells keep their indices. Layout 1
//! (collectors of schema 1) had no `day_schemas`; opening such a file
//! migrates it in one transaction, filling `day_schemas` from `reports`,
//! and keeps everything else as it is.
//!
//! `day` is days since 1970-01-01 (UTC), as [`Day`] holds it. Aggregates
//! read the rollups only, so they cost the same for a thousand reports a
//! day as for a million.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use revoscope::telemetry::report::{report_len, Report, REPORT_LEN};
use revoscope::telemetry::Day;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

use super::{CellTotal, DayTotals, Inserted, Store, StoreError};

/// The layout this version writes and reads; it migrates layout 1.
pub const LAYOUT_VERSION: i64 = 2;

const CREATE: &str = "
CREATE TABLE reports (
    id BLOB PRIMARY KEY NOT NULL,
    day INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    extension TEXT NOT NULL,
    browser TEXT NOT NULL,
    counts BLOB NOT NULL
);
CREATE TABLE cells (
    day INTEGER NOT NULL,
    cell INTEGER NOT NULL,
    total INTEGER NOT NULL,
    contributors INTEGER NOT NULL,
    PRIMARY KEY (day, cell)
) WITHOUT ROWID;
CREATE TABLE days (
    day INTEGER PRIMARY KEY NOT NULL,
    reports INTEGER NOT NULL
);
CREATE TABLE day_schemas (
    day INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    PRIMARY KEY (day, schema)
) WITHOUT ROWID;
PRAGMA user_version = 2;
";

/// Layout 1 to 2: the reports per day and schema, counted from the reports
/// stored (each a schema-1 report then), in the transaction that sets the
/// new version.
const MIGRATE_1_TO_2: &str = "
CREATE TABLE day_schemas (
    day INTEGER NOT NULL,
    schema INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    PRIMARY KEY (day, schema)
) WITHOUT ROWID;
INSERT INTO day_schemas (day, schema, reports)
    SELECT day, schema, count(*) FROM reports GROUP BY day, schema;
PRAGMA user_version = 2;
";

const INSERT_REPORT: &str = "INSERT INTO reports (id, day, schema, extension, browser, counts)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING";
const ADD_CELL: &str = "INSERT INTO cells (day, cell, total, contributors) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (day, cell) DO UPDATE SET
         total = total + excluded.total, contributors = contributors + excluded.contributors";
const ADD_DAY: &str = "INSERT INTO days (day, reports) VALUES (?1, ?2)
     ON CONFLICT (day) DO UPDATE SET reports = reports + excluded.reports";
const ADD_DAY_SCHEMA: &str = "INSERT INTO day_schemas (day, schema, reports) VALUES (?1, ?2, ?3)
     ON CONFLICT (day, schema) DO UPDATE SET reports = reports + excluded.reports";

/// A waiting writer gives up after this long (another process holding the
/// file, a backup); the batch then fails and its requests get 503.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteStore {
    /// The writer thread's connection.
    writer: Mutex<Connection>,
    /// Aggregates and health checks: WAL lets them read while a batch
    /// commits.
    reader: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens `path`, creating the file and its tables if missing.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut writer = Connection::open(path).map_err(open_err)?;
        writer.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let mode: String = writer
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        writer
            .pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        set_up_layout(&mut writer, path)?;

        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        reader.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
    }
}

/// Creates the tables in a new file; migrates a file of layout 1; checks
/// the version of any other.
fn set_up_layout(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let open_err = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(open_err)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(open_err)?;
    match version {
        0 => {
            let tables: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
                .map_err(open_err)?;
            if tables > 0 {
                return Err(StoreError::NotACollectorDatabase {
                    path: path.to_path_buf(),
                });
            }
            tx.execute_batch(CREATE).map_err(open_err)?;
        }
        1 => tx.execute_batch(MIGRATE_1_TO_2).map_err(open_err)?,
        LAYOUT_VERSION => {}
        _ => {
            return Err(StoreError::UnknownLayout {
                path: PathBuf::from(path),
                version,
                supported: LAYOUT_VERSION,
            })
        }
    }
    tx.commit().map_err(open_err)
}

fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, StoreError> {
    conn.lock().map_err(|_| StoreError::Poisoned)
}

fn sql(during: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { during, source }
}

/// The counts blob: each cell of the report's schema as a little-endian
/// u16 (cells are clipped to 1023, so they fit).
fn counts_blob(report: &Report, vector: &[u32]) -> Result<Vec<u8>, StoreError> {
    let len = report_len(report.schema).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "report {} has schema {}, which this collector does not read",
            report.id, report.schema
        ))
    })?;
    if vector.len() != len {
        return Err(StoreError::Corrupt(format!(
            "a report of schema {} with {} cells, not {len}",
            report.schema,
            vector.len()
        )));
    }
    let mut blob = Vec::with_capacity(2 * len);
    for &cell in vector {
        let cell = u16::try_from(cell).map_err(|_| {
            StoreError::Corrupt(format!(
                "a count of {cell} in report {} (unchecked?)",
                report.id
            ))
        })?;
        blob.extend_from_slice(&cell.to_le_bytes());
    }
    Ok(blob)
}

/// One day of a batch, summed before it touches the rollups.
struct BatchDay {
    reports: u64,
    schemas: BTreeMap<u32, u64>,
    cells: Vec<CellTotal>,
}

impl Store for SqliteStore {
    fn insert(&self, batch: &[Report]) -> Result<Vec<Inserted>, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("beginning a batch"))?;
        let mut outcome = Vec::with_capacity(batch.len());
        let mut days: BTreeMap<u32, BatchDay> = BTreeMap::new();
        {
            let mut insert = tx
                .prepare_cached(INSERT_REPORT)
                .map_err(sql("preparing the report insert"))?;
            for report in batch {
                let id = revoscope::hex::decode(&report.id)
                    .filter(|id| id.len() == 16)
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "the report id {:?} is not 16 bytes of hex",
                            report.id
                        ))
                    })?;
                let vector = report.counts.vector();
                let blob = counts_blob(report, &vector)?;
                let changed = insert
                    .execute(params![
                        id,
                        report.day.0,
                        report.schema,
                        report.extension,
                        report.browser.as_str(),
                        blob
                    ])
                    .map_err(sql("inserting a report"))?;
                if changed == 0 {
                    outcome.push(Inserted::Replay);
                    continue;
                }
                outcome.push(Inserted::Stored);
                let day = days.entry(report.day.0).or_insert_with(|| BatchDay {
                    reports: 0,
                    schemas: BTreeMap::new(),
                    cells: vec![CellTotal::default(); REPORT_LEN],
                });
                day.reports += 1;
                *day.schemas.entry(report.schema).or_default() += 1;
                // A schema-1 vector fills the first cells only.
                for (total, &count) in day.cells.iter_mut().zip(&vector) {
                    if count > 0 {
                        total.sum += u64::from(count);
                        total.contributors += 1;
                    }
                }
            }
            let mut add_cell = tx
                .prepare_cached(ADD_CELL)
                .map_err(sql("preparing the cell rollup"))?;
            let mut add_day = tx
                .prepare_cached(ADD_DAY)
                .map_err(sql("preparing the day rollup"))?;
            let mut add_day_schema = tx
                .prepare_cached(ADD_DAY_SCHEMA)
                .map_err(sql("preparing the schema rollup"))?;
            for (day, sums) in &days {
                add_day
                    .execute(params![day, sums.reports])
                    .map_err(sql("adding to the day rollup"))?;
                for (schema, reports) in &sums.schemas {
                    add_day_schema
                        .execute(params![day, schema, reports])
                        .map_err(sql("adding to the schema rollup"))?;
                }
                for (cell, total) in sums.cells.iter().enumerate() {
                    if total.contributors > 0 {
                        add_cell
                            .execute(params![day, cell, total.sum, total.contributors])
                            .map_err(sql("adding to the cell rollup"))?;
                    }
                }
            }
        }
        tx.commit().map_err(sql("committing a batch"))?;
        Ok(outcome)
    }

    fn aggregates(&self, from: Day, to: Day) -> Result<Vec<DayTotals>, StoreError> {
        let mut conn = lock(&self.reader)?;
        // One snapshot for both tables.
        let tx = conn.transaction().map_err(sql("beginning a read"))?;
        let mut totals = Vec::new();
        {
            let mut days = tx
                .prepare_cached(
                    "SELECT day, reports FROM days WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
                )
                .map_err(sql("preparing the day query"))?;
            let mut rows = days
                .query(params![from.0, to.0])
                .map_err(sql("reading the days"))?;
            while let Some(row) = rows.next().map_err(sql("reading the days"))? {
                let day: u32 = row.get(0).map_err(sql("reading a day"))?;
                let reports: u64 = row.get(1).map_err(sql("reading a day"))?;
                totals.push(DayTotals {
                    day: Day(day),
                    reports,
                    schemas: BTreeMap::new(),
                    cells: vec![CellTotal::default(); REPORT_LEN],
                });
            }
            let mut schemas = tx
                .prepare_cached(
                    "SELECT day, schema, reports FROM day_schemas WHERE day BETWEEN ?1 AND ?2",
                )
                .map_err(sql("preparing the schema query"))?;
            let mut rows = schemas
                .query(params![from.0, to.0])
                .map_err(sql("reading the schemas"))?;
            while let Some(row) = rows.next().map_err(sql("reading the schemas"))? {
                let day: u32 = row.get(0).map_err(sql("reading a schema count"))?;
                let schema: u32 = row.get(1).map_err(sql("reading a schema count"))?;
                let reports: u64 = row.get(2).map_err(sql("reading a schema count"))?;
                let at = totals
                    .binary_search_by_key(&day, |t| t.day.0)
                    .map_err(|_| {
                        StoreError::Corrupt(format!("schema counts of {} but no reports", Day(day)))
                    })?;
                totals[at].schemas.insert(schema, reports);
            }
            let mut cells = tx
                .prepare_cached(
                    "SELECT day, cell, total, contributors FROM cells WHERE day BETWEEN ?1 AND ?2",
                )
                .map_err(sql("preparing the cell query"))?;
            let mut rows = cells
                .query(params![from.0, to.0])
                .map_err(sql("reading the cells"))?;
            while let Some(row) = rows.next().map_err(sql("reading the cells"))? {
                let day: u32 = row.get(0).map_err(sql("reading a cell"))?;
                let cell: usize = row.get(1).map_err(sql("reading a cell"))?;
                let sum: u64 = row.get(2).map_err(sql("reading a cell"))?;
                let contributors: u64 = row.get(3).map_err(sql("reading a cell"))?;
                let at = totals
                    .binary_search_by_key(&day, |t| t.day.0)
                    .map_err(|_| {
                        StoreError::Corrupt(format!("cells of {} but no reports", Day(day)))
                    })?;
                let slot = totals[at].cells.get_mut(cell).ok_or_else(|| {
                    StoreError::Corrupt(format!("cell {cell} of {} is out of range", Day(day)))
                })?;
                *slot = CellTotal { sum, contributors };
            }
        }
        tx.finish().map_err(sql("ending a read"))?;
        Ok(totals)
    }

    fn healthy(&self) -> Result<(), StoreError> {
        let conn = lock(&self.reader)?;
        conn.query_row("SELECT count(*) FROM days", [], |row| row.get::<_, i64>(0))
            .map_err(sql("checking health"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use revoscope::telemetry::report::{Browser, ReportCounts, REPORT_1_LEN, REPORT_SCHEMA};

    fn report(id: u8, day: u32, cells: &[(usize, u32)]) -> Report {
        report_of(REPORT_SCHEMA, id, day, cells)
    }

    fn report_of(schema: u32, id: u8, day: u32, cells: &[(usize, u32)]) -> Report {
        let mut vector = vec![0; report_len(schema).unwrap()];
        for &(i, v) in cells {
            vector[i] = v;
        }
        Report {
            schema,
            id: format!("{id:02x}").repeat(16),
            day: Day(day),
            extension: "0.1".into(),
            browser: Browser::Firefox,
            counts: ReportCounts::from_vector(&vector).unwrap(),
        }
    }

    /// A database file in a fresh directory, removed when dropped.
    struct TempDb(PathBuf);

    impl TempDb {
        fn new(name: &str) -> TempDb {
            let dir = std::env::temp_dir()
                .join(format!("revoscope-collector-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDb(dir)
        }

        fn path(&self) -> PathBuf {
            self.0.join("reports.sqlite")
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn batches_sum_into_the_rollups_and_replays_store_nothing() {
        let dir = TempDb::new("rollup");
        let path = dir.path();
        let store = SqliteStore::open(&path).unwrap();
        let outcome = store
            .insert(&[
                report(1, 100, &[(0, 3), (757, 1023)]),
                report(2, 100, &[(0, 4)]),
                // The same id later in the batch.
                report(1, 100, &[(0, 500)]),
                report(3, 101, &[(5, 1)]),
            ])
            .unwrap();
        use Inserted::*;
        assert_eq!(outcome, [Stored, Stored, Replay, Stored]);
        // An id stored by an earlier batch, even for another day.
        let outcome = store.insert(&[report(2, 99, &[(0, 9)]), report(4, 100, &[])]);
        assert_eq!(outcome.unwrap(), [Replay, Stored]);

        let days = store.aggregates(Day(99), Day(101)).unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].day, days[0].reports), (Day(100), 3));
        assert_eq!(
            days[0].cells[0],
            CellTotal {
                sum: 7,
                contributors: 2
            }
        );
        assert_eq!(
            days[0].cells[757],
            CellTotal {
                sum: 1023,
                contributors: 1
            }
        );
        assert_eq!(days[0].cells[1], CellTotal::default());
        assert_eq!((days[1].day, days[1].reports), (Day(101), 1));
        assert_eq!(store.aggregates(Day(102), Day(200)).unwrap(), []);
        assert_eq!(store.aggregates(Day(101), Day(101)).unwrap().len(), 1);
        store.healthy().unwrap();
    }

    #[test]
    fn the_raw_table_keeps_the_report_and_nothing_else() {
        let dir = TempDb::new("raw");
        let path = dir.path();
        let store = SqliteStore::open(&path).unwrap();
        store.insert(&[report(0xab, 100, &[(2, 258)])]).unwrap();
        drop(store);
        let conn = Connection::open(&path).unwrap();
        let (id, day, schema, extension, browser, counts): (
            Vec<u8>,
            u32,
            u32,
            String,
            String,
            Vec<u8>,
        ) = conn
            .query_row("SELECT * FROM reports", [], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap();
        assert_eq!(id, [0xab; 16]);
        assert_eq!((day, schema), (100, 2));
        assert_eq!((extension.as_str(), browser.as_str()), ("0.1", "firefox"));
        assert_eq!(counts.len(), 2 * REPORT_LEN);
        assert_eq!(&counts[4..6], &[2, 1]);
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, LAYOUT_VERSION);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn reopening_keeps_the_data_and_foreign_files_are_refused() {
        let dir = TempDb::new("reopen");
        let path = dir.path();
        SqliteStore::open(&path)
            .unwrap()
            .insert(&[report(1, 100, &[(0, 1)])])
            .unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.aggregates(Day(100), Day(100)).unwrap()[0].reports, 1);
        drop(store);

        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
        drop(conn);
        let err = SqliteStore::open(&path).err().unwrap();
        assert!(
            matches!(err, StoreError::UnknownLayout { version: 3, .. }),
            "{err}"
        );

        let foreign = TempDb::new("foreign");
        let other = foreign.path();
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = SqliteStore::open(&other).err().unwrap();
        assert!(
            matches!(err, StoreError::NotACollectorDatabase { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("reports.sqlite"), "{err}");

        let missing = other.with_file_name("no-such-dir").join("x.sqlite");
        let err = SqliteStore::open(&missing).err().unwrap();
        assert!(matches!(err, StoreError::Open { .. }), "{err}");
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }

    #[test]
    fn schema_1_and_schema_2_reports_sum_into_the_same_cells() {
        let dir = TempDb::new("schemas");
        let store = SqliteStore::open(&dir.path()).unwrap();
        let crl = REPORT_1_LEN + 3; // a cell schema 2 added
        let outcome = store
            .insert(&[
                report_of(1, 1, 100, &[(0, 3), (REPORT_1_LEN - 1, 7)]),
                report_of(2, 2, 100, &[(0, 4), (REPORT_1_LEN - 1, 1), (crl, 9)]),
                report_of(2, 3, 100, &[(crl, 1)]),
                report_of(1, 4, 101, &[(5, 1)]),
            ])
            .unwrap();
        assert!(outcome.iter().all(|o| *o == Inserted::Stored));
        let days = store.aggregates(Day(100), Day(101)).unwrap();
        assert_eq!(days[0].reports, 3);
        assert_eq!(days[0].schemas, BTreeMap::from([(1, 1), (2, 2)]));
        assert_eq!(
            days[0].cells[0],
            CellTotal {
                sum: 7,
                contributors: 2
            }
        );
        assert_eq!(
            days[0].cells[REPORT_1_LEN - 1],
            CellTotal {
                sum: 8,
                contributors: 2
            }
        );
        assert_eq!(
            days[0].cells[crl],
            CellTotal {
                sum: 10,
                contributors: 2
            }
        );
        assert_eq!(days[1].schemas, BTreeMap::from([(1, 1)]));
        assert_eq!(days[1].cells[crl], CellTotal::default());
        // Each report is kept with the cells of its own schema.
        drop(store);
        let conn = Connection::open(dir.path()).unwrap();
        let lens: Vec<(u32, usize)> = conn
            .prepare("SELECT schema, length(counts) FROM reports ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            lens,
            [
                (1, 2 * REPORT_1_LEN),
                (2, 2 * REPORT_LEN),
                (2, 2 * REPORT_LEN),
                (1, 2 * REPORT_1_LEN)
            ]
        );
    }

    /// The statements of layout 1, as collectors of schema 1 made files.
    const LAYOUT_1: &str = "
        CREATE TABLE reports (id BLOB PRIMARY KEY NOT NULL, day INTEGER NOT NULL,
            schema INTEGER NOT NULL, extension TEXT NOT NULL, browser TEXT NOT NULL,
            counts BLOB NOT NULL);
        CREATE TABLE cells (day INTEGER NOT NULL, cell INTEGER NOT NULL,
            total INTEGER NOT NULL, contributors INTEGER NOT NULL,
            PRIMARY KEY (day, cell)) WITHOUT ROWID;
        CREATE TABLE days (day INTEGER PRIMARY KEY NOT NULL, reports INTEGER NOT NULL);
        PRAGMA user_version = 1;";

    #[test]
    fn a_layout_1_file_is_migrated_keeping_its_reports_and_rollups() {
        let dir = TempDb::new("migrate");
        let path = dir.path();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(LAYOUT_1).unwrap();
            // Two schema-1 reports of day 100 and one of day 101, with the
            // rollups a schema-1 collector kept.
            let blob = |cells: &[(usize, u16)]| {
                let mut blob = vec![0u8; 2 * REPORT_1_LEN];
                for &(i, v) in cells {
                    blob[2 * i..2 * i + 2].copy_from_slice(&v.to_le_bytes());
                }
                blob
            };
            for (id, day, cells) in [
                (1u8, 100u32, blob(&[(0, 3)])),
                (2, 100, blob(&[(0, 4), (9, 1)])),
                (3, 101, blob(&[(9, 2)])),
            ] {
                conn.execute(
                    "INSERT INTO reports VALUES (?1, ?2, 1, '0.1', 'firefox', ?3)",
                    params![vec![id; 16], day, cells],
                )
                .unwrap();
            }
            conn.execute_batch(
                "INSERT INTO cells VALUES (100, 0, 7, 2), (100, 9, 1, 1), (101, 9, 2, 1);
                 INSERT INTO days VALUES (100, 2), (101, 1);",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let days = store.aggregates(Day(100), Day(101)).unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].reports, days[1].reports), (2, 1));
        assert_eq!(days[0].schemas, BTreeMap::from([(1, 2)]));
        assert_eq!(days[1].schemas, BTreeMap::from([(1, 1)]));
        assert_eq!(
            days[0].cells[0],
            CellTotal {
                sum: 7,
                contributors: 2
            }
        );
        assert_eq!(
            days[1].cells[9],
            CellTotal {
                sum: 2,
                contributors: 1
            }
        );
        // Replays of the old reports are still found; new reports add on.
        let outcome = store
            .insert(&[
                report_of(1, 1, 100, &[(0, 9)]),
                report_of(2, 5, 100, &[(0, 1), (REPORT_1_LEN, 2)]),
            ])
            .unwrap();
        assert_eq!(outcome, [Inserted::Replay, Inserted::Stored]);
        let days = store.aggregates(Day(100), Day(100)).unwrap();
        assert_eq!(days[0].reports, 3);
        assert_eq!(days[0].schemas, BTreeMap::from([(1, 2), (2, 1)]));
        assert_eq!(
            days[0].cells[0],
            CellTotal {
                sum: 8,
                contributors: 3
            }
        );
        assert_eq!(
            days[0].cells[REPORT_1_LEN],
            CellTotal {
                sum: 2,
                contributors: 1
            }
        );
        drop(store);
        let version: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, LAYOUT_VERSION);
        // Opened again: nothing more to migrate, nothing counted twice.
        let store = SqliteStore::open(&path).unwrap();
        let days = store.aggregates(Day(100), Day(100)).unwrap();
        assert_eq!(days[0].schemas, BTreeMap::from([(1, 2), (2, 1)]));
    }
}
