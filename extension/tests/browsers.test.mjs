// The real extension (dist/, from `npm run build`) in headless Firefox ESR and
// Chromium from Debian, against the demo sites (scripts/demo/sites.mjs): a
// real OCSP responder and real TLS on 127.0.0.1. For every rung of the
// ladder: what the panel shows, which OCSP requests went out, and, per
// browser, that the OCSP cache and the CRLs read survive a browser restart. Screenshots of the
// panel go to out/test/browsers/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { askCrlInPanel, crlsetInfo, readPanel, setSettings, syncCrlset, visit } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/browsers');
mkdirSync(shots, { recursive: true });

let demo;
const work = mkdtempSync(join(tmpdir(), 'revoscope-browsers-'));
before(async () => { demo = await startDemo({ dir: join(work, 'pki') }); });
after(async () => { await demo?.stop(); rmSync(work, { recursive: true, force: true }); });

const site = (name) => demo.sites.find((s) => s.name === name);
const leafRow = (panel) => panel.certs[0];

/** What each rung must show, per browser. `requests`: OCSP requests it causes. */
const RUNGS = {
  'good-live': { outcome: 'accept', leaf: ['good', 'live-ocsp'], hardFail: 'no', requests: 1 },
  'short-lived': { outcome: 'accept', leaf: ['exempt', 'short-lived'], hardFail: 'no', requests: 0 },
  // Browsers do not show extensions the staple: the stapled step says
  // "hidden" and live OCSP decides.
  'good-staple': { outcome: 'accept', leaf: ['good', 'live-ocsp'], stapled: 'hidden', hardFail: 'no', requests: 1 },
  'revoked-ocsp': { outcome: 'block', leaf: ['revoked', 'live-ocsp'], hardFail: 'yes', requests: 1 },
  'responder-down': { outcome: 'soft-fail-accept', leaf: ['offline', 'live-ocsp'], hardFail: 'yes', requests: 0 },
  'no-revocation-info': { outcome: 'accept', leaf: ['not-checked', 'no-revocation-info'], hardFail: 'no', requests: 0 },
};

