//! Revocation policy as data: named presets, and a JSON file format that
//! starts from a preset and overrides some of its tunables.
//!
//! ```json
//! { "base": "hard-fail", "name": "strict-lab", "short_lived_threshold_days": 7 }
//! ```

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::preset::Preset;

use crate::ocsp::response::CertIdHashes;
pub use crate::preset::PRESET_NAMES;

/// Firefox's CRLite modes (`security.pki.crlite_mode`: 0 disabled, 1
/// telemetry-only, 2 enforce).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CrliteMode {
    Disabled,
    TelemetryOnly,
    Enforce,
}

/// Whether, and how, the ladder may ask a responder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum LiveOcsp {
    /// Never ask; a certificate that needs it is reported as not checked.
    Disabled,
    /// Ask; no usable answer means accept.
    SoftFail,
    /// Ask; no usable answer means block.
    HardFail,
}

/// What to do with an end-entity certificate that names no OCSP responder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum NoRevocationInfo {
    /// As Firefox does, for enterprise PKIs (the seed's plan keeps this).
    Accept,
    Block,
}

/// Where the short-lived exemption stands relative to OCSP stapling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ExemptionOrder {
    /// The plan's order: a short-lived certificate skips every later check.
    BeforeStapling,
    /// Firefox's order (NSSCertDBTrustDomain.cpp, `CheckRevocationByOCSP`):
    /// the stapled response and must-staple are judged first, then the
    /// short-lived exemption stops the ladder before live OCSP.
    AfterStapling,
}

/// Whether the ladder may fetch the certificate's CRL (browsers do not;
/// RFC 5280 section 6.3). The CRL rung comes after the stapled response,
/// must-staple and the short-lived exemption, and in place of live OCSP
/// when it runs: its answer (or its failure) decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CrlUse {
    Disabled,
    /// Only for a certificate that names no OCSP responder (Let's
    /// Encrypt's since May 2025).
    WhenNoOcsp,
    /// For every certificate that names a CRL; live OCSP only for one that
    /// names none.
    Always,
}

/// Whether OneCRL is consulted (Firefox consults it for every certificate,
/// `GetCertTrust`; Chrome has no OneCRL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum OneCrlUse {
    Disabled,
    Enforce,
}

/// Whether Chrome's CRLSet is consulted, for every certificate of the
/// chain (net/cert/internal/revocation_checker.cc,
/// `CheckChainRevocationUsingCRLSet`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CrlSetUse {
    Disabled,
    /// A listed certificate is revoked; a covered one not listed is good
    /// (the leaf's "good" standing in for online checks); an absent or
    /// expired set, or an issuer it does not cover, gives no answer.
    Enforce,
}

/// What a stapled OCSP response that says neither good nor revoked (an
/// "unknown" answer, or one that does not validate) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum StapledRules {
    /// Firefox's (NSSCertDBTrustDomain.cpp `CheckRevocationByOCSP`):
    /// unknown decides; an expired answer, tryLater, an invalid signer or
    /// no answer for the certificate defer to live OCSP; any other failure
    /// is an error.
    Firefox,
    /// Chromium's (net/cert/internal/revocation_checker.cc
    /// `CheckCertRevocation`): only a valid good or revoked answer counts;
    /// anything else (`OCSPRevocationStatus::UNKNOWN`) moves on to the
    /// next step.
    Chromium,
}

/// How a live OCSP request is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum OcspMethod {
    /// GET in the RFC 6960 appendix A.1 form when it fits in 255 bytes,
    /// POST otherwise (and POST again when GET is refused).
    GetWhenShort,
    /// Always POST, as Firefox does (nsNSSCallbacks.cpp sends every OCSP
    /// request by POST).
    Post,
}

