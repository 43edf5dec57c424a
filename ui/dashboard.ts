// The telemetry dashboard: live-OCSP usage and failures over time, the path
// mix, latency, responders, the hard-fail breakage estimate and the OneCRL
// snapshot, from the background's summary of the stored days.
const started = performance.now();

import { ext, isFirefox } from '../extension/src/api';
import { formatNumber, localizePage, t } from '../extension/src/i18n';
import type {
  Counts, CrlClass, CrlHostRow, DayRow, HardFail, NotAsked, ResponderRow, RevocationInfo, Summary, TelemetryExport, TelemetryReply,
} from '../extension/src/telemetry-types';
import { ask } from './ask';
import { ChartSet, type Layer, percentLines, readTheme, stackedDayBars, bucketBars, type Theme } from './charts';
import {
  card, chartHost, DEFAULT_DAYS, type Draft, drawCharts, followLayout, newDraft, RANGE_CHOICES, section, sentence, slot, stackBar, stat, swatch,
} from './dashboard-parts';
import { $, facts, h } from './dom';
import { bucketNames, percentileMarkers } from './latency';
import { onecrlBox } from './onecrl-view';
import {
  CRL_CLASS_COLORS, CRL_CLASS_WORDS, CRLITE_LABELS, dataValue, dayWords, FAILURE_WORDS, FIREFOX_LABELS, HARD_FAIL_PARTS, isFailure,
  msWords, NOT_ASKED_WORDS, num, PATHS, REVOCATION_INFO, REVOCATION_INFO_WORDS, SOFT_FAIL_WORDS, utcSecs,
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

/** The message for `n` things: `one` when n is 1, else `other` (the plural
 * rule of English and German; the i18n API has none). */
const many = (n: number, one: string, other: string) => (n === 1 ? one : other);

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
  const failed = [slot(0), slot(1)] as const;
  const cards = h('div', { class: 'stats' },
    card(t('dashboard_card_evaluated'), stat('evaluated', live.evaluated, num(live.evaluated)),
      many(pages, t('dashboard_pages_seen_one', num(pages)), t('dashboard_pages_seen_other', num(pages))),
      withoutVerdict > 0 ? t('dashboard_without_verdict', num(withoutVerdict)) : ''),
    card(t('dashboard_card_usage'), stat('usage-rate', live.usage_rate, percent(live.usage_rate)),
      ...sentence(many(live.evaluated, t('dashboard_usage_detail_one', slot(0), num(live.evaluated)),
        t('dashboard_usage_detail_other', slot(0), num(live.evaluated))), stat('needed', live.needed, num(live.needed)))),
    card(t('dashboard_card_failures'), stat('failure-rate', live.failure_rate, percent(live.failure_rate)),
      ...sentence(live.asked === 0 ? t('dashboard_failures_detail_none', ...failed)
        : many(live.asked, t('dashboard_failures_detail_one', ...failed), t('dashboard_failures_detail_other', ...failed)),
      stat('failures', live.failures, num(live.failures)), stat('asked', live.asked, num(live.asked)))),
    known > 0 ? card(t('dashboard_card_browser_ocsp'), stat('browser-ocsp-rate', s.totals.browser_ocsp_rate, percent(s.totals.browser_ocsp_rate)),
      many(known, t('dashboard_browser_ocsp_detail_one', num(s.totals.browser_ocsp_used), num(known)),
        t('dashboard_browser_ocsp_detail_other', num(s.totals.browser_ocsp_used), num(known)))) : '');
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
      h('p', {}, many(notAskedTotal, t('dashboard_not_asked_one', num(notAskedTotal)), t('dashboard_not_asked_other', num(notAskedTotal)))),
      h('ul', {}, ...reasons)) : null,
    live.needed > 0 && notAskedTotal === 0 ? h('p', { id: 'not-asked' }, t('dashboard_all_asked')) : null,
    live.asked > 0 ? h('p', { id: 'outcomes' },
      t('dashboard_outcomes', answers || t('dashboard_none'), failures || t('dashboard_none'))) : null,
    live.asked > 0 ? h('p', { id: 'methods', 'data-get': String(count(methods, 'GET')), 'data-post': String(count(methods, 'POST')) },
      t('dashboard_methods', num(count(methods, 'GET')), num(count(methods, 'POST')))) : null);
}

