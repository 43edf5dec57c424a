//! Certificate facts: what the revocation ladder needs from one certificate.
//!
//! The Name, serial and SubjectPublicKeyInfo are kept as the exact bytes of
//! the input, since OneCRL and OCSP match on those bytes, never on a
//! re-encoding. Extensions are decoded with RustCrypto's `x509-cert` types.
//!
//! ```text
//! Certificate  ::=  SEQUENCE  {                      -- RFC 5280 section 4.1
//!      tbsCertificate       TBSCertificate,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//! TBSCertificate  ::=  SEQUENCE  {
//!      version         [0]  EXPLICIT Version DEFAULT v1,
//!      serialNumber         CertificateSerialNumber,
//!      signature            AlgorithmIdentifier,
//!      issuer               Name,
//!      validity             Validity,
//!      subject              Name,
//!      subjectPublicKeyInfo SubjectPublicKeyInfo,
//!      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      extensions      [3]  EXPLICIT Extensions OPTIONAL }
//! ```

use std::sync::OnceLock;

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagMode, TagNumber, Tagged};
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, BasicConstraints, CertificatePolicies, CrlDistributionPoints,
    ExtendedKeyUsage, KeyUsage, SubjectAltName,
};

use crate::error::{CertField, Error};
use crate::limits::{MAX_CERT_LEN, MAX_SERIAL_LEN};
use crate::oid;
use crate::sct::{self, Sct};
use crate::validity::Validity;

/// RFC 6066 section 8 / RFC 7633: TLS feature `status_request` (5) is "must-staple".
pub const TLS_FEATURE_STATUS_REQUEST: u16 = 5;

/// The facts of one certificate.
#[derive(Clone, Debug, Serialize)]
pub struct Cert {
    /// X.509 version number as encoded (0 = v1, 2 = v3).
    pub version: u64,
    /// The INTEGER's content octets, exactly as encoded (a leading 0x00 kept).
    #[serde(serialize_with = "crate::hex::serialize")]
    pub serial: Vec<u8>,
    /// DER of the issuer Name, the whole TLV.
    #[serde(serialize_with = "crate::hex::serialize")]
    pub issuer_der: Vec<u8>,
    pub issuer: String,
    /// DER of the subject Name, the whole TLV.
    #[serde(serialize_with = "crate::hex::serialize")]
    pub subject_der: Vec<u8>,
    pub subject: String,
    /// The SubjectPublicKeyInfo, serialised as `spki_der` and `spki_sha256`.
    #[serde(flatten)]
    pub spki: Spki,
    /// The subjectPublicKey BIT STRING's bytes (what OCSP's issuerKeyHash hashes).
    #[serde(skip)]
    pub public_key: Vec<u8>,
    /// SHA-1 of `public_key`, an OCSP CertID's issuerKeyHash when this
    /// certificate is the issuer; computed on first use and kept with the
    /// cached CA certificates.
    #[serde(skip)]
    public_key_sha1: OnceLock<[u8; 20]>,
    /// SHA-1 of `subject_der`, the issuerNameHash of the certificates this
    /// one issued; kept like `public_key_sha1`.
    #[serde(skip)]
    subject_sha1: OnceLock<[u8; 20]>,
    pub not_before: u64,
    pub not_after: u64,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u8>,
    /// keyUsage bits (RFC 5280 section 4.2.1.3, bit 0 = digitalSignature
    /// as the least significant bit), if the extension is present.
    #[serde(skip)]
    pub key_usage: Option<u16>,
    /// subjectAltName dNSName entries.
    pub dns_names: Vec<String>,
    pub ocsp_urls: Vec<String>,
    pub ca_issuers_urls: Vec<String>,
    /// Every `fullName` URI of the CRL Distribution Points, in order.
    pub crl_urls: Vec<String>,
    /// The CRL Distribution Points as the certificate names them.
    pub crl_distribution_points: Vec<CrlDistributionPoint>,
    /// subjectKeyIdentifier, which a CRL's authorityKeyIdentifier names
    /// when this certificate issued it.
    #[serde(serialize_with = "crate::hex::serialize_opt")]
    pub subject_key_id: Option<Vec<u8>>,
    /// TLS Feature extension values (RFC 7633).
    pub tls_features: Vec<u16>,
    #[serde(serialize_with = "serialize_oids")]
    pub extended_key_usage: Vec<ObjectIdentifier>,
    #[serde(serialize_with = "serialize_oids")]
    pub policy_oids: Vec<ObjectIdentifier>,
    pub scts: Vec<Sct>,
    /// Why the embedded SCT list could not be read, if it could not. Like
    /// Firefox, a bad SCT list does not make the certificate unusable.
    pub sct_list_error: Option<String>,
}

