//! The ClickHouse store, over ClickHouse's HTTP interface (plain `http://`,
//! one blocking client with a small keep-alive pool).
//!
//! The tables are those of `collector/sql/clickhouse.sql`, applied at every
//! open (the file is idempotent): `reports` holds every accepted report as
//! sent, and three materialized views roll each INSERT up into `cells` (per
//! day and cell: sum, contributors), `days` (per day: reports) and
//! `day_schemas` (per day and schema: reports). Those are SummingMergeTree
//! tables whose rows are summed whenever ClickHouse merges parts, so they
//! are always read with `sum() ... GROUP BY`.
//!
//! **Schema 2.** A cell's index is its place in schema 2's vector, which
//! begins with schema 1's, so reports of both schemas share `reports` and
//! `cells` as they are. `day_schemas` came with schema 2: on a database
//! made before it, [`ClickHouseStore::open`] fills it from `reports`
//! before creating its view (see [`SCHEMA_ROLLUP`]).
//!
//! **Durability.** [`Store::insert`] returns once ClickHouse answered 200
//! to the INSERT. ClickHouse answers after the new part of `reports` and
//! the parts the views made of it for `cells` and `days` are written to the
//! table directories and renamed into place (a part is atomic: all of it or
//! none after a crash). ClickHouse 18.16, the oldest server this runs on,
//! does not fsync those files (newer servers can: the MergeTree settings
//! `fsync_after_insert` and `fsync_part_directory`), so an acknowledged
//! report survives the ClickHouse process or the collector dying, but a
//! power cut or a kernel crash before the kernel writes the page cache back
//! (about 30 s) can lose it. The SQLite store's `synchronous=FULL` is
//! stronger there. The three tables are not written atomically together:
//! ClickHouse commits the `reports` part first, then one part per view. A
//! read racing an insert may see a batch in one rollup and not yet in the
//! other, for that moment. A server that dies between those commits leaves
//! reports that are stored but not rolled up, and the insert fails (503 to
//! the client), whose resend is then a replay: those reports stay
//! uncounted until the day's rollups are rebuilt from `reports`
//! (`ALTER TABLE ... DELETE WHERE day = ...` on `cells` and `days`, then
//! each view's own SELECT, restricted to the day, inserted into its table).
//!
//! **Replays.** An insert first asks which of the batch's ids `reports`
//! already holds (on any day, as the [`Store`] contract says), then drops
//! those and the repeats within the batch, then inserts the rest. The ids
//! are random, so each one falls in some granule (8,192 rows) of every
//! part: the check reads the `id` column of the whole table, about 50 ms
//! for a batch of 512 over 1,000,000 stored reports (`npm run bench`), and
//! grows with the table. Matching on (day, id) instead, as a resent report
//! keeps its day, would read only the batch's days (12 ms against 37 ms
//! measured at 1,000,000), at the price of counting a report sent again
//! under another day twice; that is a change of the contract, for both
//! stores. The check is exact for one collector process,
//! whose single writer thread makes the check and the insert one step. A
//! cluster of collectors would race between the two (both see an id
//! missing, both insert it) and needs one of: routing each id to one writer
//! (the collectors sharded by id, as `reports` is in the cluster schema);
//! a lock per id in ClickHouse Keeper or ZooKeeper; or dropping the check
//! and counting each id once at read time (a ReplacingMergeTree keyed by id
//! feeding the rollups, which then cannot be plain materialized views).
//! On the cluster schema (`collector/sql/clickhouse-cluster.sql`) the
//! insert into the Distributed `reports` table should also be made
//! synchronous (`insert_distributed_sync = 1`) so the next check sees it,
//! and acknowledged only once on more than one replica (`insert_quorum = 2`,
//! with `select_sequential_consistency = 1` for the check) so a lost server
//! loses nothing acknowledged.

use std::collections::HashSet;
use std::time::Duration;

use revoscope::telemetry::report::{report_len, Browser, Report, REPORT_LEN};
use revoscope::telemetry::Day;

