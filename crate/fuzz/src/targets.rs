//! The bodies of the fuzz targets, one function per target, each taking the
//! fuzzer's bytes. Shared by the cargo-fuzz binaries (`fuzz_targets/`) and
//! the regression test (`crate/engine/tests/fuzz_regressions.rs`), which replays
//! every committed finding through the same function.
//!
//! Beyond "no panic, no hang", each target asserts what must hold for any
//! input it reaches: two readings of the same bytes agree, a round trip
//! gives back what went in, and nothing untrusted decides by accident.

use std::sync::OnceLock;

use revoscope::crl::{self, CrlAnswer, CrlError, CrlList, CrlSummary};
use revoscope::crlite::filter::FilterMeta;
use revoscope::crlite::{Filter, FilterKind, FilterSet};
use revoscope::crlset::{ChainAnswer, CrlSet, CrlSetResult, Interception};
use revoscope::crx3::{self, Crx3Expectation, VerifiedCrx3};
use revoscope::limits::{MAX_CRLSET_LEN, MAX_CRLSET_PARENTS};
use revoscope::ocsp::exchange::FetchOutcome;
use revoscope::ocsp::response::{self, DEFAULT_MAX_LIFETIME_DAYS};
use revoscope::ocsp::{self, OcspError, ResponseSummary};
use revoscope::remote_settings::content_signature::{self, ONECRL_SIGNER};
use revoscope::remote_settings::{Changeset, Collection, Trust};
use revoscope::sct::Sct;
use revoscope::telemetry::report::Report;
use revoscope::verify::{Check, RustCrypto, SignatureError, SignatureVerifier};
use revoscope::{evaluate, Cert, Input, Policy, Snapshot, UnixTime};

/// Separates the parts of an input that carries several (a chain and a
/// staple, a PEM chain and a signature and data). Seeds use it; the
/// fuzzer finds it by mutation and by its comparison tracing.
pub const SEPARATOR: &[u8] = b"\n--revoscope-fuzz--\n";

/// Splits `data` at each [`SEPARATOR`].
pub fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        out.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    out.push(rest);
    out
}

macro_rules! fixture {
    ($path:literal) => {
        include_bytes!(concat!("../../../fixtures/", $path)).as_slice()
    };
}

/// The test PKI's chains (fixtures/pki/chains), leaf first.
pub const CHAINS: &[&[u8]] = &[
    fixture!("pki/chains/leaf-90d.pem"),
    fixture!("pki/chains/leaf-10d.pem"),
    fixture!("pki/chains/leaf-6d.pem"),
    fixture!("pki/chains/leaf-must-staple.pem"),
    fixture!("pki/chains/leaf-no-aia.pem"),
    fixture!("pki/chains/leaf-under-revoked-key.pem"),
    fixture!("pki/chains/leaf-under-revoked-serial.pem"),
    fixture!("pki/chains/leaf-under-real-onecrl-entry.pem"),
];

/// The policies the ladder target chooses among.
const POLICIES: &[&str] = &["mozilla-plan", "hard-fail", "firefox-today"];

fn der_chain(pem: &[u8]) -> Vec<Vec<u8>> {
    revoscope::pem::read_certificates(pem).expect("fixture chain")
}

/// Each fixture chain's leaf and issuer.
fn test_pairs() -> &'static [(Cert, Cert)] {
    static PAIRS: OnceLock<Vec<(Cert, Cert)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        CHAINS
            .iter()
            .map(|pem| {
                let chain = der_chain(pem);
                (
                    Cert::from_der(&chain[0]).expect("fixture leaf"),
                    Cert::from_der(&chain[1]).expect("fixture issuer"),
                )
            })
            .collect()
    })
}

/// The time the OCSP fixtures were made: they are remade with the real
/// clock (scripts/make-ocsp-fixtures.sh), so the targets work relative to it.
pub fn ocsp_fixture_time() -> UnixTime {
    static TIME: OnceLock<UnixTime> = OnceLock::new();
    *TIME.get_or_init(|| {
        use der::Decode;
        let response = x509_ocsp::OcspResponse::from_der(fixture!("ocsp/good.der")).unwrap();
        let bytes = response.response_bytes.unwrap();
        let basic = x509_ocsp::BasicOcspResponse::from_der(bytes.response.as_bytes()).unwrap();
        let at = basic
            .tbs_response_data
            .produced_at
            .0
            .to_unix_duration()
            .as_secs();
        UnixTime(at + 60)
    })
}