/// One DistributionPoint of the cRLDistributionPoints extension (RFC 5280
/// section 4.2.1.13), as far as revocation checking reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CrlDistributionPoint {
    /// The `fullName` URIs (a `nameRelativeToCRLIssuer` names none).
    pub urls: Vec<String>,
    /// The `reasons` this point covers; `None`: all of them.
    pub reasons: Option<Vec<&'static str>>,
    /// The `cRLIssuer` names, as RFC 4514 text (directory names) or as
    /// written; present only for indirect CRLs.
    pub crl_issuer: Option<Vec<String>>,
}

/// A SubjectPublicKeyInfo: its DER (the whole TLV), and its SHA-256, which is
/// computed on first use: OneCRL needs it only for the few subjects that its
/// subject+key records name, and hashing every key cost an eighth of a verdict.
#[derive(Clone, Debug)]
pub struct Spki {
    der: Vec<u8>,
    sha256: OnceLock<[u8; 32]>,
}

impl Spki {
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 of the whole SubjectPublicKeyInfo DER (OneCRL's `pubKeyHash`).
    pub fn sha256(&self) -> &[u8; 32] {
        self.sha256.get_or_init(|| Sha256::digest(&self.der).into())
    }
}

impl Serialize for Spki {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("spki_der", &crate::hex::encode(&self.der))?;
        map.serialize_entry("spki_sha256", &crate::hex::encode(self.sha256()))?;
        map.end()
    }
}

impl Cert {
    /// Reads the facts from one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        parse_tbs(tbs_of(der)?)
    }

    /// SHA-1 of the subjectPublicKey bits (RFC 6960's issuerKeyHash).
    pub fn public_key_sha1(&self) -> &[u8; 20] {
        self.public_key_sha1
            .get_or_init(|| Sha1::digest(&self.public_key).into())
    }

    /// SHA-1 of this certificate's issuer Name as encoded in it (RFC 6960's
    /// issuerNameHash), taken from `issuer` when it encodes its subject with
    /// the same bytes, as issuers nearly always do: a cached issuer keeps it.
    pub fn issuer_name_sha1(&self, issuer: &Cert) -> [u8; 20] {
        if issuer.subject_der == self.issuer_der {
            *issuer
                .subject_sha1
                .get_or_init(|| Sha1::digest(&issuer.subject_der).into())
        } else {
            Sha1::digest(&self.issuer_der).into()
        }
    }

    /// Seconds from notBefore to notAfter, as mozpkix counts a lifetime.
    pub fn lifetime_secs(&self) -> u64 {
        self.not_after.saturating_sub(self.not_before)
    }

    pub fn serial_hex(&self) -> String {
        crate::hex::encode(&self.serial)
    }

    /// Same subject and issuer bytes: a root or another self-issued certificate.
    pub fn is_self_issued(&self) -> bool {
        self.issuer_der == self.subject_der
    }

    /// The TLS Feature extension asks for `status_request` (OCSP must-staple).
    pub fn must_staple(&self) -> bool {
        self.tls_features.contains(&TLS_FEATURE_STATUS_REQUEST)
    }
}

/// OIDs as dotted text, formatted only when serialised (formatting costs
/// more than decoding).
fn serialize_oids<S: serde::Serializer>(
    oids: &[ObjectIdentifier],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(oids.iter().map(ToString::to_string))
}

