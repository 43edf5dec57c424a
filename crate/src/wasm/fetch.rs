//! The live OCSP request, made from wherever the engine runs (extension
//! background, service worker, Node) with the global `fetch`: GET in the
//! RFC 6960 appendix A.1 form when the request fits, POST again when the
//! responder refuses GET, one deadline for the whole exchange.
//!
//! This is the host's side of the ladder's live step, kept here rather than
//! in TypeScript so both browsers follow the same plan as the CLI's client
//! (`OcspFetch::plan`). The engine itself stays pure: this only fills a
//! [`FetchOutcome`].

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestRedirect};

use crate::limits::MAX_OCSP_RESPONSE_LEN;
use crate::ocsp::{Exchange, FetchMethod, FetchOutcome, MethodChoice, OcspFetch};

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
    let result = match fetch.plan(choice) {
        Err(outcome) => (FetchMethod::Get, outcome),
        Ok(plan) => {
            let outcome = exchange(&plan.first, &controller, start).await;
            match plan.fallback_after(&outcome) {
                Some(next) if !controller.signal().aborted() => {
                    (next.method, exchange(&next, &controller, start).await)
                }
                _ => (plan.first.method, outcome),
            }
        }
    };
    deadline.cancel();
    result
}

fn elapsed_since(start: f64) -> u32 {
    (now_ms() - start).clamp(0.0, f64::from(u32::MAX)) as u32
}

/// One HTTP exchange. No cookies, no cache, no redirects: an OCSP answer
/// is bytes from the named responder, and nothing of the user's goes with it.
async fn exchange(
    exchange: &Exchange<'_>,
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
    let failed = |e: gloo_net::Error| {
        let elapsed_ms = elapsed_since(start);
        if signal.aborted() {
            FetchOutcome::Timeout { elapsed_ms }
        } else {
            // Browsers give scripts one opaque TypeError for refused
            // connections, DNS failures and TLS errors alike.
            FetchOutcome::Network {
                message: e.to_string(),
                elapsed_ms,
            }
        }
    };
    let response = match request {
        Ok(request) => match request.send().await {
            Ok(response) => response,
            Err(e) => return failed(e),
        },
        Err(e) => return failed(e),
    };
    let http_status = response.status();
    // A declared length over the limit is not read at all.
    let declared = response
        .headers()
        .get("Content-Length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|&len| len > MAX_OCSP_RESPONSE_LEN) {
        return FetchOutcome::TooLarge {
            len,
            elapsed_ms: elapsed_since(start),
        };
    }
    let body = match response.binary().await {
        Ok(body) => body,
        Err(e) => return failed(e),
    };
    FetchOutcome::Response {
        http_status,
        body,
        elapsed_ms: elapsed_since(start),
    }
}
