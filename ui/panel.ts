// The toolbar panel: what decided each certificate of the page's chain, and why.
import { ext } from '../extension/src/api';
import type { TabReply } from '../extension/src/messages';
import { liveOcspSkipped, type TabState } from '../extension/src/tab-state';
import type { CrlReport } from '../extension/src/engine-types/CrlReport';
import type { Comparison } from '../extension/src/engine-types/Comparison';
import type { Missing } from '../extension/src/engine-types/Missing';
import type { CertVerdict, FilterSetInfo } from '../extension/src/verdict';
import { ask } from './ask';
import { crliteBox, leafCrliteWords } from './crlite-view';
import { crlsetBox } from './crlset-view';
import { $, facts, h } from './dom';
import { disclosure } from './disclosure';
import { onecrlBox } from './onecrl-view';
import { todayBox } from './today-view';
import { durationWords, glanceWords, hardFailWords, OUTCOME_SHORT, OUTCOME_WORDS, shortName, STATUS_CLASS, STATUS_SHORT, STATUS_WORDS, STEP_WORDS } from './words';

/** The tab this panel is about: `?tab=N` (tests, a detached panel) or the active tab. */
async function targetTab(): Promise<chrome.tabs.Tab | undefined> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) return ext.tabs.get(fromQuery);
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab;
}

/** The per-certificate "what the CA's CRL says" control: the answer once
 * asked, else a button that asks (for a certificate that names a CRL and
 * has its issuer in the chain). */
function crlAsk(cert: CertVerdict, asked: CrlReport | null | undefined, ask: (() => void) | null): HTMLElement | null {
  if (asked !== undefined) {
    return asked ? crlCheckLine(asked, cert.decided_by === 'crl', undefined, `crl-asked-${cert.index}`) : h('p', { class: 'muted' }, 'It names no CRL to fetch.');
  }
  if (!ask || !cert.crl_distribution_points?.length) return null;
  const button = h('button', { type: 'button', class: 'crl-ask', 'data-index': String(cert.index) }, "What does the CA's CRL say?");
  button.addEventListener('click', ask);
  return h('p', {}, button);
}

function certificate(cert: CertVerdict, crliteSet: FilterSetInfo | undefined, crl: HTMLElement | null = null): HTMLElement {
  const status = cert.status;
  const steps = h('table', {},
    h('caption', { class: 'muted', style: 'text-align:left' }, 'Every step consulted, in order'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col' }, 'Outcome'),
      h('th', { scope: 'col' }, 'Detail'))),
    h('tbody', {}, ...cert.trace.map((t) => h('tr', { 'data-step': t.step },
      h('td', {}, STEP_WORDS[t.step] ?? t.step), h('td', {}, t.outcome), h('td', {}, t.detail)))));
  const attrs: Record<string, string> = { class: 'box cert', 'data-role': cert.role, 'data-status': status, 'data-decided-by': cert.decided_by };
  if (cert.crlite) {
    attrs['data-crlite-status'] = cert.crlite.status;
    attrs['data-crlite-filter'] = cert.crlite.filter ?? '';
  }
  return h('section', attrs,
    h('h3', {}, `${roleWords(cert.role)}: ${cert.subject}`),
    h('p', {}, h('span', { class: `${STATUS_CLASS[status]} status` }, STATUS_WORDS[status]), ' — decided by ',
      h('strong', { class: 'decided-by' }, STEP_WORDS[cert.decided_by] ?? cert.decided_by)),
    h('p', { class: 'reason' }, cert.reason),
    cert.crlite ? h('p', { class: 'crlite-answer' }, leafCrliteWords(cert.crlite, crliteSet)) : null,
    crl,
    facts([
      ['Issuer', cert.issuer],
      ['Serial', cert.serial_hex],
      ['Valid', `${cert.not_before} to ${cert.not_after}`],
      ['Lifetime', durationWords(cert.lifetime_secs)],
      ['CRL', cert.crl_distribution_points?.flatMap((p) => p.urls).join(', ') || undefined],
      ['Live OCSP time', cert.elapsed_ms !== undefined ? `${cert.elapsed_ms} ms` : undefined],
    ]),
    steps,
  );
}

function roleWords(role: CertVerdict['role']): string {
  return `${role[0].toUpperCase()}${role.slice(1)}`;
}

