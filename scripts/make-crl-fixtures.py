#!/usr/bin/env python3
"""Writes the CRL fixtures in fixtures/crl/ with Python `cryptography` (pyca),
a second implementation beside the engine's own DER code.

    python3 scripts/make-crl-fixtures.py

Reads the test PKI in fixtures/pki/ (int-good issues the leaves and the CRLs,
root signs by-root.crl and forged.crl) and writes:

    fixtures/crl/<leaf>.pem          leaf certificates (their keys are not kept)
    fixtures/crl/chains/<leaf>.pem   leaf, int-good, root
    fixtures/crl/<name>.crl          DER CRLs

Deterministic: fixed serials and dates, leaf keys derived from fixed labels,
and every signature is deterministic ECDSA (RFC 6979, `ecdsa_deterministic=True`),
so a rerun writes the same bytes. README.md and expected.json beside the
fixtures are written by hand.

pyca cannot leave out nextUpdate nor write a v1 CRL (it always writes the
version field), so no-next-update.crl and v1.crl are built by pyca, then their
TBSCertList is edited here (one field dropped, see `_edit_tbs`) and signed
again with int-good's key, deterministic ECDSA as well.
"""

import datetime as dt
import hashlib
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PKI = os.path.join(ROOT, "fixtures", "pki")
OUT = os.path.join(ROOT, "fixtures", "crl")

# Where the demo could serve these CRLs later (8888 is the OCSP responder,
# 8889 the test PKI's CA Issuers / int-good.crl static server).
CRL_BASE = "http://127.0.0.1:8890/crl/"
SHARD1 = CRL_BASE + "int-good-1.crl"
SHARD2 = CRL_BASE + "int-good-2.crl"
OCSP_URL = "http://127.0.0.1:8888/"

UTC = dt.timezone.utc


def t(y, m, d):
    return dt.datetime(y, m, d, tzinfo=UTC)


THIS_UPDATE = t(2026, 6, 1)
NEXT_UPDATE = t(2026, 6, 8)
LEAF_NOT_BEFORE = t(2026, 5, 1)
LEAF_NOT_AFTER = t(2026, 7, 31)

UNKNOWN_LIST_OID = x509.ObjectIdentifier("1.3.6.1.4.1.55555.1")
UNKNOWN_ENTRY_OID = x509.ObjectIdentifier("1.3.6.1.4.1.55555.2")
DER_NULL = b"\x05\x00"

CRL_ISSUER_NAME = x509.Name([
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "revoscope test PKI"),
    x509.NameAttribute(NameOID.COMMON_NAME, "revoscope Test CRL Issuer"),
])

# A serial whose value is 19 octets with the high bit set: its DER INTEGER is
# 20 content octets, 00 first (the longest RFC 5280 allows).
LONG_SERIAL = int.from_bytes(bytes([0x80]) + bytes(range(1, 19)), "big")


def load(name):
    with open(os.path.join(PKI, name + ".pem"), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    with open(os.path.join(PKI, name + ".key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    return cert, key


INT, INT_KEY = load("int-good")
ROOT_CERT, ROOT_KEY = load("root")
assert isinstance(INT_KEY, ec.EllipticCurvePrivateKey), "int-good is expected to be ECDSA"
assert INT.not_valid_before_utc <= LEAF_NOT_BEFORE and LEAF_NOT_AFTER <= INT.not_valid_after_utc


def ski_of(cert):
    return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value


def leaf_key(label):
    """A P-256 key derived from a fixed label, so reruns make the same leaves."""
    seed = int.from_bytes(hashlib.sha256(b"revoscope crl fixture " + label.encode()).digest(), "big")
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(seed % (n - 1) + 1, ec.SECP256R1())


def dp(uri, reasons=None, crl_issuer=None):
    return x509.CRLDistributionPoints([x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(uri)],
        relative_name=None,
        reasons=reasons,
        crl_issuer=crl_issuer,
    )])


# name -> (serial, CRL distribution points, OCSP URL or None)
LEAVES = {
    "leaf-crl-good": (0x1001, dp(SHARD1), None),
    "leaf-crl-revoked": (0x1002, dp(SHARD1), None),
    "leaf-crl-hold": (0x1003, dp(SHARD1), None),
    "leaf-crl-removed": (0x1004, dp(SHARD1), None),
    "leaf-crl-shard2": (0x1005, dp(SHARD2), None),
    "leaf-crl-reasons": (0x1006, dp(SHARD1, reasons=frozenset([x509.ReasonFlags.key_compromise])), None),
    "leaf-crl-crlissuer": (0x1007, dp(SHARD1, crl_issuer=[x509.DirectoryName(CRL_ISSUER_NAME)]), None),
    "leaf-crl-and-ocsp": (0x1008, dp(SHARD1), OCSP_URL),
}


def make_leaf(name, serial, cdp, ocsp):
    host = name[len("leaf-"):] + ".revoscope.test"
    key = leaf_key(name)
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
         .issuer_name(INT.subject)
         .public_key(key.public_key())
         .serial_number(serial)
         .not_valid_before(LEAF_NOT_BEFORE)
         .not_valid_after(LEAF_NOT_AFTER)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(
             digital_signature=True, content_commitment=False, key_encipherment=False,
             data_encipherment=False, key_agreement=False, key_cert_sign=False,
             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski_of(INT)), critical=False))
    if ocsp:
        b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp))]), critical=False)
    b = (b.add_extension(cdp, critical=False)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
         .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False))
    return b.sign(INT_KEY, hashes.SHA256(), ecdsa_deterministic=True)


