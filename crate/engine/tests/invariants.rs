//! The engine's invariants as property tests, over the real fixtures and
//! inputs generated or mutated from them:
//!
//! 1. An OCSP response whose signed bytes or signature changed never
//!    decides: not validated directly, not stapled, not as a live answer.
//! 2. A response for another certificate or issuer, or used outside its
//!    validity window, never decides.
//! 3. OneCRL lookups are exact.
//! 4. A content-signed collection with a changed byte never verifies, and a
//!    collection older than the one in force is never applied.
//! 5. The ladder's verdict is a pure function of its inputs.
//! 6. A stored CRL list (`CrlList::to_bytes`) reads back only as written:
//!    changed bytes are refused or read as the same list, and bytes that
//!    read are the canonical form of what they read as.
//!
//! Native only (proptest); tests/vectors.rs holds the shared vector set that
//! checks native and wasm32 agree. A failing case prints its minimal input.
#![cfg(not(target_arch = "wasm32"))]

#[macro_use]
mod support;

use std::collections::HashMap;
use std::future::Future;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll, Waker};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use der::Decode;
use proptest::prelude::*;
use proptest::sample::Index;
use revoscope::crl::CrlList;
use revoscope::ocsp::response::DEFAULT_MAX_LIFETIME_DAYS;
use revoscope::ocsp::{self, Answer, FetchOutcome, OcspCache};
use revoscope::remote_settings::content_signature;
use revoscope::remote_settings::sync::{self, mozilla_onecrl_trust, HttpGet, SyncHost, Verified};
use revoscope::remote_settings::{Changeset, Collection, SignatureRef, SyncError, Trust};
use revoscope::verify::ledger::settle_now;
use revoscope::verify::{Check, RustCrypto, SignatureError, SignatureVerifier};
use revoscope::{evaluate, evaluate_cached, Cert, CertCache, Input, Policy, Snapshot};
use revoscope::{Status, Step, StepOutcome, UnixTime, Verdict};
use support::*;

const DAY: u64 = 86_400;

// ---------------------------------------------------------------------------
// Shared helpers.

/// RustCrypto with its results remembered. A result depends only on the
/// check's bytes, and the same checks (a chain's, an unchanged response's)
/// come back in every case: this keeps signature-heavy properties fast.
#[derive(Debug, Default)]
struct Memo(Mutex<HashMap<CheckBytes, Result<(), SignatureError>>>);

/// A check's algorithm and key kind, SPKI, message and signature.
type CheckBytes = (String, Vec<u8>, Vec<u8>, Vec<u8>);

impl SignatureVerifier for Memo {
    fn check(&self, check: &Check<'_>) -> Result<(), SignatureError> {
        let key = (
            format!("{:?} {:?}", check.algorithm, check.key),
            check.spki.to_vec(),
            check.message.to_vec(),
            check.signature.to_vec(),
        );
        if let Some(result) = self.0.lock().unwrap().get(&key) {
            return result.clone();
        }
        let result = RustCrypto.check(check);
        self.0.lock().unwrap().insert(key, result.clone());
        result
    }
}

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Memo::default)
}

fn test_onecrl() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(test_snapshot)
}

fn real_onecrl() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(real_snapshot)
}

/// `n` cases. A failure prints its minimal input; nothing is written to
/// disk (proptest cannot place its regressions file in this workspace).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Up to three bytes XORed with nonzero masks, at positions in a part
/// chosen later.
fn flips() -> impl Strategy<Value = Vec<(Index, u8)>> {
    prop::collection::vec((any::<Index>(), 1..=u8::MAX), 1..=3)
}

