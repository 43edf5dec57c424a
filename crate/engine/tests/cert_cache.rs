//! The CA certificate cache: verdicts through it are the verdicts without
//! it, leaves are never kept, and the cache stays bounded.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::cert_cache::CERT_CACHE_CAPACITY;
use revoscope::{evaluate, evaluate_cached, CertCache, Error, Input};
use support::der_build::replace_serial;
use support::*;

const CHAINS: [&[u8]; 7] = [
    LEAF_90D,
    LEAF_6D,
    LEAF_10D,
    LEAF_MUST_STAPLE,
    LEAF_NO_AIA,
    UNDER_REVOKED_SERIAL,
    UNDER_REVOKED_KEY,
];

fn input<'a>(
    chain: &'a [Vec<u8>],
    policy: &'a revoscope::Policy,
    snapshot: &'a revoscope::Snapshot,
) -> Input<'a> {
    plain_input(chain, policy, snapshot)
}

#[test]
fn cached_verdicts_equal_uncached_ones_on_every_chain_and_preset() {
    let snapshot = test_snapshot();
    let mut cache = CertCache::new();
    for name in revoscope::policy::PRESET_NAMES {
        let policy = policy(name);
        // Twice: the first pass fills the cache, the second reads from it.
        for _ in 0..2 {
            for pem in CHAINS {
                let chain = chain(pem);
                let fresh = evaluate(&input(&chain, &policy, &snapshot)).unwrap();
                let cached =
                    evaluate_cached(&input(&chain, &policy, &snapshot), &mut cache).unwrap();
                assert_eq!(cached, fresh, "policy {name}");
            }
        }
    }
}

#[test]
fn only_ca_certificates_are_kept() {
    let snapshot = test_snapshot();
    let policy = policy("mozilla-plan");
    let mut cache = CertCache::new();
    let chain = chain(LEAF_90D);
    evaluate_cached(&input(&chain, &policy, &snapshot), &mut cache).unwrap();
    assert_eq!(cache.len(), chain.len() - 1);
    // Another leaf under the same intermediate adds nothing.
    let other = support::chain(LEAF_6D);
    assert_eq!(other[1..], chain[1..]);
    evaluate_cached(&input(&other, &policy, &snapshot), &mut cache).unwrap();
    assert_eq!(cache.len(), chain.len() - 1);
}

#[test]
fn a_certificate_that_differs_in_one_byte_is_not_taken_for_a_cached_one() {
    let snapshot = test_snapshot();
    let policy = policy("mozilla-plan");
    let mut cache = CertCache::new();
    let chain = chain(LEAF_90D);
    evaluate_cached(&input(&chain, &policy, &snapshot), &mut cache).unwrap();
    // Same length and same signature bytes (the cache's bucket), other serial.
    let mut altered = chain.clone();
    altered[1] = replace_serial(&chain[1], &[0x10, 0x02]);
    assert_eq!(altered[1].len(), chain[1].len());
    let verdict = evaluate_cached(&input(&altered, &policy, &snapshot), &mut cache).unwrap();
    assert_eq!(verdict.certificates[1].serial_hex, "1002");
    assert_eq!(cache.len(), chain.len());
}

#[test]
fn a_malformed_ca_certificate_is_reported_at_its_index_and_not_kept() {
    let snapshot = test_snapshot();
    let policy = policy("mozilla-plan");
    let mut cache = CertCache::new();
    let mut chain = chain(LEAF_90D);
    let root_len = chain[2].len();
    chain[2].truncate(root_len - 1);
    let err = evaluate_cached(&input(&chain, &policy, &snapshot), &mut cache).unwrap_err();
    assert!(matches!(err, Error::InChain { index: 2, .. }), "{err:?}");
    assert_eq!(cache.len(), 1, "only the good intermediate is kept");
}

#[test]
fn the_cache_is_bounded() {
    let mut cache = CertCache::new();
    let intermediate = chain(LEAF_90D).remove(1);
    for i in 0..(CERT_CACHE_CAPACITY + 10) as u32 {
        let serial = [&[0x11u8][..], &i.to_be_bytes()].concat();
        cache
            .get_or_parse(&replace_serial(&intermediate, &serial))
            .unwrap();
        assert!(cache.len() <= CERT_CACHE_CAPACITY);
    }
    assert!(!cache.is_empty());
}
