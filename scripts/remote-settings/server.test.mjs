// node --test scripts/remote-settings/server.test.mjs
// The committed content-signature fixtures and the Remote Settings stand-in,
// checked with Node's own crypto (independent of the Rust verifier).
import assert from 'node:assert/strict';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalJSON } from './canonical-json.mjs';
import {
  ATTACHMENTS_PATH, CHANGESET_PATH, CRLITE_CHANGESET_PATH, HUGE_LENGTH, MONITOR_PATH, RETRY_AFTER_SECONDS, SCENARIOS, SIGNERS,
  contentSignaturePayload, parseSince, startRemoteSettings,
} from './server.mjs';

const dir = fileURLToPath(new URL('../../fixtures/remote-settings/', import.meta.url));
const read = (file) => readFileSync(join(dir, file), 'utf8');
const vector = (name) => JSON.parse(read(`${name}.changeset.json`));
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const rootDer = new X509Certificate(read('root.pem')).raw;
const ROOT_HASH = createHash('sha256').update(rootDer).digest('hex');

const parseChain = (pem) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g).map((c) => new X509Certificate(c));

/** Firefox's check minus the chain policy: the signature in `metadata` is
 * valid for `records` at the changeset's timestamp under the chain's leaf. */
function signatureValid(body, records, chainPem) {
  const [leaf] = parseChain(chainPem);
  const raw = Buffer.from(body.metadata.signature.signature, 'base64url');
  assert.equal(raw.length, 96);
  const payload = contentSignaturePayload(records, body.timestamp);
  return verify('sha384', payload, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, raw);
}

function assertPublicKey(body, chainPem) {
  const spki = parseChain(chainPem)[0].publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  assert.equal(body.metadata.signature.public_key, spki);
}

function merge(records, changes) {
  const byKey = new Map(records.map((r) => [r.id, r]));
  for (const change of changes) {
    if (change.deleted) byKey.delete(change.id);
    else byKey.set(change.id, change);
  }
  return [...byKey.values()].sort(byId);
}

const live = (changes) => changes.filter((r) => !r.deleted).sort(byId);

describe('canonical JSON', () => {
  test('the committed cases', () => {
    const cases = JSON.parse(read('canonical/cases.json'));
    assert.ok(cases.length >= 10);
    for (const { input, canonical } of cases) assert.equal(canonicalJSON(input), canonical, JSON.stringify(input));
  });

  test('what JSON input cannot carry', () => {
    assert.equal(canonicalJSON(-0), '-0');
    assert.equal(canonicalJSON([-0, 0]), '[-0,0]');
    assert.equal(canonicalJSON({ b: undefined, a: 1, c: undefined }), '{"a":1}');
    assert.equal(canonicalJSON([undefined, 1]), '[null,1]');
    assert.equal(canonicalJSON('\ud800x\udfff'), '"\\ud800x\\udfff"');
    assert.throws(() => canonicalJSON(NaN), TypeError);
    assert.throws(() => canonicalJSON(1n), TypeError);
  });

  test('agrees with JSON.stringify on printable ASCII once keys are sorted', () => {
    const sortKeys = (v) => (Array.isArray(v) ? v.map(sortKeys)
      : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v);
    const records = vector('v1').changes;
    assert.equal(canonicalJSON(records), JSON.stringify(sortKeys(records)));
  });
});

