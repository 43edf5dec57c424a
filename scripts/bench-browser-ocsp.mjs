// OCSP response validation by the browser build, measured where it runs: in
// a page of headless Chromium and Firefox ESR (WebCrypto there is the
// browser's own: BoringSSL in Chromium, NSS in Firefox), on the same fixture
// responses as scripts/bench.mjs. The page is served from 127.0.0.1, a
// secure context, so WebCrypto is available. Writes
// target/bench/ocsp-browsers.json, with each case's floor: the browser's
// WebCrypto alone making the same verifications.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser/launch.mjs';
import { ocspFixtureTime } from './ocsp-fixture-time.mjs';
import { serveBenchPage } from './browser/bench-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CASES = { p256: 'good.der', p384: 'delegated-p384.der', rsa2048: 'delegated-rsa.der' };
const AT = ocspFixtureTime(new Uint8Array(readFileSync(join(root, 'fixtures/ocsp/good.der'))));
// The floor of each case: the bare WebCrypto verifications its response
// needs (fixtures/ocsp: good.der is signed by the P-256 issuer; the delegated
// responses by a P-384 or RSA-2048 responder whose certificate the P-256
// issuer signed), made side by side as the engine makes them, on keys
// imported once, as the engine caches them.
const FLOORS = {
  p256: [['ECDSA', 'P-256', 'SHA-256']],
  p384: [['ECDSA', 'P-384', 'SHA-384'], ['ECDSA', 'P-256', 'SHA-256']],
  // The P-384 verification alone: what no engine on WebCrypto can go under.
  p384_only: [['ECDSA', 'P-384', 'SHA-384']],
  rsa2048: [['RSASSA-PKCS1-v1_5', 2048, 'SHA-256'], ['ECDSA', 'P-256', 'SHA-256']],
};

// The page: loads the wasm package, validates each response in batches,
// and reports the median time per validation in microseconds.
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { validateOcspResponse } from '/crate/pkg/revoscope.js';
const der = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
const pemChain = async (path) => [...(await (await fetch(path)).text())
  .matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => Uint8Array.from(atob(m[1].replace(/\\s+/g, '')), (c) => c.charCodeAt(0)));
// Median µs per call of the awaited fn: 15 rounds of 50 calls.
const median = async (fn) => {
  const perCall = [];
  for (let round = 0; round < 15; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) await fn();
    perCall.push((performance.now() - t0) * 1000 / 50);
  }
  perCall.sort((a, b) => a - b);
  return perCall[7];
};
window.runBench = async (cases, at) => {
  await init({ module_or_path: '/crate/pkg/revoscope_bg.wasm' });
  const [leaf, issuer] = await pemChain('/fixtures/pki/chains/leaf-90d.pem');
  // Browsers compile wasm twice, the optimizing tier in the background:
  // validate for 3 s before timing anything, so only optimized code is timed.
  const good = await der('/fixtures/ocsp/good.der');
  for (const until = performance.now() + 3000; performance.now() < until;) {
    await validateOcspResponse(good, leaf, issuer, at);
  }
  const out = {};
  for (const [alg, file] of Object.entries(cases)) {
    const response = await der('/fixtures/ocsp/' + file);
    const check = await validateOcspResponse(response, leaf, issuer, at);
    if (!check.response) throw new Error(alg + ': ' + JSON.stringify(check.error));
    out[alg] = await median(() => validateOcspResponse(response, leaf, issuer, at));
  }
  return out;
};
window.runFloor = async (floors) => {
  const message = crypto.getRandomValues(new Uint8Array(600));
  const out = {};
  for (const [alg, checks] of Object.entries(floors)) {
    const prepared = [];
    for (const [name, size, hash] of checks) {
      const params = name === 'ECDSA' ? { name, namedCurve: size }
        : { name, modulusLength: size, publicExponent: new Uint8Array([1, 0, 1]), hash };
      const pair = await crypto.subtle.generateKey(params, false, ['sign', 'verify']);
      const how = name === 'ECDSA' ? { name, hash } : { name };
      prepared.push([how, pair.publicKey, await crypto.subtle.sign(how, pair.privateKey, message)]);
    }
    out[alg] = await median(() => Promise.all(prepared.map(([how, key, sig]) => crypto.subtle.verify(how, key, sig, message))));
  }
  return out;
};
</script>`;

const server = await serveBenchPage({ root, page: PAGE, allowed: /^\/(crate\/pkg|fixtures)\//, isolation: null });
const { origin } = server;

const work = mkdtempSync(join(tmpdir(), 'revoscope-bench-ocsp-'));
const results = {};
try {
  for (const kind of ['chromium', 'firefox']) {
    const b = await launch(kind, { profile: join(work, kind), roots: [], hosts: [] });
    try {
      const page = await b.browser.newPage();
      await page.goto(origin);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      results[kind] = await page.evaluate((cases, at) => window.runBench(cases, at), CASES, AT);
      results[kind].webcrypto_floor = await page.evaluate((floors) => window.runFloor(floors), FLOORS);
    } finally {
      await b.close();
    }
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/ocsp-browsers.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nOCSP response validation, browser build in the browser (median µs per response, target <= 1000):');
for (const [kind, r] of Object.entries(results)) {
  const { webcrypto_floor: floor, ...engine } = r;
  console.log(`  ${kind.padEnd(9)} ${Object.entries(engine).map(([alg, us]) => `${alg} ${us.toFixed(0)} (WebCrypto alone ${floor[alg].toFixed(0)})`).join(', ')}; one P-384 verification alone ${floor.p384_only.toFixed(0)}`);
}
console.log('wrote target/bench/ocsp-browsers.json');
