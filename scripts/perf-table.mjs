// docs/performance.md from what the benchmarks wrote into target/bench/:
// the machine and the date at the top, then one table (measurement | ours |
// peer/floor | ratio | target) and what each row measures. `npm run bench`
// runs it last; `npm run bench:table` runs it alone (say, after running one
// benchmark script by hand). No dependencies.
//
//   node scripts/perf-table.mjs [--in DIR] [--out FILE] [--note TEXT]
//
// --in defaults to target/bench, --out to docs/performance.md; --note adds a
// paragraph under the header. A file that is missing or does not read gives
// its rows "not measured in this run"; so does a part a partial run left out
// (`node scripts/bench-crlite.mjs node` measures no browser).
//
// What it reads, and the fields it uses:
// - summary.json (scripts/bench.mjs): metrics.<name>.value for
//   evaluate_chain3_wasm_us, evaluate_chain3_wasm_cold_us,
//   evaluate_chain3_js_peer_us, snapshot_load_wasm_ms,
//   snapshot_load_js_peer_ms, ocsp_validate_{p256,p384,rsa2048}_wasm_us and
//   _js_peer_us, ocsp_request_wasm_us, ocsp_request_js_peer_us,
//   wasm_gzip_bytes, wasm_raw_bytes; telemetry_record.metrics.<name>.value
//   for {typical,full}_day_wasm_us and _js_peer_us.
// - ocsp-browsers.json (scripts/bench-browser-ocsp.mjs): {chromium, firefox}
//   each {p256, p384, rsa2048: µs, webcrypto_floor: {p256, p384, p384_only,
//   rsa2048: µs}}.
// - extension.json (scripts/bench-extension.mjs): rounds,
//   page_load_ms_with_extension, page_load_ms_without_extension,
//   page_load_ms_floor, page_load_ratio, page_load_ratio_floor,
//   page_load_ratio_over_floor, response_to_verdict_ms_median and _max.
// - cold-start.json (scripts/bench-cold-start.mjs): when, rounds,
//   crlite_set.{full_bytes, deltas}, browsers.{chromium, firefox-esr}.
//   {ready_ms_median, floor_ms_median, ready_ms_p95, ready_ms_min,
//   floor_ms_min, floor_engine_wasm_ms_median}: the median time from the
//   background's start to the engine ready with OneCRL and CRLite loaded,
//   and the same for a floor (and for the floor with the engine's .wasm);
//   and cases.onecrl.{ours, floor, floor_engine_wasm}.{median, p95, min},
//   the same with OneCRL only (the default policy with crlite: disabled).
// - dashboard.json (scripts/bench-dashboard.mjs): when, rounds,
//   browsers.{firefox-esr, chromium}.{render_ms_90_days_median,
//   render_ms_1_day_median, ratio_90_days_over_1_day, first_open_90_days_ms}.
// - crlite.json (scripts/bench-crlite.mjs): when, shape.{deltas,
//   full_bytes}, hosts.{node, chromium, firefox}.{load.{median, p95},
//   query_us, query_no_filter_us, ocsp.median, ratio_ocsp_over_query}.
// - collector.json (collector/examples/bench.rs, scripts/bench-collector.sh):
//   ingest.{reports, connections, stores.{sqlite, clickhouse}.{collector.
//   per_second, peer.per_second, ratio}}; aggregates.{reports, days,
//   stores.{sqlite, clickhouse}.{rollups_ms, naive_ms, http_ms.median}}.
// - handoff.json (scripts/bench-handoff.mjs): when, keep_share,
//   browsers.{chromium, firefox}.{tape, serde, json}.{verdict_us_median,
//   verdict_us_p95, handoff_us_median, handoff_us_p95}.
// - crl.json (scripts/bench-crl.mjs): when, targets.{peer_ratio,
//   ready_ms_10mb_browser, lookup_us}, lists.{1mb, 10mb}.{bytes, entries},
//   hosts.{node, chromium, firefox}.lists.{1mb, 10mb}.{ours.{median, p95},
//   webcrypto.median, peer.median, ratio, lookup.{ours_us, ours_entry_us,
//   peer_us}}.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) {
    console.error(`perf-table: ${name} needs a value`);
    process.exit(1);
  }
  return value;
}
const inDir = option('--in', join(root, 'target/bench'));
const outFile = option('--out', join(root, 'docs/performance.md'));
const note = option('--note', null);

// ---------------------------------------------------------------------------
// The inputs.

const FILES = ['summary.json', 'ocsp-browsers.json', 'extension.json', 'cold-start.json', 'dashboard.json', 'crlite.json', 'crl.json', 'collector.json', 'handoff.json', 'wasm-size.json'];

