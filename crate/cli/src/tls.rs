//! `inspect https://HOST`: one TLS handshake that asks for a stapled OCSP
//! response (status_request, which rustls always offers) and keeps the
//! chain and the staple the server sent. Browsers do not show extensions
//! the staple; this is how a user sees it.
//!
//! The handshake goes on whatever the chain, because revocation is what we
//! judge: trust is checked on the side, with the same code rustls would use
//! against Mozilla's root store (webpki-roots), and reported.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
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

/// Connects, handshakes, and returns what the server sent.
pub fn capture(target: &Target, timeout: Duration) -> Result<Captured, CliError> {
    let failed = |why: String| {
        CliError::input(format!(
            "TLS connection to {}:{} failed: {why}",
            target.host, target.port
        ))
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let recorder = Arc::new(Recorder {
        webpki,
        captured: Mutex::new(None),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(target.host.clone())
        .map_err(|e| failed(format!("{:?} is not a host name: {e}", target.host)))?;
    let mut tls =
        ClientConnection::new(Arc::new(config), name).map_err(|e| failed(e.to_string()))?;

    let address = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| failed(format!("cannot resolve: {e}")))?
        .next()
        .ok_or_else(|| failed("the name resolves to no address".into()))?;
    let mut tcp =
        TcpStream::connect_timeout(&address, timeout).map_err(|e| failed(e.to_string()))?;
    tcp.set_read_timeout(Some(timeout))
        .and_then(|()| tcp.set_write_timeout(Some(timeout)))
        .map_err(|e| failed(e.to_string()))?;
    while tls.is_handshaking() {
        tls.complete_io(&mut tcp)
            .map_err(|e| failed(e.to_string()))?;
    }
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
        .map_err(|_| failed("the certificate recorder was poisoned".into()))?
        .take();
    captured.ok_or_else(|| failed("the server sent no certificate".into()))
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
