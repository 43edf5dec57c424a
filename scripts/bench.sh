#!/usr/bin/env bash
# Benchmarks (not tests): the engine in WASM against a JavaScript peer, in one
# run. Writes target/bench/summary.json and prints a table.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh all
bash scripts/build-wasm.sh
node scripts/bench.mjs "$@"
