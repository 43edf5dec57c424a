//! `revoscope inspect`: one chain down the ladder, read from a file or
//! captured from a live TLS handshake.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use revoscope::compare::{compare_with, Comparison, View};
use revoscope::crl::{CrlCache, CrlList};
use revoscope::crlite::FilterSetInfo;
use revoscope::crlset::{CrlSet, CrlSetInfo};
use revoscope::ocsp::FetchOutcome;
use revoscope::policy::{CrlSetUse, CrlUse, CrliteMode};
use revoscope::time::{describe_duration, ONE_DAY};
use revoscope::verdict::{CertVerdict, OneCrlInfo};
use revoscope::verify::RustCrypto;
use revoscope::{evaluate, issuer, Cert, Input, Outcome, UnixTime, Verdict};

use serde::Serialize;

use super::args::{ChainSource, InspectArgs};
use super::data_dir::default_data_dir;
use super::tls::{self, Target};
use super::{crl, crlite, http, input, note, print, print_json, CliError, Exit};

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the handshake of `inspect https://...` showed, beside the verdict.
#[derive(Serialize)]
struct Connection {
    host: String,
    port: u16,
    /// The server stapled an OCSP response.
    stapled: bool,
    /// The chain verifies to a root of Mozilla's store (webpki-roots) for this name.
    trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    untrusted_because: Option<String>,
}

/// `--json` output: the verdict, and the connection when there was one.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    verdict: &'a Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection: Option<&'a Connection>,
    /// `--compare`: the chain under the compared presets.
    #[serde(skip_serializing_if = "Option::is_none")]
    compare: Option<&'a Comparison>,
}

