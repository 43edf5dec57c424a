// The demo sites: a local PKI (crate/engine/examples/make_demo_pki.rs), a real
// OCSP responder (`openssl ocsp`) behind a logging HTTP relay, one HTTPS
// server that serves every demo site by SNI and staples where a site should,
// and the Remote Settings stand-in (scripts/remote-settings/server.mjs)
// serving the demo's CRLite filters (crate/engine/examples/make_crlite_filters.rs)
// as security-state/cert-revocations, signed under the test
// content-signature root; and the intermediate's CRL, partitioned in two
// shards made by `openssl ca -gencrl` (shard 2 stale), served over HTTP;
// and Chrome's view of that CRL, a CRLSet in a CRX3 behind a
// component-updater stand-in (scripts/demo/crlset-server.mjs).
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

import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startRemoteSettings } from '../remote-settings/server.mjs';
import { makeDemoCrlSet, startCrlSetServer } from './crlset-server.mjs';
import { cleanupStack, closeServer, freePorts, listen, startResponder } from './responder.mjs';

export { ocspRequestSerials } from './responder.mjs';

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
  const crlset = await makeDemoCrlSet(dir, { sequence: Math.floor(now / 1000) });

  const { cleanups, stop } = cleanupStack();
  const crlLog = [];

  try {
    // The real responder (scripts/demo/responder.mjs): `openssl ocsp` on the
    // internal port, and on the certificates' OCSP URL the relay that logs
    // what browsers and the extension ask.
    const responder = await startResponder({
      port: ocspPort, internalPort, index: file('index.txt'), ca: file('int.pem'), rkey: file('int.key.pem'), nmin: 60,
    });
    cleanups.push(() => responder.stop());
    ocspPort = responder.port;
    const ocspLog = responder.log;

    // The good staple, fetched from the responder directly (the relay log
    // stays for what browsers and the extension do), and kept fresh.
    const staplePath = file('sites', 'good-staple', 'staple.der');
    let staple = null;
    const fetchStaple = async () => {
      await run('openssl', [
        'ocsp', '-issuer', file('int.pem'), '-cert', file('sites', 'good-staple', 'chain.pem'),
        '-url', responder.internalUrl, '-respout', staplePath, '-noverify',
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
    const byName = new Map(sites.map((s) => [s.name, s]));
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
      const framed = pathname === '/framed' && site ? byName.get(new URL(req.url, 'https://x/').searchParams.get('site')) : null;
      if (pathname === '/index' || (pathname === '/' && !site)) html = indexPage();
      else if (framed) {
        // Another demo site in an iframe: a capture must take the page's
        // chain, not the frame's.
        html = page(`${site.name} framing ${framed.name}`, `<h1>${escapeHtml(site.name)}</h1>
<iframe title="${escapeHtml(framed.name)}" src="${escapeHtml(framed.url)}"></iframe>`);
      } else if (pathname === '/' && site) {
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

    // The CRLSet built from those shards, as Chrome's component updater serves it.
    const crlsetServer = await startCrlSetServer(crlset);
    cleanups.push(() => crlsetServer.stop());

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
      /** The component-updater stand-in's update-check URL (`crlset sync --from`), the pin of
       * the key that signs its CRX3 (`--key-sha256`, hex), the raw crl-set, every request. */
      crlsetUpdateUrl: crlsetServer.url,
      crlsetKeySha256: crlset.keySha256,
      crlsetPath: crlset.crlsetPath,
      crlsetLog: crlsetServer.log,
      /** The CRLSet's version (its Sequence) and the intermediate's revoked serials it lists. */
      crlset: { version: crlset.version, serials: crlset.serials, crxId: crlset.crxId, manifestPath: crlset.manifestPath },
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
  console.log(`  CRLSet updates: ${demo.crlsetUpdateUrl}, key sha256 ${demo.crlsetKeySha256}`);
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
