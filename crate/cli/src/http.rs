//! The CLI's HTTP client: HTTP/1.1 over std's TcpStream, and over rustls
//! (Mozilla's root store, webpki-roots) for https://; one request per
//! connection (`Connection: close`); one deadline for connecting, the
//! handshake, sending and receiving; and a cap on the body that stops the
//! reading, not just the keeping. Bodies come with a Content-Length, in
//! chunks, or until the server closes.
//!
//! Two users:
//! - live OCSP ([`fetch_ocsp`]), over http:// only: OCSP is served over
//!   plain HTTP (RFC 6960 appendix A.1), and a TLS responder would need
//!   revocation checking of its own;
//! - the OneCRL sync ([`get`]), over https:// from Mozilla's server, or
//!   http:// from a local one.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use revoscope::limits::MAX_OCSP_RESPONSE_LEN;
use revoscope::ocsp::{Exchange, FetchMethod, FetchOutcome, MethodChoice, OcspFetch};

/// Largest response head (status line and headers) read.
const MAX_HEAD_LEN: usize = 16 * 1024;

/// Longest chunk-size line (the size and its extensions) accepted.
const MAX_CHUNK_LINE_LEN: usize = 1024;

/// Redirects a [`get`] follows.
const MAX_REDIRECTS: usize = 5;

/// Bytes asked of the connection per read.
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
    if !url.starts_with("http://") {
        return FetchOutcome::Network {
            message: format!("{url}: only http:// responders are supported"),
            elapsed_ms: elapsed_ms(start),
        };
    }
    let deadline = start + timeout;
    let result = Target::parse(url).and_then(|target| {
        let mut connection = Connection::open(&target, deadline)?;
        match body {
            None => connection.send(&target, "GET", None)?,
            Some(der) => {
                connection.send(&target, "POST", Some(("application/ocsp-request", der)))?
            }
        }
        let head = connection.read_head()?;
        let body = connection.read_body(&head, MAX_OCSP_RESPONSE_LEN)?;
        Ok((head.status, body))
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
/// when the final answer is a 2xx.
pub fn get(url: &str, max: usize, deadline: Instant) -> Result<Response, HttpError> {
    let mut target = Target::parse(url)?;
    for _ in 0..=MAX_REDIRECTS {
        let mut connection = Connection::open(&target, deadline)?;
        connection.send(&target, "GET", None)?;
        let head = connection.read_head()?;
        if matches!(head.status, 301 | 302 | 303 | 307 | 308) {
            if let Some(location) = head.header("location") {
                let next = target.join(location)?;
                if target.https && !next.https {
                    return Err(HttpError::BadUrl(format!(
                        "{url}: redirected from https:// to {location}, refused"
                    )));
                }
                target = next;
                continue;
            }
        }
        let body = if (200..300).contains(&head.status) {
            connection.read_body(&head, max)?
        } else {
            Vec::new()
        };
        return Ok(Response {
            status: head.status,
            body,
        });
    }
    Err(HttpError::Network(format!(
        "{url}: more than {MAX_REDIRECTS} redirects"
    )))
}

// ---------------------------------------------------------------------------
// URLs

/// An http:// or https:// URL, split for a request.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    https: bool,
    /// For DNS and TLS: an IPv6 address without its brackets.
    host: String,
    port: u16,
    /// For the Host header: as the URL gives it.
    authority: String,
    /// The path and query, at least `/`; no fragment.
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Target, HttpError> {
        let bad = |why: &str| HttpError::BadUrl(format!("{url:?}: {why}"));
        if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(bad("spaces or control characters"));
        }
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(bad("not an http:// or https:// URL"));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(bad("user information is not allowed"));
        }
        // [v6]:port, host:port, or host.
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| bad("unclosed ["))?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(after.strip_prefix(':').ok_or_else(|| bad("junk after ]"))?),
                ),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            None | Some("") => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| bad("the port is not 1-65535"))?,
        };
        let path = match path {
            "" => "/".to_owned(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_owned(),
        };
        Ok(Target {
            https,
            host: host.to_owned(),
            port,
            authority: authority.to_owned(),
            path,
        })
    }

    /// Where a redirect's `Location` points, from here.
    fn join(&self, location: &str) -> Result<Target, HttpError> {
        let scheme = if self.https { "https:" } else { "http:" };
        let absolute = if location.starts_with("http://") || location.starts_with("https://") {
            location.to_owned()
        } else if location.starts_with("//") {
            format!("{scheme}{location}")
        } else if location.starts_with('/') {
            format!("{scheme}//{}{location}", self.authority)
        } else {
            let path = self.path.split('?').next().unwrap_or_default();
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            format!("{scheme}//{}{dir}{location}", self.authority)
        };
        Target::parse(&absolute)
    }
}