const liveOffWords = () => t('dashboard_live_off');

function ratesSection(s: Summary, draft: Draft): HTMLElement {
  const live = s.totals.live;
  const title = t('dashboard_rates_title');
  if (live.evaluated === 0) {
    return section('rates', title, h('p', { class: 'empty' }, t('dashboard_rates_empty')));
  }
  const days = s.days.map((d) => utcSecs(d.day));
  const toPercent = (r: number | null) => (r === null ? null : r * 100);
  const chart = chartHost(draft, t('dashboard_rates_chart'), (host) => (set, width, theme) =>
    percentLines(set, host, width, theme, days, [
      { label: t('dashboard_rates_usage_line'), color: theme.link, values: s.days.map((d) => toPercent(d.live.usage_rate)) },
      { label: t('dashboard_rates_failure_line'), color: theme.bad, values: s.days.map((d) => toPercent(d.live.failure_rate)) },
    ]));
  return section('rates', title,
    h('p', { class: 'muted' }, t('dashboard_rates_note')),
    chart,
    live.asked === 0 ? h('p', { class: 'empty' }, t('dashboard_rates_no_requests', liveOffWords())) : null,
    perDayTable(s.days));
}

function perDayTable(days: DayRow[]): HTMLElement {
  const rows = days.filter((d) => d.pages > 0).map((d) => h('tr', { 'data-day': d.day },
    h('td', {}, dayWords(d.day)), h('td', { class: 'num' }, num(d.pages)), h('td', { class: 'num' }, num(d.live.evaluated)),
    h('td', { class: 'num' }, num(d.live.needed)), h('td', { class: 'num' }, percent(d.live.usage_rate)),
    h('td', { class: 'num' }, num(d.live.asked)), h('td', { class: 'num' }, num(d.live.failures)),
    h('td', { class: 'num' }, percent(d.live.failure_rate))));
  const heads = [t('dashboard_col_day'), t('dashboard_col_page_loads'), t('dashboard_col_evaluated'), t('dashboard_col_needed'),
    t('dashboard_col_usage'), t('dashboard_col_asked'), t('dashboard_col_failed'), t('dashboard_col_failure_rate')];
  return h('details', {}, h('summary', {}, many(rows.length, t('dashboard_per_day_numbers_one', num(rows.length)),
    t('dashboard_per_day_numbers_other', num(rows.length)))),
    h('table', { id: 'per-day' },
      h('thead', {}, h('tr', {}, ...heads.map((head, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, head)))),
      h('tbody', {}, ...rows)));
}

function pathsSection(s: Summary, draft: Draft): HTMLElement {
  const { paths, ca_paths: caPaths, pages } = s.totals;
  const title = t('dashboard_paths_title');
  if (pages === 0) {
    return section('paths', title, h('p', { class: 'empty' }, t('dashboard_paths_empty')));
  }
  const rows = PATHS.map(([path, color, meaning], i) => {
    const n = count(paths, path);
    return h('tr', { 'data-path': path, 'data-count': String(n), 'data-ca-count': String(count(caPaths, path)), class: n ? '' : 'zero' },
      h('td', {}, swatch(color), h('code', {}, path), i < FIREFOX_LABELS ? h('sup', { class: 'muted', title: t('dashboard_firefox_label') }, ' FF') : null),
      h('td', {}, meaning),
      h('td', { class: 'num' }, num(n)),
      h('td', { class: 'num' }, n ? percent(n / pages) : ''),
      h('td', { class: 'num' }, count(caPaths, path) ? num(count(caPaths, path)) : ''));
  });
  const present = PATHS.filter(([path]) => s.days.some((d) => count(d.paths, path) > 0));
  const layers: Layer[] = present.map(([path, color]) => ({ label: path, color, counts: s.days.map((d) => count(d.paths, path)) }));
  const days = s.days.map((d) => utcSecs(d.day));
  return section('paths', title,
    h('p', { class: 'muted' }, t('dashboard_paths_note')),
    stackBar('path-stack', pages, PATHS.map(([path, color]) => [path, count(paths, path), color])),
    h('table', { id: 'path-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_label')), h('th', { scope: 'col' }, t('dashboard_col_meaning')),
        h('th', { scope: 'col', class: 'num' }, t('dashboard_col_page_loads')), h('th', { scope: 'col', class: 'num' }, t('dashboard_col_share')),
        h('th', { scope: 'col', class: 'num' }, t('dashboard_col_ca_certificates')))),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, t('dashboard_per_day')),
    chartHost(draft, t('dashboard_paths_chart'), (host) => (set, width, theme) =>
      stackedDayBars(set, host, width, theme, days, layers)));
}

