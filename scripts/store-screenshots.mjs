// The store listings' screenshots: the popup, the dashboard and the options
// page, 1280x800 (the size the Chrome Web Store asks for; addons.mozilla.org
// takes it too), from the real builds in Firefox ESR and Chromium, after a
// few visits to the demo sites. `npm run package` writes them to
// out/packages/screenshots/.
//
//   node scripts/store-screenshots.mjs [out/packages/screenshots]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startDemo } from './demo/sites.mjs';
import { launch } from './browser/launch.mjs';
import { extensionPage, openPanel, setSettings, visit } from './browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SIZE = { width: 1280, height: 800 };

/** Visited in this order; the popup is shown for the last. */
const SITES = ['good-live', 'short-lived', 'crl-revoked', 'responder-down', 'revoked-ocsp'];

/** Writes `{firefox,chromium}-{popup,dashboard,options}.png` to `outDir`;
 * resolves to their paths. */
export async function storeScreenshots(outDir) {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'revoscope-screenshots-'));
  const demo = await startDemo({ dir: join(work, 'pki') });
  const written = [];
  try {
    for (const kind of ['firefox', 'chromium']) {
      const b = await launch(kind, {
        extensionDir: join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome'),
        profile: join(work, kind), roots: [demo.rootPem, demo.onecrlRootPem],
        hosts: demo.sites.map((s) => s.host), windowSize: SIZE,
      });
      try {
        // Firefox's ladder, with live OCSP, so that each rung shows.
        await setSettings(b, { policy: 'firefox-today', liveOcsp: true });
        const shoot = async (page, name) => {
          await page.setViewport(SIZE);
          const path = join(outDir, `${kind}-${name}.png`);
          await page.screenshot({ path });
          written.push(path);
        };
        let popup;
        for (const name of SITES) {
          const visited = await visit(b, demo.sites.find((s) => s.name === name).url);
          await popup?.close();
          popup = await extensionPage(b, 'panel.html');
          await openPanel(b, popup, visited);
        }
        await popup.evaluate(() => { document.querySelector('details[data-section=steps]').open = true; });
        await shoot(popup, 'popup');
        const dashboard = await extensionPage(b, 'dashboard.html?days=30');
        await dashboard.waitForFunction(() => document.getElementById('dashboard')?.dataset.state === 'ready', { timeout: 20_000 });
        await shoot(dashboard, 'dashboard');
        await shoot(await extensionPage(b, 'options.html'), 'options');
      } finally {
        await b.close();
      }
    }
  } finally {
    await demo.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = resolve(process.argv[2] ?? join(root, 'out/packages/screenshots'));
  for (const path of await storeScreenshots(out)) console.log(path);
}
