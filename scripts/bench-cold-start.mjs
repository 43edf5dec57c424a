// Cold start: from a background start (Chromium's service worker started
// anew, Firefox's background page started anew) to the engine ready with the
// OneCRL collection in force and, where the policy consults CRLite, the stored
// CRLite filters loaded; in headless Chromium and Firefox ESR, against a floor
// extension that starts the same way, instantiates an empty wasm module and
// reads the same stored bytes; and beside it the same floor with the
// engine's own .wasm in place of the empty module (compiled and instantiated
// with stub imports, no engine call), which tells how much of the difference
// is the module's size. Two cases, over the default policy (firefox-today):
// OneCRL only (override crlite: disabled) and OneCRL + CRLite (crlite:
// enforce, with the benchmark's 5.6 MB full filter and 30 deltas).
// Targets: ours <= 1.5x the floor, and <= 100 ms median in Chromium with the
// CRLite set. Writes target/bench/cold-start.json.
//
// "Engine ready" is the User Timing mark engine.ts sets at the end of its
// load ('revoscope:engine-ready'); its startTime counts from the background
// global's time origin (MDN, "Performance.timeOrigin"), so the figure is the
// background's own: script evaluation, the .wasm fetched and compiled, the
// stored collection read and parsed, the settings, the CRLite index and
// files read from IndexedDB and decoded. The floor sets the same mark after
// its own start. Beside it, "wake to ready" is the same point on the page's
// clock from the moment the page sent the waking message, so it includes the
// browser starting the worker or page (both clocks are
// performance.timeOrigin-based: close, not exact).
//
// How (the same for ours and the floors, taking turns, the order rotated
// every round):
// - Ours is a copy of dist/<browser>, the floors are written here; each has
//   a page of the benchmark's own (bench.html, not in the build) and the
//   stored data as package files it copies into storage once: the OneCRL
//   dump as onecrl-sync.ts stores a verified download (storage.local
//   `onecrlCollection`), the CRLite index and files as crlite-store.ts stores
//   a synced set (IndexedDB `revoscope-crlite`), and the settings (updates
//   off, so no sync runs; the case's policy).
// - Chromium: the DevTools protocol's ServiceWorker.stopAllWorkers stops the
//   workers (what Chromium does to an idle one; Chromium docs, "The extension
//   service worker lifecycle"); a runtime.sendMessage from the page starts
//   it; the mark is read in the worker with Runtime.evaluate over a session
//   attached after the start. Service workers are left out of puppeteer's
//   auto-attach first: auto-attach holds a new worker until the client
//   resumes it (waitForDebuggerOnStart), a round trip that could count in
//   its time (in trial runs the difference was within the noise).
// - Firefox: a background page is an event page (MDN, "background" manifest
//   key, "persistent"), unloaded after extensions.background.idle.timeout
//   without events; the run sets that to IDLE_MS, waits until the page is
//   gone (extension.getBackgroundPage() null), then wakes it the same way
//   and reads the mark from the background page's own window.
// - The mark is read HANDS_OFF_MS after the waking message, and awaited
//   (not polled) if it is not set yet, so the run does no work in the
//   browser while the background loads, most of the time.
// - Every figure is checked to come from a new background (a new time
//   origin), and after the rounds ours is asked what is in force: the stored
//   download, and in the CRLite case the set with no load error; the floor
//   reports the bytes it read (its mark's detail).
//
// REVOSCOPE_BENCH_ROUNDS sets the rounds per case (15), after WARMUP rounds.
// `node scripts/bench-cold-start.mjs [chromium] [firefox]` runs only the
// browsers named. Needs dist/ (scripts/build-extension.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FIREFOX_UUID, GECKO_ID, launch } from './browser/launch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const crliteDir = join(root, 'target/bench/crlite');
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const ROUNDS = Number(process.env.REVOSCOPE_BENCH_ROUNDS ?? 15);
const WARMUP = 3;
/** Firefox unloads an idle event page after this long (its default: 30 s);
 * long enough for any start to finish first. */
const IDLE_MS = 2000;
/** After the waking message, the background is left alone this long
 * before it is asked for the mark (most starts are done by then). */
