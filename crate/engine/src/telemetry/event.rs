//! One page load, as telemetry records it: which path decided each
//! certificate, what live OCSP and the CA's CRL did, what revocation
//! information the leaf carries, and what hard-fail would have done.
//! Nothing here names the site: only the path labels, outcome classes, and
//! the hosts of the OCSP responder and the CRL (CA infrastructure, not the
//! page).

use crate::cert::Cert;
use crate::crl::CrlReport;
use crate::crlite::CrliteStatus;
use serde::{Deserialize, Serialize};

use crate::verdict::{CertVerdict, Status, Step, Verdict};

/// The path that decided a certificate (or, for the page-level labels,
/// why there is no verdict). The first six are the labels of Firefox's
/// `cert_verifier.cert_revocation_mechanisms` (NSSCertDBTrustDomain.cpp,
/// `LABELS_CERT_REVOCATION_MECHANISMS`); the rest are ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Path {
    #[serde(rename = "OneCRL")]
    OneCrl,
    #[serde(rename = "CRLite")]
    Crlite,
    ShortValidity,
    #[serde(rename = "StapledOCSP")]
    StapledOcsp,
    #[serde(rename = "CachedOCSP")]
    CachedOcsp,
    /// Live OCSP decided, or was needed (asked, off in the options, or not
    /// possible).
    #[serde(rename = "OCSP")]
    Ocsp,
    /// A must-staple certificate without a valid staple.
    MustStaple,
    /// No revocation source: no OCSP responder named.
    NoRevocationInfo,
    /// The policy skipped live OCSP (turned off, or a chain to a built-in
    /// root as Firefox with CRLite enforced).
    PolicySkipped,
    /// The browser refused the handshake; we saw its error, not the chain.
    BrowserBlocked,
    /// An HTTPS page the extension did not inspect (Chrome, on request).
    NotInspected,
    /// The captured chain could not be evaluated (it does not parse).
    EvaluationError,
    /// The CA's CRL decided (a step browsers do not take). The shared
    /// report counts it from schema 2, in a section of its own
    /// (`more_paths`) after schema 1's twelve.
    #[serde(rename = "CRL")]
    Crl,
}

impl Path {
    /// Every label, as the local dashboard counts them: the report's
    /// `paths`, then its `more_paths`.
    pub const ALL: [Path; 13] = {
        let mut all = [Path::Crl; 13];
        let mut i = 0;
        while i < Path::REPORTED.len() {
            all[i] = Path::REPORTED[i];
            i += 1;
        }
        all[12] = Path::REPORTED_MORE[0];
        all
    };

    /// The labels of the shared report's `paths` section, in its order
    /// (schema 1's; schema 2 adds [`Path::REPORTED_MORE`] after them).
    pub const REPORTED: [Path; 12] = [
        Path::OneCrl,
        Path::Crlite,
        Path::ShortValidity,
        Path::StapledOcsp,
        Path::CachedOcsp,
        Path::Ocsp,
        Path::MustStaple,
        Path::NoRevocationInfo,
        Path::PolicySkipped,
        Path::BrowserBlocked,
        Path::NotInspected,
        Path::EvaluationError,
    ];

    /// The labels of the report's `more_paths` section (schema 2).
    pub const REPORTED_MORE: [Path; 1] = [Path::Crl];

    pub fn as_str(self) -> &'static str {
        match self {
            Path::OneCrl => "OneCRL",
            Path::Crlite => "CRLite",
            Path::ShortValidity => "ShortValidity",
            Path::StapledOcsp => "StapledOCSP",
            Path::CachedOcsp => "CachedOCSP",
            Path::Ocsp => "OCSP",
            Path::MustStaple => "MustStaple",
            Path::NoRevocationInfo => "NoRevocationInfo",
            Path::PolicySkipped => "PolicySkipped",
            Path::BrowserBlocked => "BrowserBlocked",
            Path::NotInspected => "NotInspected",
            Path::EvaluationError => "EvaluationError",
            Path::Crl => "CRL",
        }
    }

    /// The step that decided, as a label.
    pub fn of_step(step: Step) -> Path {
        match step {
            Step::Onecrl => Path::OneCrl,
            Step::Crlite => Path::Crlite,
            Step::ShortLived => Path::ShortValidity,
            Step::StapledOcsp => Path::StapledOcsp,
            Step::MustStaple => Path::MustStaple,
            Step::CachedOcsp => Path::CachedOcsp,
            Step::LiveOcsp => Path::Ocsp,
            Step::Crl => Path::Crl,
            Step::NoRevocationInfo => Path::NoRevocationInfo,
            Step::Policy => Path::PolicySkipped,
            // The browser build has no CRLSet (its Input carries none), so
            // there the step decides only "not checked, no CRLSet loaded":
            // skipped by the policy's choice of data. A label of its own
            // belongs with a CRLSet in the extension.
            Step::Crlset => Path::PolicySkipped,
            // The leaf's issuer was missing: its revocation was not
            // inspected. Browsers hand extensions complete chains, so
            // telemetry does not meet it; no label of its own.
            Step::Issuer => Path::NotInspected,
        }
    }

    /// Labels for pages without a verdict.
    pub fn is_page_level(self) -> bool {
        matches!(
            self,
            Path::BrowserBlocked | Path::NotInspected | Path::EvaluationError
        )
    }
}

