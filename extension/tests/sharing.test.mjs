// Sharing the daily report, in the real browsers and against the real
// collector (collector/, `revoscope-collector` at k=1): opted out nothing
// is sent; opted in (Firefox: its data collection permission, granted by a
// click on the sharing page), "Share today so far now" queues the day, the
// report waits out a collector outage and is retried, and the collector
// then publishes the day with the paths visited; days that ended are
// queued at the next start, never one before the opt-in or one with too
// few page loads; pausing sends nothing;
// withdrawing (on the page, or in Firefox by removing the permission as
// about:addons does) deletes the queue. Screenshots go to out/test/sharing/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { buildCollector, posts, startCollector as startRealCollector } from '../../scripts/collector.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { extensionPage, readPanel, setSettings, visit } from '../../scripts/browser/panel.mjs';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/sharing');
mkdirSync(shots, { recursive: true });
let demo;
const work = mkdtempSync(join(tmpdir(), 'revoscope-sharing-'));
before(async () => {
  buildCollector(); // a no-op when it is up to date
  demo = await startDemo({ dir: join(work, 'pki') });
});
after(async () => { await demo?.stop(); rmSync(work, { recursive: true, force: true }); });

const site = (name) => demo.sites.find((s) => s.name === name);

/** Ten page loads, the minimum for a day to be reported, on two paths
 * that need no live OCSP (off by default). */
const VISITS = [...Array(5).fill('short-lived'), ...Array(5).fill('no-revocation-info')];
const PATHS = { ShortValidity: 5, NoRevocationInfo: 5 };

// ---------------------------------------------------------------------------
// The collector

/** The real collector at k=1 on `port` (0: any) with `db`; its stderr
 * lines go to `log` (one per request, `POST /v1/reports 201 stored`). */
const startCollector = (db, log, port = 0) => startRealCollector(db, { log, port, k: 1 });

/**
 * A stand-in collector that records each request (method, path, headers,
 * body) and answers with `answer()`: {status, headers, body}. For what the
 * real one cannot be made to do on demand: refuse a good report, ask for a
 * retry an hour later, show the request's headers.
 */
async function startStub(answer) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c) => { body += c; }).on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body });
      const { status, headers = {}, body: out } = answer();
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(out));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

async function aggregates(collector, day) {
  const response = await fetch(`${collector.url}/v1/aggregates?from=${day}&to=${day}`);
  assert.equal(response.status, 200);
  return response.json();
}

/** The paths of a published day, by label, nonzero only. */
function publishedPaths(body, day) {
  const found = body.days.find((d) => d.day === day);
  assert.ok(found, `the collector publishes ${day}: ${JSON.stringify(body.days.map((d) => d.day))}`);
  const labels = body.sections.find((s) => s.name === 'paths').labels;
  return { reports: found.reports, paths: Object.fromEntries(found.counts.paths.map((n, i) => [labels[i], n]).filter(([, n]) => n > 0)) };
}

// ---------------------------------------------------------------------------
// The extension

/** Asks the background (extension/src/messages.ts) from an extension page. */
function message(page, request) {
  return page.evaluate(async (request) => {
    const api = globalThis.browser ?? globalThis.chrome;
    return api.runtime.sendMessage(request);
  }, request);
}

async function sharingState(page) {
  const reply = await message(page, { type: 'sharing' });
  assert.ok(reply.ok, reply.error);
  return reply.value;
}

/** Polls the background until `ok(state)` holds. */
async function waitForSharing(page, ok, what, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let state;
  while (Date.now() < until) {
    state = await sharingState(page);
    if (ok(state)) return state;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what}: not within ${timeoutMs} ms; last ${JSON.stringify({ ...state, layout: undefined })}`);
}

/** Firefox's data collection permission, as the extension sees it. */
const permission = (page) => page.evaluate(() => browser.permissions.contains({ data_collection: ['technicalAndInteraction'] }));

/**
 * Visits VISITS and waits until today's telemetry counts them. Firefox
 * captures every page by itself; Chrome's pages are inspected from the
 * panel (its default, on-demand capture). The tests set Firefox's policy in
 * both browsers, so that the counts are the same.
 */
async function visitAll(b, page) {
  for (const name of VISITS) {
    const visited = await visit(b, site(name).url);
    if (b.kind === 'firefox') {
      await visited.page.close();
    } else {
      const panel = await readPanel(b, visited);
      assert.equal(panel.state, 'done', `${name}: ${JSON.stringify(panel)}`);
    }
  }
  const until = Date.now() + 20_000;
  let paths;
  while (Date.now() < until) {
    const reply = await message(page, { type: 'telemetry-summary', days: 1 });
    paths = reply.value.summary.totals.paths;
    if (JSON.stringify(Object.entries(paths).filter(([, n]) => n > 0).sort()) === JSON.stringify(Object.entries(PATHS).sort())) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`today's telemetry counts ${JSON.stringify(paths)}, not ${JSON.stringify(PATHS)}`);
}

