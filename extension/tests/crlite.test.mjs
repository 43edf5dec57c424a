// CRLite in the real extension (dist/, from `npm run build`) in headless
// Firefox ESR and Chromium: filters synced from the demo's Remote Settings
// stand-in (signed under the test root the extension is told to pin), the
// policy's crlite set to enforce, and the demo sites crlite-revoked (revoked
// only in the second delta; its OCSP responder says good) and crlite-good.
// Every sync is started with the options page's "Sync now" button and read
// back from the page; after each failure the last good set must still be in
// force, and the stored set must survive a browser restart and a lost file.
// Screenshots go to out/test/crlite/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { extensionPage, readCrliteBox, readDashboard, readPanel, setSettings, visit } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/crlite');
mkdirSync(shots, { recursive: true });

let demo;
/** The demo's records as published at start, to put back after a change. */
let records;
let lastTimestamp = 0;
const work = mkdtempSync(join(tmpdir(), 'revoscope-crlite-'));
before(async () => {
  demo = await startDemo({ dir: join(work, 'pki') });
  records = JSON.parse(readFileSync(join(demo.crliteDir, 'records.json'), 'utf8')).data;
});
after(async () => { await demo?.stop(); rmSync(work, { recursive: true, force: true }); });

const site = (name) => demo.sites.find((s) => s.name === name);

/** Publishes `data` as the cert-revocations collection, at a timestamp
 * above every earlier one (as a real server's rises), the stand-in's own
 * included: it stamped the demo's records when it started, and the clock
 * may not have moved since (same millisecond), and then it refused this
 * publication and answered 500 until the next. */
function publish(data) {
  const current = demo.remoteSettings.crliteCollection().timestamp;
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1000, current + 1);
  const file = join(demo.crliteDir, 'records.json');
  writeFileSync(`${file}.next`, JSON.stringify({ data, timestamp: lastTimestamp }));
  renameSync(`${file}.next`, file);
}

/** Opens the options page, clicks "Sync now", waits for the redrawn box. */
async function syncNow(b, shot) {
  const page = await extensionPage(b, 'options.html');
  try {
    await page.waitForSelector('#crlite-sync', { timeout: 20_000 });
    const before = await readCrliteBox(page);
    await page.click('#crlite-sync');
    await page.waitForFunction((t) => {
      const box = document.getElementById('crlite');
      return box && Number(box.dataset.checkedAt) > t && !document.getElementById('crlite-sync').disabled;
    }, { timeout: 60_000 }, before.checkedAt);
    if (shot) await page.screenshot({ path: join(shots, `${b.kind}-${shot}.png`), fullPage: true });
    return readCrliteBox(page);
  } finally {
    await page.close();
  }
}

/** The CRLite box as the options page shows it now. */
async function crliteNow(b) {
  const page = await extensionPage(b, 'options.html');
  try {
    await page.waitForSelector('#crlite', { timeout: 20_000 });
    return await readCrliteBox(page);
  } finally {
    await page.close();
  }
}

/** The extension's IndexedDB: the stored index and the files' hashes. */
async function storedFiles(b, { drop } = {}) {
  const page = await extensionPage(b, 'options.html');
  try {
    return await page.evaluate(async (drop) => {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('revoscope-crlite');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction(['files', 'meta'], 'readwrite');
      const ask = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const index = JSON.parse(await ask(tx.objectStore('meta').get('index')));
      const byId = Object.fromEntries(index.filters.map((f) => [f.meta.id, f.hash]));
      if (drop) await ask(tx.objectStore('files').delete(byId[drop]));
      const hashes = await ask(tx.objectStore('files').getAllKeys());
      db.close();
      return { byId, hashes: hashes.sort() };
    }, drop ?? null);
  } finally {
    await page.close();
  }
}

/** Visits a CRLite demo site and reads the panel; asserts no OCSP request
 * went out for it (live OCSP is on, so the ladder would have asked). */
async function visitCovered(b, name, shot) {
  demo.clearOcspLog();
  const panel = await readPanel(b, await visit(b, site(name).url), join(shots, `${b.kind}-${shot ?? name}.png`));
  assert.equal(panel.state, 'done', JSON.stringify(panel));
  return panel;
}

const asked = () => demo.ocspLog.flatMap((e) => e.serials);