fn malformed(field: CertField) -> impl Fn(der::Error) -> Error {
    move |cause| Error::MalformedCertificate { field, cause }
}

fn unexpected(field: CertField, expected: Tag, actual: Tag) -> Error {
    Error::MalformedCertificate {
        field,
        cause: der::ErrorKind::TagUnexpected {
            expected: Some(expected),
            actual,
        }
        .into(),
    }
}

/// Reads one value that must carry `tag`, and returns its content octets.
fn expect<'a>(r: &mut SliceReader<'a>, tag: Tag, field: CertField) -> Result<&'a [u8], Error> {
    let any: AnyRef<'a> = r.decode().map_err(malformed(field))?;
    if any.tag() != tag {
        return Err(unexpected(field, tag, any.tag()));
    }
    Ok(any.value())
}

/// Reads one SEQUENCE and returns its content octets.
fn sequence<'a>(r: &mut SliceReader<'a>, field: CertField) -> Result<&'a [u8], Error> {
    expect(r, Tag::Sequence, field)
}

/// Reads one SEQUENCE and returns all its bytes, tag and length included.
fn sequence_tlv<'a>(r: &mut SliceReader<'a>, field: CertField) -> Result<&'a [u8], Error> {
    let tag = r.peek_tag().map_err(malformed(field))?;
    if tag != Tag::Sequence {
        return Err(unexpected(field, Tag::Sequence, tag));
    }
    r.tlv_bytes().map_err(malformed(field))
}

fn is_context(r: &SliceReader<'_>, number: TagNumber) -> bool {
    matches!(r.peek_tag(), Ok(Tag::ContextSpecific { number: n, .. }) if n == number)
}

/// The TBSCertificate's content octets, after the checks of the outer
/// structure (size, trailing data, the signature fields present).
fn tbs_of(der: &[u8]) -> Result<&[u8], Error> {
    if der.len() > MAX_CERT_LEN {
        return Err(Error::CertificateTooLarge {
            len: der.len(),
            max: MAX_CERT_LEN,
        });
    }
    let mut outer = SliceReader::new(der).map_err(malformed(CertField::Certificate))?;
    let cert = sequence(&mut outer, CertField::Certificate)?;
    if !outer.is_finished() {
        return Err(Error::TrailingData {
            len: u32::from(outer.remaining_len()) as usize,
        });
    }
    let mut cert = SliceReader::new(cert).map_err(malformed(CertField::Certificate))?;
    let tbs = sequence(&mut cert, CertField::TbsCertificate)?;
    cert.tlv_bytes().map_err(malformed(CertField::Signature))?;
    cert.tlv_bytes().map_err(malformed(CertField::Signature))?;
    if !cert.is_finished() {
        return Err(Error::MalformedCertificate {
            field: CertField::Certificate,
            cause: der::ErrorKind::TrailingData {
                decoded: cert.position(),
                remaining: cert.remaining_len(),
            }
            .into(),
        });
    }
    Ok(tbs)
}

/// What an OCSP request is built from, read without the rest of the
/// certificate: the serial's content octets, the issuer Name's DER and the
/// subjectPublicKey bits. The reading is [`Cert::from_der`]'s, up to the key.
#[derive(Clone, Copy, Debug)]
pub struct RequestParts<'a> {
    pub serial: &'a [u8],
    pub issuer_der: &'a [u8],
    pub public_key: &'a [u8],
}

impl<'a> RequestParts<'a> {
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let (_, head) = read_head(tbs_of(der)?)?;
        let spki = spki::SubjectPublicKeyInfoRef::from_der(head.spki_der)
            .map_err(malformed(CertField::SubjectPublicKeyInfo))?;
        Ok(RequestParts {
            serial: head.serial,
            issuer_der: head.issuer_der,
            public_key: spki.subject_public_key.raw_bytes(),
        })
    }
}

/// The TBSCertificate fields up to the SubjectPublicKeyInfo.
struct Head<'a> {
    version: u64,
    serial: &'a [u8],
    issuer_der: &'a [u8],
    validity_der: &'a [u8],
    subject_der: &'a [u8],
    spki_der: &'a [u8],
}