/// Accepts every signature. Only for reaching the checks that come after
/// the signature (CertID matching, times, statuses) with mutated
/// responses, which no real signature would cover; never a verdict.
#[derive(Debug)]
struct AcceptAnySignature;

impl SignatureVerifier for AcceptAnySignature {
    fn check(&self, _: &Check<'_>) -> Result<(), SignatureError> {
        Ok(())
    }
}

/// Certificate facts from DER. The light reading an OCSP request is built
/// from must agree with the full one.
pub fn cert_der(data: &[u8]) {
    let Ok(cert) = Cert::from_der(data) else {
        return;
    };
    let _ = (
        cert.spki.sha256(),
        cert.public_key_sha1(),
        cert.lifetime_secs(),
    );
    let _ = (cert.serial_hex(), cert.is_self_issued(), cert.must_staple());
    let parts = revoscope::cert::RequestParts::from_der(data)
        .expect("a certificate Cert::from_der reads has request parts");
    assert_eq!(parts.serial, cert.serial.as_slice());
    assert_eq!(parts.issuer_der, cert.issuer_der.as_slice());
    assert_eq!(parts.public_key, cert.public_key.as_slice());
}

/// OneCRL loading: the first byte chooses the reader (a snapshot, a
/// collection dump, a changeset applied with and without a base).
pub fn onecrl(data: &[u8]) {
    let Some((&kind, json)) = data.split_first() else {
        return;
    };
    match kind % 3 {
        0 => {
            if let Ok(snapshot) = Snapshot::from_json(json) {
                let _ = snapshot.stats();
                for (leaf, issuer) in test_pairs() {
                    let _ = (snapshot.lookup(leaf), snapshot.lookup(issuer));
                }
            }
        }
        1 => {
            if let Ok(collection) = Collection::from_dump_json(json) {
                round_trip(&collection);
            }
        }
        _ => {
            let Ok(changeset) = Changeset::from_json(json) else {
                return;
            };
            if let Ok(collection) = Collection::apply(None, &changeset) {
                round_trip(&collection);
                let _ = collection.signed_bytes();
            }
            let base = base_collection();
            if let Ok(collection) = Collection::apply(Some(base), &changeset) {
                assert!(
                    changeset.timestamp >= base.timestamp,
                    "a rollback was applied"
                );
                round_trip(&collection);
            }
        }
    }
}

fn base_collection() -> &'static Collection {
    static BASE: OnceLock<Collection> = OnceLock::new();
    BASE.get_or_init(|| {
        let changeset = Changeset::from_json(fixture!("remote-settings/v1.changeset.json"))
            .expect("fixture changeset");
        Collection::apply(None, &changeset).expect("fixture collection")
    })
}

/// What the sync stores must read back as what it stored, and a stored
/// OneCRL collection becomes a snapshot or a precise error.
fn round_trip(collection: &Collection) {
    let dump = collection.to_dump_json();
    let again = Collection::from_dump_json(dump.as_bytes()).expect("a stored dump reads back");
    assert_eq!(&again, collection);
    let _ = Snapshot::from_json(dump.as_bytes());
}

