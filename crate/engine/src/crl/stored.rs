//! A read and checked [`CrlList`] in a compact binary form, for a host to
//! keep across restarts (the extension, in IndexedDB) and hand back: the
//! list's metadata and its serial index, never the CRL's own bytes, so the
//! signature is not checked again. The bytes come back from storage the
//! engine does not control, so reading them is as strict as reading a CRL:
//! every length bounded by the limit it comes from before anything is
//! allocated, every offset inside its buffer, the entries strictly sorted
//! as [`CrlList::find`] needs them (a CRL's reading keeps one entry per
//! serial), and a SHA-256 over the whole that a
//! damaged or half-written record fails. Only the canonical form reads:
//! whatever [`CrlList::from_bytes`] accepts, [`CrlList::to_bytes`] writes
//! again byte for byte.
//!
//! Version 1, integers little-endian:
//!
//! ```text
//! magic               4   "rvcl"
//! version             1   1
//! issuer_der          u32 length, then one DER SEQUENCE (a Name)
//! signer_spki_sha256  32
//! signature           u8 scheme (0 RSA PKCS#1 v1.5, 1 RSA-PSS, 2 ECDSA),
//!                     u8 hash (0 SHA-1, 1 SHA-256, 2 SHA-384, 3 SHA-512)
//! this_update         u64 seconds
//! next_update         u8 0 (absent) or 1, then u64 seconds
//! crl_number          u8 0 (absent) or 1, then u32 length and the octets
//! scope               u8 flags: 1 present, 2 unmatchable_name,
//!                     4 only_user_certs, 8 only_ca_certs,
//!                     16 only_attribute_certs, 32 only_some_reasons;
//!                     u16 only_some_reasons (with flag 32);
//!                     u32 URL count, each a u32 length and UTF-8
//! serials             u32 length, the serials' content octets
//! entries             u32 count, each: u32 offset, u8 length,
//!                     u8 reason (RFC 5280 section 5.3.1 CRLReason, 255 none),
//!                     u8 0 or 1 (invalidityDate), u64 revocation time,
//!                     u64 invalidity date (with the 1)
//! digest              32  SHA-256 of everything before it
//! ```

use sha2::{Digest, Sha256};

use super::list::{order, Entry};
use super::{CrlList, CrlReasonCode, Scope};
use crate::limits::{MAX_CRL_ENTRIES, MAX_CRL_LEN, MAX_SERIAL_LEN};
use crate::verify::{Hash, SignatureAlgorithm};

const MAGIC: [u8; 4] = *b"rvcl";
/// The version [`CrlList::to_bytes`] writes and the only one read.
pub const STORED_CRL_VERSION: u8 = 1;
const DIGEST_LEN: usize = 32;
const NO_REASON: u8 = 255;

const PRESENT: u8 = 1;
const UNMATCHABLE_NAME: u8 = 2;
const ONLY_USER_CERTS: u8 = 4;
const ONLY_CA_CERTS: u8 = 8;
const ONLY_ATTRIBUTE_CERTS: u8 = 16;
const ONLY_SOME_REASONS: u8 = 32;
const KNOWN_FLAGS: u8 = 63;

/// The smallest entry: offset, length, reason, flag, revocation time.
const MIN_ENTRY_LEN: usize = 4 + 1 + 1 + 1 + 8;

