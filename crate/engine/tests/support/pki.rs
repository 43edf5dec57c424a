//! The test PKI: deterministic certificates for every rung of the ladder.
//!
//! Keys are P-256, derived from SHA-256 of a fixed label, and ECDSA signing
//! is deterministic (RFC 6979), so every run writes the same bytes. These
//! keys are public test material and protect nothing.
//!
//! Used by `examples/make_test_pki.rs` (writes `fixtures/pki/`) and by the
//! tests, which also craft certificates carrying the issuer and serial of
//! real OneCRL records.
#![allow(dead_code)]

use std::str::FromStr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use der::asn1::{Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CertificatePolicies, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// 2025-01-01T00:00:00Z: CAs are valid from here for ten years.
pub const CA_NOT_BEFORE: u64 = 1_735_689_600;
/// 2026-11-01T00:00:00Z: leaves start here.
pub const LEAF_NOT_BEFORE: u64 = 1_793_491_200;
pub const DAY: u64 = 86_400;
/// Where the demo's `openssl ocsp` responder listens (issue: OCSP).
pub const OCSP_URL: &str = "http://127.0.0.1:8888/";
pub const CA_ISSUERS_BASE: &str = "http://127.0.0.1:8889/";

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const TLS_FEATURE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.24");
const SCT_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
const KP_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const DV_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.140.1.2.1");
const AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
const AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");

/// A deterministic P-256 key for a label.
pub fn key(label: &str) -> SigningKey {
    let seed = Sha256::digest(format!("revoscope test PKI key: {label}").as_bytes());
    SigningKey::from_slice(&seed).expect("a SHA-256 output is a valid P-256 scalar here")
}

pub fn spki_of(key: &SigningKey) -> SubjectPublicKeyInfoOwned {
    let der = key
        .verifying_key()
        .to_public_key_der()
        .expect("encode SPKI");
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).expect("decode SPKI")
}

fn ext<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().unwrap()).unwrap(),
    }
}

fn time(secs: u64) -> Time {
    // UTCTime up to 2049, as RFC 5280 section 4.1.2.5 asks.
    if secs < 2_524_608_000 {
        Time::UtcTime(der::asn1::UtcTime::from_unix_duration(Duration::from_secs(secs)).unwrap())
    } else {
        Time::GeneralTime(
            der::asn1::GeneralizedTime::from_unix_duration(Duration::from_secs(secs)).unwrap(),
        )
    }
}

fn uri(s: &str) -> GeneralName {
    GeneralName::UniformResourceIdentifier(Ia5String::new(s).unwrap())
}

/// What to put in one certificate.
#[derive(Clone)]
pub struct Spec {
    pub subject: Name,
    /// The issuer Name as DER; taken byte for byte.
    pub issuer_der: Vec<u8>,
    /// The serial's INTEGER content octets, exactly as they should be encoded.
    pub serial: Vec<u8>,
    pub not_before: u64,
    pub not_after: u64,
    pub is_ca: bool,
    pub ocsp_url: Option<String>,
    pub ca_issuers_url: Option<String>,
    pub crl_url: Option<String>,
    pub must_staple: bool,
    pub dns_names: Vec<String>,
    /// (log id byte, timestamp ms) for a synthetic embedded SCT list.
    pub scts: Vec<(u8, u64)>,
    /// The SCT list extension's extnValue, byte for byte, instead of one
    /// built from `scts`: a damaged list, as some real certificates carry.
    pub sct_extension_value: Option<Vec<u8>>,
}

impl Spec {
    pub fn new(subject: &str, issuer: &Name, serial: u64) -> Self {
        Spec {
            subject: Name::from_str(subject).unwrap(),
            issuer_der: issuer.to_der().unwrap(),
            serial: minimal_serial(serial),
            not_before: LEAF_NOT_BEFORE,
            not_after: LEAF_NOT_BEFORE + 90 * DAY,
            is_ca: false,
            ocsp_url: Some(OCSP_URL.to_owned()),
            ca_issuers_url: None,
            crl_url: None,
            must_staple: false,
            dns_names: Vec::new(),
            scts: Vec::new(),
            sct_extension_value: None,
        }
    }
}

/// A positive INTEGER's minimal content octets.
pub fn minimal_serial(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    let mut out = bytes[first..].to_vec();
    if out[0] & 0x80 != 0 {
        out.insert(0, 0);
    }
    out
}

