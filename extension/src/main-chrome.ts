// Chrome's service worker: captures through chrome.debugger, on request or,
// when the user opted in, on every navigation.
import { startBackground } from './background';
import { inspectTabNow, releaseAllTabs, releaseTab, startChromeCapture } from './capture-chrome';
import { loaded } from './engine';
import { onPageNotInspected } from './pipeline';
import type { Settings } from './settings';
import { onSettingsChanged } from './settings-store';

let settings: Settings | undefined;
loaded().then((l) => { settings = l.settings; }).catch(() => {});
onSettingsChanged((next) => {
  settings = next;
  if (next.chromeCapture !== 'always') releaseAllTabs().catch(() => {});
});
startChromeCapture(() => settings?.chromeCapture === 'always', async (tabId, url) => {
  // The settings may still be loading when a navigation wakes the worker.
  const { settings: current } = await loaded();
  if (current.chromeCapture !== 'always') await onPageNotInspected(tabId, url);
});
startBackground({ browser: 'chrome', inspectTab: inspectTabNow, releaseTab });
