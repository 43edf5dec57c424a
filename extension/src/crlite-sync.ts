// CRLite filter updates: a signed Remote Settings sync (the server and
// pinned root of the OneCRL options: one Remote Settings service) at
// install, every six hours and on request, while the policy uses CRLite
// and updates are on. The engine fetches, checks and decodes
// (Engine.syncCrlite) and puts the new set in force; this module schedules,
// stores (crlite-store.ts) and reports how each check went.
import { crliteMode, loaded, onPolicyApplied, type CrliteMode, type Problem } from './engine';
import { scheduledSync, type CheckStatus } from './scheduled-sync';
import { indexHashes, readAllFiles, readMeta, writeDump, writeSet } from './crlite-store';
import type { FilterSetInfo } from './engine-types/FilterSetInfo';
import type { CrliteSyncReport } from './engine-types/CrliteSyncReport';
import type { Fetched } from './engine-types/Fetched';
import type { SyncOptions } from './engine-types/SyncOptions';

/** Mozilla publishes a delta about every six hours; a set untouched for ten
 * days counts as no filter, so a few missed checks are harmless. */
const PERIOD_MINUTES = 6 * 60;
const ALARM = 'crlite-sync';
const STATUS_KEY = 'crliteSync';

export interface CrliteSyncStatus extends CheckStatus {
  channel: string;
  /** Only the records' changes were fetched. */
  incremental: boolean;
  /** Filter files downloaded, and their bytes (0 when the set was current). */
  downloadedFiles: number;
  downloadedBytes: number;
  /** The new set is in force but could not be stored: the next start goes
   * back to the stored one (and the next sync stores it again). */
  storeError: string | null;
  /** Stored state the engine could not use and did without. */
  ignored: string[];
  requests: Fetched[];
}

const schedule = scheduledSync(
  { alarm: ALARM, statusKey: STATUS_KEY, periodMinutes: PERIOD_MINUTES },
  sync,
  async () => {
    const l = await loaded();
    return wanted(crliteMode(l.engine), l.settings.crliteUpdates);
  },
);

/** Checks for new filters now; one check at a time. */
export const syncCrliteNow = schedule.now;
export const lastCrliteSync = schedule.last;

async function sync(): Promise<CrliteSyncStatus> {
  const l = await loaded();
  const { onecrlServer: server, onecrlRootHash: rootHash } = l.settings;
  const checkedAt = Date.now();
  const previous = await lastCrliteSync();
  let status: CrliteSyncStatus;
  try {
    // The held files are read first: the engine asks for them synchronously.
    const meta = await readMeta();
    const held = await readAllFiles();
    const options: SyncOptions = { server, rootHashes: rootHash ? [rootHash] : undefined };
    const report = (await l.engine.syncCrlite(
      checkedAt, options, meta.dump ?? undefined, meta.index ?? undefined, (hash: string) => held.get(hash),
    )) as CrliteSyncReport;
    held.clear();
    // A new set is in force: whatever failed to load at start is replaced.
    if (report.index !== null) l.crliteLoad = null;
    let storeError: string | null = null;
    try {
      if (report.index !== null) {
        await writeSet(report.index, indexHashes(report.index), report.downloaded, report.dump);
      } else if (report.dump !== null) {
        await writeDump(report.dump);
      }
    } catch (e) {
      storeError = (e as Error).message ?? String(e);
    }
    status = {
      checkedAt,
      status: report.status,
      error: report.error,
      lastSuccessAt: report.status === 'failed' ? previous?.lastSuccessAt ?? null : checkedAt,
      server,
      channel: report.channel,
      incremental: report.incremental,
      downloadedFiles: report.downloaded.length,
      downloadedBytes: report.downloaded.reduce((sum, f) => sum + f.bytes.byteLength, 0),
      storeError,
      ignored: report.ignored,
      requests: report.requests,
    };
  } catch (e) {
    // Before the engine ran: the stored set could not be read, or the
    // options were refused. Nothing changed.
    const code = (e as { code?: unknown }).code === 'storage' ? 'storage' : 'engine';
    status = {
      checkedAt, status: 'failed', error: { code, message: (e as Error).message ?? String(e) },
      lastSuccessAt: previous?.lastSuccessAt ?? null, server, channel: 'default', incremental: false,
      downloadedFiles: 0, downloadedBytes: 0, storeError: null, ignored: [], requests: [],
    };
  }
  return status;
}

/** Filters are fetched while the policy consults them and updates are on. */
function wanted(mode: CrliteMode, updates: boolean): boolean {
  return updates && mode !== 'disabled';
}

/** Registers the schedule; listeners are added synchronously at start, so
 * an alarm that wakes a stopped service worker is not missed. */
export function startCrliteSync(): void {
  schedule.start();
  // A policy that starts using CRLite gets filters at once, not in six hours.
  onPolicyApplied((l) => {
    if (!wanted(crliteMode(l.engine), l.settings.crliteUpdates)) return;
    const info = l.engine.crliteInfo(Date.now()) as FilterSetInfo | null;
    if (info === null || info.stale) syncCrliteNow().catch(() => {});
  });
}

/** Everything the views show about CRLite. */
export interface CrliteInfo {
  /** The policy's mode. */
  mode: CrliteMode;
  updates: boolean;
  /** The set in force now, or null. */
  set: FilterSetInfo | null;
  /** Why the stored set was not put in force at start, or null. */
  loadError: Problem | null;
  lastSync: CrliteSyncStatus | null;
}

export async function crliteInfo(): Promise<CrliteInfo> {
  const l = await loaded();
  return {
    mode: crliteMode(l.engine),
    updates: l.settings.crliteUpdates,
    set: (l.engine.crliteInfo(Date.now()) as FilterSetInfo | null) ?? null,
    loadError: l.crliteLoad,
    lastSync: await lastCrliteSync(),
  };
}
