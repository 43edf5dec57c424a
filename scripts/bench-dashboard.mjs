// The telemetry dashboard's drawing time, in Firefox ESR and Chromium: 90 days
// of stored telemetry against 1 day, side by side in the same browser, as a
// ratio; and the 90-day figure against its budget (200 ms). The time is the
// dashboard's own `body[data-render-ms]`: from its script's start to every
// chart drawn, the background's summary included. Writes
// target/bench/dashboard.json.
//
// The 90 days are made here with the wasm engine's Telemetry, as the
// extension would have recorded them, and written to storage.local from an
// extension page before anything asks the background for telemetry (it reads
// the stored days once, on its first telemetry message).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser/launch.mjs';
import { extensionPage } from './browser/panel.mjs';
import { samplePageLoad, seeded } from './bench-page-loads.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.REVOSCOPE_BENCH_ROUNDS ?? 11);
const DAYS = 90;
const BUDGET_MS = 200;
const HOSTS = 30;
const DAY_MS = 86_400_000;
const WAIT_MS = 20_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// The stored days: made with the engine, as the extension stores them.

/**
 * `days` days ending today (UTC) of 50 to 300 page loads each over HOSTS
 * responder hosts, recorded by the engine: {items, pageLoads}, where
 * `items` is what storage.local holds (extension/src/telemetry.ts).
 */
async function storedDays(days) {
  const { initSync, Telemetry } = await import(join(root, 'crate/pkg/revoscope.js'));
  initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });
  const telemetry = new Telemetry(DAYS);
  const rand = seeded(90);
  const hosts = Array.from({ length: HOSTS }, (_, i) => `ocsp${i}.ca${i % 8}.example`);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const items = {};
  let pageLoads = 0;
  for (let ago = days - 1; ago >= 0; ago--) {
    const n = 50 + Math.floor(rand() * 251);
    let stored;
    // Recorded at the day's first second: today's too, so none is in the future.
    for (let i = 0; i < n; i++) stored = telemetry.record(JSON.stringify(samplePageLoad(rand, hosts)), today - ago * DAY_MS + 1000);
    items[`telemetry:${stored.day}`] = stored.json;
    pageLoads += n;
  }
  const index = telemetry.days();
  telemetry.free();
  return { items: { telemetryDays: index, ...items }, pageLoads };
}

// ---------------------------------------------------------------------------
// Reading the dashboard as it loads and reloads.

/**
 * Waits until `fn(arg)` in the page is truthy. Polls from here, so it
 * survives the page navigating (a reload drops in-page waits).
 */