describe('fixture PKI', () => {
  test('the README pins the root', () => {
    assert.match(read('README.md'), new RegExp(`^ {4}${ROOT_HASH}$`, 'm'));
  });

  test('each chain is leaf, intermediate, root, each signed by the next', () => {
    for (const signer of SIGNERS) {
      const chain = parseChain(read(`chains/${signer}.pem`));
      assert.equal(chain.length, 3, signer);
      assert.equal(chain[0].raw.toString('hex'), new X509Certificate(read(`${signer}-signer.pem`)).raw.toString('hex'));
      for (let i = 0; i < 3; i++) {
        const issuer = chain[Math.min(i + 1, 2)];
        assert.ok(chain[i].checkIssued(issuer) && chain[i].verify(issuer.publicKey), `${signer} #${i}`);
      }
      const pinned = createHash('sha256').update(chain[2].raw).digest('hex') === ROOT_HASH;
      assert.equal(pinned, signer !== 'other-root', signer);
      assert.equal(chain[2].subject, 'CN=revoscope test content-signature root');
    }
  });

  test('certificate profiles', () => {
    const cert = (name) => new X509Certificate(read(`${name}.pem`));
    const year = (date) => new Date(date).getUTCFullYear();
    assert.ok(cert('root').ca && cert('intermediate').ca);
    assert.deepEqual(cert('intermediate').keyUsage, ['1.3.6.1.5.5.7.3.3']); // Node calls the EKU keyUsage
    const expect = {
      'onecrl-signer': ['onecrl', '1.3.6.1.5.5.7.3.3', 2025, 2045],
      'expired-signer': ['onecrl', '1.3.6.1.5.5.7.3.3', 2020, 2021],
      'wrong-name-signer': ['remote-settings', '1.3.6.1.5.5.7.3.3', 2025, 2045],
      'no-eku-signer': ['onecrl', '1.3.6.1.5.5.7.3.1', 2025, 2045],
      'other-root-signer': ['onecrl', '1.3.6.1.5.5.7.3.3', 2025, 2045],
    };
    for (const [name, [host, eku, from, to]] of Object.entries(expect)) {
      const c = cert(name);
      assert.equal(c.ca, false, name);
      assert.equal(c.subjectAltName, `DNS:${host}.content-signature.mozilla.org`, name);
      assert.deepEqual(c.keyUsage, [eku], name);
      assert.deepEqual([year(c.validFrom), year(c.validTo)], [from, to], name);
    }
  });
});

describe('changeset vectors', () => {
  const v0 = vector('v0');
  const v1 = vector('v1');
  const v2 = vector('v2.full');
  const since = vector('v2.since-v1');
  const chain = read('chains/onecrl.pem');

  test('v0, v1 and v2 are validly signed, in timestamp order', () => {
    for (const body of [v0, v1, v2]) {
      assert.ok(signatureValid(body, body.changes, chain));
      assertPublicKey(body, chain);
      assert.deepEqual(body.metadata.signatures, [body.metadata.signature]);
      assert.equal(body.metadata.signature.x5u, 'https://example.invalid/chains/onecrl.pem');
    }
    assert.deepEqual([v0.changes.length, v1.changes.length, v2.changes.length], [10, 20, 23]);
    assert.ok(v0.timestamp < v1.timestamp && v1.timestamp < v2.timestamp);
    assert.equal(v1.timestamp, Math.max(...v1.changes.map((r) => r.last_modified)));
  });

  test('v2 since v1, merged onto v1, is exactly v2 and verifies', () => {
    assert.equal(since.timestamp, v2.timestamp);
    assert.ok(since.changes.every((r) => r.last_modified > v1.timestamp));
    assert.equal(since.changes.filter((r) => r.deleted).length, 1);
    const merged = merge(v1.changes, since.changes);
    assert.deepEqual(merged, live(v2.changes));
    assert.ok(signatureValid(since, merged, chain));
    assert.equal(since.metadata.signature.signature, v2.metadata.signature.signature);
    assert.ok(v2.changes.some((r) => /[^\x20-\x7e]/.test(r.details.why) && r.details.why.includes('\\')));
  });

  test('a tampered or unsigned changeset does not verify', () => {
    const tampered = vector('v1.tampered');
    assert.equal(signatureValid(tampered, tampered.changes, chain), false);
    assert.equal(tampered.metadata.signature.signature, vector('v1').metadata.signature.signature);
    assert.equal(tampered.changes.filter((r, i) => canonicalJSON(r) !== canonicalJSON(vector('v1').changes[i])).length, 1);
    assert.equal(vector('v1.unsigned').metadata.signature, undefined);
    assert.deepEqual(vector('v1.unsigned').changes, v1.changes);
  });

  test('the wrong signers sign correctly: only their chains are wrong', () => {
    for (const signer of ['wrong-name', 'expired', 'no-eku', 'other-root']) {
      const body = vector(`v1.${signer}`);
      assert.equal(body.metadata.signature.x5u, `https://example.invalid/chains/${signer}.pem`);
      assert.ok(signatureValid(body, body.changes, read(`chains/${signer}.pem`)), signer);
      assertPublicKey(body, read(`chains/${signer}.pem`));
      assert.equal(signatureValid(body, body.changes, chain), false, signer);
    }
  });
});