const HANDS_OFF_MS = 250;
const MARK = 'revoscope:engine-ready';
const RATIO_TARGET = 1.5;
const CHROMIUM_MS_TARGET = 100;
/** The floors: an empty module, and the engine's module without the engine. */
const FLOORS = {
  floor: { id: 'revoscope-cold-floor@revoscope.invalid', uuid: '3d8e1f2a-5b7c-4e9d-8a6f-1c3b5d7e9f20', name: 'empty module' },
  floor_engine_wasm: { id: 'revoscope-cold-floor-wasm@revoscope.invalid', uuid: '7a2c4e6f-9b1d-4f3a-8c5e-0d2f4b6a8c11', name: 'the engine\'s .wasm' },
};
const SIDES = ['ours', ...Object.keys(FLOORS)];
const only = new Set(process.argv.slice(2));
const wanted = (what) => only.size === 0 || only.has(what);

/** The cases: the policy each runs under. */
const CASES = {
  // firefox-today, the default, enforces CRLite: turned off here.
  onecrl: { label: 'OneCRL only', overrides: { crlite: 'disabled' } },
  onecrl_crlite: { label: 'OneCRL + CRLite', overrides: { crlite: 'enforce' } },
};

// ---------------------------------------------------------------------------
// The stored data.

execFileSync('cargo', ['run', '-q', '--release', '-p', 'revoscope', '--example', 'make_bench_filters', '--', crliteDir],
  { cwd: root, env, stdio: 'inherit' });
const indexJson = readFileSync(join(crliteDir, 'index.json'), 'utf8');
const hashes = JSON.parse(indexJson).filters.map((f) => f.hash);
const crliteBytes = hashes.reduce((sum, h) => sum + readFileSync(join(crliteDir, 'filters', h)).length, 0);
const shape = JSON.parse(readFileSync(join(crliteDir, 'manifest.json'), 'utf8'));
const onecrlDump = readFileSync(join(root, 'fixtures/onecrl/onecrl.json'));
const wasm = readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm'));

/** The package files both extensions seed their storage from. */
function writeBenchData(dir) {
  mkdirSync(join(dir, 'bench-data/filters'), { recursive: true });
  writeFileSync(join(dir, 'bench-data/onecrl.json'), onecrlDump);
  writeFileSync(join(dir, 'bench-data/index.json'), indexJson);
  for (const h of hashes) cpSync(join(crliteDir, 'filters', h), join(dir, 'bench-data/filters', h));
}

/**
 * The mark in a background's global \`g\` once it is set: a promise, so the
 * reader neither polls nor runs in the background while it loads
 * (PerformanceObserver; MDN, "PerformanceObserver").
 */
const MARK_OF = `function markOf(g) {
  const read = () => {
    const entry = g.performance.getEntriesByName(${JSON.stringify(MARK)})[0];
    return entry ? { ready: entry.startTime, timeOrigin: g.performance.timeOrigin, detail: entry.detail ?? null } : null;
  };
  return new Promise((resolve) => {
    const now = read();
    if (now) return resolve(now);
    const observer = new g.PerformanceObserver(() => {
      const set = read();
      if (set) {
        observer.disconnect();
        resolve(set);
      }
    });
    observer.observe({ type: 'mark' });
  });
}`;

/** The mark as the worker reads it (Chromium, through Runtime.evaluate). */
const READ_MARK = `(${MARK_OF})(globalThis)`;

