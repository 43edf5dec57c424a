//! The HTTP API: the routes, their checks and their answers.
//!
//! | request | status | `error` code |
//! |---|---|---|
//! | `POST /v1/reports`, stored | 201 | (`{"stored": true, "id": ...}`) |
//! | the same id again | 409 | `replay` |
//! | over the client's rate | 429 + `Retry-After` | `rate-limited` |
//! | not `Content-Type: application/json` | 415 | `unsupported-media-type` |
//! | body over `MAX_REPORT_LEN` (declared or sent) | 413 | `too-large` |
//! | body not sent in time | 408 | `timeout` |
//! | not JSON, a wrong type, missing or unknown field, a negative, fractional or beyond-32-bit count, a bad day or browser | 400 | `malformed` |
//! | well-formed but refused by the schema | 422 | `unsupported-schema`, `bad-id`, `bad-extension-version`, `wrong-length`, `over-clip` |
//! | a day after today or older than `--max-age-days` (UTC) | 422 | `day-out-of-range` |
//! | the store failed | 503 | `store-unavailable` |
//! | `GET /v1/aggregates` without from/to | 400 | `bad-query` |
//! | a date not `YYYY-MM-DD` | 400 | `bad-day` |
//! | from after to, or more than 366 days | 400 | `bad-range` |
//! | unknown path | 404 | `not-found` |
//! | known path, other method | 405 | `method-not-allowed` |
//!
//! 400 is for a body that does not read as a report at all, 422 for one
//! that reads but is not acceptable. Every error body is
//! `{"error": CODE, "message": SENTENCE}`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use revoscope::limits::MAX_REPORT_LEN;
use revoscope::telemetry::report::{Report, ReportError};
use revoscope::telemetry::Day;
use tower_http::services::ServeDir;

use crate::aggregate::{self, Aggregates, Layout, MAX_SPAN_DAYS};
use crate::rate::{Admission, RateLimiter};
use crate::store::{Inserted, Store};
use crate::writer::{WriteError, Writer};

/// A client gets this long to send its report's body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Today's UTC day; the server's clock in production.
pub type Clock = fn() -> Day;

/// The system clock's day.
pub fn system_today() -> Day {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Day::of(revoscope::UnixTime(secs))
}

/// What the routes share.
pub struct Service {
    pub store: Arc<dyn Store>,
    pub writer: Writer,
    pub limiter: Option<RateLimiter>,
    pub k: u64,
    pub max_age_days: u32,
    pub today: Clock,
    pub layout: Layout,
}

type Shared = State<Arc<Service>>;

/// The routes, logged; `dashboard` is served at `/dashboard/`.
pub fn router(service: Arc<Service>, dashboard: Option<&std::path::Path>) -> Router {
    let mut router = Router::new()
        .route("/v1/reports", post(post_report))
        .route("/v1/aggregates", get(get_aggregates))
        .route("/healthz", get(healthz));
    if let Some(dir) = dashboard {
        router = router
            .nest_service("/dashboard/", ServeDir::new(dir))
            .route("/dashboard", get(to_dashboard));
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service)
        .layer(middleware::from_fn(log_request))
}

/// The word the log line ends with: the outcome of the request.
#[derive(Clone, Copy)]
struct Outcome(&'static str);

/// A refusal: its status, its stable code and a sentence for people.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    fn store_unavailable(why: impl core::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            format!("The report store is unavailable ({why}); try again later."),
        )
    }
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> ApiError {
        let status = match e {
            ReportError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ReportError::Malformed(_) => StatusCode::BAD_REQUEST,
            ReportError::UnsupportedSchema(_)
            | ReportError::BadId
            | ReportError::BadExtensionVersion(_)
            | ReportError::WrongLength { .. }
            | ReportError::OverClip { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.code(), capitalised(&e.to_string()))
    }
}

fn capitalised(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.code, "message": self.message});
        let mut response = json_response(self.status, body.to_string());
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(Outcome(self.code));
        response
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn with_outcome(mut response: Response, outcome: &'static str) -> Response {
    response.extensions_mut().insert(Outcome(outcome));
    response
}

