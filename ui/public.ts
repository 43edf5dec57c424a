// The public dashboard: the collector's aggregates of the daily reports users
// chose to share, drawn with the extension dashboard's charts and words. A
// plain web page (no extension API): it asks the collector named in
// `?collector=`, or in the form, or the page's own origin when the collector
// serves it under /dashboard/.
//
// Suppressed cells (fewer than k reports counted them) are unknown, never 0:
// a sum over one reads "≥ N", a cell alone "suppressed", and a rate over one
// is not computed.
//
// The page is in English: its own words are here, the shared modules' are
// the extension's English messages (public-english.ts, imported first).
import './public-english';
import type { HardFail, LiveClass, NotAsked } from '../extension/src/telemetry-types';
import {
  type Aggregates, AggregatesError, collectorBase, type DayFigures, dayFigures, domainRows, type DomainRow, exact, exactAll,
  fetchAggregates, latencyFloors, pathCounts, pathLabels, pathTotals, rangeFigures, type Rate, rate, revocationMix, sumTotals,
  type Total, totalsByLabel, ZERO,
} from './aggregates';
import { bucketBars, ChartSet, percentLines, readTheme, stackedDayBars, type Layer, type Theme } from './charts';
import {
  card, chartHost, DEFAULT_DAYS, type Draft, drawCharts, followLayout, newDraft, RANGE_CHOICES, section, stackBar, swatch,
} from './dashboard-parts';
import { $, facts, h } from './dom';
import { bucketNames, percentileMarkers, quantile } from './latency';
import {
  CRLITE_LABELS, dataValue, FAILURE_WORDS, FIREFOX_LABELS, HARD_FAIL_PARTS, isFailure, msWords, NOT_ASKED_WORDS, num, PATHS,
  plural, REVOCATION_INFO, REVOCATION_INFO_WORDS, SOFT_FAIL_WORDS, utcSecs,
} from './telemetry-words';
import { percentWords as percent } from './words';

/** Where the collector serves this page (`--dashboard DIR`): there, the collector is the page's own origin. */
const SERVED_UNDER = '/dashboard/';

// ---------------------------------------------------------------------------
// Numbers that may be suppressed

/** Sums and rates in words, with k in their explanation. */
class Shown {
  constructor(readonly k: number) {}

  /** "1,234"; "≥ 1,234" when some cells under it are suppressed; "suppressed" when all that count are. */
  words(t: Total): string {
    if (t.suppressed === 0) return num(t.known);
    return t.known > 0 ? `≥ ${num(t.known)}` : 'suppressed';
  }

  /** A sum: its exact value in data-value ("" when not known), marked when suppressed. */
  total(t: Total, attrs: Record<string, string> = {}): HTMLElement {
    const el = h('span', { ...attrs, 'data-value': dataValue(exact(t)) }, this.words(t));
    if (t.suppressed > 0) {
      el.classList.add('suppressed');
      el.dataset.suppressed = String(t.suppressed);
      el.title = t.known > 0
        ? `At least ${num(t.known)}: ${plural(t.suppressed, 'count')} under it ${t.suppressed === 1 ? 'is' : 'are'} suppressed (fewer than k = ${this.k} reports counted ${t.suppressed === 1 ? 'it' : 'them'}).`
        : `Suppressed: fewer than k = ${this.k} reports counted it.`;
    }
    return el;
  }

  /** A rate: "43%", "—" when nothing was counted, "not computed" when an input is suppressed. */
  rate(r: Rate, attrs: Record<string, string> = {}): HTMLElement {
    const el = h('span', { ...attrs, 'data-value': dataValue(r.value) }, r.suppressed ? 'not computed' : percent(r.value));
    if (r.suppressed) {
      el.classList.add('suppressed');
      el.dataset.suppressed = 'rate';
      el.title = `Not computed: an input is suppressed (fewer than k = ${this.k} reports counted it).`;
    }
    return el;
  }

