// The background is the one writer of the settings: the options page and
// the sharing page, open side by side, save at the same moment, round after
// round, and every round both changes are in force. When each page read,
// changed and wrote the whole settings itself, one of the two was lost
// whenever the writes crossed. A patch the settings' schema refuses is
// refused with words that name the setting, and changes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../../scripts/browser/launch.mjs';
import { ask, extensionPage } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'revoscope-settings-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Rounds of simultaneous saves: a lost update needs the two writes to
 * cross, which one round could miss by luck. */
const ROUNDS = 8;
const PRESETS = ['hard-fail', 'firefox-today', 'mozilla-plan'];

/** On the options page: picks `policy`, submits the form. */
function saveOptions(page, policy) {
  return page.evaluate((policy) => {
    document.getElementById('saved').textContent = '';
    const select = document.getElementById('policy');
    select.value = policy;
    select.dispatchEvent(new Event('change'));
    document.getElementById('form').requestSubmit();
  }, policy);
}

/** On the sharing page: fills the collector and the delay, submits. One
 * evaluate, so the page's own refresh cannot refill the fields between. */
function saveCollector(page, collectorUrl, delayMinutes) {
  return page.evaluate((url, delay) => {
    document.getElementById('status').textContent = '';
    document.getElementById('collector-url').value = url;
    document.getElementById('delay').value = String(delay);
    document.getElementById('collector-form').requestSubmit();
  }, collectorUrl, delayMinutes);
}

/** The text of element `id` once it is not empty. Polled on a timer: of
 * two tabs one is in the background, where Chromium runs no animation
 * frames (puppeteer's default polling). */
async function filled(page, id) {
  try {
    await page.waitForFunction((id) => document.getElementById(id).textContent !== '', { timeout: 10_000, polling: 50 }, id);
  } catch (e) {
    const shown = await page.evaluate(() => ({ url: location.href, text: document.body.innerText.slice(0, 2_000) }));
    throw new Error(`#${id} stayed empty: ${e.message}; the page: ${JSON.stringify(shown)}`);
  }
  return page.$eval(`#${id}`, (el) => el.textContent);
}

for (const kind of ['firefox', 'chromium']) {
  test(`${kind}: the options page and the sharing page save at the same time, and neither change is lost`, async () => {
    const b = await launch(kind, {
      extensionDir: join(root, 'dist', kind === 'firefox' ? 'firefox' : 'chrome'),
      profile: join(work, kind), roots: [], hosts: [],
    });
    try {
      const options = await extensionPage(b, 'options.html');
      const sharing = await extensionPage(b, 'sharing.html');
      // Each page is ready once it drew the settings it was given.
      await options.waitForSelector('#policy option', { timeout: 20_000 });
      await sharing.waitForSelector('#sharing:not([data-mode=loading])', { timeout: 20_000 });

      for (let round = 1; round <= ROUNDS; round++) {
        const policy = PRESETS[round % PRESETS.length];
        const collectorUrl = `https://collector-${round}.example`;
        // The sharing page first: its change goes through the background,
        // a hop longer than the options page's own write used to be, so the
        // two writes cross (with the pages writing the settings themselves,
        // round 1 lost a change in both browsers).
        await Promise.all([saveCollector(sharing, `${collectorUrl}/`, round), saveOptions(options, policy)]);
        assert.equal(await filled(options, 'saved'), 'Saved. New pages use these options.', `round ${round}`);
        assert.equal(await filled(sharing, 'status'), 'Saved.', `round ${round}`);
        const inForce = await ask(options, { type: 'settings' });
        assert.deepEqual(
          { policy: inForce.policy, collectorUrl: inForce.collectorUrl, sharingDelayMinutes: inForce.sharingDelayMinutes },
          { policy, collectorUrl, sharingDelayMinutes: round },
          `round ${round}: both pages' changes are in force`);
      }
      // What the views were told is what is stored.
      const stored = await options.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('settings')).settings);
      assert.deepEqual(stored, await ask(options, { type: 'settings' }));

      // Refused patches name the setting and change nothing.
      const before = await ask(options, { type: 'settings' });
      await assert.rejects(ask(options, { type: 'update-settings', patch: { sharingDelayMinutes: 'soon' } }),
        { message: 'sharingDelayMinutes is a whole number of minutes from 0 to 1440, not "soon"' });
      await assert.rejects(ask(options, { type: 'update-settings', patch: { liveOcsp: true, colour: 'blue' } }),
        { message: 'there is no setting named "colour"' });
      await assert.rejects(ask(options, { type: 'update-settings', patch: { sharing: 'on' } }),
        { message: 'sharing follows consent: it changes by the sharing-set request, not by a patch' });
      await assert.rejects(ask(options, { type: 'update-settings', patch: { policy: 'lenient' } }),
        { message: 'policy is one of mozilla-plan, hard-fail, firefox-today, inspector, chrome-today, not "lenient"' });
      await assert.rejects(ask(options, { type: 'no-such-request' }), { message: 'no request is of type "no-such-request"' });
      assert.deepEqual(await ask(options, { type: 'settings' }), before);

      // The sharing page says a refusal in its status line.
      await saveCollector(sharing, 'ftp://collector.example', 5);
      assert.equal(await filled(sharing, 'status'),
        'collectorUrl is empty, or an http or https address with no query, fragment or password, not "ftp://collector.example"');
      assert.deepEqual(await ask(options, { type: 'settings' }), before);
    } finally {
      await b.close();
    }
  });
}
