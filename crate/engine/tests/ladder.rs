//! The ladder, rung by rung, on the test PKI. These run natively and on
//! wasm32 alike: one vector set through both builds.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use der::Decode;
use revoscope::ocsp::{FetchMethod, FetchOutcome};
use revoscope::{
    evaluate, Error, Input, Outcome, Policy, Role, Snapshot, Status, Step, StepOutcome, Verdict,
};
use sha1::{Digest, Sha1};
use support::der_build::certs_only;
use support::*;

/// Evaluates DER certificates at NOW with no staple and a private root.
fn eval(chain: &[Vec<u8>], policy: &Policy, snapshot: &Snapshot) -> Result<Verdict, Error> {
    evaluate(&plain_input(chain, policy, snapshot))
}

fn run_with(
    pem: &[u8],
    policy: &Policy,
    snapshot: &Snapshot,
    staple: Option<&[u8]>,
    built_in: bool,
) -> Verdict {
    let chain = chain(pem);
    evaluate(&Input {
        chain: &chain,
        stapled_ocsp: staple,
        staple_hidden: false,
        time: NOW,
        policy,
        onecrl: snapshot,
        root_is_built_in: built_in,
        crlite: None,
        crlset: None,
        ocsp_cache: None,
        crls: None,
        live_ocsp: None,
        issuer_fetch: None,
        verifier: &revoscope::verify::RustCrypto,
    })
    .unwrap()
}

fn run(pem: &[u8], policy_name: &str) -> Verdict {
    run_with(pem, &policy(policy_name), &test_snapshot(), None, false)
}

fn steps(v: &Verdict, index: usize) -> Vec<(Step, StepOutcome)> {
    v.certificates[index]
        .trace
        .iter()
        .map(|t| (t.step, t.outcome))
        .collect()
}

#[test]
fn live_ocsp_is_pending_with_a_request_to_fetch() {
    let v = run(LEAF_90D, "mozilla-plan");
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.role, leaf.status, leaf.decided_by),
        (Role::Leaf, Status::Pending, Step::LiveOcsp)
    );
    assert_eq!(v.outcome, Outcome::Incomplete);
    assert_eq!(v.hard_fail_would_block, None);
    assert_eq!(
        steps(&v, 0),
        [
            (Step::Onecrl, StepOutcome::NotListed),
            (Step::ShortLived, StepOutcome::NotShortLived),
            (Step::StapledOcsp, StepOutcome::Absent),
            (Step::MustStaple, StepOutcome::NotRequired),
            (Step::LiveOcsp, StepOutcome::Pending),
        ]
    );
    let fetch = leaf.fetch.as_ref().unwrap();
    assert_eq!(fetch.method, FetchMethod::Get);
    assert!(fetch
        .get_url
        .as_ref()
        .unwrap()
        .starts_with("http://127.0.0.1:8888/M"));
    // The request's CertID is SHA-1 over the issuer's Name and key, and our serial.
    let req = x509_ocsp::OcspRequest::from_der(&fetch.request_der).unwrap();
    let id = &req.tbs_request.request_list[0].req_cert;
    let chain = chain(LEAF_90D);
    let (l, issuer) = (
        revoscope::Cert::from_der(&chain[0]).unwrap(),
        revoscope::Cert::from_der(&chain[1]).unwrap(),
    );
    assert_eq!(
        id.issuer_name_hash.as_bytes(),
        &Sha1::digest(&issuer.subject_der)[..]
    );
    assert_eq!(
        id.issuer_key_hash.as_bytes(),
        &Sha1::digest(&issuer.public_key)[..]
    );
    assert_eq!(id.serial_number.as_bytes(), l.serial.as_slice());
    assert!(req.tbs_request.request_extensions.is_none() && req.optional_signature.is_none());
    // CA certificates: OneCRL only.
    for (i, role) in [(1, Role::Intermediate), (2, Role::Root)] {
        let c = &v.certificates[i];
        assert_eq!(
            (c.role, c.status, c.decided_by),
            (role, Status::Good, Step::Onecrl)
        );
        assert_eq!(steps(&v, i), [(Step::Onecrl, StepOutcome::NotListed)]);
    }
}

