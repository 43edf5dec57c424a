// Chrome's CRLSet: fetched as Chrome's component updater fetches it (the
// update check, then the CRX3 package), at install, every six hours and on
// request, while updates are on, in both browsers (Chrome's view of every
// page needs it; in Chrome, chrome-today decides by it). The engine
// fetches, verifies the package against the pinned publisher key, refuses
// a rollback and puts the new set in force (Engine.syncCrlset); this module
// schedules, stores (crlset-store.ts) and reports how each check went.
import { loaded, type Problem } from './engine';
import { writeCrlset } from './crlset-store';
import { scheduledSync, type CheckStatus } from './scheduled-sync';
import type { CrlSetInForce } from './engine-types/CrlSetInForce';
import type { CrlsetSyncOptions } from './engine-types/CrlsetSyncOptions';
import type { CrlsetSyncReport } from './engine-types/CrlsetSyncReport';
import type { Fetched } from './engine-types/Fetched';

/** Chrome's component updater checks about every five hours; six, as the
 * other lists here. */
const PERIOD_MINUTES = 6 * 60;
const ALARM = 'crlset-sync';
const STATUS_KEY = 'crlsetSync';

export interface CrlsetSyncStatus extends CheckStatus {
  /** The version the server offered, and the Sequence of the set in force after. */
  version: string | null;
  sequence: number | null;
  /** The new set is in force but could not be stored. */
  storeError: string | null;
  requests: Fetched[];
}

const schedule = scheduledSync(
  { alarm: ALARM, statusKey: STATUS_KEY, periodMinutes: PERIOD_MINUTES },
  sync,
  async () => (await loaded()).settings.crlsetUpdates,
);

/** Checks for a new CRLSet now; one check at a time. */
export const syncCrlsetNow = schedule.now;
export const lastCrlsetSync = schedule.last;
/** Registers the schedule; call synchronously at start. */
export const startCrlsetSync = schedule.start;

async function sync(): Promise<CrlsetSyncStatus> {
  const l = await loaded();
  const { crlsetServer: server, crlsetKeySha256: keySha256 } = l.settings;
  const checkedAt = Date.now();
  const previous = await lastCrlsetSync();
  let status: CrlsetSyncStatus;
  try {
    const options: CrlsetSyncOptions = { server, keySha256: keySha256 || undefined };
    const report = (await l.engine.syncCrlset(checkedAt, options)) as CrlsetSyncReport;
    let storeError: string | null = null;
    if (report.bytes) {
      // A new set is in force: whatever failed to load at start is replaced.
      l.crlsetLoad = null;
      try {
        await writeCrlset({ bytes: report.bytes, version: report.version, fetchedAt: checkedAt });
      } catch (e) {
        storeError = (e as Error).message ?? String(e);
      }
    }
    status = {
      checkedAt,
      status: report.status,
      error: report.error,
      lastSuccessAt: report.status === 'failed' ? previous?.lastSuccessAt ?? null : checkedAt,
      server,
      version: report.version,
      sequence: report.info?.info.sequence ?? null,
      storeError,
      requests: report.requests,
    };
  } catch (e) {
    // Before the engine ran: the options were refused. Nothing changed.
    status = {
      checkedAt, status: 'failed', error: { code: 'engine', message: (e as Error).message ?? String(e) },
      lastSuccessAt: previous?.lastSuccessAt ?? null, server, version: null, sequence: null, storeError: null, requests: [],
    };
  }
  return status;
}

/** Everything the views show about the CRLSet. */
export interface CrlsetInfo {
  updates: boolean;
  /** The set in force now, or null. */
  set: CrlSetInForce | null;
  /** Why the stored set was not put in force at start, or null. */
  loadError: Problem | null;
  lastSync: CrlsetSyncStatus | null;
}

export async function crlsetInfo(): Promise<CrlsetInfo> {
  const l = await loaded();
  return {
    updates: l.settings.crlsetUpdates,
    set: (l.engine.crlsetInfo(Date.now()) as CrlSetInForce | null) ?? null,
    loadError: l.crlsetLoad,
    lastSync: await lastCrlsetSync(),
  };
}
