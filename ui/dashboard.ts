// The telemetry dashboard: live-OCSP usage and failures over time, the path
// mix, latency, responders, the hard-fail breakage estimate and the OneCRL
// snapshot, from the background's summary of the stored days.
const started = performance.now();

import { ext, isFirefox } from '../extension/src/api';
import type {
  Counts, CrlClass, CrlHostRow, DayRow, HardFail, NotAsked, ResponderRow, RevocationInfo, Summary, TelemetryExport, TelemetryReply,
} from '../extension/src/telemetry-types';
import { ask } from './ask';
import { ChartSet, type Layer, percentLines, readTheme, stackedDayBars, bucketBars, type Theme } from './charts';
import {
  card, chartHost, DEFAULT_DAYS, type Draft, drawCharts, followLayout, newDraft, RANGE_CHOICES, section, stackBar, stat, swatch,
} from './dashboard-parts';
import { $, facts, h } from './dom';
import { bucketNames, percentileMarkers } from './latency';
import { onecrlBox } from './onecrl-view';
import {
  CRL_CLASS_COLORS, CRL_CLASS_WORDS, CRLITE_LABELS, dataValue, FAILURE_WORDS, FIREFOX_LABELS, HARD_FAIL_PARTS, isFailure, msWords,
  NOT_ASKED_WORDS, num, PATHS, plural, REVOCATION_INFO, REVOCATION_INFO_WORDS, SOFT_FAIL_WORDS, utcSecs,
} from './telemetry-words';
import { percentWords as percent } from './words';

// ---------------------------------------------------------------------------
// Talking to the background

function summaryOf(days: number): Promise<TelemetryReply> {
  return ask({ type: 'telemetry-summary', days });
}

/** Offers `file` as a download, without any page navigation. */
function download(file: TelemetryExport): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
  const link = h('a', { href: url, download: file.filename });
  document.body.append(link);
  link.click();
  link.remove();
  // Firefox reads the blob after click() returns: revoke only later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------------------
// Numbers in words

const count = <K extends string>(c: Counts<K>, key: K) => c[key] ?? 0;

