//! Reading a CRL (RFC 5280 section 5) into what lookups need: its metadata
//! and a sorted index of the serials it lists. The raw bytes are not kept.
//!
//! ```text
//! CertificateList  ::=  SEQUENCE  {
//!      tbsCertList          TBSCertList,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//! TBSCertList  ::=  SEQUENCE  {
//!      version                 Version OPTIONAL,  -- if present, MUST be v2
//!      signature               AlgorithmIdentifier,
//!      issuer                  Name,
//!      thisUpdate              Time,
//!      nextUpdate              Time OPTIONAL,
//!      revokedCertificates     SEQUENCE OF SEQUENCE  {
//!           userCertificate         CertificateSerialNumber,
//!           revocationDate          Time,
//!           crlEntryExtensions      Extensions OPTIONAL }  OPTIONAL,
//!      crlExtensions           [0]  EXPLICIT Extensions OPTIONAL }
//! ```
//!
//! The outer structure is read field by field, like `cert.rs` reads a
//! certificate, because a CRL can list hundreds of thousands of serials:
//! each entry is read in place (its serial's content octets appended to one
//! buffer), not decoded into an owned `x509_cert::crl::RevokedCert`. The
//! extension values are decoded with `x509-cert`'s types. A version-less
//! (v1) list is read too, which `x509_cert::crl::TbsCertList` refuses.

use der::asn1::{AnyRef, GeneralizedTime, ObjectIdentifier, OctetStringRef};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::DistributionPointName;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlReason};
use x509_cert::time::Time;

use super::error::CrlError;
use super::CrlReasonCode;
use crate::cert::Cert;
use crate::limits::{MAX_CRL_ENTRIES, MAX_CRL_LEN, MAX_SERIAL_LEN};
use crate::oid;
use crate::verify::{SignatureAlgorithm, SignatureVerifier, SignedData};

/// A CRL read and checked against its issuer: everything but the entries'
/// scope and the time, which depend on the certificate and the moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrlList {
    /// DER of the issuer Name, the whole TLV.
    pub issuer_der: Vec<u8>,
    /// SHA-256 of the SubjectPublicKeyInfo whose key verified the signature.
    pub signer_spki_sha256: [u8; 32],
    pub signature_algorithm: SignatureAlgorithm,
    pub this_update: u64,
    pub next_update: Option<u64>,
    /// cRLNumber's content octets, if present.
    pub crl_number: Option<Vec<u8>>,
    pub scope: Scope,
    /// Serials' content octets, one after another; `entries` point into it.
    pub(super) serials: Vec<u8>,
    /// Sorted by serial (length, then bytes).
    pub(super) entries: Vec<Entry>,
    /// `search_key` of each entry's serial, in the entries' order: a lookup
    /// searches these contiguous words, and reads a serial's bytes only
    /// where the keys are equal (a search through `entries` read a serial
    /// from another buffer at every step, which in a list of 200,000
    /// entries cost more in cache misses than in comparisons).
    pub(super) keys: Vec<u64>,
}

/// A serial's search key: its length in the top octet, then its first seven
/// octets. Keys order as [`order`] does, except that serials sharing a
/// length and their first seven octets share a key.
fn search_key(serial: &[u8]) -> u64 {
    let mut key = (serial.len() as u64) << 56;
    for (i, byte) in serial.iter().take(7).enumerate() {
        key |= u64::from(*byte) << (48 - 8 * i);
    }
    key
}

/// The search keys of `entries`, whose serials are in `serials`.
pub(super) fn search_keys(serials: &[u8], entries: &[Entry]) -> Vec<u64> {
    entries
        .iter()
        .map(|e| search_key(&serials[e.offset as usize..e.offset as usize + usize::from(e.len)]))
        .collect()
}

/// The Issuing Distribution Point (RFC 5280 section 5.2.5), as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The IDP is present.
    pub present: bool,
    /// Its `fullName` URIs.
    pub urls: Vec<String>,
    /// Its distributionPoint is a `nameRelativeToCRLIssuer`, or a fullName
    /// without URIs, which no certificate's URL can be matched with.
    pub unmatchable_name: bool,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    pub only_attribute_certs: bool,
    /// onlySomeReasons, as ReasonFlags bits.
    pub only_some_reasons: Option<u16>,
}

/// One listed serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    /// Where its serial starts in the list's serials.
    pub(super) offset: u32,
    pub(super) len: u8,
    pub(super) reason: Option<CrlReasonCode>,
    pub(super) revoked_at: u64,
    pub(super) invalidity: Option<u64>,
}

