//! Argument parsing, by hand: four commands (onecrl with four
//! subcommands, crlite with two) and a few dozen flags.
//!
//! Flags take their value as the next argument (`--chain FILE`) or inline
//! (`--chain=FILE`). A next argument that starts with `--` is taken for a
//! forgotten value, not a file name: `--chain --json` is an error (inline,
//! `--signature=--x...`, the value is taken as written).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use revoscope::policy::PRESET_NAMES;

use revoscope::ocsp::request::CertIdHash;

use super::CliError;
use revoscope::ocsp::MethodChoice;

/// One invocation.
#[derive(Debug)]
pub enum Command {
    Help(Topic),
    Version,
    Inspect(InspectArgs),
    Ocsp(OcspArgs),
    OnecrlStats(StatsArgs),
    OnecrlLookup(LookupArgs),
    OnecrlVerify(VerifyArgs),
    OnecrlSync(SyncArgs),
    CrliteSync(CrliteSyncArgs),
    CrliteQuery(CrliteQueryArgs),
}

/// What `--help` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    General,
    Inspect,
    Ocsp,
    Onecrl,
    Crlite,
}

/// Where `inspect` gets the chain.
#[derive(Debug)]
pub enum ChainSource {
    /// `--chain FILE`.
    File(PathBuf),
    /// `inspect https://HOST[:PORT]`: a TLS handshake.
    Https(String),
}

#[derive(Debug)]
pub struct InspectArgs {
    pub source: ChainSource,
    pub onecrl: Option<PathBuf>,
    /// A preset name or a policy file path.
    pub policy: Option<OsString>,
    pub staple: Option<PathBuf>,
    pub at: Option<String>,
    pub no_fetch: bool,
    /// Live OCSP timeout; default: the policy's.
    pub timeout_ms: Option<u32>,
    pub method: MethodChoice,
    /// Ask this responder instead of the one in the certificate.
    pub responder: Option<String>,
    /// A JSON file that keeps OCSP answers between runs.
    pub ocsp_cache: Option<PathBuf>,
    pub built_in_root: bool,
    /// A CRLite filter set kept by `crlite sync`.
    pub crlite_dir: Option<PathBuf>,
    pub json: bool,
}

#[derive(Debug)]
pub struct OcspArgs {
    pub cert: PathBuf,
    pub issuer: PathBuf,
    /// The responder; default: the certificate's AIA OCSP URL.
    pub url: Option<String>,
    pub method: MethodChoice,
    pub timeout_ms: Option<u32>,
    pub cert_id_hash: CertIdHash,
    pub nonce: bool,
    pub at: Option<String>,
    pub json: bool,
}

#[derive(Debug)]
pub struct StatsArgs {
    pub onecrl: Option<PathBuf>,
    pub json: bool,
}

#[derive(Debug)]
pub struct LookupArgs {
    pub cert: PathBuf,
    pub onecrl: Option<PathBuf>,
    pub json: bool,
}

/// Whom a content signature must come from: `--signer` and `--root-hash`.
#[derive(Debug)]
pub struct TrustArgs {
    /// The dNSName the signer must carry; default: OneCRL's.
    pub signer: Option<String>,
    /// SHA-256 of each pinned root's DER; empty: Mozilla's roots.
    pub root_hashes: Vec<[u8; 32]>,
}

#[derive(Debug)]
pub struct VerifyArgs {
    /// A changeset or a dump.
    pub collection: PathBuf,
    /// The signature text, or a file holding it; default: the changeset's
    /// `metadata.signature`.
    pub signature: Option<OsString>,
    /// The signer's PEM chain, as its x5u URL serves it.
    pub chain: PathBuf,
    pub trust: TrustArgs,
    pub at: Option<String>,
    pub json: bool,
}

#[derive(Debug)]
pub struct SyncArgs {
    /// The server's base URL, ending in `/v1`.
    pub from: String,
    pub out: Option<PathBuf>,
    /// The collection in force, a dump (a previous `--out`).
    pub base: Option<PathBuf>,
    pub trust: TrustArgs,
    /// For the whole sync.
    pub timeout: Duration,
    pub json: bool,
}

