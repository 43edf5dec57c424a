// OneCRL updates: a signed Remote Settings sync on install and every six
// hours, the verified collection kept in storage.local, and how each check
// went, for the panel and the options. The engine fetches and verifies
// (Engine.syncOnecrl); this module schedules, stores and reports.
import { ext } from './api';
import type { Fetched } from './engine-types/Fetched';
import type { OnecrlSyncReport } from './engine-types/OnecrlSyncReport';
import type { SyncOptions } from './engine-types/SyncOptions';
import { currentOnecrl, loaded, STORED_ONECRL_KEY, type OnecrlSource, type SnapshotStats, type StoredCollection } from './engine';

/** Remote Settings publishes OneCRL changes about daily; Firefox polls more
 * often. Six hours keeps a revocation at most a quarter day behind. */
const PERIOD_MINUTES = 6 * 60;
const ALARM = 'onecrl-sync';
const STATUS_KEY = 'onecrlSync';

export interface SyncStatus {
  /** When the check ran (ms since the epoch). */
  checkedAt: number;
  status: 'updated' | 'up-to-date' | 'failed';
  error: { code: string; message: string } | null;
  incremental: boolean;
  server: string;
  requests: Fetched[];
}

let running: Promise<SyncStatus> | undefined;

/** Checks for an update now; one check at a time. */
export function syncNow(): Promise<SyncStatus> {
  running ??= sync().finally(() => { running = undefined; });
  return running;
}

async function sync(): Promise<SyncStatus> {
  const l = await loaded();
  const { onecrlServer: server, onecrlRootHash: rootHash } = l.settings;
  const checkedAt = Date.now();
  let status: SyncStatus;
  try {
    const options: SyncOptions = { server, rootHashes: rootHash ? [rootHash] : undefined };
    const report = (await l.engine.syncOnecrl(checkedAt, options)) as OnecrlSyncReport;
    status = { checkedAt, server, status: report.status, error: report.error, incremental: report.incremental, requests: report.requests };
    if (report.status === 'updated' && report.dump !== null) {
      const stored: StoredCollection = { dump: report.dump, timestamp: report.timestamp, signer: report.signer, verifiedAt: checkedAt, server };
      // The engine already uses the new collection; keep it for restarts.
      await ext.storage.local.set({ [STORED_ONECRL_KEY]: stored });
      l.onecrl = currentOnecrl(stored);
    }
  } catch (e) {
    status = { checkedAt, server, status: 'failed', error: { code: 'engine', message: (e as Error).message ?? String(e) }, incremental: false, requests: [] };
  }
  await ext.storage.local.set({ [STATUS_KEY]: status });
  return status;
}

export async function lastSync(): Promise<SyncStatus | null> {
  return ((await ext.storage.local.get(STATUS_KEY))[STATUS_KEY] as SyncStatus | undefined) ?? null;
}

/** Registers the schedule; listeners are added synchronously at start, so
 * an alarm that wakes a stopped service worker is not missed. */
export function startOnecrlSync(): void {
  const scheduled = () => {
    loaded().then((l) => { if (l.settings.onecrlUpdates) return syncNow(); }).catch(() => {});
  };
  ext.alarms.onAlarm.addListener((alarm) => { if (alarm.name === ALARM) scheduled(); });
  ext.runtime.onInstalled.addListener(scheduled);
  ext.alarms.get(ALARM).then((alarm) => {
    if (!alarm) ext.alarms.create(ALARM, { periodInMinutes: PERIOD_MINUTES, delayInMinutes: PERIOD_MINUTES });
  }).catch(() => {});
}

/** Everything the views show about the OneCRL collection in force. */
export interface OnecrlInfo extends OnecrlSource {
  stats: SnapshotStats;
  /** The policy's staleness threshold, and whether the collection is past it. */
  maxAgeHours: number;
  stale: boolean;
  /** A root other than Mozilla's is pinned. */
  customRoot: boolean;
  updates: boolean;
  lastSync: SyncStatus | null;
}

export async function onecrlInfo(): Promise<OnecrlInfo> {
  const l = await loaded();
  const stats = l.engine.snapshotStats() as SnapshotStats;
  const maxAgeHours = Number((l.engine.policy() as { onecrl_max_age_hours: number }).onecrl_max_age_hours);
  return {
    ...l.onecrl,
    stats,
    maxAgeHours,
    stale: Date.now() - stats.timestamp > maxAgeHours * 3_600_000,
    customRoot: l.settings.onecrlRootHash !== '',
    updates: l.settings.onecrlUpdates,
    lastSync: await lastSync(),
  };
}
