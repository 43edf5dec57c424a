#!/usr/bin/env bash
# Refreshes fixtures/onecrl/onecrl.json, the bundled OneCRL snapshot.
#   refresh-onecrl.sh            from the installed Firefox ESR's omni.ja (offline)
#   refresh-onecrl.sh --online   from Mozilla's Remote Settings (needs the network)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out="$ROOT/fixtures/onecrl/onecrl.json"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
if [ "${1:-}" = --online ]; then
  url="https://firefox.settings.services.mozilla.com/v1/buckets/security-state/collections/onecrl/changeset?_expected=0"
  say "downloading $url"
  curl -fsSL "$url" -o "$tmp"
else
  omni=/usr/lib/firefox-esr/browser/omni.ja
  [ -f "$omni" ] || die "$omni not found; install firefox-esr or use --online"
  unzip -p "$omni" defaults/settings/security-state/onecrl.json > "$tmp"
fi
# Check it loads before replacing the bundled one.
cargo run -q --release --bin revoscope -- onecrl stats --onecrl "$tmp"
mv "$tmp" "$out"; trap - EXIT
say "wrote $out"
