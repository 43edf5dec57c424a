//! Every bound in `revoscope::limits`, at its edge: an input exactly at the
//! limit is accepted (or at least not refused for that limit), one past it
//! is refused with the error that names the limit. The inputs are built
//! here, byte for byte. docs/limits.md lists each limit with the test that
//! covers it (some are covered by other test files and cited there).

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::DerSignature;
use revoscope::crl::{CrlCache, CrlError, CrlList};
use revoscope::crlite::records::{select, FilterRecord};
use revoscope::crlite::CrliteError;
use revoscope::limits::*;
use revoscope::ocsp::exchange::{classify, FetchOutcome, LiveAnswer, Offline};
use revoscope::ocsp::{self, Answer, OcspError, ValidResponse};
use revoscope::remote_settings::content_signature::{self, ContentSignatureError};
use revoscope::remote_settings::sync::mozilla_onecrl_trust;
use revoscope::remote_settings::{Changeset, Collection, SyncError, Trust};
use revoscope::sct::{parse_sct_list, SctListError};
use revoscope::telemetry::event::{LiveRequest, Method};
use revoscope::telemetry::report::{Browser, Report, ReportCounts, ReportError, REPORT_LEN};
use revoscope::telemetry::{
    CrlAccess, Day, DayStats, HardFail, LiveClass, LiveUse, PageLoad, Path, Telemetry,
    TelemetryError,
};
use revoscope::verify::{key_kind, KeyKind, RustCrypto, SignatureError};
use revoscope::{evaluate, evaluate_cached, Cert, CertCache, Error, Snapshot};
use support::crl_build::*;
use support::der_build::{certificate, extension, oid, seq, tlv};
use support::{chain, plain_input, policy, test_snapshot, LEAF_90D, NOW, REAL_ONECRL};

/// A private OID for padding extensions: unknown and not critical, so
/// ignored by the certificate and OCSP readers, as in mozpkix.
const PAD_OID: &str = "1.3.6.1.4.1.99999.1";

/// `build(pad)` for the padding that makes it exactly `target` bytes long.
/// The output grows with `pad`, by one byte per byte and now and then a
/// length octet more, so a few steps find it.
fn fit(target: usize, build: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut pad = 0;
    for _ in 0..8 {
        let out = build(pad);
        if out.len() == target {
            return out;
        }
        pad = (pad + target)
            .checked_sub(out.len())
            .expect("the unpadded input is under the target");
    }
    panic!("no padding makes {target} bytes");
}

/// A parseable certificate of exactly `len` bytes: the padding is a
/// non-critical extension of a private OID.
fn certificate_of_len(len: usize) -> Vec<u8> {
    fit(len, |pad| {
        certificate(&[0x01], &[extension(PAD_OID, false, &vec![0x5a; pad])])
    })
}

/// `json` followed by spaces, `len` bytes in all (JSON allows trailing
/// whitespace, so the padding changes nothing but the size).
fn padded(json: &[u8], len: usize) -> Vec<u8> {
    let mut out = json.to_vec();
    out.resize(len, b' ');
    out
}

// ---------------------------------------------------------------- certificates

#[test]
fn certificate_size_at_and_over_max_cert_len() {
    let at = certificate_of_len(MAX_CERT_LEN);
    assert_eq!(at.len(), 65_535);
    assert_eq!(Cert::from_der(&at).unwrap().serial, [0x01]);

    let over = certificate_of_len(MAX_CERT_LEN + 1);
    assert_eq!(
        Cert::from_der(&over).unwrap_err(),
        Error::CertificateTooLarge {
            len: 65_536,
            max: MAX_CERT_LEN
        }
    );
    assert_eq!(
        Cert::from_der(&over).unwrap_err().to_string(),
        "certificate is 65536 bytes, more than the 65535 allowed"
    );
    // The OCSP request's reading of a certificate applies the same bound.
    assert!(revoscope::cert::RequestParts::from_der(&at).is_ok());
    assert!(matches!(
        revoscope::cert::RequestParts::from_der(&over),
        Err(Error::CertificateTooLarge { len: 65_536, .. })
    ));

    // In a chain, the error says which certificate.
    let snapshot = test_snapshot();
    let p = policy("mozilla-plan");
    let mut chain = chain(LEAF_90D);
    chain[0] = over;
    assert_eq!(
        evaluate(&plain_input(&chain, &p, &snapshot)).unwrap_err(),
        Error::InChain {
            index: 0,
            cause: Box::new(Error::CertificateTooLarge {
                len: 65_536,
                max: MAX_CERT_LEN
            })
        }
    );
}

#[test]
fn chain_length_at_and_over_max_chain_len() {
    let snapshot = test_snapshot();
    let p = policy("mozilla-plan");
    // leaf, intermediate, root, then copies of the root up to the limit.
    let mut long = chain(LEAF_90D);
    while long.len() < MAX_CHAIN_LEN {
        long.push(long[2].clone());
    }
    assert_eq!(long.len(), 8);
    assert!(evaluate(&plain_input(&long, &p, &snapshot)).is_ok());
    assert!(evaluate_cached(&plain_input(&long, &p, &snapshot), &mut CertCache::new()).is_ok());

    long.push(long[2].clone());
    let refused = Error::ChainTooLong {
        len: 9,
        max: MAX_CHAIN_LEN,
    };
    assert_eq!(
        evaluate(&plain_input(&long, &p, &snapshot)).unwrap_err(),
        refused
    );
    assert_eq!(
        evaluate_cached(&plain_input(&long, &p, &snapshot), &mut CertCache::new()).unwrap_err(),
        refused
    );
    assert_eq!(
        refused.to_string(),
        "the chain holds 9 certificates, more than the 8 allowed"
    );
}