// The benchmark's page, the same in both extensions. It stores the data the
// way the extension's own modules do, wakes the background and, in Firefox,
// reads the mark from the background page (same origin).
const BENCH_HTML = '<!doctype html><meta charset="utf-8"><title>cold start</title><script src="bench.js"></script>\n';
const BENCH_JS = `const api = globalThis.browser ?? globalThis.chrome;
const MARK = ${JSON.stringify(MARK)};
const idb = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

/** storage.local as onecrl-sync.ts leaves it after a verified download,
 * the settings, and the CRLite set in IndexedDB as crlite-store.ts keeps it
 * (database revoscope-crlite version 1, stores files and meta). */
globalThis.seed = async (settings, withCrlite) => {
  const dump = await (await fetch('bench-data/onecrl.json')).text();
  await api.storage.local.clear();
  await api.storage.local.set({
    onecrlCollection: { dump, timestamp: JSON.parse(dump).timestamp, signer: null, verifiedAt: Date.now(), server: 'http://127.0.0.1:9/v1' },
    settings,
  });
  let index = null;
  let files = [];
  if (withCrlite) {
    index = await (await fetch('bench-data/index.json')).text();
    files = await Promise.all(JSON.parse(index).filters.map(async (f) =>
      [f.hash, new Uint8Array(await (await fetch('bench-data/filters/' + f.hash)).arrayBuffer())]));
  }
  const open = indexedDB.open('revoscope-crlite', 1);
  open.onupgradeneeded = () => { open.result.createObjectStore('files'); open.result.createObjectStore('meta'); };
  const db = await idb(open);
  const tx = db.transaction(['files', 'meta'], 'readwrite');
  tx.objectStore('files').clear();
  tx.objectStore('meta').clear();
  for (const [hash, bytes] of files) tx.objectStore('files').put(bytes, hash);
  if (index !== null) tx.objectStore('meta').put(index, 'index');
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  db.close();
};

/** Wakes the background with a message; when it was sent, on the epoch clock. */
globalThis.wake = async () => {
  const sent = performance.timeOrigin + performance.now();
  await api.runtime.sendMessage({ type: 'settings' });
  return sent;
};

/** Asks ours what is in force (extension/src/messages.ts). */
globalThis.ask = async (request) => {
  const reply = await api.runtime.sendMessage(request);
  if (!reply?.ok) throw new Error(reply?.error ?? 'no reply');
  return reply.value;
};

/** Firefox: the background page's window, or null while it is unloaded. */
const background = () => api.extension?.getBackgroundPage?.() ?? null;
globalThis.backgroundLoaded = () => background() !== null;
${MARK_OF}
globalThis.readMark = () => {
  const bg = background();
  if (!bg) throw new Error('the background page is not loaded');
  return markOf(bg);
};
`;

/** Ours: dist/<browser> as built, plus the benchmark's page and data. */
function writeOurs(dir, browser) {
  cpSync(join(root, 'dist', browser === 'firefox' ? 'firefox' : 'chrome'), dir, { recursive: true });
  writeFileSync(join(dir, 'bench.html'), BENCH_HTML);
  writeFileSync(join(dir, 'bench.js'), BENCH_JS);
  writeBenchData(dir);
}

// The floor's background: what any engine must do at a cold start and
// nothing else. The module (module.wasm: empty, or the engine's) is
// streamed from the package and compiled, as engine.ts's init does (there
// by instantiateStreaming), then instantiated with a stub for each import
// (the engine's are wasm-bindgen's glue, never called here); the stored values are
// read in the order engine.ts reads them: the OneCRL collection, the
// settings, the CRLite index and files (only when the policy consults
// CRLite), the OCSP cache. Its mark's detail is the bytes it read.
const FLOOR_JS = `const api = globalThis.browser ?? globalThis.chrome;
const idb = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
async function readOnly(db, stores, work) {
  const tx = db.transaction(stores, 'readonly');
  const done = new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  const out = await work(tx);
  await done;
  return out;
}
async function start() {
  const module = await WebAssembly.compileStreaming(fetch(api.runtime.getURL('module.wasm')));
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') throw new Error('a ' + kind + ' import: the floor stubs functions only');
    (imports[from] ??= {})[name] = () => { throw new Error(name + ' is a stub'); };
  }
  await WebAssembly.instantiate(module, imports);
  const onecrl = (await api.storage.local.get('onecrlCollection')).onecrlCollection;
  const settings = (await api.storage.local.get('settings')).settings;
  let bytes = onecrl.dump.length;
  if (settings?.overrides?.crlite !== undefined && settings.overrides.crlite !== 'disabled') {
    const open = indexedDB.open('revoscope-crlite', 1);
    open.onupgradeneeded = () => { open.result.createObjectStore('files'); open.result.createObjectStore('meta'); };
    let db = await idb(open);
    const index = await readOnly(db, ['files', 'meta'], (tx) => idb(tx.objectStore('meta').get('index')));
    db.close();
    if (typeof index === 'string') {
      db = await idb(indexedDB.open('revoscope-crlite', 1));
      const files = await readOnly(db, ['files', 'meta'], (tx) =>
        Promise.all(JSON.parse(index).filters.map((f) => idb(tx.objectStore('files').get(f.hash)))));
      db.close();
      bytes += index.length + files.reduce((sum, f) => sum + f.byteLength, 0);
    }
  }
  await api.storage.local.get('ocspCache');
  performance.mark(${JSON.stringify(MARK)}, { detail: { bytes } });
}
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  sendResponse({ ok: true, value: null });
  return false;
});
start();
`;

