// The messages between the panel/options pages and the background.
import type { CrliteInfo } from './crlite-sync';
import type { OnecrlInfo } from './onecrl-sync';
import type { Settings } from './settings';
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
  | { type: 'telemetry-delete' };

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
    telemetry?: TelemetryReply; export?: TelemetryExport;
  }
  | { ok: false; error: string };
