#!/usr/bin/env bash
# The CLI on the bundled test chains (`npm run demo:cli`): every chain of
# fixtures/pki evaluated against the bundled OneCRL snapshot (the one Firefox
# ESR ships), verdicts printed; then a CRLite filter set synced from the
# Remote Settings stand-in. Nothing leaves 127.0.0.1.
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
  show "$chain (bundled OneCRL snapshot, mozilla-plan)" --chain "fixtures/pki/chains/$chain.pem" --policy mozilla-plan
done
for chain in leaf-under-revoked-serial leaf-under-revoked-key; do
  show "$chain (test snapshot fixtures/pki/onecrl-test.json)" --chain "fixtures/pki/chains/$chain.pem" \
    --onecrl fixtures/pki/onecrl-test.json
done
show "leaf-90d under firefox-today, as if the root were built in" --chain fixtures/pki/chains/leaf-90d.pem \
  --policy firefox-today --built-in-root

# CRLite: a filter set over the test PKI (leaf-90d embeds SCTs from logs
# 0xA1... and 0xB2...), revoking leaf-90d in a delta, served by the Remote
# Settings stand-in on 127.0.0.1, synced, queried, and enforced by inspect.
printf '\n===== CRLite: build a filter set, serve it, sync it, query it\n'
work="$ROOT/out/demo/cli-crlite"
rm -rf "$work" && mkdir -p "$work"
leaf_ms=$((1793491200 * 1000)) # the test leaves' notBefore, as their SCTs
day_ms=86400000
cat > "$work/spec.json" <<JSON
{
  "logs": [
    {"log_id": "$(printf 'a1%.0s' {1..32})", "from_ms": $((leaf_ms - 30 * day_ms)), "to_ms": $((leaf_ms + 30 * day_ms))}
  ],
  "filters": [
    {"id": "cli-full", "kind": "full", "effective_ms": $((leaf_ms + day_ms)),
     "issuers": [{"issuer": "$ROOT/fixtures/pki/int-good.pem", "good": ["$ROOT/fixtures/pki/leaf-90d.pem"]}]},
    {"id": "cli-delta", "kind": "delta", "effective_ms": $((leaf_ms + 2 * day_ms)),
     "issuers": [{"issuer": "$ROOT/fixtures/pki/int-good.pem", "revoked": ["$ROOT/fixtures/pki/leaf-90d.pem"]}]}
  ]
}
JSON
cargo run -q --release -p revoscope --example make_crlite_filters -- "$work/spec.json" "$work/served"
node scripts/remote-settings/server.mjs --crlite-dir "$work/served" > "$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'stand-in:' "$work/server.log" && break; sleep 0.1; done
url="$(sed -n 's/^Remote Settings stand-in: \(http[^ ]*\) .*/\1/p' "$work/server.log")"
[ -n "$url" ] || die "the Remote Settings stand-in did not start: $(cat "$work/server.log")"
test_root=e836f62354cee7ff377661b8ab324d55e13f941f3aff0f61a9946c94407ae6c2 # fixtures/remote-settings/root.pem
"$bin" crlite sync --from "$url" --dir "$work/kept" --root-hash "$test_root"
printf '\n===== crlite query leaf-90d\n'
"$bin" crlite query --cert fixtures/pki/chains/leaf-90d.pem --dir "$work/kept" || true # exit 3: revoked
show "leaf-90d under firefox-today with the CRLite set (no OCSP request)" \
  --chain fixtures/pki/chains/leaf-90d.pem --policy firefox-today --crlite-dir "$work/kept"
