// Renders the extension's icon (ui/icons/revoscope.svg, the one source) to
// the PNG sizes the stores and browsers ask for: 16 and 32 for the toolbar,
// 48 for the extensions page, 128 for the store listing and install dialog
// (Chrome: developer.chrome.com/docs/extensions/reference/manifest/icons;
// Firefox: MDN, manifest.json "icons"). resvg renders without a browser.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ICON_SIZES = [16, 32, 48, 128];

/** Writes icons/icon-N.png under `out`; answers the manifest's `icons`. */
export function writeIcons(root, out) {
  const svg = readFileSync(join(root, 'ui/icons/revoscope.svg'));
  mkdirSync(join(out, 'icons'), { recursive: true });
  const icons = {};
  for (const size of ICON_SIZES) {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    const name = `icons/icon-${size}.png`;
    writeFileSync(join(out, name), png);
    icons[size] = name;
  }
  return icons;
}
