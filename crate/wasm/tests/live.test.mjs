// Engine.inspect: the wasm package making the live OCSP request itself with
// the global fetch (as in the extension's background), against a real
// `openssl ocsp` responder and small HTTP servers on 127.0.0.1 that refuse
// GET, hang, or announce an oversize body. Its verdicts must match the CLI's
// for the same responder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { initSync, Engine } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const fixture = (path) => join(root, 'fixtures', path);
const snapshot = readFileSync(fixture('pki/onecrl-test.json'));
const chain = [...readFileSync(fixture('pki/chains/leaf-90d.pem'), 'utf8')
  .matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));

const stoppers = [];
after(() => Promise.all(stoppers.map((stop) => stop())));

/** A free TCP port on 127.0.0.1 (nothing listens there once this returns). */
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A real responder: `openssl ocsp` signing as the test intermediate. */
async function responder(index) {
  const port = await freePort();
  const child = spawn('openssl', ['ocsp', '-index', fixture(`ocsp/${index}`), '-port', String(port),
    '-CA', fixture('pki/int-good.pem'), '-rsigner', fixture('pki/int-good.pem'),
    '-rkey', fixture('pki/int-good.key.pem'), '-ndays', '1', '-ignore_err'], { stdio: ['ignore', 'ignore', 'pipe'] });
  stoppers.push(() => child.kill());
  await new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (d) => { seen += d; if (seen.includes('waiting for OCSP client connections')) resolve(); });
    child.on('exit', (code) => reject(new Error(`openssl ocsp exited (${code}): ${seen}`)));
  });
  return `http://127.0.0.1:${port}/`;
}

/** An HTTP server on 127.0.0.1 whose requests `handle` answers; records them. */
async function server(handle) {
  const seen = [];
  const s = createServer((req, res) => {
    const body = [];
    req.on('data', (d) => body.push(d));
    req.on('end', () => { seen.push({ method: req.method, url: req.url }); handle(req, res, Buffer.concat(body)); });
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  stoppers.push(() => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); }));
  return { url: `http://127.0.0.1:${s.address().port}/`, seen };
}

/** Relays a POST to `target`; answers GET with `getStatus`. */
function postOnly(target, getStatus) {
  return async (req, res, body) => {
    if (req.method !== 'POST') { res.writeHead(getStatus).end(); return; }
    const answer = await fetch(target, { method: 'POST', body, headers: { 'Content-Type': 'application/ocsp-request' } });
    res.writeHead(answer.status, { 'Content-Type': 'application/ocsp-response' })
      .end(Buffer.from(await answer.arrayBuffer()));
  };
}

async function inspect(options, policy = 'mozilla-plan') {
  const engine = new Engine(snapshot);
  engine.setPolicy(policy);
  try {
    return await engine.inspect(chain, undefined, Date.now(), false, options);
  } finally {
    engine.free();
  }
}

const leaf = (result) => result.verdict.certificates[0];

/** The CLI's verdict under mozilla-plan, the engine's starting policy (the
 * CLI's own default is inspector, which would ask the leaf's CRL first). */
function cli(args) {
  try {
    return JSON.parse(execFileSync(join(root, 'target/debug/revoscope'), ['inspect', '--json',
      '--chain', fixture('pki/chains/leaf-90d.pem'), '--onecrl', fixture('pki/onecrl-test.json'),
      '--policy', 'mozilla-plan', ...args]));
  } catch (e) {
    if (e.status === 3) return JSON.parse(e.stdout); // "block" is a verdict
    throw e;
  }
}

/** A verdict without what differs between two runs a moment apart. */
function stable(verdict) {
  const copy = structuredClone(verdict);
  delete copy.evaluated_at;
  delete copy.onecrl.age_secs;
  for (const cert of copy.certificates) {
    delete cert.elapsed_ms;
    cert.trace = cert.trace.map((t) => ({ ...t, detail: t.detail.replace(/\d+ ms/g, 'N ms') }));
    cert.reason = cert.reason.replace(/\d+ ms/g, 'N ms');
    // `openssl ocsp` signs each request afresh, and each run evaluates at its
    // own clock: the two may straddle a second. The answer's times are kept
    // relative to its producedAt; the store time is the evaluation's.
    const produced = cert.ocsp_response?.produced_at;
    if (produced !== undefined) {
      const entry = cert.cache_update?.entry;
      if (entry) delete entry.stored_at;
      for (const [o, keys] of [[cert.ocsp_response, ['produced_at', 'this_update', 'next_update', 'valid_until']], [entry, ['use_until']]]) {
        for (const key of keys) if (typeof o?.[key] === 'number') o[key] -= produced;
      }
    }
  }
  return copy;
}

