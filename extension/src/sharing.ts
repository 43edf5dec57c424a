// Sharing a coarse daily report, for users who opt in: when a UTC day has
// ended, the days since the opt-in not yet reported are built by the engine
// (Telemetry.report) and queued in storage.local; each queued report is
// sent to the collector at a random time within the delay the settings
// allow, retried with backoff on alarms, and removed only once the
// collector acknowledged it. Nothing is queued or sent unless the user
// opted in; pausing keeps the queue and sends nothing; withdrawing deletes
// the queue.
//
// Consent: in Firefox the data collection permission `technicalAndInteraction`
// (manifest `data_collection_permissions.optional`) is the consent, asked
// for from the sharing page and withdrawn there or in about:addons; the
// settings' `sharing` follows it. In Chrome the sharing page's own consent
// sets `sharing`.
import { reportLayout } from '../../crate/pkg/revoscope.js';
import { ext, isFirefox } from './api';
import { postReport, retryDelayMs, type SendOutcome } from './collector-client';
import { loaded } from './engine';
import { t } from './i18n';
import type { Settings, SharingMode } from './settings';
import { loadSettings, onSettingsChanged, updateSettings } from './settings-store';
import { DATA_COLLECTION, type DayOutcome, type QueuedReport, type RefusedReport, type ReportSection, type SharedDay, type SharingInfo } from './sharing-types';
import { dayReport, heldDays } from './telemetry';

const STATE_KEY = 'sharing';
/** Checks for days that ended; hourly is plenty for one report a day. */
const DAY_ALARM = 'sharing-day';
const DAY_PERIOD_MINUTES = 60;
/** Wakes the background when the next queued report is due. */
const SEND_ALARM = 'sharing-send';
const HISTORY_KEPT = 60;
const REFUSED_KEPT = 20;

interface SharingState {
  /** When the user opted in; null when not (or after withdrawing). */
  optedInAt: number | null;
  /** The last UTC day reported or passed over. Kept after a withdrawal, so
   * opting in again never reports a day twice. */
  doneThrough: string | null;
  queue: QueuedReport[];
  refused: RefusedReport[];
  history: SharedDay[];
}

const EMPTY: SharingState = { optedInAt: null, doneThrough: null, queue: [], refused: [], history: [] };

async function readState(): Promise<SharingState> {
  const stored = (await ext.storage.local.get(STATE_KEY))[STATE_KEY] as Partial<SharingState> | undefined;
  return { ...EMPTY, ...(stored && typeof stored === 'object' ? stored : {}) };
}

function writeState(state: SharingState): Promise<void> {
  return ext.storage.local.set({ [STATE_KEY]: state });
}

let chain: Promise<unknown> = Promise.resolve();

/** Runs `job` after the jobs before it: one reader-writer of the state at a time. */
function serialised<T>(job: () => Promise<T>): Promise<T> {
  const next = chain.then(job);
  chain = next.catch((e) => console.warn('revoscope: sharing:', e));
  return next;
}

// ---------------------------------------------------------------------------
// Days

/** The UTC day of `ms`, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayBefore(day: string): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - 86_400_000);
}

function noteDay(state: SharingState, day: string, outcome: DayOutcome, at: number): void {
  state.history = [...state.history, { day, at, outcome }].slice(-HISTORY_KEPT);
}

const browserName = (): 'firefox' | 'chrome' => (isFirefox ? 'firefox' : 'chrome');

/**
 * Builds `day`'s report with a fresh random id and queues it, due at a
 * random time within the delay. False when the day had too few page loads
 * (or none recorded): nothing is queued.
 */
