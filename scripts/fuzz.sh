#!/usr/bin/env bash
# Coverage-guided fuzzing of the engine's parsers and verifiers (crate/fuzz),
# one target after another, each for --minutes (default 5). Prints, per
# target, the executions, the coverage reached and the findings; writes the
# table to out/fuzz/summary.md. Not part of `npm test`.
#
#   npm run fuzz -- [--minutes N] [--only target,target]
#   npm run fuzz -- --export N [--only target,target]
#
# The corpus grows in crate/fuzz/corpus/<target> (kept between runs, not
# committed), seeded each run by make_fuzz_seeds from the fixtures and the
# real-world corpus (cryptography_vectors, see setup.sh). A
# finding (a crash, a hang over 10 s, an allocation over 1 GiB) lands in
# crate/fuzz/artifacts/<target>/; make it a regression test by copying the
# minimised input to fixtures/fuzz/<target>/ (crate/engine/tests/fuzz_regressions.rs).
# `--export N` fuzzes nothing: it minimises each target's corpus (cargo fuzz
# cmin) and replaces the corpus slice in fixtures/fuzz/<target>/ with N of
# its inputs of at most 64 KiB (chosen by name, which is the input's SHA-1,
# so at random), which the regression test then replays in `npm test`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

TARGETS=(cert_der onecrl ocsp_response ladder content_signature report crlite_filter crl crlset crx3)
minutes=5
only=""
export=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --export) export="$2"; shift 2 ;;
    *) die "fuzz: unknown option $1 (use --minutes N, --only a,b, --export N)" ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "fuzz: --minutes takes a whole number above 0"
if [ -n "$only" ]; then
  IFS=, read -r -a TARGETS <<< "$only"
fi

# cargo-fuzz needs a nightly compiler for its sanitizer flags.
rustup toolchain list | grep -q '^nightly' \
  || die "fuzz: no nightly toolchain (rustup toolchain install nightly); cargo fuzz needs it"
if ! command -v cargo-fuzz >/dev/null; then
  say "installing cargo-fuzz"
  cargo install -q cargo-fuzz --version 0.13.2 --locked
fi

# Every cargo fuzz call passes --fuzz-dir .: without it cargo-fuzz takes
# the nearest ordinary Cargo.toml above crate/fuzz (the root workspace) as
# the project and looks for its fuzz/ directory, which does not exist.
out="$ROOT/out/fuzz"
mkdir -p "$out"

if [ -n "$export" ]; then
  [[ "$export" =~ ^[0-9]+$ ]] || die "fuzz: --export takes a number of inputs"
  for t in "${TARGETS[@]}"; do
    [ -d "crate/fuzz/corpus/$t" ] || die "fuzz: no corpus for $t yet (run the fuzzer first)"
    say "minimising the $t corpus"
    (cd crate/fuzz && cargo +nightly fuzz cmin --fuzz-dir . "$t" "corpus/$t") >"$out/cmin-$t.log" 2>&1 \
      || die "fuzz: cmin $t failed (see $out/cmin-$t.log)"
    dest="fixtures/fuzz/$t"
    mkdir -p "$dest"
    rm -f "$dest"/corpus-*
    # (A process substitution: head closing the pipe early is no failure.)
    mapfile -t picks < <(find "crate/fuzz/corpus/$t" -type f -size -65537c -printf '%f\n' | sort | head -n "$export")
    for f in "${picks[@]}"; do cp "crate/fuzz/corpus/$t/$f" "$dest/corpus-$f"; done
    echo "$t: $(find "$dest" -name 'corpus-*' | wc -l) corpus inputs in $dest, of $(find "crate/fuzz/corpus/$t" -type f | wc -l) after cmin"
  done
  exit 0
fi
# Per run, so that two runs on different targets can share the machine.
seeds="$(mktemp -d "$out/seeds.XXXXXX")"
trap 'rm -rf "$seeds"' EXIT
# Plus the real-world corpus's certificates, OCSP responses and CRLs when
# setup.sh has fetched it (its CRLs seed the crl target).
corpus="$(corpus_dir)"
if [ -f "$corpus/.complete" ]; then
  say "writing the seed corpora from fixtures/ and the real-world corpus"
  cargo run -q -p revoscope --example make_fuzz_seeds -- "$seeds" "$corpus" >/dev/null
else
  say "writing the seed corpora from fixtures/ (no real-world corpus: scripts/setup.sh fetches it)"
  cargo run -q -p revoscope --example make_fuzz_seeds -- "$seeds" >/dev/null
fi

# Optimised, with AddressSanitizer, debug assertions and overflow checks
# (cargo fuzz's defaults).
say "building the fuzz targets (nightly)"
for t in "${TARGETS[@]}"; do
  (cd crate/fuzz && cargo +nightly fuzz build --fuzz-dir . "$t") >"$out/build.log" 2>&1 \
    || die "fuzz: $t does not build (see $out/build.log)"
done

findings_total=0
for t in "${TARGETS[@]}"; do
  corpus="crate/fuzz/corpus/$t"
  artifacts="crate/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | wc -l)
  log="$out/$t.log"
  say "fuzzing $t for $minutes min"
  set +e
  (cd crate/fuzz && cargo +nightly fuzz run --fuzz-dir . "$t" "corpus/$t" "$seeds/$t" -- \
    -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -print_final_stats=1) > "$log" 2>&1
  status=$?
  set -e
  # A run that crashes at once prints no status line: grep finding
  # nothing must not end the script (pipefail) before it reports.
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  execs=${execs:-0}
  last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<< "$last")
  after=$(find "$artifacts" -type f | wc -l)
  new=$((after - before))
  findings="none"
  if [ "$new" -gt 0 ] || { [ "$status" -ne 0 ] && grep -qE 'ERROR: libFuzzer|panicked|SUMMARY: AddressSanitizer' "$log"; }; then
    findings="$new new in $artifacts (see $log)"
    findings_total=$((findings_total + 1))
  elif [ "$status" -ne 0 ]; then
    findings="the run failed (exit $status, see $log)"
    findings_total=$((findings_total + 1))
  fi
  rate=$((execs / (minutes * 60)))
  echo "| $t | $(date -u +%F) | $minutes | $execs | $rate | ${cov:-?} | ${ft:-?} | ${corp:-?} | $findings |" > "$out/$t.row"
  printf '%-18s %12s execs %8s/s  cov %6s  ft %6s  corpus %6s  findings: %s\n' \
    "$t" "$execs" "$rate" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings"
done
# The latest run of every target, whichever run it was in.
summary="$out/summary.md"
{
  echo "| target | date | minutes | executions | exec/s | coverage (edges) | features | corpus | findings |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  for t in cert_der onecrl ocsp_response ladder content_signature report crlite_filter crl; do
    [ -f "$out/$t.row" ] && cat "$out/$t.row"
  done
} > "$summary"
echo
cat "$summary"
[ "$findings_total" -eq 0 ] || die "fuzz: $findings_total target(s) with findings"
