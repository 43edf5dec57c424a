//! `revoscope crlite sync` and `revoscope crlite query`: the engine's CRLite
//! sync (`crlite::sync::run`, the extension's too) with the CLI's HTTP
//! client, and a directory that keeps the set between runs:
//!
//! - `records.json`: the verified cert-revocations records, a dump (the
//!   base of the next, incremental, sync);
//! - `<sha256>.filter`: each filter file, named by its content;
//! - `index.json`: which files make the set in force, and when it was
//!   installed ([`StoredIndex`]).
//!
//! A sync writes the new files first, then the index (the switch to the new
//! set), then the records, each through a temporary file and a rename; it
//! removes the files the new index no longer names last. A sync that fails
//! writes nothing, so the set in force stays as it was.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use revoscope::crlite::records::Skipped;
use revoscope::crlite::sync::{self as crlite_sync, StoredIndex, Synced};
use revoscope::crlite::{CrliteStatus, FilterKind, FilterSet, FilterSetInfo, Lookup};
use revoscope::limits::{MAX_CRLITE_FILTER_LEN, MAX_SNAPSHOT_LEN};
use revoscope::remote_settings::{Collection, Signer};
use revoscope::time::describe_duration;
use revoscope::{Cert, UnixTime};

use super::args::{CrliteQueryArgs, CrliteSyncArgs};
use super::progress::Progress;
use super::sync::{blocking, write_atomically, CliHost, Client};
use super::verify::{trust, write_requests, write_signer, ErrorJson, TrustJson};
use super::{input, note, print, print_json, CliError, Exit};

/// An index names a handful of files; a larger one is not ours.
const MAX_INDEX_LEN: usize = 1024 * 1024;

/// The files of a kept filter set.
struct Store<'a> {
    dir: &'a Path,
    /// The flag that named the directory, for messages.
    flag: &'static str,
}

impl Store<'_> {
    fn index_path(&self) -> PathBuf {
        self.dir.join("index.json")
    }

    fn records_path(&self) -> PathBuf {
        self.dir.join("records.json")
    }

    /// `None` for anything but a SHA-256 in lower-case hex: an index edited
    /// by hand must not name a path outside the directory.
    fn filter_path(&self, hash: &str) -> Option<PathBuf> {
        let sha256 =
            hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        sha256.then(|| self.dir.join(format!("{hash}.filter")))
    }

    /// A filter file's bytes, if it is there and readable.
    fn filter(&self, hash: &str) -> Option<Vec<u8>> {
        let path = self.filter_path(hash)?;
        input::read(self.flag, &path, MAX_CRLITE_FILTER_LEN).ok()
    }

    /// The index in force, `None` when there is none yet.
    fn index(&self) -> Result<Option<StoredIndex>, CliError> {
        let path = self.index_path();
        if !path.exists() {
            return Ok(None);
        }
        let json = input::read(self.flag, &path, MAX_INDEX_LEN)?;
        StoredIndex::from_json(&json)
            .map(Some)
            .map_err(|e| input::in_file(self.flag, &path, format_args!("{e} ({})", e.code())))
    }

    /// The records kept by the last sync, `None` when there are none yet.
    fn records(&self) -> Result<Option<Collection>, CliError> {
        let path = self.records_path();
        if !path.exists() {
            return Ok(None);
        }
        let json = input::read(self.flag, &path, MAX_SNAPSHOT_LEN)?;
        Collection::from_dump_json(&json)
            .map(Some)
            .map_err(|e| input::in_file(self.flag, &path, e))
    }

    /// Every file the index names is there, whole: its size and SHA-256
    /// are the index's. (A sync can afford the hashing that loading skips,
    /// and a damaged file is then downloaded again.)
    fn complete(&self, index: &StoredIndex) -> bool {
        index.filters.iter().all(|f| {
            self.filter(&f.hash).is_some_and(|bytes| {
                bytes.len() as u64 == f.size
                    && revoscope::hex::encode(&Sha256::digest(&bytes)) == f.hash
            })
        })
    }

    /// The set the index makes.
    fn load(&self, index: &StoredIndex) -> Result<FilterSet, CliError> {
        index
            .load(&mut |hash| self.filter(hash))
            .map_err(|e| input::in_file(self.flag, self.dir, format_args!("{e} ({})", e.code())))
    }

    /// Removes the `.filter` files `index` does not name; returns their names.
    fn prune(&self, index: &StoredIndex) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.dir) else {
            return Vec::new();
        };
        let mut removed = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(hash) = name.strip_suffix(".filter") else {
                continue;
            };
            if self.filter_path(hash).is_some()
                && index.hashes().all(|kept| kept != hash)
                && fs::remove_file(entry.path()).is_ok()
            {
                removed.push(name);
            }
        }
        removed.sort();
        removed
    }
}