/** {data, date, problem} of one file; data is {} when it is missing or unreadable. */
function load(name) {
  const path = join(inDir, name);
  if (!existsSync(path)) return { data: {}, date: null, problem: 'missing' };
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (data === null || typeof data !== 'object') throw new Error('not a JSON object');
    // The run's own date where the file has one, else when it was written.
    const when = typeof data.when === 'string' && !Number.isNaN(Date.parse(data.when)) ? new Date(data.when) : statSync(path).mtime;
    return { data, date: when, problem: null };
  } catch (e) {
    return { data: {}, date: null, problem: `unreadable: ${e.message}` };
  }
}
const input = Object.fromEntries(FILES.map((name) => [name, load(name)]));
const summary = input['summary.json'].data;
const ocspBrowsers = input['ocsp-browsers.json'].data;
const extension = input['extension.json'].data;
const coldStart = input['cold-start.json'].data;
const dashboard = input['dashboard.json'].data;
const crlite = input['crlite.json'].data;
const collector = input['collector.json'].data;
const handoff = input['handoff.json'].data;
const crl = input['crl.json'].data;
const wasmSize = input['wasm-size.json'].data;

// ---------------------------------------------------------------------------
// Numbers as the table shows them.

const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const grouped = (n) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** Three significant digits, thousands grouped from 1,000 up. */
const num = (v) => (Math.abs(v) >= 1000 ? grouped(v) : String(Number(v.toPrecision(3))));
/** `v` with its unit, or undefined when there is no figure. */
const show = (v, unit, scale = 1) => (finite(v) ? `${num(v * scale)} ${unit}` : undefined);
const us = (v) => show(v, 'µs');
const ms = (v, scale = 1) => show(v, 'ms', scale);
const perSecond = (v) => show(v, 'reports/s');
const kb = (bytes) => show(bytes, 'KB', 1 / 1024);
const percent = (v) => (finite(v) ? `${num(v * 100)} %` : undefined);
const times = (v) => (finite(v) ? `${num(v)}x` : undefined);
/** A peer's time over ours, read as how many times faster (or slower) ours is. */
const faster = (v) => (!finite(v) || v <= 0 ? undefined : v >= 1 ? `${num(v)}x faster` : `${num(1 / v)}x slower`);
const div = (a, b) => (finite(a) && finite(b) && b !== 0 ? a / b : undefined);
/** "main (extra)", leaving out the parts that have no figure. */
const withExtra = (main, extra) => (main === undefined ? undefined : extra === undefined ? main : `${main} (${extra})`);
const labelled = (label, value) => (value === undefined ? undefined : `${label}: ${value}`);

/** A target's text, with whether this run met it when that is known. */
function target(text, ok) {
  if (ok === undefined) return text;
  return `${text}: ${ok ? 'met' : '**not met**'}`;
}

const NOT_MEASURED = 'not measured in this run';
const rows = [];
/**
 * One row. `ours` undefined means the run has no figure for it: the row
 * then says so, and shows the target without a verdict.
 */
function row(measurement, { ours, peer, ratio, target: goal = '', ok }) {
  if (ours === undefined) {
    rows.push([measurement, NOT_MEASURED, '', '', goal]);
  } else {
    rows.push([measurement, ours, peer ?? '', ratio ?? '', target(goal, ok)]);
  }
}

// ---------------------------------------------------------------------------
// The rows.

// The engine in wasm, in Node (scripts/bench.mjs).
const metric = (name) => summary.metrics?.[name]?.value;
const telemetryMetric = (name) => summary.telemetry_record?.metrics?.[name]?.value;
{
  const warm = metric('evaluate_chain3_wasm_us');
  const cold = metric('evaluate_chain3_wasm_cold_us');
  const peer = metric('evaluate_chain3_js_peer_us');
  const speedUp = div(peer, warm);
  row('Evaluate a 3-certificate chain, wasm in Node, CA certificates cached', {
    ours: us(warm), peer: labelled('@peculiar/x509', us(peer)), ratio: faster(speedUp),
    target: '≥ 50x faster', ok: finite(speedUp) ? speedUp >= 50 : undefined,
  });
  const coldUp = div(peer, cold);
  row('Same, nothing cached (every certificate parsed)', {
    ours: us(cold), peer: labelled('@peculiar/x509', us(peer)), ratio: faster(coldUp),
  });
  const load = metric('snapshot_load_wasm_ms');
  const loadPeer = metric('snapshot_load_js_peer_ms');
  const loadUp = div(loadPeer, load);
  row('Load and index the bundled OneCRL snapshot', {
    ours: ms(load), peer: labelled('JSON.parse and a Map', ms(loadPeer)), ratio: faster(loadUp),
  });
  for (const [alg, label] of [['p256', 'P-256'], ['p384', 'P-384, delegated'], ['rsa2048', 'RSA-2048, delegated']]) {
    const ours = metric(`ocsp_validate_${alg}_wasm_us`);
    const peer = metric(`ocsp_validate_${alg}_js_peer_us`);
    const up = div(peer, ours);
    row(`Validate an OCSP response (${label}), Node's WebCrypto`, {
      ours: ms(ours, 1 / 1000), peer: labelled('pkijs', ms(peer, 1 / 1000)), ratio: faster(up),
    });
  }
  const request = metric('ocsp_request_wasm_us');
  const requestPeer = metric('ocsp_request_js_peer_us');
  const requestUp = div(requestPeer, request);
  row('Build an OCSP request from two DER certificates', {
    ours: us(request), peer: labelled('pkijs', us(requestPeer)), ratio: faster(requestUp),
  });
  for (const [day, label] of [['typical_day', 'a typical day (20 responders)'], ['full_day', 'a full day (200 responders, the bound)']]) {
    const ours = telemetryMetric(`${day}_wasm_us`);
    const peer = telemetryMetric(`${day}_js_peer_us`);
    const up = div(peer, ours);
    row(`Record one page load in ${label}`, {
      ours: us(ours), peer: labelled('a JavaScript day object', us(peer)), ratio: faster(up),
    });
  }
  const gzip = metric('wasm_gzip_bytes');
  row('The browser build\'s .wasm, gzipped (level 9)', {
    ours: withExtra(kb(gzip), labelled('raw', kb(metric('wasm_raw_bytes')))), target: 'reported',
  });
}

