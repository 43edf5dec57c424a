// The OneCRL collection in force and its updates, as the panel and the
// options page both show them, with the "Check now" button.
import type { OnecrlInfo } from '../extension/src/onecrl-sync';
import { ask } from './ask';
import { facts, h, redrawOnClick } from './dom';
import { formatMoment as when, formatNumber, t } from '../extension/src/i18n';
import { durationWords } from './words';

function sourceWords(info: OnecrlInfo): string {
  if (info.source === 'bundled') return t('onecrl_source_bundled');
  return t('onecrl_source_downloaded', info.server ?? '');
}

function signatureWords(info: OnecrlInfo): string {
  if (info.source === 'bundled' || !info.signer) return t('onecrl_signature_none');
  return t(info.customRoot ? 'onecrl_signature_custom_root' : 'onecrl_signature_mozilla_root',
    when(info.verifiedAt!), info.signer.signer_name, info.signer.root_sha256.slice(0, 16));
}

function lastCheckWords(info: OnecrlInfo): string {
  const sync = info.lastSync;
  if (!sync) return info.updates ? t('sync_none_yet') : t('sync_none_updates_off');
  const result = sync.status === 'updated' ? t(sync.incremental ? 'onecrl_updated_incremental' : 'onecrl_updated_whole')
    : sync.status === 'up-to-date' ? t('sync_up_to_date')
      : t('onecrl_failed', sync.error?.message ?? '', sync.error?.code ?? '');
  return t('sync_at', when(sync.checkedAt), result);
}

/** The OneCRL box; "Check now" asks the background and redraws in place. */
export function onecrlBox(info: OnecrlInfo): HTMLElement {
  const ageSecs = Math.max(0, Math.floor((Date.now() - info.stats.timestamp) / 1000));
  const button = h('button', { type: 'button', id: 'onecrl-check' }, t('onecrl_check_now')) as HTMLButtonElement;
  const box = h('section', {
    class: 'box', id: 'onecrl',
    'data-source': info.source,
    'data-timestamp': String(info.stats.timestamp),
    'data-records': String(info.stats.records),
    'data-stale': String(info.stale),
    'data-last-status': info.lastSync?.status ?? 'none',
    'data-error-code': info.lastSync?.error?.code ?? '',
    'data-checked-at': String(info.lastSync?.checkedAt ?? 0),
  },
  h('h2', {}, 'OneCRL'),
  info.stale ? h('p', { class: 'warn', id: 'onecrl-stale' },
    t('onecrl_stale', durationWords(ageSecs), info.maxAgeHours)) : null,
  info.storedError ? h('p', { class: 'warn' }, info.storedError) : null,
  facts([
    [t('onecrl_fact_source'), sourceWords(info)],
    [t('onecrl_fact_published'), t('time_ago', when(info.stats.timestamp), durationWords(ageSecs))],
    [t('onecrl_fact_records'), formatNumber(info.stats.records)],
    [t('onecrl_fact_signature'), signatureWords(info)],
    [t('fact_last_check'), lastCheckWords(info)],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, t('onecrl_checking'), async () => onecrlBox(await ask({ type: 'sync-onecrl' })));
  return box;
}
