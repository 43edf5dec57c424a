//! The wasm-bindgen surface, as JavaScript sees it (runs in Node).
#![cfg(target_arch = "wasm32")]

#[macro_use]
#[path = "../../engine/tests/support/mod.rs"]
mod support;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use revoscope_wasm::{certificate_facts, policy_presets, Engine};
use serde_json::Value;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn js_chain(pem: &[u8]) -> Array {
    chain(pem)
        .iter()
        .map(|der| Uint8Array::from(der.as_slice()))
        .collect()
}

fn json(value: wasm_bindgen::JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).unwrap()
}

/// Awaits an evaluation's Promise, as JavaScript would.
async fn verdict(evaluation: Result<Promise, wasm_bindgen::JsError>) -> Value {
    json(JsFuture::from(evaluation.unwrap()).await.unwrap())
}

const NOW_MS: f64 = 1_795_262_400_000.0;

#[test]
async fn evaluates_like_the_cli_json() {
    let engine = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    let v = verdict(engine.evaluate(
        &js_chain(UNDER_REVOKED_SERIAL),
        None,
        NOW_MS,
        false,
        JsValue::UNDEFINED,
    ))
    .await;
    assert_eq!(v["policy"], "mozilla-plan");
    assert_eq!(v["evaluated_at"], "2026-11-21T12:00:00Z");
    assert_eq!(v["outcome"], "block");
    assert_eq!(v["hard_fail_would_block"], true);
    assert_eq!(v["certificates"][1]["status"], "revoked");
    assert_eq!(v["certificates"][1]["decided_by"], "onecrl");
    // The revoked intermediate fails the chain: the leaf's responder is not asked.
    assert_eq!(v["certificates"][0]["fetch"], Value::Null);
    assert_eq!(v["certificates"][0]["status"], "not-checked");
    assert_eq!(v["certificates"][0]["trace"][0]["step"], "onecrl");
}

#[test]
fn policies_switch_and_errors_are_messages() {
    let engine = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    engine.set_policy("hard-fail").unwrap();
    assert_eq!(json(engine.policy().unwrap())["live_ocsp"], "hard-fail");
    engine
        .set_policy(r#"{"base": "firefox-today", "short_lived_threshold_days": 3}"#)
        .unwrap();
    let p = json(engine.policy().unwrap());
    assert_eq!(
        (
            p["crlite"].as_str(),
            p["short_lived_threshold_days"].as_u64()
        ),
        (Some("enforce"), Some(3))
    );
    assert!(engine.set_policy("nope").is_err());
    // The engine keeps its last good policy.
    assert_eq!(
        json(engine.policy().unwrap())["short_lived_threshold_days"],
        3
    );

    let not_bytes = Array::of1(&"hello".into());
    assert!(engine
        .evaluate(&not_bytes, None, NOW_MS, false, JsValue::UNDEFINED)
        .is_err());
    assert!(engine
        .evaluate(
            &js_chain(LEAF_90D),
            None,
            f64::NAN,
            false,
            JsValue::UNDEFINED
        )
        .is_err());
    assert!(engine
        .evaluate(&Array::new(), None, NOW_MS, false, JsValue::UNDEFINED)
        .is_err());
    assert!(Engine::new(b"not json".to_vec()).is_err());
}

#[test]
fn real_snapshot_stats_and_facts() {
    let engine = Engine::new(REAL_ONECRL.to_vec()).unwrap();
    let stats = json(engine.snapshot_stats().unwrap());
    assert_eq!(
        (stats["records"].as_u64(), stats["disabled"].as_u64()),
        (Some(1918), Some(656))
    );
    let facts = json(certificate_facts(&chain(LEAF_90D)[0]).unwrap());
    assert_eq!(facts["serial"], "2001");
    assert_eq!(facts["ocsp_urls"][0], "http://127.0.0.1:8888/");
    assert_eq!(facts["scts"].as_array().unwrap().len(), 2);
    assert!(certificate_facts(&[0x30, 0x00]).is_err());
    let presets = json(policy_presets().unwrap());
    let names: Vec<&str> = presets
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "mozilla-plan",
            "hard-fail",
            "firefox-today",
            "inspector",
            "chrome-today"
        ]
    );
}

