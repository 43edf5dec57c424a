// chrome-today against the real browser: Chromium 156, run here with the
// demo sites (scripts/demo/sites.mjs) and the demo's CRLSet (the serials
// the demo CA's CRL revokes, under the intermediate's SPKI hash) installed
// in its profile as the CRLSet component, where the component updater
// leaves it: <user-data-dir>/CertificateRevocation/<version>/ with
// `crl-set` and `manifest.json` (Chromium's
// chrome/browser/component_updater/crl_set_component_installer.cc; the
// installed version is found by components/component_updater/
// component_installer.cc). Chromium registers components only without
// `--disable-component-update` (launch.mjs `components`); update checks
// still reach only the proxy, so the set in force is ours.
//
// Chromium visits every demo site; whether it refused the page
// (net::ERR_CERT_REVOKED) or loaded it is compared with the CLI's
// `inspect --policy chrome-today --crlset <the same crl-set>` verdict on
// the chain Chromium verified (leaf, intermediate, root): block exactly
// when Chromium refused. A second profile without the set loads
// crl-revoked: Chrome makes no online check, and neither Chromium nor the
// preset asks the demo's OCSP responder or CRL server anything.
//
// Chromium loads the set a few seconds after start and caches the
// verification of a chain it has seen, so no demo site is visited before
// the set is in force. A probe tells when: a server of the test's own
// serves crl-revoked's chain under host names it does not carry
// (probe-N.revoscope.test, a new name each time, so no cached answer):
// ERR_CERT_COMMON_NAME_INVALID until the set is loaded, then
// ERR_CERT_REVOKED (Chromium's net/cert/cert_status_flags.cc maps a
// revoked certificate first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { closeServer, listen } from '../../scripts/demo/responder.mjs';
import { launch } from '../../scripts/browser/launch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'revoscope-chrome-today-'));
const REVOKED = 'net::ERR_CERT_REVOKED';
/** Longest wait for Chromium to register the component and load the set. */
const READY_MS = 60_000;
const stops = [];
let demo;
let probe;
/** What each browser did: {ready, components, visits: Map(site -> error or null)}. */
const seen = {};