/// OCSP response validation for a fixed (certificate, issuer) pair.
/// Checked twice: with real signatures, and with any signature accepted to
/// reach the later checks. A response the real check accepts must give the
/// same answer when signatures are not checked: nothing else may differ.
/// The parse-only reading (`ocsp::read`) of the same bytes must agree with
/// both.
pub fn ocsp_response(data: &[u8]) {
    // leaf-90d and its intermediate: the pair the OCSP fixtures answer for.
    let (leaf, issuer) = &test_pairs()[0];
    let time = ocsp_fixture_time();
    let checked = response::validate(
        data,
        leaf,
        issuer,
        time,
        DEFAULT_MAX_LIFETIME_DAYS,
        &RustCrypto,
    );
    let unchecked = response::validate(
        data,
        leaf,
        issuer,
        time,
        DEFAULT_MAX_LIFETIME_DAYS,
        &AcceptAnySignature,
    );
    // The parse-only reading refuses what validation refuses before it
    // looks at the signature, with the same error; an error status is the
    // same status; an accepted answer is one of those the reading gives.
    match (ocsp::read(data), &unchecked) {
        (Err(e), validated) => assert_eq!(validated.as_ref().err(), Some(&e)),
        (Ok(ResponseSummary::Unsuccessful { status }), validated) => {
            assert_eq!(
                validated.as_ref().err(),
                Some(&OcspError::ResponderStatus(status))
            );
        }
        (Ok(ResponseSummary::Successful(read)), Ok(valid)) => assert!(
            read.responses.iter().any(|s| s.cert_status == valid.answer
                && s.this_update == valid.this_update
                && s.next_update == valid.next_update),
            "validated {valid:?}, not among what was read: {read:?}"
        ),
        (Ok(ResponseSummary::Successful(_)), Err(_)) => {}
    }
    if let Ok(checked) = checked {
        let unchecked = unchecked.expect("accepted with signatures checked, refused without");
        assert_eq!(
            format!("{:?}", checked.answer),
            format!("{:?}", unchecked.answer)
        );
    }
}

/// The whole ladder. Byte 0: the chain (a fixture, or the input's own
/// DER parts) and flags; byte 1: the policy; bytes 2..6: the time, in
/// seconds from when the OCSP fixtures were made; bytes 6..8: the live
/// answer's HTTP status; the rest: the staple and the live answer's body,
/// also what the host fetched for a missing issuer (or the chain's DER
/// parts, then that body).
pub fn ladder(data: &[u8]) {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    let snapshot = SNAPSHOT.get_or_init(|| {
        Snapshot::from_json(fixture!("pki/onecrl-test.json")).expect("fixture snapshot")
    });
    if data.len() < 8 {
        return;
    }
    let (head, payload) = data.split_at(8);
    let flags = head[0];
    let policy = Policy::preset(POLICIES[usize::from(head[1]) % POLICIES.len()]).unwrap();
    let offset = i64::from(i32::from_le_bytes([head[2], head[3], head[4], head[5]]));
    let time = UnixTime(ocsp_fixture_time().0.saturating_add_signed(offset));
    let http_status = u16::from_le_bytes([head[6], head[7]]);

    let choice = usize::from(flags & 0x0f);
    let (chain, body): (Vec<Vec<u8>>, &[u8]) = if choice < CHAINS.len() {
        (der_chain(CHAINS[choice]), payload)
    } else {
        let mut pieces = parts(payload);
        let body = pieces.pop().unwrap_or_default();
        (pieces.into_iter().map(<[u8]>::to_vec).collect(), body)
    };
    let live = FetchOutcome::Response {
        http_status,
        body: body.to_vec(),
        elapsed_ms: 40,
    };
    let input = Input {
        chain: &chain,
        stapled_ocsp: (flags & 0x80 != 0).then_some(body),
        staple_hidden: flags & 0x20 != 0,
        time,
        policy: &policy,
        onecrl: snapshot,
        root_is_built_in: flags & 0x10 != 0,
        crlite: None,
        crlset: None,
        ocsp_cache: None,
        crls: None,
        live_ocsp: (flags & 0x40 != 0).then_some(&live),
        // The same body as the missing issuer's (DER or PKCS#7), for a
        // chain of one certificate that is not self-signed.
        issuer_fetch: (flags & 0x40 != 0).then_some(&live),
        verifier: &RustCrypto,
    };
    let first = evaluate(&input);
    let second = evaluate(&input);
    // The ladder is a pure function of its input.
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert_eq!(
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(b).unwrap()
        ),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("the same input gave a verdict once and an error once"),
    }
}

fn test_trust() -> Trust {
    use sha2::{Digest, Sha256};
    let root = der_chain(fixture!("remote-settings/root.pem")).remove(0);
    Trust {
        roots: vec![Sha256::digest(root).into()],
        signer_name: ONECRL_SIGNER.into(),
    }
}

