// A local stand-in for Mozilla Remote Settings, serving OneCRL the way Firefox
// fetches it: the monitor/changes changeset, the security-state/onecrl
// changeset (full, or since a timestamp with tombstones) signed at run time
// with the test content-signature keys of fixtures/remote-settings/, and the
// x5u certificate chains. Scenarios switch on the failures a client must
// survive (bad signatures, wrong signers, rollback, outages, hostile bodies).
//
//   node scripts/remote-settings/server.mjs [--port N] [--scenario NAME]
//
// The helpers exported beside startRemoteSettings (payload, signature,
// Collection) are the ones make-fixtures.mjs signs the committed vectors with.
import { createHash, sign, X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canonicalJSON } from './canonical-json.mjs';

export const BUCKET = 'security-state';
export const COLLECTION = 'onecrl';
export const CHANGESET_PATH = `/v1/buckets/${BUCKET}/collections/${COLLECTION}/changeset`;
export const MONITOR_PATH = '/v1/buckets/monitor/collections/changes/changeset';
export const SIGNERS = ['onecrl', 'expired', 'wrong-name', 'no-eku', 'other-root'];
export const SCENARIOS = [
  'ok', 'tampered', 'wrong-name', 'expired', 'no-eku', 'other-root', 'unsigned', 'bad-signature',
  'rollback', 'down', 'refuse', 'huge', 'truncated', 'x5u-missing',
];
export const HUGE_LENGTH = 64_000_000;
export const RETRY_AFTER_SECONDS = 30;

const DEFAULT_FIXTURES = fileURLToPath(new URL('../../fixtures/remote-settings/', import.meta.url));

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The bytes a content signature covers: the live records sorted by id, and
 * the collection timestamp as a string, in canonical JSON after the prefix. */
export function contentSignaturePayload(records, timestamp) {
  const data = records.filter((r) => !r.deleted).sort(byId);
  return Buffer.from(`Content-Signature:\x00${canonicalJSON({ data, last_modified: String(timestamp) })}`);
}

/** A signer of fixtures/remote-settings/: `<name>-signer.pem`, its key, and
 * `chains/<name>.pem`. */
export function loadSigner(fixturesDir, name) {
  const cert = new X509Certificate(readFileSync(join(fixturesDir, `${name}-signer.pem`)));
  return {
    name,
    privateKey: createPrivateKey(readFileSync(join(fixturesDir, `${name}-signer.key.pem`))),
    publicKey: cert.publicKey,
  };
}

/** The `metadata.signature` object autograph gives a collection (raw r||s,
 * base64url, as Firefox expects for p384ecdsa). */
