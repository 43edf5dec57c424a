// A local stand-in for Mozilla Remote Settings, serving OneCRL the way Firefox
// fetches it: the monitor/changes changeset, the security-state/onecrl
// changeset (full, or since a timestamp with tombstones) signed at run time
// with the test content-signature keys of fixtures/remote-settings/, and the
// x5u certificate chains. Scenarios switch on the failures a client must
// survive (bad signatures, wrong signers, rollback, outages, hostile bodies).
//
// Given a CRLite directory, it also serves security-state/cert-revocations:
// DIR/records.json (`{"data": [records], "timestamp"?: N}`, as
// crate/engine/examples/make_crlite_filters.rs writes it) signed like OneCRL (Firefox
// checks it under the same signer), the server root `GET /v1/` naming the
// attachments base URL, and each record's attachment, DIR/<filename>.
// records.json is read again at every request that concerns it, so writing a
// new one publishes a new state (Kinto timestamps, `_since` works).
//
//   node scripts/remote-settings/server.mjs [--port N] [--scenario NAME] [--crlite-dir DIR]
//
// The helpers exported beside startRemoteSettings (payload, signature,
// Collection) are the ones make-fixtures.mjs signs the committed vectors with.
import { createHash, sign, X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { canonicalJSON } from './canonical-json.mjs';

export const BUCKET = 'security-state';
export const COLLECTION = 'onecrl';
export const CRLITE_COLLECTION = 'cert-revocations';
export const changesetPath = (collection) => `/v1/buckets/${BUCKET}/collections/${collection}/changeset`;
export const CHANGESET_PATH = changesetPath(COLLECTION);
export const CRLITE_CHANGESET_PATH = changesetPath(CRLITE_COLLECTION);
export const MONITOR_PATH = '/v1/buckets/monitor/collections/changes/changeset';
/** Where attachments are: the root document's `capabilities.attachments.base_url`. */
export const ATTACHMENTS_PATH = '/attachments/';
export const SIGNERS = ['onecrl', 'expired', 'wrong-name', 'no-eku', 'other-root'];
export const SCENARIOS = [
  'ok', 'tampered', 'wrong-name', 'expired', 'no-eku', 'other-root', 'unsigned', 'bad-signature',
  'rollback', 'down', 'refuse', 'huge', 'truncated', 'x5u-missing',
  // CRLite attachments: every file served with one byte changed (its size
  // kept, so only the SHA-256 tells); the newest delta's file missing (404);
  // a root document that names no attachments base URL.
  'crlite-tampered-attachment', 'crlite-attachment-missing', 'crlite-no-base-url',
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

/** A record with one byte of its serial number (or key hash, or a CRLite
 * record's attachment hash) changed, as an attacker between the signer and
 * the client would. */
export function tamper(record) {
  if (record.attachment) {
    const hash = record.attachment.hash;
    const last = hash.at(-1) === '0' ? '1' : '0';
    return { ...record, attachment: { ...record.attachment, hash: `${hash.slice(0, -1)}${last}` } };
  }
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
export function changesetBody(collection, { since, signature, id = COLLECTION } = {}) {
  const metadata = { bucket: BUCKET, id, last_modified: collection.timestamp };
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

/** The cert-revocations collection of a CRLite directory: DIR/records.json,
 * published again whenever its text changes. */
class CrliteSource {
  #dir;
  #text = null;
  collection = null;

  constructor(dir) {
    this.#dir = resolve(dir);
  }

  /** Reads records.json and publishes it if it changed; throws on a file
   * that is not `{"data": [...]}` (the request then gets a 500). */
  refresh() {
    const text = readFileSync(join(this.#dir, 'records.json'), 'utf8');
    if (text === this.#text) return this.collection;
    const { data, timestamp } = JSON.parse(text);
    if (!Array.isArray(data)) throw new Error(`${this.#dir}/records.json has no "data" array`);
    // Without a timestamp, the time of publication, as Kinto stamps it.
    const previous = this.collection?.timestamp ?? 0;
    const at = timestamp ?? Math.max(previous + 1, Date.now());
    if (this.collection) this.collection.publish(data, { timestamp: at });
    else this.collection = new Collection(data, { timestamp: at });
    this.#text = text;
    return this.collection;
  }

  /** The record whose attachment is at `location`, and its file's bytes. */
  attachment(location) {
    const record = this.refresh().records().find((r) => r.attachment?.location === location);
    if (!record) return null;
    const name = record.attachment.filename;
    // Only a plain file name inside the directory.
    if (typeof name !== 'string' || name !== basename(name) || name.startsWith('.')) return null;
    try {
      return { record, bytes: readFileSync(join(this.#dir, name)) };
    } catch {
      return null;
    }
  }
}

/** The newest delta of a cert-revocations collection (by effectiveTimestamp),
 * else its newest record. */
function newestDelta(records) {
  const newest = (list) => list.reduce((a, b) => ((b.effectiveTimestamp ?? 0) > (a?.effectiveTimestamp ?? -1) ? b : a), null);
  return newest(records.filter((r) => r.incremental === true)) ?? newest(records);
}

export async function startRemoteSettings({ port = 0, fixturesDir = DEFAULT_FIXTURES, crliteDir } = {}) {
  fixturesDir = resolve(fixturesDir);
  const signers = Object.fromEntries(SIGNERS.map((name) => [name, loadSigner(fixturesDir, name)]));
  const rootHash = createHash('sha256').update(new X509Certificate(readFileSync(join(fixturesDir, 'root.pem'))).raw).digest('hex');
  const collection = readChangeset(fixturesDir, 'v1.changeset.json');
  const rolledBack = readChangeset(fixturesDir, 'v0.changeset.json');
  const crlite = crliteDir ? new CrliteSource(crliteDir) : null;
  if (crlite) crlite.refresh(); // A bad directory fails here, not at the first request.
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
    if (url.pathname === '/v1/' || url.pathname === '/v1') return sendJSON(res, 200, rootBody());
    if (url.pathname.startsWith(ATTACHMENTS_PATH) && crlite) return sendAttachment(res, url.pathname.slice(ATTACHMENTS_PATH.length));
    const named = url.pathname === CHANGESET_PATH ? COLLECTION : url.pathname === CRLITE_CHANGESET_PATH && crlite ? CRLITE_COLLECTION : null;
    if (url.pathname !== MONITOR_PATH && !named) {
      return sendJSON(res, 404, kintoError(404, 111, 'Not Found', 'The resource you are looking for could not be found.'));
    }

    // Kinto validates the querystring of both changeset endpoints the same way.
    const since = parseSince(url.searchParams.get('_since'));
    if (!url.searchParams.has('_expected') || since === null) {
      const message = since === null ? '_since in querystring: The value should be integer between double quotes.' : '_expected in querystring is missing';
      return sendJSON(res, 400, kintoError(400, 107, 'Invalid parameters', message));
    }
    const onecrl = scenario === 'rollback' ? rolledBack : collection;
    if (url.pathname === MONITOR_PATH) {
      const monitor = monitorBody(onecrl, since, url.searchParams);
      return sendJSON(res, 200, monitor, etag(monitor));
    }

    const current = named === COLLECTION ? onecrl : crlite.refresh();
    if (scenario === 'huge') return sendHuge(res);
    const body = signedChangeset(named, current, since);
    if (scenario === 'truncated') return sendTruncated(res, body);
    return sendJSON(res, 200, body, etag(current));
  }

  /** Kinto's root document; kinto-attachment adds where files are. */
  function rootBody() {
    const capabilities = {
      changes: { description: 'Track modifications of records in Kinto and store the collection timestamps into a specific bucket and collection.', collections: [`/buckets/${BUCKET}`] },
      signer: { description: 'Digital signatures for integrity and authenticity of records.', resources: [{ source: { bucket: `${BUCKET}-workspace`, collection: null }, destination: { bucket: BUCKET, collection: null } }] },
    };
    if (scenario !== 'crlite-no-base-url') {
      capabilities.attachments = {
        description: 'Add file attachments to records', url: 'https://github.com/Kinto/kinto-attachment/', version: '7.0.0',
        base_url: `${origin}${ATTACHMENTS_PATH}`, bundle: true,
      };
    }
    return {
      project_name: 'Remote Settings stand-in', project_version: '0', http_api_version: '1.23', project_docs: 'https://remote-settings.readthedocs.io/',
      url: `${origin}/v1/`, settings: { batch_max_requests: 25, readonly: true }, capabilities,
    };
  }

  function sendAttachment(res, rawLocation) {
    let location;
    try {
      location = decodeURIComponent(rawLocation);
    } catch {
      location = null;
    }
    const found = location === null ? null : crlite.attachment(location);
    const missing = found && scenario === 'crlite-attachment-missing' && newestDelta(crlite.collection.records()).id === found.record.id;
    if (!found || missing) return sendJSON(res, 404, kintoError(404, 111, 'Not Found', 'The resource you are looking for could not be found.'));
    let bytes = found.bytes;
    if (scenario === 'crlite-tampered-attachment' && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length >> 1] ^= 0x01;
    }
    res.writeHead(200, { ...CORS, 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
    return res.end(bytes);
  }

  function monitorBody(onecrl, since, query) {
    const host = new URL(origin).host;
    const entries = [{ id: `${BUCKET}/${COLLECTION}`, bucket: BUCKET, collection: COLLECTION, host, last_modified: onecrl.timestamp }];
    if (crlite) {
      const revocations = crlite.refresh();
      entries.push({ id: `${BUCKET}/${CRLITE_COLLECTION}`, bucket: BUCKET, collection: CRLITE_COLLECTION, host, last_modified: revocations.timestamp });
    }
    const matches = (key, value) => !query.has(key) || query.get(key) === value;
    const listed = entries.filter((entry) => (since === undefined || entry.last_modified > since)
      && matches('bucket', entry.bucket) && matches('collection', entry.collection));
    const timestamp = Math.max(...entries.map((entry) => entry.last_modified));
    return { metadata: {}, timestamp, changes: listed };
  }

  function signedChangeset(name, current, since) {
    const signerName = SIGNERS.includes(scenario) ? scenario : current === collection ? publishedSigner : 'onecrl';
    const key = `${name}/${current.timestamp}/${signerName}`;
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
    const body = changesetBody(current, { since, signature: scenario === 'unsigned' ? undefined : signature, id: name });
    if (scenario === 'tampered' && current.records().length > 0) {
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
    attachmentsUrl: `${origin}${ATTACHMENTS_PATH}`,
    rootHash,
    requests,
    /** Publishes a new state of the collection (see Collection#publish); the
     * signer is the one its changesets will be signed by in scenario 'ok'. */
    publish(records, { timestamp, signer = 'onecrl' } = {}) {
      if (!SIGNERS.includes(signer)) throw new Error(`unknown signer ${signer}`);
      publishedSigner = signer;
      return collection.publish(records, { timestamp });
    },
    /** The cert-revocations collection in force (null without a CRLite directory). */
    crliteCollection() {
      return crlite ? crlite.refresh() : null;
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
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, scenario: { type: 'string', default: 'ok' }, 'crlite-dir': { type: 'string' } },
  });
  const rs = await startRemoteSettings({ port: Number(values.port), crliteDir: values['crlite-dir'] });
  rs.setScenario(values.scenario);
  const origin = rs.url.replace(/\/v1$/, '');
  console.log(`Remote Settings stand-in: ${rs.url} (scenario ${values.scenario}, root sha256 ${rs.rootHash})`);
  console.log(`  monitor:   ${origin}${MONITOR_PATH}?_expected=0`);
  console.log(`  changeset: ${origin}${CHANGESET_PATH}?_expected=0`);
  if (values['crlite-dir']) {
    console.log(`  crlite:    ${origin}${CRLITE_CHANGESET_PATH}?_expected=0 (${rs.crliteCollection().records().length} records from ${resolve(values['crlite-dir'])})`);
    console.log(`  files:     ${rs.attachmentsUrl}`);
  }
}
