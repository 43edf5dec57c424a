//! `revoscope onecrl verify`: a Remote Settings collection's content
//! signature, checked as Firefox checks it, and which check refused it.

use std::fmt;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use revoscope::limits::MAX_SNAPSHOT_LEN;
use revoscope::remote_settings::content_signature;
use revoscope::remote_settings::sync::{mozilla_onecrl_trust, Fetched, MAX_CHAIN_PEM_LEN};
use revoscope::remote_settings::{Changeset, Collection, ContentSignatureError, Signer, Trust};
use revoscope::verify::RustCrypto;
use revoscope::UnixTime;

use super::args::{TrustArgs, VerifyArgs};
use super::{input, print, print_json, CliError, Exit};

/// Largest `--signature FILE` read: a signature is 128 characters.
const MAX_SIGNATURE_FILE_LEN: usize = 16 * 1024;

pub fn run(args: &VerifyArgs) -> Result<Exit, CliError> {
    let time = input::time(args.at.as_deref())?;
    let trust = trust(&args.trust);
    let json = input::read("--collection", &args.collection, MAX_SNAPSHOT_LEN)?;
    let read = read_collection(&args.collection, &json)?;
    drop(json);
    let (signature, signature_from) = signature(args, &read)?;
    let chain = input::read("--chain", &args.chain, MAX_CHAIN_PEM_LEN)?;
    let result = content_signature::verify(
        &read.collection.signed_bytes(),
        &signature,
        &chain,
        &trust,
        time,
        None,
        &RustCrypto,
    );
    let answer = VerifyJson {
        verified: result.is_ok(),
        collection: CollectionJson {
            shape: read.shape,
            timestamp: read.collection.timestamp,
            records: read.collection.len(),
        },
        signature_from,
        trust: TrustJson::new(&trust, &args.trust),
        evaluated_at: time.to_string(),
        signer: result.as_ref().ok(),
        error: result.as_ref().err().map(ErrorJson::from_signature),
    };
    if args.json {
        print_json(&answer)?;
    } else {
        print(&answer.to_string())?;
    }
    Ok(if answer.verified {
        Exit::Clear
    } else {
        Exit::Block
    })
}

/// Mozilla's roots and OneCRL's signer, but for what the flags replace.
pub fn trust(args: &TrustArgs) -> Trust {
    let mut trust = mozilla_onecrl_trust();
    if !args.root_hashes.is_empty() {
        trust.roots = args.root_hashes.clone();
    }
    if let Some(name) = &args.signer {
        trust.signer_name = name.clone();
    }
    trust
}

/// A collection read from `--collection`.
struct ReadCollection {
    /// "changeset" or "dump".
    shape: &'static str,
    collection: Collection,
    /// The first signature a changeset's metadata offers.
    metadata_signature: Option<String>,
}

fn read_collection(path: &Path, json: &[u8]) -> Result<ReadCollection, CliError> {
    #[derive(Deserialize)]
    struct Probe {
        changes: Option<IgnoredAny>,
        data: Option<IgnoredAny>,
    }
    let bad = |e: &dyn fmt::Display| input::in_file("--collection", path, e);
    let probe: Probe = serde_json::from_slice(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => bad(&format_args!(
            "not a Remote Settings changeset or dump: {e}"
        )),
        _ => bad(&format_args!("not JSON: {e}")),
    })?;
    if probe.changes.is_some() {
        let changeset = Changeset::from_json(json).map_err(|e| bad(&e))?;
        let collection = Collection::apply(None, &changeset).map_err(|e| bad(&e))?;
        Ok(ReadCollection {
            shape: "changeset",
            collection,
            metadata_signature: changeset.signatures.first().map(|s| s.signature.clone()),
        })
    } else if probe.data.is_some() {
        Ok(ReadCollection {
            shape: "dump",
            collection: Collection::from_dump_json(json).map_err(|e| bad(&e))?,
            metadata_signature: None,
        })
    } else {
        Err(bad(
            &"neither a changeset ({\"changes\": [...], ...}) nor a dump ({\"data\": [...], ...})",
        ))
    }
}

/// The signature text, and where it came from: "argument", "file" or "metadata".
fn signature(args: &VerifyArgs, read: &ReadCollection) -> Result<(String, &'static str), CliError> {
    match &args.signature {
        Some(value) if Path::new(value).is_file() => {
            let path = Path::new(value);
            let bytes = input::read("--signature", path, MAX_SIGNATURE_FILE_LEN)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| input::in_file("--signature", path, "not UTF-8 text"))?;
            Ok((text.trim().to_owned(), "file"))
        }
        Some(value) => Ok((value.to_string_lossy().into_owned(), "argument")),
        None => match (&read.metadata_signature, read.shape) {
            (Some(signature), _) => Ok((signature.clone(), "metadata")),
            (None, "dump") => Err(input::in_file(
                "--collection",
                &args.collection,
                "a dump carries no signature; give --signature SIG|FILE",
            )),
            (None, _) => Err(input::in_file(
                "--collection",
                &args.collection,
                "the changeset's metadata offers no signature; give --signature SIG|FILE",
            )),
        },
    }
}