/** The chain at a glance: one row per certificate, leaf first. */
function chainTable(certs: CertVerdict[]): HTMLElement {
  return h('table', { id: 'chain' },
    h('caption', { class: 'muted' }, 'The chain, leaf to root'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Certificate'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Decided by'))),
    h('tbody', {}, ...certs.map((cert) => h('tr', { 'data-index': String(cert.index), 'data-status': cert.status },
      h('td', { title: cert.subject }, `${roleWords(cert.role)}: ${shortName(cert.subject)}`),
      h('td', { class: STATUS_CLASS[cert.status] }, STATUS_SHORT[cert.status]),
      h('td', {}, STEP_WORDS[cert.decided_by] ?? cert.decided_by)))));
}

function browserView(reply: TabReply): HTMLElement | null {
  const view = reply.state?.browserView;
  if (!view) return null;
  const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');
  return h('section', { class: 'box', id: 'browser-view' },
    h('h2', {}, `${view.browser === 'firefox' ? 'Firefox' : 'Chrome'}'s own view`),
    facts([
      ['Made a live OCSP request', yesNo(view.usedOcsp)],
      ['Connection', view.state],
      ['Protocol', view.protocolVersion],
      ['Certificate Transparency', view.certificateTransparencyStatus],
      ['Root built in', view.browser === 'firefox' ? yesNo(view.rootIsBuiltIn) : 'not told by Chrome (taken as no)'],
      ['Stapled OCSP response', 'not shown to extensions'],
    ]));
}

function render(reply: TabReply, tab: chrome.tabs.Tab | undefined): void {
  const summary = $('summary');
  const details = $('details');
  summary.replaceChildren();
  details.replaceChildren();
  $('lists-slot').replaceChildren(disclosure('lists', 'OneCRL, CRLite and the CRLSet, and their updates',
    onecrlBox(reply.onecrl), crliteBox(reply.crlite), crlsetBox(reply.crlset)));
  const state = reply.state;
  const url = tab?.url ?? '';
  ($('inspect') as HTMLButtonElement).hidden = reply.browser !== 'chrome' || !url.startsWith('https://');
  ($('copy') as HTMLButtonElement).disabled = !state?.verdict;
  $('title').textContent = url.startsWith('http') ? `revoscope: ${new URL(url).host}` : 'revoscope';

  if (!url.startsWith('https://')) {
    summary.append(h('p', { class: 'verdict none', 'data-state': 'no-tls' },
      url.startsWith('http://') ? 'This page is not HTTPS: there is no certificate to check.'
        : 'This is not a web page: there is no certificate to check.'));
    return;
  }
  if (!state || state.url !== url || state.status === 'not-inspected') {
    summary.append(h('p', { class: 'verdict none', 'data-state': 'not-inspected' },
      reply.browser === 'chrome' ? 'Not inspected yet. Chrome shows extensions no certificates: click "Inspect this page".'
        : 'Not inspected yet: reload the page to capture its certificates.'));
    return;
  }
  switch (state.status) {
    case 'evaluating':
      summary.append(h('p', { class: 'verdict none', 'data-state': 'evaluating' }, 'Checking revocation…'));
      return;
    case 'error':
      summary.append(h('p', { class: 'verdict bad', 'data-state': 'error' }, `This chain could not be evaluated: ${state.error}`));
      details.append(browserView(reply) ?? '');
      return;
    case 'blocked-by-browser':
      summary.append(
        h('p', { class: 'verdict bad', 'data-state': 'blocked-by-browser' },
          `${reply.browser === 'firefox' ? 'Firefox' : 'The browser'} blocked this page: ${state.browserError?.words}.`),
        h('p', { class: 'muted', id: 'browser-error' }, `${state.browserError?.code ? `Error code: ${state.browserError.code}. ` : ''}The browser refused the handshake, so no chain reached the extension.`),
        h('p', {}, 'Hard-fail would block this page: ', h('strong', { id: 'hard-fail' }, 'yes (the browser already did)')));
      return;
    case 'done':
      break;
  }
  const verdict = state.verdict!;
  const [, cls] = OUTCOME_WORDS[verdict.outcome];
  summary.append(
    h('p', { class: `verdict ${cls}`, id: 'glance', 'data-state': 'done', 'data-outcome': verdict.outcome },
      glanceWords(verdict)),
    chainTable(verdict.certificates),
    h('p', {}, 'Hard-fail would block this page: ', h('strong', { id: 'hard-fail' }, hardFailWords(verdict.hard_fail_would_block))));
  if (liveOcspSkipped(state)) {
    summary.append(h('p', { class: 'warn', id: 'live-off' },
      'The ladder needed a live OCSP answer for the leaf; live OCSP is off in the options, so revoscope did not ask.'));
  }
  if (state.liveRequest) {
    summary.append(h('p', { class: 'muted', id: 'live-request' },
      `Asked ${state.liveRequest.responder} by ${state.liveRequest.method} (${state.liveRequest.elapsed_ms} ms).`));
  }
  if (state.crlCheck) summary.append(crlCheckLine(state.crlCheck, verdict.certificates[0]?.decided_by === 'crl', state.crlCheckFetch));
  if (state.compare === 'comparing') {
    summary.append(h('p', { class: 'muted', id: 'compare', 'data-comparing': '' }, 'Working out what each browser would do…'));
  } else if (state.compare && 'error' in state.compare) {
    summary.append(h('p', { class: 'warn', id: 'compare' }, `Could not work out what each browser would do: ${state.compare.error}`));
  } else if (state.compare) {
    summary.append(compareTable(state.compare));
  }
  const last = verdict.certificates.length - 1;
  const certs = verdict.certificates.map((cert) => {
    const askCrl = tab?.id !== undefined && cert.index < last ? async () => {
      $('note').textContent = "Asking the CA's CRL…";
      try {
        render(await ask({ type: 'crl-check', tabId: tab.id!, index: cert.index }), tab);
        $('note').textContent = '';
      } catch (e) {
        $('note').textContent = `Could not check the CRL: ${(e as Error).message}`;
      }
    } : null;
    return certificate(cert, verdict.crlite, crlAsk(cert, state.crlAsked?.[cert.index], askCrl));
  });
  details.append(disclosure('steps', 'Every step consulted, certificate by certificate', ...certs));
  const snapshotDate = new Date(reply.onecrl.stats.timestamp).toISOString().slice(0, 10);
  details.append(
    disclosure('context', 'What the verdict rests on', h('section', { class: 'box', id: 'context' },
      h('h2', {}, 'The policy and the lists'),
      facts([
        ['Policy', `${reply.policy.name}: ${reply.policy.description}`],
        ['Policy problem', reply.policyError ?? undefined],
        ['OneCRL snapshot', `${snapshotDate} (${reply.onecrl.source}), ${durationWords(verdict.onecrl.age_secs)} old, ${verdict.onecrl.records} records${verdict.onecrl.stale ? ' (stale)' : ''}`],
        ['CRLite filters', crliteContext(verdict.crlite, reply.crlite.mode)],
        ['Verdict after', state.verdictMs !== undefined ? `${state.verdictMs} ms` : undefined],
      ])),
    browserView(reply)));
}

