//! Argument parsing, by hand: three commands and a dozen flags.
//!
//! Flags take their value as the next argument (`--chain FILE`) or inline
//! (`--chain=FILE`). A value that starts with `--` is taken for a forgotten
//! value, not a file name: `--chain --json` is an error.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;

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
}

/// What `--help` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    General,
    Inspect,
    Ocsp,
    Onecrl,
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
        Some(t) => {
            return Err(CliError::usage(format!(
                "no help on {t:?}; commands: inspect, ocsp, onecrl"
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
            "onecrl needs a subcommand: stats or lookup",
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
        _ => Err(CliError::usage(format!(
            "unknown onecrl subcommand {:?}; expected stats or lookup",
            sub.to_string_lossy()
        ))),
    }
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
}

const CHAIN: Flag = Flag {
    name: "--chain",
    value: Some("FILE"),
};
const CERT: Flag = Flag {
    name: "--cert",
    value: Some("FILE"),
};
const ISSUER: Flag = Flag {
    name: "--issuer",
    value: Some("FILE"),
};
const URL: Flag = Flag {
    name: "--url",
    value: Some("URL"),
};
const HASH: Flag = Flag {
    name: "--hash",
    value: Some("sha1|sha256"),
};
const NONCE: Flag = Flag {
    name: "--nonce",
    value: None,
};
const ONECRL: Flag = Flag {
    name: "--onecrl",
    value: Some("FILE"),
};
const POLICY: Flag = Flag {
    name: "--policy",
    value: Some("NAME|FILE"),
};
const STAPLE: Flag = Flag {
    name: "--staple",
    value: Some("FILE"),
};
const AT: Flag = Flag {
    name: "--at",
    value: Some("RFC3339"),
};
const NO_FETCH: Flag = Flag {
    name: "--no-fetch",
    value: None,
};
const TIMEOUT_MS: Flag = Flag {
    name: "--timeout-ms",
    value: Some("MS"),
};
const METHOD: Flag = Flag {
    name: "--method",
    value: Some("get|post|auto"),
};
const RESPONDER: Flag = Flag {
    name: "--responder",
    value: Some("URL"),
};
const OCSP_CACHE: Flag = Flag {
    name: "--ocsp-cache",
    value: Some("FILE"),
};
const BUILT_IN_ROOT: Flag = Flag {
    name: "--built-in-root",
    value: None,
};
const JSON: Flag = Flag {
    name: "--json",
    value: None,
};

/// The flags given to one command, each at most once.
struct Flags {
    values: HashMap<&'static str, OsString>,
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
            if flags.values.contains_key(flag.name) || flags.switches.contains(flag.name) {
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
                    let value = match inline {
                        Some(value) => OsString::from(value),
                        None => args.next().cloned().unwrap_or_default(),
                    };
                    if value.is_empty() || value.to_string_lossy().starts_with("--") {
                        return Err(CliError::usage(format!(
                            "{} needs a value: {} {what}",
                            flag.name, flag.name
                        )));
                    }
                    flags.values.insert(flag.name, value);
                }
            }
        }
        Ok(flags)
    }

    fn value(&mut self, flag: Flag) -> Option<OsString> {
        self.values.remove(flag.name)
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
                    [--responder URL] [--ocsp-cache FILE] [--built-in-root] [--json]";

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
  revoscope onecrl lookup --cert FILE [--onecrl FILE] [--json]";

const EXIT_STATUS: &str = "\
exit status:
  0  the outcome is not block; onecrl lookup: the certificate is not listed
  3  the outcome is block; onecrl lookup: OneCRL lists the certificate
  1  bad input or usage (one line on stderr: revoscope: ...)";

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
  --json              print the verdict as one JSON object",
        PRESET_NAMES.join(", ")
    )
}

const ONECRL_OPTIONS: &str = "\
onecrl stats: what a OneCRL snapshot holds, and which records could not be used.
onecrl lookup: whether OneCRL lists a certificate, and the record that does.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --onecrl FILE       a OneCRL snapshot; default: the snapshot built into revoscope
  --json              print the answer as one JSON object";

/// The help text for a topic.
pub fn usage(topic: Topic) -> String {
    match topic {
        Topic::General => format!(
            "revoscope {}: certificate revocation as Firefox and Mozilla's revocation plan decide it\n\n\
             usage:\n{INSPECT_USAGE}\n{OCSP_USAGE}\n{ONECRL_USAGE}\n  revoscope help [inspect|ocsp|onecrl]\n  revoscope --version\n\n\
             {}\n\n{OCSP_OPTIONS}\n\n{ONECRL_OPTIONS}\n\n{EXIT_STATUS}\n",
            env!("CARGO_PKG_VERSION"),
            inspect_options()
        ),
        Topic::Inspect => format!("usage:\n{INSPECT_USAGE}\n\n{}\n\n{EXIT_STATUS}\n", inspect_options()),
        Topic::Ocsp => format!("usage:\n{OCSP_USAGE}\n\n{OCSP_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Onecrl => format!("usage:\n{ONECRL_USAGE}\n\n{ONECRL_OPTIONS}\n\n{EXIT_STATUS}\n"),
    }
}
