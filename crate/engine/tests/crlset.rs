//! CRLSets read and checked as Chromium reads and checks them, on
//! Chromium's own test data (fixtures/crlset/README.md): the three sets of
//! net/cert/crl_set_unittest.cc with that file's expectations, and the sets
//! Chromium's generate-test-certs.sh makes from its test certificates,
//! rebuilt here, with the expectations of the CRLSet tests in
//! net/cert/cert_verify_proc_unittest.cc. Then each malformed input with
//! its exact error. Natively and on wasm32 alike.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::crlset::{
    CertStatus, ChainAnswer, CrlSet, CrlSetError, CrlSetResult, GoodWhy, Interception, ParentPart,
    RevokedBy, UnknownWhy,
};
use revoscope::limits::{
    MAX_CRLSET_HEADER_LEN, MAX_CRLSET_LEN, MAX_CRLSET_PARENTS, MAX_CRLSET_SERIALS_PER_PARENT,
    MAX_CRLSET_SERIAL_LEN,
};
use revoscope::{Cert, UnixTime};
use sha2::{Digest, Sha256};
use support::crlset_build::{minimal_header, parent_block, raw, CrlSetSpec};

macro_rules! fixtures {
    ($($file:literal),+ $(,)?) => {
        fn fixture(name: &str) -> &'static [u8] {
            match name {
                $($file => include_bytes!(concat!("../../../fixtures/crlset/", $file)),)+
                other => panic!("no fixture {other}"),
            }
        }
        const FIXTURES: &[&str] = &[$($file),+];
    };
}

fixtures!(
    "chromium/root_ca_cert.pem",
    "chromium/ok_cert.pem",
    "chromium/ok_cert_by_intermediate.pem",
    "unittest-gia.raw",
    "unittest-blocked-spki.raw",
    "unittest-expired.raw",
    "crlset_by_leaf_spki.raw",
    "crlset_by_root_spki.raw",
    "crlset_by_root_serial.raw",
    "crlset_by_intermediate_serial.raw",
    "crlset_by_root_subject.raw",
    "crlset_by_root_subject_no_spki.raw",
    "crlset_by_leaf_subject_no_spki.raw",
    "crlset_blocked_interception_by_root.raw",
    "crlset_blocked_interception_by_intermediate.raw",
    "crlset_known_interception_by_root.raw",
);

/// 2026-06-02T00:00:00Z. No set here but the unit test's expired one has
/// a NotAfter, so the time only decides that one.
const NOW: UnixTime = UnixTime(1_780_358_400);

fn certs(pem: &str) -> Vec<Cert> {
    revoscope::pem::read_certificates(fixture(pem))
        .expect("PEM")
        .iter()
        .map(|der| Cert::from_der(der).expect("a Chromium test certificate"))
        .collect()
}

/// Chromium's test PKI: the root, ok_cert (issued by the root), and
/// ok_cert_by_intermediate's leaf and intermediate.
struct Pki {
    root: Cert,
    ok: Cert,
    leaf: Cert,
    intermediate: Cert,
}

fn pki() -> Pki {
    let mut by_intermediate = certs("chromium/ok_cert_by_intermediate.pem").into_iter();
    Pki {
        root: certs("chromium/root_ca_cert.pem").remove(0),
        ok: certs("chromium/ok_cert.pem").remove(0),
        leaf: by_intermediate.next().unwrap(),
        intermediate: by_intermediate.next().unwrap(),
    }
}

fn subject_hash(cert: &Cert) -> [u8; 32] {
    Sha256::digest(&cert.subject_der).into()
}