/// Content-signature verification. Parts: the x5u chain (PEM), the
/// signature (base64url), the signed data; under the test signers' root
/// at a time inside their validity.
pub fn content_signature(data: &[u8]) {
    static TRUST: OnceLock<Trust> = OnceLock::new();
    let trust = TRUST.get_or_init(test_trust);
    let pieces = parts(data);
    let [chain, signature, signed] = pieces.as_slice() else {
        return;
    };
    let Ok(signature) = std::str::from_utf8(signature) else {
        return;
    };
    // Inside the test signers' validity (crate/engine/tests/support NOW).
    let now = UnixTime(1_795_262_400);
    let _ = content_signature::verify(signed, signature, chain, trust, now, None, &RustCrypto);
}

/// The collector's report reader. What it accepts writes back as JSON
/// that reads again as the same report.
pub fn report(data: &[u8]) {
    let Ok(report) = Report::from_json(data) else {
        return;
    };
    let json = report.to_json();
    let again = Report::from_json(json.as_bytes()).expect("a report written back reads again");
    assert_eq!(again.to_json(), json);
    assert_eq!(again.counts.vector(), report.counts.vector());
}

/// CRLite filter decoding. A filter that decodes answers every question,
/// and the set's index answers as asking clubcard filter by filter does.
pub fn crlite_filter(data: &[u8]) {
    let meta = FilterMeta {
        id: "fuzz".into(),
        kind: FilterKind::Full,
        effective_ms: 0,
        parent: None,
    };
    let Ok(filter) = Filter::from_bytes(meta, data) else {
        return;
    };
    let _ = (filter.enrolled_issuers(), filter.coverage());
    let Ok(set) = FilterSet::new(vec![filter], UnixTime(0)) else {
        return;
    };
    // The seeds cover the test log (CRLITE_LOG_ID) over these times.
    let tail = data.len().min(8);
    let mut t = [0u8; 8];
    t[..tail].copy_from_slice(&data[data.len() - tail..]);
    let probe = Sct {
        version: 0,
        log_id: CRLITE_LOG_ID,
        timestamp_ms: u64::from_le_bytes(t) % 4_000_000_000_000,
    };
    for (leaf, issuer) in test_pairs() {
        let mut scts = leaf.scts.clone();
        scts.push(probe.clone());
        let key = issuer.spki.sha256();
        assert_eq!(
            set.query(key, &leaf.serial, &scts),
            set.query_each(key, &leaf.serial, &scts)
        );
        let _ = set.lookup(leaf, issuer);
    }
}

/// The log the CRLite seeds cover (crate/engine/examples/make_fuzz_seeds.rs).
pub const CRLITE_LOG_ID: [u8; 32] = [0x5a; 32];

/// The CRL fixtures' leaves (fixtures/crl/chains: leaf, int-good, root),
/// one per scenario: serials 0x1001 to 0x1008, shard 1 or 2, a
/// distribution point with reasons, one with a cRLIssuer.
pub const CRL_CHAINS: &[&[u8]] = &[
    fixture!("crl/chains/leaf-crl-good.pem"),
    fixture!("crl/chains/leaf-crl-revoked.pem"),
    fixture!("crl/chains/leaf-crl-hold.pem"),
    fixture!("crl/chains/leaf-crl-removed.pem"),
    fixture!("crl/chains/leaf-crl-shard2.pem"),
    fixture!("crl/chains/leaf-crl-reasons.pem"),
    fixture!("crl/chains/leaf-crl-crlissuer.pem"),
    fixture!("crl/chains/leaf-crl-and-ocsp.pem"),
];

/// The CRL fixtures' time (fixtures/crl/expected.json `at`,
/// 2026-06-02T00:00:00Z): inside the valid fixture lists' window.
pub const CRL_FIXTURE_TIME: UnixTime = UnixTime(1_780_358_400);

/// int-good (fixtures/pki/int-good.pem), which signs the CRL fixtures, and
/// the CRL fixtures' leaves it issued.
fn crl_parties() -> &'static (Cert, Vec<Cert>) {
    static PARTIES: OnceLock<(Cert, Vec<Cert>)> = OnceLock::new();
    PARTIES.get_or_init(|| {
        let issuer =
            Cert::from_der(&der_chain(fixture!("pki/int-good.pem"))[0]).expect("fixture issuer");
        let leaves = CRL_CHAINS
            .iter()
            .map(|pem| Cert::from_der(&der_chain(pem)[0]).expect("fixture leaf"))
            .collect();
        (issuer, leaves)
    })
}

