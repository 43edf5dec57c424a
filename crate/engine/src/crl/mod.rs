//! Certificate Revocation Lists (RFC 5280 sections 5 and 6.3), pure like
//! the OCSP code: the ladder names the URL to fetch, the host fetches and
//! hands the bytes to [`CrlCache::ingest`], which reads and checks the list
//! against the issuer once; [`judge`] then answers for each certificate.
//!
//! What is checked, after RFC 5280 section 6.3.3 (browsers make no CRL
//! checks, so there is no browser to match): the signature by the
//! certificate's issuer, the issuer Name, authorityKeyIdentifier and the
//! issuer's cRLSign key usage; thisUpdate not in the future and nextUpdate
//! not passed (without nextUpdate, at most [`MAX_AGE_WITHOUT_NEXT_UPDATE_SECS`]
//! old); the Issuing Distribution Point covering the certificate (its URL,
//! the user/CA/attribute restrictions: this is how partitioned CRLs such as
//! Let's Encrypt's shards are scoped); a list or a distribution point that
//! covers only some reasons cannot say good; indirect and delta CRLs, and
//! unknown critical extensions, are refused with their own errors.

mod cache;
mod consult;
mod error;
mod list;
mod stored;

use crate::reasons::covers_all_reasons;
pub use crate::reasons::reason_names;

use serde::Serialize;
use x509_cert::ext::pkix::CrlReason;

pub use cache::{invalid, read_fetched, CachedCrl, CrlCache, StoredList, MAX_CACHED_CRLS};
pub use consult::{consult, Consulted};
pub use error::CrlError;
pub use list::{CrlList, Listed, Scope};
pub use stored::{StoredCrlError, STORED_CRL_VERSION};

use crate::cert::{Cert, CrlDistributionPoint};
use crate::time::{UnixTime, ONE_DAY};

/// How long a CRL without nextUpdate is used: the longest a CA may leave
/// between a subscriber CRL's thisUpdate and nextUpdate under the CA/Browser
/// Forum's Baseline Requirements, section 4.9.7 (ten days).
pub const MAX_AGE_WITHOUT_NEXT_UPDATE_SECS: u64 = 10 * ONE_DAY;

/// CRLReason (RFC 5280 section 5.3.1), serialised by its RFC name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum CrlReasonCode {
    #[serde(rename = "unspecified")]
    Unspecified,
    #[serde(rename = "keyCompromise")]
    KeyCompromise,
    #[serde(rename = "cACompromise")]
    CaCompromise,
    #[serde(rename = "affiliationChanged")]
    AffiliationChanged,
    #[serde(rename = "superseded")]
    Superseded,
    #[serde(rename = "cessationOfOperation")]
    CessationOfOperation,
    #[serde(rename = "certificateHold")]
    CertificateHold,
    #[serde(rename = "removeFromCRL")]
    RemoveFromCrl,
    #[serde(rename = "privilegeWithdrawn")]
    PrivilegeWithdrawn,
    #[serde(rename = "aACompromise")]
    AaCompromise,
}

impl From<CrlReason> for CrlReasonCode {
    fn from(reason: CrlReason) -> Self {
        match reason {
            CrlReason::Unspecified => Self::Unspecified,
            CrlReason::KeyCompromise => Self::KeyCompromise,
            CrlReason::CaCompromise => Self::CaCompromise,
            CrlReason::AffiliationChanged => Self::AffiliationChanged,
            CrlReason::Superseded => Self::Superseded,
            CrlReason::CessationOfOperation => Self::CessationOfOperation,
            CrlReason::CertificateHold => Self::CertificateHold,
            CrlReason::RemoveFromCRL => Self::RemoveFromCrl,
            CrlReason::PrivilegeWithdrawn => Self::PrivilegeWithdrawn,
            CrlReason::AaCompromise => Self::AaCompromise,
        }
    }
}

impl CrlReasonCode {
    /// The name RFC 5280 gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "cACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::CertificateHold => "certificateHold",
            Self::RemoveFromCrl => "removeFromCRL",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
            Self::AaCompromise => "aACompromise",
        }
    }
}

/// What a CRL says of one certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum CrlAnswer {
    /// Not listed (or listed with removeFromCRL: taken off hold).
    Good { removed_from_crl: bool },
    Revoked {
        revocation_time: u64,
        reason: Option<CrlReasonCode>,
        invalidity_date: Option<u64>,
        /// certificateHold: revoked for now, and may be taken off hold.
        on_hold: bool,
    },
}