/// The set kept in `dir` (named by `flag`), for `crlite query` and
/// `inspect --crlite-dir`.
pub fn load(flag: &'static str, dir: &Path) -> Result<FilterSet, CliError> {
    let store = Store { dir, flag };
    match store.index()? {
        Some(index) => store.load(&index),
        None => Err(CliError::input(format!(
            "{flag} {}: no CRLite filter set (no index.json); run revoscope crlite sync --dir {}",
            dir.display(),
            dir.display()
        ))),
    }
}

pub fn sync(args: &CrliteSyncArgs) -> Result<Exit, CliError> {
    let now = input::time(None)?;
    let trust = trust(&args.trust);
    let store = Store {
        dir: &args.dir,
        flag: "--dir",
    };
    fs::create_dir_all(&args.dir)
        .map_err(|e| CliError::input(format!("cannot create --dir {}: {e}", args.dir.display())))?;
    // What is kept but unusable is set aside, as Firefox starts over when its
    // store is damaged: the sync then fetches what it needs again.
    let base = store.records().unwrap_or_else(|e| {
        note(&format!("{e}; fetching every record again"));
        None
    });
    let kept = store.index().unwrap_or_else(|e| {
        note(&format!("{e}; installing the set again"));
        None
    });
    let current = kept.filter(|index| {
        let complete = store.complete(index);
        if !complete {
            note("a file of the kept set is missing or damaged; installing the set again, downloading what is not whole");
        }
        complete
    });
    // The OneCRL the signer's chain must not be revoked by: the built-in one.
    let onecrl = input::snapshot(None)?;
    let mut host = CliHost {
        client: Client {
            deadline: Instant::now() + args.timeout,
            requests: Vec::new(),
            progress: Progress::new("crlite sync", args.json),
        },
        onecrl: &onecrl,
        trust: &trust,
        now,
    };
    let mut held = |hash: &str| store.filter(hash);
    let run = crlite_sync::run(
        &mut host,
        &args.from,
        &args.channel,
        base.as_ref(),
        current.as_ref(),
        &mut held,
        now,
    );
    let outcome = blocking(run);
    host.client.progress.finish();

    let mut report = SyncReport {
        status: "failed",
        server: &args.from,
        channel: &args.channel,
        dir: &args.dir,
        records: base.as_ref().map(|b| RecordsJson {
            timestamp: b.timestamp,
            count: b.len(),
            fetched: "none",
        }),
        set: None,
        filters: Vec::new(),
        downloaded: Downloaded::default(),
        removed: Vec::new(),
        skipped: Vec::new(),
        signer: None,
        trust: TrustJson::new(&trust, &args.trust),
        error: None,
        requests: Vec::new(),
    };
    match outcome {
        Ok(synced) => {
            let in_force = install(&store, &synced, current.as_ref(), now)?;
            report.status = if synced.installed.is_some() {
                "updated"
            } else {
                "up-to-date"
            };
            report.records = Some(RecordsJson {
                timestamp: synced.collection.timestamp,
                count: synced.collection.len(),
                fetched: match &synced.records {
                    None => "none",
                    Some(updated) if updated.incremental => "changes",
                    Some(_) => "all",
                },
            });
            report.signer = synced.signer().cloned();
            report.skipped = synced.selection.skipped.clone();
            if let Some(installed) = &synced.installed {
                report.downloaded = Downloaded {
                    files: installed.downloaded.len(),
                    bytes: installed.downloaded.iter().map(|(_, b)| b.len()).sum(),
                };
                report.removed = store.prune(&installed.index);
            }
            let downloaded: Vec<&str> = synced
                .installed
                .iter()
                .flat_map(|i| i.downloaded.iter().map(|(hash, _)| hash.as_str()))
                .collect();
            report.filters = filter_lines(in_force.as_ref().map(|(index, _)| index), &downloaded);
            report.set = in_force.map(|(_, info)| info);
        }
        Err(e) => {
            report.error = Some(ErrorJson {
                code: e.code(),
                message: e.to_string(),
            });
            // What still answers: the set in force before the sync.
            if let Some(index) = &current {
                match store.load(index) {
                    Ok(set) => {
                        report.set = Some(set.info(now));
                        report.filters = filter_lines(Some(index), &[]);
                    }
                    Err(e) => note(&e.to_string()),
                }
            }
        }
    }
    report.requests = host.client.requests;
    ErrorJson::finish(&report, report.error.as_ref(), args.json, "crlite sync")
}

