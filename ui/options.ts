// The options page: the policy preset and every tunable (with the preset's
// value as default), live OCSP on or off, and Chrome's capture mode. The
// background owns the settings: this page sends it the ones it shows, as a
// patch, and draws what the background answers.
import { isFirefox } from '../extension/src/api';
import type { PolicyPreset } from '../extension/src/messages';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../extension/src/settings';
import { ask } from './ask';
import { crliteBox } from './crlite-view';
import { crlsetBox } from './crlset-view';
import { $, h } from './dom';
import { onecrlBox } from './onecrl-view';

/** The tunables shown, with their kind; names are the policy file's keys. */
const TUNABLES: [key: string, label: string, kind: 'number' | 'boolean' | string[]][] = [
  ['short_lived_threshold_days', 'Short-lived threshold (days; 0 turns the exemption off)', 'number'],
  ['exemption_order', 'Short-lived exemption comes', ['before-stapling', 'after-stapling']],
  ['stapled_ocsp', 'Use stapled OCSP responses', 'boolean'],
  ['must_staple', 'Enforce OCSP must-staple', 'boolean'],
  ['live_ocsp', 'Live OCSP failure mode', ['soft-fail', 'hard-fail', 'disabled']],
  ['soft_timeout_ms', 'Soft-fail timeout (ms)', 'number'],
  ['hard_timeout_ms', 'Hard-fail timeout (ms)', 'number'],
  ['skip_live_ocsp_for_built_in_roots', 'Skip live OCSP for built-in roots', 'boolean'],
  ['onecrl_max_age_hours', 'OneCRL snapshot is stale after (hours)', 'number'],
  ['without_revocation_info', 'A leaf naming no OCSP responder', ['accept', 'block']],
  ['crlite', 'CRLite', ['disabled', 'telemetry-only', 'enforce']],
  ['cert_id_hashes', 'OCSP CertID hashes accepted', ['any', 'sha1-only']],
  ['crl', "The CA's CRL (a step browsers do not take)", ['disabled', 'when-no-ocsp', 'always']],
  ['ocsp_method', 'Live OCSP requests are sent', ['get-when-short', 'post']],
  ['onecrl', 'OneCRL (Firefox)', ['enforce', 'disabled']],
  ['crlset', "Chrome's CRLSet", ['disabled', 'enforce']],
  ['stapled_rules', 'A stapled response is read', ['firefox', 'chromium']],
];

/** The defaults of what this page edits: the sharing page's settings are
 * not among them (opting out is withdrawing, on that page). */
function optionDefaults(): SettingsPatch {
  const { sharing: _sharing, collectorUrl: _collector, sharingDelayMinutes: _delay, ...options } = DEFAULT_SETTINGS;
  return options;
}

function field(key: string, label: string, kind: 'number' | 'boolean' | string[], preset: PolicyPreset, value: unknown): HTMLElement {
  const id = `t-${key}`;
  const def = preset[key];
  const hint = h('span', { class: 'muted' }, ` (preset: ${String(def)})`);
  if (kind === 'boolean') {
    const input = h('input', { type: 'checkbox', id, name: key }) as HTMLInputElement;
    input.checked = Boolean(value ?? def);
    return h('label', {}, input, ` ${label}`, hint);
  }
  if (kind === 'number') {
    const input = h('input', { type: 'number', id, name: key, min: '0', step: '1' }) as HTMLInputElement;
    input.value = String(value ?? def);
    return h('label', {}, `${label} `, input, hint);
  }
  const select = h('select', { id, name: key }, ...kind.map((v) => h('option', { value: v }, v))) as HTMLSelectElement;
  select.value = String(value ?? def);
  return h('label', {}, `${label} `, select, hint);
}

const SHARING_WORDS = {
  off: 'Off: nothing is shared.',
  on: 'On: a report of each day is queued when the day ends, and sent to the collector.',
  paused: 'Paused: queued reports wait, nothing is sent.',
};

/** The sharing state, in a line beside the link to its page. */
async function showSharing(): Promise<void> {
  const { mode, queue } = await ask({ type: 'sharing' });
  const waiting = queue.length ? ` ${queue.length} report${queue.length === 1 ? '' : 's'} queued.` : '';
  const status = $('sharing-status');
  status.textContent = SHARING_WORDS[mode] + waiting;
  status.dataset.mode = mode;
}