#[derive(Debug)]
pub struct CrliteSyncArgs {
    /// The server's base URL, ending in `/v1`.
    pub from: String,
    /// Where the set is kept; see [`default_crlite_dir`].
    pub dir: PathBuf,
    pub channel: String,
    pub trust: TrustArgs,
    /// For the whole sync, attachments included.
    pub timeout: Duration,
    pub json: bool,
}

#[derive(Debug)]
pub struct CrliteQueryArgs {
    pub cert: PathBuf,
    /// Default: the second certificate of `--cert`'s bundle.
    pub issuer: Option<PathBuf>,
    pub dir: PathBuf,
    pub at: Option<String>,
    pub json: bool,
}

/// Where `crlite sync` keeps the filter set and `crlite query` reads it
/// without `--dir`: `$XDG_DATA_HOME/revoscope/crlite`, else
/// `$HOME/.local/share/revoscope/crlite` (the XDG default).
pub fn default_crlite_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    // The XDG spec ignores a relative XDG_DATA_HOME.
    let data = var("XDG_DATA_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|home| home.join(".local/share")))?;
    Some(data.join("revoscope").join("crlite"))
}

/// Parses the arguments that follow the program name.
pub fn parse(args: &[OsString]) -> Result<Command, CliError> {
    let Some((first, rest)) = args.split_first() else {
        return Err(CliError::usage("no command given"));
    };
    match first.to_str() {
        Some("--help" | "-h") => Ok(Command::Help(Topic::General)),
        Some("help") => help_topic(rest),
        Some("--version" | "-V") => Ok(Command::Version),
        Some("inspect") if wants_help(rest) => Ok(Command::Help(Topic::Inspect)),
        Some("inspect") => parse_inspect(rest).map(Command::Inspect),
        Some("ocsp") if wants_help(rest) => Ok(Command::Help(Topic::Ocsp)),
        Some("ocsp") => parse_ocsp(rest).map(Command::Ocsp),
        Some("onecrl") => parse_onecrl(rest),
        Some("crlite") => parse_crlite(rest),
        Some(flag) if flag.starts_with('-') => Err(CliError::usage(format!("unknown flag {flag}"))),
        _ => Err(CliError::usage(format!(
            "unknown command {:?}",
            first.to_string_lossy()
        ))),
    }
}

fn help_topic(rest: &[OsString]) -> Result<Command, CliError> {
    let topic = match rest.first().map(|t| t.to_string_lossy()) {
        None => Topic::General,
        Some(t) if t == "inspect" => Topic::Inspect,
        Some(t) if t == "ocsp" => Topic::Ocsp,
        Some(t) if t == "onecrl" => Topic::Onecrl,
        Some(t) if t == "crlite" => Topic::Crlite,
        Some(t) => {
            return Err(CliError::usage(format!(
                "no help on {t:?}; commands: inspect, ocsp, onecrl, crlite"
            )))
        }
    };
    Ok(Command::Help(topic))
}

fn wants_help(args: &[OsString]) -> bool {
    args.iter().any(|a| a == "--help" || a == "-h")
}

fn parse_onecrl(rest: &[OsString]) -> Result<Command, CliError> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err(CliError::usage(
            "onecrl needs a subcommand: stats, lookup, verify or sync",
        ));
    };
    if wants_help(rest) {
        return Ok(Command::Help(Topic::Onecrl));
    }
    match sub.to_str() {
        Some("--help" | "-h" | "help") => Ok(Command::Help(Topic::Onecrl)),
        Some("stats") => {
            let mut flags = Flags::parse("onecrl stats", rest, &[ONECRL, JSON])?;
            Ok(Command::OnecrlStats(StatsArgs {
                onecrl: flags.path(ONECRL),
                json: flags.switch(JSON),
            }))
        }
        Some("lookup") => {
            let mut flags = Flags::parse("onecrl lookup", rest, &[CERT, ONECRL, JSON])?;
            Ok(Command::OnecrlLookup(LookupArgs {
                cert: flags.required_path("onecrl lookup", CERT)?,
                onecrl: flags.path(ONECRL),
                json: flags.switch(JSON),
            }))
        }
        Some("verify") => parse_verify(rest).map(Command::OnecrlVerify),
        Some("sync") => parse_sync(rest).map(Command::OnecrlSync),
        _ => Err(CliError::usage(format!(
            "unknown onecrl subcommand {:?}; expected stats, lookup, verify or sync",
            sub.to_string_lossy()
        ))),
    }
}