async function queueDay(state: SharingState, settings: Settings, day: string, reason: QueuedReport['reason'], now: number): Promise<boolean> {
  const id = crypto.getRandomValues(new Uint8Array(16));
  const json = await dayReport(day, id, ext.runtime.getManifest().version, browserName());
  if (json === null) return false;
  state.queue = [...state.queue, {
    id: (JSON.parse(json) as { id: string }).id,
    day,
    json,
    reason,
    queuedAt: now,
    dueAt: now + Math.floor(Math.random() * settings.sharingDelayMinutes * 60_000),
    attempts: 0,
    lastError: null,
  }];
  return true;
}

/** Queues the days that ended since the last one done (paused: passes them over). */
async function queueEndedDays(state: SharingState, settings: Settings, now: number): Promise<void> {
  if (state.optedInAt === null || settings.sharing === 'off' || state.doneThrough === null) return;
  const today = utcDay(now);
  const yesterday = dayBefore(today);
  if (state.doneThrough >= yesterday) return;
  // Only days with counts can have a report; the engine holds each of them.
  for (const day of await heldDays()) {
    if (day <= state.doneThrough || day >= today) continue;
    if (settings.sharing === 'paused') noteDay(state, day, 'paused', now);
    else if (!(await queueDay(state, settings, day, 'day-ended', now))) noteDay(state, day, 'too-few-pages', now);
  }
  state.doneThrough = yesterday;
}

// ---------------------------------------------------------------------------
// Consent

/** Firefox's data collection permissions, which @types/chrome does not know. */
interface DataCollection {
  data_collection?: string[];
}
const permissions = ext.permissions as unknown as {
  contains(p: DataCollection): Promise<boolean>;
  remove(p: DataCollection): Promise<boolean>;
  onAdded: chrome.events.Event<(p: DataCollection) => void>;
  onRemoved: chrome.events.Event<(p: DataCollection) => void>;
};

/** Firefox: whether the data collection permission is granted; null in Chrome. */
async function permissionGranted(): Promise<boolean | null> {
  return isFirefox ? permissions.contains({ data_collection: [DATA_COLLECTION] }) : null;
}

/** In-flight sends, stopped by a withdrawal. */
const inFlight = new Set<AbortController>();

/**
 * Brings the state in line with the settings and, in Firefox, the
 * permission: a granted permission is an opt-in (the user may grant it in
 * Firefox's own install prompt or about:addons), a missing one a
 * withdrawal. Opting in starts with today: earlier days are never
 * reported. Withdrawing deletes the queue and the refused reports.
 */
async function reconcile(): Promise<{ settings: Settings; state: SharingState }> {
  let settings = await loadSettings();
  const state = await readState();
  let mode: SharingMode = settings.sharing;
  const granted = await permissionGranted();
  if (granted === true && mode === 'off') mode = 'on';
  if (granted === false && mode !== 'off') mode = 'off';
  const now = Date.now();
  let changed = false;
  if (mode === 'off' && (state.optedInAt !== null || state.queue.length > 0 || state.refused.length > 0)) {
    for (const controller of inFlight) controller.abort();
    Object.assign(state, { optedInAt: null, queue: [], refused: [] });
    changed = true;
  }
  if (mode !== 'off' && state.optedInAt === null) {
    const yesterday = dayBefore(utcDay(now));
    Object.assign(state, { optedInAt: now, doneThrough: state.doneThrough && state.doneThrough > yesterday ? state.doneThrough : yesterday });
    changed = true;
  }
  if (mode !== settings.sharing) settings = await updateSettings({ sharing: mode });
  if (changed) await writeState(state);
  return { settings, state };
}

