//! A CRL the host already holds (a list the user opened, or one the host
//! fetched or stored itself), read and checked against its issuer once and
//! kept as the engine's index for lookups by serial. `Engine.inspect` with
//! `checkCrl` fetches and keeps the lists the ladder needs on its own; this
//! is the way in for the others, and what `scripts/bench-crl.mjs` times.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, to_js, webcrypto};
use revoscope::crl::{CrlList, CrlReasonCode, CrlSummary};
use revoscope::verify::ledger::{Ledger, WantedCheck};
use revoscope::verify::{Check, SignatureError, SignatureVerifier};
use revoscope::Cert;

/// A CRL read, its signature checked by WebCrypto, and its serials indexed.
#[wasm_bindgen]
pub struct CrlIndex {
    list: CrlList,
}

/// What the list says of one listed serial (times in seconds since the epoch).
#[derive(Serialize)]
struct Listed {
    revocation_time: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<CrlReasonCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invalidity_date: Option<u64>,
}

#[wasm_bindgen]
impl CrlIndex {
    /// Reads the DER CRL `bytes` and checks it against `issuer` (the
    /// issuer certificate's DER): its Name, key identifier and cRLSign key
    /// usage, and the signature, by WebCrypto. Resolves to the index, or
    /// rejects with an `Error` whose message says why the list is unusable.
    /// The list's times and Issuing Distribution Point are not judged here:
    /// `summary()` shows them.
    pub async fn read(bytes: Vec<u8>, issuer: Vec<u8>) -> Result<CrlIndex, JsError> {
        let issuer = Cert::from_der(&issuer).map_err(js_error)?;
        let list = settle_probing(|verifier| CrlList::read(&bytes, &issuer, verifier))
            .await
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(CrlIndex { list })
    }

    /// How many serials the list holds.
    pub fn entries(&self) -> usize {
        self.list.len()
    }

    /// Whether the serial with these content octets (the INTEGER's, a
    /// leading 00 kept, as `certificateFacts` and OneCRL give them) is
    /// listed. Listed with removeFromCRL counts as listed: `lookup` tells.
    pub fn contains(&self, serial: &[u8]) -> bool {
        self.list.find(serial).is_some()
    }

    /// The entry for `serial`: `{revocation_time, reason?, invalidity_date?}`,
    /// or `null` when it is not listed.
    pub fn lookup(&self, serial: &[u8]) -> Result<JsValue, JsError> {
        match self.list.find(serial) {
            Some(e) => to_js(&Listed {
                revocation_time: e.revoked_at,
                reason: e.reason,
                invalidity_date: e.invalidity,
            }),
            None => Ok(JsValue::NULL),
        }
    }

    /// The list's metadata: issuer, signature algorithm, thisUpdate and
    /// nextUpdate, cRLNumber, entries, its Issuing Distribution Point.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&CrlSummary::of(&self.list))
    }
}

/// Runs `run` (a CRL read) with its signature checks made by WebCrypto,
/// for runs whose checks do not depend on one another's results.
/// `webcrypto::settle` would index a list's entries twice: its first run
/// assumes every check holds so as to find them all, and only then are they
/// made. A CRL has a single check, the step before its entries, so a first
/// run in which every check fails stops there and still names it; only the
/// run after the checks walks the entries. For a list of 213,000 entries
/// (10 MB) that halves the read: the entries are nine tenths of it.
/// `Engine.inspect`'s CRL fetches would gain the same way.
pub(crate) async fn settle_probing<T>(mut run: impl FnMut(&dyn SignatureVerifier) -> T) -> T {
    let probe = Probe::default();
    let first = run(&probe);
    let wanted = probe.0.into_inner();
    if wanted.is_empty() {
        // Unusable before its signature (or wanting no check at all).
        return first;
    }
    let mut ledger = Ledger::new();
    for (check, result) in webcrypto::check_now(wanted).await {
        ledger.record(check, result);
    }
    // A check the first run did not name fails as not checked, never as good.
    ledger.seal();
    run(&ledger)
}

/// Notes the checks asked for and makes none: each fails as not checked.
#[derive(Debug, Default)]
struct Probe(RefCell<Vec<WantedCheck>>);

impl SignatureVerifier for Probe {
    fn check(&self, check: &Check<'_>) -> Result<(), SignatureError> {
        self.0.borrow_mut().push(WantedCheck {
            algorithm: check.algorithm,
            key: check.key,
            spki: check.spki.to_vec(),
            message: check.message.to_vec(),
            signature: check.signature.to_vec(),
        });
        Err(SignatureError::NotChecked)
    }
}
