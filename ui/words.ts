// The engine's tokens in words, for the panel.
import type { Outcome, Status } from '../extension/src/verdict';
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
