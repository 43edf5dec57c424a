//! The ClickHouse store against a real ClickHouse server (Debian's
//! `clickhouse-server`, run privately by `scripts/clickhouse.sh` on
//! 127.0.0.1 in a temporary directory): the same reports posted to a
//! SQLite-backed and a ClickHouse-backed collector give the same answers,
//! and nothing acknowledged is lost when both the collector and ClickHouse
//! are killed. Without ClickHouse installed these tests fail and say how to
//! install it; they never pass by skipping.

mod common;

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use revoscope::crlite::CrliteStatus;
use revoscope::telemetry::event::CrlFetched;
use revoscope::telemetry::event::{LiveRequest, Method};
use revoscope::telemetry::report::{
    report_len, Browser, Report, ReportCounts, REPORT_1_LEN, REPORT_LEN,
};
use revoscope::telemetry::Path as LoadPath;
use revoscope::telemetry::{
    CrlAccess, CrlClass, Day, DayStats, HardFail, LiveClass, LiveUse, NotAsked, PageLoad,
    RevocationInfo,
};
use revoscope_collector::store::clickhouse::{ClickHouseError, ClickHouseStore, IDS_PER_CHECK};
use revoscope_collector::store::sqlite::SqliteStore;
use revoscope_collector::store::{Inserted, Store, StoreError};
use serde_json::Value;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/clickhouse.sh");

/// Where scripts/clickhouse.sh looks for the server.
const SERVER_PATHS: [&str; 3] = [
    "/usr/bin/clickhouse-server",
    "/usr/sbin/clickhouse-server",
    "/usr/bin/clickhouse",
];

/// A private ClickHouse server; stopped when dropped, also when a test
/// fails.
struct ClickHouse {
    dir: PathBuf,
    port: u16,
}

