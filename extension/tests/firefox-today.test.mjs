// The issue "prove firefox-today against the real browser": Firefox ESR with
// no revocation pref set (launch.mjs `revocationDefaults`: only the proxy,
// DNS and housekeeping prefs) visits one site per rung, each leaf
// made here by openssl under a fresh test root, with a real responder
// (`openssl ocsp` behind the logging relay of scripts/demo/responder.mjs).
// The root is installed with certutil, so it is not a built-in root and
// Firefox's built-in-root skip does not apply: live OCSP is Firefox's to make.
//
// What Firefox did (the requests in the responder's log, `usedOcsp` as the
// extension reads it, the page loaded or refused and with which error) is
// compared with what the engine's `firefox-today` preset says of the same
// chain (the wasm package, root_is_built_in false, the staple the server
// sends): it asks for live OCSP exactly when Firefox made a request, and,
// given the answer Firefox got, blocks exactly when Firefox refused. A
// difference is a failure unless the rung names it as a known limit, which
// docs/ladder.md explains; the limit is asserted as it is, so it cannot
// change unseen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { closeServer, freePorts, listen, ocspRequestSerials, startResponder } from '../../scripts/demo/responder.mjs';
import { launch } from '../../scripts/browser/launch.mjs';
import { extensionPage, tabState, visit } from '../../scripts/browser/panel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { initSync, Engine, ocspRequest } = await import(join(root, 'crate/pkg/revoscope.js'));
initSync({ module: readFileSync(join(root, 'crate/pkg/revoscope_bg.wasm')) });

const DV = '2.23.140.1.2.1';
const OV = '2.23.140.1.2.2';
const EV = '2.23.140.1.1';

/**
 * One site per rung. `ocsp`: the leaf's AIA responder, the real one
 * ('responder'), one that answers HTTP 500 ('failing'), or none; `index`:
 * what the responder's CA database says of the leaf ('good', 'revoked', or
 * absent: the responder answers unknown); `staple`: the server staples the
 * responder's answer. `firefox`: what Firefox ESR 153 was measured to do
 * with the defaults (docs/ladder.md, "firefox-today against Firefox"),
 * asserted as well, so that agreement cannot come from both sides going
 * wrong the same way.
 */
const RUNGS = [
  { name: 'dv', policy: DV, days: 90, ocsp: 'responder', index: 'good', firefox: { requests: 1 } },
  { name: 'ov', policy: OV, days: 90, ocsp: 'responder', index: 'good', firefox: { requests: 1 } },
  // The EV policy OID under a root Firefox has no EV entry for: not EV.
  { name: 'ev-oid', policy: EV, days: 90, ocsp: 'responder', index: 'good', firefox: { requests: 1 } },
  { name: 'no-policy', days: 90, ocsp: 'responder', index: 'good', firefox: { requests: 1 } },
  { name: 'short-lived', policy: DV, days: 5, ocsp: 'responder', index: 'good', firefox: { requests: 0 } },
  // Exactly 10 days is not under security.pki.cert_short_lifetime_in_days.
  { name: 'ten-days', policy: DV, days: 10, ocsp: 'responder', index: 'good', firefox: { requests: 1 } },
  { name: 'revoked', policy: OV, days: 90, ocsp: 'responder', index: 'revoked', firefox: { requests: 1, refused: 'SEC_ERROR_REVOKED_CERTIFICATE' } },
  // Two requests: CertVerifier::VerifyCert builds the chain again with the
  // weak RSA minimum after any failure, and a cached "unknown" does not stop
  // a fetch (CheckRevocationByOCSP: "we may be able to fetch a more recent
  // one"); a cached "revoked" does. The ladder asks once.
  { name: 'unknown', policy: DV, days: 90, ocsp: 'responder', firefox: { requests: 2, refused: 'SEC_ERROR_OCSP_UNKNOWN_CERT' } },
  // Soft-fail: no usable answer, the page loads.
  { name: 'responder-error', policy: DV, days: 90, ocsp: 'failing', firefox: { requests: 1 } },
  { name: 'no-ocsp-url', policy: DV, days: 90, firefox: { requests: 0 } },
  { name: 'good-staple', policy: DV, days: 90, ocsp: 'responder', index: 'good', staple: true, firefox: { requests: 0 } },
  { name: 'revoked-staple', policy: OV, days: 90, ocsp: 'responder', index: 'revoked', staple: true, firefox: { requests: 0, refused: 'SEC_ERROR_REVOKED_CERTIFICATE' } },
  {
    name: 'must-staple', policy: DV, days: 90, ocsp: 'responder', index: 'good', mustStaple: true,
    firefox: { requests: 1, refused: 'MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING' },
    // docs/ladder.md, "firefox-today against Firefox": Firefox checks the TLS
    // feature after the revocation check, so it asks the responder first;
    // the ladder's must-staple step decides before live OCSP.
    limit: { engineAsks: false },
  },
  { name: 'must-staple-stapled', policy: DV, days: 90, ocsp: 'responder', index: 'good', mustStaple: true, staple: true, firefox: { requests: 0 } },
];

