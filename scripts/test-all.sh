#!/usr/bin/env bash
# Every test, in order, stopping at the first failing step (what `make test` and CI run):
# setup, rustfmt, clippy, cargo test, package build, wasm-bindgen tests under Node and in
# headless Chromium, tsc against the package, Node's test runner, then the editor's and the
# fuzzers' own scripts when present.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

passed=0
started=$SECONDS
if [ -t 1 ]; then B=$'\033[1m' R=$'\033[1;31m' N=$'\033[0m'; else B='' R='' N=''; fi

step() {
  local name=$1
  shift
  local t0=$SECONDS
  printf '\n%s==> [%s] %s%s\n' "$B" "$name" "$*" "$N"
  if "$@"; then
    passed=$((passed + 1))
    printf '%s--> [%s] ok (%ss)%s\n' "$B" "$name" $((SECONDS - t0)) "$N"
  else
    local rc=$?
    printf '\n%sFAILED at step [%s] (exit %s): %s%s\n' "$R" "$name" "$rc" "$*" "$N" >&2
    echo "$passed passed, 1 failed (stopped at [$name] after $((SECONDS - started))s)" >&2
    exit 1
  fi
}

step setup        scripts/setup.sh
step fmt          cargo fmt --all --check
step clippy       cargo clippy --all-targets -- -D warnings
# The binding (src/wasm.rs) and the wasm test suites only compile for wasm32: lint them there.
step clippy-wasm  cargo clippy --target wasm32-unknown-unknown --profile test --lib --test wasm_node --test wasm_browser -- -D warnings
step cargo-test   cargo test
step build-pkg    scripts/build-pkg.sh
# Binding unit tests live next to the binding (src/wasm.rs, a private module): run them
# under Node and, forced by WASM_BINDGEN_USE_BROWSER, in Chromium as well.
step wasm-node    cargo test --target wasm32-unknown-unknown --lib --test wasm_node
step wasm-chromium env WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --lib --test wasm_browser
# The package declarations under Bundler, Node16 and NodeNext, with `import` and `require`.
step tsc          bash tests/ts/run.sh
step node-test    node --test --test-reporter=spec tests/node/
if [ -x www/test.sh ] || [ -f www/test.sh ]; then
  step editor     bash www/test.sh
fi
if [ -f fuzz/ci.sh ]; then
  step fuzz       bash fuzz/ci.sh
fi

echo
echo "$passed passed, 0 failed ($((SECONDS - started))s)"
