//! OCSP requests beyond Firefox's default: a SHA-256 CertID and a nonce
//! (RFC 8954), decoded back with x509-ocsp to see what was sent.

#[macro_use]
mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use der::Decode;
use revoscope::ocsp::request::{
    build_request, build_request_from_der, build_request_with, CertIdHash, RequestOptions,
};
use revoscope::oid::{ID_PKIX_OCSP_NONCE, ID_SHA1, ID_SHA256};
use revoscope::verify::Hash;
use revoscope::Error;
use support::{chain, LEAF_10D, LEAF_6D, LEAF_90D, LEAF_MUST_STAPLE};
use x509_ocsp::OcspRequest;

#[test]
fn default_request_is_firefox_shaped() {
    let (leaf, issuer) = (pki_cert!("pki/leaf-90d.pem"), pki_cert!("pki/int-good.pem"));
    let request = OcspRequest::from_der(&build_request(&leaf, &issuer).unwrap()).unwrap();
    let tbs = &request.tbs_request;
    assert_eq!(tbs.request_list.len(), 1);
    assert!(tbs.request_extensions.is_none() && request.optional_signature.is_none());
    let id = &tbs.request_list[0].req_cert;
    assert_eq!(id.hash_algorithm.oid, ID_SHA1);
    assert_eq!(id.serial_number.as_bytes(), leaf.serial.as_slice());
    assert_eq!(id.issuer_key_hash.as_bytes(), issuer.public_key_sha1());
    assert_eq!(
        id.issuer_name_hash.as_bytes(),
        Hash::Sha1.digest(&leaf.issuer_der)
    );
}

/// The issuerNameHash is taken from the issuer (which keeps it) only when
/// the issuer's subject is the certificate's issuer field byte for byte;
/// otherwise it is the hash of the field as the certificate has it.
#[test]
fn the_issuer_name_hash_is_of_the_certificates_own_issuer_field() {
    let leaf = pki_cert!("pki/leaf-90d.pem");
    for issuer in [
        pki_cert!("pki/int-good.pem"),
        pki_cert!("pki/int-revoked-key.pem"),
    ] {
        // Twice: the second time from the issuer's kept hash.
        for _ in 0..2 {
            let request = OcspRequest::from_der(&build_request(&leaf, &issuer).unwrap()).unwrap();
            let id = &request.tbs_request.request_list[0].req_cert;
            assert_eq!(
                id.issuer_name_hash.as_bytes(),
                Hash::Sha1.digest(&leaf.issuer_der)
            );
        }
    }
    assert_ne!(
        pki_cert!("pki/int-revoked-key.pem").subject_der,
        leaf.issuer_der
    );
}

#[test]
fn sha256_cert_id_and_nonce() {
    let (leaf, issuer) = (pki_cert!("pki/leaf-90d.pem"), pki_cert!("pki/int-good.pem"));
    let nonce = vec![0x5a; 16];
    let options = RequestOptions {
        cert_id_hash: CertIdHash::Sha256,
        nonce: Some(nonce.clone()),
    };
    let der = build_request_with(&leaf, &issuer, &options).unwrap();
    let request = OcspRequest::from_der(&der).unwrap();
    let id = &request.tbs_request.request_list[0].req_cert;
    assert_eq!(id.hash_algorithm.oid, ID_SHA256);
    assert_eq!(
        id.issuer_name_hash.as_bytes(),
        Hash::Sha256.digest(&leaf.issuer_der).as_slice()
    );
    assert_eq!(
        id.issuer_key_hash.as_bytes(),
        Hash::Sha256.digest(&issuer.public_key).as_slice()
    );
    let exts = request.tbs_request.request_extensions.as_ref().unwrap();
    assert_eq!(exts.len(), 1);
    assert_eq!(exts[0].extn_id, ID_PKIX_OCSP_NONCE);
    assert!(!exts[0].critical);
    // RFC 8954: the extension value is an OCTET STRING holding the nonce.
    let mut inner = vec![0x04, 16];
    inner.extend_from_slice(&nonce);
    assert_eq!(exts[0].extn_value.as_bytes(), inner.as_slice());
}

