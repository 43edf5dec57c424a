//! Builds CRLite filters with Mozilla's clubcard builder, for the tests, the
//! demo's filter set and the benchmark. The builder seeds its hashing at
//! random, so the bytes differ per run; what a filter answers does not.

#![allow(dead_code)]

use base64::Engine as _;
use clubcard::builder::{ApproximateRibbon, ClubcardBuilder, ExactRibbon};
use clubcard_crlite::builder::CRLiteBuilderItem;
use clubcard_crlite::{CRLiteClubcard, CRLiteCoverage, CRLiteQuery, Encoding, IssuerSpkiHash};

/// One CT log's covered interval, in milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct LogCoverage {
    pub log_id: [u8; 32],
    pub low_ms: u64,
    pub high_ms: u64,
}

/// One enrolled issuer: its SPKI's SHA-256, the serials (content octets)
/// revoked, and those known not revoked.
#[derive(Clone, Debug, Default)]
pub struct Issuer {
    pub spki_sha256: [u8; 32],
    pub revoked: Vec<Vec<u8>>,
    pub good: Vec<Vec<u8>>,
}

/// The encodings Mozilla publishes: V3 (bincode) and V4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

/// A filter over `issuers`, covering `logs`.
pub fn build(logs: &[LogCoverage], issuers: &[Issuer], version: Version) -> Vec<u8> {
    let mut builder = ClubcardBuilder::new();
    let approx = issuers
        .iter()
        .map(|issuer| {
            let mut ribbon = builder.new_approx_builder(&issuer.spki_sha256);
            for serial in &issuer.revoked {
                ribbon.insert(CRLiteBuilderItem::revoked(
                    IssuerSpkiHash(issuer.spki_sha256),
                    serial.clone(),
                ));
            }
            ribbon.set_universe_size(issuer.revoked.len() + issuer.good.len());
            ApproximateRibbon::from(ribbon)
        })
        .collect();
    builder.collect_approx_ribbons(approx);
    let exact = issuers
        .iter()
        .map(|issuer| {
            let mut ribbon = builder.new_exact_builder(&issuer.spki_sha256);
            let hash = IssuerSpkiHash(issuer.spki_sha256);
            for serial in &issuer.revoked {
                ribbon.insert(CRLiteBuilderItem::revoked(hash, serial.clone()));
            }
            for serial in &issuer.good {
                ribbon.insert(CRLiteBuilderItem::not_revoked(hash, serial.clone()));
            }
            ExactRibbon::from(ribbon)
        })
        .collect();
    builder.collect_exact_ribbons(exact);
    let clubcard = builder.build::<CRLiteQuery>(coverage(logs), ());
    let encoding = match version {
        Version::V3 => Encoding::V3,
        Version::V4 => Encoding::V4,
    };
    CRLiteClubcard::from(clubcard)
        .to_bytes(encoding)
        .expect("a built clubcard encodes")
}

/// The coverage through the one public constructor clubcard-crlite has:
/// Mozilla's ct-logs.json, with MinEntry 0 and no MMD so the interval is
/// exactly [low, high].
fn coverage(logs: &[LogCoverage]) -> CRLiteCoverage {
    let entries: Vec<String> = logs
        .iter()
        .map(|log| {
            format!(
                r#"{{"LogID":"{}","MinTimestamp":{},"MaxTimestamp":{},"MMD":0,"MinEntry":0}}"#,
                base64::engine::general_purpose::STANDARD.encode(log.log_id),
                log.low_ms,
                log.high_ms
            )
        })
        .collect();
    CRLiteCoverage::from_mozilla_ct_logs_json(format!("[{}]", entries.join(",")).as_bytes())
}

/// One filter of a set to publish: what it holds and what its record says.
#[derive(Clone, Debug)]
pub struct FilterSpec {
    pub id: String,
    /// A delta (`incremental: true`) or a full filter.
    pub delta: bool,
    pub effective_ms: u64,
    /// A delta's `parent`.
    pub parent: Option<String>,
    /// `None` writes no `channel` field (the client reads "default").
    pub channel: Option<String>,
    pub logs: Vec<LogCoverage>,
    pub issuers: Vec<Issuer>,
    pub version: Version,
}

/// Where Mozilla's records put attachments, under the server's base URL.
pub const LOCATION_PREFIX: &str = "security-state-staging/cert-revocations/";

/// A filter written to disk and the record that names it.
#[derive(Clone, Debug)]
pub struct Written {
    pub id: String,
    pub filename: String,
    pub sha256_hex: String,
    pub size: usize,
    pub record: serde_json::Value,
}

/// The cert-revocations record of a filter file, as mozilla/crlite's
/// publisher shapes it.
pub fn record(spec: &FilterSpec, filename: &str, bytes: &[u8]) -> serde_json::Value {
    use sha2::Digest as _;
    let when = revoscope::UnixTime::from_millis(spec.effective_ms);
    let mut record = serde_json::json!({
        "id": spec.id,
        "incremental": spec.delta,
        "effectiveTimestamp": spec.effective_ms,
        "details": {"name": format!("{when}-{}", if spec.delta { "diff" } else { "full" })},
        "attachment": {
            "hash": revoscope::hex::encode(&sha2::Sha256::digest(bytes)),
            "size": bytes.len(),
            "filename": filename,
            "location": format!("{LOCATION_PREFIX}{filename}"),
            "mimetype": "application/octet-stream",
        },
    });
    if let Some(parent) = &spec.parent {
        record["parent"] = parent.as_str().into();
    }
    if let Some(channel) = &spec.channel {
        record["channel"] = channel.as_str().into();
    }
    record
}

/// Builds each filter, writes it to `dir/<id>.filter`, and writes
/// `dir/records.json` (`{"data": [...], "timestamp": N}`, the timestamp
/// only when given) for the Remote Settings stand-in to serve.
pub fn write_set(
    dir: &std::path::Path,
    filters: &[FilterSpec],
    timestamp: Option<u64>,
) -> std::io::Result<Vec<Written>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(filters.len());
    for spec in filters {
        let bytes = build(&spec.logs, &spec.issuers, spec.version);
        written.push(write_filter(dir, spec, &bytes)?);
    }
    write_records(dir, &written, timestamp)?;
    Ok(written)
}

/// Writes one filter's bytes as `dir/<id>.filter`.
pub fn write_filter(
    dir: &std::path::Path,
    spec: &FilterSpec,
    bytes: &[u8],
) -> std::io::Result<Written> {
    let filename = format!("{}.filter", spec.id);
    std::fs::write(dir.join(&filename), bytes)?;
    let record = record(spec, &filename, bytes);
    Ok(Written {
        id: spec.id.clone(),
        sha256_hex: record["attachment"]["hash"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        filename,
        size: bytes.len(),
        record,
    })
}

/// `dir/records.json` naming `written`, through a rename so that a server
/// reading it never sees half a file.
pub fn write_records(
    dir: &std::path::Path,
    written: &[Written],
    timestamp: Option<u64>,
) -> std::io::Result<()> {
    let mut records = serde_json::json!({
        "data": written.iter().map(|w| w.record.clone()).collect::<Vec<_>>(),
    });
    if let Some(timestamp) = timestamp {
        records["timestamp"] = timestamp.into();
    }
    let tmp = dir.join("records.json.tmp");
    std::fs::write(&tmp, format!("{records:#}\n"))?;
    std::fs::rename(tmp, dir.join("records.json"))
}
