// What the extension knows about each tab's page, kept in storage.session so
// a restarted background (Chrome's service worker is stopped when idle) still
// has it. A new capture for a tab replaces the old one.
import { ext } from './api';
import type { Refusal } from './browser-errors';
import type { CrlReport } from './engine-types/CrlReport';
import type { Comparison } from './engine-types/Comparison';
import type { LiveRequest, Verdict } from './verdict';

/** What the browser itself said about the connection. */
export interface BrowserView {
  browser: 'firefox' | 'chrome';
  /** Firefox: whether Firefox made a live OCSP request for this handshake. */
  usedOcsp?: boolean;
  /** Firefox securityInfo.state ("secure", "weak"...), or Chrome's protocol. */
  state?: string;
  protocolVersion?: string;
  isExtendedValidation?: boolean;
  certificateTransparencyStatus?: string;
  /** The root is one of the browser's built-in roots (Firefox says; Chrome does not). */
  rootIsBuiltIn?: boolean;
}

export type TabStatus =
  /** A chain was captured and is being evaluated (OCSP may be in flight). */
  | 'evaluating'
  /** The engine gave a verdict. */
  | 'done'
  /** The browser refused the connection; we have its error, not the chain. */
  | 'blocked-by-browser'
  /** The captured chain could not be evaluated (it does not parse, say). */
  | 'error'
  /** Chrome, capturing on request: a page loaded and was not inspected (yet). */
  | 'not-inspected';

export interface TabState {
  tabId: number;
  url: string;
  status: TabStatus;
  /** Date.now() when the capture was taken. */
  capturedAt: number;
  browserView?: BrowserView;
  /** The chain, base64 DER, leaf first, as the browser used it. */
  chain?: string[];
  verdict?: Verdict;
  liveRequest?: LiveRequest | null;
  /** What the CA's CRL says of the leaf, beside the verdict (checkCrls). */
  crlCheck?: CrlReport | null;
  /** The leaf's CRL is being fetched for crlCheck, after the verdict; or
   * why that fetch did not end in a report. */
  crlCheckFetch?: 'fetching' | { error: string };
  /** What each browser's policy makes of the same chain (Engine.compare),
   * once it is known; 'comparing' until then, or why it failed. */
  compare?: Comparison | 'comparing' | { error: string } | null;
  /** What the CA's CRL says of a certificate, asked for in the panel, by
   * its index in the chain. */
  crlAsked?: Record<number, CrlReport | null>;
  /** The browser's error (NSS's name when known) and words, for pages it refused. */
  browserError?: Refusal;
  /** What went wrong in our own evaluation. */
  error?: string;
  /** Milliseconds from the captured response to the verdict. */
  verdictMs?: number;
  /** The telemetry day this page was counted on as not inspected. */
  notInspectedDay?: string;
}

/** The ladder needed live OCSP and did not ask: it is off in the options. */
export function liveOcspSkipped(state: TabState): boolean {
  const leaf = state.verdict?.certificates[0];
  return leaf?.status === 'pending' && leaf.decided_by === 'live-ocsp';
}

const key = (tabId: number) => `tab:${tabId}`;

export async function readTabState(tabId: number): Promise<TabState | undefined> {
  return (await ext.storage.session.get(key(tabId)))[key(tabId)] as TabState | undefined;
}

export async function writeTabState(state: TabState): Promise<void> {
  await ext.storage.session.set({ [key(state.tabId)]: state });
}

/** The tail of the queue of changes. */
let changes: Promise<unknown> = Promise.resolve();

/**
 * Reads the tab's state, and writes what `change` makes of it (nothing when
 * it returns null); one change at a time, so that a new page and the late
 * results of the one before (its comparison, its CRL) never overwrite each
 * other. Resolves to what was written.
 */
export function changeTabState(
  tabId: number, change: (current: TabState | undefined) => TabState | null,
): Promise<TabState | null> {
  const run = changes.then(async () => {
    const next = change(await readTabState(tabId));
    if (next) await writeTabState(next);
    return next;
  });
  changes = run.catch(() => undefined);
  return run;
}

export async function forgetTab(tabId: number): Promise<void> {
  await ext.storage.session.remove(key(tabId));
}
