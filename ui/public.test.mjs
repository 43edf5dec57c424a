// The public dashboard (dist/public, built by scripts/build-public.mjs) in
// headless Chromium, kept off the network (scripts/browser/launch.mjs).
//
// The collector's own tests cover its API; here a stand-in on 127.0.0.1
// serves one fixed aggregates document (its days placed relative to the
// range the page asks for), so the page's reading and drawing are tested
// alone: the charts are drawn, the responder table lists the CA domains,
// suppressed counts read as suppressed, rates are right for a known input,
// and each failure (unreachable, not JSON, another schema) is a sentence on
// the page. Screenshots go to out/test/public/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scripts/browser/launch.mjs';
import { axeViolations } from '../scripts/browser/axe.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/public');
const shots = join(root, 'out/test/public');
mkdirSync(shots, { recursive: true });

// ---------------------------------------------------------------------------
// The document: labels as crate/src/telemetry/report.rs makes them.

const PATHS = ['OneCRL', 'CRLite', 'ShortValidity', 'StapledOCSP', 'CachedOCSP', 'OCSP', 'MustStaple',
  'NoRevocationInfo', 'PolicySkipped', 'BrowserBlocked', 'NotInspected', 'EvaluationError'];
const CLASSES = ['good', 'revoked', 'unknown', 'timeout', 'network', 'http-status', 'malformed', 'try-later',
  'unauthorized', 'bad-signature', 'responder-error', 'invalid'];
const LATENCY = Array.from({ length: 16 }, (_, i) => `${i === 0 ? 0 : 2 ** (i - 1)}ms`);
const DOMAINS = ['digicert.com', 'geotrust.com', 'thawte.com', 'rapidssl.com', 'sectigo.com', 'usertrust.com',
  'comodoca.com', 'lencr.org', 'pki.goog', 'globalsign.com', 'amazontrust.com', 'entrust.net', 'godaddy.com',
  'starfieldtech.com', 'microsoft.com', 'msocsp.com', 'apple.com', 'certum.pl', 'ssl.com', 'harica.gr',
  'buypass.com', 'actalis.it', 'identrust.com', 'swisssign.net', 'other'];
const CRL_CLASSES = ['ok', 'timeout', 'network', 'http-status', 'too-large', 'malformed', 'bad-signature', 'wrong-issuer',
  'stale', 'out-of-scope', 'unsupported', 'other'];
const SECTIONS = {
  paths: PATHS,
  live_not_asked: ['off', 'policy', 'not-possible'],
  live_outcomes: CLASSES,
  live_methods: ['GET', 'POST'],
  live_latency: LATENCY,
  hard_fail: ['accept', 'block-revoked', 'block-unknown', 'block-offline', 'block-error', 'undetermined'],
  crlite: ['no_filter', 'not_covered', 'not_enrolled', 'not_revoked', 'revoked_in_filter'],
  browser_ocsp: ['known', 'used'],
  responder_outcomes: DOMAINS.flatMap((d) => CLASSES.map((c) => `${d}/${c}`)),
  responder_latency: DOMAINS.flatMap((d) => LATENCY.map((l) => `${d}/${l}`)),
  // Schema 2.
  more_paths: ['CRL'],
  revocation_info: ['ocsp-only', 'crl-only', 'both', 'neither'],
  crl_outcomes: CRL_CLASSES,
  crl_latency: LATENCY,
  crl_cache: ['hit'],
  crl_host_outcomes: DOMAINS.flatMap((d) => CRL_CLASSES.map((c) => `${d}/${c}`)),
};
/** Schema 1's sections: the first ten. */
const SCHEMA_1 = Object.keys(SECTIONS).slice(0, 10);
const K = 5;

/** A day's counts from {section: {label: cell}}; every other cell 0. */
function counts(cells) {
  return Object.fromEntries(Object.entries(SECTIONS).map(([name, labels]) => [name, labels.map((l) => {
    const v = cells[name]?.[l];
    return v === undefined ? 0 : v;
  })]));
}

