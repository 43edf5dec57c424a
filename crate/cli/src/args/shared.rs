//! Flags that several commands share, as clap sees them (see
//! [`super::flags`]).

use std::path::PathBuf;

use clap::{Args, ValueHint};

use revoscope::ocsp::MethodChoice;

use super::values;

#[derive(Debug, Args)]
pub struct Cert {
    /// The certificate (PEM or DER; the first of a bundle)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub cert: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OnecrlFile {
    /// A OneCRL snapshot; default: the snapshot built into revoscope
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub onecrl: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct At {
    /// The time to judge at, e.g. 2026-11-21T12:00:00Z; default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::non_empty())]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct TimeoutMs {
    /// Each request's timeout (live OCSP, CRLs; for inspect also the issuer
    /// from caIssuers), 1 to 600000; default: inspect the policy's, ocsp and crl 2000
    #[arg(long, value_name = "MS", value_parser = values::timeout_ms, allow_negative_numbers = true)]
    pub timeout_ms: Option<u32>,
}

#[derive(Debug, Args)]
pub struct Method {
    /// get, post, or auto (GET when the request fits in 255 bytes)
    #[arg(long, value_name = "get|post|auto", value_parser = values::method())]
    pub method: Option<MethodChoice>,
}

#[derive(Debug, Args)]
pub struct Trust {
    /// The name the signer's certificate must carry
    #[arg(long, value_name = "NAME", value_parser = values::non_empty())]
    pub signer: Option<String>,
    /// SHA-256 of a pinned root's DER (repeatable); replaces Mozilla's roots
    #[arg(long, value_name = "HEX", value_parser = values::root_hash)]
    pub root_hash: Vec<[u8; 32]>,
}

#[derive(Debug, Args)]
pub struct From {
    /// The Remote Settings server, ending in /v1; default: Mozilla's
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, value_parser = values::server_url)]
    pub from: Option<String>,
}

#[derive(Debug, Args)]
pub struct Timeout {
    /// For the whole sync, every request included, 1 to 3600 seconds
    #[arg(long, value_name = "SECS", value_parser = values::timeout_secs, allow_negative_numbers = true)]
    pub timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct Dir {
    /// Where the filter set is kept; default: $XDG_DATA_HOME/revoscope/crlite
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct Json {
    /// Print the result as one JSON object
    #[arg(long)]
    pub json: bool,
}
