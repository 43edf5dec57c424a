// Starts Debian's Firefox ESR or Chromium with the built extension, in a
// profile of its own that trusts the demo roots, with the demo host names
// pointed at 127.0.0.1 and everything else kept off the network. Used by the
// browser tests, the demo (`npm start`) and the page-load benchmark.
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIREFOX = '/usr/bin/firefox-esr';
export const CHROMIUM = '/usr/bin/chromium';
/** The add-on id of dist/firefox (extension/manifest.json) and the UUID we pin its pages to. */
export const GECKO_ID = 'revoscope@revoscope.invalid';
export const FIREFOX_UUID = '6b1f7c3e-0d1a-4c8e-9a51-2f3d5e7a9b10';

/** An NSS database in `dir` trusting each PEM root for TLS servers. */
function trustRoots(dir, roots) {
  // A profile used before already has its database (certutil -N would ask
  // for its password on the terminal).
  if (!existsSync(join(dir, 'cert9.db'))) {
    execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  roots.forEach((pem, i) => {
    execFileSync('certutil', ['-A', '-n', `revoscope-demo-root-${i}`, '-t', 'C,,', '-i', pem, '-d', `sql:${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  });
}

/**
 * Firefox prefs for the tests and the demo, and why:
 * - network.dns.localDomains: the demo host names resolve to 127.0.0.1;
 * - the proxy at 127.0.0.1:9 (nothing listens) catches any other request,
 *   so the browser never reaches the internet; the demo hosts and loopback
 *   bypass it (allow_hijacking_localhost off);
 * - network.trr.mode 5: no DNS over HTTPS;
 * - security.OCSP.enabled 0: Firefox makes no OCSP request of its own, so
 *   every request in the demo responder's log is the extension's. Firefox
 *   still enforces must-staple (security.ssl.enable_ocsp_must_staple) and
 *   OneCRL, which is what the tests look for. Left out with
 *   `revocationDefaults`: then no revocation pref is set at all
 *   (security.OCSP.*, security.pki.*, security.ssl.*ocsp*), and Firefox
 *   checks as it does for its users (extension/tests/firefox-today.test.mjs);
 * - extensions.webextensions.uuids: a fixed moz-extension:// host for the panel;
 * - keepStorageOnUninstall: the extension is installed as a temporary add-on,
 *   which Firefox uninstalls at shutdown; this keeps its storage for the next
 *   start, as a normal install would (the restart test needs it).
 */
function firefoxPrefs(hosts, { revocationDefaults = false } = {}) {
  const prefs = {
    'network.dns.localDomains': hosts.join(','),
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': 9,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': 9,
    'network.proxy.no_proxies_on': ['localhost', '127.0.0.1', ...hosts].join(','),
    'network.proxy.allow_hijacking_localhost': false,
    'network.trr.mode': 5,
    'security.OCSP.enabled': 0,
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
    'extensions.webextensions.keepStorageOnUninstall': true,
    'extensions.webextensions.keepUuidOnUninstall': true,
    'browser.shell.checkDefaultBrowser': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'app.normandy.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/v1',
  };
  if (revocationDefaults) delete prefs['security.OCSP.enabled'];
  return prefs;
}

/**
 * Launches `which` ('firefox' or 'chromium') with `extensionDir` loaded;
 * `firefoxPrefs` adds to (or overrides) Firefox's prefs above,
 * `revocationDefaults` leaves Firefox's revocation prefs at their defaults,
 * `protocolTimeout` (ms) is puppeteer's limit on one call into the
 * browser (default 180 s), for benchmarks whose single calls run longer,
 * and `components` (Chromium) leaves out `--disable-component-update` (ours
 * and puppeteer's default), so that Chromium registers its components, the
 * CRLSet among them, from `<userDataDir>/<component dir>/<version>/`; its
 * update checks still reach only the proxy; `enableExtensions` (Chromium,
 * without `extensionDir`) lets the caller install one with
 * `browser.installExtension`; `windowSize` ({width, height}, Chromium)
 * sizes its window, and so the screen its popups are placed on.
 * Returns {browser, kind, extensionBase, profile, userDataDir, close()};
 * extensionBase is the extension's URL prefix (…/ with a trailing slash).
 */
export async function launch(which, {
  extensionDir, roots, hosts, headless = true, profile, firefoxPrefs: morePrefs = {}, revocationDefaults = false,
  protocolTimeout, components = false, enableExtensions = false, windowSize,
}) {
  profile ??= mkdtempSync(join(tmpdir(), `revoscope-${which}-`));
  mkdirSync(profile, { recursive: true });
  if (which === 'firefox') {
    trustRoots(profile, roots);
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless,
      userDataDir: profile,
      extraPrefsFirefox: { ...firefoxPrefs(hosts, { revocationDefaults }), ...morePrefs },
      args: ['--remote-allow-system-access'],
      protocolTimeout,
    });
    if (extensionDir) await browser.installExtension(extensionDir);
    return {
      browser, kind: which, profile,
      extensionBase: `moz-extension://${FIREFOX_UUID}/`,
      close: () => browser.close(),
    };
  }
  // Chromium reads trust from $HOME/.pki/nssdb: give it a HOME of its own.
  const home = join(profile, 'home');
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true });
  trustRoots(join(home, '.pki/nssdb'), roots);
  const userDataDir = join(profile, 'chromium');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless,
    pipe: true,
    protocolTimeout,
    userDataDir,
    enableExtensions: extensionDir ? [extensionDir] : enableExtensions,
    ignoreDefaultArgs: components ? ['--disable-component-update'] : undefined,
    env: { ...process.env, HOME: home },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', ...(components ? [] : ['--disable-component-update']), '--disable-sync',
      `--host-resolver-rules=MAP *.revoscope.test 127.0.0.1`,
      '--proxy-server=http://127.0.0.1:9',
      '--proxy-bypass-list=*.revoscope.test;127.0.0.1;localhost',
      // Headless Chromium's screen is 800x600 unless told (--screen-info).
      ...(windowSize ? [`--window-size=${windowSize.width},${windowSize.height}`,
        `--screen-info={${windowSize.width}x${windowSize.height}}`] : []),
    ],
  });
  let extensionBase = null;
  if (extensionDir) {
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'));
    extensionBase = worker.url().replace(/background\.js$/, '');
  }
  return { browser, kind: which, profile, userDataDir, extensionBase, close: () => browser.close() };
}
