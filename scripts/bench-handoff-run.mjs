// The verdict hand-off measured three ways, in whatever host loads this
// module (Node, or a browser page served by scripts/bench-handoff.mjs): the
// tape, serde-wasm-bindgen's json_compatible(), and a JSON string with
// JSON.parse, through the benchmark build's Engine.inspectHandoff and
// handoffAgain (crate/wasm/src/handoff.rs). No imports: the caller passes
// the package's exports in.

const MODES = ['tape', 'serde', 'json'];

/**
 * Whether `a` and `b` are the same JSON-like value, the same keys in the
 * same order included (Object.keys order is visible to the extension, in
 * JSON.stringify for one). Returns null, or the path of the first difference.
 */
function difference(a, b, path = '$') {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${JSON.stringify(a)} against ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: an array against an object`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different prototypes`;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.join('\u0000') !== keysB.join('\u0000')) return `${path}: keys [${keysA}] against [${keysB}]`;
  for (const key of keysA) {
    const found = difference(a[key], b[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

/**
 * @param {object} o
 * @param {Function} o.Engine, o.handoffAgain, and o.HandoffMode: the benchmark package's exports
 * @param {Uint8Array} o.onecrl the OneCRL snapshot
 * @param {Record<string, Uint8Array[]>} o.chains every fixture chain by name, each checked
 * @param {string} o.timed the name of the chain that is timed
 * @param {number} o.now the evaluation time (ms since the epoch)
 */
export async function runHandoff({
  Engine, HandoffMode, handoffAgain, onecrl, chains, timed, now,
  rootIsBuiltIn = false, warmUpMs = 1000, rounds = 101, verdictBatch = 40, handoffBatch = 100,
}) {
  const engine = new Engine(onecrl);
  const code = { tape: HandoffMode.Tape, serde: HandoffMode.Serde, json: HandoffMode.Json };
  // What the page path has in hand afterwards: a plain object, parsed from
  // the string in the JSON mode.
  const take = (mode, out) => (mode === HandoffMode.Json ? JSON.parse(out) : out);
  const inspect = async (chain, mode) => take(mode, await engine.inspectHandoff(chain, now, rootIsBuiltIn, mode));
  const again = (mode) => take(mode, handoffAgain(mode));

  // Every chain: the three modes, and each again, give what the shipped
  // Engine.inspect gives (the same options as the extension, live OCSP
  // off). Twice, so that the second pass meets the certificate cache.
  for (let pass = 0; pass < 2; pass++) {
    for (const [name, chain] of Object.entries(chains)) {
      const shipped = await engine.inspect(chain, undefined, now, rootIsBuiltIn, { fetch: false, stapleHidden: true });
      for (const mode of MODES) {
        for (const [how, got] of [['inspectHandoff', await inspect(chain, code[mode])], ['handoffAgain', again(code[mode])]]) {
          const found = difference(got, shipped);
          if (found) throw new Error(`${name}, ${mode} (${how}) differs from Engine.inspect at ${found}`);
        }
      }
    }
  }
  const chain = chains[timed];
  // The timed chain's result is the one handoffAgain hands over from here on.
  const sample = await inspect(chain, code.json);
  let sink = 0;

  // Per call, in µs, the mean of a batch of `batch` calls.
  const verdictBatchUs = async (mode) => {
    const t0 = performance.now();
    for (let i = 0; i < verdictBatch; i++) sink += (await inspect(chain, mode)).verdict.certificates.length;
    return ((performance.now() - t0) * 1000) / verdictBatch;
  };
  const handoffBatchUs = async (mode) => {
    const t0 = performance.now();
    for (let i = 0; i < handoffBatch; i++) sink += again(mode).verdict.certificates.length;
    return ((performance.now() - t0) * 1000) / handoffBatch;
  };

  // Untimed first, each mode and each measure at least warmUpMs: browsers
  // compile wasm and JavaScript in tiers, the optimizing one later.
  for (const mode of MODES) {
    for (const measure of [verdictBatchUs, handoffBatchUs]) {
      const until = performance.now() + warmUpMs;
      do {
        await measure(code[mode]);
      } while (performance.now() < until);
    }
  }

  // Interleaved rounds, the modes' order turning each round, so that a
  // slow spell of the machine falls on every mode alike.
  const verdict = { tape: [], serde: [], json: [] };
  const handoff = { tape: [], serde: [], json: [] };
  for (let round = 0; round < rounds; round++) {
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
    for (const mode of order) verdict[mode].push(await verdictBatchUs(code[mode]));
    for (const mode of order) handoff[mode].push(await handoffBatchUs(code[mode]));
  }

  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
  };
  const modes = {};
  for (const mode of MODES) {
    const v = stats(verdict[mode]);
    const h = stats(handoff[mode]);
    modes[mode] = { verdict_us_median: v.median, verdict_us_p95: v.p95, handoff_us_median: h.median, handoff_us_p95: h.p95 };
  }
  return {
    ...modes,
    rounds, verdict_batch: verdictBatch, handoff_batch: handoffBatch, warm_up_ms_per_mode_and_measure: warmUpMs,
    checked_chains: Object.keys(chains),
    result_json_bytes: JSON.stringify(sample).length,
    sink,
  };
}
