//! CRX3 packages made by a second implementation (the npm `crx3` writer)
//! and tampered with by scripts/make-crx3-fixtures.mjs (fixtures/crx3/):
//! the good ones yield the `crl-set` that `CrlSet::from_bytes` reads, and
//! every other is refused with its own error.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::crlset::CrlSet;
use revoscope::crx3::{
    self, crlset_bytes, Crx3Error, Crx3Expectation, ProofKind, CRLSET_COMPONENT_ID,
};
use revoscope::limits::{MAX_CRLSET_LEN, MAX_CRX_HEADER_LEN, MAX_CRX_LEN, MAX_CRX_PROOFS};
use revoscope::verify::{RustCrypto, SignatureError};
use sha2::{Digest, Sha256};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../fixtures/crx3/", $name)).as_slice()
    };
}

const TEST_SPKI: &[u8] = fixture!("keys/test-rsa.spki.der");
const OTHER_SPKI: &[u8] = fixture!("keys/other-rsa.spki.der");
const SEQ1: &[u8] = fixture!("crlset-seq1.crx3");

fn pin(spki: &[u8]) -> [u8; 32] {
    Sha256::digest(spki).into()
}

/// The package signed with the test key, as Chrome's is with its own.
fn test_key() -> Crx3Expectation {
    Crx3Expectation::for_key(pin(TEST_SPKI))
}

fn check(crx: &[u8], expect: &Crx3Expectation) -> Result<Vec<u8>, Crx3Error> {
    crlset_bytes(crx, expect, &RustCrypto)
}

#[test]
fn the_ids_are_those_the_writer_reported() {
    assert_eq!(crx3::crx_id(TEST_SPKI), "capbhecamegelefcdmdhnaaenfemjemm");
    assert_eq!(crx3::crx_id(OTHER_SPKI), "gkncbbkgnclggopenheealphnibmgbfb");
    assert_eq!(test_key().component_id, "capbhecamegelefcdmdhnaaenfemjemm");
}

#[test]
fn good_packages_yield_the_crl_set_they_carry() {
    for (crx, payload, sequence) in [
        (SEQ1, fixture!("../crlset/crlset_by_root_serial.raw"), 1),
        (
            fixture!("crlset-seq2.crx3"),
            fixture!("../crlset/crlset_by_root_subject_no_spki.raw"),
            2,
        ),
        (
            fixture!("rsa-and-ecdsa.crx3"),
            fixture!("../crlset/crlset_by_root_serial.raw"),
            1,
        ),
    ] {
        let bytes = check(crx, &test_key()).unwrap();
        assert_eq!(bytes, payload);
        assert_eq!(CrlSet::from_bytes(&bytes).unwrap().sequence(), sequence);
    }
    let both = crx3::verify(fixture!("rsa-and-ecdsa.crx3"), &test_key(), &RustCrypto).unwrap();
    assert_eq!((both.rsa_proofs, both.ecdsa_proofs), (1, 1));
    // The ECDSA key may be the pinned one too.
    let ec_pin = Crx3Expectation {
        key_sha256: pin(fixture!("keys/test-p256.spki.der")),
        ..test_key()
    };
    assert!(check(fixture!("rsa-and-ecdsa.crx3"), &ec_pin).is_ok());
}

#[test]
fn each_tampered_package_is_refused_with_its_error() {
    let test_id = test_key().component_id;
    let other_id = crx3::crx_id(OTHER_SPKI);
    let cases: Vec<(&str, &[u8], Crx3Expectation, Crx3Error)> = vec![
        (
            "archive byte flipped",
            fixture!("archive-flipped.crx3"),
            test_key(),
            Crx3Error::BadSignature {
                kind: ProofKind::Sha256WithRsa,
                index: 0,
                error: SignatureError::BadSignature,
            },
        ),
        (
            "proof removed",
            fixture!("no-proof.crx3"),
            test_key(),
            Crx3Error::NoProofs,
        ),
        (
            "signed by another key",
            fixture!("other-key.crx3"),
            test_key(),
            Crx3Error::WrongId {
                found: other_id.clone(),
                expected: test_id.clone(),
            },
        ),
        (
            "claims another key's id",
            fixture!("forged-id.crx3"),
            Crx3Expectation {
                component_id: other_id.clone(),
                key_sha256: pin(TEST_SPKI),
            },
            Crx3Error::NoProofForId {
                id: other_id.clone(),
            },
        ),
        (
            "claims another key's id, expected as the test key's",
            fixture!("forged-id.crx3"),
            test_key(),
            Crx3Error::WrongId {
                found: other_id.clone(),
                expected: test_id.clone(),
            },
        ),
        (
            "another key pinned",
            SEQ1,
            Crx3Expectation {
                component_id: test_id.clone(),
                key_sha256: pin(OTHER_SPKI),
            },
            Crx3Error::PinnedKeyMissing {
                pin: revoscope::hex::encode(&pin(OTHER_SPKI)),
            },
        ),
        (
            "Chrome's own expectation",
            SEQ1,
            Crx3Expectation::crlset(),
            Crx3Error::WrongId {
                found: test_id.clone(),
                expected: CRLSET_COMPONENT_ID.into(),
            },
        ),
        (
            "truncated in the header",
            fixture!("truncated.crx3"),
            test_key(),
            Crx3Error::TruncatedHeader {
                declared: 581,
                available: 290,
            },
        ),
        (
            "a zip, not a CRX",
            fixture!("not-a-crx.crx3"),
            test_key(),
            Crx3Error::NotCrx {
                found: b"PK\x03\x04".to_vec(),
            },
        ),
        (
            "no crl-set inside",
            fixture!("no-crl-set.crx3"),
            test_key(),
            Crx3Error::FileMissing {
                name: "crl-set".into(),
            },
        ),
    ];
    for (what, crx, expect, error) in cases {
        assert_eq!(check(crx, &expect), Err(error), "{what}");
    }
}

