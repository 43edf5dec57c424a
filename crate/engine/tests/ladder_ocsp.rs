//! The ladder's OCSP rungs (stapled, must-staple, cached, live) with
//! responses a real `openssl ocsp` signed. Where a test ports one of
//! Firefox's xpcshell scenarios (security/manager/ssl/tests/unit), it says
//! which.

#[macro_use]
mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use der::Decode;
use revoscope::ocsp::cache::FAILURE_CACHE_SECS;
use revoscope::ocsp::{FetchOutcome, OcspCache, Offline};
use revoscope::verify::ledger::settle_now;
use revoscope::verify::{RustCrypto, SignatureVerifier};
use revoscope::{evaluate, Input, Outcome, Policy, Status, Step, StepOutcome, UnixTime, Verdict};
use support::*;

const DAY: u64 = 86_400;

/// What one evaluation gets besides the chain.
#[derive(Default)]
struct Extra<'a> {
    staple: Option<&'a [u8]>,
    cache: Option<&'a OcspCache>,
    live: Option<&'a FetchOutcome>,
    /// Seconds after the fixture responses were made (they carry real time).
    offset: i64,
    built_in: bool,
}

impl<'a> Extra<'a> {
    /// Only a live answer.
    fn live(outcome: &'a FetchOutcome) -> Self {
        Extra {
            live: Some(outcome),
            ..Extra::default()
        }
    }

    /// Only a cache, consulted `offset` seconds after the fixtures were made.
    fn cached(cache: &'a OcspCache, offset: i64) -> Self {
        Extra {
            cache: Some(cache),
            offset,
            ..Extra::default()
        }
    }
}

/// `preset`: a preset name or policy JSON. Every scenario is evaluated
/// twice: with RustCrypto checking signatures as they come, and the way the
/// browser build does it (a ledger of checks made between runs); the two
/// verdicts must be the same.
fn eval(pem: &[u8], preset: &str, extra: Extra<'_>) -> Verdict {
    let chain = chain(pem);
    let made = produced_at(ocsp_fixture!("good.der"));
    let policy = Policy::from_name_or_json(preset).unwrap();
    let snapshot = test_snapshot();
    let input = |verifier: &dyn SignatureVerifier| {
        evaluate(&Input {
            chain: &chain,
            stapled_ocsp: extra.staple,
            staple_hidden: false,
            time: UnixTime(made.0.checked_add_signed(extra.offset + 60).unwrap()),
            policy: &policy,
            onecrl: &snapshot,
            root_is_built_in: extra.built_in,
            crlite: None,
            crlset: None,
            ocsp_cache: extra.cache,
            crls: None,
            live_ocsp: extra.live,
            issuer_fetch: None,
            verifier,
        })
        .unwrap()
    };
    let direct = input(&RustCrypto);
    let ledgered = settle_now(|ledger| input(ledger), &RustCrypto);
    assert_eq!(
        serde_json::to_value(&direct).unwrap(),
        serde_json::to_value(&ledgered).unwrap(),
        "the ledger protocol changed the verdict"
    );
    direct
}

fn leaf(v: &Verdict) -> (Status, revoscope::Step) {
    (v.certificates[0].status, v.certificates[0].decided_by)
}

fn http_200(body: &[u8]) -> FetchOutcome {
    FetchOutcome::Response {
        http_status: 200,
        body: body.to_vec(),
        elapsed_ms: 12,
    }
}

