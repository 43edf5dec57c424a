// The extension in another language: Firefox ESR in German (Debian's
// firefox-esr-l10n-de), against the demo sites. The popup and the badge
// speak German (the messages of extension/locales/de, filled in the way the
// browser fills them), no English message shows, dates follow German
// usage, and a page Firefox refuses is still recognised and named, though
// Firefox words its refusal in German.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../scripts/demo/sites.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { fillMessage, localeMessages } from '../../scripts/locales.mjs';
import { extensionPage, openPanel, tabState, visit } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'out/test/locale-de');
mkdirSync(shots, { recursive: true });
const { en, de } = localeMessages(root);

/** A German message with its substitutions, as getMessage fills it. */
const german = (key, ...subs) => fillMessage(de[key].message, subs);

let demo;
const work = mkdtempSync(join(tmpdir(), 'revoscope-locale-de-'));
before(async () => { demo = await startDemo({ dir: join(work, 'pki') }); });
after(async () => { await demo?.stop(); rmSync(work, { recursive: true, force: true }); });

const site = (name) => demo.sites.find((s) => s.name === name);

test('Firefox in German: the popup and the badge in German, and a refused page still named', async () => {
  const b = await launch('firefox', {
    extensionDir: join(root, 'dist/firefox'), profile: join(work, 'firefox'),
    roots: [demo.rootPem, demo.onecrlRootPem], hosts: demo.sites.map((s) => s.host),
    // The langpack is a system add-on: let Firefox enable it, and ask for German.
    firefoxPrefs: { 'intl.locale.requested': 'de', 'extensions.autoDisableScopes': 0 },
  });
  try {
    const control = await extensionPage(b, 'options.html');
    assert.equal(await control.evaluate(() => browser.i18n.getUILanguage()), 'de', 'Firefox runs in German');

    // An accepted page: the popup's words are the German messages.
    const visited = await visit(b, site('crl-revoked').url);
    const panel = await extensionPage(b, 'panel.html');
    const tabId = await openPanel(b, panel, visited);
    await panel.screenshot({ path: join(shots, 'panel.png'), fullPage: true });
    const shown = await panel.evaluate(() => ({
      lang: document.documentElement.lang,
      glance: document.getElementById('glance').textContent,
      copy: document.getElementById('copy').textContent,
      caption: document.querySelector('#chain caption').textContent,
      text: document.body.innerText,
    }));
    assert.equal(shown.lang, 'de');
    assert.equal(shown.glance, german('glance_leaf_uncovered', de.outcome_accept.message, de.status_short_not_checked.message));
    assert.equal(shown.copy, de.panel_copy.message);
    assert.equal(shown.caption, de.panel_chain_caption.message);
    // No English message is left on it: those of several words (a single
    // word may be a certificate's name, "Intermediate") that German words
    // differently.
    const english = Object.entries(en)
      .filter(([key, { message }]) => de[key].message !== message && !message.includes('$') && /\S\s+\S/.test(message))
      .map(([, { message }]) => message)
      .filter((message) => shown.text.includes(message));
    assert.deepEqual(english, [], 'English left in the German popup');

    const title = await control.evaluate((tabId) => browser.action.getTitle({ tabId }), tabId);
    assert.equal(title, de.badge_accept.message);

    // A page Firefox refuses (its own OneCRL): Firefox's words are German,
    // the refusal is still recognised and named.
    const refusedUrl = site('onecrl-intermediate').url;
    await visit(b, refusedUrl);
    const refused = await tabState(control, refusedUrl);
    assert.equal(refused.status, 'blocked-by-browser', JSON.stringify(refused));
    assert.ok(refused.browserError.words.length > 0);
    assert.doesNotMatch(refused.browserError.words, /Peer’s Certificate has been revoked/, 'Firefox spoke German');
    const refusedPanel = await extensionPage(b, `panel.html?tab=${refused.tabId}`);
    await refusedPanel.waitForSelector('[data-state=blocked-by-browser]');
    assert.equal(await refusedPanel.$eval('[data-state]', (p) => p.textContent),
      german('panel_blocked_firefox', refused.browserError.words));
  } finally {
    await b.close();
  }
});