pub fn run(args: &InspectArgs) -> Result<Exit, CliError> {
    let mut staple = args
        .staple
        .as_deref()
        .map(|path| input::bytes("--staple", path))
        .transpose()?;
    let (chain, connection) = match &args.source {
        ChainSource::File(path) => (input::certificates("--chain", path)?, None),
        ChainSource::Https(url) => {
            let target = Target::parse(url)?;
            let captured = tls::capture(&target, HANDSHAKE_TIMEOUT)?;
            if staple.is_none() {
                staple = captured.staple.clone();
            }
            let connection = Connection {
                host: target.host,
                port: target.port,
                stapled: captured.staple.is_some(),
                trusted: captured.trust.is_ok(),
                untrusted_because: captured.trust.err(),
            };
            (captured.chain, Some(connection))
        }
    };
    let onecrl = input::snapshot(args.onecrl.as_deref())?;
    let policy = input::policy(args.policy.as_deref())?;
    let source = match &args.source {
        ChainSource::File(path) => path.display().to_string(),
        ChainSource::Https(url) => url.clone(),
    };
    let bad_chain = |e: revoscope::Error| CliError::input(format!("{source}: {e}"));
    let time = input::time(args.at.as_deref())?;
    let mut cache = input::ocsp_cache(args.ocsp_cache.as_deref(), time)?;
    let crlite = args
        .crlite_dir
        .as_deref()
        .map(|dir| crlite::load("--crlite-dir", dir))
        .transpose()?;
    if crlite.is_some() && policy.crlite == CrliteMode::Disabled && !args.json {
        note(&format!(
            "policy {} does not consult CRLite, so --crlite-dir changes nothing (firefox-today enforces it)",
            policy.name
        ));
    }
    let crlset = match args.crlset.as_deref() {
        Some(path) => Some(
            CrlSet::from_bytes(&input::bytes("--crlset", path)?)
                .map_err(|e| CliError::input(format!("--crlset {}: {e}", path.display())))?,
        ),
        // Without --crlset, the set `crlset sync` keeps, when the policy
        // or the comparison consults one (as `crlite query` reads the
        // filters it keeps).
        None if policy.crlset != CrlSetUse::Disabled || args.compare => synced_crlset()?,
        None => None,
    };
    if crlset.is_some() && policy.crlset == CrlSetUse::Disabled && !args.json && !args.compare {
        note(&format!(
            "policy {} does not consult the CRLSet, so --crlset changes nothing (chrome-today enforces it)",
            policy.name
        ));
    }
    if !args.crls.is_empty() && policy.crl == CrlUse::Disabled && !args.json {
        note(&format!(
            "policy {} does not take the CRL rung, so --crl changes nothing (inspector takes it)",
            policy.name
        ));
    }

    let mut ladder_input = Input {
        chain: &chain,
        stapled_ocsp: staple.as_deref(),
        staple_hidden: false,
        time,
        policy: &policy,
        onecrl: &onecrl,
        // A chain that verifies to Mozilla's store ends in a built-in root.
        root_is_built_in: args.built_in_root || connection.as_ref().is_some_and(|c| c.trusted),
        crlite: crlite.as_ref(),
        crlset: crlset.as_ref(),
        ocsp_cache: Some(&cache),
        crls: None,
        live_ocsp: None,
        issuer_fetch: None,
        verifier: &RustCrypto,
    };
    let mut verdict = evaluate(&ladder_input).map_err(bad_chain)?;
    let timeout = Duration::from_millis(u64::from(
        args.timeout_ms.unwrap_or(policy.live_timeout_ms()),
    ));
    // The leaf came without its issuer: fetch it from the caIssuers URL the
    // engine names (as Chrome completes a chain; Firefox does not fetch),
    // and evaluate again with it. The engine checks that it is the issuer.
    let issuer_fetch = verdict
        .certificates
        .first()
        .and_then(|leaf| leaf.issuer_fetch.clone());
    let issuer_outcome;
    if let (false, Some(fetch)) = (args.no_fetch, issuer_fetch) {
        issuer_outcome = http::fetch_issuer(&fetch, timeout);
        if !args.json {
            note(&format!(
                "the chain lacks the leaf's issuer: asked {} for it ({} ms)",
                fetch.url,
                issuer_outcome.elapsed_ms()
            ));
        }
        ladder_input.issuer_fetch = Some(&issuer_outcome);
        verdict = evaluate(&ladder_input).map_err(bad_chain)?;
    }
    // The CRL step asked for the leaf's CRL: take it from --crl, else fetch
    // it (unless --no-fetch), and evaluate again with it. Before live OCSP,
    // which a CRL answer makes unnecessary.
    let crl_fetch = verdict
        .certificates
        .first()
        .and_then(|leaf| leaf.crl_fetch.clone());
    let issuer = crl_fetch
        .as_ref()
        .and_then(|_| leaf_issuer(&chain, ladder_input.issuer_fetch));
    let mut crls = CrlCache::new();
    if let (Some(fetch), Some(issuer)) = (crl_fetch, issuer) {
        let held = if !args.crls.is_empty() {
            let said = given_crls(&args.crls, &fetch.url, &issuer, time, &mut crls)?;
            if !args.json {
                note(&said);
            }
            true
        } else if !args.no_fetch {
            let outcome = http::fetch_crl(&fetch, timeout);
            if !args.json {
                note(&format!(
                    "asked {} for the leaf's CRL ({} ms)",
                    fetch.url,
                    outcome.elapsed_ms()
                ));
            }
            // A failure is kept too: the verdict says why there is no list.
            let _ = crls.ingest(&fetch.url, &outcome, &issuer, time, &RustCrypto);
            true
        } else {
            false
        };
        if held {
            ladder_input.crls = Some(&crls);
            verdict = evaluate(&ladder_input).map_err(bad_chain)?;
        }
    }
    // The engine asked for a live answer: fetch it, and evaluate again with it.
    let pending = verdict
        .certificates
        .first()
        .and_then(|leaf| leaf.fetch.clone());
    let live_outcome;
    if let (false, Some(mut fetch)) = (args.no_fetch, pending) {
        if let Some(url) = &args.responder {
            fetch = revoscope::ocsp::exchange::fetch_for(url, fetch.request_der);
        }
        let (method, outcome) = http::fetch_ocsp(&fetch, args.method, timeout);
        if !args.json {
            note(&format!(
                "asked {} by {} ({} ms)",
                fetch.responder,
                method.as_str(),
                outcome.elapsed_ms()
            ));
        }
        live_outcome = outcome;
        ladder_input.live_ocsp = Some(&live_outcome);
        verdict = evaluate(&ladder_input).map_err(bad_chain)?;
    }
    // The same input, answers fetched for the policy in force included.
    let comparison = if args.compare {
        Some(compare_with(&ladder_input, &verdict).map_err(bad_chain)?)
    } else {
        None
    };
    if let Some(path) = &args.ocsp_cache {
        cache.apply(&verdict);
        input::save_ocsp_cache(path, &cache)?;
    }

    if args.json {
        print_json(&Output {
            verdict: &verdict,
            connection: connection.as_ref(),
            compare: comparison.as_ref(),
        })?;
    } else {
        if let Some(c) = &connection {
            print(&ConnectionReport(c).to_string())?;
        }
        print(&Report(&verdict).to_string())?;
        if let Some(comparison) = &comparison {
            print(&CompareReport(comparison).to_string())?;
        }
    }
    Ok(if verdict.outcome == Outcome::Block {
        Exit::Block
    } else {
        Exit::Clear
    })
}