fn parse_verify(rest: &[OsString]) -> Result<VerifyArgs, CliError> {
    let specs = [COLLECTION, SIGNATURE, CHAIN, SIGNER, ROOT_HASH, AT, JSON];
    let mut flags = Flags::parse("onecrl verify", rest, &specs)?;
    Ok(VerifyArgs {
        collection: flags.required_path("onecrl verify", COLLECTION)?,
        signature: flags.value(SIGNATURE),
        chain: flags.required_path("onecrl verify", CHAIN)?,
        trust: trust(&mut flags)?,
        at: flags.text(AT),
        json: flags.switch(JSON),
    })
}

/// Default of `onecrl sync --timeout`, in seconds.
pub const DEFAULT_SYNC_TIMEOUT_SECS: u64 = 60;
/// Default of `crlite sync --timeout`: a full filter is megabytes.
pub const DEFAULT_CRLITE_TIMEOUT_SECS: u64 = 300;

fn parse_sync(rest: &[OsString]) -> Result<SyncArgs, CliError> {
    let specs = [FROM, OUT, BASE, ROOT_HASH, SIGNER, TIMEOUT, JSON];
    let mut flags = Flags::parse("onecrl sync", rest, &specs)?;
    Ok(SyncArgs {
        from: from(&mut flags)?,
        out: flags.path(OUT),
        base: flags.path(BASE),
        trust: trust(&mut flags)?,
        timeout: timeout(&mut flags, DEFAULT_SYNC_TIMEOUT_SECS)?,
        json: flags.switch(JSON),
    })
}

/// `--from URL`; default: Mozilla's server.
fn from(flags: &mut Flags) -> Result<String, CliError> {
    match flags.text(FROM) {
        None => Ok(revoscope::remote_settings::sync::MOZILLA_SERVER.to_owned()),
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => Ok(url),
        Some(url) => Err(CliError::usage(format!(
            "--from {url:?}: give the server's http:// or https:// URL, ending in /v1"
        ))),
    }
}

/// `--timeout SECS`, 1 to 3600.
fn timeout(flags: &mut Flags, default_secs: u64) -> Result<Duration, CliError> {
    let secs = match flags.text(TIMEOUT) {
        None => default_secs,
        Some(secs) => secs
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                CliError::usage(format!("--timeout {secs:?}: give seconds, 1 to 3600"))
            })?,
    };
    Ok(Duration::from_secs(secs))
}

fn parse_crlite(rest: &[OsString]) -> Result<Command, CliError> {
    let Some((sub, rest)) = rest.split_first() else {
        return Err(CliError::usage("crlite needs a subcommand: sync or query"));
    };
    if wants_help(rest) {
        return Ok(Command::Help(Topic::Crlite));
    }
    match sub.to_str() {
        Some("--help" | "-h" | "help") => Ok(Command::Help(Topic::Crlite)),
        Some("sync") => {
            let specs = [FROM, DIR, CHANNEL, ROOT_HASH, SIGNER, TIMEOUT, JSON];
            let mut flags = Flags::parse("crlite sync", rest, &specs)?;
            Ok(Command::CrliteSync(CrliteSyncArgs {
                from: from(&mut flags)?,
                dir: crlite_dir(&mut flags)?,
                channel: channel(&mut flags)?,
                trust: trust(&mut flags)?,
                timeout: timeout(&mut flags, DEFAULT_CRLITE_TIMEOUT_SECS)?,
                json: flags.switch(JSON),
            }))
        }
        Some("query") => {
            let specs = [CERT, ISSUER, DIR, AT, JSON];
            let mut flags = Flags::parse("crlite query", rest, &specs)?;
            Ok(Command::CrliteQuery(CrliteQueryArgs {
                cert: flags.required_path("crlite query", CERT)?,
                issuer: flags.path(ISSUER),
                dir: crlite_dir(&mut flags)?,
                at: flags.text(AT),
                json: flags.switch(JSON),
            }))
        }
        _ => Err(CliError::usage(format!(
            "unknown crlite subcommand {:?}; expected sync or query",
            sub.to_string_lossy()
        ))),
    }
}

