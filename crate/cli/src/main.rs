//! `revoscope`: the command-line host of the revocation engine.
//!
//! The engine is pure; this binary does the I/O it leaves to its host:
//! reading files, reading the clock, the network, and printing the verdict.
//!
//! The command line: parse the arguments, run one command, map the
//! result to an exit status.
//!
//! Exit status: 0 when nothing blocks, 3 when the outcome is `block` (or
//! `onecrl lookup` finds the certificate listed, `onecrl verify` refuses
//! the signature, `crlite query` finds it revoked in a filter, `crlset
//! query` finds it revoked, or `crl` finds it listed), 4 when `crl` has no
//! usable answer, 1 on bad input or usage or a failed `onecrl sync`,
//! `crlite sync` or `crlset sync` (a rollback included), or a `companion`
//! whose input can no longer be trusted (a request's length over the
//! limit, stdin ending inside a message), with a one-line `revoscope: ...`
//! message on stderr.

mod args;
mod companion;
mod crl;
mod crlite;
mod crlset;
mod data_dir;
mod generate;
mod help;
mod http;
mod input;
mod inspect;
mod ocsp;
mod onecrl;
mod progress;
mod sync;
mod tls;
mod verify;

use std::fmt;
use std::io::{self, Write as _};
use std::process::ExitCode;

use args::Command;

const EXIT_FAILURE: u8 = 1;
const EXIT_BLOCK: u8 = 3;
const EXIT_NO_ANSWER: u8 = 4;

/// What a command that ran to the end found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    /// Nothing blocks (exit 0).
    Clear,
    /// The outcome is `block`, OneCRL lists the certificate, a content
    /// signature is refused, or CRLite lists the certificate (exit 3).
    Block,
    /// The command ran, but the source it asked gave no usable answer: a
    /// CRL that could not be fetched, read, verified or used for this
    /// certificate (exit 4). Unlike a bad input, the same command may
    /// answer later (a server back up, a fresh list).
    NoAnswer,
}

/// Why a command could not run (exit 1).
#[derive(Debug)]
enum CliError {
    /// The command line itself is wrong; the message points at `--help`.
    Usage(String),
    /// An input could not be read or used.
    Input(String),
}

impl CliError {
    fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    fn input(message: impl Into<String>) -> Self {
        CliError::Input(message.into())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) => write!(f, "{message} (see revoscope --help)"),
            CliError::Input(message) => f.write_str(message),
        }
    }
}

/// Runs the command line of this process.
fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    match args::parse(&args).and_then(run) {
        Ok(Exit::Clear) => ExitCode::SUCCESS,
        Ok(Exit::Block) => ExitCode::from(EXIT_BLOCK),
        Ok(Exit::NoAnswer) => ExitCode::from(EXIT_NO_ANSWER),
        Err(error) => {
            // One line, whatever a path or a library message holds.
            let message = one_line(&error.to_string());
            let _ = writeln!(io::stderr().lock(), "revoscope: {message}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn run(command: Command) -> Result<Exit, CliError> {
    match command {
        Command::Help(topic) => {
            print(&help::usage(topic))?;
            Ok(Exit::Clear)
        }
        Command::Version => {
            print(&format!("revoscope {}\n", env!("CARGO_PKG_VERSION")))?;
            Ok(Exit::Clear)
        }
        Command::Inspect(options) => inspect::run(&options),
        Command::Ocsp(options) => ocsp::run(&options),
        Command::Crl(options) => crl::run(&options),
        Command::OnecrlStats(options) => onecrl::stats(&options),
        Command::OnecrlLookup(options) => onecrl::lookup(&options),
        Command::OnecrlVerify(options) => verify::run(&options),
        Command::OnecrlSync(options) => sync::run(&options),
        Command::CrliteSync(options) => crlite::sync(&options),
        Command::CrliteQuery(options) => crlite::query(&options),
        Command::CrlsetSync(options) => crlset::sync(&options),
        Command::CrlsetQuery(options) => crlset::query(&options),
        Command::CrlsetDump(options) => crlset::dump(&options),
        Command::Companion(options) => companion::run(&options),
        Command::CompanionInstall(options) => companion::install::install(&options),
        Command::CompanionUninstall(options) => companion::install::uninstall(&options),
        Command::Completions(shell) => generate::completions(shell),
        Command::Man(dir) => generate::man(dir.as_deref()),
    }
}

/// Writes to stdout. A closed pipe (`revoscope ... | head`) is not an error.
fn print(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(CliError::input(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Pretty JSON and a final newline.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::input(format!("cannot serialise the result: {e}")))?;
    print(&format!("{json}\n"))
}

/// A note on stderr; one that cannot be written is dropped.
fn note(text: &str) {
    // One line, whatever a URL from a certificate or a server holds.
    let _ = writeln!(io::stderr().lock(), "note: {}", one_line(text));
}

/// Escapes line breaks and other control characters.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The token a value serialises to (`dump`, `issuer-serial`...), so the
/// readable output and the JSON share one vocabulary.
fn token<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(token)) => token,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_owned(),
    }
}
