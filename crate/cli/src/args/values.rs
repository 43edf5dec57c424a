//! Flag values: what each flag accepts, and the message when a value is
//! not that. Clap calls these while it parses; [`Invalid`] comes back as
//! the error's source, and [`super::errors`] prints it as written here.

use std::ffi::OsStr;
use std::fmt;

use clap::builder::{PossibleValue, TypedValueParser};
use clap_complete::Shell;

use revoscope::ocsp::request::CertIdHash;
use revoscope::ocsp::MethodChoice;

use crate::companion::browser::Browser;

/// Why a flag's value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// `--flag=` or `--flag ""`: the message names the flag and its value.
    Empty,
    /// The message, whole.
    Value(String),
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Empty => f.write_str("no value given"),
            Invalid::Value(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Invalid {}

fn given(text: &str) -> Result<&str, Invalid> {
    if text.is_empty() {
        Err(Invalid::Empty)
    } else {
        Ok(text)
    }
}

/// A text value that must not be empty (`--at`, `--url`, `--signer`...).
pub fn non_empty() -> impl TypedValueParser<Value = String> {
    |text: &str| given(text).map(str::to_owned)
}

/// A value that may not be UTF-8 (a file name), but must not be empty.
pub fn non_empty_os() -> impl TypedValueParser<Value = std::ffi::OsString> {
    #[derive(Clone)]
    struct NonEmptyOs;
    impl TypedValueParser for NonEmptyOs {
        type Value = std::ffi::OsString;
        fn parse_ref(
            &self,
            cmd: &clap::Command,
            arg: Option<&clap::Arg>,
            value: &OsStr,
        ) -> Result<Self::Value, clap::Error> {
            if value.is_empty() {
                // Through a closure parser, so the error carries `Invalid`.
                let empty = |_: &str| Err::<Self::Value, _>(Invalid::Empty);
                return empty.parse_ref(cmd, arg, OsStr::new(""));
            }
            Ok(value.to_owned())
        }
    }
    NonEmptyOs
}

/// `--timeout-ms`: 1 ms to 10 minutes.
pub fn timeout_ms(text: &str) -> Result<u32, Invalid> {
    given(text)?
        .parse::<u32>()
        .ok()
        .filter(|ms| (1..=600_000).contains(ms))
        .ok_or_else(|| {
            Invalid::Value(format!(
                "--timeout-ms {text:?}: give milliseconds, 1 to 600000"
            ))
        })
}

/// `--timeout SECS` of the syncs, 1 to 3600.
pub fn timeout_secs(text: &str) -> Result<u64, Invalid> {
    given(text)?
        .parse::<u64>()
        .ok()
        .filter(|s| (1..=3600).contains(s))
        .ok_or_else(|| Invalid::Value(format!("--timeout {text:?}: give seconds, 1 to 3600")))
}

/// `--from URL`: a Remote Settings server.
pub fn server_url(text: &str) -> Result<String, Invalid> {
    let url = given(text)?;
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_owned())
    } else {
        Err(Invalid::Value(format!(
            "--from {url:?}: give the server's http:// or https:// URL, ending in /v1"
        )))
    }
}

/// `crl --url URL`: fetched as the certificate's distribution point
/// would be, over plain http:// only.
pub fn crl_url(text: &str) -> Result<String, Invalid> {
    let url = given(text)?;
    if url.starts_with("http://") {
        Ok(url.to_owned())
    } else {
        Err(Invalid::Value(format!(
            "--url {url:?}: give the CRL's http:// URL (CRLs are fetched over plain HTTP only)"
        )))
    }
}

/// `--root-hash HEX`, also as `openssl x509 -fingerprint -sha256` prints
/// it (AB:CD:...).
pub fn root_hash(text: &str) -> Result<[u8; 32], Invalid> {
    revoscope::hex::decode(&given(text)?.replace(':', ""))
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| {
            Invalid::Value(format!(
                "--root-hash {text:?}: give the SHA-256 of the root's DER, 64 hex digits"
            ))
        })
}

/// `--channel NAME`: a token, as Firefox's `security.pki.crlite_channel`.
pub fn channel(text: &str) -> Result<String, Invalid> {
    let channel = given(text)?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if channel.len() > 64 || !channel.chars().all(plain) {
        return Err(Invalid::Value(format!(
            "--channel {channel:?}: give a channel name such as default or compat"
        )));
    }
    Ok(channel.to_owned())
}

/// `--method get|post|auto`.
pub fn method() -> OneOf<MethodChoice> {
    OneOf {
        flag: "--method",
        names: &[
            ("get", MethodChoice::Get),
            ("post", MethodChoice::Post),
            ("auto", MethodChoice::Auto),
        ],
        expected: "get, post or auto",
    }
}

/// `--hash sha1|sha256`.
pub fn cert_id_hash() -> OneOf<CertIdHash> {
    OneOf {
        flag: "--hash",
        names: &[("sha1", CertIdHash::Sha1), ("sha256", CertIdHash::Sha256)],
        expected: "sha1 or sha256",
    }
}

/// `completions SHELL`.
pub fn shell() -> OneOf<Shell> {
    OneOf {
        flag: "completions",
        names: &[
            ("bash", Shell::Bash),
            ("zsh", Shell::Zsh),
            ("fish", Shell::Fish),
            ("elvish", Shell::Elvish),
            ("powershell", Shell::PowerShell),
        ],
        expected: SHELLS,
    }
}

/// `companion install|uninstall --browser firefox|chromium|chrome`.
pub fn browser() -> OneOf<Browser> {
    OneOf {
        flag: "--browser",
        names: &[
            ("firefox", Browser::Firefox),
            ("chromium", Browser::Chromium),
            ("chrome", Browser::Chrome),
        ],
        expected: "firefox, chromium or chrome",
    }
}

/// The shells `completions` writes for, as messages list them.
pub const SHELLS: &str = "bash, zsh, fish, elvish or powershell";

/// A value among a few names; the names are also what shell completions
/// offer.
#[derive(Clone)]
pub struct OneOf<T: 'static> {
    flag: &'static str,
    names: &'static [(&'static str, T)],
    /// The names, as the message lists them.
    expected: &'static str,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for OneOf<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let (flag, names, expected) = (self.flag, self.names, self.expected);
        let pick = move |text: &str| {
            let text = given(text)?;
            names
                .iter()
                .find(|(name, _)| *name == text)
                .map(|(_, value)| value.clone())
                .ok_or_else(|| Invalid::Value(format!("{flag} {text:?}: give {expected}")))
        };
        pick.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.names.iter().map(|(name, _)| PossibleValue::new(*name)),
        ))
    }
}
