#!/usr/bin/env bash
# Installs what revoscope needs, idempotently: each step checks first and
# skips what is already there. Usage: setup.sh [cli|all]
#   cli  the Rust toolchain check and the native build's needs (npm start today)
#   all  also the wasm32 target, wasm-bindgen-cli, wasm-pack, npm packages,
#        and the browsers for the extension's tests and demo
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
what="${1:-all}"

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
}
need_apt() { # need_apt COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "$1 is missing; install the Debian package $2"
  apt_update_once
  say "installing $2 (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_deb() { # need_deb PACKAGE: a package with no command of its own
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "the Debian package $1 is missing"
  apt_update_once
  say "installing $1 (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

command -v cargo >/dev/null || die "cargo is missing; revoscope needs the Rust toolchain (rustup)"
command -v node >/dev/null || need_apt node nodejs
need_apt openssl openssl
need_apt gzip gzip
[ "$what" = cli ] && exit 0

# The real-world corpus the engine's tests read (crate/engine/tests/corpus.rs):
# certificates, OCSP responses and CRLs from PyPI's cryptography_vectors,
# pinned. Only pip's download (no install); the wheel is a zip, and only its
# x509/ tree is kept. Once unpacked, nothing is fetched again.
# python3 also runs scripts/module-cycles.py in the tests.
need_apt python3 python3
corpus="$(corpus_dir)"
if [ ! -f "$corpus/.complete" ]; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "python3 has no pip; install the Debian package python3-pip"
    # Only pip itself: its recommends (a compiler, python3-dev) are not
    # needed to download a wheel.
    apt_update_once
    say "installing python3-pip (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  need_apt unzip unzip
  say "fetching cryptography_vectors $CORPUS_VERSION (PyPI) into ${corpus%/x509}"
  tmp="$(mktemp -d)"
  python3 -m pip download -q --no-deps --only-binary=:all: \
    "cryptography_vectors==$CORPUS_VERSION" -d "$tmp" \
    || { rm -rf "$tmp"; die "could not download cryptography_vectors $CORPUS_VERSION from PyPI"; }
  rm -rf "$corpus"
  mkdir -p "$corpus"
  unzip -q "$tmp"/cryptography_vectors-"$CORPUS_VERSION"-*.whl 'cryptography_vectors/x509/*' -d "$tmp/x"
  cp -R "$tmp/x/cryptography_vectors/x509/." "$corpus/"
  rm -rf "$tmp"
  touch "$corpus/.complete"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  # Without --locked: with it, resolution fails on a dependency version the
  # registry does not carry (shared toolchain notes). Takes about 5 minutes.
  say "installing wasm-bindgen-cli $want (was: ${have:-none})"
  cargo install -q wasm-bindgen-cli --version "$want" --force
fi
if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack"
  cargo install -q wasm-pack
fi

# The extension's browsers (Debian's own) and certutil, which makes their
# profiles trust the demo CA.
need_apt firefox-esr firefox-esr
# Firefox in German, for the test that the extension and its reading of
# Firefox's refusals work in another language (extension/tests/locale-de.test.mjs).
need_deb firefox-esr-l10n-de
need_apt chromium chromium
need_apt certutil libnss3-tools
# The collector's ClickHouse store: its tests and benchmark run a private
# server (scripts/clickhouse.sh). Debian puts it in /usr/sbin.
[ -x /usr/sbin/clickhouse-server ] || need_apt clickhouse-server clickhouse-server

if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say "installing npm packages"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
