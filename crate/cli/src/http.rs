//! The CLI's HTTP client, on ureq (HTTP/1.1; rustls with ring and
//! Mozilla's root store, webpki-roots, for https://). What it keeps of any
//! request, whatever ureq's defaults:
//!
//! - one deadline for the whole exchange: resolving, connecting, the
//!   handshake, sending and receiving the body (ureq's global timeout);
//! - one request per connection (no pool), no proxy from the environment,
//!   no content coding (`Accept-Encoding: identity`; a coded body is refused);
//! - a cap on the body that stops the reading, not just the keeping: an
//!   announced length over the cap is refused unread;
//! - the failure classes the engine and the reports name (`dns`, `refused`,
//!   `timeout`, `tls`...), from ureq's errors ([`transport_error`]).
//!
//! Four users:
//! - live OCSP ([`fetch_ocsp`]), over http:// only: OCSP is served over
//!   plain HTTP (RFC 6960 appendix A.1), and a TLS responder would need
//!   revocation checking of its own; no redirect is followed (a 3xx is a
//!   response, which the engine judges an HTTP error);
//! - the missing issuer ([`fetch_issuer`], AIA caIssuers, RFC 5280 section
//!   4.2.2.1), as OCSP: http:// only (Chromium's AIA fetcher also refuses
//!   anything but http://), no redirect, the engine's cap on the body;
//! - CRLs ([`fetch_crl`], a CRL distribution point, RFC 5280 section
//!   4.2.1.13), the same way: http:// only, no redirect, the engine's cap
//!   ([`revoscope::limits::MAX_CRL_LEN`]); the list carries the issuer's
//!   signature, which the engine checks, so plain HTTP is enough;
//! - the syncs ([`get`]), over https:// from Mozilla's server, or http://
//!   from a local one; at most 5 redirects, never from https:// down to
//!   http://.

use std::fmt;
use std::io::{self, Read};
use std::time::{Duration, Instant};

use ureq::http;
use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::{Agent, Body};

use revoscope::crl::CrlFetch;
use revoscope::issuer::IssuerFetch;
use revoscope::limits::MAX_OCSP_RESPONSE_LEN;
use revoscope::ocsp::{Exchange, FetchMethod, FetchOutcome, MethodChoice, OcspFetch};

/// Largest response head (status line and headers) read.
const MAX_HEAD_LEN: usize = 16 * 1024;

/// Redirects a [`get`] follows.
const MAX_REDIRECTS: u32 = 5;

/// Bytes asked of the body per read.
const READ_BLOCK: usize = 16 * 1024;

/// Why an exchange brought no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// The URL is not one this client fetches.
    BadUrl(String),
    /// The host name did not resolve.
    Dns(String),
    /// The connection was refused, or reset or closed before any answer.
    Refused(String),
    /// The deadline passed.
    Timeout,
    /// The TLS handshake failed (the certificate among other reasons).
    Tls(String),
    /// Any other transport failure, or an answer that is not HTTP.
    Network(String),
    /// A body over the cap: announced so (then not read), or found so
    /// while reading (then the reading stops). At least `len` bytes.
    TooLarge { len: u64 },
    /// The body ended before its announced length, or before its last chunk.
    Truncated(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::BadUrl(why) | HttpError::Network(why) | HttpError::Truncated(why) => {
                f.write_str(why)
            }
            HttpError::Dns(why) => write!(f, "the name did not resolve: {why}"),
            HttpError::Refused(why) => write!(f, "the connection was refused or closed: {why}"),
            HttpError::Timeout => f.write_str("no answer before the deadline"),
            HttpError::Tls(why) => write!(f, "TLS: {why}"),
            HttpError::TooLarge { len } => write!(f, "a body of at least {len} bytes"),
        }
    }
}

// ---------------------------------------------------------------------------
// Live OCSP

/// Makes the request `fetch` describes, within `timeout`, as its plan says.
pub fn fetch_ocsp(
    fetch: &OcspFetch,
    choice: MethodChoice,
    timeout: Duration,
) -> (FetchMethod, FetchOutcome) {
    let start = Instant::now();
    let plan = match fetch.plan(choice) {
        Ok(plan) => plan,
        Err(outcome) => return (FetchMethod::Get, outcome),
    };
    let outcome = exchange(&plan.first, start, timeout);
    match plan.fallback_after(&outcome) {
        Some(next) if start.elapsed() < timeout => (next.method, exchange(&next, start, timeout)),
        _ => (plan.first.method, outcome),
    }
}

