// The collector's aggregates (`GET {collector}/v1/aggregates?from=&to=`):
// fetched, read strictly, and the numbers the public dashboard derives from
// them. No DOM here.
//
// The document: `{schema: 2, k, from, to, sections: [{name, labels}], days:
// [{day, reports, reports_by_schema: {"1": n, "2": m}, counts: {section:
// [cell…]}}]}`. The sections and labels are the daily report's
// (crate/engine/src/telemetry/report.rs, `SECTIONS`). A day with fewer than
// k reports is left out; a cell is the sum over the day's reports, or null
// when fewer than k reports counted anything there (suppressed for
// privacy). A suppressed cell is not zero: it is unknown, so any sum over it
// is a lower bound and any rate over it is not computed.
//
// Schema 2 is schema 1 with six sections after its ten (CRLs, the leaves'
// revocation information). Reports of schema 1 count nothing in those, so
// they are read against the day's schema-2 reports (`reports_by_schema`). A
// collector of schema 1 answers a schema-1 document: read too, with the
// sections of schema 2 empty.
import type { LiveClass } from '../extension/src/telemetry-types';
import { ANSWERS, PAGE_LEVEL_PATHS } from './telemetry-words';

/** The schemas this page reads. */
export const AGGREGATES_SCHEMAS = [1, 2] as const;
export type AggregatesSchema = typeof AGGREGATES_SCHEMAS[number];

/** An answer this large is not aggregates: 90 days of the ~1,100 cells of schema 2 is under 2 MB. */
const MAX_ANSWER_CHARS = 16 * 1024 * 1024;
/** How long the collector may take to answer. */
const FETCH_TIMEOUT_MS = 20_000;

/** The report's sections, in vector order (crate/engine/src/telemetry/report.rs): schema 1's, then those schema 2 added. */
export const SECTION_NAMES = [
  'paths', 'live_not_asked', 'live_outcomes', 'live_methods', 'live_latency',
  'hard_fail', 'crlite', 'browser_ocsp', 'responder_outcomes', 'responder_latency',
  'more_paths', 'revocation_info', 'crl_outcomes', 'crl_latency', 'crl_cache', 'crl_host_outcomes',
] as const;
export type SectionName = typeof SECTION_NAMES[number];
/** How many of the sections schema 1 has. */
const SCHEMA_1_SECTIONS = 10;
const sectionsOf = (schema: AggregatesSchema): readonly SectionName[] => (schema === 1 ? SECTION_NAMES.slice(0, SCHEMA_1_SECTIONS) : SECTION_NAMES);

/** A cell: the sum over a day's reports, or null when suppressed (fewer than k reports counted it). */
export type Cell = number | null;

export interface AggregateDay {
  day: string;
  reports: number;
  /** The reports of schema 2: those that could count in its sections (null: suppressed). */
  schema2Reports: Cell;
  counts: Record<SectionName, Cell[]>;
}

export interface Aggregates {
  schema: AggregatesSchema;
  /** The least number of reports a day, or a cell, is published with. */
  k: number;
  from: string;
  to: string;
  labels: Record<SectionName, string[]>;
  /** Oldest first; only the days with at least k reports. */
  days: AggregateDay[];
}

// ---------------------------------------------------------------------------
// Fetching, and what can go wrong

export type AggregatesProblem =
  | { kind: 'bad-address'; address: string }
  | { kind: 'unreachable'; url: string; why: string }
  | { kind: 'http'; url: string; status: number; statusText: string }
  | { kind: 'not-json'; url: string; why: string }
  | { kind: 'schema'; url: string; schema: unknown }
  | { kind: 'malformed'; url: string; why: string };

/** Why there are no aggregates to draw, in a sentence for the page. */
export class AggregatesError extends Error {
  constructor(readonly problem: AggregatesProblem) {
    super(problemWords(problem));
    this.name = 'AggregatesError';
  }
}

