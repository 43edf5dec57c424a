// The background's shared part: the engine, per-tab state, and the views'
// requests, one handler per request type (messages.ts). Each browser's entry (main-firefox.ts, main-chrome.ts) adds its
// capture, so neither build carries the other's code.
import { ext } from './api';
import { checkCrl, loaded } from './engine';
import { fromBase64 } from './base64';
import { onecrlInfo, startOnecrlSync, syncNow } from './onecrl-sync';
import { crliteInfo, startCrliteSync, syncCrliteNow } from './crlite-sync';
import { crlsetInfo, startCrlsetSync, syncCrlsetNow } from './crlset-sync';
import { counting, deleteTelemetry, setRetention, telemetryExport, telemetrySummary } from './telemetry';
import { settingsPatch } from './settings';
import { loadSettings, onSettingsChanged, updateSettings } from './settings-store';
import { clearRefused, retryNow, setSharingMode, shareTodayNow, sharingInfo, startSharing } from './sharing';
import { policyPresets } from '../../crate/pkg/revoscope.js';
import { tabClosed } from './pipeline';
import { changeTabState, forgetTab, readTabState } from './tab-state';
import { showBadge } from './badge';
import type { PolicyPreset, Replies, Reply, Request, RequestOf, RequestType, TabReply } from './messages';

export interface Capture {
  browser: 'firefox' | 'chrome';
  /** "Inspect this page", where captures are made on request. */
  inspectTab?: (tabId: number) => Promise<void>;
  /** Lets go of a closed tab. */
  releaseTab?: (tabId: number) => Promise<void>;
}

/** One handler per request type, answering with that type's reply. */
type Handlers = { [T in RequestType]: (request: RequestOf<T>) => Promise<Replies[T]> };

/** Runs the handler of `request`'s type; a type no handler has is refused. */
async function dispatch<T extends RequestType>(handlers: Handlers, request: RequestOf<T>): Promise<Replies[T]> {
  const type: unknown = request?.type;
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) throw new Error(`no request is of type ${JSON.stringify(type)}`);
  const handler: Handlers[T] = handlers[request.type];
  return handler(request);
}

/** Refuses a policy name that is no preset of the engine's. */
async function checkPreset(name: string): Promise<void> {
  await loaded();
  const names = (policyPresets() as PolicyPreset[]).map((p) => p.name);
  if (!names.includes(name)) throw new Error(`policy is one of ${names.join(', ')}, not ${JSON.stringify(name)}`);
}

export function startBackground(capture: Capture): void {
  // Listeners are registered synchronously at start, so a restarted service
  // worker gets the event that woke it.
  startOnecrlSync();
  startCrliteSync();
  startCrlsetSync();
  startSharing();
  // Telemetry loads beside the engine, so the first page does not wait for it.
  void counting();
  onSettingsChanged((next) => {
    setRetention(next.telemetryRetentionDays).catch((e) => console.warn('revoscope: retention not applied:', e));
  });
  // Firefox clears a tab's badge when the tab navigates, and the page (or
  // the error page of a refused one) can commit after its verdict was
  // shown: show it again once the tab has loaded, if it is that page's.
  ext.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status !== 'complete') return;
    readTabState(tabId)
      .then((state) => (state && state.url === tab.url ? showBadge(state) : undefined))
      .catch(() => {});
  });
  ext.tabs.onRemoved.addListener((tabId) => {
    tabClosed(tabId);
    forgetTab(tabId).catch(() => {});
    capture.releaseTab?.(tabId).catch(() => {});
  });

  async function tabReply(tabId: number): Promise<TabReply> {
    const l = await loaded();
    return {
      state: (await readTabState(tabId)) ?? null,
      browser: capture.browser,
      settings: l.settings,
      policy: l.engine.policy(),
      policyError: l.policyError,
      onecrl: await onecrlInfo(),
      crlite: await crliteInfo(),
      crlset: await crlsetInfo(),
    };
  }

  const handlers: Handlers = {
    'get-tab': ({ tabId }) => tabReply(tabId),
    'inspect-tab': async ({ tabId }) => {
      if (!capture.inspectTab) throw new Error(`${capture.browser} captures every page by itself`);
      await capture.inspectTab(tabId);
      return tabReply(tabId);
    },
    'crl-check': async ({ tabId, index }) => {
      const state = await readTabState(tabId);
      if (!state?.chain || !Number.isInteger(index) || index < 0 || index + 1 >= state.chain.length) {
        throw new Error(`the tab has no certificate ${index} with its issuer to check`);
      }
      const report = await checkCrl(state.chain.map(fromBase64), index);
      // Kept only if the tab still shows the page it was asked for.
      await changeTabState(tabId, (current) => current?.capturedAt === state.capturedAt
        ? { ...current, crlAsked: { ...current.crlAsked, [index]: report } } : null);
      return tabReply(tabId);
    },
    'policy-presets': async () => {
      await loaded();
      return policyPresets() as PolicyPreset[];
    },
    'settings': () => loadSettings(),
    'update-settings': async ({ patch }) => {
      const checked = settingsPatch(patch);
      if (checked.policy !== undefined) await checkPreset(checked.policy);
      return updateSettings(checked);
    },
    'onecrl': () => onecrlInfo(),
    'sync-onecrl': async () => {
      await syncNow();
      return onecrlInfo();
    },
    'crlite': () => crliteInfo(),
    'crlset': () => crlsetInfo(),
    'sync-crlset': async () => {
      await syncCrlsetNow();
      return crlsetInfo();
    },
    'sync-crlite': async () => {
      await syncCrliteNow();
      return crliteInfo();
    },
    'telemetry-summary': ({ days }) => telemetrySummary(days),
    'telemetry-export': ({ format }) => telemetryExport(format),
    'telemetry-delete': async () => {
      await deleteTelemetry();
      return null;
    },
    'sharing': () => sharingInfo(),
    'sharing-set': ({ mode }) => {
      if (!['on', 'paused', 'off'].includes(mode)) throw new Error(`${String(mode)} is not a sharing mode`);
      return setSharingMode(mode);
    },
    'sharing-share-today': () => shareTodayNow(),
    'sharing-retry': () => retryNow(),
    'sharing-clear-refused': () => clearRefused(),
  };

  ext.runtime.onMessage.addListener((request: Request, sender, sendResponse) => {
    // Only our own pages talk to the background.
    if (sender.id !== ext.runtime.id) return false;
    dispatch(handlers, request)
      .then((value) => sendResponse({ ok: true, value } satisfies Reply<RequestType>))
      .catch((e: Error) => sendResponse({ ok: false, error: e.message ?? String(e) } satisfies Reply<RequestType>));
    return true;
  });

  // Load the engine early so the first page is not kept waiting.
  loaded().catch((e) => console.error('revoscope: the engine did not load:', e));
}