#[test]
fn nonces_outside_rfc_8954_bounds_are_refused() {
    let (leaf, issuer) = (pki_cert!("pki/leaf-90d.pem"), pki_cert!("pki/int-good.pem"));
    for len in [0, 33] {
        let options = RequestOptions {
            nonce: Some(vec![1; len]),
            ..RequestOptions::default()
        };
        assert!(matches!(
            build_request_with(&leaf, &issuer, &options),
            Err(Error::OcspRequestOption(why)) if why.contains(&format!("{len} bytes"))
        ));
    }
    let options = RequestOptions {
        nonce: Some(vec![1; 32]),
        ..RequestOptions::default()
    };
    assert!(build_request_with(&leaf, &issuer, &options).is_ok());
}

/// The request read straight from the DER is the request built from the
/// full certificate facts, byte for byte, for every test certificate and
/// both CertID hashes; broken DER is an error, never a request.
#[test]
fn requests_from_der_match_requests_from_facts() {
    let issuer_der = chain(LEAF_90D)[1].clone();
    let issuer = revoscope::Cert::from_der(&issuer_der).unwrap();
    for name in [LEAF_90D, LEAF_10D, LEAF_6D, LEAF_MUST_STAPLE] {
        let leaf_der = chain(name)[0].clone();
        let leaf = revoscope::Cert::from_der(&leaf_der).unwrap();
        for cert_id_hash in [CertIdHash::Sha1, CertIdHash::Sha256] {
            let options = RequestOptions {
                cert_id_hash,
                nonce: None,
            };
            assert_eq!(
                build_request_from_der(&leaf_der, &issuer_der, &options).unwrap(),
                build_request_with(&leaf, &issuer, &options).unwrap()
            );
        }
        for len in 0..leaf_der.len() {
            assert!(build_request_from_der(
                &leaf_der[..len],
                &issuer_der,
                &RequestOptions::default()
            )
            .is_err());
        }
    }
}

/// The exchanges every host makes: GET first when the request fits, POST
/// again only after an HTTP error; a GET that cannot be made is an outcome.
#[test]
fn hosts_follow_one_plan() {
    use revoscope::ocsp::exchange::fetch_for;
    use revoscope::ocsp::{FetchMethod, FetchOutcome, MethodChoice};

    let short = fetch_for("http://127.0.0.1:8888/", vec![0x30; 40]);
    let plan = short.plan(MethodChoice::Auto).unwrap();
    assert_eq!(plan.first.method, FetchMethod::Get);
    assert_eq!(Some(plan.first.url), short.get_url.as_deref());
    let answered = |http_status| FetchOutcome::Response {
        http_status,
        body: vec![],
        elapsed_ms: 1,
    };
    let next = plan.fallback_after(&answered(405)).unwrap();
    assert_eq!(
        (next.method, next.url, next.body),
        (
            FetchMethod::Post,
            "http://127.0.0.1:8888/",
            Some(&short.request_der[..])
        )
    );
    assert_eq!(plan.fallback_after(&answered(200)), None);
    assert_eq!(
        plan.fallback_after(&FetchOutcome::Timeout { elapsed_ms: 9 }),
        None
    );

    let get_only = short.plan(MethodChoice::Get).unwrap();
    assert_eq!(get_only.fallback_after(&answered(405)), None);
    let post_only = short.plan(MethodChoice::Post).unwrap();
    assert_eq!(post_only.first.method, FetchMethod::Post);

    let long = fetch_for("http://127.0.0.1:8888/", vec![0x30; 400]);
    assert_eq!(long.get_url, None);
    let plan = long.plan(MethodChoice::Auto).unwrap();
    assert_eq!(
        (plan.first.method, plan.fallback_after(&answered(405))),
        (FetchMethod::Post, None)
    );
    assert!(matches!(
        long.plan(MethodChoice::Get),
        Err(FetchOutcome::Network { .. })
    ));
}
