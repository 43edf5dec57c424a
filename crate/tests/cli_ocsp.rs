//! `revoscope inspect` and `revoscope ocsp` asking a real `openssl ocsp`
//! responder on 127.0.0.1, by GET and by POST, signing as the issuer or as a
//! delegated responder, and failing responders: nothing listening, a server
//! that never answers, one that answers HTTP 500.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

use support::fixture_path as fixture;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real responder: `openssl ocsp` signing with the test intermediate.
struct Responder {
    child: Child,
    url: String,
}

impl Responder {
    /// A responder that signs as the issuer itself.
    fn start(index: &str) -> Responder {
        Responder::signed_by(index, "pki/int-good.pem", "pki/int-good.key.pem")
    }

    /// A responder that signs with `signer` (a delegated responder certificate).
    fn signed_by(index: &str, signer: &str, key: &str) -> Responder {
        let port = free_port();
        let mut child = Command::new("openssl")
            .args([
                "ocsp",
                "-index",
                &fixture(&format!("ocsp/{index}")),
                "-port",
                &port.to_string(),
            ])
            .args([
                "-CA",
                &fixture("pki/int-good.pem"),
                "-rsigner",
                &fixture(signer),
            ])
            .args(["-rkey", &fixture(key), "-ndays", "1", "-ignore_err"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl is installed (npm test's setup installs it)");
        // Wait for its "waiting for OCSP client connections" line. (A probe
        // connection would not do: the responder serves one connection at a
        // time and sits on an idle one.)
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.contains("waiting for OCSP client connections") {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "openssl ocsp did not start"
            );
        }
        // Keep draining its log so it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Responder {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        }
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Inspects a test chain at the current time (the responder signs with it).
fn inspect(chain: &str, responder: &str, extra: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_revoscope"))
        .args([
            "inspect",
            "--chain",
            &fixture(&format!("pki/chains/{chain}.pem")),
        ])
        .args([
            "--onecrl",
            &fixture("pki/onecrl-test.json"),
            "--responder",
            responder,
            "--json",
        ])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code().unwrap())
}

fn leaf(v: &Value) -> (&str, &str) {
    let c = &v["certificates"][0];
    (
        c["status"].as_str().unwrap(),
        c["decided_by"].as_str().unwrap(),
    )
}

#[test]
fn good_and_revoked_from_a_real_responder_by_get_and_post() {
    let good = Responder::start("good.idx");
    for method in ["get", "post", "auto"] {
        let (v, code) = inspect("leaf-90d", &good.url, &["--method", method]);
        assert_eq!(leaf(&v), ("good", "live-ocsp"), "{method}: {v}");
        assert_eq!(code, 0);
        assert!(v["certificates"][0]["elapsed_ms"].is_u64());
        assert_eq!(
            v["certificates"][0]["ocsp_response"]["signer"]["kind"],
            "issuer"
        );
    }
    drop(good);
    let revoked = Responder::start("revoked.idx");
    let (v, code) = inspect("leaf-90d", &revoked.url, &[]);
    assert_eq!(leaf(&v), ("revoked", "live-ocsp"));
    assert_eq!(
        v["certificates"][0]["ocsp_response"]["reason"],
        "keyCompromise"
    );
    assert_eq!(code, 3);
}

#[test]
fn unknown_from_a_real_responder() {
    // leaf-6d is not in the index; without the short-lived exemption the
    // ladder asks, and "unknown" blocks (Firefox: ERROR_OCSP_UNKNOWN_CERT).
    let responder = Responder::start("good.idx");
    let policy = std::env::temp_dir().join(format!(
        "revoscope-no-exemption-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &policy,
        r#"{"base": "mozilla-plan", "short_lived_threshold_days": 0}"#,
    )
    .unwrap();
    let (v, code) = inspect(
        "leaf-6d",
        &responder.url,
        &["--policy", policy.to_str().unwrap()],
    );
    let _ = std::fs::remove_file(&policy);
    assert_eq!(leaf(&v), ("unknown", "live-ocsp"), "{v}");
    assert_eq!(code, 3);
}

#[test]
fn nothing_listening_is_offline_soft_or_hard() {
    let url = format!("http://127.0.0.1:{}/", free_port());
    let (v, code) = inspect("leaf-90d", &url, &[]);
    assert_eq!(leaf(&v), ("offline", "live-ocsp"));
    assert_eq!(v["certificates"][0]["offline"]["class"], "refused");
    assert_eq!((v["outcome"].as_str(), code), (Some("soft-fail-accept"), 0));
    let (v, code) = inspect("leaf-90d", &url, &["--policy", "hard-fail"]);
    assert_eq!((v["outcome"].as_str(), code), (Some("block"), 3));
}

/// A server that accepts and then answers with `reply` after `delay`.
fn misbehaving_server(reply: &'static [u8], delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            std::thread::sleep(delay);
            let _ = stream.write_all(reply);
        }
    });
    url
}

#[test]
fn a_hanging_responder_times_out_and_http_errors_are_offline() {
    let hang = misbehaving_server(b"", Duration::from_secs(30));
    let started = Instant::now();
    let (v, _) = inspect("leaf-90d", &hang, &["--timeout-ms", "300"]);
    assert_eq!(v["certificates"][0]["offline"]["class"], "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the timeout bounds the wait"
    );

    let error = misbehaving_server(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
        Duration::ZERO,
    );
    let (v, _) = inspect("leaf-90d", &error, &[]);
    assert_eq!(v["certificates"][0]["offline"]["class"], "http-status");
    assert_eq!(v["certificates"][0]["offline"]["status"], 500);

    let closes = misbehaving_server(b"", Duration::ZERO);
    let (v, _) = inspect("leaf-90d", &closes, &[]);
    assert_eq!(leaf(&v), ("offline", "live-ocsp"));
}

/// `revoscope ocsp` against `url`, for `cert` under int-good.
fn query(cert: &str, url: &str, extra: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_revoscope"))
        .args(["ocsp", "--cert", &fixture(&format!("pki/{cert}.pem"))])
        .args([
            "--issuer",
            &fixture("pki/int-good.pem"),
            "--url",
            url,
            "--json",
        ])
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code().unwrap())
}