/// Why stored bytes are not a usable list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredCrlError {
    /// The bytes do not start with this format's magic.
    NotAStoredCrl,
    /// A version of the format this engine does not read.
    UnsupportedVersion(u8),
    /// The SHA-256 at the end is not the bytes' own: damaged, or cut short.
    DigestMismatch,
    /// The bytes end inside `part`.
    Truncated { part: &'static str },
    /// Bytes after the last entry, before the digest.
    TrailingData { len: usize },
    /// A length or count over the limit a CRL's own reading holds it to.
    TooLarge {
        part: &'static str,
        len: usize,
        max: usize,
    },
    /// A value no list read from a CRL holds.
    Invalid { part: &'static str, why: String },
    /// The entry at `at` sorts before the one ahead of it, or has its
    /// serial: lookups would miss, or find either.
    Unsorted { at: usize },
    /// The list reads, and is no longer (or not yet) usable at the time
    /// given ([`super::check_time`]).
    Unusable(super::CrlError),
}

impl std::fmt::Display for StoredCrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAStoredCrl => f.write_str("not a stored CRL (no \"rvcl\" magic)"),
            Self::UnsupportedVersion(v) => write!(
                f,
                "a stored CRL of version {v}; this engine reads version {STORED_CRL_VERSION}"
            ),
            Self::DigestMismatch => f.write_str(
                "the stored CRL's SHA-256 does not match its bytes (damaged or cut short)",
            ),
            Self::Truncated { part } => write!(f, "the stored CRL ends inside its {part}"),
            Self::TrailingData { len } => {
                write!(f, "the stored CRL has {len} bytes after its last entry")
            }
            Self::TooLarge { part, len, max } => {
                write!(
                    f,
                    "the stored CRL's {part} is {len}, over the limit of {max}"
                )
            }
            Self::Invalid { part, why } => write!(f, "the stored CRL's {part}: {why}"),
            Self::Unsorted { at } => write!(
                f,
                "the stored CRL's entry {at} does not sort after the one ahead of it"
            ),
            Self::Unusable(e) => write!(f, "the stored CRL is not usable now: {e}"),
        }
    }
}

impl std::error::Error for StoredCrlError {}

fn invalid(part: &'static str, why: impl Into<String>) -> StoredCrlError {
    StoredCrlError::Invalid {
        part,
        why: why.into(),
    }
}