/// The TLS encoding of an SCT list of `n` SCTs.
fn sct_list(n: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for i in 0..n {
        let mut sct = vec![0u8];
        sct.extend([i as u8; 32]);
        sct.extend((1_700_000_000_000u64 + i as u64).to_be_bytes());
        sct.extend([0, 0]); // no extensions
        sct.extend([4, 3, 0, 4, 1, 2, 3, 4]); // sha256/ecdsa, 4 stand-in bytes
        body.extend((sct.len() as u16).to_be_bytes());
        body.extend(sct);
    }
    let mut out = (body.len() as u16).to_be_bytes().to_vec();
    out.extend(body);
    out
}

#[test]
fn embedded_scts_at_and_over_max_scts() {
    let at = parse_sct_list(&sct_list(MAX_SCTS)).unwrap();
    assert_eq!(at.len(), 64);
    assert_eq!(
        parse_sct_list(&sct_list(MAX_SCTS + 1)),
        Err(SctListError::TooMany { max: MAX_SCTS })
    );

    // In a certificate, an unreadable SCT list is reported, and the
    // certificate is still usable (CRLite then has no SCT to go by).
    let with = |n| {
        let sct_ext = extension(
            &revoscope::oid::EMBEDDED_SCT_LIST.to_string(),
            false,
            &tlv(0x04, &sct_list(n)),
        );
        Cert::from_der(&certificate(&[0x01], &[sct_ext])).unwrap()
    };
    let cert = with(MAX_SCTS);
    assert_eq!((cert.scts.len(), cert.sct_list_error), (64, None));
    let cert = with(MAX_SCTS + 1);
    assert!(cert.scts.is_empty());
    assert_eq!(cert.sct_list_error.as_deref(), Some("more than 64 SCTs"));
}

/// An RSA SubjectPublicKeyInfo with a modulus of exactly `bits` bits.
fn rsa_spki(bits: usize) -> Vec<u8> {
    let mut modulus = vec![0xff; bits.div_ceil(8)];
    modulus[0] = 0xff >> (modulus.len() * 8 - bits);
    if modulus[0] & 0x80 != 0 {
        modulus.insert(0, 0);
    }
    let key = seq(&[&tlv(0x02, &modulus), &tlv(0x02, &[0x01, 0x00, 0x01])]);
    let mut key_bits = vec![0u8];
    key_bits.extend(key);
    seq(&[
        &seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]),
        &tlv(0x03, &key_bits),
    ])
}

#[test]
fn rsa_modulus_at_and_past_both_bounds() {
    for bits in [MIN_RSA_MODULUS_BITS, 2048, MAX_RSA_MODULUS_BITS] {
        assert_eq!(
            key_kind(&rsa_spki(bits)),
            Ok(KeyKind::Rsa { modulus_bits: bits })
        );
    }
    for bits in [MIN_RSA_MODULUS_BITS - 1, MAX_RSA_MODULUS_BITS + 1] {
        let err = key_kind(&rsa_spki(bits)).unwrap_err();
        assert_eq!(err, SignatureError::RsaKeySize { bits });
        assert_eq!(
            err.to_string(),
            format!("RSA key of {bits} bits; accepted are 1024 to 8192 bits")
        );
    }
}

// ---------------------------------------------------------------------- OCSP
//
// Responses about leaf-90d, signed by its issuer (int-good, whose key the
// test PKI derives from its label), built here so that their size and
// shape can be set exactly.

const PRODUCED_AT: &[u8] = b"20261121110000Z";
const NEXT_UPDATE: &[u8] = b"20261122110000Z";

struct Ocsp {
    leaf: Cert,
    issuer: Cert,
}

impl Ocsp {
    fn new() -> Ocsp {
        let chain = chain(LEAF_90D);
        Ocsp {
            leaf: Cert::from_der(&chain[0]).unwrap(),
            issuer: Cert::from_der(&chain[1]).unwrap(),
        }
    }

    /// A good SingleResponse for `serial` under our issuer (SHA-1 CertID).
    fn single(&self, serial: &[u8]) -> Vec<u8> {
        use sha1::Digest as _;
        let cert_id = seq(&[
            &seq(&[&oid("1.3.14.3.2.26"), &[0x05, 0x00]]),
            &tlv(0x04, &sha1::Sha1::digest(&self.leaf.issuer_der)),
            &tlv(0x04, self.issuer.public_key_sha1()),
            &tlv(0x02, serial),
        ]);
        seq(&[
            &cert_id,
            &[0x80, 0x00], // good
            &tlv(0x18, PRODUCED_AT),
            &tlv(0xa0, &tlv(0x18, NEXT_UPDATE)),
        ])
    }

    /// `n` SingleResponses: n - 1 about other serials, ours last.
    fn singles(&self, n: usize) -> Vec<Vec<u8>> {
        let mut singles: Vec<Vec<u8>> = (0..n - 1)
            .map(|i| self.single(&(0x4000_0000u32 + i as u32).to_be_bytes()))
            .collect();
        singles.push(self.single(&self.leaf.serial));
        singles
    }