/** "timeout 2, http-status 1" for the keys present, most first. */
function countsWords<K extends string>(counts: Counts<K>, keep: (k: K) => boolean = () => true): string {
  return (Object.entries(counts) as [K, number][])
    .filter(([k, n]) => keep(k) && n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${num(n)}`)
    .join(', ');
}

// ---------------------------------------------------------------------------
// Sections. Each returns its element; charts are queued as jobs and drawn
// once the sections are in the page and the width is known.

function headline(s: Summary): HTMLElement {
  const { live, pages, browser_ocsp_known: known } = s.totals;
  const withoutVerdict = pages - live.evaluated;
  const cards = h('div', { class: 'stats' },
    card('Page loads evaluated', stat('evaluated', live.evaluated, num(live.evaluated)),
      `of ${plural(pages, 'HTTPS page load')} seen`,
      withoutVerdict > 0 ? `; ${num(withoutVerdict)} without a verdict (not inspected, blocked by the browser, or not evaluable)` : ''),
    card('Live OCSP usage', stat('usage-rate', live.usage_rate, percent(live.usage_rate)),
      stat('needed', live.needed, num(live.needed)), ` of ${plural(live.evaluated, 'page load')} needed a live OCSP answer`),
    card('Live OCSP failures', stat('failure-rate', live.failure_rate, percent(live.failure_rate)),
      stat('failures', live.failures, num(live.failures)), ' of ', stat('asked', live.asked, num(live.asked)),
      live.asked === 0 ? ' requests: none was made' : ` ${live.asked === 1 ? 'request' : 'requests'} got no usable answer`),
    known > 0 ? card('Firefox\'s own live OCSP', stat('browser-ocsp-rate', s.totals.browser_ocsp_rate, percent(s.totals.browser_ocsp_rate)),
      `Firefox itself asked a responder on ${num(s.totals.browser_ocsp_used)} of ${plural(known, 'handshake')} where it said`) : '');
  return h('section', { id: 'headline' }, cards, liveDetail(s));
}

/** Why live OCSP was not asked, what the answers were, and by which HTTP method. */
function liveDetail(s: Summary): HTMLElement {
  const { live, live_not_asked: notAsked, live_outcomes: outcomes, live_methods: methods } = s.totals;
  const notAskedTotal = live.needed - live.asked;
  const reasons = (Object.keys(NOT_ASKED_WORDS) as NotAsked[])
    .filter((r) => count(notAsked, r) > 0)
    .map((r) => h('li', { 'data-reason': r, 'data-count': String(count(notAsked, r)) }, `${num(count(notAsked, r))}: ${NOT_ASKED_WORDS[r]}`));
  const answers = countsWords(outcomes, (c) => !isFailure(c));
  const failures = countsWords(outcomes, isFailure);
  return h('div', { class: 'live-detail' },
    notAskedTotal > 0 ? h('div', { id: 'not-asked' },
      h('p', {}, `Needed live OCSP but not asked: ${plural(notAskedTotal, 'page load')}, because`),
      h('ul', {}, ...reasons)) : null,
    live.needed > 0 && notAskedTotal === 0 ? h('p', { id: 'not-asked' }, 'Every page load that needed live OCSP asked.') : null,
    live.asked > 0 ? h('p', { id: 'outcomes' },
      `Answers: ${answers || 'none'}. No usable answer: ${failures || 'none'}.`) : null,
    live.asked > 0 ? h('p', { id: 'methods', 'data-get': String(count(methods, 'GET')), 'data-post': String(count(methods, 'POST')) },
      `Requests sent by GET: ${num(count(methods, 'GET'))}; by POST: ${num(count(methods, 'POST'))}.`) : null);
}

const LIVE_OFF_WORDS = 'Live OCSP is off by default: each request tells the certificate authority which site you visit. Turn it on in the options to measure responders.';

function ratesSection(s: Summary, draft: Draft): HTMLElement {
  const live = s.totals.live;
  const title = 'Live OCSP per day';
  if (live.evaluated === 0) {
    return section('rates', title, h('p', { class: 'empty' },
      'No page load got a verdict in this range, so there is no rate to draw. Each day with evaluated page loads will show the share that needed live OCSP, and the share of requests that failed.'));
  }
  const days = s.days.map((d) => utcSecs(d.day));
  const toPercent = (r: number | null) => (r === null ? null : r * 100);
  const chart = chartHost(draft, 'Live OCSP usage and failure rates per day', (host) => (set, width, theme) =>
    percentLines(set, host, width, theme, days, [
      { label: 'Usage (needed / evaluated)', color: theme.link, values: s.days.map((d) => toPercent(d.live.usage_rate)) },
      { label: 'Failures (failed / asked)', color: theme.bad, values: s.days.map((d) => toPercent(d.live.failure_rate)) },
    ]));
  return section('rates', title,
    h('p', { class: 'muted' }, 'Usage: of the page loads evaluated that day, the share whose ladder needed a live OCSP answer. Failures: of the live requests made that day, the share without a usable answer. Days without data are gaps.'),
    chart,
    live.asked === 0 ? h('p', { class: 'empty' }, `No live OCSP request in this range: the failure line stays empty. ${LIVE_OFF_WORDS}`) : null,
    perDayTable(s.days));
}

function perDayTable(days: DayRow[]): HTMLElement {
  const rows = days.filter((d) => d.pages > 0).map((d) => h('tr', { 'data-day': d.day },
    h('td', {}, d.day), h('td', { class: 'num' }, num(d.pages)), h('td', { class: 'num' }, num(d.live.evaluated)),
    h('td', { class: 'num' }, num(d.live.needed)), h('td', { class: 'num' }, percent(d.live.usage_rate)),
    h('td', { class: 'num' }, num(d.live.asked)), h('td', { class: 'num' }, num(d.live.failures)),
    h('td', { class: 'num' }, percent(d.live.failure_rate))));
  const heads = ['Day (UTC)', 'Page loads', 'Evaluated', 'Needed live OCSP', 'Usage', 'Asked', 'Failed', 'Failure rate'];
  return h('details', {}, h('summary', {}, `Per-day numbers (${plural(rows.length, 'day')} with data)`),
    h('table', { id: 'per-day' },
      h('thead', {}, h('tr', {}, ...heads.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
      h('tbody', {}, ...rows)));
}

function pathsSection(s: Summary, draft: Draft): HTMLElement {
  const { paths, ca_paths: caPaths, pages } = s.totals;
  const title = 'Which path decided';
  if (pages === 0) {
    return section('paths', title, h('p', { class: 'empty' },
      'No page load in this range. Each one will count under the path that decided its leaf certificate: OneCRL, CRLite, a short lifetime, a stapled or cached OCSP answer, live OCSP, and so on.'));
  }
  const rows = PATHS.map(([path, color, meaning], i) => {
    const n = count(paths, path);
    return h('tr', { 'data-path': path, 'data-count': String(n), 'data-ca-count': String(count(caPaths, path)), class: n ? '' : 'zero' },
      h('td', {}, swatch(color), h('code', {}, path), i < FIREFOX_LABELS ? h('sup', { class: 'muted', title: 'a Firefox label' }, ' FF') : null),
      h('td', {}, meaning),
      h('td', { class: 'num' }, num(n)),
      h('td', { class: 'num' }, n ? percent(n / pages) : ''),
      h('td', { class: 'num' }, count(caPaths, path) ? num(count(caPaths, path)) : ''));
  });
  const present = PATHS.filter(([path]) => s.days.some((d) => count(d.paths, path) > 0));
  const layers: Layer[] = present.map(([path, color]) => ({ label: path, color, counts: s.days.map((d) => count(d.paths, path)) }));
  const days = s.days.map((d) => utcSecs(d.day));
  return section('paths', title,
    h('p', { class: 'muted' }, 'The step that decided each page load\'s leaf certificate. The first six labels (FF) are as in Firefox\'s cert_verifier.cert_revocation_mechanisms; the others are revoscope\'s own. The last column counts the CA certificates above the leaf.'),
    stackBar('path-stack', pages, PATHS.map(([path, color]) => [path, count(paths, path), color])),
    h('table', { id: 'path-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Page loads'), h('th', { scope: 'col', class: 'num' }, 'Share'),
        h('th', { scope: 'col', class: 'num' }, 'CA certificates'))),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, 'Per day'),
    chartHost(draft, 'Page loads per day by the path that decided', (host) => (set, width, theme) =>
      stackedDayBars(set, host, width, theme, days, layers)));
}

/** The mix of revocation information the evaluated leaves carry: its totals, and each label's share per day. */
function revocationInfoSection(s: Summary, draft: Draft): HTMLElement {
  const info = s.totals.revocation_info;
  const title = 'What the leaves carry';
  const total = REVOCATION_INFO.reduce((n, [label]) => n + count(info, label), 0);
  if (total === 0) {
    return section('revocation-info', title, h('p', { class: 'empty' },
      'No evaluated leaf in this range was counted for its revocation information (days recorded before this version lack it). Each one will count as OCSP only, CRL only, both or neither.'));
  }
  const rows = REVOCATION_INFO.map(([label, color, meaning]) => {
    const n = count(info, label);
    return h('tr', { 'data-info': label, 'data-count': String(n), class: n ? '' : 'zero' },
      h('td', {}, swatch(color), h('code', {}, label)), h('td', {}, meaning),
      h('td', { class: 'num' }, num(n)), h('td', { class: 'num' }, n ? percent(n / total) : ''));
  });
  const days = s.days.map((d) => utcSecs(d.day));
  const dayTotal = (d: DayRow) => REVOCATION_INFO.reduce((n, [label]) => n + count(d.revocation_info, label), 0);
  const share = (d: DayRow, label: RevocationInfo) => {
    const whole = dayTotal(d);
    return whole === 0 ? null : (count(d.revocation_info, label) / whole) * 100;
  };
  const perDay = s.days.filter((d) => dayTotal(d) > 0).map((d) => h('tr', { 'data-day': d.day },
    h('td', {}, d.day), ...REVOCATION_INFO.map(([label]) => h('td', { class: 'num' }, num(count(d.revocation_info, label)))),
    h('td', { class: 'num' }, percent(count(d.revocation_info, 'crl-only') / dayTotal(d)))));
  return section('revocation-info', title,
    h('p', { class: 'muted' }, REVOCATION_INFO_WORDS),
    stackBar('revocation-info-stack', total, REVOCATION_INFO.map(([label, color]) => [label, count(info, label), color])),
    h('table', { id: 'revocation-info-table', 'data-total': String(total) },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Leaves'), h('th', { scope: 'col', class: 'num' }, 'Share'))),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, 'Per day'),
    chartHost(draft, 'Share of the evaluated leaves per day carrying OCSP only, CRL only, both or neither', (host) => (set, width, theme) =>
      percentLines(set, host, width, theme, days, REVOCATION_INFO.map(([label, color]) => ({
        label, color, values: s.days.map((d) => share(d, label)),
      })))),
    h('details', {}, h('summary', {}, `Per-day counts (${plural(perDay.length, 'day')} with data)`),
      h('table', { id: 'revocation-info-per-day' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day (UTC)'),
          ...REVOCATION_INFO.map(([label]) => h('th', { scope: 'col', class: 'num' }, label)),
          h('th', { scope: 'col', class: 'num' }, 'CRL-only share'))),
        h('tbody', {}, ...perDay))));
}

/** The leaves' CRLs: fetches by outcome per day, cache hits, latency, sizes and hosts. */
function crlSection(s: Summary, draft: Draft): HTMLElement {
  const { crl, crl_outcomes: outcomes } = s.totals;
  const box = h('section', {
    class: 'box', id: 'crl', 'data-fetched': String(crl.fetched), 'data-failures': String(crl.failures), 'data-held': String(crl.held),
  }, h('h2', {}, 'CRL fetches'));
  if (crl.fetched === 0 && crl.held === 0) {
    box.append(h('p', { class: 'empty' }, 'No leaf\'s CRL was fetched or answered from a list held in this range. With "Check CRLs" on in the options, the leaf\'s CRL is fetched when the leaf names no OCSP responder, and held lists answer for the leaves they cover; each fetch will count here with its outcome and time.'));
    return box;
  }
  const failures = CRL_CLASS_WORDS.filter(([c]) => c !== 'ok' && count(outcomes, c) > 0);
  box.append(
    h('div', { class: 'stats' },
      card('Fetched', stat('crl-fetched', crl.fetched, num(crl.fetched)), `${plural(crl.failures, 'fetch', 'fetches')} without a usable answer (`,
        stat('crl-failure-rate', crl.failure_rate, percent(crl.failure_rate)), ')'),
      card('Answered from a list held', stat('crl-held', crl.held, num(crl.held)), 'cache hits: ',
        stat('crl-hit-rate', crl.hit_rate, percent(crl.hit_rate)), ' of the CRLs used')),
    ...(failures.length ? [h('p', { id: 'crl-outcomes' }, `No usable answer: ${failures.map(([c]) => `${c} ${num(count(outcomes, c))}`).join(', ')}.`)] : []));
  if (crl.fetched > 0) {
    const days = s.days.map((d) => utcSecs(d.day));
    const present = CRL_CLASS_WORDS.filter(([c]) => s.days.some((d) => count(d.crl_outcomes, c) > 0));
    const { floors_ms: floors, counts, p50_ms: p50, p95_ms: p95 } = s.crl_latency;
    const lastFloor = floors[floors.length - 1] ?? Infinity;
    const { names, ticks } = bucketNames(floors);
    const sizes = s.crl_sizes;
    const kib = (v: number | null) => (v === null ? '—' : v >= 1024 ? `≈ ${(v / 1024).toFixed(1)} MiB` : `≈ ${Math.round(v)} KiB`);
    box.append(
      h('h3', { class: 'sub' }, 'Outcomes per day'),
      chartHost(draft, 'CRL fetches per day by outcome', (host) => (set, width, theme) =>
        stackedDayBars(set, host, width, theme, days, present.map(([c]) => ({
          label: c, color: CRL_CLASS_COLORS[c](theme), counts: s.days.map((d) => count(d.crl_outcomes, c)),
        })))),
      h('h3', { class: 'sub' }, 'Latency'),
      h('p', {}, 'Median ', h('strong', { id: 'crl-p50', 'data-value': dataValue(p50) }, msWords(p50, lastFloor)),
        ', 95th percentile ', h('strong', { id: 'crl-p95', 'data-value': dataValue(p95) }, msWords(p95, lastFloor)),
        `, over ${plural(crl.fetched, 'fetch', 'fetches')}. Lists arrived at a median size of `,
        h('strong', { id: 'crl-size-p50', 'data-value': dataValue(sizes.p50_kib) }, kib(sizes.p50_kib)), ' (95th percentile ',
        h('strong', { id: 'crl-size-p95', 'data-value': dataValue(sizes.p95_kib) }, kib(sizes.p95_kib)), ').'),
      chartHost(draft, 'CRL fetches by latency bucket', (host) => (set, width, theme) =>
        bucketBars(set, host, width, theme, { names, ticks, counts, color: theme.link, markers: percentileMarkers(p50, p95, floors) })),
      h('details', {}, h('summary', {}, 'Fetches per day and by host'),
        h('table', { id: 'crl-per-day' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day (UTC)'), h('th', { scope: 'col', class: 'num' }, 'Fetched'),
            h('th', { scope: 'col', class: 'num' }, 'Failed'), h('th', { scope: 'col', class: 'num' }, 'Held'),
            h('th', { scope: 'col' }, 'By outcome'))),
          h('tbody', {}, ...s.days.filter((d) => d.crl.fetched + d.crl.held > 0).map((d) => h('tr', { 'data-day': d.day },
            h('td', {}, d.day), h('td', { class: 'num' }, num(d.crl.fetched)), h('td', { class: 'num' }, num(d.crl.failures)),
            h('td', { class: 'num' }, num(d.crl.held)), h('td', {}, countsWords(d.crl_outcomes) || '—'))))),
        crlHostTable(s.crl_hosts, lastFloor)),
      h('details', {}, h('summary', {}, 'What the CRL outcomes mean'), facts(CRL_CLASS_WORDS.map(([c, words]) => [c, words]))));
  }
  return box;
}

function crlHostTable(hosts: CrlHostRow[], lastFloor: number): HTMLElement {
  const heads = ['CRL host', 'Fetches', 'Failures', 'Failure rate', 'p50', 'p95', 'Failures by class'];
  return h('table', { id: 'crl-hosts' },
    h('thead', {}, h('tr', {}, ...heads.map((t, i) => h('th', { scope: 'col', class: i > 0 && i < 6 ? 'num' : '' }, t)))),
    h('tbody', {}, ...hosts.map((r) => h('tr', { 'data-host': r.host, 'data-fetches': String(r.fetches), 'data-failures': String(r.failures) },
      h('td', { class: 'host' }, r.host === 'other' ? h('em', { title: 'hosts beyond the per-day bound, or unreadable addresses' }, 'other') : r.host),
      h('td', { class: 'num' }, num(r.fetches)), h('td', { class: 'num' }, num(r.failures)),
      h('td', { class: 'num' }, percent(r.failure_rate)),
      h('td', { class: 'num' }, msWords(r.p50_ms, lastFloor)), h('td', { class: 'num' }, msWords(r.p95_ms, lastFloor)),
      h('td', { class: 'classes' }, countsWords(r.outcomes, (c: CrlClass) => c !== 'ok') || '—')))));
}

function latencySection(s: Summary, draft: Draft): HTMLElement {
  const { floors_ms: floors, counts, p50_ms: p50, p95_ms: p95 } = s.latency;
  const total = counts.reduce((a, b) => a + b, 0);
  const lastFloor = floors[floors.length - 1] ?? Infinity;
  const box = h('section', { class: 'box', id: 'latency', 'data-total': String(total) }, h('h2', {}, 'Live OCSP latency'));
  if (total === 0) {
    box.append(h('p', { class: 'empty' }, `No live OCSP request in this range, so no latency to show. ${LIVE_OFF_WORDS} Each request's time will then count in a bucket, with the median and 95th percentile.`));
    return box;
  }
  const { names, ticks } = bucketNames(floors);
  const markers = percentileMarkers(p50, p95, floors);
  box.append(
    h('p', {}, 'Median ', h('strong', { id: 'p50', 'data-value': dataValue(p50) }, msWords(p50, lastFloor)),
      ', 95th percentile ', h('strong', { id: 'p95', 'data-value': dataValue(p95) }, msWords(p95, lastFloor)),
      `, over ${plural(total, 'request')}.`),
    h('p', { class: 'muted' }, `Times are kept in power-of-two buckets only; the percentiles are estimated by interpolating inside a bucket. The last bucket (${names[names.length - 1]}) is open-ended: a percentile there is a lower bound.`),
    chartHost(draft, 'Live OCSP requests by latency bucket', (host) => (set, width, theme) =>
      bucketBars(set, host, width, theme, { names, ticks, counts, color: theme.link, markers })),
    h('details', {}, h('summary', {}, 'Counts per bucket'),
      h('table', { id: 'latency-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col', class: 'num' }, 'Requests'))),
        h('tbody', {}, ...counts.map((n, i) => (n > 0 ? h('tr', { 'data-floor': String(floors[i]) },
          h('td', {}, names[i]), h('td', { class: 'num' }, num(n))) : null))))));
  return box;
}

