//! `revoscope crl`: one certificate judged against its issuer's CRL, in
//! full. What a user runs to see what a CA's list says and why it can or
//! cannot be used: where it came from, its metadata and scope, the
//! certificate's entry, and the engine's answer or the precise reason there
//! is none. Every check is the engine's (`revoscope::crl`); this module
//! fetches or reads the bytes and prints.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use revoscope::cert::CrlDistributionPoint;
use revoscope::crl::{
    self, CrlAnswer, CrlCache, CrlFetch, CrlList, CrlReasonCode, CrlReport, CrlSummary, Listed,
};
use revoscope::limits::MAX_CRL_LEN;
use revoscope::ocsp::exchange::Offline;
use revoscope::ocsp::FetchOutcome;
use revoscope::time::describe_duration;
use revoscope::verify::RustCrypto;
use revoscope::{Cert, Policy, UnixTime};
use serde::Serialize;

use super::args::{CrlArgs, CrlSource};
use super::{http, input, print, print_json, CliError, Exit};

/// The preset whose live timeout is `--timeout-ms`'s default: the one that
/// takes the CRL rung, so a list is given the time the ladder gives it.
const TIMEOUT_PRESET: &str = "inspector";

/// What one judgement found; the `--json` output.
#[derive(Serialize)]
struct Judged {
    /// The URL fetched, when the list came over HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The file read (`--crl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    /// The list's size: the body received, or the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<usize>,
    /// How long the fetch took.
    #[serde(skip_serializing_if = "Option::is_none")]
    elapsed_ms: Option<u32>,
    /// RFC 3339, as `inspect --json` gives it.
    evaluated_at: String,
    #[serde(skip)]
    at: UnixTime,
    certificate: Subject,
    /// The list, when it read and verified as the issuer's.
    #[serde(skip_serializing_if = "Option::is_none")]
    list: Option<ListJson>,
    /// The certificate's entry, when the list names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<Entry>,
    /// The list is the certificate's issuer's, so not finding the serial
    /// in it means "not listed".
    #[serde(skip)]
    looked_up: bool,
    /// `good`, `revoked` or `offline` (no usable answer).
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
}

/// The certificate judged.
#[derive(Serialize)]
struct Subject {
    subject: String,
    issuer: String,
    serial_hex: String,
    /// The distribution point the list was judged for: its URLs (empty:
    /// the certificate names none).
    distribution_point: Vec<String>,
}

#[derive(Serialize)]
struct ListJson {
    #[serde(flatten)]
    summary: CrlSummary,
    /// Whether the list's Issuing Distribution Point covers the
    /// certificate; null when the engine refused the list before asking
    /// (another issuer's, an indirect distribution point).
    covers_certificate: Option<bool>,
}

/// A CRL entry (RFC 5280 section 5.3), times in RFC 3339.
#[derive(Serialize)]
struct Entry {
    revocation_date: String,
    reason: Option<CrlReasonCode>,
    invalidity_date: Option<String>,
    /// certificateHold: revoked for now, and may be taken off hold.
    on_hold: bool,
}

#[derive(Serialize)]
struct ErrorJson {
    /// The class: CrlError::class() or Offline::class() (`stale`,
    /// `bad-signature`, `http-status`, `timeout`...).
    code: &'static str,
    detail: String,
}

/// Where the list came from, and what was read or received.
struct Origin {
    url: Option<String>,
    file: Option<String>,
    http_status: Option<u16>,
    bytes: Option<usize>,
    elapsed_ms: Option<u32>,
}

