//! CRLite: filters built with Mozilla's clubcard builder over leaves issued
//! here, queried through the engine's filter set and the ladder's crlite
//! step. The builder is random per run, so the tests assert answers, never
//! bytes.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use revoscope::crlite::filter::FilterMeta;
use revoscope::crlite::{CrliteError, CrliteStatus, Filter, FilterKind, FilterSet};
use revoscope::policy::CrliteMode;
use revoscope::{Cert, Outcome, Status, Step, StepOutcome, UnixTime};
use support::crlite::{build, Issuer, LogCoverage, Version};
use support::pki::{issue, key, Spec, DAY, LEAF_NOT_BEFORE};
use x509_cert::name::Name;

const LOG_A: u8 = 0xA1;
const LOG_B: u8 = 0xB2;
const UNKNOWN_LOG: u8 = 0xEE;
/// The leaves' SCT time: a day after they begin.
const SCT_MS: u64 = (LEAF_NOT_BEFORE + DAY) * 1000;
/// The filters' effective time: the evaluation's NOW less a day.
const EFFECTIVE_MS: u64 = (support::NOW.0 - DAY) * 1000;
/// When the filters were installed: the evaluation's NOW less a day.
const INSTALLED: UnixTime = UnixTime(support::NOW.0 - DAY);

fn int_good() -> (Name, Vec<u8>) {
    let pem = std::fs::read(support::fixture_path("pki/int-good.pem")).unwrap();
    let der = revoscope::pem::read_certificates(&pem).unwrap().remove(0);
    let cert = Cert::from_der(&der).unwrap();
    (Name::from_der_bytes(&cert.subject_der), der)
}

trait FromDerBytes {
    fn from_der_bytes(der: &[u8]) -> Self;
}
impl FromDerBytes for Name {
    fn from_der_bytes(der: &[u8]) -> Self {
        use der::Decode;
        Name::from_der(der).unwrap()
    }
}

/// A leaf under int-good with this serial and these (log byte, ms) SCTs,
/// as a chain (leaf, int-good).
fn leaf(serial: u64, scts: &[(u8, u64)]) -> Vec<Vec<u8>> {
    let (issuer_name, issuer_der) = int_good();
    let mut spec = Spec::new(
        &format!("CN=crlite-{serial}.revoscope.test"),
        &issuer_name,
        serial,
    );
    spec.scts = scts.to_vec();
    let der = issue(&spec, &key(&format!("crlite-{serial}")), &key("int-good"));
    vec![der, issuer_der]
}

fn serial(n: u64) -> Vec<u8> {
    support::pki::minimal_serial(n)
}

fn int_good_hash() -> [u8; 32] {
    *Cert::from_der(&int_good().1).unwrap().spki.sha256()
}

fn coverage() -> Vec<LogCoverage> {
    vec![
        LogCoverage {
            log_id: [LOG_A; 32],
            low_ms: SCT_MS - 30 * DAY * 1000,
            high_ms: SCT_MS + 30 * DAY * 1000,
        },
        LogCoverage {
            log_id: [LOG_B; 32],
            low_ms: SCT_MS - 30 * DAY * 1000,
            high_ms: SCT_MS + 30 * DAY * 1000,
        },
    ]
}

/// int-good enrolled: serials 1..=3 revoked, 10..=20 not.
fn full_filter(version: Version) -> Vec<u8> {
    build(
        &coverage(),
        &[Issuer {
            spki_sha256: int_good_hash(),
            revoked: (1..=3).map(serial).collect(),
            good: (10..=20).map(serial).collect(),
        }],
        version,
    )
}

/// A later delta: serial 10 revoked since.
fn delta_filter() -> Vec<u8> {
    build(
        &coverage(),
        &[Issuer {
            spki_sha256: int_good_hash(),
            revoked: vec![serial(10)],
            good: (11..=20).map(serial).chain((1..=3).map(serial)).collect(),
        }],
        Version::V4,
    )
}

fn meta(id: &str, kind: FilterKind, effective_ms: u64, parent: Option<&str>) -> FilterMeta {
    FilterMeta {
        id: id.into(),
        kind,
        effective_ms,
        parent: parent.map(str::to_owned),
    }
}

fn full_only(version: Version) -> FilterSet {
    let full = Filter::from_bytes(
        meta("full-1", FilterKind::Full, EFFECTIVE_MS, None),
        &full_filter(version),
    )
    .unwrap();
    FilterSet::new(vec![full], INSTALLED).unwrap()
}

