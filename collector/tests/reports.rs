//! `POST /v1/reports` against the real binary: what is stored, what is
//! refused with which status and code, and that an acknowledged report
//! survives a SIGKILL.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use revoscope::limits::MAX_REPORT_LEN;
use revoscope::telemetry::report::REPORT_CLIP;
use revoscope::telemetry::Day;

#[test]
fn a_valid_report_is_stored_once_and_a_replay_is_refused() {
    let collector = Collector::start("stored", &["--k", "1"]);
    let day = today();
    let report = report(day, 1);
    let response = collector.post_report(&report.to_json());
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(
        response.json(),
        serde_json::json!({"stored": true, "id": report.id})
    );
    assert_eq!(response.header("content-type"), Some("application/json"));

    let replay = collector.post_report(&report.to_json());
    assert_eq!(replay.status, 409);
    assert_eq!(replay.error_code(), "replay");
    // The same id with other counts is a replay too.
    let other = edited(&report, |v| v["counts"]["paths"][0] = 7.into());
    assert_eq!(collector.post_report(&other).status, 409);

    assert_eq!(collector.published_reports(day), 1);
    // Yesterday's report (the extension sends it the next day) is fine too,
    // and charset parameters are.
    let yesterday = common::report(Day(day.0 - 1), 2);
    let response = collector.post(
        "/v1/reports",
        Some("application/json; charset=utf-8"),
        yesterday.to_json().as_bytes(),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(collector.published_reports(Day(day.0 - 1)), 1);
}

/// Each hostile input gets its status and code, and nothing is stored.
#[test]
fn hostile_input_is_refused_precisely_and_stores_nothing() {
    let collector = Collector::start("hostile", &["--k", "1", "--max-age-days", "31"]);
    let day = today();
    let good = report(day, 1);
    let json = good.to_json();
    let mut posts = 0;
    let mut expect = |what: &str, response: Response, status: u16, code: &str| {
        posts += 1;
        assert_eq!(response.status, status, "{what}: {}", response.text());
        assert_eq!(response.error_code(), code, "{what}");
        assert_eq!(
            response.header("content-type"),
            Some("application/json"),
            "{what}"
        );
    };

    // Size: declared over the limit, sent over the limit in chunks, and one
    // byte over with an honest Content-Length.
    let huge = format!("{json}{}", " ".repeat(MAX_REPORT_LEN + 1 - json.len()));
    assert_eq!(huge.len(), MAX_REPORT_LEN + 1);
    expect(
        "over the limit",
        collector.post_report(&huge),
        413,
        "too-large",
    );
    let lying = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: c\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{json}"
    );
    expect(
        "declared over the limit",
        collector.request(lying.as_bytes()),
        413,
        "too-large",
    );
    let mut chunked = String::from(
        "POST /v1/reports HTTP/1.1\r\nHost: c\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    chunked += &format!("{:x}\r\n{json}\r\n", json.len());
    for _ in 0..(MAX_REPORT_LEN / 1000 + 1) {
        chunked += &format!("3e8\r\n{}\r\n", " ".repeat(1000));
    }
    chunked += "0\r\n\r\n";
    expect(
        "chunked over the limit",
        collector.request(chunked.as_bytes()),
        413,
        "too-large",
    );

    // Content type.
    expect(
        "text/plain",
        collector.post("/v1/reports", Some("text/plain"), json.as_bytes()),
        415,
        "unsupported-media-type",
    );
    expect(
        "no content type",
        collector.post("/v1/reports", None, json.as_bytes()),
        415,
        "unsupported-media-type",
    );
    expect(
        "form",
        collector.post(
            "/v1/reports",
            Some("application/x-www-form-urlencoded"),
            json.as_bytes(),
        ),
        415,
        "unsupported-media-type",
    );

    // Does not read as a report: 400 malformed, with serde's words.
    let malformed: Vec<(&str, String)> = vec![
        ("not JSON", "this is not json".into()),
        ("empty", String::new()),
        ("an array", "[1,2,3]".into()),
        ("truncated", json[..json.len() / 2].into()),
        ("day a number", edited(&good, |v| v["day"] = 20_000.into())),
        (
            "day not a day",
            edited(&good, |v| v["day"] = "2026-02-30".into()),
        ),
        (
            "counts a string",
            edited(&good, |v| v["counts"]["paths"] = "x".into()),
        ),
        (
            "schema 1 with the sections of schema 2",
            edited(&good, |v| v["schema"] = 1.into()),
        ),
        (
            "count a string",
            edited(&good, |v| v["counts"]["paths"][0] = "1".into()),
        ),
        (
            "negative count",
            edited(&good, |v| v["counts"]["paths"][0] = (-1).into()),
        ),
        (
            "fractional count",
            edited(&good, |v| v["counts"]["paths"][0] = 1.5.into()),
        ),
        (
            "huge count",
            edited(&good, |v| v["counts"]["paths"][0] = u64::MAX.into()),
        ),
        (
            "count over 32 bits",
            edited(&good, |v| v["counts"]["paths"][0] = 4_294_967_296u64.into()),
        ),
        (
            "unknown field",
            edited(&good, |v| v["site"] = "example.com".into()),
        ),
        (
            "unknown counts field",
            edited(&good, |v| v["counts"]["hosts"] = serde_json::json!([1])),
        ),
        (
            "unknown browser",
            edited(&good, |v| v["browser"] = "safari".into()),
        ),
        (
            "schema a string",
            edited(&good, |v| v["schema"] = "1".into()),
        ),
        (
            "no counts",
            edited(&good, |v| {
                v.as_object_mut().unwrap().remove("counts");
            }),
        ),
    ];
    for (what, body) in &malformed {
        let response = collector.post_report(body);
        let message = response.json()["message"]
            .as_str()
            .unwrap_or("")
            .to_string();
        expect(what, response, 400, "malformed");
        assert!(
            message.starts_with("The report does not read"),
            "{what}: {message}"
        );
    }

    // Reads, but refused: 422.
    let unacceptable: Vec<(&str, String, &str)> = vec![
        (
            "schema 3",
            edited(&good, |v| v["schema"] = 3.into()),
            "unsupported-schema",
        ),
        (
            "uppercase id",
            edited(&good, |v| v["id"] = "AB".repeat(16).into()),
            "bad-id",
        ),
        (
            "short id",
            edited(&good, |v| v["id"] = "ab".into()),
            "bad-id",
        ),
        (
            "full version",
            edited(&good, |v| v["extension"] = "0.1.0".into()),
            "bad-extension-version",
        ),
        (
            "over the clip",
            edited(&good, |v| {
                v["counts"]["paths"][3] = (REPORT_CLIP + 1).into()
            }),
            "over-clip",
        ),
        (
            "a cell too many",
            edited(&good, |v| {
                v["counts"]["crlite"].as_array_mut().unwrap().push(0.into())
            }),
            "wrong-length",
        ),
        (
            "a cell too few",
            edited(&good, |v| {
                v["counts"]["responder_latency"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
            "wrong-length",
        ),
        (
            "in the future",
            report(Day(day.0 + 2), 2).to_json(),
            "day-out-of-range",
        ),
        (
            "too old",
            report(Day(day.0 - 33), 3).to_json(),
            "day-out-of-range",
        ),
    ];
    for (what, body, code) in &unacceptable {
        expect(what, collector.post_report(body), 422, code);
    }

    // Nothing of it was stored.
    let body = collector.aggregates(Day(day.0 - 40), Day(day.0 + 5));
    assert_eq!(body["days"], serde_json::json!([]), "{body}");
    // And the good report itself still goes in (its id was never stored).
    assert_eq!(collector.post_report(&json).status, 201);

    // A log line per POST, with its status and code, and no address.
    let lines = |log: &[String]| {
        log.iter()
            .filter(|l| l.starts_with("POST /v1/reports "))
            .count()
    };
    collector.wait_for_log_lines(|log| lines(log) > posts);
    let log = collector.log();
    let post_lines: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("POST /v1/reports "))
        .collect();
    assert_eq!(post_lines.len(), posts + 1, "{log:#?}");
    assert!(post_lines.contains(&&"POST /v1/reports 413 too-large".to_string()));
    assert!(post_lines.contains(&&"POST /v1/reports 422 day-out-of-range".to_string()));
    assert_eq!(
        post_lines.last().unwrap().as_str(),
        "POST /v1/reports 201 stored"
    );
    for line in log.iter().skip(1) {
        assert!(!line.contains("127.0.0.1"), "an address in the log: {line}");
        assert!(!line.contains(&good.id), "an id in the log: {line}");
    }
}

#[test]
fn a_body_of_exactly_the_limit_is_read() {
    let collector = Collector::start("limit", &["--k", "1"]);
    let json = report(today(), 1).to_json();
    let padded = format!("{json}{}", " ".repeat(MAX_REPORT_LEN - json.len()));
    let response = collector.post_report(&padded);
    assert_eq!(response.status, 201, "{}", response.text());
}

#[test]
fn a_flood_from_one_address_is_limited_and_the_service_still_answers() {
    let collector = Collector::start("flood", &["--k", "1", "--rate-limit", "5"]);
    let day = today();
    let statuses: Vec<Response> = (0..30)
        .map(|n| collector.post_report(&report(day, n).to_json()))
        .collect();
    let created = statuses.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 5);
    let limited: Vec<&Response> = statuses.iter().filter(|r| r.status == 429).collect();
    assert_eq!(limited.len(), 25);
    for response in limited {
        assert_eq!(response.error_code(), "rate-limited");
        let retry: u64 = response
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
    }
    // Only the submissions are limited.
    let health = collector.get("/healthz");
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));
    assert_eq!(collector.published_reports(day), 5);
}

