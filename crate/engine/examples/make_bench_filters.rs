//! Builds the CRLite filter set the benchmark loads and queries, into
//! `target/bench/crlite/` (or the folder given): a full filter of at least
//! 5 MB and 30 deltas, each written under its SHA-256 as the extension
//! stores them (`filters/<hash>`), their `index.json` (the engine's
//! `StoredIndex`), and `queries.json`, a mix of keys with the answer each
//! should get.
//!
//! `cargo run --release -p revoscope --example make_bench_filters [-- DIR] [--force]`
//!
//! The shape (fixed, seeded; `manifest.json` records it and what came out):
//! - 300 enrolled issuers whose certificate counts fall off as 1/rank
//!   (the largest holds 16 % of the universe, the smallest 0.05 %), 100
//!   million certificates in all; 4-12 % of each issuer's revoked (seeded),
//!   8.2 million in all. Mozilla's own numbers (clubcard's documentation):
//!   12.2 million revoked among 801 million, 8.5 MB. A smaller universe
//!   with a larger revoked share gives a filter of the same order (V4,
//!   5.6 MB) in minutes on two cores: the build takes about 5 minutes,
//!   mostly the deltas, each of which has to hash every certificate of the
//!   issuers it touches.
//! - 30 deltas, 6 hours apart, each revoking 2,000-4,000 certificates not
//!   revoked before, drawn across issuers by size (so most deltas touch
//!   most large issuers, as real ones do). A delta's universe is what was
//!   not revoked yet, so it answers "not revoked" exactly, as a full does.
//!   Each is 22-26 KB, mostly its index (an entry for every issuer).
//! - 12 CT logs covered from 400 days before the full filter to an hour
//!   before each filter's time.
//!
//! Mozilla's clubcard builder is used as in `tests/support/crlite.rs`
//! (approximate ribbon over the revoked serials, exact ribbon over
//! everything the approximate one lets through), but the not-revoked serials
//! are generated and offered one at a time rather than held in a
//! `Vec<Vec<u8>>` (100 million of them would take ~8 GB); the exact
//! builder keeps only those the approximate filter lets through. Issuers
//! are built on every core.
//!
//! The builder seeds its own hashing at random, so the bytes differ per
//! build; the answers do not. When the folder already holds a build of this
//! shape, nothing is done (`--force` rebuilds).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use base64::Engine as _;
use clubcard::builder::{ApproximateRibbon, ClubcardBuilder, ExactRibbon};
use clubcard_crlite::builder::CRLiteBuilderItem;
use clubcard_crlite::{CRLiteClubcard, CRLiteCoverage, CRLiteQuery, Encoding, IssuerSpkiHash};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

// --- The shape. Change SHAPE when anything below changes: it keys the cache.
const SHAPE: &str =
    "v1: 300 issuers 1/rank, 100M certificates, 4-12% revoked; 30 deltas of 2000-4000; 12 logs";
const ISSUERS: usize = 300;
const UNIVERSE: u64 = 100_000_000;
const REVOKED_PERCENT: (u64, u64) = (4, 12);
const DELTAS: usize = 30;
const DELTA_REVOKED: (u64, u64) = (2_000, 4_000);
const LOGS: usize = 12;
const QUERIES: usize = 10_000;
/// The full filter's effective time: 2026-11-20T00:00:00Z.
const FULL_MS: u64 = 1_795_132_800_000;
const DELTA_EVERY_MS: u64 = 6 * 3_600_000;
const DAY_MS: u64 = 86_400_000;

/// splitmix64: the seeded generator, and a bijection used to make serials.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        mix(self.0)
    }
    /// Uniform in [lo, hi].
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Serial number `k` of issuer `i`: 16 content octets, positive, distinct
/// across (i, k) (the first 8 bytes are a bijection of (i, k), less the
/// sign bit).
fn serial(i: usize, k: u64) -> Vec<u8> {
    let tag = ((i as u64) << 40) | k;
    let mut s = Vec::with_capacity(16);
    s.extend_from_slice(&mix(tag).to_be_bytes());
    s.extend_from_slice(&mix(tag ^ 0x5555_5555_5555_5555).to_be_bytes());
    // Positive and minimal: 0x01-0x7f first.
    s[0] = 1 + s[0] % 0x7f;
    s
}

