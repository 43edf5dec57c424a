//! Distinguished names as text (RFC 4514), read straight from the DER.
//!
//! ```text
//! Name ::= CHOICE { rdnSequence RDNSequence }
//! RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//! RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//! AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
//! ```
//!
//! Matching is always on the Name's bytes; this text is for people. It is
//! written here rather than with x509-cert's `Display`, which looks every
//! attribute type up in const-oid's whole OID database and cost about 3 µs a
//! Name natively (two Names per certificate, on the page-load path); a small
//! TLV walker that compares OID bytes costs a tenth of that. Like mozpkix,
//! it does not insist on DER's SET ordering.

use core::fmt::Write as _;

use der::asn1::ObjectIdentifier as Oid;

use crate::oid;

/// Short names: RFC 4514 section 3, then types every CA tool prints by name.
const SHORT_NAMES: &[(Oid, &str)] = &[
    (oid::ID_AT_COMMON_NAME, "CN"),
    (oid::ID_AT_LOCALITY_NAME, "L"),
    (oid::ID_AT_STATE_OR_PROVINCE_NAME, "ST"),
    (oid::ID_AT_ORGANIZATION_NAME, "O"),
    (oid::ID_AT_ORGANIZATIONAL_UNIT_NAME, "OU"),
    (oid::ID_AT_COUNTRY_NAME, "C"),
    (oid::ID_AT_STREET_ADDRESS, "STREET"),
    (oid::ID_DOMAIN_COMPONENT, "DC"),
    (oid::ID_UID, "UID"),
    (oid::ID_AT_SERIAL_NUMBER, "serialNumber"),
    (oid::ID_AT_BUSINESS_CATEGORY, "businessCategory"),
    (oid::ID_AT_ORGANIZATION_IDENTIFIER, "organizationIdentifier"),
    (oid::ID_EMAIL_ADDRESS, "emailAddress"),
    (oid::ID_EV_JURISDICTION_LOCALITY, "jurisdictionL"),
    (oid::ID_EV_JURISDICTION_STATE_OR_PROVINCE, "jurisdictionST"),
    (oid::ID_EV_JURISDICTION_COUNTRY, "jurisdictionC"),
];

/// RFC 4514 text of a DER Name, most specific RDN first; a Name that does
/// not decode shows as `#` and its hex.
pub fn to_rfc4514(der: &[u8]) -> String {
    rdns(der).unwrap_or_else(|| format!("#{}", crate::hex::encode(der)))
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;

/// One TLV read off the front of some bytes.
struct Tlv<'a> {
    tag: u8,
    /// Tag, length and content.
    whole: &'a [u8],
    content: &'a [u8],
    /// What follows it.
    rest: &'a [u8],
}

/// Reads one TLV. Definite lengths only, as DER.
fn tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, after_tag) = input.split_first()?;
    let (&first, mut rest) = after_tag.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    let header = input.len() - rest.len();
    Some(Tlv {
        tag,
        whole: &input[..header + len],
        content: &rest[..len],
        rest: &rest[len..],
    })
}

fn rdns(der: &[u8]) -> Option<String> {
    let name = tlv(der)?;
    if name.tag != SEQUENCE || !name.rest.is_empty() {
        return None;
    }
    let mut sets = Vec::with_capacity(6);
    let mut seq = name.content;
    while !seq.is_empty() {
        let set = tlv(seq)?;
        if set.tag != SET {
            return None;
        }
        // An empty RDN breaks SET SIZE (1..MAX), and RFC 4514 section 3's
        // grammar has no way to write one (a `relativeDistinguishedName` is
        // at least one `attributeTypeAndValue`): it holds no attribute, so
        // the text leaves it out rather than show a stray comma. Matching
        // is on the bytes, which keep it.
        if !set.content.is_empty() {
            sets.push(set.content);
        }
        seq = set.rest;
    }
    let mut out = String::with_capacity(der.len());
    for (i, mut set) in sets.into_iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut first = true;
        while !set.is_empty() {
            let ava = tlv(set)?;
            let oid = tlv(ava.content)?;
            let value = tlv(oid.rest)?;
            if ava.tag != SEQUENCE || oid.tag != OID || !value.rest.is_empty() {
                return None;
            }
            if !first {
                out.push('+');
            }
            first = false;
            write_ava(&mut out, oid.content, &value)?;
            set = ava.rest;
        }
    }
    Some(out)
}

fn write_ava(out: &mut String, oid: &[u8], value: &Tlv<'_>) -> Option<()> {
    let short = SHORT_NAMES
        .iter()
        .find(|(known, _)| known.as_bytes() == oid)
        .map(|(_, name)| *name);
    match short {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "{}", Oid::from_bytes(oid).ok()?);
        }
    }
    out.push('=');
    match (short, decode_string(value.tag, value.content)) {
        (Some(_), Some(text)) => escape_into(out, &text),
        // RFC 4514 section 2.4: dotted types, and values that are not
        // strings, are written as '#' and the hex of their BER encoding.
        _ => {
            out.push('#');
            out.push_str(&crate::hex::encode(value.whole));
        }
    }
    Some(())
}

