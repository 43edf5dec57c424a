// npm run bench: the wasm engine (as the extension loads it) side by side with
// the same work in JavaScript with @peculiar/x509, in one Node process.
// Medians over repeated batches; ratios are peer time / engine time.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { initSync, Engine, validateOcspResponse, ocspRequest } = await import(join(root, 'crate/pkg/revoscope.js'));
const wasmBytes = readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm'));
initSync({ module: wasmBytes });

const snapshotBytes = readFileSync(join(root, 'fixtures/onecrl/onecrl.json'));
const chainPem = readFileSync(join(root, 'fixtures/pki/chains/leaf-90d.pem'), 'utf8');
const chain = [...chainPem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
const now = Date.parse('2026-11-21T12:00:00Z');

/** Median time per call in microseconds: `rounds` batches of `batch` calls. */
function measure(fn, { batch, rounds }) {
  for (let i = 0; i < batch; i++) fn(); // warm-up
  const perCall = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)];
}

/** `measure` for calls that return Promises: each call is awaited. */
async function measureAsync(fn, { batch, rounds }) {
  for (let i = 0; i < batch; i++) await fn();
  const perCall = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    perCall.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)];
}

// --- The JavaScript peer: the same lookups, done the usual way in JS. ---
function peerIndex(json) {
  const collection = JSON.parse(json);
  const index = new Map();
  for (const r of collection.data ?? collection.changes ?? []) {
    if (r.issuerName && r.serialNumber) index.set(`is:${r.issuerName}:${r.serialNumber}`, r);
    else if (r.subject && r.pubKeyHash) index.set(`spk:${r.subject}:${r.pubKeyHash}`, r);
  }
  return index;
}
const b64 = (buf) => Buffer.from(buf).toString('base64');
function peerEvaluate(index, ders) {
  // Parse every certificate, hash its SPKI, look it up both ways: the work
  // the engine's OneCRL rung does (the engine also writes the trace and an
  // OCSP request, which the peer does not).
  return ders.map((der) => {
    const cert = new x509.X509Certificate(der);
    const serial = Buffer.from(cert.serialNumber, 'hex');
    const issuer = b64(cert.issuerName.toArrayBuffer());
    const subject = b64(cert.subjectName.toArrayBuffer());
    const spkiHash = createHash('sha256').update(new Uint8Array(cert.publicKey.rawData)).digest('base64');
    return index.get(`is:${issuer}:${b64(serial)}`) ?? index.get(`spk:${subject}:${spkiHash}`) ?? null;
  });
}

// --- Measurements ---
const engine = new Engine(snapshotBytes);
const peer = peerIndex(snapshotBytes.toString('utf8'));
// Sanity: both sides see the same listings for this chain before we time them.
const engineListed = (await engine.evaluate(chain, undefined, now, false)).certificates.map((c) => c.status === 'revoked');
const peerListed = peerEvaluate(peer, chain).map((r) => r !== null);
if (JSON.stringify(engineListed) !== JSON.stringify(peerListed)) throw new Error('engine and peer disagree');

// Warm: the engine keeps parsed intermediates and roots between calls, as it
// does in the extension. Cold: every call parses all three certificates,
// as the peer does; the speed-up is computed on the cold figure.
const evalWasm = measure(() => engine.evaluate(chain, undefined, now, false), { batch: 200, rounds: 31 });
const evalWasmCold = measure(() => {
  engine.clearCertificateCache();
  engine.evaluate(chain, undefined, now, false);
}, { batch: 200, rounds: 31 });
const evalPeer = measure(() => peerEvaluate(peer, chain), { batch: 200, rounds: 31 });
const loadWasm = measure(() => new Engine(snapshotBytes).free(), { batch: 3, rounds: 21 }) / 1000;
const loadPeer = measure(() => peerIndex(snapshotBytes.toString('utf8')), { batch: 3, rounds: 21 }) / 1000;
const wasmGzip = gzipSync(wasmBytes, { level: 9 }).length;

