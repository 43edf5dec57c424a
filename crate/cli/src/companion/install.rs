//! `companion install` and `uninstall`: the native messaging host manifest
//! where each browser looks for it on Linux, and the wrapper script it
//! points at.
//!
//! A browser starts a host with arguments of its own only (Firefox: the
//! manifest's path and the extension's id; Chrome: the caller's origin),
//! so the manifest cannot say `revoscope companion`: it names a small
//! script that does. Locations: MDN, "Native manifests"
//! (<https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests>);
//! Chrome, "Native messaging", "Native messaging host location"
//! (<https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging>).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::browser::Browser;
use crate::data_dir::default_data_dir;
use crate::{print, CliError, Exit};

/// The host's name: lowercase letters, digits, `_` and dots, as both
/// browsers require.
pub const HOST_NAME: &str = "org.revoscope.companion";

/// The extension's id in Firefox: `browser_specific_settings.gecko.id` in
/// extension/manifest.json.
pub const FIREFOX_EXTENSION_ID: &str = "revoscope@revoscope.invalid";

/// The extension's id in Chromium and Chrome, fixed by the public key in
/// the `chrome` section of extension/manifest.json (`key`): a test derives
/// it from that key, so the two cannot drift apart.
pub const CHROME_EXTENSION_ID: &str = "ogoemmgebbdliojbmmaioinhjnlbndio";

/// Whose browsers: the user's (default) or every user's of the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    User,
    System,
}

#[derive(Debug)]
pub struct InstallArgs {
    pub browsers: Vec<Browser>,
    pub scope: Scope,
    /// Written into the wrapper: `companion --allow-private`.
    pub allow_private: bool,
}

#[derive(Debug)]
pub struct UninstallArgs {
    pub browsers: Vec<Browser>,
    pub scope: Scope,
}

/// Where `browser` looks for host manifests.
pub fn manifest_dir(browser: Browser, scope: Scope) -> Result<PathBuf, CliError> {
    Ok(match (browser, scope) {
        (Browser::Firefox, Scope::User) => home()?.join(".mozilla/native-messaging-hosts"),
        // In the user data directory, which follows XDG_CONFIG_HOME
        // (Chromium's chrome_paths_linux.cc).
        (Browser::Chromium, Scope::User) => config_home()?.join("chromium/NativeMessagingHosts"),
        (Browser::Chrome, Scope::User) => config_home()?.join("google-chrome/NativeMessagingHosts"),
        (Browser::Firefox, Scope::System) => "/usr/lib/mozilla/native-messaging-hosts".into(),
        (Browser::Chromium, Scope::System) => "/etc/chromium/native-messaging-hosts".into(),
        (Browser::Chrome, Scope::System) => "/etc/opt/chrome/native-messaging-hosts".into(),
    })
}

/// The wrapper a browser's manifest points at: one per browser, so each
/// can be installed with its own `--allow-private` and removed alone.
pub fn wrapper_path(browser: Browser, scope: Scope) -> Result<PathBuf, CliError> {
    let dir = match scope {
        Scope::User => default_data_dir("companion")
            .ok_or_else(|| CliError::usage("neither XDG_DATA_HOME nor HOME is set"))?,
        Scope::System => PathBuf::from("/usr/local/lib/revoscope/companion"),
    };
    Ok(dir.join(format!("{}.sh", browser.name())))
}

fn home() -> Result<PathBuf, CliError> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| CliError::usage("HOME is not set"))
}

/// `$XDG_CONFIG_HOME`, else `~/.config` (a relative one is ignored, as the
/// XDG spec asks).
fn config_home() -> Result<PathBuf, CliError> {
    match std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => Ok(dir),
        _ => Ok(home()?.join(".config")),
    }
}

/// Writes the wrapper and the manifest for each browser, and says so.
pub fn install(args: &InstallArgs) -> Result<Exit, CliError> {
    linux_only()?;
    let binary = std::env::current_exe()
        .and_then(fs::canonicalize)
        .map_err(|e| CliError::input(format!("cannot find this program's path: {e}")))?;
    let binary = binary
        .to_str()
        .ok_or_else(|| CliError::input(format!("{} is not a UTF-8 path", binary.display())))?;
    for &browser in &args.browsers {
        let wrapper = wrapper_path(browser, args.scope)?;
        let wrapper_text = wrapper_path_text(&wrapper)?;
        let manifest = manifest_dir(browser, args.scope)?.join(format!("{HOST_NAME}.json"));
        write(
            &wrapper,
            wrapper_script(browser, binary, args.allow_private).as_bytes(),
            0o755,
        )?;
        let json = serde_json::to_string_pretty(&host_manifest(browser, wrapper_text))
            .map_err(|e| CliError::input(format!("cannot serialise the manifest: {e}")))?;
        write(&manifest, format!("{json}\n").as_bytes(), 0o644)?;
        print(&format!(
            "{}: wrote {}\n{}: wrote {} (runs {binary} companion{})\n",
            browser.name(),
            manifest.display(),
            browser.name(),
            wrapper.display(),
            if args.allow_private {
                " --allow-private"
            } else {
                ""
            },
        ))?;
    }
    Ok(Exit::Clear)
}

