//! Certificate bundles: PEM (any number of CERTIFICATE blocks) or one DER.

use crate::error::Error;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// Reads a bundle: PEM blocks in order, or a single DER certificate.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    // PEM first: a text bundle may begin with '0' (0x30, DER's SEQUENCE tag).
    let is_pem = bytes.windows(BEGIN.len()).any(|w| w == BEGIN.as_bytes());
    if !is_pem && bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    let text = core::str::from_utf8(bytes)
        .map_err(|_| Error::BadPem("neither DER nor UTF-8 text".into()))?;
    let mut certs = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let block = &rest[start..];
        let end = block
            .find(END)
            .ok_or_else(|| Error::BadPem(format!("block {} has no {END} line", certs.len() + 1)))?;
        let block_text = &block[..end + END.len()];
        let (label, der) = der::pem::decode_vec(block_text.as_bytes())
            .map_err(|e| Error::BadPem(format!("block {}: {e}", certs.len() + 1)))?;
        debug_assert_eq!(label, "CERTIFICATE");
        certs.push(der);
        rest = &block[end + END.len()..];
    }
    if certs.is_empty() {
        return Err(Error::BadPem("no CERTIFICATE block found".into()));
    }
    Ok(certs)
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
        let unterminated = format!("{BEGIN}\nMIIB\n");
        assert!(matches!(
            read_certificates(unterminated.as_bytes()),
            Err(Error::BadPem(_))
        ));
        let garbage = format!("{BEGIN}\n!!!!\n{END}\n");
        assert!(matches!(
            read_certificates(format!("0 comment\n{garbage}").as_bytes()),
            Err(Error::BadPem(_))
        ));
        assert!(matches!(
            read_certificates(garbage.as_bytes()),
            Err(Error::BadPem(_))
        ));
    }
}