/// What a live OCSP request came to. good, revoked and unknown are answers;
/// the rest are failures (no usable answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum LiveClass {
    Good,
    Revoked,
    Unknown,
    Timeout,
    /// Refused, reset, DNS, TLS or another transport failure.
    Network,
    /// An HTTP status other than 200.
    HttpStatus,
    /// No OCSP response in the body: empty, oversized, not DER, no
    /// BasicOCSPResponse.
    Malformed,
    TryLater,
    Unauthorized,
    BadSignature,
    /// The responder reported another error (internalError, sigRequired,
    /// malformedRequest).
    ResponderError,
    /// A signed response we cannot use: expired, from the future, for
    /// another certificate, an invalid signer, an unsupported algorithm.
    Invalid,
}

impl LiveClass {
    pub const ALL: [LiveClass; 12] = [
        LiveClass::Good,
        LiveClass::Revoked,
        LiveClass::Unknown,
        LiveClass::Timeout,
        LiveClass::Network,
        LiveClass::HttpStatus,
        LiveClass::Malformed,
        LiveClass::TryLater,
        LiveClass::Unauthorized,
        LiveClass::BadSignature,
        LiveClass::ResponderError,
        LiveClass::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LiveClass::Good => "good",
            LiveClass::Revoked => "revoked",
            LiveClass::Unknown => "unknown",
            LiveClass::Timeout => "timeout",
            LiveClass::Network => "network",
            LiveClass::HttpStatus => "http-status",
            LiveClass::Malformed => "malformed",
            LiveClass::TryLater => "try-later",
            LiveClass::Unauthorized => "unauthorized",
            LiveClass::BadSignature => "bad-signature",
            LiveClass::ResponderError => "responder-error",
            LiveClass::Invalid => "invalid",
        }
    }

    /// A failure: the responder gave no usable answer.
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            LiveClass::Good | LiveClass::Revoked | LiveClass::Unknown
        )
    }

    /// The class of an offline answer, from its class token
    /// ([`crate::ocsp::exchange::Offline::class`], which for invalid responses
    /// is [`crate::ocsp::OcspError::code`]).
    pub fn of_offline(class: &str) -> LiveClass {
        match class {
            "timeout" => LiveClass::Timeout,
            "refused" | "dns" | "tls" | "network" => LiveClass::Network,
            "http-status" => LiveClass::HttpStatus,
            "empty-body"
            | "oversize-body"
            | "empty"
            | "too-large"
            | "malformed"
            | "no-response-bytes"
            | "unsupported-response-type"
            | "unsupported-version" => LiveClass::Malformed,
            "try-later" => LiveClass::TryLater,
            "unauthorized" => LiveClass::Unauthorized,
            "bad-signature" => LiveClass::BadSignature,
            "internal-error" | "sig-required" | "malformed-request" | "unknown-response-status" => {
                LiveClass::ResponderError
            }
            _ => LiveClass::Invalid,
        }
    }
}

/// Why the ladder needed live OCSP and no request went out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum NotAsked {
    /// Live OCSP is off in the extension's options (the default).
    Off,
    /// The policy does not ask (turned off, or skipped for built-in roots).
    Policy,
    /// No request could be made: no issuer in the chain, an unencodable
    /// serial, or an issuer above already failed.
    NotPossible,
}

impl NotAsked {
    pub const ALL: [NotAsked; 3] = [NotAsked::Off, NotAsked::Policy, NotAsked::NotPossible];

    pub fn as_str(self) -> &'static str {
        match self {
            NotAsked::Off => "off",
            NotAsked::Policy => "policy",
            NotAsked::NotPossible => "not-possible",
        }
    }
}

