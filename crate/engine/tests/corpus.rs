//! The engine against a corpus of real-world input: PyPI's
//! `cryptography_vectors` (pinned in scripts/lib.sh, unpacked by
//! scripts/setup.sh into target/corpus/, not committed), whose `x509/` tree
//! holds certificates from many CAs, chains, OCSP responses and CRLs, with
//! OpenSSL as the second opinion:
//!
//! - every certificate that `openssl x509` parses, revoscope must read, or
//!   the failure must be listed below: a real defect Firefox refuses too
//!   ([`KNOWN_DEFECTS`]), or a leniency of ours still to add
//!   ([`KNOWN_FAILURES_TO_FIX`]). A listed file that starts passing fails
//!   the test too, so the lists stay honest; and each one read must agree
//!   with `openssl x509 -dates` on notBefore and notAfter (a time before
//!   1970 as 0, as the engine reads it);
//! - every OCSP response is read without validation (`ocsp::read`) and must
//!   agree with `openssl ocsp -respin R -resp_text -noverify` on the
//!   responseStatus, and for a successful one on the version, producedAt,
//!   the responder ID, the nonce and every SingleResponse: its CertID (hash
//!   algorithm, name and key hashes, serial), status, thisUpdate, nextUpdate
//!   and revocation time and reason; a response OpenSSL cannot read past its
//!   status (no responseBytes, another response type) must be refused for
//!   the same reason;
//! - every OCSP response whose issuer is in the corpus is also validated at
//!   a time inside its validity and must agree with `openssl ocsp -respin R
//!   -issuer I -serial S -attime T` on the signature, the status, thisUpdate,
//!   nextUpdate and the revocation time and reason.
//!
//! Native only (files and `openssl`). `REVOSCOPE_CORPUS` names the `x509/`
//! directory; scripts/test.sh sets it. Without it the test says it is
//! skipped; with it pointing at nothing, it fails.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use revoscope::ocsp::response::DEFAULT_MAX_LIFETIME_DAYS;
use revoscope::ocsp::{
    self, Answer, CertIdAlgorithm, OcspError, ResponderId, ResponseData, ResponseSummary,
};
use revoscope::verify::{Hash, RustCrypto};
use revoscope::{Cert, UnixTime};
use sha1::{Digest, Sha1};

/// A failure the test expects, by file (`path#n` for the n-th certificate
/// of a PEM bundle, from 0) and a piece of the error's text.
struct Expected {
    file: &'static str,
    error: &'static str,
    why: &'static str,
}

/// Real defects: certificates OpenSSL parses but that break DER or RFC 5280
/// in a way Firefox (mozpkix, which parses every certificate it is given
/// before it looks at anything else) refuses as well.
const KNOWN_DEFECTS: &[Expected] = &[
    Expected {
        file: "badasn1time.pem",
        error: "validity: malformed ASN.1 DER value for UTCTime",
        why: "notAfter is a 15-character UTCTime (19020701025736Z), not YYMMDDHHMMSSZ \
              (RFC 5280 4.1.2.5.1; OpenSSL itself prints \"Bad time value\"); mozpkix's \
              TimeChoice refuses it: ERROR_INVALID_DER_TIME",
    },
    Expected {
        file: "cryptography.io.precert.pem",
        error: "unknown critical extension 1.3.6.1.4.1.11129.2.4.3",
        why: "a CT precertificate: its critical poison extension (RFC 6962 3.1) exists to \
              make every TLS client refuse it; mozpkix: SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION",
    },
    Expected {
        file: "custom/invalid_version.pem",
        error: "unsupported certificate version v8",
        why: "version 7 (\"v8\"): RFC 5280 4.1.2.1 knows v1 to v3; mozpkix's \
              TBSCertificate reading refuses any other: ERROR_BAD_DER",
    },
    Expected {
        file: "custom/two_basic_constraints.pem",
        error: "extension 2.5.29.19 appears more than once",
        why: "two basicConstraints: RFC 5280 4.2 says a certificate MUST NOT include more \
              than one instance of an extension; mozpkix refuses a repeated known \
              extension (ERROR_EXTENSION_VALUE_INVALID)",
    },
    Expected {
        file: "custom/unsupported_extension_critical.pem",
        error: "unknown critical extension 1.2.3.4",
        why: "a critical extension nobody knows (RFC 5280 4.2: MUST reject); mozpkix: \
              SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION",
    },
    Expected {
        file: "PKITS_data/certs/InvalidUnknownCriticalCertificateExtensionTest2EE.crt",
        error: "unknown critical extension 2.16.840.1.101.2.1.12.2",
        why: "PKITS 4.16.2, meant to be rejected: an unknown critical extension; mozpkix: \
              SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION",
    },
];

