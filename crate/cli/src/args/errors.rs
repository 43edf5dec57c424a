//! Clap's errors, said in one line as the rest of the command line says
//! them: `unknown flag --x for inspect`, `--chain needs a value: --chain
//! FILE`... (`main` adds `revoscope: ` and ` (see revoscope --help)`).

use std::error::Error as _;
use std::ffi::OsString;

use clap::error::{ContextKind, ErrorKind};
use clap::CommandFactory as _;

use super::flags::Cli;
use super::values::Invalid;

/// The one-line message for `error`, from parsing `args` (the arguments
/// after the program name, which name the command for the message).
pub fn message(error: &clap::Error, args: &[OsString]) -> String {
    let context = |kind| error.get(kind).map(ToString::to_string);
    // "--chain <FILE>": the flag, and what its value is called.
    let arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let (flag, what) = match arg.split_once(' ') {
        Some((flag, what)) => (flag.to_owned(), what.replace(['<', '>'], "")),
        None => (arg.clone(), String::new()),
    };
    let needs_value = || format!("{flag} needs a value: {flag} {what}");
    match error.kind() {
        ErrorKind::ValueValidation => match error.source().and_then(|s| s.downcast_ref()) {
            Some(Invalid::Empty) => needs_value(),
            Some(Invalid::Value(message)) => message.clone(),
            None => first_line(error),
        },
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).as_deref() == Some("") => {
            needs_value()
        }
        ErrorKind::InvalidSubcommand => {
            let name = context(ContextKind::InvalidSubcommand).unwrap_or_default();
            match words(args).first().copied() {
                Some("onecrl") if name != "onecrl" => format!(
                    "unknown onecrl subcommand {name:?}; expected stats, lookup, verify or sync"
                ),
                Some("crlite") if name != "crlite" => {
                    format!("unknown crlite subcommand {name:?}; expected sync or query")
                }
                Some("companion") if name != "companion" => {
                    format!("unknown companion subcommand {name:?}; expected install or uninstall")
                }
                _ => format!("unknown command {name:?}"),
            }
        }
        ErrorKind::UnknownArgument => {
            if let Some(message) = forgotten_value(args, &arg) {
                return message;
            }
            let command = command(args);
            let name = arg.split('=').next().unwrap_or_default();
            match (name.starts_with('-'), command.is_empty()) {
                (true, true) => format!("unknown flag {name}"),
                (true, false) => format!("unknown flag {name} for {command}"),
                (false, _) => format!("unexpected argument {arg:?} for {command}"),
            }
        }
        ErrorKind::ArgumentConflict if context(ContextKind::PriorArg) == Some(arg.clone()) => {
            format!("{flag} given more than once")
        }
        ErrorKind::TooManyValues if what.is_empty() => format!("{flag} takes no value"),
        ErrorKind::InvalidUtf8 => format!(
            "an argument is not UTF-8 ({}; give a flag's value as a separate argument)",
            command(args)
        ),
        _ => first_line(error),
    }
}

/// `--signature --x`: clap takes `--x` for an unknown flag; it is more
/// likely the value of `--signature`, forgotten. The message for that, when
/// the argument before `unknown` is a flag that takes a value.
fn forgotten_value(args: &[OsString], unknown: &str) -> Option<String> {
    let at = args.iter().position(|a| a == unknown)?;
    let before = args.get(at.checked_sub(1)?)?.to_str()?;
    let long = before.strip_prefix("--").filter(|l| !l.contains('='))?;
    let cli = Cli::command();
    let mut scope = &cli;
    for word in words(args) {
        match scope.find_subcommand(word) {
            Some(sub) => scope = sub,
            None => break,
        }
    }
    let flag = scope.get_arguments().find(|a| a.get_long() == Some(long))?;
    if !flag.get_action().takes_values() {
        return None;
    }
    let what = flag
        .get_value_names()
        .and_then(|names| names.first())
        .map(ToString::to_string)
        .unwrap_or_default();
    Some(format!("{before} needs a value: {before} {what}"))
}

/// Clap's own message, without its `error: ` and the lines after the first.
fn first_line(error: &clap::Error) -> String {
    let text = error.to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

/// The leading arguments that are words (not flags), as text.
fn words(args: &[OsString]) -> Vec<&str> {
    args.iter()
        .map_while(|a| a.to_str().filter(|a| !a.starts_with('-')))
        .collect()
}

/// The command the arguments run, as messages name it: `inspect`,
/// `onecrl stats`...
fn command(args: &[OsString]) -> String {
    match words(args).as_slice() {
        [group @ ("onecrl" | "crlite" | "companion"), sub, ..] => format!("{group} {sub}"),
        [command, ..] => (*command).to_owned(),
        [] => String::new(),
    }
}
