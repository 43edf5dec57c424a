//! Signature checks: what is decided before any arithmetic (the same for
//! RustCrypto and WebCrypto), and the ledger protocol the browser build
//! uses to run the synchronous engine on asynchronous WebCrypto.

#[macro_use]
mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey;
use revoscope::ocsp::{self, OcspError};
use revoscope::verify::ledger::{settle_now, Ledger};
use revoscope::verify::{
    self, key_kind, prepare, Check, Hash, KeyKind, RustCrypto, SignatureAlgorithm, SignatureError,
    SignatureVerifier,
};
use support::der_build::{oid, seq, tlv};
use support::produced_at;

const ECDSA_P256: SignatureAlgorithm = SignatureAlgorithm::Ecdsa(Hash::Sha256);
const MESSAGE: &[u8] = b"tbsResponseData";

fn p256_spki() -> Vec<u8> {
    pki_cert!("pki/int-good.pem").spki.der().to_vec()
}

/// A DER ECDSA-Sig-Value over MESSAGE by int-good's key, and its `r || s`.
fn p256_signature() -> (Vec<u8>, Vec<u8>) {
    let pem = include_str!("../../../fixtures/pki/int-good.key.pem");
    let key = p256::ecdsa::SigningKey::from_pkcs8_pem(pem).unwrap();
    let sig: p256::ecdsa::Signature = key.sign(MESSAGE);
    (sig.to_der().as_bytes().to_vec(), sig.to_bytes().to_vec())
}

/// ECDSA-Sig-Value from the two INTEGER contents as given (not normalised).
fn ecdsa_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    seq(&[&tlv(0x02, r), &tlv(0x02, s)])
}

/// An EC SubjectPublicKeyInfo with the given curve and point bytes.
fn ec_spki(curve: &str, point: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend_from_slice(point);
    seq(&[
        &seq(&[&oid("1.2.840.10045.2.1"), &oid(curve)]),
        &tlv(0x03, &bits),
    ])
}

/// An RSA SubjectPublicKeyInfo with the given modulus and exponent contents.
fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    let key = seq(&[&tlv(0x02, modulus), &tlv(0x02, exponent)]);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&key);
    seq(&[
        &seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]),
        &tlv(0x03, &bits),
    ])
}

#[test]
fn ecdsa_signatures_reach_backends_as_fixed_r_and_s() {
    let (der_sig, fixed) = p256_signature();
    let spki = p256_spki();
    let check = prepare(ECDSA_P256, &spki, MESSAGE, &der_sig).unwrap();
    assert_eq!(check.key, KeyKind::P256);
    assert_eq!(&*check.signature, fixed.as_slice());
    assert_eq!(RustCrypto.check(&check), Ok(()));
    assert_eq!(
        verify::verify(&RustCrypto, ECDSA_P256, &spki, b"another message", &der_sig),
        Err(SignatureError::BadSignature)
    );
}

#[test]
fn malformed_ecdsa_signatures_are_refused_before_any_arithmetic() {
    let (_, fixed) = p256_signature();
    let (r, s) = fixed.split_at(32);
    let spki = p256_spki();
    // A positive INTEGER whose top bit is set needs a leading zero byte.
    let positive = |x: &[u8]| {
        let mut v = if x[0] & 0x80 != 0 { vec![0] } else { vec![] };
        v.extend_from_slice(x);
        v
    };
    let well_formed = ecdsa_der(&positive(r), &positive(s));
    assert!(prepare(ECDSA_P256, &spki, MESSAGE, &well_formed).is_ok());

    let mut padded = vec![0, 0];
    padded.extend_from_slice(r);
    let mut too_long = vec![0x01];
    too_long.extend_from_slice(&[0x55; 32]);
    let mut trailing = well_formed.clone();
    trailing.push(0);
    for (what, sig) in [
        ("non-minimal INTEGER", ecdsa_der(&padded, &positive(s))),
        ("r of 33 bytes", ecdsa_der(&too_long, &positive(s))),
        ("r = 0", ecdsa_der(&[0], &positive(s))),
        ("negative s", ecdsa_der(&positive(r), &[0xff, 0x01])),
        ("bytes after the SEQUENCE", trailing),
        ("raw r || s instead of DER", fixed.clone()),
        ("empty", vec![]),
    ] {
        assert_eq!(
            prepare(ECDSA_P256, &spki, MESSAGE, &sig).unwrap_err(),
            SignatureError::MalformedSignature,
            "{what}"
        );
    }
}

