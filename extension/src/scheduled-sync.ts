// The schedule the extension's list updates share (OneCRL, CRLite, Chrome's
// CRLSet): one check at a time, at install and then every so often (an
// alarm, which wakes a stopped service worker), and the last check's status
// kept in storage.local for the views. Each list's module says what a
// check does and when one is wanted.
import { ext } from './api';

/** What a check of a list's server records, whatever the list. */
export interface CheckStatus {
  /** When the check ran (ms since the epoch). */
  checkedAt: number;
  status: 'updated' | 'up-to-date' | 'failed';
  error: { code: string; message: string } | null;
  /** The last check that did not fail, this one included. */
  lastSuccessAt: number | null;
  server: string;
}

export interface ScheduledSync<S> {
  /** Checks now (whatever the schedule's conditions); one check at a time. */
  now(): Promise<S>;
  /** The last check's status, or null. */
  last(): Promise<S | null>;
  /** Registers the alarm and the install listener; call synchronously at start. */
  start(): void;
}

export function scheduledSync<S>(
  { alarm, statusKey, periodMinutes }: { alarm: string; statusKey: string; periodMinutes: number },
  check: () => Promise<S>,
  wanted: () => Promise<boolean>,
): ScheduledSync<S> {
  let running: Promise<S> | undefined;
  const now = () => {
    running ??= check()
      .then(async (status) => {
        await ext.storage.local.set({ [statusKey]: status });
        return status;
      })
      .finally(() => { running = undefined; });
    return running;
  };
  const scheduled = () => {
    wanted().then((yes) => { if (yes) return now(); }).catch(() => {});
  };
  return {
    now,
    async last() {
      return ((await ext.storage.local.get(statusKey))[statusKey] as S | undefined) ?? null;
    },
    start() {
      ext.alarms.onAlarm.addListener((a) => { if (a.name === alarm) scheduled(); });
      ext.runtime.onInstalled.addListener(scheduled);
      ext.alarms.get(alarm).then((a) => {
        if (!a) ext.alarms.create(alarm, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
      }).catch(() => {});
    },
  };
}