/// The HTTP method of a live request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl From<crate::ocsp::FetchMethod> for Method {
    fn from(method: crate::ocsp::FetchMethod) -> Method {
        match method {
            crate::ocsp::FetchMethod::Get => Method::Get,
            crate::ocsp::FetchMethod::Post => Method::Post,
        }
    }
}

/// A live request, as the host made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct LiveRequest {
    /// The responder's host (and port, when not the default), lowercase.
    pub host: String,
    pub method: Method,
    pub elapsed_ms: u32,
    pub class: LiveClass,
}

/// What live OCSP did for the page's leaf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LiveUse {
    /// Another path decided first (or the page has no verdict).
    NotNeeded,
    /// The ladder needed live OCSP; no request went out.
    NotAsked { reason: NotAsked },
    /// A request went out.
    Asked(LiveRequest),
}

/// The revocation information a leaf carries: the OCSP responders of its
/// Authority Information Access, the URLs of its CRL distribution points.
/// A fact of the certificate, whatever the ladder then did with it; the
/// trend that matters as CAs drop OCSP (the CA/Browser Forum made OCSP
/// optional and CRLs required for TLS certificates in 2023, ballot SC-063).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum RevocationInfo {
    /// An OCSP responder and no CRL.
    OcspOnly,
    /// A CRL and no OCSP responder.
    CrlOnly,
    Both,
    /// Neither: nothing but short validity, OneCRL or CRLite can tell.
    Neither,
}

impl RevocationInfo {
    pub const ALL: [RevocationInfo; 4] = [
        RevocationInfo::OcspOnly,
        RevocationInfo::CrlOnly,
        RevocationInfo::Both,
        RevocationInfo::Neither,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationInfo::OcspOnly => "ocsp-only",
            RevocationInfo::CrlOnly => "crl-only",
            RevocationInfo::Both => "both",
            RevocationInfo::Neither => "neither",
        }
    }

    /// From the certificate's facts: any AIA OCSP URL, any URL of a CRL
    /// distribution point (whatever its scheme: this counts what the CA
    /// wrote, not what a browser can fetch).
    pub fn of(cert: &Cert) -> RevocationInfo {
        match (!cert.ocsp_urls.is_empty(), !cert.crl_urls.is_empty()) {
            (true, false) => RevocationInfo::OcspOnly,
            (false, true) => RevocationInfo::CrlOnly,
            (true, true) => RevocationInfo::Both,
            (false, false) => RevocationInfo::Neither,
        }
    }
}

/// What fetching the leaf's CRL came to: `ok` (the list was read and
/// answered for the leaf, good or revoked) or why not. A bounded set, as
/// [`LiveClass`] is: the engine's finer failure tokens map onto it
/// ([`CrlClass::of_failure`]), and a token it does not know is `other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CrlClass {
    Ok,
    Timeout,
    /// Refused, reset, DNS, TLS or another transport failure (browsers
    /// give scripts one opaque error for all of them).
    Network,
    /// An HTTP status other than 200.
    HttpStatus,
    /// Over the engine's limits ([`crate::limits::MAX_CRL_LEN`], or
    /// [`crate::limits::MAX_CRL_ENTRIES`]).
    TooLarge,
    /// An empty body, or not a CertificateList.
    Malformed,
    BadSignature,
    /// Not signed by the certificate's issuer, or by a key that may not
    /// sign CRLs.
    WrongIssuer,
    /// Past its nextUpdate (or, without one, the policy's maximum age).
    Stale,
    /// The list does not answer for this certificate: its Issuing
    /// Distribution Point does not cover it, or only some reasons are.
    OutOfScope,
    /// A list the engine does not process: delta, indirect, an unknown
    /// critical extension, an unsupported signature algorithm.
    Unsupported,
    /// Anything else (a thisUpdate in the future, a signature that could
    /// not be checked, a token this version does not know).
    Other,
}

