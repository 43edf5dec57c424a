// Chrome's service worker: captures through chrome.debugger, on request or,
// when the user opted in, on every navigation.
import { startBackground } from './background';
import { inspectTabNow, releaseAllTabs, releaseTab, startChromeCapture } from './capture-chrome';
import { loaded } from './engine';
import { onSettingsChanged, type Settings } from './settings';

let settings: Settings | undefined;
loaded().then((l) => { settings = l.settings; }).catch(() => {});
onSettingsChanged((next) => {
  settings = next;
  if (next.chromeCapture !== 'always') releaseAllTabs().catch(() => {});
});
startChromeCapture(() => settings?.chromeCapture === 'always');
startBackground({ browser: 'chrome', inspectTab: inspectTabNow, releaseTab });
