//! One error type for the engine, one precise variant per failure.
//!
//! Answers (revoked, good, unknown, offline...) are not errors: they live in
//! [`crate::verdict`]. An `Error` means the input could not be used at all.

use core::fmt;

use base64::DecodeError;

/// Which part of a certificate failed to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertField {
    Certificate,
    TbsCertificate,
    Version,
    SerialNumber,
    Signature,
    Issuer,
    Validity,
    Subject,
    SubjectPublicKeyInfo,
    UniqueId,
    Extensions,
}

impl fmt::Display for CertField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertField::Certificate => "Certificate",
            CertField::TbsCertificate => "tbsCertificate",
            CertField::Version => "version",
            CertField::SerialNumber => "serialNumber",
            CertField::Signature => "signature",
            CertField::Issuer => "issuer",
            CertField::Validity => "validity",
            CertField::Subject => "subject",
            CertField::SubjectPublicKeyInfo => "subjectPublicKeyInfo",
            CertField::UniqueId => "issuerUniqueID/subjectUniqueID",
            CertField::Extensions => "extensions",
        })
    }
}

/// Everything that can make input unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The DER of one field of a certificate does not decode.
    MalformedCertificate { field: CertField, cause: der::Error },
    /// Bytes follow the outermost certificate SEQUENCE.
    TrailingData { len: usize },
    /// The certificate is larger than [`crate::limits::MAX_CERT_LEN`].
    CertificateTooLarge { len: usize, max: usize },
    /// Only X.509 v3 certificates (and v1 roots) are understood.
    UnsupportedVersion(u64),
    /// The serial number has no content octets.
    SerialNumberEmpty,
    /// The serial number is longer than [`crate::limits::MAX_SERIAL_LEN`].
    SerialNumberTooLong { len: usize, max: usize },
    /// notAfter is before notBefore.
    ValidityInverted { not_before: u64, not_after: u64 },
    /// The same extension appears twice (RFC 5280 section 4.2).
    DuplicateExtension { oid: String },
    /// A critical extension that this engine, like mozpkix, does not process.
    UnknownCriticalExtension { oid: String },
    /// A known extension whose value does not decode.
    MalformedExtension {
        name: &'static str,
        cause: der::Error,
    },
    /// A certificate of the chain is unusable.
    InChain { index: usize, cause: Box<Error> },
    /// No certificate was given.
    EmptyChain,
    /// More certificates than [`crate::limits::MAX_CHAIN_LEN`].
    ChainTooLong { len: usize, max: usize },
    /// A PEM block is malformed, or the input holds no certificate at all.
    BadPem(PemError),
    /// The OneCRL snapshot is not JSON.
    SnapshotNotJson(String),
    /// The JSON is not a Remote Settings collection (dump or changeset).
    SnapshotNotCollection(&'static str),
    /// The snapshot is larger than [`crate::limits::MAX_SNAPSHOT_LEN`].
    SnapshotTooLarge { len: usize, max: usize },
    /// The snapshot holds more records than [`crate::limits::MAX_SNAPSHOT_RECORDS`].
    SnapshotTooManyRecords { count: usize, max: usize },
    /// No policy preset by that name.
    UnknownPolicy(String),
    /// A policy file that does not parse or has out-of-range values.
    InvalidPolicy(String),
    /// A time that is not RFC 3339 or is outside 1970..9999.
    InvalidTime(String),
    /// An OCSP request could not be encoded.
    OcspRequestEncoding(der::Error),
    /// An OCSP request option out of bounds (a nonce too long, say).
    OcspRequestOption(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Error::*;
        match self {
            MalformedCertificate { field, cause } => {
                write!(f, "malformed certificate: {field}: {cause}")
            }
            TrailingData { len } => write!(f, "{len} bytes of trailing data after the certificate"),
            CertificateTooLarge { len, max } => {
                write!(f, "certificate is {len} bytes, more than the {max} allowed")
            }
            UnsupportedVersion(v) => write!(f, "unsupported certificate version v{}", v + 1),
            SerialNumberEmpty => f.write_str("serial number has no content octets"),
            SerialNumberTooLong { len, max } => {
                write!(
                    f,
                    "serial number is {len} octets, more than the {max} allowed"
                )
            }
            ValidityInverted {
                not_before,
                not_after,
            } => write!(
                f,
                "validity notAfter ({}) is before notBefore ({})",
                crate::time::UnixTime(*not_after),
                crate::time::UnixTime(*not_before)
            ),
            DuplicateExtension { oid } => write!(f, "extension {oid} appears more than once"),
            UnknownCriticalExtension { oid } => {
                write!(f, "unknown critical extension {oid}")
            }
            MalformedExtension { name, cause } => write!(f, "malformed {name} extension: {cause}"),
            InChain { index, cause } => write!(f, "certificate #{index} of the chain: {cause}"),
            EmptyChain => f.write_str("the chain holds no certificate"),
            ChainTooLong { len, max } => {
                write!(
                    f,
                    "the chain holds {len} certificates, more than the {max} allowed"
                )
            }
            BadPem(why) => write!(f, "bad PEM: {why}"),
            SnapshotNotJson(why) => write!(f, "OneCRL snapshot is not JSON: {why}"),
            SnapshotNotCollection(why) => {
                write!(
                    f,
                    "OneCRL snapshot is not a Remote Settings collection: {why}"
                )
            }
            SnapshotTooLarge { len, max } => {
                write!(
                    f,
                    "OneCRL snapshot is {len} bytes, more than the {max} allowed"
                )
            }
            SnapshotTooManyRecords { count, max } => {
                write!(
                    f,
                    "OneCRL snapshot has {count} records, more than the {max} allowed"
                )
            }
            UnknownPolicy(name) => write!(
                f,
                "unknown policy {name:?} (presets: {})",
                crate::preset::PRESET_NAMES.join(", ")
            ),
            InvalidPolicy(why) => write!(f, "invalid policy: {why}"),
            InvalidTime(why) => write!(f, "invalid time: {why}"),
            OcspRequestEncoding(cause) => write!(f, "cannot encode OCSP request: {cause}"),
            OcspRequestOption(why) => write!(f, "invalid OCSP request option: {why}"),
        }
    }
}

