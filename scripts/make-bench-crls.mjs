// The big CRLs of scripts/bench-crl.mjs, made once and kept in
// target/bench/crl/ (not committed): int-good's lists of about 1 MB and
// 10 MB (10^6 bytes), issued with `openssl ca -gencrl` from a generated
// index, as a CA's own tooling would.
//
//   node scripts/make-bench-crls.mjs     (bench-crl.mjs calls it first)
//
// The entries are what large CAs publish: serials of 16 to 20 content
// octets, a revocation date within the 90 days before thisUpdate, and in
// 70 % of them a reasonCode (superseded, cessationOfOperation,
// keyCompromise, affiliationChanged; the others carry
// none, which means unspecified: the Baseline Requirements, section 7.2.2,
// forbid writing unspecified). authorityKeyIdentifier and cRLNumber, as
// openssl writes them. About 47 bytes an entry, so 1 MB holds about 21,000
// entries and 10 MB about 213,000: the sizes are kept, the counts follow
// (30,000 entries to the megabyte would take 33-byte entries: short serials
// and no reasons).
//
// openssl sorts a list's entries by serial (X509_CRL_sort), which is the
// order the engine's index sorts into, so its sort would have nothing to
// do. CAs append revocations as they happen; so the entries are then put in
// revocation-date order (the same TLVs, the lengths unchanged) and the
// TBSCertList signed again with int-good's key (node:crypto, ECDSA P-256
// with SHA-256, the algorithm openssl named). Each list is then checked by
// `openssl crl -CAfile` (signature) and read back by `openssl crl -text`.
// Deterministic entries (serials and dates from SHA-256 of a counter);
// the signature and thisUpdate change if the files are made again.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CRL_DIR = join(root, 'target/bench/crl');
export const ISSUER_PEM = join(root, 'fixtures/pki/int-good.pem');
const ISSUER_KEY = join(root, 'fixtures/pki/int-good.key.pem');
/** name -> target size in bytes. */
export const SIZES = { '1mb': 1_000_000, '10mb': 10_000_000 };
/** Bump when the recipe changes: cached lists of another version are made again. */
const VERSION = 1;

const REASONS = [
  // [openssl's name, share of all entries]; the rest (30 %) carry none.
  // (openssl's index knows no privilegeWithdrawn.)
  ['superseded', 0.3], ['cessationOfOperation', 0.25], ['keyCompromise', 0.08], ['affiliationChanged', 0.07],
];
const DAY = 86_400_000;

/** YYMMDDHHMMSSZ, as openssl's index and UTCTime write it. */
const utcTime = (ms) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

/** The DER size of one entry (serial content octets, with or without a reasonCode). */
const entrySize = (serialLen, withReason) => 2 + (2 + serialLen) + 15 + (withReason ? 14 : 0);

/** openssl's index lines for a list of about `bytes`, and the entry count. */
function indexFor(name, bytes, lastUpdate) {
  const lines = [];
  let total = 400; // the list's own fields: issuer, times, extensions, signature
  for (let i = 0; total < bytes; i++) {
    const h = createHash('sha256').update(`revoscope bench crl ${name} ${i}`).digest();
    const len = 16 + (h[0] % 5);
    const serial = Buffer.from(h.subarray(1, 1 + len));
    serial[0] = 1 + (serial[0] % 0x7f); // positive, no leading zero: exactly `len` content octets
    const revoked = lastUpdate - 60_000 - (h.readUInt32BE(24) % (90 * DAY / 1000)) * 1000;
    let pick = h[28] / 256;
    const reason = REASONS.find(([, share]) => (pick -= share) < 0)?.[0];
    total += entrySize(len, reason !== undefined);
    lines.push(['R', '271231235959Z', reason ? `${utcTime(revoked)},${reason}` : utcTime(revoked),
      serial.toString('hex').toUpperCase(), 'unknown', `/CN=revoked-${i}`].join('\t'));
  }
  return lines;
}

// --- DER, just enough to walk a CertificateList and rebuild its outer SEQUENCE. ---

/** The TLV at `at`: {tag, start (of the content), end}. */
function tlv(buf, at) {
  const tag = buf[at];
  let len = buf[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  return { tag, at, start, end: start + len };
}

function header(tag, len) {
  if (len < 0x80) return Buffer.from([tag, len]);
  const octets = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Buffer.from([tag, 0x80 | octets.length, ...octets]);
}
const wrap = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([header(tag, body.length), body]);
};

/** A UTCTime's content (YYMMDDHHMMSSZ) as a sortable number. */
const timeKey = (buf, t) => Number(buf.toString('latin1', t.start, t.end - 1));

/**
 * The list with its entries in revocation-date order, signed again with
 * `key`: the lengths do not change, so only the signature and the outer
 * SEQUENCE are new.
 */