#[test]
fn short_lived_is_strictly_under_the_threshold() {
    let v = run(LEAF_6D, "mozilla-plan");
    assert_eq!(
        (v.certificates[0].status, v.certificates[0].decided_by),
        (Status::Exempt, Step::ShortLived)
    );
    assert_eq!(v.outcome, Outcome::Accept);
    assert_eq!(v.hard_fail_would_block, Some(false));
    // The plan's exemption skips every later check.
    assert_eq!(
        steps(&v, 0),
        [
            (Step::Onecrl, StepOutcome::NotListed),
            (Step::ShortLived, StepOutcome::Exempt)
        ]
    );

    // Exactly 10 days is not under 10 days (Firefox compares with `<`).
    let v = run(LEAF_10D, "mozilla-plan");
    assert_eq!(v.certificates[0].status, Status::Pending);
    assert!(steps(&v, 0).contains(&(Step::ShortLived, StepOutcome::NotShortLived)));

    // The threshold is a tunable; 0 turns the exemption off.
    let eleven = Policy::from_json(r#"{"short_lived_threshold_days": 11}"#).unwrap();
    let v = run_with(LEAF_10D, &eleven, &test_snapshot(), None, false);
    assert_eq!(v.certificates[0].status, Status::Exempt);
    let off = Policy::from_json(r#"{"short_lived_threshold_days": 0}"#).unwrap();
    let v = run_with(LEAF_6D, &off, &test_snapshot(), None, false);
    assert_eq!(v.certificates[0].status, Status::Pending);
    assert!(!steps(&v, 0).iter().any(|(s, _)| *s == Step::ShortLived));
}

#[test]
fn must_staple_without_a_staple_is_an_error() {
    let v = run(LEAF_MUST_STAPLE, "mozilla-plan");
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.status, leaf.decided_by),
        (Status::Error, Step::MustStaple)
    );
    assert_eq!(v.outcome, Outcome::Block);
    assert_eq!(v.hard_fail_would_block, Some(true));
    assert!(leaf.reason.contains("stapled"), "{}", leaf.reason);

    // A stapled tryLater is deferred: must-staple is satisfied (Firefox
    // checks presence) and the ladder goes on to live OCSP
    // (test_ocsp_stapling_expired.js, ocsp-stapling-must-staple-try-later).
    let v = run_with(
        LEAF_MUST_STAPLE,
        &policy("mozilla-plan"),
        &test_snapshot(),
        Some(&[0x30, 0x03, 0x0a, 0x01, 0x03]),
        false,
    );
    assert!(steps(&v, 0).contains(&(Step::StapledOcsp, StepOutcome::Deferred)));
    assert!(steps(&v, 0).contains(&(Step::MustStaple, StepOutcome::Satisfied)));
    assert_eq!(v.certificates[0].status, Status::Pending);

    // An empty staple is no staple.
    let v = run_with(
        LEAF_MUST_STAPLE,
        &policy("mozilla-plan"),
        &test_snapshot(),
        Some(&[]),
        false,
    );
    assert_eq!(v.certificates[0].status, Status::Error);

    // A policy that does not enforce must-staple lets it through to live OCSP.
    let lax = Policy::from_json(r#"{"must_staple": false}"#).unwrap();
    let v = run_with(LEAF_MUST_STAPLE, &lax, &test_snapshot(), None, false);
    assert_eq!(v.certificates[0].status, Status::Pending);
}

/// A browser capture: the extension cannot see whether the server stapled.
#[test]
fn a_hidden_staple_is_neither_absent_nor_present() {
    let hidden = |pem: &[u8]| {
        let chain = chain(pem);
        evaluate(&Input {
            staple_hidden: true,
            ..plain_input(&chain, &policy("mozilla-plan"), &test_snapshot())
        })
        .unwrap()
    };
    // Must-staple cannot be judged here (the browser enforces it), so it
    // neither fails the leaf nor counts as satisfied; live OCSP decides.
    let v = hidden(LEAF_MUST_STAPLE);
    assert_eq!(
        steps(&v, 0),
        [
            (Step::Onecrl, StepOutcome::NotListed),
            (Step::ShortLived, StepOutcome::NotShortLived),
            (Step::StapledOcsp, StepOutcome::Hidden),
            (Step::MustStaple, StepOutcome::Hidden),
            (Step::LiveOcsp, StepOutcome::Pending),
        ]
    );
    assert_eq!(v.certificates[0].status, Status::Pending);
    let v = hidden(LEAF_90D);
    assert!(steps(&v, 0).contains(&(Step::StapledOcsp, StepOutcome::Hidden)));
    assert!(steps(&v, 0).contains(&(Step::MustStaple, StepOutcome::NotRequired)));
}

#[test]
fn no_revocation_info() {
    let v = run(LEAF_NO_AIA, "mozilla-plan");
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.status, leaf.decided_by),
        (Status::NotChecked, Step::NoRevocationInfo)
    );
    assert_eq!(v.outcome, Outcome::Accept);
    assert_eq!(v.hard_fail_would_block, Some(false));
    let strict = Policy::from_json(r#"{"without_revocation_info": "block"}"#).unwrap();
    let v = run_with(LEAF_NO_AIA, &strict, &test_snapshot(), None, false);
    assert_eq!(
        (v.certificates[0].status, v.outcome),
        (Status::Error, Outcome::Block)
    );
}

