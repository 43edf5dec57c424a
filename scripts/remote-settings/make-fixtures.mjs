// Writes fixtures/remote-settings/: a test content-signature PKI (P-384
// everywhere, like Mozilla's), OneCRL changesets signed with it, and canonical
// JSON cases.
//
//   node scripts/remote-settings/make-fixtures.mjs [--new-pki]
//
// Rerunning writes the same bytes: the PKI is made only when a file of it is
// missing (or with --new-pki, which changes the root hash tests pin), and a
// vector keeps its signature while that still verifies over its content
// (ECDSA signatures are randomized, so re-signing would churn every file).
import { createHash, verify, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// @peculiar/x509's dependency injection (tsyringe) needs the polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { canonicalJSON } from './canonical-json.mjs';
import {
  Collection, changesetBody, contentSignaturePayload, loadSigner, signatureMetadata, tamper, SIGNERS,
} from './server.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = join(repo, 'fixtures/remote-settings');
const { values: args } = parseArgs({ options: { 'new-pki': { type: 'boolean', default: false } } });

x509.cryptoProvider.set(webcrypto);
const EC = { name: 'ECDSA', namedCurve: 'P-384' };
const SIGNING = { name: 'ECDSA', hash: 'SHA-384' };
const SIGNER_NAME = 'onecrl.content-signature.mozilla.org';
const ROOT_CN = 'revoscope test content-signature root';
const INTERMEDIATE_CN = 'revoscope test content-signature intermediate';
const utc = (day) => new Date(`${day}T00:00:00Z`);

const { ExtendedKeyUsage: EKU, KeyUsageFlags: KU } = x509;
const ca = (pathLength) => new x509.BasicConstraintsExtension(true, pathLength, true);

// name → how to make it; issuers come before what they sign.
const PKI = {
  root: { cn: ROOT_CN, from: '2024-01-01', to: '2050-01-01', ext: () => [ca(), new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true)] },
  intermediate: { cn: INTERMEDIATE_CN, issuer: 'root', from: '2024-01-01', to: '2049-01-01', ext: intermediateExtensions },
  'onecrl-signer': { cn: SIGNER_NAME, issuer: 'intermediate', from: '2025-01-01', to: '2045-01-01', ext: () => signerExtensions(EKU.codeSigning, SIGNER_NAME) },
  'expired-signer': { cn: SIGNER_NAME, issuer: 'intermediate', from: '2020-01-01', to: '2021-01-01', ext: () => signerExtensions(EKU.codeSigning, SIGNER_NAME) },
  'wrong-name-signer': {
    cn: 'remote-settings.content-signature.mozilla.org', issuer: 'intermediate', from: '2025-01-01', to: '2045-01-01',
    ext: () => signerExtensions(EKU.codeSigning, 'remote-settings.content-signature.mozilla.org'),
  },
  'no-eku-signer': { cn: SIGNER_NAME, issuer: 'intermediate', from: '2025-01-01', to: '2045-01-01', ext: () => signerExtensions(EKU.serverAuth, SIGNER_NAME) },
  // Same names as the real test PKI, other keys: only the root pin tells them apart.
  'other-root': { cn: ROOT_CN, from: '2024-01-01', to: '2050-01-01', ext: () => [ca(), new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true)] },
  'other-intermediate': { cn: INTERMEDIATE_CN, issuer: 'other-root', from: '2024-01-01', to: '2049-01-01', ext: intermediateExtensions },
  'other-root-signer': { cn: SIGNER_NAME, issuer: 'other-intermediate', from: '2025-01-01', to: '2045-01-01', ext: () => signerExtensions(EKU.codeSigning, SIGNER_NAME) },
};

function intermediateExtensions() {
  return [ca(0), new x509.KeyUsagesExtension(KU.keyCertSign, true), new x509.ExtendedKeyUsageExtension([EKU.codeSigning])];
}

function signerExtensions(usage, dnsName) {
  return [
    new x509.KeyUsagesExtension(KU.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([usage]),
    new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: dnsName }]),
  ];
}

