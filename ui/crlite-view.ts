// CRLite as the panel and the options page show it: the filter set in
// force and its updates (with "Sync now"), and what the filters said of a
// page's leaf.
import type { CrliteInfo } from '../extension/src/crlite-sync';
import { ask } from './ask';
import type { CrliteLookup, FilterSetInfo } from '../extension/src/verdict';
import { facts, h, redrawOnClick } from './dom';
import { durationWords } from './words';

/** "2026-11-20 12:00 UTC", from milliseconds or an RFC 3339 time. */
const when = (time: number | string) => new Date(time).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

const MODE_WORDS: Record<CrliteInfo['mode'], string> = {
  'enforce': 'enforce: a leaf the filters cover is decided by them, with no OCSP request',
  'telemetry-only': 'telemetry-only: the answer is noted in the trace, the ladder goes on',
  'disabled': 'disabled in the policy: filters are neither consulted nor fetched',
};

function sizeWords(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

const deltaWords = (n: number) => plural(n, 'delta');

function setWords(set: FilterSetInfo): string {
  return `full filter of ${when(set.full_effective)} and ${deltaWords(set.deltas)}, the newest of ${when(set.newest_effective)}`;
}

function lastCheckWords(info: CrliteInfo): string {
  const sync = info.lastSync;
  if (!sync) {
    if (info.mode === 'disabled') return 'none (the policy does not use CRLite)';
    return info.updates ? 'none yet' : 'none (updates are off in the options)';
  }
  const fetched = sync.downloadedFiles
    ? `, ${sync.downloadedFiles} ${sync.downloadedFiles === 1 ? 'file' : 'files'} (${sizeWords(sync.downloadedBytes)}) downloaded` : '';
  const result = sync.status === 'updated' ? `new filters in force${fetched}`
    : sync.status === 'up-to-date' ? 'already up to date'
      : `failed: ${sync.error?.message} [${sync.error?.code}]; the filter set in force is unchanged`;
  return `${when(sync.checkedAt)}: ${result}`;
}

/** The CRLite box; "Sync now" asks the background and redraws in place. */
export function crliteBox(info: CrliteInfo): HTMLElement {
  const set = info.set;
  const sync = info.lastSync;
  const button = h('button', { type: 'button', id: 'crlite-sync' }, 'Sync now') as HTMLButtonElement;
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
    `No filter was installed for ${durationWords(set.age_secs)}: after 10 days without an update Firefox ignores its filters, and so does the ladder (it reports "no filter").`) : null,
  info.loadError ? h('p', { class: 'warn', id: 'crlite-load-error' },
    `The stored filters could not be put in force: ${info.loadError.message} [${info.loadError.code}]. They are kept; the next sync downloads what is missing.`) : null,
  sync?.storeError ? h('p', { class: 'warn' },
    `The new filters are in force but could not be stored (${sync.storeError}); after a restart the previous ones are, until the next sync.`) : null,
  facts([
    ['Mode', MODE_WORDS[info.mode]],
    ['Filters in force', set ? setWords(set) : 'none'],
    ['Installed', set ? `${when(set.installed_at)}, ${durationWords(set.age_secs)} ago` : undefined],
    ['Size', set ? `${sizeWords(set.bytes)}; ${plural(set.enrolled_issuers, 'issuer')} enrolled; ${plural(set.coverage.logs, 'CT log')} covered` : undefined],
    ['Last check', lastCheckWords(info)],
    ['Last success', sync?.lastSuccessAt ? when(sync.lastSuccessAt) : undefined],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, 'Syncing…', 'sync', async () => crliteBox(await ask({ type: 'sync-crlite' })));
  return box;
}

/** Which filter, in words: the full filter or one of its deltas. */
function filterWords(id: string | undefined, set: FilterSetInfo | undefined): string {
  if (!id) return '';
  return id === set?.full_id ? ` (full filter ${id})` : ` (delta ${id})`;
}

/** What the filters said of a leaf, as one line of the panel. */
export function leafCrliteWords(lookup: CrliteLookup, set: FilterSetInfo | undefined): string {
  switch (lookup.status) {
    case 'revoked_in_filter':
      return `CRLite: revoked in filter${filterWords(lookup.filter, set)}`;
    case 'not_revoked':
      return `CRLite: covered, not revoked${filterWords(lookup.filter, set)}`;
    case 'not_enrolled':
      return 'CRLite: not enrolled: the filters cover its CT logs, but its issuer is not in CRLite';
    case 'not_covered':
      return 'CRLite: not covered: no embedded SCT from a CT log and time the filters cover';
    case 'no_filter':
      return set?.stale ? 'CRLite: no filter: the filters are more than 10 days old' : 'CRLite: no filter: none is loaded';
  }
}
