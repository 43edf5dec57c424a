//! OCSP response validation against responses a real `openssl ocsp` signed
//! (fixtures/ocsp, made by scripts/make-ocsp-fixtures.sh). Expectations
//! follow mozpkix's pkixocsp.cpp; each test names the rule it pins. The
//! parse-only reading (`ocsp::read`) is tested on the same files, field by
//! field, at the end.

#[macro_use]
mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::ocsp::response::{ErrorStatus, DEFAULT_MAX_LIFETIME_DAYS};
use revoscope::ocsp::{
    self, Answer, CertIdAlgorithm, OcspError, ResponderId, ResponseSummary, Signer, ValidResponse,
};
use revoscope::verify::ledger::settle_now;
use revoscope::verify::{Hash, RustCrypto, SignatureAlgorithm, SignatureError};
use revoscope::{Cert, UnixTime};
use support::produced_at;

const DAY: u64 = 86_400;

/// Validation with RustCrypto, and the same through the ledger protocol the
/// browser build uses with WebCrypto: both must agree on every input.
fn validate(
    response: &[u8],
    cert: &Cert,
    issuer: &Cert,
    time: UnixTime,
    max_lifetime_days: u32,
) -> Result<ValidResponse, OcspError> {
    let direct = ocsp::validate(response, cert, issuer, time, max_lifetime_days, &RustCrypto);
    let ledgered = settle_now(
        |ledger| ocsp::validate(response, cert, issuer, time, max_lifetime_days, ledger),
        &RustCrypto,
    );
    assert_eq!(direct, ledgered, "the ledger protocol changed the result");
    direct
}

fn leaf() -> Cert {
    pki_cert!("pki/leaf-90d.pem")
}

fn issuer() -> Cert {
    pki_cert!("pki/int-good.pem")
}

/// Validates a response about leaf-90d at `offset` seconds after it was made.
fn check_at(response: &[u8], cert: &Cert, offset: i64) -> Result<ValidResponse, OcspError> {
    let time = UnixTime(produced_at(response).0.checked_add_signed(offset).unwrap());
    validate(response, cert, &issuer(), time, DEFAULT_MAX_LIFETIME_DAYS)
}

fn check(response: &[u8]) -> Result<ValidResponse, OcspError> {
    check_at(response, &leaf(), 60)
}

#[test]
fn good_signed_by_the_issuer() {
    let v = check(ocsp_fixture!("good.der")).unwrap();
    assert_eq!(v.answer, Answer::Good);
    assert_eq!(v.signer, Signer::Issuer);
    assert_eq!(
        v.signature_algorithm,
        SignatureAlgorithm::Ecdsa(Hash::Sha256)
    );
    assert_eq!(v.cert_id_hash, Hash::Sha1);
    assert_eq!(v.next_update, Some(v.this_update + 7 * DAY));
    assert_eq!(
        v.valid_until,
        v.this_update + 7 * DAY,
        "nextUpdate under the 10-day cap"
    );
    assert!(!v.expired);
}

#[test]
fn responder_id_by_key_hash() {
    let v = check(ocsp_fixture!("good-by-key.der")).unwrap();
    assert_eq!((v.answer, v.signer), (Answer::Good, Signer::Issuer));
}

#[test]
fn cert_id_hashed_with_sha256_matches() {
    let v = check(ocsp_fixture!("good-sha256-certid.der")).unwrap();
    assert_eq!(v.cert_id_hash, Hash::Sha256);
}

#[test]
fn revoked_with_time_and_reason_and_never_void_for_age() {
    let v = check(ocsp_fixture!("revoked.der")).unwrap();
    // index: 261115120000Z,keyCompromise
    assert_eq!(
        v.answer,
        Answer::Revoked {
            revocation_time: 1_795_262_400 - 6 * DAY,
            reason: Some("keyCompromise")
        }
    );
    assert!(!v.expired);
    // A year later the answer still stands, marked expired (mozpkix
    // reports ERROR_REVOKED_CERTIFICATE, not ERROR_OCSP_OLD_RESPONSE).
    let old = check_at(ocsp_fixture!("revoked.der"), &leaf(), 365 * DAY as i64).unwrap();
    assert!(matches!(old.answer, Answer::Revoked { .. }));
    assert!(old.expired);
}

