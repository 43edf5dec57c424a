#!/usr/bin/env bash
# The collector's benchmark: reports ingested per second through the
# collector pinned to one core, on SQLite and on ClickHouse, against each
# store's own bulk ingest; and 30-day aggregates over 1,000,000 stored
# reports against summing the raw reports (collector/examples/bench.rs).
# Writes target/bench/collector.json and prints a table. About 3-5 minutes
# on 2 cores. Extra arguments go to the bench (--reports N --connections N
# --seeded N).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ "$(nproc)" -ge 2 ] || die "the collector's benchmark pins the collector and the load to two different cores; this machine has $(nproc)"
command -v taskset >/dev/null || die "taskset is missing (Debian package util-linux)"
cargo build --release -q -p revoscope-collector --bins --examples
target/release/examples/bench "$@"