pub fn run(args: &CrlArgs) -> Result<Exit, CliError> {
    let cert = input::first_certificate("--cert", &args.cert)?;
    let issuer = input::first_certificate("--issuer", &args.issuer)?;
    let time = input::time(args.at.as_deref())?;
    let (origin, read) = match &args.source {
        CrlSource::File(path) => read_file(path, &issuer)?,
        CrlSource::Url(url) => fetch(url, args.timeout_ms, &issuer, time)?,
        CrlSource::DistributionPoint => {
            let Some((_, url)) = crl::point_to_fetch(&cert) else {
                return Err(CliError::input(format!(
                    "{} names no CRL distribution point over HTTP; give the list with --crl FILE \
                     or its URL with --url",
                    args.cert.display()
                )));
            };
            fetch(url, args.timeout_ms, &issuer, time)?
        }
    };
    // The certificate's point that names the URL fetched, or one that the
    // list's own scope names.
    let named: Vec<String> = match (&origin.url, &read) {
        (Some(url), _) => vec![url.clone()],
        (None, Ok(list)) => list.scope.urls.clone(),
        (None, Err(_)) => Vec::new(),
    };
    let point = point_for(&cert, &named);
    let (list, answer) = match read {
        Ok(list) => {
            let answer = crl::judge(&list, &cert, &issuer, &point, time);
            (Some(list), answer.map_err(|e| crl::invalid(&e)))
        }
        Err(offline) => (None, Err(offline)),
    };
    let (result, error) = match &answer {
        Ok(CrlAnswer::Good { .. }) => ("good", None),
        Ok(CrlAnswer::Revoked { .. }) => ("revoked", None),
        Err(offline) => (
            "offline",
            Some(ErrorJson {
                code: offline.class(),
                detail: offline.to_string(),
            }),
        ),
    };
    let judged = Judged {
        url: origin.url,
        file: origin.file,
        http_status: origin.http_status,
        bytes: origin.bytes,
        elapsed_ms: origin.elapsed_ms,
        evaluated_at: time.to_string(),
        at: time,
        certificate: Subject {
            subject: cert.subject.clone(),
            issuer: cert.issuer.clone(),
            serial_hex: cert.serial_hex(),
            distribution_point: point.urls.clone(),
        },
        entry: list.as_deref().and_then(|list| entry(list, &cert)),
        looked_up: list
            .as_ref()
            .is_some_and(|l| l.issuer_der == cert.issuer_der),
        list: list.as_deref().map(|list| ListJson {
            summary: CrlSummary::of(list),
            covers_certificate: covers(list, &cert, &issuer, &point),
        }),
        result,
        error,
    };
    if args.json {
        print_json(&judged)?;
    } else {
        print(&Report(&judged).to_string())?;
    }
    Ok(match result {
        "good" => Exit::Clear,
        "revoked" => Exit::Block,
        _ => Exit::NoAnswer,
    })
}

/// `--crl FILE`: the bytes, read and checked against the issuer. A file
/// that cannot be read is a bad input; one that does not hold a usable
/// list is an answer (`malformed`, `bad-signature`...).
fn read_file(
    path: &Path,
    issuer: &Cert,
) -> Result<(Origin, Result<Arc<CrlList>, Offline>), CliError> {
    let der = read_der("--crl", path)?;
    let read = CrlList::read(&der, issuer, &RustCrypto)
        .map(Arc::new)
        .map_err(|e| crl::invalid(&e));
    let origin = Origin {
        url: None,
        file: Some(path.display().to_string()),
        http_status: None,
        bytes: Some(der.len()),
        elapsed_ms: None,
    };
    Ok((origin, read))
}

/// A CRL file's bytes, at most the engine's limit. The engine reads DER;
/// a PEM file is refused here with the command that converts it.
pub fn read_der(flag: &str, path: &Path) -> Result<Vec<u8>, CliError> {
    let der = input::read(flag, path, MAX_CRL_LEN)?;
    if der.trim_ascii_start().starts_with(b"-----BEGIN") {
        return Err(input::in_file(
            flag,
            path,
            format_args!(
                "a PEM file; give the DER CRL (openssl crl -in {0} -outform DER -out {0}.der)",
                path.display()
            ),
        ));
    }
    Ok(der)
}

