// The wasm engine in the background: loaded once per background lifetime
// with the OneCRL collection in force (the last verified download, else the
// bundled snapshot), the policy from the options, the OCSP cache restored
// from storage.local, the stored CRLite filter set, and the CRLs fetched
// before (so all survive restarts).
import init, { Engine, policyPresets } from '../../crate/pkg/revoscope.js';
import { ext } from './api';
import { deleteLists, readLists, writeLists, type ReadList } from './crl-store';
import { indexHashes, readFiles, readMeta } from './crlite-store';
import { DEFAULT_SETTINGS, policyText, type Settings } from './settings';
import { loadSettings, onSettingsChanged } from './settings-store';
import type { CrlCheck } from './engine-types/CrlCheck';
import type { CrlCheckOptions } from './engine-types/CrlCheckOptions';
import { deleteCrlset, readCrlset, type StoredCrlset } from './crlset-store';
import type { Comparison } from './engine-types/Comparison';
import type { View } from './engine-types/View';
import type { CrlReport } from './engine-types/CrlReport';
import type { CrlRequest } from './engine-types/CrlRequest';
import type { StoredCrl } from './engine-types/StoredCrl';
import type { PolicyPreset } from './messages';
import type { CountOptions } from './engine-types/CountOptions';
import type { Counted } from './engine-types/Counted';
import type { InspectOptions } from './engine-types/InspectOptions';
import type { InspectResult } from './engine-types/InspectResult';
import type { CrliteMode } from './engine-types/CrliteMode';
import type { Policy } from './engine-types/Policy';
import type { Problem } from './engine-types/Problem';
import type { Signer } from './engine-types/Signer';
import type { LiveRequest, Verdict } from './verdict';

const OCSP_CACHE_KEY = 'ocspCache';
/** Where onecrl-sync.ts keeps the last verified collection. */
export const STORED_ONECRL_KEY = 'onecrlCollection';
/** The snapshot shipped in the package (Firefox ESR's own OneCRL dump). */
const SNAPSHOT_PATH = 'onecrl.json';
/** The User Timing mark set once the engine is ready (see load()). */
export const ENGINE_READY_MARK = 'revoscope:engine-ready';

export type { SnapshotStats } from './engine-types/SnapshotStats';

/** A verified download, as stored. */
export interface StoredCollection {
  /** The collection's JSON (`{"data": [...], "timestamp": N}`). */
  dump: string;
  timestamp: number;
  signer: Signer | null;
  verifiedAt: number;
  server: string;
}

/** Where the collection in force came from. */
export interface OnecrlSource {
  source: 'bundled' | 'downloaded';
  signer: StoredCollection['signer'];
  verifiedAt: number | null;
  server: string | null;
  /** Why a stored download could not be used (then the bundled one is). */
  storedError: string | null;
}

export function currentOnecrl(stored: StoredCollection): OnecrlSource {
  return { source: 'downloaded', signer: stored.signer, verifiedAt: stored.verifiedAt, server: stored.server, storedError: null };
}

export type { Counted } from './engine-types/Counted';

export interface Evaluation {
  verdict: Verdict;
  liveRequest: LiveRequest | null;
  /** Where the engine counted it, when asked to. */
  counted: Counted | null;
  /** What the CRLs held say of the leaf, beside the verdict (checkCrls). */
  crlCheck: CrlReport | null;
  /** The leaf's CRL is to be fetched for crlCheck, after the verdict (checkCrlAfter). */
  crlCheckDue: boolean;
  /** The policy in force's view of the chain, for compareBrowsers. */
  view: View | null;
  /** Date.now() the chain was evaluated at. */
  at: number;
}

/** Why something stored could not be used, as the views show it. */
export type { Problem };

class Loaded {
  constructor(
    readonly engine: Engine, public settings: Settings, public policyError: string | null, public onecrl: OnecrlSource,
    /** Why the stored CRLite set is not in force (then none is), or null. */
    public crliteLoad: Problem | null,
    /** Why the stored CRLSet is not in force (then none is), or null. */
    public crlsetLoad: Problem | null = null,
  ) {}
}

/** The stored CRLite set as read: its index and files (in the index's
 * order, `undefined` for a missing one), or why it could not be read, or
 * null when none is stored. */
type StoredSet = { index: string; files: (Uint8Array | undefined)[] } | { problem: Problem } | null;

