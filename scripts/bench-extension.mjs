// The extension's cost to the user, in one Firefox run: the demo sites are
// loaded N times with the extension installed and N times without it
// (uninstalled and installed again in the same browser, alternating rounds),
// and the median page-load times compared as a ratio. Also the time from the
// response to the verdict stored for the panel, without live OCSP (the
// default). Writes target/bench/extension.json.
//
// Chrome is not measured here: on demand (its default) the extension does
// nothing while a page loads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo/sites.mjs';
import { launch } from './browser/launch.mjs';
import { readPanel, visit } from './browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.REVOSCOPE_BENCH_ROUNDS ?? 10);
// Sites that need no live OCSP, and one that would (live OCSP stays off).
const SITES = ['short-lived', 'no-revocation-info', 'good-live'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Load time of one visit: navigation start to the end of the load event. */
async function loadMs(b, url) {
  const page = await b.browser.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    return await page.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation');
      return nav.loadEventEnd - nav.startTime;
    });
  } finally {
    await page.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'revoscope-bench-'));
const demo = await startDemo({ dir: join(work, 'pki') });
const extensionDir = join(root, 'dist/firefox');
const b = await launch('firefox', {
  profile: join(work, 'firefox'),
  roots: [demo.rootPem, demo.onecrlRootPem],
  hosts: demo.sites.map((s) => s.host),
  // Navigation timing at full resolution: Firefox rounds it to 1 ms by
  // default, 3% of a page load on loopback.
  firefoxPrefs: { 'privacy.reduceTimerPrecision': false },
});
const url = (name) => demo.sites.find((s) => s.name === name).url;

try {
  const times = { with: [], without: [] };
  // Warm both paths (TLS session caches, the engine's first load).
  for (const name of SITES) await loadMs(b, url(name));
  let id = await b.browser.installExtension(extensionDir);
  for (const name of SITES) await loadMs(b, url(name));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of SITES) times.with.push(await loadMs(b, url(name)));
    await b.browser.uninstallExtension(id);
    for (const name of SITES) times.without.push(await loadMs(b, url(name)));
    id = await b.browser.installExtension(extensionDir);
  }
  // Response to verdict, as the background measured it (TabState.verdictMs).
  const verdictMs = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of ['short-lived', 'no-revocation-info']) {
      const panel = await readPanel(b, await visit(b, url(name)));
      verdictMs.push(panel.stored.verdictMs);
    }
  }
  const result = {
    browser: 'firefox-esr',
    rounds: ROUNDS,
    page_load_ms_with_extension: median(times.with),
    page_load_ms_without_extension: median(times.without),
    page_load_ratio: median(times.with) / median(times.without),
    response_to_verdict_ms_median: median(verdictMs),
    response_to_verdict_ms_max: Math.max(...verdictMs),
  };
  mkdirSync(join(root, 'target/bench'), { recursive: true });
  writeFileSync(join(root, 'target/bench/extension.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nThe extension in Firefox ESR (demo sites, live OCSP off):');
  console.log(`  page load, median: ${result.page_load_ms_with_extension.toFixed(1)} ms with, ${result.page_load_ms_without_extension.toFixed(1)} ms without: ratio ${result.page_load_ratio.toFixed(3)} (target <= 1.05)`);
  console.log(`  response to verdict: median ${result.response_to_verdict_ms_median} ms, max ${result.response_to_verdict_ms_max} ms (target <= 50 ms)`);
  console.log('wrote target/bench/extension.json');
} finally {
  await b.close();
  await demo.stop();
  rmSync(work, { recursive: true, force: true });
}
