//! Writes the demo PKI: a root, an intermediate, a root + intermediate
//! pair carrying a real OneCRL entry, and one leaf per demo site, with an
//! `openssl ocsp` index for the intermediate's leaves. Used by
//! `scripts/demo/sites.mjs` (`npm start` and the browser tests).
//!
//! The CRLite sites' leaves embed an SCT from a synthetic log; beside the
//! PKI goes `crlite-spec.json`, the filter set that covers them (a full
//! filter and two deltas, the second revoking `crlite-revoked`), for
//! `make_crlite_filters` to build.
//!
//! The CRL sites' leaves name no OCSP responder, only a CRL Distribution
//! Point naming one shard of the intermediate's partitioned CRL (as Let's
//! Encrypt's do): `{--crl-url}int-1.crl` or `int-2.crl`. The CRLs are not
//! made here but by `openssl ca -gencrl` (scripts/demo/sites.mjs), from the
//! per-shard databases `crl-N.index` this writes: a second implementation.
//!
//! ```text
//! cargo run -q -p revoscope --example make_demo_pki -- OUTDIR --now UNIX_SECS \
//!     --ocsp-url http://127.0.0.1:PORT/ --dead-ocsp-url http://127.0.0.1:PORT2/ \
//!     --crl-url http://127.0.0.1:PORT3/crl/
//! ```
//!
//! Every date is relative to `--now`; keys are the deterministic test keys
//! (labels "demo-..."), public test material that protects nothing. Serials
//! carry `--now` so that two runs never issue different certificates under
//! the same issuer and serial (Firefox refuses that), except the OneCRL
//! intermediate, whose serial is the real record's.

#[path = "../tests/support/pki.rs"]
mod pki;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use der::{Decode, Encode};
use x509_cert::name::Name;

use pki::{issue, key, key_pem, pem, Spec, DAY};

const HOUR: u64 = 3_600;
const DOMAIN: &str = "revoscope.test";

struct Args {
    out: PathBuf,
    now: u64,
    ocsp_url: String,
    dead_ocsp_url: String,
    /// Where the CRL shards are served, ending in `/`.
    crl_url: String,
}

fn usage() -> ! {
    eprintln!(
        "usage: make_demo_pki OUTDIR --now UNIX_SECS --ocsp-url URL --dead-ocsp-url URL --crl-url URL"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let (mut out, mut now, mut ocsp_url, mut dead_ocsp_url, mut crl_url) =
        (None, None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--now" => now = Some(value().parse::<u64>().unwrap_or_else(|_| usage())),
            "--ocsp-url" => ocsp_url = Some(value()),
            "--dead-ocsp-url" => dead_ocsp_url = Some(value()),
            "--crl-url" => crl_url = Some(value()),
            "-h" | "--help" => usage(),
            s if s.starts_with('-') || out.is_some() => usage(),
            _ => out = Some(PathBuf::from(arg)),
        }
    }
    match (out, now, ocsp_url, dead_ocsp_url, crl_url) {
        (Some(out), Some(now), Some(ocsp_url), Some(dead_ocsp_url), Some(crl_url))
            if crl_url.ends_with('/') =>
        {
            Args {
                out,
                now,
                ocsp_url,
                dead_ocsp_url,
                crl_url,
            }
        }
        _ => usage(),
    }
}

/// `YYMMDDHHMMSSZ`, as the CA database (`index.txt`) writes times.
fn index_time(secs: u64) -> String {
    let t = der::DateTime::from_unix_duration(Duration::from_secs(secs)).expect("a valid time");
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        t.year() % 100,
        t.month(),
        t.day(),
        t.hour(),
        t.minutes(),
        t.seconds()
    )
}

/// One line of an `openssl ca` database (the responder's `index.txt`, a CRL
/// shard's): the certificate valid, or revoked an hour ago for keyCompromise.
fn index_line(spec: &Spec, hex: &str, host: &str, revoked: bool, now: u64) -> String {
    let (status, revocation) = if revoked {
        ("R", format!("{},keyCompromise", index_time(now - HOUR)))
    } else {
        ("V", String::new())
    };
    format!(
        "{status}\t{}\t{revocation}\t{hex}\tunknown\t/CN={host}\n",
        index_time(spec.not_after)
    )
}