const work = mkdtempSync(join(tmpdir(), 'revoscope-firefox-today-'));
const file = (name) => join(work, name);
const host = (name) => `${name}.revoscope.test`;
const stops = [];
let pki;
let responder;
let failing;
let httpsPort;
let b;
let extension;
/** The DER staple each stapling site sends, by rung name. */
const staples = new Map();
const onecrl = readFileSync(join(root, 'fixtures/onecrl/onecrl.json'));

const openssl = (args) => promisify(execFile)('openssl', args, { cwd: work });

/** ASN.1 time as `openssl ca`'s index.txt writes it: YYMMDDHHMMSSZ. */
const indexTime = (date) => date.toISOString().replace(/^\d\d|[-:T]|\.\d+/g, '');

/** A certificate from a fresh P-256 key, signed by `ca` (or self-signed). */
async function certificate(name, { subject, days, ca, extensions }) {
  writeFileSync(file(`${name}.ext`), `${extensions.join('\n')}\n`);
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  // Serials of 16 random bytes, the first one 0x10-0x7f: positive, no
  // leading zero, the same hex in index.txt as in `openssl x509 -serial`.
  const serial = (0x10 + (randomBytes(1)[0] % 0x70)).toString(16) + randomBytes(15).toString('hex');
  const signer = ca ? ['-CA', `${ca}.pem`, '-CAkey', `${ca}.key`] : ['-key', `${name}.key`];
  await openssl(['x509', '-req', '-in', `${name}.csr`, ...signer, '-set_serial', `0x${serial}`,
    '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
  const pem = readFileSync(file(`${name}.pem`), 'utf8');
  return { name, pem, der: new X509Certificate(pem).raw, key: readFileSync(file(`${name}.key`)), serial: serial.toUpperCase() };
}

/** The test PKI: a root, an intermediate that also signs the responder's
 * answers, and one leaf per rung; index.txt for the responder. */
async function makePki({ ocspUrl, failingUrl }) {
  const rootCa = await certificate('root', {
    subject: '/CN=revoscope firefox-today test root', days: 30,
    extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
  // An OCSP URL on the intermediate too: Firefox must never ask about a CA
  // certificate (CheckRevocation: "Revocation for CAs is handled by
  // GetCertTrust"), nor the ladder (OneCRL only).
  const int = await certificate('int', {
    subject: '/CN=revoscope firefox-today test intermediate', days: 30, ca: 'root',
    extensions: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      `authorityInfoAccess=OCSP;URI:${ocspUrl}`],
  });
  const leaves = await Promise.all(RUNGS.map((rung) => certificate(rung.name, {
    subject: `/CN=${host(rung.name)}`, days: rung.days, ca: 'int',
    extensions: [
      'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
      `subjectAltName=DNS:${host(rung.name)}`,
      ...(rung.ocsp ? [`authorityInfoAccess=OCSP;URI:${rung.ocsp === 'failing' ? failingUrl : ocspUrl}`] : []),
      ...(rung.policy ? [`certificatePolicies=${rung.policy}`] : []),
      ...(rung.mustStaple ? ['tlsfeature=status_request'] : []),
    ],
  })));
  const revokedAt = indexTime(new Date(Date.now() - 3600_000));
  const index = RUNGS.flatMap((rung, i) => {
    if (!rung.index) return [];
    const leaf = leaves[i];
    const expiry = indexTime(new Date(new X509Certificate(leaf.pem).validTo));
    return [rung.index === 'revoked'
      ? `R\t${expiry}\t${revokedAt}\t${leaf.serial}\tunknown\t/CN=${host(rung.name)}`
      : `V\t${expiry}\t\t${leaf.serial}\tunknown\t/CN=${host(rung.name)}`];
  });
  writeFileSync(file('index.txt'), `${index.join('\n')}\n`);
  writeFileSync(file('index.txt.attr'), 'unique_subject = no\n');
  return { root: rootCa, int, leaves: new Map(RUNGS.map((r, i) => [r.name, leaves[i]])) };
}

/** POSTs a request to an OCSP responder; the answer as the engine takes it. */
async function askResponder(url, requestDer) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST', body: requestDer, headers: { 'Content-Type': 'application/ocsp-request' }, signal: AbortSignal.timeout(5_000),
  });
  return { httpStatus: response.status, body: new Uint8Array(await response.arrayBuffer()), elapsedMs: performance.now() - started };
}