/// The preamble and header, edited byte by byte from the good package.
#[test]
fn malformed_preambles_and_headers_are_refused_precisely() {
    let with = |at: usize, bytes: &[u8]| {
        let mut crx = SEQ1.to_vec();
        crx[at..at + bytes.len()].copy_from_slice(bytes);
        crx
    };
    let cases: Vec<(Vec<u8>, Crx3Error)> = vec![
        (vec![], Crx3Error::NotCrx { found: vec![] }),
        (b"Cr".to_vec(), Crx3Error::TruncatedPreamble { len: 2 }),
        (SEQ1[..11].to_vec(), Crx3Error::TruncatedPreamble { len: 11 }),
        (with(4, &2u32.to_le_bytes()), Crx3Error::UnsupportedVersion { version: 2 }),
        (
            with(8, &(MAX_CRX_HEADER_LEN as u32 + 1).to_le_bytes()),
            Crx3Error::HeaderTooLarge {
                len: MAX_CRX_HEADER_LEN + 1,
                max: MAX_CRX_HEADER_LEN,
            },
        ),
        // A header that ends inside a field.
        (
            [&SEQ1[..8], &3u32.to_le_bytes(), &SEQ1[12..15]].concat(),
            Crx3Error::MalformedHeader {
                cause: "failed to decode Protobuf message: CrxFileHeader.sha256_with_rsa: buffer underflow"
                    .into(),
            },
        ),
        // An empty header: no signed data.
        (
            [&SEQ1[..8], &0u32.to_le_bytes()].concat(),
            Crx3Error::MissingSignedData,
        ),
    ];
    for (crx, error) in cases {
        assert_eq!(check(&crx, &test_key()), Err(error));
    }
}

#[test]
fn crx_size_at_and_over_max_crx_len() {
    // The good package with zeros after its archive up to the limit: the
    // size is accepted and the signature (over the archive) fails.
    let mut crx = SEQ1.to_vec();
    crx.resize(MAX_CRX_LEN, 0);
    assert!(matches!(
        check(&crx, &test_key()),
        Err(Crx3Error::BadSignature { .. })
    ));
    crx.push(0);
    assert_eq!(
        check(&crx, &test_key()),
        Err(Crx3Error::TooLarge {
            len: MAX_CRX_LEN + 1,
            max: MAX_CRX_LEN
        })
    );
}

#[test]
fn proofs_at_and_over_max_crx_proofs() {
    // Proofs repeated in a header rebuilt from the good one: field 2
    // repeated `n` times, then the signed header data.
    let header_len = u32::from_le_bytes(SEQ1[8..12].try_into().unwrap()) as usize;
    let header = &SEQ1[12..12 + header_len];
    // The first field is the RSA proof: tag 0x12, then a 2-byte varint length.
    assert_eq!(header[0], 0x12);
    let proof_len = usize::from(header[1] & 0x7f) | usize::from(header[2]) << 7;
    let (proof, signed) = header.split_at(3 + proof_len);
    let build = |n: usize| {
        let header = [proof.repeat(n).as_slice(), signed].concat();
        [
            &SEQ1[..8],
            &(header.len() as u32).to_le_bytes(),
            &header,
            &SEQ1[12 + header_len..],
        ]
        .concat()
    };
    assert!(check(&build(MAX_CRX_PROOFS), &test_key()).is_ok());
    assert_eq!(
        check(&build(MAX_CRX_PROOFS + 1), &test_key()),
        Err(Crx3Error::TooManyProofs {
            count: MAX_CRX_PROOFS + 1,
            max: MAX_CRX_PROOFS
        })
    );
}

#[test]
fn the_crl_set_is_bounded_by_max_crlset_len() {
    let verified = crx3::verify(SEQ1, &test_key(), &RustCrypto).unwrap();
    let payload_len = fixture!("../crlset/crlset_by_root_serial.raw").len();
    assert_eq!(
        verified.file("crl-set", payload_len, "T").unwrap().len(),
        payload_len
    );
    assert_eq!(
        verified.file("crl-set", payload_len - 1, "T"),
        Err(Crx3Error::FileTooLarge {
            name: "crl-set".into(),
            size: payload_len as u64,
            max: payload_len - 1,
            limit: "T",
        })
    );
    assert!(MAX_CRLSET_LEN > payload_len);
}
