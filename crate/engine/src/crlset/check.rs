//! The check, as Chromium makes it: `CRLSet::CheckSPKI`, `CheckSubject` and
//! `CheckSerial` (net/cert/crl_set.cc), walked over a chain by
//! `CheckChainRevocationUsingCRLSet` (net/cert/internal/revocation_checker.cc),
//! which the built-in verifier (net/cert/cert_verify_proc_builtin.cc,
//! `CheckPathAfterVerification`) calls on every valid path before any OCSP
//! or CRL check; known interception keys as `CertVerifyProc::Verify`
//! (net/cert/cert_verify_proc.cc) flags them.
//!
//! For each certificate, from the top of the chain (the trust anchor)
//! down to the leaf:
//!
//! 1. its SPKI's SHA-256 among the blocked SPKIs: revoked;
//! 2. else, its subject's SHA-256 among the limited subjects and its SPKI
//!    not among those allowed for it: revoked;
//! 3. else, unless it is the top of the chain, the answer is its serial
//!    under the SHA-256 of its issuer's SPKI (the next certificate up):
//!    a serial with the sign bit set is unknown (the generator refuses
//!    negative serials); leading zero bytes are stripped (keeping one); an
//!    issuer the set does not cover is unknown; listed is revoked, not
//!    listed good. The top of the chain, whose issuer is not in it, is good
//!    once 1 and 2 pass.
//!
//! The first certificate found revoked, from the top, revokes the chain
//! (Chromium stops there). Otherwise the chain is good only if the leaf is
//! good and the set is not expired: a good intermediate says nothing of the
//! leaf, since intermediates whose CRLs list no revocation are left out of
//! the set. Anything else is unknown. An expired set still revokes: expiry
//! only takes away its "good".

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::CrlSet;
use crate::cert::Cert;
use crate::time::UnixTime;

/// Chromium's `CRLSet::Result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CrlSetResult {
    /// The certificate should be rejected.
    Revoked,
    /// The set does not cover it (its issuer's CRL is not in the set).
    Unknown,
    /// Not listed.
    Good,
}

/// Which rule of the set revoked a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum RevokedBy {
    /// Its SPKI is among `BlockedSPKIs` or `BlockedInterceptionSPKIs`
    /// (`CheckSPKI`).
    BlockedSpki,
    /// Its subject is in `LimitedSubjects` and its SPKI is not allowed for
    /// it (`CheckSubject`).
    LimitedSubject,
    /// Its serial is listed under its issuer's SPKI hash (`CheckSerial`).
    Serial,
}

/// Why the set has no answer for a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum UnknownWhy {
    /// The set lists no serials under its issuer's SPKI hash.
    IssuerNotCovered,
    /// Its serial has the sign bit set: the set's generator refuses such
    /// certificates, so they are never listed.
    NegativeSerial,
}

/// Why a certificate is good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum GoodWhy {
    /// Its issuer is covered and its serial is not listed.
    NotListed,
    /// The top of the chain: only its SPKI and subject are checked (its
    /// issuer is not in the chain), and neither is blocked.
    TopOfChain,
}

/// What the set says of one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum CertStatus {
    Revoked { by: RevokedBy },
    Unknown { why: UnknownWhy },
    Good { why: GoodWhy },
}

impl CertStatus {
    /// Chromium's result code for it.
    pub fn result(self) -> CrlSetResult {
        match self {
            CertStatus::Revoked { .. } => CrlSetResult::Revoked,
            CertStatus::Unknown { .. } => CrlSetResult::Unknown,
            CertStatus::Good { .. } => CrlSetResult::Good,
        }
    }
}

/// One certificate's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CertAnswer {
    #[serde(flatten)]
    pub status: CertStatus,
    /// Its SPKI is a known interception key (`KnownInterceptionSPKIs` or
    /// `BlockedInterceptionSPKIs`).
    pub known_interception_key: bool,
}

/// What Chromium makes of a known interception key in the chain
/// (`CertVerifyProc::Verify`): with the chain revoked,
/// `ERR_CERT_KNOWN_INTERCEPTION_BLOCKED`; otherwise only a status flag,
/// `CERT_STATUS_KNOWN_INTERCEPTION_DETECTED`, and the connection goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Interception {
    Detected,
    Blocked,
}

/// The set's answer for a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ChainAnswer {
    /// What `CheckChainRevocationUsingCRLSet` returns.
    pub result: CrlSetResult,
    /// The certificate (0 = the leaf) whose revocation decided: the first
    /// revoked one from the top. Chromium looks no further down; the
    /// answers below it are given for inspection.
    pub revoked_at: Option<usize>,
    /// The set is past its `NotAfter` at the time asked.
    pub expired: bool,
    /// Each certificate's own answer, leaf first.
    pub certs: Vec<CertAnswer>,
    /// A known interception key anywhere in the chain, and what Chromium
    /// makes of it given this set's result (an OCSP or CRL revocation
    /// would make it blocked too: that is the ladder's to combine).
    pub interception: Option<Interception>,
}

