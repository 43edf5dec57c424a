//! The collector's benchmark (`npm run bench`, or `bash
//! scripts/bench-collector.sh`): build with `cargo build --release -p
//! revoscope-collector --bins --examples`, then run
//! `target/release/examples/bench [--out FILE] [--reports N]
//! [--connections N] [--seeded N]`.
//!
//! On a 2-core machine, every figure side by side with a peer in the same
//! run, as ratios:
//!
//! * **Ingest**: the collector binary pinned to core 0 (`taskset -c 0`)
//!   takes `--reports` unique reports (over the last 3 days, most for
//!   yesterday) from the `load` example on core 1, over `--connections`
//!   keep-alive connections on loopback; once on SQLite, once on
//!   ClickHouse (whose server runs on core 1 too, beside the loader). The
//!   peer is the store's own bulk ingest of the same reports without the
//!   collector, from core 0: one prepared INSERT into the same `reports`
//!   table in transactions of 10,000 (SQLite, same WAL and
//!   `synchronous=FULL`, no rollups), or INSERTs of 10,000 rows as
//!   RowBinary, the very rows the store writes (ClickHouse, whose views do
//!   the rollups).
//! * **Aggregates**: `--seeded` reports over 30 days written through each
//!   store's `insert` in batches of 10,000, then a 30-day `aggregates()`
//!   from the rollups, and `GET /v1/aggregates` through the collector,
//!   against the peer: the same sums computed straight from the raw
//!   `reports` table (SQLite: every counts blob read and summed; ClickHouse:
//!   the nonzero cells array-joined and summed per day and cell). The
//!   results are checked equal.
//!
//! Writes target/bench/collector.json and prints a table. The subcommands
//! `peer-sqlite`, `peer-clickhouse`, `seed-sqlite`, `seed-clickhouse`,
//! `query-sqlite` and `query-clickhouse` are the parts it runs pinned.

#[path = "support/reports.rs"]
mod reports;

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use revoscope::telemetry::report::{Report, REPORT_LEN};
use revoscope::telemetry::Day;
use revoscope_collector::store::clickhouse::{binary_row, ClickHouseStore};
use revoscope_collector::store::sqlite::SqliteStore;
use revoscope_collector::store::{CellTotal, DayTotals, Store};
use serde_json::{json, Value};

type Error = Box<dyn std::error::Error>;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
/// Reports per transaction or INSERT, for the peers and the seeding.
const BULK: usize = 10_000;
/// The seed of every report of this benchmark.
const SEED: u64 = 1;
const INGEST_DAYS: u32 = 3;
const QUERY_DAYS: u32 = 30;

fn ingest_days() -> Vec<(Day, u32)> {
    reports::recent_days(reports::today(), INGEST_DAYS)
}

fn query_range() -> (Day, Day) {
    let today = reports::today();
    (Day(today.0 - (QUERY_DAYS - 1)), today)
}

/// What must be stopped and removed even if the run fails: the work
/// directory, with ClickHouse's data directory `clickhouse` in it, and the
/// collectors' pids. The release profile aborts on panic, so a panic hook
/// cleans up too.
static CLEANUP: Mutex<(Option<PathBuf>, Vec<u32>)> = Mutex::new((None, Vec::new()));

fn clean_up() {
    let Ok(mut guard) = CLEANUP.lock() else {
        return;
    };
    for pid in guard.1.drain(..) {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    if let Some(work) = guard.0.take() {
        let _ = Command::new("bash")
            .arg(format!("{ROOT}/scripts/clickhouse.sh"))
            .arg("stop")
            .arg(work.join("clickhouse"))
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&work);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("peer-sqlite") => peer_sqlite(&args[1..]),
        Some("peer-clickhouse") => peer_clickhouse(&args[1..]),
        Some("seed-sqlite") => seed(&args[1..], |a| {
            Ok(Box::new(SqliteStore::open(Path::new(a[0].as_str()))?))
        }),
        Some("seed-clickhouse") => seed(&args[1..], |a| {
            Ok(Box::new(ClickHouseStore::open(&a[0], &a[1])?))
        }),
        Some("query-sqlite") => query_sqlite(&args[1..]),
        Some("query-clickhouse") => query_clickhouse(&args[1..]),
        _ => {
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                clean_up();
                hook(info)
            }));
            let result = run(&args);
            clean_up();
            result
        }
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

/// `--flag value` of `args`, or the default.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, Error> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a usable value").into()),
    }
}

fn say(line: &str) {
    eprintln!("==> {line}");
}

