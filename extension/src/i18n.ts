// Every user-visible string goes through the WebExtension i18n API, in the
// browser's UI language: _locales/<lang>/messages.json, which the build
// merges from extension/locales/<lang>/*.json (one file per view, so that
// each stays readable). Messages take positional substitutions ($1..$9,
// both browsers' getMessage; $$ is a dollar). Numbers and dates go through
// Intl in the same language.
//
// The public dashboard shares view modules with the extension but is a web
// page, without the API: it hands its messages over (useMessages) and is
// in English.

type Messages = Record<string, { message: string }>;

/** The WebExtension i18n API, where the page has it. Not through api.ts,
 * which a web page cannot load. */
const api = (globalThis as { browser?: typeof chrome }).browser?.i18n ?? (globalThis as { chrome?: typeof chrome }).chrome?.i18n;
let own: Messages | null = null;

/** For a page outside the extension: the messages to read instead. */
export function useMessages(messages: Messages): void {
  own = messages;
}

/** The message `key` with `substitutions` ($1, $2...). An unknown key
 * comes back as itself, visibly wrong rather than blank
 * (extension/tests/locales.test.mjs keeps every key used defined). */
export function t(key: string, ...substitutions: (string | number)[]): string {
  const subs = substitutions.map(String);
  if (own || !api) {
    const message = own?.[key]?.message;
    if (message === undefined) return key;
    return message.replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : subs[Number(c) - 1] ?? ''));
  }
  return api.getMessage(key, subs) || key;
}

/** The UI language, as a BCP 47 tag ("en-US", "de"). */
export function uiLanguage(): string {
  return own || !api ? 'en' : api.getUILanguage();
}

/** 12,345 / 12.345, in the UI language. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(uiLanguage(), options).format(value);
}

/** A UTC day: "Dec 7, 2026" / "7. Dez. 2026". */
export function formatDay(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

/** A UTC moment to the minute, with its zone: "Dec 7, 2026, 23:42 UTC". */
export function formatMoment(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), {
    dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23',
  }).format(ms) + ' UTC';
}

/**
 * Puts the messages into a page's static HTML: an element's text from
 * `data-i18n="key"`, its attributes from `data-i18n-attr="title:key
 * aria-label:key"`; and the page's `lang` from the UI language.
 */
export function localizePage(root: ParentNode = document): void {
  document.documentElement.lang = uiLanguage();
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(/\s+/).filter(Boolean)) {
      const [name, key] = pair.split(':');
      el.setAttribute(name, t(key));
    }
  }
}
