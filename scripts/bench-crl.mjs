// CRLs in the browser build against the same work in JavaScript: read a
// DER CRL, check it against its issuer (Name, key identifier, cRLSign, the
// ECDSA P-256 signature by WebCrypto) and index its serials, for lists of
// 1 MB and 10 MB (scripts/make-bench-crls.mjs: made once with
// `openssl ca -gencrl`, kept in target/bench/crl/). In one run, in Node, a
// headless Chromium page and a Firefox ESR page (the same code,
// scripts/bench-crl-run.mjs), cross-origin isolated for fine timers:
// - ours: CrlIndex.read, median of 21 reads after 3 s of reads (the
//   optimizing tiers); beside it the floor: the bare crypto.subtle.verify
//   the list needs, and copying its bytes once;
// - the peer: @peculiar/x509 (X509Crl, the same WebCrypto, a Map of the
//   serials to their date and reason), median of 5 reads of 1 MB and 3 of
//   10 MB after a first read of each (its reads take seconds);
// - lookups: per serial over 10,000 keys, half listed, in the lists read:
//   CrlIndex.contains against the peer's Map.has.
// Targets: ours at least 10x faster than the peer; 10 MB ready in at most
// 150 ms in each browser; a lookup at most 2 µs.
// Writes target/bench/crl.json. `node scripts/bench-crl.mjs [node]
// [chromium] [firefox] [1mb] [10mb]` runs only the hosts and lists named.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeBenchCrls, CRL_DIR, ISSUER_PEM } from './make-bench-crls.mjs';
import { makeContext, pemToDer } from './bench-crl-run.mjs';
import { launch } from './browser/launch.mjs';
import { serveBenchPage } from './browser/bench-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = 21;
const PEER_ROUNDS = { '1mb': 5, '10mb': 3 };
const WARM_UP_MS = 3000;
const TARGETS = { peer_ratio: 10, ready_ms_10mb_browser: 150, lookup_us: 2 };
const only = new Set(process.argv.slice(2));
const HOSTS = ['node', 'chromium', 'firefox'];
const wanted = (host) => !HOSTS.some((h) => only.has(h)) || only.has(host);

// --- The lists (cached), and the peer bundled once for every host. ---
const lists = makeBenchCrls();
const names = Object.keys(lists).filter((n, _, all) => !all.some((m) => only.has(m)) || only.has(n));
const X509_BUNDLE = join(CRL_DIR, 'x509.js');
await build({
  stdin: { contents: "import 'reflect-metadata';\nexport * from '@peculiar/x509';\n", resolveDir: root },
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: X509_BUNDLE, logLevel: 'warning',
});
const x509Version = JSON.parse(readFileSync(join(root, 'node_modules/@peculiar/x509/package.json'), 'utf8')).version;

/** Every measurement in one host, `call(method, ...args)` reaching its context. */
async function measure(call, log) {
  const out = { lists: {} };
  for (const name of names) {
    log(`${name}: both read it once (the peer's first read: seconds to minutes)`);
    out.lists[name] = { check: await call('check', name, lists[name].entries) };
  }
  await call('warmUp', names[0], WARM_UP_MS);
  // Ours and the lookups before the peer's timed reads, whose garbage (a
  // gigabyte or more for 10 MB) the host collects for a while after.
  for (const name of names) {
    const r = out.lists[name];
    r.ours = await call('ours', name, ROUNDS);
    Object.assign(r, await call('floor', name, ROUNDS));
    r.lookup = await call('lookups', name);
    log(`${name}: ours ${r.ours.median.toFixed(1)} ms (WebCrypto alone ${r.webcrypto.median.toFixed(1)} ms), ` +
      `a lookup ${r.lookup.ours_us.toFixed(2)} µs`);
  }
  for (const name of names) {
    const r = out.lists[name];
    const samples = [];
    for (let i = 0; i < PEER_ROUNDS[name]; i++) samples.push(await call('peerOnce', name));
    r.peer = { median: median(samples), min: Math.min(...samples), samples: samples.length, first: r.check.peer_first_ms };
    r.ratio = r.peer.median / r.ours.median;
    log(`${name}: the peer ${r.peer.median.toFixed(0)} ms, ${r.ratio.toFixed(0)}x ours`);
    await call('release', name);
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = { lists, hosts: {} };
const issuerDer = pemToDer(readFileSync(ISSUER_PEM, 'utf8'));

if (wanted('node')) {
  const { initSync, CrlIndex } = await import(join(root, 'crate/pkg/revoscope.js'));
  initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });
  const x509 = await import(X509_BUNDLE);
  const bytes = Object.fromEntries(names.map((n) => [n, new Uint8Array(readFileSync(join(root, lists[n].path)))]));
  const ctx = await makeContext({ CrlIndex, x509, issuerDer, lists: bytes });
  results.hosts.node = await measure((method, ...args) => ctx[method](...args), (m) => console.error(`node: ${m}`));
}