fn run(args: &[String]) -> Result<(), Error> {
    let out: PathBuf = flag(
        args,
        "--out",
        PathBuf::from(format!("{ROOT}/target/bench/collector.json")),
    )?;
    let reports: u64 = flag(args, "--reports", 100_000)?;
    let connections: u64 = flag(args, "--connections", 1024)?;
    let seeded: u64 = flag(args, "--seeded", 1_000_000)?;
    let exe = std::env::current_exe()?;
    let examples = exe.parent().ok_or("no examples directory")?;
    let load = examples.join("load");
    let collector = examples
        .parent()
        .ok_or("no target directory")?
        .join("revoscope-collector");
    for bin in [&load, &collector] {
        if !bin.exists() {
            return Err(format!(
                "{} is missing: cargo build --release -p revoscope-collector --bins --examples",
                bin.display()
            )
            .into());
        }
    }
    let work =
        std::env::temp_dir().join(format!("revoscope-bench-collector-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    CLEANUP.lock().map_err(|_| "poisoned")?.0 = Some(work.clone());

    // ClickHouse on core 1, beside the loader.
    let port = free_ports(3)?;
    let ch_dir = work.join("clickhouse");
    say(&format!("starting ClickHouse on core 1 (port {port})"));
    let status = Command::new("taskset")
        .args(["-c", "1", "bash"])
        .arg(format!("{ROOT}/scripts/clickhouse.sh"))
        .arg("start")
        .arg(&ch_dir)
        .arg(port.to_string())
        .status()?;
    if !status.success() {
        return Err("scripts/clickhouse.sh start failed".into());
    }
    let ch_url = format!("http://127.0.0.1:{port}");
    let me = exe.to_string_lossy().into_owned();
    let n = reports.to_string();

    // Ingest.
    let mut ingest = serde_json::Map::new();
    let stores: [(&str, Vec<String>, Vec<String>); 2] = [
        (
            "sqlite",
            vec![
                "--db".into(),
                work.join("ingest.sqlite").to_string_lossy().into(),
            ],
            vec![
                "peer-sqlite".into(),
                work.join("peer.sqlite").to_string_lossy().into(),
            ],
        ),
        (
            "clickhouse",
            vec![
                "--clickhouse".into(),
                ch_url.clone(),
                "--clickhouse-db".into(),
                "ingest".into(),
            ],
            vec!["peer-clickhouse".into(), ch_url.clone(), "peer".into()],
        ),
    ];
    for (name, store_args, peer_args) in &stores {
        say(&format!("{name}: the collector on core 0 takes {reports} reports from {connections} connections on core 1"));
        let child = start_collector(&collector, store_args, &work.join(format!("{name}.log")))?;
        let loaded = pinned(
            "1",
            load.to_string_lossy().as_ref(),
            &[
                "--url",
                &format!("http://{}", child.addr),
                "--connections",
                &connections.to_string(),
                "--reports",
                &n,
                "--days",
                &INGEST_DAYS.to_string(),
                "--seed",
                &SEED.to_string(),
            ],
        );
        child.stop();
        let loaded = loaded?;
        say(&format!(
            "{name}: the peer writes the same reports straight into the store, on core 0"
        ));
        let mut peer_cmd: Vec<String> = peer_args.clone();
        peer_cmd.extend(["--reports".into(), n.clone()]);
        let peer = pinned("0", &me, &peer_cmd)?;
        let ratio = loaded["per_second"].as_f64().unwrap_or(0.0)
            / peer["per_second"].as_f64().unwrap_or(f64::NAN);
        ingest.insert(
            name.to_string(),
            json!({"collector": loaded, "peer": peer, "ratio": ratio}),
        );
    }

    // Aggregates over `seeded` reports.
    let (from, to) = query_range();
    let mut aggregates = serde_json::Map::new();
    let seeded_n = seeded.to_string();
    let sqlite_db = work.join("seeded.sqlite").to_string_lossy().into_owned();
    let query_stores: [(&str, Vec<&str>, Vec<String>); 2] = [
        (
            "sqlite",
            vec![sqlite_db.as_str()],
            vec!["--db".into(), sqlite_db.clone()],
        ),
        (
            "clickhouse",
            vec![ch_url.as_str(), "seeded"],
            vec![
                "--clickhouse".into(),
                ch_url.clone(),
                "--clickhouse-db".into(),
                "seeded".into(),
            ],
        ),
    ];
    for (name, target, store_args) in &query_stores {
        say(&format!(
            "{name}: seeding {seeded} reports over {QUERY_DAYS} days through the store"
        ));
        let mut cmd = vec![format!("seed-{name}")];
        cmd.extend(target.iter().map(|s| s.to_string()));
        cmd.extend(["--reports".into(), seeded_n.clone()]);
        let seeding = pinned("0", &me, &cmd)?;
        say(&format!(
            "{name}: {QUERY_DAYS}-day aggregates, from the rollups and the naive way"
        ));
        cmd[0] = format!("query-{name}");
        let mut query = pinned("0", &me, &cmd)?;
        // The same range through the collector's HTTP API (JSON, k-anonymity).
        let child = start_collector(
            &collector,
            store_args,
            &work.join(format!("{name}-query.log")),
        )?;
        let http = time_http(child.addr, from, to);
        child.stop();
        query["http_ms"] = http?;
        query["seeding"] = seeding;
        aggregates.insert(name.to_string(), query);
    }

    let summary = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "pinning": "collector on core 0; load generator and the ClickHouse server on core 1; peers, seeding and queries run on core 0",
        },
        "ingest": {"reports": reports, "connections": connections, "days": INGEST_DAYS, "stores": ingest},
        "aggregates": {"reports": seeded, "days": QUERY_DAYS, "stores": aggregates},
        "targets": {"sqlite_per_second": 5000, "clickhouse_per_second": 20000, "aggregates_ms": 1000},
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&summary)? + "\n")?;
    print_table(&summary);
    println!("written to {}", out.display());
    Ok(())
}