async fn post_report(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if let Some(limiter) = &service.limiter {
        if let Admission::Limited { retry_after_secs } = limiter.check(peer.ip(), Instant::now()) {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                format!("Too many reports from this address; try again in {retry_after_secs} s."),
            );
            e.retry_after = Some(retry_after_secs);
            return Err(e);
        }
    }
    check_content_type(&headers)?;
    let body = read_body(&headers, body).await?;
    let report = Report::from_json(&body)?;
    check_day(report.day, (service.today)(), service.max_age_days)?;
    let id = report.id.clone();
    match service.writer.submit(report).await {
        Ok(Inserted::Stored) => {
            // The id is 32 lowercase hex digits (`Report::from_json`):
            // nothing to escape, and no JSON value built per report.
            let body = format!(r#"{{"stored":true,"id":"{id}"}}"#);
            Ok(with_outcome(
                json_response(StatusCode::CREATED, body),
                "stored",
            ))
        }
        Ok(Inserted::Replay) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "replay",
            "A report with this id is already stored; it is counted once.",
        )),
        Err(e @ WriteError::Store(_)) | Err(e @ WriteError::Stopped) => {
            Err(ApiError::store_unavailable(e))
        }
    }
}

/// `application/json`, parameters (`charset=utf-8`) allowed.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim());
    match media_type {
        Some(t) if t.eq_ignore_ascii_case("application/json") => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "A report is sent as Content-Type: application/json.",
        )),
    }
}

fn too_large(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!("The report {what} over the {MAX_REPORT_LEN}-byte limit."),
    )
}

/// The body, at most [`MAX_REPORT_LEN`] bytes: refused up front when its
/// declared length is over, and while it arrives when it turns out over
/// (chunked, or a lying Content-Length).
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_REPORT_LEN as u64) {
        return Err(too_large("declares a length"));
    }
    let collect = Limited::new(body, MAX_REPORT_LEN).collect();
    match tokio::time::timeout(BODY_TIMEOUT, collect).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "The report's body did not arrive within {} s.",
                BODY_TIMEOUT.as_secs()
            ),
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(too_large("is")),
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!("The report's body could not be read: {e}."),
        )),
    }
}

/// Reports may cover today so far, and days back to `max_age_days` ago.
fn check_day(day: Day, today: Day, max_age_days: u32) -> Result<(), ApiError> {
    let out_of_range = |why: String| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "day-out-of-range",
            format!("The report is for {day}, {why}."),
        )
    };
    if day > today {
        return Err(out_of_range(format!("after today ({today}, UTC)")));
    }
    if today.0 - day.0 > max_age_days {
        return Err(out_of_range(format!(
            "more than {max_age_days} days before today ({today}, UTC)"
        )));
    }
    Ok(())
}

/// `from` and `to` of the query, inclusive.
fn parse_range(query: Option<&str>) -> Result<(Day, Day), ApiError> {
    let bad_query = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-query",
            "Ask for /v1/aggregates?from=YYYY-MM-DD&to=YYYY-MM-DD, each once.",
        )
    };
    let (mut from, mut to) = (None, None);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "from" => &mut from,
            "to" => &mut to,
            // Cache busters and the like.
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(bad_query());
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(bad_query());
    };
    let day = |text: &str| {
        Day::parse(text).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-day",
                format!(
                    "{:?} is not a day written YYYY-MM-DD.",
                    text.chars().take(40).collect::<String>()
                ),
            )
        })
    };
    let (from, to) = (day(from)?, day(to)?);
    if from > to {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-range",
            format!("from ({from}) is after to ({to})."),
        ));
    }
    if to.0 - from.0 >= MAX_SPAN_DAYS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-range",
            format!("From {from} to {to} is over {MAX_SPAN_DAYS} days; ask in parts."),
        ));
    }
    Ok((from, to))
}