#[test]
fn keys_outside_what_mozpkix_accepts_are_refused() {
    let point = &pki_cert!("pki/int-good.pem").public_key;
    let mut compressed = vec![0x02 | (point[64] & 1)];
    compressed.extend_from_slice(&point[1..33]);
    assert!(matches!(
        key_kind(&ec_spki("1.2.840.10045.3.1.7", &compressed)),
        Err(SignatureError::UnsupportedKey(why)) if why.contains("compressed")
    ));
    assert!(matches!(
        key_kind(&ec_spki("1.2.840.10045.3.1.7", &point[..64])),
        Err(SignatureError::MalformedKey(_))
    ));
    assert!(matches!(
        key_kind(&ec_spki("1.3.132.0.35", point)),
        Err(SignatureError::UnsupportedKey(why)) if why.contains("1.3.132.0.35")
    ));

    let mut modulus = vec![0x00, 0xc1];
    modulus.extend_from_slice(&[0x17; 127]);
    assert_eq!(
        key_kind(&rsa_spki(&modulus, &[0x01, 0x00, 0x01])),
        Ok(KeyKind::Rsa { modulus_bits: 1024 })
    );
    assert_eq!(
        key_kind(&rsa_spki(&modulus[..65], &[0x01, 0x00, 0x01])),
        Err(SignatureError::RsaKeySize { bits: 512 })
    );
    for exponent in [&[0x01][..], &[0x01, 0x00, 0x00]] {
        assert!(matches!(
            key_kind(&rsa_spki(&modulus, exponent)),
            Err(SignatureError::MalformedKey(_))
        ));
    }
    // RSA signatures are exactly as long as the modulus.
    let spki = rsa_spki(&modulus, &[0x01, 0x00, 0x01]);
    let alg = SignatureAlgorithm::RsaPkcs1(Hash::Sha256);
    assert_eq!(
        prepare(alg, &spki, MESSAGE, &[0x42; 127]).unwrap_err(),
        SignatureError::MalformedSignature
    );
    assert!(prepare(alg, &spki, MESSAGE, &[0x42; 128]).is_ok());
    // And the algorithm must fit the key.
    assert_eq!(
        prepare(ECDSA_P256, &spki, MESSAGE, &[0x42; 128]).unwrap_err(),
        SignatureError::KeyAlgorithmMismatch
    );
}

/// The ledger notes what it was asked and answers it only once it is made;
/// sealed, it never lets an unmade check pass.
#[test]
fn the_ledger_answers_only_checks_that_were_made() {
    let (der_sig, _) = p256_signature();
    let spki = p256_spki();
    let check = prepare(ECDSA_P256, &spki, MESSAGE, &der_sig).unwrap();

    let mut ledger = Ledger::new();
    assert_eq!(
        ledger.check(&check),
        Ok(()),
        "an unmade check is assumed for one run"
    );
    assert_eq!(ledger.check(&check), Ok(()));
    let wanted = ledger.take_wanted();
    assert_eq!(wanted.len(), 1, "asked twice, wanted once");
    assert_eq!(wanted[0].as_check(), check);
    assert!(ledger.take_wanted().is_empty());

    ledger.record(wanted[0].clone(), Err(SignatureError::BadSignature));
    assert_eq!(ledger.check(&check), Err(SignatureError::BadSignature));
    assert!(
        ledger.take_wanted().is_empty(),
        "a made check is not wanted again"
    );

    let other = Check {
        message: b"other",
        ..check.clone()
    };
    ledger.seal();
    assert_eq!(ledger.check(&other), Err(SignatureError::NotChecked));
    assert!(ledger.take_wanted().is_empty());
}

/// A backend that finds every signature bad.
#[derive(Debug)]
struct Refuses;

impl SignatureVerifier for Refuses {
    fn check(&self, _: &Check<'_>) -> Result<(), SignatureError> {
        Err(SignatureError::BadSignature)
    }
}

/// A backend that answers nothing (as if WebCrypto never replied), and a
/// ledger that is therefore sealed with nothing made.
#[derive(Debug)]
struct Silent;

impl SignatureVerifier for Silent {
    fn check(&self, _: &Check<'_>) -> Result<(), SignatureError> {
        Err(SignatureError::NotChecked)
    }
}

#[test]
fn ledger_results_decide_validation_never_the_assumption() {
    let good = ocsp_fixture!("good.der");
    let delegated = ocsp_fixture!("delegated-p384.der");
    let (leaf, issuer) = (pki_cert!("pki/leaf-90d.pem"), pki_cert!("pki/int-good.pem"));
    for response in [good, delegated] {
        let time = revoscope::UnixTime(produced_at(response).0 + 60);
        let run = |ledger: &Ledger| ocsp::validate(response, &leaf, &issuer, time, 10, ledger);
        assert!(settle_now(run, &RustCrypto).is_ok());
        let refused = settle_now(run, &Refuses).unwrap_err();
        assert!(
            matches!(
                refused,
                OcspError::Signature(SignatureError::BadSignature) | OcspError::InvalidSigner(_)
            ),
            "{refused}"
        );
        assert!(settle_now(run, &Silent).is_err());
    }
}