/// Every report the collector acknowledged is there after a SIGKILL, and
/// the rollups agree with the raw table.
#[test]
fn acknowledged_reports_survive_a_kill() {
    let collector = Collector::start("kill", &["--k", "1"]);
    let addr = collector.addr;
    let day = today();
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let attempted = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4u64)
        .map(|client| {
            let (acked, attempted, stop) = (acked.clone(), attempted.clone(), stop.clone());
            std::thread::spawn(move || {
                for n in 0..10_000u64 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let report = report(day, client * 1_000_000 + n);
                    let json = report.to_json();
                    attempted.lock().unwrap().push(json.clone());
                    let raw = format!(
                        "POST /v1/reports HTTP/1.1\r\nHost: c\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                        json.len()
                    );
                    match try_request(addr, raw.as_bytes()) {
                        Ok(r) if r.status == 201 => {
                            acked.lock().unwrap().insert(json);
                        }
                        Ok(r) => panic!("unexpected {}: {}", r.status, r.text()),
                        // Killed under us.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    while acked.lock().unwrap().len() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let db = collector.kill();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let attempted = attempted.lock().unwrap().clone();
    assert!(acked.len() >= 300);

    let collector = Collector::start_on(&db, &["--k", "1"]);
    let stored = collector.published_reports(day);
    let body = collector.aggregates(day, day);
    let short = cell_index(&body, "paths", "ShortValidity");
    if stored > 0 {
        assert_eq!(
            body["days"][0]["counts"]["paths"][short],
            serde_json::json!(10 * stored),
            "the cell rollup and the day rollup disagree"
        );
    }
    // Every attempt is either stored (a resend is a replay) or was never
    // committed (a resend is stored now); the acknowledged ones are all
    // stored, and the day rollup counted exactly the stored ones.
    let mut replays = 0;
    for json in &attempted {
        let response = collector.post_report(json);
        match response.status {
            409 => replays += 1,
            201 => assert!(!acked.contains(json), "an acknowledged report was lost"),
            other => panic!("unexpected {other}: {}", response.text()),
        }
    }
    assert_eq!(
        replays, stored,
        "the day rollup miscounts the stored reports"
    );
    assert!(replays >= acked.len() as u64);
}