/// The leaf's issuer as the verdict has it: the chain's second certificate,
/// or the one fetched from its caIssuers URL (which the engine accepted).
fn leaf_issuer(chain: &[Vec<u8>], fetched: Option<&FetchOutcome>) -> Option<Cert> {
    if let Some(der) = chain.get(1) {
        return Cert::from_der(der).ok();
    }
    let leaf_der = chain.first()?;
    let leaf = Cert::from_der(leaf_der).ok()?;
    issuer::check_fetched(&leaf, leaf_der, fetched?, &RustCrypto)
        .ok()
        .map(|found| found.cert)
}

/// `--crl FILE...` for the leaf's CRL `url`: every file is read (one that
/// cannot be is a bad input); the first that reads as `issuer`'s list and
/// whose scope names `url` (or no URL) goes into `crls`, else the first
/// that reads as `issuer`'s; when none does, the first one's failure, so
/// the verdict says why. Returns the note that says which.
fn given_crls(
    paths: &[PathBuf],
    url: &str,
    issuer: &Cert,
    time: UnixTime,
    crls: &mut CrlCache,
) -> Result<String, CliError> {
    let files = paths
        .iter()
        .map(|path| crl::read_der("--crl", path).map(|der| (path, der)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut fallback = None;
    for (path, der) in &files {
        let Ok(list) = CrlList::read(der, issuer, &RustCrypto) else {
            continue;
        };
        if list.scope.urls.is_empty() || list.scope.urls.iter().any(|u| u == url) {
            crls.insert_list(url, Arc::new(list), time);
            return Ok(format!(
                "the leaf's CRL {url}: read from {}",
                path.display()
            ));
        }
        fallback.get_or_insert((path, list));
    }
    if let Some((path, list)) = fallback {
        crls.insert_list(url, Arc::new(list), time);
        return Ok(format!(
            "the leaf's CRL {url}: read from {}, whose scope names another URL",
            path.display()
        ));
    }
    // None reads: the first file, as if served from the URL, so the cache
    // holds the engine's reason (bad-signature, malformed...).
    let (path, der) = &files[0];
    let served = FetchOutcome::Response {
        http_status: 200,
        body: der.clone(),
        elapsed_ms: 0,
    };
    let _ = crls.ingest(url, &served, issuer, time, &RustCrypto);
    Ok(format!(
        "the leaf's CRL {url}: no --crl file is a usable list of {}; the first, {}, is judged",
        issuer.subject,
        path.display()
    ))
}

/// `connected to HOST:PORT: ...`, before the report.
struct ConnectionReport<'a>(&'a Connection);

impl fmt::Display for ConnectionReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.0;
        writeln!(
            f,
            "connected to {}:{}: {}",
            c.host,
            c.port,
            if c.stapled {
                "the server stapled an OCSP response"
            } else {
                "no stapled OCSP response"
            }
        )?;
        match &c.untrusted_because {
            None => writeln!(f, "trust: the chain verifies to a root of Mozilla's store")?,
            Some(why) => writeln!(f, "trust: not verified to Mozilla's store ({why})")?,
        }
        writeln!(f)
    }
}