/// Our own refusals of certificates Firefox reads: each to be removed when
/// the fix named lands (the test fails once the file reads, so it must be).
const KNOWN_FAILURES_TO_FIX: &[Expected] = &[];

/// PEM files the engine's reader (`revoscope::pem`) refuses while a lax
/// reading finds the certificates in them: none since the reader reads what
/// RFC 7468 section 3 asks parsers to accept (76-column lines, the legacy
/// `X509 CERTIFICATE` label...).
const PEM_FAILURES_TO_FIX: &[Expected] = &[];

/// OCSP responses where revoscope and OpenSSL disagree for a reason:
/// revoscope follows mozpkix, which is stricter than OpenSSL in places.
const OCSP_DIFFERENCES: &[Expected] = &[Expected {
    file: "ocsp/resp-invalid-version.der",
    error: "read: OpenSSL reads 1 answers, revoscope refuses: unsupported-version",
    why: "ResponseData version 2 (INTEGER 1): RFC 6960 4.2.1 defines v1 only. mozpkix's \
          ResponseData refuses any other (pkixocsp.cpp: `if (version != der::Version::v1)` \
          ... ERROR_BAD_DER), and validation and the parse-only reading refuse it alike \
          (unsupported-version); OpenSSL prints the version (2) and reads the answer \
          regardless",
}];

/// What the pinned corpus (cryptography_vectors 50.0.2, scripts/lib.sh)
/// holds at least: certificates OpenSSL parses, and OCSP responses it
/// reads. A run that finds fewer has not read the corpus (no `openssl` on
/// the PATH, a partial unpacking), and must not pass as if it had.
const AT_LEAST_CERTIFICATES: usize = 530;
const AT_LEAST_RESPONSES: usize = 17;

fn corpus() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("REVOSCOPE_CORPUS") else {
        eprintln!(
            "corpus: skipped (REVOSCOPE_CORPUS is not set; scripts/test.sh sets it after \
             scripts/setup.sh fetched the corpus)"
        );
        return None;
    };
    let dir = PathBuf::from(dir);
    assert!(
        dir.join(".complete").is_file() && dir.join("ocsp").is_dir(),
        "REVOSCOPE_CORPUS={} holds no corpus: run scripts/setup.sh (it fetches \
         cryptography_vectors into target/corpus/)",
        dir.display()
    );
    Some(dir)
}