// The .wasm by crate (scripts/bench-wasm-size.mjs, twiggy).
{
  const crates = wasmSize?.crates;
  row('The browser build\'s .wasm by crate (twiggy, shallow sizes of the build with names), the largest', {
    ours: Array.isArray(crates) && crates.length
      ? crates.slice(0, 8).map((c) => `${c.crate} ${kb(c.bytes)} (${percent(c.share)})`).join('; ')
      : undefined,
    target: 'reported',
  });
}

// OCSP validation in browser pages (scripts/bench-browser-ocsp.mjs).
for (const [kind, browser] of [['chromium', 'Chromium'], ['firefox', 'Firefox ESR']]) {
  const results = ocspBrowsers[kind] ?? {};
  const floors = results.webcrypto_floor ?? {};
  for (const [alg, label] of [['p256', 'P-256'], ['p384', 'P-384, delegated'], ['rsa2048', 'RSA-2048, delegated']]) {
    const ours = results[alg];
    const floor = floors[alg];
    const share = finite(ours) && finite(floor) ? ours - floor : undefined;
    const bare384 = alg === 'p384' ? labelled('one P-384 verification alone', ms(floors.p384_only, 1 / 1000)) : undefined;
    row(`Validate an OCSP response (${label}) in a ${browser} page`, {
      ours: ms(ours, 1 / 1000),
      peer: withExtra(labelled('the bare WebCrypto calls', ms(floor, 1 / 1000)), bare384),
      ratio: withExtra(times(div(ours, floor)), finite(share) ? `${share < 0 ? '−' : '+'}${num(Math.abs(share) / 1000)} ms` : undefined),
      target: 'engine\'s share ≤ 0.3 ms', ok: finite(share) ? share <= 300 : undefined,
    });
  }
}

// The extension in Firefox (scripts/bench-extension.mjs).
{
  const withExt = extension.page_load_ms_with_extension;
  const rounds = finite(extension.rounds) ? `, ${extension.rounds} rounds` : '';
  row(`Firefox page load with the extension, median${rounds}`, {
    ours: ms(withExt),
    peer: labelled('the floor extension', ms(extension.page_load_ms_floor)),
    ratio: times(extension.page_load_ratio_over_floor),
    target: '≤ 1.02x the floor', ok: finite(extension.page_load_ratio_over_floor) ? extension.page_load_ratio_over_floor <= 1.02 : undefined,
  });
  row('Same, against no extension', {
    ours: ms(withExt),
    peer: withExtra(labelled('no extension', ms(extension.page_load_ms_without_extension)),
      labelled('the floor extension', times(extension.page_load_ratio_floor))),
    ratio: times(extension.page_load_ratio),
  });
  row('Firefox, response to the verdict stored for the panel, no live OCSP, median', {
    ours: withExtra(ms(extension.response_to_verdict_ms_median), labelled('max', ms(extension.response_to_verdict_ms_max))),
  });
}

