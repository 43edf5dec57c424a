// The demo sites with real parts: openssl s_client against the HTTPS
// server, openssl ocsp and fetch against the relay, openssl verify on the
// chains. `node --test scripts/demo/sites.test.mjs`
// (The first run builds the make_demo_pki example in release mode.)

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startDemo } from './sites.mjs';

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

  test('the API describes eight sites and distinct ports', () => {
    assert.deepEqual(demo.sites.map((s) => s.name), [
      'good-live', 'onecrl-intermediate', 'short-lived', 'good-staple',
      'must-staple-missing', 'revoked-ocsp', 'responder-down', 'no-revocation-info',
    ]);
    for (const s of demo.sites) {
      assert.equal(s.host, `${s.name}.revoscope.test`);
      assert.equal(s.url, `https://${s.host}:${demo.httpsPort}/`);
      assert.equal(s.staple, s.name === 'good-staple');
      assert.ok(s.about.length > 20);
    }
    assert.equal(new Set([demo.httpsPort, demo.ocspPort, demo.deadPort]).size, 3);
    assert.equal(demo.rootPem, p('root.pem'));
    assert.equal(demo.onecrlRootPem, p('onecrl-root.pem'));
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
    await demo.stop(); // twice is fine
  });
});
