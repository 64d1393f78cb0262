#!/usr/bin/env bash
# Tests of the rule editor: type-checks www/src against the package's types, builds www/dist
# against the real pkg/, serves it from a plain static server on a free localhost port and
# drives Debian's Chromium with playwright-core. Screenshots go to www/test-results/. Exits
# non-zero on any failure. (The keystroke benchmark, tests/keystroke-bench.mjs, is separate:
# it prints figures and never fails.)
set -euo pipefail
cd "$(dirname "$0")"
REPO=$(cd .. && pwd)

if [ ! -f "$REPO/pkg/web/index.js" ]; then
  echo "==> pkg/ missing: building the WebAssembly package"
  bash "$REPO/scripts/build-pkg.sh"
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "==> installing Debian chromium"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (www)"
  npm ci --no-audit --no-fund
fi
echo "==> type-checking the editor (tsc, against pkg/index.d.ts)"
npx tsc --noEmit -p tsconfig.json
echo "==> building the editor"
npx vite build --logLevel warn
echo "==> editor end-to-end tests (Chromium)"
node tests/e2e.mjs