/// One policy: every tunable of the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    pub description: String,
    pub crlite: CrliteMode,
    /// End-entity certificates whose lifetime (notAfter - notBefore) is
    /// strictly below this many days are exempt, as in Firefox
    /// (`security.pki.cert_short_lifetime_in_days`, default 10, compared with
    /// `<`). 0 turns the exemption off.
    pub short_lived_threshold_days: u32,
    pub exemption_order: ExemptionOrder,
    pub stapled_ocsp: bool,
    pub must_staple: bool,
    pub live_ocsp: LiveOcsp,
    /// Firefox skips live OCSP for chains to a built-in root while CRLite is
    /// enforced and OCSP is not required (`CheckRevocationByOCSP`,
    /// `mCRLiteMode == CRLiteMode::Enforce && mIsBuiltChainRootBuiltInRoot`).
    pub skip_live_ocsp_for_built_in_roots: bool,
    /// Firefox: `security.OCSP.timeoutMilliseconds.soft`, 2000 on release.
    pub soft_timeout_ms: u32,
    /// Firefox: `security.OCSP.timeoutMilliseconds.hard`, 10000.
    pub hard_timeout_ms: u32,
    /// A OneCRL snapshot older than this is reported as stale in the trace.
    pub onecrl_max_age_hours: u32,
    pub without_revocation_info: NoRevocationInfo,
    /// Which CertID hashes identify the certificate in an OCSP response
    /// (stapled or live): `sha1-only` as Firefox (mozpkix `MatchCertID`
    /// skips other hashes), or `any` (SHA-1/256/384/512). A policy file
    /// written before this tunable existed gets `any`.
    #[serde(default = "any_cert_id_hash")]
    pub cert_id_hashes: CertIdHashes,
    /// Whether the CRL rung runs. A policy file written before this
    /// tunable existed gets `disabled`.
    #[serde(default = "crl_disabled")]
    pub crl: CrlUse,
    /// How live OCSP requests go out. A policy file written before this
    /// tunable existed gets `get-when-short`.
    #[serde(default = "get_when_short")]
    pub ocsp_method: OcspMethod,
    /// Whether OneCRL is consulted. A policy file written before this
    /// tunable existed gets `enforce`.
    #[serde(default = "onecrl_enforce")]
    pub onecrl: OneCrlUse,
    /// Whether Chrome's CRLSet is consulted. A policy file written before
    /// this tunable existed gets `disabled`.
    #[serde(default = "crlset_disabled")]
    pub crlset: CrlSetUse,
    /// Whose rules judge a stapled response. A policy file written before
    /// this tunable existed gets `firefox`.
    #[serde(default = "stapled_firefox")]
    pub stapled_rules: StapledRules,
}

fn onecrl_enforce() -> OneCrlUse {
    OneCrlUse::Enforce
}

fn crlset_disabled() -> CrlSetUse {
    CrlSetUse::Disabled
}

fn stapled_firefox() -> StapledRules {
    StapledRules::Firefox
}

fn get_when_short() -> OcspMethod {
    OcspMethod::GetWhenShort
}

fn crl_disabled() -> CrlUse {
    CrlUse::Disabled
}

fn any_cert_id_hash() -> CertIdHashes {
    CertIdHashes::Any
}

