// The extension's messages: extension/locales/<lang>/*.json (one file per
// view, each in messages.json's format) merged into one messages.json per
// locale, as the build writes them to _locales/<lang>/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{lang: {key: {message, description?}}}`; a key defined twice in one
 * locale is an error naming both files. */
export function localeMessages(root) {
  const dir = join(root, 'extension/locales');
  const locales = {};
  for (const lang of readdirSync(dir).sort()) {
    const merged = {};
    const from = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      for (const [key, message] of Object.entries(JSON.parse(readFileSync(join(dir, lang, file), 'utf8')))) {
        if (key in merged) throw new Error(`extension/locales/${lang}: ${key} is in both ${from[key]} and ${file}`);
        merged[key] = message;
        from[key] = file;
      }
    }
    locales[lang] = merged;
  }
  return locales;
}

/** `message` with `substitutions` filled in as the browsers' getMessage
 * fills them: $1..$9 by position, $$ a dollar. */
export function fillMessage(message, substitutions = []) {
  return message.replace(/\$(\$|[1-9])/g, (_, c) => (c === '$' ? '$' : substitutions[Number(c) - 1] ?? ''));
}

/** `chrome.i18n` over one locale's messages, for extension code run in
 * Node: getMessage answers '' for an unknown key, as the browsers do. */
export function i18nStandIn(messages, language = 'en') {
  return {
    getMessage: (key, substitutions = []) => (messages[key] ? fillMessage(messages[key].message, [substitutions].flat()) : ''),
    getUILanguage: () => language,
  };
}
