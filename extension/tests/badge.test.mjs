// The toolbar badge (extension/src/badge.ts), in Node over a stand-in
// `action` API: each outcome's text, colour and tooltip as the background
// sets them, and every colour's contrast with the text colour by WCAG 2's
// formula (www.w3.org/TR/WCAG21/#dfn-contrast-ratio), at least 4.5:1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { i18nStandIn, localeMessages } from '../../scripts/locales.mjs';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const messages = localeMessages(join(src, '..', '..')).en;
const calls = [];
const record = (name) => async (details) => { calls.push([name, details]); };
globalThis.chrome = {
  runtime: { getURL: (path) => `chrome-extension://test/${path}` },
  // The English messages, as the browsers fill them.
  i18n: i18nStandIn(messages),
  action: {
    setBadgeText: record('text'), setBadgeBackgroundColor: record('color'),
    setBadgeTextColor: record('textColor'), setTitle: record('title'),
  },
};
const bundle = await build({
  stdin: { contents: "export { showBadge, BADGE_TEXT_COLOR } from './badge';", resolveDir: src, loader: 'ts' },
  bundle: true, format: 'esm', write: false, platform: 'neutral', logLevel: 'silent',
});
const { showBadge, BADGE_TEXT_COLOR } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

/** WCAG 2 relative luminance of `#rrggbb`. */
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const verdict = (outcome) => ({ outcome, certificates: [] });
const states = [
  [{ status: 'evaluating' }, '…'],
  [{ status: 'error', error: 'bad DER' }, 'ERR', /bad DER/],
  [{ status: 'blocked-by-browser', browserError: { words: 'revoked' } }, 'BLK', /browser blocked/],
  [{ status: 'not-inspected' }, '', /Inspect this page/],
  [{ status: 'done', verdict: verdict('accept') }, 'OK', /accepted/],
  [{ status: 'done', verdict: verdict('soft-fail-accept') }, 'SOFT', /soft-fails/],
  [{ status: 'done', verdict: verdict('block') }, 'BLK', /would block/],
  [{ status: 'done', verdict: verdict('undecided') }, '?', /undecided/],
];

test('each outcome sets its text, a colour readable under white text, and a tooltip', async () => {
  const colours = new Set();
  for (const [state, text, title] of states) {
    calls.length = 0;
    await showBadge({ tabId: 7, url: 'https://example.test/', capturedAt: 1, ...state });
    const got = Object.fromEntries(calls.map(([name, d]) => [name, d]));
    assert.deepEqual(Object.values(got).map((d) => d.tabId), [7, 7, 7, 7], state.status);
    assert.equal(got.text.text, text, state.status);
    assert.equal(got.textColor.color, BADGE_TEXT_COLOR);
    if (title) assert.match(got.title.title, title);
    const ratio = contrast(got.color.color, BADGE_TEXT_COLOR);
    assert.ok(ratio >= 4.5, `${state.status} ${state.verdict?.outcome ?? ''}: ${got.color.color} is ${ratio.toFixed(2)}:1`);
    colours.add(got.color.color);
  }
  // Accept, soft-fail and block look different.
  assert.ok(colours.size >= 4, [...colours].join(' '));
});

test('the contrast check can fail: a light colour under white text is refused', () => {
  assert.ok(contrast('#ffd33d', '#ffffff') < 4.5);
  assert.equal(contrast('#000000', '#ffffff').toFixed(1), '21.0');
});
