// Measurement in the real browsers: visit the demo sites in a known
// pattern, open the dashboard, and check that what it shows follows from the
// visits (counts, rates, per-responder rows, the breakage estimate); then
// restart the browser and check the numbers are still there. Screenshots go
// to out/test/telemetry/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { readDashboard, readPanel, setSettings, visit } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/telemetry');
mkdirSync(shots, { recursive: true });

let demo;
const work = mkdtempSync(join(tmpdir(), 'revoscope-telemetry-'));
before(async () => { demo = await startDemo({ dir: join(work, 'pki') }); });
after(async () => { await demo?.stop(); rmSync(work, { recursive: true, force: true }); });

const site = (name) => demo.sites.find((s) => s.name === name);

/** Each evaluated visit, in order. The second good-live visit is answered
 * from the OCSP cache; responder-down's responder refuses connections. */
const VISITS = ['good-live', 'good-live', 'revoked-ocsp', 'responder-down', 'short-lived', 'short-lived', 'no-revocation-info'];

/** What the dashboard must show after VISITS, whatever the browser. */
function expected() {
  return {
    evaluated: 7,
    needed: 3, // good-live (first), revoked-ocsp, responder-down
    asked: 3,
    failures: 1, // responder-down
    usageRate: 3 / 7,
    failureRate: 1 / 3,
    paths: { OCSP: 3, CachedOCSP: 1, ShortValidity: 2, NoRevocationInfo: 1 },
    responders: [
      { host: `127.0.0.1:${demo.ocspPort}`, attempts: 2, failures: 0 },
      { host: `127.0.0.1:${demo.deadPort}`, attempts: 1, failures: 1 },
    ],
    breakage: { wouldBlock: 2, revoked: 1, offline: 1, unknown: 0, error: 0, undetermined: 0 },
    latencyTotal: 3,
  };
}

function assertShows(shown, want, extraPaths) {
  assert.equal(shown.state, 'ready', JSON.stringify(shown));
  for (const key of ['evaluated', 'needed', 'asked', 'failures', 'latencyTotal']) {
    assert.equal(shown[key], want[key], `${key}: ${JSON.stringify(shown)}`);
  }
  assert.ok(Math.abs(shown.usageRate - want.usageRate) < 1e-9, `usage rate ${shown.usageRate}`);
  assert.ok(Math.abs(shown.failureRate - want.failureRate) < 1e-9, `failure rate ${shown.failureRate}`);
  assert.deepStrictEqual(shown.paths, { ...want.paths, ...extraPaths });
  assert.deepStrictEqual([...shown.responders].sort((a, b) => a.host.localeCompare(b.host)),
    [...want.responders].sort((a, b) => a.host.localeCompare(b.host)));
  assert.deepStrictEqual(shown.breakage, want.breakage);
  // Every evaluated leaf counts once in the mix of what it carries, drawn
  // per day; the no-revocation-info site's leaf carries neither.
  const mix = Object.values(shown.revocationInfo).reduce((a, b) => a + b, 0);
  assert.equal(mix, want.evaluated, JSON.stringify(shown.revocationInfo));
  assert.ok(shown.revocationInfo.neither >= 1, JSON.stringify(shown.revocationInfo));
  assert.equal(shown.revocationInfoCharts, 1);
  // The demo's leaves name no CRL: nothing fetched, nothing held.
  assert.deepStrictEqual(shown.crl, { fetched: 0, failures: 0, held: 0 });
}

for (const kind of ['firefox', 'chromium']) {
  const dist = join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome');
  const profile = join(work, kind);
  const start = () => launch(kind, {
    extensionDir: dist, profile, roots: [demo.rootPem, demo.onecrlRootPem], hosts: demo.sites.map((s) => s.host),
  });
  // Firefox refuses must-staple-missing itself; Chrome, capturing on
  // request, counts a page nobody inspected.
  const extraPaths = kind === 'firefox' ? { BrowserBlocked: 1 } : { NotInspected: 1 };
  let first;

  test(`${kind}: the dashboard's numbers follow from the visits`, async () => {
    const b = await start();
    try {
      const empty = await readDashboard(b, join(shots, `${kind}-empty.png`));
      assert.equal(empty.state, 'empty', 'a new profile has no data yet');
      // Firefox's ladder in both browsers (Chrome's default, chrome-today, asks nothing).
      await setSettings(b, { liveOcsp: true, policy: 'firefox-today' });
      for (const name of VISITS) {
        const panel = await readPanel(b, await visit(b, site(name).url));
        assert.equal(panel.state, 'done', `${name}: ${JSON.stringify(panel)}`);
      }
      if (kind === 'firefox') {
        const refused = await visit(b, site('must-staple-missing').url);
        assert.ok(refused.loadError, 'Firefox refuses a must-staple site without a staple');
        await refused.page.close();
      } else {
        const unseen = await visit(b, site('short-lived').url);
        await unseen.page.close();
      }
      first = await readDashboard(b, join(shots, `${kind}-dashboard.png`));
      assertShows(first, expected(), extraPaths);
      if (kind === 'firefox') {
        // Firefox says, for each handshake, whether it went to live OCSP.
        assert.ok(first.browserOcspRate !== null && first.browserOcspRate >= 0 && first.browserOcspRate <= 1);
      } else {
        assert.equal(first.browserOcspRate, null, 'Chrome does not say');
      }
    } finally {
      await b.close();
    }
  });

  test(`${kind}: a browser restart keeps the data`, async () => {
    assert.ok(first, 'the first test ran');
    const b = await start();
    try {
      const again = await readDashboard(b, join(shots, `${kind}-after-restart.png`));
      assertShows(again, expected(), extraPaths);
      assert.equal(again.browserOcspRate, first.browserOcspRate);
    } finally {
      await b.close();
    }
  });
}
