// The telemetry summary as the engine hands it over (crate/src/telemetry/
// summary.rs is the contract): per-day rows and totals over a range.

export type Path =
  | 'OneCRL' | 'CRLite' | 'ShortValidity' | 'StapledOCSP' | 'CachedOCSP' | 'OCSP'
  | 'MustStaple' | 'NoRevocationInfo' | 'PolicySkipped'
  | 'BrowserBlocked' | 'NotInspected' | 'EvaluationError';

export type LiveClass =
  | 'good' | 'revoked' | 'unknown' | 'timeout' | 'network' | 'http-status' | 'malformed'
  | 'try-later' | 'unauthorized' | 'bad-signature' | 'responder-error' | 'invalid';

export type NotAsked = 'off' | 'policy' | 'not-possible';

export type HardFail = 'accept' | 'block-revoked' | 'block-unknown' | 'block-offline' | 'block-error' | 'undetermined';

export type Counts<K extends string> = Partial<Record<K, number>>;

export interface LiveRates {
  evaluated: number;
  needed: number;
  asked: number;
  failures: number;
  unknown: number;
  /** needed / evaluated; null when nothing was evaluated. */
  usage_rate: number | null;
  /** failures / asked; null when nothing was asked. */
  failure_rate: number | null;
}

export interface DayRow {
  day: string;
  pages: number;
  live: LiveRates;
  paths: Counts<Path>;
  hard_fail: Counts<HardFail>;
}

export interface Breakage {
  evaluated: number;
  would_block: number;
  revoked: number;
  unknown: number;
  offline: number;
  error: number;
  undetermined: number;
  block_rate: number | null;
  breakage_rate: number | null;
}

export interface ResponderRow {
  host: string;
  attempts: number;
  failures: number;
  failure_rate: number | null;
  outcomes: Counts<LiveClass>;
  p50_ms: number | null;
  p95_ms: number | null;
}

/** Firefox's `cert_verifier.crlite_status` labels. */
export type CrliteLabel = 'no_filter' | 'not_covered' | 'not_enrolled' | 'not_revoked' | 'revoked_in_filter';

export interface Summary {
  from: string;
  to: string;
  retention_days: number;
  days_with_data: number;
  days: DayRow[];
  totals: {
    pages: number;
    live: LiveRates;
    paths: Counts<Path>;
    ca_paths: Counts<Path>;
    live_outcomes: Counts<LiveClass>;
    live_not_asked: Counts<NotAsked>;
    live_methods: Counts<'GET' | 'POST'>;
    breakage: Breakage;
    browser_ocsp_known: number;
    browser_ocsp_used: number;
    browser_ocsp_rate: number | null;
    /** CRLite's answers for the leaves it was asked about. */
    crlite: Counts<CrliteLabel>;
  };
  latency: { floors_ms: number[]; counts: number[]; p50_ms: number | null; p95_ms: number | null };
  responders: ResponderRow[];
}

/** What the background answers to `telemetry-summary`. */
export interface TelemetryReply {
  summary: Summary;
  /** Stored days that could not be read, kept aside in storage (key and why). */
  unreadable: { key: string; error: string }[];
  /** Whether the extension records at all (the option). */
  recording: boolean;
}

export interface TelemetryExport {
  filename: string;
  mime: string;
  text: string;
}
