//! `revoscope inspect https://...` against real TLS servers on 127.0.0.1
//! (`openssl s_server -status_file`), stapling responses a real
//! `openssl ocsp` signs at test time. The scenarios mirror Firefox's
//! xpcshell tests test_ocsp_stapling.js (good, revoked, expired staples,
//! none) and test_ocsp_must_staple.js (a must-staple leaf with and without
//! a staple).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;

mod support;

use support::fixture_path as fixture;
use support::programs::{free_port, leaf_decision, revoscope, revoscope_json, Scratch};
use support::tls_server::{staple, TlsServer};

/// `inspect URL --json --no-fetch` with the test snapshot, under the plan's
/// ladder (the default, inspector, would ask the leaf's CRL before OCSP).
fn inspect(url: &str, extra: &[&str]) -> (Value, i32) {
    let onecrl = fixture("pki/onecrl-test.json");
    let args = [
        "inspect",
        url,
        "--onecrl",
        &onecrl,
        "--policy",
        "mozilla-plan",
        "--json",
        "--no-fetch",
    ];
    revoscope_json(args.iter().chain(extra))
}

/// The leaf's trace entry for `step`.
fn step<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["certificates"][0]["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["step"] == name)
        .unwrap_or_else(|| panic!("no {name} step: {v}"))
}

#[test]
fn good_and_revoked_staples_decide() {
    let dir = Scratch::new("cli-tls-decide");
    let good = TlsServer::start("leaf-90d", Some(&staple(&dir, "leaf-90d", "good.idx", "1")));
    let (v, code) = inspect(&good.url, &[]);
    assert_eq!(
        (leaf_decision(&v), code),
        (("good", "stapled-ocsp"), 0),
        "{v}"
    );
    assert_eq!(v["connection"]["stapled"], true);
    assert_eq!(
        v["connection"]["trusted"], false,
        "a test root is not in Mozilla's store"
    );
    assert_eq!(
        v["certificates"].as_array().unwrap().len(),
        2,
        "leaf and intermediate, as served"
    );

    let revoked = TlsServer::start(
        "leaf-90d",
        Some(&staple(&dir, "leaf-90d", "revoked.idx", "1")),
    );
    let (v, code) = inspect(&revoked.url, &[]);
    assert_eq!(
        (leaf_decision(&v), code),
        (("revoked", "stapled-ocsp"), 3),
        "{v}"
    );
    assert_eq!(v["outcome"], "block");
}

/// test_ocsp_stapling.js: an expired staple is no answer; Firefox goes on
/// to live OCSP, and so do we (pending here, as --no-fetch asks).
#[test]
fn an_expired_staple_defers_to_live_ocsp() {
    let dir = Scratch::new("cli-tls-expired");
    let server = TlsServer::start("leaf-90d", Some(&staple(&dir, "leaf-90d", "good.idx", "1")));
    // Three days on, the one-day response is past its nextUpdate and the day of slop.
    let later = revoscope::UnixTime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3 * 86_400,
    );
    let (v, _) = inspect(&server.url, &["--at", &later.to_string()]);
    assert_eq!(leaf_decision(&v), ("pending", "live-ocsp"), "{v}");
    assert_eq!(step(&v, "stapled-ocsp")["outcome"], "deferred", "{v}");
}

#[test]
fn no_staple_leaves_it_to_live_ocsp() {
    let server = TlsServer::start("leaf-90d", None);
    let (v, _) = inspect(&server.url, &[]);
    assert_eq!(v["connection"]["stapled"], false);
    assert_eq!(leaf_decision(&v), ("pending", "live-ocsp"), "{v}");
}

/// test_ocsp_must_staple.js: a must-staple leaf without a staple fails;
/// with a good one it passes.
#[test]
fn must_staple_needs_the_staple() {
    let dir = Scratch::new("cli-tls-must-staple");
    let bare = TlsServer::start("leaf-must-staple", None);
    let (v, code) = inspect(&bare.url, &[]);
    assert_eq!(
        (leaf_decision(&v), code),
        (("error", "must-staple"), 3),
        "{v}"
    );

    let stapled = TlsServer::start(
        "leaf-must-staple",
        Some(&staple(&dir, "leaf-must-staple", "good.idx", "1")),
    );
    let (v, code) = inspect(&stapled.url, &[]);
    assert_eq!(
        (leaf_decision(&v), code),
        (("good", "stapled-ocsp"), 0),
        "{v}"
    );
}

#[test]
fn no_tls_server_is_a_clear_error() {
    let url = format!("https://127.0.0.1:{}", free_port());
    let out = revoscope(["inspect", &url, "--no-fetch"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("revoscope: TLS connection to 127.0.0.1:"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}