  /** "timeout 12, network ≥ 4, invalid suppressed": the labels not known to be zero, most first. */
  countsWords(totals: Map<string, Total>, keep: (label: string) => boolean): string {
    return [...totals].filter(([label, t]) => keep(label) && (t.known > 0 || t.suppressed > 0))
      .sort((a, b) => b[1].known - a[1].known)
      .map(([label, t]) => `${label} ${this.words(t)}`)
      .join(', ');
  }
}

/** Why a table has no Share column, and no bar of proportions, when its whole is partly suppressed. */
function noShares(whole: Total, k: number): HTMLElement | null {
  if (whole.suppressed === 0) return null;
  return h('p', { class: 'muted shares-not-computed' },
    h('span', { class: 'suppressed' }, 'Shares not computed'), `: some of these counts are suppressed (fewer than k = ${k} reports counted them), so the whole is not known.`);
}

// ---------------------------------------------------------------------------
// Sections. Each returns its element; charts are queued in the draft and
// drawn once the sections are in the page and the width is known.

interface View {
  a: Aggregates;
  show: Shown;
  /** One row per day of the range, held-back days included. */
  days: DayFigures[];
  /** The range's sums. */
  range: DayFigures;
  /** The charts' day axis: each day of the range, UTC midnight in seconds. */
  axis: number[];
  draft: Draft;
  theme: Theme;
}

function headline({ a, show, range, days }: View): HTMLElement {
  const published = a.days.length;
  const browser = totalsByLabel(a, 'browser_ocsp');
  const known = browser.get('known') ?? ZERO;
  const used = browser.get('used') ?? ZERO;
  const cards = h('div', { class: 'stats' },
    card('Reports', h('strong', { id: 'reports-total', 'data-value': String(range.reports) }, num(range.reports ?? 0)),
      `over ${plural(published, 'day')} published of ${days.length}; a day needs k = ${a.k} reports`),
    card('Page loads evaluated', show.total(range.evaluated, { id: 'evaluated' }),
      'of ', show.total(range.pages, { id: 'pages' }), ' HTTPS page loads reported'),
    card('Live OCSP usage', show.rate(range.usage, { id: 'usage-rate' }),
      show.total(range.needed, { id: 'needed' }), ' of ', show.total(range.evaluated), ' evaluated page loads needed a live OCSP answer'),
    card('Live OCSP failures', show.rate(range.failure, { id: 'failure-rate' }),
      show.total(range.failures, { id: 'failures' }), ' of ', show.total(range.asked, { id: 'asked' }), ' requests got no usable answer'),
    exact(known) !== 0 ? card('Firefox\'s own live OCSP', show.rate(rate(used, known), { id: 'browser-ocsp-rate' }),
      'Firefox itself asked a responder on ', show.total(used), ' of ', show.total(known), ' handshakes where it said') : '');
  return h('section', { id: 'headline' }, cards, liveDetail(a, show));
}

/** Why live OCSP was not asked, what the answers were, and by which HTTP method. */
function liveDetail(a: Aggregates, show: Shown): HTMLElement {
  const notAsked = totalsByLabel(a, 'live_not_asked');
  const outcomes = totalsByLabel(a, 'live_outcomes');
  const methods = totalsByLabel(a, 'live_methods');
  const reasons = [...notAsked].filter(([, t]) => t.known > 0 || t.suppressed > 0)
    .map(([reason, t]) => h('li', { 'data-reason': reason }, show.total(t), `: ${NOT_ASKED_WORDS[reason as NotAsked] ?? reason}`));
  const asked = sumTotals([...outcomes.values()]);
  const answers = show.countsWords(outcomes, (c) => !isFailure(c as LiveClass));
  const failures = show.countsWords(outcomes, (c) => isFailure(c as LiveClass));
  return h('div', { class: 'live-detail' },
    reasons.length ? h('div', { id: 'not-asked' }, h('p', {}, 'Needed live OCSP but not asked, because'), h('ul', {}, ...reasons)) : null,
    exact(asked) !== 0 ? h('p', { id: 'outcomes' }, `Answers: ${answers || 'none'}. No usable answer: ${failures || 'none'}.`) : null,
    exact(asked) !== 0 ? h('p', { id: 'methods' },
      'Requests sent by GET: ', show.total(methods.get('GET') ?? ZERO), '; by POST: ', show.total(methods.get('POST') ?? ZERO), '.') : null);
}