use super::{CellTotal, DayTotals, Inserted, Store, StoreError};

/// The schema, run statement by statement at every open.
pub const SCHEMA: &str = include_str!("../../sql/clickhouse.sql");

/// The rollup of reports per day and schema, and its view. When the view is
/// missing (a database made before schema 2, or an open that stopped
/// halfway), the table is made anew and filled from `reports` before the
/// view is created, so a view in place means a complete table. Nothing is
/// inserted meanwhile: the collector inserts only once it serves. (A
/// cluster of collectors would have to do this by hand, with inserts
/// stopped: `sql/clickhouse-cluster.sql`.)
pub const SCHEMA_ROLLUP: [&str; 2] = ["day_schemas", "day_schemas_mv"];

/// Ids per replay check (165 KB of them). The ids travel as an external
/// table, not in the SQL, so ClickHouse's `max_query_size` (256 KiB) does
/// not bound them; this bounds one request, and a batch of the writer
/// takes one check.
pub const IDS_PER_CHECK: usize = 5_000;

/// The multipart boundary around the ids: not hex, so never in them.
const BOUNDARY: &str = "revoscope-report-ids";

/// The columns of `reports`, in order, as `sql/clickhouse.sql` makes them.
pub const REPORT_COLUMNS: [&str; 7] = [
    "day",
    "id",
    "schema",
    "extension",
    "browser",
    "nonzero_cells",
    "nonzero_counts",
];

/// A `Date` is a UInt16 count of days since 1970-01-01: 2149-06-06 is the
/// last day ClickHouse can store.
pub const LAST_DATE: u32 = u16::MAX as u32;

/// An answer larger than this is refused: the largest the store asks for
/// is the cells of the API's longest range (366 days of 758 cells, about
/// 10 MB of text).
const MAX_ANSWER: u64 = 64 << 20;

/// Connecting to ClickHouse: loopback or a near neighbour.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// One query or insert, all of it: a batch of the writer takes a few ms; a
/// bulk insert of tens of thousands of reports a few seconds.
const QUERY_TIMEOUT: Duration = Duration::from_secs(120);
/// ClickHouse closes idle HTTP connections after `keep_alive_timeout`
/// (3 s by default); the pool drops them before that, so a request is
/// never sent on a connection the server is closing.
const MAX_IDLE: Duration = Duration::from_secs(2);

/// Why ClickHouse failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClickHouseError {
    /// The `--clickhouse` URL is not `http://HOST[:PORT][/]`.
    BadUrl { url: String, why: &'static str },
    /// The `--clickhouse-db` name is not a bare identifier.
    BadDatabaseName(String),
    /// No HTTP answer: refused, reset, timed out.
    Unreachable {
        url: String,
        during: &'static str,
        source: ureq::Error,
    },
    /// ClickHouse answered an error status, with its own message
    /// (`Code: 60, e.displayText() = DB::Exception: Table ... doesn't exist`).
    Refused {
        during: &'static str,
        status: u16,
        message: String,
    },
    /// A 200 whose body is not the answer to the query.
    BadAnswer { during: &'static str, why: String },
    /// `reports` exists with other columns than [`REPORT_COLUMNS`]: made
    /// by an earlier collector (which kept every count) or by hand.
    OtherLayout { db: String, columns: Vec<String> },
}

impl core::fmt::Display for ClickHouseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BadUrl { url, why } => {
                write!(f, "the ClickHouse URL {url:?} is not usable: {why}")
            }
            Self::BadDatabaseName(name) => write!(
                f,
                "the ClickHouse database name {name:?} is not a bare identifier ([A-Za-z_][A-Za-z0-9_]*)"
            ),
            Self::Unreachable {
                url,
                during,
                source,
            } => write!(f, "ClickHouse at {url} did not answer {during}: {source}"),
            Self::Refused {
                during,
                status,
                message,
            } => write!(f, "ClickHouse refused {during} (HTTP {status}): {message}"),
            Self::BadAnswer { during, why } => {
                write!(f, "ClickHouse answered {during} with something unexpected: {why}")
            }
            Self::OtherLayout { db, columns } => write!(
                f,
                "the table {db}.reports has the columns ({}), not the ones this collector writes ({}); \
                 a collector before the sparse counts made it: give a new database with --clickhouse-db",
                columns.join(", "),
                REPORT_COLUMNS.join(", ")
            ),
        }
    }
}

