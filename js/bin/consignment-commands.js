'use strict';
// `stockroute forward` and `stockroute settle` (see docs/consignment.md). Each command gets
// the CLI's shared helpers as `h`: { parseArgs, readFile, out, err, usage, loadRouter,
// loadInventory, reportError }.

const fs = require('fs');
const path = require('path');
const { settle, StockrouteError } = require('../node/index.cjs');

const USAGE = `  stockroute forward --rules R.rhai --inventory inventory.json [orders.jsonl | -] --out DIR [--date YYYY-MM-DD]
      route each order and write one .eml (email) or .json (api, wms) per shipment into DIR,
      with its rendered documents and events.jsonl (the consignment shipments, for settle)
  stockroute settle --inventory inventory.json --events events.jsonl --period 2026-11 [--json]
      per consignment location: sent, sold, forwarded, returned, on hand, discrepancies,
      what to invoice and what comes back; a table, or JSON with --json`;

function need(h, opts, names, command) {
  for (const n of names) {
    if (!opts[n]) h.usage(`\`${command}\` needs --${n}`);
  }
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function writeFile(h, file, data) {
  try {
    fs.writeFileSync(file, data);
  } catch (e) {
    h.err(`stockroute: cannot write \`${file}\`: ${e.message}`);
    throw e;
  }
}

function forwardText(f) {
  if (f.method === 'email') return `email to ${f.to}`;
  if (f.method === 'api') return `api ${f.endpoint}`;
  return f.method;
}

function cmdForward(argv, h) {
  const { opts, positional } = h.parseArgs(argv, {
    '--rules': 'value',
    '--inventory': 'value',
    '--out': 'value',
    '--date': 'value',
  });
  need(h, opts, ['rules', 'inventory', 'out'], 'forward');
  if (positional.length > 1) h.usage('`forward` takes at most one orders file');
  const ordersFile = positional[0] || '-';
  const router = h.loadRouter(opts.rules);
  if (!router) return 1;
  if (!h.loadInventory(router, opts.inventory)) return 1;
  const text = h.readFile(ordersFile);
  const shownName = ordersFile === '-' ? '<stdin>' : ordersFile;
  try {
    fs.mkdirSync(opts.out, { recursive: true });
  } catch (e) {
    h.err(`stockroute: cannot create \`${opts.out}\`: ${e.message}`);
    return 2;
  }
  const date = opts.date || today();

  const inputs = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') inputs.push({ line: i + 1, text: line });
  });
  const results = router.routeBatch(inputs.map((x) => x.text));
  const events = [];
  let failed = 0;
  let files = 0;
  const fail = (input, id, e) => {
    failed++;
    const who = id ? `order \`${id}\`: ` : '';
    const help = e.help ? `\n    help: ${e.help}` : '';
    h.err(`${shownName}:${input.line}: ${who}${e.message} [${e.code}]${help}`);
  };
  results.forEach((r, i) => {
    const input = inputs[i];
    if (!r.ok) {
      fail(input, r.order, r.error);
      return;
    }
    let messages;
    try {
      messages = router.forward(r.plan, input.text, { date });
    } catch (e) {
      if (!(e instanceof StockrouteError)) throw e;
      fail(input, r.order, e);
      return;
    }
    if (!messages.length) {
      h.out(`${r.order}: ${r.plan.status}, nothing to forward`);
    }
    for (const m of messages) {
      writeFile(h, path.join(opts.out, m.file_name), m.body);
      files++;
      for (const d of m.documents) {
        writeFile(h, path.join(opts.out, d.file_name), Buffer.from(d.content, d.encoding === 'base64' ? 'base64' : 'utf8'));
        files++;
      }
      const docs = m.documents.map((d) => d.file_name).join(', ') || 'no documents';
      const later = m.not_rendered.length ? `; to follow: ${m.not_rendered.join(', ')}` : '';
      h.out(`${path.join(opts.out, m.file_name)}: ${m.order} shipment ${m.shipment} of ${m.shipments} from ${m.warehouse} (${forwardText(m.forward)}); ${docs}${later}`);
      if (m.event) events.push(m.event);
    }
  });
  const eventsFile = path.join(opts.out, 'events.jsonl');
  writeFile(h, eventsFile, events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : ''));
  files++;
  h.out(`${eventsFile}: ${events.length} consignment shipment event${events.length === 1 ? '' : 's'}`);
  h.out(`\n${results.length - failed} of ${results.length} orders forwarded, ${files} files written${failed ? `, ${failed} failed` : ''}`);
  router.free();
  return failed ? 1 : 0;
}