// The verdict hand-off three ways (scripts/bench-handoff.mjs): the tape
// stays if it saves keep_share of the response-to-verdict time against the
// better alternative.
{
  const keep = finite(handoff.keep_share) ? handoff.keep_share : 0.1;
  const ALTERNATIVES = [['serde', 'serde-wasm-bindgen'], ['json', 'JSON.parse']];
  for (const [kind, browser] of [['chromium', 'Chromium'], ['firefox', 'Firefox ESR']]) {
    const r = handoff.browsers?.[kind] ?? {};
    const tape = r.tape ?? {};
    const alternatives = ALTERNATIVES.filter(([mode]) => finite(r[mode]?.verdict_us_median));
    const [best, bestLabel] = alternatives.reduce((a, b) => (r[b[0]].verdict_us_median < r[a[0]].verdict_us_median ? b : a), alternatives[0] ?? []);
    const alternative = r[best]?.verdict_us_median;
    const share = div(finite(alternative) ? alternative - tape.verdict_us_median : undefined, alternative);
    const peers = (field) => ALTERNATIVES.map(([mode, label]) => labelled(label, us(r[mode]?.[field]))).filter(Boolean).join('; ') || undefined;
    row(`Verdict hand-off, tape vs serde-wasm-bindgen vs JSON, ${browser} page: response to verdict, median`, {
      ours: withExtra(labelled('tape', us(tape.verdict_us_median)), labelled('p95', us(tape.verdict_us_p95))),
      peer: peers('verdict_us_median'),
      ratio: !finite(share) ? undefined
        : share >= 0 ? `the tape saves ${percent(share)} of ${bestLabel}'s time` : `the tape takes ${percent(-share)} longer than ${bestLabel}`,
      target: `keep the tape if it saves ≥ ${num(keep * 100)} %`, ok: finite(share) ? share >= keep : undefined,
    });
    row(`Same, the hand-off alone (the result converted again), ${browser}, median`, {
      ours: withExtra(labelled('tape', us(tape.handoff_us_median)), labelled('p95', us(tape.handoff_us_p95))),
      peer: peers('handoff_us_median'),
      ratio: labelled('share of the tape\'s response to verdict', percent(div(tape.handoff_us_median, tape.verdict_us_median))),
    });
  }
}

// Cold start: background start to the engine ready with OneCRL and CRLite
// (scripts/bench-cold-start.mjs).
{
  const full = finite(coldStart.crlite_set?.full_bytes) ? `${num(coldStart.crlite_set.full_bytes / 1e6)} MB` : undefined;
  const set = full && finite(coldStart.crlite_set?.deltas) ? `the ${full} CRLite set (${coldStart.crlite_set.deltas} deltas)` : 'CRLite';
  const rounds = finite(coldStart.rounds) ? `, ${coldStart.rounds} rounds` : '';
  const spread = (...parts) => parts.filter(Boolean).join('; ') || undefined;
  for (const [kind, browser, chromium] of [['chromium', 'Chromium', true], ['firefox-esr', 'Firefox ESR', false]]) {
    const r = coldStart.browsers?.[kind];
    // Firefox's row only once it is measured: the target is Chromium's.
    if (!chromium && r === undefined) continue;
    const ratio = div(r?.ready_ms_median, r?.floor_ms_median);
    const ok = finite(ratio) ? ratio <= 1.5 && (!chromium || r.ready_ms_median <= 100) : undefined;
    row(`Cold start in ${browser}: background start to the engine ready with OneCRL and ${set}, median${rounds}`, {
      ours: withExtra(ms(r?.ready_ms_median), spread(labelled('p95', ms(r?.ready_ms_p95)), labelled('min', ms(r?.ready_ms_min)))),
      peer: withExtra(labelled('floor', ms(r?.floor_ms_median)), spread(labelled('min', ms(r?.floor_ms_min)),
        labelled('with the engine\'s .wasm', ms(r?.floor_engine_wasm_ms_median)))),
      ratio: times(ratio),
      target: chromium ? '≤ 1.5x the floor and ≤ 100 ms' : '≤ 1.5x the floor', ok,
    });
    const c = r?.cases?.onecrl;
    if (c === undefined) continue;
    const ratioOnecrl = div(c.ours?.median, c.floor?.median);
    row(`Same, OneCRL only (the default policy, crlite disabled), ${browser}`, {
      ours: withExtra(ms(c.ours?.median), spread(labelled('p95', ms(c.ours?.p95)), labelled('min', ms(c.ours?.min)))),
      peer: withExtra(labelled('floor', ms(c.floor?.median)), spread(labelled('min', ms(c.floor?.min)),
        labelled('with the engine\'s .wasm', ms(c.floor_engine_wasm?.median)))),
      ratio: times(ratioOnecrl),
      target: '≤ 1.5x the floor', ok: finite(ratioOnecrl) ? ratioOnecrl <= 1.5 : undefined,
    });
  }
}

// The telemetry dashboard (scripts/bench-dashboard.mjs).
for (const [kind, browser] of [['firefox-esr', 'Firefox ESR'], ['chromium', 'Chromium']]) {
  const r = dashboard.browsers?.[kind] ?? {};
  row(`Dashboard drawn with 90 days of data, ${browser}, median`, {
    ours: withExtra(ms(r.render_ms_90_days_median), labelled('first open after a browser start', ms(r.first_open_90_days_ms))),
    peer: labelled('the same page with 1 day', ms(r.render_ms_1_day_median)),
    ratio: times(r.ratio_90_days_over_1_day),
  });
}