/// `--dir DIR`, else the default place.
fn crlite_dir(flags: &mut Flags) -> Result<PathBuf, CliError> {
    flags.path(DIR).map_or_else(
        || {
            default_crlite_dir().ok_or_else(|| {
                CliError::usage("neither XDG_DATA_HOME nor HOME is set: give --dir DIR")
            })
        },
        Ok,
    )
}

/// `--channel NAME`: a token, as Firefox's `security.pki.crlite_channel`.
fn channel(flags: &mut Flags) -> Result<String, CliError> {
    let Some(channel) = flags.text(CHANNEL) else {
        return Ok(revoscope::crlite::records::DEFAULT_CHANNEL.to_owned());
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if channel.len() > 64 || !channel.chars().all(plain) {
        return Err(CliError::usage(format!(
            "--channel {channel:?}: give a channel name such as default or compat"
        )));
    }
    Ok(channel)
}

/// `--signer NAME` and every `--root-hash HEX`.
fn trust(flags: &mut Flags) -> Result<TrustArgs, CliError> {
    let root_hashes = flags
        .values(ROOT_HASH)
        .into_iter()
        .map(|value| {
            let text = value.to_string_lossy();
            // Also as `openssl x509 -fingerprint -sha256` prints it: AB:CD:...
            revoscope::hex::decode(&text.replace(':', ""))
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "--root-hash {text:?}: give the SHA-256 of the root's DER, 64 hex digits"
                    ))
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(TrustArgs {
        signer: flags.text(SIGNER),
        root_hashes,
    })
}

fn parse_inspect(rest: &[OsString]) -> Result<InspectArgs, CliError> {
    // `inspect https://HOST ...`: the URL comes first, the flags after.
    let (url, rest) = match rest.split_first() {
        Some((first, flags)) if first.to_string_lossy().starts_with("https://") => {
            (Some(first.to_string_lossy().into_owned()), flags)
        }
        _ => (None, rest),
    };
    let specs = [
        CHAIN,
        ONECRL,
        POLICY,
        STAPLE,
        AT,
        NO_FETCH,
        TIMEOUT_MS,
        METHOD,
        RESPONDER,
        OCSP_CACHE,
        BUILT_IN_ROOT,
        CRLITE_DIR,
        JSON,
    ];
    let mut flags = Flags::parse("inspect", rest, &specs)?;
    let text = |v: OsString| v.to_string_lossy().into_owned();
    let timeout_ms = timeout_ms(&mut flags)?;
    let method = method(&mut flags)?;
    let source = match (url, flags.path(CHAIN)) {
        (Some(url), None) => ChainSource::Https(url),
        (None, Some(path)) => ChainSource::File(path),
        (Some(_), Some(_)) => {
            return Err(CliError::usage(
                "give either https://HOST or --chain FILE, not both",
            ))
        }
        (None, None) => {
            return Err(CliError::usage(
                "inspect needs --chain FILE or https://HOST[:PORT]",
            ))
        }
    };
    Ok(InspectArgs {
        source,
        onecrl: flags.path(ONECRL),
        policy: flags.value(POLICY),
        staple: flags.path(STAPLE),
        at: flags.value(AT).map(|at| at.to_string_lossy().into_owned()),
        no_fetch: flags.switch(NO_FETCH),
        timeout_ms,
        method,
        responder: flags.value(RESPONDER).map(text),
        ocsp_cache: flags.path(OCSP_CACHE),
        built_in_root: flags.switch(BUILT_IN_ROOT),
        crlite_dir: flags.path(CRLITE_DIR),
        json: flags.switch(JSON),
    })
}

fn parse_ocsp(rest: &[OsString]) -> Result<OcspArgs, CliError> {
    let specs = [CERT, ISSUER, URL, METHOD, TIMEOUT_MS, HASH, NONCE, AT, JSON];
    let mut flags = Flags::parse("ocsp", rest, &specs)?;
    let text = |v: OsString| v.to_string_lossy().into_owned();
    let cert_id_hash = match flags.value(HASH).map(text).as_deref() {
        None | Some("sha1") => CertIdHash::Sha1,
        Some("sha256") => CertIdHash::Sha256,
        Some(other) => {
            return Err(CliError::usage(format!(
                "--hash {other:?}: give sha1 or sha256"
            )))
        }
    };
    Ok(OcspArgs {
        cert: flags.required_path("ocsp", CERT)?,
        issuer: flags.required_path("ocsp", ISSUER)?,
        url: flags.value(URL).map(text),
        method: method(&mut flags)?,
        timeout_ms: timeout_ms(&mut flags)?,
        cert_id_hash,
        nonce: flags.switch(NONCE),
        at: flags.value(AT).map(text),
        json: flags.switch(JSON),
    })
}

/// `--timeout-ms`: 1 ms to 10 minutes.
fn timeout_ms(flags: &mut Flags) -> Result<Option<u32>, CliError> {
    let Some(ms) = flags.value(TIMEOUT_MS) else {
        return Ok(None);
    };
    let ms = ms.to_string_lossy();
    ms.parse::<u32>()
        .ok()
        .filter(|ms| (1..=600_000).contains(ms))
        .map(Some)
        .ok_or_else(|| {
            CliError::usage(format!(
                "--timeout-ms {ms:?}: give milliseconds, 1 to 600000"
            ))
        })
}

/// `--method get|post|auto`.
fn method(flags: &mut Flags) -> Result<MethodChoice, CliError> {
    let Some(text) = flags
        .value(METHOD)
        .map(|v| v.to_string_lossy().into_owned())
    else {
        return Ok(MethodChoice::Auto);
    };
    MethodChoice::parse(&text)
        .ok_or_else(|| CliError::usage(format!("--method {text:?}: give get, post or auto")))
}

/// A flag a command accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Flag {
    name: &'static str,
    /// What the value is called in messages; `None` for a switch.
    value: Option<&'static str>,
    /// May be given more than once (`--root-hash A --root-hash B`).
    repeatable: bool,
}