// The responder table, sortable by any column; the order survives redraws.

type SortKey = 'host' | 'attempts' | 'failures' | 'failure_rate' | 'p50_ms' | 'p95_ms';
type Direction = 'ascending' | 'descending';
const COLUMNS: [SortKey, string][] = [
  ['host', 'Responder host'], ['attempts', 'Attempts'], ['failures', 'Failures'],
  ['failure_rate', 'Failure rate'], ['p50_ms', 'p50'], ['p95_ms', 'p95'],
];
const responderSort: { key: SortKey; dir: Direction } = { key: 'attempts', dir: 'descending' };

/** Sorted by `key`; no value (null) always last; ties by host. */
function sortResponders(rows: ResponderRow[], key: SortKey, dir: Direction): ResponderRow[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return a.host.localeCompare(b.host);
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number));
  });
}

function responderRow(r: ResponderRow, lastFloor: number): HTMLElement {
  const failureClasses = countsWords(r.outcomes, isFailure);
  return h('tr', {
    'data-host': r.host, 'data-attempts': String(r.attempts), 'data-failures': String(r.failures),
    'data-p50': dataValue(r.p50_ms), 'data-p95': dataValue(r.p95_ms),
  },
  h('td', { class: 'host' }, r.host === 'other' ? h('em', { title: 'hosts beyond the per-day bound, or unreadable addresses' }, 'other') : r.host),
  h('td', { class: 'num' }, num(r.attempts)),
  h('td', { class: 'num' }, num(r.failures)),
  h('td', { class: 'num' }, percent(r.failure_rate)),
  h('td', { class: 'num' }, msWords(r.p50_ms, lastFloor)),
  h('td', { class: 'num' }, msWords(r.p95_ms, lastFloor)),
  h('td', { class: 'classes', title: `answers: ${countsWords(r.outcomes, (c) => !isFailure(c)) || 'none'}` }, failureClasses || '—'));
}