/** The mix of revocation information the evaluated leaves carry: its totals, and each label's share per day. */
function revocationInfoSection(s: Summary, draft: Draft): HTMLElement {
  const info = s.totals.revocation_info;
  const title = t('dashboard_info_title');
  const total = REVOCATION_INFO.reduce((n, [label]) => n + count(info, label), 0);
  if (total === 0) {
    return section('revocation-info', title, h('p', { class: 'empty' }, t('dashboard_info_empty')));
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
    h('td', {}, dayWords(d.day)), ...REVOCATION_INFO.map(([label]) => h('td', { class: 'num' }, num(count(d.revocation_info, label)))),
    h('td', { class: 'num' }, percent(count(d.revocation_info, 'crl-only') / dayTotal(d)))));
  return section('revocation-info', title,
    h('p', { class: 'muted' }, REVOCATION_INFO_WORDS),
    stackBar('revocation-info-stack', total, REVOCATION_INFO.map(([label, color]) => [label, count(info, label), color])),
    h('table', { id: 'revocation-info-table', 'data-total': String(total) },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_label')), h('th', { scope: 'col' }, t('dashboard_col_meaning')),
        h('th', { scope: 'col', class: 'num' }, t('dashboard_col_leaves')), h('th', { scope: 'col', class: 'num' }, t('dashboard_col_share')))),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, t('dashboard_per_day')),
    chartHost(draft, t('dashboard_info_chart'), (host) => (set, width, theme) =>
      percentLines(set, host, width, theme, days, REVOCATION_INFO.map(([label, color]) => ({
        label, color, values: s.days.map((d) => share(d, label)),
      })))),
    h('details', {}, h('summary', {}, many(perDay.length, t('dashboard_per_day_counts_one', num(perDay.length)),
      t('dashboard_per_day_counts_other', num(perDay.length)))),
      h('table', { id: 'revocation-info-per-day' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_day')),
          ...REVOCATION_INFO.map(([label]) => h('th', { scope: 'col', class: 'num' }, label)),
          h('th', { scope: 'col', class: 'num' }, t('dashboard_col_crl_only_share')))),
        h('tbody', {}, ...perDay))));
}

