// The extension's languages (extension/locales, merged by the build into
// _locales/<lang>/messages.json): every locale has English's messages with
// the same substitutions, every key the code or the pages use is defined,
// none is left unused, and German is a translation rather than a copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localeMessages } from '../../scripts/locales.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const locales = localeMessages(root);
const en = locales.en;

/** The $1..$9 a message takes ($$ is a literal dollar). */
const substitutions = (message) => [...message.replaceAll('$$', '').matchAll(/\$([1-9])/g)].map((m) => m[1]).sort();

/** Every key the sources use: t('key') (or t(c ? 'key' : 'other')), data-i18n="key", data-i18n-attr="name:key ...", __MSG_key__. */
function usedKeys() {
  const used = new Map();
  const files = [
    ...readdirSync(join(root, 'ui')).filter((f) => /\.(ts|html)$/.test(f)).map((f) => join('ui', f)),
    // i18n.ts defines the mechanism (its comments show the forms).
    ...readdirSync(join(root, 'extension/src')).filter((f) => f.endsWith('.ts') && f !== 'i18n.ts').map((f) => join('extension/src', f)),
    'extension/manifest.json',
  ];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const add = (key) => used.set(key, [...(used.get(key) ?? []), file]);
    // t('key', ...) and t(cond ? 'key' : 'other', ...): the literals of the first argument.
    for (const m of text.matchAll(/\bt\(\s*([^,)]*)/g)) for (const k of m[1].matchAll(/'([^']+)'/g)) add(k[1]);
    for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) add(m[1]);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(/\s+/)) add(pair.split(':')[1]);
    for (const m of text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) add(m[1]);
  }
  return used;
}

test('English and German, and nothing else yet', () => {
  assert.deepEqual(Object.keys(locales), ['de', 'en']);
});

test('keys are what both browsers accept, and every message has its text', () => {
  for (const [lang, messages] of Object.entries(locales)) {
    for (const [key, value] of Object.entries(messages)) {
      assert.match(key, /^[A-Za-z0-9_]+$/, `${lang}: ${key}`);
      assert.equal(typeof value.message, 'string', `${lang}: ${key}`);
      assert.notEqual(value.message.trim(), '', `${lang}: ${key}`);
    }
  }
});

test('every locale has exactly English\'s keys, with the same substitutions', () => {
  for (const [lang, messages] of Object.entries(locales)) {
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(en).sort(), lang);
    for (const [key, { message }] of Object.entries(messages)) {
      assert.deepEqual(substitutions(message), substitutions(en[key].message), `${lang}: ${key}: ${message}`);
    }
  }
  // English numbers its substitutions from $1, without gaps.
  for (const [key, { message }] of Object.entries(en)) {
    const numbers = [...new Set(substitutions(message))].map(Number);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `en: ${key}`);
  }
});

test('every key used is defined, and every key defined is used', () => {
  const used = usedKeys();
  const undefinedKeys = [...used].filter(([key]) => !(key in en)).map(([key, files]) => `${key} (${files.join(', ')})`);
  assert.deepEqual(undefinedKeys, [], 'used but not in extension/locales/en');
  assert.deepEqual(Object.keys(en).filter((key) => !used.has(key)), [], 'in extension/locales/en but never used');
});

test('German is a translation, not a copy of English', () => {
  const keys = Object.keys(en);
  const same = keys.filter((key) => locales.de[key].message === en[key].message);
  // Names (OneCRL, CRLite, OCSP) and numbers may stay as they are.
  assert.ok(same.length <= keys.length / 4, `${same.length} of ${keys.length} German messages are the English text: ${same.join(', ')}`);
});
