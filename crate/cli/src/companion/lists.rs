//! `browser-lists`: where a browser keeps its own revocation data in a
//! profile, read-only and unparsed: which files are there, how large, how
//! old. The extension cannot see these; the user can compare them with
//! what revoscope syncs.
//!
//! - Firefox keeps them in `<profile>/security_state/`: `data.safe.bin`,
//!   cert_storage's database (OneCRL's entries, and, in older versions,
//!   CRLite's coverage); `crlite.filter`, the full CRLite filter, and one
//!   `<name>.delta` per delta filter, named after its attachment
//!   (RemoteSecuritySettings.sys.mjs, `isFilterOnDisk`); older versions
//!   kept `crlite.stash`, `crlite.coverage` and `crlite.enrollment`.
//! - Chromium and Chrome keep the CRLSet component in the user data
//!   directory: `CertificateRevocation/<version>/crl-set`
//!   (chrome/browser/component_updater/crl_set_component_installer.cc).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::browser::Browser;
use super::error::Error;
use super::request::BrowserLists;

/// At most this many files of `security_state/` are listed: a profile has
/// a handful; a directory with thousands is not one.
const MAX_FILES: usize = 64;

/// What was found.
#[derive(Debug, Serialize)]
pub struct Lists {
    pub browser: &'static str,
    /// Whether any revocation file was found.
    pub found: bool,
    /// The directory looked in.
    pub directory: String,
    /// The CRLSet component's version directory (Chromium, Chrome).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub files: Vec<File>,
}

/// One file.
#[derive(Debug, Serialize)]
pub struct File {
    /// What it is: cert-storage, crlite-filter, crlite-delta, crlite-stash,
    /// crlite-coverage, crlite-enrollment, crl-set, other.
    pub kind: &'static str,
    pub path: String,
    pub size: u64,
    /// Seconds since it was last modified (0 when its time is ahead of
    /// this machine's clock).
    pub age_seconds: u64,
}

/// Looks; `now` is passed in so tests can fix it.
pub fn find(request: &BrowserLists, now: SystemTime) -> Result<Lists, Error> {
    let profile = &request.profile;
    if !profile.is_dir() {
        return Err(Error::BadProfile(format!(
            "{} is not a directory",
            profile.display()
        )));
    }
    match request.browser {
        Browser::Firefox => Ok(firefox(profile, now)),
        Browser::Chromium | Browser::Chrome => Ok(chromium(request.browser, profile, now)),
    }
}

fn firefox(profile: &Path, now: SystemTime) -> Lists {
    let directory = profile.join("security_state");
    let mut files: Vec<File> = fs::read_dir(&directory)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            file(firefox_kind(&name), &entry.path(), now)
        })
        .take(MAX_FILES)
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Lists {
        browser: Browser::Firefox.name(),
        found: files.iter().any(|f| f.kind != "other"),
        directory: directory.display().to_string(),
        version: None,
        files,
    }
}

fn firefox_kind(name: &str) -> &'static str {
    match name {
        "data.safe.bin" => "cert-storage",
        "crlite.filter" => "crlite-filter",
        "crlite.stash" => "crlite-stash",
        "crlite.coverage" => "crlite-coverage",
        "crlite.enrollment" => "crlite-enrollment",
        _ if name.ends_with(".delta") => "crlite-delta",
        _ => "other",
    }
}

/// The CRLSet of the highest version. The request may name the user data
/// directory (`~/.config/chromium`) or a profile inside it
/// (`~/.config/chromium/Default`): components live in the former, so the
/// parent is looked in when the directory itself has none.
fn chromium(browser: Browser, profile: &Path, now: SystemTime) -> Lists {
    let own = profile.join("CertificateRevocation");
    let directory = match profile.parent() {
        Some(parent) if !own.is_dir() && parent.join("CertificateRevocation").is_dir() => {
            parent.join("CertificateRevocation")
        }
        _ => own,
    };
    let newest = fs::read_dir(&directory)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let version = parse_version(&name)?;
            entry.file_type().ok()?.is_dir().then_some((version, name))
        })
        .max();
    let (version, files) = match newest {
        Some((_, name)) => {
            let crl_set: PathBuf = directory.join(&name).join("crl-set");
            (
                Some(name),
                file("crl-set", &crl_set, now).into_iter().collect(),
            )
        }
        None => (None, Vec::new()),
    };
    Lists {
        browser: browser.name(),
        found: !files.is_empty(),
        directory: directory.display().to_string(),
        version,
        files,
    }
}

/// A component version: dot-separated numbers (`9142`, `6.0.1`), compared
/// number by number as the component updater does.
fn parse_version(name: &str) -> Option<Vec<u64>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// A regular file's entry; symbolic links are not followed (what a
/// browser writes there is a plain file), anything else is skipped.
fn file(kind: &'static str, path: &Path, now: SystemTime) -> Option<File> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let age = meta
        .modified()
        .ok()
        .and_then(|t| now.duration_since(t).ok())
        .map_or(0, |d| d.as_secs());
    Some(File {
        kind,
        path: path.display().to_string(),
        size: meta.len(),
        age_seconds: age,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_number_by_number() {
        let mut names = vec!["9", "10", "9.1", "x", "1.0.0", "10.0", ""];
        names.retain(|n| parse_version(n).is_some());
        let newest = names.iter().max_by_key(|n| parse_version(n)).copied();
        assert_eq!(newest, Some("10.0"));
    }

    #[test]
    fn firefox_files_are_named_by_kind() {
        for (name, kind) in [
            ("data.safe.bin", "cert-storage"),
            ("crlite.filter", "crlite-filter"),
            ("20201017-1-filter.delta", "crlite-delta"),
            ("crlite.stash", "crlite-stash"),
            ("crlite.coverage", "crlite-coverage"),
            ("crlite.enrollment", "crlite-enrollment"),
            ("data.safe.bin.lock", "other"),
        ] {
            assert_eq!(firefox_kind(name), kind, "{name}");
        }
    }
}