/** The leaves' CRLs: fetches by outcome per day, cache hits, latency, sizes and hosts. */
function crlSection(s: Summary, draft: Draft): HTMLElement {
  const { crl, crl_outcomes: outcomes } = s.totals;
  const box = h('section', {
    class: 'box', id: 'crl', 'data-fetched': String(crl.fetched), 'data-failures': String(crl.failures), 'data-held': String(crl.held),
  }, h('h2', {}, t('dashboard_crl_title')));
  if (crl.fetched === 0 && crl.held === 0) {
    box.append(h('p', { class: 'empty' }, t('dashboard_crl_empty')));
    return box;
  }
  const failures = CRL_CLASS_WORDS.filter(([c]) => c !== 'ok' && count(outcomes, c) > 0);
  box.append(
    h('div', { class: 'stats' },
      card(t('dashboard_crl_fetched'), stat('crl-fetched', crl.fetched, num(crl.fetched)),
        ...sentence(many(crl.failures, t('dashboard_crl_failed_one', num(crl.failures), slot(0)), t('dashboard_crl_failed_other', num(crl.failures), slot(0))),
          stat('crl-failure-rate', crl.failure_rate, percent(crl.failure_rate)))),
      card(t('dashboard_crl_held'), stat('crl-held', crl.held, num(crl.held)),
        ...sentence(t('dashboard_crl_hits', slot(0)), stat('crl-hit-rate', crl.hit_rate, percent(crl.hit_rate))))),
    ...(failures.length ? [h('p', { id: 'crl-outcomes' },
      t('dashboard_crl_no_usable', failures.map(([c]) => `${c} ${num(count(outcomes, c))}`).join(', ')))] : []));
  if (crl.fetched > 0) {
    const days = s.days.map((d) => utcSecs(d.day));
    const present = CRL_CLASS_WORDS.filter(([c]) => s.days.some((d) => count(d.crl_outcomes, c) > 0));
    const { floors_ms: floors, counts, p50_ms: p50, p95_ms: p95 } = s.crl_latency;
    const lastFloor = floors[floors.length - 1] ?? Infinity;
    const { names, ticks } = bucketNames(floors);
    const sizes = s.crl_sizes;
    const kib = (v: number | null) => (v === null ? '—' : v >= 1024
      ? `≈ ${formatNumber(v / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false })} MiB`
      : `≈ ${formatNumber(Math.round(v))} KiB`);
    const median = [slot(0), slot(1), num(crl.fetched), slot(2), slot(3)] as const;
    box.append(
      h('h3', { class: 'sub' }, t('dashboard_crl_outcomes_per_day')),
      chartHost(draft, t('dashboard_crl_outcomes_chart'), (host) => (set, width, theme) =>
        stackedDayBars(set, host, width, theme, days, present.map(([c]) => ({
          label: c, color: CRL_CLASS_COLORS[c](theme), counts: s.days.map((d) => count(d.crl_outcomes, c)),
        })))),
      h('h3', { class: 'sub' }, t('dashboard_latency')),
      h('p', {}, ...sentence(many(crl.fetched, t('dashboard_crl_latency_one', ...median), t('dashboard_crl_latency_other', ...median)),
        h('strong', { id: 'crl-p50', 'data-value': dataValue(p50) }, msWords(p50, lastFloor)),
        h('strong', { id: 'crl-p95', 'data-value': dataValue(p95) }, msWords(p95, lastFloor)),
        h('strong', { id: 'crl-size-p50', 'data-value': dataValue(sizes.p50_kib) }, kib(sizes.p50_kib)),
        h('strong', { id: 'crl-size-p95', 'data-value': dataValue(sizes.p95_kib) }, kib(sizes.p95_kib)))),
      chartHost(draft, t('dashboard_crl_latency_chart'), (host) => (set, width, theme) =>
        bucketBars(set, host, width, theme, { names, ticks, counts, color: theme.link, markers: percentileMarkers(p50, p95, floors) })),
      h('details', {}, h('summary', {}, t('dashboard_crl_per_day_summary')),
        h('table', { id: 'crl-per-day' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_day')), h('th', { scope: 'col', class: 'num' }, t('dashboard_crl_fetched')),
            h('th', { scope: 'col', class: 'num' }, t('dashboard_col_failed')), h('th', { scope: 'col', class: 'num' }, t('dashboard_col_held')),
            h('th', { scope: 'col' }, t('dashboard_col_by_outcome')))),
          h('tbody', {}, ...s.days.filter((d) => d.crl.fetched + d.crl.held > 0).map((d) => h('tr', { 'data-day': d.day },
            h('td', {}, dayWords(d.day)), h('td', { class: 'num' }, num(d.crl.fetched)), h('td', { class: 'num' }, num(d.crl.failures)),
            h('td', { class: 'num' }, num(d.crl.held)), h('td', {}, countsWords(d.crl_outcomes) || '—'))))),
        crlHostTable(s.crl_hosts, lastFloor)),
      h('details', {}, h('summary', {}, t('dashboard_crl_classes_summary')), facts(CRL_CLASS_WORDS.map(([c, words]) => [c, words]))));
  }
  return box;
}

/** The host row that sums the hosts not named. */
const otherHost = () => h('em', { title: t('dashboard_other_host_title') }, t('dashboard_other_host'));

function crlHostTable(hosts: CrlHostRow[], lastFloor: number): HTMLElement {
  const heads = [t('dashboard_col_crl_host'), t('dashboard_col_fetches'), t('dashboard_col_failures'), t('dashboard_col_failure_rate'),
    'p50', 'p95', t('dashboard_col_failures_by_class')];
  return h('table', { id: 'crl-hosts' },
    h('thead', {}, h('tr', {}, ...heads.map((head, i) => h('th', { scope: 'col', class: i > 0 && i < 6 ? 'num' : '' }, head)))),
    h('tbody', {}, ...hosts.map((r) => h('tr', { 'data-host': r.host, 'data-fetches': String(r.fetches), 'data-failures': String(r.failures) },
      h('td', { class: 'host' }, r.host === 'other' ? otherHost() : r.host),
      h('td', { class: 'num' }, num(r.fetches)), h('td', { class: 'num' }, num(r.failures)),
      h('td', { class: 'num' }, percent(r.failure_rate)),
      h('td', { class: 'num' }, msWords(r.p50_ms, lastFloor)), h('td', { class: 'num' }, msWords(r.p95_ms, lastFloor)),
      h('td', { class: 'classes' }, countsWords(r.outcomes, (c: CrlClass) => c !== 'ok') || '—')))));
}