impl std::error::Error for ClickHouseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unreachable { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ClickHouseError> for StoreError {
    fn from(e: ClickHouseError) -> StoreError {
        StoreError::ClickHouse(e)
    }
}

pub struct ClickHouseStore {
    agent: ureq::Agent,
    /// `http://host:port/`.
    url: String,
    db: String,
    /// `INSERT INTO db.reports FORMAT RowBinary`.
    insert: String,
    /// The replay check, over the external table `ids`.
    check: String,
}

impl ClickHouseStore {
    /// Connects to the server at `url` and creates the database `db` and
    /// its tables where missing.
    pub fn open(url: &str, db: &str) -> Result<ClickHouseStore, StoreError> {
        let url = base_url(url)?;
        if !is_identifier(db) {
            return Err(ClickHouseError::BadDatabaseName(db.into()).into());
        }
        let agent = ureq::Agent::config_builder()
            // Statuses are read, with ClickHouse's message.
            .http_status_as_error(false)
            // Never through a proxy from the environment.
            .proxy(None)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(QUERY_TIMEOUT))
            .max_idle_age(MAX_IDLE)
            .build()
            .new_agent();
        let store = ClickHouseStore {
            agent,
            url,
            db: db.into(),
            insert: format!("INSERT INTO {db}.reports FORMAT RowBinary"),
            check: format!("SELECT id FROM {db}.reports WHERE id IN ids FORMAT TabSeparated"),
        };
        let [rollup, rollup_view] = SCHEMA_ROLLUP;
        let fill_rollup = !store.exists(rollup_view)?;
        for statement in schema_statements(SCHEMA, db) {
            let made = if fill_rollup && creates(&statement, db, rollup) {
                store
                    .query(
                        "creating the tables",
                        &format!("DROP TABLE IF EXISTS {db}.{rollup}"),
                    )
                    .and_then(|_| store.query("creating the tables", &statement))
            } else if fill_rollup && creates(&statement, db, rollup_view) {
                store
                    .query(
                        "counting the stored reports per schema",
                        &format!(
                            "INSERT INTO {db}.{rollup} SELECT day, schema, count() AS reports \
                             FROM {db}.reports GROUP BY day, schema"
                        ),
                    )
                    .and_then(|_| store.query("creating the tables", &statement))
            } else {
                store.query("creating the tables", &statement)
            };
            if let Err(e) = made {
                // A view's statement fails on a reports table of another
                // layout: name the layout, not the view.
                if matches!(e, ClickHouseError::Refused { .. }) {
                    store.check_layout()?;
                }
                return Err(e.into());
            }
        }
        // CREATE ... IF NOT EXISTS keeps a table of another layout as it
        // is; better to say so now than to fail every insert.
        store.check_layout()?;
        Ok(store)
    }

    /// Whether `{db}.{table}` exists (a table or a view).
    fn exists(&self, table: &str) -> Result<bool, ClickHouseError> {
        let answer = self.query(
            "creating the tables",
            &format!(
                "SELECT count() FROM system.tables WHERE database = '{}' AND name = '{table}' \
                 FORMAT TabSeparated",
                self.db
            ),
        )?;
        Ok(answer.trim() != "0")
    }

    /// [`ClickHouseError::OtherLayout`] unless `reports` is missing or has
    /// [`REPORT_COLUMNS`].
    fn check_layout(&self) -> Result<(), ClickHouseError> {
        let db = &self.db;
        let columns: Vec<String> = self
            .query(
                "reading the reports table's columns",
                &format!(
                    "SELECT name FROM system.columns WHERE database = '{db}' AND table = 'reports' \
                     FORMAT TabSeparated"
                ),
            )?
            .lines()
            .map(str::to_owned)
            .collect();
        if columns.is_empty() || columns == REPORT_COLUMNS {
            return Ok(());
        }
        Err(ClickHouseError::OtherLayout {
            db: db.clone(),
            columns,
        })
    }

