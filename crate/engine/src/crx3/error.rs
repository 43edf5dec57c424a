//! Why a CRX3 package is refused: one variant per failure, in the order
//! the checks meet them (the order of Chromium's `VerifyCrx3`,
//! components/crx_file/crx_verifier.cc, then the archive).

use core::fmt;

use crate::verify::SignatureError;

/// Which repeated field of `CrxFileHeader` a proof came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProofKind {
    /// `sha256_with_rsa` (field 2): RSA PKCS#1 v1.5 with SHA-256.
    Sha256WithRsa,
    /// `sha256_with_ecdsa` (field 3): ECDSA with SHA-256.
    Sha256WithEcdsa,
}

impl ProofKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProofKind::Sha256WithRsa => "sha256_with_rsa",
            ProofKind::Sha256WithEcdsa => "sha256_with_ecdsa",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Crx3Error {
    /// Larger than [`crate::limits::MAX_CRX_LEN`].
    TooLarge { len: usize, max: usize },
    /// Does not start with the magic number "Cr24": not a CRX at all.
    /// `found` holds the first bytes (up to four).
    NotCrx { found: Vec<u8> },
    /// Starts like a CRX but ends before the 12 bytes of magic, version and
    /// header length.
    TruncatedPreamble { len: usize },
    /// A format version other than 3 (2 is the retired CRX2, which carries
    /// a SHA-1 signature; Chromium's component updater accepts only 3).
    UnsupportedVersion { version: u32 },
    /// A header longer than [`crate::limits::MAX_CRX_HEADER_LEN`].
    HeaderTooLarge { len: usize, max: usize },
    /// The header length runs past the end of the file.
    TruncatedHeader { declared: usize, available: usize },
    /// The header is not a `CrxFileHeader` protocol buffer.
    MalformedHeader { cause: String },
    /// More proofs than [`crate::limits::MAX_CRX_PROOFS`].
    TooManyProofs { count: usize, max: usize },
    /// The header has no `signed_header_data`, so no CRX id was signed.
    MissingSignedData,
    /// `signed_header_data` is not a `SignedData` protocol buffer.
    MalformedSignedData { cause: String },
    /// The signed `crx_id` is absent or not 16 bytes long.
    BadCrxIdLength { len: usize },
    /// The header carries no proof at all.
    NoProofs,
    /// A proof lacks its public key or its signature.
    IncompleteProof { kind: ProofKind, index: usize },
    /// A proof's signature does not verify (the archive or the signed header
    /// was altered, or another key signed), or its key cannot be used.
    BadSignature {
        kind: ProofKind,
        index: usize,
        error: SignatureError,
    },
    /// The signed CRX id is not the expected component's.
    WrongId { found: String, expected: String },
    /// No proof's key hashes to the signed CRX id (Chromium:
    /// `ERROR_REQUIRED_PROOF_MISSING`).
    NoProofForId { id: String },
    /// No proof is made with the pinned key (Chromium:
    /// `ERROR_REQUIRED_PROOF_MISSING`). `pin` is the hex SHA-256 of its
    /// SubjectPublicKeyInfo.
    PinnedKeyMissing { pin: String },
    /// The archive after the header is not a zip file the reader accepts.
    ArchiveNotZip { cause: String },
    /// The archive holds no file of that name.
    FileMissing { name: String },
    /// The file declares, or decompresses to, more than `max` bytes.
    FileTooLarge {
        name: String,
        size: u64,
        max: usize,
        limit: &'static str,
    },
    /// The file cannot be decompressed or fails its CRC-32.
    FileCorrupt { name: String, cause: String },
}

