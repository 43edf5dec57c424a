//! Aggregation: counts, day boundaries, bounds, retention, stored days.

use super::day::{bucket_of, DAY_FORMAT};
use super::event::{LiveRequest, Method, OTHER_HOST};
use super::*;
use crate::limits::MAX_TELEMETRY_RESPONDERS;

/// 2026-11-21T00:00:00Z.
const MIDNIGHT: UnixTime = UnixTime(1_795_219_200);

fn at(secs_after_midnight: i64) -> UnixTime {
    UnixTime(MIDNIGHT.0.checked_add_signed(secs_after_midnight).unwrap())
}

fn asked(host: &str, class: LiveClass, ms: u32) -> PageLoad {
    PageLoad {
        path: Path::Ocsp,
        ca_paths: vec![Path::OneCrl],
        live: LiveUse::Asked(LiveRequest {
            host: host.into(),
            method: Method::Get,
            elapsed_ms: ms,
            class,
        }),
        hard_fail: Some(if class.is_failure() {
            HardFail::BlockOffline
        } else if class == LiveClass::Revoked {
            HardFail::BlockRevoked
        } else {
            HardFail::Accept
        }),
        browser_used_ocsp: None,
        crlite: None,
        revocation_info: None,
        crl: CrlAccess::NotUsed,
    }
}

fn decided_by(path: Path) -> PageLoad {
    PageLoad {
        path,
        ca_paths: vec![Path::OneCrl, Path::OneCrl],
        live: LiveUse::NotNeeded,
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: Some(false),
        crlite: None,
        revocation_info: None,
        crl: CrlAccess::NotUsed,
    }
}

fn fresh() -> Telemetry {
    Telemetry::new(u32::from(DEFAULT_RETENTION_DAYS)).unwrap()
}

#[test]
fn days_are_utc_and_split_at_midnight() {
    assert_eq!(Day::of(MIDNIGHT).to_string(), "2026-11-21");
    assert_eq!(Day::of(at(-1)).to_string(), "2026-11-20");
    assert_eq!(Day::of(at(86_399)).to_string(), "2026-11-21");
    assert_eq!(Day::of(at(86_400)).to_string(), "2026-11-22");
    assert_eq!(Day::parse("2026-11-21").unwrap(), Day::of(MIDNIGHT));
    assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    for bad in [
        "2026-11-31",
        "2026-1-21",
        "2026-11-21T00",
        "21-11-2026",
        "",
        "2025-02-29",
    ] {
        assert_eq!(Day::parse(bad).unwrap_err().code(), "bad-day", "{bad}");
    }

    let mut t = fresh();
    t.record(&decided_by(Path::OneCrl), at(-1));
    t.record(&decided_by(Path::OneCrl), MIDNIGHT);
    t.record(&decided_by(Path::ShortValidity), at(86_399));
    let days: Vec<(String, u32)> = t.days().map(|d| (d.day.to_string(), d.pages)).collect();
    assert_eq!(days, [("2026-11-20".into(), 1), ("2026-11-21".into(), 2)]);
}

#[test]
fn a_day_counts_paths_live_use_and_hard_fail() {
    let mut t = fresh();
    let now = at(3600);
    t.record(&decided_by(Path::ShortValidity), now);
    t.record(&asked("ocsp.a.example", LiveClass::Good, 40), now);
    t.record(&asked("ocsp.a.example", LiveClass::Timeout, 3000), now);
    t.record(&asked("ocsp.b.example", LiveClass::Revoked, 9), now);
    t.record(
        &PageLoad {
            live: LiveUse::NotAsked {
                reason: NotAsked::Off,
            },
            hard_fail: Some(HardFail::Undetermined),
            ..decided_by(Path::Ocsp)
        },
        now,
    );
    t.record(&PageLoad::page_level(Path::BrowserBlocked), now);
    t.record(&PageLoad::page_level(Path::NotInspected), now);

    let d = t.day(Day::of(now)).unwrap();
    assert_eq!((d.pages, d.evaluated, d.live_needed), (7, 5, 4));
    assert_eq!(d.paths[&Path::Ocsp], 4);
    assert_eq!(d.paths[&Path::ShortValidity], 1);
    assert_eq!(d.paths[&Path::BrowserBlocked], 1);
    assert_eq!(d.ca_paths[&Path::OneCrl], 2 + 3 + 2);
    assert_eq!(d.live_not_asked[&NotAsked::Off], 1);
    assert_eq!(d.live_outcomes.values().sum::<u32>(), 3);
    assert_eq!(d.live_methods[&Method::Get], 3);
    assert_eq!(d.responders["ocsp.a.example"].attempts, 2);
    assert_eq!(d.responders["ocsp.a.example"].failures(), 1);
    assert_eq!(d.hard_fail[&HardFail::BlockOffline], 1);
    assert_eq!(d.hard_fail[&HardFail::BlockRevoked], 1);
    assert_eq!(d.hard_fail[&HardFail::Undetermined], 1);
    assert_eq!((d.browser_ocsp_known, d.browser_ocsp_used), (2, 0));
    assert_eq!(d.live_latency.0[bucket_of(3000)], 1);
}

