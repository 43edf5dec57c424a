//! `revoscope crlset sync|query|dump`: Chrome's CRLSet, fetched as Chrome's
//! component updater fetches it (the way agl/crlset-tools does it too):
//!
//! 1. the update check and the CRX3 package it offers, fetched and judged
//!    by the engine (`revoscope::crlset::sync`): the package verified
//!    against the publisher key's pin, its `crl-set` read, its `Sequence`
//!    compared with the kept set's;
//! 2. kept as `<dir>/crl-set` (the path the ladder's CRLSet step reads),
//!    with `<dir>/crl-set.json` saying when and where from, each written
//!    through a temporary file and a rename. A set whose `Sequence` is
//!    below the kept one's is a rollback and refused; nothing is written
//!    unless everything checked.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use revoscope::crlset::sync::{self as crlset_sync, Accepted, CrlSetSyncError, Offer};
use revoscope::crlset::{CertStatus, ChainAnswer, CrlSet, CrlSetInfo, CrlSetResult};
use revoscope::crx3::{self, Crx3Expectation};
use revoscope::limits::MAX_CRLSET_LEN;
use revoscope::remote_settings::sync::Fetched;
use revoscope::time::describe_duration;
use revoscope::verify::RustCrypto;
use revoscope::{Cert, UnixTime};

use super::args::crlset::{CrlsetDumpArgs, CrlsetQueryArgs, CrlsetSource, CrlsetSyncArgs};
use super::progress::Progress;
use super::sync::{blocking, write_atomically, Client};
use super::verify::ErrorJson;
use super::{input, print, print_json, token, CliError, Exit};

/// The metadata file is ours and small.
const MAX_META_LEN: usize = 64 * 1024;

/// Where `crlset sync` keeps the set in `dir`.
pub fn set_path(dir: &Path) -> PathBuf {
    dir.join(crx3::CRLSET_FILE_NAME)
}

fn meta_path(dir: &Path) -> PathBuf {
    dir.join("crl-set.json")
}

/// What `crl-set.json` records of the kept set.
#[derive(Debug, Serialize, serde::Deserialize)]
struct Meta {
    /// When it was fetched, seconds since the epoch.
    fetched: u64,
    /// The component version the update server offered.
    version: Option<String>,
    sequence: u32,
    /// The package's URL.
    source: String,
    crx_id: String,
    /// SHA-256 of `crl-set`.
    sha256: String,
}

/// The kept set, if there is one that reads. One that does not is
/// replaced (a note says so).
fn kept(dir: &Path) -> Option<CrlSet> {
    let path = set_path(dir);
    if !path.exists() {
        return None;
    }
    let read = input::read("--dir", &path, MAX_CRLSET_LEN)
        .ok()
        .and_then(|bytes| CrlSet::from_bytes(&bytes).ok());
    if read.is_none() {
        super::note(&format!(
            "the kept {} does not read: replacing it whatever its Sequence",
            path.display()
        ));
    }
    read
}

/// How a sync went: the `--json` output.
#[derive(Serialize)]
struct SyncReport<'a> {
    /// "updated", "up-to-date" or "failed".
    status: &'static str,
    server: &'a str,
    component_id: &'a str,
    version: Option<String>,
    /// The Sequence in force now (the kept set's unless updated).
    sequence: Option<u32>,
    kept_sequence: Option<u32>,
    written: Option<PathBuf>,
    error: Option<ErrorJson>,
    requests: Vec<Fetched>,
}

impl fmt::Display for SyncReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(e) => {
                writeln!(f, "status:     failed ({})", e.code)?;
                writeln!(f, "why:        {}", e.message)?;
            }
            None => writeln!(f, "status:     {}", self.status)?,
        }
        writeln!(f, "server:     {}", self.server)?;
        writeln!(f, "component:  {}", self.component_id)?;
        if let Some(version) = &self.version {
            writeln!(f, "version:    {version}")?;
        }
        match self.sequence {
            Some(s) => writeln!(f, "sequence:   {s}")?,
            None => writeln!(f, "sequence:   none in force")?,
        }
        match &self.written {
            Some(path) => writeln!(f, "written:    {}", path.display())?,
            None => writeln!(f, "written:    nothing")?,
        }
        for r in &self.requests {
            let status = r.status.map_or("no answer".to_owned(), |s| s.to_string());
            writeln!(f, "request:    {} {status}, {} bytes", r.url, r.bytes)?;
        }
        Ok(())
    }
}

