//! TLS servers on 127.0.0.1 for the tests: `openssl s_server` serving a
//! test leaf and its intermediate, stapling an OCSP response that a real
//! `openssl ocsp` signs at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::fixture_path as fixture;
use super::programs::{free_port, Announces, Server};

pub fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh OCSP response about pki/`leaf`.pem from `index`, valid `days`,
/// signed by the test intermediate: what a server would staple now.
pub fn staple(dir: &Path, leaf: &str, index: &str, days: &str) -> PathBuf {
    let request = dir.join(format!("{leaf}-{index}.req"));
    let response = dir.join(format!("{leaf}-{index}-{days}.der"));
    let path = |p: &Path| p.to_string_lossy().into_owned();
    openssl(&[
        "ocsp",
        "-issuer",
        &fixture("pki/int-good.pem"),
        "-cert",
        &fixture(&format!("pki/{leaf}.pem")),
        "-no_nonce",
        "-reqout",
        &path(&request),
    ]);
    openssl(&[
        "ocsp",
        "-index",
        &fixture(&format!("ocsp/{index}")),
        "-CA",
        &fixture("pki/int-good.pem"),
        "-rsigner",
        &fixture("pki/int-good.pem"),
        "-rkey",
        &fixture("pki/int-good.key.pem"),
        "-reqin",
        &path(&request),
        "-respout",
        &path(&response),
        "-ndays",
        days,
    ]);
    response
}

/// `openssl s_server` serving pki/`leaf`.pem and the intermediate, stapling
/// `status_file` if given.
pub struct TlsServer {
    _server: Server,
    pub port: u16,
    pub url: String,
}

impl TlsServer {
    pub fn start(leaf: &str, status_file: Option<&Path>) -> TlsServer {
        let port = free_port();
        let mut command = Command::new("openssl");
        command
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-www"])
            .args(["-cert", &fixture(&format!("pki/{leaf}.pem"))])
            .args(["-key", &fixture(&format!("pki/{leaf}.key.pem"))])
            .args(["-cert_chain", &fixture("pki/int-good.pem")]);
        if let Some(file) = status_file {
            command.arg("-status_file").arg(file);
        }
        TlsServer {
            // s_server prints ACCEPT once it listens.
            _server: Server::start(command, Announces::OnStdout, "ACCEPT"),
            port,
            url: format!("https://127.0.0.1:{port}"),
        }
    }
}