function table(rows, indent) {
  const widths = [];
  for (const row of rows) row.forEach((c, i) => { widths[i] = Math.max(widths[i] || 0, String(c).length); });
  return rows
    .map((row) => indent + row.map((c, i) => (i === row.length - 1 ? String(c) : String(c).padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

function prettySettlement(s) {
  const blocks = [`settlement ${s.period.from} .. ${s.period.to}`];
  for (const l of s.locations) {
    const lines = [];
    const terms = [l.currency, `sales ${l.sales.replace('_', ' ')}`, l.period_end && `period ends ${l.period_end}${l.period_ended ? ' (ended)' : ''}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`${l.warehouse}  ${l.retailer || ''}  (${terms})`);
    if (!l.skus.length) {
      lines.push('  no events');
      blocks.push(lines.join('\n'));
      continue;
    }
    const rows = [['sku', 'opening', 'sent', 'sold', 'forwarded', 'returned', 'on hand', 'discrepancy', 'counted']];
    for (const k of l.skus) {
      rows.push([k.sku, k.opening, k.sent, k.sold, k.forwarded, k.returned, k.on_hand, k.discrepancy === '0' ? '0' : `${k.discrepancy} !`, k.counted || 'never']);
    }
    lines.push(table(rows, '  '));
    if (l.invoice.length) {
      lines.push(`  to invoice (sold goods only): total ${l.invoice_total}${l.currency ? ` ${l.currency}` : ''}`);
      lines.push(table(l.invoice.map((x) => [x.sku, x.description, `${x.qty} ×`, x.unit_price == null ? 'no price' : x.unit_price, '=', x.amount == null ? '-' : x.amount]), '    '));
    } else {
      lines.push('  to invoice: nothing sold');
    }
    if (l.returns.length) {
      const when = l.period_end ? (l.period_ended ? `due now (period ended ${l.period_end})` : `due by ${l.period_end}`) : 'no period end';
      lines.push(`  returns, ${when}: ${l.returns.map((r) => `${r.sku} × ${r.qty}`).join(', ')}`);
    }
    if (l.discrepancies.length) {
      lines.push('  discrepancies:');
      for (const d of l.discrepancies) lines.push(`    ! ${d.message}`);
    }
    for (const issue of l.issues) lines.push(`  issue: ${issue}`);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function cmdSettle(argv, h) {
  const { opts, positional } = h.parseArgs(argv, {
    '--inventory': 'value',
    '--events': 'value',
    '--period': 'value',
    '--json': 'flag',
  });
  need(h, opts, ['inventory', 'events', 'period'], 'settle');
  if (positional.length) h.usage('`settle` takes no positional arguments');
  const inventory = h.readFile(opts.inventory);
  const events = h.readFile(opts.events);
  let result;
  try {
    result = settle(inventory, events, opts.period);
  } catch (e) {
    if (!(e instanceof StockrouteError)) throw e;
    if (e.code === 'options.invalid') h.usage(e.message);
    // Event problems carry the line of the log; anything else is the inventory's.
    const inEvents = e.diagnostics.some((d) => d.line != null);
    h.reportError(inEvents ? opts.events : opts.inventory, e);
    return 1;
  }
  h.out(opts.json ? JSON.stringify(result, null, 2) : prettySettlement(result));
  return 0;
}

module.exports = { cmdForward, cmdSettle, USAGE };
