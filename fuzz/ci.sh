#!/usr/bin/env bash
# Bounded fuzzing for CI: each cargo-fuzz target runs FUZZ_SECONDS (default 30) from the
# committed seeds in fuzz/seeds/<target>. A crash fails the run and leaves its input in
# fuzz/artifacts/<target>/; turn it into a regression test in tests/hostile.rs or
# tests/bad_data.rs.
#
#   fuzz/ci.sh                 all targets, 30 s each
#   FUZZ_SECONDS=300 fuzz/ci.sh route_json
#
# Uses a nightly toolchain when there is one, else the stable toolchain with
# RUSTC_BOOTSTRAP=1 (see below).
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-30}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(route_json rules availability compiled)
fi

# cargo-fuzz needs unstable compiler flags (sanitizer coverage). A nightly toolchain has
# them; the stable toolchain has them too behind RUSTC_BOOTSTRAP=1, and its rust-std ships the
# sanitizer runtimes, so CI fuzzes on the machine's one toolchain.
toolchain=()
if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly' \
    && cargo +nightly --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (once)"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

echo "fuzz: building targets (${toolchain[*]:-stable with RUSTC_BOOTSTRAP=1}, sanitizers)"
cargo "${toolchain[@]}" fuzz build -O

status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  echo "fuzz: $t for ${seconds}s"
  # -rss_limit_mb: a rule may legitimately build large values up to the sandbox limits.
  if ! cargo "${toolchain[@]}" fuzz run -O "$t" "corpus/$t" -- \
      -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
      >"/tmp/fuzz-$t.log" 2>&1; then
    echo "fuzz: $t FAILED; last lines of /tmp/fuzz-$t.log:"
    tail -n 40 "/tmp/fuzz-$t.log"
    ls -1 "artifacts/$t" 2>/dev/null | sed 's/^/  crash input: fuzz\/artifacts\/'"$t"'\//'
    status=1
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "/tmp/fuzz-$t.log" | tail -n 1 || true
    echo "fuzz: $t ok"
  fi
done
exit $status