/// `--url`, or the certificate's distribution point: a plain GET, and the
/// body read and checked by the engine, as the ladder's lists are.
fn fetch(
    url: &str,
    timeout_ms: Option<u32>,
    issuer: &Cert,
    time: UnixTime,
) -> Result<(Origin, Result<Arc<CrlList>, Offline>), CliError> {
    let timeout_ms = match timeout_ms {
        Some(ms) => ms,
        None => Policy::preset(TIMEOUT_PRESET)
            .map(|p| p.live_timeout_ms())
            .map_err(|e| CliError::input(e.to_string()))?,
    };
    let fetch = CrlFetch {
        url: url.to_owned(),
        max_len: MAX_CRL_LEN,
        timeout_ms,
    };
    let outcome = http::fetch_crl(&fetch, Duration::from_millis(u64::from(timeout_ms)));
    let read = CrlCache::new().ingest(url, &outcome, issuer, time, &RustCrypto);
    let (http_status, bytes) = match &outcome {
        FetchOutcome::Response {
            http_status, body, ..
        } => (Some(*http_status), Some(body.len())),
        _ => (None, None),
    };
    let origin = Origin {
        url: Some(fetch.url),
        file: None,
        http_status,
        bytes,
        elapsed_ms: Some(outcome.elapsed_ms()),
    };
    Ok((origin, read))
}

/// The certificate's distribution point to judge the list for: the first
/// that names one of `urls` (the URL fetched, or the list's scope), else
/// the one the ladder would fetch, else the first, else none (a point
/// without URLs: a list scoped to a URL does not cover it).
fn point_for<'a>(cert: &'a Cert, urls: &[String]) -> Cow<'a, CrlDistributionPoint> {
    let points = &cert.crl_distribution_points;
    points
        .iter()
        .find(|p| p.urls.iter().any(|u| urls.contains(u)))
        .or_else(|| crl::point_to_fetch(cert).map(|(point, _)| point))
        .or_else(|| points.first())
        .map_or_else(
            || {
                Cow::Owned(CrlDistributionPoint {
                    urls: Vec::new(),
                    reasons: None,
                    crl_issuer: None,
                })
            },
            Cow::Borrowed,
        )
}

/// Whether the list's Issuing Distribution Point covers the certificate,
/// whatever the time; `None` when the list is not the certificate's
/// issuer's, or the distribution point names a cRLIssuer (indirect).
fn covers(
    list: &CrlList,
    cert: &Cert,
    issuer: &Cert,
    point: &CrlDistributionPoint,
) -> Option<bool> {
    let issuers_list = list.issuer_der == cert.issuer_der
        && issuer.spki.sha256() == &list.signer_spki_sha256
        && point.crl_issuer.is_none();
    issuers_list.then(|| crl::check_scope(&list.scope, cert, point).is_ok())
}

/// The certificate's entry, when the list is its issuer's and names it
/// (a removeFromCRL entry included: the answer is then good).
fn entry(list: &CrlList, cert: &Cert) -> Option<Entry> {
    if list.issuer_der != cert.issuer_der {
        return None;
    }
    list.find(&cert.serial).map(
        |Listed {
             revoked_at,
             reason,
             invalidity,
         }| Entry {
            revocation_date: UnixTime(revoked_at).to_string(),
            reason,
            invalidity_date: invalidity.map(|t| UnixTime(t).to_string()),
            on_hold: reason == Some(CrlReasonCode::CertificateHold),
        },
    )
}