#[test]
fn stapled_good_revoked_and_unknown_decide() {
    // test_ocsp_stapling.js: ocsp-stapling-good, -revoked, -unknown.
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            staple: Some(ocsp_fixture!("good.der")),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Good, Step::StapledOcsp));
    assert_eq!(v.outcome, Outcome::Accept);
    assert!(v.certificates[0].ocsp_response.is_some());
    assert!(
        v.certificates[0].fetch.is_none(),
        "a good staple needs no live request"
    );

    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            staple: Some(ocsp_fixture!("revoked.der")),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Revoked, Step::StapledOcsp));
    assert!(
        v.certificates[0].reason.contains("keyCompromise"),
        "{}",
        v.certificates[0].reason
    );
    assert_eq!(v.outcome, Outcome::Block);

    // leaf-6d is short-lived, so the staple is judged first only where the
    // exemption comes after stapling, as in Firefox.
    let v = eval(
        LEAF_6D,
        "firefox-today",
        Extra {
            staple: Some(ocsp_fixture!("unknown.der")),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Unknown, Step::StapledOcsp));
    assert_eq!(v.outcome, Outcome::Block);
}

#[test]
fn an_expired_staple_defers_to_live_ocsp() {
    // test_ocsp_stapling_expired.js, ocsp-stapling-expired: an old good
    // staple with a good live answer is fine, with HTTP 500 it fails with
    // OLD_RESPONSE.
    let old = Extra {
        staple: Some(ocsp_fixture!("good.der")),
        offset: 9 * DAY as i64,
        ..Extra::default()
    };
    let v = eval(LEAF_90D, "mozilla-plan", Extra { ..old });
    assert_eq!(leaf(&v), (Status::Pending, Step::LiveOcsp));
    assert!(v.certificates[0]
        .trace
        .iter()
        .any(|t| t.step == Step::StapledOcsp && t.outcome == StepOutcome::Deferred));

    // The live answer, made at the same time as the staple, is also 9 days
    // old by then: use the 30-day one (capped at 10 days, still fresh).
    let live = http_200(ocsp_fixture!("good-long-next-update.der"));
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            live: Some(&live),
            staple: old.staple,
            offset: old.offset,
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Good, Step::LiveOcsp));

    let failed = FetchOutcome::Response {
        http_status: 500,
        body: Vec::new(),
        elapsed_ms: 3,
    };
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            live: Some(&failed),
            staple: old.staple,
            offset: old.offset,
            ..Extra::default()
        },
    );
    assert_eq!(
        leaf(&v),
        (Status::Error, Step::StapledOcsp),
        "{}",
        v.certificates[0].reason
    );
    assert_eq!(
        v.certificates[0].offline,
        Some(Offline::HttpStatus { status: 500 })
    );
    assert_eq!(v.outcome, Outcome::Block);
}

#[test]
fn an_old_revoked_staple_still_revokes_when_live_fails() {
    // test_ocsp_stapling_expired.js, ocsp-stapling-revoked-old: no live
    // answer -> revoked; a good live answer -> fine.
    let staple = Some(ocsp_fixture!("revoked.der"));
    let offset = 9 * DAY as i64;
    let timeout = FetchOutcome::Timeout { elapsed_ms: 2000 };
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            staple,
            offset,
            live: Some(&timeout),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Revoked, Step::StapledOcsp));
    let good = http_200(ocsp_fixture!("good-long-next-update.der"));
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            staple,
            offset,
            live: Some(&good),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Good, Step::LiveOcsp));
}

#[test]
fn tolerated_staple_failures_are_deferred_and_others_decide() {
    for (staple, deferred) in [
        (ocsp_fixture!("try-later.der"), true),
        (ocsp_fixture!("other-ca.der"), true), // invalid signer
        (ocsp_fixture!("must-staple-good.der"), true), // no answer for this certificate
        (ocsp_fixture!("bad-signature.der"), false),
        (ocsp_fixture!("unauthorized.der"), false),
        (ocsp_fixture!("truncated.der"), false),
    ] {
        let v = eval(
            LEAF_90D,
            "mozilla-plan",
            Extra {
                staple: Some(staple),
                ..Extra::default()
            },
        );
        let expected = if deferred {
            (Status::Pending, Step::LiveOcsp)
        } else {
            (Status::Error, Step::StapledOcsp)
        };
        assert_eq!(leaf(&v), expected, "{:?}", v.certificates[0].trace);
    }
}

