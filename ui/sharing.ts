// The sharing page: what a report holds, the user's choice (opt in, pause,
// resume, withdraw, share today now), the collector, and every queued report
// exactly as it will be sent, with its nonzero counts by name. The
// background owns the state (extension/src/sharing.ts) and the settings
// (the collector and the delay are a settings patch); this page asks.
import { ext, isFirefox } from '../extension/src/api';
import { formatDay, formatMoment, formatNumber, localizePage, t } from '../extension/src/i18n';
import { DATA_COLLECTION, type DayOutcome, type QueuedReport, type RefusedReport, type ReportSection, type SharingInfo } from '../extension/src/sharing-types';
import { ask } from './ask';
import { $, h } from './dom';

// ---------------------------------------------------------------------------
// Words

/** The report's sections in words; one without (added by a later schema) shows its name. */
const SECTION_WORDS: Record<string, () => string> = {
  paths: () => t('sharing_section_paths'),
  live_not_asked: () => t('sharing_section_live_not_asked'),
  live_outcomes: () => t('sharing_section_live_outcomes'),
  live_methods: () => t('sharing_section_live_methods'),
  live_latency: () => t('sharing_section_live_latency'),
  hard_fail: () => t('sharing_section_hard_fail'),
  crlite: () => t('sharing_section_crlite'),
  browser_ocsp: () => t('sharing_section_browser_ocsp'),
  responder_outcomes: () => t('sharing_section_responder_outcomes'),
  responder_latency: () => t('sharing_section_responder_latency'),
};

const OUTCOME_WORDS: Record<DayOutcome, () => string> = {
  sent: () => t('sharing_outcome_sent'),
  'already-stored': () => t('sharing_outcome_already_stored'),
  refused: () => t('sharing_outcome_refused'),
  'too-few-pages': () => t('sharing_outcome_too_few_pages'),
  paused: () => t('sharing_outcome_paused'),
};

/** A moment in words, to the minute, in UTC like the reports' days. */
const when = formatMoment;
/** A UTC day (YYYY-MM-DD) in words. */
const dayWords = (day: string) => formatDay(Date.parse(`${day}T00:00:00Z`));

function modeWords(info: SharingInfo): [string, string] {
  const optedInAt = info.optedInAt;
  switch (info.mode) {
    case 'off':
      return [t('sharing_mode_off'), t('sharing_mode_off_detail')];
    case 'on':
      return [optedInAt === null ? t('sharing_mode_on') : t('sharing_mode_on_since', when(optedInAt)),
        info.doneThrough && info.doneThrough >= info.today ? t('sharing_mode_on_today_done') : t('sharing_mode_on_detail')];
    case 'paused':
      return [optedInAt === null ? t('sharing_mode_paused') : t('sharing_mode_paused_opted_in', when(optedInAt)),
        t('sharing_mode_paused_detail')];
  }
}

// ---------------------------------------------------------------------------
// Reports

/** The nonzero counts of a report, by section and label. */
function cells(json: string, layout: ReportSection[]): HTMLElement {
  const counts = (JSON.parse(json) as { counts: Record<string, number[]> }).counts;
  const rows: HTMLElement[] = [];
  for (const section of layout) {
    (counts[section.name] ?? []).forEach((n, i) => {
      if (n === 0) return;
      const label = section.labels[i] ?? String(i);
      rows.push(h('tr', { 'data-section': section.name, 'data-label': label, 'data-count': String(n) },
        h('td', {}, SECTION_WORDS[section.name]?.() ?? section.name), h('td', {}, label), h('td', { class: 'num' }, formatNumber(n))));
    });
  }
  if (rows.length === 0) return h('p', { class: 'muted' }, t('sharing_all_zero'));
  return h('table', { class: 'cells' },
    h('thead', {}, h('tr', {}, h('th', {}, t('sharing_cells_what')), h('th', {}, t('sharing_cells_which')),
      h('th', { class: 'num' }, t('sharing_cells_count')))),
    h('tbody', {}, ...rows));
}

