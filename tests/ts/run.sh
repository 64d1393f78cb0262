#!/usr/bin/env bash
# Type-checks the built package (pkg/) as an npm consumer would see it: tests/ts resolves
# `stockroute` through a node_modules link to pkg/, so the package's `exports` (ESM and
# CommonJS declarations) are what is tested, under Bundler, Node16 and NodeNext resolution,
# each with an `import` consumer (consumer.mts) and a `require` consumer (consumer.cts).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
TSC=$ROOT/node_modules/.bin/tsc
[ -f "$ROOT/pkg/package.json" ] || { echo "error: pkg/ not built (scripts/build-pkg.sh)" >&2; exit 1; }
mkdir -p node_modules
ln -sfn ../../../pkg node_modules/stockroute
for config in tsconfig.json tsconfig.node16.json tsconfig.nodenext.json tsconfig.node-no-dom.json; do
  echo "tsc -p tests/ts/$config"
  "$TSC" -p "$config"
done
