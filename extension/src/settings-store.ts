// The settings in force, owned by the background: the one writer of the
// `settings` key in storage.local. Views send patches (the update-settings
// request); the background's own modules (sharing.ts) change settings the
// same way. Patches are applied one at a time, in the order they arrive,
// each to what the one before left, so two pages saving at once both keep
// their change.
import { ext } from './api';
import { normalise, type Settings } from './settings';

const SETTINGS_KEY = 'settings';

/** The stored settings, with defaults for anything missing or malformed. */
export async function loadSettings(): Promise<Settings> {
  return normalise((await ext.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]);
}

type Listener = (settings: Settings) => void;
const listeners: Listener[] = [];

/** Calls `listener` with the new settings after each change is stored. */
export function onSettingsChanged(listener: Listener): void {
  listeners.push(listener);
}

/** The end of the queue of patches; never rejects, so one refused write
 * does not stop the ones after it. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Applies `patch` (already checked: settings.ts settingsPatch) after every
 * patch before it, stores the result and tells the listeners. Resolves to
 * the settings in force afterwards. A patch that changes nothing writes
 * nothing and tells no one.
 */
export function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const applied = queue.then(async () => {
    const before = await loadSettings();
    const after = normalise({ ...before, ...patch });
    if (JSON.stringify(after) === JSON.stringify(before)) return before;
    await ext.storage.local.set({ [SETTINGS_KEY]: after });
    // Called at once, not through storage.onChanged, so the engine has the
    // new policy by the time the view that asked gets its answer.
    for (const listener of listeners) {
      try {
        listener(after);
      } catch (e) {
        console.warn('revoscope: a settings listener failed:', e);
      }
    }
    return after;
  });
  queue = applied.catch(() => {});
  return applied;
}