function respondersSection(s: Summary): HTMLElement {
  const title = 'OCSP responders';
  if (s.responders.length === 0) {
    return section('responders', title, h('p', { class: 'empty' },
      `No responder was asked in this range. ${LIVE_OFF_WORDS} Each responder host will get a row: attempts, failures, and its latency.`));
  }
  const lastFloor = s.latency.floors_ms[s.latency.floors_ms.length - 1] ?? Infinity;
  const tbody = h('tbody');
  const heads = COLUMNS.map(([key, label]) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': key }, label);
    return h('th', { scope: 'col', class: key === 'host' ? '' : 'num' }, button);
  });
  const draw = () => {
    heads.forEach((th, i) => {
      if (COLUMNS[i][0] === responderSort.key) th.setAttribute('aria-sort', responderSort.dir);
      else th.removeAttribute('aria-sort');
    });
    tbody.replaceChildren(...sortResponders(s.responders, responderSort.key, responderSort.dir).map((r) => responderRow(r, lastFloor)));
  };
  const thead = h('thead', {}, h('tr', {}, ...heads, h('th', { scope: 'col' }, 'Failures by class')));
  thead.addEventListener('click', (event) => {
    const key = (event.target as HTMLElement).closest('button')?.dataset.sort as SortKey | undefined;
    if (!key) return;
    if (key === responderSort.key) responderSort.dir = responderSort.dir === 'ascending' ? 'descending' : 'ascending';
    else Object.assign(responderSort, { key, dir: key === 'host' ? 'ascending' : 'descending' });
    draw();
  });
  draw();
  return section('responders', title,
    h('p', { class: 'muted' }, 'The CA servers asked, over the range. Click a column to sort; again to reverse. p50 and p95 are estimated from latency buckets.'),
    h('div', { class: 'scroll' }, h('table', {}, thead, tbody)),
    h('details', {}, h('summary', {}, 'What the failure classes mean'),
      facts(FAILURE_WORDS.map(([c, words]) => [c, words]))));
}

