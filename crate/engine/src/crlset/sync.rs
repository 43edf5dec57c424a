//! A CRLSet sync, for both hosts: Chrome's CRLSet fetched as Chrome's
//! component updater fetches it, and as agl/crlset-tools (Go, its
//! `crlset fetch`) does:
//!
//! 1. the update check ([`update_check_url`]): `GET
//!    <server>?x=id%3D<id>%26v%3D%26uc%26acceptformat%3Dcrx3`, whose XML
//!    reply (the Omaha protocol's `<gupdate>`, as Chromium's
//!    components/update_client reads it) names the package
//!    ([`read_offer`]: `<app appid=…><updatecheck codebase=… version=…/>`);
//! 2. the CRX3 package at that `codebase` ([`fetch_package`] makes both
//!    GETs through the host's [`HttpGet`]);
//! 3. [`accept`]: the package verified as Chromium's components/crx_file
//!    verifies it ([`crate::crx3`]) against the publisher key's pin, its
//!    `crl-set` read by [`CrlSet::from_bytes`], and compared with the set
//!    in force: a higher `Sequence` is new, the same is up to date, a lower
//!    one is a rollback and refused.
//!
//! The fetch and the judgement are apart so that a host whose signature
//! backend is asynchronous (the browser's WebCrypto) can run [`accept`],
//! which does no I/O, as often as its backend needs. The host stores what
//! is accepted; nothing else changes anything.

use core::fmt;

use super::{CrlSet, CrlSetError};
use crate::crx3::{self, Crx3Error, Crx3Expectation};
use crate::limits::MAX_CRX_LEN;
use crate::remote_settings::sync::HttpGet;
use crate::remote_settings::SyncError;
use crate::verify::SignatureVerifier;

/// Chrome's component updater, as agl/crlset-tools asks it for the CRLSet
/// (its `buildVersionRequestURL`).
pub const GOOGLE_UPDATE_SERVER: &str = "https://clients2.google.com/service/update2/crx";

/// Largest update-check reply accepted: real ones are a few hundred bytes.
pub const MAX_UPDATE_REPLY_LEN: usize = 64 * 1024;

/// Why a CRLSet sync changed nothing: one variant per way it can fail.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrlSetSyncError {
    /// A request failed: no answer, an HTTP error, a body too large or cut.
    Fetch(SyncError),
    /// The update check's reply is not one that names the component's package.
    UpdateReply(String),
    /// The update server answered, but offers no package (its `status`).
    NoUpdate(String),
    /// The package is refused (signature, id, pin, archive).
    Crx(Crx3Error),
    /// The package's `crl-set` does not read.
    CrlSet(CrlSetError),
    /// The offered set's `Sequence` is below the one in force.
    Rollback { kept: u32, offered: u32 },
}

impl CrlSetSyncError {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        match self {
            CrlSetSyncError::Fetch(e) => e.code(),
            CrlSetSyncError::UpdateReply(_) => "bad-update-reply",
            CrlSetSyncError::NoUpdate(_) => "no-update",
            CrlSetSyncError::Crx(e) => e.code(),
            CrlSetSyncError::CrlSet(e) => e.code(),
            CrlSetSyncError::Rollback { .. } => "rollback",
        }
    }
}

impl fmt::Display for CrlSetSyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrlSetSyncError::Fetch(e) => e.fmt(f),
            CrlSetSyncError::UpdateReply(why) => write!(f, "the update server's reply: {why}"),
            CrlSetSyncError::NoUpdate(why) => {
                write!(f, "the update server offers no CRLSet: {why}")
            }
            CrlSetSyncError::Crx(e) => write!(f, "the CRLSet package is refused: {e}"),
            CrlSetSyncError::CrlSet(e) => write!(f, "the package's crl-set is refused: {e}"),
            CrlSetSyncError::Rollback { kept, offered } => write!(
                f,
                "the server offers Sequence {offered}, below the kept set's {kept}: a rollback, refused"
            ),
        }
    }
}

impl std::error::Error for CrlSetSyncError {}

/// The update check's URL, with the query agl/crlset-tools sends.
pub fn update_check_url(server: &str, component_id: &str) -> String {
    format!("{server}?x=id%3D{component_id}%26v%3D%26uc%26acceptformat%3Dcrx3")
}

/// What the update check offers: the package's URL and version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub codebase: String,
    pub version: Option<String>,
}

/// Reads the update check's reply (Omaha protocol 2.0, as
/// agl/crlset-tools reads it): the `<app>` whose `appid` is the component,
/// its `<updatecheck>`'s `codebase` and `version`. Namespaces and elements
/// not named here are ignored; a `status` other than "ok" says why nothing
/// is offered.
pub fn read_offer(body: &[u8], component_id: &str) -> Result<Offer, CrlSetSyncError> {
    use CrlSetSyncError::{NoUpdate, UpdateReply};
    let text = core::str::from_utf8(body).map_err(|_| UpdateReply("not UTF-8 text".into()))?;
    let doc = roxmltree::Document::parse(text).map_err(|e| UpdateReply(format!("not XML: {e}")))?;
    let app = doc
        .descendants()
        .find(|n| n.has_tag_name("app") && n.attribute("appid") == Some(component_id))
        .ok_or_else(|| UpdateReply(format!("no <app appid=\"{component_id}\">")))?;
    if let Some(status) = app.attribute("status").filter(|s| *s != "ok") {
        return Err(NoUpdate(format!("app status {status:?}")));
    }
    let check = app
        .children()
        .find(|n| n.has_tag_name("updatecheck"))
        .ok_or_else(|| UpdateReply("the <app> has no <updatecheck>".into()))?;
    if let Some(status) = check.attribute("status").filter(|s| *s != "ok") {
        return Err(NoUpdate(format!("updatecheck status {status:?}")));
    }
    let codebase = check
        .attribute("codebase")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| UpdateReply("the <updatecheck> has no codebase".into()))?;
    Ok(Offer {
        codebase: codebase.to_owned(),
        version: check.attribute("version").map(str::to_owned),
    })
}