function writeFloor(dir, browser, which) {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: `revoscope cold-start floor: ${FLOORS[which].name}`,
    version: '1.0',
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'" },
    permissions: ['storage'],
    ...(browser === 'firefox'
      ? {
        background: { scripts: ['floor.js'], type: 'module' },
        browser_specific_settings: { gecko: { id: FLOORS[which].id, data_collection_permissions: { required: ['none'] } } },
      }
      : { background: { service_worker: 'floor.js', type: 'module' } }),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'floor.js'), FLOOR_JS);
  // The empty module is the magic number and version 1, no sections.
  writeFileSync(join(dir, 'module.wasm'), which === 'floor'
    ? Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    : readFileSync(join(root, 'dist', browser === 'firefox' ? 'firefox' : 'chrome', 'revoscope_bg.wasm')));
  writeFileSync(join(dir, 'bench.html'), BENCH_HTML);
  writeFileSync(join(dir, 'bench.js'), BENCH_JS);
  writeBenchData(dir);
}

// ---------------------------------------------------------------------------
// Figures.

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest rank. */
const p95 = (xs) => sorted(xs)[Math.ceil(0.95 * xs.length) - 1];
const round2 = (v) => Math.round(v * 100) / 100;
const stats = (xs) => ({
  median: round2(median(xs)), p95: round2(p95(xs)), min: round2(Math.min(...xs)), max: round2(Math.max(...xs)),
  samples: xs.map(round2),
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, fn, timeoutMs = 20_000, everyMs = 5) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------
// The two browsers: how a background is stopped, started and read.

/** An extension page of the benchmark's, opened in a new tab. */
async function benchPage(b, base) {
  const page = await b.browser.newPage();
  const url = `${base}bench.html`;
  if (b.kind === 'firefox') {
    // Firefox over WebDriver BiDi never reports a moz-extension://
    // navigation as finished (scripts/browser/panel.mjs).
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => {});
  } else {
    await page.goto(url);
  }
  await page.waitForFunction(() => typeof globalThis.wake === 'function', { timeout: 20_000 });
  return page;
}

async function chromium(work) {
  const oursDir = join(work, 'chromium-ours');
  writeOurs(oursDir, 'chromium');
  const b = await launch('chromium', { extensionDir: oursDir, profile: join(work, 'chromium'), roots: [], hosts: [] });
  const floorIds = {};
  for (const which of Object.keys(FLOORS)) {
    const dir = join(work, `chromium-${which}`);
    writeFloor(dir, 'chromium', which);
    floorIds[which] = await b.browser.installExtension(dir);
  }
  const browserSession = await b.browser.target().createCDPSession();
  const connection = browserSession.connection();
  // New service workers are no longer held for puppeteer at their start
  // (it auto-attaches with waitForDebuggerOnStart, then lets them run).
  // Pages stay as puppeteer set them.
  await connection.send('Target.setAutoAttach', {
    autoAttach: true, waitForDebuggerOnStart: true, flatten: true,
    filter: [{ type: 'page', exclude: true }, { type: 'service_worker', exclude: true }, {}],
  });
  const workers = async () => (await browserSession.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'service_worker');
  const sides = { ours: { page: await benchPage(b, b.extensionBase), worker: `${b.extensionBase}background.js` } };
  for (const [which, id] of Object.entries(floorIds)) {
    sides[which] = { page: await benchPage(b, `chrome-extension://${id}/`), worker: `chrome-extension://${id}/floor.js` };
  }
  const pageSession = await sides.ours.page.createCDPSession();
  await pageSession.send('ServiceWorker.enable');
  const stop = async () => {
    await pageSession.send('ServiceWorker.stopAllWorkers');
    await until('the service workers to stop', async () => (await workers()).length === 0);
  };
  /** One cold start of `side`: stopped, woken, read. */
  const start = async (side) => {
    await stop();
    const sent = await side.page.evaluate(() => globalThis.wake());
    await sleep(HANDS_OFF_MS);
    const target = await until('the woken service worker', async () => (await workers()).find((t) => t.url === side.worker));
    const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: true });
    try {
      const session = connection.session(sessionId);
      const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
        expression: READ_MARK, returnByValue: true, awaitPromise: true, timeout: 20_000,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      const mark = result.value;
      return { ...mark, sent };
    } finally {
      await browserSession.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    }
  };
  return { b, sides, start, stop, close: () => b.close() };
}

