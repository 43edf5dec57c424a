// Firefox's background: every main-frame HTTPS response is captured.
import { startBackground } from './background';
import { startFirefoxCapture } from './capture-firefox';

startFirefoxCapture();
startBackground({ browser: 'firefox' });
