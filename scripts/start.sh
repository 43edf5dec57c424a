#!/usr/bin/env bash
# The main job: builds everything, starts the demo sites on 127.0.0.1 and
# opens Firefox with the extension on them (scripts/demo/run.mjs). With no
# display, or `npm start -- --headless`, visits every site headless and
# writes each panel's screenshot and verdict JSON to out/demo/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/build.sh
say "starting the demo"
node scripts/demo/run.mjs "$@"
