//! `revoscope crl` and `inspect --crl`, run as the built binary on the CRL
//! fixtures (fixtures/crl, made by Python's cryptography; judged at
//! 2026-06-02T00:00:00Z), from files and from HTTP servers on 127.0.0.1:
//! one that serves the list, one that answers 404, one that never answers.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

use support::fixture_path as fixture;
use support::programs::{leaf_decision, revoscope, revoscope_json, Scratch};

/// The fixtures' evaluation time (fixtures/crl/README.md).
const AT: &str = "2026-06-02T00:00:00Z";

/// `revoscope crl --json` for a fixture leaf under int-good, at [`AT`].
fn crl(leaf: &str, extra: &[&str]) -> (Value, i32) {
    let cert = fixture(&format!("crl/chains/{leaf}.pem"));
    let issuer = fixture("pki/int-good.pem");
    let args = [
        "crl", "--cert", &cert, "--issuer", &issuer, "--at", AT, "--json",
    ];
    revoscope_json(args.iter().chain(extra))
}

/// `crl` with `--crl fixtures/crl/<name>`.
fn crl_file(leaf: &str, name: &str) -> (Value, i32) {
    crl(leaf, &["--crl", &fixture(&format!("crl/{name}"))])
}

/// `revoscope inspect --json` of a fixture chain under the inspector
/// preset (which takes the CRL rung), at [`AT`].
fn inspect(chain: &str, extra: &[&str]) -> (Value, i32) {
    let chain = fixture(&format!("crl/chains/{chain}.pem"));
    let args = [
        "inspect",
        "--chain",
        &chain,
        "--policy",
        "inspector",
        "--at",
        AT,
        "--json",
    ];
    revoscope_json(args.iter().chain(extra))
}

/// A server on 127.0.0.1 that answers GET `path` with `body` and any other
/// path with a 404, then closes; its base URL (`http://127.0.0.1:PORT`).
fn serve(path: &'static str, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&head);
            let asked = head.split(' ').nth(1).unwrap_or_default();
            let (status, body) = if asked == path {
                ("200 OK", &body[..])
            } else {
                ("404 Not Found", &b"no such list"[..])
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    base
}

fn fixture_bytes(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).unwrap()
}

#[test]
fn a_good_list_from_a_file() {
    let (v, code) = crl_file("leaf-crl-good", "int-good-1.crl");
    assert_eq!((v["result"].as_str(), code), (Some("good"), 0), "{v}");
    assert_eq!(v["file"], fixture("crl/int-good-1.crl"));
    assert_eq!(v["bytes"], fixture_bytes("crl/int-good-1.crl").len());
    let list = &v["list"];
    assert_eq!(
        list["issuer"],
        "CN=revoscope Test Intermediate,O=revoscope test PKI"
    );
    assert_eq!(list["signature_algorithm"], "ECDSA with SHA-256");
    assert_eq!(list["this_update"], "2026-06-01T00:00:00Z");
    assert_eq!(list["next_update"], "2026-06-08T00:00:00Z");
    assert_eq!(list["crl_number"], "01");
    assert_eq!(list["entries"], 6);
    assert_eq!(
        list["scope_urls"],
        serde_json::json!(["http://127.0.0.1:8890/crl/int-good-1.crl"])
    );
    assert_eq!(
        (&list["only_user_certs"], &list["only_ca_certs"]),
        (&Value::from(true), &Value::from(false))
    );
    assert_eq!(list["covers_certificate"], true);
    assert_eq!(v["certificate"]["serial_hex"], "1001");
    assert!(v.get("entry").is_none() && v.get("error").is_none(), "{v}");
}

#[test]
fn a_revoked_entry_from_a_file() {
    let (v, code) = crl_file("leaf-crl-revoked", "int-good-1.crl");
    assert_eq!((v["result"].as_str(), code), (Some("revoked"), 3), "{v}");
    let entry = &v["entry"];
    assert_eq!(entry["reason"], "keyCompromise");
    assert_eq!(entry["revocation_date"], "2026-05-21T00:00:00Z");
    assert_eq!(entry["invalidity_date"], "2026-05-20T00:00:00Z");
    assert_eq!(entry["on_hold"], false);

    // certificateHold is revoked for now (exit 3), and says it is on hold.
    let (v, code) = crl_file("leaf-crl-hold", "int-good-1.crl");
    assert_eq!((v["result"].as_str(), code), (Some("revoked"), 3), "{v}");
    assert_eq!(
        (&v["entry"]["reason"], &v["entry"]["on_hold"]),
        (&Value::from("certificateHold"), &Value::from(true))
    );
}