/** Clicks `selector` on the sharing page, waits for the page's answer (its
 * status line is emptied on the click and filled when the background
 * answered), and checks it went through and the mode is `mode`. */
async function click(page, selector, mode) {
  await page.click(selector);
  await page.waitForFunction(() => document.getElementById('status').textContent !== '', { timeout: 10_000 });
  const status = await page.$eval('#status', (el) => ({ text: el.textContent, bad: el.className === 'bad' }));
  assert.equal(status.bad, false, `${selector}: ${status.text}`);
  await page.waitForSelector(`#sharing[data-mode=${mode}]`, { timeout: 5_000 });
}

/** What the sharing page shows of the queue: per report, its nonzero path cells and its JSON. */
function readQueue(page) {
  return page.evaluate(() => [...document.querySelectorAll('#queue article.report')].map((a) => ({
    day: a.dataset.day,
    attempts: Number(a.dataset.attempts),
    lastError: a.dataset.lastError,
    paths: Object.fromEntries([...a.querySelectorAll('tr[data-section=paths]')].map((tr) => [tr.dataset.label, Number(tr.dataset.count)])),
    json: JSON.parse(a.querySelector('pre.json').textContent),
  })));
}

const today = () => new Date().toISOString().slice(0, 10);
/** The UTC day `n` days before today. */
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const wasm = await import(join(root, 'crate/pkg/revoscope.js'));
wasm.initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

/** A stored telemetry day (`telemetry:DAY`'s JSON), made by the engine:
 * `loads` page loads of `day` decided by `path`. */
function storedDay(day, path, loads) {
  const days = new wasm.Telemetry(90);
  let changed;
  for (let i = 0; i < loads; i++) {
    changed = days.record(JSON.stringify({ path, live: { kind: 'not-needed' }, hard_fail: 'accept' }), Date.parse(`${day}T12:00:00Z`));
  }
  days.free();
  return changed.json;
}

