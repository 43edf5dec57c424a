//! Writes the seed corpus of each fuzz target (crate/fuzz) from the
//! fixtures and the test PKI, in the shape each target reads
//! (crate/fuzz/src/targets.rs says how). `npm run fuzz` runs it first.
//!
//! ```text
//! cargo run -q -p revoscope --example make_fuzz_seeds -- OUTDIR [CORPUS]
//! ```
//!
//! With CORPUS, the `x509/` directory of the real-world corpus
//! (scripts/setup.sh fetches it; `corpus_dir` in scripts/lib.sh), its
//! certificates, OCSP responses and CRLs are seeds too.

#[path = "../../fuzz/src/targets.rs"]
#[allow(dead_code)]
mod targets;

#[path = "../tests/support/crlite.rs"]
mod crlite;

use std::path::{Path, PathBuf};

use revoscope::remote_settings::{Changeset, Collection};
use revoscope::telemetry::report::{Browser, Report, ReportCounts, REPORT_LEN, REPORT_SCHEMA};
use revoscope::telemetry::Day;
use targets::{parts, CHAINS, CRLITE_LOG_ID, SEPARATOR};

type Result<T> = std::result::Result<T, String>;

fn main() {
    let out = match std::env::args().nth(1) {
        Some(out) => PathBuf::from(out),
        None => {
            eprintln!("usage: make_fuzz_seeds OUTDIR");
            std::process::exit(2);
        }
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let corpus = std::env::args().nth(2).map(PathBuf::from);
    let written = write_all(&fixtures, &out).and_then(|mut counts| {
        if let Some(corpus) = &corpus {
            counts.extend(write_corpus(corpus, &out)?);
        }
        Ok(counts)
    });
    match written {
        Ok(counts) => {
            for (target, n) in counts {
                println!("{target}: {n} seeds");
            }
        }
        Err(why) => {
            eprintln!("make_fuzz_seeds: {why}");
            std::process::exit(1);
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Files under `dir` (recursively) whose names end in `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(files(&path, suffix)?);
        } else if path.to_string_lossy().ends_with(suffix) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn join(pieces: &[&[u8]]) -> Vec<u8> {
    pieces.join(SEPARATOR)
}

struct Corpus {
    dir: PathBuf,
    count: usize,
}

impl Corpus {
    fn new(out: &Path, target: &str) -> Result<Corpus> {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Corpus { dir, count: 0 })
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        self.count += 1;
        Ok(())
    }
}

fn write_all(fixtures: &Path, out: &Path) -> Result<Vec<(&'static str, usize)>> {
    let mut counts = Vec::new();

    // Certificates: every one in the fixtures, as DER.
    let mut certs = Corpus::new(out, "cert_der")?;
    let pems: Vec<PathBuf> = files(fixtures, ".pem")?
        .into_iter()
        // Private keys: the demo's *.key.pem and the CRX3 signing keys.
        .filter(|p| !p.to_string_lossy().ends_with(".key.pem"))
        .filter(|p| !p.starts_with(fixtures.join("crx3/keys")))
        .collect();
    for pem in &pems {
        let ders = revoscope::pem::read_certificates(&read(pem)?)
            .map_err(|e| format!("{}: {e}", pem.display()))?;
        let stem = pem.file_stem().unwrap_or_default().to_string_lossy();
        for (i, der) in ders.iter().enumerate() {
            certs.add(&format!("{stem}-{i}.der"), der)?;
        }
    }
    counts.push(("cert_der", certs.count));

    // OneCRL: snapshots (0), a stored dump (1), changesets (2).
    let mut onecrl = Corpus::new(out, "onecrl")?;
    onecrl.add(
        "real.json",
        &[&[0][..], &read(&fixtures.join("onecrl/onecrl.json"))?].concat(),
    )?;
    onecrl.add(
        "test.json",
        &[&[0][..], &read(&fixtures.join("pki/onecrl-test.json"))?].concat(),
    )?;
    for path in files(&fixtures.join("remote-settings"), ".changeset.json")? {
        let json = read(&path)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        onecrl.add(&name, &[&[2][..], &json].concat())?;
        if let Ok(changeset) = Changeset::from_json(&json) {
            if let Ok(collection) = Collection::apply(None, &changeset) {
                let dump = collection.to_dump_json();
                onecrl.add(
                    &format!("{name}.dump"),
                    &[&[1][..], dump.as_bytes()].concat(),
                )?;
            }
        }
    }
    counts.push(("onecrl", onecrl.count));

    // OCSP responses: every fixture response.
    let mut ocsp = Corpus::new(out, "ocsp_response")?;
    let responses = files(&fixtures.join("ocsp"), ".der")?;
    for path in &responses {
        ocsp.add(
            &path.file_name().unwrap_or_default().to_string_lossy(),
            &read(path)?,
        )?;
    }
    counts.push(("ocsp_response", ocsp.count));

    // The ladder: each chain with a few answers, stapled and live, and one
    // chain carried in the input itself.
    let mut ladder = Corpus::new(out, "ladder")?;
    let answers = [
        "good",
        "revoked",
        "unknown",
        "must-staple-good",
        "try-later",
    ];
    for index in 0..CHAINS.len() {
        for (a, answer) in answers.iter().enumerate() {
            let body = read(&fixtures.join(format!("ocsp/{answer}.der")))?;
            for (f, flags) in [0x80u8, 0x40, 0xc0 | 0x10, 0x20].iter().enumerate() {
                let head = [flags | index as u8, (a % 3) as u8, 0, 0, 0, 0, 200, 0];
                ladder.add(
                    &format!("chain{index}-{answer}-{f}"),
                    &[&head[..], &body].concat(),
                )?;
            }
        }
    }
    let own: Vec<Vec<u8>> =
        revoscope::pem::read_certificates(CHAINS[0]).map_err(|e| e.to_string())?;
    let good = read(&fixtures.join("ocsp/good.der"))?;
    let mut pieces: Vec<&[u8]> = own.iter().map(Vec::as_slice).collect();
    pieces.push(&good);
    ladder.add(
        "own-chain",
        &[&[0x8f, 0, 0, 0, 0, 0, 200, 0][..], &join(&pieces)].concat(),
    )?;
    counts.push(("ladder", ladder.count));

    // Content signatures: each test changeset's signed bytes, with each
    // signature it offers and the chain its x5u names.
    let mut signatures = Corpus::new(out, "content_signature")?;
    for path in files(&fixtures.join("remote-settings"), ".changeset.json")? {
        let Ok(changeset) = Changeset::from_json(&read(&path)?) else {
            continue;
        };
        let Ok(collection) = Collection::apply(None, &changeset) else {
            continue;
        };
        let signed = collection.signed_bytes();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        for (i, offered) in changeset.signatures.iter().enumerate() {
            let file = offered.x5u.rsplit('/').next().unwrap_or_default();
            let Ok(chain) = read(&fixtures.join("remote-settings/chains").join(file)) else {
                continue;
            };
            let seed = join(&[&chain, offered.signature.as_bytes(), &signed]);
            debug_assert_eq!(parts(&seed).len(), 3);
            signatures.add(&format!("{name}-{i}"), &seed)?;
        }
    }
    counts.push(("content_signature", signatures.count));

    // Reports: an empty day, a busy one, one at the clip.
    let mut reports = Corpus::new(out, "report")?;
    for (name, fill) in [("zeros", 0u32), ("ones", 1), ("clip", 1023)] {
        let vector: Vec<u32> = (0..REPORT_LEN as u32)
            .map(|i| if i % 7 == 0 { fill } else { 0 })
            .collect();
        let report = Report {
            schema: REPORT_SCHEMA,
            id: "0123456789abcdef0123456789abcdef".into(),
            day: Day::parse("2026-11-20").map_err(|e| e.to_string())?,
            extension: "0.1".into(),
            browser: if fill % 2 == 0 {
                Browser::Firefox
            } else {
                Browser::Chrome
            },
            counts: ReportCounts::from_vector(&vector)
                .ok_or("a report vector of the wrong shape")?,
        };
        reports.add(name, report.to_json().as_bytes())?;
    }
    counts.push(("report", reports.count));

    // CRLite: both encodings over the test PKI's intermediates, with some
    // of their leaves revoked and the rest known good.
    let mut filters = Corpus::new(out, "crlite_filter")?;
    let pairs: Vec<(revoscope::Cert, revoscope::Cert)> = CHAINS
        .iter()
        .map(|pem| {
            let chain = revoscope::pem::read_certificates(pem).map_err(|e| e.to_string())?;
            let cert = |i: usize| revoscope::Cert::from_der(&chain[i]).map_err(|e| e.to_string());
            Ok((cert(0)?, cert(1)?))
        })
        .collect::<Result<_>>()?;
    let mut issuers: Vec<crlite::Issuer> = Vec::new();
    for (i, (leaf, issuer)) in pairs.iter().enumerate() {
        let key = *issuer.spki.sha256();
        let at = match issuers.iter().position(|x| x.spki_sha256 == key) {
            Some(at) => at,
            None => {
                issuers.push(crlite::Issuer {
                    spki_sha256: key,
                    ..Default::default()
                });
                issuers.len() - 1
            }
        };
        let list = if i % 2 == 0 {
            &mut issuers[at].revoked
        } else {
            &mut issuers[at].good
        };
        list.push(leaf.serial.clone());
    }
    let logs = [crlite::LogCoverage {
        log_id: CRLITE_LOG_ID,
        low_ms: 0,
        high_ms: 4_000_000_000_000,
    }];
    for (name, version) in [("v3", crlite::Version::V3), ("v4", crlite::Version::V4)] {
        filters.add(name, &crlite::build(&logs, &issuers, version))?;
    }
    counts.push(("crlite_filter", filters.count));

    // CRLs: every fixture list (int-good's, one by the root, a forged one),
    // read against int-good as the target does.
    let mut crls = Corpus::new(out, "crl")?;
    for path in files(&fixtures.join("crl"), ".crl")? {
        crls.add(
            &path.file_name().unwrap_or_default().to_string_lossy(),
            &read(&path)?,
        )?;
    }
    counts.push(("crl", crls.count));

    // CRLSets: Chromium's unit-test sets and its test sets, rebuilt.
    // CRX3 packages: the CRLSet packages of fixtures/crx3, good and tampered.
    for (target, ext) in [("crlset", ".raw"), ("crx3", ".crx3")] {
        let mut corpus = Corpus::new(out, target)?;
        for path in files(&fixtures.join(target), ext)? {
            corpus.add(
                &path.file_name().unwrap_or_default().to_string_lossy(),
                &read(&path)?,
            )?;
        }
        counts.push((target, corpus.count));
    }

    Ok(counts)
}

/// The DER inside each PEM block labelled `label` (old labels too, as
/// `X509 CERTIFICATE`), read laxly: header lines skipped, any line length.
fn pem_blocks(text: &str, labels: &[&str]) -> Vec<Vec<u8>> {
    use base64::Engine;
    let mut ders = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            body = labels.contains(&label).then(String::new);
        } else if line.starts_with("-----END ") {
            if let Some(b64) = body.take() {
                if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b64) {
                    ders.push(der);
                }
            }
        } else if let Some(b64) = body.as_mut() {
            if !line.contains(':') {
                b64.push_str(line);
            }
        }
    }
    ders
}

/// A seed's file name from its corpus path: `PKITS_data/crls/x.crl` to
/// `cv-PKITS_data-crls-x.crl` (`cv-`: apart from the fixtures' seeds), with
/// `-N` for the N-th block of a PEM file.
fn seed_name(corpus: &Path, path: &Path, i: usize, blocks: usize) -> String {
    let rel = path.strip_prefix(corpus).unwrap_or(path);
    let flat = rel.to_string_lossy().replace(['/', '\\'], "-");
    if blocks > 1 {
        format!("cv-{flat}-{i}")
    } else {
        format!("cv-{flat}")
    }
}

/// Seeds from the real-world corpus: its certificates (`cert_der`), its
/// OCSP responses (`ocsp_response`) and its CRLs (`crl`), as DER. Which
/// file is which is told by its place and its PEM label; a `.crl`, or a
/// DER file under `custom/` named `crl_*`, is a CRL; any other `.der` or
/// `.crt` a certificate (the few that are not cost the fuzzer nothing).
fn write_corpus(corpus: &Path, out: &Path) -> Result<Vec<(&'static str, usize)>> {
    if !corpus.join("ocsp").is_dir() {
        return Err(format!(
            "{}: no corpus there (scripts/setup.sh fetches it)",
            corpus.display()
        ));
    }
    let mut certs = Corpus::new(out, "cert_der")?;
    let mut ocsp = Corpus::new(out, "ocsp_response")?;
    let mut crls = Corpus::new(out, "crl")?;
    let skipped = ["requests/", "PKITS_data/pkcs12/", "PKITS_data/smime/"];
    for path in files(corpus, "")? {
        let rel = path
            .strip_prefix(corpus)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or_default().to_string();
        if skipped.iter().any(|d| rel.starts_with(d)) {
            continue;
        }
        let bytes = read(&path)?;
        if rel.starts_with("ocsp/") {
            // Responses and requests alike: the requests are refused at
            // once, which costs the fuzzer nothing.
            if !name.starts_with("req-") && !name.ends_with("-req.der") {
                ocsp.add(&seed_name(corpus, &path, 0, 1), &bytes)?;
            }
            continue;
        }
        let is_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
        if is_pem {
            let text = String::from_utf8_lossy(&bytes);
            let found = pem_blocks(&text, &["CERTIFICATE", "X509 CERTIFICATE"]);
            for (i, der) in found.iter().enumerate() {
                certs.add(&seed_name(corpus, &path, i, found.len()), der)?;
            }
            let found = pem_blocks(&text, &["X509 CRL"]);
            for (i, der) in found.iter().enumerate() {
                crls.add(&seed_name(corpus, &path, i, found.len()), der)?;
            }
        } else if name.ends_with(".crl") || (rel.starts_with("custom/") && name.starts_with("crl_"))
        {
            crls.add(&seed_name(corpus, &path, 0, 1), &bytes)?;
        } else if name.ends_with(".der") || name.ends_with(".crt") {
            certs.add(&seed_name(corpus, &path, 0, 1), &bytes)?;
        }
    }
    Ok(vec![
        ("cert_der (real-world corpus)", certs.count),
        ("ocsp_response (real-world corpus)", ocsp.count),
        ("crl (real-world corpus)", crls.count),
    ])
}
