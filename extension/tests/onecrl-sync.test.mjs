// OneCRL updates in the real extension (dist/, from `npm run build`) in
// headless Firefox ESR and Chromium, against the local Remote Settings
// stand-in (scripts/remote-settings/server.mjs), whose test signer's root the
// extension is told to pin instead of Mozilla's. Every check is started with
// the panel's "Check now" button and read back from the panel; after each
// failure the last good collection must still be in force. Screenshots go
// to out/test/onecrl-sync/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRemoteSettings } from '../../scripts/remote-settings/server.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { setSettings } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/onecrl-sync');
mkdirSync(shots, { recursive: true });
const fixture = (name) => JSON.parse(readFileSync(join(root, 'fixtures/remote-settings', name), 'utf8'));

/** The bundled snapshot's timestamp: anything the stand-in serves must be
 * newer, or the extension rightly refuses it as a rollback. */
const BUNDLED = JSON.parse(readFileSync(join(root, 'fixtures/onecrl/onecrl.json'), 'utf8')).timestamp;
const V1 = fixture('v1.changeset.json').changes;
const V2 = fixture('v2.full.changeset.json').changes;

let rs;
/** The stand-in's next timestamp: above the bundled snapshot's, and rising
 * across both browsers' runs, as a real server's does. */
let next = BUNDLED + 1_000_000;
const work = mkdtempSync(join(tmpdir(), 'revoscope-onecrl-sync-'));
before(async () => { rs = await startRemoteSettings(); });
after(async () => { await rs?.stop(); rmSync(work, { recursive: true, force: true }); });

/** What the panel's OneCRL box says. */
async function readOnecrl(page) {
  return page.evaluate(() => {
    const box = document.getElementById('onecrl');
    return {
      source: box.dataset.source,
      timestamp: Number(box.dataset.timestamp),
      records: Number(box.dataset.records),
      stale: box.dataset.stale === 'true',
      lastStatus: box.dataset.lastStatus,
      errorCode: box.dataset.errorCode,
      checkedAt: Number(box.dataset.checkedAt),
      text: box.innerText,
    };
  });
}

/** Opens the panel, clicks "Check now", waits for the redrawn box and reads it. */
async function checkNow(b, shot) {
  const page = await b.browser.newPage();
  try {
    const url = `${b.extensionBase}panel.html`;
    if (b.kind === 'firefox') await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => {});
    else await page.goto(url);
    await page.waitForSelector('#onecrl-check', { timeout: 20_000 });
    const before = await readOnecrl(page);
    // The panel keeps the lists in a closed section: open it, as a user would.
    await page.$eval('details[data-section=lists]', (d) => { d.open = true; });
    await page.click('#onecrl-check');
    await page.waitForFunction((t) => {
      const box = document.getElementById('onecrl');
      return box && Number(box.dataset.checkedAt) > t && !document.getElementById('onecrl-check').disabled;
    }, { timeout: 60_000 }, before.checkedAt);
    if (shot) await page.screenshot({ path: join(shots, `${b.kind}-${shot}.png`), fullPage: true });
    return readOnecrl(page);
  } finally {
    await page.close();
  }
}

/** Waits for the sync the install started (against Mozilla's server, which
 * the test browsers cannot reach), so it cannot answer a later check. */
async function installSyncDone(b) {
  const page = await b.browser.newPage();
  try {
    const url = `${b.extensionBase}options.html`;
    if (b.kind === 'firefox') await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => {});
    else await page.goto(url);
    // Polled by hand: puppeteer's waitForFunction leaves an async predicate's
    // last call pending in Chromium, which rejects when the page closes.
    for (let tries = 0; tries < 120; tries++) {
      const status = await page.evaluate(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.local.get('onecrlSync')).onecrlSync ?? null;
      });
      if (status) return status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the install-time sync never finished');
  } finally {
    await page.close();
  }
}