# --- CRLs -------------------------------------------------------------------

def entry(serial, revoked_on, reason=None, invalidity=None, extra=()):
    b = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_on)
    if reason is not None:
        b = b.add_extension(x509.CRLReason(reason), critical=False)
    if invalidity is not None:
        b = b.add_extension(x509.InvalidityDate(invalidity), critical=False)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    return b.build()


R = x509.ReasonFlags
REVOKED_KC = lambda extra=(): entry(0x1002, t(2026, 5, 21), R.key_compromise, t(2026, 5, 20), extra)  # noqa: E731


def idp(uri, user=False, ca=False, attr=False, reasons=None, indirect=False):
    return x509.IssuingDistributionPoint(
        full_name=[x509.UniformResourceIdentifier(uri)], relative_name=None,
        only_contains_user_certs=user, only_contains_ca_certs=ca,
        only_some_reasons=reasons, indirect_crl=indirect,
        only_contains_attribute_certs=attr)


def crl(entries, number, *, issuer=INT, key=INT_KEY, this_update=THIS_UPDATE,
        next_update=NEXT_UPDATE, scope=None, extra=(), hash_alg=hashes.SHA256):
    """A v2 CRL: AKI (keyid = issuer's SKI), CRLNumber, then `scope` (an IDP
    extension, critical as RFC 5280 wants) and `extra` (extension, critical)."""
    b = (x509.CertificateRevocationListBuilder()
         .issuer_name(issuer.subject)
         .last_update(this_update)
         .next_update(next_update)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski_of(issuer)), critical=False)
         .add_extension(x509.CRLNumber(number), critical=False))
    if scope is not None:
        b = b.add_extension(scope, critical=True)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    for e in entries:
        b = b.add_revoked_certificate(e)
    return b.sign(key, hash_alg(), ecdsa_deterministic=True).public_bytes(serialization.Encoding.DER)


# --- minimal DER, for the two CRLs pyca cannot write --------------------------

def _tlv(buf, i):
    """(start, end) of the TLV at buf[i]; single-byte tags only (all we meet)."""
    n = buf[i + 1]
    if n < 0x80:
        return i, i + 2 + n
    k = n & 0x7F
    return i, i + 2 + k + int.from_bytes(buf[i + 2:i + 2 + k], "big")


def _children(buf):
    """The raw TLVs inside a constructed TLV `buf`."""
    start, end = _tlv(buf, 0)
    assert end == len(buf)
    n = buf[1]
    i = 2 + (n & 0x7F if n >= 0x80 else 0)
    out = []
    while i < end:
        s, e = _tlv(buf, i)
        out.append(buf[s:e])
        i = e
    return out


