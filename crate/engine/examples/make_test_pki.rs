//! Writes the test PKI to `fixtures/pki/` (or the folder given).
//! `cargo run -p revoscope --example make_test_pki [-- DIR]`

#[path = "../tests/support/pki.rs"]
mod pki;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/pki").to_owned());
    for file in pki::generate() {
        let path = std::path::Path::new(&dir).join(&file.path);
        std::fs::create_dir_all(path.parent().expect("file paths have a parent"))?;
        std::fs::write(&path, &file.bytes)?;
    }
    println!("wrote the test PKI to {dir}");
    Ok(())
}