/// Whether x509-cert's SerialNumber can carry these content octets as they
/// are (it takes at most 21 octets in minimal two's-complement form).
pub fn encodable_serial(serial: &[u8]) -> bool {
    der::asn1::AnyRef::new(der::Tag::Integer, serial)
        .and_then(|any| any.to_der())
        .and_then(|tlv| SerialNumber::<x509_cert::certificate::Rfc5280>::from_der(&tlv))
        .map(|s| s.as_bytes() == serial)
        .unwrap_or(false)
}

/// The TLS-encoded SignedCertificateTimestampList (RFC 6962 section 3.3).
pub fn sct_list(scts: &[(u8, u64)]) -> Vec<u8> {
    let mut body = Vec::new();
    for &(log, ts) in scts {
        let mut sct = vec![0u8];
        sct.extend([log; 32]);
        sct.extend(ts.to_be_bytes());
        sct.extend([0, 0]); // no extensions
        sct.extend([4, 3, 0, 4, 1, 2, 3, 4]); // sha256/ecdsa, a 4-byte stand-in signature
        body.extend((sct.len() as u16).to_be_bytes());
        body.extend(sct);
    }
    let mut out = (body.len() as u16).to_be_bytes().to_vec();
    out.extend(body);
    out
}

/// Builds and signs one certificate. Returns its DER.
pub fn issue(spec: &Spec, subject_key: &SigningKey, issuer_key: &SigningKey) -> Vec<u8> {
    let spki = spki_of(subject_key);
    let ski = Sha256::digest(spki.subject_public_key.raw_bytes())[..20].to_vec();
    let aki = Sha256::digest(spki_of(issuer_key).subject_public_key.raw_bytes())[..20].to_vec();
    let mut exts = vec![
        ext(
            const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: spec.is_ca,
                path_len_constraint: None,
            },
        ),
        ext(
            const_oid::db::rfc5280::ID_CE_KEY_USAGE,
            true,
            &KeyUsage(if spec.is_ca {
                KeyUsages::KeyCertSign | KeyUsages::CRLSign
            } else {
                KeyUsages::DigitalSignature.into()
            }),
        ),
        ext(
            const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            &SubjectKeyIdentifier(OctetString::new(ski).unwrap()),
        ),
        ext(
            const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(aki).unwrap()),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        ),
    ];
    let mut access = Vec::new();
    if let Some(url) = &spec.ocsp_url {
        access.push(AccessDescription {
            access_method: AD_OCSP,
            access_location: uri(url),
        });
    }
    if let Some(url) = &spec.ca_issuers_url {
        access.push(AccessDescription {
            access_method: AD_CA_ISSUERS,
            access_location: uri(url),
        });
    }
    if !access.is_empty() {
        exts.push(ext(
            const_oid::db::rfc5280::ID_PE_AUTHORITY_INFO_ACCESS,
            false,
            &AuthorityInfoAccessSyntax(access),
        ));
    }
    if let Some(url) = &spec.crl_url {
        exts.push(ext(
            const_oid::db::rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
            false,
            &CrlDistributionPoints(vec![DistributionPoint {
                distribution_point: Some(DistributionPointName::FullName(vec![uri(url)])),
                reasons: None,
                crl_issuer: None,
            }]),
        ));
    }
    if !spec.is_ca {
        exts.push(ext(
            const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
            false,
            &ExtendedKeyUsage(vec![KP_SERVER_AUTH]),
        ));
        exts.push(ext(
            const_oid::db::rfc5280::ID_CE_CERTIFICATE_POLICIES,
            false,
            &CertificatePolicies(vec![PolicyInformation {
                policy_identifier: DV_POLICY,
                policy_qualifiers: None,
            }]),
        ));
    }
    if !spec.dns_names.is_empty() {
        let mut names: Vec<GeneralName> = spec
            .dns_names
            .iter()
            .map(|d| GeneralName::DnsName(Ia5String::new(d).unwrap()))
            .collect();
        names.push(GeneralName::IpAddress(
            OctetString::new(vec![127, 0, 0, 1]).unwrap(),
        ));
        exts.push(ext(
            const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME,
            false,
            &SubjectAltName(names),
        ));
    }
    if spec.must_staple {
        // Features ::= SEQUENCE OF INTEGER; status_request(5) (RFC 7633).
        exts.push(ext(TLS_FEATURE, false, &vec![5u8]));
    }
    if let Some(value) = &spec.sct_extension_value {
        exts.push(Extension {
            extn_id: SCT_LIST,
            critical: false,
            extn_value: OctetString::new(value.clone()).unwrap(),
        });
    } else if !spec.scts.is_empty() {
        exts.push(ext(
            SCT_LIST,
            false,
            &OctetString::new(sct_list(&spec.scts)).unwrap(),
        ));
    }

    let serial_tlv = der::asn1::AnyRef::new(der::Tag::Integer, &spec.serial)
        .unwrap()
        .to_der()
        .unwrap();
    let sig_alg = AlgorithmIdentifierOwned {
        oid: ECDSA_WITH_SHA256,
        parameters: None,
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::from_der(&serial_tlv).expect("serial decodes"),
        signature: sig_alg.clone(),
        issuer: Name::from_der(&spec.issuer_der).expect("issuer Name decodes"),
        validity: Validity {
            not_before: time(spec.not_before),
            not_after: time(spec.not_after),
        },
        subject: spec.subject.clone(),
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    let signature: DerSignature = issuer_key.sign(&tbs.to_der().unwrap());
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: sig_alg,
        signature: der::asn1::BitString::from_bytes(signature.as_bytes()).unwrap(),
    }
    .to_der()
    .unwrap()
}