#[test]
fn must_staple_needs_the_staple_and_a_good_one_satisfies_it() {
    // test_ocsp_must_staple.js: must-staple with and without a staple.
    let v = eval(LEAF_MUST_STAPLE, "firefox-today", Extra::default());
    assert_eq!(leaf(&v), (Status::Error, Step::MustStaple));
    let v = eval(
        LEAF_MUST_STAPLE,
        "firefox-today",
        Extra {
            staple: Some(ocsp_fixture!("must-staple-good.der")),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Good, Step::StapledOcsp));
    let v = eval(
        LEAF_MUST_STAPLE,
        "firefox-today",
        Extra {
            staple: Some(ocsp_fixture!("must-staple-revoked.der")),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Revoked, Step::StapledOcsp));
}

#[test]
fn a_must_staple_intermediate_over_a_plain_leaf_fails() {
    // test_ocsp_must_staple.js, ocsp-stapling-plain-ee-with-must-staple-int:
    // REQUIRED_TLS_FEATURE_MISSING, even with a staple.
    use support::pki::{issue, key, Spec};
    use x509_cert::name::Name;
    let root = revoscope::pem::read_certificates(include_bytes!("../../../fixtures/pki/root.pem"))
        .unwrap()
        .remove(0);
    let root_name = x509_cert::Certificate::from_der(&root)
        .unwrap()
        .tbs_certificate
        .subject;
    let mut int = Spec::new(
        "CN=must-staple intermediate,O=revoscope test PKI",
        &root_name,
        0x1009,
    );
    int.is_ca = true;
    int.must_staple = true;
    int.not_after = int.not_before + 365 * DAY;
    let int_key = key("must-staple-int");
    let int_der = issue(&int, &int_key, &key("root"));
    let int_name: Name = int.subject.clone();
    let plain = Spec::new("CN=plain.revoscope.test", &int_name, 0x2009);
    let leaf_der = issue(&plain, &key("plain-leaf"), &int_key);
    let chain = vec![leaf_der, int_der, root];
    let v = evaluate(&Input {
        chain: &chain,
        stapled_ocsp: None,
        staple_hidden: false,
        time: NOW,
        policy: &policy("firefox-today"),
        onecrl: &test_snapshot(),
        root_is_built_in: false,
        crlite: None,
        crlset: None,
        ocsp_cache: None,
        crls: None,
        live_ocsp: None,
        issuer_fetch: None,
        verifier: &revoscope::verify::RustCrypto,
    })
    .unwrap();
    assert_eq!(leaf(&v), (Status::Error, Step::MustStaple));
    assert_eq!(
        v.certificates[0].trace[0].outcome,
        StepOutcome::FeatureMissing
    );
    assert_eq!(v.outcome, Outcome::Block);
}

