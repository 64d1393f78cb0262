'use strict';
// `stockroute available`: offered quantity per channel and SKU.

const { prettyAvailability } = require('../pretty.js');

const usage = `usage: stockroute available --rules R.rhai --inventory inventory.json [--channel C]
                            [--pretty] [--no-trace]

Prints the quantity each channel may offer per SKU, after warehouse eligibility, safety
stock, reservations and the rules' offer/adjust hooks: JSON by default, a table with
--pretty. An unknown channel is a data error (exit 1).

options:
  --rules R.rhai       the rule set
  --inventory FILE     the inventory (JSON)
  --channel C          only this channel
  --pretty             a table instead of JSON
  --no-trace           without the trace

examples:
  stockroute available --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json --channel webshop --pretty
  stockroute available --rules rules/channel-aggregation.rhai --inventory examples/inventory.json`;

function run(argv, helpers) {
  const { opts, positional } = helpers.parseArgs(argv, {
    '--rules': 'value',
    '--inventory': 'value',
    '--channel': 'value',
    '--pretty': 'flag',
    '--no-trace': 'flag',
  });
  helpers.requireOpts(opts, ['rules', 'inventory'], 'available');
  if (positional.length) helpers.usage('`available` takes no positional arguments');
  const router = helpers.loadRouter(opts.rules, opts);
  if (!router) return 1;
  if (!helpers.loadInventory(router, opts.inventory)) return 1;
  let av;
  try {
    av = router.available(null, opts.channel);
  } catch (e) {
    helpers.reportError(opts.rules, e);
    return 1;
  } finally {
    router.free();
  }
  helpers.out(opts.pretty ? prettyAvailability(av) : JSON.stringify(av, null, 2));
  return 0;
}

module.exports = { name: 'available', summary: 'offered quantity per channel and SKU', usage, run };
