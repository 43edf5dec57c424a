#!/usr/bin/env bash
# Builds the engine's wasm package (ES module for browsers and Node) into
# crate/pkg, from the binding crate crate/wasm.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
say "building the wasm package"
# wasm-pack finds the matching wasm-bindgen on PATH; wasm-opt is off in
# crate/wasm/Cargo.toml (it would download binaryen). --out-dir is relative
# to the crate.
build() { wasm-pack build crate/wasm --release --target web --out-dir ../pkg --out-name revoscope --no-pack; }
build >/dev/null 2>&1 || build

# A copy with the function names, for the size profile by crate
# (scripts/bench-wasm-size.mjs); the package itself ships without them.
mkdir -p target/wasm-names
cp crate/pkg/revoscope_bg.wasm target/wasm-names/revoscope_bg.wasm
node scripts/strip-wasm-names.mjs crate/pkg/revoscope_bg.wasm
