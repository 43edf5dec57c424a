//! The CLI's OCSP client: plain HTTP/1.1 over std's TcpStream, one request
//! per connection, with one deadline for connect, send and receive. OCSP is
//! served over http:// (RFC 6960 appendix A.1; a TLS responder would need
//! revocation checking of its own), so no TLS here.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use revoscope::limits::MAX_OCSP_RESPONSE_LEN;
use revoscope::ocsp::{Exchange, FetchMethod, FetchOutcome, MethodChoice, OcspFetch};

/// Largest response head (status line and headers) read.
const MAX_HEAD_LEN: usize = 16 * 1024;

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

/// One HTTP exchange: GET its URL, or POST its body to it.
fn exchange(exchange: &Exchange<'_>, start: Instant, timeout: Duration) -> FetchOutcome {
    let Exchange { url, body, .. } = *exchange;
    let network = |message: String| FetchOutcome::Network {
        message,
        elapsed_ms: elapsed_ms(start),
    };
    let Some(rest) = url.strip_prefix("http://") else {
        return network(format!("{url}: only http:// responders are supported"));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let addrs: Vec<_> = match host_port.to_socket_addrs() {
        Ok(addrs) => addrs.collect(),
        Err(_) => {
            return FetchOutcome::Dns {
                elapsed_ms: elapsed_ms(start),
            }
        }
    };
    let remaining = |start: Instant| {
        timeout
            .checked_sub(start.elapsed())
            .filter(|d| !d.is_zero())
    };
    let mut stream = None;
    for addr in &addrs {
        let Some(left) = remaining(start) else { break };
        // On failure try the next address; the deadline ends the loop.
        if let Ok(s) = TcpStream::connect_timeout(addr, left) {
            stream = Some(s);
            break;
        }
    }
    let Some(mut stream) = stream else {
        return if remaining(start).is_none() {
            FetchOutcome::Timeout {
                elapsed_ms: elapsed_ms(start),
            }
        } else {
            FetchOutcome::Refused {
                elapsed_ms: elapsed_ms(start),
            }
        };
    };
    let mut request = match body {
        None => format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").into_bytes(),
        Some(body) => format!(
            "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/ocsp-request\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes(),
    };
    request.extend_from_slice(body.unwrap_or_default());
    let _ = stream.set_write_timeout(remaining(start));
    if let Err(e) = stream.write_all(&request) {
        return io_failure(e, start);
    }
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let Some(left) = remaining(start) else {
            return FetchOutcome::Timeout {
                elapsed_ms: elapsed_ms(start),
            };
        };
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(&buf[..n]);
                if received.len() > MAX_HEAD_LEN + MAX_OCSP_RESPONSE_LEN + 1 {
                    break; // enough to know it is oversized
                }
            }
            Err(e) => return io_failure(e, start),
        }
    }
    parse_response(&received, elapsed_ms(start))
}

fn io_failure(e: std::io::Error, start: Instant) -> FetchOutcome {
    use std::io::ErrorKind::*;
    let elapsed_ms = elapsed_ms(start);
    match e.kind() {
        TimedOut | WouldBlock => FetchOutcome::Timeout { elapsed_ms },
        ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe => {
            FetchOutcome::Refused { elapsed_ms }
        }
        _ => FetchOutcome::Network {
            message: e.to_string(),
            elapsed_ms,
        },
    }
}

/// Status and body of a complete HTTP/1.x response.
fn parse_response(raw: &[u8], elapsed_ms: u32) -> FetchOutcome {
    let network = |message: &str| FetchOutcome::Network {
        message: message.to_owned(),
        elapsed_ms,
    };
    let Some(head_end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if raw.is_empty() {
            FetchOutcome::Refused { elapsed_ms } // closed without a word
        } else {
            network("the response has no complete HTTP header")
        };
    };
    let Ok(head) = std::str::from_utf8(&raw[..head_end]) else {
        return network("the HTTP header is not text");
    };
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1."))
        .and_then(|l| l.get(2..5))
        .and_then(|s| s.parse::<u16>().ok());
    let Some(http_status) = status else {
        return network("the response does not start with an HTTP/1.x status line");
    };
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let mut body = raw[head_end + 4..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        match dechunk(&body) {
            Some(b) => body = b,
            None => return network("malformed chunked body"),
        }
    } else if let Some(len) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        if body.len() < len {
            return network("the connection closed before the whole body arrived");
        }
        body.truncate(len);
    }
    FetchOutcome::Response {
        http_status,
        body,
        elapsed_ms,
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size + 2 || out.len() + size > MAX_OCSP_RESPONSE_LEN + 1 {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_length_and_chunks() {
        let r = parse_response(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", 1);
        assert_eq!(
            r,
            FetchOutcome::Response {
                http_status: 200,
                body: b"abc".to_vec(),
                elapsed_ms: 1
            }
        );
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n",
            1,
        );
        assert_eq!(
            r,
            FetchOutcome::Response {
                http_status: 200,
                body: b"abc".to_vec(),
                elapsed_ms: 1
            }
        );
        assert!(matches!(
            parse_response(b"garbage", 1),
            FetchOutcome::Network { .. }
        ));
        assert!(matches!(
            parse_response(b"", 1),
            FetchOutcome::Refused { .. }
        ));
        let short = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab", 1);
        assert!(matches!(short, FetchOutcome::Network { .. }));
    }
}
