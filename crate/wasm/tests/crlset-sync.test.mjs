// Engine.syncCrlset in the wasm package: Chrome's CRLSet fetched as the
// component updater fetches it, from a stand-in update server on 127.0.0.1
// serving the update check's XML reply and the CRX3 packages of
// fixtures/crx3 (made by the npm crx3 writer, see its README), the
// packages' signatures checked by WebCrypto.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { initSync, Engine } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const fixture = (path) => readFileSync(join(root, 'fixtures', path));
const snapshot = fixture('pki/onecrl-test.json');
const AT = Date.UTC(2026, 5, 2);
// The test key's pin and id (fixtures/crx3/README.md); Chrome's CRLSet id.
const TEST_PIN = '20f17420c464b4523c37d004d54c94cc10ae78aa9c83e02347401021d2d1e817';
const TEST_ID = 'capbhecamegelefcdmdhnaaenfemjemm';
const CHROME_ID = 'hfnkpimlhhgieaddgfemjhofmfblmnib';
const SEQ1 = fixture('crlset/crlset_by_root_serial.raw');

/** Answers GETs by path (the query ignored) from `routes`: [status, body]. */
const routes = new Map();
const seen = [];
const stand = createServer((req, res) => {
  seen.push(req.url);
  const [status, body] = routes.get(req.url.split('?')[0]) ?? [404, 'not here'];
  res.writeHead(status, { Connection: 'close' });
  res.end(body);
});
await new Promise((resolve) => stand.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${stand.address().port}`;
const server = `${base}/service/update2/crx`;
// Accepts connections and never answers.
const silent = createServer(() => {});
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
after(() => Promise.all([stand, silent].map((s) => {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(resolve));
})));

/** The update check offers fixtures/crx3/<crx>, under the test id and Chrome's. */
function offer(crx, status = 200) {
  const app = (id) => `<app appid="${id}" status="ok"><updatecheck codebase="${base}/crx/${crx}" `
    + 'hash="" size="0" status="ok" version="7"/></app>';
  routes.set('/service/update2/crx', [200, '<?xml version="1.0" encoding="UTF-8"?><gupdate '
    + 'xmlns="http://www.google.com/update2/response" protocol="2.0" server="prod">'
    + `<daystart elapsed_seconds="1"/>${app(TEST_ID)}${app(CHROME_ID)}</gupdate>`]);
  routes.set(`/crx/${crx}`, [status, status === 200 ? fixture(`crx3/${crx}`) : 'gone']);
}

const sync = (engine, options = {}) => engine.syncCrlset(AT, { server, keySha256: TEST_PIN, ...options });
const sequenceInForce = (engine) => engine.crlsetInfo(AT)?.info.sequence ?? null;

test('a new set is put in force and handed back; the same again is up to date', async () => {
  const engine = new Engine(snapshot);
  offer('crlset-seq1.crx3');
  seen.length = 0;
  const updated = await sync(engine);
  assert.equal(updated.error, null);
  assert.deepEqual([updated.status, updated.version, updated.sequence], ['updated', '7', 1]);
  assert.ok(updated.bytes instanceof Uint8Array);
  assert.deepEqual(Buffer.from(updated.bytes), SEQ1, 'the crl-set the package carries');
  assert.deepEqual(updated.info, engine.crlsetInfo(AT));
  assert.equal(sequenceInForce(engine), 1);
  assert.deepEqual(updated.requests, [
    { url: `${server}?x=id%3D${TEST_ID}%26v%3D%26uc%26acceptformat%3Dcrx3`, status: 200, bytes: updated.requests[0].bytes },
    { url: `${base}/crx/crlset-seq1.crx3`, status: 200, bytes: fixture('crx3/crlset-seq1.crx3').length },
  ]);
  assert.deepEqual(seen, [`/service/update2/crx?x=id%3D${TEST_ID}%26v%3D%26uc%26acceptformat%3Dcrx3`, '/crx/crlset-seq1.crx3']);
  // The stored bytes put back in a new engine are the same set.
  assert.deepEqual(new Engine(snapshot).setCrlset(updated.bytes, AT), updated.info);

  const again = await sync(engine);
  assert.deepEqual([again.status, again.error, again.sequence, again.bytes], ['up-to-date', null, 1, null]);
  assert.equal(again.info.info.sequence, 1);
});

test('a lower Sequence is a rollback, refused: the set in force stays', async () => {
  const engine = new Engine(snapshot);
  offer('crlset-seq2.crx3');
  assert.equal((await sync(engine)).sequence, 2);
  offer('crlset-seq1.crx3');
  const rollback = await sync(engine);
  assert.deepEqual([rollback.status, rollback.error.code, rollback.sequence, rollback.bytes],
    ['failed', 'rollback', 1, null]);
  assert.match(rollback.error.message, /Sequence 1, below the kept set's 2/);
  assert.equal(rollback.info.info.sequence, 2);
  assert.equal(sequenceInForce(engine), 2);
});

test('a tampered package, one without the pinned key, or a failed request changes nothing', async () => {
  const engine = new Engine(snapshot);
  engine.setCrlset(fixture('crlset/crlset_by_root_subject_no_spki.raw'), AT);
  const cases = [
    ['archive-flipped.crx3', 200, {}, 'bad-signature'],
    ['truncated.crx3', 200, {}, 'truncated-header'],
    ['no-crl-set.crx3', 200, {}, 'file-missing'],
    // Chrome's key by default: a package signed with another is refused.
    ['crlset-seq1.crx3', 200, { keySha256: undefined }, 'wrong-id'],
    ['crlset-seq1.crx3', 404, {}, 'http-status'],
  ];
  for (const [crx, status, options, code] of cases) {
    offer(crx, status);
    const failed = await sync(engine, options);
    assert.deepEqual([failed.status, failed.error?.code, failed.bytes], ['failed', code, null], crx);
    assert.equal(failed.info.info.sequence, 2, `${crx}: the set in force stays`);
    assert.equal(failed.requests.length, 2);
    assert.equal(failed.requests[1].status, status);
  }
  assert.equal(sequenceInForce(engine), 2);

  routes.set('/service/update2/crx', [200, '<gupdate><app appid="someone-else"/></gupdate>']);
  const noApp = await sync(engine);
  assert.deepEqual([noApp.error.code, noApp.requests.length], ['bad-update-reply', 1]);
  routes.set('/service/update2/crx', [503, 'busy']);
  const busy = await sync(engine);
  assert.deepEqual([busy.error.code, busy.requests[0].status], ['http-status', 503]);
  assert.match(busy.error.message, /answered HTTP 503/);
  assert.equal(sequenceInForce(engine), 2);
});

test('a server that never answers fails at the deadline', async () => {
  const engine = new Engine(snapshot);
  const started = Date.now();
  const late = await sync(engine, { server: `http://127.0.0.1:${silent.address().port}/update`, timeoutMs: 300 });
  assert.ok(Date.now() - started < 10_000, 'the deadline held');
  assert.deepEqual([late.status, late.error.code, late.info], ['failed', 'network', null]);
  assert.match(late.error.message, /deadline/);
  assert.deepEqual(late.requests.map((r) => r.status), [null]);
});

test('options that are not valid are refused before any request', () => {
  const engine = new Engine(snapshot);
  seen.length = 0;
  assert.throws(() => engine.syncCrlset(AT, { server, keySha256: 'not hex' }), /options.keySha256 "not hex" is not a hex SHA-256/);
  assert.throws(() => engine.syncCrlset(AT, { server, keySha256: TEST_PIN.slice(2) }), /keySha256/);
  // No server given: Chrome's is the default, and the key is still checked first.
  assert.throws(() => engine.syncCrlset(AT, { keySha256: 'zz' }), /keySha256/);
  assert.throws(() => engine.syncCrlset(AT, { server: 'ftp://127.0.0.1/' }), /options.server "ftp:\/\/127.0.0.1\/" is not an http\(s\) URL/);
  assert.throws(() => engine.syncCrlset(AT, { server, timeoutMs: 0 }), /timeoutMs must be 1-600000 ms/);
  assert.throws(() => engine.syncCrlset(-1, { server }), /not a time/);
  assert.deepEqual(seen, []);
});
