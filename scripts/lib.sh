# Shared by the scripts: paths and small helpers. Source it, don't run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
# Bold only on a terminal, so logs stay plain text.
if [ -t 2 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
say() { printf '%s==> %s%s\n' "$BOLD" "$*" "$PLAIN" >&2; }
die() { printf 'revoscope: %s\n' "$*" >&2; exit 1; }
# The wasm-bindgen version pinned in crate/wasm/Cargo.toml; the CLI must match it.
wasm_bindgen_version() { sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$ROOT/crate/wasm/Cargo.toml"; }
# The real-world corpus (crate/engine/tests/corpus.rs): PyPI's
# cryptography_vectors at this version, its x509/ tree unpacked by setup.sh
# into target/ (about 9 MB, not committed).
CORPUS_VERSION=50.0.2
corpus_dir() { echo "$ROOT/target/corpus/cryptography_vectors-$CORPUS_VERSION/x509"; }