fn print_table(s: &Value) {
    let rate = |v: &Value| format!("{:>9.0}/s", v.as_f64().unwrap_or(f64::NAN));
    let ms = |v: &Value| format!("{:>9.1} ms", v.as_f64().unwrap_or(f64::NAN));
    println!();
    println!(
        "Collector ingest: {} unique reports over {} days, {} keep-alive connections; collector on core 0, loader (and ClickHouse) on core 1",
        s["ingest"]["reports"], s["ingest"]["days"], s["ingest"]["connections"]
    );
    println!(
        "{:<11} {:>11} {:>11} {:>8} {:>9} {:>9}   peer",
        "store", "collector", "peer", "ratio", "p50", "p99"
    );
    for name in ["sqlite", "clickhouse"] {
        let r = &s["ingest"]["stores"][name];
        println!(
            "{:<11} {} {} {:>8.3} {} {}   {}",
            name,
            rate(&r["collector"]["per_second"]),
            rate(&r["peer"]["per_second"]),
            r["ratio"].as_f64().unwrap_or(f64::NAN),
            ms(&r["collector"]["latency_ms"]["p50"]),
            ms(&r["collector"]["latency_ms"]["p99"]),
            r["peer"]["what"].as_str().unwrap_or(""),
        );
    }
    println!();
    println!(
        "Aggregates of {} days over {} stored reports (median of runs)",
        s["aggregates"]["days"], s["aggregates"]["reports"]
    );
    println!(
        "{:<11} {:>12} {:>12} {:>12} {:>10} {:>12} {:>14}",
        "store", "rollups", "HTTP API", "naive peer", "ratio", "seeding", "replay check"
    );
    for name in ["sqlite", "clickhouse"] {
        let r = &s["aggregates"]["stores"][name];
        println!(
            "{:<11} {} {} {} {:>10.4} {} {}",
            name,
            ms(&r["rollups_ms"]),
            ms(&r["http_ms"]["median"]),
            ms(&r["naive_ms"]),
            r["ratio"].as_f64().unwrap_or(f64::NAN),
            rate(&r["seeding"]["per_second"]),
            ms(&r["replay_check"]["median_ms"]),
        );
    }
    println!("(ratio = collector / peer; for aggregates, rollups / naive. seeding: through the");
    println!(
        " store's insert, 10,000 a batch; replay check: a writer's batch of 512 stored reports)"
    );
}

/// Runs `program args` on `core` and reads the JSON line it prints.
fn pinned<S: AsRef<str>>(core: &str, program: &str, args: &[S]) -> Result<Value, Error> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let out = Command::new("taskset")
        .args(["-c", core, program])
        .args(&args)
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("{program} {} failed: {text}", args.join(" ")).into());
    }
    let line = text.lines().last().unwrap_or("");
    Ok(serde_json::from_str(line).map_err(|e| format!("{program}: {e} in {line:?}"))?)
}

struct Running {
    child: Child,
    addr: SocketAddr,
}

