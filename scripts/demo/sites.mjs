// The demo sites: a local PKI (crate/engine/examples/make_demo_pki.rs), a real
// OCSP responder (`openssl ocsp`) behind a logging HTTP relay, one HTTPS
// server that serves every demo site by SNI and staples where a site should,
// and the Remote Settings stand-in (scripts/remote-settings/server.mjs)
// serving the demo's CRLite filters (crate/engine/examples/make_crlite_filters.rs)
// as security-state/cert-revocations, signed under the test
// content-signature root; and the intermediate's CRL, partitioned in two
// shards made by `openssl ca -gencrl` (shard 2 stale), served over HTTP.
//
//   import { startDemo } from './scripts/demo/sites.mjs';
//   const demo = await startDemo({ dir: '/tmp/demo' });
//   ... demo.sites[i].url, demo.ocspLog, demo.remoteSettingsUrl ...
//   await demo.stop();
//
// Run directly, it stays up until SIGINT/SIGTERM:
//   node scripts/demo/sites.mjs [--dir out/demo/pki] [--https-port N] [--ocsp-port N] [--remote-settings-port N]
//
// The hosts are <name>.revoscope.test: a browser must map them to 127.0.0.1
// itself (Chromium `--host-resolver-rules`, Firefox `network.dns.localDomains`)
// and trust root.pem (and onecrl-root.pem for the OneCRL site).

import { spawn, execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startRemoteSettings } from '../remote-settings/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENV = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
// The responder's -nmin is 60 minutes; the staple is refreshed well before.
const STAPLE_REFRESH_MS = 30 * 60 * 1000;

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: ENV, maxBuffer: 16 << 20, ...options }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`;
        reject(err);
      } else resolve({ stdout, stderr });
    });
  });
}

/** Free TCP ports, distinct: all are held open together, then released. */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      // No host: binds every interface, as `openssl ocsp` will.
      await new Promise((resolve, reject) => server.once('error', reject).listen(0, resolve));
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve()))));
  }
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/**
 * Resolves once `openssl ocsp` says it listens ("waiting for OCSP client
 * connections", on stderr after the socket is bound).
 * Not by probing with a bare connection: OpenSSL 3.0's responder spins at
 * 100% CPU forever on a connection closed without a request, and serves
 * nobody after that (even with -ignore_err).
 */
function waitForResponder(child, stderrOf, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const done = (err) => {
      clearTimeout(timer);
      child.stderr.off('data', check);
      child.off('exit', exited);
      if (err) reject(err); else resolve();
    };
    const check = () => { if (/waiting for OCSP client connections/.test(stderrOf())) done(); };
    const exited = (code, signal) => done(new Error(`openssl ocsp exited early (${code ?? signal}): ${stderrOf()}`));
    const timer = setTimeout(() => done(new Error(`openssl ocsp did not start listening: ${stderrOf()}`)), timeoutMs);
    child.stderr.on('data', check);
    child.once('exit', exited);
    check();
  });
}

/** Reads one DER TLV at `at`: its tag, and where its content starts and ends. */
function tlv(der, at) {
  if (at + 2 > der.length) throw new Error('truncated');
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3 || start + octets > der.length) throw new Error('bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
    start += octets;
  }
  if (start + length > der.length) throw new Error('truncated');
  return { tag, start, end: start + length };
}

/** The TLVs inside a constructed one. */
function children(der, { start, end }) {
  const out = [];
  for (let at = start; at < end;) {
    const child = tlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * The serial numbers an OCSP request asks about (RFC 6960 4.1.1: OCSPRequest
 * → tbsRequest → requestList → Request → reqCert → serialNumber), as
 * uppercase hex without leading zero octets, as sites.json and `openssl`
 * write them. An undecodable request gives [].
 */
export function ocspRequestSerials(der) {
  try {
    const [tbs] = children(der, tlv(der, 0));
    const requestList = children(der, tbs).find((c) => c.tag === 0x30);
    if (!requestList) return [];
    return children(der, requestList).map((request) => {
      const [certId] = children(der, request);
      const serial = children(der, certId)[3];
      if (!serial || serial.tag !== 0x02) throw new Error('no serial');
      let bytes = der.subarray(serial.start, serial.end);
      while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
      return Buffer.from(bytes).toString('hex').toUpperCase();
    });
  } catch {
    return [];
  }
}

/** The DER of a request sent by GET (RFC 6960 A.1: base64, URL-encoded, after
 * the responder's URL, which is the relay's root here; an unencoded '/' of
 * the base64 stays part of it). */
function getRequestDer(url) {
  try {
    return Buffer.from(decodeURIComponent(url.slice(1)), 'base64');
  } catch {
    return Buffer.alloc(0);
  }
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44em;margin:2em auto;padding:0 1em}code{font-size:90%}</style>
</head><body>
${body}
</body></html>
`;
}