// ---------------------------------------------------------------------------
// Connections

/// What a connection runs over: TCP, TLS over TCP, or canned bytes in tests.
trait Transport: Read + Write {
    /// Bounds the next blocking reads and writes.
    fn set_timeout(&self, left: Duration) -> io::Result<()>;
}

impl Transport for TcpStream {
    fn set_timeout(&self, left: Duration) -> io::Result<()> {
        self.set_read_timeout(Some(left))?;
        self.set_write_timeout(Some(left))
    }
}

impl Transport for StreamOwned<ClientConnection, TcpStream> {
    fn set_timeout(&self, left: Duration) -> io::Result<()> {
        self.sock.set_timeout(left)
    }
}

/// Rustls with the ring provider, Mozilla's roots (webpki-roots) and its
/// own, complete verification: one configuration per process.
fn tls_config() -> Result<Arc<ClientConfig>, HttpError> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map(|builder| {
                    Arc::new(builder.with_root_certificates(roots).with_no_client_auth())
                })
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(HttpError::Tls)
}

fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

fn io_error(e: io::Error) -> HttpError {
    use io::ErrorKind::*;
    match e.kind() {
        TimedOut | WouldBlock => HttpError::Timeout,
        ConnectionRefused | ConnectionReset | ConnectionAborted | BrokenPipe => {
            HttpError::Refused(e.to_string())
        }
        _ => HttpError::Network(e.to_string()),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One request's connection.
struct Connection {
    transport: Box<dyn Transport>,
    deadline: Instant,
    /// Received and not consumed yet.
    buffer: Vec<u8>,
    /// Bytes received in all.
    received: usize,
}

impl Connection {
    /// Connects (and handshakes, for https://) by `deadline`.
    fn open(target: &Target, deadline: Instant) -> Result<Connection, HttpError> {
        let addrs: Vec<_> = (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| HttpError::Dns(format!("{}: {e}", target.host)))?
            .collect();
        if addrs.is_empty() {
            return Err(HttpError::Dns(format!(
                "{} resolves to no address",
                target.host
            )));
        }
        let mut tcp = None;
        let mut last_error = None;
        for addr in &addrs {
            // On failure try the next address; the deadline ends the loop.
            let Some(left) = remaining(deadline) else {
                break;
            };
            match TcpStream::connect_timeout(addr, left) {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        let Some(mut tcp) = tcp else {
            return Err(match (remaining(deadline), last_error) {
                (None, _) => HttpError::Timeout,
                (Some(_), Some(e)) => io_error(e),
                (Some(_), None) => HttpError::Refused("no address accepted".into()),
            });
        };
        let _ = tcp.set_nodelay(true);
        let transport: Box<dyn Transport> = if target.https {
            let name = ServerName::try_from(target.host.clone()).map_err(|e| {
                HttpError::BadUrl(format!("{:?} is not a host name: {e}", target.host))
            })?;
            let mut tls = ClientConnection::new(tls_config()?, name)
                .map_err(|e| HttpError::Tls(e.to_string()))?;
            while tls.is_handshaking() {
                let left = remaining(deadline).ok_or(HttpError::Timeout)?;
                tcp.set_timeout(left).map_err(io_error)?;
                tls.complete_io(&mut tcp).map_err(|e| match e.kind() {
                    // Rustls reports its own errors (the certificate...) as invalid data.
                    io::ErrorKind::InvalidData => HttpError::Tls(e.to_string()),
                    io::ErrorKind::UnexpectedEof => HttpError::Tls(
                        "the server closed the connection during the handshake".into(),
                    ),
                    _ => io_error(e),
                })?;
            }
            Box::new(StreamOwned::new(tls, tcp))
        } else {
            Box::new(tcp)
        };
        Ok(Connection::over(transport, deadline))
    }

    fn over(transport: Box<dyn Transport>, deadline: Instant) -> Connection {
        Connection {
            transport,
            deadline,
            buffer: Vec::new(),
            received: 0,
        }
    }

    /// Sends the request head, and `body` (its content type and bytes).
    fn send(
        &mut self,
        target: &Target,
        method: &str,
        body: Option<(&str, &[u8])>,
    ) -> Result<(), HttpError> {
        let mut request = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: revoscope/{}\r\n\
             Accept-Encoding: identity\r\nConnection: close\r\n",
            target.path,
            target.authority,
            env!("CARGO_PKG_VERSION")
        );
        if let Some((content_type, bytes)) = body {
            request.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                bytes.len()
            ));
        }
        request.push_str("\r\n");
        let mut request = request.into_bytes();
        request.extend_from_slice(body.map(|(_, bytes)| bytes).unwrap_or_default());
        let left = remaining(self.deadline).ok_or(HttpError::Timeout)?;
        self.transport.set_timeout(left).map_err(io_error)?;
        self.transport
            .write_all(&request)
            .and_then(|()| self.transport.flush())
            .map_err(io_error)
    }

    /// Reads more into the buffer: how many bytes, 0 at the end of the stream.
    fn fill(&mut self) -> Result<usize, HttpError> {
        let left = remaining(self.deadline).ok_or(HttpError::Timeout)?;
        self.transport.set_timeout(left).map_err(io_error)?;
        let start = self.buffer.len();
        self.buffer.resize(start + READ_BLOCK, 0);
        let read = loop {
            match self.transport.read(&mut self.buffer[start..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = match read {
            Ok(n) => n,
            // A TLS server that closes without close_notify: the framing
            // tells whether anything is missing.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => 0,
            Err(e) => {
                self.buffer.truncate(start);
                return Err(io_error(e));
            }
        };
        self.buffer.truncate(start + n);
        self.received += n;
        Ok(n)
    }

    /// The status line and headers of the final answer (interim 1xx
    /// answers are skipped).
    fn read_head(&mut self) -> Result<Head, HttpError> {
        loop {
            let end = loop {
                if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                    break end;
                }
                if self.buffer.len() > MAX_HEAD_LEN {
                    return Err(HttpError::Network(format!(
                        "the HTTP header is longer than {MAX_HEAD_LEN} bytes"
                    )));
                }
                if self.fill()? == 0 {
                    return Err(if self.received == 0 {
                        HttpError::Refused("closed without an answer".into())
                    } else {
                        HttpError::Network("the response has no complete HTTP header".into())
                    });
                }
            };
            let head = Head::parse(&self.buffer[..end])?;
            self.buffer.drain(..end + 4);
            if !(100..200).contains(&head.status) || head.status == 101 {
                return Ok(head);
            }
        }
    }

    /// The body `head` announces, at most `max` bytes.
    fn read_body(&mut self, head: &Head, max: usize) -> Result<Vec<u8>, HttpError> {
        if matches!(head.status, 204 | 304) {
            return Ok(Vec::new());
        }
        if let Some(coding) = head
            .header("content-encoding")
            .filter(|c| !c.eq_ignore_ascii_case("identity"))
        {
            return Err(HttpError::Network(format!(
                "the body is {coding}-encoded, which was not asked for"
            )));
        }
        match head.header("transfer-encoding") {
            Some(codings) => {
                let last = codings.rsplit(',').next().unwrap_or_default().trim();
                if last.eq_ignore_ascii_case("chunked") {
                    return self.read_chunked(max);
                }
            }
            None => {
                if let Some(text) = head.header("content-length") {
                    let len = text.parse::<u64>().map_err(|_| {
                        HttpError::Network(format!("Content-Length {text:?} is not a length"))
                    })?;
                    return self.read_length(len, max);
                }
            }
        }
        // Delimited by the end of the connection.
        loop {
            if self.buffer.len() > max {
                return Err(HttpError::TooLarge {
                    len: self.buffer.len() as u64,
                });
            }
            if self.fill()? == 0 {
                return Ok(std::mem::take(&mut self.buffer));
            }
        }
    }

    fn read_length(&mut self, len: u64, max: usize) -> Result<Vec<u8>, HttpError> {
        if len > max as u64 {
            return Err(HttpError::TooLarge { len });
        }
        let len = len as usize; // at most `max`
        while self.buffer.len() < len {
            if self.fill()? == 0 {
                return Err(HttpError::Truncated(format!(
                    "the connection closed after {} of the {len} bytes announced",
                    self.buffer.len()
                )));
            }
        }
        self.buffer.truncate(len);
        Ok(std::mem::take(&mut self.buffer))
    }

    fn read_chunked(&mut self, max: usize) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        loop {
            let (used, done) = dechunk(&self.buffer, &mut body, max)?;
            self.buffer.drain(..used);
            if done {
                return Ok(body);
            }
            if self.fill()? == 0 {
                return Err(HttpError::Truncated(format!(
                    "the connection closed after {} bytes, before the last chunk",
                    body.len()
                )));
            }
        }
    }
}

/// Decodes the complete chunks at the start of `data` into `body`: how
/// many bytes of `data` that used, and whether the last chunk was among
/// them (trailers are not read: the connection closes after the body).
fn dechunk(data: &[u8], body: &mut Vec<u8>, max: usize) -> Result<(usize, bool), HttpError> {
    let malformed = |why: String| HttpError::Network(format!("malformed chunked body: {why}"));
    let mut used = 0;
    loop {
        let rest = &data[used..];
        let Some(line_end) = find(rest, b"\r\n") else {
            if rest.len() > MAX_CHUNK_LINE_LEN {
                return Err(malformed("a chunk-size line too long".into()));
            }
            return Ok((used, false));
        };
        let line = std::str::from_utf8(&rest[..line_end])
            .map_err(|_| malformed("a chunk size that is not text".into()))?;
        let digits = line.split(';').next().unwrap_or_default().trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed(format!("chunk size {digits:?}")));
        }
        let size = usize::from_str_radix(digits, 16)
            .map_err(|_| malformed(format!("chunk size {digits:?}")))?;
        let data_start = line_end + 2;
        if size == 0 {
            return Ok((used + data_start, true));
        }
        if body.len().saturating_add(size) > max {
            return Err(HttpError::TooLarge {
                len: (body.len() as u64).saturating_add(size as u64),
            });
        }
        let data_end = data_start + size;
        if rest.len() < data_end + 2 {
            return Ok((used, false));
        }
        if &rest[data_end..data_end + 2] != b"\r\n" {
            return Err(malformed("a chunk longer than its size".into()));
        }
        body.extend_from_slice(&rest[data_start..data_end]);
        used += data_end + 2;
    }
}