/** A responder that logs as the relay does and answers every request HTTP 500. */
async function startFailing(port) {
  const log = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const answer = Buffer.from('internal error\n');
      log.push({ method: req.method, path: req.url, serials: ocspRequestSerials(Buffer.concat(chunks)), status: 500, answer });
      res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': answer.length }).end(answer);
    });
  });
  await listen(server, port);
  return { log, stop: () => closeServer(server) };
}

before(async () => {
  const [ocspPort, failingPort, pickedHttps] = await freePorts(3);
  pki = await makePki({ ocspUrl: `http://127.0.0.1:${ocspPort}/`, failingUrl: `http://127.0.0.1:${failingPort}/` });
  responder = await startResponder({ port: ocspPort, index: file('index.txt'), ca: file('int.pem'), rkey: file('int.key') });
  stops.push(() => responder.stop());
  failing = await startFailing(failingPort);
  stops.push(() => failing.stop());

  // The staples, asked of the responder directly: its log stays Firefox's.
  for (const rung of RUNGS.filter((r) => r.staple)) {
    const leaf = pki.leaves.get(rung.name);
    const answer = await askResponder(responder.internalUrl, ocspRequest(leaf.der, pki.int.der));
    assert.equal(answer.httpStatus, 200);
    staples.set(rung.name, Buffer.from(answer.body));
  }

  // One HTTPS server for every site, by SNI; it staples where the rung says.
  const contexts = new Map(RUNGS.map((rung) => {
    const leaf = pki.leaves.get(rung.name);
    return [host(rung.name), tls.createSecureContext({ key: leaf.key, cert: leaf.pem + pki.int.pem })];
  }));
  const server = https.createServer({
    SNICallback: (servername, cb) => cb(null, contexts.get(String(servername).toLowerCase()) ?? null),
  }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><title>${String(req.headers.host).replace(/[^a-z0-9.:-]/gi, '')}</title><p>firefox-today test site</p>\n`);
  });
  // Node asks for a staple when the client sent status_request; `cert` is
  // the DER of the leaf being served.
  server.on('OCSPRequest', (cert, _issuer, cb) => {
    const rung = RUNGS.find((r) => pki.leaves.get(r.name).der.equals(cert));
    cb(null, (rung && staples.get(rung.name)) ?? null);
  });
  server.on('tlsClientError', () => { /* the handshakes Firefox refuses are part of the test */ });
  httpsPort = await listen(server, pickedHttps);
  stops.push(() => closeServer(server));

  b = await launch('firefox', {
    extensionDir: join(root, 'dist/firefox'), profile: file('profile'), roots: [file('root.pem')],
    hosts: RUNGS.map((r) => host(r.name)), revocationDefaults: true,
  });
  stops.push(() => b.close());
  extension = await extensionPage(b, 'options.html');
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test('the profile sets no revocation pref: Firefox checks with its defaults', () => {
  // Puppeteer writes the launch prefs to user.js. The remote agent's own
  // recommended prefs hold no revocation pref either (read over Marionette
  // in ESR 153: every revocation pref there is its compiled default).
  const names = [...readFileSync(file('profile/user.js'), 'utf8').matchAll(/^user_pref\("([^"]+)"/gm)].map((m) => m[1]);
  assert.ok(names.includes('network.dns.localDomains'), names.join(' '));
  assert.deepEqual(names.filter((n) => /^security\.(OCSP|pki)\.|ocsp|crlite/i.test(n)), []);
});

/** What Firefox did for `rung`: the page's fate, the requests, usedOcsp. */
async function firefoxVisit(rung) {
  const leaf = pki.leaves.get(rung.name);
  const asked = () => [...responder.log, ...failing.log].filter((e) => e.serials.includes(leaf.serial));
  assert.deepEqual(asked(), [], 'no request before the visit');
  const visited = await visit(b, `https://${host(rung.name)}:${httpsPort}/`);
  try {
    const state = await tabState(extension, visited.url);
    // The handshake is over once the extension has the tab's state; Firefox
    // asked its responder (synchronously) before it.
    return {
      requests: asked(),
      refused: state.status === 'blocked-by-browser' ? (state.browserError?.code ?? state.browserError?.words) : null,
      // Puppeteer's message, then a stack: its first line names the error.
      loadError: visited.loadError?.split('\n')[0] ?? null,
      usedOcsp: state.browserView?.usedOcsp,
      rootIsBuiltIn: state.browserView?.rootIsBuiltIn,
      chain: state.chain ?? null,
      status: state.status,
    };
  } finally {
    await visited.page.close().catch(() => {});
  }
}

/** What firefox-today says of the same chain: whether the ladder asks for
 * live OCSP, and the verdict once it has the answer Firefox got (or, when
 * Firefox asked nothing, the responder's own answer to the ladder). */
async function engineVerdict(rung, firefoxRequests) {
  const leaf = pki.leaves.get(rung.name);
  const chain = [leaf.der, pki.int.der, pki.root.der].map((der) => new Uint8Array(der));
  const engine = new Engine(onecrl);
  try {
    engine.setPolicy('firefox-today');
    const staple = staples.has(rung.name) ? new Uint8Array(staples.get(rung.name)) : undefined;
    const now = Date.now();
    const first = await engine.evaluate(chain, staple, now, false);
    const wanted = first.certificates[0];
    const asks = wanted.status === 'pending' && wanted.decided_by === 'live-ocsp';
    if (!asks) return { asks, verdict: first };
    const [heard] = firefoxRequests;
    const live = heard
      ? { httpStatus: heard.status, body: new Uint8Array(heard.answer) }
      : await askResponder(wanted.fetch.responder, Buffer.from(wanted.fetch.request_der, 'base64'));
    return { asks, verdict: await engine.evaluate(chain, staple, now, false, live) };
  } finally {
    engine.free();
  }
}

for (const rung of RUNGS) {
  test(`${rung.name}: Firefox and firefox-today agree`, async () => {
    const ff = await firefoxVisit(rung);
    const { asks, verdict } = await engineVerdict(rung, ff.requests);
    const leaf = verdict.certificates[0];
    const seen = JSON.stringify({
      firefox: { ...ff, requests: ff.requests.map(({ method, path, status }) => ({ method, path, status })), chain: undefined },
      engine: { asks, outcome: verdict.outcome, leaf: [leaf.status, leaf.decided_by, leaf.reason] },
    });

    // What Firefox did, as measured.
    assert.equal(ff.requests.length, rung.firefox.requests, seen);
    assert.equal(ff.refused, rung.firefox.refused ?? null, seen);
    assert.equal(Boolean(ff.loadError), Boolean(ff.refused), seen);
    for (const request of ff.requests) assert.equal(request.method, 'POST', `ESR 153 always POSTs: ${seen}`);
    if (!ff.refused) {
      assert.equal(ff.usedOcsp, ff.requests.length > 0, seen);
      assert.equal(ff.rootIsBuiltIn, false, seen);
      // The chain Firefox built is the one the engine judges.
      const ours = [pki.leaves.get(rung.name), pki.int, pki.root].map((c) => c.der.toString('base64'));
      assert.deepEqual(ff.chain, ours, seen);
    }

    // The ladder asks for live OCSP exactly when Firefox made a request...
    const firefoxAsked = ff.requests.length > 0;
    if (rung.limit) assert.equal(asks, rung.limit.engineAsks, `the known limit holds as documented: ${seen}`);
    else assert.equal(asks, firefoxAsked, seen);
    // ...and blocks exactly when Firefox refused the page.
    assert.equal(verdict.outcome === 'block', Boolean(ff.refused), seen);
    // CA certificates: OneCRL only, never live OCSP, in both.
    for (const ca of verdict.certificates.slice(1)) assert.deepEqual([ca.status, ca.decided_by], ['good', 'onecrl'], seen);
  });
}

test('nobody asked about a CA certificate, and every request was a rung\'s', () => {
  const leafSerials = new Set([...pki.leaves.values()].map((l) => l.serial));
  for (const entry of [...responder.log, ...failing.log]) {
    assert.ok(entry.serials.length === 1 && leafSerials.has(entry.serials[0]), JSON.stringify(entry.serials));
  }
  assert.ok(!responder.log.some((e) => e.serials.includes(pki.int.serial)));
});
