//! `revoscope crlite sync`, `crlite query` and `inspect --crlite-dir`
//! against the real Remote Settings stand-in (scripts/remote-settings/
//! server.mjs, one process per scenario) serving clubcard filters built here
//! with Mozilla's builder over leaves issued here with embedded SCTs. The
//! builder is random per run: the tests assert answers, never bytes.
#![cfg(not(target_arch = "wasm32"))]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use x509_cert::name::Name;

mod support;

use support::crlite::{
    write_filter, write_records, write_set, FilterSpec, Issuer, LogCoverage, Version, Written,
};
use support::pki::{issue, key, minimal_serial, pem, Spec, DAY};
use support::programs::{
    free_port, request_urls, revoscope, revoscope_json, Announces, Scratch, Server,
};
use support::TEST_ROOT;

const LOG: u8 = 0xA7;
const UNKNOWN_LOG: u8 = 0xEE;

/// The leaves of the tests, by serial.
const FULL_REVOKED: u64 = 0x101;
const DELTA_REVOKED: u64 = 0x102;
const GOOD: u64 = 0x103;
/// Revoked only by a delta published after the first sync.
const LATE_REVOKED: u64 = 0x104;
const UNCOVERED: u64 = 0x105;
const NO_SCTS: u64 = 0x106;
/// Under an intermediate the filters do not enrol.
const NOT_ENROLLED: u64 = 0x107;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A test PKI relative to the real clock (the CLI installs at the real
/// time): a root, the enrolled intermediate and one that is not, and the
/// leaves as chain files (leaf, intermediate).
struct Pki {
    dir: PathBuf,
    now: u64,
    int_der: Vec<u8>,
    ocsp_url: Option<String>,
}

impl Pki {
    fn new(dir: &Path, ocsp_url: Option<String>) -> Pki {
        let now = now();
        let root_name = Name::from_str("CN=cli-crlite Root").unwrap();
        let root_key = key("cli-crlite-root");
        let mut pki = Pki {
            dir: dir.to_owned(),
            now,
            int_der: Vec::new(),
            ocsp_url,
        };
        let ca = |cn: &str, label: &str, serial: u64| {
            let mut spec = Spec::new(&format!("CN={cn}"), &root_name, serial);
            spec.is_ca = true;
            spec.ocsp_url = None;
            spec.not_before = now - 30 * DAY;
            spec.not_after = now + 365 * DAY;
            (spec.subject.clone(), issue(&spec, &key(label), &root_key))
        };
        let (_, int) = ca("cli-crlite Intermediate", "cli-crlite-int", 2);
        let (_, other) = ca("cli-crlite Other Intermediate", "cli-crlite-other-int", 3);
        std::fs::write(dir.join("int.pem"), pem(&int)).unwrap();
        std::fs::write(dir.join("other-int.pem"), pem(&other)).unwrap();
        pki.int_der = int.clone();
        for serial in [
            FULL_REVOKED,
            DELTA_REVOKED,
            GOOD,
            LATE_REVOKED,
            UNCOVERED,
            NO_SCTS,
        ] {
            let scts = match serial {
                UNCOVERED => vec![(UNKNOWN_LOG, pki.sct_ms())],
                NO_SCTS => vec![],
                _ => vec![(LOG, pki.sct_ms())],
            };
            pki.leaf(serial, "cli-crlite-int", &int, &scts);
        }
        pki.leaf(
            NOT_ENROLLED,
            "cli-crlite-other-int",
            &other,
            &[(LOG, pki.sct_ms())],
        );
        pki
    }

    /// The leaves' SCT time: a minute after they begin.
    fn sct_ms(&self) -> u64 {
        (self.now - DAY + 60) * 1000
    }

    fn leaf(&self, serial: u64, issuer_label: &str, issuer_der: &[u8], scts: &[(u8, u64)]) {
        let issuer = revoscope::Cert::from_der(issuer_der).unwrap();
        let issuer_name = {
            use der::Decode;
            Name::from_der(&issuer.subject_der).unwrap()
        };
        let mut spec = Spec::new(
            &format!("CN=leaf-{serial:x}.revoscope.test"),
            &issuer_name,
            serial,
        );
        spec.not_before = self.now - DAY;
        spec.not_after = self.now + 89 * DAY;
        spec.ocsp_url = self.ocsp_url.clone();
        spec.scts = scts.to_vec();
        let der = issue(
            &spec,
            &key(&format!("cli-crlite-leaf-{serial}")),
            &key(issuer_label),
        );
        std::fs::write(self.chain(serial), [pem(&der), pem(issuer_der)].concat()).unwrap();
    }

    /// The chain file of a leaf: the leaf, then its intermediate.
    fn chain(&self, serial: u64) -> PathBuf {
        self.dir.join(format!("leaf-{serial:x}.pem"))
    }

    fn logs(&self) -> Vec<LogCoverage> {
        vec![LogCoverage {
            log_id: [LOG; 32],
            low_ms: (self.now - 30 * DAY) * 1000,
            high_ms: (self.now + DAY) * 1000,
        }]
    }

    fn int_hash(&self) -> [u8; 32] {
        *revoscope::Cert::from_der(&self.int_der)
            .unwrap()
            .spki
            .sha256()
    }

    /// A filter over the enrolled intermediate.
    fn filter(
        &self,
        id: &str,
        parent: Option<&str>,
        hours_ago: u64,
        revoked: &[u64],
        good: &[u64],
        version: Version,
    ) -> FilterSpec {
        FilterSpec {
            id: id.into(),
            delta: parent.is_some(),
            effective_ms: (self.now - hours_ago * 3600) * 1000,
            parent: parent.map(str::to_owned),
            channel: Some("default".into()),
            logs: self.logs(),
            issuers: vec![Issuer {
                spki_sha256: self.int_hash(),
                revoked: revoked.iter().map(|&s| minimal_serial(s)).collect(),
                good: good.iter().map(|&s| minimal_serial(s)).collect(),
            }],
            version,
        }
    }

    fn full_1(&self) -> FilterSpec {
        self.filter(
            "full-1",
            None,
            6,
            &[FULL_REVOKED],
            &[DELTA_REVOKED, GOOD, LATE_REVOKED],
            Version::V3,
        )
    }

    fn delta_1(&self) -> FilterSpec {
        self.filter(
            "delta-1",
            Some("full-1"),
            3,
            &[DELTA_REVOKED],
            &[GOOD, LATE_REVOKED],
            Version::V4,
        )
    }

    fn delta_2(&self) -> FilterSpec {
        self.filter(
            "delta-2",
            Some("delta-1"),
            1,
            &[LATE_REVOKED],
            &[GOOD],
            Version::V4,
        )
    }

    /// A full filter of another channel: the default channel skips it.
    fn compat(&self) -> FilterSpec {
        FilterSpec {
            channel: Some("compat".into()),
            ..self.filter("compat-full", None, 2, &[GOOD], &[], Version::V4)
        }
    }
}

/// Publishes full-1, delta-1 and a compat filter in `dir`.
fn publish_first(pki: &Pki, dir: &Path) -> Vec<Written> {
    write_set(dir, &[pki.full_1(), pki.delta_1(), pki.compat()], None).unwrap()
}

/// Adds delta-2 to what `first` published, keeping its files.
fn publish_delta_2(pki: &Pki, dir: &Path, first: &[Written]) -> Written {
    let spec = pki.delta_2();
    let bytes = support::crlite::build(&spec.logs, &spec.issuers, spec.version);
    let delta = write_filter(dir, &spec, &bytes).unwrap();
    let mut all = first.to_vec();
    all.push(delta.clone());
    write_records(dir, &all, None).unwrap();
    delta
}

/// scripts/remote-settings/server.mjs serving `crlite_dir`, in one scenario.
struct StandIn {
    _server: Server,
    url: String,
}

impl StandIn {
    fn start(scenario: &str, crlite_dir: &Path) -> StandIn {
        let port = free_port();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/remote-settings/server.mjs");
        let mut command = Command::new("node");
        command.arg(script).args([
            "--port",
            &port.to_string(),
            "--scenario",
            scenario,
            "--crlite-dir",
            &text(crlite_dir),
        ]);
        StandIn {
            _server: Server::start(command, Announces::OnStdout, "Remote Settings stand-in:"),
            url: format!("http://127.0.0.1:{port}/v1"),
        }
    }
}

/// `crlite sync --from URL --dir DIR --root-hash TEST_ROOT --json` and `extra`.
fn sync(url: &str, dir: &Path, extra: &[&str]) -> (Value, i32) {
    let dir = text(dir);
    let mut args = vec![
        "crlite",
        "sync",
        "--from",
        url,
        "--dir",
        &dir,
        "--root-hash",
        TEST_ROOT,
        "--json",
    ];
    args.extend(extra);
    revoscope_json(args)
}

/// `crlite query --cert CHAIN --dir DIR --json` (the issuer from the chain).
fn query(pki: &Pki, serial: u64, dir: &Path, extra: &[&str]) -> (Value, i32) {
    let (chain, dir) = (text(&pki.chain(serial)), text(dir));
    let mut args = vec!["crlite", "query", "--cert", &chain, "--dir", &dir, "--json"];
    args.extend(extra);
    revoscope_json(args)
}

/// A query's status label and deciding filter.
fn answer(v: &Value) -> (&str, Option<&str>) {
    (v["status"].as_str().unwrap(), v["filter"].as_str())
}

/// The `.filter` files kept in `dir`, sorted.
fn filter_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".filter"))
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn sync_then_up_to_date_then_a_new_delta_then_a_new_full_filter() {
    let work = Scratch::new("cli-crlite-flow");
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    let first = publish_first(&pki, &published);
    let server = StandIn::start("ok", &published);
    let kept = work.join("kept");

    // First sync: every record, the chain's two files.
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "updated");
    assert_eq!(v["records"]["fetched"], "all");
    assert_eq!(v["records"]["count"], 3);
    assert_eq!(v["set"]["full_id"], "full-1");
    assert_eq!(v["set"]["deltas"], 1);
    assert_eq!(v["set"]["stale"], false);
    assert_eq!(v["set"]["enrolled_issuers"], 1);
    assert_eq!(v["downloaded"]["files"], 2);
    assert_eq!(
        v["downloaded"]["bytes"].as_u64().unwrap(),
        (first[0].size + first[1].size) as u64
    );
    let ids: Vec<&str> = v["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["full-1", "delta-1"]);
    assert_eq!(v["filters"][0]["kind"], "full");
    assert_eq!(v["filters"][1]["kind"], "delta");
    assert_eq!(v["filters"][0]["sha256"], first[0].sha256_hex.as_str());
    assert_eq!(
        v["skipped"],
        serde_json::json!([{"id": "compat-full", "why": "channel compat, not default"}])
    );
    assert_eq!(v["signer"]["root_sha256"], TEST_ROOT);
    assert_eq!(v["error"], Value::Null);
    let requests = request_urls(&v);
    assert_eq!(requests.len(), 6, "{requests:?}");
    assert!(requests[1].contains("/collections/cert-revocations/changeset?_expected="));
    assert!(
        requests[3].ends_with("/v1/"),
        "the root names the attachments base"
    );
    assert!(
        requests[4].ends_with("/attachments/security-state-staging/cert-revocations/full-1.filter")
    );
    assert!(requests[5]
        .ends_with("/attachments/security-state-staging/cert-revocations/delta-1.filter"));
    // Files by content; the index and the records beside them; no temporary left.
    assert_eq!(filter_files(&kept), {
        let mut names = vec![
            format!("{}.filter", first[0].sha256_hex),
            format!("{}.filter", first[1].sha256_hex),
        ];
        names.sort();
        names
    });
    assert_eq!(
        read(&kept.join(format!("{}.filter", first[0].sha256_hex))),
        read(&published.join("full-1.filter"))
    );
    let index: Value = serde_json::from_slice(&read(&kept.join("index.json"))).unwrap();
    assert_eq!(index["version"], 1);
    assert_eq!(index["channel"], "default");
    assert_eq!(index["filters"].as_array().unwrap().len(), 2);
    let records: Value = serde_json::from_slice(&read(&kept.join("records.json"))).unwrap();
    assert_eq!(records["data"].as_array().unwrap().len(), 3);
    assert_eq!(records["timestamp"], v["records"]["timestamp"]);
    assert!(std::fs::read_dir(&kept).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));

    // What the set says: full filter (V3) and delta (V4) both answer.
    let cases: &[(u64, &str, Option<&str>, i32)] = &[
        (FULL_REVOKED, "revoked_in_filter", Some("full-1"), 3),
        (DELTA_REVOKED, "revoked_in_filter", Some("delta-1"), 3),
        (GOOD, "not_revoked", Some("full-1"), 0),
        (LATE_REVOKED, "not_revoked", Some("full-1"), 0),
        (UNCOVERED, "not_covered", None, 0),
        (NO_SCTS, "not_covered", None, 0),
        (NOT_ENROLLED, "not_enrolled", Some("full-1"), 0),
    ];
    for &(serial, status, filter, exit) in cases {
        let (q, code) = query(&pki, serial, &kept, &[]);
        assert_eq!(
            (answer(&q), code),
            ((status, filter), exit),
            "{serial:x}: {q}"
        );
    }

    // Again: up to date, only the monitor asked, nothing written.
    let index_before = read(&kept.join("index.json"));
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "up-to-date");
    assert_eq!(v["records"]["fetched"], "none");
    assert_eq!(v["downloaded"]["files"], 0);
    assert_eq!(v["set"]["full_id"], "full-1");
    assert_eq!(request_urls(&v).len(), 1, "{:?}", request_urls(&v));
    assert_eq!(read(&kept.join("index.json")), index_before);

    // A new delta: only the changes since, only its file.
    let delta = publish_delta_2(&pki, &published, &first);
    let since = v["records"]["timestamp"].as_u64().unwrap();
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "updated");
    assert_eq!(v["records"]["fetched"], "changes");
    assert_eq!(v["records"]["count"], 4);
    assert_eq!(v["set"]["deltas"], 2);
    assert_eq!(v["downloaded"]["files"], 1);
    assert_eq!(v["downloaded"]["bytes"], delta.size);
    let downloaded: Vec<bool> = v["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["downloaded"].as_bool().unwrap())
        .collect();
    assert_eq!(downloaded, [false, false, true]);
    let requests = request_urls(&v);
    assert!(
        requests[1].ends_with(&format!("&_since=%22{since}%22")),
        "{requests:?}"
    );
    assert!(
        requests.last().unwrap().ends_with("/delta-2.filter"),
        "{requests:?}"
    );
    assert_eq!(filter_files(&kept).len(), 3);
    let (q, code) = query(&pki, LATE_REVOKED, &kept, &[]);
    assert_eq!(
        (answer(&q), code),
        (("revoked_in_filter", Some("delta-2")), 3)
    );
    assert_eq!(q["set"]["deltas"], 2);

    // A new full filter replaces the chain: the old files go once it is in force.
    let full_2 = pki.filter("full-2", None, 0, &[GOOD], &[FULL_REVOKED], Version::V4);
    let written = write_set(&published, &[full_2], None).unwrap();
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (v["set"]["full_id"].as_str(), v["set"]["deltas"].as_u64()),
        (Some("full-2"), Some(0))
    );
    assert_eq!(v["removed"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(
        filter_files(&kept),
        [format!("{}.filter", written[0].sha256_hex)]
    );
    let (q, _) = query(&pki, GOOD, &kept, &[]);
    assert_eq!(answer(&q), ("revoked_in_filter", Some("full-2")));
    let (q, _) = query(&pki, FULL_REVOKED, &kept, &[]);
    assert_eq!(answer(&q), ("not_revoked", Some("full-2")));

    // The readable report.
    let out = revoscope([
        "crlite",
        "sync",
        "--from",
        &server.url,
        "--dir",
        &text(&kept),
        "--root-hash",
        TEST_ROOT,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains("status:     up-to-date: full filter full-2 and 0 deltas"),
        "{stdout}"
    );
    assert!(stdout.contains("downloaded: 0 files, 0 bytes"), "{stdout}");
}

/// A first sync of full-1 and delta-1 from an honest server, then delta-2
/// published and served by `scenario`: the sync must fail with `code` and
/// change nothing kept.
fn fails_and_keeps_the_set(scenario: &str, code_expected: &str, name: &str) {
    let work = Scratch::new(&format!("cli-crlite-{name}"));
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    let first = publish_first(&pki, &published);
    let kept = work.join("kept");
    {
        let honest = StandIn::start("ok", &published);
        let (v, code) = sync(&honest.url, &kept, &[]);
        assert_eq!((code, v["status"].as_str()), (0, Some("updated")), "{v}");
    }
    publish_delta_2(&pki, &published, &first);
    let snapshot = |dir: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    read(&e.path()),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&kept);

    let server = StandIn::start(scenario, &published);
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], code_expected, "{v}");
    // The report shows the set that still answers.
    assert_eq!(v["set"]["full_id"], "full-1");
    assert_eq!(v["set"]["deltas"], 1);
    assert_eq!(snapshot(&kept), before, "nothing kept changed");
    let (q, code) = query(&pki, LATE_REVOKED, &kept, &[]);
    assert_eq!((answer(&q), code), (("not_revoked", Some("full-1")), 0));
    let (q, _) = query(&pki, DELTA_REVOKED, &kept, &[]);
    assert_eq!(answer(&q), ("revoked_in_filter", Some("delta-1")));

    // The honest server again: the sync recovers.
    drop(server);
    let honest = StandIn::start("ok", &published);
    let (v, code) = sync(&honest.url, &kept, &[]);
    assert_eq!(
        (code, v["status"].as_str(), v["set"]["deltas"].as_u64()),
        (0, Some("updated"), Some(2)),
        "{v}"
    );
    let (q, _) = query(&pki, LATE_REVOKED, &kept, &[]);
    assert_eq!(answer(&q), ("revoked_in_filter", Some("delta-2")));
}

