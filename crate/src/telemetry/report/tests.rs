//! The shared report: what goes in, what stays out, and strict reading.

use super::*;
use crate::telemetry::event::{LiveRequest, LiveUse, PageLoad};
use crate::telemetry::{DayStats, HardFail};

const ID: [u8; 16] = [0xab; 16];

fn day() -> Day {
    Day::parse("2026-11-20").unwrap()
}

fn asked(host: &str, class: LiveClass, ms: u32) -> PageLoad {
    PageLoad {
        path: Path::Ocsp,
        ca_paths: vec![Path::OneCrl],
        live: LiveUse::Asked(LiveRequest {
            host: host.into(),
            method: Method::Post,
            elapsed_ms: ms,
            class,
        }),
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: Some(true),
        crlite: Some(CrliteStatus::NotCovered),
    }
}

fn short_lived() -> PageLoad {
    PageLoad {
        path: Path::ShortValidity,
        ca_paths: vec![Path::OneCrl],
        live: LiveUse::NotNeeded,
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: None,
        crlite: None,
    }
}

fn stats(loads: &[PageLoad]) -> DayStats {
    let mut stats = DayStats::new(day());
    for load in loads {
        stats.record(load);
    }
    stats
}

fn cell(report: &Report, name: &str) -> u32 {
    let names = cell_names();
    let i = names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no cell {name}"));
    report.counts.vector()[i]
}

fn report_of(loads: &[PageLoad]) -> Report {
    Report::of_day(&stats(loads), ID, "0.1.0", Browser::Firefox)
        .unwrap()
        .expect("enough pages")
}

#[test]
fn the_layout_is_fixed_and_every_cell_is_named_once() {
    let names = cell_names();
    assert_eq!(names.len(), REPORT_LEN);
    assert_eq!(REPORT_LEN, 758);
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), REPORT_LEN, "duplicate cell names");
    assert_eq!(names[0], "paths.OneCRL");
    assert!(names.contains(&"responder_outcomes.other/timeout".to_string()));
    assert!(names.contains(&"responder_latency.digicert.com/512ms".to_string()));
}

#[test]
fn a_day_becomes_clipped_counts_with_responders_by_ca_domain() {
    let mut loads = vec![short_lived(); 8];
    loads.push(asked("ocsp.digicert.com", LiveClass::Good, 40));
    loads.push(asked("ocsp2.digicert.com", LiveClass::Timeout, 3000));
    loads.push(asked("127.0.0.1:8888", LiveClass::Revoked, 3));
    loads.push(asked("evil-digicert.com", LiveClass::Good, 3));
    let report = report_of(&loads);
    assert_eq!(report.day, day());
    assert_eq!(report.extension, "0.1");
    assert_eq!(report.id, "ab".repeat(16));
    assert_eq!(cell(&report, "paths.ShortValidity"), 8);
    assert_eq!(cell(&report, "paths.OCSP"), 4);
    assert_eq!(cell(&report, "live_methods.POST"), 4);
    assert_eq!(cell(&report, "responder_outcomes.digicert.com/good"), 1);
    assert_eq!(cell(&report, "responder_outcomes.digicert.com/timeout"), 1);
    // Not a subdomain of digicert.com, and the demo's loopback responder:
    // both are `other`.
    assert_eq!(cell(&report, "responder_outcomes.other/good"), 1);
    assert_eq!(cell(&report, "responder_outcomes.other/revoked"), 1);
    assert_eq!(cell(&report, "responder_latency.digicert.com/2048ms"), 1);
    assert_eq!(cell(&report, "browser_ocsp.known"), 4);
    assert_eq!(cell(&report, "crlite.not_covered"), 4);

    let json = report.to_json();
    for leak in ["ocsp.digicert.com", "127.0.0.1", "evil", "0.1.0"] {
        assert!(!json.contains(leak), "{leak} in {json}");
    }
    assert_eq!(Report::from_json(json.as_bytes()).unwrap(), report);
}

#[test]
fn counts_are_clipped() {
    let mut stats = stats(&vec![short_lived(); 10]);
    stats.paths.insert(Path::ShortValidity, 5000);
    stats.pages = 5000;
    let report = Report::of_day(&stats, ID, "0.1.0", Browser::Chrome)
        .unwrap()
        .unwrap();
    assert_eq!(cell(&report, "paths.ShortValidity"), REPORT_CLIP);
    assert!(report.counts.vector().iter().all(|&c| c <= REPORT_CLIP));
}