/// The CRLSet the evaluation had: its sequence and NotAfter (the file
/// carries no issue date).
struct CrlSetLine<'a>(&'a CrlSetInfo);

impl fmt::Display for CrlSetLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.0;
        write!(
            f,
            "CRLSet sequence {}, {} parents, {} serials, {} blocked SPKIs, ",
            info.sequence, info.parents, info.serials, info.blocked_spkis
        )?;
        match info.not_after {
            Some(not_after) => write!(f, "NotAfter {}", UnixTime(not_after)),
            None => f.write_str("no NotAfter"),
        }
    }
}

/// `--compare`: one line per view.
struct CompareReport<'a>(&'a Comparison);

impl fmt::Display for CompareReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "compare:")?;
        for view in &self.0.views {
            writeln!(f, "{}", ViewLine(view))?;
        }
        Ok(())
    }
}

struct ViewLine<'a>(&'a View);

impl fmt::Display for ViewLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let view = self.0;
        let marker = if view.in_force { " (in force)" } else { "" };
        write!(
            f,
            "  {:<14} {:<16} leaf {} by {}{marker}; missing: ",
            view.name,
            view.outcome.as_str(),
            view.leaf_status,
            view.leaf_decided_by
        )?;
        if view.missing.is_empty() {
            return f.write_str("nothing");
        }
        let missing: Vec<&str> = view.missing.iter().map(|m| m.as_str()).collect();
        f.write_str(&missing.join(", "))
    }
}

/// The readable report.
struct Report<'a>(&'a Verdict);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = self.0;
        writeln!(
            f,
            "policy {} at {}, {}",
            verdict.policy,
            verdict.evaluated_at,
            SnapshotLine(&verdict.onecrl)
        )?;
        if let Some(info) = &verdict.crlite {
            writeln!(f, "{}", CrliteLine(info))?;
        }
        if let Some(info) = &verdict.crlset {
            writeln!(f, "{}", CrlSetLine(info))?;
        }
        for cert in &verdict.certificates {
            writeln!(f)?;
            CertReport(cert).fmt(f)?;
        }
        writeln!(f)?;
        writeln!(f, "outcome: {}", verdict.outcome)?;
        let would_block = match verdict.hard_fail_would_block {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        writeln!(f, "hard-fail would block: {would_block}")
    }
}

/// `OneCRL snapshot 2026-...Z: 1918 records, 3.2 days old, fresh`.
struct SnapshotLine<'a>(&'a OneCrlInfo);

impl fmt::Display for SnapshotLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.0;
        // Tenths of a day, in integers: no float formatting of untrusted values.
        let tenths = info.age_secs / (ONE_DAY / 10);
        write!(
            f,
            "OneCRL snapshot {}: {} records, {}.{} days old, {}",
            UnixTime::from_millis(info.timestamp),
            info.records,
            tenths / 10,
            tenths % 10,
            if info.stale { "stale" } else { "fresh" }
        )
    }
}

/// `CRLite filters: full X of DATE and N deltas, installed AGE ago, fresh`.
struct CrliteLine<'a>(&'a FilterSetInfo);

impl fmt::Display for CrliteLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.0;
        write!(
            f,
            "CRLite filters: full {} of {} and {} deltas, installed {} ago, {}",
            info.full_id,
            info.full_effective,
            info.deltas,
            describe_duration(info.age_secs),
            if info.stale { "stale" } else { "fresh" }
        )
    }
}