/// Removes what [`install`] wrote, and says what it removed.
pub fn uninstall(args: &UninstallArgs) -> Result<Exit, CliError> {
    linux_only()?;
    for &browser in &args.browsers {
        let manifest = manifest_dir(browser, args.scope)?.join(format!("{HOST_NAME}.json"));
        let wrapper = wrapper_path(browser, args.scope)?;
        let mut removed = false;
        for path in [&manifest, &wrapper] {
            match fs::remove_file(path) {
                Ok(()) => {
                    removed = true;
                    print(&format!("{}: removed {}\n", browser.name(), path.display()))?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(CliError::input(format!(
                        "cannot remove {}: {e}",
                        path.display()
                    )))
                }
            }
        }
        if !removed {
            print(&format!(
                "{}: nothing installed ({} does not exist)\n",
                browser.name(),
                manifest.display()
            ))?;
        }
        // The wrappers' directory goes with the last of them; a directory
        // that is not empty stays.
        if let Some(dir) = wrapper.parent() {
            let _ = fs::remove_dir(dir);
        }
    }
    Ok(Exit::Clear)
}

/// The manifest: the format both browsers read, with the field that
/// names who may connect in each one's spelling.
fn host_manifest(browser: Browser, path: &str) -> serde_json::Value {
    let mut manifest = json!({
        "name": HOST_NAME,
        "description": "revoscope companion: the TLS handshakes and revocation files browsers hide from extensions",
        "path": path,
        "type": "stdio",
    });
    let allowed = match browser {
        Browser::Firefox => ("allowed_extensions", json!([FIREFOX_EXTENSION_ID])),
        Browser::Chromium | Browser::Chrome => (
            "allowed_origins",
            json!([format!("chrome-extension://{CHROME_EXTENSION_ID}/")]),
        ),
    };
    manifest[allowed.0] = allowed.1;
    manifest
}

fn wrapper_script(browser: Browser, binary: &str, allow_private: bool) -> String {
    format!(
        "#!/bin/sh\n\
         # revoscope's native messaging host for {}, written by `revoscope companion install`.\n\
         # The browser passes arguments of its own; the command is named here instead.\n\
         exec {} companion{}\n",
        browser.name(),
        shell_quote(binary),
        if allow_private {
            " --allow-private"
        } else {
            ""
        }
    )
}

/// Single quotes, with each `'` as `'\''`: the shell takes the rest
/// literally.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn wrapper_path_text(path: &Path) -> Result<&str, CliError> {
    path.to_str().ok_or_else(|| {
        CliError::input(format!(
            "{} is not a UTF-8 path, which a manifest cannot name",
            path.display()
        ))
    })
}

/// Writes through a temporary file and a rename, so a browser never reads
/// half a manifest, creating the directory.
fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CliError> {
    let failed = |e: io::Error| CliError::input(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    fs::write(&temp, bytes).map_err(failed)?;
    set_mode(&temp, mode).map_err(failed)?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        failed(e)
    })
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}

/// macOS and Windows look elsewhere (Windows in the registry); the docs
/// say where, this writes Linux's places only.
fn linux_only() -> Result<(), CliError> {
    if cfg!(target_os = "linux") {
        Ok(())
    } else {
        Err(CliError::input(
            "companion install and uninstall know Linux's locations only; docs/companion.md says where macOS and Windows look",
        ))
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use sha2::{Digest as _, Sha256};

    use super::*;

    /// Chromium's id of an extension: the first 16 bytes of the SHA-256 of
    /// its public key (DER SubjectPublicKeyInfo), each hex digit written
    /// with the letters a-p (components/crx_file/id_util.cc,
    /// `GenerateId` and `ConvertHexadecimalToIDAlphabet`).
    fn chrome_extension_id(spki: &[u8]) -> String {
        Sha256::digest(spki)[..16]
            .iter()
            .flat_map(|byte| [byte >> 4, byte & 0xf])
            .map(|digit| char::from(b'a' + digit))
            .collect()
    }

    fn extension_manifest() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../../extension/manifest.json"))
            .expect("extension/manifest.json is JSON")
    }

    #[test]
    fn the_chrome_id_is_the_manifests_key() {
        let manifest = extension_manifest();
        let key = manifest["chrome"]["key"].as_str().expect("chrome.key");
        let spki = STANDARD.decode(key).expect("the key is base64");
        assert_eq!(chrome_extension_id(&spki), CHROME_EXTENSION_ID);
    }

    #[test]
    fn the_firefox_id_is_the_manifests() {
        let manifest = extension_manifest();
        assert_eq!(
            manifest["firefox"]["browser_specific_settings"]["gecko"]["id"],
            FIREFOX_EXTENSION_ID
        );
    }

    /// The alphabet on a digest known by heart.
    #[test]
    fn ids_use_the_letters_a_to_p() {
        let id = chrome_extension_id(b"");
        assert_eq!(id.len(), 32);
        assert!(id.chars().all(|c| ('a'..='p').contains(&c)), "{id}");
        // SHA-256 of nothing begins e3b0c442: e->o, 3->d, b->l, 0->a...
        assert!(id.starts_with("odlameec"), "{id}");
    }

    #[test]
    fn host_names_follow_the_browsers_rules() {
        // Chrome: lowercase alphanumerics, underscores and dots; not
        // starting or ending with a dot, no two dots in a row.
        assert!(HOST_NAME
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.')));
        assert!(!HOST_NAME.starts_with('.') && !HOST_NAME.ends_with('.'));
        assert!(!HOST_NAME.contains(".."));
    }

    #[test]
    fn the_wrapper_quotes_the_path() {
        let script = wrapper_script(Browser::Chrome, "/opt/it's here/revoscope", true);
        assert!(
            script.ends_with("exec '/opt/it'\\''s here/revoscope' companion --allow-private\n"),
            "{script}"
        );
        assert!(script.starts_with("#!/bin/sh\n"));
    }
}