struct Report<'a>(&'a Judged);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let j = self.0;
        let line = |f: &mut fmt::Formatter<'_>, label: &str, value: &dyn fmt::Display| {
            writeln!(f, "{:<15}{value}", format!("{label}:"))
        };
        if let Some(url) = &j.url {
            line(f, "crl", url)?;
            match (j.http_status, j.bytes, j.elapsed_ms) {
                (Some(status), Some(len), Some(ms)) => line(
                    f,
                    "fetched",
                    &format_args!("HTTP {status}, {len} bytes in {ms} ms"),
                )?,
                (_, _, ms) => line(
                    f,
                    "fetched",
                    &format_args!("nothing after {} ms", ms.unwrap_or(0)),
                )?,
            }
        }
        if let Some(file) = &j.file {
            line(
                f,
                "crl",
                &format_args!("{file} ({} bytes)", j.bytes.unwrap_or(0)),
            )?;
        }
        let c = &j.certificate;
        line(
            f,
            "certificate",
            &format_args!("{}, serial {}", c.subject, c.serial_hex),
        )?;
        if let Some(list) = &j.list {
            let s = &list.summary;
            line(f, "list issuer", &s.issuer)?;
            line(
                f,
                "signature",
                &format_args!("{}, verified with the issuer's key", s.signature_algorithm),
            )?;
            line(f, "this update", &s.this_update)?;
            match &s.next_update {
                Some(next) => line(
                    f,
                    "next update",
                    &format_args!("{next}{}", left(next, j.at)),
                )?,
                None => line(
                    f,
                    "next update",
                    &format_args!(
                        "none (used {} after thisUpdate)",
                        describe_duration(crl::MAX_AGE_WITHOUT_NEXT_UPDATE_SECS)
                    ),
                )?,
            }
            line(f, "crl number", &s.crl_number.as_deref().unwrap_or("none"))?;
            line(f, "entries", &s.entries)?;
            line(f, "scope", &Scope(list))?;
        }
        match &j.entry {
            Some(e) => {
                let mut text = format!(
                    "revoked {}, reason {}",
                    e.revocation_date,
                    e.reason.map_or("not given", CrlReasonCode::name)
                );
                if let Some(date) = &e.invalidity_date {
                    text.push_str(&format!(", invalid since {date}"));
                }
                if e.on_hold {
                    text.push_str(" (on hold: may be lifted)");
                }
                line(f, "entry", &text)?;
            }
            None if j.looked_up => line(f, "entry", &"not listed")?,
            None => {}
        }
        line(f, "result", &j.result)?;
        if let Some(e) = &j.error {
            line(f, "error", &format_args!("{}: {}", e.code, e.detail))?;
        }
        Ok(())
    }
}

/// ` (3 days left)` or ` (passed)`, for an RFC 3339 time.
fn left(time: &str, at: UnixTime) -> String {
    match UnixTime::parse_rfc3339(time) {
        Ok(t) if t.0 >= at.0 => format!(" ({} left)", describe_duration(t.0 - at.0)),
        Ok(_) => " (passed)".into(),
        Err(_) => String::new(),
    }
}

/// The Issuing Distribution Point, and whether it covers the certificate.
struct Scope<'a>(&'a ListJson);

impl fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0.summary;
        let mut parts = s.scope_urls.clone();
        if s.only_user_certs {
            parts.push("end-entity certificates only".into());
        }
        if s.only_ca_certs {
            parts.push("CA certificates only".into());
        }
        if parts.is_empty() {
            f.write_str("not limited to a URL or a kind of certificate")?;
        } else {
            f.write_str(&parts.join(", "))?;
        }
        f.write_str(match self.0.covers_certificate {
            Some(true) => "; covers this certificate",
            Some(false) => "; does not cover this certificate",
            None => "; coverage not checked (the list was refused first)",
        })
    }
}

/// `inspect`'s `crl:` line for a certificate the CRL step ran for: the URL,
/// the list, and its answer or why there is none.
pub struct ReportLine<'a>(pub &'a CrlReport);

impl fmt::Display for ReportLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        f.write_str(&report.url)?;
        if let Some(list) = &report.list {
            write!(
                f,
                ": {} {}, thisUpdate {}, nextUpdate {}",
                list.entries,
                if list.entries == 1 {
                    "entry"
                } else {
                    "entries"
                },
                list.this_update,
                list.next_update.as_deref().unwrap_or("none")
            )?;
        }
        match (&report.answer, &report.offline) {
            (
                Some(CrlAnswer::Good {
                    removed_from_crl: false,
                }),
                _,
            ) => f.write_str("; not listed: good"),
            (
                Some(CrlAnswer::Good {
                    removed_from_crl: true,
                }),
                _,
            ) => f.write_str("; listed with removeFromCRL: good"),
            (
                Some(CrlAnswer::Revoked {
                    revocation_time,
                    reason,
                    on_hold,
                    ..
                }),
                _,
            ) => write!(
                f,
                "; revoked {}, reason {}{}",
                UnixTime(*revocation_time),
                reason.map_or("not given", CrlReasonCode::name),
                if *on_hold { " (on hold)" } else { "" }
            ),
            (None, Some(offline)) => {
                write!(f, "; no usable answer ({}): {offline}", offline.class())
            }
            (None, None) => f.write_str(": not fetched yet"),
        }
    }
}
