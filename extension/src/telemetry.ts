// Local telemetry: the engine's Telemetry aggregates page loads per UTC day
// in memory; this module loads the stored days once, gives them to the
// engine, which counts each page load in the call that evaluates it, and
// stores the one day that changed under `telemetry:YYYY-MM-DD` in
// storage.local. Nothing here leaves the machine.
import { Telemetry } from '../../crate/pkg/revoscope.js';
import { ext } from './api';
import { loaded } from './engine';
import type { Counted } from './engine';
import { t } from './i18n';
import type { Problem } from './engine-types/Problem';
import type { StoredDay } from './engine-types/StoredDay';
import type { Summary, TelemetryExport, TelemetryReply } from './telemetry-types';

const DAY_PREFIX = 'telemetry:';
/** The days stored, so a restarted background finds them without reading
 * all of storage.local (the OneCRL collection there is a megabyte). */
const INDEX_KEY = 'telemetryDays';
/** Stored days this version could not read, kept rather than deleted:
 * `{"YYYY-MM-DD@ms": {stored, error, code}}`. */
const UNREADABLE_KEY = 'telemetryUnreadable';
/** The verdict history of earlier versions held site hostnames: dropped. */
const OLD_HISTORY_KEY = 'history';

interface Store {
  days: Telemetry;
  unreadable: { key: string; error: string }[];
  /** The days the stored index names: a day not in it is added to the
   * index in the same write as the day, whoever counted in it. */
  indexed: Set<string>;
}

type Aside = Record<string, { stored: unknown; error: string; code: string }>;

let loading: Promise<Store> | undefined;

async function load(): Promise<Store> {
  // What is stored is read while the engine loads: the first page after a
  // start waits for both, one after the other otherwise.
  const storedRead = ext.storage.local.get([INDEX_KEY, UNREADABLE_KEY]).then(async (got) => {
    const index = (got[INDEX_KEY] as string[] | undefined) ?? [];
    const keys = index.map((day) => DAY_PREFIX + day);
    return { index, earlier: (got[UNREADABLE_KEY] ?? {}) as Aside, days: keys.length ? await ext.storage.local.get(keys) : {} };
  });
  const { engine, settings } = await loaded(); // also initialises the wasm module
  const days = new Telemetry(settings.telemetryRetentionDays);
  // The engine counts the page loads it evaluates into the same days.
  engine.setTelemetry(days);
  const stored = await storedRead;
  const aside: Aside = {};
  const unreadableDays: string[] = [];
  for (const day of stored.index) {
    const json = stored.days[DAY_PREFIX + day];
    if (json === undefined) continue; // listed, never written: nothing to keep
    const error = typeof json === 'string'
      ? (days.loadDay(day, json) as Problem | null)
      : { code: 'malformed', message: t('settings_telemetry_not_json') };
    if (!error) continue;
    aside[`${day}@${Date.now()}`] = { stored: json, error: error.message, code: error.code };
    unreadableDays.push(day);
  }
  const unreadable = Object.entries({ ...stored.earlier, ...aside })
    .map(([key, value]) => ({ key: `${UNREADABLE_KEY}.${key}`, error: `${value.error} [${value.code}]` }));
  const s: Store = { days, unreadable, indexed: new Set(stored.index) };
  // The upkeep writes go in the queue, not in the way of the first page.
  void serialised(async () => {
    if (unreadableDays.length) {
      // Copied aside in one write, then the originals removed: a crash in
      // between leaves two copies, never none.
      await writeIndex(s, { [UNREADABLE_KEY]: { ...stored.earlier, ...aside } });
      await ext.storage.local.remove(unreadableDays.map((day) => DAY_PREFIX + day));
    }
    await prune(s);
    await ext.storage.local.remove(OLD_HISTORY_KEY);
  });
  return s;
}