fn elapsed_ms(start: Instant) -> u32 {
    u32::try_from(start.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// One OCSP exchange: GET its URL, or POST its body to it. Any HTTP status
/// is a response; the engine judges it.
fn exchange(exchange: &Exchange<'_>, start: Instant, timeout: Duration) -> FetchOutcome {
    let Exchange { url, body, .. } = *exchange;
    plain_http(
        url,
        body,
        MAX_OCSP_RESPONSE_LEN,
        start,
        timeout,
        "responders",
    )
}

// ---------------------------------------------------------------------------
// The missing issuer (AIA caIssuers)

/// GETs the issuer the engine asked for, within `timeout` (the live OCSP
/// deadline), as OCSP is fetched: http:// only, no redirect (a 3xx is an
/// HTTP error), the body capped at the fetch's `max_len`. The engine checks
/// what comes back.
pub fn fetch_issuer(fetch: &IssuerFetch, timeout: Duration) -> FetchOutcome {
    plain_http(
        &fetch.url,
        None,
        fetch.max_len,
        Instant::now(),
        timeout,
        "caIssuers URLs",
    )
}

// ---------------------------------------------------------------------------
// CRLs

/// GETs the CRL `fetch` names (the ladder's `crl_fetch`, or `revoscope
/// crl`'s URL), within `timeout`, as the issuer is fetched: http:// only,
/// no redirect (a 3xx is an HTTP error), the body capped at the fetch's
/// `max_len`. The engine reads and checks what comes back.
pub fn fetch_crl(fetch: &CrlFetch, timeout: Duration) -> FetchOutcome {
    plain_http(
        &fetch.url,
        None,
        fetch.max_len,
        Instant::now(),
        timeout,
        "CRL URLs",
    )
}

/// A GET (or a POST of `body`) over http:// only, following no redirect,
/// any HTTP status a response, in the engine's terms.
fn plain_http(
    url: &str,
    body: Option<&[u8]>,
    max: usize,
    start: Instant,
    timeout: Duration,
    what: &str,
) -> FetchOutcome {
    if !url.starts_with("http://") {
        return FetchOutcome::Network {
            message: format!("{url}: only http:// {what} are supported"),
            elapsed_ms: elapsed_ms(start),
        };
    }
    let result = send(url, body, start + timeout, Redirects::None).and_then(|mut response| {
        let body = read_body(&mut response, max, &mut |_, _| {})?;
        Ok((response.status().as_u16(), body))
    });
    let elapsed_ms = elapsed_ms(start);
    match result {
        Ok((http_status, body)) => FetchOutcome::Response {
            http_status,
            body,
            elapsed_ms,
        },
        Err(HttpError::Dns(_)) => FetchOutcome::Dns { elapsed_ms },
        Err(HttpError::Refused(_)) => FetchOutcome::Refused { elapsed_ms },
        Err(HttpError::Timeout) => FetchOutcome::Timeout { elapsed_ms },
        Err(HttpError::Tls(_)) => FetchOutcome::Tls { elapsed_ms },
        Err(HttpError::TooLarge { len }) => FetchOutcome::TooLarge {
            len: usize::try_from(len).unwrap_or(usize::MAX),
            elapsed_ms,
        },
        Err(e @ (HttpError::BadUrl(_) | HttpError::Network(_) | HttpError::Truncated(_))) => {
            FetchOutcome::Network {
                message: e.to_string(),
                elapsed_ms,
            }
        }
    }
}

// ---------------------------------------------------------------------------
// A plain GET

/// What a [`get`] brought back.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Read for a 2xx answer only; empty otherwise.
    pub body: Vec<u8>,
}

/// GETs `url` by `deadline`, following redirects (at most 5, never from
/// https:// down to http://). The body, at most `max` bytes, is read only
/// when the final answer is a 2xx; `progress` hears of each block of it
/// (the bytes so far, and the length announced).
pub fn get(
    url: &str,
    max: usize,
    deadline: Instant,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Response, HttpError> {
    let mut response = send(url, None, deadline, Redirects::Follow)?;
    let status = response.status().as_u16();
    let body = if (200..300).contains(&status) {
        read_body(&mut response, max, progress)?
    } else {
        Vec::new()
    };
    Ok(Response { status, body })
}

// ---------------------------------------------------------------------------
// Requests

/// Whether a request follows redirects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Redirects {
    /// A 3xx is the answer (OCSP).
    None,
    /// Up to [`MAX_REDIRECTS`], never from https:// to http://.
    Follow,
}

/// Sends a GET, or a POST of an OCSP request when `body` is given, and
/// reads the response head, all by `deadline`.
fn send(
    url: &str,
    body: Option<&[u8]>,
    deadline: Instant,
    redirects: Redirects,
) -> Result<http::Response<Body>, HttpError> {
    check_url(url)?;
    let left = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or(HttpError::Timeout)?;
    let https = url.starts_with("https://");
    let agent = agent(redirects, https);
    let result = match body {
        None => agent
            .get(url)
            .header("Accept-Encoding", "identity")
            .config()
            .timeout_global(Some(left))
            .build()
            .call(),
        Some(der) => agent
            .post(url)
            .header("Accept-Encoding", "identity")
            .header("Content-Type", "application/ocsp-request")
            .config()
            .timeout_global(Some(left))
            .build()
            .send(der),
    };
    result.map_err(|e| transport_error(e, url, https))
}

/// What ureq accepts and this client does not: user information in the
/// URL (it would be sent as credentials), and anything but http(s).
fn check_url(url: &str) -> Result<(), HttpError> {
    let bad = |why: &str| Err(HttpError::BadUrl(format!("{url:?}: {why}")));
    if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return bad("spaces or control characters");
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return bad("not an http:// or https:// URL");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return bad("user information is not allowed");
    }
    Ok(())
}