/** The report indented, each array of counts on one (wrapped) line: the same JSON value as sent. */
function pretty(json: string): HTMLElement {
  const text = JSON.stringify(JSON.parse(json), null, 2)
    .replace(/\[\s*([\d,\s]*?)\s*\]/g, (_, cells: string) => `[${cells.split(/,\s*/).join(', ')}]`);
  return h('pre', { class: 'json' }, text);
}

function queued(r: QueuedReport, info: SharingInfo): HTMLElement {
  const last = r.lastError?.message ?? '?';
  const state = info.mode !== 'on' ? t('sharing_waits_paused')
    : info.collectorUrl === '' ? t('sharing_waits_no_collector')
      : r.attempts === 0 ? t('sharing_due', when(r.dueAt))
        : r.attempts === 1 ? t('sharing_retry_one', formatNumber(r.attempts), last, when(r.dueAt))
          : t('sharing_retry_other', formatNumber(r.attempts), last, when(r.dueAt));
  return h('article', {
    class: 'report box', 'data-id': r.id, 'data-day': r.day, 'data-attempts': String(r.attempts), 'data-due': String(r.dueAt),
    'data-last-error': r.lastError?.message ?? '',
  },
  h('h3', {}, r.reason === 'shared-now' ? t('sharing_report_so_far', dayWords(r.day)) : dayWords(r.day)),
  h('p', { class: 'muted' }, `${t('sharing_queued_at', when(r.queuedAt))} ${state}`),
  cells(r.json, info.layout),
  details(`report-${r.id}`, true, t('sharing_report_json_sent'), pretty(r.json)));
}

function refused(r: RefusedReport, info: SharingInfo): HTMLElement {
  return h('article', { class: 'report box', 'data-id': r.id, 'data-day': r.day, 'data-status': String(r.status), 'data-error': r.error },
    h('h3', {}, dayWords(r.day)),
    // The collector's own status, error token and words, as it said them.
    h('p', { class: 'bad' }, `HTTP ${r.status} ${r.error}: ${r.message}`),
    h('p', { class: 'muted' }, t('sharing_refused_at', when(r.refusedAt))),
    details(`refused-${r.id}`, false, t('sharing_report_json'), pretty(r.json), cells(r.json, info.layout)));
}

/** A details element, open or not at `first`, then as the user left it, across redraws. */
const toggled = new Map<string, boolean>();

function details(key: string, first: boolean, summary: string, ...body: HTMLElement[]): HTMLElement {
  const el = h('details', { 'data-key': key }, h('summary', {}, summary), ...body) as HTMLDetailsElement;
  el.open = toggled.get(key) ?? first;
  el.addEventListener('toggle', () => toggled.set(key, el.open));
  return el;
}

// ---------------------------------------------------------------------------
// The page

let shown = '';

function draw(info: SharingInfo): void {
  const text = JSON.stringify(info);
  if (text === shown) return;
  shown = text;
  const main = $('sharing');
  main.dataset.mode = info.mode;
  main.dataset.queue = String(info.queue.length);
  main.dataset.refused = String(info.refused.length);
  main.dataset.permission = String(info.permission);
  main.removeAttribute('aria-busy');

  // The collector's fields follow changes made elsewhere, unless being edited.
  if (!$('collector-form').contains(document.activeElement)) fillCollector(info);
  const [words, detail] = modeWords(info);
  $('mode-words').textContent = words;
  $('mode-detail').textContent = detail;
  const todayDone = info.doneThrough !== null && info.doneThrough >= info.today;
  $('opt-in').hidden = info.mode !== 'off';
  $('opt-in').textContent = isFirefox ? t('sharing_opt_in_firefox') : t('sharing_opt_in_chrome');
  $('share-today').hidden = info.mode !== 'on';
  $<HTMLButtonElement>('share-today').disabled = todayDone;
  $('pause').hidden = info.mode !== 'on';
  $('resume').hidden = info.mode !== 'paused';
  $('withdraw').hidden = info.mode === 'off';

  $('collector-words').textContent = info.collectorUrl === ''
    ? t('sharing_no_collector')
    : t('sharing_reports_go_to', `${info.collectorUrl}/v1/reports`);
  if (!info.telemetry) {
    $('collector-words').textContent += ` ${t('sharing_measurement_off')}`;
  }

  $('retry').hidden = !(info.mode === 'on' && info.collectorUrl !== '' && info.queue.some((r) => r.attempts > 0));
  const queue = $('queue');
  queue.replaceChildren(...(info.queue.length ? info.queue.map((r) => queued(r, info)) : [h('p', { class: 'muted' }, t('sharing_nothing_queued'))]));
  $('refused-section').hidden = info.refused.length === 0;
  $('refused').replaceChildren(...info.refused.map((r) => refused(r, info)));
  $('history-section').hidden = info.history.length === 0;
  $('history').querySelector('tbody')!.replaceChildren(...[...info.history].reverse().map((d) =>
    h('tr', { 'data-day': d.day, 'data-outcome': d.outcome }, h('td', {}, dayWords(d.day)), h('td', {}, OUTCOME_WORDS[d.outcome]()), h('td', {}, when(d.at)))));

  // The responder domains a report can name, from the report's own layout.
  const responders = info.layout.find((s) => s.name === 'responder_latency')?.labels ?? [];
  $('responder-domains').textContent = [...new Set(responders.map((l) => l.split('/')[0]))].filter((d) => d !== 'other').join(', ');
}