/** Sets the mode: `on` opts in (Firefox: once the permission is granted) or resumes; `off` withdraws. */
export async function setSharingMode(mode: SharingMode): Promise<SharingInfo> {
  await serialised(async () => {
    const settings = await loadSettings();
    const granted = await permissionGranted();
    if (mode !== 'off' && granted === false) {
      throw new Error(t('settings_sharing_not_granted'));
    }
    if (mode === 'paused' && settings.sharing === 'off') throw new Error(t('settings_sharing_nothing_to_pause'));
    // Firefox: the permission goes first, or the next reconcile would read
    // the permission still granted as an opt-in.
    if (mode === 'off' && granted === true && !(await permissions.remove({ data_collection: [DATA_COLLECTION] }))) {
      throw new Error(t('settings_sharing_not_withdrawn'));
    }
    await updateSettings({ sharing: mode });
    const { settings: now, state } = await reconcile();
    await queueEndedDays(state, now, Date.now());
    await writeState(state);
  });
  sendDue().catch(() => {});
  return sharingInfo();
}

// ---------------------------------------------------------------------------
// Actions

/** "Share today so far now": queues today's report now and marks today done. */
export async function shareTodayNow(): Promise<SharingInfo> {
  await serialised(async () => {
    const { settings, state } = await reconcile();
    if (settings.sharing !== 'on') throw new Error(settings.sharing === 'off' ? t('settings_sharing_is_off') : t('settings_sharing_is_paused'));
    const now = Date.now();
    await queueEndedDays(state, settings, now);
    const today = utcDay(now);
    if (state.doneThrough !== null && state.doneThrough >= today) {
      await writeState(state);
      throw new Error(t('settings_sharing_today_done'));
    }
    if (!(await queueDay(state, settings, today, 'shared-now', now))) {
      await writeState(state);
      throw new Error(t('settings_sharing_today_too_few'));
    }
    state.doneThrough = today;
    await writeState(state);
  });
  sendDue().catch(() => {});
  return sharingInfo();
}

/** "Try again now": reports that failed are due at once. */
export async function retryNow(): Promise<SharingInfo> {
  await serialised(async () => {
    const state = await readState();
    const now = Date.now();
    state.queue = state.queue.map((r) => (r.attempts > 0 ? { ...r, dueAt: now } : r));
    await writeState(state);
  });
  await sendDue();
  return sharingInfo();
}

/** Forgets the refused reports. */
export async function clearRefused(): Promise<SharingInfo> {
  await serialised(async () => {
    const state = await readState();
    state.refused = [];
    await writeState(state);
  });
  return sharingInfo();
}

// ---------------------------------------------------------------------------
// Sending

let flushing: Promise<void> | undefined;
let again = false;

/** Sends every report that is due, one at a time; then sets the alarm for the next. */
export function sendDue(): Promise<void> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = flush().finally(() => { flushing = undefined; });
  return flushing;
}

async function flush(): Promise<void> {
  do {
    again = false;
    for (;;) {
      const next = await serialised(async () => {
        const settings = await loadSettings();
        if (settings.sharing !== 'on' || settings.collectorUrl === '') return null;
        const now = Date.now();
        const due = (await readState()).queue.filter((r) => r.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt)[0];
        return due ? { report: due, collector: settings.collectorUrl } : null;
      });
      if (!next) break;
      // The state is not held during the request: a withdrawal meanwhile
      // aborts it and deletes the queue, and the answer then changes nothing.
      const controller = new AbortController();
      inFlight.add(controller);
      let outcome: SendOutcome;
      try {
        outcome = await postReport(next.collector, next.report.json, controller.signal);
      } finally {
        inFlight.delete(controller);
      }
      if (outcome.kind === 'retry' && outcome.status === null) outcome = await explainNetworkError(outcome, next.collector);
      await serialised(() => settle(next.report.id, outcome));
    }
  } while (again);
  await scheduleSend();
}