async fn get_aggregates(State(service): Shared, uri: Uri) -> Response {
    let mut response = match aggregates(service, uri.query()).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    // Public data, for a dashboard served from anywhere.
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

async fn aggregates(service: Arc<Service>, query: Option<&str>) -> Result<Response, ApiError> {
    let (from, to) = parse_range(query)?;
    let store = service.clone();
    let totals = tokio::task::spawn_blocking(move || store.store.aggregates(from, to))
        .await
        .map_err(ApiError::store_unavailable)?
        .map_err(|e| {
            crate::log::line(&format!("aggregates: {e}"));
            ApiError::store_unavailable(e)
        })?;
    let days = aggregate::publish(totals, service.k);
    let body = Aggregates::new(&service.layout, service.k, from, to, days);
    let json = serde_json::to_string(&body).map_err(ApiError::store_unavailable)?;
    Ok(with_outcome(json_response(StatusCode::OK, json), "ok"))
}

async fn healthz(State(service): Shared) -> Result<Response, ApiError> {
    if !service.writer.is_running() {
        return Err(ApiError::store_unavailable(WriteError::Stopped));
    }
    let store = service.clone();
    tokio::task::spawn_blocking(move || store.store.healthy())
        .await
        .map_err(ApiError::store_unavailable)?
        .map_err(ApiError::store_unavailable)?;
    let mut response = (StatusCode::OK, "ok").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(with_outcome(response, "ok"))
}

async fn to_dashboard() -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/dashboard/"));
    response
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not-found", "There is nothing here.")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "This path does not take that method.",
    )
}

/// The path as logged: the routes by name, anything else as `(other)`.
fn logged_path(path: &str) -> &'static str {
    match path {
        "/v1/reports" => "/v1/reports",
        "/v1/aggregates" => "/v1/aggregates",
        "/healthz" => "/healthz",
        p if p == "/dashboard" || p.starts_with("/dashboard/") => "/dashboard/",
        _ => "(other)",
    }
}

async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = logged_path(request.uri().path());
    let response = next.run(request).await;
    let outcome = response.extensions().get::<Outcome>().map_or("", |o| o.0);
    // Standard methods by name; an invented one is the client's text.
    let method = match method.as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH") => m,
        _ => "(other)",
    };
    crate::log::line(
        format!("{method} {path} {} {outcome}", response.status().as_u16()).trim_end(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_may_be_today_and_back_to_max_age() {
        let today = Day(20_000);
        assert!(check_day(today, today, 31).is_ok());
        assert!(check_day(Day(20_000 - 31), today, 31).is_ok());
        let e = check_day(Day(20_000 - 32), today, 31).unwrap_err();
        assert_eq!(
            (e.status, e.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "day-out-of-range")
        );
        let e = check_day(Day(20_001), today, 31).unwrap_err();
        assert_eq!(e.code, "day-out-of-range");
        assert!(e.message.contains("after today"), "{}", e.message);
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let range = |q| parse_range(Some(q)).map_err(|e| e.code);
        assert_eq!(
            range("from=2026-01-01&to=2026-01-01"),
            Ok((
                Day::parse("2026-01-01").unwrap(),
                Day::parse("2026-01-01").unwrap()
            ))
        );
        assert!(range("to=2026-12-31&from=2026-01-01&_=1").is_ok());
        // 2028 is a leap year: 366 days in all.
        assert!(range("from=2028-01-01&to=2028-12-31").is_ok());
        assert_eq!(range("from=2028-01-01&to=2029-01-01"), Err("bad-range"));
        assert_eq!(range("from=2026-01-02&to=2026-01-01"), Err("bad-range"));
        assert_eq!(range("from=2026-1-1&to=2026-01-01"), Err("bad-day"));
        assert_eq!(range("from=2026-01-01"), Err("bad-query"));
        assert_eq!(
            range("from=2026-01-01&from=2026-01-01&to=2026-01-02"),
            Err("bad-query")
        );
        assert_eq!(parse_range(None).unwrap_err().code, "bad-query");
    }

    #[test]
    fn the_content_type_is_json_with_or_without_parameters() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
            check_content_type(&headers).map_err(|e| e.status)
        };
        assert!(with("application/json").is_ok());
        assert!(with("Application/JSON; charset=utf-8").is_ok());
        assert_eq!(with("text/plain"), Err(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        assert_eq!(
            with("application/jsonx"),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(
            check_content_type(&HeaderMap::new()).map_err(|e| e.status),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
    }

    #[test]
    fn report_errors_map_to_400_or_422() {
        let status = |e: ReportError| ApiError::from(e).status;
        assert_eq!(
            status(ReportError::Malformed("x".into())),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(ReportError::UnsupportedSchema(2)),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(status(ReportError::BadId), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            status(ReportError::TooLarge { len: 1 << 20 }),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let e = ApiError::from(ReportError::BadId);
        assert_eq!(e.message, "The report id is not 32 lowercase hex digits.");
    }
}
