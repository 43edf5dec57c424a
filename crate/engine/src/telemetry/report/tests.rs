//! The shared report: what goes in, what stays out, and strict reading.

use super::*;
use crate::telemetry::event::{CrlAccess, LiveRequest, LiveUse, PageLoad};
use crate::telemetry::{CrlClass, DayStats, HardFail, RevocationInfo};

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
        revocation_info: None,
        crl: CrlAccess::NotUsed,
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
        revocation_info: None,
        crl: CrlAccess::NotUsed,
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
    assert_eq!(REPORT_LEN, 1092);
    assert_eq!(REPORT_1_LEN, 758);
    assert_eq!(report_len(1), Some(REPORT_1_LEN));
    assert_eq!(report_len(2), Some(REPORT_LEN));
    assert_eq!(report_len(3), None);
    // Schema 2 only adds cells after schema 1's: each keeps its index.
    assert_eq!(names[REPORT_1_LEN - 1], "responder_latency.other/16384ms");
    assert_eq!(names[REPORT_1_LEN], "more_paths.CRL");
    assert_eq!(
        &names[REPORT_1_LEN + 1..REPORT_1_LEN + 5],
        [
            "revocation_info.ocsp-only",
            "revocation_info.crl-only",
            "revocation_info.both",
            "revocation_info.neither"
        ]
    );
    assert!(names.contains(&"crl_outcomes.out-of-scope".to_string()));
    assert!(names.contains(&"crl_latency.16384ms".to_string()));
    assert!(names.contains(&"crl_cache.hit".to_string()));
    assert!(names.contains(&"crl_host_outcomes.pki.goog/stale".to_string()));
    assert_eq!(names.last().unwrap(), "crl_host_outcomes.other/other");
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
        assert_eq!(cells.unwrap().len(), section.len, "{}", section.name);
    }
    // The room reserved is the section's own: a section read with another
    // section's length would have grown past it or left it unused.
    let mut counts = report.counts;
    for (section, cells) in SECTIONS.iter().zip(counts.sections_mut()) {
        assert_eq!(cells.unwrap().capacity(), section.len, "{}", section.name);
    }
    // A section longer than its length still reads, to be refused by name.
    let long = edited(|v| v["counts"]["crlite"].as_array_mut().unwrap().push(0.into()));
    assert_eq!(long.unwrap_err().code(), "wrong-length");
}

/// serde_json's reading of `json`, for comparison with the plain reader.
fn serde_read(json: &[u8]) -> Option<Report> {
    serde_json::from_slice(json).ok()
}

#[test]
fn the_plain_form_reads_as_serde_json_reads_it() {
    let mut loads = vec![short_lived(); 10];
    loads.push(asked("ocsp.digicert.com", LiveClass::Good, 40));
    loads.push(asked("r3.o.lencr.org", LiveClass::Timeout, 3000));
    loads.push(asked("ocsp.example.net", LiveClass::HttpStatus, 200));
    let busy = report_of(&loads);
    let quiet = report_of(&vec![short_lived(); 10]);
    for report in [&busy, &quiet] {
        let compact = report.to_json();
        let spaced = serde_json::to_string_pretty(report).unwrap();
        // Fields in another order: JSON objects have none.
        let mut value: serde_json::Value = serde_json::from_str(&compact).unwrap();
        let reordered = {
            let object = value.as_object_mut().unwrap();
            let counts = object.remove("counts").unwrap();
            let schema = object.remove("schema").unwrap();
            format!(
                "{{\"counts\":{counts},{},\"schema\":{schema}}}",
                &serde_json::to_string(object).unwrap()[1..].trim_end_matches('}')
            )
        };
        for json in [compact, spaced, reordered] {
            assert_eq!(
                plain::read(json.as_bytes()).as_ref(),
                Some(report),
                "{json}"
            );
            assert_eq!(serde_read(json.as_bytes()).as_ref(), Some(report));
        }
    }
    // A field twice, an unknown one, a missing one: serde_json's to refuse.
    let compact = quiet.to_json();
    let refused = [
        compact.replacen("{", "{\"schema\":1,", 1),
        compact.replacen("\"crlite\":", "\"crlite\":[0,0,0,0,0],\"crlite\":", 1),
        compact.replacen("\"crlite\":", "\"hosts\":[1],\"crlite\":", 1),
        compact.replacen("{", "{\"site\":\"example.com\",", 1),
        compact.replacen("\"browser\":\"firefox\",", "", 1),
        compact.replacen("\"crlite\":[0,0,0,0,0],", "", 1),
    ];
    for json in &refused {
        assert_ne!(json, &compact);
        assert_eq!(plain::read(json.as_bytes()), None, "{json}");
        let refusal = Report::from_json(json.as_bytes()).unwrap_err();
        assert_eq!(refusal.code(), "malformed", "{json}");
    }
    // Escapes are serde_json's to read.
    let escaped = quiet.to_json().replace("\"firefox\"", "\"fir\\u0065fox\"");
    assert_eq!(plain::read(escaped.as_bytes()), None);
    assert_eq!(Report::from_json(escaped.as_bytes()).unwrap(), quiet);
}

