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
for browser in firefox chrome; do
  npx --no-install web-ext build --source-dir "dist/$browser" --artifacts-dir out/packages \
    --filename "revoscope-$browser-$version.zip" --overwrite-dest >/dev/null
  say "out/packages/revoscope-$browser-$version.zip"
done
