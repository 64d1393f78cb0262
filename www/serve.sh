#!/usr/bin/env bash
# Builds the rule editor and serves it on http://localhost:5173/ (PORT=... to change).
# Builds the WebAssembly package first when pkg/ is missing.
set -euo pipefail
cd "$(dirname "$0")"
WWW=$PWD
REPO=$(cd .. && pwd)

if [ ! -f "$REPO/pkg/web/index.js" ]; then
  echo "==> pkg/ missing: building the WebAssembly package"
  bash "$REPO/scripts/build-pkg.sh"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (www)"
  npm ci --no-audit --no-fund
fi
echo "==> building the editor"
npx vite build --logLevel warn
PORT=${PORT:-5173}
echo "==> serving www/dist"
echo "Open the rule editor at:"
exec node "$WWW/static-server.mjs" "$PORT" "$WWW/dist"
