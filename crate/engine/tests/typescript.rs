//! The TypeScript declarations of what the engine hands to JavaScript,
//! generated from the Rust types by ts-rs: the extension imports them from
//! extension/src/engine-types/, so its view of a verdict or a telemetry
//! summary cannot drift from the engine's. This test fails when the
//! committed declarations are not what the types make now; to rewrite them:
//!
//! ```text
//! REVOSCOPE_WRITE_TYPES=1 cargo test -p revoscope --features typescript --test typescript
//! ```
#![cfg(all(feature = "typescript", not(target_arch = "wasm32")))]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use revoscope::crlite::records::Skipped;
use revoscope::crlite::FilterSetInfo;
use revoscope::onecrl::SnapshotStats;
use revoscope::remote_settings::sync::Fetched;
use revoscope::remote_settings::Signer;
use revoscope::telemetry::{PageLoad, Summary};
use revoscope::{Policy, Verdict};
use ts_rs::{Config, ExportError, TS};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../extension/src/engine-types")
}

/// Every declaration the roots need, written into `dir`: u64 counts and
/// timestamps are JavaScript numbers (serde_json and serde-wasm-bindgen hand
/// them over as such; none reaches 2^53).
fn export_into(dir: &Path) -> Result<(), ExportError> {
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    Verdict::export_all(&cfg)?;
    PageLoad::export_all(&cfg)?;
    Summary::export_all(&cfg)?;
    SnapshotStats::export_all(&cfg)?;
    Policy::export_all(&cfg)?;
    FilterSetInfo::export_all(&cfg)?;
    Skipped::export_all(&cfg)?;
    Fetched::export_all(&cfg)?;
    Signer::export_all(&cfg)?;
    Ok(())
}

/// The `.ts` files under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let Ok(entries) = fs::read_dir(&at) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "ts") {
                let text = fs::read_to_string(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), text);
            }
        }
    }
    files
}

#[test]
fn the_committed_typescript_declarations_are_the_engines() {
    let scratch = std::env::temp_dir().join(format!("revoscope-ts-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    export_into(&scratch).expect("ts-rs exports the declarations");
    let made = read_tree(&scratch);
    fs::remove_dir_all(&scratch).unwrap();
    assert!(
        made.contains_key(Path::new("Verdict.ts")),
        "{:?}",
        made.keys()
    );

    let committed = committed_dir();
    if std::env::var_os("REVOSCOPE_WRITE_TYPES").is_some_and(|v| v == "1") {
        let _ = fs::remove_dir_all(&committed);
        for (path, text) in &made {
            let to = committed.join(path);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::write(to, text).unwrap();
        }
        eprintln!(
            "wrote {} declarations to {}",
            made.len(),
            committed.display()
        );
        return;
    }
    let have = read_tree(&committed);
    let stale: Vec<_> = made
        .iter()
        .filter(|(path, text)| have.get(*path) != Some(*text))
        .map(|(path, _)| path.display().to_string())
        .chain(
            have.keys()
                .filter(|path| !made.contains_key(*path))
                .map(|path| format!("{} (no longer made)", path.display())),
        )
        .collect();
    assert!(
        stale.is_empty(),
        "extension/src/engine-types is stale ({}); rewrite it with \
         REVOSCOPE_WRITE_TYPES=1 cargo test -p revoscope --features typescript --test typescript",
        stale.join(", ")
    );
}
