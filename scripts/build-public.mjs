// Builds dist/public/: the public measurement dashboard (ui/public.html), a
// plain web page that draws a collector's aggregates. The collector serves
// it under /dashboard/ (`--dashboard dist/public`); any static host does too.
// No wasm and no extension API: it needs only ui/ and uPlot.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localeMessages } from './locales.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/public');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { public: join(root, 'ui/public.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['firefox115', 'chrome110', 'safari16'],
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // The shared view modules' words: the extension's English messages
  // (ui/public-english.ts), without the translators' descriptions.
  define: { ENGLISH_MESSAGES: JSON.stringify(Object.fromEntries(Object.entries(localeMessages(root).en).map(([key, { message }]) => [key, { message }]))) },
});
for (const file of ['public.html', 'style.css', 'dashboard.css', 'public.css']) copyFileSync(join(root, 'ui', file), join(out, file));
// uPlot's own stylesheet, bundled like its code (no remote code).
copyFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(out, 'uPlot.min.css'));
console.log('built dist/public');