function problemWords(p: AggregatesProblem): string {
  switch (p.kind) {
    case 'bad-address':
      return `“${p.address}” is not a collector address: give an http:// or https:// URL, such as https://collector.example.`;
    case 'unreachable':
      return `The collector could not be reached at ${p.url} (${p.why}). Check the address, and that the collector is running and answers this page (CORS).`;
    case 'http':
      return `The collector answered HTTP ${p.status}${p.statusText ? ` ${p.statusText}` : ''} at ${p.url}, not the aggregates.`;
    case 'not-json':
      return `The collector's answer at ${p.url} is not JSON (${p.why}): is this the collector's address?`;
    case 'schema':
      return p.schema === undefined
        ? `The collector's answer at ${p.url} names no schema: it is not an aggregates document.`
        : `The collector's answer at ${p.url} is in schema ${JSON.stringify(p.schema)}; this page reads schemas ${AGGREGATES_SCHEMAS.join(' and ')}.`;
    case 'malformed':
      return `The collector's answer at ${p.url} is not a valid aggregates document: ${p.why}.`;
  }
}

/** The collector's base address from what the user typed: an http(s) URL, without query or fragment. */
export function collectorBase(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new AggregatesError({ kind: 'bad-address', address });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AggregatesError({ kind: 'bad-address', address });
  url.search = '';
  url.hash = '';
  return url;
}

/** The aggregates URL for the days `from` to `to` (YYYY-MM-DD, both included). */
export function aggregatesUrl(base: URL, from: string, to: string): URL {
  const url = new URL(base);
  // A URL's path is never empty: "/" at least.
  url.pathname = `${base.pathname.replace(/\/+$/, '')}/v1/aggregates`;
  url.search = new URLSearchParams({ from, to }).toString();
  return url;
}

/** Fetches and reads the aggregates; every failure is an AggregatesError with its sentence. */
export async function fetchAggregates(base: URL, from: string, to: string): Promise<Aggregates> {
  const url = aggregatesUrl(base, from, to).href;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), credentials: 'omit' });
    text = await response.text();
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : (e as Error).message;
    throw new AggregatesError({ kind: 'unreachable', url, why });
  }
  if (!response.ok) throw new AggregatesError({ kind: 'http', url, status: response.status, statusText: response.statusText });
  if (text.length > MAX_ANSWER_CHARS) {
    throw new AggregatesError({ kind: 'malformed', url, why: `it is ${text.length} characters long, over the ${MAX_ANSWER_CHARS} this page reads` });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AggregatesError({ kind: 'not-json', url, why: (e as Error).message });
  }
  return readAggregates(json, url);
}

// ---------------------------------------------------------------------------
// Reading strictly: the schema first, then every field

class Malformed extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function need(ok: boolean, why: string): asserts ok {
  if (!ok) throw new Malformed(why);
}

/** `json` as aggregates, or an AggregatesError saying what is wrong (`url` names where it came from). */
export function readAggregates(json: unknown, url: string): Aggregates {
  const schema = isObject(json) ? json.schema : undefined;
  if (!(AGGREGATES_SCHEMAS as readonly unknown[]).includes(schema)) throw new AggregatesError({ kind: 'schema', url, schema });
  try {
    return readDocument(json as Record<string, unknown>, schema as AggregatesSchema);
  } catch (e) {
    if (e instanceof Malformed) throw new AggregatesError({ kind: 'malformed', url, why: e.message });
    throw e;
  }
}