fn flip(bytes: &[u8], part: Range<usize>, flips: &[(Index, u8)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (at, mask) in flips {
        out[part.start + at.index(part.len())] ^= mask;
    }
    out
}

fn http_200(body: &[u8]) -> FetchOutcome {
    FetchOutcome::Response {
        http_status: 200,
        body: body.to_vec(),
        elapsed_ms: 12,
    }
}

fn cert(der: &[u8]) -> Cert {
    Cert::from_der(der).expect("fixture certificate")
}

fn pem_cert(pem: &[u8]) -> Vec<u8> {
    revoscope::pem::read_certificates(pem).expect("fixture PEM")[0].clone()
}

// ---------------------------------------------------------------------------
// 1 and 2: OCSP responses.

/// A validly signed fixture response and the chain (leaf, issuer, root) it
/// answers for.
struct Signed {
    name: &'static str,
    der: &'static [u8],
    chain: &'static [u8],
}

const SIGNED: &[Signed] = &[
    Signed {
        name: "good.der",
        der: ocsp_fixture!("good.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "good-by-key.der",
        der: ocsp_fixture!("good-by-key.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "good-sha256-certid.der",
        der: ocsp_fixture!("good-sha256-certid.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "good-no-next-update.der",
        der: ocsp_fixture!("good-no-next-update.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "good-long-next-update.der",
        der: ocsp_fixture!("good-long-next-update.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "revoked.der",
        der: ocsp_fixture!("revoked.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "unknown.der",
        der: ocsp_fixture!("unknown.der"),
        chain: LEAF_6D,
    },
    Signed {
        name: "must-staple-good.der",
        der: ocsp_fixture!("must-staple-good.der"),
        chain: LEAF_MUST_STAPLE,
    },
    Signed {
        name: "must-staple-revoked.der",
        der: ocsp_fixture!("must-staple-revoked.der"),
        chain: LEAF_MUST_STAPLE,
    },
    Signed {
        name: "delegated-p384.der",
        der: ocsp_fixture!("delegated-p384.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "delegated-rsa.der",
        der: ocsp_fixture!("delegated-rsa.der"),
        chain: LEAF_90D,
    },
    Signed {
        name: "delegated-rsa-pss.der",
        der: ocsp_fixture!("delegated-rsa-pss.der"),
        chain: LEAF_90D,
    },
];

impl Signed {
    fn chain(&self) -> Vec<Vec<u8>> {
        chain(self.chain)
    }

    /// A minute after the response was made: inside its validity.
    fn fresh(&self) -> UnixTime {
        UnixTime(produced_at(self.der).0 + 60)
    }

    /// thisUpdate and nextUpdate of its one SingleResponse, read with
    /// x509-ocsp rather than the engine.
    fn times(&self) -> (u64, Option<u64>) {
        let response = x509_ocsp::OcspResponse::from_der(self.der).unwrap();
        let bytes = response.response_bytes.unwrap();
        let basic = x509_ocsp::BasicOcspResponse::from_der(bytes.response.as_bytes()).unwrap();
        let [single] = basic.tbs_response_data.responses.as_slice() else {
            panic!("{}: one SingleResponse expected", self.name)
        };
        let secs = |t: &x509_ocsp::OcspGeneralizedTime| t.0.to_unix_duration().as_secs();
        (
            secs(&single.this_update),
            single.next_update.as_ref().map(secs),
        )
    }
}

/// Every leaf reaches both the stapled and the live step: no short-lived
/// exemption, must-staple not enforced, no built-in-root skip; and every
/// fixture's CertID matches (firefox-today alone takes only SHA-1).
fn ocsp_policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_name_or_json(
            r#"{"base": "firefox-today", "name": "invariants",
                "short_lived_threshold_days": 0, "must_staple": false,
                "cert_id_hashes": "any"}"#,
        )
        .unwrap()
    })
}

/// The ladder on `chain` with only a staple or only a live answer; the
/// browser build's ledger protocol must agree with the direct run.
fn ladder(
    chain: &[Vec<u8>],
    staple: Option<&[u8]>,
    live: Option<&FetchOutcome>,
    time: UnixTime,
) -> Verdict {
    let run = |verifier: &dyn SignatureVerifier| {
        evaluate(&Input {
            chain,
            stapled_ocsp: staple,
            staple_hidden: false,
            time,
            policy: ocsp_policy(),
            onecrl: test_onecrl(),
            root_is_built_in: false,
            crlite: None,
            crlset: None,
            ocsp_cache: None,
            crls: None,
            live_ocsp: live,
            issuer_fetch: None,
            verifier,
        })
        .expect("the chain parses")
    };
    let direct = run(memo());
    let ledgered = settle_now(|ledger| run(ledger), memo());
    assert_eq!(
        serde_json::to_value(&direct).unwrap(),
        serde_json::to_value(&ledgered).unwrap(),
        "the ledger protocol changed the verdict"
    );
    direct
}

fn answered(outcome: StepOutcome) -> bool {
    matches!(
        outcome,
        StepOutcome::Good | StepOutcome::Revoked | StepOutcome::Unknown
    )
}

fn ocsp_step(step: Step) -> bool {
    matches!(step, Step::StapledOcsp | Step::LiveOcsp)
}

/// What an unusable response must never do: be believed. No OCSP step
/// reports an answer, none decides the leaf good, revoked or unknown, and
/// the verdict carries no validated response.
fn believes_nothing(v: &Verdict) -> Result<(), TestCaseError> {
    let leaf = &v.certificates[0];
    prop_assert!(
        !(ocsp_step(leaf.decided_by)
            && matches!(
                leaf.status,
                Status::Good | Status::Revoked | Status::Unknown
            )),
        "decided {:?} by {:?}: {}",
        leaf.status,
        leaf.decided_by,
        leaf.reason
    );
    prop_assert!(leaf.ocsp_response.is_none(), "{:?}", leaf.ocsp_response);
    for entry in &leaf.trace {
        prop_assert!(
            !(ocsp_step(entry.step) && answered(entry.outcome)),
            "{:?}",
            entry
        );
    }
    Ok(())
}

/// The parts of a BasicOCSPResponse, as byte ranges of the OCSPResponse.
#[derive(Debug)]
struct Layout {
    tbs: Range<usize>,
    algorithm: Range<usize>,
    signature: Range<usize>,
    certs: Option<Range<usize>>,
}

/// The TLV at `at` (short tags only): its range and its content's.
fn tlv(der: &[u8], at: usize) -> (Range<usize>, Range<usize>) {
    let first = der[at + 1];
    let (start, len) = if first < 0x80 {
        (at + 2, usize::from(first))
    } else {
        let n = usize::from(first & 0x7f);
        let len = der[at + 2..at + 2 + n]
            .iter()
            .fold(0, |len, &b| len << 8 | usize::from(b));
        (at + 2 + n, len)
    };
    (at..start + len, start..start + len)
}

impl Layout {
    /// OCSPResponse { status, [0] { ResponseBytes { type, OCTET STRING {
    /// BasicOCSPResponse { tbsResponseData, signatureAlgorithm, signature,
    /// [0] certs OPTIONAL } } } } }
    fn of(response: &[u8]) -> Layout {
        let (_, body) = tlv(response, 0);
        let (status, _) = tlv(response, body.start);
        let (_, explicit) = tlv(response, status.end);
        let (_, bytes) = tlv(response, explicit.start);
        let (kind, _) = tlv(response, bytes.start);
        let (_, octets) = tlv(response, kind.end);
        let (_, basic) = tlv(response, octets.start);
        let (tbs, _) = tlv(response, basic.start);
        let (algorithm, _) = tlv(response, tbs.end);
        let (signature, _) = tlv(response, algorithm.end);
        let tags = [tbs.start, algorithm.start, signature.start].map(|i| response[i]);
        assert_eq!(tags, [0x30, 0x30, 0x03], "not a BasicOCSPResponse");
        let certs = (signature.end < basic.end).then_some(signature.end..basic.end);
        Layout {
            tbs,
            algorithm,
            signature,
            certs,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Part {
    Tbs,
    Algorithm,
    Signature,
    /// The certificates beside the signature: not signed themselves.
    Certs,
}

fn part() -> impl Strategy<Value = Part> {
    prop_oneof![
        4 => Just(Part::Tbs),
        2 => Just(Part::Signature),
        1 => Just(Part::Algorithm),
        1 => Just(Part::Certs),
    ]
}

/// The properties below are only as good as this: unchanged, every fixture
/// is valid, and both the stapled and the live step believe it.
#[test]
fn the_unchanged_responses_are_believed() {
    for fixture in SIGNED {
        let chain = fixture.chain();
        let (leaf, issuer) = (cert(&chain[0]), cert(&chain[1]));
        let time = fixture.fresh();
        let valid = ocsp::validate(
            fixture.der,
            &leaf,
            &issuer,
            time,
            DEFAULT_MAX_LIFETIME_DAYS,
            &RustCrypto,
        );
        assert!(valid.is_ok(), "{}: {valid:?}", fixture.name);
        let stapled = ladder(&chain, Some(fixture.der), None, time);
        assert_eq!(stapled.certificates[0].decided_by, Step::StapledOcsp);
        let live = ladder(&chain, None, Some(&http_200(fixture.der)), time);
        assert_eq!(live.certificates[0].decided_by, Step::LiveOcsp);
        for v in [stapled, live] {
            let leaf = &v.certificates[0];
            assert!(
                leaf.trace.iter().any(|t| answered(t.outcome)),
                "{}",
                fixture.name
            );
            assert!(leaf.ocsp_response.is_some());
        }
    }
}

proptest! {
    #![proptest_config(cases(160))]

    /// 1. A response changed in its signed bytes, its signature algorithm or
    /// its signature is refused, and neither the stapled nor the live step
    /// believes it. The certificates beside the signature are not signed:
    /// changing them may leave the response valid, but never changes what
    /// it says.
    #[test]
    fn a_changed_response_never_decides(
        which in 0..SIGNED.len(),
        part in part(),
        flips in flips(),
    ) {
        let fixture = &SIGNED[which];
        let layout = Layout::of(fixture.der);
        let range = match part {
            Part::Tbs => Some(layout.tbs),
            Part::Algorithm => Some(layout.algorithm),
            Part::Signature => Some(layout.signature),
            Part::Certs => layout.certs,
        };
        prop_assume!(range.is_some());
        let changed = flip(fixture.der, range.unwrap(), &flips);
        prop_assume!(changed != fixture.der);

        let chain = fixture.chain();
        let (leaf, issuer) = (cert(&chain[0]), cert(&chain[1]));
        let time = fixture.fresh();
        let validate = |response: &[u8], verifier: &dyn SignatureVerifier| {
            ocsp::validate(response, &leaf, &issuer, time, DEFAULT_MAX_LIFETIME_DAYS, verifier)
        };
        let result = validate(&changed, &RustCrypto);
        let ledgered = settle_now(|ledger| validate(&changed, ledger), &RustCrypto);
        prop_assert_eq!(&ledgered, &result, "the ledger protocol disagrees");

        let stapled = ladder(&chain, Some(&changed), None, time);
        let live = ladder(&chain, None, Some(&http_200(&changed)), time);
        if result.is_err() {
            believes_nothing(&stapled)?;
            believes_nothing(&live)?;
        } else {
            prop_assert!(
                matches!(part, Part::Certs),
                "{} with its {:?} changed was accepted: {:?}", fixture.name, part, result
            );
            prop_assert_eq!(&result, &validate(fixture.der, memo()));
            let decided = |v: &Verdict| (v.certificates[0].status, v.certificates[0].decided_by);
            let as_staple = ladder(&chain, Some(fixture.der), None, time);
            prop_assert_eq!(decided(&stapled), decided(&as_staple));
            let as_live = ladder(&chain, None, Some(&http_200(fixture.der)), time);
            prop_assert_eq!(decided(&live), decided(&as_live));
        }
    }
}

/// A certificate of fixtures/, as DER.
macro_rules! fixture_cert {
    ($path:literal) => {
        pem_cert(include_bytes!(concat!("../../../fixtures/", $path)))
    };
}

/// Certificates a response may be shown with that it is not about, or
/// issuers it is not from: the test PKI's leaves and CAs, the delegated
/// responders, and an intermediate with int-good's name and serial but its
/// own key.
fn others() -> &'static [(&'static str, Vec<u8>)] {
    static OTHERS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    OTHERS.get_or_init(|| {
        let mut others: Vec<(&str, Vec<u8>)> = [
            ("leaf-90d", LEAF_90D),
            ("leaf-6d", LEAF_6D),
            ("leaf-10d", LEAF_10D),
            ("leaf-must-staple", LEAF_MUST_STAPLE),
            ("leaf-no-aia", LEAF_NO_AIA),
            ("leaf-under-revoked-serial", UNDER_REVOKED_SERIAL),
            ("leaf-under-revoked-key", UNDER_REVOKED_KEY),
        ]
        .into_iter()
        .map(|(name, pem)| (name, pem_cert(pem)))
        .collect();
        others.extend([
            ("int-good", fixture_cert!("pki/int-good.pem")),
            (
                "int-revoked-serial",
                fixture_cert!("pki/int-revoked-serial.pem"),
            ),
            ("int-revoked-key", fixture_cert!("pki/int-revoked-key.pem")),
            ("root", fixture_cert!("pki/root.pem")),
            ("responder-rsa", fixture_cert!("ocsp/responder-rsa.pem")),
            ("responder-p384", fixture_cert!("ocsp/responder-p384.pem")),
            (
                "responder-no-eku",
                fixture_cert!("ocsp/responder-no-eku.pem"),
            ),
        ]);
        let root = cert(&others.iter().find(|(n, _)| *n == "root").unwrap().1);
        let root_name = x509_cert::name::Name::from_der(&root.subject_der).unwrap();
        let mut look_alike = pki::Spec::new(
            "CN=revoscope Test Intermediate,O=revoscope test PKI",
            &root_name,
            0x1001,
        );
        look_alike.is_ca = true;
        look_alike.ocsp_url = None;
        let der = pki::issue(&look_alike, &pki::key("look-alike"), &pki::key("root"));
        others.push(("int-good look-alike", der));
        others
    })
}

/// One of [`others`], by name.
fn other() -> impl Strategy<Value = &'static str> {
    prop::sample::select(others().iter().map(|(name, _)| *name).collect::<Vec<_>>())
}

fn other_der(name: &str) -> Vec<u8> {
    others().iter().find(|(n, _)| *n == name).unwrap().1.clone()
}

/// A leaf int-good issued with this serial, so its CertID differs from the
/// fixtures' leaves only there.
fn leaf_with_serial(serial: &[u8]) -> Vec<u8> {
    let int_good = cert(&other_der("int-good"));
    let issuer = x509_cert::name::Name::from_der(&int_good.subject_der).unwrap();
    let mut spec = pki::Spec::new("CN=generated.revoscope.test", &issuer, 1);
    spec.serial = serial.to_vec();
    pki::issue(&spec, &pki::key("generated leaf"), &pki::key("int-good"))
}

#[derive(Clone, Debug)]
enum Subject {
    Other(&'static str),
    /// A leaf of int-good with this serial.
    Serial(Vec<u8>),
}

fn subject() -> impl Strategy<Value = Subject> {
    // Serials near the fixtures' (0x2001...) and anywhere.
    let near = (0x1f00u64..0x2100).prop_map(pki::minimal_serial);
    let any_serial = any::<u64>().prop_map(pki::minimal_serial);
    prop_oneof![
        other().prop_map(Subject::Other),
        near.prop_map(Subject::Serial),
        any_serial.prop_map(Subject::Serial),
    ]
}

#[derive(Clone, Copy, Debug)]
enum When {
    /// Seconds before thisUpdate minus the slop.
    Before(u64),
    /// Seconds after the end of validity plus the slop.
    After(u64),
}

fn when() -> impl Strategy<Value = When> {
    // Just past the edges, and anywhere within twenty years.
    let gap = prop_oneof![0..DAY, 0..20 * 365 * DAY];
    prop_oneof![
        gap.clone().prop_map(When::Before),
        gap.prop_map(When::After)
    ]
}

proptest! {
    #![proptest_config(cases(192))]

    /// 2a. A response shown with a certificate it is not about, or an
    /// issuer it is not from, answers nothing: the CertID (issuer name
    /// hash, issuer key hash, serial) and the signer must both match.
    #[test]
    fn a_response_for_another_certificate_or_issuer_never_decides(
        which in 0..SIGNED.len(),
        subject in subject(),
        issuer in other(),
    ) {
        let fixture = &SIGNED[which];
        let own = fixture.chain();
        let (own_leaf, own_issuer) = (cert(&own[0]), cert(&own[1]));
        let leaf_der = match &subject {
            Subject::Other(name) => other_der(name),
            Subject::Serial(serial) => leaf_with_serial(serial),
        };
        let issuer_der = other_der(issuer);
        let (leaf, issuer) = (cert(&leaf_der), cert(&issuer_der));
        // What a CertID names: the serial, the certificate's issuer field
        // and the issuer's key. Equal, it is the same certificate as far as
        // OCSP can tell.
        let identity = |leaf: &Cert, issuer: &Cert| {
            (leaf.serial.clone(), leaf.issuer_der.clone(), issuer.public_key.clone())
        };
        prop_assume!(identity(&leaf, &issuer) != identity(&own_leaf, &own_issuer));

        let time = fixture.fresh();
        let result =
            ocsp::validate(fixture.der, &leaf, &issuer, time, DEFAULT_MAX_LIFETIME_DAYS, memo());
        prop_assert!(result.is_err(), "{} answered for {}: {:?}", fixture.name, leaf.subject, result);
        let chain = [leaf_der, issuer_der];
        believes_nothing(&ladder(&chain, Some(fixture.der), None, time))?;
        believes_nothing(&ladder(&chain, None, Some(&http_200(fixture.der)), time))?;
    }

    /// 2b. Outside [thisUpdate - slop, min(nextUpdate, thisUpdate + max
    /// lifetime) + slop] (one day of slop, as mozpkix) a good answer is
    /// refused. A revoked or unknown answer still stands after it, as in
    /// mozpkix, but marked expired: the stapled step defers it to live
    /// OCSP rather than decide.
    #[test]
    fn a_response_outside_its_validity_never_decides(
        which in 0..SIGNED.len(),
        when in when(),
        max_days in 1u32..=30,
    ) {
        let fixture = &SIGNED[which];
        let (this_update, next_update) = fixture.times();
        let at = |max_days: u32| {
            let until = match next_update {
                Some(next) => next.min(this_update + u64::from(max_days) * DAY),
                None => this_update + DAY,
            };
            UnixTime(match when {
                When::Before(d) => this_update.saturating_sub(DAY + 1 + d),
                When::After(d) => until + DAY + 1 + d,
            })
        };
        let chain = fixture.chain();
        let (leaf, issuer) = (cert(&chain[0]), cert(&chain[1]));
        let fresh = fixture.fresh();
        let original = ocsp::validate(fixture.der, &leaf, &issuer, fresh, 10, memo())
            .unwrap()
            .answer;

        let result = ocsp::validate(fixture.der, &leaf, &issuer, at(max_days), max_days, memo());
        match (&result, when) {
            (Err(_), _) => {}
            (Ok(v), When::After(_)) if original != Answer::Good => {
                prop_assert!(v.expired, "{} at {:?}: {:?}", fixture.name, when, v);
                prop_assert_eq!(&v.answer, &original);
            }
            (Ok(v), _) => prop_assert!(false, "{} at {:?} was accepted: {:?}", fixture.name, when, v),
        }

        let time = at(DEFAULT_MAX_LIFETIME_DAYS);
        believes_nothing(&ladder(&chain, Some(fixture.der), None, time))?;
        let live = ladder(&chain, None, Some(&http_200(fixture.der)), time);
        match (&live.certificates[0].ocsp_response, when) {
            // Firefox keeps an old revoked or unknown live answer (mozpkix
            // reports it whatever its age); it must say it is old.
            (Some(v), When::After(_)) if original != Answer::Good => {
                prop_assert!(v.expired, "{:?}", v);
            }
            _ => believes_nothing(&live)?,
        }
    }
}

// ---------------------------------------------------------------------------
// 3: OneCRL.

/// What a record revokes, decoded from the JSON independently of the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    IssuerSerial(Vec<u8>, Vec<u8>),
    SubjectKey(Vec<u8>, [u8; 32]),
}

impl Key {
    fn lookup<'a>(&self, snapshot: &'a Snapshot) -> Option<&'a revoscope::onecrl::Record> {
        match self {
            Key::IssuerSerial(issuer, serial) => snapshot.lookup_issuer_serial(issuer, serial),
            Key::SubjectKey(subject, hash) => snapshot.lookup_subject_spki(subject, hash),
        }
    }
}

/// Every record of the real snapshot with its key, in order and by id.
struct RealKeys {
    list: Vec<(String, Key)>,
    by_id: HashMap<String, Key>,
}

fn real_keys() -> &'static RealKeys {
    static KEYS: OnceLock<RealKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let json: serde_json::Value = serde_json::from_slice(REAL_ONECRL).unwrap();
        let field =
            |r: &serde_json::Value, name: &str| r[name].as_str().map(|s| BASE64.decode(s).unwrap());
        let list: Vec<(String, Key)> = json["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let id = r["id"].as_str().unwrap().to_owned();
                let key = match (field(r, "issuerName"), field(r, "serialNumber")) {
                    (Some(issuer), Some(serial)) => Key::IssuerSerial(issuer, serial),
                    _ => Key::SubjectKey(
                        field(r, "subject").unwrap(),
                        field(r, "pubKeyHash").unwrap().try_into().unwrap(),
                    ),
                };
                (id, key)
            })
            .collect();
        let by_id = list.iter().cloned().collect();
        RealKeys { list, by_id }
    })
}

