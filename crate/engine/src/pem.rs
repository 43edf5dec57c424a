//! Certificate bundles: PEM (any number of certificate blocks) or one DER.
//!
//! The PEM reader is lax where RFC 7468 section 3 asks parsers to be, and
//! reads every shape OpenSSL 3 reads (`openssl x509 -in`), plus three it
//! refuses (a block on one line, bare CR line breaks, no `=` padding):
//! leniency costs nothing here, as each certificate's DER is checked after.
//!
//! - the Base64 may be wrapped at any width (64 and 76 columns are both
//!   common), or not at all, and may be on the boundary lines themselves;
//! - line breaks may be LF, CRLF or CR, and lines may carry trailing blanks;
//! - text before, between and after blocks is ignored, and so are blocks
//!   of other labels (keys, CRLs);
//! - the labels `CERTIFICATE`, the legacy `X509 CERTIFICATE` (RFC 7468
//!   section 5.1) and OpenSSL's `TRUSTED CERTIFICATE` are read. The last is
//!   a certificate followed by OpenSSL's trust settings (`X509_CERT_AUX`);
//!   those belong to a local trust store, not to revocation, and are ignored.
//!
//! Inside a block only whitespace is skipped: any other character that is
//! not Base64 is refused, with the block and the line named. (OpenSSL 3
//! silently skips such a block and reads the next; in a chain that would
//! inspect another certificate than the one meant.) Padding may be present
//! or absent.
//!
//! Decoding is the `base64` crate's; this module only finds the blocks.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{DecodeError, Engine};
use der::Decode;

use crate::error::Error;
// Defined beside the engine's `Error`, which carries it (so that `error`
// does not depend on this module); named here too, where it is made.
pub use crate::error::PemError;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// The labels read as certificates: RFC 7468's, the legacy one it names
/// (section 5.1), and OpenSSL's trusted form (`pem.h`, PEM_STRING_X509_*).
const CERTIFICATE_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// The longest label considered: RFC 7468's labels are a few words; a
/// longer run of text between dashes is not a boundary line.
const MAX_LABEL_LEN: usize = 64;

/// Standard Base64, padding optional, as OpenSSL's decoder reads it.
const LAX_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads a bundle: PEM certificate blocks in order, or a single DER
/// certificate.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    // DER: a SEQUENCE with no PEM boundary in it, or exactly one DER element
    // (a certificate may hold the boundary's text in a name). A text bundle
    // may begin with '0' too, the SEQUENCE tag's byte.
    if bytes.first() == Some(&0x30)
        && (find(bytes, BEGIN).is_none() || der::AnyRef::from_der(bytes).is_ok())
    {
        return Ok(vec![bytes.to_vec()]);
    }
    let mut certs = Vec::new();
    let mut other_labels = Vec::new();
    let mut block = 0;
    let mut at = 0;
    while let Some(start) = find(&bytes[at..], BEGIN).map(|i| at + i) {
        let label_start = start + BEGIN.len();
        let Some(label) = label_at(&bytes[label_start..]) else {
            // Not a boundary line: text that happens to hold the dashes.
            at = label_start;
            continue;
        };
        block += 1;
        let body_start = label_start + label.len() + DASHES.len();
        let end_line = [END, label.as_bytes(), DASHES].concat();
        let Some(body_len) = find(&bytes[body_start..], &end_line) else {
            if CERTIFICATE_LABELS.contains(&label) {
                return Err(PemError::Unterminated {
                    block,
                    label: label.into(),
                }
                .into());
            }
            // A block of another kind left open: the certificates after
            // it are still read.
            other_labels.push(label.to_owned());
            at = body_start;
            continue;
        };
        let body = &bytes[body_start..body_start + body_len];
        at = body_start + body_len + end_line.len();
        if !CERTIFICATE_LABELS.contains(&label) {
            other_labels.push(label.to_owned());
            continue;
        }
        let der = decode_body(body).map_err(|(line_offset, cause)| PemError::NotBase64 {
            block,
            label: label.into(),
            line: line_offset.map(|offset| line_of(bytes, body_start + offset)),
            cause,
        })?;
        if der.is_empty() {
            return Err(PemError::EmptyBlock {
                block,
                label: label.into(),
            }
            .into());
        }
        certs.push(if label == "TRUSTED CERTIFICATE" {
            certificate_of_trusted(der)
        } else {
            der
        });
    }
    if certs.is_empty() {
        return Err(PemError::NoCertificate { other_labels }.into());
    }
    Ok(certs)
}

/// The label of a boundary line, `bytes` starting just after
/// `-----BEGIN `: RFC 7468 section 3's `label`, then five dashes.
fn label_at(bytes: &[u8]) -> Option<&str> {
    let len = find(
        &bytes[..bytes.len().min(MAX_LABEL_LEN + DASHES.len())],
        DASHES,
    )?;
    let label = &bytes[..len];
    // labelchar = %x21-2C / %x2E-7E; '-' and ' ' only between them.
    let printable = label.iter().all(|&b| b == b' ' || b.is_ascii_graphic());
    if !printable || label.first() == Some(&b' ') || label.last() == Some(&b' ') {
        return None;
    }
    core::str::from_utf8(label).ok()
}

/// The decoded content of a block, whitespace skipped. On failure, the
/// offset in `body` of the offending character (when there is one) and the
/// decoder's error.
fn decode_body(body: &[u8]) -> Result<Vec<u8>, (Option<usize>, DecodeError)> {
    let is_blank = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
    let text: Vec<u8> = body.iter().copied().filter(|b| !is_blank(b)).collect();
    LAX_BASE64.decode(&text).map_err(|cause| {
        // The decoder counts in `text`; find that character in `body`.
        let offset = match cause {
            DecodeError::InvalidByte(i, _) | DecodeError::InvalidLastSymbol(i, _) => body
                .iter()
                .enumerate()
                .filter(|(_, b)| !is_blank(b))
                .nth(i)
                .map(|(at, _)| at),
            DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => None,
        };
        (offset, cause)
    })
}

/// The 1-based line of the byte at `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    // A CR not followed by LF ends a line too.
    let lf = before.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = before
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(before.last() == Some(&b'\r'));
    1 + lf + lone_cr
}

/// A `TRUSTED CERTIFICATE` block's certificate: the first DER value, the
/// trust settings after it left out. If the first value does not even
/// frame, the whole is kept, and the certificate parser says what is wrong.
fn certificate_of_trusted(der: Vec<u8>) -> Vec<u8> {
    use der::Reader;
    let first = der::SliceReader::new(&der)
        .ok()
        .and_then(|mut r| r.tlv_bytes().ok().map(<[u8]>::len));
    match first {
        Some(len) => der[..len].to_vec(),
        None => der,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_text_without_certificates() {
        assert!(matches!(read_certificates(b"hello"), Err(Error::BadPem(_))));
        assert!(matches!(
            read_certificates(&[0xff, 0xfe]),
            Err(Error::BadPem(_))
        ));
        let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert!(matches!(
            read_certificates(unterminated.as_bytes()),
            Err(Error::BadPem(_))
        ));
        let garbage = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            read_certificates(format!("0 comment\n{garbage}").as_bytes()),
            Err(Error::BadPem(_))
        ));
        assert!(matches!(
            read_certificates(garbage.as_bytes()),
            Err(Error::BadPem(_))
        ));
    }

    #[test]
    fn lines_are_counted_with_any_line_ending() {
        assert_eq!(line_of(b"a\nb\r\nc\rd", 7), 4);
        assert_eq!(line_of(b"a\r", 2), 2);
        assert_eq!(line_of(b"", 5), 1);
    }
}