function reportsSection({ a, days, axis, draft }: View): HTMLElement {
  const held = days.filter((d) => d.reports === null).length;
  const layer: Layer = { label: 'Reports', color: '', counts: days.map((d) => d.reports) };
  return section('reports', 'Reports per day',
    h('p', { class: 'muted' },
      `Each report is one user's day. The collector publishes a day only when at least k = ${a.k} users reported it: `,
      h('strong', { id: 'held-back', 'data-value': String(held) }, held === 0 ? 'every day of this range is published' : `${plural(held, 'day')} of ${days.length} held back`),
      held ? ' (gaps below).' : '.'),
    chartHost(draft, 'Reports per day', (host) => (set, width, theme) =>
      stackedDayBars(set, host, width, theme, axis, [{ ...layer, color: theme.link }])));
}

function ratesSection(v: View): HTMLElement {
  const { days, axis, draft } = v;
  const toPercent = (r: Rate) => (r.value === null ? null : r.value * 100);
  return section('rates', 'Live OCSP per day',
    h('p', { class: 'muted' }, 'Usage: of the page loads evaluated that day, the share whose ladder needed a live OCSP answer. Failures: of the live requests made that day, the share without a usable answer (good, revoked and unknown are answers). Days held back, and days where a count the rate needs is suppressed, are gaps.'),
    chartHost(draft, 'Live OCSP usage and failure rates per day', (host) => (set, width, theme) =>
      percentLines(set, host, width, theme, axis, [
        { label: 'Usage (needed / evaluated)', color: theme.link, values: days.map((d) => toPercent(d.usage)) },
        { label: 'Failures (failed / asked)', color: theme.bad, values: days.map((d) => toPercent(d.failure)) },
      ])),
    perDayTable(v));
}

function perDayTable({ a, show, days }: View): HTMLElement {
  const heads = ['Day (UTC)', 'Reports', 'Page loads', 'Evaluated', 'Needed live OCSP', 'Usage', 'Asked', 'Failed', 'Failure rate'];
  const rows = days.map((d) => (d.reports === null
    ? h('tr', { 'data-day': d.day, class: 'held' }, h('td', {}, d.day),
      h('td', { colspan: String(heads.length - 1) }, `held back: fewer than k = ${a.k} reports`))
    : h('tr', { 'data-day': d.day },
      h('td', {}, d.day), h('td', { class: 'num' }, num(d.reports)),
      h('td', { class: 'num' }, show.total(d.pages)), h('td', { class: 'num' }, show.total(d.evaluated)),
      h('td', { class: 'num' }, show.total(d.needed)), h('td', { class: 'num' }, show.rate(d.usage, { class: 'usage' })),
      h('td', { class: 'num' }, show.total(d.asked)), h('td', { class: 'num' }, show.total(d.failures)),
      h('td', { class: 'num' }, show.rate(d.failure, { class: 'failure' })))));
  return h('details', {}, h('summary', {}, `Per-day numbers (${plural(a.days.length, 'day')} published)`),
    h('div', { class: 'scroll' }, h('table', { id: 'per-day' },
      h('thead', {}, h('tr', {}, ...heads.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
      h('tbody', {}, ...rows))));
}

const OTHER_COLOR = '#57606a';

function pathsSection({ a, show, days, axis, draft }: View): HTMLElement {
  const totals = pathTotals(a);
  const labels = pathLabels(a);
  const pages = sumTotals([...totals.values()]);
  const known = new Map(PATHS.map(([path, color, meaning], i) => [path as string, { color, meaning, firefox: i < FIREFOX_LABELS }]));
  const described = labels.map((label) => ({ label, ...(known.get(label) ?? { color: OTHER_COLOR, meaning: '', firefox: false }) }));
  const shares = exact(pages) !== null;
  const rows = described.map(({ label, color, meaning, firefox }) => {
    const t = totals.get(label) ?? ZERO;
    const zero = exact(t) === 0;
    return h('tr', { 'data-path': label, class: zero ? 'zero' : '' },
      h('td', {}, swatch(color), h('code', {}, label), firefox ? h('sup', { class: 'muted', title: 'a Firefox label' }, ' FF') : null),
      h('td', {}, meaning),
      h('td', { class: 'num' }, show.total(t)),
      shares ? h('td', { class: 'num' }, zero ? '' : show.rate(rate(t, pages))) : null);
  });
  const index = new Map(labels.map((l, i) => [l, i]));
  const byDay = new Map(a.days.map((d) => [d.day, pathCounts(d)]));
  const present = described.filter(({ label }) => a.days.some((d) => pathCounts(d)[index.get(label)!] !== 0));
  const layers: Layer[] = present.map(({ label, color }) => ({
    label, color,
    counts: days.map((f) => byDay.get(f.day)?.[index.get(label)!] ?? null),
  }));
  return section('paths', 'Which path decided',
    h('p', { class: 'muted' }, 'The step that decided each page load\'s leaf certificate. The first six labels (FF) are as in Firefox\'s cert_verifier.cert_revocation_mechanisms; the others are revoscope\'s own.'),
    shares ? stackBar('path-stack', pages.known, described.map(({ label, color }) => [label, totals.get(label)?.known ?? 0, color])) : null,
    noShares(pages, a.k),
    h('table', { id: 'path-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Page loads'), shares ? h('th', { scope: 'col', class: 'num' }, 'Share') : null)),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, 'Per day'),
    chartHost(draft, 'Page loads per day by the path that decided', (host) => (set, width, theme) =>
      stackedDayBars(set, host, width, theme, axis, layers)));
}