#[test]
fn every_real_record_is_found_by_its_exact_key() {
    let RealKeys { list, by_id } = real_keys();
    assert_eq!(list.len(), real_onecrl().records().len());
    assert!(list.iter().any(|(_, k)| matches!(k, Key::SubjectKey(..))));
    for (id, key) in list {
        // Duplicates exist: the first record with the key reports it.
        let found = key
            .lookup(real_onecrl())
            .unwrap_or_else(|| panic!("{id} not found"));
        assert_eq!(&by_id[&found.id], key);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// 3. A lookup with one byte of a real record's issuer, serial, subject
    /// or key hash changed never finds that record; whatever it finds has
    /// exactly the key asked for. (The index key is prefix, issuer and
    /// serial concatenated, as in Firefox's cert_storage `make_key`; a
    /// certificate's issuer is one DER Name, so its end is never in doubt.)
    #[test]
    fn onecrl_lookups_are_exact(
        record in any::<Index>(),
        second_field in any::<bool>(),
        at in any::<Index>(),
        mask in 1..=u8::MAX,
    ) {
        let RealKeys { list, by_id } = real_keys();
        let (id, key) = &list[record.index(list.len())];
        let mut changed = key.clone();
        let bytes: &mut [u8] = match (&mut changed, second_field) {
            (Key::IssuerSerial(issuer, _), false) => issuer,
            (Key::IssuerSerial(_, serial), true) => serial,
            (Key::SubjectKey(subject, _), false) => subject,
            (Key::SubjectKey(_, hash), true) => hash,
        };
        let i = at.index(bytes.len());
        bytes[i] ^= mask;
        if let Some(found) = changed.lookup(real_onecrl()) {
            prop_assert_ne!(&found.id, id);
            prop_assert_eq!(&by_id[&found.id], &changed, "{} matched for {:?}", found.id, key);
        }
    }
}

// ---------------------------------------------------------------------------
// 4: Remote Settings content signatures and rollbacks.

macro_rules! rs_fixture {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/remote-settings/", $file)).as_slice()
    };
}

