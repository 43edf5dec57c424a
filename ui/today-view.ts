// Today's two headline rates in the panel (how often live OCSP was needed,
// how often it failed), with the way to the dashboard.
import { ext } from '../extension/src/api';
import type { TelemetryReply } from '../extension/src/telemetry-types';
import { h } from './dom';
import { t } from '../extension/src/i18n';
import { shareWords } from './words';

export function todayBox(reply: TelemetryReply): HTMLElement {
  const live = reply.summary.totals.live;
  const open = h('button', { type: 'button', id: 'open-dashboard' }, t('today_dashboard'));
  open.addEventListener('click', () => {
    ext.tabs.create({ url: ext.runtime.getURL('dashboard.html') }).catch(() => {});
  });
  return h('section', {
    class: 'box', id: 'today',
    'data-evaluated': String(live.evaluated),
    'data-usage-rate': live.usage_rate === null ? '' : String(live.usage_rate),
    'data-failure-rate': live.failure_rate === null ? '' : String(live.failure_rate),
  },
  h('h2', {}, t('today_title')),
  reply.recording ? null : h('p', { class: 'muted' }, t('today_off')),
  h('p', {}, `${t('today_needed')} `, h('strong', { id: 'today-usage' }, shareWords(live.needed, live.evaluated, 'page-loads'))),
  h('p', {}, `${t('today_failed')} `, h('strong', { id: 'today-failure' }, shareWords(live.failures, live.asked, 'requests'))),
  h('div', { class: 'actions' }, open));
}