for (const kind of ['firefox', 'chromium']) {
  const dist = join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome');
  const profile = join(work, kind);
  const start = () => launch(kind, {
    extensionDir: dist, profile, roots: [demo.rootPem, demo.onecrlRootPem], hosts: demo.sites.map((s) => s.host),
  });

  test(`${kind}: CRLite filters from Remote Settings decide the leaf`, async (t) => {
    publish(records);
    demo.remoteSettings.setScenario('ok');
    let set;
    let b = await start();
    try {
      // Scheduled syncs off: every sync here is the button's, so each
      // status is the one the test caused.
      await setSettings(b, {
        onecrlServer: demo.remoteSettingsUrl, onecrlRootHash: demo.remoteSettingsRootHash,
        crliteUpdates: false, liveOcsp: true, policy: 'firefox-today', overrides: { crlite: 'enforce' },
      });

      await t.test('sync now: the signed full filter and its two deltas are in force', async () => {
        const shown = await syncNow(b, 'first-sync');
        assert.equal(shown.lastStatus, 'updated', shown.text);
        assert.deepStrictEqual([shown.mode, shown.hasSet, shown.fullId, shown.deltas, shown.stale, shown.errorCode],
          ['enforce', true, 'demo-full', 2, false, '']);
        const full = records.find((r) => r.id === 'demo-full');
        assert.equal(Date.parse(shown.fullEffective), Math.floor(full.effectiveTimestamp / 1000) * 1000);
        assert.match(shown.text, /full filter of [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC and 2 deltas/);
        assert.match(shown.text, /new filters in force, 3 files/);
        const stored = await storedFiles(b);
        assert.deepStrictEqual(stored.hashes, records.map((r) => r.attachment.hash).sort());
        set = shown;
      });

      await t.test('crlite-revoked: blocked by the delta that lists it, no OCSP request', async () => {
        const panel = await visitCovered(b, 'crlite-revoked');
        const leaf = panel.certs[0];
        assert.equal(panel.outcome, 'block');
        assert.deepStrictEqual([leaf.status, leaf.decidedBy, leaf.crlite, leaf.crliteFilter],
          ['revoked', 'crlite', 'revoked_in_filter', 'demo-delta-2']);
        assert.equal(leaf.crliteText, 'CRLite: revoked in filter (delta demo-delta-2)');
        assert.deepStrictEqual(Object.keys(leaf.steps), ['onecrl', 'crlite']);
        assert.ok(!asked().includes(site('crlite-revoked').serialHex), JSON.stringify(demo.ocspLog));
        assert.equal(demo.ocspLog.length, 0, JSON.stringify(demo.ocspLog));
        // The panel shows the set the verdict rests on.
        assert.deepStrictEqual([panel.crliteSet.fullId, panel.crliteSet.deltas], ['demo-full', 2]);
        assert.ok(panel.crliteSet.deltas >= 1);
      });

      await t.test('crlite-good: good by the full filter, no OCSP request', async () => {
        const panel = await visitCovered(b, 'crlite-good');
        const leaf = panel.certs[0];
        assert.equal(panel.outcome, 'accept');
        assert.deepStrictEqual([leaf.status, leaf.decidedBy, leaf.crlite, leaf.crliteFilter],
          ['good', 'crlite', 'not_revoked', 'demo-full']);
        assert.equal(demo.ocspLog.length, 0, JSON.stringify(demo.ocspLog));
      });

      await t.test('a site the filters do not cover goes on to OCSP', async () => {
        const panel = await visitCovered(b, 'good-live');
        const leaf = panel.certs[0];
        assert.deepStrictEqual([leaf.status, leaf.decidedBy, leaf.crlite], ['good', 'live-ocsp', 'not_covered']);
        assert.deepStrictEqual(asked(), [site('good-live').serialHex]);
      });

      await t.test('the dashboard counts the three answers under Firefox\'s crlite_status labels', async () => {
        const dash = await readDashboard(b, join(shots, `${b.kind}-dashboard.png`));
        assert.equal(dash.state, 'ready');
        assert.deepStrictEqual(dash.crlite, { revoked_in_filter: 1, not_revoked: 1, not_covered: 1 });
        assert.equal(dash.paths.CRLite, 2, JSON.stringify(dash.paths));
      });

      await t.test('a tampered attachment is refused by its signed hash; the set in force stays', async () => {
        // A new full filter to download (its bytes are never decoded: the
        // hash check comes first), served with one byte flipped.
        const bytes = randomBytes(300);
        writeFileSync(join(demo.crliteDir, 'demo-full-2.filter'), bytes);
        const full = records.find((r) => r.id === 'demo-full');
        publish([...records, {
          ...full, id: 'demo-full-2', effectiveTimestamp: Date.now() - 60_000, last_modified: undefined,
          details: { name: 'demo-full-2' },
          attachment: {
            ...full.attachment, filename: 'demo-full-2.filter', size: bytes.length,
            hash: createHash('sha256').update(bytes).digest('hex'),
            location: full.attachment.location.replace(/[^/]+$/, 'demo-full-2.filter'),
          },
        }]);
        demo.remoteSettings.setScenario('crlite-tampered-attachment');
        try {
          const shown = await syncNow(b, 'tampered');
          assert.equal(shown.lastStatus, 'failed', shown.text);
          assert.equal(shown.errorCode, 'attachment-mismatch', shown.text);
          assert.match(shown.text, /attachment of demo-full-2: SHA-256 [0-9a-f]{64}, the record says [0-9a-f]{64}/);
          assert.match(shown.text, /the filter set in force is unchanged/);
          assert.deepStrictEqual([shown.fullId, shown.deltas, shown.lastSuccess], [set.fullId, set.deltas, set.lastSuccess]);
        } finally {
          demo.remoteSettings.setScenario('ok');
          publish(records);
        }
        // Nothing of the refused file was stored.
        assert.deepStrictEqual((await storedFiles(b)).hashes, records.map((r) => r.attachment.hash).sort());
        const panel = await visitCovered(b, 'crlite-revoked', 'revoked-after-tamper');
        assert.deepStrictEqual([panel.certs[0].decidedBy, panel.certs[0].crlite], ['crlite', 'revoked_in_filter']);
      });

      await t.test('the records changed back, the chain did not: up to date, nothing downloaded', async () => {
        const shown = await syncNow(b);
        assert.equal(shown.lastStatus, 'up-to-date', shown.text);
        assert.deepStrictEqual([shown.fullId, shown.deltas], [set.fullId, set.deltas]);
      });
    } finally {
      await b.close();
    }

    await t.test('after a browser restart the stored set is in force, with no sync', async () => {
      // A sync could not succeed now: whatever decides comes from storage.
      demo.remoteSettings.setScenario('down');
      b = await start();
      try {
        const panel = await visitCovered(b, 'crlite-revoked', 'restart');
        assert.deepStrictEqual([panel.certs[0].status, panel.certs[0].decidedBy, panel.certs[0].crliteFilter],
          ['revoked', 'crlite', 'demo-delta-2']);
        assert.equal(demo.ocspLog.length, 0);
        const shown = panel.crliteSet;
        assert.deepStrictEqual([shown.hasSet, shown.fullId, shown.deltas, shown.loadError], [true, 'demo-full', 2, '']);
        // Dropped for the next step: a file lost from storage.
        const stored = await storedFiles(b, { drop: 'demo-delta-2' });
        assert.equal(stored.hashes.length, 2);
      } finally {
        demo.remoteSettings.setScenario('ok');
        await b.close();
      }
    });

    await t.test('a stored file lost: said at start, nothing deleted, the next sync fetches only it', async () => {
      b = await start();
      try {
        const shown = await crliteNow(b);
        assert.deepStrictEqual([shown.hasSet, shown.loadError], [false, 'bad-index'], shown.text);
        assert.match(shown.text, /the file of filter demo-delta-2 is missing/);
        // No filter: the ladder goes on to OCSP, whose responder says good.
        const panel = await visitCovered(b, 'crlite-revoked', 'file-lost');
        assert.deepStrictEqual([panel.certs[0].status, panel.certs[0].decidedBy, panel.certs[0].crlite],
          ['good', 'live-ocsp', 'no_filter']);
        assert.equal((await storedFiles(b)).hashes.length, 2);

        demo.remoteSettings.requests.length = 0;
        const synced = await syncNow(b, 'repaired');
        assert.equal(synced.lastStatus, 'updated', synced.text);
        assert.deepStrictEqual([synced.hasSet, synced.deltas, synced.loadError], [true, 2, '']);
        assert.match(synced.text, /new filters in force, 1 file /);
        const downloads = demo.remoteSettings.requests.filter((r) => r.path.includes('/attachments/'));
        assert.deepStrictEqual(downloads.map((r) => r.path.split('/').pop()), ['demo-delta-2.filter']);
        assert.deepStrictEqual((await storedFiles(b)).hashes, records.map((r) => r.attachment.hash).sort());
        const again = await visitCovered(b, 'crlite-revoked', 'repaired-revoked');
        assert.deepStrictEqual([again.certs[0].status, again.certs[0].decidedBy], ['revoked', 'crlite']);
      } finally {
        await b.close();
      }
    });
  });
}