/// An agent for one request: no pool, no proxy, Mozilla's roots, and the
/// redirects `redirects` allows. From an https:// URL, `https_only` makes
/// a redirect to http:// an error.
fn agent(redirects: Redirects, https: bool) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(match redirects {
            Redirects::None => 0,
            Redirects::Follow => MAX_REDIRECTS,
        })
        .max_redirects_will_error(true)
        .https_only(https)
        .proxy(None)
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .max_response_header_size(MAX_HEAD_LEN)
        .user_agent(format!("revoscope/{}", env!("CARGO_PKG_VERSION")))
        .tls_config(
            TlsConfig::builder()
                .provider(TlsProvider::Rustls)
                .root_certs(RootCerts::WebPki)
                .build(),
        )
        .build();
    Agent::with_parts(
        config,
        DefaultConnector::default(),
        NamingResolver::default(),
    )
}

/// ureq's resolver, with the failure to resolve told apart: std's lookup
/// error comes back as a plain I/O error, which would read as a
/// connection failure.
#[derive(Debug, Default)]
struct NamingResolver(DefaultResolver);

/// A name that did not resolve, with the system's reason.
#[derive(Debug)]
struct Unresolved(io::Error);

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Unresolved {}

impl Resolver for NamingResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, timeout).map_err(|e| match e {
            ureq::Error::Io(e) => ureq::Error::Other(Box::new(Unresolved(e))),
            other => other,
        })
    }
}

/// Reads the body, at most `max` bytes: refused unread when its announced
/// length is over; the reading stops within one block of `max` otherwise.
fn read_body(
    response: &mut http::Response<Body>,
    max: usize,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, HttpError> {
    if let Some(coding) = response
        .headers()
        .get("content-encoding")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .filter(|c| !c.eq_ignore_ascii_case("identity"))
    {
        return Err(HttpError::Network(format!(
            "the body is {coding}-encoded, which was not asked for"
        )));
    }
    let body = response.body_mut();
    let announced = body.content_length();
    if let Some(len) = announced.filter(|&len| len > max as u64) {
        return Err(HttpError::TooLarge { len });
    }
    // Unlimited for ureq: the cap is kept here, with its own error.
    let mut reader = body.with_config().reader();
    let mut out = Vec::new();
    let mut block = vec![0; READ_BLOCK];
    loop {
        let n = match reader.read(&mut block) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(body_error(e, out.len(), announced)),
        };
        out.extend_from_slice(&block[..n]);
        progress(out.len() as u64, announced);
        if out.len() > max {
            return Err(HttpError::TooLarge {
                len: out.len() as u64,
            });
        }
    }
}