/// What the list says of one serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    pub revoked_at: u64,
    pub reason: Option<CrlReasonCode>,
    pub invalidity: Option<u64>,
}

fn malformed(part: &'static str) -> impl Fn(der::Error) -> CrlError {
    move |cause| CrlError::Malformed {
        part,
        cause: cause.to_string(),
    }
}

fn wrong_tag(part: &'static str, expected: Tag, found: Tag) -> CrlError {
    CrlError::Malformed {
        part,
        cause: format!("expected {expected}, found {found}"),
    }
}

/// Reads one TLV that must carry `tag`; returns its content octets.
fn content<'a>(
    r: &mut SliceReader<'a>,
    tag: Tag,
    part: &'static str,
) -> Result<&'a [u8], CrlError> {
    let any: AnyRef<'a> = r.decode().map_err(malformed(part))?;
    if any.tag() != tag {
        return Err(wrong_tag(part, tag, any.tag()));
    }
    Ok(any.value())
}

fn finished(r: &SliceReader<'_>, part: &'static str) -> Result<(), CrlError> {
    if r.is_finished() {
        return Ok(());
    }
    Err(CrlError::Malformed {
        part,
        cause: format!("{} bytes of trailing data", u32::from(r.remaining_len())),
    })
}

fn time(r: &mut SliceReader<'_>, part: &'static str) -> Result<u64, CrlError> {
    let t: Time = r.decode().map_err(malformed(part))?;
    Ok(t.to_unix_duration().as_secs())
}

fn is_time(tag: Result<Tag, der::Error>) -> bool {
    matches!(tag, Ok(Tag::UtcTime | Tag::GeneralizedTime))
}

/// Dotted text of an OID's content octets.
fn oid_text(content: &[u8]) -> String {
    ObjectIdentifier::from_bytes(content)
        .map(|oid| oid.to_string())
        .unwrap_or_else(|_| format!("(malformed OID {})", crate::hex::encode(content)))
}

/// One Extension: (extnID content octets, critical, extnValue's octets).
fn extension<'a>(
    r: &mut SliceReader<'a>,
    part: &'static str,
) -> Result<(&'a [u8], bool, &'a [u8]), CrlError> {
    let ext = content(r, Tag::Sequence, part)?;
    let mut e = SliceReader::new(ext).map_err(malformed(part))?;
    let id = content(&mut e, Tag::ObjectIdentifier, part)?;
    // An explicit FALSE is not DER, but issuers write it (as in certificates).
    let critical = if e.peek_tag() == Ok(Tag::Boolean) {
        e.decode::<bool>().map_err(malformed(part))?
    } else {
        false
    };
    let value: OctetStringRef<'a> = e.decode().map_err(malformed(part))?;
    finished(&e, part)?;
    Ok((id, critical, value.as_bytes()))
}

/// Reads every extension of one Extensions SEQUENCE's content, refusing
/// repeats, and hands each to `each`.
fn extensions<'a>(
    list: &'a [u8],
    part: &'static str,
    mut each: impl FnMut(&'a [u8], bool, &'a [u8]) -> Result<(), CrlError>,
) -> Result<(), CrlError> {
    let mut r = SliceReader::new(list).map_err(malformed(part))?;
    let mut seen: Vec<&[u8]> = Vec::with_capacity(4);
    while !r.is_finished() {
        let (id, critical, value) = extension(&mut r, part)?;
        if seen.contains(&id) {
            return Err(CrlError::DuplicateExtension { oid: oid_text(id) });
        }
        seen.push(id);
        each(id, critical, value)?;
    }
    Ok(())
}

fn decode<'a, T: Decode<'a>>(part: &'static str, value: &'a [u8]) -> Result<T, CrlError> {
    T::from_der(value).map_err(malformed(part))
}

/// The list-level facts that extensions carry.
#[derive(Default)]
struct ListExtensions {
    crl_number: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    scope: Scope,
}

