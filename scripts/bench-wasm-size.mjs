// The browser build's .wasm by crate: twiggy (`twiggy top`, the shallow size
// of every function and data item) over the build with function names
// (target/wasm-names, kept by scripts/build-wasm.sh), each item counted to
// the crate its name starts with. Beside it the shipped module's raw and
// gzipped size (level 9, as the stores serve it compressed). Writes
// target/bench/wasm-size.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const named = join(root, 'target/wasm-names/revoscope_bg.wasm');
const shipped = join(root, 'crate/pkg/revoscope_bg.wasm');

/**
 * The crate an item belongs to, from its demangled name: the first path
 * segment (`core[1a2b]::` is core), looking through `&`, `dyn`, and
 * `<T as Trait>` where `T` is a generic or a primitive (then the trait's
 * crate); names without a path are grouped as what they are. `null` for
 * custom sections, which the shipped module does not carry.
 */
function crateOf(name) {
  if (/subsection|custom section/.test(name)) return null;
  if (name.startsWith('data segment') || name.startsWith('data[')) return '(data)';
  if (name.startsWith('import ')) return '(imports)';
  let rest = name.replace(/^[<&\s]*(?:(?:dyn|mut)\s+)*/, '');
  // `<T as der::Encode>`, `<f64 as zmij::...>`: the trait's crate.
  const as = /^([A-Za-z_][A-Za-z0-9_]*) as (.*)$/.exec(rest);
  if (as) rest = as[2].replace(/^[<&\s]*/, '');
  const path = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(rest);
  if (path) return path[1];
  if (/^(table|elem|type|export|global|memory)\b/.test(name)) return '(module structure)';
  if (/^[a-z][A-Za-z0-9]*$/.test(name)) return '(exports)';
  return '(unnamed)';
}

const items = JSON.parse(execFileSync('twiggy', ['top', '--format', 'json', '-n', '1000000', named], { maxBuffer: 256 << 20 }).toString());
const byCrate = new Map();
let total = 0;
for (const item of items) {
  const name = crateOf(item.name);
  if (name === null) continue;
  total += item.shallow_size;
  byCrate.set(name, (byCrate.get(name) ?? 0) + item.shallow_size);
}
const crates = [...byCrate].sort((a, b) => b[1] - a[1])
  .map(([name, bytes]) => ({ crate: name, bytes, share: bytes / total }));
const bytes = readFileSync(shipped);
const result = {
  when: new Date().toISOString(),
  raw_bytes: bytes.length,
  gzip_bytes: gzipSync(bytes, { level: 9 }).length,
  profiled_bytes: total,
  crates,
};
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/wasm-size.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`.wasm: ${(result.gzip_bytes / 1024).toFixed(0)} KB gzipped, ${(result.raw_bytes / 1024).toFixed(0)} KB raw; by crate (twiggy):`);
for (const c of crates.slice(0, 12)) console.log(`  ${c.crate.padEnd(24)} ${(c.bytes / 1024).toFixed(1).padStart(8)} KB  ${(c.share * 100).toFixed(1).padStart(5)} %`);
console.log('wrote target/bench/wasm-size.json');
