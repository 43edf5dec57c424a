// The telemetry's labels in words and colours, and its numbers in words:
// shared by the extension's dashboard (one user's days) and the public
// dashboard (the collector's aggregates across users), so both say the same.
// The words are the UI language's messages, read when this module loads: the
// public dashboard hands its (English) messages over before (public.ts).
import { formatDay, formatNumber, t, uiLanguage } from '../extension/src/i18n';
import type { CrlClass, CrliteLabel, HardFail, LiveClass, NotAsked, Path, RevocationInfo } from '../extension/src/telemetry-types';
import type { Theme } from './charts';

// ---------------------------------------------------------------------------
// Numbers in words

// One formatter for every number, in the UI language: formatNumber would
// build one per call.
let numberFormat: Intl.NumberFormat | undefined;
export const num = (n: number) => (numberFormat ??= new Intl.NumberFormat(uiLanguage())).format(n);
/** "1 day", "2 days": English only, for the public dashboard (the extension's words are messages). */
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
/** A data-value: the number, or "" for none. */
export const dataValue = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** A UTC day (YYYY-MM-DD) as the seconds of its midnight, the charts' day axis. */
export const utcSecs = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
/** A UTC day (YYYY-MM-DD) in words. */
export const dayWords = (day: string) => formatDay(utcSecs(day) * 1000);

/** Milliseconds, ungrouped as in the bucket names ("16384 ms"). */
const ms = (n: number) => formatNumber(n, { useGrouping: false });

/** Latency estimates: "≈ 347 ms", or "≥ 16384 ms" in the open-ended last bucket. */
export function msWords(value: number | null, lastFloor: number): string {
  if (value === null) return '—';
  return value >= lastFloor ? `≥ ${ms(lastFloor)} ms` : `≈ ${ms(Math.round(value))} ms`;
}

// ---------------------------------------------------------------------------
// The engine's labels (crate/src/telemetry/event.rs) in words

/** Each path label: its colour in the charts and what it means, in Firefox's order first. */
export const PATHS: [Path, string, string][] = [
  ['OneCRL', '#8250df', t('dashboard_path_onecrl')],
  ['CRLite', '#bf3989', t('dashboard_path_crlite')],
  ['ShortValidity', '#2da44e', t('dashboard_path_short_validity')],
  ['StapledOCSP', '#218bff', t('dashboard_path_stapled_ocsp')],
  ['CachedOCSP', '#54aeff', t('dashboard_path_cached_ocsp')],
  ['OCSP', '#e16f24', t('dashboard_path_ocsp')],
  ['MustStaple', '#a475f9', t('dashboard_path_must_staple')],
  ['NoRevocationInfo', '#8c959f', t('dashboard_path_no_revocation_info')],
  ['PolicySkipped', '#bf8700', t('dashboard_path_policy_skipped')],
  ['BrowserBlocked', '#cf222e', t('dashboard_path_browser_blocked')],
  ['NotInspected', '#afb8c1', t('dashboard_path_not_inspected')],
  ['EvaluationError', '#6e4000', t('dashboard_path_evaluation_error')],
  ['CRL', '#1b7c83', t('dashboard_path_crl')],
];
/** The first labels of PATHS are Firefox's own. */
export const FIREFOX_LABELS = 6;
/** Pages without a verdict: counted as page loads, not as evaluated. */
export const PAGE_LEVEL_PATHS: readonly Path[] = ['BrowserBlocked', 'NotInspected', 'EvaluationError'];

export const NOT_ASKED_WORDS: Record<NotAsked, string> = {
  'off': t('dashboard_not_asked_off'),
  'policy': t('dashboard_not_asked_policy'),
  'not-possible': t('dashboard_not_asked_not_possible'),
};

/** The live classes that are answers; every other class is a failure. */
export const ANSWERS: readonly LiveClass[] = ['good', 'revoked', 'unknown'];
export const isFailure = (c: LiveClass) => !ANSWERS.includes(c);

export const FAILURE_WORDS: [LiveClass, string][] = [
  ['timeout', t('dashboard_class_timeout')],
  ['network', t('dashboard_class_network')],
  ['http-status', t('dashboard_class_http_status')],
  ['malformed', t('dashboard_failure_malformed')],
  ['try-later', t('dashboard_failure_try_later')],
  ['unauthorized', t('dashboard_failure_unauthorized')],
  ['bad-signature', t('dashboard_failure_bad_signature')],
  ['responder-error', t('dashboard_failure_responder_error')],
  ['invalid', t('dashboard_failure_invalid')],
];

