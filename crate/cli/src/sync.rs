//! `revoscope onecrl sync`: the engine's sync flow (`remote_settings::sync::run`,
//! the extension's too) with the CLI's HTTP client, each body capped, all
//! under one deadline. The engine judges what comes back; this writes the
//! verified collection, and only it, to `--out`.

use std::fmt;
use std::fs::{self, File};
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use std::task::Poll;

use revoscope::limits::MAX_SNAPSHOT_LEN;
use revoscope::remote_settings::sync::{self, Fetched, HttpGet, Sync, SyncHost, Updated, Verified};
use revoscope::remote_settings::{Changeset, Collection, SignatureRef, Signer, SyncError, Trust};
use revoscope::verify::ledger::poll_once;
use revoscope::verify::RustCrypto;
use revoscope::{Snapshot, UnixTime};

use super::args::SyncArgs;
use super::http::{self, HttpError};
use super::progress::Progress;
use super::verify::{trust, write_requests, write_signer, ErrorJson, TrustJson};
use super::{input, note, CliError, Exit};

pub fn run(args: &SyncArgs) -> Result<Exit, CliError> {
    let now = input::time(None)?;
    let trust = trust(&args.trust);
    let base = match &args.base {
        // A first sync with `--base FILE --out FILE`, as --ocsp-cache starts.
        Some(path) if !path.exists() => {
            note(&format!(
                "--base {} does not exist yet: fetching the whole collection",
                path.display()
            ));
            None
        }
        Some(path) => {
            let json = input::read("--base", path, MAX_SNAPSHOT_LEN)?;
            let collection =
                Collection::from_dump_json(&json).map_err(|e| input::in_file("--base", path, e))?;
            let snapshot =
                Snapshot::from_json(&json).map_err(|e| input::in_file("--base", path, e))?;
            Some((collection, snapshot))
        }
        None => None,
    };
    // The OneCRL in force, which the signer's chain must not be revoked by:
    // the base's, else the snapshot built in (what inspect uses).
    let bundled;
    let onecrl = match &base {
        Some((_, snapshot)) => snapshot,
        None => {
            bundled = input::snapshot(None)?;
            &bundled
        }
    };
    let base = base.as_ref().map(|(collection, _)| collection);

    let mut host = CliHost {
        client: Client {
            deadline: Instant::now() + args.timeout,
            requests: Vec::new(),
            progress: Progress::new("onecrl sync", args.json),
        },
        onecrl,
        trust: &trust,
        now,
    };
    let outcome = run_sync(&mut host, &args.from, base);
    host.client.progress.finish();
    let mut report = Report {
        status: "failed",
        server: &args.from,
        timestamp: base.map(|b| b.timestamp),
        records: base.map(Collection::len),
        base_timestamp: base.map(|b| b.timestamp),
        incremental: false,
        signer: None,
        trust: TrustJson::new(&trust, &args.trust),
        written: None,
        error: None,
        requests: host.client.requests,
    };
    match outcome {
        Ok(None) => report.status = "up-to-date",
        Ok(Some(Updated {
            verified,
            incremental,
        })) => {
            if let Some(out) = &args.out {
                write_atomically(out, verified.dump.as_bytes())
                    .map_err(|e| input::in_file("--out", out, format_args!("cannot write: {e}")))?;
                report.written = Some(out.clone());
            }
            report.status = "updated";
            report.timestamp = Some(verified.collection.timestamp);
            report.records = Some(verified.collection.len());
            report.incremental = incremental;
            report.signer = Some(verified.signer);
        }
        Err(e) => {
            report.error = Some(ErrorJson {
                code: e.code(),
                message: e.to_string(),
            });
        }
    }
    ErrorJson::finish(&report, report.error.as_ref(), args.json, "onecrl sync")
}

/// A sync's requests, made one after another under one deadline.
pub(super) struct Client {
    pub(super) deadline: Instant,
    pub(super) requests: Vec<Fetched>,
    pub(super) progress: Progress,
}

impl Client {
    /// GET `url`, at most `max` bytes, 2xx only.
    pub(super) fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        let mut record = Fetched {
            url: url.into(),
            status: None,
            bytes: 0,
        };
        self.progress.request(url);
        let progress = &self.progress;
        let result = match http::get(url, max, self.deadline, &mut |got, of| {
            progress.body(got, of)
        }) {
            Ok(response) => {
                record.status = Some(response.status);
                if (200..300).contains(&response.status) {
                    record.bytes = response.body.len();
                    Ok(response.body)
                } else {
                    Err(SyncError::HttpStatus {
                        url: url.into(),
                        status: response.status,
                    })
                }
            }
            Err(e) => Err(sync_error(url, max, e)),
        };
        self.requests.push(record);
        result
    }
}