/** Who decides like whom: the same chain under each browser's policy. */
const VIEW_NAMES: Record<string, string> = {
  'firefox-today': 'Firefox',
  'chrome-today': 'Chrome',
  'mozilla-plan': "Mozilla's plan",
  'hard-fail': 'Hard-fail',
};

const MISSING_WORDS: Record<Missing, string> = {
  'no-crlset': 'no CRLSet',
  'crlset-expired': 'CRLSet expired',
  'no-crlite-filter': 'no CRLite filters',
  'crlite-stale': 'CRLite filters stale',
  'onecrl-stale': 'OneCRL stale',
  'live-ocsp-answer': 'needs live OCSP',
  'crl': "needs the CA's CRL",
  'issuer': 'needs the issuer',
};

/** One row per view: its outcome, the step that decided the leaf, and the
 * data it lacked (then its answer is not one to trust). */
function compareTable(comparison: Comparison): HTMLElement {
  const rows = comparison.views.map((view) => {
    const [, cls] = OUTCOME_WORDS[view.outcome];
    const name = `${VIEW_NAMES[view.name] ?? view.name}${view.in_force ? ' (in force)' : ''}`;
    const lacked = view.missing.length > 0 ? view.missing.map((m) => MISSING_WORDS[m]).join(', ') : '';
    return h('tr', { 'data-view': view.name, 'data-outcome': view.outcome, 'data-missing': view.missing.join(' ') },
      h('td', {}, name),
      h('td', { class: cls }, OUTCOME_SHORT[view.outcome]),
      h('td', {}, `${STATUS_SHORT[view.leaf_status]}, by ${STEP_WORDS[view.leaf_decided_by]}`),
      h('td', { class: lacked ? 'warn' : 'muted' }, lacked || 'had what it needs'));
  });
  return h('table', { id: 'compare' },
    h('caption', { class: 'muted' }, 'What each browser would do with this chain'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'View'), h('th', { scope: 'col' }, 'Outcome'),
      h('th', { scope: 'col' }, 'The leaf'), h('th', { scope: 'col' }, 'Missing data'))),
    h('tbody', {}, ...rows));
}

