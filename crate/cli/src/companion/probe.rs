//! `probe`: one TLS handshake with the host the extension names, asking
//! for a stapled OCSP response, through the same code as `inspect
//! https://HOST` ([`crate::tls`]). No HTTP request is made and nothing is
//! kept: the reply carries the chain and the staple, and that is all.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rustls::pki_types::ServerName;
use serde::Serialize;

use super::error::Error;
use super::host::{classify, AddressClass, Host};
use super::request::Probe;
use crate::tls::{self, HandshakeError};

/// What a probe found.
#[derive(Debug, Serialize)]
pub struct Found {
    /// Base64 DER certificates in the server's order, leaf first.
    pub chain: Vec<String>,
    /// The stapled OCSP response, base64 DER; null when none was stapled.
    pub staple: Option<String>,
    /// `TLSv1.3` or `TLSv1.2`.
    pub tls_version: Option<&'static str>,
    /// The address the handshake was made with.
    pub address: Option<String>,
    /// Whether the chain verifies to Mozilla's root store (webpki-roots)
    /// for the name; revocation is judged either way.
    pub trusted: bool,
    pub untrusted_because: Option<String>,
    /// From the request to the end of the handshake, resolving included.
    pub elapsed_ms: u64,
}

/// Runs one probe. Private addresses are refused unless `allow_private`,
/// checked on every address the name resolves to, before connecting to
/// any: a public name that resolves to 127.0.0.1 is refused too, and the
/// connection goes to an address that was checked, not to a second
/// resolution's (which a DNS rebinding attack could change).
pub fn run(probe: &Probe, allow_private: bool) -> Result<Found, Error> {
    let start = Instant::now();
    let deadline = start + probe.timeout;
    let timeout = || Error::Timeout {
        ms: u64::try_from(probe.timeout.as_millis()).unwrap_or(u64::MAX),
    };
    let addresses = match &probe.host {
        Host::Ip(ip) => vec![SocketAddr::new(*ip, probe.port)],
        Host::Name(name) => resolve(name, probe.port, deadline).map_err(|e| match e {
            Resolved::Failed(why) => Error::Resolve(why),
            Resolved::Late => timeout(),
            Resolved::NoThread(why) => Error::Internal(why),
        })?,
    };
    if addresses.is_empty() {
        return Err(Error::NoAddress);
    }
    if !allow_private {
        if let Some((address, class)) = addresses
            .iter()
            .map(|a| (a.ip(), classify(a.ip())))
            .find(|&(_, class)| class != AddressClass::Public)
        {
            return Err(Error::RefusedAddress { address, class });
        }
    }
    let name = server_name(probe)?;
    let captured = tls::handshake(&addresses, name, deadline).map_err(|e| match e {
        HandshakeError::NoAddress => Error::NoAddress,
        HandshakeError::Connect(e) => Error::Connect(e.to_string()),
        HandshakeError::Timeout => timeout(),
        HandshakeError::Tls(why) => Error::Tls(why),
        HandshakeError::NoCertificate => Error::Tls(e.to_string()),
        HandshakeError::Setup(why) => Error::Internal(why),
    })?;
    Ok(Found {
        chain: captured.chain.iter().map(|c| STANDARD.encode(c)).collect(),
        staple: captured.staple.as_ref().map(|s| STANDARD.encode(s)),
        tls_version: captured.version,
        address: captured.peer.map(|a| a.to_string()),
        trusted: captured.trust.is_ok(),
        untrusted_because: captured.trust.err(),
        elapsed_ms: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// The name sent as SNI and checked against the certificate: `sni`, else
/// the host; an IP literal is sent as no SNI (RFC 6066 section 3 allows
/// only host names there) and checked against the certificate's IP SANs.
fn server_name(probe: &Probe) -> Result<ServerName<'static>, Error> {
    match (&probe.sni, &probe.host) {
        (Some(name), _) => {
            ServerName::try_from(name.clone()).map_err(|e| Error::BadSni(e.to_string()))
        }
        (None, Host::Name(name)) => {
            ServerName::try_from(name.clone()).map_err(|e| Error::BadHost(e.to_string()))
        }
        (None, Host::Ip(ip)) => Ok(ServerName::IpAddress((*ip).into())),
    }
}

/// Why resolving gave no addresses.
enum Resolved {
    Failed(String),
    /// The deadline passed first.
    Late,
    NoThread(String),
}

/// Resolves with the system's resolver under the probe's deadline: the
/// lookup runs on a thread of its own that is left behind when it takes
/// too long (getaddrinfo cannot be interrupted; it ends by its own
/// timeouts).
fn resolve(name: &str, port: u16, deadline: Instant) -> Result<Vec<SocketAddr>, Resolved> {
    let (tx, rx) = mpsc::channel();
    let query = (name.to_owned(), port);
    thread::Builder::new()
        .name("companion-resolve".into())
        .spawn(move || {
            let found = query
                .to_socket_addrs()
                .map(Iterator::collect)
                .map_err(|e| e.to_string());
            let _ = tx.send(found);
        })
        .map_err(|e| Resolved::NoThread(format!("cannot start a resolver thread: {e}")))?;
    let left = deadline
        .checked_duration_since(Instant::now())
        .unwrap_or(Duration::ZERO);
    match rx.recv_timeout(left) {
        Ok(found) => found.map_err(Resolved::Failed),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Resolved::Late),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Resolved::Failed("the resolver thread ended".into()))
        }
    }
}