    /// Runs `sql` (sent as the body) and returns the answer's text.
    fn query(&self, during: &'static str, sql: &str) -> Result<String, ClickHouseError> {
        // The whole answer is buffered by the server before the status is
        // sent, so an error met halfway is an error status, not a 200
        // with the exception at the end of the rows.
        let request = self.agent.post(&self.url).query("wait_end_of_query", "1");
        self.answer(during, request.send(sql))
    }

    fn answer(
        &self,
        during: &'static str,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<String, ClickHouseError> {
        let unreachable = |source| ClickHouseError::Unreachable {
            url: self.url.clone(),
            during,
            source,
        };
        let mut response = sent.map_err(unreachable)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(unreachable)?;
        let text = String::from_utf8_lossy(&body).into_owned();
        if status != 200 {
            return Err(ClickHouseError::Refused {
                during,
                status,
                // ClickHouse's messages are a line or two; a proxy's error
                // page could be anything.
                message: text.trim().chars().take(1000).collect(),
            });
        }
        Ok(text)
    }

    /// The ids among `ids` that `reports` holds, on any day,
    /// `IDS_PER_CHECK` at a time. The ids go as ClickHouse "external data"
    /// (a temporary table `ids` sent with the query, as multipart form
    /// data): parsing them as SQL literals costs ClickHouse about 10 µs
    /// each, reading them as a table almost nothing. `reports` is sorted by
    /// (day, id), so within a part the ids of one day are found through
    /// its primary index.
    fn stored_ids(&self, ids: &[&str]) -> Result<HashSet<String>, ClickHouseError> {
        const DURING: &str = "checking for replays";
        let mut stored = HashSet::new();
        for chunk in ids.chunks(IDS_PER_CHECK) {
            let mut body = Vec::with_capacity(160 + chunk.len() * 33);
            body.extend_from_slice(b"--");
            body.extend_from_slice(BOUNDARY.as_bytes());
            body.extend_from_slice(
                b"\r\nContent-Disposition: form-data; name=\"ids\"; filename=\"ids\"\r\n\r\n",
            );
            for id in chunk {
                // Checked as lowercase hex by the caller: nothing to escape.
                body.extend_from_slice(id.as_bytes());
                body.push(b'\n');
            }
            body.extend_from_slice(b"\r\n--");
            body.extend_from_slice(BOUNDARY.as_bytes());
            body.extend_from_slice(b"--\r\n");
            let sent = self
                .agent
                .post(&self.url)
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .query("query", &self.check)
                .query("ids_structure", "id FixedString(32)")
                .query("ids_format", "TabSeparated")
                .query("wait_end_of_query", "1")
                .send(&body[..]);
            let answer = self.answer(DURING, sent)?;
            for line in answer.lines() {
                if !is_report_id(line) {
                    return Err(ClickHouseError::BadAnswer {
                        during: DURING,
                        why: format!("{:?} is not a report id", clip(line)),
                    });
                }
                stored.insert(line.to_string());
            }
        }
        Ok(stored)
    }

    /// The rows of a TabSeparated answer, each split in `N` numbers.
    fn numbers<const N: usize>(
        &self,
        during: &'static str,
        sql: &str,
    ) -> Result<Vec<[u64; N]>, ClickHouseError> {
        let answer = self.query(during, sql)?;
        let bad = |line: &str| ClickHouseError::BadAnswer {
            during,
            why: format!("the row {:?} is not {N} whole numbers", clip(line)),
        };
        answer
            .lines()
            .map(|line| {
                let mut row = [0u64; N];
                let mut fields = line.split('\t');
                for slot in &mut row {
                    *slot = fields
                        .next()
                        .and_then(|f| f.parse().ok())
                        .ok_or_else(|| bad(line))?;
                }
                match fields.next() {
                    None => Ok(row),
                    Some(_) => Err(bad(line)),
                }
            })
            .collect()
    }
}

