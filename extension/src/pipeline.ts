// From a captured chain to a verdict in the panel: the one path both
// browsers' captures feed. Runs after the request has gone on, never on it.
import { toBase64 } from './base64';
import { showBadge } from './badge';
import { evaluate } from './engine';
import { appendHistory } from './history';
import type { Refusal } from './browser-errors';
import { readTabState, writeTabState, type BrowserView, type TabState } from './tab-state';

/** Tabs closed while their check ran: their late results are dropped. */
const closedTabs = new Set<number>();

export function tabClosed(tabId: number): void {
  closedTabs.add(tabId);
}

async function publish(state: TabState): Promise<void> {
  if (closedTabs.has(state.tabId)) return;
  // A newer capture for the tab wins over a slower, older evaluation.
  const current = await readTabState(state.tabId);
  if (current && current.capturedAt > state.capturedAt) return;
  await writeTabState(state);
  await showBadge(state);
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
): Promise<void> {
  const base: TabState = {
    tabId, url, capturedAt, browserView, status: 'evaluating', chain: chain.map(toBase64),
  };
  await publish(base);
  try {
    const { verdict, liveRequest } = await evaluate(chain, browserView.rootIsBuiltIn === true);
    const done: TabState = {
      ...base,
      status: 'done',
      verdict,
      liveRequest,
      verdictMs: Math.round(performance.now() - startedMs),
    };
    await publish(done);
    await appendHistory(done);
  } catch (e) {
    await publish({ ...base, status: 'error', error: (e as Error).message ?? String(e) });
  }
}

/** The browser refused the page's handshake: keep its reason. */
export async function onBrowserRefused(tabId: number, url: string, refusal: Refusal, browser: BrowserView['browser']): Promise<void> {
  const state: TabState = {
    tabId, url, capturedAt: Date.now(), status: 'blocked-by-browser',
    browserView: { browser },
    browserError: refusal,
  };
  await publish(state);
  await appendHistory(state);
}
