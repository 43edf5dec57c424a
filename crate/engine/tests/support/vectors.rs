//! The ladder's vector set (fixtures/vectors/ladder.json) and how each
//! vector's input is evaluated: shared by tests/vectors.rs and the wasm
//! binding's tape test, so both read the same vectors the same way.

use der::Decode;
use revoscope::ocsp::{FetchOutcome, OcspCache};
use revoscope::verify::SignatureVerifier;
use revoscope::{evaluate, Input, Policy, UnixTime, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{chain, produced_at, real_snapshot, test_snapshot};

/// The vector set, compiled in: wasm32 tests have no file system.
pub const VECTORS: &str = include_str!("../../../../fixtures/vectors/ladder.json");

macro_rules! files {
    ($dir:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../../../fixtures/", $dir, "/", $name)) as &[u8])),+]
    };
}

pub const CHAINS: &[(&str, &[u8])] = files!("pki/chains":
    "leaf-90d.pem",
    "leaf-6d.pem",
    "leaf-10d.pem",
    "leaf-must-staple.pem",
    "leaf-no-aia.pem",
    "leaf-under-revoked-serial.pem",
    "leaf-under-revoked-key.pem",
    "leaf-under-real-onecrl-entry.pem",
);

pub const OCSP: &[(&str, &[u8])] = files!("ocsp":
    "good.der",
    "good-long-next-update.der",
    "revoked.der",
    "unknown.der",
    "must-staple-good.der",
    "must-staple-revoked.der",
    "delegated-p384.der",
    "delegated-rsa-pss.der",
    "bad-signature.der",
    "other-ca.der",
    "try-later.der",
);

fn file(files: &[(&str, &'static [u8])], name: &str) -> &'static [u8] {
    files
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no fixture {name} in this test's list"))
        .1
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    pub about: String,
    pub vectors: Vec<Vector>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    pub name: String,
    pub input: VectorInput,
    #[serde(default)]
    pub expected: Option<Expected>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VectorInput {
    pub chain: String,
    /// Only the certificate at this index of `chain`, given alone (a root
    /// alone, or a leaf without its issuer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alone: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staple: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub staple_hidden: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<Live>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<Primer>,
    pub time: Time,
    /// A preset name, or a policy object (`{"base": ..., overrides}`).
    pub policy: Value,
    #[serde(default, skip_serializing_if = "is_false")]
    pub built_in_root: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onecrl: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Deserialize, Serialize)]
#[serde(untagged)]
pub enum Live {
    /// `timeout` or `refused`.
    Failed(String),
    Http {
        status: u16,
        /// An OCSP fixture; absent for an empty body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
}

impl Live {
    pub fn outcome(&self) -> FetchOutcome {
        match self {
            Live::Failed(what) if what == "timeout" => FetchOutcome::Timeout { elapsed_ms: 2000 },
            Live::Failed(what) if what == "refused" => FetchOutcome::Refused { elapsed_ms: 1 },
            Live::Failed(other) => panic!("unknown live failure {other}"),
            Live::Http { status, body } => FetchOutcome::Response {
                http_status: *status,
                body: body.as_deref().map_or(&[][..], |b| file(OCSP, b)).to_vec(),
                elapsed_ms: 12,
            },
        }
    }
}

/// An evaluation made earlier, whose verdict filled the OCSP cache.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Primer {
    pub live: Live,
    pub time: Time,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Time {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_produced_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<u64>,
}

impl Time {
    pub fn resolve(&self, produced_at: UnixTime) -> UnixTime {
        match (self.after_produced_at, self.at) {
            (Some(offset), None) => UnixTime(produced_at.0.checked_add_signed(offset).unwrap()),
            (None, Some(at)) => UnixTime(at),
            _ => panic!("a time is either after_produced_at or at"),
        }
    }
}

/// What a vector pins of the serialised verdict.
#[derive(Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub outcome: String,
    pub hard_fail_would_block: Option<bool>,
    pub certificates: Vec<CertSummary>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CertSummary {
    pub role: String,
    pub status: String,
    pub decided_by: String,
    /// Why live OCSP gave no usable answer, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<String>,
    /// `step/outcome` for each step consulted.
    pub trace: Vec<String>,
}

impl Expected {
    /// Read from the verdict's JSON form: the tokens the CLI and the
    /// extension see.
    pub fn of(verdict: &Verdict) -> Expected {
        let v = serde_json::to_value(verdict).unwrap();
        let token = |v: &Value| v.as_str().expect("a token").to_owned();
        Expected {
            outcome: token(&v["outcome"]),
            hard_fail_would_block: v["hard_fail_would_block"].as_bool(),
            certificates: v["certificates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| CertSummary {
                    role: token(&c["role"]),
                    status: token(&c["status"]),
                    decided_by: token(&c["decided_by"]),
                    // The class, or for an unusable response the reason
                    // (bad-signature, try-later...), as the OCSP cache keeps it.
                    offline: c["offline"]["code"]
                        .as_str()
                        .or(c["offline"]["class"].as_str())
                        .map(str::to_owned),
                    trace: c["trace"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| format!("{}/{}", token(&t["step"]), token(&t["outcome"])))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl VectorInput {
    pub fn evaluate(&self, verifier: &dyn SignatureVerifier) -> Verdict {
        let mut chain = chain(file(CHAINS, &self.chain));
        if let Some(index) = self.alone {
            chain = vec![chain.swap_remove(index)];
        }
        let staple = self.staple.as_deref().map(|name| file(OCSP, name));
        let policy = match &self.policy {
            Value::String(name) => Policy::from_name_or_json(name),
            object => Policy::from_json(&object.to_string()),
        }
        .expect("a valid policy");
        let onecrl = match self.onecrl.as_deref() {
            None | Some("test") => test_snapshot(),
            Some("real") => real_snapshot(),
            Some(other) => panic!("unknown snapshot {other}"),
        };
        // Error statuses (tryLater...) carry no producedAt.
        let made = |staple: Option<&[u8]>| {
            let signed = |der: &&[u8]| {
                x509_ocsp::OcspResponse::from_der(der).is_ok_and(|r| r.response_bytes.is_some())
            };
            produced_at(staple.filter(signed).unwrap_or(file(OCSP, "good.der")))
        };
        let primer = self
            .cache
            .as_ref()
            .map(|p| (p.live.outcome(), p.time.resolve(made(None))));
        let live = self.live.as_ref().map(Live::outcome);
        let input = |time, staple, live, ocsp_cache| Input {
            chain: &chain,
            stapled_ocsp: staple,
            staple_hidden: self.staple_hidden,
            time,
            policy: &policy,
            onecrl: &onecrl,
            root_is_built_in: self.built_in_root,
            crlite: None,
            crlset: None,
            ocsp_cache,
            crls: None,
            live_ocsp: live,
            issuer_fetch: None,
            verifier,
        };
        let mut cache = OcspCache::new();
        if let Some((outcome, earlier)) = &primer {
            cache.apply(&evaluate(&input(*earlier, None, Some(outcome), None)).unwrap());
        }
        let time = self.time.resolve(made(staple));
        let cache = self.cache.as_ref().map(|_| &cache);
        evaluate(&input(time, staple, live.as_ref(), cache)).expect("the chain parses")
    }
}

pub fn vectors() -> VectorFile {
    serde_json::from_str(VECTORS).expect("fixtures/vectors/ladder.json parses")
}
