//! CertificateLists by the test PKI's int-good, signed with its key, built
//! byte for byte (CrlList::read checks the signature before it indexes the
//! entries, so a list a test means to be read must be validly signed). The
//! dates are the CRL fixtures' (fixtures/crl/README.md), so the fixture
//! leaves can be judged against them.

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::DerSignature;
use revoscope::Cert;

use super::der_build::{oid, seq, tlv};
use super::{chain, LEAF_90D};

/// thisUpdate 2026-06-01T00:00:00Z, nextUpdate 2026-06-08.
pub const CRL_THIS_UPDATE: &[u8] = b"260601000000Z";
pub const CRL_NEXT_UPDATE: &[u8] = b"260608000000Z";
/// 2026-06-02T00:00:00Z, the CRL fixtures' time.
pub const CRL_AT: revoscope::UnixTime = revoscope::UnixTime(1_780_358_400);
/// An entry's revocationDate, 2026-05-21.
pub const CRL_REVOKED_AT: &[u8] = b"260521000000Z";

pub fn int_good() -> Cert {
    Cert::from_der(&chain(LEAF_90D)[1]).unwrap()
}

/// One revokedCertificates entry without extensions.
pub fn crl_entry(serial: &[u8]) -> Vec<u8> {
    seq(&[&tlv(0x02, serial), &tlv(0x17, CRL_REVOKED_AT)])
}

/// `n` entries, concatenated, for the three-octet serials 0x100000 + i:
/// 22 bytes each, written in place (a million separate vectors would
/// cost more than the list).
pub fn crl_entries(n: usize) -> Vec<u8> {
    assert!(0x10_0000 + n < 0x80_0000, "three positive octets");
    let mut template = crl_entry(&[0x10, 0x00, 0x00]);
    assert_eq!(template.len(), 22);
    let mut out = Vec::with_capacity(n * template.len());
    for i in 0..n {
        let serial = (0x10_0000 + i as u32).to_be_bytes();
        template[4..7].copy_from_slice(&serial[1..]);
        out.extend_from_slice(&template);
    }
    out
}

/// The three-octet serial of [`crl_entries`]'s `i`-th entry.
pub fn crl_serial(i: usize) -> Vec<u8> {
    (0x10_0000 + i as u32).to_be_bytes()[1..].to_vec()
}

/// The TBSCertList of a v2 CRL by int-good over `entries` (concatenated
/// DER entries, none when empty) with these list extensions.
pub fn crl_tbs(entries: &[u8], extensions: &[Vec<u8>]) -> Vec<u8> {
    let issuer = int_good().subject_der;
    let mut parts: Vec<Vec<u8>> = vec![
        tlv(0x02, &[1]),
        ecdsa_with_sha256(),
        issuer,
        tlv(0x17, CRL_THIS_UPDATE),
        tlv(0x17, CRL_NEXT_UPDATE),
    ];
    if !entries.is_empty() {
        parts.push(tlv(0x30, entries));
    }
    if !extensions.is_empty() {
        let list: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
        parts.push(tlv(0xa0, &seq(&list)));
    }
    seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

pub fn ecdsa_with_sha256() -> Vec<u8> {
    seq(&[&oid("1.2.840.10045.4.3.2")])
}

/// The CertificateList: `tbs`, the algorithm, and `signature` (DER).
pub fn certificate_list(tbs: &[u8], signature: &[u8]) -> Vec<u8> {
    seq(&[
        tbs,
        &ecdsa_with_sha256(),
        &tlv(0x03, &[&[0u8][..], signature].concat()),
    ])
}

pub fn sign_crl(tbs: &[u8]) -> Vec<u8> {
    let signature: DerSignature = super::pki::key("int-good").sign(tbs);
    certificate_list(tbs, signature.as_bytes())
}

/// A v2 CRL by int-good, signed ECDSA-SHA256 (see [`crl_tbs`]).
pub fn signed_crl(entries: &[u8], extensions: &[Vec<u8>]) -> Vec<u8> {
    sign_crl(&crl_tbs(entries, extensions))
}