fn sync_error(url: &str, max: usize, e: HttpError) -> SyncError {
    match e {
        HttpError::TooLarge { len } => SyncError::TooLarge {
            len,
            max: max as u64,
        },
        HttpError::Truncated(why) => SyncError::Truncated(format!("{url}: {why}")),
        HttpError::Timeout => SyncError::Network {
            url: url.into(),
            why: "no answer before the sync's deadline (--timeout)".into(),
        },
        other => SyncError::Network {
            url: url.into(),
            why: other.to_string(),
        },
    }
}

/// The CLI's side of a sync: its blocking HTTP client, and RustCrypto.
pub(super) struct CliHost<'a> {
    pub(super) client: Client,
    pub(super) onecrl: &'a Snapshot,
    pub(super) trust: &'a Trust,
    pub(super) now: UnixTime,
}

impl HttpGet for Client {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        Client::get(self, url, max)
    }
}

impl HttpGet for CliHost<'_> {
    async fn get(&mut self, url: &str, max: usize) -> Result<Vec<u8>, SyncError> {
        self.client.get(url, max)
    }
}

impl SyncHost for CliHost<'_> {
    async fn verify(
        &mut self,
        base: Option<&Collection>,
        changeset: &Changeset,
        chain: &dyn Fn(&SignatureRef) -> Result<Vec<u8>, SyncError>,
    ) -> Result<Verified, SyncError> {
        sync::verify_update(
            base,
            changeset,
            chain,
            self.trust,
            self.now,
            Some(self.onecrl),
            &RustCrypto,
        )
    }
}

/// Runs the engine's sync flow with the blocking host.
fn run_sync(
    host: &mut CliHost<'_>,
    server: &str,
    base: Option<&Collection>,
) -> Result<Option<Updated>, SyncError> {
    blocking(sync::run(host, &Sync::onecrl(server), base))
}

/// Runs one of the engine's sync flows with a blocking host: nothing in it
/// ever waits, so it completes on its first poll.
pub(super) fn blocking<F: Future>(flow: F) -> F::Output {
    match poll_once(std::pin::pin!(flow)) {
        Poll::Ready(outcome) => outcome,
        Poll::Pending => unreachable!("the CLI's sync host never waits"),
    }
}

/// Writes `bytes` to `path` through `path.tmp` and a rename, so that a
/// failure leaves the previous file whole.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = File::create(&tmp)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// How a sync went: the `--json` output.
#[derive(Serialize)]
struct Report<'a> {
    /// "updated", "up-to-date" or "failed".
    status: &'static str,
    server: &'a str,
    /// The timestamp in force now (the base's unless updated); null when
    /// nothing is.
    timestamp: Option<u64>,
    records: Option<usize>,
    /// The `--base` collection's timestamp.
    base_timestamp: Option<u64>,
    /// Updated from only the changes since the base.
    incremental: bool,
    signer: Option<Signer>,
    trust: TrustJson,
    /// The file written (`--out`), when one was.
    written: Option<PathBuf>,
    error: Option<ErrorJson>,
    requests: Vec<Fetched>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error, self.status) {
            (Some(e), _) => {
                writeln!(f, "status:     failed ({})", e.code)?;
                writeln!(f, "why:        {}", e.message)?;
            }
            (None, "updated") if self.incremental => writeln!(
                f,
                "status:     updated, incrementally (the changes since {})",
                self.base_timestamp.unwrap_or_default()
            )?,
            (None, "updated") => writeln!(f, "status:     updated, the whole collection")?,
            (None, status) => writeln!(f, "status:     {status}")?,
        }
        writeln!(f, "server:     {}", self.server)?;
        match self.timestamp {
            Some(t) => {
                let unchanged = if self.status == "updated" {
                    ""
                } else {
                    " (unchanged)"
                };
                writeln!(
                    f,
                    "timestamp:  {} ({t} ms){unchanged}",
                    UnixTime::from_millis(t)
                )?;
                writeln!(f, "records:    {}", self.records.unwrap_or_default())?;
            }
            None => writeln!(f, "timestamp:  none in force")?,
        }
        if let Some(signer) = &self.signer {
            write_signer(f, signer)?;
        }
        writeln!(f, "trust:      {}", self.trust)?;
        match &self.written {
            Some(path) => writeln!(f, "written:    {}", path.display())?,
            None => writeln!(f, "written:    nothing")?,
        }
        write_requests(f, &self.requests)
    }
}
