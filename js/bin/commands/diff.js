'use strict';
// `stockroute diff`: replay orders against a draft and the current rule set, show what
// changes. The comparison itself is `compare()` from the package (js/api.js).

const fs = require('fs');
const { table } = require('../pretty.js');

const usage = `usage: stockroute diff --rules DRAFT.rhai --against CURRENT.rhai --inventory inventory.json
                       [orders.jsonl | -] [--as-of YYYY-MM-DD] [--json]

Routes every order with both rule sets and prints orders per status, shipments and units
per warehouse, and each order whose plan changes (status, shipments, backorders, hold)
with what changed. --json prints the same as one JSON object (what compare() returns in
Node, plus the input line of each changed order). Exit 0 whether or not plans change; 1 when
either rule set does not compile, the inventory is invalid or --as-of is not a date.

options:
  --rules DRAFT.rhai      the draft rule set
  --against CURRENT.rhai  the rule set to compare against
  --inventory FILE        the inventory (JSON)
  --as-of YYYY-MM-DD      the routing day of both sides (default today)
  --json                  one JSON object instead of the report

examples:
  stockroute diff --rules rules/fewest-shipments.rhai --against rules/own-first-then-consignment.rhai --inventory examples/inventory.json --as-of 2026-11-30 examples/orders.jsonl
  stockroute diff --rules rules/fewest-shipments.rhai --against rules/own-first-then-consignment.rhai --inventory examples/inventory.json --as-of 2026-11-30 --json examples/orders.jsonl`;

/** The non-blank lines of JSON Lines text (any line ending), with their line numbers. */
function jsonLines(text) {
  const lines = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() !== '') lines.push({ no: i + 1, text: line });
  });
  return lines;
}

const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '·');

function unitsChange(a, b) {
  // Exact for the decimal strings the engine returns: compare as scaled integers.
  const scale = Math.max(...[a, b].map((s) => (s.split('.')[1] || '').length));
  const big = (s) => {
    const [int, frac = ''] = s.split('.');
    return BigInt(int + frac.padEnd(scale, '0'));
  };
  const d = big(b) - big(a);
  if (d === 0n) return '·';
  const abs = (d < 0n ? -d : d).toString().padStart(scale + 1, '0');
  const text = scale ? `${abs.slice(0, -scale)}.${abs.slice(-scale)}`.replace(/\.?0+$/, '') : abs;
  return `${d > 0n ? '+' : '−'}${text}`;
}

function report(result, draftName, currentName) {
  const out = [];
  const n = result.changed.length;
  out.push(`${draftName} against ${currentName}: ${result.orders} orders, ${n === 0 ? 'no order changes its plan' : `${n} change${n === 1 ? 's' : ''} plan`}`);
  out.push('');
  const statusRows = [['status', 'current', 'draft', 'change']];
  for (const [status, c] of Object.entries(result.statuses)) {
    if (status === 'error' && c.current === 0 && c.draft === 0) continue;
    statusRows.push([status, c.current, c.draft, signed(c.change)]);
  }
  out.push(table(statusRows, ''));
  if (result.warehouses.length) {
    out.push('');
    const rows = [['warehouse', 'shipments', '', 'change', 'units', '', 'change']];
    rows.push(['', 'current', 'draft', '', 'current', 'draft', '']);
    for (const w of result.warehouses) {
      rows.push([
        w.warehouse, w.current.shipments, w.draft.shipments, signed(w.draft.shipments - w.current.shipments),
        w.current.units, w.draft.units, unitsChange(w.current.units, w.draft.units),
      ]);
    }
    out.push(table(rows, ''));
  }
  if (n) {
    out.push('');
    out.push('changed orders:');
    for (const c of result.changed) {
      const id = c.order === null ? `(no id, line ${c.line})` : c.order;
      out.push(`  ${id} (line ${c.line}): ${c.current.status} → ${c.draft.status}`);
      for (const change of c.changes) if (change.what !== 'status') out.push(`    ${change.text}`);
    }
  }
  return out.join('\n');
}

function run(argv, helpers) {
  const { opts, positional } = helpers.parseArgs(argv, {
    '--rules': 'value',
    '--against': 'value',
    '--inventory': 'value',
    '--as-of': 'value',
    '--json': 'flag',
  });
  helpers.requireOpts(opts, ['rules', 'against', 'inventory'], 'diff');
  if (positional.length > 1) helpers.usage('`diff` takes at most one orders file');
  const ordersFile = positional[0] || '-';
  if (ordersFile !== '-' && !fs.existsSync(ordersFile)) throw new helpers.UsageError(`cannot read \`${ordersFile}\`: no such file`, false);
  const draft = helpers.loadRouter(opts.rules, { 'no-trace': true });
  const current = helpers.loadRouter(opts.against, { 'no-trace': true });
  if (!draft || !current) return 1;
  try {
    if (!helpers.loadInventory(draft, opts.inventory) || !helpers.loadInventory(current, opts.inventory)) return 1;
    const lines = jsonLines(helpers.readFile(ordersFile));
    const day = opts['as-of'] === undefined ? undefined : { as_of: opts['as-of'] };
    let result;
    try {
      result = helpers.api.compare(draft, current, lines.map((l) => l.text), null, day);
    } catch (e) {
      if (e && e.path === 'as_of') {
        helpers.reportError('--as-of', e);
        return 1;
      }
      throw e;
    }
    for (const c of result.changed) c.line = lines[c.index].no;
    helpers.out(opts.json ? JSON.stringify(result, null, 2) : report(result, opts.rules, opts.against));
    return 0;
  } finally {
    draft.free();
    current.free();
  }
}

module.exports = { name: 'diff', summary: 'compare the plans of a draft and the current rule set', usage, run };