// --- OCSP: validating one response, and building one request ---
// The engine checks signatures with WebCrypto (Node's here, the browser's in
// the extension); the peer is pkijs with the same WebCrypto. The P-384 and
// RSA responses come from delegated responders, so each also carries one
// P-256 check of the responder certificate; the peer makes that check too.
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: globalThis.crypto }));
const [leafDer, issuerDer] = chain;
const leafCert = pkijs.Certificate.fromBER(leafDer);
const issuerCert = pkijs.Certificate.fromBER(issuerDer);
const ocspFixture = (name) => new Uint8Array(readFileSync(join(root, 'fixtures/ocsp', name)));
async function peerValidate(der) {
  const response = pkijs.OCSPResponse.fromBER(der);
  const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  // pkijs's verify() wants the signer among the response's certificates;
  // an issuer-signed response carries none, so check that one directly.
  const signed = basic.certs?.length
    ? await basic.verify({ trustedCerts: [issuerCert] })
    : await pkijs.getCrypto(true).verifyWithPublicKey(basic.tbsResponseData.tbsView, basic.signature,
      issuerCert.subjectPublicKeyInfo, basic.signatureAlgorithm);
  if (!signed) return 'bad-signature';
  const { isForCertificate, status } = await basic.getCertificateStatus(leafCert, issuerCert);
  return isForCertificate ? ['good', 'revoked', 'unknown'][status] : 'missing';
}
const ocspCases = { p256: 'good.der', p384: 'delegated-p384.der', rsa2048: 'delegated-rsa.der' };
const firstAnswer = await validateOcspResponse(ocspFixture('good.der'), leafDer, issuerDer, now);
// A minute after the fixtures were made: they carry real time.
const ocspAt = ((firstAnswer.response?.produced_at ?? 0) + 60) * 1000;
const ocspMetrics = {};
for (const [alg, file] of Object.entries(ocspCases)) {
  const der = ocspFixture(file);
  const ours = await validateOcspResponse(der, leafDer, issuerDer, ocspAt);
  const theirs = await peerValidate(der);
  if (ours.response?.status !== 'good' || theirs !== 'good') {
    throw new Error(`${file}: engine says ${JSON.stringify(ours)}, peer says ${theirs}`);
  }
  const wasm = await measureAsync(() => validateOcspResponse(der, leafDer, issuerDer, ocspAt), { batch: 50, rounds: 15 });
  const peer = await measureAsync(() => peerValidate(der), { batch: 50, rounds: 15 });
  ocspMetrics[`ocsp_validate_${alg}_wasm_us`] = { value: wasm, unit: 'µs', target: '<= 1000', ok: wasm <= 1000 };
  ocspMetrics[`ocsp_validate_${alg}_js_peer_us`] = { value: peer, unit: 'µs' };
  ocspMetrics[`ocsp_validate_${alg}_ratio_js_over_wasm`] = { value: peer / wasm, unit: 'x' };
}
const requestWasm = measure(() => ocspRequest(leafDer, issuerDer), { batch: 500, rounds: 21 });
const peerRequest = async () => {
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(leafCert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuerCert });
  return request.toSchema(true).toBER();
};
const requestPeer = await measureAsync(peerRequest, { batch: 200, rounds: 15 });
if (Buffer.compare(Buffer.from(ocspRequest(leafDer, issuerDer)), Buffer.from(await peerRequest())) !== 0) {
  console.warn('note: the engine and pkijs encode the request differently (both are measured anyway)');
}

const metrics = {
  evaluate_chain3_wasm_us: { value: evalWasm, unit: 'µs', target: '<= 20', ok: evalWasm <= 20 },
  evaluate_chain3_wasm_cold_us: { value: evalWasmCold, unit: 'µs' },
  evaluate_chain3_js_peer_us: { value: evalPeer, unit: 'µs' },
  evaluate_speedup_vs_js: { value: evalPeer / evalWasmCold, unit: 'x', target: '>= 5', ok: evalPeer / evalWasmCold >= 5 },
  snapshot_load_wasm_ms: { value: loadWasm, unit: 'ms', target: '<= 10', ok: loadWasm <= 10 },
  snapshot_load_js_peer_ms: { value: loadPeer, unit: 'ms' },
  snapshot_load_ratio_js_over_wasm: { value: loadPeer / loadWasm, unit: 'x' },
  wasm_raw_bytes: { value: wasmBytes.length, unit: 'B' },
  wasm_gzip_bytes: { value: wasmGzip, unit: 'B', target: '<= 204800', ok: wasmGzip <= 204800 },
  ...ocspMetrics,
  ocsp_request_wasm_us: { value: requestWasm, unit: 'µs', target: '<= 10', ok: requestWasm <= 10 },
  ocsp_request_js_peer_us: { value: requestPeer, unit: 'µs' },
};
const summary = {
  when: new Date().toISOString(),
  node: process.version,
  peer: '@peculiar/x509 2.2.0 + node:crypto SHA-256 + Map lookup; OCSP: pkijs 4.0.0 with Node WebCrypto',
  workload: 'fixtures/pki/chains/leaf-90d.pem (3 certificates), bundled OneCRL snapshot (1,918 records), mozilla-plan, no network',
  metrics,
};
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/summary.json'), JSON.stringify(summary, null, 2) + '\n');

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`\n${'metric'.padEnd(38)} ${'value'.padStart(10)}  unit  target    met`);
for (const [name, m] of Object.entries(metrics)) {
  const met = m.ok === undefined ? '' : m.ok ? 'yes' : 'NO';
  console.log(`${name.padEnd(38)} ${fmt(m.value).padStart(10)}  ${m.unit.padEnd(4)}  ${(m.target ?? '').padEnd(8)}  ${met}`);
}
console.log(`\nwrote target/bench/summary.json`);
