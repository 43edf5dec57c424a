// A bounded local record of past verdicts, for the dashboard (measurement
// issue). It stays in storage.local and never leaves the machine.
import { ext } from './api';
import { liveOcspSkipped, type TabState } from './tab-state';

const KEY = 'history';
export const HISTORY_LIMIT = 2000;

export interface HistoryEntry {
  at: number;
  host: string;
  outcome: string;
  leafStatus?: string;
  leafDecidedBy?: string;
  /** What live OCSP did: not needed, needed but off, or its answer / failure class. */
  liveOcsp: string;
  liveElapsedMs?: number;
}

function entryOf(state: TabState): HistoryEntry {
  const leaf = state.verdict?.certificates[0];
  let liveOcsp = 'not-needed';
  if (state.status === 'blocked-by-browser') liveOcsp = 'unknown';
  else if (liveOcspSkipped(state)) liveOcsp = 'needed-off';
  else if (state.liveRequest) liveOcsp = leaf?.status === 'offline' ? `offline:${leaf.offline?.class ?? '?'}` : leaf?.status ?? '?';
  return {
    at: state.capturedAt,
    host: new URL(state.url).host,
    outcome: state.status === 'blocked-by-browser' ? 'blocked-by-browser' : state.verdict?.outcome ?? state.status,
    leafStatus: leaf?.status,
    leafDecidedBy: leaf?.decided_by,
    liveOcsp,
    liveElapsedMs: state.liveRequest?.elapsed_ms,
  };
}

let writing: Promise<void> = Promise.resolve();

/** Appends one entry; writes are serialised so none is lost to a race. */
export function appendHistory(state: TabState): Promise<void> {
  writing = writing.then(async () => {
    const list = ((await ext.storage.local.get(KEY))[KEY] as HistoryEntry[] | undefined) ?? [];
    list.push(entryOf(state));
    await ext.storage.local.set({ [KEY]: list.slice(-HISTORY_LIMIT) });
  }).catch((e) => console.warn('revoscope: history not saved:', e));
  return writing;
}
