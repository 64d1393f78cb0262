'use strict';
// `stockroute validate`: checks a plan made by hand (docs/replenishment.md#manual-routing-checked).

const { prettyPlan } = require('../pretty.js');

const usage = `usage: stockroute validate --rules R.rhai --inventory inventory.json --order order.json --plan plan.json
                           [--as-of YYYY-MM-DD] [--json]

Checks a plan a person (or another system) made for an order against the inventory and the
rules, with the same invariants as every plan: available stock, eligible and enabled
locations (consignment on the order's channel, periods not ended as of --as-of, default
today, capacity), every line shipped, backordered or held in full, whole units whole, no
invoice on consignment goods. Prints the completed plan (kinds, owners, forwarding,
documents), or every violation with its line and warehouse (exit 1). --json prints
{ valid, plan, violations } instead. '-' reads the plan from standard input.

options:
  --rules R.rhai       the rule set (its eligible hook applies)
  --inventory FILE     the inventory (JSON)
  --order FILE         the order (JSON)
  --plan FILE | -      the plan: { shipments: [{ warehouse, lines: [{ line, qty }], documents? }],
                       backorders?: [{ line, qty }], hold? }; a plan route printed works too
  --as-of YYYY-MM-DD   the day it ships (consignment period ends); default today
  --json               the result as JSON

examples:
  stockroute validate --rules rules/own-first-then-consignment.rhai --inventory examples/inventory.json --order examples/held-order.json --plan examples/manual-plan.json --as-of 2026-11-30`;

/** `file: error: message (at `path`) [code]`, one per violation (messages name line and warehouse). */
function violationText(file, d) {
  const at = d.path ? ` (at \`${d.path}\`)` : '';
  const help = d.help ? `\n    help: ${d.help}` : '';
  return `${file}: error: ${d.message}${at} [${d.code}]${help}`;
}

function run(argv, helpers) {
  const { opts, positional } = helpers.parseArgs(argv, {
    '--rules': 'value',
    '--inventory': 'value',
    '--order': 'value',
    '--plan': 'value',
    '--as-of': 'value',
    '--json': 'flag',
  });
  helpers.requireOpts(opts, ['rules', 'inventory', 'order', 'plan'], 'validate');
  if (positional.length) helpers.usage('`validate` takes no positional arguments');
  const router = helpers.loadRouter(opts.rules);
  if (!router) return 1;
  try {
    if (!helpers.loadInventory(router, opts.inventory)) return 1;
    const orderText = helpers.readFile(opts.order);
    const planText = helpers.readFile(opts.plan);
    const planFile = opts.plan === '-' ? '<stdin>' : opts.plan;
    let v;
    try {
      v = router.validate(orderText, planText, opts['as-of'] ? { as_of: opts['as-of'] } : null);
    } catch (e) {
      if (e.code === 'options.invalid') helpers.usage(e.message);
      const inPlan = e.diagnostics.some((d) => d.message && d.message.startsWith('invalid plan'));
      helpers.reportError(inPlan ? planFile : e.rule ? opts.rules : opts.order, e);
      return 1;
    }
    if (opts.json) {
      helpers.out(JSON.stringify(v, null, 2));
    } else if (v.valid) {
      helpers.out(`${planFile}: valid`);
      helpers.out(prettyPlan(v.plan, JSON.parse(orderText)));
    } else {
      for (const d of v.violations) helpers.err(violationText(planFile, d));
      helpers.err(`${planFile}: ${v.violations.length} violation${v.violations.length === 1 ? '' : 's'}`);
    }
    return v.valid ? 0 : 1;
  } finally {
    router.free();
  }
}

module.exports = { name: 'validate', summary: 'check a plan made by hand: the completed plan or every violation', usage, run };