/// An error while reading a body: the end of the connection before the
/// end of the body is a truncation, the rest as for a request.
fn body_error(e: io::Error, received: usize, announced: Option<u64>) -> HttpError {
    match ureq::Error::from(e) {
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            HttpError::Truncated(match announced {
                Some(len) => {
                    format!("the connection closed after {received} of the {len} bytes announced")
                }
                None => {
                    format!("the connection closed after {received} bytes, before the last chunk")
                }
            })
        }
        ureq::Error::Protocol(e) => HttpError::Network(format!("malformed chunked body: {e}")),
        other => transport_error(other, "", false),
    }
}

/// The failure class of one of ureq's errors.
fn transport_error(e: ureq::Error, url: &str, https: bool) -> HttpError {
    use ureq::Error as E;
    match e {
        E::Timeout(_) => HttpError::Timeout,
        E::HostNotFound => HttpError::Dns(format!("{url}: the name has no address")),
        E::Other(other) => match other.downcast::<Unresolved>() {
            Ok(unresolved) => HttpError::Dns(unresolved.to_string()),
            Err(other) => HttpError::Network(other.to_string()),
        },
        E::Io(e) => io_error(e, https),
        E::Rustls(e) => HttpError::Tls(e.to_string()),
        E::Tls(why) => HttpError::Tls(why.to_owned()),
        // Every address refused; ureq reports the last one's error first.
        E::ConnectionFailed => HttpError::Refused("no address accepted".into()),
        E::TooManyRedirects => {
            HttpError::Network(format!("{url}: more than {MAX_REDIRECTS} redirects"))
        }
        E::RequireHttpsOnly(to) => {
            HttpError::BadUrl(format!("{url}: redirected from https:// to {to}, refused"))
        }
        E::RedirectFailed => HttpError::Network(format!("{url}: a redirect could not be followed")),
        E::BadUri(why) => HttpError::BadUrl(format!("{url:?}: {why}")),
        E::Http(e) => HttpError::BadUrl(format!("{url:?}: {e}")),
        E::Protocol(e) => HttpError::Network(format!("the response is not HTTP/1.x: {e}")),
        E::LargeResponseHeader(..) => HttpError::Network(format!(
            "the HTTP header is longer than {MAX_HEAD_LEN} bytes"
        )),
        E::BodyExceedsLimit(len) => HttpError::TooLarge { len },
        other => HttpError::Network(other.to_string()),
    }
}

