//! The browser's WebCrypto as the signature backend of the browser build:
//! native code in both browsers, where RustCrypto's P-384 takes about 10 ms
//! in wasm (../shared/notes/toolchain.md). The checks arrive prepared
//! (`verify::prepare`): algorithm, key kind and size and the ECDSA encoding
//! are already decided, so WebCrypto only does the arithmetic.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::verify::ledger::WantedCheck;
use crate::verify::{KeyKind, SignatureAlgorithm, SignatureError};

/// `crypto.subtle` of whatever global this runs in (extension page,
/// service worker, Node).
pub fn subtle() -> Result<SubtleCrypto, SignatureError> {
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

/// Makes one check: imports the key, then verifies.
pub async fn check(subtle: &SubtleCrypto, check: &WantedCheck) -> Result<(), SignatureError> {
    let (import_params, verify_params) = params(check.algorithm, check.key);
    let usages = Array::of1(&JsValue::from_str("verify"));
    let spki = Uint8Array::from(check.spki.as_slice());
    let importing = subtle
        .import_key_with_object("spki", &spki, &import_params, false, &usages)
        .map_err(|e| backend("importKey", &e))?;
    let key: CryptoKey = JsFuture::from(importing)
        .await
        .map_err(|e| {
            SignatureError::MalformedKey(format!("WebCrypto refused the key: {}", describe(&e)))
        })?
        .unchecked_into();
    let verifying = subtle
        .verify_with_object_and_u8_array_and_u8_array(
            &verify_params,
            &key,
            &check.signature,
            &check.message,
        )
        .map_err(|e| backend("verify", &e))?;
    let verified = JsFuture::from(verifying)
        .await
        .map_err(|e| backend("verify", &e))?;
    match verified.as_bool() {
        Some(true) => Ok(()),
        _ => Err(SignatureError::BadSignature),
    }
}

/// The algorithm dictionaries of `importKey` and `verify`.
fn params(algorithm: SignatureAlgorithm, key: KeyKind) -> (Object, Object) {
    let dict = |pairs: &[(&str, JsValue)]| {
        let object = Object::new();
        for (name, value) in pairs {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &JsValue::from_str(name), value);
        }
        object
    };
    let name = |s: &str| JsValue::from_str(s);
    match algorithm {
        SignatureAlgorithm::RsaPkcs1(hash) => {
            let import = dict(&[
                ("name", name("RSASSA-PKCS1-v1_5")),
                ("hash", name(hash.name())),
            ]);
            (import, dict(&[("name", name("RSASSA-PKCS1-v1_5"))]))
        }
        SignatureAlgorithm::RsaPss(hash) => {
            let import = dict(&[("name", name("RSA-PSS")), ("hash", name(hash.name()))]);
            let salt = JsValue::from_f64(hash.output_len() as f64);
            (
                import,
                dict(&[("name", name("RSA-PSS")), ("saltLength", salt)]),
            )
        }
        SignatureAlgorithm::Ecdsa(hash) => {
            let curve = if key == KeyKind::P384 {
                "P-384"
            } else {
                "P-256"
            };
            let import = dict(&[("name", name("ECDSA")), ("namedCurve", name(curve))]);
            (
                import,
                dict(&[("name", name("ECDSA")), ("hash", name(hash.name()))]),
            )
        }
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
