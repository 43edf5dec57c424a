// A real OCSP responder for tests and the demo: `openssl ocsp` on an internal
// port, behind a loopback HTTP relay that logs every request (method, path,
// the serials asked about, the status and bytes of the answer). The relay's
// URL is the one certificates carry; the internal URL is for whoever must ask
// without appearing in the log (a staple fetched by the server itself).
//
//   import { freePorts, startResponder } from './scripts/demo/responder.mjs';
//   const [port] = await freePorts(1);
//   ... make certificates whose AIA OCSP URL is http://127.0.0.1:${port}/ ...
//   const responder = await startResponder({ port, index, ca, rsigner, rkey });
//   ... responder.log, responder.clearLog(), responder.internalUrl ...
//   await responder.stop();

import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** Free TCP ports, distinct: all are held open together, then released. */
export async function freePorts(count) {
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

/** Listens on 127.0.0.1:`port` (0: any free one); resolves to the port. */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

export function closeServer(server) {
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

const hasSetpriv = () => new Promise((resolve) => execFile('setpriv', ['--help'], (err) => resolve(!err)));

/**
 * Starts `openssl ocsp` answering from the CA database `index` for the CA
 * `ca`, signing with `rsigner`/`rkey` (the CA itself or a delegated signer),
 * and the logging relay on 127.0.0.1:`port` (0: a free one; `internalPort`
 * too, for a caller that picked its ports together). `nmin`: the
 * answers' nextUpdate, in minutes from now. Paths are made absolute, so
 * `ps` shows which run a responder belongs to.
 *
 * Each log entry: {time, method, path, bodyLength, status, serials, answer},
 * `answer` being the bytes sent back (a Buffer).
 */
/**
 * What a server started in steps must undo: `cleanups` run last first by
 * `stop()`, once, each whatever the ones before it did.
 */
export function cleanupStack() {
  const cleanups = [];
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup(); } catch { /* keep stopping the rest */ }
    }
  }
  return { cleanups, stop };
}

export async function startResponder({ port = 0, internalPort = 0, index, ca, rsigner = ca, rkey, nmin = 60 }) {
  if (!internalPort) [internalPort] = await freePorts(1);
  const { cleanups, stop } = cleanupStack();
  const log = [];

  try {
    // `openssl ocsp -port` binds every interface and takes no host
    // (`-port 127.0.0.1:N` is rejected), so it sits on the internal port and
    // only the loopback relay below is in certificates.
    // setpriv --pdeathsig: the kernel stops openssl if this process dies
    // without stop() (an 'exit' hook does not run on a fatal signal).
    let stderr = '';
    const args = [
      'ocsp', '-index', path.resolve(index), '-CA', path.resolve(ca),
      '-rsigner', path.resolve(rsigner), '-rkey', path.resolve(rkey),
      '-port', String(internalPort), '-ignore_err', '-nmin', String(nmin),
    ];
    const stdio = ['ignore', 'ignore', 'pipe'];
    const child = (await hasSetpriv())
      ? spawn('setpriv', ['--pdeathsig', 'KILL', 'openssl', ...args], { stdio })
      : spawn('openssl', args, { stdio });
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.once('error', (e) => { stderr += String(e); });
    const killOnExit = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
    process.once('exit', killOnExit);
    cleanups.push(async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
    });
    await waitForResponder(child, () => stderr);

    // The relay: forwards GET (path + query) and POST (body) to the
    // responder, and logs every request. Only complete GET and POST requests
    // reach openssl: it answers other methods with bytes Node's HTTP parser
    // rejects, and it spins on a connection that closes without a request
    // (see waitForResponder).
    const relay = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const der = req.method === 'POST' ? body : req.method === 'GET' ? getRequestDer(req.url) : Buffer.alloc(0);
        const entry = {
          time: Date.now(), method: req.method, path: req.url, bodyLength: body.length, status: 0,
          serials: ocspRequestSerials(der), answer: Buffer.alloc(0),
        };
        log.push(entry);
        const answer = (status, headers, bytes) => {
          entry.status = status;
          entry.answer = bytes;
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
    port = await listen(relay, port);
    cleanups.push(() => closeServer(relay));

    return {
      port,
      url: `http://127.0.0.1:${port}/`,
      internalPort,
      internalUrl: `http://127.0.0.1:${internalPort}/`,
      log,
      clearLog: () => { log.length = 0; },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
