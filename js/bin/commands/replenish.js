'use strict';
// `stockroute replenish`: replenishment proposals per consignment location and SKU
// (docs/replenishment.md), from an inventory file and the consignment event log.

const { table } = require('../pretty.js');

const usage = `usage: stockroute replenish --inventory inventory.json --events events.jsonl --as-of YYYY-MM-DD
                            [--rules R.rhai] [--window-days N] [--warehouse W1,W2] [--json]

Proposes, per consignment location with terms.replenish and SKU, what to send: from the
stock there, its sales over the window (default the 28 days to --as-of) and its terms,
never more than it sells before its consignment period ends nor more than own warehouses
can spare. The rules' replenish hook (with --rules) may change or veto each proposal.
Prints a table per retailer with the reasoning, or JSON with --json.

options:
  --inventory FILE     the inventory (JSON)
  --events FILE        the consignment event log (JSON Lines, as for settle)
  --as-of YYYY-MM-DD   the day the proposals are for (the window ends on it)
  --rules R.rhai       a rule set with a replenish hook (optional)
  --window-days N      days of sales to measure the rate on, 1 to 91 (default 28)
  --warehouse W1,W2    only these consignment locations
  --json               the whole result as JSON

examples:
  stockroute replenish --inventory examples/inventory.json --events examples/events.jsonl --as-of 2026-11-30
  stockroute replenish --rules rules/consignment-replenishment.rhai --inventory examples/inventory.json --events examples/events.jsonl --as-of 2026-11-30 --json`;

/** The table of one location's proposals, then each proposal's reasoning. */
function prettyReplenishment(r) {
  const blocks = [
    `replenishment as of ${r.as_of}, sales from ${r.window.from} to ${r.window.to} (${r.window.days} days, ${r.source === 'events' ? 'event log' : 'stock counts'})`,
  ];
  const locations = [...new Set(r.proposals.map((p) => p.warehouse))];
  for (const w of locations) {
    const list = r.proposals.filter((p) => p.warehouse === w);
    const retailer = list[0].retailer ? `  ${list[0].retailer}` : '';
    const rows = [['sku', 'on hand', 'sold/day', 'cover', 'reorder at', 'target', 'propose', 'rule']];
    for (const p of list) {
      rows.push([p.sku, p.on_hand, p.sold_per_day, p.days_of_cover === undefined ? '-' : `${p.days_of_cover} d`, p.reorder_point, p.target, p.propose, p.rule || '']);
    }
    const lines = [`${w}${retailer}`, table(rows)];
    for (const p of list.filter((x) => x.propose !== '0' || x.rule === 'vetoed')) {
      lines.push(`  ${p.sku}:`);
      for (const why of p.why) lines.push(`    · ${why}`);
    }
    blocks.push(lines.join('\n'));
  }
  for (const s of r.skipped) blocks.push(`${s.warehouse}: skipped, ${s.reason}`);
  const send = r.own.filter((o) => o.proposed !== '0');
  if (send.length) {
    const rows = [['sku', 'proposed', 'spare']];
    for (const o of send) rows.push([o.sku, o.proposed, o.unlimited ? 'unlimited' : o.spare]);
    blocks.push(`from own warehouses:\n${table(rows)}`);
  } else {
    blocks.push('nothing to send');
  }
  return blocks.join('\n\n');
}

function run(argv, helpers) {
  const { opts, positional } = helpers.parseArgs(argv, {
    '--inventory': 'value',
    '--events': 'value',
    '--as-of': 'value',
    '--rules': 'value',
    '--window-days': 'value',
    '--warehouse': 'value',
    '--json': 'flag',
  });
  helpers.requireOpts(opts, ['inventory', 'events', 'as-of'], 'replenish');
  if (positional.length) helpers.usage('`replenish` takes no positional arguments');
  const options = { as_of: opts['as-of'] };
  if (opts['window-days'] !== undefined) {
    const n = Number(opts['window-days']);
    if (!Number.isInteger(n)) helpers.usage(`\`--window-days\` must be a whole number of days, not \`${opts['window-days']}\``);
    options.window_days = n;
  }
  if (opts.warehouse) options.warehouses = opts.warehouse.split(',').map((w) => w.trim()).filter(Boolean);
  const router = opts.rules ? helpers.loadRouter(opts.rules) : new helpers.api.Router('', { name: '(no rules)' });
  if (!router) return 1;
  try {
    if (!helpers.loadInventory(router, opts.inventory)) return 1;
    options.events = helpers.readFile(opts.events);
    let result;
    try {
      result = router.replenishment(options);
    } catch (e) {
      if (e.code === 'options.invalid') helpers.usage(e.message);
      // Event problems carry the line of the log, rule problems the rule; the rest is the
      // inventory's.
      const file = e.diagnostics.some((d) => d.line != null && !d.rule) ? opts.events : e.rule ? opts.rules : opts.inventory;
      helpers.reportError(file, e);
      return 1;
    }
    helpers.out(opts.json ? JSON.stringify(result, null, 2) : prettyReplenishment(result));
    return 0;
  } finally {
    router.free();
  }
}

module.exports = {
  name: 'replenish',
  summary: 'replenishment proposals per consignment location and SKU, with the reasoning',
  usage,
  run,
  prettyReplenishment,
};
