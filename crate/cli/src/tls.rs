//! `inspect https://HOST` and the companion's probe: one TLS handshake
//! that asks for a stapled OCSP response (status_request, which rustls
//! always offers) and keeps the chain and the staple the server sent.
//! Browsers do not show extensions the staple; this is how a user sees it.
//!
//! The handshake goes on whatever the chain, because revocation is what we
//! judge: trust is checked on the side, with the same code rustls would use
//! against Mozilla's root store (webpki-roots), and reported.

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    ClientConfig, ClientConnection, DigitallySignedStruct, ProtocolVersion, RootCertStore,
    SignatureScheme,
};

use super::CliError;

/// What the server sent.
#[derive(Debug)]
pub struct Captured {
    /// DER certificates in the server's order, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The stapled OCSP response, if the server sent one.
    pub staple: Option<Vec<u8>>,
    /// `Ok` when the chain verifies to a root of Mozilla's store for this
    /// name; else why not.
    pub trust: Result<(), String>,
    /// The address the handshake was made with.
    pub peer: Option<SocketAddr>,
    /// The negotiated version: `TLSv1.3` or `TLSv1.2`.
    pub version: Option<&'static str>,
}

/// An `https://HOST[:PORT][/...]` target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, CliError> {
        let bad = |why: &str| CliError::usage(format!("{url:?}: {why}; give https://HOST[:PORT]"));
        let rest = url
            .strip_prefix("https://")
            .ok_or_else(|| bad("not an https URL"))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(bad("user information is not allowed"));
        }
        // [v6]:port, host:port, or host.
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| bad("unclosed ["))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port {
            None => 443,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| bad("the port is not 1-65535"))?,
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        Ok(Target {
            host: host.to_owned(),
            port,
        })
    }
}

/// Resolves, connects, handshakes, and returns what the server sent.
pub fn capture(target: &Target, timeout: Duration) -> Result<Captured, CliError> {
    let failed = |why: String| {
        CliError::input(format!(
            "TLS connection to {}:{} failed: {why}",
            target.host, target.port
        ))
    };
    let name = ServerName::try_from(target.host.clone())
        .map_err(|e| failed(format!("{:?} is not a host name: {e}", target.host)))?;
    let addresses: Vec<SocketAddr> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| failed(format!("cannot resolve: {e}")))?
        .collect();
    handshake(&addresses, name, Instant::now() + timeout).map_err(|e| failed(e.to_string()))
}

/// Why [`handshake`] failed.
#[derive(Debug)]
pub enum HandshakeError {
    /// There was no address to connect to.
    NoAddress,
    /// No TCP connection to any address: the last one's error.
    Connect(io::Error),
    /// The deadline passed before the handshake ended.
    Timeout,
    /// The handshake failed once connected: an alert, a signature that
    /// does not verify, a server that does not speak TLS or hung up.
    Tls(String),
    /// rustls could not be set up (a provider without safe defaults).
    Setup(String),
    /// The handshake ended without the server's certificate.
    NoCertificate,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::NoAddress => f.write_str("the name resolves to no address"),
            HandshakeError::Connect(e) => write!(f, "{e}"),
            HandshakeError::Timeout => f.write_str("the deadline passed during the handshake"),
            HandshakeError::Tls(why) | HandshakeError::Setup(why) => f.write_str(why),
            HandshakeError::NoCertificate => f.write_str("the server sent no certificate"),
        }
    }
}

