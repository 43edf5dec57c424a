//! The service around the API: health, unknown routes, the dashboard, the
//! command line, and a clean stop.

mod common;

use common::*;

#[test]
fn health_unknown_paths_and_methods() {
    let collector = Collector::start("health", &[]);
    let health = collector.get("/healthz");
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));

    let missing = collector.get("/v1/nothing");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "not-found");
    let wrong = collector.get("/v1/reports");
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.error_code(), "method-not-allowed");
    let wrong = collector.post("/v1/aggregates", Some("application/json"), b"{}");
    assert_eq!(wrong.status, 405);
    // Without --dashboard there is none.
    assert_eq!(collector.get("/dashboard/").status, 404);

    assert!(collector.wait_for_log(|l| l == "GET (other) 404 not-found"));
    assert!(collector.log().iter().any(|l| l == "GET /healthz 200 ok"));
}

#[test]
fn the_dashboard_is_served_from_its_directory_only() {
    let dir = temp_dir("dashboard");
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<h1>revoscope</h1>").unwrap();
    std::fs::write(site.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("secret.txt"), "secret").unwrap();
    let collector = Collector::start("dashboard", &["--dashboard", site.to_str().unwrap()]);

    let index = collector.get("/dashboard/");
    assert_eq!(
        (index.status, index.text().as_str()),
        (200, "<h1>revoscope</h1>")
    );
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let script = collector.get("/dashboard/app.js");
    assert_eq!(
        (script.status, script.text().as_str()),
        (200, "console.log(1)")
    );
    let bare = collector.get("/dashboard");
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/dashboard/"));
    for escape in ["/dashboard/../secret.txt", "/dashboard/%2e%2e/secret.txt"] {
        let response = collector.get(escape);
        assert_ne!(response.status, 200, "{escape}");
        assert!(!response.text().contains("secret"), "{escape}");
    }
    // The API is still there.
    assert_eq!(collector.get("/healthz").status, 200);
}

#[test]
fn sigterm_stops_cleanly_after_the_reports_under_way() {
    let collector = Collector::start("term", &["--k", "1"]);
    let day = today();
    assert_eq!(collector.post_report(&report(day, 1).to_json()).status, 201);
    let db = collector.db.clone();
    let status = collector.terminate();
    assert!(status.success(), "{status}");
    let collector = Collector::start_on(&db, &["--k", "1"]);
    assert_eq!(collector.published_reports(day), 1);
}

#[test]
fn bad_command_lines_and_databases_are_refused_with_a_reason() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_revoscope-collector"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is required"));
    let out = run(&["--db", "x.sqlite", "--k", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--k \"0\": must be at least 1"));
    let out = run(&["--help"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--rate-limit"));

    let dir = temp_dir("baddb");
    let missing = dir.join("no-such-dir").join("reports.sqlite");
    let out = run(&["--db", missing.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot open the database") && stderr.contains("no-such-dir"),
        "{stderr}"
    );
}