fn io_error(e: io::Error, https: bool) -> HttpError {
    use io::ErrorKind::*;
    // Rustls reports its own errors (the certificate...) inside I/O errors.
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return HttpError::Tls(tls.to_string());
    }
    match e.kind() {
        TimedOut | WouldBlock => HttpError::Timeout,
        ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe => {
            HttpError::Refused(e.to_string())
        }
        // Rustls's words for a close in the middle of the handshake.
        UnexpectedEof if https && e.to_string() == "tls handshake eof" => {
            HttpError::Tls("the server closed the connection during the handshake".into())
        }
        UnexpectedEof => HttpError::Refused("closed without an answer".into()),
        _ => HttpError::Network(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    /// A server on 127.0.0.1 that answers every request with `raw`, then
    /// closes; its URL.
    fn canned(raw: &'static [u8]) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/x", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = stream.write_all(raw);
            }
        });
        url
    }

    fn fetch(raw: &'static [u8], max: usize) -> Result<(u16, Vec<u8>), HttpError> {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut response = send(&canned(raw), None, deadline, Redirects::None)?;
        let body = read_body(&mut response, max, &mut |_, _| {})?;
        Ok((response.status().as_u16(), body))
    }

    fn ok(status: u16, body: &[u8]) -> Result<(u16, Vec<u8>), HttpError> {
        Ok((status, body.to_vec()))
    }

    #[test]
    fn reads_length_chunks_and_close_delimited_bodies() {
        let r = fetch(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", 10);
        assert_eq!(r, ok(200, b"abc"));
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x=y\r\nc\r\n0\r\n\r\n";
        assert_eq!(fetch(chunked, 10), ok(200, b"abc"));
        assert_eq!(
            fetch(b"HTTP/1.0 200 OK\r\n\r\nabcdef", 10),
            ok(200, b"abcdef")
        );
        let interim =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\ncontent-length: 2\r\n\r\nno";
        assert_eq!(fetch(interim, 10), ok(503, b"no"));
        assert_eq!(fetch(b"HTTP/1.1 204 No Content\r\n\r\n", 10), ok(204, b""));
        // No redirect for OCSP: the 3xx is the answer.
        let moved = b"HTTP/1.1 302 Found\r\nLocation: /y\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(fetch(moved, 10), ok(302, b""));
    }

    #[test]
    fn caps_every_kind_of_body() {
        let announced = b"HTTP/1.1 200 OK\r\nContent-Length: 64000000\r\n\r\n0000";
        assert_eq!(
            fetch(announced, 10),
            Err(HttpError::TooLarge { len: 64_000_000 })
        );
        assert_eq!(
            fetch(
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
                10
            ),
            ok(200, b"0123456789")
        );
        static STREAMED: [u8; 100_000] = {
            let mut raw = [b'0'; 100_000];
            let head = b"HTTP/1.0 200 OK\r\n\r\n";
            let mut i = 0;
            while i < head.len() {
                raw[i] = head[i];
                i += 1;
            }
            raw
        };
        // The reading stops within one block of the cap.
        let result = fetch(&STREAMED, 1000);
        assert!(
            matches!(result, Err(HttpError::TooLarge { len }) if len > 1000 && len <= 1000 + READ_BLOCK as u64),
            "{result:?}"
        );
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n012345\r\n0\r\n\r\n";
        assert!(matches!(
            fetch(chunked, 10),
            Err(HttpError::TooLarge { len: 11 })
        ));
    }

    #[test]
    fn short_and_malformed_answers() {
        let short = fetch(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab", 100);
        assert!(
            matches!(short, Err(HttpError::Truncated(ref why)) if why.contains("2 of the 9")),
            "{short:?}"
        );
        let unfinished = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n";
        assert!(
            matches!(fetch(unfinished, 100), Err(HttpError::Truncated(_))),
            "{:?}",
            fetch(unfinished, 100)
        );
        for malformed in [
            &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n",
            b"garbage\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx",
        ] {
            let result = fetch(malformed, 100);
            assert!(
                matches!(result, Err(HttpError::Network(_))),
                "{}: {result:?}",
                String::from_utf8_lossy(malformed)
            );
        }
        assert!(matches!(fetch(b"", 100), Err(HttpError::Refused(_))));
    }

    #[test]
    fn failure_classes() {
        let deadline = || Instant::now() + Duration::from_secs(5);
        // Nothing listening.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let refused = send(
            &format!("http://127.0.0.1:{port}/"),
            None,
            deadline(),
            Redirects::None,
        );
        assert!(matches!(refused, Err(HttpError::Refused(_))), "{refused:?}");
        // A name that cannot resolve (RFC 6761: .invalid).
        let dns = send(
            "http://revoscope.invalid/",
            None,
            deadline(),
            Redirects::None,
        );
        assert!(matches!(dns, Err(HttpError::Dns(_))), "{dns:?}");
        // Accepted, never answered.
        let silent = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", silent.local_addr().unwrap());
        let started = Instant::now();
        let soon = started + Duration::from_millis(300);
        assert_eq!(
            send(&url, None, soon, Redirects::None).err(),
            Some(HttpError::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        for bad in ["ftp://a/", "http://u@a/", "http://a/\r\nX: y"] {
            assert!(
                matches!(
                    send(bad, None, deadline(), Redirects::None),
                    Err(HttpError::BadUrl(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn redirects_are_followed_a_few_times() {
        let target = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        let location: &'static str = Box::leak(
            format!("HTTP/1.1 301 Moved\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n")
                .into_boxed_str(),
        );
        let moved = canned(location.as_bytes());
        let deadline = Instant::now() + Duration::from_secs(5);
        let response = get(&moved, 10, deadline, &mut |_, _| {}).unwrap();
        assert_eq!((response.status, response.body), (200, b"ok".to_vec()));
        let endless =
            canned(b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
        assert!(
            matches!(get(&endless, 10, deadline, &mut |_, _| {}), Err(HttpError::Network(ref why)) if why.contains("more than 5 redirects"))
        );
    }
}
