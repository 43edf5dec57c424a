// The extension's cost to the user, in one Firefox run: the demo sites are
// loaded N times with the extension installed and N times without it
// (uninstalled and installed again in the same browser, alternating rounds),
// and the median page-load times compared as a ratio. Beside them, in the
// same rounds, the floor: a minimal extension that only reads the chain the
// way ours must (a blocking onHeadersReceived listener asking
// getSecurityInfo for the chain's DER, as capture-firefox.ts does) and drops
// it. Also the time from the response to the verdict stored for the panel,
// without live OCSP (the default). Writes target/bench/extension.json.
//
// Chrome is not measured here: on demand (its default) the extension does
// nothing while a page loads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo/sites.mjs';
import { FIREFOX_UUID, GECKO_ID, launch } from './browser/launch.mjs';
import { readPanel, visit } from './browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.REVOSCOPE_BENCH_ROUNDS ?? 10);
// Sites that need no live OCSP, and one that would (live OCSP stays off).
const SITES = ['short-lived', 'no-revocation-info', 'good-live'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const FLOOR_ID = 'revoscope-floor@revoscope.invalid';
const FLOOR_UUID = '0c2f4a6e-8b1d-4e3f-a5c7-9d1b3f5a7c90';

/**
 * The floor extension, written into `dir`: the chain read and dropped; its
 * page answers how many chains the background got, so the run can check
 * that the floor did read them.
 */
function writeFloorExtension(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: 'revoscope floor',
    version: '1.0',
    host_permissions: ['<all_urls>'],
    permissions: ['webRequest', 'webRequestBlocking'],
    background: { scripts: ['background.js'] },
    browser_specific_settings: { gecko: { id: FLOOR_ID, data_collection_permissions: { required: ['none'] } } },
  }));
  writeFileSync(join(dir, 'background.js'), `let chains = 0;
browser.webRequest.onHeadersReceived.addListener((details) => {
  if (details.tabId < 0) return {};
  browser.webRequest.getSecurityInfo(details.requestId, { certificateChain: true, rawDER: true })
    .then((info) => { if (info.certificates.length > 0 && info.certificates[0].rawDER) chains++; });
  return {};
}, { urls: ['https://*/*'], types: ['main_frame'] }, ['blocking']);
browser.runtime.onMessage.addListener(() => Promise.resolve(chains));
`);
  writeFileSync(join(dir, 'count.html'), '<!doctype html><meta charset="utf-8"><script src="count.js"></script>');
  writeFileSync(join(dir, 'count.js'), 'browser.runtime.sendMessage("count").then((n) => { document.title = String(n); });');
}

/** How many chains the installed floor extension has read. */
async function floorChains(b) {
  const page = await b.browser.newPage();
  try {
    // Firefox over WebDriver BiDi never reports a moz-extension:// navigation
    // as finished (see browser/panel.mjs): wait on the document instead.
    await page.goto(`moz-extension://${FLOOR_UUID}/count.html`, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => {});
    await page.waitForFunction(() => location.protocol === 'moz-extension:' && document.title !== '', { timeout: 10_000 });
    return Number(await page.evaluate(() => document.title));
  } finally {
    await page.close();
  }
}

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
  firefoxPrefs: {
    'privacy.reduceTimerPrecision': false,
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID, [FLOOR_ID]: FLOOR_UUID }),
  },
});
const floorDir = join(work, 'floor');
writeFloorExtension(floorDir);
const url = (name) => demo.sites.find((s) => s.name === name).url;

try {
  const times = { with: [], without: [], floor: [] };
  // Warm every path (TLS session caches, the engine's first load).
  for (const name of SITES) await loadMs(b, url(name));
  let floor = await b.browser.installExtension(floorDir);
  for (const name of SITES) await loadMs(b, url(name));
  await b.browser.uninstallExtension(floor);
  let id = await b.browser.installExtension(extensionDir);
  for (const name of SITES) await loadMs(b, url(name));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of SITES) times.with.push(await loadMs(b, url(name)));
    await b.browser.uninstallExtension(id);
    for (const name of SITES) times.without.push(await loadMs(b, url(name)));
    floor = await b.browser.installExtension(floorDir);
    for (const name of SITES) times.floor.push(await loadMs(b, url(name)));
    // A floor that read nothing would be no floor.
    const read = await floorChains(b);
    if (read !== SITES.length) throw new Error(`the floor extension read ${read} chains of ${SITES.length} page loads`);
    await b.browser.uninstallExtension(floor);
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
    page_load_ms_floor: median(times.floor),
    page_load_ratio_floor: median(times.floor) / median(times.without),
    page_load_ratio_over_floor: median(times.with) / median(times.floor),
    response_to_verdict_ms_median: median(verdictMs),
    response_to_verdict_ms_max: Math.max(...verdictMs),
  };
  mkdirSync(join(root, 'target/bench'), { recursive: true });
  writeFileSync(join(root, 'target/bench/extension.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nThe extension in Firefox ESR (demo sites, live OCSP off):');
  console.log(`  page load, median: ${result.page_load_ms_with_extension.toFixed(1)} ms with, ${result.page_load_ms_without_extension.toFixed(1)} ms without: ratio ${result.page_load_ratio.toFixed(3)} (target <= 1.05)`);
  console.log(`  the floor (only reading the chain, getSecurityInfo): ${result.page_load_ms_floor.toFixed(1)} ms: ratio ${result.page_load_ratio_floor.toFixed(3)} to without; ours over the floor ${result.page_load_ratio_over_floor.toFixed(3)}`);
  console.log(`  response to verdict: median ${result.response_to_verdict_ms_median} ms, max ${result.response_to_verdict_ms_max} ms (target <= 50 ms)`);
  console.log('wrote target/bench/extension.json');
} finally {
  await b.close();
  await demo.stop();
  rmSync(work, { recursive: true, force: true });
}
