//! The ladder's CRLSet step and the chrome-today preset on Chromium's own
//! CRLSet test data (fixtures/crlset: its test certificates and the sets
//! of crl_set_unittest.cc and generate-test-certs.sh), plus the staple
//! under Chromium's rules on the OCSP fixtures; then the comparison of
//! views. Natively and on wasm32 alike.

#[macro_use]
mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::compare::{
    compare, compare_beside, compare_with, in_force_view, Missing, View, COMPARED_PRESETS,
};
use revoscope::crlset::CrlSet;
use revoscope::{evaluate, Input, Outcome, Policy, Status, Step, StepOutcome, UnixTime, Verdict};
use support::crlset_build::CrlSetSpec;
use support::*;

macro_rules! crlset_fixture {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/crlset/", $file)).as_slice()
    };
}

/// ok_cert and the root that issued it.
fn ok_chain() -> Vec<Vec<u8>> {
    let mut chain = chain(crlset_fixture!("chromium/ok_cert.pem"));
    chain.extend(chain_root());
    chain
}

/// ok_cert_by_intermediate's leaf and intermediate, and the root.
fn intermediate_chain() -> Vec<Vec<u8>> {
    let mut chain = chain(crlset_fixture!("chromium/ok_cert_by_intermediate.pem"));
    chain.extend(chain_root());
    chain
}

fn chain_root() -> Vec<Vec<u8>> {
    chain(crlset_fixture!("chromium/root_ca_cert.pem"))
}

fn set(bytes: &[u8]) -> CrlSet {
    CrlSet::from_bytes(bytes).expect("a Chromium test set")
}

/// 2026-06-02T00:00:00Z, inside the Chromium test certificates' validity.
const TIME: UnixTime = UnixTime(1_780_358_400);

fn run(chain: &[Vec<u8>], policy: &Policy, crlset: Option<&CrlSet>) -> Verdict {
    let snapshot = test_snapshot();
    evaluate(&Input {
        time: TIME,
        crlset,
        ..plain_input(chain, policy, &snapshot)
    })
    .expect("chain evaluates")
}

fn decided(v: &Verdict) -> Vec<(Status, Step)> {
    v.certificates
        .iter()
        .map(|c| (c.status, c.decided_by))
        .collect()
}

fn crlset_outcome(v: &Verdict, index: usize) -> Option<StepOutcome> {
    v.certificates[index]
        .trace
        .iter()
        .find(|t| t.step == Step::Crlset)
        .map(|t| t.outcome)
}

#[test]
fn a_serial_listed_under_the_root_revokes_the_leaf() {
    let v = run(
        &ok_chain(),
        &policy("chrome-today"),
        Some(&set(crlset_fixture!("crlset_by_root_serial.raw"))),
    );
    assert_eq!(
        decided(&v),
        [
            (Status::Revoked, Step::Crlset),
            (Status::Good, Step::Crlset)
        ]
    );
    assert_eq!(crlset_outcome(&v, 0), Some(StepOutcome::Listed));
    let reason = &v.certificates[0].reason;
    assert!(
        reason.contains("CRLSet sequence 1") && reason.contains("serial"),
        "{reason}"
    );
    assert_eq!(v.outcome, Outcome::Block);
    assert_eq!(v.crlset.as_ref().map(|i| i.sequence), Some(1));
    // OneCRL is not consulted under chrome-today.
    assert!(v.certificates[0]
        .trace
        .iter()
        .all(|t| t.step != Step::Onecrl));
}

#[test]
fn every_certificate_of_the_chain_is_checked() {
    let chrome = policy("chrome-today");
    // The leaf listed under the intermediate; the intermediate's issuer,
    // the root, is not covered: no answer for it.
    let v = run(
        &intermediate_chain(),
        &chrome,
        Some(&set(crlset_fixture!("crlset_by_intermediate_serial.raw"))),
    );
    assert_eq!(
        decided(&v),
        [
            (Status::Revoked, Step::Crlset),
            (Status::NotChecked, Step::Crlset),
            (Status::Good, Step::Crlset),
        ]
    );
    assert_eq!(crlset_outcome(&v, 1), Some(StepOutcome::NotCovered));
    // The root's key blocked: the root is revoked and the chain blocked,
    // whatever the leaf (CRLSetRootReturnsChain).
    let v = run(
        &intermediate_chain(),
        &chrome,
        Some(&set(crlset_fixture!("crlset_by_root_spki.raw"))),
    );
    assert_eq!(v.certificates[2].status, Status::Revoked);
    assert!(v.certificates[2].reason.contains("public key"));
    assert_eq!(v.outcome, Outcome::Block);
    // A limited subject with no allowed key revokes the leaf by subject.
    let v = run(
        &ok_chain(),
        &chrome,
        Some(&set(crlset_fixture!("crlset_by_leaf_subject_no_spki.raw"))),
    );
    assert_eq!(decided(&v)[0], (Status::Revoked, Step::Crlset));
    assert!(v.certificates[0].reason.contains("LimitedSubjects"));
}