impl CrlClass {
    pub const ALL: [CrlClass; 12] = [
        CrlClass::Ok,
        CrlClass::Timeout,
        CrlClass::Network,
        CrlClass::HttpStatus,
        CrlClass::TooLarge,
        CrlClass::Malformed,
        CrlClass::BadSignature,
        CrlClass::WrongIssuer,
        CrlClass::Stale,
        CrlClass::OutOfScope,
        CrlClass::Unsupported,
        CrlClass::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CrlClass::Ok => "ok",
            CrlClass::Timeout => "timeout",
            CrlClass::Network => "network",
            CrlClass::HttpStatus => "http-status",
            CrlClass::TooLarge => "too-large",
            CrlClass::Malformed => "malformed",
            CrlClass::BadSignature => "bad-signature",
            CrlClass::WrongIssuer => "wrong-issuer",
            CrlClass::Stale => "stale",
            CrlClass::OutOfScope => "out-of-scope",
            CrlClass::Unsupported => "unsupported",
            CrlClass::Other => "other",
        }
    }

    /// No usable answer for the leaf.
    pub fn is_failure(self) -> bool {
        self != CrlClass::Ok
    }

    /// The class of a failure, from its token: an
    /// [`crate::ocsp::exchange::Offline`] class, which for a list that
    /// arrived is [`crate::crl::CrlError::class`].
    pub fn of_failure(class: &str) -> CrlClass {
        match class {
            "timeout" => CrlClass::Timeout,
            "refused" | "dns" | "tls" | "network" => CrlClass::Network,
            "http-status" => CrlClass::HttpStatus,
            "too-large" | "oversize-body" => CrlClass::TooLarge,
            "empty-body" | "malformed" => CrlClass::Malformed,
            "bad-signature" => CrlClass::BadSignature,
            "wrong-issuer" => CrlClass::WrongIssuer,
            "stale" => CrlClass::Stale,
            "scope-mismatch" | "partial-reasons" => CrlClass::OutOfScope,
            "unknown-critical-extension"
            | "delta-unsupported"
            | "indirect-unsupported"
            | "unsupported-signature" => CrlClass::Unsupported,
            _ => CrlClass::Other,
        }
    }
}

/// A CRL fetch, as telemetry keeps it: the host of the URL only (the path
/// names the CA's shard, and so, through the certificate, the site).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CrlFetched {
    /// The CRL's host (and port, when not the default), lowercase, reduced
    /// as responder hosts are ([`responder_host`]).
    pub host: String,
    pub class: CrlClass,
    pub elapsed_ms: u32,
    /// The body's size; 0 when none arrived.
    pub bytes: u64,
}

/// How the leaf's CRL was had, for the ladder's CRL step or the
/// "what the CA's CRL says" view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum CrlAccess {
    /// No CRL was consulted for the leaf, or nothing held answered: a
    /// failure remembered from a fetch minutes ago, or a list held that
    /// does not answer (stale, out of scope) and is not fetched again yet.
    #[default]
    NotUsed,
    /// A list held from an earlier fetch answered (good or revoked): a
    /// cache hit.
    Held,
    /// The list was fetched for this page.
    Fetched(CrlFetched),
}

/// A CRL fetch the host made for the leaf, as it reports it.
#[derive(Clone, Copy, Debug)]
pub struct HostCrlFetch<'a> {
    pub url: &'a str,
    pub elapsed_ms: u32,
    /// The body's size, when one arrived.
    pub bytes: Option<usize>,
    /// The failure's class token when the list was not stored
    /// ([`crate::ocsp::exchange::Offline::class`]).
    pub failure: Option<&'a str>,
}

/// What the host knows of the page beside the verdict.
#[derive(Clone, Copy, Debug, Default)]
pub struct HostFacts<'a> {
    /// The leaf, as the host parsed it: its revocation information is
    /// counted ([`RevocationInfo::of`]). The verdict does not carry its URLs.
    pub leaf: Option<&'a Cert>,
    /// The live OCSP request made for the leaf.
    pub live: Option<HostRequest<'a>>,
    /// The CRL fetch made for the leaf.
    pub crl_fetch: Option<HostCrlFetch<'a>>,
    /// What the leaf's CRL said beside the verdict, when the host asked
    /// (the extension's `checkCrl`); the ladder's own CRL step is read from
    /// the verdict.
    pub crl_check: Option<&'a CrlReport>,
}

impl CrlAccess {
    /// From what the host did and what the CRL said: `report` is the
    /// account of the leaf's CRL (the ladder's, or the host's side view).
    pub fn of(fetch: Option<HostCrlFetch<'_>>, report: Option<&CrlReport>) -> CrlAccess {
        match fetch {
            Some(fetch) => {
                // The fetch's own failure, else what the list it brought
                // said of the leaf (stale, out of scope...), else ok.
                let said = report
                    .filter(|r| r.url == fetch.url)
                    .and_then(|r| r.offline.as_ref())
                    .map(|offline| offline.class());
                let class = fetch
                    .failure
                    .or(said)
                    .map_or(CrlClass::Ok, CrlClass::of_failure);
                CrlAccess::Fetched(CrlFetched {
                    host: responder_host(fetch.url),
                    class,
                    elapsed_ms: fetch.elapsed_ms,
                    bytes: fetch.bytes.map_or(0, |b| b as u64),
                })
            }
            None if report.is_some_and(|r| r.answer.is_some()) => CrlAccess::Held,
            None => CrlAccess::NotUsed,
        }
    }
}