def _wrap(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def _edit_tbs(der, drop):
    """Drops TBSCertList fields for which drop(index, tlv) is true, then signs
    the new TBS with int-good's key (deterministic ECDSA-SHA256) and returns
    the new CertificateList."""
    tbs, sig_alg, _sig = _children(der)
    fields = [f for i, f in enumerate(_children(tbs)) if not drop(i, f)]
    new_tbs = _wrap(0x30, b"".join(fields))
    sig = INT_KEY.sign(new_tbs, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    return _wrap(0x30, new_tbs + sig_alg + _wrap(0x03, b"\x00" + sig))


def without_next_update(der):
    # TBSCertList: version, signature, issuer, thisUpdate, nextUpdate, ...
    fields = _children(_children(der)[0])
    assert fields[0][0] == 0x02 and fields[3][0] in (0x17, 0x18) and fields[4][0] in (0x17, 0x18)
    return _edit_tbs(der, lambda i, f: i == 4)


def as_v1(der):
    # Drops the version INTEGER (absent means v1); the pyca CRL given here has
    # no list or entry extensions, so nothing else marks it v2.
    fields = _children(_children(der)[0])
    assert fields[0] == b"\x02\x01\x01" and not any(f[0] == 0xA0 for f in fields)
    return _edit_tbs(der, lambda i, f: i == 0)


# -----------------------------------------------------------------------------

def main():
    os.makedirs(os.path.join(OUT, "chains"), exist_ok=True)
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)  # noqa: E731
    for name, (serial, cdp, ocsp) in LEAVES.items():
        leaf = make_leaf(name, serial, cdp, ocsp)
        leaf.verify_directly_issued_by(INT)
        with open(os.path.join(OUT, name + ".pem"), "wb") as f:
            f.write(pem(leaf))
        with open(os.path.join(OUT, "chains", name + ".pem"), "wb") as f:
            f.write(pem(leaf) + pem(INT) + pem(ROOT_CERT))

    shard1_user = idp(SHARD1, user=True)
    shard1_entries = [
        REVOKED_KC(),
        entry(0x1003, t(2026, 5, 25), R.certificate_hold),
        entry(0x1004, t(2026, 5, 25), R.remove_from_crl),
        entry(0x0FFF, t(2026, 5, 10), R.superseded),
        entry(0x2ABC, t(2026, 5, 11)),  # no reason extension
        entry(LONG_SERIAL, t(2026, 5, 12), R.cessation_of_operation),
    ]
    only_kc = frozenset([R.key_compromise])
    unknown = x509.UnrecognizedExtension

    crls = {
        "int-good-1": crl(shard1_entries, 1, scope=shard1_user),
        "int-good-2": crl([entry(0x1005, t(2026, 5, 22), R.superseded)], 2, scope=idp(SHARD2, user=True)),
        "full": crl([REVOKED_KC()], 3),
        "no-next-update": without_next_update(crl([REVOKED_KC()], 4)),
        "ca-only": crl([REVOKED_KC()], 5, scope=idp(SHARD1, ca=True)),
        "attr-only": crl([REVOKED_KC()], 6, scope=idp(SHARD1, attr=True)),
        "some-reasons": crl([REVOKED_KC()], 7, scope=idp(SHARD1, reasons=only_kc)),
        "indirect": crl([REVOKED_KC()], 8, scope=idp(SHARD1, indirect=True)),
        "delta": crl([REVOKED_KC()], 9, scope=shard1_user,
                     extra=[(x509.DeltaCRLIndicator(1), True)]),
        "unknown-critical": crl([REVOKED_KC()], 10, scope=shard1_user,
                                extra=[(unknown(UNKNOWN_LIST_OID, DER_NULL), True)]),
        "unknown-critical-entry": crl([REVOKED_KC([(unknown(UNKNOWN_ENTRY_OID, DER_NULL), True)])], 11,
                                      scope=shard1_user),
        "unknown-noncritical": crl([REVOKED_KC([(unknown(UNKNOWN_ENTRY_OID, DER_NULL), False)])], 12,
                                   scope=shard1_user,
                                   extra=[(unknown(UNKNOWN_LIST_OID, DER_NULL), False)]),
        "v1": as_v1(_v1_source()),
        "sha384": crl([REVOKED_KC()], 13, scope=shard1_user, hash_alg=hashes.SHA384),
        "by-root": crl([REVOKED_KC()], 1, issuer=ROOT_CERT, key=ROOT_KEY),
        "forged": crl(shard1_entries, 14, key=ROOT_KEY, scope=shard1_user),
        "future": crl(shard1_entries, 15, scope=shard1_user, this_update=t(2026, 7, 1), next_update=t(2026, 7, 8)),
        "expired": crl(shard1_entries, 16, scope=shard1_user, this_update=t(2026, 5, 1), next_update=t(2026, 5, 8)),
    }

    # Self-check with pyca: each parses, and the signature is what it should be.
    for name, der in crls.items():
        parsed = x509.load_der_x509_crl(der)
        signer = ROOT_CERT if name == "by-root" else INT
        ok = parsed.is_signature_valid(signer.public_key())
        assert ok == (name != "forged"), name
        with open(os.path.join(OUT, name + ".crl"), "wb") as f:
            f.write(der)
    print(f"wrote {len(LEAVES)} leaves and chains, {len(crls)} CRLs to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


def _v1_source():
    """The CRL as_v1 edits: no extensions anywhere, one entry for 0x1002."""
    b = (x509.CertificateRevocationListBuilder()
         .issuer_name(INT.subject)
         .last_update(THIS_UPDATE)
         .next_update(NEXT_UPDATE)
         .add_revoked_certificate(entry(0x1002, t(2026, 5, 21))))
    return b.sign(INT_KEY, hashes.SHA256(), ecdsa_deterministic=True).public_bytes(serialization.Encoding.DER)


if __name__ == "__main__":
    main()
