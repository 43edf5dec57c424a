// The messages between the panel/options pages and the background.
import type { CrliteInfo } from './crlite-sync';
import type { OnecrlInfo } from './onecrl-sync';
import type { Settings, SharingMode } from './settings';
import type { SharingInfo } from './sharing-types';
import type { TabState } from './tab-state';
import type { TelemetryExport, TelemetryReply } from './telemetry-types';

export type Request =
  | { type: 'get-tab'; tabId: number }
  | { type: 'inspect-tab'; tabId: number }
  | { type: 'policy-presets' }
  | { type: 'onecrl' }
  | { type: 'sync-onecrl' }
  | { type: 'crlite' }
  /** Checks for new CRLite filters now (whatever the schedule's conditions). */
  | { type: 'sync-crlite' }
  /** The last `days` days of telemetry, today included. */
  | { type: 'telemetry-summary'; days: number }
  | { type: 'telemetry-export'; format: 'csv' | 'json' }
  /** Deletes every stored telemetry day. */
  | { type: 'telemetry-delete' }
  /** Sharing the daily report: its state, the queue and what was sent. */
  | { type: 'sharing' }
  /** on: opt in (Firefox: after the page got the permission) or resume; paused; off: withdraw. */
  | { type: 'sharing-set'; mode: SharingMode }
  /** Queues today's report now; later page loads of today stay local. */
  | { type: 'sharing-share-today' }
  | { type: 'sharing-configure'; collectorUrl: string; delayMinutes: number }
  /** Reports that failed are tried again at once. */
  | { type: 'sharing-retry' }
  | { type: 'sharing-clear-refused' };

export interface TabReply {
  state: TabState | null;
  browser: 'firefox' | 'chrome';
  settings: Settings;
  policy: { name: string; description: string } & Record<string, unknown>;
  policyError: string | null;
  onecrl: OnecrlInfo;
  crlite: CrliteInfo;
}

export type PolicyPreset = { name: string; description: string } & Record<string, string | number | boolean>;

export type Reply =
  | {
    ok: true; tab?: TabReply; presets?: PolicyPreset[]; onecrl?: OnecrlInfo; crlite?: CrliteInfo;
    telemetry?: TelemetryReply; export?: TelemetryExport; sharing?: SharingInfo;
  }
  | { ok: false; error: string };