#[test]
fn onecrl_revokes_intermediates_by_both_record_kinds() {
    for (pem, record) in [
        (UNDER_REVOKED_SERIAL, "test-revoked-by-serial"),
        (UNDER_REVOKED_KEY, "test-revoked-by-key"),
    ] {
        let v = run(pem, "mozilla-plan");
        let int = &v.certificates[1];
        assert_eq!(
            (int.role, int.status, int.decided_by),
            (Role::Intermediate, Status::Revoked, Step::Onecrl)
        );
        assert!(int.reason.contains(record), "{}", int.reason);
        assert_eq!(v.outcome, Outcome::Block);
        assert_eq!(v.hard_fail_would_block, Some(true));
        // The leaf's local steps still run, but its responder is not asked:
        // the chain fails anyway (mozpkix checks issuers first).
        let leaf = &v.certificates[0];
        assert_eq!(
            (leaf.status, leaf.decided_by),
            (Status::NotChecked, Step::LiveOcsp)
        );
        assert!(leaf.fetch.is_none());
        assert_eq!(
            steps(&v, 0).last(),
            Some(&(Step::LiveOcsp, StepOutcome::ChainRefused))
        );
        assert!(leaf.reason.contains("certificate #1"), "{}", leaf.reason);
    }
    // The subject+key record is `"enabled": false`, which still revokes, as in Firefox.
    let v = run(UNDER_REVOKED_KEY, "mozilla-plan");
    assert!(v.certificates[1].reason.contains("\"enabled\": false"));
}

#[test]
fn the_same_chains_pass_with_an_empty_snapshot() {
    let empty = Snapshot::from_json(br#"{"data": [], "timestamp": 1795262400000}"#).unwrap();
    let v = run_with(
        UNDER_REVOKED_SERIAL,
        &policy("mozilla-plan"),
        &empty,
        None,
        false,
    );
    assert_eq!(v.certificates[1].status, Status::Good);
    assert_eq!(v.outcome, Outcome::Incomplete);
}

#[test]
fn live_ocsp_disabled_is_reported_as_not_checked_by_policy() {
    let no_live = Policy::from_json(r#"{"live_ocsp": "disabled"}"#).unwrap();
    let v = run_with(LEAF_90D, &no_live, &test_snapshot(), None, false);
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.status, leaf.decided_by),
        (Status::NotChecked, Step::Policy)
    );
    assert!(leaf.fetch.is_none());
    assert_eq!(v.outcome, Outcome::Accept);
    // Hard-fail would have needed the answer that was never asked for.
    assert_eq!(v.hard_fail_would_block, None);
}

#[test]
fn hard_fail_uses_the_hard_timeout() {
    let v = run(LEAF_90D, "hard-fail");
    let live = v.certificates[0].trace.last().unwrap();
    assert_eq!(live.step, Step::LiveOcsp);
    assert!(
        live.detail.contains("10000 ms") && live.detail.contains("hard-fail"),
        "{}",
        live.detail
    );
    let v = run(LEAF_90D, "mozilla-plan");
    assert!(v.certificates[0]
        .trace
        .last()
        .unwrap()
        .detail
        .contains("2000 ms"));
}