#[test]
fn a_quiet_day_is_not_reported() {
    let quiet = stats(&vec![short_lived(); MIN_REPORT_PAGES as usize - 1]);
    assert_eq!(
        Report::of_day(&quiet, ID, "0.1.0", Browser::Firefox).unwrap(),
        None
    );
    let enough = stats(&vec![short_lived(); MIN_REPORT_PAGES as usize]);
    assert!(Report::of_day(&enough, ID, "0.1.0", Browser::Firefox)
        .unwrap()
        .is_some());
}

#[test]
fn versions_keep_the_minor_number_only() {
    assert_eq!(minor_version("0.1.0").as_deref(), Some("0.1"));
    assert_eq!(minor_version("12.34").as_deref(), Some("12.34"));
    for bad in ["", "1", "1.", ".1", "a.b", "1.2a", "12345.1"] {
        assert_eq!(minor_version(bad), None, "{bad}");
    }
    let err = Report::of_day(&stats(&[]), ID, "dev", Browser::Firefox).unwrap_err();
    assert_eq!(err.code(), "bad-extension-version");
}

#[test]
fn the_vector_round_trips_through_its_sections() {
    let report = report_of(
        &[
            vec![short_lived(); 9],
            vec![asked("o.pki.goog", LiveClass::Unknown, 9)],
        ]
        .concat(),
    );
    let vector = report.counts.vector();
    assert_eq!(vector.len(), REPORT_LEN);
    assert_eq!(ReportCounts::from_vector(&vector).unwrap(), report.counts);
    assert_eq!(ReportCounts::from_vector(&vector[1..]), None);
}

#[test]
fn each_section_is_read_into_room_for_its_own_length() {
    let report = edited(|_| {}).unwrap();
    for (section, cells) in SECTIONS.iter().zip(report.counts.sections()) {
        assert_eq!(cells.len(), section.len, "{}", section.name);
    }
    // The room reserved is the section's own: a section read with another
    // section's length would have grown past it or left it unused.
    let mut counts = report.counts;
    for (section, cells) in SECTIONS.iter().zip(counts.sections_mut()) {
        assert_eq!(cells.capacity(), section.len, "{}", section.name);
    }
    // A section longer than its length still reads, to be refused by name.
    let long = edited(|v| v["counts"]["crlite"].as_array_mut().unwrap().push(0.into()));
    assert_eq!(long.unwrap_err().code(), "wrong-length");
}

#[test]
fn plain_cells_read_what_serde_json_reads_and_leave_the_rest_to_it() {
    let plain = [
        "[]",
        " [ ] ",
        "[0]",
        "[0,7,0,12]",
        "[ 1 ,\t2\n,\r3 ]",
        "[4294967295]",
        "[1000000,0]",
    ];
    for text in plain {
        let serde: Vec<u32> = serde_json::from_str(text).unwrap();
        assert_eq!(plain_cells(text.as_bytes(), 4), Some(serde), "{text:?}");
    }
    // Valid JSON that is not a plain count array, and invalid JSON: serde
    // decides these, whether it reads them (`1e1`, `1.0`) or not.
    let left = [
        "[01]",
        "[-1]",
        "[-0]",
        "[1.5]",
        "[1.0]",
        "[1e1]",
        "[1E1]",
        "[4294967296]",
        "[99999999999999999999]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[\"1\"]",
        "[null]",
        "[[1]]",
        "[1]]",
        "[1",
        "[",
        "",
        "{}",
        "1",
        "[1]x",
        "[+1]",
    ];
    for text in left {
        assert_eq!(plain_cells(text.as_bytes(), 4), None, "{text:?}");
    }
    // A report with spaces in its counts reads as it does without them.
    let report = report_of(&vec![short_lived(); 10]);
    let spaced = serde_json::to_string_pretty(&report).unwrap();
    assert_eq!(Report::from_json(spaced.as_bytes()).unwrap(), report);
}

#[test]
fn a_count_serde_refuses_is_named_with_its_section_and_serdes_reason() {
    let bad = edited(|v| v["counts"]["live_latency"][2] = 1.5.into()).unwrap_err();
    let ReportError::Malformed(message) = bad else {
        panic!("{bad:?}")
    };
    assert!(
        message.starts_with("counts.live_latency: invalid type: floating point `1.5`, expected u32 at line 1 column "),
        "{message}"
    );
    let bad = edited(|v| v["counts"]["paths"][0] = (-1).into()).unwrap_err();
    assert!(
        bad.to_string()
            .contains("counts.paths: invalid value: integer `-1`"),
        "{bad}"
    );
}

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Report, ReportError> {
    let mut value: serde_json::Value =
        serde_json::from_str(&report_of(&vec![short_lived(); 10]).to_json()).unwrap();
    edit(&mut value);
    Report::from_json(value.to_string().as_bytes())
}