impl ClickHouse {
    fn start(name: &str) -> ClickHouse {
        assert!(
            SERVER_PATHS.iter().any(|p| Path::new(p).exists()),
            "ClickHouse is not installed (no clickhouse-server in /usr/bin or /usr/sbin), \
             and the collector's ClickHouse tests need it: run `npm run setup`, which \
             installs Debian's clickhouse-server"
        );
        let dir = temp_dir(name);
        // The ports are free when chosen; another process may take one
        // before the server binds it, so a failed start tries new ones.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let server = ClickHouse {
                dir: dir.clone(),
                port: free_ports(3),
            };
            match server.try_run("start") {
                Ok(()) => return server,
                Err(e) => {
                    std::mem::forget(server);
                    failures.push(e);
                }
            }
        }
        panic!("ClickHouse did not start: {failures:#?}");
    }

    fn try_run(&self, what: &str) -> Result<(), String> {
        let mut command = Command::new("bash");
        command.arg(SCRIPT).arg(what).arg(&self.dir);
        if what == "start" {
            command.arg(self.port.to_string());
        }
        let out = command.stdin(Stdio::null()).output().unwrap();
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "clickhouse.sh {what} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn run(&self, what: &str) {
        if let Err(e) = self.try_run(what) {
            panic!("{e}");
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL, as a crash: no chance to flush anything.
    fn kill(&self) {
        let pid = std::fs::read_to_string(self.dir.join("pid")).unwrap();
        let status = Command::new("kill")
            .args(["-KILL", pid.trim()])
            .status()
            .unwrap();
        assert!(status.success());
        while Command::new("kill")
            .args(["-0", pid.trim()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::fs::remove_file(self.dir.join("pid")).unwrap();
    }
}

impl Drop for ClickHouse {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(SCRIPT)
            .arg("stop")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if std::thread::panicking() {
            eprintln!(
                "ClickHouse's data and logs are kept in {}",
                self.dir.display()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A port with `count - 1` free ports after it (ClickHouse takes HTTP,
/// native TCP and interserver ports in a row).
fn free_ports(count: u16) -> u16 {
    for _ in 0..100 {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port <= u16::MAX - count
            && (1..count).all(|i| TcpListener::bind(("127.0.0.1", port + i)).is_ok())
        {
            return port;
        }
    }
    panic!("no {count} free ports in a row on 127.0.0.1");
}

fn post(addr: SocketAddr, body: &str) -> Response {
    let raw = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    request(addr, raw.as_bytes())
}

fn aggregates(addr: SocketAddr, from: Day, to: Day) -> Value {
    let raw = format!(
        "GET /v1/aggregates?from={from}&to={to} HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n"
    );
    let response = request(addr, raw.as_bytes());
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

const HOSTS: [&str; 5] = [
    "ocsp.digicert.com",
    "r10.o.lencr.org",
    "o.pki.goog",
    "ocsp.example.net",
    "ocsp.sectigo.com:8080",
];

const CRL_HOSTS: [&str; 3] = ["crl3.digicert.com", "c.pki.goog", "crl.example.net"];

/// Report `n`: a day of `day`, in `browser`, with a mix of page loads that
/// varies with `n` (paths, hard-fail answers, CRLite, live requests to
/// several responders with their outcomes and latencies, the leaves'
/// revocation information, CRLs held and fetched), and every fifth busy
/// enough that some cells are clipped at 1023.
fn varied_report(day: Day, n: u64, browser: Browser) -> Report {
    let mut stats = DayStats::new(day);
    let pages = 10 + (n * 7) % 40 + if n % 5 == 0 { 1100 } else { 0 };
    for i in 0..pages {
        let k = n + i;
        let live = match k % 4 {
            0 => LiveUse::NotNeeded,
            1 => LiveUse::NotAsked {
                reason: NotAsked::ALL[(k % 3) as usize],
            },
            _ => LiveUse::Asked(LiveRequest {
                host: HOSTS[(k % 5) as usize].into(),
                method: if k % 3 == 0 {
                    Method::Post
                } else {
                    Method::Get
                },
                elapsed_ms: ((k * 37) % 3000) as u32,
                class: LiveClass::ALL[((k * k) % 12) as usize],
            }),
        };
        let firefox = browser == Browser::Firefox;
        stats.record(&PageLoad {
            path: LoadPath::ALL[(k % 13) as usize],
            ca_paths: vec![LoadPath::OneCrl],
            live,
            hard_fail: Some(HardFail::ALL[(k % 6) as usize]),
            browser_used_ocsp: firefox.then_some(k % 3 == 0),
            crlite: firefox.then_some(CrliteStatus::ALL[(k % 5) as usize]),
            revocation_info: Some(RevocationInfo::ALL[(k % 4) as usize]),
            crl: match k % 5 {
                0 => CrlAccess::Held,
                1 | 2 => CrlAccess::Fetched(CrlFetched {
                    host: CRL_HOSTS[(k % 3) as usize].into(),
                    class: CrlClass::ALL[((k * 7) % 12) as usize],
                    elapsed_ms: ((k * 53) % 4000) as u32,
                    bytes: k * 997,
                }),
                _ => CrlAccess::NotUsed,
            },
        });
    }
    Report::of_day(&stats, id(n), "0.1.0", browser)
        .unwrap()
        .expect("at least 10 pages")
}

/// Bodies that must be refused the same way by both stores: the status
/// and the error code.
fn hostile_bodies(today: Day) -> Vec<(String, u16, &'static str)> {
    let base = varied_report(Day(today.0 - 1), 9_000, Browser::Chrome);
    let over = edited(&base, |v| v["counts"]["paths"][0] = 1024.into());
    let uppercase = edited(&base, |v| v["id"] = "5A".repeat(16).into());
    let quote = edited(&base, |v| {
        v["id"] = format!("{}'", "5a".repeat(15) + "5").into()
    });
    let short = edited(&base, |v| {
        v["counts"]["crlite"].as_array_mut().unwrap().pop();
    });
    let unknown = edited(&base, |v| v["site"] = "example.com".into());
    let future = edited(&base, |v| v["day"] = Day(today.0 + 1).to_string().into());
    let old = edited(&base, |v| v["day"] = Day(today.0 - 400).to_string().into());
    let huge = edited(&base, |v| v["counts"]["paths"][1] = 70_000u64.into());
    let negative = edited(&base, |v| v["counts"]["paths"][2] = (-1).into());
    vec![
        (over, 422, "over-clip"),
        (uppercase, 422, "bad-id"),
        (quote, 422, "bad-id"),
        (short, 422, "wrong-length"),
        (unknown, 400, "malformed"),
        (future, 422, "day-out-of-range"),
        (old, 422, "day-out-of-range"),
        (huge, 422, "over-clip"),
        (negative, 400, "malformed"),
        ("{\"schema\":1,".into(), 400, "malformed"),
        (edited(&base, |v| v["schema"] = 1.into()), 400, "malformed"),
        (
            edited(&base, |v| v["schema"] = 3.into()),
            422,
            "unsupported-schema",
        ),
    ]
}

#[test]
fn sqlite_and_clickhouse_collectors_answer_the_same_and_keep_what_they_acknowledged() {
    let server = ClickHouse::start("clickhouse-same");
    let today = today();
    let sqlite = Collector::start("clickhouse-same-sqlite", &["--k", "3"]);
    let clickhouse = Collector::start_on_clickhouse(&server.url(), "same", &["--k", "3"]);
    let addrs = [sqlite.addr, clickhouse.addr];

    // 60 reports on five days (one with too few reports to publish),
    // from both browsers.
    let days = [0, 1, 2, 7, 30].map(|back| Day(today.0 - back));
    let reports: Vec<Report> = (0..60u64)
        .map(|n| {
            let day = days[[0, 1, 1, 1, 2, 2, 3, 3, 3, 0][(n % 10) as usize]];
            let browser = if n % 3 == 0 {
                Browser::Chrome
            } else {
                Browser::Firefox
            };
            varied_report(if n == 59 { days[4] } else { day }, n, browser)
        })
        .collect();
    // Posted from eight threads at once, so the writers take batches of
    // several reports; some (ids ending in 1) as an extension of schema 1
    // sends them.
    std::thread::scope(|scope| {
        for chunk in reports.chunks(8) {
            scope.spawn(move || {
                for report in chunk {
                    let json = if report.id.ends_with('1') {
                        as_schema_1(report)
                    } else {
                        report.to_json()
                    };
                    for addr in addrs {
                        let response = post(addr, &json);
                        assert_eq!(response.status, 201, "{addr}: {}", response.text());
                    }
                }
            });
        }
    });
    // A replay, and the same new report sent eight times at once (some
    // land in one batch, as repeats within it): stored once by both.
    for addr in addrs {
        let response = post(addr, &reports[3].to_json());
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (409, "replay")
        );
        let twin = varied_report(days[1], 777, Browser::Firefox).to_json();
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let sends: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| post(addr, &twin).status))
                .collect();
            sends.into_iter().map(|s| s.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|&&s| s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|&&s| s == 409).count(),
            7,
            "{statuses:?}"
        );
        for (body, status, code) in hostile_bodies(today) {
            let response = post(addr, &body);
            assert_eq!(
                (response.status, response.error_code().as_str()),
                (status, code),
                "{addr}: {body:.80}"
            );
        }
    }

    let range = (Day(today.0 - 31), today);
    let from_sqlite = aggregates(sqlite.addr, range.0, range.1);
    let from_clickhouse = aggregates(clickhouse.addr, range.0, range.1);
    assert_eq!(from_sqlite, from_clickhouse);
    // Every day published but the one with too few reports.
    let published: Vec<&str> = from_sqlite["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["day"].as_str().unwrap())
        .collect();
    assert_eq!(published.len(), 4, "{published:?}");
    assert!(!published.contains(&days[4].to_string().as_str()));
    // Narrower ranges and single days agree too.
    for day in days {
        assert_eq!(
            aggregates(sqlite.addr, day, day),
            aggregates(clickhouse.addr, day, day)
        );
    }
    // The exact totals under k-anonymity agree, cell by cell.
    let sqlite_db = sqlite.kill();
    let exact_sqlite = SqliteStore::open(&sqlite_db)
        .unwrap()
        .aggregates(range.0, range.1)
        .unwrap();
    let exact_clickhouse = ClickHouseStore::open(&server.url(), "same")
        .unwrap()
        .aggregates(range.0, range.1)
        .unwrap();
    assert_eq!(exact_sqlite.len(), 5);
    assert_eq!(exact_sqlite, exact_clickhouse);
    let by_schema = |schema| -> u64 {
        exact_sqlite
            .iter()
            .filter_map(|d| d.schemas.get(&schema))
            .sum()
    };
    let ones = reports.iter().filter(|r| r.id.ends_with('1')).count() as u64;
    assert!(ones > 0);
    assert_eq!((by_schema(1), by_schema(2)), (ones, 61 - ones));
    let stored: u64 = exact_clickhouse.iter().map(|d| d.reports).sum();
    assert_eq!(stored, 61);

    // A crash of both the collector and ClickHouse loses nothing that was
    // acknowledged.
    drop(clickhouse);
    server.kill();
    server.run("start");
    let again = Collector::start_on_clickhouse(&server.url(), "same", &["--k", "3"]);
    assert_eq!(aggregates(again.addr, range.0, range.1), from_sqlite);
    let response = post(again.addr, &reports[59].to_json());
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (409, "replay")
    );
}

fn store_report(day: Day, n: u64, cells: &[(usize, u32)]) -> Report {
    store_report_of(2, day, n, cells)
}

fn store_report_of(schema: u32, day: Day, n: u64, cells: &[(usize, u32)]) -> Report {
    let mut vector = vec![0; report_len(schema).unwrap()];
    for &(i, v) in cells {
        vector[i] = v;
    }
    Report {
        schema,
        id: revoscope::hex::encode(&id(n)),
        day,
        extension: "0.1".into(),
        browser: Browser::Chrome,
        counts: ReportCounts::from_vector(&vector).unwrap(),
    }
}

#[test]
fn the_clickhouse_store_finds_replays_in_big_batches_and_names_its_errors() {
    use Inserted::*;
    let server = ClickHouse::start("clickhouse-store");
    let store = ClickHouseStore::open(&server.url(), "store").unwrap();
    store.healthy().unwrap();
    // Opening again applies the schema again, harmlessly.
    let store = ClickHouseStore::open(&server.url(), "store").unwrap();

    let outcome = store
        .insert(&[
            store_report(Day(20000), 1, &[(0, 3), (REPORT_LEN - 1, 1023)]),
            store_report(Day(20000), 2, &[(0, 4)]),
            store_report(Day(20000), 1, &[(0, 500)]),
            store_report(Day(20001), 3, &[(5, 1)]),
        ])
        .unwrap();
    assert_eq!(outcome, [Stored, Stored, Replay, Stored]);
    // An id stored before, even for another day; a batch of replays only.
    let outcome = store.insert(&[
        store_report(Day(19999), 2, &[(0, 9)]),
        store_report(Day(20000), 4, &[]),
    ]);
    assert_eq!(outcome.unwrap(), [Replay, Stored]);
    assert_eq!(
        store.insert(&[store_report(Day(20000), 4, &[])]).unwrap(),
        [Replay]
    );
    assert_eq!(store.insert(&[]).unwrap(), []);

    let days = store.aggregates(Day(19999), Day(20001)).unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!((days[0].day, days[0].reports), (Day(20000), 3));
    assert_eq!(
        (days[0].cells[0].sum, days[0].cells[0].contributors),
        (7, 2)
    );
    assert_eq!(days[0].cells[REPORT_LEN - 1].sum, 1023);
    assert_eq!(days[0].cells[1].contributors, 0);
    assert_eq!((days[1].day, days[1].reports), (Day(20001), 1));
    assert_eq!(store.aggregates(Day(20002), Day(20100)).unwrap(), []);
    // Days ClickHouse's Date cannot hold have no reports.
    assert_eq!(store.aggregates(Day(70_000), Day(80_000)).unwrap(), []);

    // More ids than one replay check takes, over three days; then all of
    // them again with one new one in the middle.
    let big: Vec<Report> = (0..(2 * IDS_PER_CHECK + 1000) as u64)
        .map(|n| {
            store_report(
                Day(20010 + (n % 3) as u32),
                100 + n,
                &[(n as usize % REPORT_LEN, 1)],
            )
        })
        .collect();
    let outcome = store.insert(&big).unwrap();
    assert!(outcome.iter().all(|o| *o == Stored));
    let mut again = big.clone();
    again.insert(6000, store_report(Day(20010), 1_000_000, &[]));
    let outcome = store.insert(&again).unwrap();
    assert_eq!(outcome.iter().filter(|o| **o == Stored).count(), 1);
    assert_eq!(outcome[6000], Stored);
    let reports: u64 = store
        .aggregates(Day(20010), Day(20012))
        .unwrap()
        .iter()
        .map(|d| d.reports)
        .sum();
    assert_eq!(reports, big.len() as u64 + 1);

    // ClickHouse's own words, with the HTTP status.
    let other = ClickHouseStore::open(&server.url(), "gone").unwrap();
    let sql = |q: &str| {
        let raw = format!(
            "POST / HTTP/1.1\r\nHost: ch\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{q}",
            q.len()
        );
        request(
            format!("127.0.0.1:{}", server.port).parse().unwrap(),
            raw.as_bytes(),
        )
    };
    assert_eq!(sql("DROP TABLE gone.days").status, 200);
    let e = other.aggregates(Day(20000), Day(20001)).unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::ClickHouse(ClickHouseError::Refused { status: 404, .. })
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("reading the days")
            && text.contains("HTTP 404")
            && text.contains("gone.days doesn't exist"),
        "{text}"
    );
    assert!(other
        .healthy()
        .unwrap_err()
        .to_string()
        .contains("checking health"));

    // A reports table as collectors before the sparse counts made it
    // (every count in one array) is named at open, not at every insert.
    assert_eq!(sql("CREATE DATABASE dense").status, 200);
    let dense = "CREATE TABLE dense.reports (day Date, id FixedString(32), schema UInt16, \
                 extension String, browser Enum8('firefox' = 1, 'chrome' = 2), counts Array(UInt16)) \
                 ENGINE = MergeTree() PARTITION BY day ORDER BY (day, id)";
    assert_eq!(sql(dense).status, 200);
    let Err(e) = ClickHouseStore::open(&server.url(), "dense") else {
        panic!("a dense reports table was taken")
    };
    assert!(
        matches!(
            e,
            StoreError::ClickHouse(ClickHouseError::OtherLayout { .. })
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains(
            "dense.reports has the columns (day, id, schema, extension, browser, counts)"
        ) && text.contains("--clickhouse-db"),
        "{text}"
    );

    // A server that is gone.
    server.kill();
    let e = store
        .insert(&[store_report(Day(20000), 5, &[])])
        .unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::ClickHouse(ClickHouseError::Unreachable { .. })
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains(&server.url()), "{e}");
}

#[test]
fn a_database_made_before_schema_2_gets_its_reports_per_schema_at_open() {
    let server = ClickHouse::start("clickhouse-upgrade");
    let sql = |q: &str| {
        let raw = format!(
            "POST / HTTP/1.1\r\nHost: ch\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{q}",
            q.len()
        );
        request(
            format!("127.0.0.1:{}", server.port).parse().unwrap(),
            raw.as_bytes(),
        )
    };
    // Schema-1 reports stored; then the rollup schema 2 added taken away,
    // as a collector of schema 1 left the database.
    let store = ClickHouseStore::open(&server.url(), "old").unwrap();
    let old: Vec<Report> = (0..5)
        .map(|n| {
            store_report_of(
                1,
                Day(20000 + (n % 2) as u32),
                n,
                &[(0, 1), (REPORT_1_LEN - 1, 2)],
            )
        })
        .collect();
    assert!(store
        .insert(&old)
        .unwrap()
        .iter()
        .all(|o| *o == Inserted::Stored));
    drop(store);
    assert_eq!(sql("DROP TABLE old.day_schemas_mv").status, 200);
    assert_eq!(sql("DROP TABLE old.day_schemas").status, 200);

    let store = ClickHouseStore::open(&server.url(), "old").unwrap();
    let days = store.aggregates(Day(20000), Day(20001)).unwrap();
    let schemas: Vec<_> = days.iter().map(|d| d.schemas.clone()).collect();
    assert_eq!(
        schemas,
        [BTreeMap::from([(1, 3)]), BTreeMap::from([(1, 2)])]
    );
    // New reports of both schemas add on, in the same cells.
    let new = [
        store_report_of(2, Day(20000), 10, &[(0, 1), (REPORT_1_LEN, 4)]),
        store_report_of(1, Day(20000), 11, &[(0, 1)]),
    ];
    assert!(store
        .insert(&new)
        .unwrap()
        .iter()
        .all(|o| *o == Inserted::Stored));
    // Opened again with its view in place: nothing is counted twice.
    let store = ClickHouseStore::open(&server.url(), "old").unwrap();
    let day = &store.aggregates(Day(20000), Day(20000)).unwrap()[0];
    assert_eq!(
        (day.reports, day.schemas.clone()),
        (5, BTreeMap::from([(1, 4), (2, 1)]))
    );
    assert_eq!((day.cells[0].sum, day.cells[0].contributors), (5, 5));
    assert_eq!(day.cells[REPORT_1_LEN - 1].sum, 6);
    assert_eq!(
        (
            day.cells[REPORT_1_LEN].sum,
            day.cells[REPORT_1_LEN].contributors
        ),
        (4, 1)
    );
    // An open that stopped after making the table and before its view:
    // the table is made anew and filled again, not added to.
    assert_eq!(sql("DROP TABLE old.day_schemas_mv").status, 200);
    let store = ClickHouseStore::open(&server.url(), "old").unwrap();
    let day = &store.aggregates(Day(20000), Day(20000)).unwrap()[0];
    assert_eq!(day.schemas, BTreeMap::from([(1, 4), (2, 1)]));
}