pub fn sync(args: &CrlsetSyncArgs) -> Result<Exit, CliError> {
    let now = input::time(None)?;
    let expect = args
        .key_sha256
        .map_or_else(Crx3Expectation::crlset, Crx3Expectation::for_key);
    let kept = kept(&args.dir);
    let mut client = Client {
        deadline: Instant::now() + args.timeout,
        requests: Vec::new(),
        progress: Progress::new("crlset sync", args.json),
    };
    let outcome = fetch(&mut client, &args.from, &expect, kept.as_ref());
    client.progress.finish();
    let mut report = SyncReport {
        status: "failed",
        server: &args.from,
        component_id: &expect.component_id,
        version: None,
        sequence: kept.as_ref().map(CrlSet::sequence),
        kept_sequence: kept.as_ref().map(CrlSet::sequence),
        written: None,
        error: None,
        requests: std::mem::take(&mut client.requests),
    };
    match outcome {
        Ok((offer, Accepted::UpToDate)) => {
            report.status = "up-to-date";
            report.version = offer.version;
        }
        Ok((offer, Accepted::New { bytes, set })) => {
            let meta = Meta {
                fetched: now.0,
                version: offer.version.clone(),
                sequence: set.sequence(),
                source: offer.codebase.clone(),
                crx_id: expect.component_id.clone(),
                sha256: revoscope::hex::encode(&Sha256::digest(&bytes)),
            };
            let path = set_path(&args.dir);
            let cannot = |e: std::io::Error| {
                input::in_file("--dir", &args.dir, format_args!("cannot write: {e}"))
            };
            fs::create_dir_all(&args.dir).map_err(cannot)?;
            write_atomically(&path, &bytes).map_err(cannot)?;
            let json = serde_json::to_vec_pretty(&meta).unwrap_or_default();
            write_atomically(&meta_path(&args.dir), &json).map_err(cannot)?;
            report.status = "updated";
            report.version = offer.version;
            report.sequence = Some(set.sequence());
            report.written = Some(path);
        }
        Err(e) => {
            report.error = Some(ErrorJson {
                code: e.code(),
                message: e.to_string(),
            })
        }
    }
    ErrorJson::finish(&report, report.error.as_ref(), args.json, "crlset sync")
}

/// The engine's sync with the blocking client: nothing in it waits, so the
/// fetch completes on its first poll.
fn fetch(
    client: &mut Client,
    server: &str,
    expect: &Crx3Expectation,
    kept: Option<&CrlSet>,
) -> Result<(Offer, Accepted), CrlSetSyncError> {
    let package = blocking(crlset_sync::fetch_package(
        client,
        server,
        &expect.component_id,
    ))?;
    let accepted = crlset_sync::accept(&package.crx, expect, kept, &RustCrypto)?;
    Ok((package.offer, accepted))
}

/// Reads the kept set (or `--file`).
fn load(flag: &'static str, path: &Path) -> Result<CrlSet, CliError> {
    if flag == "--dir" && !path.exists() {
        return Err(CliError::input(format!(
            "no CRLSet kept at {}: run revoscope crlset sync first",
            path.display()
        )));
    }
    let bytes = input::read(flag, path, MAX_CRLSET_LEN)?;
    CrlSet::from_bytes(&bytes)
        .map_err(|e| input::in_file(flag, path, format_args!("{e} ({})", e.code())))
}

/// `crlset query`'s answer.
#[derive(Serialize)]
struct QueryAnswer<'a> {
    subject: &'a str,
    serial: String,
    issuer_spki_sha256: Option<String>,
    sequence: u32,
    #[serde(flatten)]
    answer: ChainAnswer,
}

pub fn query(args: &CrlsetQueryArgs) -> Result<Exit, CliError> {
    let now = input::time(None)?;
    let set = load("--dir", &set_path(&args.dir))?;
    let certs = input::certificates("--cert", &args.cert)?;
    let leaf = input::first_certificate("--cert", &args.cert)?;
    let issuer = match &args.issuer {
        Some(path) => Some(input::first_certificate("--issuer", path)?),
        None => certs
            .get(1)
            .map(|der| Cert::from_der(der))
            .transpose()
            .map_err(|e| input::in_file("--cert", &args.cert, e))?,
    };
    if let Some(issuer) = &issuer {
        if leaf.issuer_der != issuer.subject_der {
            return Err(CliError::input(format!(
                "the issuer given ({}) is not the certificate's issuer ({})",
                issuer.subject, leaf.issuer
            )));
        }
    }
    let chain: Vec<&Cert> = std::iter::once(&leaf).chain(issuer.as_ref()).collect();
    let answer = set.check_chain(&chain, now);
    let revoked = answer.result == CrlSetResult::Revoked;
    let out = QueryAnswer {
        subject: &leaf.subject,
        serial: revoscope::hex::encode(&leaf.serial),
        issuer_spki_sha256: issuer
            .as_ref()
            .map(|i| revoscope::hex::encode(i.spki.sha256())),
        sequence: set.sequence(),
        answer,
    };
    if args.json {
        print_json(&out)?;
    } else {
        print(&query_text(&out, issuer.is_none()))?;
    }
    Ok(if revoked { Exit::Block } else { Exit::Clear })
}

