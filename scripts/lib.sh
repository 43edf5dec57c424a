# Shared by the scripts: paths and small helpers. Source it, don't run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'revoscope: %s\n' "$*" >&2; exit 1; }
# The wasm-bindgen version pinned in crate/Cargo.toml; the CLI must match it.
wasm_bindgen_version() { sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$ROOT/crate/Cargo.toml"; }