impl Flag {
    const fn value(name: &'static str, what: &'static str) -> Flag {
        Flag {
            name,
            value: Some(what),
            repeatable: false,
        }
    }

    const fn switch(name: &'static str) -> Flag {
        Flag {
            name,
            value: None,
            repeatable: false,
        }
    }

    const fn repeatable(self) -> Flag {
        Flag {
            repeatable: true,
            ..self
        }
    }
}

const CHAIN: Flag = Flag::value("--chain", "FILE");
const CERT: Flag = Flag::value("--cert", "FILE");
const ISSUER: Flag = Flag::value("--issuer", "FILE");
const URL: Flag = Flag::value("--url", "URL");
const HASH: Flag = Flag::value("--hash", "sha1|sha256");
const NONCE: Flag = Flag::switch("--nonce");
const ONECRL: Flag = Flag::value("--onecrl", "FILE");
const POLICY: Flag = Flag::value("--policy", "NAME|FILE");
const STAPLE: Flag = Flag::value("--staple", "FILE");
const AT: Flag = Flag::value("--at", "RFC3339");
const NO_FETCH: Flag = Flag::switch("--no-fetch");
const TIMEOUT_MS: Flag = Flag::value("--timeout-ms", "MS");
const METHOD: Flag = Flag::value("--method", "get|post|auto");
const RESPONDER: Flag = Flag::value("--responder", "URL");
const OCSP_CACHE: Flag = Flag::value("--ocsp-cache", "FILE");
const BUILT_IN_ROOT: Flag = Flag::switch("--built-in-root");
const JSON: Flag = Flag::switch("--json");
const COLLECTION: Flag = Flag::value("--collection", "FILE");
const SIGNATURE: Flag = Flag::value("--signature", "SIG|FILE");
const SIGNER: Flag = Flag::value("--signer", "NAME");
const ROOT_HASH: Flag = Flag::value("--root-hash", "HEX").repeatable();
const FROM: Flag = Flag::value("--from", "URL");
const OUT: Flag = Flag::value("--out", "FILE");
const BASE: Flag = Flag::value("--base", "FILE");
const TIMEOUT: Flag = Flag::value("--timeout", "SECS");
const DIR: Flag = Flag::value("--dir", "DIR");
const CHANNEL: Flag = Flag::value("--channel", "NAME");
const CRLITE_DIR: Flag = Flag::value("--crlite-dir", "DIR");

