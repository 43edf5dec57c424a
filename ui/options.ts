// The options page: the policy preset and every tunable (with the preset's
// value as default), live OCSP on or off, and Chrome's capture mode. The
// background owns the settings: this page sends it the ones it shows, as a
// patch, and draws what the background answers.
import { isFirefox } from '../extension/src/api';
import { formatNumber, localizePage, t } from '../extension/src/i18n';
import type { PolicyPreset } from '../extension/src/messages';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../extension/src/settings';
import { ask } from './ask';
import { crliteBox } from './crlite-view';
import { crlsetBox } from './crlset-view';
import { $, h } from './dom';
import { onecrlBox } from './onecrl-view';

/** The tunables shown, with their label and kind; names are the policy file's keys. */
const TUNABLES: [key: string, label: () => string, kind: 'number' | 'boolean' | string[]][] = [
  ['short_lived_threshold_days', () => t('options_tunable_short_lived_threshold_days'), 'number'],
  ['exemption_order', () => t('options_tunable_exemption_order'), ['before-stapling', 'after-stapling']],
  ['stapled_ocsp', () => t('options_tunable_stapled_ocsp'), 'boolean'],
  ['must_staple', () => t('options_tunable_must_staple'), 'boolean'],
  ['live_ocsp', () => t('options_tunable_live_ocsp'), ['soft-fail', 'hard-fail', 'disabled']],
  ['soft_timeout_ms', () => t('options_tunable_soft_timeout_ms'), 'number'],
  ['hard_timeout_ms', () => t('options_tunable_hard_timeout_ms'), 'number'],
  ['skip_live_ocsp_for_built_in_roots', () => t('options_tunable_skip_live_ocsp_for_built_in_roots'), 'boolean'],
  ['onecrl_max_age_hours', () => t('options_tunable_onecrl_max_age_hours'), 'number'],
  ['without_revocation_info', () => t('options_tunable_without_revocation_info'), ['accept', 'block']],
  ['crlite', () => t('options_tunable_crlite'), ['disabled', 'telemetry-only', 'enforce']],
  ['cert_id_hashes', () => t('options_tunable_cert_id_hashes'), ['any', 'sha1-only']],
  ['crl', () => t('options_tunable_crl'), ['disabled', 'when-no-ocsp', 'always']],
  ['ocsp_method', () => t('options_tunable_ocsp_method'), ['get-when-short', 'post']],
  ['onecrl', () => t('options_tunable_onecrl'), ['enforce', 'disabled']],
  ['crlset', () => t('options_tunable_crlset'), ['disabled', 'enforce']],
  ['stapled_rules', () => t('options_tunable_stapled_rules'), ['firefox', 'chromium']],
];

/** A tunable's value in words. The English words are the policy file's
 * own tokens (what a policy file says); other languages translate them. */
function valueWords(value: unknown): string {
  switch (value) {
    case true: return t('options_value_true');
    case false: return t('options_value_false');
    case 'before-stapling': return t('options_value_before_stapling');
    case 'after-stapling': return t('options_value_after_stapling');
    case 'soft-fail': return t('options_value_soft_fail');
    case 'hard-fail': return t('options_value_hard_fail');
    case 'disabled': return t('options_value_disabled');
    case 'accept': return t('options_value_accept');
    case 'block': return t('options_value_block');
    case 'telemetry-only': return t('options_value_telemetry_only');
    case 'enforce': return t('options_value_enforce');
    case 'any': return t('options_value_any');
    case 'sha1-only': return t('options_value_sha1_only');
    case 'when-no-ocsp': return t('options_value_when_no_ocsp');
    case 'always': return t('options_value_always');
    case 'get-when-short': return t('options_value_get_when_short');
    case 'post': return t('options_value_post');
    case 'firefox': return t('options_value_firefox');
    case 'chromium': return t('options_value_chromium');
    default: return typeof value === 'number' ? formatNumber(value, { useGrouping: false }) : String(value);
  }
}

/** The defaults of what this page edits: the sharing page's settings are
 * not among them (opting out is withdrawing, on that page). */
function optionDefaults(): SettingsPatch {
  const { sharing: _sharing, collectorUrl: _collector, sharingDelayMinutes: _delay, ...options } = DEFAULT_SETTINGS;
  return options;
}

function field(key: string, label: string, kind: 'number' | 'boolean' | string[], preset: PolicyPreset, value: unknown): HTMLElement {
  const id = `t-${key}`;
  const def = preset[key];
  const hint = h('span', { class: 'muted' }, ' ', t('options_preset_hint', valueWords(def)));
  if (kind === 'boolean') {
    const input = h('input', { type: 'checkbox', id, name: key }) as HTMLInputElement;
    input.checked = Boolean(value ?? def);
    return h('label', {}, input, ' ', label, hint);
  }
  if (kind === 'number') {
    const input = h('input', { type: 'number', id, name: key, min: '0', step: '1' }) as HTMLInputElement;
    input.value = String(value ?? def);
    return h('label', {}, label, ' ', input, hint);
  }
  // The option's value is the policy's token; its text, the token in words.
  const select = h('select', { id, name: key }, ...kind.map((v) => h('option', { value: v }, valueWords(v)))) as HTMLSelectElement;
  select.value = String(value ?? def);
  return h('label', {}, label, ' ', select, hint);
}

const SHARING_WORDS: Record<'off' | 'on' | 'paused', () => string> = {
  off: () => t('options_sharing_off'),
  on: () => t('options_sharing_on'),
  paused: () => t('options_sharing_paused'),
};

/** The sharing state, in a line beside the link to its page. */
async function showSharing(): Promise<void> {
  const { mode, queue } = await ask({ type: 'sharing' });
  const n = formatNumber(queue.length);
  const waiting = queue.length === 0 ? '' : ` ${queue.length === 1 ? t('options_sharing_queued_one', n) : t('options_sharing_queued_other', n)}`;
  const status = $('sharing-status');
  status.textContent = SHARING_WORDS[mode]() + waiting;
  status.dataset.mode = mode;
}

async function main(): Promise<void> {
  localizePage();
  const list = await ask({ type: 'policy-presets' });
  let settings = await ask({ type: 'settings' });
  const policySelect = $<HTMLSelectElement>('policy');
  policySelect.replaceChildren(...list.map((p) => h('option', { value: p.name }, p.name)));
  $('chrome-only').hidden = isFirefox;

  const draw = (s: Settings) => {
    policySelect.value = s.policy;
    const preset = list.find((p) => p.name === s.policy) ?? list[0];
    $('policy-description').textContent = preset.description;
    $('tunables').replaceChildren(...TUNABLES.map(([key, label, kind]) => field(key, label(), kind, preset, s.overrides[key])));
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
      $('saved').textContent = t('options_not_saved', (e as Error).message);
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
    }, t('options_saved'));
    // The mode shown in the CRLite box follows the new policy.
    showCrlite().catch(() => {});
  });
  $('reset').addEventListener('click', () => save(optionDefaults(), t('options_defaults_restored')));
  // The form works without these boxes: they come after it.
  showSharing().catch(() => {});
  showOnecrl().catch(() => {});
  showCrlite().catch(() => {});
  showCrlset().catch(() => {});
}

main().catch((e) => { $('saved').textContent = `revoscope: ${(e as Error).message}`; });
