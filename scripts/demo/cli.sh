#!/usr/bin/env bash
# The CLI on the bundled test chains (`npm run demo:cli`): every chain of
# fixtures/pki evaluated against the bundled OneCRL snapshot (the one Firefox
# ESR ships), verdicts printed. No network is used.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"
bash scripts/setup.sh cli
cargo build -q --release --bin revoscope
bin="$ROOT/target/release/revoscope"

"$bin" onecrl stats
show() { # show TITLE ARGS...
  local title="$1"; shift
  printf '\n===== %s\n' "$title"
  "$bin" inspect --no-fetch "$@" || true   # exit 3 means "block": a verdict, not a failure
}
for chain in leaf-90d leaf-6d leaf-10d leaf-must-staple leaf-no-aia leaf-under-real-onecrl-entry; do
  show "$chain (bundled OneCRL snapshot, mozilla-plan)" --chain "fixtures/pki/chains/$chain.pem"
done
for chain in leaf-under-revoked-serial leaf-under-revoked-key; do
  show "$chain (test snapshot fixtures/pki/onecrl-test.json)" --chain "fixtures/pki/chains/$chain.pem" \
    --onecrl fixtures/pki/onecrl-test.json
done
show "leaf-90d under firefox-today, as if the root were built in" --chain fixtures/pki/chains/leaf-90d.pem \
  --policy firefox-today --built-in-root
