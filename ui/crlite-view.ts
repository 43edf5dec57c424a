// CRLite as the panel and the options page show it: the filter set in
// force and its updates (with "Sync now"), and what the filters said of a
// page's leaf.
import type { CrliteInfo } from '../extension/src/crlite-sync';
import { ask } from './ask';
import type { CrliteLookup, FilterSetInfo } from '../extension/src/verdict';
import { facts, h, redrawOnClick } from './dom';
import { formatMoment, formatNumber, t } from '../extension/src/i18n';
import { durationWords } from './words';

/** A moment from milliseconds or an RFC 3339 time. */
const when = (time: number | string) => formatMoment(new Date(time).getTime());

function modeWords(mode: CrliteInfo['mode']): string {
  switch (mode) {
    case 'enforce': return t('crlite_mode_enforce');
    case 'telemetry-only': return t('crlite_mode_telemetry_only');
    case 'disabled': return t('crlite_mode_disabled');
  }
}

function sizeWords(bytes: number): string {
  if (bytes >= 1_000_000) return t('size_mb', formatNumber(bytes / 1_000_000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  if (bytes >= 1_000) return t('size_kb', formatNumber(Math.round(bytes / 1_000)));
  return t('size_bytes', formatNumber(bytes));
}

function setWords(set: FilterSetInfo): string {
  return t(set.deltas === 1 ? 'crlite_set_one_delta' : 'crlite_set', when(set.full_effective), formatNumber(set.deltas), when(set.newest_effective));
}

function lastCheckWords(info: CrliteInfo): string {
  const sync = info.lastSync;
  if (!sync) {
    if (info.mode === 'disabled') return t('crlite_none_disabled');
    return info.updates ? t('sync_none_yet') : t('sync_none_updates_off');
  }
  const result = sync.status === 'updated'
    ? (sync.downloadedFiles
      ? t(sync.downloadedFiles === 1 ? 'crlite_updated_one_file' : 'crlite_updated_files', formatNumber(sync.downloadedFiles), sizeWords(sync.downloadedBytes))
      : t('crlite_updated'))
    : sync.status === 'up-to-date' ? t('sync_up_to_date')
      : t('crlite_failed', sync.error?.message ?? '', sync.error?.code ?? '');
  return t('sync_at', when(sync.checkedAt), result);
}

/** The CRLite box; "Sync now" asks the background and redraws in place. */
export function crliteBox(info: CrliteInfo): HTMLElement {
  const set = info.set;
  const sync = info.lastSync;
  const button = h('button', { type: 'button', id: 'crlite-sync' }, t('sync_now')) as HTMLButtonElement;
  const box = h('section', {
    class: 'box', id: 'crlite',
    'data-mode': info.mode,
    'data-has-set': String(set !== null),
    'data-full-id': set?.full_id ?? '',
    'data-full-effective': set?.full_effective ?? '',
    'data-deltas': String(set?.deltas ?? 0),
    'data-age-secs': String(set?.age_secs ?? 0),
    'data-stale': String(set?.stale ?? false),
    'data-load-error': info.loadError?.code ?? '',
    'data-last-status': sync?.status ?? 'none',
    'data-error-code': sync?.error?.code ?? '',
    'data-checked-at': String(sync?.checkedAt ?? 0),
    'data-last-success': String(sync?.lastSuccessAt ?? 0),
  },
  h('h2', {}, 'CRLite'),
  set?.stale ? h('p', { class: 'warn', id: 'crlite-stale' },
    t('crlite_stale', durationWords(set.age_secs))) : null,
  info.loadError ? h('p', { class: 'warn', id: 'crlite-load-error' },
    t('crlite_load_error', info.loadError.message, info.loadError.code)) : null,
  sync?.storeError ? h('p', { class: 'warn' },
    t('crlite_store_error', sync.storeError)) : null,
  facts([
    [t('crlite_fact_mode'), modeWords(info.mode)],
    [t('crlite_fact_in_force'), set ? setWords(set) : t('none')],
    [t('crlite_fact_installed'), set ? t('time_ago', when(set.installed_at), durationWords(set.age_secs)) : undefined],
    [t('crlite_fact_size'), set ? t('crlite_size', sizeWords(set.bytes), formatNumber(set.enrolled_issuers), formatNumber(set.coverage.logs)) : undefined],
    [t('fact_last_check'), lastCheckWords(info)],
    [t('fact_last_success'), sync?.lastSuccessAt ? when(sync.lastSuccessAt) : undefined],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, t('syncing'), async () => crliteBox(await ask({ type: 'sync-crlite' })));
  return box;
}

/** Which filter, in words: the full filter or one of its deltas; '' when unnamed. */
function filterWords(id: string | undefined, set: FilterSetInfo | undefined): string {
  if (!id) return '';
  return id === set?.full_id ? t('crlite_filter_full', id) : t('crlite_filter_delta', id);
}

/** What the filters said of a leaf, as one line of the panel. */
export function leafCrliteWords(lookup: CrliteLookup, set: FilterSetInfo | undefined): string {
  const which = filterWords(lookup.filter, set);
  switch (lookup.status) {
    case 'revoked_in_filter':
      return which ? t('crlite_leaf_revoked_in', which) : t('crlite_leaf_revoked');
    case 'not_revoked':
      return which ? t('crlite_leaf_not_revoked_in', which) : t('crlite_leaf_not_revoked');
    case 'not_enrolled':
      return t('crlite_leaf_not_enrolled');
    case 'not_covered':
      return t('crlite_leaf_not_covered');
    case 'no_filter':
      return set?.stale ? t('crlite_leaf_no_filter_stale') : t('crlite_leaf_no_filter');
  }
}