/// A response's status line and headers.
#[derive(Debug)]
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn parse(raw: &[u8]) -> Result<Head, HttpError> {
        let text = std::str::from_utf8(raw)
            .map_err(|_| HttpError::Network("the HTTP header is not text".into()))?;
        let mut lines = text.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.strip_prefix("HTTP/1."))
            .and_then(|l| l.get(2..5))
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| {
                HttpError::Network(
                    "the response does not start with an HTTP/1.x status line".into(),
                )
            })?;
        let headers = lines
            .filter_map(|line| {
                let (name, value) = line.split_once(':')?;
                Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            })
            .collect();
        Ok(Head { status, headers })
    }

    /// The first value of a header; `name` in lower case.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Canned response bytes, handed out `step` bytes per read.
    struct Canned {
        data: Vec<u8>,
        pos: usize,
        step: usize,
    }

    impl Read for Canned {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len() - self.pos);
            buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            self.pos += n;
            Ok(n)
        }
    }

    impl Write for Canned {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Transport for Canned {
        fn set_timeout(&self, _: Duration) -> io::Result<()> {
            Ok(())
        }
    }

    /// The status and body `raw` gives, the same whatever the read sizes.
    fn read(raw: &[u8], max: usize) -> Result<(u16, Vec<u8>), HttpError> {
        let results = read_by_steps(raw, max);
        for other in &results[1..] {
            assert_eq!(other, &results[0], "{}", String::from_utf8_lossy(raw));
        }
        results[0].clone()
    }

    /// What `raw` gives read 1, 3, 7 and 4096 bytes at a time.
    fn read_by_steps(raw: &[u8], max: usize) -> Vec<Result<(u16, Vec<u8>), HttpError>> {
        [1, 3, 7, 4096]
            .into_iter()
            .map(|step| -> Result<(u16, Vec<u8>), HttpError> {
                let canned = Canned {
                    data: raw.to_vec(),
                    pos: 0,
                    step,
                };
                let deadline = Instant::now() + Duration::from_secs(5);
                let mut connection = Connection::over(Box::new(canned), deadline);
                let head = connection.read_head()?;
                let body = connection.read_body(&head, max)?;
                Ok((head.status, body))
            })
            .collect()
    }

    fn ok(status: u16, body: &[u8]) -> Result<(u16, Vec<u8>), HttpError> {
        Ok((status, body.to_vec()))
    }

    #[test]
    fn reads_length_chunks_and_close_delimited_bodies() {
        let r = read(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", 10);
        assert_eq!(r, ok(200, b"abc"));
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x=y\r\nc\r\n0\r\n\r\n";
        assert_eq!(read(chunked, 10), ok(200, b"abc"));
        assert_eq!(
            read(b"HTTP/1.0 200 OK\r\n\r\nabcdef", 10),
            ok(200, b"abcdef")
        );
        let interim =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\ncontent-length: 2\r\n\r\nno";
        assert_eq!(read(interim, 10), ok(503, b"no"));
        assert_eq!(read(b"HTTP/1.1 204 No Content\r\n\r\n", 10), ok(204, b""));
    }

    #[test]
    fn caps_every_kind_of_body() {
        let announced = b"HTTP/1.1 200 OK\r\nContent-Length: 64000000\r\n\r\n0000";
        assert_eq!(
            read(announced, 10),
            Err(HttpError::TooLarge { len: 64_000_000 })
        );
        assert_eq!(
            read(
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
                10
            ),
            ok(200, b"0123456789")
        );
        let streamed = [b"HTTP/1.0 200 OK\r\n\r\n".as_slice(), &[b'0'; 100_000]].concat();
        // The reading stops within one read of the cap.
        for result in read_by_steps(&streamed, 1000) {
            assert!(
                matches!(result, Err(HttpError::TooLarge { len }) if len > 1000 && len <= 1000 + 4096),
                "{result:?}"
            );
        }
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n012345\r\n0\r\n\r\n";
        assert_eq!(read(chunked, 10), Err(HttpError::TooLarge { len: 11 }));
    }

    #[test]
    fn short_and_malformed_answers() {
        let short = read(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab", 100);
        assert!(
            matches!(short, Err(HttpError::Truncated(ref why)) if why.contains("2 of the 9")),
            "{short:?}"
        );
        let unfinished = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n";
        assert!(matches!(
            read(unfinished, 100),
            Err(HttpError::Truncated(_))
        ));
        let bad_size =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\nab\r\n0\r\n\r\n";
        assert!(matches!(read(bad_size, 100), Err(HttpError::Network(_))));
        let overlong = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n";
        assert!(matches!(read(overlong, 100), Err(HttpError::Network(_))));
        assert!(matches!(
            read(b"garbage\r\n\r\n", 100),
            Err(HttpError::Network(_))
        ));
        assert!(matches!(
            read(b"HTTP/1.1 200 OK\r\n", 100),
            Err(HttpError::Network(_))
        ));
        assert!(matches!(read(b"", 100), Err(HttpError::Refused(_))));
        let gzip = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx";
        assert!(matches!(read(gzip, 100), Err(HttpError::Network(_))));
    }

    #[test]
    fn urls() {
        let t = |url| Target::parse(url).map(|t| (t.https, t.host, t.port, t.authority, t.path));
        assert_eq!(
            t("http://127.0.0.1:8080/v1/x?y=1#f"),
            Ok((
                false,
                "127.0.0.1".into(),
                8080,
                "127.0.0.1:8080".into(),
                "/v1/x?y=1".into()
            ))
        );
        assert_eq!(
            t("https://example.org"),
            Ok((
                true,
                "example.org".into(),
                443,
                "example.org".into(),
                "/".into()
            ))
        );
        assert_eq!(
            t("http://[::1]?a"),
            Ok((false, "::1".into(), 80, "[::1]".into(), "/?a".into()))
        );
        for bad in [
            "ftp://a/",
            "http://",
            "http://a:0/",
            "http://u@a/",
            "http://a/\r\nX: y",
            "http://[::1/",
        ] {
            assert!(
                matches!(Target::parse(bad), Err(HttpError::BadUrl(_))),
                "{bad}"
            );
        }
        let base = Target::parse("https://a.example/v1/x/y?q").unwrap();
        let join = |l| {
            base.join(l)
                .map(|t| format!("{}|{}|{}", t.https, t.authority, t.path))
        };
        assert_eq!(join("/z"), Ok("true|a.example|/z".into()));
        assert_eq!(join("z"), Ok("true|a.example|/v1/x/z".into()));
        assert_eq!(join("//b.example/z"), Ok("true|b.example|/z".into()));
        assert_eq!(join("http://c.example/"), Ok("false|c.example|/".into()));
    }
}