// CRLite in the browser build (scripts/bench-crlite.mjs).
{
  const deltas = crlite.shape?.deltas;
  const full = finite(crlite.shape?.full_bytes) ? `${num(crlite.shape.full_bytes / 1e6)} MB` : undefined;
  const set = full && finite(deltas) ? `a ${full} full filter and ${deltas} deltas` : 'the benchmark\'s filter set';
  for (const [kind, host] of [['node', 'Node'], ['chromium', 'Chromium'], ['firefox', 'Firefox ESR']]) {
    const r = crlite.hosts?.[kind] ?? {};
    row(`CRLite: load ${set}, ${host}, median`, {
      ours: withExtra(ms(r.load?.median), labelled('p95', ms(r.load?.p95))),
    });
  }
  for (const [kind, host] of [['node', 'Node'], ['chromium', 'Chromium'], ['firefox', 'Firefox ESR']]) {
    const r = crlite.hosts?.[kind] ?? {};
    const ratio = r.ratio_ocsp_over_query ?? div(finite(r.ocsp?.median) ? r.ocsp.median * 1000 : undefined, r.query_us);
    row(`CRLite: query one certificate, ${host}, median`, {
      ours: withExtra(us(r.query_us), labelled('the call alone', us(r.query_no_filter_us))),
      peer: labelled('one live OCSP GET on loopback', ms(r.ocsp?.median)),
      ratio: faster(ratio),
    });
  }
}

// CRLs read, verified and indexed by the browser build (scripts/bench-crl.mjs).
{
  const goals = { ratio: 10, ready: 150, lookup: 2, ...crl.targets && {
    ratio: crl.targets.peer_ratio, ready: crl.targets.ready_ms_10mb_browser, lookup: crl.targets.lookup_us } };
  const HOSTS = [['node', 'Node'], ['chromium', 'Chromium'], ['firefox', 'Firefox ESR']];
  for (const [size, label] of [['1mb', '1 MB'], ['10mb', '10 MB']]) {
    const shape = crl.lists?.[size];
    const list = finite(shape?.entries) ? `a ${label} CRL (${grouped(shape.entries)} entries)` : `a ${label} CRL`;
    for (const [kind, host] of HOSTS) {
      const r = crl.hosts?.[kind]?.lists?.[size];
      const ratio = r?.ratio ?? div(r?.peer?.median, r?.ours?.median);
      const browser = kind !== 'node';
      const ready = size === '10mb' && browser;
      const ok = finite(ratio) ? ratio >= goals.ratio && (!ready || r.ours.median <= goals.ready) : undefined;
      row(`CRL: read, verify and index ${list}, ${host}, median`, {
        ours: withExtra(ms(r?.ours?.median), [labelled('p95', ms(r?.ours?.p95)), labelled('WebCrypto\'s check alone', ms(r?.webcrypto?.median))].filter(Boolean).join('; ') || undefined),
        peer: labelled('@peculiar/x509', ms(r?.peer?.median)),
        ratio: faster(ratio),
        target: ready ? `≥ ${goals.ratio}x faster and ≤ ${goals.ready} ms` : `≥ ${goals.ratio}x faster`, ok,
      });
    }
  }
  for (const [kind, host] of HOSTS) {
    const r = crl.hosts?.[kind]?.lists?.['10mb']?.lookup;
    row(`CRL: look a serial up in the 10 MB CRL held, ${host}, median`, {
      ours: withExtra(us(r?.ours_us), labelled('with the entry as an object', us(r?.ours_entry_us))),
      peer: labelled('a JavaScript Map', us(r?.peer_us)),
      ratio: faster(div(r?.peer_us, r?.ours_us)),
      target: `≤ ${goals.lookup} µs`, ok: finite(r?.ours_us) ? r.ours_us <= goals.lookup : undefined,
    });
  }
}

// The collector (collector/examples/bench.rs).
{
  const ingest = collector.ingest ?? {};
  const how = finite(ingest.reports) && finite(ingest.connections)
    ? `${grouped(ingest.reports)} reports over ${grouped(ingest.connections)} connections, collector on one core`
    : 'collector on one core';
  for (const [store, label] of [['sqlite', 'SQLite'], ['clickhouse', 'ClickHouse']]) {
    const r = ingest.stores?.[store] ?? {};
    row(`Collector ingest, ${label} (${how})`, {
      ours: perSecond(r.collector?.per_second),
      peer: labelled('the store\'s own bulk ingest', perSecond(r.peer?.per_second)),
      ratio: times(r.ratio ?? div(r.collector?.per_second, r.peer?.per_second)),
    });
  }
  const aggregates = collector.aggregates ?? {};
  const over = finite(aggregates.reports) ? `${grouped(aggregates.reports)} reports` : 'the seeded reports';
  const days = finite(aggregates.days) ? aggregates.days : 30;
  for (const [store, label] of [['sqlite', 'SQLite'], ['clickhouse', 'ClickHouse']]) {
    const r = aggregates.stores?.[store] ?? {};
    const up = div(r.naive_ms, r.rollups_ms);
    row(`Collector: ${days}-day aggregates over ${over}, ${label}`, {
      ours: withExtra(ms(r.rollups_ms), labelled('GET /v1/aggregates', ms(r.http_ms?.median))),
      peer: labelled('summing the raw reports', ms(r.naive_ms)),
      ratio: faster(up),
    });
  }
}