fn with_delta() -> FilterSet {
    let full = Filter::from_bytes(
        meta(
            "full-1",
            FilterKind::Full,
            EFFECTIVE_MS - 6 * 3_600_000,
            None,
        ),
        &full_filter(Version::V4),
    )
    .unwrap();
    let delta = Filter::from_bytes(
        meta("delta-1", FilterKind::Delta, EFFECTIVE_MS, Some("full-1")),
        &delta_filter(),
    )
    .unwrap();
    FilterSet::new(vec![full, delta], INSTALLED).unwrap()
}

fn status_of(set: &FilterSet, chain: &[Vec<u8>]) -> CrliteStatus {
    let leaf = Cert::from_der(&chain[0]).unwrap();
    let issuer = Cert::from_der(&chain[1]).unwrap();
    set.lookup(&leaf, &issuer).status
}

#[test]
fn both_encodings_answer_every_scenario() {
    for version in [Version::V3, Version::V4] {
        let set = full_only(version);
        assert_eq!(
            set.full().encoding,
            if version == Version::V3 { 3 } else { 4 }
        );
        let cases: [(&str, Vec<Vec<u8>>, CrliteStatus); 6] = [
            (
                "covered, revoked",
                leaf(2, &[(LOG_A, SCT_MS)]),
                CrliteStatus::RevokedInFilter,
            ),
            (
                "covered, good",
                leaf(12, &[(LOG_A, SCT_MS)]),
                CrliteStatus::NotRevoked,
            ),
            (
                "an SCT from an unknown log",
                leaf(2, &[(UNKNOWN_LOG, SCT_MS)]),
                CrliteStatus::NotCovered,
            ),
            (
                "an SCT after the coverage",
                leaf(2, &[(LOG_A, SCT_MS + 31 * DAY * 1000)]),
                CrliteStatus::NotCovered,
            ),
            ("no SCTs", leaf(2, &[]), CrliteStatus::NotCovered),
            (
                "an unknown SCT first, a covered one second",
                leaf(3, &[(UNKNOWN_LOG, SCT_MS), (LOG_B, SCT_MS)]),
                CrliteStatus::RevokedInFilter,
            ),
        ];
        for (about, chain, expected) in cases {
            assert_eq!(status_of(&set, &chain), expected, "{version:?}: {about}");
        }
    }
}

#[test]
fn an_issuer_without_data_is_not_enrolled() {
    // The test root's other intermediate: covered SCT, no block in the filter.
    let pem = std::fs::read(support::fixture_path("pki/int-revoked-key.pem")).unwrap();
    let other = revoscope::pem::read_certificates(&pem).unwrap().remove(0);
    let mut chain = leaf(2, &[(LOG_A, SCT_MS)]);
    chain[1] = other;
    assert_eq!(
        status_of(&full_only(Version::V4), &chain),
        CrliteStatus::NotEnrolled
    );
}

#[test]
fn a_revocation_only_in_a_delta_wins() {
    let chain = leaf(10, &[(LOG_A, SCT_MS)]);
    assert_eq!(
        status_of(&full_only(Version::V4), &chain),
        CrliteStatus::NotRevoked
    );
    let set = with_delta();
    let leaf_cert = Cert::from_der(&chain[0]).unwrap();
    let lookup = set.lookup(&leaf_cert, &Cert::from_der(&chain[1]).unwrap());
    assert_eq!(lookup.status, CrliteStatus::RevokedInFilter);
    assert_eq!(lookup.filter.as_deref(), Some("delta-1"));
    // Revoked in the full filter stays revoked, and the full filter says so.
    let chain = leaf(1, &[(LOG_A, SCT_MS)]);
    let lookup = set.lookup(
        &Cert::from_der(&chain[0]).unwrap(),
        &Cert::from_der(&chain[1]).unwrap(),
    );
    assert_eq!(lookup.filter.as_deref(), Some("full-1"));
}