/// The flags given to one command, each at most once unless repeatable.
struct Flags {
    values: HashMap<&'static str, Vec<OsString>>,
    switches: HashSet<&'static str>,
}

impl Flags {
    fn parse(command: &str, args: &[OsString], specs: &[Flag]) -> Result<Self, CliError> {
        let mut flags = Flags {
            values: HashMap::new(),
            switches: HashSet::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let Some(text) = arg.to_str() else {
                return Err(CliError::usage(format!(
                    "unexpected argument {:?} (not UTF-8; give a flag's value as a separate argument)",
                    arg.to_string_lossy()
                )));
            };
            if !text.starts_with("--") {
                return Err(CliError::usage(format!(
                    "unexpected argument {text:?} for {command}"
                )));
            }
            let (name, inline) = match text.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (text, None),
            };
            let flag = specs
                .iter()
                .find(|f| f.name == name)
                .ok_or_else(|| CliError::usage(format!("unknown flag {name} for {command}")))?;
            let given = flags.values.contains_key(flag.name) || flags.switches.contains(flag.name);
            if given && !flag.repeatable {
                return Err(CliError::usage(format!(
                    "{} given more than once",
                    flag.name
                )));
            }
            match (flag.value, inline) {
                (None, None) => {
                    flags.switches.insert(flag.name);
                }
                (None, Some(_)) => {
                    return Err(CliError::usage(format!("{} takes no value", flag.name)))
                }
                (Some(what), inline) => {
                    // Only a separate argument can be a forgotten value:
                    // `--signature=--x...` means what it says.
                    let value = match inline {
                        Some(value) => OsString::from(value),
                        None => args
                            .next()
                            .filter(|v| !v.to_string_lossy().starts_with("--"))
                            .cloned()
                            .unwrap_or_default(),
                    };
                    if value.is_empty() {
                        return Err(CliError::usage(format!(
                            "{} needs a value: {} {what}",
                            flag.name, flag.name
                        )));
                    }
                    flags.values.entry(flag.name).or_default().push(value);
                }
            }
        }
        Ok(flags)
    }

    fn value(&mut self, flag: Flag) -> Option<OsString> {
        self.values.remove(flag.name)?.pop()
    }

    /// Every value of a repeatable flag, in the order given.
    fn values(&mut self, flag: Flag) -> Vec<OsString> {
        self.values.remove(flag.name).unwrap_or_default()
    }

    fn text(&mut self, flag: Flag) -> Option<String> {
        self.value(flag).map(|v| v.to_string_lossy().into_owned())
    }

    fn path(&mut self, flag: Flag) -> Option<PathBuf> {
        self.value(flag).map(PathBuf::from)
    }

    fn required_path(&mut self, command: &str, flag: Flag) -> Result<PathBuf, CliError> {
        self.path(flag).ok_or_else(|| {
            CliError::usage(format!(
                "{command} needs {} {}",
                flag.name,
                flag.value.unwrap_or_default()
            ))
        })
    }

    fn switch(&self, flag: Flag) -> bool {
        self.switches.contains(flag.name)
    }
}

const INSPECT_USAGE: &str =
    "  revoscope inspect (--chain FILE | https://HOST[:PORT]) [--onecrl FILE] [--policy NAME|FILE]
                    [--staple FILE] [--at RFC3339] [--no-fetch] [--timeout-ms MS] [--method get|post|auto]
                    [--responder URL] [--ocsp-cache FILE] [--built-in-root] [--crlite-dir DIR] [--json]";

const OCSP_USAGE: &str =
    "  revoscope ocsp --cert FILE --issuer FILE [--url URL] [--method get|post|auto]
                 [--timeout-ms MS] [--hash sha1|sha256] [--nonce] [--at RFC3339] [--json]";

const OCSP_OPTIONS: &str = "\
ocsp: ask a responder about one certificate, and judge the answer in full.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate
  --url URL           the responder; default: the certificate's AIA OCSP URL
  --method M          get, post, or auto (as for inspect)
  --timeout-ms MS     default: 2000, the soft-fail timeout
  --hash H            the CertID hash: sha1 (default, as Firefox sends) or sha256
  --nonce             send a random 16-byte nonce (RFC 8954) and report whether it came back
  --at RFC3339        judge the answer at this time; default: now
  --json              print the query and its result as one JSON object
  exit status 3 when the responder says revoked, 0 for any other result";