/// What a hard-fail policy would have done with the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum HardFail {
    /// Accepted even under hard-fail.
    Accept,
    /// Blocked because a certificate is revoked: a real block.
    BlockRevoked,
    /// Blocked because a responder said unknown.
    BlockUnknown,
    /// Blocked because live OCSP gave no usable answer: breakage.
    BlockOffline,
    /// Blocked for another requirement (must-staple without a staple...).
    BlockError,
    /// It depends on a live answer that was not obtained.
    Undetermined,
}

impl HardFail {
    pub const ALL: [HardFail; 6] = [
        HardFail::Accept,
        HardFail::BlockRevoked,
        HardFail::BlockUnknown,
        HardFail::BlockOffline,
        HardFail::BlockError,
        HardFail::Undetermined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HardFail::Accept => "accept",
            HardFail::BlockRevoked => "block-revoked",
            HardFail::BlockUnknown => "block-unknown",
            HardFail::BlockOffline => "block-offline",
            HardFail::BlockError => "block-error",
            HardFail::Undetermined => "undetermined",
        }
    }

    pub fn blocks(self) -> bool {
        !matches!(self, HardFail::Accept | HardFail::Undetermined)
    }

    /// From the verdict: the worst reason among the certificates, revoked
    /// first (a revoked certificate blocks whatever else failed).
    pub fn of_verdict(verdict: &Verdict) -> HardFail {
        match verdict.hard_fail_would_block {
            None => HardFail::Undetermined,
            Some(false) => HardFail::Accept,
            Some(true) => {
                let any = |s: Status| verdict.certificates.iter().any(|c| c.status == s);
                if any(Status::Revoked) {
                    HardFail::BlockRevoked
                } else if any(Status::Unknown) {
                    HardFail::BlockUnknown
                } else if any(Status::Offline) {
                    HardFail::BlockOffline
                } else {
                    HardFail::BlockError
                }
            }
        }
    }
}

/// One page load. Built from a verdict by [`PageLoad::from_verdict`], or by
/// the host for pages without one ([`PageLoad::page_level`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PageLoad {
    /// The leaf's path, or a page-level label.
    pub path: Path,
    /// The paths of the CA certificates above the leaf.
    #[serde(default)]
    pub ca_paths: Vec<Path>,
    pub live: LiveUse,
    /// None for pages without a verdict.
    #[serde(default)]
    pub hard_fail: Option<HardFail>,
    /// Firefox's own `usedOcsp` for the handshake, where the browser says.
    #[serde(default)]
    pub browser_used_ocsp: Option<bool>,
    /// What CRLite said of the leaf, when the policy asked it (Firefox's
    /// `cert_verifier.crlite_status` label).
    #[serde(default)]
    pub crlite: Option<CrliteStatus>,
    /// The leaf's revocation information; None for pages without a verdict.
    #[serde(default)]
    pub revocation_info: Option<RevocationInfo>,
    /// How the leaf's CRL was had, if it was.
    #[serde(default)]
    pub crl: CrlAccess,
}

/// The live request the host made for the leaf, as it reports it.
#[derive(Clone, Copy, Debug)]
pub struct HostRequest<'a> {
    /// The responder URL asked.
    pub responder: &'a str,
    pub method: Method,
    pub elapsed_ms: u32,
}

impl PageLoad {
    /// A page without a verdict: `BrowserBlocked`, `NotInspected` or
    /// `EvaluationError`.
    pub fn page_level(path: Path) -> PageLoad {
        PageLoad {
            path,
            ca_paths: Vec::new(),
            live: LiveUse::NotNeeded,
            hard_fail: None,
            browser_used_ocsp: None,
            crlite: None,
            revocation_info: None,
            crl: CrlAccess::NotUsed,
        }
    }

