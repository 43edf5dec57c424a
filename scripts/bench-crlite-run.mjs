// The CRLite measurements, shared by Node and the browser pages of
// scripts/bench-crlite.mjs so every host runs the same code: the filter set
// loaded into an Engine, the per-certificate query, and the peer: one live
// OCSP request (RFC 6960 A.1 GET) to the demo responder, which is what a
// browser does instead when it has no CRLite.
// Needs only the wasm package's Engine, fetch and performance.now().

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => sorted(xs)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

export function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** queries.json entries as crliteQuery's arguments. */
export function prepareQueries(raw) {
  return raw.map((q) => {
    const logIds = new Uint8Array(32 * q.scts.length);
    q.scts.forEach(([id], i) => logIds.set(hexBytes(id), 32 * i));
    return {
      class: q.class,
      expect: q.expect,
      issuer: hexBytes(q.issuer),
      serial: hexBytes(q.serial),
      logIds,
      timestamps: Float64Array.from(q.scts.map(([, ms]) => ms)),
    };
  });
}

/** ms per setCrliteFilters call: `rounds` single calls after 3 warm-ups. */
function measureLoad(engine, indexJson, files, rounds) {
  const samples = [];
  for (let r = -3; r < rounds; r++) {
    const t0 = performance.now();
    const failed = engine.setCrliteFilters(indexJson, files);
    const ms = performance.now() - t0;
    if (failed !== null) throw new Error(`setCrliteFilters: ${JSON.stringify(failed)}`);
    if (r >= 0) samples.push(ms);
  }
  return { median: median(samples), p95: percentile(samples, 95), min: sorted(samples)[0], samples: samples.length };
}

/** One crliteQuery per entry of `queries`. */
function queryAll(engine, queries) {
  for (const q of queries) engine.crliteQuery(q.issuer, q.serial, q.logIds, q.timestamps);
}

/** µs per crliteQuery over `queries`, median of `rounds` passes. */
function measureQueries(engine, queries, rounds) {
  queryAll(engine, queries);
  const perQuery = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    queryAll(engine, queries);
    perQuery.push(((performance.now() - t0) * 1000) / queries.length);
  }
  return median(perQuery);
}

/** How long the queries run before anything is timed. */
const WARM_UP_MS = 3000;

/** Runs passes of `queries` for at least `ms` milliseconds. */
function warmUp(engine, queries, ms) {
  const until = performance.now() + ms;
  while (performance.now() < until) queryAll(engine, queries);
}

/** ms per live OCSP exchange (request sent to response read), one at a time. */
async function measureOcsp(url, init, n) {
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return performance.now() - t0;
  };
  // Warm-up; a kept-alive connection the server has since closed may fail
  // once (Node's fetch does not retry it).
  for (let i = 0; i < 3; i++) await once().catch(() => once());
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await once());
  return { median: median(samples), p95: percentile(samples, 95), samples: n };
}

/**
 * Everything, in one host: {load, load_full_only, copy_ms, query_us,
 * query_us_by_class, query_full_only_us, query_no_filter_us, ocsp}. `onecrl` is a OneCRL dump (the Engine needs one),
 * `files` the filters in index order.
 */
export async function runAll({ Engine, onecrl, indexJson, files, rawQueries, ocspUrl, ocspInit, rounds = 31 }) {
  const engine = new Engine(onecrl);
  const queries = prepareQueries(rawQueries);
  // Sanity before timing: the set loads and every query gets its answer.
  const failed = engine.setCrliteFilters(indexJson, files);
  if (failed !== null) throw new Error(`setCrliteFilters: ${JSON.stringify(failed)}`);
  const wrong = queries.filter((q) => engine.crliteQuery(q.issuer, q.serial, q.logIds, q.timestamps).status !== q.expect);
  if (wrong.length) {
    const q = wrong[0];
    const got = engine.crliteQuery(q.issuer, q.serial, q.logIds, q.timestamps);
    throw new Error(`${wrong.length} of ${queries.length} queries answered wrongly; first: ${q.class}, expected ${q.expect}, got ${JSON.stringify(got)}`);
  }

  // Browsers compile wasm twice: a quick baseline first, the optimizing
  // tier later, in the background (Firefox's Ion took longer than the old
  // single warm-up pass here: the first figures came out slower than the
  // same queries measured later in the run). Time only the optimized code.
  warmUp(engine, queries, WARM_UP_MS);

  const load = measureLoad(engine, indexJson, files, rounds);
  // Where the load goes: the full filter alone, and copying the bytes once
  // (the engine's first step is copying each file into wasm memory).
  const index = JSON.parse(indexJson);
  const fullOnly = JSON.stringify({ ...index, filters: index.filters.slice(0, 1) });
  const loadFullOnly = measureLoad(engine, fullOnly, files.slice(0, 1), rounds);
  const into = new Uint8Array(files.reduce((n, f) => n + f.length, 0));
  const copies = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    let at = 0;
    for (const f of files) {
      into.set(f, at);
      at += f.length;
    }
    copies.push(performance.now() - t0);
  }
  // The query's cost per filter: the same keys against the full filter alone.
  engine.setCrliteFilters(fullOnly, files.slice(0, 1));
  const queryFullOnlyUs = measureQueries(engine, queries, 15);
  engine.setCrliteFilters(indexJson, files);

  const queryUs = measureQueries(engine, queries, 15);
  const byClass = {};
  for (const name of [...new Set(queries.map((q) => q.class))]) {
    byClass[name] = measureQueries(engine, queries.filter((q) => q.class === name), 15);
  }
  engine.free();
  // The call's floor: the same calls with no filter set, i.e. the JS->wasm
  // argument copies and the answer object alone.
  const bare = new Engine(onecrl);
  const boundaryUs = measureQueries(bare, queries, 15);
  bare.free();

  const ocsp = await measureOcsp(ocspUrl, ocspInit, 51);
  return {
    load,
    load_full_only: loadFullOnly,
    copy_ms: median(copies),
    query_us: queryUs,
    query_us_by_class: byClass,
    query_full_only_us: queryFullOnlyUs,
    query_no_filter_us: boundaryUs,
    ocsp,
  };
}