const ONECRL_USAGE: &str = "  revoscope onecrl stats [--onecrl FILE] [--json]
  revoscope onecrl lookup --cert FILE [--onecrl FILE] [--json]
  revoscope onecrl verify --collection FILE [--signature SIG|FILE] --chain FILE [--signer NAME]
                          [--root-hash HEX]... [--at RFC3339] [--json]
  revoscope onecrl sync [--from URL] [--out FILE] [--base FILE] [--root-hash HEX]...
                        [--signer NAME] [--timeout SECS] [--json]";

const CRLITE_USAGE: &str =
    "  revoscope crlite sync [--from URL] [--dir DIR] [--channel NAME] [--root-hash HEX]...
                        [--signer NAME] [--timeout SECS] [--json]
  revoscope crlite query --cert FILE [--issuer FILE] [--dir DIR] [--at RFC3339] [--json]";

const CRLITE_OPTIONS: &str = "\
crlite sync: fetch the CRLite filters from a Remote Settings server as Firefox does: the
security-state/cert-revocations records (content signature as for onecrl sync), then the
newest full filter of the channel and the deltas chained to it, each file checked against
its signed record's size and SHA-256.
  --from URL          the server, ending in /v1;
                      default: https://firefox.settings.services.mozilla.com/v1
  --dir DIR           where the set is kept: records.json (the records, the base of the next,
                      incremental, sync), one <sha256>.filter per filter, index.json (the set
                      in force); default: $XDG_DATA_HOME/revoscope/crlite, else
                      ~/.local/share/revoscope/crlite. Files are written through a temporary
                      file and a rename, the index only once the whole set decoded, so a
                      failed sync leaves the set in force as it was
  --channel NAME      the records' channel; default: default (Firefox desktop's)
  --signer NAME       as for onecrl verify
  --root-hash HEX     as for onecrl verify
  --timeout SECS      for the whole sync, every download included; default: 300
  --json              print the report as one JSON object (also when the sync fails)

crlite query: what the kept filter set says of one certificate (Firefox's crlite_status
label: no_filter, not_covered, not_enrolled, not_revoked, revoked_in_filter), the filter that
decided, the set's age (ten days after the last install, Firefox stops using it), and the
certificate's embedded SCTs, each covered by the filters or not.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate; default: the second certificate of --cert
  --dir DIR           the set kept by crlite sync; default as for sync
  --at RFC3339        judge the set's age at this time; default: now
  --json              print the answer as one JSON object";

const EXIT_STATUS: &str = "\
exit status:
  0  the outcome is not block; onecrl lookup: the certificate is not listed;
     onecrl verify: the signature verifies; onecrl sync, crlite sync: updated, or up
     to date; crlite query: any answer but revoked_in_filter
  3  the outcome is block; onecrl lookup: OneCRL lists the certificate;
     onecrl verify: the signature is refused; crlite query: revoked_in_filter
  1  bad input or usage (one line on stderr: revoscope: ...); onecrl sync, crlite
     sync: the sync failed (the line names the failure's code; --json still prints
     the report)";