/// A package as the update server offered it, not yet checked.
#[derive(Clone, Debug)]
pub struct Package {
    pub offer: Offer,
    pub crx: Vec<u8>,
}

/// The update check on `server` for `component_id`, then the package it
/// offers: two GETs, each capped (the host records them).
pub async fn fetch_package(
    host: &mut impl HttpGet,
    server: &str,
    component_id: &str,
) -> Result<Package, CrlSetSyncError> {
    let reply = host
        .get(
            &update_check_url(server, component_id),
            MAX_UPDATE_REPLY_LEN,
        )
        .await
        .map_err(CrlSetSyncError::Fetch)?;
    let offer = read_offer(&reply, component_id)?;
    let crx = host
        .get(&offer.codebase, MAX_CRX_LEN)
        .await
        .map_err(CrlSetSyncError::Fetch)?;
    Ok(Package { offer, crx })
}

/// What [`accept`] makes of a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// Its `Sequence` is the one in force.
    UpToDate,
    /// A set to put in force: the `crl-set` file, for the host to store,
    /// and the set it reads as.
    New { bytes: Vec<u8>, set: Box<CrlSet> },
}

/// Verifies the package `crx` against `expect`, reads its `crl-set`, and
/// compares it with `kept`, the set in force (none, or one that does not
/// read: any set is new). Pure: a host with an asynchronous signature
/// backend may run it again until every signature is known.
pub fn accept(
    crx: &[u8],
    expect: &Crx3Expectation,
    kept: Option<&CrlSet>,
    verifier: &dyn SignatureVerifier,
) -> Result<Accepted, CrlSetSyncError> {
    let bytes = crx3::crlset_bytes(crx, expect, verifier).map_err(CrlSetSyncError::Crx)?;
    let set = CrlSet::from_bytes(&bytes).map_err(CrlSetSyncError::CrlSet)?;
    match kept.map(CrlSet::sequence) {
        Some(kept) if set.sequence() < kept => Err(CrlSetSyncError::Rollback {
            kept,
            offered: set.sequence(),
        }),
        Some(kept) if set.sequence() == kept => Ok(Accepted::UpToDate),
        _ => Ok(Accepted::New {
            bytes,
            set: Box::new(set),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "hfnkpimlhhgieaddgfemjhofmfblmnib";

    #[test]
    fn the_update_check_asks_as_crlset_tools_does() {
        assert_eq!(
            update_check_url(GOOGLE_UPDATE_SERVER, ID),
            "https://clients2.google.com/service/update2/crx?x=id%3Dhfnkpimlhhgieaddgfemjhofmfblmnib%26v%3D%26uc%26acceptformat%3Dcrx3"
        );
    }

    #[test]
    fn the_offer_is_read_from_the_reply_agl_crlset_tools_documents() {
        let reply = r#"<?xml version="1.0" encoding="UTF-8"?>
<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0" server="prod">
  <daystart elapsed_seconds="42913"/>
  <app appid="other" status="ok"><updatecheck codebase="http://x/other" status="ok"/></app>
  <app appid="hfnkpimlhhgieaddgfemjhofmfblmnib" status="ok">
    <updatecheck codebase="http://www.gstatic.com/chrome/crlset/56/crl-set-14830555124393087472.crx.data&amp;a=1" hash="" size="0" status="ok" version="56"/>
  </app>
</gupdate>"#;
        assert_eq!(
            read_offer(reply.as_bytes(), ID).unwrap(),
            Offer {
                codebase: "http://www.gstatic.com/chrome/crlset/56/crl-set-14830555124393087472.crx.data&a=1".into(),
                version: Some("56".into()),
            }
        );
        let cases = [
            ("<gupdate", "bad-update-reply"),
            ("<gupdate/>", "bad-update-reply"),
            ("\u{0}\u{ff}", "bad-update-reply"),
            (
                r#"<gupdate><app appid="other"><updatecheck codebase="http://x/" status="ok"/></app></gupdate>"#,
                "bad-update-reply",
            ),
            (
                r#"<gupdate><app appid="hfnkpimlhhgieaddgfemjhofmfblmnib" status="error-unknownApplication"/></gupdate>"#,
                "no-update",
            ),
            (
                r#"<gupdate><app appid="hfnkpimlhhgieaddgfemjhofmfblmnib"/></gupdate>"#,
                "bad-update-reply",
            ),
            (
                r#"<gupdate><app appid="hfnkpimlhhgieaddgfemjhofmfblmnib"><updatecheck status="noupdate"/></app></gupdate>"#,
                "no-update",
            ),
            (
                r#"<gupdate><app appid="hfnkpimlhhgieaddgfemjhofmfblmnib"><updatecheck status="ok"/></app></gupdate>"#,
                "bad-update-reply",
            ),
            (
                r#"<gupdate><app appid="hfnkpimlhhgieaddgfemjhofmfblmnib"><updatecheck codebase="" status="ok"/></app></gupdate>"#,
                "bad-update-reply",
            ),
        ];
        for (reply, code) in cases {
            assert_eq!(
                read_offer(reply.as_bytes(), ID).unwrap_err().code(),
                code,
                "{reply}"
            );
        }
        assert_eq!(
            read_offer(&[0xff, 0xfe], ID).unwrap_err(),
            CrlSetSyncError::UpdateReply("not UTF-8 text".into())
        );
    }
}
