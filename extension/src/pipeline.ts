// From a captured chain to a verdict in the panel: the one path both
// browsers' captures feed. Runs after the request has gone on, never on it.
import { toBase64 } from './base64';
import { showBadge } from './badge';
import { checkCrlAfter, compareBrowsers, evaluate, type Counted, type Evaluation } from './engine';
import { counting, recordPageLevel, saveCounted } from './telemetry';
import type { Refusal } from './browser-errors';
import { changeTabState, readTabState, type BrowserView, type TabState } from './tab-state';

/** Tabs closed while their check ran: their late results are dropped. */
const closedTabs = new Set<number>();

export function tabClosed(tabId: number): void {
  closedTabs.add(tabId);
}

async function publish(state: TabState): Promise<void> {
  // A newer capture for the tab wins over a slower, older evaluation.
  const written = await changeTabState(state.tabId, (current) =>
    closedTabs.has(state.tabId) || (current && current.capturedAt > state.capturedAt) ? null : state);
  if (written) await showBadge(state);
}

/**
 * A navigation captures a new page load. An inspection (Chrome, on request)
 * captures the page already shown: it counts only if that page was not
 * counted yet, and then it leaves the not-inspected count.
 */
export type CaptureKind = 'navigation' | 'inspection';

function telemetryCount(previous: TabState | undefined, url: string, kind: CaptureKind): { count: boolean; withdraw?: string } {
  if (kind === 'navigation' || !previous || previous.url !== url) return { count: true };
  if (previous.status === 'not-inspected') return { count: true, withdraw: previous.notInspectedDay };
  return { count: false };
}

function warn(e: unknown): void {
  console.warn('revoscope: telemetry not recorded:', e);
}

/**
 * Evaluates the chain the browser used for `url` in `tabId`.
 * `capturedAt` is Date.now() and `startedMs` performance.now() at the response.
 */
export async function onChainCaptured(
  tabId: number,
  url: string,
  chain: Uint8Array[],
  browserView: BrowserView,
  capturedAt: number,
  startedMs: number,
  kind: CaptureKind = 'navigation',
): Promise<void> {
  const { count, withdraw } = telemetryCount(await readTabState(tabId), url, kind);
  const base: TabState = {
    tabId, url, capturedAt, browserView, status: 'evaluating', chain: chain.map(toBase64),
  };
  await publish(base);
  // Set once the engine has counted the page, which then counts once
  // whatever fails after.
  let counted: Counted | null = null;
  try {
    const countIt = count && await counting();
    const evaluation = await evaluate(
      chain, browserView.rootIsBuiltIn === true, countIt ? { browserUsedOcsp: browserView.usedOcsp ?? null } : undefined,
    );
    const { verdict, liveRequest, crlCheck } = evaluation;
    counted = evaluation.counted;
    if (counted) saveCounted(counted, withdraw).catch(warn);
    const done: TabState = {
      ...base,
      status: 'done',
      verdict,
      liveRequest,
      crlCheck,
      crlCheckFetch: evaluation.crlCheckDue ? 'fetching' : undefined,
      compare: evaluation.view ? 'comparing' : null,
      verdictMs: Math.round(performance.now() - startedMs),
    };
    await publish(done);
    if (evaluation.view) compareAfterVerdict(done, chain, evaluation).catch(warn);
    if (evaluation.crlCheckDue) crlAfterVerdict(done, chain, counted !== null).catch(warn);
  } catch (e) {
    await publish({ ...base, status: 'error', error: (e as Error).message ?? String(e) });
    if (count && !counted) recordPageLevel('EvaluationError', capturedAt).catch(warn);
  }
}

/**
 * The leaf's CRL, fetched once its verdict is out (a list can take seconds):
 * the panel shows it when it comes, if the tab still shows the same page.
 */
async function crlAfterVerdict(done: TabState, chain: Uint8Array[], count: boolean): Promise<void> {
  let update: Partial<TabState>;
  try {
    const { report, counted } = await checkCrlAfter(chain, count);
    if (counted) saveCounted(counted).catch(warn);
    update = { crlCheck: report, crlCheckFetch: undefined };
  } catch (e) {
    update = { crlCheckFetch: { error: (e as Error).message ?? String(e) } };
  }
  await updateIfCurrent(done, update);
}

/** Adds `update` to the tab's state if the tab still shows `done`'s page. */
async function updateIfCurrent(done: TabState, update: Partial<TabState>): Promise<void> {
  await changeTabState(done.tabId, (current) =>
    current?.capturedAt === done.capturedAt && !closedTabs.has(done.tabId) ? { ...current, ...update } : null);
}

/**
 * Each browser's view of the chain, evaluated once the verdict is out (up to
 * four more evaluations the page need not wait for).
 */
async function compareAfterVerdict(done: TabState, chain: Uint8Array[], evaluation: Evaluation): Promise<void> {
  let compare: TabState['compare'];
  try {
    compare = await compareBrowsers(chain, done.browserView?.rootIsBuiltIn === true, evaluation);
  } catch (e) {
    compare = { error: (e as Error).message ?? String(e) };
  }
  await updateIfCurrent(done, { compare });
}

/** The browser refused the page's handshake: keep its reason. */
export async function onBrowserRefused(tabId: number, url: string, refusal: Refusal, browser: BrowserView['browser']): Promise<void> {
  const state: TabState = {
    tabId, url, capturedAt: Date.now(), status: 'blocked-by-browser',
    browserView: { browser },
    browserError: refusal,
  };
  await publish(state);
  recordPageLevel('BrowserBlocked', state.capturedAt).catch(warn);
}

/** Chrome, capturing on request: an HTTPS page loaded; it counts as not
 * inspected until the user inspects it. */
export async function onPageNotInspected(tabId: number, url: string): Promise<void> {
  const capturedAt = Date.now();
  const day = await recordPageLevel('NotInspected', capturedAt);
  await publish({
    tabId, url, capturedAt, status: 'not-inspected', browserView: { browser: 'chrome' }, notInspectedDay: day ?? undefined,
  });
}