test('without options.fetch the ladder stops at the live step and asks for nothing', async () => {
  const result = await inspect(undefined);
  assert.equal(result.live_request, null);
  assert.equal(leaf(result).status, 'pending');
  assert.match(leaf(result).fetch.get_url, /^http:\/\/127\.0\.0\.1:8888\/MEM/);
  assert.equal(leaf(result).trace.find((t) => t.step === 'stapled-ocsp').outcome, 'absent');
  // A browser capture cannot see the staple: the trace says so.
  const hidden = await inspect({ stapleHidden: true });
  assert.equal(leaf(hidden).trace.find((t) => t.step === 'stapled-ocsp').outcome, 'hidden');
});

for (const [index, status] of [['good.idx', 'good'], ['revoked.idx', 'revoked']]) {
  test(`a real responder by GET: ${status}, the same verdict as the CLI`, async () => {
    const url = await responder(index);
    const result = await inspect({ fetch: true, responder: url });
    assert.deepStrictEqual(result.live_request && { ...result.live_request, elapsed_ms: 0 },
      { responder: url, method: 'GET', elapsed_ms: 0 });
    assert.equal(leaf(result).status, status);
    assert.equal(leaf(result).decided_by, 'live-ocsp');
    assert.equal(leaf(result).ocsp_response.status, status);
    assert.deepStrictEqual(stable(result.verdict), stable(cli(['--responder', url, '--method', 'get'])));
  });
}

test('a responder that refuses GET is asked again by POST', async () => {
  const relay = await server(postOnly(await responder('good.idx'), 405));
  const result = await inspect({ fetch: true, responder: relay.url });
  assert.deepStrictEqual(relay.seen.map((r) => r.method), ['GET', 'POST']);
  assert.equal(result.live_request.method, 'POST');
  assert.equal(leaf(result).status, 'good');
});

test('method "get" does not fall back, and the HTTP error is an offline answer', async () => {
  const relay = await server(postOnly(await responder('good.idx'), 405));
  const result = await inspect({ fetch: true, method: 'get', responder: relay.url });
  assert.deepStrictEqual(relay.seen.map((r) => r.method), ['GET']);
  assert.equal(leaf(result).status, 'offline');
  assert.deepStrictEqual(leaf(result).offline, { class: 'http-status', status: 405 });
});

test('method "post" goes straight to POST', async () => {
  const relay = await server(postOnly(await responder('revoked.idx'), 405));
  const result = await inspect({ fetch: true, method: 'post', responder: relay.url });
  assert.deepStrictEqual(relay.seen.map((r) => r.method), ['POST']);
  assert.equal(leaf(result).status, 'revoked');
});

test('a responder that hangs is cut at the timeout: offline (timeout), soft-fail accepts, hard-fail blocks', async () => {
  const hang = await server(() => {}); // never answers
  const soft = await inspect({ fetch: true, timeoutMs: 300, responder: hang.url });
  assert.deepStrictEqual(leaf(soft).offline, { class: 'timeout' });
  assert.ok(soft.live_request.elapsed_ms >= 250, `cut after ${soft.live_request.elapsed_ms} ms`);
  assert.equal(soft.verdict.outcome, 'soft-fail-accept');
  const hard = await inspect({ fetch: true, timeoutMs: 300, responder: hang.url }, 'hard-fail');
  assert.deepStrictEqual(leaf(hard).offline, { class: 'timeout' });
  assert.equal(hard.verdict.outcome, 'block');
  assert.equal(hard.verdict.hard_fail_would_block, true);
});

test('a refused connection is a network failure, not an answer', async () => {
  const result = await inspect({ fetch: true, responder: `http://127.0.0.1:${await freePort()}/` });
  assert.equal(leaf(result).status, 'offline');
  assert.equal(leaf(result).offline.class, 'network');
});

test('a body announced over the size limit is not read', async () => {
  const big = await server((req, res) => {
    res.writeHead(200, { 'Content-Length': String(10 * 1024 * 1024) });
    res.write(Buffer.alloc(1024)); // and then nothing more
  });
  const result = await inspect({ fetch: true, timeoutMs: 5000, responder: big.url });
  assert.deepStrictEqual(leaf(result).offline, { class: 'oversize-body', len: 10 * 1024 * 1024, limit: 65535 });
});

test('bad options are refused before anything is asked', async () => {
  const engine = new Engine(snapshot);
  assert.throws(() => engine.inspect(chain, undefined, Date.now(), false, { fetch: true, method: 'put' }),
    /options.method "put" is not auto, get or post/);
  assert.throws(() => engine.inspect(chain, undefined, Date.now(), false, { fetch: true, timeoutMs: 0 }),
    /options.timeoutMs must be 1-120000 ms/);
  engine.free();
});