impl Store for ClickHouseStore {
    /// Each insert writes a part per day it holds, and ClickHouse's docs ask
    /// for few inserts of thousands of rows: 8x SQLite's batch, measured
    /// here at about twice the reports per second of 512.
    fn batch_limit(&self) -> usize {
        4_096
    }

    fn insert(&self, batch: &[Report]) -> Result<Vec<Inserted>, StoreError> {
        // Everything checked before ClickHouse sees anything: the ids go
        // into SQL, the rest into the insert.
        for report in batch {
            check(report)?;
        }
        let ids: Vec<&str> = batch.iter().map(|r| r.id.as_str()).collect();
        let stored = self.stored_ids(&ids)?;
        let mut seen = HashSet::with_capacity(batch.len());
        let mut rows = Vec::with_capacity(batch.len() * ROW_BYTES);
        let mut outcome = Vec::with_capacity(batch.len());
        for report in batch {
            if stored.contains(&report.id) || !seen.insert(report.id.as_str()) {
                outcome.push(Inserted::Replay);
            } else {
                outcome.push(Inserted::Stored);
                binary_row(&mut rows, report);
            }
        }
        if !rows.is_empty() {
            let sent = self
                .agent
                .post(&self.url)
                .query("query", &self.insert)
                .send(&rows[..]);
            self.answer("inserting reports", sent)?;
        }
        Ok(outcome)
    }

    fn aggregates(&self, from: Day, to: Day) -> Result<Vec<DayTotals>, StoreError> {
        if from.0 > LAST_DATE || from > to {
            return Ok(Vec::new());
        }
        let (from, to) = (from.0, to.0.min(LAST_DATE));
        let db = &self.db;
        let range = format!("day BETWEEN toDate({from}) AND toDate({to})");
        let days = self.numbers::<2>(
            "reading the days",
            &format!(
                "SELECT toUInt16(day), sum(reports) FROM {db}.days WHERE {range} \
                 GROUP BY day ORDER BY day FORMAT TabSeparated"
            ),
        )?;
        let cells = self.numbers::<4>(
            "reading the cells",
            &format!(
                "SELECT toUInt16(day), cell, sum(total), sum(contributors) FROM {db}.cells \
                 WHERE {range} GROUP BY day, cell FORMAT TabSeparated"
            ),
        )?;
        let schemas = self.numbers::<3>(
            "reading the schemas",
            &format!(
                "SELECT toUInt16(day), schema, sum(reports) FROM {db}.day_schemas \
                 WHERE {range} GROUP BY day, schema FORMAT TabSeparated"
            ),
        )?;
        let mut totals: Vec<DayTotals> = days
            .into_iter()
            .map(|[day, reports]| DayTotals {
                day: Day(day as u32),
                reports,
                schemas: Default::default(),
                cells: vec![CellTotal::default(); REPORT_LEN],
            })
            .collect();
        for [day, schema, reports] in schemas {
            // As for the cells below: a batch being inserted can be here
            // and not yet in days.
            if let Ok(at) = totals.binary_search_by_key(&(day as u32), |t| t.day.0) {
                totals[at].schemas.insert(schema as u32, reports);
            }
        }
        for [day, cell, sum, contributors] in cells {
            let day = Day(day as u32);
            // A batch being inserted as this reads can be in cells and not
            // yet in days (see the module's doc): the next read has both.
            let Ok(at) = totals.binary_search_by_key(&day, |t| t.day) else {
                continue;
            };
            let slot = usize::try_from(cell)
                .ok()
                .and_then(|cell| totals[at].cells.get_mut(cell))
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("cell {cell} of {day} is out of range"))
                })?;
            *slot = CellTotal { sum, contributors };
        }
        Ok(totals)
    }

    fn healthy(&self) -> Result<(), StoreError> {
        self.numbers::<1>(
            "checking health",
            &format!("SELECT count() FROM {}.days FORMAT TabSeparated", self.db),
        )?;
        Ok(())
    }
}

