// The settings' schema and their one writer (extension/src/settings.ts,
// settings-store.ts), in Node over a stand-in storage.local whose every
// read and write waits a moment, as the browsers' do: patches sent at once
// are applied in order and none is lost (the same read-modify-write
// without the queue loses all but one, on the same storage); a patch the
// schema refuses names the setting and what it accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { i18nStandIn, localeMessages } from '../../scripts/locales.mjs';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** storage.local with a pause before each read and each write. */
function slowStorage() {
  const items = {};
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1));
  return {
    items,
    writes: 0,
    async get(key) {
      await pause();
      return key in items ? { [key]: structuredClone(items[key]) } : {};
    },
    async set(more) {
      await pause();
      this.writes += 1;
      Object.assign(items, structuredClone(more));
    },
  };
}

const storage = slowStorage();
// The English messages, as the browsers fill them: refusals are in the UI language.
const i18n = i18nStandIn(localeMessages(join(src, '..', '..')).en);
globalThis.chrome = { runtime: { getURL: (path) => `chrome-extension://test/${path}` }, storage: { local: storage }, i18n };

const bundle = await build({
  stdin: {
    contents: "export * from './settings-store'; export { DEFAULT_SETTINGS, normalise, settingsPatch } from './settings';",
    resolveDir: src, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'warning',
});
const { DEFAULT_SETTINGS, loadSettings, normalise, onSettingsChanged, settingsPatch, updateSettings } =
  await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const heard = [];
onSettingsChanged((settings) => heard.push(settings));

test('patches sent at once are applied in order, each on what the one before left, and none is lost', async () => {
  const patches = [
    { policy: 'hard-fail' },
    { collectorUrl: 'https://collector.example', sharingDelayMinutes: 5 },
    { liveOcsp: true },
    { telemetryRetentionDays: 30 },
    { overrides: { crlite: 'enforce' } },
    { telemetryRetentionDays: 31 },
  ];
  const answers = await Promise.all(patches.map((patch) => updateSettings(patch)));
  const expected = { ...DEFAULT_SETTINGS, ...Object.assign({}, ...patches) };
  assert.deepEqual(await loadSettings(), expected);
  assert.deepEqual(storage.items.settings, expected);
  // Each answer is the settings in force right after its own patch.
  answers.forEach((answer, i) => assert.deepEqual(answer, { ...DEFAULT_SETTINGS, ...Object.assign({}, ...patches.slice(0, i + 1)) }));
  assert.deepEqual(heard, answers, 'the listeners hear every change, in order');
});

test('a patch that changes nothing writes nothing and tells no one', async () => {
  const writes = storage.writes;
  const told = heard.length;
  const current = await loadSettings();
  assert.deepEqual(await updateSettings({ liveOcsp: current.liveOcsp }), current);
  assert.equal(storage.writes, writes);
  assert.equal(heard.length, told);
});

test('the same read-modify-write without the queue loses changes on this storage', async () => {
  // What each page did before the background owned the settings: the
  // control that shows the test above can fail.
  const racy = slowStorage();
  const readModifyWrite = async (patch) => {
    const stored = (await racy.get('settings')).settings;
    await racy.set({ settings: { ...normalise(stored), ...patch } });
  };
  await Promise.all([readModifyWrite({ policy: 'hard-fail' }), readModifyWrite({ sharingDelayMinutes: 5 })]);
  assert.notDeepEqual(racy.items.settings, { ...DEFAULT_SETTINGS, policy: 'hard-fail', sharingDelayMinutes: 5 });
});

test('a patch is checked against the schema: each value as it will be kept, or a refusal naming the setting', () => {
  assert.deepEqual(settingsPatch({ collectorUrl: ' https://collector.example/// ', sharingDelayMinutes: 0, overrides: {} }),
    { collectorUrl: 'https://collector.example', sharingDelayMinutes: 0, overrides: {} });
  assert.deepEqual(settingsPatch({}), {});
  const refusals = [
    [{ colour: 'blue' }, 'there is no setting named "colour"'],
    [{ sharing: 'on' }, 'sharing follows consent: it changes by the sharing-set request, not by a patch'],
    [{ liveOcsp: 'yes' }, 'liveOcsp is true or false, not "yes"'],
    [{ chromeCapture: 'never' }, 'chromeCapture is one of on-demand, always, not "never"'],
    [{ telemetryRetentionDays: 0 }, 'telemetryRetentionDays is a whole number of days from 1 to 3660, not 0'],
    [{ sharingDelayMinutes: 1.5 }, 'sharingDelayMinutes is a whole number of minutes from 0 to 1440, not 1.5'],
    [{ sharingDelayMinutes: null }, 'sharingDelayMinutes is a whole number of minutes from 0 to 1440, not null'],
    [{ onecrlRootHash: 'ABC' }, 'onecrlRootHash is a SHA-256 in 64 lowercase hex digits, or empty, not "ABC"'],
    [{ onecrlServer: 'ftp://rs.example/v1' }, 'onecrlServer is an http or https address, not "ftp://rs.example/v1"'],
    [{ overrides: { crlite: ['enforce'] } }, 'overrides is an object of policy keys to strings, numbers or booleans, not {"crlite":["enforce"]}'],
    [{ overrides: [] }, 'overrides is an object of policy keys to strings, numbers or booleans, not []'],
    [{ collectorUrl: 'https://u:p@collector.example' },
      'collectorUrl is empty, or an http or https address with no query, fragment or password, not "https://u:p@collector.example"'],
    [{ policy: '' }, 'policy is a preset name, not ""'],
    [[{ policy: 'hard-fail' }], 'a settings patch is an object of settings, not [{"policy":"hard-fail"}]'],
    [null, 'a settings patch is an object of settings, not null'],
  ];
  for (const [patch, message] of refusals) {
    assert.throws(() => settingsPatch(patch), { message }, JSON.stringify(patch));
  }
  // Long values are quoted cut short.
  assert.throws(() => settingsPatch({ liveOcsp: 'y'.repeat(100) }), { message: `liveOcsp is true or false, not "${'y'.repeat(76)}...` });
});

test('stored settings are read through the same schema: what it refuses falls back to the default', () => {
  assert.deepEqual(normalise(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(normalise('garbage'), DEFAULT_SETTINGS);
  assert.deepEqual(normalise({
    policy: 'hard-fail', liveOcsp: 'yes', telemetryRetentionDays: 99999, sharing: 'paused', collectorUrl: 'https://c.example/', overrides: [1],
  }), { ...DEFAULT_SETTINGS, policy: 'hard-fail', sharing: 'paused', collectorUrl: 'https://c.example' });
});
