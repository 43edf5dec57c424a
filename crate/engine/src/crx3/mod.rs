//! CRX3 packages: how Chrome's component updater delivers the CRLSet
//! (component `hfnkpimlhhgieaddgfemjhofmfblmnib`, file `crl-set`), checked
//! as Chromium checks them before installing one.
//!
//! **The file** (components/crx_file/crx3.proto):
//!
//! ```text
//! byte[4]   magic "Cr24"
//! uint32le  version, 3
//! uint32le  header_len
//! byte[header_len] CrxFileHeader (protocol buffer, see proto.rs)
//! the rest: a zip archive
//! ```
//!
//! **The check** follows `VerifyCrx3` (components/crx_file/crx_verifier.cc):
//! every proof's signature must verify over
//! `"CRX3 SignedData\x00" || uint32le(len(signed_header_data)) ||
//! signed_header_data || archive` (RSA PKCS#1 v1.5 with SHA-256 for
//! `sha256_with_rsa`, ECDSA with SHA-256 for `sha256_with_ecdsa`); the
//! signed `crx_id` must be 16 bytes and one proof's key must hash to it
//! (an id is the first 16 bytes of the SHA-256 of the DER
//! SubjectPublicKeyInfo, each nibble written as a letter `a`-`p`,
//! components/crx_file/id_util.cc); and one proof's key must be the
//! installer's pinned key (the component updater passes its `pk_hash` as
//! a required key hash). Here the id must also equal the expected
//! component's, which is what the component updater's request asked for.
//! Only then is the archive opened.

mod error;
mod proto;

use std::io::Read;

use prost::Message;
use sha2::{Digest, Sha256};

pub use error::{Crx3Error, ProofKind};

use crate::limits::{MAX_CRLSET_LEN, MAX_CRX_HEADER_LEN, MAX_CRX_LEN, MAX_CRX_PROOFS};
use crate::verify::{self, Hash, SignatureAlgorithm, SignatureVerifier};

/// Chrome's CRLSet component id, the id of [`CRLSET_PUBLISHER_KEY_SHA256`].
pub const CRLSET_COMPONENT_ID: &str = "hfnkpimlhhgieaddgfemjhofmfblmnib";

/// SHA-256 of the SubjectPublicKeyInfo of the key that signs Chrome's CRLSet
/// packages: `kCrlSetPublicKeySHA256` in Chromium's
/// chrome/browser/component_updater/crl_set_component_installer.cc.
pub const CRLSET_PUBLISHER_KEY_SHA256: [u8; 32] = [
    0x75, 0xda, 0xf8, 0xcb, 0x77, 0x68, 0x40, 0x33, 0x65, 0x4c, 0x97, 0xe5, 0xc5, 0x1b, 0xcd, 0x81,
    0x7b, 0x1e, 0xeb, 0x11, 0x2c, 0xe1, 0xa4, 0x33, 0x8c, 0xf5, 0x72, 0x5e, 0xed, 0xb8, 0x43, 0x97,
];

/// The CRLSet's name inside the package (`kCRLSetFile` in
/// crl_set_component_installer.cc; agl/crlset-tools looks for it too).
pub const CRLSET_FILE_NAME: &str = "crl-set";

/// The magic number every CRX starts with (components/crx_file/crx_file.h).
const MAGIC: &[u8; 4] = b"Cr24";

/// What the signatures are over, ahead of the signed header data, NUL
/// included (`kSignatureContext`, components/crx_file/crx_file.h).
const SIGNATURE_CONTEXT: &[u8] = b"CRX3 SignedData\x00";

/// Which package is expected: the component's id and the SHA-256 of the
/// publisher key one proof must be made with. A parameter, so that tests
/// and the extension's options can name a test key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crx3Expectation {
    pub component_id: String,
    pub key_sha256: [u8; 32],
}

impl Crx3Expectation {
    /// Chrome's CRLSet component and its publisher key.
    pub fn crlset() -> Self {
        Crx3Expectation {
            component_id: CRLSET_COMPONENT_ID.to_owned(),
            key_sha256: CRLSET_PUBLISHER_KEY_SHA256,
        }
    }

