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
import { ocspFixtureTime } from './ocsp-fixture-time.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { initSync, Engine, validateOcspResponse, ocspRequest } = await import(join(root, 'crate/pkg/revoscope.js'));
const wasmBytes = readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm'));
initSync({ module: wasmBytes });

const snapshotBytes = readFileSync(join(root, 'fixtures/onecrl/onecrl.json'));
const chainPem = readFileSync(join(root, 'fixtures/pki/chains/leaf-90d.pem'), 'utf8');
const chain = [...chainPem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
const now = Date.parse('2026-11-21T12:00:00Z');

// Untimed calls before each measurement: batches for at least this long, so
// that V8's optimizing tier runs the code (after one batch of 200, the
// evaluation measured 20-27 µs; after 3 s more, 19 µs, in the same hour).
const WARM_UP_MS = 1000;

/** Median time per call in microseconds: `rounds` batches of `batch` calls. */
function measure(fn, { batch, rounds }) {
  const until = performance.now() + WARM_UP_MS;
  do {
    for (let i = 0; i < batch; i++) fn();
  } while (performance.now() < until);
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
  const until = performance.now() + WARM_UP_MS;
  do {
    for (let i = 0; i < batch; i++) await fn();
  } while (performance.now() < until);
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
const ocspAt = ocspFixtureTime(ocspFixture('good.der'));
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

// ===========================================================================
// Telemetry: the background's cost of recording one page load.
// Per page load the extension runs JSON.stringify(pageLoad) and
// Telemetry.record (extension/src/telemetry.ts, recordPageLoad), then writes
// the day JSON that record hands back to storage.local. That write is
// asynchronous and there is no storage.local in Node: it is not timed here.
// The peer does the same counting the plain JavaScript way: one object per
// day with the same counters, then JSON.stringify of the day, which is what a
// JS extension would store. Two days: a typical one (20 responder hosts
// already counted) and a full one (200 hosts, the engine's per-day bound).
// ===========================================================================
const { Telemetry } = await import(join(root, 'crate/pkg/revoscope.js'));
const { samplePageLoad, seeded } = await import('./bench-page-loads.mjs');
const { isDeepStrictEqual } = await import('node:util');
const DAY_MS = 86_400_000;

/** `n` page loads; the first ask each of `hosts` in turn, so every host is counted. */
function pageLoads(n, hosts, seed) {
  const rand = seeded(seed);
  return Array.from({ length: n }, (_, i) => samplePageLoad(rand, hosts, hosts[i]));
}

// --- The JavaScript peer: a day object, counters bumped, the day stringified. ---
const PAGE_LEVEL = new Set(['BrowserBlocked', 'NotInspected', 'EvaluationError']);
const MAX_RESPONDERS = 200; // crate/engine/src/limits.rs MAX_TELEMETRY_RESPONDERS
const PLAIN_HOST = /^[a-z0-9.\-:[\]_]{1,260}$/; // event.rs is_plain_host
const newDay = (day) => ({
  v: 1, day, pages: 0, evaluated: 0, paths: {}, ca_paths: {}, live_needed: 0, live_not_asked: {},
  live_outcomes: {}, live_methods: {}, live_latency: new Array(16).fill(0), responders: {}, hard_fail: {},
  browser_ocsp_known: 0, browser_ocsp_used: 0, crlite: {},
  revocation_info: {}, crl_held: 0, crl_outcomes: {}, crl_latency: new Array(16).fill(0),
  crl_sizes: new Array(16).fill(0), crl_hosts: {},
});
const bump = (counts, key) => { counts[key] = (counts[key] ?? 0) + 1; };
// Buckets of powers of two: 0 is under 1 ms, i is [2^(i-1), 2^i), 15 is 16,384 ms and up.
const bucketOf = (ms) => Math.min(32 - Math.clz32(ms), 15);
/** Counts `load` into its day of `days` (a Map) and answers what a JS extension would store. */
function peerRecord(days, load, timeMs) {
  const key = new Date(timeMs).toISOString().slice(0, 10);
  let d = days.get(key);
  if (!d) days.set(key, (d = newDay(key)));
  d.pages++;
  bump(d.paths, load.path);
  if (!PAGE_LEVEL.has(load.path)) d.evaluated++;
  for (const p of load.ca_paths ?? []) bump(d.ca_paths, p);
  const live = load.live;
  if (live.kind === 'not-asked') {
    d.live_needed++;
    bump(d.live_not_asked, live.reason);
  } else if (live.kind === 'asked') {
    d.live_needed++;
    bump(d.live_outcomes, live.class);
    bump(d.live_methods, live.method);
    d.live_latency[bucketOf(live.elapsed_ms)]++;
    const known = live.host in d.responders;
    const host = PLAIN_HOST.test(live.host) && (known || Object.keys(d.responders).length < MAX_RESPONDERS) ? live.host : 'other';
    const r = (d.responders[host] ??= { attempts: 0, outcomes: {}, latency: new Array(16).fill(0) });
    r.attempts++;
    bump(r.outcomes, live.class);
    r.latency[bucketOf(live.elapsed_ms)]++;
  }
  if (load.hard_fail) bump(d.hard_fail, load.hard_fail);
  if (load.crlite) bump(d.crlite, load.crlite);
  if (load.revocation_info && !PAGE_LEVEL.has(load.path)) bump(d.revocation_info, load.revocation_info);
  if (load.crl?.kind === 'held') d.crl_held++;
  if (load.crl?.kind === 'fetched') {
    const fetched = load.crl;
    bump(d.crl_outcomes, fetched.class);
    d.crl_latency[bucketOf(fetched.elapsed_ms)]++;
    if (fetched.bytes > 0) d.crl_sizes[bucketOf(Math.floor(fetched.bytes / 1024))]++;
    const known = fetched.host in d.crl_hosts;
    const host = PLAIN_HOST.test(fetched.host) && (known || Object.keys(d.crl_hosts).length < MAX_RESPONDERS) ? fetched.host : 'other';
    const h = (d.crl_hosts[host] ??= { outcomes: {}, latency: new Array(16).fill(0) });
    bump(h.outcomes, fetched.class);
    h.latency[bucketOf(fetched.elapsed_ms)]++;
  }
  if (load.browser_used_ocsp !== undefined) {
    d.browser_ocsp_known++;
    if (load.browser_used_ocsp) d.browser_ocsp_used++;
  }
  return { day: key, json: JSON.stringify(d) };
}

/**
 * A background's state with `today` holding `loadsToday` page loads over
 * `hostCount` responder hosts, after 89 earlier days of 100 loads each (the
 * default retention is 90 days), in the engine and in the peer alike.
 */
function telemetryState(hostCount, loadsToday) {
  const hosts = Array.from({ length: hostCount }, (_, i) => `ocsp${i}.ca${i % 7}.example`);
  const engine = new Telemetry(90);
  const peer = new Map();
  let stored;
  for (let ago = 89; ago >= 0; ago--) {
    const at = now - ago * DAY_MS;
    for (const load of pageLoads(ago ? 100 : loadsToday, hosts, ago)) {
      stored = engine.record(JSON.stringify(load), at);
      peerRecord(peer, load, at);
    }
  }
  // Sanity, before timing: the engine's stored day and the peer's hold the
  // same counts (key order aside).
  const peerToday = peer.get(stored.day);
  if (!isDeepStrictEqual(JSON.parse(stored.json), peerToday)) {
    throw new Error(`telemetry: engine and peer disagree on ${stored.day}:\n${stored.json}\n${JSON.stringify(peerToday)}`);
  }
  if (Object.keys(peerToday.responders).length !== hostCount) throw new Error('telemetry: not every host was counted');
  // The page loads timed: new ones, to the hosts already counted.
  return { engine, peer, loads: pageLoads(256, hosts, 1000 + hostCount), bytes: stored.json.length };
}

function measureRecord(hostCount, loadsToday) {
  const { engine, peer, loads, bytes } = telemetryState(hostCount, loadsToday);
  let i = 0;
  const next = () => loads[i++ & 255];
  const wasm = measure(() => engine.record(JSON.stringify(next()), now), { batch: 200, rounds: 31 });
  const js = measure(() => peerRecord(peer, next(), now), { batch: 200, rounds: 31 });
  // All that recordPageLoad calls in the engine per page load: record, then
  // prune() (days() only on a day's first page load, left out).
  const allCalls = measure(() => {
    engine.record(JSON.stringify(next()), now);
    engine.prune(now);
  }, { batch: 200, rounds: 31 });
  engine.free();
  return { wasm, js, allCalls, bytes };
}

const recordTypical = measureRecord(20, 300);
const recordFull = measureRecord(200, 3000);
const telemetryRecord = {
  typical_day_wasm_us: { value: recordTypical.wasm, unit: 'µs', target: '<= 1000', ok: recordTypical.wasm <= 1000 },
  typical_day_js_peer_us: { value: recordTypical.js, unit: 'µs' },
  typical_day_ratio_js_over_wasm: { value: recordTypical.js / recordTypical.wasm, unit: 'x' },
  typical_day_all_calls_wasm_us: { value: recordTypical.allCalls, unit: 'µs', target: '<= 1000', ok: recordTypical.allCalls <= 1000 },
  typical_day_stored_bytes: { value: recordTypical.bytes, unit: 'B' },
  full_day_wasm_us: { value: recordFull.wasm, unit: 'µs', target: '<= 1000', ok: recordFull.wasm <= 1000 },
  full_day_js_peer_us: { value: recordFull.js, unit: 'µs' },
  full_day_ratio_js_over_wasm: { value: recordFull.js / recordFull.wasm, unit: 'x' },
  full_day_all_calls_wasm_us: { value: recordFull.allCalls, unit: 'µs', target: '<= 1000', ok: recordFull.allCalls <= 1000 },
  full_day_stored_bytes: { value: recordFull.bytes, unit: 'B' },
};
// ===========================================================================
// (end of the telemetry section)

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
  telemetry_record: {
    workload: 'one page load counted: JSON.stringify + Telemetry.record; typical day 20 responder hosts, full day 200 (the bound), 89 earlier days held; peer: a JS day object, counters bumped, JSON.stringify of the day; the async storage.local write not timed',
    metrics: telemetryRecord,
  },
};
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/summary.json'), JSON.stringify(summary, null, 2) + '\n');

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`\n${'metric'.padEnd(38)} ${'value'.padStart(10)}  unit  target    met`);
for (const [name, m] of Object.entries(metrics)) {
  const met = m.ok === undefined ? '' : m.ok ? 'yes' : 'NO';
  console.log(`${name.padEnd(38)} ${fmt(m.value).padStart(10)}  ${m.unit.padEnd(4)}  ${(m.target ?? '').padEnd(8)}  ${met}`);
}
console.log('\ntelemetry_record: one page load counted (JSON.stringify + Telemetry.record), µs per page load');
for (const [name, m] of Object.entries(telemetryRecord)) {
  const met = m.ok === undefined ? '' : m.ok ? 'yes' : 'NO';
  console.log(`${name.padEnd(38)} ${fmt(m.value).padStart(10)}  ${m.unit.padEnd(4)}  ${(m.target ?? '').padEnd(8)}  ${met}`);
}
console.log(`\nwrote target/bench/summary.json`);
