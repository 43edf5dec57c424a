// axe-core (the npm package) over a page of a launched browser: the
// accessibility rules of WCAG 2.2 A and AA and axe's best practices, run
// where the page is, in the browser under test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts a test fails on. */
export const BLOCKING = ['serious', 'critical'];

/**
 * Runs axe on `page` as it is now; resolves to the violations of `BLOCKING`
 * impact, each as `rule: impact: the first offending elements`, so that a
 * failure names what to fix. The source goes in by the protocol's own
 * evaluation, which the extension pages' CSP does not govern.
 */
export async function axeViolations(page) {
  const results = await page.evaluate(async (source) => {
    if (!globalThis.axe) (0, eval)(source);
    const run = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return run.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  }, AXE_SOURCE);
  return results.filter((v) => BLOCKING.includes(v.impact))
    .map((v) => `${v.id}: ${v.impact}: ${v.help} (${v.targets.join(', ')})`);
}
