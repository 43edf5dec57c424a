// The user's options: their schema, defaults and checks. Shared by the
// background, which alone stores and applies them (settings-store.ts), and
// the views, which ask it for changes (a SettingsPatch).

import { isFirefox } from './api';
import { t } from './i18n';

export type ChromeCapture = 'on-demand' | 'always';

/** Sharing the daily report: never opted in or withdrawn; sharing; paused
 * (the queue is kept, nothing is sent and no new day is queued). */
export type SharingMode = 'off' | 'on' | 'paused';

export interface Settings {
  /** A preset name (the engine's: firefox-today, chrome-today, mozilla-plan,
   * hard-fail, inspector). The default is the browser's own behaviour. */
  policy: string;
  /** Tunables that differ from the preset (Policy::from_json's keys). */
  overrides: Record<string, string | number | boolean>;
  /** Whether the extension asks OCSP responders itself (off by default:
   * each request tells the CA which certificate, so which site, you use). */
  liveOcsp: boolean;
  /** Fetch the CA's CRL of a leaf that names a CRL and no OCSP responder,
   * and show what it says beside the browser's verdict (which it does not
   * change); also lets a policy's CRL step fetch. A CRL covers many
   * certificates: fetching it tells the CA which of its lists, not which site. */
  checkCrls: boolean;
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
  /** Fetch Chrome's CRLSet from Chrome's component updater (install, then
   * every six hours; about 600 KB), for Chrome's view of every page (and
   * Chrome's verdict in Chrome). The request names the CRLSet component,
   * nothing about the pages visited. */
  crlsetUpdates: boolean;
  /** The component update server (its update-check address). */
  crlsetServer: string;
  /** Hex SHA-256 of the publisher key to pin instead of Chrome's (a test
   * server); empty for Chrome's. */
  crlsetKeySha256: string;
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

/** Chrome's component updater, as Chrome asks it for components
 * (agl/crlset-tools asks it the same way for the CRLSet). */
export const CHROME_UPDATE_SERVER = 'https://clients2.google.com/service/update2/crx';

export const DEFAULT_SETTINGS: Settings = {
  // What the browser does: Firefox's defaults (security/certverifier) in
  // Firefox, Chrome's (its CRLSet, no online checks) in Chrome.
  policy: isFirefox ? 'firefox-today' : 'chrome-today',
  overrides: {},
  liveOcsp: false,
  checkCrls: true,
  chromeCapture: 'on-demand',
  onecrlUpdates: true,
  onecrlServer: MOZILLA_REMOTE_SETTINGS,
  onecrlRootHash: '',
  crliteUpdates: true,
  crlsetUpdates: true,
  crlsetServer: CHROME_UPDATE_SERVER,
  crlsetKeySha256: '',
  telemetry: true,
  telemetryRetentionDays: 90,
  sharing: 'off',
  collectorUrl: '',
  sharingDelayMinutes: 10,
};

/** What a setting accepts, in words (in the UI language when a refusal
 * is said), and the check: the value as kept (a collector URL loses its
 * trailing slashes), or null when refused. */
interface Field<T> {
  accepts: () => string;
  read(value: unknown): T | null;
}

const boolean: Field<boolean> = { accepts: () => t('settings_accepts_boolean'), read: (v) => (typeof v === 'boolean' ? v : null) };

function oneOf<T extends string>(...values: T[]): Field<T> {
  return { accepts: () => t('settings_accepts_one_of', values.join(', ')), read: (v) => (values.includes(v as T) ? (v as T) : null) };
}

function wholeNumber(min: number, max: number, unit: 'days' | 'minutes'): Field<number> {
  return {
    accepts: () => (unit === 'days' ? t('settings_accepts_days', min, max) : t('settings_accepts_minutes', min, max)),
    read: (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : null),
  };
}

function isTunable(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

const httpAddress: Field<string> = {
  accepts: () => t('settings_accepts_http_address'),
  read: (v) => (typeof v === 'string' && /^https?:\/\//.test(v) ? v : null),
};

const sha256OrEmpty: Field<string> = {
  accepts: () => t('settings_accepts_sha256'),
  read: (v) => (typeof v === 'string' && /^([0-9a-f]{64})?$/.test(v) ? v : null),
};

/** Every setting's field: what is stored is read through it (a refused
 * value falls back to the default), and so is every patch (a refused value
 * refuses the patch). */
const FIELDS: { [K in keyof Settings]: Field<Settings[K]> } = {
  policy: { accepts: () => t('settings_accepts_preset'), read: (v) => (typeof v === 'string' && v !== '' ? v : null) },
  overrides: {
    accepts: () => t('settings_accepts_overrides'),
    read: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isTunable)
      ? { ...(v as Settings['overrides']) } : null),
  },
  liveOcsp: boolean,
  checkCrls: boolean,
  chromeCapture: oneOf<ChromeCapture>('on-demand', 'always'),
  onecrlUpdates: boolean,
  onecrlServer: httpAddress,
  onecrlRootHash: sha256OrEmpty,
  crliteUpdates: boolean,
  crlsetUpdates: boolean,
  crlsetServer: httpAddress,
  crlsetKeySha256: sha256OrEmpty,
  telemetry: boolean,
  telemetryRetentionDays: wholeNumber(1, MAX_RETENTION_DAYS, 'days'),
  sharing: oneOf<SharingMode>('off', 'on', 'paused'),
  collectorUrl: {
    accepts: () => t('settings_accepts_collector'),
    read: (v) => (typeof v === 'string' ? collectorUrl(v) : null),
  },
  sharingDelayMinutes: wholeNumber(0, MAX_SHARING_DELAY_MINUTES, 'minutes'),
};

/** The stored settings, with defaults for anything missing or malformed. */
export function normalise(stored: unknown): Settings {
  const s: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    for (const [key, field] of Object.entries(FIELDS) as [keyof Settings, Field<unknown>][]) {
      s[key] = field.read((stored as Record<string, unknown>)[key]) ?? DEFAULT_SETTINGS[key];
    }
  }
  return s as unknown as Settings;
}

