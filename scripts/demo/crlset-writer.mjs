// A CRLSet writer: Chrome's revocation file (the format documented at the
// top of Chromium's net/cert/crl_set.cc, read by crate/engine/src/crlset/),
// written as Chromium's generator net/data/ssl/scripts/crlsetutil.py
// writes it:
//
//   uint16le header_len, header (JSON), then per parent (issuing CA):
//   32-byte SHA-256 of the parent's SubjectPublicKeyInfo DER, uint32le
//   count, each serial as a length byte and its bytes.
//
// Serials go in without their leading 0x00 bytes (crlsetutil.py strips
// them; Chromium compares serials exactly as stored, after stripping the
// same from the certificate's).

import { createHash, X509Certificate } from 'node:crypto';

/** SHA-256 of a certificate's DER SubjectPublicKeyInfo (a PEM string or Buffer). */
export function spkiSha256(certPem) {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest();
}

/** A serial (hex, any case, optional 0x) as the bytes a CRLSet stores. */
export function serialBytes(hex) {
  let digits = String(hex).replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(digits)) throw new Error(`not a hex serial: ${hex}`);
  if (digits.length % 2) digits = `0${digits}`;
  let bytes = Buffer.from(digits, 'hex');
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length > 255) throw new Error(`serial longer than 255 bytes: ${hex}`);
  return bytes;
}

/**
 * The serials an `openssl ca` database lists as revoked: its lines starting
 * with `R` (status, expiry, revocation time, serial, file, subject; tab
 * separated), as hex.
 */
export function revokedSerials(indexText) {
  return String(indexText).split('\n')
    .filter((line) => line.startsWith('R\t'))
    .map((line) => line.split('\t')[3]);
}

/**
 * The CRLSet bytes. `parents` is a list of {spkiSha256: 32-byte Buffer,
 * serials: [hex]}; `sequence` the header's Sequence; `notAfter` (seconds
 * since the epoch), when given, the header's NotAfter.
 */
export function writeCrlSet({ sequence, parents, notAfter, blockedSpkis = [] }) {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 0x7fffffff) {
    throw new Error(`Sequence must fit 31 bits: ${sequence}`);
  }
  const header = {
    Version: 0,
    ContentType: 'CRLSet',
    Sequence: sequence,
    DeltaFrom: 0,
    NumParents: parents.length,
    BlockedSPKIs: blockedSpkis.map((h) => Buffer.from(h).toString('base64')),
  };
  if (notAfter !== undefined) header.NotAfter = notAfter;
  const json = Buffer.from(JSON.stringify(header));
  const parts = [Buffer.alloc(2), json];
  parts[0].writeUInt16LE(json.length);
  for (const { spkiSha256: hash, serials } of parents) {
    if (hash.length !== 32) throw new Error(`a parent's SPKI hash is 32 bytes, not ${hash.length}`);
    const count = Buffer.alloc(4);
    count.writeUInt32LE(serials.length);
    parts.push(Buffer.from(hash), count);
    for (const serial of serials) {
      const bytes = serialBytes(serial);
      parts.push(Buffer.from([bytes.length]), bytes);
    }
  }
  return Buffer.concat(parts);
}