/// Reads the head of a TBSCertificate and leaves the reader after the SPKI.
fn read_head(tbs: &[u8]) -> Result<(SliceReader<'_>, Head<'_>), Error> {
    let mut r = SliceReader::new(tbs).map_err(malformed(CertField::TbsCertificate))?;
    let version = r
        .context_specific::<u64>(TagNumber::N0, TagMode::Explicit)
        .map_err(malformed(CertField::Version))?
        .unwrap_or(0);
    if version > 2 {
        return Err(Error::UnsupportedVersion(version));
    }

    let serial = expect(&mut r, Tag::Integer, CertField::SerialNumber)?;
    if serial.is_empty() {
        return Err(Error::SerialNumberEmpty);
    }
    if serial.len() > MAX_SERIAL_LEN {
        return Err(Error::SerialNumberTooLong {
            len: serial.len(),
            max: MAX_SERIAL_LEN,
        });
    }

    sequence_tlv(&mut r, CertField::Signature)?;
    // Field initialisers run in order: the TBSCertificate's order.
    let head = Head {
        version,
        serial,
        issuer_der: sequence_tlv(&mut r, CertField::Issuer)?,
        validity_der: sequence_tlv(&mut r, CertField::Validity)?,
        subject_der: sequence_tlv(&mut r, CertField::Subject)?,
        spki_der: sequence_tlv(&mut r, CertField::SubjectPublicKeyInfo)?,
    };
    Ok((r, head))
}

fn parse_tbs(tbs: &[u8]) -> Result<Cert, Error> {
    let (mut r, head) = read_head(tbs)?;
    let Validity {
        not_before,
        not_after,
    } = Validity::from_der(head.validity_der).map_err(malformed(CertField::Validity))?;
    if not_after < not_before {
        return Err(Error::ValidityInverted {
            not_before,
            not_after,
        });
    }
    let spki = spki::SubjectPublicKeyInfoRef::from_der(head.spki_der)
        .map_err(malformed(CertField::SubjectPublicKeyInfo))?;
    let public_key = spki.subject_public_key.raw_bytes().to_vec();

    for unique_id in [TagNumber::N1, TagNumber::N2] {
        if is_context(&r, unique_id) {
            r.tlv_bytes().map_err(malformed(CertField::UniqueId))?;
        }
    }

    let mut facts = Cert {
        version: head.version,
        serial: head.serial.to_vec(),
        issuer: crate::name::to_rfc4514(head.issuer_der),
        issuer_der: head.issuer_der.to_vec(),
        subject: crate::name::to_rfc4514(head.subject_der),
        subject_der: head.subject_der.to_vec(),
        spki: Spki {
            der: head.spki_der.to_vec(),
            sha256: OnceLock::new(),
        },
        public_key,
        public_key_sha1: OnceLock::new(),
        subject_sha1: OnceLock::new(),
        not_before,
        not_after,
        is_ca: false,
        path_len: None,
        key_usage: None,
        dns_names: Vec::new(),
        ocsp_urls: Vec::new(),
        ca_issuers_urls: Vec::new(),
        crl_urls: Vec::new(),
        crl_distribution_points: Vec::new(),
        subject_key_id: None,
        tls_features: Vec::new(),
        extended_key_usage: Vec::new(),
        policy_oids: Vec::new(),
        scts: Vec::new(),
        sct_list_error: None,
    };

    if is_context(&r, TagNumber::N3) {
        let wrapper: AnyRef<'_> = r.decode().map_err(malformed(CertField::Extensions))?;
        let mut w = SliceReader::new(wrapper.value()).map_err(malformed(CertField::Extensions))?;
        let list = sequence(&mut w, CertField::Extensions)?;
        if !w.is_finished() {
            return Err(trailing(CertField::Extensions, &w));
        }
        read_extensions(list, &mut facts)?;
    }
    if !r.is_finished() {
        return Err(trailing(CertField::TbsCertificate, &r));
    }
    Ok(facts)
}

