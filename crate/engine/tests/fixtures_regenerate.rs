//! The committed test PKI is exactly what the generator writes.
#![cfg(not(target_arch = "wasm32"))]

mod support;

#[test]
fn committed_fixtures_match_the_generator() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki");
    let files = support::pki::generate();
    assert!(files.len() >= 20);
    for file in files {
        let committed = std::fs::read(dir.join(&file.path)).unwrap_or_else(|e| {
            panic!(
                "fixtures/pki/{} is missing ({e}); run the make_test_pki example",
                file.path
            )
        });
        assert!(
            committed == file.bytes,
            "fixtures/pki/{} differs from the generator's output",
            file.path
        );
    }
}
