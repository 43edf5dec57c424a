//! CRLs made by a second implementation (Python's `cryptography`, by
//! scripts/make-crl-fixtures.py), each pair of chain and list judged as
//! fixtures/crl/expected.json says, natively and on wasm32 alike.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::crl::{judge, point_to_fetch, CrlAnswer, CrlError, CrlList};
use revoscope::verify::RustCrypto;
use revoscope::{Cert, UnixTime};

macro_rules! fixtures {
    ($($file:literal),+ $(,)?) => {
        fn fixture(name: &str) -> &'static [u8] {
            match name {
                $($file => include_bytes!(concat!("../../../fixtures/crl/", $file)),)+
                other => panic!("no fixture {other}"),
            }
        }
    };
}

fixtures!(
    "chains/leaf-crl-good.pem",
    "chains/leaf-crl-revoked.pem",
    "chains/leaf-crl-hold.pem",
    "chains/leaf-crl-removed.pem",
    "chains/leaf-crl-shard2.pem",
    "chains/leaf-crl-reasons.pem",
    "chains/leaf-crl-crlissuer.pem",
    "chains/leaf-crl-and-ocsp.pem",
    "int-good-1.crl",
    "int-good-2.crl",
    "full.crl",
    "no-next-update.crl",
    "ca-only.crl",
    "attr-only.crl",
    "some-reasons.crl",
    "indirect.crl",
    "delta.crl",
    "unknown-critical.crl",
    "unknown-critical-entry.crl",
    "unknown-noncritical.crl",
    "v1.crl",
    "sha384.crl",
    "by-root.crl",
    "forged.crl",
    "future.crl",
    "expired.crl",
);

const EXPECTED: &str = include_str!("../../../fixtures/crl/expected.json");

/// 2026-06-02T00:00:00Z, the fixtures' `at`.
const AT: UnixTime = UnixTime(1_780_358_400);

fn leaf_and_issuer(chain: &str) -> (Cert, Cert) {
    let ders = revoscope::pem::read_certificates(fixture(chain)).expect("chain reads");
    (
        Cert::from_der(&ders[0]).expect("leaf reads"),
        Cert::from_der(&ders[1]).expect("issuer reads"),
    )
}

fn label(result: &Result<CrlAnswer, CrlError>) -> String {
    match result {
        Ok(CrlAnswer::Good {
            removed_from_crl: false,
        }) => "good".into(),
        Ok(CrlAnswer::Good {
            removed_from_crl: true,
        }) => "not-listed-removed".into(),
        Ok(CrlAnswer::Revoked { on_hold: true, .. }) => "hold".into(),
        Ok(CrlAnswer::Revoked { reason, .. }) => {
            format!("revoked ({})", reason.map_or("unspecified", |r| r.name()))
        }
        Err(e) => e.class().into(),
    }
}

fn answer(chain: &str, crl: &[u8], at: UnixTime) -> Result<CrlAnswer, CrlError> {
    let (leaf, issuer) = leaf_and_issuer(chain);
    let (point, _) = point_to_fetch(&leaf).expect("the leaf names a CRL");
    let list = CrlList::read(crl, &issuer, &RustCrypto)?;
    judge(&list, &leaf, &issuer, point, at)
}