/// Judges `cert` (issued by `issuer`, naming the CRL through `point`)
/// against `list` at `time`.
pub fn judge(
    list: &CrlList,
    cert: &Cert,
    issuer: &Cert,
    point: &CrlDistributionPoint,
    time: UnixTime,
) -> Result<CrlAnswer, CrlError> {
    if cert.issuer_der != list.issuer_der {
        return Err(CrlError::WrongIssuer {
            why: format!(
                "the CRL's issuer is {}, the certificate's is {}",
                crate::name::to_rfc4514(&list.issuer_der),
                cert.issuer
            ),
        });
    }
    if issuer.spki.sha256() != &list.signer_spki_sha256 {
        return Err(CrlError::WrongIssuer {
            why: "the CRL was verified with another key than the issuer's".into(),
        });
    }
    if point.crl_issuer.is_some() {
        return Err(CrlError::IndirectUnsupported {
            why: "the certificate's distribution point names a cRLIssuer",
        });
    }
    if let Err(untimely) = check_time(list, time) {
        // A revocation is final (RFC 5280 section 5.3.1: only certificateHold
        // is temporary): a stale list that lists the certificate still says
        // revoked, as an expired revoked OCSP answer still stands in
        // mozpkix. It never says good.
        let stale = matches!(untimely, CrlError::Stale { .. });
        if stale && check_scope(&list.scope, cert, point).is_ok() {
            if let Some(answer) = final_revocation(list, cert) {
                return Ok(answer);
            }
        }
        return Err(untimely);
    }
    check_scope(&list.scope, cert, point)?;
    match list.find(&cert.serial) {
        // removeFromCRL (a delta CRL's word, RFC 5280 section 5.3.1): the
        // certificate is not revoked; judged as not listed, so a list that
        // covers only some reasons still cannot say good.
        Some(Listed {
            reason: Some(CrlReasonCode::RemoveFromCrl),
            ..
        }) => not_listed(list, point, true),
        Some(listed) => Ok(revoked(&listed)),
        None => not_listed(list, point, false),
    }
}

/// What `list` says of `cert` when it lists it revoked for good (not on
/// hold, not removed from the list).
fn final_revocation(list: &CrlList, cert: &Cert) -> Option<CrlAnswer> {
    let listed = list.find(&cert.serial)?;
    let temporary = matches!(
        listed.reason,
        Some(CrlReasonCode::CertificateHold | CrlReasonCode::RemoveFromCrl)
    );
    (!temporary).then(|| revoked(&listed))
}

fn revoked(listed: &Listed) -> CrlAnswer {
    CrlAnswer::Revoked {
        revocation_time: listed.revoked_at,
        reason: listed.reason,
        invalidity_date: listed.invalidity,
        on_hold: listed.reason == Some(CrlReasonCode::CertificateHold),
    }
}

/// The certificate is not listed (or listed with removeFromCRL): good, if
/// the list and the distribution point cover every reason.
fn not_listed(
    list: &CrlList,
    point: &CrlDistributionPoint,
    removed_from_crl: bool,
) -> Result<CrlAnswer, CrlError> {
    if matches!(list.scope.only_some_reasons, Some(bits) if !covers_all_reasons(bits)) {
        return Err(CrlError::PartialReasons {
            why: "the CRL's Issuing Distribution Point (onlySomeReasons)",
        });
    }
    let partial_point = point
        .reasons
        .as_ref()
        .is_some_and(|names| names.iter().filter(|n| **n != "unused").count() < 8);
    if partial_point {
        return Err(CrlError::PartialReasons {
            why: "the certificate's distribution point (its reasons field)",
        });
    }
    Ok(CrlAnswer::Good { removed_from_crl })
}

/// thisUpdate not in the future; nextUpdate (or the maximum age) not passed.
pub fn check_time(list: &CrlList, time: UnixTime) -> Result<(), CrlError> {
    if list.this_update > time.0 {
        return Err(CrlError::NotYetValid {
            this_update: list.this_update,
        });
    }
    let until = list.usable_until();
    if time.0 > until {
        return Err(CrlError::Stale {
            until,
            without_next_update: list.next_update.is_none(),
        });
    }
    Ok(())
}

