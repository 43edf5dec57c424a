#!/usr/bin/env bash
# `npm run build`: the wasm package, a type check of the TypeScript, the
# two extension builds, dist/firefox/ and dist/chrome/, and the public
# dashboard, dist/public/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh all
bash scripts/build-wasm.sh
say "type-checking the extension"
npx --no-install tsc -p .
say "building the extension"
node scripts/build-extension.mjs
say "building the public dashboard"
node scripts/build-public.mjs
