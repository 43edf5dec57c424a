//! Writes a CRLite filter set for the Remote Settings stand-in
//! (`scripts/remote-settings/server.mjs --crlite-dir OUTDIR`): one clubcard
//! file per filter, built with Mozilla's clubcard builder, and the
//! cert-revocations records naming them (`records.json`).
//!
//! ```text
//! cargo run -q -p revoscope --example make_crlite_filters -- SPEC.json OUTDIR
//! ```
//!
//! The spec (paths are relative to the spec file):
//!
//! ```json
//! { "logs": [{"log_id": "<64 hex>", "from_ms": 1, "to_ms": 2}],
//!   "version": "v4",
//!   "timestamp": 1795000000000,
//!   "filters": [
//!     {"id": "full-1", "kind": "full", "effective_ms": 1795000000000,
//!      "issuers": [{"issuer": "int.pem", "revoked": ["a.pem"], "good": ["b.pem"],
//!                   "revoked_serials": ["0a1b"], "good_serials": []}]},
//!     {"id": "delta-1", "kind": "delta", "effective_ms": 1795003600000, "issuers": [...]}
//!   ] }
//! ```
//!
//! A delta's `parent` defaults to the filter before it; `channel` is left
//! out unless given (clients read "default"); `version` ("v3" or "v4", V4
//! by default) may also be set per filter; `timestamp` fixes the
//! collection's timestamp (without it the stand-in stamps the time it reads
//! the file). An issuer is a certificate file, or `"spki_sha256": "<hex>"`.
//! The builder seeds its hashing at random: two runs write different bytes
//! that answer the same.

#[path = "../tests/support/crlite.rs"]
mod crlite;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crlite::{FilterSpec, Issuer, LogCoverage, Version};
use revoscope::Cert;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    logs: Vec<LogJson>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    timestamp: Option<u64>,
    filters: Vec<FilterJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogJson {
    log_id: String,
    from_ms: u64,
    to_ms: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterJson {
    id: String,
    kind: String,
    effective_ms: u64,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    version: Option<String>,
    issuers: Vec<IssuerJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerJson {
    #[serde(default)]
    issuer: Option<PathBuf>,
    #[serde(default)]
    spki_sha256: Option<String>,
    #[serde(default)]
    revoked: Vec<PathBuf>,
    #[serde(default)]
    good: Vec<PathBuf>,
    #[serde(default)]
    revoked_serials: Vec<String>,
    #[serde(default)]
    good_serials: Vec<String>,
}

/// Every failure, as one sentence for stderr.
type Result<T> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        eprintln!("usage: make_crlite_filters SPEC.json OUTDIR");
        std::process::exit(2);
    };
    match run(Path::new(spec), Path::new(out)) {
        Ok(count) => println!("wrote {count} CRLite filters and records.json to {out}"),
        Err(why) => {
            eprintln!("make_crlite_filters: {why}");
            std::process::exit(1);
        }
    }
}

fn run(spec_path: &Path, out: &Path) -> Result<usize> {
    let text = std::fs::read(spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: Spec =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let base = spec_path.parent().unwrap_or(Path::new("."));
    let logs = spec
        .logs
        .iter()
        .map(|log| {
            let log_id = hex32(&log.log_id)
                .ok_or_else(|| format!("log_id {:?} is not 64 hex digits", log.log_id))?;
            if log.from_ms > log.to_ms {
                return Err(format!("log {}: from_ms is after to_ms", log.log_id));
            }
            Ok(LogCoverage {
                log_id,
                low_ms: log.from_ms,
                high_ms: log.to_ms,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let default_version = version(spec.version.as_deref())?;

    let mut filters: Vec<FilterSpec> = Vec::with_capacity(spec.filters.len());
    for filter in &spec.filters {
        // The id names the file: keep it to characters every file system takes.
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if filter.id.is_empty() || filter.id.starts_with('.') || !filter.id.chars().all(plain) {
            return Err(format!(
                "filter id {:?}: use letters, digits, '-', '_' and '.'",
                filter.id
            ));
        }
        let delta = match filter.kind.as_str() {
            "full" => false,
            "delta" => true,
            other => {
                return Err(format!(
                    "filter {}: kind {other:?}, not \"full\" or \"delta\"",
                    filter.id
                ))
            }
        };
        let parent = match (&filter.parent, delta, filters.last()) {
            (Some(parent), _, _) => Some(parent.clone()),
            (None, true, Some(previous)) => Some(previous.id.clone()),
            (None, true, None) => {
                return Err(format!(
                    "delta {}: no parent given and no filter before it",
                    filter.id
                ))
            }
            (None, false, _) => None,
        };
        let issuers = filter
            .issuers
            .iter()
            .map(|issuer| read_issuer(base, issuer))
            .collect::<Result<Vec<_>>>()
            .map_err(|why| format!("filter {}: {why}", filter.id))?;
        filters.push(FilterSpec {
            id: filter.id.clone(),
            delta,
            effective_ms: filter.effective_ms,
            parent,
            channel: filter.channel.clone(),
            logs: logs.clone(),
            issuers,
            version: match &filter.version {
                Some(v) => version(Some(v))?,
                None => default_version,
            },
        });
    }
    crlite::write_set(out, &filters, spec.timestamp)
        .map_err(|e| format!("writing to {}: {e}", out.display()))?;
    Ok(filters.len())
}

fn version(text: Option<&str>) -> Result<Version> {
    match text {
        None | Some("v4") => Ok(Version::V4),
        Some("v3") => Ok(Version::V3),
        Some(other) => Err(format!("version {other:?}: give \"v3\" or \"v4\"")),
    }
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    revoscope::hex::decode(text).and_then(|bytes| bytes.try_into().ok())
}

/// The first certificate of a PEM or DER file.
fn cert(base: &Path, path: &Path) -> Result<Cert> {
    let path = base.join(path);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ders = revoscope::pem::read_certificates(&bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let der = ders
        .first()
        .ok_or_else(|| format!("{}: no certificate", path.display()))?;
    Cert::from_der(der).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_issuer(base: &Path, json: &IssuerJson) -> Result<Issuer> {
    let spki_sha256 = match (&json.issuer, &json.spki_sha256) {
        (Some(path), None) => *cert(base, path)?.spki.sha256(),
        (None, Some(hex)) => {
            hex32(hex).ok_or_else(|| format!("spki_sha256 {hex:?} is not 64 hex digits"))?
        }
        _ => return Err("give an issuer either as \"issuer\" (a file) or \"spki_sha256\"".into()),
    };
    let serials = |certs: &[PathBuf], hexes: &[String]| -> Result<Vec<Vec<u8>>> {
        let mut serials = Vec::with_capacity(certs.len() + hexes.len());
        for path in certs {
            serials.push(cert(base, path)?.serial);
        }
        for hex in hexes {
            serials.push(
                revoscope::hex::decode(hex)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| format!("serial {hex:?} is not hex"))?,
            );
        }
        Ok(serials)
    };
    Ok(Issuer {
        spki_sha256,
        revoked: serials(&json.revoked, &json.revoked_serials)?,
        good: serials(&json.good, &json.good_serials)?,
    })
}
