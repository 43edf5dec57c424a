//! `revoscope ocsp`: one OCSP query, made and judged in full. What a user
//! runs to see how a responder behaves: latency, sizes, the method that
//! worked, and every check of the answer (signer, algorithm, times, nonce).

use std::fmt;
use std::io::Read as _;
use std::time::Duration;

use revoscope::ocsp::exchange::{classify, fetch_for, LiveAnswer, Offline};
use revoscope::ocsp::request::{build_request_with, CertIdHash, RequestOptions};
use revoscope::ocsp::response::DEFAULT_MAX_LIFETIME_DAYS;
use revoscope::ocsp::{Answer, FetchMethod, FetchOutcome, ValidResponse};
use revoscope::time::describe_duration;
use revoscope::verify::RustCrypto;
use revoscope::Policy;
use revoscope::UnixTime;
use serde::Serialize;

use super::args::OcspArgs;
use super::{http, input, print, print_json, CliError, Exit};

/// Bytes of the nonce `--nonce` sends (RFC 8954 section 2.1: at least 16 recommended, 32 at most).
const NONCE_LEN: usize = 16;

/// What one query found; the `--json` output.
#[derive(Serialize)]
struct Query {
    responder: String,
    method: FetchMethod,
    request_bytes: usize,
    cert_id_hash: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce_sent: Option<String>,
    /// `echoed`, `absent` or `mismatch`, when a nonce was sent and a valid answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'static str>,
    elapsed_ms: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_bytes: Option<usize>,
    /// RFC 3339, as `inspect --json` gives it.
    evaluated_at: String,
    #[serde(skip)]
    at: UnixTime,
    /// `good`, `revoked`, `unknown` (the responder said so) or `offline`.
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<ValidResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offline: Option<Offline>,
}

pub fn run(args: &OcspArgs) -> Result<Exit, CliError> {
    let cert = input::first_certificate("--cert", &args.cert)?;
    let issuer = input::first_certificate("--issuer", &args.issuer)?;
    let time = input::time(args.at.as_deref())?;
    let responder = match (&args.url, cert.ocsp_urls.first()) {
        (Some(url), _) => url.clone(),
        (None, Some(url)) => url.clone(),
        (None, None) => {
            return Err(CliError::input(format!(
                "{} names no OCSP responder (no AIA OCSP URL); give one with --url",
                args.cert.display()
            )))
        }
    };
    let nonce = args.nonce.then(random_nonce).transpose()?;
    let options = RequestOptions {
        cert_id_hash: args.cert_id_hash,
        nonce: nonce.clone(),
    };
    let request =
        build_request_with(&cert, &issuer, &options).map_err(|e| CliError::input(e.to_string()))?;
    let fetch = fetch_for(&responder, request);
    // Default: the soft-fail timeout of the mozilla-plan preset.
    let default_timeout = Policy::preset("mozilla-plan")
        .map(|p| p.live_timeout_ms())
        .map_err(|e| CliError::input(e.to_string()))?;
    let timeout = Duration::from_millis(u64::from(args.timeout_ms.unwrap_or(default_timeout)));
    let (method, outcome) = http::fetch_ocsp(&fetch, args.method, timeout);

    let answer = classify(
        &outcome,
        &cert,
        &issuer,
        time,
        DEFAULT_MAX_LIFETIME_DAYS,
        &RustCrypto,
    );
    let (http_status, response_bytes) = match &outcome {
        FetchOutcome::Response {
            http_status, body, ..
        } => (Some(*http_status), Some(body.len())),
        _ => (None, None),
    };
    let (result, response, offline) = match answer {
        LiveAnswer::Answered(valid) => (valid.answer.as_str(), Some(valid), None),
        LiveAnswer::Offline(why) => ("offline", None, Some(why)),
    };
    // Judged only on a valid answer: without one there is nothing to compare.
    let nonce_check = nonce
        .as_ref()
        .zip(response.as_ref())
        .map(|(sent, r)| match &r.nonce {
            Some(got) if got == sent => "echoed",
            Some(_) => "mismatch",
            None => "absent",
        });
    let query = Query {
        responder,
        method,
        request_bytes: fetch.request_der.len(),
        cert_id_hash: match args.cert_id_hash {
            CertIdHash::Sha1 => "sha1",
            CertIdHash::Sha256 => "sha256",
        },
        nonce_sent: nonce.as_deref().map(revoscope::hex::encode),
        nonce: nonce_check,
        elapsed_ms: outcome.elapsed_ms(),
        http_status,
        response_bytes,
        evaluated_at: time.to_string(),
        at: time,
        result,
        response,
        offline,
    };
    if args.json {
        print_json(&query)?;
    } else {
        print(&QueryReport(&query).to_string())?;
    }
    Ok(if query.result == "revoked" {
        Exit::Block
    } else {
        Exit::Clear
    })
}

