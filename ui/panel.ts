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
import { formatDay, formatNumber, localizePage, t } from '../extension/src/i18n';
import { durationWords, glanceWords, hardFailWords, OUTCOME_CLASS, outcomeShort, roleWords, shortName, STATUS_CLASS, statusShort, statusWords, stepWords, theRoleWords } from './words';

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
    return asked ? crlCheckLine(asked, theRoleWords(cert.role), cert.decided_by === 'crl', undefined, `crl-asked-${cert.index}`) : h('p', { class: 'muted' }, t('panel_no_crl_to_fetch'));
  }
  if (!ask || !cert.crl_distribution_points?.length) return null;
  const button = h('button', { type: 'button', class: 'crl-ask', 'data-index': String(cert.index) }, t('panel_ask_crl'));
  button.addEventListener('click', ask);
  return h('p', {}, button);
}

function certificate(cert: CertVerdict, crliteSet: FilterSetInfo | undefined, crl: HTMLElement | null = null): HTMLElement {
  const status = cert.status;
  const steps = h('table', {},
    h('caption', { class: 'muted', style: 'text-align:left' }, t('panel_steps_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('panel_col_step')), h('th', { scope: 'col' }, t('panel_col_outcome')),
      h('th', { scope: 'col' }, t('panel_col_detail')))),
    h('tbody', {}, ...cert.trace.map((step) => h('tr', { 'data-step': step.step },
      h('td', {}, stepWords(step.step)), h('td', {}, step.outcome), h('td', {}, step.detail)))));
  const attrs: Record<string, string> = { class: 'box cert', 'data-role': cert.role, 'data-status': status, 'data-decided-by': cert.decided_by };
  if (cert.crlite) {
    attrs['data-crlite-status'] = cert.crlite.status;
    attrs['data-crlite-filter'] = cert.crlite.filter ?? '';
  }
  return h('section', attrs,
    h('h3', {}, `${roleWords(cert.role)}: ${cert.subject}`),
    h('p', {}, h('span', { class: `${STATUS_CLASS[status]} status` }, statusWords(status)), ` — ${t('panel_decided_by')} `,
      h('strong', { class: 'decided-by' }, stepWords(cert.decided_by))),
    h('p', { class: 'reason' }, cert.reason),
    cert.crlite ? h('p', { class: 'crlite-answer' }, leafCrliteWords(cert.crlite, crliteSet)) : null,
    crl,
    facts([
      [t('panel_fact_issuer'), cert.issuer],
      [t('panel_fact_serial'), cert.serial_hex],
      [t('panel_fact_valid'), t('panel_valid_range', cert.not_before, cert.not_after)],
      [t('panel_fact_lifetime'), durationWords(cert.lifetime_secs)],
      [t('panel_fact_crl'), cert.crl_distribution_points?.flatMap((p) => p.urls).join(', ') || undefined],
      [t('panel_fact_live_ocsp_time'), cert.elapsed_ms !== undefined ? t('panel_ms', formatNumber(cert.elapsed_ms)) : undefined],
    ]),
    steps,
  );
}

/** The chain at a glance: one row per certificate, leaf first. */
function chainTable(certs: CertVerdict[]): HTMLElement {
  return h('table', { id: 'chain' },
    h('caption', { class: 'muted' }, t('panel_chain_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('panel_col_certificate')), h('th', { scope: 'col' }, t('panel_col_status')),
      h('th', { scope: 'col' }, t('panel_col_decided_by')))),
    h('tbody', {}, ...certs.map((cert) => h('tr', { 'data-index': String(cert.index), 'data-status': cert.status },
      h('td', { title: cert.subject }, `${roleWords(cert.role)}: ${shortName(cert.subject)}`),
      h('td', { class: STATUS_CLASS[cert.status] }, statusShort(cert.status)),
      h('td', {}, stepWords(cert.decided_by))))));
}