    /// A component whose id is the id of its pinned key, as Chrome's
    /// components are (the component updater derives the id from `pk_hash`).
    pub fn for_key(key_sha256: [u8; 32]) -> Self {
        Crx3Expectation {
            component_id: id_from_hash(&key_sha256),
            key_sha256,
        }
    }
}

/// A package whose proofs verified, with the expected id and the pinned key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCrx3<'a> {
    pub crx_id: String,
    /// Proofs checked, of each kind.
    pub rsa_proofs: usize,
    pub ecdsa_proofs: usize,
    /// The zip archive, as signed.
    pub archive: &'a [u8],
}

/// The CRX id of a SubjectPublicKeyInfo (components/crx_file/id_util.cc,
/// `GenerateId`): the first 16 bytes of its SHA-256, each nibble as `a`-`p`.
pub fn crx_id(spki_der: &[u8]) -> String {
    id_from_hash(&Sha256::digest(spki_der))
}

fn id_from_hash(hash: &[u8]) -> String {
    hash.iter()
        .take(16)
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|nibble| char::from(b'a' + nibble))
        .collect()
}

/// Verifies a CRX3 package as Chromium's component updater does (see the
/// module documentation) and returns its archive.
pub fn verify<'a>(
    crx: &'a [u8],
    expect: &Crx3Expectation,
    verifier: &dyn SignatureVerifier,
) -> Result<VerifiedCrx3<'a>, Crx3Error> {
    if crx.len() > MAX_CRX_LEN {
        return Err(Crx3Error::TooLarge {
            len: crx.len(),
            max: MAX_CRX_LEN,
        });
    }
    let start = &crx[..crx.len().min(4)];
    if !MAGIC.starts_with(start) || start.is_empty() {
        return Err(Crx3Error::NotCrx {
            found: start.to_vec(),
        });
    }
    let (Some(version), Some(header_len)) = (le32(crx, 4), le32(crx, 8)) else {
        return Err(Crx3Error::TruncatedPreamble { len: crx.len() });
    };
    if version != 3 {
        return Err(Crx3Error::UnsupportedVersion { version });
    }
    let header_len = header_len as usize;
    if header_len > MAX_CRX_HEADER_LEN {
        return Err(Crx3Error::HeaderTooLarge {
            len: header_len,
            max: MAX_CRX_HEADER_LEN,
        });
    }
    let rest = &crx[12..];
    if header_len > rest.len() {
        return Err(Crx3Error::TruncatedHeader {
            declared: header_len,
            available: rest.len(),
        });
    }
    let (header, archive) = rest.split_at(header_len);
    let header = proto::CrxFileHeader::decode(header).map_err(|e| Crx3Error::MalformedHeader {
        cause: e.to_string(),
    })?;
    let count = header.sha256_with_rsa.len() + header.sha256_with_ecdsa.len();
    if count > MAX_CRX_PROOFS {
        return Err(Crx3Error::TooManyProofs {
            count,
            max: MAX_CRX_PROOFS,
        });
    }
    let signed_header_data = header
        .signed_header_data
        .as_deref()
        .ok_or(Crx3Error::MissingSignedData)?;
    let signed = proto::SignedData::decode(signed_header_data).map_err(|e| {
        Crx3Error::MalformedSignedData {
            cause: e.to_string(),
        }
    })?;
    let signed_id = signed.crx_id.unwrap_or_default();
    if signed_id.len() != 16 {
        return Err(Crx3Error::BadCrxIdLength {
            len: signed_id.len(),
        });
    }
    let signed_id = id_from_hash(&signed_id);
    if count == 0 {
        return Err(Crx3Error::NoProofs);
    }

    // The header length counts at most MAX_CRX_HEADER_LEN, so it fits u32.
    let signed_len = signed_header_data.len() as u32;
    let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 4 + crx.len());
    message.extend_from_slice(SIGNATURE_CONTEXT);
    message.extend_from_slice(&signed_len.to_le_bytes());
    message.extend_from_slice(signed_header_data);
    message.extend_from_slice(archive);

    let proofs = [
        (
            ProofKind::Sha256WithRsa,
            SignatureAlgorithm::RsaPkcs1(Hash::Sha256),
            &header.sha256_with_rsa,
        ),
        (
            ProofKind::Sha256WithEcdsa,
            SignatureAlgorithm::Ecdsa(Hash::Sha256),
            &header.sha256_with_ecdsa,
        ),
    ];
    let (mut id_proved, mut pin_proved) = (false, false);
    for (kind, algorithm, list) in proofs {
        for (index, proof) in list.iter().enumerate() {
            let (Some(key), Some(signature)) = (&proof.public_key, &proof.signature) else {
                return Err(Crx3Error::IncompleteProof { kind, index });
            };
            verify::verify(verifier, algorithm, key, &message, signature)
                .map_err(|error| Crx3Error::BadSignature { kind, index, error })?;
            let key_hash = Sha256::digest(key);
            id_proved |= id_from_hash(&key_hash) == signed_id;
            pin_proved |= key_hash[..] == expect.key_sha256[..];
        }
    }
    if signed_id != expect.component_id {
        return Err(Crx3Error::WrongId {
            found: signed_id,
            expected: expect.component_id.clone(),
        });
    }
    if !id_proved {
        return Err(Crx3Error::NoProofForId { id: signed_id });
    }
    if !pin_proved {
        return Err(Crx3Error::PinnedKeyMissing {
            pin: crate::hex::encode(&expect.key_sha256),
        });
    }
    Ok(VerifiedCrx3 {
        crx_id: signed_id,
        rsa_proofs: header.sha256_with_rsa.len(),
        ecdsa_proofs: header.sha256_with_ecdsa.len(),
        archive,
    })
}