fn inspect_options() -> String {
    format!(
        "\
inspect: walk a chain down the revocation ladder and report each certificate.
  --chain FILE        the chain, leaf first: a PEM bundle, or one DER certificate
  https://HOST[:PORT] instead of --chain: connect, and take the chain and the stapled
                      OCSP response the server sends (the chain is evaluated whatever
                      its trust; whether it verifies to Mozilla's store is reported, and
                      counts as --built-in-root)
  --onecrl FILE       a OneCRL snapshot (Remote Settings dump or changeset JSON);
                      default: the snapshot built into revoscope
  --policy NAME|FILE  a preset ({}; default mozilla-plan)
                      or a JSON policy file ({{\"base\": \"hard-fail\", ...}})
  --staple FILE       the DER OCSP response the server stapled for the leaf (with
                      https://, replaces what the server stapled)
  --at RFC3339        the evaluation time, e.g. 2026-11-21T12:00:00Z; default: now
  --no-fetch          never contact an OCSP responder (the live step stays pending)
  --timeout-ms MS     live OCSP timeout; default: the policy's (2000 soft-fail, 10000 hard-fail)
  --method M          get, post, or auto (default: GET when the request fits in 255
                      encoded bytes, POST otherwise or when GET gets an HTTP error)
  --responder URL     send the request to URL instead of the certificate's responder
                      (the verdict's sentences still name the certificate's)
  --ocsp-cache FILE   keep OCSP answers in FILE between runs (good until they expire,
                      revoked forever, failures for 5 minutes)
  --built-in-root     the chain ends in a root of the browser's built-in store
  --crlite-dir DIR    use the CRLite filter set kept in DIR by crlite sync (policies with
                      CRLite on: firefox-today enforces it); default: no filters
  --json              print the verdict as one JSON object",
        PRESET_NAMES.join(", ")
    )
}

const ONECRL_OPTIONS: &str = "\
onecrl stats: what a OneCRL snapshot holds, and which records could not be used.
onecrl lookup: whether OneCRL lists a certificate, and the record that does.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --onecrl FILE       a OneCRL snapshot; default: the snapshot built into revoscope
  --json              print the answer as one JSON object

onecrl verify: check a collection's content signature as Firefox does (signer,
chain to a pinned root, validity, P-384 ECDSA over the canonical JSON).
  --collection FILE   a Remote Settings changeset ({\"changes\": [...], \"timestamp\": N,
                      \"metadata\": {...}}) or a dump ({\"data\": [...], \"timestamp\": N})
  --signature SIG     p384ecdsa=<base64url> or the bare base64url, or a file holding it;
                      default: the changeset's metadata.signature
  --chain FILE        the signer's PEM chain, end entity first (what its x5u URL serves)
  --signer NAME       the name the signer's certificate must carry;
                      default: onecrl.content-signature.mozilla.org
  --root-hash HEX     SHA-256 of a pinned root's DER (repeatable); replaces Mozilla's
                      content-signature roots
  --at RFC3339        check validity at this time; default: now
  --json              print the answer as one JSON object
  exit status 3 when the signature is refused (the line \"why:\" says which check failed)

onecrl sync: fetch OneCRL from a Remote Settings server as Firefox does (the monitor's
timestamp, the changeset, each signature's x5u chain), and keep it only if it verifies.
  --from URL          the server, ending in /v1;
                      default: https://firefox.settings.services.mozilla.com/v1
  --base FILE         the collection in force, a dump (a previous --out): fetch only the
                      changes since its timestamp (the whole collection when those do not
                      verify), refuse an older one (rollback), and check the signer
                      against its OneCRL; a FILE that does not exist yet counts as none;
                      default: none, and the built-in snapshot's OneCRL
  --out FILE          write the verified collection there as a dump (through FILE.tmp and
                      a rename) when the sync updates it; never touched otherwise
  --signer NAME       as for verify
  --root-hash HEX     as for verify
  --timeout SECS      for the whole sync, every request included; default: 60
  --json              print the report as one JSON object (also when the sync fails)
  exit status 1 when the sync fails; nothing is written then";

/// The help text for a topic.
pub fn usage(topic: Topic) -> String {
    match topic {
        Topic::General => format!(
            "revoscope {}: certificate revocation as Firefox and Mozilla's revocation plan decide it\n\n\
             usage:\n{INSPECT_USAGE}\n{OCSP_USAGE}\n{ONECRL_USAGE}\n{CRLITE_USAGE}\n  revoscope help [inspect|ocsp|onecrl|crlite]\n  revoscope --version\n\n\
             {}\n\n{OCSP_OPTIONS}\n\n{ONECRL_OPTIONS}\n\n{CRLITE_OPTIONS}\n\n{EXIT_STATUS}\n",
            env!("CARGO_PKG_VERSION"),
            inspect_options()
        ),
        Topic::Inspect => format!("usage:\n{INSPECT_USAGE}\n\n{}\n\n{EXIT_STATUS}\n", inspect_options()),
        Topic::Ocsp => format!("usage:\n{OCSP_USAGE}\n\n{OCSP_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Onecrl => format!("usage:\n{ONECRL_USAGE}\n\n{ONECRL_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Crlite => format!("usage:\n{CRLITE_USAGE}\n\n{CRLITE_OPTIONS}\n\n{EXIT_STATUS}\n"),
    }
}