#[test]
fn whatever_the_plain_reader_reads_from_an_altered_report_serde_json_reads_alike() {
    let mut loads = vec![short_lived(); 10];
    loads.push(asked("ocsp.digicert.com", LiveClass::Good, 40));
    let json = report_of(&loads).to_json().into_bytes();
    let bytes = b"0123456789 -.eE+,:[]{}\"\\x\t\n\x01\xff";
    let mut state: u64 = 0x853c_49e6_748f_ea9b;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut read, mut left) = (0, 0);
    for _ in 0..20_000 {
        let mut altered = json.clone();
        for _ in 0..1 + next(3) {
            let at = next(altered.len());
            match next(3) {
                0 => altered[at] = bytes[next(bytes.len())],
                1 => drop(altered.remove(at)),
                _ => altered.insert(at, bytes[next(bytes.len())]),
            }
        }
        match plain::read(&altered) {
            Some(report) => {
                read += 1;
                assert_eq!(
                    serde_read(&altered),
                    Some(report),
                    "{}",
                    String::from_utf8_lossy(&altered)
                );
            }
            None => left += 1,
        }
    }
    // Both ways were taken: altered digits and spaces still read plainly.
    assert!(read > 1_000 && left > 1_000, "read {read}, left {left}");
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
        code(edited(|v| v["schema"] = 3.into())),
        "unsupported-schema"
    );
    assert_eq!(
        edited(|v| v["schema"] = 0.into()).unwrap_err().to_string(),
        "the report is in schema 0, and this version reads schemas 1 and 2"
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

fn crl_fetched(host: &str, class: CrlClass, ms: u32) -> PageLoad {
    PageLoad {
        path: Path::Crl,
        revocation_info: Some(RevocationInfo::CrlOnly),
        crl: CrlAccess::Fetched(crate::telemetry::event::CrlFetched {
            host: host.into(),
            class,
            elapsed_ms: ms,
            bytes: 5 << 20,
        }),
        ..short_lived()
    }
}

#[test]
fn schema_2_counts_crls_and_the_leaves_information_by_ca_domain() {
    let mut loads = vec![short_lived(); 8];
    loads.push(crl_fetched("crl3.digicert.com", CrlClass::Ok, 90));
    loads.push(crl_fetched("c.pki.goog", CrlClass::Stale, 40));
    loads.push(crl_fetched("127.0.0.1:8890", CrlClass::Timeout, 5000));
    loads.push(PageLoad {
        crl: CrlAccess::Held,
        revocation_info: Some(RevocationInfo::Both),
        ..short_lived()
    });
    let report = report_of(&loads);
    assert_eq!(report.schema, 2);
    assert_eq!(cell(&report, "paths.ShortValidity"), 9);
    assert_eq!(cell(&report, "more_paths.CRL"), 3);
    assert_eq!(cell(&report, "revocation_info.crl-only"), 3);
    assert_eq!(cell(&report, "revocation_info.both"), 1);
    assert_eq!(cell(&report, "revocation_info.ocsp-only"), 0);
    assert_eq!(cell(&report, "crl_outcomes.ok"), 1);
    assert_eq!(cell(&report, "crl_outcomes.stale"), 1);
    assert_eq!(cell(&report, "crl_outcomes.timeout"), 1);
    assert_eq!(cell(&report, "crl_latency.4096ms"), 1);
    assert_eq!(cell(&report, "crl_cache.hit"), 1);
    assert_eq!(cell(&report, "crl_host_outcomes.digicert.com/ok"), 1);
    assert_eq!(cell(&report, "crl_host_outcomes.pki.goog/stale"), 1);
    assert_eq!(cell(&report, "crl_host_outcomes.other/timeout"), 1);
    // No CRL host, and no size: a list's size points at its CA's shard.
    let json = report.to_json();
    for leak in ["crl3", "c.pki", "127.0.0.1", "8890", "5242880", "size"] {
        assert!(!json.contains(leak), "{leak} in {json}");
    }
    assert_eq!(Report::from_json(json.as_bytes()).unwrap(), report);
}

/// `report` as a schema-1 collector would have received it: schema 1,
/// without the sections schema 2 added.
fn as_schema_1(report: &Report) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    value["schema"] = 1.into();
    let counts = value["counts"].as_object_mut().unwrap();
    for section in &SECTIONS[SCHEMA_1_SECTIONS..] {
        counts.remove(section.name).unwrap();
    }
    value.to_string()
}