function breakageSection(s: Summary, theme: Theme): HTMLElement {
  const b = s.totals.breakage;
  const box = h('section', {
    class: 'box', id: 'breakage',
    'data-would-block': String(b.would_block), 'data-revoked': String(b.revoked), 'data-offline': String(b.offline),
    'data-unknown': String(b.unknown), 'data-error': String(b.error), 'data-undetermined': String(b.undetermined),
  }, h('h2', {}, 'If live OCSP were hard-fail'));
  if (b.evaluated === 0) {
    box.append(h('p', { class: 'empty' }, 'No page load got a verdict in this range. For each one, this will show whether a hard-fail policy (block when revocation status cannot be confirmed) would have blocked it, and why.'));
    return box;
  }
  const accepted = Math.max(0, b.evaluated - b.would_block - b.undetermined);
  const counts: Record<HardFail, number> = {
    'accept': accepted, 'block-revoked': b.revoked, 'block-unknown': b.unknown,
    'block-offline': b.offline, 'block-error': b.error, 'undetermined': b.undetermined,
  };
  const parts = HARD_FAIL_PARTS.map((p): [string, number, string] => [p.legend, counts[p.key], p.color(theme)]);
  box.append(
    h('p', {}, 'Hard-fail would have blocked ', h('strong', {}, `${num(b.would_block)} of ${plural(b.evaluated, 'page load')}`),
      ` evaluated (${percent(b.block_rate)}).`),
    stackBar('breakage-stack', b.evaluated, parts),
    h('ul', { class: 'legend' }, ...parts.map(([label, n, color]) => h('li', {}, swatch(color), `${label}: ${num(n)}`))),
    facts(HARD_FAIL_PARTS.filter((p) => p.term).map((p) => [p.term!,
      `${num(counts[p.key])}${p.key === 'block-offline' ? ` (${percent(b.breakage_rate)} of evaluated)` : ''}: ${p.meaning}`])),
    h('p', { class: 'muted' }, SOFT_FAIL_WORDS));
  return box;
}