#[test]
fn a_tampered_attachment_fails_and_the_kept_set_still_answers() {
    fails_and_keeps_the_set(
        "crlite-tampered-attachment",
        "attachment-mismatch",
        "tampered",
    );
}

#[test]
fn a_missing_attachment_fails_and_the_kept_set_still_answers() {
    fails_and_keeps_the_set("crlite-attachment-missing", "http-status", "missing");
}

#[test]
fn a_wrong_signer_or_a_bad_server_is_refused_and_nothing_is_written() {
    let work = Scratch::new("cli-crlite-refused");
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    publish_first(&pki, &published);
    let cases = [
        ("wrong-name", "signer-name-mismatch"),
        ("other-root", "untrusted-root"),
        ("tampered", "bad-signature"),
        ("crlite-tampered-attachment", "attachment-mismatch"),
        ("crlite-no-base-url", "not-changeset"),
        ("down", "http-status"),
    ];
    for (scenario, code_expected) in cases {
        let server = StandIn::start(scenario, &published);
        let kept = work.join(format!("kept-{scenario}"));
        let (v, code) = sync(&server.url, &kept, &[]);
        assert_eq!(
            (code, v["status"].as_str(), v["error"]["code"].as_str()),
            (1, Some("failed"), Some(code_expected)),
            "{scenario}: {v}"
        );
        assert_eq!(v["set"], Value::Null, "{scenario}");
        let left: Vec<_> = std::fs::read_dir(&kept).unwrap().collect();
        assert!(left.is_empty(), "{scenario}: {left:?}");
        // With nothing kept, a query says so.
        let out = revoscope([
            "crlite",
            "query",
            "--cert",
            &text(&pki.chain(GOOD)),
            "--dir",
            &text(&kept),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no CRLite filter set (no index.json)"),
            "{stderr}"
        );
    }
    // The readable failure names the code on stderr, and says why on stdout.
    let server = StandIn::start("wrong-name", &published);
    let out = revoscope([
        "crlite",
        "sync",
        "--from",
        &server.url,
        "--dir",
        &text(&work.join("kept-text")),
        "--root-hash",
        TEST_ROOT,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("status:     failed (signer-name-mismatch)")
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("revoscope: crlite sync failed (signer-name-mismatch): "));
}

#[test]
fn sync_starts_over_when_what_is_kept_is_damaged() {
    let work = Scratch::new("cli-crlite-damaged");
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    let first = publish_first(&pki, &published);
    let server = StandIn::start("ok", &published);
    let kept = work.join("kept");
    assert_eq!(sync(&server.url, &kept, &[]).1, 0);

    // A filter file gone: the set is downloaded again, not reported current.
    std::fs::remove_file(kept.join(format!("{}.filter", first[1].sha256_hex))).unwrap();
    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&pki.chain(GOOD)),
        "--dir",
        &text(&kept),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad-index"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(
        (
            code,
            v["status"].as_str(),
            v["downloaded"]["files"].as_u64()
        ),
        (0, Some("updated"), Some(1)),
        "{v}"
    );

    // A file damaged in place, its size kept: found by its hash, downloaded again.
    let damaged = kept.join(format!("{}.filter", first[0].sha256_hex));
    let mut bytes = read(&damaged);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&damaged, &bytes).unwrap();
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(
        (
            code,
            v["status"].as_str(),
            v["downloaded"]["files"].as_u64()
        ),
        (0, Some("updated"), Some(1)),
        "{v}"
    );
    assert_eq!(read(&damaged), read(&published.join("full-1.filter")));

    // An index that does not read: the same.
    std::fs::write(kept.join("index.json"), b"{\"version\": 9}").unwrap();
    let (v, code) = sync(&server.url, &kept, &[]);
    assert_eq!(
        (
            code,
            v["status"].as_str(),
            v["downloaded"]["files"].as_u64()
        ),
        (0, Some("updated"), Some(0)),
        "the files are reused: {v}"
    );
    let (q, _) = query(&pki, DELTA_REVOKED, &kept, &[]);
    assert_eq!(answer(&q), ("revoked_in_filter", Some("delta-1")));

    // An index naming a path outside the directory is refused, not followed.
    let mut index: Value = serde_json::from_slice(&read(&kept.join("index.json"))).unwrap();
    index["filters"][0]["hash"] = "../../etc/passwd".into();
    std::fs::write(kept.join("index.json"), index.to_string()).unwrap();
    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&pki.chain(GOOD)),
        "--dir",
        &text(&kept),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is missing"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn query_reports_the_set_and_the_scts_and_stale_sets_count_as_no_filter() {
    let work = Scratch::new("cli-crlite-query");
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    publish_first(&pki, &published);
    let server = StandIn::start("ok", &published);
    let kept = work.join("kept");
    assert_eq!(sync(&server.url, &kept, &[]).1, 0);

    let (q, _) = query(&pki, DELTA_REVOKED, &kept, &[]);
    assert_eq!(q["subject"], "CN=leaf-102.revoscope.test");
    assert_eq!(q["serial_hex"], "0102");
    assert_eq!(
        q["issuer_spki_sha256"],
        revoscope::hex::encode(&pki.int_hash())
    );
    let sct = &q["scts"][0];
    assert_eq!(sct["log_id"], revoscope::hex::encode(&[LOG; 32]));
    assert_eq!(sct["timestamp_ms"], pki.sct_ms());
    assert_eq!(sct["covered"], true);
    assert_eq!(q["set"]["coverage"]["logs"], 1);
    let (q, _) = query(&pki, UNCOVERED, &kept, &[]);
    assert_eq!(q["scts"][0]["covered"], false);

    // Ten days after the install: no_filter, and what the filters would say.
    let later = revoscope::UnixTime(pki.now + 10 * DAY + 60).to_string();
    let (q, code) = query(&pki, DELTA_REVOKED, &kept, &["--at", &later]);
    assert_eq!((answer(&q), code), (("no_filter", None), 0), "{q}");
    assert_eq!(q["set"]["stale"], true);
    assert_eq!(q["filters_say"]["status"], "revoked_in_filter");
    let nearly = revoscope::UnixTime(pki.now + 10 * DAY - 600).to_string();
    let (q, code) = query(&pki, DELTA_REVOKED, &kept, &["--at", &nearly]);
    assert_eq!((answer(&q).0, code), ("revoked_in_filter", 3));

    // --issuer separately; the wrong issuer is refused.
    let leaf_only = work.join("leaf-only.pem");
    let chain = std::fs::read_to_string(pki.chain(GOOD)).unwrap();
    let end =
        chain.find("-----END CERTIFICATE-----").unwrap() + "-----END CERTIFICATE-----\n".len();
    std::fs::write(&leaf_only, &chain[..end]).unwrap();
    let (q, code) = revoscope_json([
        "crlite",
        "query",
        "--cert",
        &text(&leaf_only),
        "--issuer",
        &text(&work.join("int.pem")),
        "--dir",
        &text(&kept),
        "--json",
    ]);
    assert_eq!((answer(&q), code), (("not_revoked", Some("full-1")), 0));
    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&leaf_only),
        "--issuer",
        &text(&work.join("other-int.pem")),
        "--dir",
        &text(&kept),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not the certificate's issuer"));
    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&leaf_only),
        "--dir",
        &text(&kept),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give its issuer with --issuer FILE"));

    // The readable answer.
    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&pki.chain(DELTA_REVOKED)),
        "--dir",
        &text(&kept),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout.contains("status:     revoked_in_filter (filter delta-1)"),
        "{stdout}"
    );
    assert!(stdout.contains(": covered"), "{stdout}");
}

