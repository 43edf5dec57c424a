// Chrome's CRLSet as the options page shows it: the set in force and its
// updates, with "Sync now".
import type { CrlsetInfo } from '../extension/src/crlset-sync';
import { ask } from './ask';
import { facts, h, redrawOnClick } from './dom';
import { formatMoment as when, formatNumber, t } from '../extension/src/i18n';

function lastCheckWords(info: CrlsetInfo): string {
  const sync = info.lastSync;
  if (!sync) return info.updates ? t('sync_none_yet') : t('sync_none_updates_off');
  const result = sync.status === 'updated'
    ? (sync.version ? t('crlset_updated', String(sync.sequence), sync.version) : t('crlset_updated_unnamed', String(sync.sequence)))
    : sync.status === 'up-to-date' ? t('sync_up_to_date')
      : t('crlset_failed', sync.error?.message ?? '', sync.error?.code ?? '');
  return t('sync_at', when(sync.checkedAt), result);
}

/** The CRLSet box; "Sync now" asks the background and redraws in place. */
export function crlsetBox(info: CrlsetInfo): HTMLElement {
  const set = info.set;
  const sync = info.lastSync;
  const button = h('button', { type: 'button', id: 'crlset-sync' }, t('sync_now')) as HTMLButtonElement;
  const box = h('section', {
    class: 'box', id: 'crlset',
    'data-has-set': String(set !== null),
    'data-sequence': String(set?.info.sequence ?? ''),
    'data-expired': String(set?.expired ?? false),
    'data-load-error': info.loadError?.code ?? '',
    'data-last-status': sync?.status ?? 'none',
    'data-error-code': sync?.error?.code ?? '',
    'data-checked-at': String(sync?.checkedAt ?? 0),
  },
  h('h2', {}, t('step_crlset')),
  set?.expired ? h('p', { class: 'warn', id: 'crlset-expired' },
    t('crlset_expired')) : null,
  info.loadError ? h('p', { class: 'warn', id: 'crlset-load-error' },
    t('crlset_load_error', info.loadError.message, info.loadError.code)) : null,
  sync?.storeError ? h('p', { class: 'warn' },
    t('crlset_store_error', sync.storeError)) : null,
  facts([
    [t('crlset_fact_in_force'), set
      ? t('crlset_set', String(set.info.sequence), formatNumber(set.info.parents), formatNumber(set.info.serials), formatNumber(set.info.blocked_spkis))
      : t('none')],
    [t('crlset_fact_expires'), set?.info.not_after ? when(set.info.not_after * 1000) : undefined],
    [t('fact_last_check'), lastCheckWords(info)],
    [t('fact_last_success'), sync?.lastSuccessAt ? when(sync.lastSuccessAt) : undefined],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, t('syncing'), async () => crlsetBox(await ask({ type: 'sync-crlset' })));
  return box;
}