/// The sets generate-test-certs.sh makes with crlsetutil.py, by name.
fn chromium_recipes(p: &Pki) -> Vec<(&'static str, CrlSetSpec)> {
    let spki = |c: &Cert| *c.spki.sha256();
    let spec = CrlSetSpec::default;
    vec![
        (
            "crlset_by_leaf_spki.raw",
            CrlSetSpec {
                blocked_spkis: vec![spki(&p.ok)],
                ..spec()
            },
        ),
        (
            "crlset_by_root_spki.raw",
            CrlSetSpec {
                blocked_spkis: vec![spki(&p.root)],
                ..spec()
            },
        ),
        (
            "crlset_by_root_serial.raw",
            CrlSetSpec {
                parents: vec![(spki(&p.root), vec![p.ok.serial.clone()])],
                ..spec()
            },
        ),
        (
            "crlset_by_intermediate_serial.raw",
            CrlSetSpec {
                parents: vec![(spki(&p.intermediate), vec![p.leaf.serial.clone()])],
                ..spec()
            },
        ),
        (
            "crlset_by_root_subject.raw",
            CrlSetSpec {
                limited_subjects: vec![(subject_hash(&p.root), vec![spki(&p.root)])],
                ..spec()
            },
        ),
        (
            "crlset_by_root_subject_no_spki.raw",
            CrlSetSpec {
                limited_subjects: vec![(subject_hash(&p.root), vec![])],
                sequence: 2,
                ..spec()
            },
        ),
        (
            "crlset_by_leaf_subject_no_spki.raw",
            CrlSetSpec {
                limited_subjects: vec![(subject_hash(&p.ok), vec![])],
                ..spec()
            },
        ),
        (
            "crlset_blocked_interception_by_root.raw",
            CrlSetSpec {
                blocked_interception_spkis: vec![spki(&p.root)],
                ..spec()
            },
        ),
        (
            "crlset_blocked_interception_by_intermediate.raw",
            CrlSetSpec {
                blocked_interception_spkis: vec![spki(&p.intermediate)],
                ..spec()
            },
        ),
        (
            "crlset_known_interception_by_root.raw",
            CrlSetSpec {
                known_interception_spkis: vec![spki(&p.root)],
                ..spec()
            },
        ),
    ]
}

