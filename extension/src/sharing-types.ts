// Sharing the daily report, as the background keeps it and the sharing page
// shows it (extension/src/sharing.ts owns the state).
import type { SharingMode } from './settings';

/** Firefox's data collection category the report falls under (manifest
 * `data_collection_permissions.optional`). */
export const DATA_COLLECTION = 'technicalAndInteraction';

/** A report waiting to be sent, exactly as it will be POSTed. */
export interface QueuedReport {
  /** The report's own id: 16 random bytes in hex, fresh for this report. */
  id: string;
  /** The UTC day it counts (`YYYY-MM-DD`). */
  day: string;
  /** The report's JSON text, as sent. */
  json: string;
  /** The day ended, or the user shared today so far. */
  reason: 'day-ended' | 'shared-now';
  queuedAt: number;
  /** When it is sent next: the random delay first, then each retry's backoff. */
  dueAt: number;
  /** Attempts that failed so far. */
  attempts: number;
  lastError: { at: number; status: number | null; message: string } | null;
}

/** A report the collector refused for good (a 4xx other than 409 and 429). */
export interface RefusedReport {
  id: string;
  day: string;
  json: string;
  refusedAt: number;
  status: number;
  /** The collector's error token and its words (`{"error", "message"}`). */
  error: string;
  message: string;
}

/** What became of a day: sent, already stored (a resend), refused, or not reported. */
export type DayOutcome = 'sent' | 'already-stored' | 'refused' | 'too-few-pages' | 'paused';

export interface SharedDay {
  day: string;
  at: number;
  outcome: DayOutcome;
}

/** One section of the report's vector and its cells' labels (the engine's reportLayout()). */
export interface ReportSection {
  name: string;
  labels: string[];
}

export interface SharingInfo {
  mode: SharingMode;
  browser: 'firefox' | 'chrome';
  /** Firefox: whether its data collection permission is granted; null in Chrome. */
  permission: boolean | null;
  collectorUrl: string;
  delayMinutes: number;
  /** Whether local measurement is on: without it there is nothing to report. */
  telemetry: boolean;
  optedInAt: number | null;
  /** The last UTC day reported or passed over; later days are still to come. */
  doneThrough: string | null;
  today: string;
  queue: QueuedReport[];
  refused: RefusedReport[];
  /** The latest days' outcomes, newest last. */
  history: SharedDay[];
  layout: ReportSection[];
}
