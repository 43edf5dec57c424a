// The built wasm package (crate/pkg), as the extension will load it, checked
// against the native CLI: the same chain, snapshot, policy and time must give
// the same verdict, field for field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
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
  for (const policy of ['mozilla-plan', 'hard-fail', 'firefox-today', 'inspector']) {
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
  assert.deepStrictEqual(policyPresets().map((p) => p.name), ['mozilla-plan', 'hard-fail', 'firefox-today', 'inspector', 'chrome-today']);
});

test('tape.js reads the tapes crate/wasm/src/tape.rs writes, and throws on anything else', async () => {
  const { readTape } = await import(join(root, 'crate/wasm/src/tape.js'));
  const read = (keys, words, numbers = [], text = '') =>
    readTape(keys, new Uint32Array(words), new Float64Array(numbers), text);
  const NEW_KEY = 0xffffffff;
  const keys = [];
  const text = 'abé!';
  // {ab: [null, true, 1.5, 'é!']}, naming key 0.
  assert.deepStrictEqual(read(keys, [6, 1, NEW_KEY, 0, 0, 2, 5, 4, 0, 2, 3, 0, 4, 2, 2], [1.5], text), { ab: [null, true, 1.5, 'é!'] });
  assert.deepStrictEqual(keys, ['ab']);
  // Key 0 by number, then as a known string; a map key used once.
  assert.deepStrictEqual(read(keys, [6, 2, 0, 7, 0, 0xfffffffe, 2, 2, 2], [], text), { ab: 'ab', 'é!': true });
  for (const [words, message] of [
    [[], /word 0 of 0 is not a value/],
    [[5, 2, 0], /word 3 of 3 is not a value/],
    [[9], /word 0 of 1 is not a value/],
    [[0, 0], /the value ends at word 1 of 2/],
    [[6, 1, 7, 0], /word 2 names key 7 of 1/],
  ]) assert.throws(() => read(keys, words, [], text), message);
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
    // The engine starts with mozilla-plan; the CLI's default is inspector.
    const native = cliVerdict(['--chain', join(root, 'fixtures/pki/chains', chainFile), '--onecrl', snapshots.test,
      '--staple', join(ocspDir, file), '--policy', 'mozilla-plan'], at);
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
    hard_fail: 'undetermined', browser_used_ocsp: null, crlite: null,
    revocation_info: 'both', crl: { kind: 'not-used' },
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
  assert.deepStrictEqual(summary.totals.revocation_info, { both: 1, 'ocsp-only': 1 });
  assert.match(again.exportCsv(), /^day,metric,key,value\n2026-11-21,pages,,2\n/);
  // A page load with a site in it is refused, not stored.
  assert.throws(() => telemetry.record(JSON.stringify({ ...exempt, url: 'https://site.example/' }), now), /unknown field `url`/);
  assert.throws(() => new Telemetry(0), /retention of 0 days/);
  engine.free();
});

test('inspect counts the page load in the call that evaluates it, into the Telemetry it was given', async () => {
  const engine = new Engine(readFileSync(snapshots.bundled));
  const now = Date.parse(AT);
  assert.throws(() => engine.inspect(pemChain('leaf-90d.pem'), undefined, now, false, { count: {} }), /no Telemetry to count in/);
  const telemetry = new Telemetry(90);
  engine.setTelemetry(telemetry);
  const first = await engine.inspect(pemChain('leaf-90d.pem'), undefined, now, false, { count: { browserUsedOcsp: true } });
  assert.deepStrictEqual(first.counted, { day: '2026-11-21', new_day: true });
  assert.equal(first.page_load.browser_used_ocsp, true);
  const second = await engine.inspect(pemChain('leaf-6d.pem'), undefined, now, false, { count: {} });
  assert.deepStrictEqual(second.counted, { day: '2026-11-21', new_day: false });
  assert.equal(second.page_load.browser_used_ocsp, null);
  // Not asked to count: not counted.
  assert.equal((await engine.inspect(pemChain('leaf-6d.pem'), undefined, now, false, {})).counted, null);
  const totals = telemetry.summary(now, 1).totals;
  assert.deepStrictEqual([totals.pages, totals.paths.OCSP, totals.paths.ShortValidity, totals.browser_ocsp_used], [2, 1, 1, 1]);
  // What the host stores is the day as it is now, and it loads back.
  const again = new Telemetry(90);
  assert.equal(again.loadDay('2026-11-21', telemetry.dayJson('2026-11-21')), null);
  assert.equal(again.summary(now, 1).totals.pages, 2);
  assert.equal(telemetry.dayJson('2026-11-20'), undefined);
  // Pages without a verdict are counted by name, not by a JSON page load.
  assert.equal(telemetry.recordPageLevel('BrowserBlocked', now).new_day, false);
  assert.equal(telemetry.summary(now, 1).totals.paths.BrowserBlocked, 1);
  assert.throws(() => telemetry.recordPageLevel('OCSP', now), /not a page-level path/);
  engine.free();
});

