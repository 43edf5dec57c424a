//! PEM as users' files hold it: Mozilla's real AUS signer chain re-shaped
//! the ways real tools write PEM, each read to the same certificates
//! (RFC 7468 section 3: parsers are lax about whitespace and line breaks),
//! and what is not Base64 refused with the block and line named.

mod support;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::{DecodeError, Engine};
use revoscope::pem::{read_certificates, PemError};
use revoscope::{Cert, Error};
use support::der_build::{oid, seq, tlv};

/// Mozilla's real content-signature chain (signer, intermediate, root).
const AUS_CHAIN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/remote-settings/real/vpn_balrog_aus_2023/chain.pem"
));

fn real_ders() -> Vec<Vec<u8>> {
    let ders = read_certificates(AUS_CHAIN).unwrap();
    assert_eq!(ders.len(), 3);
    for der in &ders {
        Cert::from_der(der).unwrap();
    }
    ders
}

/// One block: `label`, the Base64 wrapped at `width` (0: one line), lines
/// ended by `eol`, each body line followed by `trailing`.
fn block(label: &str, der: &[u8], width: usize, eol: &str, trailing: &str) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----{eol}");
    let width = if width == 0 { b64.len() } else { width };
    for line in b64.as_bytes().chunks(width) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push_str(trailing);
        out.push_str(eol);
    }
    out.push_str(&format!("-----END {label}-----{eol}"));
    out
}

fn bundle(width: usize, eol: &str, trailing: &str) -> String {
    real_ders()
        .iter()
        .map(|der| block("CERTIFICATE", der, width, eol, trailing))
        .collect()
}

fn bad_pem(input: &[u8]) -> PemError {
    match read_certificates(input) {
        Err(Error::BadPem(why)) => why,
        other => panic!("expected BadPem, got {other:?}"),
    }
}

/// A block of another kind left without its END line does not hide the
/// certificates after it; a DER certificate is DER even when its bytes
/// hold a boundary's text.
#[test]
fn an_open_key_block_and_a_boundary_inside_der_do_not_hide_certificates() {
    let ders = real_ders();
    let after_open_key = format!(
        "-----BEGIN PRIVATE KEY-----\nMIIB\n{}",
        block("CERTIFICATE", &ders[0], 64, "\n", "")
    );
    assert_eq!(
        read_certificates(after_open_key.as_bytes()).unwrap(),
        &ders[..1]
    );
    // A SEQUENCE whose only content is the text of a BEGIN line.
    let text = b"-----BEGIN CERTIFICATE-----";
    let der = tlv(0x30, &tlv(0x0c, text));
    assert_eq!(read_certificates(&der).unwrap(), vec![der.clone()]);
}

#[test]
fn every_common_shape_reads_to_the_same_certificates() {
    let ders = real_ders();
    let shapes = [
        ("64 columns (RFC 7468)", bundle(64, "\n", "")),
        ("76 columns (MIME)", bundle(76, "\n", "")),
        ("the Base64 on one line", bundle(0, "\n", "")),
        ("CRLF line breaks", bundle(64, "\r\n", "")),
        ("CR line breaks", bundle(64, "\r", "")),
        ("trailing blanks and tabs", bundle(64, "\n", " \t ")),
        ("CRLF and trailing blanks", bundle(76, "\r\n", "  ")),
        (
            "a whole block on one line",
            real_ders()
                .iter()
                .map(|der| block("CERTIFICATE", der, 0, "", ""))
                .collect(),
        ),
        (
            "no '=' padding",
            real_ders()
                .iter()
                .map(|der| {
                    format!(
                        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                        STANDARD_NO_PAD.encode(der)
                    )
                })
                .collect(),
        ),
    ];
    for (about, pem) in shapes {
        assert_eq!(
            read_certificates(pem.as_bytes()).unwrap_or_else(|e| panic!("{about}: {e}")),
            ders,
            "{about}"
        );
    }
}

#[test]
fn text_around_and_between_blocks_is_ignored() {
    let ders = real_ders();
    // As `openssl x509 -text` and many CA downloads write it: a description
    // before each block, other blocks between, a trailer, Latin-1 included.
    let mut pem = b"Bag Attributes\n    friendlyName: signer\nsubject=CN = ...\n".to_vec();
    pem.extend(block("CERTIFICATE", &ders[0], 64, "\n", "").as_bytes());
    pem.extend(b"\n# the intermediate, issuer=O = Mozilla \xe9t\xe9\n\n");
    pem.extend(block("CERTIFICATE", &ders[1], 64, "\n", "").as_bytes());
    pem.extend(b"-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n");
    pem.extend(b"a line with ----- dashes -----BEGIN nothing\n");
    pem.extend(block("CERTIFICATE", &ders[2], 64, "\n", "").as_bytes());
    pem.extend(b"-----BEGIN PRIVATE KEY-----\nnot read\n");
    assert_eq!(read_certificates(&pem).unwrap(), ders);
}