#[test]
fn responder_hosts_are_bounded_per_day_and_checked() {
    let mut t = fresh();
    for i in 0..MAX_TELEMETRY_RESPONDERS + 50 {
        t.record(
            &asked(&format!("ocsp{i}.example"), LiveClass::Good, 5),
            MIDNIGHT,
        );
    }
    // A host already counted keeps its row when the day is full.
    t.record(&asked("ocsp0.example", LiveClass::Good, 5), MIDNIGHT);
    // An event naming something other than a host goes to `other`.
    t.record(
        &asked("https://site.example/path", LiveClass::Good, 5),
        at(86_400),
    );
    let d = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!(d.responders.len(), MAX_TELEMETRY_RESPONDERS + 1);
    assert_eq!(d.responders[OTHER_HOST].attempts, 50);
    assert_eq!(d.responders["ocsp0.example"].attempts, 2);
    let next = t.day(Day::of(at(86_400))).unwrap();
    assert_eq!(next.responders.keys().collect::<Vec<_>>(), [OTHER_HOST]);
}

#[test]
fn counts_saturate_instead_of_wrapping() {
    let mut t = fresh();
    t.record(&decided_by(Path::OneCrl), MIDNIGHT);
    let json = serde_json::to_string(t.day(Day::of(MIDNIGHT)).unwrap())
        .unwrap()
        .replace("\"pages\":1", &format!("\"pages\":{}", u32::MAX))
        .replace("\"OneCRL\":1", &format!("\"OneCRL\":{}", u32::MAX));
    t.load_day("2026-11-21", &json).unwrap();
    t.record(&decided_by(Path::OneCrl), MIDNIGHT);
    let d = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!((d.pages, d.paths[&Path::OneCrl]), (u32::MAX, u32::MAX));
}

#[test]
fn retention_prunes_whole_days_outside_the_window() {
    let mut t = Telemetry::new(3).unwrap();
    for day in 0..5 {
        t.record(&decided_by(Path::OneCrl), at(day * 86_400 + 100));
    }
    let today = at(4 * 86_400 + 86_399);
    let gone: Vec<String> = t.prune(today).iter().map(Day::to_string).collect();
    assert_eq!(gone, ["2026-11-21", "2026-11-22"]);
    assert_eq!(t.first_kept(today).to_string(), "2026-11-23");
    assert_eq!(t.days().count(), 3);
    assert!(
        t.prune(today).is_empty(),
        "pruning twice removes nothing more"
    );
    assert_eq!(Telemetry::new(0).unwrap_err().code(), "bad-retention");
    assert_eq!(Telemetry::new(100_000).unwrap_err().code(), "bad-retention");
    assert!(t.set_retention_days(0).is_err());
    assert_eq!(t.retention_days(), 3, "a refused retention changes nothing");
}

