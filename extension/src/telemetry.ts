// Local telemetry: the engine's Telemetry aggregates page loads per UTC day
// in memory; this module loads the stored days once, gives them to the
// engine, which counts each page load in the call that evaluates it, and
// stores the one day that changed under `telemetry:YYYY-MM-DD` in
// storage.local. Nothing here leaves the machine.
import { Telemetry } from '../../crate/pkg/revoscope.js';
import { ext } from './api';
import { loaded } from './engine';
import type { Counted } from './engine';
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
}

let loading: Promise<Store> | undefined;

async function load(): Promise<Store> {
  const { engine, settings } = await loaded(); // also initialises the wasm module
  const days = new Telemetry(settings.telemetryRetentionDays);
  // The engine counts the page loads it evaluates into the same days.
  engine.setTelemetry(days);
  const index = ((await ext.storage.local.get(INDEX_KEY))[INDEX_KEY] as string[] | undefined) ?? [];
  const keys = index.map((day) => DAY_PREFIX + day);
  const stored = keys.length ? await ext.storage.local.get(keys) : {};
  const aside: Record<string, { stored: unknown; error: string; code: string }> = {};
  const unreadableDays: string[] = [];
  for (const day of index) {
    const json = stored[DAY_PREFIX + day];
    if (json === undefined) continue; // listed, never written: nothing to keep
    const error = typeof json === 'string'
      ? (days.loadDay(day, json) as { code: string; message: string } | null)
      : { code: 'malformed', message: 'the stored day is not JSON text' };
    if (!error) continue;
    aside[`${day}@${Date.now()}`] = { stored: json, error: error.message, code: error.code };
    unreadableDays.push(day);
  }
  const earlier = ((await ext.storage.local.get(UNREADABLE_KEY))[UNREADABLE_KEY] ?? {}) as typeof aside;
  if (unreadableDays.length) {
    // Copied aside in one write, then the originals removed: a crash in
    // between leaves two copies, never none.
    await ext.storage.local.set({ [UNREADABLE_KEY]: { ...earlier, ...aside }, [INDEX_KEY]: days.days() });
    await ext.storage.local.remove(unreadableDays.map((day) => DAY_PREFIX + day));
  }
  const unreadable = Object.entries({ ...earlier, ...aside })
    .map(([key, value]) => ({ key: `${UNREADABLE_KEY}.${key}`, error: `${value.error} [${value.code}]` }));
  await prune(days);
  await ext.storage.local.remove(OLD_HISTORY_KEY);
  return { days, unreadable };
}

function store(): Promise<Store> {
  loading ??= load();
  return loading;
}

/** Removes the days past the retention from memory and storage. */
async function prune(days: Telemetry): Promise<void> {
  const gone = days.prune(Date.now());
  if (gone.length === 0) return;
  // Days first, then the index: a crash in between leaves the index naming
  // a day that is gone (skipped on load), never a day no index names.
  await ext.storage.local.remove(gone.map((day) => DAY_PREFIX + day));
  await ext.storage.local.set({ [INDEX_KEY]: days.days() });
}

/** Writes one changed day, and in the same write the index when the day is new. */
async function save(days: Telemetry, changed: StoredDay): Promise<void> {
  await ext.storage.local.set({
    [DAY_PREFIX + changed.day]: changed.json,
    ...(changed.new_day ? { [INDEX_KEY]: days.days() } : {}),
  });
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
 * days to count them in (`Engine.inspect`'s `count` option).
 */
export async function counting(): Promise<boolean> {
  const { settings } = await loaded();
  if (!settings.telemetry) return false;
  await store();
  return true;
}

/**
 * Stores the day a page load was counted in by the engine.
 * `withdrawNotInspected` names the day a page was first counted as not
 * inspected (Chrome, inspected later on request): it leaves that count, so
 * the page counts once. Answers the day.
 */
export function saveCounted(counted: Counted, withdrawNotInspected?: string): Promise<string> {
  return serialised(async () => {
    const { days } = await store();
    if (withdrawNotInspected) {
      const changed = days.withdrawNotInspected(withdrawNotInspected) as StoredDay | null;
      if (changed) await save(days, changed);
    }
    // The day as it is now, not as it was when counted: a later page load's
    // count may already be in it, and this write must not undo that one.
    const json = days.dayJson(counted.day);
    if (json !== undefined) await save(days, { day: counted.day, json, new_day: counted.new_day });
    await prune(days);
    return counted.day;
  });
}

/** A page without a verdict: blocked by the browser, not inspected, or a chain that does not evaluate. */
export function recordPageLevel(path: 'BrowserBlocked' | 'NotInspected' | 'EvaluationError', timeMs: number): Promise<string | null> {
  return serialised(async () => {
    const { settings } = await loaded();
    if (!settings.telemetry) return null;
    const { days } = await store();
    const changed = days.recordPageLevel(path, timeMs) as StoredDay;
    await save(days, changed);
    await prune(days);
    return changed.day;
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
    await ext.storage.local.remove([...keys, INDEX_KEY, UNREADABLE_KEY]);
  });
}

/** A new retention applies at once: days outside it are deleted. */
export function setRetention(days: number): Promise<void> {
  return serialised(async () => {
    const s = await store();
    s.days.setRetentionDays(days);
    await prune(s.days);
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