fn set(name: &str) -> CrlSet {
    CrlSet::from_bytes(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hex32(hex: &str) -> [u8; 32] {
    revoscope::hex::decode(hex).unwrap().try_into().unwrap()
}

/// kGIASPKISHA256 of crl_set_unittest.cc.
const GIA_SPKI: &str = "b6b95432abae57fe020cb2b74f4f9f9173c8c708afc9e732ace23279047c6d05";

// crl_set_unittest.cc, case by case.

#[test]
fn unittest_parse_reads_the_google_internet_authority_set() {
    let set = set("unittest-gia.raw");
    let gia = hex32(GIA_SPKI);
    assert_eq!(set.parents().collect::<Vec<_>>(), [&gia]);
    let serials: Vec<&[u8]> = set.serials_of(&gia).unwrap().collect();
    assert_eq!(serials.len(), 13);
    assert_eq!(serials[0], b"\x10\x0D\x7F\x30\x00\x03\x00\x00\x23\xB0");
    assert_eq!(serials[12], b"\x64\x63\x49\xD2\x00\x03\x00\x00\x1D\x77");
    assert_eq!(
        set.check_serial(b"\x16\x7D\x75\x9D\x00\x03\x00\x00\x14\x55", &gia),
        CrlSetResult::Revoked
    );
    assert_eq!(
        set.check_serial(b"\x47\x54\x3E\x79\x00\x03\x00\x00\x14\xF5", &gia),
        CrlSetResult::Good
    );
    assert!(!set.is_expired(NOW));
    let info = set.info();
    assert_eq!((info.sequence, info.not_after), (0, None));
    assert_eq!(
        (info.parents, info.serials, info.declared_parents),
        (1, 13, Some(1))
    );
}

#[test]
fn unittest_blocked_spkis_revoke_the_hash_of_the_empty_string() {
    let set = set("unittest-blocked-spki.raw");
    // The listed hash is SHA-256 of nothing.
    let empty: [u8; 32] = Sha256::digest(b"").into();
    assert_eq!(set.check_spki(&empty), CrlSetResult::Revoked);
    assert_eq!(set.check_spki(&hex32(GIA_SPKI)), CrlSetResult::Good);
    assert_eq!(set.info().blocked_spkis, 1);
}

#[test]
fn unittest_expired_is_expired_one_second_after_the_epoch() {
    let set = set("unittest-expired.raw");
    assert_eq!(set.not_after(), Some(UnixTime(1)));
    assert_eq!(set.sequence(), 1);
    assert!(
        !set.is_expired(UnixTime(1)),
        "expired only strictly after NotAfter"
    );
    assert!(set.is_expired(UnixTime(2)));
    assert!(set.is_expired(NOW));
}

#[test]
fn unittest_blocked_subjects_limit_the_root_to_its_own_key() {
    let p = pki();
    let set = set("crlset_by_root_subject.raw");
    assert_eq!(set.check_subject(b"abcdef", &[0; 32]), CrlSetResult::Good);
    assert_eq!(
        set.check_subject(&p.root.subject_der, &hex32(GIA_SPKI)),
        CrlSetResult::Revoked
    );
    assert_eq!(
        set.check_subject(&p.root.subject_der, p.root.spki.sha256()),
        CrlSetResult::Good
    );
}

// cert_verify_proc_unittest.cc's CRLSet tests: Chromium's chain walk over
// the same chains. "OK" there is any result but revoked.

fn chain_answer(set_name: &str, chain: &[&Cert]) -> ChainAnswer {
    set(set_name).check_chain(chain, NOW)
}

#[test]
fn chromium_sets_revoke_and_spare_as_cert_verify_proc_unittest_expects() {
    let p = pki();
    let ok_chain = [&p.ok, &p.root];
    let int_chain = [&p.leaf, &p.intermediate, &p.root];

    // CRLSet: by the leaf's SPKI, then by its serial under the root.
    let a = chain_answer("crlset_by_leaf_spki.raw", &ok_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(0)));
    assert_eq!(
        a.certs[0].status,
        CertStatus::Revoked {
            by: RevokedBy::BlockedSpki
        }
    );
    let a = chain_answer("crlset_by_root_serial.raw", &ok_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(0)));
    assert_eq!(
        a.certs[0].status,
        CertStatus::Revoked {
            by: RevokedBy::Serial
        }
    );

    // CRLSetLeafSerial: under the intermediate. The leaf's serial is
    // encoded with a leading 0x00 (d8 5d ... has its top bit set), which
    // the set stores without.
    assert_eq!(p.leaf.serial[0], 0x00);
    let a = chain_answer("crlset_by_intermediate_serial.raw", &int_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(0)));
    assert_eq!(
        a.certs[1].status,
        CertStatus::Unknown {
            why: UnknownWhy::IssuerNotCovered
        }
    );

    // CRLSetRootReturnsChain: the root itself, by SPKI.
    let a = chain_answer("crlset_by_root_spki.raw", &int_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(2)));

    // CRLSetRevokedBySubject: the leaf's subject with no key allowed, the
    // root's likewise: revoked; the root's limited to its own key: OK.
    let a = chain_answer("crlset_by_leaf_subject_no_spki.raw", &ok_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(0)));
    assert_eq!(
        a.certs[0].status,
        CertStatus::Revoked {
            by: RevokedBy::LimitedSubject
        }
    );
    let a = chain_answer("crlset_by_root_subject_no_spki.raw", &ok_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(1)));
    let a = chain_answer("crlset_by_root_subject.raw", &ok_chain);
    assert_eq!(a.result, CrlSetResult::Unknown);
    assert_eq!(
        a.certs[1].status,
        CertStatus::Good {
            why: GoodWhy::TopOfChain
        }
    );
    // ok_cert_by_intermediate has ok_cert's subject: the leaf-subject set
    // catches it too.
    let a = chain_answer("crlset_by_leaf_subject_no_spki.raw", &int_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(0)));

    // BlockedInterceptionByRoot / ByIntermediate: blocked, and the
    // interception named; ok_cert, not under that intermediate, is OK and
    // flagged nothing. DetectsInterceptionByRoot: OK, detected.
    let a = chain_answer("crlset_blocked_interception_by_root.raw", &int_chain);
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(2)));
    assert_eq!(a.interception, Some(Interception::Blocked));
    let a = chain_answer(
        "crlset_blocked_interception_by_intermediate.raw",
        &int_chain,
    );
    assert_eq!((a.result, a.revoked_at), (CrlSetResult::Revoked, Some(1)));
    assert_eq!(a.interception, Some(Interception::Blocked));
    assert!(a.certs[1].known_interception_key);
    let a = chain_answer("crlset_blocked_interception_by_intermediate.raw", &ok_chain);
    assert_eq!((a.result, a.interception), (CrlSetResult::Unknown, None));
    let a = chain_answer("crlset_known_interception_by_root.raw", &int_chain);
    assert_eq!(a.result, CrlSetResult::Unknown);
    assert_eq!(a.interception, Some(Interception::Detected));
    assert!(a.certs[2].known_interception_key && !a.certs[0].known_interception_key);
}

#[test]
fn every_fixture_set_reads_and_its_info_is_what_the_recipe_put_in() {
    let p = pki();
    for (name, spec) in chromium_recipes(&p) {
        let info = set(name).info();
        assert_eq!(info.sequence, spec.sequence as u32, "{name}");
        assert_eq!(
            info.declared_parents,
            Some(spec.parents.len() as u64),
            "{name}"
        );
        assert_eq!(info.parents, spec.parents.len(), "{name}");
        assert_eq!(
            info.blocked_spkis,
            spec.blocked_spkis.len() + spec.blocked_interception_spkis.len(),
            "{name}"
        );
        assert_eq!(info.limited_subjects, spec.limited_subjects.len(), "{name}");
        assert_eq!(info.unmatchable_hashes, 0, "{name}");
    }
    assert!(FIXTURES.len() > 13);
}