/// The serial as `openssl` prints it (BN_bn2hex): uppercase, whole octets,
/// no leading zero octet.
fn serial_hex(serial: &[u8]) -> String {
    let first = serial
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(serial.len() - 1);
    serial[first..].iter().map(|b| format!("{b:02X}")).collect()
}

fn write(dir: &Path, path: &str, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("file paths have a parent"))?;
    std::fs::write(path, bytes)
}

/// Which CA issues a site's leaf.
#[derive(Clone, Copy, PartialEq)]
enum Issuer {
    Int,
    OneCrlInt,
}

/// How the leaf's OCSP URL is set.
#[derive(Clone, Copy)]
enum Ocsp {
    Live,
    Dead,
    None,
}

struct Site {
    name: &'static str,
    issuer: Issuer,
    lifetime: u64,
    ocsp: Ocsp,
    must_staple: bool,
    revoked: bool,
    staple: bool,
    /// What the demo's CRLite filters say of the leaf; `None`: no SCT, so
    /// not covered.
    crlite: Option<&'static str>,
    /// The shard of the intermediate's CRL the leaf names (1 or 2); `None`:
    /// no CRL Distribution Point. Shard 2's CRL is served stale.
    crl_shard: Option<u8>,
    about: &'static str,
}

#[derive(serde::Serialize)]
struct SiteJson {
    name: String,
    host: String,
    about: String,
    staple: bool,
    serial_hex: String,
    crlite: Option<&'static str>,
    /// The CRL the leaf names (a file under the CRL URL), if any.
    crl: Option<String>,
}

#[derive(serde::Serialize)]
struct SitesJson {
    generated_at: u64,
    ocsp_url: String,
    dead_ocsp_url: String,
    crl_url: String,
    sites: Vec<SiteJson>,
}

const SITES: [Site; 13] = [
    Site {
        name: "good-live",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "A 90-day certificate whose OCSP responder is up and answers good: a live OCSP request decides.",
    },
    Site {
        name: "onecrl-intermediate",
        issuer: Issuer::OneCrlInt,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "The intermediate carries the issuer and serial of a real OneCRL entry, so OneCRL revokes the chain.",
    },
    Site {
        name: "short-lived",
        issuer: Issuer::Int,
        lifetime: 6 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "A 6-day certificate: short-lived, so it is exempt from revocation checking.",
    },
    Site {
        name: "good-staple",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: true,
        crlite: None,
        crl_shard: None,
        about: "The server staples a good OCSP response, so no live OCSP request is needed.",
    },
    Site {
        name: "must-staple-missing",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: true,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "A must-staple certificate (TLS Feature status_request) served without a stapled OCSP response.",
    },
    Site {
        name: "revoked-ocsp",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: true,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "The OCSP responder says this certificate is revoked (keyCompromise, an hour ago).",
    },
    Site {
        name: "responder-down",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Dead,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "The certificate's OCSP responder does not answer: nothing listens on its port.",
    },
    Site {
        name: "no-revocation-info",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::None,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: None,
        about: "The certificate names no OCSP responder and no CRL: there is nothing to check.",
    },
    Site {
        name: "crlite-revoked",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: Some(REVOKED_IN_FILTER),
        crl_shard: None,
        about: "CRLite's newest delta lists this certificate as revoked; its OCSP responder says good, so only CRLite can block it.",
    },
    Site {
        name: "crlite-good",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::Live,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: Some(NOT_REVOKED),
        crl_shard: None,
        about: "The CRLite filters cover this certificate and do not list it: CRLite decides good with no OCSP request.",
    },
    Site {
        name: "crl-good",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::None,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: Some(1),
        about: "No OCSP responder, as Let's Encrypt's certificates since 2025: one CRL Distribution Point naming a shard of a partitioned CRL, which does not list it. Browsers do not fetch it.",
    },
    Site {
        name: "crl-revoked",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::None,
        must_staple: false,
        revoked: true,
        staple: false,
        crlite: None,
        crl_shard: Some(1),
        about: "The same CRL shard lists this certificate as revoked (keyCompromise): only the CA's CRL says so, and browsers do not fetch it.",
    },
    Site {
        name: "crl-stale",
        issuer: Issuer::Int,
        lifetime: 90 * DAY,
        ocsp: Ocsp::None,
        must_staple: false,
        revoked: false,
        staple: false,
        crlite: None,
        crl_shard: Some(2),
        about: "Its CRL shard is served stale (its nextUpdate passed three days ago): the CRL gives no usable answer.",
    },
];