export function signatureMetadata(payload, signer, x5u) {
  const signature = sign('sha384', payload, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  return {
    type: 'contentsignature',
    mode: 'p384ecdsa',
    hash_algorithm: 'sha384',
    signature_encoding: 'rs_base64url',
    signature: signature.toString('base64url'),
    x5u,
    ref: `revoscope-test-${signer.name}`,
    public_key: signer.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** A record with one byte of its serial number (or key hash) changed, as an
 * attacker between the signer and the client would. */
export function tamper(record) {
  const field = 'serialNumber' in record ? 'serialNumber' : 'pubKeyHash';
  const bytes = Buffer.from(record[field], 'base64');
  bytes[bytes.length - 1] ^= 0x01;
  return { ...record, [field]: bytes.toString('base64') };
}

function sameContent(a, b) {
  const { last_modified: _a, ...restA } = a;
  const { last_modified: _b, ...restB } = b;
  return canonicalJSON(restA) === canonicalJSON(restB);
}

/** A collection with Kinto's history semantics: every record and tombstone
 * keeps the timestamp of its last change, so "changes since T" is a filter. */
export class Collection {
  #entries = new Map();
  timestamp = 0;

  constructor(records, options) {
    this.publish(records, options);
  }

  /** Replaces the content with `records`. Unchanged records keep their
   * `last_modified`; a changed or new one keeps its own if it is newer than
   * the previous timestamp, else gets the new timestamp; removed ones become
   * tombstones at the new timestamp. The new timestamp defaults to the newest
   * of those and previous + 1, and must be newer than the previous one. */
  publish(records, { timestamp } = {}) {
    const previous = this.timestamp;
    const next = new Map();
    const fresh = [];
    for (const record of records) {
      if (typeof record.id !== 'string' || record.deleted) throw new Error(`publish: bad record ${JSON.stringify(record)}`);
      if (next.has(record.id)) throw new Error(`publish: duplicate id ${record.id}`);
      const old = this.#entries.get(record.id);
      if (old && !old.deleted && sameContent(old, record)) {
        next.set(record.id, old);
      } else {
        const copy = structuredClone(record);
        if (!(copy.last_modified > previous)) delete copy.last_modified;
        next.set(copy.id, copy);
        fresh.push(copy);
      }
    }
    const newest = Math.max(previous + 1, ...fresh.map((r) => r.last_modified ?? 0));
    const now = timestamp ?? newest;
    if (!(now > previous) || now < newest) {
      throw new Error(`publish: timestamp ${now} must be above ${previous} and at least ${newest}`);
    }
    for (const record of fresh) record.last_modified ??= now;
    for (const [id, old] of this.#entries) {
      if (next.has(id)) continue;
      next.set(id, old.deleted ? old : { id, deleted: true, last_modified: now });
    }
    this.#entries = next;
    this.timestamp = now;
    return now;
  }

  records() {
    return [...this.#entries.values()].filter((r) => !r.deleted);
  }

  /** What the changeset endpoint lists, newest first as Kinto sorts it: the
   * live records, or with `since` everything (tombstones too) changed after it. */
  changes(since) {
    const entries = since === undefined
      ? this.records()
      : [...this.#entries.values()].filter((r) => r.last_modified > since);
    return structuredClone(entries.sort((a, b) => b.last_modified - a.last_modified || byId(a, b)));
  }
}

/** A changeset response body, as the real server shapes it. */
export function changesetBody(collection, { since, signature } = {}) {
  const metadata = { bucket: BUCKET, id: COLLECTION, last_modified: collection.timestamp };
  if (signature) Object.assign(metadata, { signature, signatures: [signature] });
  return { metadata, timestamp: collection.timestamp, changes: collection.changes(since) };
}

/** The `_since` value: Firefox sends it quoted (`"123"`, as Kinto requires);
 * a bare integer is accepted too. Returns undefined when absent, null when bad. */
export function parseSince(raw) {
  if (raw === null) return undefined;
  const m = /^(?:"(\d+)"|(\d+))$/.exec(raw);
  return m ? Number(m[1] ?? m[2]) : null;
}

function readChangeset(fixturesDir, file) {
  const { changes, timestamp } = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));
  return new Collection(changes, { timestamp });
}

export async function startRemoteSettings({ port = 0, fixturesDir = DEFAULT_FIXTURES } = {}) {
  fixturesDir = resolve(fixturesDir);
  const signers = Object.fromEntries(SIGNERS.map((name) => [name, loadSigner(fixturesDir, name)]));
  const rootHash = createHash('sha256').update(new X509Certificate(readFileSync(join(fixturesDir, 'root.pem'))).raw).digest('hex');
  const collection = readChangeset(fixturesDir, 'v1.changeset.json');
  const rolledBack = readChangeset(fixturesDir, 'v0.changeset.json');
  let publishedSigner = 'onecrl';
  let scenario = 'ok';
  const requests = [];
  // Signatures are memoized per state so that repeated fetches see the same
  // bytes, as from the real CDN.
  const signatures = new Map();

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    try {
      handle(req, res, url);
    } catch (err) {
      if (res.headersSent) throw err;
      sendJSON(res, 500, kintoError(500, 999, 'Internal Server Error', String(err)));
    }
  });

  function handle(req, res, url) {
    if (scenario === 'refuse') return req.socket.destroy();
    if (scenario === 'down') {
      return sendJSON(res, 503, kintoError(503, 201, 'Service Unavailable', 'Service temporary unavailable due to overloading or maintenance, please retry later.'), { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': '*' });
      return res.end();
    }
    if (req.method !== 'GET') return sendJSON(res, 405, kintoError(405, 115, 'Method Not Allowed', 'Method not allowed on this endpoint.'));

    const chain = /^\/chains\/([a-z-]+)\.pem$/.exec(url.pathname);
    if (chain && SIGNERS.includes(chain[1]) && scenario !== 'x5u-missing') {
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/x-pem-file' });
      return res.end(readFileSync(join(fixturesDir, 'chains', `${chain[1]}.pem`)));
    }
    if (url.pathname !== MONITOR_PATH && url.pathname !== CHANGESET_PATH) {
      return sendJSON(res, 404, kintoError(404, 111, 'Not Found', 'The resource you are looking for could not be found.'));
    }

    // Kinto validates the querystring of both changeset endpoints the same way.
    const since = parseSince(url.searchParams.get('_since'));
    if (!url.searchParams.has('_expected') || since === null) {
      const message = since === null ? '_since in querystring: The value should be integer between double quotes.' : '_expected in querystring is missing';
      return sendJSON(res, 400, kintoError(400, 107, 'Invalid parameters', message));
    }
    const current = scenario === 'rollback' ? rolledBack : collection;
    if (url.pathname === MONITOR_PATH) return sendJSON(res, 200, monitorBody(current, since, url.searchParams), etag(current));

    if (scenario === 'huge') return sendHuge(res);
    const body = signedChangeset(current, since);
    if (scenario === 'truncated') return sendTruncated(res, body);
    return sendJSON(res, 200, body, etag(current));
  }

  function monitorBody(current, since, query) {
    const entry = { id: `${BUCKET}/${COLLECTION}`, bucket: BUCKET, collection: COLLECTION, host: new URL(origin).host, last_modified: current.timestamp };
    const matches = (key, value) => !query.has(key) || query.get(key) === value;
    const listed = (since === undefined || entry.last_modified > since) && matches('bucket', BUCKET) && matches('collection', COLLECTION);
    return { metadata: {}, timestamp: current.timestamp, changes: listed ? [entry] : [] };
  }

  function signedChangeset(current, since) {
    const signerName = SIGNERS.includes(scenario) ? scenario : current === collection ? publishedSigner : 'onecrl';
    const key = `${current.timestamp}/${signerName}`;
    if (!signatures.has(key)) {
      const payload = contentSignaturePayload(current.records(), current.timestamp);
      signatures.set(key, signatureMetadata(payload, signers[signerName], `${origin}/chains/${signerName}.pem`));
    }
    const signature = { ...signatures.get(key) };
    if (scenario === 'bad-signature') {
      const bytes = Buffer.from(signature.signature, 'base64url');
      bytes[0] ^= 0x80;
      signature.signature = bytes.toString('base64url');
    }
    const body = changesetBody(current, { since, signature: scenario === 'unsigned' ? undefined : signature });
    if (scenario === 'tampered') {
      // Tamper with a record the client will hold after merging, whatever it asked since.
      const victim = tamper(current.records().sort(byId)[0]);
      body.changes = [victim, ...body.changes.filter((r) => r.id !== victim.id)];
    }
    return body;
  }

  await new Promise((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${origin}/v1`,
    rootHash,
    requests,
    /** Publishes a new state of the collection (see Collection#publish); the
     * signer is the one its changesets will be signed by in scenario 'ok'. */
    publish(records, { timestamp, signer = 'onecrl' } = {}) {
      if (!SIGNERS.includes(signer)) throw new Error(`unknown signer ${signer}`);
      publishedSigner = signer;
      return collection.publish(records, { timestamp });
    },
    setScenario(name) {
      if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);
      scenario = name;
    },
    stop() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

// The real server lets any origin read, and exposes its retry headers.
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Alert, Backoff, Retry-After, ETag, Last-Modified, Content-Length' };

function kintoError(code, errno, error, message) {
  return { code, errno, error, message };
}

function etag(collection) {
  return { ETag: `"${collection.timestamp}"`, 'Last-Modified': new Date(collection.timestamp).toUTCString() };
}

function sendJSON(res, status, body, headers = {}) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

// Announces 64 MB and sends them as fast as the client reads (backpressure),
// so a client that trusts the body or only counts bytes is caught either way.
function sendHuge(res) {
  res.writeHead(200, { ...CORS, 'Content-Type': 'application/json', 'Content-Length': HUGE_LENGTH });
  const chunk = Buffer.alloc(64 * 1024, '0');
  let sent = 0;
  const pump = () => {
    while (sent < HUGE_LENGTH) {
      const part = chunk.subarray(0, Math.min(chunk.length, HUGE_LENGTH - sent));
      sent += part.length;
      if (!res.write(part)) return res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

// The full Content-Length, half the JSON, then the connection closes.
function sendTruncated(res, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { ...CORS, 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, scenario: { type: 'string', default: 'ok' } } });
  const rs = await startRemoteSettings({ port: Number(values.port) });
  rs.setScenario(values.scenario);
  console.log(`Remote Settings stand-in: ${rs.url} (scenario ${values.scenario}, root sha256 ${rs.rootHash})`);
  console.log(`  monitor:   ${rs.url.replace(/\/v1$/, '')}${MONITOR_PATH}?_expected=0`);
  console.log(`  changeset: ${rs.url.replace(/\/v1$/, '')}${CHANGESET_PATH}?_expected=0`);
}