/** The store, loaded once; a load that failed is tried again next time. */
function store(): Promise<Store> {
  loading ??= load().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** Writes the index of the days held, with `more` in the same write. */
async function writeIndex(s: Store, more: Record<string, unknown> = {}): Promise<void> {
  const held = s.days.days();
  await ext.storage.local.set({ ...more, [INDEX_KEY]: held });
  s.indexed = new Set(held);
}

/** Removes the days past the retention from memory and storage. */
async function prune(s: Store): Promise<void> {
  const gone = s.days.prune(Date.now());
  if (gone.length === 0) return;
  // Days first, then the index: a crash in between leaves the index naming
  // a day that is gone (skipped on load), never a day no index names.
  await ext.storage.local.remove(gone.map((day) => DAY_PREFIX + day));
  await writeIndex(s);
}

/** Writes one day as it is now, and in the same write the index when it
 * does not name the day yet. */
async function save(s: Store, day: string): Promise<void> {
  const json = s.days.dayJson(day);
  if (json === undefined) return;
  if (s.indexed.has(day)) await ext.storage.local.set({ [DAY_PREFIX + day]: json });
  else await writeIndex(s, { [DAY_PREFIX + day]: json });
}

let writing: Promise<unknown> = Promise.resolve();

/** Runs `job` after the writes before it, so no count is lost to a race. */
function serialised<T>(job: () => Promise<T>): Promise<T> {
  const next = writing.then(job);
  writing = next.catch((e) => console.warn('revoscope: telemetry not saved:', e));
  return next;
}

/**
 * Whether page loads are counted now; when they are, the engine has the
 * days to count them in (`Engine.inspect`'s `count` option). Telemetry that
 * cannot load counts nothing (and says why) rather than fail the page.
 */
export async function counting(): Promise<boolean> {
  try {
    const { settings } = await loaded();
    if (!settings.telemetry) return false;
    await store();
    return true;
  } catch (e) {
    console.warn('revoscope: telemetry not loaded, the page is not counted:', e);
    return false;
  }
}

/**
 * Stores the day a page load was counted in by the engine.
 * `withdrawNotInspected` names the day a page was first counted as not
 * inspected (Chrome, inspected later on request): it leaves that count, so
 * the page counts once. Answers the day.
 */
export function saveCounted(counted: Counted, withdrawNotInspected?: string): Promise<string> {
  return serialised(async () => {
    const s = await store();
    if (withdrawNotInspected && s.days.withdrawNotInspected(withdrawNotInspected) !== null) {
      await save(s, withdrawNotInspected);
    }
    // The day as it is now, not as it was when counted: a later page load's
    // count may already be in it, and this write must not undo that one.
    await save(s, counted.day);
    await prune(s);
    return counted.day;
  });
}

/** A page without a verdict: blocked by the browser, not inspected, or a chain that does not evaluate. */
export function recordPageLevel(path: 'BrowserBlocked' | 'NotInspected' | 'EvaluationError', timeMs: number): Promise<string | null> {
  return serialised(async () => {
    const { settings } = await loaded();
    if (!settings.telemetry) return null;
    const s = await store();
    const { day } = s.days.recordPageLevel(path, timeMs) as StoredDay;
    await save(s, day);
    await prune(s);
    return day;
  });
}

export async function telemetrySummary(days: number): Promise<TelemetryReply> {
  const { settings } = await loaded();
  const s = await store();
  await writing;
  return {
    summary: s.days.summary(Date.now(), Math.max(1, Math.floor(days))) as Summary,
    unreadable: s.unreadable,
    recording: settings.telemetry,
  };
}

export async function telemetryExport(format: 'csv' | 'json'): Promise<TelemetryExport> {
  const { days } = await store();
  await writing;
  const date = new Date().toISOString().slice(0, 10);
  return format === 'csv'
    ? { filename: `revoscope-telemetry-${date}.csv`, mime: 'text/csv', text: days.exportCsv() }
    : { filename: `revoscope-telemetry-${date}.json`, mime: 'application/json', text: days.exportJson(Date.now()) };
}

/** Deletes every stored day, the unreadable ones kept aside included. */
export function deleteTelemetry(): Promise<void> {
  return serialised(async () => {
    const s = await store();
    const all = await ext.storage.local.get(null as unknown as string);
    // Every day key, also one a crash left out of the index.
    const keys = Object.keys(all).filter((k) => k.startsWith(DAY_PREFIX));
    s.days.clear();
    s.unreadable = [];
    s.indexed = new Set();
    await ext.storage.local.remove([...keys, INDEX_KEY, UNREADABLE_KEY]);
  });
}

/** A new retention applies at once: days outside it are deleted. */
export function setRetention(days: number): Promise<void> {
  return serialised(async () => {
    const s = await store();
    s.days.setRetentionDays(days);
    await prune(s);
  });
}

/** The days held, oldest first (`YYYY-MM-DD`), after the writes before. */
export async function heldDays(): Promise<string[]> {
  const { days } = await store();
  await writing;
  return days.days();
}

/**
 * The report to share for `day` (crate/src/telemetry/report.rs), as JSON
 * text, after the writes before it; null when the day is not held or had
 * too few page loads to report.
 */
export async function dayReport(day: string, id: Uint8Array, extensionVersion: string, browser: 'firefox' | 'chrome'): Promise<string | null> {
  const { days } = await store();
  await writing;
  return days.report(day, id, extensionVersion, browser) ?? null;
}
