#!/usr/bin/env bash
# One command for the whole peer benchmark (issue 5); `make bench` calls it.
#   1. generates the workloads (bench/data/, deterministic)
#   2. builds the WebAssembly package (scripts/build-pkg.sh) unless pkg/ exists
#      (STOCKROUTE_BENCH_REBUILD=1 forces a rebuild; STOCKROUTE_WASM_OPT=1 adds wasm-opt -O3)
#   3. native rows (cargo bench, release profile), Node rows (bench/bench.mjs)
#   4. writes bench/RESULTS.md with the machine description
# Raw JSON lands in bench/results/ (git-ignored). Timings are printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RES=$ROOT/bench/results
mkdir -p "$RES"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "workloads"
node bench/gen-workloads.mjs

say "json-rules-engine (npm ci in bench/)"
if [ ! -d bench/node_modules/json-rules-engine ]; then
  (cd bench && npm ci --no-audit --no-fund)
fi

if [ ! -f pkg/node/index.mjs ] || [ "${STOCKROUTE_BENCH_REBUILD:-0}" = 1 ]; then
  say "WebAssembly package"
  scripts/build-pkg.sh
fi

say "native: per-order timings"
STOCKROUTE_BENCH_JSON="$RES/native.json" cargo bench --bench routing >/dev/null
say "native: batch peak memory"
STOCKROUTE_BENCH_MEMORY=1 cargo bench --bench routing 2>/dev/null | tail -n 1 > "$RES/native-memory.json"
if [ "${STOCKROUTE_BENCH_DIVAN:-0}" = 1 ]; then
  say "native: divan"
  cargo bench --bench routing | tee "$RES/divan.txt"
fi

say "node: WASM, plain JS, json-rules-engine, Rhai route()"
node bench/bench.mjs --out "$RES/node.json" >/dev/null
say "node: batch peak memory"
node bench/bench.mjs --memory > "$RES/node-memory.json"

WASM=pkg/web/stockroute_bg.wasm
{
  echo "{"
  echo "  \"wasm_raw\": $(wc -c < "$WASM"),"
  echo "  \"wasm_gzip\": $(gzip -9 -c "$WASM" | wc -c),"
  echo "  \"wasm_brotli\": $(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$WASM"),"
  echo "  \"wasm_opt\": \"${STOCKROUTE_WASM_OPT:-1}\","
  echo "  \"cpu\": \"$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)\","
  echo "  \"cores\": $(nproc),"
  echo "  \"memory_gib\": $(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo),"
  echo "  \"os\": \"$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-$(uname -s)}") / $(uname -r)\","
  echo "  \"rustc\": \"$(rustc --version)\","
  echo "  \"node\": \"$(node --version)\","
  echo "  \"commit\": \"${STOCKROUTE_BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}\","
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\","
  echo "  \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "}"
} > "$RES/machine.json"

say "bench/RESULTS.md"
node bench/report.mjs "$RES" > bench/RESULTS.md
cat bench/RESULTS.md
