#!/usr/bin/env bash
# `npm run package`: both builds linted, the store zips
# (out/packages/revoscope-{firefox,chrome}-VERSION.zip) and the listings'
# screenshots (out/packages/screenshots/).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/build.sh
say "linting the builds: web-ext for Firefox, Chromium's own loader for Chrome"
npx --no-install web-ext lint --source-dir dist/firefox --warnings-as-errors
node scripts/lint-chrome.mjs dist/chrome
say "store screenshots (1280x800, both browsers, from the demo sites)"
node scripts/store-screenshots.mjs out/packages/screenshots
version="$(node -p 'require("./extension/manifest.json").version')"
# The Chrome build's `key` fixes its id for unpacked installs (the companion's
# host manifest allows that id); an item in the Chrome Web Store has the id
# the store gives it, and the upload goes without the key.
store="$(mktemp -d)"
trap 'rm -rf "$store"' EXIT
cp -r dist/firefox "$store/firefox"
cp -r dist/chrome "$store/chrome"
node -e 'const fs = require("fs"); const p = process.argv[1]; const m = JSON.parse(fs.readFileSync(p)); delete m.key; fs.writeFileSync(p, JSON.stringify(m, null, 2) + "\n");' "$store/chrome/manifest.json"
for browser in firefox chrome; do
  npx --no-install web-ext build --source-dir "$store/$browser" --artifacts-dir out/packages \
    --filename "revoscope-$browser-$version.zip" --overwrite-dest >/dev/null
  say "out/packages/revoscope-$browser-$version.zip"
done