impl VerifiedCrx3<'_> {
    /// One file of the archive, uncompressed, refused past `max` bytes
    /// (`limit` names the bound, for the error).
    pub fn file(&self, name: &str, max: usize, limit: &'static str) -> Result<Vec<u8>, Crx3Error> {
        let corrupt = |e: &dyn std::fmt::Display| Crx3Error::FileCorrupt {
            name: name.to_owned(),
            cause: e.to_string(),
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(self.archive)).map_err(|e| {
            Crx3Error::ArchiveNotZip {
                cause: e.to_string(),
            }
        })?;
        let mut file = match zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(Crx3Error::FileMissing {
                    name: name.to_owned(),
                })
            }
            Err(e) => return Err(corrupt(&e)),
        };
        let too_large = |size: u64| Crx3Error::FileTooLarge {
            name: name.to_owned(),
            size,
            max,
            limit,
        };
        // The declared size first, then what the data really inflates to:
        // a size field can lie.
        if file.size() > max as u64 {
            return Err(too_large(file.size()));
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        (&mut file)
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| corrupt(&e))?;
        if bytes.len() > max {
            return Err(too_large(bytes.len() as u64));
        }
        Ok(bytes)
    }
}

/// Verifies a CRLSet package and returns its `crl-set` file's bytes, for
/// [`crate::crlset::CrlSet::from_bytes`]; at most
/// [`crate::limits::MAX_CRLSET_LEN`] of them.
pub fn crlset_bytes(
    crx: &[u8],
    expect: &Crx3Expectation,
    verifier: &dyn SignatureVerifier,
) -> Result<Vec<u8>, Crx3Error> {
    verify(crx, expect, verifier)?.file(CRLSET_FILE_NAME, MAX_CRLSET_LEN, "MAX_CRLSET_LEN")
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crlset_component_id_is_the_id_of_its_pinned_key() {
        assert_eq!(
            Crx3Expectation::for_key(CRLSET_PUBLISHER_KEY_SHA256),
            Crx3Expectation::crlset()
        );
    }
}