for (const kind of ['firefox', 'chromium']) {
  const dist = join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome');
  const profile = join(work, kind);
  const start = () => launch(kind, { extensionDir: dist, profile, roots: [], hosts: [] });

  test(`${kind}: OneCRL sync from a signed Remote Settings server`, async (t) => {
    const publish = (records) => { next += 1000; rs.publish(records, { timestamp: next }); return next; };
    rs.setScenario('ok');
    let good;
    let b = await start();
    try {
      await t.test('at install: Mozilla\'s server is out of reach, the bundled snapshot stays', async () => {
        const status = await installSyncDone(b);
        assert.equal(status.status, 'failed');
        assert.equal(status.error.code, 'network');
      });
      await setSettings(b, { onecrlServer: rs.url, onecrlRootHash: rs.rootHash });

      await t.test('first sync: the whole collection, verified', async () => {
        const ts = publish(V1);
        const shown = await checkNow(b, 'first-sync');
        assert.equal(shown.lastStatus, 'updated', shown.text);
        assert.deepStrictEqual([shown.source, shown.timestamp, shown.records], ['downloaded', ts, V1.length]);
        // The bundled collection was the base: its records are not what the
        // server signed, so the incremental try failed and the whole came.
        assert.match(shown.text, /whole collection/);
        assert.match(shown.text, /signed by onecrl\.content-signature\.mozilla\.org/);
        good = shown;
      });

      await t.test('incremental sync: only the changes, verified over the whole', async () => {
        const ts = publish(V2);
        rs.requests.length = 0;
        const shown = await checkNow(b, 'incremental');
        assert.equal(shown.lastStatus, 'updated', shown.text);
        assert.deepStrictEqual([shown.timestamp, shown.records], [ts, V2.length]);
        assert.match(shown.text, /incremental/);
        assert.ok(rs.requests.some((r) => r.query?._since), JSON.stringify(rs.requests));
        good = shown;
      });

      await t.test('up to date: nothing fetched beyond the monitor', async () => {
        rs.requests.length = 0;
        const shown = await checkNow(b);
        assert.equal(shown.lastStatus, 'up-to-date');
        assert.equal(shown.timestamp, good.timestamp);
        assert.equal(rs.requests.length, 1, JSON.stringify(rs.requests));
      });

      // Each failure on a newly published state, so there is something to fetch.
      const FAILURES = {
        'tampered': 'bad-signature',
        'bad-signature': 'bad-signature',
        'wrong-name': 'signer-name-mismatch',
        'expired': 'cert-expired',
        'no-eku': 'signer-not-for-code-signing',
        'other-root': 'untrusted-root',
        'unsigned': 'unsigned',
        'x5u-missing': 'chain-fetch',
        'rollback': 'rollback',
        'down': 'http-status',
        'refuse': 'network',
        'huge': 'too-large',
        'truncated': 'truncated',
      };
      let flip = false;
      for (const [scenario, code] of Object.entries(FAILURES)) {
        await t.test(`${scenario}: refused as ${code}, the last good collection stays`, async () => {
          flip = !flip;
          publish(flip ? V1 : V2);
          rs.setScenario(scenario);
          try {
            const shown = await checkNow(b, scenario);
            assert.equal(shown.lastStatus, 'failed', shown.text);
            assert.equal(shown.errorCode, code, shown.text);
            assert.deepStrictEqual([shown.source, shown.timestamp, shown.records], ['downloaded', good.timestamp, good.records]);
            assert.match(shown.text, /the collection in force is unchanged/);
          } finally {
            rs.setScenario('ok');
          }
        });
      }
    } finally {
      await b.close();
    }

    await t.test('after a browser restart the verified download is still in force', async () => {
      b = await start();
      try {
        rs.setScenario('down');
        const shown = await checkNow(b, 'restart');
        assert.deepStrictEqual([shown.source, shown.timestamp, shown.records], ['downloaded', good.timestamp, good.records]);
        assert.equal(shown.errorCode, 'http-status');
      } finally {
        rs.setScenario('ok');
        await b.close();
      }
    });
  });
}
