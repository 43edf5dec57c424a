//! The browser's WebCrypto as the signature backend of the browser build:
//! native code in both browsers, where RustCrypto's P-384 takes about 10 ms
//! in wasm, measured in Node. The checks arrive prepared
//! (`verify::prepare`): algorithm, key kind and size and the ECDSA encoding
//! are already decided, so WebCrypto only does the arithmetic.

use std::cell::RefCell;
use std::collections::VecDeque;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use revoscope::verify::ledger::{self, Ledger, WantedCheck};
use revoscope::verify::{KeyKind, SignatureAlgorithm, SignatureError};

/// Runs `run` under the ledger protocol (`verify::ledger`), WebCrypto
/// making the checks it wants.
pub async fn settle<T>(run: impl FnMut(&Ledger) -> T) -> T {
    // Looked up only when a run wants a check: most evaluations want none.
    ledger::settle(run, check_now).await
}

/// Makes `wanted` checks now, side by side: what [`settle`] does between
/// runs, for a caller that knows its checks beforehand.
pub async fn check_now(wanted: Vec<WantedCheck>) -> Vec<(WantedCheck, Result<(), SignatureError>)> {
    match subtle() {
        Ok(subtle) => check_all(&subtle, wanted).await,
        Err(e) => wanted.into_iter().map(|w| (w, Err(e.clone()))).collect(),
    }
}

/// `crypto.subtle` of whatever global this runs in (extension page,
/// service worker, Node).
fn subtle() -> Result<SubtleCrypto, SignatureError> {
    let get = |target: &JsValue, name: &str| {
        Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .filter(JsValue::is_object)
    };
    get(&js_sys::global(), "crypto")
        .and_then(|crypto| get(&crypto, "subtle"))
        .map(JsCast::unchecked_into)
        .ok_or_else(|| {
            SignatureError::Backend("this context has no WebCrypto (crypto.subtle)".into())
        })
}

/// Imported keys, by SubjectPublicKeyInfo and signature algorithm: the same
/// issuers and responders sign page after page, and an import costs as
/// much as a verification.
const MAX_CACHED_KEYS: usize = 64;

thread_local! {
    static KEYS: RefCell<VecDeque<(Vec<u8>, SignatureAlgorithm, CryptoKey)>> =
        const { RefCell::new(VecDeque::new()) };
}

fn cached_key(spki: &[u8], algorithm: SignatureAlgorithm) -> Option<CryptoKey> {
    KEYS.with(|keys| {
        keys.borrow()
            .iter()
            .find(|(s, a, _)| s == spki && *a == algorithm)
            .map(|(_, _, key)| key.clone())
    })
}

fn cache_key(spki: &[u8], algorithm: SignatureAlgorithm, key: &CryptoKey) {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if keys.len() == MAX_CACHED_KEYS {
            keys.pop_front();
        }
        keys.push_back((spki.to_vec(), algorithm, key.clone()));
    });
}

/// Makes a round's checks. WebCrypto works on every started operation at
/// once, so all imports start before any is awaited, then all verifications.
async fn check_all(
    subtle: &SubtleCrypto,
    wanted: Vec<WantedCheck>,
) -> Vec<(WantedCheck, Result<(), SignatureError>)> {
    let usages = Array::of1(&JsValue::from_str("verify"));
    let importing: Vec<Result<Result<CryptoKey, JsFuture>, SignatureError>> = wanted
        .iter()
        .map(|check| {
            if let Some(key) = cached_key(&check.spki, check.algorithm) {
                return Ok(Ok(key));
            }
            let spki = Uint8Array::from(check.spki.as_slice());
            let params = import_params(check.algorithm, check.key);
            subtle
                .import_key_with_object("spki", &spki, &params, false, &usages)
                .map(|promise| Err(JsFuture::from(promise)))
                .map_err(|e| backend("importKey", &e))
        })
        .collect();
    let mut keys = Vec::with_capacity(wanted.len());
    for (check, import) in wanted.iter().zip(importing) {
        keys.push(match import {
            Ok(Ok(key)) => Ok(key),
            Ok(Err(pending)) => match pending.await {
                Ok(key) => {
                    let key: CryptoKey = key.unchecked_into();
                    cache_key(&check.spki, check.algorithm, &key);
                    Ok(key)
                }
                Err(e) => Err(SignatureError::MalformedKey(format!(
                    "WebCrypto refused the key: {}",
                    describe(&e)
                ))),
            },
            Err(e) => Err(e),
        });
    }
    let verifying: Vec<Result<JsFuture, SignatureError>> = wanted
        .iter()
        .zip(&keys)
        .map(|(check, key)| {
            let key = key.as_ref().map_err(Clone::clone)?;
            subtle
                .verify_with_object_and_u8_array_and_u8_array(
                    &verify_params(check.algorithm),
                    key,
                    &check.signature,
                    &check.message,
                )
                .map(JsFuture::from)
                .map_err(|e| backend("verify", &e))
        })
        .collect();
    let mut made = Vec::with_capacity(wanted.len());
    for (check, verification) in wanted.into_iter().zip(verifying) {
        let result = match verification {
            Ok(pending) => match pending.await {
                Ok(verified) if verified.as_bool() == Some(true) => Ok(()),
                Ok(_) => Err(SignatureError::BadSignature),
                Err(e) => Err(backend("verify", &e)),
            },
            Err(e) => Err(e),
        };
        made.push((check, result));
    }
    made
}

/// A plain object with string properties, for WebCrypto's dictionaries.
fn dict(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object
}

/// `importKey`'s algorithm: WebCrypto binds an RSA key to its scheme and
/// hash, an EC key to its curve.
fn import_params(algorithm: SignatureAlgorithm, key: KeyKind) -> Object {
    match algorithm {
        SignatureAlgorithm::RsaPkcs1(hash) => {
            dict(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", hash.name())])
        }
        SignatureAlgorithm::RsaPss(hash) => dict(&[("name", "RSA-PSS"), ("hash", hash.name())]),
        SignatureAlgorithm::Ecdsa(_) => {
            let curve = if key == KeyKind::P384 {
                "P-384"
            } else {
                "P-256"
            };
            dict(&[("name", "ECDSA"), ("namedCurve", curve)])
        }
    }
}

/// `verify`'s algorithm.
fn verify_params(algorithm: SignatureAlgorithm) -> Object {
    match algorithm {
        SignatureAlgorithm::RsaPkcs1(_) => dict(&[("name", "RSASSA-PKCS1-v1_5")]),
        SignatureAlgorithm::RsaPss(hash) => {
            let params = dict(&[("name", "RSA-PSS")]);
            let salt = JsValue::from_f64(hash.output_len() as f64);
            let _ = Reflect::set(&params, &JsValue::from_str("saltLength"), &salt);
            params
        }
        SignatureAlgorithm::Ecdsa(hash) => dict(&[("name", "ECDSA"), ("hash", hash.name())]),
    }
}

fn backend(call: &str, e: &JsValue) -> SignatureError {
    SignatureError::Backend(format!("WebCrypto {call} failed: {}", describe(e)))
}

/// An exception's message, for the error a user reads.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