#[test]
fn a_stored_day_round_trips_and_bad_ones_are_refused_precisely() {
    let mut t = fresh();
    t.record(&asked("ocsp.a.example", LiveClass::Timeout, 2000), MIDNIGHT);
    t.record(&PageLoad::page_level(Path::NotInspected), MIDNIGHT);
    let stored = serde_json::to_string(t.day(Day::of(MIDNIGHT)).unwrap()).unwrap();

    let mut back = fresh();
    back.load_day("2026-11-21", &stored).unwrap();
    assert_eq!(back.day(Day::of(MIDNIGHT)), t.day(Day::of(MIDNIGHT)));

    let cases = [
        ("2026-11-22", stored.clone(), "wrong-day"),
        ("2026-11-21", "{".to_string(), "malformed"),
        (
            "2026-11-21",
            stored.replace("\"v\":1", "\"v\":2"),
            "unsupported-version",
        ),
        (
            "2026-11-21",
            stored.replace("\"pages\":2", "\"pages\":3"),
            "inconsistent",
        ),
        (
            "2026-11-21",
            stored.replace("\"timeout\"", "\"slow\""),
            "malformed",
        ),
        (
            "2026-11-21",
            stored.replace("\"pages\"", "\"url\":\"x\",\"pages\""),
            "malformed",
        ),
        (
            "2026-11-21",
            stored.replace("ocsp.a.example", "=HYPERLINK(1)"),
            "inconsistent",
        ),
        (
            "2026-11-21",
            " ".repeat(crate::limits::MAX_TELEMETRY_DAY_LEN + 1),
            "too-large",
        ),
        ("today", stored.clone(), "bad-day"),
    ];
    for (key, json, code) in cases {
        let mut t = fresh();
        let err = t.load_day(key, &json).unwrap_err();
        assert_eq!(err.code(), code, "{key} {err}");
        assert_eq!(t.days().count(), 0, "a refused day loads nothing");
    }
    assert_eq!(DAY_FORMAT, 1);
}

#[test]
fn an_inspected_page_leaves_the_not_inspected_count() {
    let mut t = fresh();
    t.record(&PageLoad::page_level(Path::NotInspected), MIDNIGHT);
    assert!(t.withdraw_not_inspected(Day::of(MIDNIGHT)));
    t.record(&decided_by(Path::ShortValidity), MIDNIGHT);
    let d = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!((d.pages, d.evaluated), (1, 1));
    assert!(!d.paths.contains_key(&Path::NotInspected));
    assert!(
        !t.withdraw_not_inspected(Day::of(MIDNIGHT)),
        "nothing left to withdraw"
    );
    assert!(
        !t.withdraw_not_inspected(Day::of(at(-86_400))),
        "no such day"
    );
}

#[test]
fn quantiles_interpolate_inside_power_of_two_buckets() {
    let mut h = Histogram::default();
    assert_eq!(h.quantile(0.5), None);
    for ms in [0, 1, 3, 5, 6, 7, 100, 20_000] {
        assert!(bucket_of(ms) < day::LATENCY_BUCKETS);
    }
    assert_eq!(
        (
            bucket_of(0),
            bucket_of(1),
            bucket_of(2),
            bucket_of(3),
            bucket_of(4)
        ),
        (0, 1, 2, 2, 3)
    );
    assert_eq!(bucket_of(u32::MAX), day::LATENCY_BUCKETS - 1);
    // 100 requests in [64, 128): the median is interpolated to 96.
    for _ in 0..100 {
        h.add(100);
    }
    assert_eq!(h.quantile(0.5), Some(96.0));
    // Five slow ones in the open last bucket: p95 stays in [64, 128), p99
    // answers the last bucket's floor.
    for _ in 0..5 {
        h.add(60_000);
    }
    assert!(h.quantile(0.95).unwrap() < 128.0);
    assert_eq!(h.quantile(0.99), Some(16_384.0));
}

