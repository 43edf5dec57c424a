// The sharing page: what a report holds, the user's choice (opt in, pause,
// resume, withdraw, share today now), the collector, and every queued report
// exactly as it will be sent, with its nonzero counts by name. The
// background owns the state (extension/src/sharing.ts) and the settings
// (the collector and the delay are a settings patch); this page asks.
import { ext, isFirefox } from '../extension/src/api';
import { DATA_COLLECTION, type QueuedReport, type RefusedReport, type ReportSection, type SharingInfo } from '../extension/src/sharing-types';
import { ask } from './ask';
import { $, h } from './dom';

// ---------------------------------------------------------------------------
// Words

const SECTION_WORDS: Record<string, string> = {
  paths: 'Decided by',
  live_not_asked: 'Live OCSP needed, not asked',
  live_outcomes: 'Live OCSP outcome',
  live_methods: 'Live OCSP method',
  live_latency: 'Live OCSP latency from',
  hard_fail: 'Hard-fail would',
  crlite: 'CRLite said',
  browser_ocsp: "Firefox's own OCSP, handshakes",
  responder_outcomes: 'Responder, outcome',
  responder_latency: 'Responder, latency from',
};

const OUTCOME_WORDS = {
  sent: 'sent',
  'already-stored': 'sent (the collector had it already)',
  refused: 'refused by the collector',
  'too-few-pages': 'not reported: fewer than 10 page loads',
  paused: 'not reported: sharing was paused',
};

const when = (ms: number) => new Date(ms).toLocaleString();

function modeWords(info: SharingInfo): [string, string] {
  const since = info.optedInAt === null ? '' : ` since ${when(info.optedInAt)}`;
  const optedIn = info.optedInAt === null ? '' : ` (opted in ${when(info.optedInAt)})`;
  switch (info.mode) {
    case 'off':
      return ['Sharing is off.', 'Nothing is queued or sent.'];
    case 'on':
      return [`Sharing is on${since}.`, info.doneThrough && info.doneThrough >= info.today
        ? 'Today was shared already: its later page loads stay on this computer.'
        : 'Each day is queued when it ends.'];
    case 'paused':
      return [`Sharing is paused${optedIn}.`,
        'Nothing is sent; days that end now are not reported. Queued reports wait.'];
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
        h('td', {}, SECTION_WORDS[section.name] ?? section.name), h('td', {}, label), h('td', { class: 'num' }, String(n))));
    });
  }
  if (rows.length === 0) return h('p', { class: 'muted' }, 'Every count is zero.');
  return h('table', { class: 'cells' },
    h('thead', {}, h('tr', {}, h('th', {}, 'What'), h('th', {}, 'Which'), h('th', { class: 'num' }, 'Count'))),
    h('tbody', {}, ...rows));
}

/** The report indented, each array of counts on one (wrapped) line: the same JSON value as sent. */
function pretty(json: string): HTMLElement {
  const text = JSON.stringify(JSON.parse(json), null, 2)
    .replace(/\[\s*([\d,\s]*?)\s*\]/g, (_, cells: string) => `[${cells.split(/,\s*/).join(', ')}]`);
  return h('pre', { class: 'json' }, text);
}

function queued(r: QueuedReport, info: SharingInfo): HTMLElement {
  const state = info.mode !== 'on' ? 'Waits: sharing is paused.'
    : info.collectorUrl === '' ? 'Waits: no collector is set.'
      : r.attempts === 0 ? `To be sent at ${when(r.dueAt)}.`
        : `Not sent yet (${r.attempts} attempt${r.attempts === 1 ? '' : 's'}; last: ${r.lastError?.message ?? '?'}). Next try at ${when(r.dueAt)}.`;
  return h('article', {
    class: 'report box', 'data-id': r.id, 'data-day': r.day, 'data-attempts': String(r.attempts), 'data-due': String(r.dueAt),
    'data-last-error': r.lastError?.message ?? '',
  },
  h('h3', {}, `${r.day}${r.reason === 'shared-now' ? ' (so far, shared on request)' : ''}`),
  h('p', { class: 'muted' }, `Queued ${when(r.queuedAt)}. ${state}`),
  cells(r.json, info.layout),
  details(`report-${r.id}`, true, 'The report as sent (JSON)', pretty(r.json)));
}

