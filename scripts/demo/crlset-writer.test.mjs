// The demo's CRLSet writer, against the format and against Chromium's own
// test set: `node --test scripts/demo/crlset-writer.test.mjs`.

import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { revokedSerials, serialBytes, spkiSha256, writeCrlSet } from './crlset-writer.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads a CRLSet back: header and parents, serials as hex. */
function readCrlSet(bytes) {
  const headerLen = bytes.readUInt16LE(0);
  const header = JSON.parse(bytes.subarray(2, 2 + headerLen).toString('utf8'));
  const parents = [];
  let at = 2 + headerLen;
  while (at < bytes.length) {
    const spki = bytes.subarray(at, at + 32).toString('hex');
    const count = bytes.readUInt32LE(at + 32);
    at += 36;
    const serials = [];
    for (let i = 0; i < count; i++) {
      const len = bytes[at];
      serials.push(bytes.subarray(at + 1, at + 1 + len).toString('hex'));
      at += 1 + len;
    }
    parents.push({ spki, serials });
  }
  assert.equal(at, bytes.length, 'no trailing bytes');
  return { header, parents };
}

test('serials lose their leading zero bytes, as crlsetutil.py writes them', () => {
  assert.equal(serialBytes('0x00FF').toString('hex'), 'ff');
  assert.equal(serialBytes('00008a').toString('hex'), '8a');
  assert.equal(serialBytes('abc').toString('hex'), '0abc');
  assert.equal(serialBytes('00').toString('hex'), '00');
  assert.throws(() => serialBytes('12zz'), /not a hex serial/);
  assert.throws(() => serialBytes('ab'.repeat(256)), /longer than 255/);
});

test('revoked serials are the R lines of an openssl ca database', () => {
  const index = [
    'V\t270306203706Z\t\t6B1718F21A\tunknown\t/CN=good',
    'R\t270306203706Z\t261207193706Z,keyCompromise\t6B1718F21B\tunknown\t/CN=revoked',
    'E\t250306203706Z\t\t0C\tunknown\t/CN=expired',
    'R\t270306203706Z\t261207193706Z\t0D\tunknown\t/CN=other',
    '',
  ].join('\n');
  assert.deepEqual(revokedSerials(index), ['6B1718F21B', '0D']);
  assert.deepEqual(revokedSerials(''), []);
});

test('the file: header length, JSON header, one block per parent', () => {
  const a = Buffer.alloc(32, 0xaa);
  const b = Buffer.alloc(32, 0xbb);
  const bytes = writeCrlSet({ sequence: 42, notAfter: 1_900_000_000, parents: [{ spkiSha256: a, serials: ['01', '00FF10'] }, { spkiSha256: b, serials: [] }] });
  const { header, parents } = readCrlSet(bytes);
  assert.deepEqual(header, {
    Version: 0, ContentType: 'CRLSet', Sequence: 42, DeltaFrom: 0, NumParents: 2, BlockedSPKIs: [], NotAfter: 1_900_000_000,
  });
  assert.deepEqual(parents, [{ spki: a.toString('hex'), serials: ['01', 'ff10'] }, { spki: b.toString('hex'), serials: [] }]);
  assert.throws(() => writeCrlSet({ sequence: 2 ** 31, parents: [] }), /31 bits/);
  assert.throws(() => writeCrlSet({ sequence: 1, parents: [{ spkiSha256: Buffer.alloc(20), serials: [] }] }), /32 bytes/);
});

test('the same parents and serials as Chromium\'s crlset_by_intermediate_serial.raw', () => {
  // Written by Chromium's net/data/ssl/scripts/crlsetutil.py.
  const chromium = readCrlSet(fs.readFileSync(path.join(ROOT, 'fixtures/crlset/crlset_by_intermediate_serial.raw')));
  const ours = readCrlSet(writeCrlSet({
    sequence: chromium.header.Sequence,
    parents: chromium.parents.map((p) => ({ spkiSha256: Buffer.from(p.spki, 'hex'), serials: p.serials })),
  }));
  assert.deepEqual(ours.parents, chromium.parents);
  assert.ok(chromium.parents.length > 0 && chromium.parents[0].serials.length > 0);
});

test('spkiSha256 hashes the DER SubjectPublicKeyInfo', () => {
  const pem = fs.readFileSync(path.join(ROOT, 'fixtures/remote-settings/root.pem'));
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  assert.deepEqual(spkiSha256(pem), createHash('sha256').update(spki).digest());
  assert.equal(spkiSha256(pem).length, 32);
});