fn list_extensions(list: &[u8]) -> Result<ListExtensions, CrlError> {
    let mut out = ListExtensions::default();
    extensions(list, "crlExtensions", |id, critical, value| {
        let is = |oid: &ObjectIdentifier| oid.as_bytes() == id;
        match () {
            _ if is(&oid::ID_CE_AUTHORITY_KEY_IDENTIFIER) => {
                let aki: AuthorityKeyIdentifier = decode("authorityKeyIdentifier", value)?;
                out.authority_key_id = aki.key_identifier.map(|id| id.as_bytes().to_vec());
            }
            _ if is(&oid::ID_CE_CRL_NUMBER) => {
                let number: der::asn1::UintRef<'_> = decode("cRLNumber", value)?;
                out.crl_number = Some(number.as_bytes().to_vec());
            }
            _ if is(&oid::ID_CE_DELTA_CRL_INDICATOR) => return Err(CrlError::DeltaUnsupported),
            _ if is(&oid::ID_CE_ISSUING_DISTRIBUTION_POINT) => {
                out.scope = scope(decode("issuingDistributionPoint", value)?)?;
            }
            // Read nowhere, but known (RFC 5280 sections 5.2.2, 5.2.6, 5.2.7):
            // freshestCRL points at delta CRLs, which are not used.
            _ if is(&oid::ID_CE_ISSUER_ALT_NAME)
                || is(&oid::ID_CE_FRESHEST_CRL)
                || is(&oid::ID_PE_AUTHORITY_INFO_ACCESS) => {}
            _ if critical => {
                return Err(CrlError::UnknownCriticalExtension {
                    oid: oid_text(id),
                    serial: None,
                })
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

fn scope(idp: IssuingDistributionPoint) -> Result<Scope, CrlError> {
    if idp.indirect_crl {
        return Err(CrlError::IndirectUnsupported {
            why: "the Issuing Distribution Point sets indirectCRL",
        });
    }
    let (urls, unmatchable_name) = match idp.distribution_point {
        Some(DistributionPointName::FullName(names)) => {
            let urls = crate::cert::uris(&names);
            let unmatchable = urls.is_empty();
            (urls, unmatchable)
        }
        Some(DistributionPointName::NameRelativeToCRLIssuer(_)) => (Vec::new(), true),
        None => (Vec::new(), false),
    };
    Ok(Scope {
        present: true,
        urls,
        unmatchable_name,
        only_user_certs: idp.only_contains_user_certs,
        only_ca_certs: idp.only_contains_ca_certs,
        only_attribute_certs: idp.only_contains_attribute_certs,
        only_some_reasons: idp.only_some_reasons.map(|flags| flags.bits()),
    })
}

/// An entry's extensions: its reason and invalidity date.
fn entry_extensions(
    list: &[u8],
    serial: &[u8],
) -> Result<(Option<CrlReasonCode>, Option<u64>), CrlError> {
    let (mut reason, mut invalidity) = (None, None);
    extensions(list, "crlEntryExtensions", |id, critical, value| {
        let is = |oid: &ObjectIdentifier| oid.as_bytes() == id;
        match () {
            _ if is(&oid::ID_CE_CRL_REASONS) => {
                let code: CrlReason = decode("reasonCode", value)?;
                reason = Some(CrlReasonCode::from(code));
            }
            _ if is(&oid::ID_CE_INVALIDITY_DATE) => {
                let at: GeneralizedTime = decode("invalidityDate", value)?;
                invalidity = Some(at.to_unix_duration().as_secs());
            }
            _ if is(&oid::ID_CE_CERTIFICATE_ISSUER) => {
                return Err(CrlError::IndirectUnsupported {
                    why: "an entry names a certificateIssuer",
                })
            }
            // holdInstructionCode (RFC 5280 section 5.3.2 of RFC 3280): advice only.
            _ if is(&oid::ID_CE_HOLD_INSTRUCTION_CODE) => {}
            _ if critical => {
                return Err(CrlError::UnknownCriticalExtension {
                    oid: oid_text(id),
                    serial: Some(crate::hex::encode(serial)),
                })
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok((reason, invalidity))
}

/// The parts of a CRL before its entries, and the entries' bytes.
struct Tbs<'a> {
    version: u64,
    algorithm: &'a [u8],
    issuer_der: &'a [u8],
    this_update: u64,
    next_update: Option<u64>,
    entries: Option<&'a [u8]>,
    extensions: Option<&'a [u8]>,
}

fn read_tbs(tbs: &[u8]) -> Result<Tbs<'_>, CrlError> {
    let part = "tbsCertList";
    let mut r = SliceReader::new(tbs).map_err(malformed(part))?;
    let version = if r.peek_tag() == Ok(Tag::Integer) {
        let v: u64 = r.decode().map_err(malformed("version"))?;
        if v != 1 {
            return Err(CrlError::UnsupportedVersion(v));
        }
        v
    } else {
        0
    };
    let algorithm = sequence_tlv(&mut r, "signature")?;
    let issuer_der = sequence_tlv(&mut r, "issuer")?;
    let this_update = time(&mut r, "thisUpdate")?;
    let next_update = if is_time(r.peek_tag()) {
        Some(time(&mut r, "nextUpdate")?)
    } else {
        None
    };
    let entries = if r.peek_tag() == Ok(Tag::Sequence) {
        Some(content(&mut r, Tag::Sequence, "revokedCertificates")?)
    } else {
        None
    };
    let extensions = if matches!(r.peek_tag(), Ok(Tag::ContextSpecific { number, constructed: true }) if number == TagNumber::N0)
    {
        let wrapper: AnyRef<'_> = r.decode().map_err(malformed("crlExtensions"))?;
        let mut w = SliceReader::new(wrapper.value()).map_err(malformed("crlExtensions"))?;
        let list = content(&mut w, Tag::Sequence, "crlExtensions")?;
        finished(&w, "crlExtensions")?;
        Some(list)
    } else {
        None
    };
    finished(&r, part)?;
    if version == 0 && extensions.is_some() {
        return Err(CrlError::Malformed {
            part: "crlExtensions",
            cause: "a v1 CRL carries extensions".into(),
        });
    }
    Ok(Tbs {
        version,
        algorithm,
        issuer_der,
        this_update,
        next_update,
        entries,
        extensions,
    })
}

fn sequence_tlv<'a>(r: &mut SliceReader<'a>, part: &'static str) -> Result<&'a [u8], CrlError> {
    let tag = r.peek_tag().map_err(malformed(part))?;
    if tag != Tag::Sequence {
        return Err(wrong_tag(part, Tag::Sequence, tag));
    }
    r.tlv_bytes().map_err(malformed(part))
}

/// The signed parts of a CertificateList, its size checked.
fn signed_data(der: &[u8]) -> Result<SignedData<'_>, CrlError> {
    if der.len() > MAX_CRL_LEN {
        return Err(CrlError::TooLarge {
            len: der.len(),
            max: MAX_CRL_LEN,
        });
    }
    let part = "CertificateList";
    let mut outer = SliceReader::new(der).map_err(malformed(part))?;
    let list = content(&mut outer, Tag::Sequence, part)?;
    finished(&outer, part)?;
    let mut r = SliceReader::new(list).map_err(malformed(part))?;
    let signed = SignedData::read(&mut r).map_err(malformed(part))?;
    finished(&r, part)?;
    Ok(signed)
}

impl CrlList {
    /// Reads the DER CRL `der`, checks that `issuer` issued it (its Name,
    /// its key identifier, its keyUsage, its signature) and indexes it.
    pub fn read(
        der: &[u8],
        issuer: &Cert,
        verifier: &dyn SignatureVerifier,
    ) -> Result<Self, CrlError> {
        let signed = signed_data(der)?;
        let tbs_content = {
            let mut r = SliceReader::new(signed.data).map_err(malformed("tbsCertList"))?;
            let content = content(&mut r, Tag::Sequence, "tbsCertList")?;
            finished(&r, "tbsCertList")?;
            content
        };
        let tbs = read_tbs(tbs_content)?;
        if tbs.algorithm != signed.algorithm {
            return Err(CrlError::AlgorithmMismatch);
        }
        let ext = match tbs.extensions {
            Some(list) => list_extensions(list)?,
            None => ListExtensions::default(),
        };
        check_issuer(&tbs, &ext, issuer)?;
        let signature_algorithm = signed
            .verify(issuer.spki.der(), verifier)
            .map_err(CrlError::Signature)?;
        let (serials, entries) = match tbs.entries {
            Some(list) => index(list, tbs.version)?,
            None => (Vec::new(), Vec::new()),
        };
        Ok(CrlList {
            issuer_der: tbs.issuer_der.to_vec(),
            signer_spki_sha256: *issuer.spki.sha256(),
            signature_algorithm,
            this_update: tbs.this_update,
            next_update: tbs.next_update,
            crl_number: ext.crl_number,
            scope: ext.scope,
            keys: search_keys(&serials, &entries),
            serials,
            entries,
        })
    }

    /// How many serials the list holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn serial_of(&self, entry: &Entry) -> &[u8] {
        let start = entry.offset as usize;
        &self.serials[start..start + usize::from(entry.len)]
    }

    /// The entry for the serial with these content octets, if listed.
    pub fn find(&self, serial: &[u8]) -> Option<Listed> {
        let key = search_key(serial);
        let first = self.keys.partition_point(|&k| k < key);
        let at = (first..self.keys.len())
            .take_while(|&i| self.keys[i] == key)
            .find(|&i| self.serial_of(&self.entries[i]) == serial)?;
        let e = self.entries[at];
        Some(Listed {
            revoked_at: e.revoked_at,
            reason: e.reason,
            invalidity: e.invalidity,
        })
    }
}

/// Serials ordered by length, then bytes: any total order finds exact
/// content octets, and this one compares fewest bytes.
pub(super) fn order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn check_issuer(tbs: &Tbs<'_>, ext: &ListExtensions, issuer: &Cert) -> Result<(), CrlError> {
    if tbs.issuer_der != issuer.subject_der.as_slice() {
        return Err(CrlError::WrongIssuer {
            why: format!(
                "the CRL's issuer is {}, the certificate's issuer is {}",
                crate::name::to_rfc4514(tbs.issuer_der),
                issuer.subject
            ),
        });
    }
    if let (Some(aki), Some(ski)) = (&ext.authority_key_id, &issuer.subject_key_id) {
        if aki != ski {
            return Err(CrlError::WrongIssuer {
                why: format!(
                    "its authorityKeyIdentifier {} is not the issuer's subjectKeyIdentifier {}",
                    crate::hex::encode(aki),
                    crate::hex::encode(ski)
                ),
            });
        }
    }
    // RFC 5280 section 6.3.3 (f): a key usage extension must allow cRLSign.
    const CRL_SIGN: u16 = 1 << 6;
    if matches!(issuer.key_usage, Some(bits) if bits & CRL_SIGN == 0) {
        return Err(CrlError::WrongIssuer {
            why: "the issuer's keyUsage does not allow cRLSign".into(),
        });
    }
    Ok(())
}

/// Reads every entry into one serial buffer and a sorted entry list.
fn index(list: &[u8], version: u64) -> Result<(Vec<u8>, Vec<Entry>), CrlError> {
    let part = "revokedCertificates";
    let mut r = SliceReader::new(list).map_err(malformed(part))?;
    let mut serials = Vec::new();
    let mut entries = Vec::new();
    while !r.is_finished() {
        if entries.len() == MAX_CRL_ENTRIES {
            return Err(CrlError::TooManyEntries {
                max: MAX_CRL_ENTRIES,
            });
        }
        let entry = content(&mut r, Tag::Sequence, part)?;
        let mut e = SliceReader::new(entry).map_err(malformed(part))?;
        let serial = content(&mut e, Tag::Integer, "userCertificate")?;
        if serial.is_empty() || serial.len() > MAX_SERIAL_LEN {
            return Err(CrlError::Malformed {
                part: "userCertificate",
                cause: format!(
                    "a serial of {} octets (1 to {MAX_SERIAL_LEN} are read)",
                    serial.len()
                ),
            });
        }
        let revoked_at = time(&mut e, "revocationDate")?;
        let (reason, invalidity) = if e.is_finished() {
            (None, None)
        } else {
            if version == 0 {
                return Err(CrlError::Malformed {
                    part: "crlEntryExtensions",
                    cause: "a v1 CRL entry carries extensions".into(),
                });
            }
            let exts = content(&mut e, Tag::Sequence, "crlEntryExtensions")?;
            entry_extensions(exts, serial)?
        };
        finished(&e, part)?;
        entries.push(Entry {
            // MAX_CRL_LEN keeps offsets within u32, MAX_SERIAL_LEN lengths within u8.
            offset: serials.len() as u32,
            len: serial.len() as u8,
            reason,
            revoked_at,
            invalidity,
        });
        serials.extend_from_slice(serial);
    }
    let at = |e: &Entry| &serials[e.offset as usize..e.offset as usize + usize::from(e.len)];
    // A serial listed twice: the revoking entry wins over removeFromCRL,
    // whatever their order in the list, and only one is kept.
    let removes = |e: &Entry| e.reason == Some(CrlReasonCode::RemoveFromCrl);
    entries.sort_unstable_by(|a, b| order(at(a), at(b)).then(removes(a).cmp(&removes(b))));
    entries.dedup_by(|later, kept| at(later) == at(kept));
    Ok((serials, entries))
}