impl CrlSet {
    /// `CheckSPKI`: revoked when the SPKI hash is blocked, else good.
    pub fn check_spki(&self, spki_sha256: &[u8; 32]) -> CrlSetResult {
        if self.blocked_spkis.binary_search(spki_sha256).is_ok() {
            CrlSetResult::Revoked
        } else {
            CrlSetResult::Good
        }
    }

    /// `CheckSubject`: revoked when the SHA-256 of the DER subject Name is
    /// limited and the SPKI hash is not among those allowed for it.
    pub fn check_subject(&self, subject_der: &[u8], spki_sha256: &[u8; 32]) -> CrlSetResult {
        let digest: [u8; 32] = Sha256::digest(subject_der).into();
        let limited = self
            .limited_subjects
            .binary_search_by(|s| s.subject_sha256.cmp(&digest))
            .ok()
            .map(|i| &self.limited_subjects[i]);
        match limited {
            Some(subject) if subject.allowed_spkis.binary_search(spki_sha256).is_err() => {
                CrlSetResult::Revoked
            }
            _ => CrlSetResult::Good,
        }
    }

    /// `CheckSerial`: `serial` is the INTEGER's content octets, as the
    /// certificate encodes them.
    pub fn check_serial(&self, serial: &[u8], issuer_spki_sha256: &[u8; 32]) -> CrlSetResult {
        self.serial_status(serial, issuer_spki_sha256).result()
    }

    /// Whether the SPKI hash is a known interception key.
    pub fn is_known_interception_key(&self, spki_sha256: &[u8; 32]) -> bool {
        self.known_interception_spkis
            .binary_search(spki_sha256)
            .is_ok()
    }

    fn serial_status(&self, serial: &[u8], issuer_spki_sha256: &[u8; 32]) -> CertStatus {
        if serial.first().is_some_and(|b| b & 0x80 != 0) {
            return CertStatus::Unknown {
                why: UnknownWhy::NegativeSerial,
            };
        }
        // Leading zero bytes go, down to one byte. The set's serials are
        // compared as stored (its generator writes them without the 0x00).
        let zeros = serial
            .iter()
            .take(serial.len().saturating_sub(1))
            .take_while(|&&b| b == 0)
            .count();
        let serial = &serial[zeros..];
        let Some(parent) = self.parent(issuer_spki_sha256) else {
            return CertStatus::Unknown {
                why: UnknownWhy::IssuerNotCovered,
            };
        };
        let listed = &self.serials[parent.serials.start as usize..parent.serials.end as usize];
        if listed
            .binary_search_by(|s| self.serial_bytes(*s).cmp(serial))
            .is_ok()
        {
            CertStatus::Revoked {
                by: RevokedBy::Serial,
            }
        } else {
            CertStatus::Good {
                why: GoodWhy::NotListed,
            }
        }
    }

    /// One certificate's answer; `issuer_spki_sha256` is `None` at the top
    /// of the chain.
    pub fn check_cert(&self, cert: &Cert, issuer_spki_sha256: Option<&[u8; 32]>) -> CertAnswer {
        let spki = cert.spki.sha256();
        let status = if self.check_spki(spki) == CrlSetResult::Revoked {
            CertStatus::Revoked {
                by: RevokedBy::BlockedSpki,
            }
        } else if self.check_subject(&cert.subject_der, spki) == CrlSetResult::Revoked {
            CertStatus::Revoked {
                by: RevokedBy::LimitedSubject,
            }
        } else if let Some(issuer) = issuer_spki_sha256 {
            self.serial_status(&cert.serial, issuer)
        } else {
            CertStatus::Good {
                why: GoodWhy::TopOfChain,
            }
        };
        CertAnswer {
            status,
            known_interception_key: self.is_known_interception_key(spki),
        }
    }

    /// The chain, leaf first, each certificate's issuer the next one; the
    /// last is taken as the top (Chromium's is the trust anchor of the
    /// verified path). `time` decides expiry.
    pub fn check_chain(&self, chain: &[&Cert], time: UnixTime) -> ChainAnswer {
        let certs: Vec<CertAnswer> = chain
            .iter()
            .enumerate()
            .map(|(i, cert)| self.check_cert(cert, chain.get(i + 1).map(|c| c.spki.sha256())))
            .collect();
        let expired = self.is_expired(time);
        let revoked_at = certs
            .iter()
            .rposition(|a| a.status.result() == CrlSetResult::Revoked);
        let result = if revoked_at.is_some() {
            CrlSetResult::Revoked
        } else if !expired
            && certs
                .first()
                .is_some_and(|leaf| leaf.status.result() == CrlSetResult::Good)
        {
            CrlSetResult::Good
        } else {
            CrlSetResult::Unknown
        };
        let interception = certs.iter().any(|a| a.known_interception_key).then_some(
            if result == CrlSetResult::Revoked {
                Interception::Blocked
            } else {
                Interception::Detected
            },
        );
        ChainAnswer {
            result,
            revoked_at,
            expired,
            certs,
            interception,
        }
    }
}
