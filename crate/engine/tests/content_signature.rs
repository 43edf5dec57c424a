//! Content signatures on real Mozilla data: Autograph signatures with their
//! x5u chains as published (fixtures/remote-settings/real/README.md says
//! where each comes from), then the test signer's collections.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use revoscope::remote_settings::content_signature::{self, fingerprint, ONECRL_SIGNER};
use revoscope::remote_settings::sync::{mozilla_onecrl_trust, MOZILLA_ROOTS};
use revoscope::remote_settings::{Changeset, Collection, ContentSignatureError as E, Trust};
use revoscope::verify::ledger::settle_now;
use revoscope::verify::RustCrypto;
use revoscope::UnixTime;

macro_rules! real {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/remote-settings/real/", $file))
    };
}

const STAGE_CHAIN: &[u8] = real!("rc_crypto_stage_2021/chain.pem");
const STAGE_INPUT: &[u8] = real!("rc_crypto_stage_2021/input.bin");
const STAGE_SIGNATURE: &[u8] = real!("rc_crypto_stage_2021/signature.b64url");
/// SHA-256 of Mozilla's staging root `test.addons.signing.root.ca`
/// (application-services rc_crypto contentsignature.rs, `ROOT_HASH`).
const STAGE_ROOT: &str = "3c01446abe9036cea9a09acaa3a520ac628f20a7ae32ce861cb2efb70fa0c745";
/// Inside the staging signer's validity, as application-services tests it.
const STAGE_TIME: UnixTime = UnixTime(1_615_559_719);

const AUS_CHAIN: &[u8] = real!("vpn_balrog_aus_2023/chain.pem");
const AUS_DATA: &[u8] = real!("vpn_balrog_aus_2023/data.json");
const AUS_SIGNATURE: &[u8] = real!("vpn_balrog_aus_2023/signature.b64url");
const AUS_TIME: UnixTime = UnixTime(1_696_272_799);

const AUS_2026_CHAIN: &[u8] = real!("vpn_balrog_aus_2026/chain.pem");
const MOZILLA_ROOT_2024: &[u8] = real!("mozilla-content-signature-root-2024.pem");

fn hash(hex: &str) -> [u8; 32] {
    revoscope::hex::decode(hex).unwrap().try_into().unwrap()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap().trim()
}

fn stage_trust() -> Trust {
    Trust {
        roots: vec![hash(STAGE_ROOT)],
        signer_name: "remote-settings.content-signature.mozilla.org".into(),
    }
}

fn aus_trust() -> Trust {
    Trust {
        signer_name: "aus.content-signature.mozilla.org".into(),
        ..mozilla_onecrl_trust()
    }
}

#[test]
fn the_pinned_mozilla_root_is_the_published_one() {
    let der = &revoscope::pem::read_certificates(MOZILLA_ROOT_2024).unwrap()[0];
    assert_eq!(hash(&fingerprint(der)), MOZILLA_ROOTS[0]);
}

#[test]
fn a_real_remote_settings_signature_verifies() {
    // The staging server's signature of an empty collection: rebuild the
    // signed bytes from the changeset, as a sync does.
    let changeset = Changeset::from_json(
        br#"{"changes": [], "timestamp": 1603992731957, "metadata": {"signature": {"signature": "x", "x5u": "u"}}}"#,
    )
    .unwrap();
    let collection = Collection::apply(None, &changeset).unwrap();
    let signed = collection.signed_bytes();
    assert_eq!([content_signature::PREFIX, &signed].concat(), STAGE_INPUT);
    let signer = content_signature::verify(
        &signed,
        text(STAGE_SIGNATURE),
        STAGE_CHAIN,
        &stage_trust(),
        STAGE_TIME,
        None,
        &RustCrypto,
    )
    .unwrap();
    assert_eq!(signer.root_sha256, STAGE_ROOT);
    assert_eq!(signer.path.len(), 3);
    assert!(signer
        .subject
        .contains("remote-settings.content-signature.mozilla.org"));
}

#[test]
fn a_real_production_signature_verifies_under_mozillas_old_root() {
    let signer = content_signature::verify(
        AUS_DATA,
        &format!("p384ecdsa={}", text(AUS_SIGNATURE)),
        AUS_CHAIN,
        &aus_trust(),
        AUS_TIME,
        None,
        &RustCrypto,
    )
    .unwrap();
    assert_eq!(hash(&signer.root_sha256), MOZILLA_ROOTS[1]);
}

#[test]
fn the_same_signature_through_the_ledger_protocol() {
    let run = |ledger: &revoscope::verify::ledger::Ledger| {
        content_signature::verify(
            AUS_DATA,
            text(AUS_SIGNATURE),
            AUS_CHAIN,
            &aus_trust(),
            AUS_TIME,
            None,
            ledger,
        )
    };
    assert!(settle_now(run, &RustCrypto).is_ok());
}

