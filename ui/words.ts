// The engine's tokens in words, for the panel.
import type { Outcome, Status, Verdict } from '../extension/src/verdict';
import type { Step } from '../extension/src/engine-types/Step';

export const STEP_WORDS: Record<Step, string> = {
  'issuer': 'Issuer certificate',
  'onecrl': 'OneCRL',
  'crlset': "Chrome's CRLSet",
  'crlite': 'CRLite',
  'short-lived': 'Short-lived exemption',
  'stapled-ocsp': 'Stapled OCSP',
  'must-staple': 'OCSP must-staple',
  'cached-ocsp': 'Cached OCSP answer',
  'live-ocsp': 'Live OCSP',
  'crl': "The CA's CRL",
  'no-revocation-info': 'No revocation information',
  'policy': 'Policy',
};

export const STATUS_WORDS: Record<Status, string> = {
  'good': 'Good (not revoked)',
  'revoked': 'Revoked',
  'unknown': 'Unknown (the responder does not know it)',
  'offline': 'Offline (no usable answer)',
  'exempt': 'Exempt (short-lived)',
  'not-checked': 'Not checked',
  'pending': 'Undecided (needs live OCSP or the CA\'s CRL)',
  'incomplete': 'Incomplete (the issuer certificate is missing)',
  'error': 'Error',
};

/** The status in a few words, for the compact rows. */
export const STATUS_SHORT: Record<Status, string> = {
  'good': 'not revoked',
  'revoked': 'revoked',
  'unknown': 'unknown to its responder',
  'offline': 'no usable answer',
  'exempt': 'exempt (short-lived)',
  'not-checked': 'not checked',
  'pending': 'undecided',
  'incomplete': 'issuer missing',
  'error': 'failed a requirement',
};

export const STATUS_CLASS: Record<Status, string> = {
  'good': 'good', 'exempt': 'good', 'revoked': 'bad', 'error': 'bad',
  'unknown': 'warn', 'offline': 'warn', 'not-checked': 'none', 'pending': 'none',
  'incomplete': 'none',
};

export const OUTCOME_WORDS: Record<Outcome, [string, string]> = {
  'accept': ['Accepted: no certificate of the chain is revoked', 'good'],
  'soft-fail-accept': ['Accepted only by soft-fail: live OCSP gave no usable answer', 'warn'],
  'block': ['The policy blocks this page', 'bad'],
  'incomplete': ['Undecided: the leaf needs a live OCSP answer, its CRL or its issuer', 'none'],
};

export const OUTCOME_SHORT: Record<Outcome, string> = {
  'accept': 'Accepted',
  'soft-fail-accept': 'Accepted by soft-fail',
  'block': 'Blocked',
  'incomplete': 'Undecided',
};

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
  if (!deciding) return OUTCOME_SHORT[verdict.outcome];
  const who = deciding.index === 0 ? '' : `the ${deciding.role} `;
  const outcome = OUTCOME_SHORT[verdict.outcome];
  if (deciding.status === 'pending' || deciding.status === 'incomplete') {
    return `${outcome}: ${who || 'the leaf '}${NEEDS[deciding.decided_by] ?? 'needs more than the lists held'}`;
  }
  const how = deciding.decided_by === 'no-revocation-info' ? 'nothing the policy consults covers it'
    : `per ${STEP_WORDS[deciding.decided_by]}`;
  return `${outcome}: ${who && `${who}is `}${STATUS_SHORT[deciding.status]}, ${how}`;
}

/** What an undecided certificate waits for, by the step that waits. */
const NEEDS: Partial<Record<Step, string>> = {
  'live-ocsp': 'needs a live OCSP answer',
  'crl': "needs the CA's CRL",
  'issuer': 'needs its issuer certificate',
};

/** The most telling part of a subject: its CN, else its O, else all of it. */
export function shortName(subject: string): string {
  const part = (key: string) => new RegExp(`(?:^|,\\s*)${key}=((?:\\\\.|[^,])+)`).exec(subject)?.[1];
  return part('CN') ?? part('O') ?? subject;
}

export function hardFailWords(value: boolean | null): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return 'unknown (it depends on a live OCSP answer that was not obtained)';
}

/** "90 days", "6 days 4 h", "2 h", "12 min". */
export function durationWords(secs: number): string {
  const days = Math.floor(secs / 86400);
  const hours = Math.floor((secs % 86400) / 3600);
  if (days >= 30) return `${days} days`;
  if (days > 0) return hours ? `${days} days ${hours} h` : `${days} days`;
  if (hours > 0) return `${hours} h`;
  return `${Math.floor(secs / 60)} min`;
}

/** "43%", "2.5%" (one decimal under 10 %), or "—" for no rate. */
export function percentWords(rate: number | null): string {
  if (rate === null) return '—';
  const p = rate * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** "25% (3 of 12 page loads)", or "none yet (no page loads)" when nothing was counted. */
export function shareWords(part: number, whole: number, of: string): string {
  if (whole === 0) return `none yet (no ${of})`;
  return `${percentWords(part / whole)} (${part} of ${whole} ${of})`;
}