/** What the evaluated leaves carry: OCSP only, CRL only, both, neither (schema 2's reports). */
function revocationInfoSection({ a, show, axis, draft }: View): HTMLElement {
  const title = 'What the leaves carry';
  if (a.schema === 1) {
    return section('revocation-info', title, h('p', { class: 'empty' },
      'This collector answers in schema 1: its reports do not say what revocation information the leaves carry.'));
  }
  const mix = revocationMix(a);
  if (exact(mix.whole) === 0) {
    return section('revocation-info', title, h('p', { class: 'empty' },
      'No report in this range counted the leaves\' revocation information: reports of schema 1 (extensions before it was counted) carry none.'));
  }
  const words = new Map<string, [string, string]>(REVOCATION_INFO.map(([label, color, meaning]) => [label, [color, meaning]]));
  const shares = exact(mix.whole) !== null;
  const order = [...REVOCATION_INFO.map(([l]) => l as string), ...mix.labels.filter((l) => !words.has(l))];
  const rows = order.filter((l) => mix.totals.has(l)).map((label) => {
    const t = mix.totals.get(label)!;
    const [color, meaning] = words.get(label) ?? [OTHER_COLOR, ''];
    return h('tr', { 'data-info': label, class: exact(t) === 0 ? 'zero' : '' },
      h('td', {}, swatch(color), h('code', {}, label)), h('td', {}, meaning),
      h('td', { class: 'num' }, show.total(t)), shares ? h('td', { class: 'num' }, show.rate(rate(t, mix.whole))) : null);
  });
  const toPercent = (r: Rate | undefined) => (r?.value === null || r?.value === undefined ? null : r.value * 100);
  return section('revocation-info', title,
    h('p', { class: 'muted' }, REVOCATION_INFO_WORDS, ' Counted by the reports of schema 2 (', show.total(mix.reports, { id: 'schema-2-reports' }),
      ' in this range); reports of earlier extensions carry none and are left out of the shares.'),
    shares ? stackBar('revocation-info-stack', mix.whole.known, order.map((label) => [label, mix.totals.get(label)?.known ?? 0, words.get(label)?.[0] ?? OTHER_COLOR])) : null,
    noShares(mix.whole, a.k),
    h('table', { id: 'revocation-info-table', 'data-total': dataValue(exact(mix.whole)) },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Leaves'), shares ? h('th', { scope: 'col', class: 'num' }, 'Share') : null)),
      h('tbody', {}, ...rows)),
    h('h3', { class: 'sub' }, 'Per day'),
    h('p', { class: 'muted' }, 'Each label\'s share of the day\'s leaves. Days held back, and days where a count is suppressed, are gaps.'),
    chartHost(draft, 'Share of the evaluated leaves per day carrying OCSP only, CRL only, both or neither', (host) => (set, width, theme) =>
      percentLines(set, host, width, theme, axis, order.map((label) => ({
        label, color: words.get(label)?.[0] ?? theme.muted, values: mix.days.map((d) => toPercent(d.shares.get(label))),
      })))));
}

