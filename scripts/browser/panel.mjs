// Driving the extension's pages in a launched browser (scripts/browser/launch.mjs):
// open a site, open the panel for its tab, read what the panel shows.

const PANEL_TIMEOUT_MS = 20_000;

/** Opens `url` in a new tab; a page the browser refuses is not an error here. */
export async function visit(b, url) {
  const page = await b.browser.newPage();
  let loadError = null;
  try {
    await page.goto(url, { timeout: 15_000 });
  } catch (e) {
    loadError = e.message;
  }
  return { page, url, loadError };
}

/**
 * Navigates `page` to an extension page. Firefox over WebDriver BiDi loads
 * moz-extension:// pages but never reports the navigation as finished, so
 * there the wait is on the document itself.
 */
async function openExtensionPage(b, page, url) {
  if (b.kind === 'firefox') {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => {});
  } else {
    await page.goto(url);
  }
  await page.waitForFunction((u) => location.href === u && document.readyState !== 'loading', { timeout: PANEL_TIMEOUT_MS }, url);
}

/** An extension page of `b` (panel.html, options.html...), opened in a new tab. */
export async function extensionPage(b, path) {
  const page = await b.browser.newPage();
  await openExtensionPage(b, page, b.extensionBase + path);
  return page;
}

/** Sends `request` to the background from the extension page `page` and
 * returns its reply's value (extension/src/messages.ts Replies); a refusal
 * is thrown with the background's words. */