function emptySection(s: Summary, recording: boolean): HTMLElement {
  const how = [
    h('li', {}, 'Browse HTTPS pages: each page load counts once, under the path that decided its certificate.'),
    isFirefox ? null : h('li', {}, 'In Chrome, the extension sees certificates only of the pages it inspects: click "Inspect this page" in the panel, or set capture to "Every page I open" in the options.'),
    h('li', {}, 'Turn on live OCSP in the options to measure responders: their failures and latency.'),
  ];
  return section('empty', `Nothing recorded in the last ${plural(s.days.length, 'day')}`,
    recording ? null : h('p', { class: 'warn' }, 'Recording is off in the options (Measurement), so nothing new is counted: turn it on first.'),
    h('p', {}, 'Once there is data, this page shows:'),
    h('ul', {},
      h('li', {}, 'how often page loads needed live OCSP, and how often the requests failed, per day;'),
      h('li', {}, 'which path decided each certificate (OneCRL, CRLite, a short lifetime, stapled OCSP, live OCSP…);'),
      h('li', {}, 'the live OCSP latency distribution and a table of the responders asked;'),
      h('li', {}, 'how many page loads a hard-fail policy would have blocked, and why.')),
    h('p', {}, 'To get data:'),
    h('ul', {}, ...how),
    s.days.length < s.retention_days ? h('p', { class: 'muted' }, 'Older days may hold data: choose a longer range.') : null);
}