#[test]
fn unusable_lists_exit_4_with_their_code() {
    // Stale: the list still reads, and still covers the certificate.
    let (v, code) = crl_file("leaf-crl-good", "expired.crl");
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 4), "{v}");
    assert_eq!(v["error"]["code"], "stale");
    assert!(v["error"]["detail"]
        .as_str()
        .unwrap()
        .contains("2026-05-08T00:00:00Z"));
    assert_eq!(v["list"]["next_update"], "2026-05-08T00:00:00Z");
    assert_eq!(v["list"]["covers_certificate"], true);

    // Signed with another key: no list to show.
    let (v, code) = crl_file("leaf-crl-revoked", "forged.crl");
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 4), "{v}");
    assert_eq!(v["error"]["code"], "bad-signature");
    assert!(v.get("list").is_none() && v.get("entry").is_none(), "{v}");

    // The shard-1 list does not cover a shard-2 certificate.
    let (v, code) = crl_file("leaf-crl-shard2", "int-good-1.crl");
    assert_eq!(
        (v["error"]["code"].as_str(), code),
        (Some("scope-mismatch"), 4)
    );
    assert_eq!(v["list"]["covers_certificate"], false);
}

#[test]
fn files_that_cannot_be_used_as_input_exit_1() {
    let cert = fixture("crl/chains/leaf-crl-good.pem");
    let issuer = fixture("pki/int-good.pem");
    let run = |extra: &[&str]| {
        let mut args = vec!["crl", "--cert", &cert, "--issuer", &issuer, "--at", AT];
        args.extend(extra);
        let out = revoscope(args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.stdout.is_empty(),
        )
    };
    let missing = fixture("crl/no-such.crl");
    let (code, stderr, quiet) = run(&["--crl", &missing]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("revoscope: cannot read --crl") && quiet,
        "{stderr}"
    );

    let dir = Scratch::new("crl-pem");
    let pem = dir.join("list.pem");
    std::fs::write(
        &pem,
        "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n",
    )
    .unwrap();
    let (code, stderr, _) = run(&["--crl", pem.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("openssl crl"), "{stderr}");

    // A certificate that names no CRL, and neither --crl nor --url.
    let out = revoscope([
        "crl",
        "--cert",
        &fixture("pki/leaf-10d.pem"),
        "--issuer",
        &issuer,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names no CRL distribution point"));
}

#[test]
fn a_list_fetched_over_http() {
    let base = serve("/crl/int-good-1.crl", fixture_bytes("crl/int-good-1.crl"));
    let url = format!("{base}/crl/int-good-1.crl");
    let (v, code) = crl("leaf-crl-good", &["--url", &url]);
    assert_eq!((v["result"].as_str(), code), (Some("good"), 0), "{v}");
    assert_eq!(v["url"], url);
    assert_eq!(v["http_status"], 200);
    assert_eq!(v["bytes"], fixture_bytes("crl/int-good-1.crl").len());
    assert!(v["elapsed_ms"].is_u64());
    assert_eq!(v["list"]["entries"], 6);

    let (v, code) = crl("leaf-crl-revoked", &["--url", &url]);
    assert_eq!((v["result"].as_str(), code), (Some("revoked"), 3), "{v}");

    let (v, code) = crl("leaf-crl-good", &["--url", &format!("{base}/crl/gone.crl")]);
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 4), "{v}");
    assert_eq!(v["error"]["code"], "http-status");
    assert_eq!(v["http_status"], 404);
    assert!(v.get("list").is_none());
}

#[test]
fn a_server_that_never_answers_times_out() {
    // Accepted by the kernel, never read nor answered.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/crl/int-good-1.crl", silent.local_addr().unwrap());
    let started = Instant::now();
    let (v, code) = crl("leaf-crl-good", &["--url", &url, "--timeout-ms", "300"]);
    let waited = started.elapsed();
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 4), "{v}");
    assert_eq!(v["error"]["code"], "timeout");
    assert!(v.get("http_status").is_none());
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    drop(silent);
}

