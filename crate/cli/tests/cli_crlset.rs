//! `revoscope crlset sync|query|dump`: the sync against a stand-in update
//! server on 127.0.0.1 (a thread here) serving the update check's XML and
//! the CRX3 packages of fixtures/crx3 (made by the npm crx3 writer, see
//! its README), then queries and dumps of Chromium's test sets
//! (fixtures/crlset).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

#[allow(unused_imports)]
mod support;

use support::programs::{request_urls, revoscope, revoscope_json, Scratch};

/// The test key's pin and id (fixtures/crx3/README.md).
const TEST_PIN: &str = "20f17420c464b4523c37d004d54c94cc10ae78aa9c83e02347401021d2d1e817";
const TEST_ID: &str = "capbhecamegelefcdmdhnaaenfemjemm";
const CHROME_ID: &str = "hfnkpimlhhgieaddgfemjhofmfblmnib";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(path)).unwrap()
}

/// Each path's answer: a status and a body.
type Routes = Arc<Mutex<HashMap<String, (u16, Vec<u8>)>>>;

/// Answers GETs by path (the query ignored): a status and a body. The
/// routes can change between requests.
struct Stand {
    base: String,
    routes: Routes,
}

impl Stand {
    fn start() -> Stand {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Routes = Arc::default();
        let served = Arc::clone(&routes);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line
                    .split(' ')
                    .nth(1)
                    .unwrap_or("")
                    .split('?')
                    .next()
                    .unwrap_or("");
                // The rest of the head.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let (status, body) = served
                    .lock()
                    .unwrap()
                    .get(path)
                    .cloned()
                    .unwrap_or((404, b"not here".to_vec()));
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        Stand { base, routes }
    }

    fn route(&self, path: &str, status: u16, body: Vec<u8>) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.into(), (status, body));
    }

    /// The update check offers the package `fixtures/crx3/<crx>`, under
    /// the test id and Chrome's alike.
    fn offer(&self, crx: &str) {
        let app = |id: &str| {
            format!(
                r#"<app appid="{id}" status="ok"><updatecheck codebase="{}/crx/{crx}" hash="" size="0" status="ok" version="7"/></app>"#,
                self.base
            )
        };
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><gupdate xmlns="http://www.google.com/update2/response" protocol="2.0" server="prod"><daystart elapsed_seconds="1"/>{}{}</gupdate>"#,
            app(TEST_ID),
            app(CHROME_ID)
        );
        self.route("/service/update2/crx", 200, xml.into_bytes());
        self.route(&format!("/crx/{crx}"), 200, fixture(&format!("crx3/{crx}")));
    }

    fn server(&self) -> String {
        format!("{}/service/update2/crx", self.base)
    }
}

fn sync(stand: &Stand, dir: &Path, pin: Option<&str>) -> (Value, i32) {
    let mut args = vec![
        "crlset".to_owned(),
        "sync".into(),
        "--from".into(),
        stand.server(),
        "--dir".into(),
        dir.to_string_lossy().into_owned(),
        "--timeout".into(),
        "20".into(),
        "--json".into(),
    ];
    if let Some(pin) = pin {
        args.extend(["--key-sha256".into(), pin.into()]);
    }
    revoscope_json(args)
}

fn kept(dir: &Path) -> Option<Vec<u8>> {
    std::fs::read(dir.join("crl-set")).ok()
}

