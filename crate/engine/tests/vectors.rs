//! One vector set through both builds: the ladder on the inputs of
//! fixtures/vectors/ladder.json must give each vector's expected verdict,
//! natively and on wasm32 alike, so the two builds cannot drift apart.
//!
//! A vector's `input`: `chain` (a file in fixtures/pki/chains), `staple`
//! (a file in fixtures/ocsp, or absent), `staple_hidden`, `live` (the live
//! fetch: `"timeout"`, `"refused"`, `{"status": 500}` or `{"status": 200,
//! "body": "good.der"}`; absent leaves live OCSP pending), `cache` (an OCSP
//! cache filled by one earlier evaluation with `{"live": ..., "time": ...}`),
//! `time` (`{"after_produced_at": seconds}`, after the staple's producedAt,
//! or good.der's when no staple carries one; or `{"at": unix seconds}`),
//! `policy` (a preset name or a policy object), `built_in_root`, `onecrl`
//! (`"test"`, the default, or `"real"`). CRLite is not among the inputs: its
//! filters are built with randomness, natively only (tests/crlite.rs).
//!
//! `expected` summarises the serialised verdict: the chain's outcome and, per
//! certificate, role, status, deciding step, offline class and the trace's
//! step/outcome tokens (not the reasons' wording). To add or change a
//! vector, edit its input and regenerate the expectations natively, then
//! review the diff:
//!
//! ```text
//! REVOSCOPE_WRITE_VECTORS=1 cargo test -p revoscope --test vectors
//! ```

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeSet;

use revoscope::verify::ledger::settle_now;
use revoscope::verify::RustCrypto;
use support::vectors::{vectors, Expected};

#[test]
fn every_vector_gives_its_expected_verdict() {
    #[cfg(not(target_arch = "wasm32"))]
    if writing() {
        write_expectations();
        return;
    }
    let file = vectors();
    let mut wrong = Vec::new();
    for vector in &file.vectors {
        let got = Expected::of(&vector.input.evaluate(&RustCrypto));
        match &vector.expected {
            Some(expected) if *expected == got => {}
            Some(expected) => wrong.push(format!(
                "{}:\n  expected {}\n  got      {}",
                vector.name,
                serde_json::to_string(expected).unwrap(),
                serde_json::to_string(&got).unwrap()
            )),
            None => wrong.push(format!("{}: no expected verdict", vector.name)),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} vectors differ (if the change is intended, regenerate with \
         REVOSCOPE_WRITE_VECTORS=1 natively and review the diff):\n{}",
        wrong.len(),
        file.vectors.len(),
        wrong.join("\n")
    );
}

/// Same inputs, same verdict, in every build: the whole serialised verdict,
/// reasons and request bytes included, evaluated again and through the
/// ledger protocol the browser build checks signatures with.
#[test]
fn every_vector_evaluates_the_same_twice() {
    for vector in vectors().vectors {
        let first = serde_json::to_value(vector.input.evaluate(&RustCrypto)).unwrap();
        let again = serde_json::to_value(vector.input.evaluate(&RustCrypto)).unwrap();
        assert_eq!(first, again, "{}", vector.name);
        let ledgered = settle_now(|ledger| vector.input.evaluate(ledger), &RustCrypto);
        assert_eq!(
            serde_json::to_value(ledgered).unwrap(),
            first,
            "{}: the ledger protocol changed the verdict",
            vector.name
        );
    }
}

/// The set keeps covering every rung and every kind of answer: a
/// regeneration cannot quietly drop one.
#[test]
fn the_vectors_cover_every_rung_and_status() {
    // The compiled-in copy is the one being rewritten; the next run checks.
    #[cfg(not(target_arch = "wasm32"))]
    if writing() {
        return;
    }
    let file = vectors();
    let expected: Vec<&Expected> = file
        .vectors
        .iter()
        .map(|v| v.expected.as_ref().expect("expected verdicts"))
        .collect();
    let certs = || expected.iter().flat_map(|e| &e.certificates);
    let statuses: BTreeSet<&str> = certs().map(|c| c.status.as_str()).collect();
    let steps: BTreeSet<&str> = certs().map(|c| c.decided_by.as_str()).collect();
    let outcomes: BTreeSet<&str> = expected.iter().map(|e| e.outcome.as_str()).collect();
    let offline: BTreeSet<&str> = certs().filter_map(|c| c.offline.as_deref()).collect();
    let missing = |want: &[&str], have: &BTreeSet<&str>| -> Vec<String> {
        want.iter()
            .filter(|w| !have.contains(**w))
            .map(|w| w.to_string())
            .collect()
    };
    let statuses = missing(
        &[
            "good",
            "revoked",
            "unknown",
            "offline",
            "exempt",
            "not-checked",
            "pending",
            "error",
        ],
        &statuses,
    );
    let steps = missing(
        &[
            "onecrl",
            "short-lived",
            "stapled-ocsp",
            "must-staple",
            "cached-ocsp",
            "live-ocsp",
            "no-revocation-info",
            "policy",
        ],
        &steps,
    );
    let outcomes = missing(
        &["accept", "block", "soft-fail-accept", "incomplete"],
        &outcomes,
    );
    let offline = missing(&["timeout", "http-status", "bad-signature"], &offline);
    assert!(
        [&statuses, &steps, &outcomes, &offline]
            .iter()
            .all(|m| m.is_empty()),
        "not covered: statuses {statuses:?}, steps {steps:?}, outcomes {outcomes:?}, offline {offline:?}"
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn writing() -> bool {
    std::env::var_os("REVOSCOPE_WRITE_VECTORS").is_some_and(|v| v == "1")
}

/// Rewrites the expectations from this build's verdicts, keeping the
/// inputs: one line per input and per certificate, so diffs stay readable.
#[cfg(not(target_arch = "wasm32"))]
fn write_expectations() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/vectors/ladder.json");
    // The file on disk, not the compiled-in copy: inputs may have changed.
    let text = std::fs::read_to_string(&path).unwrap();
    let file: support::vectors::VectorFile = serde_json::from_str(&text).unwrap();
    let mut out = format!(
        "{{\n  \"about\": {},\n  \"vectors\": [\n",
        serde_json::to_string(&file.about).unwrap()
    );
    for (i, vector) in file.vectors.iter().enumerate() {
        let expected = Expected::of(&vector.input.evaluate(&RustCrypto));
        let certs: Vec<String> = expected
            .certificates
            .iter()
            .map(|c| format!("          {}", line(c)))
            .collect();
        out.push_str(&format!(
            "    {{\n      \"name\": {},\n      \"input\": {},\n      \"expected\": {{\n        \
             \"outcome\": {},\n        \"hard_fail_would_block\": {},\n        \
             \"certificates\": [\n{}\n        ]\n      }}\n    }}{}\n",
            line(&vector.name),
            line(&vector.input),
            line(&expected.outcome),
            line(&expected.hard_fail_would_block),
            certs.join(",\n"),
            if i + 1 < file.vectors.len() { "," } else { "" }
        ));
    }
    out.push_str("  ]\n}\n");
    std::fs::write(&path, out).unwrap();
    eprintln!("wrote {} vectors to {}", file.vectors.len(), path.display());
}

/// One-line JSON.
#[cfg(not(target_arch = "wasm32"))]
fn line(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}
