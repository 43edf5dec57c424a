// The engine's own start-up work, in Node, split into its steps: the wasm
// module compiled and instantiated, `new Engine(onecrl)` on the 1 MB OneCRL
// dump, `setCrliteFilters` on the benchmark's set (a 5.6 MB full filter and
// 30 deltas, built by scripts/bench-crlite.mjs into target/bench/crlite).
//
// A background starts once and calls each of these once, so the figure that
// matters is the first call in a new process: V8 runs a wasm function first
// with its baseline compiler (Liftoff) and tiers it up only once it is hot
// (V8 blog, "WebAssembly Dynamic Tiering ready to try in Chrome 96"). Each
// cold sample is a new Node process; beside it, the same calls warm (the
// median of later calls in one process), which tells the code's speed from
// its first-call cost.
//
// `node scripts/bench-engine-load.mjs [rounds]` (default 9). Needs crate/pkg
// (scripts/build-wasm.sh) and target/bench/crlite. REVOSCOPE_PKG=DIR times
// another build of the package; REVOSCOPE_WASM=FILE another .wasm.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Another build of the package (to compare with the tree's), and another
// .wasm for it (the one with function names, for profiles).
const pkg = resolve(process.env.REVOSCOPE_PKG ?? join(root, 'crate/pkg'));

if (process.argv[2] === '--one') {
  // One sample: a new process, every step once, then `warm` more times.
  const warm = Number(process.argv[3] ?? 0);
  const wasm = readFileSync(process.env.REVOSCOPE_WASM ?? join(pkg, 'revoscope_bg.wasm'));
  const onecrl = readFileSync(join(root, 'fixtures/onecrl/onecrl.json'));
  const dir = join(root, 'target/bench/crlite');
  const indexJson = readFileSync(join(dir, 'index.json'), 'utf8');
  const files = JSON.parse(indexJson).filters.map((f) => new Uint8Array(readFileSync(join(dir, 'filters', f.hash))));
  const { initSync, Engine } = await import(join(pkg, 'revoscope.js'));
  const time = (fn) => {
    const t0 = performance.now();
    const out = fn();
    return [performance.now() - t0, out];
  };
  const [instantiate] = time(() => initSync({ module: wasm }));
  const run = () => {
    const [engineMs, engine] = time(() => new Engine(onecrl));
    const [crliteMs, problem] = time(() => engine.setCrliteFilters(indexJson, files));
    if (problem !== null) throw new Error(JSON.stringify(problem));
    engine.free();
    return { engine: engineMs, crlite: crliteMs };
  };
  const cold = { instantiate, ...run() };
  const later = [];
  for (let i = 0; i < warm; i++) later.push(run());
  process.stdout.write(JSON.stringify({ cold, later }));
  process.exit(0);
}

const rounds = Number(process.argv[2] ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = [];
for (let r = 0; r < rounds; r++) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', r === 0 ? '20' : '0'], { encoding: 'utf8' });
  samples.push(JSON.parse(out));
}
const cold = (key) => median(samples.map((s) => s.cold[key]));
const warm = (key) => median(samples[0].later.slice(5).map((s) => s[key]));
const f = (v) => v.toFixed(1);
console.log(`engine load in Node ${process.version}, ${rounds} new processes (median ms):`);
console.log(`  instantiate ${f(cold('instantiate'))}`);
console.log(`  new Engine(onecrl)  cold ${f(cold('engine'))}  warm ${f(warm('engine'))}`);
console.log(`  setCrliteFilters    cold ${f(cold('crlite'))}  warm ${f(warm('crlite'))}`);
console.log(`  cold total ${f(cold('instantiate') + cold('engine') + cold('crlite'))}`);