#[test]
fn unknown_is_an_answer_and_a_response_for_another_cert_is_missing() {
    let v = check_at(
        ocsp_fixture!("unknown.der"),
        &pki_cert!("pki/leaf-6d.pem"),
        60,
    )
    .unwrap();
    assert_eq!(v.answer, Answer::Unknown);
    assert_eq!(
        check(ocsp_fixture!("unknown.der")),
        Err(OcspError::ResponseForCertMissing)
    );
    assert_eq!(
        check_at(
            ocsp_fixture!("good.der"),
            &pki_cert!("pki/leaf-must-staple.pem"),
            60
        ),
        Err(OcspError::ResponseForCertMissing)
    );
}

#[test]
fn expiry_is_next_update_plus_one_day_of_slop() {
    let r = ocsp_fixture!("good.der");
    let this_update = check(r).unwrap().this_update;
    let made = produced_at(r).0;
    let until_slop = (this_update + 8 * DAY - made) as i64;
    assert!(
        check_at(r, &leaf(), until_slop).is_ok(),
        "at nextUpdate + slop"
    );
    assert_eq!(
        check_at(r, &leaf(), until_slop + 1),
        Err(OcspError::Expired {
            valid_until: this_update + 7 * DAY
        })
    );
}

#[test]
fn next_update_is_capped_at_ten_days() {
    let v = check(ocsp_fixture!("good-long-next-update.der")).unwrap();
    assert_eq!(v.next_update, Some(v.this_update + 30 * DAY));
    assert_eq!(v.valid_until, v.this_update + 10 * DAY);
    let late = check_at(
        ocsp_fixture!("good-long-next-update.der"),
        &leaf(),
        12 * DAY as i64,
    );
    assert!(matches!(late, Err(OcspError::Expired { .. })), "{late:?}");
}

#[test]
fn without_next_update_an_answer_lasts_one_day() {
    let r = ocsp_fixture!("good-no-next-update.der");
    let v = check(r).unwrap();
    assert_eq!(v.next_update, None);
    assert_eq!(v.valid_until, v.this_update + DAY);
    assert!(matches!(
        check_at(r, &leaf(), 2 * DAY as i64 + 1),
        Err(OcspError::Expired { .. })
    ));
}

#[test]
fn this_update_in_the_future_beyond_the_slop() {
    let r = ocsp_fixture!("good.der");
    assert!(
        check_at(r, &leaf(), -(DAY as i64)).is_ok(),
        "one day early is within the slop"
    );
    assert!(matches!(
        check_at(r, &leaf(), -(DAY as i64) - 1),
        Err(OcspError::NotYetValid { .. })
    ));
}

#[test]
fn delegated_responders_with_p384_rsa_and_rsa_pss() {
    for (file, algorithm) in [
        (
            ocsp_fixture!("delegated-p384.der"),
            SignatureAlgorithm::Ecdsa(Hash::Sha384),
        ),
        (
            ocsp_fixture!("delegated-rsa.der"),
            SignatureAlgorithm::RsaPkcs1(Hash::Sha256),
        ),
        (
            ocsp_fixture!("delegated-rsa-pss.der"),
            SignatureAlgorithm::RsaPss(Hash::Sha256),
        ),
    ] {
        let v = check(file).unwrap();
        assert_eq!(v.answer, Answer::Good);
        assert_eq!(v.signature_algorithm, algorithm);
        assert!(
            matches!(&v.signer, Signer::Delegated { subject, .. } if subject.contains("OCSP responder")),
            "{:?}",
            v.signer
        );
    }
}

