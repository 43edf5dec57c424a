// CrlIndex: a CRL the host already holds, read and checked against its
// issuer (the signature by Node's WebCrypto, as a browser's would) and
// looked up by serial, on the CRLs Python's `cryptography` made
// (fixtures/crl, described in its README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { initSync, CrlIndex, certificateFacts } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const fixture = (path) => new Uint8Array(readFileSync(join(root, 'fixtures', path)));
const certificate = (path) => new Uint8Array(Buffer.from(readFileSync(join(root, 'fixtures', path), 'utf8')
  .match(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/)[1].replace(/\s+/g, ''), 'base64'));
const intGood = certificate('pki/int-good.pem');
/** A leaf's serial as content octets, from the engine's own facts. */
const serialOf = (leaf) => Uint8Array.from(Buffer.from(certificateFacts(certificate(`crl/${leaf}.pem`)).serial, 'hex'));
const day = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);

test('a shard read against its issuer answers by serial', async () => {
  const index = await CrlIndex.read(fixture('crl/int-good-1.crl'), intGood);
  assert.equal(index.entries(), 6);
  const revoked = serialOf('leaf-crl-revoked');
  assert.equal(index.contains(revoked), true);
  const entry = index.lookup(revoked);
  assert.equal(entry.reason, 'keyCompromise');
  assert.equal(day(entry.revocation_time), '2026-05-21');
  assert.equal(day(entry.invalidity_date), '2026-05-20');
  // Not listed: the good leaf, and a serial no certificate has.
  assert.equal(index.contains(serialOf('leaf-crl-good')), false);
  assert.equal(index.lookup(Uint8Array.of(0x7f, 0x01)), null);
  // removeFromCRL is listed; the ladder reads it as taken off hold.
  assert.equal(index.lookup(serialOf('leaf-crl-removed')).reason, 'removeFromCRL');
  const summary = index.summary();
  assert.equal(summary.entries, 6);
  assert.equal(summary.crl_number, '01');
  assert.deepEqual(summary.scope_urls, ['http://127.0.0.1:8890/crl/int-good-1.crl']);
  assert.equal(summary.only_user_certs, true);
  index.free();
});

test('a v1 list (no version, no extensions) reads too', async () => {
  const index = await CrlIndex.read(fixture('crl/v1.crl'), intGood);
  assert.equal(index.entries(), 1);
  assert.equal(index.lookup(serialOf('leaf-crl-revoked')).reason, undefined);
});

test('an unusable list rejects with the reason as its message', async () => {
  for (const [file, pattern] of [
    ['forged.crl', /the CRL's signature: the signature does not verify/],
    ['by-root.crl', /not the certificate's issuer's CRL: the CRL's issuer is CN=revoscope Test Root/],
    ['delta.crl', /delta CRL/],
    ['unknown-critical-entry.crl', /unknown critical extension 1\.3\.6\.1\.4\.1\.55555\.2/],
  ]) {
    await assert.rejects(CrlIndex.read(fixture(`crl/${file}`), intGood), pattern, file);
  }
  await assert.rejects(CrlIndex.read(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), intGood), Error);
  await assert.rejects(CrlIndex.read(fixture('crl/full.crl'), Uint8Array.of(1, 2, 3)), Error);
});