function latencySection(s: Summary, draft: Draft): HTMLElement {
  const { floors_ms: floors, counts, p50_ms: p50, p95_ms: p95 } = s.latency;
  const total = counts.reduce((a, b) => a + b, 0);
  const lastFloor = floors[floors.length - 1] ?? Infinity;
  const box = h('section', { class: 'box', id: 'latency', 'data-total': String(total) }, h('h2', {}, t('dashboard_latency_title')));
  if (total === 0) {
    box.append(h('p', { class: 'empty' }, t('dashboard_latency_empty', liveOffWords())));
    return box;
  }
  const { names, ticks } = bucketNames(floors);
  const markers = percentileMarkers(p50, p95, floors);
  const median = [slot(0), slot(1), num(total)] as const;
  box.append(
    h('p', {}, ...sentence(many(total, t('dashboard_latency_median_one', ...median), t('dashboard_latency_median_other', ...median)),
      h('strong', { id: 'p50', 'data-value': dataValue(p50) }, msWords(p50, lastFloor)),
      h('strong', { id: 'p95', 'data-value': dataValue(p95) }, msWords(p95, lastFloor)))),
    h('p', { class: 'muted' }, t('dashboard_latency_note', names[names.length - 1])),
    chartHost(draft, t('dashboard_latency_chart'), (host) => (set, width, theme) =>
      bucketBars(set, host, width, theme, { names, ticks, counts, color: theme.link, markers })),
    h('details', {}, h('summary', {}, t('dashboard_latency_buckets_summary')),
      h('table', { id: 'latency-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_time')), h('th', { scope: 'col', class: 'num' }, t('dashboard_requests')))),
        h('tbody', {}, ...counts.map((n, i) => (n > 0 ? h('tr', { 'data-floor': String(floors[i]) },
          h('td', {}, names[i]), h('td', { class: 'num' }, num(n))) : null))))));
  return box;
}

// The responder table, sortable by any column; the order survives redraws.

type SortKey = 'host' | 'attempts' | 'failures' | 'failure_rate' | 'p50_ms' | 'p95_ms';
type Direction = 'ascending' | 'descending';
const COLUMNS: [SortKey, () => string][] = [
  ['host', () => t('dashboard_col_responder_host')], ['attempts', () => t('dashboard_col_attempts')], ['failures', () => t('dashboard_col_failures')],
  ['failure_rate', () => t('dashboard_col_failure_rate')], ['p50_ms', () => 'p50'], ['p95_ms', () => 'p95'],
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
  h('td', { class: 'host' }, r.host === 'other' ? otherHost() : r.host),
  h('td', { class: 'num' }, num(r.attempts)),
  h('td', { class: 'num' }, num(r.failures)),
  h('td', { class: 'num' }, percent(r.failure_rate)),
  h('td', { class: 'num' }, msWords(r.p50_ms, lastFloor)),
  h('td', { class: 'num' }, msWords(r.p95_ms, lastFloor)),
  h('td', { class: 'classes', title: t('dashboard_answers_title', countsWords(r.outcomes, (c) => !isFailure(c)) || t('dashboard_none')) }, failureClasses || '—'));
}

