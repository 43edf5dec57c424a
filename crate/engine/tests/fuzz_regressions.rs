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
    ("crl", targets::crl),
    ("crlset", targets::crlset),
    ("crx3", targets::crx3),
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

/// The `crl` target's seeds are the CRL fixtures themselves
/// (fixtures/crl/*.crl, as `make_fuzz_seeds` writes them): each replays
/// through the target, and the target reaches what it means to check:
/// every list int-good signed reads and judges the fixture leaves, with
/// good and revoked answers among them, and the forged one never does.
#[test]
fn every_crl_fixture_replays_through_the_crl_target() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/crl");
    let mut crls: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "crl"))
        .collect();
    crls.sort();
    assert_eq!(crls.len(), 18, "{crls:#?}");
    let mut read = Vec::new();
    for path in &crls {
        let bytes = std::fs::read(path).expect("a fixture CRL");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let answers = catch_unwind(AssertUnwindSafe(|| targets::crl_answers(&bytes)))
            .unwrap_or_else(|_| panic!("{name} fails the crl target"));
        if let Some(answers) = answers {
            assert_eq!(answers.len(), targets::CRL_CHAINS.len());
            read.push(name);
        }
    }
    // Not read: refused before the signature (delta, indirect, a critical
    // unknown list extension), signed by another key (forged, by-root), or
    // refused while its entries are indexed (a critical unknown entry
    // extension).
    assert_eq!(
        read,
        [
            "attr-only.crl",
            "ca-only.crl",
            "expired.crl",
            "full.crl",
            "future.crl",
            "int-good-1.crl",
            "int-good-2.crl",
            "no-next-update.crl",
            "sha384.crl",
            "some-reasons.crl",
            "unknown-noncritical.crl",
            "v1.crl",
        ]
    );
    let shard1 = std::fs::read(dir.join("int-good-1.crl")).unwrap();
    let answers = targets::crl_answers(&shard1).expect("shard 1 reads");
    use revoscope::crl::CrlAnswer;
    assert!(matches!(
        answers[0],
        Ok(CrlAnswer::Good {
            removed_from_crl: false
        })
    ));
    assert!(matches!(
        answers[1],
        Ok(CrlAnswer::Revoked { on_hold: false, .. })
    ));
    assert!(matches!(
        answers[2],
        Ok(CrlAnswer::Revoked { on_hold: true, .. })
    ));
    let forged = std::fs::read(dir.join("forged.crl")).unwrap();
    assert!(targets::crl_answers(&forged).is_none());
    assert!(!targets::crl_signed_by_int_good(&forged));
}

/// The `crlset` target's seeds are the CRLSet fixtures (fixtures/crlset/*.raw,
/// as `make_fuzz_seeds` writes them): each reads through the target, and
/// the target reaches revoked, unknown and good chains among them.
#[test]
fn every_crlset_fixture_replays_through_the_crlset_target() {
    use revoscope::crlset::CrlSetResult;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/crlset");
    let mut sets: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "raw"))
        .collect();
    sets.sort();
    assert_eq!(sets.len(), 13, "{sets:#?}");
    let mut results = Vec::new();
    for path in &sets {
        let bytes = std::fs::read(path).expect("a fixture set");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let answers = catch_unwind(AssertUnwindSafe(|| targets::crlset_answers(&bytes)))
            .unwrap_or_else(|_| panic!("{name} fails the crlset target"))
            .unwrap_or_else(|| panic!("{name} does not read"));
        assert_eq!(answers.len(), targets::CRLSET_CHAINS.len());
        results.extend(answers.iter().map(|a| a.result));
    }
    for result in [CrlSetResult::Revoked, CrlSetResult::Unknown] {
        assert!(results.contains(&result), "no chain {result:?}");
    }
    // Good needs a covered leaf: ok_cert under a set listing another of
    // the root's serials.
    let good = [
        &[0x31u8, 0x00][..],
        br#"{"ContentType":"CRLSet","Sequence":0,"Version":0}"#,
    ]
    .concat();
    let root = revoscope::pem::read_certificates(targets::CRLSET_CHAINS[0][1]).unwrap();
    let root = revoscope::Cert::from_der(&root[0]).unwrap();
    let good = [good.as_slice(), root.spki.sha256(), &[1, 0, 0, 0, 1, 0x01]].concat();
    let answers = targets::crlset_answers(&good).expect("reads");
    assert_eq!(answers[0].result, CrlSetResult::Good);
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