const dayBefore = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The range asked for (schema 2, or a schema-1 collector's document), with two published days, the one
 * between them held back (fewer than k reports).
 * Day A, all known: 120 page loads, 110 evaluated, live OCSP needed by
 * 10 not asked + 20 asked = 30 (usage 30/110), 4 of the 20 failed (20%).
 * Day B has suppressed cells: OneCRL (so evaluated, and usage), the
 * "invalid" outcome (so asked, and the failure rate), MustStaple (0 on A:
 * suppressed over the range), sectigo.com's only count.
 * The leaves' revocation information (schema 2's reports: 7 of A's 12, all 6
 * of B's) is all known: 100 OCSP only, 13 CRL only, 38 both, 9 neither.
 */
function aggregates(from, to, schema = 2) {
  const A = dayBefore(to, 2);
  const B = to;
  const dayA = counts({
    paths: { OneCRL: 3, CRLite: 36, ShortValidity: 10, StapledOCSP: 20, CachedOCSP: 5, OCSP: 30, NoRevocationInfo: 2, BrowserBlocked: 4, NotInspected: 6 },
    more_paths: { CRL: 4 },
    revocation_info: { 'ocsp-only': 70, 'crl-only': 8, 'both': 26, 'neither': 6 },
    crl_outcomes: { ok: 3, timeout: 1 },
    crl_cache: { hit: 2 },
    live_not_asked: { off: 10 },
    live_outcomes: { good: 15, revoked: 1, timeout: 3, network: 1 },
    live_methods: { GET: 20 },
    live_latency: { '64ms': 5, '128ms': 10, '256ms': 4, '16384ms': 1 },
    hard_fail: { 'accept': 100, 'block-revoked': 1, 'block-offline': 4, 'undetermined': 5 },
    crlite: { not_revoked: 38, revoked_in_filter: 2, not_covered: 10 },
    browser_ocsp: { known: 50, used: 5 },
    responder_outcomes: { 'lencr.org/good': 10, 'lencr.org/timeout': 3, 'digicert.com/good': 5, 'digicert.com/revoked': 1, 'digicert.com/network': 1 },
    responder_latency: { 'lencr.org/128ms': 8, 'lencr.org/256ms': 4, 'lencr.org/16384ms': 1, 'digicert.com/64ms': 5, 'digicert.com/128ms': 2 },
  });
  const dayB = counts({
    paths: { OneCRL: null, CRLite: 20, ShortValidity: 5, StapledOCSP: 10, CachedOCSP: 3, OCSP: 12, MustStaple: null, NotInspected: null },
    live_not_asked: { off: 2 },
    live_outcomes: { good: 8, timeout: 2, invalid: null },
    live_methods: { GET: 10, POST: null },
    live_latency: { '128ms': 7, '256ms': 3, '512ms': null },
    hard_fail: { 'accept': 45, 'block-offline': 2, 'undetermined': null },
    crlite: { not_revoked: 20, not_covered: null },
    browser_ocsp: { known: 30, used: 2 },
    responder_outcomes: { 'lencr.org/good': 8, 'lencr.org/timeout': 2, 'sectigo.com/invalid': null },
    responder_latency: { 'lencr.org/128ms': 7, 'lencr.org/256ms': 3, 'sectigo.com/512ms': null },
    revocation_info: { 'ocsp-only': 30, 'crl-only': 5, 'both': 12, 'neither': 3 },
  });
  const names = schema === 1 ? SCHEMA_1 : Object.keys(SECTIONS);
  const only = (c) => Object.fromEntries(names.map((name) => [name, c[name]]));
  return {
    schema, k: K, from, to,
    sections: names.map((name) => ({ name, labels: SECTIONS[name] })),
    days: [
      { day: A, reports: 12, ...(schema === 2 ? { reports_by_schema: { 1: 5, 2: 7 } } : {}), counts: only(dayA) },
      { day: B, reports: 6, ...(schema === 2 ? { reports_by_schema: { 2: 6 } } : {}), counts: only(dayB) },
    ],
  };
}

// ---------------------------------------------------------------------------
// Servers: the built page on its own origin, and the stand-in collector,
// which also serves the page under /dashboard/ as the real one does.

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** dist/public's file for `path` (under `prefix`), or null. */
function distFile(path, prefix) {
  if (!path.startsWith(prefix)) return null;
  const rel = normalize(path.slice(prefix.length) || 'public.html');
  const file = join(dist, rel);
  return !rel.startsWith('..') && existsSync(file) ? file : null;
}

function sendFile(res, file) {
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
const origin = (server) => `http://127.0.0.1:${server.address().port}`;

let pages;
let collector;
let closedPort;
let browser;
/** The aggregates queries the stand-in answered, newest last. */
const asked = [];
const violations = [];

before(async () => {
  assert.ok(existsSync(join(dist, 'public.js')), 'dist/public is missing: run node scripts/build-public.mjs');
  pages = await listen((req, res) => {
    const file = distFile(new URL(req.url, 'http://x').pathname, '/');
    if (file) sendFile(res, file);
    else res.writeHead(404).end();
  });
  collector = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    const cors = { 'access-control-allow-origin': '*' };
    const file = distFile(url.pathname, '/dashboard/');
    if (file) return sendFile(res, file);
    const json = { 'content-type': 'application/json', ...cors };
    if (url.pathname === '/v1/aggregates') {
      asked.push(Object.fromEntries(url.searchParams));
      return res.writeHead(200, json).end(JSON.stringify(aggregates(url.searchParams.get('from'), url.searchParams.get('to'))));
    }
    if (url.pathname === '/schema-1/v1/aggregates') {
      return res.writeHead(200, json).end(JSON.stringify(aggregates(url.searchParams.get('from'), url.searchParams.get('to'), 1)));
    }
    if (url.pathname === '/not-json/v1/aggregates') return res.writeHead(200, cors).end('<html>a login page</html>');
    if (url.pathname === '/schema-3/v1/aggregates') return res.writeHead(200, json).end('{"schema":3}');
    if (url.pathname === '/broken/v1/aggregates') return res.writeHead(503, cors).end('down');
    res.writeHead(404, cors).end();
  });
  // A port nobody listens on.
  const gone = await listen(() => {});
  closedPort = gone.address().port;
  await new Promise((resolve) => gone.close(resolve));
  browser = await launch('chromium', { roots: [], hosts: [], profile: mkdtempSync(join(tmpdir(), 'revoscope-public-')) });
});

