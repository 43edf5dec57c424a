//! One page load, as telemetry records it: which path decided each
//! certificate, what live OCSP did, and what hard-fail would have done.
//! Nothing here names the site: only the path labels, outcome classes, and
//! the OCSP responder's host (CA infrastructure, not the page).

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
    /// The CA's CRL decided (a step browsers do not take). Counted on this
    /// machine; the shared report's schema has no cell for it yet.
    #[serde(rename = "CRL")]
    Crl,
}

impl Path {
    /// Every label, as the local dashboard counts them.
    pub const ALL: [Path; 13] = [
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
        Path::Crl,
    ];

    /// The labels of the shared report's `paths` section, in its order.
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
        }
    }

    /// The page load behind `verdict`; `request` is the live request the
    /// host made, if any.
    pub fn from_verdict(verdict: &Verdict, request: Option<HostRequest<'_>>) -> PageLoad {
        let Some(leaf) = verdict.certificates.first() else {
            return PageLoad::page_level(Path::EvaluationError);
        };
        PageLoad {
            path: Path::of_step(leaf.decided_by),
            ca_paths: verdict.certificates[1..]
                .iter()
                .map(|c| Path::of_step(c.decided_by))
                .collect(),
            live: live_use(leaf, request),
            hard_fail: Some(HardFail::of_verdict(verdict)),
            browser_used_ocsp: None,
            crlite: leaf.crlite.as_ref().map(|lookup| lookup.status),
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
        ] {
            assert!(serde_json::from_str::<PageLoad>(bad).is_err(), "{bad}");
        }
    }
}