#[test]
fn sync_installs_updates_and_refuses_a_rollback() {
    let stand = Stand::start();
    let dir = Scratch::new("crlset-sync");
    let seq1 = fixture("crlset/crlset_by_root_serial.raw");
    let seq2 = fixture("crlset/crlset_by_root_subject_no_spki.raw");

    stand.offer("crlset-seq1.crx3");
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!((code, v["status"].as_str()), (0, Some("updated")), "{v}");
    assert_eq!(v["sequence"], 1);
    assert_eq!(v["version"], "7");
    assert_eq!(v["component_id"], TEST_ID);
    assert_eq!(
        request_urls(&v),
        [
            format!(
                "{}?x=id%3D{TEST_ID}%26v%3D%26uc%26acceptformat%3Dcrx3",
                stand.server()
            ),
            format!("{}/crx/crlset-seq1.crx3", stand.base),
        ]
    );
    assert_eq!(kept(&dir), Some(seq1.clone()));
    let meta: Value =
        serde_json::from_slice(&std::fs::read(dir.join("crl-set.json")).unwrap()).unwrap();
    assert_eq!(meta["sequence"], 1);
    assert_eq!(
        meta["source"],
        format!("{}/crx/crlset-seq1.crx3", stand.base)
    );

    // The same Sequence again: up to date, nothing written.
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!((code, v["status"].as_str()), (0, Some("up-to-date")), "{v}");
    assert_eq!(v["written"], Value::Null);

    stand.offer("crlset-seq2.crx3");
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!((code, v["sequence"].as_u64()), (0, Some(2)), "{v}");
    assert_eq!(kept(&dir), Some(seq2.clone()));

    // Back to Sequence 1: a rollback, refused; the kept set stays.
    stand.offer("crlset-seq1.crx3");
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("rollback")),
        "{v}"
    );
    assert_eq!(v["sequence"], 2);
    assert_eq!(kept(&dir), Some(seq2.clone()));
    let out = revoscope([
        "crlset",
        "sync",
        "--from",
        &stand.server(),
        "--dir",
        &dir.to_string_lossy(),
        "--key-sha256",
        TEST_PIN,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "crlset sync failed (rollback): the server offers Sequence 1, below the kept set's 2"
        ),
        "{stderr}"
    );

    // A kept set that does not read is replaced whatever the Sequence.
    std::fs::write(dir.join("crl-set"), b"damaged").unwrap();
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!((code, v["sequence"].as_u64()), (0, Some(1)), "{v}");
    assert_eq!(kept(&dir), Some(seq1));
}

#[test]
fn refused_packages_and_failed_fetches_leave_the_kept_set_alone() {
    let stand = Stand::start();
    let dir = Scratch::new("crlset-refused");
    stand.offer("crlset-seq1.crx3");
    assert_eq!(sync(&stand, &dir, Some(TEST_PIN)).1, 0);
    let before = kept(&dir).unwrap();

    let cases: &[(&str, Option<&str>, &str)] = &[
        ("archive-flipped.crx3", Some(TEST_PIN), "bad-signature"),
        ("no-proof.crx3", Some(TEST_PIN), "no-proofs"),
        ("other-key.crx3", Some(TEST_PIN), "wrong-id"),
        ("truncated.crx3", Some(TEST_PIN), "truncated-header"),
        ("not-a-crx.crx3", Some(TEST_PIN), "not-crx"),
        ("no-crl-set.crx3", Some(TEST_PIN), "file-missing"),
        // Chrome's own pin and id: the test package is not Chrome's.
        ("crlset-seq2.crx3", None, "wrong-id"),
    ];
    for (crx, pin, error) in cases {
        stand.offer(crx);
        let (v, code) = sync(&stand, &dir, *pin);
        assert_eq!(
            (code, v["error"]["code"].as_str()),
            (1, Some(*error)),
            "{crx}: {v}"
        );
        assert_eq!(v["written"], Value::Null);
        assert_eq!(kept(&dir).as_deref(), Some(before.as_slice()), "{crx}");
    }

    // The update check fails, then the package's download.
    stand.route("/service/update2/crx", 500, b"down".to_vec());
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("http-status")),
        "{v}"
    );
    stand.offer("crlset-seq2.crx3");
    stand.route("/crx/crlset-seq2.crx3", 404, Vec::new());
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("http-status")),
        "{v}"
    );
    assert_eq!(v["requests"][1]["status"], 404);
    // A reply that is not the update protocol's.
    stand.route("/service/update2/crx", 200, b"<html>hello</html>".to_vec());
    let (v, code) = sync(&stand, &dir, Some(TEST_PIN));
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (1, Some("bad-update-reply")),
        "{v}"
    );
    assert_eq!(kept(&dir), Some(before));
    assert!(!dir.join("crl-set.tmp").exists());
}

