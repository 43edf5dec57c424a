// The demo sites with real parts: openssl s_client against the HTTPS
// server, openssl ocsp and fetch against the relay, openssl verify on the
// chains, Node's crypto and the revoscope CLI against the Remote Settings
// stand-in's CRLite filters. `node --test scripts/demo/sites.test.mjs`
// (The first run builds the make_demo_pki and make_crlite_filters examples
// and the CLI in release mode.)

import { execFile, spawn } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ocspRequestSerials, startDemo } from './sites.mjs';
import { contentSignaturePayload, CRLITE_CHANGESET_PATH, MONITOR_PATH } from '../remote-settings/server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
/** SHA-256 of fixtures/remote-settings/root.pem's DER, the test content-signature root. */
const TEST_ROOT = createHash('sha256')
  .update(new X509Certificate(await fs.readFile(path.join(ROOT, 'fixtures/remote-settings/root.pem'))).raw).digest('hex');

/** Runs a program; resolves with its exit code whatever it is. */
function runCode(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 300_000, maxBuffer: 16 << 20, ...options }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** The revoscope CLI (release build), exit code and output. */
const cli = (...args) => runCode('cargo', ['run', '-q', '--release', '-p', 'revoscope-cli', '--bin', 'revoscope', '--', ...args], { cwd: ROOT });

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 15_000, ...options }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n${stdout}\n${stderr}`;
        reject(err);
      } else resolve({ stdout, stderr, out: stdout + stderr });
    });
  });
}

/** openssl s_client with stdin closed: handshake, print, quit. */
function sClient(port, servername, caFile) {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', [
      's_client', '-connect', `127.0.0.1:${port}`, '-servername', servername, '-status',
      '-CAfile', caFile, '-verify_return_error',
    ], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    child.stdin.end();
  });
}

const connects = (port) => new Promise((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

describe('demo sites', () => {
  let tmp;
  let demo;
  let dir;
  const p = (...parts) => path.join(dir, ...parts);

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'revoscope-demo-'));
    demo = await startDemo({ dir: path.join(tmp, 'pki') });
    dir = demo.dir;
  }, { timeout: 600_000 });

  after(async () => {
    await demo?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  const site = (name) => demo.sites.find((s) => s.name === name);

  test('the API describes thirteen sites and distinct ports', () => {
    assert.deepEqual(demo.sites.map((s) => s.name), [
      'good-live', 'onecrl-intermediate', 'short-lived', 'good-staple',
      'must-staple-missing', 'revoked-ocsp', 'responder-down', 'no-revocation-info',
      'crlite-revoked', 'crlite-good', 'crl-good', 'crl-revoked', 'crl-stale',
    ]);
    for (const s of demo.sites) {
      assert.equal(s.host, `${s.name}.revoscope.test`);
      assert.equal(s.url, `https://${s.host}:${demo.httpsPort}/`);
      assert.equal(s.staple, s.name === 'good-staple');
      assert.ok(s.about.length > 20);
      assert.match(s.serialHex, /^[1-9A-F][0-9A-F]*$/);
      const crlite = { 'crlite-revoked': 'revoked_in_filter', 'crlite-good': 'not_revoked' }[s.name] ?? null;
      assert.equal(s.crlite, crlite, s.name);
      const shard = { 'crl-good': 1, 'crl-revoked': 1, 'crl-stale': 2 }[s.name];
      assert.equal(s.crl, shard ? `${demo.crlUrl}int-${shard}.crl` : null, s.name);
    }
    assert.equal(new Set(demo.sites.map((s) => s.serialHex)).size, demo.sites.length);
    const rsPort = Number(new URL(demo.remoteSettingsUrl).port);
    const crlPort = Number(new URL(demo.crlUrl).port);
    const crlsetPort = Number(new URL(demo.crlsetUpdateUrl).port);
    assert.equal(new Set([demo.httpsPort, demo.ocspPort, demo.deadPort, rsPort, crlPort, crlsetPort]).size, 6);
    assert.equal(demo.rootPem, p('root.pem'));
    assert.equal(demo.onecrlRootPem, p('onecrl-root.pem'));
    assert.match(demo.remoteSettingsUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(demo.remoteSettingsRootHash, TEST_ROOT);
    assert.equal(demo.crliteDir, p('crlite'));
  });

  test('good-staple staples a good OCSP response', async () => {
    const { code, out } = await sClient(demo.httpsPort, 'good-staple.revoscope.test', demo.rootPem);
    assert.equal(code, 0, out);
    assert.match(out, /subject=CN ?= ?good-staple\.revoscope\.test/);
    assert.match(out, /Cert Status: good/);
    assert.match(out, /Verify return code: 0 \(ok\)/);
  });

  test('good-live staples nothing', async () => {
    const { code, out } = await sClient(demo.httpsPort, 'good-live.revoscope.test', demo.rootPem);
    assert.equal(code, 0, out);
    assert.match(out, /subject=CN ?= ?good-live\.revoscope\.test/);
    assert.match(out, /OCSP response: no response sent/);
    assert.doesNotMatch(out, /Cert Status/);
  });

  test('SNI picks each site\'s certificate; only good-staple staples', async () => {
    for (const s of demo.sites) {
      const root = s.name === 'onecrl-intermediate' ? demo.onecrlRootPem : demo.rootPem;
      const { code, out } = await sClient(demo.httpsPort, s.host, root);
      assert.equal(code, 0, `${s.name}: ${out}`);
      assert.ok(out.includes(`subject=CN = ${s.host}`) || out.includes(`subject=CN=${s.host}`), `${s.name}: ${out}`);
      assert.equal(/Cert Status: good/.test(out), s.staple, s.name);
    }
  });

  test('the relay forwards a POST and logs it once: revoked-ocsp is revoked', async () => {
    demo.clearOcspLog();
    const { out } = await run('openssl', [
      'ocsp', '-issuer', p('int.pem'), '-cert', p('sites', 'revoked-ocsp', 'chain.pem'),
      '-url', `http://127.0.0.1:${demo.ocspPort}/`, '-CAfile', demo.rootPem,
    ]);
    assert.match(out, /Response verify OK/);
    assert.match(out, /chain\.pem: revoked/);
    assert.match(out, /Reason: keyCompromise/);
    assert.equal(demo.ocspLog.length, 1);
    const [entry] = demo.ocspLog;
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, '/');
    assert.equal(entry.status, 200);
    assert.ok(entry.bodyLength > 0);
    assert.equal(typeof entry.time, 'number');
    assert.deepEqual(entry.serials, [site('revoked-ocsp').serialHex]);
  });

  test('the relay forwards the RFC 6960 GET form', async () => {
    demo.clearOcspLog();
    const req = p('req.der');
    const cert = p('sites', 'good-live', 'chain.pem');
    await run('openssl', ['ocsp', '-issuer', p('int.pem'), '-cert', cert, '-reqout', req, '-no_nonce']);
    const b64 = (await fs.readFile(req)).toString('base64');
    const response = await fetch(`http://127.0.0.1:${demo.ocspPort}/${encodeURIComponent(b64)}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/ocsp-response');
    await fs.writeFile(p('resp.der'), Buffer.from(await response.arrayBuffer()));
    const { out } = await run('openssl', [
      'ocsp', '-respin', p('resp.der'), '-issuer', p('int.pem'), '-cert', cert, '-CAfile', demo.rootPem,
    ]);
    assert.match(out, /Response verify OK/);
    assert.match(out, /chain\.pem: good/);
    assert.equal(demo.ocspLog.length, 1);
    assert.equal(demo.ocspLog[0].method, 'GET');
    assert.equal(demo.ocspLog[0].bodyLength, 0);
    assert.equal(demo.ocspLog[0].status, 200);
    assert.deepEqual(demo.ocspLog[0].serials, [site('good-live').serialHex]);
  });

  test('ocspRequestSerials reads what it can, and nothing else', async () => {
    const req = p('req2.der');
    await run('openssl', ['ocsp', '-issuer', p('int.pem'), '-cert', p('sites', 'crlite-good', 'chain.pem'),
      '-cert', p('sites', 'crlite-revoked', 'chain.pem'), '-reqout', req]);
    const der = await fs.readFile(req);
    assert.deepEqual(ocspRequestSerials(der), [site('crlite-good').serialHex, site('crlite-revoked').serialHex]);
    for (const bad of [Buffer.alloc(0), Buffer.from('junk'), der.subarray(0, der.length - 3), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])]) {
      assert.deepEqual(ocspRequestSerials(bad), []);
    }
  });

  test('the CRLite sites embed an SCT, and their responder says good', async () => {
    for (const name of ['crlite-revoked', 'crlite-good']) {
      const { stdout } = await run('openssl', ['x509', '-noout', '-text', '-in', p('sites', name, 'chain.pem')]);
      assert.match(stdout, /CT Precertificate SCTs/, name);
      assert.match(stdout, /C7:C7:C7:C7/, name);
      demo.clearOcspLog();
      const { out } = await run('openssl', [
        'ocsp', '-issuer', p('int.pem'), '-cert', p('sites', name, 'chain.pem'),
        '-url', `http://127.0.0.1:${demo.ocspPort}/`, '-CAfile', demo.rootPem,
      ]);
      assert.match(out, /Response verify OK/);
      assert.match(out, /chain\.pem: good/, `${name}: only CRLite can block it`);
      assert.deepEqual(demo.ocspLog.map((e) => e.serials), [[site(name).serialHex]]);
    }
    // The other sites embed none: the filters do not cover them.
    const { stdout } = await run('openssl', ['x509', '-noout', '-text', '-in', p('sites', 'revoked-ocsp', 'chain.pem')]);
    assert.doesNotMatch(stdout, /CT Precertificate SCTs/);
  });

  test('the stand-in serves the demo filter set, signed, with its files', async () => {
    const origin = demo.remoteSettingsUrl.replace(/\/v1$/, '');
    const monitor = await (await fetch(`${origin}${MONITOR_PATH}?_expected=0`)).json();
    const entry = monitor.changes.find((c) => c.collection === 'cert-revocations');
    assert.equal(entry.bucket, 'security-state');
    const body = await (await fetch(`${origin}${CRLITE_CHANGESET_PATH}?_expected=${entry.last_modified}`)).json();
    assert.equal(body.timestamp, entry.last_modified);
    const byId = Object.fromEntries(body.changes.map((r) => [r.id, r]));
    assert.deepEqual(Object.keys(byId).sort(), ['demo-delta-1', 'demo-delta-2', 'demo-full']);
    assert.equal(byId['demo-full'].incremental, false);
    assert.equal(byId['demo-delta-1'].parent, 'demo-full');
    assert.equal(byId['demo-delta-2'].parent, 'demo-delta-1');
    assert.ok(byId['demo-full'].effectiveTimestamp < byId['demo-delta-1'].effectiveTimestamp);
    assert.ok(byId['demo-delta-1'].effectiveTimestamp < byId['demo-delta-2'].effectiveTimestamp);
    const chainPem = await (await fetch(body.metadata.signature.x5u)).text();
    const certs = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g).map((c) => new X509Certificate(c));
    assert.equal(createHash('sha256').update(certs.at(-1).raw).digest('hex'), demo.remoteSettingsRootHash);
    const signature = Buffer.from(body.metadata.signature.signature, 'base64url');
    const payload = contentSignaturePayload(body.changes, body.timestamp);
    assert.ok(verify('sha384', payload, { key: certs[0].publicKey, dsaEncoding: 'ieee-p1363' }, signature));
    const root = await (await fetch(`${demo.remoteSettingsUrl}/`)).json();
    for (const record of body.changes) {
      const res = await fetch(new URL(record.attachment.location, root.capabilities.attachments.base_url));
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(res.status, 200);
      assert.equal(bytes.length, record.attachment.size);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), record.attachment.hash);
      assert.equal(bytes[0], 4, 'a V4 clubcard');
    }
  });

  test('revoscope crlite sync and query on the demo: revoked only by the second delta', async () => {
    const kept = path.join(tmp, 'crlite');
    const synced = await cli('crlite', 'sync', '--from', demo.remoteSettingsUrl, '--dir', kept, '--root-hash', demo.remoteSettingsRootHash, '--json');
    assert.equal(synced.code, 0, synced.stderr);
    const report = JSON.parse(synced.stdout);
    assert.equal(report.status, 'updated');
    assert.deepEqual([report.set.full_id, report.set.deltas], ['demo-full', 2]);
    const expect = {
      'crlite-revoked': ['revoked_in_filter', 'demo-delta-2', 3],
      'crlite-good': ['not_revoked', 'demo-full', 0],
      'good-live': ['not_covered', null, 0],
    };
    for (const [name, [status, filter, code]] of Object.entries(expect)) {
      const q = await cli('crlite', 'query', '--cert', p('sites', name, 'chain.pem'), '--dir', kept, '--json');
      const answer = JSON.parse(q.stdout);
      assert.deepEqual([answer.status, answer.filter, q.code], [status, filter, code], name);
      assert.equal(site(name).crlite ?? 'not_covered', status);
    }
    // As Firefox with CRLite enforced: blocked by the filters, no OCSP request.
    demo.clearOcspLog();
    const inspected = await cli('inspect', '--chain', p('sites', 'crlite-revoked', 'chain.pem'), '--crlite-dir', kept,
      '--policy', 'firefox-today', '--json');
    assert.equal(inspected.code, 3, inspected.stderr);
    const verdict = JSON.parse(inspected.stdout);
    assert.deepEqual([verdict.certificates[0].status, verdict.certificates[0].decided_by], ['revoked', 'crlite']);
    assert.deepEqual(demo.ocspLog, []);
  });

  test('the CRL shards: made by openssl, signed by the intermediate, judged by revoscope crl', async () => {
    for (const shard of [1, 2]) {
      const { out } = await run('openssl', ['crl', '-inform', 'DER', '-in', p('crl', `int-${shard}.crl`), '-CAfile', p('int.pem'), '-noout']);
      assert.match(out, /verify OK/, `shard ${shard}`);
    }
    demo.crlLog.length = 0;
    // Fetched from the demo's server: the URL each leaf names.
    for (const [name, result, code, error] of [['crl-good', 'good', 0, undefined], ['crl-revoked', 'revoked', 3, undefined],
      ['crl-stale', 'offline', 4, 'stale']]) {
      const judged = await cli('crl', '--cert', p('sites', name, 'chain.pem'), '--issuer', p('int.pem'), '--json');
      const json = JSON.parse(judged.stdout || '{}');
      assert.deepEqual([json.result, judged.code, json.error?.code], [result, code, error], `${name}: ${judged.stderr}`);
    }
    assert.deepEqual(demo.crlLog.map((r) => r.path), ['/crl/int-1.crl', '/crl/int-1.crl', '/crl/int-2.crl']);
    // No OCSP responder named: the default policy (inspector) asks the CRL and blocks.
    demo.clearOcspLog();
    const inspected = await cli('inspect', '--chain', p('sites', 'crl-revoked', 'chain.pem'), '--json');
    assert.equal(inspected.code, 3, inspected.stderr);
    const leaf = JSON.parse(inspected.stdout).certificates[0];
    assert.deepEqual([leaf.status, leaf.decided_by, leaf.crl.answer.reason], ['revoked', 'crl', 'keyCompromise']);
    assert.deepEqual(demo.ocspLog, []);
  });

  test('the CRLSet lists what the CRL shards revoke, under the intermediate', async () => {
    // The shards' databases, read by openssl's own CRLs: crl-revoked is the only entry.
    const { out } = await run('openssl', ['crl', '-inform', 'DER', '-in', p('crl', 'int-1.crl'), '-noout', '-text']);
    assert.match(out, new RegExp(`Serial Number: ${site('crl-revoked').serialHex}`));
    assert.deepEqual(demo.crlset.serials, [site('crl-revoked').serialHex]);
    assert.equal(demo.crlsetPath, p('crlset', 'crl-set'));
    const dumped = await cli('crlset', 'dump', '--file', demo.crlsetPath, '--json');
    assert.equal(dumped.code, 0, dumped.stderr);
    const set = JSON.parse(dumped.stdout);
    const intSpki = new X509Certificate(await fs.readFile(p('int.pem'))).publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(set.parent_serials, [{ spki_sha256: createHash('sha256').update(intSpki).digest('hex'), serials: 1 }]);
    assert.deepEqual([String(set.sequence), set.blocked_spkis, set.expired], [demo.crlset.version, 0, false]);
  });

  test('revoscope crlset sync from the stand-in, then chrome-today blocks crl-revoked and accepts crl-good', async () => {
    demo.crlsetLog.length = 0;
    const kept = path.join(tmp, 'crlset');
    const synced = await cli('crlset', 'sync', '--from', demo.crlsetUpdateUrl, '--dir', kept, '--key-sha256', demo.crlsetKeySha256, '--json');
    assert.equal(synced.code, 0, synced.stderr);
    const report = JSON.parse(synced.stdout);
    assert.deepEqual([report.status, report.version, String(report.sequence)], ['updated', demo.crlset.version, demo.crlset.version]);
    // The update check for the test key's id, then the package it named.
    assert.deepEqual(demo.crlsetLog.map((r) => [r.path.replace(/\?.*/, ''), r.status]), [['/service/update2/crx', 200], [`/crx/crl-set-${demo.crlset.version}.crx3`, 200]]);
    assert.ok(demo.crlsetLog[0].path.includes(`id%3D${demo.crlset.crxId}%26`), demo.crlsetLog[0].path);
    // What was kept is the demo's crl-set, byte for byte.
    assert.deepEqual(await fs.readFile(path.join(kept, 'crl-set')), await fs.readFile(demo.crlsetPath));
    // Pinned to another key, the package is refused.
    const otherPin = '6ad211a6d2b66ef4d7440bf7d81c615156540724f511fda3af46d91950e7d54d';
    const refused = await cli('crlset', 'sync', '--from', demo.crlsetUpdateUrl, '--dir', path.join(tmp, 'crlset-other'), '--key-sha256', otherPin, '--json');
    assert.notEqual(refused.code, 0, refused.stdout);
    for (const [name, outcome, code] of [['crl-revoked', 'block', 3], ['crl-good', 'accept', 0]]) {
      const inspected = await cli('inspect', '--chain', p('sites', name, 'chain.pem'), '--policy', 'chrome-today',
        '--crlset', path.join(kept, 'crl-set'), '--no-fetch', '--json');
      const verdict = JSON.parse(inspected.stdout || '{}');
      const leaf = verdict.certificates?.[0];
      assert.deepEqual([verdict.outcome, inspected.code, leaf?.status, leaf?.decided_by],
        [outcome, code, outcome === 'block' ? 'revoked' : 'good', 'crlset'], `${name}: ${inspected.stderr}`);
    }
  });

  test('nothing listens on the dead port', async () => {
    assert.equal(await connects(demo.deadPort), false);
  });

  test('every chain verifies to its root', async () => {
    for (const s of demo.sites) {
      const chain = p('sites', s.name, 'chain.pem');
      const root = s.name === 'onecrl-intermediate' ? demo.onecrlRootPem : demo.rootPem;
      const { stdout } = await run('openssl', ['verify', '-CAfile', root, '-untrusted', chain, chain]);
      assert.match(stdout, /: OK$/m, s.name);
    }
    // The OneCRL site's chain does not lead to the demo root.
    await assert.rejects(run('openssl', [
      'verify', '-CAfile', demo.rootPem, '-untrusted', p('sites', 'onecrl-intermediate', 'chain.pem'),
      p('sites', 'onecrl-intermediate', 'chain.pem'),
    ]));
  });

  test('the pages: a site page by Host, the index on /index', async () => {
    // Node's fetch cannot take a CA or a host mapping; ask with https.get.
    const https = await import('node:https');
    const ca = await fs.readFile(demo.rootPem);
    const get = (host, pathname) => new Promise((resolve, reject) => {
      https.get({
        host: '127.0.0.1', port: demo.httpsPort, path: pathname, servername: host, ca,
        headers: { host: `${host}:${demo.httpsPort}` },
      }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ res, body }));
      }).on('error', reject);
    });
    const site = demo.sites.find((s) => s.name === 'revoked-ocsp');
    const page = await get(site.host, '/');
    assert.equal(page.res.statusCode, 200);
    assert.equal(page.res.headers['cache-control'], 'no-store');
    assert.match(page.body, /<title>revoked-ocsp<\/title>/);
    assert.ok(page.body.includes(site.about.replace(/'/g, '&#39;')));
    const index = await get('good-live.revoscope.test', '/index');
    for (const s of demo.sites) assert.ok(index.body.includes(`href="${s.url}"`), s.name);
  });

  test('stop() ends openssl and closes the ports', async () => {
    await demo.stop();
    const { stdout } = await run('ps', ['-eo', 'args']);
    const left = stdout.split('\n').filter((l) => l.startsWith('openssl') && l.includes(dir));
    assert.deepEqual(left, []);
    assert.equal(await connects(demo.httpsPort), false);
    assert.equal(await connects(demo.ocspPort), false);
    assert.equal(await connects(Number(new URL(demo.remoteSettingsUrl).port)), false);
    assert.equal(await connects(Number(new URL(demo.crlUrl).port)), false);
    assert.equal(await connects(Number(new URL(demo.crlsetUpdateUrl).port)), false);
    await demo.stop(); // twice is fine
  });
});