function readDocument(doc: Record<string, unknown>, schema: AggregatesSchema): Aggregates {
  const { k, from, to, sections, days } = doc;
  const names = sectionsOf(schema);
  need(isCount(k) && k >= 1, '"k" is not a positive whole number');
  need(isDay(from) && isDay(to), '"from" and "to" are not YYYY-MM-DD days');
  need(from <= to, `"from" (${from}) is after "to" (${to})`);
  need(Array.isArray(sections), '"sections" is not a list');
  const labels = {} as Record<SectionName, string[]>;
  for (const s of sections) {
    need(isObject(s) && typeof s.name === 'string', 'a section has no name');
    need(Array.isArray(s.labels) && s.labels.every((l) => typeof l === 'string'), `the section "${s.name}" has no list of labels`);
    // Sections this page does not know are left aside.
    if ((names as readonly string[]).includes(s.name)) labels[s.name as SectionName] = s.labels as string[];
  }
  const missing = names.filter((name) => !labels[name]);
  need(missing.length === 0, `the section${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
  need(Array.isArray(days), '"days" is not a list');
  let previous = '';
  const read = days.map((d): AggregateDay => {
    need(isObject(d) && isDay(d.day), 'a day has no YYYY-MM-DD "day"');
    const day = d.day;
    need(day >= from && day <= to, `the day ${day} is outside ${from} to ${to}`);
    need(day > previous, `the day ${day} is out of order or repeated`);
    previous = day;
    need(isCount(d.reports), `the day ${day} has no whole number of "reports"`);
    let schema2Reports: Cell = 0;
    if (schema === 2) {
      const bySchema = d.reports_by_schema;
      need(isObject(bySchema) && Object.values(bySchema).every((n) => n === null || isCount(n)),
        `the day ${day} has no "reports_by_schema" of whole numbers or nulls`);
      const two = bySchema['2'];
      schema2Reports = two === undefined ? 0 : (two as Cell);
    }
    need(isObject(d.counts), `the day ${day} has no "counts"`);
    const counts = {} as Record<SectionName, Cell[]>;
    // A schema-1 document: no CRL counts, no labels for them.
    for (const name of SECTION_NAMES.slice(names.length)) {
      counts[name] = [];
      labels[name] ??= [];
    }
    for (const name of names) {
      const cells = d.counts[name];
      need(Array.isArray(cells), `the day ${day} has no "${name}" counts`);
      need(cells.length === labels[name].length, `the day ${day} has ${cells.length} "${name}" counts for ${labels[name].length} labels`);
      need(cells.every((c) => c === null || isCount(c)), `the day ${day} has a "${name}" count that is neither a whole number nor null`);
      counts[name] = cells as Cell[];
    }
    return { day, reports: d.reports, schema2Reports, counts };
  });
  for (const name of SECTION_NAMES.slice(names.length)) labels[name] ??= [];
  return { schema, k, from, to, labels, days: read };
}

// ---------------------------------------------------------------------------
// Sums over cells some of which are suppressed

/** A sum over cells: `known`, the sum of those published, and how many were `suppressed`. */
export interface Total {
  known: number;
  suppressed: number;
}

export const ZERO: Total = { known: 0, suppressed: 0 };

/** The total's value when every cell under it is known, else null. */
export const exact = (t: Total): number | null => (t.suppressed > 0 ? null : t.known);

export function sumCells(cells: Iterable<Cell>): Total {
  let known = 0;
  let suppressed = 0;
  for (const c of cells) {
    if (c === null) suppressed++;
    else known += c;
  }
  return { known, suppressed };
}

export const add = (a: Total, b: Total): Total => ({ known: a.known + b.known, suppressed: a.suppressed + b.suppressed });
export const sumTotals = (ts: Total[]): Total => ts.reduce(add, ZERO);

/** A rate: null when nothing was counted under `whole`, or `suppressed` when an input is not known. */
export type Rate = { value: number | null; suppressed: false } | { value: null; suppressed: true };

export function rate(part: Total, whole: Total): Rate {
  const p = exact(part);
  const w = exact(whole);
  if (p === null || w === null) return { value: null, suppressed: true };
  return { value: w > 0 ? p / w : null, suppressed: false };
}

// ---------------------------------------------------------------------------
// What the dashboard draws

/** The page-level labels leave `evaluated`: those pages got no verdict. */
const isEvaluated = (label: string) => !(PAGE_LEVEL_PATHS as readonly string[]).includes(label);
const isAnswer = (label: string) => (ANSWERS as readonly string[]).includes(label);

/** One day's live-OCSP figures, worked out from the sections as the engine's summary does for one user. */
export interface DayFigures {
  day: string;
  /** null: the day is left out (fewer than k reports). */
  reports: number | null;
  pages: Total;
  /** Page loads with a verdict: every path but BrowserBlocked, NotInspected and EvaluationError. */
  evaluated: Total;
  /** Page loads whose ladder needed live OCSP: not asked, or asked (any outcome). */
  needed: Total;
  /** Live requests made: every outcome. */
  asked: Total;
  /** Live requests without a usable answer: every outcome but good, revoked, unknown. */
  failures: Total;
  /** needed / evaluated. */
  usage: Rate;
  /** failures / asked. */
  failure: Rate;
}

/** The cells of `section` whose label passes `keep`. */
function pick(cells: Cell[], labels: string[], keep: (label: string) => boolean): Cell[] {
  return cells.filter((_, i) => keep(labels[i]));
}

/** Every path label: schema 1's twelve, then those schema 2 added (`more_paths`: CRL). */
export const pathLabels = (a: Aggregates): string[] => [...a.labels.paths, ...a.labels.more_paths];
/** A day's path counts, in the order of `pathLabels`. */
export const pathCounts = (day: AggregateDay): Cell[] => [...day.counts.paths, ...day.counts.more_paths];

export function figuresOf(a: Aggregates, day: AggregateDay): DayFigures {
  const { live_not_asked: notAsked, live_outcomes: outcomes } = day.counts;
  const paths = pathCounts(day);
  const evaluated = sumCells(pick(paths, pathLabels(a), isEvaluated));
  const asked = sumCells(outcomes);
  const needed = add(sumCells(notAsked), asked);
  const failures = sumCells(pick(outcomes, a.labels.live_outcomes, (l) => !isAnswer(l)));
  return {
    day: day.day, reports: day.reports, pages: sumCells(paths), evaluated, needed, asked, failures,
    usage: rate(needed, evaluated), failure: rate(failures, asked),
  };
}

const NOT_PUBLISHED: Rate = { value: null, suppressed: true };

/** Every day from `from` to `to`, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** One row per day of the range, the left-out days included (every figure unknown). */
export function dayFigures(a: Aggregates): DayFigures[] {
  const byDay = new Map(a.days.map((d) => [d.day, d]));
  const unknown: Total = { known: 0, suppressed: 1 };
  return daysBetween(a.from, a.to).map((day) => {
    const d = byDay.get(day);
    if (d) return figuresOf(a, d);
    return { day, reports: null, pages: unknown, evaluated: unknown, needed: unknown, asked: unknown, failures: unknown, usage: NOT_PUBLISHED, failure: NOT_PUBLISHED };
  });
}

/** Each cell of `section` summed over the published days. */
export function rangeTotals(a: Aggregates, section: SectionName): Total[] {
  return a.labels[section].map((_, i) => sumCells(a.days.map((d) => d.counts[section][i])));
}

/** The range's totals of `section` by label. */
export function totalsByLabel(a: Aggregates, section: SectionName): Map<string, Total> {
  const totals = rangeTotals(a, section);
  return new Map(a.labels[section].map((label, i) => [label, totals[i]]));
}

/** The whole range's live figures: the days' sums, the rates over the sums. */
export function rangeFigures(a: Aggregates): DayFigures {
  const days = a.days.map((d) => figuresOf(a, d));
  const sum = (pickTotal: (f: DayFigures) => Total) => sumTotals(days.map(pickTotal));
  const evaluated = sum((f) => f.evaluated);
  const needed = sum((f) => f.needed);
  const asked = sum((f) => f.asked);
  const failures = sum((f) => f.failures);
  return {
    day: `${a.from}/${a.to}`, reports: days.reduce((n, f) => n + (f.reports ?? 0), 0),
    pages: sum((f) => f.pages), evaluated, needed, asked, failures,
    usage: rate(needed, evaluated), failure: rate(failures, asked),
  };
}

/** The range's path totals by label, schema 2's `more_paths` joined to `paths`. */
export function pathTotals(a: Aggregates): Map<string, Total> {
  return new Map([...totalsByLabel(a, 'paths'), ...totalsByLabel(a, 'more_paths')]);
}

/** The revocation-information mix of the evaluated leaves (schema 2's reports only). */
export interface Mix {
  labels: string[];
  /** Over the range, by label. */
  totals: Map<string, Total>;
  whole: Total;
  /** The range's schema-2 reports: the only ones that count here. */
  reports: Total;
  /** Per day of the range (held-back days included): each label's share of the day's leaves. */
  days: { day: string; shares: Map<string, Rate> }[];
}

export function revocationMix(a: Aggregates): Mix {
  const labels = a.labels.revocation_info;
  const totals = totalsByLabel(a, 'revocation_info');
  const byDay = new Map(a.days.map((d) => [d.day, d]));
  const days = daysBetween(a.from, a.to).map((day) => {
    const d = byDay.get(day);
    const whole = d ? sumCells(d.counts.revocation_info) : { known: 0, suppressed: 1 };
    return {
      day,
      shares: new Map(labels.map((label, i): [string, Rate] => [label,
        d ? rate(sumCells([d.counts.revocation_info[i]]), whole) : NOT_PUBLISHED])),
    };
  });
  return {
    labels, totals, whole: sumTotals([...totals.values()]), reports: sumCells(a.days.map((d) => d.schema2Reports)), days,
  };
}

/** The latency buckets' lower bounds in ms, from labels such as "0ms", "1ms", "2ms". */
export function latencyFloors(labels: string[]): number[] {
  return labels.map((l) => Number(/^(\d+)ms$/.exec(l)?.[1] ?? NaN));
}

/** One CA domain's responders (or "other") over the range. */
export interface DomainRow {
  domain: string;
  attempts: Total;
  failures: Total;
  failure: Rate;
  outcomes: Map<LiveClass, Total>;
  /** Latency per bucket (the floors of `live_latency`). */
  latency: Total[];
}

/** `domain/label` → [domain, label]; the label is after the last slash. */
function splitSlot(label: string): [string, string] {
  const at = label.lastIndexOf('/');
  return [label.slice(0, at), label.slice(at + 1)];
}

/** Per CA domain, in the document's order: outcomes and latency summed over the range. */
export function domainRows(a: Aggregates): DomainRow[] {
  const rows = new Map<string, DomainRow>();
  const row = (domain: string) => {
    let r = rows.get(domain);
    if (!r) {
      r = { domain, attempts: ZERO, failures: ZERO, failure: { value: null, suppressed: false }, outcomes: new Map(), latency: [] };
      rows.set(domain, r);
    }
    return r;
  };
  const outcomes = rangeTotals(a, 'responder_outcomes');
  a.labels.responder_outcomes.forEach((label, i) => {
    const [domain, cls] = splitSlot(label);
    const r = row(domain);
    r.outcomes.set(cls as LiveClass, outcomes[i]);
    r.attempts = add(r.attempts, outcomes[i]);
    if (!isAnswer(cls)) r.failures = add(r.failures, outcomes[i]);
  });
  const latency = rangeTotals(a, 'responder_latency');
  const bucketOf = new Map(a.labels.live_latency.map((l, i) => [l, i]));
  a.labels.responder_latency.forEach((label, i) => {
    const [domain, bucket] = splitSlot(label);
    const b = bucketOf.get(bucket);
    if (b === undefined) return;
    const r = row(domain);
    r.latency[b] = add(r.latency[b] ?? ZERO, latency[i]);
  });
  for (const r of rows.values()) {
    r.failure = rate(r.failures, r.attempts);
    for (let b = 0; b < a.labels.live_latency.length; b++) r.latency[b] ??= ZERO;
  }
  return [...rows.values()];
}

/** The exact counts, or null when any is suppressed (a percentile over them is not computed). */
export function exactAll(totals: Total[]): number[] | null {
  return totals.some((t) => t.suppressed > 0) ? null : totals.map((t) => t.known);
}
