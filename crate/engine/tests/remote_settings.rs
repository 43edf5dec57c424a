//! OneCRL sync in the engine, on the test signer's collections
//! (fixtures/remote-settings/, made by scripts/remote-settings/make-fixtures.mjs,
//! whose canonical JSON is a separate JavaScript implementation): canonical
//! JSON, full and incremental updates, and every way a signature is refused.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::remote_settings::sync::{self, Next, Sync, Verified};
use revoscope::remote_settings::{
    canonical_json, Changeset, Collection, ContentSignatureError as E, SignatureRef, SyncError,
};
use revoscope::verify::RustCrypto;
use revoscope::Snapshot;
use support::{test_trust, NOW, TEST_ROOT};

macro_rules! fixture {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/remote-settings/", $file))
    };
}

/// Serves `chains/<name>.pem` for an x5u ending in `/<name>.pem`.
fn chain(offered: &SignatureRef) -> Result<Vec<u8>, SyncError> {
    let name = offered.x5u.rsplit('/').next().unwrap_or_default();
    Ok(match name {
        "onecrl.pem" => fixture!("chains/onecrl.pem").to_vec(),
        "expired.pem" => fixture!("chains/expired.pem").to_vec(),
        "wrong-name.pem" => fixture!("chains/wrong-name.pem").to_vec(),
        "no-eku.pem" => fixture!("chains/no-eku.pem").to_vec(),
        "other-root.pem" => fixture!("chains/other-root.pem").to_vec(),
        _ => {
            return Err(SyncError::ChainFetch {
                x5u: offered.x5u.clone(),
                why: "HTTP 404".into(),
            })
        }
    })
}

fn update(base: Option<&Collection>, changeset: &[u8]) -> Result<Verified, SyncError> {
    let changeset = Changeset::from_json(changeset)?;
    sync::verify_update(
        base,
        &changeset,
        &chain,
        &test_trust(),
        NOW,
        None,
        &RustCrypto,
    )
}

fn signature_error(changeset: &[u8]) -> E {
    match update(None, changeset) {
        Err(SyncError::Signature { error, .. }) => error,
        other => panic!("expected a refused signature, got {other:?}"),
    }
}

#[test]
fn canonical_json_agrees_with_the_javascript_signer() {
    let cases: serde_json::Value =
        serde_json::from_slice(fixture!("canonical/cases.json")).unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        assert_eq!(
            canonical_json::to_string(&case["input"]),
            case["canonical"].as_str().unwrap(),
            "{}",
            case["input"]
        );
    }
}

#[test]
fn a_first_sync_verifies_and_loads() {
    let v1 = update(None, fixture!("v1.changeset.json")).unwrap();
    assert_eq!(v1.collection.len(), 20);
    assert_eq!(v1.collection.timestamp, 1_700_000_020_000);
    assert_eq!(v1.onecrl_snapshot().unwrap().stats().records, 20);
    assert_eq!(v1.signer.path.len(), 3);
    assert_eq!(v1.signer.root_sha256, TEST_ROOT);
}

#[test]
fn an_incremental_update_gives_the_full_collection() {
    let v1 = update(None, fixture!("v1.changeset.json")).unwrap();
    let incremental = update(Some(&v1.collection), fixture!("v2.since-v1.changeset.json")).unwrap();
    let full = update(None, fixture!("v2.full.changeset.json")).unwrap();
    assert_eq!(incremental.collection, full.collection);
    assert_eq!(incremental.collection.timestamp, 1_700_000_026_000);
    // 20, one deleted, four added (fixtures/remote-settings/README.md);
    // and the dump stored reloads alike.
    assert_eq!(incremental.collection.len(), 23);
    let stored =
        Collection::from_dump_json(incremental.collection.to_dump_json().as_bytes()).unwrap();
    assert_eq!(stored, full.collection);
}

