//! What the host passes in beside the chain, read with serde into the
//! contract's shapes (the options of `Engine.inspect` and of the syncs, the
//! host's account of a live OCSP request), then checked for what serde
//! cannot say (ranges, URL schemes, hex), with a message naming the option.
//!
//! `undefined` or `null` for the whole object means every default, as for
//! any absent field.

use revoscope::crlite::records::DEFAULT_CHANNEL;
use revoscope::crlset::sync::GOOGLE_UPDATE_SERVER;
use revoscope::crx3::Crx3Expectation;
use revoscope::ocsp::{FetchOutcome, MethodChoice};
use revoscope::remote_settings::sync::{mozilla_onecrl_trust, MOZILLA_SERVER};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::contract::{
    CountOptions, CrlCheckOptions, CrlsetSyncOptions, InspectOptions, LiveOutcome, SyncOptions,
};
use super::sync;

/// Reads `value` as `T`; `undefined` and `null` are `T::default()`.
fn read<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// An optional duration: 1 to `max` ms, or absent.
fn millis(value: Option<f64>, name: &str, max: u32) -> Result<Option<u32>, JsError> {
    value
        .map(|ms| {
            Some(ms)
                .filter(|ms| (1.0..=f64::from(max)).contains(ms))
                .map(|ms| ms as u32)
                .ok_or_else(|| JsError::new(&format!("options.{name} must be 1-{max} ms")))
        })
        .transpose()
}

/// What `Engine.inspect` may do beyond evaluating: its options, checked.
pub struct InspectPlan {
    /// Make the live OCSP request the ladder asks for.
    pub fetch: bool,
    pub method: MethodChoice,
    /// The request's deadline; the policy's when absent.
    pub timeout_ms: Option<u32>,
    /// A responder to ask instead of the certificate's.
    pub responder: Option<String>,
    /// The host could not see whether the server stapled.
    pub staple_hidden: bool,
    /// Count the page load in the engine's telemetry (`Engine.setTelemetry`),
    /// with what the browser said of it.
    pub count: Option<CountOptions>,
    /// Say what the leaf's CRL says beside the verdict.
    pub check_crl: bool,
}

impl InspectPlan {
    pub fn from_js(value: JsValue) -> Result<Self, JsError> {
        let js: InspectOptions = read(value, "options")?;
        let method = match js.method {
            None => MethodChoice::Auto,
            Some(text) => MethodChoice::parse(&text).ok_or_else(|| {
                JsError::new(&format!("options.method {text:?} is not auto, get or post"))
            })?,
        };
        Ok(InspectPlan {
            fetch: js.fetch.unwrap_or(false),
            method,
            timeout_ms: millis(js.timeout_ms, "timeoutMs", 120_000)?,
            responder: js.responder,
            staple_hidden: js.staple_hidden.unwrap_or(false),
            count: js.count,
            check_crl: js.check_crl.unwrap_or(false),
        })
    }
}

/// `Engine.checkCrl`'s options: whether to count what the CRL took.
pub fn crl_check_counts(value: JsValue) -> Result<bool, JsError> {
    Ok(read::<CrlCheckOptions>(value, "options")?
        .count
        .unwrap_or(false))
}

/// A sync's options, checked, and the CRLite channel to follow.
pub struct SyncPlan {
    pub sync: sync::Options,
    pub channel: String,
}

