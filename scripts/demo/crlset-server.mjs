// The demo's CRLSet and a component-updater stand-in. Google builds
// Chrome's CRLSet from CAs' CRLs; the demo does the same with its own CA:
// the serials the intermediate's CRL shards revoke (the `R` lines of the
// crl-N.index databases `openssl ca -gencrl` read) go into a CRLSet under
// the SHA-256 of the intermediate's SubjectPublicKeyInfo
// (crlset-writer.mjs). It is packed as Chrome's component updater ships it,
// a CRX3 holding `crl-set` and `manifest.json`, by the npm package `crx3`
// and signed with the test key fixtures/crx3/keys/test-rsa.pem (its pin and
// CRX id in fixtures/crx3/README.md), and served over plain HTTP:
//
//   GET /service/update2/crx?x=id%3D<id>%26v%3D%26uc%26acceptformat%3Dcrx3
//       the Omaha update check: <app appid="<id>"><updatecheck codebase=…
//       version=… status="ok"/></app> for the test key's id, status
//       "error-unknownApplication" for any other
//   GET /crx/crl-set-<version>.crx3   the package
//
// Every request is logged. `revoscope crlset sync --from <updateUrl>
// --key-sha256 <keySha256>` fetches it.

import { createHash, createPublicKey } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { closeServer, listen } from './responder.mjs';
import { revokedSerials, spkiSha256, writeCrlSet } from './crlset-writer.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEST_KEY = path.join(ROOT, 'fixtures', 'crx3', 'keys', 'test-rsa.pem');
const UPDATE_PATH = '/service/update2/crx';

/** A CRX id: the first 16 bytes of SHA-256(SPKI DER), nibbles as a-p (Chromium's components/crx_file/id_util.cc). */
function crxId(spkiHash) {
  return [...spkiHash.subarray(0, 16)].flatMap((b) => [b >> 4, b & 15]).map((n) => String.fromCharCode(97 + n)).join('');
}

const escapeXml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Writes `<dir>/crlset/crl-set` (the CRL shards' revoked serials under the
 * intermediate) and `<dir>/crlset/crl-set-<sequence>.crx3`. The Sequence
 * (and component version) is `sequence`, seconds since the epoch by
 * default, so a later demo's set is newer.
 */
export async function makeDemoCrlSet(dir, { shards = [1, 2], sequence, keyPath = TEST_KEY } = {}) {
  const out = path.join(dir, 'crlset');
  await fs.rm(out, { recursive: true, force: true });
  await fs.mkdir(out, { recursive: true });
  const serials = [];
  for (const shard of shards) serials.push(...revokedSerials(await fs.readFile(path.join(dir, `crl-${shard}.index`), 'utf8')));
  const intermediate = await fs.readFile(path.join(dir, 'int.pem'));
  const bytes = writeCrlSet({ sequence, parents: [{ spkiSha256: spkiSha256(intermediate), serials }] });
  const crlsetPath = path.join(out, 'crl-set');
  await fs.writeFile(crlsetPath, bytes);
  const version = String(sequence);
  const manifestPath = path.join(out, 'manifest.json');
  await fs.writeFile(manifestPath, JSON.stringify({ manifest_version: 2, name: 'CertificateRevocation', version }));

  const require = createRequire(import.meta.url);
  const writeCrx3 = require('crx3');
  const crxPath = path.join(out, `crl-set-${version}.crx3`);
  // crx3 zips the files by their base names.
  await writeCrx3([crlsetPath, manifestPath], { keyPath, crxPath });

  const spki = createPublicKey(await fs.readFile(keyPath)).export({ type: 'spki', format: 'der' });
  const keySha256 = createHash('sha256').update(spki).digest();
  return { crlsetPath, manifestPath, crxPath, version, serials, keySha256: keySha256.toString('hex'), crxId: crxId(keySha256) };
}

/** Serves `pkg` (from makeDemoCrlSet) on 127.0.0.1:`port` (0: any). */
export async function startCrlSetServer(pkg, { port = 0 } = {}) {
  const log = [];
  const crxName = path.basename(pkg.crxPath);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x/');
    const entry = { time: Date.now(), method: req.method, path: req.url, status: 404 };
    log.push(entry);
    const send = (status, type, body) => {
      entry.status = status;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', Buffer.from('GET only\n'));
    if (url.pathname === UPDATE_PATH) {
      // x=id=<id>&v=&uc&acceptformat=crx3, itself form-encoded.
      const asked = new URLSearchParams(url.searchParams.get('x') ?? '').get('id');
      const base = `http://127.0.0.1:${server.address().port}`;
      const app = asked === pkg.crxId
        ? `<app appid="${escapeXml(asked)}" status="ok"><updatecheck codebase="${base}/crx/${escapeXml(crxName)}" version="${escapeXml(pkg.version)}" status="ok"/></app>`
        : `<app appid="${escapeXml(asked ?? '')}" status="error-unknownApplication"/>`;
      return send(200, 'application/xml', Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0" server="revoscope-demo">${app}</gupdate>\n`));
    }
    if (url.pathname === `/crx/${crxName}`) return send(200, 'application/x-chrome-extension', await fs.readFile(pkg.crxPath));
    return send(404, 'text/plain', Buffer.from('not found\n'));
  });
  port = await listen(server, port);
  return { url: `http://127.0.0.1:${port}${UPDATE_PATH}`, port, log, stop: () => closeServer(server) };
}
