// One handle on the WebExtension APIs: Firefox's `browser` (promises) or
// Chrome's `chrome` (promises in MV3). Only what both share is typed here;
// browser-specific calls live in the capture modules.

declare const browser: typeof chrome | undefined;

export const ext: typeof chrome = typeof browser !== 'undefined' ? browser : chrome;

/** Firefox's extension pages live at moz-extension:// (newer Chromes have `browser` too). */
export const isFirefox: boolean = ext.runtime.getURL('').startsWith('moz-extension://');