/** Reads the stored set; never rejects. */
async function readStoredSet(): Promise<StoredSet> {
  try {
    const { index } = await readMeta();
    if (index === null) return null;
    let hashes: string[];
    try {
      hashes = indexHashes(index);
    } catch (e) {
      return { problem: { code: 'bad-index', message: `the stored filter set's index is unusable: ${(e as Error).message}` } };
    }
    const files = await readFiles(hashes);
    return { index, files: hashes.map((hash) => files.get(hash)) };
  } catch (e) {
    return { problem: { code: 'storage', message: (e as Error).message ?? String(e) } };
  }
}

/**
 * Puts the stored CRLite set in force. Whatever goes wrong is returned,
 * not thrown: the engine goes on with no filter, and nothing stored is
 * deleted (a later sync reuses the files that are fine).
 */
async function restoreCrlite(engine: Engine, read: Promise<StoredSet>): Promise<Problem | null> {
  const set = await read;
  // A set a sync put in force while this one was read is the newer.
  if (set === null || engine.crliteInfo(Date.now()) !== null) return null;
  if ('problem' in set) return set.problem;
  try {
    // For a missing file the engine names its filter.
    return (engine.setCrliteFilters(set.index, set.files) as Problem | null) ?? null;
  } catch (e) {
    return { code: 'storage', message: (e as Error).message ?? String(e) };
  }
}

/** The engine on the stored download, or on the bundled snapshot when
 * there is none or it does not load (then nothing is deleted: the next
 * verified sync replaces it). */
async function startEngine(storedRead: Promise<Record<string, unknown>>): Promise<[Engine, OnecrlSource]> {
  const stored = (await storedRead)[STORED_ONECRL_KEY] as StoredCollection | undefined;
  let storedError: string | null = null;
  if (stored) {
    try {
      return [new Engine(new TextEncoder().encode(stored.dump)), currentOnecrl(stored)];
    } catch (e) {
      storedError = `the stored download does not load (${(e as Error).message}); using the bundled snapshot`;
    }
  }
  const bundled = new Uint8Array(await (await fetch(ext.runtime.getURL(SNAPSHOT_PATH))).arrayBuffer());
  return [new Engine(bundled), { source: 'bundled', signer: null, verifiedAt: null, server: null, storedError }];
}

/** The stored CRLs as read; never rejects: a store that cannot be read
 * is warned of, and the engine fetches lists again as pages need them. */
async function readStoredCrls(): Promise<ReadList[]> {
  try {
    return await readLists();
  } catch (e) {
    console.warn('revoscope: the stored CRLs cannot be read:', e);
    return [];
  }
}

/** Puts the stored CRLs back into the engine, which takes those still
 * usable; the others (stale, damaged) are deleted, out of the way. */
async function restoreCrls(engine: Engine, read: Promise<ReadList[]>): Promise<void> {
  const now = Date.now();
  const refused = (await read).filter(({ url, list }) => {
    try {
      return list === null || !engine.putStoredCrl(url, list.bytes, list.fetchedAt, now);
    } catch (e) {
      console.warn('revoscope: a stored CRL was not put back:', url, e);
      return true;
    }
  }).map(({ url }) => url);
  if (refused.length > 0) {
    deleteLists(refused).catch((e) => console.warn('revoscope: the unusable stored CRLs were not deleted:', e));
  }
}

/** Keeps the lists an inspection fetched and read, out of the page's way. */
function storeCrls(engine: Engine, requests: CrlRequest[], now: number): void {
  const lists = requests
    .filter((r) => r.failure === null)
    .map((r) => engine.storedCrl(r.url, now) as StoredCrl | null)
    .filter((list): list is StoredCrl => list !== null);
  if (lists.length > 0) writeLists(lists).catch((e) => console.warn('revoscope: the CRLs were not stored:', e));
}

