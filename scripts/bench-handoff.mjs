// The verdict hand-off, three ways in the same run: does the tape
// (crate/wasm/src/tape.rs and tape.js) save at least 10 % of the
// response-to-verdict time in a browser, against serde-wasm-bindgen's
// json_compatible() and against a JSON string with JSON.parse?
//
// Builds the engine with the feature `handoff-bench` (crate/wasm/src/
// handoff.rs; never in the shipped package) into target/bench/handoff-pkg,
// with a cargo target directory of its own (target/bench/handoff-target) so
// that the shipped build's artifacts are left alone. Then runs
// scripts/bench-handoff-run.mjs in a headless Chromium page and a Firefox
// ESR page (cross-origin isolated, so performance.now() is fine-grained),
// and in Node: every fixture chain (fixtures/pki/chains/) checked to come
// out deep-equal in the three modes and from the shipped Engine.inspect (a
// mismatch aborts), then leaf-90d.pem (3 certificates) timed, CA
// certificates cached as on the page path, after 1 s of untimed calls per
// mode and measure, in interleaved rounds of
// - response to verdict: chain bytes in, the JS result object out
//   (Engine.inspect's steps with live OCSP off, as the extension calls it);
// - the hand-off alone: the same result handed over again.
// Writes target/bench/handoff.json. `node scripts/bench-handoff.mjs [node]
// [chromium] [firefox]` runs only the hosts named.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser/launch.mjs';
import { runHandoff } from './bench-handoff-run.mjs';
import { serveBenchPage } from './browser/bench-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = 'target/bench/handoff-pkg';
const TIMED = 'leaf-90d';
// The time scripts/bench.mjs evaluates at: every fixture certificate valid.
const NOW = Date.parse('2026-11-21T12:00:00Z');
// The tape stays only if it saves this share of the response-to-verdict
// time against the better of the two alternatives.
const KEEP_SHARE = 0.1;
const only = new Set(process.argv.slice(2));
const wanted = (what) => only.size === 0 || only.has(what);

// --- The benchmark build. --out-dir is relative to the crate. ---
const env = {
  ...process.env,
  PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}`,
  CARGO_TARGET_DIR: join(root, 'target/bench/handoff-target'),
};
execFileSync('wasm-pack', ['build', 'crate/wasm', '--release', '--target', 'web', '--out-dir', `../../${PKG}`,
  '--out-name', 'revoscope', '--no-pack', '--', '--features', 'handoff-bench'], { cwd: root, env, stdio: 'inherit' });

const chainFiles = readdirSync(join(root, 'fixtures/pki/chains')).filter((f) => f.endsWith('.pem')).sort();
const pemChain = (text) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));

const results = { chain: `fixtures/pki/chains/${TIMED}.pem`, browsers: {} };

// The page: the benchmark package, the fixtures, the run module. COOP and
// COEP make it cross-origin isolated, so performance.now() is coarsened to
// 5 µs rather than 100 µs or more (MDN, "DOMHighResTimeStamp", Security
// requirements); batches of calls are timed, never one call.
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { Engine, HandoffMode, handoffAgain } from '/${PKG}/revoscope.js';
import { runHandoff } from '/scripts/bench-handoff-run.mjs';
const pemChain = (text) => [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => Uint8Array.from(atob(m[1].replace(/\\s+/g, '')), (c) => c.charCodeAt(0)));
window.runBench = async (files, timed, now) => {
  await init({ module_or_path: '/${PKG}/revoscope_bg.wasm' });
  const onecrl = new Uint8Array(await (await fetch('/fixtures/onecrl/onecrl.json')).arrayBuffer());
  const chains = {};
  for (const file of files) chains[file.replace(/\\.pem$/, '')] = pemChain(await (await fetch('/fixtures/pki/chains/' + file)).text());
  const out = await runHandoff({ Engine, HandoffMode, handoffAgain, onecrl, chains, timed, now });
  return { ...out, isolated: self.crossOriginIsolated, user_agent: navigator.userAgent };
};
</script>`;
const server = await serveBenchPage({ root, page: PAGE, allowed: /^\/(target\/bench\/handoff-pkg|fixtures\/onecrl|fixtures\/pki\/chains)\/|^\/scripts\/bench-handoff-run\.mjs$/, isolation: 'require-corp' });
const { origin } = server;

const work = mkdtempSync(join(tmpdir(), 'revoscope-bench-handoff-'));
try {
  for (const kind of ['chromium', 'firefox']) {
    if (!wanted(kind)) continue;
    const b = await launch(kind, { profile: join(work, kind), roots: [], hosts: [] });
    try {
      const page = await b.browser.newPage();
      await page.goto(origin);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      results.browsers[kind] = await page.evaluate((files, timed, now) => window.runBench(files, timed, now), chainFiles, TIMED, NOW);
    } finally {
      await b.close();
    }
  }
  if (wanted('node')) {
    const { initSync, Engine, HandoffMode, handoffAgain } = await import(join(root, PKG, 'revoscope.js'));
    initSync({ module: readFileSync(join(root, PKG, 'revoscope_bg.wasm')) });
    const chains = Object.fromEntries(chainFiles.map((f) => [f.replace(/\.pem$/, ''), pemChain(readFileSync(join(root, 'fixtures/pki/chains', f), 'utf8'))]));
    results.node = await runHandoff({
      Engine, HandoffMode, handoffAgain, onecrl: new Uint8Array(readFileSync(join(root, 'fixtures/onecrl/onecrl.json'))), chains, timed: TIMED, now: NOW,
    });
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

// --- The saving: the tape against the better alternative, as a share of
// that alternative's response-to-verdict time (what dropping the tape would
// cost the page path). ---
const saving = (r) => {
  const best = r.serde.verdict_us_median <= r.json.verdict_us_median ? 'serde' : 'json';
  const alternative = r[best].verdict_us_median;
  const share = (alternative - r.tape.verdict_us_median) / alternative;
  return { best_alternative: best, saving_us: alternative - r.tape.verdict_us_median, saving_share: share, keep_tape: share >= KEEP_SHARE };
};
for (const r of [...Object.values(results.browsers), results.node].filter(Boolean)) r.saving = saving(r);
results.when = new Date().toISOString();
results.keep_share = KEEP_SHARE;
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/handoff.json'), `${JSON.stringify(results, null, 2)}\n`);

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (v) => `${(v * 100).toFixed(1)} %`;
console.log(`\nverdict hand-off, ${results.chain} (median µs, p95 in brackets; every fixture chain deep-equal in all modes):`);
for (const [host, r] of [...Object.entries(results.browsers), ...(results.node ? [['node', results.node]] : [])]) {
  console.log(`  ${host}${r.isolated === false ? ' (not cross-origin isolated: coarse timer)' : ''}, result ${r.result_json_bytes} bytes of JSON`);
  for (const mode of ['tape', 'serde', 'json']) {
    const m = r[mode];
    console.log(`    ${mode.padEnd(5)} response to verdict ${f(m.verdict_us_median)} (${f(m.verdict_us_p95)}), hand-off alone ${f(m.handoff_us_median)} (${f(m.handoff_us_p95)})`);
  }
  const s = r.saving;
  console.log(`    the tape saves ${f(s.saving_us)} µs, ${pct(s.saving_share)} of ${s.best_alternative}'s response to verdict: ` +
    `${s.keep_tape ? 'keep it' : `under ${pct(KEEP_SHARE)}`}`);
}
console.log('wrote target/bench/handoff.json');