#[test]
fn a_covered_leaf_not_listed_is_good_and_an_uncovered_one_not_checked() {
    let (ok, root) = {
        let c = ok_chain();
        (
            revoscope::Cert::from_der(&c[0]).unwrap(),
            revoscope::Cert::from_der(&c[1]).unwrap(),
        )
    };
    let mut other = ok.serial.clone();
    *other.last_mut().unwrap() ^= 1;
    let covering = CrlSetSpec {
        parents: vec![(*root.spki.sha256(), vec![other])],
        ..CrlSetSpec::default()
    };
    let v = run(
        &ok_chain(),
        &policy("chrome-today"),
        Some(&set(&covering.bytes())),
    );
    assert_eq!(decided(&v)[0], (Status::Good, Step::Crlset));
    assert_eq!(crlset_outcome(&v, 0), Some(StepOutcome::NotListed));
    assert_eq!(v.outcome, Outcome::Accept);
    // The GIA set covers neither: no answer, and Chrome asks nothing else.
    let v = run(
        &ok_chain(),
        &policy("chrome-today"),
        Some(&set(crlset_fixture!("unittest-gia.raw"))),
    );
    assert_eq!(crlset_outcome(&v, 0), Some(StepOutcome::NotCovered));
    assert_ne!(v.certificates[0].status, Status::Good);
    assert_ne!(v.certificates[0].decided_by, Step::Crlset);
    assert_eq!(v.outcome, Outcome::Accept);
}

#[test]
fn no_set_and_an_expired_set_give_no_answer_but_an_expired_set_still_revokes() {
    let chrome = policy("chrome-today");
    let v = run(&ok_chain(), &chrome, None);
    assert_eq!(crlset_outcome(&v, 0), Some(StepOutcome::NoCrlset));
    assert_eq!(decided(&v)[1], (Status::NotChecked, Step::Crlset));
    assert!(v.certificates[1].reason.contains("no CRLSet is loaded"));
    assert!(v.certificates.iter().all(|c| c.status != Status::Good));
    assert!(v.crlset.is_none());

    // kExpiredCRLSet: NotAfter 1.
    let v = run(
        &ok_chain(),
        &chrome,
        Some(&set(crlset_fixture!("unittest-expired.raw"))),
    );
    for index in 0..2 {
        assert_eq!(crlset_outcome(&v, index), Some(StepOutcome::CrlsetExpired));
        assert_ne!(v.certificates[index].status, Status::Good);
    }
    assert!(
        v.certificates[1].reason.contains("expired at 1970-01-01"),
        "{}",
        v.certificates[1].reason
    );

    // The same listing as crlset_by_root_serial, expired: Chromium still
    // returns REVOKED (IsExpired only withholds GOOD).
    let ok = revoscope::Cert::from_der(&ok_chain()[0]).unwrap();
    let root = revoscope::Cert::from_der(&ok_chain()[1]).unwrap();
    let expired = CrlSetSpec {
        parents: vec![(*root.spki.sha256(), vec![ok.serial.clone()])],
        not_after: Some(TIME.0 - 1),
        ..CrlSetSpec::default()
    };
    let v = run(&ok_chain(), &chrome, Some(&set(&expired.bytes())));
    assert_eq!(decided(&v)[0], (Status::Revoked, Step::Crlset));
    assert!(v.certificates[0].reason.contains("expired"));
    // The root, not listed, gets no good from an expired set.
    assert_eq!(decided(&v)[1], (Status::NotChecked, Step::Crlset));
}