function fillCollector(info: SharingInfo): void {
  $<HTMLInputElement>('collector-url').value = info.collectorUrl;
  $<HTMLInputElement>('delay').value = String(info.delayMinutes);
}

/** Runs a user's action; its answer is drawn, its failure said. */
async function act(button: HTMLElement | null, action: () => Promise<SharingInfo>, done = ''): Promise<void> {
  const status = $('status');
  if (button instanceof HTMLButtonElement) button.disabled = true;
  status.className = '';
  status.textContent = '';
  try {
    draw(await action());
    status.textContent = done;
  } catch (e) {
    status.className = 'bad';
    status.textContent = (e as Error).message;
  } finally {
    if (button instanceof HTMLButtonElement) button.disabled = false;
    draw(await ask({ type: 'sharing' }).catch(() => JSON.parse(shown) as SharingInfo));
  }
}

async function main(): Promise<void> {
  localizePage();
  $('firefox-words').hidden = !isFirefox;
  $('origin-words').textContent = isFirefox ? t('sharing_origin_firefox') : t('sharing_origin_chrome');

  $('opt-in').addEventListener('click', (event) => {
    // Firefox asks only during a user's click: before anything is awaited.
    const granted = isFirefox
      ? (ext.permissions as unknown as { request(p: { data_collection: string[] }): Promise<boolean> })
        .request({ data_collection: [DATA_COLLECTION] })
      : Promise.resolve(true);
    act(event.currentTarget as HTMLElement, async () => {
      if (!(await granted)) throw new Error(t('sharing_not_granted'));
      return ask({ type: 'sharing-set', mode: 'on' });
    }, t('sharing_thanks'));
  });
  $('share-today').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-share-today' }),
    t('sharing_today_queued')));
  $('pause').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'paused' }), t('sharing_paused')));
  $('resume').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'on' }), t('sharing_resumed')));
  $('withdraw').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'off' }),
    t('sharing_withdrawn')));
  $('retry').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-retry' }), t('sharing_tried_again')));
  $('clear-refused').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-clear-refused' })));
  $('collector-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act(null, async () => {
      await ask({
        type: 'update-settings',
        patch: { collectorUrl: $<HTMLInputElement>('collector-url').value, sharingDelayMinutes: Number($<HTMLInputElement>('delay').value) },
      });
      const info = await ask({ type: 'sharing' });
      fillCollector(info);
      return info;
    }, t('sharing_saved'));
  });

  draw(await ask({ type: 'sharing' }));
  // The queue drains in the background: follow it while the page is open.
  setInterval(() => { ask({ type: 'sharing' }).then(draw).catch(() => {}); }, 3_000);
}

main().catch((e) => {
  $('sharing').dataset.mode = 'error';
  $('status').className = 'bad';
  $('status').textContent = `revoscope: ${(e as Error).message}`;
});
