// An extension store module (extension/src/*-store.ts) bundled and run in
// headless Chromium's IndexedDB, on a page of 127.0.0.1 (an origin of its
// own, as the extension's is), one browser per call on one profile, so that
// what a call stores is there after the "restart" the next call makes.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from './launch.mjs';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension', 'src');

/**
 * Bundles extension/src/`file` as the global `store`; answers
 * `{inPage(fn, arg), close()}`: `inPage` runs `fn(store, arg)` in a fresh
 * browser on the profile and resolves with its result.
 */
export async function storePage(file) {
  const bundle = (await build({
    entryPoints: [join(src, file)],
    bundle: true, format: 'iife', globalName: 'store', write: false, logLevel: 'warning',
  })).outputFiles[0].text;
  const server = createServer((_, res) => res.end(`<!doctype html><title>${file}</title>`));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), 'revoscope-store-'));
  return {
    async inPage(fn, arg) {
      const b = await launch('chromium', { profile, roots: [], hosts: [] });
      try {
        const page = await b.browser.newPage();
        await page.goto(origin);
        await page.addScriptTag({ content: bundle });
        return await page.evaluate(`(${fn})(store, ${JSON.stringify(arg)})`);
      } finally {
        await b.close();
      }
    },
    close() {
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