#[test]
fn the_summary_works_out_rates_breakage_and_the_responder_table() {
    let mut t = fresh();
    let today = at(12 * 3600);
    let yesterday = at(-12 * 3600);
    for _ in 0..6 {
        t.record(&decided_by(Path::ShortValidity), today);
    }
    t.record(&asked("ocsp.a.example", LiveClass::Good, 100), today);
    t.record(&asked("ocsp.a.example", LiveClass::Timeout, 5000), today);
    t.record(&asked("ocsp.b.example", LiveClass::Revoked, 10), yesterday);
    t.record(&asked("ocsp.b.example", LiveClass::Unknown, 10), yesterday);

    let s = Summary::of(&t, Day(Day::of(today).0 - 6), Day::of(today));
    assert_eq!(s.days.len(), 7, "empty days are rows too");
    assert_eq!(s.days_with_data, 2);
    let last = s.days.last().unwrap();
    assert_eq!(
        (
            last.live.evaluated,
            last.live.needed,
            last.live.asked,
            last.live.failures
        ),
        (8, 2, 2, 1)
    );
    assert_eq!(last.live.usage_rate, Some(0.25));
    assert_eq!(last.live.failure_rate, Some(0.5));
    assert_eq!(s.days[0].live.usage_rate, None, "no page, no rate");

    let total = &s.totals.live;
    assert_eq!(
        (
            total.evaluated,
            total.needed,
            total.asked,
            total.failures,
            total.unknown
        ),
        (10, 4, 4, 1, 1)
    );
    assert_eq!(total.usage_rate, Some(0.4));
    assert_eq!(total.failure_rate, Some(0.25));
    let b = &s.totals.breakage;
    assert_eq!((b.would_block, b.revoked, b.offline), (2, 1, 1));
    assert_eq!(b.breakage_rate, Some(0.1));
    assert_eq!(s.totals.browser_ocsp_rate, Some(0.0));

    let hosts: Vec<(&str, u32, u32)> = s
        .responders
        .iter()
        .map(|r| (r.host.as_str(), r.attempts, r.failures))
        .collect();
    assert_eq!(hosts, [("ocsp.a.example", 2, 1), ("ocsp.b.example", 2, 0)]);
    assert_eq!(s.latency.counts.iter().sum::<u32>(), 4);
    assert_eq!(s.latency.floors_ms[..4], [0, 1, 2, 4]);

    // A range past the longest retention is cut; a reversed one is one day.
    let long = Summary::of(&t, Day(0), Day::of(today));
    assert_eq!(
        long.days.len(),
        usize::from(crate::limits::MAX_TELEMETRY_RETENTION_DAYS)
    );
    assert_eq!(
        Summary::of(&t, Day::of(today), Day::of(yesterday))
            .days
            .len(),
        1
    );
}

#[test]
fn exports_carry_every_count() {
    let mut t = fresh();
    t.record(&asked("ocsp.a.example", LiveClass::Timeout, 3000), MIDNIGHT);
    t.record(&PageLoad::page_level(Path::BrowserBlocked), MIDNIGHT);
    let csv = export::to_csv(&t);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], export::CSV_HEADER);
    for want in [
        "2026-11-21,pages,,2",
        "2026-11-21,evaluated,,1",
        "2026-11-21,path,OCSP,1",
        "2026-11-21,path,BrowserBlocked,1",
        "2026-11-21,live_outcome,timeout,1",
        "2026-11-21,live_latency_ms,2048,1",
        "2026-11-21,responder_outcome,ocsp.a.example/timeout,1",
        "2026-11-21,hard_fail,block-offline,1",
    ] {
        assert!(rows.contains(&want), "{want} missing from\n{csv}");
    }
    assert!(rows.iter().all(|r| r.split(',').count() == 4));

    let json: serde_json::Value = serde_json::from_str(&export::to_json(&t, MIDNIGHT)).unwrap();
    assert_eq!(json["format"], "revoscope-telemetry");
    assert_eq!(json["days"][0]["day"], "2026-11-21");
    // The export's days load back as stored days.
    let mut back = fresh();
    back.load_day("2026-11-21", &json["days"][0].to_string())
        .unwrap();
    assert_eq!(back.day(Day::of(MIDNIGHT)), t.day(Day::of(MIDNIGHT)));
}