/// Writes what a sync brought, in the order that keeps a set in force
/// whatever fails: new files, the index, the records. Returns the index in
/// force (the new one, else `current`) and its set's summary at `now`.
fn install(
    store: &Store<'_>,
    synced: &Synced,
    current: Option<&StoredIndex>,
    now: UnixTime,
) -> Result<Option<(StoredIndex, FilterSetInfo)>, CliError> {
    let cannot = |path: &Path, e: std::io::Error| {
        CliError::input(format!("cannot write {}: {e}", path.display()))
    };
    let in_force = match &synced.installed {
        Some(installed) => {
            for (hash, bytes) in &installed.downloaded {
                // The engine checked the hash against the signed record.
                let path = store.filter_path(hash).ok_or_else(|| {
                    CliError::input(format!("the record's hash {hash:?} names no file"))
                })?;
                write_atomically(&path, bytes).map_err(|e| cannot(&path, e))?;
            }
            let path = store.index_path();
            write_atomically(&path, installed.index.to_json().as_bytes())
                .map_err(|e| cannot(&path, e))?;
            Some((installed.index.clone(), installed.set.info(now)))
        }
        None => match current {
            Some(index) => Some((index.clone(), store.load(index)?.info(now))),
            None => None,
        },
    };
    if let Some(updated) = &synced.records {
        let path = store.records_path();
        write_atomically(&path, updated.verified.dump.as_bytes()).map_err(|e| cannot(&path, e))?;
    }
    Ok(in_force)
}