/// Connects to the first of `addresses` that answers and handshakes as
/// `name` (sent as SNI when it is a DNS name), all before `deadline`.
/// The caller resolves, so it can check the addresses before any
/// connection is made (the companion refuses private ones).
pub fn handshake(
    addresses: &[SocketAddr],
    name: ServerName<'static>,
    deadline: Instant,
) -> Result<Captured, HandshakeError> {
    let setup = |e: rustls::Error| HandshakeError::Setup(e.to_string());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| HandshakeError::Setup(e.to_string()))?;
    let recorder = Arc::new(Recorder {
        webpki,
        captured: Mutex::new(None),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(setup)?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let mut tls = ClientConnection::new(Arc::new(config), name).map_err(setup)?;

    let (mut tcp, peer) = connect(addresses, deadline)?;
    while tls.is_handshaking() {
        // One deadline for the whole handshake, not one per read.
        let left = remaining(deadline)?;
        tcp.set_read_timeout(Some(left))
            .and_then(|()| tcp.set_write_timeout(Some(left)))
            .map_err(HandshakeError::Connect)?;
        tls.complete_io(&mut tcp).map_err(|e| match e.kind() {
            // A socket timeout reads as WouldBlock on Unix, TimedOut on Windows.
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => HandshakeError::Timeout,
            _ => HandshakeError::Tls(e.to_string()),
        })?;
    }
    let version = tls.protocol_version().and_then(version_name);
    // Done with the server: say goodbye without waiting for its reply (a
    // server that keeps the connection open would hold us to the timeout).
    tls.send_close_notify();
    while tls.wants_write() {
        if tls.write_tls(&mut tcp).is_err() {
            break;
        }
    }

    let captured = recorder
        .captured
        .lock()
        .map_err(|_| HandshakeError::Setup("the certificate recorder was poisoned".into()))?
        .take()
        .ok_or(HandshakeError::NoCertificate)?;
    Ok(Captured {
        peer: Some(peer),
        version,
        ..captured
    })
}

/// The first address that accepts a connection before the deadline.
fn connect(
    addresses: &[SocketAddr],
    deadline: Instant,
) -> Result<(TcpStream, SocketAddr), HandshakeError> {
    let mut last = HandshakeError::NoAddress;
    for &address in addresses {
        match TcpStream::connect_timeout(&address, remaining(deadline)?) {
            Ok(tcp) => return Ok((tcp, address)),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => last = HandshakeError::Timeout,
            Err(e) => last = HandshakeError::Connect(e),
        }
    }
    Err(last)
}

/// The time left before `deadline`; none left is a timeout.
fn remaining(deadline: Instant) -> Result<Duration, HandshakeError> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
        .ok_or(HandshakeError::Timeout)
}

/// The version as the IANA registry and OpenSSL name it.
fn version_name(version: ProtocolVersion) -> Option<&'static str> {
    match version {
        ProtocolVersion::TLSv1_2 => Some("TLSv1.2"),
        ProtocolVersion::TLSv1_3 => Some("TLSv1.3"),
        _ => None,
    }
}

/// Accepts any chain, keeping it, the staple, and webpki's opinion of it.
#[derive(Debug)]
struct Recorder {
    webpki: Arc<WebPkiServerVerifier>,
    captured: Mutex<Option<Captured>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let trust = self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.as_ref().to_vec())
            .collect();
        let staple = (!ocsp_response.is_empty()).then(|| ocsp_response.to_vec());
        if let Ok(mut slot) = self.captured.lock() {
            *slot = Some(Captured {
                chain,
                staple,
                trust,
                peer: None,
                version: None,
            });
        }
        Ok(ServerCertVerified::assertion())
    }

    // The handshake signatures are checked for real: the server must hold
    // the leaf's key, or what we judge is not what it serves.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = |url| Target::parse(url).ok().map(|t| (t.host, t.port));
        assert_eq!(t("https://example.org"), Some(("example.org".into(), 443)));
        assert_eq!(
            t("https://example.org:8443/x?y"),
            Some(("example.org".into(), 8443))
        );
        assert_eq!(
            t("https://127.0.0.1:4433"),
            Some(("127.0.0.1".into(), 4433))
        );
        assert_eq!(t("https://[::1]:4433/"), Some(("::1".into(), 4433)));
        for bad in [
            "http://example.org",
            "https://",
            "https://a:0",
            "https://a:99999",
            "https://u@a",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }
}