fn issuer_hash(i: usize) -> [u8; 32] {
    Sha256::digest(format!("revoscope bench issuer {i}").as_bytes()).into()
}

fn log_id(n: usize) -> [u8; 32] {
    Sha256::digest(format!("revoscope bench CT log {n}").as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One issuer's certificates: serials [0, universe); [0, revoked_full) are
/// revoked in the full filter, then each delta revokes the next ones.
struct IssuerShape {
    hash: [u8; 32],
    universe: u64,
    revoked_full: u64,
    /// Per delta: the [start, end) revoked by it.
    deltas: Vec<(u64, u64)>,
}

impl IssuerShape {
    /// First serial not revoked after `filters` filters (0: the full).
    fn revoked_through(&self, filter: usize) -> u64 {
        if filter == 0 {
            self.revoked_full
        } else {
            self.deltas[filter - 1].1
        }
    }
}

fn shape() -> Vec<IssuerShape> {
    let mut rng = Rng(0x0c71_17e5);
    let harmonic: f64 = (1..=ISSUERS).map(|r| 1.0 / r as f64).sum();
    let mut issuers: Vec<IssuerShape> = (0..ISSUERS)
        .map(|i| {
            let universe = ((UNIVERSE as f64) / harmonic / (i + 1) as f64) as u64;
            let percent = rng.range(REVOKED_PERCENT.0 * 100, REVOKED_PERCENT.1 * 100);
            IssuerShape {
                hash: issuer_hash(i),
                universe,
                revoked_full: universe * percent / 10_000,
                deltas: Vec::with_capacity(DELTAS),
            }
        })
        .collect();
    // Deltas: each revocation goes to an issuer drawn by universe size.
    let total: u64 = issuers.iter().map(|s| s.universe).sum();
    let mut next: Vec<u64> = issuers.iter().map(|s| s.revoked_full).collect();
    for _ in 0..DELTAS {
        let n = rng.range(DELTA_REVOKED.0, DELTA_REVOKED.1);
        let mut counts = vec![0u64; ISSUERS];
        for _ in 0..n {
            let mut pick = rng.next() % total;
            let i = issuers
                .iter()
                .position(|s| {
                    if pick < s.universe {
                        true
                    } else {
                        pick -= s.universe;
                        false
                    }
                })
                .expect("pick < total");
            counts[i] += 1;
        }
        for (i, issuer) in issuers.iter_mut().enumerate() {
            issuer.deltas.push((next[i], next[i] + counts[i]));
            next[i] += counts[i];
        }
    }
    issuers
}

/// The coverage through clubcard-crlite's one public constructor, Mozilla's
/// ct-logs.json (as tests/support/crlite.rs does).
fn coverage(high_ms: u64) -> CRLiteCoverage {
    let entries: Vec<String> = (0..LOGS)
        .map(|n| {
            format!(
                r#"{{"LogID":"{}","MinTimestamp":{},"MaxTimestamp":{},"MMD":0,"MinEntry":0}}"#,
                base64::engine::general_purpose::STANDARD.encode(log_id(n)),
                FULL_MS - 400 * DAY_MS,
                high_ms
            )
        })
        .collect();
    CRLiteCoverage::from_mozilla_ct_logs_json(format!("[{}]", entries.join(",")).as_bytes())
}

/// Filter `filter` (0: the full, d: delta d): for each issuer, revoked =
/// what this filter revokes, universe = what was not revoked before it.
fn build_filter(issuers: &[IssuerShape], filter: usize, high_ms: u64) -> Vec<u8> {
    // (first serial in this filter's universe, revoked range) per issuer.
    let span = |s: &IssuerShape| -> (u64, u64, u64) {
        if filter == 0 {
            (0, 0, s.revoked_full)
        } else {
            let (a, b) = s.deltas[filter - 1];
            (a, a, b)
        }
    };
    let mut builder = ClubcardBuilder::new();
    let approx = issuers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (first, lo, hi) = span(s);
            let hash = IssuerSpkiHash(s.hash);
            let mut ribbon = builder.new_approx_builder(&s.hash);
            for k in lo..hi {
                ribbon.insert(CRLiteBuilderItem::revoked(hash, serial(i, k)));
            }
            ribbon.set_universe_size((s.universe - first) as usize);
            ApproximateRibbon::from(ribbon)
        })
        .collect();
    builder.collect_approx_ribbons(approx);

    // Exact ribbons, largest issuers first, on every core.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, ExactRibbon<4, CRLiteBuilderItem>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(s) = issuers.get(i) else { break };
                let (first, lo, hi) = span(s);
                let hash = IssuerSpkiHash(s.hash);
                let mut ribbon = builder.new_exact_builder(&s.hash);
                for k in lo..hi {
                    ribbon.insert(CRLiteBuilderItem::revoked(hash, serial(i, k)));
                }
                // No revocation here: the block is empty, and the exact
                // builder would let nothing through.
                if hi > lo {
                    for k in (first..lo).chain(hi..s.universe) {
                        ribbon.insert(CRLiteBuilderItem::not_revoked(hash, serial(i, k)));
                    }
                }
                let exact = ExactRibbon::from(ribbon);
                done.lock().expect("no thread panicked").push((i, exact));
            });
        }
    });
    let mut exact = done.into_inner().expect("no thread panicked");
    exact.sort_by_key(|(i, _)| *i);
    builder.collect_exact_ribbons(exact.into_iter().map(|(_, r)| r).collect());
    let clubcard = builder.build::<CRLiteQuery>(coverage(high_ms), ());
    CRLiteClubcard::from(clubcard)
        .to_bytes(Encoding::V4)
        .expect("a built clubcard encodes")
}