impl SyncPlan {
    pub fn from_js(value: JsValue, default_timeout_ms: u32) -> Result<Self, JsError> {
        let js: SyncOptions = read(value, "options")?;
        let mut trust = mozilla_onecrl_trust();
        if let Some(hashes) = js.root_hashes {
            trust.roots = hashes
                .iter()
                .map(|hex| {
                    sha256_hex(hex).ok_or_else(|| {
                        JsError::new("options.rootHashes must be hex SHA-256 values")
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(signer) = js.signer {
            trust.signer_name = signer;
        }
        let server = http_url(js.server.unwrap_or_else(|| MOZILLA_SERVER.into()))?;
        let channel = match js.channel {
            None => DEFAULT_CHANNEL.into(),
            Some(c) if is_channel(&c) => c,
            Some(_) => {
                return Err(JsError::new(
                    "options.channel must be 1-64 letters, digits, '-' or '_'",
                ))
            }
        };
        Ok(SyncPlan {
            sync: sync::Options {
                server,
                trust,
                timeout_ms: millis(js.timeout_ms, "timeoutMs", 600_000)?
                    .unwrap_or(default_timeout_ms),
            },
            channel,
        })
    }
}

/// `Engine.syncCrlset`'s options, checked.
pub struct CrlsetSyncPlan {
    /// The update server, without its query.
    pub server: String,
    /// The component and the publisher key one proof must be made with.
    pub expect: Crx3Expectation,
    pub timeout_ms: u32,
}

impl CrlsetSyncPlan {
    pub fn from_js(value: JsValue, default_timeout_ms: u32) -> Result<Self, JsError> {
        let js: CrlsetSyncOptions = read(value, "options")?;
        let expect = match js.key_sha256 {
            None => Crx3Expectation::crlset(),
            Some(hex) => Crx3Expectation::for_key(sha256_hex(&hex).ok_or_else(|| {
                JsError::new(&format!(
                    "options.keySha256 {hex:?} is not a hex SHA-256 value"
                ))
            })?),
        };
        Ok(CrlsetSyncPlan {
            server: http_url(js.server.unwrap_or_else(|| GOOGLE_UPDATE_SERVER.into()))?,
            expect,
            timeout_ms: millis(js.timeout_ms, "timeoutMs", 600_000)?.unwrap_or(default_timeout_ms),
        })
    }
}

/// A server's URL, which must be http(s).
fn http_url(server: String) -> Result<String, JsError> {
    if server.starts_with("https://") || server.starts_with("http://") {
        Ok(server)
    } else {
        Err(JsError::new(&format!(
            "options.server {server:?} is not an http(s) URL"
        )))
    }
}

/// A SHA-256 value in hex (surrounding spaces ignored).
fn sha256_hex(hex: &str) -> Option<[u8; 32]> {
    revoscope::hex::decode(hex.trim()).and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
}

/// A channel name as Remote Settings records carry it ("default", "compat").
fn is_channel(c: &str) -> bool {
    (1..=64).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads the host's live OCSP result; `undefined` or `null`: none.
pub fn live_outcome(value: JsValue) -> Result<Option<FetchOutcome>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let js: LiveOutcome = read(value, "live OCSP result")?;
    let elapsed_ms = js.elapsed_ms.unwrap_or(0.0).clamp(0.0, f64::from(u32::MAX)) as u32;
    if let Some(error) = js.error {
        return Ok(Some(match error.as_str() {
            "timeout" => FetchOutcome::Timeout { elapsed_ms },
            "refused" => FetchOutcome::Refused { elapsed_ms },
            "dns" => FetchOutcome::Dns { elapsed_ms },
            "tls" => FetchOutcome::Tls { elapsed_ms },
            "network" => FetchOutcome::Network {
                message: js.message.unwrap_or_default(),
                elapsed_ms,
            },
            other => {
                return Err(JsError::new(&format!(
                    "unknown live OCSP error kind {other:?}"
                )))
            }
        }));
    }
    let status = js
        .http_status
        .filter(|s| (100.0..=999.0).contains(s))
        .ok_or_else(|| JsError::new("live OCSP result needs httpStatus (100-999) or error"))?;
    let body = js
        .body
        .ok_or_else(|| JsError::new("live OCSP result: body must be a Uint8Array"))?;
    Ok(Some(FetchOutcome::Response {
        http_status: status as u16,
        body,
        elapsed_ms,
    }))
}