#[test]
fn crlite_answers_are_counted_with_firefox_labels() {
    use crate::crlite::CrliteStatus;
    let mut t = fresh();
    let with = |status| PageLoad {
        crlite: Some(status),
        revocation_info: None,
        crl: CrlAccess::NotUsed,
        ..decided_by(Path::Crlite)
    };
    t.record(&with(CrliteStatus::NotRevoked), at(10));
    t.record(&with(CrliteStatus::NotRevoked), at(20));
    t.record(&with(CrliteStatus::RevokedInFilter), at(30));
    t.record(&decided_by(Path::Ocsp), at(40));
    let day = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!(day.crlite.get(&CrliteStatus::NotRevoked), Some(&2));
    assert_eq!(day.crlite.get(&CrliteStatus::RevokedInFilter), Some(&1));
    assert_eq!(
        day.crlite.len(),
        2,
        "a page CRLite was not asked about adds no label"
    );
    let json = serde_json::to_string(day).unwrap();
    assert!(
        json.contains(r#""crlite":{"not_revoked":2,"revoked_in_filter":1}"#),
        "{json}"
    );
    assert!(export::to_csv(&t).contains("2026-11-21,crlite,revoked_in_filter,1"));
    // A day stored before CRLite was counted still loads, with no answers.
    let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
    old.as_object_mut().unwrap().remove("crlite");
    let loaded = DayStats::from_json(&old.to_string()).unwrap();
    assert!(loaded.crlite.is_empty());
}

fn crl_fetched(host: &str, class: CrlClass, ms: u32, bytes: u64) -> PageLoad {
    PageLoad {
        path: Path::Crl,
        revocation_info: Some(RevocationInfo::CrlOnly),
        crl: CrlAccess::Fetched(event::CrlFetched {
            host: host.into(),
            class,
            elapsed_ms: ms,
            bytes,
        }),
        ..decided_by(Path::Crl)
    }
}

#[test]
fn a_crl_fetch_counted_after_its_page_counts_as_if_counted_with_it() {
    // The extension counts the page first and the leaf's CRL when its
    // fetch ends: the CRL sections must come out the same, and the page
    // counts must not move.
    let now = at(7200);
    let together = {
        let mut t = fresh();
        t.record(&crl_fetched("c.pki.goog", CrlClass::Ok, 90, 700), now);
        t.day(Day::of(now)).unwrap().clone()
    };
    let apart = {
        let mut t = fresh();
        let page = PageLoad {
            crl: CrlAccess::NotUsed,
            ..crl_fetched("c.pki.goog", CrlClass::Ok, 90, 700)
        };
        t.record(&page, now);
        let pages_before = t.day(Day::of(now)).unwrap().paths.clone();
        let fetched = crl_fetched("c.pki.goog", CrlClass::Ok, 90, 700).crl;
        let day = t.record_crl(&fetched, now);
        assert_eq!(day.paths, pages_before, "a CRL alone counts no page");
        day.clone()
    };
    assert_eq!(apart, together);
    assert_eq!(apart.crl_outcomes[&CrlClass::Ok], 1);

    // On a day not held yet, a CRL alone starts it without a page.
    let mut t = fresh();
    let later = at(2 * 86_400);
    let day = t.record_crl(&CrlAccess::Held, later);
    assert_eq!((day.crl_held, day.paths.len()), (1, 0));
}

fn carrying(info: RevocationInfo) -> PageLoad {
    PageLoad {
        revocation_info: Some(info),
        ..decided_by(Path::ShortValidity)
    }
}

#[test]
fn a_day_counts_revocation_info_crl_fetches_and_cache_hits() {
    let mut t = fresh();
    let now = at(3600);
    t.record(&carrying(RevocationInfo::OcspOnly), now);
    t.record(&carrying(RevocationInfo::OcspOnly), now);
    t.record(&carrying(RevocationInfo::Both), now);
    t.record(&carrying(RevocationInfo::Neither), now);
    t.record(&crl_fetched("c.pki.goog", CrlClass::Ok, 90, 700), now);
    t.record(&crl_fetched("c.pki.goog", CrlClass::Timeout, 5000, 0), now);
    t.record(
        &crl_fetched("crl3.digicert.com", CrlClass::Stale, 300, 3 << 20),
        now,
    );
    t.record(
        &PageLoad {
            crl: CrlAccess::Held,
            ..carrying(RevocationInfo::CrlOnly)
        },
        now,
    );
    // A page without a verdict has no leaf to count.
    t.record(
        &PageLoad {
            revocation_info: Some(RevocationInfo::Both),
            ..PageLoad::page_level(Path::EvaluationError)
        },
        now,
    );

    let d = t.day(Day::of(now)).unwrap();
    let info = |r| d.revocation_info.get(&r).copied().unwrap_or(0);
    assert_eq!(
        RevocationInfo::ALL.map(info),
        [2, 4, 1, 1],
        "ocsp-only, crl-only, both, neither"
    );
    assert_eq!(d.paths[&Path::Crl], 3);
    assert_eq!(d.crl_held, 1);
    assert_eq!(d.crl_outcomes[&CrlClass::Ok], 1);
    assert_eq!(d.crl_outcomes[&CrlClass::Timeout], 1);
    assert_eq!(d.crl_outcomes[&CrlClass::Stale], 1);
    assert_eq!(d.crl_latency.count(), 3);
    assert_eq!(d.crl_latency.0[bucket_of(5000)], 1);
    // Sizes in KiB buckets; a fetch without a body has no size.
    assert_eq!(d.crl_sizes.count(), 2);
    assert_eq!(d.crl_sizes.0[0], 1, "700 bytes: under 1 KiB");
    assert_eq!(d.crl_sizes.0[day::size_bucket_of(3 << 20)], 1);
    assert_eq!(day::size_bucket_of(3 << 20), bucket_of(3072));
    assert_eq!(d.crl_hosts["c.pki.goog"].fetches(), 2);
    assert_eq!(d.crl_hosts["c.pki.goog"].failures(), 1);
    assert_eq!(
        d.crl_hosts["crl3.digicert.com"].outcomes[&CrlClass::Stale],
        1
    );
    // Live OCSP's counts are untouched.
    assert_eq!(d.live_needed, 0);
    assert!(d.responders.is_empty());
}

#[test]
fn crl_hosts_are_bounded_per_day_and_checked_like_responders() {
    let mut t = fresh();
    for i in 0..MAX_TELEMETRY_RESPONDERS + 7 {
        t.record(
            &crl_fetched(&format!("crl{i}.example"), CrlClass::Ok, 5, 10),
            MIDNIGHT,
        );
    }
    t.record(&crl_fetched("crl0.example", CrlClass::Ok, 5, 10), MIDNIGHT);
    t.record(
        &crl_fetched("http://crl.example/a.crl", CrlClass::Ok, 5, 10),
        at(86_400),
    );
    let d = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!(d.crl_hosts.len(), MAX_TELEMETRY_RESPONDERS + 1);
    assert_eq!(d.crl_hosts[OTHER_HOST].fetches(), 7);
    assert_eq!(d.crl_hosts["crl0.example"].fetches(), 2);
    let next = t.day(Day::of(at(86_400))).unwrap();
    assert_eq!(next.crl_hosts.keys().collect::<Vec<_>>(), [OTHER_HOST]);

    // A stored day is held to the same rules.
    let stored = serde_json::to_string(next).unwrap();
    let mut back = fresh();
    let bad = stored.replace("\"other\"", "\"=HYPERLINK(1)\"");
    assert_eq!(
        back.load_day("2026-11-22", &bad).unwrap_err().to_string(),
        "the stored day is inconsistent: the CRL host \"=HYPERLINK(1)\" is not a plain host name"
    );
    let mut full = DayStats::new(Day::of(MIDNIGHT));
    for i in 0..MAX_TELEMETRY_RESPONDERS + 2 {
        full.crl_hosts
            .insert(format!("crl{i}.example"), Default::default());
    }
    let err = DayStats::from_json(&serde_json::to_string(&full).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the stored day is inconsistent: 202 CRL hosts, over the bound of 200"
    );
}

/// A day as the extension stored it before the leaf's revocation
/// information and CRLs were counted (format 1, without their fields).
const DAY_BEFORE_CRLS: &str = r#"{"v":1,"day":"2026-11-21","pages":3,"evaluated":2,"paths":{"OCSP":1,"ShortValidity":1,"NotInspected":1},"ca_paths":{"OneCRL":4},"live_needed":1,"live_not_asked":{},"live_outcomes":{"good":1},"live_methods":{"GET":1},"live_latency":[0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0],"responders":{"ocsp.a.example":{"attempts":1,"outcomes":{"good":1},"latency":[0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0]}},"hard_fail":{"accept":2},"browser_ocsp_known":0,"browser_ocsp_used":0}"#;

#[test]
fn days_stored_before_crls_were_counted_still_read_and_count_on() {
    let mut t = fresh();
    t.load_day("2026-11-21", DAY_BEFORE_CRLS).unwrap();
    let d = t.day(Day::of(MIDNIGHT)).unwrap();
    assert_eq!((d.pages, d.evaluated, d.live_needed), (3, 2, 1));
    assert!(d.revocation_info.is_empty() && d.crl_outcomes.is_empty());
    assert!(d.crlite.is_empty() && d.crl_hosts.is_empty());
    assert_eq!((d.crl_held, d.crl_latency.count()), (0, 0));

    // Counting goes on into the old day, and the day stored again reads
    // back whole, new fields and all.
    t.record(&crl_fetched("crl.example", CrlClass::Ok, 40, 2048), at(60));
    let stored = serde_json::to_string(t.day(Day::of(MIDNIGHT)).unwrap()).unwrap();
    assert!(
        stored.contains("\"crl_hosts\":{\"crl.example\""),
        "{stored}"
    );
    let mut back = fresh();
    back.load_day("2026-11-21", &stored).unwrap();
    assert_eq!(back.day(Day::of(MIDNIGHT)), t.day(Day::of(MIDNIGHT)));
    assert_eq!(back.day(Day::of(MIDNIGHT)).unwrap().pages, 4);

    let s = Summary::of(&back, Day::of(MIDNIGHT), Day::of(MIDNIGHT));
    assert_eq!(s.days[0].crl.fetched, 1);
    assert_eq!(s.days[0].revocation_info[&RevocationInfo::CrlOnly], 1);
}

#[test]
fn the_summary_works_out_crl_rates_and_the_crl_host_table() {
    let mut t = fresh();
    let today = at(12 * 3600);
    let yesterday = at(-12 * 3600);
    t.record(&crl_fetched("c.pki.goog", CrlClass::Ok, 100, 1500), today);
    t.record(&crl_fetched("c.pki.goog", CrlClass::Ok, 100, 1500), today);
    t.record(
        &crl_fetched("crl.example", CrlClass::HttpStatus, 20, 300),
        today,
    );
    t.record(
        &PageLoad {
            crl: CrlAccess::Held,
            ..carrying(RevocationInfo::Both)
        },
        yesterday,
    );
    let s = Summary::of(&t, Day::of(yesterday), Day::of(today));
    let last = s.days.last().unwrap();
    assert_eq!(
        (last.crl.fetched, last.crl.failures, last.crl.held),
        (3, 1, 0)
    );
    assert_eq!(last.crl.failure_rate, Some(1.0 / 3.0));
    assert_eq!(last.crl_outcomes[&CrlClass::HttpStatus], 1);
    assert_eq!(s.days[0].crl.held, 1);
    assert_eq!(s.days[0].revocation_info[&RevocationInfo::Both], 1);
    let total = &s.totals.crl;
    assert_eq!((total.fetched, total.held), (3, 1));
    assert_eq!(total.hit_rate, Some(0.25));
    assert_eq!(s.totals.revocation_info[&RevocationInfo::CrlOnly], 3);
    assert_eq!(s.crl_latency.counts.iter().sum::<u32>(), 3);
    assert_eq!(s.crl_latency.p50_ms.map(|ms| ms >= 64.0), Some(true));
    assert_eq!(s.crl_sizes.floors_kib[1], 1);
    assert_eq!(s.crl_sizes.counts[1], 2, "1,500 bytes: 1-2 KiB");
    let hosts: Vec<(&str, u32, u32)> = s
        .crl_hosts
        .iter()
        .map(|h| (h.host.as_str(), h.fetches, h.failures))
        .collect();
    assert_eq!(hosts, [("c.pki.goog", 2, 0), ("crl.example", 1, 1)]);

    let csv = export::to_csv(&t);
    for row in [
        ",revocation_info,crl-only,3",
        ",revocation_info,both,1",
        ",crl_held,,1",
        ",crl_outcome,http-status,1",
        ",crl_latency_ms,64,2",
        ",crl_size_kib,1,2",
        ",crl_host_outcome,c.pki.goog/ok,2",
        ",crl_host_latency_ms,crl.example/16,1",
    ] {
        assert!(csv.contains(row), "{row} not in\n{csv}");
    }
}
