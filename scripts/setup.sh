#!/usr/bin/env bash
# Installs what stockroute's build and tests need, skipping whatever is already there, so a
# second run takes a second or two. Safe to run as root without a terminal (CI=true).
#
#   scripts/setup.sh          everything: wasm32 target, wasm-bindgen-cli, Chromium +
#                             chromedriver (browser tests), npm dev packages
#   scripts/setup.sh --demo   only what `make demo` needs (no browser, no rustfmt/clippy)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.129   # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
MODE=${1:-all}

say() { if [ -t 1 ]; then printf '\033[1m==> setup: %s\033[0m\n' "$*"; else printf '==> setup: %s\n' "$*"; fi; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
command -v rustup >/dev/null || die "rustup not found: the wasm32 target is installed through rustup"

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install $*"
    sudo="sudo"
  fi
  say "apt-get install $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Node runs the package, the CLI and the tests.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate exactly; --locked because newer dependency
# versions do not all resolve from this registry.
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

# npm dev packages: binaryen@132 (wasm-opt, also for the demo build), typescript (tsc
# consumer check), playwright-core (browser entry test). `npm ci` runs again only when
# package-lock.json changed since the last install.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.stockroute-lock"
  if [ -f "$dir/package-lock.json" ] && ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "npm ci in ${dir}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci .

if [ "$MODE" = --demo ]; then
  exit 0
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

# Browser tests: Debian's Chromium and its driver (tools that download their own browser do
# not work here). Never install Debian's binaryen: its wasm-opt writes broken modules.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi

