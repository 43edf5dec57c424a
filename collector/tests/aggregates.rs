//! `GET /v1/aggregates` against the real binary: k-anonymity, the layout
//! of the answer, and the query's checks.

mod common;

use common::*;
use revoscope::telemetry::report::{REPORT_SCHEMA, SECTIONS};
use revoscope::telemetry::{CrlClass, Day};
use serde_json::{json, Value};

#[test]
fn a_day_is_published_once_k_reports_contributed_and_rare_cells_are_suppressed() {
    let collector = Collector::start("k", &["--k", "3"]);
    let day = today();
    // One report with an OCSP page (paths.OCSP has one contributor), two
    // with short-lived pages only.
    let mut with_ocsp = vec![short_lived(); 10];
    with_ocsp.push(asked_digicert());
    let reports = [
        report_with(day, 1, &with_ocsp),
        report(day, 2),
        report(day, 3),
    ];
    for report in &reports[..2] {
        assert_eq!(collector.post_report(&report.to_json()).status, 201);
    }
    let body = collector.aggregates(day, day);
    assert_eq!(body["days"], json!([]), "2 reports < k = 3: {body}");
    assert_eq!(body["k"], 3);

    assert_eq!(collector.post_report(&reports[2].to_json()).status, 201);
    let body = collector.aggregates(day, day);
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 1, "{body}");
    assert_eq!(days[0]["day"], day.to_string());
    assert_eq!(days[0]["reports"], 3);
    let paths = &days[0]["counts"]["paths"];
    // Three contributors: the sum.
    assert_eq!(paths[cell_index(&body, "paths", "ShortValidity")], 30);
    // One contributor: suppressed.
    assert_eq!(paths[cell_index(&body, "paths", "OCSP")], Value::Null);
    let responders = &days[0]["counts"]["responder_outcomes"];
    assert_eq!(
        responders[cell_index(&body, "responder_outcomes", "digicert.com/good")],
        Value::Null
    );
    // No contributor: 0.
    assert_eq!(paths[cell_index(&body, "paths", "OneCRL")], 0);
    // A replay does not make a fourth contributor.
    assert_eq!(collector.post_report(&reports[0].to_json()).status, 409);
    assert_eq!(collector.published_reports(day), 3);

    // Two more with OCSP pages: three contributors now.
    for n in [4, 5] {
        let report = report_with(day, n, &with_ocsp);
        assert_eq!(collector.post_report(&report.to_json()).status, 201);
    }
    let body = collector.aggregates(day, day);
    assert_eq!(
        body["days"][0]["counts"]["paths"][cell_index(&body, "paths", "OCSP")],
        3
    );
}

#[test]
fn the_answer_has_the_layout_and_days_in_order() {
    let collector = Collector::start("layout", &["--k", "1"]);
    let day = today();
    for (n, d) in [(1, day.0), (2, day.0 - 3), (3, day.0 - 1)] {
        assert_eq!(
            collector.post_report(&report(Day(d), n).to_json()).status,
            201
        );
    }
    let from = Day(day.0 - 10);
    let response = collector.get(&format!("/v1/aggregates?from={from}&to={day}"));
    assert_eq!(response.status, 200);
    assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json();
    assert_eq!(body["schema"], REPORT_SCHEMA);
    assert_eq!(body["from"], from.to_string());
    assert_eq!(body["to"], day.to_string());
    let sections = body["sections"].as_array().unwrap();
    assert_eq!(sections.len(), SECTIONS.len());
    for (section, published) in SECTIONS.iter().zip(sections) {
        assert_eq!(published["name"], section.name);
        let labels: Vec<String> = (0..section.len).map(section.label).collect();
        assert_eq!(published["labels"], json!(labels));
    }
    assert_eq!(sections[0]["labels"][0], "OneCRL");
    let days: Vec<&str> = body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["day"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = [day.0 - 3, day.0 - 1, day.0]
        .iter()
        .map(|d| Day(*d).to_string())
        .collect();
    assert_eq!(days, expected);
    for published in body["days"].as_array().unwrap() {
        let counts = published["counts"].as_object().unwrap();
        let names: Vec<&str> = counts.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = SECTIONS.iter().map(|s| s.name).collect();
        expected.sort();
        let mut names = names.clone();
        names.sort();
        assert_eq!(names, expected);
        for section in &SECTIONS {
            assert_eq!(counts[section.name].as_array().unwrap().len(), section.len);
        }
    }
    // The range is inclusive at both ends.
    assert_eq!(collector.published_reports(Day(day.0 - 3)), 1);
}

#[test]
fn bad_queries_are_400_with_a_code_and_cors() {
    let collector = Collector::start("query", &[]);
    for (query, code) in [
        ("", "bad-query"),
        ("?from=2026-01-01", "bad-query"),
        ("?to=2026-01-01", "bad-query"),
        ("?from=2026-01-01&to=2026-01-02&to=2026-01-03", "bad-query"),
        ("?from=yesterday&to=2026-01-01", "bad-day"),
        ("?from=2026-01-01&to=2026-13-01", "bad-day"),
        ("?from=2026-1-1&to=2026-01-01", "bad-day"),
        ("?from=2026-01-02&to=2026-01-01", "bad-range"),
        ("?from=2026-01-01&to=2027-01-02", "bad-range"),
    ] {
        let response = collector.get(&format!("/v1/aggregates{query}"));
        assert_eq!(response.status, 400, "{query}: {}", response.text());
        assert_eq!(response.error_code(), code, "{query}");
        assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    }
    // 366 days is the most.
    let response = collector.get("/v1/aggregates?from=2028-01-01&to=2028-12-31");
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["days"], json!([]));
}

#[test]
fn schema_1_and_schema_2_reports_are_taken_and_summed_together() {
    let collector = Collector::start("schemas", &["--k", "2"]);
    let day = today();
    let mut with_crls = vec![short_lived(); 8];
    with_crls.push(crl_fetched("crl3.digicert.com", CrlClass::Ok));
    with_crls.push(crl_fetched("c.pki.goog", CrlClass::Timeout));
    // Two extensions of schema 1 and three of schema 2, all with the same
    // day's counts.
    for n in 1..=2 {
        let response = collector.post_report(&as_schema_1(&report_with(day, n, &with_crls)));
        assert_eq!(response.status, 201, "{}", response.text());
    }
    for n in 3..=5 {
        let response = collector.post_report(&report_with(day, n, &with_crls).to_json());
        assert_eq!(response.status, 201, "{}", response.text());
    }
    // A replay is one whatever its schema.
    let replay = collector.post_report(&report_with(day, 1, &with_crls).to_json());
    assert_eq!(replay.status, 409);

    let body = collector.aggregates(day, day);
    assert_eq!(body["schema"], 2);
    let published = &body["days"][0];
    assert_eq!(published["reports"], 5);
    assert_eq!(published["reports_by_schema"], json!({"1": 2, "2": 3}));
    let counts = &published["counts"];
    // Schema 1's cells: every report.
    assert_eq!(
        counts["paths"][cell_index(&body, "paths", "ShortValidity")],
        40
    );
    // The cells schema 2 added: the schema-2 reports only.
    assert_eq!(
        counts["more_paths"][cell_index(&body, "more_paths", "CRL")],
        6
    );
    let info =
        |label| counts["revocation_info"][cell_index(&body, "revocation_info", label)].clone();
    assert_eq!((info("crl-only"), info("ocsp-only")), (json!(6), json!(0)));
    assert_eq!(
        counts["crl_outcomes"][cell_index(&body, "crl_outcomes", "ok")],
        3
    );
    assert_eq!(
        counts["crl_outcomes"][cell_index(&body, "crl_outcomes", "timeout")],
        3
    );
    let hosts = &counts["crl_host_outcomes"];
    assert_eq!(
        hosts[cell_index(&body, "crl_host_outcomes", "digicert.com/ok")],
        3
    );
    assert_eq!(
        hosts[cell_index(&body, "crl_host_outcomes", "pki.goog/timeout")],
        3
    );
    assert_eq!(counts["crl_cache"][0], 0);

    // One schema-1 report on another day: below k, its schema is hidden.
    let yesterday = Day(day.0 - 1);
    for (n, json) in [
        (6, as_schema_1(&report(yesterday, 6))),
        (7, report(yesterday, 7).to_json()),
        (8, report(yesterday, 8).to_json()),
    ] {
        assert_eq!(collector.post_report(&json).status, 201, "{n}");
    }
    let body = collector.aggregates(yesterday, yesterday);
    assert_eq!(
        body["days"][0]["reports_by_schema"],
        json!({"1": null, "2": 2})
    );
}

#[test]
fn a_report_holds_exactly_the_sections_of_its_schema() {
    let collector = Collector::start("schema-sections", &["--k", "1"]);
    let day = today();
    let two = report(day, 1);
    let one = as_schema_1(&two);
    let mut with_added: Value = serde_json::from_str(&one).unwrap();
    with_added["counts"]["crl_cache"] = json!([0]);
    let mut without: Value = serde_json::from_str(&two.to_json()).unwrap();
    without["counts"]
        .as_object_mut()
        .unwrap()
        .remove("revocation_info");
    for (body, status, code, words) in [
        (
            with_added.to_string(),
            400,
            "malformed",
            "schema 1 has no such section",
        ),
        (
            without.to_string(),
            400,
            "malformed",
            "`counts.revocation_info`, which schema 2 has",
        ),
        (
            edited(&two, |v| v["schema"] = 3.into()),
            422,
            "unsupported-schema",
            "reads schemas 1 and 2",
        ),
    ] {
        let response = collector.post_report(&body);
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (status, code)
        );
        assert!(response.text().contains(words), "{}", response.text());
    }
    assert_eq!(collector.published_reports(day), 0);
}