    /// The page load behind `verdict`, with what the host knows beside it
    /// (the leaf, the live request and the CRL fetch it made).
    pub fn from_verdict(verdict: &Verdict, host: &HostFacts<'_>) -> PageLoad {
        let Some(leaf) = verdict.certificates.first() else {
            return PageLoad::page_level(Path::EvaluationError);
        };
        // The ladder's account of the CRL when its step ran, else the
        // host's side view: both consult the same lists.
        let report = leaf.crl.as_ref().or(host.crl_check);
        PageLoad {
            path: Path::of_step(leaf.decided_by),
            ca_paths: verdict.certificates[1..]
                .iter()
                .map(|c| Path::of_step(c.decided_by))
                .collect(),
            live: live_use(leaf, host.live),
            hard_fail: Some(HardFail::of_verdict(verdict)),
            browser_used_ocsp: None,
            crlite: leaf.crlite.as_ref().map(|lookup| lookup.status),
            revocation_info: host.leaf.map(RevocationInfo::of),
            crl: CrlAccess::of(host.crl_fetch, report),
        }
    }
}

fn live_use(leaf: &CertVerdict, request: Option<HostRequest<'_>>) -> LiveUse {
    if let Some(request) = request {
        let class = match (&leaf.offline, leaf.decided_by, leaf.status) {
            (Some(offline), _, _) => LiveClass::of_offline(offline.class()),
            (None, Step::LiveOcsp, Status::Good) => LiveClass::Good,
            (None, Step::LiveOcsp, Status::Revoked) => LiveClass::Revoked,
            (None, Step::LiveOcsp, Status::Unknown) => LiveClass::Unknown,
            // A request went out and nothing says what came of it: never
            // counted as an answer.
            _ => LiveClass::Invalid,
        };
        return LiveUse::Asked(LiveRequest {
            host: responder_host(request.responder),
            method: request.method,
            elapsed_ms: request.elapsed_ms,
            class,
        });
    }
    match (leaf.decided_by, leaf.status) {
        (Step::LiveOcsp, Status::Pending) => LiveUse::NotAsked {
            reason: NotAsked::Off,
        },
        (Step::LiveOcsp, _) => LiveUse::NotAsked {
            reason: NotAsked::NotPossible,
        },
        (Step::Policy, _) => LiveUse::NotAsked {
            reason: NotAsked::Policy,
        },
        _ => LiveUse::NotNeeded,
    }
}

/// The host (and a non-default port) of a responder URL, lowercase; `other`
/// for anything that is not a plain http(s) authority. Only this part of the
/// URL is kept: the path carries the OCSP request, so the certificate.
pub fn responder_host(url: &str) -> String {
    let rest = url
        .strip_prefix("http://")
        .map(|r| (r, ":80"))
        .or_else(|| url.strip_prefix("https://").map(|r| (r, ":443")));
    let Some((rest, default_port)) = rest else {
        return OTHER_HOST.into();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return OTHER_HOST.into();
    }
    let host = authority
        .strip_suffix(default_port)
        .unwrap_or(authority)
        .to_ascii_lowercase();
    if is_plain_host(&host) {
        host
    } else {
        OTHER_HOST.into()
    }
}

/// A lowercase host[:port] of DNS characters (or a bracketed IPv6
/// address), at most 260 bytes: what [`responder_host`] keeps.
pub fn is_plain_host(host: &str) -> bool {
    let plain = |c: char| {
        c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || matches!(c, '.' | '-' | ':' | '[' | ']' | '_')
    };
    !host.is_empty() && host.len() <= 260 && host.chars().all(plain)
}

