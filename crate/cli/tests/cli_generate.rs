//! `revoscope completions SHELL` and `revoscope man`: generated from the
//! same model clap parses with, so every command is in them.
#![cfg(not(target_arch = "wasm32"))]

// Only the programs: the engine's fixtures are not needed here.
#[allow(unused_imports)]
mod support;

use support::programs::{revoscope, Scratch};

/// Every command, as the man pages name them.
const COMMANDS: [&str; 14] = [
    "inspect",
    "ocsp",
    "onecrl",
    "onecrl-stats",
    "onecrl-lookup",
    "onecrl-verify",
    "onecrl-sync",
    "crlite",
    "crlite-sync",
    "crlite-query",
    "companion",
    "companion-install",
    "companion-uninstall",
    "completions",
];

#[test]
fn completions_know_every_command_and_flag() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = revoscope(["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in [
            "inspect",
            "ocsp",
            "onecrl",
            "crlite",
            "stats",
            "lookup",
            "verify",
            "sync",
            "query",
            "crlite-dir",
            "root-hash",
            "timeout-ms",
        ] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // The names a flag accepts are offered.
    let bash = String::from_utf8(revoscope(["completions", "bash"]).stdout).unwrap();
    assert!(bash.contains("get post auto") && bash.contains("sha1 sha256"));
    assert!(bash.contains("firefox chromium chrome"));
    let out = revoscope(["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "revoscope: completions \"tcsh\": give bash, zsh, fish, elvish or powershell (see revoscope --help)\n"
    );
}

#[test]
fn the_man_page_names_every_command() {
    let out = revoscope(["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH revoscope 1"));
    for command in ["inspect", "ocsp", "onecrl", "crlite", "completions", "man"] {
        assert!(
            page.contains(&format!("revoscope\\-{command}(1)")),
            "{command}"
        );
    }
    for usage in [
        "revoscope onecrl stats",
        "revoscope onecrl lookup",
        "revoscope onecrl verify",
        "revoscope onecrl sync",
        "revoscope crlite sync",
        "revoscope crlite query",
    ] {
        assert!(page.contains(usage), "{usage}");
    }
    assert!(page.contains(".SH \"EXIT STATUS\""));

    let dir = Scratch::new("cli-man-pages");
    let out = revoscope(["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let listed = String::from_utf8(out.stdout).unwrap();
    for command in COMMANDS {
        let path = dir.join(format!("revoscope-{command}.1"));
        let page = std::fs::read_to_string(&path).unwrap();
        assert!(page.contains(".TH revoscope-"), "{command}");
        assert!(listed.contains(path.to_str().unwrap()), "{command}");
    }
    let sync = std::fs::read_to_string(dir.join("revoscope-onecrl-sync.1")).unwrap();
    assert!(sync.contains("\\-\\-root\\-hash") && sync.contains("\\-\\-timeout"));
    assert_eq!(
        std::fs::read(dir.join("revoscope.1")).unwrap(),
        revoscope(["man"]).stdout
    );
}