describe('the server', () => {
  let rs;
  let origin;
  const v1 = vector('v1');
  before(async () => {
    rs = await startRemoteSettings();
    origin = rs.url.replace(/\/v1$/, '');
  });
  after(() => rs.stop());

  const get = (path, query = '_expected=0') => fetch(`${origin}${path}${query ? `?${query}` : ''}`);
  const getJSON = async (path, query) => {
    const res = await get(path, query);
    assert.equal(res.status, 200);
    return res.json();
  };
  /** The changeset and whether it verifies under the chain its x5u serves. */
  async function fetchVerified(query) {
    const body = await getJSON(CHANGESET_PATH, query);
    const chain = await (await fetch(body.metadata.signature.x5u)).text();
    assertPublicKey(body, chain);
    return { body, valid: signatureValid(body, body.changes, chain), chain };
  }
  const scenario = (name, fn) => test(name, async () => {
    rs.setScenario(name);
    try {
      await fn();
    } finally {
      rs.setScenario('ok');
    }
  });

  test('ok: monitor, changeset and chain on 127.0.0.1, readable cross-origin', async () => {
    assert.match(rs.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(rs.rootHash, ROOT_HASH);
    const res = await get(MONITOR_PATH);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const monitor = await res.json();
    assert.deepEqual(monitor.changes, [{
      id: 'security-state/onecrl', bucket: 'security-state', collection: 'onecrl', host: new URL(origin).host, last_modified: v1.timestamp,
    }]);
    assert.equal(monitor.timestamp, v1.timestamp);
    const { body, valid } = await fetchVerified(`_expected=${v1.timestamp}`);
    assert.ok(valid);
    assert.deepEqual(live(body.changes), live(v1.changes));
    assert.equal(body.metadata.signature.x5u, `${origin}/chains/onecrl.pem`);
    assert.deepEqual(rs.requests.at(-2), { method: 'GET', path: CHANGESET_PATH, query: { _expected: String(v1.timestamp) } });
    assert.deepEqual(rs.requests.at(-1), { method: 'GET', path: '/chains/onecrl.pem', query: {} });
    const preflight = await fetch(`${origin}${CHANGESET_PATH}`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  });

  test('_since: quoted or bare, newer entries only; the querystring is validated', async () => {
    assert.deepEqual(parseSince('"123"'), 123);
    assert.deepEqual(parseSince('123'), 123);
    assert.equal(parseSince(null), undefined);
    for (const bad of ['"12', 'abc', '', '-1', '"1"2"']) assert.equal(parseSince(bad), null, bad);
    const quoted = await getJSON(CHANGESET_PATH, `_expected=1&_since=%22${v1.timestamp - 3000}%22`);
    const bare = await getJSON(CHANGESET_PATH, `_expected=1&_since=${v1.timestamp - 3000}`);
    assert.deepEqual(quoted, bare);
    assert.deepEqual(quoted.changes.map((r) => r.last_modified), [v1.timestamp, v1.timestamp - 1000, v1.timestamp - 2000]);
    assert.deepEqual((await getJSON(MONITOR_PATH, `_expected=1&_since="${v1.timestamp}"`)).changes, []);
    assert.equal((await get(CHANGESET_PATH, '_since="1"')).status, 400);
    assert.equal((await get(CHANGESET_PATH, '_expected=1&_since=x')).status, 400);
    assert.equal((await get(MONITOR_PATH, '')).status, 400);
    assert.equal((await get('/v1/buckets/main/collections/nope/changeset')).status, 404);
    assert.equal((await fetch(`${origin}${CHANGESET_PATH}?_expected=0`, { method: 'POST' })).status, 405);
  });

  test('publish: incremental sync onto v1 gives exactly v2, as the committed vector', async () => {
    const own = await startRemoteSettings();
    try {
      const v2 = vector('v2.full');
      const base = own.url.replace(/\/v1$/, '');
      own.publish(v2.changes, { timestamp: v2.timestamp });
      const monitor = await (await fetch(`${base}${MONITOR_PATH}?_expected=0`)).json();
      assert.equal(monitor.changes[0].last_modified, v2.timestamp);
      const body = await (await fetch(`${base}${CHANGESET_PATH}?_expected=${v2.timestamp}&_since=%22${v1.timestamp}%22`)).json();
      assert.deepEqual(body.changes, vector('v2.since-v1').changes);
      const merged = merge(v1.changes, body.changes);
      assert.deepEqual(merged, live(v2.changes));
      assert.ok(signatureValid(body, merged, read('chains/onecrl.pem')));
      // A later state: tombstones from v2 stay listed for clients still at v1.
      own.publish(merged.slice(1), { signer: 'no-eku' });
      const v3 = await (await fetch(`${base}${CHANGESET_PATH}?_expected=0&_since=${v1.timestamp}`)).json();
      assert.equal(v3.changes.filter((r) => r.deleted).length, 2);
      assert.ok(v3.metadata.signature.x5u.endsWith('/chains/no-eku.pem'));
      assert.throws(() => own.publish(merged, { timestamp: v1.timestamp }));
    } finally {
      await own.stop();
    }
  });

  scenario('tampered', async () => {
    const full = await fetchVerified();
    assert.equal(full.valid, false);
    assert.deepEqual(full.body.changes.map((r) => r.id).sort(), v1.changes.map((r) => r.id).sort());
    // Up to date and asking since now: the tampered record is still served.
    const latest = await getJSON(CHANGESET_PATH, `_expected=0&_since=${v1.timestamp}`);
    assert.equal(latest.changes.length, 1);
    assert.equal(signatureValid(latest, merge(v1.changes, latest.changes), read('chains/onecrl.pem')), false);
  });

  for (const signer of ['wrong-name', 'expired', 'no-eku', 'other-root']) {
    scenario(signer, async () => {
      const { body, valid, chain } = await fetchVerified();
      assert.equal(body.metadata.signature.x5u, `${origin}/chains/${signer}.pem`);
      assert.ok(valid, 'signed by the leaf of the chain it names');
      assert.equal(chain, read(`chains/${signer}.pem`));
    });
  }

  scenario('unsigned', async () => {
    const body = await getJSON(CHANGESET_PATH);
    assert.equal(body.metadata.signature, undefined);
    assert.equal(body.metadata.signatures, undefined);
    assert.equal(body.changes.length, 20);
  });

  scenario('bad-signature', async () => {
    const { body, valid } = await fetchVerified();
    assert.equal(valid, false);
    assert.deepEqual(live(body.changes), live(v1.changes));
  });

  scenario('rollback', async () => {
    const v0 = vector('v0');
    assert.equal((await getJSON(MONITOR_PATH)).timestamp, v0.timestamp);
    const { body, valid } = await fetchVerified();
    assert.ok(valid);
    assert.equal(body.timestamp, v0.timestamp);
    assert.deepEqual(live(body.changes), live(v0.changes));
  });

  scenario('down', async () => {
    for (const path of [MONITOR_PATH, CHANGESET_PATH, '/chains/onecrl.pem']) {
      const res = await get(path);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), String(RETRY_AFTER_SECONDS));
      assert.equal((await res.json()).code, 503);
    }
  });

  scenario('refuse', async () => {
    const before = rs.requests.length;
    await assert.rejects(get(MONITOR_PATH), TypeError);
    assert.ok(rs.requests.length > before);
  });

  scenario('huge', async () => {
    assert.equal((await getJSON(MONITOR_PATH)).timestamp, v1.timestamp);
    const res = await get(CHANGESET_PATH);
    assert.equal(res.headers.get('content-length'), String(HUGE_LENGTH));
    const reader = res.body.getReader();
    let seen = 0;
    while (seen < 1_000_000) {
      const { value } = await reader.read();
      assert.ok(value.every((byte) => byte === 0x30));
      seen += value.length;
    }
    await reader.cancel();
  });

  scenario('truncated', async () => {
    const res = await get(CHANGESET_PATH);
    assert.equal(res.status, 200);
    assert.ok(Number(res.headers.get('content-length')) > 1000);
    await assert.rejects(res.arrayBuffer());
  });

  scenario('x5u-missing', async () => {
    const body = await getJSON(CHANGESET_PATH);
    assert.equal((await fetch(body.metadata.signature.x5u)).status, 404);
  });

  test('setScenario refuses unknown names', () => {
    assert.throws(() => rs.setScenario('nope'));
  });
});