/** A change the views ask for: the settings it names, each replaced whole
 * (`overrides` included). Sharing is not among them: it follows consent,
 * which the `sharing-set` request handles. */
export type SettingsPatch = Partial<Omit<Settings, 'sharing'>>;

/** Settings a patch may not name, and why. */
const NOT_PATCHED: Partial<Record<keyof Settings, () => string>> = {
  sharing: () => t('settings_not_patched_sharing'),
};

/** `patch` checked against the settings' fields, each value as it will be
 * kept; throws naming the first key that is unknown or has a refused value. */
export function settingsPatch(patch: unknown): SettingsPatch {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new Error(t('settings_patch_not_object', shown(patch)));
  }
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(FIELDS, key)) throw new Error(t('settings_no_such_setting', JSON.stringify(key)));
    const why = NOT_PATCHED[key as keyof Settings];
    if (why) throw new Error(why());
    const field = FIELDS[key as keyof Settings] as Field<unknown>;
    const read = field.read(value);
    if (read === null) throw new Error(t('settings_refused_value', key, field.accepts(), shown(value)));
    checked[key] = read;
  }
  return checked as SettingsPatch;
}

/** A value as an error message quotes it: its JSON, cut short. */
function shown(value: unknown): string {
  const json = value === undefined ? 'undefined' : (JSON.stringify(value) ?? typeof value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * A collector URL as stored: empty, or an http(s) URL with no query,
 * fragment or credentials, without its trailing slashes (`/v1/reports` is
 * appended). Null when `text` is none of these.
 */
function collectorUrl(text: string): string | null {
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

/** The policy text the engine takes: a preset name, or JSON over a base. */
export function policyText(settings: Settings): string {
  if (Object.keys(settings.overrides).length === 0) return settings.policy;
  return JSON.stringify({ base: settings.policy, ...settings.overrides });
}
