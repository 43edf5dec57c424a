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

use der::Decode;
use revoscope::ocsp::{FetchOutcome, OcspCache};
use revoscope::verify::ledger::settle_now;
use revoscope::verify::{RustCrypto, SignatureVerifier};
use revoscope::{evaluate, Input, Policy, UnixTime, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use support::{chain, produced_at, real_snapshot, test_snapshot};

/// The vector set, compiled in: wasm32 tests have no file system.
const VECTORS: &str = include_str!("../../fixtures/vectors/ladder.json");

macro_rules! files {
    ($dir:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../fixtures/", $dir, "/", $name)) as &[u8])),+]
    };
}

const CHAINS: &[(&str, &[u8])] = files!("pki/chains":
    "leaf-90d.pem",
    "leaf-6d.pem",
    "leaf-10d.pem",
    "leaf-must-staple.pem",
    "leaf-no-aia.pem",
    "leaf-under-revoked-serial.pem",
    "leaf-under-revoked-key.pem",
    "leaf-under-real-onecrl-entry.pem",
);

const OCSP: &[(&str, &[u8])] = files!("ocsp":
    "good.der",
    "good-long-next-update.der",
    "revoked.der",
    "unknown.der",
    "must-staple-good.der",
    "must-staple-revoked.der",
    "delegated-p384.der",
    "delegated-rsa-pss.der",
    "bad-signature.der",
    "other-ca.der",
    "try-later.der",
);

fn file(files: &[(&str, &'static [u8])], name: &str) -> &'static [u8] {
    files
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no fixture {name} in this test's list"))
        .1
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    about: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    input: VectorInput,
    #[serde(default)]
    expected: Option<Expected>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct VectorInput {
    chain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    staple: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    staple_hidden: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    live: Option<Live>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache: Option<Primer>,
    time: Time,
    /// A preset name, or a policy object (`{"base": ..., overrides}`).
    policy: Value,
    #[serde(default, skip_serializing_if = "is_false")]
    built_in_root: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    onecrl: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum Live {
    /// `timeout` or `refused`.
    Failed(String),
    Http {
        status: u16,
        /// An OCSP fixture; absent for an empty body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
}

impl Live {
    fn outcome(&self) -> FetchOutcome {
        match self {
            Live::Failed(what) if what == "timeout" => FetchOutcome::Timeout { elapsed_ms: 2000 },
            Live::Failed(what) if what == "refused" => FetchOutcome::Refused { elapsed_ms: 1 },
            Live::Failed(other) => panic!("unknown live failure {other}"),
            Live::Http { status, body } => FetchOutcome::Response {
                http_status: *status,
                body: body.as_deref().map_or(&[][..], |b| file(OCSP, b)).to_vec(),
                elapsed_ms: 12,
            },
        }
    }
}

/// An evaluation made earlier, whose verdict filled the OCSP cache.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Primer {
    live: Live,
    time: Time,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Time {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    after_produced_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<u64>,
}

impl Time {
    fn resolve(&self, produced_at: UnixTime) -> UnixTime {
        match (self.after_produced_at, self.at) {
            (Some(offset), None) => UnixTime(produced_at.0.checked_add_signed(offset).unwrap()),
            (None, Some(at)) => UnixTime(at),
            _ => panic!("a time is either after_produced_at or at"),
        }
    }
}

/// What a vector pins of the serialised verdict.
#[derive(Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    outcome: String,
    hard_fail_would_block: Option<bool>,
    certificates: Vec<CertSummary>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct CertSummary {
    role: String,
    status: String,
    decided_by: String,
    /// Why live OCSP gave no usable answer, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offline: Option<String>,
    /// `step/outcome` for each step consulted.
    trace: Vec<String>,
}

impl Expected {
    /// Read from the verdict's JSON form: the tokens the CLI and the
    /// extension see.
    fn of(verdict: &Verdict) -> Expected {
        let v = serde_json::to_value(verdict).unwrap();
        let token = |v: &Value| v.as_str().expect("a token").to_owned();
        Expected {
            outcome: token(&v["outcome"]),
            hard_fail_would_block: v["hard_fail_would_block"].as_bool(),
            certificates: v["certificates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| CertSummary {
                    role: token(&c["role"]),
                    status: token(&c["status"]),
                    decided_by: token(&c["decided_by"]),
                    // The class, or for an unusable response the reason
                    // (bad-signature, try-later...), as the OCSP cache keeps it.
                    offline: c["offline"]["code"]
                        .as_str()
                        .or(c["offline"]["class"].as_str())
                        .map(str::to_owned),
                    trace: c["trace"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| format!("{}/{}", token(&t["step"]), token(&t["outcome"])))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl VectorInput {
    fn evaluate(&self, verifier: &dyn SignatureVerifier) -> Verdict {
        let chain = chain(file(CHAINS, &self.chain));
        let staple = self.staple.as_deref().map(|name| file(OCSP, name));
        let policy = match &self.policy {
            Value::String(name) => Policy::from_name_or_json(name),
            object => Policy::from_json(&object.to_string()),
        }
        .expect("a valid policy");
        let onecrl = match self.onecrl.as_deref() {
            None | Some("test") => test_snapshot(),
            Some("real") => real_snapshot(),
            Some(other) => panic!("unknown snapshot {other}"),
        };
        // Error statuses (tryLater...) carry no producedAt.
        let made = |staple: Option<&[u8]>| {
            let signed = |der: &&[u8]| {
                x509_ocsp::OcspResponse::from_der(der).is_ok_and(|r| r.response_bytes.is_some())
            };
            produced_at(staple.filter(signed).unwrap_or(file(OCSP, "good.der")))
        };
        let primer = self
            .cache
            .as_ref()
            .map(|p| (p.live.outcome(), p.time.resolve(made(None))));
        let live = self.live.as_ref().map(Live::outcome);
        let input = |time, staple, live, ocsp_cache| Input {
            chain: &chain,
            stapled_ocsp: staple,
            staple_hidden: self.staple_hidden,
            time,
            policy: &policy,
            onecrl: &onecrl,
            root_is_built_in: self.built_in_root,
            crlite: None,
            ocsp_cache,
            live_ocsp: live,
            verifier,
        };
        let mut cache = OcspCache::new();
        if let Some((outcome, earlier)) = &primer {
            cache.apply(&evaluate(&input(*earlier, None, Some(outcome), None)).unwrap());
        }
        let time = self.time.resolve(made(staple));
        let cache = self.cache.as_ref().map(|_| &cache);
        evaluate(&input(time, staple, live.as_ref(), cache)).expect("the chain parses")
    }
}

fn vectors() -> VectorFile {
    serde_json::from_str(VECTORS).expect("fixtures/vectors/ladder.json parses")
}

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

/// The browser build hands every verdict to JavaScript as a tape
/// (`wasm::tape`): it must make the very objects serde-wasm-bindgen's
/// `json_compatible()` makes, the same keys in the same order, reasons,
/// requests and cache updates included.
#[cfg(target_arch = "wasm32")]
#[test]
fn every_vector_crosses_to_javascript_as_serde_wasm_bindgen_would() {
    let text = |v: &wasm_bindgen::JsValue| String::from(js_sys::JSON::stringify(v).unwrap());
    for vector in vectors().vectors {
        let verdict = vector.input.evaluate(&RustCrypto);
        let reference = verdict
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap();
        let tape = revoscope::wasm::tape::to_js(&verdict).unwrap();
        assert_eq!(text(&tape), text(&reference), "{}", vector.name);
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
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/vectors/ladder.json");
    // The file on disk, not the compiled-in copy: inputs may have changed.
    let text = std::fs::read_to_string(&path).unwrap();
    let file: VectorFile = serde_json::from_str(&text).unwrap();
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
fn line(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap()
}