async function poll(page, fn, arg, what) {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const value = await page.evaluate(fn, arg).catch(() => null);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * The dashboard's figures once it is done, or null. With `url`, only from a
 * document at that address without the mark `showDays` leaves on the old one.
 */
const readout = (url) => {
  if (url && (window.benchOldDocument || location.href !== url)) return null;
  const main = document.getElementById('dashboard');
  const state = main?.dataset.state;
  // renderMs is set just before "ready"; "empty" and "error" are read as they are.
  if (!['ready', 'empty', 'error'].includes(state) || (state === 'ready' && !document.body.dataset.renderMs)) return null;
  return {
    state,
    renderMs: Number(document.body.dataset.renderMs),
    drawMs: Number(main.dataset.drawMs),
    daysShown: document.querySelectorAll('#per-day tbody tr').length,
  };
};

/**
 * Loads the open dashboard `page` afresh at `?days=N` (from the page itself:
 * an extension page may navigate to its own URLs, and Firefox then needs no
 * goto), and reads what it took.
 */
async function showDays(b, page, days) {
  const url = `${b.extensionBase}dashboard.html?days=${days}`;
  await page.evaluate((u) => {
    window.benchOldDocument = true;
    location.href = u;
  }, url);
  return check(await poll(page, readout, url, `dashboard.html?days=${days}`), days);
}

/** Throws unless the dashboard is ready and shows `days` days with data. */
function check(shown, days) {
  if (shown.state !== 'ready') throw new Error(`the dashboard for ${days} days is ${shown.state}`);
  if (shown.daysShown !== days) throw new Error(`the dashboard for ${days} days shows ${shown.daysShown} days with data`);
  return shown;
}

// ---------------------------------------------------------------------------

async function benchBrowser(kind, seed) {
  const work = mkdtempSync(join(tmpdir(), `revoscope-bench-dashboard-${kind}-`));
  const start = () => launch(kind, {
    extensionDir: join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome'),
    profile: join(work, 'profile'),
    roots: [],
    hosts: [],
  });
  // The stored days go in first, then the browser starts again on the same
  // profile: the background reads the stored days as it starts
  // (telemetry.ts warms them), so it must start after they are there.
  const seeding = await start();
  try {
    const options = await extensionPage(seeding, 'options.html');
    await options.evaluate(async (items) => {
      const api = globalThis.browser ?? globalThis.chrome;
      await api.storage.local.set(items);
    }, seed.items);
  } finally {
    await seeding.close();
  }
  const b = await start();
  try {

    // The first open after the browser starts: the background also reads
    // the 90 stored days. One sample, reported apart.
    const page = await extensionPage(b, `dashboard.html?days=${DAYS}`);
    const first = check(await poll(page, readout, null, 'the first dashboard'), DAYS);

    // Then 90 days and 1 day in turn (which goes first alternates), the
    // page loaded afresh each time.
    const runs = { [DAYS]: [], 1: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const days of round % 2 ? [1, DAYS] : [DAYS, 1]) {
        runs[days].push(await showDays(b, page, days));
      }
    }
    await page.close();
    const renders = (days) => runs[days].map((r) => r.renderMs);
    const draws = (days) => runs[days].map((r) => r.drawMs);
    return {
      version: await b.browser.version(),
      render_ms_90_days_median: median(renders(DAYS)),
      render_ms_1_day_median: median(renders(1)),
      ratio_90_days_over_1_day: median(renders(DAYS)) / median(renders(1)),
      render_ms_90_days_max: Math.max(...renders(DAYS)),
      draw_ms_90_days_median: median(draws(DAYS)),
      draw_ms_1_day_median: median(draws(1)),
      first_open_90_days_ms: first.renderMs,
      budget_ms: BUDGET_MS,
      ok: median(renders(DAYS)) <= BUDGET_MS,
      samples: { [DAYS]: renders(DAYS), 1: renders(1) },
    };
  } finally {
    await b.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const seed = await storedDays(DAYS);
const results = {};
for (const [name, kind] of [['firefox-esr', 'firefox'], ['chromium', 'chromium']]) {
  results[name] = await benchBrowser(kind, seed);
}
const out = {
  when: new Date().toISOString(),
  rounds: ROUNDS,
  workload: `${DAYS} stored days ending today (UTC), ${seed.pageLoads} page loads over ${HOSTS} responder hosts, recorded by the wasm Telemetry; `
    + 'the 1-day figure is the same page and data at ?days=1, alternating with ?days=90 in one browser',
  measure: 'body[data-render-ms]: dashboard script start to every chart drawn (summary request included); draw_ms: main[data-draw-ms], the drawing alone',
  browsers: results,
};
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/dashboard.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nThe telemetry dashboard, ${DAYS} days of data (${seed.pageLoads} page loads) against 1 day, median of ${ROUNDS}:`);
for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name}: ${r.render_ms_90_days_median} ms for ${DAYS} days, ${r.render_ms_1_day_median} ms for 1 day: ratio ${r.ratio_90_days_over_1_day.toFixed(2)}; `
    + `first open ${r.first_open_90_days_ms} ms (target ${DAYS} days <= ${BUDGET_MS} ms: ${r.ok ? 'yes' : 'NO'})`);
}
console.log('wrote target/bench/dashboard.json');
