#!/usr/bin/env bash
# Builds the engine's wasm package (ES module for browsers and Node) into crate/pkg.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
say "building the wasm package"
# wasm-pack finds the matching wasm-bindgen on PATH; wasm-opt is off in
# crate/Cargo.toml (it would download binaryen).
wasm-pack build crate --release --target web --out-dir pkg --out-name revoscope --no-pack -- --no-default-features >/dev/null 2>&1 \
  || wasm-pack build crate --release --target web --out-dir pkg --out-name revoscope --no-pack -- --no-default-features

node scripts/strip-wasm-names.mjs crate/pkg/revoscope_bg.wasm