// Engine.syncCrlite in Node, against the Remote Settings stand-in serving a
// filter set built by Mozilla's clubcard builder (make_crlite_filters): the
// same fetch and WebCrypto path as the extension's background.
import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startRemoteSettings } from '../../../scripts/remote-settings/server.mjs';

test('syncCrlite: verified filters in force, incremental, reused, and a tampered file changes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'revoscope-pkg-crlite-'));
  const now = Date.now();
  const HOUR = 3_600_000;
  const issuer = 'ab'.repeat(32);
  const other = 'cd'.repeat(32);
  const logId = 'c7'.repeat(32);
  const spec = {
    logs: [{ log_id: logId, from_ms: now - 90 * 24 * HOUR, to_ms: now - HOUR }],
    // Each filter knows the issuer's whole universe of serials: one outside
    // it may match by chance, as in any clubcard.
    filters: [
      { id: 'full', kind: 'full', effective_ms: now - 6 * HOUR, issuers: [{ spki_sha256: issuer, revoked_serials: ['01'], good_serials: ['02', '03', '04'] }] },
      { id: 'delta-1', kind: 'delta', effective_ms: now - 3 * HOUR, issuers: [{ spki_sha256: issuer, revoked_serials: ['03'], good_serials: ['01', '02', '04'] }] },
      { id: 'delta-2', kind: 'delta', effective_ms: now - 2 * HOUR, issuers: [{ spki_sha256: issuer, revoked_serials: ['04'], good_serials: ['01', '02', '03'] }] },
    ],
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  execFileSync('cargo', ['run', '-q', '--release', '-p', 'revoscope', '--example', 'make_crlite_filters', '--',
    join(dir, 'spec.json'), join(dir, 'set')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const all = JSON.parse(readFileSync(join(dir, 'set/records.json'), 'utf8')).data;
  // Publishes the first `count` records at `timestamp`, as the stand-in reads them.
  const publish = (count, timestamp) => {
    writeFileSync(join(dir, 'set/records.next'), JSON.stringify({ data: all.slice(0, count), timestamp }));
    renameSync(join(dir, 'set/records.next'), join(dir, 'set/records.json'));
  };
  publish(2, now - 3 * HOUR);
  const rs = await startRemoteSettings({ crliteDir: join(dir, 'set') });
  const engine = new Engine(readFileSync(snapshots.bundled));
  const options = { server: rs.url, rootHashes: [rs.rootHash] };
  const query = (serial, by = issuer) => engine.crliteQuery(Buffer.from(by, 'hex'), Buffer.from(serial, 'hex'),
    Buffer.from(logId, 'hex'), new Float64Array([now - 24 * HOUR])).status;
  const stored = new Map();
  let index = null;
  let dump = null;
  const sync = async () => {
    const report = await engine.syncCrlite(now, options, dump, index, (hash) => stored.get(hash));
    for (const { hash, bytes } of report.downloaded) stored.set(hash, bytes);
    index = report.index ?? index;
    dump = report.dump ?? dump;
    return report;
  };
  try {
    await t.test('first sync: the whole chain downloaded, checked and in force', async () => {
      assert.equal(query('03'), 'no_filter');
      const report = await sync();
      assert.equal(report.status, 'updated', JSON.stringify(report.error));
      assert.equal(report.error, null);
      assert.equal(report.signer.signer_name, 'onecrl.content-signature.mozilla.org');
      assert.deepStrictEqual(report.downloaded.map((f) => createHash('sha256').update(f.bytes).digest('hex')),
        all.slice(0, 2).map((r) => r.attachment.hash));
      assert.deepStrictEqual(JSON.parse(report.index).filters.map((f) => f.meta.id), ['full', 'delta-1']);
      assert.deepStrictEqual([report.info.full_id, report.info.deltas, report.info.stale], ['full', 1, false]);
      assert.deepStrictEqual(['01', '02', '03', '04'].map((serial) => query(serial)),
        ['revoked_in_filter', 'not_revoked', 'revoked_in_filter', 'not_revoked']);
      assert.equal(query('01', other), 'not_enrolled');
    });

    await t.test('nothing new: up to date after the monitor alone', async () => {
      rs.requests.length = 0;
      const report = await sync();
      assert.deepStrictEqual([report.status, report.downloaded.length, report.dump, report.index], ['up-to-date', 0, null, null]);
      assert.equal(rs.requests.length, 1, JSON.stringify(rs.requests));
    });

    await t.test('a new delta: only its records and its file are fetched', async () => {
      publish(3, now - 2 * HOUR);
      rs.requests.length = 0;
      const report = await sync();
      assert.equal(report.status, 'updated', JSON.stringify(report.error));
      assert.equal(report.incremental, true);
      assert.deepStrictEqual(report.downloaded.map((f) => f.hash), [all[2].attachment.hash]);
      assert.equal(rs.requests.filter((r) => r.path.startsWith('/attachments/')).length, 1, JSON.stringify(rs.requests));
      assert.equal(report.info.deltas, 2);
      assert.equal(query('04'), 'revoked_in_filter');
    });

    await t.test('the stored index and files load into a fresh engine', () => {
      const fresh = new Engine(readFileSync(snapshots.bundled));
      const files = JSON.parse(index).filters.map((f) => stored.get(f.hash));
      assert.equal(fresh.setCrliteFilters(index, files), null);
      assert.deepStrictEqual(fresh.crliteInfo(now), engine.crliteInfo(now));
      // A missing file is named, and the set in force stays.
      assert.deepStrictEqual(fresh.setCrliteFilters(index, files.slice(0, 2)),
        { code: 'bad-index', message: 'the stored filter set\'s index is unusable: the file of filter delta-2 is missing' });
      assert.equal(fresh.crliteInfo(now).deltas, 2);
      fresh.free();
    });

    await t.test('answers name the filter, are frozen, and are never a previous set\'s', () => {
      const fresh = new Engine(readFileSync(snapshots.bundled));
      const files = JSON.parse(index).filters.map((f) => stored.get(f.hash));
      const answer = () => fresh.crliteQuery(Buffer.from(issuer, 'hex'), Buffer.from('03', 'hex'),
        Buffer.from(logId, 'hex'), [now - 24 * HOUR]);
      assert.deepStrictEqual({ ...answer() }, { status: 'no_filter' });
      assert.equal(fresh.setCrliteFilters(index, files), null);
      const first = answer();
      assert.deepStrictEqual({ ...first }, { status: 'revoked_in_filter', filter: 'delta-1' });
      assert.ok(Object.isFrozen(first));
      assert.equal(answer(), first, 'the same answer is the same object');
      // The same files under other ids: the filter in the same place is named anew.
      const renamed = JSON.parse(index);
      for (const f of renamed.filters) {
        f.meta.id += '-b';
        if (f.meta.parent) f.meta.parent += '-b';
      }
      assert.equal(fresh.setCrliteFilters(JSON.stringify(renamed), files), null);
      assert.deepStrictEqual({ ...answer() }, { status: 'revoked_in_filter', filter: 'delta-1-b' });
      fresh.clearCrliteFilters();
      assert.deepStrictEqual({ ...answer() }, { status: 'no_filter' });
      fresh.free();
    });

    await t.test('a tampered attachment: refused by its signed hash, the set in force unchanged', async () => {
      // Nothing held: every file must come from the server, tampered.
      const fresh = new Engine(readFileSync(snapshots.bundled));
      rs.setScenario('crlite-tampered-attachment');
      try {
        const report = await fresh.syncCrlite(now, options, null, null, () => undefined);
        assert.equal(report.status, 'failed');
        assert.equal(report.error.code, 'attachment-mismatch');
        assert.match(report.error.message, /^attachment of full: SHA-256 [0-9a-f]{64}, the record says [0-9a-f]{64}$/);
        assert.deepStrictEqual([report.index, report.downloaded, report.info], [null, [], null]);
        // The engine synced before keeps its set, even offered the bad files.
        const again = await engine.syncCrlite(now, options, null, null, () => undefined);
        assert.equal(again.error.code, 'attachment-mismatch');
        assert.equal(engine.crliteInfo(now).deltas, 2);
        assert.equal(query('04'), 'revoked_in_filter');
      } finally {
        rs.setScenario('ok');
        fresh.free();
      }
    });

    await t.test('bad options are thrown, not reported', () => {
      assert.throws(() => engine.syncCrlite(now, { ...options, channel: 'no/slash' }, null, null, () => undefined),
        /options\.channel must be 1-64 letters/);
      assert.throws(() => engine.syncCrlite(now, { server: 'ftp://x' }, null, null, () => undefined), /is not an http\(s\) URL/);
    });

    await t.test('an unreadable stored collection costs a whole download, not the sync', async () => {
      const report = await engine.syncCrlite(now, options, '{"not": "a dump"}', index, (hash) => stored.get(hash));
      assert.equal(report.status, 'up-to-date', JSON.stringify(report.error));
      assert.equal(report.ignored.length, 1);
      assert.match(report.ignored[0], /^the stored collection \(.+\): the whole collection was fetched$/);
      assert.notEqual(report.dump, null);
    });
  } finally {
    engine.free();
    await rs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
