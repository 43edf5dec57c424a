// Chrome gives extensions no certificate API: the chain comes from the
// DevTools protocol (chrome.debugger). Network.getCertificate only knows
// responses seen while Network was enabled, so "inspect this page" attaches,
// makes one no-store request for the page, reads the chain and detaches.
// The opt-in "always" mode keeps tabs attached and captures each navigation;
// Chrome shows its "started debugging this browser" bar meanwhile.
import { fromBase64 } from './base64';
import { onChainCaptured, type CaptureKind } from './pipeline';
import type { BrowserView } from './tab-state';

const PROTOCOL = '1.3';
const COMMAND_TIMEOUT_MS = 10_000;

/** Tabs we are attached to, and why. */
const attached = new Map<number, 'once' | 'always'>();

/** Per tab, the documents (top-level or frames) whose responses the always
 * mode saw since the tab last finished loading: noted as the event comes,
 * before the capture works out which is the page, so that a load that ends
 * first does not take its page for one the debugger missed. */
const documentsSeen = new Map<number, Set<string>>();

interface SecurityDetails {
  protocol: string;
  certificateTransparencyCompliance?: string;
}

interface ResponseReceived {
  requestId: string;
  type: string;
  response: { url: string; securityDetails?: SecurityDetails; fromDiskCache?: boolean };
}

function send<T>(tabId: number, method: string, params?: object): Promise<T> {
  return Promise.race([
    chrome.debugger.sendCommand({ tabId }, method, params) as Promise<T>,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${method} got no answer in ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS)),
  ]);
}

async function attach(tabId: number, why: 'once' | 'always'): Promise<void> {
  if (attached.has(tabId)) {
    if (why === 'always') attached.set(tabId, 'always');
    return;
  }
  await chrome.debugger.attach({ tabId }, PROTOCOL);
  attached.set(tabId, why);
  await send(tabId, 'Network.enable');
}

/** Lets go of a tab (closed, or the always mode turned off). */
export async function releaseTab(tabId: number): Promise<void> {
  documentsSeen.delete(tabId);
  if (!attached.delete(tabId)) return;
  await chrome.debugger.detach({ tabId }).catch(() => {});
}

/** Reads the chain for `url` (its origin) and hands it on. */
async function captureChain(
  tabId: number, url: string, details: SecurityDetails | undefined, capturedAt: number, startedMs: number, kind: CaptureKind,
): Promise<void> {
  const origin = new URL(url).origin;
  const { tableNames } = await send<{ tableNames: string[] }>(tabId, 'Network.getCertificate', { origin });
  if (!tableNames?.length) throw new Error(`Chrome has no certificate for ${origin} (was the response served from a cache?)`);
  const view: BrowserView = {
    browser: 'chrome',
    protocolVersion: details?.protocol,
    certificateTransparencyStatus: details?.certificateTransparencyCompliance,
  };
  await onChainCaptured(tabId, url, tableNames.map(fromBase64), view, capturedAt, startedMs, kind);
}

/** "Inspect this page": one no-store request for the page, its chain, done.
 * `kind` is 'navigation' when it stands in for a page load's own capture. */
export async function inspectTabNow(tabId: number, kind: CaptureKind = 'inspection'): Promise<void> {
  const tab = await chrome.tabs.get(tabId);
  const url = tab.url ?? '';
  if (!url.startsWith('https://')) throw new Error('only HTTPS pages have a certificate chain to inspect');
  const mode = attached.get(tabId);
  await attach(tabId, 'once');
  let details: SecurityDetails | undefined;
  const listener = (source: chrome.debugger.Debuggee, method: string, params?: object) => {
    const event = params as unknown as ResponseReceived;
    if (source.tabId === tabId && method === 'Network.responseReceived' && event.response.url === url) {
      details = event.response.securityDetails ?? details;
    }
  };
  chrome.debugger.onEvent.addListener(listener);
  try {
    const capturedAt = Date.now();
    const startedMs = performance.now();
    await send(tabId, 'Runtime.evaluate', {
      expression: `fetch(location.href, {cache: 'no-store'}).then((r) => r.status)`,
      awaitPromise: true,
    });
    await captureChain(tabId, url, details, capturedAt, startedMs, kind);
  } finally {
    chrome.debugger.onEvent.removeListener(listener);
    if (mode !== 'always') await releaseTab(tabId);
  }
}

/**
 * Registers the debugger listeners. With `always()` on (the opt-in mode),
 * tabs stay attached and every top-level navigation is captured; otherwise
 * each HTTPS page load goes to `notInspected` (telemetry counts it).
 */
export function startChromeCapture(always: () => boolean, notInspected: (tabId: number, url: string) => Promise<void>): void {
  chrome.debugger.onDetach.addListener((source) => {
    // The user closed the debugging bar, or the tab went away.
    if (source.tabId !== undefined) attached.delete(source.tabId);
  });
  chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
    const url = tab.url ?? '';
    if (!url.startsWith('https://')) return;
    if (change.status === 'loading') {
      if (always()) {
        attach(tabId, 'always').catch((e) => console.warn('revoscope: cannot attach to the tab:', e.message));
      } else {
        notInspected(tabId, url).catch((e) => console.warn('revoscope: page load not recorded:', e));
      }
    } else if (change.status === 'complete' && always()) {
      const seen = documentsSeen.get(tabId);
      documentsSeen.delete(tabId);
      // The page's response came before the debugger was attached (a
      // tab's first HTTPS page: Chrome says "loading" once the navigation
      // has committed): read its chain as "Inspect" does.
      if (!seen?.has(url)) {
        inspectTabNow(tabId, 'navigation').catch((e) => console.warn('revoscope: capture failed:', e.message));
      }
    }
  });
  chrome.debugger.onEvent.addListener((source, method, params) => {
    const tabId = source.tabId;
    if (tabId === undefined || attached.get(tabId) !== 'always' || method !== 'Network.responseReceived') return;
    const event = params as unknown as ResponseReceived;
    if (event.type !== 'Document' || !event.response.url.startsWith('https://')) return;
    const capturedAt = Date.now();
    const responded = event.response.url;
    const startedMs = performance.now();
    if (!documentsSeen.has(tabId)) documentsSeen.set(tabId, new Set());
    documentsSeen.get(tabId)!.add(responded);
    chrome.tabs.get(tabId)
      .then((tab) => {
        // Only the top-level document, not iframes.
        if ((tab.pendingUrl ?? tab.url) !== responded) return;
        return captureChain(tabId, event.response.url, event.response.securityDetails, capturedAt, startedMs, 'navigation');
      })
      .catch((e) => console.warn('revoscope: capture failed:', e.message));
  });
}

export async function releaseAllTabs(): Promise<void> {
  await Promise.all([...attached.keys()].map(releaseTab));
}