/// Firefox's crlite_status labels, as the engine names them.
const REVOKED_IN_FILTER: &str = "revoked_in_filter";
const NOT_REVOKED: &str = "not_revoked";
/// The synthetic CT log of the CRLite sites' SCTs (its id is 32 such bytes).
const DEMO_LOG: u8 = 0xC7;

fn ca_spec(subject: &str, issuer: &Name, serial: u64, now: u64) -> Spec {
    let mut s = Spec::new(subject, issuer, serial);
    s.is_ca = true;
    s.ocsp_url = None;
    s.not_before = now - 30 * DAY;
    s.not_after = now + 3650 * DAY;
    s
}

/// The demo's filter set, for `make_crlite_filters` (paths relative to
/// this file, in OUTDIR): the intermediate enrolled; a full filter six hours
/// old that knows both CRLite leaves good (and revoked-ocsp revoked, as its
/// CA would have reported it); a first delta revoking a serial no demo site
/// has; a second, an hour old, revoking crlite-revoked. Each filter lists
/// as good every covered leaf a query reaches it with: a clubcard's answer
/// for a serial outside its universe is arbitrary.
fn crlite_spec(now: u64) -> serde_json::Value {
    let ms = |secs: u64| secs * 1000;
    let chain = |name: &str| format!("sites/{name}/chain.pem");
    serde_json::json!({
        "logs": [{
            "log_id": revoscope::hex::encode(&[DEMO_LOG; 32]),
            "from_ms": ms(now - 90 * DAY),
            "to_ms": ms(now - HOUR),
        }],
        "version": "v4",
        "filters": [
            {
                "id": "demo-full", "kind": "full", "effective_ms": ms(now - 6 * HOUR),
                "issuers": [{
                    "issuer": "int.pem",
                    "revoked": [chain("revoked-ocsp")],
                    "good": [chain("crlite-revoked"), chain("crlite-good"), chain("good-live")],
                }],
            },
            {
                "id": "demo-delta-1", "kind": "delta", "effective_ms": ms(now - 3 * HOUR),
                "issuers": [{
                    "issuer": "int.pem",
                    "revoked_serials": ["0badc0de"],
                    "good": [chain("crlite-good"), chain("crlite-revoked")],
                }],
            },
            {
                "id": "demo-delta-2", "kind": "delta", "effective_ms": ms(now - HOUR),
                "issuers": [{"issuer": "int.pem", "revoked": [chain("crlite-revoked")], "good": [chain("crlite-good")]}],
            },
        ],
    })
}

