//! Reading the inputs: files named by flags, the bundled OneCRL snapshot,
//! the policy, the clock.

use std::ffi::OsStr;
use std::fmt;
use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use revoscope::limits::MAX_SNAPSHOT_LEN;
use revoscope::policy::PRESET_NAMES;
use revoscope::{pem, Cert, Policy, Snapshot, UnixTime};

use super::CliError;

/// The OneCRL snapshot Debian's firefox-esr ships, used without `--onecrl`.
const BUNDLED_ONECRL: &[u8] = include_bytes!("../../../fixtures/onecrl/onecrl.json");

/// Largest certificate bundle, staple or policy file read (a chain of eight
/// 64 KiB certificates is under 1 MiB of PEM, with room for comments).
const MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// The policy used without `--policy`.
const DEFAULT_POLICY: &str = "inspector";

/// A file's contents, at most `limit` bytes.
pub fn read(flag: &str, path: &Path, limit: usize) -> Result<Vec<u8>, CliError> {
    let cannot = |why: &dyn fmt::Display| {
        CliError::input(format!("cannot read {flag} {}: {why}", path.display()))
    };
    let file = File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::new();
    // One byte more than allowed tells a file at the limit from a larger one.
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() > limit {
        return Err(cannot(&format_args!(
            "larger than the {limit} bytes allowed"
        )));
    }
    Ok(bytes)
}

/// An error about what a file holds: `--chain foo.pem: bad PEM: ...`.
pub fn in_file(flag: &str, path: &Path, error: impl fmt::Display) -> CliError {
    CliError::input(format!("{flag} {}: {error}", path.display()))
}

/// The DER certificates of a bundle, in file order.
pub fn certificates(flag: &str, path: &Path) -> Result<Vec<Vec<u8>>, CliError> {
    let bytes = read(flag, path, MAX_INPUT_LEN)?;
    pem::read_certificates(&bytes).map_err(|e| in_file(flag, path, e))
}

/// The first certificate of a bundle, parsed.
pub fn first_certificate(flag: &str, path: &Path) -> Result<Cert, CliError> {
    let certs = certificates(flag, path)?;
    let der = certs
        .first()
        .ok_or_else(|| in_file(flag, path, "no certificate"))?;
    Cert::from_der(der).map_err(|e| in_file(flag, path, e))
}

/// Any other file, such as a stapled OCSP response.
pub fn bytes(flag: &str, path: &Path) -> Result<Vec<u8>, CliError> {
    read(flag, path, MAX_INPUT_LEN)
}

/// The OCSP cache from `--ocsp-cache FILE`: empty when the file does not
/// exist yet; entries already unusable at `time` are dropped.
pub fn ocsp_cache(
    path: Option<&Path>,
    time: revoscope::UnixTime,
) -> Result<revoscope::ocsp::OcspCache, CliError> {
    let mut cache = match path {
        Some(path) if path.exists() => {
            let json = read("--ocsp-cache", path, MAX_INPUT_LEN)?;
            serde_json::from_slice(&json).map_err(|e| in_file("--ocsp-cache", path, e))?
        }
        _ => revoscope::ocsp::OcspCache::new(),
    };
    cache.prune(time);
    Ok(cache)
}

/// Writes the cache back, through a temporary file so a crash never leaves half a cache.
pub fn save_ocsp_cache(path: &Path, cache: &revoscope::ocsp::OcspCache) -> Result<(), CliError> {
    let json = serde_json::to_vec_pretty(cache).map_err(|e| in_file("--ocsp-cache", path, e))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| in_file("--ocsp-cache", path, e))
}

/// The snapshot from `--onecrl FILE`, or the bundled one.
pub fn snapshot(path: Option<&Path>) -> Result<Snapshot, CliError> {
    match path {
        Some(path) => {
            let json = read("--onecrl", path, MAX_SNAPSHOT_LEN)?;
            Snapshot::from_json(&json).map_err(|e| in_file("--onecrl", path, e))
        }
        None => Snapshot::from_json(BUNDLED_ONECRL)
            .map_err(|e| CliError::input(format!("the bundled OneCRL snapshot: {e}"))),
    }
}

/// `--policy`: a file when one exists at that path, else a preset name.
pub fn policy(value: Option<&OsStr>) -> Result<Policy, CliError> {
    let Some(value) = value else {
        return Policy::preset(DEFAULT_POLICY).map_err(|e| CliError::input(e.to_string()));
    };
    let path = Path::new(value);
    let name = value.to_string_lossy();
    if path.is_file() || (!PRESET_NAMES.contains(&name.as_ref()) && looks_like_path(&name)) {
        // A path that names no file fails here, with the OS's reason.
        let bytes = read("--policy", path, MAX_INPUT_LEN)?;
        let text =
            String::from_utf8(bytes).map_err(|_| in_file("--policy", path, "not UTF-8 text"))?;
        return Policy::from_json(&text).map_err(|e| in_file("--policy", path, e));
    }
    Policy::preset(&name).map_err(|e| CliError::input(e.to_string()))
}

/// Preset names are bare words; anything with a separator or an extension is meant as a file.
fn looks_like_path(text: &str) -> bool {
    text.contains(['/', '\\', '.'])
}

/// `--at`, or the system clock.
pub fn time(at: Option<&str>) -> Result<UnixTime, CliError> {
    match at {
        Some(at) => UnixTime::parse_rfc3339(at).map_err(|e| CliError::input(e.to_string())),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| UnixTime(d.as_secs()))
            .map_err(|_| CliError::input("the system clock is set before 1970; give --at")),
    }
}
