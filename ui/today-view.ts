// Today's two headline rates in the panel (how often live OCSP was needed,
// how often it failed), with the way to the dashboard.
import { ext } from '../extension/src/api';
import type { TelemetryReply } from '../extension/src/telemetry-types';
import { h } from './dom';
import { shareWords } from './words';

export function todayBox(reply: TelemetryReply): HTMLElement {
  const live = reply.summary.totals.live;
  const open = h('button', { type: 'button', id: 'open-dashboard' }, 'Dashboard');
  open.addEventListener('click', () => {
    ext.tabs.create({ url: ext.runtime.getURL('dashboard.html') }).catch(() => {});
  });
  return h('section', {
    class: 'box', id: 'today',
    'data-evaluated': String(live.evaluated),
    'data-usage-rate': live.usage_rate === null ? '' : String(live.usage_rate),
    'data-failure-rate': live.failure_rate === null ? '' : String(live.failure_rate),
  },
  h('h2', {}, 'Today (UTC)'),
  reply.recording ? null : h('p', { class: 'muted' }, 'Measurement is off in the options.'),
  h('p', {}, 'Live OCSP needed: ', h('strong', { id: 'today-usage' }, shareWords(live.needed, live.evaluated, 'page loads'))),
  h('p', {}, 'Live OCSP failed: ', h('strong', { id: 'today-failure' }, shareWords(live.failures, live.asked, 'requests'))),
  h('div', { class: 'actions' }, open));
}
