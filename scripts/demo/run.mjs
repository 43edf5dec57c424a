// The demo (`npm start`): the demo sites on 127.0.0.1 and Firefox ESR with the
// extension and the demo CA trusted in a profile of its own, on the index of
// the sites. Headless (no display, or --headless): visits every site and
// writes the panel's screenshot and the verdict JSON of each to out/demo/.
// Nothing on the system changes; the demo's live OCSP goes only to the demo
// responder on 127.0.0.1, and its Remote Settings (OneCRL and the CRLite
// filters) to the demo's stand-in there.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './sites.mjs';
import { launch } from '../browser/launch.mjs';
import { readPanel, setSettings, syncCrlite, visit } from '../browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out/demo');
const headless = process.argv.includes('--headless') || !process.env.DISPLAY;

rmSync(join(out, 'profile-firefox'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const demo = await startDemo({ dir: join(out, 'pki') });
const index = `https://good-live.revoscope.test:${demo.httpsPort}/index`;
const b = await launch('firefox', {
  extensionDir: join(root, 'dist/firefox'),
  profile: join(out, 'profile-firefox'),
  roots: [demo.rootPem, demo.onecrlRootPem],
  hosts: demo.sites.map((s) => s.host),
  headless,
});
const stop = async () => { await b.close().catch(() => {}); await demo.stop(); };
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
  });
  const crlite = await syncCrlite(b);
  console.log(crlite.set
    ? `CRLite filters from ${demo.remoteSettingsUrl}: full filter ${crlite.set.full_id} of ${crlite.set.full_effective} and ${crlite.set.deltas} deltas (policy mozilla-plan with crlite enforce)\n`
    : `CRLite filters could not be synced: ${crlite.lastSync?.error?.message ?? 'no filter set'}\n`);
  if (headless) {
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
  } else {
    const page = await b.browser.newPage();
    await page.goto(index);
    console.log(`Firefox is open on ${index}; close it to stop the demo.`);
    await new Promise((resolve) => b.browser.once('disconnected', resolve));
  }
} finally {
  await stop();
}