function crliteSection({ a, show }: View): HTMLElement | null {
  const totals = totalsByLabel(a, 'crlite');
  const asked = sumTotals([...totals.values()]);
  if (exact(asked) === 0) return null;
  const words = new Map<string, string>(CRLITE_LABELS);
  // Firefox's reading order (the deciding answers first), then any other label.
  const order = [...CRLITE_LABELS.map(([l]) => l as string), ...a.labels.crlite.filter((l) => !words.has(l))];
  const shares = exact(asked) !== null;
  const rows = order.filter((l) => totals.has(l)).map((label) => {
    const t = totals.get(label)!;
    const zero = exact(t) === 0;
    return h('tr', { 'data-crlite': label, class: zero ? 'zero' : '' },
      h('td', {}, h('code', {}, label)), h('td', {}, words.get(label) ?? ''),
      h('td', { class: 'num' }, show.total(t)), shares ? h('td', { class: 'num' }, zero ? '' : show.rate(rate(t, asked))) : null);
  });
  return section('crlite', 'What CRLite said',
    h('p', { class: 'muted' }, 'For the leaf certificates CRLite was asked about (', show.total(asked), '), labelled as Firefox\'s cert_verifier.crlite_status. In enforce mode the first two decide; the others go on down the ladder.'),
    h('table', { id: 'crlite-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Meaning'),
        h('th', { scope: 'col', class: 'num' }, 'Leaves'), shares ? h('th', { scope: 'col', class: 'num' }, 'Share') : null)),
      h('tbody', {}, ...rows)),
    noShares(asked, a.k));
}

function latencySection({ a, show, draft }: View): HTMLElement {
  const floors = latencyFloors(a.labels.live_latency);
  const buckets = a.labels.live_latency.map((l) => totalsByLabel(a, 'live_latency').get(l) ?? ZERO);
  const total = sumTotals(buckets);
  const box = h('section', { class: 'box', id: 'latency', 'data-total': dataValue(exact(total)) }, h('h2', {}, 'Live OCSP latency'));
  if (exact(total) === 0) {
    box.append(h('p', { class: 'empty' }, 'No live OCSP request was reported in this range, so there is no latency to show.'));
    return box;
  }
  const lastFloor = floors[floors.length - 1] ?? Infinity;
  const all = exactAll(buckets);
  const p50 = all && quantile(all, floors, 0.5);
  const p95 = all && quantile(all, floors, 0.95);
  const { names, ticks } = bucketNames(floors);
  const legendNames = names.map((n, i) => (buckets[i].suppressed > 0 ? `${n} (${show.words(buckets[i])})` : n));
  box.append(
    all
      ? h('p', {}, 'Median ', h('strong', { id: 'p50', 'data-value': dataValue(p50) }, msWords(p50, lastFloor)),
        ', 95th percentile ', h('strong', { id: 'p95', 'data-value': dataValue(p95) }, msWords(p95, lastFloor)),
        ', over ', show.total(total), ' requests.')
      : h('p', { id: 'percentiles' }, 'Over ', show.total(total), ' requests. ',
        h('span', { class: 'suppressed', id: 'p50', 'data-value': '' }, 'Percentiles not computed'),
        `: counts are suppressed in ${names.filter((_, i) => buckets[i].suppressed > 0).join(', ')} (fewer than k = ${a.k} reports counted them); the bars show the counts that are published.`),
    h('p', { class: 'muted' }, `Times are kept in power-of-two buckets only; the percentiles are estimated by interpolating inside a bucket. The last bucket (${names[names.length - 1]}) is open-ended: a percentile there is a lower bound.`),
    chartHost(draft, 'Live OCSP requests by latency bucket', (host) => (set, width, theme) =>
      bucketBars(set, host, width, theme, {
        names: legendNames, ticks, counts: buckets.map((b) => b.known), color: theme.link, markers: percentileMarkers(p50, p95, floors),
      })),
    h('details', {}, h('summary', {}, 'Counts per bucket'),
      h('table', { id: 'latency-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col', class: 'num' }, 'Requests'))),
        h('tbody', {}, ...buckets.map((b, i) => (exact(b) === 0 ? null : h('tr', { 'data-floor': String(floors[i]) },
          h('td', {}, names[i]), h('td', { class: 'num' }, show.total(b)))))))));
  return box;
}

