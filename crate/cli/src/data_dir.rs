//! Where revoscope keeps what it fetches and installs for the user, by
//! the XDG Base Directory specification.

use std::path::PathBuf;

/// Where `crlite sync` keeps the filter set and `crlite query` reads it
/// without `--dir` (`name` "crlite"), `crlset sync` the CRLSet ("crlset")
/// and `companion install` its wrapper scripts ("companion"):
/// `$XDG_DATA_HOME/revoscope/<name>`, else `$HOME/.local/share/revoscope/<name>`
/// (the XDG default).
pub fn default_data_dir(name: &str) -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    // The XDG spec ignores a relative XDG_DATA_HOME.
    let data = var("XDG_DATA_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|home| home.join(".local/share")))?;
    Some(data.join("revoscope").join(name))
}
