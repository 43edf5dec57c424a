// The CRL measurements, shared by Node and the browser pages of
// scripts/bench-crl.mjs so every host runs the same code. Ours is the wasm
// package's CrlIndex: read the DER list, check it against its issuer (Name,
// key identifier, cRLSign, the signature by WebCrypto) and index its
// serials. The peer does the same work in JavaScript: @peculiar/x509's
// X509Crl parses the list, checks the issuer's Name and verifies the
// signature with the same WebCrypto, and a Map from each serial to its
// revocation date and reason is built.
// Needs only CrlIndex, the x509 module, crypto.subtle and performance.now().

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => sorted(xs)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];
const summary = (xs) => ({ median: median(xs), p95: percentile(xs, 95), min: sorted(xs)[0], samples: xs.length });

const hexBytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
const hexOf = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** The DER TLV at `at`: {at, start (of the content), end}. */
function tlv(der, at) {
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  return { at, start, end: start + len };
}

/** PEM (one certificate) to DER. */
export function pemToDer(pem) {
  const b64 = pem.replace(/-----[^-]+-----|\s+/g, '');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** A certificate's SubjectPublicKeyInfo (the 7th field of a v3 TBSCertificate). */
function spkiOf(certDer) {
  const tbs = tlv(certDer, tlv(certDer, 0).start);
  let field = tlv(certDer, tbs.start);
  for (let i = 0; i < 6; i++) field = tlv(certDer, field.end);
  return certDer.subarray(field.at, field.end);
}

/**
 * What WebCrypto needs to verify an ECDSA P-256 list: the TBSCertList's
 * bytes and the signature as r || s.
 */
function signedParts(der) {
  const list = tlv(der, 0);
  const tbs = tlv(der, list.start);
  const algorithm = tlv(der, tbs.end);
  const bits = tlv(der, algorithm.end);
  const sig = tlv(der, bits.start + 1);
  const r = tlv(der, sig.start);
  const s = tlv(der, r.end);
  const rs = new Uint8Array(64);
  for (const [n, at] of [[r, 0], [s, 32]]) {
    const v = der.subarray(n.start, n.end).slice(-32);
    rs.set(v, at + 32 - v.length);
  }
  return { tbs: der.subarray(tbs.at, tbs.end), signature: rs };
}

/** A deterministic stream of bytes (xorshift32), for serials no list holds. */
function bytesFrom(seed) {
  let x = seed >>> 0 || 1;
  return (n) => Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

const LOOKUPS = 10_000;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

/**
 * The measurements for `lists` ({name: DER bytes}) issued by `issuerDer`,
 * as methods the driver calls one at a time (a browser page's calls return
 * between them): check, warmUp, ours, floor, peerOnce, lookups.
 */
export async function makeContext({ CrlIndex, x509, issuerDer, lists }) {
  // The peer's WebCrypto, in every host (the library finds none in Node,
  // which has no `self`).
  x509.cryptoProvider.set(globalThis.crypto);
  const issuer = new x509.X509Certificate(issuerDer);
  // Imported once, as the engine keeps its imported keys.
  const key = await crypto.subtle.importKey('spki', spkiOf(issuerDer), ECDSA_P256, false, ['verify']);
  const state = {};

  /** The peer: parse, check the issuer and the signature, index the serials. */
  async function peer(bytes) {
    // asn1js, under both JavaScript libraries, refuses inputs of more than
    // 10,000 ASN.1 nodes by default (a CRL of about 2,000 entries).
    const crl = new x509.X509Crl(bytes, { berOptions: { maxNodes: Number.MAX_SAFE_INTEGER } });
    if (crl.issuer !== issuer.subject) throw new Error(`the peer: the list's issuer is ${crl.issuer}`);
    if (!(await crl.verify({ publicKey: key }))) throw new Error('the peer: the signature does not verify');
    const index = new Map();
    for (const e of crl.entries) index.set(e.serialNumber, { revokedAt: e.revocationDate, reason: e.reason });
    return index;
  }

  async function ours(bytes) {
    return CrlIndex.read(bytes, issuerDer);
  }

  return {
    /**
     * Both read `name`, untimed but for the peer's first run; they must
     * agree: the same entries, every serial the peer lists found by ours
     * with a reason where the peer has one. Keeps the peer's index and
     * the lookup keys (half listed, half not) for `lookups`.
     */
    async check(name, entries) {
      const bytes = lists[name];
      const index = await ours(bytes);
      const t0 = performance.now();
      const map = await peer(bytes);
      const peerFirstMs = performance.now() - t0;
      if (index.entries() !== entries || map.size !== entries) {
        throw new Error(`${name}: ${entries} entries expected; ours has ${index.entries()}, the peer ${map.size}`);
      }
      let reasons = 0;
      for (const [hex, entry] of map) {
        const found = index.lookup(hexBytes(hex));
        if (found === null) throw new Error(`${name}: ours does not list ${hex}`);
        if ((found.reason === undefined) !== (entry.reason === undefined)) {
          throw new Error(`${name}: ${hex}: ours says reason ${found.reason}, the peer ${entry.reason}`);
        }
        if (found.reason !== undefined) reasons++;
      }
      const listed = [...map.keys()];
      const step = listed.length / (LOOKUPS / 2);
      const keys = [];
      for (let i = 0; i < LOOKUPS / 2; i++) keys.push(listed[Math.floor(i * step)]);
      const random = bytesFrom(entries);
      while (keys.length < LOOKUPS) {
        const serial = random(16 + (keys.length % 5));
        serial[0] = 1 + (serial[0] % 0x7f);
        const hex = hexOf(serial);
        if (map.has(hex)) continue;
        keys.push(hex);
      }
      // Interleaved, listed and not.
      const order = keys.map((hex, i) => ({ hex, i: (i * 7919) % LOOKUPS })).sort((a, b) => a.i - b.i).map((k) => k.hex);
      const queries = order.map((hex) => ({ hex, bytes: hexBytes(hex), listed: map.has(hex) }));
      if (queries.some((q) => index.contains(q.bytes) !== q.listed)) throw new Error(`${name}: ours and the peer disagree on a lookup`);
      state[name] = { index, map, queries };
      return { entries, with_reason: reasons, peer_first_ms: peerFirstMs };
    },

    /** Reads `name` for at least `ms` milliseconds, untimed. */
    async warmUp(name, ms) {
      const until = performance.now() + ms;
      let n = 0;
      while (performance.now() < until) {
        (await ours(lists[name])).free();
        n++;
      }
      return n;
    },

    /** ms per CrlIndex.read of `name`, `rounds` single reads. */
    async ours(name, rounds) {
      const samples = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        const index = await ours(lists[name]);
        samples.push(performance.now() - t0);
        index.free();
      }
      return summary(samples);
    },

    /**
     * The floor: the bare crypto.subtle.verify the list needs (hashing the
     * TBSCertList and the P-256 verification), and copying its bytes once
     * (the glue's first step is a copy into the module's memory).
     */
    async floor(name, rounds) {
      const { tbs, signature } = signedParts(lists[name]);
      const verify = [];
      const copy = [];
      const into = new Uint8Array(lists[name].length);
      for (let r = 0; r < rounds; r++) {
        let t0 = performance.now();
        const ok = await crypto.subtle.verify(ECDSA_SHA256, key, signature, tbs);
        verify.push(performance.now() - t0);
        if (!ok) throw new Error(`${name}: the bare WebCrypto check fails`);
        t0 = performance.now();
        into.set(lists[name]);
        copy.push(performance.now() - t0);
      }
      return { webcrypto: summary(verify), copy: summary(copy) };
    },

    /** ms of one peer read of `name`. */
    async peerOnce(name) {
      const t0 = performance.now();
      const map = await peer(lists[name]);
      const ms = performance.now() - t0;
      if (map.size !== state[name].map.size) throw new Error(`${name}: the peer's index changed`);
      return ms;
    },

    /**
     * µs per lookup in the lists already read, over the 10,000 keys of
     * `check`, median of 15 passes after 1 s of untimed passes each:
     * ours `contains` (serial bytes in, a boolean out) and `lookup` (the
     * entry as an object), the peer's Map.has on the serial's hex, as
     * @peculiar/x509 gives a certificate's serialNumber.
     */
    async lookups(name) {
      const { index, map, queries } = state[name];
      const passes = (fn) => {
        const until = performance.now() + 1000;
        while (performance.now() < until) fn();
        const perLookup = [];
        for (let r = 0; r < 15; r++) {
          const t0 = performance.now();
          fn();
          perLookup.push(((performance.now() - t0) * 1000) / queries.length);
        }
        return median(perLookup);
      };
      let hits = 0;
      const oursUs = passes(() => {
        for (const q of queries) if (index.contains(q.bytes)) hits++;
      });
      const entryUs = passes(() => {
        for (const q of queries) if (index.lookup(q.bytes) !== null) hits++;
      });
      const peerUs = passes(() => {
        for (const q of queries) if (map.has(q.hex)) hits++;
      });
      return { ours_us: oursUs, ours_entry_us: entryUs, peer_us: peerUs, keys: queries.length, hits };
    },

    /** Drops what `check` kept. */
    release(name) {
      state[name]?.index.free();
      delete state[name];
    },
  };
}