// The walk's rules, on sets built here.

fn spec_set(spec: &CrlSetSpec) -> CrlSet {
    CrlSet::from_bytes(&spec.bytes()).expect("a built set")
}

#[test]
fn the_leaf_decides_good_and_only_while_the_set_is_fresh() {
    let p = pki();
    let int_chain = [&p.leaf, &p.intermediate, &p.root];
    // The intermediate's CRL is in the set, the leaf not on it: good, even
    // though the root covers nothing about the intermediate.
    let spec = CrlSetSpec {
        parents: vec![(*p.intermediate.spki.sha256(), vec![vec![0x01]])],
        not_after: Some(NOW.0),
        ..CrlSetSpec::default()
    };
    let set = spec_set(&spec);
    let a = set.check_chain(&int_chain, NOW);
    assert_eq!((a.result, a.expired), (CrlSetResult::Good, false));
    assert_eq!(
        a.certs[0].status,
        CertStatus::Good {
            why: GoodWhy::NotListed
        }
    );
    assert_eq!(
        a.certs[1].status,
        CertStatus::Unknown {
            why: UnknownWhy::IssuerNotCovered
        }
    );
    // One second past NotAfter: no answer for a good leaf.
    let a = set.check_chain(&int_chain, UnixTime(NOW.0 + 1));
    assert_eq!((a.result, a.expired), (CrlSetResult::Unknown, true));
    assert_eq!(a.certs[0].status.result(), CrlSetResult::Good);

    // An expired set still revokes.
    let spec = CrlSetSpec {
        parents: vec![(*p.intermediate.spki.sha256(), vec![p.leaf.serial.clone()])],
        not_after: Some(1),
        ..CrlSetSpec::default()
    };
    let a = spec_set(&spec).check_chain(&int_chain, NOW);
    assert_eq!((a.result, a.expired), (CrlSetResult::Revoked, true));

    // A good intermediate does not make the chain good.
    let spec = CrlSetSpec {
        parents: vec![(*p.root.spki.sha256(), vec![vec![0x7f]])],
        ..CrlSetSpec::default()
    };
    let a = spec_set(&spec).check_chain(&int_chain, NOW);
    assert_eq!(a.result, CrlSetResult::Unknown);
    assert_eq!(a.certs[1].status.result(), CrlSetResult::Good);

    // A chain of one is its own top: good unless blocked.
    let a = spec_set(&CrlSetSpec::default()).check_chain(&[&p.root], NOW);
    assert_eq!(a.result, CrlSetResult::Good);
    let a = spec_set(&CrlSetSpec::default()).check_chain(&[], NOW);
    assert_eq!((a.result, a.certs.len()), (CrlSetResult::Unknown, 0));
}

#[test]
fn the_top_most_revocation_decides_and_every_certificate_is_answered() {
    let p = pki();
    let spec = CrlSetSpec {
        blocked_spkis: vec![*p.intermediate.spki.sha256()],
        parents: vec![(*p.intermediate.spki.sha256(), vec![p.leaf.serial.clone()])],
        ..CrlSetSpec::default()
    };
    let a = spec_set(&spec).check_chain(&[&p.leaf, &p.intermediate, &p.root], NOW);
    assert_eq!(a.revoked_at, Some(1));
    assert_eq!(
        a.certs[0].status,
        CertStatus::Revoked {
            by: RevokedBy::Serial
        }
    );
    assert_eq!(
        a.certs[1].status,
        CertStatus::Revoked {
            by: RevokedBy::BlockedSpki
        }
    );
}