function browserView(reply: TabReply): HTMLElement | null {
  const view = reply.state?.browserView;
  if (!view) return null;
  const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? t('panel_yes') : t('panel_no'));
  return h('section', { class: 'box', id: 'browser-view' },
    h('h2', {}, view.browser === 'firefox' ? t('panel_firefox_view') : t('panel_chrome_view')),
    facts([
      [t('panel_fact_made_live_ocsp'), yesNo(view.usedOcsp)],
      [t('panel_fact_connection'), view.state],
      [t('panel_fact_protocol'), view.protocolVersion],
      [t('panel_fact_ct'), view.certificateTransparencyStatus],
      [t('panel_fact_root_built_in'), view.browser === 'firefox' ? yesNo(view.rootIsBuiltIn) : t('panel_root_not_told')],
      [t('panel_fact_staple'), t('panel_staple_hidden')],
    ]));
}

function render(reply: TabReply, tab: chrome.tabs.Tab | undefined): void {
  const summary = $('summary');
  const details = $('details');
  summary.replaceChildren();
  details.replaceChildren();
  $('lists-slot').replaceChildren(disclosure('lists', t('panel_section_lists'),
    onecrlBox(reply.onecrl), crliteBox(reply.crlite), crlsetBox(reply.crlset)));
  const state = reply.state;
  const url = tab?.url ?? '';
  ($('inspect') as HTMLButtonElement).hidden = reply.browser !== 'chrome' || !url.startsWith('https://');
  ($('copy') as HTMLButtonElement).disabled = !state?.verdict;
  $('title').textContent = url.startsWith('http') ? t('panel_title_host', new URL(url).host) : 'revoscope';

  if (!url.startsWith('https://')) {
    summary.append(h('p', { class: 'verdict none', 'data-state': 'no-tls' },
      url.startsWith('http://') ? t('panel_not_https') : t('panel_not_web_page')));
    return;
  }
  if (!state || state.url !== url || state.status === 'not-inspected') {
    summary.append(h('p', { class: 'verdict none', 'data-state': 'not-inspected' },
      reply.browser === 'chrome' ? t('panel_not_inspected_chrome') : t('panel_not_inspected_firefox')));
    return;
  }
  switch (state.status) {
    case 'evaluating':
      summary.append(h('p', { class: 'verdict none', 'data-state': 'evaluating' }, t('panel_evaluating')));
      return;
    case 'error':
      summary.append(h('p', { class: 'verdict bad', 'data-state': 'error' }, t('panel_error', state.error ?? '')));
      details.append(browserView(reply) ?? '');
      return;
    case 'blocked-by-browser':
      summary.append(
        h('p', { class: 'verdict bad', 'data-state': 'blocked-by-browser' },
          reply.browser === 'firefox' ? t('panel_blocked_firefox', state.browserError?.words ?? '')
            : t('panel_blocked_browser', state.browserError?.words ?? '')),
        h('p', { class: 'muted', id: 'browser-error' },
          state.browserError?.code ? t('panel_refused_code', state.browserError.code) : t('panel_refused')),
        h('p', {}, `${t('panel_hard_fail')} `, h('strong', { id: 'hard-fail' }, t('panel_hard_fail_already'))));
      return;
    case 'done':
      break;
  }
  const verdict = state.verdict!;
  summary.append(
    h('p', { class: `verdict ${OUTCOME_CLASS[verdict.outcome]}`, id: 'glance', 'data-state': 'done', 'data-outcome': verdict.outcome },
      glanceWords(verdict)),
    chainTable(verdict.certificates),
    h('p', {}, `${t('panel_hard_fail')} `, h('strong', { id: 'hard-fail' }, hardFailWords(verdict.hard_fail_would_block))));
  if (liveOcspSkipped(state)) {
    summary.append(h('p', { class: 'warn', id: 'live-off' }, t('panel_live_off')));
  }
  if (state.liveRequest) {
    summary.append(h('p', { class: 'muted', id: 'live-request' },
      t('panel_live_request', state.liveRequest.responder, state.liveRequest.method, formatNumber(state.liveRequest.elapsed_ms))));
  }
  if (state.crlCheck) summary.append(crlCheckLine(state.crlCheck, theRoleWords('leaf'), verdict.certificates[0]?.decided_by === 'crl', state.crlCheckFetch));
  if (state.compare === 'comparing') {
    summary.append(h('p', { class: 'muted', id: 'compare', 'data-comparing': '' }, t('panel_comparing')));
  } else if (state.compare && 'error' in state.compare) {
    summary.append(h('p', { class: 'warn', id: 'compare' }, t('panel_compare_failed', state.compare.error)));
  } else if (state.compare) {
    summary.append(compareTable(state.compare));
  }
  const last = verdict.certificates.length - 1;
  const certs = verdict.certificates.map((cert) => {
    const askCrl = tab?.id !== undefined && cert.index < last ? async () => {
      $('note').textContent = t('panel_asking_crl');
      try {
        render(await ask({ type: 'crl-check', tabId: tab.id!, index: cert.index }), tab);
        $('note').textContent = '';
      } catch (e) {
        $('note').textContent = t('panel_crl_ask_failed', (e as Error).message);
      }
    } : null;
    return certificate(cert, verdict.crlite, crlAsk(cert, state.crlAsked?.[cert.index], askCrl));
  });
  details.append(disclosure('steps', t('panel_section_steps'), ...certs));
  const onecrl = verdict.onecrl;
  const snapshot = t(onecrl.stale ? 'panel_snapshot_stale' : 'panel_snapshot', formatDay(reply.onecrl.stats.timestamp),
    reply.onecrl.source, durationWords(onecrl.age_secs), formatNumber(onecrl.records));
  details.append(
    disclosure('context', t('panel_section_context'), h('section', { class: 'box', id: 'context' },
      h('h2', {}, t('panel_context_title')),
      facts([
        [t('panel_fact_policy'), `${reply.policy.name}: ${reply.policy.description}`],
        [t('panel_fact_policy_problem'), reply.policyError ?? undefined],
        [t('panel_fact_onecrl_snapshot'), snapshot],
        [t('panel_fact_crlite_filters'), crliteContext(verdict.crlite, reply.crlite.mode)],
        [t('panel_fact_verdict_after'), state.verdictMs !== undefined ? t('panel_ms', formatNumber(state.verdictMs)) : undefined],
      ])),
    browserView(reply)));
}