#[test]
fn chains_of_filters_are_checked() {
    let full = || {
        Filter::from_bytes(
            meta("full-1", FilterKind::Full, EFFECTIVE_MS, None),
            &full_filter(Version::V4),
        )
        .unwrap()
    };
    let delta = |id: &str, ms: u64, parent: Option<&str>| {
        Filter::from_bytes(meta(id, FilterKind::Delta, ms, parent), &delta_filter()).unwrap()
    };
    let cases: Vec<(Vec<Filter>, &str)> = vec![
        (vec![], "no-full-filter"),
        (vec![delta("d", EFFECTIVE_MS, None)], "not-full"),
        (vec![full(), full()], "not-delta"),
        (
            vec![full(), delta("d", EFFECTIVE_MS, Some("elsewhere"))],
            "broken-chain",
        ),
        (
            vec![full(), delta("d", EFFECTIVE_MS - 1, Some("full-1"))],
            "out-of-order",
        ),
    ];
    for (filters, code) in cases {
        let err = FilterSet::new(filters, INSTALLED).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
    }
    let ok = FilterSet::new(
        vec![
            full(),
            delta("d1", EFFECTIVE_MS, Some("full-1")),
            delta("d2", EFFECTIVE_MS + 1, Some("d1")),
        ],
        INSTALLED,
    )
    .unwrap();
    assert_eq!(ok.deltas().len(), 2);
    assert_eq!(ok.newest_ms(), EFFECTIVE_MS + 1);
}

#[test]
fn bad_filter_bytes_are_precise_errors() {
    let m = || meta("f", FilterKind::Full, 0, None);
    let good = full_filter(Version::V4);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "malformed-filter"),
        (vec![2, 0, 1, 2, 3], "unsupported-encoding"),
        (vec![4, 1], "malformed-filter"),
        (good[..good.len() / 2].to_vec(), "malformed-filter"),
        ([good.as_slice(), &[0]].concat(), "malformed-filter"),
        (vec![3, 0, 0xff, 0xff, 0xff, 0xff], "malformed-filter"),
    ];
    for (bytes, code) in cases {
        let err = Filter::from_bytes(m(), &bytes).unwrap_err();
        assert_eq!(err.code(), code, "{} bytes: {err}", bytes.len());
    }
    let err = Filter::from_bytes(m(), &vec![4; revoscope::limits::MAX_CRLITE_FILTER_LEN + 1])
        .unwrap_err();
    assert!(matches!(err, CrliteError::FilterTooLarge { .. }), "{err}");
}

/// The ladder with a filter set and a CRLite mode, on `firefox-today`.
fn evaluate(
    chain: &[Vec<u8>],
    set: Option<&FilterSet>,
    mode: CrliteMode,
    time: UnixTime,
) -> revoscope::Verdict {
    let mut policy = support::policy("firefox-today");
    policy.crlite = mode;
    let snapshot = support::test_snapshot();
    let mut input = support::plain_input(chain, &policy, &snapshot);
    input.crlite = set;
    input.time = time;
    revoscope::evaluate(&input).unwrap()
}

fn crlite_trace(verdict: &revoscope::Verdict) -> Vec<StepOutcome> {
    verdict.certificates[0]
        .trace
        .iter()
        .filter(|t| t.step == Step::Crlite)
        .map(|t| t.outcome)
        .collect()
}

#[test]
fn enforce_decides_covered_leaves_without_ocsp() {
    let set = full_only(Version::V4);
    let revoked = evaluate(
        &leaf(2, &[(LOG_A, SCT_MS)]),
        Some(&set),
        CrliteMode::Enforce,
        support::NOW,
    );
    let leaf_verdict = &revoked.certificates[0];
    assert_eq!(
        (leaf_verdict.status, leaf_verdict.decided_by),
        (Status::Revoked, Step::Crlite)
    );
    assert_eq!(revoked.outcome, Outcome::Block);
    assert!(
        leaf_verdict.fetch.is_none(),
        "no OCSP request for a CRLite revocation"
    );
    assert_eq!(
        leaf_verdict.crlite.as_ref().unwrap().status,
        CrliteStatus::RevokedInFilter
    );

    let good = evaluate(
        &leaf(15, &[(LOG_A, SCT_MS)]),
        Some(&set),
        CrliteMode::Enforce,
        support::NOW,
    );
    let leaf_verdict = &good.certificates[0];
    assert_eq!(
        (leaf_verdict.status, leaf_verdict.decided_by),
        (Status::Good, Step::Crlite)
    );
    assert!(
        leaf_verdict.fetch.is_none(),
        "no OCSP request for a CRLite good"
    );
    assert_eq!(good.outcome, Outcome::Accept);
    assert_eq!(good.hard_fail_would_block, Some(false));
    let info = good.crlite.as_ref().unwrap();
    assert_eq!(
        (info.full_id.as_str(), info.deltas, info.stale),
        ("full-1", 0, false)
    );
}