/// The directory string types that occur in certificates.
fn decode_string(tag: u8, bytes: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, PrintableString, IA5String, VisibleString.
        0x0c | 0x13 | 0x16 | 0x1a => core::str::from_utf8(bytes).ok().map(str::to_owned),
        // TeletexString: T.61 in theory; in practice CAs put Latin-1 here.
        0x14 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        0x1e => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        // UniversalString: UTF-32BE.
        0x1c => {
            if bytes.len() % 4 != 0 {
                return None;
            }
            bytes
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

/// RFC 4514 section 2.4 escaping.
fn escape_into(out: &mut String, text: &str) {
    let special = |c: char| matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\') || c.is_control();
    if !text.chars().any(special) && !text.starts_with([' ', '#']) && !text.ends_with(' ') {
        out.push_str(text); // the common case: nothing to escape
        return;
    }
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            // Control characters (NUL included) as \XX per UTF-8 octet.
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "\\{b:02x}");
                }
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;
    use der::{Decode, Encode};

    fn text(rfc4514: &str) -> String {
        to_rfc4514(
            &x509_cert::name::Name::from_str(rfc4514)
                .unwrap()
                .to_der()
                .unwrap(),
        )
    }

    #[test]
    fn reads_back_what_x509_cert_writes() {
        for name in [
            "CN=revoscope Test Root,O=revoscope test PKI",
            "CN=a+OU=b,O=c,C=DE",
            "CN=with\\,comma,DC=example,DC=com",
            "CN=\\#hash\\ ",
        ] {
            assert_eq!(text(name), name);
        }
    }

    #[test]
    fn matches_x509_cert_on_the_real_snapshot() {
        use base64::Engine as _;
        let json: serde_json::Value =
            serde_json::from_slice(include_bytes!("../../../fixtures/onecrl/onecrl.json")).unwrap();
        let mut compared = 0;
        for record in json["data"].as_array().unwrap().iter().step_by(7) {
            let Some(issuer) = record["issuerName"].as_str() else {
                continue;
            };
            let der = base64::engine::general_purpose::STANDARD
                .decode(issuer)
                .unwrap();
            let Ok(name) = x509_cert::name::Name::from_der(&der) else {
                continue;
            };
            let theirs = name.to_string();
            // x509-cert names some types we print dotted (RFC 4514's rule); compare the rest.
            if theirs.split([',', '+']).all(|part| {
                SHORT_NAMES
                    .iter()
                    .any(|(_, s)| part.starts_with(&format!("{s}=")))
            }) {
                assert_eq!(to_rfc4514(&der), theirs);
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn string_types_and_fallbacks() {
        // BMPString "Aé", TeletexString Latin-1 "é", unknown type and non-string value.
        let ava = |oid: &[u8], value: &[u8]| {
            [
                &[
                    0x31,
                    (oid.len() + value.len() + 2) as u8,
                    0x30,
                    (oid.len() + value.len()) as u8,
                ][..],
                oid,
                value,
            ]
            .concat()
        };
        let cn = [0x06, 0x03, 0x55, 0x04, 0x03];
        let name = |avas: Vec<u8>| [&[0x30, avas.len() as u8][..], &avas].concat();
        assert_eq!(
            to_rfc4514(&name(ava(&cn, &[0x1e, 0x04, 0x00, 0x41, 0x00, 0xe9]))),
            "CN=Aé"
        );
        assert_eq!(to_rfc4514(&name(ava(&cn, &[0x14, 0x01, 0xe9]))), "CN=é");
        assert_eq!(
            to_rfc4514(&name(ava(&cn, &[0x02, 0x01, 0x05]))),
            "CN=#020105"
        );
        assert_eq!(
            to_rfc4514(&name(ava(
                &[0x06, 0x03, 0x2a, 0x03, 0x04],
                &[0x0c, 0x01, 0x78]
            ))),
            "1.2.3.4=#0c0178"
        );
        assert_eq!(to_rfc4514(&[0x30, 0x00]), "");
        assert_eq!(to_rfc4514(&[0x02, 0x00]), "#0200");
        assert_eq!(
            to_rfc4514(&name(ava(&cn, &[0x0c, 0x02, b'a', 0x01]))),
            "CN=a\\01"
        );
        assert_eq!(
            to_rfc4514(&name(ava(&cn, &[0x1c, 0x04, 0x00, 0x00, 0x00, 0x41]))),
            "CN=A"
        );
        // Empty RDNs (first, between, last, alone) hold nothing to print:
        // no leading, doubled or trailing comma.
        let empty_rdn = [0x31, 0x00];
        for (avas, text) in [
            (
                [&empty_rdn[..], &ava(&cn, &[0x0c, 0x01, b'a'])].concat(),
                "CN=a",
            ),
            (
                [&ava(&cn, &[0x0c, 0x01, b'a'])[..], &empty_rdn].concat(),
                "CN=a",
            ),
            (
                [
                    &ava(&cn, &[0x0c, 0x01, b'a'])[..],
                    &empty_rdn,
                    &ava(&cn, &[0x0c, 0x01, b'b']),
                ]
                .concat(),
                "CN=b,CN=a",
            ),
            (empty_rdn.to_vec(), ""),
        ] {
            assert_eq!(to_rfc4514(&name(avas)), text);
        }
        // Truncated or trailing bytes: the whole Name as hex.
        assert_eq!(to_rfc4514(&[0x30, 0x05, 0x31]), "#300531");
        assert_eq!(to_rfc4514(&[0x30, 0x00, 0x00]), "#300000");
    }
}