// ---------------------------------------------------------------------------
// The machine and the date.

function machine() {
  let model;
  let processors = 0;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    model = info.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? info.match(/^(?:Hardware|cpu model)\s*:\s*(.+)$/m)?.[1];
    processors = (info.match(/^processor\s*:/gm) ?? []).length;
  } catch {
    // Not Linux: os.cpus() below.
  }
  model = (model ?? cpus()[0]?.model ?? 'unknown CPU').trim().replace(/\s+/g, ' ');
  let memory = totalmem();
  try {
    const kib = readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s*(\d+) kB$/m)?.[1];
    if (kib) memory = Number(kib) * 1024;
  } catch {
    // os.totalmem() then.
  }
  const cores = processors || availableParallelism();
  return `${cores} ${cores === 1 ? 'core' : 'cores'}, ${model}, ${num(memory / 2 ** 30)} GiB of memory (Linux ${release()})`;
}

const day = (date) => date.toISOString().slice(0, 10);
const measured = FILES.filter((name) => input[name].date);
const dates = [...new Set(measured.map((name) => day(input[name].date)))].sort();
let when;
if (dates.length === 0) when = 'no benchmark output found';
else if (dates.length === 1) when = dates[0];
else when = `${dates[0]} to ${dates[dates.length - 1]} (${measured.map((name) => `${name} ${day(input[name].date)}`).join(', ')})`;
const absent = FILES.filter((name) => input[name].problem).map((name) => `${name} ${input[name].problem}`);

// ---------------------------------------------------------------------------
// The page.

const cell = (text) => String(text).replace(/\|/g, '\\|');
const table = [
  '| measurement | ours | peer/floor | ratio | target |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
];