/// The bucket for responder hosts beyond the per-day bound or unreadable.
pub const OTHER_HOST: &str = "other";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_serialise_as_firefox_names_them() {
        for path in Path::ALL {
            assert_eq!(serde_json::to_value(path).unwrap(), path.as_str());
        }
        for class in LiveClass::ALL {
            assert_eq!(serde_json::to_value(class).unwrap(), class.as_str());
        }
        for h in HardFail::ALL {
            assert_eq!(serde_json::to_value(h).unwrap(), h.as_str());
        }
        for n in NotAsked::ALL {
            assert_eq!(serde_json::to_value(n).unwrap(), n.as_str());
        }
        for r in RevocationInfo::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for c in CrlClass::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn crl_failure_tokens_map_onto_the_bounded_classes() {
        let cases = [
            ("timeout", CrlClass::Timeout),
            ("refused", CrlClass::Network),
            ("dns", CrlClass::Network),
            ("network", CrlClass::Network),
            ("http-status", CrlClass::HttpStatus),
            ("oversize-body", CrlClass::TooLarge),
            ("too-large", CrlClass::TooLarge),
            ("empty-body", CrlClass::Malformed),
            ("malformed", CrlClass::Malformed),
            ("bad-signature", CrlClass::BadSignature),
            ("wrong-issuer", CrlClass::WrongIssuer),
            ("stale", CrlClass::Stale),
            ("scope-mismatch", CrlClass::OutOfScope),
            ("partial-reasons", CrlClass::OutOfScope),
            ("delta-unsupported", CrlClass::Unsupported),
            ("unsupported-signature", CrlClass::Unsupported),
            ("not-yet-valid", CrlClass::Other),
            ("signature-not-checked", CrlClass::Other),
            ("something-new", CrlClass::Other),
        ];
        for (token, class) in cases {
            assert_eq!(CrlClass::of_failure(token), class, "{token}");
            assert!(class.is_failure());
        }
        assert!(!CrlClass::Ok.is_failure());
        // Every class the CRL reader can say has a class of its own or a
        // named group: none falls to `other` by accident.
        use crate::crl::CrlError;
        use crate::verify::SignatureError;
        for e in [
            CrlError::TooLarge { len: 1, max: 0 },
            CrlError::TooManyEntries { max: 0 },
            CrlError::AlgorithmMismatch,
            CrlError::DeltaUnsupported,
            CrlError::IndirectUnsupported { why: "x" },
            CrlError::WrongIssuer { why: "x".into() },
            CrlError::Signature(SignatureError::BadSignature),
            CrlError::Stale {
                until: 0,
                without_next_update: false,
            },
            CrlError::ScopeMismatch { why: "x".into() },
            CrlError::PartialReasons { why: "x" },
        ] {
            assert_ne!(CrlClass::of_failure(e.class()), CrlClass::Other, "{e}");
        }
    }

    fn report(url: &str, list: bool, offline: Option<&str>) -> CrlReport {
        use crate::ocsp::exchange::Offline;
        CrlReport {
            url: url.into(),
            list: list.then(|| crate::crl::CrlSummary {
                issuer: "CN=CA".into(),
                signature_algorithm: "ecdsa-with-SHA256".into(),
                this_update: "2026-11-20T00:00:00Z".into(),
                next_update: None,
                crl_number: None,
                entries: 0,
                scope_urls: Vec::new(),
                only_user_certs: false,
                only_ca_certs: false,
            }),
            answer: (list && offline.is_none()).then_some(crate::crl::CrlAnswer::Good {
                removed_from_crl: false,
            }),
            offline: offline.map(|code| match code {
                "timeout" => Offline::Timeout,
                code => Offline::InvalidResponse {
                    code: if code == "stale" {
                        "stale"
                    } else {
                        "malformed"
                    },
                    detail: String::new(),
                },
            }),
        }
    }

    #[test]
    fn crl_access_says_fetched_held_or_not_used() {
        const URL: &str = "http://CRL3.digicert.com/shard/17.crl";
        let fetch = |failure| HostCrlFetch {
            url: URL,
            elapsed_ms: 120,
            bytes: Some(4_096),
            failure,
        };
        let fetched = |class| {
            CrlAccess::Fetched(CrlFetched {
                host: "crl3.digicert.com".into(),
                class,
                elapsed_ms: 120,
                bytes: 4_096,
            })
        };
        assert_eq!(
            CrlAccess::of(Some(fetch(None)), Some(&report(URL, true, None))),
            fetched(CrlClass::Ok)
        );
        assert_eq!(
            CrlAccess::of(Some(fetch(Some("timeout"))), None),
            fetched(CrlClass::Timeout)
        );
        // Read and stored, then stale for the leaf: the list's own word.
        assert_eq!(
            CrlAccess::of(Some(fetch(None)), Some(&report(URL, true, Some("stale")))),
            fetched(CrlClass::Stale)
        );
        // A report about another list says nothing of this fetch.
        assert_eq!(
            CrlAccess::of(
                Some(fetch(None)),
                Some(&report("http://other/x.crl", true, Some("stale")))
            ),
            fetched(CrlClass::Ok)
        );
        assert_eq!(
            CrlAccess::of(None, Some(&report(URL, true, None))),
            CrlAccess::Held
        );
        // A list held that does not answer, a failure remembered: nothing
        // held answered.
        assert_eq!(
            CrlAccess::of(None, Some(&report(URL, true, Some("stale")))),
            CrlAccess::NotUsed
        );
        assert_eq!(
            CrlAccess::of(None, Some(&report(URL, false, Some("timeout")))),
            CrlAccess::NotUsed
        );
        assert_eq!(CrlAccess::of(None, None), CrlAccess::NotUsed);
        // The path of the URL (the CA's shard) is never kept.
        let json = serde_json::to_string(&CrlAccess::of(Some(fetch(None)), None)).unwrap();
        assert!(!json.contains("shard"), "{json}");
    }

    #[test]
    fn offline_classes() {
        assert_eq!(LiveClass::of_offline("timeout"), LiveClass::Timeout);
        assert_eq!(LiveClass::of_offline("dns"), LiveClass::Network);
        assert_eq!(LiveClass::of_offline("http-status"), LiveClass::HttpStatus);
        assert_eq!(LiveClass::of_offline("oversize-body"), LiveClass::Malformed);
        assert_eq!(LiveClass::of_offline("try-later"), LiveClass::TryLater);
        assert_eq!(
            LiveClass::of_offline("unauthorized"),
            LiveClass::Unauthorized
        );
        assert_eq!(
            LiveClass::of_offline("bad-signature"),
            LiveClass::BadSignature
        );
        assert_eq!(
            LiveClass::of_offline("internal-error"),
            LiveClass::ResponderError
        );
        assert_eq!(LiveClass::of_offline("expired"), LiveClass::Invalid);
        assert_eq!(LiveClass::of_offline("something-new"), LiveClass::Invalid);
        assert!(LiveClass::of_offline("expired").is_failure());
        assert!(!LiveClass::Unknown.is_failure());
    }

    #[test]
    fn responder_hosts_keep_only_the_authority() {
        assert_eq!(
            responder_host("http://OCSP.Example.com/MFMw"),
            "ocsp.example.com"
        );
        assert_eq!(
            responder_host("http://ocsp.example.com:80/x"),
            "ocsp.example.com"
        );
        assert_eq!(responder_host("http://127.0.0.1:8888"), "127.0.0.1:8888");
        assert_eq!(responder_host("https://r.example:443?x"), "r.example");
        assert_eq!(responder_host("http://user@evil.example/"), OTHER_HOST);
        assert_eq!(responder_host("ldap://x.example/"), OTHER_HOST);
        assert_eq!(responder_host("http:///path"), OTHER_HOST);
        assert_eq!(responder_host("http://ex ample/"), OTHER_HOST);
    }

    #[test]
    fn page_load_json_is_strict() {
        let ok = r#"{"path":"OCSP","live":{"kind":"asked","host":"ocsp.example","method":"GET","elapsed_ms":12,"class":"timeout"}}"#;
        let load: PageLoad = serde_json::from_str(ok).unwrap();
        assert_eq!(load.path, Path::Ocsp);
        assert!(matches!(
            load.live,
            LiveUse::Asked(LiveRequest {
                class: LiveClass::Timeout,
                ..
            })
        ));
        for bad in [
            r#"{"path":"Ocsp","live":{"kind":"not-needed"}}"#,
            r#"{"path":"OCSP","live":{"kind":"not-needed"},"url":"https://site.example/"}"#,
            r#"{"path":"OCSP","live":{"kind":"asked","host":"h","method":"PUT","elapsed_ms":1,"class":"good"}}"#,
            r#"{"path":"OCSP"}"#,
            r#"{"path":"OCSP","live":{"kind":"not-needed"},"revocation_info":"ldap-only"}"#,
            r#"{"path":"OCSP","live":{"kind":"not-needed"},"crl":{"kind":"fetched","host":"h","class":"ok","elapsed_ms":1,"bytes":1,"url":"http://h/x.crl"}}"#,
        ] {
            assert!(serde_json::from_str::<PageLoad>(bad).is_err(), "{bad}");
        }
        // Written before the leaf's revocation information and CRLs were
        // counted: neither, and no CRL.
        assert_eq!(load.revocation_info, None);
        assert_eq!(load.crl, CrlAccess::NotUsed);
        let crl = r#"{"path":"CRL","live":{"kind":"not-needed"},"revocation_info":"crl-only","crl":{"kind":"fetched","host":"crl.example","class":"out-of-scope","elapsed_ms":80,"bytes":900}}"#;
        let load: PageLoad = serde_json::from_str(crl).unwrap();
        assert_eq!(load.revocation_info, Some(RevocationInfo::CrlOnly));
        assert!(matches!(
            load.crl,
            CrlAccess::Fetched(CrlFetched {
                class: CrlClass::OutOfScope,
                bytes: 900,
                ..
            })
        ));
        let again = serde_json::to_string(&load).unwrap();
        assert_eq!(serde_json::from_str::<PageLoad>(&again).unwrap(), load);
    }
}
