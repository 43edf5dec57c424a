//! `revoscope onecrl verify` on the committed content-signature vectors of
//! fixtures/remote-settings/, and `revoscope onecrl sync` against a real
//! local Remote Settings stand-in (scripts/remote-settings/server.mjs, one
//! process per scenario), a canned HTTP server for the body framings the
//! stand-in does not use (chunked, close-delimited), and `openssl s_server`
//! for https://.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use revoscope::remote_settings::ContentSignatureError;
use serde_json::{json, Value};

mod support;

use support::fixture_path as fixture;
use support::programs::{
    free_port, request_urls, revoscope, revoscope_json, Announces, Scratch, Server,
};
use support::TEST_ROOT;

const T0: u64 = 1_700_000_010_000;
const T1: u64 = 1_700_000_020_000;
const T2: u64 = 1_700_000_026_000;
/// Inside the good signer's validity (2025-2045).
const AT: &str = "2026-11-21T12:00:00Z";

fn rs(name: &str) -> String {
    fixture(&format!("remote-settings/{name}"))
}

fn changeset(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(rs(name)).unwrap()).unwrap()
}

/// The fixture changeset `name` as a dump, `{"data": [...], "timestamp": N}`.
fn dump_of(name: &str) -> String {
    let c = changeset(name);
    json!({"data": c["changes"], "timestamp": c["timestamp"]}).to_string()
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---------------------------------------------------------------------------
// onecrl verify

/// `onecrl verify --json` of a fixture changeset and chain, pinning the test
/// root, at AT.
fn verify(collection: &str, chain: &str, extra: &[&str]) -> (Value, i32) {
    let (collection, chain) = (rs(collection), rs(&format!("chains/{chain}.pem")));
    let mut args = vec![
        "onecrl",
        "verify",
        "--collection",
        &collection,
        "--chain",
        &chain,
    ];
    args.extend(["--root-hash", TEST_ROOT, "--at", AT, "--json"]);
    args.extend(extra);
    revoscope_json(args)
}

/// A sync report's status, incremental flag, timestamp and record count.
fn summary(v: &Value) -> (Option<&str>, Option<bool>, Option<u64>, Option<u64>) {
    (
        v["status"].as_str(),
        v["incremental"].as_bool(),
        v["timestamp"].as_u64(),
        v["records"].as_u64(),
    )
}

#[test]
fn verify_accepts_v1_signed_under_the_test_root() {
    let (v, code) = verify("v1.changeset.json", "onecrl", &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verified"], true);
    assert_eq!(
        v["signature_from"], "metadata",
        "taken from metadata.signature"
    );
    assert_eq!(
        v["collection"],
        json!({"shape": "changeset", "timestamp": T1, "records": 20})
    );
    let signer = &v["signer"];
    assert_eq!(signer["subject"], "CN=onecrl.content-signature.mozilla.org");
    assert_eq!(
        signer["signer_name"],
        "onecrl.content-signature.mozilla.org"
    );
    assert_eq!(signer["root_sha256"], TEST_ROOT);
    assert_eq!(signer["path"].as_array().unwrap().len(), 3);
    assert_eq!(signer["not_after"], 2_366_841_600u64, "2045-01-01");
    assert_eq!(v["trust"]["roots"], json!([TEST_ROOT]));
    assert_eq!(v["trust"]["roots_from"], "given");
    assert_eq!(v["evaluated_at"], AT);
    assert_eq!(v["error"], Value::Null);

    // The readable form says the same.
    let (collection, chain) = (rs("v1.changeset.json"), rs("chains/onecrl.pem"));
    let out = revoscope([
        "onecrl",
        "verify",
        "--collection",
        &collection,
        "--chain",
        &chain,
        "--root-hash",
        TEST_ROOT,
        "--at",
        AT,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout.contains("verified:   yes"), "{stdout}");
    assert!(
        stdout.contains(&format!("root:     sha256 {TEST_ROOT}")),
        "{stdout}"
    );
    assert!(stdout.contains("20 records"), "{stdout}");
}

#[test]
fn verify_refuses_with_the_precise_reason_and_exit_3() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        ("v1.tampered.changeset.json", "onecrl", &[], "bad-signature"),
        (
            "v1.wrong-name.changeset.json",
            "wrong-name",
            &[],
            "signer-name-mismatch",
        ),
        (
            "v1.changeset.json",
            "onecrl",
            &["--signer", "remote-settings.content-signature.mozilla.org"],
            "signer-name-mismatch",
        ),
        ("v1.expired.changeset.json", "expired", &[], "cert-expired"),
        (
            "v1.other-root.changeset.json",
            "other-root",
            &[],
            "untrusted-root",
        ),
        (
            "v1.no-eku.changeset.json",
            "no-eku",
            &[],
            "signer-not-for-code-signing",
        ),
        // A sound chain for the name asked, but another key signed.
        (
            "v1.changeset.json",
            "wrong-name",
            &["--signer", "remote-settings.content-signature.mozilla.org"],
            "bad-signature",
        ),
        // Before the signer's validity (2025-2045).
        (
            "v1.changeset.json",
            "onecrl",
            &["--at", "2024-06-01T00:00:00Z"],
            "cert-not-yet-valid",
        ),
        (
            "v1.changeset.json",
            "onecrl",
            &["--at", "2046-01-01T00:00:00Z"],
            "cert-expired",
        ),
        (
            "v1.changeset.json",
            "onecrl",
            &["--signature", "AAAA"],
            "malformed-signature",
        ),
    ];
    for &(collection, chain, extra, expected) in cases {
        let (v, code) = if extra.first() == Some(&"--at") {
            // --at replaces the default one: build the command by hand.
            let (c, ch) = (rs(collection), rs(&format!("chains/{chain}.pem")));
            revoscope_json([
                "onecrl",
                "verify",
                "--collection",
                &c,
                "--chain",
                &ch,
                "--root-hash",
                TEST_ROOT,
                "--json",
                extra[0],
                extra[1],
            ])
        } else {
            verify(collection, chain, extra)
        };
        assert_eq!(
            (code, v["verified"].as_bool(), v["error"]["code"].as_str()),
            (3, Some(false), Some(expected)),
            "{collection} with {chain} {extra:?}: {v}"
        );
        assert_eq!(v["signer"], Value::Null);
    }

    // The messages are ContentSignatureError's.
    let (v, _) = verify("v1.tampered.changeset.json", "onecrl", &[]);
    assert_eq!(
        v["error"]["message"],
        ContentSignatureError::BadSignature.to_string()
    );
    let (v, _) = verify("v1.wrong-name.changeset.json", "wrong-name", &[]);
    assert_eq!(
        v["error"]["message"],
        "the signer certificate is for remote-settings.content-signature.mozilla.org \
         instead of onecrl.content-signature.mozilla.org"
    );
    let (v, _) = verify("v1.expired.changeset.json", "expired", &[]);
    assert_eq!(
        v["error"]["message"],
        "CN=onecrl.content-signature.mozilla.org expired at 2021-01-01T00:00:00Z"
    );

    // Mozilla's roots (no --root-hash) do not include the test root.
    let (collection, chain) = (rs("v1.changeset.json"), rs("chains/onecrl.pem"));
    let (v, code) = revoscope_json([
        "onecrl",
        "verify",
        "--collection",
        &collection,
        "--chain",
        &chain,
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (3, Some("untrusted-root")),
        "{v}"
    );
    assert_eq!(v["trust"]["roots_from"], "mozilla");
    assert_eq!(v["trust"]["roots"].as_array().unwrap().len(), 2);

    // Readable: the reason on the "why" line.
    let out = revoscope([
        "onecrl",
        "verify",
        "--collection",
        &rs("v1.tampered.changeset.json"),
        "--chain",
        &chain,
        "--root-hash",
        TEST_ROOT,
        "--at",
        AT,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout.contains("verified:   no"), "{stdout}");
    assert!(stdout.contains("(bad-signature)"), "{stdout}");
}

#[test]
fn verify_takes_the_signature_from_an_argument_a_file_or_the_metadata() {
    let dir = Scratch::new("cli-sync-signature");
    let signature = changeset("v1.changeset.json")["metadata"]["signature"]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    let dump = dir.join("v1.dump.json");
    std::fs::write(&dump, dump_of("v1.changeset.json")).unwrap();
    let file = dir.join("v1.sig");
    std::fs::write(&file, format!("p384ecdsa={signature}\n")).unwrap();
    let chain = rs("chains/onecrl.pem");
    let run = |collection: &str, sig: Option<&str>| {
        let mut args = vec![
            "onecrl",
            "verify",
            "--collection",
            collection,
            "--chain",
            &chain,
        ];
        args.extend(["--root-hash", TEST_ROOT, "--at", AT]);
        if let Some(sig) = sig {
            args.extend(["--signature", sig]);
        }
        args.push("--json");
        revoscope(args)
    };
    let json =
        |out: &std::process::Output| -> Value { serde_json::from_slice(&out.stdout).unwrap() };

    // A dump, with the signature as an argument (bare and in header form) or a file.
    for (sig, from) in [
        (signature.clone(), "argument"),
        (format!("p384ecdsa={signature}"), "argument"),
        (text(&file), "file"),
    ] {
        let out = run(&text(&dump), Some(&sig));
        let v = json(&out);
        assert_eq!(out.status.code(), Some(0), "{v}");
        assert_eq!(
            (
                v["verified"].as_bool(),
                v["signature_from"].as_str(),
                v["collection"]["shape"].as_str()
            ),
            (Some(true), Some(from), Some("dump"))
        );
    }
    // The right signature on altered data still fails.
    let out = run(&rs("v1.tampered.changeset.json"), Some(&signature));
    assert_eq!(
        (out.status.code(), json(&out)["error"]["code"].as_str()),
        (Some(3), Some("bad-signature"))
    );
    // The unsigned changeset verifies with the signature given.
    let out = run(&rs("v1.unsigned.changeset.json"), Some(&signature));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Nothing to verify with: bad input (exit 1), not a refusal.
    for collection in [text(&dump), rs("v1.unsigned.changeset.json")] {
        let out = run(&collection, None);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("give --signature SIG|FILE"),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn verify_bad_input_and_usage_exit_1() {
    let dir = Scratch::new("cli-sync-verify-input");
    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "{\"changes\": [").unwrap();
    let neither = dir.join("neither.json");
    std::fs::write(&neither, "{\"records\": []}").unwrap();
    let (v1, chain) = (rs("v1.changeset.json"), rs("chains/onecrl.pem"));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--collection".into(), v1.clone()],
            "onecrl verify needs --chain FILE",
        ),
        (
            vec!["--chain".into(), chain.clone()],
            "onecrl verify needs --collection FILE",
        ),
        (
            vec![
                "--collection".into(),
                v1.clone(),
                "--chain".into(),
                chain.clone(),
                "--root-hash".into(),
                "abcd".into(),
            ],
            "--root-hash \"abcd\": give the SHA-256",
        ),
        (
            vec![
                "--collection".into(),
                text(&not_json),
                "--chain".into(),
                chain.clone(),
            ],
            "not JSON",
        ),
        (
            vec![
                "--collection".into(),
                text(&neither),
                "--chain".into(),
                chain.clone(),
            ],
            "neither a changeset",
        ),
        (
            vec![
                "--collection".into(),
                v1.clone(),
                "--chain".into(),
                text(&dir.join("missing.pem")),
            ],
            "cannot read --chain",
        ),
    ];
    for (args, message) in cases {
        let out = revoscope(
            ["onecrl", "verify"]
                .iter()
                .map(|s| s.to_string())
                .chain(args.clone()),
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    // A root hash in openssl's fingerprint form works too.
    let colons = TEST_ROOT
        .as_bytes()
        .chunks(2)
        .map(|p| std::str::from_utf8(p).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let (v, code) = revoscope_json([
        "onecrl",
        "verify",
        "--collection",
        &v1,
        "--chain",
        &chain,
        "--root-hash",
        &colons,
        "--root-hash",
        "00".repeat(32).as_str(),
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!((code, v["verified"].as_bool()), (0, Some(true)), "{v}");
    assert_eq!(
        v["trust"]["roots"].as_array().unwrap().len(),
        2,
        "repeatable"
    );

    let help = revoscope(["help", "onecrl"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for line in [
        "revoscope onecrl verify --collection FILE [--signature SIG|FILE] --chain FILE",
        "revoscope onecrl sync [--from URL] [--out FILE] [--base FILE] [--root-hash HEX]...",
        "onecrl verify: the signature is refused",
    ] {
        assert!(help.contains(line), "{line:?} in {help}");
    }
}

// ---------------------------------------------------------------------------
// onecrl sync against the stand-in

/// scripts/remote-settings/server.mjs in one scenario, on a free port.
struct StandIn {
    _server: Server,
    url: String,
}

impl StandIn {
    fn start(scenario: &str) -> StandIn {
        let port = free_port();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/remote-settings/server.mjs");
        let mut command = Command::new("node");
        command
            .arg(script)
            .args(["--port", &port.to_string(), "--scenario", scenario]);
        StandIn {
            _server: Server::start(command, Announces::OnStdout, "Remote Settings stand-in:"),
            url: format!("http://127.0.0.1:{port}/v1"),
        }
    }
}

/// `onecrl sync --from URL --root-hash TEST_ROOT --json` and `extra`.
fn sync(url: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![
        "onecrl",
        "sync",
        "--from",
        url,
        "--root-hash",
        TEST_ROOT,
        "--json",
    ];
    args.extend(extra);
    revoscope_json(args)
}

#[test]
fn sync_full_then_incremental_then_up_to_date() {
    let server = StandIn::start("ok");
    let dir = Scratch::new("cli-sync-flow");
    let full = dir.join("full.json");

    // First sync: no base, the whole collection.
    let (v, code) = sync(&server.url, &["--out", &text(&full)]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        summary(&v),
        (Some("updated"), Some(false), Some(T1), Some(20)),
        "{v}"
    );
    assert_eq!(v["signer"]["root_sha256"], TEST_ROOT);
    assert_eq!(v["written"], text(&full));
    let requests = request_urls(&v);
    assert_eq!(requests.len(), 3, "monitor, changeset, chain: {requests:?}");
    assert!(requests[0].ends_with("/v1/buckets/monitor/collections/changes/changeset?_expected=0"));
    assert!(requests[1].ends_with(&format!(
        "/v1/buckets/security-state/collections/onecrl/changeset?_expected={T1}"
    )));
    assert!(requests[2].ends_with("/chains/onecrl.pem"));
    let written: Value = serde_json::from_slice(&std::fs::read(&full).unwrap()).unwrap();
    assert_eq!(written["timestamp"], T1);
    assert_eq!(written["data"].as_array().unwrap().len(), 20);
    assert!(!dir.join("full.json.tmp").exists());
    // The result is a snapshot the other commands read.
    let (stats, code) = revoscope_json(["onecrl", "stats", "--onecrl", &text(&full), "--json"]);
    assert_eq!(
        (code, stats["records"].as_u64(), stats["timestamp"].as_u64()),
        (0, Some(20), Some(T1))
    );

    // `--base FILE --out FILE` before FILE exists: a first, full sync.
    let first = dir.join("first.json");
    let (v, code) = sync(
        &server.url,
        &["--base", &text(&first), "--out", &text(&first)],
    );
    assert_eq!(
        (
            code,
            v["status"].as_str(),
            v["incremental"].as_bool(),
            v["base_timestamp"].as_u64()
        ),
        (0, Some("updated"), Some(false), None),
        "{v}"
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&full).unwrap()
    );

    // An older base (v0, as a previous --out): only the changes since it,
    // written over it.
    let base = dir.join("base.json");
    std::fs::write(&base, dump_of("v0.changeset.json")).unwrap();
    let (v, code) = sync(
        &server.url,
        &["--base", &text(&base), "--out", &text(&base)],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (
            v["status"].as_str(),
            v["incremental"].as_bool(),
            v["base_timestamp"].as_u64(),
            v["timestamp"].as_u64(),
            v["records"].as_u64()
        ),
        (Some("updated"), Some(true), Some(T0), Some(T1), Some(20)),
        "{v}"
    );
    assert!(
        request_urls(&v)[1].ends_with(&format!("changeset?_expected={T1}&_since=%22{T0}%22")),
        "{:?}",
        request_urls(&v)
    );
    assert_eq!(
        std::fs::read(&base).unwrap(),
        std::fs::read(&full).unwrap(),
        "merged = full"
    );

    // Again: up to date, one request, nothing written.
    let before = std::fs::read(&base).unwrap();
    let (v, code) = sync(
        &server.url,
        &["--base", &text(&base), "--out", &text(&base)],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (
            v["status"].as_str(),
            v["timestamp"].as_u64(),
            v["records"].as_u64(),
            v["written"].is_null()
        ),
        (Some("up-to-date"), Some(T1), Some(20), true),
        "{v}"
    );
    assert_eq!(request_urls(&v).len(), 1);
    assert_eq!(std::fs::read(&base).unwrap(), before);

    // The readable report.
    let out = revoscope([
        "onecrl",
        "sync",
        "--from",
        &server.url,
        "--root-hash",
        TEST_ROOT,
        "--base",
        &text(&base),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("status:     up-to-date"), "{stdout}");
}

/// A previous `--out` holding v1, and what it holds.
fn v1_out(dir: &Path) -> (PathBuf, Vec<u8>) {
    let out = dir.join("onecrl.json");
    std::fs::write(&out, dump_of("v1.changeset.json")).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    (out, bytes)
}

#[test]
fn sync_refuses_a_rollback_and_leaves_out_untouched() {
    let server = StandIn::start("rollback");
    let dir = Scratch::new("cli-sync-rollback");
    let (out, before) = v1_out(&dir);
    let (v, code) = sync(&server.url, &["--base", &text(&out), "--out", &text(&out)]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], "rollback");
    assert_eq!(
        v["error"]["message"],
        format!(
            "the server offers timestamp {T0}, older than the {T1} in force: a rollback, refused"
        )
    );
    assert_eq!(
        (v["timestamp"].as_u64(), v["written"].is_null()),
        (Some(T1), true)
    );
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert!(!dir.join("onecrl.json.tmp").exists());

    // Readable: the report on stdout, the one-line error on stderr.
    let run = revoscope([
        "onecrl",
        "sync",
        "--from",
        &server.url,
        "--root-hash",
        TEST_ROOT,
        "--base",
        &text(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).contains("status:     failed (rollback)"));
    assert!(
        stderr(&run)
            .starts_with("revoscope: onecrl sync failed (rollback): the server offers timestamp"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn sync_refuses_bad_content_after_retrying_the_whole_collection() {
    let dir = Scratch::new("cli-sync-refusals");
    let cases = [
        ("tampered", "bad-signature"),
        ("bad-signature", "bad-signature"),
        ("wrong-name", "signer-name-mismatch"),
        ("expired", "cert-expired"),
        ("other-root", "untrusted-root"),
        ("no-eku", "signer-not-for-code-signing"),
        ("unsigned", "unsigned"),
        ("x5u-missing", "chain-fetch"),
    ];
    for (scenario, code_name) in cases {
        let server = StandIn::start(scenario);
        // From a v0 base: the incremental attempt fails, then the full one.
        let out = dir.join(format!("{scenario}.json"));
        std::fs::write(&out, dump_of("v0.changeset.json")).unwrap();
        let before = std::fs::read(&out).unwrap();
        let (v, code) = sync(&server.url, &["--base", &text(&out), "--out", &text(&out)]);
        assert_eq!(
            (code, v["error"]["code"].as_str()),
            (1, Some(code_name)),
            "{scenario}: {v}"
        );
        let changesets: Vec<_> = request_urls(&v)
            .into_iter()
            .filter(|u| u.contains("/onecrl/changeset"))
            .collect();
        assert_eq!(
            changesets.len(),
            2,
            "{scenario}: incremental, then full: {changesets:?}"
        );
        assert!(changesets[0].contains("&_since=") && !changesets[1].contains("_since"));
        assert_eq!(std::fs::read(&out).unwrap(), before, "{scenario}");
        // Without a base: one attempt, nothing written.
        let fresh = dir.join(format!("{scenario}-fresh.json"));
        let (v, code) = sync(&server.url, &["--out", &text(&fresh)]);
        assert_eq!(
            (code, v["error"]["code"].as_str()),
            (1, Some(code_name)),
            "{scenario}: {v}"
        );
        assert!(!fresh.exists());
    }
}

#[test]
fn sync_survives_outages_and_hostile_bodies() {
    let dir = Scratch::new("cli-sync-outages");
    // An older collection in force, so that a changeset is fetched.
    let out = dir.join("onecrl.json");
    std::fs::write(&out, dump_of("v0.changeset.json")).unwrap();
    let before = std::fs::read(&out).unwrap();
    let nothing = format!("http://127.0.0.1:{}/v1", free_port());
    let down = StandIn::start("down");
    let refuse = StandIn::start("refuse");
    let truncated = StandIn::start("truncated");
    let huge = StandIn::start("huge");
    let cases = [
        (
            &nothing,
            "network",
            "could not be fetched: the connection was refused",
        ),
        (
            &down.url,
            "http-status",
            "changeset?_expected=0 answered HTTP 503",
        ),
        (&refuse.url, "network", "could not be fetched"),
        (&truncated.url, "truncated", "the answer ended early"),
        (
            &huge.url,
            "too-large",
            "the answer is 64000000 bytes, more than the 33554432 accepted",
        ),
    ];
    for (url, code_name, message) in cases {
        for base in [false, true] {
            let mut extra = vec!["--out", out.to_str().unwrap()];
            if base {
                extra.extend(["--base", out.to_str().unwrap()]);
            }
            let started = Instant::now();
            let (v, code) = sync(url, &extra);
            assert_eq!(
                (code, v["error"]["code"].as_str()),
                (1, Some(code_name)),
                "{url} base {base}: {v}"
            );
            let got = v["error"]["message"].as_str().unwrap();
            assert!(got.contains(message), "{url}: {got}");
            assert_eq!(std::fs::read(&out).unwrap(), before, "{url}");
            assert!(!dir.join("onecrl.json.tmp").exists());
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{url}: took {:?}",
                started.elapsed()
            );
            // A broken incremental answer is retried in full; a network
            // failure is not.
            let changesets = request_urls(&v)
                .into_iter()
                .filter(|u| u.contains("/onecrl/changeset"))
                .count();
            let expected = match (code_name, base) {
                ("truncated" | "too-large", true) => 2,
                ("truncated" | "too-large", false) => 1,
                _ => 0,
            };
            assert_eq!(changesets, expected, "{url} base {base}: {v}");
        }
    }
}

#[test]
fn sync_keeps_to_its_deadline() {
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", silent.local_addr().unwrap());
    let started = Instant::now();
    let (v, code) = sync(&url, &["--timeout", "1"]);
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("network")),
        "{v}"
    );
    assert!(
        v["error"]["message"].as_str().unwrap().contains("deadline"),
        "{v}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(silent);

    for (flag, value, message) in [
        ("--timeout", "0", "--timeout \"0\": give seconds, 1 to 3600"),
        (
            "--from",
            "ftp://example.org/v1",
            "give the server's http:// or https:// URL",
        ),
        ("--root-hash", "xyz", "64 hex digits"),
    ] {
        let out = revoscope(["onecrl", "sync", flag, value]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
}

#[test]
fn sync_checks_https_servers_against_mozillas_roots() {
    // A test leaf that no root of webpki-roots issued: the handshake fails,
    // nothing is fetched over it.
    let port = free_port();
    let mut command = Command::new("openssl");
    command
        .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-www"])
        .args([
            "-cert",
            &fixture("pki/leaf-90d.pem"),
            "-key",
            &fixture("pki/leaf-90d.key.pem"),
        ])
        .args(["-cert_chain", &fixture("pki/int-good.pem")]);
    let _server = Server::start(command, Announces::OnStdout, "ACCEPT");
    let (v, code) = sync(
        &format!("https://127.0.0.1:{port}/v1"),
        &["--timeout", "10"],
    );
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("network")),
        "{v}"
    );
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("TLS: invalid peer certificate"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------
// onecrl sync against a canned server: the framings, and a full retry that succeeds

/// A server that answers each request with the bytes `answer` gives for
/// its path and query, then closes the connection.
fn canned(answer: impl Fn(&str, u16) -> Vec<u8> + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&head);
            let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
            let _ = stream.write_all(&answer(&target, port));
        }
    });
    port
}

fn with_length(body: &[u8]) -> Vec<u8> {
    [
        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(),
        body,
    ]
    .concat()
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for chunk in body.chunks(700) {
        out.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn close_delimited(body: &[u8]) -> Vec<u8> {
    [
        b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n".as_slice(),
        body,
    ]
    .concat()
}

/// A fixture changeset whose x5u points at `port`; with its signature
/// broken when `break_signature`.
fn served(name: &str, port: u16, break_signature: bool) -> Vec<u8> {
    let mut c = changeset(name);
    let mut signature = c["metadata"]["signature"].clone();
    signature["x5u"] = json!(format!("http://127.0.0.1:{port}/chains/onecrl.pem"));
    if break_signature {
        let s = signature["signature"].as_str().unwrap();
        let flipped = if s.starts_with('A') { "B" } else { "A" };
        signature["signature"] = json!(format!("{flipped}{}", &s[1..]));
    }
    c["metadata"]["signature"] = signature.clone();
    c["metadata"]["signatures"] = json!([signature]);
    c.to_string().into_bytes()
}

fn v2_server(break_incremental: bool) -> String {
    let port = canned(move |target, port| {
        if target.starts_with("/v1/buckets/monitor/") {
            let monitor = json!({"metadata": {}, "timestamp": T2, "changes": [
                {"id": "security-state/onecrl", "bucket": "security-state", "collection": "onecrl", "last_modified": T2},
            ]});
            chunked(monitor.to_string().as_bytes())
        } else if target.starts_with("/v1/buckets/security-state/collections/onecrl/changeset") {
            if target.contains("_since=") {
                close_delimited(&served(
                    "v2.since-v1.changeset.json",
                    port,
                    break_incremental,
                ))
            } else {
                with_length(&served("v2.full.changeset.json", port, false))
            }
        } else if target == "/chains/onecrl.pem" {
            chunked(&std::fs::read(rs("chains/onecrl.pem")).unwrap())
        } else {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()
        }
    });
    format!("http://127.0.0.1:{port}/v1")
}

#[test]
fn sync_reads_chunked_and_close_delimited_bodies() {
    let dir = Scratch::new("cli-sync-framing");
    let url = v2_server(false);
    let full = dir.join("full.json");
    let (v, code) = sync(&url, &["--out", &text(&full)]);
    assert_eq!(
        (code, v["status"].as_str(), v["records"].as_u64()),
        (0, Some("updated"), Some(23)),
        "{v}"
    );
    let (out, _) = v1_out(&dir);
    let (v, code) = sync(&url, &["--base", &text(&out), "--out", &text(&out)]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (
            v["incremental"].as_bool(),
            v["timestamp"].as_u64(),
            v["records"].as_u64()
        ),
        (Some(true), Some(T2), Some(23)),
        "{v}"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&full).unwrap(),
        "v1 + changes = v2"
    );
}

#[test]
fn sync_falls_back_to_the_whole_collection_when_the_changes_do_not_verify() {
    let dir = Scratch::new("cli-sync-fallback");
    let url = v2_server(true);
    let (out, _) = v1_out(&dir);
    let (v, code) = sync(&url, &["--base", &text(&out), "--out", &text(&out)]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        summary(&v),
        (Some("updated"), Some(false), Some(T2), Some(23)),
        "{v}"
    );
    let requests = request_urls(&v);
    assert_eq!(
        requests.len(),
        5,
        "monitor, changes, chain, full, chain: {requests:?}"
    );
    assert!(requests[1].contains("_since=") && !requests[3].contains("_since="));
    let written: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["timestamp"], T2);
}
