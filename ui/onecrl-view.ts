// The OneCRL collection in force and its updates, as the panel and the
// options page both show them, with the "Check now" button.
import type { OnecrlInfo } from '../extension/src/onecrl-sync';
import { ask } from './ask';
import { facts, h, redrawOnClick } from './dom';
import { durationWords } from './words';

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function sourceWords(info: OnecrlInfo): string {
  if (info.source === 'bundled') return 'bundled with the extension (Firefox ESR\'s own dump)';
  return `downloaded from ${info.server}`;
}

function signatureWords(info: OnecrlInfo): string {
  if (info.source === 'bundled' || !info.signer) return 'none checked: the bundled snapshot came with the extension package';
  const root = info.customRoot ? 'a custom pinned root' : 'Mozilla\'s root';
  return `valid when downloaded ${when(info.verifiedAt!)}: signed by ${info.signer.signer_name}, chained to ${root} (SHA-256 ${info.signer.root_sha256.slice(0, 16)}…)`;
}

function lastCheckWords(info: OnecrlInfo): string {
  const sync = info.lastSync;
  if (!sync) return info.updates ? 'none yet' : 'none (updates are off in the options)';
  const result = sync.status === 'updated' ? `updated (${sync.incremental ? 'incremental' : 'whole collection'})`
    : sync.status === 'up-to-date' ? 'already up to date'
      : `failed: ${sync.error?.message} [${sync.error?.code}]; the collection in force is unchanged`;
  return `${when(sync.checkedAt)}: ${result}`;
}

/** The OneCRL box; "Check now" asks the background and redraws in place. */
export function onecrlBox(info: OnecrlInfo): HTMLElement {
  const ageSecs = Math.max(0, Math.floor((Date.now() - info.stats.timestamp) / 1000));
  const button = h('button', { type: 'button', id: 'onecrl-check' }, 'Check now') as HTMLButtonElement;
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
    `This collection is ${durationWords(ageSecs)} old, beyond the policy's ${info.maxAgeHours} h: a recent revocation could be missing, and verdicts say so.`) : null,
  info.storedError ? h('p', { class: 'warn' }, info.storedError) : null,
  facts([
    ['Source', sourceWords(info)],
    ['Published', `${when(info.stats.timestamp)}, ${durationWords(ageSecs)} ago`],
    ['Records', String(info.stats.records)],
    ['Signature', signatureWords(info)],
    ['Last check', lastCheckWords(info)],
  ]),
  h('div', { class: 'actions' }, button));
  redrawOnClick(box, button, 'Checking…', 'check', async () => onecrlBox(await ask({ type: 'sync-onecrl' })));
  return box;
}