/// A leaf the filters list as revoked, with a covered SCT, but whose SCT
/// list extension wraps the list in an OCTET STRING with a non-minimal
/// length (`04 81 ..`), as some real certificates do: the certificate is
/// read, the SCT list is reported unreadable, and CRLite has no SCT to
/// place it in the filters' coverage.
#[test]
fn query_of_a_certificate_whose_sct_list_is_unreadable_says_not_covered_and_why() {
    let work = Scratch::new("cli-crlite-bad-scts");
    let pki = Pki::new(&work, None);
    let published = work.join("published");
    publish_first(&pki, &published);
    let server = StandIn::start("ok", &published);
    let kept = work.join("kept");
    assert_eq!(sync(&server.url, &kept, &[]).1, 0);

    let issuer = revoscope::Cert::from_der(&pki.int_der).unwrap();
    let issuer_name = {
        use der::Decode;
        Name::from_der(&issuer.subject_der).unwrap()
    };
    let mut spec = Spec::new("CN=bad-scts.revoscope.test", &issuer_name, FULL_REVOKED);
    spec.not_before = pki.now - DAY;
    spec.not_after = pki.now + 89 * DAY;
    let list = support::pki::sct_list(&[(LOG, pki.sct_ms())]);
    let mut value = vec![0x04, 0x81, u8::try_from(list.len()).unwrap()];
    value.extend(&list);
    spec.sct_extension_value = Some(value);
    let der = issue(&spec, &key("cli-crlite-bad-scts"), &key("cli-crlite-int"));
    let chain = work.join("bad-scts.pem");
    std::fs::write(&chain, [pem(&der), pem(&pki.int_der)].concat()).unwrap();

    let (q, code) = revoscope_json([
        "crlite",
        "query",
        "--cert",
        &text(&chain),
        "--dir",
        &text(&kept),
        "--json",
    ]);
    assert_eq!((answer(&q), code), (("not_covered", None), 0), "{q}");
    assert_eq!(q["scts"], serde_json::json!([]));
    let why = "the extension value is not a DER OCTET STRING: incorrect length for OCTET STRING";
    assert_eq!(q["sct_list_error"], why);

    let out = revoscope([
        "crlite",
        "query",
        "--cert",
        &text(&chain),
        "--dir",
        &text(&kept),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains(&format!(
            "SCTs:       none usable: the SCT list could not be read: {why}\n"
        )),
        "{stdout}"
    );
}

/// A TCP listener standing for the leaves' OCSP responder, and how many
/// connections it saw.
struct Responder {
    listener: TcpListener,
}

impl Responder {
    fn start() -> Responder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Responder { listener }
    }

    fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/",
            self.listener.local_addr().unwrap().port()
        )
    }

    /// Connections made since the last call (the backlog holds them).
    fn connections(&self) -> usize {
        std::iter::from_fn(|| self.listener.accept().ok()).count()
    }
}