#[test]
fn live_answers_keep_good_revoked_unknown_and_offline_apart() {
    let good = http_200(ocsp_fixture!("good.der"));
    let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&good));
    assert_eq!(leaf(&v), (Status::Good, Step::LiveOcsp));
    assert_eq!(v.certificates[0].elapsed_ms, Some(12));
    assert_eq!(v.outcome, Outcome::Accept);

    let revoked = http_200(ocsp_fixture!("revoked.der"));
    let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&revoked));
    assert_eq!(leaf(&v), (Status::Revoked, Step::LiveOcsp));

    // leaf-6d is short-lived; without the exemption it goes live.
    let unknown = http_200(ocsp_fixture!("unknown.der"));
    let no_exemption = r#"{"base": "mozilla-plan", "short_lived_threshold_days": 0}"#;
    let v = eval(LEAF_6D, no_exemption, Extra::live(&unknown));
    assert_eq!(leaf(&v), (Status::Unknown, Step::LiveOcsp));
    assert_eq!(v.outcome, Outcome::Block);

    for (outcome, offline) in [
        (FetchOutcome::Timeout { elapsed_ms: 2000 }, Offline::Timeout),
        (FetchOutcome::Refused { elapsed_ms: 1 }, Offline::Refused),
        (
            FetchOutcome::Response {
                http_status: 500,
                body: vec![],
                elapsed_ms: 4,
            },
            Offline::HttpStatus { status: 500 },
        ),
        (http_200(&[]), Offline::EmptyBody),
    ] {
        let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&outcome));
        assert_eq!(leaf(&v), (Status::Offline, Step::LiveOcsp));
        assert_eq!(v.certificates[0].offline.as_ref(), Some(&offline));
        assert_eq!(
            v.outcome,
            Outcome::SoftFailAccept,
            "mozilla-plan soft-fails"
        );
        let v = eval(LEAF_90D, "hard-fail", Extra::live(&outcome));
        assert_eq!(v.outcome, Outcome::Block, "hard-fail blocks on {offline:?}");
    }
    for (body, code) in [
        (ocsp_fixture!("bad-signature.der"), "bad-signature"),
        (ocsp_fixture!("try-later.der"), "try-later"),
        (ocsp_fixture!("other-ca.der"), "invalid-signer"),
    ] {
        let v = eval(
            LEAF_90D,
            "mozilla-plan",
            Extra {
                live: Some(&http_200(body)),
                ..Extra::default()
            },
        );
        assert_eq!(leaf(&v), (Status::Offline, Step::LiveOcsp));
        assert!(
            matches!(&v.certificates[0].offline, Some(Offline::InvalidResponse { code: c, .. }) if *c == code)
        );
    }
}

#[test]
fn the_cache_answers_before_live_and_remembers_failures_for_five_minutes() {
    // test_ocsp_caching.js: a good answer is reused; a failure is not
    // retried for a while; a revoked answer is kept.
    let mut cache = OcspCache::new();
    let good = http_200(ocsp_fixture!("good.der"));
    let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&good));
    cache.apply(&v);
    assert_eq!(cache.len(), 1);
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra {
            cache: Some(&cache),
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::Good, Step::CachedOcsp));
    assert!(v.certificates[0].fetch.is_none());
    // Past the answer's validity (7 days + 1 day slop) the cache is silent.
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra::cached(&cache, 8 * DAY as i64 + 120),
    );
    assert_eq!(leaf(&v), (Status::Pending, Step::LiveOcsp));

    let mut cache = OcspCache::new();
    let timeout = FetchOutcome::Timeout { elapsed_ms: 2000 };
    cache.apply(&eval(LEAF_90D, "mozilla-plan", Extra::live(&timeout)));
    let v = eval(LEAF_90D, "mozilla-plan", Extra::cached(&cache, 60));
    assert_eq!(leaf(&v), (Status::Offline, Step::LiveOcsp));
    assert!(v.certificates[0]
        .trace
        .iter()
        .any(|t| t.outcome == StepOutcome::CachedFailure));
    assert!(
        v.certificates[0].fetch.is_none(),
        "a dead responder is not asked again at once"
    );
    let later = FAILURE_CACHE_SECS as i64 + 1;
    let v = eval(LEAF_90D, "mozilla-plan", Extra::cached(&cache, later));
    assert_eq!(leaf(&v), (Status::Pending, Step::LiveOcsp));

    let mut cache = OcspCache::new();
    let revoked = http_200(ocsp_fixture!("revoked.der"));
    cache.apply(&eval(LEAF_90D, "mozilla-plan", Extra::live(&revoked)));
    // A later good answer does not replace it, and a year on it still holds.
    cache.apply(&eval(LEAF_90D, "mozilla-plan", Extra::live(&good)));
    let v = eval(
        LEAF_90D,
        "mozilla-plan",
        Extra::cached(&cache, 365 * DAY as i64),
    );
    assert_eq!(leaf(&v), (Status::Revoked, Step::CachedOcsp));
    // The cache survives a round trip through JSON (the host persists it).
    let json = serde_json::to_string(&cache).unwrap();
    let back: OcspCache = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cache);
    assert!(json.contains("revoked"));
}

