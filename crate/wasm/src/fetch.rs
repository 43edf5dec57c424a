//! The live OCSP request, made from wherever the engine runs (extension
//! background, service worker, Node) with the global `fetch`: GET in the
//! RFC 6960 appendix A.1 form when the request fits, POST again when the
//! responder refuses GET, one deadline for the whole exchange.
//!
//! This is the host's side of the ladder's live step, kept here rather than
//! in TypeScript so both browsers follow the same plan as the CLI's client
//! (`OcspFetch::plan`). The engine itself stays pure: this only fills a
//! [`FetchOutcome`].

use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestRedirect};

use revoscope::crl::CrlFetch;
use revoscope::limits::MAX_OCSP_RESPONSE_LEN;
use revoscope::ocsp::{Exchange, FetchMethod, FetchOutcome, MethodChoice, OcspFetch};

/// `performance.now()` where there is one (pages, workers, Node), else
/// `Date.now()`: milliseconds, for elapsed times only.
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .filter(|p| !p.is_undefined())
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Makes the request `fetch` describes, within `timeout_ms` in all.
pub async fn fetch_ocsp(
    fetch: &OcspFetch,
    choice: MethodChoice,
    timeout_ms: u32,
) -> (FetchMethod, FetchOutcome) {
    let start = now_ms();
    // One abort for everything: connect, both requests, and the body.
    let Ok(controller) = AbortController::new() else {
        return (
            FetchMethod::Get,
            FetchOutcome::Network {
                message: "this JavaScript host has no AbortController".into(),
                elapsed_ms: 0,
            },
        );
    };
    let deadline = {
        let controller = controller.clone();
        Timeout::new(timeout_ms, move || controller.abort())
    };
    let max = MAX_OCSP_RESPONSE_LEN;
    let result = match fetch.plan(choice) {
        Err(outcome) => (FetchMethod::Get, outcome),
        Ok(plan) => {
            let outcome = exchange(&plan.first, max, &controller, start).await;
            match plan.fallback_after(&outcome) {
                Some(next) if !controller.signal().aborted() => {
                    (next.method, exchange(&next, max, &controller, start).await)
                }
                _ => (plan.first.method, outcome),
            }
        }
    };
    deadline.cancel();
    result
}

/// GETs the CRL `fetch` names, within its deadline and size cap.
pub async fn fetch_crl(fetch: &CrlFetch, timeout_ms: u32) -> FetchOutcome {
    let start = now_ms();
    let Ok(controller) = AbortController::new() else {
        return FetchOutcome::Network {
            message: "this JavaScript host has no AbortController".into(),
            elapsed_ms: 0,
        };
    };
    let deadline = {
        let controller = controller.clone();
        Timeout::new(timeout_ms, move || controller.abort())
    };
    let get = Exchange {
        method: FetchMethod::Get,
        url: &fetch.url,
        body: None,
    };
    let outcome = exchange(&get, fetch.max_len, &controller, start).await;
    deadline.cancel();
    outcome
}

fn elapsed_since(start: f64) -> u32 {
    (now_ms() - start).clamp(0.0, f64::from(u32::MAX)) as u32
}

/// One HTTP exchange. No cookies, no cache, no redirects: an OCSP answer or
/// a CRL is bytes from the named server, and nothing of the user's goes with it.
async fn exchange(
    exchange: &Exchange<'_>,
    max: usize,
    controller: &AbortController,
    start: f64,
) -> FetchOutcome {
    let signal = controller.signal();
    let builder = match exchange.method {
        FetchMethod::Get => Request::get(exchange.url),
        FetchMethod::Post => Request::post(exchange.url),
    };
    let builder = builder
        .abort_signal(Some(&signal))
        .cache(RequestCache::NoStore)
        .credentials(RequestCredentials::Omit)
        .redirect(RequestRedirect::Error);
    let request = match exchange.body {
        Some(der) => builder
            .header("Content-Type", "application/ocsp-request")
            .body(js_sys::Uint8Array::from(der)),
        None => builder.build(),
    };
    let failed = |message: String| {
        let elapsed_ms = elapsed_since(start);
        if signal.aborted() {
            FetchOutcome::Timeout { elapsed_ms }
        } else {
            // Browsers give scripts one opaque TypeError for refused
            // connections, DNS failures and TLS errors alike.
            FetchOutcome::Network {
                message,
                elapsed_ms,
            }
        }
    };
    let response = match request {
        Ok(request) => match request.send().await {
            Ok(response) => response,
            Err(e) => return failed(e.to_string()),
        },
        Err(e) => return failed(e.to_string()),
    };
    let http_status = response.status();
    let body = match read_capped(&response, max).await {
        Ok(body) => body,
        Err(Body::TooLarge(len)) => {
            return FetchOutcome::TooLarge {
                len,
                elapsed_ms: elapsed_since(start),
            }
        }
        Err(Body::Failed(message)) => return failed(message),
        Err(Body::Truncated { got, declared }) => {
            return failed(format!(
                "the body ended after {got} of its {declared} bytes"
            ))
        }
    };
    FetchOutcome::Response {
        http_status,
        body,
        elapsed_ms: elapsed_since(start),
    }
}

/// Why a body was not read whole.
pub enum Body {
    /// Longer than the limit: declared so (then not read at all), or found
    /// so while reading (then the read stops there). At least this many bytes.
    TooLarge(usize),
    /// The connection broke or was aborted.
    Failed(String),
    /// The body ended before its declared length.
    Truncated { got: usize, declared: usize },
}

/// Reads a response body, at most `max` bytes: a server cannot make the
/// engine hold more, whether it announces the length or streams without one.
pub async fn read_capped(response: &Response, max: usize) -> Result<Vec<u8>, Body> {
    let declared = response
        .headers()
        .get("Content-Length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|&len| len > max) {
        return Err(Body::TooLarge(len));
    }
    let failed = |e: JsValue| {
        Body::Failed(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "the body could not be read".into()),
        )
    };
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| failed(JsValue::from_str("the body has no default reader")))?;
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            // Browsers report a short body as a bare network error.
            Err(_) if declared.is_some_and(|len| body.len() < len) => {
                return Err(Body::Truncated {
                    got: body.len(),
                    declared: declared.unwrap_or_default(),
                })
            }
            Err(e) => return Err(failed(e)),
        };
        let field =
            |name: &str| js_sys::Reflect::get(&chunk, &name.into()).unwrap_or(JsValue::UNDEFINED);
        if field("done").as_bool().unwrap_or(true) {
            return Ok(body);
        }
        let bytes: js_sys::Uint8Array = field("value").dyn_into().map_err(|_| {
            failed(JsValue::from_str(
                "the body stream gave something other than bytes",
            ))
        })?;
        if body.len() + bytes.length() as usize > max {
            // Stop the download, not just the reading.
            let _ = reader.cancel();
            return Err(Body::TooLarge(body.len() + bytes.length() as usize));
        }
        body.extend_from_slice(&bytes.to_vec());
    }
}