after(async () => {
  await browser?.close();
  rmSync(browser?.profile ?? '/nonexistent', { recursive: true, force: true });
  pages?.close();
  collector?.close();
});

const settled = (page) => page.waitForFunction(
  () => ['ready', 'empty', 'error', 'idle'].includes(document.getElementById('dashboard').dataset.state), { timeout: 20_000 });

/** Opens `url`, waits for the page to settle (and again after `act`, if any), screenshots it, and reads what it shows. */
async function open(url, shot, act) {
  const page = await browser.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewport({ width: 1100, height: 900 });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  try {
    await page.goto(url);
    await settled(page);
    if (act) {
      await act(page);
      await settled(page);
    }
    if (shot) await page.screenshot({ path: join(shots, shot), fullPage: true });
    const shown = await page.evaluate(() => {
      const text = (sel) => document.querySelector(sel)?.textContent.trim() ?? null;
      const value = (sel) => {
        const v = document.querySelector(sel)?.dataset.value;
        return v === undefined || v === '' ? null : Number(v);
      };
      // A responder row by column: its words, and its number when known.
      const row = (sel) => {
        const tr = document.querySelector(sel);
        const cols = ['domain', 'attempts', 'failures', 'failureRate', 'p50', 'p95', 'classes'];
        return tr && Object.fromEntries([...tr.children].map((td, i) => {
          const v = td.querySelector('[data-value]')?.dataset.value;
          return [cols[i], { text: td.textContent.trim(), value: v === undefined || v === '' ? null : Number(v) }];
        }));
      };
      return {
        state: document.getElementById('dashboard').dataset.state,
        collector: document.getElementById('collector').value,
        address: location.search,
        error: text('#error'),
        ask: text('#ask'),
        canvases: document.querySelectorAll('.chart canvas').length,
        charts: document.querySelectorAll('.chart').length,
        reports: value('#reports-total'),
        heldBack: value('#held-back'),
        evaluated: { text: text('#evaluated'), value: value('#evaluated') },
        usage: { text: text('#usage-rate'), value: value('#usage-rate') },
        failure: { text: text('#failure-rate'), value: value('#failure-rate') },
        browserOcsp: value('#browser-ocsp-rate'),
        domains: [...document.querySelectorAll('#responder-table tbody tr')].map((tr) => tr.dataset.domain),
        lencr: row('#responder-table tr[data-domain="lencr.org"]'),
        digicert: row('#responder-table tr[data-domain="digicert.com"]'),
        sectigo: row('#responder-table tr[data-domain="sectigo.com"]'),
        days: Object.fromEntries([...document.querySelectorAll('#per-day tbody tr')].map((tr) => [tr.dataset.day, {
          held: tr.classList.contains('held'),
          usage: tr.querySelector('.usage') && { text: tr.querySelector('.usage').textContent, value: tr.querySelector('.usage').dataset.value },
          failure: tr.querySelector('.failure') && { text: tr.querySelector('.failure').textContent, value: tr.querySelector('.failure').dataset.value },
        }])),
        paths: Object.fromEntries([...document.querySelectorAll('#path-table tr[data-path]')].map((tr) => {
          const cell = tr.querySelector('td:nth-child(3) span');
          return [tr.dataset.path, { text: cell.textContent, suppressed: cell.classList.contains('suppressed'), title: cell.title }];
        })),
        // The leaves' revocation information: each label's leaves and share.
        mix: Object.fromEntries([...document.querySelectorAll('#revocation-info-table tr[data-info]')].map((tr) => [tr.dataset.info, {
          leaves: tr.querySelector('td:nth-child(3)').textContent, share: tr.querySelector('td:nth-child(4)')?.textContent ?? null,
        }])),
        mixText: text('#revocation-info'),
        schema2Reports: value('#schema-2-reports'),
        p50: text('#p50'),
        key: text('#suppression-key'),
        violations: window.__violations ?? [],
      };
    });
    return { ...shown, errors };
  } finally {
    await page.close();
  }
}

