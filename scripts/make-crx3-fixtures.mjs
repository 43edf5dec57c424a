#!/usr/bin/env node
// Writes the CRX3 fixtures in fixtures/crx3/ (see its README.md): CRLSet
// packages made by a second implementation, the npm package `crx3` 2.0.0
// (a Node CRX3 writer, a devDependency: the demo's CRLSet package uses it
// too), and variants tampered with here. Run from the repository root:
//
//   node scripts/make-crx3-fixtures.mjs   (or CRX3_MODULE=/path/to/node_modules/crx3)
//
// The test keys in fixtures/crx3/keys/ are made once with openssl and then
// reused, and the zip's timestamps are fixed, so every RSA-signed output is
// the same on every run (RSA PKCS#1 v1.5 signatures are deterministic).
// ECDSA signatures are randomised: `rsa-and-ecdsa.crx3` changes each run.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const writeCrx3 = require(process.env.CRX3_MODULE || 'crx3');

const OUT = 'fixtures/crx3';
const KEYS = path.join(OUT, 'keys');
// 2024-01-01T00:00:00Z: the zip entries' time, so the archive is stable.
const FIXED_TIME = Date.UTC(2024, 0, 1);

function key(name, args) {
  const file = path.join(KEYS, `${name}.pem`);
  if (!fs.existsSync(file)) {
    execFileSync('openssl', ['genpkey', ...args, '-out', file]);
  }
  return file;
}

const testKey = key('test-rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
const otherKey = key('other-rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
const ecKey = key('test-p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);

function spki(pemFile) {
  return crypto
    .createPublicKey(fs.readFileSync(pemFile))
    .export({ type: 'spki', format: 'der' });
}

// A CRX id: the first 16 bytes of SHA-256(SPKI DER), nibbles as a-p
// (Chromium's components/crx_file/id_util.cc).
function crxId(spkiDer) {
  const hash = crypto.createHash('sha256').update(spkiDer).digest();
  return [...hash.subarray(0, 16)]
    .flatMap((b) => [b >> 4, b & 15])
    .map((n) => String.fromCharCode(97 + n))
    .join('');
}

// Packs `files` (name -> bytes) with the npm crx3 writer.
async function pack(name, files, keyPath) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crx3-fixture-'));
  for (const [file, bytes] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), bytes);
  }
  const crxPath = path.join(OUT, name);
  await writeCrx3(
    Object.keys(files).map((f) => path.join(dir, f)),
    { keyPath, crxPath, forceDateTime: FIXED_TIME },
  );
  fs.rmSync(dir, { recursive: true });
  return fs.readFileSync(crxPath);
}

// --- just enough protocol buffers to take a header apart and rebuild it ---

function readVarint(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

function varint(n) {
  const out = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

// Length-delimited fields only (all a CRX3 header has): [[tag, bytes]].
function fields(buf) {
  const out = [];
  let at = 0;
  while (at < buf.length) {
    let key;
    let len;
    [key, at] = readVarint(buf, at);
    if ((key & 7) !== 2) throw new Error(`unexpected wire type in ${key}`);
    [len, at] = readVarint(buf, at);
    out.push([Math.floor(key / 8), buf.subarray(at, at + len)]);
    at += len;
  }
  return out;
}

function encode(list) {
  return Buffer.concat(
    list.flatMap(([tag, bytes]) => [varint(tag * 8 + 2), varint(bytes.length), bytes]),
  );
}

function split(crx) {
  if (crx.toString('latin1', 0, 4) !== 'Cr24' || crx.readUInt32LE(4) !== 3) {
    throw new Error('the writer made no CRX3');
  }
  const len = crx.readUInt32LE(8);
  return { header: crx.subarray(12, 12 + len), archive: crx.subarray(12 + len) };
}

function join(header, archive) {
  const pre = Buffer.alloc(12);
  pre.write('Cr24', 0, 'latin1');
  pre.writeUInt32LE(3, 4);
  pre.writeUInt32LE(header.length, 8);
  return Buffer.concat([pre, header, archive]);
}

// What every proof signs (components/crx_file/crx_verifier.cc).
function signedMessage(signedHeaderData, archive) {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(signedHeaderData.length);
  return Buffer.concat([Buffer.from('CRX3 SignedData\0', 'latin1'), len, signedHeaderData, archive]);
}

function proof(keyFile, message) {
  const privateKey = crypto.createPrivateKey(fs.readFileSync(keyFile));
  const signature = crypto.sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
  return encode([[1, spki(keyFile)], [2, signature]]);
}

// --- the fixtures ---

const payloads = {
  seq1: fs.readFileSync('fixtures/crlset/crlset_by_root_serial.raw'),
  seq2: fs.readFileSync('fixtures/crlset/crlset_by_root_subject_no_spki.raw'),
};
const manifest = (version) =>
  Buffer.from(JSON.stringify({ manifest_version: 2, name: 'CertificateRevocation', version }));

const out = (name, bytes) => fs.writeFileSync(path.join(OUT, name), bytes);

const seq1 = await pack('crlset-seq1.crx3', { 'crl-set': payloads.seq1, 'manifest.json': manifest('1') }, testKey);
await pack('crlset-seq2.crx3', { 'crl-set': payloads.seq2, 'manifest.json': manifest('2') }, testKey);
await pack('other-key.crx3', { 'crl-set': payloads.seq1, 'manifest.json': manifest('1') }, otherKey);
await pack('no-crl-set.crx3', { 'manifest.json': manifest('1') }, testKey);

const { header, archive } = split(seq1);
const headerFields = fields(header);
const signedHeaderData = headerFields.find(([tag]) => tag === 10000)[1];

// One byte of the archive flipped: the signature no longer verifies.
const flipped = Buffer.from(archive);
flipped[Math.floor(flipped.length / 2)] ^= 0x01;
out('archive-flipped.crx3', join(header, flipped));

// The RSA proof taken out of the header: no proof is left.
out('no-proof.crx3', join(encode(headerFields.filter(([tag]) => tag !== 2)), archive));

// Cut in the middle of the header.
out('truncated.crx3', seq1.subarray(0, 12 + Math.floor(header.length / 2)));

// Not a CRX: the zip archive alone.
out('not-a-crx.crx3', archive);

// An ECDSA P-256 proof added beside the RSA one, over the same message.
const ecdsaProof = proof(ecKey, signedMessage(signedHeaderData, archive));
out('rsa-and-ecdsa.crx3', join(encode([...headerFields, [3, ecdsaProof]]), archive));

// Signed by the test key, but claiming the other key's id.
const otherIdBytes = crypto.createHash('sha256').update(spki(otherKey)).digest().subarray(0, 16);
const forgedSigned = encode([[1, otherIdBytes]]);
out('forged-id.crx3', join(
  encode([[2, proof(testKey, signedMessage(forgedSigned, archive))], [10000, forgedSigned]]),
  archive,
));

const ids = {
  'test-rsa': crxId(spki(testKey)),
  'other-rsa': crxId(spki(otherKey)),
};
const pins = Object.fromEntries(
  [['test-rsa', testKey], ['other-rsa', otherKey], ['test-p256', ecKey]].map(([name, file]) => [
    name,
    crypto.createHash('sha256').update(spki(file)).digest('hex'),
  ]),
);
for (const [name, file] of [['test-rsa', testKey], ['other-rsa', otherKey], ['test-p256', ecKey]]) {
  fs.writeFileSync(path.join(KEYS, `${name}.spki.der`), spki(file));
}
console.log(JSON.stringify({ ids, pins }, null, 2));
