//! The revocation policy ladder (Mozilla's revocation plan, checked against
//! Firefox's NSSCertDBTrustDomain.cpp `GetCertTrust` and `CheckRevocation`).
//!
//! - CA certificates (intermediates and roots): OneCRL, dispositive.
//!   Firefox consults OneCRL for every certificate, trust anchors included.
//!   Then Chrome's CRLSet, when the policy enforces it.
//! - The end entity, in order: OneCRL; the CRLSet; CRLite; the short-lived
//!   exemption; the stapled response; must-staple; live OCSP (soft- or
//!   hard-fail). The policy's [`ExemptionOrder`] puts the exemption before
//!   stapling (the plan) or after it (Firefox).
//!
//! The ladder is pure: when it needs live OCSP it hands the request out as
//! `pending`, and the host fetches.

use crate::cert::Cert;
use crate::cert_cache::CertCache;
use crate::crl::{self, Consulted, CrlAnswer, CrlCache, CrlFetch, CrlReport};
use crate::crlite::{CrliteStatus, FilterSet, Lookup, MAX_FILTER_AGE_SECS};
use crate::crlset::CrlSet;
use crate::error::Error;
use crate::issuer::{self, Fetched, IssuerFetch};
use crate::limits::MAX_CHAIN_LEN;
use crate::ocsp::cache::{cache_key, CacheEntry, Cached, OcspCache};
use crate::ocsp::exchange::{
    classify_with, fetch_for, FetchMethod, FetchOutcome, LiveAnswer, OcspFetch, Offline,
};
use crate::ocsp::request;
use crate::ocsp::response::{validate_with, Answer, ValidResponse, DEFAULT_MAX_LIFETIME_DAYS};
use crate::ocsp::OcspError;
use crate::onecrl::{Record, RecordKind, Snapshot};
use crate::policy::{
    CrlUse, CrliteMode, ExemptionOrder, LiveOcsp, NoRevocationInfo, OcspMethod, OneCrlUse, Policy,
    StapledRules,
};
use crate::time::{describe_duration, UnixTime, ONE_DAY};
use crate::verdict::{
    CacheUpdate, CertVerdict, OneCrlInfo, Outcome, Role, Status, Step, StepOutcome, TraceEntry,
    Verdict,
};
use crate::verify::SignatureVerifier;

mod crlset;

use self::crlset::{CrlSetSays, CrlSetView};

/// Everything one evaluation needs; nothing else is read.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// DER certificates, leaf first, as the browser verified them.
    pub chain: &'a [Vec<u8>],
    /// The OCSP response the server stapled for the leaf, if any.
    pub stapled_ocsp: Option<&'a [u8]>,
    /// The host could not see whether the server stapled a response
    /// (browsers do not show it to extensions); `stapled_ocsp` is then
    /// `None`, and it means "unseen", not "absent".
    pub staple_hidden: bool,
    pub time: UnixTime,
    pub policy: &'a Policy,
    pub onecrl: &'a Snapshot,
    /// The chain ends in a root of the browser's built-in store.
    pub root_is_built_in: bool,
    /// The CRLite filters in force, if any.
    pub crlite: Option<&'a FilterSet>,
    /// Chrome's CRLSet, if the host has one; the policy's `crlset` decides
    /// whether it is consulted.
    pub crlset: Option<&'a CrlSet>,
    /// The host's OCSP cache, consulted before going live.
    pub ocsp_cache: Option<&'a OcspCache>,
    /// What the host got for the leaf's live OCSP request (the `fetch` of a
    /// previous, pending verdict); `None` leaves the live step pending.
    pub live_ocsp: Option<&'a FetchOutcome>,
    /// The host's CRLs, by URL ([`CrlCache::ingest`] stores what it
    /// fetched for a `crl_fetch`); `None` with the policy's CRL rung on
    /// leaves the step pending.
    pub crls: Option<&'a CrlCache>,
    /// What the host got for the missing issuer (the `issuer_fetch` of a
    /// previous, pending verdict: the leaf alone, its AIA caIssuers URL);
    /// `None` leaves the leaf pending.
    pub issuer_fetch: Option<&'a FetchOutcome>,
    /// Does the arithmetic of OCSP signature checks: `&RustCrypto`
    /// natively, a [`crate::verify::ledger::Ledger`] of WebCrypto results in
    /// the browser build.
    pub verifier: &'a dyn SignatureVerifier,
}

