//! `revoscope onecrl stats` and `revoscope onecrl lookup`.

use std::fmt;

use serde::Serialize;

use revoscope::onecrl::{Record, RejectedRecord, SnapshotStats};
use revoscope::{Snapshot, UnixTime};

use super::args::{LookupArgs, StatsArgs};
use super::{input, print, print_json, token, CliError, Exit};

pub fn stats(args: &StatsArgs) -> Result<Exit, CliError> {
    let snapshot = input::snapshot(args.onecrl.as_deref())?;
    let stats = StatsJson {
        stats: snapshot.stats(),
        rejected_records: &snapshot.rejected,
    };
    if args.json {
        print_json(&stats)?;
    } else {
        print(&stats.to_string())?;
    }
    Ok(Exit::Clear)
}

pub fn lookup(args: &LookupArgs) -> Result<Exit, CliError> {
    let cert = input::first_certificate("--cert", &args.cert)?;
    let snapshot = input::snapshot(args.onecrl.as_deref())?;
    let record = snapshot.lookup(&cert);
    let answer = LookupJson {
        listed: record.is_some(),
        record,
        subject: &cert.subject,
        issuer: &cert.issuer,
        serial_hex: cert.serial_hex(),
    };
    if args.json {
        print_json(&answer)?;
    } else {
        print(
            &LookupReport {
                answer: &answer,
                snapshot: &snapshot,
            }
            .to_string(),
        )?;
    }
    Ok(if answer.listed {
        Exit::Block
    } else {
        Exit::Clear
    })
}

/// The `--json` form of `stats`: the counts, then every rejected record.
#[derive(Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    stats: SnapshotStats,
    rejected_records: &'a [RejectedRecord],
}

impl fmt::Display for StatsJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stats;
        writeln!(
            f,
            "timestamp:  {} ({} ms)",
            UnixTime::from_millis(s.timestamp),
            s.timestamp
        )?;
        writeln!(f, "shape:      {}", token(&s.shape))?;
        writeln!(f, "records:    {}", s.records)?;
        writeln!(f, "  by issuer and serial:      {}", s.issuer_serial)?;
        writeln!(f, "  by subject and public key: {}", s.subject_pubkey_hash)?;
        writeln!(
            f,
            "disabled:   {} (\"enabled\": false; Firefox still enforces them)",
            s.disabled
        )?;
        writeln!(f, "deleted:    {}", s.deleted)?;
        writeln!(f, "rejected:   {}", s.rejected)?;
        for rejected in self.rejected_records {
            writeln!(
                f,
                "  #{} {}: {}",
                rejected.index,
                rejected.id.as_deref().unwrap_or("(no id)"),
                rejected.why
            )?;
        }
        Ok(())
    }
}

/// The `--json` form of `lookup`.
#[derive(Serialize)]
struct LookupJson<'a> {
    listed: bool,
    record: Option<&'a Record>,
    subject: &'a str,
    issuer: &'a str,
    serial_hex: String,
}

struct LookupReport<'a> {
    answer: &'a LookupJson<'a>,
    snapshot: &'a Snapshot,
}

impl fmt::Display for LookupReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = self.answer;
        writeln!(f, "subject:   {}", answer.subject)?;
        writeln!(f, "issuer:    {}", answer.issuer)?;
        writeln!(f, "serial:    {}", answer.serial_hex)?;
        writeln!(
            f,
            "snapshot:  OneCRL of {}, {} records",
            UnixTime::from_millis(self.snapshot.timestamp_ms),
            self.snapshot.records().len()
        )?;
        let Some(record) = answer.record else {
            return writeln!(f, "listed:    no");
        };
        writeln!(f, "listed:    yes")?;
        writeln!(f, "  id:      {}", record.id)?;
        writeln!(f, "  kind:    {}", token(&record.kind))?;
        if record.enabled {
            writeln!(f, "  enabled: true")?;
        } else {
            writeln!(
                f,
                "  enabled: false (Firefox ignores the flag: the certificate is still revoked)"
            )?;
        }
        writeln!(f, "  bug:     {}", record.bug.as_deref().unwrap_or("-"))?;
        writeln!(f, "  why:     {}", record.why.as_deref().unwrap_or("-"))
    }
}