#[test]
fn inspect_with_crlite_dir_decides_by_crlite_without_asking_ocsp() {
    let work = Scratch::new("cli-crlite-inspect");
    let responder = Responder::start();
    let pki = Pki::new(&work, Some(responder.url()));
    let published = work.join("published");
    publish_first(&pki, &published);
    let server = StandIn::start("ok", &published);
    let kept = work.join("kept");
    assert_eq!(sync(&server.url, &kept, &[]).1, 0);

    let inspect = |serial: u64, extra: &[&str]| {
        let (chain, dir) = (text(&pki.chain(serial)), text(&kept));
        let mut args = vec![
            "inspect",
            "--chain",
            &chain,
            "--crlite-dir",
            &dir,
            "--policy",
            "firefox-today",
            "--timeout-ms",
            "300",
            "--json",
        ];
        args.extend(extra);
        revoscope_json(args)
    };
    let step = |v: &Value, name: &str| -> Value {
        v["certificates"][0]["trace"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["step"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };

    // Covered: CRLite decides, with or without a built-in root, and no OCSP.
    for extra in [&[][..], &["--built-in-root"][..]] {
        let (v, code) = inspect(DELTA_REVOKED, extra);
        assert_eq!(code, 3, "{v}");
        assert_eq!(v["outcome"], "block");
        assert_eq!(support::programs::leaf_decision(&v), ("revoked", "crlite"));
        assert_eq!(step(&v, "crlite")["outcome"], "revoked");
        assert!(
            step(&v, "crlite")["detail"]
                .as_str()
                .unwrap()
                .contains("filter delta-1"),
            "{v}"
        );
        assert_eq!(step(&v, "live-ocsp"), Value::Null, "{v}");
        assert_eq!(
            v["certificates"][0]["crlite"]["status"],
            "revoked_in_filter"
        );
        assert_eq!(v["crlite"]["full_id"], "full-1");
        assert_eq!(v["crlite"]["deltas"], 1);

        let (v, code) = inspect(GOOD, extra);
        assert_eq!(code, 0, "{v}");
        assert_eq!(support::programs::leaf_decision(&v), ("good", "crlite"));
        assert_eq!(step(&v, "crlite")["outcome"], "good");
        assert_eq!(
            v["certificates"][0]["crlite"],
            serde_json::json!({"status": "not_revoked", "filter": "full-1"})
        );
    }
    assert_eq!(
        responder.connections(),
        0,
        "CRLite decided: no OCSP request"
    );

    // Not covered: the ladder goes on to live OCSP, and the listener sees it
    // (so the zero above means something).
    let (v, _) = inspect(UNCOVERED, &[]);
    assert_eq!(step(&v, "crlite")["outcome"], "not-covered", "{v}");
    assert_ne!(support::programs::leaf_decision(&v).1, "crlite");
    assert!(responder.connections() >= 1, "{v}");

    // A policy without CRLite ignores the set, and says so.
    let out = revoscope([
        "inspect",
        "--chain",
        &text(&pki.chain(DELTA_REVOKED)),
        "--crlite-dir",
        &text(&kept),
        "--policy",
        "mozilla-plan",
        "--no-fetch",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not consult CRLite"));
    assert!(
        stdout.contains("CRLite filters: full full-1 of "),
        "{stdout}"
    );
    assert!(!stdout.contains("decided by crlite"), "{stdout}");

    // The readable trace shows the step.
    let out = revoscope([
        "inspect",
        "--chain",
        &text(&pki.chain(DELTA_REVOKED)),
        "--crlite-dir",
        &text(&kept),
        "--policy",
        "firefox-today",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout.contains("status:   revoked decided by crlite"),
        "{stdout}"
    );
    assert!(stdout.contains("    crlite: revoked — the CRLite filters (full full-1 and 1 deltas) list it as revoked (filter delta-1)"), "{stdout}");
    assert_eq!(responder.connections(), 0);

    // A directory without a set is an error, not a silent no_filter.
    let out = revoscope([
        "inspect",
        "--chain",
        &text(&pki.chain(GOOD)),
        "--crlite-dir",
        &text(&work),
        "--no-fetch",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--crlite-dir"));
}

#[test]
fn usage_and_help() {
    let help = String::from_utf8_lossy(&revoscope(["help", "crlite"]).stdout).into_owned();
    for line in [
        "revoscope crlite sync [--from URL] [--dir DIR] [--channel NAME] [--root-hash HEX]...",
        "revoscope crlite query --cert FILE [--issuer FILE] [--dir DIR] [--at RFC3339] [--json]",
        "$XDG_DATA_HOME/revoscope/crlite",
        "crlite query: revoked_in_filter",
    ] {
        assert!(help.contains(line), "{line:?} in {help}");
    }
    assert!(String::from_utf8_lossy(&revoscope(["--help"]).stdout).contains("--crlite-dir DIR"));
    for (args, message) in [
        (&["crlite"][..], "crlite needs a subcommand"),
        (
            &["crlite", "fetch"][..],
            "unknown crlite subcommand \"fetch\"",
        ),
        (
            &["crlite", "query", "--dir", "/nonexistent"][..],
            "crlite query needs --cert FILE",
        ),
        (
            &["crlite", "sync", "--channel", "../x"][..],
            "--channel \"../x\"",
        ),
        (
            &["crlite", "sync", "--from", "ftp://x"][..],
            "--from \"ftp://x\"",
        ),
        (&["crlite", "sync", "--timeout", "0"][..], "--timeout \"0\""),
    ] {
        let out = revoscope(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // Without --dir: the XDG place, under HOME unless XDG_DATA_HOME is set.
    let home = Scratch::new("cli-crlite-home");
    let chain = support::fixture_path("pki/chains/leaf-90d.pem");
    for (xdg, expected) in [
        (None, home.join(".local/share/revoscope/crlite")),
        (Some(home.join("data")), home.join("data/revoscope/crlite")),
        (
            Some(PathBuf::from("relative")),
            home.join(".local/share/revoscope/crlite"),
        ),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_revoscope"));
        command
            .args(["crlite", "query", "--cert", &chain])
            .env("HOME", &home);
        match &xdg {
            Some(dir) => command.env("XDG_DATA_HOME", dir),
            None => command.env_remove("XDG_DATA_HOME"),
        };
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "--dir {}: no CRLite filter set",
                expected.display()
            )),
            "{xdg:?}: {stderr}"
        );
    }
}
