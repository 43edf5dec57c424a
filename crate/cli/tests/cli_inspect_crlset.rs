//! `inspect --crlset FILE` and `inspect --compare`, on Chromium's CRLSet
//! test data (fixtures/crlset): ok_cert_by_intermediate's leaf and
//! intermediate, and the sets that list or do not list the leaf.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;

mod support;

use support::fixture_path as fixture;
use support::programs::{revoscope, revoscope_json};

fn args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "inspect",
        "--chain",
        &fixture("crlset/chromium/ok_cert_by_intermediate.pem"),
        "--onecrl",
        &fixture("pki/onecrl-test.json"),
        "--at",
        "2026-06-02T00:00:00Z",
        "--no-fetch",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn set(name: &str) -> String {
    fixture(&format!("crlset/{name}"))
}

fn leaf(v: &Value) -> (&str, &str) {
    let leaf = &v["certificates"][0];
    (
        leaf["status"].as_str().unwrap(),
        leaf["decided_by"].as_str().unwrap(),
    )
}

#[test]
fn a_listed_leaf_is_revoked_by_the_crlset_under_chrome_today() {
    let listing = set("crlset_by_intermediate_serial.raw");
    let (v, code) = revoscope_json(args(&[
        "--policy",
        "chrome-today",
        "--crlset",
        &listing,
        "--json",
    ]));
    assert_eq!(code, 3, "a block exits 3");
    assert_eq!(leaf(&v), ("revoked", "crlset"));
    assert_eq!(v["crlset"]["sequence"], 1);
    assert_eq!(v["outcome"], "block");
    assert!(v.get("compare").is_none(), "compare only with --compare");

    // The unit test's GIA set does not cover the leaf's issuer.
    let (v, code) = revoscope_json(args(&[
        "--policy",
        "chrome-today",
        "--crlset",
        &set("unittest-gia.raw"),
        "--json",
    ]));
    assert_eq!(code, 0);
    assert_ne!(leaf(&v).1, "crlset");
    let trace = v["certificates"][0]["trace"].as_array().unwrap();
    assert_eq!(trace[0]["step"], "crlset");
    assert_eq!(trace[0]["outcome"], "not-covered");
}

#[test]
fn compare_in_json_and_in_text() {
    let listing = set("crlset_by_intermediate_serial.raw");
    let (v, code) = revoscope_json(args(&["--crlset", &listing, "--compare", "--json"]));
    // The policy in force is the default, inspector, which has no CRLSet.
    assert_eq!(code, 0);
    let views = v["compare"]["views"].as_array().unwrap();
    let names: Vec<&str> = views.iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "firefox-today",
            "chrome-today",
            "mozilla-plan",
            "hard-fail",
            "inspector"
        ]
    );
    assert_eq!(views[1]["outcome"], "block");
    assert_eq!(views[1]["leaf_status"], "revoked");
    assert_eq!(views[1]["leaf_decided_by"], "crlset");
    assert_eq!(views[1]["missing"], serde_json::json!([]));
    assert_eq!(views[0]["missing"], serde_json::json!(["no-crlite-filter"]));
    assert_eq!(views[4]["in_force"], true);

    let out = revoscope(args(&["--compare"]));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("chrome-today"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("missing: no-crlset"), "{line}");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("mozilla-plan"))
        .unwrap();
    assert!(line.contains("missing: nothing"), "{line}");
}

#[test]
fn a_bad_crlset_file_is_bad_input() {
    let out = revoscope(args(&[
        "--crlset",
        &fixture("crlset/chromium/root_ca_cert.pem"),
    ]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--crlset"), "{err}");
}

#[test]
fn without_crlset_the_synced_set_is_read_and_a_damaged_one_named() {
    // What `crlset sync` keeps: $XDG_DATA_HOME/revoscope/crlset/crl-set.
    let data = std::env::temp_dir().join(format!("revoscope-synced-crlset-{}", std::process::id()));
    let dir = data.join("revoscope/crlset");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        set("crlset_by_intermediate_serial.raw"),
        dir.join("crl-set"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_revoscope"))
            .args(args(extra))
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap()
    };
    let out = run(&["--compare", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let chrome = &v["compare"]["views"][1];
    assert_eq!(chrome["name"], "chrome-today");
    assert_eq!(chrome["leaf_status"], "revoked", "{chrome}");
    assert_eq!(chrome["missing"], serde_json::json!([]));
    // Under chrome-today the synced set decides the verdict itself.
    let out = run(&["--policy", "chrome-today", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(leaf(&v), ("revoked", "crlset"));
    assert_eq!(out.status.code(), Some(3));

    std::fs::write(dir.join("crl-set"), b"\x01").unwrap();
    let out = run(&["--compare"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("crlset/crl-set") && err.contains("revoscope crlset sync"),
        "{err}"
    );
    std::fs::remove_dir_all(&data).unwrap();
}
