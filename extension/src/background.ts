// The background's shared part: the engine, per-tab state, and the panel's
// messages. Each browser's entry (main-firefox.ts, main-chrome.ts) adds its
// capture, so neither build carries the other's code.
import { ext } from './api';
import { loaded } from './engine';
import { onecrlInfo, startOnecrlSync, syncNow } from './onecrl-sync';
import { crliteInfo, startCrliteSync, syncCrliteNow } from './crlite-sync';
import { deleteTelemetry, setRetention, telemetryExport, telemetrySummary } from './telemetry';
import { collectorUrl, MAX_SHARING_DELAY_MINUTES, onSettingsChanged, sharingDelay } from './settings';
import { clearRefused, configureSharing, retryNow, setSharingMode, shareTodayNow, sharingInfo, startSharing } from './sharing';
import { policyPresets } from '../../crate/pkg/revoscope.js';
import { tabClosed } from './pipeline';
import { forgetTab, readTabState } from './tab-state';
import type { Reply, Request, TabReply } from './messages';

export interface Capture {
  browser: 'firefox' | 'chrome';
  /** "Inspect this page", where captures are made on request. */
  inspectTab?: (tabId: number) => Promise<void>;
  /** Lets go of a closed tab. */
  releaseTab?: (tabId: number) => Promise<void>;
}

export function startBackground(capture: Capture): void {
  // Listeners are registered synchronously at start, so a restarted service
  // worker gets the event that woke it.
  startOnecrlSync();
  startCrliteSync();
  startSharing();
  onSettingsChanged((next) => {
    setRetention(next.telemetryRetentionDays).catch((e) => console.warn('revoscope: retention not applied:', e));
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
    };
  }

  async function handle(request: Request): Promise<Reply> {
    switch (request.type) {
      case 'get-tab':
        return { ok: true, tab: await tabReply(request.tabId) };
      case 'inspect-tab':
        if (!capture.inspectTab) throw new Error(`${capture.browser} captures every page by itself`);
        await capture.inspectTab(request.tabId);
        return { ok: true, tab: await tabReply(request.tabId) };
      case 'policy-presets':
        await loaded();
        return { ok: true, presets: policyPresets() };
      case 'onecrl':
        return { ok: true, onecrl: await onecrlInfo() };
      case 'sync-onecrl':
        await syncNow();
        return { ok: true, onecrl: await onecrlInfo() };
      case 'crlite':
        return { ok: true, crlite: await crliteInfo() };
      case 'sync-crlite':
        await syncCrliteNow();
        return { ok: true, crlite: await crliteInfo() };
      case 'telemetry-summary':
        return { ok: true, telemetry: await telemetrySummary(request.days) };
      case 'telemetry-export':
        return { ok: true, export: await telemetryExport(request.format) };
      case 'telemetry-delete':
        await deleteTelemetry();
        return { ok: true };
      case 'sharing':
        return { ok: true, sharing: await sharingInfo() };
      case 'sharing-set':
        if (!['on', 'paused', 'off'].includes(request.mode)) throw new Error(`${String(request.mode)} is not a sharing mode`);
        return { ok: true, sharing: await setSharingMode(request.mode) };
      case 'sharing-share-today':
        return { ok: true, sharing: await shareTodayNow() };
      case 'sharing-configure': {
        const url = collectorUrl(String(request.collectorUrl));
        if (url === null) throw new Error('the collector is an http or https address, with no query, fragment or password');
        const delay = sharingDelay(request.delayMinutes);
        if (delay === null) throw new Error(`the delay is a whole number of minutes from 0 to ${MAX_SHARING_DELAY_MINUTES}`);
        return { ok: true, sharing: await configureSharing(url, delay) };
      }
      case 'sharing-retry':
        return { ok: true, sharing: await retryNow() };
      case 'sharing-clear-refused':
        return { ok: true, sharing: await clearRefused() };
    }
  }

  ext.runtime.onMessage.addListener((request: Request, sender, sendResponse) => {
    // Only our own pages talk to the background.
    if (sender.id !== ext.runtime.id) return false;
    handle(request)
      .then(sendResponse)
      .catch((e: Error) => sendResponse({ ok: false, error: e.message ?? String(e) } satisfies Reply));
    return true;
  });

  // Load the engine early so the first page is not kept waiting.
  loaded().catch((e) => console.error('revoscope: the engine did not load:', e));
}
