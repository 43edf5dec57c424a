//! The embedded SCT list (RFC 6962 section 3.3), read far enough for CRLite:
//! each SCT's log id and timestamp. Signatures are not checked here.
//!
//! ```text
//! opaque SerializedSCT<1..2^16-1>;
//! struct { SerializedSCT sct_list <1..2^16-1>; } SignedCertificateTimestampList;
//! struct {
//!     Version sct_version;              -- 1 byte, v1(0)
//!     LogID id;                         -- 32 bytes, SHA-256 of the log's key
//!     uint64 timestamp;                 -- milliseconds since the epoch
//!     CtExtensions extensions;          -- opaque <0..2^16-1>
//!     digitally-signed struct { ... };  -- hash(1) sig(1) opaque <0..2^16-1>
//! } SignedCertificateTimestamp;
//! ```

use core::fmt;

use serde::Serialize;

use crate::limits::MAX_SCTS;

/// One embedded SCT: which log, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Sct {
    pub version: u8,
    /// The log's id, hex.
    #[serde(serialize_with = "crate::hex::serialize")]
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub log_id: [u8; 32],
    pub timestamp_ms: u64,
}

/// Why an SCT list could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SctListError {
    /// The extension's value is not one DER OCTET STRING (RFC 6962 section
    /// 3.3 wraps the list in one), for example one with a non-minimal length.
    NotOctetString(der::Error),
    Truncated {
        at: &'static str,
    },
    LengthMismatch {
        declared: usize,
        actual: usize,
    },
    TooMany {
        max: usize,
    },
    Empty,
}

impl fmt::Display for SctListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SctListError::NotOctetString(cause) => {
                write!(f, "the extension value is not a DER OCTET STRING: {cause}")
            }
            SctListError::Truncated { at } => write!(f, "SCT list truncated in {at}"),
            SctListError::LengthMismatch { declared, actual } => {
                write!(f, "SCT list declares {declared} bytes but holds {actual}")
            }
            SctListError::TooMany { max } => write!(f, "more than {max} SCTs"),
            SctListError::Empty => f.write_str("empty SCT list"),
        }
    }
}

struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, at: &'static str) -> Result<&'a [u8], SctListError> {
        if self.0.len() < n {
            return Err(SctListError::Truncated { at });
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }
    fn u16(&mut self, at: &'static str) -> Result<usize, SctListError> {
        let b = self.take(2, at)?;
        Ok(usize::from(u16::from_be_bytes([b[0], b[1]])))
    }
    fn vec16(&mut self, at: &'static str) -> Result<&'a [u8], SctListError> {
        let n = self.u16(at)?;
        self.take(n, at)
    }
}

/// Parses the TLS-encoded list (the content of the extension's inner OCTET STRING).
pub fn parse_sct_list(bytes: &[u8]) -> Result<Vec<Sct>, SctListError> {
    let mut outer = Cursor(bytes);
    let declared = outer.u16("list length")?;
    if declared != outer.0.len() {
        return Err(SctListError::LengthMismatch {
            declared,
            actual: outer.0.len(),
        });
    }
    if declared == 0 {
        return Err(SctListError::Empty);
    }
    let mut scts = Vec::new();
    while !outer.0.is_empty() {
        if scts.len() == MAX_SCTS {
            return Err(SctListError::TooMany { max: MAX_SCTS });
        }
        let mut sct = Cursor(outer.vec16("SCT length")?);
        let version = sct.take(1, "version")?[0];
        let mut log_id = [0u8; 32];
        log_id.copy_from_slice(sct.take(32, "log id")?);
        let ts = sct.take(8, "timestamp")?;
        let timestamp_ms = u64::from_be_bytes(ts.try_into().expect("8 bytes taken"));
        sct.vec16("extensions")?;
        sct.take(2, "signature algorithm")?;
        sct.vec16("signature")?;
        if !sct.0.is_empty() {
            return Err(SctListError::LengthMismatch {
                declared: 0,
                actual: sct.0.len(),
            });
        }
        scts.push(Sct {
            version,
            log_id,
            timestamp_ms,
        });
    }
    Ok(scts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_sct(ts: u64, log: u8) -> Vec<u8> {
        let mut s = vec![0u8];
        s.extend([log; 32]);
        s.extend(ts.to_be_bytes());
        s.extend([0, 0, 4, 3, 0, 2, 0xAA, 0xBB]);
        let mut out = (s.len() as u16).to_be_bytes().to_vec();
        out.extend(s);
        out
    }

    fn list(scts: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = scts.concat();
        let mut out = (body.len() as u16).to_be_bytes().to_vec();
        out.extend(body);
        out
    }

    #[test]
    fn reads_log_ids_and_timestamps() {
        let bytes = list(&[one_sct(1_700_000_000_123, 7), one_sct(42, 9)]);
        let scts = parse_sct_list(&bytes).unwrap();
        assert_eq!(scts.len(), 2);
        assert_eq!(scts[0].timestamp_ms, 1_700_000_000_123);
        assert_eq!(scts[0].log_id, [7; 32]);
        assert_eq!(scts[1].log_id, [9; 32]);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = list(&[one_sct(5, 1)]);
        for cut in 0..bytes.len() {
            assert!(parse_sct_list(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn rejects_trailing_bytes_inside_an_sct() {
        let mut sct = one_sct(5, 1);
        sct.push(0);
        let n = (sct.len() - 2) as u16;
        sct[..2].copy_from_slice(&n.to_be_bytes());
        assert!(matches!(
            parse_sct_list(&list(&[sct])),
            Err(SctListError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn empty_list_is_an_error() {
        assert_eq!(parse_sct_list(&[0, 0]), Err(SctListError::Empty));
    }
}