/// Files under `dir`, recursively, sorted, as paths relative to `root`.
fn files(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let path = entry.expect("corpus entry").path();
        if path.is_dir() {
            files(root, &path, found);
        } else {
            let rel = path.strip_prefix(root).expect("under the root");
            found.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    found.sort();
}

/// Runs openssl with `input` on stdin; its exit status, stdout and stderr.
fn openssl(args: &[&str], input: &[u8]) -> (bool, String, String) {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl (scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write to openssl");
    let out = child.wait_with_output().expect("openssl output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The certificate blocks of a PEM text, read laxly: `CERTIFICATE` and the
/// old `X509 CERTIFICATE` labels, header lines (with a colon) skipped, any
/// whitespace inside the base64, anything between blocks ignored.
fn lax_pem(text: &str) -> Vec<Vec<u8>> {
    use base64::Engine;
    let mut ders = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line == "-----BEGIN CERTIFICATE-----" || line == "-----BEGIN X509 CERTIFICATE-----" {
            body = Some(String::new());
        } else if line.starts_with("-----END") {
            if let Some(b64) = body.take() {
                if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b64) {
                    ders.push(der);
                }
            }
        } else if let Some(b64) = body.as_mut() {
            if !line.contains(':') {
                b64.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
    ders
}

/// Where certificates are: everything but the requests, the OCSP and CRL
/// directories, PKCS#12, S/MIME and cross-certificate pairs.
fn is_certificate_candidate(rel: &str) -> bool {
    let skipped_dirs = [
        "ocsp/",
        "requests/",
        "PKITS_data/pkcs12/",
        "PKITS_data/smime/",
        "PKITS_data/certpairs/",
        "PKITS_data/crls/",
    ];
    // Keys and PEM CRLs are told apart by their PEM labels, DER CRLs by
    // OpenSSL refusing them as certificates.
    !skipped_dirs.iter().any(|d| rel.starts_with(d))
        && [".pem", ".der", ".crt"].iter().any(|e| rel.ends_with(e))
}

/// Checks `failures` (key → error) against an expectation list; returns
/// the complaints: unexpected failures and listed files that now pass.
fn hold_to(list: &[Expected], failures: &BTreeMap<String, String>, what: &str) -> Vec<String> {
    let mut complaints = Vec::new();
    for e in list {
        match failures.get(e.file) {
            None => complaints.push(format!(
                "{}: listed in {what} ({}) but no longer fails: remove it from the list",
                e.file, e.why
            )),
            Some(error) if !error.contains(e.error) => complaints.push(format!(
                "{}: listed in {what} with \"{}\" but fails with \"{error}\"",
                e.file, e.error
            )),
            Some(_) => {}
        }
    }
    complaints
}

fn unlisted<'a>(
    failures: &'a BTreeMap<String, String>,
    lists: &[&[Expected]],
) -> impl Iterator<Item = (&'a String, &'a String)> {
    let listed: Vec<&str> = lists
        .iter()
        .flat_map(|l| l.iter().map(|e| e.file))
        .collect();
    failures
        .iter()
        .filter(move |(file, _)| !listed.contains(&file.as_str()))
}

struct CertCorpus {
    /// Every certificate revoscope read, to find OCSP issuers among.
    read: Vec<(String, Cert)>,
}

fn certificates(root: &Path) -> (CertCorpus, Vec<String>) {
    let mut all = Vec::new();
    files(root, root, &mut all);
    let mut read = Vec::new();
    let mut cert_failures = BTreeMap::new();
    let mut pem_failures = BTreeMap::new();
    let (mut candidates, mut by_openssl, mut refused_by_openssl) = (0, 0, 0);
    let mut read_anyway = Vec::new();
    let mut validity_differences = Vec::new();
    let mut not_certificates = 0;
    for rel in all.iter().filter(|r| is_certificate_candidate(r)) {
        let bytes = std::fs::read(root.join(rel)).expect("corpus file");
        let is_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
        let ders = if is_pem {
            let lax = lax_pem(&String::from_utf8_lossy(&bytes));
            if lax.is_empty() {
                // A PEM CRL, request or key: not a certificate file.
                not_certificates += 1;
                continue;
            }
            match revoscope::pem::read_certificates(&bytes) {
                Ok(ders) => {
                    if ders != lax {
                        pem_failures.insert(
                            rel.clone(),
                            format!(
                                "read {} certificates, a lax reading {}",
                                ders.len(),
                                lax.len()
                            ),
                        );
                    }
                    ders
                }
                Err(e) => {
                    pem_failures.insert(rel.clone(), e.to_string());
                    lax
                }
            }
        } else {
            vec![bytes]
        };
        let single = ders.len() == 1;
        for (i, der) in ders.iter().enumerate() {
            let key = if single {
                rel.clone()
            } else {
                format!("{rel}#{i}")
            };
            candidates += 1;
            let (parsed, dates, _) = openssl(&["x509", "-inform", "DER", "-noout", "-dates"], der);
            let ours = Cert::from_der(der);
            if !parsed {
                // A DER CRL, or a certificate OpenSSL refuses: not held to.
                refused_by_openssl += 1;
                if ours.is_ok() {
                    read_anyway.push(key);
                }
                continue;
            }
            by_openssl += 1;
            match ours {
                Ok(cert) => {
                    let theirs = openssl_dates(&dates);
                    if (cert.not_before, cert.not_after) != theirs {
                        validity_differences.push(format!(
                            "{key}: revoscope reads the validity as {:?}, OpenSSL as {theirs:?}",
                            (cert.not_before, cert.not_after)
                        ));
                    }
                    read.push((key, cert));
                }
                Err(e) => {
                    cert_failures.insert(key, e.to_string());
                }
            }
        }
    }

    println!(
        "corpus certificates: {candidates} in {} files ({not_certificates} other PEM files); \
         OpenSSL parses {by_openssl}, revoscope reads {} of them; {} known defects, {} failures \
         to fix; OpenSSL refuses {refused_by_openssl} (revoscope reads {} of those); \
         {} PEM files the engine's reader refuses or misreads",
        all.iter().filter(|r| is_certificate_candidate(r)).count(),
        read.len(),
        KNOWN_DEFECTS.len(),
        KNOWN_FAILURES_TO_FIX.len(),
        read_anyway.len(),
        pem_failures.len(),
    );
    for file in &read_anyway {
        println!("  OpenSSL refuses, revoscope reads: {file}");
    }
    for (file, cert) in &read {
        if let Some(error) = &cert.sct_list_error {
            println!("  SCT list not read: {file}: {error}");
        }
    }
    for (file, error) in &cert_failures {
        println!("  refused: {file}: {error}");
    }
    for (file, error) in &pem_failures {
        println!("  PEM: {file}: {error}");
    }

    let mut complaints = hold_to(KNOWN_DEFECTS, &cert_failures, "KNOWN_DEFECTS");
    if by_openssl < AT_LEAST_CERTIFICATES {
        complaints.push(format!(
            "OpenSSL parsed {by_openssl} certificates, fewer than the {AT_LEAST_CERTIFICATES} \
             the corpus holds: is openssl on the PATH, and the corpus whole?"
        ));
    }
    complaints.extend(hold_to(
        KNOWN_FAILURES_TO_FIX,
        &cert_failures,
        "KNOWN_FAILURES_TO_FIX",
    ));
    complaints.extend(hold_to(
        PEM_FAILURES_TO_FIX,
        &pem_failures,
        "PEM_FAILURES_TO_FIX",
    ));
    for (file, error) in unlisted(&cert_failures, &[KNOWN_DEFECTS, KNOWN_FAILURES_TO_FIX]) {
        complaints.push(format!(
            "{file}: OpenSSL parses it, revoscope refuses it: {error}"
        ));
    }
    complaints.extend(validity_differences);
    for (file, error) in unlisted(&pem_failures, &[PEM_FAILURES_TO_FIX]) {
        complaints.push(format!("{file}: the engine's PEM reader: {error}"));
    }
    (CertCorpus { read }, complaints)
}

/// notBefore and notAfter of `openssl x509 -dates`, in seconds.
fn openssl_dates(text: &str) -> (u64, u64) {
    let field = |name: &str| {
        let line = text.lines().find_map(|l| l.strip_prefix(name));
        openssl_time(line.unwrap_or_else(|| panic!("{name} in {text:?}")))
    };
    (field("notBefore="), field("notAfter="))
}

/// Seconds since the epoch of OpenSSL's `Aug 30 11:00:00 2018 GMT`; a time
/// before 1970 is 0, as the engine reads it (src/validity.rs).
fn openssl_time(text: &str) -> u64 {
    let parts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(parts.len(), 5, "an OpenSSL time: {text}");
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == parts[0]).expect("month") as i64 + 1;
    let day: i64 = parts[1].parse().expect("day");
    let year: i64 = parts[3].parse().expect("year");
    let hms: Vec<i64> = parts[2]
        .split(':')
        .map(|n| n.parse().expect("hms"))
        .collect();
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]).max(0) as u64
}

/// What `openssl ocsp` says about one certificate.
#[derive(Debug, PartialEq)]
struct Said {
    status: String,
    this_update: u64,
    next_update: Option<u64>,
    revocation_time: Option<u64>,
    reason: Option<String>,
}

fn said_by_openssl(text: &str, serial_hex: &str) -> Option<Said> {
    let start = text.find(&format!("0x{serial_hex}: "))?;
    let mut lines = text[start..].lines();
    let mut status = lines.next()?.rsplit(": ").next()?.trim().to_string();
    // OpenSSL checks the times against its own clock, not -attime: it then
    // warns instead of the status, and prints the status after its error.
    while !["good", "revoked", "unknown"].contains(&status.as_str()) {
        status = lines.next()?.trim().to_string();
    }
    let mut said = Said {
        status,
        this_update: 0,
        next_update: None,
        revocation_time: None,
        reason: None,
    };
    for line in lines {
        let line = line.trim();
        if let Some(t) = line.strip_prefix("This Update: ") {
            said.this_update = openssl_time(t);
        } else if let Some(t) = line.strip_prefix("Next Update: ") {
            said.next_update = Some(openssl_time(t));
        } else if let Some(t) = line.strip_prefix("Revocation Time: ") {
            said.revocation_time = Some(openssl_time(t));
        } else if let Some(r) = line.strip_prefix("Reason: ") {
            said.reason = Some(r.to_string());
        } else {
            break;
        }
    }
    Some(said)
}

fn said_by_revoscope(answer: &ocsp::ValidResponse) -> Said {
    let (revocation_time, reason) = match &answer.answer {
        Answer::Revoked {
            revocation_time,
            reason,
        } => (Some(*revocation_time), reason.map(str::to_string)),
        _ => (None, None),
    };
    Said {
        status: answer.answer.as_str().to_string(),
        this_update: answer.this_update,
        next_update: answer.next_update,
        revocation_time,
        reason,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// One SingleResponse as `-resp_text` prints it, or as revoscope reads it
/// put the same way.
#[derive(Debug, PartialEq)]
struct ReadSingle {
    /// `sha1`, `sha256`... or the OID.
    hash_algorithm: String,
    issuer_name_hash: String,
    issuer_key_hash: String,
    /// Upper-case hex of the serial's magnitude, as OpenSSL prints it.
    serial: String,
    status: String,
    revocation_time: Option<u64>,
    /// The CRLReason's name.
    reason: Option<String>,
    this_update: u64,
    next_update: Option<u64>,
}

/// A successful response's ResponseData as `-resp_text` prints it.
#[derive(Debug, PartialEq)]
struct ReadData {
    version: u64,
    /// By key: the hash in upper-case hex; by name: RFC 4514 text.
    responder_id: String,
    produced_at: u64,
    /// The extension's value in hex: the OCTET STRING, header included.
    nonce: Option<String>,
    responses: Vec<ReadSingle>,
}

/// What `openssl ocsp -resp_text -noverify` prints about a response.
#[derive(Debug)]
enum OpensslReading {
    /// An error status (`Responder Error: unauthorized (6)`): revoscope's code for it.
    Status(&'static str),
    /// Successful, but OpenSSL cannot read further (`Error parsing
    /// response`); its reason: `no response data`, `not basic response`.
    Unreadable(String),
    Successful(ReadData),
}

/// OpenSSL's oneline Name (`C = US, O = Let's Encrypt, CN = R3`, most
/// significant RDN first) as RFC 4514 text (most specific first). Good for
/// the plain names of the corpus' responders, not for escaped values.
fn oneline_to_rfc4514(name: &str) -> String {
    let rdns: Vec<&str> = name.split(", ").collect();
    rdns.into_iter()
        .rev()
        .map(|rdn| rdn.replacen(" = ", "=", 1))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads `-resp_text` output, up to the BasicOCSPResponse's signature
/// (the certificates printed after it have serials and times of their own).
fn openssl_reading(text: &str, errors: &str) -> Option<OpensslReading> {
    let mut lines = text.lines().map(str::trim);
    let first = lines.next()?;
    if let Some(error) = first.strip_prefix("Responder Error: ") {
        return Some(OpensslReading::Status(
            match error.split(' ').next().unwrap_or_default() {
                "malformedrequest" => "malformed-request",
                "internalerror" => "internal-error",
                "trylater" => "try-later",
                "sigrequired" => "sig-required",
                "unauthorized" => "unauthorized",
                _ => "unknown-response-status",
            },
        ));
    }
    if first != "OCSP Response Data:" {
        return None;
    }
    if text.contains("Error parsing response") || errors.contains("Error parsing response") {
        // `40C717B4A37F0000:error:13800068:OCSP routines:OCSP_response_get1_basic:not basic response:...`
        let reason = format!("{text}{errors}")
            .lines()
            .filter(|l| l.contains(":error:"))
            .find_map(|l| l.split(':').nth(5).map(str::to_string))
            .unwrap_or_default();
        return Some(OpensslReading::Unreadable(reason));
    }
    let mut data = ReadData {
        version: 0,
        responder_id: String::new(),
        produced_at: 0,
        nonce: None,
        responses: Vec::new(),
    };
    let mut nonce_next = false;
    for line in lines {
        if line.starts_with("Signature Algorithm:") {
            break;
        }
        if std::mem::take(&mut nonce_next) {
            data.nonce = Some(line.to_string());
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .unwrap_or((line.trim_end_matches(':'), ""));
        let single = data.responses.last_mut();
        match (key, single) {
            ("Version", _) => {
                data.version = value.split(' ').next()?.parse::<u64>().ok()? - 1;
            }
            ("Responder Id", _) => {
                data.responder_id = if value.contains(" = ") {
                    oneline_to_rfc4514(value)
                } else {
                    value.to_string()
                };
            }
            ("Produced At", _) => data.produced_at = openssl_time(value),
            ("OCSP Nonce", _) => nonce_next = true,
            ("Certificate ID", _) => data.responses.push(ReadSingle {
                hash_algorithm: String::new(),
                issuer_name_hash: String::new(),
                issuer_key_hash: String::new(),
                serial: String::new(),
                status: String::new(),
                revocation_time: None,
                reason: None,
                this_update: 0,
                next_update: None,
            }),
            ("Hash Algorithm", Some(s)) => s.hash_algorithm = value.to_string(),
            ("Issuer Name Hash", Some(s)) => s.issuer_name_hash = value.to_string(),
            ("Issuer Key Hash", Some(s)) => s.issuer_key_hash = value.to_string(),
            ("Serial Number", Some(s)) => s.serial = value.to_string(),
            ("Cert Status", Some(s)) => s.status = value.to_string(),
            ("Revocation Time", Some(s)) => s.revocation_time = Some(openssl_time(value)),
            ("Revocation Reason", Some(s)) => {
                s.reason = value.split(' ').next().map(str::to_string);
            }
            ("This Update", Some(s)) => s.this_update = openssl_time(value),
            ("Next Update", Some(s)) => s.next_update = Some(openssl_time(value)),
            _ => {}
        }
    }
    Some(OpensslReading::Successful(data))
}

/// revoscope's reading, put as `-resp_text` prints it.
fn as_openssl_prints(data: &ResponseData) -> ReadData {
    let responses = data
        .responses
        .iter()
        .map(|single| {
            let id = &single.cert_id;
            let (revocation_time, reason) = match &single.cert_status {
                Answer::Revoked {
                    revocation_time,
                    reason,
                } => (Some(*revocation_time), reason.map(str::to_string)),
                _ => (None, None),
            };
            ReadSingle {
                hash_algorithm: match &id.hash_algorithm {
                    CertIdAlgorithm::Hash(Hash::Sha1) => "sha1".into(),
                    CertIdAlgorithm::Hash(Hash::Sha256) => "sha256".into(),
                    CertIdAlgorithm::Hash(Hash::Sha384) => "sha384".into(),
                    CertIdAlgorithm::Hash(Hash::Sha512) => "sha512".into(),
                    CertIdAlgorithm::Other(oid) => oid.clone(),
                },
                issuer_name_hash: hex(&id.issuer_name_hash),
                issuer_key_hash: hex(&id.issuer_key_hash),
                // OpenSSL prints the magnitude: no leading zero octet.
                serial: hex(&id.serial_number).trim_start_matches("00").to_string(),
                status: single.cert_status.as_str().to_string(),
                revocation_time,
                reason,
                this_update: single.this_update,
                next_update: single.next_update,
            }
        })
        .collect();
    ReadData {
        version: 0,
        responder_id: match &data.responder_id {
            ResponderId::ByName { name, .. } => name.clone(),
            ResponderId::ByKey { key_hash } => hex(key_hash),
        },
        produced_at: data.produced_at,
        // OpenSSL prints the extension's value: the OCTET STRING around the nonce.
        nonce: data.nonce.as_ref().map(|n| match u8::try_from(n.len()) {
            Ok(len) if len < 0x80 => format!("04{len:02X}{}", hex(n)),
            _ => hex(n),
        }),
        responses,
    }
}

/// Compares revoscope's parse-only reading with OpenSSL's; the counts of
/// SingleResponses compared, or why they differ.
fn compare_reading(
    ours: &Result<ResponseSummary, OcspError>,
    theirs: &OpensslReading,
) -> Result<usize, String> {
    match (ours, theirs) {
        (Ok(ResponseSummary::Successful(data)), OpensslReading::Successful(said)) => {
            let ours = as_openssl_prints(data);
            if ours == *said {
                Ok(ours.responses.len())
            } else {
                Err(format!("read: OpenSSL {said:?}, revoscope {ours:?}"))
            }
        }
        (Ok(ResponseSummary::Unsuccessful { status }), OpensslReading::Status(code)) => {
            let ours = OcspError::ResponderStatus(*status).code();
            if ours == *code {
                Ok(0)
            } else {
                Err(format!("read: OpenSSL status {code}, revoscope {ours}"))
            }
        }
        (Err(e), OpensslReading::Unreadable(reason)) => {
            let expected = match reason.as_str() {
                "no response data" => "no-response-bytes",
                "not basic response" => "unsupported-response-type",
                _ => "an error OpenSSL has no reason for",
            };
            if e.code() == expected {
                Ok(0)
            } else {
                Err(format!(
                    "read: OpenSSL cannot read it ({reason}), revoscope refuses it as {} ({e})",
                    e.code()
                ))
            }
        }
        (Err(e), OpensslReading::Successful(said)) => Err(format!(
            "read: OpenSSL reads {} answers, revoscope refuses: {} ({e})",
            said.responses.len(),
            e.code()
        )),
        (Ok(ours), theirs) => Err(format!("read: OpenSSL {theirs:?}, revoscope {ours:?}")),
        (Err(e), theirs) => Err(format!(
            "read: OpenSSL {theirs:?}, revoscope refuses: {} ({e})",
            e.code()
        )),
    }
}

fn responses(root: &Path, certs: &CertCorpus) -> Vec<String> {
    let mut all = Vec::new();
    files(root, &root.join("ocsp"), &mut all);
    let mut disagreements: BTreeMap<String, String> = BTreeMap::new();
    let mut differ = |rel: &str, why: String| {
        disagreements
            .entry(rel.to_string())
            .and_modify(|w| *w = format!("{w}; {why}"))
            .or_insert(why);
    };
    let (mut total, mut with_answers, mut singles, mut without_answers) = (0, 0, 0, 0);
    let (mut read_agreeing, mut validated, mut validated_agreeing, mut no_issuer) = (0, 0, 0, 0);
    for rel in &all {
        let bytes = std::fs::read(root.join(rel)).expect("corpus file");
        let (is_response, text, errors) = openssl(
            &["ocsp", "-respin", "/dev/stdin", "-resp_text", "-noverify"],
            &bytes,
        );
        let Some(theirs) = openssl_reading(&text, &errors) else {
            // A request (or nothing OpenSSL reads as a response).
            assert!(!is_response || rel.contains("req"), "{rel}: {text}");
            continue;
        };
        total += 1;
        let ours = ocsp::read(&bytes);
        match &theirs {
            OpensslReading::Successful(_) => with_answers += 1,
            _ => without_answers += 1,
        }
        match compare_reading(&ours, &theirs) {
            Ok(n) => {
                read_agreeing += 1;
                singles += n;
            }
            Err(why) => differ(rel, why),
        }
        println!(
            "  {rel}: read: {}",
            match &ours {
                Ok(ResponseSummary::Successful(data)) => {
                    let statuses: Vec<&str> = data
                        .responses
                        .iter()
                        .map(|s| s.cert_status.as_str())
                        .collect();
                    format!("{} answers ({})", statuses.len(), statuses.join(", "))
                }
                Ok(ResponseSummary::Unsuccessful { status }) => format!("status {status}"),
                Err(e) => format!("refused: {}", e.code()),
            }
        );

        // The validation, where the issuer of the first answer is in the corpus.
        let Ok(ResponseSummary::Successful(data)) = &ours else {
            continue;
        };
        let Some(id) = data.responses.first().map(|s| &s.cert_id) else {
            continue;
        };
        let issuer = certs.read.iter().find(|(_, c)| {
            id.hash_algorithm == CertIdAlgorithm::Hash(Hash::Sha1)
                && Sha1::digest(&c.subject_der)[..] == id.issuer_name_hash[..]
                && c.public_key_sha1().as_slice() == id.issuer_key_hash
        });
        let Some((issuer_file, issuer)) = issuer else {
            no_issuer += 1;
            continue;
        };
        validated += 1;
        let single = &data.responses[0];
        // The leaf is not in the corpus; a CertID needs only its serial and
        // its issuer's Name, so a stand-in carries those.
        let mut leaf = issuer.clone();
        leaf.serial = id.serial_number.clone();
        leaf.issuer_der = issuer.subject_der.clone();
        // Inside the validity: halfway to nextUpdate (capped as Firefox caps it).
        let until = single
            .next_update
            .unwrap_or(single.this_update + 3600)
            .min(single.this_update + u64::from(DEFAULT_MAX_LIFETIME_DAYS) * 86_400);
        let at = single.this_update + (until.saturating_sub(single.this_update)) / 2;
        let ours = ocsp::validate(
            &bytes,
            &leaf,
            issuer,
            UnixTime(at),
            DEFAULT_MAX_LIFETIME_DAYS,
            &RustCrypto,
        );
        let issuer_path = root.join(issuer_file.split('#').next().expect("a path"));
        let serial = hex(&id.serial_number);
        let serial_arg = format!("0x{serial}");
        let at_arg = at.to_string();
        let issuer_arg = issuer_path.to_string_lossy();
        let (_, theirs, their_errors) = openssl(
            &[
                "ocsp",
                "-respin",
                "/dev/stdin",
                "-issuer",
                &issuer_arg,
                "-serial",
                &serial_arg,
                "-CAfile",
                &issuer_arg,
                "-partial_chain",
                "-attime",
                &at_arg,
                "-no_nonce",
            ],
            &bytes,
        );
        let verified = their_errors.contains("Response verify OK");
        let theirs_said = said_by_openssl(&theirs, serial.trim_start_matches("00"))
            .or_else(|| said_by_openssl(&theirs, &serial));
        let outcome = match (&ours, verified, theirs_said) {
            (Ok(valid), true, Some(said)) if said_by_revoscope(valid) == said => Ok(()),
            (Ok(valid), true, Some(said)) => Err(format!(
                "OpenSSL says {said:?}, revoscope {:?}",
                said_by_revoscope(valid)
            )),
            (Ok(valid), _, _) => Err(format!(
                "revoscope accepts ({}) what OpenSSL refuses: {}",
                valid.answer.as_str(),
                their_errors.lines().next().unwrap_or_default()
            )),
            (Err(_), false, _) => Ok(()),
            (Err(e), true, _) => Err(format!(
                "OpenSSL accepts, revoscope refuses: {} ({e})",
                e.code()
            )),
        };
        println!(
            "  {rel}: validated: issuer {issuer_file}, at {}: revoscope {}, OpenSSL {}",
            UnixTime(at),
            match &ours {
                Ok(v) => v.answer.as_str().to_string(),
                Err(e) => e.code().to_string(),
            },
            if verified {
                "verify OK"
            } else {
                "verify failure"
            }
        );
        match outcome {
            Ok(()) => validated_agreeing += 1,
            Err(why) => differ(rel, format!("validated: {why}")),
        }
    }
    println!(
        "corpus OCSP responses: {total}; all read without validation and compared with \
         OpenSSL: {with_answers} with answers ({singles} SingleResponses compared in full), \
         {without_answers} without (compared by status or refusal), {read_agreeing} agree; \
         {validated} with their issuer in the corpus also validated and compared, \
         {validated_agreeing} agree ({no_issuer} others without their issuer, read only); \
         {} known differences",
        OCSP_DIFFERENCES.len()
    );
    for (file, why) in &disagreements {
        println!("  differs: {file}: {why}");
    }
    let mut complaints = hold_to(OCSP_DIFFERENCES, &disagreements, "OCSP_DIFFERENCES");
    if total < AT_LEAST_RESPONSES {
        complaints.push(format!(
            "{total} OCSP responses read by OpenSSL, fewer than the {AT_LEAST_RESPONSES} the \
             corpus holds: is openssl on the PATH, and the corpus whole?"
        ));
    }
    for (file, why) in unlisted(&disagreements, &[OCSP_DIFFERENCES]) {
        complaints.push(format!("{file}: {why}"));
    }
    complaints
}

#[test]
fn real_world_corpus() {
    let Some(root) = corpus() else { return };
    let (certs, mut complaints) = certificates(&root);
    complaints.extend(responses(&root, &certs));
    assert!(complaints.is_empty(), "\n{}", complaints.join("\n"));
}