fn trailing(field: CertField, r: &SliceReader<'_>) -> Error {
    Error::MalformedCertificate {
        field,
        cause: der::ErrorKind::TrailingData {
            decoded: r.position(),
            remaining: r.remaining_len(),
        }
        .into(),
    }
}

/// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
/// Extension  ::= SEQUENCE { extnID OBJECT IDENTIFIER,
///                           critical BOOLEAN DEFAULT FALSE,
///                           extnValue OCTET STRING }
fn read_extensions(list: &[u8], facts: &mut Cert) -> Result<(), Error> {
    let mut r = SliceReader::new(list).map_err(malformed(CertField::Extensions))?;
    // Extension ids are compared as content octets: decoding each into an
    // ObjectIdentifier validated every arc, a measurable share of a verdict.
    let mut seen: Vec<&[u8]> = Vec::with_capacity(10);
    while !r.is_finished() {
        let ext = sequence(&mut r, CertField::Extensions)?;
        let mut e = SliceReader::new(ext).map_err(malformed(CertField::Extensions))?;
        let id = expect(&mut e, Tag::ObjectIdentifier, CertField::Extensions)?;
        // An explicit FALSE is not DER, but real certificates carry it and
        // mozpkix reads it, so accept either.
        let critical = if e.peek_tag() == Ok(Tag::Boolean) {
            e.decode::<bool>()
                .map_err(malformed(CertField::Extensions))?
        } else {
            false
        };
        let value: OctetStringRef<'_> = e.decode().map_err(malformed(CertField::Extensions))?;
        if !e.is_finished() {
            return Err(trailing(CertField::Extensions, &e));
        }
        if seen.contains(&id) {
            return Err(Error::DuplicateExtension { oid: oid_text(id) });
        }
        seen.push(id);
        read_extension(id, critical, value.as_bytes(), facts)?;
    }
    Ok(())
}

fn crl_distribution_point(point: DistributionPoint) -> CrlDistributionPoint {
    let urls = match point.distribution_point {
        Some(DistributionPointName::FullName(names)) => uris(&names),
        _ => Vec::new(),
    };
    CrlDistributionPoint {
        urls,
        reasons: point
            .reasons
            .map(|flags| crate::reasons::reason_names(flags.bits())),
        crl_issuer: point
            .crl_issuer
            .map(|names| names.iter().map(general_name_text).collect()),
    }
}

/// The URIs among `names`.
pub(crate) fn uris(names: &[GeneralName]) -> Vec<String> {
    names
        .iter()
        .filter_map(|name| match name {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
            _ => None,
        })
        .collect()
}

/// A GeneralName as text, for display only.
fn general_name_text(name: &GeneralName) -> String {
    match name {
        GeneralName::DirectoryName(n) => n
            .to_der()
            .map(|der| crate::name::to_rfc4514(&der))
            .unwrap_or_else(|_| "(unencodable name)".into()),
        GeneralName::UniformResourceIdentifier(uri) => uri.to_string(),
        GeneralName::DnsName(dns) => dns.to_string(),
        other => format!("{other:?}"),
    }
}

/// Dotted text of an OID's content octets (for error messages).
fn oid_text(content: &[u8]) -> String {
    ObjectIdentifier::from_bytes(content)
        .map(|oid| oid.to_string())
        .unwrap_or_else(|_| format!("(malformed OID {})", crate::hex::encode(content)))
}