fn main() -> std::io::Result<()> {
    let args = parse_args();
    let (dir, now) = (args.out.as_path(), args.now);
    // Serials: `now` in the high bits, a small index in the low byte.
    let serial = |i: u64| (now << 8) | i;

    // The demo root and intermediate.
    let root_subject = "CN=revoscope Demo Root,O=revoscope demo";
    let root_name = Name::from_str(root_subject).unwrap();
    let root_key = key("demo-root");
    let root_der = issue(
        &ca_spec(root_subject, &root_name, serial(1), now),
        &root_key,
        &root_key,
    );
    let int_spec = ca_spec(
        "CN=revoscope Demo Intermediate,O=revoscope demo",
        &root_name,
        serial(2),
        now,
    );
    let int_key = key("demo-int");
    let int_der = issue(&int_spec, &int_key, &root_key);
    write(dir, "root.pem", pem(&root_der))?;
    write(dir, "root.key.pem", key_pem(&root_key))?;
    write(dir, "int.pem", pem(&int_der))?;
    write(dir, "int.key.pem", key_pem(&int_key))?;

    // A second root named like the issuer of a real OneCRL record, and an
    // intermediate under it carrying that record's serial: the bundled
    // snapshot revokes the intermediate by issuer+serial.
    let (_, real_issuer, real_serial) = pki::first_real_record();
    let real_issuer_name = Name::from_der(&real_issuer).expect("the record's issuer decodes");
    let onecrl_root_key = key("demo-onecrl-root");
    let mut onecrl_root = ca_spec(root_subject, &real_issuer_name, serial(3), now);
    onecrl_root.subject = real_issuer_name.clone();
    let onecrl_root_der = issue(&onecrl_root, &onecrl_root_key, &onecrl_root_key);
    let mut onecrl_int = ca_spec(
        "CN=revoscope Demo Intermediate Carrying A Real OneCRL Entry,O=revoscope demo",
        &real_issuer_name,
        1,
        now,
    );
    onecrl_int.serial = real_serial;
    let onecrl_int_key = key("demo-onecrl-int");
    let onecrl_int_der = issue(&onecrl_int, &onecrl_int_key, &onecrl_root_key);
    debug_assert_eq!(
        x509_cert::Certificate::from_der(&onecrl_root_der)
            .unwrap()
            .tbs_certificate
            .subject
            .to_der()
            .unwrap(),
        real_issuer
    );
    write(dir, "onecrl-root.pem", pem(&onecrl_root_der))?;
    write(dir, "onecrl-int.pem", pem(&onecrl_int_der))?;

    // The sites' leaves, and the responder's index for the intermediate's.
    let leaf_not_before = now - DAY;
    let mut index = String::new();
    let mut crl_indexes = [String::new(), String::new()];
    let mut sites_json = Vec::new();
    for (i, site) in (0x10u64..).zip(&SITES) {
        let host = format!("{}.{DOMAIN}", site.name);
        let (issuer_spec, issuer_key, issuer_der) = match site.issuer {
            Issuer::Int => (&int_spec, &int_key, &int_der),
            Issuer::OneCrlInt => (&onecrl_int, &onecrl_int_key, &onecrl_int_der),
        };
        let mut spec = Spec::new(&format!("CN={host}"), &issuer_spec.subject, serial(i));
        spec.not_before = leaf_not_before;
        spec.not_after = leaf_not_before + site.lifetime;
        spec.ocsp_url = match site.ocsp {
            Ocsp::Live => Some(args.ocsp_url.clone()),
            Ocsp::Dead => Some(args.dead_ocsp_url.clone()),
            Ocsp::None => None,
        };
        spec.must_staple = site.must_staple;
        spec.crl_url = site
            .crl_shard
            .map(|shard| format!("{}int-{shard}.crl", args.crl_url));
        spec.dns_names = vec![host.clone()];
        if site.crlite.is_some() {
            // Logged a minute after issuance, inside the filters' coverage.
            spec.scts = vec![(DEMO_LOG, (leaf_not_before + 60) * 1000)];
        }
        let leaf_key = key(&format!("demo-{}", site.name));
        let leaf_der = issue(&spec, &leaf_key, issuer_key);
        write(
            dir,
            &format!("sites/{}/chain.pem", site.name),
            [pem(&leaf_der), pem(issuer_der)].concat(),
        )?;
        write(
            dir,
            &format!("sites/{}/key.pem", site.name),
            key_pem(&leaf_key),
        )?;

        let hex = serial_hex(&spec.serial);
        if let Some(shard) = site.crl_shard {
            // The shard's CA database for `openssl ca -gencrl`: a revoked
            // site is listed; the others are valid, so not listed.
            let line = index_line(&spec, &hex, &host, site.revoked, now);
            crl_indexes[usize::from(shard) - 1].push_str(&line);
        }
        if site.issuer == Issuer::Int {
            index.push_str(&index_line(&spec, &hex, &host, site.revoked, now));
        }
        sites_json.push(SiteJson {
            name: site.name.to_owned(),
            host,
            about: site.about.to_owned(),
            staple: site.staple,
            serial_hex: hex,
            crlite: site.crlite,
            crl: site.crl_shard.map(|shard| format!("int-{shard}.crl")),
        });
    }
    write(dir, "index.txt", index)?;
    for (i, crl_index) in crl_indexes.iter().enumerate() {
        write(dir, &format!("crl-{}.index", i + 1), crl_index)?;
        write(
            dir,
            &format!("crl-{}.index.attr", i + 1),
            "unique_subject = no\n",
        )?;
    }
    write(
        dir,
        "crlite-spec.json",
        format!(
            "{}\n",
            serde_json::to_string_pretty(&crlite_spec(now)).unwrap()
        ),
    )?;
    write(dir, "index.txt.attr", "unique_subject = no\n")?;
    let manifest = SitesJson {
        generated_at: now,
        ocsp_url: args.ocsp_url,
        dead_ocsp_url: args.dead_ocsp_url,
        crl_url: args.crl_url,
        sites: sites_json,
    };
    write(
        dir,
        "sites.json",
        format!("{}\n", serde_json::to_string_pretty(&manifest).unwrap()),
    )?;
    println!("wrote the demo PKI to {}", dir.display());
    Ok(())
}