#[test]
fn uncovered_leaves_go_on_down_the_ladder() {
    let set = full_only(Version::V4);
    for (chain, outcome) in [
        (leaf(2, &[(UNKNOWN_LOG, SCT_MS)]), StepOutcome::NotCovered),
        (leaf(2, &[]), StepOutcome::NotCovered),
    ] {
        let verdict = evaluate(&chain, Some(&set), CrliteMode::Enforce, support::NOW);
        assert_eq!(crlite_trace(&verdict), vec![outcome]);
        let leaf_verdict = &verdict.certificates[0];
        assert_eq!(
            (leaf_verdict.status, leaf_verdict.decided_by),
            (Status::Pending, Step::LiveOcsp)
        );
    }
}

#[test]
fn telemetry_only_notes_the_answer_and_goes_on() {
    let set = full_only(Version::V4);
    let verdict = evaluate(
        &leaf(2, &[(LOG_A, SCT_MS)]),
        Some(&set),
        CrliteMode::TelemetryOnly,
        support::NOW,
    );
    assert_eq!(crlite_trace(&verdict), vec![StepOutcome::Revoked]);
    let leaf_verdict = &verdict.certificates[0];
    assert_eq!(
        leaf_verdict.decided_by,
        Step::LiveOcsp,
        "telemetry-only never decides"
    );
    assert_eq!(
        leaf_verdict.crlite.as_ref().unwrap().status,
        CrliteStatus::RevokedInFilter
    );
    // Disabled: no step, no status.
    let verdict = evaluate(
        &leaf(2, &[(LOG_A, SCT_MS)]),
        Some(&set),
        CrliteMode::Disabled,
        support::NOW,
    );
    assert!(crlite_trace(&verdict).is_empty());
    assert!(verdict.certificates[0].crlite.is_none());
}

/// A leaf whose SCT list extension wraps the list in an OCTET STRING with a
/// non-minimal length (`04 81 6c`, where DER wants `04 6c`), as some real
/// certificates do (`04 81 7a` was seen); the SCT inside is one the filters
/// cover, for a serial they list as revoked.
fn leaf_with_non_minimal_sct_wrapper() -> Vec<Vec<u8>> {
    let (issuer_name, issuer_der) = int_good();
    let mut spec = Spec::new("CN=crlite-bad-scts.revoscope.test", &issuer_name, 2);
    let list = support::pki::sct_list(&[(LOG_A, SCT_MS), (LOG_B, SCT_MS)]);
    let mut value = vec![0x04, 0x81, u8::try_from(list.len()).unwrap()];
    value.extend(&list);
    spec.sct_extension_value = Some(value);
    let der = issue(&spec, &key("crlite-bad-scts"), &key("int-good"));
    vec![der, issuer_der]
}

#[test]
fn an_unreadable_sct_list_leaves_the_certificate_with_no_usable_scts() {
    let chain = leaf_with_non_minimal_sct_wrapper();
    // The certificate reads; its facts say why the SCT list does not.
    let leaf = Cert::from_der(&chain[0]).expect("a bad SCT list is not fatal");
    assert!(leaf.scts.is_empty());
    let why = "the extension value is not a DER OCTET STRING: \
               incorrect length for OCTET STRING";
    assert_eq!(leaf.sct_list_error.as_deref(), Some(why));
    let facts = serde_json::to_value(&leaf).unwrap();
    assert_eq!(facts["sct_list_error"], why);
    assert_eq!(facts["scts"], serde_json::json!([]));

    // CRLite has no SCT to place the certificate in the filters' coverage,
    // though the SCTs inside would have been covered and the serial is listed.
    let set = full_only(Version::V4);
    assert_eq!(status_of(&set, &chain), CrliteStatus::NotCovered);
    let verdict = evaluate(&chain, Some(&set), CrliteMode::Enforce, support::NOW);
    assert_eq!(crlite_trace(&verdict), vec![StepOutcome::NotCovered]);
    let detail = &verdict.certificates[0]
        .trace
        .iter()
        .find(|t| t.step == Step::Crlite)
        .unwrap()
        .detail;
    assert_eq!(
        detail,
        &format!(
            "not covered by the CRLite filters (full full-1 and 0 deltas): the certificate \
             has no usable SCTs, its SCT list could not be read ({why}); the ladder goes on"
        )
    );
    assert_eq!(verdict.certificates[0].decided_by, Step::LiveOcsp);
}

