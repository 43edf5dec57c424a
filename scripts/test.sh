#!/usr/bin/env bash
# The whole suite: native Rust tests, the same tests on wasm32 in Node, lints,
# and the JavaScript tests of the built wasm package.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh all

say "clippy"
cargo clippy -q --all-targets -- -D warnings
cargo clippy -q -p revoscope --target wasm32-unknown-unknown --all-targets -- -D warnings
# The browser build: no RustCrypto, signatures by WebCrypto.
cargo clippy -q -p revoscope --target wasm32-unknown-unknown --no-default-features --lib -- -D warnings
say "native tests"
cargo test --workspace
say "wasm32 tests (Node)"
cargo test -p revoscope --target wasm32-unknown-unknown --tests
bash scripts/build-wasm.sh
say "JavaScript tests of the wasm package"
node --test crate/tests/*.test.mjs