// ---------------------------------------------------------------------------
// security-state/cert-revocations: records and attachments from a directory.
// The stand-in never decodes a filter, so random bytes stand in for them here
// (the Rust tests serve real clubcards).

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A record for `bytes` as make_crlite_filters writes one. */
function filterRecord(id, bytes, { delta = false, parent, effective }) {
  const record = {
    id, incremental: delta, effectiveTimestamp: effective, details: { name: `${id}-${delta ? 'diff' : 'full'}` },
    attachment: {
      hash: sha256(bytes), size: bytes.length, filename: `${id}.filter`,
      location: `security-state-staging/cert-revocations/${id}.filter`, mimetype: 'application/octet-stream',
    },
  };
  if (parent) record.parent = parent;
  return record;
}

/** Writes the files and records.json (through a rename, as a publisher would). */
function writeCrliteDir(dir, filters, timestamp) {
  for (const f of filters) writeFileSync(join(dir, `${f.id}.filter`), f.bytes);
  const body = { data: filters.map((f) => filterRecord(f.id, f.bytes, f)) };
  if (timestamp !== undefined) body.timestamp = timestamp;
  writeFileSync(join(dir, 'records.json.tmp'), JSON.stringify(body));
  renameSync(join(dir, 'records.json.tmp'), join(dir, 'records.json'));
  return body.data;
}