impl Running {
    /// SIGTERM, and wait: the writer commits what it accepted.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        if let Ok(mut guard) = CLEANUP.lock() {
            guard.1.retain(|p| *p != self.child.id());
        }
    }
}

/// The collector on core 0, its log (a line per request) in `log`.
fn start_collector(bin: &Path, store: &[String], log: &Path) -> Result<Running, Error> {
    let child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(bin)
        .args(store)
        .args(["--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log)?)
        .spawn()?;
    CLEANUP.lock().map_err(|_| "poisoned")?.1.push(child.id());
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let file = std::fs::File::open(log)?;
        for line in std::io::BufReader::new(file).lines() {
            if let Some(addr) = line?.strip_prefix("revoscope-collector: listening on http://") {
                return Ok(Running {
                    child,
                    addr: addr.parse()?,
                });
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("the collector did not start; see {}", log.display()).into())
}

fn free_ports(count: u16) -> Result<u16, Error> {
    use std::net::TcpListener;
    for _ in 0..100 {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        if port <= u16::MAX - count
            && (1..count).all(|i| TcpListener::bind(("127.0.0.1", port + i)).is_ok())
        {
            return Ok(port);
        }
    }
    Err("no free ports".into())
}

/// Median and minimum of `runs` timings of `f`, in ms.
fn timed<T>(runs: usize, mut f: impl FnMut() -> Result<T, Error>) -> Result<(f64, f64, T), Error> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f()?);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[0], last.ok_or("no runs")?))
}

fn time_http(addr: SocketAddr, from: Day, to: Day) -> Result<Value, Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .build()
        .new_agent();
    let url = format!("http://{addr}/v1/aggregates?from={from}&to={to}");
    let (median, min, bytes) = timed(5, || {
        let mut response = agent.get(&url).call()?;
        Ok(response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()?
            .len())
    })?;
    Ok(json!({"median": median, "min": min, "bytes": bytes}))
}

// ---- the pinned parts ----

fn report_rows(n: u64, days: &[(Day, u32)]) -> impl Iterator<Item = Report> + '_ {
    (0..n).map(move |i| reports::report(SEED, i, days))
}

/// Straight into SQLite: the store's `reports` table, one prepared INSERT,
/// transactions of `BULK`, WAL and `synchronous=FULL` as the store has.
fn peer_sqlite(args: &[String]) -> Result<(), Error> {
    let path = args.first().ok_or("peer-sqlite FILE")?;
    let n: u64 = flag(args, "--reports", 100_000)?;
    let days = ingest_days();
    // id, day, schema, extension, browser, counts: the store's columns.
    type Row = (Vec<u8>, u32, u32, String, &'static str, Vec<u8>);
    let rows: Vec<Row> = report_rows(n, &days)
        .map(|r| {
            let blob: Vec<u8> = r
                .counts
                .vector()
                .iter()
                .flat_map(|c| (*c as u16).to_le_bytes())
                .collect();
            (
                revoscope::hex::decode(&r.id).unwrap_or_default(),
                r.day.0,
                r.schema,
                r.extension,
                r.browser.as_str(),
                blob,
            )
        })
        .collect();
    let mut conn = rusqlite::Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE reports (id BLOB PRIMARY KEY NOT NULL, day INTEGER NOT NULL,
         schema INTEGER NOT NULL, extension TEXT NOT NULL, browser TEXT NOT NULL,
         counts BLOB NOT NULL)",
    )?;
    let started = Instant::now();
    for chunk in rows.chunks(BULK) {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO reports (id, day, schema, extension, browser, counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (id, day, schema, extension, browser, counts) in chunk {
                insert.execute(rusqlite::params![
                    id, day, schema, extension, browser, counts
                ])?;
            }
        }
        tx.commit()?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"what": format!("one prepared INSERT, {BULK} per transaction"), "reports": n, "seconds": secs, "per_second": n as f64 / secs})
    );
    Ok(())
}

fn clickhouse_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .max_idle_age(Duration::from_secs(2))
        .build()
        .new_agent()
}

fn clickhouse_post(
    agent: &ureq::Agent,
    url: &str,
    query: Option<&str>,
    body: &[u8],
) -> Result<String, Error> {
    let mut request = agent.post(url);
    if let Some(q) = query {
        request = request.query("query", q);
    }
    let mut response = request.send(body)?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_string()?;
    if status != 200 {
        return Err(format!("ClickHouse answered {status}: {text}").into());
    }
    Ok(text)
}