#[test]
fn firefox_today_skips_live_ocsp_for_built_in_roots() {
    let ff = policy("firefox-today");
    let v = run_with(LEAF_90D, &ff, &test_snapshot(), None, true);
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.status, leaf.decided_by),
        (Status::NotChecked, Step::Policy)
    );
    assert!(steps(&v, 0).contains(&(Step::Crlite, StepOutcome::NoFilter)));
    assert!(steps(&v, 0).contains(&(Step::LiveOcsp, StepOutcome::SkippedBuiltInRoot)));
    assert_eq!(v.outcome, Outcome::Accept);
    // A private root (the demo's) still gets live OCSP.
    let v = run_with(LEAF_90D, &ff, &test_snapshot(), None, false);
    assert_eq!(v.certificates[0].status, Status::Pending);
    // Hard-fail never skips.
    let hard_ff =
        Policy::from_json(r#"{"base": "firefox-today", "live_ocsp": "hard-fail"}"#).unwrap();
    let v = run_with(LEAF_90D, &hard_ff, &test_snapshot(), None, true);
    assert_eq!(v.certificates[0].status, Status::Pending);
}

#[test]
fn firefox_today_judges_stapling_before_the_exemption() {
    let v = run(LEAF_6D, "firefox-today");
    assert_eq!(v.certificates[0].status, Status::Exempt);
    assert_eq!(
        steps(&v, 0),
        [
            (Step::Onecrl, StepOutcome::NotListed),
            (Step::Crlite, StepOutcome::NoFilter),
            (Step::StapledOcsp, StepOutcome::Absent),
            (Step::MustStaple, StepOutcome::NotRequired),
            (Step::ShortLived, StepOutcome::Exempt),
        ]
    );
}

#[test]
fn a_stale_snapshot_is_said_so() {
    let snapshot = test_snapshot();
    let chain = chain(LEAF_90D);
    let p = policy("mozilla-plan");
    let input = |days_later: u64| Input {
        chain: &chain,
        stapled_ocsp: None,
        staple_hidden: false,
        time: revoscope::UnixTime(snapshot.timestamp_ms / 1000 + days_later * 86_400),
        policy: &p,
        onecrl: &snapshot,
        root_is_built_in: false,
        crlite: None,
        crlset: None,
        ocsp_cache: None,
        crls: None,
        live_ocsp: None,
        issuer_fetch: None,
        verifier: &revoscope::verify::RustCrypto,
    };
    let fresh = evaluate(&input(1)).unwrap();
    assert!(!fresh.onecrl.stale);
    assert!(!fresh.certificates[1].trace[0].detail.contains("stale"));
    let stale = evaluate(&input(3)).unwrap();
    assert!(stale.onecrl.stale);
    assert_eq!(stale.onecrl.age_secs, 3 * 86_400);
    assert!(stale.certificates[1].trace[0].detail.contains("stale"));
    assert!(stale.certificates[1].reason.contains("stale"));
}

#[test]
fn unusable_chains_are_errors() {
    let snapshot = test_snapshot();
    let p = policy("mozilla-plan");
    let eval = |chain: &[Vec<u8>]| eval(chain, &p, &snapshot);
    assert_eq!(eval(&[]).unwrap_err(), Error::EmptyChain);
    let mut chain = chain(LEAF_90D);
    chain[1].truncate(10);
    assert!(matches!(
        eval(&chain).unwrap_err(),
        Error::InChain { index: 1, .. }
    ));
    let long = vec![chain[0].clone(); 9];
    assert_eq!(
        eval(&long).unwrap_err(),
        Error::ChainTooLong { len: 9, max: 8 }
    );
}

fn served(body: Vec<u8>) -> FetchOutcome {
    FetchOutcome::Response {
        http_status: 200,
        body,
        elapsed_ms: 7,
    }
}

/// The leaf alone, with what the host fetched for its issuer, if anything.
fn alone(leaf: &[u8], policy_name: &str, fetched: Option<&FetchOutcome>) -> Verdict {
    let leaf_only = vec![leaf.to_vec()];
    let (snapshot, p) = (test_snapshot(), policy(policy_name));
    evaluate(&Input {
        issuer_fetch: fetched,
        ..plain_input(&leaf_only, &p, &snapshot)
    })
    .unwrap()
}

fn int_good() -> Vec<u8> {
    chain(LEAF_90D)[1].clone()
}

