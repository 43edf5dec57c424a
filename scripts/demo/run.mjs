// The demo (`npm start`): the demo sites on 127.0.0.1 and Firefox ESR with the
// extension and the demo CA trusted in a profile of its own, on the index of
// the sites. Headless (no display, or --headless): visits every site and
// writes the panel's screenshot and the verdict JSON of each to out/demo/.
// Nothing on the system changes; the demo's live OCSP goes only to the demo
// responder on 127.0.0.1, and its Remote Settings (OneCRL and the CRLite
// filters) to the demo's stand-in there. A collector on SQLite
// (out/demo/reports.sqlite, k = 1) takes the demo profile's shared reports
// and serves the public dashboard: the profile is opted in (a click on the
// sharing page, as a user would), and headless, after the visits, it
// shares today's report and prints what the collector then publishes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './sites.mjs';
import { launch } from '../browser/launch.mjs';
import { extensionPage, readPanel, setSettings, syncCrlite, visit } from '../browser/panel.mjs';
import { buildCollector, startCollector } from '../collector.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out/demo');
const headless = process.argv.includes('--headless') || !process.env.DISPLAY;

rmSync(join(out, 'profile-firefox'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const demo = await startDemo({ dir: join(out, 'pki') });
buildCollector();
const collector = await startCollector(join(out, 'reports.sqlite'), { dashboard: join(root, 'dist/public') });
const publicDashboard = `${collector.url}/dashboard/`;
const index = `https://good-live.revoscope.test:${demo.httpsPort}/index`;
const b = await launch('firefox', {
  extensionDir: join(root, 'dist/firefox'),
  profile: join(out, 'profile-firefox'),
  roots: [demo.rootPem, demo.onecrlRootPem],
  hosts: demo.sites.map((s) => s.host),
  headless,
  // The opt-in click grants Firefox's data collection permission without
  // its doorhanger, which a headless browser could not answer.
  firefoxPrefs: { 'extensions.webextOptionalPermissionPrompts': false },
});
const stop = async () => { await b.close().catch(() => {}); await collector.stop(); await demo.stop(); };
process.on('SIGINT', () => stop().then(() => process.exit(130)));

try {
  // The demo shows the whole ladder, so it turns live OCSP on (off by
  // default) and CRLite to enforce, with filters from the demo's signed
  // Remote Settings stand-in (its test root pinned instead of Mozilla's).
  await setSettings(b, {
    liveOcsp: true,
    onecrlServer: demo.remoteSettingsUrl,
    onecrlRootHash: demo.remoteSettingsRootHash,
    overrides: { crlite: 'enforce' },
    collectorUrl: collector.url,
    sharingDelayMinutes: 0,
  });
  const sharing = await extensionPage(b, 'sharing.html');
  await sharing.waitForSelector('#sharing[data-mode=off]');
  await sharing.click('#opt-in');
  await sharing.waitForSelector('#sharing[data-mode=on]', { timeout: 10_000 });
  const crlite = await syncCrlite(b);
  console.log(crlite.set
    ? `CRLite filters from ${demo.remoteSettingsUrl}: full filter ${crlite.set.full_id} of ${crlite.set.full_effective} and ${crlite.set.deltas} deltas (policy mozilla-plan with crlite enforce)\n`
    : `CRLite filters could not be synced: ${crlite.lastSync?.error?.message ?? 'no filter set'}\n`);
  if (headless) {
    await visit(b, index); // one more page load: a day needs ten to be shared
    for (const site of demo.sites) {
      const panel = await readPanel(b, await visit(b, site.url), join(out, `${site.name}.png`));
      writeFileSync(join(out, `${site.name}.json`), `${JSON.stringify(panel.stored, null, 2)}\n`);
      const leaf = panel.certs[0];
      const covered = leaf?.crlite && leaf.crlite !== 'not_covered' ? ` (CRLite: ${leaf.crlite})` : '';
      console.log(`${site.name.padEnd(20)} ${panel.state === 'done'
        ? `${panel.outcome.padEnd(17)} leaf ${leaf.status} by ${leaf.decidedBy}${covered}`
        : panel.summary.split('\n')[0]}`);
    }
    console.log(`\nscreenshots and verdicts: ${out}/`);
    console.log(`OCSP requests the extension made: ${demo.ocspLog.length}`);
    await shareToday(sharing);
    console.log(`the public dashboard: ${publicDashboard}?collector=${collector.url} (while the demo runs)`);
  } else {
    const page = await b.browser.newPage();
    await page.goto(index);
    console.log(`Firefox is open on ${index}; close it to stop the demo.`);
    console.log(`Sharing is on: "Share today so far now" on the sharing page sends today's report to the demo's collector; its public dashboard is ${publicDashboard}`);
    await new Promise((resolve) => b.browser.once('disconnected', resolve));
  }
} finally {
  await stop();
}

/** Shares today's report and prints the paths the collector then publishes. */
async function shareToday(page) {
  await page.click('#share-today');
  const day = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < 100; i++) {
    const body = await (await fetch(`${collector.url}/v1/aggregates?from=${day}&to=${day}`)).json();
    const published = body.days?.find((d) => d.day === day);
    if (published) {
      const labels = body.sections.find((s) => s.name === 'paths').labels;
      const paths = published.counts.paths.map((n, j) => [labels[j], n]).filter(([, n]) => n > 0);
      console.log(`\nshared today's report; the collector publishes ${day} from ${published.reports} report(s): ${paths.map(([l, n]) => `${l} ${n}`).join(', ')}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`\ntoday's report did not reach the collector in 20 s; the sharing page says why: ${b.extensionBase}sharing.html`);
}
