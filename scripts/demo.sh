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
exit "$status"