/** Who decides like whom: the same chain under each browser's policy. */
function viewName(name: string): string {
  switch (name) {
    case 'firefox-today': return 'Firefox';
    case 'chrome-today': return 'Chrome';
    case 'mozilla-plan': return t('view_mozilla_plan');
    case 'hard-fail': return t('view_hard_fail');
    default: return name;
  }
}

function missingWords(missing: Missing): string {
  switch (missing) {
    case 'no-crlset': return t('missing_no_crlset');
    case 'crlset-expired': return t('missing_crlset_expired');
    case 'no-crlite-filter': return t('missing_no_crlite_filter');
    case 'crlite-stale': return t('missing_crlite_stale');
    case 'onecrl-stale': return t('missing_onecrl_stale');
    case 'live-ocsp-answer': return t('missing_live_ocsp_answer');
    case 'crl': return t('missing_crl');
    case 'issuer': return t('missing_issuer');
  }
}

/** One row per view: its outcome, the step that decided the leaf, and the
 * data it lacked (then its answer is not one to trust). */
function compareTable(comparison: Comparison): HTMLElement {
  const rows = comparison.views.map((view) => {
    const name = view.in_force ? t('view_in_force', viewName(view.name)) : viewName(view.name);
    const lacked = view.missing.map(missingWords).join(', ');
    return h('tr', { 'data-view': view.name, 'data-outcome': view.outcome, 'data-missing': view.missing.join(' ') },
      h('td', {}, name),
      h('td', { class: OUTCOME_CLASS[view.outcome] }, outcomeShort(view.outcome)),
      h('td', {}, t('view_leaf', statusShort(view.leaf_status), stepWords(view.leaf_decided_by))),
      h('td', { class: lacked ? 'warn' : 'muted' }, lacked || t('view_had_all')));
  });
  return h('table', { id: 'compare' },
    h('caption', { class: 'muted' }, t('view_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('view_col_view')), h('th', { scope: 'col' }, t('panel_col_outcome')),
      h('th', { scope: 'col' }, t('view_col_leaf')), h('th', { scope: 'col' }, t('view_col_missing')))),
    h('tbody', {}, ...rows));
}