async function firefox(work) {
  const oursDir = join(work, 'firefox-ours');
  writeOurs(oursDir, 'firefox');
  const b = await launch('firefox', {
    extensionDir: oursDir, profile: join(work, 'firefox'), roots: [], hosts: [],
    firefoxPrefs: {
      'extensions.webextensions.uuids': JSON.stringify(Object.fromEntries([[GECKO_ID, FIREFOX_UUID], ...Object.values(FLOORS).map((f) => [f.id, f.uuid])])),
      'extensions.background.idle.timeout': IDLE_MS,
      // performance.now() at full resolution (1 ms steps otherwise).
      'privacy.reduceTimerPrecision': false,
    },
  });
  const sides = { ours: { page: await benchPage(b, b.extensionBase) } };
  for (const [which, floor] of Object.entries(FLOORS)) {
    const dir = join(work, `firefox-${which}`);
    writeFloor(dir, 'firefox', which);
    await b.browser.installExtension(dir);
    sides[which] = { page: await benchPage(b, `moz-extension://${floor.uuid}/`) };
  }
  const stop = async () => {
    for (const side of Object.values(sides)) {
      await until('the background page to unload', () => side.page.evaluate(() => !globalThis.backgroundLoaded()), IDLE_MS * 20, 50);
    }
  };
  const start = async (side) => {
    await stop();
    const sent = await side.page.evaluate(() => globalThis.wake());
    await sleep(HANDS_OFF_MS);
    return { ...(await side.page.evaluate(() => globalThis.readMark())), sent };
  };
  return { b, sides, start, stop, close: () => b.close() };
}

// ---------------------------------------------------------------------------
// The run.

async function measure(kind, open) {
  const work = mkdtempSync(join(tmpdir(), `revoscope-cold-${kind}-`));
  const run = await open(work);
  const out = { cases: {} };
  try {
    for (const [name, c] of Object.entries(CASES)) {
      const settings = { onecrlUpdates: false, crliteUpdates: false, crlsetUpdates: false, overrides: c.overrides };
      for (const side of Object.values(run.sides)) {
        await side.page.evaluate((s, crlite) => globalThis.seed(s, crlite), settings, name === 'onecrl_crlite');
      }
      const times = Object.fromEntries(SIDES.map((who) => [who, []]));
      const wakeToReady = Object.fromEntries(SIDES.map((who) => [who, []]));
      const floorBytes = new Set();
      const origins = {};
      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]);
        for (const who of order) {
          const m = await run.start(run.sides[who]);
          // A figure from the background that was already running is no cold start.
          if (m.timeOrigin === origins[who]) throw new Error(`${kind} ${who}: the background was not restarted`);
          origins[who] = m.timeOrigin;
          if (round < WARMUP) continue;
          times[who].push(m.ready);
          wakeToReady[who].push(m.timeOrigin + m.ready - m.sent);
          if (who !== 'ours') floorBytes.add(m.detail?.bytes);
        }
      }
      // What ours had in force at the end, and what the floor read.
      const onecrl = await run.sides.ours.page.evaluate(() => globalThis.ask({ type: 'onecrl' }));
      const crlite = await run.sides.ours.page.evaluate(() => globalThis.ask({ type: 'crlite' }));
      if (onecrl.source !== 'downloaded') throw new Error(`${kind}: ours used the ${onecrl.source} OneCRL, not the stored one`);
      if (name === 'onecrl_crlite' && (crlite.set === null || crlite.loadError !== null || 1 + crlite.set.deltas !== hashes.length)) {
        throw new Error(`${kind}: the stored CRLite set is not in force whole: ${JSON.stringify(crlite.loadError ?? crlite.set)}`);
      }
      if (name === 'onecrl' && (crlite.mode !== 'disabled' || crlite.set !== null)) throw new Error(`${kind}: CRLite in use in the OneCRL case`);
      const expected = onecrlDump.toString('utf8').length + (name === 'onecrl_crlite' ? indexJson.length + crliteBytes : 0);
      if (floorBytes.size !== 1 || !floorBytes.has(expected)) {
        throw new Error(`${kind}: the floors read ${[...floorBytes].join(', ')} bytes, not ${expected}`);
      }
      const ours = stats(times.ours);
      const floor = stats(times.floor);
      const floorWasm = stats(times.floor_engine_wasm);
      out.cases[name] = {
        label: c.label, ours, floor, ratio: round2(ours.median / floor.median),
        floor_engine_wasm: floorWasm, ratio_over_floor_engine_wasm: round2(ours.median / floorWasm.median),
        wake_to_ready_ms: Object.fromEntries(SIDES.map((who) => [who, stats(wakeToReady[who])])),
        onecrl_records: onecrl.stats.records,
        crlite_filters: crlite.set ? 1 + crlite.set.deltas : 0,
      };
      await run.stop();
    }
  } finally {
    await run.close();
    rmSync(work, { recursive: true, force: true });
  }
  // The figures perf-table.mjs reads: the case with CRLite.
  const headline = out.cases.onecrl_crlite;
  return {
    ready_ms_median: headline.ours.median, floor_ms_median: headline.floor.median,
    ready_ms_p95: headline.ours.p95, floor_ms_p95: headline.floor.p95,
    ready_ms_min: headline.ours.min, floor_ms_min: headline.floor.min,
    ratio: headline.ratio,
    floor_engine_wasm_ms_median: headline.floor_engine_wasm.median,
    ...out,
  };
}