#[test]
fn serials_compare_as_chromium_compares_them() {
    let issuer = [7u8; 32];
    let body = parent_block(
        &issuer,
        &[b"\x00", b"\x05", b"\x00\x06", b"\x80\x01", b"\xff\xff\xff"],
    );
    let set = CrlSet::from_bytes(&raw(&minimal_header(""), &body)).unwrap();
    let check = |serial: &[u8]| set.check_serial(serial, &issuer);
    // Leading zeros of the certificate's serial go, down to one byte.
    assert_eq!(check(b"\x05"), CrlSetResult::Revoked);
    assert_eq!(check(b"\x00\x00\x05"), CrlSetResult::Revoked);
    assert_eq!(check(b"\x00"), CrlSetResult::Revoked);
    assert_eq!(check(b"\x00\x00"), CrlSetResult::Revoked);
    assert_eq!(check(b"\x00\x80\x01"), CrlSetResult::Revoked);
    // The set's are compared as stored: its 00 06 matches no certificate.
    assert_eq!(check(b"\x00\x06"), CrlSetResult::Good);
    assert_eq!(check(b"\x06"), CrlSetResult::Good);
    // A serial with the sign bit set is unknown, listed or not, covered or not.
    assert_eq!(check(b"\xff\xff\xff"), CrlSetResult::Unknown);
    assert_eq!(check(b"\x80\x01"), CrlSetResult::Unknown);
    assert_eq!(set.check_serial(b"\x80", &[8; 32]), CrlSetResult::Unknown);
    assert_eq!(set.check_serial(b"\x05", &[8; 32]), CrlSetResult::Unknown);
    assert_eq!(set.check_serial(b"", &issuer), CrlSetResult::Good);
}

