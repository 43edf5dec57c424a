#!/usr/bin/env bash
# The whole suite: native Rust tests, the same tests on wasm32 in Node, lints,
# the JavaScript tests of the built wasm package and of the demo sites, and
# the built extension in headless Firefox ESR and Chromium.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
# No incremental caches: a run from a clean clone never reuses them, and they
# doubled the target's size on the disk (set CARGO_INCREMENTAL=1 to keep them).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
bash scripts/setup.sh all

say "clippy"
cargo clippy -q --all-targets -- -D warnings
# The examples are native tools (the demo PKI, CRLite filters built with the
# clubcard builder, which needs getrandom): not built for wasm32.
cargo clippy -q -p revoscope -p revoscope-wasm --target wasm32-unknown-unknown --lib --tests -- -D warnings
# The browser build: the binding over the engine without RustCrypto
# (signatures by WebCrypto).
cargo clippy -q -p revoscope-wasm --target wasm32-unknown-unknown --lib -- -D warnings
# The benchmark build of the hand-off (scripts/bench-handoff.mjs), so that it
# keeps compiling while nothing else builds it.
cargo clippy -q -p revoscope-wasm --target wasm32-unknown-unknown --lib --features handoff-bench -- -D warnings
say "no import cycles between modules (one known, in the engine)"
python3 scripts/module-cycles.py crate/engine/src --allow crlite:remote_settings
for src in crate/cli/src crate/wasm/src collector/src; do python3 scripts/module-cycles.py "$src" >/dev/null; done
say "native tests: the engine, and the collector against its binary on 127.0.0.1"
# The real-world corpus setup.sh fetched (crate/engine/tests/corpus.rs).
REVOSCOPE_CORPUS="$(corpus_dir)" cargo test --workspace
say "the engine's TypeScript declarations (extension/src/engine-types) are the types'"
cargo test -q -p revoscope-wasm --features typescript --test typescript
say "wasm32 tests (Node)"
cargo test -p revoscope -p revoscope-wasm --target wasm32-unknown-unknown --tests
bash scripts/build-wasm.sh
say "type-checking and building the extension"
npx --no-install tsc -p .
node scripts/build-extension.mjs
node scripts/build-public.mjs
say "JavaScript tests: the wasm package, the demo sites, the extension in Firefox and Chromium, the public dashboard"
# One file at a time: the browser tests want both cores to themselves.
node --test --test-concurrency=1 crate/wasm/tests/*.test.mjs scripts/demo/*.test.mjs scripts/remote-settings/*.test.mjs extension/tests/*.test.mjs ui/*.test.mjs