#[test]
fn an_incremental_update_on_the_wrong_base_fails() {
    // v2's changes onto v0 make a collection Mozilla never signed.
    let v0 = update(None, fixture!("v0.changeset.json")).unwrap();
    let err = update(Some(&v0.collection), fixture!("v2.since-v1.changeset.json")).unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::Signature {
                error: E::BadSignature,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn every_refusal_has_its_own_error() {
    assert_eq!(
        signature_error(fixture!("v1.tampered.changeset.json")),
        E::BadSignature
    );
    assert!(matches!(
        signature_error(fixture!("v1.wrong-name.changeset.json")),
        E::SignerNameMismatch { found, .. } if found == ["remote-settings.content-signature.mozilla.org"]
    ));
    assert!(matches!(
        signature_error(fixture!("v1.expired.changeset.json")),
        E::CertExpired {
            not_after: 1_609_459_200,
            ..
        }
    ));
    assert!(matches!(
        signature_error(fixture!("v1.no-eku.changeset.json")),
        E::SignerNotForCodeSigning { .. }
    ));
    assert!(matches!(
        signature_error(fixture!("v1.other-root.changeset.json")),
        E::UntrustedRoot { .. }
    ));
    assert_eq!(
        update(None, fixture!("v1.unsigned.changeset.json")).unwrap_err(),
        SyncError::Unsigned
    );
}

#[test]
fn mozillas_roots_do_not_trust_the_test_signer() {
    let changeset = Changeset::from_json(fixture!("v1.changeset.json")).unwrap();
    let err = sync::verify_update(
        None,
        &changeset,
        &chain,
        &sync::mozilla_onecrl_trust(),
        NOW,
        None,
        &RustCrypto,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::Signature {
                error: E::UntrustedRoot { .. },
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_rollback_is_refused_before_and_after_fetching() {
    let v1 = update(None, fixture!("v1.changeset.json")).unwrap();
    let err = update(Some(&v1.collection), fixture!("v0.changeset.json")).unwrap_err();
    assert_eq!(
        err,
        SyncError::TimestampWentBack {
            local: 1_700_000_020_000,
            remote: 1_700_000_010_000
        }
    );
    let local = Some(v1.collection.timestamp);
    assert_eq!(
        sync::next_step(local, 1_700_000_020_000),
        Ok(Next::UpToDate)
    );
    assert_eq!(
        sync::next_step(local, 1_700_000_026_000),
        Ok(Next::Fetch {
            expected: 1_700_000_026_000
        })
    );
    assert!(sync::next_step(local, 1).is_err());
}

#[test]
fn a_chain_that_cannot_be_fetched_is_named() {
    let mut text = String::from_utf8(fixture!("v1.changeset.json").to_vec()).unwrap();
    text = text.replace("/chains/onecrl.pem", "/chains/missing.pem");
    let err = update(None, text.as_bytes()).unwrap_err();
    assert!(matches!(err, SyncError::ChainFetch { ref x5u, .. } if x5u.ends_with("missing.pem")));
}

#[test]
fn urls_follow_the_changeset_protocol() {
    let plan = Sync::onecrl("http://127.0.0.1:8888/v1/");
    assert_eq!(
        plan.changeset_url(5, Some(3)),
        "http://127.0.0.1:8888/v1/buckets/security-state/collections/onecrl/changeset?_expected=5&_since=%223%22"
    );
    assert_eq!(
        plan.monitor_url(),
        "http://127.0.0.1:8888/v1/buckets/monitor/collections/changes/changeset?_expected=0"
    );
    let monitor = br#"{"changes": [
        {"id": "a", "bucket": "main", "collection": "onecrl", "last_modified": 1},
        {"id": "b", "bucket": "security-state", "collection": "onecrl", "last_modified": 42}
    ], "timestamp": 42}"#;
    assert_eq!(plan.latest_timestamp(monitor), Ok(42));
    assert!(matches!(
        plan.latest_timestamp(br#"{"changes": [], "timestamp": 1}"#),
        Err(SyncError::NotInMonitor { .. })
    ));
}

#[test]
fn hostile_changesets_fail_precisely() {
    assert!(matches!(
        Changeset::from_json(b"[1]"),
        Err(SyncError::NotChangeset(_))
    ));
    assert!(matches!(
        Changeset::from_json(b"{\"changes\": [], \"timest"),
        Err(SyncError::Truncated(_))
    ));
    assert!(matches!(
        Changeset::from_json(b"\xff"),
        Err(SyncError::NotJson(_))
    ));
    assert!(matches!(
        Changeset::from_json(br#"{"changes": [{"id": 1}], "timestamp": 1}"#),
        Err(SyncError::RecordWithoutId { index: 0 })
    ));
    assert!(matches!(
        Changeset::from_json(br#"{"changes": [], "timestamp": -1}"#),
        Err(SyncError::NotChangeset(_))
    ));
}

#[test]
fn the_real_snapshot_round_trips_through_a_collection() {
    let collection = Collection::from_dump_json(support::REAL_ONECRL).unwrap();
    let stored = collection.to_dump_json();
    let again = Snapshot::from_json(stored.as_bytes()).unwrap().stats();
    assert_eq!(again, support::real_snapshot().stats());
}