#[test]
fn ocsp_command_reports_the_answer_and_how_it_came() {
    let good = Responder::start("good.idx");
    let (v, code) = query("leaf-90d", &good.url, &[]);
    assert_eq!((v["result"].as_str(), code), (Some("good"), 0), "{v}");
    assert_eq!(v["method"], "GET");
    assert_eq!(v["http_status"], 200);
    assert_eq!(v["cert_id_hash"], "sha1");
    assert_eq!(v["response"]["signer"]["kind"], "issuer");
    assert_eq!(v["response"]["signature_algorithm"]["scheme"], "ecdsa");
    assert!(v["response_bytes"].as_u64().unwrap() > 100);
    assert!(v["request_bytes"].as_u64().unwrap() < 100);

    // Not in the index: the responder says unknown, which is not offline.
    let (v, code) = query("leaf-10d", &good.url, &["--method", "post"]);
    assert_eq!((v["result"].as_str(), code), (Some("unknown"), 0), "{v}");
    assert_eq!(v["method"], "POST");

    let revoked = Responder::start("revoked.idx");
    let (v, code) = query("leaf-90d", &revoked.url, &[]);
    assert_eq!((v["result"].as_str(), code), (Some("revoked"), 3), "{v}");
    assert_eq!(v["response"]["reason"], "keyCompromise");
}

#[test]
fn ocsp_command_sha256_cert_id_and_nonce() {
    let good = Responder::start("good.idx");
    let (v, _) = query("leaf-90d", &good.url, &["--hash", "sha256", "--nonce"]);
    assert_eq!(v["result"], "good", "{v}");
    assert_eq!(v["cert_id_hash"], "sha256");
    assert_eq!(
        v["response"]["cert_id_hash"], "sha256",
        "the responder answered the SHA-256 CertID"
    );
    // openssl ocsp copies the request's nonce into its response.
    assert_eq!(v["nonce"], "echoed", "{v}");
    assert_eq!(v["nonce_sent"].as_str().unwrap().len(), 32);
    assert_eq!(v["response"]["nonce"], v["nonce_sent"]);
}

/// Delegated responders served live (RFC 6960 section 4.2.2.2): the
/// responder certificate travels in the response and is checked like a
/// stapled one; without the OCSPSigning EKU the answer is not usable.
#[test]
fn delegated_responders_answer_live() {
    for (signer, scheme) in [("rsa", "rsa-pkcs1"), ("p384", "ecdsa")] {
        let responder = Responder::signed_by(
            "good.idx",
            &format!("ocsp/responder-{signer}.pem"),
            &format!("ocsp/responder-{signer}.key.pem"),
        );
        let (v, _) = query("leaf-90d", &responder.url, &[]);
        assert_eq!(v["result"], "good", "{v}");
        assert_eq!(v["response"]["signer"]["kind"], "delegated");
        assert_eq!(v["response"]["signature_algorithm"]["scheme"], scheme);
    }
    let no_eku = Responder::signed_by(
        "good.idx",
        "ocsp/responder-no-eku.pem",
        "ocsp/responder-no-eku.key.pem",
    );
    let (v, code) = query("leaf-90d", &no_eku.url, &[]);
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 0), "{v}");
    assert_eq!(v["offline"]["code"], "invalid-signer", "{v}");
}

#[test]
fn ocsp_command_without_a_responder_is_offline_not_good() {
    let url = format!("http://127.0.0.1:{}/", free_port());
    let (v, code) = query("leaf-90d", &url, &["--timeout-ms", "2000"]);
    assert_eq!((v["result"].as_str(), code), (Some("offline"), 0), "{v}");
    assert_eq!(v["offline"]["class"], "refused");
    assert!(v.get("response").is_none());
}
