'use strict';
// Readable tables for `--pretty` output and the `diff` report.

function table(rows, indent = '  ') {
  const widths = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] || 0, String(cell).length);
    });
  }
  return rows
    .map((row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? String(cell) : String(cell).padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function qtyList(lines) {
  return lines.map((l) => `${l.sku} × ${l.qty}`).join(', ');
}

function forwardText(f) {
  if (!f) return '';
  if (f.method === 'email') return `email ${f.to}`;
  if (f.method === 'api') return `api ${f.endpoint}`;
  return f.method;
}

function prettyPlan(plan, order) {
  const lines = [];
  const where = order && order.ship_to ? ` → ${[order.ship_to.country, order.ship_to.postcode].filter(Boolean).join(' ')}` : '';
  const channel = order && order.channel ? ` (${order.channel}${where})` : '';
  const n = plan.shipments.length;
  lines.push(`order ${plan.order}${channel}: ${plan.status.toUpperCase()}, ${n} shipment${n === 1 ? '' : 's'}`);
  if (n) {
    const rows = [['from', 'kind', 'ships', 'documents', 'handover']];
    for (const s of plan.shipments) {
      const kind = s.kind === 'consignment' && s.owner ? `consignment (${s.owner})` : s.kind;
      rows.push([s.warehouse, kind, qtyList(s.lines), s.documents.join(', '), forwardText(s.forward)]);
    }
    lines.push(table(rows));
  }
  if (plan.backorders.length) lines.push(`  backordered: ${qtyList(plan.backorders)}`);
  if (plan.hold) lines.push(`  held: ${plan.hold.reason} (${qtyList(plan.hold.lines)})`);
  const why = plan.trace.filter((t) => t.step !== 'eligible' && t.step !== 'rank');
  for (const t of why) {
    const ctx = [t.warehouse, t.line && `line ${t.line}`].filter(Boolean).join(', ');
    lines.push(`  · ${t.step}${ctx ? ` [${ctx}]` : ''}: ${t.message}`);
  }
  return lines.join('\n');
}

function prettyAvailability(av) {
  const rows = [['channel', 'sku', 'offered', 'from warehouses', 'channel safety', 'reserved', 'rule']];
  for (const it of av.items) {
    const from = it.warehouses
      .filter((w) => w.included && w.offered !== '0')
      .map((w) => `${w.warehouse} ${w.offered}`)
      .join(', ');
    rows.push([it.channel, it.sku, it.offered, from || '-', it.channel_safety, it.reserved, it.rule_adjustment]);
  }
  const text = [table(rows, '')];
  for (const t of av.trace || []) text.push(`· ${t.step}: ${t.message}`);
  return text.join('\n');
}

module.exports = { table, qtyList, prettyPlan, prettyAvailability };