async function main(): Promise<void> {
  const list = await ask({ type: 'policy-presets' });
  let settings = await ask({ type: 'settings' });
  const policySelect = $<HTMLSelectElement>('policy');
  policySelect.replaceChildren(...list.map((p) => h('option', { value: p.name }, p.name)));
  $('chrome-only').hidden = isFirefox;

  const draw = (s: Settings) => {
    policySelect.value = s.policy;
    const preset = list.find((p) => p.name === s.policy) ?? list[0];
    $('policy-description').textContent = preset.description;
    $('tunables').replaceChildren(...TUNABLES.map(([key, label, kind]) => field(key, label, kind, preset, s.overrides[key])));
    $<HTMLInputElement>('liveOcsp').checked = s.liveOcsp;
    $<HTMLInputElement>('checkCrls').checked = s.checkCrls;
    for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=chromeCapture]')) radio.checked = radio.value === s.chromeCapture;
    $<HTMLInputElement>('onecrlUpdates').checked = s.onecrlUpdates;
    $<HTMLInputElement>('onecrlServer').value = s.onecrlServer;
    $<HTMLInputElement>('onecrlRootHash').value = s.onecrlRootHash;
    $<HTMLInputElement>('crliteUpdates').checked = s.crliteUpdates;
    $<HTMLInputElement>('crlsetUpdates').checked = s.crlsetUpdates;
    $<HTMLInputElement>('crlsetServer').value = s.crlsetServer;
    $<HTMLInputElement>('crlsetKeySha256').value = s.crlsetKeySha256;
    $<HTMLInputElement>('telemetry').checked = s.telemetry;
    $<HTMLInputElement>('telemetryRetentionDays').value = String(s.telemetryRetentionDays);
  };
  const showOnecrl = async () => $('onecrl-slot').replaceChildren(onecrlBox(await ask({ type: 'onecrl' })));
  const showCrlite = async () => $('crlite-slot').replaceChildren(crliteBox(await ask({ type: 'crlite' })));
  const showCrlset = async () => $('crlset-slot').replaceChildren(crlsetBox(await ask({ type: 'crlset' })));
  /** Sends `patch`; draws the settings in force, or says why it was refused. */
  const save = async (patch: SettingsPatch, done: string) => {
    try {
      settings = await ask({ type: 'update-settings', patch });
    } catch (e) {
      $('saved').textContent = `Not saved: ${(e as Error).message}`;
      return;
    }
    draw(settings);
    $('saved').textContent = done;
  };
  draw(settings);
  policySelect.addEventListener('change', () => draw({ ...settings, policy: policySelect.value, overrides: {} }));

  $('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const preset = list.find((p) => p.name === policySelect.value)!;
    const overrides: Settings['overrides'] = {};
    for (const [key, , kind] of TUNABLES) {
      const el = $<HTMLInputElement>(`t-${key}`);
      const value = kind === 'boolean' ? el.checked : kind === 'number' ? Number(el.value) : el.value;
      if (value !== preset[key]) overrides[key] = value;
    }
    const chromeCapture = document.querySelector<HTMLInputElement>('input[name=chromeCapture]:checked')?.value;
    // Only what this form shows: the background keeps the rest (the
    // sharing page's settings) as they are when it applies the patch.
    await save({
      policy: preset.name,
      overrides,
      liveOcsp: $<HTMLInputElement>('liveOcsp').checked,
      checkCrls: $<HTMLInputElement>('checkCrls').checked,
      chromeCapture: chromeCapture === 'always' ? 'always' : 'on-demand',
      onecrlUpdates: $<HTMLInputElement>('onecrlUpdates').checked,
      onecrlServer: $<HTMLInputElement>('onecrlServer').value.trim() || DEFAULT_SETTINGS.onecrlServer,
      onecrlRootHash: $<HTMLInputElement>('onecrlRootHash').value.trim().toLowerCase(),
      crliteUpdates: $<HTMLInputElement>('crliteUpdates').checked,
      crlsetUpdates: $<HTMLInputElement>('crlsetUpdates').checked,
      crlsetServer: $<HTMLInputElement>('crlsetServer').value.trim() || DEFAULT_SETTINGS.crlsetServer,
      crlsetKeySha256: $<HTMLInputElement>('crlsetKeySha256').value.trim().toLowerCase(),
      telemetry: $<HTMLInputElement>('telemetry').checked,
      telemetryRetentionDays: Math.round(Number($<HTMLInputElement>('telemetryRetentionDays').value)),
    }, 'Saved. New pages use these options.');
    // The mode shown in the CRLite box follows the new policy.
    showCrlite().catch(() => {});
  });
  $('reset').addEventListener('click', () => save(optionDefaults(), 'Defaults restored.'));
  // The form works without these boxes: they come after it.
  showSharing().catch(() => {});
  showOnecrl().catch(() => {});
  showCrlite().catch(() => {});
  showCrlset().catch(() => {});
}

main().catch((e) => { $('saved').textContent = `revoscope: ${(e as Error).message}`; });