/// Whether `statement` (of [`schema_statements`]) creates `{db}.{name}`.
fn creates(statement: &str, db: &str, name: &str) -> bool {
    [
        "CREATE TABLE IF NOT EXISTS ",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS ",
    ]
    .iter()
    .any(|head| {
        statement
            .strip_prefix(head)
            .and_then(|rest| rest.strip_prefix(db))
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with([' ', '\n']))
    })
}

/// `http://host[:port][/]` → `http://host[:port]/`.
fn base_url(url: &str) -> Result<String, ClickHouseError> {
    let bad = |why| ClickHouseError::BadUrl {
        url: url.into(),
        why,
    };
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(bad(if url.starts_with("https://") {
            "https is not built in; reach ClickHouse over plain http on a trusted network"
        } else {
            "it does not start with http://"
        }));
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(bad("it names no host"));
    }
    if authority.contains('@') {
        return Err(bad("credentials in the URL are not supported"));
    }
    if authority.contains(['/', '?', '#']) {
        return Err(bad("it has a path or query; give the server's root"));
    }
    Ok(format!("http://{authority}/"))
}

fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn is_report_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn clip(text: &str) -> String {
    text.chars().take(80).collect()
}

/// The statements of `collector/sql/clickhouse.sql` with `{db}` replaced:
/// `--` comment lines dropped, one statement per `;` at the end of a line.
pub fn schema_statements(sql: &str, db: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut statement = String::new();
    for line in sql.lines() {
        if line.trim_start().starts_with("--") {
            continue;
        }
        statement += line;
        statement.push('\n');
        if line.trim_end().ends_with(';') {
            let text = statement.trim().trim_end_matches(';').replace("{db}", db);
            statements.push(text);
            statement.clear();
        }
    }
    if !statement.trim().is_empty() {
        statements.push(statement.trim().replace("{db}", db));
    }
    statements
}

/// What the table cannot hold, or what must not reach SQL, is refused
/// before anything is sent (the API has checked all of it already).
fn check(report: &Report) -> Result<(), StoreError> {
    if !is_report_id(&report.id) {
        return Err(StoreError::Corrupt(format!(
            "the report id {:?} is not 32 lowercase hex digits",
            clip(&report.id)
        )));
    }
    if report.day.0 > LAST_DATE {
        return Err(StoreError::Corrupt(format!(
            "report {} is for {}, after ClickHouse's last Date",
            report.id, report.day
        )));
    }
    if report.schema > u32::from(u16::MAX) {
        return Err(StoreError::Corrupt(format!(
            "report {} has schema {}, beyond the column's UInt16",
            report.id, report.schema
        )));
    }
    let cells = report.counts.cells().count();
    let len = report_len(report.schema).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "report {} has schema {}, which this collector does not read",
            report.id, report.schema
        ))
    })?;
    if cells != len {
        return Err(StoreError::Corrupt(format!(
            "report {} has {cells} cells, not the {len} of schema {}",
            report.id, report.schema
        )));
    }
    // Array(UInt16) wraps above 65,535 without a word.
    if let Some(over) = report.counts.cells().find(|&c| c > u32::from(u16::MAX)) {
        return Err(StoreError::Corrupt(format!(
            "a count of {over} in report {} (unchecked?)",
            report.id
        )));
    }
    Ok(())
}

/// About the size of a row of a busy day: a few dozen nonzero cells.
const ROW_BYTES: usize = 200;