#[test]
fn ten_days_without_an_update_count_as_no_filter() {
    let set = full_only(Version::V4);
    let chain = leaf(2, &[(LOG_A, SCT_MS)]);
    // Installed at NOW - 1 day: a second before NOW + 9 days it is still
    // fresh; at NOW + 9 days, ten days on, Firefox stops using it.
    let last_fresh = UnixTime(support::NOW.0 + 9 * DAY - 1);
    let verdict = evaluate(&chain, Some(&set), CrliteMode::Enforce, last_fresh);
    assert_eq!(verdict.certificates[0].decided_by, Step::Crlite);
    let past = UnixTime(last_fresh.0 + 1);
    let verdict = evaluate(&chain, Some(&set), CrliteMode::Enforce, past);
    assert_eq!(crlite_trace(&verdict), vec![StepOutcome::NoFilter]);
    assert_eq!(
        verdict.certificates[0].crlite.as_ref().unwrap().status,
        CrliteStatus::NoFilter
    );
    assert!(verdict.crlite.as_ref().unwrap().stale);
    assert_ne!(verdict.certificates[0].decided_by, Step::Crlite);
    // And no filter at all.
    let verdict = evaluate(&chain, None, CrliteMode::Enforce, support::NOW);
    assert_eq!(crlite_trace(&verdict), vec![StepOutcome::NoFilter]);
}

#[test]
fn onecrl_still_comes_first() {
    // A leaf under the OneCRL-listed intermediate: OneCRL revokes the
    // intermediate; the leaf's own CRLite answer does not rescue the chain.
    let set = full_only(Version::V4);
    let chain = support::chain(support::UNDER_REVOKED_SERIAL);
    let verdict = evaluate(&chain, Some(&set), CrliteMode::Enforce, support::NOW);
    assert_eq!(verdict.outcome, Outcome::Block);
    assert_eq!(verdict.certificates[1].decided_by, Step::Onecrl);
}

#[test]
fn a_lookup_reads_the_leaf_serial_and_the_issuer_key_exactly() {
    let set = full_only(Version::V4);
    let hash = int_good_hash();
    let sct = revoscope::sct::Sct {
        version: 0,
        log_id: [LOG_A; 32],
        timestamp_ms: SCT_MS,
    };
    assert_eq!(
        set.query(&hash, &serial(2), std::slice::from_ref(&sct))
            .status,
        CrliteStatus::RevokedInFilter
    );
    // Clubcards answer exactly only inside their universe (the serials CT
    // knows), so a changed serial is not asserted; a changed issuer is.
    assert_eq!(
        set.query(&hash, &serial(12), std::slice::from_ref(&sct))
            .status,
        CrliteStatus::NotRevoked
    );
    let mut other = hash;
    other[31] ^= 1;
    assert_eq!(
        set.query(&other, &serial(2), &[sct]).status,
        CrliteStatus::NotEnrolled
    );
}

/// Filters come from a server: a changed or cut byte anywhere must end as a
/// decode error or as answers, never as a panic (the wasm build aborts on
/// one). Every byte of a small filter is flipped, and every length tried.
#[test]
fn damaged_filters_never_panic() {
    let small = |version| {
        build(
            &coverage(),
            &[Issuer {
                spki_sha256: int_good_hash(),
                revoked: vec![serial(1), serial(2)],
                good: (10..=14).map(serial).collect(),
            }],
            version,
        )
    };
    let keys: Vec<(Vec<Vec<u8>>, u64)> = vec![
        (leaf(2, &[(LOG_A, SCT_MS)]), 2),
        (leaf(12, &[(LOG_B, SCT_MS)]), 12),
    ];
    let certs: Vec<(Cert, Cert)> = keys
        .iter()
        .map(|(chain, _)| {
            (
                Cert::from_der(&chain[0]).unwrap(),
                Cert::from_der(&chain[1]).unwrap(),
            )
        })
        .collect();
    for version in [Version::V3, Version::V4] {
        let bytes = small(version);
        let mut tried = 0;
        let mut variants: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                variants.push(b);
            }
        }
        for damaged in variants {
            if let Ok(filter) =
                Filter::from_bytes(meta("f", FilterKind::Full, EFFECTIVE_MS, None), &damaged)
            {
                let set = FilterSet::new(vec![filter], INSTALLED).unwrap();
                for (leaf, issuer) in &certs {
                    let _ = set.lookup(leaf, issuer);
                }
                let _ = set.info(support::NOW);
            }
            tried += 1;
        }
        assert!(tried > bytes.len() * 3, "{version:?}: {tried} variants");
    }
}