/// A live answer handed in as JavaScript would, then the same chain again:
/// the engine's own cache answers, and survives a round trip through the host.
#[test]
async fn live_answers_fill_the_cache_the_host_persists() {
    let good = ocsp_fixture!("good.der");
    let time_ms = (produced_at(good).0 + 60) as f64 * 1000.0;
    let live = Object::new();
    Reflect::set(&live, &"httpStatus".into(), &200.into()).unwrap();
    Reflect::set(&live, &"body".into(), &Uint8Array::from(good)).unwrap();
    Reflect::set(&live, &"elapsedMs".into(), &7.into()).unwrap();
    let engine = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    let v = verdict(engine.evaluate(&js_chain(LEAF_90D), None, time_ms, false, live.into())).await;
    assert_eq!(v["certificates"][0]["status"], "good");
    assert_eq!(v["certificates"][0]["decided_by"], "live-ocsp");
    assert_eq!(v["certificates"][0]["elapsed_ms"], 7);

    let saved = engine.ocsp_cache().unwrap();
    let restarted = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    restarted.set_ocsp_cache(saved, time_ms).unwrap();
    let v = verdict(restarted.evaluate(
        &js_chain(LEAF_90D),
        None,
        time_ms,
        false,
        JsValue::UNDEFINED,
    ))
    .await;
    assert_eq!(v["certificates"][0]["decided_by"], "cached-ocsp");

    let timeout = Object::new();
    Reflect::set(&timeout, &"error".into(), &"timeout".into()).unwrap();
    let v =
        verdict(engine.evaluate(&js_chain(LEAF_6D), None, time_ms, false, timeout.into())).await;
    assert_eq!(
        v["certificates"][0]["status"], "exempt",
        "short-lived: live never asked"
    );
    let bad = Object::new();
    Reflect::set(&bad, &"error".into(), &"carrier-pigeon".into()).unwrap();
    assert!(engine
        .evaluate(&js_chain(LEAF_90D), None, time_ms, false, bad.into())
        .is_err());
}

/// Evaluates LEAF_90D with `staple` a minute after the fixtures were made.
async fn with_staple(engine: &Engine, staple: &[u8]) -> Value {
    let time_ms = (produced_at(ocsp_fixture!("good.der")).0 + 60) as f64 * 1000.0;
    let v = verdict(engine.evaluate(
        &js_chain(LEAF_90D),
        Some(Uint8Array::from(staple)),
        time_ms,
        false,
        JsValue::UNDEFINED,
    ))
    .await;
    v["certificates"][0].clone()
}

/// Stapled responses checked by the host's WebCrypto (Node's here, the
/// browser's in the extension): every signature algorithm the fixtures
/// cover, signed by the issuer or by a delegated responder.
#[test]
async fn staples_are_checked_with_webcrypto() {
    let engine = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    for (file, status, algorithm) in [
        (ocsp_fixture!("good.der"), "good", "ecdsa"),
        (ocsp_fixture!("revoked.der"), "revoked", "ecdsa"),
        (ocsp_fixture!("delegated-p384.der"), "good", "ecdsa"),
        (ocsp_fixture!("delegated-rsa.der"), "good", "rsa-pkcs1"),
        (ocsp_fixture!("delegated-rsa-pss.der"), "good", "rsa-pss"),
    ] {
        let leaf = with_staple(&engine, file).await;
        assert_eq!(
            (leaf["status"].as_str(), leaf["decided_by"].as_str()),
            (Some(status), Some("stapled-ocsp")),
            "{leaf}"
        );
        assert_eq!(
            leaf["ocsp_response"]["signature_algorithm"]["scheme"], algorithm,
            "{leaf}"
        );
    }
}

/// A forged or broken signature never comes out good, whichever byte of
/// the signature or the signed data was changed.
#[test]
async fn webcrypto_never_accepts_an_altered_staple() {
    let engine = Engine::new(TEST_ONECRL.to_vec()).unwrap();
    let good = ocsp_fixture!("good.der");
    let bad = with_staple(&engine, ocsp_fixture!("bad-signature.der")).await;
    assert_ne!(bad["status"], "good", "{bad}");
    assert!(bad["trace"].to_string().contains("signature"), "{bad}");
    // The ResponseData and the signature sit after the first 20 bytes.
    for i in (20..good.len()).step_by(7) {
        let mut altered = good.to_vec();
        altered[i] ^= 0x01;
        let leaf = with_staple(&engine, &altered).await;
        assert_ne!(leaf["status"], "good", "byte {i}: {leaf}");
    }
    let no_eku = with_staple(&engine, ocsp_fixture!("delegated-no-eku.der")).await;
    assert_ne!(no_eku["status"], "good", "{no_eku}");
}

/// The standalone validator and request builder the UI and the bench use.
#[test]
async fn validate_ocsp_response_and_build_requests() {
    let (leaf, issuer) = (chain(LEAF_90D)[0].clone(), chain(LEAF_90D)[1].clone());
    let time_ms = (produced_at(ocsp_fixture!("good.der")).0 + 60) as f64 * 1000.0;
    let validate = |file: &'static [u8]| {
        revoscope_wasm::validate_ocsp_response(file.to_vec(), &leaf, &issuer, time_ms)
    };
    let good = verdict(validate(ocsp_fixture!("delegated-p384.der"))).await;
    assert_eq!(good["response"]["status"], "good", "{good}");
    assert_eq!(good["response"]["signer"]["kind"], "delegated");
    let bad = verdict(validate(ocsp_fixture!("bad-signature.der"))).await;
    assert_eq!(bad["error"]["code"], "bad-signature", "{bad}");
    assert!(bad.get("response").is_none());
    let other = verdict(validate(ocsp_fixture!("other-ca.der"))).await;
    assert!(other["error"]["code"].is_string(), "{other}");

    let request = revoscope_wasm::ocsp_request(&leaf, &issuer).unwrap();
    assert_eq!(request[0], 0x30);
    assert!(request.len() < 100);
    assert!(revoscope_wasm::ocsp_request(&[0x30], &issuer).is_err());
}