/// One RowBinary row of `reports` (the columns of [`REPORT_COLUMNS`] in
/// order), its counts sparse: the nonzero cells and their counts.
/// RowBinary rather than JSONEachRow: ClickHouse parses it for less (about
/// 13 % less of its CPU per report, measured with the collector's
/// benchmark), and the collector writes it for less. Values that do not
/// fit their column would wrap: the store's insert checks them first, and
/// every report `Report::from_json` accepts fits. Public for the
/// benchmark's peer, which writes the very same rows straight into
/// ClickHouse.
pub fn binary_row(out: &mut Vec<u8>, report: &Report) {
    // Date: days since 1970-01-01, UInt16.
    out.extend_from_slice(&(report.day.0 as u16).to_le_bytes());
    // FixedString(32): the 32 hex digits.
    out.extend_from_slice(report.id.as_bytes());
    out.extend_from_slice(&(report.schema as u16).to_le_bytes());
    push_string(out, &report.extension);
    // Enum8('firefox' = 1, 'chrome' = 2).
    out.push(match report.browser {
        Browser::Firefox => 1,
        Browser::Chrome => 2,
    });
    // A schema-1 report's cells are the first of schema 2's: same indices.
    let nonzero = || {
        report
            .counts
            .cells()
            .enumerate()
            .filter(|&(_, count)| count != 0)
    };
    // Array(UInt16): the length, then the values.
    let len = nonzero().count();
    push_varint(out, len);
    for (cell, _) in nonzero() {
        out.extend_from_slice(&(cell as u16).to_le_bytes());
    }
    push_varint(out, len);
    for (_, count) in nonzero() {
        out.extend_from_slice(&(count as u16).to_le_bytes());
    }
}