/// The set's query answers from its own index; clubcard-crlite's
/// `contains`, asked filter by filter, is the reference. Over a set whose
/// filters differ in coverage and in the issuers they know (an issuer in
/// a delta only, one with no revocations in a delta, one unknown to all),
/// every key and SCT mix gets the same status from the same filter.
#[test]
fn the_indexed_query_answers_as_clubcard_does_filter_by_filter() {
    use revoscope::sct::Sct;
    let issuer = |n: u8| [n; 32];
    let window = |log: u8, from_days: u64, to_days: u64| LogCoverage {
        log_id: [log; 32],
        low_ms: SCT_MS - from_days * DAY * 1000,
        high_ms: SCT_MS + to_days * DAY * 1000,
    };
    let serials = |r: std::ops::Range<u64>| r.map(serial).collect::<Vec<_>>();
    let specs: Vec<(Vec<LogCoverage>, Vec<Issuer>)> = vec![
        (
            vec![window(LOG_A, 30, 30), window(LOG_B, 30, 0)],
            vec![
                Issuer {
                    spki_sha256: issuer(1),
                    revoked: serials(1..20),
                    good: serials(20..200),
                },
                Issuer {
                    spki_sha256: issuer(2),
                    revoked: serials(1..3),
                    good: serials(3..50),
                },
            ],
        ),
        (
            vec![window(LOG_A, 30, 31)],
            vec![
                Issuer {
                    spki_sha256: issuer(1),
                    revoked: serials(20..25),
                    good: serials(25..200),
                },
                // Nothing revoked: an empty block.
                Issuer {
                    spki_sha256: issuer(2),
                    revoked: vec![],
                    good: serials(3..50),
                },
            ],
        ),
        (
            vec![window(LOG_A, 30, 32), window(LOG_B, 1, 2)],
            // Known only from this delta on.
            vec![Issuer {
                spki_sha256: issuer(3),
                revoked: serials(5..9),
                good: serials(9..60),
            }],
        ),
        (
            vec![window(LOG_B, 0, 40)],
            vec![Issuer {
                spki_sha256: issuer(1),
                revoked: serials(100..110),
                good: serials(110..200),
            }],
        ),
    ];
    let mut filters = Vec::new();
    let mut parent: Option<String> = None;
    for (n, (logs, issuers)) in specs.iter().enumerate() {
        let id = format!("f{n}");
        let kind = if n == 0 {
            FilterKind::Full
        } else {
            FilterKind::Delta
        };
        let bytes = build(logs, issuers, Version::V4);
        let meta = meta(&id, kind, EFFECTIVE_MS + n as u64, parent.as_deref());
        filters.push(Filter::from_bytes(meta, &bytes).unwrap());
        parent = Some(id);
    }
    let set = FilterSet::new(filters, INSTALLED).unwrap();
    let sct = |log: u8, days: i64| Sct {
        version: 0,
        log_id: [log; 32],
        timestamp_ms: SCT_MS.checked_add_signed(days * DAY as i64 * 1000).unwrap(),
    };
    let sct_mixes: Vec<Vec<Sct>> = vec![
        vec![],
        vec![sct(UNKNOWN_LOG, 0)],
        vec![sct(LOG_A, 0)],
        vec![sct(LOG_A, 31)],
        vec![sct(LOG_A, -40)],
        vec![sct(LOG_B, 0)],
        vec![sct(LOG_B, 2)],
        vec![sct(LOG_B, 35), sct(LOG_A, 0)],
        vec![sct(UNKNOWN_LOG, 0), sct(LOG_B, -1)],
        // More SCTs than the index keeps on the stack.
        (0..10)
            .map(|_| sct(UNKNOWN_LOG, 0))
            .chain([sct(LOG_B, 1)])
            .collect(),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for issuer_byte in 0..=4u8 {
        for n in 0..210 {
            for scts in &sct_mixes {
                let serial = serial(n);
                let fast = set.query(&issuer(issuer_byte), &serial, scts);
                let each = set.query_each(&issuer(issuer_byte), &serial, scts);
                assert_eq!(fast, each, "issuer {issuer_byte} serial {n} scts {scts:?}");
                seen.insert((fast.status.as_str(), fast.filter.clone()));
            }
        }
    }
    // Every answer, from more than one filter, came up.
    for status in [
        "not_covered",
        "not_enrolled",
        "not_revoked",
        "revoked_in_filter",
    ] {
        assert!(
            seen.iter().any(|(s, _)| *s == status),
            "{status} never seen: {seen:?}"
        );
    }
    assert!(
        seen.contains(&("revoked_in_filter", Some("f3".into()))),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("not_revoked", Some("f2".into()))),
        "{seen:?}"
    );
}
