// Chrome's own verdict on a build's manifest: Chromium loads the unpacked
// extension and its extensions page lists every error and warning the
// loader found (unknown keys and permissions, keys of another manifest
// version, files it names that are missing). There is no published schema
// of Chrome's manifest; its loader is the reference.
//
//   node scripts/lint-chrome.mjs dist/chrome
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch } from './browser/launch.mjs';

/**
 * What Chromium says of the extension in `dir`: a list of messages, empty
 * when it loads cleanly. A manifest Chromium refuses to load is one message.
 */
export async function chromeManifestProblems(dir) {
  const b = await launch('chromium', { roots: [], hosts: [], enableExtensions: true });
  try {
    let id;
    try {
      id = await b.browser.installExtension(realpathSync(dir));
    } catch (e) {
      return [`Chromium did not load it: ${e.message}`];
    }
    const page = await b.browser.newPage();
    await page.goto('chrome://extensions');
    return await page.evaluate(async (id) => {
      const api = globalThis.chrome.developerPrivate;
      // The loader's warnings are kept only in developer mode: turn it on
      // and load the extension again.
      await api.updateProfileConfiguration({ inDeveloperMode: true });
      await api.reload(id, { failQuietly: false });
      // Enabled again once the reload is done (a few hundred ms).
      let info = await api.getExtensionInfo(id);
      for (let waited = 0; info.state !== 'ENABLED' && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        info = await api.getExtensionInfo(id);
      }
      return [
        ...info.manifestErrors.map((e) => e.message),
        ...info.installWarnings.map((w) => w.message),
        ...(info.state === 'ENABLED' ? [] : [`the extension is ${info.state}`]),
      ];
    }, id);
  } finally {
    await b.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'dist/chrome';
  const problems = await chromeManifestProblems(dir);
  for (const p of problems) console.error(`${dir}/manifest.json: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log(`${dir}: Chromium loads it with no error or warning`);
}