/// Serves `chains/<name>.pem` for an x5u ending in `/<name>.pem`.
fn x5u(offered: &SignatureRef) -> Result<Vec<u8>, SyncError> {
    match offered.x5u.rsplit('/').next() {
        Some("onecrl.pem") => Ok(rs_fixture!("chains/onecrl.pem").to_vec()),
        _ => Err(SyncError::ChainFetch {
            x5u: offered.x5u.clone(),
            why: "HTTP 404".into(),
        }),
    }
}

/// Signed content, its signature and the signer's chain.
struct Content {
    name: &'static str,
    data: Vec<u8>,
    signature: String,
    chain: &'static [u8],
    trust: Trust,
    time: UnixTime,
}

impl Content {
    fn verify(&self, data: &[u8], signature: &str, chain: &[u8]) -> Result<(), String> {
        content_signature::verify(data, signature, chain, &self.trust, self.time, None, memo())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The test signer's v1 collection, as a sync rebuilds it, and a real
/// Autograph signature from Mozilla's production PKI.
fn contents() -> &'static [Content] {
    static CONTENTS: OnceLock<Vec<Content>> = OnceLock::new();
    CONTENTS.get_or_init(|| {
        let v1 = Changeset::from_json(rs_fixture!("v1.changeset.json")).unwrap();
        let text = |b: &[u8]| std::str::from_utf8(b).unwrap().trim().to_owned();
        vec![
            Content {
                name: "test signer v1",
                data: Collection::apply(None, &v1).unwrap().signed_bytes(),
                signature: v1.signatures[0].signature.clone(),
                chain: rs_fixture!("chains/onecrl.pem"),
                trust: test_trust(),
                time: NOW,
            },
            Content {
                name: "vpn_balrog_aus_2023",
                data: rs_fixture!("real/vpn_balrog_aus_2023/data.json").to_vec(),
                signature: text(rs_fixture!("real/vpn_balrog_aus_2023/signature.b64url")),
                chain: rs_fixture!("real/vpn_balrog_aus_2023/chain.pem"),
                trust: Trust {
                    signer_name: "aus.content-signature.mozilla.org".into(),
                    ..mozilla_onecrl_trust()
                },
                time: UnixTime(1_696_272_799),
            },
        ]
    })
}

#[test]
fn the_unchanged_contents_verify() {
    for content in contents() {
        let verified = content.verify(&content.data, &content.signature, content.chain);
        assert_eq!(verified, Ok(()), "{}", content.name);
    }
}

const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The signed updates a changed changeset stands in for.
#[derive(Clone, Copy, Debug)]
enum Update {
    /// v1 as a first sync.
    First,
    /// v2's changes since v1, onto v1.
    Incremental,
    /// The whole of v2.
    Full,
}

proptest! {
    #![proptest_config(cases(64))]

    /// 4a. A changed byte of the signed content never verifies.
    #[test]
    fn changed_content_never_verifies(which in 0..2usize, flips in flips()) {
        let content = &contents()[which];
        let data = flip(&content.data, 0..content.data.len(), &flips);
        prop_assume!(data != content.data);
        let result = content.verify(&data, &content.signature, content.chain);
        prop_assert!(result.is_err(), "{} changed at {:?} verified", content.name, flips);
    }

    /// 4b. A changed character of the signature never verifies.
    #[test]
    fn a_changed_signature_never_verifies(
        which in 0..2usize,
        at in any::<Index>(),
        to in any::<Index>(),
    ) {
        let content = &contents()[which];
        let mut signature = content.signature.clone().into_bytes();
        let i = at.index(signature.len());
        signature[i] = BASE64URL[to.index(BASE64URL.len())];
        prop_assume!(signature != content.signature.as_bytes());
        let signature = String::from_utf8(signature).unwrap();
        let result = content.verify(&content.data, &signature, content.chain);
        prop_assert!(result.is_err(), "{} verified with signature {}", content.name, signature);
    }

    /// 4c. A changed byte in any certificate of the signer's chain never
    /// verifies: the signer and intermediate are signed, the root is pinned.
    #[test]
    fn a_changed_chain_never_verifies(which in 0..2usize, index in any::<Index>(), flips in flips()) {
        let content = &contents()[which];
        let mut certs = revoscope::pem::read_certificates(content.chain).unwrap();
        let n = index.index(certs.len());
        let changed = flip(&certs[n], 0..certs[n].len(), &flips);
        prop_assume!(changed != certs[n]);
        certs[n] = changed;
        let pem: String = certs.iter().map(|der| pki::pem(der)).collect();
        let result = content.verify(&content.data, &content.signature, pem.as_bytes());
        prop_assert!(result.is_err(), "{}: certificate {} changed at {:?}", content.name, n, flips);
    }

    /// 4d. Any byte of a changeset as served may change. Changing what it
    /// says (a record, the timestamp) changes the signed bytes; changing
    /// anything else (spacing, metadata) may still verify, and then makes
    /// exactly the collection that was signed.
    #[test]
    fn a_changed_changeset_verifies_only_as_signed(
        update in prop_oneof![Just(Update::First), Just(Update::Incremental), Just(Update::Full)],
        flips in flips(),
    ) {
        let (base, served, signed) = update.parts();
        let bytes = flip(served, 0..served.len(), &flips);
        prop_assume!(bytes != served);
        let Ok(changeset) = Changeset::from_json(&bytes) else {
            return Ok(());
        };
        let verified = sync::verify_update(
            base.as_ref(), &changeset, &x5u, &test_trust(), NOW, None, memo(),
        );
        if let Ok(verified) = verified {
            let made = String::from_utf8(verified.collection.signed_bytes()).unwrap();
            prop_assert_eq!(made, String::from_utf8(signed).unwrap());
        }
    }
}

impl Update {
    /// The collection in force, the changeset served, and the signed bytes
    /// of the collection they make.
    fn parts(self) -> (Option<Collection>, &'static [u8], Vec<u8>) {
        let load = |json| Changeset::from_json(json).unwrap();
        let v1 = || load(rs_fixture!("v1.changeset.json"));
        let v2 = || load(rs_fixture!("v2.full.changeset.json"));
        let (base, served, signed) = match self {
            Update::First => (None, rs_fixture!("v1.changeset.json"), v1()),
            Update::Incremental => (
                Some(Collection::apply(None, &v1()).unwrap()),
                rs_fixture!("v2.since-v1.changeset.json"),
                v2(),
            ),
            Update::Full => (None, rs_fixture!("v2.full.changeset.json"), v2()),
        };
        let signed = Collection::apply(None, &signed).unwrap().signed_bytes();
        (base, served, signed)
    }
}

#[test]
fn the_unchanged_updates_verify() {
    for update in [Update::First, Update::Incremental, Update::Full] {
        let (base, served, signed) = update.parts();
        let changeset = Changeset::from_json(served).unwrap();
        let verified = sync::verify_update(
            base.as_ref(),
            &changeset,
            &x5u,
            &test_trust(),
            NOW,
            None,
            memo(),
        )
        .unwrap_or_else(|e| panic!("{update:?}: {e}"));
        assert_eq!(verified.collection.signed_bytes(), signed);
    }
}

/// v0, v1 and v2 as the collection in force.
fn version(n: usize) -> Collection {
    let changeset = match n {
        0 => rs_fixture!("v0.changeset.json"),
        1 => rs_fixture!("v1.changeset.json"),
        _ => rs_fixture!("v2.full.changeset.json"),
    };
    Collection::apply(None, &Changeset::from_json(changeset).unwrap()).unwrap()
}

const CHANGESETS: [&[u8]; 4] = [
    rs_fixture!("v0.changeset.json"),
    rs_fixture!("v1.changeset.json"),
    rs_fixture!("v2.full.changeset.json"),
    rs_fixture!("v2.since-v1.changeset.json"),
];

/// A Remote Settings server that answers at once: the monitor says
/// `monitor`, the changeset endpoint serves `since` for `_since` requests
/// and `full` otherwise.
struct Server {
    monitor: u64,
    since: &'static [u8],
    full: &'static [u8],
}

impl HttpGet for Server {
    async fn get(&mut self, url: &str, _max: usize) -> Result<Vec<u8>, SyncError> {
        Ok(if url.contains("/monitor/") {
            format!(
                r#"{{"changes": [{{"id": "x", "bucket": "security-state", "collection": "onecrl",
                    "last_modified": {0}}}], "timestamp": {0}}}"#,
                self.monitor
            )
            .into_bytes()
        } else if url.contains("_since") {
            self.since.to_vec()
        } else if url.contains("/changeset?") {
            self.full.to_vec()
        } else {
            x5u(&SignatureRef {
                signature: String::new(),
                x5u: url.into(),
            })?
        })
    }
}