/// The query set: mostly certificates not revoked (as on the web), some
/// revoked in the full filter or in a delta, some from issuers not
/// enrolled, some whose SCTs no filter covers. Each carries two SCTs, as
/// most certificates do.
fn queries(issuers: &[IssuerShape]) -> Vec<Value> {
    let mut rng = Rng(0x9e3f_17e5);
    let total: u64 = issuers.iter().map(|s| s.universe).sum();
    let pick_issuer = |rng: &mut Rng| {
        let mut pick = rng.next() % total;
        issuers
            .iter()
            .position(|s| {
                if pick < s.universe {
                    true
                } else {
                    pick -= s.universe;
                    false
                }
            })
            .expect("pick < total")
    };
    let covered_ts = |rng: &mut Rng| FULL_MS - rng.range(1, 390) * DAY_MS;
    let mut out = Vec::with_capacity(QUERIES);
    for q in 0..QUERIES {
        let roll = rng.next() % 100;
        let (class, expect) = match roll {
            0..=79 => ("good", "not_revoked"),
            80..=84 => ("revoked_full", "revoked_in_filter"),
            85..=89 => ("revoked_delta", "revoked_in_filter"),
            90..=94 => ("not_enrolled", "not_enrolled"),
            _ => ("not_covered", "not_covered"),
        };
        let i = pick_issuer(&mut rng);
        let s = &issuers[i];
        let newest = s.revoked_through(DELTAS);
        let (issuer, k) = match class {
            "good" | "not_covered" => (s.hash, rng.range(newest, s.universe - 1)),
            "revoked_full" => (s.hash, rng.range(0, s.revoked_full - 1)),
            "revoked_delta" => {
                // A delta that revoked something of this issuer.
                let with: Vec<(u64, u64)> =
                    s.deltas.iter().copied().filter(|(a, b)| b > a).collect();
                if with.is_empty() {
                    (s.hash, rng.range(0, s.revoked_full - 1))
                } else {
                    let (a, b) = with[(rng.next() % with.len() as u64) as usize];
                    (s.hash, rng.range(a, b - 1))
                }
            }
            _ => (issuer_hash(ISSUERS + q), rng.next() % 1_000_000),
        };
        let scts: Vec<Value> = if class == "not_covered" {
            // A log no filter covers, and a covered log after coverage ends.
            vec![
                json!([hex(&log_id(LOGS + 1)), covered_ts(&mut rng)]),
                json!([hex(&log_id(0)), FULL_MS + 400 * DAY_MS]),
            ]
        } else {
            let a = (rng.next() % LOGS as u64) as usize;
            let b = (a + 1 + (rng.next() % (LOGS as u64 - 1)) as usize) % LOGS;
            let ts = covered_ts(&mut rng);
            vec![json!([hex(&log_id(a)), ts]), json!([hex(&log_id(b)), ts])]
        };
        out.push(json!({
            "class": class,
            "issuer": hex(&issuer),
            "serial": hex(&serial(i, k)),
            "scts": scts,
            "expect": expect,
        }));
    }
    out
}