#[test]
fn a_delegated_responder_without_the_ocsp_signing_eku_is_refused() {
    match check(ocsp_fixture!("delegated-no-eku.der")) {
        Err(OcspError::InvalidSigner(why)) => assert!(why.contains("id-kp-OCSPSigning"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_delegated_responder_outside_its_validity_is_refused() {
    let late = check_at(
        ocsp_fixture!("delegated-p384.der"),
        &leaf(),
        3700 * DAY as i64,
    );
    assert!(
        matches!(late, Err(OcspError::InvalidSigner(ref why)) if why.contains("not valid")),
        "{late:?}"
    );
}

#[test]
fn another_ca_cannot_answer_for_our_issuer() {
    match check(ocsp_fixture!("other-ca.der")) {
        Err(OcspError::InvalidSigner(why)) => assert!(why.contains("issued by"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_flipped_signature_bit_is_a_bad_signature() {
    assert_eq!(
        check(ocsp_fixture!("bad-signature.der")),
        Err(OcspError::Signature(SignatureError::BadSignature))
    );
}

/// good.der with its ResponseData rewritten by `edit` and signed again with
/// the issuer's key: a response whose only oddity is the edit.
fn resigned_good(edit: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    use der::{Decode, Encode};
    use p256::ecdsa::signature::Signer as _;
    use p256::ecdsa::DerSignature;
    use support::der_build::{oid, seq, tlv};

    let outer = x509_ocsp::OcspResponse::from_der(ocsp_fixture!("good.der")).unwrap();
    let basic =
        x509_ocsp::BasicOcspResponse::from_der(outer.response_bytes.unwrap().response.as_bytes())
            .unwrap();
    let tbs = edit(&basic.tbs_response_data.to_der().unwrap());
    let signature: DerSignature = support::pki::key("int-good").sign(&tbs);
    let sig_bits = [&[0u8][..], signature.as_bytes()].concat();
    let basic = seq(&[
        &tbs,
        &basic.signature_algorithm.to_der().unwrap(),
        &tlv(0x03, &sig_bits),
    ]);
    let response_bytes = seq(&[&oid("1.3.6.1.5.5.7.48.1.1"), &tlv(0x04, &basic)]);
    seq(&[&[0x0a, 0x01, 0x00], &tlv(0xa0, &response_bytes)])
}

/// good.der with a ResponseData version [0] EXPLICIT INTEGER 1 (v2) before
/// its responderID; the INTEGER is well formed, only its value is unknown.
fn good_as_v2() -> Vec<u8> {
    resigned_good(|tbs| {
        let body = match tbs[1] {
            n if n < 0x80 => &tbs[2..],
            n => &tbs[2 + usize::from(n & 0x7f)..],
        };
        support::der_build::tlv(0x30, &[&[0xa0, 0x03, 0x02, 0x01, 0x01][..], body].concat())
    })
}

#[test]
fn a_version_2_response_is_unsupported_not_malformed() {
    // The rebuild itself changes nothing: the same response, still good.
    assert_eq!(
        check(&resigned_good(<[u8]>::to_vec)).unwrap().answer,
        Answer::Good
    );
    let v2 = good_as_v2();
    // x509-ocsp cannot read this producedAt: the time is good.der's.
    let time = UnixTime(produced_at(ocsp_fixture!("good.der")).0 + 60);
    let err = validate(&v2, &leaf(), &issuer(), time, DEFAULT_MAX_LIFETIME_DAYS).unwrap_err();
    assert_eq!(err, OcspError::UnsupportedVersion { version: 1 });
    assert_eq!(err.to_string(), "unsupported OCSP response version 2");
    assert_eq!(err.code(), "unsupported-version");
    assert!(!err.stapled_failure_is_deferred());
}

#[test]
fn error_statuses_each_have_their_own_error_and_only_try_later_is_deferred() {
    for (file, status, deferred) in [
        (
            ocsp_fixture!("malformed-request.der"),
            ErrorStatus::MalformedRequest,
            false,
        ),
        (
            ocsp_fixture!("internal-error.der"),
            ErrorStatus::InternalError,
            false,
        ),
        (ocsp_fixture!("try-later.der"), ErrorStatus::TryLater, true),
        (
            ocsp_fixture!("sig-required.der"),
            ErrorStatus::SigRequired,
            false,
        ),
        (
            ocsp_fixture!("unauthorized.der"),
            ErrorStatus::Unauthorized,
            false,
        ),
    ] {
        let err = validate(file, &leaf(), &issuer(), UnixTime(1_795_262_400), 10).unwrap_err();
        assert_eq!(err, OcspError::ResponderStatus(status));
        assert_eq!(err.stapled_failure_is_deferred(), deferred, "{err}");
    }
    let undefined = validate(
        &[0x30, 0x03, 0x0a, 0x01, 0x04],
        &leaf(),
        &issuer(),
        UnixTime(0),
        10,
    );
    assert_eq!(
        undefined,
        Err(OcspError::ResponderStatus(ErrorStatus::Other(4)))
    );
}

#[test]
fn empty_truncated_and_oversized_bodies() {
    let (leaf, issuer, now) = (leaf(), issuer(), UnixTime(1_795_262_400));
    assert_eq!(
        validate(&[], &leaf, &issuer, now, 10),
        Err(OcspError::Empty)
    );
    assert!(matches!(
        validate(ocsp_fixture!("truncated.der"), &leaf, &issuer, now, 10),
        Err(OcspError::Malformed { .. })
    ));
    assert!(matches!(
        validate(&vec![0x30; 70_000], &leaf, &issuer, now, 10),
        Err(OcspError::TooLarge { .. })
    ));
    assert_eq!(
        validate(&[0x30, 0x03, 0x0a, 0x01, 0x00], &leaf, &issuer, now, 10),
        Err(OcspError::NoResponseBytes)
    );
}

/// Untrusted input: no truncation and no single-bit flip of a good response
/// is accepted, and none panics.
#[test]
fn no_truncation_or_bit_flip_of_a_good_response_is_accepted() {
    let good = ocsp_fixture!("good.der");
    let (leaf, issuer) = (leaf(), issuer());
    let time = UnixTime(produced_at(good).0 + 60);
    for len in 0..good.len() {
        assert!(
            validate(&good[..len], &leaf, &issuer, time, 10).is_err(),
            "prefix of {len} bytes"
        );
    }
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut bytes = good.to_vec();
            bytes[i] ^= 1 << bit;
            let result = validate(&bytes, &leaf, &issuer, time, 10);
            assert!(result.is_err(), "byte {i} bit {bit} accepted: {result:?}");
        }
    }
}

// The parse-only reading (`ocsp::read`): what a response says, exactly,
// whoever signed it.

/// The SingleResponse every leaf-90d fixture carries, hashed with SHA-1,
/// saying `status` at `this_update` until `next_update`.
fn leaf_90d_answer(
    cert_status: Answer,
    this_update: u64,
    next_update: Option<u64>,
) -> ocsp::SingleResponse {
    let (leaf, issuer) = (leaf(), issuer());
    ocsp::SingleResponse {
        cert_id: ocsp::CertId {
            hash_algorithm: CertIdAlgorithm::Hash(Hash::Sha1),
            issuer_name_hash: Hash::Sha1.digest(&leaf.issuer_der),
            issuer_key_hash: issuer.public_key_sha1().to_vec(),
            serial_number: vec![0x20, 0x01],
        },
        cert_status,
        this_update,
        next_update,
        unknown_critical_extension: None,
    }
}

/// `response` read: it must be a successful one.
fn read(response: &[u8]) -> ocsp::ResponseData {
    match ocsp::read(response) {
        Ok(ResponseSummary::Successful(data)) => data,
        other => panic!("{other:?}"),
    }
}

fn by_issuer_name() -> ResponderId {
    ResponderId::ByName {
        name: "CN=revoscope Test Intermediate,O=revoscope test PKI".into(),
        der: issuer().subject_der,
    }
}

#[test]
fn read_good_exactly() {
    let response = ocsp_fixture!("good.der");
    let made = produced_at(response).0;
    // `openssl ocsp -ndays 7`: thisUpdate is when it answered, nextUpdate 7 days on.
    assert_eq!(
        read(response),
        ocsp::ResponseData {
            responder_id: by_issuer_name(),
            produced_at: made,
            responses: vec![leaf_90d_answer(Answer::Good, made, Some(made + 7 * DAY))],
            nonce: None,
        }
    );
    assert_eq!(read(response).responses[0].cert_id.serial_hex(), "2001");
}

#[test]
fn read_responder_id_by_key_hash() {
    let data = read(ocsp_fixture!("good-by-key.der"));
    assert_eq!(
        data.responder_id,
        ResponderId::ByKey {
            key_hash: issuer().public_key_sha1().to_vec()
        }
    );
    assert_eq!(
        data.responder_id.to_string(),
        format!(
            "by key hash: {}",
            revoscope::hex::encode(issuer().public_key_sha1())
        )
    );
}

#[test]
fn read_a_sha256_cert_id() {
    let (leaf, issuer) = (leaf(), issuer());
    let id = &read(ocsp_fixture!("good-sha256-certid.der")).responses[0].cert_id;
    assert_eq!(
        *id,
        ocsp::CertId {
            hash_algorithm: CertIdAlgorithm::Hash(Hash::Sha256),
            issuer_name_hash: Hash::Sha256.digest(&leaf.issuer_der),
            issuer_key_hash: Hash::Sha256.digest(&issuer.public_key),
            serial_number: leaf.serial.clone(),
        }
    );
}

#[test]
fn read_revoked_with_time_and_reason() {
    let response = ocsp_fixture!("revoked.der");
    let made = produced_at(response).0;
    // revoked.idx: 261115120000Z,keyCompromise
    let revoked = Answer::Revoked {
        revocation_time: 1_794_744_000,
        reason: Some("keyCompromise"),
    };
    assert_eq!(
        read(response).responses,
        vec![leaf_90d_answer(revoked, made, Some(made + 7 * DAY))]
    );
}

#[test]
fn read_unknown_and_without_next_update() {
    let unknown = ocsp_fixture!("unknown.der");
    let single = &read(unknown).responses[0];
    assert_eq!(single.cert_status, Answer::Unknown);
    assert_eq!(
        single.cert_id.serial_number,
        pki_cert!("pki/leaf-6d.pem").serial
    );

    let no_next = ocsp_fixture!("good-no-next-update.der");
    let made = produced_at(no_next).0;
    assert_eq!(
        read(no_next).responses,
        vec![leaf_90d_answer(Answer::Good, made, None)]
    );
}

/// The reading believes nothing: a delegated responder without the EKU,
/// another CA, a broken signature all read as what they say.
#[test]
fn read_says_what_responses_validate_refuses() {
    let delegated = read(ocsp_fixture!("delegated-rsa.der"));
    let responder = pki_cert!("ocsp/responder-rsa.pem");
    assert_eq!(
        delegated.responder_id,
        ResponderId::ByName {
            name: "CN=revoscope Test OCSP responder-rsa,O=revoscope test PKI".into(),
            der: responder.subject_der,
        }
    );
    for refused in [
        ocsp_fixture!("delegated-no-eku.der"),
        ocsp_fixture!("other-ca.der"),
    ] {
        assert!(check(refused).is_err());
        assert_eq!(read(refused).responses[0].cert_status, Answer::Good);
    }
    // The same ResponseData as good.der, one bit of its signature flipped.
    assert!(check(ocsp_fixture!("bad-signature.der")).is_err());
    assert_eq!(
        read(ocsp_fixture!("bad-signature.der")),
        read(ocsp_fixture!("good.der"))
    );
}

#[test]
fn read_error_statuses_as_answers() {
    for (file, status) in [
        (
            ocsp_fixture!("malformed-request.der"),
            ErrorStatus::MalformedRequest,
        ),
        (
            ocsp_fixture!("internal-error.der"),
            ErrorStatus::InternalError,
        ),
        (ocsp_fixture!("try-later.der"), ErrorStatus::TryLater),
        (ocsp_fixture!("sig-required.der"), ErrorStatus::SigRequired),
        (ocsp_fixture!("unauthorized.der"), ErrorStatus::Unauthorized),
        (&[0x30, 0x03, 0x0a, 0x01, 0x04], ErrorStatus::Other(4)),
    ] {
        assert_eq!(
            ocsp::read(file),
            Ok(ResponseSummary::Unsuccessful { status })
        );
    }
}

/// What the reading refuses, validation refuses with the same error.
#[test]
fn read_refuses_as_validate_does() {
    let v2 = good_as_v2();
    let too_large = vec![0x30; 70_000];
    for (bytes, expected) in [
        (&[][..], Some(OcspError::Empty)),
        (&too_large[..], None),
        (ocsp_fixture!("truncated.der"), None),
        (
            &[0x30, 0x03, 0x0a, 0x01, 0x00],
            Some(OcspError::NoResponseBytes),
        ),
        (&v2[..], Some(OcspError::UnsupportedVersion { version: 1 })),
    ] {
        let err = ocsp::read(bytes).unwrap_err();
        if let Some(expected) = expected {
            assert_eq!(err, expected);
        }
        let time = UnixTime(produced_at(ocsp_fixture!("good.der")).0 + 60);
        let validated = validate(bytes, &leaf(), &issuer(), time, DEFAULT_MAX_LIFETIME_DAYS);
        assert_eq!(Err(err), validated.map(|v| v.answer));
    }
}

/// The JSON a host shows: hex for the hashes and the serial, names as
/// RFC 4514 text, the status as validation's answer has it.
#[test]
fn read_serialises_for_hosts() {
    let response = ocsp_fixture!("revoked.der");
    let made = produced_at(response).0;
    let issuer = issuer();
    let json = serde_json::to_value(ocsp::read(response).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "response_status": "successful",
            "responder_id": {
                "by": "name",
                "name": "CN=revoscope Test Intermediate,O=revoscope test PKI",
            },
            "produced_at": made,
            "responses": [{
                "cert_id": {
                    "hash_algorithm": "SHA-1",
                    "issuer_name_hash": revoscope::hex::encode(&Hash::Sha1.digest(&leaf().issuer_der)),
                    "issuer_key_hash": revoscope::hex::encode(issuer.public_key_sha1()),
                    "serial": "2001",
                },
                "status": "revoked",
                "revocation_time": 1_794_744_000,
                "reason": "keyCompromise",
                "this_update": made,
                "next_update": made + 7 * DAY,
            }],
        })
    );
    assert_eq!(
        serde_json::to_value(ocsp::read(ocsp_fixture!("try-later.der")).unwrap()).unwrap(),
        serde_json::json!({"response_status": "unsuccessful", "status": "try-later"})
    );
}

/// good.der's ResponseData with a second answer, for leaf-6d, carrying a
/// critical extension nobody knows; and `response_extensions` added.
fn good_with_extensions(response_extensions: Vec<x509_cert::ext::Extension>) -> Vec<u8> {
    use der::{Decode, Encode};
    resigned_good(|tbs| {
        let mut data = x509_ocsp::ResponseData::from_der(tbs).unwrap();
        let mut other = data.responses[0].clone();
        other.cert_id.serial_number =
            x509_cert::serial_number::SerialNumber::new(&pki_cert!("pki/leaf-6d.pem").serial)
                .unwrap();
        other.single_extensions = Some(vec![x509_cert::ext::Extension {
            extn_id: "1.2.3.4".parse().unwrap(),
            critical: true,
            extn_value: der::asn1::OctetString::new(vec![0x05, 0x00]).unwrap(),
        }]);
        data.responses.push(other);
        if !response_extensions.is_empty() {
            data.response_extensions = Some(response_extensions.clone());
        }
        data.to_der().unwrap()
    })
}

/// An unknown critical extension in a SingleResponse voids that answer
/// only (mozpkix looks at no other); in the ResponseData, the response.
#[test]
fn read_and_validate_unknown_critical_extensions_and_the_nonce() {
    let nonce = x509_cert::ext::Extension {
        extn_id: ocsp::request::ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: der::asn1::OctetString::new(vec![0x04, 0x02, 0xab, 0xcd]).unwrap(),
    };
    let response = good_with_extensions(vec![nonce.clone()]);
    let data = read(&response);
    assert_eq!(data.nonce, Some(vec![0xab, 0xcd]));
    assert_eq!(
        data.responses
            .iter()
            .map(|s| s.unknown_critical_extension.as_deref())
            .collect::<Vec<_>>(),
        [None, Some("1.2.3.4")]
    );
    // The answer about leaf-90d stands; the one about leaf-6d does not.
    let time = UnixTime(produced_at(ocsp_fixture!("good.der")).0 + 60);
    let v = validate(&response, &leaf(), &issuer(), time, 10).unwrap();
    assert_eq!((v.answer, v.nonce), (Answer::Good, Some(vec![0xab, 0xcd])));
    let leaf_6d = pki_cert!("pki/leaf-6d.pem");
    assert_eq!(
        validate(&response, &leaf_6d, &issuer(), time, 10),
        Err(OcspError::UnknownCriticalExtension {
            oid: "1.2.3.4".into()
        })
    );

    let critical = x509_cert::ext::Extension {
        extn_id: "1.2.3.5".parse().unwrap(),
        critical: true,
        ..nonce
    };
    let response = good_with_extensions(vec![critical]);
    let refused = OcspError::UnknownCriticalExtension {
        oid: "1.2.3.5".into(),
    };
    assert_eq!(ocsp::read(&response), Err(refused.clone()));
    assert_eq!(
        validate(&response, &leaf(), &issuer(), time, 10),
        Err(refused)
    );
}