/// String: its length as an unsigned LEB128, then its bytes.
fn push_string(out: &mut Vec<u8>, text: &str) {
    push_varint(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn push_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use revoscope::telemetry::report::{Browser, ReportCounts, REPORT_1_LEN, REPORT_SCHEMA};

    #[test]
    fn the_schema_splits_into_its_statements() {
        let statements = schema_statements(SCHEMA, "rs_test");
        assert_eq!(statements.len(), 8, "{statements:#?}");
        let [rollup, view] = SCHEMA_ROLLUP;
        let made: Vec<usize> = statements
            .iter()
            .enumerate()
            .filter(|(_, s)| creates(s, "rs_test", rollup) || creates(s, "rs_test", view))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(made, [6, 7], "the rollup's table, then its view");
        assert!(
            !creates(&statements[4], "rs_test", rollup),
            "days is not day_schemas"
        );
        assert!(!creates(&statements[6], "rs", rollup));
        assert_eq!(statements[0], "CREATE DATABASE IF NOT EXISTS rs_test");
        assert!(statements[1].starts_with("CREATE TABLE IF NOT EXISTS rs_test.reports\n"));
        for s in &statements {
            assert!(
                !s.contains("{db}") && !s.contains("--") && !s.ends_with(';'),
                "{s}"
            );
        }
        assert!(
            statements[3].contains("TO rs_test.cells")
                && statements[3].contains("FROM rs_test.reports")
        );
    }

    #[test]
    fn urls_and_names_are_checked() {
        assert_eq!(
            base_url("http://127.0.0.1:8123").unwrap(),
            "http://127.0.0.1:8123/"
        );
        assert_eq!(base_url("http://ch/").unwrap(), "http://ch/");
        for (url, why) in [
            ("https://ch:8443", "https"),
            ("ch:8123", "http://"),
            ("http://", "no host"),
            ("http://u:p@ch", "credentials"),
            ("http://ch/db", "path"),
            ("http://ch?x=1", "path"),
        ] {
            let e = base_url(url).unwrap_err().to_string();
            assert!(e.contains(why) && e.contains(url), "{url}: {e}");
        }
        assert!(is_identifier("revoscope") && is_identifier("_r2"));
        for name in ["", "2r", "r-s", "r.s", "r s", "r;DROP"] {
            assert!(!is_identifier(name), "{name}");
        }
        let Err(e) = ClickHouseStore::open("http://127.0.0.1:9", "a.b") else {
            panic!("a bad name opened")
        };
        assert!(e.to_string().contains("\"a.b\""), "{e}");
    }

    fn report(day: u32, vector: &[u32]) -> Report {
        Report {
            schema: REPORT_SCHEMA,
            id: "0123456789abcdef".repeat(2),
            day: Day(day),
            extension: "0.1".into(),
            browser: Browser::Chrome,
            counts: ReportCounts::from_vector(vector).unwrap(),
        }
    }

    #[test]
    fn a_row_is_the_report_as_the_table_reads_it() {
        let mut vector = vec![0; REPORT_LEN];
        vector[0] = 3;
        vector[1] = 10;
        vector[2] = 300;
        vector[REPORT_LEN - 1] = 1023;
        let mut row = Vec::new();
        binary_row(&mut row, &report(20090, &vector));
        let last = (REPORT_LEN - 1) as u16;
        let mut expected = vec![0x7a, 0x4e]; // 20090
        expected.extend_from_slice(b"0123456789abcdef0123456789abcdef");
        expected.extend_from_slice(&[2, 0, 3, b'0', b'.', b'1', 2]);
        expected.extend_from_slice(&[4, 0, 0, 1, 0, 2, 0]);
        expected.extend_from_slice(&last.to_le_bytes());
        expected.extend_from_slice(&[4, 3, 0, 10, 0, 0x2c, 0x01, 0xff, 0x03]);
        assert_eq!(row, expected);
        // All zeros: both arrays empty.
        row.clear();
        binary_row(&mut row, &report(20090, &vec![0; REPORT_LEN]));
        assert_eq!(row.len(), 2 + 32 + 2 + 4 + 1 + 2);
        assert!(row.ends_with(&[2, 0, 0]));
        // A schema-1 report: its cells have the indices they have in
        // schema 2, and the row says its schema.
        let mut one = vec![0; revoscope::telemetry::report::REPORT_1_LEN];
        one[REPORT_1_LEN - 1] = 5;
        let mut report = report(20090, &one);
        report.schema = 1;
        assert!(check(&report).is_ok());
        row.clear();
        binary_row(&mut row, &report);
        assert_eq!(&row[34..36], &[1, 0]);
        assert!(row.ends_with(&[1, 0xf5, 0x02, 1, 5, 0]), "{row:?}");
        // A schema-1 report with schema 2's cells is not one.
        let mut two_as_one = self::report(20090, &vec![0; REPORT_LEN]);
        two_as_one.schema = 1;
        assert!(check(&two_as_one)
            .unwrap_err()
            .to_string()
            .contains("not the 758 of schema 1"));
        // Lengths of 128 and more take two bytes.
        let mut long = Vec::new();
        push_varint(&mut long, 300);
        assert_eq!(long, [0xac, 0x02]);
    }

    #[test]
    fn what_the_table_cannot_hold_is_refused_before_sending() {
        let zeros = vec![0; REPORT_LEN];
        assert!(check(&report(20090, &zeros)).is_ok());
        let mut bad = report(20090, &zeros);
        bad.id = "0123456789abcdef0123456789abcde'".into();
        assert!(matches!(check(&bad), Err(StoreError::Corrupt(_))));
        bad = report(LAST_DATE + 1, &zeros);
        assert!(check(&bad).unwrap_err().to_string().contains("last Date"));
        let mut over = zeros.clone();
        over[5] = 70_000;
        assert!(check(&report(20090, &over))
            .unwrap_err()
            .to_string()
            .contains("70000"));
        bad = report(20090, &zeros);
        bad.schema = 70_000;
        assert!(check(&bad).unwrap_err().to_string().contains("UInt16"));
        bad = report(20090, &zeros);
        bad.counts.paths.pop();
        assert!(check(&bad).unwrap_err().to_string().contains("cells"));
    }

    #[test]
    fn an_unreachable_server_is_named() {
        // Port 9 (discard) on loopback: nothing listens there.
        let Err(e) = ClickHouseStore::open("http://127.0.0.1:9", "revoscope") else {
            panic!("opened a store on port 9")
        };
        let text = e.to_string();
        assert!(
            text.contains("http://127.0.0.1:9/") && text.contains("creating the tables"),
            "{text}"
        );
    }
}