async function makePki() {
  const made = {};
  for (const [name, spec] of Object.entries(PKI)) {
    const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
    const issuer = spec.issuer ? made[spec.issuer] : { keys, cert: null };
    const extensions = [...spec.ext(), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)];
    if (spec.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${spec.cn}`,
      issuer: spec.issuer ? issuer.cert.subject : `CN=${spec.cn}`,
      notBefore: utc(spec.from),
      notAfter: utc(spec.to),
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      signingAlgorithm: SIGNING,
      extensions,
    });
    made[name] = { keys, cert };
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    writeFileSync(join(out, `${name}.pem`), `${cert.toString('pem')}\n`);
    writeFileSync(join(out, `${name}.key.pem`), `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`);
  }
}

function writeChains() {
  mkdirSync(join(out, 'chains'), { recursive: true });
  for (const signer of SIGNERS) {
    const [intermediate, root] = signer === 'other-root' ? ['other-intermediate', 'other-root'] : ['intermediate', 'root'];
    const pems = [`${signer}-signer`, intermediate, root].map((name) => readFileSync(join(out, `${name}.pem`), 'utf8'));
    writeFileSync(join(out, 'chains', `${signer}.pem`), pems.join(''));
  }
}

// --- Changeset vectors ------------------------------------------------------

const dump = JSON.parse(readFileSync(join(repo, 'fixtures/onecrl/onecrl.json'), 'utf8')).data;
const BASE = 1_700_000_000_000;
// Dump record i, as published at BASE + (i + 1) s.
const record = (i, lastModified = BASE + (i + 1) * 1000) => ({ ...structuredClone(dump[i]), last_modified: lastModified });

const v0 = new Collection(dump.slice(0, 10).map((_, i) => record(i)));
const v1 = new Collection(dump.slice(0, 20).map((_, i) => record(i)));
const T1 = v1.timestamp;
const DELETED = 7;
const MODIFIED = 3;
const ESCAPES_WHY = 'révoqué – ☃ 🔒 "quoted" back\\slash\nnew line\ttab\u007fdel';
const v2 = new Collection(dump.slice(0, 20).map((_, i) => record(i)));
const v2Records = v2.records().filter((r) => r.id !== dump[DELETED].id).map((r) => {
  if (r.id !== dump[MODIFIED].id) return r;
  return { ...r, details: { ...r.details, why: 'revoscope test: reason changed in v2' }, last_modified: T1 + 1000 };
});
v2Records.push(record(20, T1 + 2000), record(21, T1 + 3000), record(22, T1 + 4000));
const escapes = record(23, T1 + 5000);
escapes.details.why = ESCAPES_WHY;
v2Records.push(escapes);
// The deletion is the newest change: T2 is above every live record's last_modified.
v2.publish(v2Records, { timestamp: T1 + 6000 });

const placeholder = (signer) => `https://example.invalid/chains/${signer}.pem`;
function previousSignature(file) {
  const path = join(out, file);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).metadata.signature?.signature : undefined;
}

function writeJSON(file, value) {
  writeFileSync(join(out, file), `${JSON.stringify(value, null, 2)}\n`);
}

function writeVectors() {
  const signers = Object.fromEntries(SIGNERS.map((name) => [name, loadSigner(out, name)]));
  // One signature per state and signer, shared by its vectors as the real
  // server shares its collection metadata.
  const signatures = new Map();
  const signFor = (file, collection, signer) => {
    const key = `${collection.timestamp}/${signer}`;
    if (!signatures.has(key)) {
      const payload = contentSignaturePayload(collection.records(), collection.timestamp);
      const signature = signatureMetadata(payload, signers[signer], placeholder(signer));
      const previous = previousSignature(file);
      if (previous && verify('sha384', payload, { key: signers[signer].publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(previous, 'base64url'))) {
        signature.signature = previous;
      }
      signatures.set(key, signature);
    }
    return signatures.get(key);
  };
  const vector = (file, collection, { since, signer = 'onecrl', signed = true, after = (body) => body } = {}) => {
    const signature = signed ? signFor(file, collection, signer) : undefined;
    writeJSON(file, after(changesetBody(collection, { since, signature })));
  };

  vector('v0.changeset.json', v0);
  vector('v1.changeset.json', v1);
  vector('v2.full.changeset.json', v2);
  vector('v2.since-v1.changeset.json', v2, { since: T1 });
  vector('v1.tampered.changeset.json', v1, {
    after: (body) => ({ ...body, changes: body.changes.map((r) => (r.id === dump[0].id ? tamper(r) : r)) }),
  });
  for (const signer of SIGNERS.filter((s) => s !== 'onecrl')) vector(`v1.${signer}.changeset.json`, v1, { signer });
  vector('v1.unsigned.changeset.json', v1, { signed: false });
}

// --- Canonical JSON cases ---------------------------------------------------

// Input as raw JSON text (so that `1.0` or `\u00E9` reach the reader as
// written) and the canonical form worked out by hand from the rules in
// canonical-json.mjs; the generator refuses to write a case the
// implementation disagrees with.
const CASES = [
  ['{"b":1,"a":2,"B":3,"_":4,"aa":5,"":6,"10":7,"9":8,"é":9}', '{"":6,"10":7,"9":8,"B":3,"_":4,"a":2,"aa":5,"b":1,"\\u00e9":9}'],
  // UTF-16 order: U+1F512 is D83D DD12, below U+FF61 (code point order says the opposite).
  ['{"\uff61":1,"🔒":2,"\\ue000":3,"z":4}', '{"z":4,"\\ud83d\\udd12":2,"\\ue000":3,"\\uff61":1}'],
  ['{ "z" : [ 3, { "y" : null, "x" : [ true, false ] } ], "a" : { "c" : { }, "b" : [ ] } }', '{"a":{"b":[],"c":{}},"z":[3,{"x":[true,false],"y":null}]}'],
  ['"quote \\" backslash \\\\ slash \\/ apostrophe \' backtick `"', '"quote \\" backslash \\\\ slash / apostrophe \' backtick `"'],
  ['"\\u0000\\u0001\\u0008\\u0009\\u000A\\u000B\\u000C\\u000D\\u001F\\u0020"', '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f "'],
  ['"del \\u007F, nbsp \\u00A0, é – ☃ \\u2028"', '"del \\u007f, nbsp \\u00a0, \\u00e9 \\u2013 \\u2603 \\u2028"'],
  ['"🔒 \\uD83D\\uDD12 \\ud83c\\udf0d"', '"\\ud83d\\udd12 \\ud83d\\udd12 \\ud83c\\udf0d"'],
  ['[0, 1.0, -5, 0.1, 1e21, 1E+21, 1e20, 1e-7, 0.000001, 123e-20, 1.5e300, 5e-324]',
    '[0,1,-5,0.1,1e+21,1e+21,100000000000000000000,1e-7,0.000001,1.23e-18,1.5e+300,5e-324]'],
  ['[123456789012345680000, 9007199254740993, 9007199254740994, 18446744073709551615, 18446744073709551616, -9223372036854775808]',
    '[123456789012345680000,9007199254740992,9007199254740994,18446744073709552000,18446744073709552000,-9223372036854776000]'],
  ['[true, false, null, {}, [], "", [[]], [{}]]', '[true,false,null,{},[],"",[[]],[{}]]'],
  ['{"data":[{"id":"b","last_modified":2},{"id":"a","details":{"why":"r\\u00e9voqu\\u00e9"},"last_modified":1}],"last_modified":"2"}',
    '{"data":[{"id":"b","last_modified":2},{"details":{"why":"r\\u00e9voqu\\u00e9"},"id":"a","last_modified":1}],"last_modified":"2"}'],
];

function writeCanonicalCases() {
  for (const [input, canonical] of CASES) {
    const actual = canonicalJSON(JSON.parse(input));
    if (actual !== canonical) throw new Error(`canonical case ${input}: expected ${canonical}, implementation gives ${actual}`);
  }
  mkdirSync(join(out, 'canonical'), { recursive: true });
  const lines = CASES.map(([input, canonical]) => `  {"input": ${input}, "canonical": ${JSON.stringify(canonical)}}`);
  writeFileSync(join(out, 'canonical/cases.json'), `[\n${lines.join(',\n')}\n]\n`);
}

// --- README -------------------------------------------------------------------

function writeReadme() {
  const rootHash = createHash('sha256').update(new X509Certificate(readFileSync(join(out, 'root.pem'))).raw).digest('hex');
  writeFileSync(join(out, 'README.md'), `# Remote Settings content-signature fixtures

Generated by \`node scripts/remote-settings/make-fixtures.mjs\`; the tests read
these committed files and never regenerate them. A rerun writes the same bytes:
the PKI is only made when one of its files is missing (\`--new-pki\` makes a new
one, and with it a new root hash), and a vector keeps its signature while that
still verifies. **Every key here is public test material.**

Tests pin the test root instead of Mozilla's: the SHA-256 of \`root.pem\`'s DER is

    ${rootHash}

## PKI (P-384 keys, ECDSA with SHA-384; \`<name>.key.pem\` is each key, PKCS#8)

| file | what |
|---|---|
| \`root.pem\` | CN=${ROOT_CN}; CA (critical), keyCertSign + cRLSign; 2024-01-01..2050-01-01 |
| \`intermediate.pem\` | CN=${INTERMEDIATE_CN}, by the root; CA pathlen 0, keyCertSign, EKU codeSigning; 2024-01-01..2049-01-01 |
| \`onecrl-signer.pem\` | the good signer, by the intermediate: digitalSignature, EKU codeSigning, SAN \`${SIGNER_NAME}\`; 2025-01-01..2045-01-01 |
| \`expired-signer.pem\` | the same, valid 2020-01-01..2021-01-01 only |
| \`wrong-name-signer.pem\` | SAN \`remote-settings.content-signature.mozilla.org\` |
| \`no-eku-signer.pem\` | EKU serverAuth instead of codeSigning |
| \`other-root.pem\`, \`other-intermediate.pem\`, \`other-root-signer.pem\` | a look-alike PKI: same names, other keys; the chain is sound but ends at an unpinned root |

\`chains/<signer>.pem\` is what an x5u URL serves: the end-entity, its
intermediate and its root, PEM, in that order (\`onecrl\`, \`expired\`,
\`wrong-name\`, \`no-eku\`, \`other-root\`).

## Changesets

Shaped like \`GET /v1/buckets/security-state/collections/onecrl/changeset\`:
\`{"metadata": {..., "signature": S, "signatures": [S]}, "timestamp": T, "changes": [...]}\`,
changes newest first. The signature is over \`"Content-Signature:\\x00"\` + the
canonical JSON of \`{"data": <live records sorted by id>, "last_modified": "<T>"}\`,
raw r||s in base64url. Records are real ones from \`fixtures/onecrl/onecrl.json\`
(dump order i, published at ${BASE} + (i + 1) s). x5u URLs are placeholders,
\`https://example.invalid/chains/<signer>.pem\`: the chain is the file of that name.

| file | content |
|---|---|
| \`v0.changeset.json\` | the first 10 records, T0 = ${v0.timestamp}, validly signed: an older state, for rollback tests |
| \`v1.changeset.json\` | the first 20 records, T1 = ${T1} |
| \`v2.full.changeset.json\` | v1 without \`${dump[DELETED].id}\`, with \`${dump[MODIFIED].id}\`'s \`details.why\` changed, plus records 20-23 of the dump; record 23 (\`${dump[23].id}\`) has a \`details.why\` with non-ASCII, astral, quote, backslash, newline, tab and DEL characters. T2 = ${v2.timestamp}, the deletion's time, above every live record's \`last_modified\` |
| \`v2.since-v1.changeset.json\` | what \`_since="${T1}"\` returns at T2: the 5 changed or new records and the tombstone \`{"id": ..., "deleted": true, "last_modified": T2}\`, with the signature of the whole v2 collection; merged onto v1 it gives v2 |
| \`v1.tampered.changeset.json\` | v1 with \`${dump[0].id}\`'s serialNumber altered after signing: must not verify |
| \`v1.wrong-name.changeset.json\`, \`v1.expired.changeset.json\`, \`v1.no-eku.changeset.json\`, \`v1.other-root.changeset.json\` | v1 signed by those signers: the signature itself verifies, the chain must not |
| \`v1.unsigned.changeset.json\` | v1 with no signature in its metadata |

## Canonical JSON

\`canonical/cases.json\` is \`[{"input": <JSON>, "canonical": "<string>"}]\`: key
order (UTF-16 code units, so \`"\\ud83d\\udd12"\` sorts before \`"\\uff61"\`),
nesting, escapes (lowercase \`\\uXXXX\`, DEL, surrogate pairs), and numbers
printed as JavaScript does (\`1.0\` → \`1\`, \`1e21\` → \`1e+21\`, integers past 2^53
and u64 rounded to the nearest double). The inputs are written as raw JSON text on
purpose: read them with a JSON parser. The expected strings were worked out by hand
and checked against \`scripts/remote-settings/canonical-json.mjs\`.

A local server that serves and signs all this at run time, with failure
scenarios, is \`scripts/remote-settings/server.mjs\`.

## CRLite (served, not committed)

\`server.mjs --crlite-dir DIR\` also serves \`security-state/cert-revocations\`,
signed at run time under the same test signer (\`onecrl.content-signature.mozilla.org\`,
the one Firefox checks cert-revocations with) and root: DIR's \`records.json\`
(\`{"data": [records], "timestamp"?: N}\`, re-read whenever it changes), the root
document \`GET /v1/\` with \`capabilities.attachments.base_url\` pointing at
\`/attachments/\`, and each record's file (\`DIR/<attachment.filename>\`, served
at its \`location\`). Clubcard filters are random per build, so none is committed:
\`cargo run -p revoscope --example make_crlite_filters -- SPEC.json DIR\` builds a
set from a spec (the demo's is written by \`make_demo_pki\`), and the Rust tests
build theirs with \`crate/engine/tests/support/crlite.rs\`. Scenarios for the files:
\`crlite-tampered-attachment\` (one byte changed, size kept),
\`crlite-attachment-missing\` (the newest delta answers 404),
\`crlite-no-base-url\` (the root names no attachments).
`);
  return rootHash;
}

mkdirSync(out, { recursive: true });
const pkiFiles = Object.keys(PKI).flatMap((name) => [`${name}.pem`, `${name}.key.pem`]);
if (args['new-pki'] || !pkiFiles.every((file) => existsSync(join(out, file)))) await makePki();
writeChains();
writeVectors();
writeCanonicalCases();
console.log(`fixtures/remote-settings written; root sha256 ${writeReadme()}`);