/** `YYYYMMDDHHMMSSZ`, as `openssl ca -crl_lastupdate` takes times. */
function generalizedTime(ms) {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * The intermediate's CRL in two shards, by `openssl ca -gencrl` from the
 * databases make_demo_pki wrote (crl-N.index), each scoped by its Issuing
 * Distribution Point to its own URL and to end-entity certificates, as
 * Let's Encrypt's shards are. Shard 1 is current (an hour old, good for 7 days); shard 2's
 * nextUpdate passed three days ago. DER in crl/int-N.crl.
 */
async function makeCrls(dir, crlUrl, now) {
  const day = 86_400_000;
  await fs.mkdir(path.join(dir, 'crl'), { recursive: true });
  for (const [shard, times] of [
    [1, ['-crl_lastupdate', generalizedTime(now - 3_600_000), '-crl_nextupdate', generalizedTime(now + 7 * day)]],
    [2, ['-crl_lastupdate', generalizedTime(now - 10 * day), '-crl_nextupdate', generalizedTime(now - 3 * day)]],
  ]) {
    const f = (name) => path.join(dir, name);
    await fs.writeFile(f(`crl-${shard}.number`), '01\n');
    await fs.writeFile(f(`crl-${shard}.cnf`), `[ca]
default_ca = shard
[shard]
database = ${f(`crl-${shard}.index`)}
crlnumber = ${f(`crl-${shard}.number`)}
default_md = sha256
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
[idp]
fullname = URI:${crlUrl}int-${shard}.crl
onlyuser = TRUE
`);
    await run('openssl', ['ca', '-gencrl', '-batch', '-config', f(`crl-${shard}.cnf`), '-keyfile', f('int.key.pem'),
      '-cert', f('int.pem'), ...times, '-out', f(`crl-${shard}.pem`)], { cwd: dir });
    await run('openssl', ['crl', '-in', f(`crl-${shard}.pem`), '-outform', 'DER', '-out', path.join(dir, 'crl', `int-${shard}.crl`)]);
  }
}

/**
 * Starts the demo. Ports left at 0 are picked free. `now` is in
 * milliseconds (dates in the PKI are relative to it).
 */
export async function startDemo({ dir, httpsPort = 0, ocspPort = 0, remoteSettingsPort = 0, now = Date.now() } = {}) {
  if (!dir) throw new Error('startDemo: dir is required');
  dir = path.resolve(dir);
  await fs.mkdir(dir, { recursive: true });

  // The responder's internal port and the dead port are always picked here.
  const [internalPort, deadPort, pickedOcsp, pickedHttps, crlPort] = await freePorts(5);
  if (!ocspPort) ocspPort = pickedOcsp;
  if (!httpsPort) httpsPort = pickedHttps;
  const ocspUrl = `http://127.0.0.1:${ocspPort}/`;
  const deadOcspUrl = `http://127.0.0.1:${deadPort}/`;
  const crlUrl = `http://127.0.0.1:${crlPort}/crl/`;

  await run('cargo', [
    'run', '-q', '--release', '-p', 'revoscope', '--example', 'make_demo_pki', '--',
    dir, '--now', String(Math.floor(now / 1000)), '--ocsp-url', ocspUrl, '--dead-ocsp-url', deadOcspUrl,
    '--crl-url', crlUrl,
  ], { cwd: ROOT });
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'sites.json'), 'utf8'));
  const file = (...p) => path.join(dir, ...p);
  // The CRLite filter set make_demo_pki described; a previous run's files go.
  const crliteDir = file('crlite');
  await fs.rm(crliteDir, { recursive: true, force: true });
  await run('cargo', [
    'run', '-q', '--release', '-p', 'revoscope', '--example', 'make_crlite_filters', '--',
    file('crlite-spec.json'), crliteDir,
  ], { cwd: ROOT });

  await makeCrls(dir, crlUrl, now);

  const cleanups = [];
  const ocspLog = [];
  const crlLog = [];
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup(); } catch { /* keep stopping the rest */ }
    }
  }

  try {
    // The real responder. `openssl ocsp -port` binds every interface and
    // takes no host (`-port 127.0.0.1:N` is rejected), so it sits on an
    // internal port and only the loopback relay below is in certificates.
    // Absolute paths: `ps` then shows which demo the process belongs to.
    // setpriv --pdeathsig: the kernel stops openssl if this process dies
    // without stop() (a 'exit' hook does not run on a fatal signal).
    let responderStderr = '';
    const responderArgs = [
      'ocsp', '-index', file('index.txt'), '-CA', file('int.pem'),
      '-rsigner', file('int.pem'), '-rkey', file('int.key.pem'),
      '-port', String(internalPort), '-ignore_err', '-nmin', '60',
    ];
    const setpriv = await run('setpriv', ['--help']).then(() => true, () => false);
    const responder = setpriv
      ? spawn('setpriv', ['--pdeathsig', 'KILL', 'openssl', ...responderArgs], { cwd: dir, env: ENV, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn('openssl', responderArgs, { cwd: dir, env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    responder.stderr.on('data', (d) => { responderStderr = (responderStderr + d).slice(-4000); });
    const responderExited = new Promise((resolve) => responder.once('exit', resolve));
    responder.once('error', (e) => { responderStderr += String(e); });
    const killOnExit = () => { try { responder.kill('SIGKILL'); } catch { /* gone */ } };
    process.once('exit', killOnExit);
    cleanups.push(async () => {
      process.off('exit', killOnExit);
      if (responder.exitCode === null && responder.signalCode === null) {
        responder.kill('SIGTERM');
        const timer = setTimeout(() => responder.kill('SIGKILL'), 2000);
        await responderExited;
        clearTimeout(timer);
      }
    });
    await waitForResponder(responder, () => responderStderr);

    // The relay on the certificates' OCSP URL: forwards GET (path + query)
    // and POST (body) to the responder, and logs every request. Only
    // complete GET and POST requests reach openssl: it answers other
    // methods with bytes Node's HTTP parser rejects, and it spins on a
    // connection that closes without a request (see waitForResponder).
    const relay = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const der = req.method === 'POST' ? body : req.method === 'GET' ? getRequestDer(req.url) : Buffer.alloc(0);
        const entry = {
          time: Date.now(), method: req.method, path: req.url, bodyLength: body.length, status: 0, serials: ocspRequestSerials(der),
        };
        ocspLog.push(entry);
        const answer = (status, headers, bytes) => {
          entry.status = status;
          res.writeHead(status, { ...headers, 'Content-Length': bytes.length });
          res.end(bytes);
        };
        if (req.method !== 'GET' && req.method !== 'POST') {
          return answer(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain' }, Buffer.from('GET or POST\n'));
        }
        const headers = {};
        if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
        if (req.method === 'POST') headers['Content-Length'] = body.length;
        let settled = false;
        const fail = (status, message) => {
          if (settled) return;
          settled = true;
          upstream.destroy();
          answer(status, { 'Content-Type': 'text/plain' }, Buffer.from(`relay: ${message}\n`));
        };
        const upstream = http.request({
          host: '127.0.0.1', port: internalPort, method: req.method, path: req.url, headers, agent: false,
        }, (up) => {
          const parts = [];
          up.on('data', (c) => parts.push(c));
          up.on('error', (e) => fail(502, e.message));
          up.on('end', () => {
            if (settled) return;
            settled = true;
            const out = {};
            if (up.headers['content-type']) out['Content-Type'] = up.headers['content-type'];
            answer(up.statusCode, out, Buffer.concat(parts));
          });
        });
        upstream.on('error', (e) => fail(502, e.message));
        // openssl answers a request it cannot parse (a POST of junk) with
        // nothing at all and keeps the connection open.
        upstream.setTimeout(3000, () => fail(502, 'no answer from the responder (malformed request?)'));
        upstream.end(req.method === 'POST' ? body : undefined);
      });
    });
    ocspPort = await listen(relay, ocspPort);
    cleanups.push(() => closeServer(relay));

    // The good staple, fetched from the responder directly (the relay log
    // stays for what browsers and the extension do), and kept fresh.
    const staplePath = file('sites', 'good-staple', 'staple.der');
    let staple = null;
    const fetchStaple = async () => {
      await run('openssl', [
        'ocsp', '-issuer', file('int.pem'), '-cert', file('sites', 'good-staple', 'chain.pem'),
        '-url', `http://127.0.0.1:${internalPort}/`, '-respout', staplePath, '-noverify',
      ], { cwd: dir });
      staple = await fs.readFile(staplePath);
    };
    await fs.rm(staplePath, { force: true });
    for (let attempt = 1; ; attempt++) {
      try {
        await fetchStaple();
        break;
      } catch (e) {
        if (attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const refresh = setInterval(() => fetchStaple().catch((e) => console.error(`staple refresh: ${e.message}`)), STAPLE_REFRESH_MS);
    refresh.unref();
    cleanups.push(() => clearInterval(refresh));

    // One HTTPS server for every site, by SNI.
    const sites = [];
    const contexts = new Map();
    const stapledLeaves = [];
    let defaultCreds = null;
    for (const s of manifest.sites) {
      const key = await fs.readFile(file('sites', s.name, 'key.pem'));
      const cert = await fs.readFile(file('sites', s.name, 'chain.pem'));
      contexts.set(s.host.toLowerCase(), tls.createSecureContext({ key, cert }));
      if (s.name === 'good-live') defaultCreds = { key, cert };
      if (s.staple) stapledLeaves.push(new X509Certificate(cert).raw);
      sites.push({
        name: s.name, host: s.host, url: `https://${s.host}:${httpsPort}/`, about: s.about, staple: s.staple,
        serialHex: s.serial_hex, crlite: s.crlite ?? null, crl: s.crl ? `${crlUrl}${s.crl}` : null,
      });
    }
    const byHost = new Map(sites.map((s) => [s.host, s]));
    const indexPage = () => page('revoscope demo sites', `<h1>revoscope demo sites</h1>
<p>Each site below shows one way certificate revocation plays out. OCSP responder: <code>${escapeHtml(ocspUrl)}</code>.</p>
<ul>
${sites.map((s) => `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.host)}</a>: ${escapeHtml(s.about)}</li>`).join('\n')}
</ul>`);

    const server = https.createServer({
      ...defaultCreds,
      SNICallback: (servername, cb) => cb(null, contexts.get(String(servername).toLowerCase()) ?? null),
    }, (req, res) => {
      const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const site = byHost.get(host);
      const pathname = new URL(req.url, 'https://x/').pathname;
      let status = 200;
      let html;
      if (pathname === '/index' || (pathname === '/' && !site)) html = indexPage();
      else if (pathname === '/' && site) {
        html = page(site.name, `<h1>${escapeHtml(site.name)}</h1>
<p>${escapeHtml(site.about)}</p>
<p><a href="/index">All demo sites</a></p>`);
      } else {
        status = 404;
        html = page('not found', '<p>Not found. <a href="/index">All demo sites</a></p>');
      }
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : html);
    });
    // Stapling: Node asks for a response only when the client sent
    // status_request; `cert` is the DER of the leaf being served.
    server.on('OCSPRequest', (cert, _issuer, cb) => {
      const stapled = staple && stapledLeaves.some((der) => der.equals(cert));
      cb(null, stapled ? staple : null);
    });
    server.on('tlsClientError', () => { /* handshakes a browser refuses are part of the demo */ });
    httpsPort = await listen(server, httpsPort);
    cleanups.push(() => closeServer(server));

    // The CRL shards, as a CA's plain HTTP server serves them; logged.
    const crlServer = http.createServer(async (req, res) => {
      const name = /^\/crl\/(int-[12]\.crl)$/.exec(new URL(req.url, 'http://x/').pathname)?.[1];
      crlLog.push({ time: Date.now(), method: req.method, path: req.url });
      const body = name && req.method === 'GET' ? await fs.readFile(file('crl', name)).catch(() => null) : null;
      if (!body) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/pkix-crl', 'Content-Length': body.length });
      res.end(body);
    });
    await listen(crlServer, crlPort);
    cleanups.push(() => closeServer(crlServer));

    // Remote Settings with the demo's CRLite filters (and the test OneCRL).
    const remoteSettings = await startRemoteSettings({ port: remoteSettingsPort, crliteDir });
    cleanups.push(() => remoteSettings.stop());

    return {
      dir,
      httpsPort,
      ocspPort,
      deadPort,
      sites,
      rootPem: file('root.pem'),
      onecrlRootPem: file('onecrl-root.pem'),
      ocspLog,
      clearOcspLog: () => { ocspLog.length = 0; },
      /** Where the CRL shards are served (ending in /), and every request for them. */
      crlUrl,
      crlLog,
      /** The stand-in's base URL (ending in /v1), what a client syncs from. */
      remoteSettingsUrl: remoteSettings.url,
      /** SHA-256 (hex) of the test content-signature root that signs it. */
      remoteSettingsRootHash: remoteSettings.rootHash,
      /** The stand-in itself: `requests`, `setScenario(name)`. */
      remoteSettings,
      crliteDir,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function parseArgs(argv) {
  const opts = { dir: path.join(ROOT, 'out', 'demo', 'pki'), httpsPort: 0, ocspPort: 0, remoteSettingsPort: 0 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    const port = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port: ${v}`);
      return n;
    };
    switch (argv[i]) {
      case '--dir': opts.dir = path.resolve(value()); break;
      case '--https-port': opts.httpsPort = port(value()); break;
      case '--ocsp-port': opts.ocspPort = port(value()); break;
      case '--remote-settings-port': opts.remoteSettingsPort = port(value()); break;
      default: throw new Error(`unknown argument: ${argv[i]}\nusage: node scripts/demo/sites.mjs [--dir DIR] [--https-port N] [--ocsp-port N] [--remote-settings-port N]`);
    }
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const demo = await startDemo(opts);
  console.log(`revoscope demo sites (PKI in ${demo.dir})`);
  console.log(`  HTTPS on 127.0.0.1:${demo.httpsPort}; OCSP relay http://127.0.0.1:${demo.ocspPort}/; dead OCSP port ${demo.deadPort}`);
  console.log(`  trust: ${demo.rootPem} (and ${demo.onecrlRootPem} for onecrl-intermediate)`);
  console.log(`  index: https://good-live.revoscope.test:${demo.httpsPort}/index`);
  console.log(`  Remote Settings (OneCRL, CRLite): ${demo.remoteSettingsUrl}, content-signature root sha256 ${demo.remoteSettingsRootHash}`);
  for (const s of demo.sites) console.log(`  ${s.url}${s.staple ? '  (stapled)' : ''}${s.crlite ? `  (CRLite: ${s.crlite})` : ''}`);
  console.log('Ctrl-C to stop.');
  let stopping = false;
  const onSignal = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e.stack ?? e);
    process.exit(1);
  });
}