/// The host's randomness for the nonce (the engine is pure and has none).
fn random_nonce() -> Result<Vec<u8>, CliError> {
    let mut nonce = vec![0u8; NONCE_LEN];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut nonce))
        .map_err(|e| CliError::input(format!("cannot draw a nonce from /dev/urandom: {e}")))?;
    Ok(nonce)
}

struct QueryReport<'a>(&'a Query);

impl fmt::Display for QueryReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = self.0;
        let line = |f: &mut fmt::Formatter<'_>, label: &str, value: &dyn fmt::Display| {
            writeln!(f, "{:<15}{value}", format!("{label}:"))
        };
        line(f, "responder", &q.responder)?;
        line(
            f,
            "request",
            &format_args!(
                "{} bytes by {}, CertID {}",
                q.request_bytes,
                q.method.as_str(),
                q.cert_id_hash
            ),
        )?;
        match (q.http_status, q.response_bytes) {
            (Some(status), Some(len)) => line(
                f,
                "response",
                &format_args!("HTTP {status}, {len} bytes in {} ms", q.elapsed_ms),
            )?,
            _ => line(
                f,
                "response",
                &format_args!("none after {} ms", q.elapsed_ms),
            )?,
        }
        line(f, "result", &q.result)?;
        if let Some(why) = &q.offline {
            line(f, "why", why)?;
        }
        if let Some(r) = &q.response {
            if let Answer::Revoked {
                revocation_time,
                reason,
            } = &r.answer
            {
                line(
                    f,
                    "revoked",
                    &format_args!(
                        "at {}, reason {}",
                        UnixTime(*revocation_time),
                        reason.unwrap_or("not given")
                    ),
                )?;
            }
            let signer = match &r.signer {
                revoscope::ocsp::Signer::Issuer => "the issuer".to_owned(),
                revoscope::ocsp::Signer::Delegated {
                    subject,
                    serial_hex,
                } => format!("delegated responder {subject} (serial {serial_hex})"),
            };
            line(
                f,
                "signed by",
                &format_args!("{signer}, {}", r.signature_algorithm),
            )?;
            line(f, "produced at", &UnixTime(r.produced_at))?;
            line(f, "this update", &UnixTime(r.this_update))?;
            match r.next_update {
                Some(next) => line(f, "next update", &UnixTime(next))?,
                None => line(f, "next update", &"none (valid one day, as in Firefox)")?,
            }
            let left = r.valid_until.saturating_sub(q.at.0);
            line(
                f,
                "usable until",
                &format_args!(
                    "{} ({})",
                    UnixTime(r.valid_until),
                    if r.expired {
                        "expired".to_owned()
                    } else {
                        format!("{} left", describe_duration(left))
                    }
                ),
            )?;
        }
        if let (Some(sent), Some(check)) = (&q.nonce_sent, q.nonce) {
            line(f, "nonce", &format_args!("{sent}: {check}"))?;
        }
        Ok(())
    }
}
