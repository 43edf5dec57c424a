// One POST of a report to the collector, and what its answer means for the
// queue: stored (or stored before: a resend), try again later, or refused
// for good. The retry schedule is here too; sharing.ts keeps the queue.
import { isFirefox } from './api';
import { formatNumber, t } from './i18n';

export type SendOutcome =
  /** 201, or 409: the collector holds this report id already (a resend). */
  | { kind: 'acknowledged'; status: 201 | 409 }
  /** No answer, a 5xx or a 429: try again later (not before `retryAfterMs`). */
  | { kind: 'retry'; status: number | null; message: string; retryAfterMs: number | null }
  /** Any other 4xx: the collector will never take this report. */
  | { kind: 'refused'; status: number; error: string; message: string };

/** A collector that neither answers nor fails in this long is given up on for this attempt. */
const TIMEOUT_MS = 30_000;
/** The collector's answers are a line of JSON; more is not read. */
const MAX_BODY_CHARS = 2_000;

/** The first retry comes after about this long, then twice as long each time... */
const BACKOFF_BASE_MS = 10_000;
/** ...up to this. */
const BACKOFF_CAP_MS = 6 * 3_600_000;
/** A Retry-After beyond a day is read as a day. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Posts one report. The request carries no cookies, no referrer and, in
 * Firefox, no origin: there an extension's origin is
 * `moz-extension://<UUID>` with a UUID drawn at install, which would tell
 * the collector which install sent each report. A `same-origin` request
 * with no referrer goes out with `Origin: null` (the host permission lets
 * the extension read the answer all the same). Chrome's origin is
 * `chrome-extension://<id>`, the same id for every install, and stays.
 */
export async function postReport(collector: string, json: string, signal: AbortSignal): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(`${collector}/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: json,
      mode: isFirefox ? 'same-origin' : 'cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      // A collector that moved says so with an error, not a redirect the
      // report would follow to wherever it points.
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (e) {
    const err = e as Error;
    // Kept with the report and shown on the sharing page: in the UI language.
    const message = err.name === 'TimeoutError' ? t('settings_send_timeout', formatNumber(TIMEOUT_MS / 1000))
      : err.name === 'AbortError' ? t('settings_send_stopped') : t('settings_send_no_answer', err.message);
    return { kind: 'retry', status: null, message, retryAfterMs: null };
  }
  const { status } = response;
  const said = await collectorWords(response);
  if (status === 201) return { kind: 'acknowledged', status };
  if (status === 409) return { kind: 'acknowledged', status };
  if (status === 429 || status >= 500) {
    return { kind: 'retry', status, message: said.message || `HTTP ${status}`, retryAfterMs: retryAfter(response.headers.get('Retry-After'), Date.now()) };
  }
  if (status >= 400) return { kind: 'refused', status, error: said.error || `http-${status}`, message: said.message || `HTTP ${status}` };
  return { kind: 'retry', status, message: t('settings_send_unexpected', status), retryAfterMs: null };
}

/** The collector's `{"error", "message"}`, or empty strings when the body is not that. */
async function collectorWords(response: Response): Promise<{ error: string; message: string }> {
  try {
    const body = JSON.parse((await response.text()).slice(0, MAX_BODY_CHARS)) as { error?: unknown; message?: unknown };
    return {
      error: typeof body.error === 'string' ? body.error.slice(0, 100) : '',
      message: typeof body.message === 'string' ? body.message.slice(0, 500) : '',
    };
  } catch {
    return { error: '', message: '' };
  }
}

/** RFC 9110 Retry-After: delay seconds or an HTTP date; null when absent or unreadable. */
export function retryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * How long to wait after the `attempts`-th failed attempt: exponential,
 * with "equal jitter" (half fixed, half random, so reports queued together
 * spread out), never before the collector's Retry-After.
 */
export function retryDelayMs(attempts: number, retryAfterMs: number | null, random: number = Math.random()): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  const jittered = exp / 2 + (random * exp) / 2;
  return Math.max(jittered, retryAfterMs ?? 0);
}