function notices(reply: TelemetryReply): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (!reply.recording) {
    out.push(h('p', { class: 'box warn', id: 'recording-off' },
      'Recording is off in the options (Measurement): revoscope counts nothing new. What is stored stays until you delete it or it ages out.'));
  }
  if (reply.unreadable.length > 0) {
    out.push(h('div', { class: 'box', id: 'unreadable', 'data-count': String(reply.unreadable.length) },
      h('p', { class: 'warn' }, `${plural(reply.unreadable.length, 'stored day')} could not be read and ${reply.unreadable.length === 1 ? 'is' : 'are'} left out. The data is kept aside in storage, not deleted ("Delete all data" removes it).`),
      h('ul', {}, ...reply.unreadable.map((u) => h('li', {}, h('code', {}, u.key), `: ${u.error}`)))));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The page

const page = {
  days: DEFAULT_DAYS,
  reply: null as TelemetryReply | null,
  charts: new ChartSet(),
  chartHosts: [] as HTMLElement[],
  /** Bumped by each load, so a slow answer never overwrites a newer one. */
  loads: 0,
  firstDrawDone: false,
};

function setState(state: 'loading' | 'empty' | 'ready' | 'error'): void {
  const main = $('dashboard');
  main.dataset.state = state;
  main.setAttribute('aria-busy', String(state === 'loading'));
}

function say(text: string): void {
  $('status').textContent = text;
}

/** The range choices: 7, 30, 90 days, the retention, and the range shown
 * (from the address), none beyond the retention. */
function fillRange(retention: number, days: number): void {
  const select = $<HTMLSelectElement>('range');
  const choices = [...new Set([...RANGE_CHOICES, retention, days])].filter((d) => d <= retention).sort((a, b) => a - b);
  select.replaceChildren(...choices.map((d) => h('option', { value: String(d) }, `Last ${plural(d, 'day')}`)));
  select.value = String(days);
}

/** CRLite's answers, when the policy asked it for any page in the range. */
function crliteSection(s: Summary): HTMLElement | null {
  const asked = CRLITE_LABELS.reduce((sum, [label]) => sum + count(s.totals.crlite, label), 0);
  if (asked === 0) return null;
  const rows = CRLITE_LABELS.map(([label, meaning]) => {
    const n = count(s.totals.crlite, label);
    return h('tr', { 'data-crlite': label, 'data-count': String(n), class: n ? '' : 'zero' },
      h('td', {}, h('code', {}, label)), h('td', {}, meaning),
      h('td', { class: 'num' }, num(n)), h('td', { class: 'num' }, n ? percent(n / asked) : ''));
  });
  return section('crlite', 'What CRLite said',
    h('p', { class: 'muted' }, `For the ${plural(asked, 'leaf certificate')} CRLite was asked about, labelled as Firefox's cert_verifier.crlite_status. In enforce mode the first two decide; the others go on down the ladder.`),
    h('table', { id: 'crlite-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Leaves'), h('th', { scope: 'col', class: 'num' }, 'Share'))),
      h('tbody', {}, ...rows)));
}

/** Draws the whole page from `reply`; resolves once every chart has painted. */
async function render(reply: TelemetryReply): Promise<void> {
  const drawStart = performance.now();
  const s = reply.summary;
  const theme = readTheme();
  page.charts.destroy();
  page.charts = new ChartSet();
  $('range-words').textContent = `${s.from} to ${s.to} (UTC days), ${plural(s.days_with_data, 'day')} with data`;
  $('retention').textContent = `Each day is kept ${plural(s.retention_days, 'day')}, then dropped.`;
  $('notices').replaceChildren(...notices(reply));

  const draft = newDraft();
  const empty = s.days_with_data === 0;
  const sections = empty
    ? [headline(s), emptySection(s, reply.recording)]
    : [headline(s), ratesSection(s, draft), pathsSection(s, draft), revocationInfoSection(s, draft), crliteSection(s),
      latencySection(s, draft), respondersSection(s), crlSection(s, draft), breakageSection(s, theme)]
      .filter((part): part is HTMLElement => part !== null);
  $('content').replaceChildren(...sections);

  page.chartHosts = draft.hosts;
  await drawCharts(draft, page.charts, theme);
  $('dashboard').dataset.drawMs = String(Math.round(performance.now() - drawStart));
}

async function showOnecrl(): Promise<void> {
  const slot = $('onecrl-slot');
  try {
    const onecrl = await ask({ type: 'onecrl' });
    slot.replaceChildren(onecrl ? onecrlBox(onecrl) : h('p', { class: 'muted' }, 'No OneCRL information.'));
  } catch (e) {
    slot.replaceChildren(h('p', { class: 'bad' }, `The OneCRL snapshot could not be read: ${(e as Error).message}`));
  }
}