/** Opens the sharing page once the extension is back after a reload. */
async function reopenSharing(b) {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      const page = await extensionPage(b, 'sharing.html');
      await page.waitForSelector('#sharing:not([data-mode=loading])', { timeout: 5_000 });
      return page;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

for (const kind of ['firefox', 'chromium']) {
  const dist = join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome');
  const start = (profile) => launch(kind, {
    extensionDir: dist, profile: join(work, `${kind}-${profile}`), roots: [demo.rootPem], hosts: demo.sites.map((s) => s.host),
    // Firefox grants an optional permission without its doorhanger (which a
    // headless browser could not click); the request itself still needs
    // the click on the page, as it does for a user.
    firefoxPrefs: { 'extensions.webextOptionalPermissionPrompts': false },
  });

  test(`${kind}: opted out nothing is sent; opted in today reaches the collector through an outage, and a day that ended is sent at the next start; withdrawing turns it off`, async () => {
    const log = [];
    const db = join(work, `${kind}-collector.sqlite`);
    let collector = await startCollector(db, log);
    let b = await start('a');
    let page;
    try {
      await setSettings(b, { collectorUrl: collector.url, sharingDelayMinutes: 0, policy: 'firefox-today' });
      page = await extensionPage(b, 'sharing.html');
      await page.waitForSelector('#sharing[data-mode=off]');
      if (kind === 'firefox') assert.equal(await permission(page), false, 'not granted at install');
      await visitAll(b, page);

      // Opted out: the action is refused and nothing goes out.
      const refused = await message(page, { type: 'sharing-share-today' });
      assert.deepEqual(refused, { ok: false, error: 'sharing is off' });
      assert.equal((await sharingState(page)).queue.length, 0);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(posts(log), [], 'opted out, the collector hears nothing');

      // The collector goes away; the user opts in and shares today.
      await collector.stop();
      await click(page, '#opt-in', 'on');
      if (kind === 'firefox') assert.equal(await permission(page), true, 'the click granted the permission');
      await click(page, '#share-today', 'on');
      const failed = await waitForSharing(page, (s) => s.queue.length === 1 && s.queue[0].attempts >= 1, 'the first attempt fails');
      assert.equal(failed.queue[0].lastError.status, null);
      assert.equal(failed.doneThrough, today(), 'today is done: later loads stay local');
      await page.waitForFunction(() => document.querySelector('#queue article.report[data-attempts="1"], #queue article.report[data-attempts="2"]'), { timeout: 10_000 });
      const [shown] = await readQueue(page);
      assert.equal(shown.day, today());
      assert.deepEqual(shown.paths, PATHS, 'the page names the report\'s nonzero path counts');
      assert.deepEqual(shown.json, JSON.parse(failed.queue[0].json), 'the page shows the exact report');
      assert.equal(shown.json.browser, kind === 'firefox' ? 'firefox' : 'chrome');
      assert.equal(shown.json.extension, '0.1');
      assert.match(shown.json.id, /^[0-9a-f]{32}$/);
      await page.screenshot({ path: join(shots, `${kind}-queued.png`), fullPage: true });
      assert.equal((await page.$eval('#share-today', (el) => el.disabled)), true, 'today cannot be shared twice');

      // Back up on the same port: the retry alarm sends it, and the queue drains.
      collector = await startCollector(db, log, collector.port);
      const drained = await waitForSharing(page, (s) => s.queue.length === 0, 'the queue drains', 45_000);
      assert.deepEqual(drained.history.map((d) => [d.day, d.outcome]), [[today(), 'sent']]);
      assert.deepEqual(posts(log), ['POST /v1/reports 201 stored']);
      assert.deepEqual(publishedPaths(await aggregates(collector, today()), today()), { reports: 1, paths: PATHS });
      await page.waitForSelector('#sharing[data-queue="0"]');
      await page.screenshot({ path: join(shots, `${kind}-sent.png`), fullPage: true });

      // Days that ended: as if the user had opted in three days ago, with
      // the stored days below, and the extension then started (the
      // background reads the stored days afresh). Firefox: a reload of the
      // extension (a temporary add-on is uninstalled at shutdown, and its
      // permissions with it); Chromium: a browser restart (an extension
      // loaded from the command line does not come back from a reload). Yesterday is queued
      // and sent; two days ago had too few loads; five days ago was before
      // the opt-in and is never reported.
      const stored = { [daysAgo(5)]: storedDay(daysAgo(5), 'StapledOCSP', 20), [daysAgo(2)]: storedDay(daysAgo(2), 'OneCRL', 4), [daysAgo(1)]: storedDay(daysAgo(1), 'OneCRL', 12) };
      await page.evaluate(async (stored, doneThrough, optedInAt) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { telemetryDays = [], sharing } = await api.storage.local.get(['telemetryDays', 'sharing']);
        await api.storage.local.set({
          ...Object.fromEntries(Object.entries(stored).map(([day, json]) => [`telemetry:${day}`, json])),
          telemetryDays: [...new Set([...telemetryDays, ...Object.keys(stored)])].sort(),
          sharing: { ...sharing, doneThrough, optedInAt },
        });
      }, stored, daysAgo(4), Date.parse(`${daysAgo(3)}T08:00:00Z`));
      if (kind === 'firefox') {
        // The reload closes this page, which may not live to answer.
        await page.evaluate(() => { browser.runtime.reload(); }).catch(() => {});
        await page.close().catch(() => {});
      } else {
        await page.close();
        await b.close();
        b = await start('a');
      }
      page = await reopenSharing(b);
      const ended = await waitForSharing(page, (s) => s.queue.length === 0 && s.history.some((d) => d.day === daysAgo(1)), 'yesterday is sent');
      assert.deepEqual(ended.history.map((d) => [d.day, d.outcome]),
        [[today(), 'sent'], [daysAgo(2), 'too-few-pages'], [daysAgo(1), 'sent']]);
      assert.equal(ended.doneThrough, daysAgo(1));
      if (kind === 'firefox') assert.equal(await permission(page), true, 'the permission outlives the restart');
      assert.deepEqual(publishedPaths(await aggregates(collector, daysAgo(1)), daysAgo(1)), { reports: 1, paths: { OneCRL: 12 } });
      for (const n of [5, 2]) assert.deepEqual((await aggregates(collector, daysAgo(n))).days, [], `${daysAgo(n)} is never reported`);
      assert.equal(posts(log).length, 2);

      // Withdrawing on the page.
      await click(page, '#withdraw', 'off');
      if (kind === 'firefox') assert.equal(await permission(page), false, 'withdrawing removes the permission');
      const off = await sharingState(page);
      assert.equal(off.optedInAt, null);
      assert.equal(off.queue.length, 0);
    } finally {
      await page?.close().catch(() => {});
      await b.close();
      await collector.stop();
    }
  });

  const withdrawal = kind === 'firefox' ? 'removing the permission (as about:addons does)' : 'withdrawing on the page';
  test(`${kind}: paused nothing is sent; resumed the report goes out without cookie, referrer or install id, and a 503's Retry-After is honoured; ${withdrawal} deletes the queue`, async () => {
    const stub = await startStub(() => ({
      status: 503, headers: { 'Retry-After': '3600' }, body: { error: 'store-unavailable', message: 'The store is resting.' },
    }));
    const b = await start('b');
    let page;
    try {
      // No collector yet: the report waits, and the page says why.
      await setSettings(b, { collectorUrl: '', sharingDelayMinutes: 0, policy: 'firefox-today' });
      page = await extensionPage(b, 'sharing.html');
      await page.waitForSelector('#sharing[data-mode=off]');
      await click(page, '#opt-in', 'on');
      await visitAll(b, page);
      await click(page, '#share-today', 'on');
      await page.waitForSelector('#sharing[data-queue="1"]', { timeout: 10_000 });
      assert.match(await page.$eval('#queue article.report', (el) => el.textContent), /no collector is set/);

      await click(page, '#pause', 'paused');
      await setSettings(b, { collectorUrl: stub.url });
      await new Promise((r) => setTimeout(r, 2_000));
      const paused = await sharingState(page);
      assert.equal(paused.mode, 'paused');
      assert.equal(paused.queue.length, 1, 'pausing keeps the queue');
      assert.deepEqual(stub.requests, [], 'paused, nothing is sent');
      await page.screenshot({ path: join(shots, `${kind}-paused.png`), fullPage: true });

      await click(page, '#resume', 'on');
      const waiting = await waitForSharing(page, (s) => s.queue.length === 1 && s.queue[0].attempts === 1, 'the attempt after resuming');
      assert.equal(stub.requests.length, 1);
      const [request] = stub.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1/reports');
      assert.equal(request.body, waiting.queue[0].json, 'the report is sent exactly as queued and shown');
      assert.match(request.headers['content-type'], /^application\/json/);
      assert.equal(request.headers.cookie, undefined);
      assert.equal(request.headers.referer, undefined);
      if (kind === 'firefox') {
        // Not moz-extension://<UUID>: that UUID is drawn at install, one per user.
        assert.equal(request.headers.origin, 'null');
      } else {
        // The extension's id: the same for every install of the extension.
        assert.equal(request.headers.origin, b.extensionBase.replace(/\/$/, ''));
      }
      const { lastError, dueAt } = waiting.queue[0];
      assert.deepEqual([lastError.status, lastError.message], [503, 'The store is resting.']);
      assert.ok(dueAt - lastError.at >= 3_600_000, `Retry-After is honoured: due ${dueAt - lastError.at} ms after the failure`);

      if (kind === 'firefox') {
        assert.equal(await page.evaluate(() => browser.permissions.remove({ data_collection: ['technicalAndInteraction'] })), true);
        await page.waitForSelector('#sharing[data-mode=off][data-queue="0"]', { timeout: 10_000 });
      } else {
        await click(page, '#withdraw', 'off');
      }
      const stored = await page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('sharing')).sharing);
      assert.deepEqual(stored.queue, [], 'the queue is deleted from storage');
      assert.equal(stored.optedInAt, null);
      const settings = await page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('settings')).settings);
      assert.equal(settings.sharing, 'off');
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(stub.requests.length, 1, 'nothing more was sent');
    } finally {
      await page?.close().catch(() => {});
      await b.close();
      await stub.stop();
    }
  });
}