const today = () => new Date().toISOString().slice(0, 10);
const near = (a, b) => a !== null && Math.abs(a - b) < 1e-9;

// ---------------------------------------------------------------------------

test('the page draws the aggregates of a collector named in the address', async () => {
  const shown = await open(`${origin(pages)}/public.html?collector=${encodeURIComponent(origin(collector))}&days=7`, 'public.png');
  assert.deepEqual(shown.errors, []);
  assert.deepEqual(shown.violations, [], 'nothing breaks the page\'s CSP');
  assert.equal(shown.state, 'ready', JSON.stringify(shown));
  // Seven UTC days ending today.
  assert.deepEqual(asked.at(-1), { from: dayBefore(today(), 6), to: today() });
  // Reports per day, rates per day, paths per day, the revocation-information mix per day, latency.
  assert.equal(shown.charts, 5);
  assert.ok(shown.canvases >= 5, `${shown.canvases} canvases`);
  assert.equal(shown.reports, 18);
  assert.equal(shown.heldBack, 5, 'five of the seven days are held back');

  // Day A is all known: usage 30/110, failures 4/20.
  const A = shown.days[dayBefore(today(), 2)];
  assert.ok(near(Number(A.usage.value), 30 / 110), JSON.stringify(A));
  assert.equal(A.usage.text, '27%');
  assert.ok(near(Number(A.failure.value), 4 / 20), JSON.stringify(A));
  assert.equal(A.failure.text, '20%');
  // Day B's OneCRL and "invalid" counts are suppressed: no rate.
  const B = shown.days[today()];
  assert.deepEqual([B.usage.text, B.usage.value, B.failure.text, B.failure.value], ['not computed', '', 'not computed', '']);
  assert.equal(shown.days[dayBefore(today(), 1)].held, true);
  // Over the range the same: a lower bound, and no rate.
  assert.deepEqual(shown.evaluated, { text: '≥ 160', value: null });
  assert.deepEqual(shown.usage, { text: 'not computed', value: null });
  assert.deepEqual(shown.failure, { text: 'not computed', value: null });
  assert.ok(near(shown.browserOcsp, 7 / 80), 'Firefox\'s own OCSP: all known');

  // A count suppressed on every day it was not zero reads as suppressed, never 0.
  assert.equal(shown.paths.MustStaple.text, 'suppressed');
  assert.ok(shown.paths.MustStaple.suppressed);
  assert.match(shown.paths.MustStaple.title, /fewer than k = 5 reports/);
  assert.equal(shown.paths.OneCRL.text, '≥ 3');
  assert.equal(shown.paths.CRLite.text, '56');
  // Schema 2's CRL path joins schema 1's: pages and evaluated count it.
  assert.equal(shown.paths.CRL.text, '4');

  // The mix, from the schema-2 reports: all known, so shares.
  assert.equal(shown.schema2Reports, 13);
  assert.deepEqual(shown.mix, {
    'ocsp-only': { leaves: '100', share: '63%' },
    'both': { leaves: '38', share: '24%' },
    'crl-only': { leaves: '13', share: '8.1%' },
    'neither': { leaves: '9', share: '5.6%' },
  });
  assert.equal(shown.paths.PolicySkipped.text, '0');
  assert.match(shown.key, /suppressed: fewer than k = 5 reports/);

  // Responders by CA domain: lencr.org all known (23 attempts, 5 failures,
  // median in the 128–256 ms bucket: 128 + 128 × 11.5/15).
  assert.deepEqual(shown.domains, ['lencr.org', 'digicert.com', 'sectigo.com']);
  assert.equal(shown.lencr.attempts.value, 23);
  assert.equal(shown.lencr.failures.value, 5);
  assert.ok(near(shown.lencr.failureRate.value, 5 / 23));
  assert.equal(shown.lencr.p50.text, '≈ 226 ms');
  assert.ok(near(shown.lencr.p50.value, 128 + 128 * 11.5 / 15));
  // p95: 21.85 of 23 falls in the 256–512 ms bucket, 6.85 into its 7.
  assert.ok(near(shown.lencr.p95.value, 256 + 256 * 6.85 / 7));
  assert.equal(shown.digicert.attempts.value, 7);
  assert.equal(shown.digicert.p50.text, '≈ 109 ms');
  assert.equal(shown.sectigo.attempts.text, 'suppressed');
  assert.equal(shown.sectigo.failureRate.text, 'not computed');
  assert.equal(shown.sectigo.p50.text, 'not computed');
  // The range's latency has a suppressed bucket: no percentile.
  assert.match(shown.p50, /not computed/i);
});

