// The engine's tokens in words, for the panel and the option boxes. Each is
// a function: the words are the UI language's (extension/src/i18n.ts), read
// when shown, and this module also serves the public dashboard, whose
// messages are handed over after it loads.
import type { Outcome, Status, Verdict } from '../extension/src/verdict';
import type { Step } from '../extension/src/engine-types/Step';
import type { CertVerdict } from '../extension/src/verdict';
import { formatNumber, t } from '../extension/src/i18n';

export function stepWords(step: Step): string {
  switch (step) {
    case 'issuer': return t('step_issuer');
    case 'onecrl': return 'OneCRL';
    case 'crlset': return t('step_crlset');
    case 'crlite': return 'CRLite';
    case 'short-lived': return t('step_short_lived');
    case 'stapled-ocsp': return t('step_stapled_ocsp');
    case 'must-staple': return t('step_must_staple');
    case 'cached-ocsp': return t('step_cached_ocsp');
    case 'live-ocsp': return t('step_live_ocsp');
    case 'crl': return t('step_crl');
    case 'no-revocation-info': return t('step_no_revocation_info');
    case 'policy': return t('step_policy');
  }
}

export function statusWords(status: Status): string {
  switch (status) {
    case 'good': return t('status_good');
    case 'revoked': return t('status_revoked');
    case 'unknown': return t('status_unknown');
    case 'offline': return t('status_offline');
    case 'exempt': return t('status_exempt');
    case 'not-checked': return t('status_not_checked');
    case 'pending': return t('status_pending');
    case 'incomplete': return t('status_incomplete');
    case 'error': return t('status_error');
  }
}

/** The status in a few words, for the compact rows. */
export function statusShort(status: Status): string {
  switch (status) {
    case 'good': return t('status_short_good');
    case 'revoked': return t('status_short_revoked');
    case 'unknown': return t('status_short_unknown');
    case 'offline': return t('status_short_offline');
    case 'exempt': return t('status_short_exempt');
    case 'not-checked': return t('status_short_not_checked');
    case 'pending': return t('status_short_pending');
    case 'incomplete': return t('status_short_incomplete');
    case 'error': return t('status_short_error');
  }
}

export const STATUS_CLASS: Record<Status, string> = {
  'good': 'good', 'exempt': 'good', 'revoked': 'bad', 'error': 'bad',
  'unknown': 'warn', 'offline': 'warn', 'not-checked': 'none', 'pending': 'none',
  'incomplete': 'none',
};

export const OUTCOME_CLASS: Record<Outcome, string> = {
  'accept': 'good', 'soft-fail-accept': 'warn', 'block': 'bad', 'incomplete': 'none',
};

export function outcomeShort(outcome: Outcome): string {
  switch (outcome) {
    case 'accept': return t('outcome_accept');
    case 'soft-fail-accept': return t('outcome_soft_fail_accept');
    case 'block': return t('outcome_block');
    case 'incomplete': return t('outcome_incomplete');
  }
}

/** "the leaf", "the intermediate", "the root", as the subject of a sentence. */
export function theRoleWords(role: CertVerdict['role']): string {
  switch (role) {
    case 'leaf': return t('role_the_leaf');
    case 'intermediate': return t('role_the_intermediate');
    case 'root': return t('role_the_root');
  }
}

export function roleWords(role: CertVerdict['role']): string {
  switch (role) {
    case 'leaf': return t('role_leaf');
    case 'intermediate': return t('role_intermediate');
    case 'root': return t('role_root');
  }
}

/**
 * The page's answer in one line: the outcome, and the certificate and step
 * that made it ("Accepted: not revoked, per CRLite"; "Blocked: the
 * intermediate is revoked, per OneCRL"). The leaf speaks for an accepted
 * chain; otherwise the first certificate, leaf first, that was not good.
 */
export function glanceWords(verdict: Verdict): string {
  const fine = new Set<Status>(['good', 'exempt', 'not-checked']);
  const deciding = verdict.outcome === 'accept' ? verdict.certificates[0]
    : verdict.certificates.find((c) => !fine.has(c.status)) ?? verdict.certificates[0];
  const outcome = outcomeShort(verdict.outcome);
  if (!deciding) return outcome;
  const who = theRoleWords(deciding.role);
  if (deciding.status === 'pending' || deciding.status === 'incomplete') {
    switch (deciding.decided_by) {
      case 'live-ocsp': return t('glance_needs_live_ocsp', outcome, who);
      case 'crl': return t('glance_needs_crl', outcome, who);
      case 'issuer': return t('glance_needs_issuer', outcome, who);
      default: return t('glance_needs_more', outcome, who);
    }
  }
  const status = statusShort(deciding.status);
  const leaf = deciding.index === 0;
  if (deciding.decided_by === 'no-revocation-info') {
    return leaf ? t('glance_leaf_uncovered', outcome, status) : t('glance_ca_uncovered', outcome, who, status);
  }
  const step = stepWords(deciding.decided_by);
  return leaf ? t('glance_leaf', outcome, status, step) : t('glance_ca', outcome, who, status, step);
}

/** The most telling part of a subject: its CN, else its O, else all of it. */
export function shortName(subject: string): string {
  const part = (key: string) => new RegExp(`(?:^|,\\s*)${key}=((?:\\\\.|[^,])+)`).exec(subject)?.[1];
  return part('CN') ?? part('O') ?? subject;
}

export function hardFailWords(value: boolean | null): string {
  if (value === true) return t('hard_fail_yes');
  if (value === false) return t('hard_fail_no');
  return t('hard_fail_unknown');
}

/** "90 days", "6 days 4 h", "2 h", "12 min". */
export function durationWords(secs: number): string {
  const days = Math.floor(secs / 86400);
  const hours = Math.floor((secs % 86400) / 3600);
  const dayWords = days === 1 ? t('duration_one_day') : t('duration_days', formatNumber(days));
  if (days >= 30) return dayWords;
  if (days > 0) return hours ? t('duration_days_hours', dayWords, hours) : dayWords;
  if (hours > 0) return t('duration_hours', hours);
  return t('duration_minutes', Math.floor(secs / 60));
}

/** "43%", "2.5%" (one decimal under 10 %), or "—" for no rate; in the UI
 * language's own form ("43 %" in German). */
export function percentWords(rate: number | null): string {
  if (rate === null) return '—';
  const p = rate * 100;
  const digits = p > 0 && p < 10 ? 1 : 0;
  return formatNumber(rate, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "25% (3 of 12 page loads)", or "none yet (no page loads)" when nothing
 * was counted; `of` says what was counted. */
export function shareWords(part: number, whole: number, of: 'page-loads' | 'requests'): string {
  if (of === 'page-loads') {
    return whole === 0 ? t('share_none_page_loads')
      : t('share_page_loads', percentWords(part / whole), formatNumber(part), formatNumber(whole));
  }
  return whole === 0 ? t('share_none_requests')
    : t('share_requests', percentWords(part / whole), formatNumber(part), formatNumber(whole));
}