/** The revoscope CLI (release build): exit code and output. */
const cli = (...args) => new Promise((resolve, reject) => {
  execFile('cargo', ['run', '-q', '--release', '-p', 'revoscope-cli', '--bin', 'revoscope', '--', ...args],
    { cwd: root, timeout: 600_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The page's fate: null when it loaded, else the net error Chromium gave. */
async function fate(b, url) {
  const context = await b.browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { timeout: 15_000 });
    return null;
  } catch (e) {
    return /net::ERR_[A-Z_]+/.exec(e.message)?.[0] ?? e.message.split('\n')[0];
  } finally {
    await context.close().catch(() => {});
  }
}

/** chrome://components' CRLSet line, once the component is registered. */
async function crlSetComponent(b) {
  const page = await b.browser.newPage();
  try {
    for (const started = Date.now(); Date.now() - started < READY_MS; await sleep(250)) {
      await page.goto('chrome://components');
      const text = await page.evaluate(() => document.body.innerText);
      const version = /CRLSet - Version: (\S+)/.exec(text)?.[1];
      if (version) return { version, text: text.split('\n').filter((l) => l.trim()).join('\n') };
    }
    throw new Error('chrome://components never listed the CRLSet component');
  } finally {
    await page.close();
  }
}

/** Probes until Chromium refuses crl-revoked's chain as revoked, or `forMs` passes. */
async function probeUntilRevoked(b, forMs) {
  const started = Date.now();
  const errors = [];
  for (let n = 0; Date.now() - started < forMs; n++) {
    const error = await fate(b, `https://probe-${n}.revoscope.test:${probe.port}/`);
    errors.push(error);
    if (error === REVOKED) break;
    await sleep(200);
  }
  return { ms: Date.now() - started, errors };
}

/** Starts Chromium in a fresh profile, with the demo's crl-set installed or not. */
async function chromium(name, { withCrlSet }) {
  const profile = join(work, name);
  if (withCrlSet) {
    const dir = join(profile, 'chromium', 'CertificateRevocation', demo.crlset.version);
    mkdirSync(dir, { recursive: true });
    copyFileSync(demo.crlsetPath, join(dir, 'crl-set'));
    copyFileSync(demo.crlset.manifestPath, join(dir, 'manifest.json'));
  }
  const b = await launch('chromium', {
    profile, roots: [demo.rootPem, demo.onecrlRootPem], hosts: demo.sites.map((s) => s.host), components: true,
  });
  stops.push(() => b.close());
  return b;
}

before(async () => {
  demo = await startDemo({ dir: join(work, 'pki') });
  stops.push(() => demo.stop());
  // The probe: crl-revoked's key and chain for any server name.
  const chain = join(demo.dir, 'sites', 'crl-revoked');
  const server = https.createServer({ key: readFileSync(join(chain, 'key.pem')), cert: readFileSync(join(chain, 'chain.pem')) },
    (req, res) => res.end('probe\n'));
  server.on('tlsClientError', () => {});
  probe = { port: await listen(server, 0) };
  stops.push(() => closeServer(server));

  // With the set: Chromium lists it, then enforces it; every site once.
  const withSet = await chromium('with-crlset', { withCrlSet: true });
  const components = await crlSetComponent(withSet);
  const ready = await probeUntilRevoked(withSet, READY_MS);
  seen.withSet = { components, ready, visits: new Map() };
  if (ready.errors.at(-1) === REVOKED) {
    for (const site of demo.sites) seen.withSet.visits.set(site.name, await fate(withSet, site.url));
  }
  await withSet.close();

  // Without: nothing listed, and nothing turns revoked for three times as
  // long as the set took to be enforced (at least 10 s).
  const withoutSet = await chromium('without-crlset', { withCrlSet: false });
  seen.withoutSet = {
    components: await crlSetComponent(withoutSet),
    ready: await probeUntilRevoked(withoutSet, Math.max(10_000, 3 * ready.ms)),
    visits: new Map(),
  };
  for (const site of demo.sites) seen.withoutSet.visits.set(site.name, await fate(withoutSet, site.url));
  await withoutSet.close();
}, { timeout: 900_000 });

after(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test('Chromium registers the demo crl-set from its profile and enforces it within seconds', (t) => {
  const { components, ready } = seen.withSet;
  t.diagnostic(`CRLSet ${components.version} enforced after ${ready.ms} ms of probing (${ready.errors.length} probes)`);
  assert.equal(components.version, demo.crlset.version, components.text);
  assert.equal(ready.errors.at(-1), REVOKED, `the probe never turned revoked: ${JSON.stringify(ready)}`);
  // Before the set was in force, the probe failed only on the name.
  for (const error of ready.errors.slice(0, -1)) assert.equal(error, 'net::ERR_CERT_COMMON_NAME_INVALID');
});

test('without the crl-set, no CRLSet is in force and crl-revoked loads: Chrome makes no online check', () => {
  const { components, ready, visits } = seen.withoutSet;
  assert.equal(components.version, '0.0.0.0', components.text);
  assert.ok(ready.errors.length > 0 && ready.errors.every((e) => e === 'net::ERR_CERT_COMMON_NAME_INVALID'), JSON.stringify(ready));
  assert.equal(visits.get('crl-revoked'), null);
  for (const [name, error] of visits) assert.equal(error, null, `${name}: ${error}`);
});

test('Chromium asked the demo\'s OCSP responder and CRL server nothing', () => {
  assert.deepEqual(demo.ocspLog, []);
  assert.deepEqual(demo.crlLog, []);
});

test('every demo site: Chromium refused it exactly when chrome-today blocks its chain', async (t) => {
  const { visits } = seen.withSet;
  assert.equal(visits.size, demo.sites.length);
  const rows = [];
  for (const site of demo.sites) {
    // The chain Chromium verified: the served chain and the root it trusts.
    const chain = join(work, `${site.name}.pem`);
    const rootPem = site.name === 'onecrl-intermediate' ? demo.onecrlRootPem : demo.rootPem;
    writeFileSync(chain, readFileSync(join(demo.dir, 'sites', site.name, 'chain.pem'), 'utf8') + readFileSync(rootPem, 'utf8'));
    const inspected = await cli('inspect', '--chain', chain, '--policy', 'chrome-today', '--crlset', demo.crlsetPath, '--json');
    const verdict = JSON.parse(inspected.stdout || '{}');
    const leaf = verdict.certificates?.[0];
    rows.push({ site: site.name, chromium: visits.get(site.name), outcome: verdict.outcome, leaf: [leaf?.status, leaf?.decided_by], code: inspected.code });
  }
  const table = JSON.stringify(rows, null, 1);
  t.diagnostic(rows.map((r) => `${r.site}: Chromium ${r.chromium ?? 'loaded'}, chrome-today ${r.outcome} (${r.leaf.join(' by ')})`).join('; '));
  for (const row of rows) {
    assert.ok([null, REVOKED].includes(row.chromium), `Chromium failed otherwise: ${table}`);
    assert.equal(row.outcome === 'block', row.chromium === REVOKED, `disagree on ${row.site}: ${table}`);
  }
  // As measured: the CRLSet blocks crl-revoked alone, so agreement is not
  // both sides refusing everything (or nothing).
  assert.deepEqual(rows.filter((r) => r.chromium === REVOKED).map((r) => r.site), ['crl-revoked'], table);
  // The preset asked no one either.
  assert.deepEqual([demo.ocspLog, demo.crlLog], [[], []]);
});
