// Engine.inspect and CRLs: the wasm package fetching the CRL the ladder asks
// for (and the one `checkCrl` asks for) with the global fetch, from a real
// HTTP server on 127.0.0.1 serving the CRLs Python's `cryptography` made
// (fixtures/crl), and reading them with WebCrypto's signature checks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { initSync, Engine, Telemetry } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const fixture = (path) => readFileSync(join(root, 'fixtures', path));
const snapshot = fixture('pki/onecrl-test.json');
const chainOf = (name) => [...fixture(`crl/chains/${name}.pem`).toString()
  .matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
// 2026-06-02T00:00:00Z: inside the fixture CRLs' validity.
const AT = Date.UTC(2026, 5, 2);

// The leaves name http://127.0.0.1:8890/crl/int-good-1.crl.
let current = null;
after(() => current && (current.closeAllConnections(), new Promise((resolve) => current.close(resolve))));

/** Serves `answer(path)` on 127.0.0.1:8890 ({status, body}); records paths. */
async function crlServer(answer) {
  if (current) {
    current.closeAllConnections();
    await new Promise((resolve) => current.close(resolve));
  }
  const seen = [];
  current = createServer((req, res) => {
    seen.push(req.url);
    const { status, body } = answer(req.url);
    res.writeHead(status, { 'Content-Type': 'application/pkix-crl', Connection: 'close' });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    current.once('error', reject);
    current.listen(8890, '127.0.0.1', resolve);
  });
  return seen;
}

test('the ladder fetches the CRL it asks for, reads it with WebCrypto, and keeps it', async () => {
  const served = fixture('crl/int-good-1.crl');
  const seen = await crlServer(() => ({ status: 200, body: served }));
  const engine = new Engine(snapshot);
  engine.setPolicy('inspector');
  const revoked = await engine.inspect(chainOf('leaf-crl-revoked'), undefined, AT, false, { checkCrl: true });
  const leaf = revoked.verdict.certificates[0];
  assert.equal(leaf.decided_by, 'crl');
  assert.equal(leaf.status, 'revoked');
  assert.equal(leaf.crl.answer.reason, 'keyCompromise');
  assert.equal(revoked.verdict.outcome, 'block');
  assert.deepEqual(revoked.crl_requests.map((r) => [r.url, r.bytes, r.failure]),
    [['http://127.0.0.1:8890/crl/int-good-1.crl', served.length, null]]);
  // Telemetry keeps the CRL's host, never its path.
  const { elapsed_ms: _, ...fetched } = revoked.page_load.crl;
  assert.deepEqual(fetched, { kind: 'fetched', host: '127.0.0.1:8890', class: 'ok', bytes: served.length });
  assert.equal(revoked.page_load.path, 'CRL');
  assert.equal(revoked.page_load.revocation_info, 'crl-only');
  // The same shard for another leaf: answered from the list held.
  const good = await engine.inspect(chainOf('leaf-crl-good'), undefined, AT, false, { checkCrl: true });
  assert.equal(good.verdict.certificates[0].status, 'good');
  assert.equal(good.crl_requests.length, 0);
  assert.deepEqual(good.page_load.crl, { kind: 'held' });
  assert.deepEqual(seen, ['/crl/int-good-1.crl']);
});

test('a forged or missing CRL gives no answer, with its class, and is not asked again at once', async () => {
  for (const [status, body, failure] of [[200, fixture('crl/forged.crl'), 'bad-signature'],
    [404, Buffer.from('gone'), 'http-status'], [200, fixture('crl/expired.crl'), null]]) {
    const seen = await crlServer(() => ({ status, body }));
    const engine = new Engine(snapshot);
    engine.setPolicy('inspector');
    const first = await engine.inspect(chainOf('leaf-crl-good'), undefined, AT, false, { checkCrl: true });
    const leaf = first.verdict.certificates[0];
    assert.equal(leaf.status, 'offline', JSON.stringify(leaf.offline));
    assert.equal(first.crl_requests[0].failure, failure);
    // A body that arrived but is no usable CRL is `invalid-response`, its
    // `code` the list's own class; a transport failure is its own class.
    assert.equal(leaf.offline.code ?? leaf.offline.class, failure ?? 'stale');
    assert.equal(first.verdict.outcome, 'soft-fail-accept');
    assert.equal(first.page_load.crl.class, failure ?? 'stale');
    const again = await engine.inspect(chainOf('leaf-crl-good'), undefined, AT + 60_000, false, { checkCrl: true });
    assert.equal(again.crl_requests.length, 0, 'a failure is remembered for five minutes');
    assert.deepEqual(again.page_load.crl, { kind: 'not-used' }, 'no list held answered');
    assert.equal(seen.length, 1);
  }
});

test("checkCrl says what the CA's CRL says beside the browser's verdict, without changing it", async () => {
  await crlServer(() => ({ status: 200, body: fixture('crl/int-good-1.crl') }));
  const engine = new Engine(snapshot);
  engine.setPolicy('firefox-today');
  const result = await engine.inspect(chainOf('leaf-crl-revoked'), undefined, AT, false,
    { fetch: true, checkCrl: true });
  const leaf = result.verdict.certificates[0];
  assert.notEqual(leaf.decided_by, 'crl');
  assert.notEqual(leaf.status, 'revoked');
  assert.equal(result.crl_check.answer.status, 'revoked');
  assert.equal(result.crl_check.list.entries, 6);
  // Without checkCrl no CRL is fetched, even for a policy's CRL step.
  const plain = await new Engine(snapshot).inspect(chainOf('leaf-crl-revoked'), undefined, AT, false, { fetch: true });
  assert.equal(plain.crl_check, null);
  assert.deepEqual(plain.crl_requests, []);
  const inspector = new Engine(snapshot);
  inspector.setPolicy('inspector');
  const pending = await inspector.inspect(chainOf('leaf-crl-revoked'), undefined, AT, false, { fetch: true });
  assert.equal(pending.verdict.certificates[0].status, 'pending');
  assert.equal(pending.verdict.certificates[0].crl_fetch.url, 'http://127.0.0.1:8890/crl/int-good-1.crl');
  assert.deepEqual(pending.crl_requests, []);
});

test("the side view's CRL fetch and the leaf's revocation information are counted in the day", async () => {
  await crlServer(() => ({ status: 200, body: fixture('crl/int-good-1.crl') }));
  const engine = new Engine(snapshot);
  engine.setPolicy('firefox-today');
  const telemetry = new Telemetry(90);
  engine.setTelemetry(telemetry);
  const count = { checkCrl: true, count: {} };
  const first = await engine.inspect(chainOf('leaf-crl-revoked'), undefined, AT, false, count);
  assert.notEqual(first.page_load.path, 'CRL', "the browser's path: the CRL only looked on");
  assert.equal(first.page_load.crl.kind, 'fetched');
  assert.equal(first.counted.day, '2026-06-02');
  await engine.inspect(chainOf('leaf-crl-good'), undefined, AT + 1000, false, count);
  await engine.inspect(chainOf('leaf-crl-and-ocsp'), undefined, AT + 2000, false, count);
  const summary = telemetry.summary(AT, 1);
  assert.deepEqual(summary.totals.revocation_info, { 'crl-only': 2, both: 1 });
  assert.equal(summary.totals.crl.fetched, 1);
  assert.equal(summary.totals.crl.held, 2);
  assert.deepEqual(summary.crl_hosts.map((h) => [h.host, h.fetches, h.failures]), [['127.0.0.1:8890', 1, 0]]);
  const stored = JSON.parse(telemetry.dayJson('2026-06-02'));
  assert.deepEqual(stored.crl_outcomes, { ok: 1 });
  assert.equal(stored.crl_held, 2);
});
