//! The TypeScript declarations of what crosses between the extension and
//! the wasm package (the binding's `contract` and the engine's types it
//! carries), generated from the Rust types by ts-rs: the extension imports
//! them from extension/src/engine-types/, so its view of a verdict, a sync
//! report or an option cannot drift from the Rust side. This test fails
//! when the committed declarations are not what the types make now; to
//! rewrite them:
//!
//! ```text
//! REVOSCOPE_WRITE_TYPES=1 cargo test -p revoscope-wasm --features typescript --test typescript
//! ```
#![cfg(all(feature = "typescript", not(target_arch = "wasm32")))]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use revoscope::compare::Comparison;
use revoscope::onecrl::SnapshotStats;
use revoscope::telemetry::Summary;
use revoscope::Policy;
use revoscope_wasm::contract::{
    CrlCheck, CrlCheckOptions, CrlSetInForce, CrliteSyncReport, CrlsetSyncOptions,
    CrlsetSyncReport, InspectOptions, InspectResult, LiveOutcome, OnecrlSyncReport, StoredCrl,
    StoredDay, SyncOptions,
};
use ts_rs::{Config, ExportError, TS};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../extension/src/engine-types")
}

/// Every declaration the roots need, by file name: u64 counts and
/// timestamps are JavaScript numbers (serde_json and serde-wasm-bindgen hand
/// them over as such; none reaches 2^53). Each root is exported into a
/// directory of its own, so that two types of one name (whose files would
/// overwrite each other) are caught.
fn declarations(scratch: &Path) -> BTreeMap<PathBuf, String> {
    type Export = fn(&Config) -> Result<(), ExportError>;
    let roots: [(&str, Export); 17] = [
        // What the binding takes in...
        ("InspectOptions", InspectOptions::export_all),
        ("SyncOptions", SyncOptions::export_all),
        ("LiveOutcome", LiveOutcome::export_all),
        ("CrlCheckOptions", CrlCheckOptions::export_all),
        ("CrlsetSyncOptions", CrlsetSyncOptions::export_all),
        // ...and hands over, with the engine's types inside.
        ("InspectResult", InspectResult::export_all),
        ("OnecrlSyncReport", OnecrlSyncReport::export_all),
        ("CrliteSyncReport", CrliteSyncReport::export_all),
        ("CrlsetSyncReport", CrlsetSyncReport::export_all),
        ("StoredDay", StoredDay::export_all),
        ("StoredCrl", StoredCrl::export_all),
        ("CrlCheck", CrlCheck::export_all),
        ("CrlSetInForce", CrlSetInForce::export_all),
        ("Comparison", Comparison::export_all),
        ("Summary", Summary::export_all),
        ("SnapshotStats", SnapshotStats::export_all),
        ("Policy", Policy::export_all),
    ];
    let mut all = BTreeMap::new();
    for (name, export) in roots {
        let dir = scratch.join(name);
        let cfg = Config::new().with_large_int("number").with_out_dir(&dir);
        export(&cfg).unwrap_or_else(|e| panic!("ts-rs exports {name}: {e}"));
        for (path, text) in read_tree(&dir) {
            if let Some(other) = all.insert(path.clone(), text.clone()) {
                assert_eq!(
                    other,
                    text,
                    "two types are named {} (give one a ts(rename))",
                    path.display()
                );
            }
        }
    }
    all
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

/// The TypeScript name of every type that derives `TS` in `dir`'s sources,
/// with where it is: ts-rs writes each to `<name>.ts`, so two types of one
/// name would silently share a file.
fn ts_names(dir: &Path, names: &mut BTreeMap<String, Vec<String>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ts_names(&path, names);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.contains("derive(ts_rs::TS)") {
                continue;
            }
            let renamed = line
                .split("ts(rename = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next());
            let declared = lines[i + 1..].iter().take(8).find_map(|l| {
                let l = l.trim_start();
                l.strip_prefix("pub struct ")
                    .or_else(|| l.strip_prefix("pub enum "))
                    .or_else(|| l.strip_prefix("struct "))
                    .map(|rest| {
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap()
                    })
            });
            let name = renamed.or(declared).expect("a type after derive(TS)");
            names
                .entry(name.to_owned())
                .or_default()
                .push(format!("{}:{}", path.display(), i + 1));
        }
    }
}

#[test]
fn no_two_types_share_a_typescript_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = BTreeMap::new();
    ts_names(&root.join("src"), &mut names);
    ts_names(&root.join("../engine/src"), &mut names);
    assert!(names.contains_key("Verdict") && names.contains_key("InspectResult"));
    let shared: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(
        shared.is_empty(),
        "give one of each a ts(rename): {shared:?}"
    );
}

#[test]
fn the_committed_typescript_declarations_are_the_engines() {
    let scratch = std::env::temp_dir().join(format!("revoscope-ts-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let made = declarations(&scratch);
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
         REVOSCOPE_WRITE_TYPES=1 cargo test -p revoscope-wasm --features typescript --test typescript",
        stale.join(", ")
    );
}
