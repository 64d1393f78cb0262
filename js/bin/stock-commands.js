'use strict';
// `stockroute apply` and `stockroute sync`: ledger updates on an inventory file. Both read the
// inventory, apply the rows through the engine (all rows or none, every problem named by
// row), and write the new inventory as JSON to --out or standard output; what changed is
// reported on standard error. Exit codes as for the other commands: 1 for data errors
// (nothing is written), 2 for usage.
//
// Each command takes `(argv, h)`, `h` being the CLI's shared helpers
// `{ parseArgs, readFile, out, err, usage, loadRouter, loadInventory, reportError }`.

const fs = require('fs');

/** Rows as a JSON array, or JSON lines (one row object per line). */
function parseRows(text, file, h) {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim().startsWith('[')) return body;
  const rows = [];
  const lines = body.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      rows.push(JSON.parse(lines[i]));
    } catch (e) {
      h.err(`${file}:${i + 1}: error: invalid stock row: ${e.message} [data.invalid]`);
      return null;
    }
  }
  return rows;
}

function describe(change) {
  const b = change.before;
  const a = change.after;
  const parts = [];
  for (const key of ['on_hand', 'reserved', 'safety', 'status', 'available', 'backorder']) {
    if (!b) parts.push(`${key} ${a[key]}`);
    else if (b[key] !== a[key]) parts.push(`${key} ${b[key]} → ${a[key]}`);
  }
  return `${change.warehouse} ${change.sku}${b ? '' : ' (new row)'}: ${parts.join(', ') || 'unchanged'}`;
}

function write(router, opts, changes, command, h) {
  const text = JSON.stringify(router.inventory(), null, 2) + '\n';
  if (opts.out) {
    try {
      fs.writeFileSync(opts.out, text);
    } catch (e) {
      h.err(`stockroute: cannot write \`${opts.out}\`: ${e.message}`);
      return 2;
    }
  } else {
    process.stdout.write(text);
  }
  h.err(`${command}: ${changes.length} row${changes.length === 1 ? '' : 's'} changed`);
  for (const c of changes) h.err(`  ${describe(c)}`);
  return 0;
}

/** Shared shape of both commands: inventory in, rows through `op`, new inventory out. */
function ledgerCommand(argv, h, command, extra, op) {
  const spec = { '--inventory': 'value', '--rules': 'value', '--out': 'value', ...extra };
  const { opts, positional } = h.parseArgs(argv, spec);
  if (!opts.inventory) h.usage(`\`${command}\` needs --inventory`);
  for (const key of Object.keys(extra)) {
    const name = key.slice(2);
    if (!opts[name]) h.usage(`\`${command}\` needs --${name}`);
  }
  if (positional.length > 1) h.usage(`\`${command}\` takes at most one rows file`);
  const rowsFile = positional[0] || '-';
  const shown = rowsFile === '-' ? '<stdin>' : rowsFile;
  let router;
  if (opts.rules) {
    router = h.loadRouter(opts.rules);
    if (!router) return 1;
  } else {
    router = new h.api.Router('');
  }
  try {
    if (!h.loadInventory(router, opts.inventory)) return 1;
    const rows = parseRows(h.readFile(rowsFile), shown, h);
    if (rows === null) return 1;
    let changes;
    try {
      changes = op(router, rows, opts);
    } catch (e) {
      h.reportError(shown, e);
      return 1;
    }
    return write(router, opts, changes, command, h);
  } finally {
    router.free();
  }
}

/**
 * `stockroute apply --inventory inventory.json [rows.json | -] [--out new.json]`: rows
 * `{ warehouse, sku, on_hand? | delta?, reserved?, safety?, status?, backorderable?,
 * backorder_limit? }`.
 */
function cmdApply(argv, h) {
  return ledgerCommand(argv, h, 'apply', {}, (router, rows) => router.applyStock(rows));
}

/**
 * `stockroute sync --inventory inventory.json --warehouse ID [rows.json | -] [--out new.json]`:
 * the location's stock becomes what the rows say; its other SKUs drop to on_hand 0.
 */
function cmdSync(argv, h) {
  return ledgerCommand(argv, h, 'sync', { '--warehouse': 'value' }, (router, rows, opts) =>
    router.syncWarehouse(opts.warehouse, rows),
  );
}

const USAGE = `  stockroute apply --inventory inventory.json [rows.json | -] [--out new.json]
      apply stock rows ({warehouse, sku, on_hand | delta, reserved, safety, status, ...}; a JSON
      array or one row per line) to the inventory, all or none; writes the new inventory
  stockroute sync --inventory inventory.json --warehouse ID [rows.json | -] [--out new.json]
      replace one location's stock with the rows (its other SKUs drop to 0); writes the new inventory`;

module.exports = { cmdApply, cmdSync, USAGE };
