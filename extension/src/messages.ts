// The messages between the views (panel, options, dashboard, sharing pages)
// and the background: each request type and the type of its reply.
import type { CrliteInfo } from './crlite-sync';
import type { CrlsetInfo } from './crlset-sync';
import type { OnecrlInfo } from './onecrl-sync';
import type { Settings, SettingsPatch, SharingMode } from './settings';
import type { SharingInfo } from './sharing-types';
import type { TabState } from './tab-state';
import type { TelemetryExport, TelemetryReply } from './telemetry-types';

export type Request =
  | { type: 'get-tab'; tabId: number }
  | { type: 'inspect-tab'; tabId: number }
  /** What the CA's CRL says of certificate `index` of the tab's chain
   * (fetched if not held); the answer is kept in the tab's state. */
  | { type: 'crl-check'; tabId: number; index: number }
  | { type: 'policy-presets' }
  /** The settings in force. */
  | { type: 'settings' }
  /** Changes the settings the patch names (each replaced whole), after any
   * change asked for before it; answers with the settings in force. */
  | { type: 'update-settings'; patch: SettingsPatch }
  | { type: 'onecrl' }
  | { type: 'sync-onecrl' }
  | { type: 'crlite' }
  /** Checks for new CRLite filters now (whatever the schedule's conditions). */
  | { type: 'sync-crlite' }
  | { type: 'crlset' }
  | { type: 'sync-crlset' }
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
  /** Reports that failed are tried again at once. */
  | { type: 'sharing-retry' }
  | { type: 'sharing-clear-refused' };

export type RequestType = Request['type'];

/** The request of type `T`. */
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

/** What the background answers to each request type. */
export interface Replies {
  'get-tab': TabReply;
  'inspect-tab': TabReply;
  'crl-check': TabReply;
  'policy-presets': PolicyPreset[];
  'settings': Settings;
  'update-settings': Settings;
  'onecrl': OnecrlInfo;
  'sync-onecrl': OnecrlInfo;
  'crlite': CrliteInfo;
  'sync-crlite': CrliteInfo;
  'crlset': CrlsetInfo;
  'sync-crlset': CrlsetInfo;
  'telemetry-summary': TelemetryReply;
  'telemetry-export': TelemetryExport;
  'telemetry-delete': null;
  'sharing': SharingInfo;
  'sharing-set': SharingInfo;
  'sharing-share-today': SharingInfo;
  'sharing-retry': SharingInfo;
  'sharing-clear-refused': SharingInfo;
}

/** The message the background sends back for a request of type `T`. */
export type Reply<T extends RequestType> = { ok: true; value: Replies[T] } | { ok: false; error: string };

export interface TabReply {
  state: TabState | null;
  browser: 'firefox' | 'chrome';
  settings: Settings;
  policy: { name: string; description: string } & Record<string, unknown>;
  policyError: string | null;
  onecrl: OnecrlInfo;
  crlite: CrliteInfo;
  crlset: CrlsetInfo;
}

export type PolicyPreset = { name: string; description: string } & Record<string, string | number | boolean>;