function respondersSection(s: Summary): HTMLElement {
  const title = t('dashboard_responders_title');
  if (s.responders.length === 0) {
    return section('responders', title, h('p', { class: 'empty' }, t('dashboard_responders_empty', liveOffWords())));
  }
  const lastFloor = s.latency.floors_ms[s.latency.floors_ms.length - 1] ?? Infinity;
  const tbody = h('tbody');
  const heads = COLUMNS.map(([key, label]) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': key }, label());
    return h('th', { scope: 'col', class: key === 'host' ? '' : 'num' }, button);
  });
  const draw = () => {
    heads.forEach((th, i) => {
      if (COLUMNS[i][0] === responderSort.key) th.setAttribute('aria-sort', responderSort.dir);
      else th.removeAttribute('aria-sort');
    });
    tbody.replaceChildren(...sortResponders(s.responders, responderSort.key, responderSort.dir).map((r) => responderRow(r, lastFloor)));
  };
  const thead = h('thead', {}, h('tr', {}, ...heads, h('th', { scope: 'col' }, t('dashboard_col_failures_by_class'))));
  thead.addEventListener('click', (event) => {
    const key = (event.target as HTMLElement).closest('button')?.dataset.sort as SortKey | undefined;
    if (!key) return;
    if (key === responderSort.key) responderSort.dir = responderSort.dir === 'ascending' ? 'descending' : 'ascending';
    else Object.assign(responderSort, { key, dir: key === 'host' ? 'ascending' : 'descending' });
    draw();
  });
  draw();
  return section('responders', title,
    h('p', { class: 'muted' }, t('dashboard_responders_note')),
    h('div', { class: 'scroll' }, h('table', {}, thead, tbody)),
    h('details', {}, h('summary', {}, t('dashboard_failure_classes_summary')),
      facts(FAILURE_WORDS.map(([c, words]) => [c, words]))));
}

function breakageSection(s: Summary, theme: Theme): HTMLElement {
  const b = s.totals.breakage;
  const box = h('section', {
    class: 'box', id: 'breakage',
    'data-would-block': String(b.would_block), 'data-revoked': String(b.revoked), 'data-offline': String(b.offline),
    'data-unknown': String(b.unknown), 'data-error': String(b.error), 'data-undetermined': String(b.undetermined),
  }, h('h2', {}, t('dashboard_breakage_title')));
  if (b.evaluated === 0) {
    box.append(h('p', { class: 'empty' }, t('dashboard_breakage_empty')));
    return box;
  }
  const accepted = Math.max(0, b.evaluated - b.would_block - b.undetermined);
  const counts: Record<HardFail, number> = {
    'accept': accepted, 'block-revoked': b.revoked, 'block-unknown': b.unknown,
    'block-offline': b.offline, 'block-error': b.error, 'undetermined': b.undetermined,
  };
  const parts = HARD_FAIL_PARTS.map((p): [string, number, string] => [p.legend, counts[p.key], p.color(theme)]);
  box.append(
    h('p', {}, ...sentence(t('dashboard_breakage_blocked', slot(0), percent(b.block_rate)),
      h('strong', {}, many(b.evaluated, t('dashboard_breakage_blocked_of_one', num(b.would_block), num(b.evaluated)),
        t('dashboard_breakage_blocked_of_other', num(b.would_block), num(b.evaluated)))))),
    stackBar('breakage-stack', b.evaluated, parts),
    h('ul', { class: 'legend' }, ...parts.map(([label, n, color]) => h('li', {}, swatch(color), `${label}: ${num(n)}`))),
    facts(HARD_FAIL_PARTS.filter((p) => p.term).map((p) => [p.term!,
      `${num(counts[p.key])}${p.key === 'block-offline' ? ` ${t('dashboard_breakage_of_evaluated', percent(b.breakage_rate))}` : ''}: ${p.meaning}`])),
    h('p', { class: 'muted' }, SOFT_FAIL_WORDS));
  return box;
}

function emptySection(s: Summary, recording: boolean): HTMLElement {
  const how = [
    h('li', {}, t('dashboard_empty_browse')),
    isFirefox ? null : h('li', {}, t('dashboard_empty_chrome')),
    h('li', {}, t('dashboard_empty_live')),
  ];
  const n = s.days.length;
  return section('empty', many(n, t('dashboard_empty_title_one', num(n)), t('dashboard_empty_title_other', num(n))),
    recording ? null : h('p', { class: 'warn' }, t('dashboard_empty_recording_off')),
    h('p', {}, t('dashboard_empty_shows')),
    h('ul', {},
      h('li', {}, t('dashboard_empty_shows_rates')),
      h('li', {}, t('dashboard_empty_shows_paths')),
      h('li', {}, t('dashboard_empty_shows_latency')),
      h('li', {}, t('dashboard_empty_shows_breakage'))),
    h('p', {}, t('dashboard_empty_how')),
    h('ul', {}, ...how),
    s.days.length < s.retention_days ? h('p', { class: 'muted' }, t('dashboard_empty_older')) : null);
}