impl Policy {
    /// A named preset.
    pub fn preset(name: &str) -> Result<Self, Error> {
        let plan = Policy {
            name: Preset::MozillaPlan.name().into(),
            description: "Mozilla's revocation plan (wiki.mozilla.org/CA/Revocation_Plan): OneCRL only for CA \
                certificates; for the end entity OneCRL, the short-lived exemption under 10 days (which skips \
                every later check), stapled OCSP, must-staple, then live OCSP with soft-fail."
                .into(),
            crlite: CrliteMode::Disabled,
            short_lived_threshold_days: 10,
            exemption_order: ExemptionOrder::BeforeStapling,
            stapled_ocsp: true,
            must_staple: true,
            live_ocsp: LiveOcsp::SoftFail,
            skip_live_ocsp_for_built_in_roots: false,
            soft_timeout_ms: 2_000,
            hard_timeout_ms: 10_000,
            // OneCRL updates go out about daily (the plan); two missed
            // updates make the answers stale.
            onecrl_max_age_hours: 48,
            without_revocation_info: NoRevocationInfo::Accept,
            cert_id_hashes: CertIdHashes::Any,
            crl: CrlUse::Disabled,
            ocsp_method: OcspMethod::GetWhenShort,
            onecrl: OneCrlUse::Enforce,
            crlset: CrlSetUse::Disabled,
            stapled_rules: StapledRules::Firefox,
        };
        let Some(preset) = Preset::from_name(name) else {
            return Err(Error::UnknownPolicy(name.to_owned()));
        };
        match preset {
            Preset::MozillaPlan => Ok(plan),
            Preset::HardFail => Ok(Policy {
                name: Preset::HardFail.name().into(),
                description: "The plan's ladder with live OCSP in hard-fail: a responder that gives no usable \
                    answer within the hard timeout blocks the page."
                    .into(),
                live_ocsp: LiveOcsp::HardFail,
                ..plan
            }),
            Preset::FirefoxToday => Ok(Policy {
                name: Preset::FirefoxToday.name().into(),
                description: "What Firefox does by default, read in mozilla-central (mozilla-firefox/firefox \
                    commit ca36c952, 2026, which has bug 2022068; the index we read it from does not name its \
                    milestone): security/certverifier/NSSCertDBTrustDomain.cpp CheckRevocation (CRLite first for \
                    the end entity: in enforce mode a covered certificate's CRLite answer is final, with no OCSP \
                    and no staple), CheckRevocationByCRLite, CheckRevocationByOCSP (the stapled response, then \
                    the short-lived exemption under 10 days, then no live OCSP for chains to a built-in root \
                    while CRLite is enforced and OCSP is not required); cert_storage's 10 days without a filter \
                    update making no_filter; GetCertTrust's OneCRL for every certificate; and the defaults of \
                    StaticPrefList.yaml (security.pki.crlite_mode 2, security.OCSP.enabled 1, \
                    security.OCSP.require false, timeouts 2 s soft and 10 s hard). Live OCSP soft-fail for \
                    other roots. Not modelled: CRLite's use of SCTs from the TLS handshake (extensions see \
                    only the embedded ones), Firefox's OCSP cache across sessions, and EV-specific behaviour."
                    .into(),
                crlite: CrliteMode::Enforce,
                exemption_order: ExemptionOrder::AfterStapling,
                skip_live_ocsp_for_built_in_roots: true,
                // pkixocsp.cpp `MatchCertID`: "TODO: support SHA-2 hashes";
                // a SingleResponse with another hash is skipped.
                cert_id_hashes: CertIdHashes::Sha1Only,
                // nsNSSCallbacks.cpp: every request by POST (measured in ESR 153).
                ocsp_method: OcspMethod::Post,
                ..plan
            }),
            Preset::Inspector => Ok(Policy {
                name: Preset::Inspector.name().into(),
                description: "What the web's revocation data says, whether or not a browser would ask: OneCRL; \
                    CRLite (enforced, when filters are loaded); the stapled response and must-staple; the \
                    short-lived exemption under 10 days (after stapling, as in Firefox); then the CA's CRL for \
                    every certificate that names one, and live OCSP (soft-fail) only for a certificate that \
                    names no CRL."
                    .into(),
                crlite: CrliteMode::Enforce,
                exemption_order: ExemptionOrder::AfterStapling,
                crl: CrlUse::Always,
                ..plan
            }),
            Preset::ChromeToday => Ok(Policy {
                name: Preset::ChromeToday.name().into(),
                description: "What Chrome does by default, read in Chromium (chromium/chromium; docs/ladder.md, \
                    \"chrome-today, value by value\"): net/cert/cert_verify_proc_builtin.cc \
                    CheckPathAfterVerification checks the CRLSet on every certificate of the chain \
                    (revocation_checker.cc CheckChainRevocationUsingCRLSet: blocked SPKIs, limited subjects, \
                    serials under the issuer's SPKI hash; an expired set still revokes but its good no longer \
                    counts); ChooseRevocationPolicy gives NoRevocationChecking (no live OCSP, no CRL, missing \
                    revocation info accepted) since rev_checking_enabled is managed-only and off \
                    (chrome/browser/ssl/ssl_config_service_manager.cc) and required_local_anchors is off; \
                    CheckCertRevocation still reads the leaf's stapled response first: a valid revoked answer \
                    revokes, good is good, anything else is ignored. No OneCRL, no CRLite, no short-lived \
                    exemption, no must-staple (net/cert/ reads no TLS Feature extension). CertIDs of SHA-1, \
                    SHA-256, -384 and -512 match (BoringSSL pki/ocsp.cc CheckCertIDMatchesCertificate). Not \
                    modelled: the SPKI block list compiled into Chromium, known-interception flags, EV."
                    .into(),
                onecrl: OneCrlUse::Disabled,
                crlset: CrlSetUse::Enforce,
                crlite: CrliteMode::Disabled,
                short_lived_threshold_days: 0,
                exemption_order: ExemptionOrder::AfterStapling,
                stapled_ocsp: true,
                stapled_rules: StapledRules::Chromium,
                must_staple: false,
                live_ocsp: LiveOcsp::Disabled,
                crl: CrlUse::Disabled,
                without_revocation_info: NoRevocationInfo::Accept,
                cert_id_hashes: CertIdHashes::Any,
                ..plan
            }),
        }
    }