fn filter_lines(index: Option<&StoredIndex>, downloaded: &[&str]) -> Vec<FilterLine> {
    index
        .map(|index| {
            index
                .filters
                .iter()
                .map(|f| FilterLine {
                    id: f.meta.id.clone(),
                    kind: f.meta.kind,
                    effective: UnixTime::from_millis(f.meta.effective_ms).to_string(),
                    sha256: f.hash.clone(),
                    size: f.size,
                    downloaded: downloaded.contains(&f.hash.as_str()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How a sync went: the `--json` output.
#[derive(Serialize)]
struct SyncReport<'a> {
    /// "updated" (a new set is in force), "up-to-date" or "failed".
    status: &'static str,
    server: &'a str,
    channel: &'a str,
    dir: &'a Path,
    /// The records in force now; null when none are.
    records: Option<RecordsJson>,
    /// The set in force now (after a failure: the one kept before).
    set: Option<FilterSetInfo>,
    /// Its filters, full first.
    filters: Vec<FilterLine>,
    downloaded: Downloaded,
    /// Files removed because the new set no longer names them.
    removed: Vec<String>,
    /// Records not used, and why.
    skipped: Vec<Skipped>,
    signer: Option<Signer>,
    trust: TrustJson,
    error: Option<ErrorJson>,
    requests: Vec<revoscope::remote_settings::sync::Fetched>,
}

#[derive(Serialize)]
struct RecordsJson {
    timestamp: u64,
    count: usize,
    /// What this sync fetched: "all", "changes" (since the kept records), or "none".
    fetched: &'static str,
}

#[derive(Serialize)]
struct FilterLine {
    id: String,
    kind: FilterKind,
    effective: String,
    sha256: String,
    size: u64,
    /// Fetched by this sync (else already kept).
    downloaded: bool,
}

#[derive(Default, Serialize)]
struct Downloaded {
    files: usize,
    bytes: usize,
}

impl fmt::Display for SyncReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error, &self.set) {
            (Some(e), _) => {
                writeln!(f, "status:     failed ({})", e.code)?;
                writeln!(f, "why:        {}", e.message)?;
            }
            (None, Some(set)) => writeln!(
                f,
                "status:     {}: full filter {} and {} deltas",
                self.status, set.full_id, set.deltas
            )?,
            (None, None) => writeln!(f, "status:     {}", self.status)?,
        }
        writeln!(f, "server:     {}", self.server)?;
        writeln!(f, "channel:    {}", self.channel)?;
        match &self.records {
            Some(r) => writeln!(
                f,
                "records:    {} at {} ({} ms); fetched: {}",
                r.count,
                UnixTime::from_millis(r.timestamp),
                r.timestamp,
                r.fetched
            )?,
            None => writeln!(f, "records:    none kept")?,
        }
        match &self.set {
            Some(set) => {
                let in_force = if self.error.is_some() {
                    "still in force"
                } else {
                    "in force"
                };
                writeln!(f, "set:        {in_force}: {}", SetLine(set))?;
            }
            None => writeln!(f, "set:        none in force")?,
        }
        for line in &self.filters {
            writeln!(
                f,
                "  {:<5} {}  effective {}  {} B{}",
                if line.kind == FilterKind::Full {
                    "full"
                } else {
                    "delta"
                },
                line.id,
                line.effective,
                line.size,
                if line.downloaded {
                    "  (downloaded)"
                } else {
                    ""
                }
            )?;
        }
        writeln!(
            f,
            "downloaded: {} files, {} bytes",
            self.downloaded.files, self.downloaded.bytes
        )?;
        if !self.removed.is_empty() {
            writeln!(f, "removed:    {}", self.removed.join(", "))?;
        }
        for (i, skipped) in self.skipped.iter().enumerate() {
            let label = if i == 0 { "skipped:" } else { "" };
            writeln!(f, "{label:<12}{}: {}", skipped.id, skipped.why)?;
        }
        if let Some(signer) = &self.signer {
            write_signer(f, signer)?;
        }
        writeln!(f, "trust:      {}", self.trust)?;
        writeln!(f, "dir:        {}", self.dir.display())?;
        write_requests(f, &self.requests)
    }
}

/// `full X of DATE, N deltas (newest DATE), installed DATE (AGE ago), fresh`.
struct SetLine<'a>(&'a FilterSetInfo);

impl fmt::Display for SetLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        write!(
            f,
            "full {} of {}, {} deltas (newest {}), installed {} ({} ago), {}",
            s.full_id,
            s.full_effective,
            s.deltas,
            s.newest_effective,
            s.installed_at,
            describe_duration(s.age_secs),
            if s.stale {
                "stale: counts as no filter"
            } else {
                "fresh"
            }
        )
    }
}