const result = {
  when: new Date().toISOString(),
  rounds: ROUNDS,
  warmup_rounds: WARMUP,
  wasm: { raw_bytes: wasm.length, gzip_bytes: gzipSync(wasm, { level: 9 }).length },
  onecrl_dump_bytes: onecrlDump.length,
  crlite_set: { files: hashes.length, bytes: crliteBytes, full_bytes: shape.full_bytes, deltas: shape.deltas },
  targets: { ratio: RATIO_TARGET, chromium_ms: CHROMIUM_MS_TARGET },
  // The machine's 1-minute load average when the run started and ended:
  // other work on a 2-core machine shows in every figure.
  load_average: { start: loadavg()[0] },
  browsers: {},
};
if (wanted('chromium')) result.browsers.chromium = await measure('chromium', chromium);
if (wanted('firefox')) result.browsers['firefox-esr'] = await measure('firefox', firefox);

result.load_average.end = loadavg()[0];
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/cold-start.json'), `${JSON.stringify(result, null, 2)}\n`);

const f = (v) => v.toFixed(1).padStart(7);
console.log(`\nCold start: background start to the engine ready (ms; ${ROUNDS} rounds after ${WARMUP} warm-up; `
  + `wasm ${(result.wasm.raw_bytes / 1024).toFixed(0)} KB, CRLite set ${(crliteBytes / 1e6).toFixed(1)} MB in ${hashes.length} files)`);
console.log('browser      case              ours median    p95    min | floor median    p95    min | ratio | floor, engine .wasm: median  ratio');
for (const [kind, r] of Object.entries(result.browsers)) {
  for (const c of Object.values(r.cases)) {
    console.log(`${kind.padEnd(12)} ${c.label.padEnd(16)} ${f(c.ours.median)}    ${f(c.ours.p95)}${f(c.ours.min)} | ${f(c.floor.median)}    ${f(c.floor.p95)}${f(c.floor.min)} | ${c.ratio.toFixed(2)}x | ${f(c.floor_engine_wasm.median)} ${c.ratio_over_floor_engine_wasm.toFixed(2)}x`);
  }
}
for (const [kind, r] of Object.entries(result.browsers)) {
  const ok = r.ratio <= RATIO_TARGET && (kind !== 'chromium' || r.ready_ms_median <= CHROMIUM_MS_TARGET);
  console.log(`${kind}: with CRLite ${r.ready_ms_median} ms, ${r.ratio}x the floor: target ${ok ? 'met' : 'not met'}`);
}
console.log('wrote target/bench/cold-start.json');
