// The telemetry's labels in words and colours, and its numbers in words:
// shared by the extension's dashboard (one user's days) and the public
// dashboard (the collector's aggregates across users), so both say the same.
import type { CrlClass, CrliteLabel, HardFail, LiveClass, NotAsked, Path, RevocationInfo } from '../extension/src/telemetry-types';
import type { Theme } from './charts';

// ---------------------------------------------------------------------------
// Numbers in words

// One formatter for every number: toLocaleString would build one per call.
const numberFormat = new Intl.NumberFormat('en-US');
export const num = (n: number) => numberFormat.format(n);
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
/** A data-value: the number, or "" for none. */
export const dataValue = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** A UTC day (YYYY-MM-DD) as the seconds of its midnight, the charts' day axis. */
export const utcSecs = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Latency estimates: "≈ 347 ms", or "≥ 16384 ms" in the open-ended last bucket. */
export function msWords(ms: number | null, lastFloor: number): string {
  if (ms === null) return '—';
  return ms >= lastFloor ? `≥ ${lastFloor} ms` : `≈ ${Math.round(ms)} ms`;
}

// ---------------------------------------------------------------------------
// The engine's labels (crate/src/telemetry/event.rs) in words

/** Each path label: its colour in the charts and what it means, in Firefox's order first. */
export const PATHS: [Path, string, string][] = [
  ['OneCRL', '#8250df', 'Mozilla\'s list of revoked CA certificates decided'],
  ['CRLite', '#bf3989', 'Firefox\'s compact list of all revoked certificates decided'],
  ['ShortValidity', '#2da44e', 'lifetime under the short-lived threshold: no check needed'],
  ['StapledOCSP', '#218bff', 'the server stapled an OCSP answer to the handshake'],
  ['CachedOCSP', '#54aeff', 'an OCSP answer fetched earlier and still valid'],
  ['OCSP', '#e16f24', 'live OCSP needed: a request to the CA\'s responder (made or not)'],
  ['MustStaple', '#a475f9', 'must-staple certificate without a valid staple'],
  ['NoRevocationInfo', '#8c959f', 'no revocation source: the certificate names no OCSP responder'],
  ['PolicySkipped', '#bf8700', 'the policy skipped live OCSP (turned off, or a built-in root with CRLite enforced)'],
  ['BrowserBlocked', '#cf222e', 'the browser refused the handshake: no chain reached the extension'],
  ['NotInspected', '#afb8c1', 'an HTTPS page the extension did not inspect (Chrome, on request)'],
  ['EvaluationError', '#6e4000', 'the captured chain could not be evaluated'],
  ['CRL', '#1b7c83', 'the CA\'s CRL decided (a step browsers do not take: the inspector policy)'],
];
/** The first labels of PATHS are Firefox's own. */
export const FIREFOX_LABELS = 6;
/** Pages without a verdict: counted as page loads, not as evaluated. */
export const PAGE_LEVEL_PATHS: readonly Path[] = ['BrowserBlocked', 'NotInspected', 'EvaluationError'];

export const NOT_ASKED_WORDS: Record<NotAsked, string> = {
  'off': 'live OCSP is off in the options (the default)',
  'policy': 'the policy does not ask (live OCSP disabled, or skipped for built-in roots)',
  'not-possible': 'no request was possible (no issuer in the chain, an unencodable serial, or an issuer above already failed)',
};

/** The live classes that are answers; every other class is a failure. */
export const ANSWERS: readonly LiveClass[] = ['good', 'revoked', 'unknown'];
export const isFailure = (c: LiveClass) => !ANSWERS.includes(c);

export const FAILURE_WORDS: [LiveClass, string][] = [
  ['timeout', 'no answer in time'],
  ['network', 'refused, reset, DNS, TLS or another transport failure'],
  ['http-status', 'an HTTP status other than 200'],
  ['malformed', 'no OCSP response in the body'],
  ['try-later', 'the responder said try later'],
  ['unauthorized', 'the responder does not serve this certificate'],
  ['bad-signature', 'the response\'s signature does not verify'],
  ['responder-error', 'another error from the responder'],
  ['invalid', 'a signed answer that cannot be used (expired, for another certificate, bad signer…)'],
];

export const CRLITE_LABELS: [CrliteLabel, string][] = [
  ['revoked_in_filter', 'a filter lists the certificate as revoked'],
  ['not_revoked', 'covered and enrolled, not revoked'],
  ['not_enrolled', 'covered, but the issuer is not enrolled in CRLite'],
  ['not_covered', 'no embedded SCT from a log and time the filters cover'],
  ['no_filter', 'no filter set, or none installed for 10 days'],
];

/** What revocation information a leaf carries: its colour and its meaning, in drawing order. */
export const REVOCATION_INFO: [RevocationInfo, string, string][] = [
  ['ocsp-only', '#e16f24', 'an OCSP responder and no CRL'],
  ['both', '#8250df', 'an OCSP responder and a CRL'],
  ['crl-only', '#1b7c83', 'a CRL and no OCSP responder'],
  ['neither', '#8c959f', 'neither: only short validity, OneCRL or CRLite can tell'],
];

export const REVOCATION_INFO_WORDS = 'What the certificate authority wrote in each evaluated leaf: an OCSP responder (Authority Information Access), a CRL distribution point, both or neither, whatever the ladder then used. CAs may drop OCSP since 2023 (CA/Browser Forum ballot SC-063) and must publish CRLs: this is the trend to watch.';

/** The CRL classes: `ok` and the failures, with their meaning. */
export const CRL_CLASS_WORDS: [CrlClass, string][] = [
  ['ok', 'the list was read and answered for the leaf (good or revoked)'],
  ['timeout', 'no answer in time'],
  ['network', 'refused, reset, DNS, TLS or another transport failure'],
  ['http-status', 'an HTTP status other than 200'],
  ['too-large', 'over the size or entry limit'],
  ['malformed', 'an empty body, or not a CRL'],
  ['bad-signature', 'the list\'s signature does not verify'],
  ['wrong-issuer', 'not signed by the certificate\'s issuer'],
  ['stale', 'past its nextUpdate'],
  ['out-of-scope', 'the list does not cover this certificate, or only some reasons'],
  ['unsupported', 'a delta or indirect list, an unknown critical extension or signature algorithm'],
  ['other', 'anything else (a thisUpdate in the future, a signature not checked)'],
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
  { key: 'accept', legend: 'accepted', color: (t) => t.good },
  { key: 'block-revoked', legend: 'revoked', color: (t) => t.bad,
    term: 'Revoked', meaning: 'a certificate is revoked. Real blocks; soft-fail blocks these too when it learns of them.' },
  { key: 'block-unknown', legend: 'unknown', color: () => '#e16f24',
    term: 'Unknown', meaning: 'a responder said it does not know the certificate.' },
  { key: 'block-offline', legend: 'offline', color: (t) => t.warn,
    term: 'Offline', meaning: 'live OCSP gave no usable answer. This is the breakage: pages hard-fail would break although nothing is known to be wrong.' },
  { key: 'block-error', legend: 'other requirement', color: () => '#8250df',
    term: 'Other', meaning: 'another requirement failed (a must-staple certificate without a staple).' },
  { key: 'undetermined', legend: 'undetermined', color: () => '#8c959f',
    term: 'Undetermined', meaning: 'it depends on a live answer that was not asked for (live OCSP off), so nobody knows.' },
];

export const SOFT_FAIL_WORDS = 'Browsers soft-fail live OCSP because of the offline share: blocking whenever a responder is slow or down would break sites without protecting anyone, while an attacker who can block the request gets past soft-fail anyway.';