    /// An OCSPResponse over these SingleResponses, signed by the issuer
    /// (ResponderID by key), carrying `certs` in the BasicOCSPResponse.
    fn response(&self, singles: &[Vec<u8>], certs: &[Vec<u8>]) -> Vec<u8> {
        fn refs(v: &[Vec<u8>]) -> Vec<&[u8]> {
            v.iter().map(Vec::as_slice).collect()
        }
        let data = seq(&[
            &tlv(0xa2, &tlv(0x04, self.issuer.public_key_sha1())),
            &tlv(0x18, PRODUCED_AT),
            &seq(&refs(singles)),
        ]);
        let signature: DerSignature = support::pki::key("int-good").sign(&data);
        let mut basic = vec![
            data,
            seq(&[&oid("1.2.840.10045.4.3.2")]),
            tlv(0x03, &[&[0u8][..], signature.as_bytes()].concat()),
        ];
        if !certs.is_empty() {
            basic.push(tlv(0xa0, &seq(&refs(certs))));
        }
        seq(&[
            &[0x0a, 0x01, 0x00], // successful
            &tlv(
                0xa0,
                &seq(&[
                    &oid("1.3.6.1.5.5.7.48.1.1"),
                    &tlv(0x04, &seq(&refs(&basic))),
                ]),
            ),
        ])
    }

    fn validate(&self, response: &[u8]) -> Result<ValidResponse, OcspError> {
        ocsp::validate(response, &self.leaf, &self.issuer, NOW, 10, &RustCrypto)
    }

    fn classify(&self, outcome: &FetchOutcome) -> LiveAnswer {
        classify(outcome, &self.leaf, &self.issuer, NOW, 10, &RustCrypto)
    }

    /// A valid response of exactly `len` bytes: an unsigned certificate in
    /// `certs` (not read, since the issuer signed) takes up the room.
    fn response_of_len(&self, len: usize) -> Vec<u8> {
        let singles = self.singles(1);
        fit(len, |pad| {
            self.response(
                &singles,
                &[certificate(
                    &[0x01],
                    &[extension(PAD_OID, false, &vec![0x5a; pad])],
                )],
            )
        })
    }
}

#[test]
fn ocsp_response_size_at_and_over_max_ocsp_response_len() {
    let o = Ocsp::new();
    let at = o.response_of_len(MAX_OCSP_RESPONSE_LEN);
    assert_eq!(at.len(), 65_535);
    assert_eq!(o.validate(&at).unwrap().answer, Answer::Good);

    let over = o.response_of_len(MAX_OCSP_RESPONSE_LEN + 1);
    let err = o.validate(&over).unwrap_err();
    assert_eq!(
        err,
        OcspError::TooLarge {
            len: 65_536,
            max: MAX_OCSP_RESPONSE_LEN
        }
    );
    assert_eq!(
        err.to_string(),
        "the OCSP response is 65536 bytes, over the 65535-byte limit"
    );

    // A live answer: the body the host read is held to the same bound, and
    // a body the host did not read because it announced more is offline.
    let response = |body: &Vec<u8>| FetchOutcome::Response {
        http_status: 200,
        body: body.clone(),
        elapsed_ms: 5,
    };
    assert!(matches!(
        o.classify(&response(&at)),
        LiveAnswer::Answered(ValidResponse {
            answer: Answer::Good,
            ..
        })
    ));
    let oversize = Offline::OversizeBody {
        len: 65_536,
        limit: 65_535,
    };
    assert_eq!(
        o.classify(&response(&over)),
        LiveAnswer::Offline(oversize.clone())
    );
    assert_eq!(
        oversize.to_string(),
        "the server sent 65536 bytes, over the 65535-byte limit"
    );
    assert_eq!(
        o.classify(&FetchOutcome::TooLarge {
            len: 10 << 20,
            elapsed_ms: 5
        }),
        LiveAnswer::Offline(Offline::OversizeBody {
            len: 10 << 20,
            limit: 65_535
        })
    );
}

#[test]
fn single_responses_at_and_over_max_ocsp_single_responses() {
    let o = Ocsp::new();
    let at = o.response(&o.singles(MAX_OCSP_SINGLE_RESPONSES), &[]);
    assert!(at.len() <= MAX_OCSP_RESPONSE_LEN, "{} bytes", at.len());
    assert_eq!(o.validate(&at).unwrap().answer, Answer::Good);

    let over = o.response(&o.singles(MAX_OCSP_SINGLE_RESPONSES + 1), &[]);
    assert!(over.len() <= MAX_OCSP_RESPONSE_LEN, "{} bytes", over.len());
    let err = o.validate(&over).unwrap_err();
    assert_eq!(
        err,
        OcspError::Malformed {
            part: "responses",
            cause: "513 SingleResponses, over the limit of 512".into(),
        }
    );
    assert_eq!(err.code(), "malformed");
}

#[test]
fn response_certs_at_and_over_max_ocsp_response_certs() {
    let o = Ocsp::new();
    let leaf = chain(LEAF_90D).swap_remove(0);
    let singles = o.singles(1);
    let at = o.response(&singles, &vec![leaf.clone(); MAX_OCSP_RESPONSE_CERTS]);
    assert_eq!(o.validate(&at).unwrap().answer, Answer::Good);

    let over = o.response(&singles, &vec![leaf; MAX_OCSP_RESPONSE_CERTS + 1]);
    assert_eq!(
        o.validate(&over).unwrap_err(),
        OcspError::Malformed {
            part: "certs",
            cause: "more than 8 certificates".into(),
        }
    );
}