/// Straight into ClickHouse: INSERTs of `BULK` rows as RowBinary, the
/// bodies built before the clock starts.
fn peer_clickhouse(args: &[String]) -> Result<(), Error> {
    let (url, db) = match args {
        [url, db, ..] => (url, db),
        _ => return Err("peer-clickhouse URL DB".into()),
    };
    let n: u64 = flag(args, "--reports", 100_000)?;
    // The tables, as the collector makes them.
    drop(ClickHouseStore::open(url, db)?);
    let days = ingest_days();
    let all: Vec<Report> = report_rows(n, &days).collect();
    let bodies: Vec<Vec<u8>> = all
        .chunks(BULK)
        .map(|chunk| {
            let mut body = Vec::new();
            for r in chunk {
                binary_row(&mut body, r);
            }
            body
        })
        .collect();
    drop(all);
    let agent = clickhouse_agent();
    let insert = format!("INSERT INTO {db}.reports FORMAT RowBinary");
    let started = Instant::now();
    for body in &bodies {
        clickhouse_post(&agent, url, Some(&insert), body)?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"what": format!("INSERT of {BULK} rows, RowBinary"), "reports": n, "seconds": secs, "per_second": n as f64 / secs})
    );
    Ok(())
}

/// Report `i` of the `n` seeded over the 30 days from `first`.
fn seeded_report(first: Day, i: u64, n: u64) -> Report {
    let day = Day(first.0 + (i * u64::from(QUERY_DAYS) / n) as u32);
    reports::report(SEED + 1, i, &[(day, 1)])
}

/// `n` reports over the 30 days of the query, through the store's own
/// `insert`, `BULK` at a time, in day order (as reports arrive: a batch
/// holds one day or two). Only the inserts are timed.
fn seed(
    args: &[String],
    open: impl Fn(&[String]) -> Result<Box<dyn Store>, Error>,
) -> Result<(), Error> {
    let store = open(args)?;
    let n: u64 = flag(args, "--reports", 1_000_000)?;
    let (first, _) = query_range();
    let mut inserting = Duration::ZERO;
    let mut batch = Vec::with_capacity(BULK);
    let mut next = 0;
    while next < n {
        batch.clear();
        batch.extend((next..n.min(next + BULK as u64)).map(|i| seeded_report(first, i, n)));
        next += batch.len() as u64;
        let started = Instant::now();
        store.insert(&batch)?;
        inserting += started.elapsed();
    }
    let secs = inserting.as_secs_f64();
    println!(
        "{}",
        json!({"reports": n, "seconds": secs, "per_second": n as f64 / secs})
    );
    Ok(())
}

fn summary(totals: &[DayTotals]) -> Value {
    json!({
        "days": totals.len(),
        "reports": totals.iter().map(|d| d.reports).sum::<u64>(),
    })
}

/// Replay checks among the stored reports: a writer's full batch of
/// `store::MAX_BATCH` reports spread over the seeded days, every one of
/// them a replay, so the store checks them and stores nothing.
fn time_replays(store: &dyn Store, n: u64) -> Result<Value, Error> {
    let (first, _) = query_range();
    let size = revoscope_collector::store::MAX_BATCH as u64;
    let batch: Vec<Report> = (0..size)
        .map(|k| seeded_report(first, k * (n / size).max(1) % n.max(1), n))
        .collect();
    let (median, min, outcome) = timed(5, || Ok(store.insert(&batch)?))?;
    if outcome
        .iter()
        .any(|o| *o != revoscope_collector::store::Inserted::Replay)
    {
        return Err("a stored report was not found as a replay".into());
    }
    Ok(json!({"batch": size, "median_ms": median, "min_ms": min}))
}

fn query_result(
    rollups: (f64, f64, Vec<DayTotals>),
    naive: (f64, f64, Vec<DayTotals>),
    what: &str,
    replays: Value,
) -> Result<(), Error> {
    if rollups.2 != naive.2 {
        return Err("the rollups and the raw table disagree".into());
    }
    println!(
        "{}",
        json!({
            "rollups_ms": rollups.0, "rollups_min_ms": rollups.1,
            "naive_ms": naive.0, "naive_min_ms": naive.1,
            "naive": what,
            "ratio": rollups.0 / naive.0,
            "answer": summary(&rollups.2),
            "replay_check": replays,
        })
    );
    Ok(())
}

fn add_counts(day: &mut DayTotals, schema: u32, counts: impl Iterator<Item = u64>) {
    day.reports += 1;
    *day.schemas.entry(schema).or_default() += 1;
    for (cell, count) in day.cells.iter_mut().zip(counts) {
        if count > 0 {
            cell.sum += count;
            cell.contributors += 1;
        }
    }
}

