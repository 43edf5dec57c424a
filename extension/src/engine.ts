// The wasm engine in the background: loaded once per background lifetime
// with the bundled OneCRL snapshot, the policy from the options, and the
// OCSP cache restored from storage.local (so it survives restarts).
import init, { Engine } from '../../crate/pkg/revoscope.js';
import { ext } from './api';
import { loadSettings, onSettingsChanged, policyText, type Settings } from './settings';
import type { LiveRequest, Verdict } from './verdict';

const OCSP_CACHE_KEY = 'ocspCache';
/** The snapshot shipped in the package (Firefox ESR's own OneCRL dump). */
const SNAPSHOT_PATH = 'onecrl.json';

export interface SnapshotStats {
  timestamp: number;
  records: number;
  issuer_serial: number;
  subject_pubkey_hash: number;
  disabled: number;
}

export interface Evaluation {
  verdict: Verdict;
  liveRequest: LiveRequest | null;
}

class Loaded {
  constructor(readonly engine: Engine, public settings: Settings, public policyError: string | null) {}
}

let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  await init({ module_or_path: ext.runtime.getURL('revoscope_bg.wasm') });
  const snapshot = new Uint8Array(await (await fetch(ext.runtime.getURL(SNAPSHOT_PATH))).arrayBuffer());
  const engine = new Engine(snapshot);
  const settings = await loadSettings();
  const loaded = new Loaded(engine, settings, applyPolicy(engine, settings));
  const stored = (await ext.storage.local.get(OCSP_CACHE_KEY))[OCSP_CACHE_KEY];
  if (stored !== undefined) {
    try {
      engine.setOcspCache(stored, Date.now());
    } catch (e) {
      // A cache from another version: start afresh rather than fail pages.
      console.warn('revoscope: the stored OCSP cache is unusable, starting a new one:', e);
    }
  }
  onSettingsChanged((next) => {
    loaded.settings = next;
    loaded.policyError = applyPolicy(engine, next);
  });
  return loaded;
}

/** Sets the policy; on a bad one keeps the preset and says why. */
function applyPolicy(engine: Engine, settings: Settings): string | null {
  try {
    engine.setPolicy(policyText(settings));
    return null;
  } catch (e) {
    engine.setPolicy(settings.policy);
    return `the custom policy was refused (${(e as Error).message}); using ${settings.policy}`;
  }
}

export function loaded(): Promise<Loaded> {
  loading ??= load();
  return loading;
}

/**
 * Runs the ladder on a captured chain. Live OCSP goes out only when the
 * options allow it; the staple is hidden from extensions in both browsers.
 */
export async function evaluate(chain: Uint8Array[], rootIsBuiltIn: boolean): Promise<Evaluation> {
  const { engine, settings } = await loaded();
  const result = await engine.inspect(chain, undefined, Date.now(), rootIsBuiltIn, {
    fetch: settings.liveOcsp,
    stapleHidden: true,
  });
  const verdict = result.verdict as Verdict;
  // The engine has applied the verdict's cache updates; persist only then.
  if (verdict.certificates.some((c) => c.cache_update)) {
    await ext.storage.local.set({ [OCSP_CACHE_KEY]: engine.ocspCache() });
  }
  return { verdict, liveRequest: result.live_request as LiveRequest | null };
}

export async function snapshotStats(): Promise<SnapshotStats> {
  return (await loaded()).engine.snapshotStats() as SnapshotStats;
}
