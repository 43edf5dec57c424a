// What `npm run package` checks and writes beside the store zips: both
// builds pass their browser's linter (web-ext for Firefox, Chromium's own
// loader for Chrome), the Chrome check does catch a bad manifest, and the
// listings' screenshots come out at the stores' size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeManifestProblems } from '../../scripts/lint-chrome.mjs';
import { SIZE, storeScreenshots } from '../../scripts/store-screenshots.mjs';

const root = join(import.meta.dirname, '../..');

test('web-ext lint: the Firefox build has no error and no warning', () => {
  const out = execFileSync('npx', ['--no-install', 'web-ext', 'lint', '--source-dir', 'dist/firefox', '--output', 'json'],
    { cwd: root, encoding: 'utf8' });
  const report = JSON.parse(out.slice(out.indexOf('{')));
  assert.deepEqual([...report.errors, ...report.warnings].map((m) => `${m.code}: ${m.description}`), []);
});

test('Chromium loads the Chrome build with no error or warning, and names what is wrong in a bad one', async () => {
  assert.deepEqual(await chromeManifestProblems(join(root, 'dist/chrome')), []);

  const dir = mkdtempSync(join(tmpdir(), 'revoscope-bad-manifest-'));
  try {
    cpSync(join(root, 'dist/chrome'), dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.gecko_only_key = true;
    manifest.permissions.push('nativeMessagingTypo');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    assert.deepEqual((await chromeManifestProblems(dir)).sort(), [
      "Permission 'nativeMessagingTypo' is unknown.",
      "Unrecognized manifest key 'gecko_only_key'.",
    ]);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, name: undefined }));
    assert.match((await chromeManifestProblems(dir)).join('\n'), /^Chromium did not load it: .*'name' is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the store screenshots: popup, dashboard and options, 1280x800, in both browsers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'revoscope-screenshots-'));
  try {
    const written = await storeScreenshots(dir);
    assert.deepEqual(written.map((p) => p.slice(dir.length + 1)).sort(), ['chromium-dashboard.png', 'chromium-options.png',
      'chromium-popup.png', 'firefox-dashboard.png', 'firefox-options.png', 'firefox-popup.png']);
    for (const path of written) {
      // A PNG's IHDR: width and height, big-endian, at bytes 16 and 20.
      const png = readFileSync(path);
      assert.deepEqual({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }, SIZE, path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