impl std::error::Error for Error {}

/// Why a bundle yields no certificates ([`crate::pem::read_certificates`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemError {
    /// Neither one DER certificate nor text with a certificate block; the
    /// labels of the blocks that were there, if any.
    NoCertificate { other_labels: Vec<String> },
    /// A certificate block (counted from 1 among all blocks) without its
    /// `-----END label-----` line.
    Unterminated { block: usize, label: String },
    /// A certificate block whose content is not Base64. `line` is the line
    /// of the file where the first offending character is, when one is.
    NotBase64 {
        block: usize,
        label: String,
        line: Option<usize>,
        cause: DecodeError,
    },
    /// A certificate block with nothing between its boundary lines.
    EmptyBlock { block: usize, label: String },
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PemError::NoCertificate { other_labels } if other_labels.is_empty() => {
                f.write_str("no CERTIFICATE block found, and the input is not DER")
            }
            PemError::NoCertificate { other_labels } => write!(
                f,
                "no CERTIFICATE block found, only {}",
                other_labels.join(", ")
            ),
            PemError::Unterminated { block, label } => {
                write!(
                    f,
                    "block {block} ({label}) has no -----END {label}----- line"
                )
            }
            PemError::NotBase64 {
                block,
                label,
                line,
                cause,
            } => {
                write!(f, "block {block} ({label}) is not Base64")?;
                if let Some(line) = line {
                    write!(f, " at line {line}")?;
                }
                match cause {
                    DecodeError::InvalidByte(_, byte) => {
                        write!(f, ": {}", char::from(*byte).escape_default())?;
                        f.write_str(" is not a Base64 character")
                    }
                    DecodeError::InvalidLength(len) => {
                        write!(
                            f,
                            ": {len} Base64 characters cannot be a whole number of bytes"
                        )
                    }
                    DecodeError::InvalidLastSymbol(_, byte) => write!(
                        f,
                        ": the last character {} has bits set past the end of the data",
                        char::from(*byte).escape_default()
                    ),
                    DecodeError::InvalidPadding => f.write_str(": misplaced '=' padding"),
                }
            }
            PemError::EmptyBlock { block, label } => {
                write!(f, "block {block} ({label}) is empty")
            }
        }
    }
}

impl From<PemError> for Error {
    fn from(e: PemError) -> Self {
        Error::BadPem(e)
    }
}
