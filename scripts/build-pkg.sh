#!/usr/bin/env bash
# Builds the npm package into pkg/ from the crate and js/:
#   pkg/web   the one .wasm (wasm-bindgen --target web) and the browser entry (plain ES
#             module, `await init()` fetches the .wasm)
#   pkg/node  the Node entry (CommonJS + an ESM facade): reads ../web/stockroute_bg.wasm with
#             `fs` and instantiates it synchronously, so the tarball carries a single copy
#   pkg/bin   the `stockroute` CLI
# The wasm-bindgen glue becomes a factory (scripts/wrap-js.mjs) so the wrapper can replace
# the whole instance after a trap; js/*.js become CommonJS copies for the Node entry.
# Prints the .wasm size raw and gzipped. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WASM_BINDGEN_VERSION=0.2.129

say() { if [ -t 1 ]; then printf '\033[1m==> %s\033[0m\n' "$*"; else printf '==> %s\n' "$*"; fi; }

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  echo "error: wasm-bindgen $WASM_BINDGEN_VERSION not found on PATH; run scripts/setup.sh" >&2
  exit 1
fi

say "cargo build --release --target wasm32-unknown-unknown"
cargo build --lib --release --target wasm32-unknown-unknown
WASM="${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/stockroute.wasm"

OUT=$ROOT/pkg
mkdir -p "$ROOT/target"
STAGE=$(mktemp -d "$ROOT/target/pkg-stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

# STOCKROUTE_KEEP_NAMES=1 keeps function names in the module (for profiling: `node
# --cpu-prof` then shows Rust function names instead of `wasm-function[N]`).
NAMES=(--remove-name-section)
OPT_NAMES=()
if [ "${STOCKROUTE_KEEP_NAMES:-0}" = 1 ]; then NAMES=(); OPT_NAMES=(-g); fi
say "wasm-bindgen (web)"
wasm-bindgen --target web --no-typescript "${NAMES[@]}" --remove-producers-section --out-dir "$STAGE/web" --out-name stockroute "$WASM"

# wasm-opt -O3 from npm binaryen@132 (never Debian's binaryen: it writes broken modules).
# Measured here: routing ≈ 10-15 % faster, gzipped size unchanged (+1 %), ≈ 45 s per module,
# so results are cached by input hash and a rebuild without Rust changes stays quick.
# STOCKROUTE_WASM_OPT=0 skips it.
if [ "${STOCKROUTE_WASM_OPT:-1}" = 1 ]; then
  OPT=$ROOT/node_modules/.bin/wasm-opt
  if [ ! -x "$OPT" ]; then
    echo "error: $OPT missing: run scripts/setup.sh (binaryen@132 is an npm devDependency), or STOCKROUTE_WASM_OPT=0" >&2
    exit 1
  fi
  CACHE=$ROOT/target/wasm-opt-cache
  mkdir -p "$CACHE"
  say "wasm-opt -O3 (binaryen $("$OPT" --version | sed 's/.*version \([0-9]*\).*/\1/'))"
  key=$CACHE/$(sha256sum "$STAGE/web/stockroute_bg.wasm" | cut -c1-32)${OPT_NAMES[*]}.wasm
  keep=("$key")
  if [ ! -f "$key" ]; then
    "$OPT" -O3 "${OPT_NAMES[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$STAGE/web/stockroute_bg.wasm" -o "$key.tmp"
    mv "$key.tmp" "$key"
  fi
  cp "$key" "$STAGE/web/stockroute_bg.wasm"
  # Only the current modules stay cached.
  for f in "$CACHE"/*.wasm; do
    case " ${keep[*]} " in *" $f "*) ;; *) rm -f "$f" ;; esac
  done
fi

say "JavaScript wrappers, types, CLI, package.json"
mkdir -p "$STAGE/node"
node scripts/wrap-js.mjs factory "$STAGE/web/stockroute.js" "$STAGE/web/glue.js"
rm "$STAGE/web/stockroute.js"
node scripts/wrap-js.mjs cjs "$STAGE/web/glue.js" "$STAGE/node/glue.cjs"
for f in api input; do
  cp "js/$f.js" "$STAGE/web/$f.js"
  node scripts/wrap-js.mjs cjs "js/$f.js" "$STAGE/node/$f.cjs"
done
cp js/web/index.js js/web/package.json "$STAGE/web/"
cp js/node/index.cjs js/node/index.mjs "$STAGE/node/"
cp -R js/bin "$STAGE/bin"
chmod +x "$STAGE/bin/stockroute.js"
# TypeScript: the data types generated from the Rust model (js/types.d.ts, kept current by
# `cargo test`, see src/typescript.rs) and the hand-written API surface, once per module
# format so `exports` can give ESM (`import`) and CommonJS (`require`) consumers each their
# own; index.d.ts serves resolvers that ignore `exports`.
cp js/types.d.ts "$STAGE/types.d.ts"
for ext in d.ts d.mts d.cts; do cp js/index.d.ts "$STAGE/index.$ext"; done
[ -f js/README.md ] && cp js/README.md "$STAGE/README.md"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
node -e '
  const fs = require("fs");
  const [src, dst, version] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(src, "utf8"));
  pkg.version = version;
  fs.writeFileSync(dst, JSON.stringify(pkg, null, 2) + "\n");
' js/package.json "$STAGE/package.json" "$VERSION"

rm -rf "$OUT"
mv "$STAGE" "$OUT"
trap - EXIT

f=$OUT/web/stockroute_bg.wasm
raw=$(wc -c < "$f")
gz=$(gzip -9 -c "$f" | wc -c)
echo "pkg/web/stockroute_bg.wasm (the only .wasm): $(( (raw + 512) / 1024 )) KB raw, $(( (gz + 512) / 1024 )) KB gzip"
say "built pkg/ (stockroute $VERSION)"
