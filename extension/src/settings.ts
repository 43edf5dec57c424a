// The user's options, stored in storage.local. Shared by the background
// (which applies them) and the options page (which edits them).
import { ext } from './api';

export type ChromeCapture = 'on-demand' | 'always';

/** Sharing the daily report: never opted in or withdrawn; sharing; paused
 * (the queue is kept, nothing is sent and no new day is queued). */
export type SharingMode = 'off' | 'on' | 'paused';

export interface Settings {
  /** A preset name: mozilla-plan, hard-fail or firefox-today. */
  policy: string;
  /** Tunables that differ from the preset (Policy::from_json's keys). */
  overrides: Record<string, string | number | boolean>;
  /** Whether the extension asks OCSP responders itself (off by default:
   * each request tells the CA which certificate, so which site, you use). */
  liveOcsp: boolean;
  /** Chrome: capture when asked in the panel, or keep tabs attached. */
  chromeCapture: ChromeCapture;
  /** Fetch signed OneCRL updates from Remote Settings (install, then every six hours). */
  onecrlUpdates: boolean;
  /** The Remote Settings server, ending in /v1. */
  onecrlServer: string;
  /** Hex SHA-256 of the root to pin instead of Mozilla's (a staging or
   * test server, as Firefox's old security.content.signature.root_hash);
   * empty for Mozilla's. */
  onecrlRootHash: string;
  /** Fetch CRLite filters from the same server while the policy uses
   * CRLite (install, then every six hours; megabytes, not kilobytes). */
  crliteUpdates: boolean;
  /** Keep local telemetry (counts per day, never sent anywhere). */
  telemetry: boolean;
  /** Days of telemetry kept, 1 to 3660. */
  telemetryRetentionDays: number;
  /** Sharing a daily report (sharing.ts); changed on the sharing page only,
   * and in Firefox it follows the data collection permission. */
  sharing: SharingMode;
  /** The collector the reports go to (`POST {collectorUrl}/v1/reports`);
   * empty: none, nothing can be sent. */
  collectorUrl: string;
  /** Each report is sent at a random time up to this many minutes after it
   * is queued (0 to 1440), so the send time says nothing of when the day
   * ended on this computer or of when the user clicked. */
  sharingDelayMinutes: number;
}

/** The engine's bound on the retention (crate/src/limits.rs). */
export const MAX_RETENTION_DAYS = 3660;

/** The bound on the sharing delay: a day. */
export const MAX_SHARING_DELAY_MINUTES = 1440;

/** Mozilla's Remote Settings server, as Firefox's services.settings.server. */
export const MOZILLA_REMOTE_SETTINGS = 'https://firefox.settings.services.mozilla.com/v1';

export const DEFAULT_SETTINGS: Settings = {
  policy: 'mozilla-plan',
  overrides: {},
  liveOcsp: false,
  chromeCapture: 'on-demand',
  onecrlUpdates: true,
  onecrlServer: MOZILLA_REMOTE_SETTINGS,
  onecrlRootHash: '',
  crliteUpdates: true,
  telemetry: true,
  telemetryRetentionDays: 90,
  sharing: 'off',
  collectorUrl: '',
  sharingDelayMinutes: 10,
};

const KEY = 'settings';

/** The stored settings, with defaults for anything missing or malformed. */
export async function loadSettings(): Promise<Settings> {
  const stored = (await ext.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  return normalise(stored);
}

export function normalise(stored: Partial<Settings> | undefined): Settings {
  const s = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    if (typeof stored.policy === 'string') s.policy = stored.policy;
    if (stored.overrides && typeof stored.overrides === 'object') s.overrides = { ...stored.overrides };
    if (typeof stored.liveOcsp === 'boolean') s.liveOcsp = stored.liveOcsp;
    if (stored.chromeCapture === 'always' || stored.chromeCapture === 'on-demand') s.chromeCapture = stored.chromeCapture;
    if (typeof stored.onecrlUpdates === 'boolean') s.onecrlUpdates = stored.onecrlUpdates;
    if (typeof stored.onecrlServer === 'string' && /^https?:\/\//.test(stored.onecrlServer)) s.onecrlServer = stored.onecrlServer;
    if (typeof stored.crliteUpdates === 'boolean') s.crliteUpdates = stored.crliteUpdates;
    if (typeof stored.telemetry === 'boolean') s.telemetry = stored.telemetry;
    const days = stored.telemetryRetentionDays;
    if (Number.isInteger(days) && days! >= 1 && days! <= MAX_RETENTION_DAYS) s.telemetryRetentionDays = days!;
    if (typeof stored.onecrlRootHash === 'string' && /^([0-9a-f]{64})?$/.test(stored.onecrlRootHash)) s.onecrlRootHash = stored.onecrlRootHash;
    if (stored.sharing === 'on' || stored.sharing === 'paused' || stored.sharing === 'off') s.sharing = stored.sharing;
    const collector = typeof stored.collectorUrl === 'string' ? collectorUrl(stored.collectorUrl) : null;
    if (collector !== null) s.collectorUrl = collector;
    const delay = sharingDelay(stored.sharingDelayMinutes);
    if (delay !== null) s.sharingDelayMinutes = delay;
  }
  return s;
}

/** A sharing delay as stored: whole minutes, 0 to a day; null otherwise. */
export function sharingDelay(value: unknown): number | null {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_SHARING_DELAY_MINUTES ? (value as number) : null;
}

/**
 * A collector URL as stored: empty, or an http(s) URL with no query,
 * fragment or credentials, without its trailing slashes (`/v1/reports` is
 * appended). Null when `text` is none of these.
 */
export function collectorUrl(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
}

export async function saveSettings(settings: Settings): Promise<void> {
  await ext.storage.local.set({ [KEY]: settings });
}

/** The policy text the engine takes: a preset name, or JSON over a base. */
export function policyText(settings: Settings): string {
  if (Object.keys(settings.overrides).length === 0) return settings.policy;
  return JSON.stringify({ base: settings.policy, ...settings.overrides });
}

export function onSettingsChanged(listener: (settings: Settings) => void): void {
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && KEY in changes) listener(normalise(changes[KEY].newValue as Partial<Settings>));
  });
}