fn query(dir: &Path, set: &str, cert: &str, issuer: Option<&str>) -> (Value, i32) {
    std::fs::write(dir.join("crl-set"), fixture(&format!("crlset/{set}"))).unwrap();
    let cert = fixtures().join("crlset/chromium").join(cert);
    let mut args = vec![
        "crlset".to_owned(),
        "query".into(),
        "--cert".into(),
        cert.to_string_lossy().into_owned(),
        "--dir".into(),
        dir.to_string_lossy().into_owned(),
        "--json".into(),
    ];
    if let Some(issuer) = issuer {
        let issuer = fixtures().join("crlset/chromium").join(issuer);
        args.extend(["--issuer".into(), issuer.to_string_lossy().into_owned()]);
    }
    revoscope_json(args)
}

#[test]
fn query_says_why_a_certificate_is_blocked_or_not() {
    let dir = Scratch::new("crlset-query");
    let root = Some("root_ca_cert.pem");
    let (v, code) = query(&dir, "crlset_by_root_serial.raw", "ok_cert.pem", root);
    assert_eq!((code, v["result"].as_str()), (3, Some("revoked")), "{v}");
    assert_eq!(v["certs"][0]["status"], "revoked");
    assert_eq!(v["certs"][0]["by"], "serial");

    let (v, code) = query(&dir, "crlset_by_leaf_spki.raw", "ok_cert.pem", None);
    assert_eq!(
        (code, v["certs"][0]["by"].as_str()),
        (3, Some("blocked-spki")),
        "{v}"
    );

    // The set covers another parent: the root is not covered.
    let (v, code) = query(
        &dir,
        "crlset_by_intermediate_serial.raw",
        "ok_cert.pem",
        root,
    );
    assert_eq!((code, v["result"].as_str()), (0, Some("unknown")), "{v}");
    assert_eq!(v["certs"][0]["why"], "issuer-not-covered");

    // Covered, not listed.
    let (v, code) = query(&dir, "unittest-gia.raw", "ok_cert.pem", root);
    assert_eq!(code, 0, "{v}");
    // Expired: unknown, whatever the set lists.
    let (v, code) = query(&dir, "unittest-expired.raw", "ok_cert.pem", root);
    assert_eq!((code, v["expired"].as_bool()), (0, Some(true)), "{v}");
    assert_eq!(v["result"], "unknown");

    let text = query_text(&dir, "unittest-expired.raw");
    assert_eq!(text.0, Some(0));
    assert!(
        text.1
            .contains("answer:      unknown: the set is past its NotAfter (expired)"),
        "{}",
        text.1
    );
    let text = query_text(&dir, "crlset_by_root_serial.raw");
    assert_eq!(text.0, Some(3));
    assert!(
        text.1
            .contains("answer:      revoked: its serial is listed under its issuer's SPKI"),
        "{}",
        text.1
    );
}

/// `crlset query` of ok_cert under the root, without `--json`: the exit
/// status and the text.
fn query_text(dir: &Path, set: &str) -> (Option<i32>, String) {
    std::fs::write(dir.join("crl-set"), fixture(&format!("crlset/{set}"))).unwrap();
    let chromium = fixtures().join("crlset/chromium");
    let out = revoscope([
        "crlset".as_ref(),
        "query".as_ref(),
        "--cert".as_ref(),
        chromium.join("ok_cert.pem").as_os_str(),
        "--issuer".as_ref(),
        chromium.join("root_ca_cert.pem").as_os_str(),
        "--dir".as_ref(),
        dir.as_os_str(),
    ] as [&std::ffi::OsStr; 8]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn dump_shows_what_a_set_holds() {
    let file = fixtures().join("crlset/unittest-gia.raw");
    let (v, code) = revoscope_json([
        "crlset",
        "dump",
        "--file",
        &file.to_string_lossy(),
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["sequence"], 0);
    assert_eq!(v["parents"], 1);
    assert_eq!(v["serials"], 13);
    assert_eq!(v["parent_serials"][0]["serials"], 13);
    assert!(v["parent_serials"][0]["spki_sha256"]
        .as_str()
        .unwrap()
        .starts_with("b6b95432"));

    let file = fixtures().join("crlset/unittest-blocked-spki.raw");
    let (v, _) = revoscope_json([
        "crlset",
        "dump",
        "--file",
        &file.to_string_lossy(),
        "--json",
    ]);
    assert_eq!(
        v["blocked_spki_sha256"][0],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );

    let empty = Scratch::new("crlset-dump");
    let out = revoscope(["crlset", "dump", "--dir", &empty.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run revoscope crlset sync first"));
}