#[test]
fn a_leaf_alone_waits_for_its_issuer_and_is_never_blocked() {
    // Incomplete input is not a revoked certificate: the leaf is pending,
    // with the caIssuers URL to fetch its issuer from (RFC 5280 4.2.2.1).
    let v = alone(&chain(LEAF_90D)[0], "hard-fail", None);
    let leaf = &v.certificates[0];
    assert_eq!(
        (leaf.role, leaf.status, leaf.decided_by),
        (Role::Leaf, Status::Pending, Step::Issuer)
    );
    assert_eq!(
        steps(&v, 0),
        [
            (Step::Onecrl, StepOutcome::NotListed),
            (Step::Issuer, StepOutcome::Pending),
        ]
    );
    let fetch = leaf.issuer_fetch.as_ref().unwrap();
    assert_eq!(fetch.url, "http://127.0.0.1:8889/int-good.der");
    assert_eq!(fetch.max_len, 65_536);
    assert!(leaf.fetch.is_none(), "no OCSP request without the issuer");
    assert_eq!(v.outcome, Outcome::Incomplete);
    assert_eq!(v.hard_fail_would_block, None);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["certificates"][0]["status"], "pending");
    assert_eq!(json["certificates"][0]["decided_by"], "issuer");
    assert_eq!(
        json["certificates"][0]["issuer_fetch"]["url"],
        "http://127.0.0.1:8889/int-good.der"
    );
}

#[test]
fn a_fetched_issuer_completes_the_chain_as_der_or_pkcs7() {
    let leaf = chain(LEAF_90D)[0].clone();
    let int = int_good();
    let root = chain(LEAF_90D)[2].clone();
    for (body, format) in [
        (int.clone(), "DER"),
        (certs_only(&[&int]), "PKCS#7"),
        // A bundle with the issuer's own issuer first.
        (certs_only(&[&root, &int]), "PKCS#7"),
    ] {
        let v = alone(&leaf, "mozilla-plan", Some(&served(body)));
        assert_eq!(v.certificates.len(), 2, "the chain is completed");
        assert_eq!(v.certificates[1].role, Role::Intermediate);
        assert_eq!(v.certificates[1].status, Status::Good);
        let first = &v.certificates[0].trace[0];
        assert_eq!(
            (first.step, first.outcome),
            (Step::Issuer, StepOutcome::Fetched)
        );
        assert!(
            first.detail.contains(format) && first.detail.contains("int-good.der"),
            "{}",
            first.detail
        );
        // Then the ladder goes on: live OCSP, now that a request can be built.
        assert_eq!(
            (v.certificates[0].status, v.certificates[0].decided_by),
            (Status::Pending, Step::LiveOcsp)
        );
        assert!(v.certificates[0].fetch.is_some());
    }
}

#[test]
fn what_is_not_the_issuer_leaves_the_chain_incomplete_with_why() {
    let leaf = chain(LEAF_90D)[0].clone();
    let root = chain(LEAF_90D)[2].clone();
    // The issuer's name on another key (mozpkix and Chromium check the
    // signature, not the name alone).
    let mut impostor = pki::Spec::new(
        "CN=revoscope Test Intermediate,O=revoscope test PKI",
        &"CN=revoscope Test Root,O=revoscope test PKI"
            .parse()
            .unwrap(),
        0x1001,
    );
    impostor.is_ca = true;
    let impostor = pki::issue(&impostor, &pki::key("impostor"), &pki::key("root"));
    let cases: [(FetchOutcome, &str, &str); 9] = [
        (
            served(root.clone()),
            "not-the-issuer",
            "is not the certificate's issuer",
        ),
        (
            served(impostor),
            "not-the-issuer",
            "does not verify with its key",
        ),
        (
            served(certs_only(&[])),
            "certificate-count",
            "carries no certificate",
        ),
        (
            served(b"<html>not found</html>".to_vec()),
            "malformed",
            "neither a DER certificate",
        ),
        // One DER element, but no certificate.
        (
            served(vec![0x30, 0x03, 0x02, 0x01, 0x00]),
            "malformed",
            "neither a DER certificate",
        ),
        (
            FetchOutcome::Response {
                http_status: 404,
                body: Vec::new(),
                elapsed_ms: 3,
            },
            "http-status",
            "HTTP 404",
        ),
        (
            FetchOutcome::Timeout { elapsed_ms: 2000 },
            "timeout",
            "no answer in time",
        ),
        (
            FetchOutcome::TooLarge {
                len: 70_000,
                elapsed_ms: 4,
            },
            "oversize-body",
            "over the 65536-byte limit",
        ),
        (served(vec![0x30; 70_000]), "oversize-body", "70000 bytes"),
    ];
    for (fetched, code, words) in cases {
        let v = alone(&leaf, "hard-fail", Some(&fetched));
        let cert = &v.certificates[0];
        assert_eq!(v.certificates.len(), 1);
        assert_eq!(
            (cert.status, cert.decided_by),
            (Status::Incomplete, Step::Issuer),
            "{code}"
        );
        assert!(
            cert.reason.contains(&format!("({code})")),
            "{}",
            cert.reason
        );
        assert!(cert.reason.contains(words), "{}", cert.reason);
        assert!(cert.issuer_fetch.is_none(), "not asked again");
        assert_eq!(v.outcome, Outcome::Incomplete, "{code}");
        assert_eq!(v.hard_fail_would_block, None, "{code}");
    }
}