    /// Reads a policy file: a JSON object with an optional `"base"` preset
    /// (default `mozilla-plan`) and any tunables to override.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let invalid = |why: String| Error::InvalidPolicy(why);
        let mut overrides: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| invalid(format!("not a JSON object: {e}")))?;
        let base = match overrides.remove("base") {
            None => "mozilla-plan".to_owned(),
            Some(serde_json::Value::String(name)) => name,
            Some(other) => {
                return Err(invalid(format!(
                    "\"base\" must be a preset name, not {other}"
                )))
            }
        };
        let mut merged = match serde_json::to_value(Policy::preset(&base)?) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => unreachable!("a Policy serialises to an object"),
        };
        if !overrides.contains_key("name") {
            overrides.insert("name".into(), format!("{base} (custom)").into());
        }
        merged.extend(overrides);
        let policy: Policy = serde_json::from_value(serde_json::Value::Object(merged))
            .map_err(|e| invalid(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    /// A preset name, or else a policy file's contents.
    pub fn from_name_or_json(text: &str) -> Result<Self, Error> {
        if text.trim_start().starts_with('{') {
            Self::from_json(text)
        } else {
            Self::preset(text.trim())
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let invalid = |why: &str| Err(Error::InvalidPolicy(why.to_owned()));
        // Firefox caps the soft timeout at 5 s and the hard one at 20 s
        // (nsNSSComponent.cpp, OCSP_TIMEOUT_MILLISECONDS_SOFT_MAX/HARD_MAX);
        // we allow up to 60 s for measurement, and at least 100 ms.
        for t in [self.soft_timeout_ms, self.hard_timeout_ms] {
            if !(100..=60_000).contains(&t) {
                return invalid("OCSP timeouts must be between 100 and 60000 ms");
            }
        }
        if self.short_lived_threshold_days > 398 {
            return invalid("short_lived_threshold_days above 398 (the longest lifetime the CA/B Forum allows) would exempt every certificate");
        }
        if self.onecrl_max_age_hours == 0 {
            return invalid("onecrl_max_age_hours must be at least 1");
        }
        if self.name.trim().is_empty() {
            return invalid("name must not be empty");
        }
        Ok(())
    }

    /// The timeout that applies to a live request under this policy.
    pub fn live_timeout_ms(&self) -> u32 {
        match self.live_ocsp {
            LiveOcsp::HardFail => self.hard_timeout_ms,
            _ => self.soft_timeout_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_named_as_listed() {
        for name in PRESET_NAMES {
            let p = Policy::preset(name).unwrap();
            assert_eq!(p.name, *name);
            p.validate().unwrap();
        }
        assert!(matches!(
            Policy::preset("lenient"),
            Err(Error::UnknownPolicy(_))
        ));
    }

    #[test]
    fn presets_differ_where_they_should() {
        let plan = Policy::preset("mozilla-plan").unwrap();
        let hard = Policy::preset("hard-fail").unwrap();
        let ff = Policy::preset("firefox-today").unwrap();
        assert_eq!(plan.live_ocsp, LiveOcsp::SoftFail);
        assert_eq!(hard.live_ocsp, LiveOcsp::HardFail);
        assert_eq!(hard.live_timeout_ms(), 10_000);
        assert_eq!(plan.live_timeout_ms(), 2_000);
        assert_eq!(ff.crlite, CrliteMode::Enforce);
        assert!(ff.skip_live_ocsp_for_built_in_roots && !plan.skip_live_ocsp_for_built_in_roots);
        assert_eq!(ff.cert_id_hashes, CertIdHashes::Sha1Only);
        assert_eq!(plan.cert_id_hashes, CertIdHashes::Any);
        assert_eq!(hard.cert_id_hashes, CertIdHashes::Any);
        let inspector = Policy::preset("inspector").unwrap();
        assert_eq!(inspector.crl, CrlUse::Always);
        assert!([&plan, &hard, &ff]
            .iter()
            .all(|p| p.crl == CrlUse::Disabled));
        let chrome = Policy::preset("chrome-today").unwrap();
        assert_eq!(chrome.crlset, CrlSetUse::Enforce);
        assert_eq!(chrome.onecrl, OneCrlUse::Disabled);
        assert_eq!(chrome.crlite, CrliteMode::Disabled);
        assert_eq!(chrome.live_ocsp, LiveOcsp::Disabled);
        assert_eq!(chrome.stapled_rules, StapledRules::Chromium);
        assert_eq!(chrome.short_lived_threshold_days, 0);
        assert!(!chrome.must_staple && chrome.stapled_ocsp);
        assert!([&plan, &hard, &ff, &inspector].iter().all(|p| {
            p.crlset == CrlSetUse::Disabled
                && p.onecrl == OneCrlUse::Enforce
                && p.stapled_rules == StapledRules::Firefox
        }));
    }

    /// A policy written before the CRLSet tunables existed still reads.
    #[test]
    fn a_stored_policy_without_the_crlset_tunables_reads() {
        let mut stored = serde_json::to_value(Policy::preset("firefox-today").unwrap()).unwrap();
        let map = stored.as_object_mut().unwrap();
        for key in ["onecrl", "crlset", "stapled_rules"] {
            assert!(map.remove(key).is_some(), "{key}");
        }
        let p: Policy = serde_json::from_value(stored).unwrap();
        assert_eq!(p, Policy::preset("firefox-today").unwrap());
        let p = Policy::from_json(r#"{"crlset": "enforce", "onecrl": "disabled"}"#).unwrap();
        assert_eq!(
            (p.crlset, p.onecrl),
            (CrlSetUse::Enforce, OneCrlUse::Disabled)
        );
    }

    #[test]
    fn file_overrides_its_base() {
        let p =
            Policy::from_json(r#"{"base":"hard-fail","short_lived_threshold_days":7}"#).unwrap();
        assert_eq!(p.live_ocsp, LiveOcsp::HardFail);
        assert_eq!(p.short_lived_threshold_days, 7);
        assert_eq!(p.name, "hard-fail (custom)");
        let p = Policy::from_json(r#"{"cert_id_hashes":"sha1-only"}"#).unwrap();
        assert_eq!(p.cert_id_hashes, CertIdHashes::Sha1Only);
        let p = Policy::from_json(r#"{"crl":"when-no-ocsp"}"#).unwrap();
        assert_eq!(p.crl, CrlUse::WhenNoOcsp);
    }

    #[test]
    fn file_errors_are_precise() {
        for (json, needle) in [
            (
                r#"{"short_lived_days": 3}"#,
                "unknown field `short_lived_days`",
            ),
            (
                r#"{"live_ocsp": "sometimes"}"#,
                "unknown variant `sometimes`",
            ),
            (r#"{"soft_timeout_ms": 5}"#, "between 100 and 60000"),
            (
                r#"{"cert_id_hashes": "sha256-only"}"#,
                "unknown variant `sha256-only`",
            ),
            (r#"{"base": 3}"#, "preset name"),
            (r#"[1]"#, "not a JSON object"),
        ] {
            let err = Policy::from_json(json).unwrap_err().to_string();
            assert!(err.contains(needle), "{json}: {err}");
        }
        assert!(matches!(
            Policy::from_json(r#"{"base":"nope"}"#),
            Err(Error::UnknownPolicy(_))
        ));
    }
}
