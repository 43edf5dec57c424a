//! The real binary on 127.0.0.1 with a temporary database, a small HTTP/1.1
//! client that sends exactly the bytes a test asks for, and reports built
//! by the engine.

// Each test file uses part of this.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use revoscope::telemetry::event::{CrlFetched, LiveRequest, Method};
use revoscope::telemetry::report::{Browser, Report, SCHEMA_1_SECTIONS, SECTIONS};
use revoscope::telemetry::{
    CrlAccess, CrlClass, Day, DayStats, HardFail, LiveClass, LiveUse, PageLoad, Path as LoadPath,
    RevocationInfo,
};
use revoscope::UnixTime;

/// A fresh directory under Cargo's `target/tmp`, named after this test
/// process; those of earlier processes that are gone are removed first.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static SWEEP: std::sync::Once = std::sync::Once::new();
    SWEEP.call_once(remove_dirs_of_gone_processes);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "collector-{}-{name}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn remove_dirs_of_gone_processes() {
    let Ok(entries) = std::fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix("collector-"))
            .and_then(|n| n.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// The collector as a child process; SIGKILLed when dropped.
pub struct Collector {
    child: Child,
    pub addr: SocketAddr,
    /// The SQLite file; empty on ClickHouse.
    pub db: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

impl Collector {
    /// Starts it on a new database with `args` (`--k`, ...) added.
    pub fn start(name: &str, args: &[&str]) -> Collector {
        Collector::start_on(&temp_dir(name).join("reports.sqlite"), args)
    }

    /// Starts it on `db` (kept from an earlier run, or new).
    pub fn start_on(db: &Path, args: &[&str]) -> Collector {
        Collector::spawn(&[OsStr::new("--db"), db.as_os_str()], db, args)
    }

    /// Starts it on the ClickHouse server at `url`, in `database`.
    pub fn start_on_clickhouse(url: &str, database: &str, args: &[&str]) -> Collector {
        let store = ["--clickhouse", url, "--clickhouse-db", database].map(OsStr::new);
        Collector::spawn(&store, Path::new(""), args)
    }

    /// `store` names the store (`db` is the SQLite file, empty for
    /// ClickHouse); waits until it listens.
    fn spawn(store: &[&OsStr], db: &Path, args: &[&str]) -> Collector {
        let mut child = Command::new(env!("CARGO_BIN_EXE_revoscope-collector"))
            .args(store)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the collector starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("revoscope-collector: listening on http://") {
                    let _ = addr_tx.send(addr.parse::<SocketAddr>().unwrap());
                }
                lines.lock().unwrap().push(line);
            }
        });
        // ClickHouse's tables are created at start: give it time.
        let addr = match addr_rx.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the collector did not start: {:?}",
                    log.lock().unwrap().join("\n")
                );
            }
        };
        Collector {
            child,
            addr,
            db: db.to_path_buf(),
            log,
        }
    }

    /// The log lines so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log has a line `pred` accepts (the log is read from
    /// the child's stderr by another thread, a little after the response).
    pub fn wait_for_log(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.wait_for_log_lines(|log| log.iter().any(|l| pred(l)))
    }

    /// Waits until `pred` accepts the whole log so far.
    pub fn wait_for_log_lines(&self, pred: impl Fn(&[String]) -> bool) -> bool {
        for _ in 0..200 {
            if pred(&self.log()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        false
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(mut self) -> PathBuf {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.db.clone()
    }

    /// SIGTERM, then the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..400 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the collector did not stop on SIGTERM");
    }

    pub fn request(&self, raw: &[u8]) -> Response {
        request(self.addr, raw)
    }

    pub fn get(&self, path: &str) -> Response {
        self.request(
            format!("GET {path} HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// A POST with `Content-Type: application/json` and the right length.
    pub fn post_report(&self, body: &str) -> Response {
        self.post("/v1/reports", Some("application/json"), body.as_bytes())
    }

    pub fn post(&self, path: &str, content_type: Option<&str>, body: &[u8]) -> Response {
        let mut raw = format!(
            "POST {path} HTTP/1.1\r\nHost: collector\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(t) = content_type {
            raw += &format!("Content-Type: {t}\r\n");
        }
        raw += "\r\n";
        let mut raw = raw.into_bytes();
        raw.extend_from_slice(body);
        self.request(&raw)
    }

    /// The aggregates of from..=to.
    pub fn aggregates(&self, from: Day, to: Day) -> serde_json::Value {
        let response = self.get(&format!("/v1/aggregates?from={from}&to={to}"));
        assert_eq!(response.status, 200, "{}", response.text());
        response.json()
    }

    /// The reports published for `day` (0 when the day is left out).
    pub fn published_reports(&self, day: Day) -> u64 {
        let body = self.aggregates(day, day);
        body["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["reports"].as_u64().unwrap())
            .sum()
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The `error` code of an error body (which must have a message too).
    pub fn error_code(&self) -> String {
        let body = self.json();
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "no message in {body}"
        );
        assert_eq!(
            body.as_object().unwrap().len(),
            2,
            "error bodies have error and message only: {body}"
        );
        body["error"].as_str().unwrap().to_string()
    }
}

/// Sends `raw` on a new connection and reads the response to its end (the
/// requests say `Connection: close`).
pub fn request(addr: SocketAddr, raw: &[u8]) -> Response {
    try_request(addr, raw).unwrap_or_else(|e| panic!("request to {addr} failed: {e}"))
}

pub fn try_request(addr: SocketAddr, raw: &[u8]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    // The server may answer (413) and close before it read everything.
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => {}
        // A reset after the response was sent, when the server closed with
        // unread bytes.
        Err(e) if !bytes.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => return Err(e),
    }
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> std::io::Result<Response> {
    let bad = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string());
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|_| bad("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// The server's today, as the tests see it (UTC).
pub fn today() -> Day {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Day::of(UnixTime(secs))
}

pub fn short_lived() -> PageLoad {
    PageLoad {
        path: LoadPath::ShortValidity,
        ca_paths: vec![LoadPath::OneCrl],
        live: LiveUse::NotNeeded,
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: None,
        crlite: None,
        revocation_info: None,
        crl: CrlAccess::NotUsed,
    }
}

pub fn asked_digicert() -> PageLoad {
    PageLoad {
        path: LoadPath::Ocsp,
        ca_paths: vec![LoadPath::OneCrl],
        live: LiveUse::Asked(LiveRequest {
            host: "ocsp.digicert.com".into(),
            method: Method::Get,
            elapsed_ms: 40,
            class: LiveClass::Good,
        }),
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: Some(true),
        crlite: None,
        revocation_info: None,
        crl: CrlAccess::NotUsed,
    }
}

/// A report id from a number: 16 bytes, distinct per `n`.
pub fn id(n: u64) -> [u8; 16] {
    let mut id = [0x5a; 16];
    id[8..].copy_from_slice(&n.to_be_bytes());
    id
}

/// The engine's report of `day` with these page loads.
pub fn report_with(day: Day, n: u64, loads: &[PageLoad]) -> Report {
    let mut stats = DayStats::new(day);
    for load in loads {
        stats.record(load);
    }
    Report::of_day(&stats, id(n), "0.1.0", Browser::Firefox)
        .unwrap()
        .expect("enough pages for a report")
}

/// Ten short-lived pages on `day`.
pub fn report(day: Day, n: u64) -> Report {
    report_with(day, n, &vec![short_lived(); 10])
}

/// The JSON of `report`, edited.
pub fn edited(report: &Report, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    edit(&mut value);
    value.to_string()
}

/// The JSON of `report` as an extension of schema 1 sent it: schema 1,
/// without the sections schema 2 added.
pub fn as_schema_1(report: &Report) -> String {
    edited(report, |v| {
        v["schema"] = 1.into();
        let counts = v["counts"].as_object_mut().unwrap();
        for section in &SECTIONS[SCHEMA_1_SECTIONS..] {
            counts.remove(section.name).expect("a schema-2 section");
        }
    })
}

/// A page whose leaf names a CRL only, decided by it, its list fetched
/// from `host`.
pub fn crl_fetched(host: &str, class: CrlClass) -> PageLoad {
    PageLoad {
        path: LoadPath::Crl,
        revocation_info: Some(RevocationInfo::CrlOnly),
        crl: CrlAccess::Fetched(CrlFetched {
            host: host.into(),
            class,
            elapsed_ms: 120,
            bytes: 2048,
        }),
        ..short_lived()
    }
}

/// The index of the cell `section.label` in the aggregates' `sections`.
pub fn cell_index(aggregates: &serde_json::Value, section: &str, label: &str) -> usize {
    aggregates["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == section)
        .unwrap_or_else(|| panic!("no section {section}"))["labels"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l == label)
        .unwrap_or_else(|| panic!("no label {label} in {section}"))
}