#[test]
fn reading_is_strict_and_each_refusal_is_precise() {
    assert!(edited(|_| {}).is_ok());
    let code = |r: Result<Report, ReportError>| r.unwrap_err().code();
    assert_eq!(
        code(edited(|v| v["schema"] = 2.into())),
        "unsupported-schema"
    );
    assert_eq!(code(edited(|v| v["schema"] = "1".into())), "malformed");
    // A newer schema is named as such whatever else it changed.
    let newer = edited(|v| {
        v["schema"] = (1u64 << 40).into();
        v["new_field"] = true.into();
    });
    assert!(matches!(newer, Err(ReportError::UnsupportedSchema(s)) if s == 1 << 40));
    assert_eq!(
        code(edited(|v| {
            v.as_object_mut().unwrap().remove("schema");
        })),
        "malformed"
    );
    // The current schema with a bad field is malformed, with serde's reason.
    let bad = edited(|v| v["browser"] = "safari".into()).unwrap_err();
    assert!(
        bad.to_string().contains("unknown variant `safari`"),
        "{bad}"
    );
    assert_eq!(code(edited(|v| v["id"] = "AB".repeat(16).into())), "bad-id");
    assert_eq!(code(edited(|v| v["id"] = "ab".into())), "bad-id");
    assert_eq!(
        code(edited(|v| v["extension"] = "0.1.0".into())),
        "bad-extension-version"
    );
    assert_eq!(
        code(edited(|v| v["browser"] = "safari".into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["day"] = "2026-13-01".into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["site"] = "example.com".into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["counts"]["hosts"] = 1.into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["counts"]["paths"][0] = (-1).into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["counts"]["paths"][0] = 1.5.into())),
        "malformed"
    );
    assert_eq!(
        code(edited(|v| v["counts"]["paths"][0] = 4_294_967_296u64.into())),
        "malformed"
    );
    assert_eq!(
        edited(|v| v["counts"]["paths"][3] = (REPORT_CLIP + 1).into()).unwrap_err(),
        ReportError::OverClip {
            section: "paths",
            index: 3,
            value: REPORT_CLIP + 1
        }
    );
    assert_eq!(
        edited(|v| v["counts"]["crlite"].as_array_mut().unwrap().push(0.into())).unwrap_err(),
        ReportError::WrongLength {
            section: "crlite",
            len: 6,
            expected: 5
        }
    );
    assert_eq!(
        code(edited(|v| v
            .as_object_mut()
            .unwrap()
            .remove("counts")
            .map(drop)
            .unwrap())),
        "malformed"
    );
    let huge = format!(
        "{{\"schema\":1,\"pad\":\"{}\"}}",
        "x".repeat(MAX_REPORT_LEN)
    );
    assert_eq!(code(Report::from_json(huge.as_bytes())), "too-large");
    assert_eq!(code(Report::from_json(b"\xff\xfe")), "malformed");
}

#[test]
fn a_report_at_the_clip_fits_the_size_limit() {
    let mut report = report_of(&vec![short_lived(); 10]);
    report.counts = ReportCounts::from_vector(&vec![REPORT_CLIP; REPORT_LEN]).unwrap();
    let json = report.to_json();
    assert!(json.len() < MAX_REPORT_LEN / 2, "{} bytes", json.len());
    assert_eq!(Report::from_json(json.as_bytes()).unwrap(), report);
}

#[test]
fn responder_slots_match_whole_labels() {
    let slot = |h| RESPONDER_DOMAINS.get(responder_slot(h)).copied();
    assert_eq!(slot("ocsp.digicert.com"), Some("digicert.com"));
    assert_eq!(slot("digicert.com"), Some("digicert.com"));
    assert_eq!(slot("ocsp.digicert.com:8080"), Some("digicert.com"));
    assert_eq!(slot("ocsp.r2m01.amazontrust.com"), Some("amazontrust.com"));
    assert_eq!(slot("notdigicert.com"), None);
    assert_eq!(slot("digicert.com.evil.example"), None);
    assert_eq!(slot("[::1]:80"), None);
    assert_eq!(slot("other"), None);
}