#[test]
fn the_built_in_root_skip_comes_before_the_responder_check() {
    // NSSCertDBTrustDomain.cpp CheckRevocationByOCSP: with CRLite enforced,
    // chains to built-in roots skip OCSP before the no-AIA case.
    let v = eval(
        LEAF_NO_AIA,
        "firefox-today",
        Extra {
            built_in: true,
            ..Extra::default()
        },
    );
    assert_eq!(leaf(&v), (Status::NotChecked, Step::Policy));
}

/// What telemetry records of each verdict: the path label, what live OCSP
/// did and its class, and what hard-fail would have done.
#[test]
fn page_loads_record_the_deciding_path_and_the_live_class() {
    use revoscope::ocsp::FetchMethod;
    use revoscope::telemetry::event::{HostFacts, HostRequest, LiveRequest};
    use revoscope::telemetry::{HardFail, LiveClass, LiveUse, NotAsked, PageLoad, Path};

    let asked = |ms| HostRequest {
        responder: "http://OCSP.Test.example:80/abc",
        method: FetchMethod::Post.into(),
        elapsed_ms: ms,
    };
    let live_class = |load: &PageLoad| match &load.live {
        LiveUse::Asked(LiveRequest { class, host, .. }) => {
            assert_eq!(host, "ocsp.test.example");
            Some(*class)
        }
        _ => None,
    };
    let cases: [(&str, FetchOutcome, LiveClass, HardFail); 6] = [
        (
            "good",
            http_200(ocsp_fixture!("good.der")),
            LiveClass::Good,
            HardFail::Accept,
        ),
        (
            "revoked",
            http_200(ocsp_fixture!("revoked.der")),
            LiveClass::Revoked,
            HardFail::BlockRevoked,
        ),
        (
            "timeout",
            FetchOutcome::Timeout { elapsed_ms: 2000 },
            LiveClass::Timeout,
            HardFail::BlockOffline,
        ),
        (
            "refused",
            FetchOutcome::Refused { elapsed_ms: 1 },
            LiveClass::Network,
            HardFail::BlockOffline,
        ),
        (
            "bad signature",
            http_200(ocsp_fixture!("bad-signature.der")),
            LiveClass::BadSignature,
            HardFail::BlockOffline,
        ),
        (
            "try later",
            http_200(ocsp_fixture!("try-later.der")),
            LiveClass::TryLater,
            HardFail::BlockOffline,
        ),
    ];
    for (name, outcome, class, hard_fail) in cases {
        let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&outcome));
        let load = PageLoad::from_verdict(
            &v,
            &HostFacts {
                live: Some(asked(outcome.elapsed_ms())),
                ..HostFacts::default()
            },
        );
        assert_eq!(load.path, Path::Ocsp, "{name}");
        assert_eq!(load.ca_paths, [Path::OneCrl, Path::OneCrl], "{name}");
        assert_eq!(live_class(&load), Some(class), "{name}");
        assert_eq!(load.hard_fail, Some(hard_fail), "{name}");
    }

    // Needed and not asked: off in the host (pending), or skipped by policy.
    let v = eval(LEAF_90D, "mozilla-plan", Extra::default());
    let load = PageLoad::from_verdict(&v, &HostFacts::default());
    assert_eq!(
        (load.path, &load.live),
        (
            Path::Ocsp,
            &LiveUse::NotAsked {
                reason: NotAsked::Off
            }
        )
    );
    assert_eq!(load.hard_fail, Some(HardFail::Undetermined));
    let built_in = Extra {
        built_in: true,
        ..Extra::default()
    };
    let load = PageLoad::from_verdict(
        &eval(LEAF_90D, "firefox-today", built_in),
        &HostFacts::default(),
    );
    assert_eq!(
        (load.path, &load.live),
        (
            Path::PolicySkipped,
            &LiveUse::NotAsked {
                reason: NotAsked::Policy
            }
        )
    );

    // Decided before live OCSP: not needed.
    let load = PageLoad::from_verdict(
        &eval(LEAF_6D, "mozilla-plan", Extra::default()),
        &HostFacts::default(),
    );
    assert_eq!(
        (load.path, &load.live, load.hard_fail),
        (
            Path::ShortValidity,
            &LiveUse::NotNeeded,
            Some(HardFail::Accept)
        )
    );
    let load = PageLoad::from_verdict(
        &eval(LEAF_NO_AIA, "mozilla-plan", Extra::default()),
        &HostFacts::default(),
    );
    assert_eq!(
        (load.path, &load.live),
        (Path::NoRevocationInfo, &LiveUse::NotNeeded)
    );
    // The leaf's revocation information, from its facts.
    use revoscope::telemetry::RevocationInfo;
    let info = |pem: &[u8]| {
        let leaf = revoscope::Cert::from_der(&chain(pem)[0]).unwrap();
        let host = HostFacts {
            leaf: Some(&leaf),
            ..HostFacts::default()
        };
        PageLoad::from_verdict(&eval(pem, "mozilla-plan", Extra::default()), &host).revocation_info
    };
    assert_eq!(info(LEAF_90D), Some(RevocationInfo::Both));
    assert_eq!(info(LEAF_NO_AIA), Some(RevocationInfo::Neither));
    let must = eval(LEAF_MUST_STAPLE, "mozilla-plan", Extra::default());
    let load = PageLoad::from_verdict(&must, &HostFacts::default());
    assert_eq!(
        (load.path, load.hard_fail),
        (Path::MustStaple, Some(HardFail::BlockError))
    );
}