/// Whether `der`'s signatureValue verifies over its tbsCertList with
/// int-good's key, checked apart from the engine: its own DER walk, the
/// p256 crate called directly. A P-256 key: ECDSA with SHA-256, -384 or
/// -512 (the digest truncated to the curve, as X9.62 does).
pub fn crl_signed_by_int_good(der: &[u8]) -> bool {
    use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier};
    use der::{Decode, Reader, SliceReader};
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use sha2::{Digest, Sha256, Sha384, Sha512};
    let walk = || -> Result<(&[u8], ObjectIdentifier, BitStringRef<'_>), der::Error> {
        let outer = AnyRef::from_der(der)?;
        let mut r = SliceReader::new(outer.value())?;
        let tbs = r.tlv_bytes()?;
        let algorithm: AnyRef<'_> = r.decode()?;
        let oid: ObjectIdentifier = SliceReader::new(algorithm.value())?.decode()?;
        let signature: BitStringRef<'_> = r.decode()?;
        Ok((tbs, oid, signature))
    };
    let Ok((tbs, oid, signature)) = walk() else {
        return false;
    };
    let digest = match oid.to_string().as_str() {
        "1.2.840.10045.4.3.2" => Sha256::digest(tbs).to_vec(),
        "1.2.840.10045.4.3.3" => Sha384::digest(tbs).to_vec(),
        "1.2.840.10045.4.3.4" => Sha512::digest(tbs).to_vec(),
        _ => return false,
    };
    let (issuer, _) = crl_parties();
    let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&issuer.public_key) else {
        return false;
    };
    let Some(signature) = signature
        .as_bytes()
        .and_then(|bytes| p256::ecdsa::Signature::from_der(bytes).ok())
    else {
        return false;
    };
    key.verify_prehash(&digest, &signature).is_ok()
}

/// CRL reading and judging: the bytes read as a CRL of int-good
/// ([`CrlList::read`]), and, when they read, each CRL fixture leaf judged
/// against the list at [`CRL_FIXTURE_TIME`] ([`crl::judge`]).
pub fn crl(data: &[u8]) {
    let _ = crl_answers(data);
}

/// The `crl` target's body. Read twice: with real signatures, and with
/// any signature accepted to reach what comes after the signature check
/// (the entries are indexed only once it passed), which a mutated list
/// cannot otherwise reach. Returns the answers for [`CRL_CHAINS`] when the
/// list read with its signature checked.
///
/// Asserted: the two readings differ only by the signature (the same list,
/// or the same error, unless the checked one failed on its signature); a
/// list read with its signature checked, and so any answer given from it,
/// is signed by int-good by an independent check; an answer agrees with
/// the list's entry for the serial and with the list's dates; every list
/// read comes back from its stored form (`CrlList::to_bytes`) equal.
pub fn crl_answers(data: &[u8]) -> Option<Vec<Result<CrlAnswer, CrlError>>> {
    let (issuer, leaves) = crl_parties();
    let checked = CrlList::read(data, issuer, &RustCrypto);
    let unchecked = CrlList::read(data, issuer, &AcceptAnySignature);
    match (&checked, &unchecked) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(CrlError::Signature(_)), _) => {}
        (Err(a), Err(b)) => assert_eq!(a, b),
        (Ok(_), Err(e)) => panic!("read with its signature checked, refused without: {e}"),
        (Err(e), Ok(_)) => panic!("refused with its signature checked ({e}), read without"),
    }
    for read in [&checked, &unchecked] {
        match read {
            Ok(list) => {
                let _ = CrlSummary::of(list);
                assert_eq!(CrlList::from_bytes(&list.to_bytes()).as_ref(), Ok(list));
            }
            Err(e) => {
                let _ = (e.class(), e.to_string());
            }
        }
    }
    // What comes after the signature, over lists no real signature covers.
    if let Ok(list) = &unchecked {
        for leaf in leaves {
            let _ = judge(list, leaf, issuer);
        }
    }
    let list = checked.ok()?;
    assert!(
        crl_signed_by_int_good(data),
        "a CRL read with its signature checked does not verify independently"
    );
    Some(
        leaves
            .iter()
            .map(|leaf| judge(&list, leaf, issuer))
            .collect(),
    )
}

