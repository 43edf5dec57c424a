//! Certificate facts from the test PKI and from hostile DER.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::{Cert, CertField, Error};
use sha2::{Digest, Sha256};
use support::der_build::{certificate, extension, tlv};
use support::*;

fn leaf(pem: &[u8]) -> Cert {
    Cert::from_der(&chain(pem)[0]).unwrap()
}

#[test]
fn facts_of_a_full_leaf() {
    let c = leaf(LEAF_90D);
    assert_eq!(c.serial_hex(), "2001");
    assert_eq!(c.subject, "CN=leaf-90d.revoscope.test");
    assert_eq!(
        c.issuer,
        "CN=revoscope Test Intermediate,O=revoscope test PKI"
    );
    assert_eq!(c.ocsp_urls, ["http://127.0.0.1:8888/"]);
    assert_eq!(c.ca_issuers_urls, ["http://127.0.0.1:8889/int-good.der"]);
    assert_eq!(c.crl_urls, ["http://127.0.0.1:8889/int-good.crl"]);
    assert_eq!(
        c.extended_key_usage,
        [der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1")]
    );
    assert_eq!(
        c.policy_oids,
        [der::asn1::ObjectIdentifier::new_unwrap("2.23.140.1.2.1")]
    );
    assert!(!c.is_ca && !c.must_staple());
    assert_eq!(c.lifetime_secs(), 90 * 86_400);
    assert_eq!(c.scts.len(), 2);
    assert_eq!(c.scts[0].log_id, [0xA1; 32]);
    assert_eq!(c.scts[1].timestamp_ms, pki::LEAF_NOT_BEFORE * 1000 + 2);
    assert_eq!(c.sct_list_error, None);
    // The hashes are of the exact input bytes.
    assert_eq!(
        *c.spki.sha256(),
        <[u8; 32]>::from(Sha256::digest(c.spki.der()))
    );
}

#[test]
fn facts_of_cas_and_special_leaves() {
    let ch = chain(LEAF_MUST_STAPLE);
    let (l, int, root) = (
        Cert::from_der(&ch[0]).unwrap(),
        Cert::from_der(&ch[1]).unwrap(),
        Cert::from_der(&ch[2]).unwrap(),
    );
    assert!(l.must_staple());
    assert_eq!(l.tls_features, [5]);
    assert!(int.is_ca && root.is_ca);
    assert!(root.is_self_issued() && !int.is_self_issued());
    assert_eq!(l.issuer_der, int.subject_der);
    assert!(leaf(LEAF_NO_AIA).ocsp_urls.is_empty());
    assert_eq!(leaf(LEAF_10D).lifetime_secs(), 864_000);
}

#[test]
fn every_truncation_is_a_precise_error() {
    let der = &chain(LEAF_90D)[0];
    for cut in 0..der.len() {
        let err = Cert::from_der(&der[..cut]).unwrap_err();
        assert!(
            matches!(err, Error::MalformedCertificate { .. }),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn trailing_data_is_refused() {
    let mut der = chain(LEAF_90D)[0].clone();
    der.extend([0, 0]);
    assert_eq!(
        Cert::from_der(&der).unwrap_err(),
        Error::TrailingData { len: 2 }
    );
}

#[test]
fn flipped_bytes_never_panic() {
    let der = &chain(LEAF_90D)[0];
    for i in 0..der.len() {
        for mask in [0x01, 0x80, 0xff] {
            let mut bad = der.clone();
            bad[i] ^= mask;
            let _ = Cert::from_der(&bad);
        }
    }
}

#[test]
fn serial_bounds() {
    assert!(Cert::from_der(&certificate(&[0x01; 32], &[])).is_ok());
    assert_eq!(
        Cert::from_der(&certificate(&[0x01; 33], &[])).unwrap_err(),
        Error::SerialNumberTooLong { len: 33, max: 32 }
    );
    assert_eq!(
        Cert::from_der(&certificate(&[], &[])).unwrap_err(),
        Error::SerialNumberEmpty
    );
    // A leading 0x00 is kept: OneCRL matches the content octets as encoded.
    assert_eq!(
        Cert::from_der(&certificate(&[0x00, 0x80], &[]))
            .unwrap()
            .serial,
        [0x00, 0x80]
    );
}

#[test]
fn extension_errors() {
    let bc = tlv(0x30, &[0x01, 0x01, 0xff]);
    let dup = [
        extension("2.5.29.19", true, &bc),
        extension("2.5.29.19", true, &bc),
    ];
    assert_eq!(
        Cert::from_der(&certificate(&[1], &dup)).unwrap_err(),
        Error::DuplicateExtension {
            oid: "2.5.29.19".into()
        }
    );

    let unknown = [extension("1.2.3.4", true, &[0x05, 0x00])];
    assert_eq!(
        Cert::from_der(&certificate(&[1], &unknown)).unwrap_err(),
        Error::UnknownCriticalExtension {
            oid: "1.2.3.4".into()
        }
    );
    // The same extension, not critical, is simply ignored.
    assert!(Cert::from_der(&certificate(
        &[1],
        &[extension("1.2.3.4", false, &[0x05, 0x00])]
    ))
    .is_ok());

    let bad_aia = [extension(
        "1.3.6.1.5.5.7.1.1",
        false,
        &[0x30, 0x03, 0x02, 0x01, 0x00],
    )];
    assert!(matches!(
        Cert::from_der(&certificate(&[1], &bad_aia)).unwrap_err(),
        Error::MalformedExtension {
            name: "authorityInfoAccess",
            ..
        }
    ));
}

#[test]
fn a_bad_sct_list_is_reported_not_fatal() {
    let ext = [extension(
        "1.3.6.1.4.1.11129.2.4.2",
        false,
        &tlv(0x04, &[0x00, 0x05, 0x00]),
    )];
    let c = Cert::from_der(&certificate(&[1], &ext)).unwrap();
    assert!(c.scts.is_empty());
    assert!(c.sct_list_error.unwrap().contains("declares 5 bytes"));
}

#[test]
fn structure_errors_name_the_field() {
    // A certificate that is an INTEGER, not a SEQUENCE.
    let err = Cert::from_der(&[0x02, 0x01, 0x00]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::MalformedCertificate {
                field: CertField::Certificate,
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        Cert::from_der(&[]).unwrap_err(),
        Error::MalformedCertificate { .. }
    ));
    let huge = vec![0x30; revoscope::limits::MAX_CERT_LEN + 1];
    assert!(matches!(
        Cert::from_der(&huge).unwrap_err(),
        Error::CertificateTooLarge { .. }
    ));
}
