//! CRLs made by a second implementation (Python's `cryptography`, by
//! scripts/make-crl-fixtures.py), each pair of chain and list judged as
//! fixtures/crl/expected.json says, natively and on wasm32 alike.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::crl::{judge, point_to_fetch, CrlAnswer, CrlError, CrlList};
use revoscope::verify::RustCrypto;
use revoscope::{Cert, UnixTime};

macro_rules! fixtures {
    ($($file:literal),+ $(,)?) => {
        /// Every fixture file these tests read.
        const FIXTURES: &[&str] = &[$($file),+];

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

/// An entry for `serial` with a reasonCode extension (ENUMERATED `code`).
fn entry_with_reason(serial: &[u8], code: u8) -> Vec<u8> {
    use support::crl_build::CRL_REVOKED_AT;
    use support::der_build::{extension, seq, tlv};
    let reason = extension("2.5.29.21", false, &tlv(0x0a, &[code]));
    seq(&[
        &tlv(0x02, serial),
        &tlv(0x17, CRL_REVOKED_AT),
        &seq(&[&reason]),
    ])
}

#[test]
fn a_serial_listed_twice_is_revoked_whatever_the_order() {
    use support::crl_build::{crl_entry, signed_crl};
    // leaf-crl-good is 0x1001; removeFromCRL is reason 8.
    let removed = entry_with_reason(&[0x10, 0x01], 8);
    let listed = crl_entry(&[0x10, 0x01]);
    for entries in [[&removed[..], &listed[..]], [&listed[..], &removed[..]]] {
        let crl = signed_crl(&entries.concat(), &[]);
        let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
        assert_eq!(CrlList::read(&crl, &issuer, &RustCrypto).unwrap().len(), 1);
        assert_eq!(
            label(&answer("chains/leaf-crl-good.pem", &crl, AT)),
            "revoked (unspecified)"
        );
    }
}

#[test]
fn remove_from_crl_is_not_good_where_the_list_covers_only_some_reasons() {
    use support::crl_build::signed_crl;
    // leaf-crl-reasons (0x1006) names a distribution point for keyCompromise only.
    let crl = signed_crl(&entry_with_reason(&[0x10, 0x06], 8), &[]);
    assert_eq!(
        label(&answer("chains/leaf-crl-reasons.pem", &crl, AT)),
        "partial-reasons"
    );
    // The same entry for a leaf whose point covers every reason: good, removed.
    let crl = signed_crl(&entry_with_reason(&[0x10, 0x01], 8), &[]);
    assert_eq!(
        label(&answer("chains/leaf-crl-good.pem", &crl, AT)),
        "not-listed-removed"
    );
}

/// Every CRL fixture, and the lists among them that read: with int-good
/// (the chains' second certificate) or the root (their third).
fn crls() -> impl Iterator<Item = &'static str> {
    FIXTURES.iter().copied().filter(|f| f.ends_with(".crl"))
}

fn readable_lists() -> Vec<(&'static str, CrlList)> {
    let ders = revoscope::pem::read_certificates(fixture("chains/leaf-crl-good.pem")).unwrap();
    let (int_good, root) = (
        Cert::from_der(&ders[1]).unwrap(),
        Cert::from_der(&ders[2]).unwrap(),
    );
    crls()
        .filter_map(|name| {
            let crl = fixture(name);
            CrlList::read(crl, &int_good, &RustCrypto)
                .or_else(|_| CrlList::read(crl, &root, &RustCrypto))
                .ok()
                .map(|list| (name, list))
        })
        .collect()
}

mod stored {
    //! The lists' stored form (`CrlList::to_bytes`, `from_bytes`) on every
    //! fixture that reads, and the cache's way back for a host's stored list.

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{answer, fixture, label, leaf_and_issuer, readable_lists, AT};
    use revoscope::crl::{
        consult, CachedCrl, Consulted, CrlCache, CrlError, CrlList, StoredCrlError,
        MAX_AGE_WITHOUT_NEXT_UPDATE_SECS,
    };
    use revoscope::ocsp::FetchOutcome;
    use revoscope::verify::RustCrypto;
    use revoscope::UnixTime;

    const SHARD_1: &str = "http://127.0.0.1:8890/crl/int-good-1.crl";

    #[test]
    fn every_list_that_reads_comes_back_equal_and_answers_the_same() {
        let lists = readable_lists();
        let names: Vec<&str> = lists.iter().map(|(name, _)| *name).collect();
        // The ones refused on reading (indirect, delta, critical unknowns,
        // forged) are not lists; the rest are, the root's own included.
        for name in [
            "int-good-1.crl",
            "no-next-update.crl",
            "v1.crl",
            "sha384.crl",
            "by-root.crl",
            "some-reasons.crl",
            "expired.crl",
        ] {
            assert!(names.contains(&name), "{name} reads: {names:?}");
        }
        assert_eq!(lists.len(), 13, "{names:?}");
        for (name, list) in &lists {
            let bytes = list.to_bytes();
            assert_eq!(&CrlList::from_bytes(&bytes).unwrap(), list, "{name}");
            assert_eq!(
                CrlList::from_bytes(&bytes).unwrap().to_bytes(),
                bytes,
                "{name}"
            );
        }
        // The same answers for each leaf, from the stored form.
        let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
        for chain in ["good", "revoked", "hold", "removed", "reasons"] {
            let chain = format!("chains/leaf-crl-{chain}.pem");
            let (leaf, _) = leaf_and_issuer(&chain);
            let (point, _) = revoscope::crl::point_to_fetch(&leaf).unwrap();
            let list = CrlList::read(fixture("int-good-1.crl"), &issuer, &RustCrypto).unwrap();
            let back = CrlList::from_bytes(&list.to_bytes()).unwrap();
            assert_eq!(
                label(&revoscope::crl::judge(&back, &leaf, &issuer, point, AT)),
                label(&answer(&chain, fixture("int-good-1.crl"), AT)),
                "{chain}"
            );
        }
    }

    #[test]
    fn a_list_whose_crl_named_a_serial_twice_comes_back_equal() {
        use super::support::crl_build::{crl_entry, signed_crl};
        // The reading keeps one entry for 0x1001; its serial buffer keeps
        // the repeat's octets, which the stored form carries too.
        let entries = [
            crl_entry(&[0x10, 0x01]),
            crl_entry(&[0x10, 0x02]),
            crl_entry(&[0x10, 0x01]),
        ]
        .concat();
        let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
        let list = CrlList::read(&signed_crl(&entries, &[]), &issuer, &RustCrypto).unwrap();
        assert_eq!(list.len(), 2);
        let back = CrlList::from_bytes(&list.to_bytes()).unwrap();
        assert_eq!(back, list);
        assert!(back.find(&[0x10, 0x01]).is_some() && back.find(&[0x10, 0x03]).is_none());
    }

    #[test]
    fn every_truncation_and_byte_change_is_refused() {
        for (name, list) in readable_lists() {
            let bytes = list.to_bytes();
            for len in 0..bytes.len() {
                assert!(
                    CrlList::from_bytes(&bytes[..len]).is_err(),
                    "{name}: {len} bytes"
                );
            }
            for at in 0..bytes.len() {
                for flip in [0x01, 0x80, 0xff] {
                    let mut changed = bytes.clone();
                    changed[at] ^= flip;
                    match CrlList::from_bytes(&changed) {
                        Err(_) => {}
                        Ok(read) => assert_eq!(read, list, "{name}: byte {at} ^ {flip:#04x}"),
                    }
                }
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(
                CrlList::from_bytes(&longer),
                Err(StoredCrlError::DigestMismatch)
            );
        }
    }

    fn fetched(crl: &str, at: UnixTime) -> CrlCache {
        let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
        let mut cache = CrlCache::new();
        let served = FetchOutcome::Response {
            http_status: 200,
            body: fixture(crl).to_vec(),
            elapsed_ms: 3,
        };
        cache
            .ingest(SHARD_1, &served, &issuer, at, &RustCrypto)
            .unwrap();
        cache
    }

    fn consulted(cache: &CrlCache, chain: &str, at: UnixTime) -> Consulted {
        let (leaf, issuer) = leaf_and_issuer(chain);
        consult(&leaf, &issuer, Some(cache), at, 1000)
    }

    #[test]
    fn a_revocation_outlives_its_list_and_a_failed_refetch_but_good_does_not() {
        // int-good-1.crl is usable until 2026-06-08; a week later it is
        // stale, and the refetch fails.
        let later = UnixTime(1_780_876_800 + 7 * 86_400);
        let mut cache = fetched("int-good-1.crl", AT);
        let status = |cache: &CrlCache, chain: &str| match consulted(cache, chain, later) {
            Consulted::Answered { answer, .. } => label(&Ok(answer)),
            Consulted::Fetch { .. } => "fetch".into(),
            Consulted::Failed { offline, .. } => format!("failed {}", offline.class()),
            Consulted::NoDistributionPoint => "none".into(),
        };
        let chains = [
            "chains/leaf-crl-revoked.pem",
            "chains/leaf-crl-good.pem",
            "chains/leaf-crl-hold.pem",
        ];
        let stale = ["revoked (keyCompromise)", "fetch", "fetch"];
        assert_eq!(chains.map(|c| status(&cache, c)), stale);
        let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
        let down = FetchOutcome::Timeout { elapsed_ms: 1000 };
        assert!(cache
            .ingest(SHARD_1, &down, &issuer, later, &RustCrypto)
            .is_err());
        assert_eq!(
            chains.map(|c| status(&cache, c)),
            [
                "revoked (keyCompromise)",
                "failed timeout",
                "failed timeout"
            ]
        );
        // A second failure keeps the list the first one kept.
        let again = UnixTime(later.0 + 3600);
        assert!(cache
            .ingest(SHARD_1, &down, &issuer, again, &RustCrypto)
            .is_err());
        assert!(matches!(
            consulted(&cache, chains[0], again),
            Consulted::Answered { .. }
        ));
    }

    #[test]
    fn a_stored_list_put_back_answers_as_the_fetched_one() {
        let fetched_at = UnixTime(AT.0 - 3600);
        let cache = fetched("int-good-1.crl", fetched_at);
        let stored = cache.stored(SHARD_1, AT).unwrap();
        assert_eq!(stored.fetched_at, fetched_at.0);
        assert_eq!(stored.usable_until, 1_780_876_800); // its nextUpdate
        assert_eq!(
            cache.stored("http://127.0.0.1:8890/crl/other.crl", AT),
            None
        );

        let mut fresh = CrlCache::new();
        fresh
            .insert_stored(SHARD_1, &stored.bytes, UnixTime(stored.fetched_at), AT)
            .unwrap();
        match fresh.get(SHARD_1) {
            Some(CachedCrl::List { fetched_at: at, .. }) => assert_eq!(*at, fetched_at.0),
            other => panic!("{other:?}"),
        }
        for chain in ["chains/leaf-crl-good.pem", "chains/leaf-crl-revoked.pem"] {
            assert_eq!(
                consulted(&fresh, chain, AT),
                consulted(&cache, chain, AT),
                "{chain}"
            );
            assert!(matches!(
                consulted(&fresh, chain, AT),
                Consulted::Answered { .. }
            ));
        }
    }

    #[test]
    fn a_stale_or_unreadable_stored_list_is_refused_and_not_held() {
        let cache = fetched("int-good-1.crl", AT);
        let stored = cache.stored(SHARD_1, AT).unwrap();
        let after = UnixTime(stored.usable_until + 1);
        // Past its nextUpdate the cache hands nothing out...
        assert_eq!(cache.stored(SHARD_1, after), None);
        // ...and takes nothing back.
        let mut fresh = CrlCache::new();
        assert_eq!(
            fresh.insert_stored(SHARD_1, &stored.bytes, AT, after),
            Err(StoredCrlError::Unusable(CrlError::Stale {
                until: stored.usable_until,
                without_next_update: false,
            }))
        );
        assert!(fresh.is_empty());
        // Nor a list whose thisUpdate is still to come (a clock set back).
        assert!(matches!(
            fresh.insert_stored(SHARD_1, &stored.bytes, AT, UnixTime(1_780_272_000 - 1)),
            Err(StoredCrlError::Unusable(CrlError::NotYetValid { .. }))
        ));
        // Without nextUpdate: the ten days of MAX_AGE_WITHOUT_NEXT_UPDATE_SECS.
        let plain = fetched("no-next-update.crl", AT)
            .stored(SHARD_1, AT)
            .unwrap();
        assert_eq!(
            plain.usable_until,
            1_780_272_000 + MAX_AGE_WITHOUT_NEXT_UPDATE_SECS
        );
        assert!(fresh
            .insert_stored(SHARD_1, &plain.bytes, AT, UnixTime(plain.usable_until + 1))
            .is_err());
        for bytes in [
            &b""[..],
            b"garbage",
            &stored.bytes[..stored.bytes.len() - 1],
        ] {
            assert!(fresh.insert_stored(SHARD_1, bytes, AT, AT).is_err());
        }
        assert!(fresh.is_empty());
        // A stale list fetched is not handed out to be stored either.
        assert_eq!(fetched("expired.crl", AT).stored(SHARD_1, AT), None);
    }

    #[test]
    fn a_list_held_from_a_later_fetch_stays_and_a_future_fetch_time_is_now() {
        let stored = fetched("int-good-1.crl", UnixTime(AT.0 - 60))
            .stored(SHARD_1, AT)
            .unwrap();
        // The cache fetched full.crl at AT, after the stored copy's fetch.
        let mut cache = fetched("full.crl", AT);
        cache
            .insert_stored(SHARD_1, &stored.bytes, UnixTime(stored.fetched_at), AT)
            .unwrap();
        match cache.get(SHARD_1) {
            Some(CachedCrl::List { list, fetched_at }) => {
                assert_eq!(
                    (*fetched_at, list.scope.present),
                    (AT.0, false),
                    "full.crl stays"
                );
            }
            other => panic!("{other:?}"),
        }
        let mut fresh = CrlCache::new();
        fresh
            .insert_stored(SHARD_1, &stored.bytes, UnixTime(AT.0 + 86_400), AT)
            .unwrap();
        assert!(
            matches!(fresh.get(SHARD_1), Some(CachedCrl::List { fetched_at, .. }) if *fetched_at == AT.0)
        );
    }
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
            crlset: None,
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
            crlset: None,
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

/// Serials of one length that share their first seven octets share a search
/// key: each is still found by its exact octets, and a third is not.
#[test]
fn serials_sharing_a_long_prefix_are_told_apart() {
    use support::crl_build::{crl_entry, signed_crl};
    let serial = |last: u8| [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, last];
    let entries = [
        crl_entry(&serial(0x0a)),
        crl_entry(&serial(0x0b)),
        crl_entry(&[0x0b]),
    ]
    .concat();
    let crl = signed_crl(&entries, &[]);
    let (_, issuer) = leaf_and_issuer("chains/leaf-crl-good.pem");
    let list = CrlList::read(&crl, &issuer, &RustCrypto).unwrap();
    assert!(list.find(&serial(0x0a)).is_some() && list.find(&serial(0x0b)).is_some());
    assert!(list.find(&serial(0x0c)).is_none());
    assert!(list.find(&[0x0b]).is_some() && list.find(&[0x0a]).is_none());
    // Back from its stored form, the same answers.
    let stored = CrlList::from_bytes(&list.to_bytes()).unwrap();
    assert!(stored.find(&serial(0x0b)).is_some() && stored.find(&serial(0x0c)).is_none());
}