fn read_extension(id: &[u8], critical: bool, value: &[u8], facts: &mut Cert) -> Result<(), Error> {
    fn decode<'a, T: Decode<'a>>(name: &'static str, value: &'a [u8]) -> Result<T, Error> {
        T::from_der(value).map_err(|cause| Error::MalformedExtension { name, cause })
    }
    let is = |oid: &ObjectIdentifier| oid.as_bytes() == id;
    match () {
        _ if is(&oid::ID_CE_BASIC_CONSTRAINTS) => {
            let constraints = decode::<BasicConstraints>("basicConstraints", value)?;
            facts.is_ca = constraints.ca;
            facts.path_len = constraints.path_len_constraint;
        }
        // keyUsage and subjectAltName matter only where a certificate must
        // prove what it may do (a content signer's chain). There an unreadable
        // one fails closed (no usages, no names); elsewhere it must not make
        // a page's certificate unusable, as an odd SCT list does not.
        _ if is(&oid::ID_CE_KEY_USAGE) => {
            facts.key_usage = Some(KeyUsage::from_der(value).map_or(0, |ku| ku.0.bits()));
        }
        _ if is(&oid::ID_CE_SUBJECT_ALT_NAME) => {
            if let Ok(names) = SubjectAltName::from_der(value) {
                facts.dns_names = names
                    .0
                    .into_iter()
                    .filter_map(|name| match name {
                        GeneralName::DnsName(dns) => Some(dns.to_string()),
                        _ => None,
                    })
                    .collect();
            }
        }
        _ if is(&oid::ID_PE_AUTHORITY_INFO_ACCESS) => {
            for access in decode::<AuthorityInfoAccessSyntax>("authorityInfoAccess", value)?.0 {
                if let GeneralName::UniformResourceIdentifier(uri) = access.access_location {
                    match access.access_method {
                        oid::ID_AD_OCSP => facts.ocsp_urls.push(uri.to_string()),
                        oid::ID_AD_CA_ISSUERS => facts.ca_issuers_urls.push(uri.to_string()),
                        _ => {}
                    }
                }
            }
        }
        _ if is(&oid::ID_CE_CRL_DISTRIBUTION_POINTS) => {
            for point in decode::<CrlDistributionPoints>("cRLDistributionPoints", value)?.0 {
                let point = crl_distribution_point(point);
                facts.crl_urls.extend(point.urls.iter().cloned());
                facts.crl_distribution_points.push(point);
            }
        }
        _ if is(&oid::ID_CE_SUBJECT_KEY_IDENTIFIER) => {
            // An unreadable one is as good as none: it only helps match a CRL.
            facts.subject_key_id = OctetStringRef::from_der(value)
                .ok()
                .map(|id| id.as_bytes().to_vec());
        }
        _ if is(&oid::ID_CE_EXT_KEY_USAGE) => {
            facts.extended_key_usage = decode::<ExtendedKeyUsage>("extKeyUsage", value)?.0;
        }
        _ if is(&oid::ID_CE_CERTIFICATE_POLICIES) => {
            facts.policy_oids = decode::<CertificatePolicies>("certificatePolicies", value)?
                .0
                .into_iter()
                .map(|p| p.policy_identifier)
                .collect();
        }
        _ if is(&oid::ID_PE_TLSFEATURE) => {
            // Features ::= SEQUENCE OF INTEGER (RFC 7633 section 6)
            facts.tls_features = decode::<Vec<u16>>("tlsFeature", value)?;
        }
        // RFC 6962 section 3.3: an OCTET STRING holding the TLS-encoded
        // list. Whichever layer does not decode, the wrapper (a non-minimal
        // DER length, say) or the list, the certificate stays usable with no
        // SCTs: `sct_list_error` says why.
        _ if is(&oid::EMBEDDED_SCT_LIST) => {
            let scts = OctetStringRef::from_der(value)
                .map_err(sct::SctListError::NotOctetString)
                .and_then(|inner| sct::parse_sct_list(inner.as_bytes()));
            match scts {
                Ok(scts) => facts.scts = scts,
                Err(why) => facts.sct_list_error = Some(why.to_string()),
            }
        }
        // Extensions mozpkix recognises (pkixcert.cpp, RememberExtension) but
        // that revocation does not need.
        _ if [
            oid::ID_CE_ISSUER_ALT_NAME,
            oid::ID_CE_NAME_CONSTRAINTS,
            oid::ID_CE_POLICY_MAPPINGS,
            oid::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            oid::ID_CE_POLICY_CONSTRAINTS,
            oid::ID_CE_INHIBIT_ANY_POLICY,
        ]
        .iter()
        .any(is) => {}
        _ if critical => return Err(Error::UnknownCriticalExtension { oid: oid_text(id) }),
        _ => {}
    }
    Ok(())
}