export const CRLITE_LABELS: [CrliteLabel, string][] = [
  ['revoked_in_filter', t('dashboard_crlite_revoked_in_filter')],
  ['not_revoked', t('dashboard_crlite_not_revoked')],
  ['not_enrolled', t('dashboard_crlite_not_enrolled')],
  ['not_covered', t('dashboard_crlite_not_covered')],
  ['no_filter', t('dashboard_crlite_no_filter')],
];

/** What revocation information a leaf carries: its colour and its meaning, in drawing order. */
export const REVOCATION_INFO: [RevocationInfo, string, string][] = [
  ['ocsp-only', '#e16f24', t('dashboard_info_ocsp_only')],
  ['both', '#8250df', t('dashboard_info_both')],
  ['crl-only', '#1b7c83', t('dashboard_info_crl_only')],
  ['neither', '#8c959f', t('dashboard_info_neither')],
];

export const REVOCATION_INFO_WORDS = t('dashboard_info_words');

/** The CRL classes: `ok` and the failures, with their meaning. */
export const CRL_CLASS_WORDS: [CrlClass, string][] = [
  ['ok', t('dashboard_crl_ok')],
  ['timeout', t('dashboard_class_timeout')],
  ['network', t('dashboard_class_network')],
  ['http-status', t('dashboard_class_http_status')],
  ['too-large', t('dashboard_crl_too_large')],
  ['malformed', t('dashboard_crl_malformed')],
  ['bad-signature', t('dashboard_crl_bad_signature')],
  ['wrong-issuer', t('dashboard_crl_wrong_issuer')],
  ['stale', t('dashboard_crl_stale')],
  ['out-of-scope', t('dashboard_crl_out_of_scope')],
  ['unsupported', t('dashboard_crl_unsupported')],
  ['other', t('dashboard_crl_other')],
];

/** Each CRL class's colour in the per-day chart: ok in the theme's good colour, the failures apart. */
export const CRL_CLASS_COLORS: Record<CrlClass, (t: Theme) => string> = {
  'ok': (t) => t.good,
  'timeout': (t) => t.warn,
  'network': (t) => t.bad,
  'http-status': () => '#bf3989',
  'too-large': () => '#8250df',
  'malformed': () => '#6e4000',
  'bad-signature': () => '#a40e26',
  'wrong-issuer': () => '#bf8700',
  'stale': () => '#e16f24',
  'out-of-scope': () => '#54aeff',
  'unsupported': () => '#8c959f',
  'other': () => '#57606a',
};

/** What hard-fail would have done with a page: the breakage estimate's parts, in drawing order. */
export interface HardFailPart {
  key: HardFail;
  /** In the stacked bar's legend. */
  legend: string;
  color: (theme: Theme) => string;
  /** The term and its meaning, for the blocking reasons and the undetermined. */
  term?: string;
  meaning?: string;
}

export const HARD_FAIL_PARTS: HardFailPart[] = [
  { key: 'accept', legend: t('dashboard_hard_fail_accept'), color: (theme) => theme.good },
  { key: 'block-revoked', legend: t('dashboard_hard_fail_revoked'), color: (theme) => theme.bad,
    term: t('dashboard_hard_fail_revoked_term'), meaning: t('dashboard_hard_fail_revoked_meaning') },
  { key: 'block-unknown', legend: t('dashboard_hard_fail_unknown'), color: () => '#e16f24',
    term: t('dashboard_hard_fail_unknown_term'), meaning: t('dashboard_hard_fail_unknown_meaning') },
  { key: 'block-offline', legend: t('dashboard_hard_fail_offline'), color: (theme) => theme.warn,
    term: t('dashboard_hard_fail_offline_term'), meaning: t('dashboard_hard_fail_offline_meaning') },
  { key: 'block-error', legend: t('dashboard_hard_fail_error'), color: () => '#8250df',
    term: t('dashboard_hard_fail_error_term'), meaning: t('dashboard_hard_fail_error_meaning') },
  { key: 'undetermined', legend: t('dashboard_hard_fail_undetermined'), color: () => '#8c959f',
    term: t('dashboard_hard_fail_undetermined_term'), meaning: t('dashboard_hard_fail_undetermined_meaning') },
];

export const SOFT_FAIL_WORDS = t('dashboard_soft_fail_words');