pub fn pem(der: &[u8]) -> String {
    der::pem::encode_string("CERTIFICATE", LineEnding::LF, der).unwrap()
}

/// One generated file: its path under `fixtures/pki/` and its contents.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every file of the test PKI.
pub fn generate() -> Vec<File> {
    let mut files = Vec::new();
    let mut out = |path: &str, bytes: Vec<u8>| {
        files.push(File {
            path: path.to_owned(),
            bytes,
        })
    };

    let root_name = Name::from_str("CN=revoscope Test Root,O=revoscope test PKI").unwrap();
    let root_key = key("root");
    let mut root = Spec::new("CN=revoscope Test Root,O=revoscope test PKI", &root_name, 1);
    root.is_ca = true;
    root.ocsp_url = None;
    root.not_before = CA_NOT_BEFORE;
    root.not_after = CA_NOT_BEFORE + 3652 * DAY;
    let root_der = issue(&root, &root_key, &root_key);

    let ca = |label: &str, cn: &str, serial: u64| {
        let mut s = Spec::new(&format!("CN={cn},O=revoscope test PKI"), &root_name, serial);
        s.is_ca = true;
        s.ocsp_url = None;
        s.not_before = CA_NOT_BEFORE;
        s.not_after = CA_NOT_BEFORE + 3652 * DAY;
        s.ca_issuers_url = Some(format!("{CA_ISSUERS_BASE}root.der"));
        (label.to_owned(), s, key(label))
    };
    let cas = [
        ca("int-good", "revoscope Test Intermediate", 0x1001),
        ca(
            "int-revoked-serial",
            "revoscope Test Intermediate Revoked By Serial",
            0x1002,
        ),
        ca(
            "int-revoked-key",
            "revoscope Test Intermediate Revoked By Key",
            0x1003,
        ),
    ];
    let mut ca_ders = Vec::new();
    for (label, spec, k) in &cas {
        ca_ders.push((label.clone(), spec.clone(), issue(spec, k, &root_key)));
    }

    out("root.pem", pem(&root_der).into_bytes());
    out("root.key.pem", key_pem(&root_key));
    for ((label, _, k), (_, _, der)) in cas.iter().zip(&ca_ders) {
        out(&format!("{label}.pem"), pem(der).into_bytes());
        out(&format!("{label}.key.pem"), key_pem(k));
    }

    struct Leaf {
        label: &'static str,
        issuer: usize,
        lifetime: u64,
        must_staple: bool,
        ocsp: bool,
        scts: bool,
        about: &'static str,
    }
    let leaves = [
        Leaf {
            label: "leaf-90d",
            issuer: 0,
            lifetime: 90 * DAY,
            must_staple: false,
            ocsp: true,
            scts: true,
            about: "90-day leaf with OCSP, CRL and two embedded SCTs: live OCSP decides",
        },
        Leaf {
            label: "leaf-6d",
            issuer: 0,
            lifetime: 6 * DAY,
            must_staple: false,
            ocsp: true,
            scts: false,
            about: "6-day leaf: exempt as short-lived",
        },
        Leaf {
            label: "leaf-10d",
            issuer: 0,
            lifetime: 10 * DAY,
            must_staple: false,
            ocsp: true,
            scts: false,
            about: "exactly 10 days (864000 s): not under the threshold, so not exempt",
        },
        Leaf {
            label: "leaf-must-staple",
            issuer: 0,
            lifetime: 90 * DAY,
            must_staple: true,
            ocsp: true,
            scts: false,
            about: "90-day leaf with TLS Feature status_request (must-staple)",
        },
        Leaf {
            label: "leaf-no-aia",
            issuer: 0,
            lifetime: 90 * DAY,
            must_staple: false,
            ocsp: false,
            scts: false,
            about: "90-day leaf naming no OCSP responder: no revocation info",
        },
        Leaf {
            label: "leaf-under-revoked-serial",
            issuer: 1,
            lifetime: 90 * DAY,
            must_staple: false,
            ocsp: true,
            scts: false,
            about: "leaf under an intermediate listed in OneCRL by issuer+serial",
        },
        Leaf {
            label: "leaf-under-revoked-key",
            issuer: 2,
            lifetime: 90 * DAY,
            must_staple: false,
            ocsp: true,
            scts: false,
            about: "leaf under an intermediate listed in OneCRL by subject+pubKeyHash",
        },
    ];
    let mut readme = String::from(
        "# Test PKI\n\nGenerated by `cargo run -p revoscope --example make_test_pki` (deterministic: keys are derived \
         from fixed labels and ECDSA signing is RFC 6979, so a rerun writes the same bytes; a test checks that). \
         The keys are public test material.\n\n| chain (`chains/`) | scenario |\n|---|---|\n",
    );
    for (serial, leaf) in (0x2001u64..).zip(&leaves) {
        let (issuer_label, issuer_spec, issuer_der) = &ca_ders[leaf.issuer];
        let mut spec = Spec::new(
            &format!("CN={}.revoscope.test", leaf.label),
            &issuer_spec.subject,
            serial,
        );
        spec.not_after = spec.not_before + leaf.lifetime;
        spec.must_staple = leaf.must_staple;
        if !leaf.ocsp {
            spec.ocsp_url = None;
        }
        spec.ca_issuers_url = Some(format!("{CA_ISSUERS_BASE}{issuer_label}.der"));
        spec.crl_url = leaf
            .scts
            .then(|| "http://127.0.0.1:8889/int-good.crl".to_owned());
        spec.dns_names = vec![format!("{}.revoscope.test", leaf.label), "localhost".into()];
        if leaf.scts {
            spec.scts = vec![
                (0xA1, LEAF_NOT_BEFORE * 1000 + 1),
                (0xB2, LEAF_NOT_BEFORE * 1000 + 2),
            ];
        }
        let k = key(leaf.label);
        let der = issue(&spec, &k, &cas[leaf.issuer].2);
        out(&format!("{}.pem", leaf.label), pem(&der).into_bytes());
        out(&format!("{}.key.pem", leaf.label), key_pem(&k));
        let chain = [pem(&der), pem(issuer_der), pem(&root_der)].concat();
        out(&format!("chains/{}.pem", leaf.label), chain.into_bytes());
        readme.push_str(&format!("| `{}.pem` | {} |\n", leaf.label, leaf.about));
    }

    // An intermediate carrying the issuer Name and serial of a real OneCRL
    // record (the first enabled issuer+serial record x509-cert re-encodes
    // byte for byte), so the bundled snapshot revokes it.
    let (real_id, real_issuer, real_serial) = first_real_record();
    let mut carrier = Spec::new(
        "CN=revoscope Test Intermediate Carrying A Real OneCRL Entry,O=revoscope test PKI",
        &root_name,
        1,
    );
    carrier.issuer_der = real_issuer;
    carrier.serial = real_serial;
    carrier.is_ca = true;
    carrier.ocsp_url = None;
    carrier.not_before = CA_NOT_BEFORE;
    carrier.not_after = CA_NOT_BEFORE + 3652 * DAY;
    let carrier_key = key("int-real-onecrl");
    let carrier_der = issue(&carrier, &carrier_key, &root_key);
    let mut leaf = Spec::new(
        "CN=leaf-under-real-onecrl-entry.revoscope.test",
        &carrier.subject,
        0x2100,
    );
    leaf.dns_names = vec![
        "leaf-under-real-onecrl-entry.revoscope.test".into(),
        "localhost".into(),
    ];
    let leaf_der = issue(&leaf, &key("leaf-under-real-onecrl-entry"), &carrier_key);
    out(
        "chains/leaf-under-real-onecrl-entry.pem",
        [pem(&leaf_der), pem(&carrier_der)].concat().into_bytes(),
    );
    readme.push_str(&format!(
        "| `leaf-under-real-onecrl-entry.pem` | leaf under an intermediate that carries the issuer and serial of the real \
         OneCRL record `{real_id}` (no root: that issuer is a real CA) |\n"
    ));

    // A test OneCRL snapshot listing the two revoked intermediates, one in
    // each record kind, in the dump shape Firefox ships.
    let by_key = &ca_ders[2].2;
    let record_is = serde_json::json!({
        "id": "test-revoked-by-serial",
        "issuerName": BASE64.encode(root_name.to_der().unwrap()),
        "serialNumber": BASE64.encode(&ca_ders[1].1.serial),
        "details": {"bug": "https://example.invalid/revoscope-test/1", "why": "test: listed by issuer and serial"},
        "enabled": true,
        "last_modified": 1_793_500_000_000u64,
    });
    let by_key_cert = Certificate::from_der(by_key).unwrap();
    let spki_der = by_key_cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    let record_spk = serde_json::json!({
        "id": "test-revoked-by-key",
        "subject": BASE64.encode(by_key_cert.tbs_certificate.subject.to_der().unwrap()),
        "pubKeyHash": BASE64.encode(Sha256::digest(&spki_der)),
        "details": {"bug": "https://example.invalid/revoscope-test/2", "why": "test: listed by subject and key"},
        "enabled": false,
        "last_modified": 1_793_500_000_001u64,
    });
    let snapshot =
        serde_json::json!({"data": [record_is, record_spk], "timestamp": 1_793_500_000_001u64});
    out(
        "onecrl-test.json",
        format!("{}\n", serde_json::to_string_pretty(&snapshot).unwrap()).into_bytes(),
    );
    readme.push_str(
        "\nEach chain is leaf, intermediate, root. `onecrl-test.json` is a OneCRL dump that lists \
         `int-revoked-serial.pem` by issuer+serial and `int-revoked-key.pem` by subject+pubKeyHash \
         (the latter with `\"enabled\": false`, which still revokes, as in Firefox). The leaves' OCSP \
         responder is `http://127.0.0.1:8888/`.\n",
    );
    out("README.md", readme.into_bytes());
    files
}