#[test]
fn what_chromium_lets_through_reads() {
    let a = [1u8; 32];
    // NumParents is never read: a set declaring 5 parents with none reads.
    let set = CrlSet::from_bytes(&raw(&minimal_header(r#""NumParents":5"#), &[])).unwrap();
    assert_eq!(
        (set.info().declared_parents, set.info().parents),
        (Some(5), 0)
    );
    // A parent listed twice keeps its last block.
    let body = [
        parent_block(&a, &[b"\x01"]),
        parent_block(&[0; 32], &[]),
        parent_block(&a, &[b"\x02"]),
    ]
    .concat();
    let set = CrlSet::from_bytes(&raw(&minimal_header(""), &body)).unwrap();
    assert_eq!(set.check_serial(b"\x01", &a), CrlSetResult::Good);
    assert_eq!(set.check_serial(b"\x02", &a), CrlSetResult::Revoked);
    assert_eq!((set.info().parents, set.info().serials), (2, 1));
    // Lists of the wrong JSON type count as absent; NotAfter likewise.
    let header = minimal_header(
        r#""BlockedSPKIs":"x","LimitedSubjects":[],"KnownInterceptionSPKIs":{},"NotAfter":"soon""#,
    );
    let set = CrlSet::from_bytes(&raw(&header, &[])).unwrap();
    assert_eq!(set.not_after(), None);
    assert_eq!(set.info().blocked_spkis, 0);
    // Trailing commas, as JSON_ALLOW_TRAILING_COMMAS allows.
    let header = r#"{"ContentType":"CRLSet","Sequence":3,"Version":0,"BlockedSPKIs":["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",],}"#;
    let set = CrlSet::from_bytes(&raw(header, &[])).unwrap();
    assert_eq!(set.check_spki(&a), CrlSetResult::Revoked);
    // Hashes of another length are kept by Chromium but match nothing.
    let header = minimal_header(r#""BlockedSPKIs":["AQID",""],"LimitedSubjects":{"AQID":[]}"#);
    let set = CrlSet::from_bytes(&raw(&header, &[])).unwrap();
    assert_eq!(
        (set.info().blocked_spkis, set.info().limited_subjects),
        (0, 0)
    );
    assert_eq!(set.info().unmatchable_hashes, 3);
    // A negative Sequence is cast to 32 unsigned bits; NotAfter's fraction
    // goes, and 0 (or under 1) means no expiry.
    let header = r#"{"ContentType":"CRLSet","Sequence":-1,"Version":0,"NotAfter":0.5}"#;
    let set = CrlSet::from_bytes(&raw(header, &[])).unwrap();
    assert_eq!((set.sequence(), set.not_after()), (u32::MAX, None));
    let header = minimal_header(r#""NotAfter":1790000000.9"#);
    let set = CrlSet::from_bytes(&raw(&header, &[])).unwrap();
    assert_eq!(set.not_after(), Some(UnixTime(1_790_000_000)));
    // A zero-length serial and a 255-byte one are both read.
    let long = [0x11u8; 255];
    let body = parent_block(&a, &[b"", &long]);
    let set = CrlSet::from_bytes(&raw(&minimal_header(""), &body)).unwrap();
    assert_eq!(set.serials_of(&a).unwrap().count(), 2);
    // Blocked interception keys are blocked and known.
    let header = minimal_header(
        r#""BlockedInterceptionSPKIs":["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="]"#,
    );
    let set = CrlSet::from_bytes(&raw(&header, &[])).unwrap();
    assert_eq!(set.check_spki(&a), CrlSetResult::Revoked);
    assert!(set.is_known_interception_key(&a));
}

#[test]
fn each_malformed_set_is_refused_with_its_error() {
    let ok = minimal_header("");
    let cases: Vec<(&str, Vec<u8>, CrlSetError)> = vec![
        (
            "empty",
            vec![],
            CrlSetError::TruncatedHeaderLength { len: 0 },
        ),
        (
            "one byte",
            vec![0x10],
            CrlSetError::TruncatedHeaderLength { len: 1 },
        ),
        (
            "header past the end",
            [&[0x40, 0x00][..], b"{}"].concat(),
            CrlSetError::TruncatedHeader {
                declared: 64,
                available: 2,
            },
        ),
        (
            "not an object",
            raw("[]", &[]),
            CrlSetError::HeaderNotObject,
        ),
        (
            "no ContentType",
            raw(r#"{"Sequence":0,"Version":0}"#, &[]),
            CrlSetError::WrongContentType { found: None },
        ),
        (
            "another ContentType",
            raw(r#"{"ContentType":"CRLite","Sequence":0,"Version":0}"#, &[]),
            CrlSetError::WrongContentType {
                found: Some("\"CRLite\"".into()),
            },
        ),
        (
            "no Version",
            raw(r#"{"ContentType":"CRLSet","Sequence":0}"#, &[]),
            CrlSetError::UnsupportedVersion { found: None },
        ),
        (
            "Version 1",
            raw(r#"{"ContentType":"CRLSet","Sequence":0,"Version":1}"#, &[]),
            CrlSetError::UnsupportedVersion {
                found: Some("1".into()),
            },
        ),
        (
            "Version 0.0",
            raw(
                r#"{"ContentType":"CRLSet","Sequence":0,"Version":0.0}"#,
                &[],
            ),
            CrlSetError::UnsupportedVersion {
                found: Some("0.0".into()),
            },
        ),
        (
            "no Sequence",
            raw(r#"{"ContentType":"CRLSet","Version":0}"#, &[]),
            CrlSetError::BadSequence { found: None },
        ),
        (
            "Sequence past 32 bits",
            raw(
                r#"{"ContentType":"CRLSet","Sequence":2147483648,"Version":0}"#,
                &[],
            ),
            CrlSetError::BadSequence {
                found: Some("2147483648".into()),
            },
        ),
        (
            "negative NotAfter",
            raw(&minimal_header(r#""NotAfter":-1"#), &[]),
            CrlSetError::NegativeNotAfter { found: "-1".into() },
        ),
        (
            "a hash list entry not a string",
            raw(&minimal_header(r#""BlockedSPKIs":[1]"#), &[]),
            CrlSetError::BadHashList {
                key: "BlockedSPKIs",
                index: 0,
                why: "is not a string",
            },
        ),
        (
            "a hash list entry not base64",
            raw(
                &minimal_header(r#""KnownInterceptionSPKIs":["AA==","A"]"#),
                &[],
            ),
            CrlSetError::BadHashList {
                key: "KnownInterceptionSPKIs",
                index: 1,
                why: "is not base64",
            },
        ),
        (
            "unpadded base64",
            raw(&minimal_header(r#""BlockedInterceptionSPKIs":["AA"]"#), &[]),
            CrlSetError::BadHashList {
                key: "BlockedInterceptionSPKIs",
                index: 0,
                why: "is not base64",
            },
        ),
        (
            "a limited subject not a list",
            raw(&minimal_header(r#""LimitedSubjects":{"AA==":"AA=="}"#), &[]),
            CrlSetError::BadLimitedSubject {
                subject: "AA==".into(),
                why: "is not a list",
            },
        ),
        (
            "a limited subject's key not base64",
            raw(&minimal_header(r#""LimitedSubjects":{"%%":[]}"#), &[]),
            CrlSetError::BadLimitedSubject {
                subject: "%%".into(),
                why: "is not base64",
            },
        ),
        (
            "a limited subject listing a number",
            raw(&minimal_header(r#""LimitedSubjects":{"AA==":[0]}"#), &[]),
            CrlSetError::BadLimitedSubject {
                subject: "AA==".into(),
                why: "lists something other than a string",
            },
        ),
        (
            "trailing bytes short of a parent",
            raw(&ok, &[0xaa; 31]),
            CrlSetError::Truncated {
                parent: 0,
                part: ParentPart::SpkiHash,
                offset: 2 + ok.len(),
                needed: 32,
                available: 31,
            },
        ),
        (
            "no serial count",
            raw(&ok, &[[0xaa; 32].as_slice(), &[1, 0]].concat()),
            CrlSetError::Truncated {
                parent: 0,
                part: ParentPart::SerialCount,
                offset: 2 + ok.len() + 32,
                needed: 4,
                available: 2,
            },
        ),
        (
            "more serials counted than follow",
            raw(
                &ok,
                &[
                    parent_block(&[1; 32], &[]),
                    [2u8; 32].to_vec(),
                    2u32.to_le_bytes().to_vec(),
                ]
                .concat(),
            ),
            CrlSetError::Truncated {
                parent: 1,
                part: ParentPart::SerialLength,
                offset: 2 + ok.len() + 36 + 36,
                needed: 1,
                available: 0,
            },
        ),
        (
            "a serial past the end",
            raw(&ok, &[[3; 32].as_slice(), &[1, 0, 0, 0, 9, 1, 2]].concat()),
            CrlSetError::Truncated {
                parent: 0,
                part: ParentPart::Serial,
                offset: 2 + ok.len() + 37,
                needed: 9,
                available: 2,
            },
        ),
        (
            "more serials than Chromium's sanity check",
            raw(
                &ok,
                &[
                    [4; 32].as_slice(),
                    &(MAX_CRLSET_SERIALS_PER_PARENT + 1).to_le_bytes(),
                ]
                .concat(),
            ),
            CrlSetError::TooManySerials {
                parent: 0,
                count: MAX_CRLSET_SERIALS_PER_PARENT + 1,
                max: MAX_CRLSET_SERIALS_PER_PARENT,
            },
        ),
    ];
    for (what, bytes, expected) in cases {
        let got = CrlSet::from_bytes(&bytes).expect_err(what);
        assert_eq!(got, expected, "{what}");
        assert!(!got.to_string().is_empty() && !got.code().is_empty());
    }
    // Not JSON: the reader's message, with where.
    let got = CrlSet::from_bytes(&raw("{\"ContentType\":", &[])).unwrap_err();
    assert!(
        matches!(&got, CrlSetError::HeaderNotJson { cause } if cause.contains("line 1")),
        "{got:?}"
    );
    // Chromium's order: the header's fields before the parents, the
    // parents before the lists.
    let header = r#"{"ContentType":"CRLSet","Version":0,"BlockedSPKIs":[1]}"#;
    assert_eq!(
        CrlSet::from_bytes(&raw(header, &[0; 3]))
            .unwrap_err()
            .code(),
        "bad-sequence"
    );
    let header = minimal_header(r#""BlockedSPKIs":[1]"#);
    assert_eq!(
        CrlSet::from_bytes(&raw(&header, &[0; 3]))
            .unwrap_err()
            .code(),
        "truncated"
    );
    // A trailing comma after nothing is not allowed.
    let got = CrlSet::from_bytes(&raw(&minimal_header(r#""BlockedSPKIs":[,]"#), &[]));
    assert!(
        matches!(got, Err(CrlSetError::HeaderNotJson { .. })),
        "{got:?}"
    );
}

#[test]
fn parents_at_and_over_max_crlset_parents() {
    let block = |i: usize| parent_block(&Sha256::digest(i.to_le_bytes()).into(), &[]);
    let body: Vec<u8> = (0..MAX_CRLSET_PARENTS).flat_map(block).collect();
    let at_limit = raw(&minimal_header(""), &body);
    let set = CrlSet::from_bytes(&at_limit).expect("exactly the limit reads");
    assert_eq!(set.info().parents, MAX_CRLSET_PARENTS);
    let over = [at_limit, block(MAX_CRLSET_PARENTS)].concat();
    assert_eq!(
        CrlSet::from_bytes(&over).unwrap_err(),
        CrlSetError::TooManyParents {
            max: MAX_CRLSET_PARENTS
        }
    );
}

/// A set of exactly `len` bytes: the minimal header, then one parent whose
/// serials (255-byte ones, and one shorter to make up the rest) fill it.
fn set_of_len(len: usize) -> Vec<u8> {
    let header = minimal_header("");
    let mut left = len - 2 - header.len() - 36;
    let full = vec![0x11u8; 255];
    let mut serials: Vec<&[u8]> = Vec::new();
    while left >= 256 {
        serials.push(&full);
        left -= 256;
    }
    if left > 0 {
        serials.push(&full[..left - 1]);
    }
    let out = raw(&header, &parent_block(&[9; 32], &serials));
    assert_eq!(out.len(), len);
    out
}

#[test]
fn crlset_size_at_and_over_max_crlset_len() {
    let at_limit = set_of_len(MAX_CRLSET_LEN);
    let set = CrlSet::from_bytes(&at_limit).expect("exactly the limit reads");
    assert_eq!(
        set.check_serial(&[0x11; 255], &[9; 32]),
        CrlSetResult::Revoked
    );
    let over = [at_limit.as_slice(), &[0]].concat();
    assert_eq!(
        CrlSet::from_bytes(&over).unwrap_err(),
        CrlSetError::TooLarge {
            len: MAX_CRLSET_LEN + 1,
            max: MAX_CRLSET_LEN
        }
    );
}

#[test]
fn header_at_max_crlset_header_len() {
    // The format's own bound: a header of 65,535 bytes (JSON padded with
    // spaces) reads; the length field cannot say more.
    let mut header =
        minimal_header(r#""BlockedSPKIs":["AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="]"#);
    header.insert_str(1, &" ".repeat(MAX_CRLSET_HEADER_LEN - header.len()));
    let bytes = raw(&header, &parent_block(&[2; 32], &[b"\x01"]));
    assert_eq!(&bytes[..2], &[0xff, 0xff]);
    let set = CrlSet::from_bytes(&bytes).expect("a 65,535-byte header reads");
    assert_eq!(set.check_spki(&[1; 32]), CrlSetResult::Revoked);
    assert_eq!(set.check_serial(b"\x01", &[2; 32]), CrlSetResult::Revoked);
}

#[test]
fn serials_at_and_over_max_crlset_serials_per_parent() {
    let count = |n: u32| {
        raw(
            &minimal_header(""),
            &[[4; 32].as_slice(), &n.to_le_bytes()].concat(),
        )
    };
    // At the limit the count is not refused for itself: the bytes run out.
    assert!(matches!(
        CrlSet::from_bytes(&count(MAX_CRLSET_SERIALS_PER_PARENT)),
        Err(CrlSetError::Truncated {
            part: ParentPart::SerialLength,
            ..
        })
    ));
    assert_eq!(
        CrlSet::from_bytes(&count(MAX_CRLSET_SERIALS_PER_PARENT + 1)).unwrap_err(),
        CrlSetError::TooManySerials {
            parent: 0,
            count: MAX_CRLSET_SERIALS_PER_PARENT + 1,
            max: MAX_CRLSET_SERIALS_PER_PARENT
        }
    );
    assert_eq!(
        CrlSet::from_bytes(&count(u32::MAX)).unwrap_err().code(),
        "too-many-serials"
    );
}

#[test]
fn serial_at_max_crlset_serial_len() {
    // The format's own bound, one length byte: 255 bytes read and match.
    let serial = [0x22u8; MAX_CRLSET_SERIAL_LEN];
    let set = CrlSet::from_bytes(&raw(
        &minimal_header(""),
        &parent_block(&[5; 32], &[&serial]),
    ))
    .unwrap();
    assert_eq!(set.check_serial(&serial, &[5; 32]), CrlSetResult::Revoked);
    // A length byte of 255 with 254 bytes after it is cut short.
    let short = raw(
        &minimal_header(""),
        &[[5u8; 32].as_slice(), &[1, 0, 0, 0, 255], &[0x22; 254]].concat(),
    );
    assert!(matches!(
        CrlSet::from_bytes(&short),
        Err(CrlSetError::Truncated {
            part: ParentPart::Serial,
            needed: 255,
            available: 254,
            ..
        })
    ));
}

/// The committed rebuilt sets are exactly what the builder makes of
/// Chromium's recipes (`REVOSCOPE_WRITE_CRLSETS=1` writes them).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn committed_chromium_sets_match_the_builder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/crlset");
    let write = std::env::var_os("REVOSCOPE_WRITE_CRLSETS").is_some();
    for (name, spec) in chromium_recipes(&pki()) {
        let bytes = spec.bytes();
        if write {
            std::fs::write(dir.join(name), &bytes).unwrap();
            continue;
        }
        assert!(
            fixture(name) == bytes.as_slice(),
            "fixtures/crlset/{name} differs from the builder"
        );
    }
}
