//! The command line: clap parses it (`flags`), then [`parse`] gives each
//! command its arguments, with defaults, the checks that need more than
//! one flag, and the messages of the hand-written parser clap replaced.
//!
//! Flags take their value as the next argument (`--chain FILE`) or inline
//! (`--chain=FILE`). A next argument that looks like a flag is taken for a
//! forgotten value: `--chain --json` is an error (inline,
//! `--signature=--x...`, the value is taken as written).

pub mod companion;
pub mod crlset;
mod errors;
pub mod flags;
mod shared;
mod values;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser as _;
use clap_complete::Shell;

use revoscope::ocsp::request::CertIdHash;
use revoscope::ocsp::MethodChoice;

use super::data_dir::default_data_dir;
use super::help::Topic;
use super::CliError;
use flags::{Cli, Crlite, Onecrl, Top};

pub use values::SHELLS;

/// One invocation.
#[derive(Debug)]
pub enum Command {
    Help(Topic),
    Version,
    Inspect(InspectArgs),
    Ocsp(OcspArgs),
    Crl(CrlArgs),
    OnecrlStats(StatsArgs),
    OnecrlLookup(LookupArgs),
    OnecrlVerify(VerifyArgs),
    OnecrlSync(SyncArgs),
    CrliteSync(CrliteSyncArgs),
    CrliteQuery(CrliteQueryArgs),
    CrlsetSync(crlset::CrlsetSyncArgs),
    CrlsetQuery(crlset::CrlsetQueryArgs),
    CrlsetDump(crlset::CrlsetDumpArgs),
    /// `companion`: serve the extension on stdin and stdout.
    Companion(crate::companion::CompanionArgs),
    CompanionInstall(crate::companion::install::InstallArgs),
    CompanionUninstall(crate::companion::install::UninstallArgs),
    /// `completions SHELL`.
    Completions(Shell),
    /// `man`, or `man --dir DIR`.
    Man(Option<PathBuf>),
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
    /// A raw CRLSet file (Chrome's `crl-set`).
    pub crlset: Option<PathBuf>,
    /// Also evaluate under the compared presets.
    pub compare: bool,
    /// DER CRLs for the leaf, used instead of fetching its CRL.
    pub crls: Vec<PathBuf>,
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

/// Where `crl` gets the list.
#[derive(Debug, PartialEq, Eq)]
pub enum CrlSource {
    /// `--crl FILE`.
    File(PathBuf),
    /// `--url URL`.
    Url(String),
    /// Neither: the certificate's first http CRL distribution point.
    DistributionPoint,
}

#[derive(Debug)]
pub struct CrlArgs {
    pub cert: PathBuf,
    pub issuer: PathBuf,
    pub source: CrlSource,
    pub at: Option<String>,
    /// The fetch's timeout; default: the `inspector` preset's.
    pub timeout_ms: Option<u32>,
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
    /// Where the set is kept; see [`crate::data_dir::default_data_dir`].
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

/// Default of `onecrl sync --timeout`, in seconds.
pub const DEFAULT_SYNC_TIMEOUT_SECS: u64 = 60;
/// Default of `crlite sync --timeout`: a full filter is megabytes.
pub const DEFAULT_CRLITE_TIMEOUT_SECS: u64 = 300;

/// Parses the arguments that follow the program name.
pub fn parse(args: &[OsString]) -> Result<Command, CliError> {
    if let Some(command) = early(args)? {
        return Ok(command);
    }
    let argv = std::iter::once(OsString::from("revoscope")).chain(args.iter().cloned());
    let cli = Cli::try_parse_from(argv).map_err(|e| CliError::usage(errors::message(&e, args)))?;
    command(cli)
}

/// Help, the version, and no command at all: decided on the words alone,
/// before any flag is parsed, so that `--help` anywhere in a command's
/// arguments (even after a wrong flag) shows that command's help.
fn early(args: &[OsString]) -> Result<Option<Command>, CliError> {
    let Some((first, rest)) = args.split_first() else {
        return Err(CliError::usage("no command given"));
    };
    let wants_help = |args: &[OsString]| args.iter().any(|a| a == "--help" || a == "-h");
    let grouped_help = |topic: Topic| match rest.split_first() {
        Some((sub, rest))
            if sub == "--help" || sub == "-h" || sub == "help" || wants_help(rest) =>
        {
            Some(Command::Help(topic))
        }
        _ => None,
    };
    Ok(match first.to_str() {
        Some("--help" | "-h") => Some(Command::Help(Topic::General)),
        Some("--version" | "-V") => Some(Command::Version),
        Some("help") => Some(help_topic(rest)?),
        Some("inspect") if wants_help(rest) => Some(Command::Help(Topic::Inspect)),
        Some("ocsp") if wants_help(rest) => Some(Command::Help(Topic::Ocsp)),
        Some("crl") if wants_help(rest) => Some(Command::Help(Topic::Crl)),
        Some("onecrl") => grouped_help(Topic::Onecrl),
        Some("crlite") => grouped_help(Topic::Crlite),
        Some("crlset") => grouped_help(Topic::Crlset),
        Some("companion") => grouped_help(Topic::Companion),
        Some("completions" | "man") if wants_help(rest) => Some(Command::Help(Topic::General)),
        _ => None,
    })
}

fn help_topic(rest: &[OsString]) -> Result<Command, CliError> {
    let topic = match rest.first().map(|t| t.to_string_lossy()) {
        None => Topic::General,
        Some(t) if t == "inspect" => Topic::Inspect,
        Some(t) if t == "ocsp" => Topic::Ocsp,
        Some(t) if t == "crl" => Topic::Crl,
        Some(t) if t == "onecrl" => Topic::Onecrl,
        Some(t) if t == "crlite" => Topic::Crlite,
        Some(t) if t == "crlset" => Topic::Crlset,
        Some(t) if t == "companion" => Topic::Companion,
        Some(t) => {
            return Err(CliError::usage(format!(
                "no help on {t:?}; commands: inspect, ocsp, crl, onecrl, crlite, crlset, companion"
            )))
        }
    };
    Ok(Command::Help(topic))
}

/// What clap parsed, as the command to run.
fn command(cli: Cli) -> Result<Command, CliError> {
    if cli.version {
        return Ok(Command::Version);
    }
    let Some(top) = cli.command else {
        return Err(CliError::usage("no command given"));
    };
    if cli.help {
        let topic = match top {
            Top::Inspect(_) => Topic::Inspect,
            Top::Ocsp(_) => Topic::Ocsp,
            Top::Crl(_) => Topic::Crl,
            Top::Onecrl { .. } => Topic::Onecrl,
            Top::Crlite { .. } => Topic::Crlite,
            Top::Crlset { .. } => Topic::Crlset,
            Top::Companion(_) => Topic::Companion,
            Top::Help { .. } | Top::Completions { .. } | Top::Man { .. } => Topic::General,
        };
        return Ok(Command::Help(topic));
    }
    Ok(match top {
        Top::Inspect(flags) => Command::Inspect(inspect(flags)?),
        Top::Ocsp(flags) => Command::Ocsp(ocsp(flags)?),
        Top::Crl(flags) => Command::Crl(crl(flags)?),
        Top::Onecrl { command } => match command {
            None => {
                return Err(CliError::usage(
                    "onecrl needs a subcommand: stats, lookup, verify or sync",
                ))
            }
            Some(Onecrl::Stats { onecrl, json }) => Command::OnecrlStats(StatsArgs {
                onecrl: onecrl.onecrl,
                json: json.json,
            }),
            Some(Onecrl::Lookup { cert, onecrl, json }) => Command::OnecrlLookup(LookupArgs {
                cert: required("onecrl lookup", "--cert FILE", cert.cert)?,
                onecrl: onecrl.onecrl,
                json: json.json,
            }),
            Some(Onecrl::Verify(flags)) => Command::OnecrlVerify(VerifyArgs {
                collection: required("onecrl verify", "--collection FILE", flags.collection)?,
                signature: flags.signature,
                chain: required("onecrl verify", "--chain FILE", flags.chain)?,
                trust: trust(flags.trust),
                at: flags.at.at,
                json: flags.json.json,
            }),
            Some(Onecrl::Sync(flags)) => Command::OnecrlSync(SyncArgs {
                from: from(flags.from),
                out: flags.out,
                base: flags.base,
                trust: trust(flags.trust),
                timeout: timeout(flags.timeout, DEFAULT_SYNC_TIMEOUT_SECS),
                json: flags.json.json,
            }),
        },
        Top::Crlset { command } => crlset::command(command)?,
        Top::Companion(flags) => companion::command(flags)?,
        Top::Crlite { command } => match command {
            None => return Err(CliError::usage("crlite needs a subcommand: sync or query")),
            Some(Crlite::Sync(flags)) => Command::CrliteSync(CrliteSyncArgs {
                from: from(flags.from),
                dir: crlite_dir(flags.dir)?,
                channel: flags
                    .channel
                    .unwrap_or_else(|| revoscope::crlite::records::DEFAULT_CHANNEL.to_owned()),
                trust: trust(flags.trust),
                timeout: timeout(flags.timeout, DEFAULT_CRLITE_TIMEOUT_SECS),
                json: flags.json.json,
            }),
            Some(Crlite::Query(flags)) => Command::CrliteQuery(CrliteQueryArgs {
                cert: required("crlite query", "--cert FILE", flags.cert.cert)?,
                issuer: flags.issuer,
                dir: crlite_dir(flags.dir)?,
                at: flags.at.at,
                json: flags.json.json,
            }),
        },
        Top::Help { command } => {
            help_topic(&command.map(OsString::from).into_iter().collect::<Vec<_>>())?
        }
        Top::Completions { shell } => Command::Completions(
            shell.ok_or_else(|| CliError::usage(format!("completions needs a shell: {SHELLS}")))?,
        ),
        Top::Man { dir } => Command::Man(dir),
    })
}

fn inspect(flags: flags::Inspect) -> Result<InspectArgs, CliError> {
    // `inspect https://HOST ...`: the only word inspect takes.
    if let Some(url) = flags.url.as_ref().filter(|u| !u.starts_with("https://")) {
        return Err(CliError::usage(format!(
            "unexpected argument {url:?} for inspect"
        )));
    }
    let source = match (flags.url, flags.chain) {
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
        onecrl: flags.onecrl.onecrl,
        policy: flags.policy,
        staple: flags.staple,
        at: flags.at.at,
        no_fetch: flags.no_fetch,
        timeout_ms: flags.timeout_ms.timeout_ms,
        method: flags.method.method.unwrap_or(MethodChoice::Auto),
        responder: flags.responder,
        ocsp_cache: flags.ocsp_cache,
        built_in_root: flags.built_in_root,
        crlite_dir: flags.crlite_dir,
        crlset: flags.crlset,
        compare: flags.compare,
        crls: flags.crl,
        json: flags.json.json,
    })
}

fn ocsp(flags: flags::Ocsp) -> Result<OcspArgs, CliError> {
    Ok(OcspArgs {
        cert: required("ocsp", "--cert FILE", flags.cert.cert)?,
        issuer: required("ocsp", "--issuer FILE", flags.issuer)?,
        url: flags.url,
        method: flags.method.method.unwrap_or(MethodChoice::Auto),
        timeout_ms: flags.timeout_ms.timeout_ms,
        cert_id_hash: flags.hash.unwrap_or(CertIdHash::Sha1),
        nonce: flags.nonce,
        at: flags.at.at,
        json: flags.json.json,
    })
}

fn crl(flags: flags::Crl) -> Result<CrlArgs, CliError> {
    let source = match (flags.crl, flags.url) {
        (Some(path), None) => CrlSource::File(path),
        (None, Some(url)) => CrlSource::Url(url),
        (None, None) => CrlSource::DistributionPoint,
        (Some(_), Some(_)) => {
            return Err(CliError::usage(
                "give either --crl FILE or --url URL, not both",
            ))
        }
    };
    Ok(CrlArgs {
        cert: required("crl", "--cert FILE", flags.cert.cert)?,
        issuer: required("crl", "--issuer FILE", flags.issuer)?,
        source,
        at: flags.at.at,
        timeout_ms: flags.timeout_ms.timeout_ms,
        json: flags.json.json,
    })
}

/// A flag a command cannot run without.
fn required<T>(command: &str, flag: &str, value: Option<T>) -> Result<T, CliError> {
    value.ok_or_else(|| CliError::usage(format!("{command} needs {flag}")))
}

/// `--from URL`; default: Mozilla's server.
fn from(flags: flags::From) -> String {
    flags
        .from
        .unwrap_or_else(|| revoscope::remote_settings::sync::MOZILLA_SERVER.to_owned())
}

fn timeout(flags: flags::Timeout, default_secs: u64) -> Duration {
    Duration::from_secs(flags.timeout.unwrap_or(default_secs))
}

fn trust(flags: flags::Trust) -> TrustArgs {
    TrustArgs {
        signer: flags.signer,
        root_hashes: flags.root_hash,
    }
}

/// `--dir DIR`, else the default place.
fn crlite_dir(flags: flags::Dir) -> Result<PathBuf, CliError> {
    data_dir(flags.dir, "crlite")
}

/// `--dir DIR`, else `default_data_dir(name)`.
fn data_dir(dir: Option<PathBuf>, name: &str) -> Result<PathBuf, CliError> {
    dir.map_or_else(
        || {
            default_data_dir(name).ok_or_else(|| {
                CliError::usage("neither XDG_DATA_HOME nor HOME is set: give --dir DIR")
            })
        },
        Ok,
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    fn run(line: &str) -> Result<Command, String> {
        let args: Vec<OsString> = line.split_whitespace().map(OsString::from).collect();
        parse(&args).map_err(|e| e.to_string())
    }

    #[test]
    fn clap_model_is_consistent() {
        Cli::command().debug_assert();
    }

    /// `--help` is written by hand (help.rs); clap's model (flags.rs) makes
    /// the man pages and completions. Each names every flag of the other's
    /// commands, so the two cannot drift apart.
    #[test]
    fn the_hand_written_help_names_every_flag_clap_knows() {
        let cli = Cli::command();
        for (name, topic) in [
            ("inspect", Topic::Inspect),
            ("ocsp", Topic::Ocsp),
            ("crl", Topic::Crl),
            ("onecrl", Topic::Onecrl),
            ("crlite", Topic::Crlite),
            ("companion", Topic::Companion),
        ] {
            let text = crate::help::usage(topic);
            let top = cli.find_subcommand(name).expect("a command");
            for command in std::iter::once(top).chain(top.get_subcommands()) {
                for long in command.get_arguments().filter_map(|a| a.get_long()) {
                    if long != "help" {
                        assert!(
                            text.contains(&format!("--{long}")),
                            "{name} {}: --{long} is not in its help",
                            command.get_name()
                        );
                    }
                }
            }
        }
    }

    /// The messages of the hand-written parser clap replaced, kept.
    #[test]
    fn usage_errors_are_one_line_as_before() {
        for (line, message) in [
            ("", "no command given"),
            (
                "help bogus",
                "no help on \"bogus\"; commands: inspect, ocsp, crl, onecrl, crlite, crlset, companion",
            ),
            ("frobnicate", "unknown command \"frobnicate\""),
            ("frobnicate --help", "unknown command \"frobnicate\""),
            ("--json", "unknown flag --json"),
            (
                "inspect",
                "inspect needs --chain FILE or https://HOST[:PORT]",
            ),
            ("inspect --chain", "--chain needs a value: --chain FILE"),
            (
                "inspect --chain --json",
                "--chain needs a value: --chain FILE",
            ),
            ("inspect --chain=", "--chain needs a value: --chain FILE"),
            (
                "inspect --chain a --chain b",
                "--chain given more than once",
            ),
            ("inspect --json=x", "--json takes no value"),
            ("inspect --bogus", "unknown flag --bogus for inspect"),
            ("inspect stray", "unexpected argument \"stray\" for inspect"),
            (
                "inspect https://a b",
                "unexpected argument \"b\" for inspect",
            ),
            (
                "inspect https://x --chain a",
                "give either https://HOST or --chain FILE, not both",
            ),
            (
                "inspect --chain a --timeout-ms 0",
                "--timeout-ms \"0\": give milliseconds, 1 to 600000",
            ),
            (
                "inspect --chain a --timeout-ms -5",
                "--timeout-ms \"-5\": give milliseconds, 1 to 600000",
            ),
            (
                "inspect --chain a --method put",
                "--method \"put\": give get, post or auto",
            ),
            (
                "inspect --chain a --policy=",
                "--policy needs a value: --policy NAME|FILE",
            ),
            ("crl", "crl needs --cert FILE"),
            ("crl --cert a", "crl needs --issuer FILE"),
            (
                "crl --cert a --issuer b --crl c --url http://x/c.crl",
                "give either --crl FILE or --url URL, not both",
            ),
            (
                "crl --cert a --issuer b --url https://x/c.crl",
                "--url \"https://x/c.crl\": give the CRL's http:// URL (CRLs are fetched over plain HTTP only)",
            ),
            ("crl --cert a --issuer b --crl", "--crl needs a value: --crl FILE"),
            (
                "crl --cert a --issuer b --crl c --crl d",
                "--crl given more than once",
            ),
            ("ocsp", "ocsp needs --cert FILE"),
            ("ocsp --cert a", "ocsp needs --issuer FILE"),
            (
                "ocsp --cert a --issuer b --hash md5",
                "--hash \"md5\": give sha1 or sha256",
            ),
            (
                "ocsp --cert a --issuer b --hash",
                "--hash needs a value: --hash sha1|sha256",
            ),
            (
                "onecrl",
                "onecrl needs a subcommand: stats, lookup, verify or sync",
            ),
            (
                "onecrl bogus",
                "unknown onecrl subcommand \"bogus\"; expected stats, lookup, verify or sync",
            ),
            (
                "onecrl stats --bogus",
                "unknown flag --bogus for onecrl stats",
            ),
            (
                "onecrl stats extra",
                "unexpected argument \"extra\" for onecrl stats",
            ),
            ("onecrl lookup", "onecrl lookup needs --cert FILE"),
            ("onecrl verify", "onecrl verify needs --collection FILE"),
            (
                "onecrl verify --collection a",
                "onecrl verify needs --chain FILE",
            ),
            (
                "onecrl verify --collection a --chain b --signature --x",
                "--signature needs a value: --signature SIG|FILE",
            ),
            (
                "onecrl verify --collection a --chain b --root-hash abcd",
                "--root-hash \"abcd\": give the SHA-256 of the root's DER, 64 hex digits",
            ),
            (
                "onecrl sync --timeout 3601",
                "--timeout \"3601\": give seconds, 1 to 3600",
            ),
            (
                "onecrl sync --from ftp://x",
                "--from \"ftp://x\": give the server's http:// or https:// URL, ending in /v1",
            ),
            (
                "onecrl sync --root-hash=",
                "--root-hash needs a value: --root-hash HEX",
            ),
            ("crlite", "crlite needs a subcommand: sync or query"),
            (
                "crlite fetch",
                "unknown crlite subcommand \"fetch\"; expected sync or query",
            ),
            ("crlite query --dir /x", "crlite query needs --cert FILE"),
            (
                "crlite sync --channel ../x",
                "--channel \"../x\": give a channel name such as default or compat",
            ),
            ("crlite sync --json=1", "--json takes no value"),
            ("crlite query --cert", "--cert needs a value: --cert FILE"),
            (
                "completions",
                "completions needs a shell: bash, zsh, fish, elvish or powershell",
            ),
            (
                "completions tcsh",
                "completions \"tcsh\": give bash, zsh, fish, elvish or powershell",
            ),
            ("man --dir", "--dir needs a value: --dir DIR"),
            (
                "companion bogus",
                "unknown companion subcommand \"bogus\"; expected install or uninstall",
            ),
            (
                "companion --allow-private install",
                "--allow-private goes after install (companion install --allow-private)",
            ),
            (
                "companion install --browser edge",
                "--browser \"edge\": give firefox, chromium or chrome",
            ),
            (
                "companion uninstall --allow-private",
                "unknown flag --allow-private for companion uninstall",
            ),
        ] {
            let expected = format!("{message} (see revoscope --help)");
            assert_eq!(run(line).err(), Some(expected), "{line:?}");
        }
    }

    #[test]
    fn help_wins_wherever_it_is() {
        for (line, topic) in [
            ("--help", Topic::General),
            ("-h", Topic::General),
            ("help", Topic::General),
            ("help crlite", Topic::Crlite),
            ("inspect --bogus --help", Topic::Inspect),
            ("ocsp -h", Topic::Ocsp),
            ("crl --url --help", Topic::Crl),
            ("help crl", Topic::Crl),
            ("onecrl --help", Topic::Onecrl),
            ("onecrl help", Topic::Onecrl),
            ("onecrl bogus --help", Topic::Onecrl),
            ("crlite sync --timeout 0 -h", Topic::Crlite),
            ("completions --help", Topic::General),
            ("companion --help", Topic::Companion),
            ("companion install --system -h", Topic::Companion),
            ("help companion", Topic::Companion),
        ] {
            assert!(
                matches!(run(line), Ok(Command::Help(t)) if t == topic),
                "{line:?}"
            );
        }
        assert!(matches!(run("-V"), Ok(Command::Version)));
    }

    #[test]
    fn companion_commands() {
        use crate::companion::browser::Browser;
        use crate::companion::install::Scope;

        assert!(matches!(
            run("companion --allow-private"),
            Ok(Command::Companion(args)) if args.allow_private
        ));
        let Ok(Command::CompanionInstall(install)) =
            run("companion install --browser chrome --system --allow-private")
        else {
            panic!("install")
        };
        assert_eq!(
            (install.browsers, install.scope, install.allow_private),
            (vec![Browser::Chrome], Scope::System, true)
        );
        let Ok(Command::CompanionUninstall(uninstall)) = run("companion uninstall") else {
            panic!("uninstall")
        };
        assert_eq!(
            (uninstall.browsers, uninstall.scope),
            (Browser::ALL.to_vec(), Scope::User)
        );
    }

    #[test]
    fn values_and_defaults() {
        let Ok(Command::Inspect(args)) =
            run("inspect https://example.org:8443 --timeout-ms=1500 --method post --no-fetch")
        else {
            panic!("inspect")
        };
        assert!(
            matches!(args.source, ChainSource::Https(ref u) if u == "https://example.org:8443")
        );
        assert_eq!(
            (args.timeout_ms, args.method, args.no_fetch, args.json),
            (Some(1500), MethodChoice::Post, true, false)
        );
        let hash = "AB:".repeat(31) + "AB";
        let Ok(Command::OnecrlSync(sync)) = run(&format!(
            "onecrl sync --root-hash {hash} --root-hash={}",
            "cd".repeat(32)
        )) else {
            panic!("sync")
        };
        assert_eq!(sync.trust.root_hashes, vec![[0xab; 32], [0xcd; 32]]);
        assert_eq!(sync.timeout, Duration::from_secs(DEFAULT_SYNC_TIMEOUT_SECS));
        assert_eq!(sync.from, revoscope::remote_settings::sync::MOZILLA_SERVER);
        let Ok(Command::CrliteSync(crlite)) = run("crlite sync --dir /d --timeout 5") else {
            panic!("crlite sync")
        };
        assert_eq!(
            (crlite.dir, crlite.timeout, crlite.channel.as_str()),
            (
                PathBuf::from("/d"),
                Duration::from_secs(5),
                revoscope::crlite::records::DEFAULT_CHANNEL
            )
        );
        let Ok(Command::Ocsp(ocsp)) = run("ocsp --cert c --issuer i --hash sha256 --nonce") else {
            panic!("ocsp")
        };
        assert_eq!((ocsp.cert_id_hash, ocsp.nonce), (CertIdHash::Sha256, true));
        let Ok(Command::Crl(crl)) = run("crl --cert c --issuer i --timeout-ms 300 --json") else {
            panic!("crl")
        };
        assert_eq!(
            (crl.source, crl.timeout_ms, crl.json),
            (CrlSource::DistributionPoint, Some(300), true)
        );
        let Ok(Command::Crl(crl)) = run("crl --cert c --issuer i --url=http://h/a.crl") else {
            panic!("crl --url")
        };
        assert_eq!(crl.source, CrlSource::Url("http://h/a.crl".into()));
        let Ok(Command::Inspect(args)) = run("inspect --chain c --crl a.crl --crl=b.crl") else {
            panic!("inspect --crl")
        };
        assert_eq!(args.crls, [PathBuf::from("a.crl"), PathBuf::from("b.crl")]);
        assert!(matches!(
            run("completions zsh"),
            Ok(Command::Completions(Shell::Zsh))
        ));
    }
}
