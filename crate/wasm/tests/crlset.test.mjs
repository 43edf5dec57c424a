// Chrome's CRLSet in the wasm package: a crl-set file put in force
// (Engine.setCrlset), the chrome-today preset deciding by it, and
// Engine.inspect's `compare`: the same chain under each browser's policy,
// each view naming the data it lacked. Chromium's test sets and
// certificates (fixtures/crlset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { initSync, Engine } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const fixture = (path) => readFileSync(join(root, 'fixtures', path));
const snapshot = fixture('pki/onecrl-test.json');
const ders = (path) => [...fixture(path).toString()
  .matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
// ok_cert under Chromium's test root; crlset_by_root_serial.raw lists it.
const chain = [...ders('crlset/chromium/ok_cert.pem'), ...ders('crlset/chromium/root_ca_cert.pem')];
const AT = Date.UTC(2026, 5, 2);

test('a crl-set in force decides chrome-today, and a bad file leaves the one in force', () => {
  const engine = new Engine(snapshot);
  assert.equal(engine.crlsetInfo(AT), null);
  const shown = engine.setCrlset(fixture('crlset/crlset_by_root_serial.raw'), AT);
  assert.deepEqual([shown.info.parents, shown.info.serials, shown.expired], [1, 1, false]);
  for (const [bytes, code] of [[new Uint8Array([1]), /Error: truncated-header-length: /],
    [fixture('crlset/crlset_by_root_serial.raw').subarray(0, 40), /Error: truncated-header: /]]) {
    assert.throws(() => engine.setCrlset(bytes, AT), code);
  }
  assert.deepEqual(engine.crlsetInfo(AT), shown, 'the set in force stayed');
  assert.equal(engine.setCrlset(fixture('crlset/unittest-expired.raw'), AT).expired, true);
  engine.clearCrlset();
  assert.equal(engine.crlsetInfo(AT), null);
});

test('compare puts the browsers beside the verdict, on the same chain and lists, and says what each lacked', async () => {
  const engine = new Engine(snapshot);
  engine.setPolicy('firefox-today');
  // The verdict first, then the other views beside its own.
  const inspectAndCompare = async () => {
    const result = await engine.inspect(chain, undefined, AT, false, {});
    return { result, comparison: await engine.compare(chain, undefined, AT, false, false, result.view) };
  };
  const byName = (comparison) => Object.fromEntries(comparison.views.map((v) => [v.name, v]));
  const without = await inspectAndCompare();
  let views = byName(without.comparison);
  assert.deepEqual(without.comparison.views.map((v) => v.name), ['firefox-today', 'chrome-today', 'mozilla-plan', 'hard-fail']);
  assert.equal(views['firefox-today'].in_force, true);
  assert.deepEqual(views['firefox-today'], without.result.view, 'the view in force is the one inspect gave');
  assert.deepEqual(views['chrome-today'].missing, ['no-crlset']);
  assert.notEqual(views['chrome-today'].leaf_status, 'good', 'no set, no answer');

  engine.setCrlset(fixture('crlset/crlset_by_root_serial.raw'), AT);
  const withSet = await inspectAndCompare();
  views = byName(withSet.comparison);
  assert.deepEqual([views['chrome-today'].outcome, views['chrome-today'].leaf_status, views['chrome-today'].leaf_decided_by],
    ['block', 'revoked', 'crlset']);
  assert.deepEqual(views['chrome-today'].missing, []);
  // The verdict in force is Firefox's: the CRLSet is not its list.
  assert.notEqual(withSet.result.verdict.certificates[0].decided_by, 'crlset');
  assert.deepEqual(withSet.result.verdict.outcome, views['firefox-today'].outcome);

  // The view is shown as given, not evaluated again.
  const given = { ...withSet.result.view, outcome: 'soft-fail-accept' };
  const shown = await engine.compare(chain, undefined, AT, false, false, given);
  assert.equal(byName(shown)['firefox-today'].outcome, 'soft-fail-accept');
  // A view of another policy, or not a view, is refused.
  engine.setPolicy('chrome-today');
  assert.throws(() => engine.compare(chain, undefined, AT, false, false, withSet.result.view),
    /in_force is the view of firefox-today, and the policy in force is now chrome-today/);
  assert.throws(() => engine.compare(chain, undefined, AT, false, false, { name: 'chrome-today' }), /in_force: not a view/);

  // Under chrome-today itself the verdict is the CRLSet's, and it is one view.
  const chrome = await inspectAndCompare();
  assert.deepEqual([chrome.result.verdict.outcome, chrome.result.verdict.certificates[0].decided_by], ['block', 'crlset']);
  assert.equal(chrome.comparison.views.length, 4);
  assert.equal(byName(chrome.comparison)['chrome-today'].in_force, true);
  // A custom policy comes after the presets.
  engine.setPolicy(JSON.stringify({ ...engine.policy(), name: 'mine' }));
  const mine = await inspectAndCompare();
  assert.deepEqual(mine.comparison.views.map((v) => [v.name, v.in_force]),
    [['firefox-today', false], ['chrome-today', false], ['mozilla-plan', false], ['hard-fail', false], ['mine', true]]);
});