/// The first enabled issuer+serial record of the bundled real snapshot that
/// x509-cert can carry exactly: (id, issuer Name DER, serial octets).
pub fn first_real_record() -> (String, Vec<u8>, Vec<u8>) {
    let real: serde_json::Value =
        serde_json::from_slice(include_bytes!("../../../../fixtures/onecrl/onecrl.json")).unwrap();
    for r in real["data"].as_array().unwrap() {
        let (Some(issuer), Some(serial)) = (r["issuerName"].as_str(), r["serialNumber"].as_str())
        else {
            continue;
        };
        if r["enabled"] == false {
            continue;
        }
        let (issuer, serial) = (
            BASE64.decode(issuer).unwrap(),
            BASE64.decode(serial).unwrap(),
        );
        let round_trips = Name::from_der(&issuer)
            .ok()
            .and_then(|n| n.to_der().ok())
            .as_deref()
            == Some(&issuer[..]);
        if round_trips && encodable_serial(&serial) {
            return (r["id"].as_str().unwrap().to_owned(), issuer, serial);
        }
    }
    panic!("no usable record in the real snapshot");
}

/// A key as PKCS#8 PEM.
pub fn key_pem(k: &SigningKey) -> Vec<u8> {
    let secret = p256::SecretKey::from(k);
    secret
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap()
        .as_bytes()
        .to_vec()
}