fn query_sqlite(args: &[String]) -> Result<(), Error> {
    let path = args.first().ok_or("query-sqlite FILE")?;
    let store = SqliteStore::open(Path::new(path))?;
    let n: u64 = flag(args, "--reports", 1_000_000)?;
    let (from, to) = query_range();
    let rollups = timed(5, || Ok(store.aggregates(from, to)?))?;
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let naive = timed(3, || {
        let mut statement = conn.prepare_cached(
            "SELECT day, schema, counts FROM reports WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
        )?;
        let mut rows = statement.query(rusqlite::params![from.0, to.0])?;
        let mut totals: Vec<DayTotals> = Vec::new();
        while let Some(row) = rows.next()? {
            let day = Day(row.get(0)?);
            if totals.last().is_none_or(|t| t.day != day) {
                totals.push(DayTotals {
                    day,
                    reports: 0,
                    schemas: Default::default(),
                    cells: vec![CellTotal::default(); REPORT_LEN],
                });
            }
            let schema: u32 = row.get(1)?;
            let blob = row.get_ref(2)?.as_blob()?;
            let last = totals.last_mut().ok_or("no day")?;
            add_counts(
                last,
                schema,
                blob.chunks_exact(2)
                    .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]]))),
            );
        }
        Ok(totals)
    })?;
    let replays = time_replays(&store, n)?;
    query_result(
        rollups,
        naive,
        "every counts blob of the range read and summed in Rust",
        replays,
    )
}

fn query_clickhouse(args: &[String]) -> Result<(), Error> {
    let (url, db) = match args {
        [url, db, ..] => (url, db),
        _ => return Err("query-clickhouse URL DB".into()),
    };
    let store = ClickHouseStore::open(url, db)?;
    let n: u64 = flag(args, "--reports", 1_000_000)?;
    let (from, to) = query_range();
    let rollups = timed(5, || Ok(store.aggregates(from, to)?))?;
    let agent = clickhouse_agent();
    let range = format!("day BETWEEN toDate({}) AND toDate({})", from.0, to.0);
    let days_sql = format!(
        "SELECT toUInt16(day), schema, count() FROM {db}.reports WHERE {range} \
         GROUP BY day, schema ORDER BY day FORMAT TabSeparated"
    );
    let cells_sql = format!(
        "SELECT toUInt16(day), cell, sum(toUInt64(n)), count() FROM {db}.reports \
         ARRAY JOIN nonzero_cells AS cell, nonzero_counts AS n WHERE {range} \
         GROUP BY day, cell FORMAT TabSeparated"
    );
    let naive = timed(3, || {
        let rows = |sql: &str| -> Result<Vec<Vec<u64>>, Error> {
            let text = clickhouse_post(&agent, &format!("{url}/"), None, sql.as_bytes())?;
            text.lines()
                .map(|line| {
                    line.split('\t')
                        .map(|x| {
                            x.parse()
                                .map_err(|_| format!("not a number: {x:.20}").into())
                        })
                        .collect()
                })
                .collect()
        };
        let mut totals: Vec<DayTotals> = Vec::new();
        for row in rows(&days_sql)? {
            let [day, schema, reports] = row[..] else {
                return Err(format!("unexpected row {row:?}").into());
            };
            let day = Day(day as u32);
            if totals.last().is_none_or(|t| t.day != day) {
                totals.push(DayTotals {
                    day,
                    reports: 0,
                    schemas: Default::default(),
                    cells: vec![CellTotal::default(); REPORT_LEN],
                });
            }
            let last = totals.last_mut().ok_or("no day")?;
            last.reports += reports;
            last.schemas.insert(schema as u32, reports);
        }
        for row in rows(&cells_sql)? {
            let [day, cell, sum, contributors] = row[..] else {
                return Err(format!("unexpected row {row:?}").into());
            };
            let slot = totals
                .iter_mut()
                .find(|t| u64::from(t.day.0) == day)
                .and_then(|t| t.cells.get_mut(cell as usize))
                .ok_or_else(|| format!("cell {cell} of day {day} has no place"))?;
            *slot = CellTotal { sum, contributors };
        }
        Ok(totals)
    })?;
    let replays = time_replays(&store, n)?;
    query_result(
        rollups,
        naive,
        "the raw reports' nonzero cells summed, GROUP BY day and cell",
        replays,
    )
}