#[test]
fn one_changed_byte_fails() {
    let mut data = AUS_DATA.to_vec();
    data[10] ^= 1;
    let err = content_signature::verify(
        &data,
        text(AUS_SIGNATURE),
        AUS_CHAIN,
        &aus_trust(),
        AUS_TIME,
        None,
        &RustCrypto,
    )
    .unwrap_err();
    assert_eq!(err, E::BadSignature);
}

#[test]
fn real_chains_fail_on_time_name_and_root() {
    let verify = |trust: &Trust, time: UnixTime| {
        content_signature::verify(
            AUS_DATA,
            text(AUS_SIGNATURE),
            AUS_CHAIN,
            trust,
            time,
            None,
            &RustCrypto,
        )
    };
    // After the signer's notAfter (2023-11-18).
    assert!(matches!(
        verify(&aus_trust(), UnixTime(1_710_000_000)),
        Err(E::CertExpired { .. })
    ));
    // Mozilla's signer, asked to be OneCRL's.
    assert!(matches!(
        verify(&mozilla_onecrl_trust(), AUS_TIME),
        Err(E::SignerNameMismatch { expected, found }) if expected == ONECRL_SIGNER
            && found == ["aus.content-signature.mozilla.org"]
    ));
    // A production chain where only the staging root is pinned.
    let staging = Trust {
        signer_name: "aus.content-signature.mozilla.org".into(),
        ..stage_trust()
    };
    assert!(matches!(
        verify(&staging, AUS_TIME),
        Err(E::UntrustedRoot { .. })
    ));
}

#[test]
fn a_2026_production_chain_reaches_the_2024_root() {
    // No published signature goes with this chain: a path to the new root,
    // then a refused signature, shows every chain check passed.
    let err = content_signature::verify(
        b"{}",
        text(AUS_SIGNATURE),
        AUS_2026_CHAIN,
        &aus_trust(),
        UnixTime(1_785_000_000),
        None,
        &RustCrypto,
    )
    .unwrap_err();
    assert_eq!(err, E::BadSignature);
}

#[test]
fn a_chain_missing_its_intermediate_names_the_gap() {
    let certs = revoscope::pem::read_certificates(AUS_CHAIN).unwrap();
    let pem: String = [&certs[0], &certs[2]]
        .iter()
        .map(|der| support::pki::pem(der))
        .collect();
    let err = content_signature::verify(
        AUS_DATA,
        text(AUS_SIGNATURE),
        pem.as_bytes(),
        &aus_trust(),
        AUS_TIME,
        None,
        &RustCrypto,
    )
    .unwrap_err();
    assert!(matches!(err, E::IssuerNotFound { .. }), "{err}");
}

#[test]
fn a_signer_revoked_by_onecrl_is_refused() {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine as _;
    let certs = revoscope::pem::read_certificates(AUS_CHAIN).unwrap();
    let intermediate = revoscope::Cert::from_der(&certs[1]).unwrap();
    let onecrl = revoscope::Snapshot::from_json(
        format!(
            r#"{{"data": [{{"id": "r1", "issuerName": "{}", "serialNumber": "{}"}}], "timestamp": 1}}"#,
            BASE64.encode(&intermediate.issuer_der),
            BASE64.encode(&intermediate.serial)
        )
        .as_bytes(),
    )
    .unwrap();
    let err = content_signature::verify(
        AUS_DATA,
        text(AUS_SIGNATURE),
        AUS_CHAIN,
        &aus_trust(),
        AUS_TIME,
        Some(&onecrl),
        &RustCrypto,
    )
    .unwrap_err();
    assert!(
        matches!(err, E::CertRevoked { ref record, .. } if record == "r1"),
        "{err}"
    );
}

#[test]
fn garbage_chains_fail_precisely() {
    let verify = |pem: &[u8]| {
        content_signature::verify(
            AUS_DATA,
            text(AUS_SIGNATURE),
            pem,
            &aus_trust(),
            AUS_TIME,
            None,
            &RustCrypto,
        )
    };
    assert!(matches!(verify(b""), Err(E::ChainUnreadable(_))));
    assert!(matches!(
        verify(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
        Err(E::ChainUnreadable(_) | E::ChainCertificate { .. })
    ));
    let certs = revoscope::pem::read_certificates(AUS_CHAIN).unwrap();
    // The intermediate offered as the signer.
    let pem: String = certs[1..]
        .iter()
        .map(|der| support::pki::pem(der))
        .collect();
    assert!(matches!(verify(pem.as_bytes()), Err(E::SignerIsCa { .. })));
}