describe('cert-revocations', () => {
  const T = 1_795_000_000_000;
  let dir;
  let rs;
  let origin;
  const full = { id: 'full-1', bytes: randomBytes(300), effective: T - 7_200_000 };
  const delta1 = { id: 'delta-1', bytes: randomBytes(40), delta: true, parent: 'full-1', effective: T - 3_600_000 };
  const delta2 = { id: 'delta-2', bytes: randomBytes(41), delta: true, parent: 'delta-1', effective: T };
  let records;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoscope-rs-crlite-'));
    records = writeCrliteDir(dir, [full, delta1], T);
    rs = await startRemoteSettings({ crliteDir: dir });
    origin = rs.url.replace(/\/v1$/, '');
  });
  after(async () => {
    await rs?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path, query = '_expected=0') => fetch(`${origin}${path}${query ? `?${query}` : ''}`);
  const getJSON = async (path, query) => {
    const res = await get(path, query);
    assert.equal(res.status, 200, path);
    return res.json();
  };
  const attachment = (record) => fetch(new URL(record.attachment.location, rs.attachmentsUrl));
  const scenario = (name, fn) => test(name, async () => {
    rs.setScenario(name);
    try {
      await fn();
    } finally {
      rs.setScenario('ok');
    }
  });

  test('the root document names the attachments base URL', async () => {
    const root = await getJSON('/v1/', '');
    assert.equal(root.capabilities.attachments.base_url, `${origin}${ATTACHMENTS_PATH}`);
    assert.equal(rs.attachmentsUrl, root.capabilities.attachments.base_url);
    assert.deepEqual(await getJSON('/v1', ''), root);
  });

  test('the monitor lists both collections; the changeset is signed like OneCRL', async () => {
    const monitor = await getJSON(MONITOR_PATH);
    assert.deepEqual(monitor.changes.map((c) => [c.id, c.last_modified]), [
      ['security-state/onecrl', vector('v1').timestamp], ['security-state/cert-revocations', T],
    ]);
    assert.equal(monitor.timestamp, T);
    const only = await getJSON(MONITOR_PATH, '_expected=0&collection=cert-revocations');
    assert.deepEqual(only.changes.map((c) => c.collection), ['cert-revocations']);

    const body = await getJSON(CRLITE_CHANGESET_PATH, `_expected=${T}`);
    assert.equal(body.timestamp, T);
    assert.equal(body.metadata.id, 'cert-revocations');
    assert.deepEqual(live(body.changes).map(({ last_modified: _, ...r }) => r), live(records));
    assert.ok(body.changes.every((r) => r.last_modified === T));
    const chain = await (await fetch(body.metadata.signature.x5u)).text();
    assert.equal(body.metadata.signature.x5u, `${origin}/chains/onecrl.pem`);
    assert.ok(signatureValid(body, body.changes, chain));
    assert.ok(parseChain(chain)[0].subjectAltName.includes('onecrl.content-signature.mozilla.org'));
  });

  test('attachments: the bytes the record hashes, by location', async () => {
    for (const [record, filter] of [[records[0], full], [records[1], delta1]]) {
      const res = await attachment(record);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.ok(bytes.equals(filter.bytes));
      assert.equal(sha256(bytes), record.attachment.hash);
    }
    for (const path of ['nope.filter', 'security-state-staging/cert-revocations/../records.json', '..%2Frecords.json', '%E0%A4%A']) {
      assert.equal((await get(`${ATTACHMENTS_PATH}${path}`, '')).status, 404, path);
    }
  });

  test('a new records.json publishes a new state: _since gives only the new delta', async () => {
    const own = mkdtempSync(join(tmpdir(), 'revoscope-rs-crlite-'));
    // No timestamp in the file: the stand-in stamps the time it reads it.
    const before = Date.now();
    const first = writeCrliteDir(own, [full, delta1]);
    const server = await startRemoteSettings({ crliteDir: own });
    const base = server.url.replace(/\/v1$/, '');
    try {
      const v1 = await (await fetch(`${base}${CRLITE_CHANGESET_PATH}?_expected=0`)).json();
      assert.ok(v1.timestamp >= before && v1.timestamp <= Date.now(), String(v1.timestamp));
      const second = writeCrliteDir(own, [full, delta1, delta2]);
      const monitor = await (await fetch(`${base}${MONITOR_PATH}?_expected=0&_since="${v1.timestamp}"`)).json();
      assert.deepEqual(monitor.changes.map((c) => c.collection), ['cert-revocations']);
      const v2 = monitor.changes[0].last_modified;
      assert.ok(v2 > v1.timestamp);
      const changes = await (await fetch(`${base}${CRLITE_CHANGESET_PATH}?_expected=${v2}&_since=%22${v1.timestamp}%22`)).json();
      assert.deepEqual(changes.changes.map((r) => r.id), ['delta-2']);
      const merged = merge(v1.changes, changes.changes);
      assert.deepEqual(merged.map((r) => r.id), second.map((r) => r.id).sort());
      assert.ok(signatureValid(changes, merged, await (await fetch(changes.metadata.signature.x5u)).text()));
      assert.equal(first.length, 2);
      // Unchanged text: the same state, the same signature.
      const again = await (await fetch(`${base}${CRLITE_CHANGESET_PATH}?_expected=0`)).json();
      assert.equal(again.timestamp, v2);
      assert.equal(again.metadata.signature.signature, changes.metadata.signature.signature);
    } finally {
      await server.stop();
      rmSync(own, { recursive: true, force: true });
    }
  });

  scenario('crlite-tampered-attachment', async () => {
    const res = await attachment(records[0]);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200);
    assert.equal(bytes.length, records[0].attachment.size, 'the size still matches');
    assert.notEqual(sha256(bytes), records[0].attachment.hash);
    assert.equal(bytes.filter((b, i) => b !== full.bytes[i]).length, 1);
  });

  scenario('crlite-attachment-missing', async () => {
    assert.equal((await attachment(records[0])).status, 200);
    assert.equal((await attachment(records[1])).status, 404, 'the newest delta');
  });

  scenario('crlite-no-base-url', async () => {
    const root = await getJSON('/v1/', '');
    assert.equal(root.capabilities.attachments, undefined);
    assert.ok(root.capabilities.signer);
  });

  scenario('tampered', async () => {
    const body = await getJSON(CRLITE_CHANGESET_PATH);
    const chain = await (await fetch(body.metadata.signature.x5u)).text();
    assert.equal(signatureValid(body, body.changes, chain), false);
    const altered = body.changes.filter((r) => !records.some((o) => o.attachment.hash === r.attachment.hash));
    assert.equal(altered.length, 1);
  });

  scenario('wrong-name', async () => {
    const body = await getJSON(CRLITE_CHANGESET_PATH);
    assert.equal(body.metadata.signature.x5u, `${origin}/chains/wrong-name.pem`);
  });

  scenario('down', async () => {
    assert.equal((await attachment(records[0])).status, 503);
    assert.equal((await get('/v1/', '')).status, 503);
  });

  test('the scenarios are listed', () => {
    for (const name of ['crlite-tampered-attachment', 'crlite-attachment-missing', 'crlite-no-base-url']) assert.ok(SCENARIOS.includes(name));
  });

  test('without a CRLite directory there is no cert-revocations', async () => {
    const plain = await startRemoteSettings();
    try {
      const base = plain.url.replace(/\/v1$/, '');
      assert.equal((await fetch(`${base}${CRLITE_CHANGESET_PATH}?_expected=0`)).status, 404);
      assert.equal((await fetch(`${base}${ATTACHMENTS_PATH}${records[0].attachment.location}`)).status, 404);
      const monitor = await (await fetch(`${base}${MONITOR_PATH}?_expected=0`)).json();
      assert.deepEqual(monitor.changes.map((c) => c.collection), ['onecrl']);
      assert.equal(plain.crliteCollection(), null);
    } finally {
      await plain.stop();
    }
  });

  test('a directory without a readable records.json is refused at start', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'revoscope-rs-crlite-'));
    try {
      await assert.rejects(startRemoteSettings({ crliteDir: empty }), /records\.json/);
      writeFileSync(join(empty, 'records.json'), '{"records": []}');
      await assert.rejects(startRemoteSettings({ crliteDir: empty }), /no "data" array/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
