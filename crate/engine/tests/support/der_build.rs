//! A few lines of DER writing, to build the malformed certificates that no
//! well-behaved encoder would produce.
#![allow(dead_code)]

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// DER of a dotted OID, for the small arcs these tests use.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut stack = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            stack.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        stack.reverse();
        body.extend(stack);
    }
    tlv(0x06, &body)
}

pub fn extension(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xff]);
    }
    parts.push(tlv(0x04, value));
    seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

/// A structurally complete certificate with the given serial content octets
/// and extensions. The signature is junk: the engine checks no signatures.
pub fn certificate(serial: &[u8], extensions: &[Vec<u8>]) -> Vec<u8> {
    let name = seq(&[&tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x0c, b"raw")]))]);
    let alg = seq(&[&oid("1.2.840.10045.4.3.2")]);
    let validity = seq(&[&tlv(0x17, b"260101000000Z"), &tlv(0x17, b"270101000000Z")]);
    let spki = seq(&[
        &seq(&[&oid("1.2.840.10045.2.1"), &oid("1.2.840.10045.3.1.7")]),
        &tlv(0x03, &[0, 4, 1, 2]),
    ]);
    let mut tbs_parts: Vec<Vec<u8>> = vec![
        tlv(0xa0, &tlv(0x02, &[2])),
        tlv(0x02, serial),
        alg.clone(),
        name.clone(),
        validity,
        name,
        spki,
    ];
    if !extensions.is_empty() {
        tbs_parts.push(tlv(
            0xa3,
            &seq(&extensions.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        ));
    }
    let tbs = seq(&tbs_parts.iter().map(Vec::as_slice).collect::<Vec<_>>());
    seq(&[&tbs, &alg, &tlv(0x03, &[0, 0x30, 0])])
}

/// Re-encodes a certificate with another serial (content octets), keeping
/// everything else; the signature no longer matches, which the engine does
/// not check.
pub fn replace_serial(cert: &[u8], serial: &[u8]) -> Vec<u8> {
    fn split(der: &[u8]) -> (&[u8], &[u8]) {
        // (content, rest) of the first TLV; lengths up to 2 octets suffice here.
        let (len, header) = match der[1] {
            n if n < 0x80 => (usize::from(n), 2),
            0x81 => (usize::from(der[2]), 3),
            _ => (usize::from(der[2]) << 8 | usize::from(der[3]), 4),
        };
        (&der[header..header + len], &der[header + len..])
    }
    let (cert_body, _) = split(cert);
    let (tbs, after_tbs) = split(cert_body);
    // The [0] version is short: tag, one length octet, content.
    let (version, rest) = tbs.split_at(2 + usize::from(tbs[1]));
    let (_, after_serial) = split(rest);
    let new_tbs = tlv(0x30, &[version, &tlv(0x02, serial), after_serial].concat());
    tlv(0x30, &[&new_tbs[..], after_tbs].concat())
}

/// A PKCS#7 "certs-only" SignedData carrying `certs` (RFC 5652 section
/// 5.1; what `openssl crl2pkcs7 -nocrl` writes).
pub fn certs_only(certs: &[&[u8]]) -> Vec<u8> {
    let signed_data = seq(&[
        &tlv(0x02, &[1]),
        &tlv(0x31, &[]),
        &seq(&[&oid("1.2.840.113549.1.7.1")]),
        &tlv(0xa0, &certs.concat()),
        &tlv(0x31, &[]),
    ]);
    seq(&[&oid("1.2.840.113549.1.7.2"), &tlv(0xa0, &signed_data)])
}