function refused(r: RefusedReport, info: SharingInfo): HTMLElement {
  return h('article', { class: 'report box', 'data-id': r.id, 'data-day': r.day, 'data-status': String(r.status), 'data-error': r.error },
    h('h3', {}, r.day),
    h('p', { class: 'bad' }, `HTTP ${r.status} ${r.error}: ${r.message}`),
    h('p', { class: 'muted' }, `Refused ${when(r.refusedAt)}.`),
    details(`refused-${r.id}`, false, 'The report (JSON)', pretty(r.json), cells(r.json, info.layout)));
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
  $('opt-in').textContent = isFirefox ? 'Share daily reports (Firefox will ask)' : 'I agree: share daily reports';
  $('share-today').hidden = info.mode !== 'on';
  $<HTMLButtonElement>('share-today').disabled = todayDone;
  $('pause').hidden = info.mode !== 'on';
  $('resume').hidden = info.mode !== 'paused';
  $('withdraw').hidden = info.mode === 'off';

  $('collector-words').textContent = info.collectorUrl === ''
    ? 'No collector is set, so nothing can be sent: reports wait in the queue. (No public collector exists yet.)'
    : `Reports go to ${info.collectorUrl}/v1/reports.`;
  if (!info.telemetry) {
    $('collector-words').textContent += ' Local measurement is off in the options: there are no counts to report.';
  }

  $('retry').hidden = !(info.mode === 'on' && info.collectorUrl !== '' && info.queue.some((r) => r.attempts > 0));
  const queue = $('queue');
  queue.replaceChildren(...(info.queue.length ? info.queue.map((r) => queued(r, info)) : [h('p', { class: 'muted' }, 'Nothing is queued.')]));
  $('refused-section').hidden = info.refused.length === 0;
  $('refused').replaceChildren(...info.refused.map((r) => refused(r, info)));
  $('history-section').hidden = info.history.length === 0;
  $('history').querySelector('tbody')!.replaceChildren(...[...info.history].reverse().map((d) =>
    h('tr', { 'data-day': d.day, 'data-outcome': d.outcome }, h('td', {}, d.day), h('td', {}, OUTCOME_WORDS[d.outcome]), h('td', {}, when(d.at)))));

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
  $('firefox-words').hidden = !isFirefox;
  $('origin-words').textContent = isFirefox
    ? 'Its Origin is null: revoscope asks Firefox not to send its moz-extension:// address, which is different for every install.'
    : "Chrome adds revoscope's extension id as its Origin; that id is the same for everyone who installed revoscope.";

  $('opt-in').addEventListener('click', (event) => {
    // Firefox asks only during a user's click: before anything is awaited.
    const granted = isFirefox
      ? (ext.permissions as unknown as { request(p: { data_collection: string[] }): Promise<boolean> })
        .request({ data_collection: [DATA_COLLECTION] })
      : Promise.resolve(true);
    act(event.currentTarget as HTMLElement, async () => {
      if (!(await granted)) throw new Error('Firefox did not grant the permission: sharing stays off.');
      return ask({ type: 'sharing-set', mode: 'on' });
    }, 'Thank you. Each day will be queued when it ends; you can see it here before it is sent.');
  });
  $('share-today').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-share-today' }),
    "Today's report so far is queued."));
  $('pause').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'paused' }), 'Paused.'));
  $('resume').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'on' }), 'Resumed.'));
  $('withdraw').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-set', mode: 'off' }),
    'Withdrawn: the queue is deleted and nothing more is sent.'));
  $('retry').addEventListener('click', (e) => act(e.currentTarget as HTMLElement, () => ask({ type: 'sharing-retry' }), 'Tried again.'));
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
    }, 'Saved.');
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
