//! The CRLSet sync's steps over the CRX3 packages of fixtures/crx3: the two
//! GETs through a host that answers at once, and `accept`'s verdict on each
//! package against the set in force (new, up to date, rollback, refused).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::pin::pin;
use std::task::Poll;

use revoscope::crlset::sync::{
    accept, fetch_package, update_check_url, Accepted, CrlSetSyncError, Offer,
};
use revoscope::crlset::CrlSet;
use revoscope::crx3::{Crx3Error, Crx3Expectation};
use revoscope::remote_settings::sync::HttpGet;
use revoscope::remote_settings::SyncError;
use revoscope::verify::ledger::poll_once;
use revoscope::verify::RustCrypto;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../fixtures/", $name)).as_slice()
    };
}

/// The test key's pin (fixtures/crx3/README.md).
const TEST_PIN: [u8; 32] = [
    0x20, 0xf1, 0x74, 0x20, 0xc4, 0x64, 0xb4, 0x52, 0x3c, 0x37, 0xd0, 0x04, 0xd5, 0x4c, 0x94, 0xcc,
    0x10, 0xae, 0x78, 0xaa, 0x9c, 0x83, 0xe0, 0x23, 0x47, 0x40, 0x10, 0x21, 0xd2, 0xd1, 0xe8, 0x17,
];
const SEQ1: &[u8] = fixture!("crx3/crlset-seq1.crx3");
const SEQ2: &[u8] = fixture!("crx3/crlset-seq2.crx3");

fn test_key() -> Crx3Expectation {
    Crx3Expectation::for_key(TEST_PIN)
}

fn set(raw: &[u8]) -> CrlSet {
    CrlSet::from_bytes(raw).unwrap()
}

#[test]
fn a_higher_sequence_is_new_the_same_up_to_date_a_lower_a_rollback() {
    let seq1 = set(fixture!("crlset/crlset_by_root_serial.raw"));
    let seq2 = set(fixture!("crlset/crlset_by_root_subject_no_spki.raw"));
    let accepted = |crx, kept| accept(crx, &test_key(), kept, &RustCrypto);

    let Ok(Accepted::New { bytes, set }) = accepted(SEQ1, None) else {
        panic!("a first set is new")
    };
    assert_eq!(bytes, fixture!("crlset/crlset_by_root_serial.raw"));
    assert_eq!(*set, seq1);
    assert!(
        matches!(accepted(SEQ2, Some(&seq1)), Ok(Accepted::New { set, .. }) if set.sequence() == 2)
    );
    assert_eq!(accepted(SEQ1, Some(&seq1)), Ok(Accepted::UpToDate));
    assert_eq!(
        accepted(SEQ1, Some(&seq2)),
        Err(CrlSetSyncError::Rollback {
            kept: 2,
            offered: 1
        })
    );
    assert_eq!(accepted(SEQ1, Some(&seq2)).unwrap_err().code(), "rollback");
}

#[test]
fn a_refused_package_says_why_whatever_is_in_force() {
    let seq2 = set(fixture!("crlset/crlset_by_root_subject_no_spki.raw"));
    for kept in [None, Some(&seq2)] {
        let tampered = accept(
            fixture!("crx3/archive-flipped.crx3"),
            &test_key(),
            kept,
            &RustCrypto,
        );
        assert!(
            matches!(
                tampered,
                Err(CrlSetSyncError::Crx(Crx3Error::BadSignature { .. }))
            ),
            "{tampered:?}"
        );
        let chrome = accept(SEQ1, &Crx3Expectation::crlset(), kept, &RustCrypto).unwrap_err();
        assert!(
            matches!(chrome, CrlSetSyncError::Crx(Crx3Error::WrongId { .. })),
            "{chrome}"
        );
        let missing = accept(
            fixture!("crx3/no-crl-set.crx3"),
            &test_key(),
            kept,
            &RustCrypto,
        );
        assert_eq!(missing.unwrap_err().code(), "file-missing");
    }
}

/// Answers from a list of (URL, answer) and records what was asked.
struct Host {
    answers: Vec<(String, Result<Vec<u8>, SyncError>)>,
    asked: Vec<(String, usize)>,
}

impl HttpGet for Host {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        self.asked.push((url.into(), max));
        self.answers.iter().find(|(u, _)| u == url).map_or(
            Err(SyncError::HttpStatus {
                url: url.into(),
                status: 404,
            }),
            |(_, a)| a.clone(),
        )
    }
}

fn fetch(host: &mut Host) -> Result<revoscope::crlset::sync::Package, CrlSetSyncError> {
    match poll_once(pin!(fetch_package(
        host,
        "http://u/crx",
        "capbhecamegelefcdmdhnaaenfemjemm"
    ))) {
        Poll::Ready(outcome) => outcome,
        Poll::Pending => panic!("the host answers at once"),
    }
}

#[test]
fn the_package_is_fetched_from_the_offer_and_a_failed_step_stops_the_sync() {
    let check = update_check_url("http://u/crx", "capbhecamegelefcdmdhnaaenfemjemm");
    let reply = br#"<gupdate><app appid="capbhecamegelefcdmdhnaaenfemjemm" status="ok"><updatecheck codebase="http://p/seq1.crx3" status="ok" version="7"/></app></gupdate>"#;
    let mut host = Host {
        answers: vec![
            (check.clone(), Ok(reply.to_vec())),
            ("http://p/seq1.crx3".into(), Ok(SEQ1.to_vec())),
        ],
        asked: Vec::new(),
    };
    let package = fetch(&mut host).unwrap();
    assert_eq!(
        package.offer,
        Offer {
            codebase: "http://p/seq1.crx3".into(),
            version: Some("7".into())
        }
    );
    assert_eq!(package.crx, SEQ1);
    assert_eq!(
        host.asked,
        [
            (check.clone(), revoscope::crlset::sync::MAX_UPDATE_REPLY_LEN),
            ("http://p/seq1.crx3".into(), revoscope::limits::MAX_CRX_LEN)
        ]
    );

    // The package missing: its HTTP status, after both requests.
    host.answers.truncate(1);
    host.asked.clear();
    assert_eq!(fetch(&mut host).unwrap_err().code(), "http-status");
    assert_eq!(host.asked.len(), 2);
    // A reply that names no package: the package is not asked for.
    host.answers = vec![(check, Ok(b"<gupdate/>".to_vec()))];
    host.asked.clear();
    assert_eq!(fetch(&mut host).unwrap_err().code(), "bad-update-reply");
    assert_eq!(host.asked.len(), 1);
}