/** Most attempts first (known attempts: a suppressed row has at least those), then by name; "other" last. */
function byAttempts(x: DomainRow, y: DomainRow): number {
  if ((x.domain === 'other') !== (y.domain === 'other')) return x.domain === 'other' ? 1 : -1;
  return y.attempts.known - x.attempts.known || y.attempts.suppressed - x.attempts.suppressed || x.domain.localeCompare(y.domain);
}

function responderRow(r: DomainRow, show: Shown, floors: number[]): HTMLElement {
  const lastFloor = floors[floors.length - 1] ?? Infinity;
  const latency = exactAll(r.latency);
  const percentile = (q: number) => {
    if (!latency) return h('span', { class: 'suppressed', title: 'Not computed: a latency bucket is suppressed.', 'data-value': '' }, 'not computed');
    const ms = quantile(latency, floors, q);
    return h('span', { 'data-value': dataValue(ms) }, msWords(ms, lastFloor));
  };
  const failureClasses = show.countsWords(r.outcomes, (c) => isFailure(c as LiveClass));
  return h('tr', { 'data-domain': r.domain },
    h('td', { class: 'host' }, r.domain === 'other' ? h('em', { title: 'every responder outside the 24 CA domains a report names' }, 'other') : r.domain),
    h('td', { class: 'num' }, show.total(r.attempts)),
    h('td', { class: 'num' }, show.total(r.failures)),
    h('td', { class: 'num' }, show.rate(r.failure)),
    h('td', { class: 'num p50' }, percentile(0.5)),
    h('td', { class: 'num p95' }, percentile(0.95)),
    h('td', { class: 'classes', title: `answers: ${show.countsWords(r.outcomes, (c) => !isFailure(c as LiveClass)) || 'none'}` }, failureClasses || '—'));
}

function respondersSection({ a, show }: View): HTMLElement {
  const title = 'OCSP responders by CA domain';
  const all = domainRows(a);
  const asked = all.filter((r) => exact(r.attempts) !== 0).sort(byAttempts);
  const none = all.filter((r) => exact(r.attempts) === 0).map((r) => r.domain);
  if (asked.length === 0) {
    return section('responders', title, h('p', { class: 'empty' }, 'No responder was asked in this range.'));
  }
  const floors = latencyFloors(a.labels.live_latency);
  const heads = ['CA domain', 'Attempts', 'Failures', 'Failure rate', 'Median', 'p95', 'Failures by class'];
  return section('responders', title,
    h('p', { class: 'muted' }, 'Live OCSP requests by the responder\'s domain over the range (a host counts under a domain when it is the domain or ends in it). The median and p95 are estimated from latency buckets.'),
    h('div', { class: 'scroll' }, h('table', { id: 'responder-table' },
      h('thead', {}, h('tr', {}, ...heads.map((t, i) => h('th', { scope: 'col', class: i > 0 && i < 6 ? 'num' : '' }, t)))),
      h('tbody', {}, ...asked.map((r) => responderRow(r, show, floors))))),
    none.length ? h('p', { class: 'muted', id: 'responders-none' }, `No request counted for: ${none.join(', ')}.`) : null,
    h('details', {}, h('summary', {}, 'What the failure classes mean'),
      facts(FAILURE_WORDS.map(([c, words]) => [c, words]))));
}