/// One certificate: facts, decision, trace, and the fetch it waits for.
struct CertReport<'a>(&'a CertVerdict);

impl fmt::Display for CertReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cert = self.0;
        writeln!(f, "#{} {}", cert.index, cert.role)?;
        field(f, "subject", &cert.subject)?;
        field(f, "issuer", &cert.issuer)?;
        field(f, "serial", &cert.serial_hex)?;
        field(
            f,
            "validity",
            &format_args!(
                "{} .. {} ({})",
                cert.not_before,
                cert.not_after,
                describe_duration(cert.lifetime_secs)
            ),
        )?;
        for point in &cert.crl_distribution_points {
            field(f, "crl dp", &DistributionPoint(point))?;
        }
        field(
            f,
            "status",
            &format_args!(
                "{} decided by {}: {}",
                cert.status, cert.decided_by, cert.reason
            ),
        )?;
        field(f, "trace", &"")?;
        for entry in &cert.trace {
            writeln!(
                f,
                "    {}: {} — {}",
                entry.step, entry.outcome, entry.detail
            )?;
        }
        if let Some(offline) = &cert.offline {
            field(f, "offline", offline)?;
        }
        if let Some(ms) = cert.elapsed_ms {
            field(f, "latency", &format_args!("{ms} ms"))?;
        }
        if let Some(report) = &cert.crl {
            field(f, "crl", &crl::ReportLine(report))?;
        }
        if let Some(fetch) = &cert.issuer_fetch {
            field(f, "fetch", &format_args!("GET {} (the issuer)", fetch.url))?;
        }
        if let Some(fetch) = &cert.crl_fetch {
            field(f, "fetch", &format_args!("GET {} (the CRL)", fetch.url))?;
        }
        if let Some(fetch) = &cert.fetch {
            match &fetch.get_url {
                Some(url) => field(f, "fetch", &format_args!("{} {url}", fetch.method.as_str()))?,
                None => field(
                    f,
                    "fetch",
                    &format_args!(
                        "{} {} (a {}-byte application/ocsp-request body)",
                        fetch.method.as_str(),
                        fetch.responder,
                        fetch.request_der.len()
                    ),
                )?,
            }
        }
        Ok(())
    }
}

/// One CRL Distribution Point: its URLs, and the reasons and cRLIssuer
/// that narrow it, when it names them.
struct DistributionPoint<'a>(&'a revoscope::cert::CrlDistributionPoint);

impl fmt::Display for DistributionPoint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let point = self.0;
        if point.urls.is_empty() {
            f.write_str("(no URL)")?;
        } else {
            f.write_str(&point.urls.join(", "))?;
        }
        if let Some(reasons) = &point.reasons {
            write!(f, "; reasons {}", reasons.join(", "))?;
        }
        if let Some(issuer) = &point.crl_issuer {
            write!(f, "; cRLIssuer {}", issuer.join(", "))?;
        }
        Ok(())
    }
}

/// `  label:     value`, values aligned.
fn field(f: &mut fmt::Formatter<'_>, label: &str, value: &dyn fmt::Display) -> fmt::Result {
    let value = value.to_string();
    if value.is_empty() {
        writeln!(f, "  {label}:")
    } else {
        writeln!(f, "  {:<10}{value}", format!("{label}:"))
    }
}

/// The CRLSet `crlset sync` keeps in its default place, if there is one.
/// A kept file that does not read is an error: it is what the user synced.
fn synced_crlset() -> Result<Option<CrlSet>, CliError> {
    let Some(path) = default_data_dir("crlset").map(|dir| crate::crlset::set_path(&dir)) else {
        return Ok(None);
    };
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = input::bytes("the synced CRLSet", &path)?;
    CrlSet::from_bytes(&bytes).map(Some).map_err(|e| {
        CliError::input(format!(
            "{}: {e} (sync again with `revoscope crlset sync`, or name a set with --crlset FILE)",
            path.display()
        ))
    })
}