fn main() -> std::io::Result<()> {
    let mut dir = None;
    let mut force = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--force" => force = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench/crlite"));
    std::fs::create_dir_all(&dir)?;
    let dir = dir.canonicalize()?;
    let manifest_path = dir.join("manifest.json");
    if !force {
        if let Ok(text) = std::fs::read_to_string(&manifest_path) {
            let manifest: Value = serde_json::from_str(&text).unwrap_or_default();
            if manifest["shape"] == SHAPE && dir.join("index.json").exists() {
                println!(
                    "CRLite bench filters already built in {} (--force rebuilds)",
                    dir.display()
                );
                return Ok(());
            }
        }
    }
    let started = Instant::now();
    let issuers = shape();
    let files = dir.join("filters");
    let _ = std::fs::remove_dir_all(&files);
    std::fs::create_dir_all(&files)?;
    let _ = std::fs::remove_file(&manifest_path);

    let mut stored = Vec::new();
    let mut sizes = Vec::new();
    let mut parent: Option<String> = None;
    for filter in 0..=DELTAS {
        let effective_ms = FULL_MS + filter as u64 * DELTA_EVERY_MS;
        let t0 = Instant::now();
        let bytes = build_filter(&issuers, filter, effective_ms - 3_600_000);
        let id = if filter == 0 {
            "bench-full".to_owned()
        } else {
            format!("bench-delta-{filter:02}")
        };
        let hash = hex(&Sha256::digest(&bytes));
        std::fs::write(files.join(&hash), &bytes)?;
        eprintln!(
            "{id}: {} bytes in {:.1} s",
            bytes.len(),
            t0.elapsed().as_secs_f64()
        );
        let mut meta = json!({
            "id": id,
            "kind": if filter == 0 { "full" } else { "delta" },
            "effective_ms": effective_ms,
        });
        if let Some(parent) = &parent {
            meta["parent"] = json!(parent);
        }
        stored.push(json!({ "meta": meta, "hash": hash, "size": bytes.len() }));
        sizes.push(bytes.len());
        parent = Some(id);
    }
    let installed_at_ms = FULL_MS + DELTAS as u64 * DELTA_EVERY_MS + 60_000;
    let index = json!({
        "version": 1,
        "channel": "default",
        "installed_at_ms": installed_at_ms,
        "filters": stored,
    });
    std::fs::write(dir.join("index.json"), serde_json::to_string(&index)?)?;
    let queries = queries(&issuers);
    let mut classes: HashMap<&str, usize> = HashMap::new();
    for q in &queries {
        *classes
            .entry(q["class"].as_str().unwrap_or("?"))
            .or_default() += 1;
    }
    std::fs::write(dir.join("queries.json"), serde_json::to_string(&queries)?)?;

    let universe: u64 = issuers.iter().map(|s| s.universe).sum();
    let revoked_full: u64 = issuers.iter().map(|s| s.revoked_full).sum();
    let delta_revoked: Vec<u64> = (0..DELTAS)
        .map(|d| issuers.iter().map(|s| s.deltas[d].1 - s.deltas[d].0).sum())
        .collect();
    let manifest = json!({
        "shape": SHAPE,
        "issuers": ISSUERS,
        "universe": universe,
        "revoked_full": revoked_full,
        "deltas": DELTAS,
        "delta_revoked": delta_revoked,
        "logs": LOGS,
        "full_bytes": sizes[0],
        "delta_bytes": &sizes[1..],
        "total_bytes": sizes.iter().sum::<usize>(),
        "queries": classes,
        "now_ms": installed_at_ms + 3_600_000,
        "build_secs": started.elapsed().as_secs_f64(),
    });
    std::fs::write(
        &manifest_path,
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    println!(
        "wrote the CRLite bench filters to {}: full {} bytes, {} deltas {} bytes in all, {:.0} s",
        dir.display(),
        sizes[0],
        DELTAS,
        sizes[1..].iter().sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