impl SyncHost for Server {
    async fn verify(
        &mut self,
        base: Option<&Collection>,
        changeset: &Changeset,
        chain: &dyn Fn(&SignatureRef) -> Result<Vec<u8>, SyncError>,
    ) -> Result<Verified, SyncError> {
        sync::verify_update(base, changeset, chain, &test_trust(), NOW, None, memo())
    }
}

/// Polls a future that never waits (the fake server answers at once).
fn ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the fake server never waits"),
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// 4e. A changeset older than the collection in force is refused
    /// before anything else, whatever it carries; a newer or equal one is
    /// applied at its own timestamp.
    #[test]
    fn an_older_changeset_is_never_applied(
        base_n in 0..3usize,
        changes in 0..CHANGESETS.len(),
        remote in prop_oneof![
            1_699_999_000_000u64..1_700_000_030_000,
            any::<u64>(),
        ],
    ) {
        let base = version(base_n);
        let mut changeset = Changeset::from_json(CHANGESETS[changes]).unwrap();
        changeset.timestamp = remote;
        let local = base.timestamp;
        let applied = Collection::apply(Some(&base), &changeset);
        let next = sync::next_step(Some(local), remote);
        if remote < local {
            let went_back = SyncError::TimestampWentBack { local, remote };
            prop_assert_eq!(applied.unwrap_err(), went_back.clone());
            let verified = sync::verify_update(
                Some(&base), &changeset, &x5u, &test_trust(), NOW, None, memo(),
            );
            prop_assert_eq!(verified.unwrap_err(), went_back.clone());
            prop_assert_eq!(next, Err(went_back));
        } else {
            prop_assert_eq!(applied.unwrap().timestamp, remote);
            prop_assert!(next.is_ok());
        }
    }

    /// 4f. A whole sync against a server that may serve anything it once
    /// signed, whatever its monitor says: what it applies is a collection
    /// that was signed, never older than the one in force.
    #[test]
    fn a_sync_never_goes_back(
        base_n in 0..3usize,
        monitor in prop_oneof![
            prop::sample::select(vec![1_700_000_010_000u64, 1_700_000_020_000, 1_700_000_026_000]),
            1_699_999_000_000u64..1_700_000_030_000,
        ],
        since in 0..CHANGESETS.len(),
        full in 0..CHANGESETS.len(),
    ) {
        let base = version(base_n);
        let mut server = Server { monitor, since: CHANGESETS[since], full: CHANGESETS[full] };
        let plan = sync::Sync::onecrl("http://127.0.0.1:8888/v1");
        match ready(sync::run(&mut server, &plan, Some(&base))) {
            Ok(Some(updated)) => {
                let applied = &updated.verified.collection;
                prop_assert!(applied.timestamp >= base.timestamp, "{} over {}", applied.timestamp, base.timestamp);
                prop_assert!(monitor > base.timestamp);
                let signed = (0..3).map(|n| version(n).signed_bytes()).collect::<Vec<_>>();
                prop_assert!(signed.contains(&applied.signed_bytes()), "a collection nobody signed");
            }
            Ok(None) => prop_assert_eq!(monitor, base.timestamp),
            Err(e) => {
                if monitor < base.timestamp {
                    prop_assert!(matches!(e, SyncError::TimestampWentBack { .. }), "{e}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 5: the ladder is pure.

const STAPLES: &[&str] = &[
    "good.der",
    "revoked.der",
    "unknown.der",
    "must-staple-good.der",
    "must-staple-revoked.der",
    "delegated-rsa.der",
    "good-long-next-update.der",
    "bad-signature.der",
    "other-ca.der",
    "try-later.der",
    "truncated.der",
    "unauthorized.der",
];

fn ocsp_file(name: &str) -> &'static [u8] {
    match name {
        "good.der" => ocsp_fixture!("good.der"),
        "revoked.der" => ocsp_fixture!("revoked.der"),
        "unknown.der" => ocsp_fixture!("unknown.der"),
        "must-staple-good.der" => ocsp_fixture!("must-staple-good.der"),
        "must-staple-revoked.der" => ocsp_fixture!("must-staple-revoked.der"),
        "delegated-rsa.der" => ocsp_fixture!("delegated-rsa.der"),
        "good-long-next-update.der" => ocsp_fixture!("good-long-next-update.der"),
        "bad-signature.der" => ocsp_fixture!("bad-signature.der"),
        "other-ca.der" => ocsp_fixture!("other-ca.der"),
        "try-later.der" => ocsp_fixture!("try-later.der"),
        "truncated.der" => ocsp_fixture!("truncated.der"),
        "unauthorized.der" => ocsp_fixture!("unauthorized.der"),
        other => panic!("no fixture {other}"),
    }
}

const CHAINS: &[(&str, &[u8])] = &[
    ("leaf-90d", LEAF_90D),
    ("leaf-6d", LEAF_6D),
    ("leaf-10d", LEAF_10D),
    ("leaf-must-staple", LEAF_MUST_STAPLE),
    ("leaf-no-aia", LEAF_NO_AIA),
    ("leaf-under-revoked-serial", UNDER_REVOKED_SERIAL),
    ("leaf-under-revoked-key", UNDER_REVOKED_KEY),
];

const POLICIES: &[&str] = &[
    "mozilla-plan",
    "hard-fail",
    "firefox-today",
    r#"{"base": "mozilla-plan", "short_lived_threshold_days": 0}"#,
    r#"{"base": "mozilla-plan", "live_ocsp": "disabled"}"#,
];

/// What a live request got, by name (so a failing case reads well).
#[derive(Clone, Copy, Debug)]
enum Fetch {
    Timeout,
    Refused,
    Http500,
    Answer(&'static str),
}

impl Fetch {
    fn outcome(self) -> FetchOutcome {
        match self {
            Fetch::Timeout => FetchOutcome::Timeout { elapsed_ms: 2000 },
            Fetch::Refused => FetchOutcome::Refused { elapsed_ms: 1 },
            Fetch::Http500 => FetchOutcome::Response {
                http_status: 500,
                body: Vec::new(),
                elapsed_ms: 4,
            },
            Fetch::Answer(name) => http_200(ocsp_file(name)),
        }
    }
}

fn fetch() -> impl Strategy<Value = Fetch> {
    prop_oneof![
        Just(Fetch::Timeout),
        Just(Fetch::Refused),
        Just(Fetch::Http500),
        prop::sample::select(STAPLES).prop_map(Fetch::Answer),
    ]
}

/// Everything one evaluation reads, generated.
#[derive(Clone, Debug)]
struct Scenario {
    chain: (&'static str, &'static [u8]),
    staple: Option<&'static str>,
    hidden: bool,
    live: Option<Fetch>,
    /// A live outcome evaluated earlier, and how long before, whose verdict
    /// filled the OCSP cache.
    cached: Option<(Fetch, i64)>,
    /// Seconds after the fixture responses were made.
    offset: i64,
    policy: &'static str,
    built_in: bool,
    real_onecrl: bool,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(CHAINS),
        prop::option::of(prop::sample::select(STAPLES)),
        any::<bool>(),
        prop::option::of(fetch()),
        prop::option::of((fetch(), 0i64..2 * DAY as i64)),
        prop_oneof![-2 * DAY as i64..DAY as i64, 0..40 * DAY as i64],
        prop::sample::select(POLICIES),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(chain, staple, hidden, live, cached, offset, policy, built_in, real_onecrl)| {
                Scenario {
                    chain,
                    staple,
                    hidden,
                    live,
                    cached,
                    offset,
                    policy,
                    built_in,
                    real_onecrl,
                }
            },
        )
}

impl Scenario {
    fn time(&self, offset: i64) -> UnixTime {
        let made = produced_at(ocsp_fixture!("good.der"));
        UnixTime(made.0.checked_add_signed(offset).unwrap())
    }

    /// Evaluates with `verifier`, through `cache` when given.
    fn evaluate(
        &self,
        verifier: &dyn SignatureVerifier,
        cache: Option<&mut CertCache>,
    ) -> serde_json::Value {
        let chain = chain(self.chain.1);
        let policy = Policy::from_name_or_json(self.policy).unwrap();
        let onecrl = if self.real_onecrl {
            real_onecrl()
        } else {
            test_onecrl()
        };
        let live = self.live.map(Fetch::outcome);
        let primer = self
            .cached
            .map(|(fetch, before)| (fetch.outcome(), self.time(self.offset - before)));
        let input = |time, live, ocsp_cache| Input {
            chain: &chain,
            stapled_ocsp: self.staple.map(ocsp_file),
            staple_hidden: self.hidden && self.staple.is_none(),
            time,
            policy: &policy,
            onecrl,
            root_is_built_in: self.built_in,
            crlite: None,
            crlset: None,
            ocsp_cache,
            crls: None,
            live_ocsp: live,
            issuer_fetch: None,
            verifier,
        };
        let mut ocsp_cache = OcspCache::new();
        if let Some((outcome, earlier)) = &primer {
            ocsp_cache.apply(&evaluate(&input(*earlier, Some(outcome), None)).unwrap());
        }
        let input = input(
            self.time(self.offset),
            live.as_ref(),
            primer.as_ref().map(|_| &ocsp_cache),
        );
        let verdict = match cache {
            Some(cache) => evaluate_cached(&input, cache),
            None => evaluate(&input),
        };
        serde_json::to_value(verdict.unwrap()).unwrap()
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// 5. Same inputs, same verdict: evaluated twice, through a
    /// certificate cache shared with other evaluations, and through the
    /// browser build's ledger protocol.
    #[test]
    fn the_ladder_is_a_pure_function_of_its_inputs(
        scenarios in prop::collection::vec(scenario(), 1..=3),
    ) {
        let mut shared = CertCache::new();
        for scenario in &scenarios {
            let first = scenario.evaluate(&RustCrypto, None);
            prop_assert_eq!(&scenario.evaluate(&RustCrypto, None), &first, "evaluated again");
            prop_assert_eq!(
                &scenario.evaluate(memo(), Some(&mut shared)),
                &first,
                "through a shared certificate cache"
            );
            let ledgered = settle_now(|ledger| scenario.evaluate(ledger, None), memo());
            prop_assert_eq!(&ledgered, &first, "through the ledger protocol");
        }
    }
}

// ---------------------------------------------------------------------------
// 6: stored CRL lists.

macro_rules! crl_fixture {
    ($file:literal) => {
        include_bytes!(concat!("../../../fixtures/crl/", $file)).as_slice()
    };
}

/// The stored forms of CRL fixtures that read: shards with an Issuing
/// Distribution Point, reasons and invalidity dates, no nextUpdate, only
/// some reasons, v1, and the root's own.
fn stored_lists() -> &'static [(CrlList, Vec<u8>)] {
    static LISTS: OnceLock<Vec<(CrlList, Vec<u8>)>> = OnceLock::new();
    LISTS.get_or_init(|| {
        let chain =
            revoscope::pem::read_certificates(crl_fixture!("chains/leaf-crl-good.pem")).unwrap();
        let (int_good, root) = (cert(&chain[1]), cert(&chain[2]));
        [
            (crl_fixture!("int-good-1.crl"), &int_good),
            (crl_fixture!("no-next-update.crl"), &int_good),
            (crl_fixture!("some-reasons.crl"), &int_good),
            (crl_fixture!("v1.crl"), &int_good),
            (crl_fixture!("by-root.crl"), &root),
        ]
        .into_iter()
        .map(|(crl, issuer)| {
            let list = CrlList::read(crl, issuer, &RustCrypto).expect("fixture CRL reads");
            let bytes = list.to_bytes();
            (list, bytes)
        })
        .collect()
    })
}

/// `body` with its SHA-256 after it: the form's seal, made again.
fn sealed(mut body: Vec<u8>) -> Vec<u8> {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&body);
    body.extend_from_slice(&digest);
    body
}

proptest! {
    #![proptest_config(cases(256))]

    /// 6. Changed bytes (the seal not made again) are refused, or read as
    /// the same list.
    #[test]
    fn a_changed_stored_list_is_refused(which in any::<Index>(), flips in flips()) {
        let (list, bytes) = &stored_lists()[which.index(stored_lists().len())];
        let changed = flip(bytes, 0..bytes.len(), &flips);
        if let Ok(read) = CrlList::from_bytes(&changed) {
            prop_assert_eq!(&read, list);
        }
    }

    /// 6. Changed or cut bytes sealed again, as a writer of any other bytes
    /// would: never a panic, a cut never reads, and what reads is the
    /// canonical form of the list it reads as, whose lookups answer.
    #[test]
    fn a_resealed_stored_list_reads_only_in_canonical_form(
        which in any::<Index>(),
        flips in flips(),
        cut in any::<Index>(),
        cutting in any::<bool>(),
    ) {
        let (_, bytes) = &stored_lists()[which.index(stored_lists().len())];
        let body = &bytes[..bytes.len() - 32];
        let changed = if cutting {
            sealed(body[..cut.index(body.len())].to_vec())
        } else {
            // The magic and version stay: past them is what is read.
            sealed(flip(body, 5..body.len(), &flips))
        };
        match CrlList::from_bytes(&changed) {
            Ok(read) => {
                prop_assert!(!cutting, "a cut stored list read");
                prop_assert_eq!(read.to_bytes(), changed);
                for serial in [&[0x10, 0x02][..], &[1], &[]] {
                    let _ = read.find(serial);
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}