let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  // Listen before reading: a change made while the engine loads (the
  // options page right after a browser start) would otherwise be missed
  // until the next one. Held until the engine can take it.
  let apply: ((next: Settings) => Promise<void>) | undefined;
  let missed: Settings | undefined;
  // One change at a time, in order: two could otherwise both start reading
  // the stored CRLite set.
  let applying = Promise.resolve();
  onSettingsChanged((next) => {
    const run = apply;
    if (run) applying = applying.then(() => run(next)).catch((e) => console.warn('revoscope: settings not applied:', e));
    else missed = next;
  });
  // What is stored is asked for at once, for the browser to read while
  // the module compiles: the settings, the OneCRL collection, the OCSP
  // cache, the CRLs fetched before (IndexedDB; put back whatever the
  // settings, as the engine consults them for the policy's CRL step too),
  // and the CRLite set (megabytes, from IndexedDB) when the
  // settings turn CRLite on themselves. A preset that consults CRLite is
  // known only once the module is there; its set is read from then on.
  const settingsRead = loadSettings();
  const onecrlRead = ext.storage.local.get(STORED_ONECRL_KEY);
  const ocspRead = ext.storage.local.get(OCSP_CACHE_KEY);
  const crlsRead = readStoredCrls();
  const crlsetRead = readCrlset().then((set) => ({ set }), (e: Error) => ({ problem: storageProblem(e) }));
  // In an object: a Promise would be flattened into the one it resolves.
  const crliteAhead = settingsRead
    .then((s) => (crliteOverride(s) === true ? { read: readStoredSet() } : null))
    .catch(() => null);
  await init({ module_or_path: ext.runtime.getURL('revoscope_bg.wasm') });
  const settings = await settingsRead;
  const crliteRead = (await crliteAhead)?.read
    ?? (crliteOverride(settings) === undefined && presetConsultsCrlite(settings.policy) ? readStoredSet() : undefined);
  const [engine, onecrl] = await startEngine(onecrlRead);
  const loaded = new Loaded(engine, settings, applyPolicy(engine, settings), onecrl, null);
  await restoreCrliteIfUsed(loaded, crliteRead);
  await restoreCrls(engine, crlsRead);
  // Chrome's view of every page needs the CRLSet; a policy that enforces
  // it (chrome-today) waits for it, the others let the first pages say
  // "no CRLSet loaded" rather than wait.
  const crlsetRestored = restoreCrlset(loaded, crlsetRead);
  if ((engine.policy() as Policy).crlset === 'enforce') await crlsetRestored;
  const stored = (await ocspRead)[OCSP_CACHE_KEY];
  if (stored !== undefined) {
    try {
      engine.setOcspCache(stored, Date.now());
    } catch (e) {
      // A cache from another version: start afresh rather than fail pages.
      console.warn('revoscope: the stored OCSP cache is unusable, starting a new one:', e);
    }
  }
  apply = async (next) => {
    loaded.settings = next;
    loaded.policyError = applyPolicy(engine, next);
    // A policy that starts using CRLite gets the stored set first: the
    // listeners then sync only if it is missing or stale.
    await restoreCrliteIfUsed(loaded);
    for (const listener of policyListeners) listener(loaded);
  };
  if (missed !== undefined) await apply(missed);
  // The engine is ready: a standard User Timing mark, whose startTime is
  // milliseconds since this background started (its time origin; MDN,
  // "Performance.mark()" and "Performance.timeOrigin"). Nothing reads it
  // here; the cold-start benchmark reads it through the browser's own
  // tools (scripts/bench-cold-start.mjs).
  performance.mark(ENGINE_READY_MARK);
  return loaded;
}

function storageProblem(e: Error): Problem {
  return { code: 'storage', message: e.message ?? String(e) };
}

/** Puts the stored CRLSet in force unless a sync already put a newer one;
 * a stored set the engine refuses is deleted (the next sync replaces it). */
async function restoreCrlset(loaded: Loaded, read: Promise<{ set: StoredCrlset | null } | { problem: Problem }>): Promise<void> {
  const stored = await read;
  if ('problem' in stored) {
    loaded.crlsetLoad = stored.problem;
  } else if (stored.set !== null && loaded.engine.crlsetInfo(Date.now()) === null) {
    try {
      loaded.engine.setCrlset(stored.set.bytes, Date.now());
    } catch (e) {
      loaded.crlsetLoad = { code: 'refused', message: (e as Error).message ?? String(e) };
      deleteCrlset().catch(() => {});
    }
  }
  if (loaded.crlsetLoad) console.warn('revoscope: the stored CRLSet is not in force:', loaded.crlsetLoad.message);
}

/** Megabytes of filters are decoded only for a policy that consults
 * them, and only while no set is in force; `read` is the set read ahead
 * (load()), else it is read now. */
async function restoreCrliteIfUsed(loaded: Loaded, read?: Promise<StoredSet>): Promise<void> {
  if (crliteMode(loaded.engine) === 'disabled' || loaded.engine.crliteInfo(Date.now()) !== null) return;
  loaded.crliteLoad = await restoreCrlite(loaded.engine, read ?? readStoredSet());
  if (loaded.crliteLoad) console.warn('revoscope: the stored CRLite filters are not in force:', loaded.crliteLoad.message);
}

// Whether the settings' policy consults CRLite, as the settings tell
// before the engine has the policy: these two only decide whether load()
// reads the stored set ahead. The engine's policy decides whether it is
// used (a refused custom policy falls back to its preset: a set read
// ahead may then go unused).

