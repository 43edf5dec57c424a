//! Load for the collector's benchmark: posts `--reports` unique reports
//! (built before the clock starts) over `--connections` keep-alive
//! connections, each sending its next report when the last was answered,
//! on one thread; then prints one JSON line: the rate, the statuses and
//! the latency percentiles.
//!
//!   load --url http://127.0.0.1:8787 [--connections 256] [--reports 50000]
//!        [--seed 1] [--days 3]
//!
//! The reports are `support::reports::report(seed, 0..reports)` over the
//! last `--days` days (most for yesterday), so another process can write
//! the very same reports as a peer. Every answer must be 201: anything
//! else is counted and the exit status is 1.

#[path = "support/reports.rs"]
mod reports;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

struct Options {
    addr: SocketAddr,
    connections: usize,
    reports: u64,
    seed: u64,
    days: u32,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        addr: "127.0.0.1:8787".parse().unwrap(),
        connections: 256,
        reports: 50_000,
        seed: 1,
        days: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag} {value:?} is not usable");
        match flag.as_str() {
            "--url" => {
                let host = value.strip_prefix("http://").unwrap_or(&value);
                o.addr = host
                    .trim_end_matches('/')
                    .parse()
                    .map_err(|_| format!("--url {value:?}: give http://IP:PORT"))?;
            }
            "--connections" => o.connections = value.parse().map_err(bad)?,
            "--reports" => o.reports = value.parse().map_err(bad)?,
            "--seed" => o.seed = value.parse().map_err(bad)?,
            "--days" => o.days = value.parse().map_err(bad)?,
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if o.connections == 0 || o.days == 0 {
        return Err("--connections and --days are at least 1".into());
    }
    Ok(o)
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<u16, u64>,
    latencies_us: Vec<u32>,
    error: Option<String>,
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads one response (Content-Length framed, as the collector answers)
/// and returns its status. `buf` keeps bytes read past it.
async fn read_response(stream: &TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    let bad = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string());
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).map_err(|_| bad("head not UTF-8"))?;
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("no status"))?;
            let length: usize = head
                .split("\r\n")
                .filter_map(|l| l.split_once(':'))
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .ok_or_else(|| bad("no Content-Length"))?;
            let total = end + 4 + length;
            if buf.len() >= total {
                buf.drain(..total);
                return Ok(status);
            }
        }
        stream.readable().await?;
        match stream.try_read(&mut chunk) {
            Ok(0) => return Err(bad("connection closed")),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

async fn connection(
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    next: Arc<AtomicUsize>,
) -> Tally {
    let mut tally = Tally::default();
    let stream = match TcpStream::connect(addr).await {
        Ok(s) => s,
        Err(e) => {
            tally.error = Some(format!("connect: {e}"));
            return tally;
        }
    };
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(request) = requests.get(i) else {
            break;
        };
        let sent = Instant::now();
        let status = match write_all(&stream, request).await {
            Ok(()) => read_response(&stream, &mut buf).await,
            Err(e) => Err(e),
        };
        match status {
            Ok(status) => {
                *tally.statuses.entry(status).or_default() += 1;
                tally
                    .latencies_us
                    .push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
            }
            Err(e) => {
                tally.error = Some(format!("report {i}: {e}"));
                break;
            }
        }
    }
    tally
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let days = reports::recent_days(reports::today(), o.days);
    let requests: Vec<Vec<u8>> = (0..o.reports)
        .map(|n| {
            let body = reports::report(o.seed, n, &days).to_json();
            let mut r = format!(
                "POST /v1/reports HTTP/1.1\r\nHost: collector\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body.as_bytes());
            r
        })
        .collect();
    let bytes: usize = requests.iter().map(Vec::len).sum();
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let started = Instant::now();
    let tallies: Vec<Tally> = runtime.block_on(async {
        let tasks: Vec<_> = (0..o.connections)
            .map(|_| tokio::spawn(connection(o.addr, requests.clone(), next.clone())))
            .collect();
        let mut tallies = Vec::new();
        for task in tasks {
            tallies.push(task.await.expect("a connection task"));
        }
        tallies
    });
    let elapsed = started.elapsed();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut latencies: Vec<u32> = Vec::new();
    let mut errors = Vec::new();
    for t in tallies {
        for (s, n) in t.statuses {
            *statuses.entry(s).or_default() += n;
        }
        latencies.extend(t.latencies_us);
        errors.extend(t.error);
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map(|us| f64::from(*us) / 1000.0)
            .unwrap_or(0.0)
    };
    let answered: u64 = statuses.values().sum();
    let stored = statuses.get(&201).copied().unwrap_or(0);
    let line = serde_json::json!({
        "reports": o.reports,
        "connections": o.connections,
        "days": o.days,
        "request_bytes_mean": bytes as u64 / o.reports.max(1),
        "seconds": secs(elapsed),
        "stored": stored,
        "per_second": stored as f64 / secs(elapsed),
        "statuses": statuses.iter().map(|(s, n)| (s.to_string(), *n)).collect::<BTreeMap<_, _>>(),
        "latency_ms": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": pct(1.0)},
        "errors": errors.iter().take(5).collect::<Vec<_>>(),
    });
    println!("{line}");
    if stored != o.reports || answered != o.reports {
        eprintln!(
            "load: {stored} of {} reports stored ({statuses:?}; {} connection errors)",
            o.reports,
            errors.len()
        );
        std::process::exit(1);
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
