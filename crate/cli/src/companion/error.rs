//! Every way a request can fail, each with the stable code its error reply
//! carries (`{"ok": false, "error": {"code", "message"}}`): the extension
//! decides on the code, a person reads the message.

use std::fmt;
use std::net::IpAddr;

use super::host::AddressClass;

/// Why a request got an error reply.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The length prefix announced more than the request limit; the host
    /// exits after saying so.
    TooLarge { length: u32, limit: usize },
    /// The message is not JSON (or not UTF-8).
    BadJson(String),
    /// The message is JSON but not an object.
    NotAnObject,
    /// A field the request needs is absent.
    MissingField(&'static str),
    /// A field has the wrong JSON type (`"type": 3`, `"id": {}`).
    BadField {
        field: &'static str,
        expected: &'static str,
    },
    /// A field this type of request does not take (a typo, more likely than
    /// not, that would otherwise be silently ignored).
    UnknownField(String),
    /// A `type` this host does not know.
    UnknownType(String),
    /// `host` is not a DNS name or an IP literal.
    BadHost(String),
    /// `port` is not an integer from 1 to 65535.
    BadPort,
    /// `sni` is not a DNS name.
    BadSni(String),
    /// `timeout_ms` is not a positive integer.
    BadTimeout,
    /// `browser` is not firefox, chromium or chrome.
    BadBrowser(String),
    /// `profile` is not an absolute path to a directory.
    BadProfile(String),
    /// As many probes as allowed are running.
    Busy { limit: usize },
    /// The name did not resolve.
    Resolve(String),
    /// The name resolved to no address.
    NoAddress,
    /// An address is loopback, private, link-local... and the host was
    /// not started with `--allow-private`.
    RefusedAddress {
        address: IpAddr,
        class: AddressClass,
    },
    /// No TCP connection.
    Connect(String),
    /// The probe's deadline passed.
    Timeout { ms: u64 },
    /// The TLS handshake failed.
    Tls(String),
    /// The reply would exceed the browser's limit on a host's message.
    ReplyTooLarge { size: usize, limit: usize },
    /// Something on this side failed (a thread that could not start).
    Internal(String),
}

impl Error {
    /// The stable code: what the extension matches on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too-large",
            Error::BadJson(_) => "bad-json",
            Error::NotAnObject => "not-an-object",
            Error::MissingField(_) => "missing-field",
            Error::BadField { .. } => "bad-field",
            Error::UnknownField(_) => "unknown-field",
            Error::UnknownType(_) => "unknown-type",
            Error::BadHost(_) => "bad-host",
            Error::BadPort => "bad-port",
            Error::BadSni(_) => "bad-sni",
            Error::BadTimeout => "bad-timeout",
            Error::BadBrowser(_) => "bad-browser",
            Error::BadProfile(_) => "bad-profile",
            Error::Busy { .. } => "busy",
            Error::Resolve(_) => "resolve",
            Error::NoAddress => "no-address",
            Error::RefusedAddress { .. } => "refused-address",
            Error::Connect(_) => "connect",
            Error::Timeout { .. } => "timeout",
            Error::Tls(_) => "tls",
            Error::ReplyTooLarge { .. } => "reply-too-large",
            Error::Internal(_) => "internal",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TooLarge { length, limit } => write!(
                f,
                "a message of {length} bytes was announced; requests are at most {limit} bytes, and the host stops here"
            ),
            Error::BadJson(why) => write!(f, "the message is not JSON: {why}"),
            Error::NotAnObject => f.write_str("the message is not a JSON object"),
            Error::MissingField(field) => write!(f, "the request has no {field:?}"),
            Error::BadField { field, expected } => write!(f, "{field:?} must be {expected}"),
            Error::UnknownField(field) => write!(f, "this request takes no {field:?}"),
            Error::UnknownType(kind) => write!(
                f,
                "unknown request type {kind:?}; expected hello, probe or browser-lists"
            ),
            Error::BadHost(why) => write!(f, "bad host: {why}"),
            Error::BadPort => f.write_str("\"port\" must be an integer from 1 to 65535"),
            Error::BadSni(why) => write!(f, "bad sni: {why}"),
            Error::BadTimeout => f.write_str("\"timeout_ms\" must be a positive integer"),
            Error::BadBrowser(browser) => write!(
                f,
                "unknown browser {browser:?}; expected firefox, chromium or chrome"
            ),
            Error::BadProfile(why) => write!(f, "bad profile: {why}"),
            Error::Busy { limit } => write!(
                f,
                "{limit} probes are running already; try again when one has answered"
            ),
            Error::Resolve(why) => write!(f, "the name does not resolve: {why}"),
            Error::NoAddress => f.write_str("the name resolves to no address"),
            Error::RefusedAddress { address, class } => write!(
                f,
                "{address} is a {} address; the companion reaches only public addresses unless started with --allow-private",
                class.name()
            ),
            Error::Connect(why) => write!(f, "cannot connect: {why}"),
            Error::Timeout { ms } => write!(f, "no handshake within {ms} ms"),
            Error::Tls(why) => write!(f, "the TLS handshake failed: {why}"),
            Error::ReplyTooLarge { size, limit } => write!(
                f,
                "the reply would be {size} bytes; a host's message is at most {limit}"
            ),
            Error::Internal(why) => f.write_str(why),
        }
    }
}