#[test]
fn schema_1_reports_still_read_as_reports_without_crl_counts() {
    let mut loads = vec![short_lived(); 9];
    loads.push(asked("ocsp.digicert.com", LiveClass::Good, 40));
    loads.push(crl_fetched("crl3.digicert.com", CrlClass::Ok, 90));
    let two = report_of(&loads);
    let json = as_schema_1(&two);
    let one = Report::from_json(json.as_bytes()).unwrap();
    assert_eq!(one.schema, 1);
    assert_eq!(one.counts.more_paths, None);
    assert_eq!(one.counts.crl_outcomes, None);
    // Its vector is the first cells of the schema-2 one.
    assert_eq!(one.counts.vector().len(), REPORT_1_LEN);
    assert_eq!(one.counts.vector(), two.counts.vector()[..REPORT_1_LEN]);
    assert_eq!(one.counts.cells().count(), REPORT_1_LEN);
    assert_eq!(
        ReportCounts::from_vector(&one.counts.vector()).unwrap(),
        one.counts
    );
    // Written back as it came.
    let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    assert_eq!(value(&one.to_json()), value(&json));
    assert_eq!(Report::from_json(one.to_json().as_bytes()).unwrap(), one);
    // The plain reader and serde_json agree on it.
    assert_eq!(plain::read(json.as_bytes()).as_ref(), Some(&one));
    assert_eq!(serde_read(json.as_bytes()).as_ref(), Some(&one));
}

#[test]
fn each_schema_has_exactly_its_sections() {
    let two = report_of(&vec![short_lived(); 10]);
    // A schema-1 report with a section of schema 2.
    let mut value: serde_json::Value = serde_json::from_str(&as_schema_1(&two)).unwrap();
    value["counts"]["crl_cache"] = serde_json::json!([0]);
    let err = Report::from_json(value.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code(), "malformed");
    assert!(
        err.to_string()
            .contains("unknown field `counts.crl_cache`: schema 1 has no such section"),
        "{err}"
    );
    // A schema-2 report without one.
    let mut value: serde_json::Value = serde_json::from_str(&two.to_json()).unwrap();
    value["counts"]
        .as_object_mut()
        .unwrap()
        .remove("crl_outcomes");
    let err = Report::from_json(value.to_string().as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("missing field `counts.crl_outcomes`, which schema 2 has"),
        "{err}"
    );
    // Lengths and the clip hold in the new sections too.
    let err = edited(|v| {
        v["counts"]["crl_host_outcomes"]
            .as_array_mut()
            .unwrap()
            .pop()
            .map(drop)
            .unwrap()
    });
    assert_eq!(
        err.unwrap_err(),
        ReportError::WrongLength {
            section: "crl_host_outcomes",
            len: 299,
            expected: 300
        }
    );
    let err = edited(|v| v["counts"]["crl_cache"][0] = (REPORT_CLIP + 1).into());
    assert_eq!(err.unwrap_err().code(), "over-clip");
    // Sections in any order, schema 2's among schema 1's: the plain reader
    // and serde agree.
    let compact = two.to_json();
    let start = compact.find("\"crl_latency\":").unwrap();
    let end = start + compact[start..].find(']').unwrap() + 1;
    let moved = &compact[start..end];
    assert_eq!(&compact[end..end + 1], ",");
    let json = format!("{}{}", &compact[..start], &compact[end + 1..]).replacen(
        "\"counts\":{",
        &format!("\"counts\":{{{moved},"),
        1,
    );
    assert_ne!(json, compact);
    assert_eq!(plain::read(json.as_bytes()).as_ref(), Some(&two), "{json}");
    assert_eq!(serde_read(json.as_bytes()).as_ref(), Some(&two));
}