/// One leaf against a list, through its first HTTP distribution point, as
/// the ladder judges it; the answer checked against the list.
fn judge(list: &CrlList, leaf: &Cert, issuer: &Cert) -> Result<CrlAnswer, CrlError> {
    let (point, _) = crl::point_to_fetch(leaf).expect("the CRL fixture leaves name a CRL");
    let answer = crl::judge(list, leaf, issuer, point, CRL_FIXTURE_TIME);
    match &answer {
        Ok(CrlAnswer::Good {
            removed_from_crl: false,
        }) => assert_eq!(list.find(&leaf.serial), None),
        Ok(CrlAnswer::Good {
            removed_from_crl: true,
        }) => assert!(list.find(&leaf.serial).is_some()),
        Ok(CrlAnswer::Revoked {
            revocation_time, ..
        }) => {
            let listed = list.find(&leaf.serial).expect("revoked but not listed");
            assert_eq!(listed.revoked_at, *revocation_time);
        }
        Err(e) => {
            let _ = (e.class(), e.to_string());
        }
    }
    if answer.is_ok() {
        // Only a final revocation stands on a list out of date: never good.
        let final_revocation = matches!(answer, Ok(CrlAnswer::Revoked { on_hold: false, .. }));
        assert!(crl::check_time(list, CRL_FIXTURE_TIME).is_ok() || final_revocation);
        assert_eq!(list.issuer_der, leaf.issuer_der);
    }
    answer
}

/// Chromium's test chains (fixtures/crlset/chromium), leaf first: ok_cert
/// under the root, and the leaf under the intermediate under the root.
/// The rebuilt Chromium sets in fixtures/crlset name their keys, subjects
/// and serials.
pub const CRLSET_CHAINS: &[&[&[u8]]] = &[
    &[
        fixture!("crlset/chromium/ok_cert.pem"),
        fixture!("crlset/chromium/root_ca_cert.pem"),
    ],
    &[
        fixture!("crlset/chromium/ok_cert_by_intermediate.pem"),
        fixture!("crlset/chromium/root_ca_cert.pem"),
    ],
];

/// The time the `crlset` target's answers are given at: as the CRL's.
pub const CRLSET_FIXTURE_TIME: UnixTime = CRL_FIXTURE_TIME;

fn crlset_chains() -> &'static [Vec<Cert>] {
    static CHAINS: OnceLock<Vec<Vec<Cert>>> = OnceLock::new();
    CHAINS.get_or_init(|| {
        CRLSET_CHAINS
            .iter()
            .map(|pems| {
                pems.iter()
                    .flat_map(|pem| der_chain(pem))
                    .map(|der| Cert::from_der(&der).expect("a Chromium test certificate"))
                    .collect()
            })
            .collect()
    })
}

pub fn crlset(data: &[u8]) {
    let _ = crlset_answers(data);
}

