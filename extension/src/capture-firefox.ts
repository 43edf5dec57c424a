// Firefox: the chain of every main-frame HTTPS response, read in a blocking
// onHeadersReceived listener (the only place getSecurityInfo works) that
// returns at once; evaluation, OCSP and storage run after, off the request.
// Handshakes Firefox refused never get there: onErrorOccurred keeps their error.
import { onBrowserRefused, onChainCaptured } from './pipeline';
import { refusalOf } from './browser-errors';
import type { BrowserView } from './tab-state';

/** What Firefox's webRequest.getSecurityInfo gives (MDN: webRequest.SecurityInfo). */
interface SecurityInfo {
  state: string;
  protocolVersion?: string;
  usedOcsp?: boolean;
  isExtendedValidation?: boolean;
  certificateTransparencyStatus?: string;
  errorMessage?: string;
  certificates: { rawDER?: number[]; isBuiltInRoot?: boolean }[];
}

interface RequestDetails {
  requestId: string;
  tabId: number;
  url: string;
}

interface RequestFilter {
  urls: string[];
  types: string[];
}

interface FirefoxWebRequest {
  getSecurityInfo(requestId: string, options: { certificateChain: boolean; rawDER: boolean }): Promise<SecurityInfo>;
  onHeadersReceived: {
    addListener(listener: (details: RequestDetails) => object, filter: RequestFilter, extra: string[]): void;
  };
  onErrorOccurred: {
    addListener(listener: (details: RequestDetails & { error: string }) => void, filter: RequestFilter): void;
  };
}

declare const browser: { webRequest: FirefoxWebRequest };

export function startFirefoxCapture(): void {
  const filter = { urls: ['https://*/*'], types: ['main_frame'] };
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      if (details.tabId < 0) return {};
      const capturedAt = Date.now();
      const startedMs = performance.now();
      // Read now (only possible inside this listener), evaluate later.
      browser.webRequest
        .getSecurityInfo(details.requestId, { certificateChain: true, rawDER: true })
        .then((info) => {
          if (info.state === 'insecure' || info.certificates.length === 0) return;
          const chain = info.certificates.map((c) => new Uint8Array(c.rawDER ?? []));
          const view: BrowserView = {
            browser: 'firefox',
            usedOcsp: info.usedOcsp,
            state: info.state,
            protocolVersion: info.protocolVersion,
            isExtendedValidation: info.isExtendedValidation,
            certificateTransparencyStatus: info.certificateTransparencyStatus,
            rootIsBuiltIn: info.certificates[info.certificates.length - 1]?.isBuiltInRoot === true,
          };
          return onChainCaptured(details.tabId, details.url, chain, view, capturedAt, startedMs);
        })
        .catch((e) => console.warn('revoscope: capture failed:', e));
      return {};
    },
    filter,
    ['blocking'],
  );
  browser.webRequest.onErrorOccurred.addListener((details) => {
    const refusal = refusalOf(details.error);
    if (details.tabId < 0 || !refusal) return;
    onBrowserRefused(details.tabId, details.url, refusal, 'firefox').catch((e) =>
      console.warn('revoscope: could not record the refusal:', e));
  }, filter);
}