#[test]
fn the_readable_report_names_the_list_and_the_entry() {
    let out = revoscope([
        "crl",
        "--cert",
        &fixture("crl/chains/leaf-crl-revoked.pem"),
        "--issuer",
        &fixture("pki/int-good.pem"),
        "--crl",
        &fixture("crl/int-good-1.crl"),
        "--at",
        AT,
    ]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "list issuer:   CN=revoscope Test Intermediate,O=revoscope test PKI",
        "next update:   2026-06-08T00:00:00Z (6 days left)",
        "scope:         http://127.0.0.1:8890/crl/int-good-1.crl, end-entity certificates only; covers this certificate",
        "entry:         revoked 2026-05-21T00:00:00Z, reason keyCompromise, invalid since 2026-05-20T00:00:00Z",
        "result:        revoked",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn inspect_takes_the_leafs_crl_from_a_file() {
    let list = fixture("crl/int-good-1.crl");
    let (v, code) = inspect("leaf-crl-revoked", &["--crl", &list]);
    assert_eq!(leaf_decision(&v), ("revoked", "crl"), "{v}");
    assert_eq!((v["outcome"].as_str(), code), (Some("block"), 3));
    let report = &v["certificates"][0]["crl"];
    assert_eq!(report["url"], "http://127.0.0.1:8890/crl/int-good-1.crl");
    assert_eq!(report["answer"]["status"], "revoked");
    assert_eq!(report["answer"]["reason"], "keyCompromise");
    assert_eq!(report["list"]["entries"], 6);
    assert!(v["certificates"][0].get("crl_fetch").is_none());

    // --no-fetch changes nothing when the list is given.
    let (v, code) = inspect("leaf-crl-revoked", &["--crl", &list, "--no-fetch"]);
    assert_eq!((leaf_decision(&v), code), (("revoked", "crl"), 3));
}

#[test]
fn inspect_without_the_list_stays_pending() {
    let (v, code) = inspect("leaf-crl-revoked", &["--no-fetch"]);
    assert_eq!(leaf_decision(&v), ("pending", "crl"), "{v}");
    assert_eq!((v["outcome"].as_str(), code), (Some("incomplete"), 0));
    let leaf = &v["certificates"][0];
    assert_eq!(
        leaf["crl_fetch"]["url"],
        "http://127.0.0.1:8890/crl/int-good-1.crl"
    );
    assert!(leaf["crl"].get("answer").is_none());
}

#[test]
fn inspect_picks_among_several_files_and_says_why_none_fits() {
    // The list whose scope names the leaf's URL, whatever the order.
    let (v, code) = inspect(
        "leaf-crl-good",
        &[
            "--crl",
            &fixture("crl/forged.crl"),
            "--crl",
            &fixture("crl/int-good-2.crl"),
            "--crl",
            &fixture("crl/int-good-1.crl"),
        ],
    );
    assert_eq!(leaf_decision(&v), ("good", "crl"), "{v}");
    assert_eq!((v["outcome"].as_str(), code), (Some("accept"), 0));

    // None reads as the issuer's: the first one's failure decides.
    let (v, _) = inspect(
        "leaf-crl-good",
        &[
            "--crl",
            &fixture("crl/forged.crl"),
            "--crl",
            &fixture("crl/by-root.crl"),
        ],
    );
    assert_eq!(leaf_decision(&v), ("offline", "crl"), "{v}");
    assert_eq!(
        v["certificates"][0]["crl"]["offline"]["code"],
        "bad-signature"
    );
}

/// Without `--policy`, `inspect` runs the inspector preset: the leaf's CRL
/// decides.
#[test]
fn inspect_defaults_to_the_inspector_preset() {
    let chain = fixture("crl/chains/leaf-crl-revoked.pem");
    let crl = fixture("crl/int-good-1.crl");
    let (v, code) = revoscope_json(
        [
            "inspect", "--chain", &chain, "--crl", &crl, "--at", AT, "--json",
        ]
        .iter(),
    );
    assert_eq!(v["policy"], "inspector", "{v}");
    assert_eq!(v["certificates"][0]["decided_by"], "crl", "{v}");
    assert_eq!(code, 3);
}