for (const kind of ['firefox', 'chromium']) {
  const dist = join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome');
  const profile = join(work, kind);
  const start = () => launch(kind, {
    extensionDir: dist, profile, roots: [demo.rootPem, demo.onecrlRootPem], hosts: demo.sites.map((s) => s.host),
  });

  test(`${kind}: every rung of the ladder, as the panel shows it`, async (t) => {
    const b = await start();
    try {
      if (kind === 'chromium') {
        await t.test("Chrome's build decides as Chrome does: chrome-today, which says it has no CRLSet yet", async () => {
          demo.clearOcspLog();
          // good-live: its leaf names an OCSP responder, which Chrome does not ask.
          const panel = await readPanel(b, await visit(b, `${site('good-live').url}?default`));
          const inForce = panel.views.find((v) => v.name === 'chrome-today');
          assert.deepEqual(inForce, { name: 'chrome-today', outcome: 'accept', missing: 'no-crlset' }, JSON.stringify(panel.views));
          assert.deepEqual([panel.outcome, leafRow(panel).status], ['accept', 'not-checked']);
          assert.equal(leafRow(panel).steps.crlset, 'no-crlset', JSON.stringify(leafRow(panel).steps));
          assert.equal(panel.stored.verdict.policy, 'chrome-today');
          assert.equal(demo.ocspLog.length, 0);
        });
        // The rungs below are Firefox's ladder, which the panel shows in Chrome too when chosen.
        await setSettings(b, { policy: 'firefox-today' });
      }
      await t.test('live OCSP off: the panel says the ladder needed it and did not ask', async () => {
        // First, while nothing is in the OCSP cache. Off is the default.
        demo.clearOcspLog();
        const panel = await readPanel(b, await visit(b, site('revoked-ocsp').url), join(shots, `${kind}-live-ocsp-off.png`));
        assert.equal(panel.outcome, 'incomplete');
        assert.equal(leafRow(panel).status, 'pending');
        assert.match(panel.hardFail, /^unknown/);
        assert.ok(panel.liveOff, JSON.stringify(panel));
        assert.equal(demo.ocspLog.length, 0);
      });

      await setSettings(b, { liveOcsp: true });
      for (const [name, want] of Object.entries(RUNGS)) {
        await t.test(name, async () => {
          demo.clearOcspLog();
          const panel = await readPanel(b, await visit(b, site(name).url), join(shots, `${kind}-${name}.png`));
          assert.equal(panel.state, 'done', JSON.stringify(panel));
          assert.equal(panel.outcome, want.outcome);
          assert.deepStrictEqual([leafRow(panel).status, leafRow(panel).decidedBy], want.leaf);
          assert.match(panel.hardFail, new RegExp(`^${want.hardFail}`));
          if (want.stapled) assert.equal(leafRow(panel).steps['stapled-ocsp'], want.stapled);
          // CA certificates: OneCRL only, and it decided.
          for (const ca of panel.certs.slice(1)) assert.deepStrictEqual([ca.status, ca.decidedBy], ['good', 'onecrl']);
          assert.equal(demo.ocspLog.length, want.requests, JSON.stringify(demo.ocspLog));
        });
      }

      await t.test('onecrl-intermediate: OneCRL revokes the intermediate, no OCSP asked', async () => {
        demo.clearOcspLog();
        const panel = await readPanel(b, await visit(b, site('onecrl-intermediate').url), join(shots, `${kind}-onecrl-intermediate.png`));
        if (kind === 'firefox') {
          // Firefox's own OneCRL (cert_storage) refuses the handshake first.
          assert.equal(panel.state, 'blocked-by-browser', JSON.stringify(panel));
          assert.match(panel.summary, /SEC_ERROR_REVOKED_CERTIFICATE/);
        } else {
          assert.equal(panel.state, 'done', JSON.stringify(panel));
          assert.equal(panel.outcome, 'block');
          assert.deepStrictEqual([panel.certs[1].status, panel.certs[1].decidedBy], ['revoked', 'onecrl']);
        }
        assert.equal(demo.ocspLog.length, 0);
      });

      await t.test("crl-revoked: the CA's CRL says revoked beside the browser's verdict, which it does not change", async () => {
        demo.crlLog.length = 0;
        demo.clearOcspLog();
        const panel = await readPanel(b, await visit(b, site('crl-revoked').url), join(shots, `${kind}-crl-revoked.png`));
        assert.equal(panel.state, 'done', JSON.stringify(panel));
        // The browser's own policy (the default): nothing but a CRL is named, and browsers do not fetch CRLs.
        assert.deepStrictEqual([leafRow(panel).status, leafRow(panel).decidedBy], ['not-checked', 'no-revocation-info']);
        assert.equal(panel.outcome, 'accept');
        assert.equal(panel.crlCheck, 'revoked', JSON.stringify(panel));
        assert.deepEqual(demo.crlLog.map((r) => r.path), ['/crl/int-1.crl']);
        // Every browser's view of the same chain; Chrome's says it has no CRLSet rather than guess.
        assert.deepEqual(panel.views.map((v) => v.name), ['firefox-today', 'chrome-today', 'mozilla-plan', 'hard-fail']);
        assert.equal(panel.views[0].outcome, panel.outcome);
        assert.equal(panel.views[1].missing, 'no-crlset');
        // The same shard answers for crl-good from the list held: no second fetch.
        const good = await readPanel(b, await visit(b, site('crl-good').url));
        assert.equal(good.crlCheck, 'good', JSON.stringify(good));
        assert.equal(demo.crlLog.length, 1);
        const stale = await readPanel(b, await visit(b, site('crl-stale').url));
        assert.equal(stale.crlCheck, 'offline', JSON.stringify(stale));
        assert.equal(demo.ocspLog.length, 0);
        // Asked in the panel for one certificate: the list is held, so no fetch.
        assert.equal(await askCrlInPanel(b, await visit(b, site('crl-revoked').url), 0), 'revoked');
        assert.deepEqual(demo.crlLog.map((r) => r.path), ['/crl/int-1.crl', '/crl/int-2.crl']);
        // The intermediate names no CRL: nothing to ask.
        assert.equal(await askCrlInPanel(b, await visit(b, site('crl-revoked').url), 1), null);
      });

      await t.test("Chrome's CRLSet: synced from the demo's component updater, verified, and Chrome's view decides by it", async () => {
        demo.crlsetLog.length = 0;
        // Chrome's own server is out of reach here (the proxy): the check
        // at install failed, and nothing is in force yet.
        assert.equal((await crlsetInfo(b)).set, null);
        // Pinned to another key (fixtures/crx3/README.md's other-rsa), the
        // server offers nothing for its id: a failure, said in the panel,
        // and nothing in force.
        const otherPin = '6ad211a6d2b66ef4d7440bf7d81c615156540724f511fda3af46d91950e7d54d';
        await setSettings(b, { crlsetServer: demo.crlsetUpdateUrl, crlsetKeySha256: otherPin });
        const refused = await syncCrlset(b);
        assert.deepEqual([refused.lastSync.status, refused.set], ['failed', null], JSON.stringify(refused.lastSync));
        const said = await readPanel(b, await visit(b, `${site('crl-good').url}?refused`));
        assert.deepEqual(said.crlset, { hasSet: 'false', lastStatus: 'failed', errorCode: refused.lastSync.error.code });
        demo.crlsetLog.length = 0;
        await setSettings(b, { crlsetServer: demo.crlsetUpdateUrl, crlsetKeySha256: demo.crlsetKeySha256 });
        const info = await syncCrlset(b);
        assert.equal(info.lastSync.status, 'updated', JSON.stringify(info.lastSync));
        assert.deepEqual([info.set.info.parents, info.set.info.serials, info.set.expired], [1, 1, false]);
        assert.deepEqual(demo.crlsetLog.map((r) => [r.path.split('?')[0], r.status]),
          [['/service/update2/crx', 200], [`/crx/crl-set-${info.lastSync.version}.crx3`, 200]]);
        // Google builds the CRLSet from CAs' CRLs: the demo's lists crl-revoked's leaf.
        // A new address: the tabs of earlier visits stay open, and the panel
        // finds the first tab that shows an address.
        const view = async (name) => (await readPanel(b, await visit(b, `${site(name).url}?crlset`))).views.find((v) => v.name === 'chrome-today');
        assert.deepEqual(await view('crl-revoked'), { name: 'chrome-today', outcome: 'block', missing: '' });
        assert.deepEqual(await view('crl-good'), { name: 'chrome-today', outcome: 'accept', missing: '' });
        // Asked again: up to date, the set in force unchanged.
        const again = await syncCrlset(b);
        assert.equal(again.lastSync.status, 'up-to-date');
        assert.equal(again.set.info.sequence, info.set.info.sequence);
        if (kind === 'chromium') {
          // Chrome's own verdict, in force: the CRLSet blocks the page.
          await setSettings(b, { policy: 'chrome-today' });
          const panel = await readPanel(b, await visit(b, `${site('crl-revoked').url}?chrome`));
          assert.deepEqual([panel.outcome, leafRow(panel).status, leafRow(panel).decidedBy], ['block', 'revoked', 'crlset']);
          assert.equal(panel.certs[1].decidedBy, 'crlset');
          await setSettings(b, { policy: 'firefox-today' });
        }
      });

      await t.test('must-staple-missing', async () => {
        demo.clearOcspLog();
        const panel = await readPanel(b, await visit(b, site('must-staple-missing').url), join(shots, `${kind}-must-staple-missing.png`));
        if (kind === 'firefox') {
          assert.equal(panel.state, 'blocked-by-browser', JSON.stringify(panel));
          assert.match(panel.summary, /MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING/);
          assert.match(panel.hardFail, /^yes/);
        } else {
          // Chrome does not enforce must-staple, and hides the staple.
          assert.equal(panel.state, 'done', JSON.stringify(panel));
          assert.equal(leafRow(panel).steps['must-staple'], 'hidden');
        }
      });

    } finally {
      await b.close();
    }
  });

  test(`${kind}: a browser restart keeps the OCSP cache and the CRLs read`, async () => {
    const b = await start();
    try {
      demo.clearOcspLog();
      const panel = await readPanel(b, await visit(b, site('good-live').url));
      assert.deepStrictEqual([leafRow(panel).status, leafRow(panel).decidedBy], ['good', 'cached-ocsp'], JSON.stringify(panel));
      assert.equal(demo.ocspLog.length, 0);
      // The shard read before the restart answers from IndexedDB
      // (crl-store.ts): no fetch.
      demo.crlLog.length = 0;
      const crl = await readPanel(b, await visit(b, site('crl-good').url));
      assert.equal(crl.crlCheck, 'good', JSON.stringify(crl));
      assert.deepEqual(demo.crlLog, []);
      // The CRLSet synced before the restart is in force again, from IndexedDB.
      demo.crlsetLog.length = 0;
      const revoked = await readPanel(b, await visit(b, site('crl-revoked').url));
      assert.equal(revoked.views.find((v) => v.name === 'chrome-today').outcome, 'block');
      assert.notEqual((await crlsetInfo(b)).set, null);
      assert.deepEqual(demo.crlsetLog, []);
    } finally {
      await b.close();
    }
  });
}