fn query_text(out: &QueryAnswer<'_>, no_issuer: bool) -> String {
    let leaf = out.answer.certs.first().map(|a| a.status);
    let why = match (out.answer.result, leaf) {
        (CrlSetResult::Revoked, _) => match out.answer.revoked_at {
            Some(0) => format!("revoked: {}", status_text(leaf)),
            Some(i) => format!("revoked: certificate {i} of the chain (its issuer) is listed"),
            None => "revoked".into(),
        },
        (_, _) if out.answer.expired => "unknown: the set is past its NotAfter (expired)".into(),
        (_, status) => format!("{}: {}", token(&out.answer.result), status_text(status)),
    };
    let mut text = format!(
        "certificate: {}\nserial:      {}\ncrlset:      Sequence {}\nanswer:      {why}\n",
        out.subject, out.serial, out.sequence
    );
    if no_issuer {
        text.push_str("note:        no issuer given: its serial was not looked up\n");
    }
    if let Some(interception) = out.answer.interception {
        text.push_str(&format!("interception: {}\n", token(&interception)));
    }
    text
}

fn status_text(status: Option<CertStatus>) -> String {
    use revoscope::crlset::{GoodWhy, RevokedBy, UnknownWhy};
    match status {
        Some(CertStatus::Revoked {
            by: RevokedBy::BlockedSpki,
        }) => "its SPKI is blocked".into(),
        Some(CertStatus::Revoked {
            by: RevokedBy::LimitedSubject,
        }) => "its subject is limited to other SPKIs".into(),
        Some(CertStatus::Revoked {
            by: RevokedBy::Serial,
        }) => "its serial is listed under its issuer's SPKI".into(),
        Some(CertStatus::Unknown {
            why: UnknownWhy::IssuerNotCovered,
        }) => "the set does not cover its issuer (not listed)".into(),
        Some(CertStatus::Unknown { why }) => token(&why),
        Some(CertStatus::Good {
            why: GoodWhy::NotListed,
        }) => "not listed (the set covers its issuer)".into(),
        Some(CertStatus::Good { why }) => token(&why),
        None => "no certificate".into(),
    }
}

/// `crlset dump`'s output.
#[derive(Serialize)]
struct Dump {
    file: PathBuf,
    #[serde(flatten)]
    info: CrlSetInfo,
    expired: bool,
    /// When `crlset sync` fetched it, if it did.
    fetched: Option<u64>,
    version: Option<String>,
    source: Option<String>,
    parent_serials: Vec<ParentSerials>,
    blocked_spki_sha256: Vec<String>,
}

#[derive(Serialize)]
struct ParentSerials {
    spki_sha256: String,
    serials: usize,
}

pub fn dump(args: &CrlsetDumpArgs) -> Result<Exit, CliError> {
    let now = input::time(None)?;
    let (flag, file, meta) = match &args.source {
        CrlsetSource::File(path) => ("--file", path.clone(), None),
        CrlsetSource::Dir(dir) => {
            let meta = input::read("--dir", &meta_path(dir), MAX_META_LEN)
                .ok()
                .and_then(|json| serde_json::from_slice::<Meta>(&json).ok());
            ("--dir", set_path(dir), meta)
        }
    };
    let set = load(flag, &file)?;
    let out = Dump {
        info: set.info(),
        expired: set.is_expired(now),
        fetched: meta.as_ref().map(|m| m.fetched),
        version: meta.as_ref().and_then(|m| m.version.clone()),
        source: meta.map(|m| m.source),
        parent_serials: set
            .parents()
            .map(|p| ParentSerials {
                spki_sha256: revoscope::hex::encode(p),
                serials: set.serials_of(p).map_or(0, Iterator::count),
            })
            .collect(),
        blocked_spki_sha256: set
            .blocked_spkis()
            .map(|h| revoscope::hex::encode(h))
            .collect(),
        file,
    };
    if args.json {
        print_json(&out)?;
    } else {
        print(&dump_text(&out, now))?;
    }
    Ok(Exit::Clear)
}

fn dump_text(out: &Dump, now: UnixTime) -> String {
    let mut text = format!(
        "file:       {}\nsequence:   {}\n",
        out.file.display(),
        out.info.sequence
    );
    let when = |t: u64| {
        if now.0 >= t {
            format!("{} ago", describe_duration(now.0 - t))
        } else {
            format!("in {}", describe_duration(t - now.0))
        }
    };
    match out.info.not_after {
        Some(t) if out.expired => {
            text += &format!("not after:  {} (expired, {})\n", UnixTime(t), when(t))
        }
        Some(t) => text += &format!("not after:  {} ({})\n", UnixTime(t), when(t)),
        None => text += "not after:  none (never expires)\n",
    }
    if let Some(fetched) = out.fetched {
        text += &format!("fetched:    {} ({})\n", UnixTime(fetched), when(fetched));
    }
    if let Some(version) = &out.version {
        text += &format!("version:    {version}\n");
    }
    if let Some(source) = &out.source {
        text += &format!("source:     {source}\n");
    }
    text += &format!(
        "parents:    {} ({} serials)\n",
        out.info.parents, out.info.serials
    );
    for p in &out.parent_serials {
        text += &format!("  {} {} serials\n", p.spki_sha256, p.serials);
    }
    text += &format!("blocked:    {} SPKIs\n", out.info.blocked_spkis);
    for h in &out.blocked_spki_sha256 {
        text += &format!("  {h}\n");
    }
    text += &format!(
        "interception keys: {}; limited subjects: {}\n",
        out.info.known_interception_spkis, out.info.limited_subjects
    );
    text
}
