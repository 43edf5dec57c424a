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
