// Chrome's CRLSet as the options page shows it: the set in force and its
// updates, with "Sync now".
import type { CrlsetInfo } from '../extension/src/crlset-sync';
import { ask } from './ask';
import { facts, h, redrawOnClick } from './dom';

/** "2026-11-20 12:00 UTC", from milliseconds. */
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function lastCheckWords(info: CrlsetInfo): string {
  const sync = info.lastSync;
  if (!sync) return info.updates ? 'none yet' : 'none (updates are off above)';
  const result = sync.status === 'updated' ? `Sequence ${sync.sequence} in force (version ${sync.version ?? 'not named'})`
    : sync.status === 'up-to-date' ? 'already up to date'
      : `failed: ${sync.error?.message} [${sync.error?.code}]; the CRLSet in force is unchanged`;
  return `${when(sync.checkedAt)}: ${result}`;
}

/** The CRLSet box; "Sync now" asks the background and redraws in place. */
export function crlsetBox(info: CrlsetInfo): HTMLElement {
  const set = info.set;
  const sync = info.lastSync;
  const button = h('button', { type: 'button', id: 'crlset-sync' }, 'Sync now') as HTMLButtonElement;
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
  h('h2', {}, "Chrome's CRLSet"),
  set?.expired ? h('p', { class: 'warn', id: 'crlset-expired' },
    'The CRLSet in force has expired: as in Chrome, what it lists is still revoked, but "not listed" no longer counts.') : null,
  info.loadError ? h('p', { class: 'warn', id: 'crlset-load-error' },
    `The stored CRLSet could not be put in force: ${info.loadError.message} [${info.loadError.code}]; the next sync replaces it.`) : null,
  sync?.storeError ? h('p', { class: 'warn' },
    `The new CRLSet is in force but could not be stored (${sync.storeError}); after a restart the previous one is, until the next sync.`) : null,
  facts([
    ['CRLSet in force', set
      ? `Sequence ${set.info.sequence}: ${set.info.parents} issuers, ${set.info.serials} serials, ${set.info.blocked_spkis} blocked keys`
      : 'none'],
    ['Expires', set?.info.not_after ? when(set.info.not_after * 1000) : undefined],
    ['Last check', lastCheckWords(info)],
    ['Last success', sync?.lastSuccessAt ? when(sync.lastSuccessAt) : undefined],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, 'Syncing…', 'sync', async () => crlsetBox(await ask({ type: 'sync-crlset' })));
  return box;
}
