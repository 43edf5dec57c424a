//! The command line as clap sees it: every command and flag, with the
//! one-line descriptions the man page and the shell completions show.
//!
//! Nothing is `required` here, and there are no defaults: what a missing
//! flag means, and the message when one must be given, is decided in
//! [`super::parse`], with the messages of the hand-written parser this
//! replaced. The values are checked here, by [`super::values`].

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueHint};

use revoscope::ocsp::request::CertIdHash;

use super::values;

/// Certificate revocation as Firefox and Mozilla's revocation plan decide it.
#[derive(Debug, Parser)]
#[command(
    name = "revoscope",
    version,
    // `--help` prints the hand-written help (crate::help); `--version` and
    // `help` are routed before clap sees them (super::early).
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Top>,
    /// Print help (revoscope help COMMAND: a command's)
    #[arg(short, long, global = true, action = ArgAction::SetTrue)]
    pub help: bool,
    /// Print the version
    #[arg(short = 'V', long, action = ArgAction::SetTrue)]
    pub version: bool,
}

#[derive(Debug, Subcommand)]
pub enum Top {
    /// Walk a chain down the revocation ladder and report each certificate
    Inspect(Inspect),
    /// Ask a responder about one certificate, and judge the answer in full
    Ocsp(Ocsp),
    /// Judge one certificate against its issuer's CRL, in full
    Crl(Crl),
    /// OneCRL: what a snapshot holds, lookups, content signatures, syncs
    Onecrl {
        #[command(subcommand)]
        command: Option<Onecrl>,
    },
    /// CRLite: sync the filters from Remote Settings, query the kept set
    Crlite {
        #[command(subcommand)]
        command: Option<Crlite>,
    },
    /// Chrome's CRLSet: sync it from the component updater, query it, dump it
    Crlset {
        #[command(subcommand)]
        command: Option<super::crlset::Crlset>,
    },
    /// The extension's native messaging host: TLS probes and the browsers' own revocation files
    Companion(super::companion::Companion),
    /// Print the help of a command
    Help {
        #[arg(value_parser = ["inspect", "ocsp", "crl", "onecrl", "crlite", "crlset", "companion"])]
        command: Option<String>,
    },
    /// Print the completion script of a shell
    Completions {
        #[arg(value_parser = values::shell())]
        shell: Option<clap_complete::Shell>,
    },
    /// Print the manual page revoscope(1), in roff
    Man {
        /// Instead, write revoscope.1 and one page per command into DIR
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct Inspect {
    /// https://HOST[:PORT] instead of --chain: the chain and staple a server sends
    #[arg(value_name = "https://HOST[:PORT]", value_hint = ValueHint::Url)]
    pub url: Option<String>,
    /// The chain, leaf first: a PEM bundle, or one DER certificate
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub chain: Option<PathBuf>,
    #[command(flatten)]
    pub onecrl: OnecrlFile,
    /// A preset or a JSON policy file; default: inspector
    #[arg(long, value_name = "NAME|FILE", value_hint = ValueHint::FilePath, value_parser = values::non_empty_os())]
    pub policy: Option<OsString>,
    /// The DER OCSP response the server stapled for the leaf
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub staple: Option<PathBuf>,
    #[command(flatten)]
    pub at: At,
    /// Never contact an OCSP responder or a caIssuers URL
    #[arg(long)]
    pub no_fetch: bool,
    #[command(flatten)]
    pub timeout_ms: TimeoutMs,
    #[command(flatten)]
    pub method: Method,
    /// Send the request to URL instead of the certificate's responder
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, value_parser = values::non_empty())]
    pub responder: Option<String>,
    /// Keep OCSP answers in FILE between runs
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub ocsp_cache: Option<PathBuf>,
    /// The chain ends in a root of the browser's built-in store
    #[arg(long)]
    pub built_in_root: bool,
    /// Use the CRLite filter set kept in DIR by crlite sync
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub crlite_dir: Option<PathBuf>,
    /// Use this CRLSet file (Chrome's crl-set, raw)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub crlset: Option<PathBuf>,
    /// Also show the chain under firefox-today, chrome-today, mozilla-plan and hard-fail
    #[arg(long)]
    pub compare: bool,
    /// A DER CRL for the leaf, used instead of fetching it (repeatable)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, action = ArgAction::Append)]
    pub crl: Vec<PathBuf>,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct Ocsp {
    #[command(flatten)]
    pub cert: Cert,
    /// Its issuer's certificate
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub issuer: Option<PathBuf>,
    /// The responder; default: the certificate's AIA OCSP URL
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, value_parser = values::non_empty())]
    pub url: Option<String>,
    #[command(flatten)]
    pub method: Method,
    #[command(flatten)]
    pub timeout_ms: TimeoutMs,
    /// The CertID hash: sha1 (default, as Firefox sends) or sha256
    #[arg(long, value_name = "sha1|sha256", value_parser = values::cert_id_hash())]
    pub hash: Option<CertIdHash>,
    /// Send a random 16-byte nonce (RFC 8954)
    #[arg(long)]
    pub nonce: bool,
    #[command(flatten)]
    pub at: At,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct Crl {
    #[command(flatten)]
    pub cert: Cert,
    /// Its issuer's certificate, which must have signed the CRL
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub issuer: Option<PathBuf>,
    /// The DER CRL, instead of fetching it
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub crl: Option<PathBuf>,
    /// Fetch the CRL from URL (http://); default: the certificate's first http CRL distribution point
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, value_parser = values::crl_url)]
    pub url: Option<String>,
    #[command(flatten)]
    pub at: At,
    #[command(flatten)]
    pub timeout_ms: TimeoutMs,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Subcommand)]