/** What a certificate's CRL says (`who`: "the leaf"...), beside the browser's verdict. */
function crlCheckLine(report: CrlReport, who: string, decided: boolean, fetch?: TabState['crlCheckFetch'], id = 'crl-check'): HTMLElement {
  const answer = report.answer;
  let words: string;
  let cls: string;
  let state: string = answer?.status ?? (report.offline ? 'offline' : 'not-fetched');
  if (fetch === 'fetching') {
    words = t('crl_fetching');
    cls = 'none';
    state = 'fetching';
  } else if (fetch) {
    words = t('crl_fetch_failed', fetch.error);
    cls = 'warn';
    state = 'offline';
  } else if (answer?.status === 'revoked') {
    const since = formatDay(answer.revocation_time * 1000);
    words = answer.reason
      ? t(answer.on_hold ? 'crl_revoked_reason_on_hold' : 'crl_revoked_reason', who, since, answer.reason)
      : t(answer.on_hold ? 'crl_revoked_on_hold' : 'crl_revoked', who, since);
    cls = 'bad';
  } else if (answer?.status === 'good') {
    words = t('crl_good', who);
    cls = 'good';
  } else if (report.offline) {
    words = t('crl_offline', 'code' in report.offline ? report.offline.code : report.offline.class);
    cls = 'warn';
  } else {
    words = t('crl_not_fetched');
    cls = 'none';
  }
  const list = report.list
    ? t(report.list.entries === 1 ? 'crl_list_one' : 'crl_list', formatNumber(report.list.entries), report.list.this_update) : '';
  const role = decided ? t('crl_decided') : t('crl_beside');
  return h('p', { class: cls, id, 'data-crl': state, title: list ? `${report.url} (${list})` : report.url },
    `${words} `, h('span', { class: 'muted' }, role));
}

/** The filter set the verdict had, in one line. */
function crliteContext(set: FilterSetInfo | undefined, mode: TabReply['crlite']['mode']): string {
  if (!set) return mode === 'disabled' ? t('panel_crlite_disabled') : t('panel_crlite_none');
  const full = formatDay(Date.parse(set.full_effective));
  return t(set.stale ? 'panel_crlite_set_stale' : 'panel_crlite_set', full, formatNumber(set.deltas), durationWords(set.age_secs));
}

/** Today's rates; the panel works without them. */
async function showToday(): Promise<void> {
  $('today-slot').replaceChildren(disclosure('today', t('panel_section_today'), todayBox(await ask({ type: 'telemetry-summary', days: 1 }))));
}

async function main(): Promise<void> {
  localizePage();
  const tab = await targetTab();
  const note = $('note');
  let current: TabReply | undefined;
  const show = (reply: TabReply) => { current = reply; render(reply, tab); };
  $('options').addEventListener('click', () => ext.runtime.openOptionsPage());
  $('copy').addEventListener('click', async () => {
    const state = current?.state;
    if (!state?.verdict) return;
    await navigator.clipboard.writeText(JSON.stringify({ url: state.url, verdict: state.verdict, browser: state.browserView }, null, 2));
    note.textContent = t('panel_copied');
  });
  $('inspect').addEventListener('click', async () => {
    if (!tab?.id) return;
    note.textContent = t('panel_inspecting');
    try {
      show(await ask({ type: 'inspect-tab', tabId: tab.id }));
      note.textContent = '';
    } catch (e) {
      note.textContent = t('panel_inspect_failed', (e as Error).message);
    }
  });
  if (tab?.id === undefined) {
    $('summary').textContent = t('panel_no_tab');
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