/// The `crlset` target's body: `CrlSet::from_bytes`, then each of
/// [`CRLSET_CHAINS`] checked. Returns the answers at
/// [`CRLSET_FIXTURE_TIME`] when the set reads.
///
/// Asserted: reading is deterministic; the index holds what the info
/// counts, within the limits; every serial the set lists, encoded as a
/// certificate would encode it, is revoked under its parent, and a parent
/// the set lacks is unknown; each chain answer keeps Chromium's walk: the
/// chain is revoked exactly when a certificate is, at the top-most one;
/// good only for a good leaf and a fresh set; interception blocked only
/// with the chain revoked.
pub fn crlset_answers(data: &[u8]) -> Option<Vec<ChainAnswer>> {
    let set = match CrlSet::from_bytes(data) {
        Ok(set) => set,
        Err(e) => {
            let _ = (e.code(), e.to_string());
            assert_eq!(CrlSet::from_bytes(data).err(), Some(e));
            return None;
        }
    };
    assert_eq!(CrlSet::from_bytes(data).as_ref(), Ok(&set));
    let info = set.info();
    assert!(info.parents <= MAX_CRLSET_PARENTS);
    let mut serials = 0;
    let mut absent = [0u8; 32];
    for parent in set.parents() {
        if *parent == absent {
            absent[0] = absent[0].wrapping_add(1);
        }
        for serial in set.serials_of(parent).expect("a listed parent") {
            serials += 1;
            // What a certificate with that number encodes: a zero byte in
            // front of a top bit. Stored with a leading zero, or empty, a
            // serial matches no certificate.
            if serial.is_empty() || (serial.len() > 1 && serial[0] == 0) {
                continue;
            }
            let encoded = if serial[0] & 0x80 != 0 {
                [&[0u8][..], serial].concat()
            } else {
                serial.to_vec()
            };
            assert_eq!(set.check_serial(&encoded, parent), CrlSetResult::Revoked);
        }
    }
    assert_eq!(serials, info.serials);
    if set.serials_of(&absent).is_none() {
        assert_eq!(set.check_serial(&[1], &absent), CrlSetResult::Unknown);
    }
    let mut answers = Vec::new();
    for chain in crlset_chains() {
        let refs: Vec<&Cert> = chain.iter().collect();
        for time in [UnixTime(0), UnixTime(u64::MAX), CRLSET_FIXTURE_TIME] {
            let answer = set.check_chain(&refs, time);
            check_chain_answer(&set, &answer, time, refs.len());
            if time == CRLSET_FIXTURE_TIME {
                answers.push(answer);
            }
        }
    }
    Some(answers)
}

fn check_chain_answer(set: &CrlSet, answer: &ChainAnswer, time: UnixTime, len: usize) {
    assert_eq!(answer.certs.len(), len);
    assert_eq!(answer.expired, set.is_expired(time));
    let revoked: Vec<usize> = (0..len)
        .filter(|&i| answer.certs[i].status.result() == CrlSetResult::Revoked)
        .collect();
    assert_eq!(answer.revoked_at, revoked.last().copied());
    assert_eq!(
        answer.result == CrlSetResult::Revoked,
        answer.revoked_at.is_some()
    );
    if answer.result == CrlSetResult::Good {
        assert!(!answer.expired);
        assert_eq!(answer.certs[0].status.result(), CrlSetResult::Good);
    }
    let known = answer.certs.iter().any(|c| c.known_interception_key);
    match answer.interception {
        None => assert!(!known),
        Some(Interception::Blocked) => {
            assert!(known && answer.result == CrlSetResult::Revoked)
        }
        Some(Interception::Detected) => {
            assert!(known && answer.result != CrlSetResult::Revoked)
        }
    }
    let _ = serde_json::to_string(answer).expect("an answer serialises");
}

/// The `crx3` target: the input verified as a CRLSet package pinned to the
/// test key of fixtures/crx3 (its seeds are those packages), and, since no
/// mutation gets past a signature, read as a bare archive too, so that the
/// zip reader and the size bound are reached.
///
/// Asserted: verifying is deterministic; a package that verifies has the
/// test key's id; a `crl-set` read from an archive is within
/// `MAX_CRLSET_LEN`.
pub fn crx3(data: &[u8]) {
    use sha2::Digest;
    let expect = Crx3Expectation::for_key(
        sha2::Sha256::digest(fixture!("crx3/keys/test-rsa.spki.der")).into(),
    );
    let first = crx3::verify(data, &expect, &RustCrypto);
    assert_eq!(crx3::verify(data, &expect, &RustCrypto), first);
    match first {
        Ok(verified) => {
            assert_eq!(verified.crx_id, expect.component_id);
            if let Ok(bytes) = crx3::crlset_bytes(data, &expect, &RustCrypto) {
                let _ = crlset_answers(&bytes);
            }
        }
        Err(e) => {
            let _ = (e.code(), e.to_string());
        }
    }
    let bare = VerifiedCrx3 {
        crx_id: String::new(),
        rsa_proofs: 0,
        ecdsa_proofs: 0,
        archive: data,
    };
    match bare.file(crx3::CRLSET_FILE_NAME, MAX_CRLSET_LEN, "MAX_CRLSET_LEN") {
        Ok(bytes) => assert!(bytes.len() <= MAX_CRLSET_LEN),
        Err(e) => {
            let _ = (e.code(), e.to_string());
        }
    }
}