pub enum Onecrl {
    /// What a OneCRL snapshot holds, and which records could not be used
    Stats {
        #[command(flatten)]
        onecrl: OnecrlFile,
        #[command(flatten)]
        json: Json,
    },
    /// Whether OneCRL lists a certificate, and the record that does
    Lookup {
        #[command(flatten)]
        cert: Cert,
        #[command(flatten)]
        onecrl: OnecrlFile,
        #[command(flatten)]
        json: Json,
    },
    /// Check a collection's content signature as Firefox does
    Verify(Verify),
    /// Fetch OneCRL from a Remote Settings server, keep it if it verifies
    Sync(OnecrlSync),
}

#[derive(Debug, Args)]
pub struct Verify {
    /// A Remote Settings changeset or a dump
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub collection: Option<PathBuf>,
    /// p384ecdsa=<base64url> or the bare base64url, or a file holding it
    #[arg(long, value_name = "SIG|FILE", value_hint = ValueHint::FilePath, value_parser = values::non_empty_os())]
    pub signature: Option<OsString>,
    /// The signer's PEM chain, end entity first (what its x5u URL serves)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub chain: Option<PathBuf>,
    #[command(flatten)]
    pub trust: Trust,
    #[command(flatten)]
    pub at: At,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct OnecrlSync {
    #[command(flatten)]
    pub from: From,
    /// Write the verified collection there as a dump when the sync updates it
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,
    /// The collection in force, a dump (a previous --out)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub base: Option<PathBuf>,
    #[command(flatten)]
    pub trust: Trust,
    #[command(flatten)]
    pub timeout: Timeout,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Subcommand)]
pub enum Crlite {
    /// Fetch the CRLite filters from a Remote Settings server as Firefox does
    Sync(CrliteSync),
    /// What the kept filter set says of one certificate
    Query(CrliteQuery),
}

#[derive(Debug, Args)]
pub struct CrliteSync {
    #[command(flatten)]
    pub from: From,
    #[command(flatten)]
    pub dir: Dir,
    /// The records' channel; default: default (Firefox desktop's)
    #[arg(long, value_name = "NAME", value_parser = values::channel)]
    pub channel: Option<String>,
    #[command(flatten)]
    pub trust: Trust,
    #[command(flatten)]
    pub timeout: Timeout,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Args)]
pub struct CrliteQuery {
    #[command(flatten)]
    pub cert: Cert,
    /// Its issuer's certificate; default: the second certificate of --cert
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub issuer: Option<PathBuf>,
    #[command(flatten)]
    pub dir: Dir,
    #[command(flatten)]
    pub at: At,
    #[command(flatten)]
    pub json: Json,
}

// Flags that several commands share: in their own module, which the
// commands kept in modules of their own (crlset) use too.
pub use super::shared::*;
