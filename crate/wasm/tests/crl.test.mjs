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

test("checkCrl says what the CA's CRL says beside the browser's verdict, without changing it or holding it back", async () => {
  const seen = await crlServer(() => ({ status: 200, body: fixture('crl/int-good-1.crl') }));
  const engine = new Engine(snapshot);
  engine.setPolicy('firefox-today');
  const chain = chainOf('leaf-crl-revoked');
  const result = await engine.inspect(chain, undefined, AT, false, { fetch: true, checkCrl: true });
  const leaf = result.verdict.certificates[0];
  assert.notEqual(leaf.decided_by, 'crl');
  assert.notEqual(leaf.status, 'revoked');
  // The verdict came without a fetch: the side view says what it would ask.
  assert.deepEqual(seen, []);
  assert.deepEqual(result.crl_requests, []);
  assert.equal(result.crl_check_due, true);
  assert.deepEqual(result.crl_check, { url: 'http://127.0.0.1:8890/crl/int-good-1.crl' }, 'nothing held yet');
  // The host asks for it after the verdict.
  const asked = await engine.checkCrl(chain, 0, AT);
  assert.equal(asked.report.answer.status, 'revoked');
  assert.equal(asked.report.list.entries, 6);
  assert.deepEqual(asked.requests.map((r) => [r.url, r.failure]), [['http://127.0.0.1:8890/crl/int-good-1.crl', null]]);
  assert.equal(asked.counted, null, 'counted only when asked to');
  // From then on the side view answers from the list held, and is not due.
  const again = await engine.inspect(chain, undefined, AT, false, { fetch: true, checkCrl: true });
  assert.equal(again.crl_check.answer.status, 'revoked');
  assert.equal(again.crl_check_due, false);
  assert.equal(seen.length, 1);
  // A leaf that names an OCSP responder too is answered only from lists held.
  const both = await new Engine(snapshot).inspect(chainOf('leaf-crl-and-ocsp'), undefined, AT, false, { checkCrl: true });
  assert.equal(both.crl_check_due, false);
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

test('a list kept by the host answers in a fresh engine with no new request; a stale or damaged one is refused', async () => {
  const url = 'http://127.0.0.1:8890/crl/int-good-1.crl';
  const seen = await crlServer(() => ({ status: 200, body: fixture('crl/int-good-1.crl') }));
  const first = new Engine(snapshot);
  first.setPolicy('inspector');
  const fetched = await first.inspect(chainOf('leaf-crl-revoked'), undefined, AT, false, { checkCrl: true });
  assert.deepEqual(fetched.crl_requests.map((r) => [r.url, r.failure]), [[url, null]]);
  assert.equal(first.storedCrl('http://127.0.0.1:8890/crl/other.crl', AT), null);
  const stored = first.storedCrl(url, AT);
  assert.ok(stored.bytes instanceof Uint8Array && stored.bytes.length > 0);
  // Its stored form, not the CRL: the index of six serials and the metadata.
  assert.notDeepEqual(Buffer.from(stored.bytes), fixture('crl/int-good-1.crl'));
  assert.deepEqual([stored.url, stored.fetched_at, stored.usable_until], [url, AT, Date.UTC(2026, 5, 8)]);

  // A restarted host: a fresh engine, the list put back, the same verdicts.
  const later = AT + 3_600_000;
  const restarted = new Engine(snapshot);
  restarted.setPolicy('inspector');
  assert.equal(restarted.putStoredCrl(url, stored.bytes, stored.fetched_at, later), true);
  for (const chain of ['leaf-crl-revoked', 'leaf-crl-good', 'leaf-crl-hold']) {
    const again = await restarted.inspect(chainOf(chain), undefined, later, false, { checkCrl: true });
    const before = await first.inspect(chainOf(chain), undefined, later, false, { checkCrl: true });
    assert.deepEqual(again.crl_requests, [], chain);
    const leaf = again.verdict.certificates[0];
    assert.deepEqual([leaf.status, leaf.decided_by, leaf.crl], [before.verdict.certificates[0].status, 'crl', before.verdict.certificates[0].crl], chain);
    assert.deepEqual(again.crl_check, before.crl_check, chain);
  }
  assert.deepEqual(seen, ['/crl/int-good-1.crl'], 'one fetch in all');
  // Handed out again with the first fetch's time.
  assert.equal(restarted.storedCrl(url, later).fetched_at, AT);

  // Past its nextUpdate: not handed out, not taken back (the host deletes it).
  const stale = Date.UTC(2026, 5, 8) + 1000;
  assert.equal(first.storedCrl(url, stale), null);
  const fresh = new Engine(snapshot);
  fresh.setPolicy('inspector');
  assert.equal(fresh.putStoredCrl(url, stored.bytes, stored.fetched_at, stale), false);
  // Damaged bytes, cut bytes, no time: refused, never thrown.
  const damaged = stored.bytes.slice();
  damaged[damaged.length >> 1] ^= 1;
  for (const [bytes, fetchedAt] of [[damaged, AT], [stored.bytes.subarray(0, 40), AT], [new Uint8Array(0), AT],
    [fixture('crl/int-good-1.crl'), AT], [stored.bytes, Number.NaN]]) {
    assert.equal(fresh.putStoredCrl(url, bytes, fetchedAt, AT), false);
  }
  // Nothing was taken: the fresh engine asks for the list.
  const pending = await fresh.inspect(chainOf('leaf-crl-good'), undefined, AT, false, {});
  assert.equal(pending.verdict.certificates[0].status, 'pending');
});

test("the side view's CRL fetch and the leaf's revocation information are counted in the day", async () => {
  await crlServer(() => ({ status: 200, body: fixture('crl/int-good-1.crl') }));
  const engine = new Engine(snapshot);
  engine.setPolicy('firefox-today');
  const telemetry = new Telemetry(90);
  engine.setTelemetry(telemetry);
  const count = { checkCrl: true, count: {} };
  // As the extension does: the page is counted with its verdict, the side
  // view's fetch when it ends.
  const inspect = async (name, at) => {
    const result = await engine.inspect(chainOf(name), undefined, at, false, count);
    if (result.crl_check_due) {
      const asked = await engine.checkCrl(chainOf(name), 0, at, { count: true });
      assert.deepEqual(asked.counted, { day: '2026-06-02', new_day: false });
    }
    return result;
  };
  const first = await inspect('leaf-crl-revoked', AT);
  assert.notEqual(first.page_load.path, 'CRL', "the browser's path: the CRL only looked on");
  assert.equal(first.crl_check_due, true);
  assert.equal(first.page_load.crl.kind, 'not-used', 'not fetched yet when the page was counted');
  assert.deepEqual(first.counted, { day: '2026-06-02', new_day: true });
  const good = await inspect('leaf-crl-good', AT + 1000);
  assert.deepEqual(good.page_load.crl, { kind: 'held' });
  await inspect('leaf-crl-and-ocsp', AT + 2000);
  const summary = telemetry.summary(AT, 1);
  assert.deepEqual(summary.totals.revocation_info, { 'crl-only': 2, both: 1 });
  assert.equal(summary.totals.crl.fetched, 1);
  assert.equal(summary.totals.crl.held, 2);
  assert.deepEqual(summary.crl_hosts.map((h) => [h.host, h.fetches, h.failures]), [['127.0.0.1:8890', 1, 0]]);
  const stored = JSON.parse(telemetry.dayJson('2026-06-02'));
  assert.deepEqual(stored.crl_outcomes, { ok: 1 });
  assert.equal(stored.crl_held, 2);
  // Counting needs a Telemetry to count in.
  await assert.rejects(async () => new Engine(snapshot).checkCrl(chainOf('leaf-crl-good'), 0, AT, { count: true }),
    /no Telemetry to count in/);
});
