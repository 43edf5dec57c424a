#!/usr/bin/env bash
# Benchmarks (not tests): the engine in WASM against a JavaScript peer, in one
# run (target/bench/summary.json), then the extension's cost in Firefox: page
# loads with and without it, and response-to-verdict time
# (target/bench/extension.json), OCSP validation in Chromium and Firefox
# pages (target/bench/ocsp-browsers.json), the telemetry dashboard's draw
# of 90 days in both (target/bench/dashboard.json), and CRLite: loading a
# 5.6 MB full filter and 30 deltas and the per-certificate query in Node,
# Chromium and Firefox against a live OCSP request to the demo responder,
# and the .wasm's growth from it (target/bench/crlite.json), CRLs: reading,
# verifying and indexing a 1 MB and a 10 MB CRL in Node, Chromium and Firefox
# against @peculiar/x509 doing the same, and a lookup in the list held
# (target/bench/crl.json), the telemetry collector: reports ingested per
# second on SQLite and ClickHouse against each store's own bulk ingest, and
# 30-day aggregates over 1,000,000 reports against summing the raw reports
# (target/bench/collector.json),
# the verdict hand-off three ways (the tape, serde-wasm-bindgen, JSON) in
# Chromium and Firefox pages (target/bench/handoff.json), and the cold start:
# a background started anew to the engine ready with OneCRL and the CRLite
# set, in Chromium and Firefox, against a floor extension
# (target/bench/cold-start.json). Last, docs/performance.md is written from
# those files (scripts/perf-table.mjs).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh all
bash scripts/build-wasm.sh
# The size profile by crate needs twiggy (a code size profiler for wasm).
[ "$(twiggy --version 2>/dev/null | awk '{print $2}')" = 0.8.0 ] || cargo install -q twiggy --version 0.8.0 --force
node scripts/bench-wasm-size.mjs
node scripts/bench.mjs "$@"
npx --no-install tsc -p .
node scripts/build-extension.mjs
node scripts/bench-dashboard.mjs
node scripts/bench-extension.mjs
node scripts/bench-browser-ocsp.mjs
node scripts/bench-crlite.mjs
node scripts/bench-crl.mjs
bash scripts/bench-collector.sh
node scripts/bench-handoff.mjs
node scripts/bench-cold-start.mjs
node scripts/perf-table.mjs