/// A length as the format writes it. Every list read from a CRL or from
/// these bytes keeps its lengths under `MAX_CRL_LEN`; a larger one, set by
/// hand in a public field, is written as `u32::MAX`, which no reading
/// accepts.
fn len32(len: usize) -> [u8; 4] {
    u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes()
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, v: &[u8]) {
        self.0.extend_from_slice(&len32(v.len()));
        self.0.extend_from_slice(v);
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, part: &'static str) -> Result<&'a [u8], StoredCrlError> {
        if n > self.rest.len() {
            return Err(StoredCrlError::Truncated { part });
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self, part: &'static str) -> Result<[u8; N], StoredCrlError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N, part)?);
        Ok(out)
    }
    fn u8(&mut self, part: &'static str) -> Result<u8, StoredCrlError> {
        Ok(self.array::<1>(part)?[0])
    }
    fn u16(&mut self, part: &'static str) -> Result<u16, StoredCrlError> {
        Ok(u16::from_le_bytes(self.array(part)?))
    }
    fn u32(&mut self, part: &'static str) -> Result<u32, StoredCrlError> {
        Ok(u32::from_le_bytes(self.array(part)?))
    }
    fn u64(&mut self, part: &'static str) -> Result<u64, StoredCrlError> {
        Ok(u64::from_le_bytes(self.array(part)?))
    }
    /// A count or length, refused over `max` before anything is taken.
    fn len(&mut self, part: &'static str, max: usize) -> Result<usize, StoredCrlError> {
        let len = self.u32(part)? as usize;
        if len > max {
            return Err(StoredCrlError::TooLarge { part, len, max });
        }
        Ok(len)
    }
    /// A u32 length of at most `max`, then that many bytes.
    fn bytes(&mut self, part: &'static str, max: usize) -> Result<&'a [u8], StoredCrlError> {
        let len = self.len(part, max)?;
        self.take(len, part)
    }
    /// 0 (absent) or 1 (present).
    fn flag(&mut self, part: &'static str) -> Result<bool, StoredCrlError> {
        match self.u8(part)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(invalid(part, format!("presence byte {other} (0 or 1)"))),
        }
    }
}

fn algorithm_code(algorithm: SignatureAlgorithm) -> [u8; 2] {
    let (scheme, hash) = match algorithm {
        SignatureAlgorithm::RsaPkcs1(hash) => (0, hash),
        SignatureAlgorithm::RsaPss(hash) => (1, hash),
        SignatureAlgorithm::Ecdsa(hash) => (2, hash),
    };
    let hash = match hash {
        Hash::Sha1 => 0,
        Hash::Sha256 => 1,
        Hash::Sha384 => 2,
        Hash::Sha512 => 3,
    };
    [scheme, hash]
}

fn algorithm_of([scheme, hash]: [u8; 2]) -> Result<SignatureAlgorithm, StoredCrlError> {
    let hash = match hash {
        0 => Hash::Sha1,
        1 => Hash::Sha256,
        2 => Hash::Sha384,
        3 => Hash::Sha512,
        other => return Err(invalid("signature algorithm", format!("hash {other}"))),
    };
    Ok(match scheme {
        0 => SignatureAlgorithm::RsaPkcs1(hash),
        1 => SignatureAlgorithm::RsaPss(hash),
        2 => SignatureAlgorithm::Ecdsa(hash),
        other => return Err(invalid("signature algorithm", format!("scheme {other}"))),
    })
}

/// CRLReason's value (RFC 5280 section 5.3.1).
fn reason_code(reason: CrlReasonCode) -> u8 {
    match reason {
        CrlReasonCode::Unspecified => 0,
        CrlReasonCode::KeyCompromise => 1,
        CrlReasonCode::CaCompromise => 2,
        CrlReasonCode::AffiliationChanged => 3,
        CrlReasonCode::Superseded => 4,
        CrlReasonCode::CessationOfOperation => 5,
        CrlReasonCode::CertificateHold => 6,
        CrlReasonCode::RemoveFromCrl => 8,
        CrlReasonCode::PrivilegeWithdrawn => 9,
        CrlReasonCode::AaCompromise => 10,
    }
}

fn reason_of(code: u8) -> Result<Option<CrlReasonCode>, StoredCrlError> {
    Ok(Some(match code {
        NO_REASON => return Ok(None),
        0 => CrlReasonCode::Unspecified,
        1 => CrlReasonCode::KeyCompromise,
        2 => CrlReasonCode::CaCompromise,
        3 => CrlReasonCode::AffiliationChanged,
        4 => CrlReasonCode::Superseded,
        5 => CrlReasonCode::CessationOfOperation,
        6 => CrlReasonCode::CertificateHold,
        8 => CrlReasonCode::RemoveFromCrl,
        9 => CrlReasonCode::PrivilegeWithdrawn,
        10 => CrlReasonCode::AaCompromise,
        other => return Err(invalid("entry reason", format!("CRLReason {other}"))),
    }))
}

fn scope_flags(scope: &Scope) -> u8 {
    [
        (scope.present, PRESENT),
        (scope.unmatchable_name, UNMATCHABLE_NAME),
        (scope.only_user_certs, ONLY_USER_CERTS),
        (scope.only_ca_certs, ONLY_CA_CERTS),
        (scope.only_attribute_certs, ONLY_ATTRIBUTE_CERTS),
        (scope.only_some_reasons.is_some(), ONLY_SOME_REASONS),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .fold(0, |flags, (_, bit)| flags | bit)
}

fn read_scope(r: &mut Reader<'_>) -> Result<Scope, StoredCrlError> {
    let flags = r.u8("scope")?;
    if flags & !KNOWN_FLAGS != 0 {
        return Err(invalid("scope", format!("unknown flags {flags:#04x}")));
    }
    let only_some_reasons = if flags & ONLY_SOME_REASONS != 0 {
        Some(r.u16("scope's onlySomeReasons")?)
    } else {
        None
    };
    // Each URL takes at least its length: a count the bytes cannot hold is
    // refused before anything is allocated for it.
    let count = r.len("scope's URL count", MAX_CRL_LEN)?;
    if count > r.rest.len() / 4 {
        return Err(StoredCrlError::Truncated {
            part: "scope's URLs",
        });
    }
    let mut urls = Vec::with_capacity(count);
    for _ in 0..count {
        let url = r.bytes("scope's URL", MAX_CRL_LEN)?;
        let url = std::str::from_utf8(url).map_err(|e| invalid("scope's URL", e.to_string()))?;
        urls.push(url.to_owned());
    }
    let scope = Scope {
        present: flags & PRESENT != 0,
        urls,
        unmatchable_name: flags & UNMATCHABLE_NAME != 0,
        only_user_certs: flags & ONLY_USER_CERTS != 0,
        only_ca_certs: flags & ONLY_CA_CERTS != 0,
        only_attribute_certs: flags & ONLY_ATTRIBUTE_CERTS != 0,
        only_some_reasons,
    };
    // What reading a CRL's Issuing Distribution Point can make: nothing
    // without one, and no URL beside an unmatchable name.
    if !scope.present && scope != Scope::default() {
        return Err(invalid(
            "scope",
            "restrictions without an Issuing Distribution Point",
        ));
    }
    if scope.unmatchable_name && !scope.urls.is_empty() {
        return Err(invalid("scope", "URLs beside an unmatchable name"));
    }
    Ok(scope)
}

/// The issuer Name: one DER SEQUENCE, nothing after it.
fn check_issuer(der: &[u8]) -> Result<(), StoredCrlError> {
    use der::{Reader as _, SliceReader, Tag};
    let part = "issuer";
    let mut r = SliceReader::new(der).map_err(|e| invalid(part, e.to_string()))?;
    let tag = r.peek_tag().map_err(|e| invalid(part, e.to_string()))?;
    if tag != Tag::Sequence {
        return Err(invalid(part, format!("expected SEQUENCE, found {tag}")));
    }
    r.tlv_bytes().map_err(|e| invalid(part, e.to_string()))?;
    if !r.is_finished() {
        return Err(invalid(part, "bytes after the Name"));
    }
    Ok(())
}

fn read_entries(r: &mut Reader<'_>, serials: &[u8]) -> Result<Vec<Entry>, StoredCrlError> {
    let count = r.len("entry count", MAX_CRL_ENTRIES)?;
    if count > r.rest.len() / MIN_ENTRY_LEN {
        return Err(StoredCrlError::Truncated { part: "entries" });
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(count);
    for at in 0..count {
        let offset = r.u32("entry")?;
        let len = r.u8("entry")?;
        let reason = reason_of(r.u8("entry")?)?;
        let has_invalidity = r.flag("entry's invalidityDate")?;
        let revoked_at = r.u64("entry")?;
        let invalidity = if has_invalidity {
            Some(r.u64("entry")?)
        } else {
            None
        };
        if len == 0 || usize::from(len) > MAX_SERIAL_LEN {
            return Err(invalid(
                "entry",
                format!("a serial of {len} octets (1 to {MAX_SERIAL_LEN} are read)"),
            ));
        }
        let end = offset as usize + usize::from(len);
        if end > serials.len() {
            return Err(invalid(
                "entry",
                format!(
                    "serial at {offset}..{end}, outside the {} bytes of serials",
                    serials.len()
                ),
            ));
        }
        let entry = Entry {
            offset,
            len,
            reason,
            revoked_at,
            invalidity,
        };
        if let Some(before) = entries.last() {
            let serial =
                |e: &Entry| &serials[e.offset as usize..e.offset as usize + usize::from(e.len)];
            if !order(serial(before), serial(&entry)).is_lt() {
                return Err(StoredCrlError::Unsorted { at });
            }
        }
        entries.push(entry);
    }
    // The serials may hold octets no entry points at: those of the entries
    // a CRL's reading dropped as repeats. They are bounded like the rest.
    Ok(entries)
}

impl CrlList {
    /// The list in this module's binary form (version [`STORED_CRL_VERSION`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = &self.entries;
        let mut w = Writer(Vec::with_capacity(
            128 + self.issuer_der.len() + self.serials.len() + entries.len() * 23,
        ));
        w.0.extend_from_slice(&MAGIC);
        w.u8(STORED_CRL_VERSION);
        w.bytes(&self.issuer_der);
        w.0.extend_from_slice(&self.signer_spki_sha256);
        w.0.extend_from_slice(&algorithm_code(self.signature_algorithm));
        w.u64(self.this_update);
        match self.next_update {
            Some(t) => {
                w.u8(1);
                w.u64(t);
            }
            None => w.u8(0),
        }
        match &self.crl_number {
            Some(n) => {
                w.u8(1);
                w.bytes(n);
            }
            None => w.u8(0),
        }
        w.u8(scope_flags(&self.scope));
        if let Some(bits) = self.scope.only_some_reasons {
            w.u16(bits);
        }
        w.0.extend_from_slice(&len32(self.scope.urls.len()));
        for url in &self.scope.urls {
            w.bytes(url.as_bytes());
        }
        w.bytes(&self.serials);
        w.0.extend_from_slice(&len32(entries.len()));
        for e in entries {
            w.u32(e.offset);
            w.u8(e.len);
            w.u8(e.reason.map_or(NO_REASON, reason_code));
            w.u8(u8::from(e.invalidity.is_some()));
            w.u64(e.revoked_at);
            if let Some(t) = e.invalidity {
                w.u64(t);
            }
        }
        let digest = Sha256::digest(&w.0);
        w.0.extend_from_slice(&digest);
        w.0
    }

    /// Reads what [`CrlList::to_bytes`] wrote. Untrusted bytes are refused
    /// with a precise error, never a panic; the list is not checked against
    /// its issuer again (its signature was, when it was first read), nor
    /// against a time.
    pub fn from_bytes(bytes: &[u8]) -> Result<CrlList, StoredCrlError> {
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            return Err(StoredCrlError::NotAStoredCrl);
        }
        match bytes.get(MAGIC.len()) {
            None => return Err(StoredCrlError::Truncated { part: "version" }),
            Some(&STORED_CRL_VERSION) => {}
            Some(&other) => return Err(StoredCrlError::UnsupportedVersion(other)),
        }
        let Some(body_len) = bytes.len().checked_sub(DIGEST_LEN) else {
            return Err(StoredCrlError::DigestMismatch);
        };
        let (body, digest) = bytes.split_at(body_len);
        if body.len() <= MAGIC.len() || Sha256::digest(body)[..] != *digest {
            return Err(StoredCrlError::DigestMismatch);
        }
        let mut r = Reader {
            rest: &body[MAGIC.len() + 1..],
        };
        let issuer_der = r.bytes("issuer", MAX_CRL_LEN)?;
        check_issuer(issuer_der)?;
        let signer_spki_sha256 = r.array("signer's SPKI hash")?;
        let signature_algorithm = algorithm_of(r.array("signature algorithm")?)?;
        let this_update = r.u64("thisUpdate")?;
        let next_update = if r.flag("nextUpdate")? {
            Some(r.u64("nextUpdate")?)
        } else {
            None
        };
        let crl_number = if r.flag("cRLNumber")? {
            Some(r.bytes("cRLNumber", MAX_CRL_LEN)?.to_vec())
        } else {
            None
        };
        let scope = read_scope(&mut r)?;
        let serials = r.bytes("serials", MAX_CRL_LEN)?;
        let entries = read_entries(&mut r, serials)?;
        if !r.rest.is_empty() {
            return Err(StoredCrlError::TrailingData { len: r.rest.len() });
        }
        Ok(CrlList {
            issuer_der: issuer_der.to_vec(),
            signer_spki_sha256,
            signature_algorithm,
            this_update,
            next_update,
            crl_number,
            scope,
            keys: super::list::search_keys(serials, &entries),
            serials: serials.to_vec(),
            entries,
        })
    }
}

#[cfg(test)]
mod tests {
    //! The refusals that need bytes whose digest holds: each made by
    //! changing one part of a list's form and sealing it again. The round
    //! trips on real CRLs and the byte flips are in tests/crl.rs and
    //! tests/invariants.rs.

    use super::*;

    fn sample() -> CrlList {
        // Serials [1], [2], [1, 0] sorted by length, then bytes.
        let serials = vec![0x02, 0x01, 0x01, 0x00];
        let entries = vec![
            Entry {
                offset: 1,
                len: 1,
                reason: Some(CrlReasonCode::KeyCompromise),
                revoked_at: 1_780_000_000,
                invalidity: Some(1_779_000_000),
            },
            Entry {
                offset: 0,
                len: 1,
                reason: None,
                revoked_at: 1_780_000_001,
                invalidity: None,
            },
            Entry {
                offset: 2,
                len: 2,
                reason: Some(CrlReasonCode::CertificateHold),
                revoked_at: 1_780_000_002,
                invalidity: None,
            },
        ];
        CrlList {
            issuer_der: vec![0x30, 0x00],
            signer_spki_sha256: [7; 32],
            signature_algorithm: SignatureAlgorithm::Ecdsa(Hash::Sha384),
            this_update: 1_780_272_000,
            next_update: Some(1_780_876_800),
            crl_number: Some(vec![0x01, 0x02]),
            scope: Scope {
                present: true,
                urls: vec!["http://127.0.0.1:8890/crl/int-good-1.crl".into()],
                unmatchable_name: false,
                only_user_certs: true,
                only_ca_certs: false,
                only_attribute_certs: false,
                only_some_reasons: Some(0b10),
            },
            keys: super::super::list::search_keys(&serials, &entries),
            serials,
            entries,
        }
    }

    /// The body of `list`'s form, changed by `change`, sealed again.
    fn resealed(list: &CrlList, change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut bytes = list.to_bytes();
        bytes.truncate(bytes.len() - DIGEST_LEN);
        change(&mut bytes);
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        bytes
    }

    /// Where the serials' length starts in `sample()`'s form.
    fn serials_at(list: &CrlList) -> usize {
        let mut at = 4 + 1 + 4 + list.issuer_der.len() + 32 + 2 + 8 + 1 + 8 + 1 + 4 + 2;
        at += 1 + 2 + 4 + list.scope.urls.iter().map(|u| 4 + u.len()).sum::<usize>();
        at
    }

    #[test]
    fn the_sample_reads_back_as_itself() {
        let list = sample();
        let bytes = list.to_bytes();
        assert_eq!(CrlList::from_bytes(&bytes).unwrap(), list);
        assert_eq!(
            list.find(&[1, 0]).unwrap().reason,
            Some(CrlReasonCode::CertificateHold)
        );
        // The offsets computed here match the form.
        let at = serials_at(&list);
        assert_eq!(&bytes[at..at + 4], &4u32.to_le_bytes());
        assert_eq!(&bytes[at + 4..at + 8], &[0x02, 0x01, 0x01, 0x00]);
        assert_eq!(&bytes[at + 8..at + 12], &3u32.to_le_bytes());
    }

    #[test]
    fn each_refusal_is_precise() {
        let list = sample();
        let serials = serials_at(&list);
        let entries = serials + 4 + 4 + 4;
        let cases: Vec<(&str, Vec<u8>, StoredCrlError)> = vec![
            ("empty", Vec::new(), StoredCrlError::NotAStoredCrl),
            (
                "other magic",
                b"rvcX\x01".to_vec(),
                StoredCrlError::NotAStoredCrl,
            ),
            (
                "version 2",
                resealed(&list, |b| b[4] = 2),
                StoredCrlError::UnsupportedVersion(2),
            ),
            (
                "magic and version only",
                b"rvcl\x01".to_vec(),
                StoredCrlError::DigestMismatch,
            ),
            (
                "a changed byte",
                {
                    let mut b = list.to_bytes();
                    b[20] ^= 1;
                    b
                },
                StoredCrlError::DigestMismatch,
            ),
            (
                "issuer length over the limit",
                resealed(&list, |b| b[5..9].copy_from_slice(&u32::MAX.to_le_bytes())),
                StoredCrlError::TooLarge {
                    part: "issuer",
                    len: u32::MAX as usize,
                    max: MAX_CRL_LEN,
                },
            ),
            (
                "issuer length past the end",
                resealed(&list, |b| {
                    b[5..9].copy_from_slice(&1_000_000u32.to_le_bytes())
                }),
                StoredCrlError::Truncated { part: "issuer" },
            ),
            (
                "issuer not a SEQUENCE",
                resealed(&list, |b| b[9] = 0x31),
                invalid("issuer", "expected SEQUENCE, found SET"),
            ),
            (
                "unknown scheme",
                resealed(&list, |b| b[9 + 2 + 32] = 3),
                invalid("signature algorithm", "scheme 3"),
            ),
            (
                "presence byte 2",
                resealed(&list, |b| b[9 + 2 + 32 + 2 + 8] = 2),
                invalid("nextUpdate", "presence byte 2 (0 or 1)"),
            ),
            (
                "unknown scope flag",
                resealed(&list, |b| b[9 + 2 + 32 + 2 + 8 + 9 + 1 + 4 + 2] |= 64),
                invalid("scope", "unknown flags 0x65"),
            ),
            (
                "restrictions without an IDP",
                resealed(&list, |b| b[9 + 2 + 32 + 2 + 8 + 9 + 1 + 4 + 2] &= !PRESENT),
                invalid(
                    "scope",
                    "restrictions without an Issuing Distribution Point",
                ),
            ),
            (
                "a URL that is not UTF-8",
                resealed(&list, |b| b[serials - 1] = 0xff),
                invalid(
                    "scope's URL",
                    "invalid utf-8 sequence of 1 bytes from index 39",
                ),
            ),
            (
                "entry count over the limit",
                resealed(&list, |b| {
                    b[entries - 4..entries]
                        .copy_from_slice(&(MAX_CRL_ENTRIES as u32 + 1).to_le_bytes())
                }),
                StoredCrlError::TooLarge {
                    part: "entry count",
                    len: MAX_CRL_ENTRIES + 1,
                    max: MAX_CRL_ENTRIES,
                },
            ),
            (
                "more entries than bytes",
                resealed(&list, |b| {
                    b[entries - 4..entries].copy_from_slice(&1000u32.to_le_bytes())
                }),
                StoredCrlError::Truncated { part: "entries" },
            ),
            (
                "an empty serial",
                resealed(&list, |b| b[entries + 4] = 0),
                invalid("entry", "a serial of 0 octets (1 to 32 are read)"),
            ),
            (
                "a serial past the buffer",
                resealed(&list, |b| {
                    b[entries..entries + 4].copy_from_slice(&4u32.to_le_bytes())
                }),
                invalid("entry", "serial at 4..5, outside the 4 bytes of serials"),
            ),
            (
                "an unknown reason",
                resealed(&list, |b| b[entries + 5] = 7),
                invalid("entry reason", "CRLReason 7"),
            ),
            (
                "unsorted",
                // The first entry's serial [1] becomes [2, 1]: after [2].
                resealed(&list, |b| b[entries + 4] = 2),
                StoredCrlError::Unsorted { at: 1 },
            ),
            (
                "a serial twice",
                // The second entry's serial [2] becomes the first's, [1].
                resealed(&list, |b| b[entries + 23] = 1),
                StoredCrlError::Unsorted { at: 1 },
            ),
            (
                "trailing data",
                resealed(&list, |b| b.push(0)),
                StoredCrlError::TrailingData { len: 1 },
            ),
            (
                "cut inside the last entry",
                resealed(&list, |b| b.truncate(b.len() - 1)),
                StoredCrlError::Truncated { part: "entry" },
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(CrlList::from_bytes(&bytes), Err(expected), "{name}");
        }
    }

    #[test]
    fn a_list_with_no_entries_and_no_idp_reads_back() {
        let list = CrlList {
            issuer_der: vec![0x30, 0x00],
            signer_spki_sha256: [0; 32],
            signature_algorithm: SignatureAlgorithm::RsaPkcs1(Hash::Sha256),
            this_update: 0,
            next_update: None,
            crl_number: None,
            scope: Scope::default(),
            serials: Vec::new(),
            entries: Vec::new(),
            keys: Vec::new(),
        };
        assert_eq!(CrlList::from_bytes(&list.to_bytes()).unwrap(), list);
    }
}