#[test]
fn policies_without_the_step_do_not_consult_a_loaded_set() {
    let loaded = set(crlset_fixture!("crlset_by_root_serial.raw"));
    for name in ["mozilla-plan", "hard-fail", "firefox-today", "inspector"] {
        let v = run(&ok_chain(), &policy(name), Some(&loaded));
        assert!(
            v.certificates
                .iter()
                .all(|c| c.trace.iter().all(|t| t.step != Step::Crlset)),
            "{name}"
        );
        assert_ne!(v.certificates[0].status, Status::Revoked, "{name}");
    }
    // Turned on over firefox-today, it sits after OneCRL and before CRLite.
    let p = Policy::from_json(r#"{"base": "firefox-today", "crlset": "enforce"}"#).unwrap();
    let v = run(
        &ok_chain(),
        &p,
        Some(&set(crlset_fixture!("unittest-gia.raw"))),
    );
    let steps: Vec<Step> = v.certificates[0].trace.iter().map(|t| t.step).collect();
    assert_eq!(&steps[..3], [Step::Onecrl, Step::Crlset, Step::Crlite]);
}

/// Chromium reads the leaf's staple even with revocation checking off
/// (revocation_checker.cc `CheckCertRevocation`): revoked revokes, good is
/// good, and anything else is passed over, where Firefox would block.
#[test]
fn a_staple_under_chromium_rules() {
    let chrome = policy("chrome-today");
    let snapshot = test_snapshot();
    let chain = chain(LEAF_90D);
    let with = |staple: &[u8]| {
        evaluate(&Input {
            stapled_ocsp: Some(staple),
            ..plain_input(&chain, &chrome, &snapshot)
        })
        .unwrap()
    };
    let v = with(ocsp_fixture!("revoked.der"));
    assert_eq!(decided(&v)[0], (Status::Revoked, Step::StapledOcsp));
    let v = with(ocsp_fixture!("good.der"));
    assert_eq!(decided(&v)[0], (Status::Good, Step::StapledOcsp));
    for staple in [
        ocsp_fixture!("unknown.der"),
        ocsp_fixture!("bad-signature.der"),
        ocsp_fixture!("try-later.der"),
    ] {
        let v = with(staple);
        let step = v.certificates[0]
            .trace
            .iter()
            .find(|t| t.step == Step::StapledOcsp)
            .unwrap();
        assert_eq!(step.outcome, StepOutcome::Ignored, "{}", step.detail);
        assert_eq!(v.outcome, Outcome::Accept);
        // Firefox's rules block or defer the same staple.
        let ff = evaluate(&Input {
            stapled_ocsp: Some(staple),
            ..plain_input(&chain, &policy("mozilla-plan"), &snapshot)
        })
        .unwrap();
        assert_ne!(ff.certificates[0].status, Status::Good);
    }
}

#[test]
fn compare_shows_each_view_and_what_it_lacks() {
    let chain = ok_chain();
    let snapshot = test_snapshot();
    let inspector = policy("inspector");
    let loaded = set(crlset_fixture!("crlset_by_root_serial.raw"));
    let input = Input {
        time: TIME,
        crlset: Some(&loaded),
        ..plain_input(&chain, &inspector, &snapshot)
    };
    let views = compare(&input).unwrap().views;
    // A host's own verdict stands for the policy in force: the same views.
    let in_force = evaluate(&input).unwrap();
    assert_eq!(compare_with(&input, &in_force).unwrap().views, views);
    // ... and so does the view a host kept of it, compared later.
    let kept = in_force_view(&input, &in_force);
    assert_eq!(compare_beside(&input, kept.clone()).unwrap().views, views);
    // The kept view is shown as given, never evaluated again.
    let altered = View {
        outcome: Outcome::SoftFailAccept,
        ..kept
    };
    assert_eq!(
        compare_beside(&input, altered.clone()).unwrap().views[4],
        altered
    );
    let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names[..4], COMPARED_PRESETS);
    assert_eq!(names[4], "inspector");
    assert!(views[4].in_force && views[..4].iter().all(|v| !v.in_force));

    let chrome = &views[1];
    assert_eq!(
        (chrome.outcome, chrome.leaf_status, chrome.leaf_decided_by),
        (Outcome::Block, Status::Revoked, Step::Crlset)
    );
    assert!(chrome.missing.is_empty());
    let firefox = &views[0];
    assert_eq!(firefox.missing, [Missing::NoCrliteFilter]);
    assert_ne!(firefox.leaf_status, Status::Revoked);
    assert_eq!(views[4].missing, [Missing::NoCrliteFilter]);

    // The policy in force is a compared preset: shown once.
    let chrome_policy = policy("chrome-today");
    let input = Input {
        policy: &chrome_policy,
        crlset: None,
        ..input
    };
    let views = compare(&input).unwrap().views;
    assert_eq!(views.len(), 4);
    assert!(views[1].in_force);
    assert_eq!(views[1].missing, [Missing::NoCrlset]);
    assert_ne!(views[1].leaf_status, Status::Good);

    let expired = set(crlset_fixture!("unittest-expired.raw"));
    let views = compare(&Input {
        crlset: Some(&expired),
        ..input
    })
    .unwrap()
    .views;
    assert_eq!(views[1].missing, [Missing::CrlsetExpired]);
    let json = serde_json::to_value(&views[1]).unwrap();
    assert_eq!(json["missing"][0], "crlset-expired");
    assert_eq!(json["leaf_decided_by"], views[1].leaf_decided_by.as_str());
}

#[test]
fn compare_fails_only_as_evaluate_does() {
    let snapshot = test_snapshot();
    let p = policy("mozilla-plan");
    let empty: Vec<Vec<u8>> = vec![];
    assert!(compare(&plain_input(&empty, &p, &snapshot)).is_err());
    let garbage = vec![vec![0x30, 0x03, 0x02, 0x01]];
    assert!(compare(&plain_input(&garbage, &p, &snapshot)).is_err());
}
