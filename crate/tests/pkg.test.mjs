// The built wasm package (crate/pkg), as the extension will load it, checked
// against the native CLI: the same chain, snapshot, policy and time must give
// the same verdict, field for field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { initSync, Engine, Telemetry, certificateFacts, policyPresets } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const AT = '2026-11-21T12:00:00Z';
const cli = join(root, 'target/debug/revoscope');

function pemChain(name) {
  const text = readFileSync(join(root, 'fixtures/pki/chains', name), 'utf8');
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
    .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

function cliVerdict(args, at = AT) {
  try {
    return JSON.parse(execFileSync(cli, ['inspect', ...args, '--at', at, '--json', '--no-fetch']));
  } catch (e) {
    if (e.status === 3) return JSON.parse(e.stdout); // "block" is a verdict
    throw e;
  }
}

const snapshots = {
  bundled: join(root, 'fixtures/onecrl/onecrl.json'),
  test: join(root, 'fixtures/pki/onecrl-test.json'),
};

for (const chain of readdirSync(join(root, 'fixtures/pki/chains'))) {
  for (const policy of ['mozilla-plan', 'hard-fail', 'firefox-today']) {
    test(`wasm and CLI agree: ${chain}, ${policy}`, async () => {
      const snapshot = chain.includes('under-revoked-') ? snapshots.test : snapshots.bundled;
      const engine = new Engine(readFileSync(snapshot));
      engine.setPolicy(policy);
      const wasm = await engine.evaluate(pemChain(chain), undefined, Date.parse(AT), false);
      const native = cliVerdict(['--chain', join(root, 'fixtures/pki/chains', chain), '--onecrl', snapshot, '--policy', policy]);
      assert.deepStrictEqual(wasm, native);
      engine.free();
    });
  }
}

test('errors reach JavaScript as Error objects with the engine message', () => {
  const engine = new Engine(readFileSync(snapshots.test));
  assert.throws(() => engine.evaluate([new Uint8Array([0x30, 0x03, 0x02, 0x01])], undefined, Date.parse(AT), false),
    /certificate #0 of the chain: malformed certificate/);
  assert.throws(() => engine.setPolicy('{"live_ocsp": "maybe"}'), /invalid policy: unknown variant `maybe`/);
  assert.throws(() => new Engine(new TextEncoder().encode('[]')), /not a Remote Settings collection/);
  assert.throws(() => certificateFacts(new Uint8Array([1, 2, 3])), /malformed certificate/);
  assert.deepStrictEqual(policyPresets().map((p) => p.name), ['mozilla-plan', 'hard-fail', 'firefox-today']);
});

// Stapled responses: the wasm package checks signatures with WebCrypto, the
// CLI with RustCrypto; the verdicts must still be the same, field for field.
const ocspDir = join(root, 'fixtures/ocsp');
for (const file of readdirSync(ocspDir).filter((f) => f.endsWith('.der'))) {
  test(`wasm (WebCrypto) and CLI (RustCrypto) agree on the staple ${file}`, async () => {
    const staple = readFileSync(join(ocspDir, file));
    // A minute after the fixtures were made (they carry real time).
    const made = Date.parse(producedAt(join(ocspDir, 'good.der')));
    const at = new Date(made + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const chainFile = file.startsWith('must-staple') ? 'leaf-must-staple.pem' : 'leaf-90d.pem';
    const engine = new Engine(readFileSync(snapshots.test));
    const wasm = await engine.evaluate(pemChain(chainFile), new Uint8Array(staple), Date.parse(at), false);
    const native = cliVerdict(['--chain', join(root, 'fixtures/pki/chains', chainFile), '--onecrl', snapshots.test,
      '--staple', join(ocspDir, file)], at);
    assert.deepStrictEqual(wasm, native);
    engine.free();
  });
}

/** producedAt of a DER OCSP response file, read by openssl. */
function producedAt(path) {
  const text = execFileSync('openssl', ['ocsp', '-respin', path, '-resp_text', '-noverify']).toString();
  const when = /Produced At: (.+)/.exec(text)[1];
  return new Date(when).toISOString();
}

test('telemetry through JavaScript: inspect hands over the page load, Telemetry counts and stores it', async () => {
  const engine = new Engine(readFileSync(snapshots.bundled));
  const now = Date.parse(AT);
  const { page_load: pending } = await engine.inspect(pemChain('leaf-90d.pem'), undefined, now, false, {});
  assert.deepStrictEqual(pending, {
    path: 'OCSP', ca_paths: ['OneCRL', 'OneCRL'], live: { kind: 'not-asked', reason: 'off' },
    hard_fail: 'undetermined', browser_used_ocsp: null,
  });
  const { page_load: exempt } = await engine.inspect(pemChain('leaf-6d.pem'), undefined, now, false, {});
  assert.equal(exempt.path, 'ShortValidity');

  const telemetry = new Telemetry(90);
  assert.equal(telemetry.record(JSON.stringify({ ...pending, browser_used_ocsp: true }), now).new_day, true);
  const stored = telemetry.record(JSON.stringify(exempt), now);
  assert.deepStrictEqual([stored.day, stored.new_day], ['2026-11-21', false]);
  // The stored JSON loads back into a fresh store, and a bad one says why.
  const again = new Telemetry(90);
  assert.equal(again.loadDay(stored.day, stored.json), null);
  assert.equal(again.loadDay('2026-11-22', stored.json).code, 'wrong-day');
  const summary = again.summary(now, 7);
  assert.equal(summary.days.length, 7);
  assert.deepStrictEqual([summary.totals.live.evaluated, summary.totals.live.needed, summary.totals.live.usage_rate], [2, 1, 0.5]);
  assert.equal(summary.totals.browser_ocsp_rate, 1);
  assert.match(again.exportCsv(), /^day,metric,key,value\n2026-11-21,pages,,2\n/);
  // A page load with a site in it is refused, not stored.
  assert.throws(() => telemetry.record(JSON.stringify({ ...exempt, url: 'https://site.example/' }), now), /unknown field `url`/);
  assert.throws(() => new Telemetry(0), /retention of 0 days/);
  engine.free();
});
