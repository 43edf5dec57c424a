// Drops the "name" and "producers" custom sections from a .wasm file, in
// place: what `wasm-bindgen --remove-name-section --remove-producers-section`
// does, which wasm-pack cannot be asked for. Custom sections carry no
// semantics (WebAssembly core spec, section 5.5.3), so the module is unchanged
// in behaviour; the function names only help debuggers.
import { readFileSync, writeFileSync } from 'node:fs';

const DROP = new Set(['name', 'producers']);

function leb128(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

const file = process.argv[2];
const wasm = readFileSync(file);
if (wasm.readUInt32BE(0) !== 0x0061736d) throw new Error(`${file} is not a WebAssembly module`);
const kept = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  const [size, payload] = leb128(wasm, at);
  const end = payload + size;
  let drop = false;
  if (id === 0) {
    const [nameLen, nameAt] = leb128(wasm, payload);
    drop = DROP.has(wasm.subarray(nameAt, nameAt + nameLen).toString('utf8'));
  }
  if (!drop) kept.push(wasm.subarray(start, end));
  at = end;
}
const out = Buffer.concat(kept);
writeFileSync(file, out);
console.error(`${file}: ${wasm.length} -> ${out.length} bytes`);