/** The settings' own CRLite override: consults it or not, or undefined
 * when the preset decides. */
function crliteOverride(settings: Settings): boolean | undefined {
  const override = settings.overrides.crlite;
  return override === undefined ? undefined : override !== 'disabled';
}

/** Whether the preset of this name consults CRLite. */
function presetConsultsCrlite(name: string): boolean {
  const preset = (policyPresets() as PolicyPreset[]).find((p) => p.name === name);
  return preset?.crlite !== undefined && preset.crlite !== 'disabled';
}

const policyListeners: ((l: Loaded) => void)[] = [];

/** Called after new settings are in force in the engine (policy included). */
export function onPolicyApplied(listener: (l: Loaded) => void): void {
  policyListeners.push(listener);
}

/** The CRLite mode of the policy in force. */
export type { CrliteMode };

export function crliteMode(engine: Engine): CrliteMode {
  return (engine.policy() as Policy).crlite;
}

/** Sets the policy; on a bad one keeps the preset and says why. */
function applyPolicy(engine: Engine, settings: Settings): string | null {
  try {
    engine.setPolicy(policyText(settings));
    return null;
  } catch (e) {
    // The preset, or the default one when even the preset's name is unknown
    // (settings stored by another version): the engine always has a policy.
    let fallback = settings.policy;
    try {
      engine.setPolicy(fallback);
    } catch {
      fallback = DEFAULT_SETTINGS.policy;
      engine.setPolicy(fallback);
    }
    return `the custom policy was refused (${(e as Error).message}); using ${fallback}`;
  }
}

export function loaded(): Promise<Loaded> {
  loading ??= load();
  return loading;
}

/**
 * What the CA's CRL says of certificate `index` of `chain` (asked in the
 * panel): the list held, else fetched. Null when it names no CRL over HTTP.
 */
export async function checkCrl(chain: Uint8Array[], index: number): Promise<CrlReport | null> {
  return (await askCrl(chain, index, {})).report;
}

/**
 * The leaf's CRL, fetched after a verdict that said `crlCheckDue`; with
 * `count` (the page was counted) what it took is counted too.
 */
export function checkCrlAfter(chain: Uint8Array[], count: boolean): Promise<CrlCheck> {
  return askCrl(chain, 0, { count });
}

async function askCrl(chain: Uint8Array[], index: number, options: CrlCheckOptions): Promise<CrlCheck> {
  const { engine } = await loaded();
  const now = Date.now();
  const asked = await engine.checkCrl(chain, index, now, options) as CrlCheck;
  storeCrls(engine, asked.requests, now);
  return asked;
}

/**
 * Runs the ladder on a captured chain. Live OCSP goes out only when the
 * options allow it; the staple is hidden from extensions in both browsers.
 * With `count`, the engine counts the page load in the telemetry days it
 * was given (telemetry.ts), with what the browser said of the handshake.
 */
export async function evaluate(
  chain: Uint8Array[],
  rootIsBuiltIn: boolean,
  count?: CountOptions,
): Promise<Evaluation> {
  const { engine, settings } = await loaded();
  const options: InspectOptions = { fetch: settings.liveOcsp, checkCrl: settings.checkCrls, stapleHidden: true, count };
  const now = Date.now();
  const result = await engine.inspect(chain, undefined, now, rootIsBuiltIn, options) as InspectResult;
  const { verdict, live_request: liveRequest, counted, crl_check: crlCheck, crl_check_due: crlCheckDue } = result;
  storeCrls(engine, result.crl_requests, now);
  // The engine has applied the verdict's cache updates; persist them, out
  // of the page's way (each write holds the whole cache as it is then).
  if (verdict.certificates.some((c) => c.cache_update)) {
    ext.storage.local.set({ [OCSP_CACHE_KEY]: engine.ocspCache() })
      .catch((e) => console.warn('revoscope: the OCSP cache was not stored:', e));
  }
  return { verdict, liveRequest, counted, crlCheck, crlCheckDue, view: result.view, at: now };
}

/**
 * What each browser's policy makes of a chain already evaluated (its
 * Evaluation's `view` and `at`), with the lists held: asked after the
 * verdict is out, so that the page never waits for it.
 */
export async function compareBrowsers(chain: Uint8Array[], rootIsBuiltIn: boolean, evaluation: Evaluation): Promise<Comparison> {
  const { engine } = await loaded();
  return await engine.compare(chain, undefined, evaluation.at, rootIsBuiltIn, true, evaluation.view) as Comparison;
}
