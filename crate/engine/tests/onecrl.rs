//! OneCRL loading and lookups, on the real snapshot Firefox ships and on
//! hostile collections.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use revoscope::onecrl::{CollectionShape, RecordKind};
use revoscope::{evaluate, Cert, Error, Outcome, Role, Snapshot, Status, Step};
use support::*;

#[test]
fn the_real_snapshot_loads_whole() {
    let s = real_snapshot();
    let stats = s.stats();
    assert_eq!(stats.timestamp, 1_793_208_925_525);
    assert_eq!(stats.shape, CollectionShape::Dump);
    assert_eq!(
        (
            stats.records,
            stats.issuer_serial,
            stats.subject_pubkey_hash
        ),
        (1918, 1909, 9)
    );
    assert_eq!(stats.disabled, 656);
    assert_eq!((stats.rejected, stats.deleted), (0, 0));
}

#[test]
fn the_changeset_shape_loads_the_same() {
    let mut json: serde_json::Value = serde_json::from_slice(REAL_ONECRL).unwrap();
    let data = json.as_object_mut().unwrap().remove("data").unwrap();
    json["changes"] = data;
    json["metadata"] = serde_json::json!({"signature": {"x5u": "https://example.invalid/chain"}});
    json["changes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": "gone", "deleted": true, "last_modified": 1}));
    let s = Snapshot::from_json(json.to_string().as_bytes()).unwrap();
    let stats = s.stats();
    assert_eq!(stats.shape, CollectionShape::Changeset);
    assert_eq!((stats.records, stats.deleted, stats.rejected), (1918, 1, 0));
}

#[test]
fn bad_records_are_counted_not_fatal() {
    let json = br#"{"timestamp": 5, "data": [
        {"id": "ok", "issuerName": "MAA=", "serialNumber": "AQ=="},
        {"id": "bad-base64", "issuerName": "!!", "serialNumber": "AQ=="},
        {"id": "no-serial", "issuerName": "MAA="},
        {"id": "short-hash", "subject": "MAA=", "pubKeyHash": "AQID"},
        {"id": "wrong-type", "issuerName": 7, "serialNumber": "AQ=="},
        "not an object"
    ]}"#;
    let s = Snapshot::from_json(json).unwrap();
    assert_eq!(s.records().len(), 1);
    let why: Vec<(usize, Option<&str>)> = s
        .rejected
        .iter()
        .map(|r| (r.index, r.id.as_deref()))
        .collect();
    assert_eq!(
        why,
        [
            (1, Some("bad-base64")),
            (2, Some("no-serial")),
            (3, Some("short-hash")),
            (4, None),
            (5, None)
        ]
    );
    assert!(s.rejected[0].why.contains("issuerName is not base64"));
    assert!(s.rejected[2].why.contains("not a SHA-256"));
}

#[test]
fn not_a_collection() {
    assert!(matches!(
        Snapshot::from_json(b"{\"data\": [").unwrap_err(),
        Error::SnapshotNotJson(_)
    ));
    assert!(matches!(
        Snapshot::from_json(b"").unwrap_err(),
        Error::SnapshotNotJson(_)
    ));
    for (json, needle) in [
        (&b"[]"[..], "object"),
        (b"{\"timestamp\": 1}", "neither"),
        (b"{\"data\": [], \"changes\": [], \"timestamp\": 1}", "both"),
        (b"{\"data\": []}", "timestamp"),
        (b"{\"data\": {}, \"timestamp\": 1}", "array"),
        (b"{\"data\": [], \"timestamp\": \"soon\"}", "array"),
    ] {
        let err = Snapshot::from_json(json).unwrap_err();
        assert!(matches!(err, Error::SnapshotNotCollection(_)), "{err}");
        assert!(err.to_string().contains(needle), "{err}");
    }
}