function inDateOrder(der, key) {
  const list = tlv(der, 0);
  const tbs = tlv(der, list.start);
  const algorithm = tlv(der, tbs.end);
  const tbsBytes = Buffer.from(der.subarray(tbs.at, tbs.end));
  // Walk the TBSCertList's fields to revokedCertificates: the SEQUENCE
  // after the times (version, signature, issuer, thisUpdate, nextUpdate).
  let field = tlv(tbsBytes, tlv(tbsBytes, 0).start);
  const fields = [];
  while (field.end <= tbsBytes.length && fields.length < 7) {
    fields.push(field);
    if (field.end === tbsBytes.length) break;
    field = tlv(tbsBytes, field.end);
  }
  const revoked = fields.find((f, i) => i >= 4 && f.tag === 0x30);
  if (!revoked) throw new Error('make-bench-crls: the list has no revokedCertificates');
  const entries = [];
  for (let at = revoked.start; at < revoked.end;) {
    const entry = tlv(tbsBytes, at);
    const serial = tlv(tbsBytes, entry.start);
    entries.push({ bytes: tbsBytes.subarray(entry.at, entry.end), when: timeKey(tbsBytes, tlv(tbsBytes, serial.end)), n: entries.length });
    at = entry.end;
  }
  entries.sort((a, b) => a.when - b.when || a.n - b.n);
  const ordered = Buffer.concat(entries.map((e) => e.bytes));
  ordered.copy(tbsBytes, revoked.start);
  const signature = sign('sha256', tbsBytes, key); // DER ECDSA-Sig-Value, as X.509 wants
  return {
    der: wrap(0x30, tbsBytes, der.subarray(algorithm.at, algorithm.end), wrap(0x03, Buffer.from([0]), signature)),
    entries: entries.length,
  };
}

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

/** Makes (or finds) the lists; returns {name: {path, bytes, entries, with_reason}}. */
export function makeBenchCrls({ log = console.error } = {}) {
  mkdirSync(CRL_DIR, { recursive: true });
  const manifestPath = join(CRL_DIR, 'manifest.json');
  const cached = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  if (cached?.version === VERSION && Object.keys(SIZES).every((n) => existsSync(join(CRL_DIR, `${n}.crl`)))) {
    return cached.lists;
  }
  const key = createPrivateKey(readFileSync(ISSUER_KEY));
  const lastUpdate = Math.floor(Date.now() / 1000) * 1000;
  const lists = {};
  for (const [name, bytes] of Object.entries(SIZES)) {
    const t0 = Date.now();
    const work = join(CRL_DIR, `${name}.work`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    const f = (file) => join(work, file);
    const lines = indexFor(name, bytes, lastUpdate);
    writeFileSync(f('index.txt'), `${lines.join('\n')}\n`);
    writeFileSync(f('crlnumber'), '1000\n');
    writeFileSync(f('ca.cnf'), `[ca]
default_ca = bench
[bench]
database = ${f('index.txt')}
crlnumber = ${f('crlnumber')}
unique_subject = no
default_md = sha256
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
`);
    run('openssl', ['ca', '-gencrl', '-batch', '-config', f('ca.cnf'), '-keyfile', ISSUER_KEY, '-cert', ISSUER_PEM,
      '-crl_lastupdate', `${utcTime(lastUpdate)}`, '-crl_nextupdate', `${utcTime(lastUpdate + 7 * DAY)}`, '-out', f('sorted.pem')]);
    run('openssl', ['crl', '-in', f('sorted.pem'), '-outform', 'DER', '-out', f('sorted.crl')]);
    const { der, entries } = inDateOrder(readFileSync(f('sorted.crl')), key);
    if (entries !== lines.length) throw new Error(`make-bench-crls: ${name}: openssl listed ${entries} of ${lines.length} entries`);
    const path = join(CRL_DIR, `${name}.crl`);
    writeFileSync(path, der);
    // The checks: the signature by int-good, and the entries as openssl reads them.
    const check = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', path, '-CAfile', ISSUER_PEM, '-noout'], { encoding: 'utf8' });
    const verified = `${check.stdout}${check.stderr}`.trim();
    if (check.status !== 0 || verified !== 'verify OK') throw new Error(`make-bench-crls: ${name}: openssl crl -CAfile says ${verified}`);
    const text = run('openssl', ['crl', '-inform', 'DER', '-in', path, '-noout', '-text'], { maxBuffer: 1 << 30 });
    const listed = (text.match(/Serial Number:/g) ?? []).length;
    const withReason = (text.match(/X509v3 CRL Reason Code/g) ?? []).length;
    if (listed !== entries) throw new Error(`make-bench-crls: ${name}: openssl crl -text lists ${listed} entries, not ${entries}`);
    lists[name] = { path: `target/bench/crl/${name}.crl`, bytes: der.length, entries, with_reason: withReason, openssl: 'verify OK' };
    rmSync(work, { recursive: true, force: true });
    log(`make-bench-crls: ${name}.crl: ${der.length} bytes, ${entries} entries (${withReason} with a reasonCode), ` +
      `${verified} (openssl crl -CAfile int-good.pem), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  writeFileSync(manifestPath, `${JSON.stringify({ version: VERSION, issuer: 'fixtures/pki/int-good.pem', lists }, null, 2)}\n`);
  return lists;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) makeBenchCrls();