#[test]
fn a_leaf_naming_no_ca_issuers_url_is_incomplete() {
    let mut spec = pki::Spec::new(
        "CN=no-ca-issuers.revoscope.test",
        &"CN=revoscope Test Intermediate,O=revoscope test PKI"
            .parse()
            .unwrap(),
        0x2101,
    );
    spec.ca_issuers_url = None;
    let leaf = pki::issue(&spec, &pki::key("no-ca-issuers"), &pki::key("int-good"));
    let v = alone(&leaf, "mozilla-plan", None);
    let cert = &v.certificates[0];
    assert_eq!(
        (cert.status, cert.decided_by),
        (Status::Incomplete, Step::Issuer)
    );
    assert!(
        cert.reason.contains("names no caIssuers URL"),
        "{}",
        cert.reason
    );
    assert_eq!(v.outcome, Outcome::Incomplete);
    assert_eq!(v.hard_fail_would_block, None);
}

#[test]
fn a_self_signed_root_alone_is_a_root_decided_by_onecrl() {
    // Self-signed as Firefox's CertIsSelfSigned and Chromium's
    // X509Certificate::IsSelfSigned decide: same names, and the signature
    // verifies with its own key.
    let root = chain(LEAF_90D)[2].clone();
    let v = alone(&root, "hard-fail", None);
    let cert = &v.certificates[0];
    assert_eq!(
        (cert.role, cert.status, cert.decided_by),
        (Role::Root, Status::Good, Step::Onecrl)
    );
    assert_eq!(v.outcome, Outcome::Accept);
    assert_eq!(v.hard_fail_would_block, Some(false));

    // Self-issued names without its own signature is not self-signed: its
    // issuer is missing.
    let mut spec = pki::Spec::new(
        "CN=revoscope Test Root,O=revoscope test PKI",
        &"CN=revoscope Test Root,O=revoscope test PKI"
            .parse()
            .unwrap(),
        0x77,
    );
    spec.is_ca = true;
    let rolled = pki::issue(&spec, &pki::key("rollover"), &pki::key("root"));
    let v = alone(&rolled, "mozilla-plan", None);
    assert_eq!(v.certificates[0].role, Role::Leaf);
    assert_eq!(v.certificates[0].decided_by, Step::Issuer);
}

#[test]
fn a_serial_too_long_for_a_request_is_an_error_not_good() {
    // 22 octets: within what the engine reads, beyond what a CertID carries.
    let mut spec = pki::Spec::new("CN=long serial", &x509_cert::name::Name::default(), 1);
    let issuer = chain(LEAF_90D)[1].clone();
    spec.issuer_der = revoscope::Cert::from_der(&issuer).unwrap().subject_der;
    spec.serial = vec![0x01; 22];
    let leaf = support::der_build::replace_serial(
        &pki::issue(
            &pki::Spec {
                serial: vec![0x01],
                ..spec.clone()
            },
            &pki::key("x"),
            &pki::key("y"),
        ),
        &spec.serial,
    );
    let chain = vec![leaf, issuer];
    let (snapshot, p) = (test_snapshot(), policy("mozilla-plan"));
    let v = eval(&chain, &p, &snapshot).unwrap();
    assert_eq!(
        (v.certificates[0].status, v.certificates[0].decided_by),
        (Status::Error, Step::LiveOcsp)
    );
    assert!(steps(&v, 0).contains(&(Step::LiveOcsp, StepOutcome::RequestUnencodable)));
    assert_eq!(v.outcome, Outcome::Block);
}

#[test]
fn evaluation_is_a_pure_function_of_its_inputs() {
    for pem in [LEAF_90D, LEAF_6D, LEAF_MUST_STAPLE, UNDER_REVOKED_KEY] {
        assert_eq!(run(pem, "firefox-today"), run(pem, "firefox-today"));
    }
}
