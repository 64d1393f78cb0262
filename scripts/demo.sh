#!/usr/bin/env bash
# The first thing to run: installs what is missing, builds the package, routes the sample
# orders with the sample rule set and prints the plans and the channel availability.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

RULES=rules/own-first-then-consignment.rhai
INVENTORY=examples/inventory.json
ORDERS=examples/orders.jsonl

scripts/setup.sh --demo
if [ "${STOCKROUTE_SKIP_BUILD:-0}" != 1 ]; then
  scripts/build-pkg.sh
fi

printf '\n\033[1m$ stockroute route --rules %s --inventory %s %s --pretty\033[0m\n\n' "$RULES" "$INVENTORY" "$ORDERS"
status=0
node pkg/bin/stockroute.js route --rules "$RULES" --inventory "$INVENTORY" "$ORDERS" --pretty || status=$?

printf '\n\033[1m$ stockroute available --rules %s --inventory %s --pretty\033[0m\n\n' "$RULES" "$INVENTORY"
node pkg/bin/stockroute.js available --rules "$RULES" --inventory "$INVENTORY" --pretty || status=$?

# Consignment shipments are forwarded to the retailer holding the stock: one email (or API
# request) per shipment, with a packing slip or pro forma, never an invoice.
OUT=target/demo/forward
rm -rf "$OUT"
printf '\n\033[1m$ stockroute forward --rules %s --inventory %s %s --out %s\033[0m\n\n' "$RULES" "$INVENTORY" "$ORDERS" "$OUT"
node pkg/bin/stockroute.js forward --rules "$RULES" --inventory "$INVENTORY" "$ORDERS" --out "$OUT" || status=$?
EMAIL=$(ls "$OUT"/*.eml 2>/dev/null | head -n 1)
if [ -n "$EMAIL" ]; then
  printf '\n\033[1m$ head -n 12 %s\033[0m\n\n' "$EMAIL"
  head -n 12 "$EMAIL"
fi

# What each retailer sold, holds and must return, from a month of consignment events.
printf '\n\033[1m$ stockroute settle --inventory %s --events examples/events.jsonl --period 2026-11\033[0m\n\n' "$INVENTORY"
node pkg/bin/stockroute.js settle --inventory "$INVENTORY" --events examples/events.jsonl --period 2026-11 || status=$?
exit "$status"