#[test]
fn legacy_and_trusted_labels_are_read() {
    let ders = real_ders();
    let legacy = block("X509 CERTIFICATE", &ders[0], 64, "\n", "");
    assert_eq!(
        read_certificates(legacy.as_bytes()).unwrap(),
        [ders[0].clone()]
    );

    // OpenSSL's `x509 -trustout -addtrust serverAuth -setalias NAME`: the
    // certificate, then X509_CERT_AUX ::= SEQUENCE { trust SEQUENCE OF
    // OBJECT IDENTIFIER, alias UTF8String, ... }, which is left out.
    let aux = seq(&[
        &seq(&[&oid("1.3.6.1.5.5.7.3.1")]),
        &tlv(0x0c, b"revoscope test"),
    ]);
    let trusted = block(
        "TRUSTED CERTIFICATE",
        &[&ders[1][..], &aux].concat(),
        64,
        "\n",
        "",
    );
    let mixed = format!("{trusted}{}", block("CERTIFICATE", &ders[2], 64, "\n", ""));
    assert_eq!(read_certificates(mixed.as_bytes()).unwrap(), &ders[1..]);
}

#[test]
fn what_is_not_base64_is_refused_with_the_block_and_line() {
    let ders = real_ders();
    let good = block("CERTIFICATE", &ders[0], 64, "\n", "");
    let mut damaged = block("CERTIFICATE", &ders[1], 64, "\n", "");
    // Line 3 of the second block (line 1 is its BEGIN line).
    let third_line = damaged.match_indices('\n').nth(1).unwrap().0 + 1;
    damaged.replace_range(third_line + 10..third_line + 11, "!");
    let input = format!("{good}{damaged}");
    let line = good.lines().count() + 3;
    let err = bad_pem(input.as_bytes());
    assert_eq!(
        err,
        PemError::NotBase64 {
            block: 2,
            label: "CERTIFICATE".into(),
            line: Some(line),
            cause: DecodeError::InvalidByte(64 + 10, b'!'),
        }
    );
    assert_eq!(
        Error::BadPem(err).to_string(),
        format!("bad PEM: block 2 (CERTIFICATE) is not Base64 at line {line}: ! is not a Base64 character")
    );

    // Characters that leave one over a multiple of four: no whole number of
    // bytes, whatever the padding.
    let mut b64 = STANDARD_NO_PAD.encode(&ders[0]);
    while b64.len() % 4 != 1 {
        b64.push('A');
    }
    let extra = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n");
    assert!(matches!(
        bad_pem(extra.as_bytes()),
        PemError::NotBase64 {
            block: 1,
            line: None,
            cause: DecodeError::InvalidLength(_),
            ..
        }
    ));
}

#[test]
fn missing_or_empty_blocks_are_named() {
    assert_eq!(
        bad_pem(b"hello"),
        PemError::NoCertificate {
            other_labels: vec![]
        }
    );
    let key_only = b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
    let err = bad_pem(key_only);
    assert_eq!(
        err.to_string(),
        "no CERTIFICATE block found, only PRIVATE KEY"
    );
    assert_eq!(
        bad_pem(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE----\n"),
        PemError::Unterminated {
            block: 1,
            label: "CERTIFICATE".into()
        }
    );
    assert_eq!(
        bad_pem(b"-----BEGIN CERTIFICATE-----\r\n  \r\n-----END CERTIFICATE-----\r\n"),
        PemError::EmptyBlock {
            block: 1,
            label: "CERTIFICATE".into()
        }
    );
    // A mismatched END label is no END line for the block.
    assert!(matches!(
        bad_pem(b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END X509 CRL-----\n"),
        PemError::Unterminated { block: 1, .. }
    ));
}

#[test]
fn one_der_certificate_is_read_as_it_is() {
    let ders = real_ders();
    assert_eq!(read_certificates(&ders[0]).unwrap(), [ders[0].clone()]);
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any bytes: certificates or a PemError, never a panic.
        #[test]
        fn on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read_certificates(&bytes);
        }

        /// The real chain with bytes overwritten or cut: still an answer.
        #[test]
        fn on_a_damaged_real_chain(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut pem = AUS_CHAIN.to_vec();
            for (at, byte) in edits {
                let i = at.index(pem.len());
                pem[i] = byte;
            }
            pem.truncate(cut.index(pem.len() + 1));
            match read_certificates(&pem) {
                Ok(ders) => prop_assert!(!ders.is_empty()),
                Err(Error::BadPem(_)) => {}
                Err(other) => prop_assert!(false, "not a PEM error: {other}"),
            }
        }
    }
}