/// Certificates built to carry the exact issuer Name and serial of real
/// records come out revoked; a neighbouring serial does not.
#[test]
fn real_records_revoke_certificates_that_carry_their_issuer_and_serial() {
    let snapshot = real_snapshot();
    let records: Vec<serde_json::Value> = serde_json::from_slice::<serde_json::Value>(REAL_ONECRL)
        .unwrap()["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("issuerName").is_some())
        .cloned()
        .collect();
    let pairs: std::collections::HashSet<(Vec<u8>, Vec<u8>)> = records
        .iter()
        .map(|r| {
            let get = |k: &str| BASE64.decode(r[k].as_str().unwrap()).unwrap();
            (get("issuerName"), get("serialNumber"))
        })
        .collect();
    let test_leaf = chain(LEAF_90D)[0].clone();
    let ca_key = pki::key("onecrl-real");
    let mut checked = 0;
    let mut neighbours = 0;
    let mut disabled_checked = 0;
    // Every 40th record: a spread across the collection, enabled and not.
    for record in records.iter().step_by(40) {
        let issuer = BASE64
            .decode(record["issuerName"].as_str().unwrap())
            .unwrap();
        let serial = BASE64
            .decode(record["serialNumber"].as_str().unwrap())
            .unwrap();
        if x509_cert::name::Name::from_der_checked(&issuer).is_none() {
            continue; // a Name x509-cert will not re-encode byte for byte
        }
        let mut spec = pki::Spec::new("CN=crafted", &x509_cert::name::Name::default(), 1);
        spec.issuer_der = issuer.clone();
        spec.serial = serial.clone();
        spec.is_ca = true;
        if !pki::encodable_serial(&serial) {
            continue;
        }
        let der = pki::issue(&spec, &ca_key, &ca_key);
        let cert = Cert::from_der(&der).unwrap();
        assert_eq!(
            (cert.issuer_der.as_slice(), cert.serial.as_slice()),
            (issuer.as_slice(), serial.as_slice())
        );

        // As an intermediate under a test leaf: revoked by OneCRL, the page blocked.
        let chain = vec![test_leaf.clone(), der];
        let p = policy("mozilla-plan");
        let v = evaluate(&plain_input(&chain, &p, &snapshot)).unwrap();
        let ca = &v.certificates[1];
        assert_eq!(
            (ca.role, ca.status, ca.decided_by),
            (Role::Intermediate, Status::Revoked, Step::Onecrl),
            "record {}",
            record["id"]
        );
        assert!(ca.reason.contains(record["id"].as_str().unwrap()));
        assert_eq!(v.outcome, Outcome::Block);

        // A neighbouring serial is listed only if OneCRL really has a record for it.
        let mut next = serial.clone();
        *next.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            snapshot.lookup_issuer_serial(&issuer, &next).is_some(),
            pairs.contains(&(issuer.clone(), next.clone()))
        );
        if !pairs.contains(&(issuer.clone(), next.clone())) && pki::encodable_serial(&next) {
            spec.serial = next;
            let chain = vec![test_leaf.clone(), pki::issue(&spec, &ca_key, &ca_key)];
            let v = evaluate(&plain_input(&chain, &p, &snapshot)).unwrap();
            assert_eq!(v.certificates[1].status, Status::Good);
            neighbours += 1;
        }
        // Leading zero added: cert_storage compares bytes, so no match either.
        let padded = [&[0u8][..], &serial].concat();
        assert_eq!(
            snapshot.lookup_issuer_serial(&issuer, &padded).is_some(),
            pairs.contains(&(issuer.clone(), padded))
        );
        // A changed issuer byte: not listed.
        let mut other_issuer = issuer.clone();
        *other_issuer.last_mut().unwrap() ^= 0x01;
        assert!(snapshot
            .lookup_issuer_serial(&other_issuer, &serial)
            .is_none());

        checked += 1;
        if record["enabled"] == false {
            disabled_checked += 1;
        }
    }
    assert!(
        neighbours >= 30,
        "only {neighbours} neighbouring serials were checked"
    );
    assert!(checked >= 40, "only {checked} records could be crafted");
    assert!(
        disabled_checked >= 5,
        "only {disabled_checked} disabled records were crafted"
    );
}

#[test]
fn subject_and_key_records_match_the_spki_hash() {
    let s = test_snapshot();
    let int = Cert::from_der(&chain(UNDER_REVOKED_KEY)[1]).unwrap();
    let rec = s.lookup(&int).unwrap();
    assert_eq!(rec.kind, RecordKind::SubjectPubKeyHash);
    assert!(!rec.enabled);
    let mut hash = *int.spki.sha256();
    hash[31] ^= 1;
    assert!(s.lookup_subject_spki(&int.subject_der, &hash).is_none());
}

trait NameCheck {
    fn from_der_checked(der: &[u8]) -> Option<x509_cert::name::Name>;
}

impl NameCheck for x509_cert::name::Name {
    /// Decodes a Name only if it re-encodes to the same bytes.
    fn from_der_checked(der: &[u8]) -> Option<Self> {
        use der::{Decode, Encode};
        let name = Self::from_der(der).ok()?;
        (name.to_der().ok()? == der).then_some(name)
    }
}