#[test]
fn every_pair_is_judged_as_the_second_implementation_expects() {
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    assert_eq!(expected["at"], "2026-06-02T00:00:00Z");
    let cases = expected["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for case in cases {
        let (chain, crl) = (
            case["chain"].as_str().unwrap(),
            case["crl"].as_str().unwrap(),
        );
        let got = label(&answer(chain, fixture(crl), AT));
        if got != case["expect"] {
            wrong.push(format!(
                "{chain} + {crl}: got {got}, expected {}",
                case["expect"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_revoked_entry_carries_its_dates_and_the_list_its_metadata() {
    let (_, issuer) = leaf_and_issuer("chains/leaf-crl-revoked.pem");
    let list = CrlList::read(fixture("int-good-1.crl"), &issuer, &RustCrypto).unwrap();
    assert_eq!(list.this_update, 1_780_272_000); // 2026-06-01
    assert_eq!(list.next_update, Some(1_780_876_800)); // 2026-06-08
    assert!(list.crl_number.is_some());
    assert!(list.scope.present && list.scope.only_user_certs);
    assert_eq!(
        list.scope.urls,
        ["http://127.0.0.1:8890/crl/int-good-1.crl"]
    );
    assert_eq!(list.len(), 6);
    match answer("chains/leaf-crl-revoked.pem", fixture("int-good-1.crl"), AT).unwrap() {
        CrlAnswer::Revoked {
            invalidity_date,
            on_hold,
            ..
        } => {
            assert_eq!(invalidity_date, Some(1_779_235_200)); // 2026-05-20
            assert!(!on_hold);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_list_without_next_update_is_used_for_ten_days_only() {
    let chain = "chains/leaf-crl-good.pem";
    let crl = fixture("no-next-update.crl");
    let this_update = 1_780_272_000;
    let ten_days = 10 * 86_400;
    assert_eq!(
        label(&answer(chain, crl, UnixTime(this_update + ten_days))),
        "good"
    );
    assert_eq!(
        label(&answer(chain, crl, UnixTime(this_update + ten_days + 1))),
        "stale"
    );
    let next = fixture("int-good-1.crl");
    assert_eq!(label(&answer(chain, next, UnixTime(1_780_876_800))), "good");
    assert_eq!(
        label(&answer(chain, next, UnixTime(1_780_876_801))),
        "stale"
    );
}

/// Never "good" by accident: any one byte of the list changed, anywhere in
/// the signed data or the signature, and the answer is no longer good.
#[test]
fn no_single_byte_change_keeps_a_good_answer() {
    let chain = "chains/leaf-crl-good.pem";
    let crl = fixture("int-good-1.crl");
    assert_eq!(label(&answer(chain, crl, AT)), "good");
    for at in 0..crl.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut changed = crl.to_vec();
            changed[at] ^= flip;
            let result = answer(chain, &changed, AT);
            assert!(
                !matches!(result, Ok(CrlAnswer::Good { .. })),
                "byte {at} ^ {flip:#04x} still gives good"
            );
        }
    }
}

#[test]
fn truncated_and_trailing_lists_are_malformed() {
    let crl = fixture("int-good-1.crl");
    for len in [0, 1, 2, crl.len() / 2, crl.len() - 1] {
        let got = answer("chains/leaf-crl-good.pem", &crl[..len], AT);
        assert_eq!(label(&got), "malformed", "{len} bytes");
    }
    let mut longer = crl.to_vec();
    longer.push(0);
    assert_eq!(
        label(&answer("chains/leaf-crl-good.pem", &longer, AT)),
        "malformed"
    );
}

mod ladder {
    //! The CRL rung of the ladder, with the host's part played here: the
    //! verdict names the URL, the list is stored in a `CrlCache`, and the
    //! chain is evaluated again.

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{fixture, AT};
    use revoscope::crl::CrlCache;
    use revoscope::ocsp::cache::FAILURE_CACHE_SECS;
    use revoscope::ocsp::FetchOutcome;
    use revoscope::verify::RustCrypto;
    use revoscope::{
        evaluate, Cert, Input, Outcome, Policy, Snapshot, Status, Step, UnixTime, Verdict,
    };

    const SHARD_1: &str = "http://127.0.0.1:8890/crl/int-good-1.crl";

    fn eval(chain: &str, policy: &str, crls: Option<&CrlCache>, time: UnixTime) -> Verdict {
        let chain = revoscope::pem::read_certificates(fixture(chain)).unwrap();
        let snapshot = Snapshot::from_json(br#"{"data":[],"timestamp":1780272000000}"#).unwrap();
        evaluate(&Input {
            chain: &chain,
            stapled_ocsp: None,
            staple_hidden: false,
            time,
            policy: &Policy::preset(policy).unwrap(),
            onecrl: &snapshot,
            root_is_built_in: false,
            crlite: None,
            ocsp_cache: None,
            crls,
            live_ocsp: None,
            issuer_fetch: None,
            verifier: &RustCrypto,
        })
        .unwrap()
    }

    fn served(body: &[u8]) -> FetchOutcome {
        FetchOutcome::Response {
            http_status: 200,
            body: body.to_vec(),
            elapsed_ms: 3,
        }
    }

    fn cache_with(url: &str, outcome: &FetchOutcome, at: UnixTime) -> CrlCache {
        let issuer_der =
            revoscope::pem::read_certificates(fixture("chains/leaf-crl-good.pem")).unwrap();
        let issuer = Cert::from_der(&issuer_der[1]).unwrap();
        let mut cache = CrlCache::new();
        let _ = cache.ingest(url, outcome, &issuer, at, &RustCrypto);
        cache
    }

    #[test]
    fn without_the_list_the_step_is_pending_with_the_url_to_fetch() {
        let v = eval("chains/leaf-crl-good.pem", "inspector", None, AT);
        let leaf = &v.certificates[0];
        assert_eq!((leaf.status, leaf.decided_by), (Status::Pending, Step::Crl));
        assert_eq!(leaf.crl_fetch.as_ref().unwrap().url, SHARD_1);
        assert_eq!(v.outcome, Outcome::Incomplete);
        assert_eq!(v.hard_fail_would_block, None);
    }

    #[test]
    fn the_fetched_list_decides_good_and_revoked() {
        let cache = cache_with(SHARD_1, &served(fixture("int-good-1.crl")), AT);
        let good = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), AT);
        let leaf = &good.certificates[0];
        assert_eq!((leaf.status, leaf.decided_by), (Status::Good, Step::Crl));
        assert_eq!(leaf.crl.as_ref().unwrap().list.as_ref().unwrap().entries, 6);
        assert_eq!(good.outcome, Outcome::Accept);
        assert_eq!(good.hard_fail_would_block, Some(false));

        let revoked = eval("chains/leaf-crl-revoked.pem", "inspector", Some(&cache), AT);
        let leaf = &revoked.certificates[0];
        assert_eq!((leaf.status, leaf.decided_by), (Status::Revoked, Step::Crl));
        assert!(leaf.reason.contains("keyCompromise"), "{}", leaf.reason);
        assert_eq!(revoked.outcome, Outcome::Block);

        let hold = eval("chains/leaf-crl-hold.pem", "inspector", Some(&cache), AT);
        assert!(hold.certificates[0].reason.contains("on hold"));
    }

    #[test]
    fn a_failed_fetch_is_offline_for_five_minutes_then_asked_again() {
        let cache = cache_with(SHARD_1, &FetchOutcome::Timeout { elapsed_ms: 2000 }, AT);
        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), AT);
        let leaf = &v.certificates[0];
        assert_eq!((leaf.status, leaf.decided_by), (Status::Offline, Step::Crl));
        assert_eq!(leaf.offline.as_ref().unwrap().class(), "timeout");
        assert_eq!(v.outcome, Outcome::SoftFailAccept);
        let later = UnixTime(AT.0 + FAILURE_CACHE_SECS);
        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), later);
        assert_eq!(v.certificates[0].status, Status::Pending);
    }

    #[test]
    fn a_stale_list_is_fetched_again_and_if_still_stale_is_offline() {
        let cache = cache_with(SHARD_1, &served(fixture("expired.crl")), AT);
        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), AT);
        let leaf = &v.certificates[0];
        assert_eq!(leaf.status, Status::Offline);
        assert_eq!(leaf.offline.as_ref().unwrap().class(), "stale");
        let later = UnixTime(AT.0 + FAILURE_CACHE_SECS);
        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), later);
        assert_eq!(v.certificates[0].status, Status::Pending);
    }

    #[test]
    fn browser_presets_never_take_the_step_and_when_no_ocsp_leaves_ocsp_alone() {
        let cache = cache_with(SHARD_1, &served(fixture("int-good-1.crl")), AT);
        for preset in ["mozilla-plan", "hard-fail", "firefox-today"] {
            let v = eval("chains/leaf-crl-revoked.pem", preset, Some(&cache), AT);
            let leaf = &v.certificates[0];
            assert_ne!(leaf.decided_by, Step::Crl, "{preset}");
            assert!(leaf.trace.iter().all(|t| t.step != Step::Crl), "{preset}");
            assert!(leaf.crl.is_none() && leaf.crl_fetch.is_none());
        }
        let mut policy = Policy::preset("inspector").unwrap();
        policy.crl = revoscope::policy::CrlUse::WhenNoOcsp;
        let chain =
            revoscope::pem::read_certificates(fixture("chains/leaf-crl-and-ocsp.pem")).unwrap();
        let snapshot = Snapshot::from_json(br#"{"data":[],"timestamp":1780272000000}"#).unwrap();
        let v = evaluate(&Input {
            chain: &chain,
            stapled_ocsp: None,
            staple_hidden: false,
            time: AT,
            policy: &policy,
            onecrl: &snapshot,
            root_is_built_in: false,
            crlite: None,
            ocsp_cache: None,
            crls: Some(&cache),
            live_ocsp: None,
            issuer_fetch: None,
            verifier: &RustCrypto,
        })
        .unwrap();
        assert_eq!(v.certificates[0].decided_by, Step::LiveOcsp);
        // Under `always` (the inspector), the CRL decides though OCSP is named.
        let v = eval(
            "chains/leaf-crl-and-ocsp.pem",
            "inspector",
            Some(&cache),
            AT,
        );
        assert_eq!(v.certificates[0].decided_by, Step::Crl);
    }

    /// What telemetry records of a page whose leaf's CRL the ladder
    /// consulted: the CRL path, the leaf's revocation information, and the
    /// list held (a cache hit) or fetched for the page, with its class.
    #[test]
    fn page_loads_count_the_crl_path_the_leafs_information_and_the_list() {
        use revoscope::telemetry::event::{CrlFetched, HostCrlFetch, HostFacts};
        use revoscope::telemetry::{CrlAccess, CrlClass, PageLoad, Path, RevocationInfo};

        let leaf_of = |chain: &str| {
            let ders = revoscope::pem::read_certificates(fixture(chain)).unwrap();
            Cert::from_der(&ders[0]).unwrap()
        };
        let good = leaf_of("chains/leaf-crl-good.pem");
        let both = leaf_of("chains/leaf-crl-and-ocsp.pem");
        let list = fixture("int-good-1.crl");
        let cache = cache_with(SHARD_1, &served(list), AT);

        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&cache), AT);
        let held = HostFacts {
            leaf: Some(&good),
            ..HostFacts::default()
        };
        let load = PageLoad::from_verdict(&v, &held);
        assert_eq!(load.path, Path::Crl);
        assert_eq!(load.revocation_info, Some(RevocationInfo::CrlOnly));
        assert_eq!(load.crl, CrlAccess::Held);

        // The same list fetched for this page: the host and the class only.
        let fetched = HostFacts {
            crl_fetch: Some(HostCrlFetch {
                url: SHARD_1,
                elapsed_ms: 3,
                bytes: Some(list.len()),
                failure: None,
            }),
            ..held
        };
        let expected = |class| {
            CrlAccess::Fetched(CrlFetched {
                host: "127.0.0.1:8890".into(),
                class,
                elapsed_ms: 3,
                bytes: list.len() as u64,
            })
        };
        assert_eq!(
            PageLoad::from_verdict(&v, &fetched).crl,
            expected(CrlClass::Ok)
        );
        // A stale list read fine, then said nothing of the leaf.
        let stale = cache_with(SHARD_1, &served(fixture("expired.crl")), AT);
        let v = eval("chains/leaf-crl-good.pem", "inspector", Some(&stale), AT);
        let load = PageLoad::from_verdict(&v, &fetched);
        assert_eq!(load.crl, expected(CrlClass::Stale));
        assert_eq!(load.path, Path::Crl);

        let v = eval(
            "chains/leaf-crl-and-ocsp.pem",
            "inspector",
            Some(&cache),
            AT,
        );
        let load = PageLoad::from_verdict(
            &v,
            &HostFacts {
                leaf: Some(&both),
                ..HostFacts::default()
            },
        );
        assert_eq!(load.revocation_info, Some(RevocationInfo::Both));
        // Without the leaf, nothing is said of its information.
        assert_eq!(
            PageLoad::from_verdict(&v, &HostFacts::default()).revocation_info,
            None
        );
    }
}