/// The `--json` form of `verify`.
#[derive(Serialize)]
struct VerifyJson<'a> {
    verified: bool,
    collection: CollectionJson,
    /// "argument", "file" or "metadata".
    signature_from: &'static str,
    trust: TrustJson,
    evaluated_at: String,
    signer: Option<&'a Signer>,
    error: Option<ErrorJson>,
}

#[derive(Serialize)]
struct CollectionJson {
    /// "changeset" or "dump".
    shape: &'static str,
    timestamp: u64,
    records: usize,
}

/// Whom the signature had to come from.
#[derive(Serialize)]
pub struct TrustJson {
    pub signer_name: String,
    /// SHA-256 of each pinned root, hex.
    pub roots: Vec<String>,
    /// "mozilla", or "given" (`--root-hash`).
    pub roots_from: &'static str,
}

impl TrustJson {
    pub fn new(trust: &Trust, args: &TrustArgs) -> TrustJson {
        TrustJson {
            signer_name: trust.signer_name.clone(),
            roots: trust
                .roots
                .iter()
                .map(|r| revoscope::hex::encode(r))
                .collect(),
            roots_from: if args.root_hashes.is_empty() {
                "mozilla"
            } else {
                "given"
            },
        }
    }
}

impl fmt::Display for TrustJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whose = match self.roots_from {
            "mozilla" => "Mozilla's content-signature roots",
            _ => "the --root-hash roots",
        };
        write!(f, "signer {}, under {whose}", self.signer_name)?;
        for root in &self.roots {
            write!(f, "\n            sha256 {root}")?;
        }
        Ok(())
    }
}

/// A failure: its stable code and its sentence.
#[derive(Serialize)]
pub struct ErrorJson {
    pub code: &'static str,
    pub message: String,
}

impl ErrorJson {
    /// Prints a sync's report (text or `--json`); a report that carries an
    /// error makes `command` fail with it.
    pub fn finish<R: Serialize + std::fmt::Display>(
        report: &R,
        error: Option<&ErrorJson>,
        json: bool,
        command: &str,
    ) -> Result<super::Exit, super::CliError> {
        if json {
            super::print_json(report)?;
        } else {
            super::print(&report.to_string())?;
        }
        match error {
            None => Ok(super::Exit::Clear),
            Some(e) => Err(super::CliError::input(format!(
                "{command} failed ({}): {}",
                e.code, e.message
            ))),
        }
    }

    fn from_signature(error: &ContentSignatureError) -> ErrorJson {
        ErrorJson {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

/// The signer's lines of a readable report.
/// The requests a sync made, one line each (status, bytes, URL escaped: the
/// URLs come from the server).
pub fn write_requests(f: &mut fmt::Formatter<'_>, requests: &[Fetched]) -> fmt::Result {
    writeln!(f, "requests:")?;
    for r in requests {
        let status = r.status.map_or("---".to_owned(), |s| s.to_string());
        writeln!(
            f,
            "  {status} {:>9} B  {}",
            r.bytes,
            crate::one_line(&r.url)
        )?;
    }
    Ok(())
}

pub fn write_signer(f: &mut fmt::Formatter<'_>, signer: &Signer) -> fmt::Result {
    writeln!(f, "signer:     {}", signer.subject)?;
    writeln!(f, "  name:     {}", signer.signer_name)?;
    writeln!(
        f,
        "  valid:    {} to {}",
        UnixTime(signer.not_before),
        UnixTime(signer.not_after)
    )?;
    for (i, subject) in signer.path.iter().enumerate() {
        let label = if i == 0 { "  path:" } else { "" };
        writeln!(f, "{label:<12}{subject}")?;
    }
    writeln!(f, "  root:     sha256 {}", signer.root_sha256)
}

impl fmt::Display for VerifyJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.signer, &self.error) {
            (Some(signer), _) => {
                writeln!(f, "verified:   yes")?;
                write_signer(f, signer)?;
            }
            (None, error) => {
                writeln!(f, "verified:   no")?;
                if let Some(error) = error {
                    writeln!(f, "why:        {} ({})", error.message, error.code)?;
                }
            }
        }
        let c = &self.collection;
        let from = match self.signature_from {
            "metadata" => "the signature from its metadata",
            "file" => "the signature from --signature FILE",
            _ => "the signature from --signature",
        };
        writeln!(f, "collection: {}, {} records, {from}", c.shape, c.records)?;
        writeln!(
            f,
            "timestamp:  {} ({} ms)",
            UnixTime::from_millis(c.timestamp),
            c.timestamp
        )?;
        writeln!(f, "trust:      {}", self.trust)?;
        writeln!(f, "checked at: {}", self.evaluated_at)
    }
}
