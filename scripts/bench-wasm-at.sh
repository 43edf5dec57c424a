#!/usr/bin/env bash
# The browser build's .wasm at past commits, for the benchmark's size
# comparisons: each commit's tree (git archive, so this checkout and its
# index are untouched) is built with that commit's own scripts/build-wasm.sh,
# and the stripped .wasm kept as target/bench/wasm-at/<commit>.wasm. A commit
# already built is skipped, so only the first run pays (a few minutes).
#   bash scripts/bench-wasm-at.sh REV...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
out="$ROOT/target/bench/wasm-at"
mkdir -p "$out"
for rev in "$@"; do
  commit="$(git rev-parse --verify "$rev^{commit}")"
  [ -s "$out/$commit.wasm" ] && continue
  say "building the wasm package at $rev ($commit) for the size comparison"
  src="$out/src"
  rm -rf "$src"
  mkdir -p "$src"
  git archive "$commit" | tar -x -m -C "$src"
  # One target directory serves every commit built here, and cargo keys the
  # crate's artifacts by its path in the workspace, the same for all: drop
  # them, or an older commit's build may pass for this one's.
  CARGO_TARGET_DIR="$out/target" cargo clean -q -p revoscope --release --target wasm32-unknown-unknown \
    --manifest-path "$src/Cargo.toml"
  # Since the binding has a crate of its own (crate/wasm), drop its artifacts too.
  if [ -f "$src/crate/wasm/Cargo.toml" ]; then
    CARGO_TARGET_DIR="$out/target" cargo clean -q -p revoscope-wasm --release --target wasm32-unknown-unknown \
      --manifest-path "$src/Cargo.toml"
  fi
  CARGO_TARGET_DIR="$out/target" bash "$src/scripts/build-wasm.sh"
  cp "$src/crate/pkg/revoscope_bg.wasm" "$out/$commit.wasm.part"
  mv "$out/$commit.wasm.part" "$out/$commit.wasm"
  rm -rf "$src"
done