#[test]
fn firefox_today_matches_only_sha1_cert_ids() {
    // mozpkix pkixocsp.cpp `MatchCertID` skips a SingleResponse whose CertID
    // is not hashed with SHA-1, so a response answering only by a SHA-256
    // CertID has no answer for the certificate
    // (ERROR_OCSP_RESPONSE_FOR_CERT_MISSING). The plan's preset, like
    // OpenSSL, accepts it.
    let sha256 = ocsp_fixture!("good-sha256-certid.der");
    let stapled = Extra {
        staple: Some(sha256),
        ..Extra::default()
    };
    let v = eval(LEAF_90D, "mozilla-plan", stapled);
    assert_eq!(leaf(&v), (Status::Good, Step::StapledOcsp));

    let stapled = Extra {
        staple: Some(sha256),
        ..Extra::default()
    };
    let v = eval(LEAF_90D, "firefox-today", stapled);
    let staple_step = v.certificates[0]
        .trace
        .iter()
        .find(|t| t.step == Step::StapledOcsp)
        .unwrap();
    assert_eq!(staple_step.outcome, StepOutcome::Deferred);
    assert!(
        staple_step
            .detail
            .contains("no answer for this certificate"),
        "{}",
        staple_step.detail
    );
    assert_eq!(leaf(&v), (Status::Pending, Step::LiveOcsp));

    // The same response from the live responder.
    let live = http_200(sha256);
    let v = eval(LEAF_90D, "mozilla-plan", Extra::live(&live));
    assert_eq!(leaf(&v), (Status::Good, Step::LiveOcsp));
    let v = eval(LEAF_90D, "firefox-today", Extra::live(&live));
    assert_eq!(leaf(&v), (Status::Offline, Step::LiveOcsp));
    assert!(
        matches!(
            &v.certificates[0].offline,
            Some(Offline::InvalidResponse {
                code: "response-for-cert-missing",
                ..
            })
        ),
        "{:?}",
        v.certificates[0].offline
    );
    // A policy file may ask for either.
    let v = eval(
        LEAF_90D,
        r#"{"base":"firefox-today","cert_id_hashes":"any"}"#,
        Extra::live(&live),
    );
    assert_eq!(leaf(&v), (Status::Good, Step::LiveOcsp));
}