/** What the leaf's CRL says, beside the browser's verdict. */
function crlCheckLine(report: CrlReport, decided: boolean, fetch?: TabState['crlCheckFetch'], id = 'crl-check'): HTMLElement {
  const answer = report.answer;
  let words: string;
  let cls: string;
  let state: string = answer?.status ?? (report.offline ? 'offline' : 'not-fetched');
  if (fetch === 'fetching') {
    words = 'is being fetched';
    cls = 'none';
    state = 'fetching';
  } else if (fetch) {
    words = `could not be fetched (${fetch.error})`;
    cls = 'warn';
    state = 'offline';
  } else if (answer?.status === 'revoked') {
    const reason = answer.reason ? ` (${answer.reason})` : '';
    words = `lists the leaf as revoked since ${new Date(answer.revocation_time * 1000).toISOString().slice(0, 10)}${reason}${answer.on_hold ? ', on hold' : ''}`;
    cls = 'bad';
  } else if (answer?.status === 'good') {
    words = 'does not list the leaf';
    cls = 'good';
  } else if (report.offline) {
    const code = 'code' in report.offline ? report.offline.code : report.offline.class;
    words = `gives no usable answer (${code})`;
    cls = 'warn';
  } else {
    words = 'was not fetched (the leaf also names an OCSP responder)';
    cls = 'none';
  }
  const list = report.list ? ` (${report.list.entries} ${report.list.entries === 1 ? 'entry' : 'entries'}, thisUpdate ${report.list.this_update})` : '';
  const role = decided ? 'It decided the verdict above.' : 'Browsers do not fetch CRLs: their verdict stands.';
  return h('p', { class: cls, id, 'data-crl': state, title: `${report.url}${list}` },
    `The CA's CRL ${words}. `, h('span', { class: 'muted' }, role));
}

/** The filter set the verdict had, in one line. */
function crliteContext(set: FilterSetInfo | undefined, mode: TabReply['crlite']['mode']): string {
  if (!set) return mode === 'disabled' ? 'not consulted (CRLite is disabled in the policy)' : 'none loaded';
  const full = set.full_effective.slice(0, 10);
  return `full filter of ${full} and ${set.deltas} ${set.deltas === 1 ? 'delta' : 'deltas'}, installed ${durationWords(set.age_secs)} before the verdict${set.stale ? ' (stale: ignored)' : ''}`;
}

/** Today's rates; the panel works without them. */
async function showToday(): Promise<void> {
  $('today-slot').replaceChildren(disclosure('today', 'Today', todayBox(await ask({ type: 'telemetry-summary', days: 1 }))));
}

async function main(): Promise<void> {
  const tab = await targetTab();
  const note = $('note');
  let current: TabReply | undefined;
  const show = (reply: TabReply) => { current = reply; render(reply, tab); };
  $('options').addEventListener('click', () => ext.runtime.openOptionsPage());
  $('copy').addEventListener('click', async () => {
    const state = current?.state;
    if (!state?.verdict) return;
    await navigator.clipboard.writeText(JSON.stringify({ url: state.url, verdict: state.verdict, browser: state.browserView }, null, 2));
    note.textContent = 'The verdict is on the clipboard.';
  });
  $('inspect').addEventListener('click', async () => {
    if (!tab?.id) return;
    note.textContent = 'Inspecting…';
    try {
      show(await ask({ type: 'inspect-tab', tabId: tab.id }));
      note.textContent = '';
    } catch (e) {
      note.textContent = `Could not inspect this page: ${(e as Error).message}`;
    }
  });
  if (tab?.id === undefined) {
    $('summary').textContent = 'No tab to show.';
    return;
  }
  show(await ask({ type: 'get-tab', tabId: tab.id }));
  showToday().catch(() => {});
  // Follow the evaluation while it runs (live OCSP can take seconds).
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && `tab:${tab.id}` in changes) {
      ask({ type: 'get-tab', tabId: tab.id! }).then(show).then(showToday).catch(() => {});
    }
  });
}

main().catch((e) => { $('summary').textContent = `revoscope: ${(e as Error).message}`; });
