//! `revoscope inspect` of a certificate given without its issuer: a root
//! alone, a leaf completed from its AIA caIssuers URL (RFC 5280 section
//! 4.2.2.1) served on 127.0.0.1 as DER or as PKCS#7 (made by `openssl
//! crl2pkcs7`), and what leaves the chain incomplete: no fetching, a wrong
//! certificate, an oversize body, a server that never answers. Incomplete
//! input is never a block.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

use support::fixture_path as fixture;
use support::pki;
use support::programs::{leaf_decision, revoscope_json, Scratch};

const AT: &str = "2026-11-21T12:00:00Z";

/// A server that answers every request with `head` and `body` after `delay`.
fn server(status: &'static str, body: Vec<u8>, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/int-good.cer", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            std::thread::sleep(delay);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/pkix-cert\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    url
}

fn der_of(pem_file: &str) -> Vec<u8> {
    let pem = std::fs::read(fixture(pem_file)).unwrap();
    revoscope::pem::read_certificates(&pem).unwrap().remove(0)
}

/// A leaf of the test intermediate, naming `ca_issuers` and no OCSP
/// responder (so that a completed chain needs nothing more), written alone
/// to a PEM file in `dir`.
fn lone_leaf(dir: &Scratch, ca_issuers: &str) -> String {
    let int_name = "CN=revoscope Test Intermediate,O=revoscope test PKI";
    let mut spec = pki::Spec::new(
        "CN=alone.revoscope.test",
        &int_name.parse().unwrap(),
        0x2201,
    );
    spec.ocsp_url = None;
    spec.ca_issuers_url = Some(ca_issuers.to_owned());
    let der = pki::issue(&spec, &pki::key("alone"), &pki::key("int-good"));
    let path = dir.join("alone.pem");
    std::fs::write(&path, pki::pem(&der)).unwrap();
    path.display().to_string()
}

fn inspect(chain: &str, extra: &[&str]) -> (Value, i32) {
    let onecrl = fixture("pki/onecrl-test.json");
    let mut args = vec![
        "inspect", "--chain", chain, "--onecrl", &onecrl, "--at", AT, "--json",
    ];
    args.extend(extra);
    revoscope_json(args)
}

fn issuer_trace(v: &Value) -> &Value {
    v["certificates"][0]["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["step"] == "issuer")
        .unwrap_or_else(|| panic!("no issuer step: {v}"))
}

#[test]
fn a_leaf_alone_with_no_fetch_is_incomplete_not_blocked() {
    // Was `block` with hard_fail_would_block true ("the issuer certificate is
    // not in the chain"): incomplete input is not a revoked certificate.
    let leaf = fixture("pki/leaf-90d.pem");
    let (v, code) = inspect(&leaf, &["--no-fetch", "--policy", "hard-fail"]);
    assert_eq!(leaf_decision(&v), ("pending", "issuer"));
    assert_eq!(
        v["certificates"][0]["issuer_fetch"]["url"],
        "http://127.0.0.1:8889/int-good.der"
    );
    assert_eq!((v["outcome"].as_str(), code), (Some("incomplete"), 0));
    assert!(v["hard_fail_would_block"].is_null(), "{v}");
}

#[test]
fn a_self_signed_root_alone_is_a_root() {
    let (v, code) = inspect(&fixture("pki/root.pem"), &[]);
    let root = &v["certificates"][0];
    assert_eq!(root["role"], "root");
    assert_eq!(leaf_decision(&v), ("good", "onecrl"));
    assert_eq!((v["outcome"].as_str(), code), (Some("accept"), 0));
    assert_eq!(v["hard_fail_would_block"], false);
}

#[test]
fn the_issuer_is_fetched_as_der_or_pkcs7() {
    let dir = Scratch::new("issuer-fetch");
    let int_der = der_of("pki/int-good.pem");
    // PKCS#7 certs-only as CAs serve it (.p7c), made by OpenSSL.
    let p7c = dir.join("int-good.p7c");
    let made = Command::new("openssl")
        .args(["crl2pkcs7", "-nocrl", "-outform", "DER", "-certfile"])
        .arg(fixture("pki/int-good.pem"))
        .arg("-out")
        .arg(&p7c)
        .status()
        .expect("run openssl");
    assert!(made.success());
    let p7c = std::fs::read(&p7c).unwrap();
    for (body, format) in [(int_der, "DER"), (p7c, "PKCS#7")] {
        let url = server("200 OK", body, Duration::ZERO);
        let leaf = lone_leaf(&dir, &url);
        let (v, code) = inspect(&leaf, &[]);
        assert_eq!(v["certificates"].as_array().unwrap().len(), 2, "{v}");
        assert_eq!(
            v["certificates"][1]["subject"],
            "CN=revoscope Test Intermediate,O=revoscope test PKI"
        );
        let fetched = issuer_trace(&v);
        assert_eq!(fetched["outcome"], "fetched");
        let detail = fetched["detail"].as_str().unwrap();
        assert!(detail.contains(format) && detail.contains(&url), "{detail}");
        // Completed, the leaf goes down the ladder: it names no responder.
        assert_eq!(leaf_decision(&v), ("not-checked", "no-revocation-info"));
        assert_eq!((v["outcome"].as_str(), code), (Some("accept"), 0));
    }
}

#[test]
fn a_wrong_oversize_or_silent_answer_leaves_the_chain_incomplete() {
    let dir = Scratch::new("issuer-fail");
    let cases = [
        (
            server("200 OK", der_of("pki/root.pem"), Duration::ZERO),
            "not-the-issuer",
            "is not the certificate's issuer CN=revoscope Test Intermediate",
        ),
        (
            server("200 OK", vec![0x30; 70_000], Duration::ZERO),
            "oversize-body",
            "over the 65536-byte limit",
        ),
        (
            server("404 Not Found", Vec::new(), Duration::ZERO),
            "http-status",
            "HTTP 404",
        ),
        (
            server("200 OK", Vec::new(), Duration::from_secs(30)),
            "timeout",
            "no answer in time",
        ),
    ];
    for (url, code_word, words) in cases {
        let leaf = lone_leaf(&dir, &url);
        let started = Instant::now();
        let (v, code) = inspect(&leaf, &["--timeout-ms", "500", "--policy", "hard-fail"]);
        assert!(started.elapsed() < Duration::from_secs(10), "bounded");
        assert_eq!(leaf_decision(&v), ("incomplete", "issuer"), "{v}");
        let reason = v["certificates"][0]["reason"].as_str().unwrap();
        assert!(reason.contains(&format!("({code_word})")), "{reason}");
        assert!(reason.contains(words), "{reason}");
        assert_eq!((v["outcome"].as_str(), code), (Some("incomplete"), 0));
        assert!(v["hard_fail_would_block"].is_null());
    }
}