const page = `# Performance

Written by \`scripts/perf-table.mjs\` from the benchmarks' output in \`target/bench/\`;
\`npm run bench\` measures everything again and rewrites this page. Do not edit it by hand.

- Machine: ${machine()}
- Date: ${when}
${absent.length ? `- Not in this run: ${absent.join('; ')}\n` : ''}${note ? `\n${note}\n` : ''}
${table.join('\n')}

Ratios against a peer (another implementation doing the same work) say how many times faster
ours is; ratios against a floor (the least any implementation must spend) are ours over the
floor. The machine is shared, and its speed varies by tens of percent from hour to hour:
compare figures of one run (the ratios), not figures of different runs.

## What each row measures

- **The engine in Node** (\`scripts/bench.mjs\`): the wasm package as the extension loads it;
  each figure is the median of repeated batches, after at least 1 s of untimed calls (V8's
  optimizing tier). The chain is \`fixtures/pki/chains/leaf-90d.pem\` under \`mozilla-plan\`
  with the bundled OneCRL snapshot, no network. Its peer parses the chain with
  \`@peculiar/x509\`, hashes each SPKI with SHA-256 and looks both OneCRL keys up in a \`Map\`
  built from the same snapshot; the engine also writes the trace and the OCSP request. "CA
  certificates cached" is the engine's certificate cache as the extension uses it (leaves are
  never cached); "nothing cached" clears it before every call. OCSP: the fixture responses of
  \`fixtures/ocsp/\`, validated at their own time (\`scripts/ocsp-fixture-time.mjs\`), against
  pkijs 4.0.0 on the same WebCrypto; the P-384 and RSA responses come from delegated
  responders, so each also needs a P-256 check of the responder's certificate. Recording a page
  load is \`JSON.stringify\` and \`Telemetry.record\`, the changed day's JSON handed back, with
  89 earlier days held; the peer counts into a plain JavaScript day object and stringifies it;
  the \`storage.local\` write that follows is not timed.
- **The .wasm**: \`crate/pkg/revoscope_bg.wasm\`, the browser build (signatures by WebCrypto,
  no RustCrypto), gzipped at level 9. See [architecture.md](architecture.md#the-browser-build).
  By crate (\`scripts/bench-wasm-size.mjs\`): \`twiggy top\` over the same build with its
  function names kept, each function and data item counted to the crate its demangled name
  starts with (\`<T as Trait>\` looked through); wasm-bindgen's glue, data segments and the
  module's tables are grouped as such.
- **OCSP in browser pages** (\`scripts/bench-browser-ocsp.mjs\`): the same responses validated
  by the browser build in a page served from 127.0.0.1, so WebCrypto is the browser's own
  (BoringSSL in Chromium, NSS in Firefox), after 3 s of validations (the optimizing tier). The
  floor is the bare \`crypto.subtle.verify\` calls each response needs, side by side as the
  engine makes them, on keys imported once; the engine's share is ours minus that. Firefox's
  P-384 verification alone is most of a P-384 validation there (RustCrypto's P-384 in wasm
  would take about ten times as long).
- **Page loads** (\`scripts/bench-extension.mjs\`): one Firefox ESR, the demo sites
  \`short-lived\`, \`no-revocation-info\` and \`good-live\` (live OCSP off) on loopback, loaded
  in each round with the extension, without any extension, and with the floor extension,
  which the script writes: the same blocking \`onHeadersReceived\` listener asking
  \`getSecurityInfo\` for the chain's DER as \`capture-firefox.ts\` does, and nothing else (the
  run checks that it read a chain for every load). Extensions are uninstalled and installed
  between rounds; navigation timing at full resolution (\`privacy.reduceTimerPrecision\` off);
  \`REVOSCOPE_BENCH_ROUNDS\` sets the rounds (10). What the floor costs is Firefox assembling
  the security info while the page loads ([extension.md](extension.md#what-capture-costs)).
  Response to verdict is the background's own measure (\`verdictMs\`). Chrome is not measured:
  by default the extension does nothing there while a page loads.
- **The verdict hand-off** (\`scripts/bench-handoff.mjs\`, which runs
  \`scripts/bench-handoff-run.mjs\` in a Chromium page and a Firefox page, cross-origin isolated
  for fine timers): does the tape (\`crate/wasm/src/tape.rs\`, \`tape.js\`) earn its place? A
  build with the feature \`handoff-bench\` (\`crate/wasm/src/handoff.rs\`, never shipped) runs
  \`Engine.inspect\`'s steps as the extension calls it with live OCSP off and hands the result
  over in one of three ways: the tape, serde-wasm-bindgen's \`json_compatible()\` (the value
  built in JavaScript property by property), or a JSON string from \`serde_json\` that the page
  \`JSON.parse\`s. Response to verdict is chain bytes in, the plain result object out, on
  \`fixtures/pki/chains/leaf-90d.pem\` (3 certificates, a result of about 3 KB of JSON) with
  CA certificates cached; the hand-off alone converts the same result again. Each mode and
  measure gets 1 s of untimed calls first, then 101 interleaved rounds (the modes' order turning)
  of batches of 40 evaluations or 100 hand-offs; median and p95 of the batches' per-call
  means. Every fixture chain is checked to give deep-equal objects, keys in the same order, in
  the three modes and from the shipped \`Engine.inspect\` (a mismatch aborts the run). The
  saving is the better alternative's time minus the tape's, as a share of the alternative's;
  the rule is to keep the tape only if that is at least 10 %. Firefox's figures are the ones of
  the page path: Chrome's extension does nothing while a page loads by default (see Page loads).
  The extension's own response to the verdict stored for the panel (the Firefox row above)
  holds far more than this: capture, messages and storage. **Decision: the tape stays.** By
  the rule it meets in Chromium, where the verdict is made on the page path whenever the user
  inspects a page or opts in to every page; in Firefox, measured when it was decided, it fell
  just under against JSON and well over against serde-wasm-bindgen, the only alternative that
  hands over objects rather than text to parse. The two hand-off rows above say how it stands
  in this run.
- **Cold start** (\`scripts/bench-cold-start.mjs\`): from a background's start to the engine
  ready, in headless Chromium and Firefox ESR. To see where it goes,
  \`scripts/bench-engine-load.mjs\` times the engine's start-up steps (instantiating,
  \`new Engine\` with the OneCRL collection, \`setCrliteFilters\`) as the first call of a new
  Node process and warm, and \`cargo run --release -p revoscope --example time_load\` natively:
  warm, the engine's own work is a few milliseconds; run once, cold, it is several times that,
  while the JavaScript engine compiles the hot functions again with its optimizing tier. Chromium's service worker is stopped with the
  DevTools protocol's \`ServiceWorker.stopAllWorkers\` (as Chromium stops an idle one) and
  Firefox's background page is unloaded as an idle event page
  (\`extensions.background.idle.timeout\` at 2 s); both are started again by a
  \`runtime.sendMessage\` from an extension page. "Ready" is the User Timing mark
  \`revoscope:engine-ready\` that \`engine.ts\` sets once the OneCRL collection is in force,
  the settings applied and, where the policy consults CRLite, the stored filter set loaded;
  it counts from the background's time origin, so it covers evaluating the script, fetching
  and compiling the .wasm, reading and parsing the stored collection (Firefox's OneCRL dump,
  1 MB, kept as a verified download in \`storage.local\`) and reading and decoding the CRLite
  set from IndexedDB (the benchmark's CRLite set, described under **CRLite**, stored as a
  sync stores it), not the browser's own work before the worker or page exists. The floor is an
  extension the script writes: it starts the same way, instantiates an empty wasm module
  fetched from its package, reads the same stored values in the same order (the collection,
  the settings, the CRLite index and files, the OCSP cache) and sets the same mark. Beside
  it, the same floor with the engine's .wasm in place of the empty module (compiled and
  instantiated, no engine call) tells how much of the difference is the module's size. Two
  cases over the default policy (firefox-today): \`crlite: enforce\` with the filters (the first
  row), and \`crlite: disabled\`, which consults OneCRL only. Ours and the floors take turns, 3 warm-up rounds, then
  \`REVOSCOPE_BENCH_ROUNDS\` rounds (15); every figure is checked to come from a new
  background, and afterwards ours is asked what it has in force. \`cold-start.json\` also
  holds every sample and the time from the waking message to the mark on the page's clock
  (the browser starting the worker or page included).
- **The dashboard** (\`scripts/bench-dashboard.mjs\`): 90 days of 50 to 300 page loads each
  over 30 responders, recorded by the engine and put into \`storage.local\`, drawn at
  \`?days=90\` and \`?days=1\` in turn, 11 rounds; the time is the page's own
  \`body[data-render-ms]\`, from its first script line to the last chart painted, the
  background's summary included. The first open after a browser start also has the background
  read the stored days.
- **CRLite** (\`scripts/bench-crlite.mjs\`, which runs \`scripts/bench-crlite-run.mjs\` in Node,
  a Chromium page and a Firefox page, cross-origin isolated for fine timers, after 3 s of
  queries). The filter set is built once with clubcard's builder by
  \`crate/engine/examples/make_bench_filters.rs\` into \`target/bench/crlite/\` (minutes on two
  cores, then kept): 300 issuers sized 1/rank, 100 million certificates, 4 to 12 % of each
  issuer's revoked, one V4 full filter and 30 deltas 6 hours apart of 2,000 to 4,000
  revocations each (clubcard's documentation has 12.2 million revoked among 801 million
  certificates in 8.5 MB: a smaller universe with a larger revoked share gives a filter of the
  same order). A query is \`Engine.crliteQuery\` over 10,000 keys (80 % not revoked,
  10 % revoked, 5 % not enrolled, 5 % not covered), the argument copies and the answer object
  included; "the call alone" is the same calls with no filter set. The peer is what a browser
  without CRLite does instead: one live OCSP GET, here to the demo's \`openssl ocsp\` responder
  on loopback, so a floor (real responders are further away).
- **CRLs** (\`scripts/bench-crl.mjs\`, which runs \`scripts/bench-crl-run.mjs\` in Node, a
  Chromium page and a Firefox page, cross-origin isolated for fine timers): \`CrlIndex.read\`
  (\`crate/wasm/src/crl.rs\`) reads a DER CRL, checks it against its issuer (Name, key
  identifier, cRLSign, the ECDSA P-256 signature by the host's WebCrypto) and indexes its
  serials with their dates and reasons; median of 21 reads after 3 s of reads. The lists are
  int-good's, made once by \`scripts/make-bench-crls.mjs\` with \`openssl ca -gencrl\` into
  \`target/bench/crl/\` and checked with \`openssl crl -CAfile\`: 10^6 and 10^7 bytes of entries
  as large CAs write them (serials of 16 to 20 octets, 70 % with a reasonCode, about 47 bytes an
  entry), in revocation-date order (re-signed after openssl sorts them by serial, which is the
  order the index sorts into). WebCrypto's check alone is the bare \`crypto.subtle.verify\` the
  list needs (hashing the TBSCertList, one P-256 verification). The peer does the same work with
  \`@peculiar/x509\` (bundled by esbuild for every host): \`X509Crl\` (with asn1js's node limit
  raised: by default both JavaScript libraries refuse a CRL of more than about 2,000 entries),
  the issuer's Name compared, \`verify()\` on the same WebCrypto with the key imported once, and a
  \`Map\` from each serial to its date and reason; median of 5 reads of 1 MB and 3 of 10 MB after a
  first read of each. Both are checked to agree on every entry and reason before anything is
  timed. A lookup is \`CrlIndex.contains\` (serial bytes in) over 10,000 keys, half listed,
  against the peer's \`Map.has\` on the serial's hex (as \`@peculiar/x509\` gives a certificate's
  serial), per lookup, median of 15 passes after 1 s of passes.
- **The collector** (\`scripts/bench-collector.sh\`: \`collector/examples/bench.rs\` and
  \`load.rs\`; needs two cores and \`taskset\`): the collector pinned to core 0, the load
  generator (keep-alive connections, unique reports over 3 days) and the ClickHouse server on
  core 1. The peer is each store's own bulk ingest of the same reports, from core 0 (SQLite:
  one prepared INSERT, 10,000 a transaction, the same WAL and \`synchronous=FULL\`;
  ClickHouse: INSERTs of 10,000 RowBinary rows). Aggregates: the seeded reports over 30 days,
  from the rollups and through \`GET /v1/aggregates\`, against summing the raw reports table;
  the answers are checked equal. See [collector.md](collector.md).
`;

writeFileSync(outFile, page);
console.log(`wrote ${relative(process.cwd(), outFile) || outFile}${absent.length ? ` (not in this run: ${absent.join('; ')})` : ''}`);