// The page: the wasm package, the lists, the peer's bundle, the run module.
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { CrlIndex } from '/crate/pkg/revoscope.js';
import * as x509 from '/target/bench/crl/x509.js';
import { makeContext, pemToDer } from '/scripts/bench-crl-run.mjs';
const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
window.setUp = async (names) => {
  await init({ module_or_path: '/crate/pkg/revoscope_bg.wasm' });
  const lists = {};
  for (const name of names) lists[name] = await bytes('/target/bench/crl/' + name + '.crl');
  const issuerDer = pemToDer(await (await fetch('/fixtures/pki/int-good.pem')).text());
  window.bench = await makeContext({ CrlIndex, x509, issuerDer, lists });
  return self.crossOriginIsolated;
};
</script>`;
const browsers = ['chromium', 'firefox'].filter(wanted);
if (browsers.length) {
  const server = await serveBenchPage({
    root, page: PAGE,
    allowed: /^\/(crate\/pkg|target\/bench\/crl)\/|^\/scripts\/bench-crl-run\.mjs$|^\/fixtures\/pki\/int-good\.pem$/,
  });
  const work = mkdtempSync(join(tmpdir(), 'revoscope-bench-crl-'));
  try {
    for (const kind of browsers) {
      // The peer's first read of 10 MB is one call of a minute or more.
      const b = await launch(kind, { profile: join(work, kind), roots: [], hosts: [], protocolTimeout: 30 * 60_000 });
      try {
        const page = await b.browser.newPage();
        await page.goto(server.origin);
        await page.waitForFunction(() => typeof window.setUp === 'function');
        const isolated = await page.evaluate((n) => window.setUp(n), names);
        const call = (method, ...args) => page.evaluate((m, a) => window.bench[m](...a), method, args);
        results.hosts[kind] = { isolated, ...await measure(call, (m) => console.error(`${kind}: ${m}`)) };
      } finally {
        await b.close();
      }
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

// --- Report ---
for (const [host, r] of Object.entries(results.hosts)) {
  const browser = host !== 'node';
  for (const l of Object.values(r.lists)) {
    l.ratio_ok = l.ratio >= TARGETS.peer_ratio;
    l.lookup_ok = l.lookup.ours_us <= TARGETS.lookup_us;
  }
  if (browser && r.lists['10mb']) r.lists['10mb'].ready_ok = r.lists['10mb'].ours.median <= TARGETS.ready_ms_10mb_browser;
}
results.when = new Date().toISOString();
results.rounds = ROUNDS;
results.peer_rounds = PEER_ROUNDS;
results.targets = TARGETS;
results.peer = `@peculiar/x509 ${x509Version}: X509Crl, the issuer's Name, verify() with WebCrypto, a Map of the serials`;
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/crl.json'), `${JSON.stringify(results, null, 2)}\n`);

const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const met = (ok) => (ok === undefined ? '' : ok ? ' met' : ' NOT MET');
console.log(`\ncrl: read, verify and index int-good's lists; the peer: ${results.peer}`);
for (const [host, r] of Object.entries(results.hosts)) {
  console.log(`  ${host}${r.isolated === false ? ' (not cross-origin isolated: coarse timer)' : ''}`);
  for (const [name, l] of Object.entries(r.lists)) {
    console.log(`    ${name} (${lists[name].bytes} bytes, ${lists[name].entries} entries): ours ${f(l.ours.median)} ms ` +
      `(p95 ${f(l.ours.p95)}; WebCrypto alone ${f(l.webcrypto.median)} ms, the copy ${f(l.copy.median)} ms)${l.ready_ok === undefined ? '' : ` (<= ${TARGETS.ready_ms_10mb_browser} ms:${met(l.ready_ok)})`}; ` +
      `the peer ${f(l.peer.median)} ms: ${f(l.ratio)}x (>= ${TARGETS.peer_ratio}x:${met(l.ratio_ok)}); ` +
      `lookup ${f(l.lookup.ours_us)} µs (with the entry ${f(l.lookup.ours_entry_us)} µs; the peer's Map ${f(l.lookup.peer_us)} µs; <= ${TARGETS.lookup_us} µs:${met(l.lookup_ok)})`);
  }
}
console.log('wrote target/bench/crl.json');
