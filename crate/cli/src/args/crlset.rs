//! `revoscope crlset sync|query|dump`: the flags as clap sees them, and
//! what they mean once parsed.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueHint};

use super::shared::{Cert, Json, Timeout};
use super::values::Invalid;
use super::{data_dir, required, timeout, Command};
use crate::CliError;

/// Chrome's component updater (the engine's: the browser's sync asks it too).
pub use revoscope::crlset::sync::GOOGLE_UPDATE_SERVER;

/// Default of `crlset sync --timeout`: the package is under a megabyte.
pub const DEFAULT_CRLSET_TIMEOUT_SECS: u64 = 60;

#[derive(Debug, Subcommand)]
pub enum Crlset {
    /// Fetch Chrome's CRLSet from the component updater, verified as Chrome verifies it
    Sync(CrlsetSync),
    /// What the kept CRLSet says of one certificate
    Query(CrlsetQuery),
    /// What a CRLSet holds
    Dump(CrlsetDump),
}

#[derive(Debug, Args)]
pub struct CrlsetSync {
    /// The update server's URL; default: Chrome's component updater
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, value_parser = update_url)]
    pub from: Option<String>,
    #[command(flatten)]
    pub dir: Dir,
    /// SHA-256 of the publisher key's SPKI; default: Chrome's CRLSet key
    #[arg(long, value_name = "HEX", value_parser = key_sha256)]
    pub key_sha256: Option<[u8; 32]>,
    #[command(flatten)]
    pub timeout: Timeout,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct CrlsetQuery {
    #[command(flatten)]
    pub cert: Cert,
    /// Its issuer's certificate; default: the second certificate of --cert
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub issuer: Option<PathBuf>,
    #[command(flatten)]
    pub dir: Dir,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct CrlsetDump {
    #[command(flatten)]
    pub dir: Dir,
    /// A CRLSet file to read instead of the kept one
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "dir")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct Dir {
    /// Where the CRLSet is kept; default: $XDG_DATA_HOME/revoscope/crlset
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

#[derive(Debug)]
pub struct CrlsetSyncArgs {
    /// The update check's base URL, without its query.
    pub from: String,
    pub dir: PathBuf,
    /// The publisher key's pin; the component id is its id.
    pub key_sha256: Option<[u8; 32]>,
    pub timeout: Duration,
    pub json: bool,
}

#[derive(Debug)]
pub struct CrlsetQueryArgs {
    pub cert: PathBuf,
    pub issuer: Option<PathBuf>,
    pub dir: PathBuf,
    pub json: bool,
}

/// Where the set to dump is.
#[derive(Debug)]
pub enum CrlsetSource {
    Dir(PathBuf),
    File(PathBuf),
}

#[derive(Debug)]
pub struct CrlsetDumpArgs {
    pub source: CrlsetSource,
    pub json: bool,
}

pub(super) fn command(command: Option<Crlset>) -> Result<Command, CliError> {
    Ok(match command {
        None => {
            return Err(CliError::usage(
                "crlset needs a subcommand: sync, query or dump",
            ))
        }
        Some(Crlset::Sync(flags)) => Command::CrlsetSync(CrlsetSyncArgs {
            from: flags
                .from
                .unwrap_or_else(|| GOOGLE_UPDATE_SERVER.to_owned()),
            dir: dir(flags.dir)?,
            key_sha256: flags.key_sha256,
            timeout: timeout(flags.timeout, DEFAULT_CRLSET_TIMEOUT_SECS),
            json: flags.json.json,
        }),
        Some(Crlset::Query(flags)) => Command::CrlsetQuery(CrlsetQueryArgs {
            cert: required("crlset query", "--cert FILE", flags.cert.cert)?,
            issuer: flags.issuer,
            dir: dir(flags.dir)?,
            json: flags.json.json,
        }),
        Some(Crlset::Dump(flags)) => Command::CrlsetDump(CrlsetDumpArgs {
            source: match flags.file {
                Some(file) => CrlsetSource::File(file),
                None => CrlsetSource::Dir(dir(flags.dir)?),
            },
            json: flags.json.json,
        }),
    })
}

/// `--dir DIR`, else the default place, where the ladder's CRLSet step
/// looks for `crl-set` too.
fn dir(flags: Dir) -> Result<PathBuf, CliError> {
    data_dir(flags.dir, "crlset")
}

/// `--from URL`: the update check's URL, without a query (the sync adds it).
fn update_url(text: &str) -> Result<String, Invalid> {
    let fit = (text.starts_with("http://") || text.starts_with("https://")) && !text.contains('?');
    if fit {
        Ok(text.to_owned())
    } else {
        Err(Invalid::Value(format!(
            "--from {text:?}: give the update server's http:// or https:// URL, without a query"
        )))
    }
}

/// `--key-sha256 HEX`: 64 hex digits (colons allowed).
fn key_sha256(text: &str) -> Result<[u8; 32], Invalid> {
    revoscope::hex::decode(&text.replace(':', ""))
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| {
            Invalid::Value(format!(
                "--key-sha256 {text:?}: give the SHA-256 of the publisher key's SubjectPublicKeyInfo, 64 hex digits"
            ))
        })
}
