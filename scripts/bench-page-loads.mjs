// Page loads for the telemetry benchmarks (scripts/bench.mjs and
// scripts/bench-dashboard.mjs): seeded, so every run counts the same, and
// shaped as Engine.inspect hands them over (crate/engine/src/telemetry/event.rs).

/** mulberry32: a seeded PRNG. */
export function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One page load; `ask`, a responder host to ask for certain (else a third
 * of page loads ask one of `hosts`). */
export function samplePageLoad(rand, hosts, ask) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const ca = { ca_paths: pick([['OneCRL'], ['OneCRL', 'OneCRL'], ['CRLite']]) };
  const firefox = { browser_used_ocsp: rand() < 0.3 };
  // What CRLite said of the leaf (Firefox's crlite_status labels): asked on
  // every evaluated page once filters are in, as in telemetry-only mode.
  const crlite = (path) => ({
    crlite: path === 'CRLite' ? 'not_revoked'
      : pick(['not_revoked', 'not_revoked', 'not_revoked', 'not_revoked', 'not_covered', 'not_enrolled', 'no_filter']),
  });
  const r = rand();
  if (ask || r < 0.35) {
    // Mostly answers; failures of every kind now and then, so every chart
    // and table has something to show.
    const cls = rand() < 0.85 ? 'good' : pick(['timeout', 'network', 'http-status', 'malformed', 'try-later', 'unknown', 'revoked', 'invalid']);
    const hardFail = { good: 'accept', revoked: 'block-revoked', unknown: 'block-unknown' }[cls] ?? 'block-offline';
    return {
      path: 'OCSP', ...ca, ...crlite('OCSP'), hard_fail: hardFail, ...firefox,
      live: { kind: 'asked', host: ask ?? pick(hosts), method: rand() < 0.9 ? 'GET' : 'POST',
        elapsed_ms: cls === 'timeout' ? 10_000 : Math.round(8 * 2 ** (rand() * 8)), class: cls },
    };
  }
  if (r < 0.45) return { path: 'OCSP', ...ca, ...crlite('OCSP'), live: { kind: 'not-asked', reason: 'off' }, hard_fail: 'undetermined', ...firefox };
  if (r < 0.47) return { path: 'PolicySkipped', ...ca, ...crlite('PolicySkipped'), live: { kind: 'not-asked', reason: 'policy' }, hard_fail: 'undetermined', ...firefox };
  if (r < 0.95) {
    const path = pick(['ShortValidity', 'CRLite', 'CRLite', 'StapledOCSP', 'StapledOCSP', 'CachedOCSP', 'NoRevocationInfo', 'OneCRL']);
    return { path, ...ca, ...crlite(path), live: { kind: 'not-needed' }, hard_fail: 'accept', ...firefox };
  }
  return { path: pick(['NotInspected', 'BrowserBlocked', 'EvaluationError']), live: { kind: 'not-needed' } };
}