function notices(reply: TelemetryReply): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (!reply.recording) {
    out.push(h('p', { class: 'box warn', id: 'recording-off' }, t('dashboard_recording_off')));
  }
  if (reply.unreadable.length > 0) {
    out.push(h('div', { class: 'box', id: 'unreadable', 'data-count': String(reply.unreadable.length) },
      h('p', { class: 'warn' }, many(reply.unreadable.length, t('dashboard_unreadable_one', num(reply.unreadable.length)),
        t('dashboard_unreadable_other', num(reply.unreadable.length)))),
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

const lastDays = (days: number) => many(days, t('dashboard_last_days_one', num(days)), t('dashboard_last_days_other', num(days)));

/** The range choices: 7, 30, 90 days, the retention, and the range shown
 * (from the address), none beyond the retention. */
function fillRange(retention: number, days: number): void {
  const select = $<HTMLSelectElement>('range');
  const choices = [...new Set([...RANGE_CHOICES, retention, days])].filter((d) => d <= retention).sort((a, b) => a - b);
  select.replaceChildren(...choices.map((d) => h('option', { value: String(d) }, lastDays(d))));
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
  return section('crlite', t('dashboard_crlite_title'),
    h('p', { class: 'muted' }, many(asked, t('dashboard_crlite_note_one', num(asked)), t('dashboard_crlite_note_other', num(asked)))),
    h('table', { id: 'crlite-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dashboard_col_label')), h('th', { scope: 'col' }, t('dashboard_col_meaning')),
        h('th', { scope: 'col', class: 'num' }, t('dashboard_col_leaves')), h('th', { scope: 'col', class: 'num' }, t('dashboard_col_share')))),
      h('tbody', {}, ...rows)));
}

/** Draws the whole page from `reply`; resolves once every chart has painted. */
async function render(reply: TelemetryReply): Promise<void> {
  const drawStart = performance.now();
  const s = reply.summary;
  const theme = readTheme();
  page.charts.destroy();
  page.charts = new ChartSet();
  const range = [dayWords(s.from), dayWords(s.to), num(s.days_with_data)] as const;
  $('range-words').textContent = many(s.days_with_data, t('dashboard_range_words_one', ...range), t('dashboard_range_words_other', ...range));
  $('retention').textContent = many(s.retention_days, t('dashboard_retention_one', num(s.retention_days)),
    t('dashboard_retention_other', num(s.retention_days)));
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
  const place = $('onecrl-slot');
  try {
    const onecrl = await ask({ type: 'onecrl' });
    place.replaceChildren(onecrl ? onecrlBox(onecrl) : h('p', { class: 'muted' }, t('dashboard_no_onecrl')));
  } catch (e) {
    place.replaceChildren(h('p', { class: 'bad' }, t('dashboard_onecrl_unreadable', (e as Error).message)));
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
    $('content').replaceChildren(h('p', { class: 'box bad', id: 'error' }, t('dashboard_telemetry_unreadable', (e as Error).message)));
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
        if (!file) throw new Error(t('dashboard_export_no_file'));
        download(file);
        $('status').dataset.lastExport = file.filename;
        say(t('dashboard_export_saved', file.filename));
      } catch (e) {
        say(t('dashboard_export_failed', (e as Error).message));
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
    let question = t('dashboard_delete_all_question');
    try {
      const n = await storedDays();
      const unreadable = page.reply?.unreadable.length ?? 0;
      question = unreadable
        ? many(n, t('dashboard_delete_days_unreadable_one', num(n), num(unreadable)), t('dashboard_delete_days_unreadable_other', num(n), num(unreadable)))
        : many(n, t('dashboard_delete_days_one', num(n)), t('dashboard_delete_days_other', num(n)));
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
      say(t('dashboard_deleted'));
      close();
      await load(page.days);
    } catch (e) {
      say(t('dashboard_delete_failed', (e as Error).message));
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
  localizePage();
  // The page's own range choices, until the first answer brings the retention.
  for (const option of $<HTMLSelectElement>('range').options) option.textContent = lastDays(Number(option.value));
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