const offlineShare = (r: Rate) => (r.suppressed ? 'its share of evaluated not computed' : `${percent(r.value)} of evaluated`);

function breakageSection({ a, show, range, theme }: View): HTMLElement {
  const totals = totalsByLabel(a, 'hard_fail');
  const get = (key: HardFail) => totals.get(key) ?? ZERO;
  const box = h('section', { class: 'box', id: 'breakage' }, h('h2', {}, 'If live OCSP were hard-fail'));
  const counted = sumTotals([...totals.values()]);
  if (exact(counted) === 0) {
    box.append(h('p', { class: 'empty' }, 'No page load with a verdict was reported in this range.'));
    return box;
  }
  const wouldBlock = sumTotals(HARD_FAIL_PARTS.filter((p) => p.key.startsWith('block-')).map((p) => get(p.key)));
  const parts = HARD_FAIL_PARTS.map((p): [string, number, string] => [p.legend, get(p.key).known, p.color(theme)]);
  box.append(
    h('p', {}, 'Hard-fail would have blocked ', show.total(wouldBlock, { id: 'would-block' }), ' of ', show.total(range.evaluated),
      ' page loads evaluated (', show.rate(rate(wouldBlock, range.evaluated), { id: 'block-rate' }), ').'),
    // Proportions only of a known whole.
    ...(exact(counted) !== null ? [stackBar('breakage-stack', counted.known, parts)] : []),
    h('ul', { class: 'legend' }, ...HARD_FAIL_PARTS.map((p) => h('li', { 'data-hard-fail': p.key }, swatch(p.color(theme)), `${p.legend}: `, show.total(get(p.key))))),
    facts(HARD_FAIL_PARTS.filter((p) => p.term).map((p) => [p.term!, `${show.words(get(p.key))}${p.key === 'block-offline'
      ? ` (${offlineShare(rate(get(p.key), range.evaluated))})` : ''}: ${p.meaning}`])),
    h('p', { class: 'muted' }, SOFT_FAIL_WORDS));
  return box;
}

function emptySection(a: Aggregates): HTMLElement {
  return section('empty', 'Nothing published for this range',
    h('p', {}, `No day from ${a.from} to ${a.to} had at least k = ${a.k} reports, so the collector publishes none of them. Each day reaches the page once k users who opted in have reported it.`),
    h('p', { class: 'muted' }, 'A longer range may hold published days.'));
}

/** A key to the marks, when the range has any suppressed count. */
function suppressionKey(a: Aggregates): HTMLElement | null {
  const any = a.days.some((d) => Object.values(d.counts).some((cells) => cells.includes(null)));
  if (!any) return null;
  return h('p', { class: 'box', id: 'suppression-key' },
    h('span', { class: 'suppressed' }, 'suppressed'), `: fewer than k = ${a.k} reports counted it, so the collector does not say how many (not zero: unknown). `,
    h('span', { class: 'suppressed' }, '≥ N'), ': a sum over counts of which some are suppressed: at least N. ',
    h('span', { class: 'suppressed' }, 'not computed'), ': a rate one of whose counts is suppressed.');
}

// ---------------------------------------------------------------------------
// The page

const page = {
  aggregates: null as Aggregates | null,
  charts: new ChartSet(),
  chartHosts: [] as HTMLElement[],
  /** Bumped by each load, so a slow answer never overwrites a newer one. */
  loads: 0,
};

function setState(state: 'idle' | 'loading' | 'empty' | 'ready' | 'error'): void {
  const main = $('dashboard');
  main.dataset.state = state;
  main.setAttribute('aria-busy', String(state === 'loading'));
}

