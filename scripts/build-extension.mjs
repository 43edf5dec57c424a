// Builds dist/firefox/ and dist/chrome/ from extension/ and ui/ plus the wasm
// package (crate/pkg, made by scripts/build-wasm.sh). One source, two
// manifests: extension/manifest.json holds the shared keys and, under
// "firefox" and "chrome", what each browser needs of its own.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIcons } from './make-icons.mjs';
import { localeMessages } from './locales.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = JSON.parse(readFileSync(join(root, 'extension/manifest.json'), 'utf8'));
const pkg = join(root, 'crate/pkg');
if (!existsSync(join(pkg, 'revoscope_bg.wasm'))) {
  throw new Error('crate/pkg is missing: run scripts/build-wasm.sh first');
}

export function manifestFor(browser) {
  const { firefox, chrome, ...shared } = base;
  return { ...shared, ...(browser === 'firefox' ? firefox : chrome) };
}

for (const browser of ['firefox', 'chrome']) {
  const out = join(root, 'dist', browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: {
      background: join(root, `extension/src/main-${browser}.ts`),
      panel: join(root, 'ui/panel.ts'),
      options: join(root, 'ui/options.ts'),
      dashboard: join(root, 'ui/dashboard.ts'),
      sharing: join(root, 'ui/sharing.ts'),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: ['firefox142', 'chrome120'],
    // Readable output: store reviewers read it, and it is small anyway.
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['panel.html', 'options.html', 'dashboard.html', 'style.css', 'dashboard.css', 'sharing.html', 'sharing.css']) copyFileSync(join(root, 'ui', file), join(out, file));
  // uPlot's own stylesheet, bundled like its code (no remote code).
  copyFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(out, 'uPlot.min.css'));
  copyFileSync(join(pkg, 'revoscope_bg.wasm'), join(out, 'revoscope_bg.wasm'));
  copyFileSync(join(root, 'fixtures/onecrl/onecrl.json'), join(out, 'onecrl.json'));
  for (const [lang, messages] of Object.entries(localeMessages(root))) {
    mkdirSync(join(out, '_locales', lang), { recursive: true });
    writeFileSync(join(out, '_locales', lang, 'messages.json'), `${JSON.stringify(messages, null, 2)}\n`);
  }
  const icons = writeIcons(root, out);
  const manifest = manifestFor(browser);
  manifest.icons = icons;
  manifest.action = { ...manifest.action, default_icon: { 16: icons[16], 32: icons[32] } };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`built dist/${browser}`);
}