pub fn query(args: &CrliteQueryArgs) -> Result<Exit, CliError> {
    let time = input::time(args.at.as_deref())?;
    let certs = input::certificates("--cert", &args.cert)?;
    let leaf_der = certs
        .first()
        .ok_or_else(|| input::in_file("--cert", &args.cert, "no certificate"))?;
    let leaf = Cert::from_der(leaf_der).map_err(|e| input::in_file("--cert", &args.cert, e))?;
    let issuer = match &args.issuer {
        Some(path) => input::first_certificate("--issuer", path)?,
        None => {
            let der = certs.get(1).ok_or_else(|| {
                CliError::usage(format!(
                    "--cert {} holds one certificate: give its issuer with --issuer FILE",
                    args.cert.display()
                ))
            })?;
            Cert::from_der(der).map_err(|e| input::in_file("--cert", &args.cert, e))?
        }
    };
    // The key is the issuer's SPKI: the wrong issuer would get a wrong answer.
    if leaf.issuer_der != issuer.subject_der {
        return Err(CliError::input(format!(
            "the issuer given ({}) is not the certificate's issuer ({})",
            issuer.subject, leaf.issuer
        )));
    }
    let set = load("--dir", &args.dir)?;
    let info = set.info(time);
    let filters_say = set.lookup(&leaf, &issuer);
    // Past ten days without an install Firefox treats the set as absent.
    let lookup = if info.stale {
        Lookup {
            status: CrliteStatus::NoFilter,
            filter: None,
        }
    } else {
        filters_say.clone()
    };
    let issuer_hash = issuer.spki.sha256();
    let scts = leaf
        .scts
        .iter()
        .map(|sct| SctJson {
            log_id: revoscope::hex::encode(&sct.log_id),
            timestamp_ms: sct.timestamp_ms,
            timestamp: UnixTime::from_millis(sct.timestamp_ms).to_string(),
            covered: set
                .query(issuer_hash, &leaf.serial, std::slice::from_ref(sct))
                .status
                != CrliteStatus::NotCovered,
        })
        .collect();
    let answer = QueryJson {
        status: lookup.status,
        filter: lookup.filter,
        filters_say: info.stale.then_some(filters_say),
        subject: &leaf.subject,
        issuer: &leaf.issuer,
        serial_hex: leaf.serial_hex(),
        issuer_spki_sha256: revoscope::hex::encode(issuer_hash),
        scts,
        sct_list_error: leaf.sct_list_error.as_deref(),
        set: info,
        evaluated_at: time.to_string(),
    };
    if args.json {
        print_json(&answer)?;
    } else {
        print(&answer.to_string())?;
    }
    Ok(if answer.status == CrliteStatus::RevokedInFilter {
        Exit::Block
    } else {
        Exit::Clear
    })
}

/// The `--json` form of `crlite query`.
#[derive(Serialize)]
struct QueryJson<'a> {
    /// Firefox's crlite_status label.
    status: CrliteStatus,
    /// The filter that decided, when one did.
    filter: Option<String>,
    /// When the set is stale: what its filters would have said.
    #[serde(skip_serializing_if = "Option::is_none")]
    filters_say: Option<Lookup>,
    subject: &'a str,
    issuer: &'a str,
    serial_hex: String,
    issuer_spki_sha256: String,
    scts: Vec<SctJson>,
    sct_list_error: Option<&'a str>,
    set: FilterSetInfo,
    evaluated_at: String,
}

#[derive(Serialize)]
struct SctJson {
    log_id: String,
    timestamp_ms: u64,
    timestamp: String,
    /// A log and time the filters cover.
    covered: bool,
}

impl fmt::Display for QueryJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = self
            .filter
            .as_deref()
            .map(|id| format!(" (filter {id})"))
            .unwrap_or_default();
        writeln!(f, "status:     {}{by}", self.status)?;
        if let Some(said) = &self.filters_say {
            writeln!(
                f,
                "            the set is stale; its filters say {}",
                said.status
            )?;
        }
        writeln!(f, "subject:    {}", self.subject)?;
        writeln!(f, "issuer:     {}", self.issuer)?;
        writeln!(f, "serial:     {}", self.serial_hex)?;
        writeln!(
            f,
            "key:        issuer SPKI sha256 {}",
            self.issuer_spki_sha256
        )?;
        writeln!(f, "set:        {}", SetLine(&self.set))?;
        let c = &self.set.coverage;
        writeln!(
            f,
            "coverage:   {} CT logs{}; {} enrolled issuers",
            c.logs,
            match (c.earliest_ms, c.latest_ms) {
                (Some(from), Some(to)) => format!(
                    ", {} to {}",
                    UnixTime::from_millis(from),
                    UnixTime::from_millis(to)
                ),
                _ => String::new(),
            },
            self.set.enrolled_issuers
        )?;
        if let Some(why) = self.sct_list_error {
            writeln!(
                f,
                "SCTs:       none usable: the SCT list could not be read: {why}"
            )?;
        } else if self.scts.is_empty() {
            writeln!(f, "SCTs:       none embedded")?;
        } else {
            writeln!(f, "SCTs:")?;
            for sct in &self.scts {
                writeln!(
                    f,
                    "  log {} at {}: {}",
                    sct.log_id,
                    sct.timestamp,
                    if sct.covered {
                        "covered"
                    } else {
                        "not covered"
                    }
                )?;
            }
        }
        writeln!(f, "checked at: {}", self.evaluated_at)
    }
}