test("a schema-1 collector's aggregates are drawn, without the revocation-information mix", async () => {
  const shown = await open(`${origin(pages)}/public.html?collector=${encodeURIComponent(`${origin(collector)}/schema-1`)}&days=7`, 'public-schema-1.png');
  assert.deepEqual(shown.errors, []);
  assert.equal(shown.state, 'ready', JSON.stringify(shown));
  assert.equal(shown.charts, 4, 'no chart of the mix');
  assert.match(shown.mixText, /answers in schema 1/);
  assert.deepEqual(shown.mix, {});
  assert.equal(shown.paths.CRL, undefined, 'no CRL path in schema 1');
  assert.equal(shown.paths.CRLite.text, '56');
  // Without schema 2's CRL path (this stand-in's schema-1 document drops it), day A evaluated 106.
  const A = shown.days[dayBefore(today(), 2)];
  assert.ok(near(Number(A.usage.value), 30 / 106), JSON.stringify(A));
});

test('served by the collector under /dashboard/, the page asks its own origin', async () => {
  const shown = await open(`${origin(collector)}/dashboard/`, 'public-own-origin.png');
  assert.equal(shown.state, 'ready', JSON.stringify(shown.error));
  assert.equal(shown.collector, origin(collector));
  // Thirty days by default.
  assert.deepEqual(asked.at(-1), { from: dayBefore(today(), 29), to: today() });
  assert.equal(shown.address, '');
});