impl CrlList {
    /// The last second the list may be used: its nextUpdate, or without
    /// one thisUpdate plus [`MAX_AGE_WITHOUT_NEXT_UPDATE_SECS`].
    pub fn usable_until(&self) -> u64 {
        self.next_update.unwrap_or_else(|| {
            self.this_update
                .saturating_add(MAX_AGE_WITHOUT_NEXT_UPDATE_SECS)
        })
    }
}

/// RFC 5280 section 6.3.3 (b): the Issuing Distribution Point must cover
/// the certificate (whatever the time, and whoever issued the list).
pub fn check_scope(
    scope: &Scope,
    cert: &Cert,
    point: &CrlDistributionPoint,
) -> Result<(), CrlError> {
    if !scope.present {
        return Ok(());
    }
    let mismatch = |why: String| Err(CrlError::ScopeMismatch { why });
    if scope.unmatchable_name {
        return mismatch(
            "its Issuing Distribution Point names no URL (a nameRelativeToCRLIssuer or other names), \
             which cannot be matched with the certificate's"
                .into(),
        );
    }
    if !scope.urls.is_empty() && !scope.urls.iter().any(|u| point.urls.contains(u)) {
        return mismatch(format!(
            "it is the list for {}, and the certificate names {}",
            scope.urls.join(", "),
            point.urls.join(", ")
        ));
    }
    if scope.only_user_certs && cert.is_ca {
        return mismatch(
            "it lists end-entity certificates only, and this is a CA certificate".into(),
        );
    }
    if scope.only_ca_certs && !cert.is_ca {
        return mismatch(
            "it lists CA certificates only, and this is an end-entity certificate".into(),
        );
    }
    if scope.only_attribute_certs {
        return mismatch("it lists attribute certificates only".into());
    }
    Ok(())
}

/// The CRL step's account, for the certificate it ran for: the list (when
/// one was read), and its answer or why there is none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlReport {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub list: Option<CrlSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub answer: Option<CrlAnswer>,
    /// The class and detail of the failure, when there is no answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub offline: Option<crate::ocsp::exchange::Offline>,
}

/// A read list's metadata, as shown (times in RFC 3339).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlSummary {
    pub issuer: String,
    pub signature_algorithm: String,
    pub this_update: String,
    pub next_update: Option<String>,
    /// cRLNumber in hex.
    pub crl_number: Option<String>,
    pub entries: usize,
    /// The Issuing Distribution Point's URLs (empty: none, or no IDP).
    pub scope_urls: Vec<String>,
    /// The IDP limits the list to end-entity certificates.
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
}

impl CrlSummary {
    pub fn of(list: &CrlList) -> Self {
        CrlSummary {
            issuer: crate::name::to_rfc4514(&list.issuer_der),
            signature_algorithm: list.signature_algorithm.to_string(),
            this_update: UnixTime(list.this_update).to_string(),
            next_update: list.next_update.map(|t| UnixTime(t).to_string()),
            crl_number: list.crl_number.as_deref().map(crate::hex::encode),
            entries: list.len(),
            scope_urls: list.scope.urls.clone(),
            only_user_certs: list.scope.only_user_certs,
            only_ca_certs: list.scope.only_ca_certs,
        }
    }
}

/// The request the host makes for a CRL: a plain GET of `url`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlFetch {
    pub url: String,
    /// Bytes the host may read before giving up ([`crate::limits::MAX_CRL_LEN`]).
    pub max_len: usize,
    pub timeout_ms: u32,
}

/// The distribution point to fetch for `cert`: the first that names an
/// http or https URL (RFC 5280 section 4.2.1.13 names HTTP and LDAP; this
/// engine fetches neither LDAP nor any other scheme), and that URL.
pub fn point_to_fetch(cert: &Cert) -> Option<(&CrlDistributionPoint, &str)> {
    cert.crl_distribution_points.iter().find_map(|point| {
        point
            .urls
            .iter()
            .find(|url| url.starts_with("http://") || url.starts_with("https://"))
            .map(|url| (point, url.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_flags_name_their_bits() {
        let all = 0b1_1111_1110;
        assert_eq!(reason_names(0b10), ["keyCompromise"]);
        assert_eq!(reason_names(all).len(), 8);
        assert!(covers_all_reasons(all | 1));
        assert!(!covers_all_reasons(all & !(1 << 6)));
    }
}
