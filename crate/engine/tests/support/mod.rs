//! Shared by the integration tests: the fixtures, compiled in so that the
//! same tests run natively and on wasm32 (where there is no file system).
#![allow(dead_code)]

pub mod crl_build;
#[cfg(not(target_arch = "wasm32"))]
pub mod crlite;
pub mod crlset_build;
pub mod der_build;
pub mod pki;
pub mod vectors;

use revoscope::remote_settings::content_signature::ONECRL_SIGNER;
use revoscope::remote_settings::Trust;
use revoscope::{Policy, Snapshot, UnixTime};

pub const REAL_ONECRL: &[u8] = include_bytes!("../../../../fixtures/onecrl/onecrl.json");
pub const TEST_ONECRL: &[u8] = include_bytes!("../../../../fixtures/pki/onecrl-test.json");

/// The SHA-256 of the Remote Settings test root (fixtures/remote-settings/README.md).
pub const TEST_ROOT: &str = "e836f62354cee7ff377661b8ab324d55e13f941f3aff0f61a9946c94407ae6c2";

/// The test signers' trust: the test root, the OneCRL signer's name.
pub fn test_trust() -> Trust {
    let root = revoscope::hex::decode(TEST_ROOT).expect("hex");
    Trust {
        roots: vec![root.try_into().expect("32 bytes")],
        signer_name: ONECRL_SIGNER.into(),
    }
}

macro_rules! chain_files {
    ($($name:ident => $file:literal),+ $(,)?) => {
        $(pub const $name: &[u8] = include_bytes!(concat!("../../../../fixtures/pki/chains/", $file));)+
    };
}
chain_files! {
    LEAF_90D => "leaf-90d.pem",
    LEAF_6D => "leaf-6d.pem",
    LEAF_10D => "leaf-10d.pem",
    LEAF_MUST_STAPLE => "leaf-must-staple.pem",
    LEAF_NO_AIA => "leaf-no-aia.pem",
    UNDER_REVOKED_SERIAL => "leaf-under-revoked-serial.pem",
    UNDER_REVOKED_KEY => "leaf-under-revoked-key.pem",
}

/// 2026-11-21T12:00:00Z, inside every test leaf's validity.
pub const NOW: UnixTime = UnixTime(1_795_262_400);

pub fn chain(pem: &[u8]) -> Vec<Vec<u8>> {
    revoscope::pem::read_certificates(pem).expect("fixture chain parses")
}

pub fn test_snapshot() -> Snapshot {
    Snapshot::from_json(TEST_ONECRL).expect("test snapshot loads")
}

pub fn real_snapshot() -> Snapshot {
    Snapshot::from_json(REAL_ONECRL).expect("real snapshot loads")
}

/// An evaluation at NOW with no staple, no cache, no live answer and a
/// private root: the plain case most tests start from.
pub fn plain_input<'a>(
    chain: &'a [Vec<u8>],
    policy: &'a Policy,
    snapshot: &'a Snapshot,
) -> revoscope::Input<'a> {
    revoscope::Input {
        chain,
        stapled_ocsp: None,
        staple_hidden: false,
        time: NOW,
        policy,
        onecrl: snapshot,
        root_is_built_in: false,
        crlite: None,
        crlset: None,
        ocsp_cache: None,
        crls: None,
        live_ocsp: None,
        issuer_fetch: None,
        verifier: &revoscope::verify::RustCrypto,
    }
}

/// The path of a file under fixtures/ (native tests that run programs).
pub fn fixture_path(path: &str) -> String {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

pub fn policy(name: &str) -> Policy {
    Policy::preset(name).expect("preset")
}

/// An OCSP response from fixtures/ocsp (made by scripts/make-ocsp-fixtures.sh).
#[macro_export]
macro_rules! ocsp_fixture {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/ocsp/", $file)).as_slice()
    };
}

/// A certificate from fixtures/pki or fixtures/ocsp, parsed.
#[macro_export]
macro_rules! pki_cert {
    ($path:literal) => {
        revoscope::Cert::from_der(
            &revoscope::pem::read_certificates(include_bytes!(concat!(
                "../../../fixtures/",
                $path
            )))
            .expect("fixture PEM")[0],
        )
        .expect("fixture certificate")
    };
}

/// The producedAt of an OCSP response, read with x509-ocsp: the fixture
/// responses are made at the real time, so tests evaluate relative to it.
pub fn produced_at(response: &[u8]) -> UnixTime {
    use der::Decode;
    let response = x509_ocsp::OcspResponse::from_der(response).expect("fixture response");
    let bytes = response.response_bytes.expect("a successful response");
    let basic =
        x509_ocsp::BasicOcspResponse::from_der(bytes.response.as_bytes()).expect("basic response");
    UnixTime(
        basic
            .tbs_response_data
            .produced_at
            .0
            .to_unix_duration()
            .as_secs(),
    )
}