export async function ask(page, request) {
  const reply = await page.evaluate((request) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(request), request);
  if (!reply) throw new Error(`the background did not answer ${request.type}`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Asks the background from a page of its own, opened for the occasion. */
async function askOnce(b, request) {
  const page = await extensionPage(b, 'options.html');
  try {
    return await ask(page, request);
  } finally {
    await page.close();
  }
}

/** Changes the settings `patch` names, as the options page does (the
 * update-settings request); returns the settings in force. */
export function setSettings(b, patch) {
  return askOnce(b, { type: 'update-settings', patch });
}

/** Asks the background for a CRLite sync now and returns what the views
 * show afterwards (extension/src/crlite-sync.ts CrliteInfo). */
export function syncCrlite(b) {
  return askOnce(b, { type: 'sync-crlite' });
}

/** Asks the background for a CRLSet sync now and returns what the views
 * show afterwards (extension/src/crlset-sync.ts CrlsetInfo). */
export function syncCrlset(b) {
  return askOnce(b, { type: 'sync-crlset' });
}

/** What the views show of the CRLSet (extension/src/crlset-sync.ts CrlsetInfo). */
export function crlsetInfo(b) {
  return askOnce(b, { type: 'crlset' });
}

/** What a page's CRLite box (ui/crlite-view.ts) shows. */
export function readCrliteBox(page) {
  return page.evaluate(() => {
    const box = document.getElementById('crlite');
    if (!box) return null;
    const d = box.dataset;
    return {
      mode: d.mode,
      hasSet: d.hasSet === 'true',
      fullId: d.fullId,
      fullEffective: d.fullEffective,
      deltas: Number(d.deltas),
      ageSecs: Number(d.ageSecs),
      stale: d.stale === 'true',
      loadError: d.loadError,
      lastStatus: d.lastStatus,
      errorCode: d.errorCode,
      checkedAt: Number(d.checkedAt),
      lastSuccess: Number(d.lastSuccess),
      text: box.innerText,
    };
  });
}

/** The extension's tab id for the tab showing `url`. */
export async function tabIdOf(page, url) {
  return page.evaluate(async (url) => {
    const api = globalThis.browser ?? globalThis.chrome;
    const tabs = await api.tabs.query({});
    const tab = tabs.find((t) => t.url === url || t.pendingUrl === url);
    if (!tab) throw new Error(`no tab shows ${url}: ${tabs.map((t) => t.url).join(', ')}`);
    return tab.id;
  }, url);
}

/**
 * What the background stored for the tab showing `url` (extension/src/
 * tab-state.ts TabState: the browser's view, the chain it used, its refusal,
 * the verdict), once final; asked through `page`, an extension page left
 * open. No panel is drawn.
 */
export async function tabState(page, url) {
  const tabId = await tabIdOf(page, url);
  const deadline = Date.now() + PANEL_TIMEOUT_MS;
  for (;;) {
    const { state } = await ask(page, { type: 'get-tab', tabId });
    if (state && ['done', 'blocked-by-browser', 'error'].includes(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`no final state for ${url} in ${PANEL_TIMEOUT_MS} ms: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the panel in `page` for the tab of `visited`; resolves with the
 * tab's id once it shows a final state (in Chrome after clicking "Inspect
 * this page"). */
export async function openPanel(b, page, visited) {
  const tabId = await tabIdOf(page, visited.url);
  await openExtensionPage(b, page, `${b.extensionBase}panel.html?tab=${tabId}`);
  await page.waitForSelector('[data-state]', { timeout: PANEL_TIMEOUT_MS });
  if (b.kind === 'chromium' && (await page.$('[data-state=not-inspected]'))) {
    await page.click('#inspect');
  }
  // Final, and what comes after the verdict shown too: the leaf's CRL (if
  // it was due) and each browser's view.
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-state]');
    return el && ['done', 'blocked-by-browser', 'error'].includes(el.dataset.state)
      && !document.querySelector('[data-crl=fetching]')
      && !document.querySelector('[data-comparing]');
  }, { timeout: PANEL_TIMEOUT_MS });
  return tabId;
}

/**
 * In the panel of `visited`, clicks "What does the CA's CRL say?" for
 * certificate `index` and reads the answer shown (`revoked`, `good`,
 * `offline` or `not-fetched`); null when the panel offers no such button.
 */
export async function askCrlInPanel(b, visited, index) {
  const page = await extensionPage(b, 'panel.html');
  try {
    await openPanel(b, page, visited);
    // Found and clicked in one evaluation: the panel redraws whenever the
    // tab's state changes, and a handle taken before a redraw is detached.
    const clicked = await page.evaluate((index) => {
      const button = document.querySelector(`.crl-ask[data-index="${index}"]`);
      button?.click();
      return Boolean(button);
    }, index);
    if (!clicked) return null;
    const answer = await page.waitForFunction(
      (index) => document.getElementById(`crl-asked-${index}`)?.dataset.crl, { timeout: PANEL_TIMEOUT_MS, polling: 50 }, index);
    return answer.jsonValue();
  } finally {
    await page.close();
  }
}

/**
 * Opens the panel for the tab of `visited`, waits until it shows a final
 * state (in Chrome after clicking "Inspect this page"), and reads it.
 * With `screenshot`, saves the panel as a PNG there.
 */
export async function readPanel(b, visited, screenshot) {
  const page = await extensionPage(b, 'panel.html');
  try {
    const tabId = await openPanel(b, page, visited);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    // What the background stored for the tab: the verdict JSON and more.
    const stored = (await ask(page, { type: 'get-tab', tabId })).state;
    const crliteSet = await readCrliteBox(page);
    const shown = await page.evaluate(() => {
      const verdict = document.querySelector('[data-state]');
      return {
        state: verdict.dataset.state,
        outcome: verdict.dataset.outcome ?? null,
        summary: document.getElementById('summary').innerText,
        hardFail: document.getElementById('hard-fail')?.textContent ?? null,
        liveOff: Boolean(document.getElementById('live-off')),
        crlCheck: document.getElementById('crl-check')?.dataset.crl ?? null,
        // The CRLSet box: the set in force and how the last sync went.
        crlset: (({ hasSet, lastStatus, errorCode } = {}) => ({ hasSet, lastStatus, errorCode }))(document.getElementById('crlset')?.dataset),
        // What each browser would do (the side-by-side table).
        views: [...document.querySelectorAll('#compare tr[data-view]')]
          .map((tr) => ({ name: tr.dataset.view, outcome: tr.dataset.outcome, missing: tr.dataset.missing })),
        certs: [...document.querySelectorAll('section.cert')].map((s) => ({
          role: s.dataset.role,
          status: s.dataset.status,
          decidedBy: s.dataset.decidedBy,
          // The leaf's CRLite answer, when the policy consults CRLite.
          crlite: s.dataset.crliteStatus ?? null,
          crliteFilter: s.dataset.crliteFilter || null,
          crliteText: s.querySelector('.crlite-answer')?.textContent ?? null,
          steps: Object.fromEntries([...s.querySelectorAll('tr[data-step]')]
            .map((tr) => [tr.dataset.step, tr.children[1].textContent])),
        })),
      };
    });
    return { ...shown, crliteSet, stored };
  } finally {
    await page.close();
    await visited.page.close().catch(() => {});
  }
}

/**
 * Opens the dashboard, waits until it has drawn everything, and reads the
 * numbers it shows (its data-* attributes). With `screenshot`, saves it.
 */
export async function readDashboard(b, screenshot) {
  // With the range in the address, as the page writes it back.
  const page = await extensionPage(b, 'dashboard.html?days=30');
  try {
    await page.waitForFunction(() => ['ready', 'empty', 'error'].includes(document.getElementById('dashboard')?.dataset.state),
      { timeout: PANEL_TIMEOUT_MS });
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return await page.evaluate(() => {
      const value = (id) => {
        const v = document.getElementById(id)?.dataset.value;
        return v === undefined || v === '' ? null : Number(v);
      };
      const breakage = document.getElementById('breakage')?.dataset ?? {};
      return {
        state: document.getElementById('dashboard').dataset.state,
        evaluated: value('evaluated'),
        needed: value('needed'),
        asked: value('asked'),
        failures: value('failures'),
        usageRate: value('usage-rate'),
        failureRate: value('failure-rate'),
        browserOcspRate: value('browser-ocsp-rate'),
        // Paths seen: the table lists every label, zeros included.
        paths: Object.fromEntries([...document.querySelectorAll('tr[data-path]')]
          .map((tr) => [tr.dataset.path, Number(tr.dataset.count)]).filter(([, n]) => n > 0)),
        responders: [...document.querySelectorAll('#responders tbody tr[data-host]')].map((tr) => ({
          host: tr.dataset.host, attempts: Number(tr.dataset.attempts), failures: Number(tr.dataset.failures),
        })),
        breakage: Object.fromEntries(['wouldBlock', 'revoked', 'offline', 'unknown', 'error', 'undetermined']
          .map((k) => [k, breakage[k] === undefined ? null : Number(breakage[k])])),
        latencyTotal: Number(document.getElementById('latency')?.dataset.total ?? NaN),
        // The evaluated leaves' revocation information by label (absent: none counted).
        revocationInfo: Object.fromEntries([...document.querySelectorAll('#revocation-info-table tr[data-info]')]
          .map((tr) => [tr.dataset.info, Number(tr.dataset.count)]).filter(([, n]) => n > 0)),
        revocationInfoCharts: document.querySelectorAll('#revocation-info .chart').length,
        crl: Object.fromEntries(['fetched', 'failures', 'held']
          .map((k) => [k, Number(document.getElementById('crl')?.dataset[k] ?? NaN)])),
        // CRLite's answers by Firefox's crlite_status label (absent: never asked).
        crlite: Object.fromEntries([...document.querySelectorAll('tr[data-crlite]')]
          .map((tr) => [tr.dataset.crlite, Number(tr.dataset.count)]).filter(([, n]) => n > 0)),
        renderMs: Number(document.body.dataset.renderMs),
      };
    });
  } finally {
    await page.close();
  }
}