/** Draws the whole page from `a`; resolves once every chart has painted. */
async function render(a: Aggregates): Promise<void> {
  const theme = readTheme();
  page.charts.destroy();
  page.charts = new ChartSet();
  const days = dayFigures(a);
  const v: View = {
    a, show: new Shown(a.k), days, range: rangeFigures(a),
    axis: days.map((d) => utcSecs(d.day)), draft: newDraft(), theme,
  };
  $('range-words').textContent = `${a.from} to ${a.to} (UTC days): ${plural(a.days.length, 'day')} published of ${days.length}, k = ${a.k}`;
  const sections = a.days.length === 0
    ? [emptySection(a)]
    : [suppressionKey(a), headline(v), reportsSection(v), ratesSection(v), pathsSection(v), revocationInfoSection(v), crliteSection(v),
      latencySection(v), respondersSection(v), breakageSection(v)]
      .filter((part): part is HTMLElement => part !== null);
  $('content').replaceChildren(...sections);
  page.chartHosts = v.draft.hosts;
  await drawCharts(v.draft, page.charts, theme);
}

/** The `days` days ending today, as UTC days. */
function rangeEndingToday(days: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

function fail(message: string): void {
  page.charts.destroy();
  page.aggregates = null;
  $('content').replaceChildren(h('p', { class: 'box bad', id: 'error' }, message));
  setState('error');
}

async function load(address: string, days: number): Promise<void> {
  const mine = ++page.loads;
  const status = $('status');
  if (address.trim() === '') {
    status.textContent = '';
    $('content').replaceChildren(h('p', { class: 'box', id: 'ask' },
      'Give the address of a revoscope collector (the part before /v1/aggregates) and choose a range to draw what its users reported.'));
    setState('idle');
    return;
  }
  setState('loading');
  const { from, to } = rangeEndingToday(days);
  try {
    const base = collectorBase(address);
    status.textContent = `Asking ${base.href} for ${from} to ${to}…`;
    const a = await fetchAggregates(base, from, to);
    if (mine !== page.loads) return;
    page.aggregates = a;
    status.textContent = `From ${base.href}.`;
    await render(a);
    if (mine !== page.loads) return;
    setState(a.days.length === 0 ? 'empty' : 'ready');
  } catch (e) {
    if (mine !== page.loads) return;
    status.textContent = '';
    fail(e instanceof AggregatesError ? e.message : `The aggregates could not be drawn: ${(e as Error).message}`);
  }
}

/** The collector when the address names none: the page's own origin when the collector serves it. */
function defaultCollector(): string {
  const web = location.protocol === 'http:' || location.protocol === 'https:';
  return web && location.pathname.startsWith(SERVED_UNDER) ? location.origin : '';
}

/** The form's choice in the address (`?collector=…&days=N`), so a reload or a shared link keeps it. */
function remember(address: string, days: number): void {
  const url = new URL(location.href);
  if (address && address !== defaultCollector()) url.searchParams.set('collector', address);
  else url.searchParams.delete('collector');
  url.searchParams.set('days', String(days));
  history.replaceState(null, '', url);
}

function main(): void {
  const form = $<HTMLFormElement>('source');
  const input = $<HTMLInputElement>('collector');
  const select = $<HTMLSelectElement>('range');
  const params = new URLSearchParams(location.search);
  const asked = Number(params.get('days'));
  input.value = params.get('collector') ?? defaultCollector();
  select.value = String(RANGE_CHOICES.includes(asked) ? asked : DEFAULT_DAYS);
  const go = () => {
    const days = Number(select.value);
    remember(input.value.trim(), days);
    void load(input.value, days);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go();
  });
  select.addEventListener('change', () => { if (input.value.trim()) go(); });
  followLayout({
    charts: () => page.charts,
    firstHost: () => page.chartHosts[0],
    redraw: () => {
      if (page.aggregates && $('dashboard').dataset.state !== 'loading') void render(page.aggregates);
    },
  });
  void load(input.value, Number(select.value));
}

try {
  main();
} catch (e) {
  fail(`revoscope: ${(e as Error).message}`);
}
