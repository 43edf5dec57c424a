// OneCRL updates: a signed Remote Settings sync on install and every six
// hours, the verified collection kept in storage.local, and how each check
// went, for the panel and the options. The engine fetches and verifies
// (Engine.syncOnecrl); this module schedules, stores and reports.
import { ext } from './api';
import type { Fetched } from './engine-types/Fetched';
import type { OnecrlSyncReport } from './engine-types/OnecrlSyncReport';
import type { SyncOptions } from './engine-types/SyncOptions';
import { scheduledSync } from './scheduled-sync';
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

const schedule = scheduledSync(
  { alarm: ALARM, statusKey: STATUS_KEY, periodMinutes: PERIOD_MINUTES },
  sync,
  async () => (await loaded()).settings.onecrlUpdates,
);

/** Checks for an update now; one check at a time. */
export const syncNow = schedule.now;
export const lastSync = schedule.last;
/** Registers the schedule; call synchronously at start. */
export const startOnecrlSync = schedule.start;

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
  return status;
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