/** Applies the collector's answer to a queued report. */
async function settle(id: string, outcome: SendOutcome): Promise<void> {
  const state = await readState();
  const report = state.queue.find((r) => r.id === id);
  if (!report) return; // withdrawn meanwhile
  const now = Date.now();
  if (outcome.kind === 'acknowledged') {
    state.queue = state.queue.filter((r) => r !== report);
    noteDay(state, report.day, outcome.status === 201 ? 'sent' : 'already-stored', now);
  } else if (outcome.kind === 'refused') {
    state.queue = state.queue.filter((r) => r !== report);
    state.refused = [...state.refused, {
      id: report.id, day: report.day, json: report.json, refusedAt: now,
      status: outcome.status, error: outcome.error, message: outcome.message,
    }].slice(-REFUSED_KEPT);
    noteDay(state, report.day, 'refused', now);
  } else {
    report.attempts += 1;
    report.lastError = { at: now, status: outcome.status, message: outcome.message };
    report.dueAt = now + retryDelayMs(report.attempts, outcome.retryAfterMs);
  }
  await writeState(state);
}

/** Firefox: a request without the host permission for the collector fails like a network error; say so. */
async function explainNetworkError(outcome: SendOutcome & { kind: 'retry' }, collector: string): Promise<SendOutcome> {
  if (!isFirefox) return outcome;
  const origin = `${new URL(collector).origin}/*`;
  const allowed = await ext.permissions.contains({ origins: [origin] }).catch(() => true);
  return allowed ? outcome : { ...outcome, message: t('settings_sharing_no_host_permission', new URL(collector).host) };
}

/** One alarm at the next report's due time (none while nothing can be sent). */
async function scheduleSend(): Promise<void> {
  const settings = await loadSettings();
  const queue = (await readState()).queue;
  if (settings.sharing !== 'on' || settings.collectorUrl === '' || queue.length === 0) {
    await ext.alarms.clear(SEND_ALARM);
    return;
  }
  const next = Math.min(...queue.map((r) => r.dueAt));
  await ext.alarms.create(SEND_ALARM, { when: Math.max(next, Date.now() + 1_000) });
}

// ---------------------------------------------------------------------------
// What the sharing page shows

let layout: ReportSection[] | undefined;

export async function sharingInfo(): Promise<SharingInfo> {
  await loaded(); // the wasm module, for the layout
  layout ??= reportLayout() as ReportSection[];
  const [settings, state, permission] = await Promise.all([loadSettings(), readState(), permissionGranted()]);
  return {
    mode: settings.sharing,
    browser: browserName(),
    permission,
    collectorUrl: settings.collectorUrl,
    delayMinutes: settings.sharingDelayMinutes,
    telemetry: settings.telemetry,
    optedInAt: state.optedInAt,
    doneThrough: state.doneThrough,
    today: utcDay(Date.now()),
    queue: state.queue,
    refused: state.refused,
    history: state.history,
    layout,
  };
}

// ---------------------------------------------------------------------------
// Start

/** Checks for ended days and sends what is due. */
function tick(): void {
  serialised(async () => {
    const { settings, state } = await reconcile();
    const before = JSON.stringify(state);
    await queueEndedDays(state, settings, Date.now());
    if (JSON.stringify(state) !== before) await writeState(state);
  }).then(() => sendDue()).catch((e) => console.warn('revoscope: sharing:', e));
}

/** Registers the listeners (synchronously, so the event that woke a
 * stopped service worker is not missed) and checks once at start. */
export function startSharing(): void {
  ext.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === DAY_ALARM) tick();
    if (alarm.name === SEND_ALARM) sendDue().catch((e) => console.warn('revoscope: sharing:', e));
  });
  if (isFirefox) {
    const ours = (p: DataCollection) => p.data_collection?.includes(DATA_COLLECTION) ?? false;
    permissions.onAdded.addListener((p) => { if (ours(p)) tick(); });
    permissions.onRemoved.addListener((p) => { if (ours(p)) tick(); });
  }
  onSettingsChanged(() => tick());
  ext.alarms.get(DAY_ALARM).then((alarm) => {
    if (!alarm) ext.alarms.create(DAY_ALARM, { periodInMinutes: DAY_PERIOD_MINUTES, delayInMinutes: DAY_PERIOD_MINUTES });
  }).catch(() => {});
  tick();
}