impl Crx3Error {
    /// A stable name for the failure, for reports and the extension's views.
    pub fn code(&self) -> &'static str {
        use Crx3Error::*;
        match self {
            TooLarge { .. } => "too-large",
            NotCrx { .. } => "not-crx",
            TruncatedPreamble { .. } => "truncated-preamble",
            UnsupportedVersion { .. } => "unsupported-version",
            HeaderTooLarge { .. } => "header-too-large",
            TruncatedHeader { .. } => "truncated-header",
            MalformedHeader { .. } => "malformed-header",
            TooManyProofs { .. } => "too-many-proofs",
            MissingSignedData => "missing-signed-data",
            MalformedSignedData { .. } => "malformed-signed-data",
            BadCrxIdLength { .. } => "bad-crx-id-length",
            NoProofs => "no-proofs",
            IncompleteProof { .. } => "incomplete-proof",
            BadSignature { .. } => "bad-signature",
            WrongId { .. } => "wrong-id",
            NoProofForId { .. } => "no-proof-for-id",
            PinnedKeyMissing { .. } => "pinned-key-missing",
            ArchiveNotZip { .. } => "archive-not-zip",
            FileMissing { .. } => "file-missing",
            FileTooLarge { .. } => "file-too-large",
            FileCorrupt { .. } => "file-corrupt",
        }
    }
}

impl fmt::Display for Crx3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Crx3Error::*;
        match self {
            TooLarge { len, max } => write!(
                f,
                "the CRX is {len} bytes, more than the {max} accepted (MAX_CRX_LEN)"
            ),
            NotCrx { found } => write!(
                f,
                "not a CRX file: it starts with {:?}, not the magic \"Cr24\"",
                String::from_utf8_lossy(found)
            ),
            TruncatedPreamble { len } => write!(
                f,
                "the CRX is {len} bytes, too short for its magic, version and header length (12 bytes)"
            ),
            UnsupportedVersion { version } => {
                write!(f, "the CRX is format version {version}; only CRX3 is accepted")
            }
            HeaderTooLarge { len, max } => write!(
                f,
                "the CRX header is declared {len} bytes long, more than the {max} accepted (MAX_CRX_HEADER_LEN)"
            ),
            TruncatedHeader {
                declared,
                available,
            } => write!(
                f,
                "the CRX header is declared {declared} bytes long, but only {available} follow"
            ),
            MalformedHeader { cause } => {
                write!(f, "the CRX header is not a CrxFileHeader: {cause}")
            }
            TooManyProofs { count, max } => write!(
                f,
                "the CRX header carries {count} proofs, more than the {max} accepted (MAX_CRX_PROOFS)"
            ),
            MissingSignedData => {
                f.write_str("the CRX header has no signed_header_data (no signed CRX id)")
            }
            MalformedSignedData { cause } => {
                write!(f, "the CRX signed_header_data is not a SignedData: {cause}")
            }
            BadCrxIdLength { len } => write!(
                f,
                "the CRX's signed crx_id is {len} bytes long; a CRX id is 16 bytes"
            ),
            NoProofs => f.write_str("the CRX header carries no signature proof"),
            IncompleteProof { kind, index } => write!(
                f,
                "proof {index} of {} lacks its public key or its signature",
                kind.as_str()
            ),
            BadSignature { kind, index, error } => write!(
                f,
                "proof {index} of {} does not verify: {error} (the package was altered, or another key signed it)",
                kind.as_str()
            ),
            WrongId { found, expected } => write!(
                f,
                "the CRX is signed as {found}, not the expected component {expected}"
            ),
            NoProofForId { id } => write!(
                f,
                "no proof in the CRX is made with the key of its id {id}"
            ),
            PinnedKeyMissing { pin } => write!(
                f,
                "no proof in the CRX is made with the pinned key (SPKI SHA-256 {pin})"
            ),
            ArchiveNotZip { cause } => write!(f, "the CRX's archive is not a zip file: {cause}"),
            FileMissing { name } => write!(f, "the CRX's archive holds no file named {name:?}"),
            FileTooLarge {
                name,
                size,
                max,
                limit,
            } => write!(
                f,
                "{name:?} in the CRX's archive is {size} bytes or more uncompressed, more than the {max} accepted ({limit})"
            ),
            FileCorrupt { name, cause } => {
                write!(f, "{name:?} in the CRX's archive cannot be read: {cause}")
            }
        }
    }
}

impl std::error::Error for Crx3Error {}