/**
 * Fetches `days` of telemetry and draws it; clamps the range to the
 * retention. The page is "ready" once the charts and `alsoDrawing` are done.
 */
async function load(days: number, alsoDrawing: Promise<void> = Promise.resolve()): Promise<void> {
  const mine = ++page.loads;
  setState('loading');
  try {
    let reply = await summaryOf(days);
    const retention = reply.summary.retention_days;
    if (days > retention) {
      days = retention;
      reply = await summaryOf(days);
    }
    if (mine !== page.loads) return;
    page.days = days;
    page.reply = reply;
    fillRange(retention, days);
    rememberRange(days);
    await Promise.all([render(reply), alsoDrawing]);
    if (mine !== page.loads) return;
    if (!page.firstDrawDone) {
      page.firstDrawDone = true;
      document.body.dataset.renderMs = String(Math.round(performance.now() - started));
    }
    setState(reply.summary.days_with_data === 0 ? 'empty' : 'ready');
  } catch (e) {
    if (mine !== page.loads) return;
    page.charts.destroy();
    $('content').replaceChildren(h('p', { class: 'box bad', id: 'error' }, `The telemetry could not be read: ${(e as Error).message}`));
    setState('error');
  }
}

/** The range in the address (`?days=N`), so a reload keeps it and tests can pick it. */
function rangeFromAddress(): number {
  const days = Number(new URLSearchParams(location.search).get('days'));
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_DAYS;
}

function rememberRange(days: number): void {
  const url = new URL(location.href);
  url.searchParams.set('days', String(days));
  history.replaceState(null, '', url);
}

function setUpExport(): void {
  for (const format of ['csv', 'json'] as const) {
    const button = $<HTMLButtonElement>(`export-${format}`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const file = await ask({ type: 'telemetry-export', format });
        if (!file) throw new Error('the answer holds no file');
        download(file);
        $('status').dataset.lastExport = file.filename;
        say(`Saved ${file.filename}.`);
      } catch (e) {
        say(`The export failed: ${(e as Error).message}`);
      } finally {
        button.disabled = false;
      }
    });
  }
}

/** How many days are stored in all: the shown range may be shorter than the retention. */
async function storedDays(): Promise<number> {
  const reply = page.reply;
  if (!reply) return 0;
  if (page.days >= reply.summary.retention_days) return reply.summary.days_with_data;
  return (await summaryOf(reply.summary.retention_days)).summary.days_with_data;
}

/** "Delete all data" asks again inside the page (window.confirm is blocked in some extension pages). */
function setUpDelete(): void {
  const start = $<HTMLButtonElement>('delete-all');
  const askBox = $('delete-ask');
  const confirm = $<HTMLButtonElement>('delete-confirm');
  const cancel = $<HTMLButtonElement>('delete-cancel');
  const close = () => {
    askBox.hidden = true;
    start.hidden = false;
    start.focus();
  };
  start.addEventListener('click', async () => {
    start.disabled = true;
    let question = 'Really delete all telemetry?';
    try {
      const n = await storedDays();
      const unreadable = page.reply?.unreadable.length ?? 0;
      const extra = unreadable ? ` (and ${unreadable} unreadable)` : '';
      question = `Really delete ${plural(n, 'day')} of telemetry${extra}?`;
    } catch {
      // The count is a courtesy: ask without it.
    }
    start.disabled = false;
    $('delete-question').textContent = question;
    start.hidden = true;
    askBox.hidden = false;
    cancel.focus();
  });
  cancel.addEventListener('click', close);
  askBox.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await ask({ type: 'telemetry-delete' });
      say('All telemetry deleted.');
      close();
      await load(page.days);
    } catch (e) {
      say(`The deletion failed: ${(e as Error).message}`);
    } finally {
      confirm.disabled = false;
    }
  });
}

/** Charts follow the page's width and the system's light or dark theme. */
function setUpResize(): void {
  followLayout({
    charts: () => page.charts,
    firstHost: () => page.chartHosts[0],
    redraw: () => {
      if (page.reply && $('dashboard').dataset.state !== 'loading') void render(page.reply);
    },
  });
}

async function main(): Promise<void> {
  $<HTMLSelectElement>('range').addEventListener('change', (event) => {
    void load(Number((event.target as HTMLSelectElement).value));
  });
  $('refresh').addEventListener('click', () => { void load(page.days); });
  $('options').addEventListener('click', () => { void ext.runtime.openOptionsPage(); });
  setUpExport();
  setUpDelete();
  setUpResize();
  await load(rangeFromAddress(), showOnecrl());
}

main().catch((e) => {
  $('content').replaceChildren(h('p', { class: 'box bad', id: 'error' }, `revoscope: ${(e as Error).message}`));
  setState('error');
});