/// Evaluates a chain. Fails only when the chain itself is unusable.
pub fn evaluate(input: &Input<'_>) -> Result<Verdict, Error> {
    check_chain_len(input)?;
    let certs = input
        .chain
        .iter()
        .enumerate()
        .map(|(index, der)| Cert::from_der(der).map_err(|e| in_chain(index, e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(evaluate_certs(&certs.iter().collect::<Vec<_>>(), input))
}

/// [`evaluate`] for a long-lived host: CA certificates are taken from (and
/// added to) `cache`; the leaf is always parsed afresh. The verdict is the
/// same as `evaluate`'s.
pub fn evaluate_cached(input: &Input<'_>, cache: &mut CertCache) -> Result<Verdict, Error> {
    check_chain_len(input)?;
    let leaf = Cert::from_der(&input.chain[0]).map_err(|e| in_chain(0, e))?;
    let cas = input.chain[1..]
        .iter()
        .enumerate()
        .map(|(i, der)| cache.get_or_parse(der).map_err(|e| in_chain(i + 1, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let certs: Vec<&Cert> = std::iter::once(&leaf)
        .chain(cas.iter().map(|c| &**c))
        .collect();
    Ok(evaluate_certs(&certs, input))
}

fn check_chain_len(input: &Input<'_>) -> Result<(), Error> {
    if input.chain.is_empty() {
        return Err(Error::EmptyChain);
    }
    if input.chain.len() > MAX_CHAIN_LEN {
        return Err(Error::ChainTooLong {
            len: input.chain.len(),
            max: MAX_CHAIN_LEN,
        });
    }
    Ok(())
}

fn in_chain(index: usize, cause: Error) -> Error {
    Error::InChain {
        index,
        cause: Box::new(cause),
    }
}

/// Evaluates parsed certificates (leaf first); `input.chain` is their DER.
///
/// A certificate given alone is a root when it is self-signed; otherwise
/// its issuer is missing, and the chain is completed with the one the host
/// fetched from its caIssuers URL, or the verdict is `incomplete` (pending
/// the fetch, or with why it failed). Incomplete input is never a block.
fn evaluate_certs(certs: &[&Cert], input: &Input<'_>) -> Verdict {
    let alone_is_root =
        certs.len() == 1 && issuer::is_self_signed(certs[0], &input.chain[0], input.verifier);
    let fetched;
    let completed: Vec<&Cert>;
    let mut completion = None;
    let certs = if certs.len() == 1 && !alone_is_root {
        match complete_chain(certs[0], input) {
            Ok((issuer, note)) => {
                fetched = issuer;
                completion = Some(note);
                completed = vec![certs[0], &fetched.cert];
                &completed[..]
            }
            Err(unfinished) => return judge_certs(certs, input, false, None, Some(unfinished)),
        }
    } else {
        certs
    };
    judge_certs(certs, input, alone_is_root, completion, None)
}

/// Why the leaf's issuer is not at hand: the fetch to make, or the reason
/// it cannot be had.
struct Unfinished {
    fetch: Option<IssuerFetch>,
    outcome: StepOutcome,
    detail: String,
    elapsed_ms: Option<u32>,
}

/// The leaf alone, not self-signed: its issuer from the host's fetch, or
/// what is missing.
fn complete_chain(leaf: &Cert, input: &Input<'_>) -> Result<(Fetched, TraceEntry), Unfinished> {
    let Some(fetch) = IssuerFetch::for_cert(leaf) else {
        let detail = if leaf.ca_issuers_urls.is_empty() {
            format!(
                "the issuer {} is not in the chain, and the certificate names no caIssuers URL (AIA) to fetch it from",
                leaf.issuer
            )
        } else {
            format!(
                "the issuer {} is not in the chain, and the certificate's caIssuers URLs are not http:// ({})",
                leaf.issuer,
                leaf.ca_issuers_urls.join(", ")
            )
        };
        return Err(Unfinished {
            fetch: None,
            outcome: StepOutcome::NoIssuer,
            detail,
            elapsed_ms: None,
        });
    };
    let Some(outcome) = input.issuer_fetch else {
        return Err(Unfinished {
            detail: format!(
                "the issuer {} is not in the chain; it is to be fetched from the caIssuers URL {}",
                leaf.issuer, fetch.url
            ),
            fetch: Some(fetch),
            outcome: StepOutcome::Pending,
            elapsed_ms: None,
        });
    };
    match issuer::check_fetched(leaf, &input.chain[0], outcome, input.verifier) {
        Ok(found) => {
            let detail = format!(
                "the issuer was not in the chain: fetched {} from {} ({}, {} bytes, {} ms); its name matches and \
                 its key verifies the certificate's signature",
                found.cert.subject,
                fetch.url,
                found.format.as_str(),
                found.len,
                found.elapsed_ms
            );
            let note = TraceEntry {
                step: Step::Issuer,
                outcome: StepOutcome::Fetched,
                detail,
            };
            Ok((found, note))
        }
        Err(e) => Err(Unfinished {
            detail: format!(
                "the issuer {} is not in the chain, and fetching it from {} failed ({}): {e}",
                leaf.issuer,
                fetch.url,
                e.code()
            ),
            fetch: None,
            outcome: StepOutcome::NoIssuer,
            elapsed_ms: Some(outcome.elapsed_ms()),
        }),
    }
}

/// Judges every certificate. `completion` notes how the leaf's issuer was
/// found; `unfinished`, that it is missing (then `certs` is the leaf alone,
/// judged only by what needs no issuer: OneCRL).
fn judge_certs(
    certs: &[&Cert],
    input: &Input<'_>,
    alone_is_root: bool,
    completion: Option<TraceEntry>,
    unfinished: Option<Unfinished>,
) -> Verdict {
    let age = input.onecrl.age_secs(input.time);
    let onecrl = OneCrlInfo {
        timestamp: input.onecrl.timestamp_ms,
        records: input.onecrl.records().len(),
        age_secs: age,
        stale: age > u64::from(input.policy.onecrl_max_age_hours) * 3600,
    };
    let freshness = if onecrl.stale {
        format!(
            "; the snapshot is stale: {} old, beyond the policy's {} h",
            describe_duration(onecrl.age_secs),
            input.policy.onecrl_max_age_hours
        )
    } else {
        String::new()
    };
    let not_listed = format!(
        "not in the snapshot of {} records{freshness}",
        onecrl.records
    );
    let last = certs.len() - 1;
    let crlset = CrlSetView::new(certs, input);
    let judge = |index: usize, refused_above: Option<&CertVerdict>| {
        let cert = certs[index];
        let role = match index {
            0 if alone_is_root => Role::Root,
            0 => Role::Leaf,
            i if i == last && cert.is_self_issued() => Role::Root,
            _ => Role::Intermediate,
        };
        let mut rung = Rung::new(&onecrl, &freshness, &not_listed, input.policy);
        if index == 0 {
            rung.trace.extend(completion.clone());
        }
        let issuer = certs.get(index + 1).copied();
        let decided = if let (0, Some(unfinished)) = (index, &unfinished) {
            without_issuer(&mut rung, cert, input, &crlset, unfinished)
        } else if let Some(missing) = tls_feature_missing(&mut rung, cert, issuer, input.policy) {
            missing
        } else if role == Role::Leaf {
            end_entity(&mut rung, cert, issuer, input, &crlset, refused_above)
        } else {
            ca(&mut rung, cert, index, input, &crlset)
        };
        CertVerdict {
            index,
            role,
            subject: cert.subject.clone(),
            issuer: cert.issuer.clone(),
            serial_hex: cert.serial_hex(),
            not_before: UnixTime(cert.not_before).to_string(),
            not_after: UnixTime(cert.not_after).to_string(),
            lifetime_secs: cert.lifetime_secs(),
            status: decided.status,
            decided_by: decided.step,
            reason: decided.reason,
            trace: rung.trace,
            fetch: decided.fetch,
            issuer_fetch: decided.issuer_fetch,
            ocsp_response: decided.response,
            offline: decided.offline,
            elapsed_ms: decided.elapsed_ms,
            cache_update: decided.cache_update,
            crlite: rung.crlite,
            crl_fetch: decided.crl_fetch,
            crl_distribution_points: cert.crl_distribution_points.clone(),
            crl: decided.crl,
        }
    };
    // The CA certificates first, as mozpkix checks issuers' revocation
    // before the certificate they issued: a refused issuer means no OCSP
    // request for the leaf.
    let cas: Vec<CertVerdict> = (1..certs.len()).map(|i| judge(i, None)).collect();
    let refused_above = cas
        .iter()
        .find(|c| matches!(c.status, Status::Revoked | Status::Error));
    let leaf = judge(0, refused_above);
    let certificates: Vec<CertVerdict> = std::iter::once(leaf).chain(cas).collect();
    let (outcome, hard_fail_would_block) = chain_outcome(&certificates, input.policy);
    Verdict {
        policy: input.policy.name.clone(),
        evaluated_at: input.time.to_string(),
        onecrl,
        crlite: input.crlite.map(|set| set.info(input.time)),
        crlset: input.crlset.map(CrlSet::info),
        certificates,
        outcome,
        hard_fail_would_block,
    }
}

struct Decided {
    status: Status,
    step: Step,
    reason: String,
    fetch: Option<OcspFetch>,
    issuer_fetch: Option<IssuerFetch>,
    response: Option<ValidResponse>,
    offline: Option<Offline>,
    elapsed_ms: Option<u32>,
    cache_update: Option<CacheUpdate>,
    crl_fetch: Option<CrlFetch>,
    crl: Option<CrlReport>,
}

fn decided(status: Status, step: Step, reason: impl Into<String>) -> Decided {
    Decided {
        status,
        step,
        reason: reason.into(),
        fetch: None,
        issuer_fetch: None,
        response: None,
        offline: None,
        elapsed_ms: None,
        cache_update: None,
        crl_fetch: None,
        crl: None,
    }
}

/// The trace of one certificate's walk down the ladder.
struct Rung<'a> {
    trace: Vec<TraceEntry>,
    onecrl: &'a OneCrlInfo,
    /// "; the snapshot is stale: ..." or empty; the same for every certificate.
    freshness: &'a str,
    /// The OneCRL step's detail when the snapshot does not list a certificate.
    not_listed: &'a str,
    /// What CRLite said, when the policy asked it.
    crlite: Option<Lookup>,
    /// The policy consults OneCRL.
    onecrl_on: bool,
}

impl<'a> Rung<'a> {
    fn new(
        onecrl: &'a OneCrlInfo,
        freshness: &'a str,
        not_listed: &'a str,
        policy: &Policy,
    ) -> Self {
        Rung {
            trace: Vec::with_capacity(6),
            onecrl,
            freshness,
            not_listed,
            crlite: None,
            onecrl_on: policy.onecrl == OneCrlUse::Enforce,
        }
    }

    fn note(&mut self, step: Step, outcome: StepOutcome, detail: impl Into<String>) {
        self.trace.push(TraceEntry {
            step,
            outcome,
            detail: detail.into(),
        });
    }

    /// The OneCRL step, shared by every role. `Some` when the certificate
    /// is listed; no step when the policy does not consult OneCRL.
    fn onecrl(&mut self, cert: &Cert, snapshot: &Snapshot) -> Option<Decided> {
        if !self.onecrl_on {
            return None;
        }
        let freshness = self.freshness;
        match snapshot.lookup(cert) {
            Some(record) => {
                let why = listed_because(record);
                self.note(
                    Step::Onecrl,
                    StepOutcome::Listed,
                    format!("{why}{freshness}"),
                );
                Some(decided(
                    Status::Revoked,
                    Step::Onecrl,
                    format!("Revoked: {why}."),
                ))
            }
            None => {
                self.note(Step::Onecrl, StepOutcome::NotListed, self.not_listed);
                None
            }
        }
    }
}

fn listed_because(record: &Record) -> String {
    let by = match record.kind {
        RecordKind::IssuerSerial => "issuer and serial number",
        RecordKind::SubjectPubKeyHash => "subject and public key",
    };
    let mut why = format!("OneCRL lists it by {by} (record {})", record.id);
    if let Some(bug) = &record.bug {
        why.push_str(&format!(", {bug}"));
    }
    if !record.enabled {
        why.push_str(r#"; the record says "enabled": false, which Firefox ignores"#);
    }
    why
}

/// The leaf whose issuer is missing: OneCRL, which needs no issuer, still
/// decides a listed certificate; otherwise the leaf waits for its issuer
/// (`pending`, with the fetch) or is `incomplete`. Nothing else is judged:
/// CRLite, the staple and OCSP all need the issuer.
fn without_issuer(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    input: &Input<'_>,
    crlset: &CrlSetView<'_>,
    unfinished: &Unfinished,
) -> Decided {
    if let Some(revoked) = rung.onecrl(leaf, input.onecrl) {
        return revoked;
    }
    // The CRLSet's blocked keys and limited subjects need no issuer; its
    // serials do, so only a revocation counts here.
    if let CrlSetSays::Revoked(revoked) = crlset.step(rung, 0) {
        return revoked;
    }
    rung.note(Step::Issuer, unfinished.outcome, unfinished.detail.clone());
    match &unfinished.fetch {
        Some(fetch) => Decided {
            issuer_fetch: Some(fetch.clone()),
            ..decided(
                Status::Pending,
                Step::Issuer,
                format!(
                    "Pending: the issuer certificate is missing; waiting for it from {}.",
                    fetch.url
                ),
            )
        },
        None => Decided {
            elapsed_ms: unfinished.elapsed_ms,
            ..decided(
                Status::Incomplete,
                Step::Issuer,
                format!(
                    "Incomplete: {}. Without its issuer the certificate's revocation cannot be checked \
                     (beyond OneCRL); this is incomplete input, not a revocation.",
                    unfinished.detail
                ),
            )
        },
    }
}

/// CA certificates: OneCRL, dispositive; the CRLSet when the policy
/// enforces it (Chromium checks every certificate of the chain).
fn ca(
    rung: &mut Rung<'_>,
    cert: &Cert,
    index: usize,
    input: &Input<'_>,
    crlset: &CrlSetView<'_>,
) -> Decided {
    if let Some(revoked) = rung.onecrl(cert, input.onecrl) {
        return revoked;
    }
    let no_answer = match crlset.step(rung, index) {
        CrlSetSays::Revoked(decided) | CrlSetSays::Good(decided) => return decided,
        CrlSetSays::NoAnswer(why) => why,
    };
    if !rung.onecrl_on {
        return match no_answer {
            Some(why) => decided(
                Status::NotChecked,
                Step::Crlset,
                format!("Not checked: {why}, and no other step of the policy checks CA certificates."),
            ),
            None => decided(
                Status::NotChecked,
                Step::Policy,
                "Not checked: the policy consults neither OneCRL nor the CRLSet, the only steps for CA certificates.",
            ),
        };
    }
    let mut reason =
        "Good: OneCRL decides for CA certificates, and it does not list this one.".to_owned();
    if rung.onecrl.stale {
        reason.push_str(" The snapshot is stale, so a recent revocation could be missing.");
    }
    decided(Status::Good, Step::Onecrl, reason)
}

fn end_entity(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    issuer: Option<&Cert>,
    input: &Input<'_>,
    crlset: &CrlSetView<'_>,
    refused_above: Option<&CertVerdict>,
) -> Decided {
    let policy = input.policy;
    if let Some(revoked) = rung.onecrl(leaf, input.onecrl) {
        return revoked;
    }
    let crlset_good = match crlset.step(rung, 0) {
        CrlSetSays::Revoked(revoked) => return revoked,
        CrlSetSays::Good(good) => Some(good),
        CrlSetSays::NoAnswer(_) => None,
    };
    if let Some(decided) = crlite(rung, leaf, issuer, input) {
        return decided;
    }
    if policy.exemption_order == ExemptionOrder::BeforeStapling {
        if let Some(exempt) = short_lived(rung, leaf, policy) {
            return exempt;
        }
    }
    let staple = match stapled(rung, leaf, issuer, input) {
        Stapled::Decides(decided) => return decided,
        other => other,
    };
    if let Some(failed) = must_staple(rung, leaf, &staple, policy) {
        return failed;
    }
    if policy.exemption_order == ExemptionOrder::AfterStapling {
        if let Some(exempt) = short_lived(rung, leaf, policy) {
            return exempt;
        }
    }
    let deferred = match staple {
        Stapled::Deferred(d) => Some(d),
        _ => None,
    };
    // The CRLSet's good stands in for the online checks (Chromium reads the
    // staple first, then asks nothing more: cert_verify_proc_builtin.cc
    // weakens the policy to NoRevocationChecking when the leaf is covered).
    if let Some(good) = crlset_good {
        return or_deferred_unless_answered(deferred, good);
    }
    if let Some(decided) = crl_step(rung, leaf, issuer, input, refused_above) {
        return or_deferred_unless_answered(deferred, decided);
    }
    live(rung, leaf, issuer, input, deferred, refused_above)
}

/// The CRLite step (Firefox's `CheckCRLite`, read in NSSCertDBTrustDomain.cpp):
/// telemetry-only notes the answer and goes on; enforce lets a covered
/// certificate's answer decide (revoked blocks, not revoked stops the
/// ladder before any OCSP), and goes on when the filters do not cover it.
fn crlite(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    issuer: Option<&Cert>,
    input: &Input<'_>,
) -> Option<Decided> {
    let mode = input.policy.crlite;
    if mode == CrliteMode::Disabled {
        return None;
    }
    let (lookup, detail) = crlite_lookup(leaf, issuer, input);
    let outcome = match lookup.status {
        CrliteStatus::NoFilter => StepOutcome::NoFilter,
        CrliteStatus::NotCovered => StepOutcome::NotCovered,
        CrliteStatus::NotEnrolled => StepOutcome::NotEnrolled,
        CrliteStatus::NotRevoked => StepOutcome::Good,
        CrliteStatus::RevokedInFilter => StepOutcome::Revoked,
    };
    let decides = mode == CrliteMode::Enforce && lookup.status.is_covered();
    let consequence = match (mode, decides) {
        (CrliteMode::TelemetryOnly, _) => "; telemetry-only mode: the ladder goes on",
        (_, false) => "; the ladder goes on",
        (_, true) => "",
    };
    rung.note(Step::Crlite, outcome, format!("{detail}{consequence}"));
    let status = lookup.status;
    rung.crlite = Some(lookup);
    match status {
        _ if !decides => None,
        CrliteStatus::RevokedInFilter => Some(decided(
            Status::Revoked,
            Step::Crlite,
            format!("Revoked: {detail}."),
        )),
        _ => Some(decided(
            Status::Good,
            Step::Crlite,
            format!("Good: {detail}; CRLite enforce needs no OCSP."),
        )),
    }
}

/// What the filters say of `leaf`, and a sentence for the trace.
fn crlite_lookup(leaf: &Cert, issuer: Option<&Cert>, input: &Input<'_>) -> (Lookup, String) {
    let no_filter = |why: String| {
        (
            Lookup {
                status: CrliteStatus::NoFilter,
                filter: None,
            },
            why,
        )
    };
    let Some(set) = input.crlite else {
        return no_filter("no CRLite filter is loaded".into());
    };
    if set.is_stale(input.time) {
        return no_filter(format!(
            "the CRLite filters were last updated {} ago ({}); after {} days without an update Firefox \
             ignores them",
            describe_duration(set.age_secs(input.time)),
            set.installed_at(),
            MAX_FILTER_AGE_SECS / ONE_DAY
        ));
    }
    let Some(issuer) = issuer else {
        // Firefox always has the issuer's key here; an extension's chain
        // can lack it.
        return no_filter(
            "the issuer is not in the chain, so the certificate has no CRLite key".into(),
        );
    };
    let lookup = set.lookup(leaf, issuer);
    let filters = format!(
        "the CRLite filters (full {} and {} deltas)",
        set.full().meta.id,
        set.deltas().len()
    );
    let by = lookup
        .filter
        .as_deref()
        .map(|id| format!(" (filter {id})"))
        .unwrap_or_default();
    let detail = match lookup.status {
        // A loaded set never answers no_filter; said plainly rather than
        // a panic in the engine, should that change.
        CrliteStatus::NoFilter => format!("{filters} gave no answer"),
        CrliteStatus::NotCovered if leaf.scts.is_empty() => match &leaf.sct_list_error {
            Some(why) => format!(
                "not covered by {filters}: the certificate has no usable SCTs, \
                 its SCT list could not be read ({why})"
            ),
            None => format!("not covered by {filters}: the certificate embeds no SCTs"),
        },
        CrliteStatus::NotCovered => format!(
            "not covered by {filters}: none of its {} SCTs is from a log and time the filters cover",
            leaf.scts.len()
        ),
        CrliteStatus::NotEnrolled => {
            format!("{filters} cover it, but its issuer is not enrolled in CRLite")
        }
        CrliteStatus::NotRevoked => format!("{filters} say not revoked{by}"),
        CrliteStatus::RevokedInFilter => format!("{filters} list it as revoked{by}"),
    };
    (lookup, detail)
}

/// Lifetime strictly below the threshold, lifetime = notAfter - notBefore in
/// seconds (Firefox: `validityDuration < shortLifetime`; mozpkix `Duration`).
fn short_lived(rung: &mut Rung<'_>, leaf: &Cert, policy: &Policy) -> Option<Decided> {
    if policy.short_lived_threshold_days == 0 {
        return None;
    }
    let lifetime = leaf.lifetime_secs();
    let exempt = lifetime < u64::from(policy.short_lived_threshold_days) * ONE_DAY;
    let detail = format!(
        "lifetime {} is {}under the {}-day threshold",
        describe_duration(lifetime),
        if exempt { "" } else { "not " },
        policy.short_lived_threshold_days
    );
    if !exempt {
        rung.note(Step::ShortLived, StepOutcome::NotShortLived, detail);
        return None;
    }
    rung.note(Step::ShortLived, StepOutcome::Exempt, detail.clone());
    Some(decided(
        Status::Exempt,
        Step::ShortLived,
        format!("Exempt: {detail}; it expires before revocation would matter."),
    ))
}

/// What the stapled step leaves for the rest of the ladder.
enum Stapled {
    /// The staple decides (good, revoked, unknown, or invalid).
    Decides(Decided),
    /// Nothing stapled (or the policy ignores staples).
    Absent,
    /// The host could not see the staple.
    Hidden,
    /// Stapled, but it cannot be judged (no issuer in the chain).
    Unjudged,
    /// Stapled and deferred: live OCSP is tried, and this decides if live
    /// gives no answer (Firefox returns the stapled error then).
    Deferred(Decided),
    /// Stapled, neither a valid good nor revoked answer, and the policy
    /// follows Chromium's rules: the ladder goes on as if none were
    /// stapled (but must-staple counts it as stapled).
    Ignored,
}

/// The stapled response, with Firefox's semantics (NSSCertDBTrustDomain.cpp
/// `CheckRevocationByOCSP`): good stops; revoked or unknown decides; an
/// expired answer, tryLater, an invalid signer or no answer for this
/// certificate are deferred; any other failure decides as an error.
fn stapled(rung: &mut Rung<'_>, leaf: &Cert, issuer: Option<&Cert>, input: &Input<'_>) -> Stapled {
    if !input.policy.stapled_ocsp {
        rung.note(
            Step::StapledOcsp,
            StepOutcome::NotAllowed,
            "the policy ignores stapled responses",
        );
        return Stapled::Absent;
    }
    let staple = match input.stapled_ocsp {
        None if input.staple_hidden => {
            rung.note(
                Step::StapledOcsp,
                StepOutcome::Hidden,
                "the browser does not show extensions the stapled OCSP response, so a staple, if any, \
                 is not part of this evaluation",
            );
            return Stapled::Hidden;
        }
        None => {
            rung.note(
                Step::StapledOcsp,
                StepOutcome::Absent,
                "the server stapled no OCSP response",
            );
            return Stapled::Absent;
        }
        Some([]) => {
            rung.note(
                Step::StapledOcsp,
                StepOutcome::Absent,
                "the stapled response is empty, which counts as none",
            );
            return Stapled::Absent;
        }
        Some(staple) => staple,
    };
    let Some(issuer) = issuer else {
        rung.note(
            Step::StapledOcsp,
            StepOutcome::NoIssuer,
            "a response is stapled, but without the issuer certificate it cannot be checked",
        );
        return Stapled::Unjudged;
    };
    let validated = validate_with(
        staple,
        leaf,
        issuer,
        input.time,
        DEFAULT_MAX_LIFETIME_DAYS,
        input.policy.cert_id_hashes,
        input.verifier,
    );
    if input.policy.stapled_rules == StapledRules::Chromium {
        return stapled_chromium(rung, validated);
    }
    match validated {
        Ok(response) if response.expired => {
            let detail = format!(
                "the stapled response says {} but expired at {}; live OCSP is tried first",
                response.answer.as_str(),
                UnixTime(response.valid_until)
            );
            rung.note(Step::StapledOcsp, StepOutcome::Deferred, detail);
            Stapled::Deferred(from_answer(
                Step::StapledOcsp,
                "the stapled response (expired)",
                response,
                None,
            ))
        }
        Ok(response) => {
            rung.note(
                Step::StapledOcsp,
                answer_outcome(&response.answer),
                format!("a valid stapled response says {}", response.answer.as_str()),
            );
            Stapled::Decides(from_answer(
                Step::StapledOcsp,
                "the stapled response",
                response,
                None,
            ))
        }
        Err(e) if e.stapled_failure_is_deferred() => {
            rung.note(
                Step::StapledOcsp,
                StepOutcome::Deferred,
                format!("{e}; Firefox tolerates this and tries live OCSP"),
            );
            Stapled::Deferred(decided(
                Status::Error,
                Step::StapledOcsp,
                format!("Error: {e} (stapled), and live OCSP gave no answer; Firefox rejects the connection then."),
            ))
        }
        Err(e) => {
            rung.note(Step::StapledOcsp, StepOutcome::Invalid, e.to_string());
            Stapled::Decides(decided(
                Status::Error,
                Step::StapledOcsp,
                format!("Error: the stapled response is unusable: {e}."),
            ))
        }
    }
}

/// The stapled response under Chromium's rules (net/cert/internal/
/// revocation_checker.cc `CheckCertRevocation`, before `if
/// (!policy.check_revocation)`): a valid good or revoked answer decides;
/// anything else, which BoringSSL's `CheckOCSP` reports as
/// `OCSPRevocationStatus::UNKNOWN` (an unknown answer, an expired or
/// invalid response), is passed over.
fn stapled_chromium(rung: &mut Rung<'_>, validated: Result<ValidResponse, OcspError>) -> Stapled {
    let why = match validated {
        Ok(response) if response.expired => format!(
            "the stapled response says {} but expired at {}",
            response.answer.as_str(),
            UnixTime(response.valid_until)
        ),
        Ok(response) if matches!(response.answer, Answer::Unknown) => {
            "the stapled response says unknown".to_owned()
        }
        Ok(response) => {
            rung.note(
                Step::StapledOcsp,
                answer_outcome(&response.answer),
                format!("a valid stapled response says {}", response.answer.as_str()),
            );
            return Stapled::Decides(from_answer(
                Step::StapledOcsp,
                "the stapled response",
                response,
                None,
            ));
        }
        Err(e) => format!("the stapled response is unusable: {e}"),
    };
    rung.note(
        Step::StapledOcsp,
        StepOutcome::Ignored,
        format!("{why}; under Chromium's rules only a valid good or revoked answer counts, so the ladder goes on"),
    );
    Stapled::Ignored
}

fn answer_outcome(answer: &Answer) -> StepOutcome {
    match answer {
        Answer::Good => StepOutcome::Good,
        Answer::Revoked { .. } => StepOutcome::Revoked,
        Answer::Unknown => StepOutcome::Unknown,
    }
}

/// The decision a validated answer makes; `source` names it in the reason.
fn from_answer(
    step: Step,
    source: &str,
    response: ValidResponse,
    cache: Option<CacheUpdate>,
) -> Decided {
    let (status, reason) = match &response.answer {
        Answer::Good => (
            Status::Good,
            format!(
                "Good: {source} says good, valid until {}.",
                UnixTime(response.valid_until)
            ),
        ),
        Answer::Revoked {
            revocation_time,
            reason,
        } => (
            Status::Revoked,
            format!(
                "Revoked: {source} says revoked since {}{}.",
                UnixTime(*revocation_time),
                reason.map(|r| format!(" ({r})")).unwrap_or_default()
            ),
        ),
        Answer::Unknown => (
            Status::Unknown,
            format!("Unknown: {source} says the responder does not know this certificate."),
        ),
    };
    Decided {
        response: Some(response),
        cache_update: cache,
        ..decided(status, step, reason)
    }
}

/// mozpkix `CheckTLSFeatures`: when an issuer carries a TLS Feature
/// extension, the certificate it issued must carry the same features
/// (a must-staple intermediate over a plain leaf fails the chain).
/// A policy that does not enforce must-staple checks no TLS Feature at all
/// (Chromium reads none).
fn tls_feature_missing(
    rung: &mut Rung<'_>,
    cert: &Cert,
    issuer: Option<&Cert>,
    policy: &Policy,
) -> Option<Decided> {
    if !policy.must_staple {
        return None;
    }
    let issuer = issuer?;
    if issuer.tls_features.is_empty() || issuer.tls_features == cert.tls_features {
        return None;
    }
    let detail = format!(
        "the issuer {} requires TLS features {:?} and this certificate carries {:?}",
        issuer.subject, issuer.tls_features, cert.tls_features
    );
    rung.note(
        Step::MustStaple,
        StepOutcome::FeatureMissing,
        detail.clone(),
    );
    Some(decided(
        Status::Error,
        Step::MustStaple,
        format!("Error: {detail} (Firefox: REQUIRED_TLS_FEATURE_MISSING)."),
    ))
}

/// A must-staple leaf needs a staple (Firefox `CheckTLSFeaturesAreSatisfied`
/// requires its presence; the stapled step judges its validity).
fn must_staple(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    staple: &Stapled,
    policy: &Policy,
) -> Option<Decided> {
    if !leaf.must_staple() {
        rung.note(
            Step::MustStaple,
            StepOutcome::NotRequired,
            "no TLS Feature status_request extension",
        );
        return None;
    }
    if !policy.must_staple {
        rung.note(
            Step::MustStaple,
            StepOutcome::NotAllowed,
            "the policy does not enforce must-staple",
        );
        return None;
    }
    if matches!(staple, Stapled::Hidden) {
        rung.note(
            Step::MustStaple,
            StepOutcome::Hidden,
            "must-staple, but whether a response was stapled is hidden from extensions; the browser \
             enforces must-staple itself (Firefox refuses the page without a valid staple)",
        );
        return None;
    }
    if !matches!(staple, Stapled::Absent) {
        rung.note(
            Step::MustStaple,
            StepOutcome::Satisfied,
            "must-staple, and a response is stapled",
        );
        return None;
    }
    let detail = "the certificate requires a stapled OCSP response (TLS Feature status_request) and none was stapled";
    rung.note(Step::MustStaple, StepOutcome::Missing, detail);
    Some(decided(
        Status::Error,
        Step::MustStaple,
        format!("Error: {detail}."),
    ))
}

/// Live OCSP, with what comes before it in Firefox's `CheckRevocationByOCSP`:
/// the built-in-root skip (CRLite enforce), a responder to ask, the policy,
/// the cache. `deferred` is the stapled step's deferred decision: whenever
/// live OCSP gives no answer, it decides instead (as Firefox returns the
/// stapled error).
fn live(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    issuer: Option<&Cert>,
    input: &Input<'_>,
    deferred: Option<Decided>,
    refused_above: Option<&CertVerdict>,
) -> Decided {
    let policy = input.policy;
    if policy.live_ocsp == LiveOcsp::SoftFail
        && policy.skip_live_ocsp_for_built_in_roots
        && input.root_is_built_in
    {
        rung.note(
            Step::LiveOcsp,
            StepOutcome::SkippedBuiltInRoot,
            "the chain ends in a built-in root, for which this policy (like Firefox with CRLite enforced) makes no live OCSP request",
        );
        return or_deferred(
            deferred,
            decided(
                Status::NotChecked,
                Step::Policy,
                "Not checked: live OCSP is skipped for chains to built-in roots.",
            ),
        );
    }
    let Some(responder) = leaf.ocsp_urls.first() else {
        let detail = "the certificate names no OCSP responder (no AIA OCSP URL)";
        rung.note(Step::NoRevocationInfo, StepOutcome::NoResponder, detail);
        return or_deferred(deferred, match policy.without_revocation_info {
            NoRevocationInfo::Accept => decided(
                Status::NotChecked,
                Step::NoRevocationInfo,
                format!("Not checked: {detail}; the policy accepts such certificates, as Firefox does."),
            ),
            NoRevocationInfo::Block => decided(
                Status::Error,
                Step::NoRevocationInfo,
                format!("Error: {detail}, and the policy blocks certificates without revocation information."),
            ),
        });
    };
    if policy.live_ocsp == LiveOcsp::Disabled {
        rung.note(
            Step::LiveOcsp,
            StepOutcome::NotAllowed,
            format!("live OCSP to {responder} is turned off"),
        );
        return or_deferred(deferred, decided(
            Status::NotChecked,
            Step::Policy,
            format!("Not checked: the ladder needed live OCSP ({responder}), and the policy does not allow it."),
        ));
    }
    let Some(issuer) = issuer else {
        let detail = "the issuer certificate is not in the chain, so no OCSP request can be built";
        rung.note(Step::LiveOcsp, StepOutcome::NoIssuer, detail);
        return or_deferred(
            deferred,
            decided(Status::Error, Step::LiveOcsp, format!("Error: {detail}.")),
        );
    };
    let key = cache_key(leaf, issuer);
    if let Some(cache) = input.ocsp_cache {
        match cache.get(&key, input.time) {
            Some(entry) => return cached(rung, entry, responder, policy, deferred),
            None => rung.note(
                Step::CachedOcsp,
                StepOutcome::NotCached,
                "no usable cached answer",
            ),
        }
    }
    if let Some(above) = refused_above {
        let detail = format!(
            "not asked: the chain already fails, as certificate #{} ({}) is {}; like Firefox, which checks the \
             issuers first (mozpkix), no OCSP request is made for the leaf",
            above.index, above.subject, above.status
        );
        rung.note(Step::LiveOcsp, StepOutcome::ChainRefused, detail.clone());
        return or_deferred(
            deferred,
            decided(
                Status::NotChecked,
                Step::LiveOcsp,
                format!("Not checked: {detail}."),
            ),
        );
    }
    let fetch = match request::build_request(leaf, issuer) {
        Ok(der) => {
            let mut fetch = fetch_for(responder, der);
            if policy.ocsp_method == OcspMethod::Post {
                fetch.method = FetchMethod::Post;
            }
            fetch
        }
        Err(e) => {
            let detail = format!("cannot build the OCSP request: {e}");
            rung.note(
                Step::LiveOcsp,
                StepOutcome::RequestUnencodable,
                detail.clone(),
            );
            return or_deferred(
                deferred,
                decided(Status::Error, Step::LiveOcsp, format!("Error: {detail}.")),
            );
        }
    };
    let mode = if policy.live_ocsp == LiveOcsp::HardFail {
        "hard-fail"
    } else {
        "soft-fail"
    };
    let Some(outcome) = input.live_ocsp else {
        rung.note(
            Step::LiveOcsp,
            StepOutcome::Pending,
            format!(
                "needs an answer from {responder} ({} with a {} ms timeout, {mode})",
                fetch.method.as_str(),
                policy.live_timeout_ms()
            ),
        );
        return Decided {
            fetch: Some(fetch),
            ..decided(
                Status::Pending,
                Step::LiveOcsp,
                format!("Pending: waiting for the OCSP responder {responder}."),
            )
        };
    };
    let elapsed_ms = Some(outcome.elapsed_ms());
    match classify_with(
        outcome,
        leaf,
        issuer,
        input.time,
        DEFAULT_MAX_LIFETIME_DAYS,
        policy.cert_id_hashes,
        input.verifier,
    ) {
        LiveAnswer::Answered(response) => {
            rung.note(
                Step::LiveOcsp,
                answer_outcome(&response.answer),
                format!(
                    "{responder} says {} ({} ms)",
                    response.answer.as_str(),
                    outcome.elapsed_ms()
                ),
            );
            let update = CacheUpdate {
                key,
                entry: CacheEntry::answered(&response.answer, response.valid_until, input.time),
            };
            let source = format!("the responder {responder}");
            Decided {
                elapsed_ms,
                ..from_answer(Step::LiveOcsp, &source, response, Some(update))
            }
        }
        LiveAnswer::Offline(offline) => {
            let detail = format!(
                "no usable answer from {responder}: {offline} ({} ms, {mode})",
                outcome.elapsed_ms()
            );
            rung.note(Step::LiveOcsp, StepOutcome::Offline, detail);
            let update = CacheUpdate {
                key,
                entry: CacheEntry::failure(offline.class(), input.time),
            };
            let fallback = offline_decision(responder, &offline.to_string(), policy);
            let decision = or_deferred(deferred, fallback);
            Decided {
                offline: Some(offline),
                elapsed_ms,
                cache_update: Some(update),
                ..decision
            }
        }
    }
}

/// The CRL rung (no browser takes it): for a certificate that names a CRL
/// over HTTP, when the policy asks for it, the list the host holds for that
/// URL decides; with none held (or a stale or failed one not fetched just
/// now), the step is pending with the URL to fetch. Returns `None` to go on
/// to live OCSP: the policy does not ask, or the certificate names no CRL.
fn crl_step(
    rung: &mut Rung<'_>,
    leaf: &Cert,
    issuer: Option<&Cert>,
    input: &Input<'_>,
    refused_above: Option<&CertVerdict>,
) -> Option<Decided> {
    let policy = input.policy;
    match policy.crl {
        CrlUse::Disabled => return None,
        CrlUse::WhenNoOcsp if !leaf.ocsp_urls.is_empty() => return None,
        _ => {}
    }
    let Some((_, url)) = crl::point_to_fetch(leaf) else {
        rung.note(
            Step::Crl,
            StepOutcome::NoDistributionPoint,
            "the certificate names no CRL to fetch over HTTP",
        );
        return None;
    };
    let Some(issuer) = issuer else {
        let detail = format!(
            "the issuer certificate is not in the chain, so the CRL {url} cannot be checked"
        );
        rung.note(Step::Crl, StepOutcome::NoIssuer, detail.clone());
        return Some(decided(
            Status::Error,
            Step::Crl,
            format!("Error: {detail}."),
        ));
    };
    if let Some(above) = refused_above {
        let detail = format!(
            "not fetched: the chain already fails, as certificate #{} ({}) is {}",
            above.index, above.subject, above.status
        );
        rung.note(Step::Crl, StepOutcome::ChainRefused, detail.clone());
        return Some(decided(
            Status::NotChecked,
            Step::Crl,
            format!("Not checked: {detail}."),
        ));
    }
    Some(
        match crl::consult(
            leaf,
            issuer,
            input.crls,
            input.time,
            policy.live_timeout_ms(),
        ) {
            // Handled above; consult finds the same point.
            Consulted::NoDistributionPoint => return None,
            Consulted::Fetch { fetch, why } => {
                rung.note(Step::Crl, StepOutcome::Pending, why);
                Decided {
                    crl: Some(CrlReport {
                        url: fetch.url.clone(),
                        list: None,
                        answer: None,
                        offline: None,
                    }),
                    crl_fetch: Some(fetch),
                    ..decided(
                        Status::Pending,
                        Step::Crl,
                        format!("Pending: waiting for the CRL {url}."),
                    )
                }
            }
            Consulted::Answered { report, answer } => {
                let (status, outcome, reason) = crl_answer_words(&answer, url);
                let entries = report.list.as_ref().map_or(0, |l| l.entries);
                rung.note(
                    Step::Crl,
                    outcome,
                    format!("{url} (a CRL of {entries} entries) says {status}"),
                );
                Decided {
                    crl: Some(report),
                    ..decided(status, Step::Crl, reason)
                }
            }
            Consulted::Failed {
                report,
                offline,
                detail,
            } => {
                rung.note(Step::Crl, StepOutcome::Offline, detail.clone());
                Decided {
                    offline: Some(offline),
                    crl: Some(report),
                    ..crl_offline(&detail, policy)
                }
            }
        },
    )
}

fn crl_answer_words(answer: &CrlAnswer, url: &str) -> (Status, StepOutcome, String) {
    match answer {
        CrlAnswer::Good { removed_from_crl: false } => (
            Status::Good,
            StepOutcome::Good,
            format!("Good: the CA's CRL {url} does not list this certificate."),
        ),
        CrlAnswer::Good { removed_from_crl: true } => (
            Status::Good,
            StepOutcome::Good,
            format!("Good: the CA's CRL {url} lists this certificate with removeFromCRL: it is no longer revoked."),
        ),
        CrlAnswer::Revoked { revocation_time, reason, on_hold, .. } => {
            let why = reason.map(|r| format!(" ({})", r.name())).unwrap_or_default();
            let hold = if *on_hold { " It is on hold (certificateHold), which may be lifted." } else { "" };
            (
                Status::Revoked,
                StepOutcome::Revoked,
                format!("Revoked: the CA's CRL {url} lists it, revoked since {}{why}.{hold}", UnixTime(*revocation_time)),
            )
        }
    }
}

/// The CRL gave no usable answer: offline, which the chain's outcome
/// treats as live OCSP's (soft-fail accepts, hard-fail blocks).
fn crl_offline(detail: &str, policy: &Policy) -> Decided {
    offline(Step::Crl, detail, policy)
}

/// `step` gave no usable answer (`detail` says why): offline, which
/// soft-fail accepts and hard-fail blocks (the chain's outcome applies the
/// policy).
fn offline(step: Step, detail: &str, policy: &Policy) -> Decided {
    let consequence = if policy.live_ocsp == LiveOcsp::HardFail {
        "hard-fail blocks"
    } else {
        "soft-fail accepts"
    };
    decided(
        Status::Offline,
        step,
        format!("Offline: {detail}; {consequence}."),
    )
}

/// A CRL answer (good or revoked) stands over a deferred staple, as a live
/// OCSP answer would; a CRL failure or a pending fetch gives way to it.
fn or_deferred_unless_answered(deferred: Option<Decided>, decided: Decided) -> Decided {
    match decided.status {
        Status::Good | Status::Revoked | Status::Pending => decided,
        _ => or_deferred(deferred, decided),
    }
}

/// The stapled step's deferred decision if there is one, else `fallback`.
fn or_deferred(deferred: Option<Decided>, fallback: Decided) -> Decided {
    deferred.unwrap_or(fallback)
}

/// The cached-ocsp step found a usable entry.
fn cached(
    rung: &mut Rung<'_>,
    entry: &CacheEntry,
    responder: &str,
    policy: &Policy,
    deferred: Option<Decided>,
) -> Decided {
    let stored = UnixTime(entry.stored_at);
    let (status, outcome, reason) = match &entry.answer {
        Cached::Good => (Status::Good, StepOutcome::Good, format!("Good: the cached answer from {stored} says good.")),
        Cached::Revoked { revocation_time, reason } => (
            Status::Revoked,
            StepOutcome::Revoked,
            format!(
                "Revoked: the cached answer from {stored} says revoked since {}{}; revoked answers never expire.",
                UnixTime(*revocation_time),
                reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
        ),
        Cached::Unknown => (Status::Unknown, StepOutcome::Unknown, format!("Unknown: the cached answer from {stored} says unknown.")),
        Cached::Failure { class } => {
            rung.note(
                Step::CachedOcsp,
                StepOutcome::CachedFailure,
                format!("{responder} failed at {stored} ({class}); not asked again for 5 minutes"),
            );
            let fallback = offline_decision(responder, &format!("it failed at {stored} ({class}), remembered for 5 minutes"), policy);
            return deferred.unwrap_or(fallback);
        }
    };
    rung.note(Step::CachedOcsp, outcome, format!("cached at {stored}"));
    decided(status, Step::CachedOcsp, reason)
}

/// Live OCSP gave no usable answer.
fn offline_decision(responder: &str, why: &str, policy: &Policy) -> Decided {
    offline(
        Step::LiveOcsp,
        &format!("no usable answer from {responder}: {why}"),
        policy,
    )
}

/// The chain's outcome, and whether hard-fail would block it.
fn chain_outcome(certs: &[CertVerdict], policy: &Policy) -> (Outcome, Option<bool>) {
    let any = |s: Status| certs.iter().any(|c| c.status == s);
    // Firefox fails the connection on an OCSP "unknown" (ERROR_OCSP_UNKNOWN_CERT).
    let blocking = any(Status::Revoked) || any(Status::Error) || any(Status::Unknown);
    let outcome = if blocking || (any(Status::Offline) && policy.live_ocsp == LiveOcsp::HardFail) {
        Outcome::Block
    } else if any(Status::Pending) || any(Status::Incomplete) {
        Outcome::Incomplete
    } else if any(Status::Offline) {
        Outcome::SoftFailAccept
    } else {
        Outcome::Accept
    };
    let needs_live_answer = |c: &CertVerdict| {
        c.status == Status::Pending
            || c.status == Status::Incomplete
            || (c.status == Status::NotChecked && c.decided_by == Step::Policy)
    };
    let hard_fail = if blocking || any(Status::Offline) {
        Some(true)
    } else if certs.iter().any(needs_live_answer) {
        None
    } else {
        Some(false)
    };
    (outcome, hard_fail)
}