// The answers are read the same way in both browsers (the 503 above shows
// Firefox reads the collector's words too): once is enough.
test('chromium: a report the collector refuses leaves the queue for the refused list, with the collector\'s words', async () => {
  const stub = await startStub(() => ({
    status: 422, body: { error: 'day-out-of-range', message: 'The report is for a day this collector does not take.' },
  }));
  const b = await launch('chromium', {
    extensionDir: join(root, 'dist/chrome'), profile: join(work, 'chromium-c'), roots: [demo.rootPem], hosts: demo.sites.map((s) => s.host),
  });
  let page;
  try {
    await setSettings(b, { collectorUrl: stub.url, sharingDelayMinutes: 0, policy: 'firefox-today' });
    page = await extensionPage(b, 'sharing.html');
    await click(page, '#opt-in', 'on');
    await visitAll(b, page);
    await click(page, '#share-today', 'on');
    const after = await waitForSharing(page, (s) => s.refused.length === 1, 'the refusal');
    assert.equal(after.queue.length, 0, 'a refused report is not retried');
    assert.deepEqual(after.history.map((d) => d.outcome), ['refused']);
    await page.waitForSelector('#refused-section:not([hidden]) article.report[data-status="422"]', { timeout: 10_000 });
    assert.match(await page.$eval('#refused article.report', (el) => el.textContent),
      /HTTP 422 day-out-of-range: The report is for a day this collector does not take\./);
    await page.screenshot({ path: join(shots, 'chromium-refused.png'), fullPage: true });
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(stub.requests.length, 1);
    await click(page, '#withdraw', 'off');
    assert.equal((await sharingState(page)).refused.length, 0, 'withdrawing deletes the refused reports too');
  } finally {
    await page?.close().catch(() => {});
    await b.close();
    await stub.stop();
  }
});