test('choosing another range asks again and keeps the choice in the address', async () => {
  const shown = await open(`${origin(pages)}/public.html?collector=${encodeURIComponent(origin(collector))}`, 'public-90-days.png',
    (page) => page.select('#range', '90'));
  assert.equal(shown.state, 'ready');
  assert.deepEqual(asked.at(-1), { from: dayBefore(today(), 89), to: today() });
  assert.equal(shown.heldBack, 88);
  assert.equal(new URLSearchParams(shown.address).get('days'), '90');
  assert.equal(new URLSearchParams(shown.address).get('collector'), origin(collector));
});

test('without a collector the page asks for one', async () => {
  const shown = await open(`${origin(pages)}/public.html`);
  assert.equal(shown.state, 'idle');
  assert.match(shown.ask, /address of a revoscope collector/);
});

test('an unreachable collector, an answer that is not JSON, or another schema is said in a sentence', async () => {
  const cases = [
    [`http://127.0.0.1:${closedPort}`, /^The collector could not be reached at http:\/\/127\.0\.0\.1:\d+\/v1\/aggregates\?from=.*\(Failed to fetch\)\. Check the address/, 'public-unreachable.png'],
    [`${origin(collector)}/not-json`, /^The collector's answer at .*\/not-json\/v1\/aggregates\?.* is not JSON \(.*\): is this the collector's address\?$/],
    [`${origin(collector)}/schema-3`, /is in schema 3; this page reads schemas 1 and 2\.$/],
    [`${origin(collector)}/broken`, /^The collector answered HTTP 503 .* at .*\/broken\/v1\/aggregates/],
    ['ftp://collector.example', /^“ftp:\/\/collector\.example” is not a collector address/],
  ];
  for (const [address, sentence, shot] of cases) {
    const shown = await open(`${origin(pages)}/public.html?collector=${encodeURIComponent(address)}`, shot);
    assert.equal(shown.state, 'error', address);
    assert.match(shown.error, sentence);
    assert.equal(shown.canvases, 0);
  }
});

test('axe-core: no serious or critical violation, drawn and in its error and idle states, in Chromium and Firefox', async () => {
  const urls = [
    `${origin(pages)}/public.html?collector=${encodeURIComponent(origin(collector))}&days=7`,
    `${origin(pages)}/public.html?collector=${encodeURIComponent(`${origin(collector)}/broken`)}`,
    `${origin(pages)}/public.html`,
  ];
  const firefox = await launch('firefox', { roots: [], hosts: [], profile: mkdtempSync(join(tmpdir(), 'revoscope-public-ff-')) });
  try {
    for (const b of [browser, firefox]) {
      for (const url of urls) {
        const page = await b.browser.newPage();
        await page.setViewport({ width: 1100, height: 900 });
        await page.goto(url);
        await settled(page);
        assert.deepEqual(await axeViolations(page), [], `${b.kind}: ${url}`);
        await page.close();
      }
    }
  } finally {
    await firefox.close();
    rmSync(firefox.profile, { recursive: true, force: true });
  }
});
