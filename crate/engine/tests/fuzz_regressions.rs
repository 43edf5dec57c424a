//! The fuzz targets' bodies (crate/fuzz/src/targets.rs), with their own
//! assertions, replayed over the inputs committed in fixtures/fuzz/<target>/:
//! every input a fuzzer found a problem with (named `crash-*`, `timeout-*`,
//! `oom-*`, as libFuzzer names them), and a slice of each target's
//! minimised corpus, so that the paths the fuzzers reached stay covered by
//! the normal suite. Native only: the inputs are read from disk.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../../fuzz/src/targets.rs"]
#[allow(dead_code)]
mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("cert_der", targets::cert_der),
    ("onecrl", targets::onecrl),
    ("ocsp_response", targets::ocsp_response),
    ("ladder", targets::ladder),
    ("content_signature", targets::content_signature),
    ("report", targets::report),
    ("crlite_filter", targets::crlite_filter),
];

#[test]
fn every_committed_fuzz_input_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz");
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
        for path in inputs {
            let bytes = std::fs::read(&path).expect("a committed input");
            if catch_unwind(AssertUnwindSafe(|| target(&bytes))).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "inputs that fail: {failures:#?}");
}

/// The multi-part targets (ladder, content signature) read their parts
/// this way; the seeds are written with the same separator.
#[test]
fn inputs_split_at_each_separator() {
    assert_eq!(targets::parts(b"a"), vec![&b"a"[..]]);
    let joined = [&b"x"[..], targets::SEPARATOR, b"", targets::SEPARATOR, b"y"].concat();
    assert_eq!(
        targets::parts(&joined),
        vec![&b"x"[..], &b""[..], &b"y"[..]]
    );
}