// ------------------------------------------------------------------- OneCRL

#[test]
fn snapshot_size_at_and_over_max_snapshot_len() {
    // The real snapshot, padded to exactly the limit, loads as it is.
    let at = padded(REAL_ONECRL, MAX_SNAPSHOT_LEN);
    assert_eq!(at.len(), 32 << 20);
    assert_eq!(
        Snapshot::from_json(&at).unwrap().stats(),
        support::real_snapshot().stats()
    );
    let over = padded(REAL_ONECRL, MAX_SNAPSHOT_LEN + 1);
    let err = Snapshot::from_json(&over).unwrap_err();
    assert_eq!(
        err,
        Error::SnapshotTooLarge {
            len: MAX_SNAPSHOT_LEN + 1,
            max: MAX_SNAPSHOT_LEN
        }
    );
    assert_eq!(
        err.to_string(),
        "OneCRL snapshot is 33554433 bytes, more than the 33554432 allowed"
    );

    // The sync reads changesets and stored collections with the same bound.
    let changeset = padded(br#"{"changes": [], "timestamp": 1}"#, MAX_SNAPSHOT_LEN);
    assert!(Changeset::from_json(&changeset).is_ok());
    let dump = padded(br#"{"data": [], "timestamp": 1}"#, MAX_SNAPSHOT_LEN);
    assert!(Collection::from_dump_json(&dump).is_ok());
    let too_large = SyncError::TooLarge {
        len: MAX_SNAPSHOT_LEN as u64 + 1,
        max: MAX_SNAPSHOT_LEN as u64,
    };
    assert_eq!(
        Changeset::from_json(&padded(&changeset, MAX_SNAPSHOT_LEN + 1)).unwrap_err(),
        too_large
    );
    assert_eq!(
        Collection::from_dump_json(&padded(&dump, MAX_SNAPSHOT_LEN + 1)).unwrap_err(),
        too_large
    );
}

/// `{"<field>": [<n records from record(i)>], "timestamp": 1}`.
fn collection_json(field: &str, n: usize, record: impl Fn(usize) -> String) -> Vec<u8> {
    let records: Vec<String> = (0..n).map(record).collect();
    format!(r#"{{"{field}": [{}], "timestamp": 1}}"#, records.join(",")).into_bytes()
}

#[test]
fn snapshot_records_at_and_over_max_snapshot_records() {
    // Tombstones: the cheapest records to load.
    let tombstones = |n| collection_json("changes", n, |_| r#"{"deleted":true}"#.into());
    let at = Snapshot::from_json(&tombstones(MAX_SNAPSHOT_RECORDS)).unwrap();
    assert_eq!(at.deleted, 200_000);
    let err = Snapshot::from_json(&tombstones(MAX_SNAPSHOT_RECORDS + 1)).unwrap_err();
    assert_eq!(
        err,
        Error::SnapshotTooManyRecords {
            count: 200_001,
            max: MAX_SNAPSHOT_RECORDS
        }
    );
    assert_eq!(
        err.to_string(),
        "OneCRL snapshot has 200001 records, more than the 200000 allowed"
    );
}

#[test]
fn synced_collection_records_at_and_over_max_snapshot_records() {
    let records =
        |n, offset| collection_json("changes", n, |i| format!(r#"{{"id":"r{}"}}"#, i + offset));
    let too_many = SyncError::TooManyRecords {
        count: 200_001,
        max: MAX_SNAPSHOT_RECORDS,
    };
    // A changeset of exactly the limit makes a collection of exactly the limit.
    let full = Collection::apply(
        None,
        &Changeset::from_json(&records(MAX_SNAPSHOT_RECORDS, 0)).unwrap(),
    )
    .unwrap();
    assert_eq!(full.len(), 200_000);
    assert_eq!(
        Changeset::from_json(&records(MAX_SNAPSHOT_RECORDS + 1, 0)).unwrap_err(),
        too_many
    );
    // One more record on top of a full collection is refused; replacing
    // one is not.
    let one_new = Changeset::from_json(&records(1, MAX_SNAPSHOT_RECORDS)).unwrap();
    assert_eq!(
        Collection::apply(Some(&full), &one_new).unwrap_err(),
        too_many
    );
    let one_replaced = Changeset::from_json(&records(1, 0)).unwrap();
    assert_eq!(
        Collection::apply(Some(&full), &one_replaced).unwrap().len(),
        200_000
    );
    assert_eq!(
        too_many.to_string(),
        "200001 records, more than the 200000 a snapshot may hold"
    );
}

// ----------------------------------------------------- content signatures

/// A file of the real Autograph signature of 2023 (fixtures/remote-settings/real).
macro_rules! real {
    ($file:literal) => {
        include_bytes!(concat!(
            "../../../fixtures/remote-settings/real/vpn_balrog_aus_2023/",
            $file
        ))
        .as_slice()
    };
}

#[test]
fn content_signature_chain_at_and_over_max_chain_len() {
    let chain_pem = real!("chain.pem");
    let data = real!("data.json");
    let signature = real!("signature.b64url");
    let signature = std::str::from_utf8(signature).unwrap().trim();
    let trust = Trust {
        signer_name: "aus.content-signature.mozilla.org".into(),
        ..mozilla_onecrl_trust()
    };
    // Inside the real signer's validity.
    let time = revoscope::UnixTime(1_696_272_799);
    // Certificates that are no one's issuer, appended to the real chain of 3.
    let stranger = support::pki::pem(&chain(LEAF_90D)[0]);
    let with = |n: usize| {
        let mut pem = chain_pem.to_vec();
        pem.push(b'\n');
        for _ in 3..n {
            pem.extend(stranger.as_bytes());
        }
        assert_eq!(revoscope::pem::read_certificates(&pem).unwrap().len(), n);
        content_signature::verify(data, signature, &pem, &trust, time, None, &RustCrypto)
    };
    assert!(with(MAX_CHAIN_LEN).is_ok());
    let err = with(MAX_CHAIN_LEN + 1).unwrap_err();
    assert_eq!(err, ContentSignatureError::ChainTooLong { len: 9 });
    assert_eq!(
        err.to_string(),
        "the signer's chain has 9 certificates, more than the 8 a path may hold"
    );
}

// ----------------------------------------------------------------- CRLite

/// A cert-revocations record: a full filter, or a delta after `parent`.
fn filter_record(id: &str, parent: Option<&str>, ms: u64, size: usize) -> String {
    let parent = parent.map_or(String::new(), |p| format!(r#""parent": "{p}", "#));
    format!(
        r#"{{"id": "{id}", "incremental": {}, {parent}"effectiveTimestamp": {ms},
            "attachment": {{"hash": "{}", "size": {size}, "filename": "{id}.filter",
            "location": "security-state/{id}.filter"}}}}"#,
        !parent.is_empty(),
        "ab".repeat(32)
    )
}

/// The records of a full filter and `deltas` deltas chained to it.
fn filter_chain(deltas: usize) -> Collection {
    let json = collection_json("data", deltas + 1, |i| match i {
        0 => filter_record("f", None, 1_000, 100),
        1 => filter_record("d1", Some("f"), 1_001, 100),
        _ => filter_record(
            &format!("d{i}"),
            Some(&format!("d{}", i - 1)),
            1_000 + i as u64,
            100,
        ),
    });
    Collection::from_dump_json(&json).unwrap()
}

#[test]
fn crlite_delta_chain_at_and_over_max_crlite_deltas() {
    let at = select(&filter_chain(MAX_CRLITE_DELTAS), "default").unwrap();
    assert_eq!(at.chain.len(), 257);
    assert!(at.skipped.is_empty());
    let err = select(&filter_chain(MAX_CRLITE_DELTAS + 1), "default").unwrap_err();
    assert_eq!(
        err,
        CrliteError::TooManyDeltas {
            count: 257,
            max: MAX_CRLITE_DELTAS
        }
    );
    assert_eq!(
        err.to_string(),
        "257 deltas, more than the 256 a filter set may chain"
    );
}

#[test]
fn crlite_records_at_and_over_max_crlite_records() {
    // One full filter and records the sync does not understand (skipped).
    let records = |n| {
        let json = collection_json("data", n, |i| match i {
            0 => filter_record("f", None, 1_000, 100),
            _ => format!(r#"{{"id": "other-{i}"}}"#),
        });
        Collection::from_dump_json(&json).unwrap()
    };
    let at = select(&records(MAX_CRLITE_RECORDS), "default").unwrap();
    assert_eq!((at.chain.len(), at.skipped.len()), (1, 1023));
    let err = select(&records(MAX_CRLITE_RECORDS + 1), "default").unwrap_err();
    assert_eq!(
        err,
        CrliteError::TooManyRecords {
            count: 1025,
            max: MAX_CRLITE_RECORDS
        }
    );
    assert_eq!(err.to_string(), "1025 records, more than the 1024 accepted");
}

#[test]
fn crlite_filter_size_at_and_over_max_crlite_filter_len() {
    // A record naming an attachment of exactly the limit is read; one byte
    // more is refused before anything is downloaded.
    let record = |size| {
        let json = filter_record("f", None, 1_000, size);
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&json).unwrap()
    };
    let at = FilterRecord::from_json(&record(MAX_CRLITE_FILTER_LEN)).unwrap();
    assert_eq!(at.attachment.size, 32 << 20);
    let too_large = CrliteError::FilterTooLarge {
        id: "f".into(),
        len: MAX_CRLITE_FILTER_LEN + 1,
        max: MAX_CRLITE_FILTER_LEN,
    };
    assert_eq!(
        FilterRecord::from_json(&record(MAX_CRLITE_FILTER_LEN + 1)).unwrap_err(),
        too_large
    );
    assert_eq!(
        too_large.to_string(),
        "filter f is 33554433 bytes, more than the 33554432 accepted"
    );

    // The file itself: at the limit it is read (these bytes then fail for
    // their encoding, 0 being a retired one), over it it is not.
    let meta = || revoscope::crlite::filter::FilterMeta {
        id: "f".into(),
        kind: revoscope::crlite::FilterKind::Full,
        effective_ms: 0,
        parent: None,
    };
    assert_eq!(
        revoscope::crlite::Filter::from_bytes(meta(), &vec![0; MAX_CRLITE_FILTER_LEN]).unwrap_err(),
        CrliteError::UnsupportedEncoding {
            id: "f".into(),
            version: 0
        }
    );
    assert_eq!(
        revoscope::crlite::Filter::from_bytes(meta(), &vec![0; MAX_CRLITE_FILTER_LEN + 1])
            .unwrap_err(),
        too_large
    );
}

/// A filter set of a full filter and `deltas` deltas, all real clubcards
/// (the builder is native only).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn crlite_filter_set_at_and_over_max_crlite_deltas() {
    use revoscope::crlite::filter::FilterMeta;
    use revoscope::crlite::{Filter, FilterKind, FilterSet};
    use support::crlite::{build, Issuer, LogCoverage, Version};

    let bytes = build(
        &[LogCoverage {
            log_id: [0xA1; 32],
            low_ms: 0,
            high_ms: 1_000,
        }],
        &[Issuer {
            spki_sha256: [7; 32],
            revoked: vec![vec![1]],
            good: vec![vec![2]],
        }],
        Version::V4,
    );
    let filters = |deltas: usize| -> Vec<Filter> {
        (0..=deltas)
            .map(|i| {
                let meta = FilterMeta {
                    id: format!("f{i}"),
                    kind: if i == 0 {
                        FilterKind::Full
                    } else {
                        FilterKind::Delta
                    },
                    effective_ms: 1_000 + i as u64,
                    parent: i.checked_sub(1).map(|p| format!("f{p}")),
                };
                Filter::from_bytes(meta, &bytes).unwrap()
            })
            .collect()
    };
    let installed = revoscope::UnixTime(1);
    let at = FilterSet::new(filters(MAX_CRLITE_DELTAS), installed).unwrap();
    assert_eq!(at.deltas().len(), 256);
    assert_eq!(
        FilterSet::new(filters(MAX_CRLITE_DELTAS + 1), installed).unwrap_err(),
        CrliteError::TooManyDeltas {
            count: 257,
            max: MAX_CRLITE_DELTAS
        }
    );
}

// ---------------------------------------------------------------------- CRLs
//
// CertificateLists by int-good, signed with its key (the test PKI derives
// it from its label), built here byte for byte: CrlList::read checks the
// signature before it indexes the entries, so every list past the size
// check must be validly signed. The dates are the CRL fixtures'
// (fixtures/crl/README.md), so the fixture leaves can be judged too.

/// A valid CRL of exactly `len` bytes: a non-critical extension of a
/// private OID takes up the room. An ECDSA signature is 70 to 72 bytes in
/// DER and cannot be known before signing, so the padding is fitted for a
/// 71-byte one (placeholder bytes, no hashing: a 32 MiB SHA-256 takes
/// seconds in a debug build), then the list is signed, and while the
/// signature comes out another length the padding's bytes (not its
/// length) change.
fn crl_of_len(len: usize) -> Vec<u8> {
    const SIGNATURE_LEN: usize = 71;
    let tbs = |pad: usize, fill: u8| crl_tbs(&[], &[extension(PAD_OID, false, &vec![fill; pad])]);
    let unsigned_len = |pad: usize| certificate_list(&tbs(pad, 0), &[0; SIGNATURE_LEN]).len();
    let mut pad = 0;
    for _ in 0..8 {
        let got = unsigned_len(pad);
        if got == len {
            break;
        }
        pad = (pad + len)
            .checked_sub(got)
            .expect("the unpadded list is under the target");
    }
    assert_eq!(unsigned_len(pad), len, "no padding makes {len} bytes");
    (0..=u8::MAX)
        .map(|fill| sign_crl(&tbs(pad, fill)))
        .find(|signed| signed.len() == len)
        .expect("a signature of 71 bytes")
}

#[test]
fn crl_size_at_and_over_max_crl_len() {
    let issuer = int_good();
    let at = crl_of_len(MAX_CRL_LEN);
    assert_eq!(at.len(), 32 << 20);
    let list = CrlList::read(&at, &issuer, &RustCrypto).unwrap();
    assert!(list.is_empty());

    // One byte more is refused before any parsing: these bytes are no DER
    // at all, and the error is still the size.
    let over = vec![0xff; MAX_CRL_LEN + 1];
    let err = CrlList::read(&over, &issuer, &RustCrypto).unwrap_err();
    assert_eq!(
        err,
        CrlError::TooLarge {
            len: 33_554_433,
            max: MAX_CRL_LEN
        }
    );
    assert_eq!(err.class(), "too-large");
    assert_eq!(
        err.to_string(),
        "the CRL is 33554433 bytes, over the 33554432-byte limit"
    );

    // Through the host's cache: a body read whole, and one the host
    // stopped reading at the limit it was handed (CrlFetch::max_len).
    let mut cache = CrlCache::new();
    let served = |body: Vec<u8>| FetchOutcome::Response {
        http_status: 200,
        body,
        elapsed_ms: 1,
    };
    let url = "http://127.0.0.1:8890/crl/int-good-1.crl";
    assert!(cache
        .ingest(url, &served(at), &issuer, CRL_AT, &RustCrypto)
        .is_ok());
    let too_large = Offline::InvalidResponse {
        code: "too-large",
        detail: "the CRL is 33554433 bytes, over the 33554432-byte limit".into(),
    };
    assert_eq!(
        cache.ingest(url, &served(over), &issuer, CRL_AT, &RustCrypto),
        Err(too_large.clone())
    );
    let stopped = FetchOutcome::TooLarge {
        len: MAX_CRL_LEN + 1,
        elapsed_ms: 1,
    };
    assert_eq!(
        cache.ingest(url, &stopped, &issuer, CRL_AT, &RustCrypto),
        Err(too_large)
    );
}

#[test]
fn crl_entries_at_and_over_max_crl_entries() {
    // 22 MB, built and read in about 1 s and 3 s natively in a debug
    // build (2026-12, a shared 2-core machine): cheap enough to build
    // every run rather than keep.
    let issuer = int_good();
    let at = signed_crl(&crl_entries(MAX_CRL_ENTRIES), &[]);
    assert!(at.len() <= MAX_CRL_LEN, "{} bytes", at.len());
    let list = CrlList::read(&at, &issuer, &RustCrypto).unwrap();
    assert_eq!(list.len(), 1_000_000);
    assert!(list.find(&crl_serial(0)).is_some());
    assert!(list.find(&crl_serial(MAX_CRL_ENTRIES - 1)).is_some());
    assert!(list.find(&crl_serial(MAX_CRL_ENTRIES)).is_none());
    drop((at, list));

    // One entry more: validly signed, so the entries are read, and refused
    // at the one past the limit.
    let over = signed_crl(&crl_entries(MAX_CRL_ENTRIES + 1), &[]);
    assert!(over.len() <= MAX_CRL_LEN, "{} bytes", over.len());
    let err = CrlList::read(&over, &issuer, &RustCrypto).unwrap_err();
    assert_eq!(
        err,
        CrlError::TooManyEntries {
            max: MAX_CRL_ENTRIES
        }
    );
    assert_eq!(err.class(), "too-large");
    assert_eq!(
        err.to_string(),
        "the CRL lists more than 1000000 certificates, the limit"
    );
}

/// A CRL the size of a large CA's (the issue's 300,000 entries), with one
/// fixture leaf listed among them and another not: read, then both judged
/// as the ladder does. The times are printed (`--nocapture`), not
/// asserted: they depend on the machine and the build. Native only, for
/// the clock (`std::time::Instant` is not there on wasm32).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn crl_of_300_000_entries_reads_and_answers() {
    use revoscope::crl::{self, CrlAnswer};
    use std::time::Instant;
    const ENTRIES: usize = 300_000;
    let chain = |pem: &[u8]| {
        let ders = revoscope::pem::read_certificates(pem).unwrap();
        (
            Cert::from_der(&ders[0]).unwrap(),
            Cert::from_der(&ders[1]).unwrap(),
        )
    };
    let (revoked, issuer) = chain(include_bytes!(
        "../../../fixtures/crl/chains/leaf-crl-revoked.pem"
    ));
    let (good, _) = chain(include_bytes!(
        "../../../fixtures/crl/chains/leaf-crl-good.pem"
    ));
    assert_eq!(issuer.spki.sha256(), int_good().spki.sha256());

    let started = Instant::now();
    // The listed leaf (0x1002) in the middle, so that the index's sort
    // has to move it.
    let mut entries = crl_entries(ENTRIES);
    let middle = ENTRIES / 2 * 22;
    entries.splice(middle..middle, crl_entry(&revoked.serial));
    let crl = signed_crl(&entries, &[]);
    let built = started.elapsed();

    let started = Instant::now();
    let list = CrlList::read(&crl, &issuer, &RustCrypto).unwrap();
    let read = started.elapsed();
    assert_eq!(list.len(), ENTRIES + 1);

    let started = Instant::now();
    let judge = |leaf: &Cert| {
        let (point, _) = crl::point_to_fetch(leaf).unwrap();
        crl::judge(&list, leaf, &issuer, point, CRL_AT)
    };
    assert!(matches!(
        judge(&revoked),
        Ok(CrlAnswer::Revoked {
            revocation_time: 1_779_321_600, // 2026-05-21
            reason: None,
            ..
        })
    ));
    assert_eq!(
        judge(&good),
        Ok(CrlAnswer::Good {
            removed_from_crl: false
        })
    );
    let looked_up = started.elapsed();
    println!(
        "CRL of {} entries, {} bytes: built and signed in {built:?}; read (signature checked, \
         entries indexed) in {read:?}; two judgements (one listed, one not) in {looked_up:?}",
        ENTRIES + 1,
        crl.len()
    );
}

// -------------------------------------------------------------- telemetry

/// 2026-11-21T00:00:00Z.
const MIDNIGHT: revoscope::UnixTime = revoscope::UnixTime(1_795_219_200);

fn asked(host: &str) -> PageLoad {
    PageLoad {
        path: Path::Ocsp,
        ca_paths: vec![Path::OneCrl],
        live: LiveUse::Asked(LiveRequest {
            host: host.into(),
            method: Method::Get,
            elapsed_ms: 40,
            class: LiveClass::Good,
        }),
        hard_fail: Some(HardFail::Accept),
        browser_used_ocsp: None,
        crlite: None,
        revocation_info: None,
        crl: CrlAccess::NotUsed,
    }
}

/// A day that met `hosts` responder hosts, as stored.
fn stored_day(hosts: usize) -> String {
    let mut day = DayStats::new(Day::of(MIDNIGHT));
    for i in 0..hosts {
        day.record(&asked(&format!("ocsp{i}.example")));
    }
    serde_json::to_string(&day).unwrap()
}

#[test]
fn retention_at_and_over_max_telemetry_retention_days() {
    let t = Telemetry::new(u32::from(MAX_TELEMETRY_RETENTION_DAYS)).unwrap();
    assert_eq!(t.retention_days(), 3_660);
    let err = Telemetry::new(3_661).unwrap_err();
    assert_eq!(err, TelemetryError::BadRetention(3_661));
    assert_eq!(
        err.to_string(),
        "a retention of 3661 days is outside 1 to 3660"
    );
    let mut t = Telemetry::new(90).unwrap();
    assert_eq!(
        t.set_retention_days(3_661).unwrap_err(),
        TelemetryError::BadRetention(3_661)
    );
    t.set_retention_days(3_660).unwrap();
    assert_eq!(t.retention_days(), 3_660);
}

#[test]
fn stored_day_size_at_and_over_max_telemetry_day_len() {
    let json = stored_day(3);
    let at = String::from_utf8(padded(json.as_bytes(), MAX_TELEMETRY_DAY_LEN)).unwrap();
    assert_eq!(
        DayStats::from_json(&at).unwrap(),
        DayStats::from_json(&json).unwrap()
    );
    let mut t = Telemetry::new(90).unwrap();
    assert!(t.load_day("2026-11-21", &at).is_ok());

    let over = format!("{at} ");
    let err = DayStats::from_json(&over).unwrap_err();
    assert_eq!(err, TelemetryError::TooLarge { len: (1 << 20) + 1 });
    assert_eq!(
        err.to_string(),
        "the stored day is 1048577 bytes, over the 1048576-byte limit"
    );
}

#[test]
fn stored_day_responders_at_and_over_max_telemetry_responders() {
    // Recording folds hosts past the bound into `other`: 200 hosts and
    // `other` is the most a day holds, and such a day loads.
    let json = stored_day(MAX_TELEMETRY_RESPONDERS + 10);
    let day = DayStats::from_json(&json).unwrap();
    assert_eq!(day.responders.len(), MAX_TELEMETRY_RESPONDERS + 1);
    assert_eq!(day.responders["other"].attempts, 10);

    // One host more, written by something else, is refused.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let responders = value["responders"].as_object_mut().unwrap();
    let row = responders["ocsp0.example"].clone();
    responders.insert("extra.example".into(), row);
    let err = DayStats::from_json(&value.to_string()).unwrap_err();
    assert_eq!(
        err,
        TelemetryError::Inconsistent("202 responder hosts, over the bound of 200".into())
    );
}

#[test]
fn report_size_at_and_over_max_report_len() {
    let report = Report {
        schema: 2,
        id: "00112233445566778899aabbccddeeff".into(),
        day: Day::of(MIDNIGHT),
        extension: "0.1".into(),
        browser: Browser::Firefox,
        counts: ReportCounts::from_vector(&vec![0; REPORT_LEN]).unwrap(),
    };
    let json = report.to_json();
    let at = padded(json.as_bytes(), MAX_REPORT_LEN);
    assert_eq!(at.len(), 16_384);
    assert_eq!(Report::from_json(&at).unwrap(), report);

    let over = padded(json.as_bytes(), MAX_REPORT_LEN + 1);
    let err = Report::from_json(&over).unwrap_err();
    assert_eq!(err, ReportError::TooLarge { len: 16_385 });
    assert_eq!(
        err.to_string(),
        "the report is 16385 bytes, over the 16384-byte limit"
    );
}

fn issuer_served(body: Vec<u8>) -> FetchOutcome {
    FetchOutcome::Response {
        http_status: 200,
        body,
        elapsed_ms: 1,
    }
}

#[test]
fn issuer_fetch_at_and_over_max_issuer_fetch_len() {
    use revoscope::issuer::{check_fetched, IssuerError};
    let chain = chain(LEAF_90D);
    let leaf = Cert::from_der(&chain[0]).unwrap();
    // At the limit: read (and found malformed), not refused for its size.
    let at = check_fetched(
        &leaf,
        &chain[0],
        &issuer_served(vec![0x30; MAX_ISSUER_FETCH_LEN]),
        &RustCrypto,
    );
    assert!(matches!(at, Err(IssuerError::Malformed { .. })), "{at:?}");
    let over = check_fetched(
        &leaf,
        &chain[0],
        &issuer_served(vec![0x30; MAX_ISSUER_FETCH_LEN + 1]),
        &RustCrypto,
    );
    assert_eq!(
        over.unwrap_err(),
        IssuerError::TooLarge {
            len: MAX_ISSUER_FETCH_LEN + 1
        }
    );
}

#[test]
fn issuer_bundle_at_and_over_max_issuer_bundle_certs() {
    use revoscope::issuer::{check_fetched, IssuerError};
    use support::der_build::certs_only;
    let chain = chain(LEAF_90D);
    let leaf = Cert::from_der(&chain[0]).unwrap();
    let bundle = |n: usize| {
        let mut certs: Vec<&[u8]> = vec![&chain[2]; n - 1];
        certs.push(&chain[1]);
        issuer_served(certs_only(&certs))
    };
    let at = check_fetched(
        &leaf,
        &chain[0],
        &bundle(MAX_ISSUER_BUNDLE_CERTS),
        &RustCrypto,
    );
    assert_eq!(at.unwrap().der, chain[1]);
    let over = check_fetched(
        &leaf,
        &chain[0],
        &bundle(MAX_ISSUER_BUNDLE_CERTS + 1),
        &RustCrypto,
    );
    assert_eq!(
        over.unwrap_err(),
        IssuerError::Certificates {
            count: MAX_ISSUER_BUNDLE_CERTS + 1
        }
    );
}
